"""The Telegram bot end to end: the real PTB Application long-polls a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import socket
from pathlib import Path

from bot import messages
from bot.telegram.guard import FloodGuard
from tests.conftest import KNOWLEDGE, ROOT, Running, buttons, spawn_bot
from tests.fake_telegram import BOT_ID, BOT_USERNAME, TOKEN, FakeTelegram

GROUP = -100123


# ---- answering ----------------------------------------------------------------------------------


async def test_a_question_gets_the_passage_with_its_heading_and_buttons(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("举报违法行为有没有奖励?"))
    assert reply["parse_mode"] == "HTML"
    assert reply["text"].startswith("<b>四、要以最广泛的宣传引导全社会共同参与安全生产</b>")
    assert "三是建立举报奖励机制" in reply["text"]
    labels = [text for text, _ in buttons(reply)]
    assert labels == [messages.MORE_CONTEXT, "👍", "👎"]


async def test_more_context_replaces_the_answer_in_place_and_toggles_back(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("应急演练"))
    context_data = dict(buttons(reply))[messages.MORE_CONTEXT]
    (more,) = await bot.fake.reply_to(bot.fake.callback(context_data), method="editMessageText")
    assert "隐患排查是安全生产工作的关键环节" in more["text"] and "四是注重源头治理" in more["text"]
    assert "<u>完善应急预案" in more["text"]  # the answered sentence is marked
    back = dict(buttons(more))[messages.BACK_TO_ANSWER]
    (again,) = await bot.fake.reply_to(bot.fake.callback(back), method="editMessageText")
    assert "完善应急预案" in again["text"] and "关键环节" not in again["text"]
    assert messages.MORE_CONTEXT in dict(buttons(again))
    assert len(bot.fake.sent()) == 1  # nothing was sent anew


async def test_a_decline_offers_suggestions_and_a_tap_answers_one(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("安全帽多少钱"))
    assert messages.DECLINED in reply["text"]
    suggestions = buttons(reply)
    assert 1 <= len(suggestions) <= 3 and all(data.startswith("a:") for _, data in suggestions)
    assert all(re.match(r"第.部分|开场白|结束语", label) for label, _ in suggestions)  # where it leads
    (answer,) = await bot.fake.reply_to(bot.fake.callback(suggestions[0][1]))
    assert answer["text"].startswith("<b>") and messages.DECLINED not in answer["text"]


async def test_two_parts_asked_at_once_come_in_one_reply(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("第二部分和第五部分分别讲了什么"))
    text = reply["text"]
    assert "二、要以最严格的制度保障" in text and "五、要以最严格的标准" in text
    assert text.index("二、") < text.index(messages.ALSO_ASKED.format(question="第五部分讲了什么"))


async def test_feedback_buttons_are_answered(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("回头看"))
    up = dict(buttons(reply))["👍"]
    (answered,) = await bot.fake.reply_to(bot.fake.callback(up), method="answerCallbackQuery")
    assert answered["text"] == messages.FEEDBACK_THANKS_UP


# ---- commands -----------------------------------------------------------------------------------


async def test_start_greets_with_the_outline_and_example_buttons(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("/start"))
    assert "在迎接市安全生产督查组检查指导工作会上的讲话" in reply["text"]
    assert "最坚定的政治觉悟" in reply["text"] and "最务实的态度" in reply["text"]
    examples = buttons(reply)
    assert len(examples) == 3
    (answer,) = await bot.fake.reply_to(bot.fake.callback(examples[0][1]))
    assert "重点领域" in answer["text"]


async def test_help_and_unknown_commands(bot: Running):
    (help_reply,) = await bot.fake.reply_to(bot.fake.message("/help"))
    assert (
        "/outline" in help_reply["text"]
        and "/search" in help_reply["text"]
        and BOT_USERNAME in help_reply["text"]
    )
    (unknown,) = await bot.fake.reply_to(bot.fake.message("/frobnicate"))
    assert unknown["text"] == messages.UNKNOWN_COMMAND_HTML


async def test_outline_buttons_show_a_part_in_place(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("/outline"))
    parts = buttons(reply)
    assert len(parts) == 6 and parts[2][0].startswith("三、")
    (part,) = await bot.fake.reply_to(bot.fake.callback(parts[2][1]), method="editMessageText")
    assert "一是突出重点领域；二是强化日常监管" in part["text"]


async def test_section_command(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("/section 5"))
    assert reply["text"].startswith("<b>五、") and "跟踪问效" in reply["text"]
    (missing,) = await bot.fake.reply_to(bot.fake.message("/section 9"))
    assert missing["text"] == messages.SECTION_NOT_FOUND.format(number=9, count=6)
    (usage,) = await bot.fake.reply_to(bot.fake.message("/section"))
    assert usage["text"] == messages.SECTION_USAGE.format(count=6)


async def test_search_lists_every_sentence_and_pages(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("/search 安全生产"))
    assert "第1/" in reply["text"] and reply["text"].count("<b>安全生产</b>") >= 5
    next_page = dict(buttons(reply))[messages.NEXT_PAGE]
    (edited,) = await bot.fake.reply_to(bot.fake.callback(next_page), method="editMessageText")
    assert "第2/" in edited["text"]


async def test_user_text_is_escaped_in_html(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("/search <script>alert(1)</script>"))
    assert "<script>" not in reply["text"] and "&lt;script&gt;" in reply["text"]
    (answer,) = await bot.fake.reply_to(bot.fake.message("<b>举报</b> & <i>奖励</i>"))
    assert "举报奖励机制" in answer["text"]


# ---- inline mode, groups, other messages ------------------------------------------------------


async def test_inline_query_lists_up_to_five_passages(bot: Running):
    (answer,) = await bot.fake.reply_to(bot.fake.inline("隐患排查"), method="answerInlineQuery")
    results = answer["results"]
    assert 1 <= len(results) <= 5
    assert "隐患" in results[0]["input_message_content"]["message_text"]
    (nothing,) = await bot.fake.reply_to(bot.fake.inline("明天会下雨吗"), method="answerInlineQuery")
    assert nothing["results"] == []  # nothing is posted in the user's name


async def test_groups_answer_only_mentions_replies_and_commands(bot: Running):
    await bot.fake.message("大家中午吃什么", chat_id=GROUP, chat_type="supergroup")
    mention = f"@{BOT_USERNAME} 应急预案"
    (answer,) = await bot.fake.reply_to(
        bot.fake.message(
            mention,
            chat_id=GROUP,
            chat_type="supergroup",
            entities=[{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}],
        )
    )
    assert "完善应急预案" in answer["text"]
    (reply,) = await bot.fake.reply_to(
        bot.fake.message("那举报呢", chat_id=GROUP, chat_type="supergroup", reply_to_bot=True)
    )
    assert "举报" in reply["text"]
    (command,) = await bot.fake.reply_to(
        bot.fake.message(f"/outline@{BOT_USERNAME}", chat_id=GROUP, chat_type="supergroup")
    )
    assert command["text"] == messages.OUTLINE_HTML
    # the chatter got nothing: three group replies, for the three messages addressed to the bot
    assert len(bot.fake.sent(chat_id=GROUP)) == 3
    assert bot.app.bot.id == BOT_ID  # mentions and replies were recognised by the fake's bot id


async def test_a_sticker_gets_a_hint_to_ask_in_text(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.sticker())
    assert reply["text"] == messages.ASK_IN_TEXT


async def test_a_4096_character_question_is_answered_within_limits(bot: Running):
    question = ("隐患排查" + "安全" * 40 + "\n") * 50
    question = question[:4096]
    replies = await bot.fake.reply_to(bot.fake.message(question))
    assert all(len(r["text"]) <= 4096 for r in replies)


async def test_forged_callback_data_gets_a_polite_answer(bot: Running):
    for data in ("c:../../etc", "a:99:99.99.99", "q:77", "zzz", "f:x:1", "s:1:" + "长" * 30):
        (answer,) = await bot.fake.reply_to(bot.fake.callback(data), method="answerCallbackQuery")
        assert answer["text"] == messages.STALE_BUTTON
    assert not bot.fake.sent()  # nothing was sent for forged data, and no error message


# ---- robustness ----------------------------------------------------------------------------------


async def test_every_question_answered_exactly_once_when_a_fifth_of_calls_fail(bot: Running):
    rng = random.Random(7)
    bot.fake.fail = lambda method, params: rng.choice(["502", "429", "drop"]) if rng.random() < 0.2 else None
    questions = [
        "应急预案",
        "举报奖励",
        "回头看",
        "隐患排查",
        "培训教育",
        "政治站位",
        "志愿服务",
        "销号管理",
        "群防群治",
        "智能化",
        "建档立册",
        "绩效考核",
    ]
    for n, question in enumerate(questions):
        await bot.fake.message(question, chat_id=2000 + n, user_id=600 + n)
    await bot.fake.wait_for(lambda: len(bot.fake.sent()) >= len(questions), timeout=60)
    await asyncio.sleep(1.5)  # any duplicate would arrive now
    per_chat = [len(bot.fake.sent(chat_id=2000 + n)) for n in range(len(questions))]
    assert per_chat == [1] * len(questions)
    assert bot.fake.failures, "the test injected no failure"


async def test_a_fast_user_is_told_the_wait_once_and_every_question_is_answered(start_bot):
    bot = await start_bot(USER_MESSAGES_PER_MINUTE="60")  # 60 at once, then one a second
    for _ in range(62):
        await bot.fake.message("应急预案", user_id=777, chat_id=777)
    await bot.fake.wait_for(lambda: len(bot.fake.sent(chat_id=777)) >= 63, timeout=15)
    texts = [p["text"] for p in bot.fake.sent(chat_id=777)]
    notes = [t for t in texts if t.startswith("消息太快了")]
    assert notes == [messages.SLOW_DOWN.format(seconds=1)]
    assert sum("完善应急预案" in t for t in texts) == 62


async def test_a_backlog_too_long_to_wait_is_refused_and_said_once(bot: Running):
    bot.app.bot_data["guard"] = FloodGuard(2, max_wait=1.0)  # two at once, then one per 30 s
    for _ in range(4):
        await bot.fake.message("应急预案", user_id=778, chat_id=778)
    await bot.fake.wait_for(lambda: len(bot.fake.sent(chat_id=778)) >= 3)
    await asyncio.sleep(0.5)
    texts = [p["text"] for p in bot.fake.sent(chat_id=778)]
    assert sum("完善应急预案" in t for t in texts) == 2
    assert texts[-1] == messages.TOO_MANY.format(seconds=29) and len(texts) == 3


async def test_chats_outside_the_allowlist_are_ignored(start_bot):
    bot = await start_bot(ALLOWED_CHAT_IDS="1001")
    await bot.fake.message("应急预案", chat_id=5555, user_id=5555)
    (reply,) = await bot.fake.reply_to(bot.fake.message("应急预案", chat_id=1001))
    assert reply["chat_id"] == 1001
    assert not bot.fake.sent(chat_id=5555)


async def test_the_allowlist_applies_to_inline_queries_and_buttons_of_outsiders(start_bot):
    bot = await start_bot(ALLOWED_CHAT_IDS="1001")
    (outsider,) = await bot.fake.reply_to(bot.fake.inline("隐患排查", user_id=7777), "answerInlineQuery")
    assert outsider["results"] == [] and outsider["is_personal"]
    (member,) = await bot.fake.reply_to(bot.fake.inline("隐患排查", user_id=1001), "answerInlineQuery")
    assert member["results"] and member["is_personal"]  # never served from Telegram's cache to others
    (tap,) = await bot.fake.reply_to(
        bot.fake.callback("o:0", inline=True, user_id=7777), "answerCallbackQuery"
    )
    assert tap["text"] == messages.NOT_ALLOWED


# ---- the real process ------------------------------------------------------------------------------


async def test_speech_bot_run_answers_never_logs_the_token_and_stops_on_sigterm(
    fake: FakeTelegram, tmp_path: Path
):
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "LOG_LEVEL": "DEBUG",
        "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
        "KNOWLEDGE_PATH": str(KNOWLEDGE),
    }
    process = await spawn_bot(env, tmp_path, capture=True)
    try:
        (reply,) = await fake.reply_to(fake.message("举报奖励"), timeout=30)
        assert "举报奖励机制" in reply["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=15)
    assert process.returncode == 0
    logs = (stdout + stderr).decode()
    assert "DEBUG" in logs and "getUpdates" in logs  # it did log at DEBUG
    assert TOKEN not in logs and TOKEN.split(":")[1] not in logs
    assert fake.sent("getMe")  # PTB asked the fake who it is


async def test_speech_bot_run_keeps_retrying_until_the_bot_api_is_reachable(tmp_path: Path):
    with socket.socket() as probe:  # a free port where nothing listens yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
        "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
        "KNOWLEDGE_PATH": str(KNOWLEDGE),
    }
    process = await spawn_bot(env, tmp_path)
    late = FakeTelegram()
    try:
        await asyncio.sleep(3)  # the bot cannot reach the API meanwhile
        assert process.returncode is None, "the bot gave up instead of retrying"
        await late.start(port)
        (reply,) = await late.reply_to(late.message("应急预案"), timeout=60)
        assert "完善应急预案" in reply["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=15)
        await late.stop()
    assert process.returncode == 0


def test_the_readme_run_command_is_the_console_script():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert ".venv/bin/speech-bot" in readme

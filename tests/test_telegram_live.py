"""The real `speech-bot run` process against the fake Bot API: throttling, groups and inline mode
as a user sees them (one process for all three, to keep the suite fast)."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from bot import messages
from tests.conftest import KNOWLEDGE, buttons, spawn_bot
from tests.fake_telegram import BOT_USERNAME, TOKEN, FakeTelegram

ME = 1001  # a private chat: its id is the user's id
GROUP = -100555
OUTSIDER = 7777


async def test_throttling_groups_and_inline_mode_in_the_real_process(fake: FakeTelegram, tmp_path: Path):
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
        "HASH_SALT": "live-salt",
        "KNOWLEDGE_PATH": str(KNOWLEDGE),
        "USER_MESSAGES_PER_MINUTE": "30",
        "ALLOWED_CHAT_IDS": f"{ME},{GROUP}",
    }
    process = await spawn_bot(env, tmp_path, capture=True)
    try:
        await _reading_is_not_throttled_and_no_question_is_dropped(fake)
        await _groups(fake)
        await _inline(fake)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=15)
    logs = stderr.decode()
    throttled = [line for line in logs.splitlines() if "throttled user" in line]
    assert throttled and all(str(ME) not in line for line in throttled)  # a hash, not the id


async def _reading_is_not_throttled_and_no_question_is_dropped(fake: FakeTelegram) -> None:
    (outline,) = await fake.reply_to(fake.message("/outline", chat_id=ME, user_id=ME), timeout=30)
    parts = [data for _, data in buttons(outline)]
    for n in range(36):  # more taps than the question budget: reading is not spam
        await fake.callback(parts[n % len(parts)], chat_id=ME, user_id=ME)
    await fake.wait_for(lambda: len(fake.sent("editMessageText")) >= 36)
    toasts = [c.get("text") for c in fake.sent("answerCallbackQuery")]
    assert not any(t and "太快" in t for t in toasts)

    for _ in range(32):  # the budget is 30 at once, then one every 2 s
        await fake.message("应急预案", chat_id=ME, user_id=ME)
    await fake.wait_for(lambda: len(fake.sent(chat_id=ME)) >= 1 + 32 + 1, timeout=20)
    texts = [p["text"] for p in fake.sent(chat_id=ME)][1:]
    notes = [t for t in texts if t.startswith("消息太快了")]
    # told once, with the real wait: 2 s for the 31st question, less if the burst took a while
    assert len(notes) == 1 and notes[0] in {messages.SLOW_DOWN.format(seconds=s) for s in (1, 2)}
    assert sum("完善应急预案" in t for t in texts) == 32  # every question answered


async def _groups(fake: FakeTelegram) -> None:
    def group_message(text: str, **kw):
        return fake.message(text, chat_id=GROUP, user_id=1002, chat_type="supergroup", **kw)

    for text in ("/start@otherbot", "/help@otherbot", "/ban@groupadminbot 12345", "/frobnicate", "大家好"):
        await group_message(text)
    mention = f"@{BOT_USERNAME}"
    (answer,) = await fake.reply_to(
        group_message(
            f"{mention} 应急预案", entities=[{"type": "mention", "offset": 0, "length": len(mention)}]
        )
    )
    asked = fake.last_message_id
    assert "完善应急预案" in answer["text"]
    assert answer["reply_parameters"]["message_id"] == asked  # threaded to the asker's message
    (section,) = await fake.reply_to(group_message(f"/section@{BOT_USERNAME} 5"))
    assert section["text"].startswith("<b>五、")
    assert section["reply_parameters"]["message_id"] == fake.last_message_id
    assert len(fake.sent(chat_id=GROUP)) == 2  # nothing for the other bots' commands or chatter


async def _inline(fake: FakeTelegram) -> None:
    (found,) = await fake.reply_to(fake.inline("隐患排查的重点领域", user_id=ME), "answerInlineQuery")
    titles = [r["title"] for r in found["results"]]
    assert titles and len(set(titles)) == len(titles) and all("部分" in t for t in titles)
    assert found["button"]["text"] == messages.INLINE_OPEN_BOT
    (default,) = await fake.reply_to(fake.inline("", user_id=ME), "answerInlineQuery")
    assert [r["title"][:4] for r in default["results"]] == [
        "第一部分",
        "第二部分",
        "第三部分",
        "第四部分",
        "第五部分",
        "第六部分",
    ]
    assert default["button"]["start_parameter"]
    (off_topic,) = await fake.reply_to(fake.inline("明天会下雨吗", user_id=ME), "answerInlineQuery")
    assert off_topic["results"] == []
    (outsider,) = await fake.reply_to(fake.inline("隐患排查", user_id=OUTSIDER), "answerInlineQuery")
    assert outsider["results"] == []

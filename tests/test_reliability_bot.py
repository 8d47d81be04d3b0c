"""Reliability of the running bot (in process, against the fake Bot API): fair turns, odd text, votes."""

from __future__ import annotations

import asyncio
import random
import sqlite3

from bot import messages
from bot.feedback.store import FeedbackStore
from tests.conftest import Running, buttons

GROUP = -100777


def random_text(rng: random.Random) -> str:
    """1–40 code points from anywhere in Unicode: lone surrogates, controls, private use, emoji…"""
    ranges = [
        (0, 0x7F),
        (0x80, 0x2FFF),
        (0x3000, 0x9FFF),
        (0xD800, 0xDFFF),
        (0xE000, 0xFFFF),
        (0x10000, 0x10FFFF),
    ]
    out = []
    for _ in range(rng.randint(1, 40)):
        low, high = rng.choice(ranges)
        out.append(chr(rng.randint(low, high)))
    return "".join(out)


def test_1000_random_unicode_strings_each_get_an_answer_or_a_decline(engine, tmp_path):
    rng = random.Random(11)
    store = FeedbackStore(tmp_path / "feedback.sqlite3", "salt")
    kinds = []
    for text in [random_text(rng) for _ in range(1000)]:
        answer = engine.answer(text)
        kinds.append(answer.matched)
        assert store.record_question(question=text, answer=answer, chat_type="private", user_id=1, chat_id=1)
    assert store.flush()
    assert store.totals(1).questions == 1000
    store.close()
    print(f"\n1000 random Unicode strings: {sum(kinds)} answered, {1000 - sum(kinds)} declined")


async def test_random_unicode_through_the_bot_never_gets_the_error_message(start_bot):
    bot: Running = await start_bot(inbox=True)
    rng = random.Random(12)
    texts = [
        "\ud800",
        "问\udfff题",
        "\udc00\ud800应急预案",
        "\x00\x07",
        *(random_text(rng) for _ in range(196)),
    ]
    for n, text in enumerate(texts):
        await bot.fake.message(text, chat_id=100_000 + n, user_id=100_000 + n)
    await bot.fake.wait_for(lambda: len(bot.fake.sent()) >= len(texts), timeout=60)
    replies = bot.fake.sent()
    assert len(replies) == len(texts)
    assert not [r for r in replies if r["text"] == messages.ERROR]
    assert "完善应急预案" in bot.fake.sent(chat_id=100_002)[0]["text"]  # the lone surrogates did not hide it


async def test_a_flooding_user_does_not_delay_everyone_else(start_bot):
    bot: Running = await start_bot(rate_limit=True, USER_MESSAGES_PER_MINUTE="1000")
    for _ in range(40):
        await bot.fake.message("应急预案", chat_id=7001, user_id=7001)
    for n in range(15):
        await bot.fake.message("举报奖励", chat_id=7100 + n, user_id=7100 + n)
    await bot.fake.wait_for(lambda: len(bot.fake.sent()) >= 55, timeout=30)
    order = [r["chat_id"] for r in bot.fake.sent()]
    tenth_of_flooder = [n for n, chat in enumerate(order) if chat == 7001][9]
    last_other = max(n for n, chat in enumerate(order) if chat != 7001)
    assert last_other < tenth_of_flooder, order


async def test_a_vote_counts_only_in_the_chat_of_the_answer(start_bot):
    bot: Running = await start_bot()
    (reply,) = await bot.fake.reply_to(bot.fake.message("销号管理", chat_id=4001, user_id=4001))
    down = dict(buttons(reply))["👎"]
    (forged,) = await bot.fake.reply_to(
        bot.fake.callback(down, chat_id=4002, user_id=4002), method="answerCallbackQuery"
    )
    assert forged["text"] == messages.FEEDBACK_NOT_YOURS  # the button was signed for chat 4001
    (own,) = await bot.fake.reply_to(
        bot.fake.callback(down, chat_id=4001, user_id=4001), method="answerCallbackQuery"
    )
    assert own["text"] == messages.FEEDBACK_THANKS_DOWN
    assert bot.store.totals(30).down == 1


async def test_in_a_group_everyone_may_vote_once(start_bot):
    bot: Running = await start_bot()
    (reply,) = await bot.fake.reply_to(
        bot.fake.message("销号管理", chat_id=GROUP, chat_type="supergroup", reply_to_bot=True)
    )
    up = dict(buttons(reply))["👍"]
    for user in (1, 2, 2):
        await bot.fake.reply_to(
            bot.fake.callback(up, chat_id=GROUP, user_id=user), method="answerCallbackQuery"
        )
    assert bot.store.totals(30).up == 2


async def test_a_vote_that_cannot_be_stored_is_not_thanked_for(start_bot):
    bot: Running = await start_bot()
    (reply,) = await bot.fake.reply_to(bot.fake.message("回头看", chat_id=4100, user_id=4100))
    assert bot.store.flush()
    locker = sqlite3.connect(bot.store.path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        up = dict(buttons(reply))["👍"]
        (answer,) = await bot.fake.reply_to(
            bot.fake.callback(up, chat_id=4100, user_id=4100), method="answerCallbackQuery", timeout=15
        )
        assert answer["text"] == messages.FEEDBACK_NOT_STORED
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    await asyncio.sleep(0)


async def test_a_damaged_database_at_start_is_set_aside_and_recording_goes_on(start_bot, tmp_path):
    (tmp_path / "feedback.sqlite3").write_bytes(b"not a database, a text file saved over it\n" * 200)
    bot: Running = await start_bot()
    (reply,) = await bot.fake.reply_to(bot.fake.message("回头看", chat_id=4200, user_id=4200))
    up = dict(buttons(reply))["👍"]
    (thanks,) = await bot.fake.reply_to(
        bot.fake.callback(up, chat_id=4200, user_id=4200), method="answerCallbackQuery"
    )
    assert thanks["text"] == messages.FEEDBACK_THANKS_UP
    assert bot.store.totals(30).questions == 1
    (aside,) = tmp_path.glob("feedback.sqlite3.damaged-*")
    assert aside.read_bytes().startswith(b"not a database")

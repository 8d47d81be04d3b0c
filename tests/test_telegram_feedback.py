"""👍/👎 on every answer the bot shows, whatever route produced it; the vote shows on the buttons;
after 👎 an optional reason; votes only count on the chat's own answers."""

from __future__ import annotations

import sqlite3

from bot import messages
from tests.conftest import Running, buttons


def votes(bot: Running) -> list[tuple[int, int, str | None, str | None]]:
    """(question row, vote, reason, the row's passage) of every stored vote."""
    with sqlite3.connect(bot.store.path) as db:
        return db.execute(
            "SELECT v.question_id, v.vote, v.reason, q.passage_id FROM votes v"
            " JOIN questions q ON q.id = v.question_id ORDER BY v.question_id"
        ).fetchall()


async def test_every_route_to_an_answer_carries_votes_that_are_stored(bot: Running):
    fake = bot.fake
    shown = []
    (section,) = await fake.reply_to(fake.message("/section 5"))
    shown.append(section)
    (start,) = await fake.reply_to(fake.message("/start"))
    (example,) = await fake.reply_to(fake.callback(buttons(start)[0][1]))
    shown.append(example)
    # a fresh conversation (another user), so it is not read as a follow-up of the example
    (declined,) = await fake.reply_to(fake.message("安全生产许可证去哪里办", user_id=502))
    (suggested,) = await fake.reply_to(fake.callback(buttons(declined)[0][1]))
    shown.append(suggested)
    (point,) = await fake.reply_to(
        fake.callback(dict(buttons(section))["三是跟踪问效,确保长效"]), "editMessageText"
    )
    shown.append(point)
    for n, answer in enumerate(shown):
        up = dict(buttons(answer))["👍"]
        await fake.reply_to(fake.callback(up, user_id=700 + n), "answerCallbackQuery")
    stored = votes(bot)
    assert len(stored) == len(shown) and all(vote == 1 and passage for _, vote, _, passage in stored)


async def test_a_vote_shows_on_the_buttons_and_a_down_vote_asks_what_was_wrong(bot: Running):
    fake = bot.fake
    (answer,) = await fake.reply_to(fake.message("回头看"))
    down = dict(buttons(answer))["👎"]
    (thanks,) = await fake.reply_to(
        fake.callback(down, markup=answer["reply_markup"], message_id=55), "answerCallbackQuery"
    )
    assert thanks["text"] == messages.FEEDBACK_THANKS_DOWN
    await fake.wait_for(lambda: bool(fake.sent("editMessageReplyMarkup")) and len(fake.sent()) >= 2)
    (marked,) = fake.sent("editMessageReplyMarkup")
    labels = [label for label, _ in buttons(marked)]
    assert messages.FEEDBACK_DOWN_CHOSEN in labels and messages.MORE_CONTEXT in labels
    prompt = fake.sent()[-1]
    assert prompt["text"] == messages.REASON_PROMPT and prompt["reply_markup"]["force_reply"]
    assert prompt["reply_parameters"]["message_id"] == 55
    # the user answers the prompt: the reason is stored with the vote, not taken as a question
    (noted,) = await fake.reply_to(fake.message("答非所问", reply_to=fake.message_id_of(prompt)))
    assert noted["text"] == messages.REASON_THANKS
    assert [(vote, reason) for _, vote, reason, _ in votes(bot)] == [(-1, "答非所问")]


async def test_a_vote_copied_onto_another_chat_is_refused(bot: Running):
    (answer,) = await bot.fake.reply_to(bot.fake.message("回头看"))
    up = dict(buttons(answer))["👍"]
    (refused,) = await bot.fake.reply_to(bot.fake.callback(up, chat_id=4242), "answerCallbackQuery")
    assert refused["text"] == messages.FEEDBACK_NOT_YOURS
    forged = up.rsplit(":", 1)[0] + ":00000000"
    (also,) = await bot.fake.reply_to(bot.fake.callback(forged), "answerCallbackQuery")
    assert also["text"] == messages.FEEDBACK_NOT_YOURS
    assert votes(bot) == []


async def test_buttons_on_a_message_sent_through_inline_mode_answer_politely(bot: Running):
    (answer,) = await bot.fake.reply_to(bot.fake.message("回头看"))
    up = dict(buttons(answer))["👍"]
    (polite,) = await bot.fake.reply_to(bot.fake.callback(up, inline=True), "answerCallbackQuery")
    assert polite["text"] == messages.INLINE_MESSAGE_BUTTON
    more = dict(buttons(answer))[messages.MORE_CONTEXT]
    (also,) = await bot.fake.reply_to(bot.fake.callback(more, inline=True), "answerCallbackQuery")
    assert also["text"] == messages.INLINE_MESSAGE_BUTTON
    assert votes(bot) == [] and len(bot.fake.sent()) == 1


async def test_in_a_group_the_reason_prompt_names_the_voter_and_only_their_reply_counts(bot: Running):
    fake, group = bot.fake, -100900
    (answer,) = await fake.reply_to(
        fake.message("/section 5", chat_id=group, user_id=1002, chat_type="supergroup")
    )
    down = dict(buttons(answer))["👎"]
    before = len(fake.sent())
    await fake.callback(down, chat_id=group, user_id=1002)
    await fake.wait_for(lambda: len(fake.sent()) > before)
    prompt = fake.sent()[-1]
    assert "tg://user?id=1002" in prompt["text"] and prompt["reply_markup"]["selective"]
    to = fake.message_id_of(prompt)
    (other,) = await fake.reply_to(
        fake.message("回头看", chat_id=group, user_id=1003, chat_type="supergroup", reply_to=to)
    )
    assert other["text"] != messages.REASON_THANKS  # someone else's reply is a question
    (noted,) = await fake.reply_to(
        fake.message("不完整", chat_id=group, user_id=1002, chat_type="supergroup", reply_to=to)
    )
    assert noted["text"] == messages.REASON_THANKS
    assert [reason for _, _, reason, _ in votes(bot)] == ["不完整"]

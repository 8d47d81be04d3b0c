"""Reading the speech by its structure, through the fake Bot API: outline → part → point and
back (edited in place), a part in full, deep links, captions, edited questions, context per user."""

from __future__ import annotations

from bot import messages
from tests.conftest import Running, buttons
from tests.fake_telegram import BOT_USERNAME

GROUP = -100777


def tap_data(params: dict, label: str) -> str:
    return dict(buttons(params))[label]


async def test_outline_to_part_to_point_and_back_edits_one_message(bot: Running):
    fake = bot.fake
    (outline,) = await fake.reply_to(fake.message("/outline"))
    part_data = buttons(outline)[2][1]
    (part,) = await fake.reply_to(fake.callback(part_data, markup=outline["reply_markup"]), "editMessageText")
    assert part["text"].startswith("<b>三、要以最有力的措施推进安全隐患排查整治</b>")
    labels = [label for label, _ in buttons(part)]
    assert labels[:4] == ["一是突出重点领域", "二是强化日常监管", "三是加强应急管理", "四是注重源头治理"]
    assert messages.READ_FULL in labels and messages.BACK_TO_OUTLINE in labels and "👍" in labels

    (point,) = await fake.reply_to(fake.callback(tap_data(part, "二是强化日常监管")), "editMessageText")
    assert "二是强化日常监管。建立健全巡查制度" in point["text"]
    assert "出处：第三部分 · 第二点" in point["text"]
    labels = [label for label, _ in buttons(point)]
    assert {messages.PREVIOUS_POINT, messages.NEXT_POINT, messages.BACK_TO_OUTLINE, "👍", "👎"} <= set(labels)

    (nxt,) = await fake.reply_to(fake.callback(tap_data(point, messages.NEXT_POINT)), "editMessageText")
    assert "三是加强应急管理" in nxt["text"] and "第三部分 · 第三点" in nxt["text"]
    (prev,) = await fake.reply_to(fake.callback(tap_data(nxt, messages.PREVIOUS_POINT)), "editMessageText")
    assert "二是强化日常监管" in prev["text"]
    (back,) = await fake.reply_to(fake.callback(tap_data(prev, messages.BACK_TO_OUTLINE)), "editMessageText")
    assert back["text"] == messages.OUTLINE_HTML and len(buttons(back)) == 6
    assert len(fake.sent()) == 1  # the whole walk happened in one message


async def test_the_last_point_of_a_part_leads_to_the_next_part(bot: Running, engine):
    outline = engine.outline()
    last = len(outline[2].points)
    (reply,) = await bot.fake.reply_to(bot.fake.message(f"/start p3_{last}"))
    (nxt,) = await bot.fake.reply_to(
        bot.fake.callback(tap_data(reply, messages.NEXT_POINT)), "editMessageText"
    )
    assert "第四部分 · 第一点" in nxt["text"]


async def test_a_part_in_full_is_sent_whole(bot: Running, engine):
    (part,) = await bot.fake.reply_to(bot.fake.message("/section 1"))
    pieces = await bot.fake.reply_to(bot.fake.callback(tap_data(part, messages.READ_FULL)))
    text = "".join(p["text"] for p in pieces)
    full = engine.part_full(1).answer
    assert full.split("\n")[-1] in text and len(text) > len(full)  # every paragraph, as written
    (read,) = await bot.fake.reply_to(bot.fake.message("/read 1"))
    assert read["text"] == pieces[0]["text"]


async def test_deep_links_open_a_part_or_a_point(bot: Running):
    (part,) = await bot.fake.reply_to(bot.fake.message("/start part3"))
    assert part["text"].startswith("<b>三、") and "一是突出重点领域；" in part["text"]
    (point,) = await bot.fake.reply_to(bot.fake.message("/start p3_2"))
    assert "二是强化日常监管" in point["text"] and "第三部分 · 第二点" in point["text"]
    (greeting,) = await bot.fake.reply_to(bot.fake.message("/start p9_9"))
    assert "你好" in greeting["text"]  # an unknown place: the ordinary greeting


async def test_a_question_in_a_photo_caption_is_answered(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.photo("举报违法行为有奖励吗"))
    assert "三是建立举报奖励机制" in reply["text"]
    (hint,) = await bot.fake.reply_to(bot.fake.sticker())
    assert hint["text"] == messages.ASK_IN_TEXT


async def test_an_edited_question_rewrites_its_answer(bot: Running):
    (first,) = await bot.fake.reply_to(bot.fake.message("应急预案"))
    asked = bot.fake.last_message_id
    (edited,) = await bot.fake.reply_to(bot.fake.edit(asked, "举报奖励"), "editMessageText")
    assert "完善应急预案" in first["text"]
    assert "举报奖励机制" in edited["text"]
    assert len(bot.fake.sent()) == 1  # no second answer


async def test_taps_and_deep_links_become_the_conversation_s_last_answer(bot: Running):
    (part,) = await bot.fake.reply_to(bot.fake.message("/section 3"))
    await bot.fake.reply_to(bot.fake.callback(tap_data(part, "二是强化日常监管")), "editMessageText")
    conversation = bot.app.chat_data[1001][("conv", 501)]
    assert (conversation.last.part, conversation.last.point) == (3, 2)


async def test_conversations_are_kept_per_user_inside_a_group(bot: Running):
    mention = f"@{BOT_USERNAME}"
    entity = [{"type": "mention", "offset": 0, "length": len(mention)}]
    for user, question in ((1, "应急预案"), (2, "举报奖励")):
        await bot.fake.reply_to(
            bot.fake.message(
                f"{mention} {question}", chat_id=GROUP, user_id=user, chat_type="supergroup", entities=entity
            )
        )
    chat = bot.app.chat_data[GROUP]
    assert "应急" in chat[("conv", 1)].last.answer and "举报" in chat[("conv", 2)].last.answer


async def test_a_message_too_old_to_edit_gets_the_view_as_a_new_message(bot: Running):
    bot.fake.uneditable.add(77)
    (outline,) = await bot.fake.reply_to(bot.fake.message("/outline"))
    (part,) = await bot.fake.reply_to(bot.fake.callback(buttons(outline)[0][1], message_id=77))
    assert part["text"].startswith("<b>一、")


async def test_follow_ups_in_several_chats_at_once_never_cross(bot: Running):
    """Two private chats and two users of a group, interleaved: each 下一点 / 还有呢 / 详细说说
    follows that user's own last answer, and small talk gets a pleasantry, never a passage."""

    async def ask(text: str, chat: int, user: int, group: bool = False) -> str:
        if group:
            mention = f"@{BOT_USERNAME}"
            entity = [{"type": "mention", "offset": 0, "length": len(mention)}]
            sent = bot.fake.message(
                f"{mention} {text}", chat_id=chat, user_id=user, chat_type="supergroup", entities=entity
            )
        else:
            sent = bot.fake.message(text, chat_id=chat, user_id=user)
        replies = await bot.fake.reply_to(sent)
        return "\n".join(r["text"] for r in replies)

    assert "第三部分 · 第一点" in await ask("隐患排查重点查哪些行业", 7001, 701)
    assert "第五部分 · 第一点" in await ask("查出问题要多快整改", 7002, 702)
    assert "第三部分 · 第二点" in await ask("下一点", 7001, 701)
    assert "第五部分 · 第二点" in await ask("下一点", 7002, 702)
    others = await ask("还有呢", 7001, 701)
    assert "三是加强应急管理" in others and "二是强化日常监管" not in others
    thanks = await ask("谢谢", 7002, 702)
    assert thanks == messages.SMALLTALK["thanks"]
    assert "第五部分 · 第三点" in await ask("那第三点呢", 7002, 702)

    assert "第四部分 · 第三点" in await ask("举报有奖励吗", GROUP, 11, group=True)
    assert "第六部分 · 第二点" in await ask("创新驱动是怎么说的", GROUP, 12, group=True)
    assert "第四部分 · 第四点" in await ask("下一点", GROUP, 11, group=True)
    assert "第六部分 · 第三点" in await ask("下一点", GROUP, 12, group=True)
    assert await ask("下一点", GROUP, 13, group=True) == messages.CLARIFY  # a third user has no context


async def test_a_complaint_in_a_chat_apologises_and_offers_other_passages_as_buttons(bot: Running):
    await bot.fake.reply_to(bot.fake.message("举报奖励", chat_id=7101, user_id=801))
    (sorry,) = await bot.fake.reply_to(bot.fake.message("不对", chat_id=7101, user_id=801))
    assert sorry["text"].startswith(messages.SMALLTALK["complaint"])
    offered = buttons(sorry)
    assert offered and all(data.startswith("a:") for _, data in offered)
    (answer,) = await bot.fake.reply_to(bot.fake.callback(offered[0][1], chat_id=7101, user_id=801))
    assert answer["text"].startswith("<b>") and "出处" in answer["text"]

"""Admin in Telegram: /stats within Telegram's limits, /reload errors as one line, buttons from
before a changed reload expire, the menu shows admin commands to admins only, the description."""

from __future__ import annotations

from pathlib import Path

from bot import messages
from bot.core.errors import KnowledgeError
from bot.telegram.admin import one_line
from tests.conftest import buttons

ADMIN = 999


async def test_stats_fits_one_message_whatever_users_ask(start_bot):
    bot = await start_bot(USER_MESSAGES_PER_MINUTE="100")
    for n in range(8):
        await bot.fake.reply_to(
            bot.fake.message(f"{n}号" + "天气预报明天会不会下大雨" * 300, user_id=600 + n)
        )
    (stats,) = await bot.fake.reply_to(bot.fake.message("/stats", user_id=ADMIN, chat_id=ADMIN))
    assert len(stats["text"]) <= 4096 and "提问 8 次" in stats["text"]


async def test_a_failed_reload_says_which_file_and_line_in_one_line(start_bot, knowledge_copy: Path):
    bot = await start_bot(KNOWLEDGE_PATH=str(knowledge_copy))
    with (knowledge_copy / "qa.yaml").open("a", encoding="utf-8") as f:
        f.write("  - passage: [unclosed\n")
    (failed,) = await bot.fake.reply_to(bot.fake.message("/reload", user_id=ADMIN, chat_id=ADMIN))
    text = failed["text"]
    assert text.startswith("重新加载失败") and "qa.yaml 第" in text and "行" in text
    assert "\n" not in text and str(knowledge_copy) not in text and "/tmp" not in text


def test_one_line_keeps_the_file_name_only():
    error = KnowledgeError("cannot read /srv/bot/knowledge/speech.txt: [Errno 13] Permission denied")
    assert one_line(error) == "speech.txt：cannot read speech.txt: [Errno 13] Permission denied"
    error = KnowledgeError("/srv/bot/knowledge/qa.yaml pair 3: no single sentence holds '…'")
    assert one_line(error) == "qa.yaml pair 3: no single sentence holds '…'"


async def test_buttons_from_before_a_changed_reload_say_they_expired(start_bot, knowledge_copy: Path):
    bot = await start_bot(KNOWLEDGE_PATH=str(knowledge_copy))
    (declined,) = await bot.fake.reply_to(bot.fake.message("安全生产许可证去哪里办"))
    (outline,) = await bot.fake.reply_to(bot.fake.message("/outline"))
    (ok,) = await bot.fake.reply_to(bot.fake.message("/reload", user_id=ADMIN, chat_id=ADMIN))
    assert ok["text"].startswith("知识库已重新加载")
    (same,) = await bot.fake.reply_to(bot.fake.callback(buttons(outline)[0][1]), "editMessageText")
    assert same["text"].startswith("<b>一、")  # unchanged knowledge: old buttons still work

    with (knowledge_copy / "qa.yaml").open("a", encoding="utf-8") as f:
        f.write("  - passage: 及时总结提炼工作中的好做法\n    questions: [谁来负责写总结材料]\n")
    await bot.fake.reply_to(bot.fake.message("/reload", user_id=ADMIN, chat_id=ADMIN))
    for data in (buttons(declined)[0][1], buttons(outline)[0][1]):
        (expired,) = await bot.fake.reply_to(bot.fake.callback(data), "answerCallbackQuery")
        assert expired["text"] == messages.EXPIRED_BUTTON
    assert not bot.fake.sent("editMessageText")[1:]  # nothing else was opened


async def test_the_menu_shows_admin_commands_only_to_admins_and_the_description_is_set(bot):
    await bot.fake.wait_for(lambda: len(bot.fake.sent("setMyShortDescription")) == 1)
    menus = {
        (call.get("scope") or {}).get("chat_id", "everyone"): [c["command"] for c in call["commands"]]
        for call in bot.fake.sent("setMyCommands")
    }
    assert "stats" not in menus["everyone"] and "outline" in menus["everyone"]
    assert {"stats", "reload", "outline"} <= set(menus[ADMIN])
    (description,) = bot.fake.sent("setMyDescription")
    (short,) = bot.fake.sent("setMyShortDescription")
    title = "在迎接市安全生产督查组检查指导工作会上的讲话"
    assert title in description["description"] and len(description["description"]) <= 512
    assert len(short["short_description"]) <= 120


async def test_help_lists_admin_commands_for_admins_only(bot):
    (public,) = await bot.fake.reply_to(bot.fake.message("/help"))
    (admin,) = await bot.fake.reply_to(bot.fake.message("/help", user_id=ADMIN, chat_id=ADMIN))
    assert "/stats" not in public["text"] and "/stats" in admin["text"] and "/reload" in admin["text"]

"""Admin commands in Telegram (ADMIN_USER_IDS only): /stats and /reload.

Other users never see them: their /stats or /reload falls through to the unknown-command
handler and gets the same help line as any unknown command.
"""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot import messages
from bot.core.engine import Engine
from bot.core.errors import SpeechBotError
from bot.feedback.report import group_similar

log = logging.getLogger(__name__)
STATS_DAYS = 30


def add_handlers(app: Application, admin_ids: frozenset[int]) -> None:
    admins = filters.User(user_id=admin_ids)  # no ids: nobody is an admin
    app.add_handler(CommandHandler("stats", stats, filters=admins))
    app.add_handler(CommandHandler("reload", reload, filters=admins))


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The report's totals and the five most frequent declined questions."""
    store = context.bot_data["store"]
    totals = store.totals(STATS_DAYS)
    groups = group_similar(store.declined_questions(STATS_DAYS))[:5]
    top = "\n".join(f"{g.count}× {html.escape(g.sample)}" for g in groups) or messages.STATS_NONE
    await update.effective_message.reply_html(
        messages.STATS_HTML.format(
            days=STATS_DAYS,
            questions=totals.questions,
            matched=totals.matched,
            declined=totals.declined,
            up=totals.up,
            down=totals.down,
            top=top,
        )
    )


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Re-read the knowledge and swap the index at once; a broken file keeps the old one."""
    settings = context.bot_data["settings"]
    try:
        engine = await asyncio.to_thread(Engine.load, settings.knowledge_path, **settings.engine_options())
    except SpeechBotError as exc:
        log.warning("reload failed: %s", exc)
        await update.effective_message.reply_text(messages.RELOAD_FAILED.format(error=exc))
        return
    context.bot_data["engine"] = engine  # one assignment: every later update sees the new index
    stats = engine.stats()
    log.info("knowledge reloaded: %d passages", stats.passages)
    await update.effective_message.reply_text(
        messages.RELOAD_OK.format(
            documents=stats.documents, passages=stats.passages, pairs=stats.curated_questions
        )
    )

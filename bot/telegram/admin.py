"""Admin commands (ADMIN_USER_IDS only): /stats and /reload.

Other users never see them: the menu shows them only in admins' own chats, and anyone else's
/stats or /reload gets the same help line as any unknown command.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from pathlib import PurePath

from telegram import Update
from telegram.ext import ContextTypes

from bot import messages
from bot.core.errors import SpeechBotError
from bot.feedback.report import group_similar
from bot.formatting import TELEGRAM_LIMIT
from bot.telegram.replies import reply_html

log = logging.getLogger(__name__)
STATS_DAYS = 30
STATS_GROUPS = 5  # the most frequent declined questions shown
SAMPLE_CHARS = 60  # a declined question is cut to this many characters in /stats
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'\"]+)+")
_LINE = re.compile(r"\bline (\d+)")


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The report's totals and the most frequent declined questions, within one message."""
    store = context.bot_data["store"]
    totals = store.totals(STATS_DAYS)
    groups = group_similar(store.declined_questions(STATS_DAYS))
    lines = [f"{g.count}× {html.escape(_cut(g.sample, SAMPLE_CHARS))}" for g in groups[:STATS_GROUPS]]
    if len(groups) > STATS_GROUPS:
        lines.append(messages.STATS_MORE.format(count=len(groups) - STATS_GROUPS))
    text = messages.STATS_HTML.format(
        days=STATS_DAYS,
        questions=totals.questions,
        matched=totals.matched,
        declined=totals.declined,
        up=totals.up,
        down=totals.down,
        top="\n".join(lines) or messages.STATS_NONE,
    )
    await reply_html(update.effective_message, text[:TELEGRAM_LIMIT])


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Re-read the knowledge and swap the index at once; a broken file keeps the old one."""
    settings = context.bot_data["settings"]
    try:
        engine = await asyncio.to_thread(settings.load_engine)
    except SpeechBotError as exc:
        log.warning("reload failed: %s", exc)
        await update.effective_message.reply_text(messages.RELOAD_FAILED.format(error=one_line(exc)))
        return
    context.bot_data["engine"] = engine  # one assignment: every later update sees the new index
    stats = engine.stats()
    log.info("knowledge reloaded: %d passages, version %s", stats.passages, engine.version)
    await update.effective_message.reply_text(
        messages.RELOAD_OK.format(
            documents=stats.documents, passages=stats.passages, pairs=stats.curated_questions
        )
    )


def one_line(error: Exception) -> str:
    """A knowledge error as one line for a chat: the file's name (never a server path), the line
    number when the parser gave one, and the first line of the problem.

    >>> one_line(SpeechBotError('/srv/k/qa.yaml: not valid YAML: while parsing\\n  in "x", line 108, column 3'))
    'qa.yaml 第108行：not valid YAML: while parsing'
    """
    text = str(error)
    first = text.splitlines()[0] if text else type(error).__name__
    paths = _PATH.findall(first)
    file = PurePath(paths[0]).name if paths else ""
    problem = _PATH.sub(lambda m: PurePath(m.group()).name, first)
    if file:
        problem = problem.removeprefix(f"{file}: ").strip()
    problem = _cut(problem, 200)
    line = _LINE.search(text)
    if file and line:
        return messages.RELOAD_ERROR_AT_LINE.format(file=file, line=line.group(1), problem=problem)
    if file and not problem.startswith(file):
        return messages.RELOAD_ERROR_IN_FILE.format(file=file, problem=problem)
    return problem


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

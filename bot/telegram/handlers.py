"""Messages: questions (text or a photo's caption), edited questions, other inputs, the gate
every update passes first (allowlist, throttling) and the error handler.

No matching here; shared objects (engine, store, settings, flood guards) live in `bot_data`.
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, filters

from bot import messages
from bot.formatting import answer_html, split_html
from bot.telegram import feedback
from bot.telegram.guard import FloodGuard, Verdict
from bot.telegram.replies import (
    answer_markup,
    conversation_of,
    engine_of,
    record,
    reply_of,
    send_answer,
    user_tag,
)

log = logging.getLogger(__name__)


# ---- filters -----------------------------------------------------------------------------------


class AddressedToBot(filters.MessageFilter):
    """Private messages; in groups, messages that mention the bot, reply to it or command it."""

    def filter(self, message: Message) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied and replied.from_user and replied.from_user.id == bot.id:
            return True
        return _mentions(message, bot.username or "", bot.id) or _command_for(message, bot.username or "")


class ForOtherBot(filters.MessageFilter):
    """A command meant for another bot (`/ban@groupadminbot`), or in a group a bare command that
    none of our command handlers took: not our business."""

    def filter(self, message: Message) -> bool:
        if _addressed_elsewhere(message):
            return True
        return message.chat.type != ChatType.PRIVATE and not _command_for(
            message, message.get_bot().username or ""
        )


def _addressed_elsewhere(message: Message) -> bool:
    command = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    _, at, target = command.partition("@")
    return (
        command.startswith("/") and bool(at) and target.lower() != (message.get_bot().username or "").lower()
    )


def _mentions(message: Message, username: str, bot_id: int) -> bool:
    kinds = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    entities = message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    for entity, text in entities.items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
        if entity.type == MessageEntity.MENTION and text.lower() == f"@{username.lower()}":
            return True
    return False


def _command_for(message: Message, username: str) -> bool:
    command = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    return command.startswith("/") and command.lower().endswith(f"@{username.lower()}")


ADDRESSED = AddressedToBot()
FOR_OTHER_BOT = ForOtherBot()
NEW = filters.UpdateType.MESSAGE
EDITED = filters.UpdateType.EDITED_MESSAGE
CAPTIONED = filters.CAPTION & (filters.PHOTO | filters.VIDEO | filters.ANIMATION | filters.Document.ALL)
NON_TEXT = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.Document.ALL
    | filters.ANIMATION
    | filters.VIDEO_NOTE
    | filters.LOCATION
    | filters.CONTACT
)


# ---- the gate (group -1): allowlist and throttling ----------------------------------------------


async def gatekeeper(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ignore chats and users outside ALLOWED_CHAT_IDS; pace users who go too fast."""
    delayed: set[int] = context.bot_data.setdefault("delayed", set())
    if update.update_id in delayed:  # its wait is over
        delayed.discard(update.update_id)
        return
    if not _allowed(update, context):
        if update.callback_query:
            await update.callback_query.answer(messages.NOT_ALLOWED)
        elif update.inline_query:
            await update.inline_query.answer([], cache_time=0, is_personal=True)
        raise ApplicationHandlerStop
    user = update.effective_user
    if user is None:
        return
    if update.callback_query or update.inline_query:
        await _pace_taps(update, context, user.id)
    elif (message := update.message) is not None and (
        ADDRESSED.check_update(update)
        or (filters.COMMAND.check_update(update) and not _addressed_elsewhere(message))
    ):
        await _pace_questions(update, context, user.id)


def _allowed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    allowed = context.bot_data["settings"].allowed_chat_ids
    if not allowed:
        return True
    chat = update.effective_chat
    if chat is not None:
        return chat.id in allowed
    # inline queries and buttons on inline messages have no chat: the user's own chat decides
    user = update.effective_user
    return user is not None and user.id in allowed


async def _pace_taps(update: Update, context: ContextTypes.DEFAULT_TYPE, user_id: int) -> None:
    """Buttons and inline queries have their own, far more generous budget; reading is not spam."""
    verdict: Verdict = context.bot_data["tap_guard"].reserve(user_id)
    if verdict.allowed:
        return
    if verdict.notify:  # once per burst, not once per tap
        log.warning("throttled taps of user %s for %.0f s", user_tag(context, user_id), verdict.wait)
    if update.callback_query:
        await update.callback_query.answer(messages.SLOW_DOWN_TAP.format(seconds=_seconds(verdict.wait)))
    elif update.inline_query:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
    raise ApplicationHandlerStop


async def _pace_questions(update: Update, context: ContextTypes.DEFAULT_TYPE, user_id: int) -> None:
    """Over the rate a question waits for its slot and is answered then; the user is told the
    real wait once. Only a backlog over a minute is refused, and the user is told that too."""
    guard: FloodGuard = context.bot_data["guard"]
    verdict = guard.reserve(user_id)
    if verdict.allowed:
        return
    seconds = _seconds(verdict.wait)
    message = update.message
    if verdict.refused:
        if verdict.notify:  # once per backlog; the user was told, so nothing is dropped silently
            log.warning("refusing messages of user %s: backlog %d s", user_tag(context, user_id), seconds)
            again = _seconds(verdict.wait - guard.max_wait)
            await message.reply_text(messages.TOO_MANY.format(seconds=again))
        raise ApplicationHandlerStop
    if verdict.notify:
        log.warning("throttled user %s: next answer in %d s", user_tag(context, user_id), seconds)
        await message.reply_text(messages.SLOW_DOWN.format(seconds=seconds))
    context.bot_data["delayed"].add(update.update_id)
    context.application.create_task(_later(context.application, update, verdict.wait), update=update)
    raise ApplicationHandlerStop


async def _later(app: Application, update: Update, wait: float) -> None:
    await asyncio.sleep(wait)
    await app.process_update(update)


def _seconds(wait: float) -> int:
    return max(1, round(wait + 0.49))


# ---- questions -----------------------------------------------------------------------------------


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A question in text or in a photo's caption: the passage that answers it, a hedge with the
    alternatives, or an honest decline with the closest topics."""
    if await feedback.capture_reason(update, context):
        return
    message = update.effective_message
    text = question_text(message, context.bot.username or "")
    answer = engine_of(context).answer(text, conversation=conversation_of(update, context))
    await send_answer(update, context, message, answer, text)


async def edited_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited question rewrites the answer it got; an edit of anything else is ignored."""
    message = update.edited_message
    reply_id = reply_of(context, message.message_id)
    if reply_id is None:
        return
    text = question_text(message, context.bot.username or "")
    answer = engine_of(context).answer(text, conversation=conversation_of(update, context))
    vote = record(update, context, text, answer)
    try:
        await context.bot.edit_message_text(
            split_html(answer_html(answer))[0],
            chat_id=message.chat.id,
            message_id=reply_id,
            parse_mode=ParseMode.HTML,
            reply_markup=answer_markup(context, answer, vote),
        )
    except BadRequest as exc:  # unchanged answer, or the old answer was deleted
        log.info("edited question: answer not rewritten (%s)", exc.message)


def question_text(message: Message, username: str) -> str:
    text = message.text or message.caption or ""
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip() if username else text


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos without a caption, voice: a one-line hint to ask in text."""
    await update.effective_message.reply_text(messages.ASK_IN_TEXT, do_quote=None)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command we do not have (admin commands included, for non-admins): the help line."""
    await update.effective_message.reply_html(messages.UNKNOWN_COMMAND_HTML, do_quote=None)


# ---- errors ------------------------------------------------------------------------------------


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error; tell the user something went wrong."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update):
        try:
            if update.callback_query:
                await update.callback_query.answer(messages.ERROR)
            elif update.effective_message:
                await update.effective_message.reply_text(messages.ERROR)
        except Exception:  # the error may be that Telegram is unreachable
            log.warning("could not tell the user about the error", exc_info=True)

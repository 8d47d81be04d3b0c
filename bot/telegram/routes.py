"""One table of commands and one of button kinds: they drive `add_handler`, the command menu
(with its scopes) and the /help text, so adding a command or a button is one entry here.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import messages
from bot.telegram import admin, feedback, handlers, inline, keyboards, reading, searching
from bot.telegram.replies import engine_of, reply_html

log = logging.getLogger(__name__)
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]
DESCRIPTION_CHARS = 512  # Telegram's limits for the bot's description and short description
SHORT_DESCRIPTION_CHARS = 120


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    handler: Handler
    admin: bool = False  # only ADMIN_USER_IDS may use it, and only they see it in the menu
    needs_store: bool = False  # not offered when the feedback database is unavailable

    @property
    def description(self) -> str:
        return messages.COMMAND_DESCRIPTIONS[self.name]

    @property
    def usage(self) -> str:
        """How /help shows it: "/section 3"."""
        example = messages.COMMAND_USAGE.get(self.name)
        return f"/{self.name} {example}" if example else f"/{self.name}"


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """How to ask, and the commands (admins also see theirs)."""
    user = update.effective_user
    is_admin = user is not None and user.id in context.bot_data["settings"].admin_user_ids
    await reply_html(update.effective_message, help_html(context.bot.username or "", admin=is_admin))


COMMANDS: tuple[Command, ...] = (
    Command("start", reading.start),
    Command("help", help_command),
    Command("outline", reading.outline_command),
    Command("section", reading.section_command),
    Command("read", reading.read_command),
    Command("search", searching.search_command),
    Command("stats", admin.stats, admin=True, needs_store=True),
    Command("reload", admin.reload, admin=True),
)


@dataclass(frozen=True, slots=True)
class ButtonKind:
    pattern: re.Pattern[str]
    handler: Handler
    versioned: bool = True  # the data carries the knowledge version; an older one has expired


BUTTONS: tuple[ButtonKind, ...] = (
    ButtonKind(keyboards.OUTLINE, reading.outline_tap),
    ButtonKind(keyboards.PART, reading.part_tap),
    ButtonKind(keyboards.POINT, reading.point_tap),
    ButtonKind(keyboards.READ, reading.read_tap),
    ButtonKind(keyboards.PASSAGE, reading.passage_tap),
    ButtonKind(keyboards.EXAMPLE, reading.example_tap),
    ButtonKind(keyboards.CONTEXT, reading.context_tap),
    ButtonKind(keyboards.UNCONTEXT, reading.uncontext_tap),
    ButtonKind(keyboards.SEARCH, searching.page_tap),
    ButtonKind(keyboards.VOTE, feedback.vote, versioned=False),
)


def help_html(username: str, *, admin: bool = False) -> str:
    """/help, written from the command table."""
    public = [f"{c.usage} {html.escape(c.description)}" for c in COMMANDS if not c.admin]
    parts = [messages.HELP_INTRO_HTML, "\n".join(public)]
    if admin:
        admins = [f"{c.usage} {html.escape(c.description)}" for c in COMMANDS if c.admin]
        parts.append(messages.HELP_ADMIN_TITLE_HTML + "\n" + "\n".join(admins))
    parts.append(messages.HELP_OUTRO_HTML.format(username=html.escape(username)))
    return "\n\n".join(parts)


def add_handlers(app: Application, *, admin_ids: frozenset[int], with_store: bool) -> None:
    """Every handler, in the order they must be tried: the gate first, the catch-alls last."""
    app.add_handler(TypeHandler(Update, handlers.gatekeeper), group=-1)
    admins = filters.User(user_id=admin_ids)  # no ids: nobody is an admin
    for command in COMMANDS:
        if command.needs_store and not with_store:
            continue
        app.add_handler(
            CommandHandler(
                command.name,
                command.handler,
                filters=(admins & handlers.NEW) if command.admin else handlers.NEW,
            )
        )
    for kind in BUTTONS:
        callback = _unexpired(kind.handler) if kind.versioned else kind.handler
        app.add_handler(CallbackQueryHandler(callback, pattern=kind.pattern))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_handler(InlineQueryHandler(inline.inline_query))
    new_command = handlers.NEW & filters.COMMAND
    app.add_handler(MessageHandler(new_command & ~handlers.FOR_OTHER_BOT, handlers.unknown_command))
    app.add_handler(MessageHandler(new_command, _ignore))
    questions = (filters.TEXT | handlers.CAPTIONED) & handlers.ADDRESSED
    app.add_handler(MessageHandler(handlers.NEW & questions, handlers.question))
    app.add_handler(MessageHandler(handlers.EDITED & questions, handlers.edited_question))
    app.add_handler(MessageHandler(handlers.NEW & handlers.NON_TEXT & handlers.ADDRESSED, handlers.non_text))


async def _ignore(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command for another bot, or a bare unknown command in a group: not ours."""


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Data that matches no kind (forged, truncated, from an old version of the bot)."""
    await update.callback_query.answer(messages.STALE_BUTTON)


def _unexpired(handler: Handler) -> Handler:
    """The handler, for buttons made with the current knowledge on a message in a chat."""

    async def checked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if context.match["v"] != engine_of(context).version:
            await query.answer(messages.EXPIRED_BUTTON, show_alert=True)
        elif query.message is None:  # on a message sent through inline mode: no chat to answer in
            await query.answer(messages.INLINE_MESSAGE_BUTTON)
        else:
            await handler(update, context)

    checked.__doc__ = handler.__doc__
    return checked


async def set_up_bot(app: Application) -> None:
    """At start: the command menu (admin commands only in admins' chats) and the bot's
    description from the document's title. A failure is logged, never fatal."""
    settings = app.bot_data["settings"]
    with_store = app.bot_data.get("store") is not None
    offered = [c for c in COMMANDS if with_store or not c.needs_store]
    public = [BotCommand(c.name, c.description) for c in offered if not c.admin]
    everything = [BotCommand(c.name, c.description) for c in offered]
    title = app.bot_data["engine"].documents[0].title
    calls = [app.bot.set_my_commands(public, scope=BotCommandScopeDefault())]
    # an admin's private chat has the admin's user id; it fails until they have started the bot
    calls += [
        app.bot.set_my_commands(everything, scope=BotCommandScopeChat(a))
        for a in sorted(settings.admin_user_ids)
    ]
    calls.append(app.bot.set_my_description(messages.BOT_DESCRIPTION.format(title=title)[:DESCRIPTION_CHARS]))
    calls.append(
        app.bot.set_my_short_description(
            messages.BOT_SHORT_DESCRIPTION.format(title=title)[:SHORT_DESCRIPTION_CHARS]
        )
    )
    for call in calls:
        try:
            await call
        except TelegramError as exc:
            log.warning("could not set the command menu or the description: %s", exc)

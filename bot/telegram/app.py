"""Assemble the Telegram application and run it in polling mode."""

from __future__ import annotations

import logging
import signal
import time
from pathlib import Path

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import ConfigError, Settings
from bot.core.engine import Engine
from bot.telegram import handlers
from bot.telegram.guard import FloodGuard
from bot.telegram.logsafe import setup_logging
from bot.telegram.retry import RetryingRateLimiter

log = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("start", "开始"),
    BotCommand("help", "使用帮助"),
    BotCommand("outline", "讲话提纲"),
    BotCommand("section", "查看某一部分，如 /section 3"),
    BotCommand("search", "按关键词查找"),
]


def build_application(
    settings: Settings,
    engine: Engine,
    *,
    store=None,
    rate_limit: bool = True,
    concurrent_updates: int = 32,
) -> Application:
    """The bot with every handler wired; shared objects on bot_data, nothing global."""
    if not settings.token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in .env")
    limiter = RetryingRateLimiter.with_flood_limits() if rate_limit else RetryingRateLimiter()
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .rate_limiter(limiter)
        .concurrent_updates(concurrent_updates)
        .post_init(_post_init)
    )
    if settings.api_base_url:
        base = settings.api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.removesuffix("/bot") + "/file/bot")
    app = builder.build()
    app.bot_data.update(
        engine=engine,
        store=store,
        settings=settings,
        guard=FloodGuard(settings.user_messages_per_minute),
    )

    app.add_handler(TypeHandler(Update, handlers.gatekeeper), group=-1)
    app.add_handler(CommandHandler("start", handlers.start))
    app.add_handler(CommandHandler("help", handlers.help_command))
    app.add_handler(CommandHandler("outline", handlers.outline_command))
    app.add_handler(CommandHandler("section", handlers.section_command))
    app.add_handler(CommandHandler("search", handlers.search_command))
    if store is not None:
        from bot.feedback import admin

        admin.add_handlers(app, settings.admin_user_ids)
    app.add_handler(CallbackQueryHandler(handlers.button))
    app.add_handler(InlineQueryHandler(handlers.inline_query))
    app.add_handler(MessageHandler(filters.COMMAND, handlers.unknown_command))
    app.add_handler(MessageHandler(filters.TEXT & handlers.ADDRESSED, handlers.question))
    non_text = (
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
    app.add_handler(MessageHandler(non_text & handlers.ADDRESSED, handlers.non_text))
    app.add_error_handler(handlers.error_handler)
    return app


async def _post_init(app: Application) -> None:
    await app.bot.set_my_commands(COMMANDS)


def run(settings: Settings, *, knowledge: Path | None = None) -> int:
    """`speech-bot run`: poll until SIGINT/SIGTERM; retry start-up while the API is unreachable."""
    setup_logging(settings.log_level, settings.token)
    if not settings.token:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in .env (see .env.example)"
        )
    engine = Engine.load(knowledge or settings.knowledge_path, **settings.engine_options())
    store = _open_store(settings)
    log.info("knowledge loaded: %d documents, %d passages", len(engine.documents), len(engine.index.passages))
    delay = 1.0
    try:
        while True:
            app = build_application(settings, engine, store=store)
            try:
                app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1, close_loop=False)
                return 0
            except InvalidToken:
                log.error("Telegram rejected the token: check TELEGRAM_BOT_TOKEN")
                return 2
            except (NetworkError, TelegramError) as exc:
                log.warning("cannot reach the Bot API (%s); retrying in %.0f s", exc, delay)
                if _interruptible_sleep(delay):
                    return 0
                delay = min(delay * 2, 60.0)
    finally:
        if store is not None:
            store.close()


def _open_store(settings: Settings):
    from bot.feedback.store import open_store

    return open_store(settings)


def _interruptible_sleep(seconds: float) -> bool:
    """Sleep, returning True if SIGINT/SIGTERM arrived meanwhile."""
    stopped = False

    def stop(*_: object) -> None:
        nonlocal stopped
        stopped = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        end = time.monotonic() + seconds
        while not stopped and time.monotonic() < end:
            time.sleep(0.1)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if stopped:
        log.info("stopped while waiting to retry")
    return stopped

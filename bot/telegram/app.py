"""Assemble the Telegram application and run it in polling mode."""

from __future__ import annotations

import hashlib
import logging
import signal
import time
from pathlib import Path

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.config import ConfigError, Settings
from bot.core.engine import Engine
from bot.telegram import handlers, routes
from bot.telegram.guard import FloodGuard
from bot.telegram.logsafe import setup_logging
from bot.telegram.retry import RetryingRateLimiter

log = logging.getLogger(__name__)
TAP_ALLOWANCE = 5  # buttons and inline queries may come this many times faster than questions


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
        .post_init(routes.set_up_bot)
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
        tap_guard=FloodGuard(settings.user_messages_per_minute * TAP_ALLOWANCE, max_wait=0.0),
        # signs vote buttons with the chat they were shown in; stable across restarts
        secret=hashlib.sha256(b"speech-bot buttons:" + settings.token.encode()).digest(),
    )
    routes.add_handlers(app, admin_ids=settings.admin_user_ids, with_store=store is not None)
    app.add_error_handler(handlers.error_handler)
    return app


def run(settings: Settings, *, knowledge: Path | None = None) -> int:
    """`speech-bot run`: poll until SIGINT/SIGTERM; retry start-up while the API is unreachable."""
    setup_logging(settings.log_level, settings.token)
    if not settings.token:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in .env (see .env.example)"
        )
    engine = Engine.load(knowledge or settings.knowledge_path, threshold=settings.threshold)
    store = _open_store(settings)
    stats = engine.stats()
    log.info("knowledge loaded: %d documents, %d passages", stats.documents, stats.passages)
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

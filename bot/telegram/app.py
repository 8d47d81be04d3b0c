"""Assemble the Telegram application and run it in polling mode."""

from __future__ import annotations

import hashlib
import logging
import math
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.config import ConfigError, Settings
from bot.core import files
from bot.core.engine import Engine
from bot.telegram import handlers, routes
from bot.telegram.fairness import SENDING_SLOTS, FairUpdateProcessor
from bot.telegram.guard import FloodGuard
from bot.telegram.inbox import Inbox, inbox_path
from bot.telegram.logsafe import setup_logging
from bot.telegram.retry import RetryingRateLimiter

log = logging.getLogger(__name__)
TAP_ALLOWANCE = 5  # buttons and inline queries may come this many times faster than questions


def build_application(
    settings: Settings,
    engine: Engine,
    *,
    store=None,
    inbox=None,
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
        .concurrent_updates(
            FairUpdateProcessor(
                min(concurrent_updates, SENDING_SLOTS) if rate_limit else concurrent_updates,
                wrap=inbox.track if inbox else None,
            )
        )
        .post_init(_post_init)
    )
    if inbox is not None:
        builder = builder.get_updates_request(inbox.request(connection_pool_size=1))
        limiter.after_send = inbox.sent
    if settings.api_base_url:
        base = settings.api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.removesuffix("/bot") + "/file/bot")
    app = builder.build()
    app.bot_data.update(
        engine=engine,
        store=store,
        inbox=inbox,
        settings=settings,
        guard=FloodGuard(settings.user_messages_per_minute),
        tap_guard=FloodGuard(settings.user_messages_per_minute * TAP_ALLOWANCE, max_wait=0.0),
        # signs vote buttons with the chat they were shown in; stable across restarts
        secret=hashlib.sha256(b"speech-bot buttons:" + settings.token.encode()).digest(),
    )
    routes.add_handlers(app, admin_ids=settings.admin_user_ids, with_store=store is not None)
    app.add_error_handler(handlers.error_handler)
    return app


async def _post_init(app: Application) -> None:
    await routes.set_up_bot(app)
    if inbox := app.bot_data.get("inbox"):
        await inbox.replay(app)  # last run's unanswered updates go first


def run(settings: Settings, *, knowledge: Path | None = None) -> int:
    """`speech-bot run`: poll until SIGINT/SIGTERM; retry start-up while the API is unreachable."""
    setup_logging(settings.log_level, settings.token, user_data=settings.log_user_data)
    if not settings.token:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in .env (see .env.example)"
        )
    files.use_limits(settings.knowledge_limits)  # for /reload too
    store = _open_store(settings)  # a newer schema stops here, in one line
    inbox = Inbox(inbox_path(settings.database_path))
    try:
        engine = _load_engine(settings, knowledge or settings.knowledge_path)
        if engine is None:
            return 0
        stats = engine.stats()
        log.info("knowledge loaded: %d documents, %d passages", stats.documents, stats.passages)
        delay = 1.0
        while True:
            app = build_application(settings, engine, store=store, inbox=inbox)
            try:
                app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1, close_loop=False)
                return 0
            except InvalidToken:
                log.error("Telegram rejected the token: check TELEGRAM_BOT_TOKEN")
                return 2
            except (NetworkError, TelegramError) as exc:
                log.warning("cannot reach the Bot API (%s); retrying in %.0f s", exc, delay)
                if _wait_unless_stopped(lambda: False, delay):
                    log.info("stopped while waiting to retry")
                    return 0
                delay = min(delay * 2, 60.0)
    finally:
        inbox.close()
        if store is not None:
            store.close()


def _open_store(settings: Settings):
    from bot.feedback.store import open_store

    return open_store(settings)


def _load_engine(settings: Settings, path: Path) -> Engine | None:
    """The engine, loaded in a thread so that SIGINT/SIGTERM stop start-up at once (None then)."""
    outcome: dict[str, object] = {}

    def load() -> None:
        try:
            outcome["engine"] = settings.load_engine(path)
        except BaseException as exc:  # re-raised in the main thread
            outcome["error"] = exc

    worker = threading.Thread(target=load, name="knowledge-loader", daemon=True)
    worker.start()
    if _wait_unless_stopped(lambda: not worker.is_alive(), math.inf):
        log.info("stopped while loading the knowledge")
        return None
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["engine"]  # type: ignore[return-value]


def _wait_unless_stopped(done: Callable[[], bool], seconds: float) -> bool:
    """Wait until `done()` or `seconds` pass; True if SIGINT/SIGTERM arrived first."""
    stopped = False

    def stop(*_: object) -> None:
        nonlocal stopped
        stopped = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        end = time.monotonic() + seconds
        while not stopped and not done() and time.monotonic() < end:
            time.sleep(0.05)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return stopped

"""Bounded retries for Bot API calls, around PTB's rate limiter.

Every call except getUpdates passes through `process_request`. Transient failures are retried
with exponential backoff: HTTP 5xx and dropped connections (PTB's NetworkError), and 429 after
the server's retry_after, and timeouts that happened before the server could have read the
request (connect, pool, write). Bad requests, forbidden chats and read timeouts are not
retried: after a read timeout the message may have been delivered, and sending it again would
duplicate it.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter, BaseRateLimiter

log = logging.getLogger(__name__)
# Calls that deliver an answer: once one succeeded, the update must not be answered again.
REPLIES = frozenset({"sendMessage", "editMessageText", "answerInlineQuery", "sendPhoto", "sendDocument"})


class RetryingRateLimiter(BaseRateLimiter[int]):
    def __init__(
        self,
        inner: BaseRateLimiter | None = None,
        *,
        attempts: int = 5,
        base_delay: float = 0.25,
        max_delay: float = 8.0,
    ) -> None:
        self._inner = inner
        self.after_send: Callable[[], Awaitable[None]] | None = None  # e.g. the inbox's "answered"
        self._attempts = attempts
        self._base_delay = base_delay
        self._max_delay = max_delay

    @classmethod
    def with_flood_limits(cls) -> RetryingRateLimiter:
        """Telegram's limits via AIORateLimiter: 30 messages/s overall, 20/minute per group."""
        return cls(AIORateLimiter(overall_max_rate=30, group_max_rate=20, max_retries=0))

    async def initialize(self) -> None:
        if self._inner:
            await self._inner.initialize()

    async def shutdown(self) -> None:
        if self._inner:
            await self._inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        delay = self._base_delay
        for attempt in range(1, self._attempts + 1):
            try:
                if self._inner:
                    result = await self._inner.process_request(
                        callback, args, kwargs, endpoint, data, rate_limit_args
                    )
                else:
                    result = await callback(*args, **kwargs)
                if self.after_send is not None and endpoint in REPLIES:
                    await self.after_send()
                return result
            except RetryAfter as exc:
                if attempt == self._attempts:
                    raise
                with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta
                    warnings.simplefilter("ignore")
                    wait = exc.retry_after
                wait = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                log.warning("%s: flood limit, retrying in %.1f s (attempt %d)", endpoint, wait, attempt)
                await asyncio.sleep(min(wait, 60.0))
            except BadRequest:
                raise
            except NetworkError as exc:
                if attempt == self._attempts or (isinstance(exc, TimedOut) and not _before_read(exc)):
                    raise
                log.warning("%s failed (%s), retrying in %.2f s (attempt %d)", endpoint, exc, delay, attempt)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._max_delay)
        raise AssertionError("unreachable")


def _before_read(exc: TimedOut) -> bool:
    return isinstance(exc.__cause__, (httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteTimeout))

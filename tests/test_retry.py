"""The retry policy for Bot API calls: transient failures retried, possible duplicates not."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.telegram.retry import RetryingRateLimiter


def flaky(*failures: BaseException):
    calls = []

    async def callback(*args, **kwargs):
        calls.append(1)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        return {"ok": True}

    return callback, calls


async def send(limiter: RetryingRateLimiter, callback):
    return await limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": 1}, None)


def timed_out(cause: Exception) -> TimedOut:
    try:
        raise TimedOut("Timed out") from cause
    except TimedOut as exc:
        return exc


async def test_5xx_dropped_connections_and_429_are_retried():
    limiter = RetryingRateLimiter(base_delay=0.01)
    callback, calls = flaky(
        NetworkError("Bad Gateway"), RetryAfter(0), NetworkError("httpx.RemoteProtocolError")
    )
    assert await send(limiter, callback) == {"ok": True}
    assert len(calls) == 4


async def test_timeouts_before_the_request_was_read_are_retried():
    limiter = RetryingRateLimiter(base_delay=0.01)
    callback, calls = flaky(timed_out(httpx.ConnectTimeout("x")), timed_out(httpx.PoolTimeout("x")))
    assert await send(limiter, callback) == {"ok": True}
    assert len(calls) == 3


async def test_a_read_timeout_is_not_retried_because_the_message_may_have_arrived():
    limiter = RetryingRateLimiter(base_delay=0.01)
    callback, calls = flaky(timed_out(httpx.ReadTimeout("x")))
    with pytest.raises(TimedOut):
        await send(limiter, callback)
    assert len(calls) == 1


async def test_bad_requests_are_not_retried_and_retries_are_bounded():
    limiter = RetryingRateLimiter(base_delay=0.01, attempts=3)
    callback, calls = flaky(BadRequest("chat not found"))
    with pytest.raises(BadRequest):
        await send(limiter, callback)
    assert len(calls) == 1
    callback, calls = flaky(*[NetworkError("Bad Gateway")] * 10)
    with pytest.raises(NetworkError):
        await send(limiter, callback)
    assert len(calls) == 3

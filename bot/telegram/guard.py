"""Who may talk to the bot, and how fast: the allowlist and a per-user flood guard."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class FloodGuard:
    """A sliding one-minute window per user.

    `check` says "allow", "warn" (the first message over the limit: reply with a slow-down
    note) or "drop" (further messages in the same window: ignore them).
    """

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}
        self._checks = 0

    def check(self, user_id: int) -> str:
        now = self._clock()
        self._checks += 1
        if self._checks % 1000 == 0:
            self.forget_idle()
        window = self._seen.setdefault(user_id, deque())
        while window and now - window[0] >= 60:
            window.popleft()
        if len(window) < self.per_minute:
            window.append(now)
            self._warned.pop(user_id, None)
            return "allow"
        if user_id in self._warned and now - self._warned[user_id] < 60:
            return "drop"
        self._warned[user_id] = now
        return "warn"

    def forget_idle(self) -> None:
        """Drop users with no message in the last minute (every 1000 checks), bounding memory."""
        now = self._clock()
        for user_id in [u for u, w in self._seen.items() if not w or now - w[-1] >= 60]:
            self._seen.pop(user_id, None)
            self._warned.pop(user_id, None)

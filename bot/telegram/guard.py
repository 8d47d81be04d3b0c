"""How fast a user may go: a per-user rate that delays rather than drops.

The generic cell rate algorithm (GCRA, ITU-T I.371 — a token bucket kept as one timestamp per
user): `per_minute` messages at once, then one every `60 / per_minute` seconds. A message over
the rate is not dropped but given the wait until its slot; only a backlog longer than `max_wait`
is refused. The user is told once per backlog (`notify`), with the real wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_MAX_WAIT = 60.0  # seconds: a question may wait this long for its slot, no longer


@dataclass(frozen=True, slots=True)
class Verdict:
    wait: float  # seconds until this update may be handled; 0: now
    notify: bool  # the first delayed (or refused) update of a backlog: tell the user the wait
    refused: bool  # the backlog is longer than max_wait: this update is not handled

    @property
    def allowed(self) -> bool:
        return self.wait <= 0 and not self.refused


class FloodGuard:
    def __init__(
        self,
        per_minute: int,
        *,
        max_wait: float = DEFAULT_MAX_WAIT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_minute = per_minute
        self.interval = 60.0 / per_minute
        self.tolerance = 60.0 - self.interval  # per_minute arrive at once without waiting
        self.max_wait = max_wait
        self._clock = clock
        self._tat: dict[int, float] = {}  # theoretical arrival time of each user's next message
        self._told: dict[int, str] = {}  # users told about their current backlog: "wait" or "refused"
        self._checks = 0

    def reserve(self, user_id: int) -> Verdict:
        """Take the user's next slot; say how long to wait for it."""
        now = self._clock()
        self._checks += 1
        if self._checks % 1000 == 0:
            self.forget_idle()
        tat = max(self._tat.get(user_id, now), now)
        wait = max(0.0, tat - self.tolerance - now)
        if wait <= 0:
            self._told.pop(user_id, None)
        if wait > self.max_wait:
            notify = self._told.get(user_id) != "refused"
            self._told[user_id] = "refused"
            return Verdict(wait, notify, True)
        self._tat[user_id] = tat + self.interval
        notify = wait > 0 and user_id not in self._told
        if notify:
            self._told[user_id] = "wait"
        return Verdict(wait, notify, False)

    def forget_idle(self) -> None:
        """Drop users whose bucket is full again (every 1000 checks), bounding memory."""
        now = self._clock()
        for user_id in [u for u, tat in self._tat.items() if tat <= now]:
            self._tat.pop(user_id, None)
            self._told.pop(user_id, None)

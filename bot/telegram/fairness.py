"""Fair turns when sending is the bottleneck: per-user (per-chat) queues served round robin.

PTB runs up to N updates at once in arrival order, so when replies queue behind Telegram's flood
limit (about 30 messages a second) a user who sent fifty messages delays everyone who wrote after
them. Here each sender has a queue, and a free slot goes to the next sender in turn: every user's
first question is answered before anyone's tenth.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates handled at once while replies wait for the flood limit: a few keep Telegram's 30 messages a
# second busy (an answer takes about 2 ms to compute); more would only wait inside the rate limiter,
# in arrival order, which is exactly what the turns here are for. Not fewer than 8: an update in a
# group that has used its 20 messages a minute holds its slot until the group may speak again.
SENDING_SLOTS = 8
# The base class's own semaphore only bounds how many updates wait here; our slots do the limiting.
MAX_WAITING = 100_000


def sender(update: object) -> Hashable:
    """Whose turn an update belongs to: its chat (in a private chat, the user), else its user.

    A group is one queue: its members share the group's flood limit anyway, and a busy group
    then holds one slot at a time, not all of them.
    """
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
        return ("update", update.update_id)
    return ("object", id(update))


class FairUpdateProcessor(BaseUpdateProcessor):
    """At most `limit` updates at a time; a freed slot goes to the next waiting sender in turn.

    `wrap(update, coroutine)` (optional) is awaited instead of the bare coroutine, e.g. to mark the
    update answered in the durable inbox.
    """

    def __init__(
        self, limit: int, *, wrap: Callable[[object, Awaitable[Any]], Awaitable[None]] | None = None
    ) -> None:
        super().__init__(max_concurrent_updates=MAX_WAITING)
        self.limit = limit
        self._wrap = wrap
        self._running = 0
        self._waiting: OrderedDict[Hashable, deque[asyncio.Future[None]]] = OrderedDict()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self._running < self.limit and not self._waiting:
            self._running += 1
        else:
            turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiting.setdefault(sender(update), deque()).append(turn)
            try:
                await turn  # resolved by _release: a slot was handed over
            except asyncio.CancelledError:
                if turn.done() and not turn.cancelled():
                    self._release()
                else:
                    self._forget(turn)
                if asyncio.iscoroutine(coroutine):
                    coroutine.close()  # never started: no "never awaited" warning
                raise
        try:
            if self._wrap is not None:
                await self._wrap(update, coroutine)
            else:
                await coroutine
        finally:
            self._release()

    def _release(self) -> None:
        """Hand the slot to the sender whose turn it is (who then goes to the back), or free it."""
        while self._waiting:
            key, turns = next(iter(self._waiting.items()))
            turn = turns.popleft()
            if turns:
                self._waiting.move_to_end(key)
            else:
                del self._waiting[key]
            if not turn.done():
                turn.set_result(None)
                return
        self._running -= 1

    def _forget(self, turn: asyncio.Future[None]) -> None:
        for key, turns in list(self._waiting.items()):
            if turn in turns:
                turns.remove(turn)
                if not turns:
                    del self._waiting[key]
                return

    @property
    def waiting(self) -> int:
        return sum(len(t) for t in self._waiting.values())

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""

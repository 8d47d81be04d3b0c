"""What a conversation remembers between questions: the last answer, and when it was given.

One `Conversation` per chat (and per user inside a group chat): the Telegram edge keeps it in
`chat_data`, the terminal chat in a local variable. `Engine.answer(question, conversation=…)`
reads it to resolve follow-ups ("那第二点呢", "详细说说", "还有呢") and records the new answer.
It expires after `ttl` seconds without a question, so an old topic is not dragged into a new one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.answers import Answer

DEFAULT_TTL = 30 * 60.0  # seconds: a follow-up half an hour later starts afresh


@dataclass(slots=True)
class Conversation:
    last: Answer | None = None  # the last answer that showed a passage, a part or the outline
    previous: Answer | None = None  # the one before it ("回到刚才那个")
    updated: float = 0.0  # time.monotonic() of the last question
    ttl: float = DEFAULT_TTL

    def current(self, now: float | None = None) -> Answer | None:
        """The last answer, unless the conversation has been idle longer than `ttl`."""
        now = time.monotonic() if now is None else now
        if self.last is not None and now - self.updated > self.ttl:
            self.last = self.previous = None
        return self.last

    def remember(self, answer: Answer, now: float | None = None) -> None:
        """Note that a question was asked; keep the answer when it is something to follow up on."""
        self.updated = time.monotonic() if now is None else now
        if not answer.matched:
            return
        if self.last is not None and _shows(answer) != _shows(self.last):
            self.previous = self.last  # a new topic: the old one is one step back
        self.last = answer


def _shows(answer: Answer) -> tuple[str, str | None, str]:
    return answer.kind, answer.key, answer.answer

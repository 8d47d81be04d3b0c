"""Inline keyboards and their callback data: at most 64 bytes, parsed strictly.

Formats: ``q:N`` example question, ``a:KEY`` answer a passage, ``c:KEY`` more context,
``p:N`` part N, ``f:u|d:ID`` feedback on question row ID, ``s:PAGE:WORD`` search page.
Anything else (forged, truncated, from an older version) parses to None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import messages
from bot.core.engine import Answer, Engine

MAX_CALLBACK_BYTES = 64
_KEY = r"\d{1,4}:\d{1,4}\.(?:h|\d{1,4}\.\d{1,4})"
_PATTERNS = {
    "q": re.compile(r"q:(\d{1,2})"),
    "a": re.compile(rf"a:({_KEY})"),
    "c": re.compile(rf"c:({_KEY})"),
    "p": re.compile(r"p:(\d{1,2})"),
    "f": re.compile(r"f:([ud]):(\d{1,12})"),
    "s": re.compile(r"s:(\d{1,3}):(.{1,40})", re.DOTALL),
}


@dataclass(frozen=True, slots=True)
class Callback:
    kind: str
    args: tuple[str, ...]


def parse(data: str | None) -> Callback | None:
    if not data or len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        return None
    pattern = _PATTERNS.get(data[:1])
    match = pattern.fullmatch(data) if pattern else None
    return Callback(data[:1], match.groups()) if match else None


def _button(text: str, data: str) -> InlineKeyboardButton:
    assert len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES, data
    return InlineKeyboardButton(text[:60], callback_data=data)


def examples() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(q, f"q:{i}")] for i, q in enumerate(messages.EXAMPLE_QUESTIONS)])


def answer_buttons(answer: Answer, question_id: int | None) -> InlineKeyboardMarkup | None:
    """更多上下文 and 👍/👎 under an answer; suggestion buttons under a decline."""
    if not answer.matched:
        rows = [[_button(s.label, f"a:{s.key}")] for s in answer.suggestions]
        return InlineKeyboardMarkup(rows) if rows else None
    rows = []
    if answer.key and re.fullmatch(_KEY, answer.key):
        rows.append([_button(messages.MORE_CONTEXT, f"c:{answer.key}")])
    qid = question_id or 0
    rows.append([_button(messages.FEEDBACK_UP, f"f:u:{qid}"), _button(messages.FEEDBACK_DOWN, f"f:d:{qid}")])
    return InlineKeyboardMarkup(rows)


def outline(engine: Engine) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(part.heading, f"p:{part.number}")] for part in engine.outline()])


def search_pages(keyword: str, page: int, pages: int) -> InlineKeyboardMarkup | None:
    """Previous/next buttons, when the keyword fits in the callback data."""
    if pages <= 1 or len(f"s:{pages}:{keyword}".encode()) > MAX_CALLBACK_BYTES:
        return None
    row = []
    if page > 1:
        row.append(_button(messages.PREVIOUS_PAGE, f"s:{page - 1}:{keyword}"))
    if page < pages:
        row.append(_button(messages.NEXT_PAGE, f"s:{page + 1}:{keyword}"))
    return InlineKeyboardMarkup([row])

"""Inline keyboards and their callback data: at most 64 bytes, one strict pattern per kind.

Every kind that shows knowledge carries the knowledge version V (`Engine.version`): a button
made before a /reload that changed the knowledge says it expired instead of opening another
passage. Votes carry a signature S of (chat, question row), so data copied onto another chat's
message is refused.

    o:V              the outline                 p:V:N          part N and its point buttons
    t:V:N:M          point M of part N           r:V:N          part N in full
    a:V:KEY          one passage                 q:V:I          example question I
    x:V:KEY:B:Q:S    more context (edit)         y:V:KEY:B:Q:S  back to the answer (edit)
    s:V:PAGE:WORDS   a page of search hits       f:u|d:Q:S      a vote on question row Q

B is where "back" returns: ``N.M`` a point, ``-`` the passage KEY. Anything else (forged,
truncated, from an older version of the bot) matches no pattern and gets a polite answer.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import messages
from bot.core.answers import UNSURE, Answer, OutlinePart
from bot.core.text import shorten

MAX_CALLBACK_BYTES = 64
_V = r"(?P<v>[0-9a-f]{1,16})"
_KEY = r"(?P<key>\d{1,4}:\d{1,4}\.(?:h|\d{1,4}\.\d{1,4}))"
_SIGNED = r"(?P<q>\d{1,12}):(?P<sig>[0-9a-f]{8})"
_BACK = r"(?P<back>-|\d{1,2}\.\d{1,2})"

OUTLINE = re.compile(rf"o:{_V}\Z")
PART = re.compile(rf"p:{_V}:(?P<n>\d{{1,2}})\Z")
POINT = re.compile(rf"t:{_V}:(?P<n>\d{{1,2}}):(?P<m>\d{{1,2}})\Z")
READ = re.compile(rf"r:{_V}:(?P<n>\d{{1,2}})\Z")
PASSAGE = re.compile(rf"a:{_V}:{_KEY}\Z")
EXAMPLE = re.compile(rf"q:{_V}:(?P<i>\d{{1,2}})\Z")
CONTEXT = re.compile(rf"x:{_V}:{_KEY}:{_BACK}:{_SIGNED}\Z")
UNCONTEXT = re.compile(rf"y:{_V}:{_KEY}:{_BACK}:{_SIGNED}\Z")
SEARCH = re.compile(rf"s:{_V}:(?P<page>\d{{1,4}}):(?P<words>.{{1,40}})\Z", re.DOTALL)
VOTE = re.compile(rf"f:(?P<vote>[ud]):{_SIGNED}\Z")


# Answers that already show a whole part or paragraph: no 更多上下文 under them.
NO_CONTEXT_BUTTON = frozenset({"part", "part_full", "outline", "points", "context"})
# Replies that point the user to the outline when they offer nothing else to tap.
WITH_OUTLINE_BUTTON = frozenset({"declined", "foreign", "clarify", "end"})


def sign(secret: bytes, chat_id: int, question_id: int) -> str:
    """Eight hex digits binding a question row to the chat its answer was shown in."""
    return hmac.new(secret, f"{chat_id}:{question_id}".encode(), hashlib.sha256).hexdigest()[:8]


def _button(text: str, data: str) -> InlineKeyboardButton:
    assert len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES, data
    return InlineKeyboardButton(text[:60], callback_data=data)


def fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES


class Keyboards:
    """Builds keyboards for one knowledge version; `vote` rows for one shown answer."""

    def __init__(self, version: str) -> None:
        self.v = version

    def examples(self) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            [[_button(q, f"q:{self.v}:{i}")] for i, q in enumerate(messages.EXAMPLE_QUESTIONS)]
        )

    def outline(self, outline: list[OutlinePart]) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[_button(p.heading, f"p:{self.v}:{p.number}")] for p in outline])

    def answer(
        self, answer: Answer, vote: tuple[int, str] | None, outline: list[OutlinePart] | None = None
    ) -> InlineKeyboardMarkup | None:
        """The buttons under an answer: alternatives or closest topics, more context, navigation
        through parts and points (for part and point views), and 👍/👎 on every shown passage."""
        rows: list[list[InlineKeyboardButton]] = []
        if not answer.matched or answer.band == UNSURE:
            rows += [
                [_button(suggestion_label(s.location, s.label), f"a:{self.v}:{s.key}")]
                for s in answer.suggestions
            ]
        if not answer.matched:
            if not rows and answer.kind in WITH_OUTLINE_BUTTON:
                rows.append([_button(messages.OPEN_OUTLINE, f"o:{self.v}")])
            return InlineKeyboardMarkup(rows) if rows else None
        if answer.kind == "outline" and outline:  # "讲话分哪几个部分": the parts, to open
            rows += self.outline(outline).inline_keyboard
        back = f"{answer.part}.{answer.point}" if answer.kind == "point" else "-"
        if vote and answer.key and answer.kind not in NO_CONTEXT_BUTTON:
            qid, sig = vote
            data = f"x:{self.v}:{answer.key}:{back}:{qid}:{sig}"
            if CONTEXT.match(data):
                rows.append([_button(messages.MORE_CONTEXT, data)])
        if outline and answer.part is not None:
            rows += self.navigation(answer, outline)
        if vote:
            rows.append(self.vote_row(*vote))
        return InlineKeyboardMarkup(rows) if rows else None

    def navigation(self, answer: Answer, outline: list[OutlinePart]) -> list[list[InlineKeyboardButton]]:
        by_number = {p.number: p for p in outline}
        part = by_number.get(answer.part or 0)
        if part is None:
            return []
        rows: list[list[InlineKeyboardButton]] = []
        if answer.kind in ("part", "points", "part_full"):
            if answer.kind != "part_full":
                rows += [
                    [_button(title, f"t:{self.v}:{part.number}:{m}")]
                    for m, title in enumerate(part.points, 1)
                ]
                rows.append([_button(messages.READ_FULL, f"r:{self.v}:{part.number}")])
            rows.append([_button(messages.BACK_TO_OUTLINE, f"o:{self.v}")])
            return rows
        if answer.kind != "point" or answer.point is None:  # a passage answering a question: no paging
            return []
        steps = []
        if (prev := _step(outline, part.number, answer.point, -1)) is not None:
            steps.append(_button(messages.PREVIOUS_POINT, f"t:{self.v}:{prev[0]}:{prev[1]}"))
        if (nxt := _step(outline, part.number, answer.point, +1)) is not None:
            steps.append(_button(messages.NEXT_POINT, f"t:{self.v}:{nxt[0]}:{nxt[1]}"))
        if steps:
            rows.append(steps)
        rows.append(
            [
                _button(messages.BACK_TO_PART.format(number=part.number), f"p:{self.v}:{part.number}"),
                _button(messages.BACK_TO_OUTLINE, f"o:{self.v}"),
            ]
        )
        return rows

    def context(self, key: str, back: str, vote: tuple[int, str]) -> InlineKeyboardMarkup:
        qid, sig = vote
        return InlineKeyboardMarkup(
            [
                [_button(messages.BACK_TO_ANSWER, f"y:{self.v}:{key}:{back}:{qid}:{sig}")],
                self.vote_row(qid, sig),
            ]
        )

    @staticmethod
    def vote_row(qid: int, sig: str, chosen: str | None = None) -> list[InlineKeyboardButton]:
        up = messages.FEEDBACK_UP_CHOSEN if chosen == "u" else messages.FEEDBACK_UP
        down = messages.FEEDBACK_DOWN_CHOSEN if chosen == "d" else messages.FEEDBACK_DOWN
        return [_button(up, f"f:u:{qid}:{sig}"), _button(down, f"f:d:{qid}:{sig}")]

    def search(self, words: str, page: int, pages: int, keys: list[str], first: int) -> InlineKeyboardMarkup:
        """A numbered button per hit on the page, then previous/next when the words fit."""
        rows = [[_button(str(n), f"a:{self.v}:{key}") for n, key in enumerate(keys, first)]]
        nav = []
        if page > 1 and fits(f"s:{self.v}:{page - 1}:{words}"):
            nav.append(_button(messages.PREVIOUS_PAGE, f"s:{self.v}:{page - 1}:{words}"))
        if page < pages and fits(f"s:{self.v}:{page + 1}:{words}"):
            nav.append(_button(messages.NEXT_PAGE, f"s:{self.v}:{page + 1}:{words}"))
        if nav:
            rows.append(nav)
        return InlineKeyboardMarkup(rows)


def with_vote_shown(markup: InlineKeyboardMarkup | None, chosen: str) -> InlineKeyboardMarkup | None:
    """The same keyboard with the vote buttons showing `chosen` ("u" or "d")."""
    if markup is None:
        return None
    rows = []
    for row in markup.inline_keyboard:
        vote = [b for b in row if isinstance(b.callback_data, str) and VOTE.match(b.callback_data)]
        if vote:
            match = VOTE.match(vote[0].callback_data)
            rows.append(Keyboards.vote_row(int(match["q"]), match["sig"], chosen))
        else:
            rows.append(list(row))
    return InlineKeyboardMarkup(rows)


def suggestion_label(location: str, label: str) -> str:
    """A suggestion button says where it leads: "第二部分 · 第三点：利用多种媒体平台"."""
    label = shorten(label, 24)
    return messages.SUGGESTION_BUTTON.format(location=location, label=label) if location else label


def _step(outline: list[OutlinePart], part: int, point: int, delta: int) -> tuple[int, int] | None:
    """The point before or after (part, point), crossing into the neighbouring parts."""
    numbered = [(p.number, m) for p in outline for m in range(1, len(p.points) + 1)]
    try:
        at = numbered.index((part, point))
    except ValueError:
        return None
    to = at + delta
    return numbered[to] if 0 <= to < len(numbered) else None

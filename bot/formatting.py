"""Turn core answers into what a user reads: plain text for the terminal, HTML for Telegram.

One renderer: an answer becomes lines of styled segments, and the same lines are written out as
plain text or as HTML. Every user-derived or knowledge-derived value is escaped in HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import replace

from bot import messages
from bot.core.answers import UNSURE, Answer, ContextView, OutlinePart, SearchHit, Suggestion
from bot.core.text import CN_NUMERAL, cn_numeral

TELEGRAM_LIMIT = 4096

# A segment is (text, style); style is "" (plain), "b" (bold), "i" (italic) or "u" (the focus).
Segment = tuple[str, str]
Line = list[Segment]


def answer_lines(answer: Answer, *, list_suggestions: bool = False) -> list[Line]:
    """What a reply says, line by line, whatever the medium. Telegram shows suggestions as
    buttons; the terminal lists them (`list_suggestions`). An answer about a second thing asked
    at once follows, under what it answers."""
    lines = _one_answer_lines(answer, list_suggestions=list_suggestions)
    for other in answer.more:
        lines.append([("", "")])
        lines.append([(messages.ALSO_ASKED.format(question=other.question), "i")])
        lines.extend(_one_answer_lines(replace(other, truncated=0, suggestions=[]), list_suggestions=False))
    return lines


def _one_answer_lines(answer: Answer, *, list_suggestions: bool) -> list[Line]:
    lines: list[Line] = []
    if answer.truncated:
        lines.append([(messages.TOO_LONG_NOTE.format(limit=answer.truncated), "i")])
    if answer.kind == "empty":
        return [[(messages.EMPTY_QUESTION, "")]]
    if answer.kind in ("no_part", "no_point"):
        template = messages.NO_SUCH_PART if answer.kind == "no_part" else messages.NO_SUCH_POINT
        if answer.kind == "no_point" and not answer.limit:
            template = messages.NO_POINTS
        text = template.format(
            part=cn_numeral(answer.part or 0), point=cn_numeral(answer.point or 0), limit=answer.limit
        )
        return [*lines, [(text, "")]]
    simple = {
        "smalltalk": messages.SMALLTALK.get(answer.smalltalk or "", messages.SMALLTALK["ack"]),
        "clarify": messages.CLARIFY,
        "foreign": messages.FOREIGN,
        "end": messages.END_OF_DOCUMENT,
    }
    if answer.kind in simple:
        lines.append([(simple[answer.kind], "")])
        if answer.suggestions:  # "不对": the other passages close to the last question
            lines.append([(messages.COMPLAINT_SUGGEST, "")])
            if list_suggestions:
                lines.extend(_listed(answer.suggestions))
        return lines
    if not answer.matched:
        detail = messages.MISSING_DETAIL.get(answer.missing or "")
        if not (detail and answer.related):  # the topic is there, only the detail is not
            lines.append([(messages.DECLINED, "")])
        if detail:
            lines.append([(detail, "")])
        tail = messages.DECLINED_SUGGEST if answer.suggestions else messages.DECLINED_NO_SUGGEST
        if detail and answer.related and answer.suggestions:
            tail = messages.DECLINED_RELATED
        lines.append([(tail, "")])
        if list_suggestions:
            lines.extend(_listed(answer.suggestions))
        return lines
    if answer.band == UNSURE:
        lines.append([(messages.UNSURE, "i")])
    if answer.kind == "where":
        lines.append([(messages.WHERE_IT_IS.format(location=answer.location), "")])
    if answer.kind == "quote" and answer.focus:
        start, end = answer.focus
        lines.append([(messages.QUOTED_BY.format(who=answer.answer[start:end]), "")])
    if answer.kind == "outline":
        count = answer.limit or answer.answer.count("\n") + 1
        lines.append([(messages.OUTLINE_TITLE.format(count=count), "b")])
        paragraphs = answer.answer.split("\n")  # the headings, then the closing's summing-up if any
        lines.extend([(heading, "")] for heading in paragraphs[:count])
        lines.extend([(messages.OUTLINE_SUMMED_UP.format(text=text), "i")] for text in paragraphs[count:])
        lines.append([(messages.LOCATION.format(location=answer.location), "i")])
        return lines
    elif answer.section:
        lines.append([(answer.section, "b")])
    if answer.kind in ("part", "points") and answer.limit:
        lines.append([(messages.PART_POINTS.format(count=cn_numeral(answer.limit)), "")])
    elif answer.kind == "part" and answer.point:  # a point asked of a part that has none
        lines.append([(messages.PART_NO_POINTS, "")])
    if answer.focus and "\n" not in answer.answer:  # the answering sentence within its neighbours
        start, end = answer.focus
        text = answer.answer
        lines.append(
            [seg for seg in ((text[:start], ""), (text[start:end], "u"), (text[end:], "")) if seg[0]]
        )
    else:
        lines.extend([(paragraph, "")] for paragraph in answer.answer.split("\n"))
    lines.append([(messages.LOCATION.format(location=answer.location), "i")])
    if list_suggestions and answer.band == UNSURE and answer.suggestions:
        lines.append([(messages.UNSURE_OTHERS, "")])
        lines.extend(_listed(answer.suggestions))
    return lines


def _listed(suggestions: Sequence[Suggestion]) -> list[Line]:
    """Suggestions as terminal lines, each with where it sits."""
    return [[(f"  · {s.label}（{s.location}）" if s.location else f"  · {s.label}", "")] for s in suggestions]


def context_lines(view: ContextView) -> list[Line]:
    """The "more context" view, the answered passage marked as the focus."""
    start, end = view.focus
    text = view.text
    body: Line = (
        [(text[:start], ""), (text[start:end], "u"), (text[end:], "")] if end > start else [(text, "")]
    )
    lines: list[Line] = [[(messages.CONTEXT_TITLE, "")]]
    if view.section:
        lines.append([(view.section, "b")])
    lines.append([seg for seg in body if seg[0]])
    lines.append([(messages.LOCATION.format(location=view.location), "i")])
    return lines


def search_lines(
    hits: Sequence[SearchHit], keywords: str, *, total: int, page: int, pages: int, first: int
) -> list[Line]:
    """A page of search hits, numbered from `first`, each keyword occurrence bold, each hit's place."""
    lines: list[Line] = [
        [(messages.SEARCH_HEADER.format(keyword=keywords, count=total, page=page, pages=pages), "")]
    ]
    for n, hit in enumerate(hits, first):
        line: Line = [(f"{n}. ", "")]
        at = 0
        for start, end in hit.spans:
            line += [(hit.text[at:start], ""), (hit.text[start:end], "b")]
            at = end
        line.append((hit.text[at:], ""))
        lines += [[("", "")], [seg for seg in line if seg[0]]]
        if hit.location:
            lines.append([(messages.LOCATION.format(location=hit.location), "i")])
    return lines


def plain(lines: Sequence[Line]) -> str:
    """Lines as terminal text; the focus is set off with ▶ ◀ and a section in 【】."""
    out = []
    for line in lines:
        pieces = []
        for text, style in line:
            if style == "u":
                text = f"▶{text}◀"
            elif style == "b":
                text = f"【{text}】"
            pieces.append(text)
        out.append("".join(pieces))
    return "\n".join(out)


def to_html(lines: Sequence[Line]) -> str:
    """Lines as Telegram HTML (parse_mode HTML), every value escaped."""
    return "\n".join(
        "".join(f"<{s}>{html.escape(t)}</{s}>" if s else html.escape(t) for t, s in line) for line in lines
    )


def answer_text(answer: Answer) -> str:
    return plain(answer_lines(answer, list_suggestions=True))


def answer_html(answer: Answer) -> str:
    return to_html(answer_lines(answer))


def context_text(view: ContextView) -> str:
    return plain(context_lines(view))


def context_html(view: ContextView) -> str:
    return to_html(context_lines(view))


def outline_line(outline: Sequence[OutlinePart]) -> str:
    """The parts' headings in one line, without their numbers and the speech's 要以 preamble."""
    return "；".join(re.sub(rf"^[{CN_NUMERAL}]+、(?:要以)?", "", part.heading) for part in outline)


_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split HTML into messages of at most `limit` characters.

    Cuts at line ends where possible, never inside a tag or an entity, and closes and reopens
    the tags that are open at a cut, so every piece is valid on its own.
    """
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = _cut_point(rest, limit - 32)  # room for closing/reopening tags
        head, rest = rest[:cut], rest[cut:].lstrip("\n")
        open_tags = _open_tags(head)
        head += "".join(f"</{t}>" for t in reversed(open_tags))
        rest = "".join(f"<{t}>" for t in open_tags) + rest
        pieces.append(head)
    if rest.strip():
        pieces.append(rest)
    return pieces


def _cut_point(text: str, limit: int) -> int:
    window = text[:limit]
    for sep in ("\n", "。", "；", "，", " "):
        at = window.rfind(sep)
        if at > limit // 2:
            cut = at + 1
            break
    else:
        cut = limit
    # never inside a tag (<...>) or an entity (&...;)
    lt, gt = text.rfind("<", 0, cut), text.rfind(">", 0, cut)
    if lt > gt:
        cut = lt
    amp, semi = text.rfind("&", 0, cut), text.rfind(";", 0, cut)
    if amp > semi and cut - amp < 10:
        cut = amp
    return max(cut, 1)


def _open_tags(fragment: str) -> list[str]:
    stack: list[str] = []
    for closing, name in _TAG.findall(fragment):
        if closing:
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name)]
        else:
            stack.append(name)
    return stack

"""Turn core answers into what a user reads: plain text for the terminal, HTML for Telegram.

Every user-derived or knowledge-derived value is escaped before it goes into HTML.
"""

from __future__ import annotations

import html
import re

from bot import messages
from bot.core.engine import Answer

TELEGRAM_LIMIT = 4096


def answer_text(answer: Answer, *, outline_count: int = 0) -> str:
    """A reply for the terminal."""
    if answer.kind == "empty":
        return messages.EMPTY_QUESTION
    if not answer.matched:
        lines = [messages.DECLINED]
        if answer.suggestions:
            lines.append(messages.DECLINED_SUGGEST)
            lines += [f"  · {s.label}" for s in answer.suggestions]
        else:
            lines.append(messages.DECLINED_NO_SUGGEST)
        return "\n".join(lines)
    lines = []
    if answer.kind == "outline":
        lines.append(messages.OUTLINE_TITLE.format(count=outline_count or answer.answer.count("\n") + 1))
    elif answer.section:
        lines.append(f"【{answer.section}】")
    lines.append(answer.answer)
    lines.append(messages.LOCATION.format(location=answer.location))
    return "\n".join(lines)


def answer_html(answer: Answer) -> str:
    """A reply for Telegram (parse_mode HTML)."""
    if answer.kind == "empty":
        return html.escape(messages.EMPTY_QUESTION)
    if not answer.matched:
        tail = messages.DECLINED_SUGGEST if answer.suggestions else messages.DECLINED_NO_SUGGEST
        return f"{html.escape(messages.DECLINED)}\n{html.escape(tail)}"
    parts = []
    if answer.kind == "outline":
        parts.append(
            f"<b>{html.escape(messages.OUTLINE_TITLE.format(count=answer.answer.count(chr(10)) + 1))}</b>"
        )
    elif answer.section:
        parts.append(f"<b>{html.escape(answer.section)}</b>")
    parts.append(html.escape(answer.answer))
    parts.append(f"<i>{html.escape(messages.LOCATION.format(location=answer.location))}</i>")
    return "\n".join(parts)


def outline_line(outline: list[tuple[int, str, list[str]]]) -> str:
    """The parts' headings in one line, without their numbers and the speech's 要以 preamble."""
    return "；".join(re.sub(r"^[一二三四五六七八九十]+、(?:要以)?", "", heading) for _, heading, _ in outline)


def context_text(heading: str | None, paragraph: str) -> str:
    return "\n".join([messages.CONTEXT_TITLE, *([f"【{heading}】"] if heading else []), paragraph])


def context_html(heading: str | None, paragraph: str) -> str:
    head = f"<b>{html.escape(heading)}</b>\n" if heading else ""
    return f"{html.escape(messages.CONTEXT_TITLE)}\n{head}{html.escape(paragraph)}"


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

"""Keyword search over sentences: every sentence holding all the keywords, in document order.

Matching is done on folded text (width, case, Traditional -> Simplified), and each hit carries
the spans of the keywords in the sentence *as written*, so an edge can highlight them before it
escapes anything (`/search 隱患` marks 隐患; `/search ＡＢＣ` marks ABC).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.core.answers import SearchHit

Span = tuple[int, int]


def find(
    sentences: Sequence[tuple[str, str, str]],
    keywords: str,
    normalize: Callable[[str], str],
    *,
    limit: int = 200,
) -> list[SearchHit]:
    """`sentences` are (key, text as written, location); `keywords` are separated by spaces and
    must all occur.

    >>> find([("k", "Don't 隐患", "")], "DON 隐患", str.lower)[0].spans
    ((0, 3), (6, 8))
    """
    needles = list(dict.fromkeys(n for n in normalize(keywords).split() if n))
    if not needles:
        return []
    folded_chars: dict[str, str] = {}  # each character folded once per search

    def fold_char(ch: str) -> str:
        if ch not in folded_chars:
            folded_chars[ch] = normalize(ch) if not ch.isspace() else " "
        return folded_chars[ch]

    hits = []
    for key, text, location in sentences:
        folded = normalize(text)
        if all(n in folded for n in needles):
            hits.append(SearchHit(key, text, location, spans(text, needles, fold_char)))
            if len(hits) == limit:
                break
    return hits


def spans(text: str, needles: Sequence[str], fold_char: Callable[[str], str]) -> tuple[Span, ...]:
    """Where the folded needles occur in `text`, as [start, end) offsets into the original.

    Each character is folded on its own and the folded text keeps, for every folded character,
    the original character it came from; overlapping occurrences are merged.
    """
    folded: list[str] = []
    origin: list[int] = []  # origin[k]: index in `text` of folded character k
    for i, ch in enumerate(text):
        piece = fold_char(ch)
        folded.append(piece)
        origin.extend([i] * len(piece))
    haystack = "".join(folded)
    found: list[Span] = []
    for needle in needles:
        at = haystack.find(needle)
        while at >= 0:
            found.append((origin[at], origin[at + len(needle) - 1] + 1))
            at = haystack.find(needle, at + len(needle))
    merged: list[Span] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)

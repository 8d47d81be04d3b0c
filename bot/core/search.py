"""Keyword search over sentences: every sentence holding all the keywords, in document order.

Matching is done on folded text (width, case, Traditional -> Simplified), and each hit carries
the spans of the keywords in the sentence *as written*, so an edge can highlight them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.core.answers import SearchHit


def find(
    sentences: Sequence[tuple[str, str, str]],
    keywords: str,
    normalize: Callable[[str], str],
    *,
    limit: int = 200,
) -> list[SearchHit]:
    """`sentences` are (key, text as written, location); `keywords` are separated by spaces."""
    needles = [n for n in normalize(keywords).split() if n]
    if not needles:
        return []
    hits = []
    for key, text, location in sentences:
        folded = normalize(text)
        if all(n in folded for n in needles):
            hits.append(SearchHit(key, text, location, ()))
            if len(hits) == limit:
                break
    return hits

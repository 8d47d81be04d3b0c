"""Okapi BM25 over pre-tokenised units, with an inverted index built once."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence


class Bm25:
    """Score units against a query; units are term lists, prepared once at build time."""

    __slots__ = ("_postings", "idf")

    def __init__(self, units: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        lengths = [len(u) for u in units]
        avgdl = (sum(lengths) / len(lengths)) if lengths and sum(lengths) else 1.0
        df: Counter[str] = Counter()
        postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, terms in enumerate(units):
            norm = k1 * (1 - b + b * lengths[i] / avgdl)
            for term, tf in Counter(terms).items():
                df[term] += 1
                # The tf saturation part of BM25, so a query only multiplies by idf.
                postings[term].append((i, tf * (k1 + 1) / (tf + norm)))
        n = len(units)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self._postings = dict(postings)

    def scores(self, counts: Mapping[str, int]) -> dict[int, float]:
        """Unit index -> BM25 score, for the units that share a term with the query (its terms
        counted: `Counter(terms)`, counted once for all levels)."""
        out: dict[int, float] = {}
        get = out.get
        for term, qtf in counts.items():
            posting = self._postings.get(term)
            if not posting:
                continue
            weight = self.idf[term] * (1.0 if qtf == 1 else 1.0 + 0.2 * (qtf - 1))
            for i, sat in posting:
                out[i] = get(i, 0.0) + weight * sat
        return out

    def units(self, term: str) -> set[int]:
        """The units holding the term."""
        return {i for i, _ in self._postings.get(term, ())}

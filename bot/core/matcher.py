"""Rank passages for a question and say how sure the match is.

Ranking: BM25 on the sentence, plus BM25 of its context (point, paragraph, part heading) and of
the curated questions that point at it, each with a weight. Confidence (0..1): how much of the
question's meaning the best passage and its context account for, each question word weighted
by how informative it is in general Chinese (jieba's IDF), so a question that merely shares a
common word such as 安全 with the speech stays below the threshold. A curated question that
rapidfuzz finds nearly identical to the question vouches for its passage directly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.index import Index, pinyin_key
from bot.core.lexicon import Tokenizer
from bot.core.resources import LanguageResources
from bot.core.text import CJK, Normalizer


@dataclass(frozen=True, slots=True)
class Weights:
    point: float = 0.5
    paragraph: float = 0.25
    heading: float = 0.35
    question: float = 0.8
    fuzzy_question: float = 6.0  # added per unit of rapidfuzz similarity above the floor
    fuzzy_floor: float = 70.0  # rapidfuzz ratio (0..100) from which a curated question vouches
    paragraph_credit: float = 0.5  # a word found only elsewhere in the paragraph counts this much
    repaired_credit: float = 0.9  # a word matched only after typo repair counts this much
    max_word_weight: float = 12.0


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # normalised question
    words: tuple[str, ...]  # content words after synonym folding and typo repair
    terms: tuple[str, ...]  # words plus sub-words, for BM25
    repaired: frozenset[str]  # words that typo repair produced


@dataclass(frozen=True, slots=True)
class Hit:
    passage: int
    score: float
    confidence: float


class Matcher:
    def __init__(
        self,
        index: Index,
        tokenizer: Tokenizer,
        normalize: Normalizer,
        language: LanguageResources,
        weights: Weights | None = None,
    ) -> None:
        self.index = index
        self._tokenizer = tokenizer
        self.normalize = normalize
        self._language = language
        self.weights = weights or Weights()
        self._by_length: defaultdict[int, list[str]] = defaultdict(list)
        for word in index.vocabulary:
            if CJK.match(word):
                self._by_length[len(word)].append(word)
        self._paragraph_text = [normalize(p) for p in index.paragraphs]

    def analyse(self, question: str) -> Query:
        text = self.normalize(question)
        words: list[str] = []
        repaired: set[str] = set()
        for word in self._tokenizer.words(text):
            fixed = self._repair(word)
            if fixed != word:
                repaired.add(fixed)
            words.append(fixed)
        return Query(text, tuple(words), tuple(self._tokenizer.terms(words)), frozenset(repaired))

    def _repair(self, word: str) -> str:
        """A word the index does not know, replaced by a known word it was probably typed for."""
        if word in self.index.vocabulary or len(word) < 2 or not CJK.match(word):
            return word
        key = pinyin_key(word, self._language)
        if key and (known := self.index.by_pinyin.get(key)):
            return known
        if len(word) >= 4:  # one wrong character in a long term: 安全生铲 -> 安全生产
            best = process.extractOne(
                word, self._by_length.get(len(word), ()), scorer=fuzz.ratio, score_cutoff=74
            )
            if best:
                return best[0]
        return word

    def rank(self, query: Query, *, limit: int = 5, kinds: tuple[str, ...] | None = None) -> list[Hit]:
        """The best passages for the query, most likely first (empty when nothing matches)."""
        index, w = self.index, self.weights
        if not query.terms:
            return []
        sentence = index.sentence_level.scores(query.terms)
        point = index.point_level.scores(query.terms)
        paragraph = index.paragraph_level.scores(query.terms)
        heading = index.heading_level.scores(query.terms)
        question: defaultdict[int, float] = defaultdict(float)
        for q, score in index.question_level.scores(query.terms).items():
            target = index.question_target[q]
            question[target] = max(question[target], score)
        vouched = self._vouched(query)

        scored = []
        for i in {*sentence, *question, *vouched}:
            passage = index.passages[i]
            if kinds and passage.kind not in kinds:
                continue
            score = sentence.get(i, 0.0) + w.question * question.get(i, 0.0)
            score += w.heading * heading.get(index.part_ids[(passage.doc, passage.part)], 0.0)
            if passage.point >= 0:
                score += w.point * point.get(passage.point, 0.0)
            if passage.paragraph >= 0:
                score += w.paragraph * paragraph.get(passage.paragraph, 0.0)
            if i in vouched:
                score += w.fuzzy_question * (vouched[i] - w.fuzzy_floor) / (100 - w.fuzzy_floor)
            scored.append((score, i))
        scored.sort(reverse=True)
        hits = []
        for score, i in scored[:limit]:
            confidence = max(self.coverage(query, i), vouched.get(i, 0.0) / 100)
            hits.append(Hit(i, score, round(confidence, 3)))
        return hits

    def _vouched(self, query: Query) -> dict[int, float]:
        """Passages whose curated question rapidfuzz finds close to this one (0..100)."""
        if not self.index.question_words or not query.words:
            return {}
        out: dict[int, float] = {}
        matches = process.extract(
            " ".join(query.words),
            self.index.question_words,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=self.weights.fuzzy_floor,
            limit=5,
        )
        for _, similarity, q in matches:
            target = self.index.question_target[q]
            out[target] = max(out.get(target, 0.0), similarity)
        return out

    def coverage(self, query: Query, passage: int) -> float:
        """Share of the question's information found in the passage and its context (0..1)."""
        w = self.weights
        bag = self.index.bags[passage]
        text = self.index.context_text[passage]
        paragraph_id = self.index.passages[passage].paragraph
        paragraph = self._paragraph_text[paragraph_id] if paragraph_id >= 0 else ""
        total = found = 0.0
        for word in query.words:
            weight = min(self._language.weight(word), w.max_word_weight)
            if len(word) == 1:
                weight *= 0.5
            total += weight
            credit = w.repaired_credit if word in query.repaired else 1.0
            if word in bag or (len(word) >= 2 and word in text):
                found += weight * credit
            elif len(word) >= 2 and word in paragraph:
                found += weight * credit * w.paragraph_credit
            elif len(word) > 2:
                parts = [t for t in self._tokenizer.terms([word]) if t != word]
                if parts:
                    share = sum(1 for t in parts if t in bag or t in text) / len(parts)
                    found += weight * credit * 0.8 * share
        return found / total if total else 0.0

"""Rank passages for a question and say how sure the match is.

Ranking: BM25 on the sentence, plus BM25 of its context (point, paragraph, part heading) and of
the curated questions that point at it, each with a weight. Confidence (0..1): how much of the
question's meaning the best passage and its context account for, each question word weighted
by how informative it is in general Chinese (jieba's IDF), so a question that merely shares a
common word such as 安全 with the speech stays below the threshold. A curated question that
rapidfuzz finds nearly identical to the question vouches for its passage directly.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter

from rapidfuzz import fuzz, process

from bot.core.index import Index, bare, pinyin_key
from bot.core.lexicon import Tokenizer
from bot.core.resources import LanguageResources
from bot.core.text import CJK, Normalizer

# Consequence questions ("不整改会怎样") are answered by passages that say what follows.
_WANTS_CONSEQUENCE = re.compile(
    r"会怎样|会怎么样|会咋样|会如何|什么后果|后果|会不会被|会被怎么|怎么处理他们|怎么处罚"
)
_HAS_CONSEQUENCE = re.compile(r"追究|问责|处罚|惩|严肃")
# What kind of answer a question wants, and what such an answer tends to contain. A passage
# with the right kind of words gets a small bonus when candidates are re-ranked.
_ANSWER_SHAPES = (
    (
        re.compile(r"为什么|为何|为啥|原因|目的|意义"),
        re.compile(r"为了|为此|因为|由于|目的|关键|重要|事关|关系到"),
    ),
    (_WANTS_CONSEQUENCE, _HAS_CONSEQUENCE),
)


# Words that name what kind of answer is wanted rather than what it is about ("达到什么效果",
# "怎样对待"): the passage need not contain them, so they weigh little in the confidence.
FOCUS_WORDS = frozenset(
    "效果 作用 目的 意义 结果 好处 影响 原因 措施 办法 方法 方式 做法 情况 程度 标准 态度 看法 "
    "达到 实现 做到 起到 采取 对待 看待 体现 表现 表示 表达 用来 用于".split()
)

# "我是开饭店的" / "开大货车的要…": the asker describing themselves. Those words set the scene;
# the answer need not contain them, so they weigh little in the confidence (like FOCUS_WORDS).
_PERSONA = re.compile(
    r"(?:^|[,，。;；\s])(?:我们?|咱们?|我家|家里)?(?:是|在|开|做|干|搞|当|跑)([^,，。;；?？!！\s]{1,12}?)(?:的|上班|工作|干活)"
)

# Questions that want a number or a date: a passage without one cannot answer them.
_WANTS_NUMBER = re.compile(r"多少|几次|几天|几年|几月|几号|几岁|几个人|几人|电话|号码|价格|费用")
_HAS_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万两]+[次天年月日号人位岁]")
# Questions that ask when: the passage must say something about time.
_WANTS_TIME = re.compile(r"什么时候|啥时候|何时|哪天|哪一天|日期|几点|明天|后天|下周|多久|多长时间")
_HAS_TIME = re.compile(
    r"\d|[年月日时]|期间|之前|之后|以后|以来|当前|现在|正值|岁末|元旦|春节|第一时间|立即|及时|定期|迅速|"
    r"不过夜|拖延|永远|终点|长期|早发现"
)


# Questions whose answer must hold a kind of word (a number, a time, a consequence): a passage
# without one is unlikely to answer them, so its confidence is multiplied by `missing_shape`.
_REQUIREMENTS = (
    (_WANTS_NUMBER, _HAS_NUMBER),
    (_WANTS_TIME, _HAS_TIME),
    (_WANTS_CONSEQUENCE, _HAS_CONSEQUENCE),
)


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
    unknown_word_weight: float = 10.0  # a word missing from the general IDF table
    focus_word: float = 0.3  # weight factor of FOCUS_WORDS in the confidence
    missing_shape: float = 0.6  # confidence factor when the question wants a number/date the passage lacks
    rerank: int = 8  # how many BM25 leaders are re-ranked with their confidence
    rerank_confidence: float = 0.7  # share of confidence (vs. relative BM25) in the final order
    shape_bonus: float = 0.2
    specific: float = 0.5  # weight of the share of words specific *within the knowledge* (local IDF)
    candidates: int = 250  # sentences (by their own BM25) considered with their context


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # normalised question
    words: tuple[str, ...]  # content words after synonym folding and typo repair
    terms: tuple[str, ...]  # words plus sub-words, for BM25
    repaired: frozenset[str]  # words that typo repair produced
    parts: dict[str, list[str]]  # the dictionary words inside each long word
    persona: frozenset[str] = frozenset()  # words of a self-description ("我是开饭店的")


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
        idf = index.sentence_level.idf
        self._rarest = max(idf.values(), default=1.0)  # local IDF of a word no passage holds
        self._by_length: defaultdict[int, list[str]] = defaultdict(list)
        for word in index.vocabulary:
            if CJK.match(word):
                self._by_length[len(word)].append(word)

    def analyse(self, question: str) -> Query:
        text = self.normalize(question)
        tokens, repaired = self._repair(self._tokenizer.tokens(text))
        words = self._tokenizer.content(tokens)
        parts = {w: [t for t in self._tokenizer.terms([w]) if t != w] for w in words if len(w) > 2}
        persona = frozenset(
            w for m in _PERSONA.finditer(text) for w in self._tokenizer.words(m.group(1)) if w in words
        )
        return Query(
            text, tuple(words), tuple(self._tokenizer.terms(words)), frozenset(repaired), parts, persona
        )

    def _unknown(self, token: str) -> bool:
        return (
            token not in self.index.vocabulary
            and bool(CJK.match(token))
            and not self._tokenizer.is_stopword(token)
        )

    def _repair(self, tokens: list[str]) -> tuple[list[str], set[str]]:
        """Replace typos with the known word they were probably typed for.

        A run of up to four tokens holding an unknown word is looked up by its pinyin
        (销号/管/里 -> 销号管理, 玉案 -> 预案); a long unknown word with one wrong character
        is looked up with rapidfuzz (安全生铲 -> 安全生产). A repair is kept only when the word
        it yields stands in a paragraph with another word of the question (or the question has
        no other word), so a rare but correct word is not "repaired" into a stranger.
        """
        unknown = [self._unknown(t) for t in tokens]
        if not any(unknown):
            return tokens, set()
        out: list[str] = []
        repaired: set[str] = set()
        i = 0
        while i < len(tokens):
            for k in (4, 3, 2, 1):
                window = tokens[i : i + k]
                joined = "".join(window)
                if len(window) < k or not 2 <= len(joined) <= 8 or not any(unknown[i : i + k]):
                    continue
                known = self._lookup(joined, k)
                others = [t for t in tokens[:i] + tokens[i + k :] if t in self.index.vocabulary]
                if known and self._plausible(known, self._tokenizer.content(others)):
                    out.append(known)
                    repaired.add(known)
                    i += k
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out, repaired

    def _lookup(self, joined: str, k: int) -> str | None:
        key = pinyin_key(joined, self._language)
        known = self.index.by_pinyin.get(key) if key else None
        if known is None and k == 1 and len(joined) >= 4:
            best = process.extractOne(
                joined, self._by_length.get(len(joined), ()), scorer=fuzz.ratio, score_cutoff=74
            )
            known = best[0] if best else None
        return known

    def _plausible(self, word: str, others: list[str]) -> bool:
        if not others:
            return True
        level = self.index.paragraph_level
        where = level.units(word) or {i for i, text in enumerate(self.index.paragraph_text) if word in text}
        return any(where & level.units(other) for other in others)

    def rank(self, query: Query, *, limit: int = 5) -> list[Hit]:
        """The best passages for the query, most likely first (empty when nothing matches)."""
        index, w = self.index, self.weights
        sharing = index.question_level.scores(query.terms)
        vouched = self._vouched(query, sharing)
        if not query.terms and not vouched:
            return []
        sentence = index.sentence_level.scores(query.terms)
        point = index.point_level.scores(query.terms)
        paragraph = index.paragraph_level.scores(query.terms)
        heading = index.heading_level.scores(query.terms)
        question: defaultdict[int, float] = defaultdict(float)
        for q, score in sharing.items():
            target = index.question_target[q]
            question[target] = max(question[target], score)

        if len(sentence) > w.candidates:
            sentence = dict(heapq.nlargest(w.candidates, sentence.items(), key=itemgetter(1)))
        scored = []
        for i in {*sentence, *question, *vouched}:
            passage = index.passages[i]
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
        if not scored:
            return []
        top = scored[0][0] or 1.0
        shapes = [answer for question, answer in _ANSWER_SHAPES if question.search(query.text)]
        required = [has for wants, has in _REQUIREMENTS if wants.search(query.text)]
        hits = []
        for score, i in scored[: max(limit, w.rerank)]:
            text = index.context_text[i]
            confidence = max(self.coverage(query, i), vouched.get(i, 0.0) / 100)
            confidence *= w.missing_shape ** sum(1 for has in required if not has.search(text))
            final = (1 - w.rerank_confidence) * score / top + w.rerank_confidence * confidence
            final += w.specific * self._specific_share(query, i)
            final += w.shape_bonus * sum(1 for shape in shapes if shape.search(text))
            hits.append(Hit(i, final, round(confidence, 3)))
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits[:limit]

    def _vouched(self, query: Query, sharing: dict[int, float]) -> dict[int, float]:
        """Passages whose curated question rapidfuzz finds close to this one (0..100).

        Compared on the content words, sorted (token_sort_ratio, with the curated side sorted once
        at build time), against the curated questions that share a term with this one (`sharing`,
        from BM25); and, when that finds nothing, on the whole question against all of them,
        which catches questions made only of small words ("讲话是对谁说的").
        """
        index = self.index
        cutoff = self.weights.fuzzy_floor
        found: list[tuple[int, float]] = []
        if query.words and sharing:
            mine = " ".join(sorted(query.words))
            for q in sharing:
                similarity = fuzz.ratio(mine, index.question_words[q], score_cutoff=cutoff)
                if similarity:
                    found.append((q, similarity))
        if not found and (text := bare(query.text)) and index.question_text:
            matches = process.extract(text, index.question_text, scorer=fuzz.ratio, score_cutoff=85, limit=3)
            found = [(q, similarity) for _, similarity, q in matches]
        out: dict[int, float] = {}
        for q, similarity in found:
            target = index.question_target[q]
            out[target] = max(out.get(target, 0.0), similarity)
        return out

    def _specific_share(self, query: Query, passage: int) -> float:
        """Share of the question's words the passage holds, each weighted by how rare it is in this
        knowledge (BM25's IDF over sentences): among passages that all mention 问题, the one that
        also has the rarer 管理 is preferred. Ranking only; confidence keeps general-usage weights."""
        idf, rarest = self.index.sentence_level.idf, self._rarest
        bag, text = self.index.bags[passage], self.index.context_text[passage]
        total = found = 0.0
        for word in query.words:
            weight = idf.get(word, rarest)
            total += weight
            if word in bag or word in text:
                found += weight
        return found / total if total else 0.0

    def coverage(self, query: Query, passage: int) -> float:
        """Share of the question's information found in the passage and its context (0..1)."""
        w = self.weights
        bag = self.index.bags[passage]
        text = self.index.context_text[passage]
        paragraph_id = self.index.passages[passage].paragraph
        paragraph = self.index.paragraph_text[paragraph_id] if paragraph_id >= 0 else ""
        total = found = 0.0
        for word in query.words:
            weight = min(self._language.idf.get(word, w.unknown_word_weight), w.max_word_weight)
            if len(word) == 1:
                weight *= 0.5
            credit = w.repaired_credit if word in query.repaired else 1.0
            if word in bag or word in text:
                share = 1.0
            elif len(word) >= 2 and word in paragraph:
                share = w.paragraph_credit
            elif len(word) > 2 and (parts := query.parts.get(word)):
                share = 0.8 * sum(1 for t in parts if t in bag or t in text) / len(parts)
            else:
                share = 0.0
            # Optional words (what kind of answer is wanted, who is asking) count when found
            # and weigh little when not.
            if share < 1.0 and (word in FOCUS_WORDS or word in query.persona):
                weight *= w.focus_word
            total += weight
            found += weight * credit * share
        return found / total if total else 0.0

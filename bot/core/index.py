"""The search index: every passage of every document, tokenised once, in BM25 levels.

Passages are sentences (the unit a reply is built from) and part headings. Each sentence is
also scored through its context (its enumerated point, paragraph, and part heading) and
through the curated questions that point at it; `Matcher` combines those levels.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bot.core.bm25 import Bm25
from bot.core.curated import Curated
from bot.core.document import Document, Part, Point
from bot.core.errors import KnowledgeError
from bot.core.lexicon import Tokenizer
from bot.core.resources import LanguageResources
from bot.core.text import CJK, Normalizer


@dataclass(frozen=True, slots=True)
class Passage:
    key: str  # stable while the knowledge is unchanged: "doc:part.paragraph.sentence" or "doc:part.h"
    kind: str  # "sentence" | "heading"
    text: str  # as written
    doc: int
    part: int  # index into Document.parts
    paragraph: int = -1  # index into Index.paragraphs
    point: int = -1  # index into Index.points


@dataclass(frozen=True, slots=True)
class PointRef:
    doc: int
    part: int
    point: Point


@dataclass(slots=True)
class Index:
    documents: list[Document]
    passages: list[Passage] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    paragraph_passages: list[list[int]] = field(default_factory=list)
    points: list[PointRef] = field(default_factory=list)
    point_passages: list[int] = field(default_factory=list)  # point -> its first sentence passage
    point_sentences: list[list[int]] = field(default_factory=list)  # point -> its sentence passages
    heading_has_points: list[bool] = field(default_factory=list)  # per passage: a heading listing points
    title_text: list[str] = field(default_factory=list)  # normalised document titles
    heading_of: list[int] = field(default_factory=list)  # per passage: its part's heading level id
    bag_synonyms: list[frozenset[int]] = field(default_factory=list)  # per passage: Cilin sets of its bag
    document_text: list[str] = field(default_factory=list)  # per document: all its normalised text
    document_synonyms: list[frozenset[int]] = field(default_factory=list)  # per document: Cilin sets
    part_ids: dict[tuple[int, int], int] = field(default_factory=dict)  # (doc, part) -> heading level id
    by_key: dict[str, int] = field(default_factory=dict)
    # Per passage, for confidence: its words with context, and its normalised text.
    bags: list[frozenset[str]] = field(default_factory=list)
    context_text: list[str] = field(default_factory=list)
    passage_text: list[str] = field(
        default_factory=list
    )  # normalised text of every passage (sentences and headings)
    paragraph_text: list[str] = field(default_factory=list)  # normalised paragraphs
    # BM25 levels.
    sentence_level: Bm25 | None = None
    point_level: Bm25 | None = None
    paragraph_level: Bm25 | None = None
    heading_level: Bm25 | None = None
    question_level: Bm25 | None = None
    question_target: list[int] = field(default_factory=list)
    question_words: list[str] = field(default_factory=list)  # sorted, space-joined words (rapidfuzz)
    question_text: list[str] = field(default_factory=list)  # normalised, without punctuation
    vocabulary: Counter[str] = field(default_factory=Counter)  # term -> passages holding it
    # folded pinyin -> the vocabulary words it spells, likeliest first
    by_pinyin: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def passage(self, key: str) -> Passage | None:
        i = self.by_key.get(key)
        return None if i is None else self.passages[i]


def build_index(
    documents: list[Document],
    curated: Curated,
    tokenizer: Tokenizer,
    normalize: Normalizer,
    language: LanguageResources,
) -> Index:
    index = Index(documents)
    sentence_terms: list[list[str]] = []
    point_terms: list[list[str]] = []
    paragraph_terms: list[list[str]] = []
    heading_terms: list[list[str]] = []
    words_of: dict[str, list[str]] = {}

    def words(text: str, normalized: str | None = None) -> list[str]:
        if text not in words_of:
            words_of[text] = tokenizer.words(normalized if normalized is not None else normalize(text))
        return words_of[text]

    multi = len(documents) > 1  # then a part's context includes its document's title
    headings: dict[tuple[int, int], str] = {}  # (doc, part) -> the heading it is matched by
    for d, doc in enumerate(documents):
        numbered = any(p.kind == "part" for p in doc.parts)
        for p, part in enumerate(doc.parts):
            heading_id = len(heading_terms)
            index.part_ids[(d, p)] = heading_id
            headings[(d, p)] = _heading_of(part, numbered)
            label = " ".join(x for x in (doc.title if multi else "", headings[(d, p)]) if x)
            heading_terms.append(tokenizer.terms(words(label)) if label else [])
            if part.heading:
                heading = normalize(part.heading)
                passage = Passage(f"{d}:{p}.h", "heading", part.heading, d, p)
                _add(index, passage, heading, sentence_terms, tokenizer.terms(words(part.heading, heading)))
            point_at: dict[tuple[int, int], int] = {}  # (paragraph, sentence) -> point
            for point in part.points:
                point_id = len(index.points)
                index.points.append(PointRef(d, p, point))
                index.point_passages.append(-1)
                index.point_sentences.append([])
                point_terms.append([])
                for k in range(len(point.sentences)):
                    point_at[(point.paragraph, point.first + k)] = point_id
            for g, paragraph in enumerate(part.paragraphs):
                paragraph_id = len(index.paragraphs)
                index.paragraphs.append(paragraph)
                index.paragraph_passages.append([])
                paragraph_terms.append([])
                for s, sentence in enumerate(part.sentences[g]):
                    passage = Passage(
                        f"{d}:{p}.{g}.{s}", "sentence", sentence, d, p, paragraph_id, point_at.get((g, s), -1)
                    )
                    index.paragraph_passages[paragraph_id].append(len(index.passages))
                    normalized = normalize(sentence)
                    terms = tokenizer.terms(words(sentence, normalized))
                    _add(index, passage, normalized, sentence_terms, terms)
                    # Points and paragraphs are scored on their sentences' terms (tokenised once).
                    paragraph_terms[paragraph_id].extend(terms)
                    if passage.point >= 0:
                        point_terms[passage.point].extend(terms)
                        index.point_sentences[passage.point].append(len(index.passages) - 1)

    index.sentence_level = Bm25(sentence_terms)
    index.point_level = Bm25(point_terms)
    index.paragraph_level = Bm25(paragraph_terms)
    index.heading_level = Bm25(heading_terms)

    question_terms: list[list[str]] = []
    for pair in curated.pairs:
        target = _resolve(index, pair.passage, pair.document, normalize)
        if target is None:
            raise KnowledgeError(
                f"qa.yaml pair {pair.line}: no single sentence or heading holds {pair.passage!r}"
                " (quote a shorter piece of one sentence)"
            )
        for question in pair.questions:
            q_words = words(question)
            question_terms.append(tokenizer.terms(q_words))
            index.question_target.append(target)
            index.question_words.append(" ".join(sorted(q_words)))
            index.question_text.append(bare(normalize(question)))
    index.question_level = Bm25(question_terms)

    # Context bags for confidence: a passage "covers" a question word when the word is in the
    # passage, its point, its heading or a curated question that points at it.
    extra: dict[int, set[str]] = {}
    for target, q in zip(index.question_target, question_terms, strict=False):
        extra.setdefault(target, set()).update(q)
    for i, passage in enumerate(index.passages):
        bag = set(sentence_terms[i]) | set(heading_terms[index.part_ids[(passage.doc, passage.part)]])
        texts = [passage.text]
        if passage.point >= 0:
            bag.update(point_terms[passage.point])
            texts.append(index.points[passage.point].point.text)
        bag.update(extra.get(i, ()))
        index.bags.append(frozenset(bag))
        heading = headings[(passage.doc, passage.part)]
        index.context_text.append(normalize(" ".join([*texts, heading])))

    index.paragraph_text = [normalize(p) for p in index.paragraphs]
    index.title_text = [normalize(d.title) for d in documents]
    index.heading_of = [index.part_ids[(p.doc, p.part)] for p in index.passages]
    thesaurus = language.thesaurus
    index.bag_synonyms = [
        frozenset(g for word in bag if len(word) >= 2 for g in thesaurus.get(word, ())) for bag in index.bags
    ]
    for d in range(len(documents)):
        members = [i for i, p in enumerate(index.passages) if p.doc == d]
        index.document_text.append(" ".join([index.title_text[d], *(index.context_text[i] for i in members)]))
        index.document_synonyms.append(frozenset().union(*(index.bag_synonyms[i] for i in members)))
    index.heading_has_points = [
        p.kind == "heading" and len(documents[p.doc].parts[p.part].points) >= 2 for p in index.passages
    ]
    for terms in sentence_terms:
        index.vocabulary.update(set(terms))
    index.by_pinyin = _pinyin_table(index.vocabulary, language)
    return index


# How people name the stretches of a document that have no heading: its opening (before the
# first numbered part) and its closing ("结尾部分把安全生产定性为什么任务"). They stand in for the
# heading in matching only; an unnumbered article is one untitled stretch and gets none.
STRETCH_NAMES = {"intro": "开头 开场白 开篇", "closing": "结尾 结束语 最后 总结"}


def _heading_of(part: Part, numbered: bool) -> str:
    """The heading a part is matched by: its own, or the name of an opening or closing of a
    document with numbered parts."""
    if part.heading:
        return part.heading
    return STRETCH_NAMES.get(part.kind, "") if numbered else ""


_PUNCTUATION = re.compile(r"[\W_]+")


ANSWER_BUDGET = 160  # a whole enumerated point up to this long is the reply
ANSWER_WINDOW = 300  # else the sentence and its neighbours, up to this many characters


def reply_text(index: Index, i: int, *, window: int = ANSWER_WINDOW) -> str:
    """What a reply shows for passage `i`: the shortest text that fully answers. The whole
    enumerated point when it is short, else the sentence with the sentences around it while
    they fit the window (a sentence alone is often a fragment: "它…", "此外…")."""
    passage = index.passages[i]
    if passage.kind == "heading":
        return passage.text
    if passage.point >= 0:
        point = index.points[passage.point].point
        if len(point.text) <= ANSWER_BUDGET:
            return point.text
    siblings = index.paragraph_passages[passage.paragraph]
    at = siblings.index(i)
    first = last = at
    size = len(passage.text)
    # Grow the window one sentence at a time, after then before, while it fits.
    grew = True
    while grew:
        grew = False
        for candidate in (last + 1, first - 1):
            if 0 <= candidate < len(siblings):
                nxt = index.passages[siblings[candidate]]
                if nxt.point == passage.point and size + len(nxt.text) <= window:
                    size += len(nxt.text)
                    first, last = min(first, candidate), max(last, candidate)
                    grew = True
    return "".join(index.passages[siblings[k]].text for k in range(first, last + 1))


def bare(text: str) -> str:
    """Normalised text without punctuation or spaces, for whole-question fuzzy comparison."""
    return _PUNCTUATION.sub("", text)


def _add(
    index: Index, passage: Passage, normalized: str, sentence_terms: list[list[str]], terms: list[str]
) -> None:
    index.by_key[passage.key] = len(index.passages)
    index.passages.append(passage)
    index.passage_text.append(normalized)
    sentence_terms.append(terms)
    if passage.point >= 0 and index.point_passages[passage.point] < 0:
        index.point_passages[passage.point] = len(index.passages) - 1


def _resolve(index: Index, quote: str, document: str | None, normalize: Normalizer) -> int | None:
    wanted = normalize(quote)
    for i, (passage, text) in enumerate(zip(index.passages, index.passage_text, strict=True)):
        doc = index.documents[passage.doc]
        if document and document not in (doc.source, doc.title):
            continue
        if quote in passage.text or wanted in text:
            return i
    return None


def pinyin_key(word: str, language: LanguageResources) -> str | None:
    """The word's folded toneless pinyin ("应急预案" -> "yin ji yu an"), None for rare characters."""
    table = language.pinyin
    syllables = [table.get(ch) for ch in word]
    return None if None in syllables else " ".join(syllables)


def _pinyin_table(vocabulary: Counter[str], language: LanguageResources) -> dict[str, tuple[str, ...]]:
    """Folded pinyin -> words, for every word of the index and every 2-4 character piece of one
    (so 玉案 finds 预案 inside 应急预案): whole words before pieces, then the more passages hold
    one, the earlier. Folded sounds collide (jiang li and jian li both fold to jian ni: 奖励, 建立),
    so all are kept and a typo picks the one that shares its characters (see Matcher._lookup)."""
    table: dict[str, dict[str, tuple[bool, int]]] = {}
    for word, df in vocabulary.items():
        if len(word) < 2 or len(word) > 8 or not CJK.match(word):
            continue
        pieces = {word[i : i + n] for n in range(2, min(4, len(word)) + 1) for i in range(len(word) - n + 1)}
        for piece in pieces | {word}:
            key = pinyin_key(piece, language)
            if not key:
                continue
            rank = (piece == word, df)
            found = table.setdefault(key, {})
            if piece not in found or found[piece] < rank:
                found[piece] = rank
    return {k: tuple(sorted(found, key=lambda w: found[w], reverse=True)) for k, found in table.items()}

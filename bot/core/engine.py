"""The answering core's one entry point: a question in, an `Answer` out.

    engine = Engine.load(Path("knowledge"))
    answer = engine.answer("隐患排查的重点领域是什么?")

No Telegram here: the bot, the command line and the evaluation all call this.
"""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bot.core.curated import load_curated
from bot.core.document import Document, Part, load_documents
from bot.core.index import Index, Passage, build_index
from bot.core.intents import Intent, detect, topic_words_of
from bot.core.lexicon import Tokenizer, knowledge_folder, load_lexicon
from bot.core.matcher import Hit, Matcher, Query
from bot.core.resources import load_resources
from bot.core.text import CJK, Normalizer, cn_numeral

DEFAULT_THRESHOLD = 0.55  # chosen on the development set; see README "Evaluating"
MAX_QUESTION_CHARS = 300  # longer questions are matched on their first 300 characters
ANSWER_BUDGET = 160  # a reply passage aims to stay within this many characters
MAX_SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str
    passage: str  # passage key: ask `Engine.passage_answer(key)` to answer it


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    matched: bool
    kind: str  # "passage" | "part" | "outline" | "list" | "opening" | "closing" | "declined" | "empty"
    answer: str = ""  # the passage, as written
    section: str | None = None  # heading of the part it sits in
    document: str = ""
    location: str = ""  # where it sits: "第三部分 · 第二点"
    score: float = 0.0
    passage_id: str | None = None
    suggestions: list[Suggestion] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


class Engine:
    def __init__(
        self,
        index: Index,
        matcher: Matcher,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        window: int = ANSWER_BUDGET,
    ) -> None:
        self.index = index
        self.matcher = matcher
        self.threshold = threshold
        self.window = window

    @classmethod
    def load(
        cls, path: Path, *, threshold: float = DEFAULT_THRESHOLD, cache_dir: Path | None = None
    ) -> Engine:
        """Read the knowledge at `path` (file or folder) and build the index. Raises KnowledgeError."""
        folder = knowledge_folder(path)
        normalize = Normalizer()
        curated = load_curated(folder)
        documents = load_documents(path, curated.titles)
        language = load_resources(cache_dir)
        tokenizer = Tokenizer(language, load_lexicon(folder, normalize))
        index = build_index(documents, curated, tokenizer, normalize, language)
        return cls(index, Matcher(index, tokenizer, normalize, language), threshold=threshold)

    @property
    def documents(self) -> list[Document]:
        return self.index.documents

    @property
    def title(self) -> str:
        return "、".join(d.title for d in self.documents[:3]) + ("等" if len(self.documents) > 3 else "")

    # ---- answering -------------------------------------------------------------------------

    def answer(self, question: str) -> Answer:
        return self._respond(question)[0]

    def _respond(self, question: str, *, hits_wanted: int = 8) -> tuple[Answer, list[Hit]]:
        """The answer, and the ranked passages it was chosen from (none for structure answers)."""
        question = question or ""
        query = self.matcher.analyse(question[:MAX_QUESTION_CHARS])
        if not query.words and not CJK.search(query.text):
            return Answer(question, False, "empty"), []
        intent = detect(query.text, list(query.words))
        if intent is not None and (structured := self._structured(question, query, intent)):
            return structured, []
        hits = self.matcher.rank(query, limit=hits_wanted)
        if not hits or hits[0].confidence < self.threshold:
            declined = Answer(
                question,
                False,
                "declined",
                score=hits[0].confidence if hits else 0.0,
                suggestions=self._suggestions(hits),
            )
            return declined, hits
        return self._passage_reply(question, hits[0]), hits

    def passage_answer(self, key: str) -> Answer | None:
        """The reply for one passage key (a tapped suggestion), or None if the key is unknown."""
        i = self.index.by_key.get(key)
        if i is None:
            return None
        return self._passage_reply("", Hit(i, 0.0, 1.0))

    def part_answer(self, number: int, point: int | None = None) -> Answer | None:
        """Part `number` of the speech (its heading and points), or one of its points."""
        doc = self._speech_doc()
        return None if doc is None else self._part_reply("", doc, number, point)

    def candidates(self, question: str, limit: int = 5) -> list[Answer]:
        """Distinct passages for a question, best first, all above the threshold (inline mode)."""
        first, hits = self._respond(question, hits_wanted=limit * 3)
        if not first.matched:
            return []
        out = [first]
        seen = {first.answer}
        for hit in hits:
            if len(out) >= limit or hit.confidence < self.threshold:
                break
            reply = self._passage_reply(question, hit)
            if reply.answer not in seen:
                seen.add(reply.answer)
                out.append(reply)
        return out

    def context(self, key: str) -> tuple[str | None, str] | None:
        """(heading, whole paragraph or part) around a passage: the "more context" view."""
        passage = self.index.passage(key)
        if passage is None:
            return None
        part = self.documents[passage.doc].parts[passage.part]
        if passage.paragraph < 0:
            return part.heading, "\n".join(part.paragraphs)
        return part.heading, self.index.paragraphs[passage.paragraph]

    def search(self, keyword: str, *, limit: int = 200) -> list[Passage]:
        """Sentences holding the keyword (folded for width, case and script), in document order."""
        needle = self.matcher.normalize(keyword)
        if not needle:
            return []
        found = [
            p
            for p, text in zip(self.index.passages, self.index.sentence_text, strict=True)
            if p.kind == "sentence" and needle in text
        ]
        return found[:limit]

    # ---- structure -------------------------------------------------------------------------

    def outline(self, doc: int = 0) -> list[tuple[int, str, list[str]]]:
        """(number, heading, point titles) for each numbered part of a document."""
        document = self.documents[doc]
        return [
            (p.number or 0, p.heading or "", [pt.title for pt in p.points]) for p in document.numbered_parts
        ]

    def outline_text(self, doc: int = 0) -> str:
        return "\n".join(heading for _, heading, _ in self.outline(doc))

    def _speech_doc(self) -> int | None:
        return next((d for d, doc in enumerate(self.documents) if doc.is_speech), None)

    def _structured(self, question: str, query: Query, intent: Intent) -> Answer | None:
        doc = self._speech_doc()
        if doc is None:
            return None
        document = self.documents[doc]
        if intent.kind == "outline":
            return Answer(
                question,
                True,
                "outline",
                self.outline_text(doc),
                None,
                document.title,
                "全文提纲",
                1.0,
            )
        if intent.kind in ("opening", "closing"):
            return self._edge_reply(question, doc, intent.kind)
        if intent.kind == "part":
            number = document.numbered_parts[-1].number if intent.part == -1 else intent.part
            if number is None or document.part(number) is None:
                return None
            return self._part_reply(question, doc, number, intent.point)
        # A list question names a topic: answer with the points of the part whose heading holds it.
        topic = topic_words_of(list(query.words))
        best: list[tuple[float, int]] = []
        for number, heading, titles in self._part_texts(doc):
            covered = sum(1.0 if w in heading else 0.6 if w in titles else 0.0 for w in topic)
            best.append((covered / len(topic), number))
        best.sort(reverse=True)
        if best and best[0][0] >= 0.7 and (len(best) == 1 or best[1][0] < best[0][0]):
            return self._part_reply(question, doc, best[0][1], None, kind="list")
        return None

    def _edge_reply(self, question: str, doc: int, kind: str) -> Answer | None:
        """The opening's first real sentence (after the salutation) or the closing's first."""
        wanted = "intro" if kind == "opening" else "closing"
        for i, passage in enumerate(self.index.passages):
            part = self.documents[passage.doc].parts[passage.part]
            salutation = re.search(r"[:：]$", passage.text)  # "尊敬的…同志们:"
            if passage.doc == doc and part.kind == wanted and passage.kind == "sentence" and not salutation:
                return replace(self._passage_reply(question, Hit(i, 0.0, 1.0)), kind=kind)
        return None

    @functools.cache  # noqa: B019 - one engine per knowledge version, kept for its lifetime
    def _part_texts(self, doc: int) -> list[tuple[int, str, str]]:
        """(number, normalised heading, normalised point titles) of parts that list points."""
        normalize = self.matcher.normalize
        return [
            (
                part.number or 0,
                normalize(part.heading or ""),
                normalize(" ".join(pt.title for pt in part.points)),
            )
            for part in self.documents[doc].numbered_parts
            if len(part.points) >= 2
        ]

    def _part_reply(
        self, question: str, doc: int, number: int, point: int | None, kind: str = "part"
    ) -> Answer | None:
        document = self.documents[doc]
        part = document.part(number)
        if part is None:
            return None
        p = document.parts.index(part)
        location = part.label(True)
        if point is not None and 1 <= point <= len(part.points):
            pt = part.points[point - 1]
            point_id = next(
                i
                for i, ref in enumerate(self.index.points)
                if ref.doc == doc and ref.part == p and ref.point is pt
            )
            key = self.index.passages[self.index.point_passages[point_id]].key
            return Answer(
                question,
                True,
                "part",
                pt.text,
                part.heading,
                document.title,
                f"{location} · 第{cn_numeral(point)}点",
                1.0,
                key,
            )
        if part.points:
            body = "；".join(pt.title for pt in part.points) + "。"
        else:
            body = _trim(part.paragraphs[0] if part.paragraphs else "", ANSWER_BUDGET)
        return Answer(question, True, kind, body, part.heading, document.title, location, 1.0, f"{doc}:{p}.h")

    # ---- passages --------------------------------------------------------------------------

    def _passage_reply(self, question: str, hit: Hit) -> Answer:
        index = self.index
        passage = index.passages[hit.passage]
        document = self.documents[passage.doc]
        part = document.parts[passage.part]
        if passage.kind == "heading":
            reply = self._part_reply(question, passage.doc, part.number, None) if part.number else None
            if reply is not None:
                return replace(reply, score=hit.confidence)
        text = self._passage_text(passage)
        return Answer(
            question,
            True,
            "passage",
            text,
            part.heading,
            document.title,
            self._location(passage, part, document),
            hit.confidence,
            passage.key,
        )

    def _passage_text(self, passage: Passage) -> str:
        """The shortest text that fully answers: the whole enumerated point when it is short,
        else the sentence, with the sentences after it while they fit the answer budget
        (a sentence alone is often a fragment: "它…", "此外…")."""
        if passage.kind == "heading":
            return passage.text
        if passage.point >= 0:
            point = self.index.points[passage.point].point
            if len(point.text) <= ANSWER_BUDGET:
                return point.text
        siblings = self.index.paragraph_passages[passage.paragraph]
        at = siblings.index(self.index.by_key[passage.key])
        first = last = at
        size = len(passage.text)
        # Grow the window one sentence at a time, after then before, while it fits.
        grew = True
        while grew:
            grew = False
            for candidate in (last + 1, first - 1):
                if 0 <= candidate < len(siblings):
                    nxt = self.index.passages[siblings[candidate]]
                    if nxt.point == passage.point and size + len(nxt.text) <= self.window:
                        size += len(nxt.text)
                        first, last = min(first, candidate), max(last, candidate)
                        grew = True
        return "".join(self.index.passages[siblings[k]].text for k in range(first, last + 1))

    def _location(self, passage: Passage, part: Part, document: Document) -> str:
        where = part.label(document.is_speech)
        if passage.point >= 0:
            where += f" · 第{cn_numeral(self.index.points[passage.point].point.number)}点"
        if len(self.documents) > 1:
            where = f"{document.title} · {where}"
        return where

    def _suggestions(self, hits: list[Hit]) -> list[Suggestion]:
        seen: set[tuple[int, int]] = set()
        out = []
        for hit in hits:
            passage = self.index.passages[hit.passage]
            group = (passage.doc, passage.point if passage.point >= 0 else -1 - passage.paragraph)
            if group in seen:
                continue
            seen.add(group)
            part = self.documents[passage.doc].parts[passage.part]
            if passage.point >= 0:
                label = self.index.points[passage.point].point.title
            else:
                label = _trim(passage.text, 24)
            if part.number:
                label = f"{cn_numeral(part.number)}、{re.sub(r'^[一二三四五六七八九十]是', '', label)}"
            out.append(Suggestion(label, passage.key))
            if len(out) == MAX_SUGGESTIONS:
                break
        return out


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind("。"), cut.rfind("；"), cut.rfind("，"), cut.rfind(","))
    return (cut[: end + 1] if end > limit // 2 else cut) + "…"

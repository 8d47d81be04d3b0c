"""The answering core's one entry point: a question in, an `Answer` out.

    engine = Engine.load(Path("knowledge"))
    answer = engine.answer("隐患排查的重点领域是什么?")

No Telegram here: the bot, the command line and the evaluation all call this, and only the
public methods below (the edges never reach into the index or the matcher).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from bot.core import index_cache, meta, signals
from bot.core import search as keyword_search
from bot.core.answers import (
    CONFIDENT,
    DECLINED,
    NO_BAND,
    UNSURE,
    Answer,
    ContextView,
    KnowledgeStats,
    OutlinePart,
    SearchHit,
    Suggestion,
)
from bot.core.conversation import Conversation
from bot.core.curated import Curated, load_curated
from bot.core.dialogue import Dialogue, step, tells_about_oneself
from bot.core.document import Document, Part, load_documents, quoted_terms, split_documents
from bot.core.index import (
    ANSWER_BUDGET,
    ANSWER_WINDOW,
    Index,
    Passage,
    bare,
    build_index,
    pinyin_key,
    reply_text,
)
from bot.core.intents import ASKS_HEADING, Intent, detect, may_ask_outline, pair, relative, topic_words_of
from bot.core.lexicon import Lexicon, Tokenizer, knowledge_folder, load_lexicon, load_stopwords
from bot.core.matcher import FEATURES, Hit, Matcher, Model, Query
from bot.core.resources import load_resources
from bot.core.text import CJK, Normalizer, cn_numeral, parse_number, point_prefix, shorten

MAX_QUESTION_CHARS = 300  # longer questions are matched on their first 300 characters
MAX_SUGGESTIONS = 3
# A declined question whose information the document lacks at least this share of (the "absent"
# feature) is about something else: no "closest topics" are offered, only the outline.
OFF_TOPIC = 0.75
_ABSENT = FEATURES.index("absent")
# A declined question that asks for a detail, whose closest passage holds at least this share of
# its information (the "coverage" feature), is about a topic the document covers: the reply says
# only that the detail is not given. Read off examples: 应急演练多久搞一次 0.93, 整改期限是几天
# 0.91, 督查组几号来 0.81 (covered); 安全帽多少钱 0.65, 督查组住哪个酒店 0.50 (not).
RELATED = 0.8
_COVERAGE = FEATURES.index("coverage")
_COUNT_OF_ITEMS = re.compile(
    r"([两二三四五六七八九\d])(?:个|条|项|点|大)(?:方面|要求|措施|办法|做法|举措|任务|重点|内容)?"
)
_BESIDES = re.compile(r"除了|不光|不只|别的|其他|其它|另外")
# How close (share of the leader's ranking score) a passage that says what happens must come to
# lead a question about what happens to those who fail: the right passage scored 0.58-0.85 of
# the leader on the labelled questions of that kind answered wrong without it (5 of them fixed,
# none of 4,093 labelled and dev questions broken).
CONSEQUENCE_SHARE = 0.55
# How close a runner-up that holds a name or place asked for must come to lead one that lacks it
# (Engine._holding_first). Measured on 4,343 labelled and dev questions: 0.9 and 0.8 fix 2 and
# break none, 0.7 breaks 6 (the salutation's xx组长 takes "区领导叫什么名字"); CMRC per document
# unchanged at 0.8. Dates and numbers were tried too: 0.9 broke 2 rejects, 0.8 broke 13.
DETAIL_SHARE = 0.8
# How close a runner-up that says what more is needed must come to lead for "is that enough"
# (Engine._contrast_first). Against none: 0.9 fixed 3 labelled questions and broke 1, 0.8 broke 3.
CONTRAST_SHARE = 0.9
_MISSING, _MISSING_VAGUE = FEATURES.index("missing"), FEATURES.index("missing_vague")
# A question that checks what it states ("…是讲宣传的吧", "对不对").
_CHECKING = re.compile(r"(?:吧|吗|嘛|么|对不对|是不是|没错|对吧)[?？!！。~～\s]*$")

__all__ = ["Answer", "ContextView", "Conversation", "Engine", "SearchHit", "Suggestion"]


# How the asker wants the answer put, before the question (请用简单的中文回答：…): the bot quotes.
_STYLE_REQUEST = re.compile(
    r"^\s*(?:请|麻烦)?(?:你|您)?(?:用|以)(?:简单|通俗|简短|浅显)?(?:一点|点)?(?:的)?"
    r"(?:中文|汉语|白话|大白话|普通话|汉字)(?:来)?(?:回答|说|讲|解释|回复)(?:一下|我)?\s*[:：,，]\s*"
)
# Where a clause of a message ends.
_QUESTION_END = re.compile(r"(?<=[?？])")
# The most questions one message is answered for.
MAX_QUESTIONS = 4
# Numbered questions (1.安全生产月是什么 2.举报奖励怎么弄), and clauses that each ask (整改要求有哪些，
# 问责怎么弄，还有创新驱动是啥).
_NUMBERED = re.compile(r"(?:^|(?<=[\s,，;；。？?!！]))[(（]?[1-9１-９][.．、)）]\s*")
_MAY_HOLD_SEVERAL = re.compile(
    # …and a first clause that asks before a space or comma ("标题叫啥 主题是啥")
    r"[?？]\s*\S|\d.*\d|[,，;；].*[,，;；]|另外|还有|顺便|再问|[\s,，]\S+呢\s*$|(?:啥|什么|吗|呢|谁|哪|几|怎|咋)[^\s,，]*[\s,，]+\S"
)
# How many more characters a sentence must have past the words that name it for "后面那句" to ask
# the rest of it (横向到边 → 纵向到底的责任网络), not the next sentence.
SENTENCE_GOES_ON = 4
_NAMES_A_PART = re.compile(r"部分|大块|(?:那|这)块")
_NAMING_A_SENTENCE = re.compile(r"(?:那|这)(?:一)?(?:句话?|段话?)|讲话里|原文|[“”\"'「」]")
_NUMBERED_PART = re.compile(r"第\s*[一二三四五六七八九十\d]{1,2}\s*(?:个)?(?:大)?(?:部分|块)")
_ONLY_WHAT_SAID = re.compile(
    r"(?:那|它|他|这|都|又|具体)*(?:说了|讲了|说的|讲的|提了)(?:些)?(?:啥|什么)(?:呢|啊|呀)?"
)
_ASKS = re.compile(r"啥|什么|吗|呢|怎|咋|哪|谁|几|多少|如何|[?？]|[不没]\s*$")
# A second question joined by a word (宣传用哪些媒体 另外志愿者那块怎么说), or a second topic asked
# the same way in a clause ending in 呢 (问题导向是啥 创新驱动呢).
_ALSO = re.compile(
    r"[\s,，;；。]+(?:另外|还有就是|还有(?!没有|别的|其他|啥|什么)|再问(?:一下|下)?|顺便问(?:一下|下)?)[,，\s]*"
)
_CLAUSE = re.compile(r"[\s,，;；]+")


def _intent(query: Query) -> Intent | None:
    """The structure intent of a question; who asks (我是开饭店的, 奶奶问) names no topic of it."""
    return detect(query.text, [w for w in query.words if w not in query.asker])


def _questions_in(text: str) -> list[str]:
    """The questions of a message: split at question marks, else at numbers that count them,
    else at commas when there are three or more clauses and each asks."""
    if not _MAY_HOLD_SEVERAL.search(text):
        return [text]
    pieces = [p for p in _QUESTION_END.split(text) if p.strip()]
    if len(pieces) >= 2:
        return pieces
    numbered = [p for p in _NUMBERED.split(text) if p.strip()]
    if len(numbered) >= 2 and len(_NUMBERED.findall(text)) >= 2:
        return numbered
    clauses = [c for c in re.split(r"[,，;；]", text) if c.strip()]
    if len(clauses) >= 3 and all(_ASKS.search(c) for c in clauses):
        return clauses
    joined = [p for p in _ALSO.split(text) if p.strip()]
    if len(joined) >= 2 and all(_ASKS.search(p) for p in joined):
        return joined
    two = [c for c in _CLAUSE.split(text.strip()) if c]
    if len(two) == 2 and two[1].endswith("呢") and _ASKS.search(two[0]):
        return two
    if len(two) == 2 and all(_ASKS.search(c) for c in two):
        about = [meta.match(c) for c in two]
        if all(about) and about[0] is not about[1]:
            return two  # "标题叫啥 主题是啥": two things about the document itself
        if all(map(_NUMBERED_PART.match, two)):
            return two  # "第三部分讲什么 第五部分讲什么"
    return [text]


# A part asked for in full (第六部分的四条具体是啥, 第三部分原文): its text, not its points' titles.
_IN_FULL = re.compile(
    r"具体|详细|展开|全文|原文|原话|完整|全部内容|每(?:一)?(?:条|点)(?:都)?(?:讲|说)了?(?:什么|啥)"
)
_CLAUSE_BREAK = re.compile(r"[,，。!！;；?？\s]+")


# Details declined when the reply names no one (see Engine._lacking): which firms (哪几家企业),
# a name asked for as such (行业协会叫什么名字), who wrote it (这讲话谁写的). The second fixed 5
# labelled questions to decline and broke none; CMRC and DRCD per document were unchanged. As a
# decisive detail instead, the author cost 4 DRCD test answers (《游子吟》的作者是谁).
_BY_NAME = frozenset({"firm", "full_name", "author"})
# A list and what kind of thing it lists (建筑施工、道路交通、消防、危险化学品等重点行业领域 -> 重点行业领域).
_LISTED_KIND = re.compile(r"[^,，。;；、]+(?:、[^,，。;；、]+){2,}等([^,，。;；、]{1,8})")
# How close a runner-up that lists what the question asks for must score to the leader to lead.
# On our labelled, dev and held-out questions 0.85 fixed 1 and broke none.
LISTING_SHARE = 0.85
# How much of each part's heading a closing sentence must hold to sum the parts up ("太长了" after
# the outline), by character pairs. The speech's summing-up sentence holds 0.36 of its least
# covered heading and 0.52 on average; its other closing sentences at most 0.05 and 0.15.
SUMMING_UP_EACH = 0.25
SUMMING_UP_MEAN = 0.4


class Engine:
    def __init__(
        self,
        index: Index,
        matcher: Matcher,
        *,
        threshold: float | None = None,
        window: int = ANSWER_WINDOW,
        version: str = "",
        dialogue: Dialogue | None = None,
    ) -> None:
        self._index = index
        self._matcher = matcher
        self._dialogue = dialogue or Dialogue.load(matcher.normalize)
        model = matcher.model
        self.threshold = model.threshold if threshold is None else threshold
        # The confident band starts where the fitted model puts it, never below the threshold.
        self.confident = max(self.threshold, model.confident)
        self.window = window
        self.version = version  # changes whenever a knowledge file changes
        # Replies are passages or points: their normalised text is worth keeping.
        self._normalized_reply = functools.lru_cache(maxsize=1024)(matcher.normalize)

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        threshold: float | None = None,
        cache_dir: Path | None = None,
        model: Model | None = None,
        cache_index: bool = False,
    ) -> Engine:
        """Read the knowledge at `path` (file or folder) and build the index, or with
        `cache_index` read it from the cache when nothing it is built from has changed
        (`index_cache.py`). Raises KnowledgeError."""
        folder = knowledge_folder(path)
        normalize = Normalizer()
        curated = load_curated(folder)
        documents = load_documents(path, curated.titles)
        language = load_resources(cache_dir)
        tokenizer = Tokenizer(language, load_lexicon(folder, normalize))
        tokenizer.add_terms([normalize(term) for term in quoted_terms(documents)])

        def build() -> Index:
            return build_index(documents, curated, tokenizer, normalize, language)

        if cache_index:
            key = index_cache.cache_key(path, language.folder)
            index = index_cache.load_or_build(language.folder.parent / "index", key, build)
        else:
            index = build()
        return cls(
            index,
            Matcher(index, tokenizer, normalize, language, model),
            threshold=threshold,
            version=_fingerprint(documents, curated),
        )

    @property
    def documents(self) -> list[Document]:
        return self._index.documents

    @property
    def title(self) -> str:
        return "、".join(d.title for d in self.documents[:3]) + ("等" if len(self.documents) > 3 else "")

    def stats(self) -> KnowledgeStats:
        return KnowledgeStats(
            documents=len(self.documents),
            passages=len(self._index.passages),
            curated_questions=len(self._index.question_target),
        )

    def with_threshold(self, threshold: float) -> Engine:
        """The same knowledge answered with another threshold (no rebuild)."""
        return Engine(
            self._index,
            self._matcher,
            threshold=threshold,
            window=self.window,
            version=self.version,
            dialogue=self._dialogue,
        )

    # ---- answering -------------------------------------------------------------------------

    def answer(self, question: str, *, conversation: Conversation | None = None) -> Answer:
        """The reply to one question; with a conversation, follow-ups resolve against its last answer
        and the reply is remembered in it. Two things asked at once are answered both; small talk
        and foreign questions are recognised before matching (bot/core/dialogue.py)."""
        asked = question
        if (style := _STYLE_REQUEST.match(question or "")) and question[style.end() :].strip():
            question = question[style.end() :]  # "请用简单的中文回答:这个讲话是欢迎谁的?"
        answer = (
            self._two_at_once(question)
            or self._beside_named(question)
            or self._dialogue.reply(self, question, conversation)
        )
        if answer is None:
            # "整篇讲了几大块 能帮我捋一下吗 谢谢": the thanks is no part of what is asked
            asking = self._dialogue.smalltalk.asked_before_thanks(self.normalize(question))
            answer = self._respond(asking or question)[0]
            if asking:
                answer = replace(answer, question=question)
            if (both := self._several_questions(question)) and (
                answer.band != CONFIDENT or any(_same(answer, one) for one in (both, *both.more))
            ):
                answer = both  # not when the whole is answered sure by something else
        if (
            answer.band in (DECLINED, UNSURE)
            and not answer.missing
            and (about := self._last_clause_about_document(question))
        ):
            answer = about
        elif (
            answer.kind == "declined" and not answer.missing and tells_about_oneself(self.normalize(question))
        ):
            answer = Answer(question, False, "smalltalk", NO_BAND, smalltalk="intro")
        if asked != question:
            answer = replace(answer, question=asked)
        if conversation is not None:
            # Follow-ups go on from what was shown last (第五部分, after 第二部分和第五部分).
            conversation.remember(answer.more[-1] if answer.more and answer.more[-1].matched else answer)
        return answer

    def _two_at_once(self, question: str) -> Answer | None:
        """A question about two parts, points or topics at once ("第二部分和第五部分分别讲了什么"):
        the answer about the first, with the one about the second after it; None when the
        question asks about one thing, or the two answers are not two different passages."""
        pieces = pair(self.normalize((question or "")[:MAX_QUESTION_CHARS]))
        if pieces is None:
            return None
        first, second = self._each(pieces)
        if not (first.matched or second.matched) or (first.key is not None and first.key == second.key):
            return None
        if not first.matched:
            first, second = second, first  # the answer leads, the decline follows
        return replace(first, question=question, more=(second,))

    def _several_questions(self, question: str) -> Answer | None:
        """A message of two to four questions ("举报有奖励吗？应急演练怎么搞？", "1.安全生产月是什么
        2.举报奖励怎么弄 3.志愿者干嘛", three or more clauses that each ask), not answered sure as
        a whole: all the answers, when each is answered sure on its own and they differ. A second
        question that asks a detail of the first ("…？有没有名单", "…？叫什么名字") keeps the
        whole declined: on our labelled questions, answering the first half alone answered 5
        questions that are to be declined, and no answerable one."""
        pieces = _questions_in(question or "")
        if len(pieces) >= 2:
            # "我一次问几个哈 讲话是欢迎谁的？一共几部分？": the first asks after the preamble; "回头看是什么
            # 意思？在第几部分？": where it stands is shown with the answer, not asked on its own
            first, *rest = pieces
            pieces = [
                self._dialogue.after_preamble(first),
                *(p for p in rest if not self._dialogue.asks_where(p)),
            ]
        # "讲话提到李克强没有？说了啥": the second asks what the first found said, it is no question alone
        pieces = [p for n, p in enumerate(pieces) if not (n and _ONLY_WHAT_SAID.fullmatch(p.strip(" ?？")))]
        if not 2 <= len(pieces) <= MAX_QUESTIONS or not all(len(CJK.findall(p)) >= 3 for p in pieces):
            return None
        answers = self._each(pieces)
        if any(a.band != CONFIDENT for a in answers):
            return None
        if len({(a.kind, a.key, a.part, a.point) for a in answers}) < len(answers):
            return None
        return replace(answers[0], question=question, more=tuple(answers[1:]))

    def _beside_named(self, question: str) -> Answer | None:
        """The passage before or after one the question names ("强化日常监管前面一条是啥",
        "第三部分讲完 后面接着讲的是啥"); None when the question names none, or what it names is
        not found for sure."""
        found = relative(self.normalize((question or "")[:MAX_QUESTION_CHARS]))
        if found is None:
            return None
        base, forward, unit = found
        named = self._respond(base)[0]
        if not named.matched or named.band != CONFIDENT:
            return None
        # A sentence's neighbour is a sentence ("“永远在路上,没有终点”后面接的什么"), and so is one of
        # the opening's or closing's ("谢谢大家后面还有吗": none, the speech ends there).
        by_sentence = (
            named.part is None
            or unit == "sentence"
            # not "第三部分讲完排查整治 后面接着讲的是啥", which names a part
            or (
                not unit
                and named.kind == "passage"
                and named.point is None
                and not _NAMES_A_PART.search(base)
            )
        )
        if not by_sentence:
            beside = step(self, named, forward, unit)
            return replace(beside, question=question) if beside is not None and beside.matched else None
        if unit not in ("", "sentence") or not named.key:
            return None
        if self._goes_on(base, named.key, forward):
            return replace(named, question=question)  # "横向到边 后面那句": the rest of its own sentence
        beside = self.neighbour(named.key, 1 if forward else -1)
        if beside is None:
            return Answer(question, False, "end", NO_BAND) if forward and named.part is None else None
        return replace(beside, question=question)

    def _goes_on(self, words: str, key: str, forward: bool) -> bool:
        """Whether the words naming a sentence are only part of it, which goes on past them
        (forward) or began before them: "横向到边 后面那句是啥" asks the rest of that sentence."""
        i = self._index.by_key.get(key)
        if i is None:
            return False
        text = bare(self._index.passage_text[i])
        named = bare(_NAMING_A_SENTENCE.sub("", words))
        probe = named[-4:] if forward else named[:4]
        at = text.find(probe) if len(probe) == 4 else -1
        if at < 0:
            return False
        return len(text) - at - len(probe) >= SENTENCE_GOES_ON if forward else at >= SENTENCE_GOES_ON

    def _each(self, pieces: Iterable[str]) -> list[Answer]:
        """Each piece of a message answered on its own, as the question it answers."""
        return [replace(self._respond(piece)[0], question=piece) for piece in pieces]

    def _last_clause_about_document(self, question: str) -> Answer | None:
        """A message whose last clause asks what the document says as a whole, after words that
        set the scene ("领导让我写个学习心得，这篇讲话主要讲了啥"): the outline, when the whole found
        nothing sure. None otherwise: a content question is matched whole, as its earlier clauses
        may carry its topic. (Meta and part answers to a last clause were tried: "…,主题是啥" and
        "…讲话里有标准吗" refine the clause before them, and answered alone two questions of our
        labelled set that are to be declined.)"""
        clauses = [c for c in _CLAUSE_BREAK.split(question or "") if c.strip()]
        if len(clauses) < 2:
            return None
        # The last clause, or the first before a remark about the asker ("讲话一共分了几大块啊 我没看完").
        asking = [clauses[-1]]
        if tells_about_oneself(self.normalize("".join(clauses[1:]))):
            asking.append(clauses[0])
        for clause in asking:
            if len(CJK.findall(clause)) < 4 or not may_ask_outline(self.normalize(clause)):
                continue
            own = self._respond(clause)[0]
            if own.kind == "outline":
                return replace(own, question=question)
        return None

    def _respond(
        self, question: str, *, hits_wanted: int = 8, confident: int = 1
    ) -> tuple[Answer, list[Hit]]:
        """The answer, and the ranked passages it was chosen from (none for structure answers)."""
        question = question or ""
        truncated = MAX_QUESTION_CHARS if len(question) > MAX_QUESTION_CHARS else 0
        query = self._matcher.analyse(question[:MAX_QUESTION_CHARS])
        if not query.words and not CJK.search(query.text):
            return Answer(question, False, "empty", NO_BAND), []
        intent = _intent(query)
        if intent is not None and (structured := self._structured(question, query, intent)):
            return replace(structured, truncated=truncated), []
        hits = self._matcher.rank(query, limit=hits_wanted, confident=confident)
        # Answer-type agreement: each rule may put a runner-up that gives what is asked first.
        for agreeing in (
            self._consequence_first,
            self._never_done_first,
            self._contrast_first,
            self._holding_first,
            self._listing_first,
        ):
            hits = agreeing(query, hits)
        if (about := self._meta_reply(question, query, hits)) is not None:
            shown = self._normalized_reply(about.answer)
            # "讲话人叫什么名字", "哪天讲的": the document says who and where, not the name or the
            # date (a count it may give as a list: "前面几位同志讲了什么").
            lacking = signals.missing(query.text, shown, among=signals.META_DETAILS)
            if meta.match(query.text).name == "earlier_speakers" and (
                meta.ASKS_WHAT_THEY_SAID.search(query.text)
            ):
                lacking = "relayed"  # "前面两位同志具体讲了啥": the speech does not relay it
            if lacking:
                return self._declined(question, hits, lacking, truncated, confidence=0.0), hits
            return replace(about, truncated=truncated), hits
        hits = self._not_addressing(query, hits)
        if not hits or hits[0].confidence < self.threshold:
            closest = self._index.context_text[hits[0].passage] if hits else ""
            return self._declined(question, hits, signals.missing(query.text, closest), truncated), hits
        reply = self._passage_reply(question, hits[0])
        if truncated:
            reply = replace(reply, truncated=truncated)
        if signals.WANTS_LIST.search(query.text) and (
            listed := self._points_of(question, query, hits[0]) or self._counted_part(question, query)
        ):
            reply = replace(listed, confidence=hits[0].confidence, truncated=truncated)
        lacking = (
            None
            if hits[0].curated
            else self._lacking(query, reply, self._index.passages[hits[0].passage].doc)
        )
        if lacking:
            return self._declined(question, hits, lacking, truncated), hits
        if hits[0].confidence < self.confident:
            # The alternatives: other passages, not ones the reply already shows (its point's).
            passages = self._index.passages
            others = self._suggestions(
                [
                    h
                    for h in hits[1:]
                    if h.passage != hits[0].passage and passages[h.passage].text not in reply.answer
                ]
            )
            reply = replace(reply, band=UNSURE, suggestions=[s for s in others if s.key != reply.key])
        return reply, hits

    def explain(self, question: str) -> tuple[Answer | None, list[tuple[Answer, Hit]], int]:
        """For fitting (benchmarks/fit.py): the small-talk or structure answer if one pre-empts
        ranking, else
        every candidate of the pool as the reply it would give with its features, and the
        number of content words of the question."""
        query = self._matcher.analyse(question[:MAX_QUESTION_CHARS])
        if (talk := self._dialogue.reply(self, question, None)) is not None:
            return talk, [], len(query.words)
        intent = _intent(query)
        if intent is not None and (structured := self._structured(question, query, intent)):
            return structured, [], len(query.words)
        hits = self._matcher.candidates(query)
        return None, [(self._passage_reply(question, h), h) for h in hits], len(query.words)

    def candidates(self, question: str, limit: int = 5) -> list[Answer]:
        """Distinct passages for a question, best first, all above the threshold (inline mode)."""
        first, hits = self._respond(question, hits_wanted=limit * 3, confident=limit * 3)
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

    def words(self, question: str) -> tuple[str, ...]:
        """The question's content words as the matcher reads them (for fitting)."""
        return self._matcher.analyse(question[:MAX_QUESTION_CHARS]).words

    def sound(self, text: str) -> str | None:
        """The text's folded toneless pinyin ("你号" -> "ni hao"), None for rare characters."""
        return pinyin_key(text, self._matcher.language)

    def normalize(self, text: str) -> str:
        return self._matcher.normalize(text)

    def covers(self, question: str, key: str) -> float:
        """How much of the question's information the passage `key` and its context hold (0..1)."""
        i = self._index.by_key.get(key)
        return 0.0 if i is None else self._matcher.coverage(self._matcher.analyse(question), i)

    def ranked(self, question: str, limit: int = 3) -> list[Answer]:
        """The closest passages whatever the threshold, best first (for the curator's `suggest`)."""
        query = self._matcher.analyse(question[:MAX_QUESTION_CHARS])
        hits = self._matcher.rank(query, limit=limit, confident=limit)
        return [self._passage_reply(question, hit) for hit in hits]

    def closest(self, question: str, limit: int = 4) -> list[Suggestion]:
        """The passages closest to a question whatever the threshold, as suggestions (one per
        point or paragraph), best first."""
        query = self._matcher.analyse(question[:MAX_QUESTION_CHARS])
        return self._suggestions(self._matcher.rank(query, limit=limit * 2, confident=0))[:limit]

    # ---- reading by structure --------------------------------------------------------------

    def passage_answer(self, key: str) -> Answer | None:
        """The reply for one passage key (a tapped suggestion), or None if the key is unknown."""
        i = self._index.by_key.get(key)
        if i is None:
            return None
        return self._passage_reply("", Hit(i, 0.0, 1.0))

    def neighbour(self, key: str, step: int) -> Answer | None:
        """The sentence `step` sentences after (negative: before) the passage `key` in its
        document ("下一句", "前一句"), or None at either end."""
        i = self._index.by_key.get(key)
        if i is None:
            return None
        passages = self._index.passages
        sentences = self._sentence_ids(passages[i].doc)
        if i not in sentences:  # a heading: its part's first sentence comes after it
            after = [n for n in sentences if n > i]
            at = (sentences.index(after[0]) - 1) if after else len(sentences)
        else:
            at = sentences.index(i)
        target = at + step
        if not 0 <= target < len(sentences):
            return None
        sentence = passages[sentences[target]]
        return replace(
            self._passage_reply("", Hit(sentences[target], 0.0, 1.0)), answer=sentence.text, focus=None
        )

    def part_answer(self, number: int, point: int | None = None, *, doc: int | None = None) -> Answer | None:
        """Part `number` (its heading and the titles of its points), or one of its points."""
        doc = self._speech_doc() if doc is None else doc
        return None if doc is None else self._part_reply("", doc, number, point)

    def part_full(self, number: int, *, doc: int | None = None) -> Answer | None:
        """Part `number` in full: its heading and every paragraph, as written."""
        doc = self._speech_doc() if doc is None else doc
        if doc is None or (part := self.documents[doc].part(number)) is None:
            return None
        p = self.documents[doc].parts.index(part)
        return Answer(
            "",
            True,
            "part_full",
            CONFIDENT,
            "\n".join(part.paragraphs),
            part.heading,
            self.documents[doc].title,
            self.documents[doc].label(part),
            1.0,
            f"{doc}:{p}.h",
            part=number,
        )

    def edge(self, kind: str, *, doc: int | None = None) -> Answer | None:
        """The opening ("opening") or the closing ("closing") of a numbered document."""
        doc = self._speech_doc() if doc is None else doc
        return None if doc is None else self._edge_reply("", doc, kind)

    def outline(self, doc: int = 0) -> list[OutlinePart]:
        """The numbered parts of a document: number, heading, point titles."""
        return [
            OutlinePart(p.number or 0, p.heading or "", tuple(pt.title for pt in p.points))
            for p in self.documents[doc].numbered_parts
        ]

    def outline_text(self, doc: int = 0) -> str:
        return "\n".join(part.heading for part in self.outline(doc))

    def context(self, key: str) -> ContextView | None:
        """The whole paragraph (or part) around a passage, with the passage's span marked."""
        passage = self._index.passage(key)
        if passage is None:
            return None
        document = self.documents[passage.doc]
        part = document.parts[passage.part]
        if passage.paragraph < 0:
            text = "\n".join(part.paragraphs)
            focus = (0, 0)
        else:
            text = self._index.paragraphs[passage.paragraph]
            at = text.find(passage.text)
            focus = (at, at + len(passage.text)) if at >= 0 else (0, 0)
        return ContextView(key, part.heading, self.locate(key) or "", text, focus)

    def locate(self, key: str) -> str | None:
        """Where a passage sits, for a user ("第三部分 · 第一点"); None when the key is unknown."""
        passage = self._index.passage(key)
        if passage is None:
            return None
        return self._location(passage)

    def sentences(self) -> list[str]:
        """Every sentence of the knowledge, as written, in document order (for baselines)."""
        return [p.text for p in self._index.passages if p.kind == "sentence"]

    def search(self, keywords: str, *, limit: int = 200) -> list[SearchHit]:
        """Sentences holding every keyword (folded for width, case and script), in document order."""
        sentences = [(p.key, p.text, self._location(p)) for p in self._index.passages if p.kind == "sentence"]
        return keyword_search.find(sentences, keywords, self._matcher.normalize, limit=limit)

    # ---- structure -------------------------------------------------------------------------

    def _speech_doc(self) -> int | None:
        return next((d for d, doc in enumerate(self.documents) if doc.is_speech), None)

    def _structured(self, question: str, query: Query, intent: Intent) -> Answer | None:
        doc = self._speech_doc()
        if doc is None:
            return None
        document = self.documents[doc]
        if intent.kind == "outline":
            # The headings, and the closing's sentence that sums them up when it has one (以最坚定的
            # 政治觉悟、最严格的制度保障…): the gist, which people asking for the structure want too.
            summed = self.summing_up(question, doc)
            return Answer(
                question,
                True,
                "outline",
                CONFIDENT,
                self.outline_text(doc) + (f"\n{summed.answer}" if summed is not None else ""),
                None,
                document.title,
                "全文提纲",
                1.0,
                limit=len(self.outline(doc)),
            )
        if intent.kind in ("opening", "closing"):
            about = meta.match(query.text)
            if intent.kind == "opening" and about is not None and about.name == "audience":
                return None  # "讲话开头是对谁说的": whom it addresses, the meta answer
            if intent.topic:  # what the opening says about a topic: its best passage, if it has one
                if about is not None:
                    return None  # "开头称呼了哪些人", "开头说前面两位同志讲了啥": the meta answer
                kind = "intro" if intent.kind == "opening" else "closing"
                stretch = next((p for p in document.parts if p.kind == kind), None)
                within = self._within_part(question, query, doc, stretch) if stretch else None
                return within if within is not None and within.confidence >= self.threshold else None
            return self._edge_reply(question, doc, intent.kind)
        if intent.kind == "part":
            parts = document.numbered_parts
            if intent.topic:
                number = self._part_named(doc, intent.topic)
            elif intent.part is not None and intent.part < 0:
                number = parts[intent.part].number if -intent.part <= len(parts) else None
            else:
                number = self._part_meant(doc, intent.part, query)
            if number is None:
                return None
            if (part := document.part(number)) is None:
                return Answer(question, False, "no_part", NO_BAND, part=number, limit=len(parts))
            point = intent.point
            if intent.topic and point is None:
                point = self._point_named(part, intent.topic)  # "应急管理这一块": a point's title
            if point is not None and point < 0:
                point = len(part.points) + 1 + point
            # A part without points answers with its text (第二部分第一点: the start of part two).
            if point is not None and part.points and not 1 <= point <= len(part.points):
                limit = len(part.points)
                return Answer(question, False, "no_point", NO_BAND, part=number, point=point, limit=limit)
            if intent.edge:
                return self._part_edge(question, doc, part, intent.edge)
            if point is None and ASKS_HEADING.search(query.text):
                return self._part_reply(question, doc, number, None)  # its heading, with its points
            if point is None and (within := self._within_part(question, query, doc, part)) is not None:
                return within
            if point is None and part.points and _IN_FULL.search(query.text):
                full = self.part_full(number, doc=doc)
                return replace(full, question=question) if full is not None else None
            reply = self._part_reply(question, doc, number, point)
            if reply is not None and point is not None and not part.points:
                reply = replace(reply, point=point)  # 第二部分第二点: the part, which has no points
            return reply
        return None  # a list question ("隐患排查有哪些措施") is ranked: headings compete with points

    def _part_edge(self, question: str, doc: int, part: Part, edge: str) -> Answer | None:
        """A part's first sentence after its heading ("第四部分开头第一句") or its last one."""
        inside = self._sentence_ids(doc, part)
        if not inside:
            return None
        i = inside[0] if edge == "first" else inside[-1]
        return replace(self._passage_reply(question, Hit(i, 0.0, 1.0)), kind="part")

    def _sentence_ids(self, doc: int, part: Part | None = None) -> list[int]:
        """The passage numbers of a document's sentences (or one part's), in order."""
        parts = self.documents[doc].parts
        return [
            i
            for i, p in enumerate(self._index.passages)
            if p.doc == doc and p.kind == "sentence" and (part is None or parts[p.part] is part)
        ]

    def _lacking(self, query: Query, reply: Answer, doc: int) -> str | None:
        """The detail the question asks for that the reply does not give: a number, an amount, a
        date, a phone number … (`signals.DECISIVE`), a name or place it only masks (xx区是哪个区),
        or which firms or people by name (哪几家企业) when it names none at all: no title, no
        company and no word jieba's dictionary lacks. A district or city the document `doc` only
        ever masks (xx区) is not given by a reply that names nothing."""
        shown = self._normalized_reply(f"{reply.section or ''} {reply.answer}")
        lacking = signals.missing(query.text, shown, among=signals.DECISIVE) or signals.masked(
            query.text, shown
        )
        if lacking is None and signals.masked_place(query.text, self._index.document_text[doc]):
            # "这个区是哪个城市的哪个区": the document masks every district (xx区), so no reply names it
            lacking = None if self._matcher.names_in(shown) else "place"
        if (
            lacking is None
            and (named := signals.missing(query.text, shown, among=_BY_NAME))
            and not self._matcher.names_in(shown)
        ):
            return named
        return lacking

    def _holding_first(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """Answer-type agreement for a name or place asked for (是谁来查, 制度名字叫啥): when the
        leader lacks it and a runner-up scoring at least DETAIL_SHARE of it lacks nothing asked,
        that one leads, its confidence computed as the leader's. The fitted ranking weighs a
        missing detail little (it is fitted on answerable questions, which rarely ask for one);
        the confidence weighs it much, so a leader lacking it is declined though a close
        runner-up answers."""
        if len(hits) < 2 or not hits[0].features or hits[0].score <= 0:
            return hits
        if hits[0].features[_MISSING_VAGUE] == 0:
            return hits
        return self._runner_up_first(
            query,
            hits,
            DETAIL_SHARE,
            lambda hit: bool(hit.features) and hit.features[_MISSING] + hit.features[_MISSING_VAGUE] == 0,
        )

    def _not_addressing(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """A salutation (尊敬的xx组长、督查组各位成员、同志们:) answers only whom the speech
        addresses: leading by its own words (督查组), it gives way to the runner-up. (On our labelled
        and dev questions: 2 answerable and 3 rejects fixed, none broken.)"""
        if len(hits) < 2 or hits[0].passage not in self._salutations:
            return hits
        if signals.masked(query.text, self._index.passages[hits[0].passage].text):
            return hits  # "那个xx组长叫啥": the name it masks, which the reply says is not given
        if hits[0].curated or not hits[0].features or hits[0].features[0] == 0:
            return hits  # led by curated questions about whom it addresses, not by its own words
        return self._promoted(query, hits, 1)

    @functools.cached_property
    def _salutations(self) -> frozenset[int]:
        """The passages that address the audience: an opening's sentences ending with a colon."""
        return frozenset(
            i
            for i, passage in enumerate(self._index.passages)
            if passage.kind == "sentence"
            and (parts := self.documents[passage.doc].parts)
            and parts[passage.part].kind == "intro"
            and passage.text.rstrip().endswith((":", "："))
        )

    def _runner_up_first(
        self, query: Query, hits: list[Hit], share: float, answers: Callable[[Hit], bool], reach: int = 5
    ) -> list[Hit]:
        """The hits with the first runner-up (of the best `reach`) that `answers` first, if it
        scores at least `share` of the leader; else as they are."""
        for k in range(1, min(len(hits), reach)):
            if hits[k].score < share * hits[0].score:
                break  # the runners-up come best first
            if answers(hits[k]):
                return self._promoted(query, hits, k)
        return hits

    def _promoted(self, query: Query, hits: list[Hit], k: int) -> list[Hit]:
        """The hits with the k-th first, its confidence computed as the leader's."""
        ranked = self._matcher.rank(query, limit=len(hits), confident=k + 1)
        return [ranked[k], *ranked[:k], *ranked[k + 1 :]]

    def _listing_first(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """Answer-type agreement for a list question (重点查哪几个行业): a runner-up scoring at least
        LISTING_SHARE of the leader that lists things and names their kind with a word of the
        question the leader lacks (建筑施工、道路交通、消防、危险化学品等重点行业领域) leads, unless the
        leader lists things too."""
        if len(hits) < 2 or hits[0].score <= 0 or not signals.WANTS_LIST.search(query.text):
            return hits
        passages, soft = self._index.passages, self._matcher.model.soft_words
        leader = passages[hits[0].passage].text
        if _LISTED_KIND.search(leader):
            return hits
        words = [w for w in query.words if len(w) >= 2 and w not in soft and w not in leader]
        if not words:
            return hits

        def lists_its_kind(hit: Hit) -> bool:
            kinds = _LISTED_KIND.findall(passages[hit.passage].text)
            return any(w in kind for kind in kinds for w in words)

        return self._runner_up_first(query, hits, LISTING_SHARE, lists_its_kind, reach=4)

    def _contrast_first(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """Answer-type agreement for "is that enough" (整改把眼前问题解决了就完事了吧): the answer says
        what more is needed (不仅要解决具体问题,还要…)."""
        if not signals.ASKS_ENOUGH.search(query.text):
            return hits
        if (
            hits
            and signals.ASKS_DONE.search(query.text)
            and signals.DENIES_DONE.search(self._index.passages[hits[0].passage].text)
        ):
            return hits  # "安全生产就算完事了吧": 永远在路上,没有终点 answers it
        return self._stating_first(query, hits, signals.STATES_MORE, CONTRAST_SHARE)

    def _never_done_first(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """Answer-type agreement for "when will it ever be over" (干到啥时候算完, 有没有终点): the
        answer says it never is (永远在路上,没有终点), not only that it is long (长期而艰巨)."""
        if not signals.ASKS_EVER_DONE.search(query.text):
            return hits
        return self._stating_first(query, hits, signals.NEVER_DONE, CONTRAST_SHARE)

    def _consequence_first(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """Answer-type agreement for one kind of question the fitted features miss: what happens to
        those who fail to do something ("查出问题不改会怎样"): the answer says what happens (追究
        责任). (As a fitted feature the same signal got too small a weight to move any of these
        questions; see matcher.py.)"""
        if not (signals.ASKS_CONSEQUENCE.search(query.text) and signals.FAILING.search(query.text)):
            return hits
        return self._stating_first(query, hits, signals.STATES_CONSEQUENCE, CONSEQUENCE_SHARE)

    def _stating_first(
        self, query: Query, hits: list[Hit], states: re.Pattern[str], share: float
    ) -> list[Hit]:
        """When the leader's text does not say what the question asks for (`states`) and a
        runner-up scoring at least `share` of it does, that one leads, its confidence computed as
        the leader's."""
        if len(hits) < 2 or hits[0].score <= 0:
            return hits
        passages = self._index.passages
        if states.search(passages[hits[0].passage].text):
            return hits
        return self._runner_up_first(
            query, hits, share, lambda hit: bool(states.search(passages[hit.passage].text))
        )

    def _within_part(self, question: str, query: Query, doc: int, part: Part) -> Answer | None:
        """A question that names a part and asks about something its heading does not name
        ("第三部分里培训怎么说", "应急这块说啥了"): the best passage of that part, hedged unless
        the model is confident. None when the heading names it all, or no candidate is in the
        part. A list question gets the part's points when its words are in the point titles or
        nowhere beyond the heading ("第六部分还讲了哪几条"); the one point whose title holds them
        ("第四部分提到哪些宣传媒体": 利用多种媒体平台); else the passage that lists them
        ("第六部分说面对哪些新情况")."""
        if _BESIDES.search(query.text):
            return None  # "除了立即整改还要求了什么", "别的还有啥": the part's points
        normalize = self._matcher.normalize
        heading = normalize(part.heading or "")
        extra = [w for w in topic_words_of(list(query.words)) if w not in heading and w not in query.asker]
        if not extra:
            return None
        if signals.WANTS_LIST.search(query.text):
            words = [w for w in extra if len(w) >= 2]
            titles = [normalize(point.title) for point in part.points]
            holding = [n for n, title in enumerate(titles, 1) if any(w in title for w in words)]
            if len(holding) == 1 and part.number is not None:
                return self._part_reply(question, doc, part.number, holding[0])
            if holding or not words:
                return None
        passages, parts = self._index.passages, self.documents[doc].parts
        hits = [
            h
            for h in self._matcher.candidates(query)
            if (p := passages[h.passage]).doc == doc
            and parts[p.part] is part
            and p.kind != "heading"
            and h.passage not in self._salutations  # 开头表态说要怎么对待督查组: not the address
        ]
        if not hits:
            return None
        reply = self._passage_reply(question, hits[0])
        if lacking := self._lacking(query, reply, doc):
            return self._declined(question, hits, lacking, 0)  # "开头说的两位xxx同志是谁": masked
        return reply if hits[0].confidence >= self.confident else replace(reply, band=UNSURE)

    def _points_of(self, question: str, query: Query, hit: Hit) -> Answer | None:
        """For a question that asks for a list ("隐患排查有哪些措施"): when the best passage is its
        part's heading, introduction or summary (not one of its points), the part's points; but
        not when the sentence itself names what the question asks about and the part's heading
        and point titles do not ("整改方案里要写清楚哪些内容": the introduction lists them), unless
        the question counts as many items as the part has points ("整治行动包括哪四项措施")."""
        passage = self._index.passages[hit.passage]
        document = self.documents[passage.doc]
        part = document.parts[passage.part]
        if passage.point >= 0 or len(part.points) < 2 or part.number is None:
            return None
        counted = _COUNT_OF_ITEMS.search(query.text)
        if passage.kind == "sentence" and not (
            counted and parse_number(counted.group(1)) == len(part.points)
        ):
            normalize, soft = self._matcher.normalize, self._matcher.model.soft_words
            outline = normalize(" ".join([part.heading or "", *(p.title for p in part.points)]))
            own = normalize(passage.text)
            if any(len(w) >= 2 and w not in soft and w in own and w not in outline for w in query.words):
                return None
        return self._part_reply(question, passage.doc, part.number, None, kind="points")

    def _counted_part(self, question: str, query: Query) -> Answer | None:
        """A list question that counts its items and names its part by the heading's words
        ("督查整改的四项要求分别是什么"): the points of the one part whose heading holds all of the
        question's topic words and that has as many points as it counts."""
        counted = _COUNT_OF_ITEMS.search(query.text)
        doc = self._speech_doc()
        if counted is None or doc is None:
            return None
        soft = self._matcher.model.soft_words
        words = [w for w in topic_words_of(list(query.words)) if len(w) >= 2 and w not in soft]
        n = parse_number(counted.group(1))
        normalize = self._matcher.normalize
        found = [
            part
            for part in self.documents[doc].numbered_parts
            if len(part.points) == n and words and all(w in normalize(part.heading or "") for w in words)
        ]
        if len(found) != 1:
            return None
        return self._part_reply(question, doc, found[0].number, None, kind="points")

    def _point_named(self, part: Part, topic: str) -> int | None:
        """The point of a part whose title alone holds the topic's words, when its heading does
        not ("应急管理这一块" names 三是加强应急管理 of part three, not the part)."""
        normalize = self._matcher.normalize
        words = [w for w in self._matcher.analyse(topic).words if len(w) >= 2]
        heading = normalize(part.heading or "")
        if not words or any(w in heading for w in words):
            return None
        found = [
            n for n, point in enumerate(part.points, 1) if all(w in normalize(point.title) for w in words)
        ]
        return found[0] if len(found) == 1 else None

    def _part_meant(self, doc: int, number: int, query: Query) -> int | None:
        """The part a question names by number, unless the number is misremembered: its topic
        words are nowhere in that part (or there is no such part), or another part holds more of
        them. Then the part whose heading names the topic ("第二部分讲的隐患排查四个重点",
        "第七部分说以最务实的态度…"), or None when no heading does and two or more of the words
        (or one compound) stand in the body of another part ("第三部分里那个整改台账销号管理": ranked like any question)."""
        topic = [w for w in topic_words_of(list(query.words)) if len(w) >= 2]
        if not topic or number < 0:
            return number
        normalize = self._matcher.normalize
        document = self.documents[doc]
        part = document.part(number)
        if part is not None and _CHECKING.search(query.text):
            return number  # "第三部分是讲宣传的吧": the part asked about shows whether it is

        def held(p: Part) -> list[str]:
            text = normalize(" ".join([p.heading or "", *p.paragraphs]))
            return [w for w in topic if w in text]

        here = len(held(part)) if part is not None else 0
        there = max((held(p) for p in document.numbered_parts if p is not part), key=len, default=[])
        if here and (here == len(topic) or here >= len(there)):
            return number
        named = self._part_named(doc, " ".join(topic))
        if named is not None:
            return named
        # Two words, or one compound (应急演练, not 目标), are enough to place the topic elsewhere.
        placed = len(there) >= 2 or any(len(w) >= 3 for w in there)
        return None if part is not None and len(there) > here and placed else number

    def _part_named(self, doc: int, topic: str) -> int | None:
        """The numbered part whose heading (or point titles) best hold the topic's words."""
        words = [w for w in self._matcher.analyse(topic).words if len(w) >= 2] or [topic]
        words = topic_words_of(words) or words  # 宣传工作: 工作 is in most headings
        scored = []
        for part in self.documents[doc].numbered_parts:
            text = self._matcher.normalize((part.heading or "") + " ".join(pt.title for pt in part.points))
            scored.append((sum(1 for w in words if w in text), part.number))
        scored.sort(reverse=True)
        if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        return scored[0][1]

    def _meta_reply(self, question: str, query: Query, hits: list[Hit]) -> Answer | None:
        """A question about the document itself (who speaks, to whom, what it quotes), answered
        from its structure, unless a passage answers the question's own words with certainty."""
        rule = meta.match(query.text)
        doc = self._speech_doc() if rule else None
        if rule is None or doc is None:
            return None
        document = self.documents[doc]
        sentences = [
            meta.Sentence(p.key, p.text, document.parts[p.part].kind)
            for p in self._index.passages
            if p.doc == doc and p.kind == "sentence"
        ]
        found = rule.find(sentences, document.title)
        if found is None:
            return None
        certain = hits and hits[0].confidence >= max(self.confident, 0.9)
        if certain and not rule.firm and self._index.passages[hits[0].passage].key not in found.keys:
            return None
        first = self._index.passage(found.keys[0]) if found.keys else None
        # Where each sentence stands, once each ("开场白、结束语" for the subject and the summing-up).
        places = dict.fromkeys(self._location(p) for key in found.keys if (p := self._index.passage(key)))
        return Answer(
            question,
            True,
            "meta",
            CONFIDENT,
            found.text,
            document.title if first is None else document.parts[first.part].heading or document.title,
            document.title,
            "、".join(places) or "标题",
            1.0,
            found.keys[0] if found.keys else None,
            part=document.parts[first.part].number if first else None,
        )

    def summing_up(self, question: str = "", doc: int = 0) -> Answer | None:
        """The closing's sentence that sums up the parts (以最坚定的政治觉悟、最严格的制度保障…): the
        outline in one sentence, when the closing has one that holds part of every heading (by
        character pairs: at least SUMMING_UP_EACH of each, SUMMING_UP_MEAN on average)."""
        headings = [part.heading for part in self.outline(doc) if len(part.heading) > 1]
        best, best_mean = None, SUMMING_UP_MEAN
        for i, passage in enumerate(self._index.passages):
            part = self.documents[passage.doc].parts[passage.part]
            if not headings or passage.doc != doc or part.kind != "closing" or passage.kind != "sentence":
                continue
            text = passage.text
            pairs = {text[k : k + 2] for k in range(len(text) - 1)}
            shares = [sum(h[k : k + 2] in pairs for k in range(len(h) - 1)) / (len(h) - 1) for h in headings]
            mean = sum(shares) / len(shares)
            if min(shares) >= SUMMING_UP_EACH and mean > best_mean:
                best, best_mean = i, mean
        if best is None:
            return None
        reply = self._passage_reply(question, Hit(best, 0.0, 1.0))
        return replace(reply, kind="closing", answer=self._index.passages[best].text, focus=None)

    def _edge_reply(self, question: str, doc: int, kind: str) -> Answer | None:
        """The opening's first real sentence (after the salutation) or the closing's first."""
        wanted = "intro" if kind == "opening" else "closing"
        for i, passage in enumerate(self._index.passages):
            part = self.documents[passage.doc].parts[passage.part]
            salutation = re.search(r"[:：]$", passage.text)  # "尊敬的…同志们:"
            if passage.doc == doc and part.kind == wanted and passage.kind == "sentence" and not salutation:
                return replace(self._passage_reply(question, Hit(i, 0.0, 1.0)), kind=kind, focus=None)
        return None

    def _part_reply(
        self, question: str, doc: int, number: int, point: int | None, kind: str = "part"
    ) -> Answer | None:
        document = self.documents[doc]
        part = document.part(number)
        if part is None:
            return None
        p = document.parts.index(part)
        location = document.label(part)
        if point is not None and 1 <= point <= len(part.points):
            pt = part.points[point - 1]
            point_id = next(
                i
                for i, ref in enumerate(self._index.points)
                if ref.doc == doc and ref.part == p and ref.point is pt
            )
            key = self._index.passages[self._index.point_passages[point_id]].key
            return Answer(
                question,
                True,
                "point",
                CONFIDENT,
                pt.text,
                part.heading,
                document.title,
                f"{location} · 第{cn_numeral(point)}点",
                1.0,
                key,
                part=number,
                point=point,
            )
        if part.points:
            body = "；".join(pt.title for pt in part.points) + "。"
        else:
            body = shorten(part.paragraphs[0] if part.paragraphs else "", ANSWER_BUDGET)
        return Answer(
            question,
            True,
            kind,
            CONFIDENT,
            body,
            part.heading,
            document.title,
            location,
            1.0,
            f"{doc}:{p}.h",
            part=number,
            limit=len(part.points),
        )

    # ---- passages --------------------------------------------------------------------------

    def _passage_reply(self, question: str, hit: Hit) -> Answer:
        index = self._index
        passage = index.passages[hit.passage]
        document = self.documents[passage.doc]
        part = document.parts[passage.part]
        if passage.kind == "heading":
            reply = self._part_reply(question, passage.doc, part.number, None) if part.number else None
            if reply is not None:
                return replace(reply, confidence=hit.confidence)
        point = index.points[passage.point].point.number if passage.point >= 0 else None
        text = reply_text(index, hit.passage, window=self.window)
        # Within a window of neighbours (not a whole point), mark the sentence that answers.
        at = text.find(passage.text) if len(text) > len(passage.text) and passage.point < 0 else -1
        return Answer(
            question,
            True,
            "passage",
            CONFIDENT,
            text,
            part.heading,
            document.title,
            self._location(passage),
            hit.confidence,
            passage.key,
            part=part.number,
            point=point,
            focus=(at, at + len(passage.text)) if at >= 0 else None,
        )

    def _location(self, passage: Passage) -> str:
        """The one way a passage's place is written: "第三部分 · 第二点", with the document's
        title in front when the knowledge holds several documents."""
        document = self.documents[passage.doc]
        where = document.label(document.parts[passage.part])
        if passage.point >= 0:
            where += f" · 第{cn_numeral(self._index.points[passage.point].point.number)}点"
        if len(self.documents) > 1:
            where = f"{document.title} · {where}"
        return where

    def _declined(
        self,
        question: str,
        hits: list[Hit],
        missing: str | None,
        truncated: int,
        *,
        confidence: float | None = None,
    ) -> Answer:
        """The decline: the closest topics, and the detail the document lacks when one is asked
        for (`confidence`: the leader's unless given)."""
        return Answer(
            question,
            False,
            "declined",
            DECLINED,
            confidence=(hits[0].confidence if hits else 0.0) if confidence is None else confidence,
            suggestions=self._closest_topics(hits),
            missing=missing,
            related=bool(missing and hits and hits[0].features and hits[0].features[_COVERAGE] >= RELATED),
            truncated=truncated,
        )

    def _closest_topics(self, hits: list[Hit]) -> list[Suggestion]:
        """The topics a decline offers: none when the document lacks most of what the question
        asks about (灭火器怎么用 has nothing close in a speech on inspections)."""
        if hits and hits[0].features and hits[0].features[_ABSENT] >= OFF_TOPIC:
            return []
        return self._suggestions(hits)

    def _suggestions(self, hits: list[Hit]) -> list[Suggestion]:
        seen: set[tuple[int, int]] = set()
        out = []
        for hit in hits:
            passage = self._index.passages[hit.passage]
            group = (passage.doc, passage.point if passage.point >= 0 else -1 - passage.paragraph)
            if group in seen or passage.text.rstrip().endswith((":", "：")):
                continue  # a salutation (尊敬的…同志们:) is no topic to offer
            seen.add(group)
            if passage.point >= 0:
                label = point_prefix.sub("", self._index.points[passage.point].point.title)
            else:
                label = shorten(passage.text, 24)
            out.append(Suggestion(label, passage.key, self._location(passage)))
            if len(out) == MAX_SUGGESTIONS:
                break
        return out


def _same(one: Answer, other: Answer) -> bool:
    """Whether two answers show the same thing (a passage, or a part or point by number)."""
    return (one.kind, one.key, one.part, one.point) == (other.kind, other.key, other.part, other.point)


class Builder:
    """Engines for many small knowledge texts that share one tokenizer and model: one article at
    a time in the Wikipedia benchmarks and the fit (no user dictionary, nothing curated)."""

    def __init__(self, *, cache_dir: Path | None = None, model: Model | None = None) -> None:
        self._normalize = Normalizer()
        self._language = load_resources(cache_dir)
        self._tokenizer = Tokenizer(self._language, Lexicon(stopwords=load_stopwords()))
        self._model = model or Model.load()

    def words(self, question: str) -> tuple[str, ...]:
        """Content words of a question with no knowledge-specific vocabulary (for fitting)."""
        return tuple(self._tokenizer.words(self._normalize(question)))

    def normalize(self, text: str) -> str:
        return self._normalize(text)

    def engine(self, text: str, *, name: str = "article.md", threshold: float | None = None) -> Engine:
        documents = split_documents(text, name)
        curated = Curated({}, ())
        index = build_index(documents, curated, self._tokenizer, self._normalize, self._language)
        matcher = Matcher(index, self._tokenizer, self._normalize, self._language, self._model)
        return Engine(index, matcher, threshold=threshold, version=_fingerprint(documents, curated))


def _fingerprint(documents: list[Document], curated: object) -> str:
    """A short hash of everything the answers depend on: changes when any knowledge file does."""
    digest = hashlib.sha256()
    for document in documents:
        digest.update(document.title.encode())
        for part in document.parts:
            digest.update("\n".join([part.heading or "", *part.paragraphs]).encode())
    digest.update(repr(curated).encode())
    return digest.hexdigest()[:8]

"""Rank passages for a question and say how sure the match is.

Two stages:
1. Candidates: BM25 (`bm25.py`) on the sentence plus, with fixed weights, BM25 of its context
   (point, paragraph, part heading) and of the curated questions that point at it; the best
   `Model.pool` passages go on.
2. Each candidate gets a vector of named features (`FEATURES`, all roughly 0..1). The ranking
   score is a weighted sum and the confidence a logistic function of the leader's features and
   its margin over the runner-up. Both weight sets live in `data/model.json`, fitted by
   `benchmarks/fit.py` on labelled questions about the speech and on Wikipedia questions
   (DRCD, CMRC 2018); the fit prints cross-validated accuracy and each feature's ablation.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from operator import itemgetter, mul
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.core import files, signals
from bot.core.index import Index, bare, pinyin_key, reply_text
from bot.core.lexicon import Tokenizer
from bot.core.resources import LanguageResources, fold_pinyin
from bot.core.text import CJK, Normalizer, cn_numeral

# The features of a candidate, in the order of the model's weight vectors.
FEATURES: tuple[str, ...] = (
    "sentence",  # BM25 of the passage itself, relative to the best candidate's (0..1)
    "curated",  # BM25 of the curated questions that point at it, relative
    "fuzzy",  # rapidfuzz similarity of the closest curated question (0..1 above the floor)
    "coverage",  # share of the question's information (general-usage IDF) found in its context
    "specific",  # share of the question's words found (title included), weighted by IDF within this knowledge
    "chars",  # share of the question's character pairs found in its context and title (typo/segmentation-proof)
    "thesaurus",  # share of the question's information found only as a Cilin synonym (要紧 -> 重要)
    "missing",  # the question wants a detail the passage lacks that shows reliably (date, amount, number, phone)
    "missing_vague",  # the same for a name or a place (neither a title, an address nor a proper noun)
    "list_heading",  # a heading whose part lists points, for a question that asks for a list
    "heading_only",  # the passage is a heading (without a list question)
    "absent",  # the share of the question's information the whole document lacks (环保 in a question about safety)
)
# Measured and dropped (benchmarks/fit_output.txt of the commit that dropped them: leaving all
# eight out together cost nothing cross-validated): BM25 of the point, paragraph and heading as
# features (they still choose the candidates), the title's share of the
# question's words (the title still counts for coverage), and the largest one-word gap of the
# passage and of the document. Reason/consequence shapes (the question asks why or what follows,
# the sentence says 为了/由于/导致/追究) were tried twice, with broad and with narrow markers: zeroed
# in the fitted model they changed none of 2,931 labelled questions nor 70 written to ask why.
# A consequence shape alone (会怎样/后果/下场 against 追究/问责/导致), tried a third time with 240
# fresh questions added: fitted weight 1.35, zeroed it changed 2 of 3,481 labelled questions
# (one of them a reject), and "查出问题不改会怎样" still got 立即整改; dropped.
# The confidence reads the leader's absolute features (the relative BM25 ones are ~1 for any
# leader), its margin over the runner-up in ranking score, and the question's length.
_RELATIVE = ("sentence", "curated")
CONFIDENCE_INPUTS: tuple[str, ...] = (*(f for f in FEATURES if f not in _RELATIVE), "margin", "words")
_CONFIDENCE_FROM = tuple(FEATURES.index(f) for f in CONFIDENCE_INPUTS[:-2])

# Stage-one weights: how much each context level adds to a sentence's own BM25 when choosing
# the candidates (the final order comes from the fitted model, not from these).
# "vouched" is added per unit of rapidfuzz similarity to a curated question above FUZZY_FLOOR.
STAGE_ONE = {"point": 0.5, "paragraph": 0.25, "heading": 0.35, "curated": 0.8, "vouched": 6.0}
# rapidfuzz ratio of a whole question to a curated one that vouches without shared words
WHOLE_QUESTION = 85.0
FUZZY_FLOOR = 70.0  # rapidfuzz ratio (0..100) from which a curated question vouches for its passage
# A question this close to a curated one (rapidfuzz ratio) is answered with the curated passage,
# whatever the model says: the curator's way to fix an answer (README, "Curating answers").
CURATED_OVERRIDE = 92.0
# ... and only when the whole questions are this close too (rapidfuzz ratio on the text without
# punctuation): the content words alone leave out what is asked (为什么要搞安全宣传 and
# 安全宣传都搞了哪些 share 安全 and 宣传). Measured on our labelled questions: 0 (words only) to 70
# change nothing, 80 declines 2 more rejects (611/719), 90 the same as 80.
CURATED_OVERRIDE_TEXT = 80.0
MAX_WORD_WEIGHT = 12.0  # cap of a word's general IDF in the coverage
UNKNOWN_WORD_WEIGHT = 10.0  # general IDF of a word missing from jieba's table
MODEL_FILE = "data/model.json"
# jieba frequency from which a word is taken as correctly typed (引用 2,700; a typo like 将励 is
# not a dictionary word at all, and rare dictionary words are typed by mistake more often).
COMMON_WORD = 1000


@dataclass(frozen=True, slots=True)
class Model:
    """The fitted weights (see `benchmarks/fit.py`, which writes `data/model.json`)."""

    rank: dict[str, float]
    confidence: dict[str, float]  # weights of CONFIDENCE_INPUTS, plus "bias"
    threshold: float  # confidence below which a question is declined
    confident: float  # confidence from which the answer is given without a hedge
    pool: int = 24  # candidates carried from stage one to the model
    soft_words: frozenset[str] = frozenset()  # words that only frame a question (see coverage)
    soft_weight: float = 0.3
    meta: dict = field(default_factory=dict)  # what the fit measured, for the reader

    @classmethod
    def load(cls, path: Path | None = None) -> Model:
        if path is None:
            text = importlib_resources.files("bot.core").joinpath(MODEL_FILE).read_text("utf-8")
        else:
            text = path.read_text("utf-8")
        data = json.loads(text)
        return cls(
            rank=data["rank"],
            confidence=data["confidence"],
            threshold=data["threshold"],
            confident=data["confident"],
            pool=data.get("pool", 24),
            soft_words=frozenset(data.get("soft_words", ())),
            soft_weight=data.get("soft_weight", 0.3),
            meta=data.get("meta", {}),
        )


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # normalised question
    words: tuple[str, ...]  # content words after synonym folding and typo repair
    terms: tuple[str, ...]  # words plus sub-words, for BM25
    repaired: frozenset[str]  # words that typo repair produced
    parts: dict[str, list[str]]  # the dictionary words inside each long word
    persona: frozenset[str] = frozenset()  # words of a self-description ("我是开饭店的")
    asker: frozenset[str] = frozenset()  # of those, the ones surely about who asks (我是…, 奶奶问)


class Hit(NamedTuple):  # a tuple: a question builds up to a dozen
    passage: int
    score: float  # ranking score (only comparable within one question)
    confidence: float  # 0..1
    features: tuple[float, ...] = ()
    curated: bool = False  # a curated question nearly identical to the question points at it


# "我是开饭店的" / "开大货车的要…": the asker describing themselves. Those words set the scene;
# the answer need not contain them, so they weigh little in the coverage when not found.
_PERSONA = re.compile(
    r"(?:^|[,，。;；\s])(?:我们?|咱们?|我家|家里)?(?:是|在|开|做|干|搞|当|跑)([^,，。;；?？!！\s]{1,12}?)(?:的|上班|工作|干活)"
)
# "我是记者，", "本人企业安全员，": who asks, a clause of its own at the start.
_INTRODUCED = re.compile(r"(?:我是|我们是|本人是?|俺是)([^,，。;；?？!！\s]{2,12})(?=[,，。;；\s])")
# How much likelier a word the knowledge or its curated questions use is, reading a sentence
# typed in pinyin (see Matcher._general_pinyin). On 20 pinyin questions of our own, the answer
# was the one their Chinese gets for 3 without the reading, 16 with it at 3, 6 or 20.
PINYIN_OWN_WORDS = 6
# How informative in general usage (jieba's IDF) a word must be to vouch for a typo's repair
# beside it (see Matcher._plausible): 不能 3.99, 问题 3.96 do not; 注意 5.3, 举报 7.5 do.
ANCHOR_IDF = 4.5
# A number of one or two digits written against a Chinese character (18大, 第3部分).
# Not before what counts parts, points or dates (3是, 第3部分, 2月24日): those are read as digits.
_DIGITS_BEFORE_CJK = re.compile(
    r"(?<![\d.．])(\d{1,2})(?=[\u4e00-\u9fff])(?![是点条部块项个段节章的里之月日号年天时分秒])"
)
# Who a forwarded question comes from (群友问：…, 【转发】网友想知道：…): said, not asked about.
_RELAYED = re.compile(
    r"^(?:转发)?([^,，。;；?？!！\s:：]{1,8}?)(?:问|想问|想知道|让我问|提问)[:：]|"
    # "奶奶问这个讲话是讲啥的": without a colon only after the people one asks for
    r"^((?:我)?(?:奶奶|爷爷|外婆|外公|姥姥|姥爷|妈妈|爸爸|我妈|我爸|老妈|老爸|老婆|老公|媳妇|孩子|儿子|女儿|"
    r"老板|领导|同事|朋友|邻居|师傅|老师|群友|网友|家里人|老人家?))(?:让我)?(?:问|想问|想知道|让我问)(?:一下|下)?"
)
# A count with its measure word (四个, 三点, 两条, 几项): it frames a list question ("整改的四个要求")
# rather than naming its topic, as the fitted framing words 五个 and 六个 do.
_COUNTED = re.compile(r"[一二三四五六七八九十两几\d]+[个条点项种类大步方面部分]+")
_OPENER = re.compile(
    r"^(?:请问一下|请问|我想问一下|我想问下|想问一下|想问下|问一下|问下|麻烦问一下|打扰一下)"
)
_PAIR_SKIP = re.compile(r"[\W\d_a-z]")


class Matcher:
    def __init__(
        self,
        index: Index,
        tokenizer: Tokenizer,
        normalize: Normalizer,
        language: LanguageResources,
        model: Model | None = None,
    ) -> None:
        self.index = index
        self._tokenizer = tokenizer
        self.normalize = normalize
        self._language = language
        self.model = model or Model.load()
        # The local IDF of a word no passage holds.
        self._rarest = max(index.sentence_level.idf.values(), default=1.0)
        self._rank_w = [self.model.rank.get(f, 0.0) for f in FEATURES]
        self._conf_w = [self.model.confidence.get(f, 0.0) for f in CONFIDENCE_INPUTS]
        self._conf_bias = self.model.confidence.get("bias", 0.0)
        self._passage_traits: dict[int, tuple[frozenset[str], frozenset[signals.Detail]]] = {}
        self._passage_proper: dict[int, bool] = {}
        self._passage_words: dict[int, tuple[frozenset[str], str, str, str, frozenset[int]]] = {}
        self._by_length: defaultdict[int, list[str]] = defaultdict(list)
        for word in index.vocabulary:
            if CJK.match(word):
                self._by_length[len(word)].append(word)

    @property
    def language(self) -> LanguageResources:
        return self._language

    # ---- the question --------------------------------------------------------------------

    def analyse(self, question: str) -> Query:
        text = self._from_digits(self._from_english(self._from_pinyin(self.normalize(question))))
        tokens, repaired = self._repair(self._tokenizer.tokens(text))
        words = self._tokenizer.content(tokens)
        parts = {w: [t for t in self._tokenizer.terms([w]) if t != w] for w in words if len(w) > 2}
        found = list(_PERSONA.finditer(text))
        framing = [m.group(1) for m in found]
        # Said with 我/咱 (not "开头称呼的", which _PERSONA also reads), or who a question is passed on from.
        surely = [m.group(1) for m in found if m.group(0).lstrip(" ,，。;；").startswith(("我", "咱", "家"))]
        if introduced := _INTRODUCED.match(text):  # "本人企业安全员，想问下…": who asks, set apart
            framing.append(introduced.group(1))
            surely.append(introduced.group(1))
        if relayed := _RELAYED.match(text):
            framing.append(relayed.group(1) or relayed.group(2))
            surely.append(framing[-1])
        persona = frozenset(w for said in framing for w in self._tokenizer.words(said) if w in words)
        asker = frozenset(w for said in surely for w in self._tokenizer.words(said) if w in words)
        return Query(
            text,
            tuple(words),
            tuple(self._tokenizer.terms(words)),
            frozenset(repaired),
            parts,
            persona,
            asker,
        )

    def _from_pinyin(self, text: str) -> str:
        """Pinyin typed for words of the knowledge ("yinhuan", "anquan shengchan") becomes the
        words: each run of Latin letters is split into syllables and looked up by its folded
        pinyin, longest piece first; when the whole run is not such words, each space-separated
        word is tried alone ("yinhuan paicha zenme gao"). Anything not found is left as typed."""
        if not _LATIN.search(text):
            return text
        # "di san bu fen", "di 2 dian": a place in the structure, which no document spells in pinyin
        text = _PINYIN_ORDINAL.sub(
            lambda m: (
                f"第{_PINYIN_NUMERALS.get(m.group(1), m.group(1))}{_PINYIN_UNITS[m.group(2).replace(' ', '')]}"
            ),
            text,
        )
        if not _LATIN.search(text):
            return text
        if not CJK.search(text) and (sentence := self._pinyin_sentence(text)) is not None:
            return sentence

        def replace(match: re.Match[str]) -> str:
            run = match.group(0)
            whole = self._pinyin_words(run.replace(" ", ""))
            if whole is not None or " " not in run:
                return whole or run
            return " ".join(self._pinyin_words(word) or word for word in run.split(" "))

        return _LATIN.sub(replace, text)

    def _pinyin_sentence(self, text: str) -> str | None:
        """A message typed wholly in pinyin, beyond the knowledge's words ("di yi bu fen jiang le
        shen me"): the likeliest words of jieba's dictionary for its syllables (the most probable
        split, as an input method picks), None when a word is not pinyin or the knowledge's words
        read it already, or it is too short to tell from English ("he", "long")."""
        words = text.split()
        if len(words) < 2 or not all(_LATIN_ONLY.fullmatch(w) for w in words):
            return None
        if all(self._pinyin_words(w) for w in words):
            return None  # "anquan shengchan": the knowledge's words, read as before
        syllables = [s for w in words for s in (_syllables(w, self._syllable_set) or [""])]
        if "" in syllables or len(syllables) < 4:
            return None
        table, n = self._general_pinyin, len(syllables)
        best: list[tuple[float, list[str]] | None] = [None] * (n + 1)
        best[0] = (0.0, [])
        for i in range(n):
            if (at := best[i]) is None:
                continue
            for k in range(1, min(4, n - i) + 1):
                if (entry := table.get(" ".join(syllables[i : i + k]))) is not None:
                    word, cost = entry
                    if best[i + k] is None or at[0] + cost < best[i + k][0]:
                        best[i + k] = (at[0] + cost, [*at[1], word])
        return "".join(best[n][1]) if best[n] is not None else None

    @functools.cached_property
    def _general_pinyin(self) -> dict[str, tuple[str, float]]:
        """Folded pinyin -> the likeliest dictionary word of one to four characters it spells,
        with its cost (-log of its share of all words), built on the first pinyin sentence. The
        words the knowledge and its curated questions use count PINYIN_OWN_WORDS times as often
        (bu fen jiang: 部分 讲, not 部 封建)."""
        words = [(w, f) for w, f in self._tokenizer.dictionary() if len(w) <= 4 and _ALL_CJK.fullmatch(w)]
        total = sum(f for _, f in words) or 1
        own = set(self.index.vocabulary).union(*(self._tokenizer.tokens(q) for q in self.index.question_text))
        table: dict[str, tuple[str, float]] = {}
        for word, freq in words:
            key = pinyin_key(word, self._language)
            likely = freq * (PINYIN_OWN_WORDS if word in own else 1)
            if key and (key not in table or table[key][1] < likely):
                table[key] = (word, likely)
        return {key: (word, -math.log(likely / total)) for key, (word, likely) in table.items()}

    def _pinyin_words(self, letters: str) -> str | None:
        """The knowledge's words these letters spell in pinyin, None when they do not."""
        syllables = _syllables(letters, self._syllable_set)
        if not syllables:
            return None
        out, i = [], 0
        while i < len(syllables):
            for k in range(min(8, len(syllables) - i), 1, -1):
                words = self.index.by_pinyin.get(" ".join(syllables[i : i + k]))
                word = words[0] if words else None
                if word:
                    out.append(word)
                    i += k
                    break
            else:
                return None  # a syllable the knowledge has no word for: not pinyin
        return "".join(out)

    @functools.cached_property
    def _all_text(self) -> str:
        """All the documents' text, joined on the first question typed with digits."""
        return " ".join(self.index.document_text)

    def _from_digits(self, text: str) -> str:
        """A number typed in digits where the knowledge writes it in Chinese numerals (18大 ->
        十八大, 19届 -> 十九届): the form the knowledge uses, checked with the character after it."""
        if not _DIGITS_BEFORE_CJK.search(text):
            return text
        written = self._all_text

        def replace(match: re.Match[str]) -> str:
            digits, after = match.group(1), text[match.end()]
            chinese = cn_numeral(int(digits))
            return chinese if chinese + after in written and digits + after not in written else digits

        return _DIGITS_BEFORE_CJK.sub(replace, text)

    def _from_english(self, text: str) -> str:
        """Common English words among Chinese ("team协作", "第3 part") become the Chinese word
        they stand for (bot/core/data/english.yaml), unless the knowledge uses the word itself."""
        if not _LATIN.search(text):
            return text
        vocabulary, english = self.index.vocabulary, english_words()

        def replace(match: re.Match[str]) -> str:
            word = match.group(0)
            if word in vocabulary or word in english:
                return word if word in vocabulary else english[word]
            return "-".join(english.get(w, w) for w in word.split("-"))  # cross-部门

        replaced = _ENGLISH_WORD.sub(replace, text)
        return replaced if replaced == text else _CJK_SPACE.sub("", replaced)

    @functools.cached_property
    def _by_question_length(self) -> tuple[list[int], list[int], list[str]]:
        """The curated questions' lengths, sorted, their ids and their texts in that order."""
        texts = self.index.question_text
        ids = sorted(range(len(texts)), key=lambda q: len(texts[q]))
        return [len(texts[q]) for q in ids], ids, [texts[q] for q in ids]

    @functools.cached_property
    def _question_words_length(self) -> list[int]:
        return [len(words) for words in self.index.question_words]

    @functools.cached_property
    def _syllable_set(self) -> frozenset[str]:
        return frozenset(self._language.pinyin.values())

    def _unknown(self, token: str) -> bool:
        """A token the knowledge does not hold and that is not a common word either: likely a
        typo (将励, 玉案). A common word absent from the knowledge (引用) is left alone, or typo
        repair would turn it into a homophone that is there (应用)."""
        return (
            token not in self.index.vocabulary
            and bool(CJK.match(token))
            and not self._tokenizer.is_stopword(token)
            and (len(token) == 1 or self._tokenizer.frequency(token) < COMMON_WORD)
        )

    def _repair(self, tokens: list[str]) -> tuple[list[str], set[str]]:
        """Replace typos with the known word they were probably typed for.

        A run of up to four tokens holding an unknown word is looked up by its pinyin
        (销号/管/里 -> 销号管理, 玉案 -> 预案); a long unknown word with one wrong character
        is looked up with rapidfuzz (安全生铲 -> 安全生产). A repair is kept only when the word
        it yields stands in a paragraph with another word of the question (or the question has
        no other word), so a rare but correct word is not "repaired" into a stranger.
        """
        # A number and the measure word after it (4点, 三条, 四项) are not typos (4点是 -> 电视,
        # 四项要 -> 思想).
        unknown = [
            self._unknown(t)
            and not _NUMBER_TOKEN.fullmatch(t)
            and not (t in _MEASURE_WORDS and k and _NUMBER_TOKEN.fullmatch(tokens[k - 1]))
            for k, t in enumerate(tokens)
        ]
        if not any(unknown):
            return tokens, set()
        vocabulary = self.index.vocabulary

        def others(i: int, k: int) -> list[str]:  # the known tokens outside the window
            return [t for t in tokens[:i] + tokens[i + k :] if t in vocabulary]

        out: list[str] = []
        repaired: set[str] = set()
        i = 0
        while i < len(tokens):
            for k in (4, 3, 2, 1):
                window = tokens[i : i + k]
                joined = "".join(window)
                if len(window) < k or not 2 <= len(joined) <= 8 or not any(unknown[i : i + k]):
                    continue
                if k > 1 and self._tokenizer.is_stopword(window[0]):
                    continue  # a typo does not start with a particle (没/提 is not 媒体)
                known = self._lookup(joined, k)
                if known and self._plausible(known, self._tokenizer.content(others(i, k))):
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
        sounding = self.index.by_pinyin.get(key, ()) if key else ()
        # Of the words that sound alike, the one sharing most characters with what was typed
        # (将励: 奖励, not 建立), else the likeliest.
        if len(sounding) > 1:
            typed = set(joined)
            known = max(sounding, key=lambda w: len(typed.intersection(w)))
        else:
            known = sounding[0] if sounding else None
        if known is None and k == 1 and len(joined) >= 4:
            best = process.extractOne(
                joined, self._by_length.get(len(joined), ()), scorer=fuzz.ratio, score_cutoff=74
            )
            known = best[0] if best else None
        return known

    def _plausible(self, word: str, others: list[str]) -> bool:
        """Whether a repaired word stands in a paragraph with another word of the question; words
        common in any text (不能, 问题, 可以) anchor nothing."""
        idf = self._language.idf
        others = [w for w in others if idf.get(w, MAX_WORD_WEIGHT) >= ANCHOR_IDF]
        if not others:
            return True
        level = self.index.paragraph_level
        where = level.units(word) or {i for i, text in enumerate(self.index.paragraph_text) if word in text}
        return any(where & level.units(other) for other in others)

    # ---- ranking ---------------------------------------------------------------------------

    def rank(self, query: Query, *, limit: int = 5, confident: int = 1) -> list[Hit]:
        """The best passages for the query, most likely first (empty when nothing matches).

        The first `confident` hits carry a confidence (the leader's uses its margin over the
        runner-up; the others' are computed as if each were the leader, for inline results)."""
        return self.candidates(query, confident=confident, limit=limit)

    def candidates(
        self, query: Query, *, confident: int | None = None, limit: int | None = None
    ) -> list[Hit]:
        """Stage one and two: the pool of candidates with their features, best first (the first
        `limit`, all when None). Only the first `confident` hits get a confidence (all when
        None); the rest carry 0."""
        index = self.index
        counts = Counter(query.terms)
        sharing = index.question_level.scores(counts)
        vouched, vouching = self._vouched(query, sharing)
        if not query.terms and not vouched:
            return []
        pool = self._stage_one(counts, sharing, vouched) or self._by_pairs(query)
        if not pool:
            return []
        top_sentence = max(levels[0] for _, _, levels in pool) or 1.0
        top_curated = max(levels[4] for _, _, levels in pool) or 1.0
        text = query.text
        wants_list = bool(signals.WANTS_LIST.search(text))
        details = signals.wanted(text)
        decisive = [d for d in details if d.name in signals.DECISIVE]
        vague = [d for d in details if d.name in signals.VAGUE]
        pairs = _char_pairs(text)
        weighed = self._weigh(query)
        passages, rank_w = index.passages, self._rank_w
        absent: dict[int, float] = {}  # per document of the pool, computed once
        scored = []
        for _, i, levels in pool:
            passage = passages[i]
            has_points = index.heading_has_points[i]
            doc = passage.doc
            context_pairs, holds = self._traits(i)
            if doc not in absent:
                absent[doc] = _word_features(
                    weighed, frozenset(), index.document_text[doc], "", "", index.document_synonyms[doc]
                )[3]
            coverage, thesaurus, specific, _ = _word_features(weighed, *self._words_around(i))
            features = (
                levels[0] / top_sentence,
                levels[4] / top_curated,
                max(0.0, (vouched.get(i, 0.0) - FUZZY_FLOOR) / (100 - FUZZY_FLOOR)),
                coverage,
                specific,
                len(pairs & context_pairs) / len(pairs) if pairs else 0.0,
                thesaurus,
                float(sum(1 for d in decisive if d not in holds)) if decisive else 0.0,
                float(sum(1 for d in vague if d not in holds)) if vague and not self._proper(i) else 0.0,
                float(has_points and wants_list),
                float(passage.kind == "heading" and not (has_points and wants_list)),
                absent[doc],
            )
            scored.append((sum(map(mul, rank_w, features)), i, features))
        scored.sort(key=itemgetter(0), reverse=True)
        override = max(vouched.items(), key=itemgetter(1), default=(None, 0.0))
        if override[1] >= CURATED_OVERRIDE and (
            fuzz.ratio(bare(query.text), index.question_text[vouching[override[0]]]) < CURATED_OVERRIDE_TEXT
        ):
            override = (None, 0.0)
        if override[1] >= CURATED_OVERRIDE:
            scored.sort(key=lambda row: row[1] != override[0])  # stable: the curated passage first
        words = min(len(query.words), 10) / 10
        wanted = len(scored) if confident is None else confident
        hits = []
        for n, (score, i, features) in enumerate(scored[:limit]):
            if n >= wanted:
                hits.append(Hit(i, score, 0.0, features))
                continue
            margin = score - scored[1][0] if n == 0 and len(scored) > 1 else 0.0
            confidence = self._confidence(features, margin, words)
            curated_hit = i == override[0] and override[1] >= CURATED_OVERRIDE
            if curated_hit:
                confidence = max(confidence, override[1] / 100)
            hits.append(Hit(i, score, round(confidence, 3), features, curated_hit))
        return hits

    def _by_pairs(self, query: Query) -> list[tuple[float, int, tuple[float, ...]]]:
        """When no word of the question is a word of any passage ("有责的说法", cut 有/责 against
        人人有责): the passages sharing most of its character pairs that hold a character of its
        content words (not 讲话 of "这次讲话是哪天讲的"), as stage one gives them."""
        chars = set("".join(query.words))
        pairs = {p for p in _char_pairs(query.text) if not chars.isdisjoint(p)}
        if not pairs:
            return []
        contexts = self.index.context_text  # not the title, which every passage shares
        shared = [
            (float(n), i, (0.0, 0.0, 0.0, 0.0, 0.0))
            for i, passage in enumerate(self.index.passages)
            if passage.kind == "sentence" and (n := sum(1 for p in pairs if p in contexts[i]))
        ]
        shared.sort(key=itemgetter(0), reverse=True)
        return shared[: self.model.pool]

    def _traits(self, passage: int) -> tuple[frozenset[str], frozenset[signals.Detail]]:
        """The character pairs of a passage's context and its document's title (the title is
        what every sentence of an article leaves implied: "X 是哪一年出生的"), and the details
        the context or the reply that shows it holds (a date in the next sentence answers too):
        computed on first use, as the feature loop asks the same of them all."""
        traits = self._passage_traits.get(passage)
        if traits is None:
            context = self.index.context_text[passage]
            shown = f"{context} {self.normalize(reply_text(self.index, passage))}"
            titled = f"{context} {self.index.title_text[self.index.passages[passage].doc]}"
            traits = self._passage_traits[passage] = (
                frozenset(titled[k : k + 2] for k in range(len(titled) - 1)),
                frozenset(d for d in signals.DETAILS if d.has.search(shown)),
            )
        return traits

    def names_in(self, text: str) -> bool:
        """Whether normalised text names someone or something the way proper nouns do."""
        return bool(self._tokenizer.proper_nouns(text))

    def _proper(self, passage: int) -> bool:
        """Whether the passage's context names someone or somewhere the way an encyclopedia
        does (a word jieba's dictionary lacks, 法兰明, 门洛帕克): the regexes of `signals` only
        see titles and addresses. Computed on first use, for questions that ask for a name or place."""
        found = self._passage_proper.get(passage)
        if found is None:
            found = self._passage_proper[passage] = bool(
                self._tokenizer.proper_nouns(self.index.context_text[passage])
            )
        return found

    def _stage_one(
        self, counts: Counter[str], sharing: dict[int, float], vouched: dict[int, float]
    ) -> list[tuple[float, int, tuple[float, ...]]]:
        """The `Model.pool` best passages by BM25 of the sentence and, with fixed weights, of its
        context levels and curated questions: (base score, passage, the five BM25 levels)."""
        index = self.index
        sentence = index.sentence_level.scores(counts)
        point = index.point_level.scores(counts)
        paragraph = index.paragraph_level.scores(counts)
        heading = index.heading_level.scores(counts)
        curated: dict[int, float] = {}
        for q, score in sharing.items():
            target = index.question_target[q]
            if score > curated.get(target, 0.0):
                curated[target] = score
        # Sentences, plus the sentences of the best points and paragraphs.
        pool_ids = set(
            heapq.nlargest(200, sentence, key=sentence.__getitem__) if len(sentence) > 200 else sentence
        )
        for p in sorted(point, key=point.__getitem__, reverse=True)[:8]:
            pool_ids.update(index.point_sentences[p])
        for p in sorted(paragraph, key=paragraph.__getitem__, reverse=True)[:8]:
            pool_ids.update(index.paragraph_passages[p])
        pool_ids.update(curated)
        pool_ids.update(vouched)
        passages, heading_of = index.passages, index.heading_of
        w_point, w_paragraph, w_heading = STAGE_ONE["point"], STAGE_ONE["paragraph"], STAGE_ONE["heading"]
        w_curated, w_vouched = STAGE_ONE["curated"], STAGE_ONE["vouched"]
        get_sentence, get_point, get_paragraph = sentence.get, point.get, paragraph.get
        get_heading, get_curated = heading.get, curated.get
        first = []
        for i in pool_ids:
            passage = passages[i]
            levels = (
                get_sentence(i, 0.0),
                get_point(passage.point, 0.0),
                get_paragraph(passage.paragraph, 0.0),
                get_heading(heading_of[i], 0.0),
                get_curated(i, 0.0),
            )
            base = levels[0] + w_point * levels[1] + w_paragraph * levels[2] + w_heading * levels[3]
            base += w_curated * levels[4]
            if i in vouched:
                base += w_vouched * (vouched[i] - FUZZY_FLOOR) / (100 - FUZZY_FLOOR)
            first.append((base, i, levels))
        # sorted(key, reverse) keeps equal scores in pool order, exactly as heapq.nlargest does.
        first.sort(key=itemgetter(0), reverse=True)
        return first[: self.model.pool]

    def _confidence(self, features: tuple[float, ...], margin: float, words: float) -> float:
        inputs = (*(features[k] for k in _CONFIDENCE_FROM), margin, words)
        z = self._conf_bias + sum(map(mul, self._conf_w, inputs))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def _vouched(self, query: Query, sharing: dict[int, float]) -> tuple[dict[int, float], dict[int, int]]:
        """Passages whose curated question rapidfuzz finds close to this one (0..100), and for
        each the curated question that vouches for it.

        Compared on the content words, sorted (token_sort_ratio, with the curated side sorted once
        at build time), against the curated questions that share a term with this one (`sharing`,
        from BM25); and, when that finds nothing, on the whole question against all of them,
        which catches questions made only of small words ("讲话是对谁说的").
        """
        index = self.index
        found: list[tuple[int, float]] = []
        if len(query.words) >= 2 and sharing:  # one word alone is too little to vouch on
            words, length = index.question_words, self._question_words_length
            mine = " ".join(sorted(query.words))
            # Only lengths that can reach FUZZY_FLOOR: ratio = 200·LCS/(n+m) <= 200·min(n,m)/(n+m).
            n, floor = len(mine), FUZZY_FLOOR
            lo, hi = n * floor / (200 - floor) - 1e-6, n * (200 - floor) / floor + 1e-6
            ids = [q for q in sharing if lo <= length[q] <= hi]
            close = process.extract(
                mine, [words[q] for q in ids], scorer=fuzz.ratio, score_cutoff=FUZZY_FLOOR, limit=None
            )
            found = [(ids[k], similarity) for _, similarity, k in close if similarity]
        if not found and (text := bare(query.text)) and index.question_text:
            # Only the lengths that can reach the cutoff, from the questions sorted by length.
            lengths, ids, texts = self._by_question_length
            n = len(text)
            lo = bisect.bisect_left(lengths, n * WHOLE_QUESTION / (200 - WHOLE_QUESTION) - 1e-6)
            hi = bisect.bisect_right(lengths, n * (200 - WHOLE_QUESTION) / WHOLE_QUESTION + 1e-6)
            matches = process.extract(
                text, texts[lo:hi], scorer=fuzz.ratio, score_cutoff=WHOLE_QUESTION, limit=3
            )
            found = [(ids[lo + k], similarity) for _, similarity, k in matches]
        out: dict[int, float] = {}
        by: dict[int, int] = {}
        for q, similarity in found:
            target = index.question_target[q]
            if similarity > out.get(target, -1.0):
                out[target], by[target] = similarity, q
        return out, by

    def _weigh(self, query: Query) -> list[_Word]:
        """Each question word with its weights, computed once per question (see `coverage`)."""
        model, idf, thesaurus = self.model, self._language.idf, self._language.thesaurus
        local, rarest = self.index.sentence_level.idf, self._rarest
        out = []
        for word in query.words:
            weight = min(idf.get(word, UNKNOWN_WORD_WEIGHT), MAX_WORD_WEIGHT) * (
                0.5 if len(word) == 1 else 1.0
            )
            soft = word in model.soft_words or word in query.persona or bool(_COUNTED.fullmatch(word))
            out.append(
                _Word(
                    word,
                    weight,
                    weight * model.soft_weight if soft else weight,
                    0.9 if word in query.repaired else 1.0,
                    tuple(query.parts.get(word, ())) if len(word) > 2 else (),
                    local.get(word, rarest),
                    frozenset(thesaurus.get(word, ())),
                    len(word) >= 2,
                )
            )
        return out

    def coverage(self, query: Query, passage: int) -> float:
        """Share of the question's information found in the passage and its context (0..1).

        Each word weighs its general-usage IDF (jieba's); a word found only elsewhere in the
        paragraph counts half, a long word by the share of its parts found. Words that only
        frame the question (`Model.soft_words`: 效果, 措施 …) or describe the asker
        ("我是开饭店的") weigh `soft_weight` when not found."""
        return _word_features(self._weigh(query), *self._words_around(passage))[0]

    def _words_around(self, i: int) -> tuple[frozenset[str], str, str, str, frozenset[int]]:
        """Passage `i`'s bag, context, paragraph, title and synonym sets, gathered once."""
        around = self._passage_words.get(i)
        if around is None:
            index = self.index
            passage = index.passages[i]
            around = self._passage_words[i] = (
                index.bags[i],
                index.context_text[i],
                index.paragraph_text[passage.paragraph] if passage.paragraph >= 0 else "",
                index.title_text[passage.doc],
                index.bag_synonyms[i],
            )
        return around


class _Word(NamedTuple):  # a tuple: built for every word of every question
    word: str
    weight: float  # general IDF, capped
    soft: float  # the weight when not found (lower for framing and self-description words)
    credit: float  # 1, or less for a word typo repair produced
    parts: tuple[str, ...]  # dictionary words inside a long word
    local: float  # IDF within this knowledge
    synonyms: frozenset[int]  # its Cilin synonym sets
    long: bool  # two characters or more


def _word_features(
    weighed: list[_Word], bag: frozenset[str], text: str, paragraph: str, title: str, sets: frozenset[int]
) -> tuple[float, float, float, float]:
    """The four word-level features of one passage, in one pass over the question's words:

    - coverage: share of the question's information (general IDF) found in the passage, its
      context or its document's title; a word found only elsewhere in the paragraph counts half,
      a long word by the share of its parts found; a word not found weighs `_Word.soft`;
    - thesaurus: share of the information the passage holds only as a synonym (the word is
      absent, a word of one of its Cilin sets is present);
    - specific: share of the words found, each weighted by its IDF within this knowledge (among
      passages that all mention 问题, the one that also has the rarer 管理 is preferred);
    - lost: share of the information carried by the words the passage holds neither as
      themselves, nor as a synonym, nor in part (股票 in a question about the speech).
    """
    total = covered = information = synonym = local_total = local_found = lost = 0.0
    for word, weight, soft, credit, parts, local, synonyms, long in weighed:
        information += weight
        local_total += local
        if word in bag or word in text:
            total += weight
            covered += weight * credit
            local_found += local
            continue
        if word in title:
            total += weight
            covered += weight * credit
            local_found += local
        else:
            if long and word in paragraph:
                share = 0.5
            elif parts:
                share = 0.8 * sum(1 for t in parts if t in bag or t in text) / len(parts)
            else:
                share = 0.0
            total += soft
            covered += soft * credit * share
        if synonyms and not synonyms.isdisjoint(sets):
            synonym += weight
        elif parts:
            # A compound counts as lost by the share of its parts missing (食品安全 beside 安全).
            lost += soft * sum(1 for t in parts if t not in bag and t not in text) / len(parts)
        else:
            lost += soft
    return (
        covered / total if total else 0.0,
        synonym / information if information else 0.0,
        local_found / local_total if local_total else 0.0,
        lost / information if information else 0.0,
    )


_LATIN = re.compile(r"[a-z]{2,}(?: [a-z]{2,})*")
_PINYIN_NUMERALS = dict(zip("yi er san si wu liu qi ba jiu shi".split(), "一二三四五六七八九十", strict=True))
_PINYIN_UNITS = {"bufen": "部分", "dian": "点", "tiao": "条", "xiang": "项", "kuai": "块", "duan": "段"}
_PINYIN_ORDINAL = re.compile(
    rf"(?<![a-z])di ?({'|'.join(_PINYIN_NUMERALS)}|\d{{1,2}}) ?(bu ?fen|dian|tiao|xiang|kuai|duan)(?![a-z])"
)
_LATIN_ONLY = re.compile(r"[a-z]+")
_ALL_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_MEASURE = "点条项个次块段件名位家种类页步"
_MEASURE_WORDS = frozenset(_MEASURE)
_NUMBER_TOKEN = re.compile(rf"第?(?:\d+|[一二三四五六七八九十两]+)[{_MEASURE}]?")
_ENGLISH_WORD = re.compile(r"(?<![a-z])[a-z]{2,}(?:-[a-z]{2,})*(?![a-z])")  # "year-end" whole
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff\d]) +(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) +(?=\d)")


@functools.cache
def english_words() -> dict[str, str]:
    """bot/core/data/english.yaml, read on the first question with Latin letters."""
    text = importlib_resources.files("bot.core").joinpath("data/english.yaml").read_text("utf-8")
    return files.parse_yaml(text)


def _syllables(letters: str, folded: frozenset[str]) -> list[str] | None:
    """Split Latin letters into pinyin syllables, folded as the table is (fewest pieces wins)."""
    n = len(letters)
    if n > 40:
        return None
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for length in range(1, min(6, n - i) + 1):
            piece = fold_pinyin(letters[i : i + length])
            if piece in folded:
                candidate = [*best[i], piece]
                if best[i + length] is None or len(candidate) < len(best[i + length]):
                    best[i + length] = candidate
    return best[n]


def _char_pairs(text: str) -> set[str]:
    """The question's adjacent CJK character pairs (no punctuation, digits or Latin), after a
    polite opener that no passage would hold (请问, 我想问一下)."""
    clean = _PAIR_SKIP.sub(" ", _OPENER.sub("", text))
    return {clean[k : k + 2] for k in range(len(clean) - 1) if " " not in clean[k : k + 2]}

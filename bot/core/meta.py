"""Questions about the document rather than its content: who speaks, to whom, on what occasion.

Each rule is a named entry: a pattern of general Chinese that recognises the question, and a
function that finds the answer in the document's own structure (its salutation, the sentence
where the speaker says whom they represent, its quotations, its title). Nothing here names any
one speech; a document without such a sentence simply gets no meta answer and the question is
ranked like any other. Example questions per rule: tests/test_meta.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core import signals


@dataclass(frozen=True, slots=True)
class Sentence:
    key: str
    text: str  # as written
    part_kind: str  # "intro" | "part" | "closing"


@dataclass(frozen=True, slots=True)
class Found:
    keys: tuple[str, ...]  # the sentences that answer (empty: the title answers)
    text: str


def _salutation(s: Sentence) -> bool:
    return s.part_kind == "intro" and s.text.rstrip().endswith((":", "："))


def _opening(sentences: Sequence[Sentence]) -> list[Sentence]:
    return [s for s in sentences if s.part_kind == "intro" and not _salutation(s)]


def _speaker(sentences: Sequence[Sentence], title: str) -> Found | None:
    """The opening sentence where the speaker says on whose behalf they speak ("我代表…")."""
    for s in _opening(sentences):
        if re.search(r"代表|受.{1,10}委托|作为", s.text):
            return Found((s.key,), s.text)
    return None


def _audience(sentences: Sequence[Sentence], title: str) -> Found | None:
    """The salutation ("尊敬的…、同志们:")."""
    found = [s for s in sentences if _salutation(s)]
    return Found((found[0].key,), found[0].text) if found else None


def _occasion(sentences: Sequence[Sentence], title: str) -> Found | None:
    """The title (which names the meeting) and the first sentence of the opening."""
    opening = _opening(sentences)
    if not opening:
        return None
    return Found((opening[0].key,), opening[0].text)


def _title(sentences: Sequence[Sentence], title: str) -> Found | None:
    return Found((), title) if title else None


def _earlier_speakers(sentences: Sequence[Sentence], title: str) -> Found | None:
    """The opening sentence about what was said before ("刚才,…同志作了重要讲话")."""
    for s in _opening(sentences):
        if re.search(r"刚才|前面|此前", s.text) and re.search(r"讲话|发言|讲了|指出|要求", s.text):
            return Found((s.key,), s.text)
    return None


def _within(chosen: list[Sentence], budget: int) -> Found | None:
    """The first of the chosen sentences, in order, while they fit in `budget` characters; those
    of different paragraphs on lines of their own."""
    keys, texts, size = [], [], 0
    for s in chosen:
        if size + len(s.text) > budget and texts:
            break
        if keys and _paragraph(keys[-1]) != _paragraph(s.key):
            texts.append("\n")
        keys.append(s.key)
        texts.append(s.text)
        size += len(s.text)
    return Found(tuple(keys), "".join(texts)) if texts else None


def _paragraph(key: str) -> str:
    """The paragraph of a sentence's key ("0:3.1.2" -> "0:3.1")."""
    return key.rpartition(".")[0]


def _citations(sentences: Sequence[Sentence], title: str) -> Found | None:
    """The sentences that quote someone or a document (“…” after 强调/指出/提出/说)."""
    quoting = re.compile(r"(?:强调|指出|提出|说|要求|写道)[^“”]{0,12}[:：]?“")
    return _within([s for s in sentences if quoting.search(s.text)], 500)


def _dates(sentences: Sequence[Sentence], title: str) -> Found | None:
    """The sentences that give a day ("2月24日", "元旦"), for "讲话里提到的日期是哪天"."""
    return _within([s for s in sentences if signals.holds("day", s.text)], 300)


# Where a speech announces its subject: "针对…,我再强调几点意见", "就…讲三点看法", "围绕…谈几点体会".
_ANNOUNCES = re.compile(
    r"(?:针对|围绕|就|关于|结合)[^。；;!！?？]{4,40}?[,，]\s*(?:我|下面我|下面|在这里|这里)?(?:再|先|主要|简要|简单)?"
    r"(?:讲|谈|强调|提|说)(?:一下)?(?:几点|以下几点|[两三四五六七八九十]点|几个方面)"
)


def _theme(sentences: Sequence[Sentence], title: str) -> Found | None:
    """The sentence where the speech announces its subject ("针对…,我再强调几点意见"), with the
    closing's summing-up (a speech's 总之… says what it was all for); either alone when the
    other is missing."""
    announced = [s for s in sentences if s.part_kind != "closing" and _ANNOUNCES.search(s.text)][:1]
    summing = [s for s in sentences if s.part_kind == "closing" and len(s.text) > 12]
    if announced:
        return _within(announced + summing[:1], 200)
    return _within(summing, 400)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    question: re.Pattern[str]
    find: Callable[[Sequence[Sentence], str], Found | None]
    # A firm rule's pattern names the document itself ("这篇讲话的主题"), so a passage that happens
    # to share the words (安全主题活动) does not override it.
    firm: bool = False


RULES: tuple[Rule, ...] = (
    Rule(
        "earlier_speakers",
        re.compile(
            r"(?:前面|之前|刚才|先前|其他|别的)(?:的)?(?:那)?(?:(?:两位|几位|俩|两个|几个)(?:领导|同志|人)?|领导|同志|人).{0,8}(?:讲|说|发言)|"
            r"(?:前面|之前|刚才|先前)(?:已经)?(?:有)?(?:谁|哪些人|哪几位|哪位)|"
            # 刚才督查组领导讲话, 前面那个xxx同志讲话: a speaker before, named by role or mask
            r"(?:前面|之前|刚才|先前)(?:的)?(?:那)?(?:个|位)?[^,，。?？\s]{1,6}?(?:领导|同志|组长|局长|主任|书记|区长|市长)(?:们)?(?:的)?(?:讲话|发言)|"
            r"(?:讲话人?|发言人?|讲)\s*(?:之前|以前|前面|前)\s*(?:还|都)?(?:有)?(?:谁|哪些人|哪几位|哪位)|"  # 这篇讲话之前还有谁讲过话
            r"(?:之前|以前|前面|刚才)(?:是不是|有没有|还有没有)?(?:已经)?(?:还|也)?(?:有)?"
            r"(?:别人|别的人|其他人|其他领导|别的领导|人|[两几一俩]位(?:同志|领导)?|[两几]个(?:同志|领导|人))"
            r"(?:也)?(?:已经)?(?:发过言|发言|讲过|讲话|说过)"  # 他之前是不是还有别人发过言, 之前是不是已经有两位同志讲过了
        ),
        _earlier_speakers,
    ),
    Rule(
        "audience",
        re.compile(
            r"(?:对|给|向|面向|对着|冲|冲着)(?:谁|哪些人|什么人)(?:讲|说|发言|致辞)|讲给谁|说给谁|听众|称呼|(?:跟|向|和|对)(?:谁|哪些人)打招呼|问候(?:了)?(?:的)?(?:对象|谁|哪些人)|"
            r"听(?:这个|这篇)?(?:讲话|发言)的(?:都)?(?:是)?(?:些)?(?:什么人|谁|哪些人)|"
            r"(?:讲话|发言)(?:的)?对象"
        ),
        _audience,
    ),
    Rule(
        # The document's speaker named as such ("讲话人", "演讲者是谁"): firm, a passage that
        # quotes someone else does not override it.
        "speaker",
        re.compile(
            # 讲话人 asked about, not the subject of another question (讲话人希望大家怎么做)
            r"(?:讲话人|发言人|演讲者|演讲人|讲话者)(?:到底|究竟)?(?:是|叫|为|的身份|什么身份|啥身份|呢|[?？]|$)|"
            r"讲话的(?:人|是谁)|谁在(?:讲话|讲|发言|演讲)|"
            r"(?:讲话|发言)是(?:谁|哪位)|是(?!这么|这样|那么|那样|如此)[^,，。?？]{1,6}(?:讲|说|发言)的(?:吗|嘛|么)"
        ),
        _speaker,
        firm=True,
    ),
    Rule(
        "speaker",
        re.compile(
            r"(?:谁|哪位|什么人|啥人|哪个领导)(?:在)?(?:讲|说|发言|作)的|谁的讲话|"
            r"是谁(?:讲|说|发言)|代表(?:哪|谁|什么|啥)|替(?:谁|哪|什么|啥)|什么身份|啥身份|以.{0,6}身份|以(?:谁|什么|啥|哪个单位)的?名义|谁讲|谁发言"
        ),
        _speaker,
    ),
    Rule(
        "occasion",
        re.compile(
            r"什么场合|啥场合|哪个场合|什么会(?![议客]室|场|堂)|啥会(?![议客]室|场|堂)|哪个会(?![议客]室|场|堂)|什么背景|啥背景|什么情况下(?:讲|说)|什么活动上|在哪(?:里|儿)?讲|"
            # When it was given: the occasion is what the document says (a date it may not give).
            r"(?:讲话|发言)(?:的)?(?:时间|日期)|"
            r"(?:讲话|发言|这篇|会议|这个会)(?:是)?(?:在)?(?:什么时候|啥时候|哪天|哪一天|哪年|何时|几号|几月几号)(?:讲|说|发表|作|召开|开)的|"
            # 到底有没有说几号讲的: the speech's own day, asked with no subject
            r"(?:^|说|提)(?:是)?(?:几号|几月几号|哪天|哪一天)(?:讲|发表)的"
        ),
        _occasion,
    ),
    Rule(
        # A day the document mentions, not the day it was given (the occasion's).
        "dates",
        re.compile(
            r"(?:提到|提及|说到|讲到|出现|里面|里头|文中|讲话里)(?:的|了|过)?(?:有)?(?:一个|那个|这个|哪个|什么|啥)?(?:具体)?"
            r"(?:日期|日子|哪天|哪一天|几月几号|几号)"
        ),
        _dates,
    ),
    Rule(
        "title", re.compile(r"(?<!问)题目|标题|篇名|讲话(?:的)?(?:名称|全称)"), _title, firm=True
    ),  # not 问题目的
    Rule(
        "theme",
        re.compile(
            r"(?:讲话|全文|整篇|这篇|文章|发言)(?:的)?(?:主题|主旨|中心思想|核心思想|核心要义|核心观点|主要观点|中心意思|主要精神|精神实质|总目标|"
            r"(?:主要|大概|大致|总体|整体)意思)|"
            r"^(?:主题|主旨|中心思想|核心思想|核心观点|主要观点|中心意思|主要精神|精神实质)(?:是)?(?:什么|啥)|总的来说|一句话(?:概括|总结)|"
            # 这讲话主要是为了啥, 讲这几点意见是为了什么: what it was given for
            r"(?:讲话|发言|这篇|全文)(?:主要|到底|究竟)?(?:是)?(?:为了|图)(?:啥|什么|个啥)|"
            r"(?:讲|说|提)(?:这|这些|这几点|这几条)(?:意见|要求)?(?:主要|到底)?(?:是)?为了(?:啥|什么)"
        ),
        _theme,
        firm=True,
    ),
    Rule(
        "citations",
        re.compile(
            r"引用|引了|援引|引述|引的|原话是谁|谁的话|哪些文件|什么文件|哪些报告|"
            r"(?:提到|提及|说到|讲到)(?:了)?(?:哪些|哪几位|哪位|哪个|什么|谁)(?:领导|领导人|人物|人|同志)"
        ),
        _citations,
    ),
)


# What the earlier speakers said, in detail (前面两位同志具体讲了啥): the speech only says that they
# spoke and what for, it does not relay their words.
ASKS_WHAT_THEY_SAID = re.compile(
    r"具体(?:说|讲|提|部署|要求)(?:了)?(?:些)?(?:啥|什么|哪些)|详细(?:说说|讲讲|说一下|讲一下)|具体(?:内容|要求)(?:是)?(?:啥|什么)"
)


def match(text: str) -> Rule | None:
    """The meta rule a normalised question asks for, if any."""
    return next((rule for rule in RULES if rule.question.search(text)), None)

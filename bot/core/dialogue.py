"""The conversational layer in front of the matcher: small talk, follow-ups, foreign questions.

    dialogue = Dialogue.load()
    reply = dialogue.reply(engine, "那第二点呢", conversation)   # None: ask the matcher

- Small talk (你好, 谢谢, 好的, 你是谁 …) gets a short friendly reply, never a passage; a
  pleasantry in front of a question ("谢谢，那整改有什么要求") is dropped and the rest answered.
- Follow-ups resolve against the conversation's last answer: next/previous point or part, a
  bare point number, more detail, the other points, why/how about the last topic, and a short
  question that only makes sense with the last topic. Each kind is a named rule in `RULES`.
- A question with no Chinese but foreign words gets a note that the bot answers in Chinese.

Only `Engine`'s public methods are used here; nothing in this module is about one speech.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import TYPE_CHECKING

from bot.core import files, signals
from bot.core.answers import CONFIDENT, DECLINED, NO_BAND, Answer, Suggestion
from bot.core.matcher import english_words
from bot.core.text import CJK, CN_NUMERAL, Normalizer, parse_number, point_prefix

if TYPE_CHECKING:
    from bot.core.conversation import Conversation
    from bot.core.engine import Engine

# ---- small talk ------------------------------------------------------------------------------

# Characters between pleasantries (and between a pleasantry and the question after it).
_SEPARATORS = re.compile(r"[\s,.!?;:~…、，。！？；：～·'\"“”‘’()（）\[\]【】\-—_*#@/\\|<>《》\ufe0f\u200d]+")
_WORDY = re.compile(r"\w")  # letters, digits and Chinese characters; not emoji or symbols
# A question may follow a pleasantry without a separator when it opens with one of these.
# The longest message read by its sound as a pleasantry with a wrong character (你号啊, 谢射).
SOUNDS_LIKE_MAX = 5
# What starts a question or an introduction right after a pleasantry, with no comma between
# (谢谢那整改呢, 你好我是老张): the pleasantry is not part of a word.
_QUESTION_OPENER = re.compile(r"那|请问|我想问|想问|问一下|问下|我问下|我问一下|我是(?!说)|我叫|我们是")


@dataclass(frozen=True, slots=True)
class SmallTalk:
    """The pleasantry lists (bot/core/data/smalltalk.yaml), folded for matching."""

    phrases: dict[str, str]  # folded phrase -> kind
    kinds: tuple[str, ...]  # in order of precedence
    particles: frozenset[str]
    longest: int
    vocatives: tuple[str, ...] = ()  # forms of address after a pleasantry, longest first
    _sounds: dict[str, str] = field(default_factory=dict)  # pinyin -> kind, filled on first use
    _vocative: re.Pattern[str] | None = None  # the vocatives as one pattern, longest first
    _ending: frozenset[str] = frozenset()  # the last characters of goodbyes, thanks and complaints

    @classmethod
    def load(cls, normalize: Normalizer, text: str | None = None) -> SmallTalk:
        if text is None:
            text = resources.files("bot.core").joinpath("data/smalltalk.yaml").read_text("utf-8")
        data = files.parse_yaml(text)
        phrases: dict[str, str] = {}
        for kind, items in data["kinds"].items():
            for item in items:
                folded = normalize(str(item))  # "thank you" is matched with and without its space
                phrases.setdefault(folded, kind)
                phrases.setdefault(_SEPARATORS.sub("", folded), kind)
        vocatives = tuple(
            sorted((normalize(str(v)) for v in data.get("vocatives", [])), key=len, reverse=True)
        )
        return cls(
            phrases,
            tuple(data["kinds"]),
            frozenset(data.get("particles", [])),
            max(map(len, phrases)),
            vocatives,
            # 老板们辛苦: a form of address in the plural too
            _vocative=re.compile(f"(?:{'|'.join(map(re.escape, vocatives))})们?") if vocatives else None,
            _ending=frozenset(p[-1] for p, kind in phrases.items() if kind in ("bye", "thanks", "complaint")),
        )

    def split(self, text: str) -> tuple[str | None, str]:
        """(kind, rest) of a normalised message: kind None when it does not open with small talk;
        rest "" when it is nothing but small talk, else the question after the pleasantry."""
        found: list[str] = []
        pos = 0
        gap_before = False  # a separator stands right before `pos`
        while True:
            if m := _SEPARATORS.match(text, pos):
                pos, gap_before = m.end(), True
            if pos >= len(text):
                break
            matched = self._phrase_at(text, pos)
            if matched is None:
                if found and text[pos] in self.particles:
                    pos, gap_before = pos + 1, False
                    continue
                called = self._vocative.match(text, pos) if self._vocative else None
                vocative = called.group(0) if called else None
                # After a pleasantry (谢谢你啊孩子), or before one (小同志你好啊).
                if vocative and (found or self._phrase_at(text, _skip_separators(text, pos + len(vocative)))):
                    pos, gap_before = pos + len(vocative), False
                    continue
                break
            kind, end = matched
            found.append(kind)
            while end < len(text) and text[end] == text[end - 1]:  # 哈哈哈哈, 谢谢谢谢, 嗯嗯嗯
                end += 1
            pos, gap_before = end, False
        if not found:
            return None, text
        kind = min(found, key=self.kinds.index)
        rest = text[pos:]
        if pos >= len(text):
            return kind, ""
        if not _WORDY.search(rest) and _WORDY.search(text, 0, pos):
            return kind, ""  # 晚安🌙: an emoji after words adds no question (emoji alone stay empty)
        if gap_before or _QUESTION_OPENER.match(rest) or (not _WORDY.match(rest) and _WORDY.search(rest)):
            return kind, rest.lstrip()  # an emoji parts words as a comma does (早上好☀️ 我是…)
        return None, text  # 好的做法有哪些, 行业协会…: the pleasantry is part of a word

    def ending(self, text: str) -> tuple[str | None, str]:
        """("bye", "thanks" or "complaint", what comes before) when the message ends with such a
        phrase ("现在送单去了 88", "谢谢你，你帮我很多！拜拜", "这bot有点笨啊 答非所问"), else (None,
        text); the caller checks that it asks nothing before."""
        end = len(text)
        while end and (
            _SEPARATORS.match(text, end - 1)
            or text[end - 1] in self.particles
            or not _WORDY.match(text[end - 1])
        ):
            end -= 1
        if not end or text[end - 1] not in self._ending:
            return None, text  # most messages: no such phrase can end there
        for size in range(min(self.longest, end), 0, -1):
            kind = self.phrases.get(text[end - size : end])
            if kind in ("bye", "thanks", "complaint") and (
                size >= 2 or end == size or _SEPARATORS.match(text, end - size - 1)
            ):
                return kind, text[: end - size]
        return None, text

    def asked_before_thanks(self, text: str) -> str | None:
        """The question before thanks or a goodbye set apart at the end ("整篇讲了几大块 能帮我捋一下吗
        谢谢"), else None: "讲话结尾有说谢谢吗" asks about the thanks."""
        kind, before = self.ending(text)
        if kind not in ("thanks", "bye") or not before.strip():
            return None
        if not (_SEPARATORS.match(before, len(before) - 1) or before[-1] in "吗呢吧啊呀"):
            return None
        return before

    def by_sound(self, text: str, sound: Callable[[str], str | None]) -> str | None:
        """The kind of a short message that sounds like a pleasantry typed with a wrong
        character ("你号啊" for 你好啊): its toneless pinyin, particles dropped, is a phrase's."""
        text = _SEPARATORS.sub("", text)
        if not 2 <= len(text) <= SOUNDS_LIKE_MAX:
            return None
        if not self._sounds:
            for phrase, kind in self.phrases.items():
                if (key := sound(phrase)) and len(phrase) >= 2:
                    self._sounds.setdefault(key, kind)
        key = sound(text.rstrip("".join(self.particles))) or ""
        return self._sounds.get(key)

    def _phrase_at(self, text: str, pos: int) -> tuple[str, int] | None:
        if pos >= len(text):
            return None
        for size in range(min(self.longest, len(text) - pos), 0, -1):
            kind = self.phrases.get(text[pos : pos + size])
            if kind is not None:
                return kind, pos + size
        return None


def _skip_separators(text: str, pos: int) -> int:
    m = _SEPARATORS.match(text, pos)
    return m.end() if m else pos


# ---- foreign questions -----------------------------------------------------------------------

_OTHER_SCRIPTS = re.compile(
    r"[\u3040-\u30ff\uac00-\ud7af\u1100-\u11ff\u0400-\u04ff\u0600-\u06ff\u0e00-\u0e7f]"
)
_LATIN_WORD = re.compile(r"[a-zà-ÿ]+")
_PINYIN = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ui|ao|ou|iu|ie|ve|ue|er|an|en|in|un|vn|ia|ua|uo|a|o|e|i|u|v))+"
)

_SECTION_IN_ENGLISH = re.compile(r"\b(?:part|section|point)\s*\d")  # "part 6 point 2"


def is_pinyin(word: str) -> bool:
    """True when a Latin word reads as toneless pinyin syllables (yinhuan, paicha, anquan)."""
    return _PINYIN.fullmatch(word) is not None


def is_foreign(text: str) -> bool:
    """A question in another language: kana, Hangul, Cyrillic …, or Latin words that are mostly
    not pinyin, with no Chinese characters (a few English words inside Chinese are content)."""
    if _OTHER_SCRIPTS.search(text):
        return True
    if CJK.search(text):
        return False
    if _SECTION_IN_ENGLISH.search(text.lower()):  # "part 6 point 2?": a place in the speech
        return False
    words = _LATIN_WORD.findall(text.lower())
    foreign = [w for w in words if not is_pinyin(w)]
    # Short English words read as pinyin too (can, you, in): two long ones that do not are English.
    return (any(len(w) >= 2 for w in foreign) and 2 * len(foreign) >= len(words)) or sum(
        len(w) >= 4 for w in foreign
    ) >= 2


_POLITE = frozenset({"please", "pls", "plz", "thanks", "thx", "the", "a"})
_POLITE_WORD = re.compile(r"\b(?:please|pls|plz|thanks|thx)\b")
# English words that carry nothing a follow-up needs ("why is it important"): skipped only when
# what is left is a follow-up to the last answer ("What is this speech about?" stays English).
_EMPTY_IN_FOLLOW_UPS = frozenset({"is", "it", "this", "that", "so", "very", "are", "does", "in", "from"})


def _from_english(text: str, *, skip: frozenset[str] = frozenset()) -> str:
    """A message of English words only, each one the table knows (bot/core/data/english.yaml:
    "next point", "more please", "why"), as the Chinese it stands for; anything else as typed.
    A point or part by number ("point 4 呢", "part 2?") becomes 第4点, 第2部分."""
    original = text
    text = _ORDINAL_IN_ENGLISH.sub(lambda m: f"{m.group(2)} {m.group(1)}", text)
    text = _NUMBERED_IN_ENGLISH.sub(
        lambda m: f"第{m.group(2)}{'点' if m.group(1) == 'point' else '部分'}", text
    )
    if CJK.search(text):
        return _POLITE_WORD.sub("", text).strip() if text != original else text  # "第4点 please"
    words = [w for w in _LATIN_WORD.findall(text) if w not in _POLITE and w not in skip]
    table = english_words()
    if len(words) > 1 and "".join(words) in table:  # "xia yi dian": pinyin typed syllable by syllable
        words = ["".join(words)]
    if not words or not all(w in table for w in words) or _LATIN_WORD.sub("", text).strip(" ,.!?"):
        return text
    return "".join(table[w] for w in words)


_NUMBERED_IN_ENGLISH = re.compile(r"\b(point|part|section)\s*(\d{1,2})\b")
# "the 4th point", "2nd part": the same, counted before the word.
_ORDINAL_IN_ENGLISH = re.compile(r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\s+(point|part|section)\b")

# ---- follow-ups ------------------------------------------------------------------------------

_NUM = rf"[{CN_NUMERAL}\d]{{1,3}}"
# A passage that quotes someone: "这是谁说的" after it asks whom it quotes.
_QUOTES = re.compile(r"[“「]|指出|强调|要求")
# Words around a follow-up that add nothing: 那…呢, 它的…, …讲了什么.
_LEAD = (
    r"(?:那么|那|它的|它|这部分的?|这一部分的?|这块的?|这一块的?|这个的|其中的?|然后|接着|再往|再|往|请问|我想问|"
    r"能不能|可不可以|能|可以|麻烦|请|给我)*"
)
_TAIL = r"(?:具体的?|给我看看|给我看一?下|我看看|发我看看|讲的?是?什么|讲了什么|讲了啥|讲的啥|讲啥|说的?是?什么|说了什么|说了啥|说的啥|说啥|是什么|是啥|内容|呢|吗|啊|呀|吧|嘛)*"
_DETAIL = (
    r"(?:详细|具体|展开|再详细|(?:说|讲)得?(?:更)?(?:详细|具体)|多)(?:一)?(?:点|些|说说|讲讲|说一下|讲一下|说|讲|介绍一下|解释一下)|"
    r"展开|细说|细讲|原文|原话|原(?:文|话|句)(?:是|到底是)?(?:怎么|咋|如何)(?:说|讲|写)的?|全文|上下文|更多上下文|详细内容|具体内容|完整的?|完整版|整段|"
    r"(?:这|这是|那是)?(?:什么|啥)意思|(?:它|这|这个|这条)?的?意思是?|(?:具体)?指(?:的是)?(?:什么|啥)|"
    r"怎么理解|如何理解|举个?例子?|比如说?|例如|(?:解释|说明)(?:一)?下|"
    # Asked to put it another way: the bot quotes, so it shows the passage's surroundings.
    r"完整的?(?:那|这)?(?:一)?段|全段|解释(?:一下|解释)|换(?:个|种)说法|换句话说"
)

# Each rule: name -> pattern over the compact question (no spaces or punctuation).
RULES: dict[str, re.Pattern[str]] = {
    # 再说一遍, 重复一下, 原话再发一遍, 完整句子发我: the last answer again
    "repeat": re.compile(
        rf"^{_LEAD}(?:(?:原话|原文|原句|完整的?句子|完整的?原文|刚才的?话?|(?:刚才)?(?:那|这)(?:段|句|条)话?)?"
        rf"(?:再说一遍|再说一次|再讲一遍|再讲一次|重复一下|重复一遍|重复一次|再来一遍|再来一次|"
        rf"再发一次|再发一遍|再发一下|再给我看下|再给我看看|再看一下|再看下|再发我|再给我)|"
        rf"(?:这段|这句|那段|那句|这个|这条)?的?(?:原话|原文|原句|完整的?句子|完整的?原文)(?:发我|发给我|给我|发一下|给我看看|给我看下)|"
        rf"刚才说的?是?(?:什么|啥)|没看清|没看清楚)(?:吧|呗|呢|啊|一下)?$"
    ),
    # 谁说的, 这句话是谁说的: the last answer, which names whom it quotes
    "who_said": re.compile(
        rf"^{_LEAD}(?:这句话?|这段话?|这话|那句话?|它|这|那)?(?:是)?(?:谁|哪位|哪个领导)(?:说|讲|提)的"
        rf"(?:这句话?|这段话?|这话|那句话?)?(?:呢|吗|啊)?$"
    ),
    # 那是什么时候说的: when the last answer's words were said, if it says
    "when_said": re.compile(
        rf"^{_LEAD}(?:这句话?|这段话?|这话|那句话?|它|这|那)?(?:是)?(?:什么时候|啥时候|哪天|哪一天|何时|几号)"
        rf"(?:(?:说|讲|提|指出|强调)的)?(?:呢|吗|啊)?$"
    ),
    # 你确定?, 真的假的, 没骗我吧: the last answer doubted; it is shown again with where it sits
    "sure": re.compile(
        rf"^{_LEAD}(?:你|您)?(?:确定|肯定|保证)(?:吗|嘛|么|不|没错)?$|^{_LEAD}(?:真的假的|真的吗|真的啊|是真的吗|没骗我吧|靠谱吗|不会吧)$|"
        # 你上面回答的有没有错, 刚才说的对吗
        rf"^{_LEAD}(?:你|您)?(?:上面|刚才|刚刚|前面)?(?:回答|答|说|发)的?(?:这个|这些)?(?:有没有错|有错吗|对不对|对吗|准不准|准确吗|靠谱吗|没错吧)$"
    ),
    # 这部分标题是啥, 这块的题目呢: the heading of the last answer's part
    "heading": re.compile(
        rf"^{_LEAD}(?:这|那|它)(?:个|一)?(?:部分|块|大块|段|节)(?:的)?(?:小)?(?:标题|题目)(?:是)?(?:什么|啥)?(?:呢|啊|吗)?$"
    ),
    # 这段在哪部分, 出处呢, 这个是在哪里说的, 那它在讲话第几部分: where the last answer sits
    "where": re.compile(
        rf"^{_LEAD}(?:(?:你|您)?(?:刚才|刚刚|上面)(?:说的|发的|回答的|给的)?(?:那个|那段|那句|那条|这个)?|"
        rf"这个词|这个说法|这个提法|这词|这个|这句话?|这段话?|这条|这话|这|它|那段|那句)?(?:是)?(?:在|出自|来自|属于)?(?:讲话|原文|文中)?(?:的)?"
        rf"(?:哪一?部分|(?<=在)那一?部分|哪一?段|哪一?句|哪一?条|哪一?点|哪里|哪儿|哪|第几部分|第几段|第几句|第几条|第几点)+(?:里|儿)?(?:说|讲|提)?的?(?:呢|吗|啊)?$|"
        rf"^{_LEAD}(?:出处|出自哪里?|原文在哪里?)(?:呢|吗|啊)?$"
    ),
    # 回到刚才那个, 回到上一个问题: the answer before the last one
    "back": re.compile(
        rf"^{_LEAD}(?:回到|返回|回去|退回)(?:到)?(?:刚才|上一个|之前|前面|上个)(?:的)?(?:那个|那)?(?:问题|答案|回答|话题|那段)?(?:吧|呢)?$"
    ),
    # 下一点, 上一部分, 再下一点, 那上一点呢, 下一部分讲啥
    # 下一句, 前面一句: the neighbouring sentence; 下一部分第二点: a point of the next part
    "step": re.compile(
        rf"^{_LEAD}(?:(?:这|那)(?:一)?(?:句话?|段话?|条|点)(?:的)?)?"  # 这句前面一句
        rf"(下|上|前|后)(?:面|边)?(?:还有|还)?(?:的)?(?:一|1)?(?:个)?(点|条|项|部分|大部分|段|节|个|句话|句)"
        rf"(?:的?第({_NUM})(?:个)?(?:点|条|项|小点))?{_TAIL}(?:完整的?|全的)?{_TAIL}$"
    ),
    # 然后呢, 接着说, 继续: the next point
    "go_on": re.compile(
        rf"^{_LEAD}(?:然后|接着说|接着讲|继续说?|继续讲|往下说|往下讲|再往下|接下来)(?:呢|吧|啊)?$|"
        rf"^{_LEAD}(?:这条|这点|这个|这段|这句|它)?(?:后面|后边|下面|接下来|之后|以后)(?:接的|跟的|紧接着的?)?(?:又)?"
        rf"(?:还有|还有吗|还有呢|呢|是什么|是啥|讲啥|说啥|讲了什么|讲了啥|说了什么|说了啥|写了什么|讲的什么|讲的啥)$"
    ),
    # 那第二点呢, 它的第四点, 第三点, 第二点展开讲讲, 那最后一点呢
    # 倒数第二点: counted from the end of the last answer's part
    "nth_point": re.compile(
        rf"^{_LEAD}(?:(倒数)?第({_NUM})|(最后|最末)(?:一)?)(?:个(?:点|条|项|小点)?|点|条|项|小点)"
        rf"(?:{_DETAIL}|再?(?:说说|讲讲|说一下|讲一下|说一遍|讲一遍|发一遍|重复一下))?{_TAIL}$"
    ),
    # 详细说说, 具体点, 展开讲讲, 原文
    "detail": re.compile(rf"^{_LEAD}(?:{_DETAIL}|这个|这条|这段|这句)(?:{_DETAIL})?{_TAIL}$"),
    # 说人话, 简单点说, 太长了, 一句话概括: the last answer shortened to the sentence that answers
    "shorter": re.compile(
        rf"^{_LEAD}(?:(?:(?:说|讲)人话|(?:说|讲)?(?:得)?(?:再)?(?:简单|通俗|简短|直白|明白)(?:一)?点(?:说|讲|儿)?|(?:说|讲)(?:简单|通俗)(?:一)?点|"
        rf"太长了?(?:看不完|看不下去)?|长话短说|一句话(?:说完?|讲完?|概括|总结)?|简单(?:说|讲)(?:一下|下)?|大?白话|"
        rf"(?:说|讲)重点|(?:你)?(?:说|讲)的太长了?|(?:再)?(?:短|精简|简洁|简要|简练)(?:一)?(?:点|些)(?:说|讲|儿)?|"
        rf"(?:缩|压)(?:成|短|到)(?:一句话?)?)"
        rf"(?:吧|呗|呢|啊|吗|行吗|可以吗|就行|就好|就可以)?)+$"
    ),
    # 不对吧 不是第三部分吗: the last answer doubted by its place; it is shown with where it sits
    "not_there": re.compile(
        rf"^(?:不对吧?|不对啊|不是吧)?(?:它|这|这段|这个|这句)?(?:不是|应该是|难道不是|不该是|不应该是)(?:在)?(?:讲话)?"
        rf"第({_NUM})(?:个)?(?:大)?(?:部分|块|段)(?:里|的|吗|吧|么|嘛|啊|呀|才对)*$"
    ),
    # 这部分讲了几点, 这块有几条: the last answer's part, which says how many points it has
    "count": re.compile(
        rf"^(?:那|那么)?(?:它|它们|这|这个|这一|该)(?:部分|块|大块|段|节)?(?:一共|总共|共)?(?:讲了|有|分|分了|包括|说了)?"
        rf"几(?:个)?(?:点|条|项|方面)(?:内容)?{_TAIL}$"
    ),
    # 我要的是具体的几条, 我说的是刚才那段所在的部分里面的几条: the points of the last answer's part
    "points": re.compile(
        rf"^{_LEAD}(?:我要的|我问的|我说的|要的|问的)(?:是)?(?:刚才|刚刚)?(?:那段|这段|那句|这句|那个|这个)?(?:所在的?|在的)?"
        rf"(?:这|那|它)?(?:个|一)?(?:部分|块|大块)?(?:里面|里头|里)?(?:的)?(?:具体的?)?(?:那|这)?(?:哪)?几(?:条|点|项){_TAIL}$"
    ),
    # 还有呢, 还有吗, 其他的呢
    "more": re.compile(
        rf"^(?:{_LEAD}(?:还有|还有别的|还有其他的?|还有其它的?|还有什么|还有啥|还有哪些|其他的?|其它的?|别的|另外的?|其余的?|剩下的?|就这些|只有这些|就这|还有没有别的|还有没有其他的?|有没有别的|有没有其他的?)"
        rf"(?:点|几点|措施|内容)?(?:的)?(?:吗|呢|么|没有|不)?)+$"
    ),
}
# The words that make a question ask why or how; what is left must be about the last topic.
_WHY = re.compile(
    r"为什么|为啥|为何|凭什么|怎么回事|咋回事|什么原因|啥原因|原因是?什么|原因|目的是?什么|目的|"
    r"有什么意义|有啥意义|意义是?什么|意义何在|有什么用|有啥用"
)
_HOW = re.compile(r"怎么样?|咋样?|如何|怎样|(?:有|用)?(?:什么|啥|哪些)(?:措施|办法|举措|要求|内容)")
_FILLER = re.compile(  # whole words (see _leftover)
    r"[这那]?一?[点条项块]|这部分|那么|那|具体|应该|该|要|得|需要|这样|这么|这个|这些|那个|搞|弄|整|做到|做|办|落实|执行|实现|开展|进行|处理|"
    r"说|讲|呢|啊|吗|呀|的|去|来|才|能|是|有|会|我们|咱们|咱|我|你们|大家|"
    # how much it matters, which any topic can be asked (为什么重要, 为啥这么严)
    r"重要|必要|要紧|关键|紧迫|严|严格|必须|非得|一定|有用|意义"
)
# What a word means, asked after it (回头看是什么意思, 销号指的是啥).
_MEANING = re.compile(r"(?:是|这是)?(?:什么|啥)意思|(?:具体)?指(?:的是)?(?:什么|啥)")
# A follow-up with its topic words left: what is left must appear in the last answer.
_DETAIL_TAIL = re.compile(rf"(?:{_DETAIL}){_TAIL}$")

# "我是记者，" / "我们是街道办的 ": a self-introduction in front of (or instead of) a question.
_SELF_INTRO = re.compile(
    r"^(?:你好|您好)?[,，\s]*(?:我|我们|本人|俺)(?:是|在)[^,，。.!！?？\s]{1,10}?(?:的|工作)?(?:[,，。.!！\s]+(?:请问|想问一下|想问下|想问)?|$)"
)
# A-not-A (算不算, 过没过) and a closing 不 (有这类安排不) ask too.
_QUESTION_WORDS = r"啥|什么|吗|呢|吧|么|嘛|怎|咋|哪|谁|几|多少|多久|多长|多大|多高|多远|多快|何时|如何|\?|？|([\u4e00-\u9fff])[不没]\1|不\W*$"
_ASKING = re.compile(
    rf"{_QUESTION_WORDS}|要|能|会|该|"
    r"(?<=[\u4e00-\u9fff])[不没](?=[\s,，。!！])"  # 算是当前重点工作不 谢谢, 划分清楚了没 谢谢
)
# Only a question word asks, not a modal verb (after an introduction: 村里要开会传达这个讲话).
_QUESTION_WORD = re.compile(_QUESTION_WORDS)
# Saying that questions will follow, and nothing else (想问几个问题, 想核实几个细节, 想問下):
# greeted, not matched (its 几个 is not a count asked for).
_ASKED_ABOUT = r"问题|事|事情|事儿|细节|情况|信息|表述|说法|提法|地方|内容|引文|原文|数据|数字|引语|日期"
_ASK_VERBS = r"问问|问|请教|核实|核对|查证|求证|确认|咨询|了解|打听|熟悉|看看|学习"
_WILL_ASK = re.compile(
    # 看到这个讲话想问问: what the asker read first
    r"(?:(?:看到|看了|读了|刚看到|刚看了)(?:这个|这篇|这份)?(?:讲话|稿子|文章|材料))?"
    rf"(?:我|我们)?(?:先|就)?(?:想|要|能|可以|再|来)?(?:用你)?(?:{_ASK_VERBS})(?:你|您)?(?:一下|下)?"
    r"(?:(?:这篇|这个|这份)?(?:讲话|稿子|文章|材料)(?:里|中|里面)(?:的)?)?"
    rf"(?:几|一|两|三)?(?:个|点|些|处)?(?:小)?(?:讲话|稿子)?(?:{_ASKED_ABOUT})?(?:(?:和|跟|与|及)(?:{_ASKED_ABOUT}))?"
    r"(?:吗|可以吗|行吗|好吗|哈|啊|呀)?"
    # 你回答是或不是就行: how the answers should be, no question yet
    r"(?:(?:你|您)?(?:只)?(?:回答|答|回)(?:我)?(?:是或不是|是或否|是不是|对不对|简单点|简短点)(?:就行|就好|即可|就可以)?)?|"
    # 我一次问几个哈, 我贴一句话 你帮我看看在哪, 想要几处原话 写材料用
    r"(?:我)?(?:一次|一起|先)?问(?:几|两|三)个(?:问题)?(?:哈|啊|呀)?|"
    r"(?:我)?(?:先)?(?:贴|发|复制|粘贴|拷)(?:了)?(?:一|几)(?:句|段|处)(?:话|原文|原话)?(?:你)?(?:帮我)?(?:看看|查查|找找|查一下|看一下)?(?:在哪|在哪里|在哪儿|出处)?(?:哈|啊|呀)?|"
    r"(?:我)?(?:想|要)?(?:要|找|查|引用|引)(?:几|一)(?:处|句|段)(?:原话|原文|引文|话)?(?:写材料|写稿子|写报告|写论文|备课|汇报)?(?:用)?|"
    # 帮我看看出处: before anything is pasted
    r"(?:你)?(?:帮我|帮忙)?(?:看看|查查|找找|查一下|看一下)(?:出处|在哪|在哪里|在哪儿)(?:哈|啊|呀)?|"
    # 有几个问题一起问, 我有几个问题想请教
    r"(?:我|我们)?有(?:几|一|两|三|些)(?:个|些)?(?:小)?(?:问题|事|事情|事儿)(?:想|要)?(?:一起|一块儿?)?"
    r"(?:问|请教|咨询|核实|确认)?(?:一下|下)?(?:你|您)?(?:哈|啊|呀)?"
)
# What the bot can answer, asked any way (你都能回答些什么, 你到底会干点啥): its abilities.
_ABILITIES = re.compile(
    r"^(?:那|请问)?(?:你|您)(?:都|到底|究竟|一般)?(?:能|会|可以)(?:回答|答|干|做|查|帮我干|帮我做|帮我查)"
    r"(?:些|点|一些)?(?:什么|啥|哪些)(?:问题|事|事情|东西|内容)?(?:呀|啊|呢|吗|呗)?[?？]*$"
)
# A task the bot does not do (帮我写一篇心得体会, 翻译成英文): said plainly, not "not in the speech".
_TASK = re.compile(
    r"^(?:请|麻烦)?(?:你|您)?(?:能|能不能|可以|可不可以)?(?:帮我|帮忙|替我|给我|帮)(?:写|起草|拟|翻译|润色|改写|点|订|买|算)|"
    r"^(?:请|麻烦)?(?:你|您)?(?:写|起草)(?:一|几)?(?:篇|个|份|段|首)"
)


def tells_about_oneself(text: str) -> bool:
    """A message that only says something about the asker ("我开了个小饭馆", "我退休了在家没事看看"):
    it starts with 我 and asks nothing. Declined, it gets a friendly prompt instead."""
    plain = signals.APPROXIMATE.sub("", text)  # 十几个人 is a rough number told, not 几 asked
    if _FIRST_PERSON.match(text) is None:
        # "老师让我们背这篇讲话 考试要考 我是学生": the self-description comes later
        described = any(_SELF_DESCRIBED.match(clause) for clause in _CLAUSE.split(text)[1:])
        return described and _QUESTION_WORD.search(plain) is None
    # After "我是…" a modal verb states a plan or a duty (我是开饭店的 听说区里要来检查了): only a
    # question word asks.
    asking = _QUESTION_WORD if _SELF_DESCRIBED.match(text) else _ASKING
    return asking.search(plain) is None


# Asked for the bot's own opinion of the speech or the policy (你觉得这篇讲话写得怎么样).
_OPINION = re.compile(
    r"^(?:那)?(?:你|您)(?:觉得|认为|看|说)[^?？]*?(?:好不好|怎么样|咋样|如何|有没有用|有用吗|行不行|靠不靠谱|靠谱吗|对不对|合理吗|写得)|"
    # the bot's own tastes (你喜欢吃火锅不)
    r"^(?:那)?(?:你|您)(?:也)?(?:喜欢|喜不喜欢|爱吃|爱不爱|爱喝|爱看|爱玩)"
)
# The bot itself asked about or teased (你天天回答问题会不会累, 你是不是只会念稿子), not the speech;
# "你是说…" / "你说的…" refer to the last answer instead.
_ABOUT_THE_BOT = re.compile(
    r"^(?:哈+|嘿+|呵+)?(?:机器人|小助手)?(?:你|您)(?:是不是|会不会|咋这么|怎么这么|天天|每天|累不累|会累|几岁|多大|在干嘛|上班|下班|也|还挺|挺|真)"
    r"(?!说|指|讲|回答|答|告诉)|"
    # the bot being tried out (看看你这玩意靠不靠谱, 试试你灵不灵)
    r"^(?:我)?(?:看看|试试|测测|考考)(?:你|您)(?:这)?(?:个)?(?:玩意儿?|东西|机器人|小助手)?(?:到底)?"
    r"(?:靠不靠谱|靠谱不|靠谱吗|行不行|灵不灵|好不好使|准不准|有没有用|咋样|怎么样)|"
    # 你这bot靠谱吗, 这机器人准不准
    r"^(?:你|您)?(?:这|这个)(?:个)?(?:bot|机器人|小助手|玩意儿?|东西|工具)(?:到底)?"
    r"(?:靠不靠谱|靠谱不|靠谱吗|行不行|灵不灵|好不好使|准不准|准吗|有没有用|有用吗|咋样|怎么样)"
)
# Where the asker goes next (我先去开会了, 我去备课了): said with thanks, it is a goodbye.
# ... or what they do with the answer (那我就这么汇报了, 我照这个写).
_DEPARTING = re.compile(
    r"^(?:那|那么|好)?(?:我|我们)(?:先|这就|马上|得|要|该|也|就)?(?:去|走|撤|忙|下线|回去|睡|转|发|这么|这样|按这个|照这个|照着)"
)
_FIRST_PERSON = re.compile(r"^(?:我|我们|本人|俺|咱们?)")
# What the asker is about to do, after "我是…" (要写篇稿子, 准备给学生上课): a plan, not a request.
_PLAN = re.compile(r"(?:要|想|准备|打算|正在|在|得)(?!问|了解|知道|请教|咨询|看看|查)")
# What the asker does, after "我是…" (干建筑施工的, 开饭店的, 在街道上班的).
_DESCRIBING = re.compile(
    r"(?:是|在|干|做|搞|开|跑|管|负责|从事|当)[^,，。?？!！\s]{1,12}的(?:人|老板|师傅|员工)?"
)
_SELF_DESCRIBED = re.compile(r"(?:我|我们|本人|俺)(?:就|只|也)?(?:是|在)(?!说|问|想|找|看)")
# Words that make a statement a request (我想了解一下隐患排查, 我来看看讲话).
_REQUEST = re.compile(
    r"了解|知道|问|请教|介绍|(?<!听)说|讲|指|看看|看下|看一下|查查|找|学习|发言|内容|结构|框架|提纲|大纲"
)


def _tells_only(text: str) -> bool:
    """A message about the asker that neither asks nor requests anything ("我是开饭店的，做了十年"):
    greeted whatever the matcher would find in its words."""
    return tells_about_oneself(text) and _REQUEST.search(text) is None


def _more_about_the_asker(rest: str) -> bool:
    """Whether what follows "我是…" only goes on about the asker, asking nothing: what they do
    (干建筑施工的, 开饭店的) or what they are about to do (要写篇稿子)."""
    if all(map(_DESCRIBING.fullmatch, _CLAUSE.split(rest.strip()))):
        return True
    return _PLAN.match(rest) is not None and not (_QUESTION_WORD.search(rest) or _REQUEST.search(rest))


def _after_telling(text: str) -> str:
    """The text after a first clause that only tells about the asker ("我退休前干了三十年安监 看看
    你这玩意靠不靠谱"), else the text. (Such a clause is not dropped before a question: it often
    holds its topic, 我担心排查又是走个形式 区里咋保证.)"""
    if not _FIRST_PERSON.match(text):
        return text
    first = _CLAUSE.search(text)
    if first is not None and first.end() < len(text) and _tells_only(text[: first.start()]):
        return text[first.end() :]
    return text


def _self_intro(text: str) -> int | None:
    """Where a self-introduction at the start ends: one followed by a separator, or the whole
    message when it asks nothing ("我是安监局的", not "我在工地上班要注意啥"). None without one."""
    m = _SELF_INTRO.match(text)
    if m is None:
        return None
    if m.end() == len(text) and _ASKING.search(text):
        return None
    return m.end()


_ABOUT_THE_DOCUMENT = frozenset(
    {"outline", "part", "point", "meta", "opening", "closing", "no_part", "no_point"}
)
# A puzzled noise alone ("嗯?", "啥?") asks back rather than agrees.
_PUZZLED = re.compile(r"[嗯啊哈啥蛤呃额]{1,2}\s*[?？]+|什么\s*[?？]+|[?？]+")
# A question this short, or one with 也 (网上也有吗), may lean on the last topic even when it is
# answered on its own from elsewhere (学校能参加吗 after the answer about 安全生产月).
SHORT_QUESTION = 6  # characters
_LEANING = re.compile(r"也|^那(?![些个里样么])")
# The confidence a question with the last topic's words in front needs: above the threshold,
# because the topic words alone match their own passage fully. Measured on the conversations:
# questions that lean on the topic reach 0.77-1.0, off-topic ones (报纸登在哪个版面) 0.67-0.68.
TOPIC_CONFIDENCE = 0.75
# How much of the question's own information the passage found with the topic in front must hold.
# Measured on the conversations (0 -> 0.3 -> 0.6 -> 0.7): rejects inside them 16 -> 17 -> 18 -> 18
# of 19, follow-ups 126 -> 126 -> 126 -> 123 of 129 (会不会直接撤职 after the media passage was
# answered with it, as 直接 met the paragraph).
OWN_WORDS = 0.6


# The longest last answer "这段在哪" shows again whole; a longer one is cut to its answering sentence.
WHERE_SHOWN = 160  # characters


@dataclass(frozen=True, slots=True)
class Dialogue:
    smalltalk: SmallTalk
    normalize: Normalizer

    @classmethod
    def load(cls, normalize: Normalizer | None = None) -> Dialogue:
        normalize = normalize or Normalizer()
        return cls(SmallTalk.load(normalize), normalize)

    def after_preamble(self, text: str) -> str:
        """The message without a first clause that only says questions will follow ("我一次问几个哈
        讲话是欢迎谁的" -> "讲话是欢迎谁的")."""
        clauses = [c for c in _CLAUSE.split(text) if c.strip()]
        if len(clauses) >= 2 and _WILL_ASK.fullmatch(_compact(self.normalize(clauses[0]))):
            return text[text.index(clauses[1]) :]
        return text

    def asks_where(self, text: str) -> bool:
        """Whether the message only asks where the last answer stands (在第几部分, 出处呢)."""
        return RULES["where"].match(_compact(self.normalize(text))) is not None

    def reply(self, engine: Engine, question: str, conversation: Conversation | None = None) -> Answer | None:
        """The reply when the question is small talk, a follow-up or foreign; None otherwise
        (the engine then answers it as a question about the speech)."""
        text = self.normalize((question or "")[:300])
        if not text:
            return None
        if _PUZZLED.fullmatch(text):  # "嗯?", "啥?": not agreement, a request to explain
            return replace(_clarify(), question=question)
        kind, rest = self.smalltalk.split(text)
        if kind is None and (heard := self.smalltalk.by_sound(text, engine.sound)):
            kind, rest = heard, ""
        if kind is None and _OPINION.match(text):
            kind, rest = "chat", ""  # "你觉得这套政策好不好": an opinion, which the speech does not give
        if kind is None and _TASK.match(text):
            kind, rest = "task", ""
        if kind is None and _ABILITIES.match(text):
            kind, rest = "abilities", ""
        if kind in (None, "greeting", "laugh", "chat", "who") and _ABOUT_THE_BOT.match(
            _after_telling(rest if kind else text)
        ):
            kind, rest = "who" if kind == "who" else "chat", ""  # 哈哈你是不是只会念稿子
        if kind is None and not _ASKING.search(text):
            parting, before = self.smalltalk.ending(text)
            if parting and not (before.strip() and engine.answer(before).matched):
                # "谢谢啊，下班了拜拜": what comes before asks nothing, and the speech does not
                # answer it ("讲话把安全生产抬到多高的位置了 谢谢啦" asks without a question word)
                kind, rest = parting, ""
        if kind is None and (intro := _self_intro(text)):
            # "我是记者，请问讲话分几部分": the asker's introduction sets the scene, the rest asks.
            kind, rest = "intro", text[intro:].strip()
        if (
            kind in (None, "greeting", "intro")
            and (said := rest if kind else text)
            and (_tells_only(said) or (kind == "intro" and _more_about_the_asker(said)))
        ):
            # "Hi，我是化工厂的安全engineer，做HAZOP的", "我是项目经理 干建筑施工的", "我是记者 要写篇稿子":
            # greeted, not answered
            kind, rest = "intro", ""
        if kind in ("thanks", "bye", "ack") and _DEPARTING.match(rest):
            rest = ""  # "谢谢，我去备课了": a goodbye with where the asker goes next
        if (
            kind in (None, "greeting", "intro")
            and _will_ask_last(said := rest if kind else text)
            and _only_setting(engine, said)
        ):
            # "记者，核实几处引文", "您好 我在香港 看到这篇讲话 想了解一下": who asks, then that
            # questions follow
            kind, rest = kind or "greeting", ""
        if kind in (None, "greeting", "intro") and _WILL_ASK.fullmatch(_compact(rest if kind else text)):
            kind, rest = kind or "greeting", ""  # "您好，我是记者，想核实几个细节"
        if kind == "complaint" and not rest and conversation is not None and conversation.current() is None:
            kind = "greeting"  # "我是应急局的 急用 快点" as the first message: nothing was answered yet
        if kind is not None and not rest:
            # After "不对" / "答非所问": sorry, and the other passages close to the last question.
            others = _others(engine, conversation) if kind == "complaint" else []
            return Answer(question, False, "smalltalk", NO_BAND, smalltalk=kind, suggestions=others)
        last = conversation.current() if conversation is not None else None
        earlier = conversation.previous if conversation is not None else None
        english = _from_english(rest)  # "next point", "why": a follow-up in English words
        if english == rest and last is not None:
            loose = _from_english(rest, skip=_EMPTY_IN_FOLLOW_UPS)  # "why is it important"
            if loose != rest and (resolved := _follow_up(engine, loose, last, earlier)) is not None:
                return replace(resolved, question=question)
        rest = english
        if is_foreign(rest):
            return Answer(question, False, "foreign", NO_BAND)
        if RULES["back"].match(_compact(rest)):
            return replace(earlier if earlier is not None else _clarify(), question=question)
        resolved = _follow_up(engine, rest, last, earlier)
        if resolved is not None:
            return replace(resolved, question=question)
        if last is not None:
            if kind is not None and _ASKING.search(rest) is None and engine.answer(rest).kind == "declined":
                # "谢谢 背完了": a remark after the pleasantry, not a question on the last topic
                return Answer(question, False, "smalltalk", NO_BAND, smalltalk=kind)
            return replace(_with_topic(engine, rest, last), question=question)
        if kind is None:
            return None
        own = engine.answer(rest)
        if _only_a_remark(kind, rest, own) or (own.kind == "declined" and _will_ask_last(rest)):
            # "喂 这个怎么用啊 孙子给我弄的", "我是一名中学老师,想给学生讲讲安全": what follows the
            # pleasantry or the introduction asks nothing the speech answers; it gets its reply.
            return Answer(question, False, "smalltalk", NO_BAND, smalltalk=kind)
        if kind == "intro" and own.kind not in _ABOUT_THE_DOCUMENT and own.kind != "smalltalk":
            # Structure and meta questions read without the introduction; a content question is
            # matched whole (the matcher weighs the asker's self-description little).
            return None
        return replace(own, question=question)


def _only_a_remark(kind: str, rest: str, own: Answer) -> bool:
    """Whether what follows a pleasantry (`kind`) is only a remark: it asks nothing and the speech
    does not answer it. Chat goes on (讲个笑话呗 跟安全有关的那种, 烦死了 还让不让人做生意了): after
    it, words are answered only when they ask a question the speech answers."""
    unanswered = own.kind == "declined" or (
        kind != "intro" and (own.kind, own.smalltalk) == ("smalltalk", "intro")
    )
    # After an introduction a modal verb states a plan (村里要开会传达这个讲话), and 三十几 is a
    # rough number told, not asked: only a question word asks.
    asks = (_QUESTION_WORD if kind == "intro" else _ASKING).search(
        signals.APPROXIMATE.sub("", rest)
    ) is not None
    if kind in ("chat", "laugh", "complaint"):
        return unanswered or not asks
    return unanswered and not asks


def _will_ask_last(text: str) -> bool:
    """Whether a message ends by saying that questions will follow (…下周要采访区领导，先用你熟悉下
    这篇讲话): what comes before it sets the scene."""
    if not _WILL_ASK_VERB.search(text):
        return False
    clauses = [c for c in _CLAUSE.split(text) if c.strip()]
    return bool(clauses) and _WILL_ASK.fullmatch(_compact(clauses[-1])) is not None


def _only_setting(engine: Engine, text: str) -> bool:
    """Whether what comes before a message's last clause asks nothing and names no topic the
    speech answers ("记者，核实几处引文", not "安全生产月，了解一下")."""
    # Clauses that only say what will be asked (想引用几句) set the scene too.
    before = " ".join(
        c for c in _CLAUSE.split(text)[:-1] if c.strip() and not _WILL_ASK.fullmatch(_compact(c))
    )
    if not before or _QUESTION_WORD.search(_QUOTES_WANTED.sub("", before)):  # 想引用几句 asks nothing yet
        return not before
    return engine.answer(before).kind in ("declined", "smalltalk")


_QUOTES_WANTED = re.compile(r"[几一两三](?:个)?(?:句|处|段|条)")
# A quick look before `_will_ask_last` splits the message: a word every form of _WILL_ASK holds.
_WILL_ASK_VERB = re.compile(rf"{_ASK_VERBS}|贴|发|复制|拷|原话|原文|引文|引用|出处")
_CLAUSE = re.compile(r"[,，。.!！;；:：\s]+")


def _shorter(last: Answer) -> Answer:
    """The last answer cut to the sentence that answers (its focus, else its first sentence);
    a list of points is already short. The bot quotes, so shorter is all it can make it."""
    if last.kind in ("points", "outline") or (last.kind == "part" and last.limit):
        return last
    if last.focus is not None:
        short = last.answer[last.focus[0] : last.focus[1]]
    else:
        end = _SENTENCE_END.search(last.answer)
        if end and end.end() <= SHORT_TITLE:  # "四是注重源头治理。": a point's title says too little alone
            end = _SENTENCE_END.search(last.answer, end.end())
        short = last.answer[: end.end()] if end else last.answer
    if not short.strip() or short == last.answer:
        return last
    kind = "passage" if last.kind in ("context", "where", "quote") else last.kind
    return replace(last, kind=kind, answer=short.strip(), focus=None, more=())


_SENTENCE_END = re.compile(r"[。！？!?；;]")
_BARE_NTH = re.compile(rf"^(?:那|那么)?({_NUM})是(?:啥|什么|呢|说的啥|讲的啥)?$")
# A first sentence this short is a point's title (四是注重源头治理。): shortened, the answer keeps the
# sentence after it too.
SHORT_TITLE = 12


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", text)


def _follow_up(
    engine: Engine, text: str, last: Answer | None, earlier: Answer | None = None
) -> Answer | None:
    """A follow-up resolved against `last` (and `earlier`, the answer before it); a clarifying
    question when it needs a last answer and there is none; None when `text` is not a follow-up."""
    compact = _compact(text)
    if m := RULES["step"].match(compact):
        if last is None:
            return _clarify()
        forward = m.group(1) in "下后"
        if m.group(2) in ("句", "句话"):
            return (engine.neighbour(last.key, 1 if forward else -1) if last.key else None) or _clarify()
        if m.group(2) in ("点", "条", "项", "个"):
            return _step_point(engine, last, forward) or _clarify()
        part = _step_part(engine, last, forward)
        if part is not None and part.part is not None and (nth := parse_number(m.group(3) or "")):
            return engine.part_answer(part.part, nth, doc=_doc_of(last)) or part
        return part or _clarify()
    if RULES["who_said"].match(compact):
        # After a quote: the quote, its speakers named and marked (kind "quote"). Asked alone
        # (谁讲的) or after a passage that quotes no one: the speaker, which the engine answers (meta).
        if last is None or not _QUOTES.search(last.answer):
            return None
        names = signals.quoted_names(last.answer, last.focus) if "\n" not in last.answer else None
        return replace(last, kind="quote", focus=names) if names else last
    if RULES["when_said"].match(compact) and last is not None and last.matched:
        # The last answer again when it gives a day or date; else it is said the speech does not.
        if signals.holds("date", last.answer):
            return last
        return Answer(text, False, "declined", DECLINED, missing="date", related=True)
    where = RULES["where"].match(compact)
    if (
        (where or RULES["sure"].match(compact) or RULES["not_there"].match(compact))
        and last is not None
        and last.matched
        and last.location
    ):
        if where and len(last.answer) > WHERE_SHOWN:
            last = _shorter(last)  # 这段在哪 after a whole part: where, and the sentence that answered
        return replace(last, kind="where")  # says where first, then shows it again
    if RULES["heading"].match(compact) and last is not None and last.part is not None:
        return engine.part_answer(last.part, doc=_doc_of(last)) or _clarify()
    if RULES["repeat"].match(compact) or where:
        return last or _clarify()  # the reply shows where it sits
    if (bare := _BARE_NTH.match(compact)) and last is not None and last.part is not None:
        compact = f"第{bare.group(1)}点"  # "一是" after a part: its first point, as the speech counts them
    if m := RULES["nth_point"].match(compact):
        leaning = re.match(r"^(那|它|这)", compact) or compact.endswith(("呢", "吗"))
        backwards, nth, final = m.groups()
        if last is not None and last.kind == "outline" and nth:  # 提纲 -> 那第二点呢: a part
            numbers = _numbers(engine, _doc_of(last) or 0)
            n = parse_number(nth) or 0
            number = (numbers[-n] if 1 <= n <= len(numbers) else 0) if backwards else n
            return engine.part_answer(number) or _clarify()
        if last is None or last.part is None:
            return _clarify() if leaning else None
        points = _points_of(engine, last)
        number = len(points) if final else parse_number(nth or "")
        if number is None:
            return None
        if backwards:
            number = len(points) + 1 - number
        if not 1 <= number <= len(points):  # 那第五点呢 after a part of four points, or of none
            return Answer(text, False, "no_point", NO_BAND, part=last.part, point=number, limit=len(points))
        answer = engine.part_answer(last.part, number, doc=_doc_of(last))
        if answer is not None and _DETAIL_TAIL.search(compact):
            return _context(engine, answer) or answer
        return answer
    if RULES["points"].match(compact) and last is not None and last.part is not None:
        listed = last.kind == "part" and last.point is None  # the points shown: 具体的 asks for them in full
        if listed and "具体" in compact and (full := engine.part_full(last.part, doc=_doc_of(last))):
            return full
        return engine.part_answer(last.part, doc=_doc_of(last)) or _clarify()
    if RULES["count"].match(compact):
        if last is None or last.part is None:
            return _clarify()
        if not _points_of(engine, last):  # 第一部分 → 它有几点: none
            return Answer(text, False, "no_point", NO_BAND, part=last.part, limit=0)
        return engine.part_answer(last.part, doc=_doc_of(last)) or _clarify()
    if RULES["shorter"].match(compact):
        if last is not None and last.kind == "outline":  # the outline in one sentence, if the closing has it
            return engine.summing_up(text, _doc_of(last) or 0) or last
        return _shorter(last) if last is not None and last.matched else _clarify()
    if RULES["detail"].match(compact):
        return (_context(engine, last) if last is not None else None) or _clarify()
    if RULES["go_on"].match(compact):
        if last is not None and last.key and "句" in compact:  # 这句之后讲了什么: the next sentence
            return engine.neighbour(last.key, 1) or _clarify()
        return _clarify() if last is None else _step_point(engine, last, True) or _clarify()
    if RULES["more"].match(compact):
        if last is None:
            return _clarify()
        # The part's other points, then the part in full, then the next part: never what the
        # last two answers showed (the points listed again after the part in full).
        shown = {a.answer for a in (last, earlier) if a is not None}
        more = _other_points(engine, last)
        if more is None or more.answer in shown:
            more = _context(engine, last)
        if more is None or more.answer in shown:
            # All of it was shown already: what else is the next part.
            more = _step_part(engine, last, True)
        return more or Answer(text, False, "end", NO_BAND)
    why, how = _WHY.search(compact), _HOW.search(compact)
    if why or how:
        left = (_WHY if why else _HOW).sub(" ", compact)
        if last is None:  # "为什么" alone asks back; anything more is a question of its own
            if _FILLER.sub("", left).strip():  # a quick look first: words are left (most questions)
                return None
            return _clarify() if not _leftover(engine, left) else None  # 整该咋整: 整改
        rest = _leftover(engine, left)
        if not rest:
            return _why(engine, last) if why else _how(engine, last)
        if _mentions(last, rest):
            # 为啥要巡查, 整改有什么要求: a question that names the last topic may be answered
            # on its own from the same part, more exactly than the last answer's surroundings.
            own = engine.answer(text)
            # Not the last answer again, unless the last showed a whole block around it (the
            # part in full after 详细说说): then the passage is the more exact answer.
            exact = not _overlaps(own, last) or len(last.answer) > 1.5 * len(own.answer)
            if own.matched and own.part == last.part and own.key != last.key and exact:
                return own  # sure, or unsure (with its hedge) but in the part the question names
            return _why(engine, last) if why else _how(engine, last)
    if last is not None and (m := _DETAIL_TAIL.search(compact)) and m.start() > 0:
        rest = compact[: m.start()]
        said = _leftover(engine, re.sub(r"啥意思|什么意思|是啥|是什么", " ", rest))
        if _mentions(last, said):
            # 台账是啥意思 after a part's points: the point that says it, when one of the part
            # does; after that point itself, its surroundings.
            own = engine.answer(text)
            if own.matched and own.band == CONFIDENT and own.part == last.part and not _overlaps(own, last):
                return own
            meaning = _MEANING.fullmatch(m.group(0))
            again = _compact(last.question or "") == compact  # asked twice: more, the surroundings
            if (
                meaning
                and not again
                and last.kind in ("point", "passage")
                and said in last.answer
                and len(last.answer) <= WHERE_SHOWN
            ):
                return last  # 回头看是什么意思 after the point that says it: the speech says no more
            return _context(engine, last)
    return None


def _leftover(engine: Engine, text: str) -> str:
    """The words of a follow-up that name a topic, once the filler words are dropped: whole words,
    so 整改 keeps its 整 and a typo is read as the word it stands for (整该 -> 整改)."""
    return "".join(w for w in engine.words(text) if not _FILLER.fullmatch(w))


def _with_topic(engine: Engine, text: str, last: Answer) -> Answer:
    """A question asked after an answer: on its own when it is answered confidently, else with
    the last answer's topic words in front when that is answered confidently from the same part
    (学校能参加吗 after the answer about 安全生产月)."""
    own = engine.answer(text)
    compact = _compact(text)
    leaning = _LEANING.search(compact) is not None
    short = len(compact) <= SHORT_QUESTION or leaning
    if own.matched and own.band == CONFIDENT and (not short or own.kind != "passage"):
        return own  # structure answers (提纲, 第三部分) name what they want
    topic = _topic_of(engine, last)
    if not topic or own.missing:
        return own  # it asks for a detail the document does not give (整改的时限是多久): still so
    combined = engine.answer(f"{topic} {text}")
    if (
        combined.matched
        and combined.band == CONFIDENT
        and combined.confidence >= TOPIC_CONFIDENCE
        and combined.part == last.part
        and (not own.matched or own.band != CONFIDENT or short)
        and combined.key is not None
        and (own_words := engine.covers(text, combined.key)) >= OWN_WORDS  # its own words are in it too
        and _leans(engine, text, own, last, own_words, leaning)
    ):
        return combined
    return own


def _leans(engine: Engine, text: str, own: Answer, last: Answer, own_words: float, leaning: bool) -> bool:
    """Whether a short question answered surely on its own still leans on the last topic, given
    how much of its words the passage found with the topic holds (`own_words`). From the same
    part, unless its own answer holds them better (那日常怎么管 after 重点领域 is 强化日常监管; 企业能参加吗
    after 安全生产月 stays on that point); from another part, only with 那/也 or when the passage
    with the topic holds them better (隐患怎么查 after 举报奖励 is a new question, though 隐患 and
    举报 meet in the curated questions)."""
    if own.band != CONFIDENT or not own.key:
        return True
    own_cover = engine.covers(text, own.key)
    if own.part == last.part:
        return own_words >= own_cover
    return leaning or own_words > own_cover


# ---- navigation ------------------------------------------------------------------------------


def _doc_of(answer: Answer) -> int | None:
    """The document number in a passage key ("doc:part.paragraph.sentence")."""
    if not answer.key:
        return None
    head = answer.key.split(":", 1)[0]
    return int(head) if head.isdigit() else None


def _part_index_of(answer: Answer) -> int | None:
    """Which of the document's parts (in order, numbered or not) the answer sits in."""
    if not answer.key or ":" not in answer.key:
        return None
    head = answer.key.split(":", 1)[1].split(".", 1)[0]
    return int(head) if head.isdigit() else None


def _numbers(engine: Engine, doc: int) -> list[int]:
    return [part.number for part in engine.outline(doc)]


def _points_of(engine: Engine, answer: Answer) -> tuple[str, ...]:
    doc = _doc_of(answer) or 0
    for part in engine.outline(doc):
        if part.number == answer.part:
            return part.points
    return ()


def step(engine: Engine, last: Answer, forward: bool, unit: str = "") -> Answer | None:
    """The passage after (or before) `last`: the neighbouring part for unit "part", point for
    "point", and at `last`'s own level for "" (a point's neighbour is a point)."""
    if unit == "part" or (not unit and last.point is None):
        return _step_part(engine, last, forward)
    return _step_point(engine, last, forward)


def _step_part(engine: Engine, last: Answer, forward: bool) -> Answer | None:
    doc = _doc_of(last) or 0
    numbers = _numbers(engine, doc)
    if not numbers:
        return None
    if last.part in numbers:
        at = numbers.index(last.part) + (1 if forward else -1)
        if 0 <= at < len(numbers):
            return engine.part_answer(numbers[at], doc=doc)
        # Past the last part comes the closing, before the first the opening.
        return engine.edge("closing" if forward else "opening", doc=doc)
    if last.kind == "outline":  # the outline, then 下一部分: the first part
        return engine.part_answer(numbers[0 if forward else -1], doc=doc)
    # Before the first numbered part (the opening) or after the last (the closing).
    parts = engine.documents[doc].parts
    where = _part_index_of(last)
    if where is None or not 0 <= where < len(parts):
        return None
    if parts[where].kind == "intro":
        return engine.part_answer(numbers[0], doc=doc) if forward else None
    return None if forward else engine.part_answer(numbers[-1], doc=doc)


def _step_point(engine: Engine, last: Answer, forward: bool) -> Answer | None:
    doc = _doc_of(last) or 0
    if last.part is None:
        return _step_part(engine, last, forward)
    points = _points_of(engine, last)
    if not points:
        return _step_part(engine, last, forward)
    step = 1 if forward else -1
    target = (1 if forward else 0) if last.point is None else last.point + step
    if 1 <= target <= len(points):
        return engine.part_answer(last.part, target, doc=doc)
    # Past the part's last point (or before its first): the neighbouring part's first/last point.
    step = _step_part(engine, last, forward)
    if step is None or step.part is None:
        return step
    neighbour = _points_of(engine, step)
    if not neighbour:
        return step
    return engine.part_answer(step.part, 1 if forward else len(neighbour), doc=doc) or step


# ---- more detail, other points, why and how --------------------------------------------------


def _context(engine: Engine, last: Answer) -> Answer | None:
    """The surrounding text of the last answer: its paragraph, or the whole part for a part."""
    if last.kind in ("part", "points", "part_full") and last.part is not None:
        full = engine.part_full(last.part, doc=_doc_of(last))
        if full is not None:
            return replace(full, kind="context", point=last.point)
    view = engine.context(last.key) if last.key else None
    if view is None:
        return None
    # The last answer marked inside its paragraph: the whole point when it was one, else the sentence.
    at = view.text.find(last.answer) if last.answer else -1
    focus = (at, at + len(last.answer)) if at >= 0 else view.focus
    return Answer(
        "",
        True,
        "context",
        CONFIDENT,
        view.text,
        view.section,
        last.document,
        view.location,
        1.0,
        last.key,
        part=last.part,
        point=last.point,
        focus=focus if focus[1] > focus[0] else None,
    )


def _other_points(engine: Engine, last: Answer) -> Answer | None:
    """The other points of the last answer's part (all of them after a passage outside a point)."""
    points = _points_of(engine, last)
    if last.part is None or not points or (last.kind in ("points", "context") and last.point is None):
        return None  # after the list of a part's points, 还有呢 is the part in full
    others = [title for n, title in enumerate(points, 1) if n != last.point]
    if not others:
        return None
    whole = engine.part_answer(last.part, doc=_doc_of(last))
    if whole is None:
        return None
    return replace(whole, kind="points", answer="；".join(others) + "。", point=last.point, limit=0)


def _why(engine: Engine, last: Answer) -> Answer | None:
    """Why: a point gives its own purpose (…确保隐患早发现); else the passage's surroundings."""
    if last.point is not None and last.part is not None and last.kind not in ("points",):
        point = engine.part_answer(last.part, last.point, doc=_doc_of(last))
        if point is not None and point.answer != last.answer:  # not the point just shown, again
            return point
    return _context(engine, last)


def _how(engine: Engine, last: Answer) -> Answer | None:
    """How: a point is itself the how; after a part or its introduction, the part's points."""
    if last.point is not None and last.part is not None and last.kind != "points":
        return engine.part_answer(last.part, last.point, doc=_doc_of(last))
    if last.part is not None and _points_of(engine, last):
        whole = engine.part_answer(last.part, doc=_doc_of(last))
        if whole is not None:
            return replace(whole, kind="points")
    return _context(engine, last)


def _overlaps(one: Answer, other: Answer) -> bool:
    """True when two answers show (nearly) the same text: one's opening lies in the other."""
    return one.answer[:20] in other.answer or other.answer[:20] in one.answer


def _mentions(last: Answer, words: str) -> bool:
    """True when `words` (a question's leftover after why/how) appear in the last answer or its
    section heading, so the question is about the last topic."""
    if not words:
        return True
    text = _compact(((last.section or "") + (last.answer or "")).lower())
    return words in text or (len(words) >= 4 and all(words[i : i + 2] in text for i in range(len(words) - 1)))


def _topic_of(engine: Engine, last: Answer) -> str:
    """The words that name the last answer's topic: its point's title, else the question it
    answered, else its section heading."""
    if last.point is not None:
        points = _points_of(engine, last)
        if 1 <= last.point <= len(points):
            return point_prefix.sub("", points[last.point - 1])
    if last.question and last.kind == "passage":
        return last.question
    return _HEADING_NUMBER.sub("", last.section or "")


_HEADING_NUMBER = re.compile(rf"^[{CN_NUMERAL}]{{1,3}}、(?:要以)?")


def _others(engine: Engine, conversation: Conversation | None) -> list[Suggestion]:
    """After "不对": the passages closest to the last question other than the one shown."""
    last = conversation.current() if conversation is not None else None
    if last is None or not last.question:
        return []
    return [s for s in engine.closest(last.question) if s.key != last.key][:3]


def _clarify() -> Answer:
    return Answer("", False, "clarify", NO_BAND)

"""Recognise questions about the speech's structure rather than its content.

- outline:  "讲了哪几点" "主要内容是什么" "六个最是什么" -> the list of parts
- part:     "第三点讲什么" "第四部分的标题" "第五部分第二点" "3.1" -> that part (or point);
            "第四部分开头第一句" "第三部分最后一句" -> that part's first or last sentence
- list:     "隐患排查有哪些措施" "整改的四个要求" -> the points of the part the topic names
- opening / closing: "讲话开头说了什么" "结尾讲了啥" -> the opening or closing words
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.text import CJK, CN_NUMERAL, parse_number

_NUM = rf"[{CN_NUMERAL}\d]{{1,3}}"
_PART = re.compile(
    rf"(倒数)?第\s*({_NUM})\s*(?:个)?(?:大)?(?:点|部分|部份|条|方面|项|块|段|章|节|个问题)|第\s*({_NUM})(?:的)?(?:那)?(?:条|个)?意见"
)
# "5的第4点" / "三里面的第二条": a part by its bare number, then a point of it.
# "6部分里面的四是": a part by its number without 第 (not "六个部分", which counts them), then a point.
_PART_THEN_POINT = re.compile(
    rf"^({_NUM})\s*[、.．]?\s*(?:的|里的?|里面的?|中的?)\s*(?:第\s*({_NUM})\s*(?:小)?(?:点|条|项)|({_NUM})是)|"
    rf"^({_NUM})\s*(?:大)?(?:部分|块)\s*(?:的|里的?|里面的?|中的?)?\s*(?:第\s*({_NUM})\s*(?:小)?(?:点|条|项)|({_NUM})是)"
)
# "宣传那部分" / "隐患排查这一节": a part named by its topic rather than its number.
_PART_BY_TOPIC = re.compile(
    r"([^\s,，。?？]{2,12}?)(?:(?:那|这)(?:一)?(?:个)?(?:大)?(?:部分|节|块|段|章|方面)|部分(?=的?(?:最后|第|倒数)))"
)
# "讲话结尾那段": the speech's own stretch, named after the word for the speech
_OF_SPEECH = re.compile(r"^(?:讲话|发言|全文|这篇)(?:的)?")
# "讲话第六部分", "最后一部分", "六个部分": counted or placed, not named by a topic
_COUNTED_PART = re.compile(rf"第\s*(?:{_NUM}|几)|倒数|最后|^(?:{_NUM}|几)个?$")
# "隐患排查的第四点": a numbered point after words that name a part (resolved by the engine).
_TOPIC_BEFORE = re.compile(r"([^\s,，。?？的]{2,12}?)(?:的|里的?|里面的?|中的?|当中的?)?\s*$")
_LAST_POINT = re.compile(r"最后(?:一)?(?:个)?(?:小)?(?:点|条|项)")
# A point after its part: 第二点, 二是, 第二个(要求), and a bare 的二 ending the question.
_SUB_POINT = re.compile(
    rf"(倒数)?第\s*({_NUM})\s*(?:小点|点|条|项|是|个(?:小)?(?:点|条|项)|个(?:要求|措施|方面|任务|办法|举措)?(?![\u4e00-\u9fff]))|({_NUM})是|"
    rf"^(?:的|之)\s*([{CN_NUMERAL}\d])\s*$"
)
_OUTLINE = re.compile(
    r"提纲|大纲|框架|结构|目录|概要|概括|梗概|要点|主要内容|主要讲|[讲说](?:了|的)?(?:些)?(?:是)?(?:什么|啥)|关于(?:什么|啥)|"
    r"(?:每|各)(?:个)?(?:部分|块|大块|点|条)(?:的)?(?:小)?(?:标题|题目)|部分(?:的)?(?:小)?(?:标题|题目)|小标题|"
    # 几点 followed by a time word asks the hour (今晚几点开始), not for the points
    rf"(哪几|哪|(?<![这那])几|{_NUM})(个)?(大)?(点(?!钟|开|到|结束|出发|集合|见|半|前|后|上班|下班|走|来)|个方面|方面|部分|条|大块|块)|"
    # "想了解一下这篇讲话", "介绍下这篇讲话": the speech as a whole
    r"(?:介绍|了解|熟悉|说说|讲讲|分析)(?:一下|下)?(?:这篇|这个|整篇)(?:讲话|发言|文章)"
)
# Words that only frame a structure question; what is left names its topic.
FRAME_WORDS = frozenset(
    "点 部分 条 方面 项 块 段 章 节 意见 内容 标题 题目 主题 结构 提纲 大纲 框架 目录 概要 要点 主要 讲话 发言 讲 说 措施 办法 要求 做法 "
    "方式 方法 举措 任务 工作 方向 几 哪 个 种 分别 包括 列举 最 总共 一共 共 全部 所有 都 是 概括 梗概 简单 总结 分 分为 分成 包含 "
    "列 列出 列出来 列一下 逐条 一一 小标题 大概 大致 大体 整体 总体 整篇 整 全文 开头 开场 开篇 开始 一开始 刚开始 结尾 结束语 结束 语 收尾 末尾 最后 先 些 一句 句 每 每块 每部分 每个 每点 各 各部分 大块 了解 熟悉 介绍 分析 心得 体会 正文 那个 这个 那些 这些 来着 来 提出 提到 提了 讲到 说到 涉及 事 件 事情 事儿 几件 捋 捋一捋 梳理 过一遍 再 重点 "
    # tags and interjections around a request (服了 第六部分的几条 行不行)
    "行 不行 行吗 好吗 成不成 服 服了".split()
)


# The opening and closing named plainly; the looser words (一开始, 最后说) only without a topic.
_OPENING_NAMES = r"开头|开场|开篇"
_CLOSING_NAMES = (
    r"结尾|结束语|收尾|末尾|最后总结|总结(?:的)?(?:那|这)(?:段|块)|总结(?:的)?(?:那|这)?(?:一)?部分|最后(?:一|那)段|"
    r"(?<!经验)总结(?:里|中)|讲话(?:的)?最后(?![一那这个几]|部分)"
)
_OPENING = re.compile(rf"{_OPENING_NAMES}|一开始|刚开始|开始的时候")
_ENDING = re.compile(rf"{_CLOSING_NAMES}|最后说|最后讲|最后提|(?:怎么|如何|咋)(?:结束|收的|收场)|最后一句")
_STRETCH_WITH_TOPIC = re.compile(rf"({_OPENING_NAMES})|{_CLOSING_NAMES}")
# Tokens that count or place parts and points rather than name a topic: 四个, 哪几, 第, 第一段,
# 一部分, 倒数, 这块.
_NOT_TOPIC = re.compile(
    rf"(?:{_NUM}|几|哪几)[个种项点条大块段]?(?:方面|部分)?"  # a count: 四个, 几方面, 哪几, 几块
    rf"|(?:第|倒数)?(?:{_NUM})?(?:个|大|小)?(?:点|部分|条|方面|项|块|段|章|节|句)?|倒数|[这那]一?[块段节]"
)
# "3.1 说的啥", "5-3", "五之三": part and point written as a section number, leading the question.
_SECTION_NUM = rf"\d{{1,2}}|[{CN_NUMERAL}]"
_DOTTED = re.compile(
    rf"^({_SECTION_NUM})\s*(?:\.|-|—|之|、)\s*({_SECTION_NUM})(?![\d.%{CN_NUMERAL}个条项点])|"
    rf"^([{CN_NUMERAL}])点([{CN_NUMERAL}])(?:$|\s|讲|说|是|的|呢|内容)|"  # 三点二: not a time (三点半, 三点钟)
    rf"^({_SECTION_NUM})\s*[(（]\s*({_SECTION_NUM})\s*[)）]"  # 四(三), as official documents number
)
# "part 6 point 2" / "part3", as English words become Chinese ones: 部分6点2, 部分3.
# ("做幻灯片用部分1的标题": after other words too, not after a count, 三部分1).
_PART_WORD_FIRST = re.compile(
    rf"(?<![第{CN_NUMERAL}大小这那每各几])部分\s*(\d{{1,2}})(?:\s*点\s*(\d{{1,2}}))?(?!\d)"
)
# "二、的标题是啥", "三、讲的什么": a part by its number as the speech writes it, leading the question.
_ENUMERATED_PART = re.compile(rf"^([{CN_NUMERAL}]{{1,2}})\s*、\s*(?=\S)")
# The heading of a part asked for ("第五部分的标题全称", "part 1 的 title"), not its content.
ASKS_HEADING = re.compile(r"标题|题目")
# After a numbered part: its first or last sentence, not the speech's opening or closing.
_PART_FIRST = re.compile(r"开头|开篇|开场|第一句|头一句|一开始")
_PART_LAST = re.compile(r"最后(?:一|那|的)?句|结尾|收尾|末尾|最后总结|最后怎么说|最后说")
_LAST_PART = re.compile(r"最后(?:那|这)?(?:一)?(?:个)?(?:大)?(?:点|部分|条|方面)")
# the six 最 of the headings, also counted wrong ("三个最是哪几个": the answer shows there are six)
_THE_MOSTS = re.compile(rf"(?<!第)(?:几|{_NUM})个[“\"'‘「『]?最|哪些[“\"'‘「『]?最")


def _point_after(rest: str) -> int | None:
    """The point asked for after a part is named: 第二点 -> 2, 最后一点 -> -1."""
    if _LAST_POINT.search(rest):
        return -1
    sub = _SUB_POINT.search(rest)
    if sub is None or _SUB_POINT.search(rest, sub.end()):
        return None  # "一是二是三是四是分别是": all the points, which the part lists
    return _counted(sub.group(1), sub.group(2) or sub.group(3) or sub.group(4))


def _counted(backwards: str | None, number: str) -> int | None:
    """第三 -> 3; 倒数第二 -> -2 (negative: counted from the end, -1 the last)."""
    n = parse_number(number)
    return -n if n and backwards else n


def topic_words_of(words: list[str]) -> list[str]:
    """The words of a structure question that name its topic (not 哪几点, 四个, 标题 …)."""
    return [w for w in words if w not in FRAME_WORDS and not _NOT_TOPIC.fullmatch(w)]


@dataclass(frozen=True, slots=True)
class Intent:
    kind: str  # "outline" | "part" | "opening" | "closing"
    part: int | None = None  # negative from the end (-1 the last); None with `topic`: named by it
    point: int | None = None  # negative from the end (-1 the last)
    topic: str = ""  # the words naming a part ("宣传" in "宣传那部分最后一点")
    edge: str = ""  # "first" / "last": the part's first or last sentence ("第四部分开头第一句")


# Two things asked about at once: two parts or points by number ("第二部分和第五部分讲了什么"),
# or two topics with 分别 ("创新驱动和协同合作分别是什么").
_REF = rf"第\s*{_NUM}\s*(?:个)?(?:大)?(?:部分|点|条)(?:的?第\s*{_NUM}\s*(?:个)?(?:小)?(?:点|条))?"
_AND = r"(?:和|与|跟|及|以及|、)"
_AND_CHAR = re.compile(r"[和与跟及、]")
_TWO_REFS = re.compile(rf"^(.*?)({_REF}){_AND}({_REF})(.*)$")
_TWO_TOPICS = re.compile(
    rf"^(.*?)([^\s,，。?？和与跟及、]{{2,10}}){_AND}([^\s,，。?？和与跟及、]{{2,10}})(?:分别|各自|各是|各指)(.+)$"
)


def pair(text: str) -> tuple[str, str] | None:
    """The two questions in one that asks about two parts, points or topics at once, each
    with the words around them, or None. A second point after a part belongs to that part:
    "第四部分第三条和第五部分第三条" is two points, "第四部分和第三条" stays one question."""
    if not _AND_CHAR.search(text):  # most questions: no 和/与/跟/及/、 at all
        return None
    if text.count("第") >= 2 and (m := _TWO_REFS.match(text)):
        before, one, other, after = m.groups()
        if not (_PART.fullmatch(other) and "部分" not in other and "部分" in one):
            after = after.removeprefix("分别")
            return before + one + after, before + other + after
    if m := _TWO_TOPICS.match(text):
        before, one, other, after = m.groups()
        if _SUB_POINT.fullmatch(other) and (part := _PART.search(one)):
            other = one[: part.end()] + "的" + other  # "第六部分的一是和二是": both of part six
        return before + one + after, before + other + after
    return None


# A neighbour of something named in the same question ("强化日常监管前面一条是啥", "第三部分前面那部分
# 讲了啥", "隐患排查那部分讲完 后面接的是什么"): the step, at the end, after the words naming it. Without
# a unit (条, 部分) only when the base is a numbered reference or the step says what follows (接着):
# "整改后是什么" asks what comes after a rectification, not after a passage.
_STEP_UNIT = r"(?:小点|点|条|项|大部分|部分|大块|块|句话|句)"
_STEP = re.compile(
    rf"(?:的|那条|那点|这条|这点|那部分|这部分|那块|这块|那段|讲完了?|说完了?|之)?\s*"
    rf"(?:(?<![最然落背以往])(前面|后面|前边|后边|前头|后头|前|后|上|下)(?:面|边)?(?:的)?(?:(?:那|这)?(?:一|1)?(?:个)?({_STEP_UNIT}))?"
    rf"|(后面|后边|之后|接下来|然后)(?:(?:紧)?(?:接着?|跟着)(?:的)?|还有(?:东西|内容|别的|话)))"
    r"(?:是)?(?:讲|说|写)?(?:了|的)?(?:是)?(?:什么|啥|哪条|哪个|哪一?条|哪一?点|哪一?部分|哪块)?(?:内容)?(?:的)?"
    r"(?:呢|啊|呀|吗|嘞)?[?？!！。.]*$"
)
# The longest step phrase (…那部分讲完 后面紧接着的是讲什么的 is under 30 characters).
_STEP_REACH = 32
_NUMBERED_REF = re.compile(rf"第\s*{_NUM}\s*(?:个)?(?:大)?(?:部分|点|条|块)\s*$")


def relative(text: str) -> tuple[str, bool, str] | None:
    """The words naming a passage, whether the step is forward, and its unit ("point", "part",
    or "" for the named passage's own level) when the question asks for the passage before or
    after one it names; None otherwise."""
    m = _STEP.search(text, max(0, len(text) - _STEP_REACH))  # it ends the question
    if m is None or m.start() == 0:
        return None
    base = text[: m.start()].strip(" ,，、")
    if len(CJK.findall(base)) < 2:
        return None  # "那下一条呢": a follow-up on the last answer, not a question naming one
    direction, unit, follows = m.groups()
    if unit is None and follows is None and not _NUMBERED_REF.search(base):
        return None
    if follows is not None:
        forward, unit = True, ""
    else:
        forward = direction[0] in "后下"
    if not unit:
        kind = ""
    elif unit.startswith("句"):
        kind = "sentence"
    else:
        kind = "part" if unit in ("部分", "大部分", "块", "大块") else "point"
    return base, forward, kind


# "总结一下", "能帮我概括一下这篇讲话吗", "太长不看": a summary of the speech, which its outline is
# (the closing's 总之… paragraph says what it is for: the theme, see meta.py). Not "经验要不要总结一下".
_SUMMARY = re.compile(
    r"^(?:请|麻烦|帮我|给我|能不能|能|可以)?(?:帮我|给我)?(?:简单|简要)?(?:地)?(?:总结|概括|归纳)(?:一)?下"
    r"(?:这篇|这个|整篇)?(?:讲话|发言|全文|内容|要点)?(?:吗|呗|吧)?$|"
    r"(?:总结|概括|归纳)(?:一)?下(?:这篇|这个|整篇|讲话|发言|全文)|太长不看|tl;?dr|"
    # 我先看下结构, 整理成简报, 把全文压缩成一百字: the outline is what the bot can give (it only quotes)
    r"(?:看|了解|熟悉|理)(?:一)?下(?:讲话|整篇|全文|这篇)?(?:的)?(?:结构|框架|脉络)|"
    r"(?:整理|压缩|浓缩|缩写|精简|缩)成(?:一份|一篇|一段|个)?(?:简报|摘要|提要|纪要|要点|[一二三四五六七八九十百两几\d]+字)|"
    # "明天要给处长汇报这个讲话的要点", "开会要传达讲话精神": the whole speech's gist, wherever asked
    r"(?:这篇|这个|整篇|本次|此次)(?:讲话|发言)(?:的)?(?:要点|精神|主要内容|大意)(?:吧|呢|啊)?$|传达(?:一下)?(?:这个|这篇)?讲话精神|"
    # "老板叫我看下这个讲话": told to read it, the outline is where to start
    r"(?:叫|让|要)我(?:们)?(?:先)?(?:看|学习|了解|读|熟悉|研究)(?:一?下|看|一看)?(?:这个|这篇|这份)(?:讲话|发言|稿子)(?:哈|啊|呀)?$|"
    # the speech's own key points, not a topic's (讲话的重点 is not 隐患排查的重点)
    r"^(?:这篇|这个|整篇)?(?:讲话|发言|全文)(?:的|里|中)?(?:重点|干货|核心内容|要点|主要内容|大意|精神)(?=是|有|呢|在哪|[?？。]|$)|有(?:啥|什么|没有|多少)干货|"
    # 在背这篇讲话 帮我捋捋: the outline to learn it by
    r"(?:帮我|给我|帮忙)(?:捋|理|梳理)(?:捋|一捋|一下|下|理)?(?:这篇|这个|整篇)?(?:讲话|发言|思路)?(?:呗|吧|哈)?$"
)
# Formal numerals (第陆部分, 第叁点), as on cheques: read as the everyday ones after 第.
_FORMAL_DIGITS = str.maketrans("壹贰叁肆伍陆柒捌玖拾", "一二三四五六七八九十")
_FORMAL_NUMERAL = re.compile(r"(第\s*)([壹贰叁肆伍陆柒捌玖拾]+)")
# The parts' headings asked for all together ("六个部分标题都是啥"): the outline.
_HEADINGS = re.compile(
    r"(?<![第\d])(?:每|各|几|六|\d)个?(?:大)?部分的?(?:小)?(?:标题|题目)|部分(?:的)?(?:小)?标题(?:都|分别)"
)
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


def may_ask_outline(text: str) -> bool:
    """A cheap first look: whether the normalised text has the words of an outline question
    (`detect` decides, with the question's words)."""
    return bool(_OUTLINE.search(text) or _THE_MOSTS.search(text) or _SUMMARY.search(text))


def detect(text: str, topic_words: list[str]) -> Intent | None:
    """The structure intent of a normalised question, given its content words (or None)."""
    text = _CJK_GAP.sub("", text)  # "这个讲话 讲 什么": spaces between words typed one by one
    text = _FORMAL_NUMERAL.sub(lambda m: m.group(1) + m.group(2).translate(_FORMAL_DIGITS), text)
    topic = topic_words_of(topic_words)
    if _HEADINGS.search(text):
        return Intent("outline")
    numbered = _PART.search(text)
    if english := _PART_WORD_FIRST.search(text):
        point = english.group(2)
        return Intent("part", part=int(english.group(1)), point=int(point) if point else None)
    if dotted := _DOTTED.search(text):
        part = dotted.group(1) or dotted.group(3) or dotted.group(5)
        point = dotted.group(2) or dotted.group(4) or dotted.group(6)
        return Intent("part", part=parse_number(part), point=parse_number(point))
    # A part by number (第一段 is the opening, not a part): 开头/结尾 then belong to the part
    # ("第四部分开头第一句"), or to its point when one is named ("第四部分第四点最后一句").
    by_number = numbered is not None and not numbered.group(0).endswith("段")
    if by_number and _point_after(rest := text[numbered.end() :]) is None:
        edge = "first" if _PART_FIRST.search(rest) else "last" if _PART_LAST.search(rest) else ""
        if edge:
            part = _counted(numbered.group(1), numbered.group(2) or numbered.group(3))
            return Intent("part", part=part, edge=edge)
    if not topic and not by_number and _OPENING.search(text):
        return Intent("opening")
    if not topic and not by_number and _ENDING.search(text):
        return Intent("closing")
    named = _PART_BY_TOPIC.search(text)
    if named and (
        _STRETCH_WITH_TOPIC.fullmatch(_OF_SPEECH.sub("", named.group(1)))
        or _STRETCH_WITH_TOPIC.fullmatch(_OF_SPEECH.sub("", named.group(0)))
        or _COUNTED_PART.search(named.group(1))
    ):
        # "最后那一部分" counts, it names no topic; "最后总结那段", "总结那段" are the closing
        named = None
    # A part named by its topic, when the question is about that part (it leads the question, or
    # a point of it is asked for): "宣传那部分最后一点", not "销号管理是啥 整改那块的".
    point_named = named is not None and _point_after(text[named.end() :]) is not None
    leading = named is not None and not any(w in text[: named.start()] for w in topic)  # 想问下隐患排查这块…
    if named and (leading or point_named) and (numbered is None or named.start() < numbered.start()):
        rest = text[named.end() :]
        point = _point_after(rest)
        # "隐患排查那块最后说要达到啥效果": the part's last sentence, as after a part's number
        edge = (
            ""
            if point is not None
            else "first"
            if _PART_FIRST.search(rest)
            else "last"
            if _PART_LAST.search(rest)
            else ""
        )
        return Intent("part", point=point, topic=named.group(1), edge=edge)
    last = _LAST_PART.search(text)
    if last and not (numbered and numbered.start() < last.start()):
        return Intent("part", part=-1, point=_point_after(text[last.end() :]))
    if then := _PART_THEN_POINT.search(text):
        part = then.group(1) or then.group(4)
        point = then.group(2) or then.group(3) or then.group(5) or then.group(6)
        return Intent("part", part=parse_number(part), point=parse_number(point))
    if (
        numbered
        and numbered.group(0).endswith(("点", "条", "项"))
        and (before := _TOPIC_BEFORE.search(prefix := text[: numbered.start()].rstrip(" ,，、:：")))
    ):
        # "隐患排查的第四点"; "隐患排查整治的四项措施中,第一项": the topic may stand before a count
        named_by = before.group(1) if any(w in before.group(1) for w in topic) else prefix
        if any(w in named_by for w in topic) and len(named_by) <= 24:
            point = _counted(numbered.group(1), numbered.group(2) or numbered.group(3))
            return Intent("part", point=point, topic=named_by)
    if numbered:
        part = _counted(numbered.group(1), numbered.group(2) or numbered.group(3))
        return Intent("part", part=part, point=_point_after(text[numbered.end() :]))
    if enumerated := _ENUMERATED_PART.match(text):
        return Intent(
            "part", part=parse_number(enumerated.group(1)), point=_point_after(text[enumerated.end() :])
        )
    if _THE_MOSTS.search(text):
        # The six 最 are the parts' headings; the closing names them in one sentence (以最坚定的
        # 政治觉悟、最严格的制度保障…), which is what a question about them wants (总结里那几个最).
        return Intent("outline" if re.search(r"标题|题目|部分", text) else "closing")
    # What the opening or closing says about a topic ("开头对督查工作提了哪几点要求"), named plainly.
    if edge := _STRETCH_WITH_TOPIC.search(text):
        return Intent("opening" if edge.group(1) else "closing", topic=" ".join(topic))
    if (_OUTLINE.search(text) and not topic) or _SUMMARY.search(text):
        return Intent("outline")
    return None

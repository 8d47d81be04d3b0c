"""Text helpers shared by the parser and the matcher: normalisation and sentence splitting.

Normalisation is for matching only; passages are always shown as written.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from functools import cached_property
from importlib import resources

import opencc

from bot.core import files

# Sentence ends. A closing quote right after one belongs to the same sentence.
_SENTENCE_END = "。！？!?；;"
_OPEN_QUOTES = "“‘「『《"
_CLOSE_QUOTES = "”’」』》"
_SPACE_RUN = re.compile(r"\s+")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def strip_controls(text: str) -> str:
    """Replace control and format characters (and lone surrogates) with spaces."""
    if text.isprintable():
        return text
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") else ch for ch in text)


def split_sentences(text: str) -> list[str]:
    """Split a paragraph after 。！？； without cutting inside quotation marks.

    >>> split_sentences("他说:“要做好。不拖延。”然后走了。好")
    ['他说:“要做好。不拖延。”然后走了。', '好']
    """
    sentences: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _OPEN_QUOTES:
            depth += 1
        elif ch in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
        elif ch in _SENTENCE_END and depth == 0:
            end = i + 1
            while end < len(text) and text[end] in _CLOSE_QUOTES:
                end += 1
            sentences.append(text[start:end])
            start = i = end
            continue
        i += 1
    if text[start:].strip():
        sentences.append(text[start:])
    return [s.strip() for s in sentences if s.strip()]


def shorten(text: str, limit: int) -> str:
    """`text` cut to about `limit` characters at a clause end where one is near, with "…".

    >>> shorten("一是突出重点领域。针对建筑施工", 12)
    '一是突出重点领域。…'
    """
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(ch) for ch in "。；;，,、")
    return (cut[: end + 1] if end > limit // 2 else cut) + "…"


class Normalizer:
    """Folds text for matching: width, case, controls, Traditional to Simplified.

    Owns one OpenCC converter; build one per process and share it.
    """

    @cached_property
    def _t2s(self) -> opencc.OpenCC:
        return opencc.OpenCC("t2s")

    def __call__(self, text: str) -> str:
        return self._fold(text)

    @functools.lru_cache(maxsize=8)  # noqa: B019 - one per process; a question is folded by dialogue and matcher
    def _fold(self, text: str) -> str:
        if "<" in text or "&" in text:  # pasted markup: match the words, not the tags
            text = html.unescape(_HTML_TAG.sub(" ", text))
        text = unicodedata.normalize("NFKC", strip_controls(text)).lower()
        if CJK.search(text):
            cantonese = _cantonese()
            written_in_cantonese = cantonese.markers.search(text) is not None
            text = self._t2s.convert(text)
            if written_in_cantonese:
                text = cantonese.to_mandarin(text)
            text = _PART_TYPO.sub("部分", text).replace("甚么", "什么")  # 甚麼, as Taiwan writes 什么
            text = _ORDINAL_TYPO.sub("第", text)
        return _SPACE_RUN.sub(" ", text).strip()


# 部分 as pinyin input mistypes it (第几步分, 第三布分) or as Taiwan writes it (部份).
_PART_TYPO = re.compile(r"(?<=[第几一二三四五六七八九十\d个])(?:步分|布分|部份)")
# 第 as pinyin input mistypes it before a count (第六部分低二点, 递三条): di, read back as 第.
_ORDINAL_TYPO = re.compile(
    r"(?<![\u4e00-\u9fff])(?:低|弟|递|底)(?=[一二三四五六七八九十\d](?:部分|点|条|项))|(?<=部分)(?:低|弟|递|底)(?=[一二三四五六七八九十\d](?:点|条|项))"
)


class _Cantonese:
    """bot/core/data/cantonese.yaml: written Cantonese words read as their Mandarin ones."""

    def __init__(self, data: dict) -> None:
        self.markers = re.compile(data["markers"])
        words = dict(sorted(data["words"].items(), key=lambda kv: len(kv[0]), reverse=True))
        self._words = words
        self._pattern = re.compile("|".join(map(re.escape, words)))
        keep = "|".join(map(re.escape, data["keep_xi"].split()))
        self._xi = re.compile(rf"({keep})|系")

    def to_mandarin(self, text: str) -> str:
        text = self._pattern.sub(lambda m: self._words[m.group(0)], text)
        return self._xi.sub(lambda m: m.group(1) or "是", text)


@functools.cache
def _cantonese() -> _Cantonese:
    text = resources.files("bot.core").joinpath("data/cantonese.yaml").read_text("utf-8")
    return _Cantonese(files.parse_yaml(text))


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_NUMERAL = "零〇一二两三四五六七八九十"
# The "一是" / "二是" that opens an enumerated point.
point_prefix = re.compile(f"^[{CN_NUMERAL}]{{1,3}}是")


def parse_number(token: str) -> int | None:
    """Read a small Arabic or Chinese numeral (1-99): "3", "三", "十二", "二十一"."""
    token = token.strip()
    if token.isdigit():
        return int(token)
    if not token or any(ch not in _CN_DIGITS and ch != "十" for ch in token):
        return None
    if "十" not in token:
        return _CN_DIGITS[token] if len(token) == 1 else None
    tens, _, ones = token.partition("十")
    value = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return value or None


def cn_numeral(n: int) -> str:
    """1 -> 一, 12 -> 十二 (for labels such as 第三部分)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")

"""Parse knowledge files into documents: parts, paragraphs, enumerated points, sentences.

A document is a plain-text speech (headings ``一、…``, points ``一是…二是…``) or a Markdown file
(``# title``, ``## heading``). Scraped page junk (ads, "上一篇/下一篇" links) is dropped here,
so nothing downstream can index or show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.errors import KnowledgeError
from bot.core.files import read_text
from bot.core.text import CN_NUMERAL, cn_numeral, parse_number, split_sentences

KNOWLEDGE_SUFFIXES = (".txt", ".md")
# Files in a knowledge folder that are data about the documents, not documents.
DATA_FILES = frozenset({"userdict.txt", "README.md", "readme.md"})

# Everything from a line like this on is the page around the speech, not the speech.
_PAGE_END = re.compile(r"预览阅读已结束|阅读全文请|全文阅读请|查看全文请")
# Single junk lines wherever they stand: ads and navigation links.
_JUNK_LINE = re.compile(
    r"联系老师|点击.{0,20}联系|^[-*•·\s]*(上一篇|下一篇|返回目录|返回首页)\s*[:：]?|👉|👈"
)
_HEADING = re.compile(rf"^([{CN_NUMERAL}]{{1,3}})、\s*(\S.{{1,60}})$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_POINT = re.compile(rf"^([{CN_NUMERAL}]{{1,3}})是")
# A closing paragraph after the last numbered part opens with one of these (同志们, 让我们 turn
# from the last point back to the audience); one that a numbered part follows was not the closing.
_CLOSING = re.compile(r"^(总之|综上|总而言之|最后|谢谢|同志们|让我们)")
_SUMMARY = re.compile(r"^(通过这些|通过以上|总之|以上)")


@dataclass(frozen=True, slots=True)
class Point:
    """One enumerated point of a part: ``二是强化日常监管。建立健全巡查制度…``."""

    number: int
    sentences: tuple[str, ...]
    paragraph: int = 0  # which of its part's paragraphs holds it
    first: int = 0  # the position of its first sentence in that paragraph

    @property
    def text(self) -> str:
        return "".join(self.sentences)

    @property
    def title(self) -> str:
        """The point's own words: its first sentence, or its first clause when that is long."""
        first = self.sentences[0]
        if len(first) <= 24:
            return first.rstrip("。；;")
        clause = re.split(r"[,，;；:：]", first, maxsplit=1)[0]
        return clause.rstrip("。")


@dataclass(slots=True)
class Part:
    """A stretch of the document under one heading (or before the first, or the closing)."""

    kind: str  # "intro" | "part" | "closing"
    number: int | None = None
    heading: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    sentences: list[list[str]] = field(default_factory=list)  # each paragraph's sentences
    points: list[Point] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    title: str
    source: str
    parts: list[Part]

    @property
    def numbered_parts(self) -> list[Part]:
        return [p for p in self.parts if p.kind == "part"]

    @property
    def is_speech(self) -> bool:
        """True when the document has numbered parts (一、二、…) like the speech."""
        return any(p.number is not None for p in self.parts)

    def part(self, number: int) -> Part | None:
        return next((p for p in self.numbered_parts if p.number == number), None)

    def label(self, part: Part) -> str:
        """Where a part sits, for a user: 第三部分, 开场白, 结束语, or the heading / 正文."""
        if part.kind == "part" and part.number is not None:
            return f"第{cn_numeral(part.number)}部分"
        if part.kind == "part":
            return part.heading or "正文"
        if part.kind == "closing":
            return "结束语"
        return "开场白" if self.is_speech else "正文"


_QUOTED_TERM = re.compile(r"[“「《]([\u4e00-\u9fff]{3,8})[”」》]")


def quoted_terms(documents: list[Document]) -> list[str]:
    """Short terms the documents set in quotation marks (“安全生产月”, 《…》): names of things,
    to be kept whole by the tokenizer."""
    found: dict[str, None] = {}
    for document in documents:
        for part in document.parts:
            for paragraph in part.paragraphs:
                for m in _QUOTED_TERM.finditer(paragraph):
                    found[m.group(1)] = None
    return list(found)


def clean_lines(text: str) -> list[str]:
    """The document's lines without page junk; stops at the page's "preview ended" marker."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip().lstrip("\ufeff")
        if _PAGE_END.search(line):
            break
        if line and not _JUNK_LINE.search(line):
            lines.append(line)
    return lines


def find_points(sentences: list[str], *, paragraph: int = 0) -> list[Point]:
    """Group a paragraph's sentences into its ``一是…`` points (each knowing where it starts).

    >>> [(p.number, p.first, len(p.sentences)) for p in find_points(["为此:", "一是甲。", "乙。", "二是丙。"])]
    [(1, 1, 2), (2, 3, 1)]
    """
    points: list[Point] = []
    start: int | None = None
    number = 0

    def close(end: int) -> None:
        points.append(Point(number, tuple(sentences[start:end]), paragraph, start))

    for i, sentence in enumerate(sentences):
        m = _POINT.match(sentence)
        if m and parse_number(m.group(1)) == number + 1:
            if start is not None:
                close(i)
            number += 1
            start = i
        elif start is not None and _SUMMARY.match(sentence):
            close(i)
            start = None
    if start is not None:
        close(len(sentences))
    return points


def parse_document(text: str, *, source: str = "", title: str | None = None) -> Document:
    """Parse one knowledge file's text into a Document.

    Raises KnowledgeError when nothing readable is left once junk is dropped.
    """
    lines = clean_lines(text)
    if lines and (m := _MD_HEADING.match(lines[0])) and len(m.group(1)) == 1:
        title = title or m.group(2)
        lines = lines[1:]
    if not lines:
        raise KnowledgeError(f"{source or 'document'}: no text left after dropping page junk")

    parts: list[Part] = [Part("intro")]
    for line in lines:
        heading = _heading(line)
        if heading is not None:
            parts.append(Part("part", number=heading[0], heading=heading[1]))
        elif _CLOSING.match(line) and parts[-1].number is not None:
            parts.append(Part("closing", paragraphs=[line]))
        else:
            parts[-1].paragraphs.append(line)
    for k in range(len(parts) - 1, 0, -1):
        if parts[k].kind == "closing" and any(p.number is not None for p in parts[k + 1 :]):
            parts[k - 1].paragraphs.extend(parts.pop(k).paragraphs)
    parts = [p for p in parts if p.paragraphs or p.heading]
    for part in parts:  # sentences are split here, once; the index reuses them
        for g, paragraph in enumerate(part.paragraphs):
            sentences = split_sentences(paragraph)
            part.sentences.append(sentences)
            part.points.extend(find_points(sentences, paragraph=g))
    return Document(title=title or Path(source).stem or "文档", source=source, parts=parts)


def _heading(line: str) -> tuple[int | None, str] | None:
    """(number, heading text as written) when the line is a heading."""
    if m := _MD_HEADING.match(line):
        inner = m.group(2)
        num = _HEADING.match(inner)
        return (parse_number(num.group(1)) if num else None), inner
    if (m := _HEADING.match(line)) and not line.endswith(("。", "!", "！", "?", "？")):
        return parse_number(m.group(1)), line
    return None


def load_documents(path: Path, titles: dict[str, str] | None = None) -> list[Document]:
    """Every .txt/.md document at `path` (a file, or a folder read in name order)."""
    titles = titles or {}
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix in KNOWLEDGE_SUFFIXES and p.name not in DATA_FILES and (p.is_file() or p.is_symlink())
        )
    elif path.is_file():
        files = [path]
    else:
        raise KnowledgeError(f"knowledge path not found: {path}")
    if not files:
        raise KnowledgeError(f"no .txt or .md documents in {path}")
    docs = []
    for file in files:
        text = read_text(file)
        docs.extend(split_documents(text, file.name, titles.get(file.name)))
    return docs


def split_documents(text: str, name: str, title: str | None = None) -> list[Document]:
    """A Markdown file with several top-level ``# title`` lines holds several documents."""
    if not name.endswith(".md"):
        return [parse_document(text, source=name, title=title)]
    chunks = re.split(r"(?m)^(?=# )", text)
    chunks = [c for c in chunks if c.strip()]
    return [parse_document(c, source=name, title=title if len(chunks) == 1 else None) for c in chunks]

"""The curated QA file (``knowledge/qa.yaml``): document titles and questions pointing at passages.

documents:
  speech.txt: 在……会议上的讲话        # title shown with answers
pairs:
  - passage: 热烈的欢迎和衷心的感谢    # a quote from the document: the passage holding it answers
    questions: [开头向督查组表达了什么, 讲话一开始说了什么]
    document: speech.txt              # optional, when several documents hold the quote
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.core import files
from bot.core.errors import KnowledgeError
from bot.core.yamlfile import read_mapping

QA_FILE = "qa.yaml"


@dataclass(frozen=True, slots=True)
class CuratedPair:
    passage: str
    questions: tuple[str, ...]
    document: str | None = None
    line: int = 0  # position in the file, for error messages


@dataclass(frozen=True, slots=True)
class Curated:
    titles: dict[str, str]
    pairs: tuple[CuratedPair, ...]


def load_curated(folder: Path) -> Curated:
    path = folder / QA_FILE
    if not files.present(path):  # a broken link is not absent: read_mapping reports it
        return Curated({}, ())
    data = read_mapping(path, "the keys 'documents' and 'pairs'")
    titles = data.get("documents") or {}
    if not isinstance(titles, dict):
        raise KnowledgeError(f"{path}: 'documents' maps file names to titles")
    pairs = []
    for n, entry in enumerate(data.get("pairs") or [], 1):
        if not isinstance(entry, dict) or not entry.get("passage") or not entry.get("questions"):
            raise KnowledgeError(f"{path}: pair {n} needs 'passage' and a list of 'questions'")
        questions = entry["questions"]
        if isinstance(questions, str):
            questions = [questions]
        pairs.append(
            CuratedPair(
                passage=str(entry["passage"]),
                questions=tuple(str(q) for q in questions),
                document=entry.get("document"),
                line=n,
            )
        )
    return Curated({str(k): str(v) for k, v in titles.items()}, tuple(pairs))

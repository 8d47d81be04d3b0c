"""The Wikipedia reading-comprehension sets in ../shared/bench (SQuAD format), as articles.

Each article becomes one knowledge document (`# title`, then its paragraphs), the real use of
the bot: one document in `knowledge/`, nothing curated.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

# The workplace's shared/ folder stands beside the repository (SPEECH_BOT_BENCH to point elsewhere).
BENCH = Path(
    os.environ.get("SPEECH_BOT_BENCH") or Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
)
SETS = {
    "drcd-dev": BENCH / "DRCD_dev.json",
    "drcd-test": BENCH / "DRCD_test.json",
    "cmrc-trial": BENCH / "cmrc2018_trial.json",
}


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    paragraphs: tuple[str, ...]
    questions: tuple[tuple[str, tuple[str, ...]], ...]  # (question, gold answer strings)

    def markdown(self) -> str:
        return f"# {self.title}\n\n" + "\n\n".join(self.paragraphs) + "\n"


def articles(name: str) -> list[Article]:
    data = json.loads(SETS[name].read_text("utf-8"))
    out = []
    for n, article in enumerate(data["data"]):
        paragraphs = tuple(p["context"].replace("\n", " ").strip() for p in article["paragraphs"])
        questions = tuple(
            (qa["question"].replace("\n", " ").strip(), tuple(a["text"] for a in qa["answers"]))
            for p in article["paragraphs"]
            for qa in p["qas"]
        )
        title = article.get("title") or paragraphs[0][:12]
        out.append(Article(str(article.get("id", n)), title, paragraphs, questions))
    return out


def holds_gold(reply: dict, gold: tuple[str, ...], *, max_chars: int = 600) -> bool:
    """The benchmark's rule: matched, at most 600 characters, holding a gold answer string."""
    answer = reply.get("answer") or ""
    if not reply.get("matched") or len(answer) > max_chars:
        return False
    text = ((reply.get("section") or "") + "\n" + answer).replace(" ", "")
    return any(g.replace(" ", "") in text for g in gold)

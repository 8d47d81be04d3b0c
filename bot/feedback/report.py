"""The curator's report: declined questions grouped, disliked answers, matches per part."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.core.engine import Engine
from bot.core.index import bare
from bot.core.text import Normalizer
from bot.feedback.store import FeedbackStore, Totals

GROUP_SIMILARITY = 75  # rapidfuzz ratio (0..100) from which two declined questions are one group


@dataclass(slots=True)
class Group:
    sample: str
    questions: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.questions)


@dataclass(slots=True)
class Report:
    days: int
    totals: Totals
    declined: list[Group]
    disliked: list[tuple[str, str, int, int, list[str]]]  # passage id, label, 👎, 👍, questions
    per_part: list[tuple[str, int]]  # part label, matched questions


def group_similar(questions: list[str], normalize: Normalizer | None = None) -> list[Group]:
    """Group near-duplicate questions (typos, punctuation, word order); most frequent first."""
    normalize = normalize or Normalizer()
    groups: list[Group] = []
    keys: list[str] = []
    for question in questions:
        key = bare(normalize(question))
        best = (
            process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=GROUP_SIMILARITY) if key else None
        )
        if best is None:
            best = (
                process.extractOne(key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=GROUP_SIMILARITY)
                if key
                else None
            )
        if best is None:
            groups.append(Group(question, [question]))
            keys.append(key)
        else:
            groups[best[2]].questions.append(question)
    for group in groups:  # the most common wording represents the group (the earliest on a tie)
        group.sample = max(group.questions, key=group.questions.count)
    groups.sort(key=lambda g: g.count, reverse=True)
    return groups


def build_report(store: FeedbackStore, engine: Engine | None, days: int) -> Report:
    labels: dict[str, int] = {}
    for passage_id, count in store.matched_passages(days):
        label = part_label(engine, passage_id)
        labels[label] = labels.get(label, 0) + count
    disliked = [
        (pid, part_label(engine, pid, point=True), down, up, questions)
        for pid, down, up, questions in store.voted_answers(days)
    ]
    return Report(
        days=days,
        totals=store.totals(days),
        declined=group_similar(store.declined_questions(days)),
        disliked=disliked,
        per_part=sorted(labels.items(), key=lambda kv: kv[1], reverse=True),
    )


def part_label(engine: Engine | None, passage_id: str | None, *, point: bool = False) -> str:
    """Where a passage sits ("第三部分", or with `point` "第三部分 · 第一点"), from the current
    knowledge; the id if it is gone."""
    if engine is None or not passage_id:
        return passage_id or "全文提纲"
    location = engine.locate(passage_id)
    if location is None:
        return f"{passage_id} (no longer in the knowledge)"
    return location if point else location.split(" · ")[0]

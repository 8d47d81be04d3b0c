"""Score the engine on a question file in the format of the shared development set.

Each line: {"id", "cat", "q", "gold": [...]} (one phrase must appear in the reply),
or "gold_all" (every phrase must), or "reject": true (the reply must be a decline).
A reply is its section heading plus its passage; passages over 600 characters fail.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.engine import Answer, Engine
from bot.core.errors import SpeechBotError

MAX_ANSWER = 600


@dataclass(slots=True)
class Report:
    by_category: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    failures: list[tuple[dict, Answer]] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(ok for oks in self.by_category.values() for ok in oks)

    @property
    def total(self) -> int:
        return sum(len(oks) for oks in self.by_category.values())

    @property
    def median_chars(self) -> float | None:
        return statistics.median(self.lengths) if self.lengths else None


def _read_jsonl(path: Path, valid, needs: str) -> list[dict]:
    """The objects of a JSON Lines file; a line that is not JSON, or not `valid`, is an error
    naming the file and line."""
    items = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SpeechBotError(f"{path}:{n}: not JSON: {exc.msg}") from None
        if not isinstance(item, dict) or not valid(item):
            raise SpeechBotError(f"{path}:{n}: needs {needs}")
        items.append(item)
    return items


def load_items(path: Path) -> list[dict]:
    return _read_jsonl(path, lambda item: "q" in item, "a 'q' field")


def judge(item: dict, answer: Answer) -> bool:
    if item.get("reject"):
        return not answer.matched
    if not answer.matched or len(answer.answer) > MAX_ANSWER:
        return False
    text = ((answer.section or "") + "\n" + answer.answer).replace(" ", "")
    if "gold_all" in item:
        return all(g in text for g in item["gold_all"])
    return any(g in text for g in item.get("gold", []))


def evaluate(engine: Engine, items: list[dict]) -> Report:
    report = Report()
    for item in items:
        answer = engine.answer(item["q"])
        ok = judge(item, answer)
        report.by_category[item.get("cat", "-")].append(ok)
        if not ok:
            report.failures.append((item, answer))
        if answer.matched and not item.get("reject"):
            report.lengths.append(len(answer.answer))
    return report


# ---- conversations ---------------------------------------------------------------------------

# Turn types whose score is the dialogue's goal (the others are plain questions or declines).
DIALOGUE_TYPES = ("follow", "smalltalk", "clarify")


@dataclass(slots=True)
class ConversationReport:
    by_type: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    failures: list[tuple[str, list[str], dict, Answer]] = field(default_factory=list)  # id, before, turn

    def accuracy(self, types: tuple[str, ...] = DIALOGUE_TYPES) -> float:
        oks = [ok for t in types for ok in self.by_type.get(t, [])]
        return sum(oks) / len(oks) if oks else 0.0


def load_conversations(path: Path) -> list[dict]:
    """Lines of {"id", "turns": [{"q", "type", "expect"}]}: one conversation a line."""
    return _read_jsonl(
        path,
        lambda item: isinstance(item.get("turns"), list) and all("q" in t for t in item["turns"]),
        "'turns', each with a 'q' field",
    )


def judge_turn(expect: dict, answer: Answer) -> bool:
    """A turn's expectation: {"kind": …}, {"reject": true}, or gold phrases as in `judge`."""
    if "kind" in expect:
        return answer.kind == expect["kind"]
    return judge(expect, answer)


def evaluate_conversations(engine: Engine, conversations: list[dict]) -> ConversationReport:
    from bot.core.conversation import Conversation

    report = ConversationReport()
    for item in conversations:
        conversation = Conversation()
        before: list[str] = []
        for turn in item["turns"]:
            answer = engine.answer(turn["q"], conversation=conversation)
            ok = judge_turn(turn.get("expect", {}), answer)
            report.by_type[turn.get("type", "-")].append(ok)
            if not ok:
                report.failures.append((item.get("id", "?"), list(before), turn, answer))
            before.append(turn["q"])
    return report

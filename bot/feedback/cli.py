"""`speech-bot report` and `speech-bot suggest`: the curator's view of the feedback database."""

from __future__ import annotations

import csv
import sys
import unicodedata

from bot.config import Settings
from bot.core.engine import Engine
from bot.core.errors import SpeechBotError
from bot.feedback.report import Report, build_report
from bot.feedback.store import FeedbackReader

SUGGEST_GROUPS = 10
SHOWN = 160  # display columns of a question in the report (a CJK character is two)


def _store(settings: Settings) -> FeedbackReader:
    """The database read-only: the curator's tools never write, migrate or prune it."""
    return FeedbackReader(settings.database_path)


def _engine(settings: Settings) -> Engine | None:
    try:
        return settings.load_engine()
    except SpeechBotError:
        return None  # the report still works, with passage ids instead of part names


def report_command(settings: Settings, *, since_days: int, as_csv: bool) -> int:
    store = _store(settings)
    try:
        report = build_report(store, _engine(settings), since_days)
    finally:
        store.close()
    if as_csv:
        write_csv(report)
    else:
        print(format_table(report))
    return 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _cut(text: str, width: int) -> str:
    """One line (line breaks become spaces) of at most `width` display columns."""
    out, used = "", 0
    for ch in " ".join(text.split()):
        used += _width(ch)
        if used > width - 1:
            return out + "…"
        out += ch
    return out


def format_table(report: Report) -> str:
    t = report.totals
    lines = [
        f"speech-bot report: the last {report.days} days",
        f"questions {t.questions}   answered {t.matched}   declined {t.declined}   👍 {t.up}   👎 {t.down}   askers {t.askers}",
        "",
        "Declined questions, grouped (most frequent first)",
        f"  {'count':>5}  question",
    ]
    for group in report.declined[:30]:
        lines.append(f"  {group.count:>5}  {_cut(group.sample, SHOWN)}")
        others = sorted(set(group.questions) - {group.sample})
        if others:
            lines.append(f"  {'':>5}  also asked as: {_cut(' | '.join(others), SHOWN)}")
    if not report.declined:
        lines.append("  (none)")
    lines += ["", "Answers with the most 👎", f"  {'👎':>3} {'👍':>3}  passage"]
    for _pid, label, down, up, questions in report.disliked[:20]:
        lines.append(f"  {down:>3} {up:>3}  {label}")
        lines.append(f"  {'':>7}  asked as: {_cut(' | '.join(questions), SHOWN)}")
    if not report.disliked:
        lines.append("  (none)")
    lines += ["", "Matched questions per part"]
    for label, count in report.per_part:
        lines.append(f"  {_pad(label, 32)}  {count:>5}")
    if not report.per_part:
        lines.append("  (none)")
    return "\n".join(lines)


def write_csv(report: Report) -> None:
    out = csv.writer(sys.stdout)
    out.writerow(["section", "count", "text", "detail"])
    t = report.totals
    for name in ("questions", "matched", "declined", "up", "down", "askers"):
        out.writerow(["total", getattr(t, name), name, ""])
    for group in report.declined:
        out.writerow(
            ["declined", group.count, group.sample, " | ".join(sorted(set(group.questions) - {group.sample}))]
        )
    for pid, label, down, up, questions in report.disliked:
        out.writerow(["disliked", down, label, f"passage {pid}; 👍 {up}; asked as: {' | '.join(questions)}"])
    for label, count in report.per_part:
        out.writerow(["matched_part", count, label, ""])


def suggest_command(settings: Settings, engine: Engine, *, since_days: int) -> int:
    """For each frequent declined group, the closest passages as a qa.yaml snippet to edit."""
    store = _store(settings)
    try:
        report = build_report(store, engine, since_days)
    finally:
        store.close()
    groups = report.declined[:SUGGEST_GROUPS]
    if not groups:
        print("# No declined questions in this period: nothing to suggest.")
        return 0
    print("# Paste under `pairs:` in knowledge/qa.yaml, keep the right passage, delete the rest.")
    for group in groups:
        hits = engine.ranked(group.sample, limit=3)
        print(f"\n  # asked {group.count}×: {group.sample}")
        if not hits:
            print("  # (no passage shares a word with it: probably not in the speech)")
            continue
        for n, hit in enumerate(hits[:2]):
            quote = hit.answer[:24].replace('"', "'")
            prefix = "" if n == 0 else "# "
            where = f"{hit.location}, confidence {hit.confidence:.2f}"
            print(f'  {prefix}- passage: "{quote}"   # {where}')
            asked = ", ".join(sorted(set(group.questions))[:5])
            print(f"  {prefix}  questions: [{asked}]")
    return 0

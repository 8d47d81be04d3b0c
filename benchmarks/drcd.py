"""DRCD: does the engine find answers in text nobody tuned it for?

Every DRCD article becomes one Markdown knowledge document (`# title`, then its paragraphs),
all 383 are indexed together, and every question is asked through the real command line,
`speech-bot ask --json --knowledge DIR`. A reply counts when its passage holds the gold answer.

    python benchmarks/drcd.py [--data ../shared/bench/DRCD_dev.json] [--baselines]

Prints the hit rate and median passage length, at threshold 0 (always answer, as the
retrieval baselines do) and at the default threshold (declines count as misses), and with
--baselines the rank_bm25 anchors measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "bench" / "DRCD_dev.json"


def write_documents(data: dict, folder: Path) -> list[tuple[str, list[str]]]:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.md"):
        old.unlink()
    questions = []
    for article in data["data"]:
        paragraphs = [p["context"].replace("\n", " ") for p in article["paragraphs"]]
        (folder / f"{article['id']}.md").write_text(
            f"# {article['title']}\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8"
        )
        for p in article["paragraphs"]:
            for qa in p["qas"]:
                questions.append((qa["question"].replace("\n", " "), [a["text"] for a in qa["answers"]]))
    return questions


def ask_all(folder: Path, questions: list[tuple[str, list[str]]], threshold: str | None) -> dict:
    cmd = [sys.executable, "-m", "bot", "ask", "--json", "--knowledge", str(folder)]
    if threshold is not None:
        cmd += ["--threshold", threshold]
    started = time.perf_counter()
    run = subprocess.run(
        cmd, input="".join(q + "\n" for q, _ in questions), capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - started
    replies = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(replies) == len(questions), (len(replies), len(questions))
    hits = sum(
        1
        for (_, gold), r in zip(questions, replies, strict=True)
        if r["matched"] and any(g in r["answer"] for g in gold)
    )
    lengths = [len(r["answer"]) for r in replies if r["matched"]]
    return {
        "hit_rate": round(hits / len(questions), 4),
        "declined": sum(1 for r in replies if not r["matched"]),
        "median_chars": statistics.median(lengths) if lengths else None,
        "seconds": round(elapsed, 1),
    }


def baselines(data: dict, questions: list[tuple[str, list[str]]]) -> dict:
    """rank_bm25 with full jieba over pooled paragraphs and over sentences (the issue's anchors)."""
    import jieba
    from rank_bm25 import BM25Okapi

    from bot.core.text import split_sentences

    paragraphs = [p["context"] for a in data["data"] for p in a["paragraphs"]]
    sentences = [s for p in paragraphs for s in split_sentences(p)]
    out = {}
    for name, units in (("bm25_paragraphs", paragraphs), ("bm25_sentences", sentences)):
        bm25 = BM25Okapi([jieba.lcut_for_search(u) for u in units])
        hits, lengths = 0, []
        for question, gold in questions:
            best = units[int(bm25.get_scores(jieba.lcut_for_search(question)).argmax())]
            hits += any(g in best for g in gold)
            lengths.append(len(best))
        out[name] = {"hit_rate": round(hits / len(questions), 4), "median_chars": statistics.median(lengths)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=HERE / ".work" / "drcd")
    parser.add_argument("--baselines", action="store_true", help="also measure rank_bm25 anchors (slow)")
    args = parser.parse_args()
    data = json.loads(args.data.read_text("utf-8"))
    questions = write_documents(data, args.work)
    print(
        f"DRCD: {len(data['data'])} articles, {len(questions)} questions, via `speech-bot ask --json --knowledge`"
    )
    summary = {
        "always_answer": ask_all(args.work, questions, "0"),
        "default_threshold": ask_all(args.work, questions, None),
    }
    for name, result in summary.items():
        print(
            f"  {name:<18} hit {result['hit_rate']:.1%}  median passage {result['median_chars']} chars  "
            f"declined {result['declined']}  ({result['seconds']} s for all questions)"
        )
    if args.baselines:
        summary["baselines"] = baselines(data, questions)
        for name, result in summary["baselines"].items():
            print(f"  {name:<18} hit {result['hit_rate']:.1%}  median passage {result['median_chars']} chars")
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()

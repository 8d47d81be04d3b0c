"""Speed and memory of the answering core, each figure against a baseline measured in this run.

    python benchmarks/speed.py [--drcd ../shared/bench/DRCD_dev.json]

1. Per-question cost on the speech: `Engine.answer` vs `rapidfuzz.process.extractOne` (WRatio)
   over the speech's sentences (goal: ratio <= 1), and vs rank_bm25 over the same sentences
   (jieba-tokenised question, argmax), medians of the same questions in the same run.
2. DRCD pooled (383 documents): query p50/p99 (goal p99 <= 5 ms) and index build (goal <= 5 s).
3. Cold start: `speech-bot ask "问题"` as a whole process vs
   `python -c "import jieba; jieba.initialize()"`. Goal: ratio <= 0.6.
4. Peak memory (max RSS) of the speech CLI process and of the DRCD process.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def timed(fn, items, repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        for item in items:
            started = time.perf_counter()
            fn(item)
            out.append(time.perf_counter() - started)
    return out


def speech_questions() -> list[str]:
    files = [ROOT / "tests" / "data" / "questions.jsonl", ROOT / "tests" / "data" / "labelled.jsonl"]
    return [
        json.loads(line)["q"] for f in files for line in f.read_text("utf-8").splitlines() if line.strip()
    ]


def per_question() -> dict:
    import jieba
    from rank_bm25 import BM25Okapi
    from rapidfuzz import fuzz, process

    from bot.core.engine import Engine

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    engine = Engine.load(ROOT / "knowledge")
    sentences = engine.sentences()
    bm25 = BM25Okapi([jieba.lcut(s) for s in sentences])
    questions = speech_questions()

    def rank_bm25(question: str) -> str:
        return sentences[int(bm25.get_scores(jieba.lcut(question)).argmax())]

    def extract_one(question: str) -> str:
        return process.extractOne(question, sentences, scorer=fuzz.WRatio)[0]

    for fn in (engine.answer, rank_bm25, extract_one):  # warm up
        timed(fn, questions)
    ours = statistics.median(timed(engine.answer, questions, repeat=10))
    fuzzy = statistics.median(timed(extract_one, questions, repeat=10))
    base = statistics.median(timed(rank_bm25, questions, repeat=10))
    return {
        "ours_us": round(ours * 1e6, 1),
        "extract_one_us": round(fuzzy * 1e6, 1),
        "rank_bm25_us": round(base * 1e6, 1),
        "ratio_extract_one": round(ours / fuzzy, 2),
        "ratio_rank_bm25": round(ours / base, 2),
    }


def drcd(path: Path) -> dict:
    import wiki

    from bot.core.engine import Engine

    folder = HERE / ".work" / "drcd"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.md"):
        old.unlink()
    questions = []
    for article in wiki.articles("drcd-dev"):
        (folder / f"{article.id}.md").write_text(article.markdown(), "utf-8")
        questions += [q for q, _ in article.questions]
    builds = []
    for _ in range(3):
        started = time.perf_counter()
        engine = Engine.load(folder, threshold=0.0)
        builds.append(time.perf_counter() - started)
    times = sorted(timed(engine.answer, questions))
    return {
        "build_s": round(statistics.median(builds), 2),
        "query_p50_ms": round(times[len(times) // 2] * 1e3, 2),
        "query_p99_ms": round(times[int(len(times) * 0.99)] * 1e3, 2),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def cold_start(runs: int = 9) -> dict:
    ours_cmd = [str(Path(sys.executable).parent / "speech-bot"), "ask", "隐患排查的重点领域"]
    base_cmd = [sys.executable, "-c", "import jieba; jieba.initialize()"]

    def wall(cmd: list[str]) -> float:
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        return time.perf_counter() - started

    wall(ours_cmd), wall(base_cmd)  # warm caches: both sides read their dictionary caches
    ours = statistics.median(wall(ours_cmd) for _ in range(runs))
    base = statistics.median(wall(base_cmd) for _ in range(runs))
    child = subprocess.Popen(ours_cmd, stdout=subprocess.DEVNULL, cwd=ROOT)
    _, _, usage = os.wait4(child.pid, 0)  # this child's own peak, not the max over all children
    rss = usage.ru_maxrss
    return {
        "ours_s": round(ours, 3),
        "jieba_initialize_s": round(base, 3),
        "ratio": round(ours / base, 2),
        "cli_max_rss_mb": round(rss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--drcd", type=Path, default=ROOT.parent / "shared" / "bench" / "DRCD_dev.json")
    args = parser.parse_args()
    summary = {"cold_start": cold_start(), "per_question_speech": per_question()}
    if args.drcd.exists():
        summary["drcd_pooled"] = drcd(args.drcd)
    c, p = summary["cold_start"], summary["per_question_speech"]
    print(
        f"cold start      speech-bot ask {c['ours_s']} s vs jieba.initialize() {c['jieba_initialize_s']} s "
        f"-> ratio {c['ratio']} (goal <= 0.6); CLI max RSS {c['cli_max_rss_mb']} MB"
    )
    print(
        f"per question    Engine.answer {p['ours_us']} us vs extractOne(WRatio) {p['extract_one_us']} us "
        f"-> ratio {p['ratio_extract_one']} (goal <= 1); vs rank_bm25 {p['rank_bm25_us']} us "
        f"-> {p['ratio_rank_bm25']}"
    )
    if d := summary.get("drcd_pooled"):
        print(
            f"DRCD pooled     build {d['build_s']} s (goal <= 5); query p50 {d['query_p50_ms']} ms, "
            f"p99 {d['query_p99_ms']} ms (goal <= 5); max RSS {d['max_rss_mb']} MB"
        )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

"""Does the engine answer questions about text nobody tuned it for? DRCD and CMRC 2018.

    python benchmarks/wiki_bench.py                      # per document: cmrc-trial, drcd-test; pooled: drcd-dev
    python benchmarks/wiki_bench.py --per-doc drcd-test  # one set, one article at a time
    python benchmarks/wiki_bench.py --pooled drcd-dev    # every article of a set in one knowledge

Per document is the real use: one article alone in the knowledge, nothing curated, every one of
its questions asked. Pooled puts all articles of a set in one knowledge. A reply counts when it is
matched, at most 600 characters and holds a gold answer (../shared/bench/README.md); a decline is
a miss. Beside each figure, measured in the same run: rank_bm25 (BM25Okapi over jieba tokens) on
the article's sentences and on its paragraphs, which never decline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import wiki  # noqa: E402

from bot.core.engine import Builder  # noqa: E402
from bot.core.text import split_sentences  # noqa: E402


def baseline(units: list[str]):
    from rank_bm25 import BM25Okapi

    bm25 = BM25Okapi([jieba.lcut(u) or [""] for u in units])

    def best(question: str) -> str:
        scores = bm25.get_scores(jieba.lcut(question))
        return units[int(scores.argmax())]

    return best


def run(articles: list[wiki.Article], *, pooled: bool) -> dict:
    builder = Builder()
    ours = declined = total = 0
    base_sent = base_para = 0
    lengths: list[int] = []
    started = time.perf_counter()
    groups = [articles] if pooled else [[a] for a in articles]
    for group in groups:
        engine = builder.engine("\n".join(a.markdown() for a in group), name="articles.md")
        paragraphs = [p for a in group for p in a.paragraphs]
        sentences = [s for p in paragraphs for s in split_sentences(p)]
        by_sentence, by_paragraph = baseline(sentences), baseline(paragraphs)
        for article in group:
            for question, gold in article.questions:
                total += 1
                reply = engine.answer(question).to_json()
                ours += wiki.holds_gold(reply, gold)
                declined += not reply["matched"]
                if reply["matched"]:
                    lengths.append(len(reply["answer"]))
                base_sent += wiki.holds_gold({"matched": True, "answer": by_sentence(question)}, gold)
                base_para += wiki.holds_gold({"matched": True, "answer": by_paragraph(question)}, gold)
    return {
        "questions": total,
        "ours": ours / total,
        "declined": declined / total,
        "median_chars": statistics.median(lengths) if lengths else 0,
        "bm25_sentences": base_sent / total,
        "bm25_paragraphs": base_para / total,
        "seconds": time.perf_counter() - started,
    }


def show(name: str, mode: str, r: dict) -> None:
    print(
        f"{name:<11} {mode:<8} {r['questions']:>5} questions: ours {r['ours']:6.1%} "
        f"(declined {r['declined']:5.1%}, median {r['median_chars']:.0f} chars) | "
        f"rank_bm25 sentences {r['bm25_sentences']:6.1%}, paragraphs {r['bm25_paragraphs']:6.1%} "
        f"[{r['seconds']:.0f} s]"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-doc", action="append", choices=sorted(wiki.SETS), default=[])
    parser.add_argument("--pooled", action="append", choices=sorted(wiki.SETS), default=[])
    args = parser.parse_args()
    if not args.per_doc and not args.pooled:
        args.per_doc, args.pooled = ["cmrc-trial", "drcd-test"], ["drcd-dev"]
    jieba.setLogLevel(60)
    for name in args.per_doc:
        show(name, "per-doc", run(wiki.articles(name), pooled=False))
    for name in args.pooled:
        show(name, "pooled", run(wiki.articles(name), pooled=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

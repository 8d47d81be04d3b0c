"""The Telegram bot under load, through the fake Bot API server on 127.0.0.1.

    python benchmarks/bot_throughput.py [--questions 1000] [--chats 100]

1. Rate limiter off: N questions from M chats pushed at once; replies per second and reply
   latency p50/p99, against a bare python-telegram-bot echo bot run the same way in this run
   (goal: at least 0.8 of its pace: matching must not be the bottleneck).
2. Rate limiter on (Telegram's ~30 messages/s): the sustained pace over 300 questions.

The fake Bot API server runs in its own process, as Telegram does, and generates the burst of
questions itself, so the bot's process does only the bot's work. Each bot runs three times,
alternating, and the median run is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from tests.fake_telegram import TOKEN  # noqa: E402

QUESTIONS = [
    json.loads(line)["q"]
    for line in (ROOT / "tests/data/questions.jsonl").read_text("utf-8").splitlines()
    if line
]


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(update.effective_message.text)


def echo_app(base_url: str):
    app = ApplicationBuilder().token(TOKEN).base_url(base_url).concurrent_updates(32).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


async def drive(make_app, questions: int, chats: int) -> dict:
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fake_telegram", cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    base_url = (await server.stdout.readline()).decode().strip()
    control = base_url.removesuffix("/bot") + "/_control"
    app = make_app(base_url)
    await app.initialize()
    await app.start()
    await app.updater.start_polling(timeout=1)
    try:
        async with aiohttp.ClientSession() as http:
            per_chat = questions // chats
            questions = per_chat * chats
            body = {"questions": QUESTIONS, "chats": chats, "per_chat": per_chat}
            async with http.post(f"{control}/burst", json=body) as response:
                response.raise_for_status()
            deadline = time.monotonic() + 600
            while True:
                async with http.get(f"{control}/calls") as response:
                    state = await response.json()
                if len(state["calls"]) >= questions or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.05)
        calls = state["calls"]
        pushed = {int(chat): times for chat, times in state["pushed_at"].items()}
        started = min(t for times in pushed.values() for t in times)
        elapsed = max(c["at"] for c in calls) - started
        replied: dict[int, list[float]] = {}
        for call in calls:
            replied.setdefault(call["chat_id"], []).append(call["at"])
        latencies = sorted(
            r - p for chat in pushed for p, r in zip(pushed[chat], replied.get(chat, []), strict=False)
        )
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        server.terminate()
        await server.wait()
    return {
        "replies_per_s": round(questions / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median pace (of three, alternating echo bot and speech-bot)."""
    return sorted(runs, key=lambda r: r["replies_per_s"])[len(runs) // 2]


async def main_async(questions: int, chats: int) -> dict:
    engine = Engine.load(ROOT / "knowledge")
    data = Path(tempfile.mkdtemp())

    def ours(rate_limit: bool):
        def make(base_url: str):
            settings = Settings.load(
                {
                    "TELEGRAM_BOT_TOKEN": TOKEN,
                    "TELEGRAM_API_BASE_URL": base_url,
                    "DATABASE_PATH": str(data / f"bench-{time.monotonic_ns()}.sqlite3"),
                    "HASH_SALT": "bench",
                    "USER_MESSAGES_PER_MINUTE": "10000",
                }
            )
            from bot.feedback.store import open_store

            return build_application(settings, engine, store=open_store(settings), rate_limit=rate_limit)

        return make

    await drive(echo_app, 100, 10)  # warm-up
    runs = [
        (await drive(echo_app, questions, chats), await drive(ours(False), questions, chats))
        for _ in range(3)
    ]
    baseline = median_run([b for b, _ in runs])
    measured = median_run([m for _, m in runs])
    limited = await drive(ours(True), 300, 100)
    return {
        "echo_bot": baseline,
        "speech_bot": measured,
        "pace_ratio": round(measured["replies_per_s"] / baseline["replies_per_s"], 2),
        "with_rate_limiter": limited,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--chats", type=int, default=100)
    args = parser.parse_args()
    result = asyncio.run(main_async(args.questions, args.chats))
    e, s, lim = result["echo_bot"], result["speech_bot"], result["with_rate_limiter"]
    print(f"{args.questions} questions from {args.chats} chats, rate limiter off:")
    print(f"  echo bot    {e['replies_per_s']:>7} replies/s   p50 {e['p50_ms']} ms   p99 {e['p99_ms']} ms")
    print(f"  speech-bot  {s['replies_per_s']:>7} replies/s   p50 {s['p50_ms']} ms   p99 {s['p99_ms']} ms")
    print(f"  pace ratio  {result['pace_ratio']} (goal >= 0.8)")
    print(f"rate limiter on, 300 questions: {lim['replies_per_s']} replies/s (Telegram allows about 30/s)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

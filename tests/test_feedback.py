"""The learning loop: what is recorded, how it survives, and what the curator gets out of it."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot import messages
from bot.core.engine import Answer
from bot.feedback.report import group_similar
from bot.feedback.store import SCHEMA_VERSION, FeedbackStore, load_salt
from tests.conftest import ROOT, Running, bot_env, buttons, make_v1_database, spawn_bot
from tests.fake_telegram import FakeTelegram

MATCHED = Answer("q", True, "passage", "confident", "一是…", "三、…", "讲话", "第三部分", 0.9, "0:3.0.2")
DECLINED = Answer("q", False, "declined", confidence=0.2)


@pytest.fixture
def store(tmp_path: Path):
    s = FeedbackStore(tmp_path / "feedback.sqlite3", "salt")
    yield s
    s.close()


def test_the_database_is_a_wal_file_with_a_schema_version(store: FeedbackStore):
    assert store.version == SCHEMA_VERSION
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_ids_are_stored_only_as_salted_hashes(store: FeedbackStore):
    store.record_question(
        question="应急预案", answer=MATCHED, chat_type="private", user_id=987654321, chat_id=123456789
    )
    store.record_vote(question_id=1, user_id=987654321, up=False)
    store.close()
    raw = b"".join(p.read_bytes() for p in store.path.parent.iterdir() if p.name.startswith("feedback"))
    assert b"987654321" not in raw and b"123456789" not in raw
    assert store.hash_id(987654321) != FeedbackStore(store.path, "other salt").hash_id(987654321)


def test_one_vote_per_user_per_answer_and_votes_can_change(store: FeedbackStore):
    qid = store.record_question(question="回头看", answer=MATCHED, chat_type="private", user_id=1, chat_id=1)
    store.record_vote(question_id=qid, user_id=7, up=True)
    store.record_vote(question_id=qid, user_id=7, up=True)
    assert (store.totals(30).up, store.totals(30).down) == (1, 0)
    store.record_vote(question_id=qid, user_id=7, up=False)
    store.record_vote(question_id=qid, user_id=8, up=False)
    assert (store.totals(30).up, store.totals(30).down) == (0, 2)
    assert not store.record_vote(question_id=99999, user_id=7, up=True)  # unknown answer: ignored


def test_an_old_schema_database_is_upgraded_in_place(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    make_v1_database(path, asked_at="2099-01-01T00:00:00+00:00")
    store = FeedbackStore(path, "salt")
    assert store.version == SCHEMA_VERSION
    assert store.declined_questions(30) == ["旧问题"]  # the old row is still there
    store.record_question(question="新问题", answer=MATCHED, chat_type="group", user_id=1, chat_id=2)
    assert store.totals(30).questions == 2


def test_a_locked_database_does_not_stop_recording_calls(tmp_path: Path):
    store = FeedbackStore(tmp_path / "db.sqlite3", "salt", busy_timeout_ms=50)
    locker = sqlite3.connect(store.path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    first = store.record_question(question="q", answer=MATCHED, chat_type="private", user_id=1, chat_id=1)
    assert first == 1 and not store.flush(timeout=0.5)  # an id at once; the row waits in memory
    locker.execute("ROLLBACK")
    assert store.record_question(question="q", answer=MATCHED, chat_type="private", user_id=1, chat_id=1) == 2
    assert store.flush() and store.totals(30).questions == 2
    store.close()


def test_retention_drops_old_rows(store: FeedbackStore):
    store.record_question(question="今天", answer=DECLINED, chat_type="private", user_id=1, chat_id=1)
    assert store.flush()  # written (and the start-up retention pass done) before the old row goes in
    with sqlite3.connect(store.path) as db:
        db.execute(
            "INSERT INTO questions (asked_at, chat_type, question, matched, score) VALUES "
            "('2000-01-01T00:00:00+00:00', 'private', '很久以前', 0, 0)"
        )
    assert store.prune(180) == 1
    assert store.declined_questions(100_000) == ["今天"]


def test_a_generated_salt_is_kept_in_the_data_folder(tmp_path: Path):
    first = load_salt(None, tmp_path)
    assert first == load_salt(None, tmp_path) and len(first) >= 32
    assert (tmp_path / "hash-salt").stat().st_mode & 0o077 == 0
    assert load_salt("configured", tmp_path) == "configured"


def test_report_groups_near_duplicate_questions():
    questions = [
        "安全帽多少钱?",
        "安全帽多少钱",
        "安全帽 多少钱？",
        "安全帽多少錢",
        "督查组住哪",
        "督查组住在哪里",
        "明天下雨吗",
    ]
    groups = group_similar(questions)
    assert [g.count for g in groups] == [4, 2, 1]
    assert groups[0].sample.startswith("安全帽多少钱")


# ---- through the bot ----------------------------------------------------------------------------------


def speech_bot_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """Run `python -m bot ARGS` (report, suggest …) as a curator would, with this environment."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


async def test_declined_question_and_thumbs_down_survive_sigkill(tmp_path: Path):
    fake = FakeTelegram()
    await fake.start()
    env = bot_env(fake, tmp_path, HASH_SALT="")
    process = await spawn_bot(env, tmp_path)
    try:
        (declined,) = await fake.reply_to(fake.message("安全帽在哪里买最便宜"), timeout=30)
        assert messages.DECLINED in declined["text"]
        (answer,) = await fake.reply_to(fake.message("销号管理"))
        down = dict(buttons(answer))["👎"]
        await fake.reply_to(fake.callback(down), method="answerCallbackQuery")
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()
        await fake.stop()
    report = speech_bot_cli("report", env=env, cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert "安全帽在哪里买最便宜" in report.stdout
    assert "建立整改台账" in report.stdout or "第五部分" in report.stdout  # the 👎 answer, by where it sits
    assert "👎 1" in report.stdout
    csv = speech_bot_cli("report", "--csv", env=env, cwd=tmp_path)
    assert csv.stdout.splitlines()[0] == "section,count,text,detail"
    assert "declined,1,安全帽在哪里买最便宜," in csv.stdout


async def test_stats_is_for_admins_only(start_bot):
    bot = await start_bot()
    (refused,) = await bot.fake.reply_to(bot.fake.message("/stats", user_id=501))
    assert refused["text"] == messages.UNKNOWN_COMMAND_HTML  # no hint that the command exists
    await bot.fake.reply_to(bot.fake.message("督查组住哪个酒店", user_id=501))
    (stats,) = await bot.fake.reply_to(bot.fake.message("/stats", user_id=999, chat_id=999))
    assert "提问 1 次，已回答 0，未能回答 1" in stats["text"] and "督查组住哪个酒店" in stats["text"]


async def test_reload_swaps_the_index_and_keeps_it_when_a_file_is_broken(start_bot, knowledge_copy: Path):
    bot = await start_bot(KNOWLEDGE_PATH=str(knowledge_copy))
    (before,) = await bot.fake.reply_to(bot.fake.message("年度安全之星怎么评"))
    assert messages.DECLINED in before["text"]
    with (knowledge_copy / "qa.yaml").open("a", encoding="utf-8") as f:
        f.write("  - passage: 及时总结提炼工作中的好做法\n    questions: [年度安全之星怎么评]\n")
    (ok,) = await bot.fake.reply_to(bot.fake.message("/reload", user_id=999, chat_id=999))
    assert ok["text"].startswith("知识库已重新加载")
    (after,) = await bot.fake.reply_to(bot.fake.message("年度安全之星怎么评"))
    assert "总结提炼" in after["text"]

    (knowledge_copy / "synonyms.yaml").write_text("broken: [unclosed\n", "utf-8")
    (failed,) = await bot.fake.reply_to(bot.fake.message("/reload", user_id=999, chat_id=999))
    assert failed["text"].startswith("重新加载失败") and "synonyms.yaml" in failed["text"]
    (still,) = await bot.fake.reply_to(bot.fake.message("年度安全之星怎么评"))
    assert "总结提炼" in still["text"]  # the old index keeps answering
    (refused,) = await bot.fake.reply_to(bot.fake.message("/reload", user_id=501))
    assert refused["text"] == messages.UNKNOWN_COMMAND_HTML


async def test_200_questions_from_50_chats_with_feedback_taps_all_recorded_once(start_bot):
    bot: Running = await start_bot(USER_MESSAGES_PER_MINUTE="100")
    questions = ["应急预案", "举报奖励", "明天下雨吗", "回头看"]
    taps = set()
    for batch in range(20):
        for n in range(batch * 10, batch * 10 + 10):
            await bot.fake.message(questions[n % 4], chat_id=3000 + n % 50, user_id=3000 + n % 50)
        # taps interleaved with the next questions, on answers already sent
        await bot.fake.wait_for(lambda b=batch: len(bot.fake.sent()) >= b * 10 + 3, timeout=30)
        for params in [p for p in bot.fake.sent() if p.get("reply_markup")][-2:]:
            for text, data in buttons(params):
                if text in ("👍", "👎") and (data, batch) not in taps:
                    taps.add((data, batch))
                    await bot.fake.callback(data, chat_id=params["chat_id"], user_id=9000 + batch)
                    break
    await bot.fake.wait_for(lambda: len(bot.fake.sent()) >= 200, timeout=60)
    await asyncio.sleep(0.5)
    db = sqlite3.connect(bot.store.path)
    assert db.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == 200
    assert db.execute(
        "SELECT COUNT(*), COUNT(DISTINCT question || chat_hash || id) FROM questions"
    ).fetchone() == (200, 200)
    per_chat = db.execute("SELECT COUNT(*) FROM questions GROUP BY chat_hash").fetchall()
    assert sorted(c for (c,) in per_chat) == [4] * 50
    await bot.fake.wait_for(lambda: len(bot.fake.sent("answerCallbackQuery")) >= len(taps))
    assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == len({(d, b) for d, b in taps}) >= 20
    assert len(bot.fake.sent()) == 200  # one reply per question, none twice


def test_report_without_a_database_says_what_to_set(tmp_path: Path):
    run = speech_bot_cli(
        "report", env={**os.environ, "DATABASE_PATH": str(tmp_path / "none.sqlite3")}, cwd=tmp_path
    )
    assert run.returncode == 2 and "DATABASE_PATH" in run.stderr


def test_suggest_prints_a_qa_snippet_for_frequent_declined_questions(tmp_path: Path):
    db = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(db, "salt")
    for q in ("应急物资储备在哪", "应急物资储备在哪里", "安全帽多少钱"):
        store.record_question(question=q, answer=DECLINED, chat_type="private", user_id=1, chat_id=1)
    store.close()
    run = speech_bot_cli(
        "suggest", env={**os.environ, "DATABASE_PATH": str(db), "HASH_SALT": "salt"}, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    assert "# asked 2×: 应急物资储备在哪" in run.stdout
    assert "- passage:" in run.stdout and "questions: [" in run.stdout

"""The feedback database under the real `speech-bot run`: locked, deleted, private; and the curator's tools."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.feedback.store import SCHEMA_VERSION, FeedbackStore
from tests.conftest import KNOWLEDGE, bot_env, make_v1_database, spawn_bot
from tests.fake_telegram import FakeTelegram
from tests.test_feedback import DECLINED, MATCHED


def rows(path: Path) -> int:
    """Question rows in the file; -1 while it is being created."""
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM questions").fetchone()[0]
    except sqlite3.OperationalError:
        return -1


async def wait_until(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.1)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_locked_then_deleted_database_delays_no_answer_and_loses_no_row(
    fake: FakeTelegram, tmp_path: Path
):
    env = bot_env(fake, tmp_path, HASH_SALT="")
    db_path = tmp_path / "data" / "feedback.sqlite3"
    process = await spawn_bot(env, tmp_path, capture=True)
    try:
        await fake.reply_to(fake.message("应急预案", chat_id=1, user_id=1), timeout=30)
        await wait_until(lambda: rows(db_path) == 1, 10)

        # a curator's tool holds the write lock for 5 s while 40 questions arrive
        locker = sqlite3.connect(db_path, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        locked_at = time.monotonic()
        pushed = {}
        for n in range(40):
            pushed[6000 + n] = time.monotonic()
            await fake.message("举报奖励" if n % 2 else "明天下雨吗", chat_id=6000 + n, user_id=6000 + n)
            await asyncio.sleep(0.1)
        await fake.wait_for(lambda: all(fake.sent(chat_id=c) for c in pushed), timeout=30)
        latencies = sorted(fake.calls_at(chat_id=c) - pushed[c] for c in pushed)
        await asyncio.sleep(max(0.0, 5.0 - (time.monotonic() - locked_at)))
        assert rows(db_path) == 1  # nothing could be written meanwhile (a reader still sees the old rows)
        locker.execute("ROLLBACK")
        locker.close()
        unlocked = time.monotonic()
        await wait_until(lambda: rows(db_path) == 41, 10)
        stored_after = time.monotonic() - unlocked
        print(
            f"\nlocked 5 s: 40 answers, latency p50 {latencies[20] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms;"
            f" all rows stored {stored_after:.2f} s after the lock was gone"
        )
        assert latencies[-1] < 2.0

        # the file is deleted under the bot: the next rows go into a new file
        for side in ("", "-wal", "-shm"):
            Path(f"{db_path}{side}").unlink(missing_ok=True)
        for n in range(5):
            await fake.reply_to(fake.message("回头看", chat_id=6100 + n, user_id=6100 + n))
        await wait_until(lambda: db_path.exists() and rows(db_path) == 5, 10)

        data = db_path.parent
        assert mode(data) == 0o700
        for file in data.iterdir():
            assert mode(file) == 0o600, file.name
        assert {p.name for p in data.iterdir()} >= {"feedback.sqlite3", "feedback-inbox.sqlite3", "hash-salt"}
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=15)
    logs = stderr.decode()
    assert process.returncode == 0, logs
    assert logs.count("unavailable") == 1, logs  # one line for the whole outage …
    assert logs.count("writable again") == 1, logs  # … and one when it is over
    assert "deleted or replaced" in logs


def test_run_refuses_a_newer_schema_in_one_line(tmp_path: Path):
    db_path = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(db_path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "123456789:TESTtokenAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
        "DATABASE_PATH": str(db_path),
        "KNOWLEDGE_PATH": str(KNOWLEDGE),
    }
    run = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "newer" in run.stderr and str(db_path) in run.stderr


# ---- the curator's tools ---------------------------------------------------------------------------


@pytest.fixture
def curator(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """Run `speech-bot ARGS` in this process (as the curator would) on the database `db`."""

    def run(*args: str, db: Path) -> subprocess.CompletedProcess:
        monkeypatch.setenv("DATABASE_PATH", str(db))
        monkeypatch.setenv("HASH_SALT", "salt")
        monkeypatch.setenv("RETENTION_DAYS", "3650")
        monkeypatch.setenv("KNOWLEDGE_PATH", str(KNOWLEDGE))
        monkeypatch.chdir(db.parent)
        code = main(list(args))
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run


def test_report_and_suggest_leave_old_rows_untouched(tmp_path: Path, curator):
    db_path = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(db_path, "salt", retention_days=3650)
    store.record_question(question="安全帽多少钱", answer=DECLINED, chat_type="private", user_id=1, chat_id=1)
    store.close()
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE questions SET asked_at = '2020-01-01T00:00:00+00:00'")  # six years ago
    before = db_path.read_bytes()
    for command in (["report", "--since", "4000"], ["suggest", "--since", "4000"]):
        run = curator(*command, db=db_path)
        assert run.returncode == 0, run.stderr
        assert "安全帽多少钱" in run.stdout
    assert rows(db_path) == 1 and db_path.read_bytes() == before


@pytest.mark.parametrize("damage", ["garbage", "folder", "newer", "truncated"])
def test_report_on_a_damaged_database_is_one_line_and_exit_2(tmp_path: Path, damage: str, curator):
    db_path = tmp_path / "feedback.sqlite3"
    if damage == "garbage":
        db_path.write_bytes(b"this is not a database at all" * 100)
    elif damage == "folder":
        db_path.mkdir()
    else:
        store = FeedbackStore(db_path, "salt")
        for n in range(300):
            store.record_question(
                question=f"问题{n}" * 20, answer=MATCHED, chat_type="private", user_id=1, chat_id=1
            )
        store.close()
        with sqlite3.connect(db_path) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if damage == "newer":
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
        if damage == "truncated":
            data = db_path.read_bytes()
            db_path.write_bytes(data[:100] + b"\xff" * 4000 + data[4100:])
    for command in ("report", "suggest"):
        run = curator(command, db=db_path)
        assert run.returncode == 2, (command, run.stdout, run.stderr)
        assert run.stderr.count("\n") == 1 and str(db_path) in run.stderr, run.stderr
        assert "Traceback" not in run.stderr


def test_the_report_shows_declined_questions_whole(tmp_path: Path, curator):
    db_path = tmp_path / "feedback.sqlite3"
    long_question = "我想知道督查组这次来检查的时候会不会去我们村里的小作坊看一看"
    store = FeedbackStore(db_path, "salt")
    store.record_question(question=long_question, answer=DECLINED, chat_type="private", user_id=1, chat_id=1)
    store.close()
    run = curator("report", db=db_path)
    assert long_question in run.stdout


def test_questions_holding_commas_stay_whole_in_the_report(tmp_path: Path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3", "salt")
    for question in ("举报, 有奖励吗", "举报，奖励"):
        qid = store.record_question(
            question=question, answer=MATCHED, chat_type="private", user_id=1, chat_id=1
        )
        assert store.record_vote(question_id=qid, user_id=2, up=False)
    ((_, down, up, questions),) = store.voted_answers(30)
    store.close()
    assert (down, up) == (2, 0)
    assert sorted(questions) == ["举报, 有奖励吗", "举报，奖励"]


def test_report_reads_an_old_schema_without_upgrading_it(tmp_path: Path, curator):
    db_path = tmp_path / "old.sqlite3"
    make_v1_database(db_path, asked_at="2019-01-01T00:00:00+00:00")
    before = db_path.read_bytes()
    run = curator("report", "--since", "4000", db=db_path)
    assert run.returncode == 0, run.stderr
    assert "旧问题" in run.stdout and db_path.read_bytes() == before


def test_a_vote_reason_goes_through_the_writer_and_needs_the_vote(tmp_path: Path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3", "salt")
    qid = store.record_question(
        question="销号管理", answer=MATCHED, chat_type="private", user_id=1, chat_id=1
    )
    assert not store.record_vote_reason(question_id=qid, user_id=1, reason="没有投票")
    assert store.record_vote(question_id=qid, user_id=1, up=False, chat_id=1)
    assert store.record_vote_reason(question_id=qid, user_id=1, reason="答非所问\ud800")
    store.close()
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as db:
        assert db.execute("SELECT reason FROM votes").fetchall() == [("答非所问\ufffd",)]

"""Shared fixtures: one engine over the real knowledge folder, built once per test session."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import Settings
from bot.feedback.store import FeedbackStore
from bot.telegram.app import build_application
from bot.telegram.inbox import Inbox, inbox_path
from tests.fake_telegram import TOKEN, FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
QUESTIONS = Path(__file__).parent / "data" / "questions.jsonl"


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Language resources are written once into a private cache, never into ~/.cache."""
    folder = Path(os.environ.get("SPEECH_BOT_TEST_CACHE") or tmp_path_factory.mktemp("cache"))
    os.environ["SPEECH_BOT_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def engine():
    from bot.core.engine import Engine

    return Engine.load(KNOWLEDGE)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of the knowledge folder that a test may edit."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for file in KNOWLEDGE.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    return folder


# ---- the bot against the fake Bot API ----------------------------------------------------------


@dataclass
class Running:
    fake: FakeTelegram
    app: object
    store: FeedbackStore


def make_settings(fake: FakeTelegram, tmp_path: Path, **extra: str) -> Settings:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "DATABASE_PATH": str(tmp_path / "feedback.sqlite3"),
        "HASH_SALT": "test-salt",
        "ADMIN_USER_IDS": "999",
        "KNOWLEDGE_PATH": str(KNOWLEDGE),
        **extra,
    }
    return Settings.load(env)


@pytest.fixture
async def fake():
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def start_bot(fake: FakeTelegram, engine, tmp_path: Path):
    started = []

    async def start(*, rate_limit: bool = False, inbox: bool = False, **extra: str) -> Running:
        settings = make_settings(fake, tmp_path, **extra)
        store = FeedbackStore(settings.database_path, "test-salt")
        durable = Inbox(inbox_path(settings.database_path)) if inbox else None
        app = build_application(settings, engine, store=store, inbox=durable, rate_limit=rate_limit)
        await app.initialize()
        if app.post_init:  # run_polling would call it: the menu and the description
            await app.post_init(app)
        await app.start()
        await app.updater.start_polling(timeout=1)
        running = Running(fake, app, store)
        started.append(running)
        return running

    yield start
    if started:
        await fake.release_polls()
    for running in started:
        await running.app.updater.stop()
        await running.app.stop()
        await running.app.shutdown()
        running.store.close()
        if inbox := running.app.bot_data.get("inbox"):
            inbox.close()


@pytest.fixture
async def bot(start_bot) -> Running:
    return await start_bot()


def buttons(params: dict) -> list[tuple[str, str]]:
    markup = params.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


async def spawn_bot(env: dict[str, str], cwd: Path, *, capture: bool = False) -> asyncio.subprocess.Process:
    """The real `speech-bot run` process (python -m bot run) with the given environment."""
    stream = asyncio.subprocess.PIPE if capture else asyncio.subprocess.DEVNULL
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=cwd, env=env, stdout=stream, stderr=stream
    )


def bot_env(fake: FakeTelegram, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a real `speech-bot run` process against the fake Bot API."""
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "DATABASE_PATH": str(tmp_path / "data" / "feedback.sqlite3"),
        "KNOWLEDGE_PATH": str(KNOWLEDGE),
        "HASH_SALT": "salt",
        "LOG_LEVEL": "INFO",
        **extra,
    }


def make_v1_database(path: Path, *, asked_at: str) -> None:
    """A feedback database as schema version 1 wrote it, holding one declined question 旧问题."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(
            f"""
            CREATE TABLE questions (id INTEGER PRIMARY KEY, asked_at TEXT NOT NULL, chat_type TEXT NOT NULL,
                question TEXT NOT NULL, matched INTEGER NOT NULL, score REAL NOT NULL, passage_id TEXT);
            CREATE TABLE votes (question_id INTEGER NOT NULL, user_hash TEXT NOT NULL, vote INTEGER NOT NULL,
                PRIMARY KEY (question_id, user_hash));
            INSERT INTO questions VALUES (1, '{asked_at}', 'private', '旧问题', 0, 0.1, NULL);
            PRAGMA user_version = 1;
            """
        )

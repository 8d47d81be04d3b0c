"""Shared fixtures: one engine over the real knowledge folder, built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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

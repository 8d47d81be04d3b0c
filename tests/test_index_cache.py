"""The index kept on disk between starts: same answers, rebuilt when the knowledge changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import engine as engine_module
from bot.core import index_cache
from bot.core.engine import Engine

QUESTION = "举报有奖励吗"


def test_a_second_start_reads_the_index_and_answers_the_same(knowledge_copy: Path, monkeypatch):
    built = Engine.load(knowledge_copy)
    Engine.load(knowledge_copy, cache_index=True)  # builds it and stores it

    def no_build(*args, **kwargs):
        raise AssertionError("the index was built again")

    monkeypatch.setattr(engine_module, "build_index", no_build)
    again = Engine.load(knowledge_copy, cache_index=True)
    assert again.answer(QUESTION).to_json() == built.answer(QUESTION).to_json()


def test_an_edited_speech_is_read_at_the_next_start(knowledge_copy: Path):
    Engine.load(knowledge_copy, cache_index=True)
    speech = knowledge_copy / "speech.txt"
    speech.write_text(speech.read_text("utf-8").replace("鼓励群众积极举报", "鼓励群众踊跃举报"), "utf-8")
    edited = Engine.load(knowledge_copy, cache_index=True)
    assert "鼓励群众踊跃举报" in edited.answer(QUESTION).answer


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05K\x01."])  # the last: an int
def test_a_damaged_cache_file_is_rebuilt_not_an_error(tmp_path: Path, content: bytes):
    (tmp_path / "index-k.pickle").write_bytes(content)
    built = []
    index = index_cache.load_or_build(tmp_path, "k", lambda: built.append(1) or "fresh")  # type: ignore[arg-type,return-value]
    assert index == "fresh" and built == [1]

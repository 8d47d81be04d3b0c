"""Any text gets a reply, never an exception: the property behind "bad input gets a clear reply"."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.answers import PASSAGE_KINDS
from bot.core.engine import Engine

BAD_INPUTS = [
    "",
    "   \n\t ",
    "😀😀😀🎉",
    "\x00\x07\x1b[31m安全\x7f",
    "<script>alert('x')</script>",
    "<b>隐患排查</b>&amp;",
    "安全" * 2500,
    "\ud800",
    "ｑｗｅｒｔｙ　１２３",
]


def test_bad_inputs_get_a_reply(engine: Engine):
    for text in BAD_INPUTS:
        answer = engine.answer(text)
        assert isinstance(answer.matched, bool)
        assert 0.0 <= answer.confidence <= 1.0
        assert len(answer.answer) <= 600


def test_empty_and_emoji_only_questions_are_recognised_as_empty(engine: Engine):
    for text in ("", "  ", "😀🎉", "?!。"):
        assert engine.answer(text).kind == "empty"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_any_text_gets_a_reply(engine: Engine, text: str):
    answer = engine.answer(text)
    assert answer.kind in {*PASSAGE_KINDS, "declined", "empty", "smalltalk", "clarify", "foreign"}
    assert answer.matched == (answer.kind in PASSAGE_KINDS)
    assert 0.0 <= answer.confidence <= 1.0
    if answer.matched:
        assert answer.answer and len(answer.answer) <= 600


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="安全生产隐患排查整改督查应急预案举报奖励的了吗是什么怎么第三点", max_size=30))
def test_speech_like_text_gets_a_reply(engine: Engine, text: str):
    answer = engine.answer(text)
    if answer.matched:
        assert "mooonya" not in answer.answer and "上一篇" not in answer.answer


def test_an_unwritable_cache_folder_falls_back_to_a_temporary_one(tmp_path, monkeypatch):
    from bot.core.resources import load_resources

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", "utf-8")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    resources = load_resources(blocked)
    assert resources.dictionary.exists() and str(resources.folder).startswith(str(tmp_path / "tmp"))
    assert resources.pinyin["预"] == "yu"

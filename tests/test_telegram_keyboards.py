"""Keyboards under each kind of reply, and callback data that always fits Telegram's 64 bytes and
parses back by exactly one pattern."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot import messages
from bot.core.answers import UNSURE, Answer, Suggestion
from bot.telegram import keyboards
from bot.telegram.keyboards import Keyboards, sign, with_vote_shown
from bot.telegram.routes import BUTTONS

VOTE = (12, sign(b"k", 1, 12))


def labels(markup) -> list[str]:
    return [b.text for row in markup.inline_keyboard for b in row]


def datas(markup) -> list[str]:
    return [b.callback_data for row in markup.inline_keyboard for b in row]


def test_an_unsure_answer_offers_the_alternatives_and_takes_votes(engine):
    alternative = Suggestion("利用多种媒体平台", "0:4.0.2", "第四部分 · 第一点")
    answer = Answer(
        "q",
        True,
        "passage",
        UNSURE,
        "…",
        "四、…",
        "",
        "第四部分 · 第三点",
        0.5,
        "0:4.0.4",
        4,
        3,
        [alternative],
    )
    markup = Keyboards(engine.version).answer(answer, VOTE, engine.outline())
    assert labels(markup) == ["第四部分 · 第一点：利用多种媒体平台", messages.MORE_CONTEXT, "👍", "👎"]


def test_replies_without_a_passage_point_to_the_outline(engine):
    for kind in ("foreign", "clarify", "declined"):
        markup = Keyboards(engine.version).answer(Answer("hello", False, kind), None, engine.outline())
        assert labels(markup) == [messages.OPEN_OUTLINE]
    smalltalk = Answer("你好", False, "smalltalk", smalltalk="greeting")
    assert Keyboards(engine.version).answer(smalltalk, None, engine.outline()) is None


def test_the_outline_answer_opens_each_part(engine):
    outline = engine.answer("讲话分哪几个部分？")
    markup = Keyboards(engine.version).answer(outline, VOTE, engine.outline())
    assert labels(markup)[:6] == [part.heading for part in engine.outline()]


def test_a_vote_shows_on_the_buttons_and_keeps_the_rest(engine):
    answer = engine.part_answer(3, 2)
    markup = Keyboards(engine.version).answer(answer, VOTE, engine.outline())
    shown = with_vote_shown(markup, "u")
    assert messages.FEEDBACK_UP_CHOSEN in labels(shown) and messages.NEXT_POINT in labels(shown)
    assert datas(shown) == datas(markup)


@given(
    words=st.text(min_size=1, max_size=40).filter(str.strip),
    qid=st.integers(min_value=0, max_value=10**12 - 1),
    page=st.integers(min_value=1, max_value=999),
)
def test_callback_data_fits_and_parses_by_exactly_one_kind(engine, words, qid, page):
    board = Keyboards(engine.version)
    outline = engine.outline()
    vote = (qid, sign(b"k", -100123, qid))
    markups = [
        board.search(words, page, page + 1, ["0:3.0.4"], 1),
        board.answer(engine.part_answer(3, 2), vote, outline),
        board.answer(engine.part_answer(6), vote, outline),
        board.context("0:3.0.4", "3.2", vote),
        board.examples(),
    ]
    for markup in markups:
        for data in datas(markup):
            assert keyboards.fits(data)
            assert sum(bool(kind.pattern.match(data)) for kind in BUTTONS) == 1, data

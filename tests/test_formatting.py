"""What users read: HTML that Telegram accepts, split without breaking tags, text in one module."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from bot import messages
from bot.core.engine import Answer, Suggestion
from bot.formatting import answer_html, answer_text, split_html


class _Balanced(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


def balanced(fragment: str) -> bool:
    parser = _Balanced()
    parser.feed(fragment)
    return parser.ok and not parser.stack and not re.search(r"&[a-z]*$", fragment)


def test_answer_html_escapes_everything_from_the_knowledge():
    answer = Answer(
        "q",
        True,
        "passage",
        "confident",
        "a < b & <script>",
        "<b>标题</b>",
        "doc",
        "第一部分",
        0.9,
        "0:1.0.0",
    )
    html = answer_html(answer)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;标题" in html
    assert html.startswith("<b>&lt;b&gt;")


def test_a_decline_in_text_lists_the_suggestions():
    answer = Answer("q", False, "declined", suggestions=[Suggestion("三、加强应急管理", "0:3.0.6")])
    text = answer_text(answer)
    assert text.startswith(messages.DECLINED) and "· 三、加强应急管理" in text


def test_a_detail_missing_from_a_covered_topic_is_not_called_an_uncovered_topic(engine):
    covered = answer_text(engine.answer("应急演练多久搞一次"))
    assert messages.DECLINED not in covered and messages.MISSING_DETAIL["frequency"] in covered
    assert "加强应急管理" in covered  # the passage that does speak of drills is offered
    elsewhere = answer_text(engine.answer("安全帽多少钱"))
    assert elsewhere.startswith(messages.DECLINED) and messages.MISSING_DETAIL["amount"] in elsewhere


def test_a_parts_reply_says_how_many_points_it_has(engine):
    text = answer_text(engine.answer("第三部分一共几点"))
    assert "这部分共四点" in text and "四是" in text


def test_a_point_asked_of_a_part_without_points_says_so_and_shows_the_part(engine):
    text = answer_text(engine.answer("第二部分第二点"))
    assert messages.PART_NO_POINTS in text and "考核评价机制" in text
    assert messages.PART_NO_POINTS not in answer_text(engine.answer("第二部分"))


def test_long_html_is_split_into_valid_pieces_under_the_limit():
    body = "<b>标题</b>\n" + "<i>" + "安全生产。" * 3000 + "</i>\n" + "&amp;" * 500
    pieces = split_html(body)
    assert len(pieces) > 1
    for piece in pieces:
        assert len(piece) <= 4096
        assert balanced(piece), piece[-80:]
    joined = re.sub(r"</?i>", "", "".join(pieces))
    assert joined.count("安全生产。") == 3000


@given(
    st.lists(st.sampled_from(["安全", "<b>", "</b>", "&amp;", "。", "\n", "隐患排查整治工作"]), max_size=3000)
)
def test_split_never_exceeds_the_limit(tokens):
    text = "".join(tokens)
    for piece in split_html(text, 300):
        assert len(piece) <= 300


def test_all_user_facing_strings_are_simplified_chinese_in_one_module():
    import opencc

    to_simplified = opencc.OpenCC("t2s")
    strings = {k: v for k, v in vars(messages).items() if k.isupper() and isinstance(v, str)}
    assert len(strings) > 30
    for name, value in strings.items():
        assert to_simplified.convert(value) == value, name


def test_an_answer_about_a_second_thing_follows_under_what_it_answers():
    second = Answer(
        "第五部分讲了什么", True, "part", "confident", "一是立即行动", "五、<标题>", location="第五部分"
    )
    declined = Answer("超速罚款多少", False, "declined", missing="amount")
    first = Answer(
        "第二部分和第五部分讲了什么",
        True,
        "passage",
        "confident",
        "制度保障",
        "二、标题",
        location="第二部分",
        more=(second, declined),
    )
    text = answer_text(first)
    assert text.index("制度保障") < text.index(messages.ALSO_ASKED.format(question="第五部分讲了什么"))
    assert "一是立即行动" in text and messages.MISSING_DETAIL["amount"] in text
    html = answer_html(first)
    assert balanced(html) and "&lt;标题&gt;" in html

"""/search: all keywords required, each hit with its place and a button that opens it, the words
highlighted on the text as written (folded for matching), escaping never broken by a highlight."""

from __future__ import annotations

from bot import messages
from bot.core.answers import SearchHit
from bot.core.search import find
from bot.core.text import Normalizer
from bot.formatting import search_lines, to_html
from tests.conftest import Running, buttons


def test_several_keywords_must_all_occur(engine):
    both = engine.search("安全 生产")
    assert both and all("安全" in h.text and "生产" in h.text for h in both)
    assert not engine.search("安全 不存在的词")
    assert len(engine.search("应急 演练")) < len(engine.search("应急"))


def test_traditional_and_full_width_keywords_highlight_the_text_as_written():
    normalize = Normalizer()
    sentences = [("0:1.0.0", "隐患排查要做到ABC全覆盖。", "第一部分")]
    (hit,) = find(sentences, "隱患 ａｂｃ", normalize)
    assert [hit.text[a:b] for a, b in hit.spans] == ["隐患", "ABC"]


def test_a_highlight_never_lands_inside_an_escaped_character():
    hit = SearchHit("0:1.0.0", "Don't <stop> 27", "第一部分", ((13, 15),))
    html = to_html(search_lines([hit], "27", total=1, page=1, pages=1, first=1))
    assert "Don&#x27;t &lt;stop&gt; <b>27</b>" in html
    hit = SearchHit("0:1.0.0", "Don't", "", ((3, 4),))  # the apostrophe itself
    assert "Don<b>&#x27;</b>t" in to_html(search_lines([hit], "'", total=1, page=1, pages=1, first=1))


async def test_each_hit_says_where_it_is_and_opens_with_its_button(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("/search 举报 奖励"))
    assert "<b>举报奖励</b>" in reply["text"] and "积极<b>举报</b>" in reply["text"]
    assert "出处：第四部分 · 第三点" in reply["text"]
    assert "句子" in reply["text"] and "段落" not in reply["text"]
    ((label, data),) = buttons(reply)
    assert label == "1"
    (opened,) = await bot.fake.reply_to(bot.fake.callback(data))
    assert "三是建立举报奖励机制" in opened["text"] and "👍" in dict(buttons(opened))


async def test_a_search_with_no_hit_says_so(bot: Running):
    (reply,) = await bot.fake.reply_to(bot.fake.message("/search 安全帽 价格"))
    assert reply["text"] == messages.SEARCH_NONE_ALL.format(keyword="安全帽 价格")
    (reply,) = await bot.fake.reply_to(bot.fake.message("/search 安全帽"))
    assert reply["text"] == messages.SEARCH_NONE.format(keyword="安全帽")

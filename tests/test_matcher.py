"""What a user asking the speech notices: the right passage, its part, an honest decline.

The questions live in tests/data/questions.jsonl and were written for these tests from the
speech itself (none is taken from an evaluation set). `hard` marks honest misses the engine
does not get right yet; they are reported, not hidden.
"""

from __future__ import annotations

import json

import pytest

from bot.core.engine import ANSWER_BUDGET, Engine
from bot.core.evaluate import judge
from bot.formatting import answer_text
from tests.conftest import QUESTIONS

ITEMS = [json.loads(line) for line in QUESTIONS.read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(
            i,
            id=f"{i['id']}-{i['cat']}",
            marks=pytest.mark.xfail(reason=i["hard"], strict=True) if "hard" in i else (),
        )
        for i in ITEMS
    ],
)
def test_question_gets_the_passage_that_answers_it(engine: Engine, item: dict):
    answer = engine.answer(item["q"])
    assert judge(item, answer), f"{item['q']} -> {answer.answer or 'declined'} ({answer.confidence})"


def test_answers_are_short_passages_with_their_heading(engine: Engine):
    answer = engine.answer("隐患排查的重点领域是哪些行业")
    assert answer.section == "三、要以最有力的措施推进安全隐患排查整治"
    assert answer.location == "第三部分 · 第一点"
    assert answer.answer.startswith("一是突出重点领域")
    assert len(answer.answer) <= ANSWER_BUDGET
    assert answer.document == "在迎接市安全生产督查组检查指导工作会上的讲话"


def test_passages_are_shown_as_written_even_for_traditional_questions(engine: Engine):
    answer = engine.answer("舉報有沒有獎勵")
    assert "举报奖励机制" in answer.answer  # the speech's own (Simplified) words


@pytest.mark.parametrize(
    "question",
    ["这篇讲话讲了哪几点", "讲话说了啥", "大概讲了啥", "分了几块", "我想问问这个讲话一共讲了几个方面"],
)
def test_outline_question_lists_all_six_parts(engine: Engine, question: str):
    answer = engine.answer(question)
    assert answer.kind == "outline" and answer.limit == 6
    headings, summed_up = answer.answer.split("\n")[:6], answer.answer.split("\n")[6:]
    assert headings[0].startswith("一、要以最坚定的政治觉悟") and headings[5].startswith("六、")
    # and the closing's sentence that sums the six up, shown as such
    assert len(summed_up) == 1 and "以最坚定的政治觉悟、最严格的制度保障" in summed_up[0]
    assert "结束语用一句话概括" in answer_text(answer)


def test_part_and_point_questions_are_answered_from_the_structure(engine: Engine):
    part = engine.answer("第4部分讲的什么")
    assert part.kind == "part" and part.section.startswith("四、")
    point = engine.answer("第三部分的第二点是什么")
    assert point.answer.startswith("二是强化日常监管") and point.location == "第三部分 · 第二点"


@pytest.mark.parametrize(
    ("question", "location"),
    [
        ("倒数第二部分讲什么", "第五部分"),
        ("第五部分倒数第一点", "第五部分 · 第四点"),
        ("5的第2条是啥", "第五部分 · 第二点"),
        ("六个部分里最后那一部分讲了啥", "第六部分"),
        ("第3 part的第2个point", "第三部分 · 第二点"),
        ("第五部分第3个小点讲啥", "第五部分 · 第三点"),
    ],
)
def test_parts_and_points_counted_from_the_end_or_by_bare_number(
    engine: Engine, question: str, location: str
):
    assert engine.answer(question).location == location


@pytest.mark.parametrize(
    ("question", "location"),
    [
        ("第三部分里培训怎么说的", "第三部分 · 第四点"),
        ("举报这块具体说了啥", "第四部分 · 第三点"),
        ("应急管理那一块有哪些要求", "第三部分 · 第三点"),  # a point's title, not a heading
    ],
)
def test_a_part_named_with_a_topic_its_heading_lacks_gets_that_topics_passage(
    engine: Engine, question: str, location: str
):
    answer = engine.answer(question)
    assert answer.matched and answer.location == location


@pytest.mark.parametrize(
    ("question", "part"),
    [("第二部分讲的隐患排查四个重点是啥", 3), ("第七部分说以最务实的态度推动工作,具体有哪几条", 6)],
)
def test_a_misremembered_part_number_gets_the_part_its_topic_names(engine: Engine, question: str, part: int):
    answer = engine.answer(question)
    assert answer.matched and answer.part == part


def test_a_list_asked_of_a_part_is_in_the_point_or_sentence_that_holds_it(engine: Engine):
    media = engine.answer("第四部分讲了哪些宣传渠道和媒体")  # the one point titled 多种媒体平台
    assert media.location == "第四部分 · 第一点"
    challenges = engine.answer("第六部分说要面对哪些新东西")  # its introduction lists them
    assert challenges.part == 6 and "新形势、新任务、新挑战" in challenges.answer
    assert engine.answer("第五部分都有哪些要求").kind == "part"  # the part's points


@pytest.mark.parametrize("question", ["问题查出来了一直拖着不改会咋样", "督查指出的问题不整改有什么后果"])
def test_what_happens_to_those_who_fail_is_the_sentence_that_says_so(engine: Engine, question: str):
    answer = engine.answer(question)
    assert answer.matched and answer.location == "第五部分 · 第四点"


def test_a_list_that_counts_as_many_items_as_the_part_has_points_is_those_points(engine: Engine):
    answer = engine.answer("隐患排查工作分哪四个方面")
    assert answer.kind == "points" and answer.part == 3 and "四是注重源头治理" in answer.answer


def test_what_the_opening_says_about_a_topic_is_its_sentence_on_it(engine: Engine):
    answer = engine.answer("开头对督查工作表了什么态")
    assert answer.location == "开场白" and "积极配合工作" in answer.answer


def test_a_part_named_with_a_list_question_still_gets_its_points(engine: Engine):
    answer = engine.answer("除了立即行动 第五部分还讲了哪几条")
    assert answer.kind == "part" and "二是举一反三" in answer.answer


@pytest.mark.parametrize(
    ("question", "part", "point"),
    [
        ("3.1 说的啥", 3, 1),
        ("５.２是什么内容", 5, 2),
        ("5-3讲的啥", 5, 3),
        ("五之三", 5, 3),
        ("3、2", 3, 2),
        ("三点二讲的啥", 3, 2),
        ("第三部分的二", 3, 2),
        ("第三部分第二个", 3, 2),
        ("第四部分的第三个要求", 4, 3),
        ("四(三)是什么内容", 4, 3),  # numbered as official documents do
        ("隐患排查的第四点讲的啥", 3, 4),  # a part named by its topic, then its point
        ("宣传工作里的第一条", 4, 1),
        ("4部分里的三是", 4, 3),  # a part's bare number before 部分 ("四个部分" counts them)
        ("3块的第1条", 3, 1),
        ("四、里面二是哪条", 4, 2),
    ],
)
def test_a_section_number_is_a_part_and_its_point(engine: Engine, question: str, part: int, point: int):
    answer = engine.answer(question)
    assert (answer.kind, answer.part, answer.point) == ("point", part, point)


def test_an_idiom_or_a_time_with_numerals_is_not_a_section_number(engine: Engine):
    assert engine.answer("十之八九是这样吧").kind not in ("point", "part", "no_part")
    assert engine.answer("三点半开会").kind not in ("point", "part", "no_part")


@pytest.mark.parametrize(
    "question",
    [
        "这篇讲话讲的是什么",
        "每部分标题列一下",
        "各部分的小标题",
        "一共分了几大部分",
        "六个最各是哪部分的标题",
    ],
)
def test_the_outline_asked_for_in_other_words(engine: Engine, question: str):
    assert engine.answer(question).kind == "outline"


def test_the_six_superlatives_are_the_closing_sentence_that_names_them(engine: Engine):
    answer = engine.answer("六个“最”分别是什么")
    assert answer.kind == "closing" and "最严格的制度保障、最有力的措施" in answer.answer


def test_part_written_with_the_variant_character_is_that_part(engine: Engine):
    assert engine.answer("第3部份").part == 3


def test_a_parts_opening_or_closing_sentence_is_that_parts_not_the_speechs(engine: Engine):
    first = engine.answer("第四部分开头第一句是啥")
    assert first.part == 4 and first.answer.startswith("安全生产不仅是政府和企业的责任")
    last = engine.answer("第三部分最后一句话是啥")
    assert last.part == 3 and last.answer.startswith("通过这些措施,确保安全隐患排查整治工作取得实效")
    assert engine.answer("第三部分最后一点").point == 4  # a point, not a sentence
    assert engine.answer("开头第一段").kind == "opening"  # 第一段 is the speech's opening
    assert engine.answer("开头第一句").kind == "opening"
    point_end = engine.answer("第四部分第四点最后一句")  # a point's end is in that point
    assert (point_end.part, point_end.point) == (4, 4)


def test_the_first_paragraph_is_the_opening_and_the_last_one_the_closing(engine: Engine):
    assert engine.answer("开头第一段讲的啥").kind == "opening"
    assert engine.answer("开头第一段讲了哪几件事").kind == "opening"  # 件事 names no topic
    assert engine.answer("最后那段总结讲了什么").kind == "closing"


def test_a_part_that_does_not_exist_is_not_invented(engine: Engine):
    answer = engine.answer("第九部分讲什么")
    assert answer.kind != "part"


def test_list_question_gets_the_points_of_the_part_it_names(engine: Engine):
    answer = engine.answer("隐患排查有哪些措施")
    assert answer.kind == "points"
    assert answer.answer == "一是突出重点领域；二是强化日常监管；三是加强应急管理；四是注重源头治理。"


def test_opening_and_closing_questions_get_the_first_real_words(engine: Engine):
    opening = engine.answer("讲话一开头讲了啥")
    assert opening.kind == "opening" and opening.answer.startswith("首先,我代表xx区委、区政府")
    closing = engine.answer("结尾说了什么")
    assert closing.kind == "closing" and closing.location == "结束语" and closing.answer.startswith("总之")


def test_decline_offers_up_to_three_nearby_topics(engine: Engine):
    answer = engine.answer("安全生产许可证去哪个窗口办理")
    assert not answer.matched
    assert 1 <= len(answer.suggestions) <= 3
    for suggestion in answer.suggestions:
        assert engine.passage_answer(suggestion.key).matched


@pytest.mark.parametrize("question", ["灭火器怎么用", "股票明天涨不涨"])
def test_a_question_about_something_else_gets_no_unrelated_topics(engine: Engine, question: str):
    answer = engine.answer(question)
    assert not answer.matched and answer.suggestions == []


@pytest.mark.parametrize("question", ["讲话里提没提残疾人", "有没有提到老年人"])
def test_asked_whether_it_mentions_something_it_never_names_the_speech_says_no(engine: Engine, question: str):
    assert not engine.answer(question).matched  # 提 frames the question, it is no topic


def test_unrelated_questions_are_declined_with_a_low_score(engine: Engine):
    for question in ("明天北京会下雪吗", "推荐几本小说", "python 怎么安装"):
        answer = engine.answer(question)
        assert not answer.matched and answer.confidence < engine.threshold


def test_a_tapped_suggestion_and_more_context(engine: Engine):
    answer = engine.answer("举报奖励")
    again = engine.passage_answer(answer.key)
    assert again.answer == answer.answer
    view = engine.context(answer.key)
    assert (
        view.section.startswith("四、") and answer.answer in view.text and len(view.text) > len(answer.answer)
    )
    start, end = view.focus
    assert "举报奖励" in view.text[start:end]
    assert engine.passage_answer("9:9.9.9") is None
    assert engine.context("nonsense") is None


def test_search_finds_every_sentence_with_the_word(engine: Engine):
    found = engine.search("应急")
    assert found and all("应急" in p.text for p in found)
    assert engine.search("不存在的词") == []


def test_threshold_is_the_single_knob(engine: Engine):
    answer = engine.answer("举报违法行为有奖励吗")
    assert answer.matched and answer.kind == "passage"
    assert engine.with_threshold(answer.confidence).answer(answer.question).matched
    assert not engine.with_threshold(answer.confidence + 0.001).answer(answer.question).matched
    assert engine.with_threshold(0.0).answer("督查组住哪个宾馆").matched


def test_traditional_script_gets_the_same_answer_as_simplified(engine: Engine):
    import opencc

    from bot.core.curated import load_curated
    from tests.conftest import KNOWLEDGE

    to_traditional = opencc.OpenCC("s2t")
    questions = [q for pair in load_curated(KNOWLEDGE).pairs for q in pair.questions] + [
        i["q"] for i in ITEMS
    ]
    differ = []
    for question in questions:
        simplified, traditional = engine.answer(question), engine.answer(to_traditional.convert(question))
        if (simplified.matched, simplified.answer) != (traditional.matched, traditional.answer):
            differ.append(question)
    assert not differ


def test_homophone_typos_of_the_speech_terms_are_repaired(engine: Engine):
    """Each term of the user dictionary with one character swapped for a homophone (an IME slip)."""
    import random
    from collections import defaultdict

    from pypinyin import lazy_pinyin

    from bot.core.resources import common_chars
    from tests.conftest import KNOWLEDGE

    homophones = defaultdict(list)
    for ch in common_chars():
        homophones[lazy_pinyin(ch)[0]].append(ch)
    rng = random.Random(1)
    terms = [
        line.split()[0]
        for line in (KNOWLEDGE / "userdict.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    found, asked = 0, 0
    for term in terms:
        if len(term) < 2:
            continue
        i = rng.randrange(len(term))
        others = [c for c in homophones[lazy_pinyin(term[i])[0]] if c != term[i]]
        if not others:
            continue
        typo = term[:i] + rng.choice(others) + term[i + 1 :]
        answer = engine.answer(typo)
        asked += 1
        found += answer.matched and term in (answer.section or "") + answer.answer
    assert found / asked >= 0.95, f"{found}/{asked}"


def test_a_replaced_engine_is_freed(engine: Engine):
    """After /reload the old engine must not stay alive (a method cache once kept every one)."""
    import gc
    import weakref

    old = engine.with_threshold(engine.threshold)
    old.answer("隐患排查有哪些措施")  # the paths that once cached per-engine data
    old.answer("第三部分讲了什么")
    ref = weakref.ref(old)
    del old
    gc.collect()
    assert ref() is None


@pytest.mark.parametrize(
    ("question", "location"),
    [("daily巡查是怎么安排的", "第三部分 · 第二点"), ("training这块讲话怎么说的", "第三部分 · 第四点")],
)
def test_common_english_words_among_chinese_are_read_as_their_chinese_word(
    engine: Engine, question: str, location: str
):
    answer = engine.answer(question)
    assert answer.matched and answer.location == location


def test_pinyin_words_are_read_one_by_one_when_the_whole_run_is_not_the_speech_s(engine: Engine):
    # "zenme gao" is no word of the speech: "yinhuan paicha" still is.
    answer = engine.answer("yinhuan paicha zenme gao")
    assert answer.matched and "隐患排查" in answer.answer


@pytest.mark.parametrize("question", ["问责是怎么规定的", "隐患排查重点查哪些行业", "举报有奖励吗"])
def test_a_polite_opener_changes_nothing(engine: Engine, question: str):
    plain, polite = engine.answer(question), engine.answer("请问" + question)
    assert (polite.matched, polite.key, polite.confidence) == (plain.matched, plain.key, plain.confidence)


def test_two_parts_or_topics_asked_at_once_are_both_answered(engine: Engine):
    parts = engine.answer("第二部分和第五部分分别讲了什么")
    assert parts.part == 2 and [a.part for a in parts.more] == [5]
    topics = engine.answer("创新驱动和协同合作分别是什么")
    assert (topics.point, topics.more[0].point) == (2, 3)
    # "X和Y" naming one thing is one question.
    assert engine.answer("安全生产和社会稳定是什么关系").more == ()


def test_two_questions_in_one_message_are_both_answered_but_a_detail_asked_after_is_not(engine: Engine):
    both = engine.answer("举报有奖励吗？应急演练怎么搞？")
    assert both.location == "第四部分 · 第三点" and [a.location for a in both.more] == ["第三部分 · 第三点"]
    assert not engine.answer("应急预案要怎么写?有没有模板可以参考").matched  # the template is the question
    parts = engine.answer("第三部分讲什么？第五部分呢？")  # the whole is part three, sure: still both
    assert parts.part == 3 and [a.part for a in parts.more] == [5]
    # Saying first that several questions come, then asking them: all are answered.
    several = engine.answer("我一次问几个哈 讲话是欢迎谁的？一共分几部分？")
    assert (
        several.kind == "passage"
        and "欢迎" in several.answer
        and [a.kind for a in several.more] == ["outline"]
    )
    # Where the first stands is shown with it, not answered apart as the outline.
    located = engine.answer("回头看是什么意思？在第几部分？")
    assert located.location == "第五部分 · 第三点" and located.more == ()
    # Without question marks: joined by 另外/还有, or a second topic asked with 呢.
    joined = engine.answer("举报能拿奖励不 另外应急演练要怎么搞")
    assert [a.location for a in (joined, *joined.more)] == ["第四部分 · 第三点", "第三部分 · 第三点"]
    second = engine.answer("讲话里问题导向指的啥 协同合作呢")
    assert [a.location for a in (second, *second.more)] == ["第六部分 · 第一点", "第六部分 · 第三点"]


@pytest.mark.parametrize(
    ("question", "written"), [("讲话里提没提19大", "十九大"), ("18大以来中央领导强调了啥", "十八大")]
)
def test_a_number_typed_in_digits_meets_the_numerals_the_speech_writes(engine: Engine, question, written):
    answer = engine.answer(question)
    assert answer.matched and written in answer.answer


def test_a_list_question_gets_the_passage_that_lists_that_kind_of_thing(engine: Engine):
    # 建筑施工、道路交通、消防、危险化学品等重点行业领域 lists the 行业; the part's points do not.
    for question in (
        "听说要搞隐患排查整治 主要针对哪些行业",
        "隐患排查要盯住哪些行业",
    ):  # 盯住哪 asks no place
        answer = engine.answer(question)
        assert answer.matched and "建筑施工、道路交通、消防、危险化学品" in answer.answer, question


def test_a_part_asked_for_in_detail_is_given_in_full(engine: Engine):
    titles = engine.answer("第六部分讲了什么")
    full = engine.answer("第六部分的四条具体是啥")
    assert full.matched and full.location == titles.location
    assert len(full.answer) > 2 * len(titles.answer) and "精准发力" in full.answer


def test_the_salutation_answers_whom_the_speech_addresses_not_what_its_words_name(engine: Engine):
    # 尊敬的xx组长、督查组各位成员、同志们: names the 督查组 but says nothing about it.
    sent_by = engine.answer("督查组是哪一级派来的")
    assert sent_by.matched and "市委、市政府安全生产督查组" in sent_by.answer
    audience = engine.answer("这个讲话是讲给哪些人听的")
    assert audience.matched and "督查组各位成员" in audience.answer


def test_a_typo_becomes_the_like_sounding_word_that_shares_its_characters(engine: Engine):
    # 将励 folds to the same sound as 建立 and 奖励; 励 says which. 不能 anchors no repair.
    query = engine._matcher.analyse("看到违章的能不能据报 有将励没")
    assert {"举报", "奖励"} <= set(query.words) and "建立" not in query.words
    answer = engine.answer("我在工地打工 看到违章的能不能据报 有将励没")
    assert answer.matched and "举报奖励机制" in answer.answer


@pytest.mark.parametrize(
    ("message", "locations"),
    [
        ("问几个：讲话几个部分？谁讲的？结尾说了啥？", ["全文提纲", "开场白", "结束语"]),
        (
            "1.安全生产月是什么 2.举报奖励怎么弄 3.志愿者干嘛",
            ["第四部分 · 第二点", "第四部分 · 第三点", "第四部分 · 第四点"],
        ),
        (
            "整改要求有哪些，问责怎么弄，还有创新驱动是啥",
            ["第五部分", "第五部分 · 第四点", "第六部分 · 第二点"],
        ),
    ],
)
def test_three_questions_in_one_message_are_all_answered(engine: Engine, message: str, locations: list[str]):
    answer = engine.answer(message)
    assert [answer.location, *(a.location for a in answer.more)] == locations


@pytest.mark.parametrize("question", ["‘举一反三’在第几部分第几条", "举一反三在哪部分", "立行立改是哪一点"])
def test_asked_where_a_phrase_stands_the_passage_and_its_place_answer(engine: Engine, question: str):
    answer = engine.answer(question)
    assert answer.matched and answer.missing is None and answer.location.startswith("第五部分")


def test_asked_whether_fixing_the_one_problem_is_enough_the_answer_says_what_more(engine: Engine):
    # 不仅要解决具体问题,还要查找深层次原因 answers "is that enough", not 立即整改.
    answer = engine.answer("整改是不是把查出来那个问题解决了就行")
    assert answer.matched and "不仅要解决具体问题" in answer.answer


@pytest.mark.parametrize(
    "question", ["安全生产只是老板的事吗 我们打工的管不着吧", "安全不就是企业自己的事嘛 跟居民啥关系"]
)
def test_asked_whether_it_is_only_someones_business_the_answer_says_whose_else(engine: Engine, question: str):
    answer = engine.answer(question)
    assert answer.matched and "更是全社会的共同任务" in answer.answer


@pytest.mark.parametrize("question", ["督查结束以后 安全生产就算完事了吧", "迎检结束 安全生产就算完事了吗"])
def test_asked_whether_it_is_ever_done_a_passage_saying_it_never_is_stays_first(
    engine: Engine, question: str
):
    # 是一项长期而艰巨的任务 says no; promoting the runner-up that says 不仅仅是口号 answered beside it.
    answer = engine.answer(question)
    assert answer.matched and "长期而艰巨" in answer.answer


def test_a_question_without_a_question_word_before_thanks_is_answered_not_thanked(engine: Engine):
    # 抬到多高的位置 asks how high, without 吗/啥; 多高的位置 is a level, not a height in metres.
    answer = engine.answer("讲话把安全生产抬到多高的位置了 谢谢啦")
    assert answer.kind != "smalltalk" and answer.matched and answer.missing is None


def test_english_thanks_after_an_outline_question_changes_nothing(engine: Engine):
    assert engine.answer("这篇讲话一共分几块 每块讲啥 thx").kind == "outline"


def test_a_request_for_plain_words_before_the_question_is_left_out(engine: Engine):
    plain = engine.answer("这个讲话是欢迎谁的?")
    asked = engine.answer("请用简单的中文回答:这个讲话是欢迎谁的?")
    assert asked.matched and asked.key == plain.key and asked.question.startswith("请用")


@pytest.mark.parametrize("question", ["第五部分的四点再列一下", "第五部分的重點是什麼"])
def test_a_parts_points_asked_again_or_as_its_key_points_are_listed(engine: Engine, question: str):
    answer = engine.answer(question)
    assert answer.kind == "part" and answer.limit == 4 and answer.location == "第五部分"


def test_what_the_opening_says_about_a_topic_is_not_its_salutation(engine: Engine):
    # The salutation names the 督查组 but says nothing of how to treat it.
    stance = engine.answer("开头表态说要怎么对待督查组")
    assert stance.matched and "主动接受督查" in stance.answer
    greeted = engine.answer("讲话一开头是跟谁打招呼的")  # whom it greets: the salutation, as meta
    assert greeted.kind == "meta" and "督查组各位成员" in greeted.answer


@pytest.mark.parametrize("message", ["安全这摊事要抓到什么时候才算到头", "安全生产是不是有个终点"])
def test_asked_when_it_will_ever_be_over_the_answer_says_it_never_is(engine, message: str):
    # Not declined for lacking a date: the question asks whether it ends, not on which day.
    answer = engine.answer(message)
    assert answer.matched and "没有终点" in answer.answer


@pytest.mark.parametrize("message", ["有责那句话原文", "讲话里那几个有责的说法是啥"])
def test_a_saying_recalled_by_a_fragment_no_word_of_which_is_indexed_is_found(engine, message: str):
    # 有责 is cut 有/责 in the question and kept whole in 人人有责 in the speech: the character pairs
    # find the passage; and 几个…的说法 names the saying, it counts nothing.
    answer = engine.answer(message)
    assert answer.matched and "人人有责" in answer.answer


def test_who_was_punished_by_name_is_not_answered_by_the_promise_to_punish(engine):
    # The speech says those who fail will be held to account; it names no one who was.
    assert not engine.answer("哪几个单位因为隐患整改不到位被通报了").matched

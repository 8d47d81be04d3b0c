"""Conversation behaviour: small talk, follow-ups against the last answer, foreign questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import messages
from bot.core.answers import PASSAGE_KINDS
from bot.core.conversation import Conversation
from bot.core.dialogue import RULES, is_foreign, is_pinyin
from bot.core.engine import Engine
from bot.core.evaluate import DIALOGUE_TYPES, judge_turn, load_conversations
from tests.test_cli import speech_bot

DATA = Path(__file__).parent / "data"
CONVERSATIONS = DATA / "conversations.jsonl"
OWN_CONVERSATIONS = DATA / "conversations_own.jsonl"
LABELLED = DATA / "labelled.jsonl"
GOAL = 0.90  # share of follow-up, small-talk and clarify turns answered right


def talk(engine: Engine, *questions: str, conversation: Conversation | None = None):
    """The answers to questions asked one after another in one conversation."""
    conversation = conversation if conversation is not None else Conversation()
    return [engine.answer(q, conversation=conversation) for q in questions]


# ---- small talk ------------------------------------------------------------------------------

SMALLTALK = {
    "greeting": [
        "你好呀 有人在吗",
        "师傅们好",
        "老板们好",
        "你号啊",  # typed with a homophone
        "你好",
        "您好！",
        "在吗?",
        "早上好呀",
        "hello",
        "Hi",
        "您好啊小机器人",
        "你好，我想问问",
        "小同志你好啊",  # the form of address before the greeting
        "你好，想问个事",
        "老师好",
    ],
    "thanks": [
        "thanks a lot!",
        "谢谢",
        "谢谢啦",
        "谢谢你啊",
        "谢谢你啊机器人",
        "多谢",
        "ok谢了",
        "收到 谢谢",
        "好的，谢谢",
        "辛苦了",
        "謝謝",
        "太感谢了，帮大忙了",
        "OK 谢谢老铁",
        "多謝晒",  # Cantonese
        "谢",
        "感恩🙏",
        "谢谢学长",
        "好的 谢谢经理我懂了",
    ],
    "ack": [
        "好的",
        "好的收到",
        "收到",
        "明白了",
        "懂了",
        "ok",
        "OK",
        "嗯嗯 知道了",
        "行 明白了",
        "好嘞",
        "👍👍",
        "你真棒",
        "666",
        "讲得真好",
        "行吧 也就这样",
        "嗯 这次对了",
    ],
    "who": ["你是谁", "你是谁啊", "你是机器人吗"],
    "abilities": ["你能做什么", "你会干啥", "你能回答什么问题", "你能干嘛"],
    "bye": [
        "再见",
        "拜拜",
        "好吧 再见",
        "88",
        "再贱",
        "谢谢啊，下班了拜拜",
        "现在送单去了 88",
        "行吧 收摊了",
        "再会",
    ],
    "laugh": ["哈哈", "哈哈哈哈", "hhh", "😂", "哈哈 行"],
    "chat": ["你觉得这套政策到底好不好,有没有用", "您认为这篇讲话写得怎么样"],  # an opinion
    "complaint": [
        "不对",
        "你说的不对",
        "答非所问",
        "你好笨",
        "说了等于没说",
        "你说错了吧",
        "垃圾机器人",
        "快点 别废话",
    ],
}


@pytest.mark.parametrize(("kind", "text"), [(k, t) for k, texts in SMALLTALK.items() for t in texts])
def test_small_talk_gets_a_friendly_reply_not_a_passage(engine: Engine, kind: str, text: str):
    answer = engine.answer(text)
    assert (answer.kind, answer.smalltalk, answer.matched, answer.band) == ("smalltalk", kind, False, "none")


def test_every_small_talk_question_of_the_labelled_set_is_small_talk(engine: Engine):
    items = [json.loads(line) for line in LABELLED.read_text("utf-8").splitlines() if line.strip()]
    chat = [item["q"] for item in items if item["cat"] == "smalltalk"]
    assert len(chat) > 30
    assert [q for q in chat if engine.answer(q).kind != "smalltalk"] == []


@pytest.mark.parametrize(
    "question", ["好的做法有哪些", "行业协会有啥作用", "早发现早治理是什么意思", "谢谢大家"]
)
def test_words_that_start_like_a_pleasantry_are_still_questions(engine: Engine, question: str):
    assert engine.answer(question).kind != "smalltalk"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("谢谢，那整改有什么要求", "立即行动"),
        ("你好 请问举报有奖励吗", "举报奖励机制"),
        ("好的 那应急预案呢", "完善应急预案"),
        ("那算了 安全设备要配吗", "配备必要的安全设备"),
    ],
)
def test_a_pleasantry_in_front_of_a_question_is_dropped(engine: Engine, question: str, expected: str):
    answer = engine.answer(question)
    assert answer.matched and expected in answer.answer
    assert answer.question == question


def test_a_pleasantry_in_front_of_a_follow_up_resolves_it(engine: Engine):
    _, second = talk(engine, "第五部分讲了什么", "好的 那第二点呢")
    assert second.kind == "point" and "举一反三" in second.answer


# ---- follow-ups ------------------------------------------------------------------------------

RULE_EXAMPLES = {
    "step": [
        "下一点",
        "上一点",
        "下一部分",
        "上一部分",
        "再下一点",
        "那上一点呢",
        "下一部分讲啥",
        "后面还有一句吧 完整的",
    ],
    "go_on": ["然后呢", "接着说", "继续", "它后面接的是啥"],
    "nth_point": [
        "那第二点呢",
        "它的第四点呢",
        "第三点",
        "第二点展开讲讲",
        "那最后一点呢",
        "第１点",
        "第四点再说说",
        "第三个是啥",
        "第二个呢",
    ],
    "sure": ["你确定?", "确定吗", "真的假的", "没骗我吧", "你刚才说的对吗", "上面回答的有没有错"],
    "heading": ["这部分标题是啥", "这块的题目呢"],
    "shorter": [
        "说人话",
        "简单点说",
        "太长了",
        "一句话概括",
        "说重点",
        "通俗点",
        "能短点吗",
        "精简一点",
        "能说得再简单一点吗",
        "太长了 一句话",
        "短一点 一句话就行",
        "缩成一句话",
    ],
    "repeat": ["再说一遍", "刚才那条再说一遍"],
    "not_there": ["不对吧 不是第三部分吗", "应该是第二部分吧", "难道不是第5块"],
    "detail": [
        "详细说说",
        "具体点",
        "展开讲讲",
        "展开说说",
        "原文",
        "详细点",
        "能详细说说吗",
        "什么意思",
        "举个例子",
    ],
    "more": ["还有呢", "还有吗", "其他的呢", "还有别的吗", "其他几点呢", "还有呢还有别的吗"],
}


@pytest.mark.parametrize(("rule", "text"), [(r, t) for r, texts in RULE_EXAMPLES.items() for t in texts])
def test_follow_up_rule_recognises_its_examples(rule: str, text: str):
    from bot.core.dialogue import _compact
    from bot.core.text import Normalizer

    assert RULES[rule].match(_compact(Normalizer()(text))), f"rule {rule!r} no longer matches {text!r}"


def test_next_and_previous_point_and_part(engine: Engine):
    answers = talk(engine, "第三部分第二点", "下一点", "下一点", "下一点", "上一部分", "上一点")
    assert [(a.part, a.point) for a in answers] == [(3, 2), (3, 3), (3, 4), (4, 1), (3, None), (2, None)]


def test_a_bare_point_number_after_a_part_means_that_parts_point(engine: Engine):
    first, second, third = talk(engine, "第３部分讲了啥", "它的第四点呢", "第一点")
    assert first.kind == "part"
    assert (second.part, second.point) == (3, 4) and "注重源头治理" in second.answer
    assert (third.part, third.point) == (3, 1)


def test_a_point_the_last_part_does_not_have_is_said_so(engine: Engine):
    from bot import formatting, messages

    _, none, beyond = talk(engine, "第二部分讲什么", "那第二点呢", "第三部分第五点")
    assert (none.kind, none.limit) == ("no_point", 0)
    assert messages.NO_POINTS.format(part="二") in formatting.answer_text(none)
    assert beyond.kind == "no_point" and beyond.limit == 4


def test_next_part_after_the_opening_and_previous_part_after_the_closing(engine: Engine):
    assert talk(engine, "讲话开头说了啥", "下一部分")[1].part == 1
    assert talk(engine, "讲话最后怎么收尾的", "上一部分")[1].part == 6


def test_more_detail_is_the_context_around_the_last_passage(engine: Engine):
    point, more = talk(engine, "隐患排查重点查哪些行业啊", "详细说说")
    assert (more.kind, more.matched, more.key) == ("context", True, point.key)
    assert point.answer in more.answer and len(more.answer) > len(point.answer)


def test_more_detail_after_a_part_is_the_part_in_full(engine: Engine):
    part, more = talk(engine, "第一部分说的啥", "具体点")
    assert more.kind == "context" and more.part == 1
    assert part.answer.endswith("…") and "抓早、抓好" in more.answer  # the whole part, not a cut


def test_whats_more_lists_the_other_points_of_the_part(engine: Engine):
    point, others, previous = talk(engine, "举报违法行为有奖吗", "还有呢", "上一点")
    assert point.point == 3
    assert others.kind == "points"
    for title in ("一是利用多种媒体平台", "二是深入开展", "四是充分发挥行业协会"):
        assert title in others.answer
    assert "三是" not in others.answer
    assert previous.point == 2  # navigation continues from the point the list was about


def test_why_and_how_are_about_the_last_topic(engine: Engine):
    _, why = talk(engine, "第五部分第二点", "为什么")
    assert "杜绝同类问题再次发生" in why.answer
    _, how = talk(engine, "整改方案要写啥", "那怎么落实")
    assert how.kind == "points" and "一是立即行动" in how.answer
    _, why_named = talk(engine, "第三部分第四点", "为啥要搞培训")
    assert "从根本上减少事故发生" in why_named.answer


def test_a_short_question_leans_on_the_last_topic(engine: Engine):
    _, leaning = talk(engine, "安全生产月都搞些啥活动", "学校能参加吗")
    assert leaning.matched and "社区、学校、企业等单位" in leaning.answer
    assert leaning.question == "学校能参加吗"


def test_a_question_off_the_last_topic_is_not_forced_onto_it(engine: Engine):
    _, other = talk(engine, "行业协会有啥作用", "问题整改有时限吗")
    assert other.part == 5
    _, declined = talk(engine, "宣传主要靠哪些渠道", "会不会直接撤职")
    assert not declined.matched
    # Short, but answered surely on its own: not the last passage again.
    _, new_topic = talk(engine, "举报有奖励吗", "隐患怎么查")
    assert new_topic.part == 3, new_topic.answer
    # "整改" (and a typo of it) names a topic the last part only brushes: not its surroundings.
    for question in ("整改有啥要求", "整该有啥要求"):
        _, other_part = talk(engine, "考核怎么搞", question)
        assert other_part.part == 5 and other_part.kind != "context", (question, other_part.answer)


@pytest.mark.parametrize(
    "question", ["下一点", "那第二点呢", "详细说说", "还有呢", "为什么", "咋做", "上一部分"]
)
def test_a_follow_up_without_context_asks_back(engine: Engine, question: str):
    answer = engine.answer(question, conversation=Conversation())
    assert (answer.kind, answer.matched, answer.band) == ("clarify", False, "none")


def test_small_talk_and_declines_keep_the_last_topic(engine: Engine):
    answers = talk(engine, "应急演练要不要搞", "谢谢", "安全帽多少钱", "下一点")
    assert [a.kind for a in answers[1:3]] == ["smalltalk", "declined"]
    assert (answers[3].part, answers[3].point) == (3, 4)


def test_context_expires_after_the_ttl(engine: Engine):
    conversation = Conversation(ttl=60.0)
    talk(engine, "第三部分第二点", conversation=conversation)
    assert talk(engine, "下一点", conversation=conversation)[0].point == 3
    conversation.updated -= 61.0  # a minute idle
    assert talk(engine, "下一点", conversation=conversation)[0].kind == "clarify"


def test_two_conversations_do_not_share_context(engine: Engine):
    alice, bob = Conversation(), Conversation()
    engine.answer("第五部分第一点", conversation=alice)
    engine.answer("第三部分第三点", conversation=bob)
    assert engine.answer("下一点", conversation=alice).location.startswith("第五部分 · 第二点")
    assert engine.answer("下一点", conversation=bob).location.startswith("第三部分 · 第四点")
    assert engine.answer("下一点", conversation=Conversation()).kind == "clarify"


def test_without_a_conversation_answers_are_stateless(engine: Engine):
    engine.answer("第五部分第一点")
    assert engine.answer("下一点").kind != "point"


# ---- foreign questions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "What is this speech about?",
        "Can you speak English?",
        "can you answer in english",
        "こんにちは",
        "Привет, как дела",
    ],
)
def test_a_foreign_question_gets_the_bilingual_note(engine: Engine, question: str):
    answer = engine.answer(question)
    assert (answer.kind, answer.matched) == ("foreign", False)


@pytest.mark.parametrize("question", ["yinhuan paicha", "anquan shengchan", "应急预案 pdf", "app上能举报吗"])
def test_pinyin_and_english_words_inside_chinese_are_content(engine: Engine, question: str):
    assert not is_foreign(question)
    assert engine.answer(question).kind != "foreign"


def test_pinyin_words_are_recognised():
    assert all(map(is_pinyin, ["yinhuan", "paicha", "zhenggai", "anquan", "xiaofang"]))
    assert not any(map(is_pinyin, ["what", "speech", "safety", "english"]))


# ---- the conversations, through the command line ---------------------------------------------


def _dialogue_score(path: Path) -> tuple[int, int]:
    conversations = load_conversations(path)
    stdin = "\n\n".join("\n".join(t["q"] for t in c["turns"]) for c in conversations) + "\n"
    run = speech_bot("ask", "--conversation", "--json", stdin=stdin)
    assert run.returncode == 0, run.stderr
    replies = iter(json.loads(line) for line in run.stdout.splitlines())
    passed = total = 0
    for conversation in conversations:
        for turn in conversation["turns"]:
            reply = next(replies)
            assert reply["question"] == turn["q"]
            if turn["type"] in DIALOGUE_TYPES:
                total += 1
                passed += judge_turn(turn["expect"], _Reply(reply))
    return passed, total


class _Reply:
    """An `ask --json` object read back with the attributes `judge_turn` looks at."""

    def __init__(self, data: dict) -> None:
        self.__dict__.update(data)


@pytest.mark.parametrize("path", [CONVERSATIONS, OWN_CONVERSATIONS], ids=["colleague", "own"])
def test_ask_conversation_gets_follow_ups_and_small_talk_right(path: Path):
    passed, total = _dialogue_score(path)
    assert total > 50
    assert passed / total >= GOAL, f"{passed}/{total} follow-up, small-talk and clarify turns right"


def test_follow_ups_after_the_outline_read_its_parts(engine: Engine):
    outline, second = talk(engine, "讲话分哪几个部分", "那第二点呢")
    assert outline.kind == "outline" and (second.kind, second.part) == ("part", 2)
    assert talk(engine, "讲了哪几点", "下一部分")[1].part == 1


def test_a_why_or_how_question_naming_the_topic_gets_its_own_answer_from_the_same_part(engine: Engine):
    _, own = talk(engine, "第五部分第三点", "整改有什么要求")
    assert own.part == 5 and "一是立即行动" in own.answer
    _, why = talk(engine, "第五部分", "为啥要回头看")
    assert why.point == 3


FOLLOW_UP_WORDS = [
    *[t for texts in RULE_EXAMPLES.values() for t in texts],
    *[
        "为什么",
        "咋做",
        "学校能参加吗",
        "第九点",
        "第0点",
        "下一部分",
        "谢谢，那第二点呢",
        "讲话提纲",
        "结尾讲了啥",
    ],
    *["第六部分第四点", "第一部分", "讲话开头说了啥", "安全帽多少钱", "hello", "举报有奖励吗", ""],
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(FOLLOW_UP_WORDS), max_size=8))
def test_any_sequence_of_follow_ups_gets_well_formed_replies(engine: Engine, questions: list[str]):
    conversation = Conversation()
    for question in questions:
        answer = engine.answer(question, conversation=conversation)
        assert answer.matched == (answer.kind in PASSAGE_KINDS)
        assert answer.question == question
        if answer.matched:
            assert answer.answer and len(answer.answer) <= 600


@pytest.mark.parametrize(
    "message",
    [
        "老板们好，我开了个小饭馆",
        "我退休了在家没事看看这个讲话",
        "Hi，我是化工厂的安全engineer，做HAZOP的",
        "我是村支书，村里要开会传达这个讲话",  # a plan told, not asked
        "我是外卖站点站长 管三十几个骑手",  # a rough number told
        "喂喂你好我是老张今年七十二了用语音打字的",  # no comma after the greeting
        "我开了家小超市 十几个店员 仓库堆了不少货",  # 十几 told, not 几 asked
    ],
)
def test_a_message_that_only_tells_about_the_asker_is_greeted_not_declined(engine: Engine, message: str):
    answer = engine.answer(message)
    assert (answer.kind, answer.smalltalk) == ("smalltalk", "intro")


def test_questions_typed_in_cantonese_are_read(engine: Engine):
    assert engine.answer("呢篇講話講咩㗎").kind == "outline"
    reward = engine.answer("舉報有冇獎勵")
    assert reward.matched and reward.location == "第四部分 · 第三点"
    # 邊幾個 asks which ones, not how many; 唔…會點 asks what happens if not.
    fields = engine.answer("排查嘅重點係邊幾個領域")
    assert fields.matched and "建筑施工" in fields.answer
    assert "严肃追究责任" in engine.answer("拖住唔整改會點").answer


@pytest.mark.parametrize(
    "message",
    [
        "您好，我是街道干部，想确认几个情况",
        "想請教下",
        "你好 问你几个小问题哈",
        "在吗 想咨询一下",
        "我是律师，想核实讲话里的几个表述。",
        "记者，核实几处引文",
        "我想核实几个信息",
        "我是街道的安全员 有几个问题一起问",
        "我有几个小问题想请教",
        "我是记者 核对几处引语和日期",
        "我想确认几个说法 你回答是或不是就行",
        "我先贴一句话 你帮我查查在哪",
        "想找几处原文 写报告用",
    ],
)
def test_saying_questions_will_follow_is_greeted_not_declined(engine: Engine, message: str):
    answer = engine.answer(message)
    assert answer.kind == "smalltalk" and not answer.matched and answer.missing is None


@pytest.mark.parametrize("message", ["帮我起草一份讲话稿", "给我翻译成英文", "写一首关于安全的诗"])
def test_a_task_the_bot_does_not_do_is_said_plainly(engine: Engine, message: str):
    answer = engine.answer(message)
    assert (answer.kind, answer.smalltalk, answer.matched) == ("smalltalk", "task", False)


def test_a_yes_no_question_ending_in_bu_before_thanks_is_answered(engine: Engine):
    answer = engine.answer("隐患排查算是关键环节不 谢了")
    assert answer.matched and "关键环节" in answer.answer


def test_follow_ups_typed_in_pinyin_are_resolved(engine: Engine):
    conversation = Conversation()
    engine.answer("日常监管咋搞", conversation=conversation)
    for message in ("xiayidian", "xia yi dian"):
        step = engine.answer(message, conversation=conversation)
        assert step.kind == "point" and step.matched, message


def test_a_self_introduction_is_greeted_and_does_not_hide_the_question(engine: Engine):
    alone = engine.answer("我是安监局的")
    assert (alone.kind, alone.smalltalk, alone.matched) == ("smalltalk", "intro", False)
    outline = engine.answer("我是记者，请问这次讲话有几个部分")
    assert outline.kind == "outline" and outline.question == "我是记者，请问这次讲话有几个部分"


@pytest.mark.parametrize(
    "question",
    [
        "领导让我写个学习心得，这篇讲话主要讲了啥",
        "您好，我是记者，想了解一下这篇讲话",
        "您好，我是记者，想熟悉下这篇讲话",
        "我是新来的科员 下午要给科长汇报这篇讲话的要点",
        "社区晚上开会 要传达讲话精神",
        "您好 我是物业的 经理叫我看下这篇讲话",
        "外婆问这个讲话是讲啥的",
        "这篇讲话关于什么",
    ],
)
def test_words_that_set_the_scene_do_not_hide_a_question_about_the_whole_speech(engine: Engine, question):
    answer = engine.answer(question)
    assert answer.kind == "outline" and answer.question == question


def test_a_last_clause_that_refines_the_question_is_not_answered_alone(engine: Engine):
    # "主题是啥" alone would be the speech's theme; here it asks the theme of 安全生产月.
    assert not engine.answer("讲话说今年安全生产月是几月份,主题是啥").matched


def test_stepping_past_the_last_point_reaches_the_closing_and_before_the_first_the_opening(engine: Engine):
    conversation = Conversation()
    engine.answer("第六部分第四点", conversation=conversation)
    assert engine.answer("下一点", conversation=conversation).location == "结束语"
    conversation = Conversation()
    engine.answer("第一部分讲了什么", conversation=conversation)
    assert engine.answer("上一部分", conversation=conversation).location == "开场白"


# ---- repeat, where, back, complaints -----------------------------------------------------------


@pytest.mark.parametrize(
    "again", ["再说一遍", "重复一下", "再发一次", "这段在哪部分", "出处呢", "这是第几部分的"]
)
def test_asked_again_or_where_it_is_the_last_answer_comes_back_with_its_place(engine: Engine, again: str):
    first, second = talk(engine, "举报奖励", again)
    assert (second.key, second.location) == (first.key, first.location) and second.matched


@pytest.mark.parametrize("reword", ["换个说法", "换句话说", "完整的那段"])
def test_asked_to_put_it_another_way_the_surrounding_paragraph_is_shown(engine: Engine, reword: str):
    # Asked for it plainer or shorter (通俗点讲, 说人话), the answer is cut instead (see below).
    first, second = talk(engine, "应急演练", reword)
    assert (
        second.kind == "context" and first.answer in second.answer and len(second.answer) > len(first.answer)
    )


def test_counting_points_from_the_end_stays_in_the_last_answers_part(engine: Engine):
    _, second_last, first = talk(engine, "整改台账", "倒数第二点", "第一点")
    assert (second_last.part, second_last.point) == (5, 3)  # part five has four points
    assert (first.part, first.point) == (5, 1)


def test_going_back_returns_the_answer_before_the_last(engine: Engine):
    ledger, _, back = talk(engine, "整改台账", "那举报呢", "回到刚才那个")
    assert back.key == ledger.key
    assert talk(engine, "回到刚才那个")[0].kind == "clarify"  # nothing to go back to


def test_a_complaint_is_apologised_for_with_other_close_passages(engine: Engine):
    first, sorry = talk(engine, "举报奖励", "不对")
    assert (sorry.kind, sorry.smalltalk, sorry.matched) == ("smalltalk", "complaint", False)
    assert sorry.suggestions and first.key not in {s.key for s in sorry.suggestions}
    assert engine.answer("答非所问").suggestions == []  # no last question: just the apology


def test_asking_for_more_after_everything_was_shown_moves_on(engine: Engine):
    # The first answer is part two's whole paragraph: more is the next part, not the block again.
    whole, after = talk(engine, "考核评价机制", "还有呢")
    assert whole.part == 2 and after.part == 3
    # After a part's points: the part in full, then the next part (not the points again).
    points, full, following = talk(engine, "第六部分", "还有呢", "还有呢")
    assert full.kind == "context" and full.answer != points.answer and full.part == 6
    assert following.location == "结束语"


def test_more_detail_after_a_point_marks_the_point_inside_the_paragraph(engine: Engine):
    point, detail = talk(engine, "第五部分第二点", "详细说说")
    assert detail.focus is not None
    start, end = detail.focus
    assert detail.answer[start:end] == point.answer


@pytest.mark.parametrize("who_said", ["这是谁说的", "谁说的这句话"])
def test_who_said_it_after_a_quote_names_whom_it_quotes_not_the_speaker(engine: Engine, who_said: str):
    from bot.formatting import answer_text

    quote, who = talk(engine, "红线是啥意思", who_said)
    assert (who.kind, who.key) == ("quote", quote.key) and who.focus is not None
    start, end = who.focus
    assert who.answer[start:end].startswith("习近平总书记")
    assert answer_text(who).startswith(messages.QUOTED_BY.format(who=who.answer[start:end]))


def test_why_after_a_point_shows_its_surroundings_not_the_point_again(engine: Engine):
    point, why = talk(engine, "举报有奖励吗", "为什么")
    assert why.answer != point.answer and point.answer in why.answer


def test_a_question_about_a_passage_inside_the_block_just_shown_gets_that_passage(engine: Engine):
    # After the whole paragraph, 元旦春节有什么要求 is the sentence about the holidays, not the block again.
    _, block, exact = talk(engine, "习近平说了什么", "十九大报告怎么说的", "元旦春节有什么要求")
    assert exact.kind == "passage" and "元旦" in exact.answer and len(exact.answer) < len(block.answer)


def test_the_sentence_before_or_after_the_last_answer(engine: Engine):
    first, before, after = talk(engine, "“不留死角、不走过场”出自哪里", "前一句是什么", "后面一句呢")
    assert before.answer.startswith("隐患排查是安全生产工作的关键环节") and before.part == first.part == 3
    assert after.answer.startswith("为此,我们按照市委、市政府的要求")


@pytest.mark.parametrize(
    "again", ["谁说的", "这句在第几部分第几段", "哪里说的", "原话再发一遍", "完整句子发我"]
)
def test_who_said_it_where_and_send_it_again_show_the_last_answer(engine: Engine, again: str):
    first, second = talk(engine, "安全生产是不是红线", again)
    assert second.key == first.key and "习近平总书记" in second.answer


def test_how_many_points_this_part_has_is_that_part_with_its_count(engine: Engine):
    _, count = talk(engine, "第五部分", "这部分讲了几点")
    assert (count.kind, count.part, count.limit) == ("part", 5, 4)
    _, none = talk(engine, "第一部分", "它有几点")  # part one has no points: say so
    assert (none.kind, none.part, none.limit) == ("no_point", 1, 0)


def test_the_other_points_are_not_counted_as_the_whole_part(engine: Engine):
    _, others = talk(engine, "注重源头治理", "还有吗")
    assert others.kind == "points" and others.limit == 0 and "四是" not in others.answer


def test_a_point_of_the_next_part_and_how_to_do_this_point(engine: Engine):
    _, nxt = talk(engine, "举报奖励", "下一部分第二点")
    assert (nxt.part, nxt.point) == (5, 2)
    first, how = talk(engine, "利用多种媒体平台", "这一点具体怎么做")
    assert (how.part, how.point) == (first.part, first.point) == (4, 1)


@pytest.mark.parametrize("what", ["它的意思是", "它具体指什么", "那这个呢"])
def test_what_it_means_shows_the_last_answers_surroundings(engine: Engine, what: str):
    first, second = talk(engine, "举报奖励是怎么回事", what)
    assert second.kind == "context" and first.answer in second.answer


@pytest.mark.parametrize(
    ("first", "then", "point"),
    [
        ("如果整改不到位", "会怎样", (5, 4)),
        ("讲话里关于学校的", "有哪些内容", (4, 2)),
        ("举报奖励", "那我们该咋办", (4, 3)),
    ],
)
def test_a_question_split_over_two_messages_stays_on_the_first(engine: Engine, first: str, then: str, point):
    answers = talk(engine, first, then)
    assert [(a.part, a.point) for a in answers] == [point, point]


@pytest.mark.parametrize("where", ["这个是在哪一段说的", "那它在讲话第几部分", "第几条"])
def test_more_ways_to_ask_where_it_is(engine: Engine, where: str):
    first, second = talk(engine, "十九大报告怎么说", where)
    assert second.key == first.key


def test_what_comes_after_this_point_is_the_next_point(engine: Engine):
    _, after = talk(engine, "举报奖励", "这条后面还有吗")
    assert (after.part, after.point) == (4, 4)


def test_asking_for_more_again_and_again_moves_on_instead_of_flipping(engine: Engine):
    answers = talk(engine, "怎么整改", "还有呢", "还有呢", "还有呢")
    assert answers[-1].part == 6


def test_a_puzzled_noise_asks_back_and_a_correction_is_answered(engine: Engine):
    assert engine.answer("嗯?").kind == "clarify" and engine.answer("嗯").kind == "smalltalk"
    _, corrected = talk(engine, "举报奖励", "不对,我问的是应急预案怎么搞")
    assert corrected.matched and corrected.part == 3


def test_follow_ups_after_a_list_read_its_points_and_when_a_quote_was_said(engine: Engine):
    listed, first, others = talk(
        engine, "讲话里关于宣传教育有哪些做法", "第一点具体是什么", "那这部分其他几点呢"
    )
    assert (first.part, first.point) == (listed.part, 1) == (4, 1)
    assert others.part == 4 and "二是" in others.answer
    quote, when = talk(engine, "总书记视察副中心时说了什么", "那是什么时候说的")
    assert when.key == quote.key and "2月24日" in when.answer
    _, unsaid = talk(engine, "举报有奖励吗", "那是什么时候说的")
    assert (unsaid.matched, unsaid.missing) == (False, "date")


def test_where_it_is_says_the_place_first(engine: Engine):
    from bot.formatting import answer_text

    first, where = talk(engine, "举报有奖励吗", "这是哪部分的")
    assert (where.kind, where.key) == ("where", first.key)
    assert answer_text(where).startswith(messages.WHERE_IT_IS.format(location="第四部分 · 第三点"))


def test_a_point_named_in_english_after_a_part_is_that_point(engine: Engine):
    _, point = talk(engine, "第三部分的key points有哪些", "point 4 呢")
    assert (point.part, point.point) == (3, 4)


def test_why_it_matters_after_a_point_is_about_that_point(engine: Engine):
    point, why = talk(engine, "第三部分第四点", "为什么重要")
    assert why.part == point.part == 3 and why.answer != point.answer


@pytest.mark.parametrize(
    ("question", "where"), [("part 6 point 2?", (6, 2)), ("What does part 5 say", (5, None))]
)
def test_a_part_named_in_english_is_that_part_not_a_foreign_question(engine: Engine, question: str, where):
    answer = engine.answer(question)
    assert (answer.part, answer.point) == where


def test_a_detail_the_speech_does_not_give_stays_declined_after_a_topic(engine: Engine):
    # On its own the deadline is declined; after 销号管理 it must not become that point.
    *_, deadline = talk(engine, "销号管理是什么", "整改的时限是多久")
    assert not deadline.matched and deadline.missing == "duration"


def test_what_a_word_means_after_a_parts_points_is_the_point_that_says_it(engine: Engine):
    _, point, again = talk(engine, "第五部分", "台账是啥意思", "台账是啥意思")
    assert (point.kind, point.part, point.point) == ("passage", 5, 3)
    assert again.kind == "context"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("这个讲话 讲 什么", "outline"),
        ("在？", "smalltalk"),
        ("这篇讲话写得好吗", "smalltalk"),
        ("讲话的主要精神是什么", "meta"),
    ],
)
def test_how_short_chat_messages_are_read(engine: Engine, question: str, kind: str):
    assert engine.answer(question).kind == kind


def test_a_follow_up_in_english_words_is_read_as_one(engine: Engine):
    _, step, why, more = talk(engine, "第三部分第二点", "next point", "why", "more please")
    assert (step.part, step.point) == (3, 3)
    assert why.kind == "context" and more.matched
    assert engine.answer("what is the weather today").kind == "foreign"  # not a follow-up
    assert engine.answer("next", conversation=Conversation()).kind == "clarify"


def test_asking_for_more_goes_forward_and_says_when_the_speech_ends(engine: Engine):
    answers = talk(engine, "隐患排查重点查哪些行业", "还有呢", "还有呢", "还有呢")
    assert [a.part for a in answers] == [3, 3, 3, 4]  # a point, the other points, the part, then on
    assert len({a.answer for a in answers}) == 4
    *_, closing, end = talk(engine, "第六部分第四点", "下一点", "还有呢")
    assert closing.location == "结束语" and (end.kind, end.matched) == ("end", False)


def test_follow_ups_after_two_parts_go_on_from_the_second(engine: Engine):
    _, point = talk(engine, "第二部分和第五部分分别讲了什么", "那第二点呢")
    assert (point.part, point.point) == (5, 2)


def test_who_said_it_without_a_quote_is_the_speaker(engine: Engine):
    assert engine.answer("谁讲的").kind == "meta"
    _, who = talk(engine, "第三部分", "这是谁说的")
    assert who.kind == "meta" and "我代表" in who.answer


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("好的谢谢，我先去开会了", "thanks"),  # a goodbye saying where the asker goes
        ("你好 这个咋用啊 我女儿帮我装的", "abilities"),  # what follows asks nothing
        ("你是gpt吗？谁开发的你", "who"),
        ("你也喜欢看球吗", "chat"),
        ("嘿嘿你是不是只会背稿子", "chat"),  # the bot teased, not a question about the speech
        ("来个笑话 工地上的那种", "chat"),
    ],
)
def test_pleasantries_with_a_remark_after_them_stay_small_talk(engine: Engine, message: str, kind: str):
    answer = engine.answer(message)
    assert (answer.kind, answer.smalltalk, answer.matched) == ("smalltalk", kind, False)


@pytest.mark.parametrize("question", ["这个讲话的干货有哪些", "全文的重点是啥", "几个部分的标题都是什么"])
def test_the_speechs_own_key_points_are_its_outline(engine: Engine, question: str):
    assert engine.answer(question).kind == "outline"


def test_the_key_points_of_a_topic_are_not_the_outline(engine: Engine):
    answer = engine.answer("应急管理的重点是啥")
    assert answer.kind != "outline" and answer.matched


def test_a_part_written_in_formal_numerals_is_read(engine: Engine):
    answer = engine.answer("第伍部分第贰点")
    assert answer.kind == "point" and answer.location == "第五部分 · 第二点"


def test_asking_to_be_shown_a_quote_is_not_asking_for_a_file(engine: Engine):
    answer = engine.answer("十九大报告那句原话发我")
    assert answer.matched and "树立安全发展理念" in answer.answer


def test_a_question_after_a_pleasantry_or_a_joke_is_still_answered(engine: Engine):
    for message in ("你真厉害 那举报有奖励吗", "哈哈 应急预案要完善吗"):
        assert engine.answer(message).matched, message


def test_a_doubted_answer_is_shown_again_with_where_it_sits(engine: Engine):
    conversation = Conversation()
    first = engine.answer("应急预案要完善吗", conversation=conversation)
    doubted = engine.answer("你确定?", conversation=conversation)
    assert doubted.kind == "where" and doubted.key == first.key and doubted.location == first.location


def test_the_heading_of_the_last_answers_part(engine: Engine):
    conversation = Conversation()
    engine.answer("举报有奖励吗", conversation=conversation)
    heading = engine.answer("这部分标题是啥", conversation=conversation)
    assert heading.part == 4 and "最广泛的宣传引导" in (heading.section or "")


def test_a_part_written_with_its_enumeration_comma_then_a_point(engine: Engine):
    answer = engine.answer("二、里面的第一条说的啥")
    assert answer.kind in ("point", "part") and answer.part == 2


def test_an_outline_question_before_a_remark_about_the_asker(engine: Engine):
    assert engine.answer("这讲话分了几部分啊 我还没来得及看").kind == "outline"


@pytest.mark.parametrize(
    "message",
    ["早上好🌞 我是社区网格员,想给居民讲讲防火", "hi 我是物业公司的 刚接手安全这块 想请教下"],
)
def test_a_greeting_and_an_introduction_that_ask_nothing_yet_are_not_declined(engine: Engine, message: str):
    # Greeted, or shown a passage their words point to; never told the speech does not cover it.
    assert engine.answer(message).kind != "declined"
    assert engine.answer("早上好☀️ 我是一名中学老师,想给学生讲讲安全").kind == "smalltalk"


def test_a_count_before_a_point_is_not_a_typo_and_the_topic_before_it_names_the_part(engine: Engine):
    # 四项 is not 思想 (si xiang); the topic stands before the count, the point after it.
    answer = engine.answer("排查整治隐患的四项措施里，第二项是什么？")
    assert answer.kind == "point" and answer.location == "第三部分 · 第二点"


def test_asked_for_it_shorter_the_last_answer_is_cut_to_the_sentence_that_answers(engine: Engine):
    conversation = Conversation()
    engine.answer("整改有啥要求", conversation=conversation)
    longer = engine.answer("详细说说", conversation=conversation)
    shorter = engine.answer("说人话", conversation=conversation)
    assert shorter.matched and shorter.location == longer.location
    assert len(shorter.answer) < len(longer.answer) and shorter.answer in longer.answer


def test_a_wrong_place_suggested_for_the_last_answer_is_met_with_where_it_sits(engine: Engine):
    conversation = Conversation()
    first = engine.answer("考核评价机制是怎么回事", conversation=conversation)
    doubted = engine.answer("不对吧 不是第三部分吗", conversation=conversation)
    assert first.part == 2
    assert doubted.kind == "where" and doubted.location == first.location and doubted.part == 2


def test_the_mosts_asked_about_within_the_closing_get_the_sentence_that_names_them(engine: Engine):
    answer = engine.answer("总结里用排比列的那几个“最”是哪几个")
    assert answer.matched and "最坚定的政治觉悟、最严格的制度保障" in answer.answer


def test_a_counted_list_named_by_its_parts_heading_gets_that_parts_points(engine: Engine):
    # The opening also speaks of 督查 and 整改; the part whose heading holds both has four points.
    answer = engine.answer("督查整改的四条要求分别是什么")
    assert answer.kind == "points" and answer.part == 5


def test_thanks_with_where_the_asker_takes_the_answer_is_thanks_not_a_greeting(engine: Engine):
    _, thanks = talk(engine, "举报有奖励吗", "谢谢，我转回群里")
    assert (thanks.kind, thanks.smalltalk) == ("smalltalk", "thanks")


def test_the_bot_being_tried_out_after_an_introduction_is_small_talk(engine: Engine):
    answer = engine.answer("我退休前干了三十年安监 看看你这玩意靠不靠谱")
    assert answer.kind == "smalltalk" and not answer.matched


def test_asked_shorter_after_the_outline_the_closing_sentence_that_sums_up_the_parts_comes(engine: Engine):
    outline, one = talk(engine, "这讲话都讲了些什么", "太长了 一句话说完")
    assert outline.kind == "outline" and one.matched and one.location == "结束语"
    assert "\n" not in one.answer and len(one.answer) < len(outline.answer)
    assert all(word in one.answer for word in ("最坚定的政治觉悟", "最广泛的宣传引导", "最务实的态度"))


def test_asked_shorter_after_a_point_the_reply_keeps_more_than_its_title(engine: Engine):
    point, shorter = talk(engine, "第三部分第四点", "说简单点")
    assert point.answer.startswith("四是注重源头治理。") and shorter.answer.startswith("四是注重源头治理。")
    assert len(shorter.answer) > len("四是注重源头治理。") and "培训" in shorter.answer


def test_asked_shorter_after_a_list_of_points_the_whole_list_stays(engine: Engine):
    points, shorter = talk(engine, "第六部分讲了什么", "能短点吗")
    assert shorter.answer == points.answer and shorter.answer.count("是") >= 4


def test_asked_where_after_a_whole_part_the_reply_is_short(engine: Engine):
    _, whole, where = talk(engine, "隐患排查重点领域有哪些", "具体说说", "这段在哪")
    assert where.kind == "where" and where.location == whole.location
    assert len(where.answer) < len(whole.answer) and "建筑施工" in where.answer


def test_an_ordinal_with_ge_after_a_list_is_that_point(engine: Engine):
    _, third = talk(engine, "隐患排查讲了几个方面", "第三个是啥")
    assert third.matched and third.location == "第三部分 · 第三点"


def test_a_question_forwarded_from_someone_is_answered_as_asked(engine: Engine):
    plain = engine.answer("创新驱动具体讲了什么")
    forwarded = engine.answer("群友问：创新驱动具体讲了什么")
    assert forwarded.matched and forwarded.key == plain.key


@pytest.mark.parametrize(
    ("pinyin", "chinese"),
    [("zong jie yi xia di liu bu fen", "总结一下第六部分"), ("ju bao you jiang li ma", "举报有奖励吗")],
)
def test_a_question_typed_wholly_in_pinyin_is_read_as_chinese(engine: Engine, pinyin: str, chinese: str):
    read, written = engine.answer(pinyin), engine.answer(chinese)
    assert read.matched and (read.kind, read.key) == (written.kind, written.key)


def test_a_remark_after_thanks_in_a_conversation_is_thanks(engine: Engine):
    _, thanks = talk(engine, "整改有几条", "谢谢 背完了")
    assert (thanks.kind, thanks.smalltalk) == ("smalltalk", "thanks")


def test_an_insult_before_the_topic_still_gets_the_topic(engine: Engine):
    _, answer = talk(engine, "整改有几条", "你是不是傻 我问的是问责")
    assert answer.matched and answer.location == "第五部分 · 第四点"


def test_asked_which_day_after_a_passage_that_gives_it_the_passage_answers(engine: Engine):
    _, day = talk(engine, "习近平视察副中心说了什么", "是哪天")
    assert day.matched and "2月24日" in day.answer


def test_which_point_it_belongs_to_says_where_the_last_answer_sits(engine: Engine):
    first, where = talk(engine, "讲话里对企业培训有什么要求", "这属于哪一条")
    assert where.kind == "where" and where.location == first.location == "第三部分 · 第四点"


def test_an_english_ordinal_follow_up_is_that_point(engine: Engine):
    _, fourth = talk(engine, "隐患排查有哪些措施", "the 4th point please")
    assert fourth.matched and fourth.location == "第三部分 · 第四点"


def test_what_a_word_of_the_last_point_means_is_that_point_not_its_whole_part(engine: Engine):
    # The speech defines no term: the point that says 回头看 is all it has, not the part's 330 characters.
    point, meaning = talk(engine, "整改台账怎么管", "回头看是什么意思")
    assert meaning.matched and meaning.answer == point.answer
    _, detail = talk(engine, "整改台账怎么管", "销号管理啥意思 具体点")  # asked for more: more
    assert detail.kind == "context"


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("强化日常监管前面那一条是什么", (3, 1)),
        ("跟踪问效后面一条讲的啥", (5, 4)),
        ("第5部分第2条的下一条", (5, 3)),
        ("第四部分前面那部分讲了啥", (3, None)),
        ("讲完宣传那部分 后面接着讲的是什么", (5, None)),
        ("第二部分后面是啥", (3, None)),
    ],
)
def test_a_neighbour_of_what_the_question_names_is_answered_in_one_message(engine: Engine, question, where):
    answer = engine.answer(question)
    assert answer.matched and (answer.part, answer.point) == where, answer
    assert answer.question == question


@pytest.mark.parametrize("question", ["整改后要做什么", "发现问题后怎么处理", "第五部分最后一条是啥"])
def test_after_and_last_are_not_read_as_a_step_from_a_named_passage(engine: Engine, question: str):
    answer = engine.answer(question)
    assert not (answer.kind == "part" and answer.part == 6), answer  # not "the part after"
    if "最后一条" in question:
        assert (answer.part, answer.point) == (5, 4)


def test_thanks_after_a_question_is_no_part_of_what_is_asked(engine: Engine):
    asked = engine.answer("全文分成几大块 帮我捋一捋吧 谢谢")
    assert asked.kind == "outline" and asked.question == "全文分成几大块 帮我捋一捋吧 谢谢"
    about_thanks = engine.answer("讲话最后有没有说谢谢")
    assert about_thanks.matched and "谢谢" in about_thanks.answer


def test_a_question_after_telling_what_happened_is_not_taken_for_an_introduction(engine: Engine):
    # 多久 asks; the speech says 第一时间, not a length of time.
    answer = engine.answer("我们车间前几天被查出问题了 整改期限一般多久")
    assert answer.kind == "declined" and answer.missing == "duration"


@pytest.mark.parametrize(
    "praise",
    [
        "嗯 总结得不错",
        "回答得挺好",
        "不错不错",
        "好的 很清楚 谢谢",
        "真烦 好吧谢谢",
        "thanks 谢谢 very helpful",
        "好吧 算你说得对",  # remarks on the answer, not questions
        "thanks bro",
        "你只回答了一半",
    ],
)
def test_praise_and_remarks_on_the_answer_are_small_talk_not_matched_on_their_words(
    engine: Engine, praise: str
):
    answer = engine.answer(praise)
    assert answer.kind == "smalltalk" and not answer.matched


def test_saying_what_one_does_with_the_answer_before_thanks_is_a_goodbye(engine: Engine):
    conversation = Conversation()
    engine.answer("隐患排查的重点领域", conversation=conversation)
    answer = engine.answer("好 那我就照这个汇报了 谢谢", conversation=conversation)
    assert answer.kind == "smalltalk" and not answer.matched


def test_a_bare_sub_point_marker_after_a_part_is_that_parts_point(engine: Engine):
    _, first, third = talk(engine, "第三部分", "一是", "那三是啥")
    assert (first.part, first.point, third.part, third.point) == (3, 1, 3, 3)


@pytest.mark.parametrize(
    "where", ["你刚才那个在哪部分", "这话在那部分", "在第几步分"]
)  # 那 for 哪, 步分 for 部分
def test_where_the_last_answer_sits_asked_loosely(engine: Engine, where: str):
    last, again = talk(engine, "考核评价机制是怎么回事", where)
    assert again.kind == "where" and again.location == last.location == "第二部分"


@pytest.mark.parametrize(
    "message",
    [
        "我是物流园的调度 管仓库的",  # what the asker does, after who they are
        "大家好 我是开超市的 听说下周要查消防了",  # news told after the introduction, nothing asked
        "下周单位组织考试 我是新来的",  # the self-description comes last
        "你好 我在深圳 刚看到这篇讲话 想了解一下",  # only that questions will follow
        "您好，我是报社编辑，想核对几处讲话原文",
    ],
)
def test_an_introduction_that_asks_nothing_is_greeted_not_answered(engine: Engine, message: str):
    answer = engine.answer(message)
    assert answer.kind == "smalltalk" and not answer.matched


def test_an_introduction_before_a_question_still_gets_the_answer(engine: Engine):
    answer = engine.answer("我是开饭店的 消防检查都查什么")
    assert answer.matched and "消防" in answer.answer


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("行 谢谢师傅们辛苦了", "thanks"),  # a form of address in the plural
        ("你到底能干点啥", "abilities"),
        ("你刚才答错了知道不 重新找找", "complaint"),
    ],
)
def test_pleasantries_said_the_chatty_way_are_small_talk(engine: Engine, message: str, kind: str):
    answer = engine.answer(message)
    assert (answer.kind, answer.smalltalk) == ("smalltalk", kind)


@pytest.mark.parametrize(
    ("message", "part"),
    [
        ("写汇报用 part 2 的 title 是啥", 2),  # English words, the part after other words
        ("三、的题目是什么", 3),  # the part numbered as the speech writes it
        ("第六部分讲务实态度的 标题全称是什么", 6),  # its heading, not a name the speech lacks
        ("di si bu fen 说了啥", 4),  # the part typed in pinyin
    ],
)
def test_a_part_asked_by_number_in_any_form_gets_that_part_with_its_heading(
    engine: Engine, message: str, part: int
):
    answer = engine.answer(message)
    assert answer.kind in ("part", "points") and answer.part == part
    assert (answer.section or "").startswith("一二三四五六"[part - 1] + "、")  # the heading shows


@pytest.mark.parametrize("message", ["总结那段提到几个「最」", "conclusion 讲了什么", "总结那段提了什么要求"])
def test_the_summing_up_named_loosely_is_the_closing_not_the_point_on_summing_up_experience(
    engine: Engine, message: str
):
    answer = engine.answer(message)
    assert answer.location == "结束语" and "经验总结" not in answer.answer


def test_the_sentence_before_a_pasted_one_and_its_surroundings(engine: Engine):
    conversation = Conversation()
    first = engine.answer("形成横向到边纵向到底的责任网络 这句在哪", conversation=conversation)
    assert first.part == 2
    before = engine.answer("这句的前面一句是啥", conversation=conversation)
    assert before.matched and before.answer.startswith("安全生产工作不仅仅是口号")
    around = engine.answer("上下文给我看下", conversation=conversation)
    assert around.matched and "不仅仅是口号" in around.answer and len(around.answer) > len(before.answer)


@pytest.mark.parametrize(
    "message",
    [
        "第五部分的一是二是三是四是分别讲啥",  # all the points named, not the first
        "唉 第五部分的几条 好吗",  # a request with tags and interjections around it
        "本人区应急局科员，想了解下整改那块有哪些要求",  # who asks, set apart, then the part by its topic
    ],
)
def test_all_the_points_of_a_part_asked_for_are_listed(engine: Engine, message: str):
    answer = engine.answer(message)
    assert answer.part == 5 and answer.point is None
    assert all(f"{n}是" in answer.answer for n in "一二三四")


def test_the_points_of_the_last_answers_part_asked_for_after_a_vague_answer(engine: Engine):
    conversation = Conversation()
    first = engine.answer("区里以后安全工作往哪个方向走", conversation=conversation)
    assert first.part == 6
    listed = engine.answer("不对 我问的是这部分里面的几条", conversation=conversation)
    assert listed.part == 6 and all(f"{n}是" in listed.answer for n in "一二三四")
    full = engine.answer("我要的是具体的几条", conversation=conversation)
    assert full.part == 6 and len(full.answer) > 2 * len(listed.answer)  # the points in full


def test_two_questions_about_the_document_in_one_message_are_both_answered(engine: Engine):
    answer = engine.answer("讲话题目是啥 主旨是什么")
    assert answer.kind == "meta" and len(answer.more) == 1
    assert {answer.location, answer.more[0].location} == {"标题", "开场白、结束语"}


def test_what_a_part_named_by_its_topic_says_last(engine: Engine):
    answer = engine.answer("我在街道上班 排查隐患那部分结尾讲的啥")
    assert answer.part == 3 and answer.answer == engine.documents[0].part(3).sentences[-1][-1]


@pytest.mark.parametrize("message", ["你都能回答些什么", "那您一般能查哪些内容"])
def test_what_the_bot_can_answer_asked_any_way_is_small_talk(engine: Engine, message: str):
    answer = engine.answer(message)
    assert (answer.kind, answer.smalltalk) == ("smalltalk", "abilities")


def test_what_the_earlier_speakers_said_in_detail_is_not_relayed(engine: Engine):
    from bot.formatting import answer_text

    answer = engine.answer("前面两位领导具体讲了哪些要求")
    assert not answer.matched and "没有转述" in answer_text(answer)
    assert engine.answer("之前是不是已经有两位领导讲过了").kind == "meta"  # that they spoke, it says


@pytest.mark.parametrize(
    "message", ["我先看下整篇的框架", "帮我把讲话浓缩成三百字", "领导让把这个讲话整理成一份简报"]
)
def test_asked_for_its_structure_or_a_digest_the_speech_gives_its_outline(engine: Engine, message: str):
    assert engine.answer(message).kind == "outline"


@pytest.mark.parametrize("message", ["我在备课 想引用几句 你帮我查查出处", "我退休在家 看了这篇讲话想问问"])
def test_saying_what_will_be_asked_gets_a_greeting_not_a_passage(engine: Engine, message: str):
    answer = engine.answer(message)
    assert answer.kind == "smalltalk" and not answer.matched


def test_sentence_neighbours_asked_in_other_words_and_in_traditional_characters(engine: Engine):
    conversation = Conversation()
    engine.answer("永远在路上那句在哪", conversation=conversation)
    after = engine.answer("这句之后讲了什么", conversation=conversation)
    assert after.answer.startswith("面对新形势")  # the next sentence, not the next point
    before = engine.answer("這句前面一句是甚麼", conversation=conversation)
    assert before.answer.startswith("安全生产工作永远在路上")
    again = engine.answer("这段原话给我", conversation=conversation)
    assert again.answer == before.answer


def test_what_follows_the_last_words_of_the_speech_is_nothing(engine: Engine):
    from bot.formatting import answer_text

    answer = engine.answer("谢谢大家那句后面还有内容吗")
    assert answer.kind == "end" and "结束" in answer_text(answer)


def test_two_points_of_one_part_asked_together_are_both_of_that_part(engine: Engine):
    answer = engine.answer("第五部分的一是和三是分别是啥")
    assert (answer.part, answer.point) == (5, 1) and (answer.more[0].part, answer.more[0].point) == (5, 3)


def test_the_day_of_the_speech_asked_without_naming_it_is_not_the_day_it_quotes(engine: Engine):
    answer = engine.answer("到底有没有说是哪天讲的")
    assert not answer.matched and answer.missing == "day"


def test_asked_whether_anyone_spoke_before_and_what_the_points_were_for(engine: Engine):
    assert engine.answer("他发言之前是不是已经有人讲过了").kind == "meta"
    purpose = engine.answer("他讲这些意见是为了什么")
    assert purpose.kind == "meta" and purpose.answer.startswith("针对")
    assert engine.answer("讲话结尾那段 里面几个“最”是哪些").location == "结束语"


def test_who_will_be_held_to_account_is_answered_by_the_promise(engine: Engine):
    # Future (会被追责): the speech says who will be; past (被问责了, by name) it does not say.
    answer = engine.answer("哪些单位会被追责啊")
    assert answer.matched and "敷衍塞责的单位和个人" in answer.answer


def test_whom_the_opening_addresses_and_the_summing_up_named_as_a_block(engine: Engine):
    assert engine.answer("讲话开头是冲谁说的").answer.endswith((":", "："))
    assert engine.answer("总结这块讲安全生产关系到什么").location == "结束语"


def test_how_soon_something_must_be_dealt_with_is_not_a_date_asked_for(engine: Engine):
    answer = engine.answer("发现问题了啥时候整改")
    assert answer.matched and answer.missing is None


@pytest.mark.parametrize(
    ("message", "kind"),
    [("你可不可以别答非所问", "complaint"), ("这个机器人准不准", "chat"), ("你这玩意有用吗", "chat")],
)
def test_remarks_about_the_bot_itself_are_small_talk(engine: Engine, message: str, kind: str):
    assert (engine.answer(message).kind, engine.answer(message).smalltalk) == ("smalltalk", kind)


def test_a_first_message_that_hurries_is_greeted_not_apologised_for(engine: Engine):
    answer = engine.answer("我是街道的 急用 快点", conversation=Conversation())
    assert answer.kind == "smalltalk" and answer.smalltalk != "complaint"


@pytest.mark.parametrize("message", ["准备考试 帮我捋一捋这篇讲话", "这讲话到底有没有干货"])
def test_asked_to_go_through_it_or_for_its_substance_the_outline(engine: Engine, message: str):
    assert engine.answer(message).kind == "outline"


def test_two_topics_asked_with_each_are_both_answered(engine: Engine):
    answer = engine.answer("问题导向和经验总结各是什么意思")
    assert {answer.point, answer.more[0].point} == {1, 4} and answer.part == answer.more[0].part == 6


def test_a_preamble_ending_with_a_colon_does_not_hide_the_questions(engine: Engine):
    answer = engine.answer("我一次问两个：讲话分几部分？第二部分讲什么？")
    assert answer.kind == "outline" and answer.more and answer.more[0].part == 2


def test_what_was_said_asked_after_a_question_refines_it(engine: Engine):
    answer = engine.answer("讲话提到十九大报告没有？说了啥")
    assert answer.matched and not answer.more and "十九大" in answer.answer


@pytest.mark.parametrize(
    ("message", "missing"), [("宣传的法律法规具体是哪部法", "article"), ("多少天之内要整改完", "duration")]
)
def test_a_named_law_or_a_time_limit_the_speech_does_not_give_is_declined(engine: Engine, message, missing):
    answer = engine.answer(message)
    assert not answer.matched and answer.missing == missing


def test_the_sentence_beside_a_quoted_sentence_is_its_neighbour_not_the_next_part(engine: Engine):
    after = engine.answer("“安全生产工作永远在路上,没有终点”后面一句是啥")
    assert after.answer.startswith("面对新形势")
    before = engine.answer("“面对新形势、新任务、新挑战”前面一句是什么")
    assert before.answer.startswith("安全生产工作永远在路上")
    # Words from inside a sentence: "后面那句" asks the rest of it.
    rest = engine.answer("横向到边 后面那句呢")
    assert "纵向到底的责任网络" in rest.answer


def test_an_earlier_speaker_named_by_role_and_what_they_said_in_detail(engine: Engine):
    assert engine.answer("之前市里那位领导的讲话提到了什么").kind == "meta"
    assert engine.answer("刚才那个xx组长的发言具体讲了哪些").missing == "relayed"


def test_di_mistyped_before_a_count_reads_as_di(engine: Engine):
    # 第 typed by its sound (低, 弟): 第六部分低三点 is the third point of part six
    answer = engine.answer("第六部分低三点说的啥")
    assert (answer.part, answer.point) == (6, 3)


def test_a_number_of_days_asked_for_is_a_time_limit_the_speech_does_not_give(engine: Engine):
    answer = engine.answer("整改的事 讲话有没有规定几天")
    assert not answer.matched and answer.missing == "duration"


def test_a_numbered_point_asked_again_after_a_count_is_of_that_part(engine: Engine):
    conversation = Conversation()
    engine.answer("第三部分有几条", conversation=conversation)
    again = engine.answer("第二条再讲一遍", conversation=conversation)
    assert (again.part, again.point) == (3, 2)


def test_which_body_sent_someone_is_not_a_place_asked_for(engine: Engine):
    answer = engine.answer("督查组是从哪里派下来的")
    assert answer.matched and "市委、市政府安全生产督查组" in answer.answer


@pytest.mark.parametrize(
    ("message", "kind"),
    [("什么破机器人 答非所问", "complaint"), ("早这样不就好了", "ack"), ("可以用繁体字吗", "abilities")],
)
def test_more_remarks_and_questions_about_the_bot(engine: Engine, message: str, kind: str):
    answer = engine.answer(message)
    assert (answer.kind, answer.smalltalk) == ("smalltalk", kind)


def test_an_introduction_then_a_plan_is_greeted(engine: Engine):
    answer = engine.answer("我是报社的编辑 准备出一期专版")
    assert (answer.kind, answer.smalltalk) == ("smalltalk", "intro")


def test_two_parts_asked_in_one_message_separated_by_a_space(engine: Engine):
    answer = engine.answer("第二部分讲什么 第六部分讲什么")
    assert answer.part == 2 and answer.more and answer.more[0].part == 6

"""Each detector table entry, with example questions; a failure names the entry."""

from __future__ import annotations

import pytest

from bot.core import meta, signals
from bot.core.engine import Engine

WANTS = {
    "phone": ["举报电话是多少", "督查组怎么联系"],
    "amount": ["举报奖励多少钱", "罚款多少", "装监控政府给补贴吗"],
    "frequency": ["演练多久搞一次", "回头看隔多久查一次", "一年检查几次", "巡查多长时间搞一次"],
    "date": ["督查组什么时候走", "整改期限是哪天"],
    "duration": ["整改期限是几天", "企业要停业多久", "这次督查要持续多长时间", "问题限期几天改完"],
    "year": ["十九大是哪一年开的", "责任制度是哪年出台的"],
    "day": ["市级部门哪天进驻", "督查组几号来"],
    "name": ["组长叫什么名字", "讲话的领导是谁", "那个文件叫啥", "这个办法的全称是什么"],
    "full_name": ["讲话人叫什么名字", "组长姓什么"],
    "place": ["督查组住哪个宾馆", "会在哪里开的", "检查组先去哪查", "具体是哪些地方"],
    "number": ["全区有几个重点行业", "督查组来了多少人", "仓库离居民楼要隔多远"],
    "elsewhere": ["隔壁区是怎么迎检的", "其他城市有啥好做法"],
    "document": ["整改方案有模板吗", "讲话全文能发我一份吗", "这个文件能发给我吗"],
    "roster": ["被通报的企业有名单吗", "问责干部名单能看看吗"],
    "firm": ["哪几家工厂没通过检查", "这回哪些官员被通报了", "它是哪家公司出品的"],
    "penalty": ["整改不力的干部会受到什么处分", "是记过还是撤职", "企业会被吊销执照吗"],
    "article": [
        "消防法第几条讲了这个",
        "条例里的具体条款是什么",
        "依据的是消防法哪一条",
        "讲话提没提“安全生产法”第几条",
    ],
    "standard": ["脚手架验收的具体标准是啥", "罚款有没有标准", "考核细则发一下", "企业要达到几级"],
    "outcome": [
        "这回检查查出了哪些隐患",
        "评比结果出来了吗",
        "今年的事故比去年多了还是少了",
        "上级对我们评价怎么样",
        "检查组给我们打了几分 合格没",
        "市里对咱们区的迎检工作怎么评价的",
    ],
    "procedure": [
        "灭火器去哪买",
        "动火作业证怎么办理",
        "应急救援队去哪报名",
        "隐患用哪个app上报",
        "评优要交什么材料",
    ],
}


@pytest.mark.parametrize(("name", "question"), [(n, q) for n, qs in WANTS.items() for q in qs])
def test_detail_entry_recognises_its_questions(name: str, question: str):
    assert name in [d.name for d in signals.wanted(question)], name


def test_who_is_answered_by_a_role_but_a_name_asked_for_is_not():
    assert signals.missing("问责的对象是谁", "对整改不力、敷衍塞责的单位和个人,严肃追究责任") is None
    assert signals.missing("组长叫什么名字", "对整改不力、敷衍塞责的单位和个人,严肃追究责任") == "full_name"


def test_a_declined_detail_is_named_only_when_the_passage_lacks_it():
    assert signals.missing("举报奖励多少钱", "建立举报奖励机制,鼓励群众积极举报") == "amount"
    assert signals.missing("总书记哪天视察的", "2月24日习近平总书记视察副中心建设时") is None
    assert signals.missing("演练多久搞一次", "定期开展应急演练") == "frequency"  # 定期 is not how often
    assert signals.missing("演练多久搞一次", "每季度开展一次应急演练") is None
    assert signals.missing("那个制度叫什么名字", "结合实际制定了《xx区安全生产责任制度》") is None  # a title
    # A share or a bare figure is a number; 电话是多少 asks for the phone number, not a count.
    assert signals.missing("森林覆盖率是多少", "我县森林覆盖率达到百分之六十八") is None
    assert signals.missing("降雨偏少多少", "降雨量比常年偏少四成多") is None
    assert signals.missing("报警电话是多少", "发现火情立即拨打报警电话12119") is None
    # How long is not said by "at once", but by a number of days or months.
    assert signals.missing("整改期限是几天", "对督查中发现的问题,第一时间进行整改") == "duration"
    assert signals.missing("企业要停业多久", "对该企业责令停业整顿三个月") is None
    # A sanction by its kind: 严肃追究责任 says there is one, not which; an event is not asked.
    assert signals.missing("整改不力的会给什么处分", "对整改不力的单位和个人,严肃追究责任") == "penalty"
    assert "penalty" not in [d.name for d in signals.wanted("他被撤职后担任过什么职位")]
    # 走流程 is doing it the slow formal way, not asking how to apply
    assert "procedure" not in [d.name for d in signals.wanted("查出问题是马上改还是走流程慢慢来")]
    assert "procedure" in [d.name for d in signals.wanted("整改销号的流程是什么")]
    assert signals.missing("会议在哪天开的", "今天,县委、县政府召开会议") == "day"  # today, read later
    # A year is not given by a month and day, nor a day by 年终岁末.
    assert signals.missing("总书记视察副中心是哪一年", "2月24日习近平总书记视察副中心建设时") == "year"
    assert signals.missing("这个制度哪年出台的", "该制度于2003年出台") is None
    assert signals.missing("市级部门哪天进驻", "现在正值年终岁末,市级部门将陆续进驻") == "day"


META = {
    "speaker": [
        "讲话是谁讲的",
        "领导代表哪个单位讲话",
        "讲话人是谁",
        "演讲者是谁",
        "是区长讲的吗",
        "他这是替谁讲话",
    ],
    "audience": ["讲话是对谁说的", "开头称呼了哪些人", "开头跟谁打招呼"],
    "occasion": ["这是在什么场合的讲话", "在什么会上讲的"],
    "title": ["讲话的题目是什么"],
    "citations": ["讲话引用了谁的话", "提到了哪些文件", "讲话里提到哪些领导"],
    "earlier_speakers": [
        "前面两位领导讲了什么",
        "这篇讲话之前都有谁发过言",
        "讲话人之前还有谁发过言",
        "在他前面有没有其他领导讲过",
        "前面俩同志发言都说了些啥",
    ],
    "dates": ["文中出现的日子是哪天", "讲话提到的那个日期是几号", "讲话里有具体日期吗"],
}


@pytest.mark.parametrize(("name", "question"), [(n, q) for n, qs in META.items() for q in qs])
def test_meta_rule_recognises_its_questions(name: str, question: str):
    rule = meta.match(question)
    assert rule is not None and rule.name == name, (name, rule and rule.name)


@pytest.mark.parametrize("question", ["隐患排查的重点领域有哪些", "整改不力会怎样", "举报有奖励吗"])
def test_content_questions_are_not_meta(question: str):
    assert meta.match(question) is None


def test_the_speaker_is_the_one_who_speaks_not_the_one_quoted(engine):
    # The passage quoting 习近平总书记 holds a name too; asked for the speaker, it must not win.
    for question in ("讲话人是谁", "谁在讲话", "是区长讲的吗"):
        answer = engine.answer(question)
        assert answer.kind == "meta" and "代表" in answer.answer, question


def test_a_list_question_counting_its_items_gets_the_items(engine):
    # "几条/几点" with a list word asks for the points (their count is the list), "几个人" a number.
    for question in ("整改有几条要求", "隐患排查有哪几点"):
        answer = engine.answer(question)
        assert answer.matched and "一是" in answer.answer and "二是" in answer.answer, question
    assert engine.answer("督查组来了几个人").missing == "number"


def test_a_list_question_about_what_an_introduction_names_gets_the_introduction(engine):
    # The part's introduction names the plan's contents; its points are about something else.
    answer = engine.answer("整改方案要明确哪些东西")
    assert answer.kind == "passage" and "整改目标、时限和责任人" in answer.answer
    assert engine.answer("整改有哪些要求").kind == "points"


def test_how_to_get_something_done_is_declined_saying_the_speech_gives_no_procedure(engine):
    # The speech says volunteers are to be mobilised, not where to sign up.
    answer = engine.answer("想加入安全志愿服务 去哪报名")
    assert not answer.matched and answer.missing == "procedure"


def test_another_district_or_a_file_asked_for_is_declined_saying_so(engine):
    assert engine.answer("隔壁区的督查结果出来没").missing == "elsewhere"
    assert engine.answer("整改报告有没有模板 发我一份").missing == "document"
    assert engine.answer("隔壁厂违规操作 能举报吗").matched  # a neighbour, not another district


def test_when_the_speech_was_given_is_declined_as_not_given(engine):
    for question in ("讲话时间是什么时候", "讲话是什么时候讲的"):
        answer = engine.answer(question)
        assert not answer.matched and answer.missing == "date", question


def test_a_name_or_place_the_speech_masks_is_declined_as_not_given(engine):
    # The speech writes xx组长, xxx同志, xx区: asked who or which, it does not say.
    for question, detail in (("xx区是哪个区", "place"), ("督查组组长是谁", "name"), ("xxx同志是谁", "name")):
        answer = engine.answer(question)
        assert not answer.matched and answer.missing == detail, question
    # Asked about what the masked sentence does say, it still answers.
    assert engine.answer("督查组是哪里来的").matched
    assert signals.masked("督查组是哪里来的", "我代表xx区委、区政府,对市委、市政府安全生产督查组") is None


def test_which_district_the_speech_only_masks_is_said_not_given(engine):
    answer = engine.answer("那是哪个城市的哪个区的讲话呢")
    assert not answer.matched and answer.missing == "place"
    assert engine.answer("督查组是哪一级派来的").matched  # 市委、市政府: no district asked


def test_a_meta_answer_without_the_name_or_date_asked_for_is_declined(engine):
    # The speech says on whose behalf the speaker speaks, never the name or the day.
    for question, detail in (("讲话人叫什么名字", "full_name"), ("这篇讲话是哪天讲的", "day")):
        answer = engine.answer(question)
        assert not answer.matched and answer.missing == detail, question
    assert engine.answer("前面几位同志讲了什么").kind == "meta"  # a count it gives as a list


def test_checking_a_quote_or_asking_where_it_is_said_is_not_about_speaker_or_place(engine):
    assert meta.match("讲话里说问题要做到不过夜,是这么说的吗") is None
    assert signals.missing("隐患要早发现早治理是哪里说的", "确保隐患早发现、早治理") is None
    assert signals.missing("督查组住在哪里", "确保隐患早发现、早治理") == "place"
    assert signals.missing("投入的钱用在哪里", "不断加大安全生产投入,配备必要的安全设备") is None


def test_meta_answers_come_from_the_document_structure(engine):
    speaker = engine.answer("这篇讲话是谁讲的")
    assert speaker.kind == "meta" and "代表" in speaker.answer
    audience = engine.answer("讲话是对谁说的")
    assert audience.kind == "meta" and audience.answer.endswith((":", "："))
    title = engine.answer("讲话的题目是什么")
    assert title.answer == engine.documents[0].title


def test_overview_questions_get_the_announced_subject_and_the_closing_summary(engine):
    for question in ("这篇讲话的主题是什么", "中心思想是啥"):
        answer = engine.answer(question)
        # The sentence announcing what the speech is about (针对…,我再强调几点意见) and the summing-up.
        assert answer.kind == "meta" and answer.location == "开场白、结束语", question
        announced, summing_up = answer.answer.split("\n")
        assert announced.startswith("针对") and summing_up.startswith("总之")
    assert engine.answer("安全主题活动有哪些").kind != "meta"  # shares 主题, asks about content
    # A summary asked for is the outline; "总结一下" of something else asks about content.
    for question in ("总结一下", "能帮我概括一下这篇讲话吗"):
        assert engine.answer(question).kind == "outline", question
    assert engine.answer("平时的好经验要不要总结一下").kind != "meta"


def test_a_part_or_point_the_speech_does_not_have_is_said_so(engine):
    from bot.formatting import answer_text

    no_part = engine.answer("第七部分讲了什么")
    assert (no_part.kind, no_part.matched, no_part.limit) == ("no_part", False, 6)
    assert "讲话共6部分" in answer_text(no_part)
    no_point = engine.answer("第三部分第五点")
    assert (no_point.kind, no_point.limit) == ("no_point", 4)
    assert "第三部分只有4点" in answer_text(no_point)
    last = engine.answer("第六部分最后一点")
    assert last.location == "第六部分 · 第四点"


def test_the_answering_sentence_is_marked_inside_a_longer_reply(engine):
    from bot.formatting import answer_html

    answer = engine.answer("安全生产怎么考核")
    start, end = answer.focus
    assert "考核" in answer.answer[start:end] and len(answer.answer) > end - start
    assert f"<u>{answer.answer[start:end]}</u>" in answer_html(answer)


def article_engine(tmp_path, text: str) -> Engine:
    """An engine whose knowledge is this one article, as a user would drop it into knowledge/."""
    (tmp_path / "article.md").write_text(text, "utf-8")
    return Engine.load(tmp_path)


def assert_answered_with(engine: Engine, question: str, words: str) -> None:
    answer = engine.answer(question)
    assert answer.matched and words in answer.answer, (question, answer.answer)


ARTICLE = """# 卡洛斯·门多萨

卡洛斯·门多萨是一位智利作曲家，1931年生于瓦尔迪维亚。童年时他随父亲移居巴尔帕莱索，在当地的教会学校学习管风琴。

门多萨的老师是作曲家埃斯特万·罗哈斯。1955年他前往巴黎深造，回国后在圣地亚哥音乐学院任教三十余年。

他一生写有四部交响曲和大量合唱作品。晚年他定居于拉塞雷纳，2004年在那里去世。
"""


def test_names_and_places_an_encyclopedia_gives_are_seen_as_names_and_places(tmp_path):
    # Foreign names and places are not in jieba's dictionary and carry no 省/县/同志: the
    # passage still holds the answer to "在哪里" / "是谁", while a detail it lacks is declined.
    engine = article_engine(tmp_path, ARTICLE)
    assert_answered_with(engine, "门多萨晚年住在哪里？", "拉塞雷纳")
    assert_answered_with(engine, "门多萨的老师是谁", "埃斯特万·罗哈斯")
    assert not engine.answer("他的妻子叫什么名字").matched


BRIDGE = """# 青石桥

青石桥横跨清水河，是镇上最古老的石拱桥。当年镇上的商会出资修建了这座桥，石料全部取自北山。工程历时三年，1766年秋天才完工。

桥身长四十二米，共有五个桥洞。
"""


def test_a_detail_in_the_sentences_the_reply_shows_counts_as_given(tmp_path):
    # The sentence that matches "修好" has no year, the next one in the same reply does.
    engine = article_engine(tmp_path, BRIDGE)
    for question in ("青石桥是什么时候修好的", "青石桥是哪一年完工的"):
        assert_answered_with(engine, question, "1766年")


FISH = """# 蓝斑石鲈

蓝斑石鲈是辐鳍鱼纲鲈形目石鲈科的一种海水鱼，俗名青斑，分布于西太平洋的珊瑚礁海域。

体呈长椭圆形，侧扁，背部青灰色，体侧散布蓝色斑点，体长可达45公分。

栖息在水深五到三十米的礁区，夜间觅食甲壳类和小鱼，白天躲在洞穴中。
"""


def test_an_articles_title_is_part_of_every_sentences_context(tmp_path):
    # The sentences about the fish never name it: asked with its name, the sentence that answers
    # must still beat the one sentence that names it.
    engine = article_engine(tmp_path, FISH)
    assert_answered_with(engine, "蓝斑石鲈白天在哪里", "白天躲在洞穴中")
    assert_answered_with(engine, "蓝斑石鲈体长多少公分", "45公分")


DRILL = """# 枫林社区

枫林社区有住户两千多户，辖区内有一所小学和一个农贸市场。

社区每个季度组织一次消防演练，由物业和志愿者负责通知住户。

为了让居民熟悉逃生路线，社区组织消防演练时会带大家走一遍楼道。
"""


def test_a_why_question_gets_the_sentence_that_gives_the_reason(tmp_path):
    engine = article_engine(tmp_path, DRILL)
    for question in ("社区为什么组织消防演练", "为啥要搞消防演练"):
        assert_answered_with(engine, question, "熟悉逃生路线")
    assert_answered_with(engine, "消防演练多久搞一次", "每个季度")


def test_saying_what_will_be_asked_or_pointing_back_at_items_is_not_a_count():
    # 几个 in "想请教几个问题" announces questions; in "这几个最" it points at items named before.
    for question in ("想请教你几个问题 督查组住哪", "开头那几个要求是什么", "结尾这几条口号是啥"):
        assert "number" not in [d.name for d in signals.wanted(question)], question
    assert "number" in [d.name for d in signals.wanted("这次一共查了几个工地")]


def test_which_firm_by_name_is_answered_by_a_name_not_a_role():
    assert "firm" not in [d.name for d in signals.wanted("要是发现哪家工厂偷排 找谁")]
    role = "对整改不力、敷衍塞责的单位和个人,严肃追究责任"
    assert signals.missing("到底是哪几家工厂出的事", role) == "firm"
    assert signals.missing("它是哪家公司出品的", "该片由华纳兄弟影业公司出品") is None


def test_which_firms_asked_of_a_passage_that_names_none_is_declined_saying_so(engine):
    answer = engine.answer("整改不力被追责的是哪几家工厂")
    assert not answer.matched and answer.missing == "firm"


def test_a_day_the_speech_mentions_is_answered_with_the_sentences_that_give_it(engine):
    answer = engine.answer("文中出现的日子是哪天")
    assert answer.kind == "meta" and "2月24日" in answer.answer
    # The day the speech was given is still not said.
    assert engine.answer("讲话是哪天讲的").missing == "day"


def test_an_article_of_a_law_is_asked_but_which_point_a_sentence_is_in_is_not():
    assert "article" not in [d.name for d in signals.wanted("早发现早治理那句是第几条里的")]
    assert signals.missing("消防法第几条讲了这个", "加强对安全生产法律法规的宣传") == "article"


def test_in_which_year_asks_when_not_where():
    assert [d.name for d in signals.wanted("他在哪一年当选")] == ["year", "date"]


def test_a_question_about_a_problems_purpose_is_not_about_the_title():
    rule = meta.match("排查同类问题目的是什么")
    assert rule is None or rule.name != "title"


def test_a_name_asked_for_goes_to_the_close_passage_that_gives_one(engine):
    # The leader lacks the name the question asks for; a close runner-up names the document.
    answer = engine.answer("听说区里出台过一个制度 名字叫啥")
    assert answer.matched and "《xx区安全生产责任制度》" in answer.answer


def test_a_standard_asked_for_is_not_given_by_the_strictest_standard():
    heading = "五、要以最严格的标准确保督查整改任务的全面落实"
    assert signals.missing("整改验收的具体标准是什么", heading) == "standard"
    assert "standard" not in [d.name for d in signals.wanted("第五部分说以什么标准落实整改")]


def test_a_name_asked_of_a_passage_that_names_none_is_declined_saying_so(engine):
    # The passage speaks of 行业协会 but names none; asked which, the bot says it gives no name.
    answer = engine.answer("讲话里提到的行业协会叫什么名字")
    assert not answer.matched and answer.missing == "full_name"


def test_the_common_people_are_not_asked_for_a_surname():
    # 老百姓啥: 姓啥 inside 老百姓 asks no one's name.
    assert not {"name", "full_name"} & {d.name for d in signals.wanted("安全关系到老百姓啥")}
    assert "full_name" in [d.name for d in signals.wanted("组长姓啥")]


def test_what_to_do_about_findings_asks_no_outcome():
    for question in ("督查中发现的问题怎么处理", "查出问题了怎么办", "排查出来的隐患要建档吗"):
        assert "outcome" not in [d.name for d in signals.wanted(question)], question


def test_an_inspections_findings_asked_of_a_speech_that_gives_none_are_declined_saying_so(engine):
    answer = engine.answer("这回督查查出了哪些问题")
    assert not answer.matched and answer.missing == "outcome"


def test_who_wrote_a_speech_that_names_no_author_is_declined_saying_so(engine):
    answer = engine.answer("这讲话谁写的")
    assert not answer.matched and answer.missing == "author"
    assert engine.answer("讲话是谁讲的").matched  # who speaks, the document says


def test_a_speech_that_announces_no_subject_gets_its_closing_summary_as_its_theme():
    from bot.core.engine import Builder

    text = (
        "# 在全区防汛工作会议上的讲话\n\n同志们:\n\n今天召开会议,部署今年防汛工作。\n\n"
        "## 一、提高认识\n\n防汛关系群众安全。\n\n## 二、落实责任\n\n各街道要落实包保责任。\n\n"
        "总之,防汛工作责任重大,全区上下要以对人民高度负责的态度做好各项工作。\n"
    )
    answer = Builder().engine(text, name="flood.md").answer("这篇讲话的主题是什么")
    assert answer.kind == "meta" and answer.answer.startswith("总之,防汛工作责任重大")

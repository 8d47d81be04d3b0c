"""What a question asks for, and whether a passage holds that kind of thing.

General Chinese, not about any one document: each entry is a named detector pair that turns into
a feature of the matcher (its weight is fitted, see benchmarks/fit.py) or, for a declined
question, into the detail the reply says the document does not give. Example questions for
every entry are in tests/test_signals.py, which names the entry when it breaks.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Detail:
    """A kind of detail a question can ask for (`wants`) and how a passage shows one (`has`)."""

    name: str
    wants: re.Pattern[str]
    has: re.Pattern[str]


# A count or a measure: digits or a numeral of two or more with a counting word or a unit
# (一条红线 and 2月24日 are not counts; 1.98米, 三百余人, 40%, 12座 are).
_UNITS = r"[个次人名位家项条起处台辆座所件层届場场种只头株倍岁%％]|万|亿|余|多|米|厘米|公分|毫米|公里|千米|英尺|英里|公斤|千克|克|吨|磅|度|平方|公顷|亩|元|美元"
# Titles that follow a name (王同志, 李主任).
_TITLES = "同志|总书记|总理|主席|书记|市长|区长|主任|组长|先生|女士"
# A person named with a title or a leader a speech quotes; or a work by its title (《…》), which
# names it as a name does.
_PERSON = rf"[\u4e00-\u9fff]{{1,3}}(?:{_TITLES})|习近平|李克强"
_NAMED = re.compile(rf"{_PERSON}|《[^》]+》")
# People named by their role or as a group: they answer "是谁" when no one is named.
_ROLES = (
    r"单位和个人|责任人|负责人|各级各部门|生产经营单位|从业人员|干部职工|人民群众|社会各界|志愿者|行业协会|"
    r"(?:专业|社会|救援|执法)力量|专家|专业人员"
)
# A share or a figure standing alone is a number too: 百分之六十八, 40%, 四成, 12119.
_COUNT = (
    rf"\d+(?:[.,]\d+)?\s*(?:{_UNITS})|[两二三四五六七八九十百千万亿]+(?:{_UNITS})|"
    r"百分之[零一二三四五六七八九十百点]+|[一二三四五六七八九十]成|\d{3,}(?!\s*[年月日号])"
)

# Details a passage must hold to answer the question. Order matters only for `missing`: the
# first one the question wants and the passage lacks is the one the reply names.
DETAILS: tuple[Detail, ...] = (
    Detail(
        "phone",
        re.compile(r"电话|号码|联系方式|热线|怎么联系|微信号|邮箱"),
        re.compile(r"\d{5,}|电话|热线|邮箱"),
    ),
    Detail(
        "amount",
        re.compile(
            r"多少钱|几块钱|金额|罚款?多少|罚多少|奖金?多少|奖励?多少|多少奖|费用|价格|预算|花了多少|投入多少|补贴|补助"
        ),
        re.compile(r"\d+(?:\.\d+)?\s*(?:元|万|亿)|[一二三四五六七八九十百千万两]+(?:元|块|万元|亿元)"),
    ),
    Detail(
        # How often: 定期 (regularly) says when, not how often.
        "frequency",
        re.compile(
            r"多久(?:\w{0,4})一次|多长时间(?:\w{0,4})一次|(?:每隔|隔)多久|多频繁|频率|频次|"
            r"(?:一年|一个月|一月|每年|每月|每周|一周)(?:搞|开展|查|检查|进行|组织)?几次|[几多少]天一次"
        ),
        re.compile(
            r"每个?(?:天|日|周|星期|礼拜|月|年|季度|季|半年|旬)|每隔|"
            r"[\d一二两三四五六七八九十半]+\s*(?:天|日|周|个?月|年|季度)(?:一|[\d一二两三四五六七八九十]+)次"
        ),
    ),
    Detail(
        # A year asked for: 2月24日 or 以来 does not give it (当年 / 次年 refer to one given before).
        "year",
        re.compile(r"哪年|哪一年|哪个年份|什么年份|几几年|年份是"),
        re.compile(
            r"\d{2,4}\s*年(?!代)|[〇零一二三四五六七八九]{2,4}年(?!代)|[去今明前]年|同年|当年|次年|翌年|该年|"
            r"[一二三四五六七八九十]+年(?:前|后)|公元|民国|光绪|康熙|乾隆|嘉庆|道光|咸丰|同治|宣统"
        ),
    ),
    Detail(
        # A day asked for: 年终岁末, 定期 or 今天 (of a speech read later) does not give it.
        "day",
        re.compile(r"哪天|哪一天|几号|几月几[日号]|具体日期|什么日子|哪一日"),
        re.compile(
            r"\d+\s*月\s*\d+\s*[日号]|[一二三四五六七八九十]+月[一二三四五六七八九十初廿]+[日号]?|\d+\s*[日号]|"
            r"(?:初|廿)[一二三四五六七八九十]|元旦|春节|除夕|中秋|国庆|端午|清明|当天|当日|同日|次日|翌日"
        ),
    ),
    Detail(
        "date",
        re.compile(
            r"什么时候|啥时候|何时|什么时间|啥时间|哪天|哪一天|几号|几月|哪年|哪一年|日期|几点钟|具体时间|截止|期限是|"
            r"(?:早上|上午|中午|下午|晚上|明天|今天)几点|几点(?:开|到|结束|出发|集合|见|上班|下班)|"
            r"多久|多长时间|几天|几年"
        ),
        re.compile(
            r"\d+\s*[年月日号天]|[一二三四五六七八九十两]+(?:年|个月|月|日|天|周)|元旦|春节|年终|岁末|"
            r"第一时间|立即|马上|尽快|当天|定期|期间|以来|世纪|年代|时期|年间|"
            r"[汉唐宋元明清隋晋秦周商]朝|[汉唐宋元明清隋晋秦周商]代|[春夏秋冬][季天]"
        ),
    ),
    Detail(
        # A length of time asked for (整改期限是几天, 停业多久, 要持续多长时间): a number of days,
        # months or years answers; 第一时间 or 定期 says when, not how long.
        "duration",
        re.compile(
            r"(?:期限|时限|时长|工期|周期|限期)(?:一般|具体|到底|大概)?(?:是|为|有)?(?:多久|多长|几天|多少天|几个月|几年|多少年)|"
            r"(?:持续|停业|停产|关停|待|住|放假|拘留|判|坐牢|服刑)(?:了|上)?(?:多久|多长时间|几天|多少天|几个月|几年|多少年)|"
            # 几天内改完, 有没有说几天: a number of days asked for (多久改完 asks how soon: 第一时间, 立行立改)
            r"(?:几天|多少天)(?:内|之内)?(?:要|得|能|必须)?(?:整改|改|完成|办|做|弄)完|(?:说|给|规定|限)(?:了)?(?:几天|多少天)"
        ),
        re.compile(
            r"\d+(?:\.\d+)?\s*(?:多|余)?\s*个?\s*(?:年|月|周|星期|天|日|小时|钟头|分钟|世纪)|"
            r"[一二三四五六七八九十两百千半几]+(?:多|余)?个?(?:年|月|周|星期|天|日|小时|钟头|分钟|世纪)|"
            r"当天|当日|即日|长期|永久|终身|无期"
        ),
    ),
    Detail(
        "name",
        re.compile(r"叫什么名字|叫啥名?|叫什么|名字|全称|(?<!百)姓(?:什么|啥)|是谁|哪位|哪个人|什么人"),
        # "问责的对象是谁": a group named by its role answers who, not a name (see full_name).
        re.compile(rf"{_NAMED.pattern}|{_ROLES}"),
    ),
    Detail(
        # A name asked for as such ("叫什么名字"), not just "who is it": only about the document
        # itself does this differ from "name" (see META_DETAILS).
        "full_name",
        re.compile(r"叫什么名字|叫啥名|名字叫|(?<!百)姓(?:什么|啥)|全名|全称|姓名"),
        _NAMED,
    ),
    Detail(
        "place",
        # "是哪里说的", "在哪儿提到的": where in the text, which the passage's place answers.
        re.compile(
            # "在哪一年" asks when, not where
            r"(?:在哪|哪里|哪儿)(?!(?:里|儿)?(?:说|讲|提|写)(?:的|到|过)|一?[年天日]|个?(?:月|时候|时期|朝代))|什么地方|啥地方|地址|地点|"
            r"哪个区|哪个市|哪个城市|哪个酒店|宾馆|(?<![盯抓记守稳管顶挡保拦扣])住哪|哪(?:些|个|几个)地方|"
            r"(?:先|要|会)?(?:去|到)哪(?:里|儿)?(?=查|检查|看|视察|开会|集合|$)"
        ),
        re.compile(r"[\u4e00-\u9fff]{2,6}(?:省|县|镇|街道|路|号楼|酒店|宾馆|大厦|广场)"),
    ),
    Detail(
        # Another district or city than the one the document speaks for ("隔壁区是怎么做的").
        "elsewhere",
        re.compile(r"(?:隔壁|别的|其他|其它|兄弟)[\u4e00-\u9fff]{0,3}?(?:区|县|市|省|城市|地区)"),
        re.compile(
            r"(?:隔壁|别的|其他|其它|兄弟|周边|外)[\u4e00-\u9fff]{0,3}?(?:区|县|市|省|城市|地区)|各地"
        ),
    ),
    Detail(
        # A list of names (which firms were named, which officials were held to account).
        "roster",
        re.compile(r"名单|名录"),
        re.compile(r"名单|名录"),
    ),
    Detail(
        # Which firms or which officials, by name (哪几家企业, 哪些干部被问责, 哪些单位被点名):
        # a company's or a person's name answers (an encyclopedia's 哪家公司), a role does not.
        # Vague like a name: a proper noun jieba does not know may be one.
        "firm",
        re.compile(
            r"(?<!发现)(?<!要是)(?<!如果)哪(?:几|些)?家|哪些(?:干部|官员|领导干部|人)(?:被|受到)|"
            # 哪些干部因为整改不力被问责了: who was punished, by name
            r"哪(?:些|几个|几位)(?:干部|官员|领导干部|人|单位|企业)[^,，。?？]{1,10}(?:被|受到)(?:了)?(?:问责|处分|处罚|追责|查处|点名|通报)了|"
            r"哪(?:个|几个|些)(?:电视台|频道|报纸|报社|网站|公众号|app|应用)|"
            r"(?:哪些|哪几)[^,，。?？]{0,12}被点名|点了(?:哪些|谁)的?名"
        ),
        re.compile(
            rf"{_NAMED.pattern}|[\u4e00-\u9fff]{{2,10}}(?:公司|集团|银行|大学|学院|医院|工厂|电视台|出版社|俱乐部)"
        ),
    ),
    Detail(
        # How to get something done: where to apply or sign up, which app, what papers to bring.
        # A passage says what is to be done; the way to do it is rarely in it.
        "procedure",
        re.compile(
            r"怎么办理|如何办理|怎么办证|(?:去|到|在)哪(?:里|儿)?(?:报名|办|申请|领|买)|哪(?:里|儿)有卖|怎么报名|如何报名|"
            r"怎么申请|如何申请|(?:哪个|什么|啥)(?:app|应用|软件|小程序|平台)|(?<!走)(?<!走个)流程|(?<!走)手续|"
            r"(?:带|准备|交|提交|要)(?:啥|什么|哪些)材料|审批"
        ),
        re.compile(r"办理|申请|报名|登录|网址|网站|app|小程序|流程|手续|窗口|材料"),
    ),
    Detail(
        # An article of a law or regulation (安全生产法第几条规定…): a speech paraphrases laws,
        # it rarely cites them by article. "那句是第几条里的" asks where in the text instead.
        "article",
        re.compile(
            r"(?:法|条例|规定|制度|办法|》)[”\"」』]?(?:的)?(?:第几条|哪一?条)|第几条(?:规定|讲|提|说)|法条|条款|"
            # 法律法规具体是哪部法: a law by name, which "法律法规" does not give
            r"哪(?:一)?部(?:法律|法规|法)"
        ),
        re.compile(r"第[一二三四五六七八九十百零\d]+条|条款|条文"),
    ),
    Detail(
        # A standard or a scale to meet (消防检查的具体标准, 罚款有标准吗, 考核细则, 要达到几级): a
        # speech asks for "the strictest standard", it does not state one.
        "standard",
        re.compile(
            r"标准(?:是|有|为)?(?:啥|什么|哪些|多少)|有(?:没有)?(?:具体的?)?标准(?:吗|不|没|么)?|细则|(?:分|达到|要到|算)几级"
        ),
        re.compile(r"标准[为是:：]|[一二三四五\d]级|不得(?:超过|低于)|不少于|不超过|不低于"),
    ),
    Detail(
        # A file to send or download (a template, the full text, a link): a passage only quotes.
        "document",
        # "那句原话发我" asks to be shown a passage, not sent a file.
        re.compile(
            r"模板|范本|样表|下载|链接|电子版|pdf|(?<!原话)(?<!原文)(?<!那句)(?<!这句)(?<!那段)(?<!这段)"
            r"(?:发我|发给我|传给我|发过来)|发一份|发一个|给我一份"
        ),
        re.compile(r"附件|下载|链接|网址|http|模板|范本"),
    ),
    Detail(
        # A sanction asked for by its kind (什么处分, 记过还是撤职, 会不会吊销执照): 追究责任 or
        # 严肃问责 says that there will be one, not which.
        "penalty",
        re.compile(
            r"(?:什么|啥|哪种|哪些|怎样的|什么样的)(?:纪律)?(?:处分|处罚|惩罚)|"
            r"(?:会|要|被|给)(?:被)?(?:记过|撤职|降职|降级|开除|免职|判刑|吊销|停业整顿)(?!后|之后|以后|时|前)|"
            r"(?:记过|撤职|降级|开除)还是|判几年|坐牢"
        ),
        re.compile(r"记过|撤职|降职|降级|开除|免职|警告|处分|判处|徒刑|拘役|罚|惩|吊销|停业|关闭"),
    ),
    Detail(
        # Who wrote it (这讲话谁写的, 作者是谁, 谁起草的): an author, which a speech read out
        # rarely names; vague like a name, as an encyclopedia may name one without 著 or 作者.
        "author",
        re.compile(r"谁写的|谁写了|作者是|作者叫|哪位作者|谁起草|起草人|执笔人|谁执笔|撰稿人|谁撰写"),
        re.compile(r"作者|著|撰|执笔|起草|编写|创作|写成|所写|编著|主编|写的|写了"),
    ),
    Detail(
        # What came of something (查出了哪些问题, 结果出来了吗, 评价怎么样, 跟去年比多了还是少了):
        # a finding, a verdict or a comparison, which a passage gives as figures or in words
        # that judge or compare.
        "outcome",
        re.compile(
            r"(?:查|发现|排查|检查)(?:出来?|到)?(?:了)?(?:哪些|什么|多少|几个|几处|几项)(?:问题|隐患|毛病)|"
            r"结果(?:出来|怎么样|如何|是什么|是啥|咋样)|(?:评价|评分|打分|成绩)(?:怎么样|如何|是什么|咋样|高不高|好不好)|"
            r"(?:怎么|如何|咋)(?:评价|评分|打分)(?:的|了)|"
            r"满意吗|满不满意|通报了吗|有没有通报|打了?(?:几|多少)分|合格(?:了)?没|合不合格|及格(?:了)?没|过没过关|"
            r"(?:跟|和|比|与)(?:去年|往年|上次|上年|同期)[^,，。?？]{0,12}(?:多了|少了|增加|减少|变化|好了|差了|比)"
        ),
        re.compile(
            rf"{_COUNT}|满意|评价为|评为|打分|得分|分数|满分|合格|及格|优秀|同比|环比|比去年|较去年|比上年|较上年|增长|下降|增加了|减少了|"
            r"获得|荣获|获胜|击败|夺得|排名|名列"
        ),
    ),
    Detail(
        "number",
        re.compile(
            # 几个 before 之间/一起/互相 means "several" (几个部门之间要不要配合), not "how many"
            # 这几个/那几条 point at items named before ("总结里那几个最"), they do not count them
            # 几个有责的说法 names a saying by its words (人人有责、层层负责…), it counts nothing
            r"多少(?!钱)|(?<![这那])几个(?![\u4e00-\u9fff]{1,4}?(?:之间|一起|互相|相互)|[\u4e00-\u9fff]{1,6}?的?(?:说法|提法|口号|表述|词儿?))|几次|(?<![这那])几项|几名|几人|几位|几家|(?<![这那])几条|几起|几处|几回|几遍|数量|比例|百分之|"
            r"多远(?!大)|多高(?![兴效]|的?(?:位置|地位|层面|程度|站位|高度|要求))|多深(?![刻入化])|多宽|多厚|多重(?![要视大])|多长(?!时间|远)|多大(?:面积|规模)"
        ),
        re.compile(_COUNT),
    ),
)

# A question that asks for a list ("有哪些措施", "几个方面"): a heading whose part lists points
# answers it with those points.
WANTS_LIST = re.compile(
    r"哪些|哪几|几个方面|几方面|(?<!第)几(?:点|条|项|种)|分别|列举|都有啥|都有什么|有什么(?:措施|办法|要求|做法|举措)|"
    r"[两二三四五六七八九\d](?:个|条|项|点)(?:方面|要求|措施|办法|做法|举措|任务|重点)"
)


# A question about what happens to those who fail to do something ("查出问题不改会怎样", "整改拖拖
# 拉拉的会咋样"), and the words of a sentence that says what happens (追究, 问责, 导致).
ASKS_CONSEQUENCE = re.compile(
    r"会怎样|会怎么样|会咋样|会如何|(?:什么|啥)后果|后果是|下场|会被(?:怎么|咋|如何)|"
    r"(?:怎么|咋|如何)(?:处理|处置|收拾|惩罚|处罚)|会受到(?:什么|啥|怎样)"
)
# A question whether something is enough (…就完事了吧, 就行了吗, 够不够), and the words of a
# sentence that says what more is needed (不仅…还要, 不是…而是, 既要…又要).
ASKS_ENOUGH = re.compile(
    r"就(?:算)?(?:行|好|够|可以|完事|得了|成|搞定|能搞定|万事大吉|没事|完了)(?:了)?(?:吧|吗|嘛|呗|么|[?？]|\s*$)|"
    r"够不够|够了吗|就够了|"
    # "安全不就是政府的事么", "安全只是老板的事吗": is it only that?
    r"不就是[^,，。?？]{1,12}(?:么|吗|嘛|吧)|只是[^,，。?？]{1,10}的事(?:儿)?(?:吗|么|嘛|吧)"
)
STATES_MORE = re.compile(r"不仅|不只|不光|不单|还要|更要|更需要|而是|既要|又要")
# Asked whether it is ever done (就算完事了吧, 抓一阵子就行), a leader saying it never is (永远在路上,
# 没有终点; 长期而艰巨) answers.
ASKS_DONE = re.compile(r"完事|完了|搞定|结束|到头|一阵子|干完|算完|一劳永逸")
DENIES_DONE = re.compile(r"永远|没有终点|长期|始终|持续")
# Asked, colloquially, when it will ever be over (干到啥时候算完, 有没有终点, 啥时候是个头): not a
# date asked for, which "什么时候结束" may be. Answered by a passage that says it never is.
ASKS_EVER_DONE = re.compile(r"算完|完事|到头|是个头|有头|有(?:没有)?(?:个)?终点|一劳永逸|一阵子")
NEVER_DONE = re.compile(r"永远|没有终点|没有止境|无止境|永无止境")
FAILING = re.compile(r"不|没|拖|敷衍|糊弄|应付|马虎")
STATES_CONSEQUENCE = re.compile(r"导致|致使|造成|以致|后果|追究|问责|处罚|惩|处分|罚款|吊销|取缔|代价")


# Details whose presence in a passage the `has` patterns recognise reliably: a reply that lacks one
# of these when the question asks for it does not answer (names and places are too varied).
DECISIVE = frozenset(
    {
        "phone",
        "amount",
        "frequency",
        "year",
        "day",
        "date",
        "duration",
        "number",
        "elsewhere",
        "procedure",
        "penalty",
        "roster",
        "document",
        "article",
        "standard",
        "outcome",
    }
)
# The details a reply about the document itself (who speaks, on what occasion …) must show when
# asked for: a name asked for as such, not a count, which it may give as a list
# ("前面几位同志讲了什么": xxx同志、xxx同志).
META_DETAILS = (DECISIVE - {"number"}) | {"full_name"}
# Names and places: too varied for a pattern to see reliably, a feature of their own in the matcher.
VAGUE = frozenset({"name", "place", "firm", "author"})


# A name or place the document masks, as scraped templates do (xx组长, xxx同志, 某某区): the
# detail is there in form but not in fact. Group 1 is what the mask stands before.
_MASK = r"(?:[x×*＊]{2,}|某某)"
MASKED = {
    "name": re.compile(rf"{_MASK}((?:{_TITLES}|县长|局长|部长|经理))"),
    "place": re.compile(rf"{_MASK}((?:省|市|区|县|镇|乡|村|街道|社区|路))"),
}


_SENT_BY = re.compile(r"哪(?:里|儿)?(?:派|委派|组织)(?:来|下来|过来)?的")
_USED_ON = re.compile(r"[用花投]在(?:哪|什么地方|啥地方)")


# Saying what is to be asked (想核实几个细节, 问你几个问题): not a count asked for.
_PREAMBLE = re.compile(
    r"(?:问|请教|核实|确认|咨询|了解|打听)(?:你|您)?(?:一下|下)?几个小?(?:问题|细节|事情?|情况)"
)


# An approximate quantity told, not asked (住了十几个租客, 几十年来).
APPROXIMATE = re.compile(r"[十百千万]几|几[十百千万]")
# A law or rule named: its 第几条 asks for an article.
_LAW = re.compile(r"《|法律|法规|条例|规定|规章|法[”\"」』]?(?:的)?(?:第|哪)")
# Where in the document something stands (举一反三在第几部分第几条, 在哪部分, 是哪一点): the
# passage and its place answer, not a number or a place; a law's article (消防法第几条) is asked.
_LOCATING = re.compile(
    r"(?<=内容|说法|提法|那段|那句|部分)在哪(?:里|儿)?|(?<![法例定])(?:在|是|属于|出自|来自|位于)?(?:讲话|文中|原文)?(?:的)?(?:第几|哪一|哪个|哪)(?:大)?"
    r"(?:部分|条(?![路街河江线巷道])|点|段(?![路])|块|节|句|项)(?:的)?(?:第几(?:条|点|项|个|句))?"
)


# When something must be dealt with (隐患要啥时候处理, 问题什么时候改): how soon, which a rule
# says in words (第一时间, 立行立改, 早发现早治理), not a day.
_ASKS_PROMPTNESS = re.compile(
    r"(?:什么时候|啥时候|何时|多会儿?)(?:就)?(?:要|得|该|必须)?(?:去)?(?:处理|整改|改|解决|治理|处置|上报|报告|落实|排查|动手|行动)"
)


@functools.lru_cache(maxsize=512)
def wanted(text: str) -> tuple[Detail, ...]:
    """The details whose question pattern matches the normalised question. A question
    that asks for a list ("有几条要求") wants the items, whose count the list itself gives; one
    that asks how often ("多久一次") wants a frequency, not a date. Kept for the last questions: the
    matcher, the reply and the decline each ask it of the same question."""
    text = APPROXIMATE.sub("多", _PREAMBLE.sub("，", text))
    if not _LAW.search(text):
        text = _LOCATING.sub("，", text)
    found = [d for d in DETAILS if d.wants.search(text)]
    if found and (WANTS_LIST.search(text) or any(d.name == "phone" for d in found)):
        found = [d for d in found if d.name != "number"]  # 电话是多少 asks for the phone number
    if any(d.name == "frequency" for d in found):  # "多久一次" asks how often, not when
        found = [d for d in found if d.name not in ("year", "day", "date", "duration")]
    if any(d.name == "duration" for d in found):  # "期限是几天" asks how long, not when
        found = [d for d in found if d.name != "date"]
    if _ASKS_PROMPTNESS.search(text):  # "隐患要啥时候处理" asks how soon (第一时间, 早发现早治理)
        found = [d for d in found if d.name not in ("year", "day", "date")]
    if ASKS_EVER_DONE.search(text):  # "干到啥时候算完" asks whether it ends, not the day it does
        found = [d for d in found if d.name not in ("year", "day", "date", "duration")]
    if _SENT_BY.search(text):  # "督查组是哪里派来的" asks which body sent them (市委、市政府), not where
        found = [d for d in found if d.name != "place"]
    if _USED_ON.search(text):  # "钱用在哪里" asks on what, not where
        found = [d for d in found if d.name != "place"]
    return tuple(found)


def holds(name: str, text: str) -> bool:
    """Whether normalised text holds a detail of the named kind ("date": 2月24日, 年终岁末 …)."""
    return _BY_NAME[name].has.search(text) is not None


_BY_NAME = {d.name: d for d in DETAILS}


def quoted_names(text: str, within: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """[start, end) of the people a passage quotes: the names with titles before its first
    quotation mark (the first within `within`, the sentence that answered), in that sentence
    ("习近平总书记、李克强总理等中央领导同志…强调“…”"); None when that quotation names no one
    (党的十九大报告中提出要“…”)."""
    lo, hi = within or (0, len(text))
    quote = min((i for i in (text.find("“", lo, hi), text.find("「", lo, hi)) if i >= 0), default=-1)
    if quote < 0:
        return None
    start = max(text.rfind(end, 0, quote) for end in "。！？；") + 1
    found = [m for m in _NAMED.finditer(text, start, quote) if not m.group(0).startswith("《")]
    return (found[0].start(), found[-1].end()) if found else None


def missing(text: str, passage: str, *, among: frozenset[str] | None = None) -> str | None:
    """The first detail the question asks for that the passage does not hold (its name),
    optionally only among the named details."""
    return next(
        (d.name for d in wanted(text) if (among is None or d.name in among) and not d.has.search(passage)),
        None,
    )


def masked_place(text: str, document: str) -> bool:
    """Whether the question asks which district, city … (哪个区, 哪个城市) that the document only
    ever masks (xx区): no reply can name it."""
    asking = _asking_masked_place(document)
    return asking is not None and asking.search(text) is not None


@functools.cache  # one entry per document of the knowledge
def _asking_masked_place(document: str) -> re.Pattern[str] | None:
    """What asks for the kinds of place the document masks, found once per document."""
    units = sorted({m.group(1) for m in MASKED["place"].finditer(document)})
    return re.compile(rf"哪(?:个|一个|一)?(?:城)?(?:{'|'.join(units)})") if units else None


def masked(text: str, passage: str) -> str | None:
    """The name or place the question asks about that the passage only masks ("xx区是哪个区"
    against 我代表xx区委: the question names what stands after the mask, 区), or None."""
    for detail in wanted(text):
        pattern = MASKED.get(detail.name)
        if pattern and any(m.group(1) in text for m in pattern.finditer(passage)):
            return detail.name
    return None

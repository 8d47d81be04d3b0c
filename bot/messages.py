"""Everything speech-bot says to users, in Simplified Chinese, in one place for review.

Plain-text templates are used by the terminal chat; `*_html` ones by Telegram, where the
caller escapes every user-derived value before formatting.
"""

from __future__ import annotations

# ---- answers --------------------------------------------------------------------------------
EMPTY_QUESTION = "请用文字输入一个关于讲话内容的问题，例如：“隐患排查的重点领域有哪些？”"
DECLINED = "这篇讲话里没有讲到这个问题。"
DECLINED_SUGGEST = "您可以看看这些相关内容："
DECLINED_RELATED = "讲话里相关的内容是这些："
COMPLAINT_SUGGEST = "也可能是这些内容："
DECLINED_NO_SUGGEST = "可以发送 /outline 查看讲话提纲，或换个说法再问。"
LOCATION = "出处：{location}"
# "这是哪部分的" after an answer.
WHERE_IT_IS = "这段在{location}。"
# "这是谁说的" after a passage that quotes someone.
QUOTED_BY = "这是讲话引用的{who}的话："
# Before the answer about the second thing a message asks about ("第二部分和第五部分分别讲了什么").
ALSO_ASKED = "关于“{question}”："
OUTLINE_TITLE = "讲话提纲（共{count}部分）"
OUTLINE_SUMMED_UP = "结束语用一句话概括：{text}"
PART_POINTS = "这部分共{count}点："
PART_NO_POINTS = "这部分没有分点，内容如下："
MORE_CONTEXT = "更多上下文"
CONTEXT_TITLE = "上下文："
TOO_LONG_NOTE = "（消息太长，我只读了前{limit}个字。）"
UNSURE = "不太确定，可能是这段："
UNSURE_OTHERS = "也可能是："
# A declined question that asks for a detail the closest passage does not give.
MISSING_DETAIL = {
    "frequency": "讲话里没有说具体多久一次。",
    "year": "讲话里没有给出具体的年份。",
    "day": "讲话里没有给出具体是哪一天。",
    "date": "讲话里没有给出具体的日期、时间或期限。",
    "duration": "讲话里没有给出具体要多长时间。",
    "name": "讲话里没有提到具体的人名。",
    "full_name": "讲话里没有给出具体的名字。",
    "amount": "讲话里没有给出具体的金额。",
    "number": "讲话里没有给出具体的数字。",
    "place": "讲话里没有提到具体的地点。",
    "phone": "讲话里没有给出联系电话或联系方式。",
    "elsewhere": "讲话只讲本地的工作，没有提到其他地区的情况。",
    "roster": "讲话里没有列出具体的名单。",
    "firm": "讲话里没有点出具体是哪些单位或个人。",
    "penalty": "讲话里没有说具体给什么处分或处罚。",
    "procedure": "讲话里没有讲具体的办理流程、渠道或所需材料。",
    "document": "我只能引用讲话原文，没有可以发送或下载的文件、模板或链接。",
    "article": "讲话里没有引用具体的法律条文或条款。",
    "standard": "讲话里没有给出具体的标准、等级或细则。",
    "outcome": "讲话里没有讲检查或工作的具体结果、评价或对比。",
    "author": "讲话里没有写明作者或起草人。",
    "relayed": "讲话只提到前面的同志作了讲话，没有转述他们讲的具体内容。",
}
NO_SUCH_PART = "讲话共{limit}部分，没有第{part}部分。发送 /outline 看看提纲。"
NO_SUCH_POINT = "第{part}部分只有{limit}点，没有第{point}点。"
NO_POINTS = "第{part}部分没有分点。发送 /outline 看看提纲。"
END_OF_DOCUMENT = "讲话到这里就结束了。可以发送 /outline 看看提纲，或问别的问题。"
CLARIFY = "您是想接着问哪一段呢？先问一个具体的问题，或发送 /outline 看看讲话提纲。"
FOREIGN = "I answer questions in Chinese about a Chinese speech. 我只回答关于这篇中文讲话的问题，请用中文提问，或先看看提纲。"
# Small talk: a short friendly reply for each kind, never a passage.
SMALLTALK = {
    "greeting": "你好！我能回答关于这篇讲话的问题，直接问就行。",
    "thanks": "不客气！还有什么想问的，随时发给我。",
    "ack": "好的。还有问题随时问我。",
    "who": "我是讲话问答机器人：你问讲话里的内容，我回复原文和它在讲话中的位置。",
    "abilities": "我能回答关于这篇讲话的问题，给出原文和出处；也可以发送 /outline 按部分阅读讲话。",
    "bye": "再见！有问题随时来问。",
    "laugh": "😄 还有什么想了解的吗？",
    "complaint": "抱歉，刚才可能没答准。可以换个说法再问，或发送 /outline 看看讲话提纲。",
    "chat": "闲聊我不太在行，不过关于这篇讲话的问题都可以问我，比如“隐患排查重点查哪些行业”。",
    "intro": "您好！想了解讲话的哪方面？直接问就行，比如“隐患排查重点查哪些行业”。",
    "task": "这件事我帮不上忙：我只在这篇讲话里找原文回答问题。可以发送 /outline 看看讲话提纲。",
}

# ---- terminal chat -----------------------------------------------------------------------------
NO_CONTEXT = "先问一个问题，再用 /more 查看它的上下文。"
CHAT_HELP = "直接输入问题；/more 看上一个回答的上下文，/outline 看提纲，/quit 退出。"
CHAT_UNKNOWN_COMMAND = "这里没有这个命令。" + CHAT_HELP
CHAT_BANNER = "你好！我可以回答关于《{title}》的问题。" + CHAT_HELP
CHAT_PROMPT = "问> "
CHAT_BYE = "再见！"

# ---- Telegram ----------------------------------------------------------------------------------
START_HTML = (
    "你好！我能回答关于<b>《{title}》</b>的问题，并给出讲话原文。\n"
    "讲话共{count}部分：{outline}\n\n"
    "直接用中文提问就行，比如点下面的例子："
)
# /help is generated from the command table; these are its fixed lines.
HELP_INTRO_HTML = (
    "<b>怎么用</b>\n直接发问题，例如“整改有哪些要求”，我会回复讲话中对应的原文和出处。"
    "接着可以问“下一点”“详细说说”。"
)
HELP_ADMIN_TITLE_HTML = "<b>管理员命令</b>"
HELP_OUTRO_HTML = (
    "在群里请 @我、回复我的消息或发命令；别的机器人的命令我不理会。"
    "在任何聊天里输入 @{username} 问题 也能查询。\n"
    "修改已发出的问题，我会改写原来的回答。消息太快时我会说明要等几秒，然后接着回答。"
)
# Command descriptions: the menu (set_my_commands) and /help both show them.
COMMAND_DESCRIPTIONS = {
    "start": "开始，显示讲话概要和例子",
    "help": "使用帮助",
    "outline": "讲话提纲，按部分、要点阅读",
    "section": "查看某一部分的要点",
    "read": "阅读某一部分全文",
    "search": "按关键词查找，多个词用空格分开",
    "stats": "提问和反馈统计",
    "reload": "重新加载知识库",
}
COMMAND_USAGE = {"section": "3", "read": "3", "search": "关键词"}
BOT_DESCRIPTION = (
    "我能回答关于《{title}》的问题：你问讲话里的内容，我回复原文和出处。发送 /outline 按部分阅读。"
)
BOT_SHORT_DESCRIPTION = "回答《{title}》的问题，给出原文和出处"
UNKNOWN_COMMAND_HTML = "没有这个命令。" + "发送 /help 查看用法。"
EXAMPLE_QUESTIONS = ("隐患排查的重点领域有哪些？", "督查发现的问题怎么整改？", "讲话分哪几个部分？")
OUTLINE_HTML = "<b>讲话提纲</b>（点按钮查看该部分的要点）："
SECTION_USAGE = "用法：/section 数字，例如 /section 3（共{count}部分）。"
READ_USAGE = "用法：/read 数字，例如 /read 3（共{count}部分）。"
SECTION_NOT_FOUND = "没有第{number}部分，讲话共{count}部分。"
SEARCH_USAGE = "用法：/search 关键词，例如 /search 应急；多个词用空格分开，须同时出现。"
SEARCH_NONE = "讲话中没有找到包含“{keyword}”的句子。"
SEARCH_NONE_ALL = "讲话中没有找到同时包含“{keyword}”的句子。"
SEARCH_HEADER = "包含“{keyword}”的句子共{count}处（第{page}/{pages}页），点编号查看："
PREVIOUS_PAGE = "« 上一页"
NEXT_PAGE = "下一页 »"
PREVIOUS_POINT = "◀ 上一点"
NEXT_POINT = "下一点 ▶"
BACK_TO_OUTLINE = "返回提纲"
OPEN_OUTLINE = "查看讲话提纲"
BACK_TO_PART = "返回第{number}部分"
READ_FULL = "阅读本部分全文"
BACK_TO_ANSWER = "收起上下文"
SUGGESTION_BUTTON = "{location}：{label}"  # a suggestion says where it leads
STALE_BUTTON = "这个按钮已失效，请重新提问。"
EXPIRED_BUTTON = "知识库已更新，这个按钮已过期，请重新提问或发送 /outline。"
INLINE_MESSAGE_BUTTON = "请在和我的私聊里使用这个按钮。"
FEEDBACK_THANKS_UP = "谢谢反馈！"
FEEDBACK_THANKS_DOWN = "谢谢反馈，我们会改进这个回答。"
FEEDBACK_UP = "👍"
FEEDBACK_DOWN = "👎"
FEEDBACK_UP_CHOSEN = "👍 已赞"
FEEDBACK_DOWN_CHOSEN = "👎 已踩"
FEEDBACK_NOT_YOURS = "这个回答不在这个聊天里，反馈没有记录。"
REASON_PROMPT = "哪里不对？可以直接回复这条消息简单说说（可选）。"
REASON_PLACEHOLDER = "比如：答非所问、不完整"
REASON_THANKS = "谢谢，已记下。"
# Throttling: a user told the real wait once; nothing is dropped without saying so.
SLOW_DOWN = "消息太快了，我会在{seconds}秒后接着回答。"
SLOW_DOWN_TAP = "点得太快了，请{seconds}秒后再点。"
TOO_MANY = "消息太多了，这条我没有处理；前面的问题我会陆续回答，新问题请{seconds}秒后再发。"
ERROR = "抱歉，出了点问题，请稍后再试。"
INLINE_OPEN_BOT = "打开机器人提问"
INLINE_OPEN_IN_BOT = "在机器人里接着看"
INLINE_PART_TITLE = "{location}：{heading}"
INLINE_DUPLICATE_TITLE = "{title}（{n}）"
NOT_ALLOWED = "这个机器人只对指定的聊天开放。"
ASK_IN_TEXT = "我只能读文字消息，请用文字提问（图片或视频可以在说明文字里提问）。"

# ---- admin -----------------------------------------------------------------------------------
RELOAD_OK = "知识库已重新加载：{documents}篇文档，{passages}个段落，{pairs}条精选问答。"
RELOAD_FAILED = "重新加载失败，继续使用原来的知识库：{error}"
RELOAD_ERROR_AT_LINE = "{file} 第{line}行：{problem}"
RELOAD_ERROR_IN_FILE = "{file}：{problem}"
STATS_MORE = "……还有{count}组"
STATS_HTML = (
    "<b>统计（近{days}天）</b>\n"
    "提问 {questions} 次，已回答 {matched}，未能回答 {declined}\n"
    "👍 {up}  👎 {down}\n\n"
    "<b>未能回答最多的问题</b>\n{top}"
)
STATS_NONE = "（暂无）"

# ---- reliability ----
FEEDBACK_NOT_STORED = "抱歉，这次反馈没能记录下来，请稍后再试。"

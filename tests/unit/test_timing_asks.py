"""Question/task classification: recall on real asks, and no deadlines from chatter."""

from __future__ import annotations

import pytest

from plugins.timing.asks import AskKind, classify_ask, find_ask, is_answer, is_chain

QUESTIONS = [
    "明天几点到校？",
    "明天几点到校?",
    "王老师，请问明天要带午饭吗",
    "老师明天上课吗",
    "今天的数学作业是什么",
    "老师，孩子的校服什么时候发",
    "明天是不是要交班费",
    "有没有人知道周五放不放假",
    "老师在吗",
    "那数学作业呢？",
    "这周的活动怎么报名",
    "孩子放学在哪里等",
    "我问一下，明天要带水杯吗",
    "我问一下明天几点到校",
    "老师您看一下孩子的作业是不是写错了",
    "明天在哪集合",
    "家长会几号开",
    "张子涵这次考试怎么样",
    "运动会是否需要穿校服",
    "体检费多少钱",
    "春游能否带零食",
    "请教一下，寒假作业要打印吗",
    "老师，孩子今天表现好不好",
    "周几交报名表",
    "为什么今天没有布置作业",
    "报表模板在哪里下载",
    "ＯＫ吗",
    "想问下老师作文要写多少字",
    "孩子们几点放学",
]

TASKS = [
    "请王老师把上周的成绩单发我一下",
    "麻烦老师看一下孩子的作业",
    "老师好，孩子今天有点咳嗽，麻烦您多关注一下",
    "能不能帮我问问食堂的事",
    "张经理，这个方案今天之内给我",
    "李工负责跟进一下这个客户",
    "小王你尽快把报表发上来",
    "请大家务必在17:00前提交",
    "记得把材料带上",
    "请确认是否参加",
    "烦请老师转告一下",
    "我想请您帮忙看一下孩子的作文",
    "下午3点前报一下人数",
    "周五下班前把总结交给我",
    "这个事情由小李负责",
    "安排一下明天的值班",
    "别忘了明天的安全检查",
    "务必今晚之前上报",
    "帮我转发一下这个通知",
]

NOT_ASKS = [
    "收到",
    "收到！",
    "好的",
    "好的，谢谢老师",
    "谢谢老师",
    "谢谢老师！辛苦了！",
    "老师辛苦了",
    "收到，谢谢",
    "嗯嗯",
    "嗯",
    "👍",
    "👍👍👍",
    "[强][强]",
    "[抱拳]",
    "1",
    "已阅",
    "已读",
    "知道了",
    "明白",
    "好的明白",
    "OK",
    "孩子今天发烧了，请假一天",
    "老师，孩子今天请假",
    "王老师，张子涵今天请病假",
    "孩子今天请了病假",
    "我们马上到",
    "孩子到家了",
    "好的老师，我们今天之内交",
    "好的老师我们今天之内交",
    "孩子会尽快补上",
    "我们会按时交的",
    "什么都不用带",
    "没什么事，谢谢",
    "不管什么时候都可以",
    "什么时候方便都可以",
    "麻烦您了",
    "麻烦老师了",
    "给您添麻烦了",
    "太麻烦了",
    "老师真负责",
    "谢谢老师帮忙",
    "请老师放心",
    "请多关照",
    "今天天气真好",
    "孩子说一下午都在哭",
    "没有没有，不客气",
    "不是不是，是我看错了",
    "我去问一下班主任",
    "我帮您问问",
    "有什么事随时联系我",
    "这次活动很有意义",
    "已经安排好了",
    "明天降温了，大家注意保暖",
    "孩子昨天作业已经交了",
    "好的，我马上处理",
    "不好意思，刚看到",
    "哈哈哈",
    "https://school.example.edu.cn/notice?id=3",
    "孩子在家很听话",
    "这周末带孩子去公园了",
    "感谢老师的辛苦付出",
    "老师讲得真好，孩子很喜欢上语文课",
    "孩子不知道为什么有点咳嗽",
    "多多少少有点感冒",
    "哪里哪里，应该的",
    "谁都不容易",
    "老师提了几点建议，很有帮助",
    "已完成",
    "已提交",
    "祝老师们节日快乐！",
    "我们已经到学校门口了",
    "作业拍照发群里了",
    "",
    "   ",
    "？？？",
    "。。。",
]

CHAIN = "#接龙\n明天带水彩笔，收到请回复\n\n1. 张子涵妈妈 收到\n2. 周雨桐妈妈 收到\n3. 吴俊杰爸爸 收到"


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions(text: str):
    assert classify_ask(text) is AskKind.QUESTION, find_ask(text)


@pytest.mark.parametrize("text", TASKS)
def test_tasks(text: str):
    assert classify_ask(text) is AskKind.TASK, find_ask(text)


@pytest.mark.parametrize("text", NOT_ASKS)
def test_ordinary_chatter_is_not_an_ask(text: str):
    assert classify_ask(text) is None, find_ask(text)


def test_chain_replies_are_never_asks():
    assert is_chain(CHAIN)
    assert classify_ask(CHAIN) is None
    assert classify_ask("1. 张子涵妈妈 收到\n2. 周雨桐妈妈 收到") is None
    assert not is_chain("1. 张子涵妈妈 收到")


def test_request_phrased_as_question_is_a_task():
    assert classify_ask("能不能麻烦您看一下？") is AskKind.TASK


def test_marker_is_reported_for_the_audit_log():
    found = find_ask("王老师，请问明天要带午饭吗")
    assert found is not None and found.marker == "请问"


def test_zero_width_and_full_width_forms():
    assert classify_ask("明天几点\u200b到校？") is AskKind.QUESTION
    assert classify_ask("收\u200b到") is None


@pytest.mark.parametrize(
    ("text", "has_image", "expected"),
    [
        ("明天八点到校", False, True),
        ("收到", False, True),
        ("稍后回复", False, True),
        ("好", False, True),
        ("1", False, True),
        ("ok", False, True),
        ("", True, True),  # a photo of the document
        ("", False, False),
        ("   ", False, False),
        ("👍", False, False),
        ("[强]", False, False),
        ("。。。", False, False),
        ("？", False, False),
    ],
)
def test_is_answer(text: str, has_image: bool, expected: bool):
    assert is_answer(text, has_image) is expected

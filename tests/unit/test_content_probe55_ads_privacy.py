"""Blind probes 55 and 56: their ad, privacy and link misses fixed by kind, each fix
tested beside the ordinary message nearest it, which must stay unflagged
(docs/content-accuracy.md). The words differ from the probes' on purpose: a fix
that catches only the probe's own sentence fails here. (The two teachers' adverts
of the probes are left as they are: staff are exempt from content.ads by default.)"""

from __future__ import annotations

import pytest

from plugins.charter.normalize import normalize
from plugins.content.detectors.contacts import contacts
from test_content_detectors import CTX, TEACHER, _DETECTORS, _told_apart, settings


def _told_apart_by_teacher(rule_id: str, ordinary: str, violation: str) -> None:
    detector, rule = _DETECTORS[rule_id], settings(rule_id)
    assert detector.detect(normalize(ordinary), TEACHER, rule) == []
    assert detector.detect(normalize(violation), TEACHER, rule)


@pytest.mark.parametrize(("ordinary", "advert"), [
    # a QQ number in Chinese numerals beside an offer; not a child's number given alone,
    # not a price asked about
    ("孩子的扣扣号是二八七六五四三二一，同学有事可以找他", "外教口语一对一，扣扣：三五七九二四六八一"),
    ("外教英语一对一多少钱一节？有家长了解吗", "少儿编程一对一，首节课九块九，扣扣 五六七八一二三四九"),
    # a home tutor with a number in Chinese numerals; not a family's own tutor told of
    ("我们请了个上门家教，孩子成绩提高了不少", "大学生上门家教，小初高全科，电話一三九八七六五四三二一"),
    ("上门家教一般多少钱一小时？", "上门陪练钢琴，电话：幺三九 八七六五 四三二一"),
    ("我们请的上门家教老师电话换了，一三九八七六五四三二一", "上门家教，数学英语都教，电话一三九八七六五四三二一"),
    # a flat let with a number; not a taxi, not a flat asked about, not one's own home
    ("出租车司机把孩子送到了校门口，谢谢师傅", "实验小学旁一室一厅出租，适合陪读，电话一五九 八八七六 五四三二"),
    ("学校旁边有两室一厅出租吗？想陪读", "学校对面两室一厅出租，家电齐全，联系一三八 一二三四 五六七八"),
    ("我家住两室一厅，孩子爸爸电话换了13912345678", "三室两厅整套出租，陪读方便，电话13912345678"),
    ("我在学校旁边租了两室一厅陪读，新号码13912345678，老师有事打这个", "学校旁边两室一厅出租，家具齐全，电话13912345678"),
    # homework written for pay, spaced out, with the price left open; not a price talked of
    ("老板说价格好说，我就多买了两本练习册", "代 写 暑 假 作 业 ， 价 格 好 说"),
    ("作文让孩子自己写，家长千万别代写", "代写周记读后感，价格好说"),
    # a WeChat id after "v:" beside an offer with places left; not a parent's id alone,
    # not places asked about
    ("我的v：mama_zhang88，孩子的事随时找我", "教练带孩子学游泳，暑假班还剩3个名额，v：coach_wang88"),
    ("学游泳去哪里好？暑假班还有名额吗", "暑假班还剩两个名额，篮球私教，V: hoop_li2024"),
    # an expert's practice lessons with a WeChat id, full-width and traditional; not sought
    ("想给孩子找个专业的钢琴陪练，有推荐的吗", "專業少兒舞蹈陪練，Ｖ信ａｂｃ６６６８"),
    # a parent's shop offering the class a discount; not a shop asked about, nor another's
    ("学校旁边的眼镜店在哪？孩子要配眼镜", "我家开的文具店给咱们班同学打九折，报孩子名字就行"),
    ("同学家开的书店打八折，挺划算的", "我家开的理发店，本班家长来打八折，报孩子名字"),
    ("我家开的眼镜店搬到人民路了", "我家开的奶茶店给班里家长打八折，报孩子名字就行"),
    # a product sold at the wholesale price; not a parent's diet talked of
    ("有想减肥的家长吗？一起跑步打卡吧", "这款代餐奶昔我自己在喝，可以给大家拿货价"),
    ("我在用的代餐效果特别好，超市就有卖", "这个益生菌我一直在用，可以给你们拿货价"),
    # an estate agent offering flats; not an agent asked about or a husband's job
    ("有家长知道学区房中介哪家靠谱吗？", "我在做二手房中介，手上房源多，价格好商量"),
    ("我老公在做中介，最近挺忙的", "有想换房的家长吗？我在做中介，手上房源多，价格好谈"),
])
def test_probe55_ads_by_kind_and_their_neighbours(ordinary: str, advert: str) -> None:
    _told_apart("content.ads", ordinary, advert)


def test_probe55_contacts_in_chinese_numerals_and_after_v() -> None:
    found = contacts(normalize("扣扣：二八七六五四三二一"))
    assert [(c.kind, c.value) for c in found] == [("qq", "287654321")]
    found = contacts(normalize("有事v：swim_coach_li"))
    assert [(c.kind, c.value) for c in found] == [("wechat", "swim_coach_li")]
    # a count after qq, a word with a v in it, a lone v: none is an id
    for text in ("孩子玩扣扣三四个小时了", "vivo手机怎么设置", "v我五十", "看了个video，很有意思"):
        assert contacts(normalize(text)) == [], text


@pytest.mark.parametrize(("ordinary", "violation"), [
    # a ranking with no number, under a heading; not a contest's placings, not days before
    ("作文比赛前五名：张子涵、李思远、王梓萱，恭喜！", "这次单元测试前三：张子涵、李思远、王梓萱"),
    ("张子涵、李思远、王梓萱前几天一起去了科技馆", "班里成绩前几名就是张子涵、李思远、王梓萱这几个"),
    ("张子涵、李思远、王梓萱期中考试前一直在复习，很认真", "期末总分前十的有张子涵、李思远、王梓萱"),
    # two named pupils' scores compared; not a race, not one's own child's score
    ("张子涵和李思远谁跑得快？孩子们打赌呢", "张子涵和李思远谁考得好？一个92一个85"),
    ("张子涵数学书落在学校了，明天带", "王梓萱语文95，我家才82，差太多了"),
    ("我家孩子考了80分，还要加油", "陈浩然英语考试98，我们家才七十多"),
    # a copier of others' work; not homework copied down for a classmate
    ("李思远把黑板上的作业抄给我家孩子了，谢谢", "李思远作业总是抄同桌的，老师管管吧"),
    # the family matters of a named pupil; not a story, not a parent coming
    ("绘本里小兔子的爸妈离婚了，孩子看哭了", "王梓萱爸妈离婚了，怪不得孩子最近不爱说话"),
    ("陈浩然爸爸明天来接他", "陈浩然家长离婚了，难怪孩子这样"),
    # a named pupil's conduct complained of; not praise, not an apology between parents
    ("刘欣怡上课讲话声音洪亮，老师表扬了", "刘欣怡天天上课说话，影响我家孩子学习"),
    ("王梓萱妈妈，我家孩子把你家孩子的笔弄坏了，对不起", "王梓萱妈妈，你家孩子把我女儿的书撕坏了"),
    ("王梓萱妈妈，你家孩子把我女儿的书捡回来了，谢谢", "王梓萱家长，你家孩子又推了我儿子"),
])
def test_probe55_privacy_by_kind_and_its_neighbours(ordinary: str, violation: str) -> None:
    _told_apart("content.student_privacy", ordinary, violation)


@pytest.mark.parametrize(("ordinary", "violation"), [
    # a named pupil's work not done, counted or again; not without names, not once, not a
    # cup forgotten
    ("作业没交的同学请明天补交", "陈浩然本周作业两次没交，请家长督促"),
    ("张子涵今天忘带水杯了，家长送一下", "张子涵又没带作业本，已经好几次了"),
    ("刘欣怡今天没带作业，家长拍一下发我", "刘欣怡又没带练习册，已经第三次了，请家长重视"),
    # talking in class, called out by the teacher a number of times; not a part read aloud
    ("刘欣怡上课讲话声音洪亮，值得表扬", "刘欣怡上课讲话被我点名两次，家长多提醒"),
    ("李思远今天上课被我点名回答问题，答得很好", "李思远上课说话，这周被我点名三次了"),
])
def test_probe55_privacy_from_a_teacher(ordinary: str, violation: str) -> None:
    _told_apart_by_teacher("content.student_privacy", ordinary, violation)


@pytest.mark.parametrize(("ordinary", "violation"), [
    # a dot written in brackets before a link suffix; not letters joined in a puzzle
    ("按 A（点）B 的顺序连线", "学习资料在 notes（点）vip"),
    ("老师说的网站我找不到，是学霸笔记吗", "百度搜错题本，或者直接进 cuoti【点】top"),
])
def test_probe55_links_by_kind_and_their_neighbours(ordinary: str, violation: str) -> None:
    _told_apart("content.links", ordinary, violation)

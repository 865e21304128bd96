"""Blind probes 57 and 58: their ad and privacy misses, and two false positives of the
round before, fixed by kind, each fix tested beside the ordinary message nearest it,
which must stay unflagged (docs/content-accuracy.md). The words differ from the
probes' on purpose: a fix that catches only the probe's own sentence fails here."""

from __future__ import annotations

import pytest

from plugins.charter.normalize import normalize
from plugins.content.detectors.contacts import contacts
from test_content_detectors import CTX, TEACHER, _DETECTORS, _told_apart, settings


def _told_apart_by_teacher(rule_id: str, ordinary: str, violation: str) -> None:
    detector, rule = _DETECTORS[rule_id], settings(rule_id)
    assert detector.detect(normalize(ordinary), TEACHER, rule) == []
    assert detector.detect(normalize(violation), TEACHER, rule)


def test_probe57_wechat_ids_spelt_otherwise() -> None:
    for text, value in (("有意jia wx：hm_2288", "hm_2288"), ("薇❤：fruit_mama", "fruit_mama"),
                        ("vx：tiku2024 进群", "tiku2024"), ("v💗：abc_12345", "abc_12345")):
        assert [(c.kind, c.value) for c in contacts(normalize(text))] == [("wechat", value)], text
    # 微 alone before a colon, a word ending in vx: no id
    for text in ("稍微:abcdef", "kvx:abcdef", "微:abcdef"):
        assert contacts(normalize(text)) == [], text


@pytest.mark.parametrize(("ordinary", "advert"), [
    # a WeChat id spelt vx, wx or with a heart, beside free papers or handouts or a group to
    # join; not a parent's id given to the teacher, a freebie asked about or the school's
    ("老师，这是我的wx：zhangma2024，有事找我", "加 v x：yingyu666，免费领英语听力资料"),
    ("有家长知道哪里能免费领真题吗？", "扣扣：357924681，期末试卷免费送"),
    ("学校发的期末复习资料免费领，在传达室", "vx：tiku2024 进群领小升初数学题库"),
    ("我们小区团购群进群送了个鸡蛋，哈哈", "薇❤：fruit_mama，新鲜荔枝今天到货，特价"),
    ("超市今天水果特价，我买了两箱", "v💗：fruit_mama，每天都有特价水果"),
    # a price for those the seller knows; not a relative's favour told
    ("老家的亲戚给了老乡价，便宜不少", "微信同号18812345678，装修找我，亲情价"),
    # one's own trade said first, with a number; not a husband's job
    ("孩子爸爸是做保险的，经常出差，有事打我电话13912345678", "做保险的，孩子的意外险都可以找我，电话13912345678"),
    # work from home for whoever means to take it, 代理 cut to dl; not a craft one can do at home
    ("手工课的灯笼在家就能做，有意思", "在家就可以做，时间自由，有意加我"),
    ("手工在家就能做，有意向的家长可以报名学校的手工课", "招dl，手机上就行，详情问我"),
    # a reward for bringing in others; not a manner taught
    ("班会上老师介绍有礼貌的孩子是怎么做的", "英语口语班暑期报名，邀请好友报名有奖"),
    ("老师推荐新同学当班长，孩子可高兴了", "少儿美术春季班开始报名啦，老带新送两节课"),
    # cashback from the seller on an order; not a shop's cashback had or asked about
    ("商家给我返现了，这个学习机还挺好用", "我卖的护眼台灯，群里家长买的我给红包"),
    ("京东下单有返现吗？想买学习机", "推荐一款护眼灯，各位买了我给返现"),
    # one's own account to follow; not the school's, nor a child's own asked of the speaker
    ("关注一下学校的公众号，通知都在上面", "帮忙关注一下我的小红书，谢谢各位家长"),
    ("孩子让我关注我的公众号，原来是他自己注册的", "关注一下我的视频号，每天更新育儿知识"),
    # likes to collect for a free course; not a teacher's reward in class
    ("老师说集满十个赞可以换一朵小红花，孩子可积极了", "集满十八个赞就送体验课一节，各位家长支持一下"),
    # a fruit group-buy priced in numerals; not the parents' committee's, not one had
    ("家委会团购车厘子，五斤装一百二，要的接龙", "团购脐橙，五斤装五十，要的接龙"),
    ("团购了五斤装的车厘子，挺甜的", "团購荔枝，三斤裝六十，要的接龍"),
    # a school's own poll; (a contest entry's number still is an ad)
    ("我家孩子的画在学校公众号上参加评选，麻烦大家帮忙投一票", "少儿才艺大赛8号是我家孩子，麻烦大家帮忙投一票"),
    # 微商 spoken of, a relative's or complained of (probe 55/56's false positive); not one's own
    ("孩子姑姑在做微商，天天刷屏烦死了", "我在做微商，儿童面膜，需要的看朋友圈"),
    ("我表妹也是做微商的，朋友圈全是广告，都屏蔽了", "本人做微商三年，有需要的私聊"),
])
def test_probe57_ads_by_kind_and_their_neighbours(ordinary: str, advert: str) -> None:
    _told_apart("content.ads", ordinary, advert)


@pytest.mark.parametrize(("ordinary", "violation"), [
    # homework's questions copied down for the speaker's child (probe 55/56's false positive);
    # not others' work copied
    ("李思远天天帮我家孩子抄作业题目，谢谢他", "李思远天天抄别人的作业，老师也不管"),
    # the parents spoken of for not checking the pupil; not a question to them, nor one addressed
    ("王梓萱爸妈也不管管孩子的作业吗", "王梓萱爸妈也不管管，孩子天天打人"),
    ("陈浩然家长，孩子今天在学校骂人了，请您管管", "陈浩然家长从来不管，孩子天天说脏话"),
    # a named pupil's result set against the speaker's child's; not the speaker's own told
    # lower, nor a pupil's own progress
    ("我家考得没王梓萱好，还要加油", "王梓萱考得不如我家，她妈还到处炫耀"),
    ("王梓萱这次成绩比上次好多了", "我家孩子比王梓萱考得好一点"),
    ("我家孩子这次考了九十八，还不错", "刘欣怡数学考了八十五，我家孩子九十"),
    ("李思远考了两三回才过级", "张子涵比李思远少考了二十分吧"),
    # a named pupil's place asked; not one's own, nor a seat
    ("我家这次排第几？老师能私信告诉我吗", "陈浩然这次考了第几名？"),
    ("李思远坐第几排？我想让孩子跟他坐近点", "李思远期中排多少名啊"),
    # a phone played with in class; not a rule passed on, nor someone else's deed
    ("刘欣怡提醒同桌不要上课玩手机", "听说刘欣怡上课玩手机，被老师发现了"),
    ("陈浩然说有人偷玩他的平板", "陈浩然课间偷玩手机，已经被没收了"),
    # a romance told; not a class meeting's topic
    ("王梓萱在班会上讲了早恋的危害，讲得很好", "听说王梓萱在谈恋爱"),
    # work copied from a source; not a pupil copied from
    ("王梓萱的作文被同学抄袭了，老师已经处理", "王梓萱的读后感抄袭网上的"),
])
def test_probe57_privacy_by_kind_and_its_neighbours(ordinary: str, violation: str) -> None:
    _told_apart("content.student_privacy", ordinary, violation)


@pytest.mark.parametrize(("ordinary", "violation"), [
    # copying told by the teacher; not a rule with a pupil praised
    ("写作文要自己写，不要抄袭，李思远这次写得很用心", "张子涵的读后感抄袭网上的，已经让他重写"),
    # talking in class that goes on; not attention praised
    ("李思远上课一直很认真，值得表扬", "李思远上课总是讲话，屡教不改，请家长配合"),
    # a phone taken away; not a phone left behind
    ("陈浩然的手机落在教室了，请家长来学校领", "陈浩然午休时玩手机被没收，家长放学来拿"),
    # a pupil disturbing the others at nap time; not a worry of a sick child's, nor a denial
    ("刘欣怡感冒了，怕影响其他小朋友，今天先在家休息", "张子涵睡觉时总讲话，影响别的小朋友休息"),
    ("刘欣怡午睡很安静，从不影响其他小朋友", "刘欣怡午睡时总是吵闹，影响其他孩子休息"),
])
def test_probe57_privacy_from_a_teacher(ordinary: str, violation: str) -> None:
    _told_apart_by_teacher("content.student_privacy", ordinary, violation)

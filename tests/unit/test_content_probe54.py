"""Blind probe 54's misses and its false positive, fixed by kind: each fix tested beside
the ordinary message nearest it, which must stay unflagged (docs/content-accuracy.md)."""

from __future__ import annotations

import pytest

from plugins.charter.normalize import normalize
from plugins.content.detectors.contacts import contacts
from test_content_detectors import _told_apart


@pytest.mark.parametrize(("ordinary", "abusive"), [
    # the false positive first: a parent asking whether a quoted word is a swear word; the
    # word used, or quoted and aimed, is abuse
    ("孩子问“白痴”算不算骂人的话，我说算，大家觉得呢？", "你是不是白痴，听不懂吗"),
    ("tmd是脏话吗？孩子在游戏里看到的", "tmd，天天刷屏"),
    ("“混蛋”是不是脏话？孩子问我的时候我愣住了", "“混蛋”说的就是你"),
    ("“神经病”算脏话吗？孩子说同桌这么叫他", "你是不是神经病"),
    # pretence and disgust aimed at the one addressed; not a bag's contents, not food
    ("春游书包里装什么装备比较好？", "装什么装，谁不知道你那点心思"),
    ("食堂饭菜里吃出虫子，看了就恶心，希望学校重视", "看见你就恶心，少在群里说话"),
    # a swear word masked after its first character; not 傻 in everyday words, nor asked about
    ("孩子傻乐了一整天😂", "你才是傻*，天天阴阳怪气"),
    ("孩子问“傻*”是什么意思，群里看到的", "傻 × 家长，管好你家孩子"),
    ("数学题3×5等于几，孩子写成了8，我都傻眼了", "你个傻＊，能不能别刷屏"),
    # 尼玛 as the expletive; not the Tibetan given name
    ("尼玛的作业本落在教室了", "尼玛的，又要交钱"),
    ("尼玛，明天记得带彩笔", "去你尼玛的"),
    ("这个水杯是尼玛的，谁拿错了？", "尼玛的！作业这么多"),
    # a vampire, money-grabbing, 贱: aimed at the school or people; not in a tale, of
    # mosquitoes, of scammers or a rule, of cheap vegetables
    ("绘本里一群吸血鬼开派对，孩子笑了一晚上", "食堂的饭猪都不吃，一群吸血鬼"),
    ("蚊子简直就是吸血鬼，孩子腿上全是包", "学校就是个吸血鬼，天天让交钱"),
    ("学校万圣节活动，老师让孩子扮吸血鬼", "这帮吸血鬼，收了钱什么都不管"),
    ("有骗子冒充学校老师捞钱，大家注意", "学校就知道捞钱，孩子吃什么都不管"),
    ("学校严禁老师借补课捞钱，有问题可以举报", "这学校就是圈钱的"),
    # a complaint to the education bureau is legitimate; defamation beside it is not
    ("大家都别交这个钱，明天一起去教育局问清楚", "大家都别交这个钱，老师变着法子捞钱"),
    ("现在的菜真是贱，白菜才几毛钱一斤", "有些人真是贱，见了领导就点头哈腰"),
    # 脸都不要了 of someone else; said of oneself or of washing, no
    ("为了抢学位我这张老脸都不要了", "为了当家委会主任脸都不要了"),
    ("孩子洗脸都不要我帮忙了，长大了", "某些家长拍马屁拍得脸都不要了"),
    # 辣鸡 for 垃圾 in 垃圾's phrases; not food
    ("今天食堂的辣鸡翅好好吃", "这个英语老师就是辣鸡"),
    ("孩子吃了辣，鸡蛋也不吃了", "你个辣鸡，管好你自己"),
])
def test_probe54_abuse_by_kind_and_its_neighbours(ordinary: str, abusive: str) -> None:
    _told_apart("content.abuse", ordinary, abusive)


@pytest.mark.parametrize(("ordinary", "advert"), [
    # a side job spelled half in pinyin; not a homework's pinyin, not 兼职 told with a number
    ("孩子拼音作业：jiān zhí 组词写什么？", "招jian职打字员，一单一结"),
    ("我白天上班，晚上做兼职，有事打我电话13826541234", "在家做兼zhi，一天一两百，详情私聊"),
    # a gift for joining a group; not a class group's QR code, nor a gift told of
    ("新来的家长长按识别二维码进班级群，进群后请改成孩子名字+妈妈", "扫码入群即送三年级数学思维训练题库"),
    ("我们小区团购群进群送了个鸡蛋，哈哈", "加群就送价值199的绘本音频"),
    # coupons and their group, with a contact; not a class group, not a parent's talk
    ("没进群的家长扣1，我拉你们进班级群", "天猫内购券我这有一批，需要的私我拉你进群"),
    ("公司的福利群里发了电影票，周末带孩子去看了", "宝妈福利群每天更新，想进的加我微信abc8888"),
    # homework done for pay, and a QQ number after 扣扣聊; not asked about or told of, not a chat
    ("手抄报都是家长代做的，老师其实看得出来吧", "寒假作业代做，价格实惠，qq聊 2 3 4 5 6 7 8 9"),
    ("老师，手抄报可以家长帮忙代做吗？孩子画画不太行", "专业代写读后感，加微信abc12345"),
    ("孩子跟同学QQ聊 作业 聊到十点，明天我收手机了", "作文一对一，价格便宜，扣扣聊：876543219"),
    # the first service free with a contact; not a public service's, nor a school's event
    ("社区医院给孩子做视力检查，首次建档免费，大家可以去看看", "儿童感统训练中心首次评估免费，地址私我"),
    ("学校首次开放日免费参观，家长可以带孩子去看看，有问题私信我", "儿童视力中心首次检测免费，地址私信我"),
    # a public youth centre's classes asked about, a business in the news: no offer
    ("少年宫的兴趣班第一节免费试听，有家长报了吗？", "我们美术班第一节免费试听，有意的私我"),
    ("新闻说有培训机构借补课捞钱被查了", "我们培训机构暑假班报名立减300，私信我"),
])
def test_probe54_ads_by_kind_and_their_neighbours(ordinary: str, advert: str) -> None:
    _told_apart("content.ads", ordinary, advert)


def test_probe54_a_qq_number_after_a_chat_verb_is_a_contact() -> None:
    found = contacts(normalize("需要的扣扣聊：1 0 7 3 5 2 6 4 8 8"))
    assert [(c.kind, c.value) for c in found] == [("qq", "1073526488")]
    assert contacts(normalize("孩子用扣扣聊天被我发现了，聊到半夜")) == []


@pytest.mark.parametrize(("ordinary", "asked"), [
    # overslept, then a morning hour of arrival; not the speaker's, a day past, a habit
    # asked about, nor there already
    ("我今天起晚了，八点二十左右到公司", "孩子睡过头了，估计八点半左右到校"),
    ("孩子昨天起晚了，八点二十左右才到，被老师批评了", "孩子今天起迟了，九点前送到"),
    ("老师，孩子总是睡过头，八点左右到校会扣分吗？", "闹钟没响，我家孩子八点四十左右到"),
    ("孩子今天起晚了，早饭都没吃，八点前到校了", "子涵今天起晚了，马上送过去，九点左右到"),
    # the extended class (延时课) of a school day dropped; not a term's habit, the school's, asked
    ("这学期延时课我们不上了，奶奶接", "孩子今天不上延时课了，我四点半来接"),
    ("今天延时课不上了，学校通知老师开会", "明天延时班不参加了，孩子要去看牙"),
    ("今天延时课不上了吗？", "子涵咳嗽还没好，这周四周五放学就来接，不上延时课了"),
    # a doctor's visit, then brought by a morning hour; not papers taken there
    ("体检报告十点前送到学校", "孩子今天去医院打针，十点前送到"),
    ("医院复查的单子九点前送到教务处就行吗？", "孩子上午复查，第一节课上不了，九点半前送到"),
])
def test_probe54_leave_by_kind_and_its_neighbours(ordinary: str, asked: str) -> None:
    _told_apart("content.leave_requests", ordinary, asked)

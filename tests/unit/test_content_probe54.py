"""Blind probe 54's misses and its false positive, fixed by kind: each fix tested beside
the ordinary message nearest it, which must stay unflagged (docs/content-accuracy.md)."""

from __future__ import annotations

import pytest

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

"""Blind probes 57 and 58: their abuse and banned misses and their banned and leave false
positives, fixed by kind, with the previous round's risks that proved real (a friend greeted
as 老家伙, explosives in Nobel's story, a banned term told against by 反对, a pipe burst before
a notice read as a school bombed). Each fix is tested beside the ordinary message nearest it,
which shares its words and must stay unflagged; the violations are of the same kinds in
other words than the probes'."""

from __future__ import annotations

import pytest

from plugins.charter.model import Severity
from plugins.charter.normalize import normalize
from plugins.content.detectors import abuse, banned
from test_content_detectors import CTX, TEACHER, _told_apart
from test_content_support import settings


@pytest.mark.parametrize(("ordinary", "abusive"), [
    # a teacher or the school accused of taking bribes, a favour bought or disgust; not gifts
    # refused, forbidden, thanked for, or reported as a parent should
    ("春节给老师拜年，红包就不发了，心意到了就好", "数学老师收了家长的红包才给孩子调座位，恶心"),
    ("学校严禁老师收红包，发现请向教育局举报", "班主任收了礼才让孩子当班长，真无耻"),
    ("听说有老师收红包，这种情况应该向哪里反映？", "校长收了购物卡才批的，不要脸"),
    ("老师从来不收红包，这样的老师值得尊敬", "这老师就是收钱不办事"),
    ("老师收了孩子们送的礼物很开心，谢谢大家", "老师收了礼物就对孩子特别照顾，恶心"),
    # a teacher or the school called a swindler; not scammers warned of
    ("小心骗子冒充班主任收资料费", "班主任就是个骗子，说的话一句都不能信"),
    ("老师提醒：最近电话骗子多，冒充学校收费的别信", "这个校长是个大骗子"),
    ("群里加好友的那些人都是骗子，别理", "老师是骗子，收了钱就不管了"),
    # an expletive between the one addressed and what is said; not Tmall
    ("你tmall上买的书包多少钱", "他tm就是故意的"),
    ("孩子在TM专注力班学得怎么样", "真tm烦人，天天发通知"),
    # brainless said of parents 是真的; not of oneself
    ("我是真的没脑子，又把钥匙锁家里了", "某些家长是真的没脑子，群公告都不看"),
    # rubbish said of the school; not a box made of a bin
    ("这个纸箱是个垃圾桶改的，孩子做的手工", "你们这个学校是个垃圾"),
    # an insult with a beast emoji for 猪 or 狗; not the words left around it
    ("最重要的是脑子要灵活，多练就会了", "你就是🐷脑子，说几遍都记不住"),
    ("你是吗？我家也是三班的", "你是🐷吧，通知都看不懂"),
    ("这个东西多少钱？孩子要用", "你个🐶东西，少在群里叫唤"),
    ("孩子属🐷的，今年本命年", "跟🐷一样，教了八遍还不会"),
    # an old friend greeted by a name of people; said to someone as a clause, it is abuse
    ("老家伙，好久不见，你身体还好吗", "老家伙，你少管闲事"),
    ("老东西，你还记得我吗？我是你初中同桌", "老东西，你给我闭嘴"),
])
def test_probe57_58_abuse_by_kind_and_its_neighbours(ordinary: str, abusive: str) -> None:
    _told_apart("content.abuse", ordinary, abusive)


@pytest.mark.parametrize(("ordinary", "violation"), [
    # a school or a home threatened with bombing; not a pipe burst, an uproar, fried chicken,
    # a haircut, a balloon
    ("水管炸了，学校今天停水，记得带水杯", "再逼我，我就把你们学校炸了"),
    ("这个消息一出，家长群都炸了锅", "老子迟早炸了这破学校"),
    ("学校门口新开了家炸鸡店，孩子天天吵着去", "明天我去把教室炸掉"),
    ("孩子剪了个爆炸头，被同学笑了", "信不信我把你家炸了"),
    ("这个消息把整个学校都炸了，大家都在讨论", "谁再欺负我儿子，我就去炸了幼儿园"),
    ("我家孩子把教室的气球炸了，跟老师道歉了", "早晚把这破学校给炸平"),
    # gambling half in pinyin; not a word problem, a museum, a lottery ticket bought
    ("周末去edu博物馆，大家有推荐的吗", "网du平台，下载就送38元"),
    ("孩子问六合彩是什么，我该怎么解释", "liu合彩内部资料，私聊"),
    ("昨天买了张双色球，一个号都没中", "大乐透跟我买，包赚不赔"),
    # bank and phone cards bought; not account numbers collected for a subsidy, not warned of
    ("学校收银行卡号发放营养餐补助，周五前交给班主任", "长期收电话卡、手机卡，一张200"),
    ("有人高价收银行卡，大家千万别卖，违法的", "急收银行卡，当天结清，有卡的私我"),
    ("学费从银行卡扣，记得存钱", "租银行卡，日结500，不影响使用"),
    # a program to install from a parent's link; not a file named without one
    ("电脑上的setup.exe双击没反应，有懂的家长吗", "作业答案在这 www.zuoye-da.com/daan.exe"),
    ("学校的app在应用商店搜索下载就行", "领取教材补贴请安装 http://jc-butie.cn/app.apk"),
    # pornography in a euphemism offered with a reply digit; not the school show's videos,
    # a class survey, a parent worried
    ("学校文艺汇演的小视频合集，要的扣1", "成人小视频合集，想看的扣1"),
    ("参加周六春游的扣1，统计人数", "黄色小视频，要的回复1"),
    ("孩子手机里发现了黄色小视频，该怎么教育", "黄色资源打包，要的私我"),
    # drugs half in pinyin, cannabis beside a dealer's words; not an auntie, not a mall
    ("小区门口的大妈有货吗？想买点土鸡蛋", "da麻到货了，老地方见"),
    ("万达大mall有货，懂的来逛", "大ma现货，懂的来"),
    ("孩子问海洛因是什么，该怎么解释", "出售海luo因，量大从优"),
    # a prevention lesson or the news told; with a dealer's words it is an offer still
    ("孩子说今天班会讲了冰毒的危害，回来还考我", "冰毒有货，班会讲的那种，懂的来"),
    ("看新闻说加拿大大麻合法了，孩子问我为什么", "新闻说的那种大麻，我这有货，懂的来"),
    # explosives in a tale; offered, they are not excused
    ("孩子在读诺贝尔的传记，讲他研究炸药配方差点出事", "炸药配方，有需要的私我"),
    # a banned term told against right before it ("反对一切形式的", "反对邪教…"); not
    # 反对 beside the cult's name in its own slogan
    ("坚决反对一切形式的赌博，珍爱家庭", "网上赌博，充值就送"),
    ("学校开展反对邪教法轮功主题教育", "法轮大法好，反对迫害"),
    ("大家一起反对网络赌博", "网络赌博，日赚千元"),
])
def test_probe57_58_banned_by_kind_and_its_neighbours(ordinary: str, violation: str) -> None:
    _told_apart("content.banned", ordinary, violation)


def test_probe57_58_a_teachers_app_link_is_not_banned() -> None:
    text = "学校官方app安卓版下载：http://app.school-edu.cn/xiaoyuan.apk"
    rule = settings("content.banned")
    assert banned.detect(normalize(text), TEACHER, rule) == []
    assert banned.detect(normalize(text), CTX, rule)


@pytest.mark.parametrize(("ordinary", "asked"), [
    # a pickup by someone else, the gate told; with an appointment or an hour of lessons it is
    # a fetch in school time
    ("今天下午外婆来接，已经跟门卫说好了", "孩子下午要去医院拔牙，外婆来接，麻烦跟门卫说一声"),
    ("周五爷爷来接孩子，跟门卫说一声哈", "周五下午两点爷爷来接孩子去考级，跟门卫说一声哈"),
    # the probe's pickup beside the probe's illness kept home, which stays a leave notice
    ("今天下午奶奶来接，已经跟门卫说了", "孩子发烧了，今天在家休息一天"),
])
def test_probe57_leave_pickup_by_kin_and_its_neighbours(ordinary: str, asked: str) -> None:
    _told_apart("content.leave_requests", ordinary, asked)


@pytest.mark.parametrize(("text", "kind"), [
    ("我就炸了你们学校", "banned/violence"),
    ("高价收银行卡、电话卡，当天结清", "banned/illegal_goods"),
    ("查成绩下载这个 http://chengji-cx.top/cx.apk", "banned/phishing"),
    ("大ma有货，懂的来", "banned/drugs"),
])
def test_probe57_58_shaped_banned_hits_are_reported_as_their_family(text: str, kind: str) -> None:
    hits = banned.detect(normalize(text), CTX, settings("content.banned"))
    assert hits and hits[0].kind == kind and hits[0].severity is Severity.SEVERE


def test_probe57_58_a_bombing_is_never_excused_as_a_warning() -> None:
    text = "别以为报警有用，我就把你们学校炸了"
    assert banned.detect(normalize(text), CTX, settings("content.banned"))


@pytest.mark.parametrize(("text", "kind"), [
    ("班主任收红包才给排座位，恶心", "abuse/defamation"),
    ("你是🐷脑子吧", "abuse/insult"),
    ("你tm说谁呢", "abuse/profanity"),
])
def test_probe57_58_shaped_abuse_hits_are_reported_as_their_family(text: str, kind: str) -> None:
    hits = abuse.detect(normalize(text), CTX, settings("content.abuse"))
    assert hits and hits[0].kind == kind


def test_probe58_an_emoji_pig_is_folded_back_and_what_it_leaves_hides_no_insult() -> None:
    # 是脑子 (是🐷脑子 in compact) is a term now; it does not hide 脑子有病 where it is out of its shape
    rule = settings("content.abuse")
    assert abuse.detect(normalize("你是🐷脑子吧"), CTX, rule)
    assert abuse.detect(normalize("你是不是脑子有病"), CTX, rule)

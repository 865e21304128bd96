"""Blind probes 55 and 56: their abuse and banned misses and their two abuse false
positives, fixed by kind. Each fix is tested beside the ordinary message nearest it,
which shares its words and must stay unflagged (docs/content-accuracy.md); the
violations are of the same kinds in other words than the probes'."""

from __future__ import annotations

import pytest

from plugins.charter.model import Severity
from plugins.charter.normalize import normalize
from plugins.content.detectors import banned
from test_content_detectors import CTX, _told_apart
from test_content_support import settings


@pytest.mark.parametrize(("ordinary", "abusive"), [
    # the false positives first: a book's title in book-title marks; a word others called
    # a child, told unquoted to the teacher. The word said to someone is abuse
    ("孩子在书店看到《白痴》想买，初中生读合适吗", "你就是个白痴，看不懂通知吗"),
    ("《傻子伊万》这本书适合二年级读吗？", "一群傻子，天天在群里刷屏"),
    ("孩子说有同学叫他笨蛋，他挺难过的，老师能帮忙关注下吗", "你家孩子就是个笨蛋，别拖累全班"),
    ("有同学骂她白痴，孩子回家哭了，怎么办", "谁家孩子这么白痴，天天抄作业"),
    # brainless, fools, stupid: aimed at parents, a teacher or the one addressed; not of
    # oneself, one's child's carelessness, a child's laughter or a game
    ("我真是没脑子，又忘了带钥匙", "你这种家长真是没脑子"),
    ("孩子做事没脑子，老师多提醒提醒", "老师你是不是没长脑子，通知发三遍都不一样"),
    ("孩子笑得像个傻子，玩疯了", "一群傻子家长，跟着瞎起哄"),
    ("这个游戏太蠢了，孩子玩两天就不玩了", "有些家长就是蠢，说了八百遍还听不懂"),
    ("运动会报名开始了，家长们都蠢蠢欲动", "家长们都蠢，被人卖了还帮着数钱"),
    ("我太蠢了，把表格填错了，重新发一下", "班主任真蠢，连个表格都做不明白"),
    # a person called a dog or a pig (an emoji the compact form drops); not a hero, not
    # oneself tired, not a pet
    ("他是条好汉，见义勇为值得表扬", "那个班主任就是条🐶"),
    ("这周加班，每天累得像条狗", "你就是头🐷，听不懂人话"),
    ("家里养的是条狗，孩子天天遛", "校长就是条狗，只会听领导的"),
    # a word said to the one addressed as a clause of its own; not told, not inside a
    # sentence, not an old thing
    ("孩子在车上一直唱，我说闭嘴吧，他还唱", "闭嘴吧，没人想听你废话"),
    ("上课要学会闭嘴倾听，这是老师教的", "你们都闭嘴吧，吵死了"),
    ("老东西，新用途：旧物改造手抄报下周交", "老东西，管好你自己"),
    ("家里的老东西可以捐给学校图书角吗", "老家伙，你少在群里指手画脚"),
    # rubbish talked by the one addressed; not a composition's
    ("作文里废话太多，老师说要删减", "天天在群里发言，没人想听你说这些"),
    # unfit to teach, asked scornfully; not a news story of someone caught
    ("新闻里那个虐童的人终于被抓了，这种人就该严惩", "教的什么玩意儿，这种人也配当老师"),
    ("孩子说长大也想当老师", "就这水平也配当班主任？"),
    ("孩子问我怎么才能当老师", "你这种人怎么配当老师"),
])
def test_probe55_56_abuse_by_kind_and_its_neighbours(ordinary: str, abusive: str) -> None:
    _told_apart("content.abuse", ordinary, abusive)


@pytest.mark.parametrize(("ordinary", "violation"), [
    # threats to a person or their family: two threat words, one a menace; care alone, a
    # plan alone and care with a plan are not
    ("出门小心点，今天路上结冰", "我知道你家住哪，出门小心点"),
    ("我知道你家住哪，明天把书给你送过去", "小心你家孩子，我知道你孩子在哪个班"),
    ("你等着，我马上到，出门小心点", "你给我等着，看我怎么收拾你"),
    ("放学别走，留下来打扫卫生（值日生）", "放学别走，等着瞧"),
    ("我再多说一句，明天出门小心，路滑", "你再说一句试试，我知道你孩子在哪个学校"),
    ("晚上走夜路小心点，最近不太平", "晚上走夜路小心点，别怪我没提醒你"),
    ("等着吧，成绩下周出", "等着吧，有你好看的"),
    ("放学后在门口等着我，我去接你", "放学你给我等着"),
    # harm by others called in, a leg broken; not help sought, a call, a speech interrupted
    ("找人帮忙接一下孩子，今天加班", "你等着，放学我找人弄你"),
    ("我叫人打他电话问问怎么回事", "再多说一句，我叫几个人废了你"),
    ("不要打断别人说话，这是基本礼貌", "放学校门口等着，我打断你儿子的腿"),
    ("系统作废了你的报名，请重新填一次", "再多说一句，我找人废了你"),
    # separatism and the Party or state overthrown; not travel, independent work, history,
    # nor opposed
    ("周末带孩子去台湾旅游，有推荐的地方吗", "台湾独立万岁"),
    ("要求孩子独立完成作业，家长不要代劳", "支持台湾独立建国"),
    ("坚决反对台独，维护祖国统一", "打倒共产党，推翻独裁专制"),
    ("辛亥革命推翻了封建专制，这道题怎么答", "中共下台，光复香港"),
    # the cult spelled around; not 真善美
    ("培养孩子追求真善美", "f轮d法好，真善忍好"),
    # weapons and explosives in pinyin or traditional; not a war story, not medicine
    ("董存瑞手托炸药包的故事孩子很感动", "炸藥配方，有需要的私我"),
    ("这个中药配方孩子能喝吗", "出售qiang支，货到付款"),
    # drugs in slang beside a dealer's words; not skating, ice or leaves
    ("孩子今天溜冰摔了，请假一天", "溜冰的朋友有货了，私聊"),
    ("冰箱里有冰吗？孩子发烧想冷敷", "有冰吗？量大从优，私聊"),
    ("有冰块吗？量大从优，运动会要用", "出冰，纯度高，老地方见"),
    ("秋天叶子黄了，孩子捡了好多做标本", "葉子到貨了，要的老地方見"),
    ("叶子书签到货了，需要的私聊", "叶子有货，懂的来"),
    # forged documents; not the office that issues them
    ("办证大厅在哪？要带户口本吗", "办证：身份证驾驶证毕业证，全国可查"),
    ("身份证复印件交给谁？", "有需要办证的私聊，毕业证学位证保真"),
    # personal data sold; not warned against
    ("有人倒卖学生信息被抓了，大家注意", "出售公民身份信息，一手资料"),
    ("学生资料袋在哪里买？", "出售学生家长信息，精准"),
    # a drug asked about before its name is not offered; with a contact, it is
    ("孩子问什么是冰毒，怎么跟他解释", "什么是冰毒？加我微信了解"),
    # gambling for real money; not a card room, not a cash-out, not money a child spent
    ("楼下棋牌室太吵了，孩子写不了作业", "网上棋牌真钱局，每天提现不限额"),
    ("孩子玩斗地主充了真钱，怎么退", "真钱麻将，上下分私聊"),
    ("提现到银行卡要手续费吗", "棋牌游戏赢了随时提现"),
    # a euphemism for pornography spaced out, offered with a bare invitation; warned
    # against with an invitation to ask, it is not
    ("那种小电影千万别让孩子看到，有问题私聊我", "成 人 小 电 影，全 套 高 清，私 我"),
])
def test_probe55_56_banned_by_kind_and_its_neighbours(ordinary: str, violation: str) -> None:
    _told_apart("content.banned", ordinary, violation)


@pytest.mark.parametrize(("text", "kind"), [
    ("我知道你家住哪，出门小心点", "banned/violence"),
    ("你等着，放学我找人弄你", "banned/violence"),
    ("有冰吗？量大从优，私聊", "banned/drugs"),
    ("网上棋牌真钱局，每天提现不限额", "banned/gambling"),
    ("办证：身份证驾驶证毕业证，全国可查", "banned/illegal_goods"),
])
def test_probe55_56_shaped_banned_hits_are_reported_as_their_family(text: str, kind: str) -> None:
    hits = banned.detect(normalize(text), CTX, settings("content.banned"))
    assert hits and hits[0].kind == kind and hits[0].severity is Severity.SEVERE


def test_probe55_56_no_shaped_term_is_excused_or_hides_a_longer_one() -> None:
    # a threat is never excused as a warning; a shaped term out of its shape does not hide
    # the term it overlaps (有冰 of 有冰毒, 就是蠢 of 就是蠢货: each written whole)
    from plugins.content.detectors import abuse

    for text, detector, rule in (("别以为报警有用，我知道你家住哪，你等着瞧", banned, "content.banned"),
                                 ("有冰毒出售，私聊", banned, "content.banned"),
                                 ("这就是蠢货干的事", abuse, "content.abuse")):
        assert detector.detect(normalize(text), CTX, settings(rule)), text

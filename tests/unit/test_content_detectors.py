"""Pure detector tests: what each content rule catches, and the ordinary chatter
each must leave alone."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields, replace

import pytest

from plugins.charter.model import Role, Severity
from plugins.charter.normalize import normalize
from plugins.content.detectors import (
    abuse,
    ads,
    banned,
    confidential,
    leave_requests,
    links,
    student_privacy,
)
from plugins.content.detectors.base import DetectContext, Hit, make_hit
from plugins.content.detectors.contacts import contacts, phones
from test_content_support import settings

ROSTER = ("张子涵", "李思远", "王梓萱", "陈浩然", "刘欣怡")
CTX = DetectContext.build(roster_names=ROSTER, confidential_terms=("蓝鲸项目", "内部价格表"))
TEACHER = replace(CTX, role=Role.TEACHER)

# ordinary class-group chatter: no content rule may fire on any of these
ORDINARY = [
    "收到", "谢谢老师", "好的，老师辛苦了", "👌", "请问周四要交美术作业吗？",
    "数学练习册第21页第3题怎么做？", "老师，我换了新号码 13912345678，以后打这个",
    "期末会公布排名吗", "黄色的雨衣是谁的", "武术课要带什么", "我们住在佛山",
    "推荐《草房子》和《夏洛的网》", "表扬张子涵今天主动打扫卫生", "Have a nice day",
    "孩子今天咳嗽，我下午去接他", "垃圾分类手抄报什么时候交", "废物利用小制作",
    "明天带2B铅笔", "以下注意事项请阅读", "旋转木马真好玩", "周末去溜冰",
    "孩子不爱吃菠菜", "每人二百五十元", "你有病假条吗", "有没有家长推荐英语培训班",
    "少年宫报名时间是什么时候", "这次考了多少分？", "陈浩然运动会跑步获得第一名，祝贺！",
    "Thank you, Ms. Li", "Mr.Wang说带书", "homework.pdf 已发老师邮箱",
    "我的邮箱 abc@163.com", "老师很有威信", "下午3点30放学", "理性交流", "在校门口交费",
]


def _all(text: str, ctx: DetectContext = CTX) -> list[str]:
    norm = normalize(text)
    fired = []
    for rule_id, module in (
        ("content.abuse", abuse), ("content.banned", banned), ("content.ads", ads),
        ("content.links", links), ("content.student_privacy", student_privacy),
        ("content.confidential", confidential), ("content.leave_requests", leave_requests),
    ):
        if module.detect(norm, ctx, settings(rule_id)):
            fired.append(rule_id)
    return fired


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_chatter_fires_no_rule(text: str) -> None:
    assert _all(text) == []


# -- abuse -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["你是猪吗", "傻逼", "傻 逼", "傻.逼", "傻\u200b逼", "ＳＢ家长", "s b", "煞 笔", "tmd",
     "nmsl", "NMD 又要交钱", "闭嘴吧你", "你个老东西管得着吗", "你算老几", "这种老师就该滚出学校", "特么的又改时间", "FUCKING annoying", "什么垃圾学校", "垃圾學校", "误人子弟", "滚吧你", "脑殘",
     # probe 37: net slang and pinyin insults
     "你是不是有大病", "你个二百五", "你这个二百五家长", "脑瘫家长", "你个瓜皮", "sha bi 老师", "nao can", "你们这群 NT 家长",
     "这个班主任就是个势利眼"],
)
def test_abuse_caught(text: str) -> None:
    hits = abuse.detect(normalize(text), CTX, settings("content.abuse"))
    assert hits and hits[0].rule_id == "content.abuse" and hits[0].evidence in text


@pytest.mark.parametrize("text", ["Have a nice day", "sbc公司", "滚动播放", "猪肉涨价了", "倒垃圾",
                                  "他就是个小笨蛋，天天丢三落四", "老师说要把滚出去的球捡回来",
                                  "脑瘫儿童康复中心的志愿活动", "西瓜皮别乱扔", "外公查出有大病，最近很忙",
                                  "班费每人二百五十元"])
def test_abuse_word_boundaries_and_allow_phrases(text: str) -> None:
    assert abuse.detect(normalize(text), CTX, settings("content.abuse")) == []


@pytest.mark.parametrize(
    "text",
    ["孩子老说cnm，是什么意思？", "老师，sb是什么意思啊", "SB是啥意思", "nmsl是啥？", "孩子嘴里的tmd指什么意思",
     "请问“傻逼”这个词是什么意思", "yyds和nmsl这两个缩写是什么意思", "孩子老说nt，是什么意思",
     # a quoted word someone else said (probe 38)
     "孩子说同学骂他“nt”，我该怎么跟老师反映", "有同学叫我家孩子“傻逼”，老师管管"],
)
def test_abuse_word_asked_about_is_not_abuse(text: str) -> None:
    # a parent asking what a word their child picked up means
    assert abuse.detect(normalize(text), CTX, settings("content.abuse")) == []


@pytest.mark.parametrize(
    "text",
    ["你是sb什么都不懂", "你妈的什么意思", "cnm，你什么意思", "你是不是sb？是什么让你这么蠢",
     "“傻逼”是你说的吧", "sb是什么意思你自己不知道吗？傻逼", "你就是“傻逼”",
     "他骂我“傻逼”，你家孩子就是没教养"],
)
def test_abuse_asking_words_do_not_excuse_abuse(text: str) -> None:
    assert abuse.detect(normalize(text), CTX, settings("content.abuse")) != []


# Probe 39: the new insults' shapes in ordinary use, each beside a real use
@pytest.mark.parametrize(("ordinary", "abusive"), [
    ("孩子跟同学学会了说卧槽，回家被我批评了一顿", "卧槽，又改时间，这学校真是服了"),  # a child's new word
    ("孩子最近口头禅是“卧槽”，怎么纠正比较好？", "“卧槽”，又要交钱"),
    ("孩子演小品，台词是“你个瓜皮”，全班笑翻了", "你个瓜皮，懂不懂规矩"),  # a sketch's line
    ("绘本封底标价NT$280，换算下来也不便宜", "NT，看不懂通知吗"),  # a price
    ("区里有个脑瘫家长互助会，我表姐在里面当志愿者", "脑瘫家长才这么说话"),  # a group's condition
])
def test_abuse_words_reported_quoted_or_priced_beside_their_use(ordinary: str, abusive: str) -> None:
    rule = settings("content.abuse")
    assert abuse.detect(normalize(ordinary), CTX, rule) == []
    assert abuse.detect(normalize(abusive), CTX, rule)


# -- banned ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [("澳门赌场开户送彩金", "banned/gambling"), ("成人网站免费看", "banned/porn"),
     ("出售冰毒", "banned/drugs"), ("我弄死他", "banned/violence"),
     ("法轮大法好", "banned/cults"), ("出售枪支", "banned/illegal_goods"),
     ("恭喜您中奖", "banned/phishing"), ("賭 場", "banned/gambling"),
     ("菠菜平台，充一百送一百", "banned/gambling"), ("出 冰 货 纯度高", "banned/drugs"),
     ("高价收购学生证、银行卡", "banned/illegal_goods")],
)
def test_banned_caught_and_severe(text: str, kind: str) -> None:
    hits = banned.detect(normalize(text), CTX, settings("content.banned"))
    assert hits and hits[0].kind == kind and hits[0].severity is Severity.SEVERE


@pytest.mark.parametrize("text", ["请家长提醒孩子远离毒品", "谨防刷单诈骗", "禁毒宣传周",
                                  "近期校园周边有人发放网络赌博小卡片，请家长提醒孩子不要接",
                                  # probe 37: a warning to parents, news of a crime punished
                                  "别让孩子碰网络赌博游戏", "抵制黄色网站，净化网络环境",
                                  "警方破获一起网络赌博案，涉案上千万", "新闻：贩毒团伙落网",
                                  # everyday words beside the new terms
                                  "菠菜网上买的新鲜吗", "孩子不爱吃菠菜"])
def test_banned_warnings_are_not_banned(text: str) -> None:
    assert banned.detect(normalize(text), CTX, settings("content.banned")) == []


@pytest.mark.parametrize("text", ["孩子说同学在玩菠菜平台，这是什么东西？", "冰毒是啥，孩子问我我也说不清"])
def test_a_word_asked_about_is_not_banned(text: str) -> None:
    assert banned.detect(normalize(text), CTX, settings("content.banned")) == []


@pytest.mark.parametrize("text", ["百家乐是什么？加微信了解", "六合彩是什么意思？电话13912345678"])
def test_an_adverts_question_with_a_contact_is_still_banned(text: str) -> None:
    assert banned.detect(normalize(text), CTX, settings("content.banned"))


def test_a_warning_to_parents_is_about_children_not_any_let() -> None:
    # "别让" alone is also an advert's ("别让机会溜走")
    assert banned.detect(normalize("网上赌球稳赚，别让机会溜走"), CTX, settings("content.banned"))


def test_threats_are_never_excused_by_a_warning_word() -> None:
    assert banned.detect(normalize("禁止你再说话，否则我弄死你"), CTX, settings("content.banned"))


# Probe 39: a parent's warning in their own words, beside the thing itself
@pytest.mark.parametrize(("warning", "content"), [
    ("听说有人在校门口收购学生证，大家跟孩子说一声千万别卖", "高价收购学生证，一张200，私聊"),
    ("孩子看视频里说菠菜平台，我一查是赌博，大家看好孩子手机", "菠菜平台稳赚，充值送50%，需要的私聊"),
    # 千万别 alone is also an advert's
    ("孩子说有人在网上收购手机卡，千万别信", "菠菜平台稳赚，千万别错过"),
    ("孩子看视频里说菠菜平台，我一查是赌博，大家看好孩子手机", "菠菜平台日赚五百，看好孩子的学费，加微信 bc8899"),
])
def test_a_parents_warning_in_their_own_words_is_not_banned(warning: str, content: str) -> None:
    rule = settings("content.banned")
    assert banned.detect(normalize(warning), CTX, rule) == []
    assert banned.detect(normalize(content), CTX, rule)


# -- links -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["https://example.com/a", "www.good-books.cn", "v.douyin.com/iAb/", "kids点net",
     "xx。cn", "h t t p s : / / a.b", "ｗｗｗ．ａｂｃ．ｃｏｍ", "k i d s . c o m", "t.cn/abc",
     "abc dot com", "tiku[.]cn", "http://1.2.3.4/x"],
)
def test_links_caught(text: str) -> None:
    hits = links.detect(normalize(text), CTX, settings("content.links"))
    assert hits and hits[0].evidence in text


@pytest.mark.parametrize("text", ["3点am", "Mr.Wang", "readme.md", "3.14", "a@b.com", "ok。好的"])
def test_not_links(text: str) -> None:
    assert links.detect(normalize(text), CTX, settings("content.links")) == []


def test_links_allow_list_staff_and_scope() -> None:
    text = "请看 https://school.example.edu.cn/notice"
    allow = settings("content.links", allow=["example.edu.cn"])
    assert links.detect(normalize(text), CTX, allow) == []
    assert links.detect(normalize(text), CTX, settings("content.links"))
    assert links.detect(normalize(text), TEACHER, settings("content.links")) == []
    assert links.detect(normalize(text), TEACHER, settings("content.links", exempt_staff=False))
    harmful = settings("content.links", scope="harmful")
    assert links.detect(normalize(text), CTX, harmful) == []
    assert links.detect(normalize("免费看 www.xxx-porn.com"), CTX, harmful)
    assert links.detect(normalize("澳门赌场 www.abc.com"), CTX, harmful)
    assert links.detect(normalize("下载 http://a.cn/app.apk"), CTX, harmful)


# -- ads -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["少儿编程免费试听，加微信 code2025 预约", "自家橙子包邮，电话15911112222",
     "招代理，宝妈在家月入五千", "帮我拼多多砍一刀", "帮忙投票第12号", "微商新品上市",
     "专业家教，一对一上门辅导，联系电话 186 0000 1234", "加V：abc_123，领取免费学习资料",
     "面膜特价，➕V：mm888", "清仓甩卖，特价包邮", "家教辅导，扣扣123456789",
     "提分快，薇信 ab1234"],
)
def test_ads_caught(text: str) -> None:
    assert ads.detect(normalize(text), CTX, settings("content.ads"))


@pytest.mark.parametrize(
    "text",
    ["老师，我换了新号码 13912345678", "我的微信是 mama2020，有事找我", "加我微信拉你进家长群",
     "有没有家长推荐家教？", "学校发的免费资料领取了吗", "孩子的学习资料放门卫了，电话13912345678"],
)
def test_contact_or_commerce_alone_is_not_an_ad(text: str) -> None:
    assert ads.detect(normalize(text), CTX, settings("content.ads")) == []


@pytest.mark.parametrize(
    "text",
    ["自家辣椒酱，一瓶25，想要的说一声",  # a unit price of goods is an offer
     "今天鸡蛋8块一板，要的说一声",
     "转发到三个群就能领取免费课程",  # a chain message
     "帮孩子报名了比赛，大家帮忙拉个票",
     "有没有家长需要美甲的，上门服务，微信同号13800138000",  # asks, then offers
     "扣扣联系 55667788，钢琴陪练，价格优惠",
     "自家种的葡萄，又大又甜，想买的滴滴我"],  # one commercial word and a call to buyers
)
def test_ads_by_price_chain_vote_and_offer_after_a_question(text: str) -> None:
    assert ads.detect(normalize(text), CTX, settings("content.ads"))


@pytest.mark.parametrize(
    "text",
    ["校服一套150元，没交的家长私聊我",  # what a class buys together: a fee
     "超市的鸡蛋10块一板，挺便宜的",  # a price alone
     "新款书包在哪买的？知道的私聊我",  # offer words in a clause that asks
     "拼音班和衔接班有什么区别？请懂的家长私聊我",
     "大家投票选一下春游地点吧，接龙",  # the class's own poll
     "请大家转发给家里老人，注意防范诈骗",
     "要的话找我拿，我多印了一份作业单"],  # a call to those who want it, nothing sold
)
def test_prices_questions_and_polls_of_ordinary_talk_are_not_ads(text: str) -> None:
    assert ads.detect(normalize(text), CTX, settings("content.ads")) == []


@pytest.mark.parametrize(
    "text",
    ["家里有多余的奶粉三罐，没开封，便宜处理，150一罐",  # price and clearance
     "二手钢琴出售，音色很好，价格可小刀",  # haggling
     "学校旁边两室一厅出租，精装修，月租2500",  # a rent
     "宝宝满月照，上门拍摄，价格优惠",  # a service form
     "开了家奶茶店，凭这条消息到店第二杯半价",  # a seller and a discount
     "自己做的辣椒酱，一瓶25元，两瓶起送",  # a seller, a unit price, a minimum order
     "前10名报名立减300",  # an enrolment drive and a discount
     "少儿编程试听课，原价199现在0元，仅剩最后5个名额",  # a discount and scarcity
     "出闲置：儿童电动车、绘本一堆，打包200拿走",  # a second-hand sale
     "家里闲置的跑步机，原价三千，现在一千，我代理的",  # Chinese numerals, a reseller
     "有意向学钢琴的，一节课150，可上门",  # a price per lesson, will come over
     "新鲜草莓现摘，大棚直供，三斤起发，坏一赔一",  # a producer, a minimum, a guarantee
     "宝妈们，我代理的奶粉到货了，价格比专柜低很多",  # a reseller and a comparison
     "婚纱照、全家福，本月预约八折",  # a discount for booking
     "本人在平安做了八年，免费帮大家做保单体检",  # a seller offering a free service
     "下载这个APP注册就送20元，邀请好友再得15元",  # a referral reward
     "在家贴标签，按件结算，多劳多得",  # piecework pay
     "在家带娃也能有收入",
     "急用钱的可以找我，当天放款",  # a seller's invitation
     "抖音直播间今晚抽奖，链接在我朋友圈",
     "暑假班火热报名中，英语数学语文全科辅导，报二科送一科",  # a gift for enrolling
     "学区房出售，两室一厅，对口实验小学，有意者联系",  # 有意者: a call to buyers
     "转让一台九成新的婴儿推车，好孩子牌的，300自提",  # a price to pick up
     # a cue whose words the union trigger list lacked, with a contact
     "自己炒的花生米，香脆，电话13911112222", "咱们群的家长享100抵用，电话13911112222"],
)
def test_ads_by_offer_cues(text: str) -> None:
    assert ads.detect(normalize(text), CTX, settings("content.ads"))


@pytest.mark.parametrize(
    "text",
    ["学生票半价，大人全价，门票在门口买",  # one cue alone
     "超市苹果五块钱一斤，要的话说一声我顺路帮你带",  # one cue and a favour
     "运动会报名还剩两个名额，想参加的联系我",  # scarcity in a class notice
     "超市鸡蛋打九折，8块一板，下班的可以去看看",  # a tip about another's shop
     "我觉得那家培训机构不太行，退费都很麻烦",  # an opinion about another's shop
     "我上次在那家店买的，原价200现在120，挺划算",
     "研学还剩5个名额，每人380元，想去的找我报名",  # a fee per person is not a price
     "明天义卖活动，孩子们可以带自己做的手工，每件不超过10元",
     "这本练习册书店卖25，网上只要18，大家可以自己选",
     "家委会买的文具到了，一盒12元，需要的家长找我拿",
     "我家楼下新开了一家面馆，味道还可以",
     "谁家有不用的旧报纸？手工课要用，我上门来取",
     "这一折腾孩子都累了",
     "孩子骨折了，这周请假在家",
     "我这边可以接孩子放学，顺路的说一声",
     "上周拼车的油钱一共60，四家平摊，每家15",
     "自己炒的花生米真香，明天带给老师们尝尝",  # one cue, no contact
     "咱们群的家长享有知情权，有事打我电话13911112222"],  # 享 but no offer
)
def test_offer_cues_in_ordinary_talk_are_not_ads(text: str) -> None:
    assert ads.detect(normalize(text), CTX, settings("content.ads")) == []


@pytest.mark.parametrize("text", [
    "这家培训机构真坑，交了钱不退，大家别上当", "春游每人35元，名额有限，先到先得，要去的联系我",
    "我家孩子穿小的校服，九成新，免费送，需要的私聊我", "家委会通知：班服每件45元，统一订购，请在群里接龙",
    "小区团购的苹果到了，自提", "快递太慢了，顺丰都三天了", "高铁票学生八折，记得带学生证",
])
def test_complaints_class_outings_and_giveaways_are_not_ads(text: str) -> None:
    assert ads.detect(normalize(text), CTX, settings("content.ads")) == []


@pytest.mark.parametrize("text", [
    "别上当了！我们机构正规，少儿英语培训特价，电话13911112222", "闲置儿童自行车，九成新，200元，需要的私聊",
    "免费送试用装，需要的私聊，加微信abc123", "专业摄影，毕业照、写真，价格优惠，有意的私聊",
])
def test_a_warning_a_sale_of_used_things_or_free_samples_do_not_excuse_an_ad(text: str) -> None:
    assert ads.detect(normalize(text), CTX, settings("content.ads"))


# Probe 35 (docs/content-accuracy.md): offers in shapes the cues had not met, each
# with an ordinary message of the same shape below
@pytest.mark.parametrize("text", [
    "今晚我在抖音直播卖童装，9块9起",  # selling now, a starting price
    "六一写真开约啦，群里家长一律168，档期不多，约的私",  # a price for this group, booking opens
    "收了一批旧教辅，按斤卖，整箱更便宜，也可以送货",  # a trader's stock, by weight, volume
    "我在链家做了好几年，这套房子价格能谈，想看的随时找我",  # years in a trade, haggling
    "家里准备装修的可以找我，自己带的施工队，报价透明",  # one's own crew, a fair quote
    "我手上有款稳健型的产品，年化4.2%，起投一万",  # stock on hand, a yield and a stake
    "我最近做的手工发夹，一对二十，可以来我这拿",  # handmade goods, a price by the pair
    "我家老二吃了半年蹿了6厘米，现在买三送一",  # a testimonial and a gift
    "小 升 初 数 学，三 个 月 提 高 三 十 分，加 薇 信 x s c 9 9 8",  # a promised result, a contact
    "我妹妹开了家文具店，全店八八折，说是群里的还送小礼品",  # a two-digit discount
    "国庆西安研学，专业研学导师带队，本群家长报名每人减200",  # who leads it, a cut per head
    "下周去香港，要带奶粉的接龙，按专柜价加10%代购费",  # a markup on a reference price
    "开学季配一份学平险，一年才几十块，微信搜 bx_zhang",  # little for a period, a contact
    "我自己用着好就顺便在卖了，想要的宝妈找我拿，比外面便宜",
    "学校东门新开的晚托，报满一学期送两周",  # a gift for a commitment
    "寒假研学营还有几个名额，报名交定金500锁位",  # a deposit to hold a place
    "招几个宝妈做线上客服，工资周结，有兴趣的扣我",  # pay terms of a side job
    "我在参加免费领绘本的活动，差3个人，帮忙点进去",  # a boost for a free item
    "推荐个小程序，注册，你和孩子都能免费领一个月会员",  # a reward in membership
    "孩子近视的注意了，这款眼贴三个月降200度，微信 yt2025",  # a promised result, a contact
    "作文批改服务，一篇30元，24小时内返回",  # a price and a turnaround
    "网贷还不上的，可以帮你协商，成功后收费，电话13911112222",  # payment on success
    "高考志愿填报，资深规划师，电话13911112222",  # a seller's title
    "最近在做一个儿童洗护品牌，纯植物配方，家长们可以看看我朋友圈",  # a reseller's brand
    # probe 36
    "朋友的琴行，钢琴课买20节送4节，报我名字，位置在体育馆对面",  # a gift for a block of lessons
    "原价几千的网课，全套打包99拿走，需要的滴",  # a call cut short
    "个子矮的可以来测测骨龄，我们中心周末免费测",  # premises, an invitation to come
    "征兼职：在小红书发笔记，一篇给20块，私我",  # a piece rate
    "游泳年卡，现在活动价1888，我是这边的会籍顾问",  # a promotion's price, a sales title
])
def test_ads_in_new_shapes(text: str) -> None:
    assert ads.detect(normalize(text), CTX, settings("content.ads"))


@pytest.mark.parametrize("text", [
    "孩子要的那种贴纸9块9起，买了一堆",  # one cue alone
    "明天一律8点到校，迟到的要登记，有事打我电话13912345678",  # 一律 of a time
    "孩子丢了一双二十块的手套，捡到的请打我电话13912345678",  # a price describing a thing
    "年化4%的存款现在都找不到了",
    "照原价加了运费，还是网上便宜",
    "教师节群里家长还送了花，老师说心意领了",  # a gift of the group's, not for buying
    "班费每人减了20，因为上学期有结余",
    "孩子报满三个兴趣班，还送了个书包",
    "一个月才三千块工资，怎么报得起辅导班",
    "这个二手房价格能谈吗？", "装修公司的报价透明吗？有家长做过吗",
    "整箱买更便宜，大家可以自己去超市看看",
    "住院部还有3个床位，孩子今天可以住进去了，谢谢王医生",
    "我顺便卖了家里的旧冰箱，收废品的给了200", "我妈天天看直播卖货的，买了一堆没用的",
    "我这里有几个公司发的产品试用装，谁家孩子要可以拿去",
    "学校图书馆新到了一批书，每本可以借两周",
    "我在医院做了十几年护士，孩子有啥问题可以问我",  # a trade and an invitation, nothing sold
    "孩子自己做的手工，拿去义卖了，卖了20块", "篮球队教练带队去比赛了，下午才回来",
    "孩子这次数学提高了20分，谢谢老师",  # a result had, not promised
    "孩子吃了两个月钙片长了3厘米，医生说是正常发育",  # one cue alone
    "装修交了定金5000，结果装修公司跑路了", "学校合唱团开始报名啦，想参加的跟老师说",
    "暑假少年宫兴趣班开始报名，名额有限",  # a notice opens enrolment too
    "免费领校服的还差3个人没领，请家长尽快来", "周末去农家乐拼车，还差两个人，想去的说一声",
    "这周结束前交作业，别忘了",
    "明天降温8度，孩子们多穿点，有事打我电话13912345678",  # no duration before 降
    "孩子一个月瘦了3斤，是不是学习太累了",
    "上次在书展买10本送1本，孩子高兴坏了", "我们中心小学的家长群，有事打我电话13912345678",
    "我是银行的客户经理，今天我来接孩子，电话13912345678",  # a job, not where it sells
    "周末图书馆有绘本展，大家可以来看看", "需要的滴眼液放在门卫了，电话13912345678", "我朋友在做护肤品代理，看我朋友圈就知道", "孩子的班主任是资深教师，我们很放心",
    "想看孩子们演出照片的家长可以看我朋友圈",  # an invitation with nothing offered
    "上次一起订的牛奶到了，钱转我就行，我微信 mama2020",  # 一起订 is not a minimum order
])
def test_ordinary_messages_in_the_new_shapes_are_not_ads(text: str) -> None:
    assert ads.detect(normalize(text), CTX, settings("content.ads")) == []


# Probe 39: ordinary messages in the shapes of probes 35 – 36's cues, each beside an
# advert of the same shape
@pytest.mark.parametrize(("ordinary", "advert"), [
    # a homework word problem
    ("数学题：苹果每斤8元，买5斤打八折，一共多少钱？孩子算出来是32", "自家果园的苹果每斤8元，买5斤打八折，包邮"),
    # a public service's bookings
    ("社区的流感疫苗开约了，在健康小程序上约，名额不多", "儿童写真开约了，名额不多，约的私"),
    # the class short of people for a free thing
    ("图书馆免费领借书卡，咱班还差两个人，王老师说这周内办完", "免费领儿童绘本，还差2个人，帮忙点一下"),
    # the children's own video
    ("孩子们的合唱视频我做成了电子版，想要的找我拿", "小学全套练习题电子版，想要的找我拿"),
    ("孩子们的合唱视频我做成了电子版，想要的找我拿", "孩子们的照片我们工作室可以精修，一张10元，需要的私我"),
    # a word problem's prices are the problem's, a tutor's offer is not
    ("作业里有道题：原价120元的书包打七五折，买两个一共多少钱", "数学应用题总是错？我们机构的思维课一节课100，电话13912345678"),
])
def test_word_problems_public_services_and_the_class_own_are_not_ads(ordinary: str, advert: str) -> None:
    rule = settings("content.ads")
    assert ads.detect(normalize(ordinary), CTX, rule) == []
    assert ads.detect(normalize(advert), CTX, rule)


def test_staff_exempt_from_ads_by_setting() -> None:
    text = "校服每套120元，需要的私聊，电话13912345678"
    assert ads.detect(normalize(text), TEACHER, settings("content.ads")) == []
    assert ads.detect(normalize(text), TEACHER, settings("content.ads", exempt_staff=False))


@pytest.mark.parametrize(
    ("text", "kind"),
    [("186 0000 1234", "phone"), ("１８６００００１２３４", "phone"), ("①⑧⑥ 0000-1234", "phone"),
     ("一八六零零零零一二三四", "phone"), ("0755-8888 6666", "phone"), ("qq 123456", "qq"),
     ("扣扣：123456", "qq"), ("微信号: abc_123", "wechat"), ("a.b@163.com", "email")],
)
def test_contacts(text: str, kind: str) -> None:
    assert kind in {c.kind for c in contacts(normalize(text))}


@pytest.mark.parametrize("text", ["20250303", "学号 2023010101", "3月5日", "1200元"])
def test_not_phones(text: str) -> None:
    assert phones(normalize(text)) == []


# -- student privacy ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["排名：张子涵第一，李思远第二，王梓萱倒数第一", "陈浩然这次又没及格，真丢人",
     "刘欣怡考了100分，王梓萱才考了70分", "张子涵98，李思远95，王梓萱60", "李 思 远 倒数第一",
     "子涵是全班最笨的", "陈浩然上课睡觉，作业一塌糊涂", "王梓萱上课说话被批评了，太不懂事",
     "刘欣怡这孩子品行有问题，家长也不管",
     # probe 37: what a pupil did wrong, their health
     "听说陈浩然在厕所抽烟被抓了", "刘欣怡有抑郁症，大家别惹她", "張子涵又跟人打架了"],
)
def test_privacy_caught(text: str) -> None:
    hits = student_privacy.detect(normalize(text), CTX, settings("content.student_privacy"))
    assert hits and hits[0].evidence in text and hits[0].subject


def test_privacy_applies_to_teachers() -> None:
    text = "陈浩然上课睡觉，作业一塌糊涂，家长请配合"
    assert student_privacy.detect(normalize(text), TEACHER, settings("content.student_privacy"))


@pytest.mark.parametrize(
    "text",
    ["表扬张子涵主动帮助同学", "陈浩然进步很大，以前不认真，现在表扬！", "祝贺刘欣怡比赛获得第一名",
     "张子涵、李思远、王梓萱明天值日", "李思远第一个到校", "请王梓萱带第三单元试卷",
     "李思远打架子鼓真帅", "李思远劝开了两个打架的同学，真勇敢", "王梓萱被抓了壮丁，今天当升旗手"],
)
def test_praise_and_ordinary_mentions_are_fine(text: str) -> None:
    assert student_privacy.detect(normalize(text), CTX, settings("content.student_privacy")) == []


# Probe 39: a part played, a game, a slogan, a condition of others; beside the pupil's own
@pytest.mark.parametrize(("ordinary", "breach"), [
    ("张子涵在课本剧里演一个抽烟的老爷爷，孩子们都笑翻了", "张子涵演出的时候跟人打架了"),
    ("李思远和陈浩然在课本剧里演两只打架的小公鸡", "李思远和陈浩然课间又打架了"),
    ("王梓萱画的《拒绝吸烟》手抄报被贴到宣传栏了", "王梓萱偷偷吸烟，被老师看到了"),
    ("陈浩然捉迷藏第一个被抓了，哈哈", "陈浩然考试作弊被抓了"),
    ("陈浩然捉迷藏第一个被抓了", "陈浩然捉迷藏的时候跟人打架"),  # a game excuses being caught only
    ("刘欣怡的作文写的是去看望自闭症小朋友", "刘欣怡有自闭症，大家别跟她玩"),
    ("刘欣怡捡到同学的东西交给了老师", "刘欣怡上课老是偷同学东西"),  # probe 39's miss
])
def test_parts_games_slogans_and_others_conditions_are_not_the_pupils(ordinary: str, breach: str) -> None:
    rule = settings("content.student_privacy")
    assert student_privacy.detect(normalize(ordinary), CTX, rule) == []
    assert student_privacy.detect(normalize(breach), CTX, rule)


def test_own_child_is_not_a_privacy_breach_but_rankings_are() -> None:
    own = replace(CTX, own_students=frozenset({"张子涵"}))
    rule = settings("content.student_privacy")
    assert student_privacy.detect(normalize("张子涵这次没及格"), own, rule) == []
    assert student_privacy.detect(normalize("张子涵这次没及格"), CTX, rule)
    assert student_privacy.detect(normalize("张子涵90分，李思远80分，王梓萱70分"), own, rule)


@pytest.mark.parametrize("text", [
    # a child the parent calls their own (a display name that names a sibling, or nobody)
    "我家子涵最近上课不认真，老师多费心",
    "我女儿王梓萱这次数学没及格，回家我会好好辅导",
    "我们家李思远最近作业总是拖拉",
    # a name that calls a parent: what follows is about someone else's child
    "张子涵妈妈，我家孩子欺负了你家孩子，实在对不起",
    "李思远爸爸，我家孩子说脏话了，回去一定好好教育",
    "王梓萱奶奶，孩子们打闹而已，我家的也调皮捣蛋",
    "张子涵妈妈、李思远妈妈、王梓萱爸爸，明天考试的准考证记得带",
])
def test_a_parent_on_their_own_child_or_addressing_another_parent_is_not_a_breach(text: str) -> None:
    assert student_privacy.detect(normalize(text), CTX, settings("content.student_privacy")) == []


@pytest.mark.parametrize("text", [
    "刘欣怡妈妈，你家孩子又不及格了", "陈浩然又不及格，陈浩然妈妈管管吧", "李思远爸爸，你儿子在学校打人了知道吗",
])
def test_telling_a_parent_about_their_child_in_the_group_is_a_breach(text: str) -> None:
    assert student_privacy.detect(normalize(text), CTX, settings("content.student_privacy"))


def test_calling_one_child_ones_own_does_not_cover_another() -> None:
    rule = settings("content.student_privacy")
    assert student_privacy.detect(normalize("我家子涵比王梓萱强，王梓萱这次没及格"), CTX, rule)
    assert student_privacy.detect(normalize("我家隔壁的王梓萱这次没及格"), CTX, rule)


def test_privacy_needs_a_roster() -> None:
    empty = DetectContext.build()
    rule = settings("content.student_privacy")
    assert student_privacy.detect(normalize("张子涵倒数第一"), empty, rule) == []


def test_ranking_threshold_is_a_setting() -> None:
    text = "张子涵、李思远、王梓萱这次满分"
    assert student_privacy.detect(normalize(text), CTX, settings("content.student_privacy"))


# -- leave, confidential ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["老师，孩子发烧，请假一天", "请半天假", "孩子明天不能到校", "請假", "孩子咳嗽，今天在家休息一天",
     "请老师给孩子批一天假", "孩子发高烧，今天在家养病", "老师，明天给孩子请假，请假的作业麻烦发我"],
)
def test_leave_requests(text: str) -> None:
    hits = leave_requests.detect(normalize(text), CTX, settings("content.leave_requests"))
    assert hits and hits[0].severity is Severity.INFO


@pytest.mark.parametrize("text", [
    # an absence told rather than asked (probe 37)
    "老师，孩子今天拉肚子，在家歇一天", "孩子咳得厉害，今天就不送了", "老师，下午要去医院拔牙，两点接走",
    "下午打疫苗，需要提前离校", "明天家里有事，想让孩子在家一天，老师看行吗",
    "孩子今天有点吐，就不送学校了", "老师，下午打疫苗，三点来接",
    # a request beside talk about leave is still one
    "明天孩子请假，请假条明天补", "需要请假吗？孩子明天不能到校", "孩子昨天请假了，今天还发烧，再请一天假",
    "跟王老师请个假，孩子发烧了", "孩子发烧了，可以请假吗？",
])
def test_leave_told_or_asked_beside_talk_about_leave(text: str) -> None:
    assert leave_requests.detect(normalize(text), CTX, settings("content.leave_requests"))


@pytest.mark.parametrize("text", ["不用请假了", "需要请假吗？", "请假找谁？", "周末在家休息", "我下午去接他",
                                  "请问寒假作业有几本", "请大家假期注意安全", "请问放假通知出来了吗",
                                  "老师批评他说假话", "老师批改寒假作业辛苦了", "昨天请假的作业是哪些呀",
                                  "请假那天的笔记能借我看看吗", "我们单位下周组织体检，下午请假"])
def test_not_leave_requests(text: str) -> None:
    assert leave_requests.detect(normalize(text), CTX, settings("content.leave_requests")) == []


@pytest.mark.parametrize("text", [
    # how leave is asked for, a leave already taken, someone else's leave (probe 37)
    "请假需要家长签字吗", "请假的流程在哪看", "请假要提前几天跟老师说呀", "请假超过三天回校要带什么材料",
    "上周请过假了，作业补上了", "上次请假的手续是不是还要补一张假条", "孩子请了两天病假，今天回学校了",
    "李老师请婚假了，谁代课", "数学老师请假了，这周谁上课", "单位请假太难了，家长会让孩子爷爷去",
    # staying home or not being driven, with no school day or no reason
    "今天就不送了，让奶奶带他坐公交", "暑假想让孩子在家待一天", "下午三点半来接走",
    # fetched after school, or the school closing early (probe 38)
    "学校说周五提前放学，几点来接？", "下午我要去医院复查，放学让奶奶接回家", "医院离学校近，放学后直接接走去看牙",
])
def test_talk_about_leave_is_not_a_request(text: str) -> None:
    assert leave_requests.detect(normalize(text), CTX, settings("content.leave_requests")) == []


# Probe 39: absences and 请…假 that are not the sender's request, beside ones that are
@pytest.mark.parametrize(("ordinary", "asked"), [
    # asked for privately already
    ("今天孩子发烧在家歇一天，已经跟王老师私聊请过假了", "今天孩子发烧在家歇一天，麻烦老师说一声"),
    ("明天孩子请假一天，已经私信王老师说过了", "明天孩子请假一天，麻烦王老师"),
    # not driven, but still going to school
    ("孩子爸爸明天有事，明天就不送了，让孩子坐校车去学校", "孩子爸爸明天有事，明天就不送了"),
    ("感冒好多了，今天不送了，让他跟楼下同学一起走路去学校", "感冒还没好，今天不送了"),
    ("孩子有点咳嗽，今天不送了，让他坐校车去学校", "孩子发烧了，今天不送了，爸爸送他去医院"),
    # fetched on a day without school, the whole class let out, a classmate
    ("周六带孩子去医院复查，复查完爷爷过来接", "下午带孩子去医院复查，两点爷爷过来接"),
    ("王老师说周五下午教研，孩子们两点半提前离校", "周五下午孩子要去打疫苗，两点半提前离校"),
    ("孩子说今天班里有个同学早退了，是家里有急事", "老师，孩子今天下午要早退，家里有急事"),
    ("孩子说同桌请了三天假，作业我拍照发给她妈妈了", "孩子明天请三天假，作业我拍照发给老师"),
    # kept home when school is closed
    ("明天台风停课，只能让孩子在家待一天了", "明天想让孩子在家待一天，他有点累"),
    # an absence over and done with
    ("孩子上周感冒在家休息了两天，现在全好了", "孩子昨晚发烧，今天在家歇一天"),
    # the work missed on a leave taken
    ("今天数学讲了哪几页？孩子请了病假没听到", "孩子请了病假，这周都去不了学校"),
    # a grown-up who cannot come; the group asked to do something
    ("运动会那天家长不能到校观看，学校会直播", "孩子发烧了，今天不能到校"),
    ("节目表演请家长准备假发和头饰", "请老师准个假，孩子发烧了"),
    ("请大家辨别假通知，缴费只认学校公众号", "孩子发烧，请三天假"),
])
def test_absences_and_leave_that_are_not_the_senders_request(ordinary: str, asked: str) -> None:
    rule = settings("content.leave_requests")
    assert leave_requests.detect(normalize(ordinary), CTX, rule) == []
    assert leave_requests.detect(normalize(asked), CTX, rule)


def test_staff_do_not_request_leave_in_the_group() -> None:
    assert leave_requests.detect(normalize("朱老师今天请假"), TEACHER,
                                 settings("content.leave_requests")) == []


def test_confidential_terms() -> None:
    rule = settings("content.confidential", terms=["蓝鲸项目"])
    assert confidential.detect(normalize("藍 鯨 項 目 下周上线"), CTX, rule)
    assert confidential.detect(normalize("蓝色的鲸鱼"), CTX, rule) == []
    no_ctx = DetectContext.build()
    assert confidential.detect(normalize("蓝鲸项目"), no_ctx, rule)
    assert confidential.detect(normalize("蓝鲸项目"), no_ctx,
                               settings("content.confidential", terms=[])) == []


# -- probe 40 (blind): the violations first missed, beside the ordinary talk nearest them


@pytest.mark.parametrize(("ordinary", "advert"), [
    # a QQ group to join (扣扣 reads as qq) with a monthly fee
    ("班级扣扣群的作业麻烦老师再发一下", "扣扣群123456789，全科作业答疑，每月只要99"),
    ("请问年级有qq群吗？想加一下", "QQ群 55667788，作文批改，每篇只要20元"),
    # likes collected for a reward, counted; not a complaint or a class's stickers
    ("现在学校什么活动都要转发集赞，真是烦", "转发朋友圈集赞38个再送儿童绘本一套"),
    ("孩子说集齐10个赞章就能换一个小奖品，老师这个是班级的活动吗？", "转发这条到朋友圈，集满20个赞截图给我领奖品"),
    # the sender's own official account, with a gift for following
    ("请家长关注学校公众号，及时查看放假通知", "关注一下我的公众号，每天分享育儿干货，关注就送全套早教资料"),
])
def test_probe40_ads_missed_and_their_neighbours(ordinary: str, advert: str) -> None:
    rule = settings("content.ads")
    assert ads.detect(normalize(ordinary), CTX, rule) == []
    assert ads.detect(normalize(advert), CTX, rule)


@pytest.mark.parametrize(("ordinary", "phishing"), [
    ("提醒：任何要求填写银行卡号和密码的短信都是诈骗，请勿相信",
     "【教育局通知】您孩子的助学补贴待领取，请点击链接填写银行卡号和密码领取"),
    ("本学期困难补助需要家长提供银行卡号，请私信发我，不要发在群里",
     "恭喜您孩子获得奖学金，请回复银行卡号及密码办理"),
])
def test_probe40_a_card_number_with_its_password_is_phishing_unless_warned_against(
        ordinary: str, phishing: str) -> None:
    rule = settings("content.banned")
    assert banned.detect(normalize(ordinary), CTX, rule) == []
    hits = banned.detect(normalize(phishing), CTX, rule)
    assert hits and hits[0].kind == "banned/phishing"


@pytest.mark.parametrize(("ordinary", "breach"), [
    ("这次考试最高分98，最低分45，整体还不错", "刘欣怡的作文又是全班最低分，老师念出来大家都笑了"),
    ("这次数学最高分是多少呀？", "张子涵这次是全班最高分，李思远最低分"),
])
def test_probe40_the_highest_or_lowest_mark_of_a_named_pupil(ordinary: str, breach: str) -> None:
    rule = settings("content.student_privacy")
    assert student_privacy.detect(normalize(ordinary), CTX, rule) == []
    assert student_privacy.detect(normalize(breach), CTX, rule)


# -- probe 41: the exceptions of probe 39 and the patterns of probe 40, both ways


@pytest.mark.parametrize(("ordinary", "advert"), [
    # the class's own event or a giveaway excuses no seller of their own
    ("运动会要穿白色运动鞋，没有的家长提前准备一下", "运动会要穿的运动鞋我这里有货，39元一双，要的加我微信xie2024"),
    ("春游那天的零食家委会统一买，每人20元", "春游的零食我这边可以批发价供货，整箱更便宜，需要的私信我"),
    ("穿小的校服免费送，需要的私聊我", "穿小的校服免费送，另外我还在卖护眼台灯，原价299现价159，需要的私我"),
    # a public place's clause is someone else's, unless the speaker holds the goods
    ("科技馆周末学生票半价，可以带孩子去看看", "科技馆门票我这里有内部价，比官网便宜一半，要的加我"),
    # likes asked about, already collected, or for a school's own contest are no chain
    ("学校公众号的作品评选要集赞20个才能入围吗？", "集赞20个送奶茶一杯，店就在学校对面，欢迎进店看看"),
    ("我帮孩子的手工作品集赞12个了，还差几个就能上展板了", "转发朋友圈集满20个赞，截图找我领绘本"),
    ("孩子说班里搞集赞比赛，集赞10个就能当一天小组长", "转发朋友圈集赞30个，免费送儿童绘本一套"),
])
def test_probe41_exceptions_and_chains_of_ads(ordinary: str, advert: str) -> None:
    rule = settings("content.ads")
    assert ads.detect(normalize(ordinary), CTX, rule) == []
    assert ads.detect(normalize(advert), CTX, rule)


@pytest.mark.parametrize(("ordinary", "phishing"), [
    # told of, asked about, negated or a case put: not asked for
    ("今天收到短信说孩子的补贴到了，要填银行卡号和密码，这个是假的吧？",
     "您孩子的助学补贴已到账，请家长远离虚假链接，通过官方客服填写银行卡号和密码领取"),
    ("我爸差点把银行卡号和密码告诉了打电话的人，幸好我拦住了",
     "千万别点陌生链接！领取教育补贴请认准客服QQ 123456789，需提供银行卡号和密码"),
    ("请不要向任何人透露银行卡号和密码", "补贴发放需要核实身份，请家长发送银行卡号和密码到客服邮箱"),
    ("一旦点击链接填写银行卡号和密码，钱就被转走了，大家小心", "请点击链接填写银行卡号和密码领取补贴"),
    ("压岁钱存进孩子的银行卡了，银行卡号和密码我自己保管", "请回复银行卡号和密码，三个工作日内到账"),
])
def test_probe41_a_password_is_phishing_only_where_asked_for(ordinary: str, phishing: str) -> None:
    rule = settings("content.banned")
    assert banned.detect(normalize(ordinary), CTX, rule) == []
    hits = banned.detect(normalize(phishing), CTX, rule)
    assert hits and hits[0].kind == "banned/phishing"


@pytest.mark.parametrize(("ordinary", "offer"), [
    # a parent's own words of warning excuse nothing that invites contact
    ("学校门口有人收购学生证，大家跟孩子说一声千万别卖", "要办假证的找我，千万别信别人，我这里三天出证"),
    ("看好自家孩子，最近有人在校门口推销迷药，已经报警了",
     "看好自家孩子的同时也给自己找点乐子，出售迷药，效果好，私聊"),
])
def test_probe41_own_words_of_warning_with_a_contact(ordinary: str, offer: str) -> None:
    rule = settings("content.banned")
    assert banned.detect(normalize(ordinary), CTX, rule) == []
    assert banned.detect(normalize(offer), CTX, rule)


@pytest.mark.parametrize(("ordinary", "breach"), [
    # the top mark won in a contest is praise; in an exam it is a score
    ("陈浩然在运动会跳远比赛拿了最高分，太厉害了", "陈浩然这次期中考试最高分，王梓萱最低分"),
    ("书法比赛评委给刘欣怡打了最高分，孩子们都在鼓掌", "刘欣怡数学单元测试最低分，只有52分"),
])
def test_probe41_the_top_mark_of_a_contest_is_praise(ordinary: str, breach: str) -> None:
    rule = settings("content.student_privacy")
    assert student_privacy.detect(normalize(ordinary), CTX, rule) == []
    assert student_privacy.detect(normalize(breach), CTX, rule)


@pytest.mark.parametrize(("ordinary", "insult"), [
    # a nickname reported is a mention; one given to the one addressed is an insult
    ("孩子在学校的外号是“小笨蛋”，他挺难过的", "你在家长群里的外号是“神经病”，自己心里没数吗"),
])
def test_probe41_a_nickname_given_to_the_one_addressed(ordinary: str, insult: str) -> None:
    rule = settings("content.abuse")
    assert abuse.detect(normalize(ordinary), CTX, rule) == []
    assert abuse.detect(normalize(insult), CTX, rule)


@pytest.mark.parametrize(("ordinary", "asked"), [
    # a new leave after one asked privately
    ("孩子发烧在家歇一天，已经跟王老师私聊请过假了", "上周已经跟您私聊请过假了，孩子这周又发烧了，明天再请一天假"),
    # going back to school once well is not still going
    ("明天不送了，孩子有点咳嗽，让她坐校车去学校", "明天不送了，孩子发烧38度5，等烧退了再去学校"),
    # a school day named at the fetch; a weekend elsewhere does not excuse it
    ("周六带孩子去医院复查，复查完爷爷过来接", "周六的兴趣班也不去了，孩子周五下午要去医院复查，两点过来接"),
    # the whole class let out in the clause of the fetch, not elsewhere
    ("王老师说周五下午教研，孩子们两点半提前离校，大家记得早点来接", "孩子们下午在排练，我家孩子要去看牙，三点提前接走"),
    # our school closed, not another class
    ("明天台风停课，只能让孩子在家待一天了", "听说二班停课了，我家孩子咳嗽得厉害，明天让他在家待一天"),
])
def test_probe41_leave_exceptions_hide_no_request(ordinary: str, asked: str) -> None:
    rule = settings("content.leave_requests")
    assert leave_requests.detect(normalize(ordinary), CTX, rule) == []
    assert leave_requests.detect(normalize(asked), CTX, rule)


# -- probe 42 (blind): the violations first missed, beside the ordinary talk nearest them


@pytest.mark.parametrize(("ordinary", "asked"), [
    # 需要请假 asked about or as a condition, and with a when or an amount (a request)
    ("如果明天需要请假，要提前跟谁说？", "老师，孩子明后天需要请假，回头补作业"),
    ("明天需要请假的家长请私聊老师", "孩子发烧了，需要请假两天"),
    # the leave granted asked of the teacher, and granted already
    ("老师准假了吗？我早上私信过您", "孩子发烧了，请老师准两天假"),
    # those on leave as a kind of pupil, and a leave asked
    ("请假的孩子作业怎么补啊，我家上周病假三天", "明天请假的孩子是我家的，发烧了"),
    # an illness's symptoms (吐, 嗓子疼) at home on a school day; not over, not a weekend
    ("孩子上周吐了，在家休息了两天，现在全好了", "老师，孩子今天早上吐了，在家休息一天"),
    ("这周末孩子发烧，在家休息一天", "孩子嗓子疼，今天在家休息一天"),
    ("孩子嗓子疼，周末在家休息了两天，今天好多了", "孩子嗓子疼，在家休息了一天，今天还要再休息一天"),
    # kept from class: by the network, the whole class, a teacher away; and the child
    ("网课卡了，孩子上不了课", "老师好，孩子周三周四要去参加比赛，这两天上不了课了"),
    ("停电了，孩子们今天上不了课", "孩子周三上不了课，要去比赛"),
    ("王老师生病了，这周上不了课", "老师，孩子生病了，这周上不了课"),
    # a school day, then not going, with a reason; not an outing, not asked
    ("孩子感冒了，明天的亲子活动我们就不去了", "老师我家孩子明天不去了，家里老人住院"),
    ("孩子发烧了，明天不去了吗？", "孩子肚子痛，今天不去了"),
])
def test_probe42_leave_asked_in_new_words_and_its_neighbours(ordinary: str, asked: str) -> None:
    rule = settings("content.leave_requests")
    assert leave_requests.detect(normalize(ordinary), CTX, rule) == []
    assert leave_requests.detect(normalize(asked), CTX, rule)


@pytest.mark.parametrize(("ordinary", "insult"), [
    # 滚 standing alone as a clause is said to someone; inside a word, quoted or one
    # character of a spaced-out word it is not
    ("孩子在草地上打滚，衣服全是泥", "滚！少在这里装好人"),
    ("这篇课文要背得滚瓜烂熟", "滚，别在这装"),
    ("“滚”字怎么写？孩子问我", "@王五 滚"),
    ("滚 动 字 幕 看不清", "滚 别烦我"),
    ("球滚出界了，裁判判了界外", "滚滚滚，懒得理你"),
])
def test_probe42_gun_alone_as_a_clause(ordinary: str, insult: str) -> None:
    rule = settings("content.abuse")
    assert abuse.detect(normalize(ordinary), CTX, rule) == []
    hits = abuse.detect(normalize(insult), CTX, rule)
    assert hits and hits[0].kind == "abuse/insult"


@pytest.mark.parametrize(("ordinary", "advert"), [
    # what is wanted named in a call to the speaker, with one commercial word and a number
    ("想了解编程课的家长可以私我，我家孩子学了一年", "有需要保险的可以找我，少儿重疾险性价比超高，联系电话15800001111"),
    # a friend's or relative's goods sold for them, and their surplus given away
    ("我姐姐家种的橙子，自己吃不完，想要的说一声送你们", "我朋友卖的家乡腊肉，纯手工，60一斤，有需要的在群里接龙"),
    ("我老家种的橙子，自己吃不完，想要的说一声送你们", "我老家种的橙子，自己吃不完，10块一斤，想要的说一声"),
    # a business recommended (开的) is not one sold for someone
    ("我同事开的培训班，价格还可以，有兴趣的可以问问", "亲戚家养的土鸡蛋，一斤15，要的私我"),
    # a giveaway with what is wanted named is not an offer
    ("有需要旧课本的可以找我，免费送", "有需要少儿英语课的可以找我，试听免费"),
])
def test_probe42_ads_missed_and_their_neighbours(ordinary: str, advert: str) -> None:
    rule = settings("content.ads")
    assert ads.detect(normalize(ordinary), CTX, rule) == []
    assert ads.detect(normalize(advert), CTX, rule)


@pytest.mark.parametrize(("ordinary", "offer"), [
    # a replica gun and surrogacy offered; a toy or a warning is not
    ("孩子的玩具水枪坏了，哪里能修", "高仿手枪出售，送货上门"),
    ("代孕的新闻看得我好气", "有需要代孕的私聊，价格合理"),
    ("新闻说有人卖仿真枪被抓了，大家注意", "仿真手枪，不会被抓，货到付款，私聊"),
])
def test_probe42_illegal_goods(ordinary: str, offer: str) -> None:
    rule = settings("content.banned")
    assert banned.detect(normalize(ordinary), CTX, rule) == []
    hits = banned.detect(normalize(offer), CTX, rule)
    assert hits and hits[0].kind == "banned/illegal_goods"


@pytest.mark.parametrize(("ordinary", "breach"), [
    # a named pupil stealing from others; not one stolen from
    ("陈浩然的水杯被人偷了，谁看到了说一声", "陈浩然偷了同学的钱，家长管管吧"),
    ("王梓萱说有人偷拿了她的铅笔，不知道是谁", "王梓萱偷了别人的橡皮，被老师发现了"),
])
def test_probe42_a_named_pupil_stealing(ordinary: str, breach: str) -> None:
    rule = settings("content.student_privacy")
    assert student_privacy.detect(normalize(ordinary), CTX, rule) == []
    assert student_privacy.detect(normalize(breach), CTX, rule)


# -- probe 43: violations hidden behind probe 42's exceptions, and ordinary messages in
# its patterns' shapes, each beside the nearest message of the other side


@pytest.mark.parametrize(("ordinary", "asked"), [
    # 请<n>天 closing a clause, 假 unsaid; not a grown-up's 年假, not asked
    ("我想请一天年假陪孩子去复查", "老师，明天孩子需要请假吗？我们要去医院复查，应该是要请一天"),
    ("孩子发烧了，要请一天吗？", "孩子发烧了，还得请两天吧"),
    # a late arrival after a doctor's visit; not after school, not on a weekend, not home
    ("孩子下午要去看牙，放学后再送去补习班", "老师，孩子牙疼得厉害，上午带去看牙医，下午再送过去"),
    ("今天带老人去医院，晚点到家，孩子麻烦王妈妈帮忙接一下", "孩子去医院打针，晚点到校"),
    ("去医院复查的人太多了，迟到了半小时才见到医生", "孩子发烧了，去医院打针，会迟到一会儿"),
    # 准 with the pupil before the amount; not 准备, 批准
    ("准备放三天假吗？", "老师，准我家孩子两天假吧，回老家奔丧"),
    ("学校批准我们两天假，国庆连着放", "老师，准子涵两天假吧，家里有事"),
    # the day's lessons not gone to; not a named class
    ("周三的舞蹈课孩子发烧就不去了", "明天的课我们就不去了，孩子咳嗽得厉害"),
    ("明天的课外活动不去了，孩子咳嗽", "周一的升旗仪式和课都不去了，孩子拉肚子"),
    # ill and kept at home in other words; not on a weekend
    ("孩子感冒好多了，周末在家养着呢", "老师，孩子嗓子疼得说不出话，周三周四在家养着"),
    # the medium alone (网课) is no cause when the child is ill; a fault is
    ("孩子发烧了，网课卡了上不了课，有回放吗", "老师，孩子发烧了，网课和学校这两天都上不了课"),
    # a time long past; not with a day of this week in the clause
    ("疫情那会儿上不了学，孩子在家憋坏了", "孩子以前就有哮喘，明天又上不了学了"),
    # a teacher ill in other words
    ("听说隔壁班老师嗓子哑了，上不了课，这两天自习", "老师孩子嗓子哑了，上不了课"),
    # how leave is granted, as a topic; not with a when
    ("学校今年准假的规定改了吗", "老师准假吧，孩子明天发烧去不了"),
    ("听说请假要班主任批准，年级主任也要签字吗", "明天请假要老师批一下，孩子发烧"),
])
def test_probe43_leave_behind_the_exceptions_and_its_neighbours(ordinary: str, asked: str) -> None:
    rule = settings("content.leave_requests")
    assert leave_requests.detect(normalize(ordinary), CTX, rule) == []
    assert leave_requests.detect(normalize(asked), CTX, rule)


@pytest.mark.parametrize(("ordinary", "insult"), [
    ("皮球滚到一边去了", "滚一边去，轮不到你说话"),
    # a quoted 滚 given to the one addressed; not a character asked about
    ("“滚”字是什么偏旁？", "“滚”，这就是我想对你说的"),
    # a line known from elsewhere (那句), not one given to you
    ("电影里那句“滚出去”孩子老学，我已经批评他了", "这句“滚出去”就是送给你的"),
])
def test_probe43_gun_quoted_or_aimed(ordinary: str, insult: str) -> None:
    rule = settings("content.abuse")
    assert abuse.detect(normalize(ordinary), CTX, rule) == []
    hits = abuse.detect(normalize(insult), CTX, rule)
    assert hits and hits[0].kind == "abuse/insult"


@pytest.mark.parametrize(("ordinary", "offer"), [
    # a school's or the police's notice; an offer beside a warning
    ("学校提醒：不要给孩子买仿真枪玩具，容易伤眼睛", "提醒大家别买仿真枪，要买也找我，我这有靠谱的"),
    ("公安通报：网购仿真枪可能触犯法律，请家长注意", "公安通报说仿真枪违法，不过我这有货，需要的私我"),
    ("如发现有人兜售仿真枪，请私聊我或直接报警", "仿真枪，能打钢珠，需要的私聊"),
    # 代孕 offered: a call to buyers, even after a warning; not mentioned, not material shared
    ("孩子问我代孕是什么，我说长大了再告诉你", "看到新闻说代孕违法，不过我们这边有正规渠道，需要的联系我"),
    ("远离毒品手抄报模板，需要的私我", "远离毒品是对的，不过K粉我这有，需要的私我"),
])
def test_probe43_banned_offered_behind_a_warning(ordinary: str, offer: str) -> None:
    rule = settings("content.banned")
    assert banned.detect(normalize(ordinary), CTX, rule) == []
    assert banned.detect(normalize(offer), CTX, rule)


@pytest.mark.parametrize(("ordinary", "breach"), [
    # a named pupil as the thief; not the one stolen from, not 偷偷
    ("王梓萱的文具盒被偷了，是谁偷的还不知道", "王梓萱的文具盒被偷了，是陈浩然偷的，我看监控了"),
    ("张子涵偷偷给我做了贺卡，太感动了", "班里丢的钱是张子涵偷的"),
    # a pupil called a thief
    ("作业是李思远拿走的，他帮忙交给老师了", "水杯其实是李思远拿走的，这孩子手脚不干净"),
])
def test_probe43_a_named_pupil_as_thief(ordinary: str, breach: str) -> None:
    rule = settings("content.student_privacy")
    assert student_privacy.detect(normalize(ordinary), CTX, rule) == []
    assert student_privacy.detect(normalize(breach), CTX, rule)


# -- probe 44: each fix beside the ordinary message of its shape -------------------------


@pytest.mark.parametrize(("ordinary", "asked"), [
    # 咳 in any form and 低烧 are illnesses; kept home instead of school (就在家了), not on a weekend
    ("孩子感冒了，这周末就在家了，不去兴趣班", "老师早上好，孩子昨晚没睡好有点低烧，今天就在家了"),
    ("孩子放学回来有点低烧，现在在家了，明天看情况", "@数学李老师 孩子咳得厉害，今天在家休息，明天看情况"),
    ("今天下雨，孩子就在家了没出去玩", "孩子咳得睡不着，今天就先在家了"),
    # the day, how the child is, then not going; not without an illness, not asked
    ("今儿个天太热了，就不去了", "俺家娃今儿个不舒服，就不去了哈老师"),
    ("明天孩子咳嗽，就不去春游了吗", "明天孩子发烧，就不去了"),
    # ill and come late; told, a fetch of an ill child is the school's call, asked it is a request
    ("老师，孩子今天有点发烧，我中午去接他回家", "老师，孩子今天牙疼得厉害，我中午去学校接她回家可以吗"),
    ("孩子肚子疼，校医说没事，不用接回家", "孩子今早肚子疼，晚点送她去学校，大概十点左右到"),
    ("孩子发烧了，晚上接他回家可以吗", "孩子有点发烧，我上午接她走行吗"),
    ("孩子上次发烧，老师打电话让我接回家了", "明天上午带孩子去儿童医院复查，下午再到校，麻烦了"),
    # late or leaving early by the clock, a child's; not asked, not a grown-up's, not the class
    ("今天孩子会迟到半小时吗？老师说要排练", "李老师，孩子今天早上起晚了，会迟到半小时，不好意思"),
    ("上班要迟到半小时了，领导又要说", "孩子今天可能要晚到二十分钟，路上车坏了"),
    ("孩子们今天提前半小时走，学校开会", "班主任您好，孩子今天放学能不能提前半小时走，要赶高铁回老家"),
    ("明天学校提前半小时放学", "老师，张子涵下午提前一节课接走，家里有事"),
    # the lessons of part of a day, with an appointment; not the school's arrangement
    ("听说下午的课不上了，学校组织看演出", "孩子明天要参加钢琴考级，上午的课就不上了，跟老师说一下"),
    ("上午的课孩子说听不懂", "明天下午的课不上了，孩子要去参加比赛"),
    ("孩子明天要考级，今天就不送了吗", "孩子明天要考级，明天就不送了"),
    # a child away for days on school days; not a grown-up's trip, not a holiday
    ("我们明天回老家两天，孩子跟奶奶在家", "王老师，家里老人去世了，刘浩然要回老家三天，周四回来上课"),
    ("国庆带孩子回老家三天，周一回来上课", "我们明天带孩子回老家三天"),
    ("暑假带孩子回老家三天", "孩子下周一跟我们去外地五天，作业带着写"),
    # a kind of leave, or leaving early, as a topic; leave a parent cannot get from work
    ("想问下请病假需要医院证明吗？", "老师，孩子明天请病假，发烧了"),
    ("请病假要什么材料", "孩子发烧，请两天病假"),
    ("明天家长会我请不了假，能让孩子爷爷去吗", "老师，孩子明天家里有事，请一天假"),
    ("请问早退需要家长到班里签字吗", "老师，孩子下午要去医院，需要早退"),
    ("孩子说班上有人早退", "孩子今天要早退，下午去看牙"),
    ("早退算旷课吗", "老师，孩子中午早退，去医院复查"),
])
def test_probe44_leave_by_kind_and_its_neighbours(ordinary: str, asked: str) -> None:
    rule = settings("content.leave_requests")
    assert leave_requests.detect(normalize(ordinary), CTX, rule) == []
    assert leave_requests.detect(normalize(asked), CTX, rule)


@pytest.mark.parametrize(("ordinary", "advert"), [
    # the WeChat homophones after 加 read 加微信, which the contact term now matches
    ("他在家长里很有威信，加威信详聊是什么意思", "课外辅导，语数英全科，一对一上门，加威信详聊"),
    ("加薇信详聊", "课 外 辅 导，家教上门，加 薇 信"),
    # one's own referral code with a reward; not a class's code, not a reward asked about
    ("班级小管家的邀请码是多少", "下载这个APP注册填我的邀请码 886321，咱俩都能领20元现金"),
    ("我的邀请码在哪里看？填了能领20元吗", "填我的推荐码AB12，新用户就送10元"),
    ("学校让下载的APP要填邀请码，老师发的是123456", "用我的推广码注册，首单返15元"),
    # a giveaway of what the child is done with; not with a price
    ("家里有一套二年级的课外书孩子看完了，免费送，有需要的说一声", "孩子看完了的绘本一套，原价200，现价80包邮，需要的私我"),
    ("孩子的旧玩具不玩了，免费送给需要的", "孩子不玩了的乐高，原价800，现价300，需要的私聊"),
])
def test_probe44_ads_by_kind_and_its_neighbours(ordinary: str, advert: str) -> None:
    rule = settings("content.ads")
    assert ads.detect(normalize(ordinary), CTX, rule) == []
    assert ads.detect(normalize(advert), CTX, rule)


@pytest.mark.parametrize(("ordinary", "threat"), [
    # a death wished on a family is a threat; 不得好死 alone a curse (abuse), 堵 in traffic nothing
    ("这种人贩子不得好死", "谁再欺负我家孩子，我让他全家都不得好死，到学校门口堵他"),
    ("校门口堵车太厉害了", "你全家不得好死"),
    ("放学路上门口堵他的是谁家家长，吓到孩子了", "再敢碰我孩子，让你全家不得好死"),
])
def test_probe44_a_family_threatened(ordinary: str, threat: str) -> None:
    rule = settings("content.banned")
    assert banned.detect(normalize(ordinary), CTX, rule) == []
    assert banned.detect(normalize(threat), CTX, rule)


@pytest.mark.parametrize(("ordinary", "insult"), [
    ("你有没有看到他不得不走", "这种人贩子不得好死"),
    ("好死不如赖活着，这话也太丧了", "你这种人不得好死"),
])
def test_probe44_a_death_wished_is_an_insult(ordinary: str, insult: str) -> None:
    rule = settings("content.abuse")
    assert abuse.detect(normalize(ordinary), CTX, rule) == []
    assert abuse.detect(normalize(insult), CTX, rule)


@pytest.mark.parametrize(("ordinary", "asked"), [
    # the day's or the school's lessons that cannot be attended, with a reason
    ("比赛那天上午的课来不了的同学，跟老师说一下", "张子涵明天要去参加市里的数学竞赛，上午的课来不了，下午回学校"),
    ("学校这边的课去不了的同学，老师会安排补课吗", "张子涵周三要参加区里的足球比赛，学校这边的课去不了"),
    # the day, then cannot come; not a teacher away
    ("数学老师生病了，上午来不了，课调到下午", "王老师，张子涵今天早上牙疼得哭，带去拔牙，上午来不了"),
    ("周末的聚会今天去不了了，孩子发烧", "张子涵发烧了，在儿童医院，今天去不了了🤒"),
    # a doctor's visit in other words, then late by a lesson or the clock
    ("孩子上周去眼科看了，配了眼镜，十点左右到的家", "张子涵今天眼睛红肿，去眼科看一下，大概十点左右到校"),
    ("今天早上去眼科看了，还是八点到校的，没耽误", "孩子早上摔破了膝盖，在社区医院包扎，第二节课前送过去"),
    ("体检报告第二节课前交给老师", "孩子在医院输液，第二节课之前到"),
    # kept away while contagious; not asked, not a classmate
    ("班里有同学得了水痘，其他孩子要隔离一周吗？", "张子涵水痘了，医生说要隔离一周左右"),
    # a child's isolation; not a building's or the news's, with children mentioned after
    ("小区有人得水痘，整栋楼隔离14天", "孩子得了水痘，医生说要隔离一周"),
    ("小区有人得水痘，整栋楼隔离14天，孩子们注意防护", "老师，娃出水痘了，要隔离一周左右"),
    ("新闻说外地手足口病例要隔离一周", "孩子手足口了，要隔离一周"),
    # late by the clock, leaving early: the child's, not the speaker's or a parcel's
    ("快递说要晚半小时到", "张子涵今天睡过头了，晚半小时到，路上堵车"),
    ("家长会我要提前走，孩子爸爸留下", "张子涵下午三点要提前走，家里有点急事"),
    # away from one school day to another; not a grown-up's trip
    ("周一到周三我们回老家，孩子跟奶奶在家照常上学", "张子涵下周一到周三跟我们回老家参加婚礼"),
    # 请 and half a day after the day; not asked
    ("孩子明天上午请半天吗，还是请一天好", "张子涵明天要去办护照，上午请半天"),
    # a fetch to catch a train; not after school
    ("下周去北京赶高铁，放学来接孩子", "张子涵周五下午要赶高铁，两点就来接"),
    # the speaker's own leave, home to help; not the child's
    ("杨一诺妈妈我明天请假在家，可以帮忙接一下孩子", "老师，张子涵明天请假在家，发烧了"),
])
def test_probe45_leave_by_kind_and_its_neighbours(ordinary: str, asked: str) -> None:
    rule = settings("content.leave_requests")
    assert leave_requests.detect(normalize(ordinary), CTX, rule) == []
    assert leave_requests.detect(normalize(asked), CTX, rule)


@pytest.mark.parametrize(("ordinary", "advert"), [
    # one's own referral code with a cash reward and no amount; not a class's code, not asked
    ("学校让下载的APP填邀请码就能领电子课本", "下载这个APP注册填我的邀请码 88652 就能领现金红包"),
    ("邀请码填了能领现金吗", "用我的推荐码注册就送现金"),
])
def test_probe45_ads_by_kind_and_its_neighbours(ordinary: str, advert: str) -> None:
    rule = settings("content.ads")
    assert ads.detect(normalize(ordinary), CTX, rule) == []
    assert ads.detect(normalize(advert), CTX, rule)


_DETECTORS = {"content.ads": ads, "content.abuse": abuse, "content.banned": banned, "content.links": links,
              "content.leave_requests": leave_requests, "content.student_privacy": student_privacy}


def _told_apart(rule_id: str, ordinary: str, violation: str) -> None:
    """The rule passes the ordinary message and reports its neighbour of the other side."""
    detector, rule = _DETECTORS[rule_id], settings(rule_id)
    assert detector.detect(normalize(ordinary), CTX, rule) == []
    assert detector.detect(normalize(violation), CTX, rule)


@pytest.mark.parametrize(("ordinary", "asked"), [
    # a span of days then cannot come, with an illness; not over, not the speaker's fetch
    ("孩子上周发烧了这两天都来不了学校，现在好了", "张子涵肚子疼了一晚上，医生说是急性肠胃炎，这两天都来不了了"),
    ("孩子外公住院了，我这两天来不了接孩子，换他爸爸来", "张子涵这几天去不了学校了，发烧39度"),
    # ill or at a clinic, then late; not a grown-up late, not home late
    ("我今天感冒了，可能晚点到家长会", "张子涵今天有点感冒流鼻涕我先带他去诊所看下可能晚点到"),
    ("孩子感冒好多了，今天晚点到家", "李思远明天去口腔科，十点左右到校"),
    # a doctor in other words, then a fetch from the school; not after school or at the weekend
    ("我今天去口腔科拔牙，放学去学校接孩子", "张子涵今天约了牙医拔牙，第三节课后我来学校接他"),
    ("周六带孩子去眼科复查，我来学校接他参加活动", "张子涵下午三点挂了儿童医院过敏科的专家号，两点半我去学校接她"),
    # a little early, a lesson missed, there by a time; not the speaker's, not a teacher's,
    # not goods, not nearly missed
    ("家长会我想早点走，孩子爸爸留下", "张子涵周四下午要去医院配眼镜，最后一节课想早点走"),
    ("今天早上堵车，差点赶不上第一节课", "张子涵早上睡过头了，第一节课赶不上，九点前一定送到"),
    ("听孩子说今天陈老师第一节课赶不上，是周老师先上的英语", "路上车坏了，第一节课赶不上了，九点前一定送到！"),
    ("家委会订的矿泉水九点前一定送到学校，大家放心", "明天下午家里有事要早点离校，我三点来接"),
    # a named day's leave, a teacher addressed; not a teacher's leave asked about
    ("陈老师请明天的假吗？听说她病了", "刘老师，请明天的假，孩子要去打疫苗"),
    ("请问周五下午的假怎么请", "张子涵周五下午要提前去考点熟悉场地，想请周五下午的假"),
    # 请假 mistyped as 清假, judged as 请假
    ("想问下清假要提前几天跟刘老师说呀？", "张子涵扁桃体发炎了，昨晚烧到39度，今天清假哈"),
    # injuries, symptoms and a body's temperature as reasons; not the weather's
    ("孩子脚崴了，不过不影响上学，今天照常送", "张子涵昨天脚崴了 肿得老高 今天先不去了"),
    ("今天37度，不送孩子去游泳了", "张子涵今早浑身没劲儿，量了下三十七度八，我们今天就不去了"),
    ("38度的高温，孩子们注意防暑", "38.5度……不敢送学校了，刘老师"),
    ("孩子摔了一跤，膝盖破了点皮，没事，照常上学", "张子涵昨天跑步摔了，膝盖缝了三针，先在家休息两天"),
    ("孩子头晕是不是中暑了，在学校还好吗？", "张子涵今天眼睛又红又痒怕是红眼病不敢送学校先去眼科看看"),
    # asked what would happen, how it is asked, or already asked privately: not a request
    ("想问下如果去外地比赛要请长假，需要学校开证明吗？", "如果明天还发烧，就请一天假"),
    ("请问一下请假是找班主任还是直接找任课老师？", "老师，张子涵明天请假一天"),
    ("张子涵明天请假的事我已经私信您了，就不在群里说了", "张子涵明天请假，具体情况我一会再说"),
    ("周五请假的事我已经私信刘老师了，大家不用帮我转达哈", "周五张子涵要请假，大家不用帮我转达哈"),
    ("请假的事私信刘老师就行，不用在群里说", "张子涵请假的事，明天上午请半天"),
])
def test_probe46_leave_by_kind_and_its_neighbours(ordinary: str, asked: str) -> None:
    _told_apart("content.leave_requests", ordinary, asked)


@pytest.mark.parametrize(("ordinary", "reported"), [
    # a named pupil stealing, words between; not the one robbed, nor a witness
    ("张子涵的文具盒在班上被偷了，谁看见了吗", "张子涵天天在班上偷别人东西，大家都注意看好孩子的文具"),
    ("张子涵说有人偷了她的橡皮", "李思远经常在班上偷同学东西"),
    ("张子涵看见有人偷东西，告诉老师了", "张子涵这孩子就是笨，教都教不会，别让我家孩子跟他坐一起"),
    ("张子涵被人欺负了，回家哭了", "张子涵总欺负我家孩子"),
    # how many wrong is a score; what was taken wrongly is not
    ("张子涵拿错了水杯，蓝色的", "听说李思远和王梓萱听写错了十几个，这样会拖全班后腿吧"),
    # an event's distance is not a score
    ("运动会报名名单：跳绳张子涵，60米李思远，接力王梓萱、陈浩然、刘欣怡。",
     "英语听写全对的只有张子涵，李思远、王梓萱、陈浩然都错了十个以上"),
])
def test_probe46_privacy_by_kind_and_its_neighbours(ordinary: str, reported: str) -> None:
    _told_apart("content.student_privacy", ordinary, reported)


@pytest.mark.parametrize(("ordinary", "banned_text"), [
    # a knife promised at the school gate; not a knife used at home
    ("孩子拿刀切水果切到手了", "谁再敢欺负我家孩子，我就拿刀在学校门口等他，说到做到"),
    ("我就拿刀削了个苹果", "再有人动我儿子一下，我带刀去校门口堵他"),
    # invoices sold in more words; not an invoice asked for
    ("班费能开发票吗", "出售各类发票，增值税专票普票都能代开，点数低，需要的联系"),
])
def test_probe46_banned_by_kind_and_its_neighbours(ordinary: str, banned_text: str) -> None:
    _told_apart("content.banned", ordinary, banned_text)


@pytest.mark.parametrize(("ordinary", "advert"), [
    # a coupon or rebate group recruited, on those shops too; not a class group, not asked
    ("没进群的家长扣1我拉你", "外卖优惠券群，每天领大额券吃饭省钱，想进群的扣1我拉你"),
    ("超市有优惠券吗，外卖的领券群怎么进", "淘宝京东返利群，买东西能返现，需要的扣1我拉你💰"),
])
def test_probe46_ads_by_kind_and_its_neighbours(ordinary: str, advert: str) -> None:
    _told_apart("content.ads", ordinary, advert)


@pytest.mark.parametrize(("ordinary", "link"), [
    # Latin then Chinese letters, a spelled dot and a suffix; not Chinese alone
    ("今天九点com", "追剧的去这个 y y d s 影 视 点 c o m 不用会员"),
    ("这个网站是百度点com吗", "看片去 a b c 影 院 点 c n"),
])
def test_probe46_a_mixed_label_spelled_out(ordinary: str, link: str) -> None:
    _told_apart("content.links", ordinary, link)


@pytest.mark.parametrize(("ordinary", "asked"), [
    # the child let out early, the gate told, an afternoon fetch by the clock; not the school's
    # dismissal, not a weekend, not after school
    ("明天学校两点半放学，请家长准时来接", "张子涵今天下午三点要去社区打流感疫苗 麻烦两点半放他出来 我在校门口等"),
    ("门卫不让家长进校园，大家在门口等", "我们今天搬家，下午三点半我去接张子涵，麻烦跟门卫说一声"),
    ("周六下午两点我去接他上钢琴课", "张子涵明天下午考跆拳道黄带，一点半我就去接他，下午的课麻烦老师了"),
    ("放学后三点半我去接他", "李思远下午考钢琴十级，一点半我来学校接她"),
    # after an exam, braces or a passport: sent straight there, arriving only later
    ("家委会买的绿植明天直接送学校", "张子涵明天上午考舞蹈十级，十一点左右考完我直接送学校"),
    ("我开会九点半以后才能到，孩子爷爷先去家长会", "张子涵明早要去医院调牙套，约的八点半，估计九点半以后才能到学校"),
    ("快递说九点半以后才能到", "张子涵今天跟我去出入境办护照，那边要本人拍照，下午第一节课前送到"),
    # cannot come in more words
    ("孩子上周牙疼，上午估计来不了的是我", "张子涵牙疼了一晚上腮帮子都肿了 我现在带他去看牙 上午估计来不了了"),
    ("机器人比赛在周六，不耽误上课", "张子涵明天去市里参加机器人比赛，早上六点就出发，明天到不了校"),
    ("周末带孩子回老家，今天就不来群里发作业照片了", "我屋头张子涵昨晚上烧起来了，今天就不来读书了哈"),
    # home in more words; not a building isolated, not the speaker ill, not a shop
    ("小区有人阳了，整栋楼在家隔离", "张子涵身上起了好多小红点，医生说像水痘，这几天先在家隔离"),
    ("我今天感冒了在家躺一天", "张子涵发少了三十八度五，今天再家躺一天"),
    ("店铺休息一日，明天照常营业", "俊豪今日肚痛，喺屋企休息一日，唔该晒"),
    ("今天孩子在家躺了一天，周末好好休息", "秦语嫣早上有点咳还低烧，我想让她上午在家睡一觉，中午以后再送过去可以吗"),
    # asked how, or thanked for a leave granted: not a request
    ("请问孩子要请假是在群里说还是私聊黄老师？", "黄老师，张子涵明天请假一天，孩子发烧"),
    ("谢谢黄老师批假，张子涵今天已经回来上课了", "请黄老师批假，张子涵明天要去复查"),
])
def test_probe48_leave_by_kind_and_its_neighbours(ordinary: str, asked: str) -> None:
    _told_apart("content.leave_requests", ordinary, asked)


@pytest.mark.parametrize(("rule_id", "ordinary", "violation"), [
    ("content.ads", "我朋友在做代理，靠谱吗？", "安利一个护肤品牌，我自己在做代理，想做代理的宝妈也可以找我，薇❤ meimei0808"),
    ("content.ads", "代理班主任孙老师这周负责", "我在做代理，需要的加v：abc12345"),
    ("content.abuse", "你是不是有病了？看着脸色不好", "你脑子是不是有病？听不懂人话？"),
    ("content.banned", "冰墩墩的玩偶谁家孩子落下了", "出冰du，货好价优，同城可送，懂的来"),
    # a card, password and code sent to the asker; not a warning quoting them
    ("content.banned", "请大家不要把银行卡号、密码和验证码发给任何人",
     "各位家长，学校要发营养补助，请把银行卡号、密码和手机收到的验证码私发给我登记"),
    ("content.student_privacy", "我家孩子太调皮了，老师多费心", "张子涵这孩子太调皮了，一点规矩都没有，谁跟他同桌谁倒霉"),
    ("content.student_privacy", "开学第一周立规矩，请家长配合", "李思远上课没规矩，老是插嘴"),
])
def test_probe48_other_rules_by_kind_and_their_neighbours(rule_id: str, ordinary: str, violation: str) -> None:
    _told_apart(rule_id, ordinary, violation)


@pytest.mark.parametrize(("ordinary", "asked"), [
    # a lesson reached in time already, or a school rule: no late arrival
    ("早上堵车，刚好在第一节课前送到，吓死我了", "张子涵今天去医院复查，下午第一节课前送到"),
    ("学校规定第一节课前送到就行，不用七点就去排队吧？", "张子涵明天去办港澳通行证，十点才能到学校，先跟您报备下"),
    # the speaker ill, a child mentioned for the fetch
    ("我今天发烧在家躺一天，放学让孩子爷爷去接，他爷爷穿灰色外套", "张子涵今天发烧在家躺一天"),
    # the gate told in other words, a quarter past, after a lesson, "放一下人"
    ("门卫室有一把蓝色雨伞，谁家的", "麻烦门卫那边说一声，张子涵下午三点我来接，要赶高铁去外地！"),
    ("周六下午两点一刻我去接他上美术课", "张子涵下周三下午要考跆拳道黄带，三点前得到场，我两点一刻去接他"),
    ("放学后第二节课的作业我来检查", "张子涵下午第二节课后我来接她去考美术，麻烦老师到时候放一下人"),
    # a day, a day's span, then not coming; half a day by the morning
    ("周五一天都在下雨，孩子们别忘了带伞", "张子涵后天要回老家喝喜酒，周五一天不来了哦"),
    ("孩子明天上午请半天吗，还是请一天好", "张子涵明天考小提琴四级，上午请半天，考完中午我送他回学校"),
    # isolated at home: a child's, not a building's
    ("小区有人阳了，整栋楼在家隔离", "张子涵家里有人阳了，这几天先在家隔离，等转阴了再去学校"),
])
def test_probe49_leave_by_kind_and_its_neighbours(ordinary: str, asked: str) -> None:
    _told_apart("content.leave_requests", ordinary, asked)


@pytest.mark.parametrize(("rule_id", "ordinary", "violation"), [
    # an advert reported is not one made
    ("content.ads", "群里别发广告啊，上次那个说想做代理的宝妈找我的，我已经举报了",
     "有没有想做兼职的宝妈？零门槛做代理，一部手机就能做，加QQ 3356781209详聊"),
    # a phrase a child picked up, told of; not said to someone
    ("content.abuse", "孩子回家跟我说听不懂人话，问了是动画片里学的，已经批评了",
     "你是不是有病啊，大半夜在群里发这种东西"),
    ("content.banned", "周末带孩子去溜冰场溜冰了", "出点溜冰的货，纯度高，懂的来滴滴我"),
])
def test_probe49_other_rules_by_kind_and_their_neighbours(rule_id: str, ordinary: str, violation: str) -> None:
    _told_apart(rule_id, ordinary, violation)


@pytest.mark.parametrize(("ordinary", "asked"), [
    # an absence told to a teacher in words no pattern holds: to a teacher, the pupil, a
    # reason, a school time and the absence; each neighbour lacks one or says it is no request
    ("老师，李思远今天有点咳嗽，麻烦提醒她多喝水", "黄老师，李思远发烧了，今天先不让他去了，明天看情况"),
    ("黄老师，孩子今天去医院复查了，结果挺好", "李老师，张子涵明天要去医院检查，上午不来了"),
    ("黄老师，孩子明天要去医院，放学我来接", "黄老师，思彤明天复查，不能去学校了"),
    ("黄老师，孩子发烧了需要请假吗", "黄老师，孩子今天发烧，不让他去了"),
    ("黄老师，周末孩子发烧在家休息了两天，周一正常来", "黄老师好，张子涵今天嗓子发炎，医生让在家观察两天"),
    ("黄老师您辛苦了，孩子今天在家说头疼，我观察一下", "@黄老师 张子涵今天有点感冒，晚到一会儿"),
    ("黄老师，子墨的奶奶住院了，这几天是爸爸来接", "黄老师，张子涵今天奶奶住院，我们要去医院，今天不来了"),
    ("黄老师，孩子说今天李老师生病没来上课", "黄老师，我家孩子今天肚子疼得厉害，上午晚到"),
    ("黄老师，我今天感冒了，在家休息，让爷爷去接", "老师，我家孩子今天肚子不舒服，我一会过来接走"),
    ("黄老师，孩子昨晚咳嗽，早上吃了药，今天照常去学校", "黄老师，孩子昨晚咳嗽，今天不让她来了"),
    # not said to a teacher: no request
    ("孩子今天发烧，不让他去同学家玩了", "黄老师，孩子今天发烧，不让她来了"),
])
def test_an_absence_told_to_a_teacher_in_other_words(ordinary: str, asked: str) -> None:
    _told_apart("content.leave_requests", ordinary, asked)


@pytest.mark.parametrize(("ordinary", "asked"), [
    # probe 50: sent by a clock time or once seen; not goods, not asked
    ("快递员说十点半左右送到学校门口", "老师 张子涵牙疼得厉害 今天上午带他去口腔医院拔牙 大概十点半左右送到学校"),
    ("体检报告第二节课之前能送到吗？", "张子涵昨晚吃坏肚子了，今天早上去社区医院挂个水，估计第二节课之前能到"),
    ("家委会的水果看完就送过去", "我家张子涵今天皮肤过敏起了好多疹子，上午带她去皮肤科看看，看完就送回来"),
    # two day words then not going, with a move as the reason; not a shopping trip
    ("明天上午先不去了，商场人太多，下午再去买校服", "陈老师 我们家明天搬家，没人送张子涵，明天上午先不去了，下午我送他过去"),
    # a clock fetch from the school; the gate or the door told
    ("有事跟门口保安说一下就行", "陈老师，高架上出车祸堵死了，张子涵估计要八点四十才能到，麻烦老师跟门口说一下"),
    ("周五中午一点半学校门口有义卖活动", "陈老师，张子涵周五下午就要出发，周五中午一点半我来学校接他"),
    # swollen, this week; not a teacher, not back at school
    ("陈老师，孩子昨天摔了，肿得厉害，今天还是坚持来上学了", "陈老师 张子涵昨天放学摔了一跤 肿的厉害走不了路 明天后天先在家养两天"),
    ("这周都来不了的是王老师，数学课由李老师代", "老师好 张子涵出水痘了 医生说要隔离 这周都来不了了 😭"),
    # an absence told to a teacher with a rest at home or away from school
    ("孩子吃坏肚子了，还好周末在家休息", "陈老师，张子涵昨晚上闹肚子，跑了好几趟厕所，今天遭不住了，在屋头歇一天"),
    ("陈老师，孩子明天不在学校吃午饭，我中午接他回家吃", "陈老师，张子涵明天上午要去市里参加英语演讲比赛决赛，早上七点就出发，明天上午不在学校"),
    # not requests: a leave past, heard of, a teacher's, not needed, the speaker's own
    ("陈老师，张子涵前两天请假在家，落下的作业在哪里看呀？", "陈老师，张子涵明天请假在家，落下的作业我们自己补"),
    ("听说王老师生病请假了，这周数学谁来代课呀？", "王老师，张子涵生病了，明天请假"),
    ("听说班上好几个孩子都发烧请假了，是不是流感？大家注意一下", "孩子发烧了，明天请假一天"),
    ("陈老师，张子涵这周一直有点咳嗽，不发烧，医生说不用请假，麻烦您帮忙看着点", "陈老师，张子涵这周一直咳嗽，明天请假去医院"),
    ("我明天去医院做个检查，下午请了假，正好可以来接李思远放学", "李思远明天去医院做个检查，下午请假"),
])
def test_probe50_leave_by_kind_and_its_neighbours(ordinary: str, asked: str) -> None:
    _told_apart("content.leave_requests", ordinary, asked)


@pytest.mark.parametrize(("ordinary", "asked"), [
    # probe 51: fetched early by a relative's illness today; not a habit, not the school's dismissal
    ("奶奶住院了，最近都是我提前接孩子下班后再去医院", "周老师 张子涵奶奶住院了 我们今天下午三点要提前接她走 谢谢老师"),
    ("学校通知明天下午提前放学，请家长三点提前接孩子", "张子涵今天下午要提前接她回家，家里有急事"),
    # a doctor, then fetched at the gate or cannot come; not someone else
    ("孩子牙科约在周六，到时候我去校门口接他参加兴趣班", "张子涵今天4点约了牙科，3点半我到校门口接她可以吗？"),
    ("周老师，孩子昨天去医院打了疫苗，今天来不了的是他爸爸", "张子涵下周一上午要去打疫苗，来不了，先跟老师说一声哈"),
    # how leave is done, asked
    ("请问请假要怎么走流程？是写假条还是直接跟老师说？", "周老师，孩子明天要请假，要怎么跟您说一下"),
    # an activity in school hours dropped, told to a teacher
    ("周六的亲子活动不参加了，孩子有点感冒", "周老师，张子涵昨天脚崴了，今天下午的运动会彩排就不参加了，我中午过来接她回家"),
])
def test_probe51_leave_by_kind_and_its_neighbours(ordinary: str, asked: str) -> None:
    _told_apart("content.leave_requests", ordinary, asked)


@pytest.mark.parametrize(("rule_id", "ordinary", "violation"), [
    # names called oneself; a spouse joked about
    ("content.abuse", "孩子回来说吴老师讲题讲得特别清楚，连我这个数学笨蛋都听懂了哈哈", "你这个笨蛋，看不懂通知吗"),
    ("content.abuse", "收到，我家那个猪队友又忘了给孩子签字了😂", "你是猪吗，看不懂通知"),
    # warnings in a parent's or a teacher's words
    ("content.banned", "请家长关注孩子的手机使用，防止孩子参与游戏充值和网络赌博", "网络赌博平台，加我带你稳赚"),
    ("content.banned", "网络赌博太害人了，我们单位就有人输了几十万，大家看好家里的手机", "需要发票的找我，各种税点都能开，真票可查"),
    ("content.ads", "我们单位也在招加盟商吗？", "有想加盟童装店的吗？零经验也能开，总部全程扶持，欢迎私聊"),
    ("content.student_privacy", "我家孩子成绩那么差，真愁人", "张子涵成绩那么差，凭什么还当班长"),
])
def test_probe51_other_rules_by_kind_and_their_neighbours(rule_id: str, ordinary: str, violation: str) -> None:
    _told_apart(rule_id, ordinary, violation)


@pytest.mark.parametrize(("ordinary", "asked"), [
    # probe 52: late told, out before a lesson; not the speaker, not a notice, not asked
    ("孩子们明天不要迟到，七点半前到校", "今早地铁二号线故障停运，我们在换公交，张子涵要迟到了，估计8点20到"),
    ("我要迟到了，家长会麻烦帮我占个座", "张子涵今天起晚了😭正在路上，估计迟到十来分钟"),
    ("路上堵，估计要晚到十来分钟的是校车", "老师，下大雪路上堵死了，张子涵可能要晚到半个多小时"),
    ("第三节课前交作业", "宋老师，张子涵下午第三节英语课前我要接走，她要去打狂犬疫苗第二针"),
    ("今天最后一节课提前走的是六年级", "唐老师，张子涵下午要去省游泳队集训报到，最后一节课提前走"),
    ("奶奶住院了，最近都是我提前去接孩子", "唐老师，张子涵说头晕想吐，可能中暑了，下午我提前去接他回家"),
    # this week, the kindergarten, days of leave, back to lessons
    ("这周就不去公园了，下雨", "老师孩子咳嗽得厉害医生说是支原体肺炎要在家输几天液这周就不去了"),
    ("周末不送园，周一见", "丁老师，张子涵这两天流鼻涕打喷嚏，怕传染给小朋友，明天先不送园了哈"),
    ("请十天的假期作业都布置了吗", "张子涵长水痘了，医生说要隔离到痘全部结痂，大概得请十天左右的假"),
    ("看完电影赶回来上课来不及了吧哈哈", "唐老师，我家娃今天眼睛又红又肿，上午去眼科看一下，看完尽量赶回来上课"),
    ("我们家孩子积食，周末在家歇了一天", "丁老师，宝贝有点积食，早上一口饭没吃，今天在家歇一天😔"),
    ("老师，晨曦爷爷住院了，这两天我们回老家了吗？", "老师，张子涵爷爷在老家突发脑梗，我们得马上赶回去，孩子也带上，这两天先请假，回来再跟您联系"),
    # not requests: the speaker's own leave to fetch, asked whether needed, negated, advice, a topic
    ("今天几点放学？我下午请了假想早点去接", "今天下午张子涵请假，我早点去接"),
    ("学校组织去参加区里比赛的孩子，需要家长另外请假吗？", "张子涵明天去参加区里比赛，需要请假一天"),
    ("社区医院周六上午也能打流感疫苗，不用专门请假，大家可以周末带孩子去", "张子涵明天上午去打流感疫苗，请半天假"),
    ("唐老师说得对，孩子生病了就在家休息，别硬撑着来学校传染别人", "唐老师，张子涵生病了，今天在家休息"),
    ("群里不让发请假信息，大家直接私聊老师哈", "张子涵明天请假，谢谢老师"),
    ("湛子瑜请假的事我私发您了", "张子涵周四周五请两天假，比赛通知我私发您了"),
])
def test_probe52_leave_by_kind_and_its_neighbours(ordinary: str, asked: str) -> None:
    _told_apart("content.leave_requests", ordinary, asked)


@pytest.mark.parametrize(("ordinary", "advert"), [
    # a surplus given away "直接送"; not a delivery offered
    ("我们家有多余的跳绳，谁家孩子需要说一声，直接送", "新到一批童装，直接送到家，加v：abc123"),
])
def test_probe52_a_giveaway_and_a_delivery(ordinary: str, advert: str) -> None:
    _told_apart("content.ads", ordinary, advert)


@pytest.mark.parametrize(("rule_id", "ordinary", "violation"), [
    # probe 53's false positives first. How leave should be asked for is a topic; a day named
    # makes it a request
    ("content.leave_requests", "老师，想问一下孩子请假应该怎么请？是在小程序上提交还是直接给您打电话？",
     "老师，孩子明天请假，应该怎么补作业？"),
    ("content.leave_requests", "请假一般应该提前多久说呀", "张子涵明天请假，一般是下午回来"),
    ("content.leave_requests", "请半天假要不要写假条？", "张子涵明天请半天假，要去医院"),
    ("content.leave_requests", "请几个小时的假也需要写假条吗？", "张子涵下午请两个小时的假，去办身份证"),
    ("content.leave_requests", "请两个小时的假要走什么流程？", "张子涵下午请两个小时的假，要去医院"),
    ("content.leave_requests", "孩子以后如果请假，应该发给您还是发给年级组？", "孩子明天请假，应该发给您的病假条晚点补"),
    # goods late are no child late
    ("content.leave_requests", "外卖要晚到十分钟，孩子先吃点饼干", "孩子今天要晚到十分钟，路上堵车"),
    # a body's temperature after a name is no score; a score is
    ("content.student_privacy", "张子涵 36.5℃ 正常", "张子涵 86.5，这次考砸了"),
    ("content.student_privacy", "李思远：36.6，正常", "李思远：96，全班最高"),
    ("content.student_privacy", "王梓萱 132cm 28kg", "王梓萱 58，不及格"),
])
def test_probe53_false_positives_and_their_neighbours(rule_id: str, ordinary: str, violation: str) -> None:
    _told_apart(rule_id, ordinary, violation)


@pytest.mark.parametrize(("ordinary", "asked"), [
    # probe 53: a length between 请 and 假, or 请<n>天 closing its clause in the original text
    ("单位只给请两个小时的假，接孩子实在来不及", "老师，张子涵今天下午要去派出所办身份证，请两个小时的假"),
    ("我们要请半天保姆，周末有空", "明天上午我们带张子涵去出入境办护照，要请半天，下午一点前送回学校"),
    ("这孩子早上要请半天才起床，太磨蹭了", "老师，张子涵明天上午要去医院复查，得请半天，下午送过来"),
    # (and 假 said after all: "上午请半天" closes with it)
    ("这周想请一天保姆，家里太乱了", "孩子今天不舒服，上午请半天假"),
    # ill in new words (an inflammation, red and swollen), at home; not the speaker, not advice
    ("我得了肠胃炎在家休息，孩子今天让爷爷送", "张子涵今天眼睛又红又肿，怀疑是结膜炎，怕传染给同学，在家休息"),
    ("结膜炎传染性强，孩子眼睛红的话建议在家休息", "老师，张子涵得了急性肠胃炎，今天在家休息"),
    ("孩子肺炎刚好，医生说再在家休息一周，已经私聊过老师了", "张子涵扁桃体发炎了，医生让在家休息两天"),
    # fetched after a lesson, or at the gate by an afternoon hour; not past, not the class
    ("上周五第四节课后我就接走了，谢谢老师帮忙照顾", "张子涵今天下午第二节课后我就接走了，去医院复查"),
    ("两点到校门口接孩子们去参观，需要家长志愿者", "张子涵下午三点要去参加钢琴比赛，我两点半到校门口接她"),
    # the child sent to the gate in school hours for a doctor; not after school
    ("让孩子放学在校门口等我，别乱跑", "张子涵周三下午要去医院查视力，麻烦老师中午让他吃完饭到校门口等我"),
    ("中午让他到校门口等我，给他送个饭盒", "张子涵今天要去看牙，中午让她到学校门口等我"),
    # late a little, or there by a morning hour; not the speaker, not a fetch after school
    ("家长会我要晚到一点，孩子先进去", "老师好，张子涵家里临时有点事，今天要晚到一点，九点半之前一定到"),
    ("孩子奶奶住院了，这几天我下班过来接可能晚一点，不过五点前肯定到", "孩子今天去抽血，九点前一定到"),
    # after-school care dropped on a school day; not a habit, a term, asked, or the school's
    ("我家孩子从来不上托管，都是奶奶接", "张子涵今天放学不参加课后服务，四点我直接来接"),
    ("这学期托管不参加了，孩子外婆来了可以接", "张子涵本周的课后延时服务都不参加了，家里老人过来了可以接"),
    ("孩子说今天课后服务不上了，是真的吗？", "张子涵今晚的晚托不参加了，我六点前来接"),
    ("今天课后服务不上了，学校通知老师开会", "张子涵下午放学去外婆家，外婆会来接，今天不上托管了"),
    # PE dropped for the child's reason; not the lesson cancelled, asked about, no longer needed
    ("孩子说体育老师生病了，这周体育课都不上了", "张子涵脚崴了，医生开了证明，这个月体育课都得免了"),
    ("请问一下，如果孩子受伤了需要免体育课，是找班主任还是体育老师开证明？", "张子涵发烧刚好，医生说两周内免体育，麻烦老师了"),
    ("医生说孩子可以正常上体育课了，不用免了", "张子涵昨天打完疫苗有点反应，今天的体育课就不上了，让他在教室休息可以吗"),
    ("体育课不上了吗？今天下雨", "张子涵这周一直咳嗽，体育课的800米测试能不能先不参加，等好了再补测"),
])
def test_probe53_leave_by_kind_and_its_neighbours(ordinary: str, asked: str) -> None:
    _told_apart("content.leave_requests", ordinary, asked)


@pytest.mark.parametrize(("ordinary", "banned_text"), [
    # probe 53: religion spread (an invitation, salvation promised); not told of
    ("周末带孩子去教会学校参观，环境挺好的", "各位家长，主的福音已经临到，这个周日欢迎带孩子一起来认识神，信主得永生"),
    ("孩子问我受洗是什么意思，有懂的家长吗", "我们教会下周开始有儿童主日学，免费讲圣经故事，欢迎大家带孩子来"),
    ("学校图书馆新到了《圣经故事》等名著，欢迎家长带孩子来借阅", "欢迎家长们周日带孩子来参加查经班，一起学习圣经"),
    # a chain letter that blesses or curses, forwarded by count; not an exclamation, a warning,
    # one's own forwarding
    ("阿弥陀佛，孩子终于退烧了", "请各位家长把这条转发到三个群，菩萨保佑孩子们平安健康，阿弥陀佛"),
    ("别信那些不转就倒霉的链接，都是骗人的", "紧急转发：今晚十二点前转到十个群，孩子期末一定考满分，不转的全家倒霉三年"),
    ("转了三个群找孩子的书包，最近真是霉运", "这条消息必须转发到九个群，否则厄运缠身，宁可信其有"),
    # the cult's campaign, the country written off and emigration urged
    ("跳舞队形是三进三退，孩子回家天天练", "家长们要看清真相啊，三退保平安，为了孩子的将来早做打算"),
    ("孩子这次数学没救了哈哈", "这个国家没救了，有条件的赶紧想办法润吧"),
    ("天太干了，赶紧润润嗓子", "国家没救了，能润就润吧"),
    # red packets played for money; not a red packet's luckiest named, not one to thank a teacher
    ("家委会发了个红包，手气最佳的是我哈哈", "晚上孩子睡了有没有一起玩的，群里抢红包接龙，手气最小的发下一轮，一百起步"),
    ("群里发红包接龙感谢老师，大家看可以吗", "来玩红包扫雷，踩雷的赔双倍"),
    # a lottery bought together or a win promised; not a ticket told of, nor 合买 of a gift
    ("昨天顺手买了张双色球，一个号都没中哈哈", "双色球我研究出规律了，连着三期中了小奖，有没有家长一起合买的，一注五十"),
    ("家长们一起合买一台投影仪送给班级吧", "大乐透这期奖池大，家长们一起合买吧"),
    ("单位同事合买彩票中了，分了两百", "有谁要跟我合买双色球的，包中三等奖"),
    # pornography and "smart drugs" offered by the speaker, whatever caution comes with them;
    # not warned against, asked about, nor the class's own film
    ("爸爸们，那种片子千万别让孩子看到，网上太乱了", "有爸爸要那种小电影的吗，我这有一堆高清的，晚上私发给你们，别让孩子看见哈"),
    ("孩子们自己拍的小电影剪好了，我私发给大家", "有要那种片子的爸爸吗，我这有资源，私发"),
    ("新闻说有学生吃聪明药提神，家长们要注意", "有家长要那种考前吃的聪明药吗，吃了通宵不困，国外带回来的"),
    ("有家长给孩子买过聪明药吗？听说有副作用", "考前聪明药有要的吗，吃了不困，私聊"),
    # an injury threatened; not a talk interrupted, a leg broken at play
    ("老师讲的时候别打断他，让他说完", "谁要是再敢在学校欺负我儿子，我直接去校门口堵他，打断他的腿"),
    ("孩子踢球把腿摔断了，打了石膏", "你家孩子再动手，我把他腿打断"),
])
def test_probe53_banned_by_kind_and_its_neighbours(ordinary: str, banned_text: str) -> None:
    _told_apart("content.banned", ordinary, banned_text)


@pytest.mark.parametrize(("ordinary", "reported"), [
    # probe 53's privacy misses, by kind: a rank dropped to or told roughly, results falling;
    # not a thing dropped, a queue, a count of people, a temperature, eyesight, the speaker's
    # own child
    ("陈浩然的水杯掉到楼下草丛里了", "陈浩然期末跌到了三十几名，他家长知道吗"),
    ("陈浩然体检排队排到第十几个了", "陈浩然这次怎么才考了第十几名"),
    ("陈浩然报名的乒乓球比赛有二十几名选手", "陈浩然这回考了个二十多名，家长要上点心"),
    ("陈浩然退烧了，体温降到37度，明天正常上学", "听说陈浩然这次掉出了前十"),
    ("我家浩然成绩下滑得厉害，老师有空能聊聊吗", "陈浩然这学期成绩下滑得厉害，从前五掉到二十几名了"),
    ("王梓萱视力下降了，老师能给她调到前排吗", "王梓萱成绩下降得厉害，以前可是前几名"),
])
def test_probe53_privacy_ranks_and_their_neighbours(ordinary: str, reported: str) -> None:
    _told_apart("content.student_privacy", ordinary, reported)


@pytest.mark.parametrize(("ordinary", "reported"), [
    # probe 53's privacy misses, by kind: negative information with no negative word. Pupils
    # listed after a heading of their own work not done or a test failed; not the parents'
    # errands, praise, a pass list, nor a list of things to bring
    ("班费还没交的同学：张子涵、李思远，请家长周五前交给家委会", "本周数学作业没交的同学：张子涵（两次）、李思远"),
    ("回执还没交的：王梓萱、陈浩然，请家长签字后明天带来", "以下同学作业未完成：王梓萱、陈浩然，明早补交"),
    ("表扬本周作业全部按时完成的同学：张子涵、李思远、王梓萱", "语文练习册缺交名单：张子涵、李思远"),
    ("体测合格名单：张子涵、李思远，恭喜达标", "体测不合格名单：张子涵、李思远，寒假多锻炼"),
    ("今天没带跳绳的同学：张子涵、刘欣怡，明天记得带", "昨天没交作文的同学有张子涵和刘欣怡，请家长检查"),
    ("寒假作业领取登记表还没交的：张子涵、陈浩然", "英语背诵没过关的同学：张子涵、陈浩然"),
    ("作业没交的是哪几个同学？张子涵妈妈让我问一下", "立定跳远不达标的同学：张子涵、陈浩然"),
    # a named pupil's result told as low in a test; not the speaker's own child, an age, a
    # fast time, a thing counted, the family's
    ("跳绳测试我家子涵才60个，寒假得天天练", "跳绳测试我家子涵一分钟180个，思远才60个，差太多了"),
    ("五十米测试王梓萱只跑了8秒，太快了", "仰卧起坐测试王梓萱只有20个，差距有点大"),
    ("李思远才8岁就能一分钟跳180个", "这次口算比赛李思远才对了30道"),
    ("体测那天刘欣怡只有2个项目没测，因为请假了", "体测我家孩子跳了150下，刘欣怡才跳了40下"),
    ("刘欣怡家离学校才500米，走路就到了", "跳绳测试刘欣怡只跳了70个，连及格线都没到"),
    # a misdeed of the pupil's own, repeated, or others' things not given back; not once, not
    # for the bus, not a good deed, not the one robbed or someone else's act
    ("张子涵今天迟到了，是校车晚点，不怪孩子", "张子涵这周已经迟到四次了，家长注意一下作息"),
    ("张子涵这周迟到两次都是因为校车晚点，已经跟学校反映了", "张子涵天天迟到，家长能不能早点送"),
    ("张子涵这学期只迟到过一次", "张子涵这个月已经旷课三次了"),
    ("李思远的文具被同学拿了不还，麻烦老师问一下", "李思远今天又拿了同学的文具不还，已经不是第一次了"),
    ("李思远说有人拿了她的橡皮不还", "李思远总是拿别人的橡皮不还"),
    ("李思远借给王梓萱的书不用还了，送她了", "李思远借了同学的书一直不还"),
    ("王梓萱又帮同学修好了铅笔盒，已经不是第一次了", "王梓萱又推了同学，这已经不是第一次了"),
    ("王梓萱每天都打他最喜欢的那个游戏", "王梓萱老是抢同学的玩具"),
    ("王梓萱又把作业忘在家里了，我中午送过去", "王梓萱今天又把同桌的本子撕了"),
])
def test_probe53_privacy_shapes_and_their_neighbours(ordinary: str, reported: str) -> None:
    _told_apart("content.student_privacy", ordinary, reported)


@pytest.mark.parametrize("text", [
    "张子涵这周已经迟到四次了，都怪我早上起不来", "跳绳测试张子涵才60个，寒假得练",
    "张子涵这学期成绩下滑得厉害，从前五掉到二十几名了", "张子涵又把同桌的本子撕了，我已经批评他了",
])
def test_probe53_shapes_of_a_parents_own_child_are_left_to_the_parent(text: str) -> None:
    # a parent whose display name names the child ("张子涵妈妈") tells of their own
    rule = settings("content.student_privacy")
    assert student_privacy.detect(normalize(text), replace(CTX, own_students=("张子涵",)), rule) == []
    assert student_privacy.detect(normalize(text), CTX, rule)


def test_make_hit_builds_what_the_class_call_builds() -> None:
    # make_hit stores the fields itself, without the class call: every field set as
    # Hit.__init__ sets it, and the hit as frozen
    norm = normalize("这是一条很长很长的消息，要截取其中一段作为证据。" * 3)
    for hit, want in (
        (make_hit("content.ads", norm, 3, 9, "理由"),
         Hit("content.ads", 3, 9, norm.excerpt(3, 9), "理由")),
        (make_hit("content.ads", norm, 30, 50, "理由", severity=Severity.INFO, kind="k", subject="张子涵"),
         Hit("content.ads", 30, 50, norm.excerpt(30, 50), "理由", Severity.INFO, "k", "张子涵")),
    ):
        assert [getattr(hit, f.name) for f in fields(Hit)] == [getattr(want, f.name) for f in fields(Hit)]
        assert hit == want and type(hit) is Hit and repr(hit) == repr(want)
        with pytest.raises(FrozenInstanceError):
            hit.start = 0  # type: ignore[misc]

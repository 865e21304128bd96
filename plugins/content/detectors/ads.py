"""content.ads: advertising by intent, not by a word.

A message is an ad when
- it carries an ad intent by itself: a bargain, vote or boost request ("砍一刀",
  "帮忙投票第12号"), a marketing identity (微商), recruiting or pyramid selling
  ("招代理", "月入五千"), a chain message ("转发到三个群就能领取"); or
- it couples commercial intent with a way to get in touch: commercial points
  (ads/selling 2, ads/commercial 1) of at least 2 and a contact (a phone number,
  a WeChat/QQ id or an e-mail, or an invitation such as 加微信/私聊), or one
  commercial word and a call to those who want it ("想买的说一声"); or
- it is plainly selling without a contact (commercial points of 4 or more with a
  selling term: "清仓甩卖，包邮，特价").

An offer cue (_OFFER_CUES: a price, a discount, a seller, delivery or a guarantee,
an enrolment drive) weighs as a selling term, one per class, scarcity as a
commercial word: they say what an offer looks like whatever it sells. One class
with nothing else is never an ad, and needs a contact, not just a call in words of
no lexicon. Offer words in a clause that asks ("新款书包在哪买的？") or speaks of
someone else's shop ("超市鸡蛋打九折") do not count: a parent asking about a
product is not selling it, nor is one complaining about a business ("这家培训机构真坑，
大家别上当"). A message about the class's own outing or purchase (春游, 班费, 家委会)
and a parent giving away what their child outgrew ("穿小的校服，免费送") are not
offers at all. The prices of a homework word problem ("数学题：苹果每斤8元，打八折…")
are the problem's, and the commercial words of the children's own photos or videos
(电子版) the medium's.

A contact alone is never an ad: a parent giving the teacher a new number is fine.
Staff are exempt when `exempt_staff` (a teacher's fee or uniform notice).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from plugins.charter.catalogue import AdsSettings
from plugins.charter.normalize import NormalizedText
from plugins.content.detectors.base import DetectContext, Hit, make_hit
from plugins.content.detectors.contacts import contacts
from plugins.content.detectors.first_chars import skipping
from plugins.content.detectors.triggers import HINT_ADS, HINT_OFFER, KIN

RULE_ID = "content.ads"

_NUM = r"[0-9一二三四五六七八九十两几百千万w]+"
_INCOME = re.compile(
    rf"(?:月|日|周|天)(?:入|赚|收入|薪)(?:过|上|达)?{_NUM}|日结(?:工资)?{_NUM}"
    r"|(?:也能|就能|轻松|在家)有?(?:收入|赚钱|挣钱)|多劳多得|按件(?:结算|计酬|计费)"
    r"|(?:工资|佣金|薪资|薪水|报酬|收入)(?:日结|周结|当天结|当日结|现结|秒结)"
    # probe 57: work from home offered to whoever means to take it ("在家就能做，有意jia wx…"); not a
    # craft or an experiment one can do at home ("这个实验在家就能做，感兴趣的可以试试": no 有意)
    r"|在家(?:就|也)?(?:能|可以)做[^。！？!?]{0,10}?有意(?![思义向见外])"
)
# What an offer looks like whatever it sells: each class of cue weighs as one selling
# term (2 points) however often it occurs, so two classes, or one with a contact,
# make an ad, and one alone never does ("学生票半价", "超市苹果五块钱一斤").
# Read in `compact` (no separators; "39.9" reads "399"). Units and words of what a
# class pays together (每人, 本, 套, 费) are left out: "校服一套150元" is a fee.
# whose goods a parent may sell for them (seller cue); not 同学 (a pupil's classmate)
_KIN = "|".join(KIN)
_UNIT = r"(?:斤|板|瓶|箱|盒|袋|罐|只|份|篇|张|节|位|小时|支|桶)"
_OFFER_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a price: by the piece ("8块一板", "45一小时", "一篇给20块", "一对二十"), for a
    # quantity ("10斤装68元", "4只298元", "158两盒"), what it buys ("99元拍10张"), a
    # rent or a monthly fee ("月租2500", "一个月1600"), a starting or uniform price
    # ("9块9起", "一律168"), by weight ("按斤卖"), a fee for buying on one's behalf
    # ("按专柜价加10%"), a yield or a minimum stake ("年化4.2%", "起投一万")
    ("price", re.compile(
        rf"(?:\d+(?:元|块)?|[一二三四五六七八九十两]+(?:元|块))钱?(?:一|每){_UNIT}"
        rf"|(?:一|每)(?:[斤板瓶箱盒袋]\d+|{_UNIT}给?\d+(?:元|块))"
        r"|\d+(?:斤|只|盒|箱|瓶|罐|张|袋)装?\d+(?:元|块)|[\d半一二三四五六七八九十两]+(?:斤|盒|箱|瓶|罐|袋)装(?:\d|[一二三四五六七八九十两]+(?:百|十|块|元))"
        r"|(?:\d+|一|每)节课\d+|\d+(?:元|块)?[两二三四五六七八九十](?:盒|瓶|罐|箱|斤)"
        r"|(?:一|每)(?:盒|袋|箱|包)[\d一二三四五六七八九十两]+个\d+"
        r"|\d+元(?:就能|即可|可)?(?:拍|享|抢|起|包邮|体验|听|学|拿|带走)|[月年]租金?\d|(?:一个月|每个?月)\d{3}"
        r"|\d+(?:元|块)\d*起(?!来|床|码)|一律\d+(?![\d点时号分])|按(?:斤|件|本|次|小时|课时)(?:卖|算钱|收费|计费)"
        r"|(?:一|每)(?:对|双|串|副)(?:\d+(?:元|块)|[二三四五六七八九两]?十[一二三四五六七八九]?(?:元|块)?|[一二三四五六七八九两]百)(?![的多码岁号个元块\d一二三四五六七八九十百])"
        r"|(?:按|照)\w{0,4}?价(?:格)?(?:加|上浮)|(?:跑腿|代办)费|年化(?:收益率?)?\d|起投|保本保息"
    )),
    # a discount ("原价…", "立减300", "九折", "半价", "早鸟价", "只要39", "比专柜低"),
    # a gift or a payment plan ("买二送一", "买20节送4节", "可分期"), haggling or a clearance
    # ("可小刀", "量大从优", "便宜处理", "打包200"), a promotion's price ("活动价1888")
    ("discount", re.compile(
        r"原价[\d一二三四五六七八九十两几百千万]|现价|立[减省]\d|直降\d"
        r"|(?:只要|只需|仅需|仅售|低至)[\d一二三四五六七八九十两几百千万]"
        r"|比\w{1,4}(?:便宜|低很多|低不少|实惠|划算)|收费(?:合理|低|便宜|透明|公道)|分期付款|可分期|免息|赠送|加送"
        r"|[买报](?:\d+|[一二两三四五六七八九十]+)(?:科|门|期|节|次|课时)?送[\d一二两三四五六七八九十]|[0零]利息"
        r"|(?<![\d一二三四五六七八九])[\d一二三四五六七八九]{1,2}折(?!腾|叠|纸|回|返|断)|半价"
        r"|(?:专属|早鸟|会员|福利|成本|亏本|尝鲜|特惠|秒杀|出厂|内部|优惠|特|团购|体验|活动)价"
        # probe 57/58: a price for those the seller knows ("全屋定制找我，老乡价", "亲情价")
        r"|(?:老乡|亲情|友情|熟人|邻居|同乡)价"
        # probe 57/58: exam papers, handouts or a course given free to whoever gets in touch ("免费领奥数真题",
        # "中考真题资料免费领", "进群领初一到初三全套讲义"): with a contact, a lead-gen offer; with none, a
        # school's handout told ("学校的复习资料免费领")
        r"|免费(?:领|拿|送|得|获取)(?!了)\w{0,8}?(?:真题|讲义|资料|试卷|试题|教材|题库|网课|课程|课|学习包|礼包|电子版)"
        r"|(?:真题|讲义|资料|试卷|试题|教材|题库|网课|课程|学习包|礼包)\w{0,4}?免费(?:领|拿|送|得|获取)(?!了)"
        # (not a gift had: "小区团购群进群送了个鸡蛋")
        r"|进群(?:就|即|即可|可|免费)?(?:领|拿|送|得)(?!了)"
        r"|量大(?:从优|优惠|价优|更?便宜|可以便宜)|可小刀|可议价"
        r"|(?:便宜|低价|亏本|贱卖)(?:处理|出|转|卖)|打包(?:\d|价)"
        # an offer to this group alone ("本群家长一律九折", "群里的还送小礼品"), a cut per
        # head ("每人减200", "每人省三百"), volume ("整箱更便宜"), haggling ("价格能谈"),
        # a fair quote ("报价透明"), a gift for a commitment ("报满一学期送两周"), a
        # price framed as little for a period ("一年才几十块")
        r"|(?:本群|群里|群内|咱们群|咱群)的?(?:家长|宝妈|宝爸|朋友|亲)?们?(?:报名|下单|购买|来|凭|到店)?(?:每人|每位)?"
        r"(?:有?优惠|立减|减\d|专享|享受?(?:优惠|折扣|\d)|半价|特价|(?:还|再|另)送(?:小?礼|赠品|[\d一二两三四五六七八九十])|打?[\d一二三四五六七八九]{1,2}折|便宜)"
        r"|(?:每人|每单|每件|每位)(?:减|省|便宜|优惠)[\d一二三四五六七八九十两几百]"
        r"|(?:整箱|整件|整套|批量|多买|多拿)(?:的话)?(?:更|还|还能|可以|能)?(?:便宜|优惠|打折)"
        r"|价(?:格|钱)?(?:能|可以|可|好)(?:谈|商量|议)|(?:收费|报价)(?:合理|低|便宜|透明|公道)"
        # probe 55: the price left open ("价格好说")
        r"|价(?:格|钱)?好说"
        r"|(?:报|买|订|续|交)满[\d一二两三四五六七八九十半]+\w{0,3}?送"
        r"|(?:一年|每年|一学期|每学期|一个月|每个?月|一天|每天)(?:才|只要|只需|不到)[\d几十百千一二三四五六七八九两]+(?:块|元)"
        # probe 54: the first service free ("首次检测免费", "首课免费"); not a first time at a public
        # service ("首次建档免费", "首次办理免费") nor a school's event ("首次开放日免费参观")
        r"|(?:首次|首单|首节|首课|首月)(?:检测|检查|体验|评估|测评|测试|咨询|试听|试课|上课|验光|理疗|推拿|训练|评测)?"
        r"(?:免费|0元|零元)"
        # probe 56: the first lesson at a token price ("首课九块九", "首节体验课9.9元"); not a first
        # month's rent (no price word after 首月 but 房租 between)
        r"|(?:首次|首单|首节|首课|首月)课?(?:体验|试听)?课?(?:价|只要|仅需|只需)?[\d一二三四五六七八九十两]+(?:元|块)"
        # probe 55: a trade price offered to those listening ("可以给大家拿货价", "给你们成本价"):
        # the cue is the offer to them, the price word is often a selling term of its own
        r"|给(?:你们|大家|各位|家长们?)(?=(?:拿|算|按|打|申请)?个?(?:拿货价|进货价|成本价|出厂价|内部价|员工价|批发价|团购价|代理价))"
    )),
    # scarcity or a deadline on the offer ("仅剩最后5个名额", "报满即止", "明天恢复59")
    ("scarcity", re.compile(
        r"(?:仅剩|只剩|最后|还剩|还有|就剩)(?:\d+|[一二三四五六七八九十两几])个?(?:名额|档期|席位|床位|空位)"
        r"|(?:名额|档期|席位|床位)(?:有限|不多|紧张|快满)|限(?:时|量|购)|先到先得|(?:报|额|售|卖|约)(?:满|完)(?:即止|为止)"
        r"|手慢无|数量有限|恢复(?:原价|\d)"
    )),
    # someone selling their own goods or services ("本人专业…", "我们工作室", "小店",
    # "开了家奶茶店", "自家种的", "我是做保险的", "出闲置", "我代理的", "大棚直供")
    ("seller", re.compile(
        r"本人(?:专业|在做|是做|做|从事|承接|代理|出售|自营|长期|常年|在\w{1,4}做)"
        r"|我们(?:店|家店|工作室|机构|公司|门店|中心(?!小学|校|医院))|本店|小店|我家(?:店|小店|的店)"
        r"|我是(?:这边|这里|店里|馆里)的?\w{0,4}?(?:顾问|销售|经纪人|业务员|客户经理)"
        # probe 58: one's own trade said at the start of the message or of oneself ("做保险的，孩子意外险…
        # 找我咨询"), not someone else's ("孩子爸爸是做保险的")
        r"|(?:^|我是?|本人是?)(?:专业)?在?做(?:保险|微商|代购|装修|中介|房产|电商|理财|贷款|美容|美甲|家政|培训|教培|团购|全屋定制|定制)(?:的|行业|这行|这一行)"
        r"|我(?:的|开的)(?:店|小店|工作室)|我是做\w{1,6}的|开了(?:一)?家\w{0,6}(?:店|馆|工作室)"
        r"|自家(?:种|养|做|产|酿|腌)|自己(?:种|做|养|酿|腌|炒)的|厂家|出(?:闲置|二手)|闲置(?:出|转|处理)"
        r"|我(?:代理|经营|开)的|我家开的\w{0,6}?(?:店|馆|工作室|超市)|老家(?:自己)?(?:种|做|产|养|炒)|我这边(?:可以|能)?(?:代\w|提供|承接|供货|批发)|直供|现摘现发"
        # selling now ("顺便在卖", "我在抖音直播卖", "最近在做一个儿童洗护品牌"), stock on hand ("我手上有款…产品",
        # "收了一批"), years in a trade ("我在链家做了好几年"), one's own crew or premises
        # ("自己带的施工队", "我们画室"), handmade goods ("我最近做的手工发夹"), who
        # teaches or leads ("前国家二级运动员执教", "专业研学导师带队", "资深规划师"), a
        # sales title where it sells ("我是这边的会籍顾问"), premises ("我们中心", not 中心小学)
        r"|顺[便带]在?卖|直播(?:卖|带货)|我们?(?:也|现在|最近|一直|还)?在卖(?![场菜])"
        # (probe 55: an estate agent, "我在做中介")
        r"|(?:我|最近|现在)在做(?:一个|个)?\w{0,6}?(?:品牌|代理|中介|微商)"
        r"|我(?:手上|手里|这里|这儿|这边|这)有(?:一)?(?:款|批|些|个)?\w{0,8}?(?:产品|货源|房源|渠道)"
        r"|(?:收|进|拿)了一批|新(?:到|进)了?一批|我(?:这里|这边|这儿|手上|手里|这)有现?货"
        r"|在\w{1,6}(?:做|干)了(?:好几|十几|几|多|[\d一二三四五六七八九十两]+多?)年"
        r"|自己(?:带|的)的?(?:施工队|装修队|团队|师傅)|我们(?:\w{2}公司|施工队|装修队|团队|画室|琴行|舞蹈室)"
        r"|(?:我|自己)(?:最近|亲手)?(?:做|织|编|绣|缝)的手工"
        r"|专业\w{0,6}?(?:带队|执教|授课)"
        # probe 55: practice or tutoring sold as expert ("專業少兒鋼琴陪練"); not sought ("找个专业的…陪练")
        r"|(?<![找请个])专业(?!的)\w{0,6}?(?:陪练|家教|辅导)|(?:名师|教练|导师|运动员|冠军)(?:带队|执教|亲授)|资深\w{0,4}?(?:师|顾问|专家)"
        # selling for a friend or relative ("我朋友卖的家乡腊肉", "亲戚家种的橙子"); not a
        # business recommended ("我同事开的培训班挺好的": 开的)
        rf"|(?:{_KIN})家?(?:在卖|卖的|种的|养的)"
    )),
    # how it reaches the buyer, a seller's guarantee or a free service to all
    # ("送货上门", "顺丰冷链", "两瓶起送" but not "一起订", "坏果包赔", "不满意不收费", "免费帮大家做…",
    # "24小时内返回", "成功后收费")
    ("service", re.compile(
        # (probe 56: not one the family hired, "我们请的上门家教老师电话换了…")
        r"(?<!请的)(?<!请了)(?<!了个)(?<!找的)上门(?:服务|拍摄|安装|维修|回收|取件|辅导|教学|理发|家教|陪练|授课|补课)|送货|(?:送|配送|冷链)到家|包邮|包接送"
        r"|顺丰|冷链|\d(?:元|块)?自提|(?:[\d一二三四五六七八九十两]+(?:瓶|份|斤|箱|件|盒)|(?<!一))起(?:送|发|订|售)|包(?:赔|退|换|售后)|[假坏]一赔"
        r"|可(?:以)?(?:上门|邮寄|快递|发货)|免费(?:安装|上门|送货|配送|维修|检测)|送到(?:小区|家门口|楼下)"
        r"|不满意(?:不收费|退款|包退|全额退)|无效退款|货到付款|免费(?:帮|给|为)(?:大家|各位|家长)"
        r"|(?:不达标|无效|没效果|不成功)不收费|同城(?:配送|送货|派送|速递)"
        # a turnaround or payment on success ("24小时内返回", "成功后收费")
        r"|\d+小时内(?:返回|发货|出稿|完成|交付|上门|到账)|(?:成功|办成|出结果|见效)后(?:再)?(?:收费|付款|付钱)"
    )),
    # what it promises or did for someone ("三个月提高三十分", "三个月降200度",
    # "吃了半年蹿了6厘米"), not a result had ("这次提高了20分")
    ("claim", re.compile(
        r"(?:提高|提升|涨)(?![了过])[\d一二三四五六七八九十两几]+多?分"
        r"|[\d一二三四五六七八九十两几半]+个?(?:月|天|周|星期|疗程|年)(?:就能|就|能|可以)?(?:提高|提升|降|长高|瘦|减)"
        r"[\d一二三四五六七八九十两几]+"
        r"|(?:吃|用|喝|练)了(?:半年|半个月|[\d一二三四五六七八九十两几]+个?(?:月|天|周|星期|疗程|年))\w{0,6}?"
        r"(?:长高了?|长了|蹿了|高了|瘦了|涨了|降了|提高了?)[\d一二三四五六七八九十两几]+"
    )),
    # an enrolment drive ("火热招生", "报名立减", "招小学生晚托", "开始报名啦",
    # "开约啦", "交定金500锁位"; not "开始报名", which every notice says)
    ("enrol", re.compile(
        r"招生|(?:报名|预约|下单|到店|进店|关注|注册)(?:即|就)?(?:立减|优惠|享|送|有礼|打?[\d一二三四五六七八九]折)"
        r"|招(?:收)?(?:小学生|学员|学生|宝宝)"
        r"|火热(?:报名|招生|预约)|开约|接单(?:啦|中)|(?:定金|订金)\d|锁位"
    )),
)
_SELLER = dict(_OFFER_CUES)["seller"]
# Each class's trigger label (triggers.py): its words are a necessary condition of its
# pattern, so a class none of whose words occurs is not searched for. The patterns
# have no literal prefix: the regex engine tries every alternative at every position
# (about 3,000 instructions a character for the prices), and most messages that open
# this detector have the words of one class or none
_CUE_HINTS = tuple((name, pattern, HINT_OFFER[name]) for name, pattern in _OFFER_CUES)
# Cue classes that weigh as a commercial term (1 point): a class notice has them
# too ("运动会报名还剩两个名额，想参加的联系我")
_WEAK_CUES = frozenset({"scarcity"})
# a clause that asks ("新款书包在哪买的？", "益生菌有用吗"): its offer words are a
# parent's question about a product, not an offer
_CLAUSE = re.compile(r"[^，,。！？!?；;\n]+[？?]?")
_ASKS = re.compile(r"[？?]$|吗|哪里|哪儿|哪家|在哪|什么|怎么|多少钱|是不是|有没有")
# a clause about someone else's shop ("我觉得那家培训机构不太行", "超市鸡蛋打九折"):
# an opinion, a tip or a recommendation, not the speaker's offer (but "比网上便宜" is)
_OTHERS = re.compile(r"那家|他家|她家|别人家|(?<!比)(?:超市|商场|菜市场|网上|淘宝|京东)"
                     # a public service's bookings and places ("社区的流感疫苗开约了")
                     r"|疫苗|社区医院|卫生院|图书馆|博物馆|科技馆|教育局"
                     # probe 54: a public youth centre's classes ("少年宫的兴趣班第一节免费试听，有家长报了吗"),
                     # a business in the news ("新闻说有培训机构借补课捞钱被查了")
                     r"|少年宫|新闻|报道|被查|被曝光|查处")
# but a clause where the speaker holds the goods is theirs ("科技馆门票我这里有内部价")
_MINE = re.compile(r"我(?:这里|这边|这儿|手上|手里|这)有"
                   # probe 47: a rebate group run on those shops ("淘宝京东返利群…扣1我拉你")
                   r"|(?:返利|优惠券|领券)群")
# a clause that complains or warns ("这家培训机构真坑，交了钱不退，大家别上当"): a
# parent's experience of a business, not an offer
_COMPLAINS = re.compile(r"坑|上当|避雷|踩雷|不靠谱|骗人|骗钱|骗子|不退|退费难|投诉|差评")
# Not an offer at all, whatever its words: the class's own outing or purchase ("春游每人
# 35元，名额有限，先到先得，要去的联系我") and a parent giving away what their child has
# outgrown ("穿小的校服，九成新，免费送，需要的私聊我"), unless the speaker also sells
# their own ("运动会要穿的运动鞋我这里有货", "穿小的校服免费送，另外我还在卖台灯")
_CLASS_OWN = re.compile(r"春游|秋游|运动会|班费|家委会|班级活动|亲子活动|集体购买|统一购买|统一订")
# the children's own photos or videos ("孩子们的合唱视频我做成了电子版，想要的找我拿"):
# commercial words there are the medium's (电子版, 冲印); a price or a seller still counts
_CHILDREN_MEDIA = re.compile(r"孩子们的\w{0,4}?(?:照片|视频|合影|录像)")
# a homework word problem ("数学题：苹果每斤8元，买5斤打八折…"): its prices and discounts
# are the problem's; a tutor's seller words and contact still count
_WORD_PROBLEM = re.compile(r"(?:数学|应用|作业里?的?|练习册上?的?|试卷上?的?|这道|那道|有道|一道)题(?!库)")
_PROBLEM_CUES = frozenset({"price", "discount"})
# a parent complaining of an advert in the group ("上次那个说想做代理的宝妈找我的，我已经举报了")
_ABOUT_ADS = re.compile(r"(?:别|不要|禁止)(?:再)?(?:在群里)?发广告|已经?举报|举报了")
_GIVEAWAY = re.compile(r"(?:免费|白)送|送给需要的|免费赠送|送人"
                       # probe 52: "我们家有多余的跳绳，谁家孩子需要说一声，直接送" (not 直接送到家)
                       r"|直接送(?![到货上])")
_OUTGROWN = re.compile(r"穿小|用不上|用不到|闲置|多余|旧的|多买了|不要了|[九八七]成新|用过"
                       # probe 44: done with ("孩子看完了", "骑不了了", "穿不下")
                       r"|看完了|(?:穿|骑|玩|用)不(?:了|下)|不(?:玩|用|看|穿)了")
# a surplus of one's own or a relative's produce given away ("我姐姐家种的橙子，自己吃不完，
# 想要的说一声送你们"): the grower's words are a seller cue, so this needs its own test;
# not with a price or a sale word ("吃不完，10块一斤", "吃不完，便宜卖")
_SURPLUS_GIFT = re.compile(r"送(?:你们|大家|给大家|给你们|给需要的)|(?:免费|白)(?:送|拿)|不要钱|不收钱")
_SURPLUS = re.compile(r"吃不完|用不完|太多了|多出来")
_SALE_WORD = re.compile(r"卖|售|元|块|钱一|价|折|优惠|包邮")
# a call to get in touch in the words an offer ends with ("想要的说一声", "有意的家长
# 私聊", "感兴趣的朋友加我"): an invitation like those in ads/contact.txt, and with it
# one commercial word is enough ("自家种的葡萄…想买的滴滴我")
_CALL_TO_ACTION = re.compile(
    r"(?:需要|想要|要|有意|感兴趣|有兴趣|想买|想报名|想尝尝)(?:的|者)?(?:家长|朋友|宝妈|亲|话)?(?:们)?(?:可以|请)?"
    r"(?:联系我|联系|私聊|私信|私我|加我|找我|说一声|留言|滴滴|滴我|滴一下|滴$|戳我|扣我|扫码)"
)
# the same call with what is wanted named ("有需要保险的可以找我", "想买橙子的家长私我"),
# to the speaker in person; not a giveaway's ("有需要旧课本的可以找我，免费送": _GIVEAWAY)
_NAMED_WANT = re.compile(
    r"(?:需要|想要|想买|想报|想了解)[^，,。！？!?；;\s的]{1,6}的(?:家长|朋友|宝妈|亲)?(?:们)?(?:可以|请)?"
    r"(?:联系我|私聊我?|私信我?|私我|加我|找我|滴我|戳我|扣我)"
)
# an invitation in a seller's words, to whoever it concerns ("急用钱的可以找我",
# "欢迎进店看看", "感兴趣的宝妈了解一下"); weighed like those in ads/contact.txt
_INVITE = re.compile(
    r"(?:的|者)(?:家长|朋友|宝妈|宝爸|亲)?们?(?:可以|请|欢迎)?(?:随时|直接)?(?:找我|联系我|私我|私聊我|戳我|问我)"
    r"|(?:链接|详情)(?:在|见|看)我的?朋友圈|看看我的?朋友圈|(?:搜|加|关注)(?:一下)?我的?(?:抖音|快手|小红书|视频号|公众号)"
    r"|欢迎(?:咨询|进店|到店|选购|订购|预约|来电|私聊|私信|带孩子来)|进店看看|了解一?下|看过来"
    r"|(?:来|找)我(?:这|这里|这儿)?(?:拿|买|订)|(?:约|订)的私"
    r"|(?:可以|欢迎)(?:带孩子)?来(?:试试|测测|体验|看看|咨询|试听|试课)"
)
# chain spam: "转发到三个群就能领取" (forward to N groups for a reward), or likes to
# collect ("集赞38个送绘本", "转发朋友圈集满20个赞"); not "什么活动都要集赞" (no count),
# nor a class's stickers ("集齐10个赞章换奖品")
_CHAIN = re.compile(r"转发[^。！？!?]{0,10}?[0-9一二三四五六七八九十几两]+个(?:群|好友|朋友|家长群)"
                    r"|集赞[0-9一二三四五六七八九十几两]+个?(?![章卡贴印])"
                    r"|(?:转发|朋友圈)[^。！？!?]{0,12}?集(?:满|够|齐)?[0-9一二三四五六七八九十几两]+个赞(?![章卡贴印])"
                    # probe 58: likes to collect for a free item ("集满三十个赞就能免费领课")
                    r"|集(?:满|够|齐)?[0-9一二三四五六七八九十几两]+个赞(?![章卡贴印])[^。！？!?]{0,6}?(?:领|送|拿|换|得)")
# likes already collected ("集赞12个了"), and a school's or class's own contest ("班里搞集赞比赛",
# "学校公众号的作品评选要集赞20个")
_COLLECTED = re.compile(r"了|啦")
_SCHOOL_CONTEST = re.compile(r"(?:班里|班上|班级|学校|年级|校园)\w{0,6}?(?:评选|评比|比赛|展览|展板|文化墙)")
# probe 58: a teacher's reward in class ("老师说集满十个赞可以换一朵小红花")
_CLASS_REWARD = re.compile(r"老师|小红花|红花|五角星|小星星|奖状|积分卡")


def _not_a_chain(compact: str, m: re.Match[str]) -> bool:
    """Likes to collect that a parent asks about ("…集满20个赞能加分吗？"), has
    collected, or that a school's own contest asks for."""
    if _COLLECTED.match(compact, m.end()) or _SCHOOL_CONTEST.search(compact) or _CLASS_REWARD.search(compact):
        return True
    return _ASKS.search(compact, m.end(), m.end() + 12) is not None


# a reward for signing others up or installing something ("注册就送20元", "邀请好友再得15元",
# "注册，你和孩子都能免费领一个月会员")
_REWARD = re.compile(
    r"(?:(?:注册|下载|邀请|关注|扫码|分享|拉新|推荐)[^。！？!?]{0,10}?(?:就|即|再|可|都)?(?:送|得|领|返|奖励?)"
    r"(?:\d+|[一二三四五六七八九十两]+)(?:元|块|现金|红包|个?(?:月|天|年)(?:的)?(?:会员|vip))"
    # probe 44: one's own referral code given, then the reward ("填我的邀请码886321，咱俩都能领20元")
    r"|(?:邀请码|推荐码|推广码)[^。！？!?]{0,16}?(?:送|得|领|返|奖励?)(?:(?:\d+|[一二三四五六七八九十两]+)(?:元|块|现金|红包)"
    # probe 45: a cash reward with no amount ("填我的邀请码88652就能领现金红包")
    r"|现金(?:红包)?)"
    # probe 57: cashback from the speaker on an order ("群里家长下单我给返现", "找我买的我返20元"); not a
    # shop's cashback to the speaker ("商家给我返现了": no verb of the speaker's)
    r"|(?:下单|购买|买的|买了|拍下|订购|报名|通过我|找我)[^。！？!?]{0,8}?我(?:都|就|会|可以|来|再|还|私下)?"
    r"(?:(?:给|发)(?:你们?|大家|各位|家长)?(?:返现|返利|返钱|返点|红包|现金)|返[\d一二三四五六七八九十两]+(?:元|块|个点))"
    # probe 57: a reward for bringing in others ("老学员介绍有礼", "邀请好友报名有奖"); not a manner
    # ("介绍有礼貌的孩子")
    r"|(?:老学员|老客户|老生|老带新|转介绍|介绍(?:新|朋友|同学|别人|好友)?|推荐(?:新|朋友|同学|好友)|邀请(?:好友|朋友|同学))"
    r"(?:学员|报名|来|加入|购买|下单)?(?:即|就|还|都|可|均|再)?"
    r"(?:有礼|有奖|送礼|送课|送[\d一二两三四五六七八九十]+(?:节|次|课时|个月|周)课?)(?![貌仪节])"
    r")"
    # (probe 44: not a reward asked about, "填了能领20元吗")
    r"(?!\w{0,3}?[吗么?？])"
)
# a boost for a free item ("我在参加免费领绘本的活动，差3个人，帮忙点进去"); not
# "免费领校服的还差3个人没领", nor a group short of people ("拼车还差两个人"), nor the
# class short of people ("图书馆免费领借书卡，咱班还差两个人")
_BOOST = re.compile(
    r"(?:免费(?:领|拿)|助力)[^。！？!?班]{0,12}?差[\d一两二三四五六七八九几]+个?人(?!没|未|还没)"
    r"|差[\d一两二三四五六七八九几]+个?人(?:就能|就可以|就|即可)?免费(?:领|拿)"
)
_VOTE = re.compile(
    r"(?:帮|麻烦|求|拜托|请大家|请各位|大家)[^。！？!?]{0,8}?"
    r"(?:投票|投一票|投个票|投一下|投上|拉票|拉个票|点赞|点个赞|助力|砍一刀|砍价)"
    r"|投(?:票|给)?[^。！？!?]{0,3}?\d{1,4}号"
    r"|\d{1,4}号[^。！？!?]{0,4}?(?:投票|一票|投一下)"
    # probe 57: one's own account to follow or like ("帮忙关注一下我的抖音号，点个赞就行"); not the
    # school's ("关注一下学校的公众号"), nor one's account told of ("我的抖音号被盗了")
    # (nor one's child's asking the speaker, "孩子让我关注我的公众号")
    r"|(?<!让我)(?<!叫我)(?<!要我)(?:关注|粉|点赞)(?:一下|下)?我(?:的|家)?(?:抖音|快手|小红书|视频号|公众号|直播间|微博|b站)"
    r"|我(?:的|家)?(?:抖音|快手|小红书|视频号|公众号|直播间|微博|b站)(?:号|账号)?[^。！？!?]{0,10}?"
    r"(?:关注|点赞|点个赞|点点赞|双击|互粉|涨粉)"
)
# a poll of the class itself ("大家投票选一下春游地点", "投票选班委") asks for a vote too
_CLASS_POLL = re.compile(r"投票(?:选|决定|表决)|选一下|决定一下|表决|班委|班干部|接龙")


# probe 55/56 FP: a marketing trade spoken of, not taken up by the speaker: someone else's ("孩子姑姑在做微商，
# 天天刷屏烦死了") or complained of ("最烦微商刷屏"); the speaker's own trade still is one ("我在做微商")
_TRADES = frozenset({"微商"})
_TRADE_OF_OTHERS = re.compile(
    r"(?:姑|姨|舅|叔|婶|嫂|姐|哥|妹|弟|朋友|亲戚|同事|邻居|同学|老公|老婆|她|他|别人|有人|有些人|有的人|好多人|很多人)"
    r"(?:也|都|还|一直|现在|最近|又)?在?(?:做|干|搞|是)了?微商")
_TRADE_COMPLAINT = re.compile(r"刷屏|屏蔽|拉黑|烦死|好烦|很烦|太烦|最烦|真烦|讨厌|受不了|骗|坑|别信|小心|上当|举报")
_TRADE_MINE = re.compile(r"(?:我|本人)(?:也|现在|最近|一直)?在?(?:做|干|搞|是)了?微商")


def _trade_spoken_of(compact: str) -> bool:
    if _TRADE_MINE.search(compact) is not None:
        return False
    return _TRADE_OF_OTHERS.search(compact) is not None or _TRADE_COMPLAINT.search(compact) is not None


# the presence bits _offer reads: ads terms, and each pattern's or cue class's trigger words
_GROUPS = ("ads", *HINT_ADS.values(), *HINT_OFFER.values())
_INCOME_HINT, _CHAIN_HINT, _REWARD_HINT, _BOOST_HINT, _VOTE_HINT = (
    HINT_ADS[name] for name in ("income", "chain", "reward", "boost", "vote"))


def _intent(norm: NormalizedText, ctx: DetectContext, terms: int, present: int,
            bits: dict[str, int]) -> Hit | None:
    """An ad by its intent alone. Each pattern is searched only when one of its
    trigger words occurs (`present`, the message's presence mask)."""
    lex = ctx.lexicon
    compact = norm.compact
    for group, reason in (
        ("ads/strong", "疑似广告、拉票或砍价助力信息"),
        ("ads/recruiting", "疑似招聘、招代理或传销信息"),
    ) if terms else ():
        for hit in lex.matcher(group).find(norm):
            if hit.term in _TRADES and _trade_spoken_of(compact):
                continue
            return make_hit(RULE_ID, norm, hit.start, hit.end, reason, kind=group)
    m = _INCOME.search(compact) if present & bits[_INCOME_HINT] else None
    if m is not None:
        s, e = norm.span_compact(m.start(), m.end())
        return make_hit(RULE_ID, norm, s, e, "疑似招聘、招代理或传销信息", kind="ads/recruiting")
    m = _CHAIN.search(compact) if present & bits[_CHAIN_HINT] else None
    if m is not None and _not_a_chain(compact, m):
        m = None
    if m is not None:
        s, e = norm.span_compact(m.start(), m.end())
        return make_hit(RULE_ID, norm, s, e, "疑似转发集赞类推广信息", kind="ads/chain")
    m = _REWARD.search(compact) if present & bits[_REWARD_HINT] else None
    if m is not None:
        s, e = norm.span_compact(m.start(), m.end())
        return make_hit(RULE_ID, norm, s, e, "疑似拉新返现类推广信息", kind="ads/reward")
    m = _BOOST.search(compact) if present & bits[_BOOST_HINT] else None
    if m is not None:
        s, e = norm.span_compact(m.start(), m.end())
        return make_hit(RULE_ID, norm, s, e, "疑似拉票或砍价助力信息", kind="ads/vote")
    m = _VOTE.search(compact) if present & bits[_VOTE_HINT] else None
    if m is not None and "号" not in m.group() and _CLASS_POLL.search(compact) is not None:
        m = None  # the class deciding something, not a vote for someone's entry (its number)
    if m is not None and _SCHOOL_CONTEST.search(compact) is not None:
        m = None  # probe 57: the school's own poll ("孩子的画在学校公众号上参加评选，麻烦大家帮忙投一票")
    if m is not None:
        s, e = norm.span_compact(m.start(), m.end())
        return make_hit(RULE_ID, norm, s, e, "疑似拉票或砍价助力信息", kind="ads/vote")
    return None


class _Span(NamedTuple):
    """Where a pattern (not a lexicon term) matched, in the original text."""

    start: int
    end: int
    term: str  # the cue class ("price"), so that a class counts once


# what any of those clauses holds, in one search of the whole text: most adverts have
# none. (_OTHERS's lookbehind reads the same character in the text as in a clause, or
# a clause's first, which follows a separator, not 比)
_ASKED_HINT = skipping("|".join((r"[？?]", _ASKS.pattern, _OTHERS.pattern, _COMPLAINS.pattern)))


def _asked(text: str) -> list[tuple[int, int]]:
    """The spans of the clauses of `text` that ask something or speak of someone
    else's shop: their offer words are not the speaker's offer."""
    if _ASKED_HINT.search(text) is None:
        return []
    return [m.span() for m in _CLAUSE.finditer(text)
            if _ASKS.search(m.group()) is not None
            or (_OTHERS.search(m.group()) is not None and _MINE.search(m.group()) is None)
            or _COMPLAINS.search(m.group()) is not None]


def _wanted(compact: str) -> re.Match[str] | None:
    """A call to those who want it (_CALL_TO_ACTION, _NAMED_WANT)."""
    found = _CALL_TO_ACTION.search(compact)
    if found is None and _GIVEAWAY.search(compact) is None:
        found = _NAMED_WANT.search(compact)
    return found


def _not_an_offer(compact: str) -> bool:
    if _ABOUT_ADS.search(compact) is not None:  # probe 49: an advert reported, not made
        return True
    if (_SURPLUS.search(compact) is not None and _SURPLUS_GIFT.search(compact) is not None
            and _SALE_WORD.search(compact.replace("不要钱", "").replace("不收钱", "")) is None):
        return True
    return (_CLASS_OWN.search(compact) is not None or (
        _GIVEAWAY.search(compact) is not None and _OUTGROWN.search(compact) is not None)
    ) and _SELLER.search(compact) is None


def _points(selling: list[Any], commercial: list[Any]) -> int:
    """2 for each distinct selling term or class of offer cue, 1 for each distinct
    commercial term."""
    return 2 * len({h.term for h in selling}) + len({h.term for h in commercial})


def _inside(hit: Any, spans: list[tuple[int, int]]) -> bool:
    return any(start <= hit.start and hit.end <= end for start, end in spans)


def _one_cue(selling: list[Any], commercial: list[Any]) -> bool:
    """Whether one class of offer cue is all there is: with an invitation in words
    of no lexicon, a favour has that much ("超市苹果五块钱一斤，要的话说一声我顺路帮你带")."""
    return not commercial and len({h.term for h in selling}) == 1 and isinstance(selling[0], _Span)


def _cues(norm: NormalizedText, present: int, bits: dict[str, int]) -> list[_Span]:
    """The offer cues of a message, the first of each class, searched for only when
    one of the class's trigger words occurs (`present`, the message's presence mask)."""
    compact = norm.compact
    found = []
    for name, pattern, hint in _CUE_HINTS:
        if present & bits[hint]:
            m = pattern.search(compact)
            if m is not None:
                found.append(_Span(*norm.span_compact(m.start(), m.end()), name))
    return found


def detect(norm: NormalizedText, ctx: DetectContext, settings: AdsSettings) -> list[Hit]:
    if settings.exempt_staff and ctx.is_staff:
        return []
    if not norm.compact:
        return []
    hit = _offer(norm, ctx)
    if hit is None or _not_an_offer(norm.compact):  # checked only for the rare hit
        return []
    return [hit]


def _offer(norm: NormalizedText, ctx: DetectContext) -> Hit | None:
    lex = ctx.lexicon
    # the engine's presence pass (every term and trigger word) is in the memo
    present = lex.presence().mask(norm)
    bits = lex.group_bits(_GROUPS)
    terms = present & bits["ads"]  # most messages: no ad term at all
    hit = _intent(norm, ctx, terms, present, bits)
    if hit is not None:
        return hit
    cues = _cues(norm, present, bits)
    if not terms and not cues:
        return None
    selling: list[Any] = lex.matcher("ads/selling").find(norm) if terms else []
    commercial = lex.matcher("ads/commercial").find(norm) if terms else []
    if commercial and _CHILDREN_MEDIA.search(norm.compact) is not None:
        commercial = []
    if cues:  # each weighs as its kind of term, unless a selling term counts for its words
        terms_sold = tuple(selling)
        problem = _WORD_PROBLEM.search(norm.compact) is not None
        for cue in cues:
            if problem and cue.term in _PROBLEM_CUES:
                continue
            if not any(h.start < cue.end and cue.start < h.end for h in terms_sold):
                (commercial if cue.term in _WEAK_CUES else selling).append(cue)
    points = _points(selling, commercial)
    wanted = _wanted(norm.compact) if points == 1 else None
    if points < 2 and wanted is None:  # most messages with an ad term: one commercial word
        return None
    asked = _asked(norm.original)  # and clauses about another's shop
    if asked:
        selling = [h for h in selling if not _inside(h, asked)]
        commercial = [h for h in commercial if not _inside(h, asked)]
        points = _points(selling, commercial)
        if points < 2 and not (points == 1 and wanted is not None):
            return None
    found = contacts(norm)
    invite: Any = lex.matcher("ads/contact").first(norm) if not found and terms else None
    if not found and invite is None:
        cta = _CALL_TO_ACTION.search(norm.compact) or _INVITE.search(norm.compact)
        invite = _Span(*norm.span_compact(cta.start(), cta.end()), "") if cta is not None else None
    first = min((*selling, *commercial), key=lambda h: h.start)
    if found or (invite is not None and not (isinstance(invite, _Span) and _one_cue(selling, commercial))):
        where = found[0] if found else invite
        start = min(first.start, where.start)
        end = max(first.end, where.end)
        return make_hit(RULE_ID, norm, start, end, "疑似带联系方式的商业广告", kind="ads/contact")
    if points >= 4 and selling:
        return make_hit(RULE_ID, norm, first.start, first.end, "疑似推销商品或服务", kind="ads/selling")
    return None

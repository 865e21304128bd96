"""content.banned: pornography, gambling, drugs, violence and threats, cults,
extremism, illegal goods, virus and phishing (config/lexicons/banned/).

A message that warns against such content (a teacher's 禁毒 notice, "谨防刷单诈骗")
is not banned content, except threats of violence, which no context excuses. Nor
is a parent asking what a word is ("孩子说同学在玩菠菜平台，这是什么东西？"),
unless the message also gives a way to get in touch (an advert's rhetorical
question: "百家乐是什么？加微信了解").

A bank card's number with its password (banned/phishing) is phishing only where
the message asks for them ("请点击链接填写银行卡号和密码"); told of, warned about or
asked about ("短信要填银行卡号和密码，这个是假的吧？", "请不要透露银行卡号和密码") it is
not. Asked for, no warning word excuses it. A parent's warning in their own words
(千万别信, 看好自家孩子) excuses nothing in a message that also gives a way to get in
touch: "要办假证的找我，千万别信别人" is an offer.

Some terms are ordinary talk except in a shape of their own (probe 53, _SHAPES): religion
spread (an invitation, salvation promised: "主日学…欢迎大家带孩子来"; not "孩子问我受洗是什么
意思"), a chain letter forwarded by count ("转到十个群…不转的全家倒霉"; not "阿弥陀佛，孩子终于
退烧了"), a lottery bought together ("有没有家长一起合买的，一注五十"). Pornography in a
euphemism and "smart drugs" count only where the speaker offers them, and then no caution
excuses them ("我这有一堆高清的，晚上私发给你们，别让孩子看见哈")."""

from __future__ import annotations

import re

from plugins.charter.catalogue import BannedSettings
from plugins.charter.model import Severity
from plugins.charter.normalize import NormalizedText
from plugins.content.detectors.base import DetectContext, Hit, make_hit
from plugins.content.detectors.contacts import contacts
from plugins.content.detectors.terms import TermHit

RULE_ID = "content.banned"
_REASONS = {
    "banned/porn": "含有色情内容",
    "banned/gambling": "含有赌博内容",
    "banned/drugs": "含有毒品相关内容",
    "banned/violence": "含有暴力或威胁他人的内容",
    "banned/cults": "含有邪教内容",
    "banned/extremism": "含有极端或分裂国家的内容",
    "banned/illegal_goods": "含有违禁物品或违法服务",
    "banned/phishing": "疑似诈骗或病毒链接",
    "banned/religion": "含有宗教传播内容",
    "banned/chain": "含有诅咒或迷信的转发内容",
    "banned/lottery": "含有赌博内容",
}
# probe 55/56: the shaped labels' hits are reported as the kind of their family
_KIND_OF = {"banned/threat": "banned/violence", "banned/harm": "banned/violence", "banned/wagers": "banned/gambling",
            "banned/drug_slang": "banned/drugs", "banned/fake_docs": "banned/illegal_goods",
            # probe 57/58
            "banned/bomb": "banned/violence", "banned/cards": "banned/illegal_goods",
            "banned/executable": "banned/phishing"}
_ALWAYS = frozenset({"banned/violence"})
# a request for the card's password: who asks, then the verb, in one clause, not
# negated ("请不要透露…") and not quoted
_CARD_REQUEST = re.compile(
    r"(?:请|需|须|务必|通过|点击)(?:(?![不别勿莫没])[^，,。！？!?；;\s\"'“”‘’「」]){0,12}?"
    r"(?:填写|提供|输入|提交|发送|发给|回复|告知|告诉|填)[^，,。！？!?；;]{0,4}$"
)
# who asks, then the card and password, then where they go: to the sender
_ASKER_BEFORE = re.compile(r"(?:请|需|须|务必)(?:(?![不别勿莫没])[^，,。！？!?；;\s\"'“”‘’「」]){0,8}?$")
_SENT_TO_ME = re.compile(r"[^。！？!?；;]{0,16}?(?:私发|发|发送|提供|交|告诉)给?我")
_IF_BEFORE = re.compile(r"(?:一旦|如果|要是|凡是|假如|若是|让你|让您|叫你)[^，,。！？!?；;]*$")
_QUESTION_AFTER = re.compile(r"[^，,。！？!?；;]{0,10}?(?:[？?]|吗|吧)")
# a parent's own words of warning (context/prevention), which a seller can borrow
_OWN_WORDS = ("千万别", "看好")
# probe 58: a lesson or the news told (context/prevention: "孩子说今天班会讲了毒品的危害", "看新闻说加拿大
# 大麻合法了"), which excuse as a parent's own words do, and not beside a dealer's words either
# ("新闻说的那种大麻，我这有货，懂的来")
_TOLD_WORDS = ("班会", "讲座", "的危害", "危害性", "新闻", "看新闻", "据报道", "报道说")
_INVITES = re.compile(r"找我|联系我|私聊|私信|私我|加我|加微信|扫码")
# a call to those who want it ("需要的联系我"); a teacher's "如发现…请私信我" names no want
_CALL = r"(?:需要|要买|想买|想要|要的|有意)[^，,。！？!?；;]{0,6}?(?:找我|联系我|私聊|私信|私我|加我|加微信|扫码)"
_CALL_TO_BUYERS = re.compile(_CALL)
# a warning that turns into an offer, which the warning does not excuse ("看到新闻说代孕违法，
# 不过我们这边有正规渠道，需要的联系我"); not material shared beside a warning ("远离毒品手抄报
# 模板，需要的私我": no turn)
_TURN_TO_OFFER = re.compile(rf"(?:不过|但是|可是|但|其实)[^。！？!?]{{0,20}}?{_CALL}")
# terms the news and a child's questions mention, banned only when offered: with a call to
# buyers or a contact ("代孕的新闻看得我好气" is not; "…代孕…需要的联系我" is)
_OFFERED_ONLY = frozenset({"代孕"})
# probe 53: labels whose terms count only in a shape of their own, searched in `compact`:
# religion spread (an invitation, salvation promised, or forwarded by count), a chain letter
# forwarded by count, a lottery bought together or a win promised
# (not one's own forwarding told: "转了三个群找孩子的书包")
_CHAIN_COUNT = r"转(?!了|发了)发?(?:到|给|至)?[^。！？!?]{0,4}?[0-9一二三四五六七八九十几两]+个(?:群|人|好友|朋友|家长)"
_INVITED = (r"欢迎[^。！？!?]{0,10}?(?:来|参加|加入)|带(?:孩子|娃|小朋友)[^。！？!?]{0,6}?(?:来|参加|加入)"
            r"|一起来|来参加|加入我们|免费讲")
_SAVED = r"得永生|得救|蒙福|赎罪|信主|信耶稣"
_SYNDICATE = (r"(?:有没有|有谁|谁)[^。！？!?]{0,8}?合买|(?:大家|家长们?|各位)[^。！？!?]{0,4}?合买"
              r"|合买[^。！？!?]{0,4}?(?:吗|的来|的私|找我|加我|联系|私聊)"
              r"|跟单|带单|包中|稳中|必中|稳赚|包赚|一注[0-9一二三四五六七八九十百几两]")
_SHAPES: dict[str, re.Pattern[str]] = {
    "banned/religion": re.compile(f"{_INVITED}|{_SAVED}|{_CHAIN_COUNT}"),
    "banned/chain": re.compile(_CHAIN_COUNT),
    "banned/lottery": re.compile(_SYNDICATE),
}
# probe 53: terms banned only where the speaker offers them ("有爸爸要那种小电影的吗，我这有一堆
# 高清的，晚上私发给你们", "有家长要那种考前吃的聪明药吗"), and then whatever caution comes with the
# offer ("别让孩子看见哈") excuses nothing; told of or warned against, they are not
_OFFERED_BY_SPEAKER = frozenset({"那种小电影", "那种片子", "小电影资源", "黄色小电影", "成人小电影", "爱情动作片",
                                 "聪明药", "学霸药",
                                 # probe 58: "黄色小视频合集，要的扣1"
                                 "黄色小视频", "成人小视频", "黄色资源", "福利资源"})
_OFFER = re.compile(r"我这(?:里|儿|边)?有|私发(?:给)?(?:你们|大家|各位|你)|发给你们"
                    r"|(?:有没有|有|谁)[^。！？!?]{0,8}?要[^。！？!?]{0,12}?(?:吗|么)"
                    r"|(?:要|想看|想要)的(?:私|找|联系|说|扣|加)|资源|网盘|代购|带回来的"
                    # probe 55: the goods praised as a seller does ("全 套 高 清，私 我")
                    r"|全套|高清|无码|合集|种子|打包"
                    # probe 58: a call to reply with a digit ("要的扣1", "想看的回复1")
                    r"|扣[1一]|扣个[1一]|回复[1一]")
# probe 55/56: labels whose terms count only in a shape of their own, read by a function of
# the message and its hits (the hit reported is the shape's own span where it has one)
# banned/threat: care words and plans that threaten only together ("我知道你家住哪，出门小心点"): two
# terms of threat.txt, not both care words ("你等着，我马上到，出门小心点" is not)
_THREAT_WEAK = frozenset({"出门小心", "你小心点", "你小心一点", "你当心点", "你当心一点", "走路小心", "走夜路小心",
                          "你等着", "等着吧", "后果自负", "你再说一句", "再多说一句", "你试试看"})
# banned/harm: a leg broken, anyone's ("打断你儿子的腿"; not 打断别人说话), or others called in to hurt
# the one addressed or their kin ("我找人弄你", "叫几个人废了他"; not 找人帮忙, 叫人打他电话)
_KIN = r"(?:你|他|她)(?:们)?(?:家)?(?:的)?(?:儿子|女儿|孩子|小孩|娃|老公|老婆|爸|妈|家人|全家)?"
_HARM = re.compile(
    rf"(?:打断|打瘸){_KIN}的?(?:狗)?腿"
    r"|(?:找人|叫人|喊人|找几个人|叫几个人|找兄弟|叫兄弟|叫上兄弟|找社会上的人)(?:来|去|过来|过去)?"
    rf"(?:弄|揍|废|砍|捅|堵|教训|收拾|打断|打残|打|整|做掉|办)(?:了|死|残|废)?{_KIN}"
    r"(?!的?(?:电话|东西|房间|书包|桌|座位|行李|招呼|针|饭|作业|资料|表|号码|车))"
)
# banned/wagers: real money in a game of chance ("网上棋牌真钱局，每天提现不限额"); not money spent
# or lost told of ("孩子玩斗地主充了真钱"), nor a cash-out with no game ("提现到银行卡要手续费吗")
_WAGER_GAME = re.compile(r"棋牌|麻将|斗地主|牛牛|捕鱼|炸金花|扑克|德州|牌局|百家乐|老虎机|骰子|押大小|牌九|十三水|跑得快")
_WAGER_MONEY = re.compile(r"(?<![充花输骗扣])(?<!充了|花了|输了|骗了|扣了|充值)真钱|提现|上下分")
# banned/drug_slang: 冰, 溜冰, 叶子 as drugs beside a dealer's words; not ice (有冰淇淋, 有冰块吗),
# skating (溜冰的鞋, 溜冰场), a leaf after its plant (茶叶子), in `compact`; 叶子 in `loose`, where a
# clause starts
_SLANG = re.compile(
    r"(?:有|出|要|来点?)冰(?![淇激棍块箱糕袋沙粉糖柜镇水雕灯雪场鞋凉爽冻敷柱川山])|冰到(?:了|货)"
    r"|溜冰(?:的|货)(?![鞋场课班装护时])|飞叶|嗨叶"
)
_LEAF = re.compile(
    r"(?:^|(?<=[\s,.!?;:~，。！？；：、…有出要飞嗨]))叶子(?!书签|标本|画|贴|形|状|茶|菜|饰|图|模|黄|绿|红|落|飘)"
)
_DEALING = re.compile(r"有货|到货|货到|出货|现货|货好|货源|量大|从优|纯度|老地方|懂的|上头|飞一下|嗨一下|走货|拿货|价优"
                      r"|同城送|送货上门")
# banned/fake_docs: a forger's promise beside 办证 ("办证：…全国可查"); not 办证大厅在哪
_FORGED = re.compile(r"全国可查|联网可查|永久可查|学信网可查|包过|保真|一比一|高仿|刻章|无需本人|不用本人|免考"
                     r"|加急出证|当天出证|当天拿证|假证|包拿证")
# banned/extremism opposed ("坚决反对台湾独立", "反对台独"): told against, not called for
_OPPOSED = re.compile(r"(?:反对|反|遏制|打击|粉碎|抵制|谴责|驳斥|揭批|严惩|不支持|远离|拒绝|杜绝)\s*(?:一切|任何)?\s*(?:形式的|形式)?\s*"
                      # probe 57: where, and the kind named before the name ("反对网络赌博", "反对邪教法轮功")
                      r"(?:网络|网上|线上|非法|校园|封建)?\s*(?:(?:邪教|毒品|赌博|黄赌毒|色情|诈骗|分裂)(?:组织)?)?\s*$")
# a term half in Latin letters is not inside a Latin word ("edu博物馆" holds du博, "大mall" 大ma)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
# a bare invitation beside a euphemism offered (probe 55), unless the message warns
_INVITE_ONLY = re.compile(r"私我|私聊|私信|加我|找我|联系我|滴滴")
_ALWAYS_SHAPED = frozenset({"banned/threat", "banned/harm", "banned/bomb"})
# probe 57/58 banned/bomb: a school or a home bombed, threatened ("明天去把学校炸了", "我就炸了你们学校"), read
# in `loose` (its punctuation parts a pipe burst from the notice after it: "水管炸了，学校今天停水"); not an
# uproar (炸了锅, "这消息把整个学校都炸了": _UPROAR before it in its clause)
_PLACE = r"(?:学校|学堂|教室|校园|幼儿园|教学楼|办公室|校长室|食堂|你家|你们家|他家|她家|你们班)"
_WHOSE = r"(?:你们的?|你的|他们的?|这个?|那个?|这破|这所|那所|整个|这鬼)?"
_BOMB = re.compile(
    rf"把\s*{_WHOSE}\s*{_PLACE}\s*(?:给|都|全|也)?\s*炸(?:了|掉|平|毁|飞|烂|上天)(?!锅)"
    rf"|(?:我|老子|咱|去|要|就|非|会|得|敢|想|迟早|早晚|一定)\s*(?:去|来|要|会|就|得)?\s*炸(?:了|掉|平|毁|飞|烂)?\s*{_WHOSE}\s*{_PLACE}"
)
_UPROAR = re.compile(r"消息|新闻|通知|视频|帖子|热搜|事|评论|成绩|结果|话题|照片")
_CLAUSE_MARK = re.compile(r"[，,。！？!?；;\n]")
# probe 58 banned/cards: bank and phone cards bought, a buyer's words beside them
_CARD_BUYER = re.compile(r"高价|长期|大量|急收|当天结|当日结|结清|现结|日结|秒结|每张|一张[0-9一二三四五六七八九十百几两]"
                         r"|[0-9]+(?:元|块)一张|不影响|绝对安全|有卡的|有的(?:私|联系|加)|要的(?:私|联系|加)")
# probe 57/58 banned/executable: a link's path ending in a program's extension (links._EXECUTABLE's),
# posted by a parent (a teacher's is the school's own app)
_EXECUTABLE = re.compile(r"(?:https?://|www\.|[a-z0-9-]+\.[a-z]{2,}(?:\.[a-z]{2,})?/)\S*?\.(?:apk|exe|bat|scr|msi|vbs)(?![a-z0-9])")
# probe 57: explosives in a tale or a lesson ("诺贝尔研究炸药配方的故事"), unless offered (a contact or a call)
_EXPLOSIVE = re.compile(r"炸药|炸弹|雷管")
_SOLD = re.compile(r"出售|卖|买")
_TALE = re.compile(r"故事|诺贝尔|课文|传记|历史|科学家|发明|绘本|电影|纪录片|小说|课本|科普")


def _shaped(norm: NormalizedText, ctx: DetectContext, found: list[TermHit], hit: TermHit) -> tuple[int, int] | None:
    """The span to report of a hit of a shaped label of probes 55-58 (None: out of its shape)."""
    label = hit.label
    if label == "banned/bomb":
        return _bombed(norm)
    if label == "banned/cards":
        return None if _CARD_BUYER.search(norm.compact) is None else (hit.start, hit.end)
    if label == "banned/executable":
        if ctx.is_staff:
            return None
        m = _EXECUTABLE.search(norm.loose)
        return None if m is None else norm.span_loose(m.start(), m.end())
    if label == "banned/threat":
        others = {h.term for h in found if h.label == label}
        if len(others) < 2 or others <= _THREAT_WEAK:
            return None
        return hit.start, hit.end
    if label == "banned/harm":
        m = _HARM.search(norm.compact)
        return None if m is None else norm.span_compact(m.start(), m.end())
    if label == "banned/wagers":
        if _WAGER_GAME.search(norm.compact) is None or _WAGER_MONEY.search(norm.compact) is None:
            return None
        return hit.start, hit.end
    if label == "banned/drug_slang":
        if _DEALING.search(norm.compact) is None:
            return None
        if "冰" not in hit.term and "叶" not in hit.term:  # probe 58: 大ma
            return hit.start, hit.end
        m = _SLANG.search(norm.compact)
        if m is not None:
            return norm.span_compact(m.start(), m.end())
        m = _LEAF.search(norm.loose)
        return None if m is None else norm.span_loose(m.start(), m.end())
    if label == "banned/fake_docs":
        return None if _FORGED.search(norm.compact) is None else (hit.start, hit.end)
    return hit.start, hit.end


def _bombed(norm: NormalizedText) -> tuple[int, int] | None:
    loose = norm.loose
    for m in _BOMB.finditer(loose):
        left = max((c.end() for c in _CLAUSE_MARK.finditer(loose, 0, m.start())), default=0)
        if _UPROAR.search(loose, left, m.start()) is None:
            return norm.span_loose(m.start(), m.end())
    return None


_SHAPED_LABELS = frozenset({"banned/threat", "banned/harm", "banned/wagers", "banned/drug_slang", "banned/fake_docs",
                            "banned/bomb", "banned/cards", "banned/executable"})
# what follows a word asked about, in its sentence: "…，这是什么东西？", "…是啥意思"
_ASKED_ABOUT = re.compile(r"[^。！？!?\n]{0,8}?(?:是什么|是啥|什么意思|啥意思|什么东西|啥东西|什么玩意)")


# a word asked about before it: "孩子问什么是冰毒"
_ASKED_BEFORE = re.compile(r"(?:什么是|什么叫|啥是|啥叫|什么是“|什么叫“)\s*$")


def _asked_about(norm: NormalizedText, ctx: DetectContext, hit: TermHit) -> bool:
    if (_ASKED_ABOUT.match(norm.original, hit.end) is None
            and _ASKED_BEFORE.search(norm.original, max(0, hit.start - 5), hit.start) is None):
        return False
    return not contacts(norm) and not ctx.lexicon.matcher("ads/contact").find(norm)


def _password_asked(text: str, hit: TermHit) -> bool:
    """Whether the card and password of `hit` are asked for, not told of (nor a
    case put: "一旦点击链接填写…就会被骗")."""
    m = _CARD_REQUEST.search(text, max(0, hit.start - 20), hit.start)
    if m is None:
        # probe 48: the verb after them ("请把银行卡号、密码和验证码私发给我登记")
        m = _ASKER_BEFORE.search(text, max(0, hit.start - 20), hit.start)
        if m is None or _SENT_TO_ME.match(text, hit.end) is None:
            return False
    if _QUESTION_AFTER.match(text, hit.end) is not None:
        return False
    return _IF_BEFORE.search(text, max(0, m.start() - 8), m.start()) is None


def _warns(norm: NormalizedText, ctx: DetectContext) -> bool:
    """A warning word, unless it is a parent's own phrase in a message that also
    invites contact ("要办假证的找我，千万别信别人")."""
    words = ctx.lexicon.matcher("context/prevention").find(norm)
    if not words or _TURN_TO_OFFER.search(norm.compact) is not None:
        return False
    if all(w.term.startswith(_OWN_WORDS + _TOLD_WORDS) for w in words):
        if any(w.term.startswith(_TOLD_WORDS) for w in words) and (
                _DEALING.search(norm.compact) or _OFFER.search(norm.compact) or _CALL_TO_BUYERS.search(norm.compact)):
            return False
        return not (contacts(norm) or _INVITES.search(norm.compact))
    return True


def detect(norm: NormalizedText, ctx: DetectContext, settings: BannedSettings) -> list[Hit]:
    found = ctx.lexicon.matcher("banned").find(norm)
    if not found:
        return []
    warning: bool | None = None
    text = norm.original
    for hit in found:
        span = (hit.start, hit.end)
        if not hit.term.isascii() and (
                (_LATIN.match(hit.term) and hit.start > 0 and _LATIN.match(text, hit.start - 1))
                or (_LATIN.match(hit.term[-1]) and _LATIN.match(text, hit.end))):
            continue
        if hit.label in _SHAPED_LABELS:
            shaped = _shaped(norm, ctx, found, hit)
            if shaped is None:
                continue
            span = shaped
        if (hit.label not in _ALWAYS and hit.label not in _ALWAYS_SHAPED
                and _OPPOSED.search(norm.original, max(0, hit.start - 10), hit.start)):
            # told against ("坚决反对台独"; probe 57: any label, "坚决反对一切形式的赌博", "抵制邪教")
            continue
        if (hit.label == "banned/illegal_goods" and _EXPLOSIVE.search(hit.term) and not _SOLD.search(hit.term)
                and _TALE.search(norm.compact)
                and not contacts(norm) and _INVITES.search(norm.compact) is None
                and _CALL_TO_BUYERS.search(norm.compact) is None):
            continue
        if hit.term in _OFFERED_ONLY:
            if _CALL_TO_BUYERS.search(norm.compact) is None and not contacts(norm):
                continue
        shape = _SHAPES.get(hit.label)
        if shape is not None and shape.search(norm.compact) is None:
            continue
        if hit.term in _OFFERED_BY_SPEAKER:
            if (_OFFER.search(norm.compact) is None and _CALL_TO_BUYERS.search(norm.compact) is None
                    and not contacts(norm)
                    and (_INVITE_ONLY.search(norm.compact) is None or _warns(norm, ctx))):
                continue
        elif hit.label == "banned/phishing" and "密码" in hit.term:
            if not _password_asked(norm.original, hit):
                continue
        elif hit.label not in _ALWAYS and hit.label not in _ALWAYS_SHAPED:
            if warning is None:
                warning = _warns(norm, ctx)
            if warning or _asked_about(norm, ctx, hit):
                continue
        return [
            make_hit(
                RULE_ID,
                norm,
                span[0],
                span[1],
                _REASONS.get(_KIND_OF.get(hit.label, hit.label), "含有违禁内容"),
                severity=Severity.SEVERE,
                kind=_KIND_OF.get(hit.label, hit.label),
            )
        ]
    return []

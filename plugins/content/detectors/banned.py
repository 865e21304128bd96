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
              r"|跟单|带单|包中|稳中|必中|稳赚|一注[0-9一二三四五六七八九十百几两]")
_SHAPES: dict[str, re.Pattern[str]] = {
    "banned/religion": re.compile(f"{_INVITED}|{_SAVED}|{_CHAIN_COUNT}"),
    "banned/chain": re.compile(_CHAIN_COUNT),
    "banned/lottery": re.compile(_SYNDICATE),
}
# probe 53: terms banned only where the speaker offers them ("有爸爸要那种小电影的吗，我这有一堆
# 高清的，晚上私发给你们", "有家长要那种考前吃的聪明药吗"), and then whatever caution comes with the
# offer ("别让孩子看见哈") excuses nothing; told of or warned against, they are not
_OFFERED_BY_SPEAKER = frozenset({"那种小电影", "那种片子", "小电影资源", "黄色小电影", "成人小电影", "爱情动作片",
                                 "聪明药", "学霸药"})
_OFFER = re.compile(r"我这(?:里|儿|边)?有|私发(?:给)?(?:你们|大家|各位|你)|发给你们"
                    r"|(?:有没有|有|谁)[^。！？!?]{0,8}?要[^。！？!?]{0,12}?(?:吗|么)"
                    r"|(?:要|想看|想要)的(?:私|找|联系|说|扣|加)|资源|网盘|代购|带回来的")
# what follows a word asked about, in its sentence: "…，这是什么东西？", "…是啥意思"
_ASKED_ABOUT = re.compile(r"[^。！？!?\n]{0,8}?(?:是什么|是啥|什么意思|啥意思|什么东西|啥东西|什么玩意)")


def _asked_about(norm: NormalizedText, ctx: DetectContext, hit: TermHit) -> bool:
    if _ASKED_ABOUT.match(norm.original, hit.end) is None:
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
    if all(w.term.startswith(_OWN_WORDS) for w in words):
        return not (contacts(norm) or _INVITES.search(norm.compact))
    return True


def detect(norm: NormalizedText, ctx: DetectContext, settings: BannedSettings) -> list[Hit]:
    found = ctx.lexicon.matcher("banned").find(norm)
    if not found:
        return []
    warning: bool | None = None
    for hit in found:
        if hit.term in _OFFERED_ONLY:
            if _CALL_TO_BUYERS.search(norm.compact) is None and not contacts(norm):
                continue
        shape = _SHAPES.get(hit.label)
        if shape is not None and shape.search(norm.compact) is None:
            continue
        if hit.term in _OFFERED_BY_SPEAKER:
            if (_OFFER.search(norm.compact) is None and _CALL_TO_BUYERS.search(norm.compact) is None
                    and not contacts(norm)):
                continue
        elif hit.label == "banned/phishing" and "密码" in hit.term:
            if not _password_asked(norm.original, hit):
                continue
        elif hit.label not in _ALWAYS:
            if warning is None:
                warning = _warns(norm, ctx)
            if warning or _asked_about(norm, ctx, hit):
                continue
        return [
            make_hit(
                RULE_ID,
                norm,
                hit.start,
                hit.end,
                _REASONS.get(hit.label, "含有违禁内容"),
                severity=Severity.SEVERE,
                kind=hit.label,
            )
        ]
    return []

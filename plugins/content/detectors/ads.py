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

A unit price of goods ("8块一板") weighs as a selling term. Offer words in a clause
that asks ("新款书包在哪买的？") do not count: a parent asking about a product is
not selling it.

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

RULE_ID = "content.ads"

_NUM = r"[0-9一二三四五六七八九十两几百千万w]+"
_INCOME = re.compile(rf"(?:月|日|周|天)(?:入|赚|收入|薪)(?:过|上|达)?{_NUM}|日结(?:工资)?{_NUM}")
# a unit price of goods sold by the piece ("8块一板", "一瓶25"): an offer. Units of
# what a class buys together (本, 套, 件, 人) are left out: "校服一套150元" is a fee
_PRICE = re.compile(
    r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十两]+)\s*(?:元|块)钱?\s*(?:一|每)\s*[斤板瓶箱盒袋]"
    r"|(?:一|每)\s*[斤板瓶箱盒袋]\s*\d+(?:\.\d+)?"
)
# a clause that asks ("新款书包在哪买的？", "益生菌有用吗"): its offer words are a
# parent's question about a product, not an offer
_CLAUSE = re.compile(r"[^，,。！？!?；;\n]+[？?]?")
_ASKS = re.compile(r"[？?]$|吗|哪里|哪儿|哪家|在哪|什么|怎么|多少钱|是不是|有没有")
# a call to get in touch in the words an offer ends with ("想要的说一声", "有意的家长
# 私聊", "感兴趣的朋友加我"): an invitation like those in ads/contact.txt, and with it
# one commercial word is enough ("自家种的葡萄…想买的滴滴我")
_CALL_TO_ACTION = re.compile(
    r"(?:需要|想要|要|有意|感兴趣|有兴趣|想买|想报名|想尝尝)的?(?:家长|朋友|宝妈|亲|话)?(?:们)?(?:可以|请)?"
    r"(?:联系我|联系|私聊|私信|私我|加我|找我|说一声|留言|滴滴|戳我|扫码)"
)
# chain spam: "转发到三个群就能领取" (forward to N groups for a reward)
_CHAIN = re.compile(r"转发[^。！？!?]{0,10}?[0-9一二三四五六七八九十几两]+个(?:群|好友|朋友|家长群)")
_VOTE = re.compile(
    r"(?:帮|麻烦|求|拜托|请大家|请各位|大家)[^。！？!?]{0,8}?"
    r"(?:投票|投一票|投个票|投一下|投上|拉票|拉个票|点赞|点个赞|助力|砍一刀|砍价)"
    r"|投(?:票|给)?[^。！？!?]{0,3}?\d{1,4}号"
    r"|\d{1,4}号[^。！？!?]{0,4}?(?:投票|一票|投一下)"
)
# Every alternative of _VOTE holds one of these characters (its trigger words in
# triggers.py). _VOTE has no literal prefix, so the regex engine tries each of its
# alternatives at every position; one scan for them (a class) rules most texts out
VOTE_CHARS = "投票赞助砍"
_VOTE_HINT = re.compile(f"[{VOTE_CHARS}]")
# a poll of the class itself ("大家投票选一下春游地点", "投票选班委") asks for a vote too
_CLASS_POLL = re.compile(r"投票(?:选|决定|表决)|选一下|决定一下|表决|班委|班干部|接龙")


def _intent(norm: NormalizedText, ctx: DetectContext, terms: bool) -> Hit | None:
    lex = ctx.lexicon
    compact = norm.compact
    for group, reason in (
        ("ads/strong", "疑似广告、拉票或砍价助力信息"),
        ("ads/recruiting", "疑似招聘、招代理或传销信息"),
    ) if terms else ():
        hit = lex.matcher(group).first(norm)
        if hit is not None:
            return make_hit(RULE_ID, norm, hit.start, hit.end, reason, kind=group)
    m = _INCOME.search(compact)
    if m is not None:
        s, e = norm.span_compact(m.start(), m.end())
        return make_hit(RULE_ID, norm, s, e, "疑似招聘、招代理或传销信息", kind="ads/recruiting")
    m = _CHAIN.search(compact)
    if m is not None:
        s, e = norm.span_compact(m.start(), m.end())
        return make_hit(RULE_ID, norm, s, e, "疑似转发集赞类推广信息", kind="ads/chain")
    m = _VOTE.search(compact) if _VOTE_HINT.search(compact) is not None else None
    if m is not None and "号" not in m.group() and _CLASS_POLL.search(compact) is not None:
        m = None  # the class deciding something, not a vote for someone's entry (its number)
    if m is not None:
        s, e = norm.span_compact(m.start(), m.end())
        return make_hit(RULE_ID, norm, s, e, "疑似拉票或砍价助力信息", kind="ads/vote")
    return None


class _Span(NamedTuple):
    """Where a pattern (not a lexicon term) matched, in the original text."""

    start: int
    end: int


def _asked(text: str) -> list[tuple[int, int]]:
    """The spans of the clauses of `text` that ask something."""
    return [m.span() for m in _CLAUSE.finditer(text) if _ASKS.search(m.group()) is not None]


def _points(selling: list[Any], commercial: list[Any]) -> int:
    """2 for each distinct selling term or price, 1 for each distinct commercial term."""
    return 2 * len({(h.start, h.end) if isinstance(h, _Span) else h.term for h in selling}) \
        + len({h.term for h in commercial})


def _inside(hit: Any, spans: list[tuple[int, int]]) -> bool:
    return any(start <= hit.start and hit.end <= end for start, end in spans)


def detect(norm: NormalizedText, ctx: DetectContext, settings: AdsSettings) -> list[Hit]:
    if settings.exempt_staff and ctx.is_staff:
        return []
    if not norm.compact:
        return []
    lex = ctx.lexicon
    terms = lex.present(norm, "ads")  # most messages: no ad term at all
    hit = _intent(norm, ctx, terms)
    if hit is not None:
        return [hit]
    if not terms:
        return []
    selling: list[Any] = lex.matcher("ads/selling").find(norm)
    commercial = lex.matcher("ads/commercial").find(norm)
    price = _PRICE.search(norm.compact)
    if price is not None:  # weighs as a selling term
        selling.append(_Span(*norm.span_compact(price.start(), price.end())))
    points = _points(selling, commercial)
    wanted = _CALL_TO_ACTION.search(norm.compact) if points == 1 else None
    if points < 2 and wanted is None:  # most messages with an ad term: one commercial word
        return []
    asked = _asked(norm.original)
    if asked:
        selling = [h for h in selling if not _inside(h, asked)]
        commercial = [h for h in commercial if not _inside(h, asked)]
        points = _points(selling, commercial)
        if points < 2 and not (points == 1 and wanted is not None):
            return []
    found = contacts(norm)
    invite: Any = lex.matcher("ads/contact").first(norm) if not found else None
    if not found and invite is None:
        cta = _CALL_TO_ACTION.search(norm.compact)
        invite = _Span(*norm.span_compact(cta.start(), cta.end())) if cta is not None else None
    first = min((*selling, *commercial), key=lambda h: h.start)
    if found or invite is not None:
        where = found[0] if found else invite
        start = min(first.start, where.start)
        end = max(first.end, where.end)
        return [make_hit(RULE_ID, norm, start, end, "疑似带联系方式的商业广告", kind="ads/contact")]
    if points >= 4 and selling:
        return [make_hit(RULE_ID, norm, first.start, first.end, "疑似推销商品或服务", kind="ads/selling")]
    return []

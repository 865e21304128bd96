"""content.banned: pornography, gambling, drugs, violence and threats, cults,
extremism, illegal goods, virus and phishing (config/lexicons/banned/).

A message that warns against such content (a teacher's 禁毒 notice, "谨防刷单诈骗")
is not banned content, except threats of violence, which no context excuses. Nor
is a parent asking what a word is ("孩子说同学在玩菠菜平台，这是什么东西？"),
unless the message also gives a way to get in touch (an advert's rhetorical
question: "百家乐是什么？加微信了解")."""

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
}
_ALWAYS = frozenset({"banned/violence"})
# what follows a word asked about, in its sentence: "…，这是什么东西？", "…是啥意思"
_ASKED_ABOUT = re.compile(r"[^。！？!?\n]{0,8}?(?:是什么|是啥|什么意思|啥意思|什么东西|啥东西|什么玩意)")


def _asked_about(norm: NormalizedText, ctx: DetectContext, hit: TermHit) -> bool:
    if _ASKED_ABOUT.match(norm.original, hit.end) is None:
        return False
    return not contacts(norm) and not ctx.lexicon.matcher("ads/contact").find(norm)


def detect(norm: NormalizedText, ctx: DetectContext, settings: BannedSettings) -> list[Hit]:
    found = ctx.lexicon.matcher("banned").find(norm)
    if not found:
        return []
    warning: bool | None = None
    for hit in found:
        if hit.label not in _ALWAYS:
            if warning is None:
                warning = bool(ctx.lexicon.matcher("context/prevention").find(norm))
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

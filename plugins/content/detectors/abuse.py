"""content.abuse: insults, profanity, personal attacks and defamation, from the
project's lexicons (config/lexicons/abuse/), matched on the normalised text so
spacing, look-alikes, traditional forms, pinyin and abbreviations do not hide them.

A word a member asks about is quoted, not used: "孩子老说cnm，是什么意思？" or
"sb这个词是什么意思" is a parent asking the teacher, not abusing anyone. So is a
word in quotes that someone else said ("同学骂他“nt”，我该怎么跟老师反映", a
sketch's line: 台词是“…”), and a word a child has taken to saying ("孩子跟同学学会了说
卧槽，回家被我批评了"). "NT$280" is a price."""

from __future__ import annotations

import re

from plugins.charter.catalogue import AbuseSettings
from plugins.charter.normalize import NormalizedText
from plugins.content.detectors.base import DetectContext, Hit, make_hit
from plugins.content.detectors.terms import TermHit

RULE_ID = "content.abuse"
_REASONS = {
    "abuse/insult": "含有辱骂或人身攻击的用语",
    "abuse/profanity": "含有不文明用语",
    "abuse/defamation": "含有诋毁学校或师生的言论",
}
# what follows a word that is asked about: "…是什么意思", "…啥意思", "…这个词是啥"
_ASKED_ABOUT = re.compile(
    r"[\s\"'“”‘’「」『』]*[，,]?\s*(?:这个|这种|这两个)?(?:词|字母|缩写|说法)?\s*(?:是|指|表示|代表)?\s*"
    r"(?:(?:什么|什麼|甚么|啥)\s*(?:意思|含义|梗)|(?:是啥|是什么|是什麼)\s*(?:[?？。，,！!]|$))"
)
_ASKING_WORDS = ("意思", "含义", "梗", "啥", "什么", "什麼")  # a cheap test before the pattern
_QUOTES = "\"'“‘「『"
# what comes before a quoted word someone said: "骂他“…”", "同学说“…”"
_REPORTED = re.compile(
    r"(?:(?:骂|说|叫|喊|称)(?:他|她|我|孩子|我家孩子|我们|别人|同学|人)?(?:是|为|成)?"
    r"|(?:台词|口头禅|外号|绰号)(?:是|叫)?"
    # a line known from elsewhere ("电影里那句“滚出去”孩子老学"), not given to you (送你这句)
    r"|(?:那|这)句(?:话)?(?:是|叫)?)\s*$"
)
# but a nickname given to the one addressed is an insult ("你在群里的外号是“神经病”")
_NAMED = "台口外绰那这"
_ADDRESSEE = re.compile(r"(?:你|您)(?!家|们家)[^，,。！？!?“”\"']{0,10}?的?$")
# what a child has taken to saying, reported by a parent ("孩子跟同学学会了说卧槽")
_HABIT = re.compile(r"(?:学会了?|老是?|总是?|爱|天天|经常|整天|动不动就|张口就)说\s*$")
# a Latin letter pair before a currency sign is an amount ("标价NT$280")
_CURRENCY = re.compile(r"\s*[$＄]")
# 滚 standing alone as a clause, said to someone ("滚！少在这里装好人", "滚，别在这装",
# "@王五 滚"): not inside a word (滚动, 打滚, 滚雪球, 球滚出界, 滚瓜烂熟; the phrases
# 你滚, 滚开 … are lexicon terms), not quoted ("“滚”字怎么写"), and not one character
# of a spaced-out word ("滚 动 字 幕": a space then a lone character)
_LONE_GUN = re.compile(
    r"(?:^|(?<=[\s,.!?;:~，。！？；：、…@]))滚+"
    r"(?=$|[,.!?;:~，。！？；：、…]|[^\w\s\"'“”‘’「」『』《》]|\s+[\u4e00-\u9fff]{2})"
)


def _asked_about(norm: NormalizedText, hit: TermHit) -> bool:
    """A Latin abbreviation (cnm, sb) or a quoted word, followed by a question about
    its meaning, or a quoted word after who said it (骂他“…”), or a word a child
    has taken to saying (学会了说…). Not a Chinese phrase unquoted: "你妈的什么意思"
    is abuse."""
    text = norm.original
    quoted = hit.start > 0 and text[hit.start - 1] in _QUOTES
    if quoted and _AIMED_AFTER.match(text, hit.end):  # "这句“滚出去”就是送给你的"
        return False
    said = _REPORTED.search(text, max(0, hit.start - 12), hit.start - 1) if quoted else None
    if said is not None and not (said.group()[0] in _NAMED
                                 and _ADDRESSEE.search(text, max(0, said.start() - 12), said.start())):
        return True
    if _HABIT.search(text, max(0, hit.start - 6), hit.start):
        return True
    if hit.term.isascii() and _CURRENCY.match(text, hit.end):
        return True
    mentioned = hit.term.isascii() or quoted
    return mentioned and _ASKED_ABOUT.match(text, hit.end) is not None


# a quoted word given to the one addressed, after the closing quote
_AIMED_AFTER = re.compile(r"[\"'”’」』][^。！？!?\n]{0,10}?(?:对|送给?|给|回)(?:你|您)")
# a quoted 滚 given to the one addressed ("“滚”，这就是我想对你说的"); not a character asked
# about ("“滚”字怎么写")
_QUOTED_GUN_AIMED = re.compile(
    r"[\"'“‘「『]滚+[\"'”’」』][^。！？!?\n]{0,10}?(?:对|送给?|给|回)(?:你|您)"
)


def _lone_gun(norm: NormalizedText) -> Hit | None:
    if "滚" not in norm.loose:
        return None
    m = _LONE_GUN.search(norm.loose) or _QUOTED_GUN_AIMED.search(norm.loose)
    if m is None:
        return None
    start, end = norm.span_loose(m.start(), m.end())
    return make_hit(RULE_ID, norm, start, end, _REASONS["abuse/insult"], kind="abuse/insult")


# probe 51: the speaker calls themself names ("连我这个数学笨蛋都听懂了")
_ONESELF = re.compile(r"我(?:这个|这种|真是个?|就是个?|是个|这)[^，,。！？!?你他她]{0,4}$")


def _of_oneself(text: str, hit: TermHit) -> bool:
    return hit.label == "abuse/insult" and _ONESELF.search(text, max(0, hit.start - 10), hit.start) is not None


def detect(norm: NormalizedText, ctx: DetectContext, settings: AbuseSettings) -> list[Hit]:
    matcher = ctx.lexicon.matcher("abuse")
    found = matcher.first(norm)
    if found is None:
        lone = _lone_gun(norm)
        return [lone] if lone is not None else []
    text = norm.original
    if (any(word in text for word in _ASKING_WORDS) or any(q in text for q in _QUOTES)
            or "说" in text or "$" in text or "＄" in text or "我" in text):
        found = next((hit for hit in matcher.find(norm)
                      if not _asked_about(norm, hit) and not _of_oneself(text, hit)), None)
        if found is None:
            return []
    return [make_hit(RULE_ID, norm, found.start, found.end, _REASONS.get(found.label, "含有不文明用语"),
                     kind=found.label)]

"""Contact details in a message: phone numbers, WeChat and QQ ids, e-mail addresses.

Phone numbers are read from the compact form, so separators, spaces, emoji and
full-width or circled digits do not hide them ("１８６ ０００0-①②③④"); Chinese
numeral digits are read too (一三八…). Every candidate is validated with
`phonenumbers` for region CN: a date, an amount or a student number is not a phone.
A contact alone is not an ad; the ads detector weighs it with commercial intent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from plugins.charter.normalize import NormalizedText

_CN_DIGITS = str.maketrans(
    {
        "零": "0", "〇": "0", "一": "1", "幺": "1", "壹": "1", "二": "2", "贰": "2",
        "两": "2", "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5",
        "六": "6", "陆": "6", "七": "7", "柒": "7", "八": "8", "捌": "8", "九": "9",
        "玖": "9",
    }
)
_DIGIT_RUN = re.compile(r"\d{7,}")
_CN_RUN = re.compile(r"[0-9零〇一幺壹二贰两三叁四肆五伍六陆七柒八捌九玖]{11,}")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{9,11}|[48]00\d{7}")
# "qq号是…", "扣扣联系…" (扣扣 reads as qq), "微信同号…": a word may join the name and the id
# (probe 54: "需要的扣扣聊：1 0 7 3 5 2 6 4 8 8")
_QQ = re.compile(r"(?:qq|q号)(?:号码|号)?(?:是|为|:|联系|搜|加|私?聊)?(\d{5,11})")
# probe 56: a QQ number in Chinese numerals ("扣扣：二八七六五四三二一"), read like a phone's;
# not a count after it ("玩扣扣三四个小时": two numerals)
_CN_NUMERAL = "零〇一幺壹二贰两三叁四肆五伍六陆七柒八捌九玖"
_QQ_CN = re.compile(rf"(?:qq|q号)(?:号码|号)?(?:是|为|联系|搜|加|私?聊)?([0-9{_CN_NUMERAL}]{{5,11}})(?![0-9{_CN_NUMERAL}])")
# probe 55: a WeChat id after "v:" ("v：swim_coach_li", "V: hoop_li2024"), read in `loose` (the
# colon and the underscore are separators in `compact`); not a word with a v in it ("vivo"),
# nor "v我五十" (no colon, no id)
# probe 57/58: the other spellings of WeChat before the colon: "vx：xueba_ziliao", "jia wx：hm2288"
# (加 spelt in pinyin, so compact does not read 微信), and 微 or v with a symbol for 信 ("微❤：tuan_gou88",
# "v❤：…"); not 微 alone ("稍微: …" has no symbol), nor a word that ends in v or wx ("kvx:")
_V_ID = re.compile(r"(?<![a-z0-9])(?:jia\s*)?(?:v|vx|wx|w\s+x|v\s+x|weixin|(?:微|薇|v)[^\w\s:]{1,3})"
                   r"\s*号?\s*:\s*([a-z][a-z0-9_-]{4,19})(?![a-z0-9_-])")
_WECHAT = re.compile(r"微信(?:号码|号)?(?:是|为|:|搜|联系|加|私?聊)?([a-z][a-z0-9]{4,19}|1[3-9]\d{9})")
_EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")


@dataclass(frozen=True, slots=True)
class Contact:
    kind: str  # phone | qq | wechat | email
    value: str
    start: int  # span in the ORIGINAL text
    end: int


def _valid_cn(number: str) -> bool:
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)


def phones(norm: NormalizedText) -> list[Contact]:
    compact = norm.compact
    found: list[Contact] = []
    if not compact:
        return found
    runs: list[tuple[int, str]] = [(m.start(), m.group()) for m in _DIGIT_RUN.finditer(compact)]
    if len(compact) >= 11:
        for m in _CN_RUN.finditer(compact):
            text = m.group()
            if not text.isdigit():
                runs.append((m.start(), text.translate(_CN_DIGITS)))
    for offset, run in runs:
        if len(run) > 40:
            continue  # a wall of digits is not a phone number
        body = run
        skip = 0
        if run.startswith("86") and len(run) in (13, 12, 11 + 2):
            body, skip = run[2:], 2
        for pattern in (_MOBILE, _LANDLINE):
            for m in pattern.finditer(body):
                if pattern is _LANDLINE and (m.start() > 0 or m.end() < len(body)):
                    continue  # a landline must be the whole run
                if _valid_cn(m.group()):
                    s = offset + skip + m.start()
                    o_s, o_e = norm.span_compact(s, s + len(m.group()))
                    found.append(Contact("phone", m.group(), o_s, o_e))
            if found and pattern is _MOBILE:
                break
    return found


def ids(norm: NormalizedText) -> list[Contact]:
    """QQ numbers and WeChat ids introduced as such ("qq 123456", "微信: abc_123")."""
    compact = norm.compact
    found: list[Contact] = []
    if "qq" in compact or "q号" in compact:
        for m in _QQ.finditer(compact):
            o_s, o_e = norm.span_compact(m.start(), m.end())
            found.append(Contact("qq", m.group(1), o_s, o_e))
        for m in _QQ_CN.finditer(compact):
            number = m.group(1).translate(_CN_DIGITS)
            if number != m.group(1) and number[0] != "0":  # (digits alone: _QQ's)
                o_s, o_e = norm.span_compact(m.start(), m.end())
                found.append(Contact("qq", number, o_s, o_e))
    if "微信" in compact:
        for m in _WECHAT.finditer(compact):
            o_s, o_e = norm.span_compact(m.start(), m.end())
            found.append(Contact("wechat", m.group(1), o_s, o_e))
    if "v" in compact or "wx" in compact or "微" in compact or "薇" in compact:
        loose = norm.loose
        if ":" in loose:
            for m in _V_ID.finditer(loose):
                o_s, o_e = norm.span_loose(m.start(), m.end())
                found.append(Contact("wechat", m.group(1), o_s, o_e))
    return found


# the characters whose loose form is "@" (NFKC folds the full-width and small ones):
# asked of the original text first, since a message without a Latin letter or digit
# builds its loose form only on first use
AT_SIGNS = ("@", "＠", "﹫")


def emails(norm: NormalizedText) -> list[Contact]:
    original = norm.original
    if AT_SIGNS[0] not in original and AT_SIGNS[1] not in original and AT_SIGNS[2] not in original:
        return []
    loose = norm.loose
    if "@" not in loose:
        return []
    out = []
    for m in _EMAIL.finditer(loose):
        o_s, o_e = norm.span_loose(m.start(), m.end())
        out.append(Contact("email", m.group(), o_s, o_e))
    return out


def contacts(norm: NormalizedText) -> list[Contact]:
    """Every contact detail in the message."""
    return phones(norm) + ids(norm) + emails(norm)

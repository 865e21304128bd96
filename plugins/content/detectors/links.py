"""content.links: web links, including bare domains, short links and obfuscated
forms ("abc点com", "h t t p s : / /", "xx。cn", "www . x . com").

Read from the loose form (look-alikes and full-width folded, separators kept).
A candidate's suffix is checked against the public suffix list bundled with
tldextract (offline, never fetched). A real dot accepts any public suffix that is
common in links, or any suffix when a scheme, "www" or a path makes it plainly a
link ("Mr.Wang" and "readme.md" are not links); a spelled-out dot (点, 。, dot)
accepts only common link suffixes. E-mail addresses are contacts, not links.

Per class: an allow-list of registrable domains (the school's site), staff exempt
when `exempt_staff`, and `scope`: "all" (charter 3) or "harmful" (charters 4, 6:
porn, gambling, virus and phishing links only).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import tldextract

from plugins.charter.catalogue import LinksSettings
from plugins.charter.model import Severity
from plugins.charter.normalize import NormalizedText
from plugins.content.detectors.base import DetectContext, Hit, make_hit

RULE_ID = "content.links"

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

# suffixes seen in real links and spam; a spelled-out dot needs one of these
COMMON_SUFFIXES = frozenset(
    """com cn net org edu gov info biz top xyz cc vip io co tv me club shop site online
    link ltd app ai hk tw mo jp kr us uk de fr ru in sg ly gl gd to ws la pw icu work
    store tech space website fun live pro mobi asia red ink ren xin cloud win bid
    vin press today email news blog art wiki tk ml ga cf gq su gy 中国 公司 网络""".split()
)
# (probe 55: any dot form in brackets, "xueba（点）top", "【点】"; full-width brackets fold to ASCII)
_DOT = r"(?:\s*(?:\.|。|｡|点|dot|[\[(【]\s*(?:\.|。|｡|点|dot)\s*[\])】]|·|丶)\s*)"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# The first label is not preceded by a letter, digit, "@", "_" or "-": that test
# follows its first character (a look-behind over both), so that the pattern
# starts with a character class and the regex engine skips to the positions
# holding one (a leading look-behind made it try a match at every position)
_FIRST_LABEL = r"[a-z0-9](?<![a-z0-9@_-][a-z0-9])(?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(
    rf"((?:{_FIRST_LABEL}{_DOT})(?:{_LABEL}{_DOT})*)([a-z]{{2,24}}|中国|公司|网络)(?![a-z0-9])"
)
_DOT_ONLY = re.compile(_DOT)
_SCHEME = re.compile(r"h[\W_]{0,3}t[\W_]{0,3}t[\W_]{0,3}p(?:[\W_]{0,3}s)?[\s]*[:：][\W_]{0,3}/[\W_]{0,3}/")
# (the look-behind follows the first "w", so the engine skips to each "w")
_WWW = re.compile(rf"w(?<![a-z0-9]w)[\W_]{{0,2}}w[\W_]{{0,2}}w{_DOT}")
# a link's path, up to a space or Chinese text; a scheme's rest, up to a space
_PATH = re.compile(r"[^\s\u2e80-\U0010ffff]*")
_NON_SPACE = re.compile(r"\S*")
# (?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?/, the look-behind after the first digit
_IP = re.compile(r"\d(?<![\d.]\d)\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?::\d+)?/")
_EXECUTABLE = re.compile(r"\.(?:apk|exe|bat|scr|msi|vbs|jar)\b")
_HARMFUL_HOST = re.compile(
    r"porn|sex|xxx|casino|bet|bocai|dubo|caipiao|jav|hentai|xvideo|av\d|18\+|loan|xn--"
)


class Link(NamedTuple):
    """A named tuple, not a frozen dataclass: one is built per link found, in less
    than half the time."""

    host: str  # folded, dots restored ("kids.net")
    start: int  # span in the ORIGINAL text
    end: int
    explicit: bool  # scheme or www: plainly a link
    obfuscated: bool  # the dot was spelled out


# Link(...) without the named tuple's own __new__, a Python function (one frame less)
_new = tuple.__new__


def _run_end(run: re.Pattern[str], text: str, start: int) -> int:
    """Where the run of characters `run` matches from `start` ends (a character class
    repeated: a scan at C speed, not a Python loop over the characters)."""
    m = run.match(text, start)
    return m.end() if m is not None else start


# labels written with real dots only, no spaces and no spelled dot ("pan.baidu.")
_PLAIN_LABELS = re.compile(r"[a-z0-9.-]*")


def _host_of(labels: str, suffix: str) -> tuple[str, bool]:
    """(host, obfuscated) of a _DOMAIN match's labels and suffix."""
    if "dot" not in labels and _PLAIN_LABELS.fullmatch(labels):
        # every _DOT_ONLY match is then a lone ".": what _host_of_any reads, with
        # no regular expression split and scan (most links)
        return ".".join([*filter(None, labels.split(".")), suffix]), False
    return _host_of_any(labels, suffix)


def _host_of_any(labels: str, suffix: str) -> tuple[str, bool]:
    parts = [p for p in _DOT_ONLY.split(labels) if p]
    obfuscated = any(m.group().strip() != "." for m in _DOT_ONLY.finditer(labels))
    return ".".join([*parts, suffix]), obfuscated


MAX_LINKS = 50  # enough to judge a message; bounds the work on pathological input


# Every link form above needs a Latin letter or digit (`norm.words` is empty without
# one) and a dot, spelled or not (every _DOT form holds one of these), or a scheme's
# "p" or "ps" before its colon (whitespace is one space at most in `loose`): most
# chatter has neither ("8:30" has no "p"). Every alternative starts with a literal
# character, so the engine skips to the positions holding one of them (a class in
# the first alternative would make it try every alternative at every position).
HINT = re.compile(r"\.|。|｡|点|·|丶|dot|p[\W_]{0,4}s?[\W_]{0,4}[:：]")
# What the few messages with a dot need besides ("早上8点到校" and "3点30" have none):
# - a domain (_DOMAIN, also read with the spaces removed by _spaced_out): a Latin
#   letter or digit, a dot form (each _DOT holds one of .。｡点·丶 or "dot", maybe in
#   brackets) and the first character of a suffix, spaces anywhere between;
# - an IP address (_IP): a digit, a real dot and a digit;
# - a scheme (_SCHEME): the same as HINT.
_CANDIDATE = re.compile(
    r"[a-z0-9]\s*[\[(【]?\s*(?:[.。｡点·丶]|d\s*o\s*t)\s*[\])】]?\s*[a-z中公网]"
    r"|\d\.\d"
    r"|p[\W_]{0,4}s?[\W_]{0,4}[:：]"
    # a Latin and Chinese label, then 点 and a suffix (_MIXED_LABEL)
    r"|点\s*(?:c\s*o\s*m|c\s*n|n\s*e\s*t)(?![a-z])"
)
# probe 46: a label of Latin letters then Chinese ones, with a spelled-out dot and a
# common suffix ("y y d s 影 视 点 c o m"), read in `compact`; not Chinese alone
# ("九点com" is nothing), and at least two Latin letters or digits first
_MIXED_LABEL = re.compile(r"(?<![a-z0-9])[a-z0-9]{2,}[\u4e00-\u9fff]{1,4}点(?:com|cn|net)(?![a-z0-9])")


def may_have_links(norm: NormalizedText) -> bool:
    """A necessary condition of `find_links` finding anything, cheap for most
    messages (the engine's gate of this detector)."""
    if not norm.words:
        return False
    memo = norm.memo
    found = memo.get(may_have_links)  # asked by the engine's gate, then by find_links
    if found is None:
        loose = norm.loose
        found = memo[may_have_links] = (
            HINT.search(loose) is not None and _CANDIDATE.search(loose) is not None
        )
    return found  # type: ignore[return-value]


def find_links(norm: NormalizedText) -> list[Link]:
    """The link-like spans of the message (at most MAX_LINKS of each kind)."""
    if not may_have_links(norm):
        return []
    loose = norm.loose
    links: list[Link] = []
    # a scheme needs a colon and an IP address a slash: most candidates have neither
    schemes = (
        [m for _, m in zip(range(MAX_LINKS), _SCHEME.finditer(loose))]
        if ":" in loose or "：" in loose
        else []
    )
    wwws: set[int] | None = None  # where "www" starts, read at the first domain
    covered: list[tuple[int, int]] = []
    for m in _DOMAIN.finditer(loose):
        suffix = m.group(2)
        host, obfuscated = _host_of(m.group(1), suffix)
        if wwws is None:
            wwws = ({w.start() for _, w in zip(range(MAX_LINKS * 4), _WWW.finditer(loose))}
                    if "w" in loose else set())
        explicit = bool(schemes) and any(0 <= m.start() - s.end() <= 3 for s in schemes) or (
            m.start() in wwws)
        tail = loose[m.end() : m.end() + 1]
        if tail in ("/", ":", "?", "#"):
            explicit = True
        if suffix not in COMMON_SUFFIXES and (obfuscated or not explicit):
            # the last label of the public suffix tldextract would find is `suffix`:
            # the tests below would drop the candidate, so do not ask tldextract
            # ("Mr.Wang", "homework.pdf")
            continue
        ext = _EXTRACT(host)
        if not ext.suffix or not ext.domain:
            continue
        last = ext.suffix.rsplit(".", 1)[-1]
        if last not in COMMON_SUFFIXES and not explicit:
            continue
        if obfuscated and last not in COMMON_SUFFIXES:
            continue
        end = _run_end(_PATH, loose, m.end())
        o_s, o_e = norm.span_loose(m.start(), end)
        links.append(_new(Link, (host, o_s, o_e, explicit, obfuscated)))
        covered.append((m.start(), end))
        if len(links) >= MAX_LINKS:
            break
    links.extend(_spaced_out(norm, covered))
    if "点" in loose:
        for _, m in zip(range(MAX_LINKS), _MIXED_LABEL.finditer(norm.compact)):
            o_s, o_e = norm.span_compact(m.start(), m.end())
            links.append(_new(Link, ("", o_s, o_e, False, True)))
    for s in schemes:
        if not any(a - 3 <= s.end() <= b for a, b in covered):
            end = _run_end(_NON_SPACE, loose, s.end())
            o_s, o_e = norm.span_loose(s.start(), max(end, s.end()))
            links.append(_new(Link, ("", o_s, o_e, True, True)))
    for _, m in zip(range(MAX_LINKS), _IP.finditer(loose) if "/" in loose else ()):
        o_s, o_e = norm.span_loose(m.start(), m.end())
        links.append(_new(Link, (m.group().rstrip("/"), o_s, o_e, True, False)))
    return links


# A domain read with the spaces removed counts only when it spans a removed space,
# which then stands between two characters of the match: a label's, a dot form's or
# a suffix's (`loose` holds no other whitespace, and single spaces). Most messages
# with a space have none there ("讲座 https://...")
_DOMAIN_CHAR = r"[a-z0-9\-.。｡点·丶\[\]()【】中国公司网络]"
_SPACE_IN_DOMAIN = re.compile(f"{_DOMAIN_CHAR} +{_DOMAIN_CHAR}")


def _spaced_out(norm: NormalizedText, covered: list[tuple[int, int]]) -> list[Link]:
    """Domains written with spaces between the letters ("k i d s . c o m"): read
    again with spaces removed; only common link suffixes count here."""
    loose = norm.loose
    if " " not in loose or _SPACE_IN_DOMAIN.search(loose) is None:
        return []
    return _spaced_out_any(norm, covered)


def _spaced_out_any(norm: NormalizedText, covered: list[tuple[int, int]]) -> list[Link]:
    loose = norm.loose
    if " " not in loose:
        return []
    tight = loose.replace(" ", "")
    out: list[Link] = []
    tight_map: list[int] = []
    for m in _DOMAIN.finditer(tight):
        if not tight_map:  # tight index -> loose index, on the first candidate
            tight_map = [i for i, ch in enumerate(loose) if ch != " "]
        a, b = tight_map[m.start()], tight_map[m.end() - 1] + 1
        if " " not in loose[a:b] or any(x < b and a < y for x, y in covered):
            continue
        host, obfuscated = _host_of(m.group(1), m.group(2))
        ext = _EXTRACT(host)
        if not ext.domain or len(ext.domain) < 2 or ext.suffix not in COMMON_SUFFIXES:
            continue
        o_s, o_e = norm.span_loose(a, b)
        out.append(_new(Link, (host, o_s, o_e, False, True)))
        if len(out) >= MAX_LINKS:
            break
    return out


def registrable(host: str) -> str:
    ext = _EXTRACT(host)
    if ext.domain and ext.suffix:
        return f"{ext.domain}.{ext.suffix}"
    return host


def _allowed(host: str, allow: frozenset[str]) -> bool:
    if not host or not allow:
        return False
    return registrable(host) in allow or host in allow or any(
        host.endswith("." + a) for a in allow
    )


def _harmful(link: Link, norm: NormalizedText, ctx: DetectContext) -> bool:
    if _HARMFUL_HOST.search(link.host) or _IP.match(link.host + "/"):
        return True
    around = norm.original[link.start : link.end].casefold()
    if _EXECUTABLE.search(around):
        return True
    matches = ctx.lexicon.matcher("banned").find(norm)
    return any(h.label != "banned/violence" for h in matches)


_ALLOW_SETS: dict[tuple[str, ...], frozenset[str]] = {}  # a class's allow-list, folded


def _allow_set(allow: tuple[str, ...]) -> frozenset[str]:
    if not isinstance(allow, tuple):
        allow = tuple(allow)
    found = _ALLOW_SETS.get(allow)
    if found is None:
        if len(_ALLOW_SETS) > 256:
            _ALLOW_SETS.clear()
        found = _ALLOW_SETS[allow] = frozenset(a.strip().casefold() for a in allow if a.strip())
    return found


def detect(norm: NormalizedText, ctx: DetectContext, settings: LinksSettings) -> list[Hit]:
    if settings.exempt_staff and ctx.is_staff:
        return []
    links = find_links(norm)
    if not links:
        return []
    allow = _allow_set(settings.allow)
    for link in links:
        if _allowed(link.host, allow):
            continue
        if settings.scope == "harmful":
            if not _harmful(link, norm, ctx):
                continue
            return [
                make_hit(RULE_ID, norm, link.start, link.end, "含有有害链接",
                         severity=Severity.VIOLATION, kind="link.harmful")
            ]
        reason = "含有经过伪装的网址" if link.obfuscated else "含有外部链接"
        return [make_hit(RULE_ID, norm, link.start, link.end, reason, kind="link")]
    return []

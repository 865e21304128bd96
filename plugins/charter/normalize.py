"""One normalisation per message, shared by every content detector.

`normalize(text)` folds the evasions spammers use into one canonical form and keeps,
for every normalised character, the index of the original character it came from,
so that evidence always quotes what the member actually wrote.

Three forms are produced:

- ``loose``: every character NFKC-folded, case-folded, traditional -> simplified,
  look-alikes mapped (Cyrillic/Greek letters, styled and circled digits, 〇), zero-width
  and filler characters removed, whitespace collapsed to one space; punctuation,
  emoji and symbols are kept. Links and e-mail addresses are read from this form.
- ``compact``: ``loose`` without any separator (spaces, punctuation, emoji,
  symbols), and with contact homophones mapped to a canonical spelling
  (薇信/威信/V信/vx -> 微信, 扣扣/企鹅号 -> qq, ➕V/加v -> 加微信). Chinese terms,
  digits and contacts are matched here, so "傻 .逼" and "1 3 8-0000" are caught.
- ``words``: ``loose`` with every run of separators replaced by one space, and
  spaced-out single letters joined ("f u c k" -> "fuck"). Latin terms are matched
  here on word boundaries, so "Have a nice day" never contains "av". Empty when
  the message has no Latin letter or digit (no Latin term can match then).

Everything is pure and per character; tables are built once at import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import ahocorasick_rs
import opencc

__all__ = ["NormalizedText", "normalize", "fold_term", "is_latin_term"]

_T2S = opencc.OpenCC("t2s")

# kinds of characters
_DROP = 0  # vanishes everywhere (zero-width, fillers, combining marks, controls)
_SEP = 1  # separator: kept in `loose`, dropped in `compact`, a space in `words`
_KEEP = 2  # letters and digits (and '+', which spammers use for 加)

_FILLERS = frozenset("\u3164\u115f\u1160\uffa0\u2800\u180e\u17b4\u17b5\u034f")

# Look-alike letters (after case folding) -> Latin.
_LOOKALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y", "ӏ": "l", "ɡ": "g", "һ": "h",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u", "γ": "y", "ϲ": "c",
    # digits and signs
    "〇": "0", "○": "0", "◯": "0", "➕": "+", "✚": "+", "﹢": "+", "╋": "+",
    "✙": "+", "✛": "+", "✜": "+", "➖": "-",
}

# Contact words as spammers spell them -> canonical. Matched in `compact`. Lone
# characters (薇, 威) are not listed: they are names (薇薇) and words (威风).
_HOMOPHONES: dict[str, str] = {}
for _variant in (
    "薇信", "威信", "徽信", "维信", "微芯", "围信", "嶶信", "溦信", "薇心", "微心",
    "v信", "vx", "wx", "weixin", "wechat", "威x", "微x", "薇x", "v芯",
):
    _HOMOPHONES[_variant] = "微信"
for _variant in ("加v", "+v", "加v信", "+v信", "加vx", "+vx", "+微", "加微", "+微信", "+薇", "加薇",
                 "+wx", "加wx", "+威", "加威", "+薇信", "加薇信", "加威信", "+威信"):
    _HOMOPHONES[_variant] = "加微信"
for _variant in ("扣扣", "抠抠", "寇寇"):
    _HOMOPHONES[_variant] = "qq"
_HOMOPHONES["企鹅号"] = "qq号"
for _variant in ("+q", "加q", "+qq", "加qq", "+扣扣", "加扣扣", "+扣"):
    _HOMOPHONES[_variant] = "加qq"
_HOMOPHONE_KEYS = list(_HOMOPHONES)
_HOMOPHONE_AC = ahocorasick_rs.AhoCorasick(
    _HOMOPHONE_KEYS, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
)
_HOMOPHONE_FIRST = frozenset(k[0] for k in _HOMOPHONE_KEYS)

_HAS_LATIN = re.compile(r"[a-z0-9]")
_CHAR_CACHE: dict[str, tuple[int, str]] = {}
_CACHE_LIMIT = 200_000


def _styled_letter(code: int) -> str | None:
    # negative circled / negative squared / regional indicator A-Z
    for base in (0x1F150, 0x1F170, 0x1F1E6):
        if base <= code < base + 26:
            return chr(ord("a") + code - base)
    return None


def _classify(ch: str) -> tuple[int, str]:
    """(kind, folded text) for one original character."""
    if ch in _FILLERS:
        return (_DROP, "")
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Cc", "Cs", "Co", "Cn", "Mn", "Me"):
        if ch in "\n\r\t":
            return (_SEP, " ")
        return (_DROP, "")
    styled = _styled_letter(ord(ch))
    if styled is not None:
        return (_KEEP, styled)
    folded = unicodedata.normalize("NFKC", ch).casefold()
    if folded == ch and ord(ch) < 0x80:
        pass
    elif len(folded) == 1 and folded not in _LOOKALIKES:
        digit = unicodedata.digit(folded, None)
        if digit is not None and not ("0" <= folded <= "9"):
            folded = str(digit)
    out = []
    for part in folded:
        part = _LOOKALIKES.get(part, part)
        if "\u3400" <= part <= "\u9fff" or "\uf900" <= part <= "\ufaff":
            part = _T2S.convert(part)
        out.append(part)
    folded = "".join(out)
    if not folded:
        return (_DROP, "")
    if folded.isspace():
        return (_SEP, " ")
    first = folded[0]
    if first == "+":
        return (_KEEP, folded)
    fcat = unicodedata.category(first)
    if fcat[0] in "LN":
        return (_KEEP, folded)
    if fcat[0] == "M":
        return (_DROP, "")
    return (_SEP, folded)


def _char(ch: str) -> tuple[int, str]:
    info = _CHAR_CACHE.get(ch)
    if info is None:
        info = _classify(ch)
        if len(_CHAR_CACHE) < _CACHE_LIMIT:
            _CHAR_CACHE[ch] = info
    return info


def _is_latin(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("0" <= ch <= "9")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    original: str
    loose: str
    loose_map: tuple[int, ...]  # loose index -> original index
    compact: str
    compact_map: tuple[int, ...]  # compact index -> original index
    words: str
    words_map: tuple[int, ...]  # words index -> original index

    # -- mapping back -----------------------------------------------------

    @staticmethod
    def _span(pos: tuple[int, ...], start: int, end: int) -> tuple[int, int]:
        if not pos:
            return (0, 0)
        start = min(max(start, 0), len(pos) - 1)
        end = min(max(end, start + 1), len(pos))
        return (pos[start], pos[end - 1] + 1)

    def span_compact(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of compact[start:end]."""
        return self._span(self.compact_map, start, end)

    def span_loose(self, start: int, end: int) -> tuple[int, int]:
        return self._span(self.loose_map, start, end)

    def span_words(self, start: int, end: int) -> tuple[int, int]:
        return self._span(self.words_map, start, end)

    def excerpt(self, start: int, end: int, *, limit: int = 40) -> str:
        """A substring of the original text around original[start:end], at most
        `limit` characters: the span itself with context on both sides, or its first
        `limit` characters when it is longer."""
        text = self.original
        n = len(text)
        limit = max(1, limit)
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        if end - start >= limit:
            return text[start : start + limit]
        room = limit - (end - start)
        left = max(0, start - room // 2)
        right = min(n, end + (room - (start - left)))
        left = max(0, right - limit) if right - left < limit else left
        return text[left:right]

    def __len__(self) -> int:
        return len(self.original)


def normalize(text: str) -> NormalizedText:
    """Normalise one message. Never raises on any str."""
    loose_chars: list[str] = []
    loose_map: list[int] = []
    kinds: list[int] = []
    last_space = True
    for i, ch in enumerate(text):
        info = _CHAR_CACHE.get(ch) or _char(ch)
        kind, out = info
        if kind == _DROP:
            continue
        if out == " ":
            if last_space:
                continue
            last_space = True
        else:
            last_space = False
        for part in out:
            loose_chars.append(part)
            loose_map.append(i)
            kinds.append(kind)
    while loose_chars and loose_chars[-1] == " ":
        loose_chars.pop()
        loose_map.pop()
        kinds.pop()
    loose = "".join(loose_chars)

    compact_chars = [c for c, k in zip(loose_chars, kinds) if k != _SEP]
    compact_map = [p for p, k in zip(loose_map, kinds) if k != _SEP]
    compact = "".join(compact_chars)
    if compact and not _HOMOPHONE_FIRST.isdisjoint(compact):
        compact, compact_map = _apply_homophones(compact, compact_map)

    if _HAS_LATIN.search(loose):
        words, words_map = _words(loose_chars, loose_map, kinds)
    else:  # no Latin letter or digit: no Latin term can match, skip the form
        words, words_map = "", []
    return NormalizedText(
        original=text,
        loose=loose,
        loose_map=tuple(loose_map),
        compact=compact,
        compact_map=tuple(compact_map),
        words=words,
        words_map=tuple(words_map),
    )


def _apply_homophones(compact: str, cmap: list[int]) -> tuple[str, list[int]]:
    matches = _HOMOPHONE_AC.find_matches_as_indexes(compact)
    if not matches:
        return compact, cmap
    out: list[str] = []
    omap: list[int] = []
    pos = 0
    for idx, start, end in matches:
        key = _HOMOPHONE_KEYS[idx]
        if key.isascii() and key[0] != "+" and (
            (start > 0 and "a" <= compact[start - 1] <= "z")
            or (end < len(compact) and "a" <= compact[end] <= "z")
        ):
            continue  # "vx"/"wx" inside a longer Latin word is not a contact word
        out.append(compact[pos:start])
        omap.extend(cmap[pos:start])
        repl = _HOMOPHONES[key]
        src = cmap[start:end]
        for j, part in enumerate(repl):
            out.append(part)
            omap.append(src[-1] if j == len(repl) - 1 else src[min(j, len(src) - 1)])
        pos = end
    out.append(compact[pos:])
    omap.extend(cmap[pos:])
    return "".join(out), omap


def _words(chars: list[str], cmap: list[int], kinds: list[int]) -> tuple[str, list[int]]:
    """Separators -> one space; spaced-out single Latin letters joined."""
    # tokens: (is_latin_token, chars, maps)
    out: list[str] = []
    omap: list[int] = []
    n = len(chars)
    i = 0
    prev_single = False  # the last emitted token was a single Latin character
    pending_sep: tuple[str, int] | None = None
    while i < n:
        c = chars[i]
        if kinds[i] == _SEP:
            if pending_sep is None:
                pending_sep = (" ", cmap[i])
            i += 1
            continue
        if _is_latin(c):
            j = i
            while j < n and kinds[j] != _SEP and _is_latin(chars[j]):
                j += 1
            single = j - i == 1
            if pending_sep is not None and not (single and prev_single):
                out.append(" ")
                omap.append(pending_sep[1])
            pending_sep = None
            out.extend(chars[i:j])
            omap.extend(cmap[i:j])
            prev_single = single
            i = j
            continue
        if pending_sep is not None:
            out.append(" ")
            omap.append(pending_sep[1])
            pending_sep = None
        out.append(c)
        omap.append(cmap[i])
        prev_single = False
        i += 1
    return "".join(out), omap


def fold_term(term: str) -> str:
    """A lexicon term in the form it is matched in (compact, or words for Latin)."""
    norm = normalize(term)
    if is_latin_term(norm.words):
        return norm.words
    return norm.compact


def is_latin_term(term: str) -> bool:
    """Latin terms (letters, digits, spaces only) match on word boundaries."""
    return bool(term) and all(_is_latin(c) or c == " " for c in term)

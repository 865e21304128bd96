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

The forms are built at C speed with ``str.translate`` tables that are filled on
first sight of each character (the per-character classification runs once per
distinct character, not once per message) and a few precompiled regular
expressions: ``compact`` comes from the original text in one translate (each
character's folding without separators), and ``loose`` is built at once only when
the message has a Latin letter or digit (``words`` needs it), else on first use:
most messages are Chinese without one, and most detectors read ``compact`` only.
Most messages are plain (every character is its own compact form or a separator
compact drops, see _PLAIN): a split at the dropped characters gives their compact
form, and their words form when they have a Latin letter or digit (loose is then
the text with the few dropped characters that change replaced).
The position maps (form index -> original index) are only needed to quote
evidence, so they are computed on first use too: a message no detector reports
never pays for them. Everything is pure. tests/unit/normalize_reference.py keeps
the previous, eager implementation; tests/unit/test_normalize_reference.py
checks that every form, map and span is the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import compress

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
# the canonical spelling kept whole: without it the longest key at 加微信 is 加微, and
# the plain word would read 加微信信, so no homophone of it would meet the plain one
_HOMOPHONES["加微信"] = "加微信"
for _variant in ("扣扣", "抠抠", "寇寇"):
    _HOMOPHONES[_variant] = "qq"
_HOMOPHONES["企鹅号"] = "qq号"
for _variant in ("+q", "加q", "+qq", "加qq", "+扣扣", "加扣扣", "+扣"):
    _HOMOPHONES[_variant] = "加qq"
_HOMOPHONE_KEYS = list(_HOMOPHONES)
_HOMOPHONE_AC = ahocorasick_rs.AhoCorasick(
    _HOMOPHONE_KEYS, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
)
_HOMOPHONE_HINT = re.compile("[" + re.escape("".join(sorted({k[0] for k in _HOMOPHONE_KEYS}))) + "]")


def _occurs_pattern(keys: list[str]) -> re.Pattern[str]:
    """Matches where any of `keys` occurs: one alternative per first character (the
    regex engine tries a dozen of those at a candidate, not every key)."""
    rests: dict[str, list[str]] = {}
    for key in keys:
        rests.setdefault(key[0], []).append(re.escape(key[1:]))
    return re.compile("|".join(f"{re.escape(first)}(?:{'|'.join(sorted(rest, key=len, reverse=True))})"
                               for first, rest in sorted(rests.items())))


# Whether a homophone occurs at all (every key has two characters or more): most
# messages with a character a homophone starts with hold none ("参加", "微笑", "www"),
# and this one search answers them without the automaton and the rewrite
_HOMOPHONE_ANY = _occurs_pattern(_HOMOPHONE_KEYS)

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
    if folded.isspace():
        return (_SEP, " ")
    if len(folded) > 1:
        # One kind for a whole folding, so that every character of `loose` has the
        # kind its own category gives (what lets normalize() work on whole strings):
        # its letters and digits when it has any ("a.m." -> "am", "⑴" -> "(1)" ->
        # "1", "℡" -> "tel"), else its symbols; never whitespace or marks
        # (a spacing accent "¨" folds to " " + a combining mark, and is dropped).
        keep = "".join(c for c in folded if _own_kind(c) == _KEEP)
        folded = keep or "".join(c for c in folded if _own_kind(c) == _SEP)
    if not folded:
        return (_DROP, "")
    kind = _own_kind(folded[0])
    return (kind, folded) if kind != _DROP else (_DROP, "")


def _own_kind(ch: str) -> int:
    """The kind of one folded character by its category: letters, digits and '+'
    are kept, marks, controls and whitespace inside a folding dropped, the rest
    (punctuation, symbols, emoji) separates."""
    if ch == "+":
        return _KEEP
    cat = unicodedata.category(ch)[0]
    if cat in "LN":
        return _KEEP
    if cat in "MC" or ch.isspace():
        return _DROP
    return _SEP


def _char(ch: str) -> tuple[int, str]:
    info = _CHAR_CACHE.get(ch)
    if info is None:
        info = _classify(ch)
        if len(_CHAR_CACHE) < _CACHE_LIMIT:
            _CHAR_CACHE[ch] = info
    return info


def _is_latin(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("0" <= ch <= "9")


class _Table(dict[int, "str | None"]):
    """A ``str.translate`` table filled on first sight of each character: the
    per-character classification runs once per distinct character, ever."""

    __slots__ = ("_pick",)

    def __init__(self, pick: Callable[[int, str], str | None]) -> None:
        super().__init__()
        self._pick = pick

    def __missing__(self, code: int) -> str | None:
        kind, out = _char(chr(code))
        value = self._pick(kind, out)
        if len(self) < _CACHE_LIMIT:
            self[code] = value
        return value


# What a table answers for a character it has not learnt yet (see _Learnt): a
# noncharacter, category Cn, which every table drops, so no form ever holds it.
_UNSEEN = "\uffff"
_PLANE = 0x10000  # the basic plane: code points a _Learnt's list covers


def _unseen() -> str:
    return _UNSEEN


class _Learnt:
    """A _Table read at C speed. ``str.translate`` reads a subclass of dict through
    the generic Python-level ``__getitem__`` slot (CPython does not inherit dict's
    own lookup as a C slot when the subclass is defined in Python), a quarter
    slower per character than a C mapping, on every message. A ``defaultdict``
    keeps dict's C lookup; this one holds what the table answered so far and gives
    _UNSEEN for any other character, so one ``in`` test after the translation
    tells when the table itself must classify something (the first sight of a
    character, or one the full table does not keep)."""

    __slots__ = ("_table", "known", "plane")

    def __init__(self, table: _Table, *, plane: bool = False) -> None:
        self._table = table
        self.known: defaultdict[int, str | None] = defaultdict(_unseen)
        # With `plane`, also what it answered for the basic plane as a list indexed by
        # code point (_UNSEEN where not known): ``str.translate`` reads a list without
        # hashing and comparing a new int per character, about a quarter cheaper than
        # `known`; characters above U+FFFF are not in it and pass it untranslated, so
        # its user must translate through `known` a text that has one (see normalize)
        self.plane: list[str | None] | None = [_UNSEEN] * _PLANE if plane else None

    def translate(self, text: str) -> str:
        """``text.translate(table)``"""
        out = text.translate(self.known)
        if _UNSEEN not in out:
            return out
        return self.learn(text)

    def learn(self, text: str) -> str:
        """``text.translate(table)``, learning what the table answers for characters
        `known` did not have (a translation through `known` held _UNSEEN)."""
        table, known, plane = self._table, self.known, self.plane
        out = text.translate(table)  # classifies what it has not seen
        for ch in set(text):
            code = ord(ch)
            # put there by a translation through `known` (or not there yet), or not in
            # `plane` yet
            if known.get(code, _UNSEEN) is _UNSEEN or (
                plane is not None and code < _PLANE and plane[code] is _UNSEEN
            ):
                value = table.get(code, _UNSEEN)
                if value is _UNSEEN:
                    known.pop(code, None)  # the table is full and did not keep it: ask it again
                else:
                    known[code] = value
                    if plane is not None and code < _PLANE:
                        plane[code] = value
        return out


# loose: fillers dropped, everything else folded
_LOOSE = _Table(lambda kind, out: None if kind == _DROP else out)
# with a list too (another 512 KB once a process): `normalize` knows whether the
# message has a character above U+FFFF, which the list passes untranslated
_TO_LOOSE = _Learnt(_LOOSE, plane=True)


def _width(out: str | None) -> str:
    """How many characters one original character gives in a form, as one
    character: "\x00" none, "\x01" one, "\x02" more (a ``str.translate`` value)."""
    return "\x00" if not out else "\x01" if len(out) == 1 else "\x02"
# Patterns searched over whole messages begin with a character or a class, not a
# repetition: the regex engine then skips to each candidate in a tight loop instead
# of trying a match at every position ("[^\w+]+" cost a quarter more on a message
# with Latin letters)
_SPACES = re.compile("  +")
# In `loose` a character is a separator exactly when its own category is not a
# letter or a digit (`\w` is letters, digits and "_"), '+' excepted: _classify
# gives every character of a folding one kind, the kind of its category.
_SEP_CHARS = re.compile(r"(?:[^\w+]|_)+")
# the same without "_": one character class repeated, which the regex engine scans
# in a tight loop where _SEP_CHARS's alternation is about half as fast; `words`
# uses it when the message has no "_"
_SEP_RUN = re.compile(r"[^\w+][^\w+]*")
# compact before homophones, straight from the original text: each character's
# loose folding without its separators (removing a class of single characters from
# `loose` is the same as removing them from each character's folding; the spaces
# that collapsing and stripping would touch are separators, removed either way)
_COMPACT = _Table(lambda kind, out: None if kind == _DROP else (_SEP_CHARS.sub("", out) or None))
_TO_COMPACT = _Learnt(_COMPACT, plane=True)  # a list of 65,536 entries (512 KB), once a process
# the widths of each character in loose and in compact: the maps back to the
# original text are built from them at C speed (itertools.compress)
_LOOSE_WIDTH = _Table(lambda kind, out: _width(None if kind == _DROP else out))
_COMPACT_WIDTH = _Table(lambda kind, out: _width(None if kind == _DROP else _SEP_CHARS.sub("", out)))
# with a list each too (512 KB each, once a process): through a list a character
# costs about half what the dict's lookup does, on every message a detector quotes
# (see _narrow_translate)
_TO_LOOSE_WIDTH = _Learnt(_LOOSE_WIDTH, plane=True)
_TO_COMPACT_WIDTH = _Learnt(_COMPACT_WIDTH, plane=True)
# one search answers "no homophone can start here, no Latin letter or digit, and no
# character above U+FFFF" (what the compact table's list passes untranslated)
_HINT_LATIN_OR_WIDE = re.compile(_HOMOPHONE_HINT.pattern[:-1] + "a-z0-9\U00010000-\U0010ffff]")
_WIDE = re.compile("[\U00010000-\U0010ffff]")
# a separator between two single Latin characters vanishes ("f u c k" -> "fuck"):
# the space alone is matched, so that sub() replaces it with "" at C speed (a
# group reference in the replacement costs a Python call per match), and the
# pattern starts with it, so the engine skips to each space (the look-behind
# checks the lone character before it)
_SPACED_LETTER = re.compile(r" (?<=(?<![a-z0-9])[a-z0-9] )(?=[a-z0-9](?![a-z0-9]))")


class NormalizedText:
    """The normalised forms of one message, with maps back to the original text.

    `compact` and `words` are computed at once, `loose` too when the message has a
    Latin letter or digit (else on first use); the maps
    (`loose_map`, `compact_map`, `words_map`: form index -> original index) on
    first use. `memo` is scratch space for values derived from this text alone
    (detectors cache per-message work there, keyed by their own objects). Two such
    values the engine finds for every message have slots of their own: a dict's
    first entry costs an allocation (about 500 instructions with its release), and
    most messages need no other entry: `present` is the mask of the labels occurring
    in the text by the Presence `present_of` (terms.Presence.mask), `no_names_of` a
    roster none of whose names occurs in it (base.NameIndex.none_in); None: not known.
    """

    __slots__ = ("original", "_loose", "compact", "words", "memo",
                 "_raw_compact", "_loose_map", "_compact_map", "_words_map", "_pieces",
                 "present_of", "present", "no_names_of")

    def __init__(self, original: str, loose: str | None, compact: str, words: str,
                 raw_compact: str | None = None, pieces: list[str] | None = None) -> None:
        self.original = original
        self._loose = loose  # None: built on first use
        self.compact = compact
        self.words = words
        self.memo: dict[object, object] = {}
        self._raw_compact = raw_compact  # compact before homophones, when they changed it
        self._loose_map: Sequence[int] | None = None
        self._compact_map: Sequence[int] | None = None
        self._words_map: Sequence[int] | None = None
        # a plain text split at its dropped characters (see _PLAIN), for compact_map;
        # None: not known to be plain
        self._pieces = pieces
        self.present_of: object | None = None
        self.present = 0
        self.no_names_of: object | None = None

    def __repr__(self) -> str:
        return f"NormalizedText({self.original!r}, compact={self.compact!r})"

    @property
    def loose(self) -> str:
        """The loose form (see the module docstring). Messages without a Latin
        letter or digit build it on first use: most detectors read only `compact`."""
        found = self._loose
        if found is None:
            if self._pieces is not None:
                found = self._loose = _plain_loose(self.original)
            else:
                found = self._loose = _loose(self.original, _narrow(self))
        return found

    # -- maps, on first use -------------------------------------------------

    @property
    def loose_map(self) -> Sequence[int]:
        """loose index -> original index"""
        found = self._loose_map
        if found is None:
            text = self.original
            if self._pieces is None:
                found = _loose_map(text, self.loose, _narrow(self))
            else:
                # a plain text (in the basic plane): each character gives one loose
                # character when none gives several, so that the same length means
                # none was collapsed or stripped either
                loose = self.loose
                if len(loose) == len(text) and not any(ch in text for ch in _PLAIN_LOOSE_LONG):
                    found = range(len(text))
                else:
                    found = _loose_map(text, loose, True)
            self._loose_map = found
        return found

    @property
    def compact_map(self) -> Sequence[int]:
        """compact index -> original index"""
        found = self._compact_map
        if found is None:
            found = self._compact_map = _compact_map(self)
        return found

    @property
    def words_map(self) -> Sequence[int]:
        """words index -> original index"""
        found = self._words_map
        if found is None:
            if not self.words:
                found = ()
            else:
                loose = self.loose
                kinds = [_KEEP if c.isalnum() or c == "+" else _SEP for c in loose]
                found = tuple(_words(loose, self.loose_map, kinds)[1])
            self._words_map = found
        return found

    # -- mapping back -----------------------------------------------------

    @staticmethod
    def _span(pos: Sequence[int], start: int, end: int) -> tuple[int, int]:
        """The original span of form[start:end], clamped to the form. The span_*
        methods answer a span inside the form (every caller's) themselves."""
        if not pos:
            return (0, 0)
        start = min(max(start, 0), len(pos) - 1)
        end = min(max(end, start + 1), len(pos))
        return (pos[start], pos[end - 1] + 1)

    # The three span_* methods repeat _span's fast path inline on purpose: calling
    # _span for it cost 300 instructions a message on the realistic mix (callgrind)

    def span_compact(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of compact[start:end]."""
        pos = self._compact_map
        if pos is None:
            pos = self.compact_map
        if 0 <= start < end <= len(pos):
            return (pos[start], pos[end - 1] + 1)
        return self._span(pos, start, end)

    def span_loose(self, start: int, end: int) -> tuple[int, int]:
        pos = self._loose_map
        if pos is None:
            pos = self.loose_map
        if 0 <= start < end <= len(pos):
            return (pos[start], pos[end - 1] + 1)
        return self._span(pos, start, end)

    def span_words(self, start: int, end: int) -> tuple[int, int]:
        pos = self._words_map
        if pos is None:
            pos = self.words_map
        if 0 <= start < end <= len(pos):
            return (pos[start], pos[end - 1] + 1)
        return self._span(pos, start, end)

    def excerpt(self, start: int, end: int, *, limit: int = 40) -> str:
        """A substring of the original text around original[start:end], at most
        `limit` characters: the span itself with context on both sides, or its first
        `limit` characters when it is longer."""
        # (clamped with comparisons: min() and max() cost a call each, four times
        # what the comparison does, on every hit in a long message)
        text = self.original
        n = len(text)
        if limit < 1:
            limit = 1
        if n <= limit:
            return text  # what the arithmetic below gives for a short message, any span
        start = 0 if start < 0 else n if start > n else start
        end = start if end < start else n if end > n else end
        if end - start >= limit:
            return text[start : start + limit]
        room = limit - (end - start)
        left = start - room // 2
        if left < 0:
            left = 0
        right = end + (room - (start - left))
        if right > n:
            right = n
        if right - left < limit:
            left = right - limit if right > limit else 0
        return text[left:right]

    def __len__(self) -> int:
        return len(self.original)


_COMPACT_PLANE = _TO_COMPACT.plane
_LOOSE_PLANE = _TO_LOOSE.plane

# Plain characters: in the basic plane, compact keeps them as they are (simplified
# Chinese, a-z, 0-9) or drops them (common punctuation, spaces), exactly where
# _DROPPED does. Nine messages in ten have only such characters: their compact form
# is the text without the dropped ones, which one split and a join give at C speed
# for a fraction of the translation (through a list, ``str.translate`` makes a
# Python int and a lookup of every character, about 400 instructions each).
# _PLAIN holds what the compact table learnt so far, in two parts: _PLAIN_DROP
# (dropped) and _PLAIN_KEEP (kept as they are), and _BORING is _PLAIN_KEEP without
# what makes normalize look further (a homophone's first character, a-z and 0-9).
# A dropped character is plain only when it separates (in loose it is one or more
# separators, never "_", which `words` treats apart): _PLAIN_LOOSE holds its loose
# form. Characters that vanish from every form (zero-width, variation selectors)
# are not plain. Three patterns over them:
# - _drop_plain, a class of exactly _PLAIN_DROP (a few dozen characters, compiled
#   again whenever one is added): splits any text at them (compact, and words of a
#   plain text with a Latin letter or digit, from the same split);
# - _not_boring and _not_plain_keep match any character that was not in _BORING or
#   _PLAIN_KEEP when last compiled (compiled again as they grow, see _note_plain),
#   so a character learnt since is looked up in the set itself.
# Most messages are Chinese with punctuation: one split and one search, with no
# match, give their compact form (see normalize).
_DROPPED = re.compile(r"[^\w+]")
_PLAIN: set[str] = set()
_PLAIN_DROP: set[str] = set()
_PLAIN_KEEP: set[str] = set()
_BORING: set[str] = set()
_PLAIN_LOOSE: dict[str, str] = {}
# the plain dropped characters whose loose form is another string (full-width
# punctuation: "，" -> ","), and whether no such loose form holds one of them: then
# replacing each in a text, in any order, gives every character its loose form
_PLAIN_LOOSE_CHANGED: dict[str, str] = {}
_changed_apart = True
# the plain dropped characters whose loose form has several characters ("…" -> "...")
_PLAIN_LOOSE_LONG: set[str] = set()
_drop_plain = re.compile(r"[^\s\S]")  # matches nothing
_not_boring = _not_plain_keep = re.compile(r"[\s\S]")
_plain_compiled = 0  # len(_PLAIN_KEEP) when _not_boring and _not_plain_keep were compiled
_STALE_LOOKUPS = 1_000  # characters found in a set, not in its pattern, before they are recompiled
_stale = 0
# a-z, 0-9 and every character a contact homophone starts with: not boring
_NOT_BORING_KEPT = frozenset({key[0] for key in _HOMOPHONE_KEYS}
                             | set("abcdefghijklmnopqrstuvwxyz0123456789"))


def _outside(pattern: re.Pattern[str], chars: set[str], text: str, pos: int = 0) -> int:
    """Where the first character of text[pos:] that is not in `chars` is (-1: none),
    `pattern` matching any character that was not in `chars` when compiled."""
    global _stale
    found = pattern.search(text, pos)
    while found is not None:
        at = found.start()
        if text[at] not in chars:
            return at
        _stale += 1
        found = pattern.search(text, at + 1)
    if _stale > _STALE_LOOKUPS:  # characters the patterns lag behind keep coming
        _compile_plain()
    return -1


def _is_plain(text: str) -> bool:
    """Whether every character of `text` is plain (see _PLAIN)."""
    return _outside(_not_plain_keep, _PLAIN_KEEP, "".join(_drop_plain.split(text))) < 0


def _note_plain(text: str) -> None:
    """Adds the plain characters of `text` (just learnt by the compact table) to
    _PLAIN; recompiles _not_boring and _not_plain_keep once an eighth of
    _PLAIN_KEEP is not in them (a compile costs about 5 us a character of the
    class: rarely, as the table's own learning), or once the characters they lag
    behind have cost _STALE_LOOKUPS lookups; _drop_plain at once."""
    global _drop_plain, _changed_apart
    dropped = False
    for ch in set(text):
        code = ord(ch)
        if code < _PLANE and ch not in _PLAIN:
            value = _COMPACT_PLANE[code]
            if _DROPPED.match(ch) is None:
                if value == ch:
                    _PLAIN.add(ch)
                    _PLAIN_KEEP.add(ch)
                    if ch not in _NOT_BORING_KEPT:
                        _BORING.add(ch)
            elif value is None:
                loose = _LOOSE[code]  # (the loose table may not have learnt it yet)
                if loose and "_" not in loose:
                    _PLAIN.add(ch)
                    _PLAIN_DROP.add(ch)
                    _PLAIN_LOOSE[ch] = loose
                    if len(loose) > 1:
                        _PLAIN_LOOSE_LONG.add(ch)
                    if loose != ch:
                        _PLAIN_LOOSE_CHANGED[ch] = loose
                    dropped = True
    if dropped:
        _drop_plain = re.compile(f"[{_ranges(_PLAIN_DROP)}]")
        changed = _PLAIN_LOOSE_CHANGED
        _changed_apart = not any(ch in loose for loose in changed.values() for ch in changed)
    if len(_PLAIN_KEEP) - _plain_compiled >= max(16, _plain_compiled // 8):
        _compile_plain()


def _compile_plain() -> None:
    global _not_boring, _not_plain_keep, _plain_compiled, _stale
    _stale = 0
    if len(_PLAIN_KEEP) > _plain_compiled:
        _not_plain_keep = re.compile(f"[^{_ranges(_PLAIN_KEEP)}]")
        _not_boring = re.compile(f"[^{_ranges(_BORING)}]") if _BORING else re.compile(r"[\s\S]")
        _plain_compiled = len(_PLAIN_KEEP)


def _ranges(chars: set[str]) -> str:
    """A regular expression class's body of `chars`, as runs of consecutive code points."""
    codes = sorted(map(ord, chars))
    out: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code != prev + 1:
            out.append(re.escape(chr(start)) if start == prev else f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
            start = code
        prev = code
    return "".join(out)


_new = object.__new__


def _normalized(original: str, loose: str | None, compact: str, words: str,
                raw_compact: str | None, pieces: list[str] | None = None) -> NormalizedText:
    """``NormalizedText(...)`` without the class call: calling a class with a
    Python ``__init__`` costs several hundred instructions more than the function
    call and the slot stores (once per message). Sets every slot __init__ sets."""
    norm = _new(NormalizedText)
    norm.original = original
    norm._loose = loose
    norm.compact = compact
    norm.words = words
    norm.memo = {}
    norm._raw_compact = raw_compact
    norm._loose_map = norm._compact_map = norm._words_map = norm.present_of = norm.no_names_of = None
    norm._pieces = pieces
    norm.present = 0
    return norm


def normalize(text: str) -> NormalizedText:
    """Normalise one message. Never raises on any str."""
    pieces = _drop_plain.split(text)
    compact = "".join(pieces)
    found = _not_boring.search(compact)
    if found is None:
        # every character left is simplified Chinese (or another letter) that compact
        # keeps as it is, and none starts a homophone: no Latin term can match, no
        # words form, and loose is built on first use. _normalized, inlined: one call
        # less on most messages
        norm = _new(NormalizedText)
        norm.original = text
        norm.compact = compact
        norm.words = ""
        norm.memo = {}
        norm._loose = norm._raw_compact = norm._loose_map = norm._compact_map = norm._words_map = None
        norm.present_of = norm.no_names_of = None
        norm._pieces = pieces
        norm.present = 0
        return norm
    return _normalize_rest(text, pieces, compact, found.start())


def _normalize_rest(text: str, pieces: list[str], compact: str, at: int) -> NormalizedText:
    """normalize() of a text whose `compact`, the text without plain dropped
    characters (the join of `pieces`, the text split at them), holds at `at` a
    character outside _BORING's pattern (the ones before it are boring)."""
    if _outside(_not_plain_keep, _PLAIN_KEEP, compact, at) < 0:
        # the text is plain: `compact` is its compact form, and the first hint or
        # Latin character, if any, is at `at` or after it
        ch = compact[at]
        latin = "a" <= ch <= "z" or "0" <= ch <= "9" or _HAS_LATIN.search(compact, at) is not None
        raw_compact = None
        if _HOMOPHONE_ANY.search(compact, at):
            raw_compact, compact = _homophones(compact)
        if not latin:
            return _normalized(text, None, compact, "", raw_compact, pieces)
        return _plain_latin(text, pieces, compact, raw_compact)
    # _TO_COMPACT.translate(text), through its list
    compact = text.translate(_COMPACT_PLANE)
    # the text may hold a character above U+FFFF: always after `learn` (which
    # translated them, so compact need not show them)
    wide = _UNSEEN in compact
    if wide:
        compact = _TO_COMPACT.learn(text)
        _note_plain(text)
    # one search answers "no homophone can start here, no Latin letter or digit, and
    # no character the list passed untranslated" for most of these messages
    found = _HINT_LATIN_OR_WIDE.search(compact)
    if found is None:
        return _normalized(text, None, compact, "", None)
    # no hint, Latin or wide character before the first found: the searches below
    # start there (unless the full table translated compact again)
    first = found.start()
    if _WIDE.search(compact, first) is not None:
        wide = True
        compact = _TO_COMPACT.translate(text)  # the full table (emoji, styled letters)
        first = 0
    raw_compact = None
    # a-z and 0-9 are kept in compact: it has one exactly when loose has one
    latin = _HAS_LATIN.search(compact, first) is not None
    if _HOMOPHONE_ANY.search(compact, first):
        raw_compact, compact = _homophones(compact)
    if not latin:
        # no Latin term can match: no words form, and loose is built on first use
        return _normalized(text, None, compact, "", raw_compact)
    loose = _loose(text, not wide)
    words = (_SEP_RUN if "_" not in loose else _SEP_CHARS).sub(" ", loose).rstrip(" ")
    if " " in words:
        words = _SPACED_LETTER.sub("", words)
    return _normalized(text, loose, compact, words, raw_compact)


def _homophones(compact: str) -> tuple[str | None, str]:
    """(compact before homophones, or None when they change nothing; compact)"""
    replaced = _apply_homophones(compact, None)[0]
    return (compact, replaced) if replaced != compact else (None, compact)


def _plain_latin(text: str, pieces: list[str], compact: str, raw_compact: str | None) -> NormalizedText:
    """normalize() of a plain text with a Latin letter or digit, whose compact form
    is known, from `pieces`, the text split at its dropped characters (runs of kept
    characters, an empty one between two dropped characters): `words` is its runs of
    kept characters, and its loose form the text with each dropped character in its
    loose form (the others are their own)."""
    # each run of separators is one space in words, none at the end; at the start
    # only when one is left in loose (which strips spaces: whitespace folds to " ")
    words = " ".join(filter(None, pieces))
    if not pieces[0]:  # the text starts with a dropped character
        for ch in text:
            if ch not in _PLAIN_DROP:
                break
            if _PLAIN_LOOSE[ch] != " ":
                words = " " + words
                break
    if " " in words:
        words = _SPACED_LETTER.sub("", words)
    return _normalized(text, _plain_loose(text), compact, words, raw_compact, pieces)


def _plain_loose(text: str) -> str:
    """The loose form of a plain text: each dropped character in its loose form (the
    others are their own), without translating every character."""
    if _changed_apart:
        # only the few dropped characters that change, each replaced at once (a map
        # over every dropped character and a join cost several times more)
        loose = text
        for ch, folded in _PLAIN_LOOSE_CHANGED.items():
            if ch in text:
                loose = loose.replace(ch, folded)
    else:
        loose = "".join([_PLAIN_LOOSE.get(ch, ch) for ch in text])
    if "  " in loose:
        loose = _SPACES.sub(" ", loose)
    if loose[:1] == " " or loose[-1:] == " ":
        loose = loose.strip(" ")
    return loose


def _loose(text: str, narrow: bool = False) -> str:
    """The loose form; `narrow`: the caller knows the text has no character above
    U+FFFF, so the list of the basic plane translates all of it."""
    if narrow:
        loose = text.translate(_LOOSE_PLANE)
        if _UNSEEN in loose:
            loose = _TO_LOOSE.learn(text)
    else:
        loose = _TO_LOOSE.translate(text)
    if "  " in loose:
        loose = _SPACES.sub(" ", loose)
    if loose[:1] == " " or loose[-1:] == " ":
        loose = loose.strip(" ")
    return loose


def _narrow(norm: NormalizedText) -> bool:
    """Whether the text has no character above U+FFFF (a basic plane's list then
    translates all of it), kept in the memo: loose and the maps ask."""
    memo = norm.memo
    found = memo.get(_narrow)
    if found is None:
        found = memo[_narrow] = _WIDE.search(norm.original) is None
    return found  # type: ignore[return-value]


def _narrow_translate(learnt: _Learnt, text: str, narrow: bool) -> str:
    """``learnt.translate(text)``, through its list when the text is `narrow`."""
    if narrow:
        out = text.translate(learnt.plane)
        return out if _UNSEEN not in out else learnt.learn(text)
    return learnt.translate(text)


def _loose_map(text: str, loose: str, narrow: bool = False) -> Sequence[int]:
    widths = _narrow_translate(_TO_LOOSE_WIDTH, text, narrow)
    if "\x02" not in widths:
        kept = len(widths) - widths.count("\x00")
        if kept == len(loose):  # nothing expanded, and no space collapsed or stripped
            if kept == len(text):
                return range(kept)  # one to one
            return tuple(compress(range(len(text)), widths.encode("ascii")))
    table = _LOOSE
    pos: list[int] = []
    last_space = True  # leading spaces are dropped, runs of spaces collapsed
    for i, ch in enumerate(text):
        out = table[ord(ch)]
        if out is None:
            continue
        if out == " ":
            if last_space:
                continue
            last_space = True
        else:
            last_space = False
        if len(out) == 1:
            pos.append(i)
        else:
            pos.extend([i] * len(out))
    return tuple(pos[: len(loose)])  # a trailing space is not in `loose`


def _compact_map(norm: NormalizedText) -> Sequence[int]:
    text = norm.original
    raw = norm._raw_compact
    pieces = norm._pieces
    if pieces is not None:
        # a plain text: compact (before homophones) is the text without its dropped
        # characters, one between each two pieces: each piece's run of positions, a
        # piece at a time (the width translation below costs about 400 instructions a
        # character)
        if raw is None and len(pieces) == 1:
            return range(len(text))
        pos = []
        at = 0
        for piece in pieces:
            end = at + len(piece)
            pos += range(at, end)
            at = end + 1
        if raw is not None:  # homophones replaced
            pos = _apply_homophones(raw, pos)[1] or []
        return tuple(pos)
    widths = _narrow_translate(_TO_COMPACT_WIDTH, text, _narrow(norm))
    if "\x02" not in widths:
        # no character gives more than one compact character: the kept ones, in order
        if raw is None:
            if "\x00" not in widths:
                return range(len(text))
            return tuple(compress(range(len(text)), widths.encode("ascii")))
        pos: list[int] | None = list(compress(range(len(text)), widths.encode("ascii")))
    else:
        loose, loose_map = norm.loose, norm.loose_map
        pos = [loose_map[i] for i, ch in enumerate(loose) if ch.isalnum() or ch == "+"]
    if raw is not None:  # homophones replaced
        pos = _apply_homophones(raw, pos)[1] or []
    return tuple(pos)  # type: ignore[arg-type]


def _apply_homophones(
    compact: str, cmap: list[int] | None
) -> tuple[str, list[int] | None]:
    """Contact homophones -> canonical spelling; the map follows when given."""
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
        repl = _HOMOPHONES[key]
        out.append(repl)
        if cmap is not None:
            omap.extend(cmap[pos:start])
            src = cmap[start:end]
            for j in range(len(repl)):
                omap.append(src[-1] if j == len(repl) - 1 else src[min(j, len(src) - 1)])
        pos = end
    out.append(compact[pos:])
    if cmap is None:
        return "".join(out), None
    omap.extend(cmap[pos:])
    return "".join(out), omap


def _words(
    chars: Sequence[str], cmap: Sequence[int], kinds: Sequence[int]
) -> tuple[str, list[int]]:
    """The `words` form of `loose` (its characters, their original positions and
    kinds) with its map: separators -> one space, spaced-out single Latin letters
    joined. `normalize` builds the same string with regular expressions; this
    runs only when the map is asked for."""
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

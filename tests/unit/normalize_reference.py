"""The previous implementation of plugins/charter/normalize.py, kept verbatim (as of
commit 68d50fa) as the reference the restructured normalize() is compared with
(tests/unit/test_normalize_reference.py): every form, map and span must be equal.
Not used by the bot. Original docstring follows.

One normalisation per message, shared by every content detector.

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
expressions. The position maps (form index -> original index) are only needed to
quote evidence, so they are computed on first use: a message no detector reports
never pays for them. Everything is pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["NormalizedText", "normalize", "fold_term", "is_latin_term"]

# The character tables and classification are the bot's own (one place for that
# knowledge); what is kept here is the previous way of building the forms and maps.
from plugins.charter.normalize import (  # noqa: E402
    _DROP,
    _HAS_LATIN,
    _HOMOPHONE_HINT,
    _KEEP,
    _SEP,
    _Table,
    _apply_homophones,
    _words,
    fold_term,
    is_latin_term,
)


# loose: fillers dropped, everything else folded
_LOOSE = _Table(lambda kind, out: None if kind == _DROP else out)
# characters whose loose form is not exactly one character (dropped or expanded)
_IRREGULAR = _Table(lambda kind, out: None if kind != _DROP and len(out) == 1 else "x")
_SPACES = re.compile(" {2,}")
# In `loose` a character is a separator exactly when its own category is not a
# letter or a digit (`\w` is letters, digits and "_"), '+' excepted: _classify
# gives every character of a folding one kind, the kind of its category.
_SEP_CHARS = re.compile(r"(?:[^\w+]|_)+")
# a separator between two single Latin characters vanishes ("f u c k" -> "fuck")
_SPACED_LETTER = re.compile(r"(?<![a-z0-9])([a-z0-9]) (?=[a-z0-9](?![a-z0-9]))")


class NormalizedText:
    """The normalised forms of one message, with maps back to the original text.

    `loose`, `compact` and `words` are computed at once; the maps
    (`loose_map`, `compact_map`, `words_map`: form index -> original index) on
    first use. `memo` is scratch space for values derived from this text alone
    (detectors cache per-message work there, keyed by their own objects).
    """

    __slots__ = ("original", "loose", "compact", "words", "memo",
                 "_raw_compact", "_loose_map", "_compact_map", "_words_map")

    def __init__(self, original: str, loose: str, compact: str, words: str,
                 raw_compact: str | None = None) -> None:
        self.original = original
        self.loose = loose
        self.compact = compact
        self.words = words
        self.memo: dict[object, object] = {}
        self._raw_compact = raw_compact  # compact before homophones, when they changed it
        self._loose_map: Sequence[int] | None = None
        self._compact_map: Sequence[int] | None = None
        self._words_map: Sequence[int] | None = None

    def __repr__(self) -> str:
        return f"NormalizedText({self.original!r}, compact={self.compact!r})"

    # -- maps, on first use -------------------------------------------------

    @property
    def loose_map(self) -> Sequence[int]:
        """loose index -> original index"""
        found = self._loose_map
        if found is None:
            found = self._loose_map = _loose_map(self.original, self.loose)
        return found

    @property
    def compact_map(self) -> Sequence[int]:
        """compact index -> original index"""
        found = self._compact_map
        if found is None:
            found = self._compact_map = _compact_map(
                self.loose, self.loose_map, self._raw_compact
            )
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
    loose = text.translate(_LOOSE)
    if "  " in loose:
        loose = _SPACES.sub(" ", loose)
    if loose[:1] == " " or loose[-1:] == " ":
        loose = loose.strip(" ")
    compact = _SEP_CHARS.sub("", loose)
    raw_compact = None
    if _HOMOPHONE_HINT.search(compact):
        replaced = _apply_homophones(compact, None)[0]
        if replaced != compact:
            raw_compact, compact = compact, replaced
    words = ""
    if _HAS_LATIN.search(loose):  # else no Latin term can match: skip the form
        words = _SEP_CHARS.sub(" ", loose).rstrip(" ")
        if " " in words:
            words = _SPACED_LETTER.sub(r"\1", words)
    return NormalizedText(text, loose, compact, words, raw_compact)


def _loose_map(text: str, loose: str) -> Sequence[int]:
    if len(loose) == len(text) and not text.translate(_IRREGULAR):
        return range(len(text))  # one to one: nothing dropped, expanded or collapsed
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


def _compact_map(loose: str, loose_map: Sequence[int], raw: str | None) -> Sequence[int]:
    if raw is None and loose.isalnum():
        return loose_map  # nothing to drop: compact is loose
    pos = [loose_map[i] for i, ch in enumerate(loose) if ch.isalnum() or ch == "+"]
    if raw is not None:  # homophones replaced
        pos = _apply_homophones(raw, pos)[1] or []
    return tuple(pos)

"""Regular expressions that skip the positions no match can start at.

Python's regex engine skips ahead to a possible start only when a pattern begins
with a literal, a character class or an alternation of literals. A pattern that
begins with a group of alternatives (the leave detector's long ones: an illness, a
day, then what follows) is tried in full at every position of the text: every
alternative, and every alternative of each group it starts with, about 2,500
instructions a position. `skipping` puts a look-ahead for the characters a match can
start with in front of such a pattern, so that at any other position one class test
fails the try (about 150 instructions). The matches are the same, spans and groups
included: the look-ahead consumes nothing and every match begins with one of those
characters. The characters are read from the pattern's own parse tree, so the
look-ahead follows every edit of the pattern; a pattern whose first characters
cannot be listed (it begins with a negated class, a category such as ``\\d``, any
character, or may match the empty string) is compiled as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
try:  # the regex engine's own parser: private, so a Python without it compiles plainly
    from re import _constants as _C  # type: ignore[attr-defined]
    from re import _parser as _P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - every Python this project supports has them
    _C = _P = None

# (characters a match can start with as code point ranges, whether it can be empty)
_Firsts = tuple[list[tuple[int, int]], bool]

_NO_CASE = re.IGNORECASE | re.LOCALE


def skipping(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, guarded by a look-ahead for its first
    characters when the regex engine would try it at every position."""
    compiled = re.compile(pattern, flags)
    ranges = first_chars(compiled) if _P is not None else None
    if ranges is None:
        return compiled
    return re.compile(f"(?=[{_class(ranges)}])(?:{pattern})", flags)


def first_chars(compiled: re.Pattern[str]) -> list[tuple[int, int]] | None:
    """The code point ranges every match of `compiled` starts in, or None when the
    engine skips ahead by itself (a leading literal or class) or they cannot be
    listed."""
    if compiled.flags & _NO_CASE:
        return None
    tree = _P.parse(compiled.pattern, compiled.flags)
    if _skips_itself(tree):
        return None
    found = _seq(tree)
    if found is None or found[1]:  # unknown, or a match may be empty (and start anywhere)
        return None
    return _merge(found[0])


def _skips_itself(tree: _P.SubPattern) -> bool:
    """What the engine's own prefix scan needs (re._compiler._compile_info): a first
    literal or class, or alternatives that each begin with a literal."""
    op, av = None, None
    while tree.data:
        op, av = tree.data[0]
        if op is not _C.SUBPATTERN:
            break
        tree = av[3]
    if op in (_C.LITERAL, _C.IN):
        return True
    return op is _C.BRANCH and all(alt.data and alt.data[0][0] is _C.LITERAL for alt in av[1])


def _seq(items: Iterable) -> _Firsts | None:
    ranges: list[tuple[int, int]] = []
    for op, av in items:
        found = _item(op, av)
        if found is None:
            return None
        ranges += found[0]
        if not found[1]:
            return ranges, False
    return ranges, True


def _item(op, av) -> _Firsts | None:  # noqa: ANN001
    if op is _C.LITERAL:
        return [(av, av)], False
    if op is _C.IN:
        ranges = []
        for item_op, item_av in av:
            if item_op is _C.LITERAL:
                ranges.append((item_av, item_av))
            elif item_op is _C.RANGE:
                ranges.append(item_av)
            else:  # NEGATE, CATEGORY
                return None
        return ranges, False
    if op is _C.BRANCH:
        ranges = []
        empty = False
        for alt in av[1]:
            found = _seq(alt)
            if found is None:
                return None
            ranges += found[0]
            empty = empty or found[1]
        return ranges, empty
    if op is _C.SUBPATTERN:
        _, add_flags, _, sub = av
        return None if add_flags & _NO_CASE else _seq(sub)
    if op is _C.ATOMIC_GROUP:
        return _seq(av)
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
        low, _, sub = av
        found = _seq(sub)
        return None if found is None else (found[0], found[1] or low == 0)
    if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
        return [], True  # zero width: the match starts with what follows
    return None  # any character, a negated literal, a category, a back-reference


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _class(ranges: list[tuple[int, int]]) -> str:
    return "".join(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
                   for lo, hi in ranges)

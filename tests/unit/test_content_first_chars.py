"""plugins/content/detectors/first_chars.py: a pattern guarded by a look-ahead for the
characters its matches start with finds exactly what the pattern alone finds, and the
characters are read from the pattern itself (a character left out would lose matches)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from plugins.charter.normalize import normalize
from plugins.content.detectors import ads, leave_requests
from plugins.content.detectors.first_chars import first_chars, skipping
from test_content_fastpath import _ALTERNATIVES, PIECES
from test_content_support import DEV, OWN, PROBES, load_jsonl

_GUARD = re.compile(r"\(\?=\[((?:\\.|[^\\\]])*)\]\)\(\?:(.*)\)", re.DOTALL)
# the project's patterns searched through a guard
GUARDED = {
    "leave _LEAVE": leave_requests._LEAVE,
    "leave _ILL_HOME": leave_requests._ILL_HOME,
    "ads _ASKED_HINT": ads._ASKED_HINT,
}


def _unguarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    found = _GUARD.fullmatch(pattern.pattern)
    assert found is not None, pattern.pattern[:60]
    return re.compile(found.group(2), pattern.flags)


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple]:
    return [(m.span(), m.groups(), m.groupdict()) for m in pattern.finditer(text)]


def _chars(ranges: list[tuple[int, int]] | None) -> set[str] | None:
    return None if ranges is None else {chr(c) for lo, hi in ranges for c in range(lo, hi + 1)}


@pytest.mark.parametrize(("pattern", "chars"), [
    ("ab|c|dy?", None),  # the engine skips to a literal or a class itself
    ("(?:ab|c)x|dy?", {"a", "c", "d"}),  # (it does not look into a group's alternatives)
    ("[a-c]x", None),
    ("(?:a|bc)?d", {"a", "b", "d"}),
    ("(?:(?:发烧|咳)[^。]{0,3}?在家|(?P<day>今天|明天)不送)", {"发", "咳", "今", "明"}),
    ("(?<!标)准(?:假|天)|请假", {"准", "请"}),  # look-behind: the match starts after it
    (r"(?:\b|(?=x))(?:x|yz)w", {"x", "y"}),
    ("(?:a*|b)c", {"a", "b", "c"}),
    ("(?:[a-f]|[d-k]x)y", {chr(c) for c in range(ord("a"), ord("k") + 1)}),
    ("(?:a|b)*", None),  # may be empty: a match can start anywhere
    (r"(?:\d|x)y", None),  # a category: not listed
    ("(?:[^x]|y)z", None),
    ("(?:.|y)z", None),
])
def test_first_characters_of_each_construct(pattern: str, chars: set[str] | None) -> None:
    assert _chars(first_chars(re.compile(pattern))) == chars


def test_no_guard_without_a_listed_set() -> None:
    for pattern in ("ab|cd", r"(?:\d|x)y", "(?:a|b)*"):
        assert skipping(pattern).pattern == pattern
    assert skipping("(?:a|bc)x", re.IGNORECASE).pattern == "(?:a|bc)x"


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_project_patterns_are_guarded_by_their_own_first_characters(name: str) -> None:
    """The long patterns are tried only where a match can start (what keeps the leave
    detector about half as costly), with the characters read from the pattern."""
    guarded = GUARDED[name]
    found = _GUARD.fullmatch(guarded.pattern)
    assert found is not None
    assert first_chars(_unguarded(guarded)) is not None
    assert skipping(_unguarded(guarded).pattern).pattern == guarded.pattern


def _texts() -> list[str]:
    rows = load_jsonl(OWN) + load_jsonl(DEV) + load_jsonl(PROBES)
    texts = [r["text"] for r in rows] + [t for ts in _ALTERNATIVES.values() for t in ts]
    return [normalize(t).compact for t in texts] + texts


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_guarded_patterns_find_the_same_on_the_labelled_sets(name: str) -> None:
    guarded = GUARDED[name]
    plain = _unguarded(guarded)
    found = 0
    for text in _texts():
        want = _matches(plain, text)
        assert _matches(guarded, text) == want, text
        found += bool(want)
    assert found > 20  # not vacuous


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES + [t for ts in _ALTERNATIVES.values() for t in ts]),
                min_size=1, max_size=6).map("".join))
def test_guarded_patterns_find_the_same_on_generated_messages(text: str) -> None:
    for guarded in GUARDED.values():
        for form in (text, normalize(text).compact):
            assert _matches(guarded, form) == _matches(_unguarded(guarded), form)


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcxyz请准假发烧咳在家今天不送。", max_size=12))
def test_guarded_constructs_find_the_same(text: str) -> None:
    for pattern in ("(?:a|bc)?x", "(?:(?:发烧|咳)[^。]{0,3}?在家|(?P<day>今天|明天)不送)", "(?<!z)(?:请|准)假|y+z",
                    "(?:(?=a)|b)(?:ab|bc)", "(?:a*|b)c"):
        assert _matches(skipping(pattern), text) == _matches(re.compile(pattern), text), pattern


def test_a_first_character_left_out_loses_matches() -> None:
    """The comparisons above fail on a guard that misses a character."""
    plain = _unguarded(leave_requests._ILL_HOME)
    chars = _chars(first_chars(plain))
    assert chars is not None and "发" in chars
    chars.discard("发")
    wrong = re.compile(f"(?=[{''.join(map(re.escape, sorted(chars)))}])(?:{plain.pattern})")
    assert any(_matches(wrong, text) != _matches(plain, text) for text in _texts())

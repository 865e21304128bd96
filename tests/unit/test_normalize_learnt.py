"""normalize._Learnt: the C-speed twin of a translate table gives exactly what the
classifying table gives, on first sight of a character, afterwards, and when the
table is full and keeps nothing more."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

import normalize_reference as ref
from plugins.charter import normalize as N
from test_content_support import DEV, OWN, load_jsonl

LABELLED = [r["text"] for r in load_jsonl(OWN) + load_jsonl(DEV)]


def _pair() -> tuple[N._Table, N._Learnt]:
    table = N._Table(lambda kind, out: None if kind == N._DROP else out)
    return table, N._Learnt(table)


@pytest.mark.parametrize("text", ["", "收到", "Ｈｅｌｌｏ，世界！", "學習\u200b 👍", "\uffff", "a\uffffb", "丶·。"])
def test_same_as_the_table_first_and_second_time(text: str) -> None:
    table, learnt = _pair()
    want = text.translate(table)
    assert learnt.translate(text) == want
    assert learnt.translate(text) == want  # now read from what it learnt
    assert N._UNSEEN not in learnt.known.values()


def test_a_full_table_is_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    table, learnt = _pair()
    monkeypatch.setattr(N, "_CACHE_LIMIT", 0)  # the table keeps nothing
    for _ in range(2):
        assert learnt.translate("Ａ學，b") == "a学,b"
    assert not learnt.known  # nothing learnt: every translation asks the table


# -- the compact table's list of the basic plane (normalize reads it) --------

def _plane_pair() -> tuple[N._Table, N._Learnt]:
    # the compact table's choice: separators dropped too
    table = N._Table(lambda kind, out: None if kind == N._DROP else (N._SEP_CHARS.sub("", out) or None))
    return table, N._Learnt(table, plane=True)


def test_the_plane_learns_what_the_table_answers() -> None:
    table, learnt = _plane_pair()
    text = "Ｈｅｌｌｏ，學習\u200b！"
    assert text.translate(learnt.plane) != text.translate(table)  # nothing learnt yet
    assert learnt.learn(text) == text.translate(table)
    assert text.translate(learnt.plane) == text.translate(table)  # read from the list now
    assert learnt.plane[ord("學")] == "学" and learnt.plane[ord("\u200b")] is None


def test_the_plane_learns_a_character_known_without_it() -> None:
    # a character `known` holds but the list not yet is learnt into the list the
    # first time the list misses it (not only characters new to both)
    table, learnt = _plane_pair()
    assert learnt.translate("學👍") == "学"  # learnt into both
    assert learnt.plane[ord("學")] == "学"
    learnt.plane[ord("學")] = N._UNSEEN
    assert "學".translate(learnt.plane) == N._UNSEEN
    assert learnt.learn("學") == "学" and learnt.plane[ord("學")] == "学"


def test_the_plane_passes_characters_above_the_basic_plane_untranslated() -> None:
    # why normalize translates through `known` a compact holding one
    _, learnt = _plane_pair()
    learnt.learn("🅰👍𠀀")
    assert "🅰👍𠀀".translate(learnt.plane) == "🅰👍𠀀"
    assert learnt.translate("🅰👍𠀀") == "a𠀀"


@pytest.mark.parametrize("text, compact", [
    ("🅰🅱c", "abc"),  # styled letters: Latin once translated by the full table
    ("a🅱", "ab"),  # after a Latin letter (the search for them starts at the first hint)
    ("看👍收到", "看收到"),  # an emoji, dropped
    ("收到🇨🇳", "收到cn"),  # regional indicators
    ("𠀀收到", "𠀀收到"),  # a letter above U+FFFF, kept
    ("薇🅧", "微信"),  # a contact homophone spelled with a styled letter
])
def test_normalize_translates_characters_above_the_basic_plane(text: str, compact: str) -> None:
    want = ref.normalize(text)
    assert want.compact == compact
    for _ in range(2):  # first sight, then from what the tables learnt
        norm = N.normalize(text)
        assert (norm.compact, norm.words) == (compact, want.words), text


@pytest.mark.parametrize("text", [
    "ok👍", "a🅱 c", "看👍 ok 收到", "🅰🅱c", "x𠀀y", "1 🇨🇳 2", "Ｈｉ😀！", "ok", "收到 ok",
])
def test_loose_through_the_plane_only_without_characters_above_it(text: str) -> None:
    # normalize reads the loose list only when the text has no character above U+FFFF
    want = ref.normalize(text)
    for _ in range(2):  # first sight, then from what the tables learnt
        norm = N.normalize(text)
        assert (norm.loose, norm.words) == (want.loose, want.words), text


@pytest.mark.parametrize("text", ["", "收到", "ok 收到", "加v 123", "🅰👍"])
def test_normalize_builds_what_the_class_call_builds(text: str) -> None:
    # normalize builds its result without calling the class: every slot is set, as
    # __init__ sets it
    norm = N.normalize(text)
    built = N.NormalizedText(norm.original, norm._loose, norm.compact, norm.words, norm._raw_compact,
                             norm._pieces)
    for slot in N.NormalizedText.__slots__:
        assert getattr(norm, slot) == getattr(built, slot), (text, slot)


@pytest.mark.parametrize("text", ["收到，谢谢老师！", "學習 ok_1", "Ｈｅｌｌｏ", "a\u200bb c", "👍收到"])
def test_plain_characters_are_their_own_compact_form_or_dropped(text: str) -> None:
    N.normalize(text)  # learnt by the compact table (and noted as plain) by now
    for ch in text:
        if ch in N._PLAIN:
            assert N._DROPPED.sub("", ch) == (N._COMPACT_PLANE[ord(ch)] or "")
    # any plain character passes, whether the pattern was compiled with it or not
    late = next(iter(N._PLAIN))
    assert N._is_plain(late)
    assert N.normalize(text).compact == ref.normalize(text).compact


# -- plain texts: compact by a split, loose and words from its pieces ----------

def _same_as_reference(text: str) -> None:
    want = ref.normalize(text)
    for _ in range(2):  # first sight, then from what the tables and plain sets learnt
        norm = N.normalize(text)
        assert (norm.compact, norm.words, norm.loose) == (want.compact, want.words, want.loose), text
        assert list(norm.compact_map) == list(want.compact_map), text
        assert list(norm.loose_map) == list(want.loose_map), text
        assert list(norm.words_map) == list(want.words_map), text


@pytest.mark.parametrize("text", [
    "，abc", " abc", " ，abc", "\n\tabc，", "abc，，def", "a b c，收到", "ok！", "8点到校。",
    "\u3000Ｈｉ", "…ok", "a\u200bb c", "ok❤️", "＿a", "收到 张子涵 1 2 3", "。。。", "加v 123",
])
def test_plain_texts_with_latin_letters(text: str) -> None:
    # leading separators stay in words only when one is left in loose (spaces are
    # stripped); a character that vanishes (zero-width, a variation selector) or
    # folds to "_" is not plain
    _same_as_reference(text)


PLAIN_ALPHABET = "ab z09 ，。,.!！？?：:\n\t、-@/（）…收到老师好加v\u3000"


@hsettings(max_examples=500, deadline=None)
@given(st.text(alphabet=PLAIN_ALPHABET, max_size=30))
def test_generated_plain_texts(text: str) -> None:
    _same_as_reference(text)


@pytest.mark.parametrize("late", ["boring", "kept"])
def test_characters_the_patterns_lag_behind(monkeypatch: pytest.MonkeyPatch, late: str) -> None:
    # a character learnt since _not_boring (or _not_plain_keep) was compiled is
    # looked up in its set: as if no character were in either pattern, every form
    # must be the same
    for text in ("收到，谢谢老师！", "今天作业：语文抄写。", "8点到校", "ok 收到", "加v 123", "👍收到"):
        N.normalize(text)  # learnt and noted as plain
    anything = N.re.compile(r"[\s\S]")
    monkeypatch.setattr(N, "_not_boring", anything)
    if late == "kept":
        monkeypatch.setattr(N, "_not_plain_keep", anything)
    monkeypatch.setattr(N, "_compile_plain", lambda: None)  # stays lagging
    for row in LABELLED[:300]:
        _same_as_reference(row)

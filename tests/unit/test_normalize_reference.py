"""normalize() against its previous implementation (normalize_reference.py, the
eager one: loose, then compact and words from it by regular expressions). The
restructured one builds compact straight from the text and loose only on first
use for messages without a Latin letter or digit; members, charters and every
content detector read these forms, so each form, map, span and excerpt must be
exactly the same, on the labelled sets and on generated text."""

from __future__ import annotations

from hypothesis import given, settings as hsettings, strategies as st

import normalize_reference as ref
from plugins.charter.normalize import fold_term, is_latin_term, normalize
from test_content_support import DEV, OWN, load_jsonl

LABELLED = [r["text"] for r in load_jsonl(OWN) + load_jsonl(DEV)]
EVASIVE = st.text(alphabet="傻逼 .。①ＡаαVv信薇加微+扣企鹅号qQ🐷\u200b\u0336請abcfuk 12\n\t¨ͺ㎏⑴!,_-x@:/wW、，",
                  max_size=60)


def _same(text: str) -> None:
    new, old = normalize(text), ref.normalize(text)
    # forms first, read in an order that leaves loose lazy until asked
    assert (new.compact, new.words) == (old.compact, old.words), text
    assert new.loose == old.loose, text
    assert list(new.loose_map) == list(old.loose_map), text
    assert list(new.compact_map) == list(old.compact_map), text
    assert list(new.words_map) == list(old.words_map), text
    for form, span_new, span_old in ((new.compact, new.span_compact, old.span_compact),
                                     (new.loose, new.span_loose, old.span_loose),
                                     (new.words, new.span_words, old.span_words)):
        for a in range(len(form)):
            for b in (a + 1, len(form)):
                assert span_new(a, b) == span_old(a, b), text
                assert new.excerpt(*span_new(a, b)) == old.excerpt(*span_old(a, b)), text
    assert fold_term(text) == ref.fold_term(text)
    assert is_latin_term(new.words) == ref.is_latin_term(old.words)


def test_labelled_messages_normalise_as_before() -> None:
    assert len(LABELLED) > 300
    for text in LABELLED:
        _same(text)


def test_maps_read_before_the_lazy_loose_are_the_same() -> None:
    for text in LABELLED[:200]:
        new, old = normalize(text), ref.normalize(text)
        assert list(new.compact_map) == list(old.compact_map)
        assert new.loose == old.loose


def test_pure_chinese_builds_loose_only_when_asked() -> None:
    norm = normalize("今天作业：语文抄写，数学练习册。")
    assert norm._loose is None and norm.words == ""
    assert norm.compact == "今天作业语文抄写数学练习册"
    assert norm.loose == "今天作业:语文抄写,数学练习册。"


def test_plain_texts_with_a_longer_loose_character_map_as_before() -> None:
    """A plain text's loose map is one to one only when no character gives several
    loose characters: an ellipsis ("…" -> "...") and spaces collapsed or stripped can
    leave its length as it was."""
    for text in (" 好…  了", "好…  了 ", "好…了", "  好…", "…", "好  了"):
        normalize(text)  # its characters learnt: plain from now on
        assert normalize(text)._pieces is not None, text
        _same(text)


@hsettings(max_examples=600, deadline=None)
@given(st.one_of(st.text(max_size=80), EVASIVE))
def test_generated_text_normalises_as_before(text: str) -> None:
    _same(text)


@hsettings(max_examples=400, deadline=None)
@given(st.text(max_size=90), st.integers(-10, 100), st.integers(-10, 100), st.integers(-2, 60))
def test_excerpts_are_the_same_for_any_span_and_limit(text: str, a: int, b: int, limit: int) -> None:
    assert normalize(text).excerpt(a, b, limit=limit) == ref.normalize(text).excerpt(a, b, limit=limit)

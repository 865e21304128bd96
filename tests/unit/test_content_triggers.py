"""The trigger words of the regex detectors (plugins/content/detectors/triggers.py)
must be necessary conditions: every match of a label's patterns holds one of its
words, or a pattern is skipped on a message it matches. test_content_fastpath.py
compares the gated engine with the ungated one, but the ads and leave detectors gate
their own patterns (each pattern of `_intent`, each class of offer cue, each of the
leave patterns) inside, in both engines alike: so each list is checked here against
its own patterns, for every string they can match (regex_words.word_free_match), on
labelled and generated messages, and by the detector's gated searches against
ungated ones. A missing word fails each."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

import plugins.content.lexicons as lexicons
from plugins.charter.normalize import fold_term, is_latin_term, normalize
from plugins.content.detectors import abuse, ads, leave_requests, student_privacy
from plugins.content.detectors.base import DetectContext
from plugins.content.detectors.triggers import (
    HINT_ABSENCE,
    HINT_ABUSE,
    HINT_ADS,
    HINT_LEAVE,
    HINT_OFFER,
    HINT_PRIVACY,
    TRIGGERS,
)
from plugins.content.lexicons import Lexicon, load_lexicon
from regex_words import word_free_match
from test_content_fastpath import _ALTERNATIVES
from test_content_support import DEV, OWN, PROBES, load_jsonl

LEX = load_lexicon()
# label -> the patterns its words gate (each searched in `compact`)
PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    **{HINT_OFFER[name]: (pattern,) for name, pattern in ads._OFFER_CUES},
    HINT_ADS["income"]: (ads._INCOME,),
    HINT_ADS["chain"]: (ads._CHAIN,),
    HINT_ADS["reward"]: (ads._REWARD,),
    HINT_ADS["boost"]: (ads._BOOST,),
    HINT_ADS["vote"]: (ads._VOTE,),
    HINT_LEAVE: (leave_requests._LEAVE,),
    HINT_ABSENCE: (leave_requests._ILL_HOME,),
    # searched in `loose`: its matches hold the word in `compact` too (which only drops separators)
    HINT_ABUSE: (abuse._LONE_GUN, abuse._QUOTED_GUN_AIMED),
    # searched (matched after a name) in the original text: a word in it is in `compact` too
    # (which drops separators and folds, and no homophone holds one of these words)
    HINT_PRIVACY: (student_privacy._HEADING, student_privacy._DEED, student_privacy._LOWER),
}


def test_every_label_is_checked() -> None:
    assert set(PATTERNS) == set(TRIGGERS)
    assert {name for name, _ in ads._OFFER_CUES} == set(HINT_OFFER)


def test_every_trigger_word_is_looked_for_in_compact_as_written() -> None:
    # what the checks below compare with: Presence folds a word and looks for it in
    # `compact` unless it is Latin only (then in `words`, on other terms)
    for words in TRIGGERS.values():
        for word in words:
            assert fold_term(word) == word and not is_latin_term(word), word


@pytest.mark.parametrize("label", sorted(PATTERNS))
def test_every_match_holds_a_trigger_word(label: str) -> None:
    for pattern in PATTERNS[label]:
        assert word_free_match(pattern, TRIGGERS[label]) is None, pattern.pattern[:60]


def test_every_told_absence_holds_a_leave_trigger_word() -> None:
    # leave_requests._told_absence runs only when the detector does: when a word of
    # either of its labels occurs
    words = TRIGGERS[HINT_ABSENCE] + TRIGGERS[HINT_LEAVE]
    assert word_free_match(leave_requests._TOLD_VERB, words) is None
    assert word_free_match(leave_requests._TOLD_VERB, tuple(w for w in words if w != "不让他去")) is not None


def test_privacy_words_are_in_compact_whenever_in_the_original_text() -> None:
    # student_privacy searches the original text: a word there is in `compact` too, which
    # drops separators, folds (these words fold to themselves) and rewrites contact
    # homophones (none holds a character of these words)
    from plugins.charter import normalize as normalize_module

    chars = {c for word in TRIGGERS[HINT_PRIVACY] for c in word}
    for variant, canonical in normalize_module._HOMOPHONES.items():
        assert not chars & set(variant + canonical), variant
    for word in TRIGGERS[HINT_PRIVACY]:
        assert normalize(f"，{word}。").compact == word


def test_compact_has_ascii_digits_only() -> None:
    # what word_free_match assumes of `\d`: normalize folds every other digit
    odd = [c for c in map(chr, range(0x110000))
           if not c.isascii() and any(d.isdecimal() for d in unicodedata.normalize("NFKC", c))]
    assert len(odd) > 500
    for c in odd:
        assert all(d.isascii() for d in normalize(c).compact if d.isdecimal()), c


@pytest.mark.parametrize("label", sorted(PATTERNS))
def test_a_missing_word_leaves_a_match_without_one(label: str) -> None:
    # the proof is not vacuous: without a needed word, a string the pattern matches
    # holds none of the rest
    words = TRIGGERS[label]
    needed = 0
    for word in words[:: max(1, len(words) // 12)]:
        rest = [w for w in words if w != word]
        witness = next(filter(None, (word_free_match(p, rest) for p in PATTERNS[label])), None)
        if witness is not None:
            assert any(p.search(witness) for p in PATTERNS[label]), witness
            assert not any(w in witness for w in rest), witness
            needed += 1
    assert needed


def _holds_its_words(text: str, triggers: dict[str, tuple[str, ...]] = TRIGGERS) -> int:
    """Every match of every gated pattern, from each position of the text's compact
    form, holds one of its label's words. Returns how many matches it checked."""
    compact = normalize(text).compact
    found = 0
    for label, patterns in PATTERNS.items():
        words = triggers[label]
        for pattern in patterns:
            for i in range(len(compact)):
                m = pattern.match(compact, i)
                if m is not None:
                    assert any(w in m.group() for w in words), (label, text, m.group())
                    found += 1
    return found


def test_matches_in_the_labelled_sets_hold_their_words() -> None:
    texts = [r["text"] for r in load_jsonl(OWN) + load_jsonl(DEV) + load_jsonl(PROBES)]
    assert sum(_holds_its_words(text) for text in texts) > 500


# pieces of messages: every trigger word, the alternatives the fast path's tests
# spell out, and the pieces the patterns are made of
PIECES = sorted({w for words in TRIGGERS.values() for w in words}) + [
    *_ALTERNATIVES["content.ads"], *_ALTERNATIVES["content.leave_requests"],
    *"0123456789一二三四五六七八九十两几半百千万", "元", "块", "钱", "送", "享", "受", "折", "价", "格", "的", "了", "个",
    "我", "我们", "这边", "有", "在", "做", "卖", "年", "月", "天", "斤", "盒", "张", "节", "课", "分", "人", "号",
    "群里", "本群", "家长", "报名", "每人", "一", "每", "才", "不到", "，", "？", "。", " ", "a",
]
TEXTS = st.one_of(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join), st.text(max_size=30))


@hsettings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_matches_in_generated_messages_hold_their_words(text: str) -> None:
    _holds_its_words(text)


def _searched(lexicon: Lexicon, text: str) -> tuple[object, object]:
    """(gated, ungated) offer cues and intent of a message: the detector's own
    searches, with the message's presence mask and with every bit set."""
    norm = normalize(text)
    bits = lexicon.group_bits(ads._GROUPS)
    present = lexicon.presence().mask(norm)
    ctx = DetectContext.build(lexicon=lexicon)
    terms = present & bits["ads"]
    return ((ads._cues(norm, present, bits), ads._intent(norm, ctx, terms, present, bits)),
            (ads._cues(norm, -1, bits), ads._intent(norm, ctx, terms, -1, bits)))


def test_gated_searches_find_what_ungated_ones_do_on_the_labelled_sets() -> None:
    found = 0
    for row in load_jsonl(OWN) + load_jsonl(DEV) + load_jsonl(PROBES):
        gated, ungated = _searched(LEX, row["text"])
        assert gated == ungated, row["text"]
        found += bool(ungated[0]) + (ungated[1] is not None)
    assert found > 200


@hsettings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_gated_searches_find_what_ungated_ones_do(text: str) -> None:
    gated, ungated = _searched(LEX, text)
    assert gated == ungated, text


def test_a_missing_word_would_hide_a_cue(monkeypatch: pytest.MonkeyPatch) -> None:
    # what the tests above guard against: a price class without 元可 skips the price
    # of "99元可拍10张" (no other word of the class is in it)
    price = HINT_OFFER["price"]
    reduced = {**TRIGGERS, price: tuple(w for w in TRIGGERS[price] if w != "元可")}
    text = "99元可拍10张"
    assert word_free_match(ads._OFFER_CUES[0][1], reduced[price]) is not None
    with pytest.raises(AssertionError):
        _holds_its_words(text, reduced)
    monkeypatch.setattr(lexicons, "TRIGGERS", reduced)
    lexicon = replace(LEX, _matchers={}, _presence=None, _group_bits={})
    gated, ungated = _searched(lexicon, text)
    assert [c.term for c in ungated[0]] == ["price"]
    assert gated[0] == []


# -- the leave detector: each of its two patterns behind its own words ---------

def _leave_searched(lexicon: Lexicon, text: str) -> tuple[object, object]:
    """(gated, ungated) hits of the leave detector: its patterns searched when their
    own words occur, and always."""
    norm = normalize(text)
    ctx = DetectContext.build(lexicon=lexicon)
    present = lexicon.presence().mask(norm)
    bits = lexicon.group_bits(leave_requests._HINTS)
    gated = leave_requests._request(norm, ctx, present & bits[HINT_ABSENCE] != 0, present & bits[HINT_LEAVE] != 0)
    return gated, leave_requests._request(norm, ctx, True, True)


def test_leave_gated_searches_find_what_ungated_ones_do_on_the_labelled_sets() -> None:
    found = 0
    for row in load_jsonl(OWN) + load_jsonl(DEV) + load_jsonl(PROBES):
        gated, ungated = _leave_searched(LEX, row["text"])
        assert gated == ungated, row["text"]
        found += bool(ungated)
    assert found > 50


@hsettings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_leave_gated_searches_find_what_ungated_ones_do(text: str) -> None:
    gated, ungated = _leave_searched(LEX, text)
    assert gated == ungated, text


def test_a_missing_word_would_hide_an_absence(monkeypatch: pytest.MonkeyPatch) -> None:
    # an absence list without 在家 skips _ILL_HOME on "孩子发烧了，在家观察" (no other
    # word of the list is in it), though the message holds a word of the leave list
    text = "孩子发烧了，在家观察，不能到校"
    reduced = {**TRIGGERS, HINT_ABSENCE: tuple(w for w in TRIGGERS[HINT_ABSENCE] if w != "在家")}
    with pytest.raises(AssertionError):
        _holds_its_words(text, reduced)
    monkeypatch.setattr(lexicons, "TRIGGERS", reduced)
    lexicon = replace(LEX, _matchers={}, _presence=None, _group_bits={})
    gated, ungated = _leave_searched(lexicon, text)
    assert [h.kind for h in ungated] == ["leave"] and ungated[0].evidence == text
    assert (ungated[0].start, ungated[0].end) == (2, 10)  # the absence (发烧了，在家观察), not 不能到校
    assert gated != ungated

"""The one normalisation every content detector reads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from plugins.charter.normalize import fold_term, is_latin_term, normalize


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("傻 逼", "傻逼"),  # split by a space
        ("傻.逼", "傻逼"),  # by a dot
        ("傻🐷逼", "傻逼"),  # by an emoji
        ("傻\u200b逼", "傻逼"),  # zero-width space
        ("傻\u3164逼", "傻逼"),  # Hangul filler
        ("傻\u0336逼", "傻逼"),  # combining mark
        ("ＳＢ", "sb"),  # full-width
        ("①②③", "123"),  # circled digits
        ("❶❷➌", "123"),  # negative circled digits
        ("𝟏𝟐𝟑", "123"),  # mathematical digits
        ("賭場", "赌场"),  # traditional
        ("請假", "请假"),
        ("сaзино", "caзиho"),  # Cyrillic look-alikes folded where they exist
        ("薇信", "微信"),  # spam homophones
        ("威信", "微信"),
        ("V信", "微信"),
        ("vx", "微信"),
        ("➕V", "加微信"),
        ("加v", "加微信"),
        ("扣扣", "qq"),
        ("企鹅号", "qq号"),
        ("〇", "0"),
    ],
)
def test_evasions_fold_to_one_form(text: str, compact: str) -> None:
    assert normalize(text).compact == compact


def test_words_form_keeps_boundaries_and_joins_spaced_letters() -> None:
    assert normalize("Have a nice day").words == "have a nice day"
    assert normalize("f u c k you").words == "fuck you"
    assert normalize("h.t.t.p.s").words == "https"
    assert normalize("傻逼").words == ""


def test_vx_inside_a_word_is_not_wechat() -> None:
    assert "微信" not in normalize("vxlan").compact


def test_loose_keeps_dots_for_links() -> None:
    assert normalize("ｗｗｗ．ＧＯＯＤ．cn").loose == "www.good.cn"


@pytest.mark.parametrize("text", ["傻 逼家长", "加V：abc_123", "①③⑧ 0000 1111", "請假一天"])
def test_map_back_quotes_the_original(text: str) -> None:
    norm = normalize(text)
    start, end = norm.span_compact(0, len(norm.compact))
    assert norm.original[start:end] in text
    assert norm.excerpt(start, end) in text


def test_homophone_span_maps_to_the_variant_as_written() -> None:
    norm = normalize("请加薇信abc")
    i = norm.compact.index("微信")
    start, end = norm.span_compact(i, i + 2)
    assert norm.original[start:end] == "薇信"


def test_excerpt_is_limited_and_a_substring() -> None:
    text = "前" * 100 + "坏词" + "后" * 100
    norm = normalize(text)
    ex = norm.excerpt(100, 102, limit=20)
    assert len(ex) == 20 and "坏词" in ex and ex in text
    assert norm.excerpt(0, 200, limit=10) == text[:10]


def test_fold_term() -> None:
    assert fold_term("傻 B") == "傻b"
    assert fold_term("Fuck") == "fuck"
    assert is_latin_term("kill you") and not is_latin_term("av女优")


def test_empty_and_blank() -> None:
    for text in ("", "   ", "\u200b\u200b", "\n\n"):
        norm = normalize(text)
        assert norm.compact == "" and norm.excerpt(0, 0) in text


PATHOLOGICAL = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=500),
    st.builds(lambda c, n: c * n, st.characters(), st.integers(0, 5000)),
    st.builds(lambda n: str(n), st.integers(min_value=10**30, max_value=10**60)),
    st.text(alphabet="傻逼 .①ＡаαV信薇加+🐷\u200b\u0336請", max_size=300),
)


@hsettings(max_examples=150, deadline=None)
@given(PATHOLOGICAL)
def test_normalize_never_raises_and_maps_stay_inside(text: str) -> None:
    norm = normalize(text)
    for form, pos in ((norm.loose, norm.loose_map), (norm.compact, norm.compact_map),
                      (norm.words, norm.words_map)):
        assert len(form) == len(pos)
        assert all(0 <= p < len(text) for p in pos)
        assert list(pos) == sorted(pos)
    if norm.compact:
        s, e = norm.span_compact(0, len(norm.compact))
        assert 0 <= s <= e <= len(text)


@hsettings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.integers(-10, 400), st.integers(-10, 400), st.integers(1, 80))
def test_excerpt_is_always_a_substring(text: str, a: int, b: int, limit: int) -> None:
    ex = normalize(text).excerpt(a, b, limit=limit)
    assert ex in text and len(ex) <= limit


def test_one_megabyte() -> None:
    text = ("家长好，请加薇信abc123 看 w w w . x . c o m ① " * 30000)[:1_000_000]
    norm = normalize(text)
    assert len(norm.original) == 1_000_000 and norm.compact

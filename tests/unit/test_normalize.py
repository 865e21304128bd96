"""The one normalisation every content detector reads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from plugins.charter import normalize as N
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
        ("加微信", "加微信"),  # the canonical spelling itself, not 加微信信 (加微 is a variant)
        ("加微信号发我", "加微信号发我"),
        ("加 微 123", "加微信123"),
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


# -- the fast path against the per-character definition ----------------------

def _reference(text: str) -> tuple:
    """The forms and maps by their definition, one character at a time (what
    normalize() computed eagerly before it used translate tables, regular
    expressions and lazy maps)."""
    chars: list[str] = []
    pos: list[int] = []
    kinds: list[int] = []
    last_space = True
    for i, ch in enumerate(text):
        kind, out = N._char(ch)
        if kind == N._DROP:
            continue
        if out == " ":
            if last_space:
                continue
            last_space = True
        else:
            last_space = False
        for part in out:
            chars.append(part)
            pos.append(i)
            kinds.append(kind)
    while chars and chars[-1] == " ":
        chars.pop(), pos.pop(), kinds.pop()
    compact_chars = [c for c, k in zip(chars, kinds) if k != N._SEP]
    compact_map: list[int] | None = [p for p, k in zip(pos, kinds) if k != N._SEP]
    compact, compact_map = N._apply_homophones("".join(compact_chars), compact_map)
    words, words_map = ("", [])
    if any(N._is_latin(c) for c in chars):
        words, words_map = N._words(chars, pos, kinds)
    return ("".join(chars), pos, compact, compact_map, words, words_map)


def _fast(text: str) -> tuple:
    norm = normalize(text)
    return (norm.loose, list(norm.loose_map), norm.compact, list(norm.compact_map or ()),
            norm.words, list(norm.words_map))


EVASIVE = st.text(alphabet="傻逼 .。①ＡаαVv信薇加+🐷\u200b\u0336請abcfuk 12\n\t¨ͺ㎏⑴!,_-x@:/wW",
                  max_size=60)


@hsettings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=80), EVASIVE))
def test_fast_forms_and_lazy_maps_equal_the_definition(text: str) -> None:
    ref = _reference(text)
    assert _fast(text)[:5:2] == ref[:5:2]  # forms
    assert _fast(text) == (ref[0], ref[1], ref[2], ref[3] or [], ref[4], ref[5])


@hsettings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=80), EVASIVE), st.data())
def test_lazy_maps_quote_what_eager_maps_quote(text: str, data: st.DataObject) -> None:
    norm = normalize(text)
    ref = _reference(text)
    for form, eager, span in ((ref[0], ref[1], norm.span_loose), (ref[2], ref[3], norm.span_compact),
                              (ref[4], ref[5], norm.span_words)):
        if not form:
            continue
        a = data.draw(st.integers(0, len(form) - 1))
        b = data.draw(st.integers(a + 1, len(form)))
        start, end = span(a, b)
        assert (start, end) == (eager[a], eager[b - 1] + 1)
        assert norm.excerpt(start, end) == normalize(text).excerpt(eager[a], eager[b - 1] + 1)


def test_maps_are_computed_only_when_asked() -> None:
    norm = normalize("傻 逼家长")
    assert norm._loose_map is None and norm._compact_map is None
    assert norm.original[slice(*norm.span_compact(0, 2))] == "傻 逼"
    assert norm._compact_map is not None and norm._words_map is None


@pytest.mark.parametrize(
    ("text", "compact"),
    [("㏂", "am"), ("⑴⑶⑻", "138"), ("℡", "tel"), ("a¨b", "ab"), ("ͺ", "i")],
)
def test_multi_character_foldings_have_one_kind(text: str, compact: str) -> None:
    # letters and digits of a folding are kept, its punctuation and spacing accents dropped
    assert normalize(text).compact == compact


HOMOPHONE_PIECES = st.lists(
    st.sampled_from([*N._HOMOPHONE_KEYS, *{k[0] for k in N._HOMOPHONE_KEYS}, *{k[1:] for k in N._HOMOPHONE_KEYS},
                     "参加", "微笑", "www", "a", "1", "的"]),
    max_size=6,
).map("".join)


@hsettings(max_examples=300)
@given(st.one_of(HOMOPHONE_PIECES, st.text(max_size=40)), st.integers(0, 8))
def test_homophone_search_finds_exactly_what_the_automaton_finds(text: str, pos: int) -> None:
    # normalize rewrites homophones only when _HOMOPHONE_ANY finds one: it must find
    # one exactly when a key occurs (from any position it searches from)
    assert (N._HOMOPHONE_ANY.search(text, pos) is not None) == any(
        key in text[pos:] for key in N._HOMOPHONE_KEYS
    )


PLAIN_LATIN = st.lists(
    st.sampled_from(["作业", "第20页", "abc", "a", "b", "1", "，", "！", "：", "？", "．", "。", " ", "\u3000",
                     "、", "-", ".", ":", "/", "《", "》", "QQ", "好", "\n", "\t"]),
    min_size=1, max_size=10,
).map("".join)


@hsettings(max_examples=300)
@given(PLAIN_LATIN)
def test_plain_loose_by_replacement_equals_the_map(text: str) -> None:
    # _plain_latin replaces the dropped characters that change one by one when no
    # loose form holds another of them (_changed_apart), else maps each, and reads
    # words from normalize's own split (leading dropped characters included): the
    # forms by their definition either way
    norm = normalize(text)
    fast = (norm.loose, norm.compact, norm.words)
    apart = N._changed_apart
    try:
        N._changed_apart = False
        mapped = normalize(text)
    finally:
        N._changed_apart = apart
    assert (mapped.loose, mapped.compact, mapped.words) == fast
    assert _fast(text)[:5:2] == _reference(text)[:5:2]  # every form by its definition

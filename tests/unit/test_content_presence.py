"""The presence gate: one overlapping pass over every lexicon term tells which
categories occur in a message; a matcher behind it must report exactly what it
reports without it."""

from __future__ import annotations

from hypothesis import given, settings as hsettings, strategies as st

from plugins.charter.normalize import normalize
from plugins.content.detectors.terms import Presence, Term, TermMatcher
from plugins.content.lexicons import load_lexicon

LEX = load_lexicon()
GROUPS = ("abuse", "banned", "context/prevention", "ads/strong", "ads/recruiting", "ads/selling",
          "ads/commercial", "ads/contact", "privacy/negative", "privacy/praise", "privacy/award",
          "privacy/exam")
UNGATED = {g: TermMatcher(LEX.terms(g), LEX.allow) for g in GROUPS}
# pieces of real terms and allow phrases, so generated messages often contain some
PIECES = sorted({t.text for ts in LEX.categories.values() for t in ts} | set(LEX.allow))[::7]
MESSAGES = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(["，", " ", "。", "家长", "a", "1"])),
             max_size=8).map("".join),
)


@hsettings(max_examples=300, deadline=None)
@given(MESSAGES)
def test_gated_matchers_find_what_ungated_ones_find(text: str) -> None:
    norm = normalize(text)
    for group in GROUPS:
        assert LEX.matcher(group).find(norm) == UNGATED[group].find(normalize(text)), group
        if not LEX.present(norm, group):
            assert UNGATED[group].find(norm) == []


def test_presence_names_the_categories_that_occur() -> None:
    norm = normalize("加 薇 信领取，包邮特价")
    labels = LEX.presence().labels(norm)
    assert {"ads/selling", "ads/commercial"} <= labels
    assert not any(label.startswith("banned/") for label in labels)
    assert LEX.presence().labels(normalize("收到，谢谢老师")) == frozenset()


def test_allow_phrases_still_neutralise_behind_the_gate() -> None:
    presence = Presence([Term("垃圾", "abuse/insult")], ["垃圾分类"])
    gated = TermMatcher([Term("垃圾", "abuse/insult")], ["垃圾分类"], gate=presence)
    assert gated.find(normalize("垃圾分类手抄报")) == []
    assert gated.find(normalize("你这个垃圾"))
    assert not gated.find(normalize("收到"))


def test_a_gate_without_the_terms_would_hide_them() -> None:
    # the gate must index a superset of the matcher's terms: this is what the test above relies on
    gated = TermMatcher([Term("垃圾", "abuse/insult")], gate=Presence([Term("别的", "x")]))
    assert gated.find(normalize("你这个垃圾")) == []

"""normalize._Learnt: the C-speed twin of a translate table gives exactly what the
classifying table gives, on first sight of a character, afterwards, and when the
table is full and keeps nothing more."""

from __future__ import annotations

import pytest

from plugins.charter import normalize as N


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

"""Senders' detection contexts are kept for the whole process within one bound, not
per class: 5,000 classes' members would otherwise each hold an entry."""

from __future__ import annotations

import pytest

from plugins.content import engine as engine_module
from plugins.content.engine import ContentEngine
from test_content_support import all_settings, message

ROSTER = ["张子涵", "李思远", "王梓萱"]


def test_sender_contexts_stay_within_the_bound_and_stay_correct(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "SENDERS_KEPT", 20)
    monkeypatch.setattr(engine_module, "_sender_contexts", {})
    classes = [ContentEngine(all_settings(), roster_names=ROSTER) for _ in range(3)]
    for n in range(30):
        for engine in classes:
            engine.check(message("收到，谢谢老师", user=str(n), name=f"家长{n}", mid=f"m{n}"))
    assert len(engine_module._sender_contexts) == 20
    # evicted or not, a parent's own child is still theirs: no privacy hit
    own = message("张子涵这次没及格，我会好好辅导", name="张子涵妈妈", mid="own")
    other = message("张子涵这次没及格", name="李思远爸爸", mid="other")
    for _ in range(2):  # computed, then from the cache
        assert not [h for h in classes[0].check(own) if h.rule_id == "content.student_privacy"]
        assert [h for h in classes[0].check(other) if h.rule_id == "content.student_privacy"]


def test_engines_do_not_share_contexts_of_different_rosters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "_sender_contexts", {})
    with_child = ContentEngine(all_settings(), roster_names=ROSTER)
    without = ContentEngine(all_settings(), roster_names=["陈浩然"])
    name = "张子涵妈妈"
    assert with_child.context_for(message("好的", name=name)).own_students == frozenset({"张子涵"})
    assert without.context_for(message("好的", name=name)).own_students == frozenset()

"""Senders' detection contexts are kept for the whole process within one bound, not
per class: 5,000 classes' members would otherwise each hold an entry."""

from __future__ import annotations

import pytest

from plugins.content import engine as engine_module
from plugins.content.engine import ContentEngine
from plugins.membership.bounded import RecentlyUsed
from test_content_support import all_settings, message

ROSTER = ["张子涵", "李思远", "王梓萱"]


def test_sender_contexts_stay_within_the_bound_and_stay_correct(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "_sender_contexts", RecentlyUsed(20))
    classes = [ContentEngine(all_settings(), roster_names=ROSTER) for _ in range(3)]
    for n in range(30):
        for engine in classes:
            engine.check(message("收到，谢谢老师", user=str(n), name=f"家长{n}", mid=f"m{n}"))
            engine.check(message("收到", name="张子涵妈妈", mid=f"r{n}"))  # a regular, every time
        assert len(engine_module._sender_contexts) <= 20
    assert len(engine_module._sender_contexts) >= 10
    # a sender seen again and again stays cached however many others come and go
    key = (classes[0]._number, message("x").sender.role, "张子涵妈妈")
    assert engine_module._sender_contexts.get(key, None) is not None
    assert engine_module._sender_contexts.get((classes[0]._number, key[1], "家长0"), None) is None
    # evicted or not, a parent's own child is still theirs: no privacy hit
    own = message("张子涵这次没及格，我会好好辅导", name="张子涵妈妈", mid="own")
    other = message("张子涵这次没及格", name="李思远爸爸", mid="other")
    for _ in range(2):  # computed, then from the cache
        assert not [h for h in classes[0].check(own) if h.rule_id == "content.student_privacy"]
        assert [h for h in classes[0].check(other) if h.rule_id == "content.student_privacy"]


def test_engines_do_not_share_contexts_of_different_rosters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "_sender_contexts", RecentlyUsed(100))
    with_child = ContentEngine(all_settings(), roster_names=ROSTER)
    without = ContentEngine(all_settings(), roster_names=["陈浩然"])
    name = "张子涵妈妈"
    assert with_child.context_for(message("好的", name=name)).own_students == ("张子涵",)
    assert without.context_for(message("好的", name=name)).own_students == ()


def test_senders_with_the_same_children_share_one_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """One context per distinct (role, own children) of a class, not one per sender."""
    monkeypatch.setattr(engine_module, "_sender_contexts", RecentlyUsed(100))
    engine = ContentEngine(all_settings(), roster_names=ROSTER)
    mum = engine.context_for(message("好的", user="1", name="张子涵妈妈"))
    dad = engine.context_for(message("好的", user="2", name="子涵爸爸 张子涵"))
    both = engine.context_for(message("好的", user="3", name="王梓萱 张子涵 家长"))
    both_again = engine.context_for(message("好的", user="4", name="张子涵、王梓萱的妈妈"))
    nobody = [engine.context_for(message("好的", user=str(n), name=f"家长{n}")) for n in range(5, 9)]
    assert mum is dad and mum.own_students == ("张子涵",)
    assert both is both_again and both.own_students == ("张子涵", "王梓萱")
    assert all(ctx is nobody[0] for ctx in nobody) and nobody[0].own_students == ()

"""The per-member caches stay within their bounds, and an answer evicted and computed
again is the same answer: eviction costs a recomputation, never a different verdict."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from plugins.charter.config import load_class_file
from plugins.charter.model import Role
from plugins.charter.roster import Roster
from plugins.charter.runtime import QUOTED_CHARS, RecentMessages
from plugins.membership.bounded import MISSING, RecentlyUsed
from plugins.membership import identity
from plugins.membership.identity import _ClassNames, person_key_for
from plugins.membership.names import CheckedNames
from plugins.membership.naming import NameCode

ROOT = Path(__file__).resolve().parents[2]
CLASS = load_class_file(ROOT / "config" / "classes" / "g3c2.toml", ROOT / "config")


# --- the bounded map ----------------------------------------------------------------


def test_recently_used_never_holds_more_than_its_limit() -> None:
    cache: RecentlyUsed[int, int] = RecentlyUsed(10)
    for n in range(1000):
        cache.put(n, n)
        assert len(cache) <= 10
    assert cache.get(999) == 999  # the newest is kept


def test_an_entry_in_use_survives_and_an_unused_one_goes() -> None:
    cache: RecentlyUsed[str, int] = RecentlyUsed(10)
    cache.put("busy", 1)
    cache.put("idle", 2)
    for n in range(100):
        cache.put(f"other{n}", n)
        if n % 4 == 0:  # used again well before limit // 2 others are added
            assert cache.get("busy") == 1
    assert cache.get("busy") == 1
    assert cache.get("idle") is MISSING


def test_none_is_a_value_and_pop_forgets() -> None:
    cache: RecentlyUsed[str, str | None] = RecentlyUsed(4)
    cache.put("a", None)
    assert cache.get("a") is None
    assert cache.get("b") is MISSING and cache.get("b", "x") == "x"
    cache.pop("a")
    assert cache.get("a") is MISSING
    cache.put("c", "1")
    cache.put("c", "2")  # replaced, not added twice
    assert cache.get("c") == "2" and len(cache) == 1


def test_a_limit_of_one_still_answers() -> None:
    cache: RecentlyUsed[str, int] = RecentlyUsed(1)
    cache.put("a", 1)
    assert cache.get("a") == 1
    cache.put("b", 2)
    assert len(cache) == 1 and cache.get("b") == 2 and cache.get("a") is MISSING


# --- names checked --------------------------------------------------------------------


def test_checked_names_answer_per_class_account_and_name() -> None:
    checked = CheckedNames(limit=100)
    checked.remember("g3c2", "qq:1", "张子涵妈妈")
    assert checked.seen("g3c2", "qq:1", "张子涵妈妈")
    assert not checked.seen("g3c2", "qq:1", "张子涵爸爸")  # renamed: checked again
    assert not checked.seen("g3c1", "qq:1", "张子涵妈妈")  # another class
    assert not checked.seen("g3c2", "qq:2", "张子涵妈妈")  # another account
    assert not checked.seen("g3c2", "wechat:1", "张子涵妈妈")
    checked.forget("g3c2", "qq:1")
    assert not checked.seen("g3c2", "qq:1", "张子涵妈妈")


def test_checked_names_are_bounded_and_an_evicted_member_is_checked_again() -> None:
    checked = CheckedNames(limit=50)
    for n in range(500):
        checked.remember("g3c2", f"qq:{n}", f"家长{n}")
        assert checked.entries() <= 50
    assert checked.seen("g3c2", "qq:499", "家长499")
    # the first members are gone: their next message is a first sight again
    assert not checked.seen("g3c2", "qq:0", "家长0")


def test_a_class_and_account_that_would_run_together_stay_apart() -> None:
    checked = CheckedNames(limit=10)
    checked.remember("a", "b:c", "名字")
    checked.remember("1:a", "1:b", "名字")
    assert not checked.seen("a:b", "c", "名字")
    assert not checked.seen("a\n", "b:c", "名字")
    assert not checked.seen("1:a1", ":b", "名字")
    assert checked.seen("a", "b:c", "名字") and checked.seen("1:a", "1:b", "名字")


# --- person keys of display names ---------------------------------------------------------


def test_person_keys_evicted_and_asked_again_are_the_same() -> None:
    names = ["张子涵妈妈", "周雨桐爸爸", "张子涵", "语文李强", "陌生人", "胡一鸣的妈妈", "周雨桐-爸爸", "Sunshine"]
    real_name, rules = CLASS.settings("membership.real_name"), CLASS.settings("membership.roster")
    expected = {n: person_key_for(n, CLASS.roster, real_name, rules, Role.UNKNOWN) for n in names}
    assert expected["张子涵妈妈"] == "guardian:张子涵:妈妈" and expected["陌生人"] is None
    keys = _ClassNames(limit=3, verdicts=2)  # far fewer than the names: every round evicts
    for _ in range(3):
        for name in names:
            assert keys.person_key(CLASS, name) == expected[name]
            assert keys.entries() <= 3


def test_person_keys_follow_a_changed_roster() -> None:
    keys = _ClassNames(limit=100)
    assert keys.person_key(CLASS, "张子涵妈妈") == "guardian:张子涵:妈妈"
    without = dataclasses.replace(CLASS, roster=Roster(tuple(s for s in CLASS.roster.students if s != "张子涵"),
                                                       CLASS.roster.teachers, CLASS.roster.staff))
    assert keys.person_key(without, "张子涵妈妈") is None  # judged afresh, not the kept answer
    assert keys.person_key(CLASS, "张子涵妈妈") == "guardian:张子涵:妈妈"  # and back again


def test_a_first_message_checks_its_name_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # the core asks for the sender's person key, then the first sight asks for the verdict
    calls: list[str] = []
    real_check = identity.check_display_name
    monkeypatch.setattr(identity, "check_display_name", lambda name, *rest: calls.append(name) or real_check(name, *rest))
    names = _ClassNames(limit=100)
    assert names.person_key(CLASS, "周雨桐爸爸") == "guardian:周雨桐:爸爸"
    assert names.verdict(CLASS, "周雨桐爸爸", Role.UNKNOWN).ok
    assert calls == ["周雨桐爸爸"]


def test_kept_verdicts_depend_on_the_role_and_the_roster() -> None:
    names = _ClassNames(limit=100)
    assert names.verdict(CLASS, "语文李强", Role.TEACHER).ok
    assert names.verdict(CLASS, "语文李强", Role.UNKNOWN).code is NameCode.TEACHER_NOT_STAFF
    without = dataclasses.replace(CLASS, roster=Roster(tuple(s for s in CLASS.roster.students if s != "张子涵"),
                                                       CLASS.roster.teachers, CLASS.roster.staff))
    assert names.verdict(CLASS, "张子涵妈妈", Role.UNKNOWN).ok
    assert not names.verdict(without, "张子涵妈妈", Role.UNKNOWN).ok


# --- the recent-message ring ----------------------------------------------------------------


def _add(ring: RecentMessages, group: str, n: int, text: str = "收到") -> None:
    ring.add(group, f"m{n}", f"qq:{n % 7}", f"家长{n % 7}", text, datetime(2025, 3, 3, tzinfo=UTC) + timedelta(seconds=n))


def test_the_ring_keeps_the_newest_messages_of_each_group() -> None:
    ring = RecentMessages(per_group=5, max_groups=3)
    for n in range(20):
        _add(ring, "qq:1", n)
    assert ring.entries() == 5
    assert ring.get("qq:1", "m14") is None
    assert ring.get("qq:1", "m15") == ("qq:1", "家长1", "收到", datetime(2025, 3, 3, 0, 0, 15, tzinfo=UTC))
    assert ring.get("qq:1", "m19") is not None


def test_the_ring_forgets_the_group_quiet_for_longest() -> None:
    ring = RecentMessages(per_group=5, max_groups=2)
    _add(ring, "qq:1", 1)
    _add(ring, "qq:2", 2)
    _add(ring, "qq:1", 3)  # qq:1 spoke last: qq:2 is the quiet one
    _add(ring, "qq:3", 4)
    assert ring.get("qq:2", "m2") is None
    assert ring.get("qq:1", "m1") is not None and ring.get("qq:3", "m4") is not None


def test_a_message_delivered_again_keeps_its_place() -> None:
    ring = RecentMessages(per_group=3, max_groups=2)
    for n in range(3):
        _add(ring, "qq:1", n)
    _add(ring, "qq:1", 0, "收到了")  # the same id again: updated, still the oldest
    _add(ring, "qq:1", 3)
    assert ring.get("qq:1", "m0") is None
    assert ring.get("qq:1", "m1") is not None


def test_the_ring_keeps_all_that_a_quote_shows() -> None:
    ring = RecentMessages()
    text = "".join(chr(0x4E00 + n) for n in range(300))
    _add(ring, "qq:1", 1, text)
    kept = ring.get("qq:1", "m1")
    assert kept is not None and kept[2] == text[:QUOTED_CHARS]
    assert kept[2][:120] == text[:120] and kept[2][:60] == text[:60]  # what /report quotes


# --- the members of the last messages (plugins.charter.identity.member_of) ------------


def test_a_member_is_kept_for_their_class_object_and_name_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.charter import identity as core
    from plugins.charter.model import Account

    monkeypatch.setattr(core, "_resolver", identity.class_person_key)
    monkeypatch.setattr(core, "_members", {})
    users = frozenset({"qq:1"})
    first = core.member_of(CLASS, "qq", "20001", "张子涵妈妈", users)
    assert first == core.resolve_member(CLASS, Account("qq", "20001"), "张子涵妈妈", users)
    assert first.role == Role.PARENT and first.person_key.startswith("guardian:张子涵")
    assert core.member_of(CLASS, "qq", "20001", "张子涵妈妈", users) is first  # kept
    # renamed: judged afresh
    assert core.member_of(CLASS, "qq", "20001", "路人甲", users).role == Role.UNKNOWN
    # a reloaded class (a new object) that lists the account as a teacher
    staff = {**CLASS.staff, Role.TEACHER: (*CLASS.staff.get(Role.TEACHER, ()), Account("qq", "20001"))}
    reloaded = dataclasses.replace(CLASS, staff=staff)
    assert core.member_of(reloaded, "qq", "20001", "张子涵妈妈", users).role == Role.TEACHER
    # another set of superusers (a restarted runtime)
    assert core.member_of(CLASS, "qq", "20001", "张子涵妈妈", frozenset({"qq:20001"})).is_superuser


def test_the_members_kept_stay_within_their_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.charter import identity as core

    monkeypatch.setattr(core, "_members", {})
    monkeypatch.setattr(core, "MEMBERS_KEPT", 50)
    for n in range(500):
        core.member_of(CLASS, "qq", str(30000 + n), f"家长{n}", frozenset())
        assert len(core._members) <= 50

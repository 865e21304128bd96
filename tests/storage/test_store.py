"""The store on SQLite and on PostgreSQL: what must survive a restart behaves the same."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from plugins.charter.database import migrate
from plugins.charter.model import DecisionRequest
from plugins.charter.store import Store
from plugins.charter.tables import AuditRecord

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


async def strike(store: Store, event: str, *, person: str = "guardian:张子涵:妈妈", now: datetime = NOW,
                 days: int = 30) -> bool:
    return await store.add_strike(class_id="g3c2", person_key=person, account_key="qq:20001",
                                  rule_id="content.ads", now=now, expires_at=now + timedelta(days=days),
                                  evidence="加V：abc_123，领取免费学习资料" * 10, event_key=event)


async def test_migrations_match_the_tables_and_run_twice(store: Store) -> None:
    await migrate(store.engine)  # a second start finds nothing to do
    async with store.engine.connect() as conn:
        diff = await conn.run_sync(lambda c: compare_metadata(
            MigrationContext.configure(c, opts={"compare_type": True}), SQLModel.metadata))
    assert diff == []


async def test_a_redelivered_event_strikes_once(store: Store) -> None:
    assert await strike(store, "qq:900001:77:content.ads")
    assert not await strike(store, "qq:900001:77:content.ads")
    assert len(await store.active_strikes("g3c2", "guardian:张子涵:妈妈", NOW)) == 1


async def test_strikes_expire_and_can_be_pardoned(store: Store) -> None:
    await strike(store, "e1", days=1)
    await strike(store, "e2", days=30)
    assert len(await store.active_strikes("g3c2", "guardian:张子涵:妈妈", NOW + timedelta(days=2))) == 1
    assert await store.pardon("g3c2", "guardian:张子涵:妈妈", NOW, "qq:10002") == 2
    assert await store.active_strikes("g3c2", "guardian:张子涵:妈妈", NOW) == []
    history = await store.strike_history("g3c2", "guardian:张子涵:妈妈")
    assert [s.pardoned_by for s in history] == ["qq:10002", "qq:10002"]
    assert all(len(s.evidence) <= 80 for s in history)  # an excerpt, not the whole message


async def test_times_come_back_as_aware_utc(store: Store) -> None:
    shanghai = NOW.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    await strike(store, "tz", now=shanghai)
    (row,) = await store.active_strikes("g3c2", "guardian:张子涵:妈妈", NOW)
    assert row.created_at == NOW and row.created_at.tzinfo is not None


async def test_a_pending_decision_is_decided_once_and_expires(store: Store) -> None:
    first = await store.open_decision(DecisionRequest(
        class_id="g3c2", kind="remove", person_key="p", account_key="qq:1", group_key="qq:900001",
        created_at=NOW, expires_at=NOW + timedelta(hours=72)))
    again = await store.open_decision(DecisionRequest(
        class_id="g3c2", kind="remove", person_key="p", account_key="qq:1", group_key="qq:900001",
        created_at=NOW, expires_at=NOW + timedelta(hours=72)))
    assert first.opened and not again.opened
    assert again.id == first.id  # the same person is not asked about twice
    assert (await store.decide(first.id, "approved", "qq:10002", NOW)) is not None
    assert (await store.decide(first.id, "approved", "qq:10002", NOW)) is None
    late = await store.open_decision(DecisionRequest(
        class_id="g3c2", kind="remove", person_key="q", account_key="qq:2", group_key="qq:900001",
        reason="content.ads: 加V", flag="f1", created_at=NOW, expires_at=NOW + timedelta(hours=1)))
    row = await store.decision(late.id)
    assert row is not None and (row.kind, row.person_key, row.account_key, row.group_key, row.reason, row.flag,
                                row.status) == ("remove", "q", "qq:2", "qq:900001", "content.ads: 加V", "f1", "pending")
    assert row.expires_at == NOW + timedelta(hours=1)
    assert [d.id for d in await store.expire_decisions(NOW + timedelta(hours=2))] == [late.id]
    assert await store.decide(late.id, "approved", "x", NOW + timedelta(hours=2)) is None


async def test_decisions_opened_together_open_once_a_person(store: Store) -> None:
    def removal(person: str, kind: str = "remove") -> DecisionRequest:
        return DecisionRequest(class_id="g3c2", kind=kind, person_key=person, account_key=f"qq:{person}",
                               group_key="qq:900001", created_at=NOW, expires_at=NOW + timedelta(hours=72))

    # the first goes alone; the others in one batch: b twice, a pending already, and
    # a's report (another kind of decision about the same person) opened beside it
    asked = [removal("a"), removal("b"), removal("b"), removal("a"), removal("a", kind="report")]
    got = await asyncio.gather(*(store.open_decision(d) for d in asked))
    assert [g.opened for g in got] == [True, True, False, False, True]
    assert got[2].id == got[1].id  # b's second request in the same batch finds the first
    assert got[3].id == got[0].id  # a's is pending already
    assert len({got[0].id, got[1].id, got[4].id}) == 3
    pending = [(d.kind, d.person_key) for d in await store.pending_decisions("g3c2", NOW)]
    assert sorted(pending) == [("remove", "a"), ("remove", "b"), ("report", "a")]


async def test_concurrent_claims_fire_each_timer_once(store: Store) -> None:
    for n in range(30):
        assert await store.schedule(kind="test", class_id="g3c2", due_at=NOW - timedelta(seconds=n),
                                    payload={"n": n, "名字": "张子涵"}, dedupe_key=f"t{n}", now=NOW)
    assert not await store.schedule(kind="test", class_id="g3c2", due_at=NOW, payload={}, dedupe_key="t0", now=NOW)
    results = await asyncio.gather(*(store.claim_due(f"worker{w}", NOW, timedelta(minutes=5), limit=30)
                                     for w in range(4)))
    claimed = [t.payload["n"] for batch in results for t in batch]
    assert sorted(claimed) == list(range(30))
    assert results[0] or results[1] or results[2] or results[3]
    # a lease that ran out lets another worker take a timer its owner never finished
    later = await store.claim_due("worker9", NOW + timedelta(minutes=6), timedelta(minutes=5), limit=100)
    assert len(later) == 30
    assert all(await asyncio.gather(*(store.finish_timer(t.id, "worker9", NOW) for t in later)))
    assert await store.claim_due("worker1", NOW + timedelta(hours=1), timedelta(minutes=5)) == []


async def test_timers_set_together_are_each_set_once(store: Store) -> None:
    # under load timers share one transaction: a dedupe key twice in one batch is set once
    keys = ["s1", "s2", "s1", "s3", "s2"]
    set_now = await asyncio.gather(*(store.schedule(kind="test", class_id="g3c2", due_at=NOW, payload={"k": key},
                                                    dedupe_key=key, now=NOW) for key in keys))
    assert set_now == [True, True, False, True, False]
    due = await store.claim_due("w", NOW, timedelta(minutes=5), limit=10)
    assert sorted(t.payload["k"] for t in due) == ["s1", "s2", "s3"]


async def test_once_markers(store: Store) -> None:
    assert await store.once("quiet:g3c2:qq:1:2026-11-24T21:30", NOW, timedelta(hours=12))
    assert not await store.once("quiet:g3c2:qq:1:2026-11-24T21:30", NOW, timedelta(hours=12))
    assert await store.once("quiet:g3c2:qq:1:2026-11-24T21:30", NOW + timedelta(hours=13), timedelta(hours=12))


async def test_once_markers_set_together_are_each_claimed_once(store: Store) -> None:
    # under load markers share one transaction: a key twice in one batch is claimed once,
    # an expired marker is claimed again, a live one is not
    hour = timedelta(hours=1)
    assert await store.once("expired", NOW - 2 * hour, hour) and await store.once("live", NOW - hour / 2, hour)
    keys = ["a", "expired", "a", "live", "b"]
    claimed = await asyncio.gather(*(store.once(key, NOW, hour) for key in keys))
    assert claimed == [True, True, False, False, True]
    assert not await store.once("expired", NOW, hour)


async def test_audit_log_and_plugin_modes(store: Store) -> None:
    await store.audit([AuditRecord(created_at=NOW - timedelta(days=d), class_id="g3c2", action="recall",
                                   excerpt=f"m{d}") for d in range(5)])
    recent = await store.audit_log("g3c2", since=NOW - timedelta(days=2, hours=1))
    assert [r.excerpt for r in recent] == ["m0", "m1", "m2"]
    assert await store.purge_audit(NOW - timedelta(days=3, hours=1)) == 1
    await store.set_plugin_mode("g3c2", "timing", "off", "qq:10002", NOW)
    await store.set_plugin_mode("g3c2", "timing", "shadow", "qq:10002", NOW)
    assert await store.plugin_modes() == {"g3c2": {"timing": "shadow"}}


async def test_members_are_remembered_after_they_leave(store: Store) -> None:
    await store.remember_member(class_id="g3c2", account_key="qq:1", group_key="qq:900001",
                                display_name="张子涵妈妈", person_key="guardian:张子涵:妈妈", name_ok=True, now=NOW)
    left = await store.remember_member(class_id="g3c2", account_key="qq:1", group_key="qq:900001", display_name="",
                                       person_key="", name_ok=True, now=NOW, left=True)
    assert left.left_at == NOW and left.person_key == "guardian:张子涵:妈妈"


async def test_first_sights_in_flight_share_reads_and_writes_in_order(store: Store) -> None:
    # many first sights at once: one member written twice in the same batch keeps the
    # later name, each caller gets its own row back, reads see what was committed
    def seen(account: str, name: str) -> Any:
        return store.remember_member(class_id="g3c2", account_key=account, group_key="qq:900001",
                                     display_name=name, person_key="", name_ok=True, now=NOW)

    rows = await asyncio.gather(*(seen(f"qq:{n}", f"家长{n}") for n in range(40)),
                                seen("qq:7", "李思远爸爸"), seen("qq:7", ""))
    assert [r.display_name for r in rows[:40]] == [f"家长{n}" for n in range(40)]
    assert rows[40].display_name == "李思远爸爸" and rows[41].display_name == "李思远爸爸"  # "" keeps the name
    read = await asyncio.gather(*(store.known_member("g3c2", f"qq:{n}") for n in (3, 7, 99, 3)),
                                store.known_member("g9c9", "qq:3"))
    assert [r.display_name if r else None for r in read] == ["家长3", "李思远爸爸", None, "家长3", None]


async def test_findings_journaled_together_are_each_new_once_and_closed(store: Store) -> None:
    # many findings in flight at once share transactions (group commit); a redelivered
    # event racing its original in the same batch is still new only once
    keys = [f"qq:1:{n}:content.ads" for n in range(30)]
    lease = timedelta(minutes=5)
    fresh = await asyncio.gather(*(store.journal_finding(key, "g3c2", {"n": n}, NOW, "p1", lease)
                                   for n, key in enumerate(keys + keys[:5])))
    assert fresh[:30] == [True] * 30 and fresh[30:] == [False] * 5
    assert await store.journal_finding(keys[0], "g3c2", {}, NOW, "p1", lease) is False

    record = AuditRecord(class_id="g3c2", created_at=NOW, action="recall", rule_id="content.ads", excerpt="加V")
    await asyncio.gather(*(store.close_finding([record.model_copy()], key, NOW) for key in keys[:20]))
    assert len(await store.audit_log("g3c2", limit=None)) == 20
    # the ten left open are what a restarted process would carry out
    claimed = await store.claim_unfinished_findings("p2", NOW + timedelta(minutes=10), lease, {"g3c2"})
    assert sorted(key for key, _, _ in claimed) == sorted(keys[20:])


async def test_strikes_recorded_together_are_numbered_in_order(store: Store) -> None:
    def new(event: str, person: str = "guardian:张子涵:妈妈") -> Any:
        return store.strike_and_count(class_id="g3c2", person_key=person, account_key="qq:20001",
                                      rule_id="content.ads", now=NOW, expires_at=NOW + timedelta(days=30),
                                      evidence="加V" * 300, event_key=event)

    first = await new("e0")
    assert first[0] is True and [s.event_key for s in first[1]] == ["e0"]
    together = await asyncio.gather(*(new(e) for e in ("e1", "e2", "e1")), new("x1", person="guardian:李思远:爸爸"))
    assert [fresh for fresh, _ in together] == [True, True, False, True]
    numbers = [[s.event_key for s in active].index(e) + 1 for (_, active), e in zip(together, ("e1", "e2", "e1", "x1"))]
    assert numbers == [2, 3, 2, 1]
    assert [s.event_key for s in together[3][1]] == ["x1"]  # another person's strikes are not counted
    [stored] = [s for s in await store.active_strikes("g3c2", "guardian:张子涵:妈妈", NOW) if s.event_key == "e0"]
    assert (stored.source, stored.issued_by, stored.pardoned_at) == ("auto", "", None)  # the columns' defaults
    assert len(stored.evidence) <= 200  # an excerpt


def test_audit_entries_have_the_audit_logs_columns() -> None:
    # the enforcer builds AuditEntry rows in memory and the store writes them as
    # AuditRecord columns: a column added to one must be added to the other
    from dataclasses import fields

    from plugins.charter.store import AuditEntry

    columns = {c.key: c for c in AuditRecord.__table__.columns if not c.primary_key}  # type: ignore[attr-defined]
    assert {f.name for f in fields(AuditEntry)} == set(columns)
    entry = AuditEntry(created_at=NOW, class_id="g3c2", action="finding")
    record = AuditRecord(created_at=NOW, class_id="g3c2", action="finding")
    assert all(getattr(entry, name) == getattr(record, name) for name in columns)  # the same defaults


async def test_a_decision_is_written_with_every_value_of_its_request(store: Store) -> None:
    # the store inserts a request's values as plain parameters of one prebuilt statement,
    # which ignores a key that is not a column: every field must be one, and each must arrive
    from dataclasses import fields

    from plugins.charter.tables import PendingDecision

    columns = {c.key for c in PendingDecision.__table__.columns}  # type: ignore[attr-defined]
    assert {f.name for f in fields(DecisionRequest)} <= columns
    request = DecisionRequest(class_id="g3c2", kind="join", person_key="p", account_key="qq:7", group_key="qq:900001",
                              reason="r", flag="f", created_at=NOW, expires_at=NOW + timedelta(hours=3))
    opened = await store.open_decision(request)
    row = await store.decision(opened.id)
    assert row is not None
    assert {f.name: getattr(row, f.name) for f in fields(DecisionRequest)} == \
        {f.name: getattr(request, f.name) for f in fields(DecisionRequest)}
    assert (row.status, row.decided_by, row.decided_at) == ("pending", "", None)  # the columns' defaults


async def commits_counted(store: Store) -> list[int]:
    """A list that grows by one at each commit: SQLAlchemy's commits, and on SQLite every
    COMMIT the driver's connection runs (the writer commits there directly, sqlite_direct.py)."""
    from sqlalchemy import event
    from sqlalchemy.util import greenlet_spawn

    commits: list[int] = []
    if store.engine.dialect.name != "sqlite":
        event.listen(store.engine.sync_engine, "commit", lambda *_: commits.append(1))
        return commits
    pooled = await store.engine.raw_connection()  # the pool's one SQLite connection
    pooled.driver_connection.sqlite.set_trace_callback(
        lambda sql: commits.append(1) if sql.lstrip().upper().startswith("COMMIT") else None)
    await greenlet_spawn(pooled.close)
    return commits


async def test_a_violations_writes_of_every_kind_share_one_commit_and_fail_apart(store: Store) -> None:
    commits = await commits_counted(store)
    lease = timedelta(minutes=5)

    def strike_of(n: int):  # type: ignore[no-untyped-def]
        return store.strike_and_count(class_id="g3c2", person_key="p", account_key="qq:1", rule_id="content.ads",
                                      now=NOW, expires_at=NOW + timedelta(days=30), evidence="加V", event_key=f"s{n}")

    assert await store.journal_finding("e0", "g3c2", {"n": 0}, NOW, "bot-a", lease)  # alone, at once
    commits.clear()
    journaled, (fresh, active), opened = await asyncio.gather(
        store.journal_finding("e1", "g3c2", {"n": 1}, NOW, "bot-a", lease), strike_of(1),
        store.open_decision(DecisionRequest(class_id="g3c2", kind="remove", person_key="p", account_key="qq:1",
                                            created_at=NOW, expires_at=NOW + timedelta(hours=72))))
    assert journaled and fresh and [s.event_key for s in active] == ["s1"] and opened.opened
    assert len(commits) == 1  # three kinds of write, one transaction

    # a journal entry the database refuses (no class) fails its own caller only
    got = await asyncio.gather(store.journal_finding("e2", None, {"n": 2}, NOW, "bot-a", lease),  # type: ignore[arg-type]
                               strike_of(2), return_exceptions=True)
    assert isinstance(got[0], Exception)
    fresh, active = got[1]  # type: ignore[misc]
    assert fresh and [s.event_key for s in active] == ["s1", "s2"]
    assert await store.journal_finding("e3", "g3c2", {"n": 3}, NOW, "bot-a", lease)

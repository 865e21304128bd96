"""The writer's transactions on SQLite run straight on the driver's connection
(plugins/charter/sqlite_direct.py). The same writes through SQLAlchemy are the
reference: every lane of the writer, alone and in batches, with duplicates, defaults,
literal values, expiries and failures, must answer the same and leave the same rows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from plugins.charter.database import create_engine, migrate
from plugins.charter.model import DecisionRequest
from plugins.charter.sqlite_direct import DirectResult
from plugins.charter.store import AuditEntry, Store
from plugins.charter.tables import ALL_TABLES

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
LEASE = timedelta(minutes=2)


async def _stores(tmp_path) -> tuple[Store, Store]:  # type: ignore[no-untyped-def]
    made = []
    for name, direct in (("direct", True), ("reference", False)):
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / name}.db")
        await migrate(engine)
        made.append(Store(engine, direct=direct))
    return made[0], made[1]


async def _rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    async with store.engine.connect() as connection:
        return {table.__tablename__: [tuple(row) for row in await connection.execute(  # type: ignore[attr-defined]
            select(table.__table__).order_by(*table.__table__.primary_key.columns))]  # type: ignore[attr-defined]
            for table in ALL_TABLES}


def _plain(value: Any) -> Any:
    """An answer made comparable: rows as tuples, dataclasses and lists of them as such."""
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value) if not hasattr(value, "_fields") else tuple(value)
    if hasattr(value, "_fields") or hasattr(value, "_mapping"):
        return tuple(value)
    return value


def _strike(store: Store, event: str, person: str = "guardian:张子涵:妈妈", *, now: datetime = NOW,
            days: int = 30, evidence: str = "加V") -> Awaitable[Any]:
    return store.strike_and_count(class_id="g3c2", person_key=person, account_key="qq:1", rule_id="content.ads",
                                  now=now, expires_at=now + timedelta(days=days), evidence=evidence, event_key=event)


def _member(store: Store, account: str, name: str, *, left: bool = False, ok: bool = True) -> Awaitable[Any]:
    return store.remember_member(class_id="g3c2", account_key=account, group_key="qq:900001", display_name=name,
                                 person_key=f"guardian:{name}" if name else "", name_ok=ok, now=NOW, left=left)


def _decision(store: Store, person: str, *, kind: str = "remove") -> Awaitable[Any]:
    return store.open_decision(DecisionRequest(class_id="g3c2", kind=kind, person_key=person, account_key="qq:1",
                                               group_key="qq:900001", reason="r", created_at=NOW,
                                               expires_at=NOW + timedelta(hours=72)))


# each step: what the writer is asked at once (gathered), as the bot asks it under load
STEPS: list[Callable[[Store], list[Awaitable[Any]]]] = [
    lambda s: [s.journal_finding("e0", "g3c2", {"n": 0, "text": "加V信"}, NOW, "bot-a", LEASE)],
    lambda s: [s.journal_finding(f"e{n}", "g3c2", {"n": n}, NOW, "bot-a", LEASE) for n in (1, 2, 3, 1, 0)],
    lambda s: [_strike(s, "s1")],
    lambda s: [_strike(s, "s2"), _strike(s, "s3", "guardian:李思远:爸爸"), _strike(s, "s2"),
               _strike(s, "s4", days=1, evidence="x" * 300)],
    lambda s: [_strike(s, "s5", now=NOW + timedelta(days=2))],  # s4 expired by then
    lambda s: [s.close_finding([AuditEntry(created_at=NOW, class_id="g3c2", action="recall", rule_id="content.ads",
                                           account_key="qq:1", excerpt="加V", ok=False, detail="x"),
                                AuditEntry(created_at=NOW, class_id="g3c2", action="finding", shadow=True)],
                               "e1", NOW + timedelta(seconds=1)),
               s.close_finding([], "e2", NOW), s.close_finding([AuditEntry(created_at=NOW, class_id="g3c2",
                                                                          action="strike")], "e9", NOW)],
    lambda s: [_decision(s, "p1"), _decision(s, "p1"), _decision(s, "p2", kind="join")],
    lambda s: [_decision(s, "p1"), _decision(s, "p3")],
    lambda s: [s.schedule(kind="escalation.chain", class_id="g3c2", due_at=NOW + timedelta(minutes=m),
                          payload={"decision": m}, dedupe_key=f"chain:{m % 2}", now=NOW) for m in range(4)],
    lambda s: [s.once("quiet:qq:1", NOW, timedelta(hours=8)), s.once("quiet:qq:2", NOW, timedelta(hours=8)),
               s.once("quiet:qq:1", NOW, timedelta(hours=8))],
    lambda s: [s.once("quiet:qq:1", NOW + timedelta(hours=9), timedelta(hours=8)),  # the first one expired
               s.once("quiet:qq:2", NOW + timedelta(hours=1), timedelta(hours=8))],
    lambda s: [_member(s, f"qq:{n}", f"家长{n}") for n in range(5)] + [_member(s, "qq:1", ""),
                                                                       _member(s, "qq:9", "张子涵妈妈", ok=False)],
    lambda s: [_member(s, "qq:1", "", left=True), _member(s, "qq:2", "王芳")],
    # a write the database refuses fails its own caller only, in a batch with others
    lambda s: [s.journal_finding("e7", None, {}, NOW, "bot-a", LEASE),  # type: ignore[arg-type]
               _strike(s, "s6"), s.once("quiet:qq:3", NOW, timedelta(hours=1))],
]


async def test_every_lane_answers_and_writes_as_through_sqlalchemy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    direct, reference = await _stores(tmp_path)
    try:
        for number, step in enumerate(STEPS):
            answers = []
            for store in (direct, reference):
                got = await asyncio.gather(*step(store), return_exceptions=True)
                answers.append([type(a).__name__ if isinstance(a, Exception) else _plain(a) for a in got])
            assert answers[0] == answers[1], f"step {number}"
        direct_rows, reference_rows = await _rows(direct), await _rows(reference)
        assert direct_rows == reference_rows
        assert all(direct_rows[name] for name in ("finding_journal", "strike", "audit_record", "pending_decision",
                                                  "timer", "marker", "known_member"))  # every lane wrote
    finally:
        await direct.engine.dispose()
        await reference.engine.dispose()


async def test_a_failed_batch_leaves_nothing_behind_and_the_connection_usable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    direct, _ = await _stores(tmp_path)
    try:
        # alone in its batch: the refused row fails its caller and the transaction is rolled back
        with pytest.raises(Exception):
            await direct.journal_finding("bad", None, {}, NOW, "bot-a", LEASE)  # type: ignore[arg-type]
        assert await direct.journal_finding("good", "g3c2", {}, NOW, "bot-a", LEASE)
        async with direct.engine.connect() as connection:
            keys = (await connection.execute(text("SELECT event_key FROM finding_journal"))).scalars().all()
        assert keys == ["good"]
    finally:
        await direct.engine.dispose()


async def test_times_and_flags_come_back_typed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    direct, _ = await _stores(tmp_path)
    try:
        fresh, active = await _strike(direct, "s1")
        assert fresh and active[0].expires_at == NOW + timedelta(days=30) and active[0].expires_at.tzinfo is not None
        row = await _member(direct, "qq:1", "张子涵妈妈", ok=False)
        assert row.name_ok is False and row.first_seen == NOW and row.left_at is None
    finally:
        await direct.engine.dispose()


def test_a_result_with_other_than_one_row_has_no_single_scalar() -> None:
    assert DirectResult([(7,)]).scalar_one() == 7
    for rows in ([], [(1,), (2,)]):
        with pytest.raises(ValueError):
            DirectResult(rows).scalar_one()


async def test_a_batch_that_fails_halfway_is_undone_before_each_lane_is_tried_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    direct, _ = await _stores(tmp_path)
    try:
        # the journal's row goes in first, then the strike's is refused: the batch is rolled
        # back, and the journal entry, written again alone, is still new to its caller
        refused = direct.strike_and_count(class_id=None, person_key="p", account_key="qq:1",  # type: ignore[arg-type]
                                          rule_id="content.ads", now=NOW, expires_at=NOW, evidence="", event_key="s")
        journaled, struck = await asyncio.gather(direct.journal_finding("e1", "g3c2", {}, NOW, "bot-a", LEASE),
                                                 refused, return_exceptions=True)
        assert journaled is True and isinstance(struck, Exception)
    finally:
        await direct.engine.dispose()


async def test_a_batch_holds_the_write_lock_from_its_first_statement(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from plugins.charter.sqlite_direct import DirectTransactions
    from plugins.charter.tables import Strike

    direct, _ = await _stores(tmp_path)
    other = sqlite3.connect(tmp_path / "direct.db", timeout=0, isolation_level=None)
    try:
        async with DirectTransactions(direct.engine).begin() as connection:
            await connection.execute(select(Strike.__table__.c.id))  # a read first, as a decision's batch does
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")  # another writer waits for the whole batch
    finally:
        other.close()
        await direct.engine.dispose()


async def test_expanded_parameters_are_converted_by_their_type(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import bindparam

    from plugins.charter.sqlite_direct import DirectTransactions
    from plugins.charter.tables import Strike

    direct, _ = await _stores(tmp_path)
    try:
        await _strike(direct, "s1")
        table = Strike.__table__  # type: ignore[attr-defined]
        # aware datetimes in an IN list: stored as naive UTC text, found only once converted
        query = select(table.c.event_key).where(table.c.created_at.in_(bindparam("times", expanding=True)))
        async with DirectTransactions(direct.engine).begin() as connection:
            found = (await connection.execute(query, {"times": [NOW.astimezone(__import__("zoneinfo").ZoneInfo(
                "Asia/Shanghai")), NOW + timedelta(days=1)]})).scalars()
        assert found == ["s1"]
    finally:
        await direct.engine.dispose()


async def test_python_defaults_are_filled_in_as_sqlalchemy_does(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # a value and a function, each left out of the row given: the lanes' tables have only
    # values today, and a table that gains a function default must still be written whole
    from itertools import count

    from sqlalchemy import Column, Integer, MetaData, String, Table

    from plugins.charter.sqlite_direct import DirectTransactions

    numbers = count(1)
    table = Table("noted", MetaData(), Column("id", Integer, primary_key=True), Column("note", String),
                  Column("kind", String, default="plain"),
                  Column("serial", Integer, default=lambda: next(numbers)))
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'defaults.db'}")
    try:
        async with engine.begin() as connection:
            await connection.run_sync(table.metadata.create_all)
        async with DirectTransactions(engine).begin() as connection:
            await connection.execute(table.insert(), [{"note": "a"}, {"note": "b", "serial": 9}])
        async with engine.begin() as connection:
            await connection.execute(table.insert(), [{"note": "c"}])  # SQLAlchemy's own
            rows = [tuple(row) for row in await connection.execute(select(table).order_by(table.c.id))]
        assert rows == [(1, "a", "plain", 1), (2, "b", "plain", 9), (3, "c", "plain", 2)]
    finally:
        await engine.dispose()

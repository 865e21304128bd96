"""Database operations the plugins use. One short transaction per call; the writes
of every finding (journal, strike, close) share theirs with the findings in flight
(group_commit.py), each caller still returning only once its write is committed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from .group_commit import GroupCommit, Lane, SharedCommit
from .sqlite_direct import DirectTransactions
from .model import DecisionRequest, OpenDecision
from .tables import AuditRecord, FindingJournal, KnownMember, Marker, PendingDecision, PluginMode, Strike, Timer

EXCERPT_LIMIT = 80  # characters of evidence kept in the audit log


def excerpt(text: str, limit: int = EXCERPT_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(slots=True)
class AuditEntry:
    """An audit-log row built in memory before it is written: the columns of
    tables.AuditRecord (tests/storage keep the two in step) in a plain slotted
    dataclass. The enforcer makes several for every finding, and a SQLModel row
    costs about 27 µs to construct against about 1 µs for this."""

    created_at: datetime
    class_id: str
    action: str
    platform: str = ""
    group_id: str = ""
    rule_id: str = ""
    account_key: str = ""
    person_key: str = ""
    excerpt: str = ""
    ok: bool = True
    shadow: bool = False
    detail: str = ""


AuditRow = AuditRecord | AuditEntry  # either is written the same way


@dataclass(frozen=True)
class DueTimer:
    id: int
    kind: str
    class_id: str
    due_at: datetime
    payload: dict[str, Any]


class Store:
    def __init__(self, engine: AsyncEngine, *, direct: bool = True):
        """`direct=False` writes through SQLAlchemy on SQLite too (the reference the
        tests compare the direct path with, tests/storage/test_sqlite_direct.py)."""
        self.engine = engine
        self._upsert: Any = None
        self._inserts: dict[tuple[type, str], Any] = {}
        self._sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        # the writes of every finding and every first sight, grouped under load: what
        # is pending of every kind goes in one transaction (see group_commit.py); on
        # SQLite straight on the driver's connection (sqlite_direct.py)
        direct = direct and engine.dialect.name == "sqlite"
        writes = SharedCommit(DirectTransactions(engine).begin if direct else engine.begin)
        self._journal: Lane[dict[str, Any], bool] = writes.lane(partial(self._insert_new_in, model=FindingJournal,
                                                                        key="event_key"))
        self._closing: Lane[tuple[list[AuditRow], str, datetime], None] = writes.lane(self._close_in)
        self._striking: Lane[tuple[dict[str, Any], datetime], tuple[bool, list[Any]]] = writes.lane(self._strike_in)
        self._opening: Lane[DecisionRequest, OpenDecision] = writes.lane(self._open_in)
        self._scheduling: Lane[dict[str, Any], bool] = writes.lane(partial(self._insert_new_in, model=Timer,
                                                                           key="dedupe_key"))
        self._marking: Lane[dict[str, Any], bool] = writes.lane(self._mark_in)
        self._member_writes: Lane[dict[str, Any], Any] = writes.lane(self._write_members_in)
        self._member_reads: GroupCommit[tuple[str, str], Any] = GroupCommit(self._read_members)
        # a violation's statements, built once: building one (its operators and clauses)
        # cost more than SQLAlchemy's cached compilation of it
        self._active_of_people = _active_strikes_of_people()
        self._pending_of = _pending_decisions_of()
        self._closing_journal = _journal_closing()
        self._opening_insert = _decision_opening()

    def session(self) -> AsyncSession:
        return self._sessions()

    def _insert(self, table: Any) -> Any:
        return (sqlite_insert if self.engine.dialect.name == "sqlite" else pg_insert)(table)

    def _insert_new(self, model: Any, key: str = "event_key") -> Any:
        """INSERT .. ON CONFLICT DO NOTHING RETURNING <key>, built once per table: run
        with a list of rows (executemany, which SQLAlchemy sends as multi-row statements
        from one cached compilation; a fresh multi-row VALUES would compile every time)."""
        found = self._inserts.get((model, key))
        if found is None:
            table = model.__table__
            found = self._inserts[model, key] = \
                self._insert(table).on_conflict_do_nothing().returning(table.c[key])
        return found

    async def _insert_new_in(self, connection: Any, rows: Sequence[dict[str, Any]], *, model: Any,
                             key: str) -> list[bool]:
        """Rows whose unique `key` makes each happen once, in one INSERT inside the
        caller's transaction; True for each that is new (a key twice in one batch, a
        redelivery racing its original, is new once)."""
        unique = list({row[key]: row for row in reversed(rows)}.values())
        inserted = set((await connection.execute(self._insert_new(model, key), unique)).scalars())
        fresh = []
        for row in rows:
            fresh.append(row[key] in inserted)
            inserted.discard(row[key])
        return fresh

    async def _insert_once(self, row: Any) -> bool:
        """Insert a row whose unique key makes it happen once; False when it exists already.

        One Core statement (INSERT .. ON CONFLICT DO NOTHING) instead of an ORM unit of
        work: these run for every finding, and the ORM's flush cost more than the write."""
        table = type(row).__table__
        values = {column.key: getattr(row, column.key) for column in table.columns
                  if not (column.primary_key and getattr(row, column.key) is None)}
        async with self.engine.begin() as connection:
            result = await connection.execute(self._insert(table).values(values).on_conflict_do_nothing())
        return result.rowcount == 1

    # --- finding journal ----------------------------------------------------

    async def journal_finding(self, event_key: str, class_id: str, payload: dict[str, Any], now: datetime,
                              owner: str, lease: timedelta) -> bool:
        """Write a finding before acting on it; False when the event was journaled before."""
        return await self._journal.submit(dict(
            event_key=event_key, class_id=class_id, payload=json.dumps(payload, ensure_ascii=False), created_at=now,
            done_at=None, claimed_by=owner, claimed_until=now + lease))

    async def finish_finding(self, event_key: str, now: datetime) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(update(FindingJournal).where(FindingJournal.event_key == event_key)  # type: ignore[arg-type]
                                     .values(done_at=now))

    async def release_finding(self, event_key: str) -> None:
        """Give a claimed, unfinished finding back, so the next attempt can take it at once."""
        async with self.session() as session:
            await session.exec(update(FindingJournal).where(  # type: ignore[arg-type]
                FindingJournal.event_key == event_key, FindingJournal.done_at.is_(None))  # type: ignore[union-attr]
                .values(claimed_by="", claimed_until=None))
            await session.commit()

    async def claim_unfinished_findings(self, owner: str, now: datetime, lease: timedelta, class_ids: set[str],
                                        limit: int = 100) -> list[tuple[str, str, dict[str, Any]]]:
        """Findings whose process stopped before acting (their lease ran out), claimed once."""
        claimable = and_(
            FindingJournal.done_at.is_(None),  # type: ignore[union-attr]
            or_(FindingJournal.claimed_until.is_(None), FindingJournal.claimed_until < now),  # type: ignore[union-attr, operator]
        )
        claimed = []
        async with self.session() as session:
            rows = (await session.exec(
                select(FindingJournal.event_key).where(claimable, FindingJournal.class_id.in_(class_ids))  # type: ignore[attr-defined]
                .order_by(FindingJournal.created_at).limit(limit)  # type: ignore[arg-type]
            )).scalars().all()
            for event_key in rows:
                result = await session.exec(
                    update(FindingJournal).where(FindingJournal.event_key == event_key, claimable)  # type: ignore[arg-type]
                    .values(claimed_by=owner, claimed_until=now + lease)
                )
                await session.commit()
                if result.rowcount == 1:
                    row = await session.get(FindingJournal, event_key)
                    if row is not None:
                        claimed.append((row.event_key, row.class_id, json.loads(row.payload)))
        return claimed

    async def purge_journal(self, before: datetime) -> int:
        from sqlalchemy import delete

        async with self.session() as session:
            result = await session.exec(delete(FindingJournal).where(  # type: ignore[arg-type]
                FindingJournal.done_at.is_not(None), FindingJournal.created_at < before))  # type: ignore[union-attr]
            await session.commit()
            return result.rowcount or 0

    # --- strikes ------------------------------------------------------------

    async def add_strike(
        self,
        *,
        class_id: str,
        person_key: str,
        account_key: str,
        rule_id: str,
        now: datetime,
        expires_at: datetime,
        evidence: str,
        event_key: str,
        source: str = "auto",
        issued_by: str = "",
    ) -> bool:
        """Record a strike; False when this event already struck (redelivery)."""
        strike = Strike(
            class_id=class_id,
            person_key=person_key,
            account_key=account_key,
            rule_id=rule_id,
            created_at=now,
            expires_at=expires_at,
            evidence=excerpt(evidence),
            event_key=event_key,
            source=source,
            issued_by=issued_by,
        )
        return await self._insert_once(strike)

    async def strike_and_count(self, *, class_id: str, person_key: str, account_key: str, rule_id: str,
                               now: datetime, expires_at: datetime, evidence: str,
                               event_key: str) -> tuple[bool, list[Any]]:
        """Record an automatic strike (once per event) and read the person's active
        strikes, in one transaction shared with the strikes recorded meanwhile (group
        commit). Returns (fresh, active strikes oldest first); a strike's number is its
        place there. The row goes in as values (the columns' defaults fill the rest):
        a violation's path builds no ORM object."""
        values = dict(class_id=class_id, person_key=person_key, account_key=account_key, rule_id=rule_id,
                      created_at=now, expires_at=expires_at, evidence=excerpt(evidence), event_key=event_key)
        return await self._striking.submit((values, now))

    async def _strike_in(self, connection: Any,
                         items: Sequence[tuple[dict[str, Any], datetime]]) -> list[tuple[bool, list[Any]]]:
        """Insert the strikes and read the active strikes of their people, in the
        caller's transaction; the active strikes as read-only Core rows (the numbering
        reads their keys only, and loading ORM objects cost more than the query)."""
        unique = list({values["event_key"]: values for values, _ in reversed(items)}.values())
        people = {(values["class_id"], values["person_key"]) for values, _ in items}
        inserted = set((await connection.execute(self._insert_new(Strike), unique)).scalars())
        candidates = (await connection.execute(self._active_of_people, {
            "people": list(people), "after": min(now for _, now in items)})).all()
        by_person: dict[tuple[str, str], list[Any]] = {}
        for strike in candidates:
            by_person.setdefault((strike.class_id, strike.person_key), []).append(strike)
        results = []
        for values, now in items:
            fresh = values["event_key"] in inserted
            inserted.discard(values["event_key"])
            own = by_person.get((values["class_id"], values["person_key"]), ())
            results.append((fresh, [strike for strike in own if strike.expires_at > now]))
        return results

    @staticmethod
    def _active_strikes(class_id: str, person_key: str, now: datetime) -> Any:
        return (select(Strike).where(
            Strike.class_id == class_id,
            Strike.person_key == person_key,
            Strike.pardoned_at.is_(None),  # type: ignore[union-attr]
            Strike.expires_at > now,
        ).order_by(Strike.created_at, Strike.id))  # type: ignore[arg-type]

    async def active_strikes(self, class_id: str, person_key: str, now: datetime) -> list[Strike]:
        async with self.session() as session:
            return list((await session.exec(self._active_strikes(class_id, person_key, now))).scalars().all())

    async def strike_history(self, class_id: str, person_key: str, limit: int = 20) -> list[Strike]:
        async with self.session() as session:
            result = await session.exec(
                select(Strike)
                .where(Strike.class_id == class_id, Strike.person_key == person_key)
                .order_by(Strike.created_at.desc(), Strike.id.desc())  # type: ignore[union-attr]
                .limit(limit)
            )
            return list(result.scalars().all())

    async def pardon(self, class_id: str, person_key: str, now: datetime, by: str, rule_id: str | None = None) -> int:
        conditions = [Strike.class_id == class_id, Strike.person_key == person_key, Strike.pardoned_at.is_(None)]  # type: ignore[union-attr]
        if rule_id:
            conditions.append(Strike.rule_id == rule_id)
        async with self.session() as session:
            result = await session.exec(
                update(Strike).where(*conditions).values(pardoned_at=now, pardoned_by=by)  # type: ignore[arg-type]
            )
            await session.commit()
            return result.rowcount or 0

    # --- audit log ----------------------------------------------------------

    async def audit(self, records: Sequence[AuditRow]) -> None:
        """Append audit records: one executemany, no ORM objects tracked."""
        if not records:
            return
        async with self.engine.begin() as connection:
            await self._append_audit(connection, records)

    @staticmethod
    async def _append_audit(connection: Any, records: Sequence[AuditRow]) -> None:
        await connection.execute(_AUDIT_INSERT, [{key: getattr(record, key) for key in _AUDIT_COLUMNS}
                                                 for record in records])

    async def close_finding(self, records: list[AuditRow], event_key: str, now: datetime) -> None:
        """A finding's audit records and the end of its journal entry, in one transaction
        (both follow every finding), shared with the other findings closing meanwhile."""
        await self._closing.submit((records, event_key, now))

    async def _close_in(self, connection: Any, items: Sequence[tuple[list[AuditRow], str, datetime]]) -> list[None]:
        records = [record for batch_records, _, _ in items for record in batch_records]
        if records:
            await self._append_audit(connection, records)
        await connection.execute(self._closing_journal,
                                 [{"closing_key": key, "closed_at": when} for _, key, when in items])
        return [None] * len(items)

    async def audit_log(
        self, class_id: str, *, since: datetime | None = None, account_key: str | None = None,
        person_key: str | None = None, limit: int | None = 20
    ) -> list[AuditRecord]:
        query = select(AuditRecord).where(AuditRecord.class_id == class_id)
        if since is not None:
            query = query.where(AuditRecord.created_at >= since)
        if account_key:
            query = query.where(AuditRecord.account_key == account_key)
        if person_key:
            query = query.where(AuditRecord.person_key == person_key)
        query = query.order_by(AuditRecord.created_at.desc(), AuditRecord.id.desc())  # type: ignore[union-attr]
        if limit:
            query = query.limit(limit)
        async with self.session() as session:
            return list((await session.exec(query)).scalars().all())

    async def purge_audit(self, before: datetime) -> int:
        from sqlalchemy import delete

        async with self.session() as session:
            result = await session.exec(delete(AuditRecord).where(AuditRecord.created_at < before))  # type: ignore[arg-type]
            await session.commit()
            return result.rowcount or 0

    # --- pending decisions --------------------------------------------------

    async def open_decision(self, request: DecisionRequest) -> OpenDecision:
        """Open a decision unless the same one is already pending (`request.identity`);
        the pending one's id either way. A repeat offender past the ladder's last step
        asks this on every strike: grouped like the strikes."""
        return await self._opening.submit(request)

    async def _open_in(self, connection: Any, requests: Sequence[DecisionRequest]) -> list[OpenDecision]:
        results = []
        pending: dict[tuple[str, str, str, str], int] = {}
        rows = await connection.execute(self._pending_of, {"keys": list({r.identity for r in requests})})
        for row in rows.all():
            pending.setdefault((row.class_id, row.kind, row.person_key, row.account_key), row.id)
        for request in requests:
            found = pending.get(request.identity)
            if found is not None:
                results.append(OpenDecision(found, opened=False))
                continue
            values = {name: getattr(request, name) for name in _REQUEST_FIELDS}
            opened = (await connection.execute(self._opening_insert, values)).scalar_one()
            pending[request.identity] = opened
            results.append(OpenDecision(opened, opened=True))
        return results

    async def pending_decisions(self, class_id: str, now: datetime, kind: str | None = None) -> list[PendingDecision]:
        query = select(PendingDecision).where(
            PendingDecision.class_id == class_id,
            PendingDecision.status == "pending",
            PendingDecision.expires_at > now,
        )
        if kind:
            query = query.where(PendingDecision.kind == kind)
        async with self.session() as session:
            return list((await session.exec(query.order_by(PendingDecision.id))).scalars().all())  # type: ignore[arg-type]

    async def decision(self, decision_id: int) -> PendingDecision | None:
        async with self.session() as session:
            return await session.get(PendingDecision, decision_id)

    async def decide(self, decision_id: int, status: str, by: str, now: datetime,
                     class_id: str | None = None) -> PendingDecision | None:
        """Close a pending decision once; None when it is gone, closed, expired or (with
        `class_id`) another class's."""
        async with self.session() as session:
            result = await session.exec(
                update(PendingDecision)
                .where(
                    PendingDecision.id == decision_id,
                    PendingDecision.status == "pending",
                    PendingDecision.expires_at > now,
                    *((PendingDecision.class_id == class_id,) if class_id is not None else ()),
                )
                .values(status=status, decided_by=by, decided_at=now)  # type: ignore[arg-type]
            )
            await session.commit()
            if not result.rowcount:
                return None
            return await session.get(PendingDecision, decision_id)

    async def expire_decisions(self, now: datetime) -> list[PendingDecision]:
        async with self.session() as session:
            due = list(
                (
                    await session.exec(
                        select(PendingDecision).where(
                            PendingDecision.status == "pending", PendingDecision.expires_at <= now
                        )
                    )
                ).scalars().all()
            )
            expired = []
            for decision in due:
                result = await session.exec(
                    update(PendingDecision)
                    .where(PendingDecision.id == decision.id, PendingDecision.status == "pending")
                    .values(status="expired", decided_at=now)  # type: ignore[arg-type]
                )
                if result.rowcount:
                    expired.append(decision)
            await session.commit()
            return expired

    # --- timers -------------------------------------------------------------

    async def schedule(self, *, kind: str, class_id: str, due_at: datetime, payload: dict[str, Any],
                       dedupe_key: str, now: datetime) -> bool:
        """Persist a timer; False when one with the same dedupe key exists. Timers are
        set by findings (a removal request's follow-up), answers and names, so under
        load they are written together (group commit), as values, not ORM objects."""
        return await self._scheduling.submit(dict(
            kind=kind, class_id=class_id, due_at=due_at, payload=json.dumps(payload, ensure_ascii=False),
            dedupe_key=dedupe_key, created_at=now))

    async def cancel_timers(self, dedupe_prefix: str, now: datetime) -> int:
        async with self.session() as session:
            result = await session.exec(
                update(Timer)
                .where(Timer.dedupe_key.startswith(dedupe_prefix), Timer.done_at.is_(None))  # type: ignore[union-attr, attr-defined]
                .values(done_at=now, claimed_by="cancelled")  # type: ignore[arg-type]
            )
            await session.commit()
            return result.rowcount or 0

    async def claim_due(self, owner: str, now: datetime, lease: timedelta, limit: int = 50,
                        class_ids: set[str] | None = None) -> list[DueTimer]:
        """Claim due timers row by row: an UPDATE that only one process can win."""
        claimable = and_(
            Timer.done_at.is_(None),  # type: ignore[union-attr]
            Timer.due_at <= now,
            or_(Timer.claimed_until.is_(None), Timer.claimed_until < now),  # type: ignore[union-attr, operator]
        )
        query = select(Timer.id).where(claimable).order_by(Timer.due_at).limit(limit)  # type: ignore[arg-type]
        if class_ids is not None:
            query = query.where(Timer.class_id.in_(class_ids))  # type: ignore[attr-defined]
        claimed: list[DueTimer] = []
        async with self.session() as session:
            candidates = list((await session.exec(query)).scalars().all())
            for timer_id in candidates:
                result = await session.exec(
                    update(Timer)
                    .where(Timer.id == timer_id, claimable)
                    .values(claimed_by=owner, claimed_until=now + lease)  # type: ignore[arg-type]
                )
                await session.commit()
                if result.rowcount == 1:
                    timer = await session.get(Timer, timer_id)
                    if timer is not None:
                        claimed.append(DueTimer(timer.id, timer.kind, timer.class_id, timer.due_at,  # type: ignore[arg-type]
                                                json.loads(timer.payload)))
        return claimed

    async def finish_timer(self, timer_id: int, owner: str, now: datetime) -> bool:
        async with self.session() as session:
            result = await session.exec(
                update(Timer).where(Timer.id == timer_id, Timer.claimed_by == owner, Timer.done_at.is_(None))  # type: ignore[union-attr]
                .values(done_at=now)  # type: ignore[arg-type]
            )
            await session.commit()
            return result.rowcount == 1

    async def pending_timers(self, kind: str | None = None) -> list[Timer]:
        query = select(Timer).where(Timer.done_at.is_(None))  # type: ignore[union-attr]
        if kind:
            query = query.where(Timer.kind == kind)
        async with self.session() as session:
            return list((await session.exec(query.order_by(Timer.due_at))).scalars().all())  # type: ignore[arg-type]

    # --- plugin modes -------------------------------------------------------

    async def set_plugin_mode(self, class_id: str, plugin: str, mode: str, by: str, now: datetime) -> None:
        async with self.session() as session:
            row = await session.get(PluginMode, (class_id, plugin))
            if row is None:
                row = PluginMode(class_id=class_id, plugin=plugin, mode=mode, changed_by=by, changed_at=now)
            row.mode, row.changed_by, row.changed_at = mode, by, now
            session.add(row)
            await session.commit()

    async def plugin_modes(self) -> dict[str, dict[str, str]]:
        async with self.session() as session:
            rows = (await session.exec(select(PluginMode))).scalars().all()
        modes: dict[str, dict[str, str]] = {}
        for row in rows:
            modes.setdefault(row.class_id, {})[row.plugin] = row.mode
        return modes

    # --- once markers ---------------------------------------------------------

    async def once(self, key: str, now: datetime, ttl: timedelta) -> bool:
        """True the first time `key` is seen (until it expires); False afterwards.
        Markers set at the same time share one transaction (every member's first
        message of a quiet night sets one)."""
        return await self._marking.submit(dict(key=key, created_at=now, expires_at=now + ttl))

    async def _mark_in(self, connection: Any, rows: Sequence[dict[str, Any]]) -> list[bool]:
        """Drop the expired markers of these keys, then insert the new ones. Expired
        means as of the earliest row's time: a marker never ends early for a row."""
        since = min(row["created_at"] for row in rows)
        await connection.execute(_EXPIRED_MARKERS, {"keys": list({row["key"] for row in rows}), "since": since})
        return await self._insert_new_in(connection, rows, model=Marker, key="key")

    # --- members ------------------------------------------------------------

    async def remember_member(self, *, class_id: str, account_key: str, group_key: str, display_name: str,
                              person_key: str, name_ok: bool, now: datetime, left: bool = False) -> KnownMember:
        """Insert or update a member in one statement (this runs on the first sight of
        every member; under load the first sights in flight share one statement and
        transaction); empty names and keys keep the stored ones. Returns the row as
        stored (read-only)."""
        return await self._member_writes.submit(dict(
            class_id=class_id, account_key=account_key, group_key=group_key, display_name=display_name,
            person_key=person_key, name_ok=name_ok, first_seen=now, last_seen=now, left_at=now if left else None))

    async def _write_members_in(self, connection: Any, rows: Sequence[dict[str, Any]]) -> list[Any]:
        """Upsert a batch of member rows, in order: one statement per round of distinct
        members (one row may not be upserted twice in one statement), in the caller's
        transaction."""
        rounds: list[list[int]] = []
        seen: dict[tuple[str, str], int] = {}
        for index, row in enumerate(rows):
            key = (row["class_id"], row["account_key"])
            seen[key] = depth = seen.get(key, -1) + 1
            if depth == len(rounds):
                rounds.append([])
            rounds[depth].append(index)
        stored: list[Any] = [None] * len(rows)
        for indexes in rounds:
            returned = {(r.class_id, r.account_key): r for r in await connection.execute(
                self._member_upsert(), [rows[i] for i in indexes])}
            for i in indexes:
                stored[i] = returned[(rows[i]["class_id"], rows[i]["account_key"])]
        return stored

    def _member_upsert(self) -> Any:
        """INSERT .. ON CONFLICT (class, account) DO UPDATE .. RETURNING, built once."""
        if self._upsert is None:
            insert = sqlite_insert if self.engine.dialect.name == "sqlite" else pg_insert
            statement = insert(KnownMember)
            table, fresh = KnownMember.__table__.c, statement.excluded  # type: ignore[attr-defined]
            keep = {name: case((getattr(fresh, name) == "", getattr(table, name)), else_=getattr(fresh, name))
                    for name in ("group_key", "display_name", "person_key")}
            self._upsert = statement.on_conflict_do_update(
                index_elements=[table.class_id, table.account_key],
                set_={**keep, "name_ok": fresh.name_ok, "last_seen": fresh.last_seen, "left_at": fresh.left_at},
            ).returning(*KnownMember.__table__.c)  # type: ignore[attr-defined]
        return self._upsert

    async def person_of_account(self, class_id: str, account_key: str) -> str | None:
        """The person an account was last known as: its member row, else its latest strike."""
        known = await self.known_member(class_id, account_key)
        if known is not None and known.person_key:
            return known.person_key
        async with self.session() as session:
            return (await session.exec(
                select(Strike.person_key).where(Strike.class_id == class_id, Strike.account_key == account_key)
                .order_by(Strike.created_at.desc()).limit(1)  # type: ignore[union-attr]
            )).scalars().first()

    async def known_member(self, class_id: str, account_key: str) -> KnownMember | None:
        """The member's row, read-only (a Core row with the same fields: this runs on the
        first sight of every member, where an ORM object cost more than the query; the
        reads in flight under load share one query)."""
        return await self._member_reads.submit((class_id, account_key))

    async def _read_members(self, keys: Sequence[tuple[str, str]]) -> list[Any]:
        table = KnownMember.__table__  # type: ignore[attr-defined]
        where = (and_(table.c.class_id == keys[0][0], table.c.account_key == keys[0][1]) if len(keys) == 1
                 else tuple_(table.c.class_id, table.c.account_key).in_(set(keys)))
        async with self.engine.connect() as connection:
            found = {(r.class_id, r.account_key): r for r in await connection.execute(select(table).where(where))}
        return [found.get(key) for key in keys]

    async def count(self, table: type, **where: Any) -> int:
        async with self.session() as session:
            query = select(func.count()).select_from(table)
            for column, value in where.items():
                query = query.where(getattr(table, column) == value)
            return int((await session.exec(query)).scalar_one())


def _active_strikes_of_people() -> Any:
    """The active strikes of the people `people` ((class, person) pairs), unpardoned and
    expiring after `after`, oldest first."""
    table = Strike.__table__  # type: ignore[attr-defined]
    return (select(table.c.id, table.c.class_id, table.c.person_key, table.c.account_key, table.c.rule_id,
                   table.c.event_key, table.c.created_at, table.c.expires_at)
            .where(tuple_(table.c.class_id, table.c.person_key).in_(bindparam("people", expanding=True)),
                   table.c.pardoned_at.is_(None), table.c.expires_at > bindparam("after"))
            .order_by(table.c.created_at, table.c.id))


_REQUEST_FIELDS = tuple(f.name for f in fields(DecisionRequest))


def _pending_decisions_of() -> Any:
    """The ids of the pending decisions of `keys` (DecisionRequest.identity tuples), oldest first."""
    table = PendingDecision.__table__  # type: ignore[attr-defined]
    identity = (table.c.class_id, table.c.kind, table.c.person_key, table.c.account_key)
    return (select(table.c.id, *identity)
            .where(tuple_(*identity).in_(bindparam("keys", expanding=True)), table.c.status == "pending")
            .order_by(table.c.id))


def _journal_closing() -> Any:
    """Close the journal entry `closing_key` at `closed_at` (run with many parameter sets)."""
    table = FindingJournal.__table__  # type: ignore[attr-defined]
    return update(table).where(table.c.event_key == bindparam("closing_key")).values(done_at=bindparam("closed_at"))


def _decision_opening() -> Any:
    """INSERT a pending decision RETURNING its id, run with the request's values: built
    once (a statement built with .values() for every request cost more than its write)."""
    table = PendingDecision.__table__  # type: ignore[attr-defined]
    return table.insert().returning(table.c.id)


def _expired_markers() -> Any:
    """DELETE the markers of `keys` that expired by `since`: built once, like every
    statement of the writer's lanes."""
    from sqlalchemy import delete

    table = Marker.__table__  # type: ignore[attr-defined]
    return delete(table).where(table.c.key.in_(bindparam("keys", expanding=True)), table.c.expires_at <= bindparam("since"))


_EXPIRED_MARKERS = _expired_markers()
_AUDIT_TABLE = AuditRecord.__table__  # type: ignore[attr-defined]
_AUDIT_COLUMNS = tuple(column.key for column in _AUDIT_TABLE.columns if not column.primary_key)
_AUDIT_INSERT = _AUDIT_TABLE.insert()  # run with a list of rows (executemany)

"""Receipt lists in the database: insert, read, and compare-and-swap updates.

Every change to a list goes through `update`, which re-reads the row and writes
it back only if nobody changed it meanwhile (its `version`), so replies counted by
two bot processes at once are both kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update as sql_update
from sqlalchemy.exc import IntegrityError

from plugins.charter.store import Store

from .open_state import receipt_groups
from .receipts import ReceiptList
from .tables import ReceiptListRow

CAS_ATTEMPTS = 8


def _row(class_id: str, receipts: ReceiptList) -> ReceiptListRow:
    return ReceiptListRow(
        key=receipts.key, class_id=class_id, group_key=receipts.group.key, created_at=receipts.created_at,
        closes_at=receipts.closes_at, version=0, payload=json.dumps(receipts.to_dict(), ensure_ascii=False),
    )


def _list(row: ReceiptListRow) -> ReceiptList:
    return ReceiptList.from_dict(json.loads(row.payload))


async def insert(store: Store, class_id: str, receipts: ReceiptList) -> bool:
    """Persist a new list; False when the notice already has one (a redelivered message)."""
    async with store.session() as session:
        session.add(_row(class_id, receipts))
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
            return False
    receipt_groups.add(store, receipts.group.key, receipts.closes_at)
    return True


async def load(store: Store, key: str) -> ReceiptList | None:
    async with store.session() as session:
        row = await session.get(ReceiptListRow, key)
        return _list(row) if row is not None else None


async def open_in_group(store: Store, group_key: str, now: datetime) -> list[ReceiptList]:
    """Lists of a group that still count replies (not closed, someone missing)."""
    query = (
        select(ReceiptListRow)
        .where(ReceiptListRow.group_key == group_key, ReceiptListRow.closes_at > now)
        .order_by(ReceiptListRow.created_at)  # type: ignore[arg-type]
    )
    async with store.session() as session:
        rows = (await session.exec(query)).scalars().all()  # type: ignore[call-overload]
    return [found for found in (_list(row) for row in rows) if found.is_open(now)]


async def latest_in_group(store: Store, group_key: str) -> ReceiptList | None:
    query = (
        select(ReceiptListRow)
        .where(ReceiptListRow.group_key == group_key)
        .order_by(ReceiptListRow.created_at.desc())  # type: ignore[attr-defined]
        .limit(1)
    )
    async with store.session() as session:
        row = (await session.exec(query)).scalars().first()  # type: ignore[call-overload]
    return _list(row) if row is not None else None


async def update(store: Store, key: str, change: Callable[[ReceiptList], bool]) -> ReceiptList | None:
    """Apply `change` (returns whether it changed anything) to the stored list and save it.

    Retried on a concurrent write; returns the list as saved, or None if it is gone.
    """
    for _ in range(CAS_ATTEMPTS):
        async with store.session() as session:
            row = await session.get(ReceiptListRow, key)
            if row is None:
                return None
            receipts = _list(row)
            if not change(receipts):
                return receipts
            result = await session.exec(  # type: ignore[call-overload]
                sql_update(ReceiptListRow)
                .where(ReceiptListRow.key == key, ReceiptListRow.version == row.version)  # type: ignore[arg-type]
                .values(version=row.version + 1, payload=json.dumps(receipts.to_dict(), ensure_ascii=False))
            )
            await session.commit()
            if result.rowcount == 1:
                return receipts
    raise RuntimeError(f"receipt list {key}: too many concurrent updates")

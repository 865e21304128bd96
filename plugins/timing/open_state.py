"""Which groups and people have something open in the database, kept in memory.

The message listeners must not query the database for an ordinary message. Two of
them only have work when something is open: a reply counts only in a group with
an open receipt list, an answer stops deadlines only where the sender has one. An
`OpenIndex` holds the keys that may have open state (a group key, a deadline
scope), each with the time it stops being open (or None), so the listener asks the
database only for those.

- Loaded from the database on first need, then refreshed every `REFRESH_SECONDS`
  of real time on the message path: what another bot process opened on the same
  database is seen within that interval. What this process opens is added at once.
- A key may be in the index with nothing open behind it (completed elsewhere):
  the listener then finds nothing in the database and drops the key. The opposite
  (something open, key missing) only happens for another process's state younger
  than the refresh interval.
- Per database: a new Store (tests, a restarted runtime) starts a fresh load.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import func, select

from plugins.charter.store import Store
from plugins.charter.tables import Timer

from .tables import ReceiptListRow
from .timers import SLA_ESCALATE, SLA_REMIND

REFRESH_SECONDS = 30.0

Loader = Callable[[Store, datetime], Awaitable[dict[str, datetime | None]]]


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return None if a is None or b is None else max(a, b)


class OpenIndex:
    def __init__(self, load: Loader, refresh_seconds: float = REFRESH_SECONDS):
        self._load = load
        self.refresh_seconds = refresh_seconds
        self._store: Store | None = None
        self._keys: dict[str, tuple[datetime | None, int]] = {}  # key -> (open until, stamp)
        self._loaded_at: float | None = None
        self._added_while_loading: dict[str, datetime | None] | None = None
        self._stamp = 0

    async def lookup(self, store: Store, key: str, now: datetime) -> int | None:
        """A stamp (for `drop`) when `key` may have open state at `now`, else None."""
        if store is not self._store:
            self._store, self._keys, self._loaded_at, self._added_while_loading = store, {}, None, None
        stale = self._loaded_at is None or time.monotonic() - self._loaded_at > self.refresh_seconds
        if stale and self._added_while_loading is None:
            await self._refresh(store, now)
        entry = self._keys.get(key)
        if entry is None or (entry[0] is not None and now.astimezone(UTC) >= entry[0]):
            return None
        return entry[1]

    def surely_closed(self, store: Store, key: str, now: datetime) -> bool:
        """True when `lookup` would answer None without loading: the index is loaded for
        this store and fresh, and `key` is not open in it at `now`. False says nothing
        (ask `lookup`). A plain call, for the listeners' test before any coroutine."""
        loaded_at = self._loaded_at
        if store is not self._store or loaded_at is None:
            return False
        if time.monotonic() - loaded_at > self.refresh_seconds and self._added_while_loading is None:
            return False  # stale: lookup refreshes first
        entry = self._keys.get(key)
        return entry is None or (entry[0] is not None and now.astimezone(UTC) >= entry[0])

    async def _refresh(self, store: Store, now: datetime) -> None:
        self._added_while_loading = {}
        try:
            fresh = await self._load(store, now)
        finally:
            added, self._added_while_loading = self._added_while_loading, None
        if store is not self._store:
            return
        for key, until in added.items():
            fresh[key] = _later(fresh[key], until) if key in fresh else until
        self._stamp += 1
        self._keys = {key: (until, self._stamp) for key, until in fresh.items()}
        self._loaded_at = time.monotonic()

    def add(self, store: Store, key: str, until: datetime | None = None) -> None:
        """This process opened something under `key` (until `until`, or with no end)."""
        if store is not self._store:
            return  # not loaded for this database yet: the first load finds it
        if self._added_while_loading is not None:
            self._added_while_loading[key] = until
        self._stamp += 1
        current = self._keys.get(key)
        self._keys[key] = (_later(current[0], until) if current else until, self._stamp)

    def drop(self, key: str, stamp: int) -> None:
        """Nothing is open under `key` any more, unless it was added since `stamp`."""
        current = self._keys.get(key)
        if current is not None and current[1] == stamp:
            del self._keys[key]


async def _open_receipt_groups(store: Store, now: datetime) -> dict[str, datetime | None]:
    query = (select(ReceiptListRow.group_key, func.max(ReceiptListRow.closes_at))
             .where(ReceiptListRow.closes_at > now).group_by(ReceiptListRow.group_key))
    async with store.session() as session:
        rows = (await session.exec(query)).all()  # type: ignore[call-overload]
    return {group_key: closes if closes.tzinfo else closes.replace(tzinfo=UTC) for group_key, closes in rows}


async def _deadline_scopes(store: Store, now: datetime) -> dict[str, datetime | None]:
    query = select(Timer.payload).where(Timer.kind.in_((SLA_REMIND, SLA_ESCALATE)),  # type: ignore[attr-defined]
                                        Timer.done_at.is_(None))  # type: ignore[union-attr]
    async with store.session() as session:
        payloads = (await session.exec(query)).scalars().all()  # type: ignore[call-overload]
    scopes: dict[str, datetime | None] = {}
    for payload in payloads:
        scope = json.loads(payload).get("spec", {}).get("scope", "")
        if scope:
            scopes[scope] = None
    return scopes


# groups with an open receipt list, until the latest one closes
receipt_groups = OpenIndex(_open_receipt_groups)
# deadline scopes (sla.answer_scope) with a timer still pending
deadline_scopes = OpenIndex(_deadline_scopes)


class SetMarkers:
    """Once-markers (Store.once) this process knows are set, until they expire: a
    repeated key is answered here, not by a failed insert. Bounded; per database."""

    def __init__(self, limit: int = 50_000):
        self.limit = limit
        self._store: Store | None = None
        self._until: OrderedDict[str, datetime] = OrderedDict()

    def is_set(self, store: Store, key: str, now: datetime) -> bool:
        if store is not self._store:
            self._store, self._until = store, OrderedDict()
        until = self._until.get(key)
        return until is not None and now < until

    def note(self, store: Store, key: str, until: datetime) -> None:
        if store is not self._store:
            self._store, self._until = store, OrderedDict()
        self._until[key] = until
        self._until.move_to_end(key)
        while len(self._until) > self.limit:
            self._until.popitem(last=False)


# quiet-hours reminders already sent (or claimed by another process) per person and window
quiet_reminded = SetMarkers()

"""membership.real_name in the running bot: check a name, remind, wait, then the ladder.

A name is checked when a member joins (where the platform tells the name), on
every rename the platform reports, and on first sight: the first message of a
member the bot has not checked under that name. A name that breaks the rule gets
a private reminder with the exact expected form and starts a grace period
(`grace_hours`), persisted as a timer. When it runs out and the name still fails,
the member gets one strike (the ladder: reminder, public notice, removal) and a
new grace period starts; a rename to a valid name, or leaving, cancels it.

Grace periods are numbered per class and account ("…:qq:123:0", ":1", ...): the
timer table's unique dedupe key lets only one process start a round, and the
reminder for a round and a name is sent once (a marker), so redelivered events
and several processes never remind twice.

Staff: office and leaders are exempt (the naming rule says so); teachers get
the reminder, never a grace period or a strike (escalation.teachers).

The message path does no database work for a member already checked under their
current name (`checked`, bounded), writes the member row only when something in it
changed, and cancels a grace period only when this process knows one is running
(`running_grace`, loaded from the timer table on first need). A grace
period another process started after that is still cancelled by a rename or a
leave (member events always ask the database), and when it runs out `grace_over`
judges the name as it is then, so a member who fixed their name is never struck.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable
from datetime import datetime, timedelta

from sqlalchemy import select

from plugins.charter.config import ClassConfig
from plugins.charter.listeners import on_class_message
from plugins.charter.model import Account, Action, ActionKind, GroupRef, IncomingMessage
from plugins.charter.runtime import Runtime
from plugins.charter.store import DueTimer
from plugins.charter.tables import KnownMember, Timer
from plugins.charter.timers import schedule, timer_handler

from .bounded import RecentlyUsed
from .effects import event_finding, member_for, role_hint
from .for_class import name_verdict, reminder_for

RULE = "membership.real_name"
GRACE_TIMER = RULE
CHECKED_LIMIT = 50_000  # members whose current name this process has checked


class CheckedNames:
    """(class, account) -> the display name last checked, in memory and bounded.

    An entry is one string key (the class's length, the class, the account: no two
    pairs give the same key) and the name, interned so that the other caches keeping
    the same display name share it. See RecentlyUsed for the eviction: a member
    dropped is checked again on their next message, against the database row, with
    the same verdict."""

    def __init__(self, limit: int = CHECKED_LIMIT):
        self.limit = limit
        self._names: RecentlyUsed[str, str] = RecentlyUsed(limit)

    def entries(self) -> int:
        return len(self._names)

    def seen(self, class_id: str, account_key: str, name: str) -> bool:
        key = _key(class_id, account_key)
        # every message asks: a member seen lately is in the young generation, read there
        # without the call (see RecentlyUsed)
        return self._names._young.get(key) == name or self._names.get(key) == name

    def remember(self, class_id: str, account_key: str, name: str) -> None:
        self._names.put(_key(class_id, account_key), sys.intern(name))

    def forget(self, class_id: str, account_key: str) -> None:
        self._names.pop(_key(class_id, account_key))


def _key(class_id: str, account_key: str) -> str:
    return f"{len(class_id)}:{class_id}{account_key}"


checked = CheckedNames()


class RunningGrace:
    """Per class, the accounts with a grace period running, as far as this process knows.

    Loaded from the timer table in one query the first time any class needs it (the
    first sights after a start ask for every class at once, and one query per class
    made each of them wait for its own), then kept up to date by the grace periods
    this process starts and cancels. Only classes with a grace period running are
    held, so the size follows the members with a failing name, not the classes.
    """

    def __init__(self) -> None:
        self._classes: dict[str, set[str]] | None = None  # None: not loaded from this store
        self._store: object | None = None  # what was loaded is true of this database only
        self._loading: asyncio.Lock = asyncio.Lock()

    async def _loaded(self, runtime: Runtime) -> dict[str, set[str]]:
        if runtime.store is not self._store:  # a new store (and, in tests, maybe a new event loop)
            self._classes, self._store, self._loading = None, runtime.store, asyncio.Lock()
        if self._classes is None:
            async with self._loading:  # the tasks waiting here share the one load
                if self._classes is None:
                    self._classes = await self._load(runtime)
        return self._classes

    @staticmethod
    async def _load(runtime: Runtime) -> dict[str, set[str]]:
        prefix = f"{GRACE_TIMER}:"
        async with runtime.store.session() as session:
            keys = (await session.exec(
                select(Timer.dedupe_key).where(Timer.dedupe_key.startswith(prefix),  # type: ignore[attr-defined]
                                               Timer.done_at.is_(None))  # type: ignore[union-attr]
            )).all()
        classes: dict[str, set[str]] = {}
        for (key,) in keys:  # "<rule>:<class>:<account key>:<round>"; class ids hold no ':'
            class_id, _, rest = key[len(prefix):].partition(":")
            account_key = rest.rpartition(":")[0]
            if account_key:
                classes.setdefault(class_id, set()).add(account_key)
        return classes

    async def running(self, runtime: Runtime, class_id: str, account_key: str) -> bool:
        return account_key in (await self._loaded(runtime)).get(class_id, ())

    def started(self, class_id: str, account_key: str) -> None:
        if self._classes is not None:  # not loaded yet: the load will find the timer
            self._classes.setdefault(class_id, set()).add(account_key)

    def ended(self, class_id: str, account_key: str) -> None:
        if self._classes is None:
            return
        accounts = self._classes.get(class_id)
        if accounts is not None:
            accounts.discard(account_key)
            if not accounts:
                del self._classes[class_id]


running_grace = RunningGrace()


def grace_prefix(class_id: str, account: Account) -> str:
    return f"{GRACE_TIMER}:{class_id}:{account.key}:"


def grace_hours(cls: ClassConfig) -> float:
    return float(cls.settings(RULE).grace_hours)


async def _rounds(runtime: Runtime, prefix: str) -> tuple[int, int | None]:
    """(grace periods started so far, the round still running or None)."""
    async with runtime.store.session() as session:
        rows = (await session.exec(
            select(Timer.dedupe_key, Timer.done_at).where(Timer.dedupe_key.startswith(prefix))  # type: ignore[attr-defined]
        )).all()
    running = [int(key[len(prefix):]) for key, done in rows if done is None and key[len(prefix):].isdigit()]
    return len(rows), (max(running) if running else None)


async def _start_round(runtime: Runtime, cls: ClassConfig, account: Account, group: GroupRef, number: int,
                       now: datetime) -> bool:
    running_grace.started(cls.id, account.key)  # by this process, or (False) by another one just now
    return await schedule(
        runtime, kind=GRACE_TIMER, class_id=cls.id, due_at=now + timedelta(hours=grace_hours(cls)),
        payload={"account": account.key, "group": group.key, "round": number},
        dedupe_key=f"{grace_prefix(cls.id, account)}{number}",
    )


async def cancel_grace(runtime: Runtime, cls: ClassConfig, account: Account, *, known_only: bool = False) -> int:
    """End the account's grace period. `known_only` (the message path): only when this
    process knows one is running, so an ordinary first sight costs no write."""
    if known_only and not await running_grace.running(runtime, cls.id, account.key):
        return 0
    running_grace.ended(cls.id, account.key)
    return await runtime.store.cancel_timers(grace_prefix(cls.id, account), runtime.clock())


def _unchanged(known: KnownMember | None, group: GroupRef, name: str, person_key: str, ok: bool) -> bool:
    """Whether remembering the member would write what the row already says."""
    return (known is not None and known.left_at is None and known.group_key == group.key
            and known.display_name == name and known.name_ok == ok and (not person_key or known.person_key == person_key))


async def check_name(runtime: Runtime, cls: ClassConfig, account: Account, group: GroupRef, name: str,
                     when: datetime, known: KnownMember | None = None, *, looked_up: bool = False,
                     on_message: bool = False) -> bool:
    """Judge `name`, remember the member, and remind / start or cancel the grace period.

    Returns whether the name passes. `known` is the member's row when the caller
    has already read it (`looked_up`), to save a query. `on_message`: called on
    first sight, where a grace period is cancelled only if this process knows of it.
    """
    store = runtime.store
    if not looked_up:
        known = await store.known_member(cls.id, account.key)
    hint = role_hint(cls, account)
    verdict = name_verdict(cls, name, hint)
    now = runtime.clock()
    if not _unchanged(known, group, name, verdict.person_key or "", verdict.ok):
        await store.remember_member(class_id=cls.id, account_key=account.key, group_key=group.key,
                                    display_name=name, person_key=verdict.person_key or "", name_ok=verdict.ok,
                                    now=now)
    checked.remember(cls.id, account.key, name)
    if verdict.ok:
        await cancel_grace(runtime, cls, account, known_only=on_message)
        return True
    mode = cls.rule_mode(RULE)
    if mode == "off":
        return False
    member = member_for(runtime, cls, account, name, known)
    prefix = grace_prefix(cls.id, account)
    if mode == "shadow":
        if await store.once(f"{prefix}shadow:{name[:80]}", now, timedelta(days=30)):
            finding = event_finding(cls, RULE, member, group, when, evidence=name, reason=verdict.reason,
                                    event_key=f"{prefix}shadow:{name[:80]}")
            await runtime.enforcer.handle_one(finding, cls)
        return False
    number = 0
    if not member.is_staff:
        started, running = await _rounds(runtime, prefix)
        if running is None:
            await _start_round(runtime, cls, account, group, started, now)  # False: another process just did
            number = started
        else:
            number = running
    if await store.once(f"{prefix}{number}:remind:{name[:80]}", now, timedelta(hours=grace_hours(cls) + 24)):
        text = reminder_for(cls, name, hint, known.person_key if known and known.person_key else None)
        if text:
            finding = event_finding(cls, RULE, member, group, when, evidence=name, reason=verdict.reason,
                                    event_key=f"{prefix}{number}", actions=("remind",))
            await runtime.enforcer.execute(
                [Action(ActionKind.REMIND_PRIVATE, group, account, text=text, rule_id=RULE)], cls, finding)
    return False


@on_class_message
def first_sight(runtime: Runtime, cls: ClassConfig, message: IncomingMessage) -> Awaitable[None] | None:
    """Check a member's name once: the first message under a name not yet checked.
    A plain function: a name already checked (nearly every message) makes no coroutine."""
    account, name = message.sender.account, message.sender.display_name
    if not name or checked.seen(cls.id, account.key, name):
        return None
    return _first_sight(runtime, cls, message)


async def _first_sight(runtime: Runtime, cls: ClassConfig, message: IncomingMessage) -> None:
    account, name = message.sender.account, message.sender.display_name
    known = await runtime.store.known_member(cls.id, account.key)
    if known is not None and known.left_at is None and known.display_name == name and known.name_ok:
        checked.remember(cls.id, account.key, name)
        return
    await check_name(runtime, cls, account, message.group, name, message.time, known, looked_up=True,
                     on_message=True)


@timer_handler(GRACE_TIMER)
async def grace_over(runtime: Runtime, timer: DueTimer) -> None:
    """The grace period ran out: a strike if the name still fails, and the next round."""
    cls = runtime.config.classes.get(timer.class_id)
    if cls is None or cls.rule_mode(RULE) == "off":
        return
    account = Account.parse(timer.payload["account"])
    platform, _, group_id = str(timer.payload["group"]).partition(":")
    group = GroupRef(platform, group_id)
    known = await runtime.store.known_member(cls.id, account.key)
    if known is None or known.left_at is not None:
        running_grace.ended(cls.id, account.key)
        return
    hint = role_hint(cls, account)
    verdict = name_verdict(cls, known.display_name, hint)
    if verdict.ok:
        running_grace.ended(cls.id, account.key)
        return
    now = runtime.clock()
    member = member_for(runtime, cls, account, known.display_name, known)
    key = f"{grace_prefix(cls.id, account)}{timer.payload['round']}"
    finding = event_finding(cls, RULE, member, group, now, evidence=known.display_name, reason=verdict.reason,
                            event_key=key, actions=("strike",))
    await runtime.enforcer.handle_one(finding, cls)
    if finding.shadow or member.is_staff:
        running_grace.ended(cls.id, account.key)
        return
    started, running = await _rounds(runtime, grace_prefix(cls.id, account))
    if running is None or running == int(timer.payload["round"]):
        await _start_round(runtime, cls, account, group, started, now)

"""Persisted timers: scheduled in the database, claimed row by row, fired once.

Plugins register a handler per timer kind. A loop in each bot process claims the
due timers of the classes it serves; a claim is a lease, so a process that dies
mid-timer leaves it to be claimed again when the lease runs out, and two processes
never fire the same timer at the same time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from loguru import logger

from . import heap
from .runtime import Runtime
from .store import DueTimer

TimerHandler = Callable[[Runtime, DueTimer], Awaitable[None]]

LEASE = timedelta(minutes=2)
POLL_SECONDS = 1.0
HOUSEKEEPING_EVERY = 30  # polls between housekeeping sweeps
JOURNAL_KEEP = timedelta(days=2)  # a redelivered event within this time is recognised

_handlers: dict[str, TimerHandler] = {}
_housekeeping: list[Callable[[Runtime, datetime], Awaitable[None]]] = []


def timer_handler(kind: str) -> Callable[[TimerHandler], TimerHandler]:
    def register(handler: TimerHandler) -> TimerHandler:
        _handlers[kind] = handler
        return handler

    return register


def housekeeping(task: Callable[[Runtime, datetime], Awaitable[None]]) -> Callable[[Runtime, datetime], Awaitable[None]]:
    """A periodic task (about once a minute), e.g. expiring pending decisions."""
    _housekeeping.append(task)
    return task


async def schedule(runtime: Runtime, *, kind: str, class_id: str, due_at: datetime, payload: dict[str, Any],
                   dedupe_key: str) -> bool:
    if kind not in _handlers:
        raise ValueError(f"no handler registered for timer kind {kind!r}")
    return await runtime.store.schedule(kind=kind, class_id=class_id, due_at=due_at, payload=payload,
                                        dedupe_key=dedupe_key, now=runtime.clock())


_scheduled: set[str] = set()  # dedupe keys this process has scheduled with schedule_once


async def schedule_once(runtime: Runtime, *, kind: str, class_id: str, due_at: datetime, payload: dict[str, Any],
                        dedupe_key: str) -> None:
    """Schedule unless this process already did: for housekeeping tasks that make sure
    the next run of a recurring job exists (the database's dedupe key covers other processes)."""
    if dedupe_key in _scheduled:
        return
    await schedule(runtime, kind=kind, class_id=class_id, due_at=due_at, payload=payload, dedupe_key=dedupe_key)
    if len(_scheduled) > 10_000:
        _scheduled.clear()
    _scheduled.add(dedupe_key)


async def platforms_ready(runtime: Runtime) -> bool:
    """Some platform connected with its operations prepared. NoneBot prepares them in a
    connect hook and drops them in a disconnect hook, both run as tasks: here a bot it
    lists is prepared, and operations of a connection it no longer lists are dropped
    (a timer must not act through a closed connection)."""
    from nonebot import get_bots

    from .lifecycle import ensure_connected

    for platform in list(runtime.ops):
        runtime.drop_closed(platform)
    for bot in get_bots().values():
        await ensure_connected(bot)
    return any(runtime.ops.values())


async def run_due(runtime: Runtime, limit: int = 100) -> int:
    """Fire the due timers this process can claim; returns how many fired."""
    if not await platforms_ready(runtime):
        return 0  # nothing connected to act through yet (just started): leave timers for later
    now = runtime.clock()
    due = await runtime.store.claim_due(runtime.owner, now, LEASE, limit=limit,
                                        class_ids=set(runtime.config.classes))
    for timer in due:
        handler = _handlers.get(timer.kind)
        try:
            if handler is None:
                logger.error(f"timer {timer.id}: no handler for kind {timer.kind!r}; dropped")
            else:
                await handler(runtime, timer)
        except Exception as exc:  # one broken timer must not stop the others
            logger.opt(exception=exc).error(f"timer {timer.id} ({timer.kind}) failed; not retried")
        await runtime.store.finish_timer(timer.id, runtime.owner, runtime.clock())
    return len(due)


@housekeeping
async def recover_findings(runtime: Runtime, now: datetime) -> None:
    """Findings journaled by a process that stopped before acting; old journal rows go."""
    await runtime.enforcer.recover(runtime.config.classes)
    await runtime.store.purge_journal(now - JOURNAL_KEEP)


@housekeeping
async def return_freed_memory(runtime: Runtime, now: datetime) -> None:
    """Pages the C allocator kept after a busy spell go back to the system (heap.py)."""
    heap.trim()


@housekeeping
async def forget_old_audit_records(runtime: Runtime, now: datetime) -> None:
    """The audit log is evidence for a while, not an archive: records past the retention go."""
    removed = await runtime.store.purge_audit(now - runtime.audit_retention)
    if removed:
        logger.info(f"audit log: {removed} record(s) older than {runtime.audit_retention.days} days removed")


async def run_housekeeping(runtime: Runtime) -> None:
    for task in _housekeeping:
        try:
            await task(runtime, runtime.clock())
        except Exception as exc:
            logger.opt(exception=exc).error(f"housekeeping task {task.__name__} failed")


async def timer_loop(runtime: Runtime, stop: asyncio.Event) -> None:
    polls = 0
    while not stop.is_set():
        try:
            await runtime.enforcer.retry_deferred(runtime.config.classes)
            await run_due(runtime)
            if polls % HOUSEKEEPING_EVERY == 0:
                await run_housekeeping(runtime)
        except Exception as exc:  # the database may be away for a while; try again
            logger.opt(exception=exc).warning("timer loop: database unavailable, retrying")
        polls += 1
        try:
            await asyncio.wait_for(stop.wait(), POLL_SECONDS)
        except TimeoutError:
            pass

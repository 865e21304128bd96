"""TimerSpec <-> the core's persisted timers, and carrying out a step's actions.

A stored timer's payload is {"spec": TimerSpec.to_dict(), "attempt": n}. Its dedupe
key starts with the spec's scope, so `cancel_scope` stops every timer of a scope
(an answer stops the responsible person's deadlines in a group) with one UPDATE;
the rest names the step (key, kind, an anchor such as the due time or the quiet
window instance), so the same step is never stored twice, by one process or two.
A step that finds no platform connection (the bot just restarted, the account is
offline) is stored again a little later, with a growing delay.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from loguru import logger

from plugins.charter.config import ClassConfig
from plugins.charter.model import Action, OpResult
from plugins.charter.runtime import Runtime
from plugins.charter.store import DueTimer
from plugins.charter.tables import AuditRecord
from plugins.charter.timers import schedule

from .open_state import deadline_scopes
from .timers import SLA_ESCALATE, SLA_REMIND, TimerSpec

DEDUPE_LIMIT = 300  # the column's length
RETRY_FIRST = timedelta(seconds=2)
RETRY_MAX = timedelta(minutes=10)
GIVE_UP_AFTER = timedelta(hours=24)  # a reminder this late is no use to anyone


def dedupe_key(spec: TimerSpec, anchor: str = "", attempt: int = 0) -> str:
    head = f"{spec.scope or spec.key}|"
    own_key = "" if spec.key == (spec.scope or spec.key) else f"{spec.key}|"
    step = f"{own_key}{spec.kind}|{anchor or spec.due_at.isoformat()}#{attempt}"
    if len(head) + len(step) > DEDUPE_LIMIT:
        step = hashlib.sha256(step.encode()).hexdigest()
    return (head + step)[:DEDUPE_LIMIT]


async def schedule_spec(runtime: Runtime, class_id: str, spec: TimerSpec, *, anchor: str = "", attempt: int = 0,
                        due_at: datetime | None = None) -> bool:
    """Store `spec`; False when that step is already stored. `due_at` overrides when the
    row fires (a retry) without changing the spec's own due time."""
    if spec.kind in (SLA_REMIND, SLA_ESCALATE) and spec.scope:
        deadline_scopes.add(runtime.store, spec.scope)  # an answer in this scope now asks the database
    return await schedule(
        runtime, kind=spec.kind, class_id=class_id, due_at=due_at or spec.due_at,
        payload={"spec": spec.to_dict(), "attempt": attempt, "anchor": anchor},
        dedupe_key=dedupe_key(spec, anchor, attempt),
    )


def spec_of(timer: DueTimer) -> tuple[TimerSpec, int, str]:
    payload: dict[str, Any] = timer.payload
    return TimerSpec.from_dict(payload["spec"]), int(payload.get("attempt", 0)), str(payload.get("anchor", ""))


async def cancel_scope(runtime: Runtime, scope: str) -> int:
    return await runtime.store.cancel_timers(f"{scope}|", runtime.clock())


async def retry_later(runtime: Runtime, timer: DueTimer) -> bool:
    """Store the timer again for a later attempt; False once it is too late to bother."""
    spec, attempt, anchor = spec_of(timer)
    now = runtime.clock()
    if now - spec.due_at > GIVE_UP_AFTER:
        logger.warning(f"timer {timer.id} ({timer.kind}): no platform connection for a day; dropped")
        return False
    delay = min(RETRY_FIRST * (2 ** min(attempt, 20)), RETRY_MAX)
    return await schedule_spec(runtime, timer.class_id, spec, anchor=anchor, attempt=attempt + 1, due_at=now + delay)


async def carry_out(runtime: Runtime, cls: ClassConfig, actions: list[Action], rule_id: str) -> None:
    """Execute the actions (audited, rate-limited, with the capability fallback), or in
    shadow mode only record what would have been done."""
    if not actions:
        return
    mode = cls.rule_mode(rule_id)
    if mode == "off":
        return
    if mode == "on":
        await runtime.enforcer.execute(actions, cls)
        return
    await runtime.store.audit([shadow_record(runtime, cls, action) for action in actions])


def shadow_record(runtime: Runtime, cls: ClassConfig, action: Action) -> AuditRecord:
    subject = action.subject or action.target
    result = OpResult.success("shadow: not carried out")
    return AuditRecord(
        created_at=runtime.clock(), class_id=cls.id, platform=action.group.platform, group_id=action.group.group_id,
        rule_id=action.rule_id, account_key=subject.key if subject else "", excerpt=action.text[:80],
        action=action.kind.value, ok=result.ok, shadow=True, detail=result.detail,
    )


async def audit_event(runtime: Runtime, cls: ClassConfig, *, rule_id: str, group_key: str, account_key: str,
                      action: str, excerpt: str, detail: str, shadow: bool = False) -> None:
    """One audit row for something the timing plugin started or stopped (a deadline, a list)."""
    platform, _, group_id = group_key.partition(":")
    await runtime.store.audit([AuditRecord(
        created_at=runtime.clock(), class_id=cls.id, platform=platform, group_id=group_id, rule_id=rule_id,
        account_key=account_key, excerpt=" ".join(excerpt.split())[:80], action=action, ok=True, shadow=shadow,
        detail=detail[:500],
    )])

"""Timers as plain data: what the storage persists and the timer runner hands back.

A timer is (kind, key, due_at, payload, scope). The storage keeps one row per key:
saving a spec with an existing key replaces that row, so a timer that moves to its
next step (remind -> escalate) keeps its key. `scope` groups the timers one event
cancels (an answer from the responsible person cancels every deadline in its scope).
`payload` holds only JSON values: the step functions need nothing else, so a timer
fires correctly after a restart or in another process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from plugins.charter.model import Account, GroupRef

SLA_REMIND = "timing.sla.remind"
SLA_ESCALATE = "timing.sla.escalate"
RECEIPT_REMIND = "timing.receipts.remind"
QUIET_MUTE = "timing.quiet.mute"
QUIET_UNMUTE = "timing.quiet.unmute"
KINDS = (SLA_REMIND, SLA_ESCALATE, RECEIPT_REMIND, QUIET_MUTE, QUIET_UNMUTE)


@dataclass(frozen=True)
class TimerSpec:
    kind: str
    key: str
    due_at: datetime  # aware, UTC
    payload: dict[str, Any] = field(default_factory=dict)
    scope: str = ""

    def __post_init__(self) -> None:
        if self.due_at.tzinfo is None or self.due_at.utcoffset() is None:
            raise ValueError("due_at must be timezone-aware")
        object.__setattr__(self, "due_at", self.due_at.astimezone(UTC))

    def is_due(self, now: datetime) -> bool:
        return now.astimezone(UTC) >= self.due_at

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "due_at": self.due_at.isoformat(),
            "payload": self.payload,
            "scope": self.scope,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TimerSpec":
        return cls(
            kind=data["kind"],
            key=data["key"],
            due_at=datetime.fromisoformat(data["due_at"]),
            payload=dict(data.get("payload") or {}),
            scope=data.get("scope", ""),
        )


def zone_name(tz: ZoneInfo) -> str:
    key = getattr(tz, "key", None)
    if not key:
        raise ValueError(f"time zone {tz!r} has no IANA name; use zoneinfo.ZoneInfo")
    return key


def group_to_json(group: GroupRef) -> dict[str, str]:
    return {"platform": group.platform, "group_id": group.group_id}


def group_from_json(data: dict[str, str]) -> GroupRef:
    return GroupRef(data["platform"], data["group_id"])


def account_from_key(key: str) -> Account:
    return Account.parse(key)

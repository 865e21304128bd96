"""Quiet hours (timing.quiet_hours): the private reminder and the optional group mute.

- A parent (or unidentified member) writing inside a quiet window gets one private
  reminder per window instance: `quiet_reminder` gives the text and a dedupe key
  (person + window instance); the caller sends it only if that key is new. Staff
  and superusers are exempt. Never a recall, never a strike.
- With "mute_group" among the rule's actions, a per-group timer mutes the group at
  each window's start and lifts the mute at its end (`plan_group_mute`,
  `mute_step`). The timer is persisted, so the mute is lifted on time after a
  restart; a step that fires late does what the clock says now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from plugins.charter.catalogue import QuietHoursSettings
from plugins.charter.model import Action, ActionKind, GroupRef, Member

from . import texts
from .timers import QUIET_MUTE, QUIET_UNMUTE, TimerSpec, group_from_json, group_to_json, zone_name
from .windows import QuietWindow, in_quiet_hours, next_window

RULE_ID = "timing.quiet_hours"


@dataclass(frozen=True, slots=True)
class QuietReminder:
    window: QuietWindow
    dedupe_key: str  # send at most one reminder per key
    local_now: datetime  # when the message was sent, in the class's time zone

    @property
    def text(self) -> str:
        """Written only when the reminder is sent: every message of the night asks for
        a QuietReminder, and all but the first of each member's find it already sent."""
        return texts.quiet_hours_reminder(self.window.label, self.window.end, self.local_now)


def quiet_reminder(now: datetime, sender: Member, settings: QuietHoursSettings, tz: ZoneInfo) -> QuietReminder | None:
    """The reminder a message sent at `now` by `sender` earns, if any."""
    if sender.is_staff or sender.is_superuser:
        return None
    window = in_quiet_hours(now, settings.quiet, tz)
    if window is None:
        return None
    return QuietReminder(window, f"{RULE_ID}|{sender.person_key}|{window.key}", now.astimezone(tz))


def mute_key(group: GroupRef) -> str:
    return f"{RULE_ID}|mute|{group.key}"


def _spec(kind: str, group: GroupRef, due: datetime, windows: Sequence[str], tz_name: str) -> TimerSpec:
    payload = {"group": group_to_json(group), "windows": list(windows), "tz": tz_name}
    return TimerSpec(kind=kind, key=mute_key(group), due_at=due, payload=payload, scope=mute_key(group))


def plan_group_mute(group: GroupRef, now: datetime, windows: Sequence[str], tz: ZoneInfo) -> TimerSpec | None:
    """The group's mute timer: due now if a window is on, else at the next window's start."""
    upcoming = next_window(now, windows, tz)
    if upcoming is None:
        return None
    due = max(upcoming.start.astimezone(UTC), now.astimezone(UTC))
    return _spec(QUIET_MUTE, group, due, windows, zone_name(tz))


def mute_step(timer: TimerSpec, now: datetime) -> tuple[list[Action], TimerSpec | None]:
    """Fire a mute/unmute timer: actions now, and the next timer (same key).

    A mute fires only inside a window (a late one outside just waits for the next
    window); an unmute always fires, so a mute is never left on.
    """
    if timer.kind not in (QUIET_MUTE, QUIET_UNMUTE):
        raise ValueError(f"not a quiet-hours timer: {timer.kind}")
    if not timer.is_due(now):
        return [], timer
    group = group_from_json(timer.payload["group"])
    windows = timer.payload["windows"]
    tz_name = timer.payload["tz"]
    tz = ZoneInfo(tz_name)
    current = in_quiet_hours(now, windows, tz)
    actions: list[Action] = []
    if timer.kind == QUIET_MUTE and current is not None:
        remaining = int((current.end.astimezone(UTC) - now.astimezone(UTC)).total_seconds())
        actions.append(Action(ActionKind.MUTE_ALL, group, duration_s=max(remaining, 1), rule_id=RULE_ID))
        return actions, _spec(QUIET_UNMUTE, group, current.end, windows, tz_name)
    if timer.kind == QUIET_UNMUTE:
        actions.append(Action(ActionKind.UNMUTE_ALL, group, rule_id=RULE_ID))
    following = next_window(now, windows, tz)
    if following is None:
        return actions, None
    due = max(following.start.astimezone(UTC), now.astimezone(UTC))
    return actions, _spec(QUIET_MUTE, group, due, windows, tz_name)

"""Quiet-hours reminder (one per member per window) and the persisted group mute."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from plugins.charter.catalogue import QuietHoursSettings
from plugins.charter.model import Account, ActionKind, GroupRef, Member, Role
from plugins.timing.quiet import mute_step, plan_group_mute, quiet_reminder
from plugins.timing.timers import QUIET_MUTE, QUIET_UNMUTE, TimerSpec

SH = ZoneInfo("Asia/Shanghai")
GROUP = GroupRef("qq", "900001")
KINDERGARTEN = QuietHoursSettings.model_validate(
    {"enabled": True, "action": ["remind", "mute_group"], "quiet": ["13:00-14:30", "21:30-07:00"]}
)
PARENT = Member(Account("qq", "1"), "张子涵妈妈", Role.PARENT, "roster:张子涵:妈妈")
UNKNOWN = Member(Account("qq", "9"), "路人", Role.UNKNOWN, "qq:9")
TEACHER = Member(Account("qq", "2"), "语文李强", Role.TEACHER, "qq:2")
ADMIN = Member(Account("qq", "3"), "张子涵爸爸", Role.PARENT, "qq:3", is_superuser=True)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def test_parent_in_quiet_hours_gets_one_reminder_per_window():
    first = quiet_reminder(sh(2026, 11, 24, 22, 0), PARENT, KINDERGARTEN, SH)
    again = quiet_reminder(sh(2026, 11, 25, 1, 0), PARENT, KINDERGARTEN, SH)
    next_night = quiet_reminder(sh(2026, 11, 25, 22, 0), PARENT, KINDERGARTEN, SH)
    nap = quiet_reminder(sh(2026, 11, 25, 13, 10), PARENT, KINDERGARTEN, SH)
    assert first is not None and again is not None and next_night is not None and nap is not None
    assert first.dedupe_key == again.dedupe_key
    assert len({first.dedupe_key, next_night.dedupe_key, nap.dedupe_key}) == 3
    assert "21:30-07:00" in first.text and "明天 07:00" in first.text
    assert "今天 07:00" in again.text
    assert "13:00-14:30" in nap.text and "今天 14:30" in nap.text
    assert quiet_reminder(sh(2026, 11, 25, 15, 0), PARENT, KINDERGARTEN, SH) is None


def test_unknown_members_are_reminded_staff_and_superusers_are_exempt():
    at = sh(2026, 11, 24, 22, 0)
    assert quiet_reminder(at, UNKNOWN, KINDERGARTEN, SH) is not None
    assert quiet_reminder(at, TEACHER, KINDERGARTEN, SH) is None
    assert quiet_reminder(at, ADMIN, KINDERGARTEN, SH) is None


def test_reminder_reads_utc_input_in_the_class_zone():
    found = quiet_reminder(datetime(2026, 11, 24, 14, 0, tzinfo=UTC), PARENT, KINDERGARTEN, SH)
    assert found is not None and found.window.key == "2026-11-24T21:30"
    assert "明天 07:00" in found.text


def run(spec: TimerSpec, now: datetime):
    spec = TimerSpec.from_dict(json.loads(json.dumps(spec.to_dict())))  # as stored
    return mute_step(spec, now)


def test_group_mute_cycle():
    spec = plan_group_mute(GROUP, sh(2026, 11, 24, 9, 0), KINDERGARTEN.quiet, SH)
    assert spec is not None and spec.kind == QUIET_MUTE
    assert spec.due_at == sh(2026, 11, 24, 13, 0).astimezone(UTC)

    actions, spec = run(spec, sh(2026, 11, 24, 13, 0))
    assert [(a.kind, a.group, a.duration_s) for a in actions] == [(ActionKind.MUTE_ALL, GROUP, 90 * 60)]
    assert spec.kind == QUIET_UNMUTE and spec.due_at == sh(2026, 11, 24, 14, 30).astimezone(UTC)

    actions, spec = run(spec, sh(2026, 11, 24, 14, 30))
    assert [a.kind for a in actions] == [ActionKind.UNMUTE_ALL]
    assert spec.kind == QUIET_MUTE and spec.due_at == sh(2026, 11, 24, 21, 30).astimezone(UTC)

    actions, spec = run(spec, sh(2026, 11, 24, 21, 30))
    assert actions[0].kind == ActionKind.MUTE_ALL and actions[0].duration_s == int(timedelta(hours=9.5).total_seconds())
    assert spec.due_at == sh(2026, 11, 25, 7, 0).astimezone(UTC)


def test_planning_inside_a_window_mutes_at_once():
    spec = plan_group_mute(GROUP, sh(2026, 11, 24, 23, 0), KINDERGARTEN.quiet, SH)
    assert spec.due_at == sh(2026, 11, 24, 23, 0).astimezone(UTC)
    actions, following = run(spec, sh(2026, 11, 24, 23, 0))
    assert actions[0].kind == ActionKind.MUTE_ALL and actions[0].duration_s == 8 * 3600
    assert following.kind == QUIET_UNMUTE


def test_late_timers_after_a_restart():
    # the unmute due at 07:00 fires at 09:00: lift the mute, plan the nap-time mute
    unmute = TimerSpec(QUIET_UNMUTE, "k", sh(2026, 11, 25, 7, 0),
                       {"group": {"platform": "qq", "group_id": "900001"}, "windows": list(KINDERGARTEN.quiet),
                        "tz": "Asia/Shanghai"}, "k")
    actions, following = run(unmute, sh(2026, 11, 25, 9, 0))
    assert [a.kind for a in actions] == [ActionKind.UNMUTE_ALL]
    assert following.kind == QUIET_MUTE and following.due_at == sh(2026, 11, 25, 13, 0).astimezone(UTC)
    # a mute due at 13:00 that fires at 15:00 does not mute; it waits for 21:30
    late_mute = TimerSpec(QUIET_MUTE, "k", sh(2026, 11, 25, 13, 0), unmute.payload, "k")
    actions, following = run(late_mute, sh(2026, 11, 25, 15, 0))
    assert actions == [] and following.due_at == sh(2026, 11, 25, 21, 30).astimezone(UTC)
    # an early call changes nothing
    assert run(late_mute, sh(2026, 11, 25, 12, 0)) == ([], late_mute)


def test_no_windows_no_mute():
    assert plan_group_mute(GROUP, sh(2026, 11, 24, 9, 0), [], SH) is None

"""Response deadlines end to end with an injected clock and an in-memory timer table."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from plugins.charter.catalogue import ResponseSlaSettings
from plugins.charter.model import Account, ActionKind, GroupRef, IncomingMessage, Member, Role
from plugins.timing.asks import AskKind, classify_ask
from plugins.timing.sla import (
    Ask,
    ChainLevel,
    addressed_accounts,
    answer_scope,
    is_tracked,
    next_chain_level,
    next_step,
    on_answer,
    plan_deadline,
)
from plugins.timing.timers import SLA_ESCALATE, SLA_REMIND, TimerSpec

SH = ZoneInfo("Asia/Shanghai")
GROUP = GroupRef("wechat", "room-1")
PARENT = Account("wechat", "p1")
TEACHER = Account("wechat", "t1")
HEAD = Account("wechat", "h1")
HEAD_QQ = Account("qq", "h1")
OFFICE = Account("wechat", "o1")
LEADER = Account("qq", "l1")
STAFF = {Role.HEAD_TEACHER: (HEAD_QQ, HEAD), Role.TEACHER: (TEACHER,), Role.OFFICE: (OFFICE,), Role.LEADER: (LEADER,)}


def settings(**overrides) -> ResponseSlaSettings:
    values = {
        "enabled": True,
        "action": ["remind", "notify_head_teacher"],
        "minutes": 20,
        "escalate_after_minutes": 20,
        "allowed_hours": ["06:00-23:00"],
        "responsible_roles": ["head_teacher", "teacher", "office", "leader"],
    }
    values.update(overrides)
    return ResponseSlaSettings.model_validate(values)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


@dataclass
class Clock:
    now: datetime

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class TimerTable:
    """What the lead's storage does: one row per key, JSON payloads, fire what is due."""

    rows: dict[str, str] = field(default_factory=dict)
    sent: list = field(default_factory=list)

    def save(self, spec: TimerSpec | None) -> None:
        if spec is not None:
            self.rows[spec.key] = json.dumps(spec.to_dict())  # proves the payload is JSON

    def specs(self) -> list[TimerSpec]:
        return [TimerSpec.from_dict(json.loads(row)) for row in self.rows.values()]

    def run(self, now: datetime) -> list:
        fired = []
        for spec in self.specs():
            if spec.is_due(now):
                actions, following = next_step(spec, now)
                fired += actions
                del self.rows[spec.key]
                self.save(following)
        self.sent += fired
        return fired

    def answer(self, sender: Account, group: GroupRef, text: str, at: datetime) -> int:
        stopped = 0
        for spec in self.specs():
            if spec.scope == answer_scope(group, sender) and on_answer(spec, sender, group, text, at):
                del self.rows[spec.key]
                stopped += 1
        return stopped


def ask(at: datetime, text: str = "王老师，请问明天几点到校？", message_id: str = "m1", responsible: Account = TEACHER) -> Ask:
    kind = classify_ask(text)
    assert kind is not None
    return Ask(GROUP, message_id, PARENT, "张子涵妈妈", responsible, "王老师", kind, text, at, "三年二班")


def start(table: TimerTable, at: datetime, **kwargs) -> TimerSpec:
    level = next_chain_level(Role.TEACHER, STAFF, ["office", "leaders"], GROUP.platform)
    spec = plan_deadline(ask(at, **kwargs), settings(), SH, level)
    assert spec is not None
    table.save(spec)
    return spec


def test_reminder_then_escalation_with_an_injected_clock():
    clock = Clock(sh(2026, 11, 24, 9, 0))
    table = TimerTable()
    spec = start(table, clock.now)
    assert spec.kind == SLA_REMIND
    assert spec.due_at == sh(2026, 11, 24, 9, 20).astimezone(UTC)

    assert table.run(clock.advance(minutes=19, seconds=59)) == []
    reminder = table.run(clock.advance(seconds=1))
    assert [(a.kind, a.target) for a in reminder] == [(ActionKind.REMIND_PRIVATE, TEACHER)]
    assert "张子涵妈妈" in reminder[0].text and "明天几点到校" in reminder[0].text
    assert reminder[0].rule_id == "timing.response_sla" and reminder[0].group == GROUP
    (pending,) = table.specs()
    assert pending.kind == SLA_ESCALATE and pending.key == spec.key
    assert pending.due_at == sh(2026, 11, 24, 9, 40).astimezone(UTC)

    escalation = table.run(clock.advance(minutes=20))
    # the head teacher, on the group's platform only
    assert [(a.kind, a.target) for a in escalation] == [(ActionKind.NOTIFY_STAFF, HEAD)]
    assert "王老师" in escalation[0].text and "三年二班" in escalation[0].text
    assert escalation[0].subject == TEACHER
    assert table.rows == {}
    assert table.run(clock.advance(hours=5)) == []


def test_answer_before_the_deadline_stops_it():
    clock = Clock(sh(2026, 11, 24, 9, 0))
    table = TimerTable()
    start(table, clock.now)
    # others talking do not stop it; neither does an emoji from the teacher
    assert table.answer(PARENT, GROUP, "谢谢老师", clock.advance(minutes=1)) == 0
    assert table.answer(TEACHER, GROUP, "👍", clock.advance(minutes=1)) == 0
    # the teacher in another group does not stop it
    assert table.answer(TEACHER, GroupRef("wechat", "room-2"), "明天8点", clock.advance(minutes=1)) == 0
    assert table.answer(TEACHER, GROUP, "明天 7:50 到校", clock.advance(minutes=5)) == 1
    assert table.run(clock.advance(hours=2)) == []


def test_answer_after_the_reminder_stops_the_escalation():
    clock = Clock(sh(2026, 11, 24, 9, 0))
    table = TimerTable()
    start(table, clock.now)
    assert len(table.run(clock.advance(minutes=20))) == 1
    assert table.answer(TEACHER, GROUP, "收到，稍后回复", clock.advance(minutes=3)) == 1
    assert table.run(clock.advance(hours=1)) == []


def test_one_answer_stops_every_open_ask_to_that_person_in_the_group():
    clock = Clock(sh(2026, 11, 24, 9, 0))
    table = TimerTable()
    start(table, clock.now, message_id="m1")
    start(table, clock.advance(minutes=2), text="麻烦老师看一下作业", message_id="m2")
    start(table, clock.now, text="请问几点开会？", message_id="m3", responsible=OFFICE)
    assert len(table.rows) == 3
    assert table.answer(TEACHER, GROUP, "好的", clock.advance(minutes=1)) == 2
    assert [s.payload["responsible"] for s in table.specs()] == [OFFICE.key]


def test_question_at_22_55_is_reminded_at_06_15_and_escalated_at_06_35():
    clock = Clock(sh(2026, 11, 24, 22, 55))
    table = TimerTable()
    spec = start(table, clock.now)
    assert spec.due_at == sh(2026, 11, 25, 6, 15).astimezone(UTC)
    assert table.run(clock.advance(minutes=60)) == []  # 23:55: nothing at night
    assert len(table.run(clock.now.replace(hour=6, minute=15) + timedelta(days=1))) == 1
    assert table.specs()[0].due_at == sh(2026, 11, 25, 6, 35).astimezone(UTC)
    assert len(table.run(sh(2026, 11, 25, 6, 35))) == 1


def test_escalation_period_counts_allowed_hours_only():
    table = TimerTable()
    start(table, sh(2026, 11, 24, 22, 30))  # due 22:50
    assert len(table.run(sh(2026, 11, 24, 22, 50))) == 1
    # 10 allowed minutes left tonight, 10 more from 06:00
    assert table.specs()[0].due_at == sh(2026, 11, 25, 6, 10).astimezone(UTC)


def test_a_late_timer_waits_for_the_allowed_hours():
    # the bot was down from 22:00 until 02:00: nothing is sent at 02:00
    table = TimerTable()
    start(table, sh(2026, 11, 24, 21, 50))  # due 22:10
    assert table.run(sh(2026, 11, 25, 2, 0)) == []
    assert table.specs()[0].kind == SLA_REMIND
    assert table.specs()[0].due_at == sh(2026, 11, 25, 6, 0).astimezone(UTC)
    assert len(table.run(sh(2026, 11, 25, 6, 0))) == 1


def test_a_timer_fired_early_does_nothing():
    spec = plan_deadline(ask(sh(2026, 11, 24, 9, 0)), settings(), SH, ChainLevel(Role.HEAD_TEACHER, (HEAD,)))
    actions, following = next_step(spec, sh(2026, 11, 24, 9, 10))
    assert actions == [] and following == spec


def test_steps_follow_the_rule_actions():
    level = ChainLevel(Role.HEAD_TEACHER, (HEAD,))
    only_remind = plan_deadline(ask(sh(2026, 11, 24, 9, 0)), settings(action=["remind"]), SH, level)
    assert only_remind is not None
    actions, following = next_step(only_remind, sh(2026, 11, 24, 9, 20))
    assert len(actions) == 1 and following is None

    only_escalate = plan_deadline(ask(sh(2026, 11, 24, 9, 0)), settings(action=["notify_head_teacher"]), SH, level)
    assert only_escalate is not None and only_escalate.kind == SLA_ESCALATE
    assert only_escalate.due_at == sh(2026, 11, 24, 9, 20).astimezone(UTC)
    actions, following = next_step(only_escalate, sh(2026, 11, 24, 9, 20))
    assert [a.kind for a in actions] == [ActionKind.NOTIFY_STAFF] and following is None

    assert plan_deadline(ask(sh(2026, 11, 24, 9, 0)), settings(action=[]), SH, level) is None
    # nobody above: remind only
    top = plan_deadline(ask(sh(2026, 11, 24, 9, 0)), settings(), SH, None)
    assert top is not None
    actions, following = next_step(top, sh(2026, 11, 24, 9, 20))
    assert len(actions) == 1 and following is None


def test_next_chain_level():
    levels = ["office", "leaders"]
    assert next_chain_level(Role.TEACHER, STAFF, levels, "wechat") == ChainLevel(Role.HEAD_TEACHER, (HEAD,))
    assert next_chain_level(Role.PARENT, STAFF, levels, "qq") == ChainLevel(Role.HEAD_TEACHER, (HEAD_QQ,))
    assert next_chain_level(Role.HEAD_TEACHER, STAFF, levels, "wechat") == ChainLevel(Role.OFFICE, (OFFICE,))
    # leaders only on QQ: taken although the group is on WeChat
    assert next_chain_level(Role.OFFICE, STAFF, levels, "wechat") == ChainLevel(Role.LEADER, (LEADER,))
    assert next_chain_level(Role.LEADER, STAFF, levels, "wechat") is None
    # an empty level is skipped
    no_office = {**STAFF, Role.OFFICE: ()}
    assert next_chain_level(Role.HEAD_TEACHER, no_office, levels, "wechat") == ChainLevel(Role.LEADER, (LEADER,))
    assert next_chain_level(Role.HEAD_TEACHER, STAFF, [], "wechat") is None


def test_is_tracked_by_role():
    s = settings()
    assert is_tracked(PARENT, TEACHER, Role.TEACHER, s)
    assert is_tracked(PARENT, HEAD, Role.HEAD_TEACHER, s)
    assert not is_tracked(TEACHER, PARENT, Role.PARENT, s)  # a teacher's task to a parent
    assert not is_tracked(TEACHER, TEACHER, Role.TEACHER, s)
    work = settings(responsible_roles=["head_teacher", "teacher", "office", "leader", "unknown", "parent"])
    assert is_tracked(LEADER, PARENT, Role.UNKNOWN, work)


def test_addressed_accounts():
    sender = Member(PARENT, "张子涵妈妈", Role.PARENT, "wechat:p1")
    message = IncomingMessage(GROUP, "m1", sender, "请问明天几点到校", sh(2026, 11, 24, 9, 0),
                              mentions=("t1", "p1", "t1"))
    assert addressed_accounts(message) == [TEACHER]
    assert addressed_accounts(message, replied_author=HEAD) == [TEACHER, HEAD]
    assert addressed_accounts(message, replied_author=PARENT) == [TEACHER]
    everyone = IncomingMessage(GROUP, "m2", sender, "请问", sh(2026, 11, 24, 9, 0), mentions_all=True)
    assert addressed_accounts(everyone) == []


def test_timer_payload_survives_json_and_other_zones():
    spec = plan_deadline(ask(datetime(2026, 11, 24, 14, 55, tzinfo=UTC)), settings(), SH,
                         ChainLevel(Role.HEAD_TEACHER, (HEAD,)))
    restored = TimerSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert restored == spec
    assert restored.due_at == sh(2026, 11, 25, 6, 15)
    assert restored.payload["tz"] == "Asia/Shanghai"


def test_wrong_timer_kind_is_refused():
    with pytest.raises(ValueError):
        next_step(TimerSpec("timing.receipts.remind", "k", sh(2026, 11, 24, 9, 0)), sh(2026, 11, 24, 9, 0))
    assert not on_answer(TimerSpec("timing.receipts.remind", "k", sh(2026, 11, 24, 9, 0)), TEACHER, GROUP, "好",
                         sh(2026, 11, 24, 9, 0))


def test_answer_must_come_after_the_ask():
    spec = plan_deadline(ask(sh(2026, 11, 24, 9, 0)), settings(), SH, None)
    assert not on_answer(spec, TEACHER, GROUP, "明天八点", sh(2026, 11, 24, 8, 59))
    assert on_answer(spec, TEACHER, GROUP, "明天八点", sh(2026, 11, 24, 9, 0))
    assert on_answer(spec, TEACHER, GROUP, "", sh(2026, 11, 24, 9, 5), has_image=True)


def test_kind_changes_the_wording():
    question = plan_deadline(ask(sh(2026, 11, 24, 9, 0)), settings(), SH, None)
    task = plan_deadline(ask(sh(2026, 11, 24, 9, 0), text="麻烦老师今天之内把表发我"), settings(), SH, None)
    assert task.payload["kind"] == AskKind.TASK
    (q_action,), _ = next_step(question, sh(2026, 11, 24, 9, 20))
    (t_action,), _ = next_step(task, sh(2026, 11, 24, 9, 20))
    assert "问题" in q_action.text and "交办" in t_action.text

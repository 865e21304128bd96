"""Response deadlines (timing.response_sla) as a pure state machine over timers.

    ask ──plan_deadline──▶ [remind @ due] ──next_step──▶ [escalate @ +escalate_after] ──next_step──▶ done
                                 │                              │
                                 └────── on_answer: stopped ◀───┘

- An ask is a question or task (asks.classify_ask) addressed to a responsible
  person: a mention of them, or a reply to their message (`addressed_accounts`).
- Both periods are counted in allowed hours only (windows.add_allowed_minutes):
  charter 2, 20 minutes counted 06:00-23:00, a question at 22:55 is due at 06:15.
- The reminder goes privately to the responsible person; the escalation goes
  privately to the next level of the chain above them (`next_chain_level`):
  teacher or member -> head teacher -> family-school office -> school leaders.
- Any substantive message from the responsible person in the group after the ask
  stops every deadline they have in that group (asks.is_answer; `on_answer`).
- A timer that fires outside the allowed hours (the bot was down) waits for the
  next allowed moment instead of messaging anyone at night.

Timers carry everything in their JSON payload, so `next_step` needs only the timer
and the time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from plugins.charter.catalogue import ResponseSlaSettings
from plugins.charter.model import Account, Action, ActionKind, GroupRef, IncomingMessage, Role

from . import texts
from .asks import AskKind, is_answer
from .timers import SLA_ESCALATE, SLA_REMIND, TimerSpec, group_from_json, group_to_json, zone_name
from .windows import add_allowed_minutes, is_within, next_allowed_moment

RULE_ID = "timing.response_sla"
TEXT_CHARS = 200  # the ask's text kept in the timer, for the messages


@dataclass(frozen=True, slots=True)
class Ask:
    """A question or task addressed to one responsible person."""

    group: GroupRef
    message_id: str
    asker: Account
    asker_name: str
    responsible: Account
    responsible_name: str
    kind: AskKind
    text: str
    time: datetime  # aware
    group_name: str = ""  # shown in the escalation note (the class or group name)


@dataclass(frozen=True, slots=True)
class ChainLevel:
    role: Role
    accounts: tuple[Account, ...]


def addressed_accounts(message: IncomingMessage, replied_author: Account | None = None) -> list[Account]:
    """Who a message addresses: the members it mentions, and the author of the message
    it replies to; never the sender, never @all. In order, without repeats."""
    found: list[Account] = []
    candidates = [Account(message.group.platform, user_id) for user_id in message.mentions]
    if replied_author is not None:
        candidates.append(replied_author)
    for account in candidates:
        if account != message.sender.account and account not in found:
            found.append(account)
    return found


def is_tracked(asker: Account, responsible: Account, responsible_role: Role, settings: ResponseSlaSettings) -> bool:
    """Whether an ask from `asker` to `responsible` starts a deadline."""
    return asker != responsible and responsible_role.value in settings.responsible_roles


_CHAIN_ROLE = {"office": Role.OFFICE, "leaders": Role.LEADER}


def next_chain_level(
    responsible_role: Role,
    staff: Mapping[Role, Sequence[Account]],
    chain_levels: Sequence[str],
    platform: str | None = None,
) -> ChainLevel | None:
    """The first level above `responsible_role` that has accounts, or None at the top.

    The ladder is head teacher, then `escalation.chain` levels ("office", "leaders").
    Anyone below the head teacher (teachers, members, parents) goes to the head
    teacher. Accounts on `platform` are preferred when a level has some there.
    """
    ladder = [Role.HEAD_TEACHER] + [_CHAIN_ROLE[level] for level in chain_levels if level in _CHAIN_ROLE]
    start = ladder.index(responsible_role) + 1 if responsible_role in ladder else 0
    for role in ladder[start:]:
        accounts = tuple(staff.get(role, ()))
        if not accounts:
            continue
        local = tuple(a for a in accounts if a.platform == platform)
        return ChainLevel(role, local or accounts)
    return None


def answer_scope(group: GroupRef, responsible: Account) -> str:
    """The scope of the deadlines an answer by `responsible` in `group` stops."""
    return f"{RULE_ID}|{group.key}|{responsible.key}"


def deadline_key(ask: Ask) -> str:
    return f"{RULE_ID}|{ask.group.key}|{ask.message_id}|{ask.responsible.key}"


def plan_deadline(
    ask: Ask, settings: ResponseSlaSettings, tz: ZoneInfo, escalate_to: ChainLevel | None
) -> TimerSpec | None:
    """The first timer of a new deadline, or None when the rule has no step to take.

    Steps come from the rule's actions: "remind" reminds the responsible person at
    the deadline; "notify_head_teacher" tells `escalate_to` (see next_chain_level)
    `escalate_after_minutes` later, or at the deadline when there is no reminder.
    """
    remind = "remind" in settings.action
    escalate = "notify_head_teacher" in settings.action and escalate_to is not None and bool(escalate_to.accounts)
    if not (remind or escalate):
        return None
    if ask.time.tzinfo is None or ask.time.utcoffset() is None:
        raise ValueError("the ask's time must be timezone-aware")
    payload = {
        "group": group_to_json(ask.group),
        "group_name": ask.group_name,
        "message_id": ask.message_id,
        "asker": ask.asker.key,
        "asker_name": ask.asker_name,
        "responsible": ask.responsible.key,
        "responsible_name": ask.responsible_name,
        "kind": ask.kind.value,
        "text": ask.text[:TEXT_CHARS],
        "asked_at": ask.time.isoformat(),
        "tz": zone_name(tz),
        "allowed_hours": list(settings.allowed_hours),
        "escalate_after_minutes": settings.escalate_after_minutes,
        "escalate_to": [a.key for a in escalate_to.accounts] if escalate and escalate_to else [],
        "escalate_role": escalate_to.role.value if escalate and escalate_to else "",
    }
    due = add_allowed_minutes(ask.time, settings.minutes, settings.allowed_hours, tz)
    return TimerSpec(
        kind=SLA_REMIND if remind else SLA_ESCALATE,
        key=deadline_key(ask),
        due_at=due,
        payload=payload,
        scope=answer_scope(ask.group, ask.responsible),
    )


def on_answer(
    timer: TimerSpec, sender: Account, group: GroupRef, text: str, at: datetime, has_image: bool = False
) -> bool:
    """Whether this message stops the deadline: the responsible person, in the same
    group, after the ask, saying anything substantive (asks.is_answer)."""
    if timer.kind not in (SLA_REMIND, SLA_ESCALATE):
        return False
    payload = timer.payload
    return (
        sender.key == payload["responsible"]
        and group == group_from_json(payload["group"])
        and at >= datetime.fromisoformat(payload["asked_at"])
        and is_answer(text, has_image)
    )


def next_step(timer: TimerSpec, now: datetime) -> tuple[list[Action], TimerSpec | None]:
    """Fire a deadline timer: the actions to carry out now and the timer that replaces
    it (same key), or None when the deadline is finished.

    Before the due time, or outside the allowed hours, nothing happens and the
    returned timer waits (the latter moved to the next allowed moment).
    """
    if timer.kind not in (SLA_REMIND, SLA_ESCALATE):
        raise ValueError(f"not a response deadline timer: {timer.kind}")
    if not timer.is_due(now):
        return [], timer
    payload = timer.payload
    tz = ZoneInfo(payload["tz"])
    allowed = payload["allowed_hours"]
    if allowed and not is_within(now, allowed, tz):
        return [], replace(timer, due_at=next_allowed_moment(now, allowed, tz))

    group = group_from_json(payload["group"])
    responsible = Account.parse(payload["responsible"])
    asked_at = datetime.fromisoformat(payload["asked_at"]).astimezone(tz)
    local_now = now.astimezone(tz)
    kind = AskKind(payload["kind"])

    if timer.kind == SLA_REMIND:
        text = texts.sla_reminder(payload["asker_name"], kind, payload["text"], asked_at, local_now)
        actions = [
            Action(ActionKind.REMIND_PRIVATE, group, target=responsible, text=text, rule_id=RULE_ID,
                   subject=responsible, message_id=payload["message_id"])
        ]
        if not payload["escalate_to"]:
            return actions, None
        due = add_allowed_minutes(now, payload["escalate_after_minutes"], allowed, tz)
        return actions, replace(timer, kind=SLA_ESCALATE, due_at=due)

    text = texts.sla_escalation(
        payload["responsible_name"], payload["asker_name"], kind, payload["text"], asked_at, local_now,
        payload["group_name"],
    )
    actions = [
        Action(ActionKind.NOTIFY_STAFF, group, target=Account.parse(key), text=text, rule_id=RULE_ID,
               subject=responsible, message_id=payload["message_id"])
        for key in payload["escalate_to"]
    ]
    return actions, None

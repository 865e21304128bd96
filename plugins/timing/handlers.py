"""The timing rules inside the running bot: message listeners, timer handlers, the
periodic planning of group mutes.

Each listener reads one class message and does the I/O its rule needs; the
decisions themselves are the pure functions of quiet.py, timetable.py, sla.py and
receipts.py. Everything a member or the staff is told goes through the enforcer
(audited, rate-limited, shadow mode respected); timers go through scheduling.py.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from loguru import logger

from plugins.charter.catalogue import ResponseSlaSettings
from plugins.charter.config import ClassConfig
from plugins.charter.findings import finding_for
from plugins.charter.identity import resolve_member
from plugins.charter.listeners import on_class_message
from plugins.charter.model import Account, Action, ActionKind, GroupRef, IncomingMessage, Role, Severity
from plugins.charter.platform import Capability
from plugins.charter.runtime import Runtime
from plugins.charter.store import DueTimer
from plugins.charter.timers import housekeeping, timer_handler

from . import quiet, receipt_store, receipts, sla, texts
from .asks import find_ask, is_answer
from .open_state import deadline_scopes, quiet_reminded, receipt_groups
from .receipts import ReceiptList, expected_from_roster, guardians_of, is_receipt_request
from .scheduling import audit_event, cancel_scope, carry_out, retry_later, schedule_spec, spec_of
from .timers import QUIET_MUTE, QUIET_UNMUTE, RECEIPT_REMIND, SLA_ESCALATE, SLA_REMIND, TimerSpec, group_from_json
from .timetable import lesson_end, teaching_entry
from .windows import next_window

QUIET = quiet.RULE_ID
TEACHER = "timing.teacher_unavailable"
SLA = sla.RULE_ID
RECEIPTS = receipts.RULE_ID
MARKER_SLACK = timedelta(hours=1)  # once-markers outlive the window or lesson they are for
REPLY_ACTIONS = ("reply", "reply_private", "remind_group")


def _ttl(until: datetime, now: datetime) -> timedelta:
    return max(until.astimezone(UTC) - now, timedelta(0)) + MARKER_SLACK


# --- timing.quiet_hours --------------------------------------------------------


# The message listeners are plain functions: the tests that leave a listener nothing
# to do for an ordinary message run as plain calls, and only a message with work
# left gets a coroutine (see plugins.charter.listeners).


@on_class_message
def quiet_hours(runtime: Runtime, cls: ClassConfig, message: IncomingMessage) -> Awaitable[None] | None:
    """One private reminder per member per quiet window; never a recall or a strike."""
    if cls.rule_mode(QUIET) == "off":
        return None
    settings = cls.settings(QUIET)
    reminder = quiet.quiet_reminder(message.time, message.sender, settings, cls.timezone)
    if reminder is None:
        return None
    now = runtime.clock()
    if quiet_reminded.is_set(runtime.store, reminder.dedupe_key, now):
        return None  # this window's reminder is already out: no query for every message of the night
    return _remind_quiet(runtime, cls, message, reminder, now)


async def _remind_quiet(runtime: Runtime, cls: ClassConfig, message: IncomingMessage,
                        reminder: quiet.QuietReminder, now: datetime) -> None:
    ttl = _ttl(reminder.window.end, now)
    claimed = await runtime.store.once(reminder.dedupe_key, now, ttl)
    quiet_reminded.note(runtime.store, reminder.dedupe_key, now + ttl)
    if not claimed:
        return
    finding = finding_for(cls, QUIET, message, evidence=message.text, reason=f"休息时间（{reminder.window.label}）发言",
                          member_text=reminder.text, severity=Severity.INFO)
    finding = replace(finding, actions=tuple(a for a in finding.actions if a == "remind"))
    await runtime.enforcer.handle_one(finding, cls)


def mute_anchor(spec: TimerSpec) -> str:
    """A mute step is stored once per quiet window instance, however late it is planned."""
    if spec.kind != QUIET_MUTE:
        return ""
    window = next_window(spec.due_at, spec.payload["windows"], ZoneInfo(spec.payload["tz"]))
    return window.key if window else ""


def _mutes_wanted(cls: ClassConfig) -> bool:
    settings = cls.settings(QUIET)
    return cls.rule_mode(QUIET) != "off" and "mute_group" in settings.action and bool(settings.quiet)


@housekeeping
async def plan_quiet_mutes(runtime: Runtime, now: datetime) -> None:
    """Make sure every group that should be muted in quiet hours has its mute timer.

    Idempotent: the timer of a window instance is stored once, whichever process or
    pass plans it, so a lost chain (a restart, a changed configuration) is re-planned.
    """
    for cls in runtime.config.classes.values():
        if not _mutes_wanted(cls):
            continue
        windows = cls.settings(QUIET).quiet
        for group in cls.groups:
            ops = runtime.ops_for(group.platform, group.group_id)
            if ops is None or not ops.can(Capability.MUTE_ALL):
                continue
            spec = quiet.plan_group_mute(group, now, windows, cls.timezone)
            if spec is not None:
                await schedule_spec(runtime, cls.id, spec, anchor=mute_anchor(spec))


async def fire_mute(runtime: Runtime, timer: DueTimer) -> None:
    cls = runtime.config.classes.get(timer.class_id)
    if cls is None:
        return
    spec, _, _ = spec_of(timer)
    group = group_from_json(spec.payload["group"])
    current = _mutes_wanted(cls) and list(cls.settings(QUIET).quiet) == list(spec.payload["windows"])
    if spec.kind == QUIET_MUTE and not current:
        return  # the configuration changed: housekeeping plans the new chain
    ops = runtime.ops_for(group.platform, group.group_id)
    if ops is None:
        await retry_later(runtime, timer)
        return
    actions, following = quiet.mute_step(spec, runtime.clock())
    if not ops.can(Capability.MUTE_ALL):
        actions = []
    if spec.kind == QUIET_UNMUTE and cls.rule_mode(QUIET) == "off":
        await runtime.enforcer.execute(actions, cls)  # a mute is never left on
    else:
        await carry_out(runtime, cls, actions, QUIET)
    if following is not None and current:
        await schedule_spec(runtime, cls.id, following, anchor=mute_anchor(following))


timer_handler(QUIET_MUTE)(fire_mute)
timer_handler(QUIET_UNMUTE)(fire_mute)


# --- timing.teacher_unavailable -------------------------------------------------


async def _known_name(runtime: Runtime, cls: ClassConfig, account: Account) -> str:
    known = await runtime.store.known_member(cls.id, account.key)
    return known.display_name if known else ""


@on_class_message
def teacher_in_class(runtime: Runtime, cls: ClassConfig, message: IncomingMessage) -> Awaitable[None] | None:
    """A parent mentions a teacher who is teaching: one reply per teacher per lesson."""
    if not message.mentions or not cls.timetable or cls.rule_mode(TEACHER) == "off":
        return None
    if message.sender.is_staff or message.sender.is_superuser:
        return None
    return _teacher_in_class(runtime, cls, message)


async def _teacher_in_class(runtime: Runtime, cls: ClassConfig, message: IncomingMessage) -> None:
    tz = cls.timezone
    for user_id in message.mentions:
        account = Account(message.group.platform, user_id)
        if account == message.sender.account:
            continue
        display = await _known_name(runtime, cls, account)
        identities = {account.key, display} | {name for name in cls.roster.teacher_names if name and name in display}
        entry = teaching_entry(message.time, cls.timetable, tz, identities)
        if entry is None:
            continue
        until = lesson_end(message.time, cls.timetable, tz, identities)
        now = runtime.clock()
        # back-to-back lessons are one stretch: one reply until the teacher is free
        stretch = until.strftime("%Y-%m-%dT%H:%M") if until else f"{message.time.astimezone(tz):%Y-%m-%d}|{entry.time}"
        key = f"{TEACHER}|{message.group.key}|{entry.teacher}|{stretch}"
        if not await runtime.store.once(key, now, _ttl(until or now, now)):
            continue
        name = display or (f"{entry.teacher}老师" if ":" not in entry.teacher else "老师")
        finding = finding_for(cls, TEACHER, message, evidence=message.text or f"@{name}", reason=f"{name} 正在上课",
                              member_text=texts.teacher_in_class_reply(name, until, cls.office_contact),
                              severity=Severity.INFO)
        finding = replace(finding, actions=tuple(a for a in finding.actions if a in REPLY_ACTIONS))
        await runtime.enforcer.handle_one(finding, cls)


# --- timing.response_sla --------------------------------------------------------


async def _addressee(runtime: Runtime, cls: ClassConfig, account: Account,
                     replied: tuple[str, str, str, datetime] | None) -> tuple[str, Role]:
    """Name and role of an addressed member: staff by the class file, others by their name."""
    name = replied[1] if replied is not None and replied[0] == account.key else ""
    name = name or await _known_name(runtime, cls, account)
    role = cls.role_of(account)
    if role is None:
        role = resolve_member(cls, account, name, runtime.superusers).role
    return name or account.user_id, role


async def _answered(runtime: Runtime, cls: ClassConfig, message: IncomingMessage) -> None:
    """A substantive message from a responsible person stops their deadlines in the group
    (the database is asked only when the index says they may have one)."""
    sender, group = message.sender, message.group
    scope = sla.answer_scope(group, sender.account)
    stamp = await deadline_scopes.lookup(runtime.store, scope, runtime.clock())
    if stamp is None:
        return
    stopped = await cancel_scope(runtime, scope)
    deadline_scopes.drop(scope, stamp)
    if stopped:
        await audit_event(runtime, cls, rule_id=SLA, group_key=group.key, account_key=sender.account.key,
                          action="deadline_answered", excerpt=message.text, detail=f"{stopped} timer(s) stopped")


@on_class_message
def response_deadlines(runtime: Runtime, cls: ClassConfig, message: IncomingMessage) -> Awaitable[None] | None:
    """An answer stops the sender's deadlines in the group; a question or task to a
    responsible person starts one."""
    mode = cls.rule_mode(SLA)
    if mode == "off":
        return None
    settings = cls.settings(SLA)
    # a StrEnum equals its value: no `.value` (a property) for every message
    answer = message.sender.role in settings.responsible_roles and is_answer(message.text, message.has_image)
    if not answer and not message.mentions and not message.reply_to:
        return None  # neither an answer nor addressed to anyone
    return _response_deadlines(runtime, cls, message, mode, settings, answer)


async def _response_deadlines(runtime: Runtime, cls: ClassConfig, message: IncomingMessage, mode: str,
                              settings: ResponseSlaSettings, answer: bool) -> None:
    sender, group = message.sender, message.group
    if answer:
        await _answered(runtime, cls, message)
    if not message.mentions and not message.reply_to:
        return  # it addresses nobody (sla.addressed_accounts): no deadline, whatever it asks
    found = find_ask(message.text)
    if found is None:
        return
    replied = runtime.recent.get(group.key, message.reply_to) if message.reply_to else None
    replied_author = Account.parse(replied[0]) if replied is not None else None
    chain = cls.settings("escalation.chain")
    levels = chain.levels if cls.rule_mode("escalation.chain") != "off" else ()
    for account in sla.addressed_accounts(message, replied_author):
        name, role = await _addressee(runtime, cls, account, replied)
        if not sla.is_tracked(sender.account, account, role, settings):
            continue
        ask = sla.Ask(group=group, message_id=message.message_id, asker=sender.account,
                      asker_name=sender.display_name or sender.account.user_id, responsible=account,
                      responsible_name=name, kind=found.kind, text=message.text, time=message.time,
                      group_name=cls.name)
        spec = sla.plan_deadline(ask, settings, cls.timezone, sla.next_chain_level(role, cls.staff, levels,
                                                                                    group.platform))
        if spec is None:
            continue
        if mode == "on":
            await schedule_spec(runtime, cls.id, spec)
        await audit_event(runtime, cls, rule_id=SLA, group_key=group.key, account_key=account.key,
                          action="deadline_started", excerpt=message.text, shadow=mode == "shadow",
                          detail=f"{found.kind.value} ({found.marker}) from {sender.account.key}, "
                                 f"due {spec.due_at.isoformat()}")


async def fire_deadline(runtime: Runtime, timer: DueTimer) -> None:
    cls = runtime.config.classes.get(timer.class_id)
    if cls is None or cls.rule_mode(SLA) == "off":
        return
    spec, attempt, _ = spec_of(timer)
    group = group_from_json(spec.payload["group"])
    if runtime.ops_for(group.platform, group.group_id) is None:
        await retry_later(runtime, timer)
        return
    actions, following = sla.next_step(spec, runtime.clock())
    await carry_out(runtime, cls, actions, SLA)
    if following is spec:  # fired early (clocks of two processes differ): try again at its time
        await schedule_spec(runtime, cls.id, spec, attempt=attempt + 1)
    elif following is not None:
        await schedule_spec(runtime, cls.id, following)


timer_handler(SLA_REMIND)(fire_deadline)
timer_handler(SLA_ESCALATE)(fire_deadline)


# --- timing.notice_receipts -----------------------------------------------------


def _quiet_windows(cls: ClassConfig) -> tuple[str, ...]:
    return cls.settings(QUIET).quiet if cls.rule_mode(QUIET) != "off" else ()


async def start_receipts(runtime: Runtime, cls: ClassConfig, group: GroupRef, *, notice_id: str, author: Account,
                         author_name: str, text: str, at: datetime) -> ReceiptList | None:
    """A new receipt list for a notice, with its reminder timer; None when the roster
    names nobody or the notice already has one."""
    expected = expected_from_roster(cls.roster)
    if not expected:
        return None
    settings = cls.settings(RECEIPTS)
    found = ReceiptList.start(notice_id, group, author, author_name, text, expected, at, settings)
    if not await receipt_store.insert(runtime.store, cls.id, found):
        return None
    await schedule_spec(runtime, cls.id, found.reminder_timer(cls.timezone, _quiet_windows(cls)))
    await audit_event(runtime, cls, rule_id=RECEIPTS, group_key=group.key, account_key=author.key,
                      action="receipts_started", excerpt=text, shadow=cls.rule_mode(RECEIPTS) == "shadow",
                      detail=f"{len(expected)} expected, remind at {found.remind_at.isoformat()}")
    return found


async def _count_reply(runtime: Runtime, cls: ClassConfig, found: ReceiptList, message: IncomingMessage) -> None:
    sender = message.sender
    newly: list[str] = []

    def acknowledge(current: ReceiptList) -> bool:
        before = len(current.unmatched)
        newly[:] = current.acknowledge(sender.display_name, sender.person_key, message.text, message.time,
                                       replying_to_notice=message.reply_to == current.notice_id)
        return bool(newly) or len(current.unmatched) != before

    saved = await receipt_store.update(runtime.store, found.key, acknowledge)
    if saved is not None and newly and saved.complete:
        note = Action(ActionKind.NOTIFY_STAFF, saved.group, Account.parse(saved.author),
                      text=texts.receipt_complete(saved.text, len(saved.expected)), rule_id=RECEIPTS,
                      message_id=saved.notice_id)
        await carry_out(runtime, cls, [note], RECEIPTS)


@on_class_message
def notice_receipts(runtime: Runtime, cls: ClassConfig, message: IncomingMessage) -> Awaitable[None] | None:
    """A teacher's notice asking for replies starts a list; members' replies are counted."""
    if cls.rule_mode(RECEIPTS) == "off":
        return None
    sender = message.sender
    if sender.is_staff:
        if is_receipt_request(message.text, cls.settings(RECEIPTS).markers):
            return start_receipts(runtime, cls, message.group, notice_id=message.message_id, author=sender.account,
                                  author_name=sender.display_name or sender.account.user_id, text=message.text,
                                  at=message.time)
        return None
    if receipt_groups.surely_closed(runtime.store, message.group.key, message.time):
        return None  # no open list in this group: nothing to count, no query
    return _count_replies(runtime, cls, message)


async def _count_replies(runtime: Runtime, cls: ClassConfig, message: IncomingMessage) -> None:
    stamp = await receipt_groups.lookup(runtime.store, message.group.key, message.time)
    if stamp is None:
        return  # no open list in this group: nothing to count, no query
    lists = await receipt_store.open_in_group(runtime.store, message.group.key, message.time)
    if not lists:
        receipt_groups.drop(message.group.key, stamp)
    # a reply quoting a notice counts for that notice; any other reply for the latest one
    quoting = [found for found in lists if message.reply_to and found.notice_id == message.reply_to]
    for found in quoting or lists[-1:]:
        await _count_reply(runtime, cls, found, message)


def _staff_report(cls: ClassConfig, found: ReceiptList, now: datetime) -> list[Action]:
    text = texts.receipt_report(found.text, len(found.acknowledged()), len(found.expected), found.missing(),
                                found.created_at.astimezone(cls.timezone), now.astimezone(cls.timezone))
    targets = list(dict.fromkeys([Account.parse(found.author), *cls.staff.get(Role.HEAD_TEACHER, ())]))
    return [Action(ActionKind.NOTIFY_STAFF, found.group, account, text=text, rule_id=RECEIPTS,
                   message_id=found.notice_id) for account in targets]


async def fire_receipt_reminder(runtime: Runtime, timer: DueTimer) -> None:
    cls = runtime.config.classes.get(timer.class_id)
    if cls is None or cls.rule_mode(RECEIPTS) == "off":
        return
    spec, attempt, _ = spec_of(timer)
    found = await receipt_store.load(runtime.store, spec.key)
    if found is None:
        return
    ops = runtime.ops_for(found.group.platform, found.group.group_id)
    if ops is None:
        await retry_later(runtime, timer)
        return
    now = runtime.clock()
    settings = cls.settings(RECEIPTS)
    members: list[tuple[Account, str]] = []
    wanted = found.is_open(now) and not found.reminded and "remind" in settings.action
    if wanted and ops.can(Capability.MEMBER_LIST):
        try:
            members = [(Account(found.group.platform, info.user_id), info.display_name)
                       for info in await ops.member_list(found.group.group_id)]
        except Exception as exc:  # without the list, the author is told whom to reach instead
            logger.opt(exception=exc).warning(f"member list of {found.group.key} unavailable")
    guardians = guardians_of(found.missing(), members, found.expected)
    step: dict[str, object] = {}

    def remind(current: ReceiptList) -> bool:
        was_reminded = current.reminded
        actions, following = receipts.reminder_step(spec, current, now, guardians)
        step.update(actions=actions, following=following, fired=current.reminded and not was_reminded)
        return bool(step["fired"])

    saved = await receipt_store.update(runtime.store, spec.key, remind)
    following = step.get("following")
    if isinstance(following, TimerSpec):  # quiet hours: the reminder waits for the window's end
        await schedule_spec(runtime, cls.id, following, attempt=attempt + 1)
        return
    if saved is None or not step.get("fired"):
        return
    actions: list[Action] = list(step["actions"]) if "remind" in settings.action else []  # type: ignore[call-overload]
    if "notify_head_teacher" in settings.action and saved.missing():
        actions += _staff_report(cls, saved, now)
    await carry_out(runtime, cls, actions, RECEIPTS)


timer_handler(RECEIPT_REMIND)(fire_receipt_reminder)


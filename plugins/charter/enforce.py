"""Findings -> decisions -> actions -> audit records.

The enforcer owns the side of the pipeline that talks to the database and the
platforms. Policies give it findings; it applies the class's ladder, carries out
what the platform can do, turns what it cannot into exact instructions for the
head teacher (escalation.capabilities), and records everything.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from loguru import logger
from sqlalchemy.exc import SQLAlchemyError

from . import texts
from .ladder import GroupRateLimit, NoticeThrottle, step_for, strike_expiry

from .catalogue import LadderSettings
from .config import ClassConfig
from .finding_codec import finding_from_dict, finding_to_dict
from .model import (Account, Action, ActionKind, DecisionRequest, Finding, GroupRef, OpenDecision, OpResult, Role,
                    Severity)
from .platform import PlatformOps
from .store import AuditEntry, AuditRow, Store, excerpt

OpsResolver = Callable[[str, str | None], PlatformOps | None]
Clock = Callable[[], datetime]

JOURNAL_LEASE = timedelta(minutes=2)  # a finding not acted on by then is recovered by another process
MAX_DEFERRED = 10_000  # findings kept in memory while the database is away
DEFERRED_WARNING = timedelta(minutes=10)  # then the head teacher hears of the waiting finding
DATABASE_ERRORS = (SQLAlchemyError, OSError, TimeoutError, ConnectionError)
CHAIN_TIMER = "escalation.chain"  # handled by the escalation plugin
GROUP_MESSAGE_KINDS = {ActionKind.NOTICE_PUBLIC, ActionKind.REPLY_GROUP}


@dataclass
class Outcome:
    action: Action
    result: OpResult


@dataclass(frozen=True)
class Deferred:
    """A finding waiting for the database; `journaled` when only deciding is left."""

    finding: Finding
    since: datetime
    journaled: bool


@dataclass
class Plan:
    """What one finding leads to, before it is carried out."""

    actions: list[Action] = field(default_factory=list)
    audit: list[AuditRow] = field(default_factory=list)


class Enforcer:
    def __init__(self, store: Store, ops_for: OpsResolver, clock: Clock, owner: str = "local"):
        self.store = store
        self.ops_for = ops_for
        self.clock = clock
        self.owner = owner
        self.journal_lease = JOURNAL_LEASE
        self.deferred: deque[Deferred] = deque()
        self.unfinished: set[str] = set()  # acted on, journal entry not yet closed
        self.warned: set[str] = set()
        self.unsaved_audit: list[AuditRow] = []
        self.notice_throttle = NoticeThrottle()
        self.group_rate = GroupRateLimit()

    # --- entry points -------------------------------------------------------

    async def handle(self, findings: list[Finding], cls: ClassConfig) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for finding in findings:
            outcomes += await self.handle_one(finding, cls)
        return outcomes

    async def handle_one(self, finding: Finding, cls: ClassConfig) -> list[Outcome]:
        now = self.clock()
        if finding.shadow:
            record = self._record(cls, finding, "finding", OpResult.success(finding.reason or "matched"), now)
            record.shadow = True
            await self._audit([record])
            return []
        finding = self._keyed(finding)
        try:
            fresh = await self.store.journal_finding(finding.event_key, cls.id, finding_to_dict(finding), now,
                                                     self.owner, self.journal_lease)
        except DATABASE_ERRORS as exc:
            # the database is away: withdraw now (no database needed), the rest later
            outcomes = await self._withdraw(finding, cls, now)
            self._defer(finding, now, journaled=False, reason=exc)
            return outcomes
        if not fresh:
            # a redelivered event (reconnects do this): withdrawing again is harmless,
            # but nobody is struck, reminded or alerted twice
            return await self._withdraw(finding, cls, now, duplicate=True)
        # the withdrawal's audit rows are written with the finding's close, in one
        # transaction (with the other findings closing meanwhile), not in one of their own
        withdrawn: list[AuditRow] = []
        outcomes = await self._withdraw(finding, cls, now, into=withdrawn)
        return outcomes + await self._carry_out_or_defer(finding, cls, now, withdrawn)

    async def _withdraw(self, finding: Finding, cls: ClassConfig, now: datetime, duplicate: bool = False,
                        into: list[AuditRow] | None = None) -> list[Outcome]:
        """Withdrawal first: it needs no database and the message should go at once.
        Its audit rows are written now, or added to `into` for the caller to write."""
        audit = [self._record(cls, finding, "duplicate", OpResult.success("event seen before"), now)] if duplicate else []
        outcomes = await self._execute(self._recall(finding), cls, finding, now, audit)
        if into is None:
            await self._audit(audit)
        else:
            into += audit
        return outcomes

    async def _carry_out_or_defer(self, finding: Finding, cls: ClassConfig, now: datetime,
                                  earlier: list[AuditRow] | None = None) -> list[Outcome]:
        try:
            return await self._carry_out(finding, cls, now, earlier)
        except DATABASE_ERRORS as exc:
            if earlier:
                self._keep_audit(earlier)  # written with the next audit rows that get through
            self._defer(finding, now, journaled=True, reason=exc)
            return []

    async def _carry_out(self, finding: Finding, cls: ClassConfig, now: datetime,
                         earlier: list[AuditRow] | None = None) -> list[Outcome]:
        """Decide and act on a journaled, withdrawn finding, then close its journal entry
        with its audit rows (`earlier`: the withdrawal's, not written yet).
        Run again after a failure, it counts no strike twice (strikes are keyed by event)."""
        plan = Plan(audit=[*(earlier or ()),
                           self._record(cls, finding, "finding", OpResult.success(finding.reason or "matched"), now)])
        await self._decide(finding, cls, now, plan)
        outcomes = await self._execute(plan.actions, cls, finding, now, plan.audit)
        # taken before the await: findings closing concurrently must not write them twice
        kept, self.unsaved_audit = self.unsaved_audit, []
        try:
            await self.store.close_finding(kept + plan.audit, finding.event_key, self.clock())
        except DATABASE_ERRORS:
            self._keep_audit(kept + plan.audit)
            self.unfinished.add(finding.event_key)  # closed by retry_deferred; acting again is not needed
        return outcomes

    def _defer(self, finding: Finding, now: datetime, *, journaled: bool, reason: BaseException) -> None:
        logger.warning(f"database unavailable ({type(reason).__name__}); finding {finding.event_key} deferred")
        if len(self.deferred) >= MAX_DEFERRED:
            dropped = self.deferred.popleft()
            logger.error(f"deferred findings full; {dropped.finding.event_key} dropped")
        self.deferred.append(Deferred(finding, now, journaled))

    async def retry_deferred(self, classes: dict[str, ClassConfig]) -> int:
        """Apply deferred findings once the database answers; tell the head teacher about
        ones that waited too long. Returns how many were applied."""
        applied = 0
        try:
            for event_key in list(self.unfinished):
                await self.store.finish_finding(event_key, self.clock())
                self.unfinished.discard(event_key)
        except DATABASE_ERRORS:
            return applied
        while self.deferred:
            item = self.deferred[0]
            cls = next((c for c in classes.values() if item.finding.group in c.groups), None)
            if cls is None:
                self.deferred.popleft()
                continue
            now = self.clock()
            try:
                fresh = item.journaled or await self.store.journal_finding(
                    item.finding.event_key, cls.id, finding_to_dict(item.finding), now, self.owner, self.journal_lease)
                if fresh:
                    await self._carry_out(item.finding, cls, now)
                    applied += 1
            except DATABASE_ERRORS:
                await self._warn_stale_deferred(classes, now)
                return applied
            self.deferred.popleft()
        return applied

    async def _warn_stale_deferred(self, classes: dict[str, ClassConfig], now: datetime) -> None:
        for item in list(self.deferred):
            finding, since = item.finding, item.since
            if now - since < DEFERRED_WARNING or finding.event_key in self.warned:
                continue
            self.warned.add(finding.event_key)
            cls = next((c for c in classes.values() if finding.group in c.groups), None)
            if cls is None:
                continue
            text = texts.deferred_warning(cls.name, finding.member.display_name, finding.rule_id, finding.evidence,
                                          self._local(finding.time or since, cls))
            actions = self._notify(cls, (Role.HEAD_TEACHER,), finding.group, text, finding.rule_id,
                                   finding.member.account)
            await self._execute(actions, cls, finding, now, [])

    async def recover(self, classes: dict[str, ClassConfig]) -> int:
        """Carry out findings journaled by a process that stopped before acting on them."""
        now = self.clock()
        claimed = await self.store.claim_unfinished_findings(self.owner, now, self.journal_lease, set(classes))
        recovered = 0
        for event_key, class_id, payload in claimed:
            finding = finding_from_dict(payload)
            if self.ops_for(finding.group.platform, finding.group.group_id) is None:
                await self.store.release_finding(event_key)  # nothing connected to act through yet
                continue
            logger.info(f"recovering finding {event_key} left unfinished by a stopped process")
            await self._withdraw(finding, classes[class_id], now)
            await self._carry_out_or_defer(finding, classes[class_id], now)
            recovered += 1
        return recovered

    async def _audit(self, records: list[AuditRow]) -> None:
        kept, self.unsaved_audit = self.unsaved_audit, []
        try:
            await self.store.audit(kept + records)
        except DATABASE_ERRORS:
            self._keep_audit(kept + records)

    def _keep_audit(self, records: list[AuditRow]) -> None:
        self.unsaved_audit = (records + self.unsaved_audit)[-MAX_DEFERRED:]
        logger.warning(f"audit log unavailable; {len(self.unsaved_audit)} records kept in memory")

    @staticmethod
    def _keyed(finding: Finding) -> Finding:
        if finding.event_key:
            return finding
        return replace(finding, event_key=f"{finding.group.key}:{finding.message_id}:{finding.rule_id}")

    @staticmethod
    def _recall(finding: Finding) -> list[Action]:
        if "recall" in finding.actions and finding.message_id:
            return [Action(ActionKind.RECALL, finding.group, finding.member.account, message_id=finding.message_id,
                           rule_id=finding.rule_id)]
        return []

    async def execute(self, actions: list[Action], cls: ClassConfig, finding: Finding | None = None) -> list[Outcome]:
        """Carry out actions decided elsewhere (commands, timers), with audit and fallback."""
        now = self.clock()
        audit: list[AuditRow] = []
        outcomes = await self._execute(actions, cls, finding, now, audit)
        await self._audit(audit)
        return outcomes

    # --- decisions ----------------------------------------------------------

    async def _decide(self, finding: Finding, cls: ClassConfig, now: datetime, plan: Plan) -> None:
        wanted = set(finding.actions)
        member, group = finding.member, finding.group
        if "severe" in wanted or finding.severity == Severity.SEVERE:
            await self._severe(finding, cls, now, plan)
        if "strike" in wanted:
            await self._strike(finding, cls, now, plan)
        if "remind" in wanted:
            plan.actions.append(Action(ActionKind.REMIND_PRIVATE, group, member.account,
                                       text=finding.member_text or finding.reason, rule_id=finding.rule_id))
        if "reply_private" in wanted:
            plan.actions.append(Action(ActionKind.REMIND_PRIVATE, group, member.account,
                                       text=finding.member_text, rule_id=finding.rule_id))
        if "remind_group" in wanted or "reply" in wanted:
            plan.actions.append(Action(ActionKind.REPLY_GROUP, group, None,
                                       text=finding.member_text, rule_id=finding.rule_id))
        if "notify_head_teacher" in wanted or "forward_head_teacher" in wanted:
            when = self._local(finding.time or now, cls)
            text = (texts.suspected_alert(cls.name, member.display_name, member.account.key, finding.rule_id,
                                          finding.evidence, when)
                    if finding.suspected else
                    texts.staff_alert(cls.name, member.display_name, finding.rule_id, finding.evidence, when))
            plan.actions += self._notify(cls, (Role.HEAD_TEACHER,), group, text, finding.rule_id, member.account)

    async def _strike(self, finding: Finding, cls: ClassConfig, now: datetime, plan: Plan) -> None:
        member, group = finding.member, finding.group
        if cls.mode("escalation") == "off":
            return
        if member.is_staff and cls.rule_mode("escalation.teachers") != "off":
            # teachers are never punished by the bot; the head teacher's own go to the office
            to = (Role.OFFICE,) if member.role == Role.HEAD_TEACHER else (Role.HEAD_TEACHER,)
            text = texts.teacher_note(cls.name, member.display_name, finding.rule_id, finding.evidence)
            plan.actions += self._notify(cls, to, group, text, "escalation.teachers", member.account)
            return
        ladder: LadderSettings = cls.settings("escalation.ladder")
        event_key = finding.event_key or f"{group.key}:{finding.message_id}:{finding.rule_id}"
        fresh, active = await self.store.strike_and_count(
            class_id=cls.id, person_key=member.person_key, account_key=member.account.key, rule_id=finding.rule_id,
            now=now, expires_at=strike_expiry(now, ladder), evidence=finding.evidence, event_key=event_key)
        # a strike's number is its place among the person's active strikes, so two
        # strikes recorded together are numbered in order
        keys = [strike.event_key for strike in active]
        if fresh:
            count = keys.index(event_key) + 1 if event_key in keys else len(active)
        else:
            # the strike was recorded by a process that stopped before its ladder step:
            # take the step for that strike now (strikes are counted once, steps at least once)
            if event_key not in keys:
                return
            count = keys.index(event_key) + 1
        plan.audit.append(self._record(cls, finding, "strike", OpResult.success(
            f"strike {count}" if fresh else f"strike {count} (recorded before a restart)"), now))
        shadow = cls.mode("escalation") == "shadow" or cls.rule_mode("escalation.ladder") == "off"
        step = step_for(count, ladder)
        actions = await self._ladder_step(step, count, finding, cls, ladder, now)
        if shadow:
            for action in actions:
                record = self._record(cls, finding, action.kind.value, OpResult.success("shadow: not carried out"), now)
                record.shadow = True
                plan.audit.append(record)
            return
        plan.actions += actions

    async def _ladder_step(self, step: str, count: int, finding: Finding, cls: ClassConfig,
                           ladder: LadderSettings, now: datetime) -> list[Action]:
        member, group = finding.member, finding.group
        clause = next((c.text for c in cls.charter.clauses_for(finding.rule_id)), "")
        if step == "remind" or (step == "notice" and ladder.quiet_mode):
            text = texts.private_reminder(cls.name, finding.rule_id, clause, count)
            return [Action(ActionKind.REMIND_PRIVATE, group, member.account, text=text, rule_id=finding.rule_id)]
        if step == "notice":
            key = f"{cls.id}:{member.person_key}:{finding.rule_id}"
            if not self.notice_throttle.allow(key, now, timedelta(minutes=ladder.notice_interval_minutes)):
                text = texts.private_reminder(cls.name, finding.rule_id, clause, count)
                return [Action(ActionKind.REMIND_PRIVATE, group, member.account, text=text, rule_id=finding.rule_id)]
            return [Action(ActionKind.NOTICE_PUBLIC, group, member.account, text=texts.public_notice(finding.rule_id, count),
                           rule_id=finding.rule_id)]
        # remove
        if ladder.auto_remove:
            # the group hears of the removal only once the platform has done it (see _execute)
            return [Action(ActionKind.REMOVE, group, member.account, rule_id=finding.rule_id,
                           text="" if ladder.quiet_mode else texts.removal_notice(member.display_name))]
        decision = await self.open_decision(DecisionRequest(
            class_id=cls.id, kind="remove", person_key=member.person_key, account_key=member.account.key,
            group_key=group.key, reason=f"{finding.rule_id}: {excerpt(finding.evidence, 60)}", created_at=now,
            expires_at=now + timedelta(hours=ladder.confirm_expiry_hours),
        ), cls)
        if not decision.opened:
            return []  # the head teacher already has this removal to decide: one request, not one a message
        text = texts.removal_request(cls.name, member.display_name, count, finding.rule_id, decision.id)
        return self._notify(cls, (Role.HEAD_TEACHER,), group, text, "escalation.ladder", member.account)

    async def _severe(self, finding: Finding, cls: ClassConfig, now: datetime, plan: Plan) -> None:
        if cls.rule_mode("escalation.severe") == "off":
            return
        member, group = finding.member, finding.group
        decision_id = None
        if cls.settings("escalation.severe").propose_removal and not member.is_staff:
            decision = await self.open_decision(DecisionRequest(
                class_id=cls.id, kind="remove", person_key=member.person_key, account_key=member.account.key,
                group_key=group.key, reason=f"severe {finding.rule_id}: {excerpt(finding.evidence, 60)}",
                created_at=now, expires_at=now + timedelta(hours=cls.settings("escalation.ladder").confirm_expiry_hours),
            ), cls)
            decision_id = decision.id
        text = texts.severe_alert(cls.name, member.display_name, member.account.key, group.key, finding.evidence,
                                  self._local(finding.time or now, cls), decision_id)
        plan.actions += self._notify(cls, (Role.HEAD_TEACHER, Role.OFFICE, Role.LEADER), group, text,
                                     "escalation.severe", member.account)

    async def open_decision(self, request: DecisionRequest, cls: ClassConfig) -> OpenDecision:
        """Open a decision for the head teacher; with escalation.chain on, schedule its
        follow-up to the next level in case nobody decides in time."""
        opened = await self.store.open_decision(request)
        if opened.opened and cls.rule_mode("escalation.chain") == "on":
            chain = cls.settings("escalation.chain")
            if chain.levels:
                await self.store.schedule(
                    kind=CHAIN_TIMER, class_id=cls.id, now=request.created_at,
                    due_at=request.created_at + timedelta(minutes=chain.handle_within_minutes),
                    payload={"decision": opened.id, "level": 0}, dedupe_key=f"{CHAIN_TIMER}:{opened.id}:0",
                )
        return opened

    def _notify(self, cls: ClassConfig, roles: tuple[Role, ...], group: GroupRef, text: str, rule_id: str,
                subject: Account | None) -> list[Action]:
        seen: set[Account] = set()
        actions = []
        for role in roles:
            for account in cls.staff.get(role, ()):
                if account not in seen:
                    seen.add(account)
                    actions.append(Action(ActionKind.NOTIFY_STAFF, group, account, text=text, rule_id=rule_id,
                                          subject=subject))
        return actions

    # --- execution ----------------------------------------------------------

    async def _execute(self, actions: list[Action], cls: ClassConfig, finding: Finding | None, now: datetime,
                       audit: list[AuditRow]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        manual: list[str] = []
        for action in actions:
            result = await self._perform(action, cls, now)
            outcomes.append(Outcome(action, result))
            audit.append(self._action_record(cls, action, finding, result, now))
            if not result.ok and action.kind in (ActionKind.RECALL, ActionKind.REMOVE, ActionKind.MUTE):
                manual.append(self._instruction(action, finding, cls, now))
            elif result.ok and action.kind == ActionKind.REMOVE and action.text:
                farewell = Action(ActionKind.REPLY_GROUP, action.group, None, text=action.text, rule_id=action.rule_id)
                farewell_result = await self._perform(farewell, cls, now)
                outcomes.append(Outcome(farewell, farewell_result))
                audit.append(self._action_record(cls, farewell, finding, farewell_result, now))
        if manual and cls.rule_mode("escalation.capabilities") != "off":
            reason = "平台不支持或机器人不是管理员" if all(
                not o.result.ok and o.result.unsupported for o in outcomes
                if o.action.kind in (ActionKind.RECALL, ActionKind.REMOVE, ActionKind.MUTE)
            ) else "平台拒绝了操作"
            text = texts.manual_action(cls.name, "；".join(dict.fromkeys(manual)), reason)
            group = actions[0].group
            subject = finding.member.account if finding else None
            for notify in self._notify(cls, (Role.HEAD_TEACHER,), group, text, "escalation.capabilities", subject):
                result = await self._perform(notify, cls, now)
                outcomes.append(Outcome(notify, result))
                audit.append(self._action_record(cls, notify, finding, result, now))
        return outcomes

    def _instruction(self, action: Action, finding: Finding | None, cls: ClassConfig, now: datetime) -> str:
        name = finding.member.display_name if finding else (action.target.user_id if action.target else "")
        when = self._local(finding.time if finding and finding.time else now, cls)
        if action.kind == ActionKind.RECALL:
            return texts.manual_recall(name, when)
        if action.kind == ActionKind.REMOVE:
            return texts.manual_remove(name)
        return f"请手动禁言 {name}"

    async def _perform(self, action: Action, cls: ClassConfig, now: datetime) -> OpResult:
        platform = action.target.platform if action.kind == ActionKind.NOTIFY_STAFF and action.target else action.group.platform
        group_id = action.group.group_id if action.group.platform == platform else None
        ops = self.ops_for(platform, group_id)
        if ops is None:
            return OpResult.failed(f"no connected bot account on {platform}")
        if action.kind in GROUP_MESSAGE_KINDS:
            per_minute = cls.settings("escalation.ladder").group_messages_per_minute
            if not self.group_rate.allow(action.group.key, now, per_minute):
                return OpResult.failed("rate limited: the bot's own messages in this group")
        try:
            return await self._call(ops, action)
        except Exception as exc:  # a platform failure must never stop the pipeline
            logger.opt(exception=exc).warning(f"platform call {action.kind} failed")
            return OpResult.failed(f"{type(exc).__name__}: {exc}"[:200])

    @staticmethod
    async def _call(ops: PlatformOps, action: Action) -> OpResult:
        group_id = action.group.group_id
        user_id = action.target.user_id if action.target else ""
        match action.kind:
            case ActionKind.RECALL:
                return await ops.recall(group_id, action.message_id or "")
            case ActionKind.REMIND_PRIVATE:
                return await ops.send_private(user_id, action.text, group_id)
            case ActionKind.NOTICE_PUBLIC:
                return await ops.send_group(group_id, action.text, mention=user_id or None)
            case ActionKind.REPLY_GROUP:
                return await ops.send_group(group_id, action.text)
            case ActionKind.NOTIFY_STAFF:
                same_platform = action.group.platform == ops.platform
                return await ops.send_private(user_id, action.text, group_id if same_platform else None)
            case ActionKind.REMOVE:
                return await ops.kick(group_id, user_id)
            case ActionKind.MUTE:
                return await ops.mute(group_id, user_id, action.duration_s)
            case ActionKind.MUTE_ALL | ActionKind.UNMUTE_ALL:
                return await ops.mute_all(group_id, action.kind == ActionKind.MUTE_ALL)
            case ActionKind.APPROVE_JOIN | ActionKind.REJECT_JOIN:
                return await ops.answer_join(action.flag, action.kind == ActionKind.APPROVE_JOIN, action.text)
        return OpResult.impossible(f"unknown action {action.kind}")

    # --- audit --------------------------------------------------------------

    @staticmethod
    def _local(moment: datetime, cls: ClassConfig) -> datetime:
        return moment.astimezone(cls.timezone)

    @staticmethod
    def _record(cls: ClassConfig, finding: Finding, action: str, result: OpResult, now: datetime) -> AuditEntry:
        return AuditEntry(
            created_at=now, class_id=cls.id, platform=finding.group.platform, group_id=finding.group.group_id,
            rule_id=finding.rule_id, account_key=finding.member.account.key, person_key=finding.member.person_key,
            excerpt=excerpt(finding.evidence), action=action, ok=result.ok, detail=result.detail[:500],
        )

    @staticmethod
    def _action_record(cls: ClassConfig, action: Action, finding: Finding | None, result: OpResult,
                       now: datetime) -> AuditEntry:
        subject = action.subject or action.target
        return AuditEntry(
            created_at=now, class_id=cls.id, platform=action.group.platform, group_id=action.group.group_id,
            rule_id=action.rule_id, account_key=subject.key if subject else "",
            person_key=finding.member.person_key if finding else "",
            excerpt=excerpt(finding.evidence) if finding else "",
            action=action.kind.value, ok=result.ok,
            detail=(("unsupported: " if result.unsupported else "") + result.detail)[:500]
            + (f" -> {action.target.key}" if action.kind == ActionKind.NOTIFY_STAFF and action.target else ""),
        )

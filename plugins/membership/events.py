"""Member events: joins, renames, leaves, join requests and invitations.

- joined: the member is remembered (a re-joining member keeps their person key,
  so their strike history follows them); the name is checked when the platform
  can tell it (QQ's join notice has no card: the member list is read once),
  otherwise on first sight; an invitation by someone who is neither staff nor a
  group admin is reported to the head teacher (membership.invites).
- renamed: the new name is checked (a valid name ends the grace period).
- left: remembered as left; a running grace period is cancelled.
- join request: approved when the answer names a roster student and a permitted
  relation (membership.roster with "approve_join"), otherwise held for the head
  teacher, who answers with /confirm N or /reject N.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from loguru import logger

from plugins.charter.config import ClassConfig
from plugins.charter.listeners import MemberEvent, MemberEventKind, on_member_event
from plugins.charter.model import Action, ActionKind, DecisionRequest, MemberInfo
from plugins.charter.platform import Capability
from plugins.charter.runtime import Runtime

from .effects import event_finding, head_teacher_notes, member_for
from .for_class import invite_is_suspicious, join_decision
from .join import JoinDecision, format_invite_notice, format_join_hold
from .names import RULE as REAL_NAME
from .names import cancel_grace, check_name, checked

ROSTER = "membership.roster"
INVITES = "membership.invites"
EVENT_MEMORY = timedelta(days=7)  # a redelivered event within this time is handled once


@on_member_event
async def member_event(runtime: Runtime, cls: ClassConfig, event: MemberEvent) -> None:
    match event.kind:
        case MemberEventKind.JOINED:
            await joined(runtime, cls, event)
        case MemberEventKind.RENAMED:
            await renamed(runtime, cls, event)
        case MemberEventKind.LEFT:
            await left(runtime, cls, event)
        case MemberEventKind.JOIN_REQUEST:
            await join_request(runtime, cls, event)


async def _first_time(runtime: Runtime, rule_id: str, event: MemberEvent) -> bool:
    """False for an event already handled (a reconnecting client may deliver it again)."""
    if not event.event_key:
        return True
    return await runtime.store.once(f"{rule_id}:{event.event_key}", runtime.clock(), EVENT_MEMORY)


async def _member_list(runtime: Runtime, event: MemberEvent) -> dict[str, MemberInfo]:
    ops = runtime.ops_for(event.group.platform, event.group.group_id)
    if ops is None or not ops.can(Capability.MEMBER_LIST):
        return {}
    try:
        return {m.user_id: m for m in await ops.member_list(event.group.group_id)}
    except Exception as exc:  # the name is then checked on first sight
        logger.opt(exception=exc).warning(f"member list of {event.group.key} unavailable")
        return {}


async def joined(runtime: Runtime, cls: ClassConfig, event: MemberEvent) -> None:
    account = event.account
    suspicious_invite = (
        event.invited and event.operator is not None and cls.rule_mode(INVITES) != "off"
        and invite_is_suspicious(cls.role_of(event.operator))
    )
    wants_name = not event.display_name and cls.rule_mode(REAL_NAME) != "off"
    members = await _member_list(runtime, event) if wants_name or suspicious_invite else {}
    name = event.display_name or (members[account.user_id].display_name if account.user_id in members else "")
    known = await runtime.store.known_member(cls.id, account.key)
    if name:
        await check_name(runtime, cls, account, event.group, name, event.time, known, looked_up=True)
    else:  # checked on first sight; the remembered person key (and strikes) stay
        await runtime.store.remember_member(class_id=cls.id, account_key=account.key, group_key=event.group.key,
                                            display_name="", person_key="", name_ok=False, now=runtime.clock())
        checked.forget(cls.id, account.key)
    if suspicious_invite and event.operator is not None:
        inviter = members.get(event.operator.user_id)
        if inviter is not None and inviter.is_admin:
            return
        await _report_invite(runtime, cls, event, name, inviter.display_name if inviter else "")


async def _report_invite(runtime: Runtime, cls: ClassConfig, event: MemberEvent, newcomer_name: str,
                         inviter_name: str) -> None:
    if not await _first_time(runtime, INVITES, event):
        return
    assert event.operator is not None
    newcomer = f"{newcomer_name}（{event.account.user_id}）" if newcomer_name else event.account.user_id
    inviter = f"{inviter_name}（{event.operator.user_id}）" if inviter_name else event.operator.user_id
    member = member_for(runtime, cls, event.operator, inviter_name, None)
    finding = event_finding(cls, INVITES, member, event.group, event.time, evidence=f"邀请 {newcomer}",
                            reason="邀请人不是老师或管理员", event_key=f"{INVITES}:{event.event_key}")
    if finding.shadow:
        await runtime.enforcer.handle_one(finding, cls)
        return
    text = format_invite_notice(cls.name, newcomer, inviter)
    await runtime.enforcer.execute(head_teacher_notes(cls, event.group, text, INVITES, event.account), cls, finding)


async def renamed(runtime: Runtime, cls: ClassConfig, event: MemberEvent) -> None:
    name = event.display_name
    if not name:  # the card was cleared: the platform shows the nickname, judged on first sight
        checked.forget(cls.id, event.account.key)
        return
    known = await runtime.store.known_member(cls.id, event.account.key)
    if known is not None and known.left_at is None and known.display_name == name and known.name_ok:
        return  # the same rename again
    await check_name(runtime, cls, event.account, event.group, name, event.time, known, looked_up=True)


async def left(runtime: Runtime, cls: ClassConfig, event: MemberEvent) -> None:
    known = await runtime.store.known_member(cls.id, event.account.key)
    await runtime.store.remember_member(
        class_id=cls.id, account_key=event.account.key, group_key=event.group.key, display_name="", person_key="",
        name_ok=known.name_ok if known else False, now=runtime.clock(), left=True)
    await cancel_grace(runtime, cls, event.account)
    checked.forget(cls.id, event.account.key)


def hold_text(cls: ClassConfig, decision: JoinDecision, applicant: str, comment: str, decision_id: int) -> str:
    """The head teacher's note about a held join request, with the commands that answer it."""
    return (format_join_hold(decision, applicant, comment, cls.name)
            + f"\n同意请回复 /confirm {decision_id}，拒绝请回复 /reject {decision_id}。")


async def join_request(runtime: Runtime, cls: ClassConfig, event: MemberEvent) -> None:
    mode = cls.rule_mode(ROSTER)
    if mode == "off" or not await _first_time(runtime, ROSTER, event):
        return
    decision = join_decision(cls, event.comment)
    member = member_for(runtime, cls, event.account, "", None)
    finding = event_finding(cls, ROSTER, member, event.group, event.time, evidence=event.comment or "（空）",
                            reason=decision.reason or "符合名单", event_key=f"{ROSTER}:{event.event_key}")
    if mode == "shadow":
        await runtime.enforcer.handle_one(finding, cls)
        return
    now = runtime.clock()
    reason = decision.reason
    if decision.approve and "approve_join" in cls.settings(ROSTER).action:
        # remembered before approving, so the newcomer's reminder names the exact form
        # ("张子涵妈妈") however soon the platform reports the join
        await runtime.store.remember_member(
            class_id=cls.id, account_key=event.account.key, group_key=event.group.key, display_name="",
            person_key=decision.person_key or "", name_ok=False, now=now)
        outcomes = await runtime.enforcer.execute(
            [Action(ActionKind.APPROVE_JOIN, event.group, event.account, flag=event.flag, rule_id=ROSTER)], cls,
            finding)
        if outcomes and outcomes[0].result.ok:
            return
        reason = f"申请符合名单，但机器人无法自动同意（{outcomes[0].result.detail if outcomes else '未连接'}）。"
    elif decision.approve:
        reason = "申请符合名单；本班设置为由班主任审核入群。"
    ladder = cls.settings("escalation.ladder")
    pending = await runtime.enforcer.open_decision(DecisionRequest(
        class_id=cls.id, kind="join", account_key=event.account.key, group_key=event.group.key,
        reason=reason[:300], flag=event.flag, created_at=now,
        expires_at=now + timedelta(hours=ladder.confirm_expiry_hours),
    ), cls)
    text = hold_text(cls, replace(decision, reason=reason), event.account.user_id, event.comment, pending.id)
    await runtime.enforcer.execute(head_teacher_notes(cls, event.group, text, ROSTER, event.account), cls, finding)

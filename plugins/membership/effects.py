"""Shared building blocks of the membership handlers: who a member is, findings
for member events (which have no message), notes for the head teacher."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from plugins.charter.config import ClassConfig
from plugins.charter.findings import finding_for
from plugins.charter.identity import resolve_member
from plugins.charter.model import Account, Action, ActionKind, Finding, GroupRef, IncomingMessage, Member, Role
from plugins.charter.runtime import Runtime
from plugins.charter.tables import KnownMember


def role_hint(cls: ClassConfig, account: Account) -> Role:
    """The account's staff role, else UNKNOWN: the naming rule judges parents and strangers alike."""
    return cls.role_of(account) or Role.UNKNOWN


def member_for(runtime: Runtime, cls: ClassConfig, account: Account, display_name: str,
               known: KnownMember | None) -> Member:
    """The member as the ladder sees them: a person key remembered for the account wins
    (an approved join answer, an earlier valid name), so strikes survive renames and re-joins."""
    member = resolve_member(cls, account, display_name, runtime.superusers)
    if known is not None and known.person_key and member.role in (Role.PARENT, Role.UNKNOWN):
        member = replace(member, person_key=known.person_key)
    return member


def event_finding(cls: ClassConfig, rule_id: str, member: Member, group: GroupRef, when: datetime, *,
                  evidence: str, reason: str, event_key: str, actions: tuple[str, ...] | None = None) -> Finding:
    """A finding for a member event, built by the core's finding_for (configured actions,
    shadow mode) with the event's own key, so a redelivered event counts once."""
    pseudo = IncomingMessage(group=group, message_id="", sender=member, text=evidence, time=when)
    finding = finding_for(cls, rule_id, pseudo, evidence=evidence, reason=reason, recall_id="")
    finding = replace(finding, event_key=event_key, message_id=None)
    return replace(finding, actions=actions) if actions is not None else finding


def head_teacher_notes(cls: ClassConfig, group: GroupRef, text: str, rule_id: str,
                       subject: Account | None) -> list[Action]:
    return [Action(ActionKind.NOTIFY_STAFF, group, account, text=text, rule_id=rule_id, subject=subject)
            for account in cls.head_teachers()]

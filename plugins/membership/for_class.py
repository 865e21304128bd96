"""The membership rules for one class: what the event handlers call.

Each function takes the loaded ClassConfig and reads the class's roster, time
zone and membership.* settings from it, so a handler needs one line per event.
Whether a rule is on, off or in shadow mode is the caller's business
(ClassConfig.rule_mode); these functions only judge.

    on join, rename, first sight   name_verdict / reminder_for
    join request (QQ request.group) join_decision
    a member invited by someone     invite_is_suspicious
    /audit and the weekly sweep     audit / audit_text / next_audit
    strikes per person              person_key (also plugins.membership.identity.class_person_key)
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from plugins.charter.config import ClassConfig
from plugins.charter.model import MemberInfo, Role

from .audit import AuditReport, audit_members, format_audit_report, next_audit_time
from .identity import class_verdict, person_key_for
from .join import JoinDecision, is_suspicious_invite, judge_join_request
from .naming import NameVerdict, expected_forms, format_reminder


def name_verdict(cls: ClassConfig, display_name: str, role: Role | None) -> NameVerdict:
    """Judge a member's display name; `role` is the account's role in the class."""
    return class_verdict(cls, display_name, role)


def reminder_for(cls: ClassConfig, display_name: str, role: Role | None, person_key: str | None = None) -> str | None:
    """The private reminder for a name that breaks the rule, or None when the name passes.

    `person_key` is the person the core already knows for this account (from
    another platform, or an earlier name); it gives the surest expected name.
    """
    verdict = name_verdict(cls, display_name, role)
    if verdict.ok:
        return None
    real_name, roster_rules = cls.settings("membership.real_name"), cls.settings("membership.roster")
    forms = expected_forms(display_name, cls.roster, real_name, roster_rules, role, person_key)
    return format_reminder(verdict, real_name, roster_rules, role, forms, cls.name)


def person_key(cls: ClassConfig, display_name: str, role: Role | None) -> str | None:
    return person_key_for(
        display_name, cls.roster, cls.settings("membership.real_name"), cls.settings("membership.roster"), role
    )


def join_decision(cls: ClassConfig, comment: str) -> JoinDecision:
    return judge_join_request(comment, cls.roster, cls.settings("membership.roster"))


def invite_is_suspicious(inviter_role: Role | None, inviter_is_admin: bool = False) -> bool:
    return is_suspicious_invite(inviter_role, inviter_is_admin)


def audit(cls: ClassConfig, platform: str, members: Sequence[MemberInfo], bot_ids: Collection[str] = ()) -> AuditReport:
    """Audit one group's member list (`members` from the platform, `bot_ids` the bot's own accounts)."""
    return audit_members(
        members,
        platform,
        cls.staff_roles,
        cls.roster,
        cls.settings("membership.real_name"),
        cls.settings("membership.roster"),
        exclude=bot_ids,
    )


def audit_text(cls: ClassConfig, report: AuditReport) -> str:
    return format_audit_report(report, cls.name)


def next_audit(cls: ClassConfig, now: datetime) -> datetime:
    """When the weekly audit of this class runs next, in the class's time zone."""
    settings = cls.settings("membership.audit")
    return next_audit_time(now, settings.weekday, settings.time, cls.timezone)

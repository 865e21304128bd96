"""Findings to and from JSON, for the finding journal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .model import Account, Finding, GroupRef, Member, Role, Severity


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    member = finding.member
    return {
        "rule_id": finding.rule_id,
        "member": {"account": member.account.key, "name": member.display_name, "role": member.role.value,
                   "person": member.person_key, "superuser": member.is_superuser},
        "group": finding.group.key,
        "evidence": finding.evidence,
        "severity": finding.severity.value,
        "message_id": finding.message_id,
        "time": finding.time.isoformat() if finding.time else None,
        "reason": finding.reason,
        "member_text": finding.member_text,
        "actions": list(finding.actions),
        "event_key": finding.event_key,
        "suspected": finding.suspected,
    }


def finding_from_dict(data: dict[str, Any]) -> Finding:
    member = data["member"]
    platform, _, group_id = data["group"].partition(":")
    return Finding(
        rule_id=data["rule_id"],
        member=Member(Account.parse(member["account"]), member["name"], Role(member["role"]), member["person"],
                      bool(member["superuser"])),
        group=GroupRef(platform, group_id),
        evidence=data["evidence"],
        severity=Severity(data["severity"]),
        message_id=data["message_id"],
        time=datetime.fromisoformat(data["time"]) if data["time"] else None,
        reason=data["reason"],
        member_text=data["member_text"],
        actions=tuple(data["actions"]),
        event_key=data["event_key"],
        suspected=bool(data.get("suspected", False)),  # journals written before the field
    )

"""Building findings from a class's configuration, so every policy does it one way."""

from __future__ import annotations

from .config import ClassConfig
from .model import Finding, IncomingMessage, Severity


def finding_for(
    cls: ClassConfig,
    rule_id: str,
    message: IncomingMessage,
    *,
    evidence: str,
    reason: str = "",
    member_text: str = "",
    severity: Severity = Severity.VIOLATION,
    recall_id: str | None = None,
) -> Finding:
    """A finding with the rule's configured actions and the plugin's shadow mode."""
    settings = cls.settings(rule_id)
    return Finding(
        rule_id=rule_id,
        member=message.sender,
        group=message.group,
        evidence=evidence,
        severity=severity,
        message_id=recall_id if recall_id is not None else message.message_id,
        time=message.time,
        reason=reason,
        member_text=member_text,
        actions=tuple(settings.action),
        shadow=cls.rule_mode(rule_id) == "shadow",
        event_key=f"{message.group.key}:{message.message_id}:{rule_id}",
    )

"""The finding journal's JSON keeps every field of a finding, the model's suspicion included."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime, timezone

from plugins.charter.finding_codec import finding_from_dict, finding_to_dict
from plugins.charter.model import Account, Finding, GroupRef, Member, Role, Severity


def _finding(**overrides: object) -> Finding:
    values: dict = dict(
        rule_id="content.ads", member=Member(Account("qq", "7"), "张子涵妈妈", Role.PARENT, "p:7"),
        group=GroupRef("qq", "900001"), evidence="免费领资料", severity=Severity.INFO, message_id="42",
        time=datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc), reason="疑似广告", member_text="您好",
        actions=("forward_head_teacher",), event_key="qq:900001:42:content.ads", suspected=True,
    )
    values.update(overrides)
    return Finding(**values)


def test_every_field_but_shadow_survives_the_journal() -> None:
    finding = _finding()
    back = finding_from_dict(finding_to_dict(finding))
    # a finding in shadow mode is audited and never journaled (Enforcer.handle_one)
    for field in fields(Finding):
        if field.name != "shadow":
            assert getattr(back, field.name) == getattr(finding, field.name), field.name


def test_a_journal_written_before_suspicions_reads_as_no_suspicion() -> None:
    data = finding_to_dict(_finding())
    del data["suspected"]
    assert finding_from_dict(data).suspected is False

"""The rule catalogue: every rule id of charter-rules.md and the shape of its settings.

Shapes only. The values, defaults included, live in the charter templates under
config/charters/ (config/charters/defaults/*.toml holds the product defaults that
every template starts from); a class file may override any of them.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

# What a rule may ask for when it matches; the escalation plugin carries these out.
ACTIONS = frozenset(
    {
        "recall",  # withdraw the message
        "strike",  # count it on the escalation ladder
        "remind",  # a private reminder to the member, no strike
        "remind_group",  # one reminder to the whole group, no strike
        "reply",  # an automatic reply in the group
        "reply_private",  # an automatic private reply to the member
        "notify_head_teacher",  # tell the head teacher privately
        "forward_head_teacher",  # forward the message to the head teacher with actions
        "severe",  # the escalation.severe path
        "mute_group",  # whole-group mute where the platform has it
        "report_unknown",  # list unknown members to the head teacher
        "approve_join",  # approve join requests that match the roster
    }
)

_WINDOW = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def parse_window(text: str) -> tuple[int, int]:
    """'21:30-07:00' -> (start minute, end minute) of the day; may cross midnight."""
    match = _WINDOW.match(text.strip())
    if not match:
        raise ValueError(f"time window {text!r} is not HH:MM-HH:MM (e.g. 21:30-07:00)")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end > 24 * 60 or start == end:
        raise ValueError(f"time window {text!r} is empty or ends after 24:00")
    return start, end


def check_weekday(value: int) -> int:
    if not 1 <= value <= 7:
        raise ValueError("weekday is 1 (Monday) to 7 (Sunday)")
    return value


class RuleSettings(BaseModel):
    """Fields every rule has."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool
    action: tuple[str, ...]

    @field_validator("action")
    @classmethod
    def _known_actions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - ACTIONS)
        if unknown:
            raise ValueError(f"unknown action(s) {unknown}; known: {sorted(ACTIONS)}")
        return value


def _windows(value: tuple[str, ...]) -> tuple[str, ...]:
    for window in value:
        parse_window(window)
    return value


# membership ----------------------------------------------------------------


class RealNameSettings(RuleSettings):
    grace_hours: float
    allow_student_name_alone: bool
    # work-team groups: the display name is the name on the staff list
    staff_name_only: bool
    # titles a teacher may write in place of, or beside, the subject ("班主任王芳"):
    # accepted when the roster lists the title as the teacher's subject, or the
    # account is the class's head teacher
    teacher_titles: tuple[str, ...]


class RosterSettings(RuleSettings):
    relations: tuple[str, ...]  # guardians admitted (charter 6: 爸爸, 妈妈 only)


class InvitesSettings(RuleSettings):
    pass


class AuditSettings(RuleSettings):
    weekday: int  # 1 = Monday ... 7 = Sunday
    time: str  # HH:MM in the class's time zone

    @field_validator("weekday")
    @classmethod
    def _weekday(cls, value: int) -> int:
        return check_weekday(value)

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        parse_window(f"{value}-24:00")
        return value


# content -------------------------------------------------------------------


class FloodSettings(RuleSettings):
    repeat: int  # the same text this many times in a row is flooding
    chain_action: tuple[str, ...]  # several members repeating: remind, strike nobody


class LinksSettings(RuleSettings):
    allow: tuple[str, ...]  # registrable domains always allowed (the school's site)
    exempt_staff: bool
    scope: Literal["all", "harmful"]  # charter 3 bans every link; 4 and 6 harmful ones


class SuspectedSettings(RuleSettings):
    """A rule the content model also reads (plugins/content/model.py)."""

    suspected_action: tuple[str, ...]

    @field_validator("suspected_action")
    @classmethod
    def _known_suspected_actions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return cls._known_actions(value)


class AdsSettings(SuspectedSettings):
    exempt_staff: bool  # teachers' fee, uniform and event notices are not ads


class AbuseSettings(SuspectedSettings):
    pass


class BannedSettings(SuspectedSettings):
    pass


class StudentPrivacySettings(SuspectedSettings):
    min_names_for_ranking: int  # this many roster names with scores is a ranking


class LeaveRequestsSettings(RuleSettings):
    pass


class AckRepliesSettings(RuleSettings):
    window_minutes: int  # replies this long after a teacher's notice count
    reply_markers: tuple[str, ...]  # a notice containing one asks for replies
    notice_min_chars: int  # a staff message this long (normalised) is a notice


class ChitchatSettings(RuleSettings):
    run_length: int  # this many parent messages in a row without staff ...
    window_minutes: int  # ... within this window is idle chat; no new reminder within it


class ConfidentialSettings(RuleSettings):
    terms: tuple[str, ...]


class ReportSettings(RuleSettings):
    pass


# timing --------------------------------------------------------------------


class QuietHoursSettings(RuleSettings):
    quiet: tuple[str, ...]  # windows, HH:MM-HH:MM, may cross midnight

    @field_validator("quiet")
    @classmethod
    def _check(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _windows(value)


class TeacherUnavailableSettings(RuleSettings):
    pass


class ResponseSlaSettings(RuleSettings):
    minutes: int
    escalate_after_minutes: int  # after the reminder, tell the next level of the chain
    allowed_hours: tuple[str, ...]  # only time inside these windows counts
    # roles of the people whose answers are tracked when a question or task is
    # addressed to them (work-team charters add members: leaders give them tasks)
    responsible_roles: tuple[Literal["head_teacher", "teacher", "office", "leader", "parent", "unknown"], ...]

    @field_validator("allowed_hours")
    @classmethod
    def _check(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _windows(value)


class NoticeReceiptsSettings(RuleSettings):
    markers: tuple[str, ...]  # a teacher's message containing one asks for replies
    remind_after_minutes: int
    close_after_hours: int  # replies after this no longer count; the list is closed


# escalation ----------------------------------------------------------------


class LadderSettings(RuleSettings):
    steps: tuple[Literal["remind", "notice", "remove"], ...]
    strike_expiry_days: int
    auto_remove: bool
    confirm_expiry_hours: int
    notice_interval_minutes: int  # at most one public notice per member per rule per interval
    group_messages_per_minute: int  # the bot's own messages per group
    quiet_mode: bool  # act, but tell only the member privately


class TeachersSettings(RuleSettings):
    pass


class ChainSettings(RuleSettings):
    handle_within_minutes: int
    levels: tuple[Literal["office", "leaders"], ...]


class SevereSettings(RuleSettings):
    propose_removal: bool


class CapabilitiesSettings(RuleSettings):
    pass


RULES: dict[str, type[RuleSettings]] = {
    "membership.real_name": RealNameSettings,
    "membership.roster": RosterSettings,
    "membership.invites": InvitesSettings,
    "membership.audit": AuditSettings,
    "content.flood": FloodSettings,
    "content.links": LinksSettings,
    "content.ads": AdsSettings,
    "content.abuse": AbuseSettings,
    "content.banned": BannedSettings,
    "content.student_privacy": StudentPrivacySettings,
    "content.leave_requests": LeaveRequestsSettings,
    "content.ack_replies": AckRepliesSettings,
    "content.chitchat": ChitchatSettings,
    "content.confidential": ConfidentialSettings,
    "content.report": ReportSettings,
    "timing.quiet_hours": QuietHoursSettings,
    "timing.teacher_unavailable": TeacherUnavailableSettings,
    "timing.response_sla": ResponseSlaSettings,
    "timing.notice_receipts": NoticeReceiptsSettings,
    "escalation.ladder": LadderSettings,
    "escalation.teachers": TeachersSettings,
    "escalation.chain": ChainSettings,
    "escalation.severe": SevereSettings,
    "escalation.capabilities": CapabilitiesSettings,
}

PLUGINS = ("membership", "content", "timing", "escalation")


def plugin_of(rule_id: str) -> str:
    return rule_id.split(".", 1)[0]

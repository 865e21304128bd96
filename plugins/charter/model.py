"""Plain data types shared by the core, the policy plugins and the adapters.

Nothing here does I/O or imports NoneBot, so detectors, the CLI and tests can use
these types without a running bot.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum


class Role(StrEnum):
    HEAD_TEACHER = "head_teacher"
    TEACHER = "teacher"
    OFFICE = "office"
    LEADER = "leader"
    PARENT = "parent"
    UNKNOWN = "unknown"

    @property
    def is_staff(self) -> bool:
        return self in STAFF_ROLES

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


STAFF_ROLES = frozenset({Role.HEAD_TEACHER, Role.TEACHER, Role.OFFICE, Role.LEADER})
ROLE_LABELS = {
    Role.HEAD_TEACHER: "班主任",
    Role.TEACHER: "老师",
    Role.OFFICE: "家校办",
    Role.LEADER: "学校领导",
    Role.PARENT: "家长",
    Role.UNKNOWN: "未识别成员",
}


class Severity(StrEnum):
    INFO = "info"  # a nudge: no strike
    VIOLATION = "violation"  # counts on the ladder
    SEVERE = "severe"  # escalation.severe path


@dataclass(frozen=True, slots=True)
class Account:
    """One platform account: the unit platforms act on."""

    platform: str  # qq | wechat | wecom
    user_id: str
    # "platform:user_id", made once: a message reads its sender's several times
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.platform}:{self.user_id}")

    @classmethod
    def parse(cls, key: str) -> "Account":
        platform, _, user_id = key.partition(":")
        if not platform or not user_id:
            raise ValueError(f"expected 'platform:user_id', got {key!r}")
        return cls(platform, user_id)


@dataclass(frozen=True, slots=True)
class Member:
    """A member as the charter sees them: account, display name, role, person."""

    account: Account
    display_name: str
    role: Role
    # Strikes are counted per person: a roster identity shared by the person's
    # accounts on every platform of the class, else the account itself.
    person_key: str
    is_superuser: bool = False

    @property
    def is_staff(self) -> bool:
        # Role.is_staff's test itself: several listeners ask for every message, and a
        # property calling a property is two Python calls
        return self.role in STAFF_ROLES


@dataclass(frozen=True, slots=True)
class GroupRef:
    platform: str
    group_id: str
    # "platform:group_id", made once: every message reads it several times (its class,
    # its bot, its recent messages), and a platform's GroupRef is made once per group
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.platform}:{self.group_id}")


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """A group message reduced to what the rules look at."""

    group: GroupRef
    message_id: str
    sender: Member
    text: str  # plain text of the text segments, mentions excluded
    time: datetime  # timezone-aware
    mentions: tuple[str, ...] = ()  # user ids mentioned (real mention segments)
    mentions_all: bool = False
    reply_to: str | None = None  # message id this one replies to
    has_image: bool = False
    segment_count: int = 1

    def __init__(self, group: GroupRef, message_id: str, sender: Member, text: str, time: datetime,
                 mentions: tuple[str, ...] = (), mentions_all: bool = False, reply_to: str | None = None,
                 has_image: bool = False, segment_count: int = 1) -> None:
        # one per group message: the slots' own setters take half the time of the
        # generated frozen __init__'s object.__setattr__ per field (still frozen after)
        _set_group(self, group)
        _set_message_id(self, message_id)
        _set_sender(self, sender)
        _set_text(self, text)
        _set_time(self, time)
        _set_mentions(self, mentions)
        _set_mentions_all(self, mentions_all)
        _set_reply_to(self, reply_to)
        _set_has_image(self, has_image)
        _set_segment_count(self, segment_count)


(_set_group, _set_message_id, _set_sender, _set_text, _set_time, _set_mentions, _set_mentions_all, _set_reply_to,
 _set_has_image, _set_segment_count) = (getattr(IncomingMessage, f.name).__set__ for f in fields(IncomingMessage))


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule matched: who, which rule, what evidence, how bad."""

    rule_id: str
    member: Member
    group: GroupRef
    evidence: str  # a short excerpt of the message, never the whole conversation
    severity: Severity = Severity.VIOLATION
    message_id: str | None = None
    time: datetime | None = None
    reason: str = ""  # human-readable, Simplified Chinese, shown to staff
    member_text: str = ""  # what the member (or the group, for group replies) is told
    # the rule's configured actions (e.g. ["recall", "strike"]) at the time of the finding
    actions: tuple[str, ...] = ()
    shadow: bool = False
    # identifies the triggering event, so a redelivered event strikes once
    event_key: str = ""
    # the content model's suspicion, no pattern of the rule matched: staff are told so
    suspected: bool = False


class ActionKind(StrEnum):
    RECALL = "recall"
    REMIND_PRIVATE = "remind_private"  # private message to the member
    NOTICE_PUBLIC = "notice_public"  # group message that mentions the member
    REPLY_GROUP = "reply_group"  # plain group message, no mention
    MUTE = "mute"
    MUTE_ALL = "mute_all"
    UNMUTE_ALL = "unmute_all"
    REMOVE = "remove"
    NOTIFY_STAFF = "notify_staff"  # private message to a staff member
    APPROVE_JOIN = "approve_join"
    REJECT_JOIN = "reject_join"


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    group: GroupRef
    target: Account | None = None  # member acted on, or staff member notified
    text: str = ""
    message_id: str | None = None
    duration_s: int = 0
    rule_id: str = ""
    flag: str = ""  # join request flag
    # whom the action is about (for staff notifications): shown in the audit log
    subject: Account | None = None


@dataclass(frozen=True, slots=True)
class OpResult:
    ok: bool
    detail: str = ""  # the platform's answer, or why it was impossible
    unsupported: bool = False  # the platform has no such call, or the bot lacks rights

    @classmethod
    def success(cls, detail: str = "ok") -> "OpResult":
        return cls(True, detail)

    @classmethod
    def failed(cls, detail: str) -> "OpResult":
        return cls(False, detail)

    @classmethod
    def impossible(cls, detail: str) -> "OpResult":
        return cls(False, detail, unsupported=True)


@dataclass(slots=True)
class MemberInfo:
    """A row of a platform member list."""

    user_id: str
    display_name: str
    is_admin: bool = False
    joined_at: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)


def event_time(timestamp: int | float | datetime | None) -> datetime:
    """An event's time as an aware UTC datetime; now when the event has none or an
    impossible one (a bridge's clock at 0, a value outside the calendar)."""
    if isinstance(timestamp, datetime):
        return timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=UTC)
    if timestamp:
        try:
            return datetime.fromtimestamp(timestamp, UTC)
        except (ValueError, OverflowError, OSError):
            pass
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    """A decision to put to a person (a removal, a held join request, a member's
    report): the values of a pending decision, before it is one. Plain values, not the
    table's row: a repeat offender past the ladder's last step asks for one on every
    strike, and an ORM row cost more to build than the rest of that step."""

    class_id: str
    kind: str  # remove | join | report
    created_at: datetime
    expires_at: datetime
    person_key: str = ""
    account_key: str = ""
    group_key: str = ""
    reason: str = ""
    flag: str = ""  # platform handle (join request flag)

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """What makes two requests the same decision: one pending at a time."""
        return (self.class_id, self.kind, self.person_key, self.account_key)


@dataclass(frozen=True, slots=True)
class OpenDecision:
    """The pending decision a request comes to."""

    id: int
    opened: bool  # True: this request opened it; False: the same one was pending already

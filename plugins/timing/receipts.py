"""Notice receipts (timing.notice_receipts): who has acknowledged a teacher's notice.

A receipt list starts from `/notice <text>` or from a teacher's message containing
one of the rule's markers (请回复, 需回复, 请接龙, 收到请回复: `is_receipt_request`).
It expects one receipt per student on the roster (per staff member for a work team
without students): any guardian of the student counts. Parents are known by their
display names ("张子涵妈妈"), so a reply is matched to students by the student's
name found in

1. each numbered line of a 接龙 chain ("1. 张子涵妈妈 收到"), which the chain feature
   re-posts in full with every reply, so every line counts;
2. otherwise, for a reply that acknowledges (收到/已阅/好的/…) or quotes the notice:
   the replier's display name, then their person key, then the reply's own text
   ("张子涵收到").

Names are matched longest first without overlaps ("李思远" is not also "李思"); a
display name with only the given name ("子涵妈妈") matches when that given name
belongs to exactly one student. Staff replies should not be passed in.

The list is plain data and round-trips through `to_dict`/`from_dict` (JSON).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from plugins.charter.catalogue import NoticeReceiptsSettings
from plugins.charter.model import Account, Action, ActionKind, GroupRef
from plugins.charter.roster import Roster

from . import texts
from .asks import is_chain
from .timers import RECEIPT_REMIND, TimerSpec, group_from_json, group_to_json, zone_name
from .windows import in_quiet_hours

RULE_ID = "timing.notice_receipts"

_ACK = re.compile(
    r"收到|已阅|已读|已看|已知|已填|已交|已提交|已签|已完成|已报名|好的|好滴|知道了|明白|了解|ok|okay|"
    r"嗯|谢谢|接龙|^\s*1\s*$|^\s*好\s*[!！。.~]*\s*$"
)
_CHAIN_LINE = re.compile(r"^\s*\d{1,3}\s*[.、)）:：]\s*(.+?)\s*$", re.MULTILINE)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def is_receipt_request(text: str, markers: Sequence[str]) -> bool:
    """Whether a teacher's message asks for replies (contains one of `markers`)."""
    normal = _nfkc(text)
    return any(_nfkc(marker) in normal for marker in markers if marker.strip())


def is_acknowledgement(text: str) -> bool:
    """A reply that acknowledges: 收到, 已阅, 好的, 知道了, a 接龙 line, "1"…"""
    return bool(_ACK.search(_nfkc(text)))


def expected_from_roster(roster: Roster) -> list[str]:
    """Whose receipts a notice expects: the students, or the staff of a work team."""
    return list(roster.students) if roster.students else list(roster.staff)


def _given_name(name: str) -> str | None:
    if len(name) == 3:
        return name[1:]
    if len(name) == 4:
        return name[2:]
    return None


def match_names(text: str, names: Sequence[str], given_names: bool = True) -> list[str]:
    """Names from `names` found in `text`: longest first, never overlapping, in order
    of appearance. With `given_names`, when no full name is found, a given name
    ("子涵" of "张子涵") that belongs to exactly one name also matches."""
    text = _nfkc(text)
    taken = [False] * len(text)
    found: list[tuple[int, str]] = []
    for name in sorted(set(names), key=len, reverse=True):
        needle = _nfkc(name)
        if not needle:
            continue
        start = text.find(needle)
        while start != -1:
            span = range(start, start + len(needle))
            if not any(taken[i] for i in span):
                for i in span:
                    taken[i] = True
                found.append((start, name))
                break
            start = text.find(needle, start + 1)
    if not found and given_names:
        owners: dict[str, list[str]] = {}
        for name in set(names):
            given = _given_name(name)
            if given:
                owners.setdefault(_nfkc(given), []).append(name)
        for given, who in owners.items():
            position = text.find(given)
            clashes = any(given in _nfkc(other) for other in names if other not in who)
            if position != -1 and len(who) == 1 and not clashes:
                found.append((position, who[0]))
    return [name for _, name in sorted(found)]


def guardians_of(students: Iterable[str], members: Iterable[tuple[Account, str]], names: Sequence[str]) -> dict[str, list[Account]]:
    """The group members (account, display name) whose display name names each student.

    `names` is the whole expected list, so "李思远妈妈" is not taken for 李思.
    """
    wanted = set(students)
    found: dict[str, list[Account]] = {student: [] for student in students}
    for account, display_name in members:
        for student in match_names(display_name, names):
            if student in wanted and account not in found[student]:
                found[student].append(account)
    return found


@dataclass
class ReceiptList:
    notice_id: str  # the notice's message id
    group: GroupRef
    author: str  # account key of the teacher
    author_name: str
    text: str
    created_at: datetime  # aware, UTC
    expected: list[str]
    remind_at: datetime  # aware, UTC
    closes_at: datetime  # aware, UTC
    acks: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> {"by", "at"}
    unmatched: list[dict[str, str]] = field(default_factory=list)  # acknowledgements not mapped to a name
    reminded: bool = False

    # --- lifecycle ----------------------------------------------------------------

    @classmethod
    def start(
        cls,
        notice_id: str,
        group: GroupRef,
        author: Account,
        author_name: str,
        text: str,
        expected: Sequence[str],
        at: datetime,
        settings: NoticeReceiptsSettings,
    ) -> "ReceiptList":
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("the notice's time must be timezone-aware")
        created = at.astimezone(UTC)
        unique = list(dict.fromkeys(name for name in expected if name.strip()))
        return cls(
            notice_id=notice_id,
            group=group,
            author=author.key,
            author_name=author_name,
            text=text,
            created_at=created,
            expected=unique,
            remind_at=created + timedelta(minutes=settings.remind_after_minutes),
            closes_at=created + timedelta(hours=settings.close_after_hours),
        )

    @property
    def key(self) -> str:
        return receipt_key(self.group, self.notice_id)

    def is_open(self, now: datetime) -> bool:
        """Replies still count: before closing time and someone is still missing."""
        return now.astimezone(UTC) < self.closes_at and not self.complete

    @property
    def complete(self) -> bool:
        return not self.missing()

    # --- receipts -----------------------------------------------------------------

    def acknowledge(
        self, display_name: str, person_key: str, text: str, at: datetime, replying_to_notice: bool = False
    ) -> list[str]:
        """Record a reply; returns the names newly acknowledged by it (maybe none)."""
        moment = at.astimezone(UTC)
        if moment < self.created_at:
            return []
        names: list[str] = []
        if is_chain(text):
            for line in _CHAIN_LINE.findall(unicodedata.normalize("NFKC", text)):
                names += match_names(_ACK.sub(" ", _nfkc(line)), self.expected)
        elif replying_to_notice or is_acknowledgement(text):
            for source, given in ((display_name, True), (person_key, False), (text, False)):
                names = match_names(source, self.expected, given_names=given)
                if names:
                    break
            if not names:
                self.unmatched.append({"by": display_name or person_key, "at": moment.isoformat()})
        new = []
        for name in dict.fromkeys(names):
            if name not in self.acks:
                self.acks[name] = {"by": display_name or person_key, "at": moment.isoformat()}
                new.append(name)
        return new

    def missing(self) -> list[str]:
        """Expected names without a receipt, in roster order."""
        return [name for name in self.expected if name not in self.acks]

    def acknowledged(self) -> list[str]:
        return [name for name in self.expected if name in self.acks]

    # --- texts --------------------------------------------------------------------

    def status_text(self) -> str:
        """The answer to `/notice status`."""
        return texts.receipt_status(
            self.text, len(self.acknowledged()), len(self.expected), self.missing(), len(self.unmatched)
        )

    def reminder_text(self, name: str, now: datetime, tz: ZoneInfo) -> str:
        return texts.receipt_reminder(
            name, self.author_name, self.text, self.created_at.astimezone(tz), now.astimezone(tz)
        )

    # --- timer --------------------------------------------------------------------

    def reminder_timer(self, tz: ZoneInfo, quiet_windows: Sequence[str] = ()) -> TimerSpec:
        """The timer for the reminder to the missing; moved out of quiet hours."""
        due = self.remind_at
        window = in_quiet_hours(due, quiet_windows, tz)
        if window is not None:
            due = window.end.astimezone(UTC)
        payload = {"group": group_to_json(self.group), "notice_id": self.notice_id, "tz": zone_name(tz),
                   "quiet": list(quiet_windows)}
        return TimerSpec(kind=RECEIPT_REMIND, key=self.key, due_at=due, payload=payload, scope=self.key)

    # --- storage ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "notice_id": self.notice_id,
            "group": group_to_json(self.group),
            "author": self.author,
            "author_name": self.author_name,
            "text": self.text,
            "created_at": self.created_at.isoformat(),
            "expected": list(self.expected),
            "remind_at": self.remind_at.isoformat(),
            "closes_at": self.closes_at.isoformat(),
            "acks": {name: dict(info) for name, info in self.acks.items()},
            "unmatched": [dict(item) for item in self.unmatched],
            "reminded": self.reminded,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ReceiptList":
        return cls(
            notice_id=data["notice_id"],
            group=group_from_json(data["group"]),
            author=data["author"],
            author_name=data["author_name"],
            text=data["text"],
            created_at=datetime.fromisoformat(data["created_at"]),
            expected=list(data["expected"]),
            remind_at=datetime.fromisoformat(data["remind_at"]),
            closes_at=datetime.fromisoformat(data["closes_at"]),
            acks={name: dict(info) for name, info in data.get("acks", {}).items()},
            unmatched=[dict(item) for item in data.get("unmatched", [])],
            reminded=bool(data.get("reminded", False)),
        )


def receipt_key(group: GroupRef, notice_id: str) -> str:
    return f"{RULE_ID}|{group.key}|{notice_id}"


def reminder_step(
    timer: TimerSpec,
    receipts: ReceiptList,
    now: datetime,
    guardians: Mapping[str, Sequence[Account]],
) -> tuple[list[Action], TimerSpec | None]:
    """Fire the receipt reminder: one private reminder to each guardian of each missing
    name (`guardians`, e.g. from guardians_of over the member list), then done. Names
    with no guardian in the group go to the notice's author in one private note.

    Marks `receipts.reminded`. Waits while in quiet hours or before the due time;
    does nothing once the list is closed, complete or already reminded.
    """
    if timer.kind != RECEIPT_REMIND:
        raise ValueError(f"not a receipt reminder timer: {timer.kind}")
    if not timer.is_due(now):
        return [], timer
    tz = ZoneInfo(timer.payload["tz"])
    window = in_quiet_hours(now, timer.payload.get("quiet", []), tz)
    if window is not None:
        return [], replace(timer, due_at=window.end)
    if receipts.reminded or not receipts.is_open(now):
        return [], None
    actions = []
    unreachable = []
    for name in receipts.missing():
        accounts = guardians.get(name, ())
        if not accounts:
            unreachable.append(name)
        text = receipts.reminder_text(name, now, tz)
        for account in accounts:
            actions.append(Action(ActionKind.REMIND_PRIVATE, receipts.group, target=account, text=text,
                                  rule_id=RULE_ID, message_id=receipts.notice_id))
    if unreachable:
        # nobody in the group could be matched to these names: the teacher follows up
        actions.append(Action(ActionKind.NOTIFY_STAFF, receipts.group, target=Account.parse(receipts.author),
                              text=texts.receipt_unreachable(receipts.text, unreachable), rule_id=RULE_ID,
                              message_id=receipts.notice_id))
    receipts.reminded = True
    return actions, None

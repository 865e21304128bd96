"""membership.audit: sweep a group's member list against the roster and the naming rule.

`audit_members` judges every member of one group (one platform) and groups the
problems by reason; `format_audit_report` writes the head teacher's private
report with numbered entries, answered by "/audit remove 1 3" or
"/audit remove all" (`parse_remove_selection` reads that answer).

Who is numbered (may be removed): members who are not class staff and not group
admins. Class teachers with a bad name are listed without a number (the bot
never acts against teachers, escalation.teachers); office staff and leaders are
not checked; the bot's own accounts are skipped.

Duplicates: two or more non-staff accounts of the group whose names pass and
name the same roster person ("张子涵妈妈" twice) are all listed, so the head
teacher can tell the real one from the copy.

`next_audit_time` gives the next weekly run in the class's time zone.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from plugins.charter.catalogue import RealNameSettings, RosterSettings
from plugins.charter.model import Account, MemberInfo, Role
from plugins.charter.roster import Roster

from .naming import NameCode, NameVerdict, check_display_name


class AuditReason(StrEnum):
    TEACHER_UNREGISTERED = "teacher_unregistered"  # a roster teacher's name on a non-staff account
    NOT_ON_ROSTER = "not_on_roster"
    UNKNOWN = "unknown"  # the name says nothing the rules can place
    RELATION_NOT_ALLOWED = "relation_not_allowed"
    DUPLICATE = "duplicate"
    BAD_FORMAT = "bad_format"  # a roster person, but not written as the charter asks
    STAFF_NAME = "staff_name"  # a class teacher's name is not in the form: listed, never removed


REASON_ORDER = tuple(AuditReason)
REASON_LABELS = {
    AuditReason.TEACHER_UNREGISTERED: "用老师姓名但账号未登记为老师",
    AuditReason.NOT_ON_ROSTER: "不在本班名单",
    AuditReason.UNKNOWN: "无法识别身份",
    AuditReason.RELATION_NOT_ALLOWED: "关系不符合群规",
    AuditReason.DUPLICATE: "多个账号用同一身份",
    AuditReason.BAD_FORMAT: "名片格式不规范",
    AuditReason.STAFF_NAME: "老师名片不规范（仅提醒，不移除）",
}

_REASON_OF_CODE = {
    NameCode.TEACHER_NOT_STAFF: AuditReason.TEACHER_UNREGISTERED,
    NameCode.STUDENT_NOT_ON_ROSTER: AuditReason.NOT_ON_ROSTER,
    NameCode.TEACHER_NOT_ON_ROSTER: AuditReason.NOT_ON_ROSTER,
    NameCode.STAFF_NOT_ON_LIST: AuditReason.NOT_ON_ROSTER,
    NameCode.UNRECOGNISED: AuditReason.UNKNOWN,
    NameCode.EMPTY: AuditReason.UNKNOWN,
    NameCode.STUDENT_MISSING: AuditReason.UNKNOWN,
    NameCode.RELATION_NOT_ALLOWED: AuditReason.RELATION_NOT_ALLOWED,
    NameCode.RELATION_NOT_ON_ROSTER: AuditReason.RELATION_NOT_ALLOWED,
}

# What the head teacher reads beside each entry (the member's reason is worded for the member).
_DETAIL_OF_CODE = {
    NameCode.EMPTY: "没有群名片",
    NameCode.UNRECOGNISED: "看不出是哪位家长或老师",
    NameCode.EXTRA_TEXT: "名片有多余文字",
    NameCode.STUDENT_NOT_ON_ROSTER: "名单中没有这名学生",
    NameCode.STUDENT_NAME_INCOMPLETE: "学生姓名不全",
    NameCode.STUDENT_MISSING: "没写学生姓名",
    NameCode.RELATION_MISSING: "没写与学生的关系",
    NameCode.RELATION_INCOMPLETE: "关系写法不规范",
    NameCode.RELATION_UNKNOWN: "关系写法看不懂",
    NameCode.RELATION_NOT_ALLOWED: "该关系不在群规允许范围",
    NameCode.RELATION_NOT_ON_ROSTER: "与名单登记的家长不符",
    NameCode.TEACHER_NOT_ON_ROSTER: "教师名单中没有此人",
    NameCode.TEACHER_NO_SUBJECT: "没写学科",
    NameCode.SUBJECT_MISMATCH: "学科与名单不符",
    NameCode.TEACHER_AMBIGUOUS: "同学科有同姓老师，需写全名",
    NameCode.TEACHER_NOT_STAFF: "账号未登记为老师",
    NameCode.TEACHER_FORM_EXPECTED: "老师账号用了非教师名片",
    NameCode.STAFF_NOT_ON_LIST: "不在人员名单中",
}


@dataclass(frozen=True, slots=True)
class AuditEntry:
    number: int | None  # for "/audit remove N"; None when the bot must not remove this member
    account: Account
    display_name: str
    reason: AuditReason
    code: NameCode
    detail: str  # short Chinese, for the head teacher
    expected: tuple[str, ...] = ()
    person_key: str | None = None
    role: Role | None = None
    is_admin: bool = False

    @property
    def removable(self) -> bool:
        return self.number is not None


@dataclass(frozen=True)
class AuditReport:
    platform: str
    total: int  # members in the list, the bot's own accounts excluded
    checked: int  # members judged (office staff and leaders are not)
    entries: tuple[AuditEntry, ...]

    @property
    def clean(self) -> bool:
        return not self.entries

    @property
    def removable(self) -> tuple[AuditEntry, ...]:
        return tuple(e for e in self.entries if e.removable)

    def by_reason(self) -> dict[AuditReason, list[AuditEntry]]:
        groups: dict[AuditReason, list[AuditEntry]] = {}
        for reason in REASON_ORDER:
            members = [e for e in self.entries if e.reason is reason]
            if members:
                groups[reason] = members
        return groups

    def entry(self, number: int) -> AuditEntry | None:
        return next((e for e in self.entries if e.number == number), None)


def _classify(verdict: NameVerdict, role: Role | None) -> AuditReason:
    if role is not None and role.is_staff:
        return AuditReason.STAFF_NAME
    return _REASON_OF_CODE.get(verdict.code, AuditReason.BAD_FORMAT)


def audit_members(
    members: Sequence[MemberInfo],
    platform: str,
    staff_roles: Mapping[Account, Role],
    roster: Roster,
    real_name: RealNameSettings,
    roster_rules: RosterSettings,
    exclude: Collection[str] = (),
) -> AuditReport:
    """Judge one group's member list; `staff_roles` is ClassConfig.staff_roles, `exclude` the bot's ids."""
    findings: list[tuple[MemberInfo, Account, Role | None, NameVerdict]] = []
    total = checked = 0
    seen: set[str] = set()
    for member in members:
        if member.user_id in exclude or member.user_id in seen:
            continue
        seen.add(member.user_id)
        total += 1
        account = Account(platform, member.user_id)
        role = staff_roles.get(account)
        if role in (Role.OFFICE, Role.LEADER):
            continue
        checked += 1
        hint = role if role is not None else Role.UNKNOWN
        verdict = check_display_name(member.display_name, roster, real_name, roster_rules, hint)
        findings.append((member, account, role, verdict))

    claimants: dict[str, list[Account]] = {}
    for member, account, role, verdict in findings:
        if verdict.ok and verdict.person_key and not (role is not None and role.is_staff):
            claimants.setdefault(verdict.person_key, []).append(account)

    drafts: list[tuple[AuditReason, MemberInfo, Account, Role | None, NameVerdict, str]] = []
    for member, account, role, verdict in findings:
        if verdict.ok:
            key = verdict.person_key
            others = claimants.get(key, []) if key else []
            if len(others) > 1:
                ids = "、".join(a.user_id for a in others if a != account)
                drafts.append((AuditReason.DUPLICATE, member, account, role, verdict, f"与 {ids} 同为“{verdict.identity.display_name if verdict.identity else ''}”"))
            continue
        reason = _classify(verdict, role)
        detail = _DETAIL_OF_CODE.get(verdict.code, "名片不规范")
        if verdict.code is NameCode.TEACHER_NOT_STAFF and verdict.teacher:
            detail = f"用了{verdict.teacher}老师的名字，账号未登记为老师"
        elif verdict.code is NameCode.RELATION_NOT_ALLOWED and verdict.relation:
            detail = f"“{verdict.relation}”不在群规允许的关系内"
        drafts.append((reason, member, account, role, verdict, detail))

    drafts.sort(key=lambda d: REASON_ORDER.index(d[0]))  # stable: member-list order within a reason
    entries: list[AuditEntry] = []
    number = 0
    for reason, member, account, role, verdict, detail in drafts:
        removable = reason is not AuditReason.STAFF_NAME and not member.is_admin
        if removable:
            number += 1
        entries.append(
            AuditEntry(
                number=number if removable else None,
                account=account,
                display_name=member.display_name,
                reason=reason,
                code=verdict.code,
                detail=detail,
                expected=() if reason is AuditReason.DUPLICATE else verdict.expected,
                person_key=verdict.person_key,
                role=role,
                is_admin=member.is_admin,
            )
        )
    return AuditReport(platform, total, checked, tuple(entries))


def _shown_name(name: str, width: int = 20) -> str:
    """A display name as it can be sent: no lone surrogates, no line breaks, at most `width` characters."""
    cleaned = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in " ".join(name.split()))
    return cleaned if len(cleaned) <= width else cleaned[: width - 1] + "…"


def _entry_line(entry: AuditEntry) -> str:
    name = _shown_name(entry.display_name) or "（无名片）"
    head = f"{entry.number}. " if entry.number is not None else "· "
    line = f"{head}{name}（{entry.account.user_id}）：{entry.detail}"
    if entry.expected and entry.reason is not AuditReason.NOT_ON_ROSTER:
        line += f"，应为“{entry.expected[0]}”"
    elif entry.expected:
        line += f"，是否为“{entry.expected[0]}”？"
    if entry.is_admin and entry.number is None and entry.reason is not AuditReason.STAFF_NAME:
        line += "（群管理员，不列入移除）"
    return line


def format_audit_report(report: AuditReport, class_name: str, limit: int = 60) -> str:
    """The head teacher's report: counts, entries grouped by reason, and how to remove."""
    if report.clean:
        return f"【{class_name}】成员检查：共 {report.total} 人，名片与名单均符合要求。"
    lines = [f"【{class_name}】成员检查：共 {report.total} 人，{len(report.entries)} 人需要处理。"]
    shown = 0
    for reason, entries in report.by_reason().items():
        lines.append(f"〔{REASON_LABELS[reason]}〕{len(entries)} 人")
        for entry in entries:
            if shown >= limit:
                break
            lines.append(_entry_line(entry))
            shown += 1
    if shown < len(report.entries):
        lines.append(f"……另有 {len(report.entries) - shown} 人未列出。")
    if report.removable:
        lines.append(
            "回复“/audit remove 1 3”移除部分成员，或“/audit remove all”移除全部编号成员；移除前会再次请您确认。"
        )
    else:
        lines.append("以上成员无需移除，请提醒他们修改名片。")
    return "\n".join(lines)


_ALL = {"all", "全部", "所有", "全部移除"}
_SEPARATORS = re.compile(r"[\s,，、;；]+")
_RANGE = re.compile(r"^(\d+)\s*[-~～—到至]\s*(\d+)$")


def parse_remove_selection(args: str, report: AuditReport) -> list[AuditEntry]:
    """The entries chosen by "1 3", "1,3", "2-5" or "all"; ValueError (Chinese) on anything else."""
    text = args.strip().lower()
    numbered = report.removable
    if not numbered:
        raise ValueError("这次检查没有可以移除的成员。")
    if text in _ALL:
        return list(numbered)
    numbers: list[int] = []
    for token in _SEPARATORS.split(text):
        if not token:
            continue
        match = _RANGE.match(token)
        if match:
            start, end = int(match.group(1)), int(match.group(2))
            if start > end or end - start > 500:
                raise ValueError(f"编号范围“{token}”不对。")
            numbers.extend(range(start, end + 1))
        elif token.isdigit():
            numbers.append(int(token))
        else:
            raise ValueError(f"看不懂“{token}”，请写编号，如“/audit remove 1 3”或“/audit remove all”。")
    if not numbers:
        raise ValueError("请写要移除的编号，如“/audit remove 1 3”或“/audit remove all”。")
    highest = numbered[-1].number
    chosen: list[AuditEntry] = []
    for number in dict.fromkeys(numbers):
        entry = report.entry(number)
        if entry is None:
            raise ValueError(f"没有编号 {number}（本次编号为 1-{highest}）。")
        chosen.append(entry)
    return chosen


# --- schedule ---------------------------------------------------------------------


def _parse_time(value: str | time) -> time:
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    hours, _, minutes = value.strip().partition(":")
    parsed = time(int(hours), int(minutes))
    return parsed


def next_audit_time(now: datetime, weekday: int, at: str | time, tz: ZoneInfo | str) -> datetime:
    """The first weekly run strictly after `now`: `weekday` (1 = Monday ... 7 = Sunday) at `at` in `tz`.

    Returned in `tz`. A local time that a daylight-saving change skips is moved
    forward by the gap (02:30 on a spring-forward night runs at 03:30); a repeated
    local time runs at its first occurrence.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if not 1 <= weekday <= 7:
        raise ValueError("weekday is 1 (Monday) to 7 (Sunday)")
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    clock = _parse_time(at)
    local = now.astimezone(zone)
    ahead = (weekday - local.isoweekday()) % 7
    for extra in (0, 7, 14):
        day = local.date() + timedelta(days=ahead + extra)
        candidate = datetime.combine(day, clock, tzinfo=zone).astimezone(UTC).astimezone(zone)
        if candidate > now:
            return candidate
    raise AssertionError("unreachable: a week always has the weekday")

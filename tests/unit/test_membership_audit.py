"""The member audit: grouping, numbering, the head teacher's report and answer, the weekly schedule."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from plugins.charter.catalogue import RealNameSettings, RosterSettings
from plugins.charter.model import Account, MemberInfo, Role
from plugins.charter.roster import load_roster
from plugins.membership.audit import (
    AuditReason,
    audit_members,
    format_audit_report,
    next_audit_time,
    parse_remove_selection,
)
from plugins.membership.naming import NameCode

ROOT = Path(__file__).resolve().parents[2]
ROSTER = load_roster(ROOT / "tests" / "data" / "rosters" / "g1c1.csv")
TEAM = load_roster(ROOT / "tests" / "data" / "rosters" / "team.csv")
RULES = tomllib.loads((ROOT / "config" / "charters" / "defaults" / "membership.toml").read_text("utf-8"))["rules"]
REAL_NAME = RealNameSettings.model_validate(RULES["membership.real_name"])
WORK = RealNameSettings.model_validate({**RULES["membership.real_name"], "staff_name_only": True})
RELATIONS = RosterSettings.model_validate(RULES["membership.roster"])
PARENTS_ONLY = RosterSettings.model_validate({**RULES["membership.roster"], "relations": ["爸爸", "妈妈"]})

STAFF = {
    Account("qq", "1"): Role.HEAD_TEACHER,
    Account("qq", "2"): Role.TEACHER,
    Account("qq", "3"): Role.OFFICE,
    Account("qq", "4"): Role.TEACHER,
}

MEMBERS = [
    MemberInfo("1", "班主任王芳", is_admin=True),
    MemberInfo("2", "数学李老师"),
    MemberInfo("3", "家校办小刘"),  # office: not checked
    MemberInfo("4", "王明"),  # a teacher without a subject: listed, never numbered
    MemberInfo("9", "班级助手"),  # the bot
    MemberInfo("10", "张子涵妈妈"),
    MemberInfo("11", "张子涵爸爸"),
    MemberInfo("12", "刘洋妈妈"),  # not on the roster
    MemberInfo("13", "Sunshine"),  # unknown
    MemberInfo("14", "周雨桐爷爷"),  # not allowed by charter 6
    MemberInfo("15", "吴俊杰妈妈"),
    MemberInfo("16", "吴俊杰妈妈🌸"),  # duplicate person
    MemberInfo("17", "子涵妈妈"),  # bad format
    MemberInfo("18", "英语陈静"),  # a teacher's name on an unregistered account
    MemberInfo("19", ""),  # no card
    MemberInfo("20", "李思远外婆"),
    MemberInfo("21", "Tom", is_admin=True),  # a group admin who is not staff
    MemberInfo("10", "张子涵妈妈"),  # listed twice by the platform
]


def run(members: list[MemberInfo] = MEMBERS, rules: RosterSettings = PARENTS_ONLY):
    return audit_members(members, "qq", STAFF, ROSTER, REAL_NAME, rules, exclude={"9"})


def test_grouping_and_numbering() -> None:
    report = run()
    assert report.total == 16  # 18 rows: the bot and the repeated row excluded
    assert report.checked == report.total - 1  # office not checked
    groups = {reason: [e.account.user_id for e in entries] for reason, entries in report.by_reason().items()}
    assert groups == {
        AuditReason.TEACHER_UNREGISTERED: ["18"],
        AuditReason.NOT_ON_ROSTER: ["12"],
        AuditReason.UNKNOWN: ["13", "19", "21"],
        AuditReason.RELATION_NOT_ALLOWED: ["14", "20"],
        AuditReason.DUPLICATE: ["15", "16"],
        AuditReason.BAD_FORMAT: ["17"],
        AuditReason.STAFF_NAME: ["4"],
    }
    numbered = [(e.number, e.account.user_id) for e in report.removable]
    assert numbered == [(1, "18"), (2, "12"), (3, "13"), (4, "19"), (5, "14"), (6, "20"), (7, "15"), (8, "16"),
                        (9, "17")]
    assert report.entry(3).account == Account("qq", "13")  # type: ignore[union-attr]
    staff_entry = report.by_reason()[AuditReason.STAFF_NAME][0]
    assert staff_entry.number is None and staff_entry.expected == ("语文王明",)
    admin = next(e for e in report.entries if e.account.user_id == "21")
    assert admin.number is None and admin.is_admin


def test_details_for_the_head_teacher() -> None:
    report = run()
    by_id = {e.account.user_id: e for e in report.entries}
    assert by_id["18"].code is NameCode.TEACHER_NOT_STAFF and "陈静" in by_id["18"].detail
    assert "爷爷" in by_id["14"].detail and by_id["14"].expected == ()
    assert by_id["17"].expected == ("张子涵妈妈",)
    assert "16" in by_id["15"].detail and "吴俊杰妈妈" in by_id["15"].detail
    assert by_id["16"].person_key == "guardian:吴俊杰:妈妈"


def test_report_text() -> None:
    text = format_audit_report(run(), "一年一班")
    lines = text.splitlines()
    assert lines[0] == "【一年一班】成员检查：共 16 人，11 人需要处理。"
    assert "〔不在本班名单〕1 人" in lines
    assert "2. 刘洋妈妈（12）：名单中没有这名学生" in lines
    assert "4. （无名片）（19）：没有群名片" in lines
    assert "9. 子涵妈妈（17）：学生姓名不全，应为“张子涵妈妈”" in lines
    assert "· 王明（4）：没写学科，应为“语文王明”" in lines
    assert "· Tom（21）：看不出是哪位家长或老师（群管理员，不列入移除）" in lines
    assert "/audit remove 1 3" in lines[-1] and "/audit remove all" in lines[-1]
    assert len(text) < 1500


def test_report_limit_and_clean_report() -> None:
    many = [MemberInfo(str(100 + i), f"访客{i}") for i in range(30)]
    text = format_audit_report(run(many), "一年一班", limit=5)
    assert "……另有 25 人未列出。" in text
    clean = run([MemberInfo("10", "张子涵妈妈"), MemberInfo("1", "语文王芳")])
    assert clean.clean
    assert format_audit_report(clean, "一年一班") == "【一年一班】成员检查：共 2 人，名片与名单均符合要求。"


def test_odd_display_names_are_shown_safely() -> None:
    report = run([MemberInfo("30", "长长长长长长长长长长长长长长长长长长长长长长长长"), MemberInfo("31", "a\nb\udbd9")])
    text = format_audit_report(report, "一年一班")
    assert "1. 长长长长长长长长长长长长长长长长长长长…（30）" in text
    assert "2. a b\ufffd（31）" in text
    text.encode("utf-8")


def test_only_staff_problems_have_nothing_to_remove() -> None:
    report = run([MemberInfo("4", "王明")])
    assert not report.removable
    assert "无需移除" in format_audit_report(report, "一年一班")
    with pytest.raises(ValueError, match="没有可以移除"):
        parse_remove_selection("all", report)


def test_default_relations_let_grandparents_stay() -> None:
    report = run(rules=RELATIONS)
    # 周雨桐爷爷 is allowed by the default relations, 李思远外婆 is pinned by the roster
    assert AuditReason.RELATION_NOT_ALLOWED not in report.by_reason()
    assert len(report.removable) == 7


def test_work_team_audit() -> None:
    members = [MemberInfo("1", "李明"), MemberInfo("2", "周婷"), MemberInfo("3", "周婷"), MemberInfo("4", "老王")]
    report = audit_members(members, "wecom", {}, TEAM, WORK, RELATIONS)
    groups = {reason: [e.account.user_id for e in entries] for reason, entries in report.by_reason().items()}
    assert groups == {AuditReason.NOT_ON_ROSTER: ["4"], AuditReason.DUPLICATE: ["2", "3"]}
    assert list(groups) == [AuditReason.NOT_ON_ROSTER, AuditReason.DUPLICATE]
    assert report.platform == "wecom" and report.entries[0].account.platform == "wecom"


@pytest.mark.parametrize(
    ("args", "numbers"),
    [
        ("all", list(range(1, 10))),
        ("全部", list(range(1, 10))),
        ("1 3", [1, 3]),
        ("1,3", [1, 3]),
        ("1，3、5", [1, 3, 5]),
        ("2-4", [2, 3, 4]),
        ("2~4 9", [2, 3, 4, 9]),
        ("3 3 1", [3, 1]),
    ],
)
def test_remove_selection(args: str, numbers: list[int]) -> None:
    assert [e.number for e in parse_remove_selection(args, run())] == numbers


@pytest.mark.parametrize(("args", "words"), [("", "编号"), ("10", "没有编号 10"), ("abc", "看不懂"), ("5-2", "范围")])
def test_remove_selection_errors(args: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_remove_selection(args, run())


# --- schedule ---------------------------------------------------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("now", "weekday", "at", "expected"),
    [
        # Monday 07:00 -> today 08:00
        (datetime(2026, 3, 2, 7, 0, tzinfo=SHANGHAI), 1, "08:00", datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)),
        # Monday 08:00 exactly -> next Monday (strictly after)
        (datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI), 1, "08:00", datetime(2026, 3, 9, 8, 0, tzinfo=SHANGHAI)),
        # Sunday evening -> Monday morning, across the week boundary
        (datetime(2026, 3, 8, 23, 59, tzinfo=SHANGHAI), 1, "08:00", datetime(2026, 3, 9, 8, 0, tzinfo=SHANGHAI)),
        # Saturday -> Sunday 20:30
        (datetime(2026, 3, 7, 12, 0, tzinfo=SHANGHAI), 7, "20:30", datetime(2026, 3, 8, 20, 30, tzinfo=SHANGHAI)),
        # across a year boundary
        (datetime(2026, 12, 31, 9, 0, tzinfo=SHANGHAI), 5, "08:00", datetime(2027, 1, 1, 8, 0, tzinfo=SHANGHAI)),
    ],
)
def test_next_audit_time(now: datetime, weekday: int, at: str, expected: datetime) -> None:
    result = next_audit_time(now, weekday, at, SHANGHAI)
    assert result == expected
    assert result.tzinfo == SHANGHAI


def test_now_in_another_zone() -> None:
    # Sunday 23:30 UTC is already Monday 07:30 in Shanghai: the run is that same morning
    now = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
    result = next_audit_time(now, 1, "08:00", "Asia/Shanghai")
    assert result == datetime(2026, 3, 9, 8, 0, tzinfo=SHANGHAI)
    assert result - now == timedelta(minutes=30)
    # and Monday 00:30 UTC is Monday 08:30 in Shanghai: a week later
    later = next_audit_time(datetime(2026, 3, 9, 0, 30, tzinfo=UTC), 1, time(8, 0), SHANGHAI)
    assert later == datetime(2026, 3, 16, 8, 0, tzinfo=SHANGHAI)


def test_daylight_saving_gap_and_repeat() -> None:
    new_york = ZoneInfo("America/New_York")
    # 2026-03-08 02:30 does not exist in New York: the run moves to 03:30 EDT
    spring = next_audit_time(datetime(2026, 3, 7, 12, 0, tzinfo=new_york), 7, "02:30", new_york)
    assert (spring.date().isoformat(), spring.hour, spring.minute) == ("2026-03-08", 3, 30)
    assert spring.utcoffset() == timedelta(hours=-4)
    # 2026-11-01 01:30 happens twice: the first one
    autumn = next_audit_time(datetime(2026, 10, 31, 12, 0, tzinfo=new_york), 7, "01:30", new_york)
    assert autumn.utcoffset() == timedelta(hours=-4)
    assert autumn.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    # a week of runs is always 7 days apart in local time
    runs = [datetime(2026, 3, 1, tzinfo=new_york)]
    for _ in range(3):
        runs.append(next_audit_time(runs[-1], 1, "08:00", new_york))
    assert [r.isoformat() for r in runs[1:]] == [
        "2026-03-02T08:00:00-05:00", "2026-03-09T08:00:00-04:00", "2026-03-16T08:00:00-04:00",
    ]


def test_schedule_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        next_audit_time(datetime(2026, 3, 2, 7, 0), 1, "08:00", SHANGHAI)
    with pytest.raises(ValueError):
        next_audit_time(datetime(2026, 3, 2, 7, 0, tzinfo=SHANGHAI), 8, "08:00", SHANGHAI)

"""The per-class entry points, on the shipped example class and a work-team class."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.charter.config import load_class_file
from plugins.charter.model import MemberInfo, Role
from plugins.membership import for_class
from plugins.membership.audit import AuditReason
from plugins.membership.join import JoinCode
from plugins.membership.naming import NameCode

ROOT = Path(__file__).resolve().parents[2]
CLASS = load_class_file(ROOT / "config" / "classes" / "g3c2.toml", ROOT / "config")


def test_names_on_the_example_class() -> None:
    assert for_class.name_verdict(CLASS, "张子涵妈妈", Role.PARENT).ok
    assert for_class.name_verdict(CLASS, "张子涵", Role.PARENT).ok  # school-full: student name alone
    assert for_class.name_verdict(CLASS, "语文李强", Role.TEACHER).ok
    assert for_class.name_verdict(CLASS, "班主任王芳", Role.HEAD_TEACHER).ok
    assert for_class.name_verdict(CLASS, "语文李强", Role.UNKNOWN).code is NameCode.TEACHER_NOT_STAFF


def test_reminder() -> None:
    assert for_class.reminder_for(CLASS, "张子涵妈妈", Role.PARENT) is None
    text = for_class.reminder_for(CLASS, "张子涵马", Role.PARENT)
    assert text is not None and "“三年二班”群" in text and "“张子涵妈妈”" in text
    known = for_class.reminder_for(CLASS, "Sunshine", Role.PARENT, person_key="guardian:周雨桐:爸爸")
    assert known is not None and "“周雨桐爸爸”" in known
    teacher = for_class.reminder_for(CLASS, "李强", Role.TEACHER)
    assert teacher is not None and "“语文李强”" in teacher


def test_keys_joins_invites() -> None:
    assert for_class.person_key(CLASS, "周雨桐-爸爸", Role.PARENT) == "guardian:周雨桐:爸爸"
    assert for_class.person_key(CLASS, "数学陈静", Role.TEACHER) == "teacher:陈静"
    assert for_class.join_decision(CLASS, "问题：孩子姓名\n答案：我是胡一鸣的妈妈").approve
    assert for_class.join_decision(CLASS, "答案：路过").code is JoinCode.NO_STUDENT
    assert for_class.invite_is_suspicious(Role.PARENT)
    assert not for_class.invite_is_suspicious(Role.HEAD_TEACHER)


def test_audit_and_schedule() -> None:
    members = [
        MemberInfo("10002", "班主任王芳"),  # head teacher in the class file
        MemberInfo("10003", "家校办"),  # office
        MemberInfo("90000", "班级助手"),  # the bot
        MemberInfo("20001", "张子涵妈妈"),
        MemberInfo("20002", "陌生人"),
    ]
    report = for_class.audit(CLASS, "qq", members, bot_ids={"90000"})
    assert [e.account.key for e in report.removable] == ["qq:20002"]
    assert report.removable[0].reason is AuditReason.UNKNOWN
    text = for_class.audit_text(CLASS, report)
    assert text.startswith("【三年二班】成员检查：共 4 人，1 人需要处理。")
    shanghai = ZoneInfo("Asia/Shanghai")
    assert for_class.next_audit(CLASS, datetime(2026, 3, 4, 12, 0, tzinfo=shanghai)) == datetime(
        2026, 3, 9, 8, 0, tzinfo=shanghai
    )


def test_work_team_class(tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config" / "charters", config / "charters")
    classes = config / "classes"
    classes.mkdir()
    shutil.copy(ROOT / "tests" / "data" / "rosters" / "team.csv", classes / "team.csv")
    (classes / "team.toml").write_text(
        '[class]\nid = "team"\nname = "销售一组"\ncharter = "work-team"\nroster = "team.csv"\n\n'
        '[[groups]]\nplatform = "wecom"\ngroup_id = "wrABC"\n\n[staff]\nhead_teacher = ["wecom:zhangsan"]\n',
        "utf-8",
    )
    team = load_class_file(classes / "team.toml", config)
    assert for_class.name_verdict(team, "李明", Role.UNKNOWN).ok
    assert for_class.person_key(team, "李明", Role.UNKNOWN) == "staff:李明"
    assert for_class.name_verdict(team, "李明-销售部", Role.UNKNOWN).code is NameCode.EXTRA_TEXT
    reminder = for_class.reminder_for(team, "小王", Role.UNKNOWN)
    assert reminder is not None and "单位使用的姓名" in reminder

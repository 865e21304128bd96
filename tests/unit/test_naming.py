"""membership.real_name over many real-looking display names, near misses included."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from plugins.charter.catalogue import RealNameSettings, RosterSettings
from plugins.charter.config import load_charter, load_defaults
from plugins.charter.model import Role
from plugins.charter.roster import load_roster, parse_roster_text
from plugins.membership.naming import (
    NameCode,
    check_display_name,
    expected_forms,
    format_reminder,
    forms_for_person_key,
    naming_rule_text,
)
from plugins.membership.text import canonical_relation

ROOT = Path(__file__).resolve().parents[2]
ROSTER = load_roster(ROOT / "tests" / "data" / "rosters" / "g1c1.csv")
TEAM = load_roster(ROOT / "tests" / "data" / "rosters" / "team.csv")


def membership_defaults() -> dict[str, dict[str, Any]]:
    return tomllib.loads((ROOT / "config" / "charters" / "defaults" / "membership.toml").read_text("utf-8"))["rules"]


def real_name(**overrides: Any) -> RealNameSettings:
    return RealNameSettings.model_validate({**membership_defaults()["membership.real_name"], **overrides})


def roster_rules(**overrides: Any) -> RosterSettings:
    return RosterSettings.model_validate({**membership_defaults()["membership.roster"], **overrides})


DEFAULT = real_name()
ALONE = real_name(allow_student_name_alone=True)  # charter 1
WORK = real_name(staff_name_only=True)  # charter 2
RELATIONS = roster_rules()
PARENTS_ONLY = roster_rules(relations=["爸爸", "妈妈"])  # charter 6


def judge(name: str, hint: Role | None = None, settings: RealNameSettings = DEFAULT,
          rules: RosterSettings = RELATIONS):
    return check_display_name(name, ROSTER, settings, rules, hint)


# (display name, ok, code, person key or None, first expected form or None)
PARENT_CASES = [
    ("张子涵妈妈", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),
    ("张子涵爸爸", True, NameCode.OK, "guardian:张子涵:爸爸", "张子涵爸爸"),
    ("张子涵-爸爸", True, NameCode.OK, "guardian:张子涵:爸爸", "张子涵爸爸"),
    ("张子涵—妈妈", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),
    ("张子涵 妈妈", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),
    ("张子涵　妈妈", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),  # ideographic space
    ("张子涵的妈妈", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),
    ("张子涵の妈妈", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),
    ("张子涵(妈妈)", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),
    ("张子涵（妈妈）", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),
    ("【张子涵妈妈】", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),
    ("张子涵妈妈🌸", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),
    ("🌸张子涵妈妈❤️", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),
    ("ღ张子涵妈妈ღ", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),
    ("张\u200b子涵妈妈", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),  # zero-width space
    ("張子涵媽媽", True, NameCode.OK, "guardian:张子涵:妈妈", "张子涵妈妈"),  # traditional
    ("周雨桐爺爺", True, NameCode.OK, "guardian:周雨桐:爷爷", "周雨桐爷爷"),
    ("吴俊杰外婆", True, NameCode.OK, "guardian:吴俊杰:外婆", "吴俊杰外婆"),
    ("吴俊杰姥姥", True, NameCode.OK, "guardian:吴俊杰:外婆", "吴俊杰外婆"),
    ("吴俊杰母亲", True, NameCode.OK, "guardian:吴俊杰:妈妈", "吴俊杰妈妈"),
    ("吴俊杰父亲", True, NameCode.OK, "guardian:吴俊杰:爸爸", "吴俊杰爸爸"),
    ("吴俊杰监护人", True, NameCode.OK, "guardian:吴俊杰:监护人", "吴俊杰监护人"),
    ("欧阳子轩爸爸", True, NameCode.OK, "guardian:欧阳子轩:爸爸", "欧阳子轩爸爸"),
    ("王可妈妈", True, NameCode.OK, "guardian:王可:妈妈", "王可妈妈"),
    ("王可欣妈妈", True, NameCode.OK, "guardian:王可欣:妈妈", "王可欣妈妈"),  # not 王可 + junk
    ("李思远外婆", True, NameCode.OK, "guardian:李思远:外婆", "李思远外婆"),
    # near misses
    ("张子涵", False, NameCode.RELATION_MISSING, None, "张子涵爸爸"),
    ("张子涵家长", False, NameCode.RELATION_MISSING, None, "张子涵爸爸"),
    ("张子涵马", False, NameCode.RELATION_UNKNOWN, None, "张子涵妈妈"),
    ("张子涵八", False, NameCode.RELATION_UNKNOWN, None, "张子涵爸爸"),
    ("张子涵妈", False, NameCode.RELATION_INCOMPLETE, None, "张子涵妈妈"),
    ("张子涵老爸", False, NameCode.RELATION_INCOMPLETE, None, "张子涵爸爸"),
    ("张子涵麻麻", False, NameCode.RELATION_INCOMPLETE, None, "张子涵妈妈"),
    ("张紫涵妈妈", False, NameCode.STUDENT_NOT_ON_ROSTER, None, "张子涵妈妈"),  # one character off
    ("刘洋妈妈", False, NameCode.STUDENT_NOT_ON_ROSTER, None, None),  # another class
    ("王可新妈妈", False, NameCode.STUDENT_NOT_ON_ROSTER, None, "王可欣妈妈"),  # not 王可 + junk
    ("子涵妈妈", False, NameCode.STUDENT_NAME_INCOMPLETE, None, "张子涵妈妈"),
    ("雨桐爸爸", False, NameCode.STUDENT_NAME_INCOMPLETE, None, "周雨桐爸爸"),
    ("子轩", False, NameCode.STUDENT_NAME_INCOMPLETE, None, "欧阳子轩爸爸"),
    ("妈妈", False, NameCode.STUDENT_MISSING, None, None),
    ("张子涵妈妈🌸广告", False, NameCode.EXTRA_TEXT, None, "张子涵妈妈"),
    ("张子涵妈妈13812345678", False, NameCode.EXTRA_TEXT, None, "张子涵妈妈"),
    ("三年二班张子涵妈妈", False, NameCode.EXTRA_TEXT, None, "张子涵妈妈"),
    ("3.2班张子涵妈妈", False, NameCode.EXTRA_TEXT, None, "张子涵妈妈"),
    ("张子涵3班妈妈", False, NameCode.EXTRA_TEXT, None, "张子涵妈妈"),
    ("李思远爸爸", False, NameCode.RELATION_NOT_ON_ROSTER, None, None),  # roster pins 妈妈, 外婆
    ("Sunshine", False, NameCode.UNRECOGNISED, None, None),
    ("快乐每一天", False, NameCode.UNRECOGNISED, None, None),
    ("A王丽", False, NameCode.UNRECOGNISED, None, None),
    ("🌸🌸🌸", False, NameCode.EMPTY, None, None),
    ("", False, NameCode.EMPTY, None, None),
    ("   ", False, NameCode.EMPTY, None, None),
]


@pytest.mark.parametrize(("name", "ok", "code", "key", "first"), PARENT_CASES)
def test_parent_names(name: str, ok: bool, code: NameCode, key: str | None, first: str | None) -> None:
    for hint in (None, Role.PARENT, Role.UNKNOWN):
        verdict = judge(name, hint)
        assert (verdict.ok, verdict.code) == (ok, code), (hint, verdict)
        assert verdict.person_key == key
        if first is None:
            assert verdict.expected == () or verdict.ok
        else:
            assert verdict.expected[0] == first
        assert verdict.ok or verdict.reason  # every failure says why, in Chinese
        assert not verdict.ok or verdict.reason == ""


TEACHER_CASES = [
    ("语文王芳", True, NameCode.OK, "teacher:王芳", "语文王芳"),
    ("语文-王芳", True, NameCode.OK, "teacher:王芳", "语文王芳"),
    ("语文 王芳", True, NameCode.OK, "teacher:王芳", "语文王芳"),
    ("语文·王芳", True, NameCode.OK, "teacher:王芳", "语文王芳"),
    ("王芳(语文)", True, NameCode.OK, "teacher:王芳", "语文王芳"),
    ("王芳（语文）", True, NameCode.OK, "teacher:王芳", "语文王芳"),
    ("王芳-语文", True, NameCode.OK, "teacher:王芳", "语文王芳"),
    ("语文王芳老师", True, NameCode.OK, "teacher:王芳", "语文王芳"),
    ("語文王芳", True, NameCode.OK, "teacher:王芳", "语文王芳"),  # traditional
    ("班主任王芳", True, NameCode.OK, "teacher:王芳", "语文王芳"),  # roster lists 班主任 for her
    ("语文王芳(班主任)", True, NameCode.OK, "teacher:王芳", "语文王芳"),
    ("数学李老师", True, NameCode.OK, "teacher:李强", "数学李强"),
    ("数学-李老师", True, NameCode.OK, "teacher:李强", "数学李强"),
    ("数学李强", True, NameCode.OK, "teacher:李强", "数学李强"),
    ("英语陈老师", True, NameCode.OK, "teacher:陈静", "英语陈静"),
    ("音乐欧阳老师", True, NameCode.OK, "teacher:欧阳娜", "音乐欧阳娜"),
    ("道法赵磊", True, NameCode.OK, "teacher:赵磊", "道德与法治赵磊"),  # subject alias
    ("道德与法治赵老师", True, NameCode.OK, "teacher:赵磊", "道德与法治赵磊"),
    # near misses
    ("王芳", False, NameCode.TEACHER_NO_SUBJECT, None, "语文王芳"),
    ("李老师", False, NameCode.TEACHER_NO_SUBJECT, None, "数学李强"),
    ("王老师", False, NameCode.TEACHER_NO_SUBJECT, None, "语文王芳"),
    ("数学王芳", False, NameCode.SUBJECT_MISMATCH, None, "语文王芳"),
    ("英语李老师", False, NameCode.SUBJECT_MISMATCH, None, "数学李强"),
    ("语文王老师", False, NameCode.TEACHER_AMBIGUOUS, None, "语文王芳"),  # 王芳 and 王明
    ("语文王方", False, NameCode.TEACHER_NOT_ON_ROSTER, None, "语文王芳"),  # typo
    ("英语赵六", False, NameCode.TEACHER_NOT_ON_ROSTER, None, "英语陈静"),
    ("物理孙老师", False, NameCode.TEACHER_NOT_ON_ROSTER, None, None),
    ("语文王芳🌸兼职招生", False, NameCode.EXTRA_TEXT, None, "语文王芳"),
]


@pytest.mark.parametrize(("name", "ok", "code", "key", "first"), TEACHER_CASES)
def test_teacher_names(name: str, ok: bool, code: NameCode, key: str | None, first: str | None) -> None:
    for hint in (None, Role.TEACHER, Role.HEAD_TEACHER):
        verdict = judge(name, hint)
        assert (verdict.ok, verdict.code) == (ok, code), (hint, verdict)
        assert verdict.person_key == key
        if first is not None:
            assert verdict.expected[0] == first
        else:
            assert verdict.expected == ()


def test_teacher_expected_lists_every_candidate() -> None:
    assert judge("语文王老师").expected == ("语文王芳", "语文王明")
    assert judge("王老师").expected == ("语文王芳", "语文王明")


def test_head_teacher_title_needs_the_roster_or_the_head_teacher_account() -> None:
    assert judge("班主任王明").code is NameCode.SUBJECT_MISMATCH
    assert judge("班主任王明", Role.TEACHER).code is NameCode.SUBJECT_MISMATCH
    verdict = judge("班主任王明", Role.HEAD_TEACHER)
    assert verdict.ok and verdict.subject == "语文"


def test_titles_come_from_settings() -> None:
    no_titles = real_name(teacher_titles=[])
    assert not check_display_name("班主任王明", ROSTER, no_titles, RELATIONS, Role.HEAD_TEACHER).ok
    assert check_display_name("班主任王明", ROSTER, DEFAULT, RELATIONS, Role.HEAD_TEACHER).ok
    # a title the roster lists as the teacher's subject is a subject like any other
    assert check_display_name("班主任王芳", ROSTER, no_titles, RELATIONS, Role.TEACHER).ok


@pytest.mark.parametrize("name", ["语文王芳", "王芳(语文)", "王芳", "数学李老师"])
def test_a_non_staff_account_with_a_teachers_name_is_flagged(name: str) -> None:
    for hint in (Role.PARENT, Role.UNKNOWN):
        verdict = judge(name, hint)
        assert verdict.code is NameCode.TEACHER_NOT_STAFF
        assert not verdict.ok
        assert verdict.person_key is None  # never linked to the real teacher
        assert "未登记" in verdict.reason


def test_a_teacher_account_with_a_parents_name() -> None:
    verdict = judge("张子涵妈妈", Role.TEACHER)
    assert verdict.code is NameCode.TEACHER_FORM_EXPECTED
    assert judge("Sunshine", Role.TEACHER).code is NameCode.UNRECOGNISED
    unknown = judge("Sunshine", Role.TEACHER)
    assert "老师" in unknown.reason
    assert "学科+姓名" in format_reminder(unknown, DEFAULT, RELATIONS, Role.TEACHER)


def test_a_teacher_whose_name_is_inside_a_students_name_does_not_confuse_parents() -> None:
    roster = parse_roster_text("role,name,subject\nteacher,王可,数学\nstudent,王可欣,\n")
    verdict = check_display_name("王可欣妈妈", roster, DEFAULT, RELATIONS, Role.UNKNOWN)
    assert verdict.ok and verdict.student == "王可欣"


def test_office_and_leaders_are_exempt() -> None:
    for hint in (Role.OFFICE, Role.LEADER):
        verdict = judge("Sunshine", hint)
        assert verdict.ok and verdict.code is NameCode.EXEMPT
        assert verdict.person_key is None


def test_charter_one_allows_the_student_name_alone() -> None:
    verdict = judge("张子涵", settings=ALONE)
    assert verdict.ok and verdict.student == "张子涵" and verdict.relation is None
    assert verdict.person_key is None  # does not say which guardian
    assert judge("张子涵", settings=DEFAULT).code is NameCode.RELATION_MISSING
    assert judge("张紫涵", settings=ALONE).code is NameCode.UNRECOGNISED


@pytest.mark.parametrize(
    ("name", "ok", "code", "first"),
    [
        ("张子涵妈妈", True, NameCode.OK, "张子涵妈妈"),
        ("张子涵爸爸", True, NameCode.OK, "张子涵爸爸"),
        ("张子涵爷爷", False, NameCode.RELATION_NOT_ALLOWED, None),
        ("张子涵奶奶", False, NameCode.RELATION_NOT_ALLOWED, None),
        ("张子涵外婆", False, NameCode.RELATION_NOT_ALLOWED, None),
        ("张子涵监护人", False, NameCode.RELATION_NOT_ALLOWED, None),
        ("张子涵姥姥", False, NameCode.RELATION_NOT_ALLOWED, None),
        ("张子涵母亲", True, NameCode.OK, "张子涵妈妈"),
        ("张子涵马", False, NameCode.RELATION_UNKNOWN, "张子涵妈妈"),
        ("李思远外婆", False, NameCode.RELATION_NOT_ALLOWED, None),
    ],
)
def test_charter_six_fathers_and_mothers_only(name: str, ok: bool, code: NameCode, first: str | None) -> None:
    verdict = judge(name, Role.PARENT, rules=PARENTS_ONLY)
    assert (verdict.ok, verdict.code) == (ok, code)
    assert (verdict.expected[0] if verdict.expected else None) == first
    if code is NameCode.RELATION_NOT_ALLOWED:
        assert "爸爸、妈妈" in verdict.reason
        assert verdict.relation == canonical_relation(name[3:])  # understood, not renamed


def test_charter_six_template_rejects_a_grandfather() -> None:
    config = ROOT / "config"
    charter = load_charter(config / "charters" / "parents-pact.toml", load_defaults(config))
    settings = RealNameSettings.model_validate(charter.rule_values["membership.real_name"])
    rules = RosterSettings.model_validate(charter.rule_values["membership.roster"])
    assert check_display_name("张子涵爸爸", ROSTER, settings, rules, Role.PARENT).ok
    verdict = check_display_name("张子涵爷爷", ROSTER, settings, rules, Role.PARENT)
    assert verdict.code is NameCode.RELATION_NOT_ALLOWED


@pytest.mark.parametrize(
    ("name", "ok", "code", "key", "first"),
    [
        ("李明", True, NameCode.OK, "staff:李明", "李明"),
        ("李 明", True, NameCode.OK, "staff:李明", "李明"),
        ("司马光华", True, NameCode.OK, "staff:司马光华", "司马光华"),
        ("李明-销售部", False, NameCode.EXTRA_TEXT, None, "李明"),
        ("李名", False, NameCode.STAFF_NOT_ON_LIST, None, "李明"),
        ("王五", False, NameCode.STAFF_NOT_ON_LIST, None, None),
        ("Sunshine", False, NameCode.STAFF_NOT_ON_LIST, None, None),
    ],
)
def test_work_team_uses_the_staff_list(name: str, ok: bool, code: NameCode, key: str | None, first: str | None) -> None:
    verdict = check_display_name(name, TEAM, WORK, RELATIONS, Role.UNKNOWN)
    assert (verdict.ok, verdict.code, verdict.person_key) == (ok, code, key)
    assert (verdict.expected[0] if verdict.expected else None) == first


def test_expected_forms_uses_a_known_person_key_first() -> None:
    assert expected_forms("Sunshine", ROSTER, DEFAULT, RELATIONS, Role.PARENT, "guardian:张子涵:妈妈") == ["张子涵妈妈"]
    assert expected_forms("Sunshine", ROSTER, DEFAULT, RELATIONS, Role.TEACHER, "teacher:李强") == ["数学李强"]
    assert expected_forms("张子涵马", ROSTER, DEFAULT, RELATIONS, Role.PARENT)[0] == "张子涵妈妈"
    assert expected_forms("王芳", ROSTER, DEFAULT, RELATIONS, Role.TEACHER) == ["语文王芳"]
    assert expected_forms("Sunshine", ROSTER, DEFAULT, RELATIONS, Role.PARENT) == []
    # a stale key (student left, relation no longer allowed) falls back to the name
    assert expected_forms("张子涵马", ROSTER, DEFAULT, PARENTS_ONLY, Role.PARENT, "guardian:张子涵:爷爷")[0] == "张子涵妈妈"


def test_forms_for_person_key() -> None:
    assert forms_for_person_key("guardian:张子涵:母亲", ROSTER, RELATIONS) == ["张子涵妈妈"]
    assert forms_for_person_key("guardian:刘洋:妈妈", ROSTER, RELATIONS) == []
    assert forms_for_person_key("teacher:王芳", ROSTER, RELATIONS) == ["语文王芳"]
    assert forms_for_person_key("staff:李明", TEAM, RELATIONS) == ["李明"]
    assert forms_for_person_key("qq:10001", ROSTER, RELATIONS) == []


def test_reminder_text() -> None:
    verdict = judge("张子涵马", Role.PARENT)
    text = format_reminder(verdict, DEFAULT, RELATIONS, Role.PARENT, class_name="一年一班")
    assert "“一年一班”群" in text
    assert "张子涵妈妈" in text
    assert "24 小时" in text
    unknown = judge("Sunshine", Role.PARENT)
    text = format_reminder(unknown, real_name(grace_hours=12), PARENTS_ONLY, Role.PARENT)
    assert "孩子姓名+爸爸/妈妈" in text and "12 小时" in text


def test_rule_text_per_charter() -> None:
    assert "也可只写孩子姓名" in naming_rule_text(ALONE, RELATIONS)
    assert "学科+姓名" in naming_rule_text(DEFAULT, RELATIONS, Role.TEACHER)
    assert "家长" not in naming_rule_text(DEFAULT, RELATIONS, Role.TEACHER)
    assert naming_rule_text(WORK, RELATIONS) == "群名片请使用您在单位使用的姓名。"
    assert "爸爸/妈妈。" in naming_rule_text(DEFAULT, PARENTS_ONLY, Role.PARENT) or "爸爸/妈妈，" in naming_rule_text(
        DEFAULT, PARENTS_ONLY, Role.PARENT
    )


def test_verdict_accessors() -> None:
    verdict = judge("语文王芳")
    assert (verdict.teacher, verdict.subject, verdict.student, verdict.staff) == ("王芳", "语文", None, None)
    verdict = judge("张子涵妈妈")
    assert (verdict.student, verdict.relation, verdict.teacher) == ("张子涵", "妈妈", None)
    assert verdict.normalised == "张子涵妈妈"


def test_empty_roster_never_passes_a_name() -> None:
    empty = parse_roster_text("role,name,subject\n")
    for name in ("张子涵妈妈", "语文王芳", "王老师"):
        assert not check_display_name(name, empty, DEFAULT, RELATIONS, None).ok

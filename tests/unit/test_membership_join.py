"""Join requests and invitations; person keys across platforms."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from plugins.charter.catalogue import RealNameSettings, RosterSettings
from plugins.charter.model import Role
from plugins.charter.roster import load_roster, parse_roster_text
from plugins.membership.identity import (
    class_person_key,
    identity_for,
    is_person_key,
    parse_person_key,
    person_key_for,
    person_label,
)
from plugins.membership.join import (
    JoinCode,
    answer_of,
    format_invite_notice,
    format_join_hold,
    is_suspicious_invite,
    judge_join_request,
)

ROOT = Path(__file__).resolve().parents[2]
ROSTER = load_roster(ROOT / "tests" / "data" / "rosters" / "g1c1.csv")
RULES = tomllib.loads((ROOT / "config" / "charters" / "defaults" / "membership.toml").read_text("utf-8"))["rules"]
REAL_NAME = RealNameSettings.model_validate(RULES["membership.real_name"])
ALONE = RealNameSettings.model_validate({**RULES["membership.real_name"], "allow_student_name_alone": True})
RELATIONS = RosterSettings.model_validate(RULES["membership.roster"])
PARENTS_ONLY = RosterSettings.model_validate({**RULES["membership.roster"], "relations": ["爸爸", "妈妈"]})


@pytest.mark.parametrize(
    ("comment", "student", "relation"),
    [
        ("张子涵妈妈", "张子涵", "妈妈"),
        ("我是张子涵的爸爸", "张子涵", "爸爸"),
        ("三年二班张子涵 家长 妈妈", "张子涵", "妈妈"),
        ("問題：孩子姓名和您的身份\n答案：張子涵媽媽", "张子涵", "妈妈"),
        ("问题：请写孩子姓名，爸爸还是妈妈？\n答案：周雨桐 爸", "周雨桐", "爸爸"),
        ("周雨桐的奶奶", "周雨桐", "奶奶"),
        ("吴俊杰姥爷", "吴俊杰", "外公"),
        ("王可欣妈妈", "王可欣", "妈妈"),
        ("您好，我是欧阳子轩的父亲，谢谢老师", "欧阳子轩", "爸爸"),
        ("李思远 外婆", "李思远", "外婆"),
    ],
)
def test_approved(comment: str, student: str, relation: str) -> None:
    decision = judge_join_request(comment, ROSTER, RELATIONS)
    assert decision.approve, decision
    assert (decision.code, decision.student, decision.relation) == (JoinCode.APPROVE, student, relation)
    assert decision.person_key == f"guardian:{student}:{relation}"
    assert decision.expected_name == f"{student}{relation}"
    assert decision.reason == ""


@pytest.mark.parametrize(
    ("comment", "rules", "code", "words"),
    [
        ("", RELATIONS, JoinCode.EMPTY, "没有填写"),
        ("问题：孩子姓名\n答案：", RELATIONS, JoinCode.EMPTY, "没有填写"),
        ("刘洋妈妈", RELATIONS, JoinCode.NO_STUDENT, "名单"),
        ("家长", RELATIONS, JoinCode.NO_STUDENT, "名单"),
        ("张子涵家长", RELATIONS, JoinCode.NO_RELATION, "张子涵"),
        ("张子涵", RELATIONS, JoinCode.NO_RELATION, "张子涵"),
        ("张子涵和周雨桐的妈妈", RELATIONS, JoinCode.SEVERAL_STUDENTS, "张子涵、周雨桐"),
        ("张子涵爸爸妈妈", RELATIONS, JoinCode.SEVERAL_RELATIONS, "爸爸、妈妈"),
        ("张子涵爷爷", PARENTS_ONLY, JoinCode.RELATION_NOT_ALLOWED, "爸爸、妈妈"),
        ("李思远爸爸", RELATIONS, JoinCode.RELATION_NOT_ON_ROSTER, "妈妈、外婆"),
        ("我是语文老师王芳", RELATIONS, JoinCode.TEACHER_CLAIM, "王芳"),
        ("王芳", RELATIONS, JoinCode.TEACHER_CLAIM, "王芳"),
        ("问题：您是爸爸还是妈妈？\n答案：朋友", RELATIONS, JoinCode.NO_STUDENT, "名单"),
    ],
)
def test_held_with_a_reason(comment: str, rules: RosterSettings, code: JoinCode, words: str) -> None:
    decision = judge_join_request(comment, ROSTER, rules)
    assert not decision.approve
    assert decision.code is code
    assert words in decision.reason
    assert decision.person_key is None


def test_no_roster_holds_everything() -> None:
    empty = parse_roster_text("role,name,subject\nteacher,王芳,语文\n")
    decision = judge_join_request("张子涵妈妈", empty, RELATIONS)
    assert decision.code is JoinCode.NO_ROSTER and not decision.approve


def test_answer_of() -> None:
    assert answer_of("问题：孩子姓名？\n答案：张子涵妈妈") == "张子涵妈妈"
    assert answer_of("问题：a\n答案:b") == "b"
    assert answer_of("张子涵妈妈") == "张子涵妈妈"


def test_hold_note_for_the_head_teacher() -> None:
    comment = "问题：孩子姓名\n答案：刘洋妈妈"
    decision = judge_join_request(comment, ROSTER, RELATIONS)
    note = format_join_hold(decision, "qq:20001", comment, "一年一班")
    assert note.startswith("【一年一班】")
    assert "qq:20001" in note and "刘洋妈妈" in note and decision.reason in note
    assert "问题" not in note


@pytest.mark.parametrize(
    ("role", "is_admin", "suspicious"),
    [
        (Role.HEAD_TEACHER, False, False),
        (Role.TEACHER, False, False),
        (Role.OFFICE, False, False),
        (Role.LEADER, False, False),
        (Role.PARENT, False, True),
        (Role.UNKNOWN, False, True),
        (None, False, True),
        (Role.PARENT, True, False),
        (None, True, False),
    ],
)
def test_invites(role: Role | None, is_admin: bool, suspicious: bool) -> None:
    assert is_suspicious_invite(role, is_admin) is suspicious


def test_invite_notice() -> None:
    text = format_invite_notice("一年一班", "刘洋妈妈(20002)", "张子涵妈妈(20001)")
    assert "张子涵妈妈(20001) 邀请 刘洋妈妈(20002)" in text and text.startswith("【一年一班】")


# --- identities ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["张子涵妈妈", "張子涵媽媽", "张子涵的母亲", "【张子涵-妈妈】🌸"], "guardian:张子涵:妈妈"),
        (["语文王芳", "王芳(语文)", "班主任王芳"], "teacher:王芳"),
        (["数学李老师", "数学李强"], "teacher:李强"),
    ],
)
def test_one_person_one_key_across_platforms(names: list[str], key: str) -> None:
    hint = Role.TEACHER if key.startswith("teacher") else Role.PARENT
    assert {person_key_for(n, ROSTER, REAL_NAME, RELATIONS, hint) for n in names} == {key}


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("张子涵马", Role.PARENT),  # near miss
        ("刘洋妈妈", Role.PARENT),  # not on the roster
        ("语文王芳", Role.UNKNOWN),  # impersonation
        ("Sunshine", None),
        ("张子涵", None),  # student alone: which guardian?
    ],
)
def test_names_that_do_not_map(name: str, hint: Role | None) -> None:
    assert person_key_for(name, ROSTER, ALONE, RELATIONS, hint) is None


def test_class_person_key_on_the_example_class() -> None:
    from plugins.charter.config import load_class_file

    cls = load_class_file(ROOT / "config" / "classes" / "g3c2.toml", ROOT / "config")
    assert class_person_key(cls, "张子涵妈妈") == "guardian:张子涵:妈妈"
    assert class_person_key(cls, "周雨桐-爸爸") == "guardian:周雨桐:爸爸"
    assert class_person_key(cls, "张子涵") is None  # allowed alone by school-full, but which guardian?
    assert class_person_key(cls, "语文李强") is None  # a teacher's name on a non-staff account
    assert class_person_key(cls, "刘洋妈妈") is None


def test_identity_helpers() -> None:
    identity = identity_for("张子涵妈妈", ROSTER, REAL_NAME, RELATIONS)
    assert identity is not None and identity.display_name == "张子涵妈妈"
    assert parse_person_key("guardian:张子涵:妈妈") == identity
    assert parse_person_key("teacher:王芳").name == "王芳"  # type: ignore[union-attr]
    assert parse_person_key("qq:10001") is None
    assert parse_person_key("guardian:张子涵") is None
    assert is_person_key("staff:李明") and not is_person_key("wecom:zhangsan")
    assert person_label("guardian:张子涵:妈妈") == "张子涵妈妈"
    assert person_label("teacher:王芳") == "王芳老师"
    assert person_label("qq:1") == "qq:1"

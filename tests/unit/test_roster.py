"""The roster CSV reader: encodings, separators, Chinese headers, and errors with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.charter.roster import (
    Guardian,
    Roster,
    RosterError,
    Teacher,
    clean_cell,
    decode_roster_bytes,
    load_roster,
    parse_roster_text,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "rosters"


def test_example_class_roster_loads() -> None:
    roster = load_roster(ROOT / "config" / "classes" / "g3c2.csv")
    assert roster.has_student("张子涵")
    assert roster.teacher_named("李强") == Teacher("李强", "语文")
    assert len(roster.students) == 10


def test_test_roster_with_pinned_guardians() -> None:
    roster = load_roster(DATA / "g1c1.csv")
    assert roster.subjects_of("王芳") == ("语文", "班主任")
    assert roster.teacher_names[:2] == ("王芳", "李强")
    assert roster.guardians_of("李思远") == ("妈妈", "外婆")
    assert roster.guardians_of("张子涵") == ()
    assert roster.source.endswith("g1c1.csv")


def test_gbk_file() -> None:
    raw = (DATA / "gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    roster = load_roster(DATA / "gbk.csv")
    assert roster.students == ("张子涵", "周雨桐")
    assert roster.teachers == (Teacher("王芳", "语文"),)


def test_bom_crlf_empty_rows_and_stray_spaces() -> None:
    roster = load_roster(DATA / "bom.csv")
    assert roster.students == ("张子涵", "周雨桐")


def test_utf16_excel_unicode_text_export_with_tabs() -> None:
    text = "role\tname\tsubject\r\nstudent\t张子涵\t\r\nteacher\t王芳\t语文\r\n"
    raw = b"\xff\xfe" + text.encode("utf-16-le")
    roster = parse_roster_text(decode_roster_bytes(raw, "x.txt"), "x.txt")
    assert roster.students == ("张子涵",)
    assert roster.teachers == (Teacher("王芳", "语文"),)


def test_undecodable_bytes_name_the_file() -> None:
    with pytest.raises(RosterError) as caught:
        decode_roster_bytes(b"\xff\xff\xff\x81\x30", "bad.csv")
    assert caught.value.path == "bad.csv"
    assert "编码" in caught.value.message


def test_full_width_commas_and_chinese_header_and_roles() -> None:
    text = "角色，姓名，学科\n学生，张子涵，\n老师，王芳，语文\n员工，李明，\n家长，张子涵，妈妈\n"
    roster = parse_roster_text(text)
    assert roster.students == ("张子涵",)
    assert roster.teachers == (Teacher("王芳", "语文"),)
    assert roster.staff == ("李明",)
    assert roster.guardians == (Guardian("张子涵", "妈妈"),)


def test_a_row_typed_with_full_width_commas_in_a_comma_file() -> None:
    roster = parse_roster_text("role,name,subject\nstudent,张子涵,\nstudent，周雨桐，\n")
    assert roster.students == ("张子涵", "周雨桐")


def test_names_are_cleaned() -> None:
    roster = parse_roster_text("role,name,subject\nstudent, 张 子涵 ,\nstudent,\u200b周雨桐\u200b,\nteacher,王芳,ＥＮ\n")
    assert roster.students == ("张子涵", "周雨桐")
    assert roster.teachers == (Teacher("王芳", "EN"),)
    assert clean_cell("  Tom   Smith ") == "Tom Smith"


def test_several_subjects_in_one_cell_and_head_teacher_role() -> None:
    roster = parse_roster_text("role,name,subject\nteacher,王芳,语文/班主任\n班主任,李强,数学\nteacher,陈静,英语、音乐\n")
    assert roster.subjects_of("王芳") == ("语文", "班主任")
    assert roster.subjects_of("李强") == ("数学", "班主任")
    assert roster.subjects_of("陈静") == ("英语", "音乐")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("学号,班级,备注\n1,三年二班,\n", 1, "表头"),
        ("\n\nstudent,张子涵,\n", 3, "表头"),
        ("role,name,subject\nstudent,张子涵,\nvisitor,王五,\n", 3, "visitor"),
        ("role,name,subject\nstudent,张子涵,\n\n,李四,\n", 4, "角色为空"),
        ("role,name,subject\nstudent,,\n", 2, "姓名为空"),
        ("role,name,subject\nteacher,王芳,\n", 2, "学科"),
        ("role,name,subject\nstudent,张子涵,\nstudent,周雨桐,\nstudent,张子涵,\n", 4, "重复"),
        ("role,name,subject\nguardian,张子涵,\nstudent,张子涵,\n", 2, "关系"),
        ("role,name,subject\nstudent,张子涵,\nguardian,李四,妈妈\n", 3, "不在名单"),
        ("role,name,subject\nstudent,12345,\n", 2, "不像姓名"),
    ],
)
def test_errors_name_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(RosterError) as caught:
        parse_roster_text(text, "classes/g9.csv")
    error = caught.value
    assert error.path == "classes/g9.csv"
    assert error.line == line
    assert words in error.message
    assert str(error).startswith(f"classes/g9.csv:{line}: ")


def test_empty_roster_is_an_error() -> None:
    with pytest.raises(RosterError) as caught:
        parse_roster_text("\n \n,,\n", "empty.csv")
    assert caught.value.line is None
    assert "为空" in caught.value.message


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RosterError) as caught:
        load_roster(tmp_path / "missing.csv")
    assert "missing.csv" in str(caught.value)


def test_roster_from_file_names_the_file_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "c1.csv"
    path.write_bytes("role,name,subject\nstudent,张子涵,\nfriend,王五,\n".encode("gbk"))
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    assert str(caught.value).startswith(f"{path}:3: ")


def test_columns_are_found_by_header_in_any_order() -> None:
    roster = parse_roster_text("name,subject,role\n张子涵,,student\n王芳,语文,teacher\n")
    assert roster.students == ("张子涵",)
    assert roster.teachers == (Teacher("王芳", "语文"),)


def test_duplicate_teacher_rows_collapse() -> None:
    roster = parse_roster_text("role,name,subject\nteacher,王芳,语文\nteacher,王芳,语文\n")
    assert roster.teachers == (Teacher("王芳", "语文"),)


def test_empty_roster_object() -> None:
    roster = Roster()
    assert roster.is_empty
    assert not roster.has_student("张子涵")
    assert roster.teacher_named("王芳") is None

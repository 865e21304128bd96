"""`charterbot roster import`: Excel and CSV sheets as schools keep them, with a report of bad rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from plugins.charter.roster import Guardian, RosterError, Teacher, load_roster
from plugins.membership.roster_import import import_roster, roster_import_command, write_roster_csv

CLASS_FILE = """\
[class]
id = "g1c1"
name = "一年一班"
charter = "school-full"
{roster}
[[groups]]
platform = "qq"
group_id = "900100"

[staff]
head_teacher = ["qq:1"]
"""


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


SCHOOL_SHEET = [
    ["一年一班家校群名单"],  # title row above the header
    [],
    ["序号", "身份", "姓名", "学科/关系", "备注"],
    [1, "学生", "张子涵", None, None],
    [2, "学生", " 周 雨桐 ", None, None],
    [3, "老师", "王芳", "语文/班主任", None],
    [4, "教师", "李强", "数学", None],
    [5, "家长", "张子涵", "妈妈", None],
    [6, "学生", None, None, "转学"],  # no name
    [7, "访客", "刘洋", None, None],  # unknown role
    [8, "老师", "陈静", None, None],  # no subject
    [9, "学生", "张子涵", None, None],  # duplicate
    [10, "家长", "马小跳", "爸爸", None],  # student not on the roster
    [None, None, None, None, None],
    ["合计", "学生", 42, None, None],  # a totals row
]


def test_xlsx_with_title_rows_chinese_headers_and_bad_rows(tmp_path: Path) -> None:
    path = workbook(tmp_path / "名单.xlsx", {"名单": SCHOOL_SHEET})
    report = import_roster(path)
    roster = report.roster
    assert roster.students == ("张子涵", "周雨桐")
    assert roster.teachers == (Teacher("王芳", "语文"), Teacher("王芳", "班主任"), Teacher("李强", "数学"))
    assert roster.guardians == (Guardian("张子涵", "妈妈"),)
    assert report.sheets == ("名单",)
    problems = [(p.line, p.sheet) for p in report.problems]
    assert problems == [(9, "名单"), (10, "名单"), (11, "名单"), (12, "名单"), (13, "名单"), (15, "名单")]
    reasons = [p.reason for p in report.problems]
    assert reasons[0] == "姓名为空"
    assert "访客" in reasons[1]
    assert "陈静" in reasons[2] and "学科" in reasons[2]
    assert "重复" in reasons[3] and "第 4 行" in reasons[3]
    assert "马小跳" in reasons[4]
    assert "42" in reasons[5]
    assert str(report.problems[0]) == "名单 第 9 行：姓名为空"
    assert not report.ok


def test_students_and_teachers_on_separate_sheets_without_role_column(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "roster.xlsx",
        {
            "说明": [["请勿修改表头"]],
            "学生": [["学号", "学生姓名", "性别"], [1001, "张子涵", "女"], [1002, "吴俊杰", "男"]],
            "教师": [["教师姓名", "任教学科"], ["王芳", "语文"], ["李强", None]],
            "家长": [["姓名", "关系"], ["周雨桐", "妈妈"]],  # no role column, a relation column: students
        },
    )
    report = import_roster(path)
    assert report.roster.students == ("张子涵", "吴俊杰", "周雨桐")
    assert report.roster.teachers == (Teacher("王芳", "语文"),)
    assert report.sheets == ("学生", "教师", "家长")
    assert [(p.sheet, p.line) for p in report.problems] == [("教师", 3)]


def test_english_headers_and_plain_name_column(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "r.xlsx",
        {"Sheet1": [["Name", "Subject"], ["张子涵", None], ["王芳", "语文"], ["李明", ""]]},
    )
    report = import_roster(path)
    assert report.roster.students == ("张子涵", "李明")
    assert report.roster.teachers == (Teacher("王芳", "语文"),)
    assert report.ok


def test_no_header_anywhere(tmp_path: Path) -> None:
    path = workbook(tmp_path / "r.xlsx", {"Sheet1": [["张子涵", "学生"], ["王芳", "老师"]]})
    with pytest.raises(RosterError) as caught:
        import_roster(path)
    assert "表头" in caught.value.message and caught.value.path == str(path)


def test_old_xls_and_broken_files_are_refused(tmp_path: Path) -> None:
    old = tmp_path / "r.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(RosterError, match="xlsx"):
        import_roster(old)
    broken = tmp_path / "r.xlsx"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(RosterError, match="Excel"):
        import_roster(broken)


def test_csv_import_is_lenient_and_reports(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("三年二班名单\n角色,姓名,学科\n学生,张子涵,\n老板,王五,\n老师,王芳,语文\n".encode("gbk"))
    report = import_roster(path)
    assert report.roster.students == ("张子涵",)
    assert [(p.line, p.sheet) for p in report.problems] == [(4, "")]
    assert str(report.problems[0]).startswith("第 4 行：")


def test_write_roster_csv_round_trips(tmp_path: Path) -> None:
    report = import_roster(workbook(tmp_path / "r.xlsx", {"名单": SCHOOL_SHEET}))
    target = tmp_path / "out" / "g1c1.csv"
    write_roster_csv(report.roster, target)
    text = target.read_text("utf-8")
    assert text.splitlines()[0] == "role,name,subject"
    assert "teacher,王芳,语文\n" in text and "student,张子涵,\n" in text and "guardian,张子涵,妈妈\n" in text
    again = load_roster(target)
    assert (again.students, again.teachers, again.guardians) == (
        report.roster.students, report.roster.teachers, report.roster.guardians,
    )
    assert [p.name for p in target.parent.iterdir()] == ["g1c1.csv"]  # no temporary files left


def test_import_command_writes_beside_the_class_file(tmp_path: Path) -> None:
    classes = tmp_path / "classes"
    classes.mkdir()
    class_file = classes / "g1c1.toml"
    class_file.write_text(CLASS_FILE.format(roster='roster = "g1c1-roster.csv"'), "utf-8")
    (classes / "g1c1-roster.csv").write_text("role,name,subject\nstudent,张子涵,\nstudent,马小跳,\n", "utf-8")
    source = workbook(tmp_path / "名单.xlsx", {"名单": SCHOOL_SHEET})

    summary = roster_import_command(source, class_file)

    roster = load_roster(classes / "g1c1-roster.csv")
    assert roster.students == ("张子涵", "周雨桐")
    lines = summary.splitlines()
    assert lines[0].startswith("已导入一年一班（g1c1）名单：学生 2 人，老师 2 人，员工 0 人，家长登记 1 条")
    assert lines[1].startswith("Imported the roster of 一年一班 (g1c1): 2 students, 2 teachers")
    assert any("新增学生 周雨桐" in line and "移出学生 马小跳" in line for line in lines)
    assert "有 6 行未能读取" in summary
    assert "  名单 第 12 行：学生“张子涵”重复（第 4 行已有）" in lines
    assert "roster =" not in summary  # the class file already names its roster
    assert "/reload" in lines[-1]


def test_import_command_without_a_roster_key(tmp_path: Path) -> None:
    class_file = tmp_path / "g1c1.toml"
    class_file.write_text(CLASS_FILE.format(roster=""), "utf-8")
    source = tmp_path / "r.csv"
    source.write_text("role,name,subject\nstudent,张子涵,\n", "utf-8")
    summary = roster_import_command(source, class_file)
    assert (tmp_path / "g1c1.csv").exists()
    assert 'roster = "g1c1.csv"' in summary
    assert "所有行均已读取" in summary


def test_import_command_writes_nothing_when_nothing_is_readable(tmp_path: Path) -> None:
    class_file = tmp_path / "g1c1.toml"
    class_file.write_text(CLASS_FILE.format(roster='roster = "g1c1.csv"'), "utf-8")
    (tmp_path / "g1c1.csv").write_text("role,name,subject\nstudent,张子涵,\n", "utf-8")
    source = tmp_path / "r.csv"
    source.write_text("role,name,subject\nvisitor,王五,\n", "utf-8")
    with pytest.raises(RosterError) as caught:
        roster_import_command(source, class_file)
    assert "未写入" in caught.value.message and "visitor" in caught.value.message
    assert load_roster(tmp_path / "g1c1.csv").students == ("张子涵",)


def test_import_command_bad_class_file(tmp_path: Path) -> None:
    source = tmp_path / "r.csv"
    source.write_text("role,name,subject\nstudent,张子涵,\n", "utf-8")
    with pytest.raises(RosterError, match="找不到班级文件"):
        roster_import_command(source, tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[class\n", "utf-8")
    with pytest.raises(RosterError, match="TOML"):
        roster_import_command(source, broken)
    no_id = tmp_path / "no_id.toml"
    no_id.write_text("[class]\nname = 'x'\n", "utf-8")
    with pytest.raises(RosterError, match="id"):
        roster_import_command(source, no_id)

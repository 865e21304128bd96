"""`charterbot roster import FILE --class ID` with generated Excel workbooks (the example of docs/membership.md)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from plugins.charter.cli import main
from plugins.charter.roster import load_roster

CLASS_FILE = """
[class]
id = "g3c2"
name = "三年二班"
charter = "school-full"
roster = "g3c2.csv"

[[groups]]
platform = "qq"
group_id = "900001"

[staff]
head_teacher = ["qq:10002"]
"""

# the spreadsheet of docs/membership.md: a title row, Chinese headers, one row the bot cannot read
SHEET = [
    ["三年二班名单", None, None],
    ["角色", "姓名", "学科"],
    ["老师", "王芳", "班主任"],
    ["老师", "李强", "语文"],
    ["学生", "张子涵", None],
    ["学生", "周雨桐", None],
    ["家长", "张子涵", "妈妈"],
]


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config"
    (config / "classes").mkdir(parents=True)
    (config / "classes" / "g3c2.toml").write_text(CLASS_FILE, "utf-8")
    monkeypatch.setenv("CHARTERBOT_CONFIG_DIR", str(config))
    return config


def test_a_clean_workbook_becomes_the_class_roster(config_dir: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = workbook(tmp_path / "名单.xlsx", SHEET)
    assert main(["roster", "import", str(source), "--class", "g3c2"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("已导入三年二班（g3c2）名单：学生 2 人，老师 2 人，员工 0 人，家长登记 1 条")
    assert "所有行均已读取" in out and err == ""
    roster = load_roster(config_dir / "classes" / "g3c2.csv")
    assert roster.students == ("张子涵", "周雨桐")
    assert [(t.name, t.subject) for t in roster.teachers] == [("王芳", "班主任"), ("李强", "语文")]


def test_unreadable_rows_are_reported_with_file_and_row(config_dir: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    source = workbook(tmp_path / "名单.xlsx", [*SHEET, ["访客", "王五", None]])
    assert main(["roster", "import", str(source), "--class", "g3c2"]) == 2
    out, err = capsys.readouterr()
    assert "有 1 行未能读取" in out
    [line] = err.splitlines()
    assert line.startswith(f"{source}: 名单 第 8 行：") and "访客" in line
    assert load_roster(config_dir / "classes" / "g3c2.csv").students == ("张子涵", "周雨桐")  # the rest is imported


def test_nothing_readable_writes_nothing_and_fails(config_dir: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    source = workbook(tmp_path / "空.xlsx", [["角色", "姓名", "学科"], ["访客", "王五", None]])
    assert main(["roster", "import", str(source), "--class", "g3c2"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"{source}: ") and "未写入" in err
    assert not (config_dir / "classes" / "g3c2.csv").exists()


def test_an_unknown_class_or_a_broken_file_fails(config_dir: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    source = workbook(tmp_path / "名单.xlsx", SHEET)
    assert main(["roster", "import", str(source), "--class", "g9c9"]) == 1
    assert "no class file with id 'g9c9'" in capsys.readouterr().err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert main(["roster", "import", str(broken), "--class", "g3c2"]) == 1
    assert capsys.readouterr().err.startswith(f"{broken}: 无法读取 Excel 文件")

"""`charterbot roster import FILE --class ID`: a school's spreadsheet -> the class roster CSV.

Schools keep rosters in Excel. `import_roster` reads .xlsx (openpyxl) or .csv
and finds the header row itself, within the first rows of each sheet, so title
rows ("三年二班学生名单") above it are fine. Headers may be English (role, name,
subject) or Chinese (角色/身份, 姓名/学生姓名/教师姓名, 学科/科目/关系). Every
sheet that has such a header is read, so students and teachers may be on
separate sheets. A sheet without a role column takes the role from the name
header (学生姓名 -> students, 教师姓名 -> teachers) or, under a plain 姓名,
from the row (a subject makes a teacher).

Rows that cannot be read are reported with sheet, row number and reason; the
rest is imported. `write_roster_csv` writes the design's CSV (UTF-8, no BOM) and
`roster_import_command` does both for a class file and returns the summary.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from plugins.charter.roster import (
    Columns,
    Roster,
    RosterError,
    RowProblem,
    Sheet,
    csv_rows,
    decode_roster_bytes,
    load_roster,
    match_header,
    read_roster_sheets,
)

HEADER_SEARCH_ROWS = 10
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class ImportReport:
    roster: Roster
    problems: tuple[RowProblem, ...]  # rows that could not be read
    source: str
    sheets: tuple[str, ...] = ()  # sheets read (Excel)

    @property
    def ok(self) -> bool:
        return not self.problems


def _find_header(rows: list[tuple[int, list[object]]]) -> tuple[int, Columns] | None:
    """(position in rows, columns) of the header among the first non-empty rows."""
    seen = 0
    for position, (_, cells) in enumerate(rows):
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        columns = match_header([("" if c is None else str(c)) for c in cells])
        if columns is not None:
            return position, columns
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return None


def _no_header(path: Path) -> RosterError:
    return RosterError(path, None, "找不到表头：需要“姓名”列（如 角色,姓名,学科 或 role,name,subject）")


def _excel_sheets(path: Path) -> list[tuple[str, list[tuple[int, list[object]]]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise RosterError(path, None, f"无法读取 Excel 文件：{exc}") from exc
    sheets = []
    for worksheet in workbook.worksheets:
        rows = [
            (number, list(values))
            for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1)
        ]
        sheets.append((worksheet.title, rows))
    workbook.close()
    return sheets


def import_roster(path: Path) -> ImportReport:
    """Read a roster from .xlsx or .csv; unreadable rows go to the report, fatal problems raise RosterError."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise RosterError(path, None, "不支持旧版 .xls，请在 Excel 中另存为 .xlsx 或 .csv")
    if suffix in EXCEL_SUFFIXES:
        raw_sheets = _excel_sheets(path)
        named = True
    else:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise RosterError(path, None, f"无法读取文件：{exc.strerror}") from exc
        text = decode_roster_bytes(raw, path)
        raw_sheets = [("", [(n, list(cells)) for n, cells in csv_rows(text)])]
        named = False
    sheets: list[Sheet] = []
    for title, rows in raw_sheets:
        found = _find_header(rows)
        if found is None:
            continue
        position, columns = found
        sheets.append((title if named else "", columns, rows[position + 1:]))
    if not sheets:
        raise _no_header(path)
    roster, problems = read_roster_sheets(sheets, path)
    return ImportReport(roster, tuple(problems), str(path), tuple(s[0] for s in sheets if s[0]))


def roster_csv_text(roster: Roster) -> str:
    lines = ["role,name,subject"]
    lines += [f"teacher,{t.name},{t.subject}" for t in roster.teachers]
    lines += [f"staff,{name}," for name in roster.staff]
    lines += [f"student,{name}," for name in roster.students]
    lines += [f"guardian,{g.student},{g.relation}" for g in roster.guardians]
    return "\n".join(lines) + "\n"


def write_roster_csv(roster: Roster, path: Path) -> None:
    """Write the roster as `role,name,subject` CSV (UTF-8), replacing the file atomically."""
    text = roster_csv_text(roster)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _class_header(class_file: Path) -> dict[str, object]:
    try:
        with class_file.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise RosterError(class_file, None, "找不到班级文件") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RosterError(class_file, None, f"班级文件不是有效的 TOML：{exc}") from exc
    header = data.get("class")
    if not isinstance(header, dict) or not isinstance(header.get("id"), str):
        raise RosterError(class_file, None, "班级文件缺少 [class] 的 id")
    return header


def _names(items: list[str], limit: int = 10) -> str:
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} 人" if len(items) > limit else "")


def roster_import_command(file: Path, class_file: Path) -> str:
    """Import FILE as the class's roster, beside the class file; returns the summary to print.

    The target is the class file's `roster` (relative to it), else `<id>.csv`.
    Raises RosterError (with file and line) when nothing can be imported, and
    then writes nothing.
    """
    summary, _ = import_class_roster(file, class_file)
    return summary


def import_class_roster(file: Path, class_file: Path) -> tuple[str, ImportReport]:
    """roster_import_command, also returning the import report (rows that could not be read)."""
    header = _class_header(class_file)
    class_id = str(header["id"])
    class_name = str(header.get("name") or class_id)
    roster_name = header.get("roster")
    target = class_file.parent / (roster_name if isinstance(roster_name, str) and roster_name else f"{class_id}.csv")

    report = import_roster(file)
    roster = report.roster
    if roster.is_empty:
        first = f"（{report.problems[0]}）" if report.problems else ""
        raise RosterError(file, None, f"没有读到任何有效的名单行，未写入 {target}{first}")

    previous: Roster | None = None
    if target.exists():
        try:
            previous = load_roster(target)
        except RosterError:
            previous = None
    write_roster_csv(roster, target)

    teachers = len(roster.teacher_names)
    lines = [
        f"已导入{class_name}（{class_id}）名单：学生 {len(roster.students)} 人，老师 {teachers} 人，"
        f"员工 {len(roster.staff)} 人，家长登记 {len(roster.guardians)} 条 → {target}",
        f"Imported the roster of {class_name} ({class_id}): {len(roster.students)} students, {teachers} teachers, "
        f"{len(roster.staff)} staff, {len(roster.guardians)} guardian rows -> {target}",
    ]
    if report.sheets:
        lines.append(f"读取的工作表 / sheets read：{'、'.join(report.sheets)}")
    if previous is not None:
        added = [s for s in roster.students if not previous.has_student(s)]
        removed = [s for s in previous.students if not roster.has_student(s)]
        if added or removed:
            changes = []
            if added:
                changes.append(f"新增学生 {_names(added)}")
            if removed:
                changes.append(f"移出学生 {_names(removed)}")
            lines.append("与原名单相比：" + "；".join(changes) + f" / changes: +{len(added)} -{len(removed)} students")
        else:
            lines.append("学生名单与原名单相同 / students unchanged")
    if report.problems:
        lines.append(f"有 {len(report.problems)} 行未能读取，请在原表中修改后重新导入 / "
                     f"{len(report.problems)} rows could not be read:")
        lines += [f"  {problem}" for problem in report.problems]
    else:
        lines.append("所有行均已读取 / every row was read")
    if not (isinstance(roster_name, str) and roster_name):
        lines.append(f"请在 {class_file.name} 的 [class] 中加上 roster = \"{target.name}\" / "
                     f"add roster = \"{target.name}\" under [class] in {class_file.name}")
    lines.append("发送 /reload 或重启机器人后生效 / send /reload or restart the bot to use it")
    return "\n".join(lines), report

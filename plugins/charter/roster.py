"""A class roster: students, teachers with subjects, work-team staff, pinned guardians.

CSV with the header `role,name,subject` (design.md):

    role,name,subject
    teacher,王芳,语文
    student,张子涵,
    staff,李明,
    guardian,张子涵,妈妈      # optional: only these relations may join for 张子涵

Schools export from Excel and edit in Notepad, so the reader is forgiving where
the meaning is clear and strict where it is not:

- encodings: UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode
  text"), else GB18030 (a superset of GBK, as Chinese Excel saves CSV);
- separators: commas; a file whose header uses tabs, semicolons or full-width
  commas (，) is read with that separator instead; a row typed with full-width
  commas inside a comma file is split on them too (names never contain commas);
- empty rows are skipped, cells are stripped, full-width letters and digits are
  folded (NFKC), invisible characters dropped, spaces inside Chinese names removed;
- headers and roles may also be written in Chinese (姓名/学生姓名, 角色/身份,
  学科/科目; 学生, 教师/老师, 员工, 家长);
- a teacher's subject cell may hold several subjects: "语文/班主任".

Anything else (an unknown role, a missing name, a teacher without a subject, a
student listed twice, a guardian of a student not on the roster) is an error that
names the file and the line. `parse_roster_text` stops at the first one;
`read_roster_rows` collects them all, for the import report.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROLES = ("student", "teacher", "staff", "guardian")

# Role cells as schools write them.
ROLE_ALIASES: dict[str, str] = {
    "student": "student",
    "学生": "student",
    "teacher": "teacher",
    "教师": "teacher",
    "老师": "teacher",
    "任课教师": "teacher",
    "任课老师": "teacher",
    "班主任": "teacher",
    "staff": "staff",
    "员工": "staff",
    "职工": "staff",
    "同事": "staff",
    "成员": "staff",
    "guardian": "guardian",
    "parent": "guardian",
    "家长": "guardian",
    "监护人": "guardian",
}

# Header cells, by column. A sheet without a role column takes the role from the
# name column's header (学生姓名 -> student) or, for a plain 姓名, from the row:
# a row with a subject is a teacher, one without is a student.
HEADER_ALIASES: dict[str, frozenset[str]] = {
    "role": frozenset({"role", "角色", "身份", "类别", "类型", "人员类别", "人员类型"}),
    "name": frozenset(
        {"name", "姓名", "名字", "学生姓名", "教师姓名", "老师姓名", "员工姓名", "成员姓名"}
    ),
    "subject": frozenset(
        {"subject", "relation", "学科", "科目", "任教学科", "任教科目", "学科/关系", "关系", "与学生关系"}
    ),
}
RELATION_HEADERS = frozenset({"relation", "关系", "与学生关系"})
NAME_HEADER_ROLES = {
    "学生姓名": "student",
    "教师姓名": "teacher",
    "老师姓名": "teacher",
    "员工姓名": "staff",
}

SUBJECT_SPLIT = re.compile(r"[/／、|｜;；+＋,，]")
_INVISIBLE = {"Cf", "Cc", "Co", "Cn", "Cs"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class RosterError(ValueError):
    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class Teacher:
    name: str
    subject: str


@dataclass(frozen=True, slots=True)
class Guardian:
    student: str
    relation: str


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that could not be read: where, and why (Simplified Chinese)."""

    line: int  # the line of the CSV file, or the row number Excel shows
    reason: str
    sheet: str = ""

    def __str__(self) -> str:
        where = f"{self.sheet} 第 {self.line} 行" if self.sheet else f"第 {self.line} 行"
        return f"{where}：{self.reason}"


@dataclass(frozen=True)
class Roster:
    students: tuple[str, ...] = ()
    # one entry per (teacher, subject): a teacher of two subjects appears twice
    teachers: tuple[Teacher, ...] = ()
    staff: tuple[str, ...] = ()  # work-team members: the name used at work
    # optional rows `guardian,<student>,<relation>` that pin who may join for a student
    guardians: tuple[Guardian, ...] = ()
    source: str = ""

    def has_student(self, name: str) -> bool:
        # a scan of a few dozen names, on joins and imports: a set for every class
        # cost more memory (about 1 KB a roster) than the scan costs time
        return name in self.students

    def teacher_named(self, name: str) -> Teacher | None:
        return next((t for t in self.teachers if t.name == name), None)

    def subjects_of(self, name: str) -> tuple[str, ...]:
        """Every subject the roster lists for the teacher `name`, in roster order."""
        return tuple(t.subject for t in self.teachers if t.name == name)

    @property
    def teacher_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.name for t in self.teachers))

    def has_staff(self, name: str) -> bool:
        return name in self.staff

    def guardians_of(self, student: str) -> tuple[str, ...]:
        """Relations pinned for a student by guardian rows; empty when none are pinned."""
        return tuple(g.relation for g in self.guardians if g.student == student)

    @property
    def is_empty(self) -> bool:
        return not (self.students or self.teachers or self.staff)


def clean_cell(text: str) -> str:
    """NFKC, invisible characters dropped, stripped; no spaces inside Chinese names."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch if unicodedata.category(ch) not in _INVISIBLE else " " for ch in text)
    text = " ".join(text.split())
    if _CJK.search(text):
        text = text.replace(" ", "")
    return text


def decode_roster_bytes(raw: bytes, path: Path | str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GBK as Chinese Excel exports it."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(path, None, "文件编码无法识别（请另存为 UTF-8 或 GBK 的 CSV）")


def _delimiter(text: str) -> str:
    """The separator the header line uses: ',' unless it has none and another one."""
    for line in text.splitlines():
        if not line.strip(" \t,，;；"):
            continue
        if "," in line:
            return ","
        for candidate in ("\t", "，", ";", "；"):
            if candidate in line:
                return candidate
        return ","
    return ","


def csv_rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every CSV row, split as `_delimiter` decides."""
    delimiter = _delimiter(text)
    rows: list[tuple[int, list[str]]] = []
    if len(delimiter) == 1 and delimiter.isascii():
        # newline="": the reader itself ends rows at \r, \n or \r\n (CR-only files come from Excel for Mac)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for row in reader:
            line_no = reader.line_num
            if len(row) == 1 and "，" in row[0]:
                row = row[0].split("，")
            rows.append((line_no, row))
    else:
        splitter = re.compile("[,，]" if delimiter == "，" else re.escape(delimiter))
        for line_no, line in enumerate(text.splitlines(), start=1):
            rows.append((line_no, splitter.split(line)))
    return rows


@dataclass(frozen=True, slots=True)
class Columns:
    """Where the role, name and subject are in a sheet's rows."""

    name: int
    role: int | None = None
    subject: int | None = None
    default_role: str | None = None  # from a header such as 学生姓名, when there is no role column
    # the third column is headed 关系 (a relation): without a role column, rows are students
    subject_is_relation: bool = False


def header_key(cell: str) -> str:
    return clean_cell(cell).replace(" ", "").strip("*＊:：").lower()


def match_header(cells: Sequence[str]) -> Columns | None:
    """The columns of a header row, or None when `cells` is not a header."""
    keys = [header_key(c) for c in cells]
    found: dict[str, int] = {}
    for index, key in enumerate(keys):
        for column, aliases in HEADER_ALIASES.items():
            if key in aliases and column not in found:
                found[column] = index
                break
    if "name" not in found:
        return None
    default_role = NAME_HEADER_ROLES.get(keys[found["name"]]) if "role" not in found else None
    is_relation = "subject" in found and keys[found["subject"]] in RELATION_HEADERS
    return Columns(found["name"], found.get("role"), found.get("subject"), default_role, is_relation)


def _looks_like_name(name: str) -> bool:
    return (
        len(name) <= 20
        and any(ch.isalpha() for ch in name)
        and not any(unicodedata.category(ch) == "Nd" for ch in name)
    )


Sheet = tuple[str, Columns, Iterable[tuple[int, Sequence[object]]]]


def read_roster_rows(
    rows: Iterable[tuple[int, Sequence[object]]], columns: Columns, path: Path | str = "<roster>", sheet: str = ""
) -> tuple[Roster, list[RowProblem]]:
    """Build a roster from data rows (header excluded); rows that cannot be read are reported."""
    return read_roster_sheets([(sheet, columns, rows)], path)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def read_roster_sheets(sheets: Iterable[Sheet], path: Path | str = "<roster>") -> tuple[Roster, list[RowProblem]]:
    """Build one roster from the data rows of one or more sheets; problems name sheet and row."""
    students: list[str] = []
    student_lines: dict[str, RowProblem] = {}
    teachers: dict[tuple[str, str], None] = {}
    staff: dict[str, None] = {}
    guardians: list[tuple[RowProblem, Guardian]] = []
    problems: list[RowProblem] = []
    sheet_order: dict[str, int] = {}

    for sheet, columns, rows in sheets:
        sheet_order.setdefault(sheet, len(sheet_order))

        def cell(cells: Sequence[str], index: int | None) -> str:
            return clean_cell(cells[index]) if index is not None and index < len(cells) else ""

        for line_no, raw in rows:
            cells = [_text(c) for c in raw]
            if not any(clean_cell(c) for c in cells):
                continue
            here = RowProblem(line_no, "", sheet)
            role_cell, name, extra = cell(cells, columns.role), cell(cells, columns.name), cell(cells, columns.subject)

            def problem(reason: str) -> None:
                problems.append(RowProblem(line_no, reason, sheet))

            if columns.role is not None:
                role = ROLE_ALIASES.get(role_cell.lower())
                if role is None:
                    if role_cell:
                        problem(f"未知的角色“{role_cell}”（应为 student/teacher/staff/guardian 或 学生/老师/员工/家长）")
                    else:
                        problem("角色为空")
                    continue
                if role_cell == "班主任":
                    extra = f"{extra}/班主任" if extra else "班主任"
            elif columns.default_role:
                role = columns.default_role
            else:
                role = "teacher" if extra and not columns.subject_is_relation else "student"
            if not name:
                problem("姓名为空")
                continue
            if not _looks_like_name(name):
                problem(f"“{name}”不像姓名")
                continue
            if role == "student":
                if name in student_lines:
                    first = student_lines[name]
                    where = f"{first.sheet} 第 {first.line} 行" if first.sheet and first.sheet != sheet else f"第 {first.line} 行"
                    problem(f"学生“{name}”重复（{where}已有）")
                    continue
                student_lines[name] = here
                students.append(name)
            elif role == "teacher":
                subjects = [s for s in (clean_cell(p) for p in SUBJECT_SPLIT.split(extra)) if s]
                if not subjects:
                    problem(f"老师“{name}”没有填写学科")
                    continue
                for subject in subjects:
                    teachers[(name, subject)] = None
            elif role == "staff":
                staff[name] = None
            else:
                if not extra:
                    problem(f"“{name}”的家长行没有填写关系（如 妈妈）")
                    continue
                guardians.append((here, Guardian(name, extra)))

    kept: list[Guardian] = []
    for here, guardian in guardians:
        if guardian.student not in student_lines:
            problems.append(RowProblem(here.line, f"家长行的学生“{guardian.student}”不在名单中", here.sheet))
        elif guardian not in kept:
            kept.append(guardian)
    problems.sort(key=lambda p: (sheet_order.get(p.sheet, 0), p.line))
    roster = Roster(
        tuple(students),
        tuple(Teacher(n, s) for n, s in teachers),
        tuple(staff),
        tuple(kept),
        source=str(path),
    )
    return roster, problems


def parse_roster_text(text: str, path: Path | str = "<roster>") -> Roster:
    """Parse roster CSV text; the first problem raises RosterError with file and line."""
    try:
        rows = [(n, cells) for n, cells in csv_rows(text) if any(clean_cell(c) for c in cells)]
    except csv.Error as exc:  # e.g. a cell larger than the csv module's field limit
        raise RosterError(path, None, f"无法按 CSV 读取：{exc}") from exc
    if not rows:
        raise RosterError(path, None, "名单为空（第一行应为表头 role,name,subject）")
    header_line, header_cells = rows[0]
    columns = match_header(header_cells)
    if columns is None:
        raise RosterError(
            path, header_line, f"第一行应为表头 role,name,subject（或 角色,姓名,学科），实际为“{','.join(header_cells)}”"
        )
    roster, problems = read_roster_rows(rows[1:], columns, path)
    if problems:
        raise RosterError(path, problems[0].line, problems[0].reason)
    return roster


def load_roster(path: Path) -> Roster:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError(path, None, f"无法读取名单：{exc.strerror}") from exc
    return parse_roster_text(decode_roster_bytes(raw, path), path)

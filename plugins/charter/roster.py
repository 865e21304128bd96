"""A class roster: students, teachers with subjects, work-team staff.

CSV with the header `role,name,subject` (design.md). Schools export from Excel, so
the reader accepts UTF-8 with or without a BOM and GBK, and skips empty rows.
Every problem names the file and the line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("student", "teacher", "staff", "guardian")


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


@dataclass(frozen=True)
class Roster:
    students: tuple[str, ...] = ()
    teachers: tuple[Teacher, ...] = ()
    staff: tuple[str, ...] = ()  # work-team members: the name used at work
    # optional rows `guardian,<student>,<relation>` that pin who may join for a student
    guardians: tuple[Guardian, ...] = ()
    source: str = ""
    student_set: frozenset[str] = field(default=frozenset(), repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "student_set", frozenset(self.students))

    def has_student(self, name: str) -> bool:
        return name in self.student_set

    def teacher_named(self, name: str) -> Teacher | None:
        return next((t for t in self.teachers if t.name == name), None)


def decode_roster_bytes(raw: bytes, path: Path | str) -> str:
    """UTF-8 (with or without BOM), else GBK as Chinese Excel exports it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(path, None, "文件编码无法识别（请另存为 UTF-8 或 GBK 的 CSV）")


def parse_roster_text(text: str, path: Path | str = "<roster>") -> Roster:
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    students: list[str] = []
    teachers: list[Teacher] = []
    staff: list[str] = []
    guardians: list[Guardian] = []
    for line_no, row in enumerate(reader, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if header is None:
            header = [c.lower() for c in cells]
            if header[:2] != ["role", "name"]:
                raise RosterError(path, line_no, f"header must be 'role,name,subject', got {','.join(cells)!r}")
            continue
        role = cells[0].lower()
        name = cells[1] if len(cells) > 1 else ""
        extra = cells[2] if len(cells) > 2 else ""
        if role not in ROLES:
            raise RosterError(path, line_no, f"unknown role {cells[0]!r}; expected one of {', '.join(ROLES)}")
        if not name:
            raise RosterError(path, line_no, "name is empty")
        if role == "student":
            students.append(name)
        elif role == "teacher":
            if not extra:
                raise RosterError(path, line_no, f"teacher {name} has no subject")
            teachers.append(Teacher(name, extra))
        elif role == "staff":
            staff.append(name)
        else:
            if not extra:
                raise RosterError(path, line_no, f"guardian row for {name} has no relation")
            guardians.append(Guardian(name, extra))
    if header is None:
        raise RosterError(path, None, "roster is empty (expected a header 'role,name,subject')")
    duplicates = sorted({s for s in students if students.count(s) > 1})
    if duplicates:
        raise RosterError(path, None, f"student listed twice: {', '.join(duplicates)}")
    unknown_students = sorted({g.student for g in guardians} - set(students))
    if unknown_students:
        raise RosterError(path, None, f"guardian rows name students not on the roster: {', '.join(unknown_students)}")
    return Roster(tuple(students), tuple(teachers), tuple(staff), tuple(guardians), source=str(path))


def load_roster(path: Path) -> Roster:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError(path, None, f"cannot read roster: {exc.strerror}") from exc
    return parse_roster_text(decode_roster_bytes(raw, path), path)

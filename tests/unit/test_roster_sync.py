"""`charterbot roster sync --class ID`: teachers and staff from WeCom's contacts, against the fake server."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from adapters.wecom.api import WeComAPI
from adapters.wecom.roster_sync import SyncError, staffing_from_contacts, subjects_in, sync_class_roster
from plugins.charter.config import ClassHeader
from plugins.charter.roster import load_roster
from tests.wecom_fake.server import FakeWeCom

ROOT = Path(__file__).resolve().parents[2]
CORP_ID, SECRET = "wwrostercorp", "roster-sync-secret-3b9f"
DEPARTMENT = 61

CLASS_FILE = """
[class]
id = "g6c1"
name = "六年一班"
charter = "class-pact"
roster = "g6c1.csv"
{department}

[[groups]]
platform = "wecom"
group_id = "wrG6c1"

[staff]
head_teacher = ["wecom:T100"]
"""
OLD_ROSTER = "role,name,subject\nteacher,赵旧,美术\nstudent,陈晨,\nstudent,林小雨,\nguardian,陈晨,妈妈\n"

USERS = [
    {"userid": "T100", "name": "王芳", "department": [DEPARTMENT], "position": "语文老师/班主任", "status": 1},
    {"userid": "T101", "name": "李强", "department": [DEPARTMENT, 1], "position": "数学教师", "status": 1},
    {"userid": "T102", "name": "刘洋", "department": [62, DEPARTMENT], "position": "英文", "status": 4},
    {"userid": "S200", "name": "周敏", "department": [DEPARTMENT], "position": "校医", "status": 1},
    {"userid": "S201", "name": "孙丽", "department": [DEPARTMENT], "position": "教师", "status": 1},
    {"userid": "T103", "name": "钱进", "department": [DEPARTMENT], "position": "体育老师", "status": 5},
    {"userid": "T104", "name": "吴越", "department": [62], "position": "音乐老师", "status": 1},
]


@pytest.fixture
async def fake() -> AsyncIterator[FakeWeCom]:
    async with FakeWeCom(corp_id=CORP_ID, secret=SECRET, users=USERS) as server:
        yield server


def _class_dir(tmp_path: Path, department: str = f"wecom_department = {DEPARTMENT}") -> Path:
    classes = tmp_path / "config" / "classes"
    classes.mkdir(parents=True)
    (classes / "g6c1.toml").write_text(CLASS_FILE.format(department=department), encoding="utf-8")
    (classes / "g6c1.csv").write_text(OLD_ROSTER, encoding="utf-8")
    return classes


def test_subjects_from_positions() -> None:
    assert subjects_in("语文老师/班主任") == ["语文", "班主任"]
    assert subjects_in("班主任、数学") == ["班主任", "数学"]
    assert subjects_in("道法教师") == ["道德与法治"]
    assert subjects_in("校医") == [] and subjects_in("") == []
    staffing = staffing_from_contacts([*USERS, USERS[0]])  # listed twice: once in the roster
    assert [t.name for t in staffing.teachers] == ["王芳", "王芳", "李强", "刘洋", "吴越"]


async def test_sync_writes_teachers_and_staff_and_keeps_students(tmp_path: Path, fake: FakeWeCom) -> None:
    classes = _class_dir(tmp_path)
    api = WeComAPI(CORP_ID, SECRET, base_url=fake.base_url)
    try:
        report = await sync_class_roster(classes / "g6c1.toml", api)
    finally:
        await api.aclose()
    roster = load_roster(classes / "g6c1.csv")  # what was written parses as a roster
    assert [(t.name, t.subject) for t in roster.teachers] == [
        ("王芳", "语文"), ("王芳", "班主任"), ("李强", "数学"), ("刘洋", "英语")]
    assert roster.staff == ("周敏", "孙丽")
    assert roster.students == ("陈晨", "林小雨") and roster.guardians_of("陈晨") == ("妈妈",)
    assert "吴越" not in roster.teacher_names  # another department
    assert report.added == ("王芳", "李强", "刘洋", "周敏", "孙丽") and report.removed == ("赵旧",)
    summary = report.summary()
    assert "老师 3 人，员工 2 人" in summary and "保留学生 2 人" in summary
    assert "移除：赵旧" in summary and "钱进（已离职）" in summary
    assert "记为员工" in summary and "孙丽" in summary
    assert fake.calls["user/list"] == 1 and fake.calls["gettoken"] == 1


async def test_without_a_department_nothing_is_written(tmp_path: Path, fake: FakeWeCom) -> None:
    classes = _class_dir(tmp_path, department="")
    api = WeComAPI(CORP_ID, SECRET, base_url=fake.base_url)
    try:
        with pytest.raises(SyncError, match="wecom_department"):
            await sync_class_roster(classes / "g6c1.toml", api)
        report = await sync_class_roster(classes / "g6c1.toml", api, department=DEPARTMENT, dry_run=True)
    finally:
        await api.aclose()
    assert not report.written and "将写入" in report.summary()
    assert (classes / "g6c1.csv").read_text(encoding="utf-8") == OLD_ROSTER
    assert fake.calls["user/list"] == 1


def test_the_department_field_is_validated() -> None:
    base = {"id": "g1", "name": "一班", "charter": "class-pact"}
    assert ClassHeader.model_validate({**base, "wecom_department": 61}).wecom_department == 61
    assert ClassHeader.model_validate(base).wecom_department is None
    with pytest.raises(ValidationError):
        ClassHeader.model_validate({**base, "wecom_department": 0})


async def _charterbot(config_dir: Path, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WECOM_", "CHARTERBOT_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys; from bot import cli; sys.argv[0] = 'charterbot'; cli()", *args,
        cwd=config_dir.parent, env={**clean, "PYTHONPATH": str(ROOT), "CHARTERBOT_CONFIG_DIR": str(config_dir), **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode(), err.decode()


async def test_the_command_line_against_the_fake_server(tmp_path: Path, fake: FakeWeCom) -> None:
    classes = _class_dir(tmp_path)
    settings = {"WECOM_CORP_ID": CORP_ID, "WECOM_SECRET": SECRET, "WECOM_API_BASE": fake.base_url}
    code, out, err = await _charterbot(classes.parent, settings, "roster", "sync", "--class", "g6c1")
    assert code == 0, err
    assert "六年一班（g6c1）" in out and "老师 3 人" in out
    assert load_roster(classes / "g6c1.csv").teacher_named("王芳") is not None

    wrong = {**settings, "WECOM_SECRET": "not-the-secret-value"}
    code, out, err = await _charterbot(classes.parent, wrong, "roster", "sync", "--class", "g6c1")
    assert code == 1 and "40001" in err and "not-the-secret-value" not in err + out

    code, _, err = await _charterbot(classes.parent, settings, "roster", "sync", "--class", "nope")
    assert code == 1 and "nope" in err

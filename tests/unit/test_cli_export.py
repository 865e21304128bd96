"""`charterbot check` and `charterbot export-log`: what an IT admin runs by hand."""

from __future__ import annotations

import asyncio
import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from plugins.charter.cli import main
from plugins.charter.database import create_engine, migrate
from plugins.charter.store import Store
from plugins.charter.tables import AuditRecord


async def seed(url: str) -> None:
    engine = create_engine(url)
    await migrate(engine)
    await Store(engine).audit([
        AuditRecord(created_at=datetime(2026, 9, 1, 8, tzinfo=UTC), class_id="g3c2", platform="qq", group_id="900001",
                    rule_id="content.ads", account_key="qq:30001", action="recall", excerpt="加V：abc_123"),
        AuditRecord(created_at=datetime(2026, 11, 2, 8, tzinfo=UTC), class_id="g3c2", platform="qq", group_id="900001",
                    rule_id="content.ads", account_key="qq:30001", action="remind_private", ok=False,
                    detail="not a friend", excerpt="加V：abc_123"),
        AuditRecord(created_at=datetime(2026, 11, 3, 8, tzinfo=UTC), class_id="other", action="recall"),
    ])
    await engine.dispose()


def test_export_log_writes_the_class_records_since_the_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}"
    asyncio.run(seed(url))
    monkeypatch.setenv("CHARTERBOT_DATABASE_URL", url)
    monkeypatch.setenv("CHARTERBOT_CONFIG_DIR", "config")
    out = tmp_path / "log.csv"
    assert main(["export-log", "--class", "g3c2", "--since", "2026-10-01", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [(r["action"], r["ok"], r["detail"]) for r in rows] == [("remind_private", "0", "not a friend")]
    assert rows[0]["excerpt"] == "加V：abc_123" and rows[0]["rule"] == "content.ads"


def test_export_log_refuses_an_unknown_class(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("CHARTERBOT_CONFIG_DIR", "config")
    assert main(["export-log", "--class", "nope", "--since", "2026-10-01"]) == 1
    assert "unknown class 'nope'" in capsys.readouterr().err


def test_check_prints_what_each_class_enforces(capsys: pytest.CaptureFixture) -> None:
    assert main(["check", "config"]) == 0
    out = capsys.readouterr().out
    assert "g3c2 三年二班: charter school-full" in out and "content.ads" in out and "ok: 1 class(es)" in out


def test_check_names_the_file_and_field_of_a_mistake(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import shutil

    shutil.copytree("config", tmp_path / "config")
    bad = tmp_path / "config" / "classes" / "g3c2.toml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('[rules."content.links"]', '[rules."content.linkz"]'),
                   encoding="utf-8")
    assert main(["check", str(tmp_path / "config")]) == 1
    err = capsys.readouterr().err
    assert "g3c2.toml" in err and 'rules."content.linkz"' in err and "unknown rule id" in err

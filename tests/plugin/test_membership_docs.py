"""Every example of docs/membership.md, checked against the code."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from plugins.charter.catalogue import RULES
from plugins.charter.cli import main
from plugins.charter.config import Charter, load_charter, load_defaults
from plugins.charter.model import MemberInfo, Role
from plugins.charter.roster import Roster, load_roster
from plugins.charter.runtime import get_runtime
from plugins.membership.audit import parse_remove_selection
from plugins.membership.events import hold_text
from plugins.membership.for_class import audit, audit_text, join_decision, reminder_for
from plugins.membership.join import judge_join_request
from plugins.membership.naming import check_display_name
from plugins.membership.sweep import selection_text

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "membership.md").read_text("utf-8")
CLASS = "g3c2"


def example(name: str) -> str:
    """The table or code block after `<!-- example: name -->`."""
    marker = f"<!-- example: {name} -->\n"
    assert marker in DOC, f"no example {name!r} in docs/membership.md"
    rest = DOC.split(marker, 1)[1]
    if rest.startswith("```"):
        return rest.split("\n", 1)[1].split("\n```", 1)[0]
    return rest.split("\n\n", 1)[0]


def table(name: str) -> list[list[str]]:
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in example(name).splitlines()]
    return rows[2:]  # header and rule


def doc_roster(tmp_path: Path) -> Roster:
    block = DOC.split("```csv\n", 1)[1].split("\n```", 1)[0]
    (tmp_path / "roster.csv").write_text(block + "\n", "utf-8")
    return load_roster(tmp_path / "roster.csv")


def charter(name: str) -> Charter:
    config = ROOT / "config"
    return load_charter(config / "charters" / f"{name}.toml", load_defaults(config))


def rule(charter_: Charter, rule_id: str):  # type: ignore[no-untyped-def]
    return RULES[rule_id].model_validate(charter_.rule_values[rule_id])


def verdict_cell(name: str, roster: Roster, charter_name: str, role: Role) -> str:
    c = charter(charter_name)
    verdict = check_display_name(name, roster, rule(c, "membership.real_name"), rule(c, "membership.roster"), role)
    if verdict.ok:
        return "✓"
    return f"✗ → {verdict.expected[0]}" if verdict.expected else "✗"


@pytest.mark.parametrize(("example_name", "role", "charters"), [
    ("parent-names", Role.UNKNOWN, ("school-full", "class-pact", "parents-pact")),
    ("teacher-names", Role.TEACHER, ("school-full",)),
    ("work-team-names", Role.UNKNOWN, ("work-team",)),
])
def test_naming_tables(tmp_path: Path, example_name: str, role: Role, charters: tuple[str, ...]) -> None:
    roster = doc_roster(tmp_path)
    rows = table(example_name)
    assert len(rows) >= 3
    for name, *cells in rows:
        assert cells == [verdict_cell(name, roster, c, role) for c in charters], name


def test_teacher_forms_are_the_same_on_every_charter(tmp_path: Path) -> None:
    roster = doc_roster(tmp_path)
    for name, cell in table("teacher-names"):
        for other in ("class-pact", "parents-pact"):
            assert verdict_cell(name, roster, other, Role.TEACHER) == cell, (name, other)


def test_join_answers(tmp_path: Path) -> None:
    roster = doc_roster(tmp_path)
    for answer, charter_name, outcome in table("join-answers"):
        decision = judge_join_request(answer, roster, rule(charter(charter_name), "membership.roster"))
        assert ("同意" if decision.approve else f"转班主任：{decision.reason}") == outcome, answer


def test_the_reminder_and_the_held_request_read_as_documented() -> None:
    cls = get_runtime().config.classes[CLASS]
    assert reminder_for(cls, "张子涵妈", Role.UNKNOWN) == example("reminder")
    comment = "问题：孩子姓名和您的身份\n答案：我是张子涵的家长"
    assert hold_text(cls, join_decision(cls, comment), "30021", comment, 7) == example("join-hold")


def test_the_audit_report_and_the_removal_list() -> None:
    cls = get_runtime().config.classes[CLASS]
    members = [MemberInfo(qq, card, admin == "✓") for qq, card, admin in table("audit-members")]
    report = audit(cls, "qq", members)
    assert audit_text(cls, report) == example("audit-report")
    assert selection_text(parse_remove_selection("1 3", report)) == example("audit-remove")
    assert [e.number for e in parse_remove_selection("2-4", report)] == [2, 3, 4]


def test_the_roster_import_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config"
    (config / "classes").mkdir(parents=True)
    (config / "classes" / "g3c2.toml").write_text((ROOT / "config" / "classes" / "g3c2.toml").read_text("utf-8"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    for row in table("roster-sheet"):
        sheet.append([cell or None for cell in row])
    source = tmp_path / "名单.xlsx"
    book.save(source)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHARTERBOT_CONFIG_DIR", "config")

    command, *expected = example("roster-import").splitlines()
    args = re.sub(r"^\$ CHARTERBOT_CONFIG_DIR=config charterbot ", "", command).split()
    assert main(args) == 2
    out, err = capsys.readouterr()
    shown = out.splitlines()[:1] + err.splitlines()
    assert [line.replace(str(config.resolve()), "config") for line in shown] == expected
    assert load_roster(config / "classes" / "g3c2.csv").students == ("张子涵", "周雨桐")

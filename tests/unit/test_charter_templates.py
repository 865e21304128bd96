"""The six charter templates in config/charters/ against their source charters.

Each template must load over the product defaults, map every clause of its source
charter (verbatim, in order) to at least one rule, enable exactly the rules its
clauses call for, and carry that charter's own parameters.

The source charters live in ../shared/charters beside the repository. When they
are missing, the comparisons with the sources fail: they never skip.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# `.venv/bin/pytest` does not put the repository root on sys.path (pyproject.toml
# sets no pytest `pythonpath` and the package is not installed), so make the
# import work from any working directory.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from plugins.charter.config import Charter, load_charter, load_config_dir, load_defaults  # noqa: E402

CONFIG = ROOT / "config"
SOURCES = ROOT.parent / "shared" / "charters"

# template name -> (source file, kind)
TEMPLATES = {
    "school-full": ("1-school-full.md", "school"),
    "work-team": ("2-work-team.md", "work"),
    "school-short": ("3-school-short.md", "school"),
    "kindergarten": ("4-kindergarten.md", "kindergarten"),
    "class-pact": ("5-class-pact.md", "school"),
    "parents-pact": ("6-parents-pact.md", "school"),
}

# The non-escalation rules each charter turns on (the decisions the templates record).
# content.chitchat is mapped in five charters but ships off (charter-rules.md), see below.
ENABLED = {
    "school-full": {
        "membership.real_name", "membership.roster", "membership.invites", "membership.audit",
        "content.flood", "content.ads", "content.abuse", "content.banned", "content.student_privacy",
        "content.report",
        "timing.teacher_unavailable", "timing.response_sla", "timing.notice_receipts",
    },
    "work-team": {
        "membership.real_name", "membership.roster", "membership.audit",
        "content.links", "content.banned", "content.confidential", "content.report",
        "timing.quiet_hours", "timing.response_sla",
    },
    "school-short": {
        "content.flood", "content.links", "content.abuse", "content.banned",
        "content.confidential", "content.report",
    },
    "kindergarten": {
        "content.links", "content.ads", "content.banned", "content.student_privacy",
        "content.leave_requests", "content.report",
        "timing.quiet_hours",
    },
    "class-pact": {
        "membership.real_name", "membership.roster",
        "content.abuse", "content.banned", "content.report",
    },
    "parents-pact": {
        "membership.real_name", "membership.roster", "membership.invites",
        "content.links", "content.ads", "content.abuse", "content.banned", "content.student_privacy",
        "content.ack_replies", "content.report",
        "timing.teacher_unavailable", "timing.notice_receipts",
    },
}

# rules a clause may cite although they ship off: a class switches them on
SHIPS_OFF = {"content.chitchat"}

NUMBERED = re.compile(r"^(\d+)\.\s*(\S.*)$", re.MULTILINE)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def defaults() -> dict:
    return load_defaults(CONFIG)


@pytest.fixture(scope="module")
def charters(defaults) -> dict[str, Charter]:
    return {name: load_charter(CONFIG / "charters" / f"{name}.toml", defaults) for name in TEMPLATES}


def source_text(name: str) -> str:
    path = SOURCES / TEMPLATES[name][0]
    if not path.is_file():
        pytest.fail(f"source charter {path} is missing: the templates cannot be checked against it "
                    f"(expected ../shared/charters beside the repository)")
    return path.read_text(encoding="utf-8")


def enabled(charter: Charter) -> set[str]:
    return {rule_id for rule_id, values in charter.rule_values.items() if values["enabled"]}


# --- loading and shape ------------------------------------------------------


def test_all_six_templates_exist():
    on_disk = {p.stem for p in (CONFIG / "charters").glob("*.toml")}
    assert set(TEMPLATES) <= on_disk


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_loads_with_header(name, charters):
    charter = charters[name]
    source, kind = TEMPLATES[name]
    assert charter.id == name
    assert charter.source == source
    assert charter.kind == kind
    assert charter.title.startswith("班级微信群规章制度 ")


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_clause_maps_to_an_enabled_rule(name, charters):
    charter = charters[name]
    on = enabled(charter)
    for clause in charter.clauses:
        assert clause.rules, f"{name} {clause.ref}: no rule"
        assert len(set(clause.rules)) == len(clause.rules), f"{name} {clause.ref}: rule listed twice"
        off = [r for r in clause.rules if r not in on and r not in SHIPS_OFF]
        assert not off, f"{name} {clause.ref}: cites rule(s) the template leaves off: {off}"
        assert any(r in on for r in clause.rules), f"{name} {clause.ref}: no rule enforces it as shipped"


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_enabled_rule_is_cited(name, charters):
    charter = charters[name]
    uncited = sorted(r for r in enabled(charter) if not r.startswith("escalation.") and not charter.clauses_for(r))
    assert not uncited, f"{name}: enabled but no clause calls for {uncited}"


@pytest.mark.parametrize("name", TEMPLATES)
def test_enabled_rules_are_the_charters(name, charters):
    on = {r for r in enabled(charters[name]) if not r.startswith("escalation.")}
    assert on == ENABLED[name]


@pytest.mark.parametrize("name", TEMPLATES)
def test_clause_texts_are_chinese_and_refs_unique(name, charters):
    charter = charters[name]
    refs = [c.ref for c in charter.clauses]
    assert len(refs) == len(set(refs)), f"{name}: duplicate refs"
    for clause in charter.clauses:
        assert clause.ref.strip()
        assert clause.text.strip() == clause.text and clause.text, f"{name} {clause.ref}: empty or padded text"
        assert CJK.search(clause.text), f"{name} {clause.ref}: not Chinese"


# --- against the source charters ---------------------------------------------


@pytest.mark.parametrize("name", TEMPLATES)
def test_title_is_the_sources(name, charters):
    first = source_text(name).splitlines()[0]
    assert first.startswith("# ")
    assert charters[name].title == first[2:].strip()


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_numbered_source_clause_is_in_the_template(name, charters):
    source = source_text(name)
    numbered = NUMBERED.findall(source)
    assert numbered, f"{name}: no numbered clauses found in the source"
    texts = [c.text for c in charters[name].clauses]
    for number, text in numbered:
        assert text.strip() in texts, f"{name}: source clause {number}. missing or not verbatim: {text}"
    # the template's numbered clauses are exactly the source's: same count, same numbers
    template_numbers = [m.group(0) for c in charters[name].clauses if (m := re.search(r"\d+$", c.ref))]
    assert template_numbers == [number for number, _ in numbered]


@pytest.mark.parametrize("name", TEMPLATES)
def test_clauses_are_verbatim_and_in_source_order(name, charters):
    source = source_text(name)
    position = -1
    for clause in charters[name].clauses:
        found = source.find(clause.text, position + 1)
        assert found > position, f"{name} {clause.ref}: not verbatim in the source, or out of order"
        position = found


# --- each charter's own parameters -------------------------------------------


def values(charters, name: str, rule_id: str) -> dict:
    return charters[name].rule_values[rule_id]


def test_school_full_parameters(charters):
    v = lambda rule_id: values(charters, "school-full", rule_id)  # noqa: E731
    assert v("membership.real_name")["allow_student_name_alone"] is True
    assert v("membership.real_name")["staff_name_only"] is False
    for rule_id in ("membership.invites", "membership.audit", "escalation.chain", "escalation.ladder",
                    "escalation.teachers"):
        assert v(rule_id)["enabled"] is True, rule_id
    assert v("escalation.chain")["levels"] == ["office", "leaders"]
    assert v("content.flood")["repeat"] == 3
    assert v("content.links")["enabled"] is False
    assert v("timing.quiet_hours")["enabled"] is False
    # 二（一）5: the group is not a platform for demanding replies from parents
    assert "remind" not in v("timing.notice_receipts")["action"]


def test_work_team_parameters(charters):
    v = lambda rule_id: values(charters, "work-team", rule_id)  # noqa: E731
    assert v("timing.quiet_hours")["quiet"] == ["23:00-06:00"]
    assert v("timing.response_sla")["minutes"] == 20
    assert v("timing.response_sla")["allowed_hours"] == ["06:00-23:00"]
    assert v("membership.real_name")["staff_name_only"] is True
    assert v("content.links")["scope"] == "harmful"  # company links allowed
    assert v("content.confidential")["enabled"] is True
    assert v("membership.invites")["enabled"] is False


def test_school_short_parameters(charters):
    v = lambda rule_id: values(charters, "school-short", rule_id)  # noqa: E731
    assert v("content.links")["enabled"] is True
    assert v("content.links")["scope"] == "all"
    assert v("content.flood")["repeat"] == 3
    assert v("content.confidential")["enabled"] is True
    assert v("membership.real_name")["enabled"] is False


def test_kindergarten_parameters(charters):
    v = lambda rule_id: values(charters, "kindergarten", rule_id)  # noqa: E731
    assert v("timing.quiet_hours")["quiet"] == ["13:00-14:30", "21:30-07:00"]
    assert v("content.links")["scope"] == "harmful"
    assert v("content.leave_requests")["enabled"] is True
    assert v("escalation.severe")["enabled"] is True
    assert v("membership.roster")["enabled"] is False


def test_class_pact_parameters(charters):
    v = lambda rule_id: values(charters, "class-pact", rule_id)  # noqa: E731
    assert v("escalation.ladder")["enabled"] is True
    assert v("escalation.ladder")["steps"] == ["remind", "notice", "remove"]
    assert charters["class-pact"].clauses_for("escalation.ladder")[-1].ref == "10"
    assert v("membership.real_name")["allow_student_name_alone"] is False


def test_parents_pact_parameters(charters):
    v = lambda rule_id: values(charters, "parents-pact", rule_id)  # noqa: E731
    assert v("membership.roster")["relations"] == ["爸爸", "妈妈"]
    assert v("membership.real_name")["allow_student_name_alone"] is False
    for rule_id in ("content.ack_replies", "timing.notice_receipts", "timing.teacher_unavailable",
                    "membership.invites"):
        assert v(rule_id)["enabled"] is True, rule_id
    assert v("content.links")["scope"] == "harmful"


# --- the example class --------------------------------------------------------


def test_config_dir_loads_the_example_class():
    loaded = load_config_dir(CONFIG)
    assert "g3c2" in loaded.classes
    g3c2 = loaded.classes["g3c2"]
    assert g3c2.charter.id == "school-full"
    assert g3c2.rule_mode("content.flood") == "on"
    assert g3c2.settings("membership.real_name").allow_student_name_alone is True
    # the class file's own override lands on top of the charter
    assert g3c2.settings("content.links").allow == ("school.example.edu.cn",)


@pytest.mark.parametrize("name", ["school-full", "work-team", "school-short", "class-pact", "parents-pact"])
def test_chitchat_is_mapped_but_ships_off(name: str, defaults: dict) -> None:
    charter = load_charter(Path("config/charters") / f"{name}.toml", defaults)
    assert charter.clauses_for("content.chitchat")
    assert charter.rule_values["content.chitchat"]["enabled"] is False

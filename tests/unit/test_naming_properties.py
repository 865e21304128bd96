"""Properties: the membership functions never raise on arbitrary text, and verdicts are consistent."""

from __future__ import annotations

import tomllib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.charter.catalogue import RealNameSettings, RosterSettings
from plugins.charter.model import Role
from plugins.charter.roster import load_roster
from plugins.membership.identity import person_key_for
from plugins.membership.join import judge_join_request
from plugins.membership.naming import NameCode, check_display_name, expected_forms
from plugins.membership.text import compact

ROOT = Path(__file__).resolve().parents[2]
ROSTER = load_roster(ROOT / "tests" / "data" / "rosters" / "g1c1.csv")
TEAM = load_roster(ROOT / "tests" / "data" / "rosters" / "team.csv")
RULES = tomllib.loads((ROOT / "config" / "charters" / "defaults" / "membership.toml").read_text("utf-8"))["rules"]
REAL_NAME = RealNameSettings.model_validate(RULES["membership.real_name"])
ALONE = RealNameSettings.model_validate({**RULES["membership.real_name"], "allow_student_name_alone": True})
WORK = RealNameSettings.model_validate({**RULES["membership.real_name"], "staff_name_only": True})
RELATIONS = RosterSettings.model_validate(RULES["membership.roster"])

HINTS = st.sampled_from([None, *Role])
PIECES = st.sampled_from(
    ["张子涵", "王芳", "语文", "妈妈", "爸", "老师", "的", "班主任", "欧阳", "-", "（", ")", "🌸", "\u200b", "子涵",
     "李", "数学", "家长", "爷爷", "張", "媽", "3", "广告", " ", "ღ", "の", "王可", "欣"]
)
NAMEISH = st.lists(PIECES, max_size=6).map("".join)
TEXT = st.one_of(st.text(max_size=40), NAMEISH)


@settings(max_examples=400, deadline=None)
@given(TEXT, HINTS)
def test_check_display_name_never_raises(name: str, hint: Role | None) -> None:
    for real_name, roster in ((REAL_NAME, ROSTER), (ALONE, ROSTER), (WORK, TEAM)):
        verdict = check_display_name(name, roster, real_name, RELATIONS, hint)
        assert isinstance(verdict.ok, bool)
        assert verdict.ok == (verdict.code in (NameCode.OK, NameCode.EXEMPT))
        assert verdict.ok or verdict.reason
        assert verdict.normalised == compact(name)
        if verdict.person_key is not None:
            assert verdict.ok


@settings(max_examples=300, deadline=None)
@given(TEXT, HINTS)
def test_suggestions_pass_themselves(name: str, hint: Role | None) -> None:
    """Every exact form the bot suggests is a name the bot accepts (same role)."""
    for form in expected_forms(name, ROSTER, REAL_NAME, RELATIONS, hint):
        verdict = check_display_name(form, ROSTER, REAL_NAME, RELATIONS, hint)
        assert verdict.ok or hint in (Role.PARENT, Role.UNKNOWN) and verdict.code is NameCode.TEACHER_NOT_STAFF, (
            name, form, verdict,
        )


@settings(max_examples=300, deadline=None)
@given(TEXT, HINTS)
def test_person_key_and_join_never_raise(text: str, hint: Role | None) -> None:
    key = person_key_for(text, ROSTER, REAL_NAME, RELATIONS, hint)
    assert key is None or key.split(":")[0] in ("guardian", "teacher", "staff")
    decision = judge_join_request(text, ROSTER, RELATIONS)
    assert decision.approve == (decision.person_key is not None)
    assert decision.approve or decision.reason


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ROSTER.students), st.sampled_from(["爸爸", "妈妈", "爷爷", "奶奶", "外公", "外婆"]),
       st.sampled_from(["", "-", " ", "的", "🌸", "【"]))
def test_every_roster_student_and_relation_passes(student: str, relation: str, decoration: str) -> None:
    outer = "" if decoration == "的" else decoration
    name = f"{outer}{student}{decoration}{relation}{outer}"
    verdict = check_display_name(name, ROSTER, REAL_NAME, RELATIONS, Role.PARENT)
    pinned = ROSTER.guardians_of(student)
    assert verdict.ok == (not pinned or relation in pinned)
    if verdict.ok:
        assert verdict.person_key == f"guardian:{student}:{relation}"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=20), HINTS)
def test_any_code_point_including_lone_surrogates(name: str, hint: Role | None) -> None:
    """Text from a JSON bridge may hold lone surrogates; they must not reach OpenCC."""
    verdict = check_display_name(f"张子涵\udbd9妈妈{name}", ROSTER, REAL_NAME, RELATIONS, hint)
    assert isinstance(verdict.code, NameCode)
    assert check_display_name("张子涵\udbd9妈妈", ROSTER, REAL_NAME, RELATIONS, Role.PARENT).ok
    judge_join_request(f"答案：张子涵\ud800妈妈{name}", ROSTER, RELATIONS)

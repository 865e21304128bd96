"""membership.roster at the door: join requests and invitations.

Join requests (QQ `request.group`) carry the applicant's answer. It is approved
when it names exactly one roster student and exactly one relation the charter
permits (and the roster's guardian rows, when the student has any, list it):
"张子涵妈妈", "我是张子涵的爸爸", "三年二班张子涵 家长 妈妈", "張子涵媽媽".
Everything else is held for the head teacher with the reason: no student, a
student not on the roster, two students, no relation or only "家长", a relation
the charter does not admit, several relations, or someone saying they are a
teacher (never approved automatically: anyone can type a teacher's name).

QQ sends the comment as "问题：...\\n答案：..."; only the answer is read, so a
question that mentions 爸爸/妈妈 does not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from plugins.charter.catalogue import RosterSettings
from plugins.charter.model import Role
from plugins.charter.roster import Roster

from .naming import roster_index
from .text import canonical_relation, compact, relation_words


class JoinCode(StrEnum):
    APPROVE = "approve"
    EMPTY = "empty"  # no answer at all
    NO_ROSTER = "no_roster"  # the class has no students on its roster
    NO_STUDENT = "no_student"  # no roster student named
    SEVERAL_STUDENTS = "several_students"
    NO_RELATION = "no_relation"
    SEVERAL_RELATIONS = "several_relations"
    RELATION_NOT_ALLOWED = "relation_not_allowed"
    RELATION_NOT_ON_ROSTER = "relation_not_on_roster"
    TEACHER_CLAIM = "teacher_claim"


@dataclass(frozen=True, slots=True)
class JoinDecision:
    approve: bool
    code: JoinCode
    reason: str  # Simplified Chinese, for the head teacher (empty when approved)
    student: str | None = None  # roster spelling
    relation: str | None = None  # canonical relation
    teacher: str | None = None  # for TEACHER_CLAIM: the roster teacher named

    @property
    def person_key(self) -> str | None:
        if self.approve and self.student and self.relation:
            return f"guardian:{self.student}:{self.relation}"
        return None

    @property
    def expected_name(self) -> str | None:
        """The display name the newcomer should use, when known ("张子涵妈妈")."""
        if self.student and self.relation:
            return f"{self.student}{self.relation}"
        return None


_ANSWER = re.compile(r"答案\s*[:：]")


def answer_of(comment: str) -> str:
    """The answer part of a QQ join comment ("问题：...\\n答案：..."), else the whole comment."""
    matches = list(_ANSWER.finditer(comment or ""))
    return comment[matches[-1].end():] if matches else (comment or "")


def _find_all(text: str, words: list[tuple[str, str]]) -> tuple[list[str], str]:
    """Values of `words` (key -> value, longest keys first) found in `text`, and text with them masked."""
    found: list[str] = []
    masked = list(text)
    position = 0
    while position < len(text):
        for key, value in words:
            if key and text.startswith(key, position):
                found.append(value)
                masked[position:position + len(key)] = ["\0"] * len(key)
                position += len(key)
                break
        else:
            position += 1
    return found, "".join(masked)


def _hold(code: JoinCode, reason: str, **fields: str | None) -> JoinDecision:
    return JoinDecision(False, code, reason, **fields)  # type: ignore[arg-type]


def judge_join_request(comment: str, roster: Roster, roster_rules: RosterSettings) -> JoinDecision:
    """Approve a join request that names a roster student and a permitted relation; else hold it."""
    text = compact(answer_of(comment))
    if not text:
        return _hold(JoinCode.EMPTY, "申请没有填写答案，无法核对身份。")
    index = roster_index(roster)
    if not index.students:
        return _hold(JoinCode.NO_ROSTER, "本班名单中还没有学生，无法自动核对。")
    students, rest = _find_all(text, list(index.students))
    distinct = list(dict.fromkeys(students))
    words = relation_words(roster_rules.relations)
    relation_list = sorted(((w, c) for w, (c, _) in words.items()), key=lambda p: -len(p[0]))
    relations, _ = _find_all(rest, relation_list)
    distinct_relations = list(dict.fromkeys(relations))
    if not distinct:
        teachers, _ = _find_all(text, list(index.teachers))
        if teachers:
            return _hold(
                JoinCode.TEACHER_CLAIM, f"申请中写的是老师“{teachers[0]}”，请您核实后处理。", teacher=teachers[0]
            )
        return _hold(JoinCode.NO_STUDENT, "申请中没有本班名单上的学生姓名。")
    if len(distinct) > 1:
        return _hold(JoinCode.SEVERAL_STUDENTS, f"申请中有多名学生（{'、'.join(distinct)}），请您确认。")
    student = distinct[0]
    if not distinct_relations:
        return _hold(JoinCode.NO_RELATION, f"申请中写了学生{student}，但没有写明是爸爸、妈妈等哪位家长。", student=student)
    if len(distinct_relations) > 1:
        return _hold(
            JoinCode.SEVERAL_RELATIONS,
            f"申请中写了学生{student}，但身份不明确（{'、'.join(distinct_relations)}）。",
            student=student,
        )
    relation = distinct_relations[0]
    permitted = [canonical_relation(r) for r in roster_rules.relations]
    if relation not in permitted:
        return _hold(
            JoinCode.RELATION_NOT_ALLOWED,
            f"申请人是{student}的{relation}，群规只接纳{'、'.join(dict.fromkeys(permitted))}。",
            student=student, relation=relation,
        )
    pinned = index.pinned.get(student)
    if pinned and relation not in pinned:
        return _hold(
            JoinCode.RELATION_NOT_ON_ROSTER,
            f"申请人是{student}的{relation}，名单登记的是{'、'.join(pinned)}。",
            student=student, relation=relation,
        )
    return JoinDecision(True, JoinCode.APPROVE, "", student, relation)


def format_join_hold(decision: JoinDecision, applicant: str, comment: str, class_name: str) -> str:
    """The head teacher's note about a held request (the command to answer it is added by the caller)."""
    answer = " ".join(answer_of(comment).split())[:80] or "（空）"
    return f"【{class_name}】有一条入群申请需要您处理：\n申请人：{applicant}\n填写：{answer}\n原因：{decision.reason}"


# --- invitations --------------------------------------------------------------------


def is_suspicious_invite(inviter_role: Role | None, inviter_is_admin: bool = False) -> bool:
    """True when someone who is neither class staff nor a group admin brought a member in.

    Call it only when the platform names an inviter other than the newcomer; a
    member who joined through an approved request or a link has no inviter.
    `inviter_role` is the inviter's role in the class (None or PARENT/UNKNOWN for
    non-staff).
    """
    if inviter_is_admin:
        return False
    return inviter_role is None or not inviter_role.is_staff


def format_invite_notice(class_name: str, newcomer: str, inviter: str) -> str:
    """The head teacher's note about such an invitation; the newcomer is still checked."""
    return (
        f"【{class_name}】{inviter} 邀请 {newcomer} 进群（邀请人不是老师或管理员）。"
        "群规要求未经同意不得拉人进群，请您确认是否保留；新成员仍会按名单和实名规则核对。"
    )

"""membership.real_name: does a display name follow the charter's naming rule?

The rules (charter-rules.md, charters 1, 2, 5, 6):

- teacher: subject + name, matched against the roster. Accepted forms, for a
  roster teacher 王芳 of 语文: "语文王芳", "语文-王芳", "语文 王芳", "王芳(语文)",
  "王芳（语文）", "语文王芳老师", "语文王老师" (surname + 老师, when exactly one
  roster teacher of that subject has that surname). A title such as 班主任 counts
  as the subject when the roster lists it as the teacher's subject or the account
  is the class's head teacher ("班主任王芳"). Subject aliases (道法 = 道德与法治,
  信息技术 = 信息 ...) are folded.
- parent: student + relation, the student on the roster and the relation one the
  charter permits (RosterSettings.relations; guardian rows of the roster narrow it
  for one student): "张子涵妈妈", "张子涵-爸爸", "张子涵 妈妈", "张子涵的妈妈",
  "张子涵(妈妈)". Formal words count as the relation (父亲 = 爸爸, 姥姥 = 外婆 ...).
  With RealNameSettings.allow_student_name_alone (charter 1) the student's name
  alone passes too.
- work team (RealNameSettings.staff_name_only, charter 2): the name on the staff list.

Decorations are forgiven, added words are not: every comparison uses
`text.compact` (NFKC, traditional -> simplified, no spaces, punctuation, emoji or
symbols), so "【張子涵媽媽】🌸" passes; but any letters or digits beyond the form
("张子涵妈妈广告", "三年二班张子涵妈妈", "张子涵妈妈13812345678") fail with
EXTRA_TEXT and the clean form as the expected name.

The role hint says who the account is, from the class file's [staff]:

- head teacher / teacher: the teacher form is expected;
- office / leader: exempt (EXEMPT, ok), they are not class members by the roster;
- parent / unknown: a name that claims a roster teacher fails with
  TEACHER_NOT_STAFF, since impersonating a teacher is how fee scams start;
- None: any form is accepted (a pure naming check).

Expected forms are only ever the member's own identity written correctly: a
relation the charter does not admit gets no suggestion (a grandfather is not
told to call himself 爸爸), only the reason.

Everything here is pure and never raises on any text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from plugins.charter.catalogue import RealNameSettings, RosterSettings
from plugins.charter.model import Role
from plugins.charter.roster import Roster

from .text import (
    COMMON_SUBJECTS,
    COMPOUND_SURNAMES,
    GENERIC_GUARDIAN_WORDS,
    HOMOPHONES,
    SUBJECT_ALIASES,
    canonical_relation,
    canonical_subject,
    compact,
    edit_distance,
    given_name_of,
    relation_words,
    surname_of,
)

MAX_EXPECTED = 4


class NameCode(StrEnum):
    OK = "ok"
    EXEMPT = "exempt"  # office and leaders: not checked
    EMPTY = "empty"
    UNRECOGNISED = "unrecognised"  # no form and no roster name found
    EXTRA_TEXT = "extra_text"  # a valid form plus other words or digits
    # parents
    STUDENT_NOT_ON_ROSTER = "student_not_on_roster"
    STUDENT_NAME_INCOMPLETE = "student_name_incomplete"  # "子涵妈妈"
    STUDENT_MISSING = "student_missing"  # "妈妈"
    RELATION_MISSING = "relation_missing"  # "张子涵" where the charter wants a relation
    RELATION_INCOMPLETE = "relation_incomplete"  # "张子涵妈"
    RELATION_UNKNOWN = "relation_unknown"  # "张子涵马"
    RELATION_NOT_ALLOWED = "relation_not_allowed"  # charter 6: "张子涵爷爷"
    RELATION_NOT_ON_ROSTER = "relation_not_on_roster"  # guardian rows pin other relations
    # teachers
    TEACHER_NOT_ON_ROSTER = "teacher_not_on_roster"
    TEACHER_NO_SUBJECT = "teacher_no_subject"
    SUBJECT_MISMATCH = "subject_mismatch"
    TEACHER_AMBIGUOUS = "teacher_ambiguous"  # "语文王老师" with two such teachers
    TEACHER_NOT_STAFF = "teacher_not_staff"  # a non-staff account uses a roster teacher's name
    TEACHER_FORM_EXPECTED = "teacher_form_expected"  # a staff account with a parent's name
    # work teams
    STAFF_NOT_ON_LIST = "staff_not_on_list"


IdentityKind = Literal["guardian", "teacher", "staff"]


@dataclass(frozen=True, slots=True)
class Identity:
    """A roster person a display name claims, in the roster's own spelling."""

    kind: IdentityKind
    name: str  # the student (for a guardian), the teacher, or the staff member
    detail: str | None = None  # the relation of a guardian, the subject of a teacher

    @property
    def person_key(self) -> str | None:
        """'guardian:张子涵:妈妈', 'teacher:王芳', 'staff:李明'; None for a bare student name."""
        if self.kind == "guardian":
            return f"guardian:{self.name}:{self.detail}" if self.detail else None
        return f"{self.kind}:{self.name}"

    @property
    def display_name(self) -> str:
        """The canonical display name for this identity."""
        if self.kind == "guardian":
            return f"{self.name}{self.detail or ''}"
        if self.kind == "teacher":
            return f"{self.detail or ''}{self.name}"
        return self.name


@dataclass(frozen=True, slots=True)
class NameVerdict:
    ok: bool
    code: NameCode
    reason: str  # short, polite, Simplified Chinese; meant for the member
    identity: Identity | None = None
    expected: tuple[str, ...] = ()  # exact display names to suggest, best first
    normalised: str = ""  # the compact form that was judged

    @property
    def student(self) -> str | None:
        return self.identity.name if self.identity and self.identity.kind == "guardian" else None

    @property
    def relation(self) -> str | None:
        return self.identity.detail if self.identity and self.identity.kind == "guardian" else None

    @property
    def teacher(self) -> str | None:
        return self.identity.name if self.identity and self.identity.kind == "teacher" else None

    @property
    def subject(self) -> str | None:
        return self.identity.detail if self.identity and self.identity.kind == "teacher" else None

    @property
    def staff(self) -> str | None:
        return self.identity.name if self.identity and self.identity.kind == "staff" else None

    @property
    def person_key(self) -> str | None:
        """The roster identity when the name passes; None otherwise (see identity.py)."""
        return self.identity.person_key if self.ok and self.identity else None


# --- the roster, indexed by compact names ---------------------------------------


@dataclass(frozen=True)
class RosterIndex:
    students: tuple[tuple[str, str], ...]  # (compact, roster name), longest first
    given_names: dict[str, tuple[str, ...]]  # compact given name -> roster students
    teachers: tuple[tuple[str, str], ...]  # (compact, roster name), longest first
    teacher_subjects: dict[str, tuple[str, ...]]  # roster name -> roster subjects
    teacher_subject_keys: dict[str, frozenset[str]]  # roster name -> canonical subjects
    staff: tuple[tuple[str, str], ...]
    pinned: dict[str, tuple[str, ...]]  # student -> canonical relations of guardian rows
    subject_vocab: frozenset[str]  # canonical subjects and their aliases, compact


@lru_cache(maxsize=1)
def _common_subject_vocab() -> frozenset[str]:
    """The subjects every roster knows, compact: built once, shared by every index."""
    return frozenset(v for v in {compact(s) for s in COMMON_SUBJECTS} | {compact(a) for a in SUBJECT_ALIASES} if v)


# Each first sight or rename of a member looks its class's index up: 64 made a
# start-up with 200 classes rebuild it on nearly every first sight. An index of a
# 25-student roster is about 10 KB, so the bound stays a few MB.
@lru_cache(maxsize=256)
def roster_index(roster: Roster) -> RosterIndex:
    """The roster's names in compact form, built once per roster."""
    students = sorted(((compact(s), s) for s in roster.students), key=lambda p: -len(p[0]))
    given: dict[str, list[str]] = {}
    for key, name in students:
        g = given_name_of(key)
        if len(g) >= 2:
            given.setdefault(g, []).append(name)
    teacher_subjects: dict[str, list[str]] = {}
    for teacher in roster.teachers:
        teacher_subjects.setdefault(teacher.name, []).append(teacher.subject)
    teachers = sorted(((compact(n), n) for n in teacher_subjects), key=lambda p: -len(p[0]))
    pinned: dict[str, list[str]] = {}
    for guardian in roster.guardians:
        pinned.setdefault(guardian.student, []).append(canonical_relation(guardian.relation))
    common = _common_subject_vocab()
    own = {v for v in (compact(t.subject) for t in roster.teachers) if v and v not in common}
    return RosterIndex(
        students=tuple((k, n) for k, n in students if k),
        given_names={k: tuple(v) for k, v in given.items()},
        teachers=tuple((k, n) for k, n in teachers if k),
        teacher_subjects={k: tuple(v) for k, v in teacher_subjects.items()},
        teacher_subject_keys={k: frozenset(canonical_subject(s) for s in v) for k, v in teacher_subjects.items()},
        staff=tuple(sorted(((compact(s), s) for s in roster.staff if compact(s)), key=lambda p: -len(p[0]))),
        pinned={k: tuple(dict.fromkeys(v)) for k, v in pinned.items()},
        subject_vocab=common | own if own else common,
    )


# --- candidates -------------------------------------------------------------------

# How sure a parse is that the name means this form; the best candidate wins.
_OK, _IDENTIFIED, _CLAIM, _WEAK = 100, 50, 30, 10


@dataclass(frozen=True, slots=True)
class _Candidate:
    code: NameCode
    reason: str
    strength: int
    identity: Identity | None = None
    expected: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.code is NameCode.OK


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))[:MAX_EXPECTED]


@dataclass(frozen=True)
class _Context:
    roster: Roster
    index: RosterIndex
    permitted: tuple[str, ...]  # canonical relations the charter permits, in its order
    words: dict[str, tuple[str, bool]]  # relation word -> (canonical, written in full)
    titles: frozenset[str]  # compact title words (班主任 ...)
    allow_alone: bool
    role_hint: Role | None

    def permitted_for(self, student: str) -> tuple[str, ...]:
        pinned = self.index.pinned.get(student)
        if not pinned:
            return self.permitted
        narrowed = tuple(r for r in self.permitted if r in pinned)
        return narrowed or self.permitted

    def relation_at_start(self, text: str) -> tuple[str, str, bool] | None:
        """(word, canonical, full) of the longest relation word `text` starts with."""
        best = None
        for word, (canonical, full) in self.words.items():
            if text.startswith(word) and (best is None or len(word) > len(best[0])):
                best = (word, canonical, full)
        return best

    def relation_at_end(self, text: str) -> tuple[str, str, bool] | None:
        best = None
        for word, (canonical, full) in self.words.items():
            if text.endswith(word) and (best is None or len(word) > len(best[0])):
                best = (word, canonical, full)
        return best

    def relation_inside(self, text: str) -> tuple[str, str, bool] | None:
        best = None
        for word, (canonical, full) in self.words.items():
            if full and word in text and (best is None or len(word) > len(best[0])):
                best = (word, canonical, full)
        return best


def _relations_text(relations: tuple[str, ...]) -> str:
    return "、".join(relations)


# --- parents -----------------------------------------------------------------------


def _guardian_forms(ctx: _Context, student: str, prefer: str | None = None, guess: bool = False) -> tuple[str, ...]:
    """The student's permitted forms; only `prefer`'s when the member wrote it and it is permitted."""
    relations = ctx.permitted_for(student)
    if prefer in relations and not guess:
        return (f"{student}{prefer}",)
    ordered = ([prefer] if prefer in relations else []) + [r for r in relations if r != prefer]
    return _unique(f"{student}{r}" for r in ordered)


def _judge_relation(ctx: _Context, student: str, rest: str, strength: int) -> _Candidate:
    """The part after a roster student's name."""
    if rest.startswith("的"):
        rest = rest[1:]
    forms = _guardian_forms(ctx, student)
    if not rest:
        if ctx.allow_alone:
            return _Candidate(NameCode.OK, "", _OK, Identity("guardian", student))
        return _Candidate(
            NameCode.RELATION_MISSING, "请在孩子姓名后加上您的身份，如“爸爸”“妈妈”。", strength,
            Identity("guardian", student), forms,
        )
    if rest in GENERIC_GUARDIAN_WORDS:
        return _Candidate(
            NameCode.RELATION_MISSING, "请写明您是孩子的哪位家长，如“爸爸”“妈妈”。", strength,
            Identity("guardian", student), forms,
        )
    found = ctx.relation_at_start(rest)
    if found is None:
        inside = ctx.relation_inside(rest)
        if inside is not None:
            canonical = inside[1]
            return _Candidate(
                NameCode.EXTRA_TEXT, "名片中有多余的文字，请只写“孩子姓名+关系”。", strength,
                Identity("guardian", student, canonical), _guardian_forms(ctx, student, canonical),
            )
        guess = HOMOPHONES.get(rest[0])
        return _Candidate(
            NameCode.RELATION_UNKNOWN,
            f"没能看懂“{rest}”，请在孩子姓名后写明您的身份，如“爸爸”“妈妈”。",
            strength, Identity("guardian", student), _guardian_forms(ctx, student, guess, guess=True),
        )
    word, canonical, full = found
    leftover = rest[len(word):]
    identity = Identity("guardian", student, canonical)
    if leftover:
        return _Candidate(
            NameCode.EXTRA_TEXT, "名片中有多余的文字，请只写“孩子姓名+关系”。", strength,
            identity, _guardian_forms(ctx, student, canonical),
        )
    if canonical not in ctx.permitted:
        return _Candidate(
            NameCode.RELATION_NOT_ALLOWED,
            f"本群按群规只接纳学生的{_relations_text(ctx.permitted)}，如有特殊情况请联系班主任。",
            strength, identity,
        )
    allowed = ctx.permitted_for(student)
    if canonical not in allowed:
        return _Candidate(
            NameCode.RELATION_NOT_ON_ROSTER,
            f"名单中登记的是{student}的{_relations_text(allowed)}，如有变动请联系班主任。",
            strength, identity,
        )
    if not full:
        return _Candidate(
            NameCode.RELATION_INCOMPLETE, f"请把“{word}”写完整，写作“{canonical}”。", strength,
            identity, _guardian_forms(ctx, student, canonical),
        )
    return _Candidate(NameCode.OK, "", _OK, identity, (identity.display_name,))


def _parse_parent(ctx: _Context, s: str) -> _Candidate | None:
    for key, student in ctx.index.students:
        if s.startswith(key):
            judged = _judge_relation(ctx, student, s[len(key):], _IDENTIFIED)
            if judged.code in (NameCode.EXTRA_TEXT, NameCode.RELATION_UNKNOWN):
                # "王可新妈妈": a typo of 王可欣 rather than 王可 followed by junk
                typo = _parse_unknown_student(ctx, s)
                if typo is not None and typo.code is NameCode.STUDENT_NOT_ON_ROSTER and typo.expected:
                    return typo
            return judged
    for key, student in ctx.index.students:
        position = s.find(key)
        if position > 0:
            judged = _judge_relation(ctx, student, s[position + len(key):], _IDENTIFIED)
            relation = judged.identity.detail if judged.identity else None
            return _Candidate(
                NameCode.EXTRA_TEXT, "名片中有多余的文字，请只写“孩子姓名+关系”。", _IDENTIFIED,
                Identity("guardian", student, relation), _guardian_forms(ctx, student, relation),
            )
    return _parse_unknown_student(ctx, s)


def _parse_unknown_student(ctx: _Context, s: str) -> _Candidate | None:
    """No roster student at the start: a parent's form with another child's name, or part of one?"""
    found = ctx.relation_at_end(s)
    generic = next((w for w in GENERIC_GUARDIAN_WORDS if s.endswith(w)), None)
    if found is None and generic is None:
        if len(s) >= 2 and s in ctx.index.given_names and len(ctx.index.given_names[s]) == 1:
            student = ctx.index.given_names[s][0]
            return _Candidate(
                NameCode.STUDENT_NAME_INCOMPLETE, "请写孩子的全名（连同姓氏）。", _CLAIM,
                Identity("guardian", student), _guardian_forms(ctx, student),
            )
        return None
    word = found[0] if found else generic or ""
    canonical = found[1] if found else None
    head = s[: len(s) - len(word)]
    if head.endswith("的"):
        head = head[:-1]
    if not head:
        return _Candidate(NameCode.STUDENT_MISSING, "请在前面加上孩子的姓名。", _CLAIM)
    if len(head) > 6:
        return None
    owners = ctx.index.given_names.get(head, ())
    if len(owners) == 1:
        return _Candidate(
            NameCode.STUDENT_NAME_INCOMPLETE, "请写孩子的全名（连同姓氏）。", _CLAIM,
            Identity("guardian", owners[0], canonical), _guardian_forms(ctx, owners[0], canonical),
        )
    near = [
        student for key, student in ctx.index.students
        if len(key) == len(head) and edit_distance(key, head) == 1
    ]
    expected = tuple(f for student in near for f in _guardian_forms(ctx, student, canonical)[:1])
    return _Candidate(
        NameCode.STUDENT_NOT_ON_ROSTER, f"本班名单中没有学生“{head}”，请核对孩子的姓名。", _CLAIM,
        None, _unique(expected),
    )


# --- teachers -----------------------------------------------------------------------


def _decompose(text: str, vocab: frozenset[str]) -> list[str] | None:
    """Split `text` into vocabulary words (subjects, titles), or None."""
    if not text:
        return []
    best: list[list[str] | None] = [None] * (len(text) + 1)
    best[0] = []
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - 8), end):
            prefix = best[start]
            if prefix is not None and text[start:end] in vocab:
                best[end] = [*prefix, text[start:end]]
                break
    return best[len(text)]


def _teacher_form(ctx: _Context, name: str) -> str:
    subjects = ctx.index.teacher_subjects.get(name, ())
    plain = [s for s in subjects if compact(s) not in ctx.titles]
    subject = (plain or list(subjects) or [""])[0]
    return f"{subject}{name}"


def _title_allowed(ctx: _Context, name: str, title: str) -> bool:
    return title in ctx.index.teacher_subject_keys.get(name, frozenset()) or ctx.role_hint is Role.HEAD_TEACHER


def _judge_teacher_words(ctx: _Context, name: str, words: list[str]) -> _Candidate:
    form = _teacher_form(ctx, name)
    subjects = ctx.index.teacher_subjects.get(name, ())
    if not words:
        return _Candidate(
            NameCode.TEACHER_NO_SUBJECT, "老师的名片请写“学科+姓名”。", _IDENTIFIED,
            Identity("teacher", name, subjects[0] if subjects else None), (form,),
        )
    allowed = ctx.index.teacher_subject_keys.get(name, frozenset())
    matched: str | None = None
    for word in words:
        canonical = canonical_subject(word)
        if word in ctx.titles:
            if not _title_allowed(ctx, name, word):
                return _Candidate(
                    NameCode.SUBJECT_MISMATCH, f"名单中{name}老师任教{_relations_text(subjects)}，请核对名片。",
                    _IDENTIFIED, Identity("teacher", name, subjects[0] if subjects else None), (form,),
                )
        elif canonical not in allowed:
            return _Candidate(
                NameCode.SUBJECT_MISMATCH, f"名单中{name}老师任教{_relations_text(subjects)}，请核对学科。",
                _IDENTIFIED, Identity("teacher", name, subjects[0] if subjects else None), (form,),
            )
        if matched is None and canonical in allowed:
            matched = next(s for s in subjects if canonical_subject(s) == canonical)
    subject = matched or (subjects[0] if subjects else None)
    identity = Identity("teacher", name, subject)
    return _Candidate(NameCode.OK, "", _OK, identity, (form,))


def _vocab(ctx: _Context) -> frozenset[str]:
    return ctx.index.subject_vocab | ctx.titles


def _parse_teacher(ctx: _Context, s: str) -> _Candidate | None:
    vocab = _vocab(ctx)
    weak: _Candidate | None = None
    # 1. a roster teacher's full name
    for key, name in ctx.index.teachers:
        position = s.find(key)
        if position < 0:
            continue
        before, after = s[:position], s[position + len(key):]
        if after.startswith("老师"):
            after = after[2:]
        words_before, words_after = _decompose(before, vocab), _decompose(after, vocab)
        if words_before is None or words_after is None:
            if weak is None:
                subjects = ctx.index.teacher_subjects.get(name, ())
                weak = _Candidate(
                    NameCode.EXTRA_TEXT, "名片中有多余的文字，老师的名片请只写“学科+姓名”。", _WEAK,
                    Identity("teacher", name, subjects[0] if subjects else None), (_teacher_form(ctx, name),),
                )
            continue
        return _judge_teacher_words(ctx, name, words_before + words_after)
    # 2. surname + 老师
    position = s.find("老师")
    while position > 0:
        head, tail = s[:position], s[position + 2:]
        for length in (2, 1):
            if len(head) < length or (length == 2 and head[-2:] not in COMPOUND_SURNAMES):
                continue
            surname, pre = head[-length:], head[:-length]
            words_pre, words_tail = _decompose(pre, vocab), _decompose(tail, vocab)
            if words_pre is None or words_tail is None:
                continue
            return _judge_surname(ctx, surname, words_pre + words_tail)
        position = s.find("老师", position + 2)
    # 3. a subject with a name that is not on the roster
    for words, rest in _split_subject(s, vocab):
        subjects = [w for w in words if w not in ctx.titles]
        if rest.endswith("老师"):
            rest = rest[:-2]
        if not 1 <= len(rest) <= 4 or not rest.isalpha():
            continue
        wanted = {canonical_subject(w) for w in subjects}
        same_subject = [
            name for _, name in ctx.index.teachers
            if wanted and wanted <= ctx.index.teacher_subject_keys.get(name, frozenset())
        ]
        same_subject.sort(key=lambda n: edit_distance(compact(n), rest))
        return _Candidate(
            NameCode.TEACHER_NOT_ON_ROSTER, "本班教师名单中没有这位老师，请核对姓名和学科。", _CLAIM,
            None, _unique(_teacher_form(ctx, n) for n in same_subject),
        )
    return weak


def _split_subject(s: str, vocab: frozenset[str]) -> Iterable[tuple[list[str], str]]:
    """(subject words, the rest) where `s` starts or ends with subject words."""
    for end in range(len(s) - 1, 0, -1):
        words = _decompose(s[:end], vocab)
        if words:
            yield words, s[end:]
            break
    for start in range(1, len(s)):
        words = _decompose(s[start:], vocab)
        if words:
            yield words, s[:start]
            break


def _judge_surname(ctx: _Context, surname: str, words: list[str]) -> _Candidate:
    candidates = [name for key, name in ctx.index.teachers if surname_of(key) == surname]
    subject_words = [w for w in words if w not in ctx.titles]
    wanted = {canonical_subject(w) for w in subject_words}
    if not candidates:
        same_subject = [
            name for _, name in ctx.index.teachers
            if wanted and wanted <= ctx.index.teacher_subject_keys.get(name, frozenset())
        ]
        return _Candidate(
            NameCode.TEACHER_NOT_ON_ROSTER, f"本班教师名单中没有{surname}老师，请核对姓名和学科。", _CLAIM,
            None, _unique(_teacher_form(ctx, n) for n in same_subject),
        )
    if not words:
        first = candidates[0]
        identity = Identity("teacher", first) if len(candidates) == 1 else None
        return _Candidate(
            NameCode.TEACHER_NO_SUBJECT, "老师的名片请写“学科+姓名”。", _IDENTIFIED, identity,
            _unique(_teacher_form(ctx, n) for n in candidates),
        )
    matching = [n for n in candidates if wanted <= ctx.index.teacher_subject_keys.get(n, frozenset())]
    if not matching:
        subjects = sorted({s for n in candidates for s in ctx.index.teacher_subjects.get(n, ())})
        return _Candidate(
            NameCode.SUBJECT_MISMATCH, f"名单中{surname}老师任教{_relations_text(tuple(subjects))}，请核对学科。",
            _IDENTIFIED, None, _unique(_teacher_form(ctx, n) for n in candidates),
        )
    if len(matching) > 1:
        return _Candidate(
            NameCode.TEACHER_AMBIGUOUS, f"本班有多位{surname}老师，请写全名，如“{_teacher_form(ctx, matching[0])}”。",
            _IDENTIFIED, None, _unique(_teacher_form(ctx, n) for n in matching),
        )
    return _judge_teacher_words(ctx, matching[0], words)


# --- work teams -------------------------------------------------------------------


def _parse_staff(ctx: _Context, s: str) -> _Candidate:
    for key, name in ctx.index.staff:
        if s == key:
            return _Candidate(NameCode.OK, "", _OK, Identity("staff", name), (name,))
    for key, name in ctx.index.staff:
        if key in s:
            return _Candidate(
                NameCode.EXTRA_TEXT, "群名片请只写您在单位使用的姓名。", _IDENTIFIED, Identity("staff", name), (name,)
            )
    near = [name for key, name in ctx.index.staff if len(key) == len(s) and edit_distance(key, s) == 1]
    return _Candidate(
        NameCode.STAFF_NOT_ON_LIST, "群名片请用您在单位使用的姓名；名单中没有找到这个名字，请核对。", _CLAIM,
        None, _unique(near),
    )


# --- the verdict -------------------------------------------------------------------


@lru_cache(maxsize=64)
def _rule_parts(
    relations: tuple[str, ...], titles: tuple[str, ...]
) -> tuple[tuple[str, ...], dict[str, tuple[str, bool]], frozenset[str]]:
    permitted = tuple(dict.fromkeys(canonical_relation(r) for r in relations if compact(r)))
    return permitted, relation_words(relations), frozenset(compact(t) for t in titles if compact(t))


def _context(roster: Roster, real_name: RealNameSettings, roster_rules: RosterSettings,
             role_hint: Role | None) -> _Context:
    permitted, words, titles = _rule_parts(tuple(roster_rules.relations), tuple(real_name.teacher_titles))
    return _Context(
        roster=roster,
        index=roster_index(roster),
        permitted=permitted,
        words=words,
        titles=titles,
        allow_alone=real_name.allow_student_name_alone,
        role_hint=role_hint,
    )


def _verdict(candidate: _Candidate, normalised: str) -> NameVerdict:
    return NameVerdict(
        ok=candidate.ok,
        code=candidate.code,
        reason=candidate.reason,
        identity=candidate.identity,
        expected=candidate.expected,
        normalised=normalised,
    )


def _best(*candidates: _Candidate | None) -> _Candidate | None:
    present = [c for c in candidates if c is not None]
    return max(present, key=lambda c: c.strength) if present else None


_STAFF_HINTS = (Role.OFFICE, Role.LEADER, Role.HEAD_TEACHER, Role.TEACHER)
UNKNOWN_MEMBER = "没能从群名片看出您是哪位家长或老师。"
UNKNOWN_TEACHER = "没能从群名片看出您是哪位老师。"
TEACHER_FORM = "老师的名片请用“学科+姓名”，不用家长的格式。"


def check_display_name(
    name: str,
    roster: Roster,
    real_name: RealNameSettings,
    roster_rules: RosterSettings,
    role_hint: Role | None = None,
) -> NameVerdict:
    """Judge one display name against the charter's naming rule and the class roster."""
    s = compact(name or "")
    if not s:
        return NameVerdict(False, NameCode.EMPTY, "群名片为空，请按群规填写实名。", normalised=s)
    ctx = _context(roster, real_name, roster_rules, role_hint)
    if real_name.staff_name_only:
        return _verdict(_parse_staff(ctx, s), s)
    parent = _parse_parent(ctx, s)
    if parent is not None and parent.ok and role_hint not in _STAFF_HINTS:
        # a valid parent's form: a teacher reading could at best tie, and ties go to
        # the parent (see _best), so the common case skips the teacher parse
        return _verdict(parent, s)
    teacher = _parse_teacher(ctx, s)
    if role_hint in (Role.OFFICE, Role.LEADER):
        identity = teacher.identity if teacher and teacher.ok else None
        return NameVerdict(True, NameCode.EXEMPT, "", identity, normalised=s)
    if role_hint in (Role.HEAD_TEACHER, Role.TEACHER):
        if teacher is not None and (teacher.strength > _WEAK or parent is None):
            return _verdict(teacher, s)
        if parent is not None and parent.identity is not None:
            return _verdict(
                _Candidate(NameCode.TEACHER_FORM_EXPECTED, TEACHER_FORM, _IDENTIFIED), s
            )
        return _verdict(_Candidate(NameCode.UNRECOGNISED, UNKNOWN_TEACHER, _WEAK), s)
    if role_hint in (Role.PARENT, Role.UNKNOWN):
        claims_teacher = teacher is not None and teacher.identity is not None and teacher.strength > _WEAK
        if claims_teacher and not (parent is not None and parent.ok):
            return _verdict(
                _Candidate(
                    NameCode.TEACHER_NOT_STAFF,
                    "这是本班老师的名字，但您的账号未登记为老师：老师请联系班主任登记，家长请用“孩子姓名+关系”。",
                    _IDENTIFIED, teacher.identity if teacher else None,
                ),
                s,
            )
    best = _best(parent, teacher)
    if best is None:
        return _verdict(_Candidate(NameCode.UNRECOGNISED, UNKNOWN_MEMBER, _WEAK), s)
    return _verdict(best, s)


def forms_for_person_key(person_key: str, roster: Roster, roster_rules: RosterSettings) -> list[str]:
    """The display name for a remembered roster identity ('guardian:张子涵:妈妈' -> '张子涵妈妈')."""
    kind, _, rest = person_key.partition(":")
    if kind == "guardian":
        student, _, relation = rest.partition(":")
        permitted = {canonical_relation(r) for r in roster_rules.relations}
        if roster.has_student(student) and relation and canonical_relation(relation) in permitted:
            return [f"{student}{canonical_relation(relation)}"]
        return []
    if kind == "teacher":
        subjects = roster.subjects_of(rest)
        return [f"{subjects[0]}{rest}"] if subjects else []
    if kind == "staff":
        return [rest] if roster.has_staff(rest) else []
    return []


def expected_forms(
    name: str,
    roster: Roster,
    real_name: RealNameSettings,
    roster_rules: RosterSettings,
    role_hint: Role | None = None,
    person_key: str | None = None,
) -> list[str]:
    """Exact display names to suggest to this member, best first; [] when none can be inferred.

    A person key the core already knows for the account (from another platform, or
    an earlier name) gives the surest answer; otherwise the forms come from the name.
    """
    if person_key:
        forms = forms_for_person_key(person_key, roster, roster_rules)
        if forms:
            return forms
    verdict = check_display_name(name, roster, real_name, roster_rules, role_hint)
    return list(verdict.expected)


def naming_rule_text(real_name: RealNameSettings, roster_rules: RosterSettings, role_hint: Role | None = None) -> str:
    """The charter's naming rule in one sentence, for the member's role."""
    if real_name.staff_name_only:
        return "群名片请使用您在单位使用的姓名。"
    relations = "/".join(dict.fromkeys(canonical_relation(r) for r in roster_rules.relations))
    teacher = "老师：学科+姓名，如“语文王芳”"
    parent = f"家长：孩子姓名+{relations}，如“张子涵妈妈”"
    if real_name.allow_student_name_alone:
        parent += "，也可只写孩子姓名"
    if role_hint in (Role.HEAD_TEACHER, Role.TEACHER):
        return f"{teacher}。"
    if role_hint in (Role.PARENT, Role.UNKNOWN):
        return f"{parent}。"
    return f"{parent}；{teacher}。"


def format_reminder(
    verdict: NameVerdict,
    real_name: RealNameSettings,
    roster_rules: RosterSettings,
    role_hint: Role | None = None,
    expected: list[str] | tuple[str, ...] | None = None,
    class_name: str = "",
) -> str:
    """The private reminder: why, the exact name to use where known, and the grace period."""
    forms = list(expected if expected is not None else verdict.expected)
    where = f"“{class_name}”群" if class_name else "本群"
    lines = [f"您好！{where}实行实名制。{verdict.reason}".rstrip()]
    if forms:
        options = "”或“".join(forms[:3])
        lines.append(f"请将群名片改为“{options}”。")
    else:
        lines.append(f"命名规则：{naming_rule_text(real_name, roster_rules, role_hint)}")
    hours = f"{real_name.grace_hours:g}"
    lines.append(f"请在 {hours} 小时内修改，谢谢配合！")
    return "\n".join(lines)

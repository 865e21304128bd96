"""Roster identities that link one person's accounts across platforms.

A person key names a roster person: "guardian:张子涵:妈妈", "teacher:王芳",
"staff:李明". The core counts strikes per person key, so the same mother on QQ,
WeChat and WeCom shares one history; an account whose name maps to no roster
person keeps its account key ("qq:12345").

A key is given only for a name that passes the naming rule (NameVerdict.ok):

- a near miss ("张子涵马") is not a reliable identity;
- a non-staff account using a roster teacher's name gets no key, so an
  impersonator never shares the real teacher's history;
- a student's name alone (allowed by charter 1) gets no key, since it does not
  say which guardian it is and both parents may use it.

Keys use the roster's spelling and canonical relations, so "張子涵媽媽" and
"张子涵的母亲" give the same key as "张子涵妈妈".
"""

from __future__ import annotations

import itertools
import sys

from plugins.charter.catalogue import RealNameSettings, RosterSettings
from plugins.charter.config import ClassConfig
from plugins.charter.model import Role
from plugins.charter.roster import Roster

from .bounded import MISSING, RecentlyUsed
from .naming import Identity, NameVerdict, check_display_name

PERSON_KINDS = ("guardian", "teacher", "staff")


def identity_for(
    display_name: str,
    roster: Roster,
    real_name: RealNameSettings,
    roster_rules: RosterSettings,
    role_hint: Role | None = None,
) -> Identity | None:
    """The roster person a passing display name names, else None."""
    verdict = check_display_name(display_name, roster, real_name, roster_rules, role_hint)
    return verdict.identity if verdict.ok else None


def person_key_for(
    display_name: str,
    roster: Roster,
    real_name: RealNameSettings,
    roster_rules: RosterSettings,
    role_hint: Role | None = None,
) -> str | None:
    """'guardian:张子涵:妈妈', 'teacher:王芳', 'staff:李明', or None when the name does not map."""
    identity = identity_for(display_name, roster, real_name, roster_rules, role_hint)
    return identity.person_key if identity else None


PERSON_KEYS_KEPT = 50_000  # (class, display name) answers kept; every message asks
VERDICTS_KEPT = 1_024  # whole verdicts kept, for the checks one message makes of one name
BASES_KEPT = 100_000  # classes' (roster, settings) numbered; more only after many reloads


class _ClassNames:
    """Naming checks of the running bot, answered from bounded caches.

    Every message asks for its sender's person key (`person_key`): the same names
    come back all day, and each answer is a full naming check, so answers are kept
    (an entry is a key and the answer, nothing more). A member's first message also
    needs the whole verdict (`verdict`, the name check on first sight) just after the
    person key was asked for: the last few verdicts are kept too, so that message
    pays for one check, not two.

    An answer is used only for the very roster and settings objects it was computed
    from, so a reloaded or changed configuration is judged afresh: each class's
    current (roster, settings) gets a number of its own, and answers are kept under
    that number.
    """

    def __init__(self, limit: int = PERSON_KEYS_KEPT, verdicts: int = VERDICTS_KEPT):
        self.limit = limit
        self._answers: RecentlyUsed[tuple[int, str], str | None] = RecentlyUsed(limit)
        self._verdicts: RecentlyUsed[tuple[int, Role | None, str], NameVerdict] = RecentlyUsed(verdicts)
        # class -> (roster, real-name settings, roster settings, their number)
        self._bases: dict[str, tuple[Roster, RealNameSettings, RosterSettings, int]] = {}
        self._numbers = itertools.count()

    def entries(self) -> int:
        return len(self._answers)

    def _basis(self, cls: ClassConfig) -> tuple[Roster, RealNameSettings, RosterSettings, int]:
        roster, real_name, rules = cls.roster, cls.settings("membership.real_name"), cls.settings("membership.roster")
        basis = self._bases.get(cls.id)
        if basis is None or basis[0] is not roster or basis[1] is not real_name or basis[2] is not rules:
            if len(self._bases) >= BASES_KEPT:
                self._bases.clear()  # classes renamed or removed by many reloads: start afresh
            basis = self._bases[cls.id] = (roster, real_name, rules, next(self._numbers))
        return basis

    def verdict(self, cls: ClassConfig, display_name: str, role_hint: Role | None) -> NameVerdict:
        roster, real_name, rules, number = self._basis(cls)
        key = (number, role_hint, display_name)
        kept = self._verdicts.get(key)
        if kept is not MISSING:
            return kept  # type: ignore[return-value]
        verdict = check_display_name(display_name, roster, real_name, rules, role_hint)
        self._verdicts.put(key, verdict)
        return verdict

    def person_key(self, cls: ClassConfig, display_name: str) -> str | None:
        key = (self._basis(cls)[3], display_name)
        kept = self._answers.get(key)
        if kept is not MISSING:
            return kept  # type: ignore[return-value]
        answer = self.verdict(cls, display_name, Role.UNKNOWN).person_key
        if answer is not None:
            answer = sys.intern(answer)
        self._answers.put((key[0], sys.intern(display_name)), answer)
        return answer


_class_names = _ClassNames()


def class_verdict(cls: ClassConfig, display_name: str, role_hint: Role | None) -> NameVerdict:
    """The naming verdict on `display_name` in `cls` for an account whose role in the class is `role_hint`."""
    return _class_names.verdict(cls, display_name, role_hint)


def class_person_key(cls: ClassConfig, display_name: str) -> str | None:
    """A `PersonResolver` for plugins.charter.identity.set_person_resolver.

    The core calls it for accounts that are not class staff, so the name is judged
    as a non-staff member's: a roster teacher's name yields no key.
    """
    return _class_names.person_key(cls, display_name)


def is_person_key(key: str) -> bool:
    """True for a roster person key, False for an account key such as 'qq:12345'."""
    kind, _, rest = key.partition(":")
    return kind in PERSON_KINDS and bool(rest)


def parse_person_key(key: str) -> Identity | None:
    """The identity a person key names; None for account keys and malformed keys."""
    kind, _, rest = key.partition(":")
    if kind == "guardian":
        student, _, relation = rest.partition(":")
        return Identity("guardian", student, relation) if student and relation else None
    if kind in ("teacher", "staff") and rest:
        return Identity(kind, rest)  # type: ignore[arg-type]
    return None


def person_label(key: str) -> str:
    """A short Chinese label for a key, for staff messages: '张子涵妈妈', '王芳老师', '李明'."""
    identity = parse_person_key(key)
    if identity is None:
        return key
    if identity.kind == "guardian":
        return identity.display_name
    if identity.kind == "teacher":
        return f"{identity.name}老师"
    return identity.name

"""Types every content detector shares: what a detector gets (DetectContext) and
what it returns (Hit).

A stateless detector is a pure function::

    detect(norm: NormalizedText, ctx: DetectContext, settings) -> list[Hit]

where `settings` is the rule's settings object from plugins.charter.catalogue.
Compiled resources (lexicon automata, the roster's name automaton, the class's
confidential terms) travel in the context, built once per class by the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import NamedTuple

from plugins.charter.model import Role, Severity
from plugins.charter.normalize import NormalizedText, fold_term
from plugins.content.detectors.terms import Term, TermMatcher
from plugins.content.lexicons import Lexicon, load_lexicon


@dataclass(frozen=True, slots=True, init=False)
class Hit:
    """One content rule matched one message."""

    rule_id: str  # "content.ads"
    start: int  # span in the ORIGINAL message text
    end: int
    evidence: str  # excerpt of the original text
    reason: str  # short, polite Simplified Chinese, for staff
    severity: Severity = Severity.VIOLATION
    kind: str = ""  # finer class: "flood.single" / "flood.chain", "banned/gambling" ...
    subject: str = ""  # whom it concerns when not the sender (a student's name)

    def __init__(self, rule_id: str, start: int, end: int, evidence: str, reason: str,
                 severity: Severity = Severity.VIOLATION, kind: str = "", subject: str = "") -> None:
        # The generated __init__ of a frozen dataclass sets each field by name through
        # object.__setattr__ (1.0 us a hit, one per violation); the slots' own setters
        # take half of that (the class stays frozen: assignment still raises)
        _set_rule_id(self, rule_id)
        _set_start(self, start)
        _set_end(self, end)
        _set_evidence(self, evidence)
        _set_reason(self, reason)
        _set_severity(self, severity)
        _set_kind(self, kind)
        _set_subject(self, subject)


_set_rule_id, _set_start, _set_end, _set_evidence, _set_reason, _set_severity, _set_kind, _set_subject = (
    getattr(Hit, f.name).__set__ for f in fields(Hit)
)


class NameMatch(NamedTuple):
    """One roster name mentioned. A named tuple, not a frozen dataclass: one is
    built per name of every message naming a pupil, in less than half the time."""

    name: str  # the roster name (full name)
    start: int  # span in the ORIGINAL text
    end: int
    cstart: int  # span in the compact form
    cend: int


# NameMatch(...) without the named tuple's own __new__, a Python function (one frame less)
_new = tuple.__new__


class NameIndex:
    """Roster student names, compiled once: full names, and for three-character
    names also the given name ("雨桐" for 周雨桐), which is how classmates are called."""

    __slots__ = ("_pattern", "_names")

    def __init__(self, names: Iterable[str] = ()) -> None:
        keys: dict[str, str] = {}
        full = sorted({n.strip() for n in names if n and n.strip()})
        folded_names = [(fold_term(name), name) for name in full]
        for folded, name in folded_names:
            if len(folded) >= 2:
                # most names fold to themselves: the roster's string is the key then, not
                # a copy of it (5,000 classes hold a few hundred thousand of them)
                keys[name if folded == name else folded] = name
        for folded, name in folded_names:
            if len(folded) == 3:
                keys.setdefault(folded[1:], name)
        self._names = keys
        # One alternation per class, longest keys first, so that the leftmost match is
        # also the longest (leftmost-longest, as an Aho-Corasick automaton would give).
        # A roster is a few dozen short names: the regex takes about 3 KB a class where
        # an automaton took 22-29 KB (measured over 2,000 generated rosters), which is
        # what 5,000 classes' memory hinges on, at about the same speed per message
        # (the regex engine skips positions whose character starts no name).
        self._pattern = (
            re.compile("|".join(re.escape(key) for key in sorted(keys, key=lambda k: (-len(k), k))))
            if keys
            else None
        )

    def find_compact(self, norm: NormalizedText) -> list[tuple[str, int, int]]:
        """(roster name, start, end in the compact form) of each name mentioned;
        no position map needed. Kept in `norm.memo` for the other detectors (none
        when the message notes this roster absent, see none_in)."""
        if self._pattern is None or not norm.compact or norm.no_names_of is self:
            return []
        memo = norm.memo
        found = memo.get(self)  # asked by several detectors of every message
        if found is None:
            # (the engine notes the messages that name nobody, most of them, with
            # none_in: it asks here about the others)
            names = self._names
            found = memo[self] = [
                (names[m.group()], m.start(), m.end()) for m in self._pattern.finditer(norm.compact)
            ]
        return found  # type: ignore[return-value]

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """The names as one alternation of literals over `compact` (None: no names)."""
        return self._pattern

    def none_in(self, norm: NormalizedText) -> None:
        """Note that no name occurs in the message, for find_compact to answer
        without a search: the caller searched `compact` for a superset of the names
        itself. A slot of the message, not an entry of its memo (the first entry of a
        dict costs an allocation; most messages need none). ContentEngine._check
        writes it itself, without the call."""
        norm.no_names_of = self

    def find(self, norm: NormalizedText) -> list[NameMatch]:
        compact = self.find_compact(norm)
        if not compact:
            return []
        key = (self, NameMatch)
        found = norm.memo.get(key)
        if found is None:
            found = norm.memo[key] = [
                _new(NameMatch, (name, *norm.span_compact(s, e), s, e)) for name, s, e in compact
            ]
        return list(found)  # type: ignore[call-overload]

    def __bool__(self) -> bool:
        return self._pattern is not None


EMPTY_NAMES = NameIndex()


def _default_lexicon() -> Lexicon:
    return load_lexicon(None)


@dataclass(frozen=True, slots=True)
class DetectContext:
    """What a detector knows besides the message text."""

    role: Role = Role.PARENT
    lexicon: Lexicon = field(default_factory=_default_lexicon)
    roster: NameIndex = EMPTY_NAMES
    # students of the sender (names found in a parent's display name "张子涵妈妈"):
    # what a parent says about their own child is not a privacy breach. A sorted
    # tuple, not a frozenset: one name costs 48 bytes instead of 216, and the engine
    # keeps a context per distinct set of a class (tens of thousands in a process)
    own_students: tuple[str, ...] = ()
    confidential: TermMatcher | None = None  # compiled from content.confidential terms
    is_staff: bool = field(init=False, repr=False)  # from role, asked by most detectors

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_staff", self.role.is_staff)

    @classmethod
    def build(
        cls,
        *,
        role: Role = Role.PARENT,
        roster_names: Iterable[str] = (),
        confidential_terms: Iterable[str] = (),
        lexicon: Lexicon | None = None,
        own_students: Iterable[str] = (),
    ) -> "DetectContext":
        """Compile names and terms once; reuse the context with dataclasses.replace."""
        terms = [Term(t, "confidential") for t in confidential_terms if t and t.strip()]
        return cls(
            role=role,
            lexicon=lexicon if lexicon is not None else _default_lexicon(),
            roster=NameIndex(roster_names),
            own_students=tuple(sorted(set(own_students))),
            confidential=TermMatcher(terms) if terms else None,
        )


def make_hit(
    rule_id: str,
    norm: NormalizedText,
    start: int,
    end: int,
    reason: str,
    *,
    severity: Severity = Severity.VIOLATION,
    kind: str = "",
    subject: str = "",
) -> Hit:
    # Hit.__init__'s stores without the class call (type call, __init__ lookup and its
    # frame: about a third of building a hit)
    hit = _new_object(Hit)
    _set_rule_id(hit, rule_id)
    _set_start(hit, start)
    _set_end(hit, end)
    _set_evidence(hit, norm.excerpt(start, end))
    _set_reason(hit, reason)
    _set_severity(hit, severity)
    _set_kind(hit, kind)
    _set_subject(hit, subject)
    return hit


_new_object = object.__new__

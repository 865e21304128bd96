"""Whether every string a regular expression can match holds one of some words.

A trigger list (plugins/content/detectors/triggers.py) must be a necessary
condition of its regular expression: every match contains one of its words. Tests
on sample messages can only find a missing word when a sample happens to need it;
`word_free_match` decides it for every match at once. It walks the expression's
parse tree (re._parser) with the set of states of an Aho-Corasick automaton over
the words, dropping every state where a word has just ended: whatever survives
the whole expression was reached by a match that holds no word, and that match
is returned as the witness.

Characters are those of the words and the expression, plus one stand-in for
every other kind of character (a Latin letter, a symbol, a space): characters no
word holds all move the automaton alike, so their stand-in decides for them all.
Digits are ASCII only, since `normalize` folds every other digit to ASCII in
`compact` (checked by the tests). Lookarounds are left out, which can only let
more strings through: a witness may then be one the expression does not match
(the caller can check with `search`), but no match is ever missed. Back-references
are not supported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

_STAND_INS = "x_+， "  # a letter, "_", a sign, punctuation, a space
_DIGITS = "0123456789"


class _Automaton:
    """Aho-Corasick over the words: state = the longest suffix read that begins a word."""

    def __init__(self, words: Iterable[str]) -> None:
        self.goto: list[dict[str, int]] = [{}]
        self.word_end: list[bool] = [False]
        for word in words:
            state = 0
            for ch in word:
                nxt = self.goto[state].get(ch)
                if nxt is None:
                    nxt = self.goto[state][ch] = len(self.goto)
                    self.goto.append({})
                    self.word_end.append(False)
                state = nxt
            self.word_end[state] = True
        self.fail = [0] * len(self.goto)
        queue = list(self.goto[0].values())
        for state in queue:  # breadth first: a state's failure is known before its children's
            for ch, nxt in self.goto[state].items():
                queue.append(nxt)
                f = self.fail[state]
                while f and ch not in self.goto[f]:
                    f = self.fail[f]
                target = self.goto[f].get(ch, 0)
                self.fail[nxt] = target if target != nxt else 0
                self.word_end[nxt] = self.word_end[nxt] or self.word_end[self.fail[nxt]]

    def step(self, state: int, ch: str) -> int:
        while state and ch not in self.goto[state]:
            state = self.fail[state]
        return self.goto[state].get(ch, 0)


def _chars(tree: P.SubPattern, into: set[str]) -> None:
    """Every character the expression names (literals and the ends of ranges)."""
    for op, av in tree:
        if op in (C.LITERAL, C.NOT_LITERAL):
            into.add(chr(av))
        elif op is C.IN:
            for item_op, item_av in av:
                if item_op is C.LITERAL:
                    into.add(chr(item_av))
                elif item_op is C.RANGE:
                    lo, hi = item_av
                    into.update(chr(c) for c in range(lo, min(hi, lo + 200) + 1))
                    into.add(chr(hi))
        elif op is C.BRANCH:
            for alt in av[1]:
                _chars(alt, into)
        elif op is C.SUBPATTERN:
            _chars(av[3], into)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            _chars(av[2], into)
        elif op is C.ATOMIC_GROUP:
            _chars(av, into)


_CATEGORIES = {
    C.CATEGORY_DIGIT: re.compile(r"\d"), C.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    C.CATEGORY_WORD: re.compile(r"\w"), C.CATEGORY_NOT_WORD: re.compile(r"\W"),
    C.CATEGORY_SPACE: re.compile(r"\s"), C.CATEGORY_NOT_SPACE: re.compile(r"\S"),
}


def _in_set(ch: str, items: list) -> bool:
    negate = False
    found = False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            found = found or ch == chr(av)
        elif op is C.RANGE:
            found = found or av[0] <= ord(ch) <= av[1]
        elif op is C.CATEGORY:
            found = found or _CATEGORIES[av].match(ch) is not None
        else:
            raise NotImplementedError(op)
    return found != negate


class _Walk:
    def __init__(self, pattern: re.Pattern[str], words: Iterable[str]) -> None:
        if pattern.flags & re.IGNORECASE:
            raise NotImplementedError("IGNORECASE")
        self.ac = _Automaton(words)
        self.tree = P.parse(pattern.pattern, pattern.flags)
        chars = {ch for goto in self.ac.goto for ch in goto}
        _chars(self.tree, chars)
        chars.update(_STAND_INS, _DIGITS)
        # digits outside ASCII never reach `compact`
        self.alphabet = sorted(ch for ch in chars if not ch.isdecimal() or ch in _DIGITS)
        self.dot = [ch for ch in self.alphabet if ch != "\n"]

    def _read(self, states: dict[int, str], chars: Iterable[str]) -> dict[int, str]:
        out: dict[int, str] = {}
        chars = list(chars)
        for state, text in states.items():
            for ch in chars:
                nxt = self.ac.step(state, ch)
                if not self.ac.word_end[nxt] and nxt not in out:
                    out[nxt] = text + ch
        return out

    def seq(self, tree: Iterable, states: dict[int, str]) -> dict[int, str]:
        for op, av in tree:
            if not states:
                break
            states = self.node(op, av, states)
        return states

    def node(self, op, av, states: dict[int, str]) -> dict[int, str]:  # noqa: ANN001
        if op is C.LITERAL:
            return self._read(states, chr(av))
        if op is C.NOT_LITERAL:
            return self._read(states, (ch for ch in self.alphabet if ch != chr(av)))
        if op is C.ANY:
            return self._read(states, self.dot)
        if op is C.IN:
            return self._read(states, (ch for ch in self.alphabet if _in_set(ch, av)))
        if op is C.BRANCH:
            out: dict[int, str] = {}
            for alt in av[1]:
                for state, text in self.seq(alt, states).items():
                    out.setdefault(state, text)
            return out
        if op is C.SUBPATTERN:
            return self.seq(av[3], states)
        if op is C.ATOMIC_GROUP:
            return self.seq(av, states)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, sub = av
            for _ in range(low):
                states = self.seq(sub, states)
            # every state after low .. high more: breadth first, each state at its
            # fewest repetitions (which leaves it the most still allowed)
            seen = dict(states)
            frontier = states
            more = 0
            while frontier and (high is C.MAXREPEAT or more < high - low):
                frontier = {s: t for s, t in self.seq(sub, frontier).items() if s not in seen}
                seen.update(frontier)
                more += 1
            return seen
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return states  # zero width; lookarounds left out (more strings, never fewer)
        raise NotImplementedError(op)


def word_free_match(pattern: re.Pattern[str], words: Iterable[str]) -> str | None:
    """A string `pattern` can match (lookarounds aside) that holds none of `words`,
    or None when every match holds one."""
    walk = _Walk(pattern, words)
    found = walk.seq(walk.tree, {0: ""})
    return min(found.values(), key=len) if found else None

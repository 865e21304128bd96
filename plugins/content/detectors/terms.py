"""Multi-term matching over a NormalizedText with one Aho-Corasick pass per form.

Chinese (and mixed) terms are matched in `compact` (separators dropped, so split
terms are caught). Latin-only terms are matched in `words` on word boundaries
("av" does not match inside "have"); a term flagged `prefix` needs only the left
boundary ("fuck" in "fucking"). Allow phrases ("废物利用", "垃圾分类") are matched in
a second automaton, only when a term matched; a term that overlaps an allow phrase
is not reported.

Most messages contain no term at all, and a class runs a dozen matchers (one per
rule group) over each message. A `Presence` index over every term of a lexicon
answers, in one overlapping automaton pass per form, which labels have any term
occurring in the message; a matcher built with a presence gate returns at once
when none of its labels is there. Any match a matcher reports is an occurrence of
one of its terms, so the gate never hides a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick_rs

from plugins.charter.normalize import NormalizedText, fold_term, is_latin_term

_LONGEST = ahocorasick_rs.MatchKind.LeftmostLongest


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # as written in the lexicon
    label: str  # category, e.g. "banned/gambling"
    prefix: bool = False  # Latin: match at a word start, any ending


class TermHit(NamedTuple):
    """One matched term. A named tuple, not a frozen dataclass: one is built per
    match on the hit path, in less than half the time."""

    label: str
    term: str  # the lexicon term
    start: int  # span in the ORIGINAL text
    end: int


# TermHit(...) without the named tuple's own __new__, a Python function (one frame less)
_new = tuple.__new__


def _latin(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("0" <= ch <= "9")


def _split(terms: Iterable[Term]) -> tuple[list[tuple[str, Term]], list[tuple[str, Term]]]:
    """(folded, term) pairs: matched in compact (CJK, mixed) and in words (Latin)."""
    cjk: list[tuple[str, Term]] = []
    lat: list[tuple[str, Term]] = []
    for term in terms:
        folded = fold_term(term.text)
        if folded:
            (lat if is_latin_term(folded) else cjk).append((folded, term))
    return cjk, lat


class Presence:
    """Which labels of a term list have at least one term occurring in a message
    (anywhere, overlapping, word boundaries not checked): an exact superset test,
    one overlapping automaton pass per form, run once per message and kept in the
    message (`norm.present`). Labels are bits of an int mask; allow phrases get their own bit
    (ALLOW), so matchers skip the allow automaton when none occurs. Labels starting
    with "\x00" (ALLOW, hints) are not lexicon categories."""

    ALLOW = "\x00allow"

    __slots__ = ("_bits", "_cjk", "_cjk_masks", "_lat", "_lat_masks")

    def __init__(
        self,
        terms: Iterable[Term],
        allow: Iterable[str] = (),
        hints: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        # hints: more words under labels of their own (starting with "\x00"), e.g. the
        # trigger words of the regex detectors (detectors/triggers.py), found in the
        # same pass
        extra = [Term(w, label) for label, words in (hints or {}).items() for w in words]
        cjk_terms, lat_terms = _split([*terms, *(Term(a, self.ALLOW) for a in allow), *extra])
        self._bits: dict[str, int] = {}
        cjk: dict[str, int] = {}
        lat: dict[str, int] = {}
        for folded, term in cjk_terms:
            cjk[folded] = cjk.get(folded, 0) | self._bit(term.label)
        for folded, term in lat_terms:
            lat[folded] = lat.get(folded, 0) | self._bit(term.label)
        # Each match is answered with the stored pattern itself (the key's own str, its
        # hash cached), and its bits read from the dict: find_matches_as_indexes builds
        # a table from every byte of the text to its character and three ints a match,
        # about 1,400 instructions a message more (positions are not needed here)
        self._cjk = ahocorasick_rs.AhoCorasick(list(cjk), store_patterns=True) if cjk else None
        self._cjk_masks = cjk
        self._lat = ahocorasick_rs.AhoCorasick(list(lat), store_patterns=True) if lat else None
        self._lat_masks = lat

    def _bit(self, label: str) -> int:
        bit = self._bits.get(label)
        if bit is None:
            bit = self._bits[label] = 1 << len(self._bits)
        return bit

    def bits(self, labels: Iterable[str]) -> int:
        """The mask of some labels (labels this index does not know have no bit)."""
        mask = 0
        for label in labels:
            mask |= self._bits.get(label, 0)
        return mask

    def mask(self, norm: NormalizedText) -> int:
        """The bits of every label with a term occurring in the message."""
        if norm.present_of is self:
            return norm.present
        found = 0
        # `overlapping` by position: pyo3 parses a keyword argument in about 280
        # instructions more, on every message
        if self._cjk is not None and norm.compact:
            masks = self._cjk_masks
            for key in self._cjk.find_matches_as_strings(norm.compact, True):
                found |= masks[key]
        if self._lat is not None and norm.words:
            masks = self._lat_masks
            for key in self._lat.find_matches_as_strings(norm.words, True):
                found |= masks[key]
        norm.present_of = self
        norm.present = found
        return found

    def labels(self, norm: NormalizedText) -> frozenset[str]:
        """The labels with a term occurring in the message (allow phrases excluded)."""
        mask = self.mask(norm)
        return frozenset(
            label for label, bit in self._bits.items() if mask & bit and label[:1] != "\x00"
        )


class TermMatcher:
    """Compiled once; `find(norm)` is one automaton pass per form. With `gate`
    (a Presence over a superset of these terms), messages where none of the
    terms occurs are answered without running the automata."""

    __slots__ = ("_cjk", "_cjk_meta", "_lat", "_lat_meta", "_allow_c", "_allow_w", "size",
                 "_gate", "_mask", "_allow_bit", "_cjk_keys", "_lat_keys")

    def __init__(
        self, terms: Iterable[Term], allow: Iterable[str] = (), *, gate: Presence | None = None
    ) -> None:
        cjk: dict[str, Term] = {}
        lat: dict[str, Term] = {}
        cjk_terms, lat_terms = _split(terms)
        for folded, term in cjk_terms:
            cjk.setdefault(folded, term)
        for folded, term in lat_terms:
            lat.setdefault(folded, term)
        n_terms = len(cjk) + len(lat)
        allow_c: set[str] = set()
        allow_w: set[str] = set()
        for phrase in allow:
            folded = fold_term(phrase)
            if folded:
                (allow_w if is_latin_term(folded) else allow_c).add(folded)
        self._allow_c = ahocorasick_rs.AhoCorasick(sorted(allow_c)) if allow_c else None
        self._allow_w = ahocorasick_rs.AhoCorasick(sorted(allow_w)) if allow_w else None
        self._cjk_meta = list(cjk.values())
        self._lat_meta = list(lat.values())
        # `occurs`: one regular expression per form, a literal alternation
        self._cjk_keys = re.compile("|".join(map(re.escape, cjk))) if cjk else None
        self._lat_keys = re.compile("|".join(map(re.escape, lat))) if lat else None
        self._cjk = ahocorasick_rs.AhoCorasick(list(cjk), matchkind=_LONGEST) if cjk else None
        self._lat = ahocorasick_rs.AhoCorasick(list(lat), matchkind=_LONGEST) if lat else None
        self.size = n_terms
        self._gate = gate
        labels = {t.label for t in (*self._cjk_meta, *self._lat_meta)}
        self._mask = gate.bits(labels) if gate is not None else 0
        # without the gate's word on allow phrases, always look for them
        self._allow_bit = gate.bits([Presence.ALLOW]) if gate is not None and allow else -1

    @staticmethod
    def _allowed(ac: ahocorasick_rs.AhoCorasick | None, text: str) -> list[tuple[int, int]]:
        if ac is None:
            return []
        return [(s, e) for _, s, e in ac.find_matches_as_indexes(text, overlapping=True)]

    def find(self, norm: NormalizedText) -> list[TermHit]:
        hits: list[TermHit] = []
        present = -1
        gate = self._gate
        if gate is not None:
            # what the engine's presence pass left in the message, read without a call
            # (a matcher of the engine's lexicon is asked after that pass)
            present = norm.present if norm.present_of is gate else gate.mask(norm)
            if not present & self._mask:
                return hits
        check_allow = bool(present & self._allow_bit)
        if self._cjk is not None and norm.compact:
            compact = norm.compact
            matches = self._cjk.find_matches_as_indexes(compact)
            allowed = self._allowed(self._allow_c, compact) if matches and check_allow else []
            for idx, s, e in matches:
                term = self._cjk_meta[idx]
                if allowed and any(a < e and s < b for a, b in allowed):
                    continue
                o_s, o_e = norm.span_compact(s, e)
                hits.append(_new(TermHit, (term.label, term.text, o_s, o_e)))
        if self._lat is not None and norm.words:
            words = norm.words
            n = len(words)
            matches = self._lat.find_matches_as_indexes(words)
            allowed = self._allowed(self._allow_w, words) if matches and check_allow else []
            for idx, s, e in matches:
                term = self._lat_meta[idx]
                if allowed and any(a < e and s < b for a, b in allowed):
                    continue
                if s > 0 and _latin(words[s - 1]):
                    continue
                if not term.prefix and e < n and _latin(words[e]):
                    continue
                o_s, o_e = norm.span_words(s, e)
                hits.append(_new(TermHit, (term.label, term.text, o_s, o_e)))
        return hits

    @property
    def compact_keys(self) -> re.Pattern[str] | None:
        """What `occurs` searches `compact` for: the terms matched there (Chinese and
        mixed), one alternation of literals (None: no such term)."""
        return self._cjk_keys

    @property
    def has_latin(self) -> bool:
        """Whether some terms are Latin (matched in `words`, not `compact`)."""
        return self._lat_keys is not None

    def occurs(self, norm: NormalizedText) -> bool:
        """Whether any term occurs in the message at all (word boundaries and allow
        phrases not checked): False means `find` finds nothing. Meant for short
        lists (a class's confidential terms): one regular expression search."""
        if self._cjk_keys is not None and self._cjk_keys.search(norm.compact):
            return True
        return self._lat_keys is not None and bool(self._lat_keys.search(norm.words))

    def first(self, norm: NormalizedText) -> TermHit | None:
        hits = self.find(norm)
        return hits[0] if hits else None

"""Multi-term matching over a NormalizedText with one Aho-Corasick pass per form.

Chinese (and mixed) terms are matched in `compact` (separators dropped, so split
terms are caught). Latin-only terms are matched in `words` on word boundaries
("av" does not match inside "have"); a term flagged `prefix` needs only the left
boundary ("fuck" in "fucking"). Allow phrases ("废物利用", "垃圾分类") are matched in the
a second automaton, only when a term matched; a term that overlaps an allow phrase
is not reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs

from plugins.charter.normalize import NormalizedText, fold_term, is_latin_term

_LONGEST = ahocorasick_rs.MatchKind.LeftmostLongest


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # as written in the lexicon
    label: str  # category, e.g. "banned/gambling"
    prefix: bool = False  # Latin: match at a word start, any ending


@dataclass(frozen=True, slots=True)
class TermHit:
    label: str
    term: str  # the lexicon term
    start: int  # span in the ORIGINAL text
    end: int


def _latin(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("0" <= ch <= "9")


class TermMatcher:
    """Compiled once; `find(norm)` is one automaton pass per form."""

    __slots__ = ("_cjk", "_cjk_meta", "_lat", "_lat_meta", "_allow_c", "_allow_w", "size")

    def __init__(self, terms: Iterable[Term], allow: Iterable[str] = ()) -> None:
        cjk: dict[str, Term] = {}
        lat: dict[str, Term] = {}
        for term in terms:
            folded = fold_term(term.text)
            if not folded:
                continue
            (lat if is_latin_term(folded) else cjk).setdefault(folded, term)
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
        self._cjk = ahocorasick_rs.AhoCorasick(list(cjk), matchkind=_LONGEST) if cjk else None
        self._lat = ahocorasick_rs.AhoCorasick(list(lat), matchkind=_LONGEST) if lat else None
        self.size = n_terms

    @staticmethod
    def _allowed(ac: ahocorasick_rs.AhoCorasick | None, text: str) -> list[tuple[int, int]]:
        if ac is None:
            return []
        return [(s, e) for _, s, e in ac.find_matches_as_indexes(text, overlapping=True)]

    def find(self, norm: NormalizedText) -> list[TermHit]:
        hits: list[TermHit] = []
        if self._cjk is not None and norm.compact:
            matches = self._cjk.find_matches_as_indexes(norm.compact)
            allowed = self._allowed(self._allow_c, norm.compact) if matches else []
            for idx, s, e in matches:
                term = self._cjk_meta[idx]
                if allowed and any(a < e and s < b for a, b in allowed):
                    continue
                o_s, o_e = norm.span_compact(s, e)
                hits.append(TermHit(term.label, term.text, o_s, o_e))
        if self._lat is not None and norm.words:
            words = norm.words
            n = len(words)
            matches = self._lat.find_matches_as_indexes(words)
            allowed = self._allowed(self._allow_w, words) if matches else []
            for idx, s, e in matches:
                term = self._lat_meta[idx]
                if allowed and any(a < e and s < b for a, b in allowed):
                    continue
                if s > 0 and _latin(words[s - 1]):
                    continue
                if not term.prefix and e < n and _latin(words[e]):
                    continue
                o_s, o_e = norm.span_words(s, e)
                hits.append(TermHit(term.label, term.text, o_s, o_e))
        return hits

    def first(self, norm: NormalizedText) -> TermHit | None:
        hits = self.find(norm)
        return hits[0] if hits else None

"""The project's own term lists, by category, from config/lexicons/.

Layout: one plain-text file per category, grouped in folders by rule
(``abuse/insult.txt``, ``banned/gambling.txt``, ``ads/selling.txt`` ...). The
category label of a term is its path without ``.txt`` ("banned/gambling").

File format, one term a line::

    # a comment
    傻逼
    fuck [prefix]        # Latin term matched at a word start (fucking, fucker)
    垃圾学校

Latin-only terms always match on word boundaries. ``allow.txt`` in the root holds
phrases that neutralise any term they contain (废物利用, 垃圾分类, 2b铅笔).

Terms are normalised exactly like messages (normalize.fold_term), so a list may be
written in traditional or simplified characters, any width or case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from plugins.charter.normalize import NormalizedText
from plugins.content.detectors.terms import Presence, Term, TermMatcher
from plugins.content.detectors.triggers import TRIGGERS

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "config" / "lexicons"
ALLOW_FILE = "allow.txt"
_FLAGS = re.compile(r"\s*\[([a-z, ]+)\]\s*$")
KNOWN_FLAGS = frozenset({"prefix"})


def parse_lines(text: str, label: str) -> list[Term]:
    """Terms of one lexicon file."""
    terms: list[Term] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        flags: set[str] = set()
        match = _FLAGS.search(line)
        if match:
            flags = {f.strip() for f in match.group(1).split(",") if f.strip()}
            unknown = flags - KNOWN_FLAGS
            if unknown:
                raise ValueError(f"{label}: unknown flag(s) {sorted(unknown)} in {raw!r}")
            line = line[: match.start()].strip()
        if line:
            terms.append(Term(line, label, prefix="prefix" in flags))
    return terms


@dataclass(slots=True)
class Lexicon:
    """All categories of one lexicon directory, with matchers compiled on demand
    (once per rule group) and kept. Every matcher is gated by one Presence index
    over all categories, so a message is scanned once for "any term at all"
    instead of once per rule group. Treat `categories` as frozen once a matcher
    was built (or call `recompile()` after changing it)."""

    categories: dict[str, tuple[Term, ...]]
    allow: tuple[str, ...]
    _matchers: dict[str, TermMatcher] = field(default_factory=dict)
    _presence: Presence | None = None
    _group_bits: dict[str | tuple[str, ...], Any] = field(default_factory=dict)  # (see group_bits)

    @classmethod
    def load(cls, directory: Path | str | None = None) -> "Lexicon":
        root = Path(directory) if directory is not None else DEFAULT_DIR
        if not root.is_dir():
            raise FileNotFoundError(f"lexicon directory {root} does not exist")
        categories: dict[str, tuple[Term, ...]] = {}
        allow: list[str] = []
        for path in sorted(root.rglob("*.txt")):
            rel = path.relative_to(root).with_suffix("").as_posix()
            text = path.read_text(encoding="utf-8")
            if rel == Path(ALLOW_FILE).stem:
                allow.extend(t.text for t in parse_lines(text, "allow"))
            else:
                categories[rel] = tuple(parse_lines(text, rel))
        return cls(categories, tuple(allow))

    def terms(self, group: str) -> list[Term]:
        """Terms of every category in a group ("banned") or of one category."""
        prefix = group.rstrip("/") + "/"
        return [
            term
            for label, terms in self.categories.items()
            if label == group or label.startswith(prefix)
            for term in terms
        ]

    def presence(self) -> Presence:
        """Which categories occur in a message, over every term of the lexicon (and
        the regex detectors' trigger words, under hint labels of their own)."""
        if self._presence is None:
            self._presence = Presence(
                (t for terms in self.categories.values() for t in terms), self.allow, TRIGGERS
            )
        return self._presence

    def present(self, norm: NormalizedText, group: str) -> bool:
        """Whether any term of a group occurs in the message (anywhere, word
        boundaries and allow phrases not checked): False means every matcher of
        the group finds nothing. A hint label (triggers.py) is a group of its own."""
        presence = self.presence()
        bits = self._group_bits.get(group)
        if bits is None:
            bits = self._group_bits[group] = self._bits_of(group)
        return bool(presence.mask(norm) & bits)

    def group_bits(self, groups: tuple[str, ...]) -> dict[str, int]:
        """The presence bits of each of some groups (a hint label a group of its own),
        kept per tuple: a detector that asks about several groups of one message
        reads `presence().mask(norm)` once and tests these bits, without a call each."""
        found = self._group_bits.get(groups)
        if found is None:
            found = self._group_bits[groups] = {group: self._bits_of(group) for group in groups}
        return found  # type: ignore[no-any-return]

    def _bits_of(self, group: str) -> int:
        labels = {group} if group in TRIGGERS else {t.label for t in self.terms(group)}
        return self.presence().bits(labels)

    def matcher(self, group: str) -> TermMatcher:
        """The compiled matcher of a group of categories, built on first use."""
        found = self._matchers.get(group)
        if found is None:
            found = TermMatcher(self.terms(group), self.allow, gate=self.presence())
            self._matchers[group] = found
        return found

    def recompile(self) -> None:
        """Forget compiled matchers after `categories` changed."""
        self._matchers.clear()
        self._presence = None
        self._group_bits.clear()

    def size(self) -> int:
        return sum(len(t) for t in self.categories.values())


@lru_cache(maxsize=8)
def load_lexicon(directory: str | None = None) -> Lexicon:
    """The lexicon of a directory (default config/lexicons), loaded once."""
    return Lexicon.load(directory)

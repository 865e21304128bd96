"""ContentEngine: every enabled content.* rule over one normalisation per message.

Build it once per class configuration (automata are compiled here, never per
message), then feed it every group message of the class in order::

    from plugins.content.engine import ContentEngine

    engine = ContentEngine(
        settings,                      # {"content.links": LinksSettings(...), ...}
        roster_names=["张子涵", ...],   # student names from the class roster
        lexicon_dir=None,              # default config/lexicons
    )
    hits = engine.check(message)       # plugins.charter.model.IncomingMessage
    for hit in hits:                   # plugins.content.detectors.base.Hit
        hit.rule_id, hit.severity, hit.evidence, hit.reason, hit.kind, hit.subject

`settings` maps content rule ids to their settings objects from
plugins.charter.catalogue.RULES; rules that are missing or `enabled = false` are
skipped (content.report is a command, handled by the plugin). Confidential terms
come from the content.confidential settings.

The sender's role is `message.sender.role`; `check(message, role=...)` overrides
it. Stateful rules (flood, ack_replies, chitchat) keep bounded per-group memory
and read time only from `message.time`. `check` is synchronous, pure CPU and
does no I/O; one engine serves all groups of a class.

Most messages give no stateless detector anything to find, so the engine does
not call them: the lexicon's one presence pass (every term, plus the regex
detectors' trigger words from detectors/triggers.py) and a few cheap tests
(roster names, confidential terms, link characters) decide which detectors run.
Each test is a necessary condition of a hit; `ContentEngine(..., gated=False)`
runs every detector and reports the same hits (tests/unit/test_content_fastpath.py).

A second opinion: when no rule reported anything on a message, the content model
(plugins/content/model.py) is asked about ads, abuse, banned content and pupils'
privacy, for each of those rules that is enabled with a non-empty `suspected_action`
(and not for ads from staff when the rule exempts them). The label it suspects most
is reported as one Hit of that rule with severity INFO and kind "suspected": a person
decides, nothing is punished on the model's word.
"""

from __future__ import annotations

import itertools
import re

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from plugins.charter.catalogue import RuleSettings
from plugins.charter.model import IncomingMessage, Role, Severity
from plugins.charter.normalize import NormalizedText, normalize
from plugins.content.detectors import (
    abuse,
    ads,
    banned,
    confidential,
    leave_requests,
    links,
    student_privacy,
)
from plugins.content.detectors.base import DetectContext, Hit, make_hit
from plugins.content.detectors.conversation import ConversationTracker
from plugins.content.detectors.triggers import HINT_ABSENCE, HINT_ABUSE, HINT_ADS, HINT_LEAVE, HINT_OFFER
from plugins.content.lexicons import Lexicon, load_lexicon
from plugins.content.model import LABELS, RosterScorer, SuspicionModel, label_bits
from plugins.membership.bounded import RecentlyUsed

Detector = Callable[[NormalizedText, DetectContext, Any], list[Hit]]

# stateless rules, in the order their hits are reported (most severe first)
STATELESS: tuple[tuple[str, Detector], ...] = (
    ("content.banned", banned.detect),
    ("content.abuse", abuse.detect),
    ("content.student_privacy", student_privacy.detect),
    ("content.ads", ads.detect),
    ("content.links", links.detect),
    ("content.confidential", confidential.detect),
    ("content.leave_requests", leave_requests.detect),
)
_OWN_CACHE_LIMIT = 4096  # distinct (role, own children) contexts of one class: a few dozen
# Senders' contexts of every engine together: bounded once for the process, not per
# class (5,000 classes x their members would otherwise hold one entry per member).
# Two plain-dict generations: dropping the oldest entry of one plain dict walks over
# the deleted slots at its front (16-27 us an eviction at 50,000 entries)
SENDERS_KEPT = 50_000
_sender_contexts: RecentlyUsed[tuple[int, Role, str], DetectContext] = RecentlyUsed(SENDERS_KEPT)
_NO_STUDENTS: tuple[str, ...] = ()
_engine_numbers = itertools.count()

# How the engine knows a stateless detector cannot report anything on a message
# without running it (each a necessary condition of a hit; see _GATES):
_ALWAYS = 0  # no gate: it runs
_TERMS = 1  # a term of its lexicon groups or one of its trigger words occurs
_NAMES = 2  # a roster name occurs, with a rank, score, digit or negative word
_LINKS = 3  # a Latin letter or digit next to a dot (written or spelled), or a scheme's "p:"
_CONFIDENTIAL = 4  # one of the class's confidential terms occurs
# the rules the content model reads: rule -> (its label in the model, the reason of a
# suspected hit, for staff: short, polite, saying that nothing was done)
SUSPECTED: dict[str, tuple[str, str]] = {
    "content.ads": ("ad", "疑似广告（模型判断，未自动处理）"),
    "content.abuse": ("abuse", "疑似辱骂或攻击性言论（模型判断，未自动处理）"),
    "content.banned": ("banned", "疑似违禁内容（模型判断，未自动处理）"),
    "content.student_privacy": ("privacy", "疑似涉及学生隐私（模型判断，未自动处理）"),
}
SUSPECTED_KIND = "suspected"
_PLANS_KEPT = 4096  # distinct plans of one engine (see ContentEngine._plan): a few hundred
# rule -> (gate, lexicon groups, trigger labels, skipped for staff)
_GATES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], bool]] = {
    "content.banned": (_TERMS, ("banned",), (), False),
    "content.abuse": (_TERMS, ("abuse",), (HINT_ABUSE,), False),
    "content.student_privacy": (_NAMES, (), (), False),
    "content.ads": (_TERMS, ("ads",), (*HINT_ADS.values(), *HINT_OFFER.values()), False),
    "content.links": (_LINKS, (), (), False),
    "content.confidential": (_CONFIDENTIAL, (), (), False),
    "content.leave_requests": (_TERMS, (), (HINT_ABSENCE, HINT_LEAVE), True),
}


class ContentEngine:
    def __init__(
        self,
        settings: Mapping[str, RuleSettings],
        *,
        roster_names: Iterable[str] = (),
        lexicon_dir: Path | str | None = None,
        lexicon: Lexicon | None = None,
        gated: bool = True,
        model: SuspicionModel | None = None,
    ) -> None:
        """`gated=False` runs every enabled detector on every message (the reference
        the tests compare the gated fast path with); the hits are the same. `model`:
        the content model (default: the shipped one, loaded once per process, and only
        when a rule asks for it)."""
        self.settings = dict(settings)
        self.lexicon = lexicon if lexicon is not None else load_lexicon(
            str(lexicon_dir) if lexicon_dir is not None else None
        )
        conf = self._enabled("content.confidential")
        self.base_context = DetectContext.build(
            roster_names=roster_names,
            confidential_terms=getattr(conf, "terms", ()) if conf else (),
            lexicon=self.lexicon,
        )
        self._stateless = [
            (rule_id, fn, self.settings[rule_id])
            for rule_id, fn in STATELESS
            if self._enabled(rule_id) is not None
            # enabled with no term to find (as charters ship it): it would run on every message
            and (rule_id != confidential.RULE_ID or confidential.can_report(self.base_context, self.settings[rule_id]))
        ]
        self._presence = self.lexicon.presence()
        self._gated = [
            (*(self._gate(rule_id) if gated else (_ALWAYS, 0, False)), fn, rule_settings)
            for rule_id, fn, rule_settings in self._stateless
        ]
        self._term_bits = 0
        for kind, bits, *_ in self._gated:
            if kind == _TERMS:
                self._term_bits |= bits
        # Most messages name no pupil and hold no confidential term: one search of
        # `compact` for the roster's names and the confidential terms together (every
        # context of this engine has the base context's roster and confidential
        # matcher) answers both gates. Confidential Latin terms are matched in
        # `words`: with them, a message with a words form may mention one. Without a
        # compiled confidential matcher there is no term, and no detector to gate.
        base = self.base_context
        mentions = [p.pattern for p in (base.roster.pattern,
                                        base.confidential.compact_keys if base.confidential else None)
                    if p is not None]
        self._mentions = re.compile("|".join(mentions)) if mentions else None
        self._mentions_latin = base.confidential is not None and base.confidential.has_latin
        self._unmentioned = {_NAMES, _CONFIDENTIAL}
        # plan key (see _check) -> the detectors to call, with the gate left to ask
        self._plans: dict[int, list[tuple[int, Detector, Any]]] = {}
        # compile every automaton the enabled rules use now, not on the first message
        for group in ("abuse", "banned", "context/prevention", "ads/strong", "ads/recruiting",
                      "ads/selling", "ads/commercial", "ads/contact", "privacy/negative",
                      "privacy/praise", "privacy/award", "privacy/exam"):
            self.lexicon.matcher(group)
        # the content model's second opinion: the labels it may report, for a member
        # and for staff (their top bits in the model's packed sums), and per label its hit
        self._suspects: RosterScorer | None = None
        self._privacy_bit = label_bits(("privacy",))
        self._suspect_bits = self._suspect_bits_staff = 0
        self._suspect_hits: list[tuple[str, str]] = []
        for rule_id, (label, reason) in SUSPECTED.items():
            rule_settings = self._enabled(rule_id)
            if rule_settings is None or not getattr(rule_settings, "suspected_action", ()):
                continue
            bits = label_bits((label,))
            self._suspect_bits |= bits
            if not getattr(rule_settings, "exempt_staff", False):
                self._suspect_bits_staff |= bits
        if self._suspect_bits:
            model = model if model is not None else SuspicionModel.load()
            self._suspects = model.for_names(self.base_context.roster)
            by_label = {label: (rule_id, reason) for rule_id, (label, reason) in SUSPECTED.items()}
            self._suspect_hits = [by_label[label] for label in LABELS]  # by the model's label index
        # the stateful rules: one record per group for all three
        conversation = ConversationTracker(
            self._enabled("content.flood"),  # type: ignore[arg-type]
            self._enabled("content.ack_replies"),  # type: ignore[arg-type]
            self._enabled("content.chitchat"),  # type: ignore[arg-type]
            notices=self.settings.get("content.ack_replies"),  # type: ignore[arg-type]
        )
        self.conversation = conversation if conversation else None
        # role -> own students (sorted) -> context: one per distinct pair, shared by
        # every sender with them; the students tuple is the context's own
        self._contexts: dict[Role, dict[tuple[str, ...], DetectContext]] = {}
        self._contexts_kept = 0
        self._number = next(_engine_numbers)  # its key in _sender_contexts (an id() could be reused)
        self._platform = self._group_id = ""  # the last message's group, and its key
        self._group_key = ":"

    def _gate(self, rule_id: str) -> tuple[int, int, bool]:
        """(gate kind, presence bits, skipped for staff) of a stateless rule."""
        kind, groups, hints, no_staff = _GATES.get(rule_id, (_ALWAYS, (), (), False))
        labels = {t.label for g in groups for t in self.lexicon.terms(g)} | set(hints)
        exempt = getattr(self.settings[rule_id], "exempt_staff", False)
        return kind, self._presence.bits(labels), no_staff or exempt

    def _enabled(self, rule_id: str) -> RuleSettings | None:
        found = self.settings.get(rule_id)
        return found if found is not None and found.enabled else None

    def context_for(self, message: IncomingMessage, role: Role | None = None) -> DetectContext:
        """The detection context of one message: sender role and the sender's own
        children (roster names in a parent's display name)."""
        role = role if role is not None else message.sender.role
        key = (self._number, role, message.sender.display_name)
        found = _sender_contexts.get(key, None)
        if found is not None:
            return found  # type: ignore[return-value]
        found = self._context_of(role, message.sender.display_name)
        _sender_contexts.put(key, found)
        return found

    def _context_of(self, role: Role, name: str) -> DetectContext:
        own = _NO_STUDENTS
        if not role.is_staff and self.base_context.roster:
            found_names = self.base_context.roster.find(normalize(name))
            if found_names:
                own = tuple(sorted({m.name for m in found_names}))
        by_own = self._contexts.get(role)
        if by_own is None:
            by_own = self._contexts[role] = {}
        found = by_own.get(own)
        if found is None:
            base = self.base_context
            found = DetectContext(role, base.lexicon, base.roster, own, base.confidential)
            if self._contexts_kept >= _OWN_CACHE_LIMIT:
                self._contexts.clear()
                self._contexts_kept = 0
                by_own = self._contexts[role] = {}
            by_own[own] = found
            self._contexts_kept += 1
        return found

    def check(self, message: IncomingMessage, *, role: Role | None = None) -> list[Hit]:
        """Every hit of the enabled content rules on one message. Feed every group
        message, in order, so the stateful rules see the conversation."""
        norm = normalize(message.text)
        sender = message.sender
        # a sender seen lately is in the young generation: read it there without the
        # call (what RecentlyUsed.get answers first); else the full lookup
        key = (self._number, role if role is not None else sender.role, sender.display_name)
        ctx = _sender_contexts._young.get(key)
        if ctx is None:
            ctx = _sender_contexts.get(key, None)
            if ctx is None:
                ctx = self.context_for(message, role)
        # GroupRef.key, spelled out: a property read from C costs about what the whole
        # conversation lookup does (the key only names the group's record here); the
        # last group's key is kept, as most messages come from the same group as the
        # message before (and the conversation knows that key's record)
        group = message.group
        if group.group_id != self._group_id or group.platform != self._platform:
            self._platform, self._group_id = group.platform, group.group_id
            self._group_key = f"{group.platform}:{group.group_id}"
        return self._check(norm, ctx, self._group_key, sender.person_key, message.time)

    def check_normalized(
        self, norm: NormalizedText, ctx: DetectContext, *, group: str, sender: str, now: Any
    ) -> list[Hit]:
        """`check` of a message normalised already; `ctx` from `context_for` (the
        gates read this engine's roster and confidential terms, not the context's)."""
        base = self.base_context
        if ctx.roster is not base.roster or ctx.confidential is not base.confidential:
            raise ValueError("a context of another engine (or class): use context_for")
        return self._check(norm, ctx, group, sender, now)

    def _plan(self, key: int) -> list[tuple[int, Detector, Any]]:
        """The detectors to call on a message, in order, each with the gate still to
        ask (_ALWAYS: none), from what decides the term gates, staff, mentions and the
        links gate's first condition: key = presence bits of the term gates << 3 |
        words << 2 | staff << 1 | mentions (a words form: a Latin letter or digit; a
        roster name or confidential term may occur). Kept: a few hundred keys occur."""
        terms, words, staff, mentioned = key >> 3, key & 4, key & 2, key & 1
        plan = []
        for kind, bits, no_staff, fn, rule_settings in self._gated:
            if no_staff and staff:
                continue
            if kind == _TERMS:
                if not terms & bits:
                    continue
                kind = _ALWAYS  # answered by the key
            elif not mentioned and kind in self._unmentioned:
                continue
            elif kind == _LINKS and not words:
                continue  # no link without a Latin letter or digit (most messages)
            plan.append((kind, fn, rule_settings))
        if len(self._plans) >= _PLANS_KEPT:
            self._plans.clear()
        self._plans[key] = plan
        return plan

    @staticmethod
    def _only_own(norm: NormalizedText, ctx: DetectContext) -> bool:
        """Whether the message names pupils, all of them the sender's own children."""
        found = ctx.roster.find_compact(norm)
        own = ctx.own_students
        return bool(found) and all(name in own for name, _, _ in found)

    def _check(
        self, norm: NormalizedText, ctx: DetectContext, group: str, sender: str, now: Any
    ) -> list[Hit]:
        hits: list[Hit] = []
        # one pass over the message (lexicon terms and trigger words) and one search
        # (roster names and confidential terms) decide which stateless detectors could
        # report anything; the others are not called
        key = (self._presence.mask(norm) & self._term_bits) << 3
        if norm.words:
            key |= 4
        compact = norm.compact
        mentions = self._mentions
        if compact and mentions is not None:
            if mentions.search(compact) is not None:
                key |= 1
            else:
                # no roster name occurs either: NameIndex.none_in, inlined (a call on
                # most messages), for ack_only, which asks the conversation's messages again
                norm.no_names_of = ctx.roster
                if self._mentions_latin and norm.words:
                    key |= 1
        elif self._mentions_latin and norm.words:
            key |= 1
        if ctx.is_staff:
            key |= 2
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plan(key)
        for kind, fn, rule_settings in plan:
            if kind:  # a gate left to ask
                if kind == _NAMES:
                    # the roster search itself answers most messages, without
                    # may_report's own call (which asks it again, from the memo)
                    if not ctx.roster.find_compact(norm) or not student_privacy.may_report(norm, ctx):
                        continue
                elif kind == _LINKS:
                    # (in the plan only when the message has a words form)
                    if not links.may_have_links(norm):
                        continue
                elif kind == _CONFIDENTIAL:
                    # (in the plan only with terms, so with the matcher compiled in
                    # every context of this engine)
                    if ctx.confidential is not None and not ctx.confidential.occurs(norm):
                        continue
            found = fn(norm, ctx, rule_settings)
            if found:
                hits.extend(found)
        if self.conversation is not None:
            found = self.conversation.feed(group, sender, norm, ctx, now)
            if found:
                hits.extend(found)
        if not hits and self._suspects is not None:
            # no rule found anything (nearly every message): the model's second opinion
            allowed = self._suspect_bits_staff if ctx.is_staff else self._suspect_bits
            if ctx.own_students and allowed & self._privacy_bit and self._only_own(norm, ctx):
                # a parent about their own child: what the privacy rule exempts
                allowed &= ~self._privacy_bit
            if allowed:
                found = self._suspects.suspect(norm, ctx.role, allowed)
                if found is not None:
                    rule_id, reason = self._suspect_hits[found[0]]
                    hits.append(make_hit(rule_id, norm, 0, len(norm.original), reason,
                                         severity=Severity.INFO, kind=SUSPECTED_KIND))
        return hits

"""The three stateful content rules over one record per group: content.ack_replies,
content.flood and content.chitchat (each rule is described in its own module).

The engine feeds every group message here once, in order; one dict lookup finds
the group's record, which holds the latest notice (ack replies), the current run
of identical messages (flood) and the current run of idle chat (chit-chat). The
acknowledgement test ("收到", "好的老师") that ack replies and chit-chat both ask is
computed at most once per message. Hits come in the order ack, flood, chit-chat.

A record costs about 100 bytes plus what it holds: the fields it needs are
created when first needed (no set of reminded members before the first
reminder, no chat run before the first idle message), so that 10,000 groups
stay cheap (issue #8's memory target).

Bounded: at most `max_groups` records, the least recently active group dropped
first (one engine serves the few groups of one class). A rule that is disabled
keeps nothing. tests/unit/test_content_trackers_oracle.py checks every message's
hits against a plain reference of the three rules on generated conversations.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import datetime, timedelta

from plugins.charter.catalogue import AckRepliesSettings, ChitchatSettings, FloodSettings
from plugins.charter.model import Severity
from plugins.charter.normalize import NormalizedText, fold_term
from plugins.content.detectors import ack_replies, chitchat, flood
from plugins.content.detectors.acks import ack_only
from plugins.content.detectors.base import DetectContext, Hit, make_hit

MAX_GROUPS = 10_000
_ZERO = timedelta(0)
_INFO = Severity.INFO


class _Group:
    """What the stateful rules remember of one group."""

    __slots__ = ("key", "starter", "count", "several", "chain_reported",
                 "notice_time", "notice_asks", "reminded", "chat", "chat_quiet_until")

    def __init__(self) -> None:
        # flood: the current run of identical messages (key None: no run)
        self.key: str | None = None
        self.starter = ""  # who started it
        self.count = 0
        self.several = False  # someone else joined it (a chain, not one member flooding)
        self.chain_reported = False
        # ack replies: the latest notice of staff (time None: none yet)
        self.notice_time: datetime | None = None
        self.notice_asks = False  # it asked for replies
        self.reminded: set[str] | None = None  # members reminded for it (None: nobody)
        # chit-chat: the current run of idle messages, oldest first, at most run_length,
        # flat: [time, sender, time, sender, ...] (None: no idle message yet). A list,
        # not a deque of pairs: a deque costs 760 bytes however short, a pair 56
        self.chat: list[datetime | str] | None = None
        self.chat_quiet_until: datetime | None = None  # no new run counted before (reminded)


class ConversationTracker:
    """Stateful rules of one engine; a rule whose settings are None is off.

    `notices`: what a notice is and which ask for replies (the content.ack_replies
    settings, enabled or not). With flood on and ack replies off, the chain of "收到"
    a notice asked for is still no flood (school-full enables flood alone)."""

    __slots__ = ("_groups", "_max", "_flood", "_repeat", "_acks", "_notices", "_marker_re", "_ack_window",
                 "_notice_min", "_chat", "_chat_window", "_chat_slots", "_last_group", "_last")

    def __init__(
        self,
        flood_settings: FloodSettings | None = None,
        acks_settings: AckRepliesSettings | None = None,
        chitchat_settings: ChitchatSettings | None = None,
        max_groups: int = MAX_GROUPS,
        notices: AckRepliesSettings | None = None,
    ) -> None:
        self._groups: OrderedDict[str, _Group] = OrderedDict()
        self._max = max_groups
        self._flood = flood_settings is not None
        self._repeat = flood_settings.repeat if flood_settings is not None else 0
        self._acks = acks_settings is not None
        if acks_settings is not None or flood_settings is None:
            notices = acks_settings
        self._notices = notices is not None  # notices are followed (ack replies, or flood's chains)
        self._marker_re: re.Pattern[str] | None = None
        self._ack_window = self._chat_window = _ZERO
        self._notice_min = self._chat_slots = 0
        if notices is not None:
            self._ack_window = timedelta(minutes=notices.window_minutes)
            self._notice_min = notices.notice_min_chars
            markers = [m for m in (fold_term(x) for x in notices.reply_markers) if m]
            if markers:
                self._marker_re = re.compile("|".join(map(re.escape, markers)))
        self._chat = chitchat_settings is not None
        if chitchat_settings is not None:
            self._chat_window = timedelta(minutes=chitchat_settings.window_minutes)
            # the run holds a time and a sender per message: two slots each
            self._chat_slots = 2 * max(1, chitchat_settings.run_length)
        self._last_group: str | None = None  # the group of the last message fed
        self._last = _Group()  # its record (a placeholder before the first message)

    def __bool__(self) -> bool:
        return self._flood or self._acks or self._chat

    def asks_replies(self, norm: NormalizedText) -> bool:
        """A notice with a reply marker ("收到请回复") asks for replies."""
        return self._marker_re is not None and self._marker_re.search(norm.compact) is not None

    def feed(
        self, group: str, sender: str, norm: NormalizedText, ctx: DetectContext, now: datetime
    ) -> list[Hit]:
        """The stateful rules' hits on the next message of a group."""
        # most messages come from the group of the message before (a class has one or
        # two groups, and a conversation comes in bursts): its record is already the
        # most recently used, so neither the lookup nor the move is needed
        if group == self._last_group:
            rec = self._last
        else:
            rec = self._record(group)
        hits: list[Hit] = []
        compact = norm.compact
        staff = ctx.is_staff
        ack: bool | None = None  # is_ack(norm, ctx.roster), computed when first asked
        # -- ack replies (also: did the latest notice ask for replies, as of before
        # this message; a chain of such replies is no flood) ---------------------
        expected = False
        if self._notices:
            since = rec.notice_time
            if since is not None:
                age = now - since
                if rec.notice_asks:
                    expected = age <= self._ack_window
                elif self._acks and not staff and _ZERO <= age <= self._ack_window:
                    reminded = rec.reminded
                    if reminded is None or sender not in reminded:
                        ack = ack_only(norm, ctx.roster)
                        if ack:
                            if reminded is None:
                                reminded = rec.reminded = set()
                            if len(reminded) < ack_replies.MAX_REMINDED:
                                reminded.add(sender)
                            hits.append(make_hit(ack_replies.RULE_ID, norm, 0, len(norm.original),
                                                 ack_replies.REASON, severity=_INFO, kind="ack"))
            if staff and len(compact) >= self._notice_min and not ack_only(norm, None):
                rec.notice_time = now
                rec.notice_asks = self.asks_replies(norm)
                rec.reminded = None
        # -- flood ----------------------------------------------------------------
        if self._flood:
            key = compact or norm.loose.replace(" ", "")  # flood.flood_key(norm), inlined
            if not key:
                rec.key = None  # an image or empty message breaks the run
            else:
                if rec.key != key:  # a new run (most messages)
                    rec.key = key
                    rec.starter = sender
                    rec.count = count = 1
                    rec.several = False
                    rec.chain_reported = False
                else:
                    if sender != rec.starter:
                        rec.several = True
                    rec.count = count = rec.count + 1
                if count >= self._repeat:
                    if not rec.several:
                        hits.append(make_hit(flood.RULE_ID, norm, 0, len(norm.original),
                                             flood.reason_single(count), kind="flood.single"))
                    elif not rec.chain_reported and not expected:
                        rec.chain_reported = True
                        hits.append(make_hit(flood.RULE_ID, norm, 0, len(norm.original),
                                             flood.REASON_CHAIN, severity=_INFO, kind="flood.chain"))
        # -- chit-chat ------------------------------------------------------------
        if self._chat:
            if staff:
                if rec.chat:
                    rec.chat.clear()  # a staff message ends the run
            elif compact and "老师" not in compact and (rec.chat_quiet_until is None or now >= rec.chat_quiet_until):
                # within a window of the last reminder the chat is the same spell: the
                # group is not reminded every run_length messages
                if ack is None:
                    ack = ack_only(norm, ctx.roster)
                if not ack:
                    run = rec.chat
                    if run is None:
                        run = rec.chat = []
                    run.append(now)
                    run.append(sender)
                    if len(run) > self._chat_slots:  # as a deque with maxlen would
                        del run[:2]
                    if now - run[0] > self._chat_window:  # type: ignore[operator]
                        # (most messages: the oldest is within the window, nothing to drop)
                        window = self._chat_window
                        stale = 2
                        while stale < len(run) and now - run[stale] > window:  # type: ignore[operator]
                            stale += 2
                        del run[:stale]
                    if len(run) >= self._chat_slots and len(set(run[1::2])) >= 2:
                        run.clear()
                        rec.chat_quiet_until = now + self._chat_window
                        hits.append(make_hit(chitchat.RULE_ID, norm, 0, len(norm.original),
                                             chitchat.REASON, severity=_INFO, kind="chitchat"))
        return hits

    def _record(self, group: str) -> _Group:
        """The group's record, created when first seen, now the most recently used
        (and remembered as the last group's)."""
        groups = self._groups
        rec = groups.get(group)
        if rec is None:
            rec = groups[group] = _Group()
            if len(groups) > self._max:
                groups.popitem(last=False)
        else:
            groups.move_to_end(group)
        if self._max > 0:  # (with no room the record is gone already)
            self._last_group = group
            self._last = rec
        return rec

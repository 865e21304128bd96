"""content.ack_replies (charter 6): replies like "收到/好的/谢谢老师" to a teacher's
notice that did not ask for replies. One gentle reminder per member per notice,
never a strike. Notices that ask for replies (a reply marker in the notice, e.g.
"收到请回复") are left to timing.notice_receipts.

Stateful, bounded: per group only the latest notice and the members already
reminded for it. Feed every group message in order; time is passed in.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from plugins.charter.catalogue import AckRepliesSettings
from plugins.charter.model import Severity
from plugins.charter.normalize import NormalizedText, fold_term
from plugins.content.detectors.acks import is_ack
from plugins.content.detectors.base import DetectContext, Hit, make_hit

RULE_ID = "content.ack_replies"
MAX_GROUPS = 10_000
MAX_REMINDED = 500
_ZERO = timedelta(0)


@dataclass(slots=True)
class _Notice:
    time: datetime
    asks_replies: bool
    reminded: set[str] = field(default_factory=set)


class AckReplyTracker:
    def __init__(self, settings: AckRepliesSettings, max_groups: int = MAX_GROUPS) -> None:
        self.settings = settings
        self._window = timedelta(minutes=settings.window_minutes)
        self._markers = tuple(m for m in (fold_term(x) for x in settings.reply_markers) if m)
        self._marker_re = re.compile("|".join(map(re.escape, self._markers))) if self._markers else None
        self._groups: OrderedDict[str, _Notice] = OrderedDict()
        self._max = max_groups

    def asks_replies(self, norm: NormalizedText) -> bool:
        return self._marker_re is not None and bool(self._marker_re.search(norm.compact))

    def expecting_replies(self, group: str, now: datetime) -> bool:
        """True while the group's latest notice asked for replies (within the window)."""
        notice = self._groups.get(group)
        if notice is None or not notice.asks_replies:
            return False
        return now - notice.time <= self._window

    def feed(
        self, group: str, sender: str, norm: NormalizedText, ctx: DetectContext, now: datetime
    ) -> list[Hit]:
        return self.step(group, sender, norm, ctx, now)[1]

    def step(
        self, group: str, sender: str, norm: NormalizedText, ctx: DetectContext, now: datetime
    ) -> tuple[bool, list[Hit]]:
        """`feed`, also answering `expecting_replies` as it was before this message:
        one lookup of the group's notice for both (the engine asks both)."""
        notice = self._groups.get(group)
        expected = (
            notice is not None and notice.asks_replies and now - notice.time <= self._window
        )
        if ctx.is_staff:
            if len(norm.compact) >= self.settings.notice_min_chars and not is_ack(norm):
                self._groups[group] = _Notice(now, self.asks_replies(norm))
                self._groups.move_to_end(group)
                while len(self._groups) > self._max:
                    self._groups.popitem(last=False)
            return expected, []
        if notice is None or notice.asks_replies or sender in notice.reminded:
            return expected, []
        if not (_ZERO <= now - notice.time <= self._window) or not is_ack(norm, ctx.roster):
            return expected, []
        if len(notice.reminded) < MAX_REMINDED:
            notice.reminded.add(sender)
        return expected, [make_hit(RULE_ID, norm, 0, len(norm.original),
                                   "老师的通知未要求回复，无需在群里回复“收到”，以免刷掉通知",
                                   severity=Severity.INFO, kind="ack")]

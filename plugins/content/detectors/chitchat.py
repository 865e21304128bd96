"""content.chitchat: a run of idle chat among parents: `run_length` messages from
non-staff members (at least two of them) in a row, without a staff message, within
`window_minutes`. One reminder to the group per run, no strike.

Acknowledgements and messages to a teacher (containing 老师) do not count as idle
chat; a staff message ends the run. Stateful and bounded per group.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from datetime import datetime, timedelta

from plugins.charter.catalogue import ChitchatSettings
from plugins.charter.model import Severity
from plugins.charter.normalize import NormalizedText
from plugins.content.detectors.acks import is_ack
from plugins.content.detectors.base import DetectContext, Hit, make_hit

RULE_ID = "content.chitchat"
MAX_GROUPS = 10_000


class ChitchatTracker:
    def __init__(self, settings: ChitchatSettings, max_groups: int = MAX_GROUPS) -> None:
        self.settings = settings
        self._window = timedelta(minutes=settings.window_minutes)
        self._length = max(1, settings.run_length)
        self._groups: OrderedDict[str, deque[tuple[datetime, str]]] = OrderedDict()
        self._max = max_groups

    def feed(
        self, group: str, sender: str, norm: NormalizedText, ctx: DetectContext, now: datetime
    ) -> list[Hit]:
        if ctx.is_staff:
            self._groups.pop(group, None)
            return []
        compact = norm.compact
        if not compact or "老师" in compact or is_ack(norm, ctx.roster):
            return []
        groups = self._groups
        run = groups.get(group)
        if run is None:
            run = groups[group] = deque(maxlen=self._length)
            while len(groups) > self._max:
                groups.popitem(last=False)
        else:
            groups.move_to_end(group)
        run.append((now, sender))
        window = self._window
        while run and now - run[0][0] > window:
            run.popleft()
        if len(run) < self._length or len({s for _, s in run}) < 2:
            return []
        run.clear()
        return [make_hit(RULE_ID, norm, 0, len(norm.original),
                         "群内闲聊较多，班级群仅用于家校沟通，请移步私聊",
                         severity=Severity.INFO, kind="chitchat")]

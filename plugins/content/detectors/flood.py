"""content.flood: the same text (after normalisation) `repeat` or more times in a
row in a group.

- By one member: flooding; every repeat from the `repeat`-th on is a hit
  (kind "flood.single", a violation).
- By several members (a chain of identical replies): one hit for the group when
  the chain reaches `repeat` (kind "flood.chain", severity info, nobody struck).
  Chains of replies a notice asked for ("收到" to "收到请回复") are not reported.

Stateful, bounded: per group only the current run (text, count, who started it,
whether anyone else joined), at most `max_groups` groups. Feed every group
message in order.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from plugins.charter.catalogue import FloodSettings
from plugins.charter.model import Severity
from plugins.charter.normalize import NormalizedText
from plugins.content.detectors.base import Hit, make_hit

RULE_ID = "content.flood"
MAX_GROUPS = 10_000


@dataclass(slots=True)
class _Run:
    key: str
    sender: str  # who started the run
    count: int = 0
    several: bool = False  # someone else joined it (a chain, not one member flooding)
    chain_reported: bool = False


def flood_key(norm: NormalizedText) -> str:
    """What "the same text" means: the compact form, or for emoji-only messages
    the loose form without spaces."""
    return norm.compact or norm.loose.replace(" ", "")


class FloodTracker:
    def __init__(self, settings: FloodSettings, max_groups: int = MAX_GROUPS) -> None:
        self.settings = settings
        self._groups: OrderedDict[str, _Run] = OrderedDict()
        self._max = max_groups

    def feed(
        self, group: str, sender: str, norm: NormalizedText, expected_reply: bool = False
    ) -> list[Hit]:
        key = norm.compact or norm.loose.replace(" ", "")  # flood_key(norm), inlined
        if not key:
            self._groups.pop(group, None)  # an image or empty message breaks the run
            return []
        groups = self._groups
        run = groups.get(group)
        if run is None:
            run = groups[group] = _Run(key, sender)
            while len(groups) > self._max:
                groups.popitem(last=False)
        else:
            groups.move_to_end(group)
            if run.key != key:  # a new run: reuse the record
                run.key = key
                run.sender = sender
                run.count = 0
                run.several = False
                run.chain_reported = False
            elif sender != run.sender:
                run.several = True
        run.count += 1
        if run.count < self.settings.repeat:
            return []
        if not run.several:
            return [make_hit(RULE_ID, norm, 0, len(norm.original),
                             f"连续{run.count}次发送相同内容，属于刷屏",
                             kind="flood.single")]
        if run.chain_reported or expected_reply:
            return []
        run.chain_reported = True
        return [make_hit(RULE_ID, norm, 0, len(norm.original),
                         "多位成员连续发送相同内容，请大家避免刷屏",
                         severity=Severity.INFO, kind="flood.chain")]

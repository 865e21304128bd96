"""content.flood: the same text (after normalisation) `repeat` or more times in a
row in a group.

- By one member: flooding; every repeat from the `repeat`-th on is a hit
  (kind "flood.single", a violation).
- By several members (a chain of identical replies): one hit for the group when
  the chain reaches `repeat` (kind "flood.chain", severity info, nobody struck).
  Chains of replies a notice asked for ("收到" to "收到请回复") are not reported.

Stateful, bounded: per group only the current run (text, count, who started it,
whether anyone else joined). The engine runs it with the other stateful rules in
conversation.ConversationTracker, one record per group.
"""

from __future__ import annotations

from plugins.charter.normalize import NormalizedText

RULE_ID = "content.flood"
REASON_CHAIN = "多位成员连续发送相同内容，请大家避免刷屏"


def reason_single(count: int) -> str:
    return f"连续{count}次发送相同内容，属于刷屏"


def flood_key(norm: NormalizedText) -> str:
    """What "the same text" means: the compact form, or for emoji-only messages
    the loose form without spaces."""
    return norm.compact or norm.loose.replace(" ", "")

"""Acknowledgement-only messages: "收到", "好的老师", "谢谢老师辛苦了", "👌", with
the sender's child's name or relation around them ("收到 张子涵妈妈")."""

from __future__ import annotations

import re

from plugins.charter.normalize import NormalizedText
from plugins.content.detectors.base import NameIndex

_ACK = re.compile(
    r"(?:收到|收|好的|好滴|好嘞|好哒|好|谢谢|谢|感谢|多谢|老师|您|辛苦|了|啦|的|明白|知道|已阅|阅|了解|"
    r"嗯|恩|哦|噢|ok|okay|get|已|哈|呢|呀|啊|们|大家|家长|各位|妈妈|爸爸|奶奶|爷爷|外婆|外公|姥姥|姥爷|"
    r"mama|baba|\+1|1)+"
)
_EMOJI_ONLY = re.compile(r"[^\w]+")
# every character of the acknowledgement words: a message with any other character
# is no acknowledgement. Most messages have one at either end, and str.strip,
# which stops at the first such character from each end, answers that faster than
# a search (or the alternation failing at each position)
_ACK_CHARS = "".join(sorted(set(re.sub(r"[()?:|+\\]", "", _ACK.pattern)) | {"+"}))
# the same as a set: most messages begin or end with another character, and two
# lookups answer them for less than strip, which builds a filter of _ACK_CHARS on
# every call (and returns a new string)
_ACK_SET = frozenset(_ACK_CHARS)


def is_ack(norm: NormalizedText, roster: NameIndex | None = None) -> bool:
    """Kept in `norm.memo` (the conversation tracker asks ack_only once itself)."""
    key = (is_ack, roster)
    found = norm.memo.get(key)
    if found is None:
        found = norm.memo[key] = ack_only(norm, roster)
    return found  # type: ignore[return-value]


def ack_only(norm: NormalizedText, roster: NameIndex | None) -> bool:
    """Whether the message is an acknowledgement only (`is_ack` without the memo)."""
    compact = norm.compact
    if not compact:
        loose = norm.loose.strip()
        return bool(loose) and len(loose) <= 12 and bool(_EMOJI_ONLY.fullmatch(loose))
    if len(compact) > 24:
        return False
    if roster is not None:  # find_compact answers [] for an empty roster
        # what find_compact answers from the message (the engine notes most messages
        # name nobody; its privacy gate has searched the others by now), read without
        # a second call: asked of nearly every message
        names = [] if norm.no_names_of is roster else norm.memo.get(roster)
        if names is None:
            names = roster.find_compact(norm)
        if names:
            for _, start, end in reversed(names):  # in order, not overlapping
                compact = compact[:start] + compact[end:]
            if not compact:
                return False
    if compact[0] not in _ACK_SET or compact[-1] not in _ACK_SET or compact.strip(_ACK_CHARS):
        return False  # a character no acknowledgement word has
    return bool(_ACK.fullmatch(compact)) and compact not in ("老师", "您", "的", "了", "1")

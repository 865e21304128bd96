"""OneBot v11 (QQ) events reduced to what the charter core looks at."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import GroupMessageEvent, Message

from adapters.segments import segment_data
from plugins.charter.model import GroupRef

PLATFORM = "qq"


_GROUPS_KEPT = 100_000
_groups: dict[int | str, GroupRef] = {}


def group_ref(group_id: int | str) -> GroupRef:
    """The group's GroupRef, one object per group (made once, its key with it)."""
    ref = _groups.get(group_id)
    if ref is None:
        if len(_groups) >= _GROUPS_KEPT:
            _groups.clear()
        ref = _groups[group_id] = GroupRef(PLATFORM, str(group_id))
    return ref


def message_parts(message: Message) -> tuple[str, tuple[str, ...], bool, str | None, bool]:
    """(text without mentions, mentioned ids, mentions all, replied message id, has image)."""
    texts: list[str] = []
    mentions: dict[str, None] = {}  # ordered and unique; a list would be quadratic in mentions
    mentions_all = False
    reply_to: str | None = None
    has_image = False
    for segment in message:
        data = segment_data(segment)
        if segment.type == "text":
            texts.append(str(data.get("text", "")))
        elif segment.type == "at":
            target = str(data.get("qq", ""))
            if target == "all":
                mentions_all = True
            elif target and target not in mentions:
                mentions[target] = None
        elif segment.type == "reply":
            reply_to = str(data.get("id", "")) or None
        elif segment.type == "image":
            has_image = True
    return "".join(texts).strip(), tuple(mentions), mentions_all, reply_to, has_image


def display_name(event: GroupMessageEvent) -> str:
    sender = event.sender
    return (sender.card or sender.nickname or str(event.user_id)).strip()

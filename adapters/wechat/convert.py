"""OneBot v12 WeChat events reduced to what the charter core looks at.

NoneBot's v12 adapter strips a leading mention of the bot and the reply segment
from ``event.message``; these helpers read ``event.original_message`` so nothing
the member actually sent is lost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone

from nonebot.adapters.onebot.v12 import (
    Bot,
    GroupMemberDecreaseEvent,
    GroupMemberIncreaseEvent,
    GroupMessageEvent,
    Message,
)
from nonebot.exception import ActionFailed, ApiNotAvailable, NetworkError

from adapters.segments import segment_data
from plugins.charter.model import GroupRef

PLATFORM = "wechat"
MEDIA_TYPES = frozenset({"image", "video", "file", "voice", "audio"})

GroupEvent = GroupMessageEvent | GroupMemberIncreaseEvent | GroupMemberDecreaseEvent


@dataclass(frozen=True, slots=True)
class MessageParts:
    text: str  # text segments only, mentions excluded
    mentions: tuple[str, ...] = ()  # user ids of real mention segments, in order, unique
    mentions_all: bool = False
    reply_to: str | None = None
    has_image: bool = False
    segment_count: int = 1


@dataclass(frozen=True, slots=True)
class WeChatMessage:
    """A group message: everything but the sender's display name (see ``display_name``)."""

    group: GroupRef
    user_id: str
    message_id: str
    time: datetime  # timezone-aware
    parts: MessageParts


@dataclass(frozen=True, slots=True)
class MemberChange:
    group: GroupRef
    user_id: str
    operator_id: str
    joined: bool  # True: joined; False: left or removed


def to_group_ref(event: GroupEvent) -> GroupRef:
    return GroupRef(PLATFORM, str(event.group_id))


def message_parts(message: Message) -> MessageParts:
    texts: list[str] = []
    mentions: dict[str, None] = {}  # ordered and unique; a list would be quadratic in mentions
    mentions_all = False
    reply_to: str | None = None
    has_image = False
    for segment in message:
        kind, data = segment.type, segment_data(segment)
        if kind == "text":
            texts.append(str(data.get("text", "")))
        elif kind == "mention":
            user_id = str(data.get("user_id", ""))
            if user_id and user_id not in mentions:
                mentions[user_id] = None
        elif kind == "mention_all":
            mentions_all = True
        elif kind == "reply":
            reply_to = str(data.get("message_id", "")) or None
        elif kind in MEDIA_TYPES:
            has_image = has_image or kind == "image"
    return MessageParts(
        text="".join(texts).strip(),
        mentions=tuple(mentions),
        mentions_all=mentions_all,
        reply_to=reply_to,
        has_image=has_image,
        segment_count=max(1, len(message)),
    )


def message_text_and_mentions(message: Message) -> tuple[str, tuple[str, ...], str | None]:
    """(plain text without mentions, mentioned user ids, id of the message replied to)."""
    parts = message_parts(message)
    return parts.text, parts.mentions, parts.reply_to


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def to_wechat_message(event: GroupMessageEvent) -> WeChatMessage:
    parts = message_parts(event.original_message)
    if parts.reply_to is None and event.reply is not None:
        parts = MessageParts(
            parts.text, parts.mentions, parts.mentions_all, event.reply.message_id,
            parts.has_image, parts.segment_count,
        )
    return WeChatMessage(
        group=to_group_ref(event),
        user_id=str(event.user_id),
        message_id=str(event.message_id),
        time=_aware(event.time),
        parts=parts,
    )


def member_change(event: GroupMemberIncreaseEvent | GroupMemberDecreaseEvent) -> MemberChange:
    return MemberChange(
        group=to_group_ref(event),
        user_id=str(event.user_id),
        operator_id=str(event.operator_id),
        joined=isinstance(event, GroupMemberIncreaseEvent),
    )


# Group cards change rarely but must be seen soon after they do (membership.real_name).
NAME_TTL_S = 60.0
_names: dict[tuple[str, str, str], tuple[float, str]] = {}
_NAMES_MAX = 4096


async def display_name(bot: Bot, group_id: str, user_id: str) -> str:
    """The member's group card (``user_displayname``), else their nickname, else the id."""
    key = (bot.self_id, group_id, user_id)
    now = time.monotonic()
    hit = _names.get(key)
    if hit and now - hit[0] < NAME_TTL_S:
        return hit[1]
    try:
        info = await bot.get_group_member_info(group_id=group_id, user_id=user_id)
    except (ActionFailed, NetworkError, ApiNotAvailable):
        return hit[1] if hit else user_id
    data = dict(info or {})
    name = str(data.get("user_displayname") or data.get("user_name") or user_id)
    if len(_names) >= _NAMES_MAX:
        _names.clear()
    _names[key] = (now, name)
    return name

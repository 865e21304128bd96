"""WeCom events reduced to what the charter core looks at."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from plugins.charter.model import GroupRef

from .api import WeComAPIError
from .bot import Bot
from .event import (
    ExternalChatChangeEvent,
    ExternalChatMemberAddEvent,
    ExternalChatMemberRemoveEvent,
    RobotGroupMessageEvent,
    RobotMessageEvent,
)

PLATFORM = "wecom"


@dataclass(frozen=True, slots=True)
class WeComMessage:
    """A message to the robot. WeCom sends mentions as plain text, so ``mentions``
    is always empty; a command's "@张子涵妈妈" stays in ``text`` to resolve by name."""

    group: GroupRef | None  # None for a private message to the robot
    user_id: str
    message_id: str
    time: datetime
    text: str
    reply_to_text: str = ""  # the quoted message's text; WeCom gives no id for it
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MemberChange:
    group: GroupRef
    user_id: str
    joined: bool
    join_scene: int = 0
    removed_by_owner: bool = False


def to_group_ref(event: RobotMessageEvent | ExternalChatChangeEvent) -> GroupRef:
    chat_id = event.chat_id if isinstance(event, ExternalChatChangeEvent) else event.chatid
    return GroupRef(PLATFORM, chat_id)


def to_wecom_message(event: RobotMessageEvent) -> WeComMessage:
    return WeComMessage(
        group=to_group_ref(event) if event.chatid else None,
        user_id=event.user_id,
        message_id=event.msgid,
        time=event.time,
        text=event.message.plain_text(),
        reply_to_text=event.quote_text,
    )


def member_changes(event: ExternalChatChangeEvent) -> list[MemberChange]:
    """One change per member WeCom names (MemChangeList). When it names none, the
    core should diff the group's member list (``WeComOps.member_list``)."""
    if not isinstance(event, ExternalChatMemberAddEvent | ExternalChatMemberRemoveEvent):
        return []
    joined = isinstance(event, ExternalChatMemberAddEvent)
    return [
        MemberChange(
            group=to_group_ref(event), user_id=user_id, joined=joined,
            join_scene=event.join_scene, removed_by_owner=(not joined and event.quit_scene == 1),
        )
        for user_id in event.member_ids
    ]


NAME_TTL_S = 60.0
_names: dict[str, tuple[float, dict[str, str]]] = {}


async def display_name(bot: Bot, chat_id: str, user_id: str) -> str:
    """The member's group nickname (else name, else id), from the group detail API."""
    hit = _names.get(chat_id)
    now = time.monotonic()
    if hit is None or now - hit[0] >= NAME_TTL_S or user_id not in hit[1]:
        api = bot.adapter.api
        if api is None:
            return user_id
        try:
            chat = await api.group_chat(chat_id)
        except WeComAPIError:
            return hit[1].get(user_id, user_id) if hit else user_id
        hit = (now, {m.userid: m.display_name for m in chat.members})
        _names[chat_id] = hit
    return hit[1].get(user_id, user_id)


async def group_message_parts(bot: Bot, event: object) -> dict[str, object] | None:
    """The fields of the core's message builder for a robot group message, else None.

    Async: the display name comes from the group detail API (cached for a minute).
    """
    if not isinstance(event, RobotGroupMessageEvent) or not event.chatid:
        return None
    message = to_wecom_message(event)
    return dict(
        group=to_group_ref(event), user_id=message.user_id,
        display_name=await display_name(bot, event.chatid, message.user_id),
        message_id=message.message_id, text=message.text, time=message.time, mentions=(),
        mentions_all=False, reply_to=None, has_image=_has_image(event),
        segment_count=1,
    )


def _has_image(event: RobotMessageEvent) -> bool:
    return event.msgtype == "image" or "image" in str(event.raw_body.get("mixed", ""))

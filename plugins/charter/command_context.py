"""Who issued a command, where, about whom, for which class: one shape for every platform."""

from __future__ import annotations

from dataclasses import dataclass

from nonebot.adapters import Bot, Event

from adapters.segments import segment_data

from .config import ClassConfig
from .identity import is_superuser
from .model import Account, GroupRef, Role
from .runtime import Runtime

PLATFORM_OF_ADAPTER = {"OneBot V11": "qq", "WeCom": "wecom"}


@dataclass(frozen=True)
class CommandContext:
    runtime: Runtime
    user: Account
    group: GroupRef | None  # None in a private chat
    cls: ClassConfig | None
    is_superuser: bool
    role: Role | None  # staff role in `cls`, None for everyone else
    mentions: tuple[str, ...]
    reply_to: str | None
    args: str
    display_name: str

    @property
    def is_staff(self) -> bool:
        return self.role is not None

    @property
    def may_manage(self) -> bool:
        """Only superusers and the class's staff may change anything."""
        return self.is_superuser or self.is_staff


def platform_of(bot: Bot) -> str | None:
    adapter = bot.adapter.get_name()
    if adapter == "OneBot V12":
        return str(getattr(bot, "platform", "")) or None
    return PLATFORM_OF_ADAPTER.get(adapter)


def _segments(event: Event) -> tuple[tuple[str, ...], str | None, str | None, str]:
    """(mentioned ids, replied message id, group id, display name) from any supported event."""
    message = getattr(event, "original_message", None) or event.get_message()
    mentions: dict[str, None] = {}  # ordered and unique; a list would be quadratic in mentions
    reply_to = None
    for segment in message:
        data = segment_data(segment)
        if segment.type in ("at", "mention"):
            target = str(data.get("qq") or data.get("user_id") or "")
            if target and target != "all" and target not in mentions:
                mentions[target] = None
        elif segment.type == "reply":
            reply_to = str(data.get("id") or data.get("message_id") or "") or None
    reply = getattr(event, "reply", None)
    if reply_to is None and reply is not None:
        reply_to = str(getattr(reply, "message_id", "")) or None
    group_id = getattr(event, "group_id", None)
    sender = getattr(event, "sender", None)
    name = ""
    if sender is not None:
        name = str(getattr(sender, "card", "") or getattr(sender, "nickname", "") or "")
    return tuple(mentions), reply_to, (str(group_id) if group_id is not None else None), name


def staff_classes(runtime: Runtime, account: Account) -> list[ClassConfig]:
    return [c for c in runtime.config.classes.values() if c.role_of(account) is not None]


def build_context(runtime: Runtime, bot: Bot, event: Event, args: str) -> CommandContext | None:
    platform = platform_of(bot)
    if platform is None:
        return None
    user = Account(platform, event.get_user_id())
    mentions, reply_to, group_id, name = _segments(event)
    group = GroupRef(platform, group_id) if group_id else None
    superuser = is_superuser(user, runtime.superusers)
    cls: ClassConfig | None = None
    if group is not None:
        cls = runtime.config.class_for(group)
    else:
        # private chat: the class named first, else the one class the sender serves
        first, _, rest = args.strip().partition(" ")
        if first in runtime.config.classes:
            cls, args = runtime.config.classes[first], rest
        else:
            serving = staff_classes(runtime, user)
            if len(serving) == 1:
                cls = serving[0]
            elif superuser and len(runtime.config.classes) == 1:
                cls = next(iter(runtime.config.classes.values()))
    role = cls.role_of(user) if cls is not None else None
    return CommandContext(runtime, user, group, cls, superuser, role, mentions, reply_to, args.strip(), name)

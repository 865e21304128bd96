"""Member joins, leaves, renames and join requests from every platform, as MemberEvents."""

from __future__ import annotations

from loguru import logger
from nonebot.adapters import Bot, Event

from .lifecycle import ensure_connected
from .listeners import MemberEvent, MemberEventKind, dispatch_member_event
from .model import Account, GroupRef, event_time
from .runtime import runtime_or_none


def qq_member_events(event: Event) -> list[MemberEvent]:
    from nonebot.adapters.onebot.v11 import (
        GroupDecreaseNoticeEvent,
        GroupIncreaseNoticeEvent,
        GroupRequestEvent,
        NoticeEvent,
    )

    def acc(user_id: object) -> Account:
        return Account("qq", str(user_id))

    if isinstance(event, GroupIncreaseNoticeEvent):
        invited = event.sub_type == "invite"
        operator = acc(event.operator_id) if event.operator_id and str(event.operator_id) != str(event.user_id) else None
        return [MemberEvent(MemberEventKind.JOINED, GroupRef("qq", str(event.group_id)), acc(event.user_id),
                            event_time(event.time), operator=operator, invited=invited,
                            event_key=f"qq:join:{event.group_id}:{event.user_id}:{event.time}")]
    if isinstance(event, GroupDecreaseNoticeEvent):
        operator = acc(event.operator_id) if event.operator_id else None
        return [MemberEvent(MemberEventKind.LEFT, GroupRef("qq", str(event.group_id)), acc(event.user_id),
                            event_time(event.time), operator=operator)]
    if isinstance(event, GroupRequestEvent) and event.sub_type == "add":
        return [MemberEvent(MemberEventKind.JOIN_REQUEST, GroupRef("qq", str(event.group_id)), acc(event.user_id),
                            event_time(event.time), comment=(event.comment or "").strip(), flag=event.flag,
                            event_key=f"qq:request:{event.flag}")]
    if isinstance(event, NoticeEvent) and getattr(event, "notice_type", "") == "group_card":
        data = event.model_dump()
        return [MemberEvent(MemberEventKind.RENAMED, GroupRef("qq", str(data.get("group_id"))),
                            acc(data.get("user_id")), event_time(event.time), display_name=str(data.get("card_new") or ""),
                            old_name=str(data.get("card_old") or ""))]
    return []


def wechat_member_events(event: Event) -> list[MemberEvent]:
    from nonebot.adapters.onebot.v12 import GroupMemberDecreaseEvent, GroupMemberIncreaseEvent

    from adapters.wechat.convert import member_change

    if not isinstance(event, GroupMemberIncreaseEvent | GroupMemberDecreaseEvent):
        return []
    change = member_change(event)
    operator = Account("wechat", change.operator_id) if change.operator_id and change.operator_id != change.user_id \
        else None
    kind = MemberEventKind.JOINED if change.joined else MemberEventKind.LEFT
    return [MemberEvent(kind, change.group, Account("wechat", change.user_id), event_time(event.time), operator=operator,
                        invited=change.joined and operator is not None)]


def wecom_member_events(event: Event) -> list[MemberEvent]:
    from adapters.wecom.convert import member_changes
    from adapters.wecom.event import ExternalChatChangeEvent

    if not isinstance(event, ExternalChatChangeEvent):
        return []
    when = event_time(getattr(event, "time", None))
    return [MemberEvent(MemberEventKind.JOINED if c.joined else MemberEventKind.LEFT, c.group,
                        Account("wecom", c.user_id), when) for c in member_changes(event)]


def member_events(bot: Bot, event: Event) -> list[MemberEvent]:
    adapter = bot.adapter.get_name()
    if adapter == "OneBot V11":
        return qq_member_events(event)
    if adapter == "OneBot V12" and getattr(bot, "platform", "") == "wechat":
        return wechat_member_events(event)
    if adapter == "WeCom":
        return wecom_member_events(event)
    return []


async def handle_member_event(bot: Bot, event: Event) -> None:
    runtime = runtime_or_none()
    if runtime is None:
        return
    try:
        events = member_events(bot, event)
    except Exception as exc:
        logger.opt(exception=exc).warning("could not read a member event; ignored")
        return
    for member_event in events:
        cls = runtime.config.class_for(member_event.group)
        if cls is None:
            runtime.note_unknown_group(member_event.group)
            continue
        await ensure_connected(bot)
        runtime.saw_group(member_event.group, bot.self_id)
        await dispatch_member_event(runtime, cls, member_event)


"""Group messages from every platform, into the pipeline.

`on_group_message` turns the adapter's event into an `IncomingMessage` (per
platform family); everything after that is platform-neutral. It is called by the
one entry matcher (entry.py) and never blocks: commands and other plugins still
see the message.
"""

from __future__ import annotations

from dataclasses import replace

from loguru import logger
from nonebot.adapters import Bot, Event
from nonebot.adapters.onebot.v11 import GroupMessageEvent as V11GroupMessage

from adapters.qq import convert as qq

from .commands import command_arguments
from .lifecycle import ensure_connected, is_prepared
from .listeners import start_dispatch
from .model import event_time
from .pipeline import MESSAGE_FIELDS, fields_in_order, message_of, start_process
from .runtime import runtime_or_none

MAX_SEGMENTS = 2_000  # a message with more segments is checked on its first ones


def _v11_fields(event: Event) -> tuple | None:
    """A QQ group message's fields in the order of pipeline.MESSAGE_FIELDS (no dict of
    them: every QQ group message comes here)."""
    if not isinstance(event, V11GroupMessage):
        return None
    message = original = event.original_message
    if len(message) > MAX_SEGMENTS:
        message = message[:MAX_SEGMENTS]
    text, mentions, mentions_all, reply_to, has_image = qq.message_parts(message)
    if reply_to is None and event.reply is not None:
        reply_to = str(event.reply.message_id)
    return (qq.group_ref(event.group_id), str(event.user_id), qq.display_name(event), str(event.message_id), text,
            event_time(event.time), mentions, mentions_all, reply_to, has_image, len(original))


def _v11_parts(bot: Bot, event: Event):  # type: ignore[no-untyped-def]
    fields = _v11_fields(event)
    return None if fields is None else dict(zip(MESSAGE_FIELDS, fields))


async def _v12_parts(bot: Bot, event: Event):  # type: ignore[no-untyped-def]
    from nonebot.adapters.onebot.v12 import GroupMessageEvent

    from adapters.wechat import convert

    if not isinstance(event, GroupMessageEvent) or getattr(bot, "platform", "") != "wechat":
        return None
    msg = convert.to_wechat_message(event)
    name = await convert.display_name(bot, str(event.group_id), str(event.user_id))  # type: ignore[arg-type]
    parts = msg.parts
    return dict(
        group=msg.group, user_id=msg.user_id, display_name=name, message_id=msg.message_id, text=parts.text,
        time=msg.time, mentions=parts.mentions, mentions_all=parts.mentions_all, reply_to=parts.reply_to,
        has_image=parts.has_image, segment_count=parts.segment_count,
    )


async def _wecom_parts(bot: Bot, event: Event):  # type: ignore[no-untyped-def]
    try:
        from adapters.wecom.convert import group_message_parts
    except ImportError:
        return None
    return await group_message_parts(bot, event)


async def message_parts(bot: Bot, event: Event):  # type: ignore[no-untyped-def]
    adapter = bot.adapter.get_name()
    if adapter == "OneBot V11":
        return _v11_parts(bot, event)
    if adapter == "OneBot V12":
        return await _v12_parts(bot, event)
    if adapter == "WeCom":
        return await _wecom_parts(bot, event)
    return None


async def on_group_message(bot: Bot, event: Event) -> None:
    runtime = runtime_or_none()
    if runtime is None:
        return
    try:
        if bot.adapter.get_name() == "OneBot V11":
            fields = _v11_fields(event)  # a plain call: QQ's messages make no coroutine here
        else:
            parts = await message_parts(bot, event)
            fields = None if parts is None else fields_in_order(**parts)
    except Exception as exc:  # a malformed event is logged and dropped; the bot keeps serving
        logger.opt(exception=exc).warning("could not read a group message event; ignored")
        return
    if fields is None:
        return
    group = fields[0]
    cls = runtime.config.class_for(group)
    if cls is None:
        runtime.note_unknown_group(group)
        return
    if not is_prepared(runtime, bot):
        await ensure_connected(bot)
    runtime.saw_group(group, bot.self_id)
    message = message_of(runtime, cls, *fields)
    runtime.recent.add(group.key, message.message_id, message.sender.account.key, message.sender.display_name,
                       message.text, message.time)
    arguments = command_arguments(message.text)
    if arguments is not None:
        if message.sender.is_staff or message.sender.is_superuser:
            return  # staff commands are handled by the command matchers, not checked as chat
        # a member's command: its words are still checked ("/report 加V…"), the command
        # itself is not chat (three members sending /help in a row are not flooding)
        message = replace(message, text=arguments)
    # plain calls up to the first await, which most messages never reach
    pending = start_process(runtime, message, cls)
    if pending is not None:
        await pending
    pending = start_dispatch(runtime, cls, message)
    if pending is not None:
        await pending

"""v12 WeChat events reduced to group, sender, text, mentions and reply."""

from __future__ import annotations

import time
from typing import Any

from nonebot.adapters.onebot.v12 import (
    GroupMemberDecreaseEvent,
    GroupMemberIncreaseEvent,
    GroupMessageEvent,
    Message,
    MessageSegment,
)
from nonebot.compat import type_validate_python

from adapters.wechat import (
    member_change,
    message_parts,
    message_text_and_mentions,
    to_group_ref,
    to_wechat_message,
)
from plugins.charter.model import GroupRef

SELF = {"platform": "wechat", "user_id": "wxid_bot"}


def _group_message(segments: list[dict[str, Any]]) -> GroupMessageEvent:
    return type_validate_python(GroupMessageEvent, {
        "id": "e1", "time": time.time(), "type": "message", "detail_type": "group",
        "sub_type": "", "self": SELF, "message_id": "m-42", "message": segments,
        "alt_message": "", "user_id": "wxid_p1", "group_id": "123@chatroom",
    })


def test_text_excludes_mentions_and_keeps_reply_and_mentions() -> None:
    message = Message([
        MessageSegment.reply("m-7", user_id="wxid_t1"),
        MessageSegment.mention("wxid_t1"),
        MessageSegment.text(" 王老师，明天几点到校？"),
        MessageSegment.mention("wxid_t2"),
        MessageSegment.mention("wxid_t1"),
    ])
    text, mentions, reply_to = message_text_and_mentions(message)
    assert text == "王老师，明天几点到校？"
    assert mentions == ("wxid_t1", "wxid_t2")
    assert reply_to == "m-7"


def test_parts_flags_images_and_mention_all() -> None:
    parts = message_parts(Message([
        MessageSegment.mention_all(), MessageSegment.text("看图"), MessageSegment.image("f1"),
    ]))
    assert parts.mentions_all and parts.has_image
    assert parts.text == "看图" and parts.segment_count == 3


def test_group_message_keeps_the_bot_mention_the_adapter_strips() -> None:
    event = _group_message([
        {"type": "mention", "data": {"user_id": "wxid_bot"}},
        {"type": "text", "data": {"text": " /strikes"}},
    ])
    # NoneBot strips the leading bot mention from event.message (to_me handling)
    # but the converter reads the original message.
    event.message = Message("/strikes")
    converted = to_wechat_message(event)
    assert converted.group == GroupRef("wechat", "123@chatroom")
    assert converted.user_id == "wxid_p1" and converted.message_id == "m-42"
    assert converted.parts.mentions == ("wxid_bot",)
    assert converted.parts.text == "/strikes"
    assert converted.time.tzinfo is not None
    assert to_group_ref(event).key == "wechat:123@chatroom"


def test_member_notices_become_member_changes() -> None:
    base = {"id": "e2", "time": time.time(), "type": "notice", "sub_type": "", "self": SELF,
            "group_id": "123@chatroom", "user_id": "wxid_new", "operator_id": "wxid_t1"}
    joined = member_change(type_validate_python(
        GroupMemberIncreaseEvent, {**base, "detail_type": "group_member_increase"}))
    left = member_change(type_validate_python(
        GroupMemberDecreaseEvent, {**base, "detail_type": "group_member_decrease"}))
    assert joined.joined and not left.joined
    assert joined.group == GroupRef("wechat", "123@chatroom")
    assert (joined.user_id, joined.operator_id) == ("wxid_new", "wxid_t1")

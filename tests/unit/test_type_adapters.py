"""Events parsed with one pydantic TypeAdapter per type read exactly as NoneBot reads them."""

from __future__ import annotations

import importlib
from typing import Annotated

from nonebot import compat
from nonebot.adapters.onebot.v11 import Adapter as V11Adapter
from nonebot.adapters.onebot.v11 import GroupMessageEvent
from nonebot.adapters.onebot.v12 import Adapter as V12Adapter
from pydantic import Field

from adapters import type_adapters
from adapters.type_adapters import EVENT_READERS, reuse_type_adapters, type_validate_python

GROUP_MESSAGE = {
    "time": 1_764_000_000, "self_id": 3000, "post_type": "message", "message_type": "group",
    "sub_type": "normal", "message_id": 7, "group_id": 700, "user_id": 9, "raw_message": "收到 @张子涵妈妈",
    "message": [{"type": "text", "data": {"text": "收到 "}}, {"type": "at", "data": {"qq": "10"}},
                {"type": "image", "data": {"file": "a.jpg", "url": "http://x/a.jpg"}}],
    "font": 0, "sender": {"user_id": 9, "nickname": "王芳", "card": "语文王芳", "role": "member"},
}


def test_the_event_readers_use_the_kept_adapters() -> None:
    assert reuse_type_adapters() == list(EVENT_READERS)
    for name in EVENT_READERS:
        assert importlib.import_module(name).type_validate_python is type_validate_python


def test_a_kept_adapter_reads_events_and_segments_as_nonebot_does() -> None:
    reuse_type_adapters()
    type_adapters._adapter.cache_clear()
    for _ in range(2):  # the first call builds the adapters, the second reuses them
        ours = V11Adapter.json_to_event(dict(GROUP_MESSAGE))
        theirs = compat.type_validate_python(GroupMessageEvent, dict(GROUP_MESSAGE))
        assert isinstance(ours, GroupMessageEvent) and ours == theirs
        assert [(s.type, s.data) for s in ours.original_message] == \
            [(s.type, s.data) for s in theirs.original_message]
        assert ours.get_plaintext() == "收到 "
    assert type_adapters._adapter.cache_info().hits > 0
    heartbeat = {"id": "1", "time": 0, "type": "meta", "detail_type": "heartbeat", "sub_type": "",
                 "interval": 5000, "self": {"platform": "qq", "user_id": "1"}}
    assert V12Adapter.json_to_event(heartbeat, "walle-q") is not None


def test_an_unhashable_type_expression_is_read_without_a_kept_adapter() -> None:
    unhashable = Annotated[int, Field(gt=0), [1]]  # a list in the metadata: no cache key
    assert type_validate_python(unhashable, "5") == 5

"""Fuzz: platform payloads and message segments, as the adapters receive them, through
every converter the charter core uses. Whatever arrives, parsing either yields an event
and the core's view of it, or nothing; it never raises."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from nonebot.adapters.onebot.v11 import Adapter as V11Adapter
from nonebot.adapters.onebot.v11 import GroupMessageEvent as V11GroupMessage
from nonebot.adapters.onebot.v11 import Message as V11Message
from nonebot.adapters.onebot.v11 import MessageSegment as V11Segment
from nonebot.adapters.onebot.v12 import GroupMessageEvent as V12GroupMessage
from nonebot.adapters.onebot.v12 import Message as V12Message
from nonebot.adapters.onebot.v12 import MessageSegment as V12Segment

from adapters.frames import PARSED_FRAMES, ParsedFrames, TolerantWebSocket
from adapters.qq import convert as qq
from adapters.wechat import convert as wechat
from adapters.wechat.adapter import Adapter as V12Adapter
from adapters.wecom.adapter import parse_xml
from adapters.wecom.convert import member_changes, to_wecom_message
from adapters.wecom.crypto import CallbackRejected
from adapters.wecom.event import external_chat_event, robot_message_event
from plugins.charter import matchers
from plugins.charter.command_context import _segments
from plugins.charter.member_matchers import qq_member_events, wechat_member_events

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# JSON values, from scalars to small nested structures
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True), st.text(max_size=30))
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                    max_leaves=12)
IDS = st.one_of(st.integers(min_value=-(2**63), max_value=2**63), st.text(max_size=20), st.just("all"), JSON)


def segment_data(keys: list[str]) -> st.SearchStrategy[Any]:
    # mostly objects; sometimes what a careless bridge sends instead (`"data": null`, a list)
    return st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), IDS | JSON, max_size=4) | SCALARS | JSON


V11_TYPES = ["text", "at", "reply", "image", "face", "record", "json", "xml", "forward", "unknown", ""]
V11_SEGMENTS = st.builds(V11Segment, st.sampled_from(V11_TYPES) | st.text(max_size=8),
                         segment_data(["text", "qq", "id", "file", "url", "name"]))
V12_TYPES = ["text", "mention", "mention_all", "reply", "image", "voice", "audio", "video", "file", "location", "x"]
V12_SEGMENTS = st.builds(V12Segment, st.sampled_from(V12_TYPES) | st.text(max_size=8),
                         segment_data(["text", "user_id", "message_id", "file_id"]))


# --- message segments ---------------------------------------------------------------


@FAST
@given(st.lists(V11_SEGMENTS, max_size=60))
def test_qq_message_parts_of_any_segments(segments: list[V11Segment]) -> None:
    text, mentions, mentions_all, reply_to, has_image = qq.message_parts(V11Message(segments))
    assert isinstance(text, str) and isinstance(mentions_all, bool) and isinstance(has_image, bool)
    assert len(set(mentions)) == len(mentions) and "all" not in mentions
    assert reply_to is None or isinstance(reply_to, str)


@FAST
@given(st.lists(V12_SEGMENTS, max_size=60))
def test_wechat_message_parts_of_any_segments(segments: list[V12Segment]) -> None:
    parts = wechat.message_parts(V12Message(segments))
    assert isinstance(parts.text, str) and len(set(parts.mentions)) == len(parts.mentions)
    assert parts.segment_count == max(1, len(segments))


def test_a_segment_without_fields_does_not_hide_the_rest_of_the_message() -> None:
    # NapCat-like bridges may send `"data": null`; the message's other segments are still read
    v11 = V11Message([V11Segment("text", None), V11Segment("at", None), V11Segment.text(" 加我薇信 ")])  # type: ignore[arg-type]
    assert qq.message_parts(v11) == ("加我薇信", (), False, None, False)
    v12 = V12Message([V12Segment("text", None), V12Segment("reply", None), V12Segment.text("加我薇信")])  # type: ignore[arg-type]
    parts = wechat.message_parts(v12)
    assert (parts.text, parts.mentions, parts.reply_to) == ("加我薇信", (), None)
    event = V11Adapter.json_to_event({
        "post_type": "message", "message_type": "group", "sub_type": "normal", "message_id": 1, "font": 0,
        "time": 0, "self_id": 1, "user_id": 2, "group_id": 3, "raw_message": "",
        "message": [{"type": "text", "data": None}, {"type": "reply", "data": None},
                    {"type": "text", "data": {"text": "加我薇信"}}], "sender": {"user_id": 2}})
    assert isinstance(event, V11GroupMessage)
    event.original_message = event.message  # the adapter sets it on delivery
    assert matchers._v11_parts(None, event)["text"] == "加我薇信"
    assert _segments(event)[:2] == ((), None)


def test_thousands_of_segments_are_read_in_bounded_time() -> None:
    many_v11 = V11Message([V11Segment.at(i) if i % 3 else V11Segment.text("收到" * 5) for i in range(20_000)])
    many_v12 = V12Message([V12Segment.mention(str(i)) if i % 3 else V12Segment.text("收到") for i in range(20_000)])
    event = V11GroupMessage.model_construct(  # as the adapter builds it, without validating 20 000 segments
        user_id=40001, group_id=900001, message=many_v11, original_message=many_v11, reply=None, sender=None)
    started = time.perf_counter()
    text, mentions, *_ = qq.message_parts(many_v11)
    parts = wechat.message_parts(many_v12)
    command_mentions, *_ = _segments(event)
    assert len(mentions) == len(parts.mentions) == len(command_mentions) == 20_000 - 6_667
    assert time.perf_counter() - started < 2.0  # a hang detector: a quadratic dedupe takes several seconds


# --- QQ: OneBot v11 payloads -----------------------------------------------------------


def v11_payloads() -> st.SearchStrategy[dict[str, Any]]:
    common = dict(time=st.integers(min_value=-(2**40), max_value=2**40) | JSON, self_id=IDS,
                  user_id=IDS, group_id=IDS, operator_id=IDS)
    message = st.fixed_dictionaries({
        "post_type": st.just("message"), "message_type": st.sampled_from(["group", "private", "x"]),
        "sub_type": st.sampled_from(["normal", "friend", "group", "anonymous", "notice", ""]),
        "message_id": IDS, "font": st.integers(0, 5) | JSON, **common,
        "message": st.one_of(st.text(max_size=200),  # CQ-coded string, as some implementations send
                             st.lists(st.fixed_dictionaries({"type": st.sampled_from(V11_TYPES) | JSON,
                                                             "data": JSON}), max_size=20)),
        "raw_message": st.text(max_size=50),
        "sender": st.fixed_dictionaries({"user_id": IDS}, optional={"card": JSON, "nickname": JSON, "role": JSON}),
    }, optional={"reply": JSON, "anonymous": JSON})
    notice = st.fixed_dictionaries({
        "post_type": st.just("notice"),
        "notice_type": st.sampled_from(["group_increase", "group_decrease", "group_card", "group_recall",
                                        "group_ban", "notify", "friend_add", "x"]),
        "sub_type": st.sampled_from(["approve", "invite", "leave", "kick", "kick_me", "poke", ""]) | JSON,
        **common,
    }, optional={"card_new": JSON, "card_old": JSON, "message_id": IDS})
    request = st.fixed_dictionaries({
        "post_type": st.just("request"), "request_type": st.sampled_from(["group", "friend", "x"]),
        "sub_type": st.sampled_from(["add", "invite", ""]), "comment": JSON, "flag": JSON, **common,
    })
    anything = st.dictionaries(st.sampled_from(["post_type", "notice_type", "time", "self_id", "group_id"]) |
                               st.text(max_size=8), JSON, max_size=6)
    return st.one_of(message, notice, request, anything)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(v11_payloads())
def test_any_onebot_v11_payload(payload: dict[str, Any]) -> None:
    event = V11Adapter.json_to_event(payload)
    if event is None:
        return
    for member_event in qq_member_events(event):
        assert member_event.group.platform == "qq" and member_event.account.platform == "qq"
    if isinstance(event, V11GroupMessage):
        if event.original_message is None or not isinstance(event.original_message, V11Message):
            event.original_message = event.message  # the adapter sets it on delivery
        parts = matchers._v11_parts(None, event)
        assert parts is not None and isinstance(parts["text"], str)
    if hasattr(event, "get_message"):
        try:
            event.get_message()
        except ValueError:
            return  # a notice has no message
        mentions, reply_to, group_id, name = _segments(event)
        assert isinstance(mentions, tuple) and isinstance(name, str)


# --- WeChat: OneBot v12 payloads -------------------------------------------------------


def v12_payloads() -> st.SearchStrategy[dict[str, Any]]:
    base = dict(
        id=st.text(max_size=10), time=st.floats(min_value=-1e12, max_value=1e12) | st.integers(0, 2**34) | JSON,
        type=st.sampled_from(["message", "notice", "request", "meta"]),
        detail_type=st.sampled_from(["group", "private", "group_member_increase", "group_member_decrease", "x"]),
        sub_type=st.sampled_from(["", "join", "invite", "leave", "kick"]),
        self=st.fixed_dictionaries({"platform": st.sampled_from(["wechat", "qq"]) | JSON, "user_id": IDS}),
        group_id=IDS, user_id=IDS, operator_id=IDS,
    )
    return st.fixed_dictionaries(base, optional={
        "message_id": IDS, "alt_message": JSON,
        "message": st.lists(st.fixed_dictionaries({"type": st.sampled_from(V12_TYPES) | JSON, "data": JSON}),
                            max_size=20) | JSON,
    })


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(v12_payloads())
def test_any_onebot_v12_payload(payload: dict[str, Any]) -> None:
    event = V12Adapter.json_to_event(payload, "walle-q")
    if event is None:
        return
    for member_event in wechat_member_events(event):
        assert member_event.account.platform == "wechat"
    if isinstance(event, V12GroupMessage):
        message = wechat.to_wechat_message(event)
        assert isinstance(message.parts.text, str) and message.time.tzinfo is not None


# --- WeCom: robot JSON, app XML ----------------------------------------------------------

ROBOT_BODIES = st.one_of(
    st.dictionaries(st.sampled_from(["msgid", "msgtype", "chattype", "chatid", "from", "text", "mixed", "voice",
                                     "quote", "aibotid", "response_url"]) | st.text(max_size=6), JSON, max_size=8),
    st.fixed_dictionaries({
        "msgid": JSON, "msgtype": st.sampled_from(["text", "mixed", "voice", "image", "event"]) | JSON,
        "chattype": st.sampled_from(["group", "single"]) | JSON, "chatid": JSON,
        "from": st.fixed_dictionaries({"userid": JSON}) | JSON,
        "text": st.fixed_dictionaries({"content": JSON}) | JSON,
        "mixed": st.fixed_dictionaries({"msg_item": st.lists(JSON, max_size=5) | JSON}) | JSON,
        "voice": JSON, "quote": JSON,
    }),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROBOT_BODIES, st.text(max_size=10))
def test_any_wecom_robot_body(body: dict[str, Any], robot_name: str) -> None:
    event = robot_message_event(body, "robot", robot_name=robot_name)
    if event is None:
        return
    message = to_wecom_message(event)
    assert isinstance(message.text, str) and message.message_id


APP_FIELDS = st.dictionaries(
    st.sampled_from(["Event", "ChatId", "CreateTime", "MemChangeList", "ChangeType", "JoinScene", "QuitScene",
                     "MemChangeCnt", "LastMemVer", "CurMemVer", "ToUserName", "UpdateDetail"]),
    st.one_of(st.text(max_size=20), st.tuples(st.text(max_size=10)), st.lists(st.text(max_size=5), max_size=3),
              st.integers(min_value=-(2**70), max_value=2**70).map(str), st.sampled_from(
                  ["change_external_chat", "add_member", "del_member", "update", "99999999999999", "-1e9"])),
    max_size=12,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(APP_FIELDS)
def test_any_wecom_app_callback_fields(fields: dict[str, Any]) -> None:
    fields = {"Event": "change_external_chat", "ChatId": "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA", **fields}
    event = external_chat_event(fields, "app")
    if event is None:
        return
    for change in member_changes(event):
        assert change.group.platform == "wecom" and isinstance(change.user_id, str)


XML_TEXT = st.one_of(
    st.text(max_size=300),
    st.builds(lambda tag, body: f"<xml><{tag}>{body}</{tag}></xml>", st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True),
              st.text(max_size=50)),
    st.builds(lambda n: "<xml>" + "<a>" * n + "</a>" * n + "</xml>", st.integers(0, 3000)),
    st.sampled_from([
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><A>&a;</A></xml>',
        "<xml><MemChangeList><Item>a</Item><Item></Item></MemChangeList></xml>",
        "<xml><![CDATA[", "\x00<xml/>", "<?xml version='1.0' encoding='gbk'?><xml><A>中</A></xml>",
        '<xml xmlns:x="urn:x"><x:A>1</x:A></xml>', "<xml>&unknown;</xml>",
    ]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(XML_TEXT)
def test_any_xml_is_parsed_or_refused(text: str) -> None:
    try:
        fields = parse_xml(text)
    except CallbackRejected:
        return
    assert isinstance(fields, dict)
    external_chat_event(fields, "app")


# --- what the fuzzing found, kept as plain examples ----------------------------------------


def test_a_v12_event_that_fails_to_parse_with_markup_in_it_is_dropped() -> None:
    """The base adapter's error log reads the payload as loguru markup; "<>" in it raised
    from the log call and closed the bridge's connection."""
    payload = {"id": "1", "time": None, "type": "message", "detail_type": "group", "sub_type": "",
               "self": {"platform": "wechat", "user_id": "bot"}, "group_id": "g", "user_id": "u",
               "message_id": "m", "message": [{"type": "text", "data": {"text": "<b>作业</b>"}}]}
    assert V12Adapter.json_to_event(payload, "walle-q") is None


def test_wecom_fields_of_the_wrong_shape_read_as_missing() -> None:
    for body in ({"msgid": "1", "msgtype": "text", "text": "直接是字符串"},
                 {"msgid": "1", "msgtype": "mixed", "mixed": {"msg_item": [True, {"msgtype": "text", "text": 3}]}},
                 {"msgid": "1", "msgtype": "text", "from": "zhangsan", "text": {"content": None}}):
        event = robot_message_event(body, "robot")
        assert event is not None and to_wecom_message(event).text == ""
    event = external_chat_event({"Event": "change_external_chat", "ChatId": "wr1", "CreateTime": "9" * 30,
                                 "UpdateDetail": "add_member", "MemChangeList": ("wm1",)}, "app")
    assert event is not None and event.time.year >= 2025
    assert [c.user_id for c in member_changes(event)] == ["wm1"]


# --- the tolerant WebSocket frame filter ----------------------------------------------------


class FakeSocket:
    def __init__(self, frames: list[str | bytes]):
        self.frames = list(frames)
        self.closed = False

    async def receive(self) -> str | bytes:
        if not self.frames:
            raise ConnectionError("end of test frames")
        return self.frames.pop(0)


def _is_object_frame(frame: str | bytes) -> bool:
    if isinstance(frame, bytes):
        return True
    try:
        return frame.lstrip().startswith("{") and isinstance(json.loads(frame), dict)
    except (ValueError, RecursionError):
        return False


FRAMES = st.one_of(
    JSON.map(json.dumps),
    st.dictionaries(st.text(max_size=5), JSON, max_size=4).map(json.dumps),
    st.text(max_size=80),
    st.binary(max_size=20),
    st.builds(lambda n: '{"a":' + "[" * n, st.integers(0, 200_000)),
    st.builds(lambda n: '{"a":' + "[" * n + "]" * n + "}", st.integers(0, 200_000)),
    st.sampled_from(["{", "{}", " {} ", "{\"post_type\": ", "null", "[]", "\ufeff{}", "{\"a\": NaN}"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAMES, max_size=12))
def test_the_frame_filter_passes_exactly_the_json_objects_in_order(frames: list[str | bytes]) -> None:
    parsed = ParsedFrames()
    socket = TolerantWebSocket(FakeSocket(frames), "fuzz", parsed)

    async def drain() -> list[str | bytes]:
        passed: list[str | bytes] = []
        with contextlib.suppress(ConnectionError):
            while True:
                frame = await socket.receive()
                if isinstance(frame, str):  # what the adapter then reads: the frame's own value
                    assert json.dumps(parsed.loads(frame)) == json.dumps(json.loads(frame))  # NaN-safe
                passed.append(frame)
        return passed

    assert asyncio.run(drain()) == [f for f in frames if _is_object_frame(f)]
    assert socket.closed is False  # attributes still reach the wrapped socket


def test_v12_payload_with_colliding_dotted_keys_is_dropped() -> None:
    # found by the fuzzer above: "" then "." nest into a None value
    payload = {"id": "1", "time": 0, "type": "meta", "detail_type": "heartbeat", "sub_type": "",
               "self": {"platform": "qq", "user_id": {"": None, ".": {}}}}
    assert V12Adapter.json_to_event(payload, "walle-q") is None


def test_the_adapter_takes_the_frame_filters_parse_once_and_parses_anything_else_itself() -> None:
    parsed = ParsedFrames()
    frame = '{"post_type": "message", "message_id": 7}'
    socket = TolerantWebSocket(FakeSocket(["not json", "[1]", frame]), "parse once", parsed)
    got = asyncio.run(socket.receive())
    assert got is frame
    value = parsed.loads(got)
    assert value == {"post_type": "message", "message_id": 7}
    again = parsed.loads(got)  # handed over once: the same frame again is parsed anew
    assert again == value and again is not value
    parsed.keep(frame, value)
    equal_text = "".join(list(frame))  # an equal string, not the frame the filter kept
    assert parsed.loads(equal_text) is not value and parsed.loads(frame) is value
    assert parsed.loads('{"a": [1, 2]}') == {"a": [1, 2]}
    assert parsed.dumps({"a": 1}) == json.dumps({"a": 1})
    with pytest.raises(ValueError):
        parsed.loads("{not json")


def test_the_onebot_adapters_read_their_frames_through_the_shared_parses() -> None:
    import nonebot.adapters.onebot.v11.adapter as v11_module
    import nonebot.adapters.onebot.v12.adapter as v12_module

    import adapters.qq.adapter  # noqa: F401  (installs the shared parses)
    import adapters.wechat.adapter  # noqa: F401

    assert v11_module.json is PARSED_FRAMES and v12_module.json is PARSED_FRAMES

"""WeChatOps against a simulated OneBot v12 bridge over a real WebSocket.

The bridge connects to NoneBot's v12 reverse WebSocket at /onebot/v12/ws the way a
real one does: connect meta event, status update, then answers action requests.
Once with every capability, once with none (get_supported_actions unsupported).
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import nonebot
import pytest
import uvicorn
import websockets
from nonebot.adapters.onebot.v12 import Adapter as V12Adapter
from nonebot.adapters.onebot.v12 import Bot as V12Bot

from adapters.wechat import WeChatOps, cached_capabilities, load_capabilities, ops_for
from adapters.wechat.capabilities import forget_capabilities
from plugins.charter.platform import Capability

FULL_ACTIONS = [
    "get_supported_actions", "send_message", "delete_message", "get_group_member_list",
    "get_group_member_info", "wx.delete_groupmember",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
async def server() -> AsyncIterator[int]:
    driver = nonebot.get_driver()
    if V12Adapter.get_name() not in nonebot.get_adapters():
        driver.register_adapter(V12Adapter)
    port = _free_port()
    config = uvicorn.Config(driver.asgi, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    srv = uvicorn.Server(config)
    task = asyncio.create_task(srv.serve())
    while not srv.started:
        await asyncio.sleep(0.02)
    yield port
    srv.should_exit = True
    await task


Handler = Callable[[str, dict[str, Any]], tuple[str, int, Any, str]]


class Bridge:
    """A OneBot v12 implementation end: events out, action requests in."""

    def __init__(self, port: int, self_id: str, handler: Handler) -> None:
        self.url = f"ws://127.0.0.1:{port}/onebot/v12/ws"
        self.self_id = self_id
        self.handler = handler
        self.requests: list[dict[str, Any]] = []
        self._task: asyncio.Task[None] | None = None
        self._ws: Any = None

    def _event(self, **fields: Any) -> str:
        return json.dumps({"id": uuid.uuid4().hex, "time": time.time(), **fields})

    async def __aenter__(self) -> "Bridge":
        self._ws = await websockets.connect(self.url)
        await self._ws.send(self._event(
            type="meta", detail_type="connect", sub_type="",
            version={"impl": "fakewx", "version": "1.0", "onebot_version": "12"},
        ))
        await self._ws.send(self._event(
            type="meta", detail_type="status_update", sub_type="",
            status={"good": True, "bots": [
                {"self": {"platform": "wechat", "user_id": self.self_id}, "online": True}]},
        ))
        self._task = asyncio.create_task(self._serve())
        for _ in range(200):
            if self.self_id in nonebot.get_bots():
                break
            await asyncio.sleep(0.02)
        return self

    async def _serve(self) -> None:
        async for raw in self._ws:
            request = json.loads(raw)
            self.requests.append(request)
            status, retcode, data, message = self.handler(request["action"], request["params"])
            await self._ws.send(json.dumps({
                "status": status, "retcode": retcode, "data": data,
                "message": message, "echo": request["echo"],
            }))

    async def __aexit__(self, *exc: object) -> None:
        await self._ws.close()
        if self._task:
            await asyncio.wait_for(self._task, 5)
        for _ in range(200):
            if self.self_id not in nonebot.get_bots():
                break
            await asyncio.sleep(0.02)

    def actions(self) -> list[str]:
        return [r["action"] for r in self.requests]


def full_bridge(action: str, params: dict[str, Any]) -> tuple[str, int, Any, str]:
    if action == "get_supported_actions":
        return "ok", 0, FULL_ACTIONS, ""
    if action == "send_message":
        return "ok", 0, {"message_id": "m-1", "time": time.time()}, ""
    if action == "delete_message":
        if params["message_id"] == "too-old":
            return "failed", 34001, None, "消息已超过撤回时限"
        return "ok", 0, None, ""
    if action == "get_group_member_list":
        return "ok", 0, [
            {"user_id": "wxid_p1", "user_name": "大壮", "user_displayname": "张子涵妈妈"},
            {"user_id": "wxid_t1", "user_name": "Fang", "user_displayname": ""},
        ], ""
    if action == "wx.delete_groupmember":
        return "ok", 0, None, ""
    return "failed", 10002, None, "unsupported action"


def bare_bridge(action: str, params: dict[str, Any]) -> tuple[str, int, Any, str]:
    if action == "send_message":
        return "ok", 0, {"message_id": "m-2", "time": time.time()}, ""
    return "failed", 10002, None, "unsupported action"


def _bot(self_id: str) -> V12Bot:
    bot = nonebot.get_bot(self_id)
    assert isinstance(bot, V12Bot)
    return bot


async def test_full_bridge_learns_every_capability_and_carries_out_ops(server: int) -> None:
    async with Bridge(server, "wxid_bot_full", full_bridge) as bridge:
        bot = _bot("wxid_bot_full")
        caps = await load_capabilities(bot)
        assert caps >= {Capability.RECALL, Capability.KICK, Capability.MEMBER_LIST,
                        Capability.GROUP_MESSAGE, Capability.PRIVATE_MESSAGE, Capability.MENTION}
        assert Capability.MUTE not in caps
        assert cached_capabilities("wxid_bot_full") == caps

        ops = await ops_for(bot)
        assert (await ops.recall("123@chatroom", "msg-9")).ok
        assert bridge.requests[-1]["params"] == {"message_id": "msg-9"}

        refused = await ops.recall("123@chatroom", "too-old")
        assert not refused.ok and not refused.unsupported
        assert "34001" in refused.detail and "撤回时限" in refused.detail

        assert (await ops.send_group("123@chatroom", "请修改群昵称", mention="wxid_p1")).ok
        sent = bridge.requests[-1]["params"]
        assert sent["detail_type"] == "group" and sent["group_id"] == "123@chatroom"
        assert sent["message"][0] == {"type": "mention", "data": {"user_id": "wxid_p1"}}
        assert "请修改群昵称" in sent["message"][-1]["data"]["text"]

        assert (await ops.send_private("wxid_p1", "温馨提醒")).ok
        assert bridge.requests[-1]["params"]["detail_type"] == "private"
        assert bridge.requests[-1]["params"]["user_id"] == "wxid_p1"

        assert (await ops.kick("123@chatroom", "wxid_p1")).ok
        assert bridge.requests[-1]["action"] == "wx.delete_groupmember"
        assert bridge.requests[-1]["params"] == {"group_id": "123@chatroom", "user_list": "wxid_p1"}

        members = await ops.member_list("123@chatroom")
        assert [(m.user_id, m.display_name) for m in members] == [
            ("wxid_p1", "张子涵妈妈"), ("wxid_t1", "Fang")]

        muted = await ops.mute("123@chatroom", "wxid_p1", 600)
        assert muted.unsupported and "禁言" in muted.detail
        await forget_capabilities(bot)
        assert cached_capabilities("wxid_bot_full") is None


async def test_bare_bridge_only_sends_and_makes_no_impossible_calls(server: int) -> None:
    async with Bridge(server, "wxid_bot_bare", bare_bridge) as bridge:
        bot = _bot("wxid_bot_bare")
        caps = await load_capabilities(bot)
        assert caps == {Capability.GROUP_MESSAGE, Capability.PRIVATE_MESSAGE}
        ops = WeChatOps(bot)
        calls_before = len(bridge.requests)

        recall = await ops.recall("g@chatroom", "m1")
        kick = await ops.kick("g@chatroom", "wxid_x")
        assert recall.unsupported and "手动撤回" in recall.detail
        assert kick.unsupported and "手动" in kick.detail
        assert await ops.member_list("g@chatroom") == []
        assert len(bridge.requests) == calls_before  # nothing was attempted

        assert (await ops.send_group("g@chatroom", "提醒", mention="wxid_x")).ok
        message = bridge.requests[-1]["params"]["message"]
        assert [seg["type"] for seg in message] == ["text"]  # no mention without the capability


async def test_disconnected_bridge_reports_failure_not_success(server: int) -> None:
    async with Bridge(server, "wxid_bot_gone", full_bridge):
        bot = _bot("wxid_bot_gone")
        ops = WeChatOps(bot, await load_capabilities(bot))
    result = await ops.send_group("g@chatroom", "hello")
    assert not result.ok and not result.unsupported


async def test_a_bridge_that_reconnects_with_fewer_actions_is_asked_again(server: int) -> None:
    async with Bridge(server, "wxid_bot_swap", full_bridge):
        first = await ops_for(_bot("wxid_bot_swap"))
        assert first.can(Capability.RECALL) and first.can(Capability.KICK)
    async with Bridge(server, "wxid_bot_swap", bare_bridge) as bridge:
        second = await ops_for(_bot("wxid_bot_swap"))
        assert "get_supported_actions" in [r["action"] for r in bridge.requests]
        assert not second.can(Capability.RECALL) and not second.can(Capability.KICK)
        assert (await second.recall("g@chatroom", "m1")).unsupported

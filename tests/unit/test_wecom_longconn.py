"""The robot's long-connection mode against a local WebSocket gateway on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

import adapters.wecom.bot as wecom_bot
from adapters.wecom import Adapter, RobotGroupMessageEvent, WeComOps
from plugins.charter.platform import Capability
from tests.wecom_fake.harness import Recorder, make_driver
from tests.wecom_fake.longconn import FakeRobotGateway


async def _until(predicate: Any, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


@pytest.fixture
async def gateway() -> AsyncIterator[FakeRobotGateway]:
    async with FakeRobotGateway(bot_id="bot-id-1", secret="bot-secret-value") as gw:
        yield gw


def _adapter(gateway: FakeRobotGateway, secret: str = "bot-secret-value") -> tuple[Any, Adapter]:
    driver = make_driver(
        wecom_bot_id="bot-id-1", wecom_bot_secret=secret, wecom_bot_ws_url=gateway.url,
        wecom_bot_heartbeat_s=0.2, wecom_bot_reconnect_max_s=0.5,
    )
    return driver, Adapter(driver)


async def test_messages_arrive_and_replies_go_back_on_the_same_req_id(
    gateway: FakeRobotGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder()
    monkeypatch.setattr(wecom_bot, "handle_event", recorder)
    driver, adapter = _adapter(gateway)
    async with driver._lifespan:
        await asyncio.wait_for(gateway.connected.wait(), 5)
        await _until(lambda: adapter.robot_online)
        req_id = await gateway.push_message({
            "msgid": "m-1", "aibotid": "AIBOT1", "chatid": "wrChat1", "chattype": "group",
            "from": {"userid": "wmParent1"}, "msgtype": "text", "text": {"content": "@班规助手 /help"},
        })
        await _until(lambda: recorder.events)
        (event,) = recorder.events
        assert isinstance(event, RobotGroupMessageEvent)
        assert event.req_id == req_id and event.get_plaintext() == "/help"

        bot = adapter.bots["robot"]
        await bot.send(event, "您好，我是班规助手。")
        (reply,) = gateway.sent("aibot_respond_msg")
        assert reply["headers"]["req_id"] == req_id
        assert reply["body"]["stream"]["content"] == "您好，我是班规助手。"
        assert reply["body"]["stream"]["finish"] is True

        ops = WeComOps(adapter)
        assert Capability.GROUP_MESSAGE in ops.capabilities
        assert (await ops.send_group("wrChat1", "请勿在群内发广告。", mention="wangfang")).ok
        (push,) = gateway.sent("aibot_send_msg")
        assert push["body"]["chatid"] == "wrChat1" and push["body"]["msgtype"] == "markdown"
        assert push["body"]["markdown"]["content"] == "<@wangfang> 请勿在群内发广告。"

        await _until(lambda: gateway.sent("ping"), timeout=3)  # heartbeat


async def test_reconnects_after_the_gateway_drops_the_connection(gateway: FakeRobotGateway) -> None:
    driver, adapter = _adapter(gateway)
    async with driver._lifespan:
        await _until(lambda: gateway.sessions == 1)
        await gateway.drop()
        await _until(lambda: gateway.sessions == 2, timeout=8)
        await _until(lambda: adapter.robot_online)
        assert adapter.robot_connection is not None and adapter.robot_connection.connections == 2


async def test_wrong_secret_never_connects_and_group_posts_become_impossible(gateway: FakeRobotGateway) -> None:
    driver, adapter = _adapter(gateway, secret="wrong-secret-value")
    async with driver._lifespan:
        await _until(lambda: gateway.auth_attempts >= 2, timeout=8)  # retried with backoff
        assert not adapter.robot_online
        result = await WeComOps(adapter).send_group("wrChat1", "hello")
        assert result.unsupported and not result.ok

"""WeCom callback routes through NoneBot's ASGI app, and WeComOps over the fake server."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from nonebot.log import logger

import adapters.wecom.bot as wecom_bot
from adapters.wecom import (
    Adapter,
    ExternalChatMemberAddEvent,
    ExternalChatMemberRemoveEvent,
    RobotGroupMessageEvent,
    WeComCrypto,
    WeComOps,
    member_changes,
    to_wecom_message,
)
from plugins.charter.model import GroupRef
from plugins.charter.platform import Capability
from tests.wecom_fake.harness import Recorder, make_driver
from tests.wecom_fake.server import FakeWeCom

CORP_ID = "ww1436e0e65a779aee"
APP_TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo"  # official sample's token and key
APP_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
BOT_TOKEN = "robot-token-value-1234"
BOT_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_SECRET = "app-secret-value-5678"
HOOK_KEY = "webhook-key-value-9012"


APP_SETTINGS = dict(
    wecom_corp_id=CORP_ID, wecom_token=APP_TOKEN, wecom_encoding_aes_key=APP_KEY,
    wecom_bot_token=BOT_TOKEN, wecom_bot_encoding_aes_key=BOT_KEY,
)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    rec = Recorder()
    monkeypatch.setattr(wecom_bot, "handle_event", rec)
    return rec


async def _client(driver: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=driver.asgi), base_url="http://wecom.test")


def _signed_query(crypto: WeComCrypto, ciphertext: str, **extra: str) -> dict[str, str]:
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    return {"msg_signature": crypto.sign(timestamp, nonce, ciphertext), "timestamp": timestamp, "nonce": nonce, **extra}


async def _drain(adapter: Adapter) -> None:
    for _ in range(10):
        if not adapter.tasks:
            return
        await asyncio.gather(*list(adapter.tasks), return_exceptions=True)


async def test_app_url_verification_with_the_official_vector() -> None:
    driver = make_driver(**APP_SETTINGS, wecom_callback_max_age_s=1e10)
    Adapter(driver)
    async with driver._lifespan, await _client(driver) as client:
        response = await client.get("/wecom/app", params={
            "msg_signature": "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", "timestamp": "1476416373",
            "nonce": "47744683",
            "echostr": "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==",
        })
    assert response.status_code == 200 and response.text == "1288432023552776189"


async def test_stale_verification_is_refused() -> None:
    driver = make_driver(**APP_SETTINGS)  # default 300 s window; the sample is from 2016
    Adapter(driver)
    async with driver._lifespan, await _client(driver) as client:
        response = await client.get("/wecom/app", params={
            "msg_signature": "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", "timestamp": "1476416373",
            "nonce": "47744683",
            "echostr": "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==",
        })
    assert response.status_code == 403


def _member_xml(detail: str, members: list[str], quit_scene: int = 0) -> str:
    items = "".join(f"<Item><![CDATA[{m}]]></Item>" for m in members)
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrChat1]]></ChatId>"
        f"<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[{detail}]]></UpdateDetail>"
        f"<JoinScene>3</JoinScene><QuitScene>{quit_scene}</QuitScene><MemChangeCnt>{len(members)}</MemChangeCnt>"
        f"<MemChangeList>{items}</MemChangeList></xml>"
    )


def _envelope(ciphertext: str) -> str:
    return f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{ciphertext}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"


async def test_encrypted_member_change_becomes_a_nonebot_event(recorder: Recorder) -> None:
    driver = make_driver(**APP_SETTINGS)
    adapter = Adapter(driver)
    crypto = WeComCrypto(APP_TOKEN, APP_KEY, CORP_ID)
    async with driver._lifespan, await _client(driver) as client:
        added = crypto.encrypt(_member_xml("add_member", ["wmParent1", "wmParent2"]))
        removed = crypto.encrypt(_member_xml("del_member", ["wmParent3"], quit_scene=1))
        r1 = await client.post("/wecom/app", params=_signed_query(crypto, added), content=_envelope(added))
        r2 = await client.post("/wecom/app", params=_signed_query(crypto, removed), content=_envelope(removed))
        await _drain(adapter)
    assert (r1.status_code, r1.text) == (200, "success") and r2.status_code == 200
    joined, left = recorder.events
    assert isinstance(joined, ExternalChatMemberAddEvent) and isinstance(left, ExternalChatMemberRemoveEvent)
    assert joined.chat_id == "wrChat1" and joined.member_ids == ("wmParent1", "wmParent2")
    assert joined.join_scene == 3 and joined.get_event_name() == "notice.external_chat.add_member"
    changes = member_changes(joined) + member_changes(left)
    assert [(c.user_id, c.joined) for c in changes] == [("wmParent1", True), ("wmParent2", True), ("wmParent3", False)]
    assert changes[0].group == GroupRef("wecom", "wrChat1") and changes[2].removed_by_owner


async def test_bad_signature_replay_and_foreign_corp_are_refused(recorder: Recorder) -> None:
    driver = make_driver(**APP_SETTINGS)
    adapter = Adapter(driver)
    crypto = WeComCrypto(APP_TOKEN, APP_KEY, CORP_ID)
    foreign = WeComCrypto(APP_TOKEN, APP_KEY, "ww_other_corp")
    sink: list[str] = []
    handler_id = logger.add(sink.append, level="DEBUG")
    try:
        async with driver._lifespan, await _client(driver) as client:
            ciphertext = crypto.encrypt(_member_xml("add_member", ["wmX"]))
            query = _signed_query(crypto, ciphertext)
            forged = {**query, "msg_signature": "0" * 40}
            bad = await client.post("/wecom/app", params=forged, content=_envelope(ciphertext))
            first = await client.post("/wecom/app", params=query, content=_envelope(ciphertext))
            replay = await client.post("/wecom/app", params=query, content=_envelope(ciphertext))
            other = foreign.encrypt(_member_xml("add_member", ["wmY"]))
            wrong_corp = await client.post("/wecom/app", params=_signed_query(crypto, other), content=_envelope(other))
            await _drain(adapter)
    finally:
        logger.remove(handler_id)
    assert [r.status_code for r in (bad, first, replay, wrong_corp)] == [403, 200, 403, 403]
    assert len(recorder.events) == 1 and recorder.events[0].member_ids == ("wmX",)
    logs = "".join(sink)
    assert "refused" in logs
    assert APP_TOKEN not in logs and APP_KEY not in logs


async def test_robot_callback_becomes_a_group_message(recorder: Recorder) -> None:
    driver = make_driver(**APP_SETTINGS)
    adapter = Adapter(driver)
    crypto = WeComCrypto(BOT_TOKEN, BOT_KEY, "")
    body = {
        "msgid": "CAIQ16HMjQYY", "aibotid": "AIBOT1", "chatid": "wrChat1", "chattype": "group",
        "from": {"userid": "wangfang"}, "response_url": "https://example.invalid/r", "msgtype": "text",
        "text": {"content": "@班规助手 /strikes @张子涵妈妈"},
    }
    ciphertext = crypto.encrypt(json.dumps(body, ensure_ascii=False))
    async with driver._lifespan, await _client(driver) as client:
        verify_echo = crypto.encrypt("echo-123")
        verified = await client.get("/wecom/bot", params=_signed_query(crypto, verify_echo, echostr=verify_echo))
        response = await client.post("/wecom/bot", params=_signed_query(crypto, ciphertext), json={"encrypt": ciphertext})
        await _drain(adapter)
    assert verified.text == "echo-123"
    assert response.status_code == 200
    (event,) = recorder.events
    assert isinstance(event, RobotGroupMessageEvent) and event.is_tome()
    assert event.get_plaintext() == "/strikes @张子涵妈妈"
    converted = to_wecom_message(event)
    assert converted.group == GroupRef("wecom", "wrChat1")
    assert (converted.user_id, converted.message_id) == ("wangfang", "CAIQ16HMjQYY")


async def test_routes_exist_only_for_configured_parts() -> None:
    driver = make_driver(wecom_corp_id=CORP_ID, wecom_token=APP_TOKEN, wecom_encoding_aes_key=APP_KEY)
    Adapter(driver)
    async with driver._lifespan, await _client(driver) as client:
        assert (await client.get("/wecom/bot")).status_code == 404
        assert (await client.get("/wecom/app")).status_code == 403  # present, unsigned
    bare = make_driver()
    Adapter(bare)
    async with bare._lifespan, await _client(bare) as client:
        assert (await client.get("/wecom/app")).status_code == 404


@pytest.fixture
async def fake() -> AsyncIterator[FakeWeCom]:
    server = FakeWeCom(
        corp_id=CORP_ID, secret=APP_SECRET, webhook_keys={HOOK_KEY: "wrChat1"}, staff={"wangfang"},
        groups={"wrChat1": {"name": "三年二班家长群", "owner": "wangfang", "admin_list": [], "member_list": [
            {"userid": "wangfang", "type": 1, "join_time": 1700000000, "name": "王芳"},
            {"userid": "wmParent1", "type": 2, "join_time": 1700000100, "join_scene": 3,
             "group_nickname": "张子涵妈妈", "invitor": {"userid": "wangfang"}},
        ]}},
    )
    async with server:
        yield server


async def test_wecom_ops_over_the_fake_server(fake: FakeWeCom) -> None:
    driver = make_driver(
        wecom_corp_id=CORP_ID, wecom_secret=APP_SECRET, wecom_agent_id=1000002,
        wecom_api_base=fake.base_url, wecom_webhook_keys={"wrChat1": HOOK_KEY},
    )
    adapter = Adapter(driver)
    async with driver._lifespan:
        ops = WeComOps(adapter)
        assert ops.capabilities == {Capability.MEMBER_LIST, Capability.PRIVATE_MESSAGE,
                                    Capability.GROUP_MESSAGE, Capability.MENTION}
        for result in (await ops.recall("wrChat1", "m1"), await ops.kick("wrChat1", "wmParent1"),
                       await ops.mute("wrChat1", "wmParent1", 60)):
            assert result.unsupported and "企业微信" in result.detail

        members = await ops.member_list("wrChat1")
        assert [(m.user_id, m.display_name, m.is_admin, m.extra["kind"]) for m in members] == [
            ("wangfang", "王芳", True, "staff"), ("wmParent1", "张子涵妈妈", False, "external")]

        assert (await ops.send_private("wangfang", "请确认是否移出张子涵妈妈。")).ok
        assert fake.app_messages[-1]["touser"] == "wangfang"
        parent = await ops.send_private("wmParent1", "请修改群昵称")
        assert parent.unsupported and "家长" in parent.detail

        assert (await ops.send_group("wrChat1", "请按班规修改群昵称。", mention="wangfang")).ok
        chat, body = fake.webhook_messages[-1]
        assert chat == "wrChat1" and body["text"]["mentioned_list"] == ["wangfang"]
        assert "请按班规修改群昵称。" in body["text"]["content"]

        elsewhere = await ops.send_group("wrOther", "hello")
        assert elsewhere.unsupported and "机器人" in elsewhere.detail

        fake.expire_all_tokens()
        assert (await ops.send_private("wangfang", "第二条")).ok  # renewed transparently
        assert fake.calls["gettoken"] == 2


async def test_group_message_parts_for_the_core(fake: FakeWeCom) -> None:
    from adapters.wecom.bot import Bot
    from adapters.wecom.convert import group_message_parts
    from adapters.wecom.event import robot_message_event

    driver = make_driver(wecom_corp_id=CORP_ID, wecom_secret=APP_SECRET, wecom_api_base=fake.base_url)
    adapter = Adapter(driver)
    event = robot_message_event({
        "msgid": "m-9", "chatid": "wrChat1", "chattype": "group", "from": {"userid": "wmParent1"},
        "msgtype": "text", "text": {"content": "@班规助手 加我微信买课"},
    }, "robot")
    parts = await group_message_parts(Bot(adapter, "robot"), event)
    assert parts is not None
    assert parts["group"] == GroupRef("wecom", "wrChat1") and parts["display_name"] == "张子涵妈妈"
    assert parts["text"] == "加我微信买课" and parts["message_id"] == "m-9" and parts["mentions"] == ()
    await adapter._http.aclose()

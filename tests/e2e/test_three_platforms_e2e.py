"""One class, three platforms, one real bot process.

A simulated NapCat (QQ, OneBot v11), two simulated WeChat bridges (OneBot v12: one
with every capability, one with none) and WeCom (a fake API server and a fake
robot long-connection gateway on 127.0.0.1, plus the signed, encrypted app
callback route) are all connected to the same bot process at once. The same
charter applies in every group of the class, and one parent's strikes count
across QQ and WeChat.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from adapters.qq.peer import OneBotV11Peer
from adapters.wechat.peer import FULL_ACTIONS, OneBotV12Bridge, mentions_of
from adapters.wechat.peer import text_of as v12_text_of
from adapters.wecom.crypto import WeComCrypto
from tests.wecom_fake.longconn import FakeRobotGateway
from tests.wecom_fake.server import FakeWeCom

from .harness import ACCESS_TOKEN, BotProcess, make_config
from .test_qq_e2e import is_action, text_of

pytestmark = pytest.mark.e2e

CORP_ID = "wwe2eschool0001"
APP_SECRET = "e2e-app-secret-7d2a"
APP_TOKEN = "e2eAppCallbackToken"
APP_AES_KEY = "e2eEncodingAesKey0123456789abcdefghijklmnop"  # 43 characters
AGENT_ID = "1000002"
ROBOT_ID = "aibot-e2e-1"
ROBOT_SECRET = "e2e-robot-secret-91c3"

QQ_GROUP = "900063"
WECHAT_GROUP = "wx-g6c3@chatroom"  # served by the full bridge
WECHAT_GROUP_BARE = "wx-g6c3-b@chatroom"  # served by the bridge that can do nothing
WECOM_GROUP = "wrG6c3ParentsGroup"
HEAD_TEACHER_QQ = "20062"
HEAD_TEACHER_WECOM = "T001"

CLASS = f"""
[class]
id = "g6c3"
name = "六年三班"
charter = "class-pact"
roster = "g6c3.csv"

[[groups]]
platform = "qq"
group_id = "{QQ_GROUP}"

[[groups]]
platform = "wechat"
group_id = "{WECHAT_GROUP}"

[[groups]]
platform = "wechat"
group_id = "{WECHAT_GROUP_BARE}"

[[groups]]
platform = "wecom"
group_id = "{WECOM_GROUP}"

[staff]
head_teacher = ["qq:{HEAD_TEACHER_QQ}", "wecom:{HEAD_TEACHER_WECOM}"]

[plugins]
timing = "off"  # quiet hours would add reminders depending on when the test runs

[rules."content.ads"]
enabled = true
"""
ROSTER = "role,name,subject\nteacher,刘洋,语文\nstudent,陈晨,\nstudent,林小雨,\nstudent,周雨桐,\n"


@dataclass
class WeComFakes:
    api: FakeWeCom
    gateway: FakeRobotGateway


@pytest.fixture
async def wecom_fakes() -> AsyncIterator[WeComFakes]:
    api = FakeWeCom(corp_id=CORP_ID, secret=APP_SECRET, staff={HEAD_TEACHER_WECOM}, groups={
        WECOM_GROUP: {
            "name": "六年三班家长群", "owner": HEAD_TEACHER_WECOM, "create_time": 1_700_000_000,
            "member_list": [
                {"userid": HEAD_TEACHER_WECOM, "type": 1, "name": "王老师", "join_time": 1_700_000_000},
                {"userid": "wmZhouMom", "type": 2, "name": "小周", "group_nickname": "周雨桐妈妈",
                 "join_time": 1_700_000_100, "join_scene": 3},
            ],
            "admin_list": [],
        },
    })
    async with api, FakeRobotGateway(ROBOT_ID, ROBOT_SECRET) as gateway:
        yield WeComFakes(api, gateway)


@pytest.fixture
async def bot_process(tmp_path: Path, wecom_fakes: WeComFakes) -> AsyncIterator[BotProcess]:
    """The bot with this module's class and WeCom pointed at the fakes (named like the
    conftest fixture, so a failing test shows the bot's log)."""
    config = make_config(tmp_path, {"g6c3.toml": CLASS}, {"g6c3.csv": ROSTER})
    bot = BotProcess(tmp_path, config, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", env_extra={
        "WECOM_CORP_ID": CORP_ID, "WECOM_SECRET": APP_SECRET, "WECOM_AGENT_ID": AGENT_ID,
        "WECOM_TOKEN": APP_TOKEN, "WECOM_ENCODING_AES_KEY": APP_AES_KEY,
        "WECOM_API_BASE": wecom_fakes.api.base_url,
        "WECOM_BOT_ID": ROBOT_ID, "WECOM_BOT_SECRET": ROBOT_SECRET, "WECOM_BOT_WS_URL": wecom_fakes.gateway.url,
    })
    await asyncio.to_thread(bot.start)  # the fakes keep serving while the bot starts
    try:
        yield bot
    finally:
        await asyncio.to_thread(bot.stop)


async def connect_all(bot: BotProcess) -> tuple[OneBotV11Peer, OneBotV12Bridge, OneBotV12Bridge]:
    qq = OneBotV11Peer(bot.v11_url, self_id="3000", access_token=ACCESS_TOKEN)
    full = OneBotV12Bridge(bot.v12_url, self_id="wxid_bot_full", access_token=ACCESS_TOKEN, actions=FULL_ACTIONS)
    # a bridge that can read names and nothing else: no recall, no removal, no sending
    bare = OneBotV12Bridge(bot.v12_url, self_id="wxid_bot_bare", access_token=ACCESS_TOKEN,
                           actions=("get_supported_actions", "get_group_member_info"))
    await asyncio.gather(qq.connect(), full.connect(), bare.connect())
    await asyncio.sleep(0.5)  # let the bot register the connections
    return qq, full, bare


def robot_message(chat_id: str, user_id: str, text: str) -> dict[str, object]:
    return {
        "msgid": f"msg{uuid.uuid4().hex[:12]}", "aibotid": ROBOT_ID, "chatid": chat_id, "chattype": "group",
        "from": {"userid": user_id}, "msgtype": "text", "text": {"content": f"@班级助手 {text}"},
    }


async def wait_until(predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.05)


async def test_one_charter_and_one_strike_history_across_qq_wechat_and_wecom(
        bot_process: BotProcess, wecom_fakes: WeComFakes) -> None:
    bot, wecom, gateway = bot_process, wecom_fakes.api, wecom_fakes.gateway
    await asyncio.wait_for(gateway.connected.wait(), 15)  # the robot's long connection
    qq, wechat, bare = await connect_all(bot)
    to_head_teacher = is_action("send_private_msg", user_id=HEAD_TEACHER_QQ)
    try:
        # QQ, strike 1: the advert is withdrawn and 陈晨妈妈 is reminded privately
        ad_id = await qq.group_message(QQ_GROUP, "30061", "陈晨妈妈", "加V：abc_123，领取免费学习资料")
        await qq.wait_for(is_action("delete_msg", message_id=ad_id))
        reminder = await qq.wait_for(is_action("send_private_msg", user_id="30061"))
        assert "第 1 次" in text_of(reminder)

        # WeChat, the same person (the same roster guardian): strike 2, a public notice that mentions her
        wx_ad = await wechat.group_message(WECHAT_GROUP, "wxid_chenmom", "少儿编程免费试听，加微信 code2025 预约",
                                           name="陈晨妈妈")
        await wechat.wait_for(lambda c: c.action == "delete_message" and c.params.get("message_id") == wx_ad)
        notice = await wechat.wait_for(lambda c: c.action == "send_message"
                                       and c.params.get("detail_type") == "group")
        assert notice.params["group_id"] == WECHAT_GROUP
        assert mentions_of(notice.params["message"]) == ["wxid_chenmom"]
        assert "第 2 次" in v12_text_of(notice.params["message"])

        # WeChat through a bridge with no capabilities: nothing impossible is attempted,
        # and the head teacher is told exactly what to do
        mark = len(qq.calls)
        await bare.group_message(WECHAT_GROUP_BARE, "wxid_lindad", "自家果园橙子，包邮，电话15911112222",
                                 name="林小雨爸爸")
        instruction = await qq.wait_for(lambda c: to_head_teacher(c) and "林小雨爸爸" in text_of(c), start=mark)
        assert "请在群里撤回 林小雨爸爸" in text_of(instruction)
        assert {"delete_message", "send_message", "wx.delete_groupmember"}.isdisjoint(bare.actions_called())

        # WeCom, a robot message that mentions the bot: WeCom cannot withdraw it, so the head
        # teacher gets the instruction (by QQ and by a WeCom application message)
        mark = len(qq.calls)
        await gateway.push_message(robot_message(WECOM_GROUP, "wmZhouMom", "招代理，宝妈在家轻松月入五千，私聊"))
        by_qq = await qq.wait_for(lambda c: to_head_teacher(c) and "周雨桐妈妈" in text_of(c), start=mark)
        assert "请在群里撤回 周雨桐妈妈" in text_of(by_qq)
        await wait_until(lambda: any("周雨桐妈妈" in m["text"]["content"] for m in wecom.app_messages))
        app_message = next(m for m in wecom.app_messages if "周雨桐妈妈" in m["text"]["content"])
        assert app_message["touser"] == HEAD_TEACHER_WECOM and app_message["agentid"] == int(AGENT_ID)
        assert "请在群里撤回 周雨桐妈妈" in app_message["text"]["content"]
        assert wecom.calls["externalcontact/groupchat/get"] >= 1  # the display name came from WeCom
        assert not any(m["text"]["content"] and m["touser"] == "wmZhouMom" for m in wecom.app_messages)
        assert not gateway.sent("aibot_send_msg")  # strike 1 posts nothing into the group
        assert APP_SECRET not in bot.log() and ROBOT_SECRET not in bot.log()
    finally:
        await asyncio.gather(qq.close(), wechat.close(), bare.close())


def _join_xml(chat_id: str, member: str) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[{chat_id}]]></ChatId>"
        "<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail>"
        f"<JoinScene>3</JoinScene><MemChangeCnt>1</MemChangeCnt>"
        f"<MemChangeList><Item><![CDATA[{member}]]></Item></MemChangeList></xml>"
    )


def _signed(crypto: WeComCrypto, ciphertext: str, **extra: str) -> dict[str, str]:
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    return {"msg_signature": crypto.sign(timestamp, nonce, ciphertext), "timestamp": timestamp, "nonce": nonce,
            **extra}


async def test_wecom_app_callbacks_verify_and_deliver_a_member_join(bot_process: BotProcess) -> None:
    bot = bot_process
    crypto = WeComCrypto(APP_TOKEN, APP_AES_KEY, CORP_ID)
    url = f"http://127.0.0.1:{bot.port}/wecom/app"
    async with httpx.AsyncClient(timeout=10) as client:
        echo = crypto.encrypt("echo-6c3")
        verified = await client.get(url, params=_signed(crypto, echo, echostr=echo))
        assert (verified.status_code, verified.text) == (200, "echo-6c3")

        ciphertext = crypto.encrypt(_join_xml(WECOM_GROUP, "wmNewParent"))
        envelope = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
                    f"<Encrypt><![CDATA[{ciphertext}]]></Encrypt><AgentID>{AGENT_ID}</AgentID></xml>")
        forged = {**_signed(crypto, ciphertext), "msg_signature": "0" * 40}
        refused = await client.post(url, params=forged, content=envelope)
        accepted = await client.post(url, params=_signed(crypto, ciphertext), content=envelope)
    assert refused.status_code == 403
    assert (accepted.status_code, accepted.text) == (200, "success")
    await wait_until(lambda: "notice.external_chat.add_member" in bot.log())
    lines = bot.log().splitlines()
    joined = [i for i, line in enumerate(lines) if "notice.external_chat.add_member" in line]
    assert len(joined) == 1 and "wmNewParent" in lines[joined[0]]
    await wait_until(lambda: "plugins.charter.entry" in "".join(bot.log().splitlines()[joined[0]:]))
    assert APP_AES_KEY not in bot.log() and APP_TOKEN not in bot.log()

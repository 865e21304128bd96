"""The WeCom API client against the fake WeCom server over a real socket."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.wecom.api import WeComAPI, WeComAPIError, WeComWebhook
from adapters.wecom.redact import redact
from tests.wecom_fake.server import FakeWeCom

SECRET = "app-secret-never-logged"
HOOK_KEY = "hook-key-never-logged"


@pytest.fixture
async def fake() -> AsyncIterator[FakeWeCom]:
    server = FakeWeCom(
        corp_id="wwcorp", secret=SECRET, webhook_keys={HOOK_KEY: "wrChat1"},
        staff={"wangfang", "lisi"},
        users=[
            {"userid": "wangfang", "name": "王芳", "department": [1, 3], "position": "语文"},
            {"userid": "lisi", "name": "李四", "department": [1], "position": "数学"},
        ],
        groups={
            "wrChat1": {"name": "三年二班家长群", "owner": "wangfang", "member_list": [
                {"userid": "wangfang", "type": 1, "join_time": 1700000000, "join_scene": 1, "name": "王芳"},
                {"userid": "wmParent1", "type": 2, "join_time": 1700000100, "join_scene": 3,
                 "group_nickname": "张子涵妈妈", "name": "微信昵称", "invitor": {"userid": "wangfang"}},
            ], "admin_list": [{"userid": "wangfang"}]},
            "wrChat2": {"name": "三年二班教师群", "owner": "lisi", "member_list": []},
        },
    )
    async with server:
        yield server


@pytest.fixture
async def api(fake: FakeWeCom) -> AsyncIterator[WeComAPI]:
    client = WeComAPI("wwcorp", SECRET, agent_id=1000002, base_url=fake.base_url, backoff_s=0.01)
    yield client
    await client.aclose()


async def test_token_is_fetched_once_and_reused(api: WeComAPI, fake: FakeWeCom) -> None:
    await api.group_chat_ids()
    await api.group_chat("wrChat1")
    await api.department_users()
    assert fake.calls["gettoken"] == 1


async def test_expired_token_is_renewed_and_the_call_retried(api: WeComAPI, fake: FakeWeCom) -> None:
    await api.group_chat_ids()
    fake.expire_all_tokens()  # WeCom now answers 42001 for the cached token
    chat = await api.group_chat("wrChat1")
    assert chat.name == "三年二班家长群"
    assert fake.calls["gettoken"] == 2
    assert fake.calls["externalcontact/groupchat/get"] == 2  # refused once, then retried


async def test_token_is_renewed_before_expiry_by_the_clock(fake: FakeWeCom) -> None:
    now = [1000.0]
    fake.token_lifetime_s = 7200
    api = WeComAPI("wwcorp", SECRET, base_url=fake.base_url, clock=lambda: now[0])
    try:
        await api.token()
        now[0] += 7200 - 301  # still well before expiry: reused
        await api.token()
        assert fake.calls["gettoken"] == 1
        now[0] += 2  # within five minutes of expiry: renewed
        await api.token()
        assert fake.calls["gettoken"] == 2
    finally:
        await api.aclose()


async def test_rate_limit_is_retried_with_backoff(api: WeComAPI, fake: FakeWeCom) -> None:
    await api.token()
    fake.rate_limit_next = 2
    ids = await api.group_chat_ids()
    assert ids == ["wrChat1", "wrChat2"]
    assert fake.calls["externalcontact/groupchat/list"] == 3


async def test_persistent_rate_limit_raises_typed_error(fake: FakeWeCom) -> None:
    api = WeComAPI("wwcorp", SECRET, base_url=fake.base_url, backoff_s=0.001, rate_limit_retries=2)
    try:
        await api.token()
        fake.rate_limit_next = 10
        with pytest.raises(WeComAPIError) as caught:
            await api.group_chat("wrChat1")
        assert caught.value.errcode == 45009
    finally:
        await api.aclose()


async def test_group_detail_lists_members_with_names_and_kinds(api: WeComAPI) -> None:
    chat = await api.group_chat("wrChat1")
    parent = chat.members[1]
    assert parent.is_external and parent.display_name == "张子涵妈妈"
    assert parent.invitor == "wangfang" and parent.join_scene == 3
    assert chat.admins == ("wangfang",) and chat.owner == "wangfang"


async def test_group_list_follows_cursor_pages(api: WeComAPI, fake: FakeWeCom) -> None:
    for n in range(3, 1203):
        fake.groups[f"wrMore{n:04d}"] = {"name": "", "owner": "lisi", "member_list": []}
    ids = await api.group_chat_ids()
    assert len(ids) == 1202
    assert fake.calls["externalcontact/groupchat/list"] == 2


async def test_unknown_chat_raises_with_errcode(api: WeComAPI) -> None:
    with pytest.raises(WeComAPIError) as caught:
        await api.group_chat("wrNope")
    assert caught.value.errcode == 40050


async def test_roster_users_by_department(api: WeComAPI) -> None:
    assert [u["name"] for u in await api.department_users(3)] == ["王芳"]
    assert len(await api.department_users(1)) == 2


async def test_app_message_to_staff(api: WeComAPI, fake: FakeWeCom) -> None:
    await api.send_app_text(["wangfang"], "三年二班：张子涵妈妈已收到第三次提醒，请确认是否移出群聊。")
    sent = fake.app_messages[-1]
    assert sent["touser"] == "wangfang" and sent["agentid"] == 1000002
    assert sent["msgtype"] == "text" and "第三次提醒" in sent["text"]["content"]
    with pytest.raises(WeComAPIError, match="invalid user"):
        await api.send_app_text(["ghost"], "hi")


async def test_bad_secret_error_does_not_leak_the_secret(fake: FakeWeCom) -> None:
    api = WeComAPI("wwcorp", "wrong-secret-value", base_url=fake.base_url)
    try:
        with pytest.raises(WeComAPIError) as caught:
            await api.group_chat_ids()
        assert caught.value.errcode == 40001
        assert "wrong-secret-value" not in str(caught.value)
    finally:
        await api.aclose()


async def test_network_error_message_redacts_token_and_secret(fake: FakeWeCom) -> None:
    api = WeComAPI("wwcorp", SECRET, base_url=fake.base_url)
    try:
        token = await api.token()
        await fake.stop()
        with pytest.raises(WeComAPIError) as caught:
            await api.group_chat("wrChat1")
        assert caught.value.errcode == -1
        assert token not in str(caught.value) and SECRET not in str(caught.value)
    finally:
        await api.aclose()
        await fake.start()


async def test_webhook_notice_with_mention_and_rate_limit(fake: FakeWeCom) -> None:
    hook = WeComWebhook(base_url=fake.base_url, backoff_s=0.001)
    try:
        fake.rate_limit_next = 1
        await hook.send_text(HOOK_KEY, "请各位家长按班规修改群昵称。", mentioned=["wangfang"])
        chat_id, body = fake.webhook_messages[-1]
        assert chat_id == "wrChat1"
        assert body["text"] == {"content": "请各位家长按班规修改群昵称。", "mentioned_list": ["wangfang"]}
        assert fake.calls["webhook/send"] == 2
        with pytest.raises(WeComAPIError) as caught:
            await hook.send_text("wrong-key-value", "x")
        assert caught.value.errcode == 93000 and "wrong-key-value" not in str(caught.value)
    finally:
        await hook.aclose()


def test_redact_masks_query_secrets_in_any_case_and_leaves_other_log_lines_alone() -> None:
    assert redact("GET /ws?ACCESS_TOKEN=abc123&x=1") == "GET /ws?ACCESS_TOKEN=***&x=1"
    assert redact("corpSecret=s3cr3t key=k1 Token=t1") == "corpSecret=*** key=*** Token=***"
    line = "Matcher(type='', module=plugins.charter.entry, lineno=21) running complete"
    assert redact(line) is line
    assert redact("a monkey=1 keyboard") == "a monkey=1 keyboard"  # a word ending in "key" is no key

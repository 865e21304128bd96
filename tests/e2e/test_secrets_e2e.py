"""Secrets never reach the log: the real bot with an OneBot access token, WeCom secrets
and a PostgreSQL password, driven through a normal ladder step, a command, connections
with a wrong or missing token, bad WeCom callbacks, and a start against a database that
is not there. The bot logs at DEBUG, its most talkative level."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import websockets
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.qq.peer import OneBotV11Peer
from tests.wecom_fake.server import FakeWeCom

from .conftest import AUTO_REMOVE_CLASS, AUTO_REMOVE_ROSTER
from .harness import BotProcess, free_port, make_config
from .test_qq_e2e import is_action, text_of

pytestmark = pytest.mark.e2e

ACCESS_TOKEN = "onebot-TOKEN-7f3e91aa"
WECOM_SECRET = "wecom-SECRET-c0ffee42"
WECOM_TOKEN = "wecomCallbackTOKEN5e1d"
WECOM_AES_KEY = "SecretAesKey0123456789abcdefghijklmnopqrstu"  # 43 characters
PG_PASSWORD = "s3cretpw"  # trust authentication ignores it; the bot must still never print it
CORP_ID = "wwsecrets0001"
SECRETS = (ACCESS_TOKEN, WECOM_SECRET, WECOM_TOKEN, WECOM_AES_KEY, PG_PASSWORD)
ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"

GROUP, PARENT, PARENT_CARD, HEAD_TEACHER = "900005", "30071", "陈晨妈妈", "20002"


def leaked(log: str) -> list[str]:
    """The log lines that show a secret."""
    return [line[:300] for line in log.splitlines() if any(secret in line for secret in SECRETS)]


@pytest.fixture
async def schema() -> AsyncIterator[str]:
    name = f"cb_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(ADMIN_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield name
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        await admin.dispose()


def secret_env(api_base: str) -> dict[str, str]:
    return {
        "WECOM_CORP_ID": CORP_ID, "WECOM_SECRET": WECOM_SECRET, "WECOM_AGENT_ID": "1000002",
        "WECOM_TOKEN": WECOM_TOKEN, "WECOM_ENCODING_AES_KEY": WECOM_AES_KEY, "WECOM_API_BASE": api_base,
    }


async def test_no_secret_appears_in_the_log(tmp_path: Path, schema: str) -> None:
    config = make_config(tmp_path, {"g5c1.toml": AUTO_REMOVE_CLASS}, {"g5c1.csv": AUTO_REMOVE_ROSTER})
    url = f"postgresql+asyncpg://postgres:{PG_PASSWORD}@127.0.0.1:5432/test?search_path={schema}"
    async with FakeWeCom(corp_id=CORP_ID, secret=WECOM_SECRET) as wecom:
        bot = BotProcess(tmp_path, config, url, access_token=ACCESS_TOKEN, env_extra=secret_env(wecom.base_url))
        await asyncio.to_thread(bot.start)
        try:
            # a normal ladder step and a command
            peer = OneBotV11Peer(bot.v11_url, self_id="3000", access_token=ACCESS_TOKEN)
            await peer.connect()
            await asyncio.sleep(0.3)
            ad = await peer.group_message(GROUP, PARENT, PARENT_CARD, "加V：abc_123，领取免费学习资料")
            await peer.wait_for(is_action("delete_msg", message_id=ad))
            await peer.wait_for(is_action("send_private_msg", user_id=PARENT))
            await peer.private_message(HEAD_TEACHER, "刘洋", f"/strikes {PARENT}")
            reply = await peer.wait_for(is_action("send_private_msg", user_id=HEAD_TEACHER))
            assert "有效违规 1 次" in text_of(reply)

            # connections with a wrong token and with none are refused
            for token in (ACCESS_TOKEN[:-1] + "x", ""):
                intruder = OneBotV11Peer(bot.v11_url, self_id="3999", access_token=token)
                with pytest.raises(websockets.InvalidStatus) as refused:
                    await intruder.connect(timeout=5)
                assert refused.value.response.status_code in (401, 403)
            # some bridges send the token in the query string; NoneBot reads only the header and refuses them
            with pytest.raises(websockets.InvalidStatus):
                async with websockets.connect(f"{bot.v11_url}?access_token={ACCESS_TOKEN}",
                                              additional_headers={"X-Self-ID": "3001"}):
                    pass
            await peer.close()

            # bad WeCom callbacks: a forged signature, garbage, a verification with a wrong signature
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{bot.port}") as client:
                forged = await client.post("/wecom/app", params={
                    "msg_signature": "0" * 40, "timestamp": "1700000000", "nonce": "n1"},
                    content=f"<xml><ToUserName>{CORP_ID}</ToUserName><Encrypt>{WECOM_AES_KEY}</Encrypt></xml>")
                garbage = await client.post("/wecom/app", params={"msg_signature": "x"}, content=b"\x00<xml")
                verify = await client.get("/wecom/app", params={
                    "msg_signature": "1" * 40, "timestamp": "1700000000", "nonce": "n2", "echostr": "bm90LWEtc2VjcmV0"})
            assert [r.status_code for r in (forged, garbage, verify)] == [403, 403, 403]
        finally:
            await asyncio.to_thread(bot.stop)
    log = bot.log()
    assert "WeCom app callback refused" in log  # the bad callbacks reached the adapter
    assert "postgres:***@127.0.0.1" in log  # the database named, its password hidden
    assert leaked(log) == [], f"secrets in the log: {leaked(log)}"


async def test_a_start_against_a_missing_database_does_not_print_the_password(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"g5c1.toml": AUTO_REMOVE_CLASS}, {"g5c1.csv": AUTO_REMOVE_ROSTER})
    url = f"postgresql+asyncpg://postgres:{PG_PASSWORD}@127.0.0.1:{free_port()}/test"  # nothing listens there
    bot = BotProcess(tmp_path, config, url, access_token=ACCESS_TOKEN, env_extra=secret_env("http://127.0.0.1:9"))
    with pytest.raises((RuntimeError, TimeoutError)):
        await asyncio.to_thread(bot.start, 60.0)
    await asyncio.to_thread(bot.stop)
    log = bot.log()
    assert "Traceback" in log or "Error" in log  # it did fail, and said so
    assert leaked(log) == [], f"secrets in the log: {leaked(log)}"

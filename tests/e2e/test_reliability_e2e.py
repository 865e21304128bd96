"""Faults on real sockets: a dropped connection, a killed process, a database that goes away."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.qq.peer import OneBotV11Peer, ok_responder

from .conftest import AUTO_REMOVE_CLASS, AUTO_REMOVE_ROSTER
from tools.faults import CuttableProxy
from .harness import ACCESS_TOKEN, BotProcess, make_config
from .test_qq_e2e import AD, PARENT, PARENT_CARD, is_action, text_of

pytestmark = pytest.mark.e2e
GROUP = "900005"
PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


async def connect(bot: BotProcess, responder=ok_responder) -> OneBotV11Peer:  # type: ignore[no-untyped-def]
    peer = OneBotV11Peer(bot.v11_url, self_id="3000", access_token=ACCESS_TOKEN, responder=responder)
    await peer.connect()
    await asyncio.sleep(0.3)
    return peer


async def test_napcat_reconnects_in_the_middle_of_a_ladder(bot_process: BotProcess) -> None:
    peer = await connect(bot_process)
    first = await peer.group_message(GROUP, PARENT, PARENT_CARD, AD)
    await peer.wait_for(is_action("delete_msg", message_id=first))
    await peer.wait_for(is_action("send_private_msg", user_id=PARENT))
    await peer.close()  # the QQ client drops the connection ...

    peer = await connect(bot_process)  # ... and comes back, as NapCat does
    try:
        second = await peer.group_message(GROUP, PARENT, PARENT_CARD, "微商新品上市，私聊有优惠")
        await peer.wait_for(is_action("delete_msg", message_id=second))
        notice = await peer.wait_for(is_action("send_group_msg", group_id=GROUP))
        assert "第 2 次" in text_of(notice)
        # the same event delivered again after the reconnect: withdrawn again, not struck again
        mark = len(peer.calls)
        await peer.group_message(GROUP, PARENT, PARENT_CARD, "微商新品上市，私聊有优惠", message_id=second)
        await peer.wait_for(is_action("delete_msg", message_id=second), start=mark)
        await asyncio.sleep(1.0)
        assert [c.action for c in peer.calls[mark:]] == ["delete_msg"]
    finally:
        await peer.close()


async def test_a_process_killed_between_finding_and_action_acts_after_restart(bot_home: Path) -> None:
    config = make_config(bot_home, {"g5c1.toml": AUTO_REMOVE_CLASS}, {"g5c1.csv": AUTO_REMOVE_ROSTER})
    bot = BotProcess(bot_home, config, f"sqlite+aiosqlite:///{bot_home / 'bot.db'}",
                     env_extra={"CHARTERBOT_RECOVERY_AFTER_S": "1"})
    bot.start()
    try:
        # a client that never answers the withdrawal: the bot is stuck between finding and action
        hung = await connect(bot, lambda action, params: None if action == "delete_msg" else ok_responder(action, params))
        message_id = await hung.group_message(GROUP, PARENT, PARENT_CARD, AD)
        await hung.wait_for(is_action("delete_msg", message_id=message_id))
        bot.kill()  # SIGKILL: no shutdown hook runs
        await hung.close()

        bot.start()
        peer = await connect(bot)
        try:
            await peer.wait_for(is_action("delete_msg", message_id=message_id), timeout=40)
            reminder = await peer.wait_for(is_action("send_private_msg", user_id=PARENT), timeout=20)
            assert "第 1 次" in text_of(reminder)
        finally:
            await peer.close()
    except BaseException:
        print(bot.log()[-8000:])
        raise
    finally:
        bot.stop()


async def test_a_database_outage_defers_strikes_and_loses_nothing(bot_home: Path) -> None:
    schema = f"cb_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(PG)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    proxy = CuttableProxy("127.0.0.1", 5432)
    await proxy.start()
    config = make_config(bot_home, {"g5c1.toml": AUTO_REMOVE_CLASS}, {"g5c1.csv": AUTO_REMOVE_ROSTER})
    bot = BotProcess(bot_home, config, f"postgresql+asyncpg://postgres@127.0.0.1:{proxy.port}/test?search_path={schema}")
    await asyncio.to_thread(bot.start)  # the proxy runs on this event loop: do not block it
    try:
        peer = await connect(bot)
        try:
            first = await peer.group_message(GROUP, PARENT, PARENT_CARD, AD)
            await peer.wait_for(is_action("delete_msg", message_id=first))
            await peer.wait_for(is_action("send_private_msg", user_id=PARENT))

            await proxy.cut()  # the database goes away
            mark = len(peer.calls)
            second = await peer.group_message(GROUP, PARENT, PARENT_CARD, "招代理，宝妈在家轻松月入五千")
            await peer.wait_for(is_action("delete_msg", message_id=second), start=mark, timeout=20)
            await asyncio.sleep(1.0)
            assert not any(c.action in ("send_group_msg", "send_private_msg") for c in peer.calls[mark:])

            await proxy.restore()  # ... and comes back: the deferred strike is applied, once
            notice = await peer.wait_for(is_action("send_group_msg", group_id=GROUP), start=mark, timeout=30)
            assert "第 2 次" in text_of(notice)
        finally:
            await peer.close()
    finally:
        await asyncio.to_thread(bot.stop)
        await proxy.close()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()
    strikes_logged = bot.log().count("deferred")
    assert strikes_logged >= 1


async def test_an_api_call_that_times_out_becomes_an_instruction(bot_home: Path) -> None:
    config = make_config(bot_home, {"g5c1.toml": AUTO_REMOVE_CLASS}, {"g5c1.csv": AUTO_REMOVE_ROSTER})
    bot = BotProcess(bot_home, config, f"sqlite+aiosqlite:///{bot_home / 'bot.db'}", env_extra={"API_TIMEOUT": "2"})
    bot.start()
    try:
        # the QQ client never answers a withdrawal (muted, stuck): the call times out
        peer = await connect(bot, lambda action, params: None if action == "delete_msg" else ok_responder(action, params))
        try:
            message_id = await peer.group_message(GROUP, PARENT, PARENT_CARD, AD)
            await peer.wait_for(is_action("delete_msg", message_id=message_id))
            instruction = await peer.wait_for(
                lambda c: is_action("send_private_msg", user_id="20002")(c) and "需人工处理" in text_of(c), timeout=20)
            assert "请在群里撤回 陈晨妈妈" in text_of(instruction)
            reminder = await peer.wait_for(is_action("send_private_msg", user_id=PARENT), timeout=20)
            assert "第 1 次" in text_of(reminder)  # the ladder goes on regardless
        finally:
            await peer.close()
    finally:
        bot.stop()

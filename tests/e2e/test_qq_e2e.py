"""The real bot process, driven over a real WebSocket as NapCat drives it."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from adapters.qq.peer import ApiCall, OneBotV11Peer

from .harness import ACCESS_TOKEN, BotProcess

pytestmark = pytest.mark.e2e

PARENT = "30001"
PARENT_CARD = "陈晨妈妈"
AD = "加V：abc_123，领取免费学习资料"


def text_of(call: ApiCall) -> str:
    message = call.params.get("message")
    if isinstance(message, str):
        return message
    return "".join(seg["data"].get("text", "") for seg in message or [] if seg["type"] == "text")


def mentions_of(call: ApiCall) -> list[str]:
    message = call.params.get("message") or []
    return [str(seg["data"]["qq"]) for seg in message if isinstance(seg, dict) and seg["type"] == "at"]


def is_action(action: str, **params: object):  # type: ignore[no-untyped-def]
    """A call of `action`; send_private_msg and send_group_msg also match the generic
    send_msg that NoneBot uses for replies."""
    generic = {"send_private_msg": "private", "send_group_msg": "group"}

    def match(call: ApiCall) -> bool:
        same = call.action == action or (
            call.action == "send_msg" and call.params.get("message_type") == generic.get(action))
        return same and all(str(call.params.get(k)) == str(v) for k, v in params.items())

    return match


async def connect(bot: BotProcess) -> OneBotV11Peer:
    peer = OneBotV11Peer(bot.v11_url, self_id="3000", access_token=ACCESS_TOKEN)
    await peer.connect()
    await asyncio.sleep(0.3)  # let the bot register the connection
    return peer


async def test_ladder_recall_remind_notice_and_kick_across_a_restart(bot_process: BotProcess) -> None:
    group = "900005"
    peer = await connect(bot_process)
    # NapCat offers per-message deflate; the bot declines it (bot.server_options)
    assert "permessage-deflate" not in peer.extensions
    try:
        # strike 1: an advert is recalled and the parent is reminded privately
        ad_id = await peer.group_message(group, PARENT, PARENT_CARD, AD)
        await peer.wait_for(is_action("delete_msg", message_id=ad_id))
        reminder = await peer.wait_for(is_action("send_private_msg", user_id=PARENT))
        assert "广告" in text_of(reminder) and "第 1 次" in text_of(reminder)

        # strike 2: flooding, the same text three times in a row; the third is recalled
        mark = len(peer.calls)
        ids = [await peer.group_message(group, PARENT, PARENT_CARD, "大家快来看看我家孩子的画") for _ in range(3)]
        await peer.wait_for(is_action("delete_msg", message_id=ids[2]), start=mark)
        notice = await peer.wait_for(is_action("send_group_msg", group_id=group), start=mark)
        assert mentions_of(notice) == [PARENT]
        assert "刷屏" in text_of(notice) and "第 2 次" in text_of(notice)
        assert not any(c.action == "delete_msg" and c.params["message_id"] in ids[:2] for c in peer.calls[mark:])
    finally:
        await peer.close()

    # the process stops; strikes are in the database
    bot_process.stop()
    bot_process.start()
    peer = await connect(bot_process)
    try:
        mark = len(peer.calls)
        third = await peer.group_message(group, PARENT, PARENT_CARD, "私聊我有优惠，微商新品上市")
        await peer.wait_for(is_action("delete_msg", message_id=third), start=mark)
        kick = await peer.wait_for(is_action("set_group_kick", group_id=group, user_id=PARENT), start=mark)
        assert kick.params.get("reject_add_request") in (False, None)
        farewell = await peer.wait_for(is_action("send_group_msg", group_id=group), start=mark)
        assert PARENT_CARD in text_of(farewell)
    finally:
        await peer.close()


async def test_without_auto_remove_the_head_teacher_confirms_the_removal_even_after_a_restart(bot_process: BotProcess) -> None:
    group, head_teacher = "900001", "10002"
    peer = await connect(bot_process)
    try:
        adverts = ["少儿编程免费试听，加微信 code2025 预约", "自家果园橙子，包邮，电话15911112222",
                   "招代理，宝妈在家轻松月入五千，私聊"]
        for text in adverts:
            await peer.group_message(group, PARENT, "周雨桐妈妈", text)
        to_head_teacher = is_action("send_private_msg", user_id=head_teacher)
        request = await peer.wait_for(lambda c: to_head_teacher(c) and "/confirm" in text_of(c), timeout=15)
        assert not any(c.action == "set_group_kick" for c in peer.calls)
        decision = text_of(request).split("/confirm ")[1].split("，")[0].strip()
    finally:
        await peer.close()

    # the pending confirmation survives a restart
    bot_process.stop()
    bot_process.start()
    peer = await connect(bot_process)
    try:
        mark = len(peer.calls)
        await peer.private_message(head_teacher, "王芳", f"/confirm {decision}")
        await peer.wait_for(is_action("set_group_kick", group_id=group, user_id=PARENT), start=mark)
        reply = await peer.wait_for(is_action("send_private_msg", user_id=head_teacher), start=mark)
        assert "移出" in text_of(reply)

        # a parent may not confirm anything
        mark = len(peer.calls)
        await peer.group_message(group, "30009", "吴俊杰爸爸", f"/confirm {decision}")
        refusal = await peer.wait_for(is_action("send_group_msg", group_id=group), start=mark)
        assert "只有本班老师" in text_of(refusal)
    finally:
        await peer.close()


async def test_bad_input_is_ignored_and_the_bot_keeps_serving(bot_process: BotProcess) -> None:
    group = "900005"
    peer = await connect(bot_process)
    try:
        await peer.send_raw("{not json")
        await peer.send_raw(json.dumps({"post_type": "message", "message_type": "group"}))  # fields missing
        await peer.group_message("123456789", PARENT, PARENT_CARD, AD)  # a group of no class
        await peer.group_message(group, "30002", "林小雨爸爸", "今天的作业是什么？" * 50_000)  # about 1 MB
        many = [{"type": "text", "data": {"text": "好"}} for _ in range(5000)]
        await peer.group_message(group, "30003", "林小雨妈妈", many)
        ad_id = await peer.group_message(group, PARENT, PARENT_CARD, AD)
        await peer.wait_for(is_action("delete_msg", message_id=ad_id), timeout=20)
        assert not any(str(c.params.get("group_id")) == "123456789" for c in peer.calls)
    finally:
        await peer.close()
    assert bot_process.process is not None and bot_process.process.poll() is None


async def test_a_wrong_access_token_is_refused(bot_process: BotProcess) -> None:
    headers = {"X-Self-ID": "3000", "X-Client-Role": "Universal", "Authorization": "Bearer wrong"}
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(bot_process.v11_url, additional_headers=headers)
    assert refused.value.response.status_code in (401, 403)
    assert ACCESS_TOKEN not in bot_process.log()


async def test_commands_in_the_group_for_staff_and_for_parents(bot_process: BotProcess) -> None:
    group = "900005"
    peer = await connect(bot_process)
    try:
        ad_id = await peer.group_message(group, PARENT, PARENT_CARD, AD)
        await peer.wait_for(is_action("delete_msg", message_id=ad_id))
        mark = len(peer.calls)
        await peer.group_message(group, "20002", "语文刘洋", [
            {"type": "text", "data": {"text": "/strikes "}}, {"type": "at", "data": {"qq": PARENT}}])
        reply = await peer.wait_for(is_action("send_group_msg", group_id=group), start=mark)
        assert "有效违规 1 次" in text_of(reply) and "广告" in text_of(reply)

        mark = len(peer.calls)
        await peer.group_message(group, "30003", "林小雨妈妈", [
            {"type": "text", "data": {"text": "/违规记录 "}}, {"type": "at", "data": {"qq": PARENT}}])
        refusal = await peer.wait_for(is_action("send_group_msg", group_id=group), start=mark)
        assert "只有本班老师" in text_of(refusal)

        mark = len(peer.calls)
        await peer.group_message(group, "20002", "语文刘洋", [
            {"type": "text", "data": {"text": "/pardon "}}, {"type": "at", "data": {"qq": PARENT}}])
        pardon = await peer.wait_for(is_action("send_group_msg", group_id=group), start=mark)
        assert "已撤销" in text_of(pardon)
    finally:
        await peer.close()


def test_a_bad_configuration_stops_start_up_with_the_file_and_field(bot_home) -> None:  # type: ignore[no-untyped-def]
    from .harness import make_config

    config = make_config(bot_home)
    class_file = config / "classes" / "g3c2.toml"
    class_file.write_text(class_file.read_text(encoding="utf-8").replace(
        'time = "08:00-08:40"', 'time = "08:00-8:40"'), encoding="utf-8")
    bot = BotProcess(bot_home, config, f"sqlite+aiosqlite:///{bot_home / 'bad.db'}")
    with pytest.raises(RuntimeError) as stopped:
        bot.start()
    message = str(stopped.value)
    assert "exited with 2" in message
    assert "g3c2.toml" in message and "timetable.0.time" in message and "HH:MM-HH:MM" in message
    assert "Uvicorn running" not in bot.log()  # nothing listened with half the rules

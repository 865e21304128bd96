"""Membership end to end: a join request, a join and renames over the real socket, as NapCat sends them."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any

import pytest

from adapters.qq.peer import OneBotV11Peer, ok_responder

from .harness import ACCESS_TOKEN, BotProcess
from .test_qq_e2e import is_action, text_of

pytestmark = pytest.mark.e2e

GROUP = "900001"  # g3c2, school-full
HEAD_TEACHER = "10002"
NEWCOMER = "30021"


def napcat(action: str, params: dict[str, Any]) -> tuple[str, int, Any]:
    """NapCat's answers; the member list shows the newcomer under their QQ nickname (no card yet)."""
    if action == "get_group_member_list":
        return "ok", 0, [
            {"group_id": int(GROUP), "user_id": int(HEAD_TEACHER), "nickname": "王芳", "card": "班主任王芳",
             "role": "owner"},
            {"group_id": int(GROUP), "user_id": int(NEWCOMER), "nickname": "快乐小鱼", "card": "", "role": "member"},
        ]
    return ok_responder(action, params)


def grace_timers(bot: BotProcess) -> list[tuple[str, str | None, str]]:
    path = bot.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT dedupe_key, done_at, claimed_by FROM timer WHERE dedupe_key LIKE ?",
            (f"membership.real_name:g3c2:qq:{NEWCOMER}:%",),
        ).fetchall()


async def until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.1)


async def test_join_request_join_and_renames_over_the_socket(bot_process: BotProcess) -> None:
    peer = OneBotV11Peer(bot_process.v11_url, self_id="3000", access_token=ACCESS_TOKEN, responder=napcat)
    await peer.connect()
    await asyncio.sleep(0.3)
    try:
        # a join request that names a roster student and a relation is approved
        await peer.send_event({"post_type": "request", "request_type": "group", "sub_type": "add",
                               "group_id": int(GROUP), "user_id": int(NEWCOMER), "flag": "e2e-join-1",
                               "comment": "问题：孩子姓名和您的身份\n答案：张子涵妈妈"})
        approve = await peer.wait_for(is_action("set_group_add_request", flag="e2e-join-1"))
        assert approve.params["approve"] is True

        # the join notice has no card: the bot reads the member list and reminds with the exact form
        mark = len(peer.calls)
        await peer.notice("group_increase", sub_type="approve", group_id=int(GROUP), user_id=int(NEWCOMER),
                          operator_id=int(HEAD_TEACHER))
        reminder = await peer.wait_for(is_action("send_private_msg", user_id=NEWCOMER), start=mark)
        assert "请将群名片改为“张子涵妈妈”" in text_of(reminder) and "24 小时内" in text_of(reminder)
        assert str(reminder.params.get("group_id")) == GROUP  # a temporary session through the group
        await until(lambda: [(d is None) for _, d, _ in grace_timers(bot_process)] == [True])

        # a rename that still breaks the rule: told again, the grace period keeps running
        mark = len(peer.calls)
        await peer.notice("group_card", group_id=int(GROUP), user_id=int(NEWCOMER), card_new="张子涵妈",
                          card_old="")
        again = await peer.wait_for(is_action("send_private_msg", user_id=NEWCOMER), start=mark)
        assert "写作“妈妈”" in text_of(again)

        # a rename to a valid name ends the grace period: no strike will follow
        mark = len(peer.calls)
        await peer.notice("group_card", group_id=int(GROUP), user_id=int(NEWCOMER), card_new="张子涵妈妈",
                          card_old="张子涵妈")
        await until(lambda: [(d is not None, c) for _, d, c in grace_timers(bot_process)] == [(True, "cancelled")])
        await peer.private_message(HEAD_TEACHER, "王芳", f"/strikes {NEWCOMER}")
        answer = await peer.wait_for(is_action("send_private_msg", user_id=HEAD_TEACHER), start=mark)
        assert "没有违规记录" in text_of(answer)
        assert not any(c.action == "send_private_msg" and str(c.params.get("user_id")) == NEWCOMER
                       for c in peer.calls[mark:])
    finally:
        await peer.close()

"""Timing in the real bot process: a response deadline that survives a kill, receipt
lists that survive a restart, and two processes on one PostgreSQL that never fire
the same timer twice.

Time is not mocked here: a question carries the platform time at which it was
asked (the OneBot frame's `time`), and the deadline counts from then, so an ask
dated 59 seconds ago with a 1-minute limit is due a second later.

PostgreSQL isolation: each test gets a role and a schema of the same name. The
server's default search_path is `"$user", public`, so a bot connecting as that role
(postgresql+asyncpg://<role>@127.0.0.1:5432/test) works inside its own schema with
no extra setting. (A `?options=-csearch_path=...` URL query is a libpq feature;
SQLAlchemy hands URL query items to asyncpg.connect() as keyword arguments, and
asyncpg has no `options` argument.)
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.qq.peer import ApiCall, OneBotV11Peer
from plugins.charter.catalogue import ResponseSlaSettings
from plugins.charter.database import create_engine
from plugins.charter.model import Account, GroupRef
from plugins.charter.store import Store
from plugins.timing import sla
from plugins.timing.asks import AskKind
from plugins.timing.scheduling import dedupe_key

from .harness import ACCESS_TOKEN, BotProcess, make_config

pytestmark = pytest.mark.e2e

PG_URL = os.environ.get("CHARTERBOT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
GROUP = "900222"
HEAD, TEACHER = "62002", "62005"
CLASS = f"""
[class]
id = "g2e2"
name = "二年E班"
charter = "school-full"
roster = "g2e2.csv"
office_contact = "家校协作办公室 0571-88880000"

[[groups]]
platform = "qq"
group_id = "{GROUP}"

[staff]
head_teacher = ["qq:{HEAD}"]
teachers = ["qq:{TEACHER}"]
office = ["qq:62003"]

[plugins]
timing = "on"

[rules."timing.response_sla"]
minutes = 1
escalate_after_minutes = 1
allowed_hours = ["00:00-24:00"]
"""
ROSTER = "role,name,subject\nteacher,王芳,班主任\nteacher,李强,语文\nstudent,张子涵,\nstudent,周雨桐,\n"


def text_of(call: ApiCall) -> str:
    message = call.params.get("message")
    if isinstance(message, str):
        return message
    return "".join(seg["data"].get("text", "") for seg in message or [] if seg["type"] == "text")


def private_to(user_id: str):  # type: ignore[no-untyped-def]
    def match(call: ApiCall) -> bool:
        private = call.action == "send_private_msg" or (
            call.action == "send_msg" and call.params.get("message_type") == "private")
        return private and str(call.params.get("user_id")) == user_id

    return match


def group_post(call: ApiCall) -> bool:
    return call.action == "send_group_msg" or (call.action == "send_msg" and call.params.get("message_type") == "group")


async def connect(bot: BotProcess, self_id: str = "3000") -> OneBotV11Peer:
    peer = OneBotV11Peer(bot.v11_url, self_id=self_id, access_token=ACCESS_TOKEN)
    await peer.connect()
    await asyncio.sleep(0.3)  # let the bot register the connection
    return peer


async def group_message_at(peer: OneBotV11Peer, user_id: str, card: str, segments: list[dict], at: float) -> int:
    """A group message whose platform time is `at` (seconds since the epoch)."""
    message_id = peer.next_message_id()
    await peer.send_event({
        "time": int(at), "post_type": "message", "message_type": "group", "sub_type": "normal",
        "message_id": message_id, "group_id": int(GROUP), "user_id": int(user_id), "anonymous": None,
        "message": segments, "raw_message": "", "font": 0,
        "sender": {"user_id": int(user_id), "nickname": card, "card": card, "role": "member"},
    })
    return message_id


def sqlite_rows(path: Path, query: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(query).fetchall()


async def until(condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.1)


async def test_a_deadline_survives_a_kill_and_reminds_once_after_the_restart(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"g2e2.toml": CLASS}, {"g2e2.csv": ROSTER})
    database = tmp_path / "bot.db"
    bot = BotProcess(tmp_path, config, f"sqlite+aiosqlite:///{database}")
    bot.start()
    try:
        peer = await connect(bot)
        try:
            # asked 59 s ago with a 1-minute limit: due one second from now
            asked = time.time() - 59
            await group_message_at(peer, "62101", "张子涵妈妈", [
                {"type": "at", "data": {"qq": TEACHER}},
                {"type": "text", "data": {"text": " 李老师，请问明天几点到校？"}},
            ], asked)
            pending = "SELECT due_at FROM timer WHERE kind = 'timing.sla.remind' AND done_at IS NULL"
            await until(lambda: bool(sqlite_rows(database, pending)))
        finally:
            await peer.close()
        bot.kill()  # no shutdown hooks: the deadline lives only in the database
        assert not any(private_to(TEACHER)(call) for call in peer.calls)

        bot.start()  # by now the deadline has passed
        peer = await connect(bot)
        try:
            reminder = await peer.wait_for(private_to(TEACHER), timeout=20)
            assert "张子涵妈妈" in text_of(reminder) and "明天几点到校" in text_of(reminder)
            await asyncio.sleep(1)
            # the escalation (1 minute later) is another step; the reminder came exactly once
            assert sum(1 for call in peer.calls if private_to(TEACHER)(call)) == 1
        finally:
            await peer.close()
        reminders = sqlite_rows(database, "SELECT count(*) FROM audit_record WHERE rule_id = 'timing.response_sla' "
                                          "AND action = 'remind_private' AND ok = 1")
        assert reminders == [(1,)]
    finally:
        bot.stop()


async def test_a_receipt_list_survives_a_restart(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"g2e2.toml": CLASS}, {"g2e2.csv": ROSTER})
    bot = BotProcess(tmp_path, config, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    bot.start()
    try:
        peer = await connect(bot)
        try:
            await peer.group_message(GROUP, HEAD, "班主任王芳", "/notice 周三下午开家长会")
            posted = await peer.wait_for(group_post)
            assert "【通知】周三下午开家长会" in text_of(posted)
            await peer.wait_for(private_to(HEAD))  # the confirmation goes to the teacher privately
            await peer.group_message(GROUP, "62101", "张子涵妈妈", "收到")
            await asyncio.sleep(0.5)
        finally:
            await peer.close()
        bot.stop()
        bot.start()
        peer = await connect(bot)
        try:
            mark = len(peer.calls)
            await peer.group_message(GROUP, HEAD, "班主任王芳", "/notice status")
            status = await peer.wait_for(group_post, start=mark)
            assert "通知回执 1/2" in text_of(status) and "未回复：周雨桐" in text_of(status)
        finally:
            await peer.close()
    finally:
        bot.stop()


# --- two processes on one PostgreSQL --------------------------------------------


@pytest.fixture
async def pg_role_schema() -> AsyncIterator[str]:
    """A role and a schema of the same name; its URL puts the bot inside that schema."""
    name = f"cbt_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(PG_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE ROLE "{name}" LOGIN'))
        await conn.execute(text(f'CREATE SCHEMA "{name}" AUTHORIZATION "{name}"'))
    try:
        yield make_url(PG_URL).set(username=name, password=None).render_as_string(hide_password=False)
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
            await conn.execute(text(f'DROP ROLE "{name}"'))
        await admin.dispose()


def due_deadline(index: int, now: datetime) -> tuple[str, dict, str]:
    """A response deadline for responsible person 6300<index>, already due."""
    settings = ResponseSlaSettings(enabled=True, action=("remind",), minutes=1, escalate_after_minutes=1,
                                   allowed_hours=("00:00-24:00",), responsible_roles=("parent", "unknown"))
    ask = sla.Ask(group=GroupRef("qq", GROUP), message_id=f"m{index}", asker=Account("qq", HEAD),
                  asker_name="班主任王芳", responsible=Account("qq", str(63000 + index)),
                  responsible_name=f"家长{index}", kind=AskKind.TASK, text=f"请今天交第{index}份回执",
                  time=now - timedelta(minutes=5), group_name="二年E班")
    spec = sla.plan_deadline(ask, settings, ZoneInfo("Asia/Shanghai"), None)
    assert spec is not None
    return spec.kind, {"spec": spec.to_dict(), "attempt": 0, "anchor": ""}, dedupe_key(spec)


@pytest.mark.postgres
async def test_two_processes_on_one_postgresql_fire_each_timer_once(tmp_path: Path, pg_role_schema: str) -> None:
    config = make_config(tmp_path, {"g2e2.toml": CLASS}, {"g2e2.csv": ROSTER})
    homes = [tmp_path / "a", tmp_path / "b"]
    for home in homes:
        home.mkdir()
    bots = [BotProcess(home, config, pg_role_schema) for home in homes]
    peers: list[OneBotV11Peer] = []
    try:
        for bot in bots:
            bot.start()
        peers = [await connect(bots[0], "3000"), await connect(bots[1], "3001")]
        count = 60
        store = Store(create_engine(pg_role_schema))
        now = datetime.now(UTC)
        try:
            for index in range(count):
                kind, payload, key = due_deadline(index, now)
                assert await store.schedule(kind=kind, class_id="g2e2", due_at=now, payload=payload,
                                            dedupe_key=key, now=now)
            expected = {str(63000 + index) for index in range(count)}

            def reminded() -> Counter:
                return Counter(str(call.params.get("user_id")) for peer in peers for call in peer.calls
                               if call.action == "send_private_msg" and str(call.params.get("user_id")) in expected)

            await until(lambda: set(reminded()) == expected, timeout=30)
            await asyncio.sleep(1)  # a duplicate would arrive within the next poll
            counts = reminded()
            assert set(counts.values()) == {1}, {user: n for user, n in counts.items() if n != 1}
            assert not await store.pending_timers("timing.sla.remind")
            async with store.session() as session:
                rows = (await session.exec(text(  # type: ignore[call-overload]
                    "SELECT count(*) FROM audit_record WHERE rule_id = 'timing.response_sla' "
                    "AND action = 'remind_private'"))).scalar_one()
            assert rows == count
        finally:
            await store.engine.dispose()
    finally:
        for peer in peers:
            await peer.close()
        for bot in bots:
            bot.stop()
    print(json.dumps({"fired_by_a": sum(1 for c in peers[0].calls if c.action == "send_private_msg"),
                      "fired_by_b": sum(1 for c in peers[1].calls if c.action == "send_private_msg")}))

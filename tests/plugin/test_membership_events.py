"""membership.* inside NoneBot: joins, renames, join requests, invites, first sight, grace periods."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import nonebot
import pytest
from nonebot.adapters.onebot.v11 import (
    Adapter,
    Bot,
    GroupDecreaseNoticeEvent,
    GroupIncreaseNoticeEvent,
    GroupRequestEvent,
    NoticeEvent,
)
from nonebug import App

from plugins.charter.model import Account
from plugins.charter.runtime import Runtime, get_runtime
from plugins.charter.tables import AuditRecord
from plugins.charter.timers import run_due
from plugins.membership import names
from plugins.membership.names import grace_prefix

from .test_pipeline import Contains, group_event, private_event

GROUP = 900001  # class g3c2: school-full, membership on
HEAD_TEACHER = 10002
CLASS = "g3c2"


@pytest.fixture
def adapter() -> Adapter:
    return nonebot.get_adapter(Adapter)


@pytest.fixture
def clock() -> Iterator[list[datetime]]:
    runtime = get_runtime()
    original = runtime.clock
    now = [datetime.now(UTC)]
    runtime.clock = lambda: now[0]
    yield now
    runtime.clock = original


@pytest.fixture
def short_grace() -> Iterator[float]:
    """A grace period of 36 seconds for g3c2, so a test moves the clock by a minute, not a day."""
    cls = get_runtime().config.classes[CLASS]
    original = cls.rules["membership.real_name"]
    cls.rules["membership.real_name"] = original.model_copy(update={"grace_hours": 0.01})
    yield 0.01
    cls.rules["membership.real_name"] = original


@pytest.fixture
async def no_leftover_timers() -> Any:
    """Cancel the grace periods this module starts, so no other test's clock fires them."""
    yield
    runtime = get_runtime()
    await runtime.store.cancel_timers("membership.real_name:g3c2:qq:61", runtime.clock())


pytestmark = pytest.mark.usefixtures("no_leftover_timers")


def now_ts() -> int:
    return int(time.time())


def joined(user_id: int, sub_type: str = "approve", operator_id: int = 0, group_id: int = GROUP) -> GroupIncreaseNoticeEvent:
    return GroupIncreaseNoticeEvent(time=now_ts(), self_id=3000, post_type="notice", notice_type="group_increase",
                                    sub_type=sub_type, user_id=user_id, group_id=group_id,
                                    operator_id=operator_id or user_id)


def left(user_id: int, group_id: int = GROUP) -> GroupDecreaseNoticeEvent:
    return GroupDecreaseNoticeEvent(time=now_ts(), self_id=3000, post_type="notice", notice_type="group_decrease",
                                    sub_type="leave", user_id=user_id, group_id=group_id, operator_id=user_id)


def renamed(user_id: int, new: str, old: str = "", group_id: int = GROUP) -> NoticeEvent:
    """NapCat's notice for a changed group card."""
    return NoticeEvent(time=now_ts(), self_id=3000, post_type="notice", notice_type="group_card",  # type: ignore[call-arg]
                       group_id=group_id, user_id=user_id, card_new=new, card_old=old)


def join_request(user_id: int, comment: str, flag: str, group_id: int = GROUP) -> GroupRequestEvent:
    return GroupRequestEvent(time=now_ts(), self_id=3000, post_type="request", request_type="group", sub_type="add",
                             group_id=group_id, user_id=user_id, comment=comment, flag=flag)


def member_row(user_id: int, card: str, role: str = "member") -> dict[str, Any]:
    return {"group_id": GROUP, "user_id": user_id, "nickname": f"nick{user_id}", "card": card, "role": role}


def reminder_to(user_id: int, *fragments: str) -> dict[str, Any]:
    return {"user_id": user_id, "group_id": GROUP, "message": Contains(*fragments)}


async def grace_timers(runtime: Runtime, user_id: int) -> list[Any]:
    prefix = grace_prefix(CLASS, Account("qq", str(user_id)))
    return [t for t in await runtime.store.pending_timers("membership.real_name") if t.dedupe_key.startswith(prefix)]


async def strikes(runtime: Runtime, person_key: str) -> int:
    return len(await runtime.store.active_strikes(CLASS, person_key, runtime.clock()))


async def settle(condition: Any, timeout: float = 2.0) -> None:
    """Wait until `condition()` (async) holds: the timer loop may fire a due timer first."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.05)


async def test_a_newcomer_with_a_nickname_is_told_the_form_and_given_a_grace_period(app: App, adapter: Adapter) -> None:
    runtime = get_runtime()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, joined(61001))
        ctx.should_call_api("get_group_member_list", {"group_id": GROUP},
                            [member_row(HEAD_TEACHER, "班主任王芳", "owner"), member_row(61001, "快乐小鱼")])
        ctx.should_call_api("send_private_msg", reminder_to(61001, "实名", "孩子姓名+", "24 小时内"),
                            {"message_id": 1})
    known = await runtime.store.known_member(CLASS, "qq:61001")
    assert known is not None and known.display_name == "快乐小鱼" and not known.name_ok
    [timer] = await grace_timers(runtime, 61001)
    assert timedelta(hours=23.9) < timer.due_at - datetime.now(UTC) <= timedelta(hours=24)


async def test_a_rename_is_checked_and_a_valid_one_ends_the_grace_period(app: App, adapter: Adapter) -> None:
    runtime = get_runtime()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, renamed(61002, "张子涵妈", "nick"))
        ctx.should_call_api("send_private_msg", reminder_to(61002, "“张子涵妈妈”"), {"message_id": 2})
        ctx.receive_event(bot, renamed(61002, "张子涵妈", "nick"))  # the same notice again: no second reminder
    assert len(await grace_timers(runtime, 61002)) == 1
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, renamed(61002, "张子涵妈妈", "张子涵妈"))
    assert await grace_timers(runtime, 61002) == []
    known = await runtime.store.known_member(CLASS, "qq:61002")
    assert known is not None and known.name_ok and known.person_key == "guardian:张子涵:妈妈"


async def test_a_join_request_naming_a_roster_student_is_approved(app: App, adapter: Adapter) -> None:
    runtime = get_runtime()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, join_request(61003, "问题：孩子的姓名和您的身份？\n答案：周雨桐妈妈", "flag-61003"))
        ctx.should_call_api("set_group_add_request",
                            {"flag": "flag-61003", "sub_type": "add", "approve": True, "reason": ""}, None)
    known = await runtime.store.known_member(CLASS, "qq:61003")
    assert known is not None and known.person_key == "guardian:周雨桐:妈妈"
    # once in, a nickname is answered with the exact form from the request
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, group_event(61003, "桐桐家", "老师好"))
        ctx.should_call_api("send_private_msg", reminder_to(61003, "请将群名片改为“周雨桐妈妈”"), {"message_id": 3})


async def test_an_unclear_join_request_is_held_for_the_head_teacher(app: App, adapter: Adapter) -> None:
    runtime = get_runtime()
    request = join_request(61004, "问题：孩子的姓名和您的身份？\n答案：我是家长", "flag-61004")
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, request)
        ctx.should_call_api("send_private_msg", reminder_to(HEAD_TEACHER, "入群申请", "61004", "我是家长",
                                                            "/confirm", "/reject"), {"message_id": 4})
        ctx.receive_event(bot, request)  # redelivered: handled once
    [decision] = [d for d in await runtime.store.pending_decisions(CLASS, runtime.clock(), kind="join")
                  if d.account_key == "qq:61004"]
    assert decision.flag == "flag-61004" and "学生" in decision.reason
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        confirm = private_event(HEAD_TEACHER, f"/confirm {decision.id}")
        ctx.receive_event(bot, confirm)
        ctx.should_call_api("set_group_add_request",
                            {"flag": "flag-61004", "sub_type": "add", "approve": True, "reason": ""}, None)
        ctx.should_call_send(confirm, f"已同意 #{decision.id} 的入群申请。", {"message_id": 5})


async def test_a_member_invited_by_a_parent_is_reported_and_still_checked(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, joined(61005, "invite", operator_id=61006))
        ctx.should_call_api("get_group_member_list", {"group_id": GROUP},
                            [member_row(61005, "推销员小王"), member_row(61006, "吴俊杰妈妈")])
        ctx.should_call_api("send_private_msg", reminder_to(61005, "实名"), {"message_id": 6})
        ctx.should_call_api("send_private_msg", reminder_to(HEAD_TEACHER, "吴俊杰妈妈（61006）", "邀请",
                                                            "推销员小王（61005）", "不是老师或管理员"),
                            {"message_id": 7})
    # staff and group admins may invite: nobody is told
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, joined(61007, "invite", operator_id=10005))
        ctx.should_call_api("get_group_member_list", {"group_id": GROUP},
                            [member_row(61007, "赵一诺爸爸"), member_row(10005, "语文李强")])
        ctx.receive_event(bot, joined(61008, "invite", operator_id=61009))
        ctx.should_call_api("get_group_member_list", {"group_id": GROUP},
                            [member_row(61008, "赵一诺妈妈"), member_row(61009, "孙嘉怡妈妈", "admin")])


async def test_first_sight_of_a_badly_named_member_reminds_once(app: App, adapter: Adapter) -> None:
    runtime = get_runtime()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, group_event(61010, "小鱼儿", "请问明天几点到校？"))
        ctx.should_call_api("send_private_msg", reminder_to(61010, "没能从群名片看出"), {"message_id": 8})
        ctx.receive_event(bot, group_event(61010, "小鱼儿", "谢谢"))
    assert len(await grace_timers(runtime, 61010)) == 1
    # a valid name is remembered once and never answered
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, group_event(61011, "马浩宇爸爸", "好的"))
    known = await runtime.store.known_member(CLASS, "qq:61011")
    assert known is not None and known.name_ok and known.person_key == "guardian:马浩宇:爸爸"


async def test_the_grace_period_runs_out_into_a_strike(
        app: App, adapter: Adapter, clock: list[datetime], short_grace: float) -> None:
    runtime = get_runtime()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, group_event(61012, "一只猫", "大家好"))
        ctx.should_call_api("send_private_msg", reminder_to(61012, "实名"), {"message_id": 9})
    assert await run_due(runtime) == 0  # not yet
    assert await strikes(runtime, "account:qq:61012") == 0
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.should_call_api("send_private_msg", reminder_to(61012, "群名片实名", "第 1 次"), {"message_id": 10})
        clock[0] += timedelta(minutes=1)
        await run_due(runtime)
        # the timer loop may be the one firing it: wait until its round is finished and the next stored
        await settle(lambda: _struck_with_one_round(runtime, 61012))
    [next_round] = await grace_timers(runtime, 61012)  # the name still fails: another grace period
    assert next_round.dedupe_key.endswith(":1")
    log = await runtime.store.audit_log(CLASS, account_key="qq:61012", limit=None)
    assert any(r.action == "strike" and r.rule_id == "membership.real_name" for r in log)


async def _has_strikes(runtime: Runtime, person_key: str, count: int) -> bool:
    return await strikes(runtime, person_key) == count


async def _struck_with_one_round(runtime: Runtime, user_id: int) -> bool:
    return await _has_strikes(runtime, f"account:qq:{user_id}", 1) and len(await grace_timers(runtime, user_id)) == 1


async def test_a_rename_within_the_grace_period_means_no_strike(
        app: App, adapter: Adapter, clock: list[datetime], short_grace: float) -> None:
    runtime = get_runtime()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, group_event(61013, "木木", "收到"))
        ctx.should_call_api("send_private_msg", reminder_to(61013, "实名"), {"message_id": 11})
        ctx.receive_event(bot, renamed(61013, "朱梦琪爸爸", "木木"))
        clock[0] += timedelta(minutes=1)
        await run_due(runtime)
    assert await grace_timers(runtime, 61013) == []
    assert await strikes(runtime, "account:qq:61013") == 0
    assert await strikes(runtime, "guardian:朱梦琪:爸爸") == 0


async def first_message_under_a_failing_name(app: App, adapter: Adapter, user_id: int, message_id: int) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, group_event(user_id, "云朵", "收到"))
        ctx.should_call_api("send_private_msg", reminder_to(user_id, "实名"), {"message_id": message_id})
    assert len(await grace_timers(get_runtime(), user_id)) == 1


async def test_a_valid_name_seen_in_a_message_ends_the_grace_period(app: App, adapter: Adapter) -> None:
    # WeChat bridges report no renames: the fixed name shows first in a message
    await first_message_under_a_failing_name(app, adapter, 61019, 14)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, group_event(61019, "朱梦琪妈妈", "好的"))
    assert await grace_timers(get_runtime(), 61019) == []


async def test_a_grace_period_from_before_a_restart_ends_with_a_valid_name_in_a_message(
        app: App, adapter: Adapter, monkeypatch: pytest.MonkeyPatch) -> None:
    await first_message_under_a_failing_name(app, adapter, 61020, 15)
    # a restarted process knows the running grace periods only from the timer table
    monkeypatch.setattr(names, "running_grace", names.RunningGrace())
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, group_event(61020, "孙嘉怡妈妈", "好的"))
    assert await grace_timers(get_runtime(), 61020) == []
    assert not await names.running_grace.running(get_runtime(), CLASS, "qq:61020")


async def test_a_member_who_leaves_and_returns_keeps_their_person(app: App, adapter: Adapter) -> None:
    runtime = get_runtime()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, group_event(61014, "孙嘉怡爸爸", "老师辛苦了"))
        ctx.receive_event(bot, left(61014))
    known = await runtime.store.known_member(CLASS, "qq:61014")
    assert known is not None and known.left_at is not None and known.person_key == "guardian:孙嘉怡:爸爸"
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, joined(61014))
        ctx.should_call_api("get_group_member_list", {"group_id": GROUP}, [member_row(61014, "嘉怡爸")])
        ctx.should_call_api("send_private_msg", reminder_to(61014, "请将群名片改为“孙嘉怡爸爸”"), {"message_id": 12})
    known = await runtime.store.known_member(CLASS, "qq:61014")
    assert known is not None and known.left_at is None and known.person_key == "guardian:孙嘉怡:爸爸"


async def test_shadow_mode_only_records_and_off_does_nothing(app: App, adapter: Adapter) -> None:
    runtime = get_runtime()
    before = {k: dict(v) for k, v in runtime.mode_overrides.items()}
    original = runtime.config.classes[CLASS].mode("membership")
    try:
        runtime.apply_modes({**before, CLASS: {**before.get(CLASS, {}), "membership": "shadow"}})
        async with app.test_matcher() as ctx:
            bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
            ctx.receive_event(bot, group_event(61015, "游客", "你好"))
        log = await runtime.store.audit_log(CLASS, account_key="qq:61015", limit=None)
        assert [(r.rule_id, r.action, r.shadow) for r in log] == [("membership.real_name", "finding", True)]
        assert await grace_timers(runtime, 61015) == []

        runtime.apply_modes({**before, CLASS: {**before.get(CLASS, {}), "membership": "off"}})
        async with app.test_matcher() as ctx:
            bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
            ctx.receive_event(bot, group_event(61016, "路人甲", "你好"))
            ctx.receive_event(bot, join_request(61017, "答案：我是家长", "flag-61017"))
        assert await runtime.store.audit_log(CLASS, account_key="qq:61016", limit=None) == []
        assert [d for d in await runtime.store.pending_decisions(CLASS, runtime.clock(), kind="join")
                if d.account_key == "qq:61017"] == []
    finally:
        runtime.apply_modes({**before, CLASS: {**before.get(CLASS, {}), "membership": original}})
    assert runtime.config.classes[CLASS].mode("membership") == original


async def test_the_audit_log_keeps_the_reminder_with_the_name(app: App, adapter: Adapter) -> None:
    runtime = get_runtime()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, group_event(61018, "张子涵外婆婆", "好"))
        ctx.should_call_api("send_private_msg", reminder_to(61018, "实名"), {"message_id": 13})
    log: list[AuditRecord] = await runtime.store.audit_log(CLASS, account_key="qq:61018", limit=None)
    [reminder] = [r for r in log if r.action == "remind_private"]
    assert reminder.ok and reminder.rule_id == "membership.real_name" and reminder.excerpt == "张子涵外婆婆"

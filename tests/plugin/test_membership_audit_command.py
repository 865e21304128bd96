"""/audit (/核查) and the weekly member sweep inside NoneBot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import nonebot
import pytest
from nonebot.adapters.onebot.v11 import Adapter, Bot
from nonebot.adapters.onebot.v11.exception import ActionFailed
from nonebug import App

from adapters.qq.ops import QQOps

from plugins.charter.platform import Capability
from plugins.charter.runtime import get_runtime
from plugins.charter.store import DueTimer
from plugins.membership.for_class import next_audit
from plugins.membership.sweep import (
    WEEKLY_TIMER,
    schedule_weekly_sweeps,
    sweep_class,
    sweeps,
    weekly_key,
    weekly_sweep,
)

from .test_pipeline import Contains, group_event, private_event

GROUP = 900001  # class g3c2: school-full, membership.audit on
HEAD_TEACHER = 10002
CLASS = "g3c2"

MEMBERS = [
    {"user_id": 3000, "card": "", "nickname": "班级助手", "role": "admin"},  # the bot itself: skipped
    {"user_id": HEAD_TEACHER, "card": "班主任王芳", "nickname": "王芳", "role": "owner"},
    {"user_id": 10005, "card": "李强", "nickname": "李强", "role": "member"},  # a teacher without a subject
    {"user_id": 62001, "card": "张子涵妈妈", "nickname": "z", "role": "member"},
    {"user_id": 62002, "card": "刘德华", "nickname": "刘德华", "role": "member"},
    {"user_id": 62003, "card": "", "nickname": "小鱼儿", "role": "member"},
    {"user_id": 62004, "card": "李思远爷爷", "nickname": "l", "role": "member"},
]


@pytest.fixture
def adapter() -> Adapter:
    return nonebot.get_adapter(Adapter)


@pytest.fixture(autouse=True)
def fresh_reports() -> Any:
    sweeps.drop(CLASS)
    yield
    sweeps.drop(CLASS)


def private_to(user_id: int, *fragments: str) -> dict[str, Any]:
    return {"user_id": user_id, "group_id": GROUP, "message": Contains(*fragments)}


async def test_audit_lists_by_reason_and_removes_after_confirmation(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ask = group_event(HEAD_TEACHER, "班主任王芳", "/核查")
        ctx.receive_event(bot, ask)
        ctx.should_call_api("get_group_member_list", {"group_id": GROUP}, MEMBERS)
        # member names are not for the group: the report goes privately to whoever asked
        ctx.should_call_api("send_private_msg", private_to(
            HEAD_TEACHER, "共 6 人", "〔无法识别身份〕2 人", "1. 刘德华（62002）", "2. 小鱼儿（62003）",
            "老师名片不规范", "· 李强（10005）：没写学科", "/audit remove 1 3"), {"message_id": 1})
        ctx.should_call_send(ask, "核查结果已私信发给您。", {"message_id": 2})

        choose = private_event(HEAD_TEACHER, "/audit remove all")
        ctx.receive_event(bot, choose)
        ctx.should_call_send(choose, Contains("将移出以下 2 人", "1. 刘德华（62002）", "2. 小鱼儿（62003）",
                                              "/audit confirm"), {"message_id": 3})
        confirm = private_event(HEAD_TEACHER, "/audit confirm")
        ctx.receive_event(bot, confirm)
        ctx.should_call_api("set_group_kick", {"group_id": GROUP, "user_id": 62002, "reject_add_request": False}, None)
        ctx.should_call_api("set_group_kick", {"group_id": GROUP, "user_id": 62003, "reject_add_request": False}, None)
        ctx.should_call_send(confirm, "已移出 2 人。", {"message_id": 4})
        again = private_event(HEAD_TEACHER, "/audit confirm")  # the numbers are used up
        ctx.receive_event(bot, again)
        ctx.should_call_send(again, Contains("没有待确认的移除"), {"message_id": 5})
    log = await get_runtime().store.audit_log(CLASS, account_key="qq:62002", limit=None)
    assert [(r.rule_id, r.action, r.ok) for r in log] == [("membership.audit", "remove", True)]


async def test_some_members_and_a_refused_kick_become_an_instruction(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ask = group_event(HEAD_TEACHER, "班主任王芳", "/audit")
        ctx.receive_event(bot, ask)
        ctx.should_call_api("get_group_member_list", {"group_id": GROUP}, MEMBERS)
        ctx.should_call_api("send_private_msg", private_to(HEAD_TEACHER, "1. 刘德华"), {"message_id": 6})
        ctx.should_call_send(ask, "核查结果已私信发给您。", {"message_id": 7})
        wrong = private_event(HEAD_TEACHER, "/audit remove 7")
        ctx.receive_event(bot, wrong)
        ctx.should_call_send(wrong, "没有编号 7（本次编号为 1-2）。", {"message_id": 8})
        choose = private_event(HEAD_TEACHER, "/audit remove 2")
        ctx.receive_event(bot, choose)
        ctx.should_call_send(choose, Contains("将移出以下 1 人", "2. 小鱼儿（62003）"), {"message_id": 9})
        confirm = private_event(HEAD_TEACHER, "/audit confirm")
        ctx.receive_event(bot, confirm)
        ctx.should_call_api("set_group_kick", {"group_id": GROUP, "user_id": 62003, "reject_add_request": False},
                            None, exception=ActionFailed(retcode=103, wording="no permission"))
        ctx.should_call_api("send_private_msg", private_to(HEAD_TEACHER, "需人工处理", "手动移出 62003"),
                            {"message_id": 10})
        ctx.should_call_send(confirm, Contains("已移出 0 人", "1 人机器人无法移出"), {"message_id": 11})


async def test_audit_is_for_staff_and_needs_a_report_before_removing(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        parent = group_event(62005, "张子涵爸爸", "/audit")
        ctx.receive_event(bot, parent)
        ctx.should_call_send(parent, "抱歉，只有本班老师和管理员可以使用这个命令。", {"message_id": 12})
        early = private_event(HEAD_TEACHER, "/audit remove all")
        ctx.receive_event(bot, early)
        ctx.should_call_send(early, "请先发送 /audit 查看最新的核查结果。", {"message_id": 13})
        g5c1 = private_event(20002, "/audit")  # class-pact does not enable membership.audit
        ctx.receive_event(bot, g5c1)
        ctx.should_call_send(g5c1, "五年一班未开启成员核查（membership.audit）。", {"message_id": 14})


class ListlessOps:
    platform = "wecom"
    capabilities = frozenset({Capability.PRIVATE_MESSAGE})

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities


async def test_a_platform_without_member_lists_says_so() -> None:
    cls = get_runtime().config.classes[CLASS]
    runtime = SimpleNamespace(ops_for=lambda platform, group_id: ListlessOps(), ops={},
                              clock=lambda: datetime.now(UTC))
    sweep = await sweep_class(runtime, cls)  # type: ignore[arg-type]
    assert sweep.reports == [] and sweep.unavailable == ["群 qq:900001：该平台不提供成员列表，请对照名单人工核对。"]
    nobody = SimpleNamespace(ops_for=lambda platform, group_id: None, ops={}, clock=lambda: datetime.now(UTC))
    sweep = await sweep_class(nobody, cls)  # type: ignore[arg-type]
    assert sweep.unavailable == ["群 qq:900001：机器人尚未连接该平台，无法读取成员。"]


async def test_the_weekly_sweep_is_persisted_and_sent_to_the_head_teacher(app: App, adapter: Adapter) -> None:
    runtime = get_runtime()
    cls = runtime.config.classes[CLASS]
    now = runtime.clock()
    due = next_audit(cls, now)
    # scheduled by housekeeping (at start-up and about once a minute), once, however
    # often it runs and whatever the number of processes
    await schedule_weekly_sweeps(runtime, now)
    await schedule_weekly_sweeps(runtime, now)
    weekly = [t for t in await runtime.store.pending_timers(WEEKLY_TIMER) if t.class_id == CLASS]
    assert [t.dedupe_key for t in weekly] == [weekly_key(cls, due)]
    assert due.astimezone(cls.timezone).isoweekday() == cls.settings("membership.audit").weekday

    following = next_audit(cls, due)
    assert following - due == timedelta(days=7)
    try:
        async with app.test_matcher() as ctx:
            bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
            runtime.connect(QQOps(bot), bot.self_id)
            ctx.should_call_api("get_group_member_list", {"group_id": GROUP}, MEMBERS)
            ctx.should_call_api("send_private_msg", private_to(HEAD_TEACHER, "成员检查", "刘德华", "/audit remove"),
                                {"message_id": 16})
            await weekly_sweep(runtime, DueTimer(0, WEEKLY_TIMER, CLASS, due, {}))
        # the next week's sweep is scheduled, and the report kept for "/audit remove"
        keys = {t.dedupe_key for t in await runtime.store.pending_timers(WEEKLY_TIMER)}
        assert weekly_key(cls, following) in keys
        assert sweeps.get(CLASS, runtime.clock()) is not None
        # a timer left from an older schedule does nothing
        sweeps.drop(CLASS)
        await weekly_sweep(runtime, DueTimer(0, WEEKLY_TIMER, CLASS, due + timedelta(hours=1), {}))
        assert sweeps.get(CLASS, runtime.clock()) is None
    finally:
        await runtime.store.cancel_timers(weekly_key(cls, following), runtime.clock())

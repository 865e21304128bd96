"""escalation.*: the ladder, teachers, the chain, quiet mode and what the platform refuses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import nonebot
import pytest
from nonebot.adapters.onebot.v11 import Adapter, Bot, Message, MessageSegment
from nonebot.adapters.onebot.v11.exception import ActionFailed
from nonebug import App

from plugins.charter.runtime import get_runtime
from plugins.charter.timers import run_due

from .test_pipeline import Contains, group_event

AUTO_GROUP = 900005  # class g5c1: class-pact, auto_remove = true
AUTO_HEAD = 20002
G3C2 = 900001  # class g3c2: school-full, head teacher confirms, chain on
OFFICE, LEADER = 10003, 10004


@pytest.fixture
def adapter() -> Adapter:
    return nonebot.get_adapter(Adapter)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[datetime]]:
    """The runtime's clock, set by the test: now[0] is the current time. The bot's own
    timer loop is paused, so only the test fires timers."""
    from plugins.charter import timers

    async def paused(*_args: object, **_kwargs: object) -> int:
        return 0

    monkeypatch.setattr(timers, "run_due", paused)
    monkeypatch.setattr(timers, "run_housekeeping", paused)
    runtime = get_runtime()
    original = runtime.clock
    now = [datetime.now(UTC)]
    runtime.clock = lambda: now[0]
    yield now
    runtime.clock = original


def ladder_override(class_id: str, **changes: object) -> Iterator[None]:
    runtime = get_runtime()
    cls = runtime.config.classes[class_id]
    original = cls.rules["escalation.ladder"]
    cls.rules["escalation.ladder"] = original.model_copy(update=changes)
    try:
        yield
    finally:
        cls.rules["escalation.ladder"] = original


async def test_a_refused_kick_on_the_third_strike_becomes_an_instruction(app: App, adapter: Adapter) -> None:
    adverts = ["微商新品上市，私聊有优惠", "招代理，宝妈在家轻松月入五千", "专业家教，一对一上门辅导，联系电话 186 0000 1234"]
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        events = [group_event(50001, "陈晨妈妈", text, AUTO_GROUP) for text in adverts]
        ctx.receive_event(bot, events[0])
        ctx.should_call_api("delete_msg", {"message_id": events[0].message_id}, None)
        ctx.should_call_api("send_private_msg", {"user_id": 50001, "group_id": AUTO_GROUP,
                                                  "message": Contains("第 1 次")}, {"message_id": 1})
        ctx.receive_event(bot, events[1])
        ctx.should_call_api("delete_msg", {"message_id": events[1].message_id}, None)
        ctx.should_call_api("send_group_msg", {"group_id": AUTO_GROUP, "message": Contains("第 2 次")},
                            {"message_id": 2})
        ctx.receive_event(bot, events[2])
        ctx.should_call_api("delete_msg", {"message_id": events[2].message_id}, None)
        ctx.should_call_api("set_group_kick", {"group_id": AUTO_GROUP, "user_id": 50001, "reject_add_request": False},
                            None, exception=ActionFailed(retcode=103, wording="no permission"))
        # no farewell in the group: the member is still there; the head teacher is told what to do
        ctx.should_call_api("send_private_msg", {"user_id": AUTO_HEAD, "group_id": AUTO_GROUP,
                                                  "message": Contains("需人工处理", "手动移出 陈晨妈妈")},
                            {"message_id": 3})
    log = await get_runtime().store.audit_log("g5c1", account_key="qq:50001", limit=None)
    kick = next(r for r in log if r.action == "remove")
    assert not kick.ok and "no permission" in kick.detail


async def test_the_head_teachers_own_violation_goes_to_the_office(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        event = group_event(10002, "班主任王芳", "马浩宇这次又没及格，倒数第一，真丢人", G3C2)
        ctx.receive_event(bot, event)
        ctx.should_call_api("delete_msg", {"message_id": event.message_id}, None)
        ctx.should_call_api("send_private_msg", {"user_id": OFFICE, "group_id": G3C2,
                                                  "message": Contains("班主任王芳", "私下沟通")}, {"message_id": 4})


async def test_an_undecided_removal_goes_to_the_office_then_the_leaders(
        app: App, adapter: Adapter, clock: list[datetime]) -> None:
    runtime = get_runtime()
    for other in await runtime.store.pending_decisions("g3c2", runtime.clock()):  # left by earlier tests
        await runtime.store.decide(other.id, "rejected", "test", runtime.clock(), class_id="g3c2")
    adverts = ["少儿编程免费试听，加微信 code2025 预约", "自家果园橙子，包邮，电话15911112222", "加V：abc_123，领取免费学习资料",
               "招代理，宝妈在家轻松月入五千"]
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        events = [group_event(50002, "赵一诺爸爸", text, G3C2) for text in adverts]
        ctx.receive_event(bot, events[0])
        ctx.should_call_api("delete_msg", {"message_id": events[0].message_id}, None)
        ctx.should_call_api("send_private_msg", {"user_id": 50002, "group_id": G3C2, "message": Contains("第 1 次")},
                            {"message_id": 5})
        ctx.receive_event(bot, events[1])
        ctx.should_call_api("delete_msg", {"message_id": events[1].message_id}, None)
        ctx.should_call_api("send_group_msg", {"group_id": G3C2, "message": Contains("第 2 次")}, {"message_id": 6})
        ctx.receive_event(bot, events[2])
        ctx.should_call_api("delete_msg", {"message_id": events[2].message_id}, None)
        ctx.should_call_api("send_private_msg", {"user_id": 10002, "group_id": G3C2,
                                                  "message": Contains("累计 3 次", "/confirm")}, {"message_id": 7})
        # a fourth while the request is pending: recalled, and the head teacher is not asked again
        ctx.receive_event(bot, events[3])
        ctx.should_call_api("delete_msg", {"message_id": events[3].message_id}, None)

    within = runtime.config.classes["g3c2"].settings("escalation.chain").handle_within_minutes
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        clock[0] += timedelta(minutes=within - 1)
        assert await run_due(runtime) == 0  # not yet
        clock[0] += timedelta(minutes=2)
        ctx.should_call_api("send_private_msg", {"user_id": OFFICE, "group_id": G3C2,
                                                  "message": Contains("家校协作办公室", "qq:50002", "/confirm")},
                            {"message_id": 8})
        assert await run_due(runtime) >= 1  # also the follow-ups of decisions closed above: they send nothing
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        clock[0] += timedelta(minutes=within + 1)
        ctx.should_call_api("send_private_msg", {"user_id": LEADER, "group_id": G3C2,
                                                  "message": Contains("学校领导", "qq:50002")}, {"message_id": 9})
        assert await run_due(runtime) >= 1
        assert await run_due(runtime) == 0  # fired once


async def test_quiet_mode_tells_only_the_member(app: App, adapter: Adapter) -> None:
    for _ in ladder_override("g5c1", quiet_mode=True):
        async with app.test_matcher() as ctx:
            bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
            first = group_event(50003, "林小雨妈妈", "帮忙投票第12号，谢谢大家", AUTO_GROUP)
            second = group_event(50003, "林小雨妈妈", "麻烦大家帮我拼多多砍一刀，谢谢", AUTO_GROUP)
            ctx.receive_event(bot, first)
            ctx.should_call_api("delete_msg", {"message_id": first.message_id}, None)
            ctx.should_call_api("send_private_msg", {"user_id": 50003, "group_id": AUTO_GROUP,
                                                      "message": Contains("第 1 次")}, {"message_id": 10})
            ctx.receive_event(bot, second)
            ctx.should_call_api("delete_msg", {"message_id": second.message_id}, None)
            # strike 2 would be a public notice; in quiet mode it is private
            ctx.should_call_api("send_private_msg", {"user_id": 50003, "group_id": AUTO_GROUP,
                                                      "message": Contains("第 2 次")}, {"message_id": 11})


async def test_a_redelivered_event_strikes_once(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        event = group_event(50004, "林小雨爸爸", "澳门赌场线上开户，送彩金", AUTO_GROUP)
        ctx.receive_event(bot, event)
        ctx.should_call_api("delete_msg", {"message_id": event.message_id}, None)
        ctx.should_call_api("send_private_msg", {"user_id": AUTO_HEAD, "group_id": AUTO_GROUP,
                                                  "message": Contains("严重违规")}, {"message_id": 12})
        ctx.should_call_api("send_private_msg", {"user_id": 20003, "group_id": AUTO_GROUP,
                                                  "message": Contains("严重违规")}, {"message_id": 12})
        ctx.should_call_api("send_private_msg", {"user_id": 50004, "group_id": AUTO_GROUP,
                                                  "message": Contains("第 1 次")}, {"message_id": 13})
        ctx.receive_event(bot, event)  # the same event again, as a reconnecting bridge may send it
        ctx.should_call_api("delete_msg", {"message_id": event.message_id}, None)
    runtime = get_runtime()
    member_log = await runtime.store.audit_log("g5c1", account_key="qq:50004", limit=None)
    assert [r.detail for r in member_log if r.action == "strike"] == ["strike 1"]
    assert [r.action for r in member_log].count("duplicate") == 1


async def test_the_log_command_lists_what_was_done(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        event = group_event(50005, "陈晨爸爸", "自家果园橙子，包邮，电话15911112222", AUTO_GROUP)
        ctx.receive_event(bot, event)
        ctx.should_call_api("delete_msg", {"message_id": event.message_id}, None)
        ctx.should_call_api("send_private_msg", {"user_id": 50005, "group_id": AUTO_GROUP,
                                                  "message": Contains("第 1 次")}, {"message_id": 14})
        ask = group_event(AUTO_HEAD, "语文刘洋", Message([MessageSegment.text("/log "), MessageSegment.at(50005)]),
                          AUTO_GROUP)
        ctx.receive_event(bot, ask)
        ctx.should_call_send(ask, Contains("最近 7 天", "广告", "recall", "qq:50005", "自家果园橙子"), {"message_id": 15})
        parent = group_event(50006, "林小雨妈妈", "/日志 30", AUTO_GROUP)
        ctx.receive_event(bot, parent)
        ctx.should_call_send(parent, "抱歉，只有本班老师和管理员可以使用这个命令。", {"message_id": 16})

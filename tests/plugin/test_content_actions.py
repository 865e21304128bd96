"""What content rules do besides withdrawing: leave requests answered, reported messages forwarded."""

from __future__ import annotations

from collections.abc import Iterator

import nonebot
import pytest
from nonebot.adapters.onebot.v11 import Adapter, Bot, Message, MessageSegment
from nonebot.adapters.onebot.v11.event import Reply
from nonebug import App

from plugins.charter.policies import prepare_all
from plugins.charter.runtime import get_runtime

from .test_pipeline import GROUP, HEAD_TEACHER, Contains, group_event


@pytest.fixture
def adapter() -> Adapter:
    return nonebot.get_adapter(Adapter)


@pytest.fixture
def leave_requests_on() -> Iterator[None]:
    """g3c2's charter (school-full) has no leave-request clause; switch the rule on as a class file may."""
    runtime = get_runtime()
    cls = runtime.config.classes["g3c2"]
    original = cls.rules["content.leave_requests"]
    cls.rules["content.leave_requests"] = original.model_copy(update={"enabled": True})
    prepare_all(runtime.config)  # the policies pick the change up, as after /reload
    yield
    cls.rules["content.leave_requests"] = original
    prepare_all(runtime.config)


async def test_a_leave_request_gets_the_procedure_and_goes_to_the_head_teacher(
        app: App, adapter: Adapter, leave_requests_on: None) -> None:
    procedure = get_runtime().config.classes["g3c2"].leave_procedure
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        event = group_event(71001, "李思远妈妈", "老师，李思远明天发烧请假一天")
        ctx.receive_event(bot, event)
        ctx.should_call_api("send_private_msg", {"user_id": 71001, "group_id": GROUP,
                                                  "message": Contains("不必在群里留言", procedure)}, {"message_id": 1})
        ctx.should_call_api("send_private_msg", {"user_id": HEAD_TEACHER, "group_id": GROUP,
                                                  "message": Contains("李思远妈妈", "请假", "发烧")}, {"message_id": 2})


async def test_a_reported_message_reaches_the_head_teacher_with_a_command(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        rumour = group_event(71002, "王可欣爸爸", "听说下周全区停课，大家别送孩子了")
        ctx.receive_event(bot, rumour)
        # as NoneBot's OneBot adapter delivers a reply: the quoted message in event.reply,
        # the command text in event.message (nonebug skips the adapter's own fetch)
        report = group_event(71003, "赵一诺妈妈", "/report")
        report.original_message = Message([MessageSegment.reply(rumour.message_id), MessageSegment.text("/report")])
        report.reply = Reply(time=rumour.time, message_type="group", message_id=rumour.message_id,
                             real_id=rumour.message_id, sender=rumour.sender, message=rumour.message)
        ctx.receive_event(bot, report)
        ctx.should_call_api("send_private_msg", {"user_id": HEAD_TEACHER, "group_id": GROUP,
                                                  "message": Contains("成员举报", "王可欣爸爸", "全区停课", "/confirm")},
                            {"message_id": 3})
        ctx.should_call_send(report, "已转交班主任处理，谢谢您的反馈。", {"message_id": 4})
    pending = await get_runtime().store.pending_decisions("g3c2", get_runtime().clock(), kind="report")
    assert any(d.account_key == "qq:71002" for d in pending)


async def test_members_commands_are_not_chat_but_their_words_are_checked(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        # three members asking for help in a row: answered, and no flooding reminder
        for user_id, card in ((71011, "张子涵妈妈"), (71012, "周雨桐妈妈"), (71013, "吴俊杰爸爸")):
            ask = group_event(user_id, card, "/help")
            ctx.receive_event(bot, ask)
            ctx.should_call_send(ask, Contains("/charter"), {"message_id": user_id})
        # an advert behind a command word is still an advert
        hidden = group_event(71014, "孙嘉怡爸爸", "/report 少儿编程免费试听，加微信 code2025 预约")
        ctx.receive_event(bot, hidden)
        ctx.should_call_api("delete_msg", {"message_id": hidden.message_id}, None)
        ctx.should_call_api("send_private_msg", {"user_id": 71014, "group_id": GROUP, "message": Contains("广告")},
                            {"message_id": 5})
        ctx.should_call_send(hidden, "请在群里回复要举报的那条消息，并发送 /report。", {"message_id": 6})


async def test_a_message_only_the_model_suspects_goes_to_the_head_teacher_untouched(
        app: App, adapter: Adapter) -> None:
    # no pattern of content.abuse matches it; the model suspects it: nothing is withdrawn and
    # nobody struck or reminded (any other API call fails the test), the head teacher decides
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        event = group_event(71021, "赵一诺妈妈", "这帮老师就是一群废柴")
        ctx.receive_event(bot, event)
        ctx.should_call_api("send_private_msg", {"user_id": HEAD_TEACHER, "group_id": GROUP,
                                                  "message": Contains("待您判断", "赵一诺妈妈", "疑似「不文明用语」",
                                                                      "一群废柴", "/warn qq:71021")},
                            {"message_id": 5})
    strikes = await get_runtime().store.active_strikes("g3c2", "qq:71021", get_runtime().clock())
    assert not strikes

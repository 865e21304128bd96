"""The charter plugins inside NoneBot (nonebug): events in, platform calls out."""

from __future__ import annotations

import time
from typing import Any

import nonebot
import pytest
from nonebot.adapters.onebot.v11 import Adapter, Bot, GroupMessageEvent, Message, MessageSegment, PrivateMessageEvent
from nonebot.adapters.onebot.v11.event import Sender
from nonebot.adapters.onebot.v11.exception import ActionFailed
from nonebug import App

from plugins.charter.runtime import get_runtime

GROUP = 900001  # the example class g3c2 (school-full)
HEAD_TEACHER = 10002
_ids = iter(range(1, 10_000_000))


def group_event(user_id: int, card: str, message: Message | str, group_id: int = GROUP) -> GroupMessageEvent:
    message = Message(message) if isinstance(message, str) else message
    return GroupMessageEvent(
        time=int(time.time()), self_id=3000, post_type="message", sub_type="normal", user_id=user_id,
        message_type="group", message_id=next(_ids) + 500_000, message=message, original_message=message,
        raw_message=str(message), font=0, sender=Sender(user_id=user_id, nickname=card, card=card, role="member"),
        group_id=group_id, to_me=False,
    )


def private_event(user_id: int, text: str) -> PrivateMessageEvent:
    message = Message(text)
    return PrivateMessageEvent(
        time=int(time.time()), self_id=3000, post_type="message", sub_type="friend", user_id=user_id,
        message_type="private", message_id=next(_ids) + 500_000, message=message, original_message=message,
        raw_message=text, font=0, sender=Sender(user_id=user_id, nickname="王芳"), to_me=True,
    )


def text(segments: Any) -> str:
    return "".join(s.data.get("text", "") for s in Message(segments) if s.type == "text")


class Contains:
    """Matches an API parameter that contains every given fragment (nonebug compares with ==)."""

    def __init__(self, *fragments: str):
        self.fragments = fragments

    def __eq__(self, other: object) -> bool:
        rendered = text(other) if not isinstance(other, str) else other
        return all(f in rendered for f in self.fragments)

    def __repr__(self) -> str:
        return f"Contains{self.fragments}"


@pytest.fixture
def adapter() -> Adapter:
    return nonebot.get_adapter(Adapter)


async def test_an_advert_is_recalled_and_the_parent_reminded(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        event = group_event(40001, "吴俊杰妈妈", "少儿编程免费试听，加微信 code2025 预约")
        ctx.receive_event(bot, event)
        ctx.should_call_api("delete_msg", {"message_id": event.message_id}, None)
        ctx.should_call_api("send_private_msg", {"user_id": 40001, "group_id": GROUP,
                                                  "message": Contains("广告", "第 1 次")}, {"message_id": 1})


async def test_ordinary_chatter_gets_no_action(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        for line in ["收到，谢谢老师", "请问周四要交美术作业吗？", "我换新号码了：13912345678，老师有事打这个",
                     "期末会公布排名吗", "黄色的雨衣是谁的"]:
            ctx.receive_event(bot, group_event(40002, "孙嘉怡妈妈", line))
    # nonebug fails the test on any API call that was not expected


async def test_a_teacher_is_never_struck_the_head_teacher_is_told(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        event = group_event(10005, "语文李强", "朱梦琪上课睡觉，作业一塌糊涂，倒数第一")
        ctx.receive_event(bot, event)
        ctx.should_call_api("delete_msg", {"message_id": event.message_id}, None)
        ctx.should_call_api("send_private_msg", {"user_id": HEAD_TEACHER, "group_id": GROUP,
                                                  "message": Contains("语文李强", "学生隐私", "私下沟通")},
                            {"message_id": 2})
    assert await get_runtime().store.active_strikes("g3c2", "staff:qq:10005", get_runtime().clock()) == []


async def test_a_refused_recall_becomes_an_instruction_for_the_head_teacher(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        event = group_event(40003, "马浩宇爸爸", "澳门赌场线上开户，送彩金")
        ctx.receive_event(bot, event)
        ctx.should_call_api("delete_msg", {"message_id": event.message_id}, None,
                            exception=ActionFailed(retcode=102, wording="bot is not an admin"))
        # the withdrawal comes first, so the instruction for the head teacher does too
        ctx.should_call_api("send_private_msg", {"user_id": HEAD_TEACHER, "group_id": GROUP,
                                                  "message": Contains("需人工处理", "请在群里撤回 马浩宇爸爸")},
                            {"message_id": 3})
        ctx.should_call_api("send_private_msg", {"user_id": HEAD_TEACHER, "group_id": GROUP,
                                                  "message": Contains("严重违规", "澳门赌场")}, {"message_id": 4})
        ctx.should_call_api("send_private_msg", {"user_id": 10003, "group_id": GROUP, "message": Contains("严重违规")},
                            {"message_id": 5})
        ctx.should_call_api("send_private_msg", {"user_id": 10004, "group_id": GROUP, "message": Contains("严重违规")},
                            {"message_id": 6})
        ctx.should_call_api("send_private_msg", {"user_id": 40003, "group_id": GROUP, "message": Contains("第 1 次")},
                            {"message_id": 7})
    log = await get_runtime().store.audit_log("g3c2", account_key="qq:40003", limit=None)
    recall = next(r for r in log if r.action == "recall")
    assert not recall.ok and "not an admin" in recall.detail


async def test_plugin_modes_are_for_staff_and_shadow_only_records(app: App, adapter: Adapter) -> None:
    runtime = get_runtime()
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        refused = group_event(40004, "胡一鸣妈妈", "/plugin content shadow")
        ctx.receive_event(bot, refused)
        ctx.should_call_send(refused, "抱歉，只有本班老师和管理员可以使用这个命令。", {"message_id": 8})
        switch = group_event(HEAD_TEACHER, "班主任王芳", "/插件 content shadow")
        ctx.receive_event(bot, switch)
        ctx.should_call_send(switch, "三年二班：content 已试运行（只记录不处理）。", {"message_id": 9})
        ctx.receive_event(bot, group_event(40005, "李思远妈妈", "帮忙投票第12号，谢谢大家"))
    assert runtime.config.classes["g3c2"].mode("content") == "shadow"
    assert (await runtime.store.plugin_modes())["g3c2"]["content"] == "shadow"
    log = await runtime.store.audit_log("g3c2", account_key="qq:40005", limit=None)
    assert [(r.rule_id, r.action, r.shadow) for r in log] == [("content.ads", "finding", True)]
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        back = group_event(HEAD_TEACHER, "班主任王芳", "/plugin content on")
        ctx.receive_event(bot, back)
        ctx.should_call_send(back, "三年二班：content 已开启。", {"message_id": 10})


async def test_help_and_strikes_in_a_private_chat(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        event = group_event(40006, "王可欣妈妈", "微商新品上市，私聊有优惠")
        ctx.receive_event(bot, event)
        ctx.should_call_api("delete_msg", {"message_id": event.message_id}, None)
        ctx.should_call_api("send_private_msg", {"user_id": 40006, "group_id": GROUP, "message": Contains("第 1 次")},
                            {"message_id": 11})
        helper = private_event(HEAD_TEACHER, "/帮助")
        ctx.receive_event(bot, helper)
        ctx.should_call_send(helper, Contains("/strikes", "/pardon", "/plugin"), {"message_id": 12})
        strikes = private_event(HEAD_TEACHER, "/strikes 40006")
        ctx.receive_event(bot, strikes)
        ctx.should_call_send(strikes, Contains("有效违规 1 次", "广告"), {"message_id": 13})
        parent_help = private_event(40006, "/help")
        ctx.receive_event(bot, parent_help)
        ctx.should_call_send(parent_help, Contains("/charter", "仅限本班老师"), {"message_id": 14})


async def test_mentions_are_read_from_real_mention_segments(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        warn = group_event(HEAD_TEACHER, "班主任王芳", Message([MessageSegment.text("/warn "), MessageSegment.at(40007),
                                                             MessageSegment.text(" 在群里争吵")]))
        ctx.receive_event(bot, warn)
        ctx.should_call_api("send_private_msg", {"user_id": 40007, "group_id": GROUP, "message": Contains("第 1 次")},
                            {"message_id": 15})
        ctx.should_call_send(warn, Contains("已记录", "有效违规 1 次"), {"message_id": 16})

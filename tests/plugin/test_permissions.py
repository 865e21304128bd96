"""Who may do what: every registered command, for every role, in the group and in private.

The matrix iterates over `COMMANDS`, so a command added later is covered at once: a
staff-only command must refuse parents, unknown members and another class's head
teacher with the polite refusal, and must not change anything it would have changed.
The class's staff and superusers get the command's real answer.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import nonebot
import pytest
from nonebot.adapters.onebot.v11 import (Adapter, Bot, GroupMessageEvent, Message, MessageSegment,
                                         PrivateMessageEvent)
from nonebot.adapters.onebot.v11.event import Sender
from nonebug import App

from plugins.charter.commands import COMMANDS, NO_CLASS, REFUSED
from plugins.charter.model import Account, DecisionRequest
from plugins.charter.runtime import Runtime, get_runtime
from plugins.escalation.report import build_report
from plugins.membership.names import cancel_grace
from plugins.timing import receipt_store

from .test_pipeline import Contains

CLASS = "g3c2"
GROUP = 900001
OTHER_GROUP = 900005  # g5c1
ERROR = "抱歉，命令执行出错"
_message_ids = itertools.count(7_300_000)
_victims = itertools.count(48_300, 1)


@dataclass(frozen=True)
class Role:
    name: str
    user_id: int
    card: str  # the group card: valid under the class's naming rules, so no name reminder is sent
    manages: bool  # staff of g3c2 or superuser
    head: bool = False  # head teacher of g3c2 or superuser (for /reload)


ROLES = [
    Role("superuser", 10001, "", manages=True, head=True),
    Role("head_teacher", 10002, "班主任王芳", manages=True, head=True),
    Role("other_head_teacher", 20002, "周雨桐爸爸", manages=False),  # head teacher of g5c1; a parent here
    Role("teacher", 10005, "语文李强", manages=True),
    Role("parent", 48101, "吴俊杰妈妈", manages=False),
    Role("unknown", 48102, "", manages=False),  # no card and no nickname: nobody the roster knows (id per case)
]
PLACES = ["group", "private"]


def group_event(role: Role, text: str, group_id: int = GROUP) -> GroupMessageEvent:
    message = Message(text)
    return GroupMessageEvent(
        time=int(time.time()), self_id=3000, post_type="message", sub_type="normal", user_id=role.user_id,
        message_type="group", message_id=next(_message_ids), message=message, original_message=message,
        raw_message=text, font=0, sender=Sender(user_id=role.user_id, nickname=role.card, card=role.card,
                                                role="member"),
        group_id=group_id, to_me=False,
    )


def run_breaker() -> GroupMessageEvent:
    """A picture from the head teacher: identical commands from several parents in a row
    would otherwise be a chain of repeats (content.flood) across the cases."""
    event = group_event(ROLES[1], "")
    picture = Message(MessageSegment.image("file:///tmp/permissions.png"))
    return event.model_copy(update={"message": picture, "original_message": picture, "raw_message": "[图片]"})


def private_event(role: Role, text: str) -> PrivateMessageEvent:
    message = Message(text)
    return PrivateMessageEvent(
        time=int(time.time()), self_id=3000, post_type="message", sub_type="friend", user_id=role.user_id,
        message_type="private", message_id=next(_message_ids), message=message, original_message=message,
        raw_message=text, font=0, sender=Sender(user_id=role.user_id, nickname=role.card), to_me=True,
    )


class NotContaining:
    def __init__(self, *fragments: str):
        self.fragments = fragments

    def __eq__(self, other: object) -> bool:
        rendered = str(other)
        return "仅限本班老师" in rendered and not any(f in rendered for f in self.fragments)

    def __repr__(self) -> str:
        return f"NotContaining{self.fragments}"


class Anything:
    def __eq__(self, other: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "Anything"


# --- state a command could change -----------------------------------------------------


@dataclass
class Scene:
    """What one case works on: a parent with one active strike and an open report decision."""

    runtime: Runtime
    victim: int  # a parent with one active strike
    decision_id: int
    fresh: int  # a parent with none
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def victim_key(self) -> str:
        return f"qq:{self.victim}"


async def make_scene(runtime: Runtime) -> Scene:
    victim = next(_victims)
    now = runtime.clock()
    await runtime.store.add_strike(
        class_id=CLASS, person_key=f"account:qq:{victim}", account_key=f"qq:{victim}", rule_id="content.ads",
        now=now, expires_at=now + timedelta(days=30), evidence="加微信预约试听", event_key=f"permissions:{victim}",
    )
    decision = await runtime.store.open_decision(DecisionRequest(
        class_id=CLASS, kind="report", account_key=f"qq:{victim}", group_key=f"qq:{GROUP}",
        reason="权限测试", created_at=now, expires_at=now + timedelta(hours=24),
    ))
    assert decision.id is not None
    return Scene(runtime, victim, decision.id, next(_victims))


async def snapshot(scene: Scene) -> dict[str, Any]:
    runtime, now = scene.runtime, scene.runtime.clock()
    decision = await runtime.store.decision(scene.decision_id)
    commands = [r for r in await runtime.store.audit_log(CLASS, limit=None) if r.rule_id == "command"]
    latest = await receipt_store.latest_in_group(runtime.store, f"qq:{GROUP}")
    return {
        "config": id(runtime.config),
        "modes": {p: runtime.config.classes[CLASS].mode(p) for p in ("membership", "content", "timing", "escalation")},
        "stored_modes": (await runtime.store.plugin_modes()).get(CLASS, {}),
        "strikes": [(s.id, s.pardoned_at) for s in await runtime.store.strike_history(CLASS, f"account:qq:{scene.victim}")],
        "active": len(await runtime.store.active_strikes(CLASS, f"account:qq:{scene.victim}", now)),
        "fresh": len(await runtime.store.strike_history(CLASS, f"account:qq:{scene.fresh}")),
        "decision": (decision.status, decision.decided_by) if decision else None,
        "command_audit": len(commands),
        "notice": latest.notice_id if latest else None,
    }


# --- per command: what to send, and what a permitted sender gets ------------------------

Expect = Callable[[Any, Scene, Role, str], Awaitable[None]]


@dataclass(frozen=True)
class Case:
    attempt: str  # arguments that would change something (sent by those who are refused)
    probe: str  # arguments for those who may use it
    reply: Callable[[Scene], tuple[str, ...]]  # fragments of the permitted reply
    calls: Expect | None = None  # platform calls the permitted command makes before replying
    restore: Callable[[Scene], Awaitable[None]] | None = None
    others: object = None  # the reply to those who may not manage, for commands open to everyone


async def restore_content_mode(scene: Scene) -> None:
    runtime = scene.runtime
    await runtime.store.set_plugin_mode(CLASS, "content", scene.extra["content"], "qq:10001", runtime.clock())
    overrides = {k: dict(v) for k, v in runtime.mode_overrides.items()}
    overrides.setdefault(CLASS, {})["content"] = scene.extra["content"]
    runtime.apply_modes(overrides)


async def warned(ctx: Any, scene: Scene, role: Role, place: str) -> None:
    ctx.should_call_api("send_private_msg", {"user_id": scene.fresh, "group_id": GROUP,
                                             "message": Contains("第 1 次")}, {"message_id": 1})


async def weekly_calls(ctx: Any, scene: Scene, role: Role, place: str) -> None:
    runtime = scene.runtime
    chart = (await build_report(runtime, runtime.config.classes[CLASS], runtime.clock())).chart()
    if place == "group":
        ctx.should_call_api("send_private_msg", {"user_id": role.user_id, "group_id": GROUP,
                                                 "message": Contains("三年二班·周报")}, {"message_id": 1})
    if chart is not None:
        ctx.should_call_api("send_private_msg", Anything(), {"message_id": 2})


async def pardon_all(scene: Scene) -> None:
    for user in (scene.victim, scene.fresh):
        await scene.runtime.store.pardon(CLASS, f"account:qq:{user}", scene.runtime.clock(), "qq:10001")


CASES: dict[str, Case] = {
    "help": Case("", "", lambda s: ("/strikes", "/plugin"),
                 others=NotContaining("/plugin", "/strikes", "/pardon", "/warn", "/reload")),
    "charter": Case("", "", lambda s: ("三年二班群规",)),
    "plugin": Case("content shadow", "content shadow", lambda s: ("三年二班：content 已试运行",),
                   restore=restore_content_mode),
    "strikes": Case("{victim}", "{victim}", lambda s: ("有效违规 1 次", "加微信预约试听")),
    "pardon": Case("{victim}", "{victim}", lambda s: ("已撤销", "1 条")),
    "warn": Case("{fresh} 在群里争吵", "{fresh} 在群里争吵", lambda s: ("已记录", "有效违规 1 次"),
                 calls=warned, restore=pardon_all),
    "confirm": Case("{decision}", "{decision}", lambda s: (f"#{s.decision_id} 已标记为处理完毕",)),
    "reject": Case("{decision}", "{decision}", lambda s: (f"已驳回举报 #{s.decision_id}",)),
    "log": Case("30", "30", lambda s: ("最近 30 天",)),
    "report": Case("", "", lambda s: ("请在群里回复要举报的那条消息",)),
    "reload": Case("", "", lambda s: ("已重新加载配置",)),
    "weekly": Case("", "", lambda s: ("周报",), calls=weekly_calls),
    "audit": Case("", "confirm", lambda s: ("没有待确认的移除",)),
    "notice": Case("明天上午九点开家长会，请回复收到", "status", lambda s: ("通知",)),
}
DEFAULT_CASE = Case("", "", lambda s: ())  # a command added later: refusals are still checked


def expect_name_reminder(ctx: Any, role: Role, place: str) -> None:
    """A member without a recognisable card is reminded of the naming rule on their first message."""
    if place != "group" or role.name != "unknown":
        return
    ctx.should_call_api("send_private_msg", {"user_id": role.user_id, "group_id": GROUP,
                                             "message": Contains("没能从群名片看出")}, {"message_id": 1})


async def end_grace(role: Role) -> None:
    """No grace period of the test's unknown member may run into other tests."""
    runtime = get_runtime()
    await cancel_grace(runtime, runtime.config.classes[CLASS], Account("qq", str(role.user_id)))


def permitted(command: str, role: Role) -> bool:
    spec = COMMANDS[command]
    if command == "reload":
        return role.head
    return role.manages or not spec.staff_only


def command_text(command: str, args: str, place: str, scene: Scene) -> str:
    args = args.format(victim=scene.victim, fresh=scene.fresh, decision=scene.decision_id)
    if place == "private":
        args = f"{CLASS} {args}"  # in private the class is named first
    return f"/{command} {args}".rstrip()


@pytest.fixture
def adapter() -> Adapter:
    return nonebot.get_adapter(Adapter)


def test_every_shipped_command_has_a_case() -> None:
    """The matrix covers new commands by default; the shipped ones have real arguments."""
    assert set(CASES) <= set(COMMANDS)
    assert set(COMMANDS) - set(CASES) == set(), "add a Case with real arguments for the new command"


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
@pytest.mark.parametrize("command", list(COMMANDS))
async def test_command_permissions(app: App, adapter: Adapter, command: str, role: Role, place: str) -> None:
    runtime = get_runtime()
    if role.name == "unknown":
        role = replace(role, user_id=next(_victims))  # a newcomer each time: the reminder comes once per member
    case = CASES.get(command, DEFAULT_CASE)
    scene = await make_scene(runtime)
    scene.extra["content"] = runtime.config.classes[CLASS].mode("content")
    allowed = permitted(command, role)
    before = await snapshot(scene)
    text = command_text(command, case.probe if allowed else case.attempt, place, scene)
    event = group_event(role, text) if place == "group" else private_event(role, text)
    try:
        async with app.test_matcher() as ctx:
            bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
            if place == "group":
                ctx.receive_event(bot, run_breaker())
            ctx.receive_event(bot, event)
            expect_name_reminder(ctx, role, place)
            if not allowed:
                ctx.should_call_send(event, REFUSED, {"message_id": 1})
            elif case.others is not None and not role.manages:
                ctx.should_call_send(event, case.others, {"message_id": 1})
            else:
                if case.calls is not None:
                    await case.calls(ctx, scene, role, place)
                fragments = case.reply(scene)
                ctx.should_call_send(event, Contains(*fragments) if fragments else Anything(), {"message_id": 1})
        after = await snapshot(scene)
        if not allowed:
            assert after == before  # a refused command changes nothing
    finally:
        await end_grace(role)
        if allowed and case.restore is not None:
            await case.restore(scene)
        await pardon_all(scene)
        await runtime.store.decide(scene.decision_id, "rejected", "qq:10001", runtime.clock())


# --- a head teacher cannot act on another class -----------------------------------------

OTHER_HEAD = ROLES[2]


async def test_another_head_teacher_naming_this_class_in_private_is_refused(app: App, adapter: Adapter) -> None:
    runtime = get_runtime()
    scene = await make_scene(runtime)
    before = await snapshot(scene)
    try:
        async with app.test_matcher() as ctx:
            bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
            for text in (f"/strikes {CLASS} {scene.victim}", f"/违规记录 {CLASS} {scene.victim}",
                         f"/pardon {CLASS} {scene.victim}", f"/reject {CLASS} {scene.decision_id}",
                         f"/plugin {CLASS} content off", f"/reload {CLASS}"):
                event = private_event(OTHER_HEAD, text)
                ctx.receive_event(bot, event)
                ctx.should_call_send(event, REFUSED, {"message_id": 1})
        assert await snapshot(scene) == before
    finally:
        await pardon_all(scene)
        await runtime.store.decide(scene.decision_id, "rejected", "qq:10001", runtime.clock())


async def test_another_head_teacher_sees_and_decides_only_their_own_class(app: App, adapter: Adapter) -> None:
    """In their own group or a private chat (their class by default), this class's records stay out of reach."""
    runtime = get_runtime()
    scene = await make_scene(runtime)
    before = await snapshot(scene)
    try:
        async with app.test_matcher() as ctx:
            bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
            own = Role("other_head_teacher", 20002, "班主任刘洋", manages=True)
            for event in (private_event(own, f"/strikes {scene.victim}"),
                          group_event(own, f"/strikes {scene.victim}", OTHER_GROUP)):
                ctx.receive_event(bot, event)
                ctx.should_call_send(event, Contains(f"{scene.victim} 没有违规记录"), {"message_id": 1})
            for event in (private_event(own, f"/confirm {scene.decision_id}"),
                          group_event(own, f"/reject {scene.decision_id}", OTHER_GROUP),
                          private_event(own, f"/reject {scene.decision_id}")):
                ctx.receive_event(bot, event)
                ctx.should_call_send(event, f"编号 {scene.decision_id} 不存在、已处理或已过期。", {"message_id": 1})
            pardon = private_event(own, f"/pardon {scene.victim}")
            ctx.receive_event(bot, pardon)
            ctx.should_call_send(pardon, Contains("没有可撤销的违规记录"), {"message_id": 1})
        after = await snapshot(scene)
        before.pop("command_audit"), after.pop("command_audit")  # g5c1's own /pardon is audited for g5c1 only
        assert after == before
    finally:
        await pardon_all(scene)
        await runtime.store.decide(scene.decision_id, "rejected", "qq:10001", runtime.clock())


async def test_a_private_command_without_a_class_asks_for_one(app: App, adapter: Adapter) -> None:
    """A parent (serving no class) and a superuser (two classes) must name the class in private."""
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        for role in (ROLES[0], ROLES[4]):
            event = private_event(role, "/strikes 48299")
            ctx.receive_event(bot, event)
            ctx.should_call_send(event, NO_CLASS, {"message_id": 1})


async def test_commands_in_a_group_of_no_class_are_ignored(app: App, adapter: Adapter) -> None:
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        for role in ROLES:
            ctx.receive_event(bot, group_event(role, "/plugin content off", group_id=912345))
    assert get_runtime().config.classes[CLASS].mode("content") != "off"


async def test_command_in_finds_the_command_answer_command_runs(app: App) -> None:
    # the entry matcher asks command_in (a plain call) and runs only what it found
    from nonebot.adapters.onebot.v11 import NoticeEvent

    from plugins.charter.commands import answer_command, command_in

    parent = ROLES[4]
    for text in ("/help", "  /帮助", "/strikes10086", "hello /help", "帮助", ""):
        for event in (group_event(parent, text), private_event(parent, text)):
            found = command_in(event)
            if text.strip().startswith("/"):
                assert found is not None and found[0] is COMMANDS[found[0].name]
            else:
                assert found is None
    notice = NoticeEvent(time=0, self_id=3000, post_type="notice", notice_type="notify")
    assert command_in(notice) is None
    assert await answer_command(None, notice) is False  # type: ignore[arg-type]

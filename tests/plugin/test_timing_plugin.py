"""timing.* inside NoneBot (nonebug): quiet hours, teachers in class, response
deadlines and notice receipts, on a class of their own with an injected clock.

The class g2t9 (school-full, group 900029, timing on) is added to the test
configuration for this module and removed afterwards. The background timer loop
is paused, so timers fire only when a test calls run_due after moving the clock.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import nonebot
import pytest
from nonebot.adapters.onebot.v11 import Adapter, Bot, GroupMessageEvent, Message, MessageSegment
from nonebot.adapters.onebot.v11.event import Sender
from nonebug import App

import plugins.charter.timers as core_timers
from plugins.charter.lifecycle import ensure_connected
from plugins.charter.listeners import _message_listeners, start_dispatch
from plugins.charter.model import GroupRef
from plugins.charter.pipeline import build_message
from plugins.charter.runtime import Runtime, get_runtime
from plugins.charter.timers import run_due
from plugins.membership.names import first_sight
from plugins.timing.handlers import notice_receipts, plan_quiet_mutes, quiet_hours, response_deadlines, teacher_in_class

from .test_pipeline import Contains

TZ = ZoneInfo("Asia/Shanghai")
GROUP = 900029
HEAD, OFFICE, LEADER, TEACHER = 29002, 29003, 29004, 29005
MONDAY = datetime(2025, 11, 24, tzinfo=TZ)  # a Monday in the past: timers of other tests are not due

CLASS = f"""
[class]
id = "g2t9"
name = "二年九班"
charter = "school-full"
roster = "g2t9.csv"
office_contact = "家校协作办公室 0571-88880000"

[[groups]]
platform = "qq"
group_id = "{GROUP}"

[staff]
head_teacher = ["qq:{HEAD}"]
teachers = ["qq:{TEACHER}"]
office = ["qq:{OFFICE}"]
leaders = ["qq:{LEADER}"]

[plugins]
timing = "on"

[rules."timing.quiet_hours"]
enabled = true
quiet = ["21:30-07:00"]

[rules."timing.response_sla"]
minutes = 20
escalate_after_minutes = 30
allowed_hours = ["06:00-23:00"]

[rules."timing.notice_receipts"]
action = ["remind"]
remind_after_minutes = 60

[[timetable]]
weekday = 1
time = "08:00-08:40"
teacher = "qq:{TEACHER}"

[[timetable]]
weekday = 1
time = "08:40-09:20"
teacher = "qq:{TEACHER}"
"""
ROSTER = "role,name,subject\nteacher,王芳,班主任\nteacher,李强,语文\nstudent,张子涵,\nstudent,周雨桐,\nstudent,吴俊杰,\n"
_ids = iter(range(7_000_001, 8_000_000))


def event(user_id: int, card: str, message: Message | str, at: datetime,
          reply: GroupMessageEvent | None = None) -> GroupMessageEvent:
    message = Message(message) if isinstance(message, str) else message
    if reply is not None:
        message = MessageSegment.reply(reply.message_id) + message
    return GroupMessageEvent(
        time=int(at.timestamp()), self_id=3000, post_type="message", sub_type="normal", user_id=user_id,
        message_type="group", message_id=next(_ids), message=message, original_message=message.copy(),
        raw_message=str(message), font=0, sender=Sender(user_id=user_id, nickname=card, card=card, role="member"),
        group_id=GROUP, to_me=False,
    )


def mention(user_id: int, text: str) -> Message:
    return Message([MessageSegment.at(user_id), MessageSegment.text(" " + text)])


@pytest.fixture
def adapter() -> Adapter:
    return nonebot.get_adapter(Adapter)


@pytest.fixture(scope="module")
def timing_class() -> Iterator[None]:
    config = Path(os.environ["CHARTERBOT_CONFIG_DIR"]) / "classes"
    (config / "g2t9.toml").write_text(CLASS, encoding="utf-8")
    (config / "g2t9.csv").write_text(ROSTER, encoding="utf-8")
    get_runtime().reload()
    yield
    (config / "g2t9.toml").unlink()
    (config / "g2t9.csv").unlink()
    get_runtime().reload()


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return moment


@pytest.fixture
async def clock(timing_class: None, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Clock]:
    """The runtime's clock, set by the test; the background timer loop is paused so
    that only the test fires timers; this class's timers are cancelled afterwards."""
    runtime = get_runtime()

    async def paused(*_args: object, **_kwargs: object) -> int:
        return 0

    monkeypatch.setattr(core_timers, "run_due", paused)
    monkeypatch.setattr(core_timers, "run_housekeeping", paused)
    original = runtime.clock
    fake = Clock(MONDAY)
    runtime.clock = fake
    yield fake
    runtime.clock = original
    for prefix in ("timing.response_sla|qq:900029|", "timing.notice_receipts|qq:900029|",
                   "timing.quiet_hours|mute|qq:900029|"):
        await runtime.store.cancel_timers(prefix, original())


async def fire(runtime: Runtime) -> int:
    return await run_due(runtime)


def cls_rules() -> dict:
    return get_runtime().config.classes["g2t9"].rules


# --- quiet hours --------------------------------------------------------------


async def test_quiet_hours_one_private_reminder_per_window_never_a_recall(app: App, adapter: Adapter,
                                                                         clock: Clock) -> None:
    runtime = get_runtime()
    night = clock.set(MONDAY.replace(hour=22, minute=5))
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, event(29101, "张子涵妈妈", "老师，明天要穿校服吗", night))
        ctx.should_call_api("send_private_msg", {"user_id": 29101, "group_id": GROUP,
                                                  "message": Contains("21:30-07:00", "休息时间", "明天 07:00")},
                            {"message_id": 1})
        # the same parent again, and later in the same night: no second reminder
        ctx.receive_event(bot, event(29101, "张子涵妈妈", "还有明天几点到校", night + timedelta(minutes=3)))
        ctx.receive_event(bot, event(29101, "张子涵妈妈", "好的谢谢", MONDAY + timedelta(days=1, hours=6)))
        # staff are exempt
        ctx.receive_event(bot, event(HEAD, "班主任王芳", "明天穿校服。", night))
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        # the next night is a new window: one new reminder
        clock.set(MONDAY + timedelta(days=1, hours=23))
        ctx.receive_event(bot, event(29101, "张子涵妈妈", "明天的作业是什么", clock.now))
        ctx.should_call_api("send_private_msg", {"user_id": 29101, "group_id": GROUP,
                                                  "message": Contains("休息时间")}, {"message_id": 2})
    log = await runtime.store.audit_log("g2t9", account_key="qq:29101", limit=None)
    assert sorted(r.action for r in log if r.rule_id == "timing.quiet_hours") == [
        "finding", "finding", "remind_private", "remind_private"]
    assert not any(r.action in ("recall", "strike") for r in log)
    assert await runtime.store.active_strikes("g2t9", "guardian:张子涵:妈妈", clock.now) == []


async def test_quiet_hours_in_shadow_mode_only_record(app: App, adapter: Adapter, clock: Clock) -> None:
    runtime = get_runtime()
    before = {k: dict(v) for k, v in runtime.mode_overrides.items()}
    runtime.apply_modes({**before, "g2t9": {**before.get("g2t9", {}), "timing": "shadow"}})
    try:
        night = clock.set(MONDAY.replace(hour=23, minute=40))
        async with app.test_matcher() as ctx:
            bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
            ctx.receive_event(bot, event(29102, "周雨桐爸爸", "孩子睡了吗大家", night))
    finally:
        # the class file says "on"; an empty override would keep the shadow configuration
        runtime.apply_modes({**before, "g2t9": {**before.get("g2t9", {}), "timing": "on"}})
    log = await runtime.store.audit_log("g2t9", account_key="qq:29102", limit=None)
    assert [(r.rule_id, r.action, r.shadow) for r in log] == [("timing.quiet_hours", "finding", True)]


async def test_the_group_is_muted_in_quiet_hours_and_unmuted_on_time(app: App, adapter: Adapter,
                                                                     clock: Clock) -> None:
    runtime = get_runtime()
    rules = cls_rules()
    original = rules["timing.quiet_hours"]
    rules["timing.quiet_hours"] = original.model_copy(update={"action": ("remind", "mute_group")})
    try:
        async with app.test_matcher() as ctx:
            bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
            await ensure_connected(bot)
            clock.set(MONDAY.replace(hour=20))
            await plan_quiet_mutes(runtime, clock.now)
            await plan_quiet_mutes(runtime, clock.now)  # planning twice stores one timer
            assert await fire(runtime) == 0
            clock.set(MONDAY.replace(hour=21, minute=30))
            ctx.should_call_api("set_group_whole_ban", {"group_id": GROUP, "enable": True}, None)
            assert await fire(runtime) == 1
            clock.set(MONDAY.replace(hour=23))
            await plan_quiet_mutes(runtime, clock.now)  # late planning inside the window: no second mute
            assert await fire(runtime) == 0
            clock.set(MONDAY + timedelta(days=1, hours=7))
            ctx.should_call_api("set_group_whole_ban", {"group_id": GROUP, "enable": False}, None)
            assert await fire(runtime) == 1
        pending = [t for t in await runtime.store.pending_timers("timing.quiet.mute") if t.class_id == "g2t9"]
        assert [t.due_at for t in pending] == [(MONDAY + timedelta(days=1, hours=21, minutes=30)).astimezone(
            pending[0].due_at.tzinfo)]
    finally:
        rules["timing.quiet_hours"] = original


# --- teachers in class -----------------------------------------------------------


async def test_a_teacher_in_class_gets_one_automatic_reply_per_lesson(app: App, adapter: Adapter,
                                                                      clock: Clock) -> None:
    lesson = clock.set(MONDAY.replace(hour=8, minute=10))
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, event(29103, "吴俊杰妈妈", mention(TEACHER, "孩子今天忘带作业本了"), lesson))
        ctx.should_call_api("send_group_msg", {"group_id": GROUP, "message": Contains(
            "正在上课", "09:20 下课", "家校协作办公室 0571-88880000")}, {"message_id": 3})
        # another parent in the same (double) lesson: no second reply
        ctx.receive_event(bot, event(29101, "张子涵妈妈", mention(TEACHER, "我家的也是"), lesson + timedelta(minutes=45)))
        # after the lessons: no reply
        ctx.receive_event(bot, event(29101, "张子涵妈妈", mention(TEACHER, "谢谢"), MONDAY.replace(hour=9, minute=30)))
        # a teacher mentioning a teacher: no reply
        ctx.receive_event(bot, event(HEAD, "班主任王芳", mention(TEACHER, "课后来一下办公室"), lesson))
    log = await get_runtime().store.audit_log("g2t9", account_key="qq:29103", limit=None)
    assert ("timing.teacher_unavailable", "finding") in [(r.rule_id, r.action) for r in log]


# --- response deadlines ----------------------------------------------------------


async def test_a_question_to_a_teacher_reminds_then_escalates(app: App, adapter: Adapter, clock: Clock) -> None:
    runtime = get_runtime()
    asked = clock.set(MONDAY.replace(hour=10))
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, event(29104, "周雨桐妈妈", mention(TEACHER, "李老师，请问明天要带什么材料？"), asked))
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        await ensure_connected(bot)
        clock.set(asked + timedelta(minutes=19))
        assert await fire(runtime) == 0
        clock.set(asked + timedelta(minutes=20))
        ctx.should_call_api("send_private_msg", {"user_id": TEACHER, "group_id": GROUP, "message": Contains(
            "周雨桐妈妈", "提出的问题", "明天要带什么材料")}, {"message_id": 4})
        assert await fire(runtime) == 1
        clock.set(asked + timedelta(minutes=49))
        assert await fire(runtime) == 0
        clock.set(asked + timedelta(minutes=50))
        ctx.should_call_api("send_private_msg", {"user_id": HEAD, "group_id": GROUP, "message": Contains(
            "二年九班", "仍未回复", "明天要带什么材料")}, {"message_id": 5})
        assert await fire(runtime) == 1
        clock.set(asked + timedelta(days=1))
        assert await fire(runtime) == 0  # finished


async def test_an_answer_in_the_group_stops_the_deadline(app: App, adapter: Adapter, clock: Clock) -> None:
    runtime = get_runtime()
    asked = clock.set(MONDAY.replace(hour=14))
    notice = event(TEACHER, "语文李强", "明天语文课带字典。", asked - timedelta(minutes=5))
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, notice)
        # a reply to the teacher's message addresses the teacher
        ctx.receive_event(bot, event(29105, "吴俊杰爸爸", "大字典还是小字典？", asked, reply=notice))
    scope = f"timing.response_sla|qq:{GROUP}|qq:{TEACHER}|"
    assert [t for t in await runtime.store.pending_timers("timing.sla.remind") if t.dedupe_key.startswith(scope)]
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, event(TEACHER, "语文李强", "小字典就可以", asked + timedelta(minutes=8)))
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        await ensure_connected(bot)
        clock.set(asked + timedelta(hours=2))
        assert await fire(runtime) == 0
    log = await runtime.store.audit_log("g2t9", account_key=f"qq:{TEACHER}", limit=None)
    assert {"deadline_started", "deadline_answered"} <= {r.action for r in log}


async def test_a_deadline_counts_only_allowed_hours(app: App, adapter: Adapter, clock: Clock) -> None:
    runtime = get_runtime()
    asked = clock.set(MONDAY.replace(hour=22, minute=50))
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        # the head teacher gives a teacher a task late at night (staff: no quiet-hours reminder)
        ctx.receive_event(bot, event(HEAD, "班主任王芳", mention(TEACHER, "麻烦把明天的课表发一下"), asked))
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        await ensure_connected(bot)
        clock.set(asked + timedelta(minutes=30))  # 23:20: the allowed hours are over
        assert await fire(runtime) == 0
        clock.set(MONDAY + timedelta(days=1, hours=6, minutes=9))
        assert await fire(runtime) == 0
        clock.set(MONDAY + timedelta(days=1, hours=6, minutes=10))  # 10 min before 23:00 + 10 after 06:00
        ctx.should_call_api("send_private_msg", {"user_id": TEACHER, "group_id": GROUP, "message": Contains(
            "班主任王芳", "交办的事情", "课表")}, {"message_id": 6})
        assert await fire(runtime) == 1


# --- notice receipts -------------------------------------------------------------


async def test_notice_status_and_the_reminder_to_those_missing(app: App, adapter: Adapter, clock: Clock) -> None:
    runtime = get_runtime()
    posted = clock.set(MONDAY.replace(hour=16))
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        refused = event(29106, "张子涵妈妈", "/notice 大家好", posted)
        ctx.receive_event(bot, refused)
        ctx.should_call_send(refused, "抱歉，只有本班老师和管理员可以使用这个命令。", {"message_id": 7})
        ctx.receive_event(bot, event(HEAD, "班主任王芳", "/通知 周三上午9点开家长会，请准时参加", posted))
        ctx.should_call_api("send_group_msg", {"group_id": GROUP, "message": Contains(
            "【通知】周三上午9点开家长会", "收到")}, {"message_id": 8})
        ctx.should_call_api("send_private_msg", {"user_id": HEAD, "group_id": GROUP, "message": Contains(
            "已开始统计回执（共 3 人）", "今天 17:00")}, {"message_id": 9})
        ctx.receive_event(bot, event(29106, "张子涵妈妈", "收到", posted + timedelta(minutes=2)))
        ctx.receive_event(bot, event(29107, "周雨桐爸爸", "几点结束呢", posted + timedelta(minutes=3)))
        status = event(HEAD, "班主任王芳", "/notice status", posted + timedelta(minutes=5))
        ctx.receive_event(bot, status)
        ctx.should_call_send(status, Contains("通知回执 1/3", "未回复：周雨桐、吴俊杰"), {"message_id": 10})
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        await ensure_connected(bot)
        clock.set(posted + timedelta(minutes=59))
        assert await fire(runtime) == 0
        clock.set(posted + timedelta(minutes=60))
        ctx.should_call_api("get_group_member_list", {"group_id": GROUP}, [
            {"user_id": 29106, "card": "张子涵妈妈"}, {"user_id": 29107, "card": "周雨桐爸爸"},
            {"user_id": HEAD, "card": "班主任王芳"}])
        ctx.should_call_api("send_private_msg", {"user_id": 29107, "group_id": GROUP, "message": Contains(
            "周雨桐的家长还没有回复", "家长会")}, {"message_id": 11})
        ctx.should_call_api("send_private_msg", {"user_id": HEAD, "group_id": GROUP, "message": Contains(
            "找不到以下学生的家长", "吴俊杰")}, {"message_id": 12})
        assert await fire(runtime) == 1
        clock.set(posted + timedelta(hours=5))
        assert await fire(runtime) == 0  # one reminder only


async def test_a_teachers_marked_message_starts_a_list_and_replies_complete_it(app: App, adapter: Adapter,
                                                                               clock: Clock) -> None:
    runtime = get_runtime()
    posted = clock.set(MONDAY + timedelta(days=1, hours=12))  # after the other test's notice: the latest list
    notice = event(TEACHER, "语文李强", "周五前交阅读记录卡，收到请回复", posted)
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ctx.receive_event(bot, notice)
        ctx.receive_event(bot, event(29106, "张子涵妈妈", "收到", posted + timedelta(minutes=1), reply=notice))
        ctx.receive_event(bot, event(29107, "周雨桐爸爸", "周雨桐收到", posted + timedelta(minutes=2)))
        ctx.receive_event(bot, event(29108, "吴俊杰妈妈", "好的，收到", posted + timedelta(minutes=3)))
        ctx.should_call_api("send_private_msg", {"user_id": TEACHER, "group_id": GROUP, "message": Contains(
            "阅读记录卡", "已全部回复（3/3）")}, {"message_id": 13})
        status = event(TEACHER, "语文李强", "/notice status", posted + timedelta(minutes=5))
        ctx.receive_event(bot, status)
        ctx.should_call_send(status, Contains("通知回执 3/3", "已全部回复"), {"message_id": 14})
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        await ensure_connected(bot)
        clock.set(posted + timedelta(hours=2))
        assert await fire(runtime) == 1  # the reminder timer fires and finds nobody missing


# --- the listeners' plain tests (no coroutine for a message without work) -------------


def class_message(user_id: int, card: str, text: str, at: datetime, mentions: tuple[str, ...] = ()) -> tuple:
    runtime = get_runtime()
    cls = runtime.config.classes["g2t9"]
    message = build_message(runtime, cls, group=GroupRef("qq", str(GROUP)), user_id=str(user_id), display_name=card,
                            message_id=str(next(_ids)), text=text, time=at, mentions=mentions)
    return runtime, cls, message


def work_left(listener: Callable, *args: object) -> bool:
    pending = listener(*args)
    if pending is None:
        return False
    pending.close()  # type: ignore[attr-defined]  # its work is tested through the matcher above
    return True


async def test_an_ordinary_message_leaves_the_listeners_no_work(app: App, clock: Clock) -> None:
    noon = clock.set(MONDAY.replace(hour=12) + timedelta(weeks=9))  # the other tests' receipt lists are closed
    runtime, cls, message = class_message(29108, "吴俊杰爸爸", "好的，谢谢老师", noon)
    assert work_left(first_sight, runtime, cls, message)  # a name not checked yet: its check is work
    pending = start_dispatch(runtime, cls, message)
    assert pending is not None
    await pending  # the name checked, the index of open receipt lists loaded
    # the member's next message: nothing for any listener, and no coroutine made
    runtime, cls, message = class_message(29108, "吴俊杰爸爸", "明天几点到校？", noon + timedelta(minutes=1))
    assert [work_left(listener, runtime, cls, message) for listener in _message_listeners] == [False] * len(
        _message_listeners)
    assert start_dispatch(runtime, cls, message) is None


async def test_a_message_with_work_leaves_it_to_the_listener(app: App, clock: Clock) -> None:
    night = clock.set(MONDAY.replace(hour=22))
    assert work_left(quiet_hours, *class_message(29108, "吴俊杰爸爸", "睡了吗", night))
    assert not work_left(quiet_hours, *class_message(HEAD, "班主任王芳", "明天穿校服", night))  # staff are exempt
    lesson = clock.set(MONDAY.replace(hour=8, minute=10))
    parent_mentions_teacher = class_message(29108, "吴俊杰爸爸", "孩子忘带作业本了", lesson, (str(TEACHER),))
    assert work_left(teacher_in_class, *parent_mentions_teacher)
    assert work_left(response_deadlines, *parent_mentions_teacher)  # addressed: may start a deadline
    assert work_left(response_deadlines, *class_message(TEACHER, "语文李强", "今天的作业是第三页", lesson))  # an answer
    assert not work_left(response_deadlines, *class_message(TEACHER, "语文李强", "。。。", lesson))
    assert work_left(notice_receipts, *class_message(TEACHER, "语文李强", "周五交回执，收到请回复", lesson))
    assert not work_left(notice_receipts, *class_message(TEACHER, "语文李强", "辛苦了", lesson))

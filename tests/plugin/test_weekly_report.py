"""The head teacher's weekly report: /weekly (/周报) and the Monday timer, with an injected clock."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nonebot
import pytest
from nonebot.adapters.onebot.v11 import Adapter, Bot, Message
from nonebug import App

from plugins.charter.database import create_engine, migrate
from plugins.charter.model import DecisionRequest
from plugins.charter.runtime import Runtime, get_runtime
from plugins.charter.store import DueTimer, Store
from plugins.charter.tables import AuditRecord
from plugins.charter.timers import _handlers
from plugins.escalation.report import (
    WEEKLY_TIMER,
    build_report,
    next_report,
    report_key,
    schedule_weekly_reports,
    weekly_report,
)

from .test_pipeline import Contains, group_event, private_event

GROUP = 900005  # class g5c1 (class-pact): head teacher 20002, teacher 20005
HEAD = 20002
NOW = datetime(2031, 3, 12, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in Shanghai


class HasImage:
    """Matches a message whose only segment is a base64 PNG image."""

    def __eq__(self, other: object) -> bool:
        segments = list(Message(other))  # type: ignore[arg-type]
        return len(segments) == 1 and segments[0].type == "image" and str(
            segments[0].data.get("file", "")).startswith("base64://iVBORw0KGgo")

    def __repr__(self) -> str:
        return "HasImage()"


@pytest.fixture
def adapter() -> Adapter:
    return nonebot.get_adapter(Adapter)


@pytest.fixture
async def own_runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    """A runtime on its own database, so counts are exact whatever other tests recorded."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'weekly.db'}")
    await migrate(engine)
    runtime = Runtime(config=get_runtime().config, store=Store(engine), superusers=frozenset(), clock=lambda: NOW)
    yield runtime
    await engine.dispose()


@pytest.fixture
def clock() -> Iterator[list[datetime]]:
    runtime = get_runtime()
    original = runtime.clock
    now = [datetime.now(UTC)]
    runtime.clock = lambda: now[0]
    yield now
    runtime.clock = original


def finding(class_id: str, rule_id: str, at: datetime, action: str = "finding", shadow: bool = False) -> AuditRecord:
    return AuditRecord(created_at=at, class_id=class_id, platform="qq", group_id=str(GROUP), rule_id=rule_id,
                       account_key="qq:47001", action=action, shadow=shadow, excerpt="x")


async def strike(runtime: Runtime, person: str, n: int, days_ago: int = 1, pardoned: bool = False) -> None:
    store = runtime.store
    at = NOW - timedelta(days=days_ago)
    await store.add_strike(class_id="g5c1", person_key=person, account_key=person.removeprefix("account:"),
                           rule_id="content.ads", now=at, expires_at=at + timedelta(days=30), evidence="ad",
                           event_key=f"weekly-test:{person}:{n}")
    if pardoned:
        await store.pardon("g5c1", person, at, "qq:20002")


async def test_report_counts_findings_by_rule_and_week_near_removal_and_pending(own_runtime: Runtime) -> None:
    runtime = own_runtime
    cls = runtime.config.classes["g5c1"]
    await runtime.store.audit([
        finding("g5c1", "content.ads", NOW - timedelta(days=1)),
        finding("g5c1", "content.ads", NOW - timedelta(days=2), shadow=True),
        finding("g5c1", "content.ads", NOW - timedelta(days=1), action="recall"),  # an action, not a finding
        finding("g5c1", "content.flood", NOW - timedelta(days=8)),
        finding("g5c1", "content.ads", NOW - timedelta(days=22)),
        finding("g5c1", "content.ads", NOW - timedelta(days=29)),  # older than four weeks
        finding("g3c2", "content.ads", NOW - timedelta(days=1)),  # another class
    ])
    await strike(runtime, "account:qq:47001", 1)
    await strike(runtime, "account:qq:47001", 2)  # two active strikes of three steps: near removal
    await strike(runtime, "account:qq:47002", 1)
    await strike(runtime, "account:qq:47003", 1, pardoned=True)
    await strike(runtime, "account:qq:47003", 2)
    await strike(runtime, "account:qq:47004", 1, days_ago=40)  # expired
    await strike(runtime, "account:qq:47004", 2)
    await runtime.store.remember_member(class_id="g5c1", account_key="qq:47001", group_key=f"qq:{GROUP}",
                                        display_name="林小雨妈妈", person_key="", name_ok=True, now=NOW)
    decision = await runtime.store.open_decision(DecisionRequest(
        class_id="g5c1", kind="remove", account_key="qq:47005", group_key=f"qq:{GROUP}", reason="content.ads: ad",
        created_at=NOW, expires_at=NOW + timedelta(hours=72)))

    report = await build_report(runtime, cls, NOW)
    assert report.by_rule == {"content.ads": (1, 0, 0, 2), "content.flood": (0, 0, 1, 0)}
    assert report.shadow == 1
    assert [(n.name, n.account_key, n.strikes) for n in report.near_removal] == [("林小雨妈妈", "qq:47001", 2)]
    assert [d.id for d in report.pending] == [decision.id]
    text = report.text()
    assert text.startswith("【五年一班·周报】03月05日—03月12日")
    assert "近 7 天共 2 条违规记录（再往前 7 天 1 条），其中 1 条为试运行" in text
    assert "· 广告：1 / 0 / 0 / 2" in text and "· 刷屏：0 / 0 / 1 / 0" in text
    assert "· 林小雨妈妈（qq:47001）" in text and "47002" not in text and "47003" not in text
    assert f"/confirm {decision.id}" in text

    png = report.chart()
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    idat = png.index(b"IDAT")
    length = struct.unpack(">I", png[idat - 4:idat])[0]
    assert len(zlib.decompress(png[idat + 4:idat + 4 + length])) == height * (1 + 3 * width)


async def test_an_empty_week_says_so_and_has_no_chart(own_runtime: Runtime) -> None:
    report = await build_report(own_runtime, own_runtime.config.classes["g3c2"], NOW)
    assert report.chart() is None
    assert "近 7 天共 0 条违规记录" in report.text() and "没有接近移出的成员" in report.text()
    assert "没有待处理的事项" in report.text()


def test_the_report_is_due_monday_at_eight_in_the_class_time_zone() -> None:
    cls = get_runtime().config.classes["g3c2"]
    sunday_night = datetime(2031, 3, 16, 23, 0, tzinfo=cls.timezone)
    monday = datetime(2031, 3, 17, 8, 0, tzinfo=cls.timezone)
    assert next_report(cls, sunday_night) == monday
    assert next_report(cls, monday) == monday + timedelta(days=7)
    assert next_report(cls, NOW) == monday
    assert report_key(cls, monday) == f"{WEEKLY_TIMER}:g3c2:2031-03-17"


async def test_weekly_in_the_group_goes_privately_with_a_chart(app: App, adapter: Adapter,
                                                               clock: list[datetime]) -> None:
    runtime = get_runtime()
    await runtime.store.audit([finding("g5c1", "content.ads", clock[0] - timedelta(hours=1))])
    async with app.test_matcher() as ctx:
        bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
        ask = group_event(HEAD, "班主任", "/weekly", GROUP)
        ctx.receive_event(bot, ask)
        ctx.should_call_api("send_private_msg", {"user_id": HEAD, "group_id": GROUP,
                                                  "message": Contains("【五年一班·周报】", "广告")}, {"message_id": 1})
        ctx.should_call_api("send_private_msg", {"user_id": HEAD, "group_id": GROUP, "message": HasImage()},
                            {"message_id": 2})
        ctx.should_call_send(ask, "周报已私信发给您。", {"message_id": 3})

        parent = group_event(47010, "陈晨妈妈", "/周报", GROUP)
        ctx.receive_event(bot, parent)
        ctx.should_call_send(parent, Contains("只有本班老师"), {"message_id": 4})

        private = private_event(HEAD, "/周报")
        ctx.receive_event(bot, private)
        ctx.should_call_api("send_private_msg", {"user_id": HEAD, "message": HasImage()}, {"message_id": 5})
        ctx.should_call_send(private, Contains("【五年一班·周报】"), {"message_id": 6})


async def test_the_monday_report_is_scheduled_once_and_sent_to_the_head_teacher(app: App, adapter: Adapter,
                                                                               clock: list[datetime]) -> None:
    runtime = get_runtime()
    cls = runtime.config.classes["g5c1"]
    assert _handlers[WEEKLY_TIMER] is weekly_report
    due = next_report(cls, clock[0])
    await schedule_weekly_reports(runtime, clock[0])
    await schedule_weekly_reports(runtime, clock[0])  # idempotent
    keys = [t.dedupe_key for t in await runtime.store.pending_timers(WEEKLY_TIMER) if t.class_id == "g5c1"]
    assert keys.count(report_key(cls, due)) == 1
    following = next_report(cls, due)
    try:
        clock[0] = due + timedelta(seconds=5)
        async with app.test_matcher() as ctx:
            bot = ctx.create_bot(base=Bot, adapter=adapter, self_id="3000")
            from adapters.qq.ops import QQOps

            runtime.connect(QQOps(bot), bot.self_id)
            await runtime.store.audit([finding("g5c1", "content.flood", clock[0] - timedelta(hours=2))])
            ctx.should_call_api("send_private_msg", {"user_id": HEAD, "group_id": GROUP,
                                                      "message": Contains("【五年一班·周报】", "刷屏")},
                                {"message_id": 7})
            ctx.should_call_api("send_private_msg", {"user_id": HEAD, "group_id": GROUP, "message": HasImage()},
                                {"message_id": 8})
            await weekly_report(runtime, DueTimer(0, WEEKLY_TIMER, "g5c1", due, {}))
        keys = {t.dedupe_key for t in await runtime.store.pending_timers(WEEKLY_TIMER)}
        assert report_key(cls, following) in keys
    finally:
        await runtime.store.cancel_timers(f"{WEEKLY_TIMER}:g5c1:", clock[0])

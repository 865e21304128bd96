"""The head teacher's weekly report: `/weekly` (`/周报`) and a private report every Monday.

Findings by rule for each of the last four weeks (rolling weeks ending now, from
the audit log), members one strike away from the ladder's last step, and the
decisions still waiting. It goes to the head teacher privately, never into the
group; where the platform can show pictures (QQ), a bar chart follows the text.

(`/report` is the member-report command of the core, so the report is `/weekly`.)
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from loguru import logger
from sqlalchemy import func, select

from plugins.charter import texts
from plugins.charter.command_context import CommandContext
from plugins.charter.commands import register_command
from plugins.charter.config import ClassConfig
from plugins.charter.model import Account, Action, ActionKind, GroupRef, Role
from plugins.charter.runtime import Runtime
from plugins.charter.store import DueTimer
from plugins.charter.tables import PendingDecision, Strike
from plugins.charter.timers import housekeeping, schedule_once, timer_handler

from .chart import stacked_weeks

WEEKLY_TIMER = "escalation.weekly_report"
REPORT_WEEKDAY = 1  # Monday, in the class's time zone
REPORT_TIME = time(8, 0)
WEEKS = 4
AUDIT_RULE = "escalation.ladder"  # the report summarises the ladder; audit records name it


@dataclass(frozen=True)
class NearRemoval:
    account_key: str
    name: str
    strikes: int


@dataclass(frozen=True)
class WeeklyReport:
    cls: ClassConfig
    now: datetime
    week_starts: tuple[datetime, ...]  # oldest first; each week is 7 days from its start
    by_rule: dict[str, tuple[int, ...]]  # rule id -> findings per week
    shadow: int  # findings of the last week recorded in shadow mode only
    near_removal: tuple[NearRemoval, ...]
    pending: tuple[PendingDecision, ...]

    def week_labels(self) -> list[str]:
        return [f"{start.astimezone(self.cls.timezone):%m-%d}" for start in self.week_starts]

    def text(self) -> str:
        cls, zone = self.cls, self.cls.timezone
        last = self.week_starts[-1].astimezone(zone)
        this_week = sum(counts[-1] for counts in self.by_rule.values())
        before = sum(counts[-2] for counts in self.by_rule.values()) if len(self.week_starts) > 1 else 0
        lines = [f"【{cls.name}·周报】{last:%m月%d日}—{self.now.astimezone(zone):%m月%d日}",
                 f"近 7 天共 {this_week} 条违规记录（再往前 7 天 {before} 条）"
                 + (f"，其中 {self.shadow} 条为试运行，只记录未处理。" if self.shadow else "。")]
        if self.by_rule:
            lines.append(f"按规则（每周一列，自 {' / '.join(self.week_labels())} 起）：")
            for rule_id, counts in self.by_rule.items():
                lines.append(f"· {texts.title(rule_id)}：{' / '.join(str(c) for c in counts)}")
        steps = len(cls.settings("escalation.ladder").steps)
        if self.near_removal:
            lines.append(f"接近最后一步（有效违规 {steps - 1} 次，再违规一次将移出或请您确认）：")
            lines += [f"· {n.name}（{n.account_key}）" for n in self.near_removal]
        else:
            lines.append("没有接近移出的成员。")
        if self.pending:
            lines.append("待您处理：")
            for d in self.pending:
                lines.append(f"· #{d.id} {texts.decision_kind(d.kind)} {d.account_key}：{d.reason}"
                             f"（/confirm {d.id} 或 /reject {d.id}）")
        else:
            lines.append("没有待处理的事项。")
        return "\n".join(lines)

    def chart(self) -> bytes | None:
        if not self.by_rule:
            return None
        return stacked_weeks("findings per week", self.week_labels(), self.by_rule)


async def build_report(runtime: Runtime, cls: ClassConfig, now: datetime) -> WeeklyReport:
    starts = tuple(now - timedelta(days=7 * k) for k in range(WEEKS, 0, -1))
    records = await runtime.store.audit_log(cls.id, since=starts[0], limit=None)
    by_rule: dict[str, list[int]] = {}
    shadow = 0
    for record in records:
        if record.action != "finding":
            continue
        week = min(int((record.created_at - starts[0]) / timedelta(days=7)), WEEKS - 1)
        by_rule.setdefault(record.rule_id, [0] * WEEKS)[week] += 1
        shadow += int(record.shadow and week == WEEKS - 1)
    ordered = dict(sorted(((r, tuple(c)) for r, c in by_rule.items()), key=lambda kv: (-sum(kv[1]), kv[0])))
    near = await near_removal(runtime, cls, now)
    pending = tuple(await runtime.store.pending_decisions(cls.id, now))
    return WeeklyReport(cls, now, starts, ordered, shadow, near, pending)


async def near_removal(runtime: Runtime, cls: ClassConfig, now: datetime) -> tuple[NearRemoval, ...]:
    """People whose active strikes are one short of the ladder's last step."""
    wanted = len(cls.settings("escalation.ladder").steps) - 1
    if wanted < 1:
        return ()
    query = (
        select(Strike.person_key, func.count(), func.max(Strike.account_key))  # type: ignore[arg-type]
        .where(Strike.class_id == cls.id, Strike.pardoned_at.is_(None), Strike.expires_at > now)  # type: ignore[union-attr]
        .group_by(Strike.person_key)  # type: ignore[arg-type]
        .having(func.count() == wanted)
        .order_by(Strike.person_key)  # type: ignore[arg-type]
    )
    async with runtime.store.session() as session:
        rows = list((await session.exec(query)).all())  # type: ignore[call-overload]
    found = []
    for _person, count, account_key in rows:
        known = await runtime.store.known_member(cls.id, account_key)
        name = known.display_name if known and known.display_name else Account.parse(account_key).user_id
        found.append(NearRemoval(account_key, name, int(count)))
    return tuple(found)


async def deliver(runtime: Runtime, cls: ClassConfig, report: WeeklyReport, to: Account,
                  group: GroupRef | None = None) -> bool:
    """The text as a private message (audited, with the usual fallbacks), then the chart where
    the platform shows images; True when the text arrived."""
    via = group if group is not None and group.platform == to.platform else next(
        (g for g in cls.groups if g.platform == to.platform), cls.groups[0])
    outcomes = await runtime.enforcer.execute(
        [Action(ActionKind.NOTIFY_STAFF, via, to, text=report.text(), rule_id=AUDIT_RULE)], cls)
    delivered = bool(outcomes) and outcomes[0].result.ok
    png = report.chart()
    if delivered and png is not None:
        await send_chart(runtime, to, via.group_id if via.platform == to.platform else None, png)
    return delivered


async def send_chart(runtime: Runtime, to: Account, group_id: str | None, png: bytes) -> None:
    """QQ shows a picture sent as base64; other platforms have had the text only. `group_id`
    opens a temporary session through the group, as for every private message."""
    from adapters.qq.ops import QQOps

    ops = runtime.ops_for(to.platform, group_id)
    if not isinstance(ops, QQOps):
        return
    from nonebot.adapters.onebot.v11 import Message, MessageSegment

    params: dict[str, object] = {
        "user_id": int(to.user_id) if to.user_id.isdigit() else to.user_id,
        "message": Message(MessageSegment.image(f"base64://{base64.b64encode(png).decode()}")),
    }
    if group_id:
        params["group_id"] = int(group_id) if group_id.isdigit() else group_id
    try:
        await ops.bot.send_private_msg(**params)
    except Exception as exc:  # the text has arrived; a lost picture is only logged
        logger.warning(f"weekly report chart to {to.key} not sent: {type(exc).__name__}")


# --- /weekly ----------------------------------------------------------------


@register_command("weekly", "周报", "/weekly（周报私信发给您）", staff_only=True)
async def weekly_command(ctx: CommandContext) -> str:
    assert ctx.cls is not None
    report = await build_report(ctx.runtime, ctx.cls, ctx.runtime.clock())
    if ctx.group is None:
        png = report.chart()
        if png is not None:
            await send_chart(ctx.runtime, ctx.user, None, png)
        return report.text()
    if await deliver(ctx.runtime, ctx.cls, report, ctx.user, ctx.group):
        return "周报已私信发给您。"
    return "抱歉，周报私信发送失败，请私聊机器人发送 /weekly。"


# --- the Monday report ------------------------------------------------------



def next_report(cls: ClassConfig, after: datetime) -> datetime:
    """The first report time (Monday 08:00 local) strictly after `after`."""
    local = after.astimezone(cls.timezone)
    day = local.date() + timedelta(days=(REPORT_WEEKDAY - local.isoweekday()) % 7)
    due = datetime.combine(day, REPORT_TIME, cls.timezone)
    if due <= local:
        due = datetime.combine(day + timedelta(days=7), REPORT_TIME, cls.timezone)
    return due


def report_key(cls: ClassConfig, due: datetime) -> str:
    return f"{WEEKLY_TIMER}:{cls.id}:{due.astimezone(cls.timezone):%Y-%m-%d}"


async def schedule_report(runtime: Runtime, cls: ClassConfig, after: datetime) -> None:
    due = next_report(cls, after)
    await schedule_once(runtime, kind=WEEKLY_TIMER, class_id=cls.id, due_at=due, payload={},
                        dedupe_key=report_key(cls, due))


@housekeeping
async def schedule_weekly_reports(runtime: Runtime, now: datetime) -> None:
    """At start-up (the first housekeeping run) and then about once a minute, idempotently."""
    for cls in runtime.config.classes.values():
        if cls.mode("escalation") != "off":
            await schedule_report(runtime, cls, now)


@timer_handler(WEEKLY_TIMER)
async def weekly_report(runtime: Runtime, timer: DueTimer) -> None:
    cls = runtime.config.classes.get(timer.class_id)
    if cls is None or cls.mode("escalation") == "off":
        return
    now = runtime.clock()
    await schedule_report(runtime, cls, max(now, timer.due_at))
    report = await build_report(runtime, cls, now)
    for account in cls.staff.get(Role.HEAD_TEACHER, ()):
        await deliver(runtime, cls, report, account)

"""membership.audit in the running bot: /audit (/核查) and the weekly sweep.

`/audit` reads the member list of every group of the class, judges it against the
roster and the naming rule (audit.py) and answers with a numbered report, grouped
by reason; in a group the report goes privately to the person who asked. The
head teacher then answers `/audit remove 1 3` or `/audit remove all`, sees who
would be removed, and confirms with `/audit confirm`; the removals go through the
enforcer, which turns what the platform refuses into instructions.

The last report of each class is kept in memory (bounded, for a week), so the
numbers stay those the head teacher read. The weekly sweep (`weekday`, `time` in
the class's time zone) is a persisted timer that schedules the next one; a
housekeeping task schedules it for every class with the rule on, idempotently.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from loguru import logger

from plugins.charter.command_context import CommandContext
from plugins.charter.commands import audit_command, register_command
from plugins.charter.config import ClassConfig
from plugins.charter.model import Action, ActionKind, GroupRef, OpResult
from plugins.charter.platform import Capability
from plugins.charter.runtime import Runtime
from plugins.charter.store import DueTimer
from plugins.charter.tables import AuditRecord
from plugins.charter.timers import housekeeping, schedule_once, timer_handler

from .audit import AuditEntry, AuditReport, parse_remove_selection
from .effects import head_teacher_notes
from .for_class import audit, audit_text, next_audit

RULE = "membership.audit"
WEEKLY_TIMER = RULE
KEEP_REPORTS = 500  # classes whose last report is kept
REPORT_LIFETIME = timedelta(days=7)
USAGE = "/audit [remove 编号|all] [confirm]"


@dataclass
class Sweep:
    """One class's audit: the reports per group, numbered across the class."""

    made_at: datetime
    reports: list[tuple[GroupRef, AuditReport]]
    unavailable: list[str]  # Chinese lines about groups that could not be read
    chosen: list[AuditEntry] | None = None

    @property
    def combined(self) -> AuditReport:
        entries = tuple(e for _, r in self.reports for e in r.entries)
        return AuditReport("", sum(r.total for _, r in self.reports), sum(r.checked for _, r in self.reports), entries)

    def group_of(self, entry: AuditEntry) -> GroupRef:
        return next(g for g, r in self.reports if entry in r.entries)

    @property
    def needs_attention(self) -> bool:
        return bool(self.unavailable) or any(not r.clean for _, r in self.reports)


class Sweeps:
    def __init__(self, limit: int = KEEP_REPORTS):
        self.limit = limit
        self._sweeps: OrderedDict[str, Sweep] = OrderedDict()

    def keep(self, class_id: str, sweep: Sweep) -> None:
        self._sweeps[class_id] = sweep
        self._sweeps.move_to_end(class_id)
        while len(self._sweeps) > self.limit:
            self._sweeps.popitem(last=False)

    def get(self, class_id: str, now: datetime) -> Sweep | None:
        sweep = self._sweeps.get(class_id)
        if sweep is not None and now - sweep.made_at > REPORT_LIFETIME:
            del self._sweeps[class_id]
            return None
        return sweep

    def drop(self, class_id: str) -> None:
        self._sweeps.pop(class_id, None)


sweeps = Sweeps()


def _renumbered(report: AuditReport, offset: int) -> AuditReport:
    if not offset:
        return report
    entries = tuple(replace(e, number=e.number + offset) if e.number is not None else e for e in report.entries)
    return replace(report, entries=entries)


async def sweep_class(runtime: Runtime, cls: ClassConfig) -> Sweep:
    """Audit every group of the class whose platform can list members."""
    reports: list[tuple[GroupRef, AuditReport]] = []
    unavailable: list[str] = []
    offset = 0
    for group in cls.groups:
        ops = runtime.ops_for(group.platform, group.group_id)
        if ops is None:
            unavailable.append(f"群 {group.key}：机器人尚未连接该平台，无法读取成员。")
            continue
        if not ops.can(Capability.MEMBER_LIST):
            unavailable.append(f"群 {group.key}：该平台不提供成员列表，请对照名单人工核对。")
            continue
        try:
            members = await ops.member_list(group.group_id)
        except Exception as exc:
            logger.opt(exception=exc).warning(f"member list of {group.key} unavailable")
            unavailable.append(f"群 {group.key}：读取成员列表失败，请稍后再试。")
            continue
        bot_ids = tuple(runtime.ops.get(group.platform, {}))
        report = _renumbered(audit(cls, group.platform, members, bot_ids), offset)
        offset = max((e.number for e in report.entries if e.number is not None), default=offset)
        reports.append((group, report))
    return Sweep(runtime.clock(), reports, unavailable)


def sweep_text(cls: ClassConfig, sweep: Sweep) -> str:
    parts = []
    for group, report in sweep.reports:
        text = audit_text(cls, report)
        parts.append(f"{text}" if len(sweep.reports) == 1 else f"群 {group.key}：\n{text}")
    parts += sweep.unavailable
    return "\n\n".join(parts) if parts else f"【{cls.name}】没有可以检查的群。"


def selection_text(chosen: list[AuditEntry], limit: int = 60) -> str:
    """Who "/audit remove ..." would remove, and how to confirm."""
    lines = [f"将移出以下 {len(chosen)} 人："]
    lines += [f"{e.number}. {e.display_name or '（无名片）'}（{e.account.user_id}）" for e in chosen[:limit]]
    if len(chosen) > limit:
        lines.append(f"……共 {len(chosen)} 人。")
    lines.append("确认请回复 /audit confirm；如需修改，请重新发送 /audit remove 编号。")
    return "\n".join(lines)


async def _privately(ctx: CommandContext, text: str) -> str:
    """The reply itself in a private chat; in a group, sent privately (member names are not for the group)."""
    if ctx.group is None:
        return text
    assert ctx.cls is not None
    outcomes = await ctx.runtime.enforcer.execute(
        [Action(ActionKind.NOTIFY_STAFF, ctx.group, ctx.user, text=text, rule_id=RULE)], ctx.cls)
    if outcomes and outcomes[0].result.ok:
        return "核查结果已私信发给您。"
    return "无法私信您，请私聊机器人发送 /audit。"


@register_command("audit", "核查", USAGE, staff_only=True)
async def audit_command_handler(ctx: CommandContext) -> str:
    assert ctx.cls is not None
    cls, runtime = ctx.cls, ctx.runtime
    mode = cls.rule_mode(RULE)
    if mode == "off":
        return f"{cls.name}未开启成员核查（{RULE}）。"
    words = ctx.args.split(maxsplit=1)
    verb = words[0].lower() if words else ""
    if verb in ("remove", "移除"):
        return await _choose(ctx, words[1] if len(words) > 1 else "")
    if verb in ("confirm", "确认"):
        return await _confirm(ctx)
    if verb:
        return f"用法：{USAGE}"
    sweep = await sweep_class(runtime, cls)
    sweeps.keep(cls.id, sweep)
    await audit_command(ctx, "audit", f"{len(sweep.combined.entries)} listed, {len(sweep.combined.removable)} removable")
    text = sweep_text(cls, sweep)
    if mode == "shadow" and sweep.combined.removable:
        text += "\n（成员核查处于试运行，只列出，不移除。）"
    return await _privately(ctx, text)


async def _choose(ctx: CommandContext, selection: str) -> str:
    assert ctx.cls is not None
    if ctx.cls.rule_mode(RULE) == "shadow":
        return "成员核查处于试运行，只列出，不移除。"
    sweep = sweeps.get(ctx.cls.id, ctx.runtime.clock())
    if sweep is None:
        return "请先发送 /audit 查看最新的核查结果。"
    try:
        chosen = parse_remove_selection(selection, sweep.combined)
    except ValueError as exc:
        return str(exc)
    sweep.chosen = chosen
    return await _privately(ctx, selection_text(chosen))


async def _confirm(ctx: CommandContext) -> str:
    assert ctx.cls is not None
    cls, runtime = ctx.cls, ctx.runtime
    sweep = sweeps.get(cls.id, runtime.clock())
    if sweep is None or not sweep.chosen:
        return "没有待确认的移除，请先发送 /audit，再发送 /audit remove 编号。"
    chosen, sweep.chosen = sweep.chosen, None
    by_group: dict[GroupRef, list[AuditEntry]] = {}
    for entry in chosen:
        by_group.setdefault(sweep.group_of(entry), []).append(entry)
    results: list[OpResult] = []
    for group, entries in by_group.items():
        actions = [Action(ActionKind.REMOVE, group, e.account, rule_id=RULE) for e in entries]
        outcomes = await runtime.enforcer.execute(actions, cls)
        results += [o.result for o in outcomes if o.action.kind == ActionKind.REMOVE]
    sweeps.drop(cls.id)  # the numbers no longer match the groups
    removed = sum(1 for r in results if r.ok)
    await audit_command(ctx, "audit-remove", f"{removed}/{len(chosen)}: " + " ".join(e.account.key for e in chosen))
    if removed == len(chosen):
        return f"已移出 {removed} 人。"
    return f"已移出 {removed} 人；另有 {len(chosen) - removed} 人机器人无法移出，已私信说明如何手动处理。"


# --- the weekly sweep -------------------------------------------------------------

def weekly_key(cls: ClassConfig, due: datetime) -> str:
    return f"{WEEKLY_TIMER}:{cls.id}:{int(due.timestamp())}"


async def schedule_weekly(runtime: Runtime, cls: ClassConfig, after: datetime) -> None:
    due = next_audit(cls, after)
    await schedule_once(runtime, kind=WEEKLY_TIMER, class_id=cls.id, due_at=due, payload={},
                        dedupe_key=weekly_key(cls, due))


@housekeeping
async def schedule_weekly_sweeps(runtime: Runtime, now: datetime) -> None:
    """At start-up and about once a minute: every class with the rule on has its next sweep scheduled."""
    for cls in runtime.config.classes.values():
        if cls.rule_mode(RULE) != "off":
            await schedule_weekly(runtime, cls, now)


@timer_handler(WEEKLY_TIMER)
async def weekly_sweep(runtime: Runtime, timer: DueTimer) -> None:
    cls = runtime.config.classes.get(timer.class_id)
    if cls is None or cls.rule_mode(RULE) == "off":
        return
    if next_audit(cls, timer.due_at - timedelta(seconds=1)) != timer.due_at:
        return  # the class's schedule changed since; the new one is scheduled by housekeeping
    await schedule_weekly(runtime, cls, max(runtime.clock(), timer.due_at))
    sweep = await sweep_class(runtime, cls)
    if not sweep.needs_attention:
        return
    text = sweep_text(cls, sweep)
    group = cls.groups[0]
    if cls.rule_mode(RULE) == "shadow":
        await runtime.store.audit([AuditRecord(
            created_at=runtime.clock(), class_id=cls.id, platform=group.platform, group_id=group.group_id,
            rule_id=RULE, action="weekly_audit", shadow=True,
            detail=f"{len(sweep.combined.entries)} listed, {len(sweep.unavailable)} groups unreadable")])
        return
    sweeps.keep(cls.id, sweep)
    await runtime.enforcer.execute(head_teacher_notes(cls, group, text, RULE, None), cls)

"""Slash commands, each with a Chinese alias, in the group or in a private chat.

Anyone may read the help and the charter and report a message; only superusers
and the class's staff may change anything. Other plugins add their commands
through `register_command` so /help lists them all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from loguru import logger
from nonebot import get_driver
from nonebot.adapters import Bot, Event

from . import texts

from .catalogue import PLUGINS
from .command_context import CommandContext, build_context
from .config import ConfigError
from .lifecycle import ensure_connected
from .model import Account, ActionKind, Action, DecisionRequest, Finding, GroupRef, Member, Role, Severity
from .runtime import runtime_or_none

Handler = Callable[[CommandContext], Awaitable[str]]

REFUSED = "抱歉，只有本班老师和管理员可以使用这个命令。"
NO_CLASS = "没有找到对应的班级。私聊时请在命令后写上班级编号，例如 /strikes g3c2 10086。"


@dataclass(frozen=True)
class CommandSpec:
    name: str
    alias: str
    usage: str
    staff_only: bool
    needs_class: bool
    handler: Handler


COMMANDS: dict[str, CommandSpec] = {}


_starts: tuple[object, tuple[str, ...]] = (None, ())


def _command_starts() -> tuple[str, ...]:
    """NoneBot's command starts (COMMAND_START), read again only when the setting changes:
    every group message asks, twice."""
    global _starts
    configured = get_driver().config.command_start
    if _starts[0] is not configured:
        _starts = (configured, tuple(str(s) for s in configured if s) or ("/",))
    return _starts[1]


def parse_command(text: str) -> tuple[CommandSpec, str] | None:
    """(command, arguments) when `text` starts with one of our commands, else None.

    Like NoneBot's command trie, the longest name or alias after a command start
    wins and needs no space after it ("/strikes10086" is /strikes 10086)."""
    stripped = text.lstrip()
    for start in _command_starts():
        if not stripped.startswith(start):
            continue
        rest = stripped[len(start):].lstrip()
        best: tuple[int, CommandSpec] | None = None
        for spec in COMMANDS.values():
            for word in (spec.name, spec.alias):
                if rest.startswith(word) and (best is None or len(word) > best[0]):
                    best = (len(word), spec)
        if best is not None:
            return best[1], rest[best[0]:].strip()
    return None


def command_arguments(text: str) -> str | None:
    """The arguments when `text` is one of our commands ("/warn @x 原因" -> "@x 原因"), else None."""
    found = parse_command(text)
    return found[1] if found is not None else None


def register_command(name: str, alias: str, usage: str, *, staff_only: bool, needs_class: bool = True):
    """Decorator: a command handler that gets a CommandContext and returns the reply."""

    def decorate(handler: Handler) -> Handler:
        COMMANDS[name] = CommandSpec(name, alias, usage, staff_only, needs_class, handler)
        return handler

    return decorate


def command_in(event: Event) -> tuple[CommandSpec, str] | None:
    """(command, arguments) when `event` carries one of our commands, else None: a plain
    call, so that the entry matcher makes no coroutine for the messages without one."""
    try:
        text = event.get_plaintext()
    except ValueError:  # an event without a message
        return None
    return parse_command(text)


async def answer_command(bot: Bot, event: Event) -> bool:
    """Run the command `event` carries, if any, and send its reply. True when it was one."""
    found = command_in(event)
    if found is None:
        return False
    await answer_found(bot, event, found)
    return True


async def answer_found(bot: Bot, event: Event, found: tuple[CommandSpec, str]) -> None:
    """Run the command `command_in` found in `event` and send its reply."""
    # a command may act through the platform (/confirm approves a join request): the
    # connection it came on is the one to use, even before its connect hook has run
    if runtime_or_none() is not None:
        await ensure_connected(bot)
    reply = await run_command(found[0], bot, event, found[1])
    if reply:
        await bot.send(event, reply)


async def run_command(spec: CommandSpec, bot: Bot, event: Event, args: str) -> str:
    runtime = runtime_or_none()
    if runtime is None:
        return "机器人正在启动，请稍后再试。"
    ctx = build_context(runtime, bot, event, args)
    if ctx is None:
        return ""
    if ctx.group is not None and ctx.cls is None:
        return ""  # a group that belongs to no class: stay silent
    if spec.needs_class and ctx.cls is None:
        return NO_CLASS
    if spec.staff_only and not ctx.may_manage:
        return REFUSED
    try:
        return await spec.handler(ctx)
    except Exception as exc:
        logger.opt(exception=exc).error(f"command /{spec.name} failed")
        return "抱歉，命令执行出错，已记录日志，请稍后再试。"


# --- targets ---------------------------------------------------------------


async def target_of(ctx: CommandContext) -> tuple[Member | None, str]:
    """The member a command is about: a real mention in the group, else an id or a name."""
    assert ctx.cls is not None
    runtime = ctx.runtime
    words = ctx.args.split()
    platform = ctx.group.platform if ctx.group else ctx.user.platform
    account: Account | None = None
    rest = ctx.args
    if ctx.mentions:
        account = Account(platform, ctx.mentions[0])
    elif words:
        first = words[0].lstrip("@")
        rest = ctx.args[len(words[0]):].strip()
        if ":" in first:
            try:
                account = Account.parse(first)
            except ValueError:
                account = None
        elif first.isdigit() or ctx.group is None:
            account = Account(platform, first)
    if account is None:
        return None, rest
    known = await runtime.store.known_member(ctx.cls.id, account.key)
    from .identity import resolve_member

    member = resolve_member(ctx.cls, account, known.display_name if known else "", runtime.superusers)
    if member.role in (Role.PARENT, Role.UNKNOWN):
        person = await runtime.store.person_of_account(ctx.cls.id, account.key)
        if person:
            member = Member(member.account, member.display_name, Role.PARENT, person, member.is_superuser)
    return member, rest


def name_of(member: Member) -> str:
    return member.display_name or member.account.user_id


# --- the commands ----------------------------------------------------------


@register_command("help", "帮助", "/help", staff_only=False, needs_class=False)
async def help_command(ctx: CommandContext) -> str:
    lines = ["班级群规机器人命令："]
    for spec in COMMANDS.values():
        if spec.staff_only and not ctx.may_manage:
            continue
        lines.append(f"{spec.usage}（/{spec.alias}）")
    if not ctx.may_manage:
        lines.append("其他管理命令仅限本班老师使用。")
    return "\n".join(lines)


@register_command("charter", "群规", "/charter [规则编号]", staff_only=False)
async def charter_command(ctx: CommandContext) -> str:
    assert ctx.cls is not None
    cls = ctx.cls
    wanted = ctx.args.strip()
    if wanted:
        clauses = cls.charter.clauses_for(wanted)
        if not clauses:
            return f"本群群规没有与 {wanted} 对应的条款。"
        return "\n".join(f"{c.ref}. {c.text}" for c in clauses)
    lines = [f"{cls.name}群规（{cls.charter.title}）："]
    for rule_id, settings in cls.rules.items():
        mode = cls.rule_mode(rule_id)
        if mode == "off":
            continue
        flag = "（试运行：只记录不处理）" if mode == "shadow" else ""
        lines.append(f"· {texts.title(rule_id)} {rule_id}{flag}")
    lines.append("发送 /charter 规则编号 查看条款原文。")
    return "\n".join(lines)


@register_command("plugin", "插件", "/plugin <membership|content|timing|escalation> <on|off|shadow>", staff_only=True)
async def plugin_command(ctx: CommandContext) -> str:
    assert ctx.cls is not None
    words = ctx.args.split()
    if len(words) == 0:
        return "；".join(f"{p}: {ctx.cls.mode(p)}" for p in PLUGINS)
    if len(words) != 2 or words[0] not in PLUGINS or words[1] not in ("on", "off", "shadow"):
        return "用法：/plugin 插件名 on|off|shadow，插件名为 " + "、".join(PLUGINS)
    plugin, mode = words
    runtime = ctx.runtime
    now = runtime.clock()
    await runtime.store.set_plugin_mode(ctx.cls.id, plugin, mode, ctx.user.key, now)
    overrides = {k: dict(v) for k, v in runtime.mode_overrides.items()}
    overrides.setdefault(ctx.cls.id, {})[plugin] = mode
    runtime.apply_modes(overrides)
    await audit_command(ctx, "plugin", f"{plugin} -> {mode}")
    label = {"on": "开启", "off": "关闭", "shadow": "试运行（只记录不处理）"}[mode]
    return f"{ctx.cls.name}：{plugin} 已{label}。"


@register_command("strikes", "违规记录", "/strikes @成员", staff_only=True)
async def strikes_command(ctx: CommandContext) -> str:
    assert ctx.cls is not None
    member, _ = await target_of(ctx)
    if member is None:
        return "请 @ 要查询的成员，例如 /strikes @张子涵妈妈"
    now = ctx.runtime.clock()
    active = await ctx.runtime.store.active_strikes(ctx.cls.id, member.person_key, now)
    history = await ctx.runtime.store.strike_history(ctx.cls.id, member.person_key)
    tz = ctx.cls.timezone
    if not history:
        return f"{name_of(member)} 没有违规记录。"
    lines = [f"{name_of(member)}：有效违规 {len(active)} 次（共 {len(history)} 条记录）"]
    for strike in history:
        state = "已撤销" if strike.pardoned_at else ("已过期" if strike.expires_at <= now else
                                                   f"{strike.expires_at.astimezone(tz):%m-%d} 到期")
        lines.append(f"· {strike.created_at.astimezone(tz):%m-%d %H:%M} {texts.title(strike.rule_id)}"
                     f"「{strike.evidence}」{state}")
    return "\n".join(lines)


@register_command("pardon", "撤销违规", "/pardon @成员 [规则编号]", staff_only=True)
async def pardon_command(ctx: CommandContext) -> str:
    assert ctx.cls is not None
    member, rest = await target_of(ctx)
    if member is None:
        return "请 @ 要撤销违规的成员，例如 /pardon @张子涵妈妈"
    rule_id = rest.split()[0] if rest.split() else None
    count = await ctx.runtime.store.pardon(ctx.cls.id, member.person_key, ctx.runtime.clock(), ctx.user.key, rule_id)
    await audit_command(ctx, "pardon", f"{member.account.key} {rule_id or 'all'}: {count}")
    if not count:
        return f"{name_of(member)} 没有可撤销的违规记录。"
    return f"已撤销 {name_of(member)} 的 {count} 条违规记录。"


@register_command("warn", "警告", "/warn @成员 原因", staff_only=True)
async def warn_command(ctx: CommandContext) -> str:
    assert ctx.cls is not None
    member, reason = await target_of(ctx)
    if member is None or not reason:
        return "用法：/warn @成员 原因"
    if member.is_staff:
        return "老师不计入违规记录，请私下沟通。"
    runtime = ctx.runtime
    now = runtime.clock()
    group = ctx.group or next((g for g in ctx.cls.groups if g.platform == member.account.platform), ctx.cls.groups[0])
    finding = Finding(
        rule_id="escalation.ladder", member=member, group=group, evidence=reason, severity=Severity.VIOLATION,
        message_id=None, time=now, reason=f"{ctx.user.key} 手动警告", actions=("strike",),
        event_key=f"manual:{ctx.user.key}:{now.timestamp()}",
    )
    await runtime.enforcer.handle_one(finding, ctx.cls)
    count = len(await runtime.store.active_strikes(ctx.cls.id, member.person_key, now))
    return f"已记录对 {name_of(member)} 的警告，目前有效违规 {count} 次。"


@register_command("confirm", "确认", "/confirm 编号", staff_only=True)
async def confirm_command(ctx: CommandContext) -> str:
    return await decide(ctx, approve=True)


@register_command("reject", "驳回", "/reject 编号", staff_only=True)
async def reject_command(ctx: CommandContext) -> str:
    return await decide(ctx, approve=False)


async def decide(ctx: CommandContext, approve: bool) -> str:
    assert ctx.cls is not None
    words = ctx.args.split()
    if not words or not words[0].isdigit():
        pending = await ctx.runtime.store.pending_decisions(ctx.cls.id, ctx.runtime.clock())
        if not pending:
            return "没有待处理的事项。"
        return "待处理：\n" + "\n".join(f"#{d.id} {d.kind} {d.account_key} {d.reason}" for d in pending)
    runtime = ctx.runtime
    decision = await runtime.store.decide(int(words[0]), "approved" if approve else "rejected", ctx.user.key,
                                          runtime.clock(), class_id=ctx.cls.id)  # never another class's
    if decision is None:
        return f"编号 {words[0]} 不存在、已处理或已过期。"
    await audit_command(ctx, "confirm" if approve else "reject", f"#{decision.id} {decision.kind} {decision.account_key}")
    if decision.kind == "report":
        return f"#{decision.id} 已标记为处理完毕。" if approve else f"已驳回举报 #{decision.id}。"
    account = Account.parse(decision.account_key)
    platform, _, group_id = decision.group_key.partition(":")
    group = GroupRef(platform, group_id)
    if decision.kind == "join":
        kind = ActionKind.APPROVE_JOIN if approve else ActionKind.REJECT_JOIN
        outcomes = await runtime.enforcer.execute(
            [Action(kind, group, account, flag=decision.flag, rule_id="membership.roster")], ctx.cls)
        if not outcomes[0].result.ok:
            return f"处理入群申请失败：{outcomes[0].result.detail}，请在群设置中手动处理。"
        return f"已同意 #{decision.id} 的入群申请。" if approve else f"已拒绝 #{decision.id} 的入群申请。"
    if not approve:
        return f"已驳回 #{decision.id}，不做处理。"
    known = await runtime.store.known_member(ctx.cls.id, account.key)
    name = known.display_name if known and known.display_name else account.user_id
    farewell = "" if ctx.cls.settings("escalation.ladder").quiet_mode else texts.removal_notice(name)
    outcomes = await runtime.enforcer.execute(
        [Action(ActionKind.REMOVE, group, account, rule_id="escalation.ladder", text=farewell)], ctx.cls)
    result = outcomes[0].result
    if result.ok:
        return f"已将 {account.user_id} 移出群 {group_id}。"
    return f"机器人无法移出 {account.user_id}（{result.detail}），请在群里手动移出。"


@register_command("log", "日志", "/log [@成员|天数]", staff_only=True)
async def log_command(ctx: CommandContext) -> str:
    assert ctx.cls is not None
    runtime = ctx.runtime
    now = runtime.clock()
    days = 7
    account_key = None
    if ctx.args.strip().isdigit():
        days = min(int(ctx.args.strip()), 365)
    else:
        member, _ = await target_of(ctx)
        account_key = member.account.key if member else None
    records = await runtime.store.audit_log(ctx.cls.id, since=now - timedelta(days=days), account_key=account_key,
                                            limit=20)
    if not records:
        return f"最近 {days} 天没有记录。"
    tz = ctx.cls.timezone
    lines = [f"最近 {days} 天的记录（最多 20 条）："]
    for r in records:
        ok = "" if r.ok else "（未成功）"
        lines.append(f"· {r.created_at.astimezone(tz):%m-%d %H:%M} {texts.title(r.rule_id)} {r.action}{ok} "
                     f"{r.account_key}「{r.excerpt}」")
    return "\n".join(lines)


@register_command("report", "举报", "回复一条消息并发送 /report", staff_only=False)
async def report_command(ctx: CommandContext) -> str:
    assert ctx.cls is not None
    if ctx.group is None or not ctx.reply_to:
        return "请在群里回复要举报的那条消息，并发送 /report。"
    if ctx.cls.rule_mode("content.report") == "off":
        return "本群未开启举报功能。"
    runtime = ctx.runtime
    quoted = runtime.recent.get(ctx.group.key, ctx.reply_to)
    if quoted is None:
        return "抱歉，找不到这条消息（可能太早了），请直接私信班主任。"
    user_key, name, text, when = quoted
    from .texts import hhmm

    now = runtime.clock()
    ladder = ctx.cls.settings("escalation.ladder")
    decision = await runtime.enforcer.open_decision(DecisionRequest(
        class_id=ctx.cls.id, kind="report", account_key=user_key, group_key=ctx.group.key,
        reason=f"{name}：{text[:60]}", created_at=now, expires_at=now + timedelta(hours=ladder.confirm_expiry_hours),
    ), ctx.cls)
    reporter = ctx.display_name or ctx.user.user_id
    note = (f"【{ctx.cls.name}·成员举报 #{decision.id}】{reporter} 举报了 {name}（{user_key}）"
            f"{hhmm(when.astimezone(ctx.cls.timezone))} 的消息：「{text[:120]}」。"
            f"如需警告：/warn {user_key} 原因；处理完毕请回复 /confirm {decision.id}。")
    actions = [Action(ActionKind.NOTIFY_STAFF, ctx.group, a, text=note, rule_id="content.report",
                      subject=Account.parse(user_key))
               for a in ctx.cls.staff.get(Role.HEAD_TEACHER, ())]
    await runtime.enforcer.execute(actions, ctx.cls)
    return "已转交班主任处理，谢谢您的反馈。"


@register_command("reload", "重载", "/reload", staff_only=True, needs_class=False)
async def reload_command(ctx: CommandContext) -> str:
    if not ctx.is_superuser and not any(
        c.role_of(ctx.user) == Role.HEAD_TEACHER for c in ctx.runtime.config.classes.values()
    ):
        return REFUSED
    try:
        config = ctx.runtime.reload()
    except ConfigError as exc:
        logger.error(f"reload refused:\n{exc}")
        first = exc.problems[0]
        return f"配置有误，未重载（仍使用原配置）：{ConfigError.format(first)}" + (
            f" 等 {len(exc.problems)} 处" if len(exc.problems) > 1 else "")
    return f"已重新加载配置：{len(config.classes)} 个班级，{len(config.by_group)} 个群。"


async def audit_command(ctx: CommandContext, action: str, detail: str) -> None:
    from .tables import AuditRecord

    assert ctx.cls is not None
    group = ctx.group or ctx.cls.groups[0]
    await ctx.runtime.store.audit([AuditRecord(
        created_at=ctx.runtime.clock(), class_id=ctx.cls.id, platform=group.platform, group_id=group.group_id,
        rule_id="command", account_key=ctx.user.key, action=f"command:{action}", detail=detail[:500],
    )])

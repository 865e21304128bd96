"""/notice (/通知): post a notice that asks for replies and track who acknowledged it.

`/notice <text>` posts the notice in the group (in a private chat: in every group of
the class) and starts a receipt list from the roster; the teacher is told privately
that replies are being counted. `/notice status` shows the latest list: how many
acknowledged and who has not.
"""

from __future__ import annotations

import uuid

from plugins.charter.command_context import CommandContext
from plugins.charter.commands import register_command
from plugins.charter.model import Action, ActionKind

from . import receipt_store, texts
from .handlers import RECEIPTS, start_receipts

STATUS_WORDS = ("status", "状态", "回执")


@register_command("notice", "通知", "/notice 通知内容（/notice status 查看回执）", staff_only=True)
async def notice_command(ctx: CommandContext) -> str:
    assert ctx.cls is not None
    cls, runtime = ctx.cls, ctx.runtime
    groups = [ctx.group] if ctx.group is not None else list(cls.groups)
    if ctx.args in STATUS_WORDS:
        lists = [await receipt_store.latest_in_group(runtime.store, group.key) for group in groups]
        return "\n\n".join(found.status_text() for found in lists if found is not None) or texts.no_notice()
    if not ctx.args:
        return texts.notice_usage()
    now = runtime.clock()
    tracking = cls.rule_mode(RECEIPTS) != "off"
    started = None
    for group in groups:
        posted = await runtime.enforcer.execute(
            [Action(ActionKind.REPLY_GROUP, group, text=texts.notice_post(ctx.args), rule_id=RECEIPTS)], cls)
        if not posted[0].result.ok or not tracking:
            continue
        started = await start_receipts(
            runtime, cls, group, notice_id=f"notice-{uuid.uuid4().hex[:16]}", author=ctx.user,
            # platforms date messages in whole seconds: a reply in the same second still counts
            author_name=ctx.display_name or ctx.user.user_id, text=ctx.args, at=now.replace(microsecond=0),
        ) or started
    if started is None:
        reply = "通知已发布。" if tracking else "通知已发布（本班未开启回执统计）。"
    else:
        remind_at = started.remind_at.astimezone(cls.timezone) if "remind" in cls.settings(RECEIPTS).action else None
        reply = texts.receipt_started(len(started.expected), remind_at, now.astimezone(cls.timezone))
    if ctx.group is None:
        return reply
    # in the group only the notice itself appears; the confirmation goes to the teacher
    await runtime.enforcer.execute(
        [Action(ActionKind.NOTIFY_STAFF, ctx.group, ctx.user, text=reply, rule_id=RECEIPTS)], cls)
    return ""

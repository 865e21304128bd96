"""``WeChatOps``: the charter's platform operations over a OneBot v12 WeChat bridge.

Every operation checks the bridge's capabilities first: a missing one returns
``OpResult.impossible`` without calling the bridge, so the escalation plugin can
turn it into an instruction for the head teacher. A call the bridge refuses
(``ActionFailed``) or that never arrives (``NetworkError``) returns
``OpResult.failed`` with the bridge's own message.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from nonebot.adapters.onebot.v12 import Bot, Message, MessageSegment
from nonebot.exception import ActionFailed, ApiNotAvailable, NetworkError

from plugins.charter.model import MemberInfo, OpResult
from plugins.charter.platform import Capability, PlatformOps

from .capabilities import cached_actions, cached_capabilities, kick_action, load_capabilities

PLATFORM = "wechat"

NO_RECALL = "该微信桥接端不支持撤回消息，请群主或管理员手动撤回。"
NO_KICK = "该微信桥接端不支持移出群成员，请群主手动将其移出群聊。"
NO_MUTE = "微信群没有单人禁言功能，请私下提醒该成员。"
NO_MUTE_ALL = "微信群没有全员禁言功能。"
NO_MEMBER_LIST = "该微信桥接端不支持获取群成员列表。"
NO_JOIN = "微信没有可供机器人处理的入群申请，请群主在微信中确认。"
NO_SEND = "该微信桥接端不支持发送消息。"


def describe_error(exc: BaseException) -> str:
    """The bridge's answer, short enough for the audit log."""
    retcode = getattr(exc, "retcode", None)
    message = getattr(exc, "message", None) or getattr(exc, "msg", None)
    if retcode is not None:
        return f"{retcode} {message or type(exc).__name__}".strip()
    return str(message or type(exc).__name__)


async def _attempt(call: Awaitable[Any]) -> OpResult:
    try:
        await call
    except (ActionFailed, NetworkError, ApiNotAvailable) as exc:
        return OpResult.failed(describe_error(exc))
    return OpResult.success()


class WeChatOps(PlatformOps):
    """Platform operations through one bridge account (one v12 ``Bot``)."""

    platform = PLATFORM

    def __init__(
        self,
        bot: Bot,
        capabilities: frozenset[Capability] | None = None,
        kick_action_name: str | None = None,
    ) -> None:
        self.bot = bot
        cached = cached_capabilities(bot.self_id)
        self.capabilities = capabilities if capabilities is not None else (cached or frozenset())
        self._kick_action = kick_action_name or kick_action(cached_actions(bot.self_id))

    async def recall(self, group_id: str, message_id: str) -> OpResult:
        if not self.can(Capability.RECALL):
            return OpResult.impossible(NO_RECALL)
        return await _attempt(self.bot.delete_message(message_id=message_id))

    async def send_private(self, user_id: str, text: str, group_id: str | None = None) -> OpResult:
        if not self.can(Capability.PRIVATE_MESSAGE):
            return OpResult.impossible(NO_SEND)
        return await _attempt(
            self.bot.send_message(detail_type="private", user_id=user_id, message=Message(text))
        )

    async def send_group(self, group_id: str, text: str, mention: str | None = None) -> OpResult:
        if not self.can(Capability.GROUP_MESSAGE):
            return OpResult.impossible(NO_SEND)
        message = Message()
        if mention and self.can(Capability.MENTION):
            message += MessageSegment.mention(mention)
            message += MessageSegment.text(" ")
        message += MessageSegment.text(text)
        return await _attempt(
            self.bot.send_message(detail_type="group", group_id=group_id, message=message)
        )

    async def kick(self, group_id: str, user_id: str) -> OpResult:
        if not self.can(Capability.KICK) or not self._kick_action:
            return OpResult.impossible(NO_KICK)
        return await _attempt(
            self.bot.call_api(self._kick_action, group_id=group_id, user_list=user_id)
        )

    async def mute(self, group_id: str, user_id: str, seconds: int) -> OpResult:
        return OpResult.impossible(NO_MUTE)

    async def mute_all(self, group_id: str, enable: bool) -> OpResult:
        return OpResult.impossible(NO_MUTE_ALL)

    async def member_list(self, group_id: str) -> list[MemberInfo]:
        """The group's members; empty when the bridge cannot list them.

        A failed call raises the bridge's exception, so an audit never mistakes an
        error for an empty group.
        """
        if not self.can(Capability.MEMBER_LIST):
            return []
        rows = await self.bot.get_group_member_list(group_id=group_id)
        members: list[MemberInfo] = []
        for row in rows or ():
            data = dict(row)
            user_id = str(data.get("user_id", ""))
            if not user_id:
                continue
            name = data.get("user_displayname") or data.get("user_name") or user_id
            members.append(MemberInfo(user_id=user_id, display_name=str(name)))
        return members

    async def answer_join(self, flag: str, approve: bool, reason: str = "") -> OpResult:
        return OpResult.impossible(NO_JOIN)


async def ops_for(bot: Bot) -> WeChatOps:
    """``WeChatOps`` for a newly connected bridge account.

    The core prepares ops once per connection, so the capabilities are asked for
    again each time: a bridge that reconnects may have been updated or replaced,
    and an answer cached from the last connection would be stale.
    """
    caps = await load_capabilities(bot)
    return WeChatOps(bot, caps)

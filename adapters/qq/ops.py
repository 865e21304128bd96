"""`QQOps`: the charter's platform operations over OneBot v11 (NapCat, LLBot).

QQ groups offer every operation the charter needs, as long as the bot account is
a group admin; when it is not, or the call fails, the OneBot implementation
answers with a failed status and the operation returns `OpResult.failed` with its
message, which the escalation plugin turns into an instruction for the head teacher.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from nonebot.adapters.onebot.v11 import Bot, Message, MessageSegment
from nonebot.exception import ActionFailed, ApiNotAvailable, NetworkError

from plugins.charter.model import MemberInfo, OpResult
from plugins.charter.platform import Capability, PlatformOps

PLATFORM = "qq"
CAPABILITIES = frozenset(Capability)


def describe_error(exc: BaseException) -> str:
    info = getattr(exc, "info", None)
    if isinstance(info, dict):
        parts = [str(info.get(k)) for k in ("retcode", "wording", "message", "msg") if info.get(k)]
        if parts:
            return " ".join(dict.fromkeys(parts))[:200]
    return type(exc).__name__


async def _attempt(call: Awaitable[Any]) -> OpResult:
    try:
        await call
    except (ActionFailed, NetworkError, ApiNotAvailable) as exc:
        return OpResult.failed(describe_error(exc))
    return OpResult.success()


def _int(value: str) -> int | str:
    return int(value) if value.isdigit() else value


class QQOps(PlatformOps):
    platform = PLATFORM
    capabilities = CAPABILITIES

    def __init__(self, bot: Bot):
        self.bot = bot

    async def recall(self, group_id: str, message_id: str) -> OpResult:
        return await _attempt(self.bot.delete_msg(message_id=_int(message_id)))

    async def send_private(self, user_id: str, text: str, group_id: str | None = None) -> OpResult:
        params: dict[str, Any] = {"user_id": _int(user_id), "message": Message(MessageSegment.text(text))}
        if group_id:  # lets NapCat open a temporary session with a member who is not a friend
            params["group_id"] = _int(group_id)
        return await _attempt(self.bot.send_private_msg(**params))

    async def send_group(self, group_id: str, text: str, mention: str | None = None) -> OpResult:
        message = Message()
        if mention:
            message += MessageSegment.at(mention)
            message += MessageSegment.text(" ")
        message += MessageSegment.text(text)
        return await _attempt(self.bot.send_group_msg(group_id=_int(group_id), message=message))

    async def kick(self, group_id: str, user_id: str) -> OpResult:
        return await _attempt(
            self.bot.set_group_kick(group_id=_int(group_id), user_id=_int(user_id), reject_add_request=False)
        )

    async def mute(self, group_id: str, user_id: str, seconds: int) -> OpResult:
        return await _attempt(self.bot.set_group_ban(group_id=_int(group_id), user_id=_int(user_id), duration=seconds))

    async def mute_all(self, group_id: str, enable: bool) -> OpResult:
        return await _attempt(self.bot.set_group_whole_ban(group_id=_int(group_id), enable=enable))

    async def member_list(self, group_id: str) -> list[MemberInfo]:
        rows = await self.bot.get_group_member_list(group_id=_int(group_id))
        members = []
        for row in rows or ():
            user_id = str(row.get("user_id", ""))
            if user_id:
                members.append(MemberInfo(
                    user_id=user_id,
                    display_name=str(row.get("card") or row.get("nickname") or user_id),
                    is_admin=row.get("role") in ("owner", "admin"),
                ))
        return members

    async def answer_join(self, flag: str, approve: bool, reason: str = "") -> OpResult:
        return await _attempt(
            self.bot.set_group_add_request(flag=flag, sub_type="add", approve=approve, reason=reason)
        )

"""``WeComOps``: the charter's platform operations in WeCom customer groups.

WeCom's APIs cannot recall members' messages, remove members from customer
groups, mute anyone or handle join requests: those return ``OpResult.impossible``
with what the group owner should do by hand. Application messages reach staff
only, not parents (external contacts). Group messages go through the intelligent
robot's long connection, else the group's robot webhook.
"""

from __future__ import annotations

from datetime import datetime, timezone

from plugins.charter.model import MemberInfo, OpResult
from plugins.charter.platform import Capability, PlatformOps

from .adapter import Adapter
from .api import WeComAPIError
from .bot import Bot
from .message import Message, MessageSegment

PLATFORM = "wecom"

NO_RECALL = "企业微信接口无法撤回成员的消息，请群主或群管理员在企业微信中手动撤回或删除该消息。"
NO_KICK = "企业微信接口无法将成员移出客户群，请群主在企业微信中打开群聊，点“群成员”，将其移出。"
NO_MUTE = "企业微信客户群没有可供接口调用的禁言功能，请私下提醒该成员。"
NO_MUTE_ALL = "企业微信客户群没有可供接口调用的全员禁言功能。"
NO_JOIN = "企业微信客户群的入群确认需群主在企业微信中处理。"
NO_PRIVATE_EXTERNAL = "企业微信应用消息只能发给本校教职工，无法私信家长，请老师在企业微信中私聊提醒。"
NO_APP = "未配置企业微信自建应用，无法发送应用消息。"
NO_GROUP_CHANNEL = "该群没有可用的机器人（未连接智能机器人长连接，也未配置群机器人 Webhook），请把机器人加入该群。"

# External contacts (parents) have user ids that start with these prefixes.
EXTERNAL_PREFIXES = ("wm", "wo")


def is_external(user_id: str) -> bool:
    return user_id.startswith(EXTERNAL_PREFIXES)


def describe_error(exc: WeComAPIError) -> str:
    return f"{exc.errcode} {exc.errmsg}".strip()


class WeComOps(PlatformOps):
    platform = PLATFORM

    def __init__(self, adapter: Adapter) -> None:
        self.adapter = adapter

    @classmethod
    def for_bot(cls, bot: Bot) -> "WeComOps":
        return cls(bot.adapter)

    @property
    def capabilities(self) -> frozenset[Capability]:  # type: ignore[override]
        caps: set[Capability] = set()
        if self.adapter.api is not None:
            caps.add(Capability.MEMBER_LIST)
            if self.adapter.wecom_config.wecom_agent_id is not None:
                caps.add(Capability.PRIVATE_MESSAGE)
        if self.adapter.robot_online or self.adapter.wecom_config.wecom_webhook_keys:
            caps |= {Capability.GROUP_MESSAGE, Capability.MENTION}
        return frozenset(caps)

    def can_post_to(self, group_id: str) -> bool:
        """Group messages depend on the group: a webhook is bound to one group."""
        return self.adapter.can_post_to(group_id)

    async def recall(self, group_id: str, message_id: str) -> OpResult:
        return OpResult.impossible(NO_RECALL)

    async def kick(self, group_id: str, user_id: str) -> OpResult:
        return OpResult.impossible(NO_KICK)

    async def mute(self, group_id: str, user_id: str, seconds: int) -> OpResult:
        return OpResult.impossible(NO_MUTE)

    async def mute_all(self, group_id: str, enable: bool) -> OpResult:
        return OpResult.impossible(NO_MUTE_ALL)

    async def answer_join(self, flag: str, approve: bool, reason: str = "") -> OpResult:
        return OpResult.impossible(NO_JOIN)

    async def send_private(self, user_id: str, text: str, group_id: str | None = None) -> OpResult:
        if is_external(user_id):
            return OpResult.impossible(NO_PRIVATE_EXTERNAL)
        if not self.can(Capability.PRIVATE_MESSAGE):
            return OpResult.impossible(NO_APP)
        try:
            await self.adapter.send_staff([user_id], text)
        except WeComAPIError as exc:
            return OpResult.failed(describe_error(exc))
        return OpResult.success()

    async def send_group(self, group_id: str, text: str, mention: str | None = None) -> OpResult:
        if not self.adapter.can_post_to(group_id):
            return OpResult.impossible(NO_GROUP_CHANNEL)
        message = Message()
        if mention:
            message += MessageSegment.mention(mention)
            message += MessageSegment.text(" ")
        message += MessageSegment.text(text)
        try:
            await self.adapter.send_group(group_id, message)
        except WeComAPIError as exc:
            return OpResult.failed(describe_error(exc))
        return OpResult.success()

    async def member_list(self, group_id: str) -> list[MemberInfo]:
        """Members of a customer group; raises WeComAPIError when WeCom refuses."""
        if self.adapter.api is None:
            return []
        chat = await self.adapter.api.group_chat(group_id)
        admins = {chat.owner, *chat.admins}
        return [
            MemberInfo(
                user_id=m.userid,
                display_name=m.display_name,
                is_admin=m.userid in admins,
                joined_at=datetime.fromtimestamp(m.join_time, timezone.utc) if m.join_time else None,
                extra={
                    "kind": "external" if m.is_external else "staff",
                    "join_scene": str(m.join_scene),
                    "invitor": m.invitor,
                    "name": m.name,
                },
            )
            for m in chat.members
        ]


def ops_for(bot: Bot) -> WeComOps:
    """``WeComOps`` for a WeCom bot (app or robot: both act through the same adapter)."""
    return WeComOps(bot.adapter)

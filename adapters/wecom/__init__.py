"""A NoneBot adapter for WeCom (企业微信): a self-built app and an intelligent robot.

Register it in bot.py with ``driver.register_adapter(adapters.wecom.Adapter)``;
it sets up its callback routes and long connection only for the parts configured
(see :mod:`.config`). :class:`WeComOps` is the charter's ``PlatformOps`` for WeCom.
"""

from .adapter import APP_PATH, ROBOT_PATH, Adapter
from .api import GroupChat, GroupChatMember, WeComAPI, WeComAPIError, WeComWebhook
from .bot import APP_SELF_ID, ROBOT_SELF_ID, Bot
from .config import WeComConfig, load_config
from .convert import (
    MemberChange,
    WeComMessage,
    display_name,
    group_message_parts,
    member_changes,
    to_group_ref,
    to_wecom_message,
)
from .crypto import CallbackRejected, ReplayGuard, WeComCrypto
from .event import (
    Event,
    ExternalChatChangeEvent,
    ExternalChatMemberAddEvent,
    ExternalChatMemberRemoveEvent,
    RobotGroupMessageEvent,
    RobotMessageEvent,
    RobotPrivateMessageEvent,
)
from .message import Message, MessageSegment
from .ops import PLATFORM, WeComOps, ops_for

__all__ = [
    "APP_PATH", "APP_SELF_ID", "PLATFORM", "ROBOT_PATH", "ROBOT_SELF_ID",
    "Adapter", "Bot", "CallbackRejected", "Event", "ExternalChatChangeEvent",
    "ExternalChatMemberAddEvent", "ExternalChatMemberRemoveEvent", "GroupChat",
    "GroupChatMember", "MemberChange", "Message", "MessageSegment", "ReplayGuard",
    "RobotGroupMessageEvent", "RobotMessageEvent", "RobotPrivateMessageEvent",
    "WeComAPI", "WeComAPIError", "WeComConfig", "WeComCrypto", "WeComMessage",
    "WeComOps", "WeComWebhook", "display_name", "group_message_parts", "load_config",
    "member_changes", "ops_for",
    "to_group_ref", "to_wecom_message",
]

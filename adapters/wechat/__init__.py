"""WeChat through a OneBot v12 bridge (platform "wechat").

The bridge runs on a logged-in WeChat client and connects to NoneBot's OneBot v12
adapter by reverse WebSocket at ``/onebot/v12/ws``. This package adds what the
charter core needs on top of that adapter:

- :mod:`.capabilities`: what the bridge can do, learnt from ``get_supported_actions``;
- :mod:`.ops`: :class:`WeChatOps`, the project's ``PlatformOps`` for one bridge account;
- :mod:`.convert`: v12 events reduced to groups, senders, text and mentions.
"""

from .capabilities import (
    cached_capabilities,
    forget_capabilities,
    load_capabilities,
    remember_capabilities,
)
from .convert import (
    MemberChange,
    MessageParts,
    WeChatMessage,
    display_name,
    member_change,
    message_parts,
    message_text_and_mentions,
    to_group_ref,
    to_wechat_message,
)
from .ops import PLATFORM, WeChatOps, ops_for

__all__ = [
    "PLATFORM",
    "MemberChange",
    "MessageParts",
    "WeChatMessage",
    "WeChatOps",
    "cached_capabilities",
    "display_name",
    "forget_capabilities",
    "load_capabilities",
    "member_change",
    "message_parts",
    "message_text_and_mentions",
    "ops_for",
    "remember_capabilities",
    "to_group_ref",
    "to_wechat_message",
]

"""What a WeChat bridge can do, learnt once per connection.

OneBot v12 bridges list their actions with the standard ``get_supported_actions``.
Standard actions map to capabilities directly; removing a member is not standard,
so known extension actions (``wx.delete_groupmember`` of ComWeChat-style bridges)
are looked up by name. Personal WeChat has no per-member or whole-group mute and
no API for join requests, so those capabilities never appear.
"""

from __future__ import annotations

from collections.abc import Iterable

from nonebot.adapters.onebot.v12 import Bot
from nonebot.exception import ActionFailed, ApiNotAvailable, NetworkError

from plugins.charter.platform import Capability

# Extension actions that remove a member from a group, by bridge convention.
KICK_ACTIONS: tuple[str, ...] = ("wx.delete_groupmember",)

# Assumed when the bridge cannot tell us: sending is the one thing every bridge does.
FALLBACK = frozenset({Capability.GROUP_MESSAGE, Capability.PRIVATE_MESSAGE})

_cache: dict[str, frozenset[Capability]] = {}


def capabilities_from_actions(actions: Iterable[str]) -> frozenset[Capability]:
    """Map a bridge's action names to the capabilities the charter uses."""
    names = set(actions)
    caps: set[Capability] = set()
    if "send_message" in names:
        caps |= {Capability.GROUP_MESSAGE, Capability.PRIVATE_MESSAGE, Capability.MENTION}
    if "delete_message" in names:
        caps.add(Capability.RECALL)
    if "get_group_member_list" in names:
        caps.add(Capability.MEMBER_LIST)
    if any(action in names for action in KICK_ACTIONS):
        caps.add(Capability.KICK)
    return frozenset(caps)


def kick_action(actions: Iterable[str]) -> str | None:
    names = set(actions)
    return next((action for action in KICK_ACTIONS if action in names), None)


_actions: dict[str, frozenset[str]] = {}


async def load_capabilities(bot: Bot) -> frozenset[Capability]:
    """Ask the bridge what it supports, cache the answer under the bot's self_id.

    When the call fails (an old bridge without the action, a timeout), only group
    and private messages are assumed.
    """
    try:
        actions = await bot.get_supported_actions()
    except (ActionFailed, NetworkError, ApiNotAvailable):
        _actions[bot.self_id] = frozenset()
        _cache[bot.self_id] = FALLBACK
        return FALLBACK
    names = frozenset(str(action) for action in actions or ())
    _actions[bot.self_id] = names
    caps = capabilities_from_actions(names)
    _cache[bot.self_id] = caps
    return caps


def cached_capabilities(self_id: str) -> frozenset[Capability] | None:
    return _cache.get(self_id)


def cached_actions(self_id: str) -> frozenset[str]:
    return _actions.get(self_id, frozenset())


async def remember_capabilities(bot: Bot) -> None:
    """``driver.on_bot_connect`` hook: learn a v12 bot's capabilities once.

    The ``Bot`` annotation makes NoneBot skip this hook for other adapters' bots.
    """
    await load_capabilities(bot)


async def forget_capabilities(bot: Bot) -> None:
    """``driver.on_bot_disconnect`` hook: a reconnecting bridge may have changed."""
    _cache.pop(bot.self_id, None)
    _actions.pop(bot.self_id, None)

"""The one matcher through which every event reaches the charter.

NoneBot runs each matcher of a priority as a task of its own, with its own
permission and rule checks, for every event; a matcher per event kind and per
command made every group message pay for all of them. This matcher routes by
event kind instead: group messages into the pipeline, then slash commands, and
member notices and join requests into the member listeners. It never blocks
other plugins' matchers, except after a command (as `on_command(block=True)`
would).
"""

from __future__ import annotations

from nonebot import on
from nonebot.adapters import Bot, Event
from nonebot.matcher import Matcher

from .commands import answer_command
from .matchers import on_group_message
from .member_matchers import handle_member_event

charter_events = on(priority=1, block=False)


@charter_events.handle()
async def route(bot: Bot, event: Event, matcher: Matcher) -> None:
    kind = event.get_type()
    if kind == "message":
        await on_group_message(bot, event)
        if await answer_command(bot, event):
            matcher.stop_propagation()
    elif kind in ("notice", "request"):
        await handle_member_event(bot, event)

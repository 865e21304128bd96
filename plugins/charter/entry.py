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
from nonebot.matcher import current_bot, current_event, current_matcher

from .commands import answer_found, command_in
from .matchers import on_group_message
from .member_matchers import handle_member_event

charter_events = on(priority=1, block=False)


@charter_events.handle()
async def route() -> None:
    # No injected parameters: NoneBot checks and solves each one in a task of its own
    # (two task groups per event, and their reprs in a debug line); the context
    # variables it sets for the running matcher carry the same objects.
    bot, event = current_bot.get(), current_event.get()
    kind = event.get_type()
    if kind == "message":
        await on_group_message(bot, event)
        found = command_in(event)  # a plain call: most messages carry no command
        if found is not None:
            await answer_found(bot, event, found)
            current_matcher.get().stop_propagation()
    elif kind in ("notice", "request"):
        await handle_member_event(bot, event)

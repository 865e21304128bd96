"""WeCom bots: the self-built app (``self_id`` "app") and the intelligent robot
(``self_id`` "robot"). Both share the adapter's API client, webhook and long
connection; ``send`` answers an event where it came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from typing_extensions import override

from nonebot.adapters import Bot as BaseBot
from nonebot.message import handle_event

from .event import Event, ExternalChatChangeEvent, RobotMessageEvent
from .message import Message, MessageSegment, as_message

if TYPE_CHECKING:
    from .adapter import Adapter

APP_SELF_ID = "app"
ROBOT_SELF_ID = "robot"


class Bot(BaseBot):
    adapter: "Adapter"

    @override
    def __repr__(self) -> str:
        return f"Bot(type={self.type!r}, self_id={self.self_id!r})"

    async def handle_event(self, event: Event) -> None:
        await handle_event(self, event)

    @override
    async def send(self, event: Event, message: str | Message | MessageSegment, **kwargs: Any) -> Any:
        """Reply to `event`: in the robot session for robot messages, else into the group."""
        msg = as_message(message)
        if isinstance(event, RobotMessageEvent):
            return await self.adapter.reply_robot(event, msg)
        if isinstance(event, ExternalChatChangeEvent):
            return await self.adapter.send_group(event.chat_id, msg)
        raise ValueError(f"cannot reply to {type(event).__name__}")

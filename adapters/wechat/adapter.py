"""The OneBot v12 adapter for WeChat bridges: a malformed frame is dropped instead of
closing the connection. Same name, same events, same API."""

from __future__ import annotations

from typing import Any

from loguru import logger
from nonebot.adapters.onebot.v12 import Adapter as OneBotV12Adapter
from nonebot.adapters.onebot.v12 import adapter as _base_module
from nonebot.adapters.onebot.v12 import Event
from nonebot.drivers import WebSocket

from adapters.frames import TolerantWebSocket, share_parses_with

share_parses_with(_base_module)  # each frame parsed once, by TolerantWebSocket


class Adapter(OneBotV12Adapter):
    async def _handle_ws(self, websocket: WebSocket) -> None:
        await super()._handle_ws(TolerantWebSocket(websocket, "OneBot V12"))  # type: ignore[arg-type]

    @classmethod
    def json_to_event(cls, json_data: Any, impl: str | None = None) -> Event | None:
        """The base adapter logs an event it cannot parse with the raw payload as loguru
        markup, so a payload with "<...>" in it raises from the log call and closes the
        connection, and one whose dotted keys collide ({"a": null, "a.b": 1}) raises a
        TypeError while its keys are nested. Such an event is dropped instead."""
        try:
            return super().json_to_event(json_data, impl)
        except (ValueError, TypeError):
            logger.warning("OneBot V12: dropped an event that could not be parsed")
            return None

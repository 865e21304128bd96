"""The OneBot v12 adapter for WeChat bridges: a malformed frame is dropped instead of
closing the connection. Same name, same events, same API."""

from __future__ import annotations

from nonebot.adapters.onebot.v12 import Adapter as OneBotV12Adapter
from nonebot.drivers import WebSocket

from adapters.frames import TolerantWebSocket


class Adapter(OneBotV12Adapter):
    async def _handle_ws(self, websocket: WebSocket) -> None:
        await super()._handle_ws(TolerantWebSocket(websocket, "OneBot V12"))  # type: ignore[arg-type]

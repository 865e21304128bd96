"""The OneBot v11 adapter as QQ bridges (NapCat, LLBot) need it: a malformed frame is
dropped instead of closing the connection. Same name, same events, same API."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import Adapter as OneBotV11Adapter
from nonebot.adapters.onebot.v11 import adapter as _base_module
from nonebot.drivers import WebSocket

from adapters.frames import TolerantWebSocket, share_parses_with

share_parses_with(_base_module)  # each frame parsed once, by TolerantWebSocket


class Adapter(OneBotV11Adapter):
    async def _handle_ws(self, websocket: WebSocket) -> None:
        await super()._handle_ws(TolerantWebSocket(websocket, "OneBot V11"))  # type: ignore[arg-type]

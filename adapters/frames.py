"""Reverse-WebSocket connections that survive a malformed frame.

NoneBot's OneBot adapters close the whole connection when one frame is not JSON.
A bridge that sends one bad frame would then drop every group it serves until it
reconnects. This wrapper drops such frames instead, logging the first few.
"""

from __future__ import annotations

import json
import time
from typing import Any

from loguru import logger

LOG_EVERY_S = 60.0  # at most one log line a minute per connection about bad frames


class TolerantWebSocket:
    """Proxy for a NoneBot WebSocket whose receive() skips frames that are not JSON objects."""

    def __init__(self, websocket: Any, label: str):
        self._websocket = websocket
        self._label = label
        self._dropped = 0
        self._last_log = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._websocket, name)

    async def receive(self) -> str | bytes:
        while True:
            data = await self._websocket.receive()
            if isinstance(data, bytes) or _is_json_object(data):
                return data
            self._dropped += 1
            now = time.monotonic()
            if now - self._last_log >= LOG_EVERY_S:
                self._last_log = now
                logger.warning(f"{self._label}: dropped a malformed frame ({self._dropped} so far), "
                               f"starting {data[:60]!r}")


def _is_json_object(text: str) -> bool:
    if not text.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):  # nested too deep to decode: the adapter could not read it either
        return False

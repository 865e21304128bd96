"""Reverse-WebSocket connections that survive a malformed frame.

NoneBot's OneBot adapters close the whole connection when one frame is not JSON.
A bridge that sends one bad frame would then drop every group it serves until it
reconnects. This wrapper drops such frames instead, logging the first few.

To know that a frame is a JSON object the wrapper must parse it, and the adapter
parses it again right after `receive()` returns (about 2% of the bot's CPU at
saturation). `share_parses_with(adapter_module)` lets that second parse take the
wrapper's result: the adapter module's `json` becomes a `ParsedFrames`, whose
`loads` returns the value the wrapper parsed when given that very frame object,
and parses anything else itself.
"""

from __future__ import annotations

import json
import time
from types import ModuleType
from typing import Any

from loguru import logger

LOG_EVERY_S = 60.0  # at most one log line a minute per connection about bad frames


class ParsedFrames:
    """The `json` module as an adapter module sees it, with the last frame a
    TolerantWebSocket parsed handed over instead of parsed twice. The adapter calls
    `json.loads(data)` right after `await websocket.receive()`, with nothing awaited
    in between, so the frame it parses is the one just kept."""

    dumps = staticmethod(json.dumps)

    def __init__(self) -> None:
        self._frame: str | None = None
        self._value: Any = None

    def keep(self, frame: str, value: Any) -> None:
        self._frame, self._value = frame, value

    def loads(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        if data is self._frame and not args and not kwargs:
            value = self._value
            self._frame = self._value = None  # handed over once: the adapter owns it now
            return value
        return json.loads(data, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(json, name)


PARSED_FRAMES = ParsedFrames()


def share_parses_with(adapter_module: ModuleType) -> None:
    """Let `adapter_module` (which does `import json`) take the frames' parses."""
    current = getattr(adapter_module, "json", None)
    if current is PARSED_FRAMES:
        return
    if current is not json:  # the frames are then parsed twice, as before
        logger.warning(f"{adapter_module.__name__} no longer reads frames with the json module; left as it is")
        return
    adapter_module.json = PARSED_FRAMES  # type: ignore[attr-defined]


class TolerantWebSocket:
    """Proxy for a NoneBot WebSocket whose receive() skips frames that are not JSON objects."""

    def __init__(self, websocket: Any, label: str, parsed: ParsedFrames = PARSED_FRAMES):
        self._websocket = websocket
        self._label = label
        self._parsed = parsed
        self._dropped = 0
        self._last_log = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._websocket, name)

    async def receive(self) -> str | bytes:
        while True:
            data = await self._websocket.receive()
            if isinstance(data, bytes):
                return data
            value = _json_object(data)
            if value is not None:
                self._parsed.keep(data, value)
                return data
            self._dropped += 1
            now = time.monotonic()
            if now - self._last_log >= LOG_EVERY_S:
                self._last_log = now
                logger.warning(f"{self._label}: dropped a malformed frame ({self._dropped} so far), "
                               f"starting {data[:60]!r}")


def _json_object(text: str) -> dict[str, Any] | None:
    """The frame's value when it is a JSON object, else None."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # nested too deep to decode: the adapter could not read it either
        return None
    return value if isinstance(value, dict) else None

"""A fake of WeCom's robot long-connection gateway on 127.0.0.1 (websockets server).

Checks the aibot_subscribe frame, acknowledges every request by req_id, records
what the client sent, and lets a test push callback frames or drop the connection.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import websockets
from websockets.asyncio.server import ServerConnection, serve

from .server import free_port


class FakeRobotGateway:
    def __init__(self, bot_id: str = "bot-id-1", secret: str = "bot-secret-value") -> None:
        self.bot_id = bot_id
        self.secret = secret
        self.port = 0
        self.frames: list[dict[str, Any]] = []  # everything clients sent after subscribing
        self.auth_attempts = 0
        self.sessions = 0
        self.connected = asyncio.Event()
        self._current: ServerConnection | None = None
        self._server: Any = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    async def _handler(self, ws: ServerConnection) -> None:
        first = json.loads(await ws.recv())
        self.auth_attempts += 1
        req_id = first.get("headers", {}).get("req_id", "")
        body = first.get("body") or {}
        if first.get("cmd") != "aibot_subscribe" or body.get("bot_id") != self.bot_id or body.get("secret") != self.secret:
            await ws.send(json.dumps({"headers": {"req_id": req_id}, "errcode": 853000, "errmsg": "invalid bot_id or secret"}))
            await ws.close()
            return
        await ws.send(json.dumps({"headers": {"req_id": req_id}, "errcode": 0, "errmsg": "ok"}))
        self.sessions += 1
        self._current = ws
        self.connected.set()
        try:
            async for raw in ws:
                frame = json.loads(raw)
                self.frames.append(frame)
                await ws.send(json.dumps({"headers": frame.get("headers", {}), "errcode": 0, "errmsg": "ok"}))
        except websockets.ConnectionClosed:
            pass
        finally:
            if self._current is ws:
                self._current = None
                self.connected.clear()

    async def push_message(self, body: dict[str, Any]) -> str:
        """Push an aibot_msg_callback frame; returns its req_id."""
        assert self._current is not None, "no client connected"
        req_id = f"cb_{uuid.uuid4().hex}"
        await self._current.send(json.dumps({"cmd": "aibot_msg_callback", "headers": {"req_id": req_id}, "body": body}))
        return req_id

    async def drop(self) -> None:
        if self._current is not None:
            await self._current.close()

    def sent(self, cmd: str) -> list[dict[str, Any]]:
        return [f for f in self.frames if f.get("cmd") == cmd]

    async def __aenter__(self) -> "FakeRobotGateway":
        self.port = free_port()
        self._server = await serve(self._handler, "127.0.0.1", self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()
        await self._server.wait_closed()

"""A simulated QQ client that speaks OneBot v11 over reverse WebSocket, as NapCat does.

Used by the end-to-end tests, the benchmarks and `charterbot demo`: it connects to
the bot's /onebot/v11/ws with NapCat's headers, sends the lifecycle event and
group events, and answers the bot's API calls (recording them) the way NapCat
would. It talks to the real bot process over a real socket.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import websockets

from adapters.peer_calls import wait_for_call

# action, params -> (status, retcode, data), or None to leave the call unanswered (a hung client)
Responder = Callable[[str, dict[str, Any]], tuple[str, int, Any] | None]


# message ids: unique within a process run, distinct between runs (below 2**31, as QQ's are)
_MESSAGE_IDS = itertools.count(int(time.time() * 1000) % 1_000_000_000 + 1)


@dataclass
class ApiCall:
    action: str
    params: dict[str, Any]
    at: float  # time.perf_counter() when it arrived


def ok_responder(action: str, params: dict[str, Any]) -> tuple[str, int, Any]:
    if action in ("send_group_msg", "send_private_msg", "send_msg"):
        return "ok", 0, {"message_id": int(time.time() * 1000) % 2_000_000_000}
    if action == "get_group_member_list":
        return "ok", 0, []
    if action == "get_login_info":
        return "ok", 0, {"user_id": 0, "nickname": "bot"}
    return "ok", 0, None


@dataclass
class OneBotV11Peer:
    url: str  # ws://127.0.0.1:PORT/onebot/v11/ws
    self_id: str = "3000"
    access_token: str | None = None
    responder: Responder = ok_responder
    calls: list[ApiCall] = field(default_factory=list)
    _ws: Any = None
    _reader: asyncio.Task | None = None
    _arrived: asyncio.Condition | None = None

    @property
    def extensions(self) -> str:
        """The WebSocket extensions the bot accepted in the handshake ("" for none)."""
        assert self._ws is not None
        return self._ws.response.headers.get("Sec-WebSocket-Extensions", "") if self._ws.response else ""

    async def connect(self, timeout: float = 20.0) -> None:
        headers = {"X-Self-ID": self.self_id, "X-Client-Role": "Universal", "User-Agent": "NapCat/4 (simulated)"}
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._ws = await websockets.connect(self.url, additional_headers=headers, max_size=None)
                break
            except (OSError, websockets.InvalidHandshake, websockets.InvalidStatus) as exc:
                if isinstance(exc, websockets.InvalidStatus) and exc.response.status_code in (401, 403):
                    raise
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
        self._arrived = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())
        await self.send_event({"post_type": "meta_event", "meta_event_type": "lifecycle", "sub_type": "connect"})

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()

    async def _read(self) -> None:
        assert self._ws is not None and self._arrived is not None
        try:
            async for raw in self._ws:
                frame = json.loads(raw)
                action, params, echo = frame.get("action"), frame.get("params") or {}, frame.get("echo")
                if action is None:
                    continue
                async with self._arrived:
                    self.calls.append(ApiCall(action, params, time.perf_counter()))
                    self._arrived.notify_all()
                answer = self.responder(action, params)
                if answer is None:
                    continue
                status, retcode, data = answer
                reply = {"status": status, "retcode": retcode, "data": data, "echo": echo}
                if status != "ok":
                    reply["message"] = reply["wording"] = str(data or "failed")
                    reply["data"] = None
                await self._ws.send(json.dumps(reply, ensure_ascii=False))
        except websockets.ConnectionClosed:
            return

    async def send_event(self, payload: dict[str, Any]) -> None:
        assert self._ws is not None
        frame = {"time": int(time.time()), "self_id": int(self.self_id), **payload}
        await self._ws.send(json.dumps(frame, ensure_ascii=False))

    async def send_raw(self, text: str) -> None:
        assert self._ws is not None
        await self._ws.send(text)

    def next_message_id(self) -> int:
        """Unique across every peer of this process, as a QQ client's ids are."""
        return next(_MESSAGE_IDS)

    async def group_message(self, group_id: str, user_id: str, card: str, text: str | list[dict[str, Any]],
                            message_id: int | None = None, role: str = "member") -> int:
        message_id = message_id if message_id is not None else self.next_message_id()
        segments = [{"type": "text", "data": {"text": text}}] if isinstance(text, str) else text
        raw = "".join(s["data"].get("text", "") for s in segments if s["type"] == "text")
        await self.send_event({
            "post_type": "message", "message_type": "group", "sub_type": "normal", "message_id": message_id,
            "group_id": int(group_id), "user_id": int(user_id), "anonymous": None, "message": segments,
            "raw_message": raw, "font": 0,
            "sender": {"user_id": int(user_id), "nickname": card, "card": card, "role": role},
        })
        return message_id

    async def private_message(self, user_id: str, nickname: str, text: str) -> int:
        message_id = self.next_message_id()
        await self.send_event({
            "post_type": "message", "message_type": "private", "sub_type": "friend", "message_id": message_id,
            "user_id": int(user_id), "message": [{"type": "text", "data": {"text": text}}], "raw_message": text,
            "font": 0, "sender": {"user_id": int(user_id), "nickname": nickname},
        })
        return message_id

    async def notice(self, notice_type: str, **fields: Any) -> None:
        await self.send_event({"post_type": "notice", "notice_type": notice_type, **fields})

    async def wait_for(self, predicate: Callable[[ApiCall], bool], timeout: float = 10.0,
                       start: int = 0) -> ApiCall:
        """The first call from index `start` on that matches, waiting for it to arrive."""
        assert self._arrived is not None
        return await wait_for_call(self.calls, self._arrived, predicate, timeout, start)

    def actions(self, start: int = 0) -> list[str]:
        return [c.action for c in self.calls[start:]]

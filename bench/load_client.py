"""A lean OneBot v11 load client: NapCat's handshake, pre-built event frames, and a
reader that timestamps every action frame the bot sends and answers it as NapCat
would (adapters.qq.peer.ok_responder).

It is leaner than adapters/qq/peer.py on purpose: no condition variable per frame
and frames serialised before the clock starts, so the client spends as little of
the two shared cores as it can.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import websockets

from adapters.qq.peer import ok_responder
from bench.workload import ACCESS_TOKEN, Planned


def event_frame(self_id: str, message: Planned) -> str:
    return json.dumps({
        "time": int(time.time()), "self_id": int(self_id), "post_type": "message", "message_type": "group",
        "sub_type": "normal", "message_id": message.message_id, "group_id": message.group_id,
        "user_id": message.user_id, "anonymous": None,
        "message": [{"type": "text", "data": {"text": message.text}}], "raw_message": message.text, "font": 0,
        "sender": {"user_id": message.user_id, "nickname": message.card, "card": message.card, "role": "member"},
    }, ensure_ascii=False)


@dataclass
class LoadClient:
    url: str
    self_id: str = "3000"
    sent_at: dict[int, float] = field(default_factory=dict)  # message id -> perf_counter at send
    recalled_at: dict[int, float] = field(default_factory=dict)  # message id -> first delete_msg
    frames: list[tuple[str, float]] = field(default_factory=list)  # every action frame
    _ws: Any = None
    _reader: asyncio.Task | None = None
    _recalled: asyncio.Event = field(default_factory=asyncio.Event)
    _watch: int | None = None

    async def connect(self, timeout: float = 20.0) -> None:
        headers = {"X-Self-ID": self.self_id, "X-Client-Role": "Universal", "User-Agent": "NapCat/4 (bench)",
                   "Authorization": f"Bearer {ACCESS_TOKEN}"}
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._ws = await websockets.connect(self.url, additional_headers=headers, max_size=None,
                                                   ping_interval=None)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
        self._reader = asyncio.create_task(self._read())
        await self._ws.send(json.dumps({"time": int(time.time()), "self_id": int(self.self_id),
                                        "post_type": "meta_event", "meta_event_type": "lifecycle",
                                        "sub_type": "connect"}))

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                action = frame.get("action")
                if action is None:
                    continue
                params = frame.get("params") or {}
                self.frames.append((action, now))
                if action == "delete_msg":
                    message_id = int(params.get("message_id", 0))
                    self.recalled_at.setdefault(message_id, now)
                    if message_id == self._watch:
                        self._recalled.set()
                status, retcode, data = ok_responder(action, params)
                await self._ws.send(json.dumps({"status": status, "retcode": retcode, "data": data,
                                                "echo": frame.get("echo")}, ensure_ascii=False))
        except websockets.ConnectionClosed:
            return

    async def send(self, message: Planned, frame: str) -> None:
        self.sent_at[message.message_id] = time.perf_counter()
        await self._ws.send(frame)

    async def at_rate(self, messages: list[Planned], rate: float) -> float:
        """Send on a fixed schedule (open loop); returns the seconds it took."""
        frames = [event_frame(self.self_id, m) for m in messages]
        start = time.perf_counter()
        for n, (message, frame) in enumerate(zip(messages, frames, strict=True)):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await self.send(message, frame)
        return time.perf_counter() - start

    async def burst(self, messages: list[Planned]) -> float:
        """Send as fast as the socket takes them; returns when the first left."""
        frames = [event_frame(self.self_id, m) for m in messages]
        start = time.perf_counter()
        for message, frame in zip(messages, frames, strict=True):
            await self.send(message, frame)
        return start

    async def wait_recalled(self, message_id: int, timeout: float) -> bool:
        if message_id in self.recalled_at:
            return True
        self._watch = message_id
        self._recalled.clear()
        try:
            await asyncio.wait_for(self._recalled.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def until_quiet(self, after: float = 0.5, limit: float = 30.0) -> None:
        """Wait until no action frame has come for `after` seconds (at most `limit`)."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            last = self.frames[-1][1] if self.frames else 0.0
            if time.perf_counter() - last >= after:
                return
            await asyncio.sleep(after / 4)

    def latencies_ms(self, messages: list[Planned], only: set[int] | None = None) -> list[float]:
        """Event sent -> first action frame (delete_msg of that message), for the
        violations the bot recalled (or those in `only`)."""
        values = []
        for m in messages:
            if m.violation and m.message_id in self.recalled_at and (only is None or m.message_id in only):
                values.append((self.recalled_at[m.message_id] - self.sent_at[m.message_id]) * 1000)
        return values

"""A simulated WeChat bridge that speaks OneBot v12 over reverse WebSocket.

Used by the end-to-end tests: it connects to the bot's ``/onebot/v12/ws`` with the
access token, sends the ``connect`` meta event first and a ``status_update`` naming
its one WeChat account, then group events; it answers the bot's action requests
(recording them) the way a bridge with the given actions would. Actions it does
not list in ``get_supported_actions`` are refused with OneBot's "unsupported
action" (10002), so a test sees whether the bot called something impossible.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import websockets

from adapters.peer_calls import wait_for_call

PLATFORM = "wechat"
UNSUPPORTED = 10002

# What a full-featured ComWeChat-style bridge offers.
FULL_ACTIONS: tuple[str, ...] = (
    "get_supported_actions", "get_status", "get_version", "get_self_info", "send_message",
    "delete_message", "get_group_info", "get_group_member_info", "get_group_member_list",
    "wx.delete_groupmember",
)


@dataclass
class ActionCall:
    action: str
    params: dict[str, Any]
    at: float  # time.perf_counter() when it arrived


@dataclass
class OneBotV12Bridge:
    url: str  # ws://127.0.0.1:PORT/onebot/v12/ws
    self_id: str = "wxid_bot"
    access_token: str | None = None
    actions: tuple[str, ...] = FULL_ACTIONS  # what get_supported_actions answers
    names: dict[str, str] = field(default_factory=dict)  # user id -> group display name
    calls: list[ActionCall] = field(default_factory=list)
    _ws: Any = None
    _reader: asyncio.Task | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _arrived: asyncio.Condition | None = None

    @property
    def self_ref(self) -> dict[str, str]:
        return {"platform": PLATFORM, "user_id": self.self_id}

    async def connect(self, timeout: float = 20.0) -> None:
        headers = {"User-Agent": "ComWeChat/12 (simulated)"}
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._ws = await websockets.connect(self.url, additional_headers=headers, max_size=None)
                break
            except (OSError, websockets.InvalidHandshake) as exc:
                if isinstance(exc, websockets.InvalidStatus) and exc.response.status_code in (401, 403):
                    raise
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
        self._arrived = asyncio.Condition()
        await self._send({
            "type": "meta", "detail_type": "connect", "sub_type": "",
            "version": {"impl": "comwechat", "version": "simulated", "onebot_version": "12"},
        })
        await self._send({
            "type": "meta", "detail_type": "status_update", "sub_type": "",
            "status": {"good": True, "bots": [{"self": self.self_ref, "online": True}]},
        })
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()

    # -- action requests -----------------------------------------------------------

    def answer(self, action: str, params: dict[str, Any]) -> tuple[str, int, Any, str]:
        """(status, retcode, data, message) for one request, as the bridge would answer."""
        if action not in self.actions and action != "get_supported_actions":
            return "failed", UNSUPPORTED, None, "unsupported action"
        if action == "get_supported_actions":
            return "ok", 0, list(self.actions), ""
        if action == "send_message":
            return "ok", 0, {"message_id": f"sent-{next(self._ids)}", "time": time.time()}, ""
        if action == "get_group_member_info":
            user_id = str(params.get("user_id", ""))
            name = self.names.get(user_id, "")
            return "ok", 0, {"user_id": user_id, "user_name": name, "user_displayname": name}, ""
        if action == "get_group_member_list":
            rows = [{"user_id": u, "user_name": n, "user_displayname": n} for u, n in self.names.items()]
            return "ok", 0, rows, ""
        if action == "get_self_info":
            return "ok", 0, {"user_id": self.self_id, "user_name": "班级助手", "user_displayname": ""}, ""
        return "ok", 0, None, ""

    async def _read(self) -> None:
        assert self._ws is not None and self._arrived is not None
        try:
            async for raw in self._ws:
                frame = json.loads(raw)
                action, params, echo = frame.get("action"), frame.get("params") or {}, frame.get("echo")
                if action is None:
                    continue
                async with self._arrived:
                    self.calls.append(ActionCall(action, params, time.perf_counter()))
                    self._arrived.notify_all()
                status, retcode, data, message = self.answer(action, params)
                await self._ws.send(json.dumps(
                    {"status": status, "retcode": retcode, "data": data, "message": message, "echo": echo},
                    ensure_ascii=False,
                ))
        except websockets.ConnectionClosed:
            return

    # -- events --------------------------------------------------------------------

    async def _send(self, payload: dict[str, Any]) -> None:
        assert self._ws is not None
        frame = {"id": uuid.uuid4().hex, "time": time.time(), **payload}
        await self._ws.send(json.dumps(frame, ensure_ascii=False))

    async def group_message(self, group_id: str, user_id: str, text: str | list[dict[str, Any]],
                            name: str | None = None) -> str:
        """A group message; `name` sets the sender's group display name first."""
        if name is not None:
            self.names[user_id] = name
        message_id = f"wxmsg-{next(self._ids)}-{uuid.uuid4().hex[:6]}"
        segments = [{"type": "text", "data": {"text": text}}] if isinstance(text, str) else text
        alt = "".join(s["data"].get("text", "") for s in segments if s["type"] == "text")
        await self._send({
            "type": "message", "detail_type": "group", "sub_type": "", "self": self.self_ref,
            "message_id": message_id, "message": segments, "alt_message": alt,
            "user_id": user_id, "group_id": group_id,
        })
        return message_id

    async def member_joined(self, group_id: str, user_id: str, name: str, operator_id: str = "") -> None:
        self.names[user_id] = name
        await self._send({
            "type": "notice", "detail_type": "group_member_increase",
            "sub_type": "invite" if operator_id else "join", "self": self.self_ref,
            "group_id": group_id, "user_id": user_id, "operator_id": operator_id,
        })

    # -- inspection ----------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[ActionCall], bool], timeout: float = 10.0,
                       start: int = 0) -> ActionCall:
        """The first call from index `start` on that matches, waiting for it to arrive."""
        assert self._arrived is not None
        return await wait_for_call(self.calls, self._arrived, predicate, timeout, start)

    def actions_called(self, start: int = 0) -> list[str]:
        return [c.action for c in self.calls[start:]]


def text_of(message: Iterable[dict[str, Any]] | str | None) -> str:
    if isinstance(message, str):
        return message
    return "".join(seg["data"].get("text", "") for seg in message or () if seg.get("type") == "text")


def mentions_of(message: Iterable[dict[str, Any]] | None) -> list[str]:
    return [str(seg["data"]["user_id"]) for seg in message or () if seg.get("type") == "mention"]

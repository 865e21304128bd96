"""The intelligent robot's long connection (WebSocket), for schools without a
public callback address.

Protocol (WeCom "智能机器人长连接"): the client connects to ``WECOM_BOT_WS_URL``,
sends ``{"cmd": "aibot_subscribe", "headers": {"req_id"}, "body": {"bot_id", "secret"}}``
and waits for an answer with the same req_id and ``errcode`` 0. WeCom then pushes
``aibot_msg_callback`` (messages) and ``aibot_event_callback`` (events) frames; the
client pings (``cmd: ping``) every 30 s, replies with ``aibot_respond_msg`` (same
req_id as the callback) and pushes with ``aibot_send_msg``. Every request is
answered by a frame carrying its req_id and an errcode.

Reconnects with exponential backoff (1 s doubling up to a maximum) unless WeCom
says another connection took over (``disconnected_event``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from nonebot.drivers import URL, Request, WebSocket
from nonebot.exception import WebSocketClosed
from nonebot.log import logger

from .api import WeComAPIError

FrameHandler = Callable[[dict[str, Any]], Awaitable[None]]
Connector = Callable[[Request], Any]  # an async context manager factory (adapter.websocket)

CALLBACK_COMMANDS = frozenset({"aibot_msg_callback", "aibot_event_callback"})


def new_req_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


def _observe(task: asyncio.Task[Any]) -> None:
    """Retrieve a finished task's exception so asyncio does not report it as lost."""
    if not task.cancelled():
        task.exception()


class AuthenticationFailed(Exception):
    pass


class RobotConnection:
    def __init__(
        self,
        connect: Connector,
        url: str,
        bot_id: str,
        secret: str,
        on_frame: FrameHandler,
        *,
        heartbeat_s: float = 30.0,
        initial_backoff_s: float = 1.0,
        max_backoff_s: float = 60.0,
        request_timeout_s: float = 10.0,
    ) -> None:
        self._connect = connect
        self.url = url
        self.bot_id = bot_id
        self._secret = secret
        self._on_frame = on_frame
        self.heartbeat_s = heartbeat_s
        self.initial_backoff_s = initial_backoff_s
        self.max_backoff_s = max_backoff_s
        self.request_timeout_s = request_timeout_s
        self._ws: WebSocket | None = None
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._stopped = asyncio.Event()
        self.authenticated = asyncio.Event()
        self.connections = 0  # successful authentications, for tests and status
        self.taken_over = False

    def __repr__(self) -> str:
        return f"RobotConnection(url={self.url!r}, bot_id={self.bot_id!r})"

    @property
    def connected(self) -> bool:
        return self._ws is not None and self.authenticated.is_set()

    def stop(self) -> None:
        self._stopped.set()

    async def run(self) -> None:
        """Connect, authenticate, read frames; reconnect with backoff until stopped."""
        backoff = self.initial_backoff_s
        while not self._stopped.is_set() and not self.taken_over:
            try:
                async with self._connect(Request("GET", URL(self.url), timeout=30.0)) as ws:
                    await self._session(ws)
                    backoff = self.initial_backoff_s
            except asyncio.CancelledError:
                raise
            except AuthenticationFailed as exc:
                logger.error(f"WeCom robot long connection refused: {exc}")
            except (WebSocketClosed, OSError, Exception) as exc:  # noqa: BLE001 - reconnect on anything
                logger.warning(f"WeCom robot long connection lost: {type(exc).__name__}")
            finally:
                self._ws = None
                self.authenticated.clear()
                self._fail_pending("connection closed")
            if self._stopped.is_set() or self.taken_over:
                break
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), backoff)
            backoff = min(backoff * 2, self.max_backoff_s)

    async def _session(self, ws: WebSocket) -> None:
        req_id = new_req_id("aibot_subscribe")
        await ws.send(json.dumps({
            "cmd": "aibot_subscribe", "headers": {"req_id": req_id},
            "body": {"bot_id": self.bot_id, "secret": self._secret},
        }))
        answer = await asyncio.wait_for(self._receive(ws), self.request_timeout_s)
        if answer.get("headers", {}).get("req_id") != req_id or int(answer.get("errcode", -1)) != 0:
            raise AuthenticationFailed(f"{answer.get('errcode')} {answer.get('errmsg', '')}".strip())
        self._ws = ws
        self.connections += 1
        self.authenticated.set()
        logger.info("WeCom robot long connection authenticated")
        heartbeat = asyncio.create_task(self._heartbeat())
        stop_wait = asyncio.create_task(self._stopped.wait())
        receive: asyncio.Task[dict[str, Any]] | None = None
        try:
            while True:
                receive = asyncio.create_task(self._receive(ws))
                done, _ = await asyncio.wait({receive, stop_wait}, return_when=asyncio.FIRST_COMPLETED)
                if stop_wait in done:
                    receive.cancel()
                    with contextlib.suppress(BaseException):
                        await receive
                    await ws.close()
                    return
                await self._dispatch(receive.result())
                if self.taken_over:
                    return
        finally:
            heartbeat.cancel()
            stop_wait.cancel()
            if receive is not None:
                # cancelled from outside (shutdown): the pending read must not fail unobserved
                receive.cancel()
                receive.add_done_callback(_observe)

    async def _receive(self, ws: WebSocket) -> dict[str, Any]:
        while True:
            raw = await ws.receive()
            try:
                frame = json.loads(raw)
            except ValueError:
                continue
            if isinstance(frame, dict):
                return frame

    async def _dispatch(self, frame: dict[str, Any]) -> None:
        cmd = frame.get("cmd", "")
        req_id = str(frame.get("headers", {}).get("req_id", ""))
        if cmd in CALLBACK_COMMANDS:
            body = frame.get("body") or {}
            event = (body.get("event") or {}) if isinstance(body, dict) else {}
            if cmd == "aibot_event_callback" and event.get("eventtype") == "disconnected_event":
                logger.warning("WeCom robot long connection taken over by another connection")
                self.taken_over = True
                return
            try:
                await self._on_frame(frame)
            except Exception as exc:  # noqa: BLE001 - one bad frame must not drop the connection
                logger.opt(exception=exc).error("WeCom robot frame handling failed")
            return
        future = self._pending.pop(req_id, None)
        if future is not None and not future.done():
            future.set_result(frame)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            with contextlib.suppress(WeComAPIError, asyncio.TimeoutError):
                await self.request("ping", None)

    def _fail_pending(self, reason: str) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(WeComAPIError(-1, reason, "long connection"))
        self._pending.clear()

    async def request(self, cmd: str, body: dict[str, Any] | None, *, req_id: str | None = None) -> dict[str, Any]:
        """Send a frame and wait for WeCom's answer; raises WeComAPIError on errcode != 0."""
        ws = self._ws
        if ws is None:
            raise WeComAPIError(-1, "robot long connection is not connected", cmd)
        req_id = req_id or new_req_id(cmd)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[req_id] = future
        frame: dict[str, Any] = {"cmd": cmd, "headers": {"req_id": req_id}}
        if body is not None:
            frame["body"] = body
        try:
            await ws.send(json.dumps(frame, ensure_ascii=False))
            answer = await asyncio.wait_for(future, self.request_timeout_s)
        except asyncio.TimeoutError:
            raise WeComAPIError(-1, "no answer from WeCom", cmd) from None
        except WebSocketClosed:
            raise WeComAPIError(-1, "connection closed", cmd) from None
        finally:
            self._pending.pop(req_id, None)
        errcode = int(answer.get("errcode", 0) or 0)
        if errcode:
            raise WeComAPIError(errcode, str(answer.get("errmsg", "")), cmd)
        return answer

    async def send_markdown(self, chatid: str, content: str) -> None:
        """Push a markdown message to a group (chatid) or a user (userid)."""
        await self.request("aibot_send_msg", {"chatid": chatid, "msgtype": "markdown", "markdown": {"content": content}})

    async def reply_text(self, req_id: str, content: str) -> None:
        """Answer a callback frame (same req_id) with one finished stream message."""
        await self.request(
            "aibot_respond_msg",
            {"msgtype": "stream", "stream": {"id": new_req_id("stream"), "finish": True, "content": content}},
            req_id=req_id,
        )

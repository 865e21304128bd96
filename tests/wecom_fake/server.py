"""A fake WeCom API server on 127.0.0.1, with WeCom's real error codes.

Implements gettoken, customer groups (externalcontact/groupchat/list and /get),
user/list, message/send and the group robot webhook. Counts calls per endpoint so
tests can assert behaviour: a cached token, renewal on expiry, retry after a
rate limit.

    async with FakeWeCom(corp_id="wwcorp", secret="s3cret") as fake:
        api = WeComAPI("wwcorp", "s3cret", base_url=fake.base_url)
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request

INVALID_CORPID = 40013
INVALID_SECRET = 40001
MISSING_TOKEN = 41001
INVALID_TOKEN = 40014
EXPIRED_TOKEN = 42001
RATE_LIMITED = 45009
INVALID_CHAT = 40050
INVALID_WEBHOOK_KEY = 93000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _error(code: int, message: str) -> dict[str, Any]:
    return {"errcode": code, "errmsg": f"{message}, hint: [fake], more info at https://open.work.weixin.qq.com/devtool/query?e={code}"}


@dataclass
class FakeWeCom:
    corp_id: str = "wwfakecorp"
    secret: str = "fake-app-secret-value"
    token_lifetime_s: int = 7200
    webhook_keys: dict[str, str] = field(default_factory=dict)  # key -> chat id
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: list[dict[str, Any]] = field(default_factory=list)
    staff: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.tokens: dict[str, float] = {}  # token -> expiry (time.time())
        self.rate_limit_next = 0  # answer 45009 to this many further calls
        self.app_messages: list[dict[str, Any]] = []
        self.webhook_messages: list[tuple[str, dict[str, Any]]] = []
        self.requests_seen: list[str] = []  # raw query strings, to check for leaks
        self._counter = itertools.count(1)
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.port = 0
        self.app = self._build()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def expire_all_tokens(self) -> None:
        for token in self.tokens:
            self.tokens[token] = 0.0

    # -- behaviour --------------------------------------------------------------

    def _limited(self) -> dict[str, Any] | None:
        if self.rate_limit_next > 0:
            self.rate_limit_next -= 1
            return _error(RATE_LIMITED, "api freq out of limit")
        return None

    def _check_token(self, request: Request) -> dict[str, Any] | None:
        token = request.query_params.get("access_token")
        if not token:
            return _error(MISSING_TOKEN, "access_token missing")
        if token not in self.tokens:
            return _error(INVALID_TOKEN, "invalid access_token")
        if self.tokens[token] <= time.time():
            return _error(EXPIRED_TOKEN, "access_token expired")
        return self._limited()

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.middleware("http")
        async def count(request: Request, call_next: Any) -> Any:
            self.calls[request.url.path.removeprefix("/cgi-bin/")] += 1
            self.requests_seen.append(str(request.url.query))
            return await call_next(request)

        @app.get("/cgi-bin/gettoken")
        async def gettoken(corpid: str = "", corpsecret: str = "") -> dict[str, Any]:
            if corpid != self.corp_id:
                return _error(INVALID_CORPID, "invalid corpid")
            if corpsecret != self.secret:
                return _error(INVALID_SECRET, "invalid credential")
            if limited := self._limited():
                return limited
            token = f"fake-token-{next(self._counter)}-{int(time.time() * 1000)}"
            self.tokens[token] = time.time() + self.token_lifetime_s
            return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": self.token_lifetime_s}

        @app.post("/cgi-bin/externalcontact/groupchat/list")
        async def group_list(request: Request) -> dict[str, Any]:
            if error := self._check_token(request):
                return error
            body = await request.json()
            ids = sorted(self.groups)
            start = int(body.get("cursor") or 0)
            limit = int(body.get("limit", 1000))
            page = ids[start : start + limit]
            cursor = str(start + limit) if start + limit < len(ids) else ""
            return {"errcode": 0, "errmsg": "ok",
                    "group_chat_list": [{"chat_id": cid, "status": 0} for cid in page],
                    "next_cursor": cursor}

        @app.post("/cgi-bin/externalcontact/groupchat/get")
        async def group_get(request: Request) -> dict[str, Any]:
            if error := self._check_token(request):
                return error
            chat_id = (await request.json()).get("chat_id", "")
            if chat_id not in self.groups:
                return _error(INVALID_CHAT, "invalid chatid")
            return {"errcode": 0, "errmsg": "ok", "group_chat": {"chat_id": chat_id, **self.groups[chat_id]}}

        @app.get("/cgi-bin/user/list")
        async def user_list(request: Request) -> dict[str, Any]:
            if error := self._check_token(request):
                return error
            department = int(request.query_params.get("department_id", "1"))
            rows = [u for u in self.users if department in u.get("department", [1])]
            return {"errcode": 0, "errmsg": "ok", "userlist": rows}

        @app.post("/cgi-bin/message/send")
        async def message_send(request: Request) -> dict[str, Any]:
            if error := self._check_token(request):
                return error
            body = await request.json()
            self.app_messages.append(body)
            invalid = [u for u in str(body.get("touser", "")).split("|") if u and u not in self.staff]
            return {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(invalid), "msgid": f"msg{len(self.app_messages)}"}

        @app.post("/cgi-bin/webhook/send")
        async def webhook_send(request: Request) -> dict[str, Any]:
            key = request.query_params.get("key", "")
            if key not in self.webhook_keys:
                return _error(INVALID_WEBHOOK_KEY, "invalid webhook url")
            if limited := self._limited():
                return limited
            self.webhook_messages.append((self.webhook_keys[key], await request.json()))
            return {"errcode": 0, "errmsg": "ok"}

        return app

    # -- lifecycle --------------------------------------------------------------

    async def start(self) -> "FakeWeCom":
        self.port = free_port()
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.01)
        return self

    async def stop(self) -> None:
        if self._server and self._task:
            self._server.should_exit = True
            await self._task

    async def __aenter__(self) -> "FakeWeCom":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

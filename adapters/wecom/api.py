"""WeCom server API client on httpx, with a configurable base URL.

- The access token is fetched with ``gettoken``, cached until shortly before it
  expires, and renewed once when WeCom answers 40014 (invalid) or 42001 (expired).
- errcode 45009 (rate limit) is retried with exponential backoff.
- Failures raise :class:`WeComAPIError` with WeCom's errcode and errmsg; the
  access token, the app secret and webhook keys never appear in its message.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from .config import DEFAULT_API_BASE
from .redact import redact

TOKEN_INVALID = 40014
TOKEN_EXPIRED = 42001
RATE_LIMITED = 45009
TOKEN_ERRORS = frozenset({TOKEN_INVALID, TOKEN_EXPIRED})
# renew this long before WeCom's stated expiry, so a token never dies mid-call
TOKEN_MARGIN_S = 300.0


class WeComAPIError(Exception):
    """WeCom refused a call (errcode != 0) or it never reached WeCom (errcode -1)."""

    def __init__(self, errcode: int, errmsg: str, api: str = "") -> None:
        self.errcode = errcode
        self.errmsg = errmsg
        self.api = api
        super().__init__(f"WeCom API {api or '?'} failed: {errcode} {errmsg}".strip())


@dataclass(frozen=True, slots=True)
class GroupChatMember:
    userid: str
    type: int  # 1 staff member of the corp, 2 external contact (parents)
    name: str = ""
    group_nickname: str = ""
    join_time: int = 0
    join_scene: int = 0  # 1 invited directly, 2 via link, 3 via QR code
    invitor: str = ""

    @property
    def display_name(self) -> str:
        return self.group_nickname or self.name or self.userid

    @property
    def is_external(self) -> bool:
        return self.type == 2


@dataclass(frozen=True, slots=True)
class GroupChat:
    chat_id: str
    name: str
    owner: str
    members: tuple[GroupChatMember, ...] = ()
    admins: tuple[str, ...] = ()
    notice: str = ""
    create_time: int = 0
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _member(row: dict[str, Any]) -> GroupChatMember:
    invitor = row.get("invitor") or {}
    return GroupChatMember(
        userid=str(row.get("userid", "")),
        type=int(row.get("type", 0) or 0),
        name=str(row.get("name", "") or ""),
        group_nickname=str(row.get("group_nickname", "") or ""),
        join_time=int(row.get("join_time", 0) or 0),
        join_scene=int(row.get("join_scene", 0) or 0),
        invitor=str(invitor.get("userid", "") if isinstance(invitor, dict) else ""),
    )


class WeComAPI:
    """One self-built app's API access (corp id + app secret)."""

    def __init__(
        self,
        corp_id: str,
        secret: str,
        *,
        agent_id: int | None = None,
        base_url: str = DEFAULT_API_BASE,
        timeout_s: float = 10.0,
        client: httpx.AsyncClient | None = None,
        rate_limit_retries: int = 3,
        backoff_s: float = 1.0,
        extra_secrets: Iterable[str] = (),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self.corp_id = corp_id
        self._secret = secret
        self.agent_id = agent_id
        self.base_url = base_url.rstrip("/")
        self._client = client or httpx.AsyncClient(timeout=timeout_s)
        self._owns_client = client is None
        self.rate_limit_retries = rate_limit_retries
        self.backoff_s = backoff_s
        self._clock = clock
        self._sleep = sleep
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()
        self._secrets = [secret, *extra_secrets]

    def __repr__(self) -> str:
        return f"WeComAPI(corp_id={self.corp_id!r}, base_url={self.base_url!r})"

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    # -- plumbing -----------------------------------------------------------

    def _redact(self, text: str) -> str:
        return redact(text, [*self._secrets, self._token or ""])

    async def _send(
        self, method: str, path: str, params: dict[str, Any], body: dict[str, Any] | None
    ) -> dict[str, Any]:
        url = f"{self.base_url}/cgi-bin/{path}"
        try:
            response = await self._client.request(method, url, params=params, json=body)
        except httpx.HTTPError as exc:
            raise WeComAPIError(-1, self._redact(f"{type(exc).__name__}: {exc}"), path) from None
        if response.status_code != 200:
            raise WeComAPIError(-1, f"HTTP {response.status_code}", path)
        try:
            data = response.json()
        except ValueError:
            raise WeComAPIError(-1, "response is not JSON", path) from None
        if not isinstance(data, dict):
            raise WeComAPIError(-1, "response is not a JSON object", path)
        return data

    async def _with_backoff(
        self, method: str, path: str, params: dict[str, Any], body: dict[str, Any] | None
    ) -> dict[str, Any]:
        delay = self.backoff_s
        for attempt in range(self.rate_limit_retries + 1):
            data = await self._send(method, path, params, body)
            if data.get("errcode") != RATE_LIMITED or attempt == self.rate_limit_retries:
                return data
            await self._sleep(delay)
            delay *= 2
        return data  # pragma: no cover - the loop always returns

    def _raise_for(self, data: dict[str, Any], path: str) -> dict[str, Any]:
        errcode = int(data.get("errcode", 0) or 0)
        if errcode:
            raise WeComAPIError(errcode, self._redact(str(data.get("errmsg", ""))), path)
        return data

    async def token(self, *, force: bool = False) -> str:
        """A valid access token, fetched once and reused until it nears expiry."""
        async with self._token_lock:
            if not force and self._token and self._clock() < self._token_expires:
                return self._token
            data = self._raise_for(
                await self._with_backoff(
                    "GET", "gettoken", {"corpid": self.corp_id, "corpsecret": self._secret}, None
                ),
                "gettoken",
            )
            self._token = str(data["access_token"])
            lifetime = float(data.get("expires_in", 7200) or 7200)
            self._token_expires = self._clock() + max(lifetime - TOKEN_MARGIN_S, lifetime / 2)
            return self._token

    async def call(
        self, method: str, path: str, *, params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Call ``/cgi-bin/{path}`` with the access token; the decoded answer on errcode 0."""
        for renewed in (False, True):
            token = await self.token(force=renewed)
            data = await self._with_backoff(method, path, {**(params or {}), "access_token": token}, body)
            if data.get("errcode") in TOKEN_ERRORS and not renewed:
                continue
            return self._raise_for(data, path)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- customer groups ----------------------------------------------------

    async def group_chat_ids(self, *, owners: Iterable[str] = (), status_filter: int = 0) -> list[str]:
        """Ids of the corp's customer groups (``externalcontact/groupchat/list``), all pages."""
        ids: list[str] = []
        cursor = ""
        while True:
            body: dict[str, Any] = {"status_filter": status_filter, "limit": 1000}
            owner_list = list(owners)
            if owner_list:
                body["owner_filter"] = {"userid_list": owner_list}
            if cursor:
                body["cursor"] = cursor
            data = await self.call("POST", "externalcontact/groupchat/list", body=body)
            ids.extend(str(row["chat_id"]) for row in data.get("group_chat_list", []) if row.get("chat_id"))
            cursor = str(data.get("next_cursor", "") or "")
            if not cursor:
                return ids

    async def group_chat(self, chat_id: str) -> GroupChat:
        """A customer group's detail and members (``externalcontact/groupchat/get``)."""
        data = await self.call(
            "POST", "externalcontact/groupchat/get", body={"chat_id": chat_id, "need_name": 1}
        )
        chat = data.get("group_chat") or {}
        return GroupChat(
            chat_id=str(chat.get("chat_id", chat_id)),
            name=str(chat.get("name", "") or ""),
            owner=str(chat.get("owner", "") or ""),
            members=tuple(_member(row) for row in chat.get("member_list", []) or []),
            admins=tuple(str(a.get("userid", "")) for a in chat.get("admin_list", []) or []),
            notice=str(chat.get("notice", "") or ""),
            create_time=int(chat.get("create_time", 0) or 0),
            raw=chat,
        )

    # -- school contacts (rosters) ------------------------------------------

    async def department_users(self, department_id: int = 1, *, recursive: bool = True) -> list[dict[str, Any]]:
        """Staff of a department with details (``user/list``): userid, name, department, position..."""
        data = await self.call(
            "GET", "user/list",
            params={"department_id": department_id, "fetch_child": 1 if recursive else 0},
        )
        return list(data.get("userlist", []) or [])

    # -- application messages to staff --------------------------------------

    async def send_app_text(self, userids: Iterable[str], content: str) -> dict[str, Any]:
        """A text message from the app to staff members (``message/send``).

        WeCom answers errcode 0 even when some recipients are unknown; those come
        back in ``invaliduser``, which this method turns into an error.
        """
        if self.agent_id is None:
            raise WeComAPIError(-1, "WECOM_AGENT_ID is not set", "message/send")
        body = {
            "touser": "|".join(userids), "msgtype": "text", "agentid": self.agent_id,
            "text": {"content": content}, "safe": 0,
        }
        data = await self.call("POST", "message/send", body=body)
        if data.get("invaliduser"):
            raise WeComAPIError(-1, f"invalid user: {data['invaliduser']}", "message/send")
        return data


class WeComWebhook:
    """The group robot webhook (``webhook/send?key=...``): notices into one group each."""

    def __init__(
        self, *, base_url: str = DEFAULT_API_BASE, timeout_s: float = 10.0,
        client: httpx.AsyncClient | None = None, rate_limit_retries: int = 3,
        backoff_s: float = 1.0, sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = client or httpx.AsyncClient(timeout=timeout_s)
        self._owns_client = client is None
        self.rate_limit_retries = rate_limit_retries
        self.backoff_s = backoff_s
        self._sleep = sleep

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def send_text(self, key: str, content: str, mentioned: Iterable[str] = ()) -> None:
        body: dict[str, Any] = {"msgtype": "text", "text": {"content": content}}
        mentioned_list = [m for m in mentioned if m]
        if mentioned_list:
            body["text"]["mentioned_list"] = mentioned_list
        url = f"{self.base_url}/cgi-bin/webhook/send"
        delay = self.backoff_s
        for attempt in range(self.rate_limit_retries + 1):
            try:
                response = await self._client.post(url, params={"key": key}, json=body)
                data = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                raise WeComAPIError(-1, redact(f"{type(exc).__name__}: {exc}", [key]), "webhook/send") from None
            errcode = int(data.get("errcode", 0) or 0) if isinstance(data, dict) else -1
            if errcode == RATE_LIMITED and attempt < self.rate_limit_retries:
                await self._sleep(delay)
                delay *= 2
                continue
            if errcode:
                errmsg = str(data.get("errmsg", "")) if isinstance(data, dict) else "bad response"
                raise WeComAPIError(errcode, redact(errmsg, [key]), "webhook/send")
            return

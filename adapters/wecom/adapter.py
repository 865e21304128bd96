"""The WeCom adapter: callback routes, the robot's long connection, API access.

Routes are registered only for the parts whose settings are present:
``/wecom/app`` (GET URL verification, POST XML callbacks) for the self-built app,
``/wecom/bot`` (GET, POST JSON callbacks) for the intelligent robot. A callback with
a bad signature, a stale timestamp, a replayed nonce or another corp's payload is
answered 403 and dropped.
"""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from typing import Any

import httpx
from typing_extensions import override

from nonebot.adapters import Adapter as BaseAdapter
from nonebot.drivers import (
    URL,
    ASGIMixin,
    Driver,
    HTTPServerSetup,
    Request,
    Response,
    WebSocketClientMixin,
)
from nonebot.log import logger

from .api import WeComAPI, WeComAPIError, WeComWebhook
from .bot import APP_SELF_ID, ROBOT_SELF_ID, Bot
from .config import WeComConfig, load_config
from .crypto import CallbackRejected, ReplayGuard, WeComCrypto
from .event import Event, RobotMessageEvent, external_chat_event, robot_message_event
from .longconn import RobotConnection
from .message import Message
from .redact import redact

APP_PATH = "/wecom/app"
ROBOT_PATH = "/wecom/bot"
MAX_BODY = 1 << 20


def parse_xml(text: str) -> dict[str, Any]:
    """Top-level fields of a WeCom XML document; lists of <Item> become tuples."""
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise CallbackRejected("XML with a document type")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise CallbackRejected("malformed XML") from exc
    fields: dict[str, Any] = {}
    for child in root:
        items = [item.text or "" for item in child if item.tag == "Item"]
        fields[child.tag] = tuple(items) if items else (child.text or "").strip()
    return fields


class Adapter(BaseAdapter):
    @classmethod
    @override
    def get_name(cls) -> str:
        return "WeCom"

    @override
    def __init__(self, driver: Driver, **kwargs: Any) -> None:
        super().__init__(driver, **kwargs)
        self.wecom_config: WeComConfig = load_config(self.config)
        cfg = self.wecom_config
        self._secrets = cfg.secrets()
        self._http = httpx.AsyncClient(timeout=cfg.wecom_api_timeout_s)
        self.api: WeComAPI | None = None
        if cfg.app_api_enabled:
            self.api = WeComAPI(
                cfg.wecom_corp_id, cfg.wecom_secret.get_secret_value() if cfg.wecom_secret else "",
                agent_id=cfg.wecom_agent_id, base_url=cfg.wecom_api_base, client=self._http,
                extra_secrets=self._secrets,
            )
        self.webhook = WeComWebhook(base_url=cfg.wecom_api_base, client=self._http)
        self.app_crypto = (
            WeComCrypto(cfg.wecom_token.get_secret_value(), cfg.wecom_encoding_aes_key.get_secret_value(), cfg.wecom_corp_id)
            if cfg.app_callback_enabled and cfg.wecom_token and cfg.wecom_encoding_aes_key else None
        )
        self.robot_crypto = (
            WeComCrypto(cfg.wecom_bot_token.get_secret_value(), cfg.wecom_bot_encoding_aes_key.get_secret_value(), cfg.wecom_bot_receive_id)
            if cfg.bot_callback_enabled and cfg.wecom_bot_token and cfg.wecom_bot_encoding_aes_key else None
        )
        self.guard = ReplayGuard(cfg.wecom_callback_max_age_s)
        self.robot_connection: RobotConnection | None = None
        self.tasks: set[asyncio.Task[Any]] = set()
        self._setup()

    # -- setup ------------------------------------------------------------------

    def _setup(self) -> None:
        cfg = self.wecom_config
        if not cfg.enabled:
            return
        if isinstance(self.driver, ASGIMixin):
            for path, handler, crypto in (
                (APP_PATH, self._handle_app, self.app_crypto),
                (ROBOT_PATH, self._handle_robot, self.robot_crypto),
            ):
                if crypto is None:
                    continue
                for method in ("GET", "POST"):
                    self.setup_http_server(HTTPServerSetup(URL(path), method, f"WeCom {path} {method}", handler))
        elif self.app_crypto or self.robot_crypto:
            logger.warning("WeCom callbacks need an ASGI driver (e.g. ~fastapi); callbacks are off")
        if cfg.bot_ws_enabled:
            if isinstance(self.driver, WebSocketClientMixin):
                self.robot_connection = RobotConnection(
                    self.websocket, cfg.wecom_bot_ws_url, cfg.wecom_bot_id,
                    cfg.wecom_bot_secret.get_secret_value() if cfg.wecom_bot_secret else "",
                    self._handle_robot_frame, heartbeat_s=cfg.wecom_bot_heartbeat_s,
                    max_backoff_s=cfg.wecom_bot_reconnect_max_s,
                )
            else:
                logger.warning("WeCom robot long connection needs a WebSocket client driver (e.g. ~websockets)")
        self.on_ready(self._startup)
        self.driver.on_shutdown(self._shutdown)

    async def _startup(self) -> None:
        cfg = self.wecom_config
        if (cfg.app_api_enabled or cfg.app_callback_enabled) and APP_SELF_ID not in self.bots:
            self.bot_connect(Bot(self, APP_SELF_ID))
        if (cfg.bot_callback_enabled or cfg.bot_ws_enabled or cfg.wecom_webhook_keys) and ROBOT_SELF_ID not in self.bots:
            self.bot_connect(Bot(self, ROBOT_SELF_ID))
        if self.robot_connection is not None:
            self._spawn(self.robot_connection.run())

    async def _shutdown(self) -> None:
        if self.robot_connection is not None:
            self.robot_connection.stop()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self._http.aclose()
        for self_id in list(self.bots):
            self.bot_disconnect(self.bots[self_id])

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def _bot(self, self_id: str) -> Bot:
        bot = self.bots.get(self_id)
        if bot is None:
            bot = Bot(self, self_id)
            self.bot_connect(bot)
        assert isinstance(bot, Bot)
        return bot

    def _dispatch(self, bot: Bot, event: Event) -> None:
        self._spawn(bot.handle_event(event))

    def redact(self, text: str) -> str:
        return redact(text, self._secrets)

    # -- callbacks ----------------------------------------------------------------

    def _query(self, request: Request) -> tuple[str, str, str]:
        query = request.url.query
        return query.get("msg_signature", ""), query.get("timestamp", ""), query.get("nonce", "")

    def _verify(self, crypto: WeComCrypto, request: Request) -> Response:
        signature, timestamp, nonce = self._query(request)
        echostr = request.url.query.get("echostr", "")
        plain = crypto.verify_url(signature, timestamp, nonce, echostr)
        self.guard.check(timestamp, nonce)
        return Response(200, content=plain)

    def _open(self, crypto: WeComCrypto, request: Request, ciphertext: str) -> str:
        signature, timestamp, nonce = self._query(request)
        crypto.check_signature(signature, timestamp, nonce, ciphertext)
        self.guard.check(timestamp, nonce)
        return crypto.decrypt(ciphertext)

    @staticmethod
    def _body(request: Request) -> str:
        content = request.content or b""
        if len(content) > MAX_BODY:
            raise CallbackRejected("body too large")
        return content.decode() if isinstance(content, bytes) else str(content)

    async def _handle_app(self, request: Request) -> Response:
        assert self.app_crypto is not None
        try:
            if request.method == "GET":
                return self._verify(self.app_crypto, request)
            outer = parse_xml(self._body(request))
            fields = parse_xml(self._open(self.app_crypto, request, str(outer.get("Encrypt", ""))))
        except CallbackRejected as exc:
            logger.warning(f"WeCom app callback refused: {exc.reason}")
            return Response(403, content="forbidden")
        event = external_chat_event(fields, APP_SELF_ID)
        if event is not None:
            self._dispatch(self._bot(APP_SELF_ID), event)
        return Response(200, content="success")

    async def _handle_robot(self, request: Request) -> Response:
        assert self.robot_crypto is not None
        try:
            if request.method == "GET":
                return self._verify(self.robot_crypto, request)
            try:
                outer = json.loads(self._body(request) or "{}")
            except ValueError as exc:
                raise CallbackRejected("malformed JSON") from exc
            ciphertext = str(outer.get("encrypt") or outer.get("Encrypt") or "")
            plain = self._open(self.robot_crypto, request, ciphertext)
            try:
                body = json.loads(plain)
            except ValueError as exc:
                raise CallbackRejected("malformed JSON payload") from exc
        except CallbackRejected as exc:
            logger.warning(f"WeCom robot callback refused: {exc.reason}")
            return Response(403, content="forbidden")
        event = robot_message_event(body, ROBOT_SELF_ID) if isinstance(body, dict) else None
        if event is not None:
            self._dispatch(self._bot(ROBOT_SELF_ID), event)
        # No passive reply: answers go through response_url or the robot's session.
        return Response(200, content="")

    async def _handle_robot_frame(self, frame: dict[str, Any]) -> None:
        if frame.get("cmd") != "aibot_msg_callback":
            return
        body = frame.get("body") or {}
        req_id = str(frame.get("headers", {}).get("req_id", ""))
        event = robot_message_event(body, ROBOT_SELF_ID, req_id=req_id) if isinstance(body, dict) else None
        if event is not None:
            self._dispatch(self._bot(ROBOT_SELF_ID), event)

    # -- sending ------------------------------------------------------------------

    @property
    def robot_online(self) -> bool:
        return self.robot_connection is not None and self.robot_connection.connected

    def webhook_key(self, chat_id: str) -> str | None:
        key = self.wecom_config.wecom_webhook_keys.get(chat_id)
        return key.get_secret_value() if key is not None else None

    def can_post_to(self, chat_id: str) -> bool:
        return self.robot_online or self.webhook_key(chat_id) is not None

    async def send_group(self, chat_id: str, message: Message) -> None:
        """A message into a group: by the robot's long connection, else the group's webhook."""
        if self.robot_connection is not None and self.robot_connection.connected:
            await self.robot_connection.send_markdown(chat_id, message.to_markdown())
            return
        key = self.webhook_key(chat_id)
        if key is None:
            raise WeComAPIError(-1, "no robot session and no webhook for this group", "send_group")
        await self.webhook.send_text(key, message.plain_text(), message.mentions())

    async def reply_robot(self, event: RobotMessageEvent, message: Message) -> None:
        """Answer a robot message where it was asked."""
        if event.req_id and self.robot_connection is not None and self.robot_connection.connected:
            await self.robot_connection.reply_text(event.req_id, message.to_markdown())
            return
        if event.response_url:
            response = await self._http.post(
                event.response_url, json={"msgtype": "markdown", "markdown": {"content": message.to_markdown()}}
            )
            data = response.json() if response.content else {}
            if isinstance(data, dict) and int(data.get("errcode", 0) or 0):
                raise WeComAPIError(int(data["errcode"]), self.redact(str(data.get("errmsg", ""))), "response_url")
            return
        if event.chatid:
            await self.send_group(event.chatid, message)
            return
        await self.send_staff([event.user_id], message.plain_text())

    async def send_staff(self, userids: list[str], text: str) -> None:
        if self.api is None:
            raise WeComAPIError(-1, "the self-built app is not configured", "message/send")
        await self.api.send_app_text(userids, text)

    @override
    async def _call_api(self, bot: Bot, api: str, **data: Any) -> Any:
        """``bot.call_api(name, ...)``: the WeCom API client's methods by name."""
        if self.api is None:
            raise WeComAPIError(-1, "the self-built app is not configured", api)
        method = getattr(self.api, api, None)
        if api.startswith("_") or not callable(method):
            raise WeComAPIError(-1, "unknown API", api)
        return await method(**data)

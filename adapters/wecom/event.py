"""WeCom events as NoneBot events.

- Self-built app, XML callbacks at ``/wecom/app``: customer group changes
  (``Event=change_external_chat``). With ``ChangeType=update`` and
  ``UpdateDetail`` ``add_member`` / ``del_member`` they become
  :class:`ExternalChatMemberAddEvent` / :class:`ExternalChatMemberRemoveEvent`;
  other changes (name, owner, notice, create, dismiss) :class:`ExternalChatChangeEvent`.
  Field names follow WeCom's "客户群变更事件": ChatId, ChangeType, UpdateDetail,
  JoinScene, QuitScene, MemChangeCnt, MemChangeList/Item, LastMemVer, CurMemVer.
- Intelligent robot, JSON callbacks at ``/wecom/bot`` or frames on the long
  connection (``aibot_msg_callback``): messages that mention the robot in a group
  (``chattype=group``) or sent to it privately. Fields follow WeCom's "智能机器人
  接收消息": msgid, aibotid, chatid, chattype, from.userid, response_url, msgtype,
  text.content, quote.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import Field
from typing_extensions import override

from nonebot.adapters import Event as BaseEvent
from nonebot.compat import model_dump
from nonebot.utils import escape_tag

from .message import Message


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Event(BaseEvent):
    self_id: str = ""
    time: datetime = Field(default_factory=_now)

    @override
    def get_type(self) -> str:
        return "meta"

    @override
    def get_event_name(self) -> str:
        return type(self).__name__

    @override
    def get_event_description(self) -> str:
        return escape_tag(str(model_dump(self, exclude={"raw", "raw_body"})))

    @override
    def get_message(self) -> Message:
        raise ValueError("Event has no message!")

    @override
    def get_user_id(self) -> str:
        raise ValueError("Event has no user_id!")

    @override
    def get_session_id(self) -> str:
        raise ValueError("Event has no session_id!")

    @override
    def is_tome(self) -> bool:
        return False


# -- self-built app: customer group changes --------------------------------------


class ExternalChatChangeEvent(Event):
    """A customer group changed; ``change_type`` create | update | dismiss."""

    chat_id: str
    change_type: str = ""
    update_detail: str = ""
    join_scene: int = 0  # 0 member invited directly, 3 via QR code (WeCom's values)
    quit_scene: int = 0  # 0 left, 1 removed by the owner
    member_change_count: int = 0
    member_ids: tuple[str, ...] = ()  # MemChangeList, when WeCom sends it
    last_member_version: str = ""
    current_member_version: str = ""
    corp_id: str = ""
    raw: dict[str, Any] = Field(default_factory=dict)

    @override
    def get_type(self) -> str:
        return "notice"

    @override
    def get_event_name(self) -> str:
        return "notice.external_chat." + (self.update_detail or self.change_type or "change")

    @override
    def get_session_id(self) -> str:
        return f"group_{self.chat_id}"


class ExternalChatMemberAddEvent(ExternalChatChangeEvent):
    update_detail: Literal["add_member"] = "add_member"


class ExternalChatMemberRemoveEvent(ExternalChatChangeEvent):
    update_detail: Literal["del_member"] = "del_member"


def _int(value: Any) -> int:
    try:
        return int(str(value).strip() or 0)
    except ValueError:
        return 0


def _time(created: int) -> datetime:
    """The callback's CreateTime; now when it is missing or out of range."""
    try:
        return datetime.fromtimestamp(created, timezone.utc) if created else _now()
    except (OverflowError, OSError, ValueError):
        return _now()


def external_chat_event(fields: dict[str, Any], self_id: str) -> ExternalChatChangeEvent | None:
    """The event for a decrypted app callback, or None when it is not a group change."""
    if fields.get("Event") != "change_external_chat" or not fields.get("ChatId"):
        return None
    members = fields.get("MemChangeList") or ()
    data: dict[str, Any] = dict(
        self_id=self_id,
        time=_time(_int(fields.get("CreateTime"))),
        chat_id=str(fields["ChatId"]),
        change_type=str(fields.get("ChangeType", "")),
        join_scene=_int(fields.get("JoinScene")),
        quit_scene=_int(fields.get("QuitScene")),
        member_change_count=_int(fields.get("MemChangeCnt")),
        member_ids=tuple(str(m) for m in members),
        last_member_version=str(fields.get("LastMemVer", "")),
        current_member_version=str(fields.get("CurMemVer", "")),
        corp_id=str(fields.get("ToUserName", "")),
        raw=fields,
    )
    detail = str(fields.get("UpdateDetail", ""))
    if detail == "add_member":
        return ExternalChatMemberAddEvent(**data)
    if detail == "del_member":
        return ExternalChatMemberRemoveEvent(**data)
    return ExternalChatChangeEvent(update_detail=detail, **data)


# -- intelligent robot: messages -------------------------------------------------


class RobotMessageEvent(Event):
    msgid: str
    aibotid: str = ""
    chatid: str = ""
    chattype: str = "single"
    user_id: str
    msgtype: str = "text"
    message: Message
    original_text: str = ""
    quote_text: str = ""
    response_url: str = ""
    req_id: str = ""  # set on the long connection: replies go back with it
    raw_body: dict[str, Any] = Field(default_factory=dict)
    to_me: bool = True  # the robot only receives what mentions it or is sent to it

    @override
    def get_type(self) -> str:
        return "message"

    @override
    def get_event_name(self) -> str:
        return f"message.{self.chattype}"

    @override
    def get_message(self) -> Message:
        return self.message

    @override
    def get_plaintext(self) -> str:
        return self.message.plain_text()

    @override
    def get_user_id(self) -> str:
        return self.user_id

    @override
    def get_session_id(self) -> str:
        return self.user_id

    @override
    def is_tome(self) -> bool:
        return self.to_me

    @override
    def get_event_description(self) -> str:
        where = f"@[群:{self.chatid}]" if self.chatid else ""
        return escape_tag(f"Message {self.msgid} from {self.user_id}{where} {self.original_text!r}")


class RobotGroupMessageEvent(RobotMessageEvent):
    chattype: Literal["group"] = "group"

    @override
    def get_session_id(self) -> str:
        return f"group_{self.chatid}_{self.user_id}"


class RobotPrivateMessageEvent(RobotMessageEvent):
    chattype: Literal["single"] = "single"


_LEADING_MENTION = re.compile(r"^\s*@\S+\s*")


def strip_robot_mention(content: str, robot_name: str = "") -> str:
    """Drop the mention of the robot that starts a group message ("@RobotA hello")."""
    if robot_name:
        return content.replace(f"@{robot_name}", "", 1).strip()
    return _LEADING_MENTION.sub("", content, count=1).strip()


def _field(body: Any, key: str) -> Any:
    """body[key] when body is a JSON object; fields of the wrong shape read as missing."""
    return body.get(key) if isinstance(body, dict) else None


def _content(part: Any) -> str:
    content = _field(part, "content")
    return "" if content is None else str(content)


def _text_of(body: dict[str, Any]) -> str:
    msgtype = body.get("msgtype")
    if msgtype == "text":
        return _content(body.get("text"))
    if msgtype == "voice":  # WeCom transcribes voice messages
        return _content(body.get("voice"))
    if msgtype == "mixed":
        items = _field(body.get("mixed"), "msg_item")
        return "".join(
            _content(item.get("text")) for item in (items if isinstance(items, list) else ())
            if isinstance(item, dict) and item.get("msgtype") == "text"
        )
    return ""


def robot_message_event(
    body: dict[str, Any], self_id: str, *, req_id: str = "", robot_name: str = ""
) -> RobotMessageEvent | None:
    """The event for a robot message callback body, or None for anything else."""
    if not body.get("msgid") or not body.get("msgtype"):
        return None
    sender = body.get("from") if isinstance(body.get("from"), dict) else {}
    chattype = str(body.get("chattype", "single"))
    original = _text_of(body)
    text = strip_robot_mention(original, robot_name) if chattype == "group" else original.strip()
    quote = body.get("quote") or {}
    data: dict[str, Any] = dict(
        self_id=self_id,
        msgid=str(body["msgid"]),
        aibotid=str(body.get("aibotid", "")),
        chatid=str(body.get("chatid", "")),
        user_id=str(sender.get("userid", "")),
        msgtype=str(body["msgtype"]),
        message=Message(text) if text else Message(),
        original_text=original,
        quote_text=_text_of(quote) if isinstance(quote, dict) else "",
        response_url=str(body.get("response_url", "")),
        req_id=req_id,
        raw_body=body,
    )
    if chattype == "group":
        return RobotGroupMessageEvent(**data)
    return RobotPrivateMessageEvent(**data)

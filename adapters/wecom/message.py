"""WeCom messages: text, and mentions by user id.

WeCom's robot callbacks carry plain text (a mention arrives as the text "@Name");
outgoing messages can mention staff members by user id (webhook ``mentioned_list``,
markdown ``<@userid>``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from typing_extensions import override

from nonebot.adapters import Message as BaseMessage
from nonebot.adapters import MessageSegment as BaseMessageSegment


class MessageSegment(BaseMessageSegment["Message"]):
    @classmethod
    @override
    def get_message_class(cls) -> type["Message"]:
        return Message

    @override
    def __str__(self) -> str:
        if self.type == "text":
            return str(self.data.get("text", ""))
        if self.type == "mention":
            return f"<@{self.data.get('user_id', '')}>"
        return f"[{self.type}]"

    @override
    def is_text(self) -> bool:
        return self.type == "text"

    @staticmethod
    def text(text: str) -> "MessageSegment":
        return MessageSegment("text", {"text": text})

    @staticmethod
    def mention(user_id: str) -> "MessageSegment":
        return MessageSegment("mention", {"user_id": user_id})


class Message(BaseMessage[MessageSegment]):
    @classmethod
    @override
    def get_segment_class(cls) -> type[MessageSegment]:
        return MessageSegment

    @staticmethod
    @override
    def _construct(msg: str) -> Iterable[MessageSegment]:
        yield MessageSegment.text(msg)

    def mentions(self) -> list[str]:
        return [str(seg.data["user_id"]) for seg in self if seg.type == "mention"]

    def plain_text(self) -> str:
        return "".join(str(seg.data.get("text", "")) for seg in self if seg.type == "text")

    def to_markdown(self) -> str:
        return "".join(str(seg) for seg in self)


def as_message(message: Any) -> Message:
    if isinstance(message, Message):
        return message
    if isinstance(message, MessageSegment):
        return Message(message)
    return Message(str(message))

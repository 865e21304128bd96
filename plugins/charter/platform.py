"""The one interface every platform implements, and its capability set.

An adapter module (adapters/qq, adapters/wechat, adapters/wecom) provides a
`PlatformOps` per connected bot account. What a platform cannot do is declared in
`capabilities`; the escalation plugin turns a missing capability, or a call the
platform refused, into an exact instruction for the head teacher.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import StrEnum

from .model import MemberInfo, OpResult


class Capability(StrEnum):
    RECALL = "recall"
    KICK = "kick"
    MUTE = "mute"
    MUTE_ALL = "mute_all"
    PRIVATE_MESSAGE = "private_message"
    GROUP_MESSAGE = "group_message"
    MENTION = "mention"
    MEMBER_LIST = "member_list"
    APPROVE_JOIN = "approve_join"


class PlatformOps(ABC):
    """Operations on one platform through one bot account."""

    platform: str
    capabilities: frozenset[Capability]

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    @abstractmethod
    async def recall(self, group_id: str, message_id: str) -> OpResult: ...

    @abstractmethod
    async def send_private(self, user_id: str, text: str, group_id: str | None = None) -> OpResult:
        """Direct message; `group_id` lets platforms that need it open a temporary session."""

    @abstractmethod
    async def send_group(self, group_id: str, text: str, mention: str | None = None) -> OpResult:
        """Group message, optionally starting with a real mention of `mention`."""

    @abstractmethod
    async def kick(self, group_id: str, user_id: str) -> OpResult: ...

    @abstractmethod
    async def mute(self, group_id: str, user_id: str, seconds: int) -> OpResult: ...

    @abstractmethod
    async def mute_all(self, group_id: str, enable: bool) -> OpResult: ...

    @abstractmethod
    async def member_list(self, group_id: str) -> list[MemberInfo]: ...

    @abstractmethod
    async def answer_join(self, flag: str, approve: bool, reason: str = "") -> OpResult: ...

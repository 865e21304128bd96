"""Async hooks for what pure policies cannot do alone.

Policies (policies.py) are pure and synchronous. Some rules need the database or
the platform while handling an event: the first sight of a member, a rename, a
join request, a deadline answered. Plugins register listeners here; the core calls
them for every message of a class and for every member event, platform-neutral.

A message listener may be a plain function that returns an awaitable for the work
left, or None when the message gives it nothing to do: every group message passes
every listener, and most have nothing to do for most messages, so the cheap tests
run as plain calls and no coroutine is made (`start_dispatch`). An `async def`
listener is the same thing with its work always left (its coroutine).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from loguru import logger

from .config import ClassConfig
from .model import Account, GroupRef, IncomingMessage
from .runtime import Runtime


class MemberEventKind(StrEnum):
    JOINED = "joined"
    LEFT = "left"  # left or was removed
    RENAMED = "renamed"
    JOIN_REQUEST = "join_request"


@dataclass(frozen=True, slots=True)
class MemberEvent:
    kind: MemberEventKind
    group: GroupRef
    account: Account
    time: datetime
    display_name: str = ""  # the new name where the platform says it
    old_name: str = ""
    operator: Account | None = None  # who invited, approved or removed
    invited: bool = False  # joined through someone's invitation
    comment: str = ""  # join request answer
    flag: str = ""  # platform handle of a join request
    event_key: str = ""  # identifies the platform event, for redelivery


MessageListener = Callable[[Runtime, ClassConfig, IncomingMessage], Awaitable[None] | None]
MemberListener = Callable[[Runtime, ClassConfig, MemberEvent], Awaitable[None]]

_message_listeners: list[MessageListener] = []
_member_listeners: list[MemberListener] = []


def on_class_message(listener: MessageListener) -> MessageListener:
    _message_listeners.append(listener)
    return listener


def on_member_event(listener: MemberListener) -> MemberListener:
    _member_listeners.append(listener)
    return listener


async def dispatch_message(runtime: Runtime, cls: ClassConfig, message: IncomingMessage) -> None:
    pending = start_dispatch(runtime, cls, message)
    if pending is not None:
        await pending


def start_dispatch(runtime: Runtime, cls: ClassConfig, message: IncomingMessage) -> Awaitable[None] | None:
    """The listeners in order, as plain calls while none has work left: None when none
    had any, else an awaitable for the rest (that listener's work, then the listeners
    after it, each after the one before, as `dispatch_message` runs them)."""
    listeners = _message_listeners
    for index, listener in enumerate(listeners):
        try:
            pending = listener(runtime, cls, message)
        except Exception as exc:
            _failed(listener, exc)
            continue
        if pending is not None:
            return _finish_dispatch(runtime, cls, message, listeners, index, pending)
    return None


async def _finish_dispatch(runtime: Runtime, cls: ClassConfig, message: IncomingMessage,
                           listeners: list[MessageListener], index: int, pending: Awaitable[None]) -> None:
    try:
        await pending
    except Exception as exc:
        _failed(listeners[index], exc)
    for listener in listeners[index + 1:]:
        try:
            pending = listener(runtime, cls, message)
            if pending is not None:
                await pending
        except Exception as exc:
            _failed(listener, exc)


def _failed(listener: MessageListener, exc: Exception) -> None:
    logger.opt(exception=exc).error(f"message listener {listener.__qualname__} failed")


async def dispatch_member_event(runtime: Runtime, cls: ClassConfig, event: MemberEvent) -> None:
    for listener in _member_listeners:
        try:
            await listener(runtime, cls, event)
        except Exception as exc:
            logger.opt(exception=exc).error(f"member listener {listener.__qualname__} failed")

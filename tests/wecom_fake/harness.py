"""Helpers to run the WeCom adapter on a driver of its own in tests."""

from __future__ import annotations

from typing import Any

from nonebot.config import Config, Env
from nonebot.drivers import combine_driver
from nonebot.drivers.fastapi import Driver as FastAPIDriver
from nonebot.drivers.websockets import Mixin as WebSocketsMixin


def make_driver(**settings: Any) -> Any:
    """An ASGI + WebSocket-client driver with exactly these settings (no .env files)."""
    driver_cls = combine_driver(FastAPIDriver, WebSocketsMixin)
    return driver_cls(Env(environment="test"), Config(_env_file=None, **settings))


class Recorder:
    """Stands in for ``nonebot.message.handle_event``: keeps the events it is given."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    async def __call__(self, bot: Any, event: Any) -> None:
        self.events.append(event)

"""What the simulated platform clients (adapters/qq/peer.py, adapters/wechat/peer.py)
share: waiting for the bot's next matching call."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

Call = TypeVar("Call")


async def wait_for_call(calls: Sequence[Call], arrived: asyncio.Condition, predicate: Callable[[Call], bool],
                        timeout: float, start: int) -> Call:
    """The first call from index `start` on that matches, waiting for it to arrive."""
    deadline = time.monotonic() + timeout
    async with arrived:
        while True:
            for call in calls[start:]:
                if predicate(call):
                    return call
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [(getattr(c, "action", c), getattr(c, "params", None)) for c in calls[start:]]
                raise TimeoutError(f"no matching call within {timeout}s; saw {seen}")
            try:
                await asyncio.wait_for(arrived.wait(), remaining)
            except TimeoutError:
                pass


__all__ = ["wait_for_call"]

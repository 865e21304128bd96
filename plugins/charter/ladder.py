"""The ladder, as pure decisions: which step a strike count reaches."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

from .catalogue import LadderSettings


def step_for(count: int, settings: LadderSettings) -> str:
    """'remind', 'notice' or 'remove' for the count-th active strike (1-based)."""
    steps = settings.steps or ("remind",)
    return steps[min(max(count, 1), len(steps)) - 1]


def strike_expiry(now: datetime, settings: LadderSettings) -> datetime:
    return now + timedelta(days=settings.strike_expiry_days)


class NoticeThrottle:
    """At most one public notice per member per rule per interval (in memory, bounded)."""

    def __init__(self, max_keys: int = 50_000):
        self._last: dict[str, datetime] = {}
        self._max_keys = max_keys

    def allow(self, key: str, now: datetime, interval: timedelta) -> bool:
        last = self._last.get(key)
        if last is not None and now - last < interval:
            return False
        if len(self._last) >= self._max_keys:
            cutoff = now - interval
            self._last = {k: v for k, v in self._last.items() if v > cutoff}
        self._last[key] = now
        return True


class GroupRateLimit:
    """A cap on the bot's own messages per group per minute (sliding window)."""

    def __init__(self) -> None:
        self._sent: dict[str, deque[datetime]] = {}

    def allow(self, group_key: str, now: datetime, per_minute: int) -> bool:
        window = self._sent.setdefault(group_key, deque())
        cutoff = now - timedelta(minutes=1)
        while window and window[0] <= cutoff:
            window.popleft()
        if len(window) >= per_minute:
            return False
        window.append(now)
        return True

"""A bounded map that keeps what was used recently, for the per-member caches.

The process keeps a few answers per member seen (names checked, person keys of
display names); with 500,000 members known these caches are full, so the cost of
each entry counts. An OrderedDict with move-to-end costs about 100 bytes an entry
(a linked-list node and an index besides the dict); this keeps two plain dicts
instead, a young and an old generation: new and used entries go to the young
one; when it holds half the limit, the old one is dropped and the young one
becomes old. An entry used again before `limit // 2` other entries are added
always survives, as in a least-recently-used map; one not used is gone after at
most `limit` other entries. At most `limit` entries in all, every operation O(1).

Values must not be the sentinel; None is a value like any other. A hot path may
read `_young.get(key)` itself, without the call: a value found there is what
`get` answers, and reading it changes nothing (the content engine does, once a
message).
"""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

MISSING: object = object()


class RecentlyUsed(Generic[K, V]):
    __slots__ = ("limit", "_half", "_young", "_old")

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._half = max(1, self.limit // 2)
        self._young: dict[K, V] = {}
        self._old: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self._young) + len(self._old)

    def get(self, key: K, default: object = MISSING) -> V | object:
        """The value, which becomes recently used; `default` (MISSING) when absent."""
        value = self._young.get(key, MISSING)
        if value is not MISSING:
            return value
        value = self._old.pop(key, MISSING)
        if value is MISSING:
            return default
        self._young_put(key, value)  # type: ignore[arg-type]
        return value

    def put(self, key: K, value: V) -> None:
        self._old.pop(key, None)
        self._young_put(key, value)

    def pop(self, key: K) -> None:
        self._young.pop(key, None)
        self._old.pop(key, None)

    def clear(self) -> None:
        self._young, self._old = {}, {}

    def _young_put(self, key: K, value: V) -> None:
        young = self._young
        young[key] = value
        if len(young) >= self._half:
            self._old, self._young = young, {}

"""Reading a OneBot message segment's fields, whatever the bridge sent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_NO_FIELDS: Mapping[str, Any] = {}


def segment_data(segment: Any) -> Mapping[str, Any]:
    """The segment's `data`, or no fields when it is not an object: the adapters accept
    `"data": null` from a bridge, and such a segment must not drop the whole message."""
    data = segment.data
    return data if isinstance(data, dict) else _NO_FIELDS

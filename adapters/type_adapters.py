"""One pydantic TypeAdapter per type for NoneBot's event parsing, not one per call.

`nonebot.compat.type_validate_python(type_, data)` builds a new
`pydantic.TypeAdapter(type_)` on every call, and building one means generating the
type's validation schema. The OneBot adapters call it for every event (the event
model), and NoneBot's `Message` for every segment of every message: about 19 µs a
segment to build against under 1 µs to validate with a kept adapter, the largest
single cost of reading an event. Pydantic's own advice is to build an adapter
once per type (docs.pydantic.dev, "TypeAdapter instantiated once"); a TypeAdapter
holds no state between validations, so a kept one validates exactly as a new one.

`reuse_type_adapters()` gives the modules that read events a version of the
function that keeps one adapter per type. The bot calls it at start-up; the
benchmark's bare bot calls it too, so that both read events alike. A module
whose function is no longer NoneBot's own is left alone (and named in the log).
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any, TypeVar

from loguru import logger
from nonebot import compat
from pydantic import TypeAdapter

T = TypeVar("T")

# the modules that parse events and message segments with compat.type_validate_python
EVENT_READERS = (
    "nonebot.internal.adapter.message",
    "nonebot.adapters.onebot.v11.adapter",
    "nonebot.adapters.onebot.v11.bot",
    "nonebot.adapters.onebot.v12.adapter",
    "nonebot.adapters.onebot.v12.bot",
)
_NONEBOTS_OWN = compat.type_validate_python


@lru_cache(maxsize=512)
def _adapter(type_: Any) -> TypeAdapter[Any]:
    return TypeAdapter(type_)


def type_validate_python(type_: type[T], data: Any) -> T:
    """`nonebot.compat.type_validate_python`, with the type's adapter kept."""
    try:
        adapter = _adapter(type_)
    except TypeError:  # an unhashable type expression: build one for this call
        return _NONEBOTS_OWN(type_, data)
    return adapter.validate_python(data)


def reuse_type_adapters(modules: tuple[str, ...] = EVENT_READERS) -> list[str]:
    """Point `modules` at `type_validate_python`; returns those changed."""
    if not compat.PYDANTIC_V2:
        return []
    changed = []
    for name in modules:
        module = importlib.import_module(name)
        current = getattr(module, "type_validate_python", None)
        if current is type_validate_python:
            changed.append(name)
        elif current is _NONEBOTS_OWN:
            module.type_validate_python = type_validate_python  # type: ignore[attr-defined]
            changed.append(name)
        else:
            logger.warning(f"{name} no longer reads events with NoneBot's type_validate_python; left as it is")
    return changed

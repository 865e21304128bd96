"""The bare bot's only plugin: recall a message whose text is one of the benchmark's
violation lines (a set lookup, read once from BENCH_TRIGGERS), nothing else.

Its handler takes no injected parameters, as the charter's entry handler does
(plugins/charter/entry.py): NoneBot checks and solves each injected parameter in a
task of its own, which costs more per event than anything this plugin does, so a
handler with `bot: Bot, event: GroupMessageEvent` would measure that cost rather
than the framework's limit. Its garbage collector is set up after start-up by the
charter bot's own function (plugins/charter/heap.py, loaded by path so that the
charter plugin itself is not imported), so neither bot pays the collector
differently.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

from nonebot import get_driver, on_message
from nonebot.adapters.onebot.v11 import GroupMessageEvent
from nonebot.matcher import current_bot, current_event

TRIGGERS = frozenset(json.loads(Path(os.environ["BENCH_TRIGGERS"]).read_text(encoding="utf-8")))

answer = on_message(priority=1, block=False)


@answer.handle()
async def recall_triggers() -> None:
    event = current_event.get()
    if isinstance(event, GroupMessageEvent) and event.get_plaintext() in TRIGGERS:
        await current_bot.get().delete_msg(message_id=event.message_id)


def _charter_heap():  # type: ignore[no-untyped-def]
    path = Path(__file__).resolve().parents[1] / "plugins" / "charter" / "heap.py"
    spec = importlib.util.spec_from_file_location("charter_heap", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@get_driver().on_startup
async def settle_heap() -> None:
    _charter_heap().settle()

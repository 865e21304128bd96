"""The bare bot's only plugin: recall a message whose text is one of the benchmark's
violation lines (a set lookup, read once from BENCH_TRIGGERS), nothing else.

Its handler takes no injected parameters, as the charter's entry handler does
(plugins/charter/entry.py): NoneBot checks and solves each injected parameter in a
task of its own, which costs more per event than anything this plugin does, so a
handler with `bot: Bot, event: GroupMessageEvent` would measure that cost rather
than the framework's limit. Its heap is frozen after start-up as the charter bot's is
(plugins/charter/heap.py), so neither pays the garbage collector for the other's
long-lived objects differently.
"""

from __future__ import annotations

import gc
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


@get_driver().on_startup
async def settle_heap() -> None:
    gc.collect()
    gc.freeze()

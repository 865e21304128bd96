"""The bare bot's only plugin: recall a message whose text is one of the benchmark's
violation lines (a set lookup, read once from BENCH_TRIGGERS), nothing else."""

from __future__ import annotations

import json
import os
from pathlib import Path

from nonebot import on_message
from nonebot.adapters.onebot.v11 import Bot, GroupMessageEvent

TRIGGERS = frozenset(json.loads(Path(os.environ["BENCH_TRIGGERS"]).read_text(encoding="utf-8")))

answer = on_message(priority=1, block=False)


@answer.handle()
async def recall_triggers(bot: Bot, event: GroupMessageEvent) -> None:
    if event.get_plaintext() in TRIGGERS:
        await bot.delete_msg(message_id=event.message_id)

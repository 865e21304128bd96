"""A quick reconnect: NoneBot runs the old connection's disconnect hook as a task, so
it may run after the new connection of the same account was prepared."""

from __future__ import annotations

import nonebot
from nonebot.adapters.onebot.v11 import Adapter, Bot

from adapters.qq.ops import QQOps
from plugins.charter import lifecycle
from plugins.charter.runtime import get_runtime


async def test_a_late_disconnect_of_the_old_connection_keeps_the_new_one() -> None:
    runtime = get_runtime()
    adapter = nonebot.get_adapter(Adapter)
    old, new = Bot(adapter, "3999"), Bot(adapter, "3999")
    runtime.connect(QQOps(old), "3999")
    runtime.connect(QQOps(new), "3999")  # the account reconnected
    try:
        await lifecycle.disconnected(old)  # the old connection's hook, late
        assert runtime.ops["qq"]["3999"].bot is new  # type: ignore[attr-defined]
        await lifecycle.disconnected(new)  # the new connection closing does remove it
        assert "3999" not in runtime.ops["qq"]
    finally:
        runtime.disconnect("qq", "3999")

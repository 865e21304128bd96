"""A quick reconnect: NoneBot runs the old connection's disconnect hook as a task, so
it may run after the new connection of the same account was prepared."""

from __future__ import annotations

import nonebot
from nonebot.adapters.onebot.v11 import Adapter, Bot

from adapters.qq.ops import QQOps
from plugins.charter import lifecycle
from plugins.charter.model import GroupRef
from plugins.charter.runtime import get_runtime
from plugins.charter.timers import platforms_ready


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


async def test_timers_do_not_act_through_a_connection_that_closed_before_its_hook_ran() -> None:
    runtime = get_runtime()
    adapter = nonebot.get_adapter(Adapter)
    closed, current = Bot(adapter, "3998"), Bot(adapter, "3998")
    runtime.connect(QQOps(closed), "3998")  # its disconnect hook has not run yet
    adapter.bot_connect(current)
    try:
        assert await platforms_ready(runtime)
        assert runtime.ops["qq"]["3998"].bot is current  # type: ignore[attr-defined]
        adapter.bot_disconnect(current)
        await platforms_ready(runtime)
        assert "3998" not in runtime.ops["qq"]
    finally:
        if "3998" in nonebot.get_bots():
            adapter.bot_disconnect(current)
        runtime.disconnect("qq", "3998")


async def test_actions_do_not_go_through_a_connection_that_closed_before_its_hook_ran() -> None:
    runtime = get_runtime()
    adapter = nonebot.get_adapter(Adapter)
    closed = Bot(adapter, "3997")
    adapter.bot_connect(closed)
    runtime.connect(QQOps(closed), "3997")
    runtime.saw_group(GroupRef("qq", "3997001"), "3997")
    try:
        assert runtime.ops_for("qq", "3997001").bot is closed  # type: ignore[union-attr]
        adapter.bot_disconnect(closed)  # the connection ended; its disconnect hook has not run yet
        found = runtime.ops_for("qq", "3997001")
        assert found is None or found.bot is not closed  # type: ignore[attr-defined]
        assert "3997" not in runtime.ops["qq"]
    finally:
        if "3997" in nonebot.get_bots():
            adapter.bot_disconnect(closed)
        runtime.disconnect("qq", "3997")


async def test_a_connect_hook_that_finishes_after_its_connection_closed_registers_nothing() -> None:
    # NoneBot runs connect hooks as tasks and preparing the operations awaits: after a
    # quick reconnect the old connection's hook may finish last, and must not replace
    # the new connection's operations with its own
    runtime = get_runtime()
    adapter = nonebot.get_adapter(Adapter)
    old, new = Bot(adapter, "3996"), Bot(adapter, "3996")
    adapter.bot_connect(old)
    adapter.bot_disconnect(old)
    adapter.bot_connect(new)
    try:
        await lifecycle.ensure_connected(new)
        await lifecycle.ensure_connected(old)  # the old connection's hook, last
        assert runtime.ops["qq"]["3996"].bot is new  # type: ignore[attr-defined]
    finally:
        adapter.bot_disconnect(new)
        runtime.disconnect("qq", "3996")


async def test_is_prepared_answers_for_the_very_connection() -> None:
    # the message path asks is_prepared (a plain call) before ensure_connected
    runtime = get_runtime()
    adapter = nonebot.get_adapter(Adapter)
    old, new = Bot(adapter, "3995"), Bot(adapter, "3995")
    adapter.bot_connect(old)
    try:
        assert not lifecycle.is_prepared(runtime, old)
        await lifecycle.ensure_connected(old)
        assert lifecycle.is_prepared(runtime, old)
        adapter.bot_disconnect(old)
        adapter.bot_connect(new)  # a reconnect brings a new Bot: not prepared yet
        assert not lifecycle.is_prepared(runtime, new)
        await lifecycle.ensure_connected(new)
        assert lifecycle.is_prepared(runtime, new) and not lifecycle.is_prepared(runtime, old)
    finally:
        if "3995" in nonebot.get_bots():
            adapter.bot_disconnect(nonebot.get_bots()["3995"])
        runtime.disconnect("qq", "3995")

"""Start-up and shutdown: configuration, database, platform connections, timers."""

from __future__ import annotations

import asyncio
import contextlib
import os
from datetime import timedelta

from loguru import logger
from nonebot import get_driver, require
from nonebot.adapters import Bot

from . import heap
from .database import create_engine, database_url, migrate, redacted
from .platform import PlatformOps
from .runtime import ENV_AUDIT_RETENTION, Runtime, get_runtime, runtime_or_none, set_runtime, startup_config, still_listed
from .store import Store
from .timers import timer_loop

require("nonebot_plugin_localstore")
import nonebot_plugin_localstore as localstore  # noqa: E402

driver = get_driver()
# seconds before a finding journaled but not acted on is taken over (default: enforce.JOURNAL_LEASE)
ENV_RECOVERY_AFTER = "CHARTERBOT_RECOVERY_AFTER_S"
_stop = asyncio.Event()
_tasks: set[asyncio.Task] = set()


@driver.on_startup
async def start() -> None:
    config = startup_config()  # loaded once: by bot.py's check when it ran
    url = database_url(localstore.get_plugin_data_dir())
    engine = create_engine(url)
    await migrate(engine)
    superusers = frozenset(str(s) for s in driver.config.superusers)
    store = Store(engine)
    runtime = Runtime(config=config, store=store, superusers=superusers)
    runtime.apply_modes(await store.plugin_modes())
    retention = os.environ.get(ENV_AUDIT_RETENTION, "").strip()
    if retention:
        runtime.audit_retention = timedelta(days=float(retention))
    recovery = os.environ.get(ENV_RECOVERY_AFTER, "").strip()
    if recovery:
        runtime.enforcer.journal_lease = timedelta(seconds=float(recovery))
    set_runtime(runtime)
    _stop.clear()
    _tasks.add(asyncio.create_task(timer_loop(runtime, _stop)))
    heap.settle()
    logger.success(
        f"charter: {len(config.classes)} class(es), {len(config.by_group)} group(s), database {redacted(url)}"
    )


@driver.on_shutdown
async def stop() -> None:
    _stop.set()
    for task in list(_tasks):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    _tasks.clear()
    runtime = runtime_or_none()
    if runtime is not None:
        await runtime.store.engine.dispose()
        set_runtime(None)


async def ops_for_bot(bot: Bot) -> PlatformOps | None:
    adapter = bot.adapter.get_name()
    if adapter == "OneBot V11":
        from adapters.qq.ops import QQOps

        return QQOps(bot)  # type: ignore[arg-type]
    if adapter == "OneBot V12":
        if getattr(bot, "platform", "") != "wechat":
            logger.warning(f"OneBot v12 bot {bot.self_id} is on platform {getattr(bot, 'platform', '?')}, not wechat")
            return None
        from adapters.wechat.ops import ops_for

        return await ops_for(bot)  # type: ignore[arg-type]
    if adapter == "WeCom":
        from adapters.wecom.ops import ops_for as wecom_ops_for

        return wecom_ops_for(bot)  # type: ignore[arg-type]
    return None


@driver.on_bot_connect
async def connected(bot: Bot) -> None:
    await ensure_connected(bot)


def is_prepared(runtime: Runtime, bot: Bot) -> bool:
    """Whether `runtime` has platform operations for this very connection (a reconnect
    brings a new Bot): a plain call, for every group message before `ensure_connected`."""
    for bots in runtime.ops.values():
        current = bots.get(bot.self_id)
        if current is not None and getattr(current, "bot", bot) is bot:
            return True
    return False


async def ensure_connected(bot: Bot) -> None:
    """Platform operations for `bot`, prepared once. NoneBot runs connect hooks in a
    task, so the first events of a new connection may arrive before the hook: the
    message matcher calls this too (after `is_prepared`)."""
    runtime = get_runtime()
    if is_prepared(runtime, bot):
        return
    try:
        ops = await asyncio.wait_for(ops_for_bot(bot), timeout=10)
    except Exception as exc:
        logger.opt(exception=exc).warning(f"could not prepare platform operations for bot {bot.self_id}")
        return
    if ops is not None and not still_listed(ops):
        # the connection closed while its operations were prepared (an await): a newer
        # connection of the account may be registered by now and must stay
        return
    if ops is not None:
        runtime.connect(ops, bot.self_id)
        # findings a stopped process journaled but did not act on can be carried out now
        task = asyncio.create_task(_recover(runtime))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
        capabilities = ", ".join(sorted(c.value for c in ops.capabilities))
        logger.info(f"charter: {ops.platform} account {bot.self_id} connected, can: {capabilities}")


async def _recover(runtime: Runtime) -> None:
    try:
        await runtime.enforcer.recover(runtime.config.classes)
    except Exception as exc:
        logger.opt(exception=exc).warning("recovering unfinished findings failed; retried later")


@driver.on_bot_disconnect
async def disconnected(bot: Bot) -> None:
    runtime = runtime_or_none()
    if runtime is None:
        return
    for platform, bots in list(runtime.ops.items()):
        current = bots.get(bot.self_id)
        # NoneBot runs this hook as a task: after a quick reconnect the account may
        # already have the new connection's operations, which must stay
        if current is not None and getattr(current, "bot", bot) is bot:
            runtime.disconnect(platform, bot.self_id)

"""Start the charter bot: NoneBot with the OneBot v11/v12 and WeCom adapters and plugins/.

Settings come from the environment and .env files as usual for NoneBot
(HOST, PORT, SUPERUSERS, COMMAND_START, ONEBOT_ACCESS_TOKEN, ...), plus
CHARTERBOT_CONFIG_DIR and CHARTERBOT_DATABASE_URL.

`python bot.py` runs the bot; `charterbot` (installed with the package) runs it too
and has the administration subcommands (`charterbot --help`).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORE_PLUGIN = "plugins.charter"
POLICY_PLUGINS = ("plugins.membership", "plugins.content", "plugins.timing", "plugins.escalation")


def init() -> None:
    """Initialise NoneBot, check the configuration, register adapters, load plugins.

    The core plugin is loaded first: the adapters and the other plugins import it,
    and NoneBot must be the first to import a plugin module.
    """
    import nonebot

    nonebot.init()
    log_without_per_message_lines(nonebot.get_driver().config.log_level)
    from adapters.type_adapters import reuse_type_adapters

    reuse_type_adapters()  # events parsed with one pydantic adapter per type, not one per call
    if nonebot.load_plugin(CORE_PLUGIN) is None:
        raise SystemExit(f"charterbot: plugin {CORE_PLUGIN} failed to load (see the log above)")
    hide_tokens_in_log()  # after the core: the adapters package imports it
    check_config_or_exit()
    from adapters.qq.adapter import Adapter as OneBotV11Adapter
    from adapters.wechat.adapter import Adapter as OneBotV12Adapter

    driver = nonebot.get_driver()
    driver.register_adapter(OneBotV11Adapter)
    driver.register_adapter(OneBotV12Adapter)
    from adapters.wecom import Adapter as WeComAdapter

    driver.register_adapter(WeComAdapter)
    for plugin in POLICY_PLUGINS:
        if nonebot.load_plugin(plugin) is None:
            raise SystemExit(f"charterbot: plugin {plugin} failed to load (see the log above)")


# NoneBot's modules that log each event (with its whole text) and each matcher run
PER_EVENT_LOG_SOURCES = ("nonebot.message", "nonebot.internal.matcher.matcher")
_log_handler: int | None = None  # ours, once set up


def _writes_every_record(record: Any) -> bool:
    return False


# Whether our handler drops a record as a line per message (set with the handler):
# the token mask skips those, since nothing writes them
_dropped_per_message_line: Callable[[Any], bool] = _writes_every_record


def log_level_number(level: str | int) -> int:
    """A LOG_LEVEL setting (a level name in any case, or a number) as a number."""
    from nonebot.log import logger

    if isinstance(level, int):
        return level
    text = level.strip()
    return int(text) if text.isdigit() else logger.level(text.upper()).no


def log_without_per_message_lines(level: str | int, sink: Any = None) -> None:
    """NoneBot's log handler, with its level set and, below DEBUG, without a line per
    message.

    NoneBot logs every event with its whole text at SUCCESS and each matcher run at
    INFO: in a bot serving hundreds of class groups, every parent's every message in
    the process log (which the audit log's rule, an excerpt of evidence and never
    whole conversations, forbids) and three lines of noise per message around the
    few that matter. Warnings and errors from those modules stay; at DEBUG and TRACE
    everything is logged, as NoneBot does.

    NoneBot's own handler takes every record (level 0) and compares levels in its
    filter, so each debug and trace call builds a whole record (time, caller frame)
    to throw away; with the level on the handler loguru returns before building one.
    The benchmark's bare bot calls this too, so that both bots log alike. `sink`:
    where lines go (standard output by default)."""
    global _log_handler, _dropped_per_message_line
    from nonebot.log import default_format, logger, logger_id

    number = log_level_number(level)
    for old in (logger_id, _log_handler):
        if old is not None:
            try:
                logger.remove(old)
            except ValueError:  # removed already
                pass
    warning = logger.level("WARNING").no
    # Known by file, not by record["name"]: NoneBot's own patcher renames every record
    # of its modules to "nonebot" (a bare NoneBot's log), the charter's keeps the name.
    per_event_files = frozenset(importlib.import_module(name).__file__ for name in PER_EVENT_LOG_SOURCES)

    def per_message_line(record: Any) -> bool:
        return record["level"].no < warning and record["file"].path in per_event_files

    def per_message_lines_dropped(record: Any) -> bool:
        return not per_message_line(record)

    verbose = number <= logger.level("DEBUG").no
    _dropped_per_message_line = _writes_every_record if verbose else per_message_line
    _log_handler = logger.add(sink or sys.stdout, level=number, diagnose=False, format=default_format,
                              filter=None if verbose else per_message_lines_dropped)


def hide_tokens_in_log() -> None:
    """Every log line with secret query values masked: uvicorn's access log prints the
    query string, and a bridge may send ?access_token=... there. A line per message
    that the handler drops is not searched (NoneBot's record of each event holds
    '=' in its fields: searching it cost about 1 % of the bot's CPU under load)."""
    from nonebot.log import logger

    from adapters.wecom.redact import redact

    def mask(record: Any) -> None:
        # runs for every record, before any handler's filter: most hold no '='
        if "=" in record["message"] and not _dropped_per_message_line(record):
            record["message"] = redact(record["message"])

    logger.configure(patcher=mask)


def check_config_or_exit() -> None:
    """A bad configuration stops start-up with the file and field, before anything listens."""
    from plugins.charter.config import ConfigError, load_config_dir
    from plugins.charter.runtime import config_dir_from_env, hand_over_config

    try:
        hand_over_config(load_config_dir(config_dir_from_env()))  # the start-up hook uses it: loaded once
    except ConfigError as exc:
        sys.stderr.write(f"charterbot: configuration error, not starting:\n{exc}\n")
        raise SystemExit(2) from exc


def main() -> None:
    import nonebot

    init()
    nonebot.run(**server_options(nonebot.get_driver().type))


def server_options(driver_type: str) -> dict[str, object]:
    """Uvicorn options for the FastAPI driver: no per-message deflate on the bridges'
    WebSockets. Their frames are a few hundred bytes of JSON between processes on one
    host or LAN, and compressing each one cost the bot more CPU than the bytes were
    worth (bench/e2e_load.py; the bare bot it is compared with runs the same way)."""
    server = driver_type.split("+")[0]  # "fastapi+httpx+websockets": the server part first
    return {"ws_per_message_deflate": False} if server == "fastapi" else {}


def cli() -> None:
    """The `charterbot` command: `run` (default) or an administration subcommand."""
    args = sys.argv[1:]
    if not args or args[0] == "run":
        main()
        return
    from plugins.charter.cli import main as admin_main

    raise SystemExit(admin_main(args))


if __name__ == "__main__":
    main()

"""A bare NoneBot: the same driver and OneBot v11 adapter as the charter bot, one plugin.

The plugin (bench/bare_plugin.py) does nothing except answer the violation
messages of the benchmark's mix with one API call (delete_msg), so that the bare
bot and the charter bot both send an action frame for the same messages and the
latency of the two is measured the same way. Its log handler is the charter bot's
(`bot.log_without_per_message_lines`: the level on the handler, no line per
message below DEBUG) and it parses events with one pydantic adapter per type as
the charter bot does (`adapters.type_adapters`), so that neither bot pays for
what the other does not.
Run by bench/e2e_load.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nonebot  # noqa: E402
from nonebot.adapters.onebot.v11 import Adapter  # noqa: E402

if __name__ == "__main__":
    nonebot.init()
    from bot import log_without_per_message_lines, server_options  # the charter bot's, for a like-for-like run

    log_without_per_message_lines(nonebot.get_driver().config.log_level)
    from adapters.type_adapters import reuse_type_adapters

    reuse_type_adapters()  # as the charter bot does
    nonebot.get_driver().register_adapter(Adapter)
    if nonebot.load_plugin("bench.bare_plugin") is None:
        raise SystemExit("bare bot: the plugin failed to load")
    nonebot.run(**server_options(nonebot.get_driver().type))

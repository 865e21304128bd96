"""Start the real bot process (bot.py) on a free port with a temporary config and database.

The process handling lives in the product (tools/botprocess.py, also used by
`charterbot demo`); the tests fix the token and log at DEBUG.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.botprocess import ROOT, BotProcess as _BotProcess, free_port, make_config

ACCESS_TOKEN = "e2e-secret-token-5f1c"

__all__ = ["ACCESS_TOKEN", "ROOT", "BotProcess", "free_port", "make_config"]


@dataclass
class BotProcess(_BotProcess):
    access_token: str = ACCESS_TOKEN
    log_level: str = "DEBUG"

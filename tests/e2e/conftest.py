from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import BotProcess, make_config

TEST_CLASSES = Path(__file__).resolve().parents[1] / "data" / "classes"
# g5c1: class-pact with auto_remove = true, on QQ group 900005
AUTO_REMOVE_CLASS = (TEST_CLASSES / "g5c1.toml").read_text(encoding="utf-8")
AUTO_REMOVE_ROSTER = (TEST_CLASSES / "g5c1.csv").read_text(encoding="utf-8")


@pytest.fixture
def bot_home(tmp_path: Path) -> Path:
    return tmp_path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    report = yield
    bot = item.funcargs.get("bot_process") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and isinstance(bot, BotProcess):
        report.sections.append(("bot log (last 150 lines)", "\n".join(bot.log().splitlines()[-150:])))
    return report


@pytest.fixture
def bot_process(bot_home: Path) -> Iterator[BotProcess]:
    config = make_config(bot_home, {"g5c1.toml": AUTO_REMOVE_CLASS}, {"g5c1.csv": AUTO_REMOVE_ROSTER})
    bot = BotProcess(bot_home, config, f"sqlite+aiosqlite:///{bot_home / 'bot.db'}")
    bot.start()
    yield bot
    bot.stop()

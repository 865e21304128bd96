from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import BotProcess, make_config

AUTO_REMOVE_CLASS = """
[class]
id = "g5c1"
name = "五年一班"
charter = "class-pact"
roster = "g5c1.csv"

[[groups]]
platform = "qq"
group_id = "900005"

[staff]
head_teacher = ["qq:20002"]
teachers = ["qq:20005"]

[rules."escalation.ladder"]
auto_remove = true

[rules."content.flood"]
enabled = true

[rules."content.ads"]
enabled = true
"""
AUTO_REMOVE_ROSTER = "role,name,subject\nteacher,刘洋,语文\nstudent,陈晨,\nstudent,林小雨,\n"


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

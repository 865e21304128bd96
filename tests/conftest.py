"""Test set-up: NoneBot with the project's plugins, on a temporary config and database.

NoneBot must import the plugin packages itself before anything else does, so the
plugins are loaded when this root conftest is imported: before pytest imports the
conftests of subdirectories and the test modules.
The configuration is the shipped example plus a test class with auto-removal.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_HOME = Path(tempfile.mkdtemp(prefix="charterbot-tests-"))
TEST_CONFIG = TEST_HOME / "config"

TEST_CLASSES = ROOT / "tests" / "data" / "classes"  # g5c1: class-pact with auto_remove, on QQ group 900005


def build_test_config() -> Path:
    shutil.copytree(ROOT / "config", TEST_CONFIG, dirs_exist_ok=True)
    for path in TEST_CLASSES.iterdir():
        shutil.copy(path, TEST_CONFIG / "classes" / path.name)
    return TEST_CONFIG


def start_nonebot() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["CHARTERBOT_CONFIG_DIR"] = str(build_test_config())
    os.environ.setdefault("CHARTERBOT_DATABASE_URL", f"sqlite+aiosqlite:///{TEST_HOME / 'plugin-tests.db'}")
    os.environ["SUPERUSERS"] = '["10001"]'
    os.environ["COMMAND_START"] = '["/"]'
    os.environ["LOCALSTORE_DATA_DIR"] = str(TEST_HOME / "data")
    import bot  # the same start-up order as the real bot, without running it

    bot.init()


start_nonebot()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(TEST_HOME, ignore_errors=True)

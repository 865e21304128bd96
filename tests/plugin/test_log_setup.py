"""The bot's log: no line per message below DEBUG, nothing built below the level."""

from __future__ import annotations

from collections.abc import Iterator

import nonebot
import pytest
from nonebot.log import logger

import bot


@pytest.fixture
def lines() -> Iterator[list[str]]:
    written: list[str] = []
    yield written
    bot.log_without_per_message_lines(nonebot.get_driver().config.log_level)  # as the tests started


def log_as(module: str, level: str, text: str) -> None:
    logger.patch(lambda record: record.update(name=module)).log(level, text)


def test_at_info_the_log_has_no_line_per_message_but_keeps_everything_else(lines: list[str]) -> None:
    bot.log_without_per_message_lines("info", sink=lines.append)
    log_as("nonebot.message", "SUCCESS", "OneBot V11 3000 | [message.group.normal]: Message 1 '张子涵的成绩'")
    log_as("nonebot.internal.matcher.matcher", "INFO", "Matcher(...) running complete")
    log_as("nonebot.message", "ERROR", "Error when running Matcher(...)")
    log_as("plugins.charter.lifecycle", "INFO", "charter: qq account 3000 connected")
    log_as("nonebot", "SUCCESS", 'Succeeded to load plugin "charter"')
    log_as("plugins.charter.enforce", "DEBUG", "below the level")
    text = "".join(lines)
    assert "张子涵" not in text and "running complete" not in text and "below the level" not in text
    assert "Error when running" in text and "account 3000 connected" in text and "Succeeded to load" in text


def test_at_debug_everything_is_logged_as_nonebot_does(lines: list[str]) -> None:
    bot.log_without_per_message_lines("DEBUG", sink=lines.append)
    log_as("nonebot.message", "SUCCESS", "Message 1 '收到'")
    log_as("nonebot.internal.matcher.matcher", "INFO", "running complete")
    log_as("plugins.charter.enforce", "DEBUG", "a debug line")
    log_as("plugins.charter.enforce", "TRACE", "a trace line")
    text = "".join(lines)
    assert "Message 1 '收到'" in text and "running complete" in text and "a debug line" in text
    assert "a trace line" not in text


def test_a_call_below_the_level_builds_no_record(lines: list[str]) -> None:
    built: list[str] = []
    counting = logger.patch(lambda record: built.append(record["level"].name))
    bot.log_without_per_message_lines(20, sink=lines.append)  # a number works as well as a name
    counting.debug("not built")
    counting.trace("not built")
    counting.warning("built")
    assert built == ["WARNING"]

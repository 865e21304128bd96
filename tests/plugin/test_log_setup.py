"""The bot's log: no line per message below DEBUG, nothing built below the level."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterator
from types import SimpleNamespace

import nonebot
import pytest
from nonebot.adapters.onebot.v11 import Adapter, Bot, GroupMessageEvent, Message
from nonebot.adapters.onebot.v11.event import Sender
from nonebot.log import logger
from nonebug import App

import bot


@pytest.fixture
def lines() -> Iterator[list[str]]:
    written: list[str] = []
    yield written
    bot.log_without_per_message_lines(nonebot.get_driver().config.log_level)  # as the tests started


def log_as(module: str, level: str, text: str) -> None:
    """A line as if `module` had logged it (its name and its file)."""
    path = getattr(importlib.import_module(module), "__file__", None) or f"/{module}.py"
    where = SimpleNamespace(name=path.rsplit("/", 1)[-1], path=path)
    logger.patch(lambda record: record.update(name=module, file=where)).log(level, text)


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


def nonebots_own_patcher() -> None:
    logger.configure(patcher=nonebot._log_patcher)  # type: ignore[attr-defined]


@pytest.mark.parametrize("patcher", [nonebots_own_patcher, bot.hide_tokens_in_log],
                         ids=["bare NoneBot's patcher", "the charter's patcher"])
async def test_nonebots_real_lines_for_a_message_are_dropped_whatever_the_patcher(
        app: App, lines: list[str], patcher: Callable[[], None]) -> None:
    # NoneBot's patcher renames its modules' records to "nonebot": the bare benchmark bot
    # (bench/bare_bot.py) runs with it, and once logged every message in full that way.
    patcher()
    bot.log_without_per_message_lines("INFO", sink=lines.append)
    try:
        event = group_event("张子涵这次倒数第一")
        async with app.test_matcher() as ctx:
            ctx.receive_event(ctx.create_bot(base=Bot, adapter=nonebot.get_adapter(Adapter), self_id="3999"), event)
        logger.info("a plugin's own line")
    finally:
        bot.hide_tokens_in_log()  # the patcher the tests started with
    text = "".join(lines)
    assert "a plugin's own line" in text
    assert "张子涵" not in text and "running complete" not in text and "will be handled" not in text



def group_event(text: str) -> GroupMessageEvent:
    """A group message in a group no class has: the charter sends nothing."""
    message = Message(text)
    return GroupMessageEvent(
        time=int(time.time()), self_id=3999, post_type="message", sub_type="normal", user_id=424242,
        message_type="group", message_id=987_654, message=message, original_message=message,
        raw_message=str(message), font=0, sender=Sender(user_id=424242, nickname="x", card="x"),
        group_id=123_456_789, to_me=False)


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
async def test_written_lines_have_tokens_masked_and_dropped_lines_are_not_searched(
        app: App, lines: list[str], level: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import adapters.wecom.redact as redact_module

    searched: list[str] = []
    real = redact_module.redact

    def counting(text: str) -> str:
        searched.append(text)
        return real(text)

    monkeypatch.setattr(redact_module, "redact", counting)
    bot.hide_tokens_in_log()
    bot.log_without_per_message_lines(level, sink=lines.append)
    try:
        async with app.test_matcher() as ctx:
            ctx.receive_event(ctx.create_bot(base=Bot, adapter=nonebot.get_adapter(Adapter), self_id="3999"),
                              group_event("access_token=typed-by-a-parent"))
        logger.info('127.0.0.1 - "WebSocket /onebot/v11/ws?access_token=s3cret-value" [accepted]')
    finally:
        monkeypatch.undo()
        bot.hide_tokens_in_log()  # the patcher the tests started with
    text = "".join(lines)
    assert "s3cret-value" not in text and "access_token=***" in text
    assert "typed-by-a-parent" not in text  # dropped at INFO, masked at DEBUG
    per_message = [line for line in searched if "typed-by-a-parent" in line]
    assert (per_message == []) if level == "INFO" else per_message

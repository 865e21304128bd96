"""`charterbot demo` end to end: the real bot, the simulated QQ client, the printed chat."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest

from plugins.charter.cli import main
from tools.demo import SCRIPT, run_demo

pytestmark = pytest.mark.e2e


def demo_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("charterbot-demo-*")}


def test_the_demo_plays_the_script_through_the_real_bot_and_cleans_up() -> None:
    before = demo_dirs()
    out = io.StringIO()
    assert run_demo(speed=0, out=out) == 0, out.getvalue()
    printed = out.getvalue()
    # every scripted line is shown as chat
    for line in SCRIPT:
        assert line.text in printed
    # the bot's actions, as a newcomer reads them
    assert "└ 机器人 撤回 学习资料分享 的消息" in printed
    assert "└ 机器人 私信 学习资料分享：" in printed and "第 1 次" in printed
    assert "└ 机器人 群公告 @学习资料分享：" in printed and "第 2 次" in printed
    assert "└ 机器人 移出 学习资料分享" in printed
    assert "└ 机器人 私信 班主任王芳：" in printed and "学生隐私" in printed
    assert "演示结束" in printed
    assert demo_dirs() <= before  # the temporary config and database are gone


def test_demo_and_replay_are_charterbot_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert "demo" in shown and "replay" in shown

"""`charterbot demo`: a scripted class-group chat played through the real bot.

The bot (bot.py) starts on a free port of 127.0.0.1 with a temporary copy of the
configuration, a demo class and a temporary SQLite database; a simulated QQ client
(adapters/qq/peer.py, speaking OneBot v11 as NapCat does) connects, plays the
chat, and prints each message and what the bot does about it: recalls, private
messages, notices that mention a member, removals. Everything is removed at the end.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from adapters.qq.peer import ApiCall, OneBotV11Peer

from .botprocess import BotProcess, make_config

GROUP = "900100"
BOT_ID = "3000"
ZONE = ZoneInfo("Asia/Shanghai")  # the demo class's time zone
DEMO_CLASS = f"""
[class]
id = "demo"
name = "三年二班（演示）"
charter = "school-full"
roster = "demo.csv"
office_contact = "家校协作办公室 0571-88880000"
leave_procedure = "请假请私信班主任，写明孩子姓名、日期和原因，不必在群里留言。"

[[groups]]
platform = "qq"
group_id = "{GROUP}"

[staff]
head_teacher = ["qq:10002"]
teachers = ["qq:10005"]
office = ["qq:10003"]

[plugins]
membership = "off"   # the demo's members join before the bot; no name checks
timing = "off"       # the demo runs at any hour

[rules."escalation.ladder"]
auto_remove = true

[rules."content.links"]
enabled = true

[rules."content.leave_requests"]
enabled = true
"""
DEMO_ROSTER = "role,name,subject\nteacher,王芳,班主任\nteacher,李强,语文\nstudent,张子涵,\nstudent,周雨桐,\nstudent,吴俊杰,\n"

NAMES = {"10002": "班主任王芳", "10005": "语文李强", "10003": "家校办", "40001": "张子涵妈妈",
         "40002": "周雨桐爸爸", "49999": "学习资料分享"}


@dataclass(frozen=True)
class Line:
    user_id: str
    text: str
    expect: int  # how many platform calls the bot makes in answer (0: none)
    note: str = ""  # said before the line, to explain what comes


SCRIPT: tuple[Line, ...] = (
    Line("10002", "各位家长好，本周五下午三点在教室开家长会，请准时参加。", 0, "老师发通知，家长回复：机器人不打扰正常交流。"),
    Line("40001", "好的王老师，我们会准时到。", 0),
    Line("49999", "加V：abc_123，领取免费学习资料", 2, "陌生账号发广告：撤回，第 1 次私信提醒。"),
    Line("49999", "大家快来看看我家孩子的画", 0, "同一句话连发三次：撤回第三条，第 2 次在群里 @提醒。"),
    Line("49999", "大家快来看看我家孩子的画", 0),
    Line("49999", "大家快来看看我家孩子的画", 2),
    Line("49999", "少儿编程免费试听，加微信 code2025 预约", 3, "第 3 次：本班设置了自动移出。"),
    Line("40002", "王老师，周雨桐明天发烧，想请假一天", 2, "家长在群里请假：私信告知请假方式，并转给班主任。"),
    Line("10005", "吴俊杰上课睡觉，作业一塌糊涂，倒数第一", 2, "老师在群里点名批评学生：撤回，私下告诉班主任，不处罚老师。"),
    Line("40001", "老师，孩子的作业本落在学校了，明天可以补交吗？", 0, "正常提问，机器人不插话。"),
)


def text_of(call: ApiCall) -> str:
    message = call.params.get("message")
    if isinstance(message, str):
        return message
    return "".join(seg["data"].get("text", "") for seg in message or [] if seg.get("type") == "text").strip()


def mentions_of(call: ApiCall) -> list[str]:
    message = call.params.get("message") or []
    return [str(seg["data"].get("qq")) for seg in message if isinstance(seg, dict) and seg.get("type") == "at"]


def describe(call: ApiCall, recalled: dict[int, str]) -> str | None:
    """A readable line for one of the bot's platform calls; None for bookkeeping calls."""
    params: dict[str, Any] = call.params
    user = str(params.get("user_id", ""))
    name = NAMES.get(user, user)
    action = call.action
    if action == "send_msg":
        action = "send_private_msg" if params.get("message_type") == "private" else "send_group_msg"
    if action == "delete_msg":
        return f"撤回 {recalled.get(int(params.get('message_id', 0)), '一条')} 的消息"
    if action == "send_private_msg":
        return f"私信 {name}：{text_of(call)}"
    if action == "send_group_msg":
        at = mentions_of(call)
        if at:
            return f"群公告 @{'、@'.join(NAMES.get(u, u) for u in at)}：{text_of(call)}"
        return f"群消息：{text_of(call)}"
    if action == "set_group_kick":
        return f"移出 {name}"
    if action in ("set_group_ban", "set_group_whole_ban"):
        return f"禁言 {name}" if user else "全群禁言"
    if action.startswith("get_"):
        return None
    return f"{action} {params}"


async def wait_calls(peer: OneBotV11Peer, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(peer.calls) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


async def play(peer: OneBotV11Peer, out: TextIO, speed: float) -> list[str]:
    """Play the script; returns the problems (steps where the bot did not do what was expected)."""
    problems: list[str] = []
    recalled: dict[int, str] = {}
    for step, line in enumerate(SCRIPT, 1):
        if line.note:
            out.write(f"\n—— {line.note}\n")
        name = NAMES[line.user_id]
        out.write(f"[{datetime.now(ZONE):%H:%M}] {name}：{line.text}\n")
        out.flush()
        mark = len(peer.calls)
        message_id = await peer.group_message(GROUP, line.user_id, name, line.text)
        recalled[message_id] = name
        await wait_calls(peer, mark + line.expect, timeout=15.0)
        await asyncio.sleep(0.4)  # anything beyond what was expected would show here
        answered = [c for c in peer.calls[mark:] if describe(c, recalled) is not None]
        for call in answered:
            out.write(f"    └ 机器人 {describe(call, recalled)}\n")
        if len(answered) != line.expect:
            problems.append(f"step {step}: expected {line.expect} action(s), saw {len(answered)}")
        out.flush()
        await asyncio.sleep(0.6 * speed)
    return problems


async def _run(bot: BotProcess, out: TextIO, speed: float) -> list[str]:
    peer = OneBotV11Peer(bot.v11_url, self_id=BOT_ID, access_token=bot.access_token)
    await peer.connect()
    try:
        await asyncio.sleep(0.3)  # the bot registers the connection
        out.write("模拟的 QQ 客户端已连接（机器人账号 3000，是群管理员）。群聊开始：\n")
        return await play(peer, out, speed)
    finally:
        await peer.close()


def run_demo(speed: float = 1.0, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    with tempfile.TemporaryDirectory(prefix="charterbot-demo-") as tmp:
        home = Path(tmp)
        config = make_config(home, {"demo.toml": DEMO_CLASS}, {"demo.csv": DEMO_ROSTER}, shipped_classes=False)
        bot = BotProcess(home, config, f"sqlite+aiosqlite:///{home / 'demo.db'}")
        out.write(f"启动机器人：127.0.0.1:{bot.port}，临时配置与数据库，班级「三年二班（演示）」……\n")
        out.flush()
        try:
            bot.start()
            problems = asyncio.run(_run(bot, out, speed))
        except (RuntimeError, TimeoutError, OSError) as exc:
            out.write(f"演示失败：{exc}\n")
            return 1
        finally:
            bot.stop()
        if problems:
            out.write("\n机器人的处理与脚本预期不一致：\n" + "\n".join(f"  {p}" for p in problems) + "\n")
            out.write("机器人日志（最后 40 行）：\n" + "\n".join(bot.log().splitlines()[-40:]) + "\n")
            return 1
    out.write("\n演示结束，临时文件已清理。用自己的班级试试：charterbot check，"
              "然后用聊天记录回放 charterbot replay 聊天记录.txt --class 班级编号。\n")
    return 0

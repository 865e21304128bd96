"""The timing plugin's messages: short, polite Simplified Chinese, built from values.

Times are shown on the wall clock of the datetime passed in (give them in the
class's zone), relative to `now` when a day word helps: "今天 14:05", "明天 07:00",
"昨天 22:55", otherwise "11月24日 21:30".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .asks import AskKind

EXCERPT_CHARS = 30
NAMES_SHOWN = 30  # longer lists of names end in "等 N 人"


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """One line of at most `limit` characters, "…" when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def when(moment: datetime, now: datetime) -> str:
    """"今天 14:05" / "明天 07:00" / "昨天 22:55" / "11月24日 21:30", on moment's wall clock."""
    local_now = now.astimezone(moment.tzinfo)
    days = (moment.date() - local_now.date()).days
    day = {0: "今天", 1: "明天", -1: "昨天"}.get(days, f"{moment.month}月{moment.day}日")
    return f"{day} {clock(moment)}"


def names(items: Sequence[str], shown: int = NAMES_SHOWN) -> str:
    if len(items) <= shown:
        return "、".join(items)
    return "、".join(items[:shown]) + f" 等 {len(items)} 人"


def _ask_noun(kind: AskKind | str) -> str:
    return "交办的事情" if kind == AskKind.TASK else "提出的问题"


def quiet_hours_reminder(window: str, ends_at: datetime, now: datetime) -> str:
    """Private reminder to a parent who wrote in quiet hours."""
    return (
        f"您好，{window} 是本群的休息时间，为了不打扰大家休息，"
        f"请在{when(ends_at, now)}之后再发消息。急事请直接电话联系老师，谢谢理解！"
    )


def teacher_in_class_reply(teacher: str, until: datetime | None, office_contact: str) -> str:
    """Automatic group reply when a parent mentions a teacher who is teaching."""
    lesson = f"{teacher}正在上课" + (f"（{clock(until)} 下课）" if until else "")
    contact = f"急事请联系{office_contact}" if office_contact.strip() else "急事请直接致电学校"
    return f"{lesson}，下课后会看消息。{contact}，谢谢理解！"


def sla_reminder(asker: str, kind: AskKind | str, text: str, asked_at: datetime, now: datetime) -> str:
    """Private reminder to the responsible person when the deadline has passed."""
    return (
        f"您好，{asker} {when(asked_at, now)}在群里{_ask_noun(kind)}还没有得到回复："
        f"“{excerpt(text)}”。请抽空在群里回复，谢谢！"
    )


def sla_escalation(
    responsible: str, asker: str, kind: AskKind | str, text: str, asked_at: datetime, now: datetime, group: str
) -> str:
    """Note to the next level of the chain when the reminder did not help."""
    where = f"「{group}」中，" if group else ""
    return (
        f"您好，{where}{asker} {when(asked_at, now)}向{responsible}{_ask_noun(kind)}"
        f"已提醒过本人，仍未回复：“{excerpt(text)}”。请协助跟进，谢谢！"
    )


def receipt_reminder(student: str, teacher: str, text: str, posted_at: datetime, now: datetime) -> str:
    """Private reminder to the guardian of a student whose receipt is missing."""
    return (
        f"您好，{teacher} {when(posted_at, now)}在群里发布的通知需要回复："
        f"“{excerpt(text)}”。{student}的家长还没有回复，请看到后在群里回复“收到”，谢谢！"
    )


def receipt_status(text: str, acknowledged: int, total: int, missing: Sequence[str], unmatched: int = 0) -> str:
    """Answer to `/notice status`: counts, then who has not acknowledged."""
    head = f"通知回执 {acknowledged}/{total}：“{excerpt(text)}”"
    body = f"未回复：{names(missing)}" if missing else "已全部回复。"
    tail = f"\n另有 {unmatched} 条回复未能对应到学生。" if unmatched else ""
    return f"{head}\n{body}{tail}"


def receipt_started(total: int, remind_at: datetime | None, now: datetime) -> str:
    """Confirmation to the teacher that replies to the notice are being tracked."""
    reminder = f"，{when(remind_at, now)}提醒未回复的家长" if remind_at else ""
    return f"已开始统计回执（共 {total} 人）{reminder}。发送 /notice status 查看未回复名单。"


def receipt_unreachable(text: str, missing: Sequence[str]) -> str:
    """To the notice's author: names still missing whose guardians are not in the group."""
    return (
        f"通知“{excerpt(text)}”仍未回复，且群里找不到以下学生的家长（请核对群名片或电话联系）："
        f"{names(missing)}"
    )


def receipt_complete(text: str, total: int) -> str:
    return f"通知“{excerpt(text)}”已全部回复（{total}/{total}）。"


def notice_post(text: str) -> str:
    """A notice posted with /notice: the teacher's text, then how to acknowledge it."""
    return f"【通知】{text.strip()}\n请看到后在群里回复“收到”，谢谢！"


def notice_usage() -> str:
    return "用法：/notice 通知内容（发布通知并统计回执）；/notice status 查看未回复名单。"


def no_notice() -> str:
    return "本群还没有需要回执的通知。发送 /notice 通知内容 即可发布并统计回执。"


def receipt_report(text: str, acknowledged: int, total: int, missing: Sequence[str], posted_at: datetime,
                   now: datetime) -> str:
    """To the notice's author and the head teacher: who has not acknowledged, to follow up
    in writing or by phone (for charters that do not let the bot remind parents)."""
    return (
        f"{when(posted_at, now)}发布的通知“{excerpt(text)}”已回复 {acknowledged}/{total}，"
        f"未回复：{names(missing)}。请私下或电话提醒，谢谢！"
    )

"""The timing plugin's messages: short, polite, with the right values."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from plugins.timing import texts
from plugins.timing.asks import AskKind

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 22, 0, tzinfo=SH)


def test_when():
    assert texts.when(datetime(2026, 11, 24, 14, 5, tzinfo=SH), NOW) == "今天 14:05"
    assert texts.when(datetime(2026, 11, 25, 7, 0, tzinfo=SH), NOW) == "明天 07:00"
    assert texts.when(datetime(2026, 11, 23, 22, 55, tzinfo=SH), NOW) == "昨天 22:55"
    assert texts.when(datetime(2026, 11, 20, 21, 30, tzinfo=SH), NOW) == "11月20日 21:30"
    # now in UTC is read on the moment's wall clock: 14:00 UTC is 22:00 in Shanghai
    assert texts.when(datetime(2026, 11, 25, 7, 0, tzinfo=SH), NOW.astimezone(ZoneInfo("UTC"))) == "明天 07:00"


def test_excerpt():
    assert texts.excerpt("  明天\n秋游  ") == "明天 秋游"
    long = "一" * 50
    assert texts.excerpt(long) == "一" * 29 + "…" and len(texts.excerpt(long)) == texts.EXCERPT_CHARS


def test_quiet_hours_reminder():
    text = texts.quiet_hours_reminder("21:30-07:00", datetime(2026, 11, 25, 7, 0, tzinfo=SH), NOW)
    assert text.startswith("您好") and "21:30-07:00" in text and "明天 07:00" in text and "谢谢" in text


def test_teacher_in_class_reply():
    text = texts.teacher_in_class_reply("李老师", datetime(2026, 11, 24, 8, 40, tzinfo=SH), "家校协作办公室 0571-88880000")
    assert "李老师正在上课（08:40 下课）" in text and "家校协作办公室 0571-88880000" in text
    assert "急事请直接致电学校" in texts.teacher_in_class_reply("李老师", None, "")


def test_sla_texts():
    asked = datetime(2026, 11, 24, 21, 40, tzinfo=SH)
    reminder = texts.sla_reminder("张子涵妈妈", AskKind.QUESTION, "请问明天几点到校？", asked, NOW)
    assert "张子涵妈妈 今天 21:40" in reminder and "提出的问题" in reminder and "请问明天几点到校？" in reminder
    note = texts.sla_escalation("王老师", "张子涵妈妈", AskKind.TASK, "请把表发我", asked, NOW, "三年二班")
    assert "「三年二班」" in note and "王老师交办的事情" in note and "请协助跟进" in note


def test_receipt_texts():
    posted = datetime(2026, 11, 24, 16, 0, tzinfo=SH)
    reminder = texts.receipt_reminder("周雨桐", "王老师", "明天秋游，收到请回复", posted, NOW)
    assert "王老师 今天 16:00" in reminder and "周雨桐的家长还没有回复" in reminder and "“收到”" in reminder
    many = [f"学生{i}" for i in range(40)]
    assert texts.names(many).endswith("等 40 人")
    status = texts.receipt_status("明天秋游", 2, 40, many[2:])
    assert status.startswith("通知回执 2/40") and "等 38 人" in status
    assert "共 40 人" in texts.receipt_started(40, datetime(2026, 11, 24, 18, 0, tzinfo=SH), posted)
    assert "40/40" in texts.receipt_complete("明天秋游", 40)
    assert "吴俊杰" in texts.receipt_unreachable("明天秋游", ["吴俊杰"])

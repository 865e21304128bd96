"""Notice receipts: matching by student name, 接龙 chains, status, reminders, JSON."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.charter.catalogue import NoticeReceiptsSettings
from plugins.charter.model import Account, ActionKind, GroupRef
from plugins.charter.roster import parse_roster_text
from plugins.timing.receipts import (
    ReceiptList,
    expected_from_roster,
    guardians_of,
    is_acknowledgement,
    is_receipt_request,
    match_names,
    reminder_step,
)
from plugins.timing.timers import RECEIPT_REMIND, TimerSpec

SH = ZoneInfo("Asia/Shanghai")
GROUP = GroupRef("qq", "900001")
TEACHER = Account("qq", "10002")
ROSTER = parse_roster_text(
    "role,name,subject\nteacher,王芳,班主任\n"
    + "".join(f"student,{name},\n" for name in ["张子涵", "周雨桐", "吴俊杰", "李思", "李思远", "欧阳子轩"])
)
SETTINGS = NoticeReceiptsSettings.model_validate(
    {"enabled": True, "action": ["remind"], "markers": ["请回复", "需回复", "请接龙", "收到请回复"],
     "remind_after_minutes": 120, "close_after_hours": 72}
)
NOTICE = "明天秋游，请带水壶和帽子，收到请回复"


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def new_list(at: datetime = sh(2026, 11, 24, 16, 0)) -> ReceiptList:
    return ReceiptList.start("n1", GROUP, TEACHER, "王老师", NOTICE, expected_from_roster(ROSTER), at, SETTINGS)


def test_markers():
    assert is_receipt_request(NOTICE, SETTINGS.markers)
    assert is_receipt_request("本周五家长会，需回复是否参加", SETTINGS.markers)
    assert is_receipt_request("请接龙：明天带水彩笔", SETTINGS.markers)
    assert not is_receipt_request("明天秋游，请带水壶和帽子", SETTINGS.markers)


def test_the_default_markers_know_the_ways_teachers_ask_for_a_reply():
    defaults = Path(__file__).resolve().parents[2] / "config" / "charters" / "defaults" / "timing.toml"
    markers = tomllib.loads(defaults.read_text(encoding="utf-8"))["rules"]["timing.notice_receipts"]["markers"]
    for notice in ("明天带水彩笔，收到的家长回个1", "周五家长会，收到请扣1", "体检表已发，请回复1确认",
                   "明天降温，请给孩子加衣服，收到请回复"):
        assert is_receipt_request(notice, markers), notice
    for notice in ("春游路程来回1小时，请提前吃早饭", "值日不认真的扣1分，请家长督促", "明天秋游，请带水壶和帽子"):
        assert not is_receipt_request(notice, markers), notice


def test_expected_is_one_per_student():
    assert new_list().expected == ["张子涵", "周雨桐", "吴俊杰", "李思", "李思远", "欧阳子轩"]
    staff_only = parse_roster_text("role,name,subject\nstaff,刘洋,\nstaff,陈晨,\n")
    assert expected_from_roster(staff_only) == ["刘洋", "陈晨"]


def test_match_names_longest_first_and_given_names():
    names = expected_from_roster(ROSTER)
    assert match_names("李思远妈妈", names) == ["李思远"]
    assert match_names("李思爸爸", names) == ["李思"]
    assert match_names("张子涵周雨桐妈妈", names) == ["张子涵", "周雨桐"]
    assert match_names("子涵妈妈", names) == ["张子涵"]  # given name, unique
    assert match_names("子轩妈妈", names) == ["欧阳子轩"]
    assert match_names("子涵妈妈", names, given_names=False) == []
    assert match_names("思远妈妈", names) == ["李思远"]
    assert match_names("Lucy", names) == []
    clash = ["张子涵", "李子涵"]
    assert match_names("子涵妈妈", clash) == []  # ambiguous given name


def test_acknowledgements_by_display_name():
    receipts = new_list()
    at = sh(2026, 11, 24, 16, 5)
    assert receipts.acknowledge("张子涵妈妈", "qq:1", "收到", at) == ["张子涵"]
    assert receipts.acknowledge("张子涵爸爸", "qq:2", "收到，谢谢老师", at) == []  # already counted
    assert receipts.acknowledge("雨桐妈妈", "qq:3", "好的", at) == ["周雨桐"]
    assert receipts.acknowledge("李思远妈妈", "qq:4", "已阅", at) == ["李思远"]
    assert receipts.missing() == ["吴俊杰", "李思", "欧阳子轩"]
    assert receipts.acknowledged() == ["张子涵", "周雨桐", "李思远"]


def test_questions_are_not_receipts_unless_quoting_the_notice():
    receipts = new_list()
    at = sh(2026, 11, 24, 16, 5)
    assert receipts.acknowledge("吴俊杰妈妈", "qq:5", "请问几点出发？", at) == []
    assert receipts.acknowledge("吴俊杰妈妈", "qq:5", "请问几点出发？", at, replying_to_notice=True) == ["吴俊杰"]


def test_name_in_the_reply_text_when_the_display_name_is_not_a_name():
    receipts = new_list()
    assert receipts.acknowledge("Lucy", "qq:6", "李思妈妈收到", sh(2026, 11, 24, 16, 6)) == ["李思"]
    assert receipts.acknowledge("Tom", "qq:7", "收到", sh(2026, 11, 24, 16, 6)) == []
    assert len(receipts.unmatched) == 1
    assert "另有 1 条回复" in receipts.status_text()


def test_chain_replies_count_every_line():
    receipts = new_list()
    chain = (
        "#接龙\n明天秋游，请带水壶和帽子，收到请回复\n\n"
        "1. 张子涵妈妈 收到\n2、周雨桐爸爸 收到\n3. 子轩妈妈 明白"
    )
    assert receipts.acknowledge("周雨桐爸爸", "qq:8", chain, sh(2026, 11, 24, 16, 7)) == ["张子涵", "周雨桐", "欧阳子轩"]
    later = chain + "\n4. 李思远妈妈 收到"
    assert receipts.acknowledge("李思远妈妈", "qq:9", later, sh(2026, 11, 24, 16, 8)) == ["李思远"]
    assert receipts.missing() == ["吴俊杰", "李思"]


def test_replies_before_the_notice_do_not_count():
    receipts = new_list()
    assert receipts.acknowledge("张子涵妈妈", "qq:1", "收到", sh(2026, 11, 24, 15, 59)) == []


def test_status_text():
    receipts = new_list()
    receipts.acknowledge("张子涵妈妈", "qq:1", "收到", sh(2026, 11, 24, 16, 5))
    text = receipts.status_text()
    assert text.startswith("通知回执 1/6：")
    assert "未回复：周雨桐、吴俊杰、李思、李思远、欧阳子轩" in text
    for name in ["周雨桐", "吴俊杰", "李思", "李思远", "欧阳子轩"]:
        receipts.acknowledge(f"{name}妈妈", "qq:x", "收到", sh(2026, 11, 24, 16, 10))
    assert receipts.complete
    assert "已全部回复" in receipts.status_text()
    assert not receipts.is_open(sh(2026, 11, 24, 16, 11))


def test_closing_time():
    receipts = new_list()
    assert receipts.is_open(sh(2026, 11, 27, 15, 59))
    assert not receipts.is_open(sh(2026, 11, 27, 16, 0))


def test_json_round_trip():
    receipts = new_list()
    receipts.acknowledge("张子涵妈妈", "qq:1", "收到", sh(2026, 11, 24, 16, 5))
    receipts.acknowledge("Tom", "qq:7", "收到", sh(2026, 11, 24, 16, 6))
    restored = ReceiptList.from_dict(json.loads(json.dumps(receipts.to_dict())))
    assert restored == receipts
    assert restored.missing() == receipts.missing()


def test_guardians_of_missing_students():
    members = [
        (Account("qq", "1"), "张子涵妈妈"),
        (Account("qq", "2"), "张子涵爸爸"),
        (Account("qq", "3"), "李思远妈妈"),
        (Account("qq", "4"), "数学陈静"),
    ]
    found = guardians_of(["张子涵", "李思", "吴俊杰"], members, expected_from_roster(ROSTER))
    assert found == {"张子涵": [Account("qq", "1"), Account("qq", "2")], "李思": [], "吴俊杰": []}


def test_reminder_step_reminds_guardians_and_tells_the_teacher_about_the_rest():
    receipts = new_list()
    receipts.acknowledge("张子涵妈妈", "qq:1", "收到", sh(2026, 11, 24, 16, 5))
    timer = receipts.reminder_timer(SH, ["21:30-07:00"])
    assert timer.kind == RECEIPT_REMIND and timer.due_at == sh(2026, 11, 24, 18, 0).astimezone(UTC)
    timer = TimerSpec.from_dict(json.loads(json.dumps(timer.to_dict())))

    guardians = {"周雨桐": [Account("qq", "20")], "李思远": [Account("qq", "30"), Account("qq", "31")]}
    assert reminder_step(timer, receipts, sh(2026, 11, 24, 17, 0), guardians) == ([], timer)
    actions, following = reminder_step(timer, receipts, sh(2026, 11, 24, 18, 0), guardians)
    assert following is None and receipts.reminded
    private = [a for a in actions if a.kind == ActionKind.REMIND_PRIVATE]
    assert [a.target.user_id for a in private] == ["20", "30", "31"]
    assert "周雨桐的家长还没有回复" in private[0].text and "王老师" in private[0].text
    (note,) = [a for a in actions if a.kind == ActionKind.NOTIFY_STAFF]
    assert note.target == TEACHER and "吴俊杰、李思、欧阳子轩" in note.text
    # fires once only
    assert reminder_step(timer, receipts, sh(2026, 11, 24, 18, 1), guardians) == ([], None)


def test_reminder_is_moved_out_of_quiet_hours():
    receipts = new_list(sh(2026, 11, 24, 20, 0))  # due 22:00, inside 21:30-07:00
    timer = receipts.reminder_timer(SH, ["21:30-07:00"])
    assert timer.due_at == sh(2026, 11, 25, 7, 0).astimezone(UTC)
    # a runner that fires it in quiet hours anyway gets it moved
    early = TimerSpec(timer.kind, timer.key, sh(2026, 11, 24, 22, 0), timer.payload, timer.scope)
    actions, following = reminder_step(early, receipts, sh(2026, 11, 24, 23, 0), {})
    assert actions == [] and following is not None and following.due_at == sh(2026, 11, 25, 7, 0).astimezone(UTC)


def test_no_reminder_for_a_complete_or_closed_list():
    receipts = new_list()
    timer = receipts.reminder_timer(SH)
    assert reminder_step(timer, receipts, receipts.closes_at + timedelta(minutes=1), {}) == ([], None)


def test_is_acknowledgement():
    for text in ["收到", "已阅", "好的老师", "知道了", "1", "好", "OK", "收到，谢谢老师"]:
        assert is_acknowledgement(text), text
    for text in ["请问几点出发？", "孩子今天请假", "明天下雨吗"]:
        assert not is_acknowledgement(text), text

"""Flood, ack replies and chit-chat: fed in message order, time passed in."""

from __future__ import annotations

from datetime import datetime

from plugins.charter.model import Role, Severity
from plugins.charter.model import Role as _Role
from plugins.content.detectors.base import DetectContext
from plugins.content.detectors.conversation import ConversationTracker
from plugins.content.engine import ContentEngine
from plugins.charter.normalize import normalize
from test_content_support import all_settings, message, settings


def _engine(*rules: str, **overrides) -> ContentEngine:
    chosen = {rid: s for rid, s in all_settings(**overrides).items() if rid in rules}
    return ContentEngine(chosen, roster_names=("张子涵", "李思远"))


def _feed(engine: ContentEngine, items) -> list[list]:
    out = []
    for i, (user, role, text, minutes) in enumerate(items):
        hits = engine.check(message(text, user=user, role=role, minutes=minutes, mid=str(i)))
        out.append([h.kind for h in hits])
    return out


def test_flood_by_one_member_strikes_each_repeat_from_the_third() -> None:
    engine = _engine("content.flood")
    got = _feed(engine, [("1", "parent", "快来看", i) for i in range(5)])
    assert got == [[], [], ["flood.single"], ["flood.single"], ["flood.single"]]


def test_flood_is_after_normalisation() -> None:
    engine = _engine("content.flood")
    got = _feed(engine, [("1", "parent", t, 0) for t in ("快来看", "快 来 看！", "快來看")])
    assert got[-1] == ["flood.single"]


def test_chain_by_several_members_reminds_once_and_strikes_nobody() -> None:
    engine = _engine("content.flood")
    items = [(str(u), "parent", "生日快乐", 0) for u in range(6)]
    got = _feed(engine, items)
    assert got == [[], [], ["flood.chain"], [], [], []]
    hit = engine.check(message("生日快乐", user="9"))
    assert hit == []


PARENT = DetectContext(role=_Role.PARENT)


def test_chain_severity_is_info() -> None:
    tracker = ConversationTracker(settings("content.flood"))
    hits = []
    for u in "abc":
        hits += tracker.feed("g", u, normalize("加油"), PARENT, datetime(2024, 9, 2, 8))
    assert hits and hits[0].severity is Severity.INFO


def test_different_text_or_empty_breaks_the_run_and_groups_are_separate() -> None:
    engine = _engine("content.flood")
    got = _feed(engine, [("1", "parent", "a1", 0), ("1", "parent", "a1", 0), ("1", "parent", "b", 0),
                         ("1", "parent", "a1", 0), ("1", "parent", "", 0), ("1", "parent", "a1", 0)])
    assert all(h == [] for h in got)
    engine.check(message("x", group="g1"))
    engine.check(message("x", group="g2"))
    assert engine.check(message("x", group="g1")) == []


def test_stateful_memory_is_bounded_and_keeps_the_active_groups() -> None:
    tracker = ConversationTracker(settings("content.flood"), settings("content.ack_replies"),
                                  settings("content.chitchat"), max_groups=10)
    now = datetime(2024, 9, 2, 8)
    for g in range(1000):
        tracker.feed(str(g), "u", normalize("hi"), PARENT, now)
        tracker.feed("busy", "u", normalize("快来看"), PARENT, now)
    assert len(tracker._groups) == 10 and "busy" in tracker._groups
    # the busy group's run survived 1,000 other groups: it floods
    assert [h.kind for h in tracker.feed("busy", "u", normalize("快来看"), PARENT, now)] == ["flood.single"]


def test_ack_reply_to_a_notice_that_did_not_ask() -> None:
    engine = _engine("content.ack_replies")
    got = _feed(engine, [
        ("t", "teacher", "明天上午学校进行视力检查，请家长知悉。", 0),
        ("1", "parent", "收到", 1),
        ("1", "parent", "收到，谢谢老师", 2),  # the same member is reminded once
        ("2", "parent", "好的老师👌", 3),
        ("3", "parent", "请问需要带什么吗？", 4),  # a question is not an ack
        ("4", "parent", "收到", 500),  # outside the window
    ])
    assert got == [[], ["ack"], [], ["ack"], [], []]


def test_ack_reply_to_a_notice_that_asked_is_fine_and_no_chain_reminder() -> None:
    engine = _engine("content.ack_replies", "content.flood")
    got = _feed(engine, [("t", "teacher", "周五家长会，请家长准时参加，收到请回复。", 0)]
                + [(str(u), "parent", "收到", 1) for u in range(5)])
    assert all(h == [] for h in got)


def test_a_chain_of_1_to_a_notice_that_asked_for_it_is_no_flood() -> None:
    # the template's reply markers know 回个1 and 扣1 as ways of asking
    engine = _engine("content.ack_replies", "content.flood")
    got = _feed(engine, [("t", "teacher", "明天带水彩笔和调色盘，收到的家长回个1", 0)]
                + [(str(u), "parent", "1", 1) for u in range(5)])
    assert all(h == [] for h in got)
    engine = _engine("content.ack_replies", "content.flood")
    got = _feed(engine, [("t", "teacher", "明天带水彩笔和调色盘，请家长提醒孩子", 0)]
                + [(str(u), "parent", "1", 1) for u in range(5)])
    assert ["flood.chain"] in got


def test_with_ack_replies_off_the_chain_a_notice_asked_for_is_still_no_flood() -> None:
    # school-full enables flood alone: the teacher's 收到请回复 must not earn the
    # parents who answer it a reminder about flooding
    rules = all_settings(**{"content.flood": {"enabled": True}, "content.ack_replies": {"enabled": False}})
    engine = ContentEngine({r: s for r, s in rules.items() if r in ("content.flood", "content.ack_replies")})
    asked = _feed(engine, [("t", "teacher", "明天上午九点在校门口集合春游，请带好水和午餐，收到请回复", 0)]
                  + [(str(u), "parent", "收到", 1) for u in range(5)])
    assert all(h == [] for h in asked)
    engine = ContentEngine({r: s for r, s in rules.items() if r in ("content.flood", "content.ack_replies")})
    not_asked = _feed(engine, [("t", "teacher", "明天上午九点在校门口集合春游，请带好水和午餐", 0)]
                      + [(str(u), "parent", "收到", 1) for u in range(5)])
    assert ["flood.chain"] in not_asked and not any("ack" in h for h in not_asked)


def test_ack_with_the_childs_name() -> None:
    engine = _engine("content.ack_replies")
    got = _feed(engine, [("t", "teacher", "明天上午学校进行视力检查，请家长知悉。", 0),
                         ("1", "parent", "收到 张子涵妈妈", 1)])
    assert got[-1] == ["ack"]


def test_chitchat_run_reminds_once_per_run() -> None:
    engine = _engine("content.chitchat", **{"content.chitchat": {"run_length": 4, "window_minutes": 10}})
    chat = ["今天天气真好", "是啊，出去玩吗", "去公园吧", "我带零食", "几点走", "十点"]
    got = _feed(engine, [(str(i % 2), "parent", t, i) for i, t in enumerate(chat)])
    assert got == [[], [], [], ["chitchat"], [], []]


def test_a_long_spell_of_chat_is_reminded_once_per_window() -> None:
    engine = _engine("content.chitchat", **{"content.chitchat": {"run_length": 4, "window_minutes": 10}})
    spell = [(str(i % 3), "parent", f"闲聊第{i}句", i * 0.5) for i in range(16)]  # 16 lines in 8 minutes
    later = [(str(i % 2), "parent", f"又聊起来了{i}", 20 + i) for i in range(4)]  # a new spell, 20 minutes on
    got = _feed(engine, spell + later)
    assert [i for i, hits in enumerate(got) if hits == ["chitchat"]] == [3, 19]


def test_chitchat_needs_two_people_and_resets_on_staff_and_window() -> None:
    engine = _engine("content.chitchat", **{"content.chitchat": {"run_length": 3, "window_minutes": 10}})
    assert all(h == [] for h in _feed(engine, [("1", "parent", f"消息{i}", i) for i in range(5)]))
    got = _feed(engine, [("t", "teacher", "开始", 0), ("1", "parent", "甲", 0), ("2", "parent", "乙", 1),
                         ("t", "teacher", "请大家不要闲聊", 2), ("1", "parent", "丙", 3),
                         ("2", "parent", "丁", 30), ("1", "parent", "戊", 60)])
    assert all(h == [] for h in got)


def test_engine_runs_only_enabled_rules_and_role_override() -> None:
    engine = _engine("content.links")
    assert engine.check(message("看 www.abc.com")) != []
    assert engine.check(message("看 www.abc.com"), role=Role.TEACHER) == []
    assert engine.check(message("傻逼")) == []  # abuse not enabled here
    off = ContentEngine({"content.abuse": settings("content.abuse", enabled=False)})
    assert off.check(message("傻逼")) == []


def test_engine_own_child_from_display_name() -> None:
    engine = _engine("content.student_privacy")
    assert engine.check(message("张子涵这次没及格", name="张子涵妈妈")) == []
    assert engine.check(message("张子涵这次没及格", name="李思远妈妈")) != []


def test_engine_confidential_terms_from_settings() -> None:
    engine = _engine("content.confidential", **{"content.confidential": {"terms": ["蓝鲸项目"]}})
    hits = engine.check(message("蓝鲸项目延期"))
    assert [h.rule_id for h in hits] == ["content.confidential"]


def test_a_group_record_holds_reminders_and_chat_only_once_needed() -> None:
    """Records are created lazily (10,000 groups' memory): a group with only notices and
    questions holds no set of reminded members, and a new notice forgets the reminders
    of the last one, so a member is reminded again for it."""
    tracker = ConversationTracker(None, settings("content.ack_replies"), settings("content.chitchat"))
    teacher = DetectContext(role=_Role.TEACHER)
    t0 = datetime(2024, 9, 2, 8)
    notice = normalize("明天上午学校进行视力检查，请家长知悉。")
    tracker.feed("g", "t", notice, teacher, t0)
    rec = tracker._groups["g"]
    assert rec.reminded is None and rec.chat is None
    kinds = [h.kind for h in tracker.feed("g", "1", normalize("收到"), PARENT, t0)]
    assert kinds == ["ack"] and rec.reminded == {"1"}
    assert tracker.feed("g", "1", normalize("收到"), PARENT, t0) == []  # reminded once
    tracker.feed("g", "t", normalize("周三下午体检，请穿运动服，家长们知悉一下。"), teacher, t0)
    assert rec.reminded is None
    assert [h.kind for h in tracker.feed("g", "1", normalize("收到"), PARENT, t0)] == ["ack"]


def test_one_member_chatting_alone_keeps_a_bounded_run_and_a_second_member_completes_it() -> None:
    tracker = ConversationTracker(None, None, settings("content.chitchat", run_length=3, window_minutes=10))
    t0 = datetime(2024, 9, 2, 8)
    for i in range(50):
        assert tracker.feed("g", "1", normalize(f"今天天气{i}"), PARENT, t0) == []
    assert len(tracker._groups["g"].chat) == 2 * 3  # time and sender of the last three
    assert [h.kind for h in tracker.feed("g", "2", normalize("是啊"), PARENT, t0)] == ["chitchat"]
    # the run is over; messages older than the window fall out of the next one
    tracker.feed("g", "1", normalize("甲"), PARENT, t0)
    tracker.feed("g", "2", normalize("乙"), PARENT, t0)
    later = t0.replace(minute=30)
    assert tracker.feed("g", "1", normalize("丙"), PARENT, later) == []
    assert tracker._groups["g"].chat == [later, "1"]

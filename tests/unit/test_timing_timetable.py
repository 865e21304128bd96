"""Who is teaching now, from the class timetable."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from plugins.charter.config import TimetableEntry
from plugins.timing.timetable import current_lessons, lesson_end, teachers_in_class, teaching_entry

SH = ZoneInfo("Asia/Shanghai")
# 2026-11-23 is a Monday
TIMETABLE = [
    TimetableEntry(weekday=1, time="08:00-08:40", teacher="qq:10005"),
    TimetableEntry(weekday=1, time="08:50-09:30", teacher="李强"),
    TimetableEntry(weekday=1, time="09:30-10:10", teacher="李强"),
    TimetableEntry(weekday=1, time="08:00-08:40", teacher="陈静"),
    TimetableEntry(weekday=3, time="14:00-14:40", teacher="qq:10005"),
]


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def test_teachers_in_class_now():
    assert teachers_in_class(sh(2026, 11, 23, 8, 15), TIMETABLE, SH) == {"qq:10005", "陈静"}
    assert teachers_in_class(sh(2026, 11, 23, 8, 45), TIMETABLE, SH) == set()  # break
    assert teachers_in_class(sh(2026, 11, 23, 9, 0), TIMETABLE, SH) == {"李强"}


def test_lesson_boundaries():
    assert teachers_in_class(sh(2026, 11, 23, 7, 59, 59), TIMETABLE, SH) == set()
    assert "qq:10005" in teachers_in_class(sh(2026, 11, 23, 8, 0), TIMETABLE, SH)
    assert "qq:10005" in teachers_in_class(sh(2026, 11, 23, 8, 39, 59), TIMETABLE, SH)
    assert "qq:10005" not in teachers_in_class(sh(2026, 11, 23, 8, 40), TIMETABLE, SH)


def test_weekday_is_read_in_the_class_zone():
    # Tuesday 00:15 UTC is Tuesday 08:15 in Shanghai: no Tuesday lessons
    assert teachers_in_class(datetime(2026, 11, 24, 0, 15, tzinfo=UTC), TIMETABLE, SH) == set()
    # Monday 00:15 UTC is Monday 08:15 in Shanghai
    assert teachers_in_class(datetime(2026, 11, 23, 0, 15, tzinfo=UTC), TIMETABLE, SH) == {"qq:10005", "陈静"}
    # Wednesday 14:20 Shanghai
    assert teachers_in_class(sh(2026, 11, 25, 14, 20), TIMETABLE, SH) == {"qq:10005"}
    assert teachers_in_class(sh(2026, 11, 24, 14, 20), TIMETABLE, SH) == set()


def test_teaching_entry_matches_account_or_roster_name():
    entry = teaching_entry(sh(2026, 11, 23, 9, 0), TIMETABLE, SH, {"qq:10009", "李强"})
    assert entry is not None and entry.time == "08:50-09:30"
    assert teaching_entry(sh(2026, 11, 23, 9, 0), TIMETABLE, SH, {"qq:10005"}) is None
    assert teaching_entry(sh(2026, 11, 23, 8, 10), TIMETABLE, SH, {"qq:10005", ""}) is not None
    assert len(current_lessons(sh(2026, 11, 23, 8, 10), TIMETABLE, SH)) == 2


def test_lesson_end_runs_through_back_to_back_lessons():
    assert lesson_end(sh(2026, 11, 23, 9, 0), TIMETABLE, SH, {"李强"}) == sh(2026, 11, 23, 10, 10)
    assert lesson_end(sh(2026, 11, 23, 8, 5), TIMETABLE, SH, {"qq:10005"}) == sh(2026, 11, 23, 8, 40)
    assert lesson_end(sh(2026, 11, 23, 8, 45), TIMETABLE, SH, {"qq:10005"}) is None
    end = lesson_end(datetime(2026, 11, 23, 1, 0, tzinfo=UTC), TIMETABLE, SH, {"李强"})
    assert end == sh(2026, 11, 23, 10, 10) and end.tzinfo == SH


def test_empty_timetable():
    assert teachers_in_class(sh(2026, 11, 23, 9, 0), [], SH) == set()
    assert lesson_end(sh(2026, 11, 23, 9, 0), [], SH, {"李强"}) is None

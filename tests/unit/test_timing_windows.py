"""Quiet/allowed windows: crossing midnight, boundaries, zones, DST, allowed-hours deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from plugins.timing.windows import (
    add_allowed_minutes,
    add_allowed_time,
    allowed_minutes_between,
    allowed_time_between,
    in_quiet_hours,
    is_within,
    next_allowed_moment,
    next_window,
    next_window_end,
    resolve_local,
)

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")
KINDERGARTEN = ["13:00-14:30", "21:30-07:00"]
WORK_QUIET = ["23:00-06:00"]
WORK_ALLOWED = ["06:00-23:00"]


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# --- in_quiet_hours ---------------------------------------------------------------


def test_kindergarten_night_window_crosses_midnight():
    before_midnight = in_quiet_hours(sh(2026, 11, 24, 22, 0), KINDERGARTEN, SH)
    after_midnight = in_quiet_hours(sh(2026, 11, 25, 3, 0), KINDERGARTEN, SH)
    assert before_midnight is not None and after_midnight is not None
    assert before_midnight == after_midnight
    assert before_midnight.start == sh(2026, 11, 24, 21, 30)
    assert before_midnight.end == sh(2026, 11, 25, 7, 0)
    assert before_midnight.key == "2026-11-24T21:30"
    assert before_midnight.label == "21:30-07:00"
    assert before_midnight.duration == timedelta(hours=9, minutes=30)


def test_kindergarten_nap_window():
    window = in_quiet_hours(sh(2026, 11, 24, 13, 45), KINDERGARTEN, SH)
    assert window is not None
    assert (window.start, window.end) == (sh(2026, 11, 24, 13, 0), sh(2026, 11, 24, 14, 30))
    assert window.key == "2026-11-24T13:00"
    assert window.label == "13:00-14:30"


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (sh(2026, 11, 24, 12, 59, 59), False),
        (sh(2026, 11, 24, 13, 0), True),  # exactly at start: quiet
        (sh(2026, 11, 24, 14, 29, 59), True),
        (sh(2026, 11, 24, 14, 30), False),  # exactly at end: allowed
        (sh(2026, 11, 24, 21, 29, 59), False),
        (sh(2026, 11, 24, 21, 30), True),
        (sh(2026, 11, 24, 23, 59, 59), True),
        (sh(2026, 11, 25, 0, 0), True),
        (sh(2026, 11, 25, 6, 59, 59), True),
        (sh(2026, 11, 25, 7, 0), False),
        (sh(2026, 11, 25, 10, 0), False),
    ],
)
def test_kindergarten_boundaries(moment: datetime, quiet: bool):
    assert (in_quiet_hours(moment, KINDERGARTEN, SH) is not None) is quiet
    assert is_within(moment, KINDERGARTEN, SH) is quiet


def test_early_morning_belongs_to_the_instance_that_started_the_day_before():
    window = in_quiet_hours(sh(2026, 11, 25, 0, 30), KINDERGARTEN, SH)
    assert window is not None and window.key == "2026-11-24T21:30"
    assert window.contains(sh(2026, 11, 25, 0, 30))
    assert not window.contains(sh(2026, 11, 25, 7, 0))


def test_keys_differ_between_nights_and_between_windows():
    keys = {
        in_quiet_hours(sh(2026, 11, 24, 22, 0), KINDERGARTEN, SH).key,
        in_quiet_hours(sh(2026, 11, 25, 22, 0), KINDERGARTEN, SH).key,
        in_quiet_hours(sh(2026, 11, 25, 13, 0), KINDERGARTEN, SH).key,
    }
    assert keys == {"2026-11-24T21:30", "2026-11-25T21:30", "2026-11-25T13:00"}


def test_work_team_quiet_hours():
    assert in_quiet_hours(sh(2026, 11, 24, 22, 59), WORK_QUIET, SH) is None
    window = in_quiet_hours(sh(2026, 11, 24, 23, 0), WORK_QUIET, SH)
    assert window is not None and window.end == sh(2026, 11, 25, 6, 0)
    assert in_quiet_hours(sh(2026, 11, 25, 6, 0), WORK_QUIET, SH) is None


def test_utc_input_is_read_in_the_class_zone():
    # 14:00 UTC is 22:00 in Shanghai: quiet; the answer is in Shanghai time
    window = in_quiet_hours(datetime(2026, 11, 24, 14, 0, tzinfo=UTC), KINDERGARTEN, SH)
    assert window is not None
    assert window.start.tzinfo == SH
    assert window.key == "2026-11-24T21:30"
    # 02:00 UTC is 10:00 in Shanghai: not quiet, although 02:00 would be in UTC
    assert in_quiet_hours(datetime(2026, 11, 25, 2, 0, tzinfo=UTC), KINDERGARTEN, SH) is None
    # 23:00 UTC on the 24th is 07:00 on the 25th in Shanghai: the end, not quiet
    assert in_quiet_hours(datetime(2026, 11, 24, 23, 0, tzinfo=UTC), KINDERGARTEN, SH) is None


def test_same_instant_in_other_zones_gives_the_same_answer():
    instant = sh(2026, 11, 24, 21, 45)
    for zone in (UTC, NY, ZoneInfo("Europe/Berlin")):
        assert in_quiet_hours(instant.astimezone(zone), KINDERGARTEN, SH) == in_quiet_hours(instant, KINDERGARTEN, SH)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        in_quiet_hours(datetime(2026, 11, 24, 22, 0), KINDERGARTEN, SH)
    with pytest.raises(ValueError):
        add_allowed_minutes(datetime(2026, 11, 24, 22, 0), 20, WORK_ALLOWED, SH)


def test_no_windows_means_never_quiet():
    assert in_quiet_hours(sh(2026, 11, 24, 22, 0), [], SH) is None
    assert next_window(sh(2026, 11, 24, 22, 0), [], SH) is None
    assert next_window_end(sh(2026, 11, 24, 22, 0), [], SH) is None


def test_overlapping_windows_are_one_instance():
    window = in_quiet_hours(sh(2026, 11, 24, 14, 15), ["13:00-14:30", "14:00-15:00"], SH)
    assert window is not None
    assert (window.start, window.end) == (sh(2026, 11, 24, 13, 0), sh(2026, 11, 24, 15, 0))
    assert window.key == "2026-11-24T13:00"
    assert in_quiet_hours(sh(2026, 11, 24, 14, 45), ["13:00-14:30", "14:00-15:00"], SH).key == window.key


@pytest.mark.parametrize("windows, zone, first", [
    (KINDERGARTEN, SH, sh(2026, 11, 24, 0, 0)),
    (WORK_QUIET, NY, datetime(2026, 3, 7, 0, 0, tzinfo=NY)),  # over spring forward
    (["01:00-03:00", "02:30-04:00"], NY, datetime(2026, 10, 31, 0, 0, tzinfo=NY)),  # over fall back
    (["00:00-12:00", "12:00-24:00"], SH, sh(2026, 11, 24, 0, 0)),  # the whole day
    (["22:00-24:00"], SH, sh(2026, 11, 24, 0, 0)),
])
def test_answers_kept_between_messages_are_the_answers_worked_out_afresh(windows, zone, first):
    """Each answer is kept for the span over which it holds (see in_quiet_hours): walking
    three days minute by minute, forwards and back, reads the same as working each
    moment out afresh."""
    from plugins.timing import windows as module

    moments = [first + timedelta(minutes=m) for m in range(0, 3 * 24 * 60, 7)]
    moments += [first + timedelta(minutes=m) for m in range(3 * 24 * 60, 0, -11)]
    moments += [first + timedelta(hours=h) for h in range(72)]  # window edges exactly
    for moment in moments:
        kept = in_quiet_hours(moment.astimezone(UTC), windows, zone)
        module._quiet_answers.clear()
        assert in_quiet_hours(moment.astimezone(UTC), windows, zone) == kept, moment


def test_window_ending_at_24_00():
    window = in_quiet_hours(sh(2026, 11, 24, 23, 59), ["22:00-24:00"], SH)
    assert window is not None and window.end == sh(2026, 11, 25, 0, 0)
    assert in_quiet_hours(sh(2026, 11, 25, 0, 0), ["22:00-24:00"], SH) is None


def test_next_window_and_its_end():
    # inside: the current instance
    assert next_window_end(sh(2026, 11, 24, 22, 0), KINDERGARTEN, SH) == sh(2026, 11, 25, 7, 0)
    # outside: the next instance to start
    upcoming = next_window(sh(2026, 11, 25, 9, 0), KINDERGARTEN, SH)
    assert upcoming is not None and upcoming.start == sh(2026, 11, 25, 13, 0)
    assert next_window_end(sh(2026, 11, 25, 14, 30), KINDERGARTEN, SH) == sh(2026, 11, 26, 7, 0)


# --- DST ----------------------------------------------------------------------------


def test_resolve_local_in_gap_and_in_repeated_hour():
    # 2026-03-08 02:30 does not exist in New York: the clocks jump at 02:00 to 03:00
    assert resolve_local(datetime(2026, 3, 8, 2, 30), NY) == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    # 2026-11-01 01:30 happens twice: the first occurrence (EDT, UTC-4)
    assert resolve_local(datetime(2026, 11, 1, 1, 30), NY) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_night_window_over_spring_forward_is_an_hour_shorter():
    window = in_quiet_hours(datetime(2026, 3, 8, 1, 0, tzinfo=NY), ["21:30-07:00"], NY)
    assert window is not None
    assert window.duration == timedelta(hours=8, minutes=30)
    assert utc(window.end) == datetime(2026, 3, 8, 11, 0, tzinfo=UTC)  # 07:00 EDT
    assert in_quiet_hours(datetime(2026, 3, 8, 11, 0, tzinfo=UTC), ["21:30-07:00"], NY) is None
    assert in_quiet_hours(datetime(2026, 3, 8, 10, 59, tzinfo=UTC), ["21:30-07:00"], NY) is not None


def test_night_window_over_fall_back_is_an_hour_longer_and_covers_both_1_30s():
    window = in_quiet_hours(datetime(2026, 11, 1, 5, 30, tzinfo=UTC), ["21:30-07:00"], NY)  # first 01:30
    again = in_quiet_hours(datetime(2026, 11, 1, 6, 30, tzinfo=UTC), ["21:30-07:00"], NY)  # second 01:30
    assert window is not None and window == again
    assert window.duration == timedelta(hours=10, minutes=30)
    assert utc(window.end) == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)  # 07:00 EST


def test_window_inside_the_skipped_hour_is_empty_that_day():
    windows = ["02:00-02:30"]
    assert in_quiet_hours(datetime(2026, 3, 8, 7, 0, tzinfo=UTC), windows, NY) is None  # 03:00 EDT
    upcoming = next_window(datetime(2026, 3, 8, 5, 0, tzinfo=UTC), windows, NY)
    assert upcoming is not None and upcoming.start == datetime(2026, 3, 9, 2, 0, tzinfo=NY)


def test_window_starting_in_the_skipped_hour_starts_when_clocks_jump():
    window = in_quiet_hours(datetime(2026, 3, 8, 3, 10, tzinfo=NY), ["02:30-04:00"], NY)
    assert window is not None
    assert utc(window.start) == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert window.key == "2026-03-08T03:00"


# --- allowed hours ----------------------------------------------------------------


def test_charter_2_question_at_22_55_is_due_at_06_15():
    assert add_allowed_minutes(sh(2026, 11, 24, 22, 55), 20, WORK_ALLOWED, SH) == sh(2026, 11, 25, 6, 15)


def test_question_inside_allowed_hours_is_due_20_minutes_later():
    assert add_allowed_minutes(sh(2026, 11, 24, 9, 0), 20, WORK_ALLOWED, SH) == sh(2026, 11, 24, 9, 20)


def test_question_in_the_night_counts_from_06_00():
    assert add_allowed_minutes(sh(2026, 11, 25, 1, 0), 20, WORK_ALLOWED, SH) == sh(2026, 11, 25, 6, 20)
    assert add_allowed_minutes(sh(2026, 11, 24, 23, 0), 20, WORK_ALLOWED, SH) == sh(2026, 11, 25, 6, 20)


def test_deadline_ending_exactly_at_the_window_end():
    assert add_allowed_minutes(sh(2026, 11, 24, 22, 40), 20, WORK_ALLOWED, SH) == sh(2026, 11, 24, 23, 0)


def test_deadline_over_several_days():
    # 17 allowed hours a day: 40 hours from Monday 22:00 is 1 h Monday, 17 Tue, 17 Wed, 5 Thu
    due = add_allowed_minutes(sh(2026, 11, 23, 22, 0), 40 * 60, WORK_ALLOWED, SH)
    assert due == sh(2026, 11, 26, 11, 0)
    assert allowed_minutes_between(sh(2026, 11, 23, 22, 0), due, WORK_ALLOWED, SH) == 40 * 60


def test_deadline_over_the_kindergarten_day():
    allowed = ["07:00-13:00", "14:30-21:30"]
    assert add_allowed_minutes(sh(2026, 11, 24, 12, 50), 20, allowed, SH) == sh(2026, 11, 24, 14, 40)
    assert add_allowed_minutes(sh(2026, 11, 24, 21, 25), 20, allowed, SH) == sh(2026, 11, 25, 7, 15)


def test_allowed_minutes_between():
    assert allowed_minutes_between(sh(2026, 11, 24, 22, 55), sh(2026, 11, 25, 6, 15), WORK_ALLOWED, SH) == 20
    assert allowed_minutes_between(sh(2026, 11, 24, 23, 30), sh(2026, 11, 25, 5, 0), WORK_ALLOWED, SH) == 0
    assert allowed_minutes_between(sh(2026, 11, 25, 6, 15), sh(2026, 11, 24, 22, 55), WORK_ALLOWED, SH) == 0
    assert allowed_time_between(sh(2026, 11, 24, 0, 0), sh(2026, 11, 25, 0, 0), WORK_ALLOWED, SH) == timedelta(hours=17)


def test_seconds_are_kept():
    start = sh(2026, 11, 24, 22, 55, 30)
    assert add_allowed_minutes(start, 20, WORK_ALLOWED, SH) == sh(2026, 11, 25, 6, 15, 30)
    assert add_allowed_time(start, timedelta(seconds=90), WORK_ALLOWED, SH) == sh(2026, 11, 24, 22, 57)


def test_whole_day_and_no_windows_count_every_minute():
    start = sh(2026, 11, 24, 23, 50)
    assert add_allowed_minutes(start, 20, ["00:00-24:00"], SH) == sh(2026, 11, 25, 0, 10)
    assert add_allowed_minutes(start, 20, [], SH) == sh(2026, 11, 25, 0, 10)
    assert allowed_minutes_between(start, sh(2026, 11, 25, 0, 10), ["00:00-24:00"], SH) == 20


def test_zero_and_negative_amounts():
    start = sh(2026, 11, 24, 23, 30)
    assert add_allowed_minutes(start, 0, WORK_ALLOWED, SH) == start
    with pytest.raises(ValueError):
        add_allowed_minutes(start, -1, WORK_ALLOWED, SH)


def test_utc_start_gives_the_same_deadline_in_the_class_zone():
    start = datetime(2026, 11, 24, 14, 55, tzinfo=UTC)  # 22:55 in Shanghai
    due = add_allowed_minutes(start, 20, WORK_ALLOWED, SH)
    assert due == sh(2026, 11, 25, 6, 15)
    assert due.tzinfo == SH


def test_allowed_hours_over_dst_transitions_count_real_minutes():
    # New York, allowed 06:00-23:00; clocks change at 02:00, outside the window:
    # 22:55 -> 06:15 both nights, though the nights differ in length
    spring = add_allowed_minutes(datetime(2026, 3, 7, 22, 55, tzinfo=NY), 20, WORK_ALLOWED, NY)
    assert spring == datetime(2026, 3, 8, 6, 15, tzinfo=NY) and spring.utcoffset() == timedelta(hours=-4)
    fall = add_allowed_minutes(datetime(2026, 10, 31, 22, 55, tzinfo=NY), 20, WORK_ALLOWED, NY)
    assert fall == datetime(2026, 11, 1, 6, 15, tzinfo=NY) and fall.utcoffset() == timedelta(hours=-5)


def test_allowed_window_containing_the_transition():
    # allowed 00:00-04:00 New York: on 2026-03-08 it lasts 3 real hours, on 11-01 five
    allowed = ["00:00-04:00"]
    assert allowed_time_between(
        datetime(2026, 3, 8, 0, 0, tzinfo=NY), datetime(2026, 3, 8, 12, 0, tzinfo=NY), allowed, NY
    ) == timedelta(hours=3)
    assert allowed_time_between(
        datetime(2026, 11, 1, 0, 0, tzinfo=NY), datetime(2026, 11, 1, 12, 0, tzinfo=NY), allowed, NY
    ) == timedelta(hours=5)
    # 90 allowed minutes from 01:00 EDT on the fall-back night run through the repeated hour
    due = add_allowed_minutes(datetime(2026, 11, 1, 5, 0, tzinfo=UTC), 90, allowed, NY)
    assert utc(due) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # the second 01:30 (EST)


def test_next_allowed_moment():
    assert next_allowed_moment(sh(2026, 11, 24, 12, 0), WORK_ALLOWED, SH) == sh(2026, 11, 24, 12, 0)
    assert next_allowed_moment(sh(2026, 11, 24, 23, 0), WORK_ALLOWED, SH) == sh(2026, 11, 25, 6, 0)
    assert next_allowed_moment(sh(2026, 11, 25, 3, 0), [], SH) == sh(2026, 11, 25, 3, 0)


def test_window_keys_read_each_instance_in_its_own_zone() -> None:
    # the same instant starts a window in two classes' zones: each key is its local start
    shanghai = in_quiet_hours(datetime(2026, 11, 24, 13, 45, tzinfo=UTC), ["21:30-07:00"], ZoneInfo("Asia/Shanghai"))
    london = in_quiet_hours(datetime(2026, 11, 24, 13, 45, tzinfo=UTC), ["13:30-14:00"], ZoneInfo("Europe/London"))
    assert shanghai is not None and london is not None and shanghai.start == london.start
    assert (shanghai.key, london.key) == ("2026-11-24T21:30", "2026-11-24T13:30")

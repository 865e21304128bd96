"""Properties of the window arithmetic and the classifiers, over zones with and without DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.timing.asks import classify_ask, is_answer
from plugins.timing.receipts import match_names
from plugins.timing.windows import (
    add_allowed_minutes,
    add_allowed_time,
    allowed_time_between,
    allowed_minutes_between,
    in_quiet_hours,
    next_window,
)

ZONES = [ZoneInfo(name) for name in ("Asia/Shanghai", "UTC", "America/New_York", "Europe/London",
                                     "Australia/Lord_Howe", "America/Havana")]
zones = st.sampled_from(ZONES)
instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda naive: naive.replace(tzinfo=UTC)
)


@st.composite
def window_texts(draw) -> str:
    start = draw(st.integers(0, 24 * 60 - 1))
    end = draw(st.integers(1, 24 * 60).filter(lambda e: e != start))
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


window_lists = st.lists(window_texts(), min_size=1, max_size=3)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(start=instants, minutes=st.integers(0, 5 * 24 * 60), windows=window_lists, tz=zones)
def test_allowed_minutes_round_trip(start, minutes, windows, tz):
    due = add_allowed_minutes(start, minutes, windows, tz)
    assert due >= start
    assert allowed_minutes_between(start, due, windows, tz) == minutes


@FAST
@given(start=instants, seconds=st.integers(0, 3 * 24 * 3600), windows=window_lists, tz=zones)
def test_allowed_time_round_trip_to_the_second(start, seconds, windows, tz):
    amount = timedelta(seconds=seconds)
    due = add_allowed_time(start, amount, windows, tz)
    assert allowed_time_between(start, due, windows, tz) == amount


@FAST
@given(start=instants, a=st.integers(0, 3000), b=st.integers(0, 3000), windows=window_lists, tz=zones)
def test_deadlines_compose_and_grow(start, a, b, windows, tz):
    first = add_allowed_minutes(start, a, windows, tz)
    assert add_allowed_minutes(first, b, windows, tz) >= add_allowed_minutes(start, a + b, windows, tz) - timedelta(0)
    assert add_allowed_minutes(start, a + b, windows, tz) >= first
    # time counted is additive over consecutive intervals
    second = add_allowed_minutes(start, a + b, windows, tz)
    total = allowed_time_between(start, second, windows, tz)
    assert total == allowed_time_between(start, first, windows, tz) + allowed_time_between(first, second, windows, tz)


@FAST
@given(start=instants, end=instants, windows=window_lists, tz=zones)
def test_allowed_time_is_bounded_by_elapsed_time(start, end, windows, tz):
    counted = allowed_time_between(start, end, windows, tz)
    assert timedelta(0) <= counted <= max(end - start, timedelta(0))


@FAST
@given(now=instants, windows=window_lists, tz=zones)
def test_quiet_window_contains_now_and_is_stable(now, windows, tz):
    found = in_quiet_hours(now, windows, tz)
    upcoming = next_window(now, windows, tz)
    assert upcoming is not None
    if found is None:
        assert upcoming.start.astimezone(UTC) > now
    else:
        assert found.contains(now)
        assert found.start.astimezone(UTC) < found.end.astimezone(UTC)
        assert upcoming == found
        # every instant of the instance reports the same instance (same key)
        last = found.end.astimezone(UTC) - timedelta(seconds=1)
        assert in_quiet_hours(last, windows, tz) == found
        assert in_quiet_hours(found.start, windows, tz) == found


@FAST
@given(now=instants, windows=window_lists, tz=zones)
def test_quiet_hours_agree_with_allowed_time(now, windows, tz):
    # a minute inside a window counts fully as window time, and vice versa
    found = in_quiet_hours(now, windows, tz)
    counted = allowed_time_between(now, now + timedelta(seconds=1), windows, tz)
    assert (counted == timedelta(seconds=1)) is (found is not None)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80))
def test_classifiers_never_raise(text):
    kind = classify_ask(text)
    assert kind is None or kind.value in ("question", "task")
    assert isinstance(is_answer(text), bool)
    assert isinstance(match_names(text, ["张子涵", "李思", "李思远"]), list)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="收到好的谢谢老师嗯明白了辛苦👍！。，~ ", max_size=20))
def test_acknowledgements_and_thanks_never_start_a_deadline(text):
    assert classify_ask(text) is None

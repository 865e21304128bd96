"""An event's time: a bridge may send none, zero, or one outside the calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from plugins.charter.model import event_time


def test_a_unix_time_is_read_as_utc() -> None:
    assert event_time(1_764_000_000) == datetime(2025, 11, 24, 16, 0, tzinfo=UTC)


def test_a_naive_datetime_is_taken_as_utc() -> None:
    assert event_time(datetime(2026, 1, 1, 8)) == datetime(2026, 1, 1, 8, tzinfo=UTC)


@pytest.mark.parametrize("impossible", [None, 0, -62_135_596_801, 10**20, float("nan")])
def test_a_missing_or_impossible_time_is_now(impossible: float | None) -> None:
    assert abs(event_time(impossible) - datetime.now(UTC)) < timedelta(seconds=5)

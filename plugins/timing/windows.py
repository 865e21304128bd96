"""Daily time windows ("21:30-07:00") in a class's time zone, and time counted inside them.

A window is written as wall-clock times, HH:MM-HH:MM, and may cross midnight. Each
window has one *instance* per local date: the instance of date D starts at D + start
and ends at D + end, or at D+1 + end when the window crosses midnight.

Wall-clock times are turned into instants by one monotonic rule, which makes every
function here DST-safe:

- a wall time that exists once is that instant;
- a wall time that exists twice (the repeated hour when clocks go back) is its
  first occurrence;
- a wall time that does not exist (the hour skipped when clocks go forward) is the
  moment the clocks jump, i.e. the first instant after the gap.

So an instance is one contiguous span of real time: a quiet window 21:30-07:00 lasts
9.5 hours on most nights, 8.5 hours on the night clocks go forward, 10.5 on the
night they go back. A window whose both ends fall in a skipped hour is empty that day.

All arithmetic happens in UTC; every datetime returned is aware and in the class's
zone. Inputs may be aware datetimes in any zone; naive datetimes are refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from plugins.charter.catalogue import parse_window

MINUTE = timedelta(minutes=1)
_DAY = timedelta(days=1)
# Every window belonging to local date D starts at or after D 00:00 and ends before
# D+2 00:00, so looking two days either side of an instant's local date is enough
# even in zones that move their clocks around midnight.
_LOOKAROUND_DAYS = 2
# Windows recur daily, so overlapping instances that merge into more than a day (plus
# a DST hour) leave no gap at all; such quiet time is split into local days.
_CONTINUOUS = timedelta(hours=26)


@dataclass(frozen=True, slots=True)
class Window:
    """One parsed daily window: minutes after local midnight; end may be the next day."""

    start: int
    end: int

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    @property
    def label(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


@dataclass(frozen=True, slots=True)
class QuietWindow:
    """One instance of a window: [start, end) as aware datetimes in the class's zone."""

    start: datetime
    end: datetime
    window: str  # the configured window it belongs to, e.g. "21:30-07:00"

    @property
    def key(self) -> str:
        """Stable id of this instance, e.g. "2026-11-24T21:30" (local start)."""
        return _instance_key(self.start, self.start.tzinfo)

    @property
    def label(self) -> str:
        return self.window

    @property
    def duration(self) -> timedelta:
        # computed in UTC: Python subtracts two datetimes of one zone by wall clock
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    def contains(self, moment: datetime) -> bool:
        # in UTC: same-zone comparisons ignore fold, wrong in the repeated hour
        return self.start.astimezone(UTC) <= moment.astimezone(UTC) < self.end.astimezone(UTC)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=256)
def _parse(text: str) -> Window:
    start, end = parse_window(text)
    return Window(start, end)


def parse_windows(windows: Sequence[str]) -> tuple[Window, ...]:
    """Parse and validate window texts; raises ValueError on a malformed one."""
    return tuple(_parse(text) for text in windows)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is UTC:  # every message's time: asked first, without the call
        return
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {moment!r}")


def _wall(moment_utc: datetime, tz: tzinfo) -> datetime:
    return moment_utc.astimezone(tz).replace(tzinfo=None, fold=0)


def resolve_local(wall: datetime, tz: tzinfo) -> datetime:
    """The first instant (UTC) at which the local clock reads `wall` or later.

    `wall` is naive. See the module docstring for what this means around DST.
    """
    wall = wall.replace(tzinfo=None, fold=0)
    candidates = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        if _wall(instant, tz) == wall:
            candidates.append(instant)
    if candidates:
        return min(candidates)
    # In a gap: the two folds bracket the transition. Find the first second at which
    # the wall clock has reached `wall`.
    low, high = sorted(wall.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1))
    lo_s, hi_s = 0, int((high - low).total_seconds())
    while lo_s < hi_s:
        mid = (lo_s + hi_s) // 2
        if _wall(low + timedelta(seconds=mid), tz) >= wall:
            hi_s = mid
        else:
            lo_s = mid + 1
    return low + timedelta(seconds=lo_s)


def _instance(window: Window, day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The (UTC) span of `window` on local date `day`; may be empty around DST."""
    midnight = datetime.combine(day, time())
    start = resolve_local(midnight + timedelta(minutes=window.start), tz)
    end_day = midnight + _DAY if window.crosses_midnight else midnight
    end = resolve_local(end_day + timedelta(minutes=window.end), tz)
    return start, end


def _instances_from(
    windows: Sequence[Window], labels: Sequence[str], first_day: date, tz: tzinfo
) -> Iterator[tuple[datetime, datetime, str]]:
    """Non-empty instances of all windows from local date `first_day` on, by start time.

    The wall-clock-to-instant rule is monotonic, so instances of date D all start
    before those of D+1: sorting each day is enough to sort the whole stream.
    """
    day = first_day
    while True:
        todays = []
        for window, label in zip(windows, labels):
            start, end = _instance(window, day, tz)
            if end > start:
                todays.append((start, end, label))
        todays.sort()
        yield from todays
        day += _DAY


def _local_date(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def _merged_spans(
    moment: datetime, windows: Sequence[str], tz: tzinfo, days_after: int
) -> tuple[tuple[datetime, datetime, str], ...]:
    """Instances around `moment`, overlapping ones merged (their labels joined by '、')."""
    return _spans_around(_local_date(moment, tz), tuple(windows), tz, days_after)


@lru_cache(maxsize=4096)
def _spans_around(
    today: date, windows: tuple[str, ...], tz: tzinfo, days_after: int
) -> tuple[tuple[datetime, datetime, str], ...]:
    """The spans of `_merged_spans` for every moment of local date `today`: computed
    once per class's windows and day, not for every message."""
    parsed = parse_windows(windows)
    first = today - timedelta(days=_LOOKAROUND_DAYS)
    last_start = resolve_local(datetime.combine(today + timedelta(days=days_after + 1), time()), tz)
    merged: list[list] = []
    for start, end, label in _instances_from(parsed, windows, first, tz):
        if start >= last_start:
            break
        if merged and start < merged[-1][1]:
            current = merged[-1]
            current[1] = max(current[1], end)
            if label not in current[2]:
                current[2].append(label)
        else:
            merged.append([start, end, [label]])
    spans = []
    for start, end, labels in merged:
        label = "、".join(labels)
        if end - start > _CONTINUOUS:
            # the windows together leave no gap in the day: one instance per local day
            day = _local_date(start, tz)
            while True:
                day_start = max(start, resolve_local(datetime.combine(day, time()), tz))
                day_end = min(end, resolve_local(datetime.combine(day + _DAY, time()), tz))
                if day_start >= end:
                    break
                if day_end > day_start:
                    spans.append((day_start, day_end, label))
                day += _DAY
        else:
            spans.append((start, end, label))
    return tuple(spans)


# Every message inside quiet hours asks for its window instance and the instance's
# key: one object and one string per instance, not two time-zone conversions and a
# strftime per message.
@lru_cache(maxsize=1024)
def _quiet_window(start: datetime, end: datetime, label: str, tz: tzinfo) -> QuietWindow:
    return QuietWindow(start.astimezone(tz), end.astimezone(tz), label)


@lru_cache(maxsize=1024)
def _instance_key(start: datetime, zone: tzinfo | None) -> str:
    # the zone is part of the cache key: datetimes of one instant in two zones are
    # equal (and hash alike) but read differently
    return start.strftime("%Y-%m-%dT%H:%M")


# The last answer of in_quiet_hours per (windows, zone), with the span of time over
# which it stays the same (the instance, or the gap between two): every message of a
# class asks, and messages come seconds apart while answers change a few times a day.
_QUIET_ANSWERS_KEPT = 1024
_quiet_answers: dict[tuple[tuple[str, ...], tzinfo], tuple[datetime, datetime, QuietWindow | None]] = {}


def in_quiet_hours(now: datetime, windows: Sequence[str], tz: tzinfo) -> QuietWindow | None:
    """The window instance that contains `now` (start inclusive, end exclusive), if any.

    Overlapping windows (e.g. "13:00-14:30" and "14:00-15:00") count as one instance;
    windows that together cover the whole day give one instance per local day.
    """
    _require_aware(now, "now")
    if not windows:
        return None
    key = (windows if isinstance(windows, tuple) else tuple(windows), tz)
    kept = _quiet_answers.get(key)
    if kept is not None and kept[0] <= now < kept[1]:
        return kept[2]
    moment = now.astimezone(UTC)
    since = moment  # the answer holds from here (or from the end of the instance before) ...
    for start, end, label in _merged_spans(moment, windows, tz, _LOOKAROUND_DAYS):
        if moment >= end:
            since = end
            continue
        # ... to the end of the instance that contains the moment, or the next one's start
        answer = _quiet_window(start, end, label, tz) if start <= moment else None
        if len(_quiet_answers) >= _QUIET_ANSWERS_KEPT:
            _quiet_answers.clear()
        _quiet_answers[key] = (start, end, answer) if answer is not None else (since, start, None)
        return answer
    return None


def next_window(now: datetime, windows: Sequence[str], tz: tzinfo) -> QuietWindow | None:
    """The instance containing `now`, else the next one to start; None without windows."""
    _require_aware(now, "now")
    if not windows:
        return None
    moment = now.astimezone(UTC)
    for start, end, label in _merged_spans(moment, windows, tz, 3):
        if moment < end:
            return _quiet_window(start, end, label, tz)
    # unreachable for valid windows: each has an instance on at least one of 3 days
    raise AssertionError("no window instance within three days")


def next_window_end(now: datetime, windows: Sequence[str], tz: tzinfo) -> datetime | None:
    """End of the instance containing `now`, else of the next one; None without windows."""
    found = next_window(now, windows, tz)
    return found.end if found else None


def is_within(now: datetime, windows: Sequence[str], tz: tzinfo) -> bool:
    """Whether `now` lies inside one of `windows`."""
    return in_quiet_hours(now, windows, tz) is not None


# --- time counted inside allowed windows ----------------------------------------
#
# An empty list of allowed windows means no restriction: every minute counts.


def _covered_spans(start_utc: datetime, windows: Sequence[str], tz: tzinfo) -> Iterator[tuple[datetime, datetime]]:
    """The union of allowed instances from `start_utc` on, as disjoint spans in order."""
    parsed = parse_windows(windows)
    cursor = start_utc
    first = _local_date(start_utc, tz) - timedelta(days=_LOOKAROUND_DAYS)
    for start, end, _label in _instances_from(parsed, windows, first, tz):
        begin = max(start, cursor)
        if end > begin:
            yield begin, end
            cursor = end


def allowed_time_between(start: datetime, end: datetime, allowed_windows: Sequence[str], tz: tzinfo) -> timedelta:
    """Exact time inside `allowed_windows` between `start` and `end`; zero if end <= start."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    begin, finish = start.astimezone(UTC), end.astimezone(UTC)
    if finish <= begin:
        return timedelta(0)
    if not allowed_windows:
        return finish - begin
    total = timedelta(0)
    for span_start, span_end in _covered_spans(begin, allowed_windows, tz):
        if span_start >= finish:
            break
        total += min(span_end, finish) - span_start
    return total


def allowed_minutes_between(start: datetime, end: datetime, allowed_windows: Sequence[str], tz: tzinfo) -> float:
    """Minutes inside `allowed_windows` between `start` and `end` (0 if end <= start)."""
    return allowed_time_between(start, end, allowed_windows, tz) / MINUTE


def add_allowed_time(start: datetime, amount: timedelta, allowed_windows: Sequence[str], tz: tzinfo) -> datetime:
    """The instant at which `amount` of allowed time has passed since `start`.

    Zero returns `start` itself; otherwise the result lies inside an allowed window
    (or exactly at its end). Raises ValueError for a negative amount.
    """
    _require_aware(start, "start")
    if amount < timedelta(0):
        raise ValueError(f"cannot add a negative duration ({amount})")
    begin = start.astimezone(UTC)
    if amount == timedelta(0):
        return start.astimezone(tz)
    if not allowed_windows:
        return (begin + amount).astimezone(tz)
    remaining = amount
    for span_start, span_end in _covered_spans(begin, allowed_windows, tz):
        available = span_end - span_start
        if remaining <= available:
            return (span_start + remaining).astimezone(tz)
        remaining -= available
    raise AssertionError("allowed windows ran out")  # the span stream is endless


def add_allowed_minutes(start: datetime, minutes: float, allowed_windows: Sequence[str], tz: tzinfo) -> datetime:
    """Deadline `minutes` after `start`, counting only time inside `allowed_windows`.

    Charter 2: 20 minutes counted 06:00-23:00, a question at 22:55 is due at 06:15.
    """
    return add_allowed_time(start, timedelta(minutes=minutes), allowed_windows, tz)


def next_allowed_moment(now: datetime, allowed_windows: Sequence[str], tz: tzinfo) -> datetime:
    """`now` if it lies inside an allowed window (or none are configured), else the next start."""
    _require_aware(now, "now")
    if not allowed_windows:
        return now.astimezone(tz)
    begin = now.astimezone(UTC)
    span_start, _ = next(_covered_spans(begin, allowed_windows, tz))
    return span_start.astimezone(tz)

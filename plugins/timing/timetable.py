"""Who is teaching now: the class timetable read in the class's time zone.

A timetable entry is (weekday 1-7, "HH:MM-HH:MM", teacher) where teacher is a staff
account key ("qq:10005") or a roster teacher's name ("李强"). Lessons never cross
midnight (the config loader refuses them) and are read on the wall clock: a lesson
08:00-08:40 is 08:00-08:40 local time whatever the date, DST days included.
A lesson includes its start minute and excludes its end minute.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta, tzinfo

from plugins.charter.catalogue import parse_window
from plugins.charter.config import TimetableEntry

from .windows import resolve_local


def _local(now: datetime, tz: tzinfo) -> tuple[int, int, datetime]:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be a timezone-aware datetime, got {now!r}")
    local = now.astimezone(tz)
    return local.isoweekday(), local.hour * 60 + local.minute, local


def current_lessons(now: datetime, timetable: Sequence[TimetableEntry], tz: tzinfo) -> list[TimetableEntry]:
    """Entries whose lesson is going on at `now`."""
    weekday, minute, _ = _local(now, tz)
    lessons = []
    for entry in timetable:
        if entry.weekday != weekday:
            continue
        start, end = parse_window(entry.time)
        if start <= minute < end:
            lessons.append(entry)
    return lessons


def teachers_in_class(now: datetime, timetable: Sequence[TimetableEntry], tz: tzinfo) -> set[str]:
    """The `teacher` values (account keys or roster names) of lessons going on at `now`."""
    return {entry.teacher for entry in current_lessons(now, timetable, tz)}


def teaching_entry(
    now: datetime, timetable: Sequence[TimetableEntry], tz: tzinfo, identities: Collection[str]
) -> TimetableEntry | None:
    """The current lesson of the teacher known by any of `identities`, if teaching.

    Pass every way the timetable may name the teacher: the account key of the
    mentioned member and, when known, their roster name.
    """
    wanted = {identity.strip() for identity in identities if identity.strip()}
    for entry in current_lessons(now, timetable, tz):
        if entry.teacher.strip() in wanted:
            return entry
    return None


def lesson_end(
    now: datetime, timetable: Sequence[TimetableEntry], tz: tzinfo, identities: Collection[str]
) -> datetime | None:
    """When the teacher known by `identities` stops teaching, or None if not teaching now.

    Back-to-back lessons of the same teacher (one ends when the next starts) count as
    one stretch, so the answer is when the teacher is next free. Aware, in `tz`.
    """
    entry = teaching_entry(now, timetable, tz, identities)
    if entry is None:
        return None
    weekday, _, local = _local(now, tz)
    wanted = {identity.strip() for identity in identities if identity.strip()}
    todays = []
    for other in timetable:
        if other.weekday == weekday and other.teacher.strip() in wanted:
            todays.append(parse_window(other.time))
    _, end = parse_window(entry.time)
    extended = True
    while extended:
        extended = False
        for start, other_end in todays:
            if start <= end < other_end:
                end = other_end
                extended = True
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    return resolve_local(midnight + timedelta(minutes=end), tz).astimezone(tz)

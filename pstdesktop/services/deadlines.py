"""Service standards: 1 hour for a walk-in counted from the guestbook entry; 10 working days for an
online request counted from the moment it is clear (complete and agreed), skipping weekends,
Indonesian public holidays and collective leave (cuti bersama).

An online deadline falls at the end (23:59:59 office time) of the 10th working day after the day
the request became clear."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from pstdesktop.services.clock import ZONES

WALK_IN_STANDARD = timedelta(hours=1)
ONLINE_WORKING_DAYS = 10

if TYPE_CHECKING:
    from holidays import HolidayBase


@lru_cache(maxsize=32)
def _holidays(year: int) -> HolidayBase:
    """Indonesia's holidays of ``year``; ``holidays`` (only Indonesia) is imported at the first question."""
    from holidays.countries.indonesia import Indonesia

    return Indonesia(years=year, categories=("public", "government"))


def is_working_day(day: date, extra_closed: Iterable[date] = ()) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year) and day not in set(extra_closed)


def holiday_name(day: date) -> str | None:
    return _holidays(day.year).get(day)


def add_working_days(start: date, count: int, extra_closed: Iterable[date] = ()) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself is not counted)."""
    closed = set(extra_closed)
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            remaining -= 1
    return day


def walk_in_due(arrived_at: datetime) -> datetime:
    return arrived_at + WALK_IN_STANDARD


def online_due(clear_at: datetime, zone_name: str, extra_closed: Iterable[date] = ()) -> datetime:
    tz = ZONES[zone_name]
    clear_day = clear_at.astimezone(tz).date()
    last_day = add_working_days(clear_day, ONLINE_WORKING_DAYS, extra_closed)
    return datetime.combine(last_day, time(23, 59, 59), tz)


def working_days_left(due_at: datetime, now: datetime, zone_name: str) -> int:
    """Working days from today (office time) to the due day; negative when overdue."""
    tz = ZONES[zone_name]
    today, due_day = now.astimezone(tz).date(), due_at.astimezone(tz).date()
    if due_day == today:
        return 0
    step = 1 if due_day > today else -1
    count, day = 0, today
    while day != due_day:
        day += timedelta(days=step)
        if is_working_day(day):
            count += step
    return count

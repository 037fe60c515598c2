"""The application's one clock. Instants are stored in UTC; every "today", month and year is the
office's local date in its zone (WIB, WITA, WIT) — never the UTC date, never the PC's own zone.
Indonesia keeps no daylight saving, so fixed offsets are exact and need no time-zone database
(which Windows lacks).

Nothing else in the application reads the system time (ruff's banned-api rule enforces it); a
caller that must act at another instant (``pst demo`` writing a past office day) pins this clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta, timezone

ZONES: dict[str, timezone] = {
    "WIB": timezone(timedelta(hours=7), "WIB"),
    "WITA": timezone(timedelta(hours=8), "WITA"),
    "WIT": timezone(timedelta(hours=9), "WIT"),
}

_pinned: list[datetime] = []  # the innermost pin wins


def utcnow() -> datetime:
    """The current instant (aware, UTC)."""
    return _pinned[-1] if _pinned else datetime.now(UTC)  # noqa: TID251 (the one place)


def zone(name: str) -> timezone:
    return ZONES[name]


def local(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(ZONES[zone_name])


def local_date(moment: datetime, zone_name: str) -> date:
    return local(moment, zone_name).date()


def office_now(zone_name: str) -> datetime:
    """Now, on the office's wall clock."""
    return local(utcnow(), zone_name)


def today(zone_name: str) -> date:
    """The office's date now."""
    return local_date(utcnow(), zone_name)


def day_start(day: date, zone_name: str) -> datetime:
    """The UTC instant at which ``day`` begins in the office (00:00 office time)."""
    return datetime.combine(day, time(0), ZONES[zone_name]).astimezone(UTC)


def at_office(day: date, hour: int, minute: int, zone_name: str) -> datetime:
    """``day`` at ``hour:minute`` office time, as a UTC instant."""
    return datetime.combine(day, time(hour, minute), ZONES[zone_name]).astimezone(UTC)


class Pin:
    """The clock held at one instant until moved (see :func:`pinned`)."""

    def __init__(self, at: datetime):
        self.at = at

    def move_to(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("the clock takes aware instants")
        _pinned[self._index] = self.at = at.astimezone(UTC)


@contextmanager
def pinned(at: datetime) -> Iterator[Pin]:
    """Hold the clock at ``at`` (moved with ``Pin.move_to``) inside the block."""
    if at.tzinfo is None:
        raise ValueError("the clock takes aware instants")
    pin = Pin(at.astimezone(UTC))
    _pinned.append(pin.at)
    pin._index = len(_pinned) - 1
    try:
        yield pin
    finally:
        del _pinned[pin._index:]


def fmt_local(moment: datetime | None, zone_name: str, with_time: bool = True) -> str:
    """``23-11-2026 15:30 WIT`` (or the date alone)."""
    if moment is None:
        return "-"
    shown = local(moment, zone_name)
    return shown.strftime(f"%d-%m-%Y %H:%M {zone_name}") if with_time else shown.strftime("%d-%m-%Y")

"""Time: stored in UTC, shown in the office's zone. Indonesia keeps no daylight saving, so fixed
offsets are exact and need no time-zone database (which Windows lacks)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

ZONES: dict[str, timezone] = {
    "WIB": timezone(timedelta(hours=7), "WIB"),
    "WITA": timezone(timedelta(hours=8), "WITA"),
    "WIT": timezone(timedelta(hours=9), "WIT"),
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def zone(name: str) -> timezone:
    return ZONES[name]


def local(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(ZONES[zone_name])


def local_date(moment: datetime, zone_name: str) -> date:
    return local(moment, zone_name).date()


def fmt_local(moment: datetime | None, zone_name: str, with_time: bool = True) -> str:
    """``23-11-2026 15:30 WIT`` (or the date alone)."""
    if moment is None:
        return "-"
    shown = local(moment, zone_name)
    return shown.strftime(f"%d-%m-%Y %H:%M {zone_name}") if with_time else shown.strftime("%d-%m-%Y")

"""The treasurer's closed days: once a day is closed (ledger.close_day) nothing more is booked on it.
Checked here, by every billing step itself, so no caller can book around it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DailyClosing, OfficeProfile
from pstdesktop.services.errors import StateError
from pstdesktop.services.office import office_today


def closing_of(session: Session, office_id: int, day: date) -> DailyClosing | None:
    return session.scalar(select(DailyClosing).where(DailyClosing.office_id == office_id, DailyClosing.day == day))


def lock_books(session: Session, office_id: int) -> None:
    """Serialize bookings and day closings of one office: both take this row lock (PostgreSQL; SQLite
    writers are serialized by ``BEGIN IMMEDIATE``), so a kuitansi is either in a closed day's totals or
    refused as "day closed" — never booked beside a closing computed without it."""
    session.execute(select(OfficeProfile.id).where(OfficeProfile.id == office_id).with_for_update())


def ensure_open(session: Session, office_id: int, day: date | None = None) -> None:
    """Refuse to book anything on a closed day (today when ``day`` is not given)."""
    lock_books(session, office_id)
    day = day or office_today(session, office_id)
    if closing_of(session, office_id, day) is not None:
        raise StateError("day_closed", day=day.strftime("%d-%m-%Y"))

"""Sequential numbers per office and period, without gaps or duplicates.

The counter row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; the IMMEDIATE transaction on
SQLite) until the transaction that took the number commits; a rolled-back transaction gives its
number back, so no gap appears. A cancelled document keeps its number."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import DocumentCounter

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def next_number(session: Session, office_id: int, kind: str, period: str) -> int:
    values = {"office_id": office_id, "kind": kind, "period": period, "last_number": 0}
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(DocumentCounter).values(**values).on_conflict_do_nothing(
            index_elements=["office_id", "kind", "period"])
    )
    counter = session.scalars(
        select(DocumentCounter)
        .where(DocumentCounter.office_id == office_id, DocumentCounter.kind == kind,
               DocumentCounter.period == period)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    counter.last_number += 1
    session.flush()
    return counter.last_number


def invoice_number(sequence: int, unit_code: str, year: int) -> str:
    """``INV-00042/8100/2026``."""
    return f"INV-{sequence:05d}/{unit_code}/{year}"


def sppd_number(sequence: int, unit_code: str, year: int) -> str:
    """``SPPD-00042/8100/2026``: the data use agreement's own number, given when it is signed."""
    return f"SPPD-{sequence:05d}/{unit_code}/{year}"


def receipt_number(sequence: int, satker_code: str, month: int, year: int) -> str:
    """Treasury pattern Nomor/Kode Satker/Bulan/Tahun: ``0042/054123/XI/2026``."""
    return f"{sequence:04d}/{satker_code or '000000'}/{ROMAN_MONTHS[month - 1]}/{year}"


def request_number(sequence: int, unit_code: str, year: int) -> str:
    """``PST-8100-2026-00042``."""
    return f"PST-{unit_code}-{year}-{sequence:05d}"

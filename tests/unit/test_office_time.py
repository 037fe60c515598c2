"""Office time: every "today" is the office's date (WIT here), whatever the UTC date and the real hour.
Each test runs at the instants where a UTC date would be wrong (conftest.OFFICE_INSTANTS)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import AuditEntry, Payment, Receipt, RequestState, ServiceRequest, Visit
from pstdesktop import demo, reports
from pstdesktop.services import billing, clock, guestbook, ledger, requests
from pstdesktop.services.deadlines import is_working_day
from pstdesktop.services.errors import ValidationError
from pstdesktop.services.office import first_office, office_today
from tests.unit.test_ledger import TOTAL, sold, today

WAIVER = {"category": "education", "purpose": "research", "letter_number": "UN13/PL/2026"}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


def long_date(day) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def test_today_is_the_office_date_in_every_zone(office_time):
    for name, hours in (("WIB", 7), ("WITA", 8), ("WIT", 9)):
        assert clock.today(name) == (clock.utcnow() + timedelta(hours=hours)).date()
        assert clock.day_start(clock.today(name), name) <= clock.utcnow() \
            < clock.day_start(clock.today(name) + timedelta(days=1), name)


def test_a_letter_dated_today_is_accepted_and_tomorrow_refused(office_time, office):
    day = today(office)
    assert day == clock.local_date(office_time, "WIT")
    _ticket, refused_id = office.walk_in()
    with office.session() as s:
        requests.submit(s, office.officer, refused_id)
    with office.session() as s, pytest.raises(ValidationError) as refused:
        requests.approve(s, office.officer, refused_id, waiver=WAIVER | {"letter_date": day + timedelta(days=1)})
    assert refused.value.code == "future" and refused.value.field == "letter_date"
    with office.session() as s:
        assert s.get(ServiceRequest, refused_id).state is RequestState.SUBMITTED  # nothing changed
        quote = requests.approve(s, office.officer, refused_id, waiver=WAIVER | {"letter_date": day})
    assert quote.total == 0


def test_a_deposit_dated_today_is_accepted_and_tomorrow_refused(office_time, office):
    _invoice, _payment, receipt_id = sold(office)
    day = today(office)
    with office.session() as s, pytest.raises(ValidationError) as refused:
        billing.record_deposit(s, office.treasurer, [receipt_id], ntpn="DEP0000000000001",
                               deposited_on=day + timedelta(days=1))
    assert refused.value.code == "future"
    with office.session() as s:
        assert billing.record_deposit(s, office.treasurer, [receipt_id], ntpn="DEP0000000000001",
                                      deposited_on=day).amount > 0


def test_queue_documents_and_books_carry_the_office_date(office_time, office):
    invoice_id, payment_id, receipt_id = sold(office)
    day = today(office)
    with office.session() as s:
        assert len(guestbook.queue(s, office.officer)) == 1  # today's queue holds the visit made just now
        assert clock.local_date(s.get(Receipt, receipt_id).issued_at, "WIT") == day
        rows = ledger.month_rows(s, office.office_id, day.year, day.month, 0)
        assert [r.day for r in rows] == [day]
        totals = ledger.day_totals(s, office.treasurer, day)
    assert (totals.receipts, totals.opening, totals.closing) == (1, 0, TOTAL)


def test_the_current_months_ledger_is_signed_today_and_a_past_month_on_its_last_day(office_time, office, tmp_path):
    sold(office)
    day = today(office)
    out = tmp_path / "bulan.xlsx"
    reports.export_ledger(office.db, office.treasurer, day.year, day.month, out)
    texts = {c.value for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("Ambon, ")}
    assert texts == {f"Ambon, {long_date(day)}"}
    if day.month > 1:
        reports.export_ledger(office.db, office.treasurer, day.year, day.month - 1, out)
        last = day.replace(day=1) - timedelta(days=1)
        texts = {c.value for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value.startswith("Ambon, ")}
        assert texts == {f"Ambon, {long_date(last)}"}


def test_the_report_month_is_the_office_month(office_time, office, tmp_path):
    sold(office)
    day = today(office)
    with office.session() as s:
        report = ledger.service_report(s, office.office_id, day.year, day.month)
        assert report.requests_total == 1 and report.made_on == day
    with pytest.raises(ValidationError):  # next month is still in the future at the office
        following = day.replace(day=28) + timedelta(days=4)
        reports.export_report(office.db, office.treasurer, f"{following.year}-{following.month:02d}",
                              tmp_path / "r.xlsx")


@pytest.mark.parametrize("now, expected_day, from_opening_to_now", [
    (datetime(2026, 11, 24, 23, 0, tzinfo=UTC), "2026-11-25", True),     # Wed 08:00 WIT: today, UTC 24-11
    (datetime(2026, 11, 25, 6, 0, tzinfo=UTC), "2026-11-25", True),      # Wed 15:00 WIT
    (datetime(2026, 11, 24, 15, 30, tzinfo=UTC), "2026-11-24", False),   # Wed 00:30 WIT: office not open yet
    (datetime(2026, 11, 30, 15, 15, tzinfo=UTC), "2026-11-30", False),   # Tue 01-12 00:15 WIT: Monday 30-11
    (datetime(2026, 11, 28, 1, 0, tzinfo=UTC), "2026-11-27", False),     # Saturday: Friday before
    (datetime(2026, 12, 31, 15, 15, tzinfo=UTC), "2026-12-31", False),   # 01-01-2027 00:15 WIT
], ids=["opening-0800", "afternoon", "before-opening", "month-end", "weekend", "new-year"])
def test_demo_writes_one_office_day_in_office_hours(now, expected_day, from_opening_to_now, sqlite_db, tmp_path,
                                                   time_machine):
    time_machine.move_to(now, tick=False)
    day = datetime.fromisoformat(expected_day).date()
    assert is_working_day(day)
    with sqlite_db.unit_of_work() as s:  # what the fixture wrote before the clock was moved is not the demo's
        before = s.scalar(select(func.max(AuditEntry.seq))) or 0
    demo.fill(sqlite_db, tmp_path / "files")
    opening = clock.at_office(day, 7, 30, "WIT")
    end = now if from_opening_to_now else clock.at_office(day, 16, 0, "WIT")
    with sqlite_db.unit_of_work() as s:
        visits = list(s.scalars(select(Visit)))
        moments = [v.arrived_at for v in visits] + list(s.scalars(select(Payment.paid_at))) \
            + list(s.scalars(select(Receipt.issued_at)))
        actions = [e.at for e in s.scalars(select(AuditEntry).where(AuditEntry.seq > before,
                                                                     AuditEntry.action != "tariff.add"))]
        assert {v.queue_date for v in visits} == {day}
        assert all(opening <= m.replace(tzinfo=m.tzinfo or UTC) <= end for m in moments + actions)
        assert sorted(actions) == actions  # one day told in order
        walk_ins = list(s.scalars(select(ServiceRequest).where(ServiceRequest.visit_id.is_not(None))))
        closed = [r for r in walk_ins if r.state is RequestState.CLOSED]
        assert closed and all(r.updated_at - r.received_at <= timedelta(hours=1) for r in closed)
        office = first_office(s)
        if from_opening_to_now:  # the office's today: today's queue is filled
            assert office_today(s, office.id) == day
            assert sum(guestbook.queue_counts(s, _officer(s)).values()) == len(demo.PEOPLE)
    assert clock.utcnow() == now  # the demo gives the clock back


def _officer(session):
    from models import Account, Role
    from pstdesktop.services.access import actor_of

    return actor_of(session.scalars(select(Account).where(Account.role == Role.OFFICER)).first())


def test_the_demo_office_day_is_a_working_day_inside_office_hours():
    now = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # 08:00 WIT
    opening, end = demo.office_day(now, "WIT")
    assert clock.local(opening, "WIT").time() == time(7, 30) and end == now

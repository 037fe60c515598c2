"""Service standards: 1 hour for a walk-in, 10 working days online, in the office's time zone."""

from datetime import UTC, date, datetime, timedelta

from models import Channel, ServiceRequest
from pstdesktop.services import guestbook, requests
from pstdesktop.services.clock import fmt_local, local
from pstdesktop.services.deadlines import (
    add_working_days,
    holiday_name,
    is_working_day,
    online_due,
    walk_in_due,
    working_days_left,
)
from tests.conftest import at, visitor_answers


def test_walk_in_at_1530_wit_is_due_at_1630_wit(office):
    arrival = at(2026, 11, 23, 15, 30, zone_hours=9)
    with office.session() as s:
        ticket = guestbook.register_visit(s, office.kiosk, visitor_answers(), "Pembelian Produk Statistik Berbayar",
                                          at=arrival)
    with office.session() as s:
        req = requests.open_request(s, office.officer, visitor_id=ticket.visitor_id, channel=Channel.WALK_IN,
                                    visit_id=ticket.visit_id)
        due = s.get(ServiceRequest, req.id).due_at
    assert due == datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
    assert fmt_local(due, "WIT") == "23-11-2026 16:30 WIT"
    assert walk_in_due(arrival) == due


def test_online_clear_on_friday_before_independence_day():
    # Friday 14 Aug 2026, 10:00 WIB; Mon 17 Aug (Independence Day) and Tue 25 Aug (Prophet's Birthday) skipped
    clear = at(2026, 8, 14, 10, 0, zone_hours=7)
    due = online_due(clear, "WIB")
    assert holiday_name(date(2026, 8, 17)) is not None
    assert local(due, "WIB").date() == date(2026, 9, 1)
    assert local(due, "WIB").strftime("%H:%M") == "23:59"


def test_online_clear_before_eid_al_fitr_collective_leave():
    # Thu 19 Mar 2026: 20-24 Mar are Eid al-Fitr and collective leave (cuti bersama)
    assert not is_working_day(date(2026, 3, 20))
    assert not is_working_day(date(2026, 3, 23))  # a Monday of joint leave
    assert add_working_days(date(2026, 3, 19), 1) == date(2026, 3, 25)
    assert local(online_due(at(2026, 3, 19, 9, 0, zone_hours=8), "WITA"), "WITA").date() == date(2026, 4, 8)


def test_day_boundary_is_the_office_day_not_utc():
    # 23:30 UTC on Thursday is already Friday 08:30 in WIT, so Friday is the clear day
    clear = datetime(2026, 11, 19, 23, 30, tzinfo=UTC)
    assert local(online_due(clear, "WIT"), "WIT").date() == add_working_days(date(2026, 11, 20), 10)
    assert local(online_due(clear, "WIB"), "WIB").date() == add_working_days(date(2026, 11, 20), 10)
    assert local(online_due(clear, "WIB"), "WIB").date() == date(2026, 12, 4)


def test_working_days_left_counts_down_and_goes_negative():
    due = online_due(at(2026, 11, 2, 9, 0, zone_hours=7), "WIB")  # Mon 2 Nov -> Mon 16 Nov
    assert local(due, "WIB").date() == date(2026, 11, 16)
    assert working_days_left(due, at(2026, 11, 13, 9, 0, zone_hours=7), "WIB") == 1
    assert working_days_left(due, at(2026, 11, 16, 9, 0, zone_hours=7), "WIB") == 0
    assert working_days_left(due, at(2026, 11, 18, 9, 0, zone_hours=7), "WIB") == -2
    assert working_days_left(due, at(2026, 11, 18, 9, 0, zone_hours=7) - timedelta(days=16), "WIB") == 10

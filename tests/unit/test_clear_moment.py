"""When a request became clear: the approval moment by default, back-dated by the officer (at approval or
later, audited with a reason), never in the future nor before it was received; the 10 working days count
from it in the office's zone. On SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from models import AuditEntry, Channel, RequestState, ServiceRequest
from pstdesktop import migrate
from pstdesktop.bootstrap import open_url
from pstdesktop.database import make_engine
from pstdesktop.services import audit, online, requests
from pstdesktop.services.clock import local, utcnow
from pstdesktop.services.deadlines import holiday_name, is_working_day, online_due
from pstdesktop.services.errors import StateError, ValidationError
from tests.conftest import OFFICE, Office, at, migrated_url, visitor_answers

ZONE_HOURS = {"WIB": 7, "WIT": 9}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path, migrated_file):
    if request.param == "sqlite":
        return migrated_url(tmp_path / "pst.sqlite", migrated_file)
    return request.getfixturevalue("postgres_url")


def office_in(zone: str, url: str, monkeypatch, tmp_path) -> Office:
    monkeypatch.setitem(OFFICE, "time_zone", zone)
    return Office(open_url(url, tmp_path / "backups"))


@pytest.fixture
def wit_office(database_url, monkeypatch, tmp_path):
    office = office_in("WIT", database_url, monkeypatch, tmp_path)
    yield office
    office.db.dispose()


def online_submitted(office: Office, received_at: datetime, via: str = "email") -> int:
    with office.session() as s:
        person = online.register_requester(s, office.officer, visitor_answers())
        req = requests.open_request(s, office.officer, visitor_id=person.id, channel=Channel.ONLINE,
                                    online_via=via, received_at=received_at,
                                    abstraction="Kajian ketenagakerjaan kabupaten untuk skripsi.")
        requests.add_item(s, office.officer, req.id, product_code="microdata_raw", title="Sakernas Agustus 2025",
                          quantity=3_400_000, media="email")
        requests.submit(s, office.officer, req.id)
        return req.id


def row(office: Office, request_id: int) -> tuple:
    with office.session() as s:
        req = s.get(ServiceRequest, request_id)
        return req.state, req.clear_at, req.due_at, [i.price for i in req.items], req.version


def audit_count(office: Office) -> int:
    with office.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


# Friday 14 Aug 2026 at office midnight, while UTC is still on Thursday 13 Aug: the weekend, Monday 17 Aug
# (Independence Day) and Tuesday 25 Aug (the Prophet's Birthday) are skipped, so the 10th working day is
# Tuesday 1 Sep; counted from the UTC date it would be Monday 31 Aug.
def test_the_calendar_the_back_dated_deadline_crosses():
    assert holiday_name(date(2026, 8, 17)) and holiday_name(date(2026, 8, 25))
    assert [d for d in (date(2026, 8, 15) + timedelta(days=n) for n in range(18)) if is_working_day(d)][9] \
        == date(2026, 9, 1)


@pytest.mark.parametrize("zone", ["WIT", "WIB"])
def test_deadline_from_a_clear_back_dated_at_approval_at_office_midnight(zone, database_url, monkeypatch, tmp_path):
    office = office_in(zone, database_url, monkeypatch, tmp_path)
    try:
        received = at(2026, 8, 10, 9, 0, zone_hours=ZONE_HOURS[zone])      # Mon 10 Aug, 09:00 office time
        clear = at(2026, 8, 14, 0, 0, zone_hours=ZONE_HOURS[zone])         # Fri 14 Aug, 00:00 office time
        assert clear.astimezone(UTC).date() == date(2026, 8, 13)
        rid = online_submitted(office, received)
        with office.session() as s:
            requests.approve(s, office.officer, rid, at=clear)
        state, clear_at, due_at, _prices, _v = row(office, rid)
        assert state is RequestState.APPROVED and clear_at == clear
        due = local(due_at, zone)
        assert (due.date(), due.strftime("%H:%M:%S")) == (date(2026, 9, 1), "23:59:59")
    finally:
        office.db.dispose()


@pytest.mark.parametrize("zone", ["WIT", "WIB"])
def test_clear_corrected_after_approval_moves_the_deadline_and_is_audited(zone, database_url, monkeypatch, tmp_path):
    office = office_in(zone, database_url, monkeypatch, tmp_path)
    try:
        rid = online_submitted(office, at(2026, 8, 10, 9, 0, zone_hours=ZONE_HOURS[zone]))
        with office.session() as s:
            requests.approve(s, office.officer, rid)  # entered late: clear defaults to now
        _state, clear_at, due_at, _p, _v = row(office, rid)
        assert abs(clear_at - utcnow()) < timedelta(minutes=5) and due_at > utcnow()
        clear = at(2026, 8, 14, 0, 0, zone_hours=ZONE_HOURS[zone])
        with office.session() as s:
            requests.set_clear_at(s, office.officer, rid, clear, "Syarat lengkap sejak email 14 Agustus.")
        _state, new_clear, new_due, _p, _v = row(office, rid)
        assert new_clear == clear and local(new_due, zone).date() == date(2026, 9, 1)
        with office.session() as s:
            entry = audit.history(s, "service_request", rid)[-1]
            assert entry.action == "request.clear_at"
            assert entry.reason == "Syarat lengkap sejak email 14 Agustus."
            assert entry.snapshot["_extra"]["from"] == clear_at.isoformat()
            assert entry.snapshot["_extra"]["to"] == clear.isoformat()
            assert entry.snapshot["_extra"]["due_from"] == due_at.isoformat()
            assert audit.verify(s) == []
    finally:
        office.db.dispose()


def test_approval_refuses_a_future_clear_and_changes_nothing(wit_office):
    rid = online_submitted(wit_office, utcnow() - timedelta(days=3))
    before, entries = row(wit_office, rid), audit_count(wit_office)
    with pytest.raises(ValidationError) as refused, wit_office.session() as s:
        requests.approve(s, wit_office.officer, rid, at=utcnow() + timedelta(hours=2))
    assert refused.value.code == "clear_future" and refused.value.field == "clear_at"
    assert "WIT" in refused.value.message("id") and "future" in refused.value.message("en")
    assert row(wit_office, rid) == before and before[0] is RequestState.SUBMITTED and before[1] is None
    assert before[3] == [None] and audit_count(wit_office) == entries


def test_approval_refuses_a_clear_before_the_request_was_received(wit_office):
    received = utcnow() - timedelta(days=3)
    rid = online_submitted(wit_office, received)
    before, entries = row(wit_office, rid), audit_count(wit_office)
    with pytest.raises(ValidationError) as refused, wit_office.session() as s:
        requests.approve(s, wit_office.officer, rid, at=received - timedelta(minutes=1))
    assert refused.value.code == "clear_before_received"
    assert "sebelum permintaan diterima" in refused.value.message("id")
    assert "before the request was received" in refused.value.message("en")
    assert row(wit_office, rid) == before and audit_count(wit_office) == entries
    with wit_office.session() as s:  # exactly the moment it was received is allowed
        requests.approve(s, wit_office.officer, rid, at=received)
    assert row(wit_office, rid)[1] == received


def test_a_later_correction_refuses_future_before_received_and_no_reason(wit_office):
    received = utcnow() - timedelta(days=3)
    rid = online_submitted(wit_office, received)
    with wit_office.session() as s:
        requests.approve(s, wit_office.officer, rid, at=received + timedelta(hours=1))
    before, entries = row(wit_office, rid), audit_count(wit_office)
    for moment, reason, code in ((utcnow() + timedelta(minutes=5), "Salah ketik", "clear_future"),
                                 (received - timedelta(seconds=1), "Salah ketik", "clear_before_received"),
                                 (received + timedelta(hours=2), "  ", "required")):
        with pytest.raises(ValidationError) as refused, wit_office.session() as s:
            requests.set_clear_at(s, wit_office.officer, rid, moment, reason)
        assert refused.value.code == code
        assert row(wit_office, rid) == before and audit_count(wit_office) == entries


def test_a_walk_in_records_its_approval_but_its_clock_is_the_guestbook(wit_office):
    rid = wit_office.approved()
    with wit_office.session() as s:
        req = s.get(ServiceRequest, rid)
        assert req.clear_at is not None and req.clear_at >= req.received_at
        assert req.due_at == req.received_at + timedelta(hours=1)
    with pytest.raises(StateError) as refused, wit_office.session() as s:
        requests.set_clear_at(s, wit_office.officer, rid, utcnow(), "Koreksi")
    assert refused.value.code == "online_only"


def test_the_database_refuses_a_clear_before_receipt_written_behind_the_application(wit_office):
    received = utcnow() - timedelta(days=3)
    rid = online_submitted(wit_office, received)
    with wit_office.session() as s:
        requests.approve(s, wit_office.officer, rid)
    with pytest.raises(IntegrityError), wit_office.session() as s:
        s.execute(update(ServiceRequest).where(ServiceRequest.id == rid)
                  .values(clear_at=received - timedelta(days=1)))
        s.flush()
    with wit_office.session() as s:
        assert s.execute(text("SELECT count(*) FROM service_request WHERE clear_at < received_at")).scalar() == 0


def test_the_upgrade_gives_approved_requests_their_approval_moment_and_mends_impossible_ones(wit_office, tmp_path):
    """A database from before 0011_request_clear_at: an approved walk-in without ``clear_at`` gets its approval
    moment from the audit trail; an online request whose ``clear_at`` lay before it was received gets its
    approval moment and its deadline counted again; a request never approved stays without one."""
    office = wit_office
    walk_in = office.approved()
    received = utcnow() - timedelta(days=3)
    late_entry = online_submitted(office, received)
    untouched = online_submitted(office, received)
    with office.session() as s:
        requests.approve(s, office.officer, late_entry)
        approvals = {rid: next(e.at for e in audit.history(s, "service_request", rid) if e.to_state == "approved")
                     for rid in (walk_in, late_entry)}
    url = office.db.engine.url.render_as_string(hide_password=False)
    office.db.dispose()
    engine = make_engine(url)
    migrate.migrate_to(engine, "0007", down=True)
    with engine.begin() as conn:
        conn.execute(update(ServiceRequest.__table__).where(ServiceRequest.__table__.c.id == walk_in)
                     .values(clear_at=None))
        conn.execute(update(ServiceRequest.__table__).where(ServiceRequest.__table__.c.id == late_entry)
                     .values(clear_at=received - timedelta(days=2), due_at=received))
    migrate.migrate_to(engine, "head")
    engine.dispose()
    database = open_url(url, tmp_path / "after")
    try:
        with database.unit_of_work() as s:
            by_id = {r.id: r for r in s.scalars(select(ServiceRequest))}
            assert by_id[walk_in].clear_at == approvals[walk_in]
            assert by_id[walk_in].due_at == by_id[walk_in].received_at + timedelta(hours=1)
            assert by_id[late_entry].clear_at == approvals[late_entry]
            assert by_id[late_entry].due_at == online_due(approvals[late_entry], "WIT")
            assert by_id[untouched].clear_at is None and by_id[untouched].due_at is None
            assert audit.verify(s) == []
    finally:
        database.dispose()

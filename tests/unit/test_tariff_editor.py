"""The supervisor's tariff editor: a new schedule is a copy of the one in force, dated after the office's
today and after the latest schedule; only a schedule not yet in force can be edited; every change is in
the audit trail; requests switch to the new prices at office midnight of the effective date, and issued
invoices keep the prices they were issued with."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import AuditEntry, Invoice, TariffLine, TariffSchedule
from pstdesktop.services import audit, billing, requests, tariffs
from pstdesktop.services.clock import day_start
from pstdesktop.services.errors import PermissionDenied, StateError, ValidationError
from pstdesktop.services.office import office_today
from tests.conftest import OFFICE

RAW_150MB = 150_000_000  # 20.000 + 149.000 x 20 = Rp3.000.000 under PP 13/2024


def today(office):
    with office.session() as s:
        return office_today(s, office.office_id)


def copy(office, code="PP13-2024-REV", days=1, actor=None, **kw):
    with office.session() as s:
        schedule = tariffs.copy_schedule(s, actor or office.supervisor, code, kw.pop("regulation", "PMK uji"),
                                         kw.pop("on", today(office) + timedelta(days=days)), **kw)
        return schedule.id


def line_of(office, schedule_id: int, product_code: str = "microdata_raw") -> tariffs.LineRow:
    with office.session() as s:
        return next(row for row in tariffs.schedule_lines(s, schedule_id).rows if row.product_code == product_code)


def schedule_count(office) -> int:
    with office.session() as s:
        return s.scalar(select(func.count(TariffSchedule.id)))


def test_a_new_schedule_copies_the_lines_of_the_one_in_force(office):
    new_id = copy(office, regulation="Peraturan BPS uji")
    with office.session() as s:
        listed = tariffs.list_schedules(s, office.supervisor)
        current = next(row for row in listed.rows if row.code == "PP13-2024")
        copied = tariffs.schedule_lines(s, new_id)
        original = tariffs.schedule_lines(s, current.id)
    assert listed.total == 2
    assert [(row.code, row.state, row.lines) for row in listed.rows] == [
        ("PP13-2024-REV", tariffs.FUTURE, 7), ("PP13-2024", tariffs.IN_FORCE, 7)]
    assert listed.rows[0].regulation == "Peraturan BPS uji"
    assert listed.rows[0].note == "Salinan dari PP13-2024"
    assert listed.rows[0].editable and not listed.rows[1].editable
    strip = ("id",)
    assert [{k: v for k, v in vars(r).items() if k not in strip} for r in copied.rows] == \
        [{k: v for k, v in vars(r).items() if k not in strip} for r in original.rows]
    assert {r.id for r in copied.rows}.isdisjoint({r.id for r in original.rows})


def test_lists_page_in_the_database(office):
    for n in range(3):
        copy(office, code=f"UJI-{n}", days=n + 1)
    with office.session() as s:
        first = tariffs.list_schedules(s, office.supervisor, offset=0, limit=2)
        second = tariffs.list_schedules(s, office.supervisor, offset=2, limit=2)
        lines = tariffs.schedule_lines(s, first.rows[0].id, offset=5, limit=5)
    assert (first.total, len(first.rows), len(second.rows)) == (4, 2, 2)
    assert [row.code for row in first.rows + second.rows] == ["UJI-2", "UJI-1", "UJI-0", "PP13-2024"]
    assert [row.state for row in second.rows] == [tariffs.FUTURE, tariffs.IN_FORCE]
    assert (lines.total, [row.product_code for row in lines.rows]) == (7, ["map_kab_kecamatan", "map_kab_desa"])


@pytest.mark.parametrize("days", [0, -1, -400])
def test_the_effective_date_must_be_after_the_offices_today(office, days):
    with pytest.raises(ValidationError) as err:
        copy(office, days=days)
    assert (err.value.code, err.value.field) == ("effective_not_future", "effective_from")
    assert today(office).strftime("%d-%m-%Y") in err.value.message("id")
    assert schedule_count(office) == 1


def test_the_effective_date_must_be_after_the_latest_schedule(office):
    copy(office, code="JADWAL-A", days=10)
    for days in (5, 10):
        with pytest.raises(ValidationError) as err:
            copy(office, code="JADWAL-B", days=days)
        assert err.value.code == "effective_after_latest"
        assert "JADWAL-A" in err.value.message("en")
    copy(office, code="JADWAL-B", days=11)
    assert schedule_count(office) == 3


@pytest.mark.parametrize(("code", "regulation", "field", "error"), [
    ("", "PMK uji", "schedule_code", "required"),
    ("X" * 41, "PMK uji", "schedule_code", "too_long"),
    ("pp13-2024", "PMK uji", "schedule_code", "duplicate"),
    ("BARU", "  ", "regulation", "required"),
])
def test_name_and_legal_basis_are_checked(office, code, regulation, field, error):
    with pytest.raises(ValidationError) as err:
        copy(office, code=code, regulation=regulation)
    assert (err.value.field, err.value.code) == (field, error)
    assert schedule_count(office) == 1


def test_only_a_supervisor_makes_or_edits_a_schedule(office):
    with pytest.raises(PermissionDenied):
        copy(office, actor=office.officer)
    new_id = copy(office)
    line = line_of(office, new_id)
    for actor in (office.officer, office.treasurer, office.kiosk):
        with office.session() as s, pytest.raises(PermissionDenied):
            tariffs.edit_line(s, actor, line.id, base_amount=1)
    assert line_of(office, new_id).base_amount == 20_000


def test_a_future_schedule_is_edited_the_one_in_force_is_read_only(office):
    new_id = copy(office)
    day = today(office)
    with office.session() as s:
        current = tariffs.schedule_in_force(s, day)
        in_force_line = next(line for line in current.lines if line.base_amount == 20_000)
        with pytest.raises(StateError) as err:
            tariffs.edit_line(s, office.supervisor, in_force_line.id, base_amount=25_000)
    assert err.value.code == "schedule_read_only"
    assert "PP13-2024" in err.value.message("id")
    line = line_of(office, new_id)
    with office.session() as s:
        tariffs.edit_line(s, office.supervisor, line.id, base_amount="25.000", step_amount=25)
    edited = line_of(office, new_id)
    assert (edited.base_amount, edited.base_quantity, edited.step_amount, edited.step_quantity) == (
        25_000, 1_000_000, 25, 1_000)
    with office.session() as s:
        assert s.get(TariffLine, in_force_line.id).base_amount == 20_000


@pytest.mark.parametrize(("values", "field"), [
    ({"step_quantity": 0}, "step_quantity"),       # a block of 0 units cannot be counted
    ({"base_quantity": 0}, "base_quantity"),
    ({"base_amount": -1}, "base_amount"),
    ({"step_amount": "dua puluh"}, "step_amount"),
    ({"step_amount": 1.5}, "step_amount"),
    ({"base_amount": 10**13 + 1}, "base_amount"),
    ({"price": 5}, "amount"),
])
def test_line_values_follow_the_pricing_rules(office, values, field):
    new_id = copy(office)
    line = line_of(office, new_id)
    with office.session() as s, pytest.raises(ValidationError) as err:
        tariffs.edit_line(s, office.supervisor, line.id, **values)
    assert err.value.field == field
    assert line_of(office, new_id) == line


def test_zero_amounts_are_allowed(office):
    new_id = copy(office)
    line = line_of(office, new_id)
    with office.session() as s:
        tariffs.edit_line(s, office.supervisor, line.id, step_amount=0)
    assert line_of(office, new_id).step_amount == 0


def row_of(entry: AuditEntry) -> dict:
    """The row as the entry recorded it (``row_state``: its values in the order of ``audit.AUDITED``)."""
    return dict(zip(audit.AUDITED[entry.entity], json.loads(entry.row_state), strict=True))


def test_every_change_is_audited_and_the_trail_verifies(office):
    effective = (today(office) + timedelta(days=1)).isoformat()
    new_id = copy(office, code="PP13-2024-REV")
    line = line_of(office, new_id)
    with office.session() as s:
        tariffs.edit_line(s, office.supervisor, line.id, base_amount=25_000)
        tariffs.edit_line(s, office.supervisor, line.id, base_amount=25_000)  # no change, no entry
    with office.session() as s:
        created = s.scalar(select(AuditEntry).where(AuditEntry.action == "tariff_schedule.create"))
        added = s.scalars(select(AuditEntry).where(AuditEntry.action == "tariff.add",
                                                   AuditEntry.actor_id == office.supervisor.account_id)).all()
        updated = s.scalars(select(AuditEntry).where(AuditEntry.action == "tariff.update")).all()
        assert (created.entity, created.entity_id, created.actor_name) == ("tariff_schedule", new_id, "Kepala PST")
        assert created.snapshot["_extra"] == {"code": "PP13-2024-REV", "regulation": "PMK uji",
                                              "effective_from": effective,
                                              "copied_from": "PP13-2024"}
        assert len(added) == 7 and all(row_of(e)["schedule_id"] == new_id for e in added)
        assert len(updated) == 1
        assert updated[0].entity_id == line.id
        assert row_of(updated[0])["base_amount"] == 25_000
        assert updated[0].snapshot["_extra"]["before"]["base_amount"] == 20_000
        assert audit.verify(s) == []


def _request_received_at(office, time_machine, instant) -> int:
    time_machine.move_to(instant, tick=False)
    _ticket, rid = office.walk_in()
    with office.session() as s:
        requests.submit(s, office.officer, rid)
        requests.approve(s, office.officer, rid)
    return rid


def test_pricing_switches_at_office_midnight_of_the_effective_date(office_time, office, time_machine):
    """At each awkward instant (office midnight while UTC is on the day before, year end, 29 February)."""
    effective = today(office) + timedelta(days=1)
    new_id = copy(office, on=effective)
    line = line_of(office, new_id)
    with office.session() as s:
        tariffs.edit_line(s, office.supervisor, line.id, base_amount=25_000, step_amount=25)
    midnight = day_start(effective, OFFICE["time_zone"])
    before = _request_received_at(office, time_machine, midnight - timedelta(minutes=1))
    with office.session() as s:
        early = billing.issue_invoice(s, office.officer, before)
        early_id = early.id
    after = _request_received_at(office, time_machine, midnight + timedelta(minutes=1))
    with office.session() as s:
        late = billing.issue_invoice(s, office.officer, after)
        assert (late.schedule_code, late.total) == ("PP13-2024-REV", 25_000 + 149_000 * 25)
        assert late.lines[0]["base_amount"] == 25_000
        stored = s.get(Invoice, early_id)
        assert (stored.schedule_code, stored.total, stored.lines[0]["base_amount"]) == ("PP13-2024", 3_000_000, 20_000)
        listed = {row.code: row.state for row in tariffs.list_schedules(s, office.supervisor).rows}
        assert listed == {"PP13-2024-REV": tariffs.IN_FORCE, "PP13-2024": tariffs.PAST}
        with pytest.raises(StateError):  # in force now: read-only
            tariffs.edit_line(s, office.supervisor, line.id, base_amount=30_000)


def test_a_request_received_before_the_date_keeps_the_old_schedule_when_invoiced_after(office, time_machine):
    effective = today(office) + timedelta(days=1)
    new_id = copy(office, on=effective)
    with office.session() as s:
        tariffs.edit_line(s, office.supervisor, line_of(office, new_id).id, base_amount=25_000)
    rid = _request_received_at(office, time_machine, day_start(effective, OFFICE["time_zone"]) - timedelta(hours=2))
    time_machine.move_to(day_start(effective, OFFICE["time_zone"]) + timedelta(hours=9), tick=False)
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid)
        assert (invoice.schedule_code, invoice.total) == ("PP13-2024", 3_000_000)

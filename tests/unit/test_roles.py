"""The role matrix: for every action in ``access.PERMISSIONS`` a representative service call is tried
with each of the four roles. Exactly the roles listed may do it (the call completes); every other role
is refused with ``PermissionDenied`` and the database is left exactly as it was. Inactive accounts are
refused whatever their role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models import (
    Account,
    Base,
    Invoice,
    Payment,
    PaymentMethod,
    Receipt,
    RequestState,
    Role,
    ServiceRequest,
    TariffSchedule,
)
from pstdesktop.services import billing, catalogue, delivery, feedback, guestbook, ledger, requests, tariffs
from pstdesktop.services import office as office_service
from pstdesktop.services.access import PERMISSIONS, Actor, actor_of
from pstdesktop.services.clock import local_date, utcnow
from pstdesktop.services.delivery import DeliveredFile
from pstdesktop.services.errors import NotFound, PermissionDenied, ValidationError
from pstdesktop.services.workflow import TRANSITIONS
from tests.conftest import OFFICE, PASSWORD, visitor_answers

ROLES = (Role.SUPERVISOR, Role.OFFICER, Role.TREASURER, Role.KIOSK)
READ_ONLY = {"queue.view", "report.view"}
# an Rp0 approval is an approval: the request.approve check comes first (both grant the same roles)
CHECKED_AS = {"waiver.approve": "request.approve"}
def today_in_ambon() -> date:
    """The office-local day a deposit is made (read when the case runs, not when tests are collected)."""
    return local_date(utcnow(), OFFICE["time_zone"])


def snapshot(office) -> dict[str, list]:
    """Every row of every table, to prove a refusal changed nothing at all."""
    with office.db.engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(
            select(table).order_by(*table.primary_key.columns))] for table in Base.metadata.sorted_tables}


# --- scenarios: put a fresh record in the state the action needs --------------------------------

def _visit(office) -> int:
    with office.session() as s:
        return guestbook.register_visit(s, office.kiosk, visitor_answers(), "Konsultasi Statistik").visit_id


def _submitted(office) -> int:
    _ticket, rid = office.walk_in()
    with office.session() as s:
        requests.submit(s, office.officer, rid)
    return rid


def _invoiced(office) -> int:
    rid = office.approved()
    with office.session() as s:
        return billing.issue_invoice(s, office.officer, rid).id


def _receipted(office) -> tuple[int, int]:
    """(request id, receipt id) of a cash sale with its kuitansi."""
    rid, pid = office.paid()
    with office.session() as s:
        return rid, billing.issue_receipt(s, office.treasurer, pid).id


def _second_supervisor(office) -> Actor:
    """Another supervisor, to approve what a supervisor does (nobody approves their own step)."""
    with office.session() as s:
        found = s.scalar(select(Account).where(Account.username == "wakil"))
        return actor_of(found or office_service.create_account(s, office.supervisor, "wakil", "Wakil Kepala",
                                                               Role.SUPERVISOR, PASSWORD))


def _verified(office, data_dir) -> int:
    rid, _receipt = _receipted(office)
    with office.session() as s:
        item = requests.get_request(s, office.officer, rid).items[0]
        path = data_dir / f"susenas-{rid}.dta"
        path.write_bytes(b"x" * 2048)
        delivery.deliver(s, office.officer, rid, [DeliveredFile(item.id, path)],
                         channel="in_person", media="flashdisk", receipt_handed_over=True, size_reason="Berkas uji lebih kecil.")
    with office.session() as s:
        delivery.confirm_checked(s, office.officer, rid)
    return rid


def _deliverable(office, data_dir) -> dict:
    rid, _receipt = _receipted(office)
    with office.session() as s:
        item = requests.get_request(s, office.officer, rid).items[0]
    path = data_dir / f"susenas-{rid}.dta"
    path.write_bytes(b"x" * 4096)
    return {"rid": rid, "files": [DeliveredFile(item.id, path)]}


def _tariff_line(office) -> int:
    """A line of a schedule not yet in force (a schedule in force is read-only for every role)."""
    with office.session() as s:
        schedule = s.scalar(select(TariffSchedule).where(TariffSchedule.code == "UJI-PERAN"))
        if schedule is None:
            schedule = tariffs.copy_schedule(s, office.supervisor, "UJI-PERAN", "Uji peran",
                                             office_service.office_today(s, office.office_id) + timedelta(days=1))
        return schedule.lines[0].id


@dataclass(frozen=True)
class Case:
    setup: Callable  # (office, data_dir) -> context
    call: Callable   # (session, actor, context, role) -> result
    check: Callable | None = None  # (office, context) -> None, after an allowed call


WAIVER = {"category": "education", "purpose": "research", "letter_number": "B-123/UN13/PT/2026",
          "letter_date": date(2026, 1, 15)}


def _state(office, rid) -> RequestState:
    with office.session() as s:
        return s.get(ServiceRequest, rid).state


def _expect_state(state):
    return lambda office, rid: _assert_equal(_state(office, rid), state)


def _assert_equal(actual, expected):
    assert actual == expected


def _scannable(office, data_dir) -> dict:
    _rid, receipt_id = _receipted(office)
    path = data_dir / f"kuitansi-{receipt_id}.pdf"
    path.write_bytes(b"%PDF-1.4 kuitansi bertanda tangan")
    return {"receipt": receipt_id, "scan": str(path)}


CASES: dict[str, Case] = {
    "guestbook.register": Case(
        lambda o, d: None,
        lambda s, a, c, r: guestbook.register_visit(s, a, visitor_answers(), "Kunjungan Perpustakaan")),
    "poll.answer": Case(
        lambda o, d: _visit(o),
        lambda s, a, visit_id, r: feedback.answer_poll(s, a, visit_id, [4, 3, 4, 3, 4, 4, 3, 4, 4])),
    "queue.view": Case(
        lambda o, d: _visit(o),
        lambda s, a, visit_id, r: _assert_equal([v.id for v in guestbook.queue(s, a)][-1], visit_id)),
    "queue.call": Case(
        lambda o, d: _visit(o),
        lambda s, a, visit_id, r: guestbook.start_serving(s, a, visit_id, station="Meja 1")),
    "request.edit": Case(
        lambda o, d: o.walk_in()[1],
        lambda s, a, rid, r: requests.add_item(s, a, rid, product_code="map_kab_desa", title="Peta desa",
                                               quantity=2, region="Kota Ambon", media="flashdisk")),
    "request.approve": Case(
        lambda o, d: _submitted(o),
        lambda s, a, rid, r: requests.approve(s, a, rid),
        _expect_state(RequestState.APPROVED)),
    "request.cancel": Case(
        lambda o, d: o.walk_in()[1],
        lambda s, a, rid, r: requests.cancel(s, a, rid, "Pemohon membatalkan"),
        _expect_state(RequestState.CANCELLED)),
    "request.close": Case(
        _verified,
        lambda s, a, rid, r: delivery.close(s, a, rid),
        _expect_state(RequestState.CLOSED)),
    "waiver.approve": Case(
        lambda o, d: _submitted(o),
        lambda s, a, rid, r: requests.approve(s, a, rid, waiver=WAIVER),
        _expect_state(RequestState.APPROVED)),
    "invoice.issue": Case(
        lambda o, d: o.approved(),
        lambda s, a, rid, r: billing.issue_invoice(s, a, rid, billing_code=f"8202209224{rid:05d}"),  # one per billing
        _expect_state(RequestState.INVOICED)),
    "invoice.cancel": Case(
        lambda o, d: _invoiced(o),
        lambda s, a, invoice_id, r: billing.cancel_invoice(s, a, invoice_id, "Salah nama pembayar")),
    "sppd.record": Case(
        lambda o, d: o.walk_in()[1],
        lambda s, a, rid, r: delivery.record_sppd(s, a, rid)),
    "delivery.record": Case(
        _deliverable,
        lambda s, a, c, r: delivery.deliver(s, a, c["rid"], c["files"], channel="in_person",
                                            media="flashdisk",
                                            receipt_handed_over=True, size_reason="Berkas uji lebih kecil."),
        lambda o, c: _assert_equal(_state(o, c["rid"]), RequestState.DELIVERED)),
    "payment.record": Case(
        lambda o, d: _invoiced(o),
        lambda s, a, invoice_id, r: billing.record_payment(
            s, a, invoice_id, method=PaymentMethod.CASH, amount=s.get(Invoice, invoice_id).total,
            cash_tendered=5_000_000, idempotency_key=f"role-{r.value}-{invoice_id}")),
    "evidence.attach": Case(
        _scannable,
        lambda s, a, c, r: billing.attach_receipt_scan(s, a, c["receipt"], c["scan"])),
    "receipt.issue": Case(
        lambda o, d: o.paid()[1],
        lambda s, a, payment_id, r: billing.issue_receipt(s, a, payment_id)),
    "receipt.cancel": Case(
        lambda o, d: (_receipted(o)[1], _second_supervisor(o)),
        lambda s, a, c, r: billing.cancel_receipt(s, a, c[0], "Salah nama", approver=c[1])),
    "deposit.record": Case(
        lambda o, d: _receipted(o)[1],
        lambda s, a, receipt_id, r: billing.record_deposit(s, a, [receipt_id],
                                                           ntpn=f"A1B2C3D4E5F6{receipt_id:04d}",
                                                           deposited_on=today_in_ambon())),
    "day.close": Case(  # a day without takings can be closed too; a closed day takes no more receipts
        lambda o, d: None,
        lambda s, a, c, r: ledger.close_day(s, a, today_in_ambon())),
    "complaint.record": Case(
        lambda o, d: None,
        lambda s, a, c, r: feedback.record_complaint(s, a, "Ruang tunggu panas", "kotak_saran")),
    "report.view": Case(
        lambda o, d: o.paid()[1],
        lambda s, a, c, r: _assert_equal(
            billing.totals_by_method(s, a, datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
            [PaymentMethod.CASH], s.scalar(select(func.sum(Payment.amount))))),
    "office.configure": Case(
        lambda o, d: None,
        lambda s, a, c, r: office_service.update_office(s, a, {"address": "Jl. Kapitan Ulupaha 1, Ambon"})),
    "catalogue.edit": Case(
        lambda o, d: _tariff_line(o),
        lambda s, a, line_id, r: catalogue.update_tariff_line(s, a, line_id, base_amount=25_000)),
    "account.manage": Case(
        lambda o, d: None,
        lambda s, a, c, r: office_service.create_account(s, a, f"baru-{r.value}", "Petugas Baru",
                                                         Role.OFFICER, PASSWORD)),
}


SUP, OFF, TRE, KIO = Role.SUPERVISOR, Role.OFFICER, Role.TREASURER, Role.KIOSK
# The reviewed matrix, written out: changing who may do what must be a deliberate change in two places.
REVIEWED = {
    "guestbook.register": {KIO, OFF, SUP}, "poll.answer": {KIO, OFF, SUP},
    "complaint.record": {KIO, OFF, SUP}, "queue.view": {OFF, SUP, TRE}, "queue.call": {OFF, SUP},
    "request.edit": {OFF, SUP}, "request.approve": {OFF, SUP}, "request.cancel": {OFF, SUP},
    "request.close": {OFF, SUP, KIO}, "waiver.approve": {OFF, SUP}, "invoice.issue": {OFF, SUP},
    "invoice.cancel": {OFF, SUP}, "sppd.record": {OFF, SUP}, "delivery.record": {OFF, SUP},
    "evidence.attach": {OFF, SUP, TRE}, "payment.record": {TRE}, "receipt.issue": {TRE}, "receipt.cancel": {TRE, SUP}, "deposit.record": {TRE},
    "day.close": {TRE}, "report.view": {SUP, TRE}, "office.configure": {SUP}, "catalogue.edit": {SUP}, "account.manage": {SUP},
}


def test_permissions_table_is_the_reviewed_one():
    assert {action: set(roles) for action, roles in PERMISSIONS.items()} == REVIEWED


def test_every_action_has_a_case():
    assert set(CASES) == set(PERMISSIONS)


def test_every_transition_names_a_known_action():
    assert set(TRANSITIONS.values()) <= set(PERMISSIONS)


def test_every_role_may_do_something_and_no_role_everything():
    for role in ROLES:
        allowed = {action for action, roles in PERMISSIONS.items() if role in roles}
        assert allowed and allowed != set(PERMISSIONS)


def test_money_is_the_treasurers_and_the_kiosk_touches_no_money():
    assert PERMISSIONS["payment.record"] == {Role.TREASURER}
    assert PERMISSIONS["deposit.record"] == {Role.TREASURER}
    money = ("invoice.issue", "invoice.cancel", "payment.record", "receipt.issue", "receipt.cancel",
             "deposit.record", "waiver.approve", "catalogue.edit", "report.view")
    assert not any(Role.KIOSK in PERMISSIONS[action] for action in money)


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_role_matrix(office, tmp_path, action):
    case = CASES[action]
    for role in ROLES:
        context = case.setup(office, tmp_path)
        before = snapshot(office)
        if role in PERMISSIONS[action]:
            with office.session() as s:
                case.call(s, office.actors[role], context, role)
            if case.check is not None:
                case.check(office, context)
            if action in READ_ONLY:
                assert snapshot(office) == before, f"{action} by {role} changed the database"
            else:
                assert snapshot(office) != before, f"{action} by {role} changed nothing"
        else:
            with pytest.raises(PermissionDenied) as caught, office.session() as s:
                case.call(s, office.actors[role], context, role)
            assert caught.value.code == "role", f"{action} by {role}"
            assert f"'{CHECKED_AS.get(action, action)}'" in caught.value.message("en")
            assert snapshot(office) == before, f"{action} refused for {role} but the database changed"


# --- accounts: the role and the active flag are read from the database ----------------------------

def _set_account(office, actor: Actor, **values) -> None:
    with office.session() as s:
        account = s.get(Account, actor.account_id)
        for key, value in values.items():
            setattr(account, key, value)


@pytest.mark.parametrize("role", ROLES)
def test_inactive_account_is_refused(office, role):
    actor = office.actors[role]
    _set_account(office, actor, active=False)
    allowed = [action for action, roles in PERMISSIONS.items() if role in roles]
    # the simplest action the role could otherwise do
    simplest = ("guestbook.register", "complaint.record", "queue.view", "report.view")
    action = next(a for a in simplest if a in allowed)
    case = CASES[action]
    context = case.setup(office, None)
    before = snapshot(office)
    with pytest.raises(PermissionDenied) as caught, office.session() as s:
        case.call(s, actor, context, role)
    assert caught.value.code == "inactive"
    assert snapshot(office) == before
    _set_account(office, actor, active=True)
    with office.session() as s:
        case.call(s, actor, context, role)


def test_inactive_officer_cannot_move_a_request(office):
    _ticket, rid = office.walk_in()
    _set_account(office, office.officer, active=False)
    before = snapshot(office)
    for call in (lambda s: requests.submit(s, office.officer, rid),
                 lambda s: requests.cancel(s, office.officer, rid, "alasan"),
                 lambda s: requests.set_abstraction(s, office.officer, rid, "Analisis baru")):
        with pytest.raises(PermissionDenied) as caught, office.session() as s:
            call(s)
        assert caught.value.code == "inactive"
        assert "petugas" in caught.value.message("id") and "not active" in caught.value.message("en")
    assert snapshot(office) == before
    assert _state(office, rid) is RequestState.DRAFT


def test_inactive_supervisor_cannot_approve_a_receipt_cancellation(office):
    _rid, receipt_id = _receipted(office)
    _set_account(office, office.supervisor, active=False)
    before = snapshot(office)
    with pytest.raises(ValidationError) as caught, office.session() as s:
        billing.cancel_receipt(s, office.treasurer, receipt_id, "Salah nama", approver=office.supervisor)
    assert caught.value.code == "approver"
    assert snapshot(office) == before


def test_only_a_supervisor_approves_a_receipt_cancellation(office):
    _rid, receipt_id = _receipted(office)
    before = snapshot(office)
    for approver in (office.treasurer, office.officer, office.kiosk):
        with pytest.raises(ValidationError) as caught, office.session() as s:
            billing.cancel_receipt(s, office.treasurer, receipt_id, "Salah nama", approver=approver)
        assert caught.value.code == "approver"
    assert snapshot(office) == before
    with office.session() as s:
        cancelled = billing.cancel_receipt(s, office.treasurer, receipt_id, "Salah nama",
                                           approver=office.supervisor)
    with office.session() as s:
        assert s.get(Receipt, cancelled.id).cancelled_by_id == office.supervisor.account_id


def test_the_role_in_the_actor_is_not_trusted(office):
    # A kiosk session that claims to be a supervisor is still the kiosk account.
    forged = Actor(office.kiosk.account_id, office.office_id, Role.SUPERVISOR, "Kios")
    before = snapshot(office)
    with pytest.raises(PermissionDenied), office.session() as s:
        office_service.create_account(s, forged, "penyusup", "Penyusup", Role.SUPERVISOR, PASSWORD)
    assert snapshot(office) == before


def test_a_role_change_takes_effect_at_the_next_call(office):
    _ticket, rid = office.walk_in()
    _set_account(office, office.officer, role=Role.KIOSK)
    with pytest.raises(PermissionDenied), office.session() as s:
        requests.submit(s, office.officer, rid)
    _set_account(office, office.officer, role=Role.OFFICER)
    with office.session() as s:
        requests.submit(s, office.officer, rid)
    assert _state(office, rid) is RequestState.SUBMITTED


def test_an_unknown_account_is_refused(office):
    ghost = Actor(9999, office.office_id, Role.SUPERVISOR, "Hantu")
    before = snapshot(office)
    with pytest.raises(NotFound) as caught, office.session() as s:
        guestbook.register_visit(s, ghost, visitor_answers(), "Konsultasi Statistik")
    assert caught.value.field == "account"
    assert snapshot(office) == before


"""PCs sharing a PostgreSQL server race to put the same NTPN or SIMPONI billing code on two records:
exactly one wins, the other gets the clear refusal (never a traceback), and nothing of it is left.
When both pass the billing service's check before either commits, the database decides (the
``ntpn_use`` register, the unique indexes on payment NTPNs and on live invoices' billing codes)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from models import Invoice, NtpnUse, Payment, PaymentMethod
from pstdesktop.services import audit, billing
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import ValidationError
from pstdesktop.services.office import office_today
from tests.conftest import OFFICE, Office
from tests.integration.test_numbering_concurrency import JOIN_TIMEOUT, race, unexpected

pytestmark = pytest.mark.postgres

ROUNDS = 5
_codes = iter(range(1, 10_000))



def simponi_invoice(office: Office, code: str | None = None) -> Invoice:
    rid = office.approved()
    with office.session() as s:
        return billing.issue_invoice(s, office.officer, rid, billing_code=code or f"8202611300{next(_codes):05d}")


def pay(office: Office, invoice: Invoice, ntpn: str):
    def press() -> int:
        with office.session() as s:
            return billing.record_payment(s, office.treasurer, invoice.id, method=PaymentMethod.SIMPONI,
                                          amount=invoice.total, ntpn=ntpn, ntb="BNI0099887766", bank="BNI",
                                          idempotency_key=f"simponi-{invoice.id}").id
    return press


def deposit(office: Office, receipt_id: int, ntpn: str):
    def press() -> int:
        with office.session() as s:
            return billing.record_deposit(s, office.treasurer, [receipt_id], ntpn=ntpn,
                                          deposited_on=office_today(s, office.office_id)).id
    return press


def cash_receipt(office: Office) -> int:
    _rid, payment_id = office.paid()
    with office.session() as s:
        return billing.issue_receipt(s, office.treasurer, payment_id).id


def one_winner(outcomes, field: str) -> object:
    """Exactly one call succeeded; the other was refused as a duplicate of ``field``."""
    assert not unexpected(outcomes), unexpected(outcomes)
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
    error = next(exc for kind, exc in outcomes if kind == "error")
    assert isinstance(error, ValidationError) and (error.code, error.field) == ("duplicate", field)
    return next(value for kind, value in outcomes if kind == "ok")


def users_of(office: Office, ntpn: str) -> tuple[list[int], list[int]]:
    with office.session() as s:
        payments = list(s.scalars(select(Payment.id).where(Payment.ntpn == ntpn)))
        register = s.execute(select(NtpnUse.payment_id, NtpnUse.deposit_id).where(NtpnUse.ntpn == ntpn)).all()
    return payments, [tuple(row) for row in register]


def test_two_pcs_racing_for_one_ntpn_one_wins(pg_office):
    office = pg_office
    for round_ in range(ROUNDS):
        ntpn = f"RACEPAY{round_:09d}"
        first, second = simponi_invoice(office), simponi_invoice(office)
        winner = one_winner(race(pay(office, first, ntpn), pay(office, second, ntpn)), "ntpn")
        payments, register = users_of(office, ntpn)
        assert payments == [winner] and register == [(winner, None)]
        with office.session() as s:
            statuses = {s.get(Invoice, first.id).status.value, s.get(Invoice, second.id).status.value}
        assert statuses == {"paid", "issued"}

        ntpn = f"RACEDEP{round_:09d}"
        waiting, receipt_id = simponi_invoice(office), cash_receipt(office)
        outcomes = race(pay(office, waiting, ntpn), deposit(office, receipt_id, ntpn))
        one_winner(outcomes, "ntpn")
        payments, register = users_of(office, ntpn)
        assert len(register) == 1 and len(payments) == (1 if outcomes[0][0] == "ok" else 0)
    with office.session() as s:
        assert audit.verify(s) == []


def waiting_for_a_lock(office: Office, sessions: int = 1) -> None:
    """Until ``sessions`` connections of this database wait for a row or index lock."""
    deadline = time.monotonic() + JOIN_TIMEOUT
    with office.db.engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                        "AND wait_event_type = 'Lock'")).scalar()
            conn.rollback()
            if waiting >= sessions:
                return
            time.sleep(0.05)
    pytest.fail("the second PC never waited for the first one's lock")


def in_thread(call) -> tuple[threading.Thread, list]:
    outcome: list = []

    def run():
        try:
            outcome.append(("ok", call()))
        except BaseException as exc:  # reported to the test
            outcome.append(("error", exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_when_both_pass_the_check_the_database_decides(pg_office, monkeypatch):
    """Two offices on one server (their books are not locked against each other) record the same NTPN:
    the second passes the service's check while the first has not committed, then waits on the
    unique index; when the first commits, the database refuses the second, with the same clear error."""
    office = pg_office
    with monkeypatch.context() as m:  # a second office on the same server
        m.setitem(OFFICE, "unit_code", "8171")
        m.setitem(OFFICE, "name", "BPS Kota Ambon")
        other = Office(office.db)
    mine, theirs = simponi_invoice(office), simponi_invoice(other)
    ntpn = "SAMENTPN00000001"
    with office.session() as s:
        won = billing.record_payment(s, office.treasurer, mine.id, method=PaymentMethod.SIMPONI, amount=mine.total,
                                     ntpn=ntpn, ntb="BNI01", idempotency_key="pc-1").id
        thread, outcome = in_thread(pay(other, theirs, ntpn))
        waiting_for_a_lock(office)
    thread.join(JOIN_TIMEOUT)
    assert not thread.is_alive()
    [(kind, error)] = outcome
    assert kind == "error" and isinstance(error, ValidationError), error
    assert (error.code, error.field, error.message("en")) == ("duplicate", "ntpn", f"NTPN '{ntpn}' is already in use.")
    assert isinstance(error.__context__, IntegrityError)  # refused by the database, not by the check
    assert users_of(office, ntpn) == ([won], [(won, None)])
    with office.session() as s:
        assert s.get(Invoice, theirs.id).status.value == "issued"
        assert audit.verify(s) == []


def test_two_officers_typing_one_billing_code_one_wins(pg_office):
    """Two officers type the same SIMPONI billing code on two invoices at once (no lock orders them):
    the unique index on live invoices' billing codes keeps one."""
    office = pg_office
    code = "820261130099999"
    first, second = simponi_invoice(office, code="820261130088881"), simponi_invoice(office, code="820261130088882")
    with office.session() as s:
        billing.set_billing_code(s, office.officer, first.id, code)
        thread, outcome = in_thread(lambda: _set_code(office, second.id, code))
        waiting_for_a_lock(office)
    thread.join(JOIN_TIMEOUT)
    [(kind, error)] = outcome
    assert kind == "error" and isinstance(error, ValidationError) and error.code == "duplicate", error
    assert error.field == "billing_code" and isinstance(error.__context__, IntegrityError)
    with office.session() as s:
        assert s.scalar(select(func.count(Invoice.id)).where(Invoice.billing_code == code)) == 1
        assert s.get(Invoice, second.id).billing_code == "820261130088882"
    for _ in range(ROUNDS):  # and released together, many times
        a, b = simponi_invoice(office), simponi_invoice(office)
        code = f"8202611301{next(_codes):05d}"
        issued = utcnow()
        one_winner(race(lambda a=a, code=code: _set_code(office, a.id, code),
                        lambda b=b, code=code: _set_code(office, b.id, code)), "billing_code")
        with office.session() as s:
            holders = s.scalars(select(Invoice).where(Invoice.billing_code == code)).all()
        assert len(holders) == 1 and holders[0].billing_expires_at > issued
    with office.session() as s:
        assert audit.verify(s) == []


def _set_code(office: Office, invoice_id: int, code: str) -> str:
    with office.session() as s:
        return billing.set_billing_code(s, office.officer, invoice_id, code).number

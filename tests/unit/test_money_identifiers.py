"""The identifiers of money outside the office, each on one record only: a SIMPONI billing code on one
live (not cancelled) invoice, with the expiry SIMPONI printed; an NTPN (state revenue transaction
number) on one payment or one deposit. Checked by the billing service whoever calls it, backed by
the database (unique indexes and the ``ntpn_use`` register) when a write slips past the check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import MetaData, func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from models import (
    AuditEntry,
    Deposit,
    DocumentCounter,
    DocumentStatus,
    Invoice,
    NtpnUse,
    OfficeProfile,
    Payment,
    PaymentMethod,
    RequestState,
    ServiceRequest,
)
from pstdesktop import migrate
from pstdesktop.config import sqlite_url
from pstdesktop.database import make_engine
from pstdesktop.services import billing, ledger
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import StateError, ValidationError
from pstdesktop.services.office import office_today

CODE = "820261130000001"
OTHER_CODE = "820261130000002"
NTPN = "0A1B2C3D4E5F6071"


def issue(office, rid: int, code: str | None = None, expires=None) -> int:
    with office.session() as s:
        return billing.issue_invoice(s, office.officer, rid, billing_code=code, billing_expires_at=expires).id


def pay_simponi(office, invoice_id: int, ntpn: str, key: str | None = None, **kw) -> int:
    with office.session() as s:
        total = s.get(Invoice, invoice_id).total
        return billing.record_payment(s, office.treasurer, invoice_id, method=PaymentMethod.SIMPONI, amount=total,
                                      ntpn=ntpn, ntb="BNI0099887766", bank="BNI",
                                      idempotency_key=key or f"simponi-{invoice_id}", **kw).id


def set_code(office, invoice_id: int, code: str, expires=None) -> str:
    with office.session() as s:
        return billing.set_billing_code(s, office.officer, invoice_id, code, expires).billing_code


def in_unit(office, step):
    """One step in one unit of work, as a screen runs it."""
    with office.session() as s:
        return step(s)


def simponi_invoice(office, code: str) -> int:
    return issue(office, office.approved(), code)


def cash_receipt(office) -> int:
    """A cash payment with its kuitansi, waiting in the treasurer's box to be deposited."""
    _rid, payment_id = office.paid()
    with office.session() as s:
        return billing.issue_receipt(s, office.treasurer, payment_id).id


def deposit(office, receipt_id: int, ntpn: str) -> int:
    with office.session() as s:
        return billing.record_deposit(s, office.treasurer, [receipt_id], ntpn=ntpn,
                                      deposited_on=office_today(s, office.office_id)).id


def counts(office) -> dict[str, int]:
    """Rows of every table these steps write, and the audit trail."""
    with office.session() as s:
        tables = {"invoice": Invoice, "payment": Payment, "deposit": Deposit, "ntpn_use": NtpnUse}
        found = {name: s.scalar(select(func.count()).select_from(model)) for name, model in tables.items()}
        found["audit"] = s.scalar(select(func.count(AuditEntry.seq)))
        found["invoice_numbers"] = s.scalar(select(func.coalesce(func.sum(DocumentCounter.last_number), 0))
                                            .where(DocumentCounter.kind == "invoice"))
        return found


def refused(call, field: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    assert (error.code, error.field) == ("duplicate", field)
    return error


def by_database(call, field: str) -> None:
    """Refused as a duplicate by the database's constraint (the service's check did not see it)."""
    assert isinstance(refused(call, field).__context__, IntegrityError)


def state_of(office, rid: int) -> RequestState:
    with office.session() as s:
        return s.get(ServiceRequest, rid).state


# --- the billing code ------------------------------------------------------------------------------------


def test_a_billing_code_is_on_one_live_invoice_through_every_entry(office):
    first = simponi_invoice(office, CODE)
    second_rid = office.approved()
    before = counts(office)
    error = refused(lambda: issue(office, second_rid, CODE), "billing_code")
    assert error.message("id") == f"Kode billing SIMPONI '{CODE}' sudah dipakai."
    assert error.message("en") == f"SIMPONI billing code '{CODE}' is already in use."
    assert counts(office) == before  # no invoice, no number taken, nothing audited
    assert state_of(office, second_rid) is RequestState.APPROVED

    second = issue(office, second_rid)  # without a code, then the code typed later
    before = counts(office)
    refused(lambda: set_code(office, second, CODE), "billing_code")
    assert counts(office) == before
    with office.session() as s:
        assert s.get(Invoice, second).billing_code is None

    with office.session() as s:  # the first invoice is cancelled: its code is free again
        billing.cancel_invoice(s, office.officer, first, "Salah nama pembayar")
    with office.session() as s:
        assert billing.set_billing_code(s, office.officer, second, CODE).billing_code == CODE
    with office.session() as s:  # typing the same code again on its own invoice is no duplicate
        assert billing.set_billing_code(s, office.officer, second, CODE).billing_code == CODE


def test_issue_invoice_takes_a_code_again_after_its_invoice_is_cancelled(office):
    rid = office.approved()
    first = issue(office, rid, CODE)
    with office.session() as s:
        billing.cancel_invoice(s, office.officer, first, "Jumlah peta salah")
    again = issue(office, rid, CODE)  # the request's new invoice, with the code SIMPONI gave
    with office.session() as s:
        assert s.get(Invoice, again).billing_code == CODE
        assert s.get(Invoice, first).status is DocumentStatus.CANCELLED
    refused(lambda: simponi_invoice(office, CODE), "billing_code")


def test_a_paid_invoice_keeps_its_code(office):
    invoice_id = simponi_invoice(office, CODE)
    pay_simponi(office, invoice_id, NTPN)
    refused(lambda: simponi_invoice(office, CODE), "billing_code")


@pytest.mark.parametrize("code", ["82026113000000", "8202611300000011", "82026113000000A", "820261130-00001"])
def test_a_billing_code_is_15_digits(office, code):
    rid = office.approved()
    with pytest.raises(ValidationError) as caught:
        issue(office, rid, code)
    assert (caught.value.code, caught.value.field) == ("digits", "billing_code")
    invoice_id = issue(office, rid)
    with office.session() as s, pytest.raises(ValidationError) as caught:
        billing.set_billing_code(s, office.officer, invoice_id, code)
    assert caught.value.code == "digits"


# --- the expiry SIMPONI printed ------------------------------------------------------------------------------


def test_the_expiry_entered_is_stored_and_defaults_to_the_office_validity(office):
    printed = utcnow().replace(microsecond=0) + timedelta(days=2, hours=3)
    invoice_id = issue(office, office.approved(), CODE, printed)
    with office.session() as s:
        assert s.get(Invoice, invoice_id).billing_expires_at == printed
        s.get(OfficeProfile, office.office_id).billing_validity_days = 3
    later = issue(office, office.approved())
    with office.session() as s:
        invoice = billing.set_billing_code(s, office.officer, later, OTHER_CODE)
        assert timedelta(0) <= utcnow() + timedelta(days=3) - invoice.billing_expires_at < timedelta(seconds=5)
        assert abs(billing.default_billing_expiry(s, office.officer) - invoice.billing_expires_at) < timedelta(seconds=5)
        new_expiry = utcnow() + timedelta(hours=5)
        assert billing.set_billing_code(s, office.officer, later, OTHER_CODE, new_expiry).billing_expires_at == new_expiry


def test_an_expiry_in_the_past_naive_or_without_a_code_is_refused(office):
    rid = office.approved()
    before = counts(office)
    now = utcnow()
    for expires, code, field, rule in (
            (now - timedelta(minutes=1), CODE, "billing_expires_at", "past"),
            (now.replace(tzinfo=None) + timedelta(days=1), CODE, "billing_expires_at", "required"),
            (now + timedelta(days=1), None, "billing_code", "required")):
        with pytest.raises(ValidationError) as caught:
            issue(office, rid, code, expires)
        assert (caught.value.code, caught.value.field) == (rule, field)
    assert "sebelum waktu sekarang" in ValidationError("past", "billing_expires_at").message("id")
    assert counts(office) == before


def test_a_payment_after_the_expiry_entered_is_refused(office, time_machine):
    issued_at = utcnow()
    expires = issued_at + timedelta(hours=1)
    invoice_id = issue(office, office.approved(), CODE, expires)
    time_machine.move_to(issued_at + timedelta(hours=2), tick=True)
    with pytest.raises(StateError) as caught:
        pay_simponi(office, invoice_id, NTPN)  # paid now, after the expiry
    assert caught.value.code == "billing_expired"
    paid_in_time = pay_simponi(office, invoice_id, NTPN, paid_at=expires - timedelta(minutes=10))  # the bank's date
    with office.session() as s:
        assert s.get(Payment, paid_in_time).billing_code == CODE


# --- the NTPN ----------------------------------------------------------------------------------------------------


def test_an_ntpn_on_a_payment_is_refused_for_another_payment(office):
    first = simponi_invoice(office, CODE)
    payment_id = pay_simponi(office, first, NTPN)
    assert pay_simponi(office, first, NTPN) == payment_id  # the same form again: the payment recorded
    second = simponi_invoice(office, OTHER_CODE)
    before = counts(office)
    error = refused(lambda: pay_simponi(office, second, NTPN.lower()), "ntpn")  # the same NTPN, typed in lower case
    assert error.message("en") == f"NTPN '{NTPN}' is already in use."
    assert counts(office) == before
    with office.session() as s:
        assert s.get(Invoice, second).status is DocumentStatus.ISSUED
        assert s.scalars(select(NtpnUse)).one().payment_id == payment_id


def test_an_ntpn_on_a_payment_is_refused_for_a_deposit_and_the_other_way_round(office):
    paid = simponi_invoice(office, CODE)
    payment_id = pay_simponi(office, paid, NTPN)
    receipt_id = cash_receipt(office)
    before = counts(office)
    refused(lambda: deposit(office, receipt_id, NTPN), "ntpn")
    assert counts(office) == before

    deposit_id = deposit(office, receipt_id, "DEP0000000000001")
    waiting = simponi_invoice(office, OTHER_CODE)
    before = counts(office)
    refused(lambda: pay_simponi(office, waiting, "dep0000000000001"), "ntpn")
    refused(lambda: in_unit(office, lambda s: ledger.take_payment(
        s, office.treasurer, waiting, method="simponi", amount=3_000_000, ntpn="DEP0000000000001", ntb="BNI",
        idempotency_key="panel")), "ntpn")
    other_receipt = cash_receipt(office)
    before = counts(office)
    refused(lambda: deposit(office, other_receipt, "DEP0000000000001"), "ntpn")
    refused(lambda: in_unit(office, lambda s: ledger.record_deposit(
        s, office.treasurer, [other_receipt], ntpn=NTPN, deposited_on=office_today(s, office.office_id))), "ntpn")
    assert counts(office) == before
    with office.session() as s:
        register = {use.ntpn: (use.payment_id, use.deposit_id) for use in s.scalars(select(NtpnUse))}
    assert register == {NTPN: (payment_id, None), "DEP0000000000001": (None, deposit_id)}


def test_a_write_that_slipped_past_the_check_is_the_same_clear_refusal(office, monkeypatch):
    """Another PC recorded the same identifier after this one checked it: the database refuses the
    row, and the step ends with the same domain error, nothing changed (never a traceback)."""
    taken = simponi_invoice(office, CODE)
    pay_simponi(office, taken, NTPN)
    receipt_id = cash_receipt(office)
    deposit(office, receipt_id, "DEP0000000000001")
    waiting = issue(office, office.approved())
    approved = office.approved()
    other_receipt = cash_receipt(office)
    # the checks as another PC saw them, a moment before it committed
    monkeypatch.setattr(billing, "_ntpn_unused", lambda session, ntpn: ntpn)
    monkeypatch.setattr(billing, "_billing_code_unused", lambda session, code, invoice_id: code)
    before = counts(office)
    by_database(lambda: set_code(office, waiting, CODE), "billing_code")  # ux_invoice_live_billing_code
    by_database(lambda: issue(office, approved, CODE), "billing_code")
    assert counts(office) == before and state_of(office, approved) is RequestState.APPROVED
    with office.session() as s:
        billing.set_billing_code(s, office.officer, waiting, OTHER_CODE)
    after_code = counts(office)
    by_database(lambda: pay_simponi(office, waiting, NTPN), "ntpn")  # ux_payment_ntpn
    by_database(lambda: pay_simponi(office, waiting, "DEP0000000000001"), "ntpn")  # the register's key
    by_database(lambda: deposit(office, other_receipt, NTPN), "ntpn")  # the register's key
    by_database(lambda: deposit(office, other_receipt, "DEP0000000000001"), "ntpn")  # uq_deposit_ntpn
    assert counts(office) == {**before, "audit": after_code["audit"]}
    with office.session() as s:
        assert s.get(Invoice, waiting).status is DocumentStatus.ISSUED


def test_the_database_refuses_a_row_written_behind_the_service(office):
    taken = simponi_invoice(office, CODE)
    taken_payment = pay_simponi(office, taken, NTPN)
    other = simponi_invoice(office, OTHER_CODE)
    other_payment = pay_simponi(office, other, "1111222233334444")
    receipt_id = cash_receipt(office)
    deposit_id = deposit(office, receipt_id, "DEP0000000000001")
    waiting = issue(office, office.approved())
    statements = [
        ("UPDATE invoice SET billing_code = :code WHERE id = :id", {"code": CODE, "id": waiting}),
        ("UPDATE payment SET ntpn = :ntpn WHERE id = :id", {"ntpn": NTPN, "id": other_payment}),
        ("INSERT INTO ntpn_use (ntpn, deposit_id) VALUES (:ntpn, :id)", {"ntpn": NTPN, "id": deposit_id}),
        ("INSERT INTO ntpn_use (ntpn, payment_id, deposit_id) VALUES ('ABCDABCDABCDABCD', :p, :d)",
         {"p": taken_payment, "d": deposit_id}),
        ("INSERT INTO ntpn_use (ntpn) VALUES ('ABCDABCDABCDABCD')", {}),
    ]
    for sql, params in statements:
        with pytest.raises(IntegrityError), office.session() as s:
            s.execute(text(sql), params)
    with office.session() as s:  # the same code is allowed once its invoice is cancelled
        s.execute(text("UPDATE invoice SET status = 'cancelled', cancel_reason = 'x' WHERE id = :id"), {"id": taken})
        s.execute(text("UPDATE invoice SET billing_code = :code WHERE id = :id"), {"code": CODE, "id": waiting})
        with pytest.raises(IntegrityError):  # and then the cancelled one cannot come back alive
            s.execute(text("UPDATE invoice SET status = 'issued' WHERE id = :id"), {"id": taken})


# --- the migration -----------------------------------------------------------------------------------------


def previous_version_copy(office, path):
    """The rows of ``office`` that revision 0002 concerns (invoices, payments, deposits and the rows
    they refer to), in a database at revision 0001, as the previous version of the application kept it."""
    engine = make_engine(sqlite_url(path))
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    old, new = MetaData(), MetaData()
    old.reflect(engine)
    new.reflect(office.db.engine)
    wanted, todo = set(), ["invoice", "payment", "deposit"]
    while todo:  # and every table they refer to
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo.extend(fk.column.table.name for fk in old.tables[name].foreign_keys)
    with office.db.engine.connect() as source, engine.begin() as target:
        for table in (t for t in old.sorted_tables if t.name in wanted):
            current = new.tables[table.name]
            rows = source.execute(select(*(current.c[c.name] for c in table.c))).mappings().all()
            if rows:
                target.execute(insert(table), [dict(row) for row in rows])
    return engine


def test_the_upgrade_fills_the_register_and_stops_on_duplicates(office, tmp_path):
    taken = simponi_invoice(office, CODE)
    payment_id = pay_simponi(office, taken, NTPN)
    deposit_id = deposit(office, cash_receipt(office), "DEP0000000000001")
    waiting = issue(office, office.approved())
    engine = previous_version_copy(office, tmp_path / "previous.sqlite")
    with engine.begin() as conn:  # where the same code and NTPN could be typed twice
        conn.execute(text("UPDATE invoice SET billing_code = :code WHERE id = :id"), {"code": CODE, "id": waiting})
        conn.execute(text("UPDATE deposit SET ntpn = :ntpn WHERE id = :id"), {"ntpn": NTPN, "id": deposit_id})
    with pytest.raises(RuntimeError) as stopped:
        migrate.upgrade(engine)
    message = str(stopped.value)
    assert "nothing was changed" in message and f"billing code {CODE}: invoice " in message
    assert f"NTPN {NTPN}: deposit #{deposit_id}, payment #{payment_id}" in message
    assert migrate.current_revision(engine) == "0001"
    assert "ntpn_use" not in inspect(engine).get_table_names()
    with engine.begin() as conn:  # corrected with the previous version
        conn.execute(text("UPDATE invoice SET billing_code = NULL WHERE id = :id"), {"id": waiting})
        conn.execute(text("UPDATE deposit SET ntpn = 'DEP0000000000001' WHERE id = :id"), {"id": deposit_id})
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
    assert migrate.current_revision(engine) == "0002"
    with engine.connect() as conn:
        register = {ntpn: (paid, deposited) for ntpn, paid, deposited in
                    conn.execute(text("SELECT ntpn, payment_id, deposit_id FROM ntpn_use"))}
        assert register == {NTPN: (payment_id, None), "DEP0000000000001": (None, deposit_id)}
        with pytest.raises(IntegrityError):  # and the rules hold from now on
            conn.execute(text("UPDATE invoice SET billing_code = :code WHERE id = :id"), {"code": CODE, "id": waiting})
    engine.dispose()

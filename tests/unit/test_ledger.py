"""The treasurer's desk and books: payments through the closed-day guard, the supervisor's approval of
a cancellation, deposits, the daily closing, the BKU with its running balance, the lists of the panel
and the monthly service report data."""

import itertools
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models import (
    AuditEntry,
    DailyClosing,
    Deposit,
    DocumentStatus,
    Invoice,
    OfficeProfile,
    Payment,
    PaymentMethod,
    Receipt,
)
from pstdesktop.services import billing, delivery, feedback, ledger, references, requests
from pstdesktop.services.clock import local_date, utcnow
from pstdesktop.services.errors import PermissionDenied, StateError, ValidationError
from pstdesktop.services.office import office_today
from pstdesktop.services.positions import positions
from tests.conftest import PASSWORD

TOTAL = 3_000_000  # the default walk-in: 150.000.000 bytes of raw microdata
SIMPONI_CODE = "820261123465628"
_codes = itertools.count(1)


def fresh_code() -> str:
    """A billing code on no other live invoice (SIMPONI gives each billing its own)."""
    return f"8202611{next(_codes):08d}"


def invoiced(office, billing_code=None, **kw) -> int:
    rid = office.approved(**kw)
    with office.session() as s:
        return billing.issue_invoice(s, office.officer, rid, billing_code=billing_code).id


def pay(office, invoice_id, method=PaymentMethod.CASH, key=None, **kw) -> int:
    with office.session() as s:
        total = s.get(Invoice, invoice_id).total
        args = {"amount": total, "cash_tendered": total} if method is PaymentMethod.CASH else {"amount": total}
        args.update(kw)
        return ledger.take_payment(s, office.treasurer, invoice_id, method=method,
                                   idempotency_key=key or f"k-{invoice_id}", **args).id


def receipt_of(office, payment_id) -> int:
    with office.session() as s:
        return ledger.issue_receipt(s, office.treasurer, payment_id).id


def sold(office, method=PaymentMethod.CASH, items=None, **kw) -> tuple[int, int, int]:
    """An invoice paid by ``method`` with its kuitansi: (invoice, payment, receipt) ids."""
    invoice_id = invoiced(office, billing_code=fresh_code() if method is PaymentMethod.SIMPONI else None,
                          **({"items": items} if items else {}))
    extra = dict(kw)
    if method is PaymentMethod.SIMPONI:
        extra.setdefault("ntpn", f"NTPN{invoice_id:012d}")
        extra.setdefault("ntb", "BNI0001")
    if method is PaymentMethod.TRANSFER:
        extra.setdefault("proof_file", extra.pop("proof"))
    payment_id = pay(office, invoice_id, method, **extra)
    return invoice_id, payment_id, receipt_of(office, payment_id)


def today(office) -> date:
    with office.session() as s:
        return office_today(s, office.office_id)


def shift_clock(time_machine, days: int) -> None:
    """Move the clock of the whole process (the application's clock follows) ``days`` ahead."""
    time_machine.move_to(utcnow() + timedelta(days=days), tick=True)


def test_payment_is_recorded_once_for_one_key_and_ntpn_is_unique(office):
    invoice_id = invoiced(office, billing_code=SIMPONI_CODE)
    first = pay(office, invoice_id, PaymentMethod.SIMPONI, key="form-1", ntpn="a1b2c3d4e5f60718", ntb="BNI01")
    again = pay(office, invoice_id, PaymentMethod.SIMPONI, key="form-1", ntpn="a1b2c3d4e5f60718", ntb="BNI01")
    assert first == again
    with office.session() as s:
        assert s.scalar(select(func.count(Payment.id))) == 1
        assert s.get(Payment, first).ntpn == "A1B2C3D4E5F60718"
        assert s.scalar(select(func.count(AuditEntry.seq)).where(AuditEntry.action == "payment.record")) == 1
    other = invoiced(office, billing_code=fresh_code())
    with pytest.raises(ValidationError) as refused:
        pay(office, other, PaymentMethod.SIMPONI, key="form-2", ntpn="A1B2C3D4E5F60718", ntb="BNI02")
    assert refused.value.code == "duplicate" and "NTPN" in refused.value.message()
    with office.session() as s:
        assert s.get(Invoice, other).status is DocumentStatus.ISSUED


@pytest.mark.parametrize(("amount", "code"), [("tiga juta", "integer"), ("-3000000", "positive"), ("0", "positive"),
                                              ("2.999.999", "amount_mismatch"), ("3.000.001", "amount_mismatch")])
def test_bad_amounts_are_refused_and_nothing_changes(office, amount, code):
    invoice_id = invoiced(office)
    with office.session() as s, pytest.raises(ValidationError) as refused:
        ledger.take_payment(s, office.treasurer, invoice_id, method="cash", amount=amount, cash_tendered="5000000",
                            idempotency_key="bad")
    assert refused.value.code == code
    with office.session() as s:
        assert s.scalar(select(func.count(Payment.id))) == 0
        assert s.get(Invoice, invoice_id).status is DocumentStatus.ISSUED


def test_simponi_ntpn_length_and_future_date_are_refused(office):
    invoice_id = invoiced(office, billing_code=SIMPONI_CODE)
    for kwargs, code in (({"ntpn": "A1B2C3"}, "alnum"), ({"ntpn": "A1B2C3D4E5F6071899"}, "alnum"),
                         ({"ntpn": "A1B2C3D4E5F60718", "paid_at": utcnow() + timedelta(days=1)}, "future")):
        with office.session() as s, pytest.raises(ValidationError) as refused:
            ledger.take_payment(s, office.treasurer, invoice_id, method="simponi", amount=TOTAL, ntb="BNI",
                                idempotency_key="k", **kwargs)
        assert refused.value.code == code
    with office.session() as s:
        assert s.scalar(select(func.count(Payment.id))) == 0


def test_supervisor_approval_checks_username_password_and_role(office):
    _inv, payment_id, receipt_id = sold(office)
    for username, password in (("kepala", "salah-sandi"), ("petugas", PASSWORD), ("tidakada", PASSWORD), ("", "")):
        with office.session() as s, pytest.raises(ValidationError) as refused:
            ledger.cancel_receipt(s, office.treasurer, receipt_id, "Nama pembayar salah", username, password)
        assert refused.value.code == "supervisor_login"
    with office.session() as s, pytest.raises(ValidationError) as refused:
        ledger.cancel_receipt(s, office.treasurer, receipt_id, "  ", "kepala", PASSWORD)
    assert refused.value.code == "required"
    with office.session() as s:
        assert s.get(Receipt, receipt_id).status is DocumentStatus.ISSUED
    with office.session() as s:
        ledger.cancel_receipt(s, office.treasurer, receipt_id, "Nama pembayar salah", " KEPALA ", PASSWORD)
    with office.session() as s:
        cancelled = s.get(Receipt, receipt_id)
        assert cancelled.status is DocumentStatus.CANCELLED and cancelled.cancel_reason == "Nama pembayar salah"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "receipt.cancel")).one()
        assert entry.snapshot["_extra"]["approved_by"] == "kepala"
        page = ledger.payments_without_receipt(s, office.treasurer)
        assert [row.payment_id for row in page.rows] == [payment_id]  # a new kuitansi can be issued
    new_receipt = receipt_of(office, payment_id)
    assert new_receipt != receipt_id


def test_bku_rows_debit_credit_and_running_balance(office, data_file):
    _i1, _p1, cash_a = sold(office)
    _i2, _p2, cash_b = sold(office, items=(("map_kab_desa", "Peta WILKERSTAT", 2, "Kota Ambon"),))
    _i3, _p3, simponi = sold(office, PaymentMethod.SIMPONI)
    _i4, _p4, transfer = sold(office, PaymentMethod.TRANSFER, proof=data_file("bukti.pdf", 100), ntb="TRF1")
    with office.session() as s:
        ledger.record_deposit(s, office.treasurer, [cash_a], ntpn="DEP0000000000001", deposited_on=today(office))
    with office.session() as s:
        ledger.cancel_receipt(s, office.treasurer, cash_b, "Salah jumlah peta", "kepala", PASSWORD)
    day = today(office)
    with office.session() as s:
        opening = ledger.opening_balance(s, office.office_id, day.year, day.month)
        rows = ledger.month_rows(s, office.office_id, day.year, day.month, opening)
        totals = ledger.ledger_totals(s, office.office_id, day.year, [day.month])
        numbers = {r.id: r.number for r in s.scalars(select(Receipt))}
    assert opening == 0
    by_number = {row.number: row for row in rows}
    a, b = by_number[numbers[cash_a]], by_number[numbers[cash_b]]
    assert (a.debit, a.credit, a.method, a.ntpn, a.deposit_day) == (TOTAL, 0, "cash", "DEP0000000000001", day)
    assert (b.debit, b.credit) == (140_000, 0)
    s_row, t_row = by_number[numbers[simponi]], by_number[numbers[transfer]]
    assert s_row.debit == s_row.credit == TOTAL and s_row.ntpn.startswith("NTPN") and "SIMPONI" in s_row.description
    # a transfer lands on the receiving account: not state revenue until it is deposited with an NTPN
    assert (t_row.debit, t_row.credit, t_row.ntpn) == (TOTAL, 0, "") and "rekening penerimaan" in t_row.description
    correction = by_number[f"Batal {numbers[cash_b]}"]
    assert (correction.debit, correction.credit) == (-140_000, 0)
    assert numbers[cash_b] in correction.description and "Salah jumlah peta" in correction.description
    deposit = by_number["DEP0000000000001"]
    assert (deposit.debit, deposit.credit) == (0, TOTAL)
    balance = 0
    for row in rows:  # each balance follows from the one before
        balance += row.debit - row.credit
        assert row.balance == balance
    assert rows[-1].balance == TOTAL  # cash A deposited, cash B cancelled; the transfer is still held
    assert totals.debit == sum(r.debit for r in rows) == 3 * TOTAL
    assert totals.credit == sum(r.credit for r in rows) == 2 * TOTAL
    with office.session() as s:  # the positions add up to the same money
        held = positions(s, office.office_id, utcnow() + timedelta(seconds=1), day + timedelta(days=1))
    assert (held.cash, held.bank, held.treasury) == (140_000, TOTAL, 2 * TOTAL)
    assert held.pending == {"cash": 140_000, "simponi": 0, "transfer": 0}  # B paid, its kuitansi cancelled
    assert held.held == rows[-1].balance
    assert totals.closing == rows[-1].balance
    with office.session() as s:
        cash_page, cash = ledger.undeposited(s, office.treasurer)
        bank_page, bank = ledger.undeposited(s, office.treasurer, "transfer")
    assert (cash, cash_page.total, bank, bank_page.total) == (0, 0, TOTAL, 1)
    assert cash + bank == totals.closing
    with office.session() as s:  # the transfer is deposited from the receiving account with its NTPN
        ledger.record_deposit(s, office.treasurer, [transfer], ntpn="DEP0000000000002", deposited_on=day,
                              source="transfer")
    with office.session() as s:
        after = positions(s, office.office_id, utcnow() + timedelta(seconds=1), day + timedelta(days=1))
        closing = ledger.ledger_totals(s, office.office_id, day.year, [day.month]).closing
    assert (after.cash, after.bank, after.treasury, after.held, closing) == (140_000, 0, 3 * TOTAL, 0, 0)


def test_cash_balance_carries_over_and_matches_undeposited(office):
    sold(office)
    sold(office)
    day = today(office)
    with office.session() as s:
        _page, amount = ledger.undeposited(s, office.treasurer)
        following = ledger.month_bounds(day.year, day.month, "WIT")[3]
        carried = ledger.opening_balance(s, office.office_id, following.year, following.month)
    assert amount == carried == 2 * TOTAL


def test_deposit_refuses_bad_ntpn_future_date_and_a_date_before_the_receipt(office):
    _i, _p, receipt_id = sold(office)
    day = today(office)
    cases = ((("A1B2", day), "alnum"), (("DEP0000000000001", day + timedelta(days=1)), "future"),
             (("DEP0000000000001", day - timedelta(days=1)), "deposit_before_receipt"))
    for (ntpn, when), code in cases:
        with office.session() as s, pytest.raises(ValidationError) as refused:
            ledger.record_deposit(s, office.treasurer, [receipt_id], ntpn=ntpn, deposited_on=when)
        assert refused.value.code == code
    with office.session() as s:
        assert s.scalar(select(func.count(Deposit.id))) == 0
        ledger.record_deposit(s, office.treasurer, [receipt_id], ntpn="dep0000000000001", deposited_on=day)
    with office.session() as s, pytest.raises(StateError):  # each cash receipt is deposited once
        ledger.record_deposit(s, office.treasurer, [receipt_id], ntpn="DEP0000000000002", deposited_on=day)


def test_close_day_stores_totals_audits_and_refuses_a_second_close_or_the_future(office, data_file):
    sold(office)
    _i, _p, simponi = sold(office, PaymentMethod.SIMPONI)
    day = today(office)
    with office.session() as s:
        closing = ledger.close_day(s, office.treasurer, day, "Sesuai uang di brankas")
    with office.session() as s:
        stored = s.scalars(select(DailyClosing)).one()
        assert stored.totals["cash"] == TOTAL and stored.totals["simponi"] == TOTAL and stored.totals["transfer"] == 0
        assert stored.totals["receipts"] == 2 and stored.totals["closing"] == TOTAL
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "day.close")).one()
        assert entry.entity == "daily_closing" and entry.entity_id == closing.id
        assert entry.snapshot["_extra"]["cash"] == TOTAL and entry.reason == "Sesuai uang di brankas"
    with office.session() as s, pytest.raises(StateError) as again:
        ledger.close_day(s, office.treasurer, day)
    assert again.value.code == "day_already_closed"
    with office.session() as s, pytest.raises(ValidationError) as future:
        ledger.close_day(s, office.treasurer, day + timedelta(days=1))
    assert future.value.code == "future"
    with office.session() as s, pytest.raises(PermissionDenied):
        ledger.close_day(s, office.officer, day - timedelta(days=1))
    with office.session() as s:  # the kuitansi of the closed day stay as they were
        assert s.get(Receipt, simponi).status is DocumentStatus.ISSUED


def test_a_closed_day_takes_nothing_more_and_corrections_go_to_the_next_day(office_time, office, time_machine):
    _i, payment_id, receipt_id = sold(office)
    waiting = invoiced(office)
    day = today(office)
    with office.session() as s:
        ledger.close_day(s, office.treasurer, day)
    for step in (lambda s: ledger.take_payment(s, office.treasurer, waiting, method="cash", amount=TOTAL,
                                               cash_tendered=TOTAL, idempotency_key="late"),
                 lambda s: ledger.cancel_receipt(s, office.treasurer, receipt_id, "Salah nama", "kepala", PASSWORD),
                 lambda s: ledger.record_deposit(s, office.treasurer, [receipt_id], ntpn="DEP0000000000009",
                                                 deposited_on=day)):
        with office.session() as s, pytest.raises(StateError) as refused:
            step(s)
        assert refused.value.code == "day_closed" and day.strftime("%d-%m-%Y") in refused.value.message()
    with office.session() as s:
        assert s.get(Invoice, waiting).status is DocumentStatus.ISSUED
        assert s.get(Receipt, receipt_id).status is DocumentStatus.ISSUED
        closed_totals = dict(s.scalars(select(DailyClosing)).one().totals)
    shift_clock(time_machine, 1)  # the next day
    with office.session() as s:
        ledger.cancel_receipt(s, office.treasurer, receipt_id, "Salah nama", "kepala", PASSWORD)
    reissued = receipt_of(office, payment_id)
    with office.session() as s, pytest.raises(StateError):  # a deposit dated the closed day stays refused
        ledger.record_deposit(s, office.treasurer, [reissued], ntpn="DEP0000000000009", deposited_on=day)
    with office.session() as s:
        next_day = day + timedelta(days=1)
        rows = [r for m in sorted({(day.year, day.month), (next_day.year, next_day.month)})
                for r in ledger.month_rows(s, office.office_id, *m, 0)]
        correction = next(r for r in rows if r.number.startswith("Batal"))
        assert correction.day == next_day and day.strftime("%d-%m-%Y") in correction.description
        assert dict(s.scalars(select(DailyClosing)).one().totals) == closed_totals
        assert ledger.day_totals(s, office.treasurer, day).as_json() == closed_totals


def test_find_by_scan_verifies_the_signed_reference(office):
    invoice_id = invoiced(office, billing_code=SIMPONI_CODE)
    with office.session() as s:
        invoice = s.get(Invoice, invoice_id)
        text = references.invoice_qr_text(s.get(OfficeProfile, office.office_id), invoice)
        row = ledger.find_by_scan(s, office.treasurer, text.lower())
    assert row.invoice_id == invoice_id and row.total == TOTAL and row.billing_code == SIMPONI_CODE
    forged = text[:-1] + ("0" if text[-1] != "0" else "1")
    altered = text.replace(f"-{TOTAL}-", "-300000-")
    for bad, code in ((forged, "reference_invalid"), (altered, "reference_invalid"),
                      ("PST-8100-INV-2026-99-5-0123456789ABCDEF", "reference_unknown")):
        with office.session() as s, pytest.raises(ValidationError) as refused:
            ledger.find_by_scan(s, office.treasurer, bad)
        assert refused.value.code == code
    payment_id = pay(office, invoice_id, PaymentMethod.SIMPONI, ntpn="A1B2C3D4E5F60718", ntb="BNI")
    with office.session() as s, pytest.raises(StateError) as paid:
        ledger.find_by_scan(s, office.treasurer, text)
    assert paid.value.code == "already_paid"
    receipt_id = receipt_of(office, payment_id)
    with office.session() as s:
        kuitansi = references.receipt_qr_text(s.get(OfficeProfile, office.office_id), s.get(Receipt, receipt_id))
    with office.session() as s, pytest.raises(ValidationError) as not_invoice:
        ledger.find_by_scan(s, office.treasurer, kuitansi)
    assert not_invoice.value.code == "scan_not_invoice"
    assert ledger.looks_like_reference(text) and ledger.looks_like_reference("PST-8100-INV-2026-1-5-ABC")
    assert not ledger.looks_like_reference("PST-8100-2026-00042")
    assert not ledger.looks_like_reference("INV-00001/8100/2026")


def test_lists_page_in_the_database_and_search(office):
    ids = [invoiced(office, full_name=f"Pemohon {n:02d}") for n in range(7)]
    with office.session() as s:
        first = ledger.awaiting_payment(s, office.treasurer, limit=3)
        second = ledger.awaiting_payment(s, office.treasurer, limit=3, after=first.next_key)
        last = ledger.awaiting_payment(s, office.treasurer, limit=3, after=second.next_key)
        found = ledger.awaiting_payment(s, office.treasurer, "pemohon 04")
        by_number = ledger.awaiting_payment(s, office.treasurer, "INV-00002")
        nothing = ledger.awaiting_payment(s, office.treasurer, "100%_")
    assert (first.total, len(first.rows), [r.invoice_id for r in first.rows]) == (7, 3, ids[:3])
    assert [r.invoice_id for r in second.rows] == ids[3:6]
    assert [r.invoice_id for r in last.rows] == ids[6:] and last.next_key is None  # by key, each once
    assert [r.payer for r in found.rows] == ["Pemohon 04"]
    assert [r.invoice_id for r in by_number.rows] == [ids[1]] and by_number.rows[0].number.startswith("INV-00002/")
    assert nothing.total == 0
    with office.session() as s, pytest.raises(PermissionDenied):
        ledger.awaiting_payment(s, office.officer)


def test_service_report_counts_revenue_rp0_on_time_and_satisfaction(office, data_file):
    _i, _p, _r = sold(office)
    ticket, rid = office.walk_in(items=(("map_kab_desa", "Peta WILKERSTAT SE2026", 2, "Kota Ambon"),),
                                 full_name="Siti Tuasikal", occupation="ASN/TNI/Polri")
    day = today(office)
    with office.session() as s:
        requests.submit(s, office.officer, rid)
        requests.approve(s, office.officer, rid, waiver={
            "category": "regional_government", "purpose": "state_duties", "letter_number": "050/12/BAPPEDA/2026",
            "letter_date": day - timedelta(days=1)})
        delivery.record_sppd(s, office.officer, rid)
    with office.session() as s:
        item = delivery.items_of(s, rid)[0]
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(item.id, data_file("peta.zip"))],
                         channel="in_person", media="flashdisk")
    with office.session() as s:
        feedback.answer_poll(s, office.kiosk, ticket.visit_id, [4, 4, 4, 3, 3, 4, 4, 3, 4])
    with office.session() as s:
        report = ledger.service_report(s, office.office_id, day.year, day.month)
    assert sum(c.count for c in report.visits_by_purpose) == 2
    assert {c.label: c.count for c in report.visits_by_occupation} == {"ASN/TNI/Polri": 1, "Peneliti/Dosen": 1}
    assert report.requests_total == 2
    assert {p.product: (p.requests, p.items) for p in report.requests_by_product} == {
        "Data mikro tanpa pengolahan (per dataset)": (1, 1),
        "Peta WILKERSTAT satu kabupaten/kota menurut desa/kelurahan": (1, 1)}
    assert {p.product: p.normal_amount for p in report.requests_by_product}[
        "Peta WILKERSTAT satu kabupaten/kota menurut desa/kelurahan"] == 140_000
    assert {r.label: (r.receipts, r.amount) for r in report.revenue_by_method}["Tunai"] == (1, TOTAL)
    assert sum(a.amount for a in report.revenue_by_account) == TOTAL
    assert [(r.request_number, r.normal_amount, r.letter_number) for r in report.rp0] == [
        (report.rp0[0].request_number, 140_000, "050/12/BAPPEDA/2026")]
    walk_in = report.on_time[0]
    assert (walk_in.delivered, walk_in.on_time) == (1, 1) and walk_in.rate == 1.0
    assert report.satisfaction.respondents == 1
    assert report.satisfaction.index == pytest.approx(sum([4, 4, 4, 3, 3, 4, 4, 3, 4]) / 9 * 25)
    assert local_date(utcnow(), "WIT") >= report.made_on

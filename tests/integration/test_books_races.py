"""Races on the treasurer's books on a real PostgreSQL server, many rounds each, that must end consistent.

Each round releases two PCs (threads, each with its own session and connection) at the same moment,
with a staggered head start so that each side sometimes wins, sometimes loses, and sometimes runs
right through the other one:

- closing the day against booking on it: either the kuitansi is in the closed day's stored totals, or it
  is refused as "day closed" and nothing of it was written (``closing.lock_books`` serializes both);
- two PCs paying one invoice with different payment forms: one payment, the other a clear refusal;
- cancelling a cash kuitansi against depositing it: deposited and live, or cancelled and not deposited,
  never both, and the positions (cash box, BKU balance) still add up.

After every round the audit trail verifies (``audit.verify``)."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models import (
    AuditEntry,
    DailyClosing,
    Deposit,
    DepositReceipt,
    DocumentStatus,
    Invoice,
    NtpnUse,
    Payment,
    PaymentMethod,
    Receipt,
    Refund,
    RequestState,
    ServiceRequest,
)
from pstdesktop.bootstrap import open_url
from pstdesktop.services import audit, billing, ledger, positions
from pstdesktop.services.errors import DomainError, StateError
from pstdesktop.services.office import office_today
from tests.conftest import OFFICE, PASSWORD, Office
from tests.integration.test_numbering_concurrency import race

pytestmark = pytest.mark.postgres


ROUNDS = 30
# Fri 20-02-2026 10:00 WIT; one office day per round of the closing races (into March)
START = datetime(2026, 2, 20, 1, 0, tzinfo=UTC)
# (head start of the first PC, head start of the second PC) in seconds, cycled over the rounds: a dead
# heat, small offsets that land one PC in the middle of the other's transaction, and large ones that
# let each side win outright (so both outcomes are exercised, not only the one the scheduler prefers)
STAGGER = [(0, 0), (0, 0.003), (0.003, 0), (0, 0.015), (0.015, 0), (0, 0.04), (0.04, 0), (0, 0), (0, 0.25),
           (0.25, 0), (0, 0.08)]
SUPERVISOR = "kepala"  # tests.conftest.Office's supervisor


@pytest.fixture
def books(postgres_url, time_machine) -> Office:
    """An office on a fresh PostgreSQL database, set up on the first office day of the races."""
    time_machine.move_to(START, tick=True)
    db = open_url(postgres_url)
    try:
        assert db.engine.dialect.name == "postgresql"
        yield Office(db)
    finally:
        db.dispose()


def not_refusals(outcomes) -> list[str]:
    """Errors that are not a clear refusal (IntegrityError, deadlock, any traceback), shown whole."""
    return [f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}\n"
            + "".join(traceback.format_exception(exc))
            for kind, exc in outcomes if kind != "ok" and not isinstance(exc, DomainError)]


def invoiced(office: Office, billing_code: str | None = None) -> tuple[int, int, int]:
    """An approved request with its invoice: (request id, invoice id, invoice total)."""
    rid = office.approved()
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid, billing_code=billing_code)
        return rid, invoice.id, invoice.total


def assert_audit_intact(office: Office, where: str) -> None:
    with office.session() as s:
        findings = audit.verify(s)
    assert findings == [], f"{where}: {[str(f) for f in findings]}"


def assert_closing_matches_books(office: Office, day: date) -> dict:
    """The closing stored for ``day`` equals the day's totals recomputed from the rows now."""
    with office.session() as s:
        closing = s.scalar(select(DailyClosing).where(DailyClosing.office_id == office.office_id,
                                                      DailyClosing.day == day))
        assert closing is not None, f"{day}: the day was not closed"
        recomputed = ledger.day_totals(s, office.treasurer, day)
        stored = dict(closing.totals)
    assert stored["receipts"] == recomputed.receipts, f"{day}: a kuitansi was booked beside the closing"
    assert stored["cash"] == recomputed.net["cash"], f"{day}: closed cash {stored['cash']} != books {recomputed.net}"
    assert stored == recomputed.as_json(), f"{day}: stored totals {stored} != recomputed {recomputed.as_json()}"
    return stored


def close(office: Office, day: date) -> Callable[[], int]:
    def press():
        with office.session() as s:
            return ledger.close_day(s, office.treasurer, day).id
    return press


def receipt_sequences(office: Office) -> list[int]:
    with office.session() as s:
        return sorted(s.scalars(select(Receipt.sequence).where(Receipt.office_id == office.office_id)))


# --- 1. closing the day against booking on it ------------------------------------------------------------


def test_close_day_against_pay_and_kuitansi(books, time_machine):
    """One PC closes today while another takes a cash payment and prints its kuitansi (one transaction).
    Either the kuitansi is in the closed day's totals, or it was refused as "day closed" and neither the
    payment nor the kuitansi (nor its number) was written."""
    office = books
    seen = set()
    for i in range(ROUNDS):
        time_machine.move_to(START + timedelta(days=i), tick=True)  # a fresh, open office day
        rid, invoice_id, total = invoiced(office)
        with office.session() as s:
            day = office_today(s, office.office_id)
        receipts_before = receipt_sequences(office)

        def pay_and_print(rid=rid, invoice_id=invoice_id, total=total):
            with office.session() as s:
                payment, receipt = billing.pay_and_issue_receipt(
                    s, office.treasurer, invoice_id, method=PaymentMethod.CASH, amount=total,
                    cash_tendered=total, idempotency_key=f"kasir-{rid}")
                return payment.id, receipt.id

        outcomes = race(close(office, day), pay_and_print, delays=STAGGER[i % len(STAGGER)])
        assert not not_refusals(outcomes), not_refusals(outcomes)
        assert outcomes[0][0] == "ok", f"round {i}: closing the day failed: {outcomes[0][1]}"
        stored = assert_closing_matches_books(office, day)
        with office.session() as s:
            payments = s.scalars(select(Payment).where(Payment.invoice_id == invoice_id)).all()
            receipts = s.scalars(select(Receipt).join(Payment, Payment.id == Receipt.payment_id)
                                 .where(Payment.invoice_id == invoice_id)).all()
            invoice_status = s.get(Invoice, invoice_id).status
            state = s.get(ServiceRequest, rid).state
        if outcomes[1][0] == "ok":  # booked: in the closed day's totals
            seen.add("booked")
            payment_id, receipt_id = outcomes[1][1]
            assert [p.id for p in payments] == [payment_id]
            assert [r.id for r in receipts] == [receipt_id]
            assert (stored["receipts"], stored["cash"]) == (1, total), f"round {i}: kuitansi not in {stored}"
            assert (invoice_status, state) == (DocumentStatus.PAID, RequestState.RECEIPTED)
            assert receipt_sequences(office) == [*receipts_before, len(receipts_before) + 1]
        else:  # refused as "day closed": nothing of it written
            seen.add("refused")
            error = outcomes[1][1]
            assert isinstance(error, StateError) and error.code == "day_closed", repr(error)
            assert (payments, receipts) == ([], [])
            assert (stored["receipts"], stored["cash"]) == (0, 0), f"round {i}: closed with {stored}"
            assert (invoice_status, state) == (DocumentStatus.ISSUED, RequestState.INVOICED)
            assert receipt_sequences(office) == receipts_before  # its number was given back
        assert_audit_intact(office, f"round {i}")
    assert seen == {"booked", "refused"}, f"the race always went one way: {seen}"
    assert receipt_sequences(office) == list(range(1, len(receipt_sequences(office)) + 1))


def test_close_day_against_the_kuitansi_of_a_payment_taken_earlier(books, time_machine):
    """The payment was taken in the morning (its own transaction); its kuitansi is printed as the day is
    closed. Either the kuitansi is in the closed totals, or it is refused and the closing lists the
    payment as pending (paid, kuitansi to issue) — and the kuitansi is then booked on the next day.

    This is the race that needs the lock in ``ensure_open``: without it, the check for a closed day passes
    before the closing commits and the kuitansi (its insert waiting on the office row the closing holds)
    lands beside the closing. Pay-and-print (above) checks again in ``issue_receipt`` after its payment
    insert has waited for the closing, so there only ``close_day``'s own lock is indispensable."""
    office = books
    seen = set()
    leftover: int | None = None  # a payment refused its kuitansi yesterday
    for i in range(ROUNDS):
        time_machine.move_to(START + timedelta(days=i), tick=True)
        if leftover is not None:  # the correction: booked on the next open day
            with office.session() as s:
                ledger.issue_receipt(s, office.treasurer, leftover)
            leftover = None
        rid, invoice_id, total = invoiced(office)
        with office.session() as s:
            payment_id = ledger.take_payment(s, office.treasurer, invoice_id, method=PaymentMethod.CASH,
                                             amount=total, cash_tendered=total, idempotency_key=f"pagi-{rid}").id
            day = office_today(s, office.office_id)
            issued_before = ledger.day_totals(s, office.treasurer, day).receipts

        def print_kuitansi(payment_id=payment_id):
            with office.session() as s:
                return ledger.issue_receipt(s, office.treasurer, payment_id).id

        outcomes = race(print_kuitansi, close(office, day), delays=STAGGER[i % len(STAGGER)])
        assert not not_refusals(outcomes), not_refusals(outcomes)
        assert outcomes[1][0] == "ok", f"round {i}: closing the day failed: {outcomes[1][1]}"
        stored = assert_closing_matches_books(office, day)
        with office.session() as s:
            receipts = s.scalars(select(Receipt).where(Receipt.payment_id == payment_id)).all()
            state = s.get(ServiceRequest, rid).state
        if outcomes[0][0] == "ok":
            seen.add("booked")
            assert [r.id for r in receipts] == [outcomes[0][1]]
            assert stored["receipts"] == issued_before + 1 and stored["pending_cash"] == 0, stored
            assert state is RequestState.RECEIPTED
        else:
            seen.add("refused")
            error = outcomes[0][1]
            assert isinstance(error, StateError) and error.code == "day_closed", repr(error)
            assert receipts == []
            assert stored["receipts"] == issued_before and stored["pending_cash"] == total, stored
            assert state is RequestState.PAID
            leftover = payment_id
        assert_audit_intact(office, f"round {i}")
    assert seen == {"booked", "refused"}, f"the race always went one way: {seen}"
    assert receipt_sequences(office) == list(range(1, len(receipt_sequences(office)) + 1))


# --- 2. two PCs paying one invoice ------------------------------------------------------------------------


def test_two_pcs_paying_one_invoice(books):
    """Two treasurer PCs each fill a payment form (different idempotency keys) for the same invoice: PC 1
    pays cash and prints the kuitansi, PC 2 records a cash payment, or on odd rounds a SIMPONI payment
    with its NTPN. One payment is recorded; the other PC is told "already paid", never a database error,
    and leaves nothing behind (no NTPN registered, no kuitansi number taken)."""
    office = books
    winners = set()
    for i in range(ROUNDS):
        simponi = i % 2 == 1
        rid, invoice_id, total = invoiced(office, billing_code=f"8{i:014d}" if simponi else None)
        ntpn = f"NTPNRACE{i:08d}"

        def pc1(rid=rid, invoice_id=invoice_id, total=total):
            with office.session() as s:
                payment, receipt = billing.pay_and_issue_receipt(
                    s, office.treasurer, invoice_id, method=PaymentMethod.CASH, amount=total,
                    cash_tendered=total + 50_000, idempotency_key=f"pc1-{rid}")
                return payment.id, receipt.id

        def pc2(rid=rid, invoice_id=invoice_id, total=total, simponi=simponi, ntpn=ntpn):
            with office.session() as s:
                if simponi:
                    return ledger.take_payment(s, office.treasurer, invoice_id, method=PaymentMethod.SIMPONI,
                                               amount=total, ntpn=ntpn, ntb=f"NTB{rid}", bank="Bank Maluku",
                                               idempotency_key=f"pc2-{rid}").id
                return ledger.take_payment(s, office.treasurer, invoice_id, method="cash", amount=str(total),
                                           idempotency_key=f"pc2-{rid}").id

        receipts_before = receipt_sequences(office)
        outcomes = race(pc1, pc2, delays=STAGGER[i % len(STAGGER)])
        assert not not_refusals(outcomes), not_refusals(outcomes)
        assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], f"round {i}: {outcomes}"
        error = next(exc for kind, exc in outcomes if kind == "error")
        assert isinstance(error, StateError) and error.code == "already_paid", repr(error)
        assert error.message("id") and error.message("en")  # a message the treasurer can read
        with office.session() as s:
            payments = s.scalars(select(Payment).where(Payment.invoice_id == invoice_id)).all()
            assert len(payments) == 1, f"round {i}: {len(payments)} payments for one invoice"
            payment = payments[0]
            receipts = s.scalars(select(Receipt).where(Receipt.payment_id == payment.id)).all()
            assert s.get(Invoice, invoice_id).status is DocumentStatus.PAID
            paid_entries = s.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.entity == "invoice", AuditEntry.entity_id == invoice_id,
                AuditEntry.action == "invoice.paid"))
            assert paid_entries == 1, f"round {i}: invoice marked paid {paid_entries} times"
            ntpn_payment = s.scalar(select(Payment.id).where(Payment.ntpn == ntpn))
            ntpn_use = s.scalar(select(NtpnUse.payment_id).where(NtpnUse.ntpn == ntpn))
            state = s.get(ServiceRequest, rid).state
        if outcomes[0][0] == "ok":
            winners.add("pc1")
            assert (payment.id, payment.idempotency_key, payment.method) == (
                outcomes[0][1][0], f"pc1-{rid}", PaymentMethod.CASH)
            assert [r.id for r in receipts] == [outcomes[0][1][1]]
            assert state is RequestState.RECEIPTED
            assert (ntpn_payment, ntpn_use) == (None, None)  # the loser's NTPN stays free
            assert receipt_sequences(office) == [*receipts_before, len(receipts_before) + 1]
        else:
            winners.add("pc2")
            assert (payment.id, payment.idempotency_key) == (outcomes[1][1], f"pc2-{rid}")
            assert payment.method is (PaymentMethod.SIMPONI if simponi else PaymentMethod.CASH)
            assert receipts == [] and state is RequestState.PAID
            assert (ntpn_payment, ntpn_use) == ((payment.id, payment.id) if simponi else (None, None))
            assert receipt_sequences(office) == receipts_before  # the loser's kuitansi number was given back
        assert_audit_intact(office, f"round {i}")
    assert winners == {"pc1", "pc2"}, f"the race always went one way: {winners}"


# --- 3. cancelling a kuitansi against depositing it -------------------------------------------------------


def assert_positions_add_up(office: Office, where: str) -> None:
    """Cash box = cash payments - cash deposits - cash refunds; held = the month's BKU closing balance =
    the live kuitansi still awaiting their deposit."""
    with office.session() as s:
        oid = office.office_id
        today = office_today(s, oid)
        zone = ledger.zone_of(s, oid)
        pos = positions.positions(s, oid, ledger.day_bounds(today, zone)[1], today + timedelta(days=1))
        paid = s.scalar(select(func.coalesce(func.sum(Payment.amount), 0))
                        .where(Payment.office_id == oid, Payment.method == PaymentMethod.CASH))
        deposited = s.scalar(select(func.coalesce(func.sum(Deposit.amount), 0))
                             .where(Deposit.office_id == oid, Deposit.source == "cash"))
        refunded = s.scalar(select(func.coalesce(func.sum(Refund.amount), 0))
                            .join(Payment, Payment.id == Refund.payment_id)
                            .where(Refund.office_id == oid, Payment.method == PaymentMethod.CASH))
        bku = ledger.ledger_totals(s, oid, today.year, [today.month])
        awaiting = s.scalar(select(func.coalesce(func.sum(Receipt.amount), 0)).where(
            Receipt.office_id == oid, Receipt.status != DocumentStatus.CANCELLED, Receipt.awaiting_deposit.is_(True)))
        doubly = s.scalars(select(Receipt.number).join(DepositReceipt, DepositReceipt.receipt_id == Receipt.id)
                           .where(Receipt.status == DocumentStatus.CANCELLED)).all()
    assert doubly == [], f"{where}: cancelled kuitansi that were deposited: {doubly}"
    assert pos.cash == paid - deposited - refunded, f"{where}: cash box {pos.cash} != {paid} - {deposited} - {refunded}"
    assert pos.held == bku.closing, f"{where}: held {pos.held} != BKU closing balance {bku.closing}"
    assert pos.held == awaiting, f"{where}: held {pos.held} != live kuitansi awaiting deposit {awaiting}"


def test_cancel_against_deposit_of_a_cash_kuitansi(books):
    """The supervisor approves cancelling a cash kuitansi while the treasurer deposits it to Kas Negara.
    Either it is deposited and still live, or it is cancelled and not deposited — never both — and the
    loser is told so plainly ("deposited" / "not awaiting a deposit"), never with a database error."""
    office = books
    seen = set()
    raw_errors: list[str] = []  # checked after all rounds, so the books are checked in every round first
    for i in range(ROUNDS):
        rid, payment_id = office.paid()
        with office.session() as s:
            receipt_id = ledger.issue_receipt(s, office.treasurer, payment_id).id
            today = office_today(s, office.office_id)
        ntpn = f"SETOR{i:011d}"

        def cancel(receipt_id=receipt_id):
            with office.session() as s:
                return ledger.cancel_receipt(s, office.treasurer, receipt_id, "Nama pembayar salah ditulis",
                                             SUPERVISOR, PASSWORD).id

        def deposit(receipt_id=receipt_id, ntpn=ntpn, today=today):
            with office.session() as s:
                return ledger.record_deposit(s, office.treasurer, [receipt_id], ntpn=ntpn, deposited_on=today).id

        # the cancellation checks the supervisor's password (scrypt) first: the deposit starts later
        head_start = STAGGER[i % len(STAGGER)]
        outcomes = race(cancel, deposit, delays=(head_start[0], head_start[1] + 0.03))
        raw_errors += [f"round {i}: {detail}" for detail in not_refusals(outcomes)]
        assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], f"round {i}: {outcomes}"
        with office.session() as s:
            receipt = s.get(Receipt, receipt_id)
            deposits = s.scalars(select(DepositReceipt.deposit_id).where(DepositReceipt.receipt_id == receipt_id)).all()
            deposit_row = s.scalar(select(Deposit).where(Deposit.ntpn == ntpn))
            ntpn_use = s.scalar(select(NtpnUse.deposit_id).where(NtpnUse.ntpn == ntpn))
            state = s.get(ServiceRequest, rid).state
            status, awaiting, amount = receipt.status, receipt.awaiting_deposit, receipt.amount
        if outcomes[1][0] == "ok":  # deposited, still live
            seen.add("deposited")
            error = outcomes[0][1]
            assert not isinstance(error, DomainError) or error.code == "deposited", repr(error)
            assert (status, awaiting) == (DocumentStatus.ISSUED, False)
            assert deposits == [outcomes[1][1]] and deposit_row.amount == amount and ntpn_use == deposit_row.id
            assert state is RequestState.RECEIPTED
        else:  # cancelled, not deposited
            seen.add("cancelled")
            error = outcomes[1][1]
            assert not isinstance(error, DomainError) or error.code == "not_cash", repr(error)
            assert (status, awaiting) == (DocumentStatus.CANCELLED, False)
            assert deposits == [] and deposit_row is None and ntpn_use is None
            assert state is RequestState.PAID  # paid, kuitansi to issue again (or refund)
        assert_positions_add_up(office, f"round {i}")
        assert_audit_intact(office, f"round {i}")
    assert not raw_errors, f"{len(raw_errors)} of {ROUNDS} rounds ended in a database error:\n" + "\n".join(raw_errors)
    assert seen == {"deposited", "cancelled"}, f"the race always went one way: {seen}"


def test_the_office_is_the_one_the_races_assume(books):
    """The stagger and the days above assume the test office's zone (WIT) and its supervisor account."""
    with books.session() as s:
        assert ledger.zone_of(s, books.office_id) == OFFICE["time_zone"] == "WIT"
        assert office_today(s, books.office_id) == date(2026, 2, 20)
        assert ledger.supervisor_approval(s, books.office_id, SUPERVISOR, PASSWORD).account_id == books.supervisor.account_id

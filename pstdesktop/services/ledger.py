"""The treasurer's desk (bendahara penerimaan) and books: taking a payment, the kuitansi, its
cancellation with a supervisor's approval, deposits to the state treasury (Kas Negara), the daily
closing, the Buku Kas Umum (BKU) with its running balance, and the data of the monthly service report.

How the BKU is kept (PER-3/PB/2014 practice, see domain.md):

- a kuitansi is booked on the day it is issued (office time): debit = its amount. SIMPONI payments
  (billing code paid at a bank, post office or ATM) go straight to Kas Negara: the same line also
  carries the credit (setoran langsung) with the payment's NTPN. A transfer lands on the office's
  receiving account, which is not yet state revenue: it is credited when it is deposited;
- a cancelled kuitansi stays on its own day; the cancellation is booked as a correction on the day it
  is made (negative debit, and negative credit for a SIMPONI payment) naming the original kuitansi
  and its date; a refund of that payment is listed on its day (the money left with the correction);
- a deposit of cash takings or of transfers on the receiving account is a credit on its deposit date
  with its NTPN;
- the balance (saldo) is therefore what the treasurer holds under a live kuitansi, in the cash box and
  on the receiving account (``positions.Positions.held``); payments waiting for their kuitansi are
  listed beside it as pending.

The daily closing rule: ``close_day`` stores a day's totals by payment method and locks the day.
Once day D is closed nothing more is booked on D: while the office's date is D, payments, kuitansi,
cancellations and deposits are refused, and so are a deposit dated D and a cash payment dated D.
A correction to a closed day is made on the next open day: the cancellation of a kuitansi of D is
booked on the day it is made and refers to the kuitansi (number and date), so D's closed totals never
change. A SIMPONI or transfer payment may carry an earlier bank date (even a closed day): it is not a
book entry itself; its kuitansi is, on the day it is issued."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Generic, TypeVar

from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.orm import Session

from exports.ledger import (
    BankRow,
    CashRow,
    LedgerRow,
    Letterhead,
    RekapLine,
    Rp0Row,
    long_date,
    month_label,
)
from exports.report import AccountRevenue, Count, OnTime, ProductCount, Revenue, Satisfaction, ServiceReport
from exports.text import amounts_by_account
from models import (
    Account,
    Channel,
    DailyClosing,
    Delivery,
    Deposit,
    DepositReceipt,
    DocumentCounter,
    DocumentStatus,
    Invoice,
    Payment,
    PaymentMethod,
    Product,
    Receipt,
    Refund,
    RequestItem,
    Role,
    ServiceRequest,
    Visit,
    Visitor,
    Waiver,
)
from pstdesktop.services import audit, billing, feedback, references, report_requests, validate
from pstdesktop.services import search as search_index
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import day_start, fmt_local, local, local_date, utcnow
from pstdesktop.services.closing import closing_of, lock_books
from pstdesktop.services.errors import CountedRefusal, NotFound, StateError, ValidationError
from pstdesktop.services.office import check_password, office_of, office_today
from pstdesktop.services.positions import Positions, balances_at, bku_balance, positions_at
from pstdesktop.services.workflow import STATE_LABELS

T = TypeVar("T")
PAGE_SIZE = 25
METHOD_LABELS: dict[str, tuple[str, str]] = {
    "cash": ("Tunai", "Cash"), "simponi": ("SIMPONI (kode billing)", "SIMPONI (billing code)"),
    "transfer": ("Transfer bank", "Bank transfer"),
}
CATEGORY_LABELS = {
    "central_government": "Instansi pemerintah pusat / lembaga negara",
    "regional_government": "Instansi pemerintah daerah",
    "education": "Lembaga pendidikan dalam negeri",
    "foreign_representation": "Perwakilan negara asing",
    "international_organisation": "Organisasi internasional",
}
PURPOSE_LABELS = {
    "state_duties": "Tugas negara / pemerintahan",
    "research": "Penelitian dan pengembangan ilmu pengetahuan",
    "community_empowerment": "Pemberdayaan masyarakat",
    "international_obligations": "Kewajiban internasional",
}
WALK_IN_STANDARD = "Datang langsung: 1 jam sejak mengisi buku tamu"
ONLINE_STANDARD = "Daring: 10 hari kerja sejak permintaan jelas"


Key = tuple  # where a page of a list ends: the values of its order columns in its last row


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list read from the database by key (``total`` rows in all, None when not counted):
    the next page starts after ``next_key``, None on the last page."""

    rows: list[T]
    total: int | None
    limit: int
    next_key: Key | None


def _keyset(session: Session, query, order: tuple, after: Key | None, limit: int, *,
            descending: bool = False) -> tuple[list, Key | None]:
    """The rows of ``query`` in ``order`` after key ``after`` (one more is read to know whether another
    page follows), each row followed by its key columns; and the key of the last row shown."""
    if after is not None:
        key, start = tuple_(*order), tuple_(*(literal(value, column.type) for value, column in zip(after, order,
                                                                                                     strict=True)))
        query = query.where(key < start if descending else key > start)
    rows = session.execute(query.add_columns(*order)
                           .order_by(*(c.desc() if descending else c for c in order)).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (tuple(rows[-1][-len(order):]) if more else None)


# --- days and the closing rule ---------------------------------------------------------------------------


def zone_of(session: Session, office_id: int) -> str:
    return office_of(session, office_id).time_zone


def day_bounds(day: date, zone_name: str) -> tuple[datetime, datetime]:
    """[start, end) of an office-local day, in UTC."""
    return day_start(day, zone_name), day_start(day + timedelta(days=1), zone_name)


# --- the treasurer's steps -------------------------------------------------------------------------------


def take_payment(session: Session, actor: Actor, invoice_id: int, *, method: PaymentMethod | str,
                 amount: int | str, idempotency_key: str, cash_tendered: int | str | None = None,
                 ntpn: str | None = None, ntb: str | None = None, bank: str = "",
                 paid_at: datetime | None = None, proof_file: str | Path | None = None,
                 proof_reuse_reason: str = "", receiving_account_id: int | None = None,
                 confirmed: bool = False) -> Payment:
    """Record the full payment of an invoice, once (``billing.record_payment``), on an open day; a transfer
    seen on the receiving account (``confirmed``) is confirmed in the same step.

    The same ``idempotency_key`` returns the payment already recorded (a double press, a retry); an
    NTPN already on another payment or a deposit is refused (both rules in ``billing``)."""
    require(session, actor, "payment.record")
    payment = billing.record_payment(session, actor, invoice_id, method=method, amount=amount,
                                     idempotency_key=idempotency_key, cash_tendered=cash_tendered, ntpn=ntpn,
                                     ntb=ntb, bank=bank, paid_at=paid_at, proof_file=proof_file,
                                     proof_reuse_reason=proof_reuse_reason,
                                     receiving_account_id=receiving_account_id)
    if confirmed and payment.method is PaymentMethod.TRANSFER and payment.confirmed_at is None:
        billing.confirm_on_account(session, actor, payment.id, receiving_account_id=receiving_account_id)
    return payment


def issue_receipt(session: Session, actor: Actor, payment_id: int) -> Receipt:
    """The kuitansi of a payment (``billing.issue_receipt``), booked today: refused on a closed day."""
    require(session, actor, "receipt.issue")
    return billing.issue_receipt(session, actor, payment_id)


def supervisor_approval(session: Session, office_id: int, username: str, password: str) -> Actor:
    """The supervisor who approves a step, by username and password typed at the treasurer's PC.
    Refused (one plain message, whatever was wrong) unless it names an active, unlocked supervisor
    of this office whose password matches. Wrong passwords count towards that supervisor's lock,
    exactly as at sign-in, although the step itself is rolled back."""
    name = (username or "").strip().lower()
    account = session.scalar(select(Account).where(Account.office_id == office_id, Account.username == name,
                                                   Account.role == Role.SUPERVISOR))
    approver, _code = check_password(account, password)
    if approver is None:
        if account is None:
            raise ValidationError("supervisor_login", "approver")
        counted = (account.id, account.failed_logins, account.locked_until)

        def count(again: Session) -> None:
            failed = again.get(Account, counted[0])
            failed.failed_logins, failed.locked_until = counted[1], counted[2]

        raise CountedRefusal("supervisor_login", "approver", count)
    return approver


def cancel_receipt(session: Session, actor: Actor, receipt_id: int, reason: str, supervisor_username: str,
                   supervisor_password: str) -> Receipt:
    """Cancel a wrong kuitansi with a reason and a supervisor's approval (username and password). It
    stays in the books; the correction is booked today (refused when today is closed)."""
    require(session, actor, "receipt.cancel")
    validate.text("reason", reason, max_length=2000, multiline=True)
    approver = supervisor_approval(session, actor.office_id, supervisor_username, supervisor_password)
    return billing.cancel_receipt(session, actor, receipt_id, reason, approver)


def reissue_receipt(session: Session, actor: Actor, receipt_id: int, reason: str, supervisor_username: str,
                    supervisor_password: str) -> Receipt:
    """Cancel a wrong kuitansi and issue the corrected one for the same payment, in one step
    (``billing.reissue_receipt``), approved by a supervisor. Returns the new kuitansi."""
    require(session, actor, "receipt.cancel")
    validate.text("reason", reason, max_length=2000, multiline=True)
    approver = supervisor_approval(session, actor.office_id, supervisor_username, supervisor_password)
    return billing.reissue_receipt(session, actor, receipt_id, reason, approver)


def record_refund(session: Session, actor: Actor, payment_id: int, *, method: str, refunded_on: date,
                  reason: str, supervisor_username: str, supervisor_password: str) -> Refund:
    """Refund a payment whose kuitansi was cancelled (``billing.record_refund``), approved by a supervisor."""
    require(session, actor, "receipt.cancel")
    validate.text("reason", reason, max_length=2000, multiline=True)
    approver = supervisor_approval(session, actor.office_id, supervisor_username, supervisor_password)
    return billing.record_refund(session, actor, payment_id, method=method, refunded_on=refunded_on,
                                 reason=reason, approver=approver)


def record_deposit(session: Session, actor: Actor, receipt_ids: list[int], *, ntpn: str,
                   deposited_on: date, source: str = "cash") -> Deposit:
    """Cash takings deposited to Kas Negara with the deposit's NTPN (``billing.record_deposit``).
    Refused on a closed day, for a deposit dated a closed day, an NTPN already used, or a date
    before a kuitansi it covers was issued."""
    require(session, actor, "deposit.record")
    return billing.record_deposit(session, actor, receipt_ids, ntpn=ntpn, deposited_on=deposited_on,
                                  source=source)


@dataclass(frozen=True)
class DayTotals:
    """A treasurer's day: kuitansi issued and corrections booked by payment method, and deposits."""

    day: date
    issued: dict[str, int]       # method -> Rupiah of the kuitansi issued that day
    cancelled: dict[str, int]    # method -> Rupiah of the cancellations booked that day
    receipts: int
    cancellations: int
    deposits: int                # Rupiah deposited (dated that day)
    deposit_count: int
    opening: int                 # BKU balance at the start of the day (held under a live kuitansi)
    closing: int                 # BKU balance at the end of the day (not yet deposited)
    unreceipted: int             # payments recorded that day still without a kuitansi
    positions: Positions         # cash box, receiving account, treasury and pending, at the end of the day
    refunds: int = 0             # Rupiah refunded that day

    @property
    def net(self) -> dict[str, int]:
        return {m: self.issued[m] - self.cancelled[m] for m in self.issued}

    def as_json(self) -> dict:
        return {**self.net, "receipts": self.receipts, "cancellations": self.cancellations,
                "cancelled": sum(self.cancelled.values()), "gross": sum(self.issued.values()),
                "deposits": self.deposits, "deposit_count": self.deposit_count, "opening": self.opening,
                "closing": self.closing, "refunds": self.refunds, **self.positions.as_json()}


def positions_now(session: Session, actor: Actor) -> Positions:
    """The cash box, receiving account, treasury and pending payments at this moment."""
    require(session, actor, "payment.record")
    now = utcnow()
    return positions_at(session, actor.office_id, now + timedelta(microseconds=1),
                        office_today(session, actor.office_id) + timedelta(days=1))


def held_now(session: Session, actor: Actor) -> Positions:
    """What the treasurer holds at this moment (cash box, receiving account, paid without kuitansi), read
    from the open rows only — the kuitansi awaiting their deposit and the payments awaiting their
    kuitansi — so it costs the same in the fifth year as on the first day. Equal to ``positions_now``
    but for ``treasury`` (left 0: that needs every movement of the years)."""
    require(session, actor, "payment.record")
    pending = dict.fromkeys((m.value for m in PaymentMethod), 0)
    pending.update({method.value: int(amount or 0) for method, amount in session.execute(
        select(Payment.method, func.sum(Payment.amount))
        .where(Payment.office_id == actor.office_id, Payment.awaiting_receipt == True)  # noqa: E712 (partial index)
        .group_by(Payment.method))})
    held = dict(pending)
    for method, amount in session.execute(
            select(Payment.method, func.sum(Receipt.amount)).join(Payment, Payment.id == Receipt.payment_id)
            .where(Receipt.office_id == actor.office_id, Receipt.awaiting_deposit == True)  # noqa: E712
            .group_by(Payment.method)):
        held[method.value] += int(amount or 0)
    return Positions(cash=held[PaymentMethod.CASH.value], bank=held[PaymentMethod.TRANSFER.value], treasury=0,
                     pending=pending)


def receipt_number(session: Session, actor: Actor, receipt_id: int) -> str:
    require(session, actor, "receipt.issue")
    receipt = session.get(Receipt, validate.record_id("receipt", receipt_id))
    if receipt is None or receipt.office_id != actor.office_id:
        raise NotFound("not_found", "receipt")
    return receipt.number


def day_totals(session: Session, actor: Actor, day: date) -> DayTotals:
    require(session, actor, "report.view")
    return _day_totals(session, actor.office_id, day)


def _day_totals(session: Session, office_id: int, day: date) -> DayTotals:
    zone = zone_of(session, office_id)
    start, end = day_bounds(day, zone)
    issued = dict.fromkeys((m.value for m in PaymentMethod), 0)
    cancelled = dict(issued)
    receipts = cancellations = 0
    for method, count, total in session.execute(
            select(Payment.method, func.count(Receipt.id), func.sum(Receipt.amount))
            .join(Payment, Payment.id == Receipt.payment_id)
            .where(Receipt.office_id == office_id, Receipt.issued_at >= start, Receipt.issued_at < end)
            .group_by(Payment.method)):
        issued[method.value] = int(total or 0)
        receipts += count
    for method, count, total in session.execute(
            select(Payment.method, func.count(Receipt.id), func.sum(Receipt.amount))
            .join(Payment, Payment.id == Receipt.payment_id)
            .where(Receipt.office_id == office_id, Receipt.status == DocumentStatus.CANCELLED,
                   Receipt.cancelled_at >= start, Receipt.cancelled_at < end)
            .group_by(Payment.method)):
        cancelled[method.value] = int(total or 0)
        cancellations += count
    deposit_count, deposits = session.execute(
        select(func.count(Deposit.id), func.coalesce(func.sum(Deposit.amount), 0))
        .where(Deposit.office_id == office_id, Deposit.deposited_on == day)).one()
    active = select(Receipt.id).where(Receipt.payment_id == Payment.id,
                                      Receipt.status != DocumentStatus.CANCELLED).exists()
    unreceipted = session.scalar(select(func.count(Payment.id)).where(  # office_id + 0: read by the day's index
        Payment.office_id + 0 == office_id, Payment.recorded_at >= start, Payment.recorded_at < end, ~active))
    refunds = session.scalar(select(func.coalesce(func.sum(Refund.amount), 0))
                             .where(Refund.office_id == office_id, Refund.refunded_on == day))
    # balances carried forward less the movements since the day: no reading back through the years
    opening = bku_balance(balances_at(session, office_id, start, day))
    at_end = balances_at(session, office_id, end, day + timedelta(days=1))
    return DayTotals(day, issued, cancelled, receipts, cancellations, int(deposits), int(deposit_count),
                     opening, bku_balance(at_end), int(unreceipted or 0),
                     positions_at(session, office_id, end, day + timedelta(days=1), at_end), int(refunds or 0))


def close_day(session: Session, actor: Actor, day: date, note: str = "") -> DailyClosing:
    """Close the treasurer's day: its totals by payment method are stored and the day is locked.
    Refused for a day in the future and for a day already closed."""
    account = require(session, actor, "day.close")
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValidationError("required", "closing_day")
    if day > office_today(session, actor.office_id):
        raise ValidationError("future", "closing_day")
    note = validate.text("note", note, required=False, max_length=2000, multiline=True)
    lock_books(session, actor.office_id)  # a booking in flight finishes first, or waits for the closing
    if closing_of(session, actor.office_id, day) is not None:
        raise StateError("day_already_closed", day=day.strftime("%d-%m-%Y"))
    totals = _day_totals(session, actor.office_id, day)
    closing = DailyClosing(office_id=actor.office_id, day=day, totals=totals.as_json(), closed_at=utcnow(),
                           closed_by_id=account.id, note=note)
    session.add(closing)
    session.flush()
    audit.record(session, account, "day.close", closing, reason=note,
                 extra={"day": day, **totals.as_json()})
    return closing


# --- lists for the treasurer's panel (each one page from the database) ------------------------------------


@dataclass(frozen=True)
class InvoiceRow:
    invoice_id: int
    number: str
    request_number: str
    payer: str
    institution: str
    channel: Channel
    total: int
    issued: str
    billing_code: str
    billing_expires: str
    expired: bool
    status: DocumentStatus


def _invoice_query(office_id: int):
    return (select(Invoice, ServiceRequest.number, ServiceRequest.channel, Visitor.institution)
            .join(ServiceRequest, ServiceRequest.id == Invoice.request_id)
            .join(Visitor, Visitor.id == ServiceRequest.visitor_id)
            .where(Invoice.office_id == office_id))


def _invoice_row(invoice: Invoice, request_number: str, channel: Channel, institution: str, zone: str,
                 now: datetime) -> InvoiceRow:
    return InvoiceRow(invoice.id, invoice.number, request_number, invoice.payer_name, institution, channel,
                      invoice.total, fmt_local(invoice.issued_at, zone), invoice.billing_code or "",
                      fmt_local(invoice.billing_expires_at, zone) if invoice.billing_expires_at else "",
                      invoice.billing_expires_at is not None and invoice.billing_expires_at < now, invoice.status)


def awaiting_payment(session: Session, actor: Actor, search: str = "", *, limit: int = PAGE_SIZE,
                     after: Key | None = None) -> Page[InvoiceRow]:
    """Issued, unpaid invoices (oldest first, the next page after key ``after``), found through the
    search index by invoice or request number or the requester's name, institution, phone or email."""
    require(session, actor, "payment.record")
    zone = zone_of(session, actor.office_id)
    query = _invoice_query(actor.office_id).where(Invoice.status == DocumentStatus.ISSUED)
    found = search_index.matching(session, actor.office_id, search)
    if found is not None:
        query = query.where(Invoice.request_id.in_(found))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    now = utcnow()
    rows, next_key = _keyset(session, query, (Invoice.issued_at, Invoice.id), after, limit)
    return Page([_invoice_row(inv, num, ch, inst, zone, now) for inv, num, ch, inst, *_key in rows],
                int(total or 0), limit, next_key)


def invoice_row(session: Session, actor: Actor, invoice_id: int) -> InvoiceRow:
    require(session, actor, "payment.record")
    found = session.execute(_invoice_query(actor.office_id).where(Invoice.id == invoice_id)).first()
    if found is None:
        raise NotFound("not_found", "invoice")
    return _invoice_row(*found, zone_of(session, actor.office_id), utcnow())


def looks_like_reference(text: str) -> bool:
    """Whether typed text is a scanned document QR (``PST`` and six more parts: unit, kind, year,
    sequence, amount, hash) rather than a search term such as a request number ``PST-8100-2026-00042``."""
    tokens = [t for t in re.split(r"[^0-9A-Za-z]+", (text or "").upper()) if t]
    return references.PREFIX in tokens and len(tokens) - tokens.index(references.PREFIX) >= 6


def find_by_scan(session: Session, actor: Actor, text: str) -> InvoiceRow:
    """The invoice named by a scanned QR, after its signed reference is verified (a forged or altered
    code is refused by ``references.verify_reference``). A kuitansi QR or a settled invoice is refused."""
    require(session, actor, "payment.record")
    ref = references.verify_reference(session, text, actor.office_id)
    if ref.kind != references.INVOICE:
        raise ValidationError("scan_not_invoice", "reference", number=ref.number)
    row = invoice_row(session, actor, ref.document_id)
    if row.status is DocumentStatus.PAID:
        raise StateError("already_paid", number=row.number)
    if row.status is DocumentStatus.CANCELLED:
        raise StateError("invoice_cancelled", number=row.number)
    return row


@dataclass(frozen=True)
class PaymentRow:
    payment_id: int
    invoice_number: str
    payer: str
    method: str
    amount: int
    paid: str
    recorded: str
    confirmed: str = ""  # when a transfer was seen on the receiving account, office time
    confirmation_due: bool = False  # an online transfer not yet seen there: no kuitansi before it is


def payments_without_receipt(session: Session, actor: Actor, *, limit: int = PAGE_SIZE,
                             after: Key | None = None) -> Page[PaymentRow]:
    """Payments whose kuitansi is still to be issued (none yet, or the last one was cancelled), oldest
    first; the next page after key ``after``."""
    require(session, actor, "receipt.issue")
    zone = zone_of(session, actor.office_id)
    query = (select(Payment, Invoice.number, Invoice.payer_name, ServiceRequest.channel)
             .join(Invoice, Invoice.id == Payment.invoice_id).join(ServiceRequest, ServiceRequest.id == Invoice.request_id)
             .where(Payment.office_id == actor.office_id, Payment.awaiting_receipt == True))  # noqa: E712 (partial index)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    found, next_key = _keyset(session, query, (Payment.recorded_at, Payment.id), after, limit)
    rows = [PaymentRow(p.id, number, payer, p.method.value, p.amount, fmt_local(p.paid_at, zone),
                       fmt_local(p.recorded_at, zone), fmt_local(p.confirmed_at, zone) if p.confirmed_at else "",
                       billing.confirmation_due(p, channel)) for p, number, payer, channel, *_key in found]
    return Page(rows, int(total or 0), limit, next_key)


@dataclass(frozen=True)
class ReceiptRow:
    receipt_id: int
    number: str
    issued: str
    received_from: str
    amount: int
    method: str
    status: DocumentStatus
    deposited: str  # deposit date and NTPN, or ""
    cancel_reason: str


def receipts(session: Session, actor: Actor, search: str = "", *, limit: int = PAGE_SIZE,
             after: Key | None = None) -> Page[ReceiptRow]:
    """Kuitansi, newest first (the next page after key ``after``). A search goes through the kuitansi's
    search index (kuitansi, invoice or request number, the requester's name, institution, phone or
    email): the kuitansi found, newest kuitansi first whatever the age of its request, not counted."""
    require(session, actor, "receipt.issue")
    if (search or "").strip():
        return _found_receipts(session, actor, search, after, limit)
    # every kuitansi takes the next number of its year and none is ever deleted: the counters count them
    total = session.scalar(select(func.coalesce(func.sum(DocumentCounter.last_number), 0)).where(
        DocumentCounter.office_id == actor.office_id, DocumentCounter.kind == "receipt"))
    return _receipt_page(session, actor, _receipt_query(actor.office_id), after, limit, total, descending=True)


def _found_receipts(session: Session, actor: Actor, search: str, after: Key | None, limit: int) -> Page[ReceiptRow]:
    """The kuitansi found, newest first by the kuitansi's own id (its key), a page read from the index."""
    office = office_of(session, actor.office_id)  # referenced: the search and the rows read it without a query
    found = search_index.newest(session, office.id, search, limit=limit + 1,
                                before=after[0] if after is not None else None, index=search_index.RECEIPTS)
    rows = session.execute(_receipt_query(office.id, by_office=False).join(found, found.c.id == Receipt.id)
                           .order_by(found.c.id.desc())).all()
    next_key = (rows[limit - 1][0],) if len(rows) > limit else None
    return Page(_receipt_rows(session, actor, rows[:limit]), None, limit, next_key)


def undeposited(session: Session, actor: Actor, source: str = "cash", *, limit: int = 200,
                after: Key | None = None) -> tuple[Page[ReceiptRow], int]:
    """Kuitansi awaiting their deposit (oldest first, the next page after key ``after``) and their total
    in Rupiah: cash in the box, or transfers on the receiving account (``source``)."""
    require(session, actor, "deposit.record")
    query = _receipt_query(actor.office_id).where(Receipt.awaiting_deposit == True,  # noqa: E712 live, not deposited
                                                  Payment.method == PaymentMethod(source))
    amount = session.scalar(select(func.coalesce(func.sum(query.subquery().c.amount), 0)))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    return _receipt_page(session, actor, query, after, limit, total), int(amount)


def _receipt_query(office_id: int, *, by_office: bool = True):
    """The kuitansi list's columns; read through the office's index by date unless ``by_office`` is
    False (``office_id + 0`` keeps that index out of the plan)."""
    return (select(Receipt.id, Receipt.number, Receipt.issued_at, Receipt.received_from, Receipt.amount,
                   Payment.method, Receipt.status, Deposit.deposited_on, Deposit.ntpn, Receipt.cancel_reason)
            .join(Payment, Payment.id == Receipt.payment_id)
            .outerjoin(DepositReceipt, DepositReceipt.receipt_id == Receipt.id)
            .outerjoin(Deposit, Deposit.id == DepositReceipt.deposit_id)
            .where(Receipt.office_id == office_id if by_office else Receipt.office_id + 0 == office_id))


def _receipt_page(session: Session, actor: Actor, query, after: Key | None, limit: int, total: int | None, *,
                  descending: bool = False) -> Page[ReceiptRow]:
    found, next_key = _keyset(session, query, (Receipt.issued_at, Receipt.id), after, limit, descending=descending)
    return Page(_receipt_rows(session, actor, found), None if total is None else int(total), limit, next_key)


def _receipt_rows(session: Session, actor: Actor, found: list) -> list[ReceiptRow]:
    zone = zone_of(session, actor.office_id)
    return [ReceiptRow(rid, number, fmt_local(issued, zone), who, amount, method.value, status,
                       f"{deposited_on.strftime('%d-%m-%Y')} · {ntpn}" if deposited_on else "", reason)
            for rid, number, issued, who, amount, method, status, deposited_on, ntpn, reason, *_key in found]


@dataclass(frozen=True)
class DepositRow:
    deposit_id: int
    deposited_on: date
    ntpn: str
    amount: int
    receipts: int
    recorded: str
    source: str = "cash"  # cash box or receiving account (transfer)


def deposits(session: Session, actor: Actor, *, limit: int = PAGE_SIZE, after: Key | None = None) -> Page[DepositRow]:
    """Deposits, newest first; the next page after key ``after``. Not counted: a count would read every
    deposit of the years for each page."""
    require(session, actor, "deposit.record")
    zone = zone_of(session, actor.office_id)
    counts = (select(func.count(DepositReceipt.id)).where(DepositReceipt.deposit_id == Deposit.id)
              .correlate(Deposit).scalar_subquery())  # per row shown, not over every deposit of the years
    query = select(Deposit.id, Deposit.deposited_on, Deposit.ntpn, Deposit.amount, counts, Deposit.recorded_at,
                   Deposit.source).where(Deposit.office_id == actor.office_id)
    found, next_key = _keyset(session, query, (Deposit.deposited_on, Deposit.id), after, limit, descending=True)
    rows = [DepositRow(i, on, ntpn, amount, int(n or 0), fmt_local(recorded, zone), source)
            for i, on, ntpn, amount, n, recorded, source, *_key in found]
    return Page(rows, None, limit, next_key)


@dataclass(frozen=True)
class ClosingRow:
    day: date
    totals: dict
    closed: str
    closed_by: str
    note: str


def closings(session: Session, actor: Actor, *, limit: int = PAGE_SIZE, after: Key | None = None) -> Page[ClosingRow]:
    """Closed days, newest first; the next page after key ``after``. Not counted, like the deposits."""
    require(session, actor, "report.view")
    zone = zone_of(session, actor.office_id)
    found, next_key = _keyset(session, select(DailyClosing, Account.full_name)
                              .join(Account, Account.id == DailyClosing.closed_by_id)
                              .where(DailyClosing.office_id == actor.office_id), (DailyClosing.day,), after, limit,
                              descending=True)
    rows = [ClosingRow(c.day, dict(c.totals), fmt_local(c.closed_at, zone), name, c.note) for c, name, *_key in found]
    return Page(rows, None, limit, next_key)


# --- the books --------------------------------------------------------------------------------------------


def letterhead(session: Session, office_id: int) -> Letterhead:
    office = office_of(session, office_id)
    contact = " · ".join(p for p in (f"Telp. {office.phone}" if office.phone else "", office.email) if p)
    return Letterhead(office_name=office.name, address=office.address, contact=contact,
                      satker=f"{office.satker_code} — {office.satker_name}" if office.satker_code else "",
                      city=office.city, treasurer_name=office.treasurer_name, treasurer_nip=office.treasurer_nip,
                      official_title=office.sppd_signer_title, official_name=office.sppd_signer_name,
                      official_nip=office.sppd_signer_nip)


def month_bounds(year: int, month: int, zone_name: str) -> tuple[datetime, datetime, date, date]:
    """(start UTC, end UTC, first day, first day of the next month) of an office-local month."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return day_bounds(first, zone_name)[0], day_bounds(following, zone_name)[0], first, following


def cash_balance(session: Session, office_id: int, before: datetime, before_day: date) -> int:
    """The BKU balance at moment ``before``: cash and transfer kuitansi issued, less those cancelled,
    less deposits dated before ``before_day`` (the day ``before`` falls on)."""
    cash = (select(func.coalesce(func.sum(Receipt.amount), 0)).join(Payment, Payment.id == Receipt.payment_id)
            .where(Receipt.office_id == office_id, Payment.method.in_(billing.HELD_METHODS)))
    received = session.scalar(cash.where(Receipt.issued_at < before))
    cancelled = session.scalar(cash.where(Receipt.status == DocumentStatus.CANCELLED, Receipt.cancelled_at < before))
    deposited = session.scalar(select(func.coalesce(func.sum(Deposit.amount), 0))
                               .where(Deposit.office_id == office_id, Deposit.deposited_on < before_day))
    return int(received) - int(cancelled) - int(deposited)


def opening_balance(session: Session, office_id: int, year: int, month: int) -> int:
    start, _end, first, _next = month_bounds(year, month, zone_of(session, office_id))
    return cash_balance(session, office_id, start, first)


_RECEIPT_COLUMNS = (Receipt.id, Receipt.issued_at, Receipt.number, Receipt.received_from, Receipt.description,
                    Receipt.lines, Receipt.amount, Receipt.cancelled_at, Receipt.cancel_reason,
                    Payment.method, Payment.ntpn, Payment.paid_at, Deposit.deposited_on, Deposit.ntpn)


def _receipts_between(office_id: int, column, start: datetime, end: datetime):
    return (select(*_RECEIPT_COLUMNS).join(Payment, Payment.id == Receipt.payment_id)
            .outerjoin(DepositReceipt, DepositReceipt.receipt_id == Receipt.id)
            .outerjoin(Deposit, Deposit.id == DepositReceipt.deposit_id)
            .where(Receipt.office_id == office_id, column >= start, column < end))


def month_rows(session: Session, office_id: int, year: int, month: int, opening: int) -> list[LedgerRow]:
    """The BKU lines of a month in booking order, each with the running balance after it."""
    zone = zone_of(session, office_id)
    start, end, first, following = month_bounds(year, month, zone)
    entries: list[tuple[date, datetime, int, LedgerRow]] = []
    for (rid, issued, number, who, description, code, amount, _cancelled_at, _reason, method, pay_ntpn, paid_at,
         dep_day, dep_ntpn) in session.execute(_receipts_between(office_id, Receipt.issued_at, start, end)):
        direct = method is PaymentMethod.SIMPONI
        day = local_date(issued, zone)
        entries.append((day, issued, rid, LedgerRow(
            day, number, who, description + _direct_note(method), amounts_by_account(code), method.value, amount,
            amount if direct else 0, local_date(paid_at, zone) if direct else dep_day,
            (pay_ntpn or "") if direct else (dep_ntpn or ""), 0)))
    for (rid, issued, number, who, _description, code, amount, cancelled_at, reason, method, pay_ntpn, paid_at,
         _dep_day, _dep_ntpn) in session.execute(
            _receipts_between(office_id, Receipt.cancelled_at, start, end)
            .where(Receipt.status == DocumentStatus.CANCELLED)):
        direct = method is PaymentMethod.SIMPONI
        day = local_date(cancelled_at, zone)
        text = (f"Koreksi: pembatalan kuitansi {number} tanggal {local_date(issued, zone).strftime('%d-%m-%Y')}"
                f" — {reason}")
        entries.append((day, cancelled_at, rid, LedgerRow(
            day, f"Batal {number}", who, text, amounts_by_account(code, -1), method.value, -amount,
            -amount if direct else 0,
            local_date(paid_at, zone) if direct else None, (pay_ntpn or "") if direct else "", 0)))
    counts = dict(session.execute(select(DepositReceipt.deposit_id, func.count(DepositReceipt.id))
                                  .join(Deposit, Deposit.id == DepositReceipt.deposit_id)
                                  .where(Deposit.office_id == office_id, Deposit.deposited_on >= first,
                                         Deposit.deposited_on < following)
                                  .group_by(DepositReceipt.deposit_id)).all())
    for deposit in session.scalars(select(Deposit).where(Deposit.office_id == office_id, Deposit.deposited_on >= first,
                                                         Deposit.deposited_on < following)):
        day_end = day_bounds(deposit.deposited_on, zone)[1] - timedelta(microseconds=1)
        what = "tunai" if deposit.source == "cash" else "transfer dari rekening penerimaan"
        entries.append((deposit.deposited_on, min(deposit.recorded_at, day_end), 10**12 + deposit.id, LedgerRow(
            deposit.deposited_on, deposit.ntpn, "", f"Penyetoran penerimaan {what} ke Kas Negara "
            f"({counts.get(deposit.id, 0)} kuitansi), NTPN {deposit.ntpn}", "", deposit.source, 0, deposit.amount,
            deposit.deposited_on, deposit.ntpn, 0)))
    for refund, method, payer in session.execute(
            select(Refund, Payment.method, Invoice.payer_name).join(Payment, Payment.id == Refund.payment_id)
            .join(Invoice, Invoice.id == Payment.invoice_id)
            .where(Refund.office_id == office_id, Refund.refunded_on >= first, Refund.refunded_on < following)):
        day_end = day_bounds(refund.refunded_on, zone)[1] - timedelta(microseconds=1)
        entries.append((refund.refunded_on, min(refund.recorded_at, day_end), 2 * 10**12 + refund.id, LedgerRow(
            refund.refunded_on, f"Kembali {refund.id}", payer,
            f"Pengembalian uang ({REFUND_WORDS[refund.method]}) pembayaran {method_label(method.value)} yang "
            f"kuitansinya dibatalkan: Rp{refund.amount:,} — {refund.reason}".replace(",", "."),
            "", method.value, 0, 0, None, "", 0)))
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    balance = opening
    rows = []
    for _day, _moment, _key, row in entries:
        balance += row.debit - row.credit
        row.balance = balance
        rows.append(row)
    return rows


def _direct_note(method: PaymentMethod) -> str:
    if method is PaymentMethod.SIMPONI:
        return " [disetor langsung ke Kas Negara melalui kode billing SIMPONI]"
    if method is PaymentMethod.TRANSFER:
        return " [diterima di rekening penerimaan; disetor ke Kas Negara dengan NTPN tersendiri]"
    return ""


# --- the subsidiary books: one per position (cash box, receiving account, state treasury) --------------------
#
# Each lists the movements that ``positions.positions`` adds up, with the same dates: a payment on the day it
# was paid (by its kuitansi), a deposit on its deposit date, a refund on its refund date (it leaves the position
# of the payment it returns). So a book's opening balance plus its movements is the position at its end.

_TAKEN = {PaymentMethod.CASH: "Penerimaan tunai", PaymentMethod.TRANSFER: "Transfer masuk ke rekening penerimaan",
          PaymentMethod.SIMPONI: "Pembayaran kode billing SIMPONI (langsung ke Kas Negara)"}


def _day_text(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _live_at(end: datetime):
    """A kuitansi that was live at instant ``end``: issued before it and not cancelled before it."""
    return (Receipt.issued_at < end) & ((Receipt.status != DocumentStatus.CANCELLED) | (Receipt.cancelled_at >= end))


def _period_days(zone: str, start: datetime, end: datetime) -> tuple[date, date]:
    """The office days [first, following) of the instants [start, end) (both are office midnights)."""
    return local_date(start, zone), local_date(end, zone)


def _position_rows(session: Session, office_id: int, method: PaymentMethod, start: datetime,
                   end: datetime) -> list[CashRow]:
    """The movements of the position that holds ``method``'s payments, in [start, end), in booking order."""
    zone = zone_of(session, office_id)
    first, following = _period_days(zone, start, end)
    entries: list[tuple[date, datetime, int, CashRow]] = []
    # the kuitansi of each payment until the end of the period (live, or cancelled before the end)
    receipts: dict[int, list[tuple]] = defaultdict(list)
    for payment_id, number, status, cancelled_at, dep_day, dep_ntpn in session.execute(
            select(Receipt.payment_id, Receipt.number, Receipt.status, Receipt.cancelled_at, Deposit.deposited_on,
                   Deposit.ntpn)
            .join(Payment, Payment.id == Receipt.payment_id)
            .outerjoin(DepositReceipt, DepositReceipt.receipt_id == Receipt.id)
            .outerjoin(Deposit, (Deposit.id == DepositReceipt.deposit_id) & (Deposit.deposited_on < following))
            .where(Receipt.office_id == office_id, Payment.method == method, Payment.paid_at >= start,
                   Payment.paid_at < end, Receipt.issued_at < end)
            .order_by(Receipt.issued_at, Receipt.id)):
        live = status is not DocumentStatus.CANCELLED or cancelled_at >= end
        receipts[payment_id].append((number, live, cancelled_at, dep_day, dep_ntpn))
    refunded = dict(session.execute(
        select(Refund.payment_id, Refund.refunded_on).join(Payment, Payment.id == Refund.payment_id)
        .where(Refund.office_id == office_id, Payment.method == method, Payment.paid_at >= start,
               Payment.paid_at < end, Refund.refunded_on < following)).all())
    for payment_id, paid_at, amount, bank, ntb, code, pay_ntpn, invoice_number, payer in session.execute(
            select(Payment.id, Payment.paid_at, Payment.amount, Payment.bank, Payment.ntb, Payment.billing_code,
                   Payment.ntpn, Invoice.number, Invoice.payer_name)
            .join(Invoice, Invoice.id == Payment.invoice_id)
            .where(Payment.office_id == office_id, Payment.method == method, Payment.paid_at >= start,
                   Payment.paid_at < end)):
        kuitansi = receipts.get(payment_id, [])
        live = next((k for k in kuitansi if k[1]), None)
        cancelled = [k for k in kuitansi if not k[1]]
        text = f"{_TAKEN[method]}, invoice {invoice_number}"
        if cancelled:
            text += "; kuitansi " + ", ".join(f"{k[0]} dibatalkan {_day_text(local_date(k[2], zone))}"
                                            for k in cancelled)
        if live is not None:
            number, dep_day, dep_ntpn = live[0], live[3], live[4] or ""
        elif payment_id in refunded:
            number, dep_day, dep_ntpn = "(kuitansi dibatalkan)", None, ""
            text += f"; uang dikembalikan {_day_text(refunded[payment_id])}"
        else:
            number, dep_day, dep_ntpn = "(menunggu kuitansi)", None, ""
            text += "; menunggu kuitansi" + (" pengganti" if cancelled else "")
        day = local_date(paid_at, zone)
        if method is PaymentMethod.SIMPONI:  # in the treasury the day it was paid, with its own NTPN
            dep_day, dep_ntpn = day, pay_ntpn or ""
        entries.append((day, paid_at, payment_id, CashRow(day, number, payer, text, amount, 0, dep_day, dep_ntpn,
                                                          bank or "", ntb or "", code or "")))
    # kuitansi issued in the period for money taken before it (already in the opening balance)
    for rid, issued, number, who, paid_at, dep_day, dep_ntpn, pay_ntpn in session.execute(
            select(Receipt.id, Receipt.issued_at, Receipt.number, Receipt.received_from, Payment.paid_at,
                   Deposit.deposited_on, Deposit.ntpn, Payment.ntpn)
            .join(Payment, Payment.id == Receipt.payment_id)
            .outerjoin(DepositReceipt, DepositReceipt.receipt_id == Receipt.id)
            .outerjoin(Deposit, (Deposit.id == DepositReceipt.deposit_id) & (Deposit.deposited_on < following))
            .where(Receipt.office_id == office_id, Payment.method == method, Payment.paid_at < start,
                   Receipt.issued_at >= start, _live_at(end))):
        paid = local_date(paid_at, zone)
        if method is PaymentMethod.SIMPONI:
            dep_day, dep_ntpn = paid, pay_ntpn
        entries.append((local_date(issued, zone), issued, rid, CashRow(
            local_date(issued, zone), number, who, f"Kuitansi atas pembayaran tanggal {_day_text(paid)}, yang "
            "sudah tercatat pada periode pembayarannya (tidak dihitung lagi)", 0, 0, dep_day,
            dep_ntpn or "")))
    # deposits to Kas Negara: out of the cash box or the receiving account, into the treasury
    deposits = select(Deposit).where(Deposit.office_id == office_id, Deposit.deposited_on >= first,
                                     Deposit.deposited_on < following)
    if method is not PaymentMethod.SIMPONI:
        deposits = deposits.where(Deposit.source == method.value)
    counts = dict(session.execute(select(DepositReceipt.deposit_id, func.count(DepositReceipt.id))
                                  .where(DepositReceipt.deposit_id.in_(deposits.with_only_columns(Deposit.id)))
                                  .group_by(DepositReceipt.deposit_id)).all())
    for deposit in session.scalars(deposits):
        day_end = day_bounds(deposit.deposited_on, zone)[1] - timedelta(microseconds=1)
        what = "penerimaan tunai" if deposit.source == "cash" else "dari rekening penerimaan"
        amount_in, amount_out = (deposit.amount, 0) if method is PaymentMethod.SIMPONI else (0, deposit.amount)
        entries.append((deposit.deposited_on, min(deposit.recorded_at, day_end), 10**12 + deposit.id, CashRow(
            deposit.deposited_on, deposit.ntpn,
            "Bendahara Penerimaan" if method is PaymentMethod.SIMPONI else "Kas Negara",
            f"Penyetoran {what} ke Kas Negara ({counts.get(deposit.id, 0)} kuitansi)",
            amount_in, amount_out, deposit.deposited_on, deposit.ntpn)))
    # refunds leave the position of the payment they return
    for refund, paid_at, invoice_number, payer in session.execute(
            select(Refund, Payment.paid_at, Invoice.number, Invoice.payer_name)
            .join(Payment, Payment.id == Refund.payment_id).join(Invoice, Invoice.id == Payment.invoice_id)
            .where(Refund.office_id == office_id, Payment.method == method, Refund.refunded_on >= first,
                   Refund.refunded_on < following)):
        day_end = day_bounds(refund.refunded_on, zone)[1] - timedelta(microseconds=1)
        entries.append((refund.refunded_on, min(refund.recorded_at, day_end), 2 * 10**12 + refund.id, CashRow(
            refund.refunded_on, f"Kembali {refund.id}", payer,
            f"Pengembalian uang ({REFUND_WORDS.get(refund.method, refund.method)}) pembayaran invoice "
            f"{invoice_number} tanggal {_day_text(local_date(paid_at, zone))} yang kuitansinya dibatalkan"
            f" — {refund.reason}", 0, refund.amount)))
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    return [row for _day, _moment, _key, row in entries]


def cash_rows(session: Session, office_id: int, start: datetime, end: datetime) -> list[CashRow]:
    """Buku pembantu kas tunai, [start, end): cash taken (by its kuitansi, with the deposit date and NTPN),
    cash deposited to Kas Negara and cash payments refunded; a payment still without a kuitansi at the
    end is marked pending."""
    return _position_rows(session, office_id, PaymentMethod.CASH, start, end)


def bank_rows(session: Session, office_id: int, start: datetime, end: datetime) -> list[BankRow]:
    """Buku pembantu bank (the receiving account), [start, end): transfers in (bank, transfer reference,
    their kuitansi), deposits from the account to Kas Negara with their NTPN, and transfers refunded."""
    return _position_rows(session, office_id, PaymentMethod.TRANSFER, start, end)


def simponi_rows(session: Session, office_id: int, start: datetime, end: datetime) -> list[BankRow]:
    """Buku pembantu SIMPONI (the state treasury), [start, end): billing codes paid (code, bank, NTB,
    NTPN), deposits of cash and of the receiving account (NTPN), and SIMPONI payments refunded."""
    return _position_rows(session, office_id, PaymentMethod.SIMPONI, start, end)


def pending_rows(session: Session, office_id: int, end: datetime,
                 methods: tuple[PaymentMethod, ...] = (PaymentMethod.CASH,)) -> list[CashRow]:
    """Payments by ``methods`` taken before ``end`` that then had no live kuitansi and no refund (as in
    ``positions.pending``), oldest first; ``number`` is the invoice."""
    zone = zone_of(session, office_id)
    following = local_date(end, zone)
    live = select(Receipt.id).where(Receipt.payment_id == Payment.id, _live_at(end)).exists()
    refunded = select(Refund.id).where(Refund.payment_id == Payment.id, Refund.refunded_on < following).exists()
    cancelled = (select(func.count(Receipt.id)).where(Receipt.payment_id == Payment.id, Receipt.issued_at < end)
                 .scalar_subquery())
    return [CashRow(local_date(paid_at, zone), number, payer,
                    f"{method_label(method.value)} — " + ("kuitansi dibatalkan, menunggu kuitansi pengganti"
                                                          if n else "belum ada kuitansi"),
                    amount, 0, method=method.value)
            for paid_at, number, payer, method, amount, n in session.execute(
                select(Payment.paid_at, Invoice.number, Invoice.payer_name, Payment.method, Payment.amount, cancelled)
                .join(Invoice, Invoice.id == Payment.invoice_id)
                .where(Payment.office_id == office_id, Payment.method.in_(methods), Payment.paid_at < end, ~live,
                       ~refunded)
                .order_by(Payment.paid_at, Payment.id))]


def awaiting_deposit_at(session: Session, office_id: int, end: datetime, method: PaymentMethod) -> int:
    """Rupiah of the ``method`` kuitansi live at ``end`` and not deposited before the day ``end`` begins."""
    following = local_date(end, zone_of(session, office_id))
    deposited = (select(DepositReceipt.id).join(Deposit, Deposit.id == DepositReceipt.deposit_id)
                 .where(DepositReceipt.receipt_id == Receipt.id, Deposit.deposited_on < following).exists())
    return int(session.scalar(
        select(func.coalesce(func.sum(Receipt.amount), 0)).join(Payment, Payment.id == Receipt.payment_id)
        .where(Receipt.office_id == office_id, Payment.method == method, _live_at(end), ~deposited)))


def rekap(session: Session, office_id: int, months: list[tuple[int, int]]) -> list[RekapLine]:
    """Amounts per account code and product, one column per month, from the priced lines of the
    invoices the kuitansi settle, by the BKU's rule: a kuitansi counts in the month it is issued and its
    cancellation is taken off in the month it is booked."""
    zone = zone_of(session, office_id)
    start = month_bounds(*months[0], zone)[0]
    end = month_bounds(*months[-1], zone)[1]
    index = {ym: i for i, ym in enumerate(months)}
    names = dict(session.execute(select(Product.code, Product.name_id)).all())
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(months))
    for moment, sign in ((Receipt.issued_at, 1), (Receipt.cancelled_at, -1)):
        query = (select(moment, Invoice.lines).join(Payment, Payment.id == Receipt.payment_id)
                 .join(Invoice, Invoice.id == Payment.invoice_id)
                 .where(Receipt.office_id == office_id, moment >= start, moment < end)
                 .execution_options(yield_per=2000))
        for booked, lines in session.execute(query):
            shown = local(booked, zone)
            column = index[(shown.year, shown.month)]
            for line in lines:
                key = (line["account_code"], names.get(line["product_code"], line["product_name"]))
                sums[key][column] += sign * int(line["amount"])
    return [RekapLine(code, product, tuple(amounts)) for (code, product), amounts in sorted(sums.items())]


def rp0_rows(session: Session, office_id: int, start: datetime, end: datetime) -> list[Rp0Row]:
    """Requests served at the Rp0 tariff (waiver recorded in [start, end)) with the waived normal tariff."""
    zone = zone_of(session, office_id)
    found = session.execute(
        select(Waiver, ServiceRequest.id, ServiceRequest.number, Visitor.full_name, Visitor.institution)
        .join(ServiceRequest, ServiceRequest.id == Waiver.request_id)
        .join(Visitor, Visitor.id == ServiceRequest.visitor_id)
        .where(ServiceRequest.office_id == office_id, Waiver.recorded_at >= start, Waiver.recorded_at < end)
        .order_by(Waiver.recorded_at, Waiver.id)).all()
    items: dict[int, list[str]] = defaultdict(list)
    if found:
        for request_id, title, region in session.execute(
                select(RequestItem.request_id, RequestItem.title, RequestItem.region)
                .where(RequestItem.request_id.in_([f[1] for f in found])).order_by(RequestItem.id)):
            items[request_id].append(f"{title} ({region})" if region else title)
    return [Rp0Row(local_date(w.recorded_at, zone), number, name, institution,
                   CATEGORY_LABELS.get(w.category.value, w.category.value),
                   PURPOSE_LABELS.get(w.purpose.value, w.purpose.value), w.letter_number, w.letter_date,
                   "; ".join(items[rid]), w.normal_amount)
            for w, rid, number, name, institution in found]


@dataclass(frozen=True)
class LedgerTotals:
    """What a period's books add up to, for checks and summaries."""

    opening: int
    debit: int
    credit: int
    closing: int
    receipts: int            # kuitansi issued in the period (cancelled or not)
    active_amount: int       # Rupiah of the kuitansi issued in the period and not cancelled


def ledger_totals(session: Session, office_id: int, year: int, months: list[int]) -> LedgerTotals:
    """Totals of the BKU over ``months`` of ``year`` computed by SQL sums (independent of ``month_rows``)."""
    zone = zone_of(session, office_id)
    start, _e, first, _f = month_bounds(year, months[0], zone)
    _s, end, _first, following = month_bounds(year, months[-1], zone)
    base = (select(func.coalesce(func.sum(Receipt.amount), 0)).join(Payment, Payment.id == Receipt.payment_id)
            .where(Receipt.office_id == office_id))
    issued = int(session.scalar(base.where(Receipt.issued_at >= start, Receipt.issued_at < end)))
    cancelled = int(session.scalar(base.where(Receipt.status == DocumentStatus.CANCELLED,
                                              Receipt.cancelled_at >= start, Receipt.cancelled_at < end)))
    direct = base.where(Payment.method == PaymentMethod.SIMPONI)
    direct_in = int(session.scalar(direct.where(Receipt.issued_at >= start, Receipt.issued_at < end)))
    direct_out = int(session.scalar(direct.where(Receipt.status == DocumentStatus.CANCELLED,
                                                 Receipt.cancelled_at >= start, Receipt.cancelled_at < end)))
    deposited = int(session.scalar(select(func.coalesce(func.sum(Deposit.amount), 0)).where(
        Deposit.office_id == office_id, Deposit.deposited_on >= first, Deposit.deposited_on < following)))
    count = int(session.scalar(select(func.count(Receipt.id)).where(
        Receipt.office_id == office_id, Receipt.issued_at >= start, Receipt.issued_at < end)))
    active = int(session.scalar(base.where(Receipt.issued_at >= start, Receipt.issued_at < end,
                                           Receipt.status != DocumentStatus.CANCELLED)))
    opening = cash_balance(session, office_id, start, first)
    debit, credit = issued - cancelled, direct_in - direct_out + deposited
    return LedgerTotals(opening, debit, credit, opening + debit - credit, count, active)


def receipt_count(session: Session, office_id: int, year: int, months: list[int]) -> int:
    """Rows the ledger export will write (kuitansi, cancellations and deposits), for its progress bar."""
    zone = zone_of(session, office_id)
    start, _e, first, _f = month_bounds(year, months[0], zone)
    _s, end, _first, following = month_bounds(year, months[-1], zone)
    issued = session.scalar(select(func.count(Receipt.id)).where(
        Receipt.office_id == office_id, Receipt.issued_at >= start, Receipt.issued_at < end))
    cancelled = session.scalar(select(func.count(Receipt.id)).where(
        Receipt.office_id == office_id, Receipt.cancelled_at >= start, Receipt.cancelled_at < end))
    deposits_n = session.scalar(select(func.count(Deposit.id)).where(
        Deposit.office_id == office_id, Deposit.deposited_on >= first, Deposit.deposited_on < following))
    return int(issued or 0) * 2 + int(cancelled or 0) + int(deposits_n or 0)


# --- the monthly service report ----------------------------------------------------------------------------


def service_report(session: Session, office_id: int, year: int, month: int) -> ServiceReport:
    """Visits by purpose and occupation, requests by product and state, revenue, Rp0 requests,
    on-time rate against the 1-hour and 10-working-day standards and the satisfaction index (IKM)
    for one office-local month."""
    office = office_of(session, office_id)
    zone = office.time_zone
    start, end, _first, following = month_bounds(year, month, zone)
    visits = (select(Visit.purpose, func.count(Visit.id)).where(
        Visit.office_id == office_id, Visit.arrived_at >= start, Visit.arrived_at < end))
    by_purpose = [Count(p, n) for p, n in session.execute(visits.group_by(Visit.purpose).order_by(Visit.purpose))]
    by_occupation = [Count(o, n) for o, n in session.execute(
        select(Visitor.occupation, func.count(Visit.id)).join(Visitor, Visitor.id == Visit.visitor_id)
        .where(Visit.office_id == office_id, Visit.arrived_at >= start, Visit.arrived_at < end)
        .group_by(Visitor.occupation).order_by(Visitor.occupation))]
    received = (ServiceRequest.office_id == office_id, ServiceRequest.received_at >= start,
                ServiceRequest.received_at < end)
    by_product = [ProductCount(name, int(reqs), int(items), int(amount or 0)) for name, reqs, items, amount in
                  session.execute(
                      select(Product.name_id, func.count(func.distinct(RequestItem.request_id)),
                             func.count(RequestItem.id), func.sum(func.coalesce(RequestItem.price, 0)))
                      .join(RequestItem, RequestItem.product_id == Product.id)
                      .join(ServiceRequest, ServiceRequest.id == RequestItem.request_id)
                      .where(*received).group_by(Product.name_id).order_by(Product.name_id))]
    states = dict(session.execute(select(ServiceRequest.state, func.count(ServiceRequest.id)).where(*received)
                                  .group_by(ServiceRequest.state)).all())
    by_state = [Count(STATE_LABELS[state][0], int(states[state])) for state in STATE_LABELS if state in states]
    revenue = {m.value: (0, 0) for m in PaymentMethod}  # the BKU's rule: issued, less cancellations booked
    by_receipt = select(Payment.method, func.count(Receipt.id), func.sum(Receipt.amount)).join(
        Payment, Payment.id == Receipt.payment_id).where(Receipt.office_id == office_id).group_by(Payment.method)
    for method, count, amount in session.execute(by_receipt.where(Receipt.issued_at >= start,
                                                                  Receipt.issued_at < end)):
        revenue[method.value] = (int(count), int(amount or 0))
    for method, _count, amount in session.execute(by_receipt.where(
            Receipt.status == DocumentStatus.CANCELLED, Receipt.cancelled_at >= start, Receipt.cancelled_at < end)):
        count, booked = revenue[method.value]
        revenue[method.value] = (count, booked - int(amount or 0))
    by_method = [Revenue(METHOD_LABELS[m][0], n, a) for m, (n, a) in revenue.items()]
    by_account = [AccountRevenue(line.account_code, line.product, line.amounts[0])
                  for line in rekap(session, office_id, [(year, month)])]
    first_delivery = (select(Delivery.request_id, func.min(Delivery.delivered_at).label("first"))
                      .group_by(Delivery.request_id).subquery())
    on_time: dict[Channel, list[int]] = {Channel.WALK_IN: [0, 0], Channel.ONLINE: [0, 0]}
    for channel, due_at, delivered_at in session.execute(
            select(ServiceRequest.channel, ServiceRequest.due_at, first_delivery.c.first)
            .join(first_delivery, first_delivery.c.request_id == ServiceRequest.id)
            .where(ServiceRequest.office_id == office_id, first_delivery.c.first >= start,
                   first_delivery.c.first < end)):
        if due_at is None:
            continue
        on_time[channel][0] += 1
        on_time[channel][1] += int(delivered_at <= due_at)
    index = feedback.satisfaction_index(session, office_id, start, end)
    satisfaction = None
    if index is not None:
        letter, words = index.grade
        satisfaction = Satisfaction(index.respondents,
                                    tuple((label, nrr) for (label, _en), nrr in zip(feedback.ELEMENT_LABELS,
                                                                                    index.nrr, strict=True)),
                                    index.ikm, index.index, f"{letter} ({words})")
    last_day = following - timedelta(days=1)
    now, today = utcnow(), office_today(session, office_id)
    return ServiceReport(
        letterhead=letterhead(session, office_id), year=year, month=month, visits_by_purpose=by_purpose,
        visits_by_occupation=by_occupation, requests_by_product=by_product, requests_by_state=by_state,
        requests_total=int(sum(states.values())), revenue_by_method=by_method, revenue_by_account=by_account,
        rp0=rp0_rows(session, office_id, start, end),
        on_time=[OnTime(WALK_IN_STANDARD, *on_time[Channel.WALK_IN]), OnTime(ONLINE_STANDARD, *on_time[Channel.ONLINE])],
        satisfaction=satisfaction, made_on=min(last_day, today),
        requests_by_channel=report_requests.requests_by_channel(session, office_id, start, end),
        overdue=report_requests.overdue_open(session, office_id, min(end, now), now, zone), overdue_as_of=today,
        redirects=report_requests.redirects(session, office_id, start, end, zone),
        notes=[f"Periode: {long_date(date(year, month, 1))} s.d. {long_date(last_day)} (waktu {zone}).",
               "Pendapatan: seperti BKU — kuitansi yang diterbitkan pada bulan ini, dikurangi pembatalan "
               "kuitansi yang dibukukan pada bulan ini (kuitansi bulan lalu yang dibatalkan bulan ini "
               "mengurangi bulan ini; bulan lalu tetap seperti dicetak).",
               "Ketepatan waktu: permintaan yang penyerahan datanya yang pertama jatuh pada bulan ini.",
               f"Terlambat: permintaan yang masih terbuka per {long_date(today)}, datanya belum diserahkan, dan "
               "batas waktunya lewat sebelum akhir bulan ini; batas daring 10 hari kerja sejak permintaan jelas.",
               f"Dibuat oleh PST Desktop; periode {month_label(year, month)}."],
    )


REFUND_WORDS = {"cash": "tunai", "transfer": "transfer"}


def method_label(method: str, lang: str = "id") -> str:
    return METHOD_LABELS.get(method, (method, method))[1 if lang == "en" else 0]

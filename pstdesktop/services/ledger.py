"""The treasurer's desk (bendahara penerimaan) and books: taking a payment, the kuitansi, its
cancellation with a supervisor's approval, deposits to the state treasury (Kas Negara), the daily
closing, the Buku Kas Umum (BKU) with its running balance, and the data of the monthly service report.

How the BKU is kept (PER-3/PB/2014 practice, see domain.md):

- a kuitansi is booked on the day it is issued (office time): debit = its amount. SIMPONI payments
  (billing code paid at a bank, post office or ATM) go straight to Kas Negara and transfers to the
  receiving account: they never pass the treasurer's cash box, so the same line also carries the
  credit (setoran langsung) with the payment's NTPN;
- a cancelled kuitansi stays on its own day; the cancellation is booked as a correction on the day it
  is made (negative debit, and negative credit for a non-cash payment) naming the original kuitansi
  and its date;
- a deposit of cash takings is a credit on its deposit date with its NTPN;
- the balance (saldo) is therefore the cash received and not yet deposited.

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

from sqlalchemy import func, or_, select
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
from models import (
    Account,
    Channel,
    DailyClosing,
    Delivery,
    Deposit,
    DepositReceipt,
    DocumentStatus,
    Invoice,
    Payment,
    PaymentMethod,
    Product,
    Receipt,
    RequestItem,
    Role,
    ServiceRequest,
    Visit,
    Visitor,
    Waiver,
)
from pstdesktop.services import audit, billing, feedback, references, validate
from pstdesktop.services.access import Actor, actor_of, require
from pstdesktop.services.clock import day_start, fmt_local, local, local_date, utcnow
from pstdesktop.services.closing import closing_of
from pstdesktop.services.errors import NotFound, StateError, ValidationError
from pstdesktop.services.office import MAX_FAILED_LOGINS, office_of, office_today, password_matches
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


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list read from the database (``total`` rows in all)."""

    rows: list[T]
    total: int
    offset: int
    limit: int

    @property
    def last_offset(self) -> int:
        return max(0, (self.total - 1) // self.limit * self.limit) if self.total else 0


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
                 paid_at: datetime | None = None, proof_file: str | Path | None = None) -> Payment:
    """Record the full payment of an invoice, once (``billing.record_payment``), on an open day.

    The same ``idempotency_key`` returns the payment already recorded (a double press, a retry). An
    NTPN is a state revenue transaction number: one already on another payment or a deposit is refused."""
    require(session, actor, "payment.record")
    existing = session.scalar(select(Payment).where(Payment.idempotency_key == str(idempotency_key or "")))
    if existing is not None and existing.office_id == actor.office_id and existing.invoice_id == invoice_id:
        return existing
    if str(method) == PaymentMethod.SIMPONI.value and ntpn:
        _ntpn_unused(session, validate.alnum("ntpn", ntpn, billing.NTPN_LENGTH))
    return billing.record_payment(session, actor, invoice_id, method=method, amount=amount,
                                  idempotency_key=idempotency_key, cash_tendered=cash_tendered, ntpn=ntpn,
                                  ntb=ntb, bank=bank, paid_at=paid_at, proof_file=proof_file)


def _ntpn_unused(session: Session, ntpn: str) -> None:
    if session.scalar(select(Payment.id).where(Payment.ntpn == ntpn).limit(1)) or \
            session.scalar(select(Deposit.id).where(Deposit.ntpn == ntpn).limit(1)):
        raise ValidationError("duplicate", "ntpn", value=ntpn)


def issue_receipt(session: Session, actor: Actor, payment_id: int) -> Receipt:
    """The kuitansi of a payment (``billing.issue_receipt``), booked today: refused on a closed day."""
    require(session, actor, "receipt.issue")
    return billing.issue_receipt(session, actor, payment_id)


def supervisor_approval(session: Session, office_id: int, username: str, password: str) -> Actor:
    """The supervisor who approves a step, by username and password typed at the treasurer's PC.
    Refused (one plain message, whatever was wrong) unless it names an active, unlocked supervisor
    of this office whose password matches."""
    name = (username or "").strip().lower()
    account = session.scalar(select(Account).where(Account.office_id == office_id, Account.username == name))
    if (account is None or account.role is not Role.SUPERVISOR or not account.active
            or account.failed_logins >= MAX_FAILED_LOGINS
            or not password_matches(password or "", account.password_hash)):
        raise ValidationError("supervisor_login", "approver")
    return actor_of(account)


def cancel_receipt(session: Session, actor: Actor, receipt_id: int, reason: str, supervisor_username: str,
                   supervisor_password: str) -> Receipt:
    """Cancel a wrong kuitansi with a reason and a supervisor's approval (username and password). It
    stays in the books; the correction is booked today (refused when today is closed)."""
    require(session, actor, "receipt.cancel")
    validate.text("reason", reason, max_length=2000, multiline=True)
    approver = supervisor_approval(session, actor.office_id, supervisor_username, supervisor_password)
    return billing.cancel_receipt(session, actor, receipt_id, reason, approver)


def record_deposit(session: Session, actor: Actor, receipt_ids: list[int], *, ntpn: str,
                   deposited_on: date) -> Deposit:
    """Cash takings deposited to Kas Negara with the deposit's NTPN (``billing.record_deposit``).
    Refused on a closed day, for a deposit dated a closed day, an NTPN already used, or a date
    before a kuitansi it covers was issued."""
    require(session, actor, "deposit.record")
    if ntpn:
        _ntpn_unused(session, validate.alnum("ntpn", ntpn, billing.NTPN_LENGTH))
    return billing.record_deposit(session, actor, receipt_ids, ntpn=ntpn, deposited_on=deposited_on)


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
    opening: int                 # cash held at the start of the day
    closing: int                 # cash held at the end of the day (not yet deposited)
    unreceipted: int             # payments recorded that day still without a kuitansi

    @property
    def net(self) -> dict[str, int]:
        return {m: self.issued[m] - self.cancelled[m] for m in self.issued}

    def as_json(self) -> dict:
        return {**self.net, "receipts": self.receipts, "cancellations": self.cancellations,
                "cancelled": sum(self.cancelled.values()), "gross": sum(self.issued.values()),
                "deposits": self.deposits, "deposit_count": self.deposit_count, "opening": self.opening,
                "closing": self.closing}


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
    unreceipted = session.scalar(select(func.count(Payment.id)).where(
        Payment.office_id == office_id, Payment.recorded_at >= start, Payment.recorded_at < end, ~active))
    opening = cash_balance(session, office_id, start, day)
    closing = cash_balance(session, office_id, end, day + timedelta(days=1))
    return DayTotals(day, issued, cancelled, receipts, cancellations, int(deposits), int(deposit_count),
                     opening, closing, int(unreceipted or 0))


def close_day(session: Session, actor: Actor, day: date, note: str = "") -> DailyClosing:
    """Close the treasurer's day: its totals by payment method are stored and the day is locked.
    Refused for a day in the future and for a day already closed."""
    account = require(session, actor, "day.close")
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValidationError("required", "closing_day")
    if day > office_today(session, actor.office_id):
        raise ValidationError("future", "closing_day")
    note = validate.text("note", note, required=False, max_length=2000, multiline=True)
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
                     offset: int = 0) -> Page[InvoiceRow]:
    """Issued, unpaid invoices (oldest first), found by invoice or request number or payer's name."""
    require(session, actor, "payment.record")
    zone = zone_of(session, actor.office_id)
    query = _invoice_query(actor.office_id).where(Invoice.status == DocumentStatus.ISSUED)
    text = (search or "").strip()
    if text:
        like = f"%{_escape(text)}%"
        query = query.where(or_(Invoice.number.ilike(like, escape="\\"), Invoice.payer_name.ilike(like, escape="\\"),
                                ServiceRequest.number.ilike(like, escape="\\")))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    now = utcnow()
    rows = [_invoice_row(inv, num, ch, inst, zone, now) for inv, num, ch, inst in session.execute(
        query.order_by(Invoice.issued_at, Invoice.id).limit(limit).offset(offset))]
    return Page(rows, int(total or 0), offset, limit)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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


def payments_without_receipt(session: Session, actor: Actor, *, limit: int = PAGE_SIZE,
                             offset: int = 0) -> Page[PaymentRow]:
    """Payments whose kuitansi is still to be issued (none yet, or the last one was cancelled)."""
    require(session, actor, "receipt.issue")
    zone = zone_of(session, actor.office_id)
    active = select(Receipt.id).where(Receipt.payment_id == Payment.id,
                                      Receipt.status != DocumentStatus.CANCELLED).exists()
    query = (select(Payment, Invoice.number, Invoice.payer_name).join(Invoice, Invoice.id == Payment.invoice_id)
             .where(Payment.office_id == actor.office_id, ~active))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = [PaymentRow(p.id, number, payer, p.method.value, p.amount, fmt_local(p.paid_at, zone),
                       fmt_local(p.recorded_at, zone))
            for p, number, payer in session.execute(query.order_by(Payment.recorded_at, Payment.id)
                                                    .limit(limit).offset(offset))]
    return Page(rows, int(total or 0), offset, limit)


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
             offset: int = 0) -> Page[ReceiptRow]:
    """Kuitansi, newest first, found by number or by who paid."""
    require(session, actor, "receipt.issue")
    query = _receipt_query(actor.office_id)
    text = (search or "").strip()
    if text:
        like = f"%{_escape(text)}%"
        query = query.where(or_(Receipt.number.ilike(like, escape="\\"),
                                Receipt.received_from.ilike(like, escape="\\")))
    return _receipt_page(session, actor, query.order_by(Receipt.issued_at.desc(), Receipt.id.desc()), limit, offset)


def undeposited(session: Session, actor: Actor, *, limit: int = 200, offset: int = 0) -> tuple[Page[ReceiptRow], int]:
    """Cash kuitansi not yet deposited (oldest first) and their total in Rupiah."""
    require(session, actor, "deposit.record")
    query = _receipt_query(actor.office_id).where(Receipt.cash_pending.is_(True))  # cash, not cancelled, not deposited
    amount = session.scalar(select(func.coalesce(func.sum(query.subquery().c.amount), 0)))
    return _receipt_page(session, actor, query.order_by(Receipt.issued_at, Receipt.id), limit, offset), int(amount)


def _receipt_query(office_id: int):
    return (select(Receipt.id, Receipt.number, Receipt.issued_at, Receipt.received_from, Receipt.amount,
                   Payment.method, Receipt.status, Deposit.deposited_on, Deposit.ntpn, Receipt.cancel_reason)
            .join(Payment, Payment.id == Receipt.payment_id)
            .outerjoin(DepositReceipt, DepositReceipt.receipt_id == Receipt.id)
            .outerjoin(Deposit, Deposit.id == DepositReceipt.deposit_id)
            .where(Receipt.office_id == office_id))


def _receipt_page(session: Session, actor: Actor, query, limit: int, offset: int) -> Page[ReceiptRow]:
    zone = zone_of(session, actor.office_id)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = [ReceiptRow(rid, number, fmt_local(issued, zone), who, amount, method.value, status,
                       f"{deposited_on.strftime('%d-%m-%Y')} · {ntpn}" if deposited_on else "", reason)
            for rid, number, issued, who, amount, method, status, deposited_on, ntpn, reason
            in session.execute(query.limit(limit).offset(offset))]
    return Page(rows, int(total or 0), offset, limit)


@dataclass(frozen=True)
class DepositRow:
    deposit_id: int
    deposited_on: date
    ntpn: str
    amount: int
    receipts: int
    recorded: str


def deposits(session: Session, actor: Actor, *, limit: int = PAGE_SIZE, offset: int = 0) -> Page[DepositRow]:
    require(session, actor, "deposit.record")
    zone = zone_of(session, actor.office_id)
    counts = (select(DepositReceipt.deposit_id, func.count(DepositReceipt.id).label("n"))
              .group_by(DepositReceipt.deposit_id).subquery())
    query = (select(Deposit, counts.c.n).outerjoin(counts, counts.c.deposit_id == Deposit.id)
             .where(Deposit.office_id == actor.office_id))
    total = session.scalar(select(func.count(Deposit.id)).where(Deposit.office_id == actor.office_id))
    rows = [DepositRow(d.id, d.deposited_on, d.ntpn, d.amount, int(n or 0), fmt_local(d.recorded_at, zone))
            for d, n in session.execute(query.order_by(Deposit.deposited_on.desc(), Deposit.id.desc())
                                        .limit(limit).offset(offset))]
    return Page(rows, int(total or 0), offset, limit)


@dataclass(frozen=True)
class ClosingRow:
    day: date
    totals: dict
    closed: str
    closed_by: str
    note: str


def closings(session: Session, actor: Actor, *, limit: int = PAGE_SIZE, offset: int = 0) -> Page[ClosingRow]:
    require(session, actor, "report.view")
    zone = zone_of(session, actor.office_id)
    total = session.scalar(select(func.count(DailyClosing.id)).where(DailyClosing.office_id == actor.office_id))
    rows = [ClosingRow(c.day, dict(c.totals), fmt_local(c.closed_at, zone), name, c.note)
            for c, name in session.execute(
                select(DailyClosing, Account.full_name).join(Account, Account.id == DailyClosing.closed_by_id)
                .where(DailyClosing.office_id == actor.office_id)
                .order_by(DailyClosing.day.desc()).limit(limit).offset(offset))]
    return Page(rows, int(total or 0), offset, limit)


# --- the books --------------------------------------------------------------------------------------------


def letterhead(session: Session, office_id: int) -> Letterhead:
    office = office_of(session, office_id)
    contact = " · ".join(p for p in (f"Telp. {office.phone}" if office.phone else "", office.email) if p)
    return Letterhead(office_name=office.name, address=office.address, contact=contact,
                      satker=f"{office.satker_code} — {office.satker_name}" if office.satker_code else "",
                      city=office.city, treasurer_name=office.treasurer_name, treasurer_nip=office.treasurer_nip)


def month_bounds(year: int, month: int, zone_name: str) -> tuple[datetime, datetime, date, date]:
    """(start UTC, end UTC, first day, first day of the next month) of an office-local month."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return day_bounds(first, zone_name)[0], day_bounds(following, zone_name)[0], first, following


def cash_balance(session: Session, office_id: int, before: datetime, before_day: date) -> int:
    """Cash held by the treasurer at moment ``before``: cash kuitansi issued, less those cancelled, less
    deposits dated before ``before_day`` (the day ``before`` falls on)."""
    cash = (select(func.coalesce(func.sum(Receipt.amount), 0)).join(Payment, Payment.id == Receipt.payment_id)
            .where(Receipt.office_id == office_id, Payment.method == PaymentMethod.CASH))
    received = session.scalar(cash.where(Receipt.issued_at < before))
    cancelled = session.scalar(cash.where(Receipt.status == DocumentStatus.CANCELLED, Receipt.cancelled_at < before))
    deposited = session.scalar(select(func.coalesce(func.sum(Deposit.amount), 0))
                               .where(Deposit.office_id == office_id, Deposit.deposited_on < before_day))
    return int(received) - int(cancelled) - int(deposited)


def opening_balance(session: Session, office_id: int, year: int, month: int) -> int:
    start, _end, first, _next = month_bounds(year, month, zone_of(session, office_id))
    return cash_balance(session, office_id, start, first)


_RECEIPT_COLUMNS = (Receipt.id, Receipt.issued_at, Receipt.number, Receipt.received_from, Receipt.description,
                    Receipt.account_code, Receipt.amount, Receipt.cancelled_at, Receipt.cancel_reason,
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
        direct = method is not PaymentMethod.CASH
        day = local_date(issued, zone)
        entries.append((day, issued, rid, LedgerRow(
            day, number, who, description + _direct_note(method), code, method.value, amount,
            amount if direct else 0, local_date(paid_at, zone) if direct else dep_day,
            (pay_ntpn or "") if direct else (dep_ntpn or ""), 0)))
    for (rid, issued, number, who, _description, code, amount, cancelled_at, reason, method, pay_ntpn, paid_at,
         _dep_day, _dep_ntpn) in session.execute(
            _receipts_between(office_id, Receipt.cancelled_at, start, end)
            .where(Receipt.status == DocumentStatus.CANCELLED)):
        direct = method is not PaymentMethod.CASH
        day = local_date(cancelled_at, zone)
        text = (f"Koreksi: pembatalan kuitansi {number} tanggal {local_date(issued, zone).strftime('%d-%m-%Y')}"
                f" — {reason}")
        entries.append((day, cancelled_at, rid, LedgerRow(
            day, f"Batal {number}", who, text, code, method.value, -amount, -amount if direct else 0,
            local_date(paid_at, zone) if direct else None, (pay_ntpn or "") if direct else "", 0)))
    counts = dict(session.execute(select(DepositReceipt.deposit_id, func.count(DepositReceipt.id))
                                  .join(Deposit, Deposit.id == DepositReceipt.deposit_id)
                                  .where(Deposit.office_id == office_id, Deposit.deposited_on >= first,
                                         Deposit.deposited_on < following)
                                  .group_by(DepositReceipt.deposit_id)).all())
    for deposit in session.scalars(select(Deposit).where(Deposit.office_id == office_id, Deposit.deposited_on >= first,
                                                         Deposit.deposited_on < following)):
        day_end = day_bounds(deposit.deposited_on, zone)[1] - timedelta(microseconds=1)
        entries.append((deposit.deposited_on, min(deposit.recorded_at, day_end), 10**12 + deposit.id, LedgerRow(
            deposit.deposited_on, deposit.ntpn, "", f"Penyetoran penerimaan tunai ke Kas Negara "
            f"({counts.get(deposit.id, 0)} kuitansi), NTPN {deposit.ntpn}", "", "", 0, deposit.amount,
            deposit.deposited_on, deposit.ntpn, 0)))
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
        return " [diterima melalui transfer ke rekening penerimaan]"
    return ""


def cash_rows(session: Session, office_id: int, start: datetime, end: datetime) -> list[CashRow]:
    """Buku pembantu kas tunai: cash kuitansi (not cancelled) issued in [start, end) and their deposit."""
    zone = zone_of(session, office_id)
    query = (_receipts_between(office_id, Receipt.issued_at, start, end)
             .where(Payment.method == PaymentMethod.CASH, Receipt.status != DocumentStatus.CANCELLED)
             .order_by(Receipt.issued_at, Receipt.id))
    return [CashRow(local_date(issued, zone), number, who, amount, dep_day, dep_ntpn or "")
            for (_rid, issued, number, who, _d, _c, amount, _ca, _r, _m, _pn, _pa, dep_day, dep_ntpn)
            in session.execute(query)]


def bank_rows(session: Session, office_id: int, start: datetime, end: datetime) -> list[BankRow]:
    """Buku pembantu SIMPONI/bank: non-cash kuitansi (not cancelled) issued in [start, end)."""
    zone = zone_of(session, office_id)
    query = (select(Receipt.number, Receipt.received_from, Receipt.amount, Payment.method, Payment.paid_at,
                    Payment.billing_code, Payment.bank, Payment.ntb, Payment.ntpn)
             .join(Payment, Payment.id == Receipt.payment_id)
             .where(Receipt.office_id == office_id, Receipt.issued_at >= start, Receipt.issued_at < end,
                    Payment.method != PaymentMethod.CASH, Receipt.status != DocumentStatus.CANCELLED)
             .order_by(Payment.paid_at, Receipt.id))
    return [BankRow(local_date(paid_at, zone), number, who, method.value, code or "", bank or "", ntb or "",
                    ntpn or "", amount)
            for number, who, amount, method, paid_at, code, bank, ntb, ntpn in session.execute(query)]


def rekap(session: Session, office_id: int, months: list[tuple[int, int]]) -> list[RekapLine]:
    """Amounts of the kuitansi (not cancelled) per account code and product, one column per month,
    from the priced lines of the invoices they settle."""
    zone = zone_of(session, office_id)
    start = month_bounds(*months[0], zone)[0]
    end = month_bounds(*months[-1], zone)[1]
    index = {ym: i for i, ym in enumerate(months)}
    names = dict(session.execute(select(Product.code, Product.name_id)).all())
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(months))
    query = (select(Receipt.issued_at, Invoice.lines).join(Payment, Payment.id == Receipt.payment_id)
             .join(Invoice, Invoice.id == Payment.invoice_id)
             .where(Receipt.office_id == office_id, Receipt.status != DocumentStatus.CANCELLED,
                    Receipt.issued_at >= start, Receipt.issued_at < end)
             .execution_options(yield_per=2000))
    for issued, lines in session.execute(query):
        shown = local(issued, zone)
        column = index[(shown.year, shown.month)]
        for line in lines:
            key = (line["account_code"], names.get(line["product_code"], line["product_name"]))
            sums[key][column] += int(line["amount"])
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
    direct = base.where(Payment.method != PaymentMethod.CASH)
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
    revenue = {m.value: (0, 0) for m in PaymentMethod}
    for method, count, amount in session.execute(
            select(Payment.method, func.count(Receipt.id), func.sum(Receipt.amount))
            .join(Payment, Payment.id == Receipt.payment_id)
            .where(Receipt.office_id == office_id, Receipt.status != DocumentStatus.CANCELLED,
                   Receipt.issued_at >= start, Receipt.issued_at < end).group_by(Payment.method)):
        revenue[method.value] = (int(count), int(amount or 0))
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
    return ServiceReport(
        letterhead=letterhead(session, office_id), year=year, month=month, visits_by_purpose=by_purpose,
        visits_by_occupation=by_occupation, requests_by_product=by_product, requests_by_state=by_state,
        requests_total=int(sum(states.values())), revenue_by_method=by_method, revenue_by_account=by_account,
        rp0=rp0_rows(session, office_id, start, end),
        on_time=[OnTime(WALK_IN_STANDARD, *on_time[Channel.WALK_IN]), OnTime(ONLINE_STANDARD, *on_time[Channel.ONLINE])],
        satisfaction=satisfaction, made_on=min(last_day, office_today(session, office_id)),
        notes=[f"Periode: {long_date(date(year, month, 1))} s.d. {long_date(last_day)} (waktu {zone}).",
               "Pendapatan: kuitansi yang diterbitkan pada bulan ini dan tidak dibatalkan.",
               "Ketepatan waktu: permintaan yang penyerahan datanya yang pertama jatuh pada bulan ini.",
               f"Dibuat oleh PST Desktop; periode {month_label(year, month)}."],
    )


def method_label(method: str, lang: str = "id") -> str:
    return METHOD_LABELS.get(method, (method, method))[1 if lang == "en" else 0]

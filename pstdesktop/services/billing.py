"""Money: the invoice the officer prints, the payment the treasurer takes (cash, SIMPONI billing code
or transfer), the kuitansi, and deposits of cash takings to the state treasury (Kas Negara)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exports.text import rupiah
from models import (
    Deposit,
    DepositReceipt,
    DocumentStatus,
    Invoice,
    Payment,
    PaymentMethod,
    Product,
    Receipt,
    RequestState,
    ServiceRequest,
    Visitor,
)
from pstdesktop.services import audit, tariffs, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import local, local_date, utcnow
from pstdesktop.services.closing import ensure_open
from pstdesktop.services.errors import DomainError, NotFound, StateError, ValidationError
from pstdesktop.services.numbering import invoice_number, next_number, receipt_number
from pstdesktop.services.office import office_of, office_today
from pstdesktop.services.workflow import load_request, move

BILLING_CODE_LENGTH = 15
NTPN_LENGTH = 16
NTB_MAX = 32


def issue_invoice(session: Session, actor: Actor, request_id: int, billing_code: str | None = None) -> Invoice:
    """The invoice for an approved, paid-tariff request, numbered per office and year. It keeps the
    schedule and the priced lines it was issued with, whatever the catalogue says later."""
    account = require(session, actor, "invoice.issue")
    request = load_request(session, request_id, actor.office_id)
    office = office_of(session, actor.office_id)
    if request.state is RequestState.APPROVED and request.waiver is not None:
        raise StateError("waiver_not_zero")
    code = validate.digits("billing_code", billing_code, BILLING_CODE_LENGTH) if billing_code else None
    if request.state is not RequestState.APPROVED:
        move(session, account, request, RequestState.INVOICED)  # raises the state error
    quote = tariffs.quote_request(session, request, office.time_zone)
    now = utcnow()
    year = local(now, office.time_zone).year
    sequence = next_number(session, office.id, "invoice", str(year))
    visitor = session.get(Visitor, request.visitor_id)
    invoice = Invoice(
        office_id=office.id, request_id=request.id, year=year, sequence=sequence,
        number=invoice_number(sequence, office.unit_code, year), issued_at=now, issued_by_id=account.id,
        payer_name=visitor.full_name, schedule_code=quote.schedule_code,
        lines=[line.as_dict() for line in quote.lines], normal_total=quote.normal_total, total=quote.total,
        billing_code=code, billing_expires_at=now + timedelta(days=office.billing_validity_days) if code else None,
        status=DocumentStatus.ISSUED,
    )
    session.add(invoice)
    session.flush()
    audit.record(session, account, "invoice.issue", invoice)
    move(session, account, request, RequestState.INVOICED)
    return invoice


def set_billing_code(session: Session, actor: Actor, invoice_id: int, billing_code: str) -> Invoice:
    """Record the SIMPONI billing code typed from SIMPONI (expiry: the office's validity setting)."""
    account = require(session, actor, "invoice.issue")
    invoice = _invoice(session, actor, invoice_id)
    if invoice.status is not DocumentStatus.ISSUED:
        raise StateError("already_paid" if invoice.status is DocumentStatus.PAID else "invoice_cancelled",
                         number=invoice.number)
    office = office_of(session, actor.office_id)
    invoice.billing_code = validate.digits("billing_code", billing_code, BILLING_CODE_LENGTH)
    invoice.billing_expires_at = utcnow() + timedelta(days=office.billing_validity_days)
    audit.record(session, account, "invoice.billing_code", invoice)
    return invoice


def cancel_invoice(session: Session, actor: Actor, invoice_id: int, reason: str) -> Invoice:
    """A wrong invoice is cancelled with a reason (keeping its number); the request can be invoiced again."""
    account = require(session, actor, "invoice.cancel")
    invoice = _invoice(session, actor, invoice_id)
    reason = validate.text("reason", reason, max_length=2000, multiline=True)
    if invoice.status is not DocumentStatus.ISSUED:
        raise StateError("already_paid" if invoice.status is DocumentStatus.PAID else "invoice_cancelled",
                         number=invoice.number)
    request = load_request(session, invoice.request_id, actor.office_id)
    invoice.status, invoice.cancel_reason, invoice.cancelled_at = DocumentStatus.CANCELLED, reason, utcnow()
    audit.record(session, account, "invoice.cancel", invoice, reason=reason)
    move(session, account, request, RequestState.APPROVED, reason=reason, action="invoice.cancel")
    return invoice


def record_payment(session: Session, actor: Actor, invoice_id: int, *, method: PaymentMethod | str,
                   amount: int | str, idempotency_key: str, cash_tendered: int | str | None = None,
                   ntpn: str | None = None, ntb: str | None = None, bank: str = "",
                   paid_at: datetime | None = None, proof_file: str | Path | None = None) -> Payment:
    """The full invoice amount received, once. The same ``idempotency_key`` (one per payment form)
    returns the payment already recorded, so a double press or a retry after a crash adds nothing."""
    account = require(session, actor, "payment.record")
    key = validate.text("payment", idempotency_key, max_length=64)
    invoice = _invoice(session, actor, invoice_id)  # locked: a concurrent press waits here
    existing = session.scalar(select(Payment).where(Payment.idempotency_key == key))
    if existing is not None:
        if existing.invoice_id != invoice.id:
            raise ValidationError("duplicate", "payment", value=key)
        return existing
    ensure_open(session, actor.office_id)
    if invoice.status is DocumentStatus.PAID:
        raise StateError("already_paid", number=invoice.number)
    if invoice.status is DocumentStatus.CANCELLED:
        raise StateError("invoice_cancelled", number=invoice.number)
    method = PaymentMethod(validate.choice("payment_method", str(method) if method else None,
                                           [m.value for m in PaymentMethod]))
    paid = validate.amount("amount", amount)
    if paid != invoice.total:
        raise ValidationError("amount_mismatch", "amount", amount=rupiah(paid)[2:], due=rupiah(invoice.total)[2:])
    now = utcnow()
    paid_at = paid_at or now
    if paid_at.tzinfo is None:
        raise ValidationError("required", "paid_at")
    validate.not_future("paid_at", paid_at, now)
    if method is PaymentMethod.CASH:  # cash is booked on the day it is taken
        ensure_open(session, actor.office_id, local_date(paid_at, office_of(session, actor.office_id).time_zone))
    payment = Payment(office_id=invoice.office_id, invoice_id=invoice.id, idempotency_key=key, method=method,
                      amount=paid, paid_at=paid_at, recorded_at=now, recorded_by_id=account.id,
                      bank=validate.text("bank", bank, required=False, max_length=100))
    if method is PaymentMethod.CASH:
        tendered = validate.amount("cash_tendered", cash_tendered if cash_tendered not in (None, "") else paid)
        if tendered < paid:
            raise ValidationError("cash_short", "cash_tendered", tendered=rupiah(tendered)[2:], due=rupiah(paid)[2:])
        payment.cash_tendered, payment.change_given = tendered, tendered - paid
    elif method is PaymentMethod.SIMPONI:
        if not invoice.billing_code:
            raise ValidationError("required", "billing_code")
        if invoice.billing_expires_at and paid_at > invoice.billing_expires_at:
            raise StateError("billing_expired", number=invoice.number)
        payment.billing_code = invoice.billing_code
        payment.ntpn = validate.alnum("ntpn", ntpn, NTPN_LENGTH)
        payment.ntb = validate.text("ntb", ntb, max_length=NTB_MAX)
    else:
        payment.ntb = validate.text("ntb", ntb, required=False, max_length=NTB_MAX) or None
        payment.proof_file, payment.proof_sha256 = _proof(proof_file)
    request = load_request(session, invoice.request_id, actor.office_id)
    session.add(payment)
    try:
        session.flush()
    except IntegrityError:
        raise StateError("already_paid", number=invoice.number) from None
    invoice.status = DocumentStatus.PAID
    audit.record(session, account, "payment.record", payment)
    audit.record(session, account, "invoice.paid", invoice)
    move(session, account, request, RequestState.PAID)
    return payment


def _proof(proof_file: str | Path | None) -> tuple[str, str]:
    if not proof_file:
        raise ValidationError("required", "proof_file")
    path = Path(proof_file)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except (OSError, ValueError):
        raise ValidationError("file_missing", "proof_file", path=str(path)) from None
    return str(path), digest


def issue_receipt(session: Session, actor: Actor, payment_id: int) -> Receipt:
    """The kuitansi for a payment: numbered Nomor/Kode Satker/Bulan/Tahun, per office and year."""
    account = require(session, actor, "receipt.issue")
    # locked: a second press (or PC) waits here, then sees the receipt the first one wrote
    payment = session.get(Payment, validate.record_id("payment", payment_id), with_for_update=True,
                          populate_existing=True)
    if payment is None or payment.office_id != actor.office_id:
        raise NotFound("not_found", "payment")
    active = session.scalar(select(Receipt).where(Receipt.payment_id == payment.id,
                                                  Receipt.status != DocumentStatus.CANCELLED))
    if active is not None:
        raise StateError("receipt_exists", number=active.number)
    ensure_open(session, actor.office_id)
    invoice = session.get(Invoice, payment.invoice_id)
    request = load_request(session, invoice.request_id, actor.office_id)
    office = office_of(session, actor.office_id)
    now = utcnow()
    shown = local(now, office.time_zone)
    sequence = next_number(session, office.id, "receipt", str(shown.year))
    receipt = Receipt(
        office_id=office.id, payment_id=payment.id, year=shown.year, sequence=sequence,
        number=receipt_number(sequence, office.satker_code, shown.month, shown.year), issued_at=now,
        issued_by_id=account.id, received_from=invoice.payer_name, amount=payment.amount,
        description=receipt_description(invoice, request),
        account_code=", ".join(sorted({line["account_code"] for line in invoice.lines})),
        status=DocumentStatus.ISSUED, cash_pending=payment.method is PaymentMethod.CASH,
    )
    session.add(receipt)
    session.flush()
    audit.record(session, account, "receipt.issue", receipt)
    if request.state is RequestState.PAID:
        move(session, account, request, RequestState.RECEIPTED)
    return receipt


def receipt_description(invoice: Invoice, request: ServiceRequest) -> str:
    """"Untuk pembayaran": the products bought, as listed on the invoice."""
    parts = []
    for line in invoice.lines:
        what = line["title"] or line["product_name"]
        if line["region"]:
            what += f" ({line['region']})"
        parts.append(what)
    return f"Pembayaran {', '.join(parts)} sesuai invoice {invoice.number} (permintaan {request.number})"


def cancel_receipt(session: Session, actor: Actor, receipt_id: int, reason: str, approver: Actor) -> Receipt:
    """A wrong kuitansi is cancelled with a reason and a supervisor's approval; it stays in the books
    and a new one can be issued for the same payment."""
    account = require(session, actor, "receipt.cancel")
    try:
        supervisor = require(session, approver, "account.manage")
    except DomainError:
        raise ValidationError("approver", "account") from None
    receipt = session.get(Receipt, validate.record_id("receipt", receipt_id))
    if receipt is None or receipt.office_id != actor.office_id:
        raise NotFound("not_found", "receipt")
    reason = validate.text("reason", reason, max_length=2000, multiline=True)
    ensure_open(session, actor.office_id)  # the correction is booked today
    if receipt.status is DocumentStatus.CANCELLED:
        raise StateError("invoice_cancelled", number=receipt.number)
    if session.scalar(select(DepositReceipt.id).where(DepositReceipt.receipt_id == receipt.id)):
        raise StateError("deposited", number=receipt.number)
    receipt.status, receipt.cancel_reason, receipt.cash_pending = DocumentStatus.CANCELLED, reason, False
    receipt.cancelled_at, receipt.cancelled_by_id = utcnow(), supervisor.id
    audit.record(session, account, "receipt.cancel", receipt, reason=reason,
                 extra={"approved_by": supervisor.username})
    return receipt


def undeposited_cash(session: Session, actor: Actor) -> list[Receipt]:
    """Cash receipts not yet deposited to the state treasury, oldest first."""
    require(session, actor, "deposit.record")
    return list(session.scalars(
        select(Receipt).where(Receipt.office_id == actor.office_id, Receipt.cash_pending.is_(True))
        .order_by(Receipt.issued_at)))


def record_deposit(session: Session, actor: Actor, receipt_ids: list[int], *, ntpn: str,
                   deposited_on: date) -> Deposit:
    """Cash takings deposited to Kas Negara with the NTPN of the deposit."""
    account = require(session, actor, "deposit.record")
    ntpn = validate.alnum("ntpn", ntpn, NTPN_LENGTH)
    validate.not_after_today("deposited_on", deposited_on, office_today(session, actor.office_id))
    ensure_open(session, actor.office_id)
    ensure_open(session, actor.office_id, deposited_on)
    if not receipt_ids:
        raise ValidationError("required", "receipt")
    if session.scalar(select(Deposit.id).where(Deposit.ntpn == ntpn)):
        raise ValidationError("duplicate", "ntpn", value=ntpn)
    pending = {r.id: r for r in undeposited_cash(session, actor)}
    chosen = []
    for rid in dict.fromkeys(receipt_ids):
        if rid not in pending:
            raise StateError("not_cash", number=str(rid))
        chosen.append(pending[rid])
    zone = office_of(session, actor.office_id).time_zone
    latest = max(local_date(r.issued_at, zone) for r in chosen)
    if deposited_on < latest:
        raise ValidationError("deposit_before_receipt", "deposited_on", day=latest.strftime("%d-%m-%Y"))
    deposit = Deposit(office_id=actor.office_id, deposited_on=deposited_on, ntpn=ntpn,
                      amount=sum(r.amount for r in chosen), recorded_at=utcnow(), recorded_by_id=account.id)
    session.add(deposit)
    session.flush()
    session.add_all(DepositReceipt(deposit_id=deposit.id, receipt_id=r.id) for r in chosen)
    for receipt in chosen:
        receipt.cash_pending = False
    audit.record(session, account, "deposit.record", deposit, extra={"receipts": [r.number for r in chosen]})
    return deposit


def _invoice(session: Session, actor: Actor, invoice_id: int) -> Invoice:
    invoice = session.get(Invoice, validate.record_id("invoice", invoice_id), populate_existing=True,
                          with_for_update=True)
    if invoice is None or invoice.office_id != actor.office_id:
        raise NotFound("not_found", "invoice")
    return invoice


def invoice_for(session: Session, request_id: int) -> Invoice | None:
    """The live (not cancelled) invoice of a request."""
    return session.scalar(select(Invoice).where(Invoice.request_id == request_id,
                                                Invoice.status != DocumentStatus.CANCELLED))


def account_codes(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Product.code, Product.account_code)).all())


def totals_by_method(session: Session, actor: Actor, start: datetime, end: datetime) -> dict[PaymentMethod, int]:
    require(session, actor, "report.view")
    rows = session.execute(select(Payment.method, func.sum(Payment.amount))
                           .where(Payment.office_id == actor.office_id, Payment.paid_at >= start,
                                  Payment.paid_at < end).group_by(Payment.method))
    totals = dict.fromkeys(PaymentMethod, 0)
    totals.update({method: int(total or 0) for method, total in rows})
    return totals


def pay_and_issue_receipt(session: Session, actor: Actor, invoice_id: int, **payment) -> tuple[Payment, Receipt]:
    """The treasurer's usual step: the payment and its kuitansi in one transaction, so a power cut
    leaves either both or neither. A repeated press with the same idempotency key returns them again."""
    paid = record_payment(session, actor, invoice_id, **payment)
    existing = session.scalar(select(Receipt).where(Receipt.payment_id == paid.id,
                                                    Receipt.status != DocumentStatus.CANCELLED))
    return paid, existing or issue_receipt(session, actor, paid.id)

"""Money: the invoice the officer prints, the payment the treasurer takes (cash, SIMPONI billing code
or transfer), the kuitansi, and deposits of cash takings to the state treasury (Kas Negara)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exports.text import rupiah
from models import (
    Account,
    Channel,
    Deposit,
    DepositReceipt,
    DocumentStatus,
    Invoice,
    NtpnUse,
    Payment,
    PaymentMethod,
    Product,
    Receipt,
    ReceivingAccount,
    Refund,
    RequestState,
    ServiceRequest,
    Visitor,
)
from pstdesktop.services import audit, evidence, tariffs, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import local, local_date, utcnow
from pstdesktop.services.closing import ensure_open, lock_books
from pstdesktop.services.errors import DomainError, NotFound, StateError, ValidationError
from pstdesktop.services.numbering import invoice_number, next_number, receipt_number
from pstdesktop.services.office import office_of, office_today
from pstdesktop.services.positions import carry
from pstdesktop.services.workflow import RECEIPTED_STATES, load_request, move

HELD_METHODS = (PaymentMethod.CASH, PaymentMethod.TRANSFER)  # held by the office until deposited
REFUND_METHODS = ("cash", "transfer")
BILLING_CODE_LENGTH = 15
NTPN_LENGTH = 16
NTB_MAX = 32


def issue_invoice(session: Session, actor: Actor, request_id: int, billing_code: str | None = None,
                  billing_expires_at: datetime | None = None) -> Invoice:
    """The invoice for an approved, paid-tariff request, numbered per office and year. It keeps the
    schedule and the priced lines it was issued with, whatever the catalogue says later.

    An optional SIMPONI billing code (see :func:`set_billing_code` for its rules) with the expiry
    SIMPONI printed, else the office's validity from now."""
    account = require(session, actor, "invoice.issue")
    request = load_request(session, request_id, actor.office_id)
    office = office_of(session, actor.office_id)
    if request.state is RequestState.APPROVED and request.waiver is not None:
        raise StateError("waiver_not_zero")
    now = utcnow()
    if billing_code:
        code, expires_at = _billing_code(session, office.billing_validity_days, billing_code, billing_expires_at, now)
    elif billing_expires_at is not None:  # an expiry names the billing it belongs to
        raise ValidationError("required", "billing_code")
    else:
        code = expires_at = None
    if request.state is not RequestState.APPROVED:
        move(session, account, request, RequestState.INVOICED)  # raises the state error
    quote = tariffs.quote_request(session, request, office.time_zone)
    year = local(now, office.time_zone).year
    sequence = next_number(session, office.id, "invoice", str(year))
    visitor = session.get(Visitor, request.visitor_id)
    invoice = Invoice(
        office_id=office.id, request_id=request.id, year=year, sequence=sequence,
        number=invoice_number(sequence, office.unit_code, year), issued_at=now, issued_by_id=account.id,
        payer_name=visitor.full_name, schedule_code=quote.schedule_code,
        lines=[line.as_dict() for line in quote.lines], normal_total=quote.normal_total, total=quote.total,
        billing_code=code, billing_expires_at=expires_at, status=DocumentStatus.ISSUED,
    )
    session.add(invoice)
    _flush_billing_code(session, code)
    audit.record(session, account, "invoice.issue", invoice)
    move(session, account, request, RequestState.INVOICED)
    return invoice


def set_billing_code(session: Session, actor: Actor, invoice_id: int, billing_code: str,
                     billing_expires_at: datetime | None = None) -> Invoice:
    """Record the SIMPONI billing code typed from SIMPONI: 15 digits, on no other live (not cancelled)
    invoice, valid until ``billing_expires_at`` (the instant SIMPONI printed, not in the past) or, when
    not given, for the office's validity setting from now. The unique index on the billing codes of
    live invoices backs the rule when two PCs type the same code at once."""
    account = require(session, actor, "invoice.issue")
    invoice = _invoice(session, actor, invoice_id)
    if invoice.status is not DocumentStatus.ISSUED:
        raise StateError("already_paid" if invoice.status is DocumentStatus.PAID else "invoice_cancelled",
                         number=invoice.number)
    office = office_of(session, actor.office_id)
    invoice.billing_code, invoice.billing_expires_at = _billing_code(
        session, office.billing_validity_days, billing_code, billing_expires_at, utcnow(), invoice.id)
    _flush_billing_code(session, invoice.billing_code)
    audit.record(session, account, "invoice.billing_code", invoice)
    return invoice


def default_billing_expiry(session: Session, actor: Actor) -> datetime:
    """When a billing code typed now expires unless SIMPONI's printed expiry is entered: now plus the
    office's validity setting (``billing_validity_days``)."""
    require(session, actor, "invoice.issue")
    return utcnow() + timedelta(days=office_of(session, actor.office_id).billing_validity_days)


def _billing_code(session: Session, validity_days: int, billing_code: object, expires_at: datetime | None,
                  now: datetime, invoice_id: int | None = None) -> tuple[str, datetime]:
    """A valid billing code, on no other live invoice, and its expiry (not before ``now``)."""
    code = validate.digits("billing_code", billing_code, BILLING_CODE_LENGTH)
    if expires_at is None:
        expires_at = now + timedelta(days=validity_days)
    elif not isinstance(expires_at, datetime) or expires_at.tzinfo is None:
        raise ValidationError("required", "billing_expires_at")
    elif expires_at < now:
        raise ValidationError("past", "billing_expires_at")
    return _billing_code_unused(session, code, invoice_id), expires_at


def _billing_code_unused(session: Session, code: str, invoice_id: int | None) -> str:
    """A billing code names one SIMPONI billing: refused when another live invoice carries it."""
    taken = session.scalar(select(Invoice.id).where(Invoice.billing_code == code,
                                                    Invoice.status != DocumentStatus.CANCELLED,
                                                    Invoice.id != (invoice_id or 0)).limit(1))
    if taken is not None:
        raise ValidationError("duplicate", "billing_code", value=code)
    return code


def _flush_billing_code(session: Session, code: str | None) -> None:
    """Write the invoice; another PC's live invoice that took the same code meanwhile (the unique index
    refuses it) is the same clear refusal as the check before."""
    try:
        session.flush()
    except IntegrityError as error:
        if code and _refused_by(error, "ux_invoice_live_billing_code", "invoice.billing_code"):
            raise ValidationError("duplicate", "billing_code", value=code) from None
        raise


def _refused_by(error: IntegrityError, index: str, column: str) -> bool:
    """Whether the unique ``index`` on ``column`` (``table.column``) refused a row: PostgreSQL names
    the index or constraint in its message, SQLite the column."""
    message = str(error.orig)
    return index in message or f"UNIQUE constraint failed: {column}" in message


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
                   paid_at: datetime | None = None, proof_file: str | Path | None = None,
                   proof_reuse_reason: str = "", receiving_account_id: int | None = None) -> Payment:
    """The full invoice amount received, once. The same ``idempotency_key`` (one per payment form)
    returns the payment already recorded, so a double press or a retry after a crash adds nothing.
    A SIMPONI payment carries the NTPN of the bank's proof: one already on a payment or a deposit is
    refused (:func:`_ntpn_unused`, backed by the ``ntpn_use`` register). A transfer carries its reference
    number (``ntb``) and its proof file, stored with the database (``evidence``); a proof with the same
    SHA-256 as another payment's is refused unless ``proof_reuse_reason`` says why (recorded)."""
    account = require(session, actor, "payment.record")
    key = validate.text("payment", idempotency_key, max_length=64)
    lock_books(session, actor.office_id)  # the books first, then the row: one lock order for every step
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
                      amount=paid, paid_at=paid_at, recorded_at=now, recorded_by_id=account.id, awaiting_receipt=True,
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
        payment.ntpn = _ntpn_unused(session, validate.alnum("ntpn", ntpn, NTPN_LENGTH))
        payment.ntb = validate.text("ntb", ntb, max_length=NTB_MAX)
    else:
        payment.ntb = validate.text("transfer_reference", ntb, max_length=NTB_MAX)
        proof = evidence.store(session, account, "proof_file", proof_file, request_id=invoice.request_id)
        payment.proof_id, payment.proof_file, payment.proof_sha256 = proof.id, proof.file_name, proof.sha256
        payment.proof_reuse_reason = _proof_reuse(session, proof.id, proof_reuse_reason)
        if receiving_account_id is not None:
            payment.receiving_account_id = receiving_account(session, actor.office_id, receiving_account_id).id
    request = load_request(session, invoice.request_id, actor.office_id)
    session.add(payment)
    number, ntpn = invoice.number, payment.ntpn  # read before a failed flush closes the transaction
    try:
        session.flush()
    except IntegrityError as error:
        if ntpn and _refused_by(error, "ux_payment_ntpn", "payment.ntpn"):
            raise ValidationError("duplicate", "ntpn", value=ntpn) from None
        raise StateError("already_paid", number=number) from None
    if payment.ntpn:
        _register_ntpn(session, NtpnUse(ntpn=payment.ntpn, payment_id=payment.id))
    invoice.status = DocumentStatus.PAID
    carry(session, payment.office_id, **{f"paid_{method.value}": paid})
    audit.record(session, account, "payment.record", payment, reason=payment.proof_reuse_reason,
                 extra={"proof": payment.proof_sha256, "proof_id": payment.proof_id} if payment.proof_id else None)
    audit.record(session, account, "invoice.paid", invoice)
    move(session, account, request, RequestState.PAID)
    return payment


def _ntpn_unused(session: Session, ntpn: str) -> str:
    """An NTPN names one state revenue transaction: refused when a payment or a deposit has it already."""
    used = select(NtpnUse.ntpn).where(NtpnUse.ntpn == ntpn).union_all(
        select(Payment.ntpn).where(Payment.ntpn == ntpn), select(Deposit.ntpn).where(Deposit.ntpn == ntpn))
    if session.execute(used.limit(1)).first() is not None:
        raise ValidationError("duplicate", "ntpn", value=ntpn)
    return ntpn


def _register_ntpn(session: Session, use: NtpnUse) -> None:
    """Enter the NTPN of a payment or deposit just written in the register, in the same transaction.
    Its primary key refuses an NTPN another PC recorded meanwhile (past :func:`_ntpn_unused`): the same
    clear refusal, and the whole step is rolled back."""
    session.add(use)
    try:
        session.flush()
    except IntegrityError:
        raise ValidationError("duplicate", "ntpn", value=use.ntpn) from None


def _proof_reuse(session: Session, proof_id: int, reason: str) -> str:
    """The reason a proof already on another payment is accepted ("" for a proof used first here);
    refused without one, naming the invoices it is on."""
    numbers = list(session.scalars(select(Invoice.number).join(Payment, Payment.invoice_id == Invoice.id)
                                   .where(Payment.proof_id == proof_id).order_by(Payment.id).limit(5)))
    if not numbers:
        return ""
    if not (reason or "").strip():
        raise ValidationError("proof_reused", "proof_file", numbers=", ".join(numbers))
    return validate.text("proof_reuse_reason", reason, max_length=2000, multiline=True)


def proof_used_by(session: Session, actor: Actor, payment_id: int) -> list[str]:
    """The other invoices whose payment has the same proof file as ``payment_id`` (flag it to the treasurer)."""
    require(session, actor, "queue.view")
    payment = session.get(Payment, validate.record_id("payment", payment_id))
    if payment is None or payment.office_id != actor.office_id:
        raise NotFound("not_found", "payment")
    if payment.proof_id is None:
        return []
    return list(session.scalars(select(Invoice.number).join(Payment, Payment.invoice_id == Invoice.id)
                                .where(Payment.proof_id == payment.proof_id, Payment.id != payment.id)
                                .order_by(Payment.id).limit(5)))


def receiving_account(session: Session, office_id: int, account_id: int) -> ReceivingAccount:
    row = session.get(ReceivingAccount, validate.record_id("receiving_account", account_id))
    if row is None or row.office_id != office_id or not row.active:
        raise NotFound("not_found", "receiving_account")
    return row


def confirmation_due(payment: Payment, channel: Channel) -> bool:
    """An online transfer waits for the treasurer to see it on the receiving account (sheet step 6:
    :func:`confirm_on_account`) before its kuitansi."""
    return payment.method is PaymentMethod.TRANSFER and channel is Channel.ONLINE and payment.confirmed_at is None


def confirm_on_account(session: Session, actor: Actor, payment_id: int, *, receiving_account_id: int | None = None,
                       at: datetime | None = None) -> Payment:
    """The treasurer saw the transfer arrive on the office's receiving account (sheet step 6), before the
    kuitansi. ``receiving_account_id`` defaults to the account chosen when the payment was recorded, else
    to the office's only active account (with several, it must be named)."""
    account = require(session, actor, "payment.record")
    payment = session.get(Payment, validate.record_id("payment", payment_id), with_for_update=True)
    if payment is None or payment.office_id != actor.office_id:
        raise NotFound("not_found", "payment")
    invoice = session.get(Invoice, payment.invoice_id)
    if payment.method is not PaymentMethod.TRANSFER:
        raise StateError("not_transfer", number=invoice.number)
    now = utcnow()
    at = at or now
    if at.tzinfo is None:
        raise ValidationError("required", "confirmed_at")
    validate.not_future("confirmed_at", at, now)
    receiving_account_id = receiving_account_id or payment.receiving_account_id
    if receiving_account_id is None:
        active = list(session.scalars(select(ReceivingAccount.id).where(
            ReceivingAccount.office_id == actor.office_id, ReceivingAccount.active.is_(True)).limit(2)))
        if len(active) != 1:
            raise ValidationError("no_receiving_account" if not active else "required", "receiving_account")
        receiving_account_id = active[0]
    payment.receiving_account_id = receiving_account(session, actor.office_id, receiving_account_id).id
    payment.confirmed_at, payment.confirmed_by_id = at, account.id
    audit.record(session, account, "payment.confirmed", payment,
                 extra={"at": at, "receiving_account": payment.receiving_account_id})
    return payment


def attach_receipt_scan(session: Session, actor: Actor, receipt_id: int, path: str | Path | None) -> Receipt:
    """The signed kuitansi, scanned, to send to an online requester; a later scan replaces the link (the
    earlier file stays stored)."""
    account = require(session, actor, "evidence.attach")
    receipt = session.get(Receipt, validate.record_id("receipt", receipt_id), with_for_update=True)
    if receipt is None or receipt.office_id != actor.office_id:
        raise NotFound("not_found", "receipt")
    if receipt.status is DocumentStatus.CANCELLED:
        raise StateError("receipt_cancelled", number=receipt.number)
    invoice = session.get(Invoice, session.get(Payment, receipt.payment_id).invoice_id)
    scan = evidence.store(session, account, "receipt_scan", path, request_id=invoice.request_id)
    receipt.scan_id = scan.id
    audit.record(session, account, "receipt.scan", receipt,
                 extra={"evidence": scan.id, "sha256": scan.sha256, "file_name": scan.file_name})
    return receipt


def issue_receipt(session: Session, actor: Actor, payment_id: int) -> Receipt:
    """The kuitansi for a payment: numbered Nomor/Kode Satker/Bulan/Tahun, per office and year. An online
    request's transfer needs the treasurer's confirmation on the receiving account first."""
    account = require(session, actor, "receipt.issue")
    lock_books(session, actor.office_id)  # the books first, then the row: one lock order for every step
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
    if confirmation_due(payment, request.channel):
        raise StateError("transfer_unconfirmed", number=invoice.number)
    office = office_of(session, actor.office_id)
    now = utcnow()
    shown = local(now, office.time_zone)
    sequence = next_number(session, office.id, "receipt", str(shown.year))
    receipt = Receipt(
        office_id=office.id, payment_id=payment.id, year=shown.year, sequence=sequence,
        number=receipt_number(sequence, office.satker_code, shown.month, shown.year), issued_at=now,
        issued_by_id=account.id, received_from=invoice.payer_name, amount=payment.amount,
        description=receipt_description(invoice, request), lines=amounts_by_account(invoice.lines),
        account_code=", ".join(sorted({line["account_code"] for line in invoice.lines})),
        status=DocumentStatus.ISSUED, awaiting_deposit=payment.method in HELD_METHODS,
    )
    session.add(receipt)
    payment.awaiting_receipt = False
    session.flush()
    if payment.method in HELD_METHODS:
        carry(session, office.id, receipted_held=receipt.amount)
    audit.record(session, account, "receipt.issue", receipt)
    if request.state is RequestState.PAID:
        move(session, account, request, RequestState.RECEIPTED)
    return receipt


def amounts_by_account(invoice_lines: list[dict]) -> list[dict]:
    """The amount per account code (MAK) of an invoice's priced lines, as the kuitansi prints them."""
    amounts: dict[str, int] = {}
    for line in invoice_lines:
        amounts[line["account_code"]] = amounts.get(line["account_code"], 0) + int(line["amount"])
    return [{"account_code": code, "amount": amount} for code, amount in sorted(amounts.items())]


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
    (the correction is booked today). The payment is then "paid, kuitansi pending": its request goes
    back to PAID (deliveries already made stay recorded; a new delivery waits for the new kuitansi)
    until a corrected kuitansi is issued or the money is refunded."""
    account, supervisor, receipt = _cancellation(session, actor, receipt_id, reason, approver)
    request = _request_of_payment(session, actor, receipt.payment_id)
    if request.state in RECEIPTED_STATES:
        move(session, account, request, RequestState.PAID, reason=receipt.cancel_reason)
    return receipt


def reissue_receipt(session: Session, actor: Actor, receipt_id: int, reason: str, approver: Actor) -> Receipt:
    """Cancel a wrong kuitansi and issue the corrected one for the same payment in one step (one
    transaction): the request keeps its state, never without a live kuitansi. Returns the new one."""
    _account, _supervisor, receipt = _cancellation(session, actor, receipt_id, reason, approver)
    return issue_receipt(session, actor, receipt.payment_id)


def _cancellation(session: Session, actor: Actor, receipt_id: int, reason: str,
                  approver: Actor) -> tuple[Account, Account, Receipt]:
    account = require(session, actor, "receipt.cancel")
    supervisor = _approver(session, actor, approver)
    lock_books(session, actor.office_id)  # the books first, then the row: as a deposit does
    receipt = session.get(Receipt, validate.record_id("receipt", receipt_id), with_for_update=True,
                          populate_existing=True)
    if receipt is None or receipt.office_id != actor.office_id:
        raise NotFound("not_found", "receipt")
    reason = validate.text("reason", reason, max_length=2000, multiline=True)
    ensure_open(session, actor.office_id)  # the correction is booked today
    if receipt.status is DocumentStatus.CANCELLED:
        raise StateError("invoice_cancelled", number=receipt.number)
    if session.scalar(select(DepositReceipt.id).where(DepositReceipt.receipt_id == receipt.id)):
        raise StateError("deposited", number=receipt.number)
    receipt.status, receipt.cancel_reason, receipt.awaiting_deposit = DocumentStatus.CANCELLED, reason, False
    receipt.cancelled_at, receipt.cancelled_by_id = utcnow(), supervisor.id
    payment = session.get(Payment, receipt.payment_id)
    payment.awaiting_receipt = True  # until a new kuitansi or a refund
    if payment.method in HELD_METHODS:
        carry(session, receipt.office_id, cancelled_held=receipt.amount)
    audit.record(session, account, "receipt.cancel", receipt, reason=reason,
                 extra={"approved_by": supervisor.username})
    return account, supervisor, receipt


def _approver(session: Session, actor: Actor, approver: Actor) -> Account:
    """The approving supervisor: another person than the one who asks."""
    try:
        supervisor = require(session, approver, "account.manage")
    except DomainError:
        raise ValidationError("approver", "account") from None
    if supervisor.id == actor.account_id:
        raise ValidationError("own_approval", "account")
    return supervisor


def _request_of_payment(session: Session, actor: Actor, payment_id: int) -> ServiceRequest:
    invoice_id = session.scalar(select(Payment.invoice_id).where(Payment.id == payment_id))
    return load_request(session, session.get(Invoice, invoice_id).request_id, actor.office_id)


def record_refund(session: Session, actor: Actor, payment_id: int, *, method: str, refunded_on: date,
                  reason: str, approver: Actor) -> Refund:
    """Pay the money of a payment back (pengembalian), with a supervisor's approval, after its kuitansi
    was cancelled: the whole amount, once, by ``method`` (cash or transfer) on ``refunded_on`` (booked
    that day, which must be open). It leaves the position that held it; the request is cancelled."""
    account = require(session, actor, "receipt.cancel")
    supervisor = _approver(session, actor, approver)
    lock_books(session, actor.office_id)  # the books first, then the row
    payment = session.get(Payment, validate.record_id("payment", payment_id), with_for_update=True,
                          populate_existing=True)
    if payment is None or payment.office_id != actor.office_id:
        raise NotFound("not_found", "payment")
    method = validate.choice("refund_method", method, REFUND_METHODS)
    reason = validate.text("reason", reason, max_length=2000, multiline=True)
    validate.not_after_today("refunded_on", refunded_on, office_today(session, actor.office_id))
    if refunded_on < local_date(payment.paid_at, office_of(session, actor.office_id).time_zone):
        raise ValidationError("refund_before_payment", "refunded_on")
    ensure_open(session, actor.office_id)
    ensure_open(session, actor.office_id, refunded_on)
    live = session.scalar(select(Receipt).where(Receipt.payment_id == payment.id,
                                                Receipt.status != DocumentStatus.CANCELLED))
    if live is not None:
        raise StateError("receipt_exists", number=live.number)
    if session.scalar(select(Refund.id).where(Refund.payment_id == payment.id)):
        raise StateError("refunded", number=str(payment.id))
    refund = Refund(office_id=actor.office_id, payment_id=payment.id, amount=payment.amount, method=method,
                    refunded_on=refunded_on, reason=reason, approved_by_id=supervisor.id,
                    recorded_by_id=account.id, recorded_at=utcnow())
    session.add(refund)
    payment.awaiting_receipt = False
    session.flush()
    carry(session, actor.office_id, **{f"refunded_{payment.method.value}": refund.amount})
    audit.record(session, account, "refund.record", refund, reason=reason,
                 extra={"approved_by": supervisor.username})
    request = _request_of_payment(session, actor, payment.id)
    move(session, account, request, RequestState.CANCELLED, reason=reason, action="refund.record",
         allowed_by="receipt.cancel")
    return refund


def undeposited_cash(session: Session, actor: Actor, source: str = "cash") -> list[Receipt]:
    """Live kuitansi awaiting their deposit to the state treasury, oldest first: cash in the box, or
    transfers on the receiving account (``source``)."""
    require(session, actor, "deposit.record")
    return list(session.scalars(
        select(Receipt).join(Payment, Payment.id == Receipt.payment_id)
        .where(Receipt.office_id == actor.office_id, Receipt.awaiting_deposit == True,  # noqa: E712 (partial index)
               Payment.method == PaymentMethod(source))
        .order_by(Receipt.issued_at, Receipt.id)))


def record_deposit(session: Session, actor: Actor, receipt_ids: list[int], *, ntpn: str,
                   deposited_on: date, source: str = "cash") -> Deposit:
    """Takings deposited to Kas Negara with the NTPN of the deposit: cash from the box, or transfers
    from the receiving account (``source``); one deposit covers kuitansi of one source."""
    account = require(session, actor, "deposit.record")
    source = validate.choice("deposit_source", source, [m.value for m in HELD_METHODS])
    ntpn = validate.alnum("ntpn", ntpn, NTPN_LENGTH)
    validate.not_after_today("deposited_on", deposited_on, office_today(session, actor.office_id))
    ensure_open(session, actor.office_id)
    ensure_open(session, actor.office_id, deposited_on)
    if not receipt_ids:
        raise ValidationError("required", "receipt")
    _ntpn_unused(session, ntpn)  # on no payment and no other deposit
    pending = {r.id: r for r in undeposited_cash(session, actor, source)}
    chosen = []
    for rid in dict.fromkeys(receipt_ids):
        if rid not in pending:
            raise StateError("not_cash", number=str(rid))
        chosen.append(pending[rid])
    zone = office_of(session, actor.office_id).time_zone
    latest = max(local_date(r.issued_at, zone) for r in chosen)
    if deposited_on < latest:
        raise ValidationError("deposit_before_receipt", "deposited_on", day=latest.strftime("%d-%m-%Y"))
    deposit = Deposit(office_id=actor.office_id, deposited_on=deposited_on, ntpn=ntpn, source=source,
                      amount=sum(r.amount for r in chosen), recorded_at=utcnow(), recorded_by_id=account.id)
    session.add(deposit)
    try:
        session.flush()
    except IntegrityError as error:
        if _refused_by(error, "uq_deposit_ntpn", "deposit.ntpn"):
            raise ValidationError("duplicate", "ntpn", value=ntpn) from None
        raise
    _register_ntpn(session, NtpnUse(ntpn=ntpn, deposit_id=deposit.id))
    session.add_all(DepositReceipt(deposit_id=deposit.id, receipt_id=r.id) for r in chosen)
    for receipt in chosen:
        receipt.awaiting_deposit = False
    carry(session, actor.office_id, **{f"deposited_{source}": deposit.amount})
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

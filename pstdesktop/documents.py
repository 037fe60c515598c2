"""Issued documents as PDF: the data is gathered from the database into the plain records of
``exports`` and rendered there. Every date comes from the document itself, never from the clock, so a
reprint carries the same content as the first print (marked "SALINAN / COPY" when ``copy``).

Every staff role (officer, treasurer, supervisor) may print; the kiosk may not.
``document_command`` is ``pst document invoice|sppd|receipt NUMBER --out FILE.pdf``."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from exports.invoice import InvoiceData, InvoiceLine, ReceivingBank, render_invoice
from exports.pdf import Letterhead
from exports.receipt import ReceiptData, render_receipt
from exports.sppd import SppdData, SppdItem, render_sppd
from exports.text import amounts_by_account, thousands
from models import (
    Account,
    Channel,
    Invoice,
    OfficeProfile,
    Payment,
    PaymentMethod,
    Product,
    Receipt,
    ReceivingAccount,
    RequestState,
    ServiceRequest,
    SppdAgreement,
    TariffSchedule,
    Visitor,
)
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import local
from pstdesktop.services.delivery import default_channel
from pstdesktop.services.errors import DomainError, NotFound, StateError
from pstdesktop.services.guestbook import mask_identity
from pstdesktop.services.office import office_of, stamp_duty
from pstdesktop.services.references import invoice_qr_text, receipt_qr_text
from pstdesktop.services.workflow import STATE_LABELS

ONLINE_VIA = {"email": "email", "wa": "WhatsApp", "forum": "Forum Silastik"}
MEDIA = {"flashdisk": "Flashdisk", "dvd": "DVD", "email": "Email", "forum": "Forum Silastik",
         "wa": "WhatsApp", "harddisk": "Hard disk"}
NO_SPPD_YET = (RequestState.DRAFT, RequestState.SUBMITTED, RequestState.REDIRECTED)


def letterhead(office: OfficeProfile) -> Letterhead:
    return Letterhead(name=office.name, address=office.address, phone=office.phone, email=office.email,
                      logo=office.logo)


def _staff(session: Session, actor: Actor) -> None:
    require(session, actor, "queue.view")


def _mine(document, actor: Actor, field: str):
    if document is None or document.office_id != actor.office_id:
        raise NotFound("not_found", field)
    return document


# --- invoice ----------------------------------------------------------------------------------------
def invoice_data(session: Session, invoice: Invoice) -> InvoiceData:
    office = office_of(session, invoice.office_id)
    request = session.get(ServiceRequest, invoice.request_id)
    visitor = session.get(Visitor, request.visitor_id)
    officer = session.get(Account, invoice.issued_by_id)
    schedule = session.scalar(select(TariffSchedule).where(TariffSchedule.code == invoice.schedule_code))
    zone = office.time_zone
    return InvoiceData(
        letterhead=letterhead(office), city=office.city, zone=zone, number=invoice.number,
        issued_at=local(invoice.issued_at, zone), request_number=request.number,
        channel=channel_words(request),
        payer_name=invoice.payer_name, payer_institution=visitor.institution if visitor else "",
        payer_contact=visitor.email if visitor else "",
        lines=tuple(InvoiceLine.from_priced(line) for line in invoice.lines), total=invoice.total,
        regulation=schedule.regulation if schedule else invoice.schedule_code,
        treasurer_name=office.treasurer_name, officer_name=officer.full_name if officer else "",
        officer_nip=officer.nip if officer else "", qr_text=invoice_qr_text(office, invoice),
        billing_code=invoice.billing_code,
        billing_expires_at=local(invoice.billing_expires_at, zone) if invoice.billing_expires_at else None,
        cancelled_at=local(invoice.cancelled_at, zone) if invoice.cancelled_at else None,
        cancel_reason=invoice.cancel_reason,
        online=request.channel is Channel.ONLINE,
        receiving_accounts=tuple(ReceivingBank(r.bank, r.number, r.holder) for r in session.scalars(
            select(ReceivingAccount).where(ReceivingAccount.office_id == office.id, ReceivingAccount.active.is_(True))
            .order_by(ReceivingAccount.id).limit(5))),
    )


def channel_words(request: ServiceRequest) -> str:
    if request.channel is Channel.WALK_IN:
        return "Langsung (tatap muka)"
    return f"Daring melalui {ONLINE_VIA.get(request.online_via, request.online_via or 'layanan daring')}"


def invoice_pdf(session: Session, actor: Actor, invoice_id: int, copy: bool = False) -> bytes:
    """The invoice as PDF bytes (an Rp0 request has no invoice)."""
    _staff(session, actor)
    invoice = _mine(session.get(Invoice, invoice_id), actor, "invoice")
    return _render_invoice(session, invoice, copy)


def _render_invoice(session: Session, invoice: Invoice, copy: bool) -> bytes:
    if invoice.total <= 0:
        raise StateError("waiver_not_zero")
    return render_invoice(invoice_data(session, invoice), copy=copy)


# --- SPPD -------------------------------------------------------------------------------------------
def sppd_data(session: Session, request: ServiceRequest) -> SppdData:
    office = office_of(session, request.office_id)
    visitor = session.get(Visitor, request.visitor_id)
    agreement = session.scalar(select(SppdAgreement).where(SppdAgreement.request_id == request.id))
    items = []
    for item in request.items:
        product = session.get(Product, item.product_id)
        items.append(SppdItem(title=item.title, product=product.name_id, region=item.region, year=item.year,
                              data_format=item.data_format, quantity=item.quantity, unit=product.unit_id,
                              variables=item.variables))
    online = request.channel is Channel.ONLINE
    media = ", ".join(dict.fromkeys(MEDIA.get(i.media, i.media) for i in request.items if i.media))
    if not media and online:  # no medium chosen: the data goes back the way the request came
        media = MEDIA[default_channel(request.channel, request.online_via)[1]]
    return SppdData(
        letterhead=letterhead(office), city=office.city, request_number=request.number,
        dated=local(request.clear_at or request.received_at, office.time_zone),
        recipient_name=visitor.full_name, institution=visitor.institution,
        address=address(visitor), phone=visitor.phone, email=visitor.email,
        identity=identity(visitor), abstraction=request.abstraction or "-", items=tuple(items), media=media or "-",
        materai_amount=agreement.materai_amount if agreement else office.materai_amount,
        originals=agreement.originals_expected if agreement else (2 if online else 1),
        number=(agreement.number or "") if agreement else "", signer_name=office.sppd_signer_name,
        signer_title=office.sppd_signer_title, signer_nip=office.sppd_signer_nip,
    )


def address(visitor: Visitor) -> str:
    parts = [visitor.regency, visitor.province, visitor.country]
    return ", ".join(p for p in parts if p) or "-"


def identity(visitor: Visitor) -> str:
    """``KTP 8171********0001``: the identity number is never printed whole (UU 27/2022)."""
    if not visitor.id_document_number:
        return "-"
    return f"{visitor.id_document_type} {mask_identity(visitor.id_document_number)}".strip()


def sppd_pdf(session: Session, actor: Actor, request_id: int, copy: bool = False) -> bytes:
    """The SPPD of an approved request as PDF bytes."""
    _staff(session, actor)
    request = _mine(session.get(ServiceRequest, request_id), actor, "request")
    return _render_sppd(session, request, copy)


def _render_sppd(session: Session, request: ServiceRequest, copy: bool) -> bytes:
    if request.state in NO_SPPD_YET:
        raise StateError("state", number=request.number, state=STATE_LABELS[request.state][0], action="SPPD")
    if not request.items:
        raise StateError("no_items")
    return render_sppd(sppd_data(session, request), copy=copy)


# --- kuitansi ---------------------------------------------------------------------------------------
def receipt_data(session: Session, receipt: Receipt) -> ReceiptData:
    office = office_of(session, receipt.office_id)
    payment = session.get(Payment, receipt.payment_id)
    issuer = session.get(Account, receipt.issued_by_id)
    zone = office.time_zone
    return ReceiptData(
        letterhead=letterhead(office), city=office.city, number=receipt.number, budget_year=receipt.year,
        issued_at=local(receipt.issued_at, zone), received_from=receipt.received_from, amount=receipt.amount,
        description=receipt.description, account_code=amounts_by_account(receipt.lines) or receipt.account_code,
        payment_method=method_words(payment),
        treasurer_name=office.treasurer_name or (issuer.full_name if issuer else ""),
        treasurer_nip=office.treasurer_nip or (issuer.nip if issuer else ""),
        qr_text=receipt_qr_text(office, receipt), materai_amount=stamp_duty(office, receipt.amount),
        cancelled_at=local(receipt.cancelled_at, zone) if receipt.cancelled_at else None,
        cancel_reason=receipt.cancel_reason,
    )


def method_words(payment: Payment) -> str:
    """How it was paid: NTPN and NTB are the SIMPONI payment's; a transfer has its bank's reference."""
    if payment.method is PaymentMethod.CASH:
        return "Tunai"
    if payment.method is PaymentMethod.SIMPONI:
        text, reference = f"Kode billing SIMPONI {payment.billing_code}, NTPN {payment.ntpn}", "NTB"
    else:
        text, reference = "Transfer bank" + (f" ({payment.bank})" if payment.bank else ""), "No. referensi transfer"
    return text + (f", {reference} {payment.ntb}" if payment.ntb else "")


def receipt_pdf(session: Session, actor: Actor, receipt_id: int, copy: bool = False) -> bytes:
    """The kuitansi as PDF bytes (a cancelled one is marked DIBATALKAN with its reason)."""
    _staff(session, actor)
    receipt = _mine(session.get(Receipt, receipt_id), actor, "receipt")
    return render_receipt(receipt_data(session, receipt), copy=copy)


# --- the daily closing sheet ------------------------------------------------------------------------
def closing_pdf(session: Session, actor: Actor, day: date, copy: bool = False) -> bytes:
    """The closing sheet of a closed day, with the audit checkpoint of its closing."""
    from exports.closing import ClosingData, render_closing
    from pstdesktop import anchors
    from pstdesktop.services import audit, ledger

    require(session, actor, "day.close")
    closing = ledger.closing_of(session, actor.office_id, day)
    if closing is None:
        raise StateError("day_not_closed", day=day.strftime("%d-%m-%Y"))
    entry = next(e for e in reversed(audit.history(session, "daily_closing", closing.id)) if e.action == "day.close")
    office = office_of(session, actor.office_id)
    closer = session.get(Account, closing.closed_by_id)
    data = ClosingData(letterhead=letterhead(office), city=office.city, day=day,
                       closed_at=local(closing.closed_at, office.time_zone), closed_by=closer.full_name if closer else "",
                       totals=closing.totals, note=closing.note, treasurer_name=office.treasurer_name,
                       treasurer_nip=office.treasurer_nip, checkpoint=anchors.paper(entry.seq, entry.hash))
    return render_closing(data, copy=copy)


# --- lookups by number ------------------------------------------------------------------------------
def _by_number(session: Session, model, number: str, office_id: int | None, field: str):
    query = select(model).where(model.number == (number or "").strip())
    if office_id is not None:
        query = query.where(model.office_id == office_id)
    document = session.scalars(query.order_by(model.office_id).limit(1)).first()
    if document is None:
        raise NotFound("document_unknown", field, number=number)
    return document


def invoice_by_number(session: Session, actor: Actor, number: str) -> Invoice:
    _staff(session, actor)
    return _by_number(session, Invoice, number, actor.office_id, "invoice")


def receipt_by_number(session: Session, actor: Actor, number: str) -> Receipt:
    _staff(session, actor)
    return _by_number(session, Receipt, number, actor.office_id, "receipt")


def request_by_number(session: Session, actor: Actor, number: str) -> ServiceRequest:
    _staff(session, actor)
    return _by_number(session, ServiceRequest, number, actor.office_id, "request")


def render_by_number(session: Session, kind: str, number: str, *, copy: bool = True) -> bytes:
    """The document ``kind`` (invoice, sppd: its own number or the request's, receipt) named ``number``, in
    any office of this database: the command-line reprint, marked as a copy."""
    if kind == "invoice":
        return _render_invoice(session, _by_number(session, Invoice, number, None, "invoice"), copy)
    if kind == "sppd":
        agreement = session.scalar(select(SppdAgreement).where(SppdAgreement.number == (number or "").strip()))
        request = session.get(ServiceRequest, agreement.request_id) if agreement is not None else \
            _by_number(session, ServiceRequest, number, None, "request")
        return _render_sppd(session, request, copy)
    if kind == "receipt":
        return render_receipt(receipt_data(session, _by_number(session, Receipt, number, None, "receipt")),
                              copy=copy)
    raise ValueError(f"unknown document kind {kind!r}")


# --- files ------------------------------------------------------------------------------------------
def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and ``os.replace``,
    so a failure leaves either the old file or none, never half a file. A device (``/dev/stdout``) is
    written in place: it is never replaced by a file."""
    path = Path(path)
    if path.exists() and not path.is_file() and not path.is_dir():
        with open(path, "wb") as stream:
            stream.write(content)
        return
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _say(error: DomainError) -> str:
    return f"{error.message('id')} / {error.message('en')}"


def document_command(database, kind: str, number: str, out: Path) -> int:
    """``pst document``: render an issued document again, marked as a copy, to ``out``. Exit 0 when
    written; 2 for an unknown number, a document that cannot be printed or a file that cannot be written."""
    try:
        with database.unit_of_work() as session:
            content = render_by_number(session, kind, number, copy=True)
    except DomainError as error:
        print(f"pst document: {_say(error)}", file=sys.stderr)
        return 2
    try:
        write_atomically(out, content)
    except OSError as error:
        refusal = DomainError("file_disk_full", path=str(out)) if error.errno == errno.ENOSPC else \
            DomainError("document_write", path=str(out), reason=error.strerror or error.__class__.__name__)
        print(f"pst document: {_say(refusal)}", file=sys.stderr)
        return 2
    print(f"pst document: {kind} {number} -> {out} ({thousands(len(content))} byte, SALINAN / COPY)")
    return 0

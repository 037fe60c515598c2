"""The online channel's own steps, and the case file the officer's checklist reads.

Online requests (email, WA, Forum Silastik) have a requester with no guestbook visit. Following the
office's online sheet, the officer records when the invoice and SPPD files were sent to the requester
(date, channel) and when the scanned signed kuitansi and the data were sent; the signed SPPD original
comes by post later and :func:`outstanding_originals` lists those still awaited. (An older optional
step, a sample file and its check, is kept for requests that used it.) The case file gathers, as plain
rows, where a request stands with its papers: invoice, payment (with the transfer proof), kuitansi,
SPPD and its originals by post, hand-overs and corrections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Account,
    Channel,
    ConsultationReferral,
    Correction,
    DocumentStatus,
    Invoice,
    Payment,
    PaymentMethod,
    PollAnswer,
    Product,
    ProductKind,
    Receipt,
    RequestState,
    ServiceRequest,
    SppdAgreement,
    Visit,
    Visitor,
)
from pstdesktop.services import audit, billing, delivery, evidence, guestbook, kiosk, requests, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import fmt_local, local_date, utcnow
from pstdesktop.services.deadlines import is_working_day, working_days_left
from pstdesktop.services.errors import StateError, ValidationError
from pstdesktop.services.office import office_of, office_today
from pstdesktop.services.workflow import OPEN_STATES, STATE_LABELS, load_request

SAMPLE_STATES = (RequestState.APPROVED, RequestState.INVOICED, RequestState.PAID, RequestState.RECEIPTED)
SENT_VIA = ("email", "wa", "forum", "post")
SENT_VIA_LABELS = {"email": ("Email", "Email"), "wa": ("WhatsApp", "WhatsApp"),
                   "forum": ("Forum Silastik", "Silastik forum"), "post": ("Pos", "Post")}
PAPERS_STATES = (RequestState.INVOICED, RequestState.PAID, RequestState.RECEIPTED, RequestState.APPROVED)
RESULTS_STATES = (RequestState.DELIVERED, RequestState.CORRECTION_REQUESTED, RequestState.VERIFIED)


def register_requester(session: Session, actor: Actor, answers: dict) -> Visitor:
    """A requester who wrote by email/WA/forum: the guestbook answers, without a visit or queue number."""
    account = require(session, actor, "request.edit")
    now = utcnow()
    person = Visitor(office_id=actor.office_id, consent_at=now, created_at=now,
                     **guestbook.clean_visitor(answers, office_today(session, actor.office_id).year))
    session.add(person)
    session.flush()
    audit.record(session, account, "visitor.online", person)
    return person


def check_requester(answers: dict, this_year: int) -> dict[str, ValidationError]:
    """Every broken guestbook answer of an online requester, keyed by field in form order (empty when
    ``register_requester`` would take them): the kiosk's whole-form check, without a visit's purpose."""
    errors = kiosk.check_entry(answers, "Konsultasi Statistik", "", this_year)
    return {field: error for field, error in errors.items() if field not in ("purpose", "purpose_other")}


def record_sample_sent(session: Session, actor: Actor, request_id: int, at: datetime | None = None) -> ServiceRequest:
    """The sample file went out with the invoice and the SPPD. Sending again (a corrected sample)
    waits for a new check."""
    account = require(session, actor, "request.edit")
    request = _online(session, actor, request_id)
    if request.state not in SAMPLE_STATES:
        raise StateError("state", number=request.number, state=STATE_LABELS[request.state][0],
                         action="Contoh data dikirim")
    at = _moment("sample_sent_at", at)
    request.sample_sent_at, request.sample_checked_at = at, None
    request.updated_at = utcnow()
    audit.record(session, account, "request.sample_sent", request, extra={"at": at})
    return request


def record_sample_check(session: Session, actor: Actor, request_id: int, *, note: str = "",
                        at: datetime | None = None) -> ServiceRequest:
    """The requester checked the sample; ``note`` says what they want corrected (empty: accepted)."""
    account = require(session, actor, "request.edit")
    request = _online(session, actor, request_id)
    if request.sample_sent_at is None:
        raise StateError("sample_not_sent", number=request.number)
    note = validate.text("sample_note", note, required=False, max_length=2000, multiline=True)
    at = _moment("sample_checked_at", at)
    if at < request.sample_sent_at:
        raise ValidationError("check_before_sample", "sample_checked_at")
    request.sample_checked_at, request.sample_note = at, note
    request.updated_at = utcnow()
    audit.record(session, account, "request.sample_checked", request, reason=note, extra={"at": at})
    return request


def record_papers_sent(session: Session, actor: Actor, request_id: int, *, via: str,
                       at: datetime | None = None) -> ServiceRequest:
    """Sheet step 2a: the invoice file and the SPPD file went to the requester (``via``: email, wa, forum,
    post). An Rp0 request has no invoice; a paid one needs its invoice first. Recording again corrects it."""
    account = require(session, actor, "request.edit")
    request = _online(session, actor, request_id)
    if request.state not in PAPERS_STATES or (request.state is RequestState.APPROVED and request.waiver is None):
        raise StateError("state", number=request.number, state=STATE_LABELS[request.state][0],
                         action="Invoice & SPPD dikirim")
    at, via = _sending(request, at, via)
    request.papers_sent_at, request.papers_sent_via = at, via
    request.updated_at = utcnow()
    audit.record(session, account, "request.papers_sent", request, extra={"at": at, "via": via})
    return request


def record_results_sent(session: Session, actor: Actor, request_id: int, *, via: str,
                        at: datetime | None = None) -> ServiceRequest:
    """Sheet step 7: the scanned signed kuitansi and the data went to the requester. The data is handed
    over first (``delivery.deliver``); a paid request needs the kuitansi scan stored."""
    account = require(session, actor, "request.edit")
    request = _online(session, actor, request_id)
    if request.state not in RESULTS_STATES:
        raise StateError("state", number=request.number, state=STATE_LABELS[request.state][0],
                         action="Pindaian kuitansi & data dikirim")
    receipt = session.execute(select(Receipt.id, Receipt.scan_id).join(Payment, Payment.id == Receipt.payment_id)
                              .join(Invoice, Invoice.id == Payment.invoice_id)
                              .where(Invoice.request_id == request.id,
                                     Receipt.status != DocumentStatus.CANCELLED)).first()
    if receipt is not None and receipt.scan_id is None:
        raise ValidationError("required", "receipt_scan")
    at, via = _sending(request, at, via)
    request.results_sent_at, request.results_sent_via = at, via
    request.updated_at = utcnow()
    audit.record(session, account, "request.results_sent", request, extra={"at": at, "via": via})
    return request


@dataclass(frozen=True)
class OutstandingOriginal:
    request_id: int
    number: str
    requester: str
    state_label: str
    sppd_number: str
    signed: str
    age_days: int
    age_working_days: int


def outstanding_originals(session: Session, actor: Actor, lang: str = "id", *, limit: int = 50,
                          offset: int = 0) -> list[OutstandingOriginal]:
    """One page of online requests whose signed SPPD original has not arrived by post (cancelled and
    redirected ones aside), oldest first, with the age since the SPPD was signed in days and working days."""
    require(session, actor, "queue.view")
    zone = office_of(session, actor.office_id).time_zone
    today = office_today(session, actor.office_id)
    rows = session.execute(
        select(ServiceRequest.id, ServiceRequest.number, Visitor.full_name, ServiceRequest.state,
               SppdAgreement.number, SppdAgreement.signed_at)
        .join(ServiceRequest, ServiceRequest.id == SppdAgreement.request_id)
        .join(Visitor, Visitor.id == ServiceRequest.visitor_id)
        .where(SppdAgreement.originals_received_at.is_(None), SppdAgreement.signed_at.is_not(None),
               ServiceRequest.office_id == actor.office_id, ServiceRequest.channel == Channel.ONLINE,
               ServiceRequest.state.not_in((RequestState.CANCELLED, RequestState.REDIRECTED)))
        .order_by(SppdAgreement.signed_at, SppdAgreement.id).limit(limit).offset(offset))
    found = []
    for request_id, number, name, state, sppd_number, signed_at in rows:
        signed_on = local_date(signed_at, zone)
        found.append(OutstandingOriginal(
            request_id, number, name, STATE_LABELS[state][1 if lang == "en" else 0], sppd_number or "",
            fmt_local(signed_at, zone), max((today - signed_on).days, 0), working_days_between(signed_on, today)))
    return found


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def _online(session: Session, actor: Actor, request_id: int) -> ServiceRequest:
    request = load_request(session, request_id, actor.office_id)
    if request.channel is not Channel.ONLINE:
        raise StateError("online_only", number=request.number)
    return request


def _sending(request: ServiceRequest, at: datetime | None, via: str) -> tuple[datetime, str]:
    """The checked moment (now when not given; not in the future, not before the request came) and channel of
    something sent to the requester."""
    via = validate.choice("sent_via", via, SENT_VIA)
    at = _moment("sent_at", at)
    if at < request.received_at:
        raise ValidationError("before_received", "sent_at")
    return at, via


def _moment(field: str, at: datetime | None) -> datetime:
    now = utcnow()
    if at is None:
        return now
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise ValidationError("required", field)
    validate.not_future(field, at, now)
    return at


# ---------------------------------------------------------------- reading: rows for the officer's screens

@dataclass(frozen=True)
class ItemRow:
    item_id: int
    product_code: str
    product_name: str
    kind: ProductKind
    title: str
    region: str
    year: int | None
    data_format: str
    media: str
    quantity: int
    unit: str
    variables: str
    price: int | None
    formula: str


@dataclass(frozen=True)
class FileRow:
    request_item_id: int
    file_name: str
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class DeliveryRow:
    round: int
    channel: str
    media: str
    media_label: str
    delivered: str
    delivered_by: str
    receipt_handed_over: bool
    fixes: str
    checked: str
    files: tuple[FileRow, ...]


@dataclass(frozen=True)
class CaseFile:
    """Everything the officer's checklist shows about one request, as plain values."""

    request_id: int
    number: str
    channel: Channel
    online_via: str
    state: RequestState
    state_label: str
    time_zone: str
    received: str
    received_at: datetime
    due: str
    overdue: bool
    abstraction: str
    requester: str
    institution: str
    phone: str
    email: str
    identity: str  # masked
    queue_code: str
    items: tuple[ItemRow, ...]
    waiver: dict | None
    referral: str
    invoice_id: int | None
    invoice_number: str
    invoice_total: int | None
    invoice_normal_total: int | None
    billing_code: str
    billing_expires: str
    invoice_status: str
    payment_method: PaymentMethod | None
    paid: str
    proof_file: str
    proof_sha256: str
    receipt_id: int | None
    receipt_number: str
    sppd_signed: str
    sppd_number: str  # the SPPD's own number, given when it is signed
    sppd_originals_expected: int
    sppd_originals_received: str
    sample_sent: str
    sample_checked: str
    sample_note: str
    deliveries: tuple[DeliveryRow, ...]
    open_problem: str
    version: int
    payment_id: int | None = None
    proof: evidence.EvidenceFile | None = None  # the transfer proof stored with the database
    proof_reuse_reason: str = ""
    proof_used_by: tuple[str, ...] = ()  # other invoices paid with the same proof file
    confirmed: str = ""  # the treasurer saw the transfer on the receiving account
    receipt_scan: evidence.EvidenceFile | None = None
    sppd_scan: evidence.EvidenceFile | None = None
    original_scan: evidence.EvidenceFile | None = None
    papers_sent: str = ""
    papers_sent_via: str = ""
    results_sent: str = ""
    results_sent_via: str = ""
    closed_without_original: str = ""
    # a walk-in visit's exit poll: "open" while the visitor can still answer it at the kiosk (today's
    # visit, not answered yet), "answered" once answered, "" otherwise (no visit, or an earlier day's)
    exit_poll: str = ""
    clear: str = ""                    # when it became clear (complete and agreed), office time
    clear_at: datetime | None = None

    @property
    def waived(self) -> bool:
        return self.waiver is not None


def case_file(session: Session, actor: Actor, request_id: int, lang: str = "id") -> CaseFile:
    request = requests.get_request(session, actor, request_id)
    session.refresh(request)  # another PC may have moved it since this session last saw it
    zone = office_of(session, actor.office_id).time_zone

    def shown(moment: datetime | None) -> str:
        return "" if moment is None else fmt_local(moment, zone)

    visitor = session.get(Visitor, request.visitor_id)
    visit = session.get(Visit, request.visit_id) if request.visit_id else None
    invoice = session.scalar(select(Invoice).where(Invoice.request_id == request.id)
                             .order_by(Invoice.status == DocumentStatus.CANCELLED, Invoice.id.desc()).limit(1))
    payment = session.scalar(select(Payment).where(Payment.invoice_id == invoice.id)) if invoice else None
    receipt = session.scalar(select(Receipt).where(Receipt.payment_id == payment.id,
                                                   Receipt.status != DocumentStatus.CANCELLED)) if payment else None
    sppd = session.scalar(select(SppdAgreement).where(SppdAgreement.request_id == request.id))
    referral = session.scalar(select(ConsultationReferral.reason).where(ConsultationReferral.request_id == request.id))
    problem = session.scalar(select(Correction.problem).where(Correction.request_id == request.id,
                                                              Correction.fixed_by_delivery_id.is_(None)))
    waiver = None
    if request.waiver is not None:
        w = request.waiver
        approver = session.get(Account, w.approved_by_id)
        waiver = {"category": w.category, "purpose": w.purpose, "letter_number": w.letter_number,
                  "letter_date": w.letter_date.strftime("%d-%m-%Y"), "approved_by": approver.full_name,
                  "normal_amount": w.normal_amount}
    live_invoice = invoice if invoice is not None and invoice.status is not DocumentStatus.CANCELLED else None
    return CaseFile(
        request_id=request.id, number=request.number, channel=request.channel, online_via=request.online_via,
        state=request.state, state_label=STATE_LABELS[request.state][1 if lang == "en" else 0], time_zone=zone,
        received=shown(request.received_at), received_at=request.received_at, due=shown(request.due_at),
        overdue=request.due_at is not None and request.due_at < utcnow() and request.state in OPEN_STATES,
        abstraction=request.abstraction, requester=visitor.full_name, institution=visitor.institution,
        phone=visitor.phone, email=visitor.email,
        identity=(f"{visitor.id_document_type} {guestbook.mask_identity(visitor.id_document_number)}"
                  if visitor.id_document_number else ""),
        queue_code=visit.queue_code if visit else "", items=tuple(_items(session, request, lang)), waiver=waiver,
        referral=referral or "",
        invoice_id=live_invoice.id if live_invoice else None,
        invoice_number=live_invoice.number if live_invoice else "",
        invoice_total=live_invoice.total if live_invoice else None,
        invoice_normal_total=live_invoice.normal_total if live_invoice else None,
        billing_code=(live_invoice.billing_code or "") if live_invoice else "",
        billing_expires=shown(live_invoice.billing_expires_at) if live_invoice else "",
        invoice_status=live_invoice.status.value if live_invoice else "",
        payment_method=payment.method if payment else None, paid=shown(payment.paid_at) if payment else "",
        proof_file=payment.proof_file if payment else "", proof_sha256=payment.proof_sha256 if payment else "",
        receipt_id=receipt.id if receipt else None, receipt_number=receipt.number if receipt else "",
        sppd_signed=shown(sppd.signed_at) if sppd else "", sppd_number=(sppd.number or "") if sppd else "",
        sppd_originals_expected=sppd.originals_expected if sppd else (2 if request.channel is Channel.ONLINE else 1),
        sppd_originals_received=shown(sppd.originals_received_at) if sppd else "",
        sample_sent=shown(request.sample_sent_at), sample_checked=shown(request.sample_checked_at),
        sample_note=request.sample_note, deliveries=tuple(_deliveries(session, request.id, shown)),
        open_problem=(problem or "") if request.state is RequestState.CORRECTION_REQUESTED else "",
        version=request.version, exit_poll=_exit_poll(session, visit, actor.office_id),
        clear=shown(request.clear_at), clear_at=request.clear_at,
        payment_id=payment.id if payment else None,
        proof=evidence.info(session, payment.proof_id) if payment else None,
        proof_reuse_reason=payment.proof_reuse_reason if payment else "",
        proof_used_by=tuple(billing.proof_used_by(session, actor, payment.id)) if payment else (),
        confirmed=shown(payment.confirmed_at) if payment else "",
        receipt_scan=evidence.info(session, receipt.scan_id) if receipt else None,
        sppd_scan=evidence.info(session, sppd.scan_id) if sppd else None,
        original_scan=evidence.info(session, sppd.original_scan_id) if sppd else None,
        papers_sent=shown(request.papers_sent_at), papers_sent_via=request.papers_sent_via,
        results_sent=shown(request.results_sent_at), results_sent_via=request.results_sent_via,
        closed_without_original=request.closed_without_original,
    )


def _exit_poll(session: Session, visit: Visit | None, office_id: int) -> str:
    """See ``CaseFile.exit_poll``; the kiosk finds only today's visits for the poll."""
    if visit is None:
        return ""
    if session.scalar(select(PollAnswer.id).where(PollAnswer.visit_id == visit.id)) is not None:
        return "answered"
    return "open" if visit.queue_date == office_today(session, office_id) else ""


def _items(session: Session, request: ServiceRequest, lang: str):
    """The request's items, the product's name and unit in ``lang`` (the catalogue keeps both)."""
    english = lang == "en"
    for item in request.items:
        product = session.get(Product, item.product_id)
        yield ItemRow(item.id, product.code, product.name_en if english else product.name_id, product.kind,
                      item.title, item.region, item.year, item.data_format, item.media, item.quantity,
                      product.unit_en if english else product.unit_id, item.variables, item.price,
                      item.price_formula)


def _deliveries(session: Session, request_id: int, shown):
    for d in delivery.deliveries(session, request_id):
        officer = session.get(Account, d.delivered_by_id)
        yield DeliveryRow(d.round, d.channel.value, d.media, d.media_label, shown(d.delivered_at), officer.full_name,
                          d.receipt_handed_over, d.fixes, shown(d.checked_at),
                          tuple(FileRow(f.request_item_id, f.file_name, f.size_bytes, f.sha256) for f in d.items))


@dataclass(frozen=True)
class VisitRequest:
    request_id: int
    number: str
    state: RequestState


def visit_requests(session: Session, actor: Actor, visit_ids: list[int]) -> dict[int, list[VisitRequest]]:
    """The requests opened for each of ``visit_ids`` (usually one each)."""
    require(session, actor, "queue.view")
    found: dict[int, list[VisitRequest]] = {visit_id: [] for visit_id in visit_ids}
    if not visit_ids:
        return found
    rows = session.execute(select(ServiceRequest.office_id, ServiceRequest.visit_id, ServiceRequest.id,
                                  ServiceRequest.number, ServiceRequest.state)
                           .where(ServiceRequest.visit_id.in_(visit_ids)).order_by(ServiceRequest.id))
    for office_id, visit_id, *request in rows:  # the office is checked here, so the visit index alone is used
        if office_id == actor.office_id:
            found[visit_id].append(VisitRequest(*request))
    return found


@dataclass(frozen=True)
class BoardRow:
    request_id: int
    number: str
    requester: str
    channel: Channel
    online_via: str
    received: str
    state: RequestState
    state_label: str
    due: str
    overdue: bool
    days_left: int | None


def board_rows(session: Session, actor: Actor, lang: str = "id", *, channel: Channel | None = Channel.ONLINE,
               limit: int = 50, offset: int = 0, now: datetime | None = None) -> list[BoardRow]:
    """One page of open requests of ``channel`` (all channels for None), overdue and nearest deadline first."""
    require(session, actor, "queue.view")
    zone = office_of(session, actor.office_id).time_zone
    now = now or utcnow()
    query = (select(ServiceRequest, Visitor.full_name).join(Visitor, Visitor.id == ServiceRequest.visitor_id)
             .where(ServiceRequest.office_id == actor.office_id, ServiceRequest.state.in_(OPEN_STATES)))
    if channel is not None:
        query = query.where(ServiceRequest.channel == channel)
    query = query.order_by(ServiceRequest.due_at.is_(None), ServiceRequest.due_at, ServiceRequest.id)
    rows = []
    for request, name in session.execute(query.limit(limit).offset(offset)):
        overdue = request.due_at is not None and request.due_at < now
        days = (working_days_left(request.due_at, now, zone)
                if request.due_at is not None and request.channel is Channel.ONLINE else None)
        rows.append(BoardRow(request.id, request.number, name, request.channel, request.online_via,
                             fmt_local(request.received_at, zone), request.state,
                             STATE_LABELS[request.state][1 if lang == "en" else 0], fmt_local(request.due_at, zone),
                             overdue, days))
    return rows


@dataclass(frozen=True)
class FoundRow:
    request_id: int
    number: str
    requester: str
    phone: str
    channel: Channel
    state_label: str
    received: str
    invoice_number: str
    receipt_number: str


def search_rows(session: Session, actor: Actor, text: str, lang: str = "id", *, limit: int = 50,
                before: int | None = None) -> list[FoundRow]:
    """One page of requests by requester name, institution, phone, email, request, invoice or receipt
    (kuitansi) number, newest first; the next page starts before request ``before``."""
    # the account and office stay referenced, so the search's own lookups of them are no second query
    account = require(session, actor, "queue.view")  # noqa: F841
    key = (text or "").strip()
    if not key:
        return []
    compact = "".join(ch for ch in key if ch.isdigit() or ch == "+")
    if len(compact) >= 8 and all(ch.isdigit() or ch in "+-() ." for ch in key):
        key = compact  # phones are stored without separators
    office = office_of(session, actor.office_id)
    found = requests.find_requests(session, actor, key, limit=limit, before=before)
    zone = office.time_zone
    label = 1 if lang == "en" else 0
    return [FoundRow(rid, number, name, phone, channel, STATE_LABELS[state][label], fmt_local(received, zone),
                     invoice or "", receipt or "")  # unpacked: a row's attributes by name cost more than its query
            for rid, number, name, phone, channel, state, received, invoice, receipt in found]

"""From "the visitor tells what data they need" to the conformity check: opening a request, its
products, the abstraction of data use, submission, approval (with an Rp0 waiver when eligible),
redirection to statistical consultation, and cancellation."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from models import (
    Channel,
    ConsultationReferral,
    DocumentStatus,
    Invoice,
    Payment,
    Product,
    Receipt,
    RequestItem,
    RequestState,
    ServiceRequest,
    Visit,
    Visitor,
    Waiver,
    WaiverCategory,
    WaiverPurpose,
)
from pstdesktop.services import audit, billing, clock, search, tariffs, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.catalogue import product_by_code
from pstdesktop.services.clock import local, utcnow
from pstdesktop.services.deadlines import online_due, walk_in_due
from pstdesktop.services.errors import NotFound, StateError, ValidationError
from pstdesktop.services.numbering import next_number, request_number
from pstdesktop.services.office import office_of, office_today
from pstdesktop.services.workflow import OPEN_STATES, STATE_LABELS, load_request, move

ONLINE_VIA = ("email", "wa", "forum")
MEDIA = ("flashdisk", "dvd", "email", "forum", "wa", "harddisk")
EDITABLE = (RequestState.DRAFT, RequestState.SUBMITTED)


def open_request(session: Session, actor: Actor, *, visitor_id: int, channel: Channel,
                 abstraction: str = "", visit_id: int | None = None, online_via: str = "",
                 received_at: datetime | None = None) -> ServiceRequest:
    """A new request in DRAFT. A walk-in belongs to a visit and its clock starts at the guestbook
    entry; an online request records its channel and the moment it arrived."""
    account = require(session, actor, "request.edit")
    office = office_of(session, actor.office_id)
    now = utcnow()
    channel = Channel(validate.choice("channel", str(channel) if channel else None, [c.value for c in Channel]))
    visitor = session.get(Visitor, validate.record_id("visitor", visitor_id))
    if visitor is None or visitor.office_id != office.id:
        raise NotFound("not_found", "visitor")
    if channel is Channel.WALK_IN:
        visit = session.get(Visit, validate.record_id("visit", visit_id)) if visit_id is not None else None
        if visit is None or visit.visitor_id != visitor.id:
            raise NotFound("not_found", "visit")
        received_at, online_via, due_at = visit.arrived_at, "", walk_in_due(visit.arrived_at)
    else:
        online_via = validate.choice("online_via", online_via, ONLINE_VIA)
        received_at = received_at or now
        if received_at.tzinfo is None:
            raise ValidationError("required", "received_at")
        validate.not_future("received_at", received_at, now)
        due_at = None  # set once the request is clear
    year = local(received_at, office.time_zone).year
    sequence = next_number(session, office.id, "request", str(year))
    request = ServiceRequest(
        office_id=office.id, number=request_number(sequence, office.unit_code, year), visitor_id=visitor.id,
        visit_id=visit_id if channel is Channel.WALK_IN else None, channel=channel, online_via=online_via,
        received_at=received_at, due_at=due_at,
        abstraction=validate.text("abstraction", abstraction, required=False, max_length=4000, multiline=True),
        state=RequestState.DRAFT, created_by_id=account.id, updated_at=now,
    )
    session.add(request)
    session.flush()
    audit.record(session, account, "request.open", request, to_state=RequestState.DRAFT.value)
    return request


def set_abstraction(session: Session, actor: Actor, request_id: int, abstraction: str) -> ServiceRequest:
    account = require(session, actor, "request.edit")
    request = _editable(session, actor, request_id)
    request.abstraction = validate.text("abstraction", abstraction, max_length=4000, multiline=True)
    request.updated_at = utcnow()
    audit.record(session, account, "request.abstraction", request)
    return request


def add_item(session: Session, actor: Actor, request_id: int, *, product_code: str, title: str,
             quantity: int | str, region: str = "", year: int | str | None = None, data_format: str = "",
             media: str = "", variables: str = "") -> RequestItem:
    """Add a product line: microdata (the dataset size, typed as ``850 MB`` or in bytes: see
    ``validate.data_size``), a WILKERSTAT map (number of maps, with the region for a kabupaten/kota map)
    or an electronic publication (pages)."""
    account = require(session, actor, "request.edit")
    request = _editable(session, actor, request_id)
    product = product_by_code(session, product_code)
    region = validate.text("region", region, required=False, max_length=120)
    if product.needs_region and not region:
        raise ValidationError("region_required", "region", product=product.name_id)
    if variables and request.channel is Channel.WALK_IN:
        raise ValidationError("fullset_only", "variables")
    item = RequestItem(
        request_id=request.id, product_id=product.id, title=validate.text("title", title, max_length=200),
        region=region,
        year=None if year in (None, "") else validate.integer("year", year, low=1945, high=office_today(session, actor.office_id).year + 1),
        data_format=validate.text("data_format", data_format, required=False, max_length=40),
        media=validate.choice("media", media, MEDIA) if media else "",
        quantity=line_quantity(product, quantity),
        variables=validate.text("variables", variables, required=False, max_length=8000, multiline=True),
    )
    session.add(item)
    request.updated_at = utcnow()
    session.flush()
    audit.record(session, account, "request.item_add", request, extra={"item": item.id, "product": product.code,
                                                                       "quantity": item.quantity})
    return item


def priced_by_size(product: Product) -> bool:
    """Microdata is priced by the dataset size in bytes; maps and pages are counted."""
    return product.unit_id == "byte"


def line_quantity(product: Product, quantity: object) -> int:
    """The quantity of a line: a dataset size (``850 MB``, ``1,2 GB``, bytes) or a whole count."""
    if priced_by_size(product):
        return validate.data_size("data_size", quantity)
    return validate.integer("quantity", quantity, low=1, high=validate.MAX_AMOUNT)


def correct_size(session: Session, actor: Actor, request_id: int, item_id: int, size: int | str,
                 reason: str) -> tuple[int, int | None]:
    """Correct the dataset size of a microdata line (e.g. the prepared file is not what was billed) and
    price it again: (old size, new price). An issued, unpaid invoice is cancelled with ``reason`` so a
    new one is issued with the new price; an Rp0 request stays Rp0 with its normal price updated. Once the
    invoice is paid the price cannot change here (the treasurer's kuitansi cancellation and refund)."""
    account = require(session, actor, "request.edit")
    request = load_request(session, request_id, actor.office_id)
    reason = validate.text("reason", reason, max_length=2000, multiline=True)
    item = session.get(RequestItem, validate.record_id("product", item_id))
    if item is None or item.request_id != request.id:
        raise NotFound("not_found", "product")
    product = session.get(Product, item.product_id)
    if not priced_by_size(product):
        raise ValidationError("choice", "product", choices=", ".join(p.name_id for p in _size_products(session)))
    size = validate.data_size("data_size", size)
    paid = session.scalar(select(Invoice).where(Invoice.request_id == request.id,
                                                Invoice.status == DocumentStatus.PAID))
    if paid is not None:
        raise StateError("size_paid", number=paid.number)
    allowed = {*EDITABLE, RequestState.APPROVED, RequestState.INVOICED}
    if request.waiver is not None:  # Rp0: no money changes hands, the line can follow the data
        allowed |= {RequestState.DELIVERED, RequestState.CORRECTION_REQUESTED}
    if request.state not in allowed:
        raise StateError("state", number=request.number, state=STATE_LABELS[request.state][0],
                         action="koreksi ukuran dataset")
    if request.state is RequestState.INVOICED:
        invoice = session.scalar(select(Invoice).where(Invoice.request_id == request.id,
                                                       Invoice.status == DocumentStatus.ISSUED))
        billing.cancel_invoice(session, actor, invoice.id, reason)
    before, item.quantity = item.quantity, size
    if item.price is not None:  # priced at approval: price it again with the same schedule
        office = office_of(session, actor.office_id)
        session.flush()
        session.refresh(request)
        quote = tariffs.quote_request(session, request, office.time_zone)
        for line, each in zip(quote.lines, request.items, strict=True):
            each.price, each.price_formula = line.amount, line.formula
        if request.waiver is not None:
            request.waiver.normal_amount = quote.normal_total
    request.updated_at = utcnow()
    audit.record(session, account, "request.size_correct", request, reason=reason,
                 extra={"item": item.id, "from": before, "to": size, "price": item.price})
    return before, item.price


def _size_products(session: Session) -> list[Product]:
    return [p for p in session.scalars(select(Product).order_by(Product.id)) if priced_by_size(p)]


def remove_item(session: Session, actor: Actor, request_id: int, item_id: int) -> None:
    account = require(session, actor, "request.edit")
    request = _editable(session, actor, request_id)
    item = session.get(RequestItem, item_id)
    if item is None or item.request_id != request.id:
        raise NotFound("not_found", "product")
    session.delete(item)  # an unpriced draft line, never a numbered document
    request.updated_at = utcnow()
    session.flush()
    audit.record(session, account, "request.item_remove", request, extra={"item": item_id})


def submit(session: Session, actor: Actor, request_id: int) -> ServiceRequest:
    """The abstraction and the list are complete: the officer can check their fit."""
    account = require(session, actor, "request.edit")
    request = load_request(session, request_id, actor.office_id)
    validate.text("abstraction", request.abstraction, max_length=4000, multiline=True)
    if not request.items:
        raise ValidationError("no_items", "request")
    move(session, account, request, RequestState.SUBMITTED)
    return request


def approve(session: Session, actor: Actor, request_id: int, *, waiver: dict | None = None,
            at: datetime | None = None) -> tariffs.Quote:
    """Conformity check passed: the items are priced (snapshot) and, for an online request, the
    request is clear and its 10-working-day deadline set. ``waiver`` applies the Rp0 tariff:
    ``{"category", "purpose", "letter_number", "letter_date"}``; the normal tariff is kept beside it.
    ``at``: when the request became clear (default now; see ``clear_moment``)."""
    account = require(session, actor, "request.approve")
    request = load_request(session, request_id, actor.office_id)
    office = office_of(session, actor.office_id)
    if request.state is not RequestState.SUBMITTED:
        move(session, account, request, RequestState.APPROVED)  # raises the state error
    clear_at = clear_moment(request, at, office.time_zone)
    quote = tariffs.quote_request(session, request, office.time_zone)
    if waiver is not None:
        require(session, actor, "waiver.approve")
        session.add(Waiver(request_id=request.id, normal_amount=quote.normal_total, recorded_at=utcnow(),
                           approved_by_id=account.id, **_clean_waiver(waiver, clock.today(office.time_zone))))
        session.flush()
        session.refresh(request)
        quote = tariffs.quote_request(session, request, office.time_zone)
    for line, item in zip(quote.lines, request.items, strict=True):
        item.price, item.price_formula = line.amount, line.formula
    request.clear_at = clear_at
    if request.channel is Channel.ONLINE:
        request.due_at = online_due(clear_at, office.time_zone)
    move(session, account, request, RequestState.APPROVED,
         reason=f"Rp0: {waiver['category']}" if waiver else "")
    return quote


def clear_moment(request: ServiceRequest, at: datetime | None, zone_name: str) -> datetime:
    """When ``request`` became clear (complete and agreed): ``at`` as the officer gives it, or now. Never in
    the future and never before the request was received (both shown in office time when refused)."""
    now = utcnow()
    if at is None:
        return now
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise ValidationError("required", "clear_at")
    if at > now:
        raise ValidationError("clear_future", "clear_at", at=clock.fmt_local(at, zone_name),
                              now=clock.fmt_local(now, zone_name))
    if at < request.received_at:
        raise ValidationError("clear_before_received", "clear_at", at=clock.fmt_local(at, zone_name),
                              received=clock.fmt_local(request.received_at, zone_name))
    return at


def set_clear_at(session: Session, actor: Actor, request_id: int, at: datetime, reason: str) -> ServiceRequest:
    """Correct when an online request became clear, after its approval (e.g. it was entered late): the
    10-working-day deadline is counted again from it. Audited with ``reason``, the old and the new moment."""
    account = require(session, actor, "request.approve")
    request = load_request(session, request_id, actor.office_id)
    office = office_of(session, actor.office_id)
    if request.channel is not Channel.ONLINE:
        raise StateError("online_only", number=request.number)
    if request.clear_at is None:
        raise StateError("clear_not_set", number=request.number)
    if request.state not in OPEN_STATES:
        raise StateError("state", number=request.number, state=STATE_LABELS[request.state][0],
                         action="ubah saat permintaan jelas")
    if at is None:
        raise ValidationError("required", "clear_at")
    at = clear_moment(request, at, office.time_zone)
    reason = validate.text("reason", reason, max_length=2000, multiline=True)
    before = {"clear_at": request.clear_at, "due_at": request.due_at}
    request.clear_at, request.due_at = at, online_due(at, office.time_zone)
    request.updated_at = utcnow()
    audit.record(session, account, "request.clear_at", request, reason=reason,
                 extra={"from": before["clear_at"], "to": at, "due_from": before["due_at"], "due_to": request.due_at})
    return request


def _clean_waiver(data: dict, today: date) -> dict:
    if not isinstance(data, dict):
        raise ValidationError("required", "category")
    letter_date = data.get("letter_date")
    if isinstance(letter_date, str):
        try:
            letter_date = date.fromisoformat(letter_date)
        except ValueError:
            raise ValidationError("required", "letter_date") from None
    if not isinstance(letter_date, date):
        raise ValidationError("required", "letter_date")
    validate.not_after_today("letter_date", letter_date, today)
    return {
        "category": WaiverCategory(validate.choice("category", data.get("category"), [c.value for c in WaiverCategory])),
        "purpose": WaiverPurpose(validate.choice("waiver_purpose", data.get("purpose"), [p.value for p in WaiverPurpose])),
        "letter_number": validate.text("letter_number", data.get("letter_number"), max_length=100),
        "letter_date": letter_date,
    }


def check_waiver(data: dict, today: date) -> dict[str, ValidationError]:
    """Every problem of an Rp0 waiver's answers, keyed by field in form order (empty when ``approve``
    would take them): each answer is checked by ``_clean_waiver`` inside an otherwise valid waiver."""
    trial = {"category": next(iter(WaiverCategory)).value, "purpose": next(iter(WaiverPurpose)).value,
             "letter_number": "-", "letter_date": today}
    errors: dict[str, ValidationError] = {}
    for key in trial:
        try:
            _clean_waiver(trial | {key: data.get(key)}, today)
        except ValidationError as error:
            errors[error.field or key] = error
    return errors


def redirect(session: Session, actor: Actor, request_id: int, reason: str) -> ConsultationReferral:
    """The list does not fit the abstraction: redirect to konsultasi statistik, with the reason."""
    account = require(session, actor, "request.approve")
    request = load_request(session, request_id, actor.office_id)
    reason = validate.text("reason", reason, max_length=2000, multiline=True)
    move(session, account, request, RequestState.REDIRECTED, reason=reason)
    referral = ConsultationReferral(request_id=request.id, reason=reason, referred_by_id=account.id,
                                    referred_at=utcnow())
    session.add(referral)
    if request.visit_id is not None:
        visit = session.get(Visit, request.visit_id)
        visit.station = "Konsultasi Statistik"
    session.flush()
    return referral


def cancel(session: Session, actor: Actor, request_id: int, reason: str) -> ServiceRequest:
    """Cancel a request that has taken no money; an issued invoice is cancelled with it."""
    account = require(session, actor, "request.cancel")
    request = load_request(session, request_id, actor.office_id)
    reason = validate.text("reason", reason, max_length=2000, multiline=True)
    for invoice in session.scalars(select(Invoice).where(Invoice.request_id == request.id,
                                                         Invoice.status == DocumentStatus.ISSUED)):
        invoice.status, invoice.cancel_reason, invoice.cancelled_at = DocumentStatus.CANCELLED, reason, utcnow()
        audit.record(session, account, "invoice.cancel", invoice, reason=reason)
    move(session, account, request, RequestState.CANCELLED, reason=reason)
    return request


def _editable(session: Session, actor: Actor, request_id: int) -> ServiceRequest:
    request = load_request(session, request_id, actor.office_id)
    if request.state not in EDITABLE:
        raise StateError("state", number=request.number, state=STATE_LABELS[request.state][0],
                         action="ubah daftar produk")
    return request


def get_request(session: Session, actor: Actor, request_id: int) -> ServiceRequest:
    require(session, actor, "queue.view")
    request = session.get(ServiceRequest, request_id)
    if request is None or request.office_id != actor.office_id:
        raise NotFound("not_found", "request")
    return request


def open_requests(session: Session, actor: Actor, channel: Channel | None = None, *, limit: int = 50,
                  offset: int = 0) -> list[ServiceRequest]:
    """One page of unfinished requests, the nearest deadline first (overdue ones at the top)."""
    require(session, actor, "queue.view")
    query = select(ServiceRequest).where(ServiceRequest.office_id == actor.office_id,
                                         ServiceRequest.state.in_(OPEN_STATES))
    if channel is not None:
        query = query.where(ServiceRequest.channel == channel)
    query = query.order_by(ServiceRequest.due_at.is_(None), ServiceRequest.due_at, ServiceRequest.id)
    return list(session.scalars(query.limit(limit).offset(offset)))


def _found_statement():
    """The columns a search shows, as Core columns (built once), for the requests of a subquery of ids:
    the request, its requester, its live invoice (else the newest) and that invoice's live kuitansi."""
    request, visitor, receipt, payment = (ServiceRequest.__table__, Visitor.__table__, Receipt.__table__,
                                          Payment.__table__)
    invoice, live = Invoice.__table__, Invoice.__table__.alias("live")
    chosen = (select(invoice.c.id).where(invoice.c.request_id == request.c.id)
              .order_by((invoice.c.status == DocumentStatus.CANCELLED).asc(), invoice.c.id.desc()).limit(1)
              .scalar_subquery())
    receipt_number = (select(receipt.c.number).join(payment, payment.c.id == receipt.c.payment_id)
                      .where(payment.c.invoice_id == live.c.id, receipt.c.status != DocumentStatus.CANCELLED)
                      .limit(1).scalar_subquery())

    def statement(found):
        return (select(request.c.id, request.c.number, visitor.c.full_name, visitor.c.phone, request.c.channel,
                       request.c.state, request.c.received_at, live.c.number.label("invoice_number"),
                       receipt_number.label("receipt_number"))
                .select_from(found).join(request, request.c.id == found.c.id)
                .join(visitor, visitor.c.id == request.c.visitor_id).outerjoin(live, live.c.id == chosen)
                .order_by(found.c.id.desc()))
    return statement


FOUND = _found_statement()


def find_requests(session: Session, actor: Actor, text: str, *, limit: int = 50,
                  before: int | None = None) -> list[Row]:
    """Requests whose requester's name, institution, phone or email, or whose request, invoice or kuitansi
    number contains ``text`` (``services.search``), newest first; the next page starts before request
    ``before`` (the last one shown). One statement of the columns shown (``FOUND``): ``id``, ``number``,
    ``full_name``, ``phone``, ``channel``, ``state``, ``received_at``, ``invoice_number`` (the live
    invoice, else the newest) and ``receipt_number`` (that invoice's live kuitansi)."""
    require(session, actor, "queue.view")
    found = search.newest(session, actor.office_id, text, limit=limit, before=before)
    return [] if found is None else list(session.execute(FOUND(found)))

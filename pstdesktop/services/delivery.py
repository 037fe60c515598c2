"""Hand-over: the SPPD (data use agreement), the data on electronic media or through the forum with
each file's size and checksum, the visitor's check, corrections and handing over again."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exports.text import size_text
from models import (
    Account,
    Channel,
    Correction,
    Delivery,
    DeliveryChannel,
    DeliveryItem,
    Product,
    RequestItem,
    RequestState,
    Role,
    ServiceRequest,
    SppdAgreement,
)
from pstdesktop.services import audit, evidence, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import local, utcnow
from pstdesktop.services.errors import NotFound, StateError, ValidationError
from pstdesktop.services.numbering import next_number, sppd_number
from pstdesktop.services.office import office_of
from pstdesktop.services.requests import priced_by_size
from pstdesktop.services.workflow import load_request, move

CHUNK = 1 << 20
# the data goes back the way the request came: (delivery channel, media) by online channel
ONLINE_DEFAULTS: dict[str, tuple[DeliveryChannel, str]] = {
    "forum": (DeliveryChannel.FORUM, "forum"), "email": (DeliveryChannel.EMAIL, "email"),
    "wa": (DeliveryChannel.WA, "wa")}
WALK_IN_MEDIA = ("flashdisk", "dvd", "harddisk")


def default_channel(channel: Channel, online_via: str, item_media: tuple[str, ...] = ()) -> tuple[DeliveryChannel, str]:
    """How a request's data is handed over unless the officer chooses otherwise: an online request by the
    channel it came by (email, WA, forum), a walk-in in person on the medium asked for (a flash drive by default)."""
    if channel is Channel.ONLINE:
        return ONLINE_DEFAULTS.get(online_via, ONLINE_DEFAULTS["forum"])
    return DeliveryChannel.IN_PERSON, next((m for m in item_media if m in WALK_IN_MEDIA), "flashdisk")


@dataclass(frozen=True)
class DeliveredFile:
    request_item_id: int
    path: Path


@dataclass(frozen=True)
class SizeMismatch:
    """A microdata line whose files handed over do not add up to the size it was billed for."""
    request_item_id: int
    title: str
    billed: int
    delivered: int

    def text(self) -> str:
        """``Susenas: 891.289.600 byte (850 MB) → 2.000.000 byte (1,9 MB)`` (billed → handed over)."""
        return f"{self.title}: {size_text(self.billed)} → {size_text(self.delivered)}"


def size_mismatches(session: Session, actor: Actor, request_id: int, sizes: dict[int, int]) -> list[SizeMismatch]:
    """The microdata lines of a request whose files (``sizes``: line id -> total bytes of its files in
    this hand-over) differ from the size the price was computed from. Maps and pages are not sizes."""
    require(session, actor, "delivery.record")
    request = load_request(session, request_id, actor.office_id)
    return _mismatches(session, request, sizes)


def _mismatches(session: Session, request: ServiceRequest, sizes: dict[int, int]) -> list[SizeMismatch]:
    found = []
    for item in request.items:
        if item.id in sizes and priced_by_size(session.get(Product, item.product_id)) \
                and sizes[item.id] != item.quantity:
            found.append(SizeMismatch(item.id, item.title, item.quantity, sizes[item.id]))
    return found


def size_reason(session: Session, delivery_id: int) -> str:
    """Why the files of a hand-over differ in size from what was billed ("" when they did not)."""
    entries = [e for e in audit.history(session, "delivery", delivery_id) if e.action == "delivery.size_mismatch"]
    return entries[-1].reason if entries else ""


def file_checksum(path: Path) -> tuple[int, str]:
    """(size in bytes, SHA-256) of a prepared file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        raise ValidationError("file_missing", "files", path=str(path)) from None
    return size, digest.hexdigest()


def record_sppd(session: Session, actor: Actor, request_id: int, *, signed_at: datetime | None = None,
                scan: str | Path | None = None) -> SppdAgreement:
    """The requester signed the SPPD over a materai: at the desk, or online as a signed scan, which is
    then required and stored with the database (``evidence``)."""
    account = require(session, actor, "sppd.record")
    request = load_request(session, request_id, actor.office_id)
    stored = evidence.store(session, account, "sppd_scan", scan, request_id=request.id) \
        if request.channel is Channel.ONLINE or scan else None
    office = office_of(session, actor.office_id)
    sppd = session.scalar(select(SppdAgreement).where(SppdAgreement.request_id == request.id))
    if sppd is None:
        sppd = SppdAgreement(request_id=request.id, materai_amount=office.materai_amount,
                             originals_expected=2 if request.channel is Channel.ONLINE else 1,
                             recorded_by_id=account.id)
        session.add(sppd)
    sppd.signed_at = signed_at or utcnow()
    if stored is not None:
        sppd.scan_id = stored.id
    if sppd.number is None:  # signed once: the number stays when the signing is recorded again
        year = local(sppd.signed_at, office.time_zone).year
        sppd.number = sppd_number(next_number(session, office.id, "sppd", str(year)), office.unit_code, year)
    sppd.snapshot = {"abstraction": request.abstraction,
                     "items": [{"title": i.title, "region": i.region, "quantity": i.quantity} for i in request.items]}
    session.flush()
    audit.record(session, account, "sppd.signed", request, extra={
        "sppd": sppd.id, "number": sppd.number, **({"scan": stored.sha256} if stored is not None else {})})
    return sppd


def record_sppd_originals(session: Session, actor: Actor, request_id: int, received_at: datetime, *,
                          scan: str | Path | None = None) -> SppdAgreement:
    """Online: the signed originals arrived by post on ``received_at`` (not before the SPPD was signed, not
    in the future), optionally with a scan of the original stored with the database."""
    account = require(session, actor, "sppd.record")
    request = load_request(session, request_id, actor.office_id)
    sppd = session.scalar(select(SppdAgreement).where(SppdAgreement.request_id == request.id))
    if sppd is None or sppd.signed_at is None:
        raise StateError("sppd_missing", number=request.number)
    if not isinstance(received_at, datetime) or received_at.tzinfo is None:
        raise ValidationError("required", "originals_received_at")
    validate.not_future("originals_received_at", received_at, utcnow())
    if received_at < sppd.signed_at.replace(hour=0, minute=0, second=0, microsecond=0):
        raise ValidationError("original_before_signing", "originals_received_at")
    stored = evidence.store(session, account, "original_scan", scan, request_id=request.id) if scan else None
    sppd.originals_received_at = received_at
    if stored is not None:
        sppd.original_scan_id = stored.id
    session.flush()
    audit.record(session, account, "sppd.originals", request, extra={
        "received_at": received_at, **({"scan": stored.sha256} if stored is not None else {})})
    return sppd


def deliver(session: Session, actor: Actor, request_id: int, files: list[DeliveredFile], *,
            channel: DeliveryChannel, media: str, media_label: str = "", receipt_handed_over: bool = False,
            fixes: str = "", size_reason: str = "", delivered_at: datetime | None = None) -> Delivery:
    """Hand over the data: after the kuitansi, directly for an Rp0 request, or again after a
    correction (``fixes`` says what was fixed). Each file's size and checksum are computed here.

    When the files of a microdata line do not add up to the size it was billed for, the hand-over is
    refused unless the line is corrected first (``requests.correct_size``) or ``size_reason`` says why;
    the reason is kept in the audit trail of the delivery with the sizes."""
    account = require(session, actor, "delivery.record")
    now = utcnow()
    delivered_at = delivered_at or now
    if delivered_at.tzinfo is None:
        raise ValidationError("required", "delivered_at")
    validate.not_future("delivered_at", delivered_at, now)
    request = load_request(session, request_id, actor.office_id)
    if request.state is RequestState.APPROVED and request.waiver is None:
        raise StateError("needs_payment")
    if session.scalar(select(SppdAgreement.signed_at).where(SppdAgreement.request_id == request.id)) is None:
        raise StateError("sppd_missing", number=request.number)
    correction = None
    if request.state is RequestState.CORRECTION_REQUESTED:
        fixes = validate.text("fixes", fixes, max_length=2000, multiline=True)
        correction = session.scalar(select(Correction).where(Correction.request_id == request.id,
                                                             Correction.fixed_by_delivery_id.is_(None)))
    if not files:
        raise ValidationError("required", "files")
    item_ids = {i.id for i in request.items}
    measured = []
    for file in files:
        if file.request_item_id not in item_ids:
            raise NotFound("not_found", "product")
        measured.append((file, *file_checksum(Path(file.path))))
    totals: dict[int, int] = {}
    for file, size, _sha in measured:
        totals[file.request_item_id] = totals.get(file.request_item_id, 0) + size
    mismatches = _mismatches(session, request, totals)
    if mismatches:
        if not (size_reason or "").strip():
            raise ValidationError("size_mismatch", "size_reason", lines="; ".join(m.text() for m in mismatches))
        size_reason = validate.text("size_reason", size_reason, max_length=2000, multiline=True)
    previous = session.scalar(select(func.max(Delivery.round)).where(Delivery.request_id == request.id)) or 0
    move(session, account, request, RequestState.DELIVERED)
    delivery = Delivery(request_id=request.id, round=previous + 1, channel=DeliveryChannel(channel),
                        media=validate.text("media", media, max_length=40),
                        media_label=validate.text("media", media_label, required=False, max_length=120),
                        delivered_at=delivered_at, delivered_by_id=account.id,
                        receipt_handed_over=bool(receipt_handed_over), fixes=fixes)
    session.add(delivery)
    session.flush()
    for file, size, sha in measured:
        session.add(DeliveryItem(delivery_id=delivery.id, request_item_id=file.request_item_id,
                                 file_name=Path(file.path).name, size_bytes=size, sha256=sha))
    if correction is not None:
        correction.fixed_by_delivery_id = delivery.id
    session.flush()
    if mismatches:
        audit.record(session, account, "delivery.size_mismatch", delivery, reason=size_reason,
                     extra={"lines": [{"item": m.request_item_id, "billed": m.billed, "delivered": m.delivered}
                                      for m in mismatches]})
    return delivery


def report_problem(session: Session, actor: Actor, request_id: int, problem: str) -> Correction:
    """The visitor found an error in what was handed over."""
    account = require(session, actor, "delivery.record")
    request = load_request(session, request_id, actor.office_id)
    problem = validate.text("problem", problem, max_length=2000, multiline=True)
    move(session, account, request, RequestState.CORRECTION_REQUESTED, reason=problem)
    correction = Correction(request_id=request.id, reported_at=utcnow(), problem=problem, recorded_by_id=account.id)
    session.add(correction)
    session.flush()
    return correction


def confirm_checked(session: Session, actor: Actor, request_id: int) -> ServiceRequest:
    """The visitor checked the receipt and the data and accepts them (recorded by the officer)."""
    account = require(session, actor, "delivery.record")
    request = load_request(session, request_id, actor.office_id)
    record_check(session, account, request)
    return request


def record_check(session: Session, account: Account, request: ServiceRequest, *, reason: str = "",
                 action: str | None = None, allowed_by: str | None = None, at: datetime | None = None) -> None:
    """DELIVERED -> VERIFIED and the time of the check (``at``, default now) on the last hand-over; for a
    service that has already checked its own action and locked ``request`` (``allowed_by``: see
    ``workflow.move``)."""
    move(session, account, request, RequestState.VERIFIED, reason=reason, action=action, allowed_by=allowed_by)
    last = session.scalar(select(Delivery).where(Delivery.request_id == request.id).order_by(Delivery.round.desc()))
    last.checked_at = at or utcnow()


def close(session: Session, actor: Actor, request_id: int, *, reason: str = "") -> ServiceRequest:
    """Close a checked request. An online request whose posted SPPD original has not arrived is closed only
    by a supervisor who records why (``reason``, kept on the request and in the audit trail)."""
    account = require(session, actor, "request.close")
    request = load_request(session, request_id, actor.office_id)
    if original_outstanding(session, request):
        if account.role is not Role.SUPERVISOR or not (reason or "").strip():
            raise StateError("original_outstanding", number=request.number)
        request.closed_without_original = validate.text("close_reason", reason, max_length=2000, multiline=True)
    move(session, account, request, RequestState.CLOSED, reason=request.closed_without_original)
    return request


def original_outstanding(session: Session, request: ServiceRequest) -> bool:
    """An online request whose signed SPPD original has not been received by post."""
    if request.channel is not Channel.ONLINE:
        return False
    sppd = session.execute(select(SppdAgreement.signed_at, SppdAgreement.originals_received_at)
                           .where(SppdAgreement.request_id == request.id)).first()
    return sppd is not None and sppd.signed_at is not None and sppd.originals_received_at is None


def deliveries(session: Session, request_id: int) -> list[Delivery]:
    return list(session.scalars(select(Delivery).where(Delivery.request_id == request_id).order_by(Delivery.round)))


def items_of(session: Session, request_id: int) -> list[RequestItem]:
    return list(session.scalars(select(RequestItem).where(RequestItem.request_id == request_id).order_by(RequestItem.id)))

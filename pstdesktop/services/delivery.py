"""Hand-over: the SPPD (data use agreement), the data on electronic media or through the forum with
each file's size and checksum, the visitor's check, corrections and handing over again."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    Account,
    Channel,
    Correction,
    Delivery,
    DeliveryChannel,
    DeliveryItem,
    RequestItem,
    RequestState,
    ServiceRequest,
    SppdAgreement,
)
from pstdesktop.services import audit, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import NotFound, StateError, ValidationError
from pstdesktop.services.office import office_of
from pstdesktop.services.workflow import load_request, move

CHUNK = 1 << 20


@dataclass(frozen=True)
class DeliveredFile:
    request_item_id: int
    path: Path


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


def record_sppd(session: Session, actor: Actor, request_id: int, *, signed_at: datetime | None = None) -> SppdAgreement:
    """The requester signed the SPPD over a materai (at the desk, or a signed scan online)."""
    account = require(session, actor, "sppd.record")
    request = load_request(session, request_id, actor.office_id)
    office = office_of(session, actor.office_id)
    sppd = session.scalar(select(SppdAgreement).where(SppdAgreement.request_id == request.id))
    if sppd is None:
        sppd = SppdAgreement(request_id=request.id, materai_amount=office.materai_amount,
                             originals_expected=2 if request.channel is Channel.ONLINE else 1,
                             recorded_by_id=account.id)
        session.add(sppd)
    sppd.signed_at = signed_at or utcnow()
    sppd.snapshot = {"abstraction": request.abstraction,
                     "items": [{"title": i.title, "region": i.region, "quantity": i.quantity} for i in request.items]}
    session.flush()
    audit.record(session, account, "sppd.signed", request, extra={"sppd": sppd.id})
    return sppd


def record_sppd_originals(session: Session, actor: Actor, request_id: int, received_at: datetime) -> SppdAgreement:
    """Online: the signed originals arrived by post."""
    account = require(session, actor, "sppd.record")
    request = load_request(session, request_id, actor.office_id)
    sppd = session.scalar(select(SppdAgreement).where(SppdAgreement.request_id == request.id))
    if sppd is None or sppd.signed_at is None:
        raise StateError("sppd_missing", number=request.number)
    validate.not_future("received_at", received_at, utcnow())
    sppd.originals_received_at = received_at
    session.flush()
    audit.record(session, account, "sppd.originals", request, extra={"received_at": received_at})
    return sppd


def deliver(session: Session, actor: Actor, request_id: int, files: list[DeliveredFile], *,
            channel: DeliveryChannel, media: str, media_label: str = "", receipt_handed_over: bool = False,
            fixes: str = "", delivered_at: datetime | None = None) -> Delivery:
    """Hand over the data: after the kuitansi, directly for an Rp0 request, or again after a
    correction (``fixes`` says what was fixed). Each file's size and checksum are computed here."""
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


def close(session: Session, actor: Actor, request_id: int) -> ServiceRequest:
    account = require(session, actor, "request.close")
    request = load_request(session, request_id, actor.office_id)
    move(session, account, request, RequestState.CLOSED)
    return request


def deliveries(session: Session, request_id: int) -> list[Delivery]:
    return list(session.scalars(select(Delivery).where(Delivery.request_id == request_id).order_by(Delivery.round)))


def items_of(session: Session, request_id: int) -> list[RequestItem]:
    return list(session.scalars(select(RequestItem).where(RequestItem.request_id == request_id).order_by(RequestItem.id)))

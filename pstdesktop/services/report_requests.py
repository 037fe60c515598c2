"""The requests part of the monthly service report: requests received by channel (walk-in, Forum Silastik,
email, WhatsApp), open requests already past their deadline, and requests redirected to statistical
consultation with their reasons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from exports.report import Count, OverdueRow, RedirectRow
from models import Channel, ConsultationReferral, Delivery, ServiceRequest, Visitor
from pstdesktop.services.clock import fmt_local, local_date
from pstdesktop.services.deadlines import working_days_left
from pstdesktop.services.workflow import OPEN_STATES, STATE_LABELS

# (channel, online_via) -> label, in the order the report lists them
CHANNELS: dict[tuple[Channel, str], tuple[str, str]] = {
    (Channel.WALK_IN, ""): ("Datang langsung", "Walk-in"),
    (Channel.ONLINE, "forum"): ("Forum Silastik", "Forum Silastik"),
    (Channel.ONLINE, "email"): ("Email", "Email"),
    (Channel.ONLINE, "wa"): ("WhatsApp", "WhatsApp"),
}


def channel_label(channel: Channel, online_via: str, lang: str = "id") -> str:
    key = (channel, "" if channel is Channel.WALK_IN else online_via)
    return CHANNELS.get(key, (online_via or channel.value,) * 2)[1 if lang == "en" else 0]


def requests_by_channel(session: Session, office_id: int, start: datetime, end: datetime) -> list[Count]:
    """Requests received in [start, end) by the channel they came by; every channel listed, zero or not."""
    counts = {key: 0 for key in CHANNELS}
    for channel, via, count in session.execute(
            select(ServiceRequest.channel, ServiceRequest.online_via, func.count(ServiceRequest.id))
            .where(ServiceRequest.office_id == office_id, ServiceRequest.received_at >= start,
                   ServiceRequest.received_at < end)
            .group_by(ServiceRequest.channel, ServiceRequest.online_via)):
        key = (channel, "" if channel is Channel.WALK_IN else via)
        counts[key] = counts.get(key, 0) + int(count)
    return [Count(channel_label(channel, via), count) for (channel, via), count in counts.items()]


def overdue_open(session: Session, office_id: int, cutoff: datetime, now: datetime, zone: str) -> list[OverdueRow]:
    """Open requests whose data is not handed over yet and whose deadline passed before ``cutoff`` (the end
    of the month reported, or now for the current month), as they stand ``now``; the longest overdue first."""
    delivered = exists().where(Delivery.request_id == ServiceRequest.id)
    rows = session.execute(
        select(ServiceRequest, Visitor.full_name).join(Visitor, Visitor.id == ServiceRequest.visitor_id)
        .where(ServiceRequest.office_id == office_id, ServiceRequest.state.in_(OPEN_STATES),
               ServiceRequest.due_at < cutoff, ~delivered)
        .order_by(ServiceRequest.due_at, ServiceRequest.id))
    return [OverdueRow(
        number=request.number, channel=channel_label(request.channel, request.online_via), requester=name,
        received=local_date(request.received_at, zone),
        clear=fmt_local(request.clear_at, zone) if request.clear_at else "",
        due=fmt_local(request.due_at, zone), state=STATE_LABELS[request.state][0],
        working_days_late=max(0, -working_days_left(request.due_at, now, zone)),
    ) for request, name in rows]


def redirects(session: Session, office_id: int, start: datetime, end: datetime, zone: str) -> list[RedirectRow]:
    """Requests redirected to statistical consultation in [start, end), with the reason given."""
    rows = session.execute(
        select(ConsultationReferral.referred_at, ConsultationReferral.reason, ServiceRequest.number,
               ServiceRequest.channel, ServiceRequest.online_via, Visitor.full_name, Visitor.institution)
        .join(ServiceRequest, ServiceRequest.id == ConsultationReferral.request_id)
        .join(Visitor, Visitor.id == ServiceRequest.visitor_id)
        .where(ServiceRequest.office_id == office_id, ConsultationReferral.referred_at >= start,
               ConsultationReferral.referred_at < end)
        .order_by(ConsultationReferral.referred_at, ConsultationReferral.id))
    return [RedirectRow(local_date(at, zone), number, channel_label(channel, via), name, institution, reason)
            for at, reason, number, channel, via, name, institution in rows]

"""What the staff window shows at a glance, as plain rows: today's queue against the 1-hour standard
and the board of open requests, nearest deadline first. Both are one page from the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Channel, RequestState, ServiceRequest, Visitor, VisitStatus
from pstdesktop.services import guestbook
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import fmt_local, utcnow
from pstdesktop.services.deadlines import WALK_IN_STANDARD, working_days_left
from pstdesktop.services.office import office_of
from pstdesktop.services.workflow import OPEN_STATES, STATE_LABELS


@dataclass(frozen=True)
class QueueRow:
    visit_id: int
    queue_code: str
    name: str
    purpose: str
    arrived: str
    status: VisitStatus
    minutes_waited: int
    over_standard: bool


@dataclass(frozen=True)
class RequestRow:
    request_id: int
    number: str
    requester: str
    channel: Channel
    state: RequestState
    state_label: str
    due: str
    overdue: bool
    days_left: int | None


def queue_rows(session: Session, actor: Actor, *, limit: int = 50, offset: int = 0,
               now: datetime | None = None) -> list[QueueRow]:
    office = office_of(session, actor.office_id)
    now = now or utcnow()
    rows = []
    for visit in guestbook.queue(session, actor, limit=limit, offset=offset):
        end = visit.departed_at or now
        waited = int((end - visit.arrived_at).total_seconds() // 60)
        rows.append(QueueRow(visit.id, visit.queue_code, visit.visitor.full_name, visit.purpose,
                             fmt_local(visit.arrived_at, office.time_zone)[-9:], visit.status, waited,
                             (end - visit.arrived_at) > WALK_IN_STANDARD and visit.status is not VisitStatus.DONE))
    return rows


def request_rows(session: Session, actor: Actor, lang: str = "id", *, limit: int = 50, offset: int = 0,
                 now: datetime | None = None) -> list[RequestRow]:
    require(session, actor, "queue.view")
    office = office_of(session, actor.office_id)
    now = now or utcnow()
    query = (select(ServiceRequest, Visitor.full_name).join(Visitor, Visitor.id == ServiceRequest.visitor_id)
             .where(ServiceRequest.office_id == office.id, ServiceRequest.state.in_(OPEN_STATES))
             .order_by(ServiceRequest.due_at.is_(None), ServiceRequest.due_at, ServiceRequest.id)
             .limit(limit).offset(offset))
    rows = []
    for request, name in session.execute(query):
        overdue = request.due_at is not None and request.due_at < now
        days = (working_days_left(request.due_at, now, office.time_zone)
                if request.due_at is not None and request.channel is Channel.ONLINE else None)
        rows.append(RequestRow(request.id, request.number, name, request.channel, request.state,
                               STATE_LABELS[request.state][1 if lang == "en" else 0],
                               fmt_local(request.due_at, office.time_zone), overdue, days))
    return rows


def office_name(session: Session, actor: Actor) -> str:
    return office_of(session, actor.office_id).name




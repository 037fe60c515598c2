"""Personal data (UU 27/2022): visitors' personal fields are erased once their last visit is older
than the office's retention setting. Categories used in statistics (gender, birth year, occupation,
education, region, institution) and all money records (receipts keep the payer's name as issued) stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Visit, Visitor
from pstdesktop.services import audit, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import utcnow
from pstdesktop.services.office import office_of

ERASED_NAME = "(data pribadi dihapus)"
MIN_RETENTION_DAYS = 30


def set_retention(session: Session, actor: Actor, days: int | str) -> int:
    account = require(session, actor, "office.configure")
    office = office_of(session, actor.office_id)
    office.retention_days = validate.integer("retention_days", days, low=MIN_RETENTION_DAYS, high=36_500)
    audit.record(session, account, "office.retention", office, extra={"retention_days": office.retention_days})
    return office.retention_days


def erase_expired(session: Session, actor: Actor, now: datetime | None = None, batch: int = 500) -> int:
    """Erase the personal fields of visitors not seen within the retention period. Returns how many."""
    account = require(session, actor, "office.configure")
    office = office_of(session, actor.office_id)
    cutoff = (now or utcnow()) - timedelta(days=office.retention_days)
    last_visit = (select(Visit.visitor_id, func.max(Visit.arrived_at).label("last"))
                  .group_by(Visit.visitor_id).subquery())
    erased = 0
    while True:
        people = list(session.scalars(
            select(Visitor).join(last_visit, last_visit.c.visitor_id == Visitor.id)
            .where(Visitor.office_id == office.id, Visitor.erased_at.is_(None), last_visit.c.last < cutoff)
            .limit(batch)))
        if not people:
            break
        for person in people:
            person.full_name, person.phone, person.email = ERASED_NAME, "", ""
            person.id_document_type, person.id_document_number = "", ""
            person.erased_at = now or utcnow()
        erased += len(people)
        session.flush()
    if erased:
        audit.record(session, account, "visitor.erase_expired", office,
                     extra={"erased": erased, "cutoff": cutoff})
    return erased

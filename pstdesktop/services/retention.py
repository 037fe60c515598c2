"""Personal data (UU 27/2022): visitors' personal fields are erased once their last visit is older
than the office's retention setting. Categories used in statistics (gender, birth year, occupation,
education, region, institution) and all money records (receipts keep the payer's name as issued) stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Account, OfficeProfile, Visit, Visitor
from pstdesktop.services import audit, search, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import utcnow
from pstdesktop.services.office import office_of, office_today

ERASED_NAME = "(data pribadi dihapus)"
MIN_RETENTION_DAYS = 30


def set_retention(session: Session, actor: Actor, days: int | str) -> int:
    account = require(session, actor, "office.configure")
    office = office_of(session, actor.office_id)
    office.retention_days = validate.integer("retention_days", days, low=MIN_RETENTION_DAYS, high=36_500)
    audit.record(session, account, "office.retention", office, extra={"retention_days": office.retention_days})
    return office.retention_days


def erase_expired(session: Session, actor: Actor, now: datetime | None = None, batch: int = 500) -> int:
    """A supervisor erases now the personal fields of visitors not seen within the retention period."""
    account = require(session, actor, "office.configure")
    return _erase(session, office_of(session, actor.office_id), account, now or utcnow(), batch)


def erase_due(session: Session, office_id: int, now: datetime | None = None) -> int:
    """The automatic erasure at the first start of each office day (nobody needs to remember it); a
    second start on the same office date does nothing. Returns how many visitors were erased."""
    office = office_of(session, office_id)
    today = office_today(session, office_id)
    if office.retention_run_on is not None and office.retention_run_on >= today:
        return 0
    office.retention_run_on = today
    return _erase(session, office, None, now or utcnow(), 500)


def _erase(session: Session, office: OfficeProfile, account: Account | None, now: datetime, batch: int) -> int:
    """Erase in batches; one audit entry names the cutoff and which visitor records were erased (ids
    only: the audit trail must not keep what was erased)."""
    cutoff = now - timedelta(days=office.retention_days)
    last_visit = (select(Visit.visitor_id, func.max(Visit.arrived_at).label("last"))
                  .group_by(Visit.visitor_id).subquery())
    erased: list[int] = []
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
            person.erased_at = now
        erased.extend(person.id for person in people)
        session.flush()
    if erased:
        search.optimize(session)  # the erased text leaves the search index itself, not only its results
        audit.record(session, account, "visitor.erase_expired", office,
                     extra={"erased": len(erased), "cutoff": cutoff, "visitor_ids": erased,
                            "automatic": account is None})
    return len(erased)

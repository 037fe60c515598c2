"""Exit poll and complaints. The satisfaction index (IKM, PermenPANRB 14/2017) is computed from the
raw answers: each element's mean (NRR), their plain mean (weight exactly 1/9), times 25."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Channel, Complaint, PollAnswer, RequestState, ServiceRequest, Visit, VisitStatus
from models.feedback import SKM_ELEMENTS
from pstdesktop.services import validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import utcnow
from pstdesktop.services.delivery import record_check
from pstdesktop.services.errors import NotFound, StateError, ValidationError
from pstdesktop.services.workflow import move

ELEMENT_LABELS: tuple[tuple[str, str], ...] = (
    ("Persyaratan pelayanan", "Service requirements"),
    ("Sistem, mekanisme dan prosedur", "System, mechanism and procedure"),
    ("Waktu penyelesaian", "Time to complete"),
    ("Biaya/tarif", "Cost/tariff"),
    ("Produk spesifikasi jenis pelayanan", "The product delivered"),
    ("Kompetensi petugas", "Staff competence"),
    ("Perilaku petugas", "Staff behaviour"),
    ("Penanganan pengaduan, saran dan masukan", "Handling of complaints and suggestions"),
    ("Sarana dan prasarana", "Facilities"),
)
RATING_WORDS = {1: ("Tidak baik", "Poor"), 2: ("Kurang baik", "Fair"), 3: ("Baik", "Good"), 4: ("Sangat baik", "Very good")}
GRADES = ((88.31, "A", "Sangat Baik"), (76.61, "B", "Baik"), (65.00, "C", "Kurang Baik"), (25.00, "D", "Tidak Baik"))
COMPLAINT_CHANNELS = ("kiosk", "kotak_saran", "website", "email", "sms_wa")
# the audit reason of a check recorded by the visitor's own answer to the exit poll
CHECKED_AT_EXIT = "Diperiksa dan diterima pengunjung: dikonfirmasi dengan mengisi survei kepuasan di pintu keluar"


@dataclass(frozen=True)
class SatisfactionIndex:
    respondents: int
    nrr: tuple[float, ...]  # mean per element, 1-4
    ikm: float              # mean of the nine NRR, 1-4
    index: float            # ikm x 25, 25-100

    @property
    def grade(self) -> tuple[str, str]:
        """(letter, words): A sangat baik ... D tidak baik, by the index rounded to 2 decimals."""
        shown = round(self.index, 2)
        for low, letter, words in GRADES:
            if shown >= low:
                return letter, words
        return "D", "Tidak Baik"


def answer_poll(session: Session, actor: Actor, visit_id: int, ratings: list[int], *, comment: str = "",
                complaint: str = "") -> PollAnswer:
    """The visitor's ratings (1-4) of the nine elements; the visit ends (departure time). Answering
    is the visitor's check at the exit (step 11 of the walk-in sheet): each walk-in request of the
    visit whose data was handed over is recorded as checked and accepted, then closed, like those the
    officer already recorded as checked. A request waiting for a fix or not yet handed over stays
    as it is, for the officer."""
    account = require(session, actor, "poll.answer")
    visit = session.get(Visit, validate.record_id("visit", visit_id), with_for_update=True)
    if visit is None or visit.office_id != actor.office_id:
        raise NotFound("not_found", "visit")
    if session.scalar(select(PollAnswer.id).where(PollAnswer.visit_id == visit.id)):
        raise StateError("poll_done", queue=visit.queue_code)
    if not isinstance(ratings, list | tuple) or len(ratings) != len(SKM_ELEMENTS):
        raise ValidationError("required", "rating")
    values = [validate.integer("rating", r, low=1, high=4) for r in ratings]
    now = utcnow()
    answer = PollAnswer(office_id=visit.office_id, visit_id=visit.id, answered_at=now,
                        comment=validate.text("comment", comment, required=False, max_length=2000, multiline=True),
                        **dict(zip(SKM_ELEMENTS, values, strict=True)))
    session.add(answer)
    complaint = validate.text("comment", complaint, required=False, max_length=2000, multiline=True)
    if complaint:
        session.add(Complaint(office_id=visit.office_id, visit_id=visit.id, channel="kiosk", text=complaint,
                              received_at=now))
    visit.status, visit.departed_at = VisitStatus.DONE, now
    handed_over = (RequestState.DELIVERED, RequestState.VERIFIED)
    for request in list(session.scalars(
            select(ServiceRequest).where(ServiceRequest.visit_id == visit.id, ServiceRequest.state.in_(handed_over))
            .order_by(ServiceRequest.id).with_for_update().execution_options(populate_existing=True))):
        if request.state is RequestState.DELIVERED:
            if request.channel is not Channel.WALK_IN:
                continue
            record_check(session, account, request, reason=CHECKED_AT_EXIT, action="request.checked_at_exit",
                         allowed_by="poll.answer", at=now)
        move(session, account, request, RequestState.CLOSED, action="request.closed_at_exit")
    session.flush()
    return answer


def record_complaint(session: Session, actor: Actor, text: str, channel: str, visit_id: int | None = None) -> Complaint:
    require(session, actor, "complaint.record")
    complaint = Complaint(office_id=actor.office_id, visit_id=visit_id,
                          channel=validate.choice("comment", channel, COMPLAINT_CHANNELS),
                          text=validate.text("comment", text, max_length=2000, multiline=True), received_at=utcnow())
    session.add(complaint)
    session.flush()
    return complaint


def satisfaction_index(session: Session, office_id: int, start: datetime | None = None,
                       end: datetime | None = None) -> SatisfactionIndex | None:
    """IKM over the answers in [start, end); None when nobody answered."""
    columns = [func.avg(getattr(PollAnswer, u) * 1.0) for u in SKM_ELEMENTS]
    query = select(func.count(PollAnswer.id), *columns).where(PollAnswer.office_id == office_id)
    if start is not None:
        query = query.where(PollAnswer.answered_at >= start)
    if end is not None:
        query = query.where(PollAnswer.answered_at < end)
    count, *means = session.execute(query).one()
    if not count:
        return None
    nrr = tuple(float(m) for m in means)
    ikm = sum(nrr) / len(nrr)
    return SatisfactionIndex(count, nrr, ikm, ikm * 25)

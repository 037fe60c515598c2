"""The kiosk's own rules: the account it acts as, the staff PIN that unlocks it, a whole-form check
that names every broken guestbook field at once, the ticket a visitor takes away, finding a visit for
the exit poll, and the satisfaction index of a month."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    Account,
    Channel,
    PollAnswer,
    RequestState,
    Role,
    ServiceRequest,
    Visit,
    Visitor,
    VisitStatus,
)
from pstdesktop.services import audit, clock, guestbook, validate
from pstdesktop.services.access import Actor, actor_of, require
from pstdesktop.services.clock import fmt_local, local_date, utcnow, zone
from pstdesktop.services.errors import NotFound, StateError, ValidationError
from pstdesktop.services.feedback import SatisfactionIndex, satisfaction_index
from pstdesktop.services.office import first_office, hash_password, office_of, office_today, password_matches

PIN_MIN, PIN_MAX = 4, 8
PAID_PURPOSE = "Pembelian Produk Statistik Berbayar"
# Fields checked together: a conditional answer is judged with the answer it depends on.
FIELD_GROUPS: tuple[tuple[str, ...], ...] = (
    ("full_name",), ("gender",), ("birth_year",), ("education",), ("has_disability", "disability_type"),
    ("phone",), ("email",), ("institution",), ("occupation", "occupation_other"), ("country", "province"),
    ("regency",), ("id_document_type", "id_document_number"), ("consent",),
)
# A valid entry: each group is checked alone by putting the visitor's answers for it into this one.
_VALID = {
    "full_name": "A", "gender": "Perempuan", "institution": "A", "phone": "081200000000",
    "email": "a@b.id", "occupation": "Wiraswasta", "occupation_other": "", "birth_year": 1980,
    "education": "D4/S1", "country": "Indonesia",
    "province": guestbook.PROVINCES[0], "regency": "A", "has_disability": False, "disability_type": "",
    "id_document_type": "", "id_document_number": "", "consent": True,
}
_QUEUE_CODE = re.compile(r"^([A-Z])\s*-?\s*0*([0-9]{1,4})$")


def kiosk_actor(session: Session) -> Actor:
    """The active kiosk-role account of the office; the kiosk cannot run without one."""
    office = first_office(session)
    if office is None:
        raise NotFound("not_found", "office")
    account = session.scalar(select(Account).where(
        Account.office_id == office.id, Account.role == Role.KIOSK, Account.active.is_(True)).order_by(Account.id))
    if account is None:
        raise NotFound("no_kiosk_account")
    return actor_of(account)


def office_heading(session: Session, actor: Actor) -> tuple[str, str]:
    """(office name, address) as the kiosk shows them."""
    office = office_of(session, actor.office_id)
    return office.name, office.address


# --- the staff PIN -------------------------------------------------------------------------------

def _valid_pin(pin: object) -> str:
    if not (isinstance(pin, str) and pin.isascii() and pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        raise ValidationError("pin_format", "pin", min=PIN_MIN, max=PIN_MAX)
    return pin


def set_kiosk_pin(session: Session, actor: Actor, pin: str, repeat: str | None = None) -> None:
    """A supervisor sets the staff PIN (stored as a salted scrypt hash); audited."""
    account = require(session, actor, "office.configure")
    pin = _valid_pin(pin)
    if repeat is not None and repeat != pin:
        raise ValidationError("pin_mismatch", "pin")
    profile = office_of(session, actor.office_id)
    profile.kiosk_pin_hash = hash_password(pin)
    audit.record(session, account, "kiosk.pin_set", profile)


def kiosk_pin_is_set(session: Session, office_id: int) -> bool:
    return bool(office_of(session, office_id).kiosk_pin_hash)


def check_kiosk_pin(session: Session, actor: Actor, pin: str, reason: str) -> bool:
    """True when ``pin`` is the staff PIN. Every attempt (right or wrong) lands in the audit trail
    with ``reason`` (what the staff member wanted to do)."""
    account = require(session, actor, "guestbook.register")
    profile = office_of(session, actor.office_id)
    right = bool(profile.kiosk_pin_hash) and isinstance(pin, str) and password_matches(pin, profile.kiosk_pin_hash)
    audit.record(session, account, "kiosk.unlocked" if right else "kiosk.pin_refused", profile, reason=reason[:200])
    return right


class PinGuard:
    """After ``attempts`` wrong PINs in a row the kiosk refuses PINs for ``lock_seconds``."""

    def __init__(self, attempts: int = 5, lock_seconds: int = 60, clock: Callable[[], float] = time.monotonic):
        self.attempts, self.lock_seconds, self.clock = attempts, lock_seconds, clock
        self.failures = 0
        self.locked_until = 0.0

    def seconds_locked(self) -> int:
        return max(0, int(self.locked_until - self.clock() + 0.999))

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= self.attempts:
            self.failures = 0
            self.locked_until = self.clock() + self.lock_seconds

    def succeeded(self) -> None:
        self.failures = 0


# --- the guestbook entry -------------------------------------------------------------------------

def check_entry(answers: dict, purpose: object, purpose_other: object,
                this_year: int | None = None) -> dict[str, ValidationError]:
    """Every broken rule of a guestbook entry, keyed by field in form order (empty when valid).
    Adds the sale rule: buying paid products needs the identity document. Without the office's
    ``this_year`` (the kiosk form, before it submits) a birth year is checked against the year already
    begun in the easternmost zone; ``register`` checks it against the office's."""
    this_year = this_year or clock.today("WIT").year
    errors: dict[str, ValidationError] = {}
    for group in FIELD_GROUPS:
        trial = _VALID | {key: answers.get(key) for key in group}
        try:
            guestbook.clean_visitor(trial, this_year)
        except ValidationError as error:
            field = error.field if error.field in group else group[0]
            if field == "birth_year" and error.code == "too_large":
                error = ValidationError("future", "birth_year")
            errors[field] = error
    try:
        guestbook.clean_purpose(purpose, purpose_other)
    except ValidationError as error:
        errors[error.field or "purpose"] = error
    if purpose == PAID_PURPOSE and not answers.get("id_document_type") and "id_document_type" not in errors:
        errors["id_document_type"] = ValidationError("id_for_sale", "id_document_type")
    return errors


@dataclass(frozen=True)
class KioskTicket:
    """What the visitor sees and takes away after registering."""

    visit_id: int
    queue_code: str
    purpose: str
    arrived: str        # office time, e.g. ``02-03-2026 10:00 WIT``
    waiting_ahead: int  # visits with the same service still waiting before this one
    office_name: str
    office_address: str
    visitor: str        # short form of the name, e.g. ``Rahmat H.``


def register(session: Session, actor: Actor, answers: dict, purpose: str, purpose_other: str = "", *,
             visitor_id: int | None = None) -> KioskTicket:
    """Check the whole entry, record the visit and give its queue number (one transaction)."""
    errors = check_entry(answers, purpose, purpose_other, office_today(session, actor.office_id).year)
    if errors:
        raise next(iter(errors.values()))
    queued = guestbook.register_visit(session, actor, answers, purpose, purpose_other or "",
                                      visitor_id=visitor_id)
    visit = session.get(Visit, queued.visit_id)
    office = office_of(session, actor.office_id)
    ahead = session.scalar(select(func.count(Visit.id)).where(
        Visit.office_id == office.id, Visit.queue_date == visit.queue_date, Visit.queue_prefix == visit.queue_prefix,
        Visit.status == VisitStatus.WAITING, Visit.queue_number < visit.queue_number))
    return KioskTicket(visit.id, queued.queue_code, purpose, fmt_local(queued.arrived_at, office.time_zone),
                       ahead or 0, office.name, office.address, short_name(answers.get("full_name", "")))


def short_name(full_name: str) -> str:
    """``Rahmat Hidayat`` -> ``Rahmat H.``: enough to recognise one's own ticket, no more."""
    words = str(full_name or "").split()
    if not words:
        return ""
    return " ".join([words[0], *(w[0].upper() + "." for w in words[1:3])])


def mask_contact(value: str) -> str:
    """``0812****5678`` / ``ra***@unpatti.ac.id``."""
    if "@" in value:
        user, _, domain = value.partition("@")
        return user[:2] + "***@" + domain
    return guestbook.mask_identity(value) if len(value) > 6 else "*" * len(value)


@dataclass(frozen=True)
class ReturningVisitor:
    visitor_id: int
    answers: dict                       # the stored answers, consent not yet given again
    summary: tuple[tuple[str, str], ...]  # (field, value shown: masked where personal)


def returning_visitor(session: Session, actor: Actor, phone_or_email: str) -> ReturningVisitor | None:
    """An earlier guestbook entry found by phone number or email, ready to be confirmed."""
    person = guestbook.find_returning(session, actor, phone_or_email)
    if person is None:
        return None
    answers = guestbook.visitor_answers(person)
    summary = [("full_name", short_name(person.full_name)), ("institution", person.institution),
               ("phone", mask_contact(person.phone)), ("email", mask_contact(person.email))]
    if person.id_document_type:
        summary.append(("id_document_number",
                        f"{person.id_document_type} {guestbook.mask_identity(person.id_document_number)}"))
    return ReturningVisitor(person.id, answers, tuple(summary))


# --- the exit poll -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PollVisit:
    visit_id: int
    queue_code: str
    purpose: str
    arrived: str   # HH:MM office time
    visitor: str   # short name
    handed_over: int = 0  # walk-in requests whose data was handed over, not yet checked: the answer checks them


def visit_for_poll(session: Session, actor: Actor, key: str, now: datetime | None = None) -> PollVisit:
    """Today's visit by queue number (``B-007``, ``b7``) or the visitor's phone number, not yet rated."""
    require(session, actor, "poll.answer")
    office = office_of(session, actor.office_id)
    day = local_date(now or utcnow(), office.time_zone)
    raw = (key or "").strip()
    shown = raw[:30]
    if not raw:
        raise ValidationError("required", "lookup")
    query = select(Visit).where(Visit.office_id == office.id, Visit.queue_date == day)
    code = _QUEUE_CODE.match(raw.upper())
    if code:
        query = query.where(Visit.queue_prefix == code[1], Visit.queue_number == int(code[2]))
    else:
        phone = re.sub(r"[\s\-().]", "", raw)
        if not validate.PHONE.match(phone):
            raise NotFound("visit_lookup", "lookup", key=shown)
        query = query.join(Visitor, Visitor.id == Visit.visitor_id).where(Visitor.phone == phone)
    visits = list(session.scalars(query.order_by(Visit.arrived_at.desc(), Visit.id.desc()).limit(20)))
    if not visits:
        raise NotFound("visit_lookup", "lookup", key=shown)
    rated = set(session.scalars(select(PollAnswer.visit_id).where(PollAnswer.visit_id.in_([v.id for v in visits]))))
    open_visits = [v for v in visits if v.id not in rated]
    if not open_visits:
        raise StateError("poll_done", queue=visits[0].queue_code)
    visit = open_visits[0]
    handed_over = session.scalar(select(func.count(ServiceRequest.id)).where(
        ServiceRequest.visit_id == visit.id, ServiceRequest.channel == Channel.WALK_IN,
        ServiceRequest.state == RequestState.DELIVERED))
    return PollVisit(visit.id, visit.queue_code, visit.purpose, fmt_local(visit.arrived_at, office.time_zone)[11:16],
                     short_name(visit.visitor.full_name), handed_over or 0)


def monthly_satisfaction(session: Session, actor: Actor, year: int, month: int) -> SatisfactionIndex | None:
    """The satisfaction index of the answers given in one calendar month of office time."""
    require(session, actor, "report.view")
    office = office_of(session, actor.office_id)
    if not (1 <= month <= 12 and 2000 <= year <= 9999):
        raise ValidationError("choice", "year", choices="2000-9999 / 1-12")
    tz = zone(office.time_zone)
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return satisfaction_index(session, office.id, start.astimezone(UTC), end.astimezone(UTC))

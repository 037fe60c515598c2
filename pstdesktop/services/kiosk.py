"""The kiosk's own rules: the account it acts as, the staff PIN that unlocks it, a whole-form check
that names every broken guestbook field at once, the ticket a visitor takes away, finding a visit for
the exit poll, and the satisfaction index of a month."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    Account,
    Channel,
    OfficeProfile,
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
from pstdesktop.services.errors import CountedRefusal, NotFound, StateError, ValidationError
from pstdesktop.services.feedback import SatisfactionIndex, satisfaction_index
from pstdesktop.services.office import (
    LOCK_MINUTES,
    MAX_FAILED_LOGINS,
    count_failure,
    first_office,
    is_locked,
    office_of,
    office_today,
    password_matches,
)

PIN_MIN, PIN_MAX = 6, 8
PIN_COST = 17  # scrypt n = 2**17: 128 MiB and ~0.45 s a check, so every PIN costs days offline; tests lower it
_PIN_COSTS = range(10, 19)  # the costs a stored ``scryptNN$`` hash may ask for
PAID_PURPOSE = "Pembelian Produk Statistik Berbayar"
RETURNING_FIELDS = ("id_document_type", "id_document_number", "consent")  # a returning visitor's answers
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


def office_setting(session: Session, actor: Actor) -> tuple[str, str]:
    """(time zone, province) of the kiosk's office: the zone gives the year a birth year is judged in, the
    province (from the BPS unit code) is the guestbook's preset answer."""
    return office_of(session, actor.office_id).time_zone, guestbook.home_province(session, actor)


# --- the staff PIN -------------------------------------------------------------------------------

def hash_pin(pin: str) -> str:
    """The staff PIN's slow hash, ``scrypt17$salt$hash`` (scrypt with n = 2**PIN_COST, r = 8, p = 1)."""
    salt = secrets.token_bytes(16)
    return f"scrypt{PIN_COST}${salt.hex()}${_pin_scrypt(pin, salt, PIN_COST).hex()}"


def _pin_scrypt(pin: str, salt: bytes, cost: int) -> bytes:
    n = 2**cost
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=8, p=1, dklen=32, maxmem=256 * 8 * n)


def pin_matches(pin: str, stored: str) -> bool:
    """``pin`` against its slow hash (``scryptNN$``) or an older one stored as a password (``scrypt$``)."""
    scheme, _, rest = stored.partition("$")
    if scheme == "scrypt":
        return password_matches(pin, stored)
    cost, (salt, _, digest) = scheme.removeprefix("scrypt"), rest.partition("$")
    if not (scheme.startswith("scrypt") and cost.isdigit() and int(cost) in _PIN_COSTS):
        return False
    try:
        candidate = _pin_scrypt(pin, bytes.fromhex(salt), int(cost))
    except ValueError:
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def _valid_pin(pin: object) -> str:
    if not (isinstance(pin, str) and pin.isascii() and pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        raise ValidationError("pin_format", "pin", min=PIN_MIN, max=PIN_MAX)
    return pin


def set_kiosk_pin(session: Session, actor: Actor, pin: str, repeat: str | None = None) -> None:
    """A supervisor sets the staff PIN (6-8 digits, stored with the slow ``hash_pin``); audited."""
    account = require(session, actor, "office.configure")
    pin = _valid_pin(pin)
    if repeat is not None and repeat != pin:
        raise ValidationError("pin_mismatch", "pin")
    profile = office_of(session, actor.office_id)
    profile.kiosk_pin_hash = hash_pin(pin)
    audit.record(session, account, "kiosk.pin_set", profile)


def kiosk_pin_is_set(session: Session, office_id: int) -> bool:
    return bool(office_of(session, office_id).kiosk_pin_hash)


def kiosk_pin_is_old(session: Session, office_id: int) -> bool:
    """The PIN was set under the old rules (4 digits allowed, fast hash): it still opens the kiosk, but a
    supervisor should set a new one."""
    return office_of(session, office_id).kiosk_pin_hash.startswith("scrypt$")


def check_kiosk_pin(session: Session, actor: Actor, pin: str, reason: str) -> None:
    """Open the kiosk to staff when ``pin`` is the staff PIN, else raise ``CountedRefusal`` (``pin_wrong``
    or ``pin_locked``). Wrong PINs are counted on the kiosk account's row, which every kiosk PC shares:
    after ``MAX_FAILED_LOGINS`` the PIN is refused for ``LOCK_MINUTES`` or until a supervisor unlocks the
    account. Every attempt is audited with ``reason``; ``unit_of_work`` commits a refusal's count and entry."""
    account = require(session, actor, "guestbook.register")
    profile = office_of(session, actor.office_id)
    reason = str(reason)[:200]
    stored = profile.kiosk_pin_hash
    if not is_locked(account) and isinstance(pin, str) and stored and pin_matches(pin, stored):
        account.failed_logins, account.locked_until = 0, None
        if stored.startswith("scrypt$") and len(pin) >= PIN_MIN:
            profile.kiosk_pin_hash = hash_pin(pin)  # an old PIN long enough to keep gets the slow hash
        audit.record(session, account, "kiosk.unlocked", profile, reason=reason)
        return
    account_id, profile_id = account.id, profile.id

    def count(again: Session) -> None:
        row = again.get(Account, account_id, with_for_update=True)
        count_failure(row)
        audit.record(again, row, "kiosk.pin_refused", again.get(OfficeProfile, profile_id), reason=reason)

    count_failure(account)  # as ``count`` will: kept as well if a caller commits despite the refusal
    audit.record(session, account, "kiosk.pin_refused", profile, reason=reason)
    if is_locked(account):
        minutes = math.ceil((account.locked_until - utcnow()).total_seconds() / 60)
        raise CountedRefusal("pin_locked", "pin", count, minutes=minutes)
    raise CountedRefusal("pin_wrong", "pin", count, left=MAX_FAILED_LOGINS - account.failed_logins,
                         minutes=LOCK_MINUTES)


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
            errors[error.field if error.field in group else group[0]] = error
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
    """Check the whole entry, record the visit and give its queue number (one transaction). For a
    returning visitor (``visitor_id``) the stored answers stand in for those the kiosk does not send."""
    if visitor_id is not None:
        answers = _stored_answers(session, actor, visitor_id) | answers
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
    """What the kiosk learns of an earlier entry: whom to greet, nothing that identifies the visitor.
    ``register(..., visitor_id=...)`` reuses the stored answers without passing them through the kiosk."""

    visitor_id: int
    short_name: str        # ``Rahmat H.``
    contact: str           # the phone number or email looked up, masked: ``0812****5678``
    id_document_type: str  # the kind of identity document on record (``KTP``), "" when none


def returning_visitor(session: Session, actor: Actor, phone_or_email: str) -> ReturningVisitor | None:
    """An earlier guestbook entry found by phone number or email, ready to be confirmed."""
    person = guestbook.find_returning(session, actor, phone_or_email)
    if person is None:
        return None
    contact = person.email if "@" in phone_or_email else person.phone
    return ReturningVisitor(person.id, short_name(person.full_name), mask_contact(contact),
                            person.id_document_type)


def _stored_answers(session: Session, actor: Actor, visitor_id: object) -> dict:
    require(session, actor, "guestbook.register")
    person = session.get(Visitor, validate.record_id("visitor", visitor_id))
    if person is None or person.office_id != actor.office_id or person.erased_at is not None:
        raise NotFound("not_found", "visitor")
    return guestbook.visitor_answers(person)


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

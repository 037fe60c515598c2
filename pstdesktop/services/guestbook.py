"""The electronic guestbook (buku tamu): the 16 questions of the BPS guideline with their
conditional rules, the identity document a sale needs, consent, and the daily queue number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models import Visit, Visitor, VisitStatus
from pstdesktop.services import identity, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import local, local_date, utcnow
from pstdesktop.services.errors import FIELD_LABELS, NotFound, ValidationError
from pstdesktop.services.numbering import next_number
from pstdesktop.services.office import office_of

GENDERS = ("Laki-laki", "Perempuan")
OCCUPATIONS = ("Pelajar/Mahasiswa", "Peneliti/Dosen", "ASN/TNI/Polri", "Pegawai BUMN/BUMD", "Pegawai Swasta",
               "Wiraswasta", "Lainnya")
EDUCATION = ("Tidak/Belum Sekolah", "SD/Sederajat", "SMP/Sederajat", "SMA/Sederajat", "D1/D2/D3", "D4/S1", "S2",
             "S3")
PROVINCES = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Jambi", "Sumatera Selatan", "Bengkulu", "Lampung",
    "Kepulauan Bangka Belitung", "Kepulauan Riau", "DKI Jakarta", "Jawa Barat", "Jawa Tengah", "DI Yogyakarta",
    "Jawa Timur", "Banten", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat",
    "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Sulawesi Tengah", "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo", "Sulawesi Barat", "Maluku",
    "Maluku Utara", "Papua Barat", "Papua Barat Daya", "Papua", "Papua Selatan", "Papua Tengah",
    "Papua Pegunungan",
)
# BPS province codes (the first two digits of a BPS unit code, e.g. 8100 Maluku, 1571 Kota Jambi in 15 Jambi);
# BPS numbers the Papua provinces differently from the NIK codes.
BPS_PROVINCE_CODES: dict[str, str] = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
    "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah", "34": "DI Yogyakarta",
    "35": "Jawa Timur", "36": "Banten", "51": "Bali", "52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat", "62": "Kalimantan Tengah", "63": "Kalimantan Selatan", "64": "Kalimantan Timur",
    "65": "Kalimantan Utara", "71": "Sulawesi Utara", "72": "Sulawesi Tengah", "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara", "75": "Gorontalo", "76": "Sulawesi Barat", "81": "Maluku", "82": "Maluku Utara",
    "91": "Papua Barat", "92": "Papua Barat Daya", "94": "Papua", "95": "Papua Selatan", "96": "Papua Tengah",
    "97": "Papua Pegunungan",
}
DISABILITY_TYPES = ("Fisik", "Intelektual", "Mental", "Sensorik")
ID_DOCUMENTS = ("KTP", "Paspor", "KTM", "SIM", "KITAS")
# purpose -> queue prefix
PURPOSES: dict[str, str] = {
    "Kunjungan Perpustakaan": "A",
    "Pembelian Produk Statistik Berbayar": "B",
    "Konsultasi Statistik": "C",
    "Rekomendasi Kegiatan Statistik": "D",
    "Lainnya": "E",
}
OLDEST_AGE, YOUNGEST_AGE = 100, 10  # a visitor is born between 100 and 10 years before this (office) year


@dataclass(frozen=True)
class QueueTicket:
    visit_id: int
    visitor_id: int
    queue_code: str
    purpose: str
    arrived_at: datetime


def birth_year_bounds(this_year: int) -> tuple[int, int]:
    """The first and last birth year a visitor may give in the office's ``this_year``: 100 to 10 years
    before it (the database's own check only refuses years before 1900)."""
    return this_year - OLDEST_AGE, this_year - YOUNGEST_AGE


def office_province(unit_code: str) -> str:
    """The province of a BPS office from its unit code (``8100`` -> Maluku, ``1571`` -> Jambi); "" when the
    code names no province."""
    return BPS_PROVINCE_CODES.get(str(unit_code or "")[:2], "")


def home_province(session: Session, actor: Actor) -> str:
    """The province of the acting account's office: the guestbook's preset answer for Indonesia."""
    return office_province(office_of(session, actor.office_id).unit_code)


def clean_birth_year(value: object, this_year: int) -> int:
    """A whole year within ``birth_year_bounds(this_year)``; one message names both ends."""
    low, high = birth_year_bounds(this_year)
    year = validate.integer("birth_year", value)
    if not low <= year <= high:
        raise ValidationError("year_range", "birth_year", low=low, high=high)
    return year


def clean_visitor(data: dict, this_year: int) -> dict:
    """The 16 guestbook answers checked field by field (the first broken rule is raised); a birth
    year within ``birth_year_bounds`` of ``this_year`` (the office's); an identity number checked by the
    kind of document (``identity.clean_number``)."""
    occupation = validate.choice("occupation", data.get("occupation"), OCCUPATIONS)
    country = validate.text("country", data.get("country") or "Indonesia", max_length=60)
    has_disability = data.get("has_disability")
    if not isinstance(has_disability, bool):
        raise ValidationError("required", "has_disability")
    cleaned = {
        "full_name": validate.text("full_name", data.get("full_name"), max_length=120),
        "gender": validate.choice("gender", data.get("gender"), GENDERS),
        "institution": validate.text("institution", data.get("institution"), max_length=200),
        "phone": validate.phone("phone", data.get("phone")),
        "email": validate.email("email", data.get("email")),
        "occupation": occupation,
        "occupation_other": _conditional("occupation_other", data.get("occupation_other"),
                                         occupation == "Lainnya", "occupation", max_length=100),
        "birth_year": clean_birth_year(data.get("birth_year"), this_year),
        "education": validate.choice("education", data.get("education"), EDUCATION),
        "country": country,
        "province": (validate.choice("province", data.get("province"), PROVINCES) if country == "Indonesia"
                     else _conditional("province", data.get("province"), False, "country")),
        "regency": validate.text("regency", data.get("regency"), max_length=100),
        "has_disability": has_disability,
        "disability_type": (validate.choice("disability_type", data.get("disability_type"), DISABILITY_TYPES)
                            if has_disability else
                            _conditional("disability_type", data.get("disability_type"), False, "has_disability")),
    }
    doc_type = data.get("id_document_type") or ""
    if doc_type:
        cleaned["id_document_type"] = validate.choice("id_document_type", doc_type, ID_DOCUMENTS)
        cleaned["id_document_number"] = identity.clean_number(cleaned["id_document_type"],
                                                              data.get("id_document_number"))
    else:
        cleaned["id_document_type"] = ""
        cleaned["id_document_number"] = _conditional("id_document_number", data.get("id_document_number"),
                                                     False, "id_document_type")
    if data.get("consent") is not True:
        raise ValidationError("required", "consent")
    return cleaned


def _conditional(field: str, value: object, needed: bool, because: str, max_length: int = 200) -> str:
    if needed:
        return validate.text(field, value, max_length=max_length)
    if value not in (None, ""):
        raise ValidationError("must_be_empty", field, because=FIELD_LABELS[because][0])
    return ""


def clean_purpose(purpose: object, purpose_other: object) -> tuple[str, str]:
    purpose = validate.choice("purpose", purpose, PURPOSES)
    return purpose, _conditional("purpose_other", purpose_other, purpose == "Lainnya", "purpose")


def register_visit(session: Session, actor: Actor, visitor: dict, purpose: str, purpose_other: str = "",
                   *, visitor_id: int | None = None, station: str = "", at: datetime | None = None) -> QueueTicket:
    """Record a guestbook entry (new visitor, or a returning one confirming ``visitor_id``) and give
    the visit its daily queue number for the purpose, e.g. ``B-007``."""
    require(session, actor, "guestbook.register")
    now = at or utcnow()
    office = office_of(session, actor.office_id)
    cleaned = clean_visitor(visitor, local(now, office.time_zone).year)
    purpose, purpose_other = clean_purpose(purpose, purpose_other)
    if visitor_id is None:
        person = Visitor(office_id=office.id, consent_at=now, created_at=now, **cleaned)
        session.add(person)
    else:
        person = session.get(Visitor, validate.record_id("visitor", visitor_id))
        if person is None or person.office_id != office.id or person.erased_at is not None:
            raise NotFound("not_found", "visitor")
        for key, value in cleaned.items():
            setattr(person, key, value)
        person.consent_at = now
    session.flush()
    day = local_date(now, office.time_zone)
    prefix = PURPOSES[purpose]
    number = next_number(session, office.id, f"queue-{prefix}", day.isoformat())
    visit = Visit(office_id=office.id, visitor_id=person.id, purpose=purpose, purpose_other=purpose_other,
                  arrived_at=now, queue_date=day, queue_prefix=prefix, queue_number=number,
                  station=validate.text("station", station, required=False, max_length=40),
                  status=VisitStatus.WAITING)
    session.add(visit)
    session.flush()
    return QueueTicket(visit.id, person.id, visit.queue_code, purpose, now)


def find_returning(session: Session, actor: Actor, phone_or_email: str) -> Visitor | None:
    """A returning visitor found by exact phone number or email (newest entry first)."""
    require(session, actor, "guestbook.register")
    key = (phone_or_email or "").strip()
    if not key:
        return None
    phone_key = "".join(ch for ch in key if ch.isdigit() or ch == "+")
    return session.scalar(
        select(Visitor).where(Visitor.office_id == actor.office_id, Visitor.erased_at.is_(None),
                              or_(Visitor.email == key.lower(), Visitor.phone == phone_key))
        .order_by(Visitor.id.desc()).limit(1)
    )


def visitor_answers(person: Visitor) -> dict:
    """A visitor's stored answers in the shape ``register_visit`` takes (for a returning visitor)."""
    keys = ("full_name", "gender", "institution", "phone", "email", "occupation", "occupation_other",
            "birth_year", "education", "country", "province", "regency", "has_disability", "disability_type",
            "id_document_type", "id_document_number")
    return {key: getattr(person, key) for key in keys} | {"consent": False}


def mask_identity(number: str) -> str:
    """``3171********0002`` — identity numbers are never shown whole (UU 27/2022)."""
    if len(number) <= 4:
        return "*" * len(number)
    keep = min(4, len(number) // 4)  # at most half of the number is ever visible
    return number[:keep] + "*" * (len(number) - 2 * keep) + number[-keep:]


def queue(session: Session, actor: Actor, day=None, status: VisitStatus | None = None, *, limit: int = 50,
          offset: int = 0) -> list[Visit]:
    """One page of a day's queue (office time), oldest first."""
    require(session, actor, "queue.view")
    office = office_of(session, actor.office_id)
    day = day or local_date(utcnow(), office.time_zone)
    query = select(Visit).where(Visit.office_id == office.id, Visit.queue_date == day)
    if status is not None:
        query = query.where(Visit.status == status)
    return list(session.scalars(query.order_by(Visit.arrived_at, Visit.id).limit(limit).offset(offset)))


def queue_counts(session: Session, actor: Actor, day=None) -> dict[VisitStatus, int]:
    require(session, actor, "queue.view")
    office = office_of(session, actor.office_id)
    day = day or local_date(utcnow(), office.time_zone)
    rows = session.execute(select(Visit.status, func.count()).where(
        Visit.office_id == office.id, Visit.queue_date == day).group_by(Visit.status))
    counts = dict.fromkeys(VisitStatus, 0)
    counts.update({status: n for status, n in rows})
    return counts


def start_serving(session: Session, actor: Actor, visit_id: int, station: str = "") -> Visit:
    account = require(session, actor, "queue.call")
    visit = session.get(Visit, validate.record_id("visit", visit_id))
    if visit is None or visit.office_id != actor.office_id:
        raise NotFound("not_found", "visit")
    visit.status = VisitStatus.SERVING
    visit.served_by_id = account.id
    visit.serving_started_at = visit.serving_started_at or utcnow()
    visit.station = station or visit.station
    session.flush()
    return visit

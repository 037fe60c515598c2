"""The electronic guestbook: the 16 questions with their conditional rules, refusals that name the
field in both languages and store nothing, daily queue numbers, returning visitors, identity masking,
and the database CHECK constraints that back the rules up."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from models import DocumentCounter, Visit, Visitor, VisitStatus
from pstdesktop.services import guestbook
from pstdesktop.services.errors import NotFound, PermissionDenied, ValidationError
from pstdesktop.services.guestbook import find_returning, mask_identity, register_visit
from tests.conftest import at, visitor_answers

PAID = "Pembelian Produk Statistik Berbayar"
CONSULT = "Konsultasi Statistik"
# 2 March 2026, 10:00 in Ambon (WIT, UTC+9): the office of the fixture
MORNING = at(2026, 3, 2, 10, 0, zone_hours=9)

# The labels the guideline uses (Indonesian) and the English UI's, written out here on purpose:
# a refusal must name the field the visitor sees on the form.
LABELS = {
    "full_name": ("Nama Lengkap", "Full name"),
    "gender": ("Jenis Kelamin", "Sex"),
    "institution": ("Asal Instansi", "Institution"),
    "phone": ("Nomor HP", "Mobile number"),
    "email": ("Email", "Email"),
    "occupation": ("Pekerjaan", "Occupation"),
    "occupation_other": ("Pekerjaan (Lainnya)", "Occupation (other)"),
    "birth_year": ("Tahun Lahir", "Year of birth"),
    "education": ("Pendidikan Tertinggi", "Highest education"),
    "country": ("Negara", "Country"),
    "province": ("Provinsi", "Province"),
    "regency": ("Kabupaten/Kota", "Regency/City"),
    "has_disability": ("Penyandang Disabilitas", "Person with disability"),
    "disability_type": ("Tipe Disabilitas", "Type of disability"),
    "purpose": ("Keperluan", "Purpose of visit"),
    "purpose_other": ("Keperluan (Lainnya)", "Purpose (other)"),
    "id_document_type": ("Jenis Identitas", "Identity document type"),
    "id_document_number": ("Nomor Identitas", "Identity document number"),
    "consent": ("Persetujuan pemrosesan data pribadi", "Consent to personal data processing"),
}


def register(office, answers=None, purpose=PAID, purpose_other="", **kw):
    with office.db.unit_of_work() as s:
        return register_visit(s, office.kiosk, visitor_answers() if answers is None else answers, purpose,
                              purpose_other, **kw)


def stored_counts(office) -> tuple[int, int, int]:
    """(visitors, visits, queue numbers handed out)."""
    with office.db.unit_of_work() as s:
        return (s.scalar(select(func.count()).select_from(Visitor)),
                s.scalar(select(func.count()).select_from(Visit)),
                s.scalar(select(func.coalesce(func.sum(DocumentCounter.last_number), 0))
                         .where(DocumentCounter.kind.like("queue-%"))))


def assert_refused(office, field, code, answers, purpose=PAID, purpose_other="", **kw) -> ValidationError:
    """The entry is refused naming ``field`` (rule ``code``) in both languages, and nothing is stored."""
    before = stored_counts(office)
    with pytest.raises(ValidationError) as caught:
        register(office, answers, purpose, purpose_other, at=kw.pop("at", MORNING), **kw)
    err = caught.value
    assert err.field == field
    assert err.code == code
    label_id, label_en = LABELS[field]
    assert label_id in err.message("id")
    assert label_en in err.message("en")
    assert err.message("en") != err.message("id")
    assert stored_counts(office) == before
    return err


def visitor_row(office, visitor_id) -> Visitor:
    with office.db.unit_of_work() as s:
        return s.get(Visitor, visitor_id)


def visit_row(office, visit_id) -> Visit:
    with office.db.unit_of_work() as s:
        return s.get(Visit, visit_id)


# --- a complete registration -------------------------------------------------------------------

def test_complete_registration_stores_every_answer(office):
    answers = visitor_answers(full_name="  Rahmat Hidayat ", phone="0812-4321-5678",
                              email="Rahmat@UNPATTI.ac.id",
                              institution="Universitas Pattimura", birth_year="1983")
    ticket = register(office, answers, PAID, at=MORNING, station="Kios 1")

    assert ticket.queue_code == "B-001"
    assert ticket.purpose == PAID
    assert ticket.arrived_at == MORNING
    person = visitor_row(office, ticket.visitor_id)
    assert person.office_id == office.office_id
    assert person.full_name == "Rahmat Hidayat"          # trimmed
    assert person.gender == "Laki-laki"
    assert person.institution == "Universitas Pattimura"
    assert person.phone == "081243215678"                # separators removed
    assert person.email == "rahmat@unpatti.ac.id"        # compared case-insensitively later
    assert person.occupation == "Peneliti/Dosen"
    assert person.occupation_other == ""
    assert person.birth_year == 1983                     # a form's string becomes a number
    assert person.education == "S2"
    assert person.country == "Indonesia"
    assert person.province == "Maluku"
    assert person.regency == "Kota Ambon"
    assert person.has_disability is False
    assert person.disability_type == ""
    assert person.id_document_type == "KTP"
    assert person.id_document_number == "8171011505830001"
    assert person.consent_at == MORNING
    assert person.created_at == MORNING
    assert person.erased_at is None

    visit = visit_row(office, ticket.visit_id)
    assert visit.office_id == office.office_id
    assert visit.visitor_id == person.id
    assert visit.purpose == PAID
    assert visit.purpose_other == ""
    assert visit.arrived_at == MORNING
    assert visit.queue_date == date(2026, 3, 2)
    assert (visit.queue_prefix, visit.queue_number, visit.queue_code) == ("B", 1, "B-001")
    assert visit.station == "Kios 1"
    assert visit.status is VisitStatus.WAITING
    assert visit.served_by_id is None and visit.serving_started_at is None and visit.departed_at is None


def test_country_defaults_to_indonesia(office):
    ticket = register(office, visitor_answers(country=""), at=MORNING)
    assert visitor_row(office, ticket.visitor_id).country == "Indonesia"


def test_queue_numbers_count_per_purpose_and_restart_each_office_day(office):
    codes = [register(office, purpose=PAID, at=MORNING).queue_code,
             register(office, purpose=PAID, at=at(2026, 3, 2, 10, 5, zone_hours=9)).queue_code,
             register(office, purpose=CONSULT, at=at(2026, 3, 2, 10, 7, zone_hours=9)).queue_code,
             register(office, purpose=PAID, at=at(2026, 3, 2, 23, 59, zone_hours=9)).queue_code]
    assert codes == ["B-001", "B-002", "C-001", "B-003"]

    # The next office-local day starts again at 001, for every purpose.
    next_day = register(office, purpose=PAID, at=at(2026, 3, 3, 0, 1, zone_hours=9))
    assert next_day.queue_code == "B-001"
    assert register(office, purpose=CONSULT, at=at(2026, 3, 3, 8, 0, zone_hours=9)).queue_code == "C-001"
    assert visit_row(office, next_day.visit_id).queue_date == date(2026, 3, 3)


def test_the_queue_day_is_the_office_day_not_the_utc_day(office):
    # 14:30 and 15:30 UTC on 2 March are the same UTC day but 23:30 on 2 March and 00:30 on 3 March in
    # Ambon (WIT): the second visitor is the first of a new queue day.
    late = register(office, at=at(2026, 3, 2, 23, 30, zone_hours=9))
    after_midnight = register(office, at=at(2026, 3, 3, 0, 30, zone_hours=9))
    assert late.arrived_at.date() == after_midnight.arrived_at.date()  # same UTC day
    assert (late.queue_code, after_midnight.queue_code) == ("B-001", "B-001")
    assert visit_row(office, late.visit_id).queue_date == date(2026, 3, 2)
    assert visit_row(office, after_midnight.visit_id).queue_date == date(2026, 3, 3)


def test_a_refused_entry_uses_no_queue_number(office):
    assert_refused(office, "email", "email", visitor_answers(email="rahmat@"))
    assert register(office, at=MORNING).queue_code == "B-001"


# --- conditional rules, both ways ---------------------------------------------------------------

def test_occupation_lainnya_needs_occupation_other(office):
    assert_refused(office, "occupation_other", "required",
                   visitor_answers(occupation="Lainnya", occupation_other=""))
    assert_refused(office, "occupation_other", "required",
                   visitor_answers(occupation="Lainnya", occupation_other="   "))
    ticket = register(office, visitor_answers(occupation="Lainnya", occupation_other="Nelayan"), at=MORNING)
    person = visitor_row(office, ticket.visitor_id)
    assert (person.occupation, person.occupation_other) == ("Lainnya", "Nelayan")


def test_other_occupations_must_leave_occupation_other_empty(office):
    err = assert_refused(office, "occupation_other", "must_be_empty",
                         visitor_answers(occupation="Pegawai Swasta", occupation_other="Nelayan"))
    assert "Pekerjaan" in err.message("id").split("karena", 1)[1]  # says why: because of Pekerjaan
    ticket = register(office, visitor_answers(occupation="Pegawai Swasta", occupation_other=None), at=MORNING)
    assert visitor_row(office, ticket.visitor_id).occupation_other == ""


def test_province_required_for_indonesia(office):
    assert_refused(office, "province", "required", visitor_answers(country="Indonesia", province=""))
    assert_refused(office, "province", "choice", visitor_answers(country="Indonesia", province="Atlantis"))


def test_province_must_be_empty_for_another_country(office):
    assert_refused(office, "province", "must_be_empty",
                   visitor_answers(country="Malaysia", province="Maluku", regency="Kuala Lumpur"))
    abroad = visitor_answers(country="Malaysia", province="", regency="Kuala Lumpur")
    ticket = register(office, abroad, at=MORNING)
    person = visitor_row(office, ticket.visitor_id)
    assert (person.country, person.province, person.regency) == ("Malaysia", "", "Kuala Lumpur")


def test_disability_type_only_when_has_disability(office):
    assert_refused(office, "disability_type", "required",
                   visitor_answers(has_disability=True, disability_type=""))
    assert_refused(office, "disability_type", "choice",
                   visitor_answers(has_disability=True, disability_type="Lainnya"))
    assert_refused(office, "disability_type", "must_be_empty",
                   visitor_answers(has_disability=False, disability_type="Fisik"))
    ticket = register(office, visitor_answers(has_disability=True, disability_type="Sensorik"), at=MORNING)
    person = visitor_row(office, ticket.visitor_id)
    assert (person.has_disability, person.disability_type) == (True, "Sensorik")


def test_purpose_lainnya_needs_purpose_other(office):
    assert_refused(office, "purpose_other", "required", visitor_answers(), "Lainnya", "")
    assert_refused(office, "purpose_other", "must_be_empty", visitor_answers(), CONSULT,
                   "Legalisir publikasi")
    ticket = register(office, purpose="Lainnya", purpose_other="Legalisir publikasi", at=MORNING)
    assert ticket.queue_code == "E-001"
    visit = visit_row(office, ticket.visit_id)
    assert (visit.purpose, visit.purpose_other) == ("Lainnya", "Legalisir publikasi")


def test_identity_document_number_needs_its_type(office):
    assert_refused(office, "id_document_number", "must_be_empty",
                   visitor_answers(id_document_type="", id_document_number="8171011505830001"))
    assert_refused(office, "id_document_number", "required",
                   visitor_answers(id_document_type="KTP", id_document_number=""))
    assert_refused(office, "id_document_type", "choice", visitor_answers(id_document_type="NPWP"))
    ticket = register(office, visitor_answers(id_document_type="", id_document_number=""), at=MORNING)
    person = visitor_row(office, ticket.visitor_id)
    assert (person.id_document_type, person.id_document_number) == ("", "")


# --- bad input: refused, named, nothing stored -----------------------------------------------------

BAD_INPUT = [
    pytest.param("email", "email", {"email": "rahmat@"}, id="email-no-domain"),
    pytest.param("email", "email", {"email": "rahmat unpatti.ac.id"}, id="email-no-at"),
    pytest.param("email", "email", {"email": "rahmat@unpatti"}, id="email-no-dot"),
    pytest.param("phone", "phone", {"phone": "0812abcd5678"}, id="phone-letters"),
    pytest.param("phone", "phone", {"phone": "0812"}, id="phone-too-short"),
    pytest.param("birth_year", "year_range", {"birth_year": 2027}, id="birth-year-future"),
    pytest.param("birth_year", "year_range", {"birth_year": 2026}, id="birth-year-newborn"),
    pytest.param("birth_year", "year_range", {"birth_year": 1899}, id="birth-year-over-100"),
    pytest.param("birth_year", "integer", {"birth_year": "sembilan belas"}, id="birth-year-words"),
    pytest.param("birth_year", "integer", {"birth_year": 1983.5}, id="birth-year-float"),
    pytest.param("full_name", "too_long", {"full_name": "A" * 2000}, id="name-2000-chars"),
    pytest.param("full_name", "bad_chars", {"full_name": "Rahmat \U0001f600 Hidayat"}, id="name-emoji"),
    pytest.param("full_name", "bad_chars", {"full_name": "Rahmat\x00Hidayat"}, id="name-nul"),
    pytest.param("full_name", "bad_chars", {"full_name": "Rahmat\nHidayat"}, id="name-newline"),
    pytest.param("institution", "bad_chars", {"institution": "Unpatti \u202e"}, id="institution-bidi"),
    pytest.param("gender", "choice", {"gender": "L"}, id="gender-unknown"),
    pytest.param("occupation", "choice", {"occupation": "Dukun"}, id="occupation-unknown"),
    pytest.param("education", "choice", {"education": "S4"}, id="education-unknown"),
    pytest.param("has_disability", "required", {"has_disability": "Ya"}, id="disability-not-a-yes-no"),
]


@pytest.mark.parametrize(("field", "code", "overrides"), BAD_INPUT)
def test_bad_input_is_refused_naming_the_field(office, field, code, overrides):
    assert_refused(office, field, code, visitor_answers(**overrides))


REQUIRED = ["full_name", "gender", "institution", "phone", "email", "occupation", "birth_year", "education",
            "regency"]


@pytest.mark.parametrize("field", REQUIRED)
@pytest.mark.parametrize("empty", ["", None], ids=["empty", "none"])
def test_empty_required_field_is_refused(office, field, empty):
    assert_refused(office, field, "required", visitor_answers(**{field: empty}))


@pytest.mark.parametrize("field", ["full_name", "institution", "phone", "email", "birth_year", "regency"])
def test_blank_typed_field_is_refused_as_empty(office, field):
    assert_refused(office, field, "required", visitor_answers(**{field: " \t "}))


@pytest.mark.parametrize("field", REQUIRED)
def test_missing_required_field_is_refused(office, field):
    answers = visitor_answers()
    del answers[field]
    assert_refused(office, field, "required", answers)


def test_disability_question_must_be_answered(office):
    assert_refused(office, "has_disability", "required", visitor_answers(has_disability=None))


@pytest.mark.parametrize("purpose", ["", None])
def test_purpose_is_required(office, purpose):
    assert_refused(office, "purpose", "required", visitor_answers(), purpose)


def test_unknown_purpose_is_refused(office):
    assert_refused(office, "purpose", "choice", visitor_answers(), "Jalan-jalan")


@pytest.mark.parametrize("consent", [False, None, "ya", 1], ids=["false", "none", "string", "one"])
def test_consent_must_be_given_explicitly(office, consent):
    assert_refused(office, "consent", "required", visitor_answers(consent=consent))


def test_missing_consent_is_refused(office):
    answers = visitor_answers()
    del answers["consent"]
    assert_refused(office, "consent", "required", answers)


def test_birth_year_window_follows_the_registration_date(office):
    # At a registration in 2026 a visitor is at least 10: 2016 is the last year of birth; 2017 is not.
    ticket = register(office, visitor_answers(birth_year=2016), at=MORNING)
    assert visitor_row(office, ticket.visitor_id).birth_year == 2016
    refused = assert_refused(office, "birth_year", "year_range", visitor_answers(birth_year=2017))
    assert refused.message("id") == "Tahun Lahir harus antara 1926 dan 2016."
    assert register(office, visitor_answers(birth_year=1926), at=MORNING).visitor_id


# --- lengths: what the form accepts fits the column ------------------------------------------

LENGTHS = [
    pytest.param("full_name", 120, {}, id="full_name"),
    pytest.param("institution", 200, {}, id="institution"),
    pytest.param("regency", 100, {}, id="regency"),
    pytest.param("country", 60, {"province": ""}, id="country"),
    pytest.param("id_document_number", 40, {"id_document_type": "KTM"}, id="id_document_number"),
    pytest.param("occupation_other", 100, {"occupation": "Lainnya"}, id="occupation_other"),
]


@pytest.mark.parametrize(("field", "column_length", "extra"), LENGTHS)
def test_the_longest_accepted_answer_fits_its_column(office, field, column_length, extra):
    assert Visitor.__table__.c[field].type.length == column_length
    ticket = register(office, visitor_answers(**extra, **{field: "x" * column_length}), at=MORNING)
    assert len(getattr(visitor_row(office, ticket.visitor_id), field)) == column_length
    assert_refused(office, field, "too_long", visitor_answers(**extra, **{field: "x" * (column_length + 1)}))


def test_the_longest_accepted_purpose_other_fits_its_column(office):
    assert Visit.__table__.c.purpose_other.type.length == 200
    ticket = register(office, purpose="Lainnya", purpose_other="x" * 200, at=MORNING)
    assert len(visit_row(office, ticket.visit_id).purpose_other) == 200
    assert_refused(office, "purpose_other", "too_long", visitor_answers(), "Lainnya", "x" * 201)


# --- returning visitors ----------------------------------------------------------------------

def test_returning_visitor_found_by_phone_or_email(office):
    first = register(office, visitor_answers(phone="0812-4321-5678", email="Rahmat@Unpatti.ac.id"),
                     at=MORNING)
    register(office, visitor_answers(full_name="Siti Rahayu", phone="081311112222", email="siti@example.org"),
             at=MORNING)
    with office.db.unit_of_work() as s:
        by_phone = find_returning(s, office.kiosk, "0812 4321 5678")
        by_email = find_returning(s, office.kiosk, " RAHMAT@unpatti.ac.id ")
        assert by_phone is not None and by_email is not None
        assert by_phone.id == by_email.id == first.visitor_id
        assert by_phone.full_name == "Rahmat Hidayat"
        assert find_returning(s, office.kiosk, "081299999999") is None
        assert find_returning(s, office.kiosk, "nobody@example.org") is None
        assert find_returning(s, office.kiosk, "") is None
        assert find_returning(s, office.kiosk, "   ") is None


def test_returning_visitor_gets_a_new_visit_but_no_new_visitor(office):
    first = register(office, at=MORNING)
    before_visitors, before_visits, _ = stored_counts(office)
    with office.db.unit_of_work() as s:
        person = find_returning(s, office.kiosk, "081243215678")
        answers = guestbook.visitor_answers(person)
    assert answers["consent"] is False  # consent is asked again at every visit
    assert answers["full_name"] == "Rahmat Hidayat" and answers["birth_year"] == 1983

    later = at(2026, 3, 9, 9, 0, zone_hours=9)
    again = register(office, answers | {"consent": True, "institution": "BAPPEDA Provinsi Maluku"}, CONSULT,
                     visitor_id=person.id, at=later)
    assert again.visitor_id == first.visitor_id
    assert again.visit_id != first.visit_id
    assert again.queue_code == "C-001"
    after_visitors, after_visits, _ = stored_counts(office)
    assert (after_visitors, after_visits) == (before_visitors, before_visits + 1)
    updated = visitor_row(office, person.id)
    assert updated.institution == "BAPPEDA Provinsi Maluku"  # the answers given today are kept
    assert updated.consent_at == later
    assert updated.created_at == MORNING


def test_returning_visitor_must_consent_again(office):
    first = register(office, at=MORNING)
    with office.db.unit_of_work() as s:
        answers = guestbook.visitor_answers(s.get(Visitor, first.visitor_id))
    assert_refused(office, "consent", "required", answers | {"institution": "BAPPEDA"},
                   visitor_id=first.visitor_id)
    assert visitor_row(office, first.visitor_id).institution == "Universitas Pattimura"  # unchanged


def test_returning_visitor_refused_answers_change_nothing(office):
    first = register(office, at=MORNING)
    assert_refused(office, "purpose_other", "required",
                   visitor_answers(institution="BAPPEDA"), "Lainnya", "", visitor_id=first.visitor_id)
    assert visitor_row(office, first.visitor_id).institution == "Universitas Pattimura"


def test_find_returning_gives_the_newest_entry(office):
    register(office, visitor_answers(full_name="Ayah Hidayat"), at=MORNING)
    newer = register(office, visitor_answers(full_name="Anak Hidayat"), at=MORNING)  # same family phone
    with office.db.unit_of_work() as s:
        assert find_returning(s, office.kiosk, "081243215678").id == newer.visitor_id


def test_unknown_or_erased_visitor_cannot_return(office):
    first = register(office, at=MORNING)
    with pytest.raises(NotFound) as caught:
        register(office, visitor_id=first.visitor_id + 100, at=MORNING)
    assert caught.value.field == "visitor"
    with office.db.unit_of_work() as s:
        s.get(Visitor, first.visitor_id).erased_at = MORNING
    before = stored_counts(office)
    with pytest.raises(NotFound):
        register(office, visitor_id=first.visitor_id, at=MORNING)
    assert stored_counts(office) == before
    with office.db.unit_of_work() as s:
        assert find_returning(s, office.kiosk, "081243215678") is None


def test_find_returning_is_for_guestbook_roles_only(office):
    register(office, at=MORNING)
    with office.db.unit_of_work() as s, pytest.raises(PermissionDenied):
        find_returning(s, office.treasurer, "081243215678")
    with office.db.unit_of_work() as s:
        assert find_returning(s, office.officer, "081243215678") is not None


def test_only_guestbook_roles_register(office):
    before = stored_counts(office)
    with office.db.unit_of_work() as s, pytest.raises(PermissionDenied):
        register_visit(s, office.treasurer, visitor_answers(), PAID, at=MORNING)
    assert stored_counts(office) == before


# --- identity masking ------------------------------------------------------------------------

@pytest.mark.parametrize(("number", "shown"), [
    ("8171011505830001", "8171********0001"),   # KTP, 16 digits
    ("317101150583", "317******583"),           # 12 characters: at most half shown
    ("A1234567", "A1****67"),                   # passport
    ("12345", "1***5"),
    ("1234", "****"),
    ("12", "**"),
    ("", ""),
])
def test_mask_identity(number, shown):
    assert mask_identity(number) == shown


def test_mask_identity_never_shows_the_whole_number():
    for length in range(1, 25):
        number = "".join(str(i % 10) for i in range(length))
        masked = mask_identity(number)
        assert len(masked) == length
        assert masked != number
        assert "*" in masked
        shown = [ch for ch in masked if ch != "*"]
        assert len(shown) <= 8  # at most the first and last four characters
        assert number.startswith(masked.split("*", 1)[0]) and number.endswith(masked.rsplit("*", 1)[1])


# --- the database backs the rules up -----------------------------------------------------------

def raw_visitor(office, **overrides) -> Visitor:
    values = {"office_id": office.office_id, "full_name": "Rahmat Hidayat", "gender": "Laki-laki",
              "institution": "Universitas Pattimura", "phone": "081243215678",
              "email": "rahmat@unpatti.ac.id",
              "occupation": "Peneliti/Dosen", "occupation_other": "", "birth_year": 1983, "education": "S2",
              "country": "Indonesia", "province": "Maluku", "regency": "Kota Ambon", "has_disability": False,
              "disability_type": "", "created_at": MORNING}
    values.update(overrides)
    return Visitor(**values)


def test_a_valid_visitor_row_can_be_inserted_directly(office):
    with office.db.unit_of_work() as s:
        s.add(raw_visitor(office))
        s.flush()
    assert stored_counts(office)[0] == 1


@pytest.mark.parametrize("overrides", [
    pytest.param({"occupation": "Lainnya", "occupation_other": ""}, id="lainnya-without-other"),
    pytest.param({"occupation": "Pegawai Swasta", "occupation_other": "Nelayan"}, id="other-without-lainnya"),
    pytest.param({"country": "Malaysia", "province": "Maluku"}, id="province-for-foreign-country"),
    pytest.param({"country": "Indonesia", "province": ""}, id="no-province-for-indonesia"),
    pytest.param({"has_disability": True, "disability_type": ""}, id="disability-without-type"),
    pytest.param({"has_disability": False, "disability_type": "Fisik"}, id="type-without-disability"),
    pytest.param({"has_disability": True, "disability_type": "Lainnya"}, id="unknown-disability-type"),
    pytest.param({"birth_year": 1899}, id="birth-year-before-1900"),
    pytest.param({"gender": "L"}, id="unknown-gender"),
])
def test_visitor_check_constraints(office, overrides):
    with pytest.raises(IntegrityError), office.db.unit_of_work() as s:
        s.add(raw_visitor(office, **overrides))
        s.flush()
    assert stored_counts(office)[0] == 0


@pytest.mark.parametrize(("purpose", "purpose_other"), [("Lainnya", ""), (CONSULT, "Legalisir")])
def test_visit_purpose_other_check_constraint(office, purpose, purpose_other):
    ticket = register(office, at=MORNING)
    with pytest.raises(IntegrityError), office.db.unit_of_work() as s:
        s.add(Visit(office_id=office.office_id, visitor_id=ticket.visitor_id, purpose=purpose,
                    purpose_other=purpose_other, arrived_at=MORNING, queue_date=date(2026, 3, 2),
                    queue_prefix="Z", queue_number=1))
        s.flush()
    assert stored_counts(office)[1] == 1

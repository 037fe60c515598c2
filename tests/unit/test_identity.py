"""Guestbook answers that must make sense for a person: identity numbers checked by the kind of
document (NIK, passport, student card), a birth year between 100 and 10 years before the office's
year, and the office's province as the preset answer."""

from __future__ import annotations

import json

import pytest

from pstdesktop.services import guestbook, kiosk
from pstdesktop.services.errors import ValidationError
from pstdesktop.services.office import office_today, update_office
from resources import path as resource_path
from tests.conftest import visitor_answers

PAID = "Pembelian Produk Statistik Berbayar"


def clean(doc_type: str, number: str, this_year: int = 2026, **overrides) -> dict:
    answers = visitor_answers(id_document_type=doc_type, id_document_number=number, **overrides)
    return guestbook.clean_visitor(answers, this_year)


# --- identity numbers ----------------------------------------------------------------------------------

VALID = [
    pytest.param("KTP", "8171011505830001", "8171011505830001", id="nik-maluku-man"),
    pytest.param("KTP", "3171014101900002", "3171014101900002", id="nik-jakarta-woman-day-41"),
    pytest.param("KTP", "1571037112990003", "1571037112990003", id="nik-jambi-woman-day-71"),
    pytest.param("KTP", "9471012902000004", "9471012902000004", id="nik-29-february-2000"),
    pytest.param("KTP", "9371016902840005", "9371016902840005", id="nik-papua-selatan-woman-29-february"),
    pytest.param("KTP", "8171 0115 0583 0001", "8171011505830001", id="nik-typed-in-groups"),
    pytest.param("Paspor", "C1234567", "C1234567", id="passport-indonesia"),
    pytest.param("Paspor", "x 1234567", "X1234567", id="passport-lower-case-with-space"),
    pytest.param("Paspor", "AB12345678", "AB12345678", id="passport-two-letters-eight-digits"),
    pytest.param("Paspor", "NX1234567", "NX1234567", id="passport-dutch"),
    pytest.param("Paspor", "123456789", "123456789", id="passport-us-digits"),
    pytest.param("KTM", "F1B0 19 033", "F1B0 19 033", id="student-card-free-text"),
    pytest.param("KTM", "A1B", "A1B", id="student-card-three-characters"),
    pytest.param("SIM", "1234-5678-901234", "1234-5678-901234", id="driving-licence-free-text"),
]


@pytest.mark.parametrize(("doc_type", "typed", "stored"), VALID)
def test_a_well_formed_identity_number_is_accepted(doc_type, typed, stored):
    assert clean(doc_type, typed)["id_document_number"] == stored


INVALID = [
    pytest.param("KTP", "12345abc", "nik_format", id="nik-the-issue-example"),
    pytest.param("KTP", "817101150583000", "nik_format", id="nik-15-digits"),
    pytest.param("KTP", "81710115058300012", "nik_format", id="nik-17-digits"),
    pytest.param("KTP", "81710115O5830001", "nik_format", id="nik-letter-o-for-zero"),
    pytest.param("KTP", "８１７１０１１５０５８３０００１", "nik_format", id="nik-full-width-digits"),
    pytest.param("KTP", "0071011505830001", "nik_province", id="nik-province-00"),
    pytest.param("KTP", "2071011505830001", "nik_province", id="nik-province-20"),
    pytest.param("KTP", "3771011505830001", "nik_province", id="nik-province-37"),
    pytest.param("KTP", "9871011505830001", "nik_province", id="nik-province-98"),
    pytest.param("KTP", "8171010005830001", "nik_birth_date", id="nik-day-00"),
    pytest.param("KTP", "8171013205830001", "nik_birth_date", id="nik-day-32"),
    pytest.param("KTP", "8171014005830001", "nik_birth_date", id="nik-day-40"),
    pytest.param("KTP", "8171017205830001", "nik_birth_date", id="nik-woman-day-72"),
    pytest.param("KTP", "8171011513830001", "nik_birth_date", id="nik-month-13"),
    pytest.param("KTP", "8171013104830001", "nik_birth_date", id="nik-31-april"),
    pytest.param("KTP", "8171016902830001", "nik_birth_date", id="nik-woman-29-february-1983"),
    pytest.param("Paspor", "C1234", "passport_format", id="passport-five-characters"),
    pytest.param("Paspor", "ABCDEFGH", "passport_format", id="passport-no-digit"),
    pytest.param("Paspor", "C1234567890", "passport_format", id="passport-too-long"),
    pytest.param("Paspor", "C-1234567", "passport_format", id="passport-dash"),
    pytest.param("KTM", "AB", "id_length", id="student-card-two-characters"),
    pytest.param("KTM", "A" * 41, "too_long", id="student-card-41-characters"),
    pytest.param("KTP", "", "required", id="nik-empty"),
]


@pytest.mark.parametrize(("doc_type", "typed", "code"), INVALID)
def test_a_malformed_identity_number_is_refused_saying_why(doc_type, typed, code):
    with pytest.raises(ValidationError) as caught:
        clean(doc_type, typed)
    assert (caught.value.field, caught.value.code) == ("id_document_number", code)
    assert "Nomor Identitas" in caught.value.message("id")
    assert "Identity document number" in caught.value.message("en")


def test_the_refusals_name_the_part_that_is_wrong():
    def message(doc_type: str, typed: str, lang: str = "id") -> str:
        with pytest.raises(ValidationError) as caught:
            clean(doc_type, typed)
        return caught.value.message(lang)

    assert message("KTP", "12345abc") == "Nomor Identitas: NIK pada KTP harus tepat 16 digit angka."
    assert "(20)" in message("KTP", "2071011505830001") and "kode provinsi" in message("KTP", "2071011505830001")
    assert "(321583)" in message("KTP", "8171013215830001", "en")
    assert "women: day + 40" in message("KTP", "8171013215830001", "en")
    assert "C1234567" in message("Paspor", "C12")


def test_the_kiosk_marks_a_malformed_nik_with_the_other_errors():
    errors = kiosk.check_entry(visitor_answers(id_document_number="12345abc", email="x@"), PAID, "", 2026)
    assert list(errors) == ["email", "id_document_number"]
    assert errors["id_document_number"].code == "nik_format"


def test_a_malformed_nik_is_refused_at_registration_and_stores_nothing(office):
    with pytest.raises(ValidationError) as caught, office.session() as s:
        kiosk.register(s, office.kiosk, visitor_answers(id_document_number="12345abc"), PAID)
    assert caught.value.code == "nik_format"
    with office.session() as s:
        assert kiosk.returning_visitor(s, office.kiosk, visitor_answers()["phone"]) is None


# --- birth years -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("this_year", "low", "high"), [
    pytest.param(2026, 1926, 2016, id="2026-a-hundred-years"),
    pytest.param(2045, 1945, 2035, id="2045-a-hundred-years"),
])
def test_birth_years_run_from_100_to_10_years_before_the_office_year(this_year, low, high):
    assert guestbook.birth_year_bounds(this_year) == (low, high)
    for year in (low, high, str(high)):
        assert guestbook.clean_visitor(visitor_answers(birth_year=year), this_year)["birth_year"] == int(year)
    for year in (low - 1, high + 1, this_year, 1800):
        with pytest.raises(ValidationError) as caught:
            guestbook.clean_visitor(visitor_answers(birth_year=year), this_year)
        assert caught.value.code == "year_range"
        assert caught.value.message("id") == f"Tahun Lahir harus antara {low} dan {high}."
        assert caught.value.message("en") == f"Year of birth must be between {low} and {high}."


@pytest.mark.parametrize("office_time", ["year-end", "new-year"], indirect=True)
def test_the_youngest_birth_year_moves_on_1_january_of_the_office(request, office_time, office):
    """31-12-2026 23:45 WIT and 01-01-2027 00:15 WIT (UTC still 2026): the office's year decides."""
    with office.session() as s:
        year = office_today(s, office.office_id).year
    assert year == {"year-end": 2026, "new-year": 2027}[request.node.callspec.params["office_time"]]
    with office.session() as s:
        assert kiosk.register(s, office.kiosk, visitor_answers(birth_year=year - 10), PAID).queue_code
    with pytest.raises(ValidationError) as caught, office.session() as s:
        kiosk.register(s, office.kiosk, visitor_answers(birth_year=year - 9, phone="081299990000"), PAID)
    assert caught.value.message("id") == f"Tahun Lahir harus antara {year - 100} dan {year - 10}."


# --- the office's province -------------------------------------------------------------------------------

@pytest.mark.parametrize(("unit_code", "province"), [
    ("8100", "Maluku"), ("8171", "Maluku"), ("1571", "Jambi"), ("1500", "Jambi"), ("9400", "Papua"),
    ("9200", "Papua Barat Daya"), ("0000", ""), ("", ""),
])
def test_the_office_province_comes_from_the_bps_unit_code(unit_code, province):
    assert guestbook.office_province(unit_code) == province


def test_every_bps_province_code_names_a_guestbook_province_and_a_listed_unit():
    assert sorted(guestbook.BPS_PROVINCE_CODES.values()) == sorted(guestbook.PROVINCES)
    units = json.loads(resource_path("bps_units.json").read_text(encoding="utf-8"))["units"]
    for unit in units:
        if unit["unit_code"].endswith("00"):
            assert unit["name"] == f"BPS Provinsi {guestbook.office_province(unit['unit_code'])}"
        else:
            assert guestbook.office_province(unit["unit_code"]), unit


def test_the_kiosk_learns_the_office_zone_and_province(office):
    with office.session() as s:
        assert kiosk.office_setting(s, office.kiosk) == ("WIT", "Maluku")
        update_office(s, office.supervisor, {"unit_code": "1571", "name": "BPS Kota Jambi", "city": "Jambi",
                                             "time_zone": "WIB"})
    with office.session() as s:
        assert kiosk.office_setting(s, office.kiosk) == ("WIB", "Jambi")
        assert guestbook.home_province(s, office.officer) == "Jambi"

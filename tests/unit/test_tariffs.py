"""The tariff calculator against the worked examples of domain.md, its boundaries, schedule dates,
and issued invoices surviving a catalogue change."""

from datetime import date

import pytest
from sqlalchemy import select

from models import Invoice, TariffLine, TariffSchedule
from pstdesktop.services import billing, catalogue, requests, tariffs
from pstdesktop.services.errors import StateError, ValidationError


def price(office, code: str, quantity: int, on: date = date(2026, 11, 23)) -> int:
    with office.session() as s:
        schedule = tariffs.schedule_in_force(s, on)
        return tariffs.price_line(s, schedule, catalogue.product_by_code(s, code), quantity).amount


@pytest.mark.parametrize(("code", "quantity", "expected"), [
    ("microdata_raw", 150_000_000, 3_000_000),   # 20.000 + 149.000 x 20
    ("microdata_raw", 1_000_000, 20_000),        # exactly 1 MB
    ("microdata_raw", 1, 20_000),
    ("microdata_raw", 1_000_001, 20_020),        # one byte more: one further block
    ("microdata_raw", 1_001_000, 20_020),
    ("microdata_raw", 1_001_001, 20_040),
    ("microdata_processed", 2_500_500, 55_022),  # 22.000 + 1.501 x 22
    ("map_kab_desa", 1, 70_000),
    ("map_kab_desa", 2, 140_000),
    ("map_kab_kecamatan", 1, 30_000),
    ("map_id_desa", 1, 36_000_000),
    ("pub_electronic", 50, 50_000),
    ("pub_electronic", 51, 65_000),
    ("pub_electronic", 120, 80_000),
])
def test_worked_examples_and_boundaries(office, code, quantity, expected):
    assert price(office, code, quantity) == expected


def test_two_kabupaten_maps_by_desa_and_one_by_kecamatan(office):
    _ticket, rid = office.walk_in(items=(("map_kab_desa", "Peta WILKERSTAT", 1, "Kabupaten Maluku Tengah"),
                                         ("map_kab_desa", "Peta WILKERSTAT", 1, "Kota Ambon"),
                                         ("map_kab_kecamatan", "Peta WILKERSTAT", 1, "Kabupaten Buru")))
    with office.session() as s:
        requests.submit(s, office.officer, rid)
        quote = requests.approve(s, office.officer, rid)
    assert quote.total == 170_000
    assert [line.amount for line in quote.lines] == [70_000, 70_000, 30_000]
    assert quote.lines[0].formula == "1 peta × Rp70.000 = Rp70.000"


def test_formula_shows_the_regressive_computation(office):
    with office.session() as s:
        schedule = tariffs.schedule_in_force(s, date(2026, 1, 5))
        line = tariffs.price_line(s, schedule, catalogue.product_by_code(s, "microdata_raw"), 150_000_000)
    assert line.formula == "Rp20.000 (s.d. 1.000.000 byte) + 149.000 × Rp20 (per 1.000 byte) = Rp3.000.000"
    assert line.extra_blocks == 149_000


@pytest.mark.parametrize("quantity", [0, -1])
def test_non_positive_quantity_is_refused(office, quantity):
    with office.session() as s, pytest.raises(ValidationError) as err:
        schedule = tariffs.schedule_in_force(s, date(2026, 1, 5))
        tariffs.price_line(s, schedule, catalogue.product_by_code(s, "microdata_raw"), quantity)
    assert err.value.field == "quantity"


def add_older_schedule(office):
    """Figures an office might enter for PP 7/2015 (test values, not the regulation's)."""
    with office.session() as s:
        catalogue.add_schedule(s, office.supervisor, {
            "code": "PP7-2015", "regulation": "Peraturan Pemerintah No. 7 Tahun 2015", "effective_from": "2015-03-01",
            "lines": [{"product": "microdata_raw", "base_amount": 10_000, "base_quantity": 1_000_000,
                       "step_amount": 10, "step_quantity": 1_000}]})


def test_request_dated_before_a_schedule_is_priced_by_the_older_one(office):
    add_older_schedule(office)
    assert price(office, "microdata_raw", 150_000_000, on=date(2023, 12, 31)) == 10_000 + 149_000 * 10
    assert price(office, "microdata_raw", 150_000_000, on=date(2024, 1, 1)) == 3_000_000


def test_no_schedule_before_the_first_one(office):
    with office.session() as s, pytest.raises(StateError) as err:
        tariffs.schedule_in_force(s, date(2010, 1, 1))
    assert "01-01-2010" in err.value.message("id")


def test_older_schedule_without_the_product_says_so(office):
    add_older_schedule(office)
    with office.session() as s, pytest.raises(StateError) as err:
        schedule = tariffs.schedule_in_force(s, date(2020, 6, 1))
        tariffs.price_line(s, schedule, catalogue.product_by_code(s, "map_kab_desa"), 1)
    assert "Peta WILKERSTAT" in err.value.message("id")


def test_the_schedule_in_force_is_read_only_and_issued_invoices_keep_their_lines(office):
    rid = office.approved()
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid)
    with office.session() as s, pytest.raises(StateError) as err:
        line = s.scalar(select(TariffLine).join(TariffSchedule).where(TariffSchedule.code == "PP13-2024")
                        .where(TariffLine.base_amount == 20_000))
        catalogue.update_tariff_line(s, office.supervisor, line.id, base_amount=25_000, step_amount=25)
    assert err.value.code == "schedule_read_only"
    with office.session() as s:
        stored = s.get(Invoice, invoice.id)
        assert stored.total == 3_000_000
        assert stored.lines[0]["base_amount"] == 20_000
        assert stored.schedule_code == "PP13-2024"
    assert price(office, "microdata_raw", 150_000_000) == 3_000_000


def test_only_a_supervisor_edits_prices(office):
    from pstdesktop.services.errors import PermissionDenied

    with office.session() as s, pytest.raises(PermissionDenied):
        line = s.scalar(select(TariffLine).limit(1))
        catalogue.update_tariff_line(s, office.officer, line.id, base_amount=1)


def test_rp0_keeps_the_normal_tariff_beside_zero(office):
    _ticket, rid = office.walk_in()
    with office.session() as s:
        requests.submit(s, office.officer, rid)
        quote = requests.approve(s, office.officer, rid, waiver={
            "category": "education", "purpose": "research", "letter_number": "123/UN13/PP/2026",
            "letter_date": "2026-11-20"})
    assert quote.normal_total == 3_000_000
    assert quote.total == 0
    assert quote.waived

"""Dataset sizes typed as staff think ("850 MB", "1,2 GB"), the exact bytes a price uses, and the
hand-over of files whose size differs from what was billed: refused without a reason, kept with one,
or the line corrected and priced again."""

import pytest
from sqlalchemy import func, select

from exports.text import short_size, size_text
from models import AuditEntry, Delivery, DeliveryChannel, DocumentStatus, Invoice, RequestItem, RequestState
from pstdesktop.services import audit, billing, delivery, requests, validate
from pstdesktop.services.errors import StateError, ValidationError

MB = 1024 * 1024


@pytest.mark.parametrize(("typed", "size"), [
    ("850 MB", 850 * MB),
    ("850MB", 850 * MB),
    ("850 mb", 850 * MB),
    (" 850 MiB ", 850 * MB),
    ("850 megabyte", 850 * MB),
    ("1,2 GB", round(1.2 * 1024 * MB)),
    ("1.2 GB", round(1.2 * 1024 * MB)),
    ("1.2GB", round(1.2 * 1024 * MB)),
    ("2 GiB", 2 * 1024 * MB),
    ("512 KB", 512 * 1024),
    ("512 kb", 512 * 1024),
    ("0,5 KB", 512),
    ("1.500 MB", 1500 * MB),          # a dot before three digits separates thousands
    ("1.234,5 MB", round(1234.5 * MB)),
    ("1,234.5 MB", round(1234.5 * MB)),
    ("891.289.600", 891_289_600),
    ("891,289,600", 891_289_600),
    ("891289600", 891_289_600),
    ("891289600 byte", 891_289_600),
    ("3 bytes", 3),
    ("1 TB", 1024 ** 4),
    (4096, 4096),
])
def test_sizes_are_read_as_typed(typed, size):
    assert validate.data_size("data_size", typed) == size


@pytest.mark.parametrize(("typed", "code"), [
    ("", "required"),
    ("   ", "required"),
    ("12 ember", "data_size"),
    ("MB", "data_size"),
    ("-5 MB", "data_size"),
    ("1,5", "data_size"),             # half a byte
    ("850.", "data_size"),
    ("1.2.3 MB", "data_size"),
    ("89.12.600", "data_size"),
    ("1,2,3 GB", "data_size"),
    ("850 MB 2", "data_size"),
    ("0 MB", "positive"),
    (0, "positive"),
    ("20 TB", "too_large"),
    (True, "data_size"),
    (1.5, "data_size"),
    (None, "data_size"),
])
def test_nonsense_is_refused_with_a_clear_message(typed, code):
    with pytest.raises(ValidationError) as error:
        validate.data_size("data_size", typed)
    assert error.value.code == code
    assert "Ukuran dataset" in error.value.message("id")


def test_a_size_reads_back_as_it_was_typed():
    assert size_text(891_289_600) == "891.289.600 byte (850 MB)"
    assert size_text(validate.data_size("x", "1,2 GB")) == "1.288.490.189 byte (1,2 GB)"
    assert size_text(812) == "812 byte"
    assert short_size(2_000_000) == "1,9 MB"


def test_a_line_takes_the_size_as_typed_and_maps_stay_counts(office):
    _ticket, rid = office.walk_in(items=(("microdata_raw", "Susenas", "850 MB", ""),))
    with office.session() as s:
        assert s.scalar(select(RequestItem.quantity).where(RequestItem.request_id == rid)) == 891_289_600
        with pytest.raises(ValidationError) as error:
            requests.add_item(s, office.officer, rid, product_code="map_kab_desa", title="Peta", quantity="2 MB",
                              region="Kota Ambon")
    assert error.value.code == "integer"


def hand_over(office, rid, path, **kw):
    with office.session() as s:
        item = delivery.items_of(s, rid)[0]
        return delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(item.id, path)],
                                channel=DeliveryChannel.IN_PERSON, media="flashdisk", **kw).id


def receipted(office, size) -> int:
    rid, payment_id = office.paid(items=(("microdata_raw", "Susenas Maret 2024 (KOR)", size, ""),))
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
    return rid


def test_a_file_of_another_size_is_refused_without_a_reason_and_kept_with_one(office, data_file):
    rid = receipted(office, "850 MB")
    path = data_file("susenas.dta", 2_000)
    with office.session() as s:
        item = delivery.items_of(s, rid)[0]
        found = delivery.size_mismatches(s, office.officer, rid, {item.id: 2_000})
    assert [(m.billed, m.delivered) for m in found] == [(891_289_600, 2_000)]
    with pytest.raises(ValidationError) as error:
        hand_over(office, rid, path)
    assert error.value.code == "size_mismatch"
    assert "891.289.600 byte (850 MB) → 2.000 byte" in error.value.message("id")
    with office.session() as s:
        assert s.scalar(select(func.count(Delivery.id))) == 0
        assert requests.get_request(s, office.officer, rid).state is RequestState.RECEIPTED
    delivery_id = hand_over(office, rid, path, size_reason="Berkas dikompresi (zip) untuk flashdisk.")
    with office.session() as s:
        assert requests.get_request(s, office.officer, rid).state is RequestState.DELIVERED
        assert delivery.size_reason(s, delivery_id) == "Berkas dikompresi (zip) untuk flashdisk."
        entry = audit.history(s, "delivery", delivery_id)[-1]
        assert entry.action == "delivery.size_mismatch" and entry.actor_name == "Yohanes Pattiasina"
        assert entry.snapshot["_extra"]["lines"] == [{"item": item.id, "billed": 891_289_600, "delivered": 2_000}]
        assert audit.verify(s) == []


def test_a_file_of_the_billed_size_needs_no_reason(office, data_file):
    rid = receipted(office, "4 KB")
    delivery_id = hand_over(office, rid, data_file("susenas.dta", 4096))
    with office.session() as s:
        assert delivery.size_reason(s, delivery_id) == ""
        assert s.scalar(select(func.count(AuditEntry.seq)).where(AuditEntry.action == "delivery.size_mismatch")) == 0


def test_a_paid_line_is_not_corrected_here(office):
    rid = receipted(office, "850 MB")
    with office.session() as s:
        item = delivery.items_of(s, rid)[0]
        with pytest.raises(StateError) as error:
            requests.correct_size(s, office.officer, rid, item.id, 2_000, "Berkas lebih kecil.")
    assert error.value.code == "size_paid" and "bendahara" in error.value.message("id")


def test_correcting_an_invoiced_line_cancels_the_invoice_and_prices_again(office):
    rid = office.approved(items=(("microdata_raw", "Susenas", "850 MB", ""),))
    with office.session() as s:
        first = billing.issue_invoice(s, office.officer, rid)
    assert first.total == 20_000 + 890_290 * 20
    with office.session() as s:
        item = delivery.items_of(s, rid)[0]
        before, price = requests.correct_size(s, office.officer, rid, item.id, "2.000.000", "Berkas hanya 2 MB.")
    assert (before, price) == (891_289_600, 20_000 + 1_000 * 20)
    with office.session() as s:
        assert s.get(Invoice, first.id).status is DocumentStatus.CANCELLED
        assert requests.get_request(s, office.officer, rid).state is RequestState.APPROVED
        again = billing.issue_invoice(s, office.officer, rid)
        assert again.total == 40_000 and again.lines[0]["quantity"] == 2_000_000
        entry = [e for e in audit.history(s, "service_request", rid) if e.action == "request.size_correct"][-1]
        assert entry.reason == "Berkas hanya 2 MB." and entry.snapshot["_extra"]["to"] == 2_000_000
        assert audit.verify(s) == []


def test_an_rp0_line_follows_its_file_and_is_then_handed_over_without_a_reason(office, data_file):
    _ticket, rid = office.walk_in(items=(("microdata_raw", "Susenas", "850 MB", ""),))
    with office.session() as s:
        requests.submit(s, office.officer, rid)
        requests.approve(s, office.officer, rid, waiver={
            "category": "regional_government", "purpose": "state_duties",
            "letter_number": "050/123/BAPPEDA/2026", "letter_date": "2020-01-02"})
        delivery.record_sppd(s, office.officer, rid)
        item = delivery.items_of(s, rid)[0]
        requests.correct_size(s, office.officer, rid, item.id, 4096, "Ukuran mengikuti berkas.")
    with office.session() as s:
        request = requests.get_request(s, office.officer, rid)
        assert request.waiver.normal_amount == 20_000 and request.items[0].price == 20_000  # the total stays Rp0
    hand_over(office, rid, data_file("susenas.dta", 4096))

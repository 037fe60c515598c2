"""The kiosk's service rules: its account, the staff PIN (salted hash, audited, throttled), the
whole-form check, registration with the ticket, the returning visitor, and finding a visit for the poll."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import Account, AuditEntry, OfficeProfile, Visit, Visitor
from pstdesktop.services import feedback, guestbook, kiosk
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import NotFound, PermissionDenied, StateError, ValidationError
from tests.conftest import visitor_answers

PAID = "Pembelian Produk Statistik Berbayar"


def counts(office) -> tuple[int, int]:
    with office.session() as s:
        return s.scalar(select(func.count(Visitor.id))), s.scalar(select(func.count(Visit.id)))


def audit_actions(office) -> list[str]:
    with office.session() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


# --- account and PIN -------------------------------------------------------------------------------

def test_kiosk_acts_as_the_active_kiosk_account(office):
    with office.session() as s:
        assert kiosk.kiosk_actor(s) == office.kiosk
        s.get(Account, office.kiosk.account_id).active = False
    with office.session() as s, pytest.raises(NotFound) as refused:
        kiosk.kiosk_actor(s)
    assert "akun aktif dengan peran Kios" in refused.value.message("id")
    assert "Kiosk role" in refused.value.message("en")


def test_kiosk_cannot_run_without_an_office(sqlite_db):
    with sqlite_db.unit_of_work() as s, pytest.raises(NotFound):
        kiosk.kiosk_actor(s)


def test_pin_is_stored_as_a_salted_hash_and_audited(office):
    with office.session() as s:
        assert not kiosk.kiosk_pin_is_set(s, office.office_id)
        kiosk.set_kiosk_pin(s, office.supervisor, "482915", "482915")
        first = s.get(OfficeProfile, office.office_id).kiosk_pin_hash
    with office.session() as s:
        kiosk.set_kiosk_pin(s, office.supervisor, "482915")
        second = s.get(OfficeProfile, office.office_id).kiosk_pin_hash
        assert kiosk.kiosk_pin_is_set(s, office.office_id)
    assert "482915" not in first and first.startswith("scrypt$")
    assert first != second  # a fresh salt each time
    assert audit_actions(office).count("kiosk.pin_set") == 2


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "١٢٣٤", " 1234"])
def test_pin_must_be_four_to_eight_ascii_digits(office, pin):
    with office.session() as s, pytest.raises(ValidationError) as refused:
        kiosk.set_kiosk_pin(s, office.supervisor, pin)
    assert refused.value.message("id") == "PIN staf harus 4 sampai 8 digit angka."


def test_pin_repeat_must_match_and_only_a_supervisor_sets_it(office):
    with office.session() as s, pytest.raises(ValidationError) as refused:
        kiosk.set_kiosk_pin(s, office.supervisor, "4829", "4828")
    assert refused.value.code == "pin_mismatch"
    for actor in (office.officer, office.kiosk, office.treasurer):
        with office.session() as s, pytest.raises(PermissionDenied):
            kiosk.set_kiosk_pin(s, actor, "4829")
    with office.session() as s:
        assert s.get(OfficeProfile, office.office_id).kiosk_pin_hash == ""


def test_pin_check_right_and_wrong_both_audited(office):
    with office.session() as s:
        assert not kiosk.check_kiosk_pin(s, office.kiosk, "0000", "exit")  # no PIN set: nothing opens
        kiosk.set_kiosk_pin(s, office.supervisor, "7391")
    with office.session() as s:
        assert not kiosk.check_kiosk_pin(s, office.kiosk, "7390", "exit")
        assert kiosk.check_kiosk_pin(s, office.kiosk, "7391", "exit")
    actions = audit_actions(office)
    assert actions.count("kiosk.pin_refused") == 2 and actions.count("kiosk.unlocked") == 1


def test_pin_guard_locks_after_five_wrong_attempts():
    now = [1000.0]
    guard = kiosk.PinGuard(attempts=5, lock_seconds=60, clock=lambda: now[0])
    for _ in range(4):
        guard.failed()
    assert guard.seconds_locked() == 0
    guard.failed()
    assert guard.seconds_locked() == 60
    now[0] += 59.5
    assert guard.seconds_locked() == 1
    now[0] += 1
    assert guard.seconds_locked() == 0
    guard.failed()
    guard.succeeded()
    assert guard.failures == 0


# --- the entry ---------------------------------------------------------------------------------------

def test_a_valid_entry_has_no_errors():
    assert kiosk.check_entry(visitor_answers(), PAID, "") == {}


def test_every_broken_field_is_named_at_once():
    answers = visitor_answers(full_name="", email="rahmat@", phone="0812abc5678", birth_year="2999",
                              occupation="Lainnya", occupation_other="", consent=False)
    errors = kiosk.check_entry(answers, "Lainnya", "")
    assert list(errors) == ["full_name", "birth_year", "phone", "email", "occupation_other", "consent",
                            "purpose_other"]
    assert errors["birth_year"].message("id") == "Tahun Lahir tidak boleh di masa depan."
    assert errors["email"].message("en") == "Email is not a valid email address."
    assert "hanya boleh berisi angka" in errors["phone"].message("id")


def test_buying_paid_products_needs_an_identity_document():
    answers = visitor_answers(id_document_type="", id_document_number="")
    assert kiosk.check_entry(answers, "Konsultasi Statistik", "") == {}
    errors = kiosk.check_entry(answers, PAID, "")
    assert errors["id_document_type"].message("id") == (
        "Jenis Identitas wajib diisi untuk pembelian produk statistik berbayar.")


def test_register_gives_the_ticket_and_counts_who_waits_ahead(office):
    with office.session() as s:
        first = kiosk.register(s, office.kiosk, visitor_answers(), PAID)
    with office.session() as s:
        second = kiosk.register(s, office.kiosk, visitor_answers(full_name="Siti Nurhaliza Tuasikal",
                                                                phone="082198761234", email="siti@contoh.id"), PAID)
        other = kiosk.register(s, office.kiosk, visitor_answers(phone="085244117788", email="a@contoh.id"),
                               "Konsultasi Statistik")
    assert (first.queue_code, first.waiting_ahead) == ("B-001", 0)
    assert (second.queue_code, second.waiting_ahead, second.visitor) == ("B-002", 1, "Siti N. T.")
    assert (other.queue_code, other.waiting_ahead) == ("C-001", 0)
    assert first.office_name == "BPS Provinsi Maluku" and first.arrived.endswith("WIT")


def test_a_refused_entry_stores_nothing(office):
    with office.session() as s, pytest.raises(ValidationError) as refused:
        kiosk.register(s, office.kiosk, visitor_answers(email="bukan-email"), PAID)
    assert refused.value.field == "email"
    assert counts(office) == (0, 0)


def test_returning_visitor_is_found_and_shown_masked(office):
    with office.session() as s:
        kiosk.register(s, office.kiosk, visitor_answers(), PAID)
    with office.session() as s:
        found = kiosk.returning_visitor(s, office.kiosk, "0812-4321-5678")
        assert kiosk.returning_visitor(s, office.kiosk, "orang@lain.id") is None
    assert found.answers["id_document_number"] == "8171011505830001"
    shown = dict(found.summary)
    assert shown == {"full_name": "Rahmat H.", "institution": "Universitas Pattimura",
                     "phone": guestbook.mask_identity("081243215678"), "email": "ra***@unpatti.ac.id",
                     "id_document_number": "KTP 8171********0001"}
    assert "*" in shown["phone"] and "081243215678" not in shown["phone"]


# --- the poll -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["B-001", "b1", "B 001", "b-01", "081243215678", "0812 4321 5678"])
def test_visit_for_poll_by_queue_number_or_phone(office, key):
    with office.session() as s:
        ticket = kiosk.register(s, office.kiosk, visitor_answers(), PAID)
    with office.session() as s:
        visit = kiosk.visit_for_poll(s, office.kiosk, key)
    assert (visit.visit_id, visit.queue_code, visit.visitor) == (ticket.visit_id, "B-001", "Rahmat H.")


def test_visit_for_poll_refusals(office):
    with office.session() as s:
        ticket = kiosk.register(s, office.kiosk, visitor_answers(), PAID)
        yesterday = guestbook.register_visit(s, office.kiosk, visitor_answers(phone="085244117788"),
                                             "Konsultasi Statistik", at=utcnow() - timedelta(days=1))
    for key, code in (("B-002", "visit_lookup"), ("halo", "visit_lookup"), ("085244117788", "visit_lookup"),
                      ("", "required")):
        with office.session() as s, pytest.raises((NotFound, ValidationError)) as refused:
            kiosk.visit_for_poll(s, office.kiosk, key)
        assert refused.value.code == code, key
    assert yesterday.queue_code == "C-001"
    with office.session() as s:
        feedback.answer_poll(s, office.kiosk, ticket.visit_id, [4] * 9)
    with office.session() as s, pytest.raises(StateError) as refused:
        kiosk.visit_for_poll(s, office.kiosk, "B-001")
    assert refused.value.message("id") == "Kunjungan B-001 sudah mengisi survei kepuasan."


def test_phone_lookup_skips_a_visit_already_rated(office):
    with office.session() as s:
        morning = kiosk.register(s, office.kiosk, visitor_answers(), "Konsultasi Statistik")
    with office.session() as s:
        feedback.answer_poll(s, office.kiosk, morning.visit_id, [3] * 9)
    with office.session() as s:
        afternoon = kiosk.register(s, office.kiosk, visitor_answers(), PAID)
    with office.session() as s:
        assert kiosk.visit_for_poll(s, office.kiosk, "081243215678").visit_id == afternoon.visit_id

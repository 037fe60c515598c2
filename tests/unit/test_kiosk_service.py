"""The kiosk's service rules: its account, the staff PIN (slow salted hash, audited, wrong tries counted
in the database for every kiosk), the whole-form check, registration with the ticket, the returning
visitor (who sees nothing personal), and finding a visit for the poll."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import Account, AuditEntry, OfficeProfile, Visit, Visitor
from pstdesktop.bootstrap import open_url
from pstdesktop.config import sqlite_url
from pstdesktop.services import feedback, guestbook, kiosk
from pstdesktop.services import office as office_service
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import NotFound, PermissionDenied, StateError, ValidationError
from tests.conftest import visitor_answers

PAID = "Pembelian Produk Statistik Berbayar"
SLOW_COST = kiosk.PIN_COST


@pytest.fixture(autouse=True)
def quick_pin_hash(monkeypatch):
    """PINs hashed at n = 2**10 here; the real cost is checked once, in its own test."""
    monkeypatch.setattr(kiosk, "PIN_COST", 10)


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
        assert kiosk.kiosk_pin_is_set(s, office.office_id) and not kiosk.kiosk_pin_is_old(s, office.office_id)
    assert "482915" not in first and first.startswith(f"scrypt{kiosk.PIN_COST}$")
    assert first != second  # a fresh salt each time
    assert audit_actions(office).count("kiosk.pin_set") == 2


def test_the_pin_hash_is_a_slower_scrypt_than_passwords(monkeypatch):
    assert SLOW_COST == 17 and 2**SLOW_COST > office_service._SCRYPT["n"]
    monkeypatch.setattr(kiosk, "PIN_COST", SLOW_COST)
    stored = kiosk.hash_pin("482915")
    scheme, salt, digest = stored.split("$")
    assert scheme == "scrypt17" and len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    assert kiosk.pin_matches("482915", stored) and not kiosk.pin_matches("482916", stored)


@pytest.mark.parametrize("stored", ["", "scrypt$", "scrypt99$00$00", "scrypt17$zz$00", "bcrypt$x$y",
                                    "scryptx$00$00"])
def test_a_malformed_pin_hash_opens_nothing(stored):
    assert not kiosk.pin_matches("482915", stored)


@pytest.mark.parametrize("pin", ["1234", "12345", "123456789", "12a456", "", "١٢٣٤٥٦", " 123456"])
def test_pin_must_be_six_to_eight_ascii_digits(office, pin):
    with office.session() as s, pytest.raises(ValidationError) as refused:
        kiosk.set_kiosk_pin(s, office.supervisor, pin)
    assert refused.value.message("id") == "PIN staf harus 6 sampai 8 digit angka."


@pytest.mark.parametrize("pin", ["482915", "48291537"])
def test_six_and_eight_digit_pins_are_taken(office, pin):
    with office.session() as s:
        kiosk.set_kiosk_pin(s, office.supervisor, pin)
    unlock(office, pin)


def test_pin_repeat_must_match_and_only_a_supervisor_sets_it(office):
    with office.session() as s, pytest.raises(ValidationError) as refused:
        kiosk.set_kiosk_pin(s, office.supervisor, "482915", "482916")
    assert refused.value.code == "pin_mismatch"
    for actor in (office.officer, office.kiosk, office.treasurer):
        with office.session() as s, pytest.raises(PermissionDenied):
            kiosk.set_kiosk_pin(s, actor, "482915")
    with office.session() as s:
        assert s.get(OfficeProfile, office.office_id).kiosk_pin_hash == ""


def unlock(office, pin: str, db=None) -> None:
    with (db or office.db).unit_of_work() as s:
        kiosk.check_kiosk_pin(s, office.kiosk, pin, "exit")


def refused(office, pin: str, db=None) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        unlock(office, pin, db)
    assert caught.value.field == "pin"
    return caught.value


def kiosk_row(office) -> Account:
    with office.session() as s:
        return s.get(Account, office.kiosk.account_id)


def test_pin_check_right_and_wrong_both_audited(office):
    assert refused(office, "000000").code == "pin_wrong"  # no PIN set: nothing opens
    with office.session() as s:
        kiosk.set_kiosk_pin(s, office.supervisor, "739154")
    wrong = refused(office, "739155")
    assert wrong.message("id") == (
        "PIN salah. Masih boleh mencoba 3 kali lagi; sesudah itu PIN dikunci 15 menit.")
    assert wrong.message("en") == "Wrong PIN. Tries left before the PIN is locked for 15 minutes: 3."
    unlock(office, "739154")
    assert kiosk_row(office).failed_logins == 0  # the right PIN clears the count
    actions = audit_actions(office)
    assert actions.count("kiosk.pin_refused") == 2 and actions.count("kiosk.unlocked") == 1


def test_thirty_wrong_pins_then_the_right_one_is_refused(office, time_machine):
    time_machine.move_to(utcnow(), tick=False)
    with office.session() as s:
        kiosk.set_kiosk_pin(s, office.supervisor, "739154")
    codes = [refused(office, f"{n:06d}").code for n in range(30)]
    assert codes == ["pin_wrong"] * 4 + ["pin_locked"] * 26
    locked = refused(office, "739154")  # the right PIN waits out the lock too
    assert locked.message("id") == ("PIN dikunci karena terlalu banyak PIN salah di kios. Coba lagi dalam "
                                    "15 menit, atau minta supervisor membuka kunci akun kios.")
    assert "Try again in 15 min" in locked.message("en")
    row = kiosk_row(office)
    assert row.failed_logins == office_service.MAX_FAILED_LOGINS and office_service.is_locked(row)
    assert audit_actions(office).count("kiosk.pin_refused") == 31  # counted although each step rolled back


def test_wrong_pins_on_two_kiosks_share_one_count(office, tmp_path):
    with office.session() as s:
        kiosk.set_kiosk_pin(s, office.supervisor, "739154")
    other_pc = open_url(sqlite_url(tmp_path / "pst.sqlite"))  # a second kiosk on the same database
    try:
        for n in range(5):
            refused(office, f"{n:06d}", db=office.db if n % 2 else other_pc)
        assert refused(office, "739154", db=office.db).code == "pin_locked"
        assert refused(office, "739154", db=other_pc).code == "pin_locked"
    finally:
        other_pc.dispose()


def test_the_pin_lock_opens_by_itself_after_the_set_time(office, time_machine):
    time_machine.move_to(utcnow(), tick=False)
    with office.session() as s:
        kiosk.set_kiosk_pin(s, office.supervisor, "739154")
    for n in range(5):
        refused(office, f"{n:06d}")
    time_machine.shift(timedelta(minutes=office_service.LOCK_MINUTES - 1, seconds=1))
    assert "dalam 1 menit" in refused(office, "739154").message("id")
    time_machine.shift(timedelta(minutes=1))
    unlock(office, "739154")
    for n in range(4):  # the lock ran out with a fresh count
        assert refused(office, f"{n:06d}").code == "pin_wrong"


def test_a_supervisor_unlocks_the_kiosk_pin_from_the_accounts(office):
    with office.session() as s:
        kiosk.set_kiosk_pin(s, office.supervisor, "739154")
    for n in range(5):
        refused(office, f"{n:06d}")
    with office.session() as s:
        office_service.unlock_account(s, office.supervisor, office.kiosk.account_id)
    unlock(office, "739154")


def test_an_old_short_pin_still_opens_but_is_flagged(office):
    with office.session() as s:
        s.get(OfficeProfile, office.office_id).kiosk_pin_hash = office_service.hash_password("7391")
    unlock(office, "7391")
    with office.session() as s:
        assert kiosk.kiosk_pin_is_old(s, office.office_id)  # cannot be rehashed into the 6-digit rule


def test_an_old_pin_of_six_digits_gets_the_slow_hash_when_used(office):
    with office.session() as s:
        s.get(OfficeProfile, office.office_id).kiosk_pin_hash = office_service.hash_password("739154")
    unlock(office, "739154")
    with office.session() as s:
        assert not kiosk.kiosk_pin_is_old(s, office.office_id)
        assert s.get(OfficeProfile, office.office_id).kiosk_pin_hash.startswith(f"scrypt{kiosk.PIN_COST}$")
    unlock(office, "739154")


# --- the entry ---------------------------------------------------------------------------------------

def test_a_valid_entry_has_no_errors():
    assert kiosk.check_entry(visitor_answers(), PAID, "") == {}


def test_every_broken_field_is_named_at_once():
    answers = visitor_answers(full_name="", email="rahmat@", phone="0812abc5678", birth_year="2999",
                              occupation="Lainnya", occupation_other="", consent=False)
    errors = kiosk.check_entry(answers, "Lainnya", "")
    assert list(errors) == ["full_name", "birth_year", "phone", "email", "occupation_other", "consent",
                            "purpose_other"]
    assert errors["birth_year"].message("id").startswith("Tahun Lahir harus antara ")
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


def test_returning_visitor_lookup_gives_the_kiosk_no_personal_data(office):
    with office.session() as s:
        kiosk.register(s, office.kiosk, visitor_answers(), PAID)
    with office.session() as s:
        by_phone = kiosk.returning_visitor(s, office.kiosk, "0812-4321-5678")
        by_email = kiosk.returning_visitor(s, office.kiosk, "rahmat@unpatti.ac.id")
        assert kiosk.returning_visitor(s, office.kiosk, "orang@lain.id") is None
    assert [f.name for f in fields(by_phone)] == ["visitor_id", "short_name", "contact", "id_document_type"]
    assert (by_phone.short_name, by_phone.contact, by_phone.id_document_type) == (
        "Rahmat H.", guestbook.mask_identity("081243215678"), "KTP")
    assert by_email.contact == "ra***@unpatti.ac.id" and by_email.visitor_id == by_phone.visitor_id
    shown = repr(by_phone) + repr(by_email)
    for secret in ("Hidayat", "081243215678", "rahmat@", "8171011505830001", "Pattimura", "1983"):
        assert secret not in shown


def test_a_returning_visitor_registers_again_with_only_todays_answers(office):
    with office.session() as s:
        first = kiosk.register(s, office.kiosk, visitor_answers(), "Konsultasi Statistik")
    with office.session() as s:
        found = kiosk.returning_visitor(s, office.kiosk, "081243215678")
    with office.session() as s:
        again = kiosk.register(s, office.kiosk, {"consent": True}, PAID, visitor_id=found.visitor_id)
    assert (again.queue_code, again.visitor) == ("B-001", "Rahmat H.")  # the document on record serves
    with office.session() as s:
        person = s.get(Visitor, found.visitor_id)
        assert (person.full_name, person.id_document_number) == ("Rahmat Hidayat", "8171011505830001")
        assert s.get(Visit, again.visit_id).visitor_id == s.get(Visit, first.visit_id).visitor_id
    assert counts(office) == (1, 2)
    with office.session() as s, pytest.raises(ValidationError) as no_consent:
        kiosk.register(s, office.kiosk, {}, PAID, visitor_id=found.visitor_id)
    assert no_consent.value.field == "consent"
    with office.session() as s:
        kiosk.register(s, office.kiosk, {"consent": True, "id_document_type": "Paspor",
                                         "id_document_number": "A1234567"}, PAID, visitor_id=found.visitor_id)
    with office.session() as s:
        assert s.get(Visitor, found.visitor_id).id_document_number == "A1234567"  # today's replaces it
    with office.session() as s, pytest.raises(NotFound):
        kiosk.register(s, office.kiosk, {"consent": True}, PAID, visitor_id=found.visitor_id + 1)


def test_a_returning_visitor_without_a_document_must_give_one_to_buy(office):
    with office.session() as s:
        kiosk.register(s, office.kiosk, visitor_answers(id_document_type="", id_document_number=""),
                       "Konsultasi Statistik")
    with office.session() as s:
        found = kiosk.returning_visitor(s, office.kiosk, "081243215678")
    assert found.id_document_type == ""
    with office.session() as s, pytest.raises(ValidationError) as refused_sale:
        kiosk.register(s, office.kiosk, {"consent": True}, PAID, visitor_id=found.visitor_id)
    assert refused_sale.value.code == "id_for_sale"
    assert counts(office) == (1, 1)


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

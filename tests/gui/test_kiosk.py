"""The guestbook kiosk driven through its real widgets: a complete registration, each conditional
question, each kind of bad input, the masked identity number, the double tap, the returning visitor."""

# ruff: noqa: F811  (the kiosk_window fixture is imported from the driver and requested by name)
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from sqlalchemy import func, select

from models import Visit, Visitor, VisitStatus
from pstdesktop.services import kiosk
from pstdesktop.services.guestbook import mask_identity
from tests.conftest import visitor_answers
from tests.gui.kiosk_driver import (  # noqa: F401  (kiosk_window is a fixture)
    PAID,
    choose,
    fill_about,
    fill_contact,
    fill_origin,
    fill_purpose,
    find,
    kiosk_window,
    next_step,
    pick,
    register,
    step,
    tap_named,
    type_into,
)


def stored(office) -> tuple[int, int]:
    with office.session() as s:
        return s.scalar(select(func.count(Visitor.id))), s.scalar(select(func.count(Visit.id)))


def only_visit(office) -> tuple[Visit, Visitor]:
    with office.session() as s:
        visit = s.scalars(select(Visit)).one()
        return visit, visit.visitor


def error_of(window, field: str) -> str:
    label = find(window, QLabel, f"error_{field}")
    return label.text() if label.isVisible() else ""


def marked(window, field: str) -> bool:
    box = window.form.boxes[field]
    return bool(box.control.property("invalid"))


def test_complete_registration_gives_a_queue_number_and_stores_the_entry(qtbot, kiosk_window, office, tmp_path):
    w = kiosk_window()
    register(qtbot, w, visitor_answers())
    assert w.stack.currentWidget() is w.ticket_page
    assert find(w, QLabel, "ticketCode").text() == "B-001"
    assert "Pembelian Produk Statistik Berbayar" in find(w, QLabel, "ticketPurpose").text()
    visit, person = only_visit(office)
    assert (visit.queue_code, visit.status, visit.purpose) == ("B-001", VisitStatus.WAITING, PAID)
    expected = visitor_answers()
    for key in ("full_name", "gender", "institution", "phone", "email", "occupation", "birth_year", "education",
                "country", "province", "regency", "has_disability", "id_document_type", "id_document_number"):
        assert getattr(person, key) == expected[key], key
    assert person.consent_at is not None
    # no printer in the test machine: the ticket PDF is kept in tickets/ and the visitor is told
    qtbot.waitUntil(lambda: find(w, QLabel, "ticketPrintStatus").isVisible())
    assert "Printer tidak tersedia" in find(w, QLabel, "ticketPrintStatus").text()
    saved = list((tmp_path / "tickets").glob("*-B-001.pdf"))
    assert len(saved) == 1 and saved[0].read_bytes().startswith(b"%PDF")
    # the form was wiped at once: nothing of this visitor is left in it
    assert all(e.text() == "" for e in w.form.findChildren(QLineEdit))


def test_a_second_visitor_gets_the_next_number(qtbot, kiosk_window, office):
    w = kiosk_window()
    register(qtbot, w, visitor_answers())
    qtbot.waitUntil(lambda: find(w, QWidget, "ticketDone").isEnabled())
    tap_named(qtbot, w, "ticketDone")
    assert w.stack.currentWidget() is w.welcome
    register(qtbot, w, visitor_answers(full_name="Siti Nurhaliza", phone="082198761234", email="siti@contoh.id",
                                       gender="Perempuan"))
    assert find(w, QLabel, "ticketCode").text() == "B-002"
    assert "1 orang menunggu" in find(w, QLabel, "ticketAhead").text()
    assert stored(office) == (2, 2)


def test_double_tap_on_submit_registers_one_visit(qtbot, kiosk_window, office):
    w = kiosk_window()
    register(qtbot, w, visitor_answers())
    # the second tap of a double tap lands where the submit button was, or on the button itself
    button = w.form.submit_button
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=button.mapTo(w, button.rect().center()))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    w.form.submit()
    assert stored(office) == (1, 1)
    assert find(w, QLabel, "ticketCode").text() == "B-001"
    assert not find(w, QWidget, "ticketDone").isEnabled()  # nor can it dismiss the number by accident


# --- conditional questions --------------------------------------------------------------------------

def test_occupation_other_is_asked_only_for_lainnya(qtbot, kiosk_window, office):
    w = kiosk_window()
    tap_named(qtbot, w, "guestbookWelcomeStart")
    fill_about(qtbot, w, visitor_answers())
    next_step(qtbot, w)
    other = find(w, QLineEdit, "field_occupation_other")
    assert not other.isVisible()
    fill_contact(qtbot, w, visitor_answers(occupation="Lainnya"))
    assert other.isVisible()
    next_step(qtbot, w)
    assert step(w) == 1 and marked(w, "occupation_other")
    assert error_of(w, "occupation_other") == "Pekerjaan (Lainnya) wajib diisi."
    type_into(qtbot, w, "occupation_other", "Guru honorer")
    assert error_of(w, "occupation_other") == ""  # the mark goes as soon as the visitor types
    next_step(qtbot, w)
    fill_origin(qtbot, w, visitor_answers())
    next_step(qtbot, w)
    fill_purpose(qtbot, w, visitor_answers(), PAID)
    tap_named(qtbot, w, "submitButton")
    _visit, person = only_visit(office)
    assert (person.occupation, person.occupation_other) == ("Lainnya", "Guru honorer")


def test_switching_occupation_back_hides_and_empties_the_other_text(qtbot, kiosk_window):
    w = kiosk_window()
    tap_named(qtbot, w, "guestbookWelcomeStart")
    w.form.show_step(1)
    fill_contact(qtbot, w, visitor_answers(occupation="Lainnya", occupation_other="Guru"))
    choose(qtbot, w, "occupation", "Wiraswasta")
    assert not find(w, QLineEdit, "field_occupation_other").isVisible()
    assert w.form.answers()["occupation_other"] == ""


def test_province_only_for_indonesia(qtbot, kiosk_window, office):
    w = kiosk_window()
    answers = visitor_answers(country="Belanda", province="", regency="Leiden", phone="+31612345678",
                              id_document_type="Paspor", id_document_number="NX1234567")
    tap_named(qtbot, w, "guestbookWelcomeStart")
    fill_about(qtbot, w, answers)
    next_step(qtbot, w)
    fill_contact(qtbot, w, answers)
    next_step(qtbot, w)
    province = find(w, QWidget, "field_province")
    assert province.isVisible()
    pick(qtbot, w, "country", "Negara lain")
    assert not province.isVisible()
    next_step(qtbot, w)  # another country, but which?
    assert error_of(w, "country") == "Negara wajib diisi." and error_of(w, "regency")
    type_into(qtbot, w, "country_name", "Belanda")
    type_into(qtbot, w, "regency", "Leiden")
    next_step(qtbot, w)
    fill_purpose(qtbot, w, answers, PAID)
    tap_named(qtbot, w, "submitButton")
    _visit, person = only_visit(office)
    assert (person.country, person.province, person.regency) == ("Belanda", "", "Leiden")


def test_province_is_preset_to_the_office_and_required_in_indonesia(qtbot, kiosk_window):
    w = kiosk_window()
    tap_named(qtbot, w, "guestbookWelcomeStart")
    w.form.show_step(2)
    assert w.form.province.value() == "Maluku"  # the office is BPS Provinsi Maluku (8100)
    w.form.province.setCurrentIndex(0)  # "— pilih —"
    type_into(qtbot, w, "regency", "Kota Ambon")
    next_step(qtbot, w)
    assert step(w) == 2 and marked(w, "province")
    assert error_of(w, "province") == "Provinsi wajib diisi."


def test_disability_type_only_when_yes(qtbot, kiosk_window, office):
    w = kiosk_window()
    tap_named(qtbot, w, "guestbookWelcomeStart")
    kind = find(w, QWidget, "field_disability_type")
    fill_about(qtbot, w, visitor_answers(has_disability=True))
    assert kind.isVisible()
    next_step(qtbot, w)
    assert step(w) == 0 and error_of(w, "disability_type") == "Tipe Disabilitas wajib diisi."
    pick(qtbot, w, "has_disability", "Tidak")
    assert not kind.isVisible()
    pick(qtbot, w, "has_disability", "Ya")
    pick(qtbot, w, "disability_type", "Sensorik")
    next_step(qtbot, w)
    assert step(w) == 1
    fill_contact(qtbot, w, visitor_answers())
    next_step(qtbot, w)
    fill_origin(qtbot, w, visitor_answers())
    next_step(qtbot, w)
    fill_purpose(qtbot, w, visitor_answers(), PAID)
    tap_named(qtbot, w, "submitButton")
    _visit, person = only_visit(office)
    assert (person.has_disability, person.disability_type) == (True, "Sensorik")


def test_purpose_other_asks_for_text_and_gets_queue_letter_e(qtbot, kiosk_window, office):
    w = kiosk_window()
    register(qtbot, w, visitor_answers(), purpose="Lainnya")
    assert w.stack.currentWidget() is w.form
    assert error_of(w, "purpose_other") == "Keperluan (Lainnya) wajib diisi."
    type_into(qtbot, w, "purpose_other", "Wawancara media tentang inflasi")
    tap_named(qtbot, w, "submitButton")
    visit, _person = only_visit(office)
    assert (visit.queue_code, visit.purpose_other) == ("E-001", "Wawancara media tentang inflasi")


def test_paid_products_need_the_identity_document(qtbot, kiosk_window, office):
    w = kiosk_window()
    register(qtbot, w, visitor_answers(id_document_type="", id_document_number=""))
    assert w.stack.currentWidget() is w.form and marked(w, "id_document_type")
    assert error_of(w, "id_document_type") == (
        "Jenis Identitas wajib diisi untuk pembelian produk statistik berbayar.")
    assert stored(office) == (0, 0)


def test_identity_number_is_masked_once_typed(qtbot, kiosk_window, office):
    w = kiosk_window()
    tap_named(qtbot, w, "guestbookWelcomeStart")
    w.form.show_step(3)
    choose(qtbot, w, "id_document_type", "KTP")
    number = find(w, QLineEdit, "field_id_document_number")
    qtbot.keyClicks(number, "8171011505830001")
    qtbot.keyClick(number, "\r")
    assert number.text() == "8171********0001"
    assert w.form.answers()["id_document_number"] == "8171011505830001"


# --- bad input ---------------------------------------------------------------------------------------

BAD_INPUT = [
    ("email", {"email": "rahmat@unpatti"}, 1, "Email bukan alamat email yang benar."),
    ("phone", {"phone": "0812abc45678"}, 1, "Nomor HP hanya boleh berisi angka (boleh diawali +), 8-15 digit."),
    ("birth_year", {"birth_year": "2999"}, 0, "Tahun Lahir harus antara "),
    ("birth_year", {"birth_year": "2026"}, 0, "Tahun Lahir harus antara "),  # a newborn is no visitor
    ("birth_year", {"birth_year": "1899"}, 0, "Tahun Lahir harus antara "),
    ("full_name", {"full_name": "A" * 2000}, 0, "Nama Lengkap terlalu panjang (paling banyak 120 karakter)."),
    ("full_name", {"full_name": "Rahmat \U0001F600"}, 0, "Nama Lengkap berisi karakter yang tidak diizinkan."),
    ("institution", {"institution": "Unpatti \u2764\ufe0f"}, 1, "Asal Instansi berisi karakter yang tidak diizinkan."),
    ("full_name", {"full_name": "   "}, 0, "Nama Lengkap wajib diisi."),
    ("regency", {"regency": ""}, 2, "Kabupaten/Kota wajib diisi."),
    ("education", {"education": ""}, 0, "Pendidikan Tertinggi wajib diisi."),
    ("gender", {"gender": ""}, 0, "Jenis Kelamin wajib diisi."),
]


@pytest.mark.parametrize("field, change, at_step, message", BAD_INPUT,
                         ids=[f"{f}-{i}" for i, (f, *_r) in enumerate(BAD_INPUT)])
def test_bad_input_marks_the_field_says_what_to_fix_and_stores_nothing(qtbot, kiosk_window, office, field,
                                                                       change, at_step, message):
    w = kiosk_window()
    tap_named(qtbot, w, "guestbookWelcomeStart")
    answers = visitor_answers(**change)
    for index, fill in enumerate((fill_about, fill_contact, fill_origin)):
        fill(qtbot, w, answers)
        next_step(qtbot, w)
        if index == at_step:
            break
    assert step(w) == at_step
    assert marked(w, field)
    assert error_of(w, field).startswith(message)
    assert find(w, QLabel, "formMessage").isVisible()
    assert stored(office) == (0, 0)


def test_empty_form_submit_marks_the_first_step_and_stores_nothing(qtbot, kiosk_window, office):
    w = kiosk_window()
    tap_named(qtbot, w, "guestbookWelcomeStart")
    w.form.show_step(3)
    tap_named(qtbot, w, "submitButton")
    assert step(w) == 0
    for field in ("full_name", "gender", "birth_year", "education", "has_disability"):
        assert error_of(w, field).endswith("wajib diisi."), field
    assert stored(office) == (0, 0)


def test_consent_is_required(qtbot, kiosk_window, office):
    w = kiosk_window()
    register(qtbot, w, visitor_answers(consent=False))
    assert error_of(w, "consent") == "Persetujuan pemrosesan data pribadi wajib diisi."
    assert stored(office) == (0, 0)
    tap_named(qtbot, w, "submitButton")
    assert stored(office) == (0, 0)


# --- returning visitor -------------------------------------------------------------------------------

def look_up(qtbot, w, key: str) -> None:
    tap_named(qtbot, w, "guestbookWelcomeAlternative")
    qtbot.keyClicks(find(w, QLineEdit, "returningLookupField"), key)
    tap_named(qtbot, w, "returningLookupButton")


def test_returning_visitor_is_greeted_without_personal_data_and_only_confirms(qtbot, kiosk_window, office):
    with office.session() as s:
        first = kiosk.register(s, office.kiosk, visitor_answers(), "Konsultasi Statistik")
    w = kiosk_window()
    look_up(qtbot, w, "rahmat@unpatti.ac.id")
    assert w.stack.currentWidget() is w.form and step(w) == 3
    summary = find(w, QLabel, "returningSummary").text()
    assert "Rahmat H." in summary and "ra***@unpatti.ac.id" in summary and "KTP" in summary
    filled = [e.text() for e in w.form.findChildren(QLineEdit) if e.text()]
    assert filled == []  # nothing of the stored record reaches the kiosk's fields
    fill_purpose(qtbot, w, visitor_answers(id_document_type=""), PAID)  # the KTP on record serves the sale
    tap_named(qtbot, w, "submitButton")
    assert find(w, QLabel, "ticketCode").text() == "B-001"
    with office.session() as s:
        visits = list(s.scalars(select(Visit).order_by(Visit.id)))
        person = s.get(Visitor, visits[1].visitor_id)
        assert s.scalar(select(func.count(Visitor.id))) == 1  # the same person, not a new entry
    assert visits[0].id == first.visit_id and visits[0].visitor_id == visits[1].visitor_id
    assert (person.full_name, person.phone, person.id_document_number) == (
        "Rahmat Hidayat", "081243215678", "8171011505830001")


def test_returning_visitor_whose_stored_number_is_now_refused_is_asked_to_update(qtbot, kiosk_window, office):
    with office.session() as s:
        first = kiosk.register(s, office.kiosk, visitor_answers(), "Konsultasi Statistik")
        s.get(Visitor, s.get(Visit, first.visit_id).visitor_id).id_document_number = "12345abc"  # before the NIK rule
    w = kiosk_window()
    look_up(qtbot, w, "rahmat@unpatti.ac.id")
    fill_purpose(qtbot, w, visitor_answers(id_document_type=""), PAID)
    tap_named(qtbot, w, "submitButton")
    banner = find(w, QLabel, "formMessage")
    assert banner.isVisible() and banner.text().startswith("Data Anda yang tersimpan perlu diperbarui: Nomor "
                                                           "Identitas: NIK pada KTP harus tepat 16 digit angka.")
    assert "Isi ulang data diri" in banner.text() and w.stack.currentWidget() is w.form
    tap_named(qtbot, w, "editDetailsButton")
    assert step(w) == 0 and not banner.isVisible()


def test_returning_visitor_without_a_document_gives_one_to_buy(qtbot, kiosk_window, office):
    with office.session() as s:
        kiosk.register(s, office.kiosk, visitor_answers(id_document_type="", id_document_number=""),
                       "Konsultasi Statistik")
    w = kiosk_window()
    look_up(qtbot, w, "081243215678")
    assert mask_identity("081243215678") in find(w, QLabel, "returningSummary").text()
    fill_purpose(qtbot, w, visitor_answers(id_document_type=""), PAID)
    tap_named(qtbot, w, "submitButton")
    assert error_of(w, "id_document_type").startswith("Jenis Identitas wajib diisi")
    fill_purpose(qtbot, w, visitor_answers(consent=False), "")
    tap_named(qtbot, w, "submitButton")
    assert find(w, QLabel, "ticketCode").text() == "B-001"
    with office.session() as s:
        assert s.scalar(select(Visitor.id_document_number)) == "8171011505830001"


def test_returning_visitor_may_enter_every_detail_again(qtbot, kiosk_window, office):
    with office.session() as s:
        kiosk.register(s, office.kiosk, visitor_answers(), "Konsultasi Statistik")
    w = kiosk_window()
    look_up(qtbot, w, "081243215678")
    tap_named(qtbot, w, "editDetailsButton")
    assert step(w) == 0 and find(w, QLineEdit, "field_full_name").text() == ""
    changed = visitor_answers(institution="BAPPEDA Provinsi Maluku", id_document_type="")
    fill_about(qtbot, w, changed)
    next_step(qtbot, w)
    fill_contact(qtbot, w, changed)
    next_step(qtbot, w)
    fill_origin(qtbot, w, changed)
    next_step(qtbot, w)
    assert "Data diri baru Anda" in find(w, QLabel, "returningSummary").text()
    fill_purpose(qtbot, w, changed, "Konsultasi Statistik")
    tap_named(qtbot, w, "submitButton")
    assert find(w, QLabel, "ticketCode").text() == "C-002"
    with office.session() as s:
        person = s.scalars(select(Visitor)).one()
    assert (person.institution, person.id_document_type) == ("BAPPEDA Provinsi Maluku", "KTP")


def test_returning_visitor_not_found_is_offered_the_new_visitor_form(qtbot, kiosk_window):
    w = kiosk_window()
    tap_named(qtbot, w, "guestbookWelcomeAlternative")
    qtbot.keyClicks(find(w, QLineEdit, "returningLookupField"), "081299999999")
    tap_named(qtbot, w, "returningLookupButton")
    assert "Data tidak ditemukan" in find(w, QLabel, "returningLookupMessage").text()
    tap_named(qtbot, w, "returningLookupAlternative")
    assert w.stack.currentWidget() is w.form and step(w) == 0
    assert find(w, QLineEdit, "field_full_name").text() == ""


def test_language_switch_and_back_to_indonesian_for_the_next_visitor(qtbot, kiosk_window):
    w = kiosk_window(idle_ms=400)
    tap_named(qtbot, w, "guestbookWelcomeStart")
    next_step(qtbot, w)
    assert error_of(w, "full_name") == "Nama Lengkap wajib diisi."
    tap_named(qtbot, w, "languageSwitch")  # a foreign researcher switches half-way: the refusals follow
    assert error_of(w, "full_name") == "Full name is required."
    assert find(w, QLabel, "formMessage").text().startswith("Please check")
    assert find(w, QLabel, "label_education").text() == "Highest education"
    assert find(w, QWidget, "field_education").currentText() == "— choose —"
    assert find(w, QWidget, "languageSwitch").text() == "Bahasa Indonesia"
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.welcome, timeout=3000)
    assert find(w, QWidget, "languageSwitch").text() == "English"
    assert find(w, QWidget, "guestbookWelcomeStart").text() == "Isi buku tamu"

"""Staff forms refuse like the kiosk: every problem at once in screen order, the fields marked in red,
a mark gone as soon as its field is edited, nothing saved while a problem remains; closing a form with
changes asks first, and "No" keeps what was typed."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from sqlalchemy import func, select

from models import Account, OfficeProfile, ServiceRequest, Visitor
from pstdesktop.services.office import check_account, check_setup
from tests.conftest import PASSWORD
from tests.gui.modal import on_modal
from ui.admin.account_forms import NewAccountForm, PasswordForm
from ui.forms import GuardedDialog
from ui.office_setup import SetupDialog
from ui.officer.wizard import RequestWizard

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def _closed_quietly(qtbot):
    """The forms are closed here, not by pytest-qt: a form left with changes (a failed test) would wait
    on its "Buang perubahan?" box."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, GuardedDialog):
            widget.unsaved = None
            widget.close()
            widget.deleteLater()


def marked(widget: QWidget) -> bool:
    return bool(widget.property("invalid"))


def field(parent, name: str, kind=QLineEdit):
    widget = parent.findChild(kind, name)
    assert widget is not None, name
    return widget


def text_of(parent, name: str) -> str:
    label = parent.findChild(QLabel, name)
    return label.text() if label.isVisible() else ""


def in_order(text: str, *parts: str) -> bool:
    """Every part is in ``text``, one after the other."""
    at = [text.find(part) for part in parts]
    return -1 not in at and at == sorted(at)


def answer_discard(qtbot, yes: bool, seen: list) -> None:
    """Answer the "Buang perubahan?" box the next action opens (and note that it was asked)."""

    def act(box: QMessageBox):
        seen.append((box.objectName(), box.defaultButton() is box.button(QMessageBox.StandardButton.No)))
        box.button(QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No).click()

    on_modal(act, QMessageBox)


# ---- the services: every problem, keyed by field in form order -------------------------------------

def test_the_setup_check_names_every_problem_in_form_order():
    errors = check_setup({"name": "", "unit_code": "15A1", "city": "Jambi", "treasurer_nip": "123",
                          "time_zone": "WIB"}, "", "Kepala PST", "abc", "abd")
    assert list(errors) == ["name", "unit_code", "treasurer_nip", "username", "password", "repeat"]
    assert check_setup({"name": "BPS Kota Jambi", "unit_code": "1571", "city": "Jambi", "time_zone": "WIB"},
                       "kepala", "Kepala PST", PASSWORD, PASSWORD) == {}


def test_the_account_check_finds_a_taken_username_and_a_short_nip(office):
    with office.session() as s:
        errors = check_account(s, office.supervisor.office_id, "Petugas", "", PASSWORD, PASSWORD, nip="1990")
    assert list(errors) == ["username", "full_name", "nip"]
    assert errors["username"].code == "duplicate" and errors["nip"].code == "digits"


# ---- first-run setup ----------------------------------------------------------------------------

def test_setup_shows_all_problems_marks_the_fields_and_clears_a_fixed_one(qtbot, sqlite_db, recovery_codes):
    dialog = SetupDialog(sqlite_db)
    dialog.show()
    for key, value in (("unit_code", "15A1"), ("city", "Jambi"), ("treasurer_nip", "123"),
                       ("full_name", "Kepala PST"), ("password", "abc"), ("repeat", "abd")):
        qtbot.keyClicks(field(dialog, f"setup_{key}"), value)
    save = field(dialog, "setupSave", QPushButton)
    qtbot.mouseClick(save, LEFT)
    shown = text_of(dialog, "setupMessage")
    assert in_order(shown, "Nama kantor wajib diisi", "Kode unit BPS", "NIP Bendahara", "Nama pengguna wajib",
                    "Kata sandi paling sedikit", "Ulangan kata sandi")
    refused = ("name", "unit_code", "treasurer_nip", "username", "password", "repeat")
    assert all(marked(field(dialog, f"setup_{key}")) for key in refused)
    assert not marked(field(dialog, "setup_city")) and not marked(field(dialog, "setup_full_name"))
    assert "4 digit" in field(dialog, "setup_unit_code").toolTip()
    assert "4 digit" in field(dialog, "setup_unit_code").accessibleDescription()
    assert dialog.focusWidget() is field(dialog, "setup_name")
    assert field(dialog, "setup_password").text() == ""  # a mismatch: both are typed again

    unit = field(dialog, "setup_unit_code")
    unit.clear()
    qtbot.keyClicks(unit, "1571")
    assert not marked(unit) and unit.toolTip() == ""
    assert "Kode unit BPS" not in text_of(dialog, "setupMessage")
    assert marked(field(dialog, "setup_name")) and "Nama kantor" in text_of(dialog, "setupMessage")
    with sqlite_db.unit_of_work() as s:
        assert s.scalar(select(func.count(OfficeProfile.id))) == 0

    for key, value in (("name", "BPS Kota Jambi"), ("username", "kepala"), ("password", PASSWORD),
                       ("repeat", PASSWORD)):
        qtbot.keyClicks(field(dialog, f"setup_{key}"), value)
    field(dialog, "setup_treasurer_nip").clear()
    assert text_of(dialog, "setupMessage") == ""  # every problem fixed: the list is gone
    qtbot.mouseClick(save, LEFT)
    with sqlite_db.unit_of_work() as s:
        assert s.scalar(select(OfficeProfile.name)) == "BPS Kota Jambi"
    assert len(recovery_codes) == 1


def test_closing_setup_with_changes_asks_and_no_keeps_the_data(qtbot, sqlite_db):
    dialog = SetupDialog(sqlite_db)
    dialog.show()
    qtbot.keyClicks(field(dialog, "setup_name"), "BPS Kota Jambi")
    seen: list = []
    answer_discard(qtbot, False, seen)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert seen == [("discardBox", True)]  # asked, with "No" the default
    assert dialog.isVisible() and field(dialog, "setup_name").text() == "BPS Kota Jambi"
    answer_discard(qtbot, True, seen)
    dialog.reject()
    assert len(seen) == 2 and not dialog.isVisible()


def test_closing_an_untouched_form_does_not_ask(qtbot, sqlite_db):
    dialog = SetupDialog(sqlite_db)
    dialog.show()
    dialog.reject()  # a question here would block the test
    assert not dialog.isVisible()


# ---- accounts -----------------------------------------------------------------------------------

def test_new_account_marks_every_problem_and_saves_nothing(qtbot, office):
    form = NewAccountForm(office.db, office.supervisor)
    form.show()
    for name, value in (("newAccountUsername", "Petugas"), ("newAccountNip", "1990"),
                        ("newAccountPassword", "abc"), ("newAccountRepeat", "abd")):
        qtbot.keyClicks(field(form, name), value)
    with office.session() as s:
        before = s.scalar(select(func.count(Account.id)))
    qtbot.mouseClick(field(form, "newAccountOk", QPushButton), LEFT)
    shown = text_of(form, "newAccountMessage")
    assert in_order(shown, "Nama pengguna 'petugas' sudah dipakai", "Nama Lengkap wajib diisi",
                    "NIP harus tepat 18 digit", "Kata sandi paling sedikit", "Ulangan kata sandi")
    names = ("newAccountUsername", "newAccountFullName", "newAccountNip", "newAccountPassword", "newAccountRepeat")
    assert all(marked(field(form, name)) for name in names)
    qtbot.keyClicks(field(form, "newAccountNip"), "01012015032001")
    assert not marked(field(form, "newAccountNip")) and "NIP" not in text_of(form, "newAccountMessage")
    assert marked(field(form, "newAccountFullName"))
    with office.session() as s:
        assert s.scalar(select(func.count(Account.id))) == before
    assert form.isVisible()


def test_a_new_password_that_is_weak_and_mistyped_shows_both(qtbot, office):
    form = PasswordForm(office.db, office.supervisor, office.officer.account_id, "petugas")
    form.show()
    qtbot.keyClicks(field(form, "resetPasswordNew"), "petugas2026")
    qtbot.keyClicks(field(form, "resetPasswordRepeat"), "petugas2025")
    qtbot.mouseClick(field(form, "resetPasswordOk", QPushButton), LEFT)
    assert in_order(text_of(form, "resetPasswordMessage"), "mudah ditebak", "Ulangan kata sandi")
    assert marked(field(form, "resetPasswordNew")) and marked(field(form, "resetPasswordRepeat"))
    assert form.isVisible()


# ---- the request wizard -------------------------------------------------------------------------

def online_wizard(qtbot, office) -> RequestWizard:
    wizard = RequestWizard(office.db, office.officer, online_mode=True)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def test_the_online_requester_form_shows_every_problem_in_screen_order(qtbot, office):
    wizard = online_wizard(qtbot, office)
    qtbot.keyClicks(field(wizard, "requesterEmail"), "bukan-email")
    qtbot.mouseClick(field(wizard, "wizardNext", QPushButton), LEFT)
    shown = text_of(wizard, "wizardMessage")
    assert in_order(shown, "Nama Lengkap wajib diisi", "Jenis Kelamin wajib diisi", "Asal Instansi",
                    "Nomor HP", "Email bukan alamat email", "Pekerjaan wajib", "Pendidikan Tertinggi",
                    "Kabupaten/Kota", "Persetujuan")
    for name in ("requesterName", "requesterPhone", "requesterEmail", "requesterRegency"):
        assert marked(field(wizard, name)), name
    assert marked(field(wizard, "requesterConsent", QWidget))
    assert wizard.index == 0
    qtbot.keyClicks(field(wizard, "requesterName"), "Siti Rahmawati")
    assert not marked(field(wizard, "requesterName"))
    assert "Nama Lengkap" not in text_of(wizard, "wizardMessage") and "Email" in text_of(wizard, "wizardMessage")
    with office.session() as s:
        assert s.scalar(select(func.count(Visitor.id))) == 0
        assert s.scalar(select(func.count(ServiceRequest.id))) == 0


def test_closing_the_wizard_with_typed_data_asks_first(qtbot, office):
    wizard = online_wizard(qtbot, office)
    close = field(wizard, "wizardClose", QPushButton)
    qtbot.keyClicks(field(wizard, "requesterName"), "Siti Rahmawati")
    seen: list = []
    answer_discard(qtbot, False, seen)
    qtbot.mouseClick(close, LEFT)
    assert seen == [("discardBox", True)]
    assert wizard.isVisible() and field(wizard, "requesterName").text() == "Siti Rahmawati"
    answer_discard(qtbot, True, seen)
    qtbot.mouseClick(close, LEFT)
    assert len(seen) == 2 and not wizard.isVisible()


def test_closing_the_wizard_without_changes_closes_at_once(qtbot, office):
    wizard = online_wizard(qtbot, office)
    qtbot.mouseClick(field(wizard, "wizardClose", QPushButton), LEFT)
    assert not wizard.isVisible()


def test_an_empty_abstraction_marks_its_field(qtbot, office):
    wizard = online_wizard(qtbot, office)
    wizard.pages[0].find_returning()  # nobody found: the new requester form stays
    form = wizard.pages[0].form
    for edit, value in ((form.full_name, "Siti Rahmawati"), (form.institution, "Universitas Pattimura"),
                        (form.phone, "081234567890"), (form.email, "siti@unpatti.ac.id"),
                        (form.regency, "Kota Ambon"), (form.birth_year, "1990")):
        edit.setText(value)
    for combo in (form.gender, form.occupation, form.education, form.province):
        if combo.currentIndex() <= 0:
            combo.setCurrentIndex(1)
    form.consent.setChecked(True)
    qtbot.mouseClick(field(wizard, "wizardNext", QPushButton), LEFT)
    assert wizard.index == 1, text_of(wizard, "wizardMessage")
    qtbot.mouseClick(field(wizard, "wizardNext", QPushButton), LEFT)
    text = field(wizard, "abstractionText", QPlainTextEdit)
    assert text_of(wizard, "wizardMessage") == "Abstraksi penggunaan data wajib diisi." and marked(text)
    qtbot.keyClicks(text, "Kajian")
    assert not marked(text) and text_of(wizard, "wizardMessage") == ""

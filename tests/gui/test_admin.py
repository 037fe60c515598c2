"""The supervisor's administration screens and the start-up check, driven through the real widgets
(pytest-qt, offscreen). Confirmation boxes are answered by patching the one helper that asks."""

import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTabWidget,
)
from sqlalchemy import func, select

from models import Account, OfficeProfile, Role, Visitor
from pstdesktop import backup
from pstdesktop.bootstrap import open_url
from pstdesktop.config import SETTINGS_FILE, Settings, sqlite_url
from pstdesktop.services import guestbook
from pstdesktop.services.clock import utcnow
from pstdesktop.services.office import login, recover
from tests.conftest import OFFICE, PASSWORD, visitor_answers
from tests.gui.modal import on_modal
from ui.admin import AdminDialog, check_database_file
from ui.admin import accounts as accounts_module
from ui.admin import backups as backups_module
from ui.admin import profile as profile_module
from ui.admin import server as server_module
from ui.admin import startup as startup_module
from ui.office_setup import SetupDialog

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def settings(tmp_path) -> Settings:
    """The settings of the ``sqlite_db`` fixture's database (same file, same backup folder)."""
    return Settings(data_dir=tmp_path, database_url=sqlite_url(tmp_path / "pst.sqlite"))


@pytest.fixture
def answers(monkeypatch):
    """Every confirmation is answered with ``answers.reply``; every information box is recorded."""

    class Answers:
        reply = True
        asked: list[str] = []
        told: list[str] = []

    def ask(_parent, _title, text):
        Answers.asked.append(text)
        return Answers.reply

    def inform(_parent, _title, text, warning=False):
        Answers.told.append(text)

    for module in (profile_module, accounts_module, backups_module, server_module, startup_module):
        monkeypatch.setattr(module, "ask", ask)
        if hasattr(module, "inform"):
            monkeypatch.setattr(module, "inform", inform)
    return Answers


def admin(qtbot, office, settings, actor=None) -> AdminDialog:
    dialog = AdminDialog(office.db, settings, actor or office.supervisor)
    qtbot.addWidget(dialog)
    return dialog


def click(qtbot, widget, name: str) -> None:
    button = widget.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, LEFT)


def show_tab(dialog: AdminDialog, title: str) -> None:
    tabs = dialog.findChild(QTabWidget, "adminTabs")
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == title))
    dialog.show()


def in_modal(qtbot, action) -> None:
    """Run ``action(dialog)`` on the modal dialog the next click opens."""

    on_modal(action)


def message(widget, name: str) -> str:
    return widget.findChild(QLabel, name).text()


def select_account(dialog: AdminDialog, username: str) -> None:
    table = dialog.findChild(QTableWidget, "accountTable")
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == username)
    table.selectRow(row)


# ---- access ---------------------------------------------------------------------------------------

def test_other_roles_are_told_the_menu_is_for_supervisors(qtbot, office, settings):
    for actor in (office.officer, office.treasurer, office.kiosk):
        dialog = admin(qtbot, office, settings, actor)
        assert dialog.findChild(QTabWidget, "adminTabs") is None
        assert "hanya untuk akun supervisor" in message(dialog, "adminMessage")


# ---- Profil kantor --------------------------------------------------------------------------------

def test_profile_with_a_bad_nip_is_refused_and_nothing_changes_then_it_saves(qtbot, office, settings):
    dialog = admin(qtbot, office, settings)
    name, nip = dialog.findChild(QLineEdit, "profile_name"), dialog.findChild(QLineEdit, "profile_treasurer_nip")
    assert name.text() == OFFICE["name"] and nip.text() == OFFICE["treasurer_nip"]
    name.setText("BPS Provinsi Maluku (PST)")
    dialog.findChild(QLineEdit, "profile_treasurer_name").setText("Yosefina Matakena")
    nip.clear()
    qtbot.keyClicks(nip, "19870101")
    dialog.findChild(QSpinBox, "profile_retention_days").setValue(730)
    click(qtbot, dialog, "profileSave")
    assert "NIP Bendahara" in message(dialog, "profileMessage") and "18 digit" in message(dialog, "profileMessage")
    with office.session() as s:
        profile = s.get(OfficeProfile, office.office_id)
        assert (profile.name, profile.treasurer_name, profile.treasurer_nip, profile.retention_days) == (
            OFFICE["name"], OFFICE["treasurer_name"], OFFICE["treasurer_nip"], 1825)
    assert name.text() == "BPS Provinsi Maluku (PST)"  # what was typed stays, so only the NIP needs fixing

    nip.setText("198701012010122001")
    click(qtbot, dialog, "profileSave")
    assert "tersimpan" in message(dialog, "profileMessage")
    with office.session() as s:
        profile = s.get(OfficeProfile, office.office_id)
        assert (profile.name, profile.treasurer_name, profile.treasurer_nip, profile.retention_days) == (
            "BPS Provinsi Maluku (PST)", "Yosefina Matakena", "198701012010122001", 730)


def test_profile_saves_materai_and_billing_validity(qtbot, office, settings):
    dialog = admin(qtbot, office, settings)
    dialog.findChild(QSpinBox, "profile_materai_amount").setValue(12_000)
    dialog.findChild(QSpinBox, "profile_billing_validity_days").setValue(3)
    click(qtbot, dialog, "profileSave")
    with office.session() as s:
        profile = s.get(OfficeProfile, office.office_id)
        assert (profile.materai_amount, profile.billing_validity_days) == (12_000, 3)


def test_choosing_a_unit_fills_the_profile(qtbot, office, settings):
    dialog = admin(qtbot, office, settings)
    assert dialog.profile.picker.choose("1571")
    assert dialog.findChild(QLineEdit, "profile_name").text() == "BPS Kota Jambi"
    assert dialog.findChild(QLineEdit, "profile_city").text() == "Jambi"
    assert dialog.findChild(QComboBox, "profile_time_zone").currentText() == "WIB"


def test_erase_expired_personal_data_says_how_many(qtbot, office, settings, answers):
    with office.session() as s:
        guestbook.register_visit(s, office.kiosk, visitor_answers(full_name="Pengunjung Lama"),
                                 "Konsultasi Statistik", at=utcnow() - timedelta(days=2000))
        guestbook.register_visit(s, office.kiosk, visitor_answers(full_name="Pengunjung Baru", phone="081200002222",
                                                                  id_document_number="8171011505830002"),
                                 "Konsultasi Statistik", at=utcnow() - timedelta(days=3))
    dialog = admin(qtbot, office, settings)
    click(qtbot, dialog, "eraseExpiredButton")
    assert "1825 hari" in answers.asked[-1]
    qtbot.waitUntil(lambda: not dialog.profile.busy, timeout=10_000)
    assert "Data pribadi 1 pengunjung telah dihapus" in message(dialog, "profileMessage")
    with office.session() as s:
        names = set(s.scalars(select(Visitor.full_name)))
    assert "Pengunjung Lama" not in names and "Pengunjung Baru" in names


# ---- Akun -----------------------------------------------------------------------------------------

def test_new_account_refuses_a_mismatched_password_then_can_sign_in(qtbot, office, settings):
    dialog = admin(qtbot, office, settings)
    seen = {}

    def fill(form):
        qtbot.keyClicks(form.findChild(QLineEdit, "newAccountUsername"), "Petugas2")
        qtbot.keyClicks(form.findChild(QLineEdit, "newAccountFullName"), "Nurhayati Tuasikal")
        qtbot.keyClicks(form.findChild(QLineEdit, "newAccountNip"), "199001012015032001")
        role = form.findChild(QComboBox, "newAccountRole")
        role.setCurrentIndex(role.findData(Role.TREASURER))
        qtbot.keyClicks(form.findChild(QLineEdit, "newAccountPassword"), "sandi-baru-1")
        qtbot.keyClicks(form.findChild(QLineEdit, "newAccountRepeat"), "sandi-baru-2")
        qtbot.mouseClick(form.findChild(QPushButton, "newAccountOk"), LEFT)
        seen["refused"] = form.isVisible() and message(form, "newAccountMessage")
        with office.session() as s:
            seen["count"] = s.scalar(select(func.count(Account.id)))
        repeat = form.findChild(QLineEdit, "newAccountRepeat")
        repeat.clear()
        qtbot.keyClicks(repeat, "sandi-baru-1")
        qtbot.mouseClick(form.findChild(QPushButton, "newAccountOk"), LEFT)

    in_modal(qtbot, fill)
    click(qtbot, dialog, "newAccountButton")
    assert "Ulangan kata sandi" in seen["refused"] and seen["count"] == 4
    assert "Akun petugas2 dibuat" in message(dialog, "accountMessage")
    table = dialog.findChild(QTableWidget, "accountTable")
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [
        "bendahara", "kepala", "kiosk", "petugas", "petugas2"]
    assert table.item(4, 3).text() == "Bendahara"
    with office.session() as s:
        actor, error = login(s, "petugas2", "sandi-baru-1")
    assert error == "" and actor.role is Role.TREASURER and actor.name == "Nurhayati Tuasikal"


def test_a_locked_account_is_unlocked(qtbot, office, settings):
    for _ in range(5):
        with office.session() as s:
            login(s, "bendahara", "keliru")
    dialog = admin(qtbot, office, settings)
    table = dialog.findChild(QTableWidget, "accountTable")
    select_account(dialog, "bendahara")
    assert table.item(table.currentRow(), 5).text() == "Ya"
    select_account(dialog, "petugas")
    assert not dialog.findChild(QPushButton, "unlockButton").isEnabled()
    select_account(dialog, "bendahara")
    click(qtbot, dialog, "unlockButton")
    assert "dibuka kuncinya" in message(dialog, "accountMessage")
    assert table.item(table.currentRow(), 5).text() == "-"
    with office.session() as s:
        actor, error = login(s, "bendahara", PASSWORD)
    assert error == "" and actor == office.treasurer


def test_a_new_recovery_code_replaces_the_old_one(qtbot, office, settings, answers, recovery_codes):
    with office.session() as s:
        s.get(OfficeProfile, office.office_id).recovery_hash = ""  # an office set up before recovery codes
    dialog = admin(qtbot, office, settings)
    assert "belum punya kode pemulihan" in message(dialog, "accountMessage")
    click(qtbot, dialog, "recoveryCodeButton")
    assert "Kode lama tidak berlaku" in answers.asked[-1] and len(recovery_codes) == 1
    assert "Kode pemulihan baru dibuat" in message(dialog, "accountMessage")
    with office.session() as s:
        actor, _new = recover(s, "kepala", recovery_codes[0], "Pala-Banda-Neira")
    assert actor == office.supervisor


def test_deactivate_then_reactivate_and_the_supervisor_cannot_lock_themself_out(qtbot, office, settings, answers):
    dialog = admin(qtbot, office, settings)
    select_account(dialog, "petugas")
    click(qtbot, dialog, "activeButton")
    assert "petugas" in answers.asked[-1]
    with office.session() as s:
        assert login(s, "petugas", PASSWORD) == (None, "login_inactive")
    assert dialog.findChild(QPushButton, "activeButton").text() == "Aktifkan kembali"
    click(qtbot, dialog, "activeButton")
    with office.session() as s:
        assert login(s, "petugas", PASSWORD)[1] == ""
    select_account(dialog, "kepala")
    click(qtbot, dialog, "activeButton")
    assert "tidak dapat menonaktifkan" in message(dialog, "accountMessage")


def test_reset_password_and_change_role(qtbot, office, settings):
    dialog = admin(qtbot, office, settings)
    select_account(dialog, "petugas")

    def new_password(form):
        qtbot.keyClicks(form.findChild(QLineEdit, "resetPasswordNew"), "ganti-sandi-77")
        qtbot.keyClicks(form.findChild(QLineEdit, "resetPasswordRepeat"), "ganti-sandi-77")
        qtbot.mouseClick(form.findChild(QPushButton, "resetPasswordOk"), LEFT)

    in_modal(qtbot, new_password)
    click(qtbot, dialog, "resetPasswordButton")

    def new_role(form):
        role = form.findChild(QComboBox, "changeRoleRole")
        role.setCurrentIndex(role.findData(Role.SUPERVISOR))
        qtbot.mouseClick(form.findChild(QPushButton, "changeRoleOk"), LEFT)

    in_modal(qtbot, new_role)
    click(qtbot, dialog, "changeRoleButton")
    with office.session() as s:
        actor, error = login(s, "petugas", "ganti-sandi-77")
    assert error == "" and actor.role is Role.SUPERVISOR


# ---- Cadangan -------------------------------------------------------------------------------------

def test_back_up_now_makes_a_sound_backup_and_the_live_file_is_reported_sound(qtbot, office, settings):
    dialog = admin(qtbot, office, settings)
    show_tab(dialog, "Cadangan")
    qtbot.waitUntil(lambda: "utuh" in message(dialog, "integrityLabel"), timeout=10_000)
    click(qtbot, dialog, "backupNowButton")
    qtbot.waitUntil(lambda: not dialog.backups.busy, timeout=20_000)
    assert "Cadangan dibuat" in message(dialog, "backupMessage")
    table = dialog.findChild(QTableWidget, "backupTable")
    assert table.rowCount() == 1 and table.item(0, 1).text() == "Manual" and table.item(0, 0).text().endswith("WIT")
    taken = backup.listing(settings.backup_dir)
    assert len(taken) == 1 and taken[0].kind == "manual" and backup.integrity_ok(taken[0].path)


def test_restore_from_a_chosen_backup_gives_back_its_data_and_asks_for_a_restart(qtbot, office, settings, answers):
    file = Path(office.db.engine.url.database)
    taken = backup.take(file, settings.backup_dir, "daily")
    office.walk_in()  # recorded after the backup
    dialog = admin(qtbot, office, settings)
    show_tab(dialog, "Cadangan")
    qtbot.waitUntil(lambda: not dialog.backups.busy, timeout=10_000)
    dialog.findChild(QTableWidget, "backupTable").selectRow(0)
    with qtbot.waitSignal(dialog.restart_required, timeout=10_000):
        click(qtbot, dialog, "restoreButton")
    assert "akan dimulai ulang" in answers.told[-1]
    assert any(p.name.startswith("pst.sqlite.replaced-") for p in file.parent.iterdir())
    restored = open_url(sqlite_url(file))
    with restored.unit_of_work() as s:
        assert s.scalar(select(func.count(Visitor.id))) == 0
    restored.dispose()
    assert backup.integrity_ok(taken.path)


# ---- Basis data bersama ---------------------------------------------------------------------------

def fill_server(dialog: AdminDialog, url: str) -> None:
    parts = urlsplit(url)
    dialog.findChild(QLineEdit, "serverHost").setText(parts.hostname)
    dialog.findChild(QSpinBox, "serverPort").setValue(parts.port)
    dialog.findChild(QLineEdit, "serverDatabase").setText(parts.path.lstrip("/"))
    dialog.findChild(QLineEdit, "serverUser").setText(parts.username or "")
    dialog.findChild(QLineEdit, "serverPassword").setText(parts.password or "")


def test_connection_test_to_an_unreachable_server_shows_the_reason(qtbot, office, settings):
    dialog = admin(qtbot, office, settings)
    show_tab(dialog, "Basis data bersama")
    dialog.findChild(QLineEdit, "serverHost").clear()
    click(qtbot, dialog, "testConnectionButton")
    assert "Alamat server wajib diisi" in message(dialog, "serverMessage")
    fill_server(dialog, "postgresql://pst@127.0.0.1:9/pst")
    click(qtbot, dialog, "testConnectionButton")
    qtbot.waitUntil(lambda: not dialog.server.busy, timeout=20_000)
    text = message(dialog, "serverMessage")
    assert text.startswith("Koneksi gagal") and ("127.0.0.1" in text or "refused" in text.lower())


@pytest.mark.postgres
def test_moving_the_data_to_postgresql_copies_the_rows_and_points_settings_at_the_server(
        qtbot, office, settings, answers, postgres_url):
    office.walk_in()
    dialog = admin(qtbot, office, settings)
    show_tab(dialog, "Basis data bersama")
    fill_server(dialog, postgres_url)
    click(qtbot, dialog, "testConnectionButton")
    qtbot.waitUntil(lambda: not dialog.server.busy, timeout=20_000)
    assert message(dialog, "serverMessage").startswith("Koneksi berhasil")
    with qtbot.waitSignal(dialog.restart_required, timeout=120_000):
        click(qtbot, dialog, "moveDataButton")
    assert "baris disalin" in answers.told[-1]
    stored = json.loads((settings.data_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert stored["database_url"].startswith("postgresql://") and urlsplit(postgres_url).path in stored["database_url"]
    server = open_url(stored["database_url"])
    with server.unit_of_work() as s:
        assert s.scalar(select(func.count(Account.id))) == 4
        assert s.scalar(select(func.count(Visitor.id))) == 1
        assert login(s, "kepala", PASSWORD)[1] == ""
    server.dispose()

    again = admin(qtbot, office, settings)  # a second move finds the server database in use
    show_tab(again, "Basis data bersama")
    fill_server(again, postgres_url)
    click(qtbot, again, "moveDataButton")
    qtbot.waitUntil(lambda: not again.server.busy, timeout=60_000)
    assert "sudah berisi data" in message(again, "serverMessage")
    assert "Gabung ke server" in message(again, "serverMessage")  # joining is the way to use it


# ---- start-up check -------------------------------------------------------------------------------

def damage(file: Path) -> None:
    with file.open("r+b") as handle:
        handle.seek(100)
        handle.write(bytes(4096 - 100))


def test_a_damaged_database_is_restored_from_the_newest_good_backup(office, settings, answers):
    file = Path(office.db.engine.url.database)
    backup.take(file, settings.backup_dir, "daily")
    office.db.dispose()
    damage(file)
    assert not backup.integrity_ok(file)
    answers.reply = True
    assert check_database_file(settings, None) is True
    assert "rusak" in answers.asked[-1] and "Pemulihan selesai" not in answers.told[-1]
    assert backup.integrity_ok(file)
    db = open_url(sqlite_url(file))
    with db.unit_of_work() as s:
        assert login(s, "kepala", PASSWORD)[1] == ""
    db.dispose()


def test_declining_the_restore_stops_and_changes_nothing(office, settings, answers):
    file = Path(office.db.engine.url.database)
    backup.take(file, settings.backup_dir, "daily")
    office.db.dispose()
    damage(file)
    damaged = file.read_bytes()
    answers.reply = False
    assert check_database_file(settings, None) is False
    assert file.read_bytes() == damaged


def test_a_damaged_database_without_a_good_backup_is_explained(office, settings, answers):
    file = Path(office.db.engine.url.database)
    office.db.dispose()
    damage(file)
    assert check_database_file(settings, None) is False
    assert "tidak ada cadangan yang utuh" in answers.told[-1] and not answers.asked


def test_a_sound_or_new_database_passes_without_a_question(office, settings, tmp_path, answers):
    assert check_database_file(settings, None) is True
    assert check_database_file(Settings(tmp_path / "new", sqlite_url(tmp_path / "new" / "pst.sqlite")), None)
    assert not answers.asked and not answers.told


# ---- first run ------------------------------------------------------------------------------------

def test_first_run_setup_fills_the_office_from_the_list_of_bps_units(qtbot, sqlite_db, recovery_codes):
    dialog = SetupDialog(sqlite_db)
    qtbot.addWidget(dialog)
    picker = dialog.findChild(QComboBox, "setup_unit")
    assert picker.findText("8100 · BPS Provinsi Maluku") > 0 and picker.findText("1500 · BPS Provinsi Jambi") > 0
    assert picker.choose("8171")
    assert dialog.findChild(QLineEdit, "setup_name").text() == "BPS Kota Ambon"
    assert dialog.findChild(QComboBox, "setup_time_zone").currentText() == "WIT"
    for key, value in (("username", "kepala"), ("full_name", "Kepala PST"), ("password", "rahasia-123"),
                       ("repeat", "rahasia-123")):
        qtbot.keyClicks(dialog.findChild(QLineEdit, f"setup_{key}"), value)
    qtbot.mouseClick(dialog.findChild(QPushButton, "setupSave"), LEFT)
    with sqlite_db.unit_of_work() as s:
        assert s.scalar(select(OfficeProfile.unit_code)) == "8171"
        assert s.scalar(select(OfficeProfile.time_zone)) == "WIT"
        assert s.scalar(select(OfficeProfile.city)) == "Ambon"

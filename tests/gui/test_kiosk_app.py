"""``pst kiosk`` start-up: it acts as the kiosk account or says clearly why it cannot run, asks a
supervisor to set the staff PIN first (or a new one when it is old), and reads the ticket width from
settings.json."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton

from models import Account, OfficeProfile
from pstdesktop.config import Settings
from pstdesktop.services import kiosk
from pstdesktop.services.office import hash_password
from tests.conftest import PASSWORD
from tests.gui.kiosk_driver import quick_pin_hash  # noqa: F401  (a fixture)
from ui.kiosk import app
from ui.kiosk.staff import PinSetupDialog

pytestmark = pytest.mark.usefixtures("quick_pin_hash")


@pytest.fixture
def refusals(monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(app, "_refuse", lambda text: said.append(text) or 1)
    return said


def settings_for(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, database_url="sqlite://")


def test_without_a_kiosk_account_the_kiosk_says_so(qapp, office, tmp_path, refusals):
    with office.session() as s:
        s.get(Account, office.kiosk.account_id).active = False
    assert app.prepare(office.db, settings_for(tmp_path), "guestbook") is None
    assert "Belum ada akun aktif dengan peran Kios" in refusals[0]
    assert "supervisor" in refusals[0]


def test_without_a_pin_a_supervisor_must_set_one(qapp, office, tmp_path, refusals, monkeypatch):
    monkeypatch.setattr(PinSetupDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert app.prepare(office.db, settings_for(tmp_path), "guestbook") is None
    assert "PIN staf belum ditetapkan" in refusals[0]


def test_with_a_pin_the_locked_window_opens_in_the_chosen_mode(qtbot, office, tmp_path, refusals):
    with office.session() as s:
        kiosk.set_kiosk_pin(s, office.supervisor, "246813")
    (tmp_path / "settings.json").write_text(json.dumps({"ticket_width_mm": 80}))
    window = app.prepare(office.db, settings_for(tmp_path), "poll")
    qtbot.addWidget(window)
    assert refusals == []
    assert window.mode == "poll" and window.ticket_width == 80
    assert window.tickets_dir == tmp_path / "tickets"
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    window.may_close = True


@pytest.mark.parametrize("content, home", [({"kiosk_home": "both"}, "both"), ({"kiosk_home": "poll"}, "poll"),
                                           ({"kiosk_home": "lobby"}, "guestbook"), ({}, "guestbook")])
def test_kiosk_home_setting(tmp_path, content, home):
    (tmp_path / "settings.json").write_text(json.dumps(content))
    assert app.kiosk_home(settings_for(tmp_path)) == home


def test_without_a_mode_the_kiosk_opens_as_the_pc_setting_says_and_keeps_what_staff_choose(qtbot, office, tmp_path,
                                                                                            refusals):
    with office.session() as s:
        kiosk.set_kiosk_pin(s, office.supervisor, "246813")
    (tmp_path / "settings.json").write_text(json.dumps({"kiosk_home": "both", "ticket_width_mm": 80}))
    window = app.prepare(office.db, settings_for(tmp_path))
    qtbot.addWidget(window)
    assert window.mode == "both" and window.stack.currentWidget() is window.home
    window.choose_mode("poll")  # from the staff menu, behind the PIN
    assert json.loads((tmp_path / "settings.json").read_text()) == {"kiosk_home": "poll", "ticket_width_mm": 80}
    again = app.prepare(office.db, settings_for(tmp_path), "guestbook")  # ``pst kiosk --mode guestbook`` wins
    qtbot.addWidget(again)
    assert again.mode == "guestbook"
    window.may_close = again.may_close = True


@pytest.mark.parametrize("content, width", [({"ticket_width_mm": 58}, 58), ({"ticket_width_mm": 72}, 58),
                                            ({"ticket_width_mm": "80"}, 80), ({}, 58)])
def test_ticket_width_setting(tmp_path, content, width):
    (tmp_path / "settings.json").write_text(json.dumps(content))
    assert app.ticket_width(settings_for(tmp_path)) == width


def test_pin_setup_dialog_needs_a_supervisor_and_a_valid_pin(qtbot, office):
    dialog = PinSetupDialog(office.db)
    qtbot.addWidget(dialog)
    fields = {k: dialog.findChild(QLineEdit, f"pinSetup_{k}") for k in ("username", "password", "pin", "repeat")}
    save = dialog.findChild(QPushButton, "pinSetupSave")
    message = dialog.findChild(QLabel, "pinSetupMessage")
    for key, value in (("username", "petugas"), ("password", PASSWORD), ("pin", "2468"), ("repeat", "2468")):
        qtbot.keyClicks(fields[key], value)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "tidak berwenang" in message.text()  # an officer may not set it
    fields["username"].clear()
    qtbot.keyClicks(fields["username"], "kepala")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert message.text() == "PIN staf harus 6 sampai 8 digit angka."  # a 4-digit PIN is no longer taken
    for key, value in (("pin", "246813"), ("repeat", "246814")):
        fields[key].clear()
        qtbot.keyClicks(fields[key], value)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert message.text() == "Ulangan PIN tidak sama dengan PIN baru."
    fields["repeat"].clear()
    qtbot.keyClicks(fields["repeat"], "246813")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    with office.session() as s:
        assert s.get(OfficeProfile, office.office_id).kiosk_pin_hash.startswith(f"scrypt{kiosk.PIN_COST}$")
        kiosk.check_kiosk_pin(s, office.kiosk, "246813", "test")


def test_an_old_pin_asks_for_a_new_one_and_later_keeps_it(qtbot, office, tmp_path, refusals, monkeypatch):
    with office.session() as s:
        s.get(OfficeProfile, office.office_id).kiosk_pin_hash = hash_password("2468")
    asked: list[str] = []

    def later(dialog):
        asked.append(dialog.findChild(QLabel, "pinSetupIntro").text())
        assert dialog.findChild(QPushButton, "pinSetupCancel").text() == "Nanti"
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(PinSetupDialog, "exec", later)
    window = app.prepare(office.db, settings_for(tmp_path), "guestbook")
    qtbot.addWidget(window)
    window.may_close = True
    assert refusals == [] and "aturan lama" in asked[0] and "6-8 angka" in asked[0]
    with office.session() as s:
        kiosk.check_kiosk_pin(s, office.kiosk, "2468", "test")  # still opens the kiosk

"""Kiosk lockdown: closing and the escape keys do nothing, a minute without input wipes every field,
and only the hidden gesture plus the staff PIN leaves kiosk mode or switches guestbook and poll."""

# ruff: noqa: F811  (the kiosk_window fixture is imported from the driver and requested by name)
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from models import OfficeProfile
from pstdesktop.services import kiosk
from pstdesktop.services import office as office_service
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import ValidationError
from tests.conftest import PASSWORD, visitor_answers
from tests.gui.kiosk_driver import (  # noqa: F401  (kiosk_window and quick_pin_hash are fixtures)
    fill_about,
    fill_contact,
    find,
    kiosk_window,
    next_step,
    quick_pin_hash,
    register,
    tap,
    tap_named,
)
from tests.shots import shot
from ui.kiosk import window as kiosk_window_module
from ui.kiosk.staff import PinSetupDialog

pytestmark = pytest.mark.usefixtures("quick_pin_hash")
PIN = "482915"


def set_pin(office, pin: str = PIN) -> None:
    with office.session() as s:
        kiosk.set_kiosk_pin(s, office.supervisor, pin)


def assert_wiped(w) -> None:
    """No field anywhere in the kiosk keeps what the previous visitor entered."""
    for edit in w.findChildren(QLineEdit):
        assert edit.text() == "", edit.objectName()
    for box in w.findChildren(QPlainTextEdit):
        assert box.toPlainText() == "", box.objectName()
    for combo in w.findChildren(QComboBox):
        if combo is w.form.province:  # the office's own province is every visitor's preset answer
            assert combo.value() == "Maluku"
        else:
            assert combo.currentIndex() == 0, combo.objectName()
    for check in w.findChildren(QCheckBox):
        assert not check.isChecked(), check.objectName()
    chosen = [b.objectName() for b in w.findChildren(QPushButton) if b.isChecked()]
    assert chosen == ["field_country_0"], chosen  # only the default answer "Indonesia" is preselected
    for label in w.findChildren(QLabel):
        assert not (label.objectName().startswith("error_") and label.text()), label.objectName()
    assert w.form.visitor_id is None and w.form.step == 0
    assert find(w, QLabel, "ticketCode").text() == ""


def test_idle_wipes_every_field_and_returns_to_welcome(qtbot, kiosk_window):
    w = kiosk_window(idle_ms=600)
    tap_named(qtbot, w, "guestbookWelcomeStart")
    fill_about(qtbot, w, visitor_answers(has_disability=True, disability_type="Fisik"))
    next_step(qtbot, w)
    fill_contact(qtbot, w, visitor_answers(occupation="Lainnya", occupation_other="Guru"))
    next_step(qtbot, w)  # still on step 3 with some answers marked
    assert w.stack.currentWidget() is w.form
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.welcome, timeout=5000)
    assert_wiped(w)
    assert w.form.answers()["full_name"] == "" and w.form.answers()["has_disability"] is None


def test_input_keeps_the_kiosk_awake(qtbot, kiosk_window):
    w = kiosk_window(idle_ms=700)
    tap_named(qtbot, w, "guestbookWelcomeStart")
    name = find(w, QLineEdit, "field_full_name")
    for letter in "Rahmat":
        qtbot.wait(250)
        qtbot.keyClicks(name, letter)
    assert w.stack.currentWidget() is w.form and name.text() == "Rahmat"
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.welcome, timeout=5000)
    assert name.text() == ""


def test_idle_wipes_a_returning_visitors_details_and_the_ticket(qtbot, kiosk_window, office):
    with office.session() as s:
        kiosk.register(s, office.kiosk, visitor_answers(), "Konsultasi Statistik")
    w = kiosk_window(idle_ms=800)
    tap_named(qtbot, w, "guestbookWelcomeAlternative")
    qtbot.keyClicks(find(w, QLineEdit, "returningLookupField"), "081243215678")
    tap_named(qtbot, w, "returningLookupButton")
    assert w.form.visitor_id is not None
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.welcome, timeout=5000)
    assert_wiped(w)
    assert find(w, QLabel, "returningSummary").text() == ""


def test_closing_and_escape_keys_do_nothing(qtbot, kiosk_window):
    w = kiosk_window()
    tap_named(qtbot, w, "guestbookWelcomeStart")
    name = find(w, QLineEdit, "field_full_name")
    qtbot.keyClicks(name, "Rahmat")
    assert w.close() is False
    event = QCloseEvent()
    QApplication.sendEvent(w, event)
    assert not event.isAccepted()
    for key, modifiers in ((Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                           (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
                           (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)):
        qtbot.keyClick(name, key, modifiers)
        qtbot.keyClick(w, key, modifiers)
    assert w.isVisible() and w.stack.currentWidget() is w.form and name.text() == "Rahmat"


def test_the_lockdown_holds_only_while_the_kiosk_is_shown(qtbot, kiosk_window):
    w = kiosk_window()
    other = QDialog()
    qtbot.addWidget(other)
    other.show()
    qtbot.keyClick(other, Qt.Key.Key_Escape)
    assert other.isVisible()  # the kiosk on screen: Esc closes nothing, in any window
    w.hide()
    qtbot.keyClick(other, Qt.Key.Key_Escape)
    assert not other.isVisible()  # a hidden kiosk leaves the keys to the other windows


def test_hidden_gesture_needs_five_taps_within_three_seconds(qtbot, kiosk_window, monkeypatch):
    w = kiosk_window()
    corner = find(w, QPushButton, "staffCorner")
    for _ in range(4):
        tap(qtbot, corner)
    assert w.stack.currentWidget() is w.welcome
    monkeypatch.setattr(kiosk_window_module, "GESTURE_SECONDS", 0.2)
    qtbot.wait(300)
    tap(qtbot, corner)  # the earlier four have expired
    assert w.stack.currentWidget() is w.welcome
    monkeypatch.setattr(kiosk_window_module, "GESTURE_SECONDS", 3.0)
    for _ in range(4):
        tap(qtbot, corner)
    assert w.stack.currentWidget() is w.staff


def enter_pin(qtbot, w, pin: str) -> None:
    for digit in pin:
        tap_named(qtbot, w, f"key_{digit}")
    tap_named(qtbot, w, "staffUnlock")


def test_wrong_pin_keeps_the_kiosk_locked_and_right_pin_leaves_it(qtbot, kiosk_window, office):
    set_pin(office)
    w = kiosk_window()
    qtbot.keyClick(w, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert w.stack.currentWidget() is w.staff
    enter_pin(qtbot, w, "123456")
    assert find(w, QLabel, "staffMessage").text() == (
        "PIN salah. Masih boleh mencoba 4 kali lagi; sesudah itu PIN dikunci 15 menit.")
    assert find(w, QLineEdit, "staffPin").text() == ""
    assert not find(w, QPushButton, "staffExit").isVisible()
    assert w.close() is False
    enter_pin(qtbot, w, PIN)
    assert find(w, QPushButton, "staffExit").isVisible()
    with qtbot.waitSignal(w.left, timeout=1000):
        tap_named(qtbot, w, "staffExit")
    assert not w.isVisible()


def test_five_wrong_pins_lock_the_pin_page_with_the_minutes_left(qtbot, kiosk_window, office, time_machine, tmp_path):
    time_machine.move_to(utcnow(), tick=False)
    set_pin(office)
    w = kiosk_window()
    w.open_staff()
    for attempt in range(5):
        enter_pin(qtbot, w, f"00000{attempt}")
    message = find(w, QLabel, "staffMessage")
    assert message.text() == ("PIN dikunci karena terlalu banyak PIN salah di kios. Coba lagi dalam 15 menit, "
                              "atau minta supervisor membuka kunci akun kios.")
    tap_named(qtbot, w, "languageSwitch")
    assert message.text().startswith("The PIN is locked after too many wrong PINs at the kiosks. Try again in 15")
    enter_pin(qtbot, w, PIN)  # even the right PIN waits out the lock
    assert "Try again in 15 min" in message.text()
    assert not find(w, QPushButton, "staffExit").isVisible()
    shot(w, tmp_path, "kiosk_pin.png")


def test_a_lock_made_at_another_kiosk_holds_here_and_opens_when_unlocked(qtbot, kiosk_window, office):
    set_pin(office)
    for attempt in range(5):  # another kiosk PC on the same database
        with pytest.raises(ValidationError), office.session() as s:
            kiosk.check_kiosk_pin(s, office.kiosk, f"00000{attempt}", "exit")
    w = kiosk_window()
    w.open_staff()
    enter_pin(qtbot, w, PIN)
    assert "PIN dikunci" in find(w, QLabel, "staffMessage").text()
    with office.session() as s:
        office_service.unlock_account(s, office.supervisor, office.kiosk.account_id)
    enter_pin(qtbot, w, PIN)
    assert find(w, QPushButton, "staffExit").isVisible()


def test_an_old_pin_opens_and_asks_a_supervisor_for_a_new_one(qtbot, kiosk_window, office):
    with office.session() as s:
        s.get(OfficeProfile, office.office_id).kiosk_pin_hash = office_service.hash_password("2468")
    w = kiosk_window()
    w.open_staff()
    enter_pin(qtbot, w, "2468")
    notice = find(w, QLabel, "staffPinNotice")
    assert notice.isVisible() and "aturan lama" in notice.text()
    tap_named(qtbot, w, "staffChangePin")
    dialog = w.findChild(PinSetupDialog)
    assert dialog is not None and dialog.isVisible()
    for key, value in (("username", "kepala"), ("password", PASSWORD), ("pin", PIN), ("repeat", PIN)):
        qtbot.keyClicks(dialog.findChild(QLineEdit, f"pinSetup_{key}"), value)
    qtbot.mouseClick(dialog.findChild(QPushButton, "pinSetupSave"), Qt.MouseButton.LeftButton)
    assert not notice.isVisible()
    tap_named(qtbot, w, "staffBack")
    w.open_staff()
    enter_pin(qtbot, w, "2468")
    assert find(w, QLabel, "staffMessage").text().startswith("PIN salah.")
    enter_pin(qtbot, w, PIN)
    assert find(w, QPushButton, "staffExit").isVisible() and not notice.isVisible()


def test_pin_switches_between_guestbook_and_poll(qtbot, kiosk_window, office):
    set_pin(office)
    w = kiosk_window()
    w.open_staff()
    enter_pin(qtbot, w, PIN)
    assert find(w, QLabel, "staffModeNow").text() == "Sekarang: Buku tamu. Ganti ke:"
    assert not find(w, QPushButton, "staffModeGuestbook").isVisible()
    tap_named(qtbot, w, "staffModePoll")
    assert w.mode == "poll" and w.stack.currentWidget() is w.poll_welcome
    assert "Survei Kepuasan" in find(w, QLabel, "officeSubtitle").text()
    w.open_staff()
    assert find(w, QLineEdit, "staffPin").text() == ""  # locked again: the PIN is asked every time
    enter_pin(qtbot, w, PIN)
    assert not find(w, QPushButton, "staffModePoll").isVisible()
    tap_named(qtbot, w, "staffModeGuestbook")
    assert w.mode == "guestbook" and w.stack.currentWidget() is w.welcome


def test_a_kiosk_serving_both_starts_each_visitor_at_a_home_with_both_choices(qtbot, kiosk_window, office):
    """A small office's one kiosk: guestbook at the entrance and poll at the exit, no PIN in between."""
    set_pin(office)
    chosen = []
    w = kiosk_window(remember_mode=chosen.append)
    w.open_staff()
    enter_pin(qtbot, w, PIN)
    tap_named(qtbot, w, "staffModeBoth")
    assert chosen == ["both"]  # kept in settings.json for the next start
    assert w.mode == "both" and w.stack.currentWidget() is w.home
    assert find(w, QPushButton, "homeGuestbook").text() == "Isi buku tamu"
    assert find(w, QPushButton, "homePoll").text() == "Isi survei kepuasan"
    tap_named(qtbot, w, "homeGuestbook")
    assert w.stack.currentWidget() is w.form
    tap_named(qtbot, w, "backButton")  # "Batal" on the first step
    assert w.stack.currentWidget() is w.home
    tap_named(qtbot, w, "homePoll")
    assert w.stack.currentWidget() is w.poll
    tap_named(qtbot, w, "pollLookupBack")
    assert w.stack.currentWidget() is w.home
    tap_named(qtbot, w, "homeReturning")
    assert w.stack.currentWidget() is w.lookup
    tap_named(qtbot, w, "returningLookupBack")
    assert w.stack.currentWidget() is w.home
    register(qtbot, w, visitor_answers(), start="homeGuestbook")
    assert w.stack.currentWidget() is w.ticket_page
    w.ticket_timer.timeout.emit()  # the ticket's time is up: the next visitor sees both choices again
    assert w.stack.currentWidget() is w.home and w.staff.mode == "both"


def test_staff_page_cancel_and_idle_go_back_to_the_visitors(qtbot, kiosk_window, office):
    set_pin(office)
    w = kiosk_window(idle_ms=600)
    w.open_staff()
    tap_named(qtbot, w, "key_7")
    tap_named(qtbot, w, "staffCancel")
    assert w.stack.currentWidget() is w.welcome
    w.open_staff()
    enter_pin(qtbot, w, PIN)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.welcome, timeout=5000)
    w.open_staff()
    assert not find(w, QPushButton, "staffExit").isVisible()  # unlocked actions never outlive the idle wipe


def test_every_interactive_widget_has_a_name_tests_and_screen_readers_use(qtbot, kiosk_window):
    from PySide6.QtWidgets import QAbstractButton

    w = kiosk_window()
    controls = [c for cls in (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit) for c in w.findChildren(cls)]
    assert len(controls) > 60
    unnamed = [c for c in controls if not (c.objectName() and c.accessibleName())]
    assert unnamed == []

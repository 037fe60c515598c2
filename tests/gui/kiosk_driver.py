"""Drive the kiosk like a visitor: type into its fields and tap its buttons (pytest-qt)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QPushButton, QWidget

from pstdesktop.services import kiosk
from ui.i18n import set_language
from ui.kiosk.window import KioskWindow

PAID = "Pembelian Produk Statistik Berbayar"


@pytest.fixture
def quick_pin_hash(monkeypatch):
    """Staff PINs hashed at scrypt n = 2**10 instead of the slow 2**17 (checked in the unit tests)."""
    monkeypatch.setattr(kiosk, "PIN_COST", 10)


@pytest.fixture
def kiosk_window(qtbot, office, tmp_path):
    made: list[KioskWindow] = []

    def make(mode: str = "guestbook", **options) -> KioskWindow:
        options.setdefault("tickets_dir", tmp_path / "tickets")
        window = KioskWindow(office.db, office.kiosk, mode, fullscreen=False, **options)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    interval = QApplication.keyboardInputInterval()
    QApplication.setKeyboardInputInterval(150)
    yield make
    QApplication.setKeyboardInputInterval(interval)
    for window in made:
        window.may_close = True
    set_language("id")


def find(window: QWidget, cls, name: str):
    child = window.findChild(cls, name)
    assert child is not None, f"no {cls.__name__} named {name}"
    return child


def tap(qtbot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tap_named(qtbot, window: QWidget, name: str) -> None:
    tap(qtbot, find(window, QPushButton, name))


def type_into(qtbot, window: QWidget, field: str, text: str) -> None:
    edit = find(window, QLineEdit, f"field_{field}")
    assert edit.isVisible(), field
    for run in re.findall(r"[\x00-\xff]+|[^\x00-\xff]+", text):
        if ord(run[0]) <= 0xFF:
            qtbot.keyClicks(edit, run)  # a key press per Latin-1 character
        else:
            type_emoji(qtbot, edit, run)  # what a keyboard cannot press arrives committed


def choose(qtbot, window: QWidget, field: str, text: str) -> None:
    """Pick a drop-down line by typing its first letters, as a keyboard user does."""
    combo = find(window, QComboBox, f"field_{field}")
    assert combo.isVisible(), field
    qtbot.wait(QApplication.keyboardInputInterval() + 20)  # a new search, not the continuation of the last
    qtbot.keyClicks(combo, text)
    assert combo.currentText() == text, (field, combo.currentText())


def type_emoji(qtbot, edit: QLineEdit, text: str) -> None:
    """Text from an on-screen keyboard or input method (how emoji arrive): a committed string."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def pick(qtbot, window: QWidget, field: str, text: str) -> None:
    """Tap the big answer button showing ``text``."""
    group = find(window, QWidget, f"field_{field}")
    matches = [b for b in group.findChildren(QPushButton) if b.text() == text]
    assert len(matches) == 1, (field, text, [b.text() for b in group.findChildren(QPushButton)])
    tap(qtbot, matches[0])
    assert matches[0].isChecked()


def step(window) -> int:
    return window.form.step


def next_step(qtbot, window) -> None:
    tap_named(qtbot, window, "nextButton")


def fill_about(qtbot, w, a: dict) -> None:
    type_into(qtbot, w, "full_name", a["full_name"])
    if a["gender"]:
        pick(qtbot, w, "gender", a["gender"])
    type_into(qtbot, w, "birth_year", str(a["birth_year"]))
    if a["education"]:
        choose(qtbot, w, "education", a["education"])
    if a["has_disability"] is not None:
        pick(qtbot, w, "has_disability", "Ya" if a["has_disability"] else "Tidak")
    if a["disability_type"]:
        pick(qtbot, w, "disability_type", a["disability_type"])


def fill_contact(qtbot, w, a: dict) -> None:
    type_into(qtbot, w, "phone", a["phone"])
    type_into(qtbot, w, "email", a["email"])
    type_into(qtbot, w, "institution", a["institution"])
    if a["occupation"]:
        choose(qtbot, w, "occupation", a["occupation"])
    if a["occupation_other"]:
        type_into(qtbot, w, "occupation_other", a["occupation_other"])


def fill_origin(qtbot, w, a: dict) -> None:
    if a["country"] == "Indonesia":
        if a["province"] and w.form.province.value() != a["province"]:  # the office's province is preset
            choose(qtbot, w, "province", a["province"])
    else:
        pick(qtbot, w, "country", "Negara lain")
        type_into(qtbot, w, "country_name", a["country"])
    type_into(qtbot, w, "regency", a["regency"])


def fill_purpose(qtbot, w, a: dict, purpose: str, purpose_other: str = "") -> None:
    if purpose:
        label = next(b.text() for b in find(w, QWidget, "field_purpose").findChildren(QPushButton)
                     if b.text().endswith(purpose))
        pick(qtbot, w, "purpose", label)
    if purpose_other:
        type_into(qtbot, w, "purpose_other", purpose_other)
    if a["id_document_type"]:
        choose(qtbot, w, "id_document_type", a["id_document_type"])
        type_into(qtbot, w, "id_document_number", a["id_document_number"])
    if a["consent"]:
        tap(qtbot, find(w, QCheckBox, "field_consent"))


def register(qtbot, w, answers: dict, purpose: str = PAID, purpose_other: str = "",
             start: str = "guestbookWelcomeStart") -> None:
    """From the welcome page (``start``: the button that opens the form) through the four steps to the
    submit tap."""
    tap_named(qtbot, w, start)
    fill_about(qtbot, w, answers)
    next_step(qtbot, w)
    assert step(w) == 1, w.form.banner.text()
    fill_contact(qtbot, w, answers)
    next_step(qtbot, w)
    assert step(w) == 2, w.form.banner.text()
    fill_origin(qtbot, w, answers)
    next_step(qtbot, w)
    assert step(w) == 3, w.form.banner.text()
    fill_purpose(qtbot, w, answers, purpose, purpose_other)
    tap_named(qtbot, w, "submitButton")

"""GUI tests share one QApplication per process, so nothing a test leaves behind may reach the next one."""

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.modal import stop_waiting
from ui.i18n import language, set_language


@pytest.fixture(autouse=True)
def _nothing_left_open():
    """After each test: every window it left open is hidden (a modal one would be the active modal window
    of later tests, a kiosk would take their Esc), the language is Indonesian again (a kiosk visitor may
    have switched to English), and its pollers stop (``tests/gui/modal.py``); a poller whose box never
    came fails the test."""
    yield
    if language() != "id":
        set_language("id")
    if QApplication.instance() is not None:
        for window in QApplication.topLevelWidgets():
            if window.isVisible():
                window.hide()
    missed = stop_waiting()
    assert missed == 0, f"{missed} modal box(es) the test waited for never opened"

"""GUI tests share one QApplication per process, so nothing a test leaves behind may reach the next one."""

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.modal import stop_waiting


@pytest.fixture(autouse=True)
def _nothing_left_open():
    """After each test: a modal window or popup it left open is hidden (it would be the active modal window
    of later tests, or take their keys), and its pollers stop (``tests/gui/modal.py``); a poller whose box
    never came fails the test."""
    yield
    if QApplication.instance() is not None:
        for _ in range(100):
            left = QApplication.activePopupWidget() or QApplication.activeModalWidget()
            if left is None:
                break
            left.hide()
            left.deleteLater()
    missed = stop_waiting()
    assert missed == 0, f"{missed} modal box(es) the test waited for never opened"

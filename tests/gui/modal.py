"""Answering the modal box or dialog that the next action opens: a timer polls for it, since the action
waits in the box's own event loop. A poller still waiting when its test ends is stopped and fails the test
(the autouse fixture in ``tests/gui/conftest.py``): the box it was for never came, and it must never answer
a box of a later test in the same process."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

_waiting: list[dict] = []


def on_modal(action: Callable[[QWidget], None], kind: type[QWidget] = QWidget) -> None:
    """Run ``action(widget)`` once, on the first active modal widget that is a ``kind``."""
    poller = {"live": True}
    _waiting.append(poller)

    def poll() -> None:
        if not poller["live"]:
            return
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, kind):
            QTimer.singleShot(20, poll)
            return
        poller["live"] = False
        action(widget)

    QTimer.singleShot(0, poll)


def stop_waiting() -> int:
    """Stop every poller; how many had found nothing."""
    missed = sum(poller["live"] for poller in _waiting)
    for poller in _waiting:
        poller["live"] = False
    _waiting.clear()
    return missed

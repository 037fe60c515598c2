"""Small helpers every screen uses: named widgets (objectName + accessible name), error boxes, and
dates/times in the office's zone (from the application's clock, never the PC's)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QMessageBox, QWidget

from pstdesktop import faultlog
from pstdesktop.services import clock
from pstdesktop.services.errors import DomainError
from ui.i18n import language, tr


def named(widget: QWidget, name: str, accessible: str) -> QWidget:
    """Give a widget the objectName tests use and the accessible name screen readers read."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def office_qdate(zone_name: str) -> QDate:
    """The office's today, for a date field's default."""
    day = clock.today(zone_name)
    return QDate(day.year, day.month, day.day)


def office_now(zone_name: str) -> QDateTime:
    """Now on the office's wall clock (to the minute), for a date-time field's default; read it back
    with :func:`to_utc`."""
    return office_datetime(clock.utcnow(), zone_name)


def office_datetime(moment: datetime, zone_name: str) -> QDateTime:
    """An instant on the office's wall clock (to the minute), for a date-time field; read it back
    with :func:`to_utc`."""
    shown = clock.local(moment, zone_name)
    return QDateTime(QDate(shown.year, shown.month, shown.day), QTime(shown.hour, shown.minute))


def to_utc(value: QDateTime, zone_name: str) -> datetime:
    """A date-time typed in office time (as :func:`office_now` gives it), as an aware datetime."""
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=clock.zone(zone_name))


def error_text(error: Exception) -> str:
    """A domain error in plain words; anything else as one line with a reference (detail logged)."""
    if isinstance(error, DomainError):
        return error.message(language())
    return faultlog.unexpected(error, language())


def show_error(parent: QWidget | None, error: Exception) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Tidak dapat dilanjutkan", "Cannot continue"), error_text(error),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.exec()


def catch_faults(data_dir: Path) -> None:
    """Log unexpected failures to the data folder and answer one raised in a slot with :func:`show_error`
    (the window stays open) instead of a traceback on the console."""
    faultlog.setup(data_dir)

    def hook(kind, error, trace):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        try:
            show_error(None, error)
        except Exception:  # noqa: BLE001 - never recurse into the hook
            faultlog.record(error)

    sys.excepthook = hook

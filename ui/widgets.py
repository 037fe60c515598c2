"""Small helpers every screen uses: named widgets (objectName + accessible name), error boxes, and
dates/times in the office's zone (from the application's clock, never the PC's)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QMargins, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStackedWidget, QWidget

from pstdesktop import faultlog, server
from pstdesktop.services import clock
from pstdesktop.services.errors import DomainError
from ui.i18n import language, tr


def named(widget: QWidget, name: str, accessible: str) -> QWidget:
    """Give a widget the objectName tests use and the accessible name screen readers read."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def office_qdate(zone_name: str) -> QtCore.QDate:
    """The office's today, for a date field's default."""
    day = clock.today(zone_name)
    return QtCore.QDate(day.year, day.month, day.day)


def office_now(zone_name: str) -> QtCore.QDateTime:
    """Now on the office's wall clock (to the minute), for a date-time field's default; read it back
    with :func:`to_utc`."""
    return office_datetime(clock.utcnow(), zone_name)


def office_datetime(moment: datetime, zone_name: str) -> QtCore.QDateTime:
    """An instant on the office's wall clock (to the minute), for a date-time field; read it back
    with :func:`to_utc`."""
    shown = clock.local(moment, zone_name)
    return QtCore.QDateTime(QtCore.QDate(shown.year, shown.month, shown.day), QtCore.QTime(shown.hour, shown.minute))


def to_utc(value: QtCore.QDateTime, zone_name: str) -> datetime:
    """A date-time typed in office time (as :func:`office_now` gives it), as an aware datetime."""
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=clock.zone(zone_name))


def error_text(error: Exception) -> str:
    """A domain error in plain words; the office server gone away as one plain sentence; anything else as one
    line with a reference (detail logged)."""
    if isinstance(error, DomainError):
        return error.message(language())
    if server.lost(error):
        faultlog.LOG.warning("database server lost: %s", faultlog.describe(error).splitlines()[0])
        return server.lost_sentence(language())
    return faultlog.unexpected(error, language())


def show_error(parent: QWidget | None, error: Exception) -> None:
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, tr("Tidak dapat dilanjutkan", "Cannot continue"),
                                error_text(error), QtWidgets.QMessageBox.StandardButton.Ok, parent)
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


# What a window's frame adds around its contents on Windows 10/11 (title bar, borders), kept free when
# a window is sized before it is shown and its real frame is not known yet.
FRAME_ALLOWANCE = QMargins(8, 34, 8, 8)


def available_geometry(window: QWidget) -> QRect:
    """The part of the screen a window may use (taskbar excluded): the screen of its parent window,
    else its own, else the primary screen."""
    parent = window.parentWidget()
    screen = (parent.window() if parent is not None else window).screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, preferred: QSize | tuple[int, int] | None = None, *,
                  maximize: bool = False) -> QRect:
    """The one sizing rule for every top-level window and dialog: ``preferred`` (width, height; None: the
    window's own size hint) where the screen has room, else the available screen less the window frame,
    centred over the parent window (or the screen) and kept inside it — so nothing opens past the taskbar
    of a 1366×768 laptop (1093×614 at Windows' 125 %). Applied now and again when the window is first
    shown (its contents and its parent's place are known then). ``maximize``: a main window that does
    not fit opens maximized. Returns the geometry given now."""
    rect = _fit(window, preferred, maximize)
    window.installEventFilter(_FitOnFirstShow(window, preferred, maximize))
    return rect


def _fit(window: QWidget, preferred: QSize | tuple[int, int] | None, maximize: bool) -> QRect:
    preferred = window.sizeHint() if preferred is None else preferred
    width, height = (preferred.width(), preferred.height()) if isinstance(preferred, QSize) else preferred
    width, height = max(width, window.minimumWidth()), max(height, window.minimumHeight())
    room = available_geometry(window).marginsRemoved(FRAME_ALLOWANCE)
    rect = QRect(0, 0, min(width, room.width()), min(height, room.height()))
    parent = window.parentWidget()
    rect.moveCenter(parent.window().geometry().center() if parent is not None and parent.isVisible()
                    else room.center())
    rect.moveLeft(max(room.left(), min(rect.left(), room.right() - rect.width() + 1)))
    rect.moveTop(max(room.top(), min(rect.top(), room.bottom() - rect.height() + 1)))
    window.setGeometry(rect)
    if maximize and (width > room.width() or height > room.height()):
        from PySide6.QtCore import Qt  # here, not at import: the sign-in shows before Qt's namespace is made

        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    return rect


def scrolling(page: QWidget) -> QtWidgets.QScrollArea:
    """``page`` in a frameless scroll area: on a small screen it scrolls instead of pushing the window's
    buttons below the taskbar; on a large one it fills the area as before."""
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setWidget(page)
    return area


def scrolling_tabs(tabs: QtWidgets.QTabWidget) -> None:
    """Every page of ``tabs`` in :func:`scrolling` (the page itself is still found by ``findChild``), but
    one with ``scrolls_itself`` (it scrolls its fields and keeps its own buttons in view)."""
    current = tabs.currentIndex()
    for index in range(tabs.count()):
        page = tabs.widget(index)
        if isinstance(page, QtWidgets.QScrollArea) or getattr(page, "scrolls_itself", False):
            continue
        text, icon, tip, enabled = tabs.tabText(index), tabs.tabIcon(index), tabs.tabToolTip(index), \
            tabs.isTabEnabled(index)
        tabs.removeTab(index)
        tabs.insertTab(index, scrolling(page), icon, text)
        tabs.setTabToolTip(index, tip)
        tabs.setTabEnabled(index, enabled)
    tabs.setCurrentIndex(current)


class CurrentPageStack(QStackedWidget):
    """A stack as large as its current page, not its largest one: in a scroll area a short page does not
    scroll, neither by its size hint nor by the height a taller page would need at the width given."""

    def __init__(self):
        super().__init__()
        self.currentChanged.connect(self._size_pages)

    def addWidget(self, page: QWidget) -> int:  # noqa: N802 (Qt)
        index = super().addWidget(page)
        self._size_pages(self.currentIndex())
        return index

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt; QStackedLayout's is its tallest page's)
        page = self.currentWidget()
        return page.heightForWidth(width) if page is not None else -1

    def _size_pages(self, current: int) -> None:
        for index in range(self.count()):
            policy = QtWidgets.QSizePolicy.Policy.Preferred if index == current else QtWidgets.QSizePolicy.Policy.Ignored
            self.widget(index).setSizePolicy(policy, policy)
        self.updateGeometry()


class _FitOnFirstShow(QObject):
    """Applies :func:`fit_to_screen` once more just before the window first appears, then leaves."""

    def __init__(self, window: QWidget, preferred, maximize: bool):
        super().__init__(window)
        self.preferred, self.maximize = preferred, maximize

    def eventFilter(self, watched: QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() == QtCore.QEvent.Type.Show and isinstance(watched, QWidget):
            watched.removeEventFilter(self)
            _fit(watched, self.preferred, self.maximize)
            self.deleteLater()
        return False

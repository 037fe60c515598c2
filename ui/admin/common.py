"""Pieces the administration tabs share: long work in the shared job pool (ui.officer.jobs, so the
staff window pauses its refresh while the database is held), a message line, confirmations, and the
words for roles, backup kinds and file sizes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QPushButton, QWidget

from models import Role
from pstdesktop.config import Settings
from ui.i18n import language, tr
from ui.officer import jobs
from ui.widgets import error_text, named

ROLE_WORDS = {Role.OFFICER: ("Petugas layanan", "Service officer"), Role.TREASURER: ("Bendahara", "Treasurer"),
              Role.SUPERVISOR: ("Supervisor", "Supervisor"), Role.KIOSK: ("Kios", "Kiosk")}
KIND_WORDS = {"daily": ("Harian (otomatis)", "Daily (automatic)"), "exit": ("Saat aplikasi ditutup", "On exit"),
              "manual": ("Manual", "Manual")}
OK_STYLE, ERROR_STYLE = "color: #1b5e20", "color: #b00020"

Progress = Callable[[str, int], None]


def role_word(role: Role) -> str:
    return ROLE_WORDS[role][language() == "en"]


def size_text(size: int) -> str:
    """``1,4 MB``-style size in the office's way of writing decimals."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            shown = f"{size / factor:.1f}"
            return f"{shown.replace('.', ',') if language() == 'id' else shown} {unit}"
    return f"{size} B"


def sqlite_file(settings: Settings) -> Path | None:
    """The SQLite file the settings name, or None for a server database or an in-memory one."""
    if not settings.is_sqlite:
        return None
    _scheme, _sep, rest = settings.database_url.partition(":///")
    rest = rest.split("?", 1)[0]
    return Path(rest) if rest and rest != ":memory:" else None


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question; No is the default so a hurried Enter changes nothing."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("adminQuestion")
    box.button(QMessageBox.StandardButton.Yes).setText(tr("Ya", "Yes"))
    box.button(QMessageBox.StandardButton.No).setText(tr("Tidak", "No"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str, warning: bool = False) -> None:
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("adminInformation")
    box.exec()



class StatusLine(QLabel):
    """The tab's last outcome, in words: green when done, red when refused."""

    def __init__(self, name: str):
        super().__init__("")
        named(self, name, tr("Pesan", "Message"))
        self.setWordWrap(True)
        self.setMinimumHeight(22)

    def ok(self, text: str) -> None:
        self.setStyleSheet(OK_STYLE)
        self.setText(text)

    def error(self, error: Exception | str) -> None:
        self.setStyleSheet(ERROR_STYLE)
        self.setText(error if isinstance(error, str) else error_text(error))


class AdminTab(QWidget):
    """A tab that can run one piece of long work at a time, with its buttons disabled meanwhile."""

    def __init__(self):
        super().__init__()
        self.working = False
        self.action_buttons: list[QPushButton] = []
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.hide()

    @property
    def busy(self) -> bool:
        return self.working

    def run_in_background(self, work: Callable[[Progress], object], done: Callable[[object], None],
                          failed: Callable[[Exception], None], *, steps: int = 0, uses_database: bool = False,
                          progress: Progress | None = None) -> bool:
        """Start ``work`` in the shared job pool; ``steps`` > 0 gives a measured bar, 0 a busy one.
        ``uses_database``: the work holds the database, so the other screens pause their refresh.
        False when this tab is already busy."""
        if self.busy:
            return False
        self.progress.setRange(0, steps)
        self.progress.setValue(0)
        self.progress.show()
        self._set_actions_enabled(False)
        self.working = True
        jobs.start(work, done=lambda result: self._finish(done, result),
                              failed=lambda error: self._finish(failed, error), progress=progress,
                              uses_database=uses_database)
        return True

    def _finish(self, handler: Callable, value) -> None:
        self.working = False
        if not shiboken6.isValid(self.progress):  # the dialog was closed meanwhile
            return
        self.progress.hide()
        self._set_actions_enabled(True)
        handler(value)

    def _set_actions_enabled(self, enabled: bool) -> None:
        for button in self.action_buttons:
            button.setEnabled(enabled)
        if enabled:
            self.update_actions()

    def update_actions(self) -> None:
        """Re-apply per-selection enabling after work ends; tabs override."""

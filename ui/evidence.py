"""Evidence stored with the database, on this PC: choose a scan or proof file, open a stored one (its bytes
written to a private temporary folder, then opened by the desktop's viewer), and ask for a reason."""

from __future__ import annotations

import re
import tempfile
from html import escape
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pstdesktop.private import private_dir, private_file
from pstdesktop.services import evidence
from pstdesktop.services.errors import ValidationError
from pstdesktop.services.evidence import EvidenceFile
from ui.forms import FormErrors, GuardedDialog
from ui.i18n import tr
from ui.widgets import error_text, fit_to_screen, named

FILTER = ("Pindaian/bukti (*.pdf *.jpg *.jpeg *.png)", "Scan/proof (*.pdf *.jpg *.jpeg *.png)")


def choose(parent: QWidget, title: str) -> str:
    """A PDF/JPG/PNG file picked by the user ("" when cancelled)."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", tr(*FILTER))
    return path


def line(shown: EvidenceFile | None) -> str:
    """``bukti.pdf · 12 KB · SHA-256 5bc127f0e1a2…`` (rich text)."""
    if shown is None:
        return ""
    size = f"{max(shown.size_bytes // 1024, 1)} KB" if shown.size_bytes < 1024 * 1024 \
        else f"{shown.size_bytes / (1024 * 1024):.1f} MB".replace(".", tr(",", "."))
    return f"<b>{escape(shown.file_name)}</b> · {size} · SHA-256 {shown.sha256[:12]}…"


def temp_folder() -> Path:
    """This user's private folder for opened evidence (0700 on POSIX)."""
    return private_dir(Path(tempfile.gettempdir()) / f"pst-evidence-{_user()}")


def _user() -> str:
    import getpass

    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "user"
    return re.sub(r"[^A-Za-z0-9_-]", "_", name) or "user"


def write_temp(shown: EvidenceFile, content: bytes) -> Path:
    """The stored bytes as a private file named after the original (prefixed with its SHA-256)."""
    safe = re.sub(r"[^\w.\- ]", "_", shown.file_name)[-120:] or "bukti"
    path = private_file(temp_folder() / f"{shown.sha256[:12]}-{safe}")
    path.write_bytes(content)
    return path


def open_stored(parent, database, actor, evidence_id: int) -> Path | None:
    """Open a stored file on this PC; the message line of ``parent`` (or a box) says why not."""
    try:
        with database.unit_of_work() as session:
            shown, content = evidence.content(session, actor, evidence_id)
        path = write_temp(shown, content)
    except Exception as error:  # said to the user; nothing was changed
        say = getattr(getattr(parent, "message", None), "error", None)
        if say is not None:
            say(error_text(error))
        return None
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return path


class ReasonDialog(GuardedDialog):
    """Asks why a step that is flagged should go on (a proof used before, closing without the original)."""

    def __init__(self, parent: QWidget | None, title: str, explanation: str, label: str, field: str):
        super().__init__(parent)
        named(self, "reasonDialog", title)
        self.setWindowTitle(title)
        self.field = field
        text = named(QLabel(explanation), "reasonExplanation", title)
        text.setWordWrap(True)
        self.reason = named(QPlainTextEdit(), "reasonText", label)
        self.reason.setPlaceholderText(label)
        self.reason.setMinimumHeight(90)
        self.summary = named(QLabel(""), "reasonErrors", tr("Masalah", "Problems"))
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.errors = FormErrors(self, self.summary, {field: self.reason})
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Lanjutkan", "Go on"))
        named(buttons.button(QDialogButtonBox.StandardButton.Ok), "reasonOk", tr("Lanjutkan", "Go on"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal", "Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(QLabel(label))
        layout.addWidget(self.reason)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.watch_changes([self.reason])
        fit_to_screen(self, (560, 320))

    def accept(self) -> None:
        if not self.reason.toPlainText().strip():
            self.errors.show({self.field: ValidationError("required", self.field)})
            return
        QDialog.accept(self)

    def text(self) -> str:
        return self.reason.toPlainText().strip()


def ask_reason(parent: QWidget | None, title: str, explanation: str, label: str, field: str) -> str:
    """The reason typed, or "" when the user cancelled."""
    dialog = ReasonDialog(parent, title, explanation, label, field)
    return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else ""

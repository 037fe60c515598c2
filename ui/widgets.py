"""Small helpers every screen uses: named widgets (objectName + accessible name) and error boxes."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from pstdesktop.services.errors import DomainError
from ui.i18n import language, tr


def named(widget: QWidget, name: str, accessible: str) -> QWidget:
    """Give a widget the objectName tests use and the accessible name screen readers read."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def show_error(parent: QWidget | None, error: Exception) -> None:
    """A domain error in plain words; anything else as an unexpected failure."""
    if isinstance(error, DomainError):
        text = error.message(language())
    else:
        text = tr(f"Terjadi kesalahan yang tidak terduga: {error}", f"Unexpected error: {error}")
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Tidak dapat dilanjutkan", "Cannot continue"), text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.exec()

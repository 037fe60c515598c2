"""Small pieces the officer's screens share: the inline message line, tables, section boxes, money."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from exports.text import rupiah
from ui import widgets
from ui.i18n import tr
from ui.widgets import named

OVERDUE = QColor("#fde2e1")
DONE = QColor("#e3f4e6")
ERROR_STYLE = "color:#b00020; background:#fdecee; border:1px solid #f3c2c8; border-radius:4px; padding:6px 10px;"
OK_STYLE = "color:#1b5e20; background:#e8f5e9; border:1px solid #b9dfbd; border-radius:4px; padding:6px 10px;"
HINT_STYLE = "color:#5f6368;"

STYLE = """
QGroupBox { font-weight: 600; border: 1px solid #d5d9de; border-radius: 6px; margin-top: 14px; padding: 10px 8px 8px 8px; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #1f3a5f; }
QPushButton { padding: 5px 12px; }
QPushButton[primary="true"] { background: #1f5fa8; color: white; border: 1px solid #174a84; border-radius: 4px; font-weight: 600; }
QPushButton[primary="true"]:disabled { background: #9db6d3; border-color: #9db6d3; }
QTableWidget { gridline-color: #e3e6ea; }
QHeaderView::section { background: #eef1f5; padding: 4px 6px; border: none; border-right: 1px solid #dfe3e8; font-weight: 600; }
"""


class Refusal(Exception):
    """A screen's own refusal (nothing chosen yet, ...), already worded in the current language."""


def error_text(error: Exception) -> str:
    """A screen's own refusal as worded; anything else as :func:`ui.widgets.error_text` says it."""
    return str(error) if isinstance(error, Refusal) else widgets.error_text(error)


class MessageLine(QLabel):
    """The plain message under a form: a refusal in red, a completed step in green, or nothing."""

    def __init__(self, name: str):
        super().__init__("")
        named(self, name, tr("Pesan", "Message"))
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.clear()

    def error(self, error: Exception | str) -> None:
        self.setText(error if isinstance(error, str) else error_text(error))
        self.setStyleSheet(ERROR_STYLE)
        self.setVisible(True)

    def ok(self, text: str) -> None:
        self.setText(text)
        self.setStyleSheet(OK_STYLE)
        self.setVisible(True)

    def clear(self) -> None:
        super().clear()
        self.setVisible(False)

    def is_error(self) -> bool:
        return self.isVisible() and self.styleSheet() == ERROR_STYLE


def primary(button):
    """Mark the main action of a screen (drawn in the office blue)."""
    button.setProperty("primary", True)
    return button


def table(name: str, accessible: str, headers: list[str], stretch: int = 1) -> QTableWidget:
    widget = named(QTableWidget(0, len(headers)), name, accessible)
    widget.setHorizontalHeaderLabels(headers)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.setAlternatingRowColors(True)
    widget.verticalHeader().setVisible(False)
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        widget.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return widget


def fill(widget: QTableWidget, rows: list[tuple[list[str], QColor | None]], keys: list | None = None) -> None:
    """Replace the rows; a row colour highlights it (bold when overdue); ``keys`` are kept in each row's
    first cell, and the row whose key was selected stays selected."""
    kept = selected_key(widget)
    widget.clearSelection()
    widget.setCurrentCell(-1, -1)
    widget.setRowCount(len(rows))
    bold = QFont()
    bold.setBold(True)
    for r, (cells, colour) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if colour is not None:
                item.setBackground(QBrush(colour))
                if colour == OVERDUE:
                    item.setFont(bold)
            if c == 0 and keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            widget.setItem(r, c, item)
    if kept is not None and keys is not None and kept in keys:
        widget.selectRow(keys.index(kept))


def selected_key(widget: QTableWidget):
    row = widget.currentRow()
    if row < 0 or widget.item(row, 0) is None:
        return None
    return widget.item(row, 0).data(Qt.ItemDataRole.UserRole)


def box(title: str, name: str) -> QGroupBox:
    return named(QGroupBox(title), name, title)


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


def billing_expiry_field(name: str) -> QDateTimeEdit:
    """Until when the billing code may be paid, in office time: the expiry SIMPONI printed on the billing."""
    field = named(QDateTimeEdit(), name, tr("Kode billing berlaku s.d.", "Billing code valid until"))
    field.setDisplayFormat("dd-MM-yyyy HH:mm")
    field.setCalendarPopup(True)
    field.setToolTip(tr("Isi sesuai masa berlaku yang tercetak pada billing SIMPONI; bawaannya masa berlaku "
                        "kode billing di profil kantor.",
                        "Enter the expiry printed on the SIMPONI billing; it defaults to the billing code "
                        "validity of the office profile."))
    return field


def money(amount: int | None) -> str:
    return "-" if amount is None else rupiah(amount)


def header_label(text: str, sub: str = "") -> QWidget:
    label = QLabel(f"<span style='font-size:15pt; font-weight:600; color:#1f3a5f'>{text}</span>"
                   + (f"<br><span style='color:#5f6368'>{sub}</span>" if sub else ""))
    label.setTextFormat(Qt.TextFormat.RichText)
    return label

"""Pieces every tab of the treasurer's panel uses: a message banner (refusals are shown in place, so a
scanner operator is never stopped by a modal box), a pager for lists read a page at a time, table
filling and Rupiah formatting."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from exports.text import rupiah
from pstdesktop import server
from ui.i18n import tr
from ui.widgets import error_text, named

ERROR_STYLE = ("QLabel { background: #fdecea; color: #8a1c13; border: 1px solid #f5c2bd; border-radius: 4px;"
               " padding: 6px 10px; }")
OK_STYLE = ("QLabel { background: #e8f5e9; color: #1b5e20; border: 1px solid #b7dfb9; border-radius: 4px;"
            " padding: 6px 10px; }")
INFO_STYLE = ("QLabel { background: #e8f0fe; color: #174ea6; border: 1px solid #c6d7fb; border-radius: 4px;"
              " padding: 6px 10px; }")
HEADLINE_STYLE = "font-size: 15pt; font-weight: 600;"
MUTED_STYLE = "color: #555;"



class Banner(QLabel):
    """A one-line message under a form: an error (red), a success (green) or a note (blue)."""

    def __init__(self, name: str):
        super().__init__("")
        named(self, name, tr("Pesan", "Message"))
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    server_lost = False  # the error shown is the office server gone away: cleared once it answers again

    def error(self, error: Exception | str) -> None:
        self.server_lost = not isinstance(error, str) and server.lost(error)
        self._show(error if isinstance(error, str) else error_text(error), ERROR_STYLE)

    def ok(self, text: str) -> None:
        self._show(text, OK_STYLE)

    def note(self, text: str) -> None:
        self._show(text, INFO_STYLE)

    def clear_message(self) -> None:
        self.server_lost = False
        self.setText("")
        self.hide()

    def _show(self, text: str, style: str) -> None:
        if style != ERROR_STYLE:
            self.server_lost = False
        self.setStyleSheet(style)
        self.setText(text)
        self.show()

    @property
    def is_error(self) -> bool:
        return self.isVisible() and self.styleSheet() == ERROR_STYLE


class Pager(QWidget):
    """Previous / next over a list read ``limit`` rows at a time by key: each page starts after the last
    row of the one before (``start``), so the fifth year pages as fast as the first; emits ``moved(offset)``."""

    moved = Signal(int)

    def __init__(self, prefix: str, limit: int):
        super().__init__()
        self.limit, self.offset, self.total = limit, 0, 0
        self.starts: dict[int, object] = {0: None}  # offset of a page -> key of the row before it
        self.previous = named(QPushButton(tr("‹ Sebelumnya", "‹ Previous")), f"{prefix}Previous",
                              tr("Halaman sebelumnya", "Previous page"))
        self.following = named(QPushButton(tr("Berikutnya ›", "Next ›")), f"{prefix}Next",
                               tr("Halaman berikutnya", "Next page"))
        self.label = named(QLabel(""), f"{prefix}PageLabel", tr("Halaman", "Page"))
        self.label.setStyleSheet(MUTED_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.previous)
        layout.addWidget(self.following)
        self.previous.clicked.connect(lambda: self.moved.emit(max(0, self.offset - self.limit)))
        self.following.clicked.connect(lambda: self.moved.emit(self.offset + self.limit))

    def start(self, offset: int) -> tuple[int, object]:
        """Where the page at ``offset`` starts: (offset, key after which it is read); the first page when
        that page was never reached from the one before it."""
        return (offset, self.starts[offset]) if offset in self.starts else (0, None)

    def show_page(self, offset: int, page) -> None:
        """``page`` (a ``ledger.Page``: its rows, ``total`` rows in all or None when not counted, and the
        key after which the next page starts, None on the last) is shown at ``offset``."""
        self.offset, self.total = offset, page.total
        self.starts = {o: key for o, key in self.starts.items() if o <= offset}
        if page.next_key is not None:
            self.starts[offset + self.limit] = page.next_key
        if not page.rows and offset == 0:
            self.label.setText(tr("Tidak ada data", "Nothing to show"))
        else:
            last = offset + len(page.rows)
            self.label.setText(f"{offset + 1}–{last}" if page.total is None else
                               tr(f"{offset + 1}–{last} dari {page.total}", f"{offset + 1}–{last} of {page.total}"))
        self.previous.setEnabled(offset > 0)
        self.following.setEnabled(page.next_key is not None)


def make_table(name: str, accessible: str, headers: list[str], stretch: int = 1,
               numeric: tuple[int, ...] = ()) -> QTableWidget:
    table = named(QTableWidget(0, len(headers)), name, accessible)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setProperty("numeric", numeric)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]], keys: list[object] | None = None,
               tint: Callable[[int], str | None] | None = None) -> None:
    """Replace the table's rows; ``keys[i]`` is kept as the row's data (Qt.UserRole of column 0)."""
    from PySide6.QtGui import QBrush, QColor

    numeric = table.property("numeric") or ()
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        colour = tint(r) if tint else None
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if colour:
                item.setBackground(QBrush(QColor(colour)))
            if c == 0 and keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            table.setItem(r, c, item)
    if rows:
        table.selectRow(0)


def selected_key(table: QTableWidget):
    rows = table.selectionModel().selectedRows() if table.selectionModel() else []
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return item.data(Qt.ItemDataRole.UserRole) if item else None


def money(amount: int) -> str:
    return rupiah(amount)


def parse_rupiah(text: str) -> int | None:
    """What a person typed as an amount (``150.000``, ``Rp150.000``), or None when it is not a whole
    number of Rupiah. Only for showing the change as one types; the services validate for real."""
    cleaned = (text or "").strip().replace(".", "").replace(" ", "")
    if cleaned.lower().startswith("rp"):
        cleaned = cleaned[2:]
    return int(cleaned) if cleaned.isdigit() else None

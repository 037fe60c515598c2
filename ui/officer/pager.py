"""Previous / next over a list paged in the database (one page more is asked for to know if one follows)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ui.i18n import tr
from ui.widgets import named

PAGE_SIZE = 25


class Pager(QWidget):
    changed = Signal()

    def __init__(self, name: str, page_size: int = PAGE_SIZE):
        super().__init__()
        self.page_size, self.page = page_size, 0
        self.previous = named(QPushButton(tr("◀ Sebelumnya", "◀ Previous")), f"{name}Previous",
                              tr("Halaman sebelumnya", "Previous page"))
        self.next = named(QPushButton(tr("Berikutnya ▶", "Next ▶")), f"{name}Next", tr("Halaman berikutnya", "Next page"))
        self.label = named(QLabel(""), f"{name}Page", tr("Halaman", "Page"))
        self.previous.clicked.connect(lambda: self._go(-1))
        self.next.clicked.connect(lambda: self._go(1))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        layout.addWidget(self.previous)
        layout.addWidget(self.label)
        layout.addWidget(self.next)
        self.show_page(0)

    @property
    def offset(self) -> int:
        return self.page * self.page_size

    @property
    def limit(self) -> int:
        """Rows to ask for: one more than a page, to know whether a next page exists."""
        return self.page_size + 1

    def trim(self, rows: list) -> list:
        """The rows of this page; enables "next" when the extra row came back."""
        self.show_page(len(rows))
        return rows[: self.page_size]

    def show_page(self, fetched: int) -> None:
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(fetched > self.page_size)
        self.label.setText(tr(f"Halaman {self.page + 1}", f"Page {self.page + 1}"))

    def reset(self) -> None:
        self.page = 0

    def _go(self, step: int) -> None:
        self.page = max(0, self.page + step)
        self.changed.emit()

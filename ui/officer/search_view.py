"""Everything a visitor brought or received, found later by name, institution, phone, email, request,
invoice or receipt number (newest first, paged by key); any issued document of a result can be
reprinted from its checklist."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pstdesktop.bootstrap import Database
from pstdesktop.services import online
from pstdesktop.services.access import Actor
from ui.i18n import language, tr
from ui.officer.common import MessageLine, fill, primary, selected_key, table
from ui.officer.labels import CHANNELS, word
from ui.officer.pager import Pager
from ui.widgets import named


class SearchView(QWidget):
    open_request = Signal(int)

    def __init__(self, database: Database, actor: Actor):
        super().__init__()
        self.database, self.actor = database, actor
        self.query = named(QLineEdit(), "searchText", tr("Cari", "Search"))
        self.query.setPlaceholderText(tr("Nama, instansi, nomor HP, email, nomor permintaan, invoice atau kuitansi",
                                         "Name, institution, mobile, email, request, invoice or receipt number"))
        self.query.setClearButtonEnabled(True)
        find = primary(named(QPushButton(tr("Cari", "Search")), "searchButton", tr("Cari", "Search")))
        find.clicked.connect(self.search)
        self.query.returnPressed.connect(self.search)
        self.table = table("searchTable", tr("Hasil pencarian", "Search results"), [
            tr("Nomor", "Number"), tr("Pemohon", "Requester"), tr("Nomor HP", "Mobile"), tr("Saluran", "Channel"),
            tr("Status", "Status"), tr("Diterima", "Received"), tr("Invoice", "Invoice"), tr("Kuitansi", "Receipt")])
        self.table.doubleClicked.connect(self._open)
        self.pager = Pager("searchPager")
        self.starts: list[int | None] = [None]
        self.pager.changed.connect(self.load)
        self.message = MessageLine("searchMessage")
        open_button = named(QPushButton(tr("Buka daftar periksa", "Open the checklist")), "searchOpen",
                            tr("Buka daftar periksa hasil terpilih", "Open the selected result's checklist"))
        open_button.clicked.connect(self._open)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(find)
        bottom = QHBoxLayout()
        bottom.addWidget(open_button)
        bottom.addStretch(1)
        bottom.addWidget(self.pager)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def search(self) -> None:
        self.pager.reset()
        self.starts: list[int | None] = [None]  # keyset paging: page n starts before request starts[n]
        self.load()

    def load(self) -> None:
        self.message.clear()
        before = self.starts[min(self.pager.page, len(self.starts) - 1)]
        with self.database.unit_of_work() as session:
            found = online.search_rows(session, self.actor, self.query.text(), language(),
                                       limit=self.pager.limit, before=before)
        rows = self.pager.trim(found)
        if len(found) > len(rows):
            del self.starts[self.pager.page + 1:]
            self.starts.append(rows[-1].request_id)
        fill(self.table, [([r.number, r.requester, r.phone, word(CHANNELS, r.channel), r.state_label, r.received,
                            r.invoice_number, r.receipt_number], None) for r in rows],
             keys=[r.request_id for r in rows])
        if not rows and self.query.text().strip():
            self.message.error(tr("Tidak ada permintaan yang cocok.", "No request matches."))

    def _open(self) -> None:
        request_id = selected_key(self.table)
        if request_id is None:
            self.message.error(tr("Pilih hasil di tabel.", "Choose a result in the table."))
            return
        self.open_request.emit(request_id)

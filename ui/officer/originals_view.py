"""SPPD asli belum diterima: online requests whose signed SPPD original has not arrived by post, oldest
first, with its age in days and working days since the SPPD was signed (paged in the database); a closed
request stays here until the original arrives."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pstdesktop.bootstrap import Database
from pstdesktop.services import online
from pstdesktop.services.access import Actor
from ui.i18n import counted, language, tr
from ui.officer.common import OVERDUE, MessageLine, fill, hint, selected_key, table
from ui.officer.pager import Pager
from ui.widgets import named

LATE_WORKING_DAYS = 10  # older than the service standard: highlighted


class OriginalsView(QWidget):
    open_request = Signal(int)

    def __init__(self, database: Database, actor: Actor):
        super().__init__()
        self.database, self.actor = database, actor
        self.table = table("originalsTable", tr("SPPD asli belum diterima", "SPPD originals outstanding"), [
            tr("Nomor", "Number"), tr("Pemohon", "Requester"), tr("Status", "Status"), tr("Nomor SPPD", "SPPD number"),
            tr("Ditandatangani", "Signed"), tr("Umur (hari)", "Age (days)"), tr("Hari kerja", "Working days")])
        self.table.doubleClicked.connect(self._open)
        self.pager = Pager("originalsPager")
        self.pager.changed.connect(self.refresh)
        self.message = MessageLine("originalsMessage")
        self.summary = named(QLabel(""), "originalsSummary", tr("Ringkasan", "Summary"))
        self.open_button = named(QPushButton(tr("Buka daftar periksa", "Open the checklist")), "originalsOpen",
                                 tr("Buka daftar periksa permintaan terpilih", "Open the selected request's checklist"))
        self.open_button.clicked.connect(self._open)
        bottom = QHBoxLayout()
        bottom.addWidget(self.open_button)
        bottom.addStretch(1)
        bottom.addWidget(self.pager)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint(tr("Pemohon daring mengirim SPPD asli bermeterai lewat pos. Umur dihitung sejak SPPD "
                                 f"ditandatangani; lebih dari {LATE_WORKING_DAYS} hari kerja ditandai merah. Catat "
                                 "penerimaannya di daftar periksa permintaan.",
                                 "Online requesters post the stamped SPPD original. The age counts from the "
                                 f"signing; older than {LATE_WORKING_DAYS} working days is marked red. Record its "
                                 "arrival in the request's checklist.")))
        layout.addLayout(bottom)

    def refresh(self) -> None:
        with self.database.unit_of_work() as session:
            rows = self.pager.trim(online.outstanding_originals(session, self.actor, language(),
                                                                limit=self.pager.limit, offset=self.pager.offset))
        late = sum(1 for row in rows if row.age_working_days > LATE_WORKING_DAYS)
        self.summary.setText(tr(f"{len(rows)} SPPD asli belum diterima di halaman ini · {late} lewat "
                                f"{LATE_WORKING_DAYS} hari kerja",
                                f"{counted(len(rows), 'SPPD original', 'SPPD originals')} outstanding on this page · {late} past "
                                f"{LATE_WORKING_DAYS} working days"))
        fill(self.table, [([row.number, row.requester, row.state_label, row.sppd_number, row.signed,
                            str(row.age_days), str(row.age_working_days)],
                           OVERDUE if row.age_working_days > LATE_WORKING_DAYS else None) for row in rows],
             keys=[row.request_id for row in rows])

    def _open(self) -> None:
        request_id = selected_key(self.table)
        if request_id is None:
            self.message.error(tr("Pilih permintaan di tabel.", "Choose a request in the table."))
            return
        self.message.clear()
        self.open_request.emit(request_id)

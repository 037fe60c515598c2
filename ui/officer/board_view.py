"""A board of open requests, nearest deadline first, overdue ones on top and highlighted: the online
board (10 working days from the moment the request is clear) or every open request."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models import Channel
from pstdesktop.bootstrap import Database
from pstdesktop.services import online
from pstdesktop.services.access import Actor
from ui.i18n import counted, language, tr
from ui.officer.common import OVERDUE, MessageLine, fill, hint, primary, selected_key, table
from ui.officer.labels import CHANNELS, ONLINE_VIA, word
from ui.officer.pager import Pager
from ui.widgets import named


class BoardView(QWidget):
    open_request = Signal(int)
    new_online = Signal()

    def __init__(self, database: Database, actor: Actor, channel: Channel | None, name: str, can_edit: bool = True):
        super().__init__()
        self.database, self.actor, self.channel = database, actor, channel
        self.table = table(f"{name}Table", tr("Permintaan", "Requests"), [
            tr("Nomor", "Number"), tr("Pemohon", "Requester"), tr("Saluran", "Channel"), tr("Diterima", "Received"),
            tr("Status", "Status"), tr("Batas waktu", "Deadline"), tr("Sisa hari kerja", "Working days left")])
        self.table.doubleClicked.connect(self._open)
        self.pager = Pager(f"{name}Pager")
        self.pager.changed.connect(self.refresh)
        self.message = MessageLine(f"{name}Message")
        self.open_button = named(QPushButton(tr("Buka daftar periksa", "Open the checklist")), f"{name}Open",
                                 tr("Buka daftar periksa permintaan terpilih", "Open the selected request's checklist"))
        self.open_button.clicked.connect(self._open)
        self.summary = named(QLabel(""), f"{name}Summary", tr("Ringkasan", "Summary"))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        if channel is Channel.ONLINE:
            self.record_button = primary(named(QPushButton(tr("Catat permintaan daring", "Record an online request")),
                                               "newOnlineRequest", tr("Catat permintaan daring baru",
                                                                      "Record a new online request")))
            self.record_button.clicked.connect(self.new_online)
            self.record_button.setVisible(can_edit)
            top.addWidget(self.record_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.open_button)
        bottom.addStretch(1)
        bottom.addWidget(self.pager)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint(tr("Standar layanan daring: 10 hari kerja sejak permintaan jelas (lengkap dan disepakati); "
                                 "datang langsung: 1 jam sejak mengisi buku tamu.",
                                 "Online standard: 10 working days from the moment the request is clear; walk-in: "
                                 "1 hour from the guestbook entry."))
                         if channel is not None else QLabel(""))
        layout.addLayout(bottom)

    def refresh(self) -> None:
        with self.database.unit_of_work() as session:
            rows = self.pager.trim(online.board_rows(session, self.actor, language(), channel=self.channel,
                                                     limit=self.pager.limit, offset=self.pager.offset))
        late = sum(1 for row in rows if row.overdue)
        self.summary.setText(tr(f"{len(rows)} permintaan di halaman ini · {late} lewat batas waktu",
                                f"{counted(len(rows), 'request', 'requests')} on this page · {late} overdue"))
        fill(self.table, [([row.number, row.requester, self._channel(row), row.received, row.state_label,
                            row.due if row.due != "-" else tr("menunggu jelas", "not clear yet"),
                            "" if row.days_left is None else str(row.days_left)],
                           OVERDUE if row.overdue else None) for row in rows], keys=[row.request_id for row in rows])

    @staticmethod
    def _channel(row) -> str:
        if row.channel is Channel.ONLINE:
            return f"{word(CHANNELS, row.channel)} · {word(ONLINE_VIA, row.online_via)}"
        return word(CHANNELS, row.channel)

    def _open(self) -> None:
        request_id = selected_key(self.table)
        if request_id is None:
            self.message.error(tr("Pilih permintaan di tabel.", "Choose a request in the table."))
            return
        self.message.clear()
        self.open_request.emit(request_id)

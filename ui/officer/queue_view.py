"""Today's queue from the kiosk: waiting, being served, done, each visitor's time against the 1-hour
standard, and "call the next visitor" (the oldest waiting one starts being served at this desk)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget

from models import VisitStatus
from pstdesktop.bootstrap import Database
from pstdesktop.services import guestbook, online, overview
from pstdesktop.services.access import Actor
from pstdesktop.services.clock import utcnow
from pstdesktop.services.deadlines import WALK_IN_STANDARD
from ui.i18n import tr
from ui.officer.common import DONE, OVERDUE, MessageLine, fill, primary, selected_key, table
from ui.officer.labels import VISIT, word
from ui.officer.pager import Pager
from ui.widgets import named

STANDARD_MINUTES = int(WALK_IN_STANDARD.total_seconds() // 60)
TIMER_COLUMN = 5


class QueueView(QWidget):
    """``new_request(visit_id)`` and ``open_request(request_id)`` are asked of the main window."""

    new_request = Signal(int)
    open_request = Signal(int)

    def __init__(self, database: Database, actor: Actor, can_serve: bool = True):
        super().__init__()
        self.database, self.actor = database, actor
        self.counts = named(QLabel(""), "queueCounts", tr("Jumlah antrean", "Queue counts"))
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.station = named(QLineEdit(tr("Meja 1", "Desk 1")), "queueStation", tr("Meja layanan", "Service desk"))
        self.station.setMaximumWidth(120)
        self.call_button = primary(named(QPushButton(tr("Panggil berikutnya", "Call the next visitor")), "callNext",
                                         tr("Panggil pengunjung berikutnya", "Call the next visitor")))
        self.serve_button = named(QPushButton(tr("Layani yang dipilih", "Serve the selected visitor")), "serveSelected",
                                  tr("Layani pengunjung terpilih", "Serve the selected visitor"))
        self.new_button = named(QPushButton(tr("Buat permintaan data", "New data request")), "queueNewRequest",
                                tr("Buat permintaan data untuk pengunjung terpilih", "New data request for the selected visitor"))
        self.open_button = named(QPushButton(tr("Buka permintaan", "Open request")), "queueOpenRequest",
                                 tr("Buka permintaan pengunjung terpilih", "Open the selected visitor's request"))
        self.call_button.clicked.connect(self.call_next)
        self.serve_button.clicked.connect(self.serve_selected)
        self.new_button.clicked.connect(self._new)
        self.open_button.clicked.connect(self._open)
        for button in (self.call_button, self.serve_button, self.new_button):
            button.setVisible(can_serve)
        self.station.setVisible(can_serve)
        self.table = table("queueTable", tr("Antrean hari ini", "Today's queue"), [
            tr("No. antrean", "Queue no."), tr("Nama", "Name"), tr("Keperluan", "Purpose"), tr("Datang", "Arrived"),
            tr("Status", "Status"), tr("Waktu layanan (standar 1 jam)", "Service time (1-hour standard)"),
            tr("Permintaan", "Request")])
        self.table.doubleClicked.connect(self._open_or_new)
        self.pager = Pager("queuePager")
        self.pager.changed.connect(self.refresh)
        self.message = MessageLine("queueMessage")
        bar = QHBoxLayout()
        bar.addWidget(self.counts, 1)
        desk = QLabel(tr("Meja:", "Desk:"))
        desk.setVisible(can_serve)
        bar.addWidget(desk)
        bar.addWidget(self.station)
        bar.addWidget(self.call_button)
        actions = QHBoxLayout()
        actions.addWidget(self.serve_button)
        actions.addWidget(self.new_button)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        actions.addWidget(self.pager)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.rows: list[overview.QueueRow] = []
        self.loaded_at = utcnow()

    def refresh(self) -> None:
        with self.database.unit_of_work() as session:
            counts = guestbook.queue_counts(session, self.actor)
            rows = self.pager.trim(overview.queue_rows(session, self.actor, limit=self.pager.limit,
                                                       offset=self.pager.offset))
            found = online.visit_requests(session, self.actor, [row.visit_id for row in rows])
        numbers = {visit_id: ", ".join(r.number for r in made) for visit_id, made in found.items()}
        self.rows, self.loaded_at = rows, utcnow()
        self.counts.setText(tr(
            f"<b>{counts[VisitStatus.WAITING]}</b> menunggu &nbsp;·&nbsp; <b>{counts[VisitStatus.SERVING]}</b> "
            f"dilayani &nbsp;·&nbsp; <b>{counts[VisitStatus.DONE]}</b> selesai",
            f"<b>{counts[VisitStatus.WAITING]}</b> waiting &nbsp;·&nbsp; <b>{counts[VisitStatus.SERVING]}</b> "
            f"being served &nbsp;·&nbsp; <b>{counts[VisitStatus.DONE]}</b> done"))
        fill(self.table, [([row.queue_code, row.name, row.purpose, row.arrived, word(VISIT, row.status), "",
                            numbers[row.visit_id]],
                           OVERDUE if row.over_standard else DONE if row.status is VisitStatus.DONE else None)
                          for row in rows], keys=[row.visit_id for row in rows])
        self.tick()

    def tick(self, now: datetime | None = None) -> None:
        """Move each visitor's timer on without asking the database (refreshes re-read it)."""
        now = now or utcnow()
        extra = int((now - self.loaded_at).total_seconds() // 60)
        for r, row in enumerate(self.rows):
            minutes = row.minutes_waited + (0 if row.status is VisitStatus.DONE else extra)
            bar = self.table.cellWidget(r, TIMER_COLUMN)
            if not isinstance(bar, QProgressBar):
                bar = named(QProgressBar(), f"queueTimer{r}", tr("Waktu layanan", "Service time"))
                bar.setRange(0, STANDARD_MINUTES)
                self.table.setCellWidget(r, TIMER_COLUMN, bar)
            bar.setValue(min(minutes, STANDARD_MINUTES))
            over = (row.over_standard or minutes > STANDARD_MINUTES) and row.status is not VisitStatus.DONE
            if row.status is VisitStatus.DONE:
                bar.setFormat(tr(f"selesai dalam {minutes} menit", f"done in {minutes} min"))
            elif over:
                bar.setFormat(tr(f"{minutes} menit — lewat 1 jam", f"{minutes} min — over 1 hour"))
            else:
                bar.setFormat(tr(f"{minutes} / {STANDARD_MINUTES} menit", f"{minutes} / {STANDARD_MINUTES} min"))
            colour = "#ef9a9a" if over else "#cfd8dc" if row.status is VisitStatus.DONE else "#a5d6a7"
            bar.setStyleSheet(f"QProgressBar {{ border:1px solid #c9ced6; border-radius:3px; text-align:center; }}"
                              f"QProgressBar::chunk {{ background:{colour}; }}")

    def call_next(self) -> None:
        self.message.clear()
        try:
            with self.database.unit_of_work() as session:
                waiting = guestbook.queue(session, self.actor, status=VisitStatus.WAITING, limit=1)
                if not waiting:
                    self.message.ok(tr("Tidak ada pengunjung yang menunggu.", "Nobody is waiting."))
                    return
                visit = guestbook.start_serving(session, self.actor, waiting[0].id, self.station.text().strip())
                called = f"{visit.queue_code} — {visit.visitor.full_name}"
        except Exception as error:
            self.message.error(error)
            return
        self.refresh()
        self.message.ok(tr(f"Dipanggil: {called} ke {self.station.text()}.", f"Called: {called} to {self.station.text()}."))

    def serve_selected(self) -> None:
        visit_id = selected_key(self.table)
        if visit_id is None:
            self.message.error(tr("Pilih pengunjung di tabel.", "Choose a visitor in the table."))
            return
        try:
            with self.database.unit_of_work() as session:
                guestbook.start_serving(session, self.actor, visit_id, self.station.text().strip())
        except Exception as error:
            self.message.error(error)
            return
        self.refresh()

    def _new(self) -> None:
        visit_id = selected_key(self.table)
        if visit_id is None:
            self.message.error(tr("Pilih pengunjung di tabel.", "Choose a visitor in the table."))
            return
        self.new_request.emit(visit_id)

    def _open(self) -> None:
        visit_id = selected_key(self.table)
        if visit_id is None:
            self.message.error(tr("Pilih pengunjung di tabel.", "Choose a visitor in the table."))
            return
        with self.database.unit_of_work() as session:
            found = online.visit_requests(session, self.actor, [visit_id])[visit_id]
        if not found:
            self.message.error(tr("Pengunjung ini belum memiliki permintaan data.", "This visitor has no data request yet."))
            return
        self.open_request.emit(found[-1].request_id)

    def _open_or_new(self) -> None:
        visit_id = selected_key(self.table)
        if visit_id is None:
            return
        with self.database.unit_of_work() as session:
            found = online.visit_requests(session, self.actor, [visit_id])[visit_id]
        if found:
            self.open_request.emit(found[-1].request_id)
        else:
            self.new_request.emit(visit_id)

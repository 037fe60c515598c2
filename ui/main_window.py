"""The staff window: today's queue from the kiosk against the 1-hour standard, and the board of open
requests with their deadlines (overdue first, highlighted). Refreshed every 30 seconds."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import Channel, Role, VisitStatus
from pstdesktop.bootstrap import Database
from pstdesktop.services import overview
from pstdesktop.services.access import Actor
from ui.i18n import language, tr
from ui.widgets import named, show_error

OVERDUE = QColor("#fde2e1")
REFRESH_MS = 30_000
ROLE_WORDS = {Role.OFFICER: ("Petugas layanan", "Service officer"), Role.TREASURER: ("Bendahara", "Treasurer"),
              Role.SUPERVISOR: ("Supervisor", "Supervisor"), Role.KIOSK: ("Kios", "Kiosk")}
STATUS_WORDS = {VisitStatus.WAITING: ("Menunggu", "Waiting"), VisitStatus.SERVING: ("Dilayani", "Being served"),
                VisitStatus.DONE: ("Selesai", "Done")}


class MainWindow(QMainWindow):
    def __init__(self, database: Database, actor: Actor):
        super().__init__()
        self.database, self.actor = database, actor
        with database.unit_of_work() as session:
            office = overview.office_name(session, actor)
        self.setWindowTitle(f"PST Desktop — {office}")
        self.resize(1280, 760)
        header = QLabel(f"<span style='font-size:18pt; font-weight:600'>{office}</span><br>"
                        f"<span style='color:#555'>{actor.name} · {ROLE_WORDS[actor.role][language() == 'en']}</span>")
        self.refresh_button = named(QPushButton(tr("Muat ulang", "Refresh")), "refreshButton",
                                    tr("Muat ulang", "Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(header, 1)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignBottom)

        self.queue_table = self._table("queueTable", tr("Antrean hari ini", "Today's queue"), [
            tr("No. antrean", "Queue no."), tr("Nama", "Name"), tr("Keperluan", "Purpose"),
            tr("Datang", "Arrived"), tr("Status", "Status"), tr("Lama (menit)", "Minutes")])
        self.request_table = self._table("requestTable", tr("Permintaan berjalan", "Open requests"), [
            tr("Nomor", "Number"), tr("Pemohon", "Requester"), tr("Saluran", "Channel"), tr("Status", "Status"),
            tr("Batas waktu", "Deadline"), tr("Sisa hari kerja", "Working days left")])
        tabs = named(QTabWidget(), "mainTabs", tr("Ruang kerja", "Workspace"))
        tabs.addTab(self.queue_table, tr("Antrean hari ini", "Today's queue"))
        tabs.addTab(self.request_table, tr("Permintaan berjalan", "Open requests"))

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(tabs, 1)
        self.setCentralWidget(body)
        self.statusBar().showMessage(tr("Siap", "Ready"))
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(REFRESH_MS)
        self.refresh()

    def _table(self, name: str, accessible: str, headers: list[str]) -> QTableWidget:
        table = named(QTableWidget(0, len(headers)), name, accessible)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        return table

    def refresh(self) -> None:
        try:
            with self.database.unit_of_work() as session:
                queue = overview.queue_rows(session, self.actor)
                board = overview.request_rows(session, self.actor, language())
        except Exception as error:  # a lost LAN connection must not close the window
            show_error(self, error)
            return
        self._fill(self.queue_table, [
            ([row.queue_code, row.name, row.purpose, row.arrived, STATUS_WORDS[row.status][language() == "en"],
              str(row.minutes_waited)], row.over_standard) for row in queue])
        self._fill(self.request_table, [
            ([row.number, row.requester, tr("Datang langsung", "Walk-in") if row.channel is Channel.WALK_IN
              else tr("Daring", "Online"), row.state_label, row.due,
              "" if row.days_left is None else str(row.days_left)], row.overdue) for row in board])
        self.statusBar().showMessage(tr(f"{len(queue)} pengunjung hari ini · {len(board)} permintaan berjalan",
                                        f"{len(queue)} visitors today · {len(board)} open requests"))

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[list[str], bool]]) -> None:
        table.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        for r, (cells, highlight) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if highlight:
                    item.setBackground(QBrush(OVERDUE))
                    item.setFont(bold)
                table.setItem(r, c, item)

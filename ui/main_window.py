"""The staff window after sign-in: today's queue from the kiosk against the 1-hour standard, the board
of online requests (10 working days, overdue first and highlighted), every open request, and search.
From here the officer calls the next visitor, starts the request wizard and opens a request's
checklist. Lists and open checklists follow the database by themselves (``ui.live``: what another PC
commits shows within about a second) and are read again every 30 seconds as well; both wait while a
worker holds the database. "Keluar akun" signs out and returns to the sign-in without quitting."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QTabWidget, QVBoxLayout, QWidget

from models import Channel, Role
from pstdesktop import server
from pstdesktop.bootstrap import Database
from pstdesktop.config import Settings
from pstdesktop.services import clock, overview
from pstdesktop.services.access import Actor
from pstdesktop.services.office import office_of
from ui import second_copy
from ui.admin import AdminDialog
from ui.i18n import language, tr
from ui.live import LiveRefresh, kept_view
from ui.officer import jobs
from ui.officer.board_view import BoardView
from ui.officer.checklist import ChecklistDialog
from ui.officer.common import OVERDUE, STYLE
from ui.officer.originals_view import OriginalsView
from ui.officer.queue_view import QueueView
from ui.officer.search_view import SearchView
from ui.officer.wizard import RequestWizard
from ui.satisfaction import SatisfactionView
from ui.widgets import fit_to_screen, named, show_error

__all__ = ["MainWindow", "OVERDUE"]

REFRESH_MS = 30_000
TICK_MS = 15_000
ROLE_WORDS = {Role.OFFICER: ("Petugas layanan", "Service officer"), Role.TREASURER: ("Bendahara", "Treasurer"),
              Role.SUPERVISOR: ("Supervisor", "Supervisor"), Role.KIOSK: ("Kios", "Kiosk")}
SERVING_ROLES = (Role.OFFICER, Role.SUPERVISOR)


class MainWindow(QMainWindow):
    def __init__(self, database: Database, actor: Actor, settings: Settings | None = None):
        super().__init__()
        self.database, self.actor, self.settings = database, actor, settings
        self.restart_requested = self.sign_out_requested = False
        self.wizard: RequestWizard | None = None
        self.checklists: dict[int, ChecklistDialog] = {}
        with database.unit_of_work() as session:
            office = overview.office_name(session, actor)
            self.time_zone = office_of(session, actor.office_id).time_zone
        self.read_only = database.read_only  # a second copy's view: nothing here may change the data
        self.setWindowTitle(f"PST Desktop — {office}" + (tr(" (hanya baca)", " (read-only)") if self.read_only else ""))
        self.setStyleSheet(STYLE)
        fit_to_screen(self, (1280, 760), maximize=True)
        serving = actor.role in SERVING_ROLES and not self.read_only
        header = named(QLabel(f"<span style='font-size:17pt; font-weight:600; color:#1f3a5f'>{office}</span><br>"
                              f"<span style='color:#5f6368'>{actor.name} · "
                              f"{ROLE_WORDS[actor.role][language() == 'en']}</span>"), "staffHeader",
                       tr("Kantor dan petugas", "Office and staff member"))
        self.refresh_button = named(QPushButton(tr("Muat ulang", "Refresh")), "refreshButton", tr("Muat ulang", "Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.sign_out_button = named(QPushButton(tr("Keluar akun", "Sign out")), "signOutButton",
                                     tr("Keluar akun dan kembali ke layar masuk", "Sign out and return to the sign-in"))
        self.sign_out_button.clicked.connect(self.sign_out)
        top = QHBoxLayout()
        top.addWidget(header, 1)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.sign_out_button, 0, Qt.AlignmentFlag.AlignBottom)

        self.queue = QueueView(database, actor, can_serve=serving)
        self.queue_table = self.queue.table
        self.online_board = BoardView(database, actor, Channel.ONLINE, "onlineBoard", can_edit=serving)
        self.all_requests = BoardView(database, actor, None, "requestBoard")
        self.request_table = self.all_requests.table
        self.search = SearchView(database, actor)
        self.originals = OriginalsView(database, actor)
        self.tabs = named(QTabWidget(), "mainTabs", tr("Ruang kerja", "Workspace"))
        self.tabs.addTab(self.queue, tr("Antrean hari ini", "Today's queue"))
        self.tabs.addTab(self.online_board, tr("Permintaan daring", "Online requests"))
        self.tabs.addTab(self.all_requests, tr("Semua permintaan berjalan", "All open requests"))
        self.tabs.addTab(self.originals, tr("SPPD asli belum diterima", "SPPD originals outstanding"))
        self.tabs.addTab(self.search, tr("Cari", "Search"))
        if actor.role is Role.SUPERVISOR:
            self.satisfaction = SatisfactionView(database, actor)
            self.tabs.addTab(self.satisfaction, tr("Kepuasan (SKM)", "Satisfaction (SKM)"))
        self.queue.new_request.connect(lambda visit_id: self.start_wizard(visit_id=visit_id))
        self.online_board.new_online.connect(lambda: self.start_wizard(online_mode=True))
        for view in (self.queue, self.online_board, self.all_requests, self.originals, self.search):
            view.open_request.connect(self.open_checklist)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 14, 18, 10)
        layout.setSpacing(10)
        layout.addLayout(top)
        if self.read_only:
            layout.addWidget(second_copy.read_only_banner(settings))
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(body)
        self.statusBar().showMessage(tr("Siap", "Ready"))
        if actor.role is Role.SUPERVISOR and settings is not None:
            menu = self.menuBar().addMenu(tr("&Administrasi", "&Administration"))
            action = menu.addAction(tr("Profil kantor, akun, cadangan, server…", "Office, accounts, backups, server…"))
            action.setObjectName("adminAction")
            action.triggered.connect(self.open_admin)
            action.setEnabled(not self.read_only)  # backups, restore, accounts: for the copy that holds the data
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.timed_refresh)
        self.timer.start(REFRESH_MS)
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(lambda: self.queue.tick())
        self.ticker.start(TICK_MS)
        self.live = LiveRefresh(database, self)
        self.live.changed.connect(self.live_refresh)
        self.refresh()

    def open_admin(self) -> None:
        dialog = AdminDialog(self.database, self.settings, self.actor, self)
        dialog.restart_required.connect(self.restart)
        dialog.exec()

    def restart(self) -> None:
        """After a restore or a move to the server: close, and let ui.app start again."""
        self.restart_requested = True
        self.timer.stop()
        self.close()

    def sign_out(self) -> None:
        """Close this window (its checklists and wizard with it); ui.app shows the sign-in again. A wizard
        that keeps its form open (its own question) keeps the officer signed in."""
        if self.wizard is not None and self.wizard.isVisible() and not self.wizard.close():
            return
        for dialog in self.checklists.values():
            dialog.close()
        self.sign_out_requested = True
        self.close()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().closeEvent(event)
        if event.isAccepted():
            self.timer.stop()
            self.ticker.stop()
            self.live.stop()
        else:
            self.sign_out_requested = False

    def live_refresh(self) -> None:
        """Something was committed (here or on another PC): the lists and each open checklist again, with
        their selection and scroll position; the wizard's form is left as it is."""
        views = (self.queue.table, self.online_board.table, self.all_requests.table, self.originals.table)
        with kept_view(*views):
            if not self._reload(quiet=True):
                return
        for dialog in list(self.checklists.values()):
            if dialog.isVisible():
                dialog.follow()

    def timed_refresh(self) -> None:
        if not jobs.database_busy():  # a worker holds the database: the next tick will do
            self.live_refresh()

    def refresh(self) -> None:
        self._reload(quiet=False)

    def _reload(self, *, quiet: bool) -> bool:
        """The lists again; False when the database failed. A refresh nobody asked for (a change elsewhere, the
        timer) says a lost server in the status bar instead of a box that would pop up on every tick."""
        try:
            self.queue.refresh()
            self.online_board.refresh()
            self.all_requests.refresh()
            self.originals.refresh()
        except Exception as error:  # a lost LAN connection must not close the window
            if quiet and server.lost(error):
                self.statusBar().setStyleSheet("color: #b00020")
                self.statusBar().showMessage(server.lost_sentence(language()))
            else:
                show_error(self, error)
            return False
        self.statusBar().setStyleSheet("")
        shown = clock.office_now(self.time_zone).strftime("%H:%M")
        self.statusBar().showMessage(tr(f"Diperbarui pukul {shown} {self.time_zone}; otomatis saat ada perubahan.",
                                        f"Updated at {shown} {self.time_zone}; refreshed on every change."))
        return True

    def start_wizard(self, *, visit_id: int | None = None, online_mode: bool = False,
                     request_id: int | None = None) -> RequestWizard:
        wizard = RequestWizard(self.database, self.actor, visit_id=visit_id, online_mode=online_mode,
                               request_id=request_id, parent=self)
        wizard.finished_request.connect(self.open_checklist)
        wizard.finished.connect(lambda _code: self.refresh())
        self.wizard = wizard
        wizard.show()
        return wizard

    def open_checklist(self, request_id: int) -> ChecklistDialog:
        dialog = self.checklists.get(request_id)
        if dialog is not None and dialog.isVisible():
            dialog.refresh()
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        dialog = ChecklistDialog(self.database, self.actor, request_id, parent=self)
        dialog.changed.connect(self.refresh)
        dialog.resume_wizard.connect(self._resume)
        self.checklists[request_id] = dialog
        dialog.show()
        return dialog

    def _resume(self, request_id: int) -> None:
        dialog = self.checklists.get(request_id)
        if dialog is not None:
            dialog.close()
        self.start_wizard(request_id=request_id)

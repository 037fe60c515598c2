"""The supervisor's administration window: office profile, accounts, tariffs, the QR signing key, backups
and the shared database, one tab each. Other roles see why they cannot use it (the services refuse them anyway)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from models import Role
from pstdesktop.bootstrap import Database
from pstdesktop.config import Settings
from pstdesktop.services.access import Actor
from pstdesktop.services.office import office_of
from ui.admin.accounts import AccountsTab
from ui.admin.backups import BackupsTab
from ui.admin.common import AdminTab, role_word
from ui.admin.keys import KeysTab
from ui.admin.profile import ProfileTab
from ui.admin.server import ServerTab
from ui.admin.tariffs import TariffsTab
from ui.i18n import tr
from ui.widgets import fit_to_screen, named, scrolling_tabs


class AdminDialog(QDialog):
    """``restart_required`` is emitted after a restore or a move to the server: the caller closes
    its windows and starts again with the (re-read) settings."""

    restart_required = Signal()

    def __init__(self, database: Database, settings: Settings, actor: Actor, parent=None):
        super().__init__(parent)
        self.database, self.settings, self.actor = database, settings, actor
        self.setWindowTitle(tr("Administrasi — PST Desktop", "Administration — PST Desktop"))
        self.tabs: QTabWidget | None = None
        self.message = named(QLabel(""), "adminMessage", tr("Pesan", "Message"))
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        named(close.button(QDialogButtonBox.StandardButton.Close), "adminClose",
              tr("Tutup", "Close")).setText(tr("Tutup", "Close"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        if actor.role is not Role.SUPERVISOR:
            self.message.setText(tr(
                f"Menu Administrasi hanya untuk akun supervisor. Anda masuk sebagai {actor.name} "
                f"({role_word(actor.role)}). Minta supervisor kantor untuk mengubah pengaturan.",
                f"Administration is for supervisor accounts only. You are signed in as {actor.name} "
                f"({role_word(actor.role)}). Ask the office's supervisor to change settings."))
            self.message.setStyleSheet("color: #b00020; font-size: 11pt")
            self.setMinimumWidth(460)
            layout.addWidget(self.message)
            layout.addWidget(close)
            fit_to_screen(self)
            return
        with database.unit_of_work() as session:
            office = office_of(session, actor.office_id)
            office_name, zone = office.name, office.time_zone
        title = QLabel(f"<span style='font-size:15pt; font-weight:600'>{tr('Administrasi', 'Administration')}"
                       f"</span><br><span style='color:#555'>{office_name} · {actor.name}</span>")
        self.profile = ProfileTab(database, actor)
        self.accounts = AccountsTab(database, actor)
        self.tariffs = TariffsTab(database, actor)
        self.keys = KeysTab(database, actor, zone)
        self.backups: BackupsTab | QWidget = (BackupsTab(database, settings, zone) if settings.is_sqlite
                                              else self._server_backups_note())
        self.server = ServerTab(settings)
        self.tabs = named(QTabWidget(), "adminTabs", tr("Administrasi", "Administration"))
        self.tabs.addTab(self.profile, tr("Profil kantor", "Office profile"))
        self.tabs.addTab(self.accounts, tr("Akun", "Accounts"))
        self.tabs.addTab(self.tariffs, tr("Tarif", "Tariffs"))
        self.tabs.addTab(self.keys, tr("Kunci QR", "QR key"))
        self.tabs.addTab(self.backups, tr("Cadangan", "Backups"))
        self.tabs.addTab(self.server, tr("Basis data bersama", "Shared database"))
        for tab in (self.backups, self.server):
            if hasattr(tab, "restart_required"):
                tab.restart_required.connect(self._restart)
        self.profile.saved.connect(self._profile_saved)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        scrolling_tabs(self.tabs)  # a long tab scrolls; Tutup stays on the screen
        fit_to_screen(self, (1060, 680))

    @staticmethod
    def _server_backups_note() -> QWidget:
        page = QWidget()
        note = named(QLabel(tr(
            "Aplikasi ini memakai basis data di server PostgreSQL. Cadangannya dibuat di server (pg_dump terjadwal; "
            "langkahnya ada di README), bukan di PC ini, dan dipulihkan dengan alat server itu sendiri (pg_restore "
            "atau psql, oleh pengelola server, saat semua PC menutup aplikasi) — bukan dari aplikasi ini.",
            "This application uses a database on a PostgreSQL server. Its backups are made on the server (a "
            "scheduled pg_dump; the README gives the steps), not on this PC, and restored with the server's own "
            "tools (pg_restore or psql, by the server's administrator, while every PC has the application closed) "
            "— not from this application.")), "serverBackupsNote", tr("Cadangan di server", "Backups on the server"))
        note.setWordWrap(True)
        box = QVBoxLayout(page)
        box.addWidget(note)
        box.addStretch(1)
        return page

    def _profile_saved(self) -> None:
        if isinstance(self.backups, BackupsTab):
            with self.database.unit_of_work() as session:
                self.backups.zone = office_of(session, self.actor.office_id).time_zone
            self.backups.refresh()

    def _restart(self) -> None:
        self.restart_required.emit()
        self.accept()

    def busy(self) -> bool:
        return self.tabs is not None and any(tab.busy for tab in self.findChildren(AdminTab))

    def reject(self) -> None:
        if self.busy():
            self.message.setStyleSheet("color: #b00020")
            self.message.setText(tr("Tunggu sampai pekerjaan yang sedang berjalan selesai.",
                                    "Wait until the work in progress has finished."))
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self.busy():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

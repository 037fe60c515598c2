"""Cadangan: the backups of this PC's SQLite database, "back up now", restore from a chosen backup,
and whether the live file passes SQLite's integrity check."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCursor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from pstdesktop import backup
from pstdesktop.bootstrap import Database
from pstdesktop.config import Settings
from pstdesktop.private import private_dir
from pstdesktop.services.clock import fmt_local
from ui.admin.common import KIND_WORDS, OK_STYLE, AdminTab, StatusLine, ask, inform, size_text, sqlite_file
from ui.i18n import language, tr
from ui.officer import jobs
from ui.widgets import named


class BackupsTab(AdminTab):
    """Backups run off the GUI thread. A restore runs in the GUI thread on purpose: the engine is
    disposed first, and nothing in this process may reopen the file until the application restarts."""

    restart_required = Signal()

    def __init__(self, database: Database, settings: Settings, zone: str):
        super().__init__()
        self.database, self.settings, self.zone = database, settings, zone
        self.file: Path = sqlite_file(settings) or settings.data_dir / "pst.sqlite"
        self.backups: list[backup.BackupFile] = []
        self.checked = False
        self.health = named(QLabel(tr("Keadaan berkas: belum diperiksa", "File state: not checked yet")),
                            "integrityLabel", tr("Keadaan berkas basis data", "Database file state"))
        self.health.setWordWrap(True)
        where = QLabel(tr(f"Berkas basis data: {self.file}\nFolder cadangan: {settings.backup_dir}",
                          f"Database file: {self.file}\nBackup folder: {settings.backup_dir}"))
        where.setStyleSheet("color: #555")
        where.setWordWrap(True)
        headers = [tr("Waktu", "Time"), tr("Jenis", "Kind"), tr("Ukuran", "Size"), tr("Berkas", "File")]
        self.table = named(QTableWidget(0, len(headers)), "backupTable", tr("Daftar cadangan", "Backups"))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setMinimumSectionSize(90)
        self.table.itemSelectionChanged.connect(self.update_actions)

        def button(name: str, text: str, slot) -> QPushButton:
            widget = named(QPushButton(text), name, text)
            widget.clicked.connect(slot)
            return widget

        self.backup_button = button("backupNowButton", tr("Cadangkan sekarang", "Back up now"), self.back_up_now)
        self.restore_button = button("restoreButton", tr("Pulihkan dari cadangan terpilih…",
                                                         "Restore from the selected backup…"), self.restore_selected)
        self.check_button = button("integrityButton", tr("Periksa keutuhan", "Check integrity"), self.check)
        self.folder_button = button("openBackupFolder", tr("Buka folder cadangan", "Open backup folder"),
                                    self.open_folder)
        self.action_buttons = [self.backup_button, self.restore_button, self.check_button]
        self.status = StatusLine("backupMessage")
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing() * 3 + 6)  # a refusal's two lines
        policy = QLabel(tr("Cadangan otomatis dibuat saat aplikasi pertama dibuka setiap hari dan saat ditutup; "
                           "disimpan 7 harian, 4 mingguan dan 12 bulanan, ditambah 10 cadangan manual terakhir. "
                           "Salin folder cadangan ke flashdisk secara berkala.",
                           "Automatic backups are taken at the first start of each day and on exit; 7 daily, "
                           "4 weekly and 12 monthly are kept, plus the last 10 manual ones. Copy the backup "
                           "folder to a flash drive regularly."))
        policy.setWordWrap(True)
        buttons = QHBoxLayout()
        for widget in (self.backup_button, self.restore_button, self.check_button, self.folder_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.health)
        layout.addWidget(where)
        layout.addWidget(policy)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.refresh()

    def showEvent(self, event) -> None:  # the integrity check reads the whole file: only when looked at
        super().showEvent(event)
        if not self.checked:
            self.check()

    def refresh(self, select: Path | None = None) -> None:
        self.backups = backup.listing(self.settings.backup_dir)
        self.table.setRowCount(len(self.backups))
        for r, item in enumerate(self.backups):
            kind = KIND_WORDS.get(item.kind, (item.kind, item.kind))[language() == "en"]
            cells = [fmt_local(item.taken_at, self.zone), kind, size_text(item.size), item.path.name]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
            if item.path == select:
                self.table.selectRow(r)
        self.update_actions()

    def selected(self) -> backup.BackupFile | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def update_actions(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None and not self.busy)

    def check(self) -> None:
        self.checked = True
        self.health.setStyleSheet("")
        self.health.setText(tr("Keadaan berkas: sedang diperiksa…", "File state: checking…"))
        self.run_in_background(lambda _p: backup.integrity_ok(self.file), self._checked, self._check_failed)

    def _checked(self, ok: bool) -> None:
        if ok:
            self.health.setStyleSheet(OK_STYLE + "; font-weight: 600")
            self.health.setText(tr("Keadaan berkas: utuh (lulus pemeriksaan integritas SQLite).",
                                   "File state: sound (passes SQLite's integrity check)."))
        else:
            self._check_failed(None)

    def _check_failed(self, _error) -> None:
        self.health.setStyleSheet("color: #b00020; font-weight: 600")
        self.health.setText(tr("Keadaan berkas: RUSAK. Pulihkan dari cadangan terbaru yang baik.",
                               "File state: DAMAGED. Restore the newest good backup."))

    def back_up_now(self) -> None:
        def work(_progress) -> backup.BackupFile:
            taken = backup.take(self.file, self.settings.backup_dir, "manual")
            backup.rotate(self.settings.backup_dir, self.zone)
            return taken

        self.status.setText(tr("Mencadangkan…", "Backing up…"))
        self.run_in_background(work, self._backed_up, self._backup_failed)

    def _backed_up(self, taken: backup.BackupFile) -> None:
        self.refresh(select=taken.path)
        self.status.ok(tr(f"Cadangan dibuat: {taken.path.name} ({size_text(taken.size)}).",
                          f"Backup taken: {taken.path.name} ({size_text(taken.size)})."))

    def _backup_failed(self, error: Exception) -> None:
        self.status.error(tr(f"Cadangan gagal dibuat: {error}", f"The backup failed: {error}"))

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or self.busy:
            return
        if jobs.database_busy():
            self.status.error(tr("Pekerjaan lain sedang memakai basis data; coba lagi setelah selesai.",
                                 "Other work is using the database; try again when it has finished."))
            return
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:  # another running copy, or a file that is empty, foreign, of another office or damaged
            problems = backup.restore_problems(chosen.path, self.file)
        finally:
            QApplication.restoreOverrideCursor()
        if problems:
            self.status.error(" ".join(problem.message(language()) for problem in problems))
            return
        when = fmt_local(chosen.taken_at, self.zone)
        if not ask(self, tr("Pulihkan cadangan", "Restore a backup"),
                   tr(f"Pulihkan basis data dari cadangan {when}?\n\nSemua yang dicatat setelah waktu itu tidak "
                      "ada lagi di basis data aktif. Berkas sekarang disimpan di sampingnya (…replaced-…) sehingga "
                      "pemulihan ini dapat dibatalkan oleh teknisi.\n\nAplikasi akan dimulai ulang.",
                      f"Restore the database from the backup of {when}?\n\nEverything recorded after that time "
                      "will no longer be in the live database. The current file is kept beside it (…replaced-…) "
                      "so a technician can undo this restore.\n\nThe application will restart.")):
            return
        self.database.dispose()
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            backup.restore(chosen.path, self.file)
        except backup.RestoreRefused as refused:  # e.g. another copy started in the meantime: nothing changed
            self.status.error(refused.message(language()))
            return
        except Exception as error:  # the live file is untouched unless the copy itself failed
            self.status.error(tr(f"Pemulihan gagal: {error}", f"The restore failed: {error}"))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.status.ok(tr("Pemulihan selesai.", "Restore finished."))
        inform(self, tr("Pemulihan selesai", "Restore finished"),
               tr(f"Basis data dipulihkan dari cadangan {when}. Aplikasi akan dimulai ulang sekarang.",
                  f"The database was restored from the backup of {when}. The application will restart now."))
        self.restart_required.emit()

    def open_folder(self) -> None:
        private_dir(self.settings.backup_dir)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.settings.backup_dir)))

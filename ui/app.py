"""Start-up of the GUI: check the SQLite file (offer the newest good backup when it is damaged),
take the day's first backup, open (and migrate) the database, first-run setup, sign-in, and the
window of the signed-in role: the staff window (officer, supervisor), the treasurer's panel, or the
kiosk. "Keluar akun" in a staff window returns to the sign-in (the database stays open); a backup is
taken when the application really quits; a restore or a move to the server restarts this sequence."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

import resources
from models import OfficeProfile, Role
from pstdesktop import APP_NAME, backup, instance
from pstdesktop.bootstrap import Database, open_database
from pstdesktop.config import SQLITE_FILE, Settings, read_settings_file
from pstdesktop.database import checkpoint
from pstdesktop.services import retention
from pstdesktop.services.access import Actor
from pstdesktop.services.office import first_office
from ui import second_copy
from ui.admin import check_database_file
from ui.i18n import apply_qt_language, set_language, tr
from ui.login import LoginDialog, SetupDialog
from ui.main_window import MainWindow
from ui.widgets import catch_faults


def run(settings: Settings) -> int:
    set_language(settings.language)
    catch_faults(settings.data_dir)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    apply_qt_language()
    app.setWindowIcon(QIcon(str(resources.path("icons", "pst.png"))))
    try:
        while True:
            code, restart = _session(app, settings)
            if not restart:
                return code
            stored = read_settings_file(settings.data_dir).get("database_url")
            moved_from, settings = settings, replace(settings, database_url=stored or settings.database_url)
            _retire_moved_file(moved_from.database_url, settings.database_url)
    finally:
        instance.release_all()  # the operating system would too, as the process ends


def _retire_moved_file(old_url: str, new_url: str) -> None:
    """After a move to the server, the old SQLite file is renamed so that it is never opened by mistake."""
    from pstdesktop.server import after_move

    try:
        after_move(old_url, new_url)
    except OSError as error:
        QMessageBox.warning(None, APP_NAME, tr(
            f"Data sudah di server, tetapi berkas SQLite lama tidak dapat diganti nama ({error}); jangan buka "
            "berkas itu lagi.",
            f"The data is on the server, but the old SQLite file cannot be renamed ({error}); do not open that "
            "file again."))


def _sqlite_file(settings: Settings) -> Path | None:
    if not settings.is_sqlite:
        return None
    return Path(settings.database_url.removeprefix("sqlite:///")) if "///" in settings.database_url \
        else settings.data_dir / SQLITE_FILE


def _backup(settings: Settings, kind: str, office: OfficeProfile) -> None:
    """Automatic backup of the SQLite file (daily at the first start of an office day, and on exit);
    copies older than the office's retention of personal data are removed."""
    file, zone_name = _sqlite_file(settings), office.time_zone
    if file is None or not file.exists() or (kind == "daily" and not backup.daily_due(settings.backup_dir, zone_name)):
        return
    try:
        backup.take(file, settings.backup_dir, kind)
        backup.rotate(settings.backup_dir, zone_name, keep_days=office.retention_days)
    except (OSError, RuntimeError) as error:
        QMessageBox.warning(None, APP_NAME, tr(f"Cadangan otomatis gagal: {error}", f"Automatic backup failed: {error}"))


def _erase_expired(database: Database, office: OfficeProfile) -> None:
    """The day's automatic erasure of personal data past retention (before the day's backup copies it)."""
    with database.unit_of_work() as session:
        erased = retention.erase_due(session, office.id)
    if erased:
        checkpoint(database.engine)


def _probe_startup(app: QApplication) -> None:
    """``PST_STARTUP_PROBE=1`` (benchmarks/cold_start.py): say when the first window is painted, then quit."""
    if os.environ.get("PST_STARTUP_PROBE") == "1":
        from ui.startup_probe import FirstWindowProbe

        FirstWindowProbe(app)


def _session(app: QApplication, settings: Settings) -> tuple[int, bool]:
    """One run from the database check to the closed window: (exit code, restart wanted)."""
    from pstdesktop.server import first_run_due

    if first_run_due(settings.database_url):  # a new PC: a new office here, or join the office server
        from ui.admin.join import first_run

        if (ended := first_run(settings)) is not None:
            return ended
    view = second_copy.gate(settings)  # this copy holds the SQLite data, or another does (look or close)
    if view is False:
        return 0, False
    if view is True and not check_database_file(settings):
        return 1, False
    try:
        database = open_database(settings) if view is True else view
    except Exception as error:  # shown, not a crash: the office has no IT staff
        if not settings.is_sqlite:  # one plain sentence, retry or change the server; never a local file
            from ui.admin.join import server_unreachable

            return server_unreachable(settings, error)
        QMessageBox.critical(None, APP_NAME, tr(f"Basis data tidak dapat dibuka:\n{error}",
                                                f"The database cannot be opened:\n{error}"))
        return 1, False
    office = None
    try:
        with database.unit_of_work() as session:
            office = first_office(session)
        if office is None:
            if database.read_only or SetupDialog(database).exec() != QDialog.DialogCode.Accepted:
                return 0, False
            with database.unit_of_work() as session:
                office = first_office(session)
        if not database.read_only:
            _erase_expired(database, office)
            _backup(settings, "daily", office)
        while True:  # until a window closes other than by "Keluar akun"
            dialog = LoginDialog(database, office.name)
            if os.environ.get("PST_STARTUP_PROBE") == "1":
                dialog.show()
                _probe_startup(app)
                app.exec()
                return 0, False
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
                return 0, False
            code, window = _role_window(app, database, settings, dialog.actor)
            if not getattr(window, "sign_out_requested", False):
                return code, getattr(window, "restart_requested", False)
    finally:
        database.dispose()
        if office is not None and not database.read_only:
            _backup(settings, "exit", office)


def _role_window(app: QApplication, database: Database, settings: Settings, actor: Actor) -> tuple[int, object]:
    """The signed-in role's window, run until it closes: (exit code, the closed window or None)."""
    if actor.role is Role.KIOSK:
        from ui.kiosk.app import prepare

        if database.read_only:  # a kiosk records every visitor: it cannot serve from a read-only view
            QMessageBox.information(None, APP_NAME, second_copy.holder_sentence(settings) + "\n\n" + tr(
                "Kios tidak dapat berjalan dalam mode hanya baca.", "The kiosk cannot run in read-only mode."))
            return 0, None

        kiosk = prepare(database, settings)
        if kiosk is None:
            return 1, None
        kiosk.showFullScreen()
        return app.exec(), None
    if actor.role is Role.TREASURER:
        from ui.treasurer import TreasurerWindow

        window = TreasurerWindow(database, actor)
    else:
        window = MainWindow(database, actor, settings)
    window.show()
    return app.exec(), window

"""Start-up of the GUI, as a sequence of small steps:

1. ``opening.peek``: an SQLite file at the head revision with an office is read with plain ``sqlite3``
   and the sign-in shows at once; the database opens behind it (``pstdesktop.opening``: its quick check,
   the engine, then the day's erasure of personal data past retention, the day's backup and the full
   integrity check, in a background thread) while the role windows' modules are imported in small steps
   on the GUI thread. Signing in waits for the opening if the password was quicker.
2. Otherwise the long way before the sign-in: the full check of the SQLite file (the newest good backup
   is offered for a damaged one), opening (and migrating) the database, first-run setup.
3. The sign-in, then the window of the signed-in role: the staff window (officer, supervisor), the
   treasurer's panel, or the kiosk; the staff windows show the background work in their status bar.
   "Keluar akun" returns to the sign-in (the database stays open).
4. When the application really quits, the exit backup is handed to a process of its own after the last
   window is gone (``Opening.close``), so the application ends at once; a restore or a move to the server
   restarts this sequence (its exit backup then runs in a thread of this process)."""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import replace

from PySide6 import QtWidgets
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from pstdesktop import APP_NAME, faults, instance, opening
from pstdesktop.config import Settings, read_settings_file
from ui import second_copy
from ui.i18n import apply_qt_language, set_language, tr
from ui.login import LoginDialog, use_app_icon
from ui.widgets import catch_faults

ROLE_MODULES = ("ui.main_window", "ui.treasurer")  # imported one per tick once the database is open
TICK_MS = 50
STATUS_MS = 500


def run(settings: Settings) -> int:
    set_language(settings.language)
    catch_faults(settings.data_dir)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    apply_qt_language()
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
        QtWidgets.QMessageBox.warning(None, APP_NAME, tr(
            f"Data sudah di server, tetapi berkas SQLite lama tidak dapat diganti nama ({error}); jangan buka "
            "berkas itu lagi.",
            f"The data is on the server, but the old SQLite file cannot be renamed ({error}); do not open that "
            "file again."))


def _session(app: QApplication, settings: Settings) -> tuple[int, bool]:
    """One run from the database check to the closed window: (exit code, restart wanted)."""
    from pstdesktop.server import first_run_due

    if first_run_due(settings.database_url):  # a new PC: a new office here, or join the office server
        from ui.admin.join import first_run

        use_app_icon()

        if (ended := first_run(settings)) is not None:
            return ended
    view = second_copy.gate(settings)  # this copy holds the SQLite data, or another does (look or close)
    if view is False:
        return 0, False
    office = opening.peek(settings) if view is True else None
    if office is None:  # the long way has windows before the sign-in
        use_app_icon()
    start = opening.Opening(settings, office) if office is not None else _open_the_long_way(settings, view)
    if isinstance(start, tuple):
        return start
    leaving = True  # the application quits: the exit backup is handed over to a process of its own
    try:
        code, restart = _sign_in(app, settings, start)
        leaving = not restart
        return code, restart
    finally:
        start.close(hand_over=leaving)


def _open_the_long_way(settings: Settings, view) -> opening.Opening | tuple[int, bool]:
    """Check the file fully, open and migrate the database, and set the office up on the first run (or take
    the read-only ``view`` of a second copy as it is): the opened database, or how the application ends."""
    if view is True:
        from pstdesktop.bootstrap import open_database
        from ui.admin import check_database_file

        if not check_database_file(settings):
            return 1, False
        (settings.data_dir / opening.CHECK_MARK).unlink(missing_ok=True)
        try:
            database = open_database(settings)
        except Exception as error:  # shown, not a crash: the office has no IT staff
            if not settings.is_sqlite:  # one plain sentence, retry or change the server; never a local file
                from ui.admin.join import server_unreachable

                return server_unreachable(settings, error)
            _cannot_open(error)
            return 1, False
    else:
        database = view
    try:
        office = _office_or_setup(database)
    except BaseException:
        database.dispose()
        raise
    if office is None:
        database.dispose()
        return 0, False
    return opening.Opening(settings, opening.facts_of(office), database)


def _office_or_setup(database):
    """The office; on the first run after the setup dialog (None when it was cancelled)."""
    from pstdesktop.services.office import first_office
    from ui.office_setup import SetupDialog

    with database.unit_of_work() as session:
        office = first_office(session)
    if office is None:
        if database.read_only or SetupDialog(database).exec() != QDialog.DialogCode.Accepted:
            return None
        with database.unit_of_work() as session:
            office = first_office(session)
    return office


def _cannot_open(error: BaseException) -> None:
    QtWidgets.QMessageBox.critical(None, APP_NAME, tr(f"Basis data tidak dapat dibuka:\n{error}",
                                            f"The database cannot be opened:\n{error}"))


def _sign_in(app: QApplication, settings: Settings, start: opening.Opening) -> tuple[int, bool]:
    """Sign-in and role windows until a window closes other than by "Keluar akun"."""
    while True:
        dialog = LoginDialog(start, start.office.name)
        preparing = _prepare_behind(dialog, start)
        if os.environ.get("PST_STARTUP_PROBE") in ("1", "settled"):
            dialog.show()
            _probe_startup(app, lambda timer=preparing: start.settled() and not timer.isActive())
            app.exec()
            return 0, False
        accepted = dialog.exec() == QDialog.DialogCode.Accepted and dialog.actor is not None
        preparing.stop()
        if start.error is not None:
            return _opening_failed(settings, start.error)
        if not accepted:
            return 0, False
        code, window = _role_window(app, start, settings, dialog.actor)
        if not getattr(window, "sign_out_requested", False):
            return code, getattr(window, "restart_requested", False)


def _prepare_behind(dialog: LoginDialog, start: opening.Opening) -> QTimer:
    """While the sign-in shows: start the opening (from the first tick, once the sign-in is painted); once
    the database is open, import the role windows' modules one per tick
    (GUI thread: they define Qt classes); if the opening failed, close the sign-in to say so."""
    modules = [name for name in ROLE_MODULES if name not in sys.modules]
    timer = QTimer(dialog)

    def tick() -> None:
        start.begin()
        if not start.opened():
            return
        if start.error is not None:
            timer.stop()
            dialog.reject()
        elif modules:
            importlib.import_module(modules.pop(0))
        else:
            timer.stop()

    timer.timeout.connect(tick)
    timer.start(TICK_MS)
    return timer


def _opening_failed(settings: Settings, error: BaseException) -> tuple[int, bool]:
    """A file found damaged by its quick check gets the offer of the newest good backup (then the start-up
    runs again); any other failure is told."""
    if isinstance(error, faults.Fault) and error.code == "sqlite_damaged":
        from ui.admin import check_database_file

        return (0, True) if check_database_file(settings) else (1, False)
    _cannot_open(error)
    return 1, False


def _probe_startup(app: QApplication, settled) -> None:
    """``PST_STARTUP_PROBE=1`` (benchmarks/cold_start.py): say when the first window is painted, then quit;
    ``settled``: quit once ``settled()`` (the database open, the day's tasks done, the role windows loaded)."""
    from ui.startup_probe import FirstWindowProbe

    FirstWindowProbe(app, settled if os.environ["PST_STARTUP_PROBE"] == "settled" else None)


def _show_status(window: QtWidgets.QMainWindow, start: opening.Opening) -> None:
    """The background work's status in the window's status bar; a damaged database is also said aloud."""
    shown = {"status": None}

    def tick() -> None:
        if start.status == shown["status"]:
            return
        shown["status"] = start.status
        indonesian, english = opening.STATUS[start.status]
        text = tr(indonesian, english).format(reason=start.reason)
        window.statusBar().showMessage(text)
        if start.status == "damaged":
            QtWidgets.QMessageBox.warning(window, APP_NAME, text)

    timer = QTimer(window)
    timer.timeout.connect(tick)
    timer.start(STATUS_MS)
    tick()


def _role_window(app: QApplication, start: opening.Opening, settings: Settings, actor) -> tuple[int, object]:
    """The signed-in role's window, run until it closes: (exit code, the closed window or None)."""
    from models import Role

    database = start.wait()
    if actor.role is Role.KIOSK:
        from ui.kiosk.app import prepare

        if database.read_only:  # a kiosk records every visitor: it cannot serve from a read-only view
            QtWidgets.QMessageBox.information(None, APP_NAME, second_copy.holder_sentence(settings) + "\n\n" + tr(
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
        from ui.main_window import MainWindow

        window = MainWindow(database, actor, settings)
    _show_status(window, start)
    window.show()
    return app.exec(), window

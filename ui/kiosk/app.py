"""``pst kiosk``: open the database, act as the office's kiosk account, make sure a staff PIN exists
(and ask for a new one when it is old), and run the locked full-screen kiosk until staff leave it."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from pstdesktop import APP_NAME, instance
from pstdesktop.bootstrap import Database, open_database
from pstdesktop.config import Settings, read_settings_file, write_settings_file
from pstdesktop.services import kiosk
from pstdesktop.services.errors import DomainError
from ui import second_copy
from ui.i18n import apply_qt_language, language, set_language, tr
from ui.kiosk.staff import PinSetupDialog
from ui.kiosk.window import MODES, KioskWindow
from ui.widgets import catch_faults

TICKET_WIDTHS = (58, 80)


def ticket_width(settings: Settings) -> int:
    """``ticket_width_mm`` in settings.json (58 or 80; 58 when absent or unreadable)."""
    try:
        width = int(read_settings_file(settings.data_dir).get("ticket_width_mm", 58))
    except (RuntimeError, TypeError, ValueError):
        return 58
    return width if width in TICKET_WIDTHS else 58


def kiosk_home(settings: Settings) -> str:
    """``kiosk_home`` in settings.json: what this kiosk PC serves, ``guestbook``, ``poll`` or ``both`` (a start
    screen with the two; for a small office's single kiosk). ``guestbook`` when absent or unreadable."""
    try:
        mode = read_settings_file(settings.data_dir).get("kiosk_home", "guestbook")
    except RuntimeError:
        return "guestbook"
    return mode if mode in MODES else "guestbook"


def run(settings: Settings, mode: str | None = None) -> int:
    set_language(settings.language)
    catch_faults(settings.data_dir)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    apply_qt_language()
    if second_copy.gate(settings, kiosk=True) is not True:  # another copy holds this PC's data
        return 1
    database = _open(settings)
    if isinstance(database, int):
        instance.release_all()
        return database
    try:
        window = prepare(database, settings, mode)
        if window is None:
            return 1
        window.showFullScreen()
        return app.exec()
    finally:
        database.dispose()
        instance.release_all()


def _open(settings: Settings) -> Database | int:
    """The database, or the exit code after telling why not. A server that cannot be reached gets the start-up
    screen of ui.admin.join (retry, a supervisor's change of server, close), never a local file."""
    from dataclasses import replace

    from ui.admin.join import server_unreachable

    while True:
        try:
            return open_database(settings)
        except Exception as error:  # noqa: BLE001 - told in plain words, not a traceback
            if settings.is_sqlite:
                return _refuse(tr(f"Basis data tidak dapat dibuka:\n{error}", f"The database cannot be opened:\n{error}"))
            code, again = server_unreachable(settings, error)
            if not again:
                return code
            stored = read_settings_file(settings.data_dir).get("database_url")
            settings = replace(settings, database_url=stored or settings.database_url)


def prepare(database: Database, settings: Settings, mode: str | None = None) -> KioskWindow | None:
    """The kiosk window, or None after telling why the kiosk cannot run. ``mode`` (``pst kiosk --mode``)
    holds for this run; without it the PC's ``kiosk_home`` setting, which staff change at the kiosk."""
    try:
        with database.unit_of_work() as session:
            actor = kiosk.kiosk_actor(session)
            has_pin = kiosk.kiosk_pin_is_set(session, actor.office_id)
            old_pin = kiosk.kiosk_pin_is_old(session, actor.office_id)
    except DomainError as refused:
        _refuse(refused.message(language()) + "\n\n" + tr(
            "Mode kios memerlukan profil kantor dan akun berperan Kios. Jalankan aplikasi staf (pst) sebagai "
            "supervisor untuk menyiapkannya.",
            "Kiosk mode needs the office profile and an account with the Kiosk role. Start the staff "
            "application (pst) as a supervisor to set them up."))
        return None
    if not has_pin and PinSetupDialog(database).exec() != QDialog.DialogCode.Accepted:
        _refuse(tr("Kios tidak dijalankan karena PIN staf belum ditetapkan.",
                   "The kiosk was not started because no staff PIN has been set."))
        return None
    if old_pin:
        PinSetupDialog(database, renew=True).exec()  # "Later" keeps the old PIN working
    return KioskWindow(database, actor, mode or kiosk_home(settings), tickets_dir=settings.data_dir / "tickets",
                       ticket_width=ticket_width(settings), default_language=settings.language,
                       remember_mode=lambda chosen: write_settings_file(settings.data_dir, kiosk_home=chosen))


def _refuse(text: str) -> int:
    box = QMessageBox(QMessageBox.Icon.Critical, tr("Kios PST tidak dapat dijalankan", "The PST kiosk cannot run"),
                      text, QMessageBox.StandardButton.Ok)
    box.setObjectName("kioskRefusal")
    box.exec()
    return 1

"""Start-up of the GUI: open (and migrate) the database, first-run setup, sign-in, staff window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from pstdesktop import APP_NAME
from pstdesktop.bootstrap import open_database
from pstdesktop.config import Settings
from pstdesktop.services.office import first_office
from ui.i18n import set_language, tr
from ui.login import LoginDialog, SetupDialog
from ui.main_window import MainWindow


def run(settings: Settings) -> int:
    set_language(settings.language)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    try:
        database = open_database(settings)
    except Exception as error:  # shown, not a crash: the office has no IT staff
        QMessageBox.critical(None, APP_NAME, tr(f"Basis data tidak dapat dibuka:\n{error}",
                                                f"The database cannot be opened:\n{error}"))
        return 1
    try:
        with database.unit_of_work() as session:
            office = first_office(session)
        if office is None:
            if SetupDialog(database).exec() != QDialog.DialogCode.Accepted:
                return 0
            with database.unit_of_work() as session:
                office = first_office(session)
        dialog = LoginDialog(database, office.name)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
            return 0
        window = MainWindow(database, dialog.actor)
        window.show()
        return app.exec()
    finally:
        database.dispose()

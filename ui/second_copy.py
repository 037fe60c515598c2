"""A second start on SQLite data that another copy of the application holds: one sentence saying which
PC and user hold it, and the choice between "Lihat saja (hanya baca)" — the database opened read-only,
every change refused — and "Tutup". The kiosk only closes: it cannot serve visitors without writing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtWidgets
from PySide6.QtWidgets import QLabel, QWidget

from pstdesktop import APP_NAME, faults, instance
from pstdesktop.config import Settings
from pstdesktop.opening import sqlite_file
from ui.i18n import language, tr
from ui.widgets import error_text, named

if TYPE_CHECKING:
    from pstdesktop.bootstrap import Database


def holder_sentence(settings: Settings) -> str:
    """Who holds this PC's SQLite data now, in one sentence ("" when nobody else does)."""
    file = sqlite_file(settings)
    holder = instance.other_holder(file) if file is not None else None
    if holder is None:
        return ""
    from pstdesktop import backup

    return holder.sentence(language(), backup.office_zone(file) if file.exists() else None)


def read_only_banner(settings: Settings | None) -> QLabel:
    """The band under the header of a read-only view: why nothing can be changed, and who holds the data."""
    holder = holder_sentence(settings) if settings is not None else ""
    banner = named(QLabel(tr(
        "<b>Mode hanya baca.</b> Anda dapat melihat dan mencari, tetapi tidak dapat mengubah apa pun. ",
        "<b>Read-only mode.</b> You can look and search, but cannot change anything. ") + holder), "readOnlyBanner",
        tr("Mode hanya baca", "Read-only mode"))
    banner.setWordWrap(True)
    banner.setStyleSheet("background: #fff4ce; color: #5c4400; border: 1px solid #e0c36a; border-radius: 4px;"
                         " padding: 6px 10px;")
    return banner


def gate(settings: Settings, *, kiosk: bool = False, parent: QWidget | None = None) -> Database | bool:
    """Take the data for this copy (True: go on as usual; also on PostgreSQL, where there is no lock), or
    ask what to do when another copy holds it: a read-only ``Database`` to look, or False to close."""
    file = sqlite_file(settings)
    if file is None:
        return True
    holder = instance.claim(file)
    if holder is None:
        return True
    from pstdesktop import backup
    from pstdesktop.bootstrap import open_read_only

    sentence = holder.sentence(language(), backup.office_zone(file) if file.exists() else None)
    message = QtWidgets.QMessageBox
    box = message(message.Icon.Information, tr("Data sedang dipakai", "The data is in use"), sentence,
                  message.StandardButton.NoButton, parent)
    box.setObjectName("secondCopyBox")
    if kiosk:
        box.setInformativeText(tr(
            "Kios tidak dapat berjalan bersamaan dengan salinan itu, karena setiap tamu dicatat ke data yang sama. "
            "Tutup aplikasi di sana lebih dulu.",
            "The kiosk cannot run alongside that copy, since every visitor is recorded in the same data. Close "
            "the application there first."))
    else:
        box.setInformativeText(tr(
            "Satu data hanya dibuka oleh satu salinan aplikasi, agar tidak ada pekerjaan yang hilang. Anda dapat "
            "melihat data ini tanpa mengubahnya, atau menutup aplikasi ini.",
            "One set of data is opened by one copy of the application only, so that no work is lost. You can look "
            "at this data without changing it, or close this application."))
        look = box.addButton(tr("Lihat saja (hanya baca)", "View only (read-only)"), message.ButtonRole.AcceptRole)
        look.setObjectName("viewReadOnlyButton")
    close = box.addButton(tr("Tutup", "Close"), message.ButtonRole.RejectRole)
    close.setObjectName("closeButton")
    box.setDefaultButton(close)
    box.exec()
    if kiosk or box.clickedButton() is not look:
        return False
    try:
        return open_read_only(file)
    except Exception as error:  # noqa: BLE001 - a Fault, a schema of another version, or SQLite's refusal
        if isinstance(error, faults.Fault):
            reason = error.message(language())
        elif str(error) == "schema":
            reason = tr("data itu dipakai oleh versi aplikasi yang lain; perbarui aplikasi di PC ini atau di sana.",
                        "that data is used by another version of the application; update the application on this "
                        "PC or there.")
        else:
            reason = error_text(error)
        QtWidgets.QMessageBox.warning(parent, APP_NAME, tr(f"Data tidak dapat dibuka untuk dilihat: {reason}",
                                                 f"The data cannot be opened for viewing: {reason}"))
        return False

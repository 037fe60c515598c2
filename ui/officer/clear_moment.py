"""When an online request became clear (complete and agreed): the field of the conformity step, where the
officer may back-date it (a request entered late), and the dialog that corrects it afterwards with a reason.
The 10 working days of the online standard count from it; the field shows the deadline it gives."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pstdesktop.bootstrap import Database
from pstdesktop.services import requests
from pstdesktop.services.access import Actor
from pstdesktop.services.clock import fmt_local
from pstdesktop.services.deadlines import online_due
from pstdesktop.services.errors import DomainError
from pstdesktop.services.online import CaseFile
from ui.forms import FormErrors, GuardedDialog
from ui.i18n import language, tr
from ui.officer.common import ERROR_STYLE, STYLE, hint, primary
from ui.widgets import error_text, fit_to_screen, named, office_datetime, office_now, to_utc

FORMAT = "dd-MM-yyyy HH:mm"


class ClearField(QWidget):
    """A date and time in office time, with the deadline it gives beside it. ``moment()`` is None while the
    officer has not changed the default "now" (the approval moment is then the exact instant of approval)."""

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.zone, self.received_at, self.touched = "WIB", None, False
        self.edit = named(QDateTimeEdit(), name, tr("Saat permintaan jelas", "When the request became clear"))
        self.edit.setDisplayFormat(FORMAT)
        self.edit.setCalendarPopup(True)
        self.edit.setMinimumWidth(170)
        self.due = named(QLabel(""), f"{name}Due", tr("Batas waktu", "Deadline"))
        self.due.setTextFormat(Qt.TextFormat.RichText)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.due, 1)
        self.edit.dateTimeChanged.connect(self._changed)

    def start(self, zone: str, received_at: datetime | None, moment: datetime | None = None) -> None:
        """Show ``moment`` (default: now, untouched) for a request received at ``received_at``."""
        self.zone, self.received_at = zone, received_at
        self.edit.blockSignals(True)
        self.edit.setDateTime(office_datetime(moment, zone) if moment is not None else office_now(zone))
        self.edit.blockSignals(False)
        self.touched = False
        self._show_due()

    def _changed(self) -> None:
        self.touched = True
        self._show_due()

    def typed(self) -> datetime:
        """What the field says, as an instant; the minute the request was received means that instant
        (the field shows minutes, the request's arrival may carry seconds)."""
        moment = to_utc(self.edit.dateTime(), self.zone)
        if self.received_at is not None and moment < self.received_at < moment + timedelta(minutes=1):
            return self.received_at
        return moment

    def moment(self) -> datetime | None:
        return self.typed() if self.touched else None

    def _show_due(self) -> None:
        due = online_due(self.typed(), self.zone)
        self.due.setText(tr(f"batas 10 hari kerja: <b>{fmt_local(due, self.zone)}</b>",
                            f"10-working-day deadline: <b>{fmt_local(due, self.zone)}</b>"))


class ClearMomentDialog(GuardedDialog):
    """Correct when an approved online request became clear; the deadline moves with it. A reason is
    required (kept in the audit trail with the old and the new moment)."""

    def __init__(self, database: Database, actor: Actor, case: CaseFile, parent=None):
        super().__init__(parent)
        self.database, self.actor, self.case = database, actor, case
        named(self, "clearMomentDialog", tr("Ubah saat permintaan jelas", "Change when the request became clear"))
        self.setWindowTitle(tr(f"Saat permintaan jelas — {case.number}", f"When the request became clear — {case.number}"))
        self.setStyleSheet(STYLE)
        self.setMinimumWidth(560)
        fit_to_screen(self, (620, 360))
        self.field = ClearField("clearMomentEdit")
        self.field.start(case.time_zone, case.received_at, case.clear_at)
        self.reason = named(QPlainTextEdit(), "clearMomentReason", tr("Alasan perubahan", "Reason for the change"))
        self.reason.setPlaceholderText(tr("Mis.: syarat lengkap dan disepakati lewat email tanggal …, dicatat terlambat",
                                          "E.g.: complete and agreed by email on …, entered late"))
        self.reason.setFixedHeight(80)
        self.message = named(QLabel(""), "clearMomentMessage", tr("Pesan", "Message"))
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        form = QFormLayout()
        form.addRow(tr("Diterima", "Received"), QLabel(case.received))
        form.addRow(tr("Jelas sejak", "Clear since"), self.field)
        form.addRow(tr("Alasan", "Reason"), self.reason)
        self.errors = FormErrors(self, self.message, {"clear_at": self.field.edit, "reason": self.reason},
                                 forms=[form], summary_style=ERROR_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = primary(named(buttons.button(QDialogButtonBox.StandardButton.Save), "clearMomentSave",
                                         tr("Simpan", "Save")))
        self.save_button.setText(tr("Simpan", "Save"))
        cancel = named(buttons.button(QDialogButtonBox.StandardButton.Cancel), "clearMomentCancel", tr("Batal", "Cancel"))
        cancel.setText(tr("Batal", "Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint(tr(
            "Batas waktu layanan daring adalah 10 hari kerja sejak permintaan jelas (lengkap dan disepakati). "
            "Tidak boleh sebelum permintaan diterima dan tidak boleh di masa depan; perubahan dicatat di jejak "
            "audit bersama alasannya.",
            "The online service deadline is 10 working days from when the request became clear (complete and "
            "agreed). It cannot be before the request was received nor in the future; the change is kept in the "
            "audit trail with its reason.")))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.watch_changes([self.field.edit, self.reason])

    def save(self) -> None:
        moment, reason = self.field.typed(), self.reason.toPlainText()
        try:
            with self.database.unit_of_work() as session:
                requests.set_clear_at(session, self.actor, self.case.request_id, moment, reason)
        except DomainError as error:
            if not (error.field and self.errors.show({error.field: error})):
                self.errors.say(error.message(language()))
            return
        except Exception as error:  # shown in the form, which stays open with what was typed
            self.errors.say(error_text(error))
            return
        self.unsaved = None
        self.accept()


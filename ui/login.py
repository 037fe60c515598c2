"""Sign-in of a staff account, and the first-run setup of the office profile. The sign-in imports neither
SQLAlchemy nor the services: it shows while the database is still being opened (``pstdesktop.opening``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from pstdesktop.services.errors import MESSAGES, DomainError
from ui.forms import FormErrors, GuardedDialog
from ui.i18n import language, tr
from ui.widgets import fit_to_screen, named

if TYPE_CHECKING:
    from pstdesktop.bootstrap import Database
    from pstdesktop.opening import Opening
    from pstdesktop.services.access import Actor


class LoginDialog(QDialog):
    """Username and password; a failed attempt is counted and explained. ``database`` may still be opening."""

    def __init__(self, database: Database | Opening, office_name: str, parent=None):
        super().__init__(parent)
        self.database = database
        self.actor: Actor | None = None
        self.read_only_failures = 0
        self.setWindowTitle(tr("Masuk — PST Desktop", "Sign in — PST Desktop")
                            + (tr(" (hanya baca)", " (read-only)") if database.read_only else ""))
        self.setMinimumWidth(420)
        fit_to_screen(self)  # its size hint, within the screen, when shown
        title = QLabel(f"<b>{office_name}</b><br>{tr('Pelayanan Statistik Terpadu', 'Integrated Statistical Services')}")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.username = named(QLineEdit(), "loginUsername", tr("Nama pengguna", "Username"))
        self.password = named(QLineEdit(), "loginPassword", tr("Kata sandi", "Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = named(QLabel(""), "loginMessage", tr("Pesan", "Message"))
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Nama pengguna", "Username"), self.username)
        form.addRow(tr("Kata sandi", "Password"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Masuk", "Sign in"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal", "Cancel"))
        named(buttons.button(QDialogButtonBox.StandardButton.Ok), "loginButton", tr("Masuk", "Sign in"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addLayout(form)
        forgot = named(QPushButton(tr("Lupa kata sandi atau akun terkunci?", "Forgot the password or locked out?")),
                       "recoverLink", tr("Pulihkan akun", "Recover account"))
        forgot.setFlat(True)
        forgot.setCursor(Qt.CursorShape.PointingHandCursor)
        forgot.setStyleSheet("QPushButton { color: #1a56b0; text-decoration: underline; border: none; }")
        forgot.clicked.connect(self.recover)
        layout.addWidget(self.message)
        layout.addWidget(forgot, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(buttons)

    def opened(self) -> Database | None:
        """The database, once open (waiting for it if needed); None when it could not be opened: the
        sign-in closes and its owner says why."""
        wait = getattr(self.database, "wait", None)
        if wait is None:
            return self.database
        try:
            return wait()
        except BaseException:  # noqa: BLE001 - ui.app tells the opening's fault
            self.reject()
            return None

    def recover(self) -> None:
        """A supervisor signs in again with the office's recovery code."""
        from ui.recovery import RecoverDialog

        database = self.opened()
        if database is None:
            return
        dialog = RecoverDialog(database, self.username.text(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.actor is not None:
            self.actor = dialog.actor
            self.accept()

    def try_login(self) -> None:
        from pstdesktop.services.office import MAX_FAILED_LOGINS, login

        database = self.opened()
        if database is None:
            return
        with database.unit_of_work() as session:
            actor, error = login(session, self.username.text(), self.password.text())
            if database.read_only:  # a read-only view writes nothing: its wrong answers count here
                session.expunge_all()
                self.read_only_failures += actor is None
        if actor is None and self.read_only_failures >= MAX_FAILED_LOGINS:
            self.reject()
            return
        if actor is None:
            self.message.setText(MESSAGES[error][1 if language() == "en" else 0])
            self.password.clear()
            return
        self.actor = actor
        self.accept()


class SetupDialog(GuardedDialog):
    """First run: the office profile and the first supervisor account. Every problem is shown at once;
    closing with something typed asks first."""

    def __init__(self, database: Database, parent=None):
        from ui.admin.units import UnitPicker

        super().__init__(parent)
        self.database = database
        self.setWindowTitle(tr("Pengaturan awal kantor", "Office first-run setup"))
        self.setMinimumWidth(560)
        fit_to_screen(self)  # its size hint, within the screen, when shown
        intro = QLabel(tr("Isi profil kantor BPS dan akun supervisor pertama. Semua dapat diubah kemudian.",
                          "Fill in the BPS office profile and the first supervisor account. All can be changed later."))
        intro.setWordWrap(True)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label_id, label_en, hint in (
            ("name", "Nama kantor", "Office name", "BPS Provinsi Maluku"),
            ("unit_code", "Kode unit BPS (4 digit)", "BPS unit code (4 digits)", "8100"),
            ("city", "Kota", "City", "Ambon"),
            ("address", "Alamat", "Address", ""),
            ("satker_code", "Kode satker SIMPONI (6 digit)", "SIMPONI satker code (6 digits)", ""),
            ("treasurer_name", "Nama Bendahara Penerimaan", "Revenue treasurer's name", ""),
            ("treasurer_nip", "NIP Bendahara (18 digit)", "Treasurer NIP (18 digits)", ""),
            ("username", "Nama pengguna supervisor", "Supervisor username", "supervisor"),
            ("full_name", "Nama lengkap supervisor", "Supervisor full name", ""),
            ("password", "Kata sandi supervisor (min. 10 karakter)", "Supervisor password (at least 10 characters)", ""),
            ("repeat", "Ulangi kata sandi", "Repeat the password", ""),
        ):
            edit = named(QLineEdit(), f"setup_{key}", tr(label_id, label_en))
            edit.setPlaceholderText(tr(f"contoh: {hint}", f"e.g. {hint}") if hint else "")
            if key in ("password", "repeat"):
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.fields[key] = edit
            form.addRow(tr(label_id, label_en), edit)
        self.zone = named(QComboBox(), "setup_time_zone", tr("Zona waktu", "Time zone"))
        self.zone.addItems(["WIB", "WITA", "WIT"])
        form.insertRow(3, tr("Zona waktu", "Time zone"), self.zone)
        self.unit = UnitPicker("setup_unit")
        self.unit.chosen.connect(self.fill_from_unit)
        form.insertRow(0, tr("Unit BPS (pilih atau ketik)", "BPS unit (choose or type)"), self.unit)
        self.message = named(QLabel(""), "setupMessage", tr("Pesan", "Message"))
        self.message.setWordWrap(True)
        self.errors = FormErrors(self, self.message, {
            key: self.zone if key == "time_zone" else self.fields[key]
            for key in ("name", "unit_code", "city", "time_zone", "address", "satker_code", "treasurer_name",
                        "treasurer_nip", "username", "full_name", "password", "repeat")}, forms=[form])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        named(buttons.button(QDialogButtonBox.StandardButton.Save), "setupSave", tr("Simpan", "Save"))
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Simpan", "Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal", "Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.watch_changes()

    def fill_from_unit(self, unit: dict) -> None:
        """A unit chosen from the list fills name, code, city and time zone (all still editable)."""
        for key in ("name", "unit_code", "city"):
            self.fields[key].setText(unit[key])
        self.zone.setCurrentText(unit["time_zone"])

    def save(self) -> None:
        """Check the whole form (every problem marked at once); save only when nothing is left."""
        from pstdesktop.services.office import check_setup, setup_office
        from ui.recovery import RecoveryCodeDialog

        values = {key: edit.text() for key, edit in self.fields.items()}
        office = {k: values[k] for k in ("name", "unit_code", "city", "address", "satker_code", "treasurer_name",
                                         "treasurer_nip")} | {"time_zone": self.zone.currentText()}
        errors = check_setup(office, values["username"], values["full_name"], values["password"], values["repeat"])
        if "repeat" in errors:  # a typo here would lock the only supervisor out: both are typed again
            self.fields["password"].clear()
            self.fields["repeat"].clear()
        if self.errors.show(errors):
            return
        try:
            with self.database.unit_of_work() as session:
                _office, _account, code = setup_office(session, office, values["username"], values["full_name"],
                                                       values["password"])
        except DomainError as error:
            self.errors.show({error.field or "": error})
            return
        RecoveryCodeDialog(code, self).exec()
        self.accept()

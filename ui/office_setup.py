"""The first-run setup of the office: its profile and the first supervisor account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from pstdesktop.services.errors import DomainError
from ui.forms import FormErrors, GuardedDialog
from ui.i18n import tr
from ui.widgets import fit_to_screen, named

if TYPE_CHECKING:
    from pstdesktop.bootstrap import Database


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

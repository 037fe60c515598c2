"""Profil kantor: the office profile printed on every document, the treasurer, the SIMPONI satker,
stamp duty (materai), billing code validity, and how long visitors' personal data is kept."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from pstdesktop.bootstrap import Database
from pstdesktop.services.access import Actor
from pstdesktop.services.clock import ZONES
from pstdesktop.services.office import office_of, update_office
from pstdesktop.services.retention import MIN_RETENTION_DAYS, erase_expired, set_retention
from ui.admin.common import AdminTab, StatusLine, ask
from ui.admin.units import UnitPicker
from ui.i18n import tr
from ui.widgets import named

TEXT_FIELDS = (  # key, Indonesian label, English label, hint
    ("name", "Nama kantor", "Office name", "BPS Provinsi Maluku"),
    ("unit_code", "Kode unit BPS (4 digit)", "BPS unit code (4 digits)", "8100"),
    ("city", "Kota (dicetak di kuitansi)", "City (printed on receipts)", "Ambon"),
    ("address", "Alamat", "Address", ""),
    ("phone", "Telepon", "Phone", ""),
    ("email", "Email", "Email", ""),
    ("satker_code", "Kode satker SIMPONI (6 digit)", "SIMPONI satker code (6 digits)", "054081"),
    ("satker_name", "Nama satker", "Satker name", ""),
    ("treasurer_name", "Nama Bendahara Penerimaan", "Revenue treasurer's name", ""),
    ("treasurer_nip", "NIP Bendahara (18 digit)", "Treasurer NIP (18 digits)", ""),
)
OFFICE_KEYS = ("name", "unit_code", "city", "address", "phone", "email")


def _days_box(name: str, label: str, low: int, high: int) -> QSpinBox:
    box = named(QSpinBox(), name, label)
    box.setRange(low, high)
    box.setSuffix(tr(" hari", " days"))
    box.setLocale(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia))
    box.setGroupSeparatorShown(True)
    return box


class ProfileTab(AdminTab):
    """Edit and save the profile in one step: a refused field changes nothing."""

    saved = Signal()

    def __init__(self, database: Database, actor: Actor):
        super().__init__()
        self.database, self.actor = database, actor
        self.fields: dict[str, QLineEdit] = {}
        for key, label_id, label_en, hint in TEXT_FIELDS:
            edit = named(QLineEdit(), f"profile_{key}", tr(label_id, label_en))
            if hint:
                edit.setPlaceholderText(tr(f"contoh: {hint}", f"e.g. {hint}"))
            self.fields[key] = edit
        self.picker = UnitPicker("profileUnitPicker")
        self.picker.chosen.connect(self.fill_from_unit)
        self.zone = named(QComboBox(), "profile_time_zone", tr("Zona waktu", "Time zone"))
        self.zone.addItems(list(ZONES))
        self.materai = named(QSpinBox(), "profile_materai_amount", tr("Bea meterai", "Stamp duty"))
        self.materai.setRange(0, 1_000_000)
        self.materai.setSingleStep(1000)
        self.materai.setPrefix("Rp")
        self.materai.setLocale(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia))
        self.materai.setGroupSeparatorShown(True)
        self.billing_days = _days_box("profile_billing_validity_days",
                                      tr("Masa berlaku kode billing", "Billing code validity"), 1, 90)
        self.retention = _days_box("profile_retention_days",
                                   tr("Masa simpan data pribadi", "Personal data retention"), MIN_RETENTION_DAYS, 36_500)
        self.save_button = named(QPushButton(tr("Simpan profil", "Save profile")), "profileSave",
                                 tr("Simpan profil", "Save profile"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.erase_button = named(QPushButton(tr("Hapus data pribadi yang sudah lewat masa simpan",
                                                 "Erase personal data past retention")),
                                  "eraseExpiredButton", tr("Hapus data pribadi kedaluwarsa", "Erase expired personal data"))
        self.erase_button.clicked.connect(self.erase_now)
        self.action_buttons = [self.save_button, self.erase_button]
        self.status = StatusLine("profileMessage")
        self._layout()
        self.load()

    def _layout(self) -> None:
        office = QFormLayout()
        office.addRow(tr("Unit BPS (dari daftar)", "BPS unit (from the list)"), self.picker)
        for key in OFFICE_KEYS:
            office.addRow(self._label(key), self.fields[key])
        office.addRow(tr("Zona waktu", "Time zone"), self.zone)
        money = QFormLayout()
        for key in ("satker_code", "satker_name", "treasurer_name", "treasurer_nip"):
            money.addRow(self._label(key), self.fields[key])
        money.addRow(tr("Bea meterai SPPD", "SPPD stamp duty"), self.materai)
        money.addRow(tr("Masa berlaku kode billing", "Billing code validity"), self.billing_days)
        privacy = QFormLayout()
        privacy.addRow(tr("Masa simpan data pribadi", "Keep personal data for"), self.retention)
        note = QLabel(tr("Setelah kunjungan terakhir lebih lama dari masa ini, nama, nomor HP, email dan nomor "
                         "identitas pengunjung dihapus. Jumlah kunjungan dan catatan keuangan tetap.",
                         "When a visitor's last visit is older than this, their name, phone, email and identity "
                         "number are erased. Visit counts and money records stay."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        privacy.addRow(note)
        privacy.addRow(self.erase_button)
        left, right = QGroupBox(tr("Kantor", "Office")), QGroupBox(tr("Bendahara dan SIMPONI", "Treasurer and SIMPONI"))
        left.setLayout(office)
        right_box = QVBoxLayout(right)
        right_box.addLayout(money)
        privacy_group = QGroupBox(tr("Data pribadi pengunjung (UU 27/2022)", "Visitors' personal data (UU 27/2022)"))
        privacy_group.setLayout(privacy)
        column = QVBoxLayout()
        column.addWidget(right)
        column.addWidget(privacy_group)
        column.addStretch(1)
        left_column = QVBoxLayout()
        left_column.addWidget(left)
        left_column.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(left_column, 1)
        row.addLayout(column, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.progress)
        layout.addLayout(bottom)

    @staticmethod
    def _label(key: str) -> str:
        for field, label_id, label_en, _hint in TEXT_FIELDS:
            if field == key:
                return tr(label_id, label_en)
        raise KeyError(key)

    def load(self) -> None:
        """Show what is stored (after a refused save the typed values stay, so only the bad one needs fixing)."""
        with self.database.unit_of_work() as session:
            office = office_of(session, self.actor.office_id)
            values = {key: getattr(office, key) or "" for key in self.fields}
            zone, materai = office.time_zone, office.materai_amount
            billing_days, retention = office.billing_validity_days, office.retention_days
        for key, value in values.items():
            self.fields[key].setText(value)
        self.zone.setCurrentText(zone)
        self.materai.setValue(materai)
        self.billing_days.setValue(billing_days)
        self.retention.setValue(retention)
        self.saved_retention = retention

    def fill_from_unit(self, unit: dict) -> None:
        for key in ("name", "unit_code", "city"):
            self.fields[key].setText(unit[key])
        self.zone.setCurrentText(unit["time_zone"])

    def changes(self) -> dict:
        values: dict = {key: edit.text() for key, edit in self.fields.items()}
        values.update(time_zone=self.zone.currentText(), materai_amount=self.materai.value(),
                      billing_validity_days=self.billing_days.value())
        return values

    def save(self) -> None:
        try:
            with self.database.unit_of_work() as session:
                update_office(session, self.actor, self.changes())
                set_retention(session, self.actor, self.retention.value())
        except Exception as error:  # refused: nothing was written
            self.status.error(error)
            return
        self.load()
        self.status.ok(tr("Profil kantor tersimpan.", "Office profile saved."))
        self.saved.emit()

    def erase_now(self) -> None:
        days = self.saved_retention
        if not ask(self, tr("Hapus data pribadi", "Erase personal data"),
                   tr(f"Hapus data pribadi pengunjung yang kunjungan terakhirnya lebih dari {days} hari yang lalu?\n"
                      "Tindakan ini tidak dapat dibatalkan. Jumlah kunjungan dan catatan keuangan tetap.",
                      f"Erase the personal data of visitors whose last visit is more than {days} days ago?\n"
                      "This cannot be undone. Visit counts and money records stay.")):
            return

        def work(_progress) -> int:
            with self.database.unit_of_work() as session:
                return erase_expired(session, self.actor)

        self.status.setText(tr("Menghapus…", "Erasing…"))
        self.run_in_background(work, self._erased, self.status.error, uses_database=True)

    def _erased(self, count: int) -> None:
        if count:
            self.status.ok(tr(f"Data pribadi {count} pengunjung telah dihapus.",
                              f"The personal data of {count} visitors was erased."))
        else:
            self.status.ok(tr("Tidak ada data pribadi yang melewati masa simpan.",
                              "No personal data is past its retention period."))

"""Profil kantor: the office profile printed on every document (with the logo of the kop), the BPS
official who signs the SPPD and the monthly report, the treasurer, the SIMPONI satker, stamp duty
(materai: its amount and the kuitansi amount above which it is due), billing code validity, the receiving
bank accounts for online transfers, and how long visitors' personal data is kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pstdesktop.bootstrap import Database
from pstdesktop.services.access import Actor
from pstdesktop.services.clock import ZONES
from pstdesktop.services.office import LOGO_LIMIT, office_of, set_logo, update_office
from pstdesktop.services.retention import MIN_RETENTION_DAYS, erase_expired, set_retention
from ui.admin.common import AdminTab, StatusLine, ask
from ui.admin.receiving import ReceivingAccountsBox
from ui.admin.units import UnitPicker
from ui.i18n import counted, tr
from ui.widgets import named, scrolling

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
    ("sppd_signer_name", "Nama pejabat penandatangan", "Signing official's name", "Dr. Maria Tupamahu, M.Si."),
    ("sppd_signer_title", "Jabatan", "Title", "Kepala BPS Provinsi Maluku"),
    ("sppd_signer_nip", "NIP pejabat (18 digit)", "Official's NIP (18 digits)", ""),
)
SIGNER_KEYS = ("sppd_signer_name", "sppd_signer_title", "sppd_signer_nip")
LOGO_PREVIEW = 44  # px
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
    scrolls_itself = True  # its own scroll area keeps the save row outside it (see scrolling_tabs)

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
        self.materai_threshold = named(QSpinBox(), "profile_materai_threshold",
                                       tr("Kuitansi bermeterai jika lebih dari", "Receipt stamped when above"))
        self.materai_threshold.setRange(0, 1_000_000_000)
        self.materai_threshold.setSingleStep(100_000)
        self.materai_threshold.setPrefix("Rp")
        self.materai_threshold.setLocale(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia))
        self.materai_threshold.setGroupSeparatorShown(True)
        self.logo_preview = named(QLabel(), "profileLogoPreview", tr("Logo kantor", "Office logo"))
        self.logo_preview.setFixedSize(LOGO_PREVIEW, LOGO_PREVIEW)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid #bbb; color: #777; font-size: 8pt")
        self.logo_preview.setWordWrap(True)
        self.logo_button = named(QPushButton(tr("Unggah logo…", "Upload logo…")), "profileLogoUpload",
                                 tr("Unggah logo kantor", "Upload the office logo"))
        self.logo_button.setToolTip(tr(f"PNG atau JPEG, paling besar {LOGO_LIMIT // 1024} KB; dicetak di kiri kop "
                                       "surat.", f"PNG or JPEG, at most {LOGO_LIMIT // 1024} KB; printed left in the "
                                       "letterhead."))
        self.logo_button.clicked.connect(self.choose_logo)
        self.logo_remove = named(QPushButton(tr("Hapus logo", "Remove logo")), "profileLogoRemove",
                                 tr("Hapus logo kantor", "Remove the office logo"))
        self.logo_remove.clicked.connect(lambda: self.store_logo(None))
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
        self.action_buttons = [self.save_button, self.erase_button, self.logo_button, self.logo_remove]
        self.status = StatusLine("profileMessage")
        self.accounts = ReceivingAccountsBox(database, actor)
        self._layout()
        self.load()

    def _layout(self) -> None:
        office = QFormLayout()
        office.addRow(tr("Unit BPS (dari daftar)", "BPS unit (from the list)"), self.picker)
        for key in OFFICE_KEYS:
            office.addRow(self._label(key), self.fields[key])
        office.addRow(tr("Zona waktu", "Time zone"), self.zone)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.logo_remove)
        logo_row.addStretch(1)
        office.addRow(tr("Logo di kop surat", "Letterhead logo"), logo_row)
        signer = QFormLayout()
        for key in SIGNER_KEYS:
            signer.addRow(self._label(key), self.fields[key])
        money = QFormLayout()
        for key in ("satker_code", "satker_name", "treasurer_name", "treasurer_nip"):
            money.addRow(self._label(key), self.fields[key])
        money.addRow(tr("Bea meterai (SPPD, kuitansi)", "Stamp duty (SPPD, receipt)"), self.materai)
        money.addRow(tr("Kuitansi bermeterai jika lebih dari", "Receipt stamped when above"), self.materai_threshold)
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
        column.addWidget(self.accounts)
        column.addStretch(1)
        signer_group = QGroupBox(tr("Pejabat penandatangan SPPD dan laporan", "Official signing the SPPD and reports"))
        signer_group.setToolTip(tr("Menandatangani SPPD atas nama BPS dan laporan bulanan PST; kosong: garis titik-titik "
                                   "untuk ditulis tangan.", "Signs the SPPD for BPS and the monthly PST report; empty: "
                                   "a dotted line to write by hand."))
        signer_group.setLayout(signer)
        left_column = QVBoxLayout()
        left_column.addWidget(left)
        left_column.addWidget(signer_group)
        left_column.addWidget(privacy_group)
        left_column.addStretch(1)
        content = QWidget()
        row = QHBoxLayout(content)
        row.setContentsMargins(0, 0, 4, 0)
        row.addLayout(left_column, 1)
        row.addLayout(column, 1)
        self.scroll = named(scrolling(content), "profileScroll", tr("Profil kantor", "Office profile"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)  # the fields scroll on a small screen; Simpan profil stays in view
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
            zone, materai, threshold, logo = office.time_zone, office.materai_amount, office.materai_threshold, office.logo
            billing_days, retention = office.billing_validity_days, office.retention_days
        for key, value in values.items():
            self.fields[key].setText(value)
        self.zone.setCurrentText(zone)
        self.materai.setValue(materai)
        self.materai_threshold.setValue(threshold)
        self.show_logo(logo)
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
                      materai_threshold=self.materai_threshold.value(),
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

    def show_logo(self, logo: bytes | None) -> None:
        pixmap = QPixmap()
        if logo and pixmap.loadFromData(logo):
            self.logo_preview.setPixmap(pixmap.scaled(LOGO_PREVIEW - 4, LOGO_PREVIEW - 4,
                                                      Qt.AspectRatioMode.KeepAspectRatio,
                                                      Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(tr("tanpa logo", "no logo"))
        self.logo_remove.setEnabled(bool(logo))

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Logo kantor", "Office logo"), "",
                                              tr("Gambar PNG atau JPEG", "PNG or JPEG image") + " (*.png *.jpg *.jpeg)")
        if path:
            self.load_logo_file(Path(path))

    def load_logo_file(self, path: Path) -> None:
        """Read the chosen file and store it (the service refuses what is not a small PNG or JPEG)."""
        try:
            content = path.read_bytes()
        except OSError as error:
            self.status.error(tr(f"Berkas {path} tidak dapat dibaca: {error.strerror}",
                                 f"File {path} cannot be read: {error.strerror}"))
            return
        self.store_logo(content)

    def store_logo(self, content: bytes | None) -> None:
        """Save (checked by the service) or remove the logo at once; the preview shows what is stored."""
        try:
            with self.database.unit_of_work() as session:
                set_logo(session, self.actor, content)
        except Exception as error:  # refused: nothing was written
            self.status.error(error)
            return
        with self.database.unit_of_work() as session:
            self.show_logo(office_of(session, self.actor.office_id).logo)
        self.status.ok(tr("Logo kantor tersimpan; dicetak di kop setiap dokumen.", "Office logo saved; it is printed "
                          "in the letterhead of every document.") if content is not None
                       else tr("Logo kantor dihapus.", "Office logo removed."))
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
                              f"The personal data of {counted(count, 'visitor', 'visitors')} was erased."))
        else:
            self.status.ok(tr("Tidak ada data pribadi yang melewati masa simpan.",
                              "No personal data is past its retention period."))

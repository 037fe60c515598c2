"""Kunci QR: the keys that sign the QR of invoices and kuitansi — the current one and the retired ones
(by number and fingerprint, never the key itself) — and "Ganti kunci…", with the reason, for a key that
may have leaked or on the office's own schedule. Documents printed earlier keep verifying."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from pstdesktop.bootstrap import Database
from pstdesktop.services.access import Actor
from pstdesktop.services.clock import fmt_local
from pstdesktop.services.signing import rotate_signing_key, signing_keys
from ui.admin.common import AdminTab, StatusLine, ask
from ui.i18n import tr
from ui.widgets import named


class KeysTab(AdminTab):
    def __init__(self, database: Database, actor: Actor, zone: str):
        super().__init__()
        self.database, self.actor, self.zone = database, actor, zone
        about = QLabel(tr(
            "Kode QR pada invoice dan kuitansi ditandatangani dengan kunci kantor, sehingga bendahara dapat memeriksa "
            "keasliannya saat dipindai. Ganti kunci bila kunci mungkin bocor (mis. salinan basis data atau cadangan "
            "hilang). Dokumen yang sudah dicetak tetap dapat diperiksa dengan kunci lamanya; dokumen baru memakai "
            "kunci baru. Kunci lama tidak berlaku untuk dokumen yang terbit setelah penggantian.",
            "The QR codes on invoices and kuitansi are signed with the office's key, so the treasurer can check that "
            "they are genuine when scanned. Replace the key when it may have leaked (e.g. a copy of the database or "
            "a backup was lost). Documents already printed keep verifying with their old key; new documents use the "
            "new key. An old key is not accepted on documents issued after its replacement."))
        about.setWordWrap(True)
        headers = [tr("Kunci", "Key"), tr("Sidik", "Fingerprint"), tr("Berlaku sejak", "In use since"),
                   tr("Diganti", "Replaced")]
        self.table = named(QTableWidget(0, len(headers)), "keyTable", tr("Kunci tanda tangan QR", "QR signing keys"))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.reason = named(QLineEdit(), "keyReason", tr("Alasan penggantian kunci", "Reason for replacing the key"))
        self.reason.setPlaceholderText(tr("mis. cadangan di flashdisk hilang pada 28-11-2026",
                                          "e.g. the backup on a flash drive was lost on 28-11-2026"))
        self.reason.setMaxLength(500)
        self.rotate_button = named(QPushButton(tr("Ganti kunci…", "Replace the key…")), "rotateKeyButton",
                                   tr("Ganti kunci", "Replace the key"))
        self.rotate_button.clicked.connect(self.rotate)
        self.status = StatusLine("keyMessage")
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Alasan:", "Reason:")))
        row.addWidget(self.reason, 1)
        row.addWidget(self.rotate_button)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        with self.database.unit_of_work() as session:
            keys = signing_keys(session, self.actor)
        self.table.setRowCount(len(keys))
        for r, key in enumerate(keys):
            label = key.label + (tr(" (dipakai sekarang)", " (in use)") if key.retired_at is None else "")
            retired = fmt_local(key.retired_at, self.zone) if key.retired_at else "—"
            for c, text in enumerate((label, key.fingerprint, fmt_local(key.created_at, self.zone), retired)):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def rotate(self) -> None:
        if not self.reason.text().strip():
            self.status.error(tr("Tulis alasan penggantian kunci lebih dulu.", "Write the reason for the replacement "
                                 "first."))
            self.reason.setFocus()
            return
        if not ask(self, tr("Ganti kunci QR", "Replace the QR key"), tr(
                "Ganti kunci tanda tangan QR sekarang?\n\nDokumen yang sudah dicetak tetap dapat diperiksa. Invoice dan "
                "kuitansi yang terbit mulai sekarang memakai kunci baru. Penggantian ini dicatat di jejak audit.",
                "Replace the QR signing key now?\n\nDocuments already printed can still be checked. Invoices and "
                "kuitansi issued from now on use the new key. The replacement is recorded in the audit trail.")):
            return
        try:
            with self.database.unit_of_work() as session:
                key = rotate_signing_key(session, self.actor, self.reason.text())
        except Exception as error:  # a refusal (read-only view, a role) in plain words
            self.status.error(error)
            return
        self.reason.clear()
        self.refresh()
        self.status.ok(tr(f"Kunci diganti: dokumen baru memakai kunci {key.label} (sidik {key.fingerprint}).",
                          f"Key replaced: new documents use key {key.label} (fingerprint {key.fingerprint})."))

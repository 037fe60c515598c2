"""The flag on a hand-over whose files differ in size from what a microdata line was billed for, with
the two ways on: correct the line (priced again; an unpaid invoice is cancelled to be issued anew) or
write why and hand over anyway. The rule and the re-pricing are the services' (delivery, requests)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget, QVBoxLayout

from exports.text import size_text
from models import RequestState
from pstdesktop.services import delivery, requests
from pstdesktop.services.online import CaseFile
from ui.i18n import tr
from ui.officer.common import hint
from ui.widgets import named

S = RequestState
STYLE = ("QFrame#sizeMismatchBox { background:#fff4e5; border:1px solid #e0a040; border-radius:6px }"
         " QFrame#sizeMismatchBox QLabel { background:transparent; border:none }")
RED = QColor("#b3261e")


class SizeCheck(QFrame):
    """Shown under the prepared files while a line's files differ from its billed size."""

    def __init__(self, owner):
        super().__init__()
        self.owner = owner  # the checklist: database, actor, request_id, message, run_step
        self.mismatches: list[delivery.SizeMismatch] = []
        self.correctable = False
        named(self, "sizeMismatchBox", tr("Ukuran berkas berbeda", "File size differs"))
        self.setStyleSheet(STYLE)
        self.text = named(QLabel(""), "sizeMismatchText", tr("Ukuran berkas berbeda", "File size differs"))
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.reason = named(QLineEdit(), "sizeReason", tr("Alasan ukuran berbeda", "Why the size differs"))
        self.reason.setPlaceholderText(tr("Alasan, mis. berkas di-zip", "Reason, e.g. the file is zipped"))
        self.correct_button = named(QPushButton(tr("Koreksi baris ke ukuran berkas", "Correct the line to the file size")),
                                    "sizeCorrect", tr("Koreksi ukuran baris", "Correct the line's size"))
        self.correct_button.clicked.connect(self.correct)
        self.note = named(hint(""), "sizeCorrectNote", tr("Cara koreksi", "How the correction works"))
        row = QHBoxLayout()
        row.addWidget(self.reason, 1)
        row.addWidget(self.correct_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.text)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.setVisible(False)

    def show_case(self, case: CaseFile) -> None:
        """Whether the line can still be priced again here, and what correcting it does."""
        self.correctable = case.state in (S.APPROVED, S.INVOICED) or (
            case.waived and case.state in (S.DELIVERED, S.CORRECTION_REQUESTED))
        if case.waived:
            note = tr("Tarif Rp0: koreksi hanya memperbarui ukuran baris dan harga normalnya.",
                      "Rp0 tariff: the correction only updates the line's size and its normal price.")
        elif case.state is S.INVOICED:
            note = tr(f"Koreksi membatalkan invoice {case.invoice_number} (dengan alasan yang ditulis) dan menghitung "
                      "ulang harga; lalu terbitkan invoice baru.",
                      f"Correcting cancels invoice {case.invoice_number} (with the reason written) and prices the line "
                      "again; then issue a new invoice.")
        elif self.correctable:
            note = tr("Koreksi menghitung ulang harga baris sebelum invoice terbit.",
                      "Correcting prices the line again before the invoice is issued.")
        else:
            note = tr("Invoice sudah dibayar: harga hanya dapat dikoreksi oleh bendahara (pembatalan kuitansi dan "
                      "pengembalian uang, dengan persetujuan supervisor). Bila data tetap diserahkan, tulis alasannya.",
                      "The invoice is paid: the price can only be corrected by the treasurer (receipt cancellation "
                      "and refund, with a supervisor's approval). If the data is handed over anyway, write why.")
        self.note.setText(note)
        self.correct_button.setVisible(self.correctable)  # paid: the note names the treasurer's path

    def check(self, totals: dict[int, int]) -> list[delivery.SizeMismatch]:
        """Ask the service which lines differ (``totals``: line id -> bytes of its measured files)."""
        self.mismatches = []
        if totals:
            try:
                with self.owner.database.unit_of_work() as session:
                    self.mismatches = delivery.size_mismatches(session, self.owner.actor, self.owner.request_id, totals)
            except Exception as error:  # shown, never blocking: the hand-over checks again
                self.owner.message.error(error)
        lines = "".join(tr(f"<br>• <b>{escape(m.title)}</b>: ditagih {size_text(m.billed)}, berkas {size_text(m.delivered)}",
                           f"<br>• <b>{escape(m.title)}</b>: billed {size_text(m.billed)}, files {size_text(m.delivered)}")
                        for m in self.mismatches)
        self.text.setText(tr(f"<b style='color:#8a4b00'>⚠ Ukuran berkas berbeda dari yang ditagih.</b>{lines}"
                             "<br>Koreksi baris (harga dihitung ulang) atau tulis alasannya sebelum diserahkan.",
                             f"<b style='color:#8a4b00'>⚠ File size differs from what was billed.</b>{lines}"
                             "<br>Correct the line (priced again) or write why before handing over."))
        return self.mismatches

    def mark(self, files: QTableWidget, item_ids: list[int | None], column: int) -> None:
        """Red size cells (with the billed size in the tooltip) on the rows of differing lines."""
        flagged = {m.request_item_id: m for m in self.mismatches}
        for row, item_id in enumerate(item_ids):
            mismatch = flagged.get(item_id)
            cell = files.item(row, column)
            if mismatch is None or cell is None or not cell.text():
                continue
            cell.setForeground(RED)
            cell.setText("⚠ " + cell.text())
            cell.setToolTip(tr(f"Ditagih {size_text(mismatch.billed)}; berkas produk ini {size_text(mismatch.delivered)}",
                               f"Billed {size_text(mismatch.billed)}; this product's files {size_text(mismatch.delivered)}"))

    def reason_for_delivery(self) -> str:
        return self.reason.text() if self.mismatches else ""

    def correct(self) -> None:
        """Set each flagged line to the size of its files; the service prices it again."""
        owner, reason, fixes = self.owner, self.reason.text().strip(), list(self.mismatches)

        def action(session):
            for m in fixes:
                why = reason or tr(f"Ukuran disesuaikan dengan berkas yang diserahkan ({size_text(m.delivered)}).",
                                   f"Size set to the files handed over ({size_text(m.delivered)}).")
                requests.correct_size(session, owner.actor, owner.request_id, m.request_item_id, m.delivered, why)

        if owner.run_step(action, tr("Ukuran baris dikoreksi dan harganya dihitung ulang.",
                                     "The line's size is corrected and priced again.")):
            self.reason.clear()

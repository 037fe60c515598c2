"""The kuitansi on screen (preview, print, save as PDF), its cancellation with a reason and a
supervisor's approval (the supervisor types username and password at the treasurer's PC) — with the
corrected kuitansi issued in the same step, or the payment left waiting — and the refund of a payment
whose kuitansi was cancelled."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, QPointF, QSize, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from pstdesktop.bootstrap import Database
from pstdesktop.documents import write_atomically
from pstdesktop.services import ledger
from pstdesktop.services.access import Actor
from ui.i18n import tr
from ui.treasurer.common import MUTED_STYLE, Banner, money
from ui.widgets import fit_to_screen, named


class ReceiptPreview(QDialog):
    """A kuitansi PDF shown page by page, with Print and Save as PDF."""

    def __init__(self, pdf: bytes, title: str, file_name: str, parent=None):
        super().__init__(parent)
        named(self, "receiptPreview", tr("Pratinjau kuitansi", "Receipt preview"))
        self.pdf, self.file_name = pdf, file_name
        self.setWindowTitle(title)
        fit_to_screen(self, (820, 900))
        self.buffer = QBuffer(self)
        self.buffer.setData(QByteArray(pdf))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self.buffer)
        self.view = named(QPdfView(self), "receiptView", tr("Kuitansi", "Receipt"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.message = Banner("previewMessage")
        print_button = named(QPushButton(tr("Cetak…", "Print…")), "printReceipt", tr("Cetak kuitansi", "Print receipt"))
        save_button = named(QPushButton(tr("Simpan PDF…", "Save PDF…")), "saveReceiptPdf",
                            tr("Simpan sebagai PDF", "Save as PDF"))
        close = named(QPushButton(tr("Tutup", "Close")), "closePreview", tr("Tutup", "Close"))
        print_button.clicked.connect(self.print_document)
        save_button.clicked.connect(self.save_pdf)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(save_button)
        buttons.addWidget(print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.render_to(printer)

    def render_to(self, printer: QPrinter) -> None:
        """Each page rendered at the printer's resolution, scaled to the printable area."""
        painter = QPainter()
        if not painter.begin(printer):
            self.message.error(tr("Printer tidak dapat digunakan.", "The printer cannot be used."))
            return
        try:
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                scale = min(area.width() / points.width(), area.height() / points.height())
                size = QSize(int(points.width() * scale), int(points.height() * scale))
                painter.drawImage(QPointF(0, 0), self.document.render(page, size))
        finally:
            painter.end()

    def save_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Simpan kuitansi", "Save receipt"), self.file_name,
                                              "PDF (*.pdf)")
        if path:
            self.write(Path(path))

    def write(self, path: Path) -> bool:
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            write_atomically(path, self.pdf)
        except OSError as error:
            self.message.error(tr(f"Berkas {path} tidak dapat ditulis: {error.strerror or error}. "
                                  "Tidak ada berkas yang dibuat.",
                                  f"File {path} cannot be written: {error.strerror or error}. No file was created."))
            return False
        self.message.ok(tr(f"Disimpan: {path}", f"Saved: {path}"))
        return True


class ApprovalDialog(QDialog):
    """A correction approved by a supervisor: a reason, the supervisor's username and password, and
    a confirm button; ``submit`` does the step."""

    def _approval_form(self, reason_name: str, placeholder: tuple[str, str]) -> QFormLayout:
        self.reason = named(QPlainTextEdit(), reason_name, tr("Alasan", "Reason"))
        self.reason.setPlaceholderText(tr(*placeholder))
        self.reason.setFixedHeight(72)
        self.username = named(QLineEdit(), "supervisorUsername", tr("Nama pengguna supervisor", "Supervisor username"))
        self.password = named(QLineEdit(), "supervisorPassword", tr("Kata sandi supervisor", "Supervisor password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(tr("Alasan", "Reason"), self.reason)
        form.addRow(tr("Supervisor", "Supervisor"), self.username)
        form.addRow(tr("Kata sandi", "Password"), self.password)
        return form

    def _layout(self, intro: QLabel, fields: list, confirm: QPushButton, close_name: str) -> None:
        note = QLabel(tr("Persetujuan: supervisor lain mengetik nama pengguna dan kata sandinya sendiri.",
                         "Approval: another supervisor types their own username and password."))
        note.setStyleSheet(MUTED_STYLE)
        close = named(QPushButton(tr("Kembali", "Back")), close_name, tr("Kembali", "Back"))
        close.clicked.connect(self.reject)
        confirm.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for field in fields:
            (layout.addLayout if isinstance(field, QFormLayout) else layout.addWidget)(field)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        fit_to_screen(self)


class CancelReceiptDialog(ApprovalDialog):
    """Cancel a wrong kuitansi: the reason, the approving supervisor, and whether the corrected
    kuitansi is issued now (the usual case) or the payment waits (for a later kuitansi or a refund)."""

    cancelled = Signal(int)  # the new kuitansi's id, or 0 when the payment now waits

    def __init__(self, database: Database, actor: Actor, receipt: ledger.ReceiptRow, parent=None):
        super().__init__(parent)
        named(self, "cancelReceiptDialog", tr("Batalkan kuitansi", "Cancel receipt"))
        self.database, self.actor, self.receipt = database, actor, receipt
        self.setWindowTitle(tr(f"Batalkan kuitansi {receipt.number}", f"Cancel receipt {receipt.number}"))
        self.setMinimumWidth(520)
        intro = QLabel(tr(f"Kuitansi <b>{receipt.number}</b> ({money(receipt.amount)}, {receipt.received_from}) "
                          "tetap tercatat di buku dengan tanda DIBATALKAN; koreksinya dibukukan hari ini.",
                          f"Receipt <b>{receipt.number}</b> ({money(receipt.amount)}, {receipt.received_from}) "
                          "stays in the books marked CANCELLED; the correction is booked today."))
        intro.setWordWrap(True)
        form = self._approval_form("cancelReason", ("contoh: nama pembayar salah ditulis",
                                                    "e.g. the payer's name was wrong"))
        self.replace = named(QCheckBox(tr("Terbitkan kuitansi pengganti sekarang (langkah yang sama)",
                                          "Issue the corrected receipt now (same step)")),
                             "reissueNow", tr("Terbitkan kuitansi pengganti", "Issue the corrected receipt"))
        self.replace.setChecked(True)
        self.after = QLabel("")
        self.after.setWordWrap(True)
        self.after.setStyleSheet(MUTED_STYLE)
        self.replace.toggled.connect(self._explain)
        self._explain(True)
        self.message = Banner("cancelMessage")
        self.confirm = named(QPushButton(tr("Batalkan kuitansi", "Cancel the receipt")), "confirmCancelReceipt",
                             tr("Batalkan kuitansi", "Cancel the receipt"))
        self._layout(intro, [form, self.replace, self.after], self.confirm, "closeCancelReceipt")

    def _explain(self, replace: bool) -> None:
        self.after.setText(tr(
            "Kuitansi baru untuk pembayaran yang sama terbit dan dapat dicetak; status permintaan tidak berubah."
            if replace else
            "Pembayaran kembali menunggu kuitansi: data tidak dapat diserahkan sampai kuitansi baru terbit, atau "
            "uangnya dikembalikan (tab Kuitansi → Kembalikan uang).",
            "A new receipt for the same payment is issued and can be printed; the request keeps its state."
            if replace else
            "The payment waits for a receipt again: no data can be handed over until a new receipt is issued, or "
            "the money is refunded (Receipts tab → Refund)."))

    def submit(self) -> None:
        step = ledger.reissue_receipt if self.replace.isChecked() else ledger.cancel_receipt
        try:
            with self.database.unit_of_work() as session:
                result = step(session, self.actor, self.receipt.receipt_id, self.reason.toPlainText(),
                              self.username.text(), self.password.text())
                new_id = result.id if self.replace.isChecked() else 0
        except Exception as error:
            self.message.error(error)
            self.password.clear()
            return
        self.cancelled.emit(new_id)
        self.accept()


class RefundDialog(ApprovalDialog):
    """Pay back a payment whose kuitansi was cancelled: how, when and why, approved by a supervisor."""

    refunded = Signal(int)

    def __init__(self, database: Database, actor: Actor, payment: ledger.PaymentRow, today: date, parent=None):
        super().__init__(parent)
        named(self, "refundDialog", tr("Pengembalian uang", "Refund"))
        self.database, self.actor, self.payment = database, actor, payment
        self.setWindowTitle(tr(f"Kembalikan uang — invoice {payment.invoice_number}",
                               f"Refund — invoice {payment.invoice_number}"))
        self.setMinimumWidth(540)
        intro = QLabel(tr(
            f"Pembayaran <b>{money(payment.amount)}</b> dari {payment.payer} (invoice {payment.invoice_number}) "
            "tidak lagi berkuitansi. Uangnya dikembalikan seluruhnya; pengembalian dicatat di buku pada tanggalnya "
            "dan permintaan dibatalkan.",
            f"The payment of <b>{money(payment.amount)}</b> by {payment.payer} (invoice {payment.invoice_number}) "
            "has no receipt any more. The whole amount is paid back; the refund is booked on its date and the "
            "request is cancelled."))
        intro.setWordWrap(True)
        self.method = named(QComboBox(), "refundMethod", tr("Cara pengembalian", "Refund method"))
        self.method.addItem(tr("Tunai dari kas bendahara", "Cash from the treasurer's box"), "cash")
        self.method.addItem(tr("Transfer ke rekening pembayar", "Transfer to the payer's account"), "transfer")
        self.day = named(QDateEdit(QDate(today.year, today.month, today.day)), "refundDate",
                         tr("Tanggal pengembalian", "Refund date"))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd-MM-yyyy")
        how = QFormLayout()
        how.addRow(tr("Cara", "Method"), self.method)
        how.addRow(tr("Tanggal", "Date"), self.day)
        form = self._approval_form("refundReason", ("contoh: pemohon membatalkan pembelian",
                                                    "e.g. the requester cancelled the purchase"))
        self.message = Banner("refundMessage")
        self.confirm = named(QPushButton(tr("Catat pengembalian", "Record the refund")), "confirmRefund",
                             tr("Catat pengembalian", "Record the refund"))
        self._layout(intro, [how, form], self.confirm, "closeRefund")

    def submit(self) -> None:
        try:
            with self.database.unit_of_work() as session:
                refund = ledger.record_refund(session, self.actor, self.payment.payment_id,
                                              method=self.method.currentData(), refunded_on=self.day.date().toPython(),
                                              reason=self.reason.toPlainText(), supervisor_username=self.username.text(),
                                              supervisor_password=self.password.text())
                refund_id = refund.id
        except Exception as error:
            self.message.error(error)
            self.password.clear()
            return
        self.refunded.emit(refund_id)
        self.accept()

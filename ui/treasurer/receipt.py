"""The kuitansi on screen (preview, print, save as PDF) and its cancellation with a reason and a
supervisor's approval (the supervisor types username and password at the treasurer's PC)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
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
from ui.widgets import named


class ReceiptPreview(QDialog):
    """A kuitansi PDF shown page by page, with Print and Save as PDF."""

    def __init__(self, pdf: bytes, title: str, file_name: str, parent=None):
        super().__init__(parent)
        named(self, "receiptPreview", tr("Pratinjau kuitansi", "Receipt preview"))
        self.pdf, self.file_name = pdf, file_name
        self.setWindowTitle(title)
        self.resize(820, 900)
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


class CancelReceiptDialog(QDialog):
    """Cancel a wrong kuitansi: the reason, and the approving supervisor's username and password."""

    cancelled = Signal(int)

    def __init__(self, database: Database, actor: Actor, receipt: ledger.ReceiptRow, parent=None):
        super().__init__(parent)
        named(self, "cancelReceiptDialog", tr("Batalkan kuitansi", "Cancel receipt"))
        self.database, self.actor, self.receipt = database, actor, receipt
        self.setWindowTitle(tr(f"Batalkan kuitansi {receipt.number}", f"Cancel receipt {receipt.number}"))
        self.setMinimumWidth(520)
        intro = QLabel(tr(f"Kuitansi <b>{receipt.number}</b> ({money(receipt.amount)}, {receipt.received_from}) "
                          "tetap tercatat di buku dengan tanda DIBATALKAN; koreksinya dibukukan hari ini. "
                          "Kuitansi baru dapat diterbitkan untuk pembayaran yang sama.",
                          f"Receipt <b>{receipt.number}</b> ({money(receipt.amount)}, {receipt.received_from}) "
                          "stays in the books marked CANCELLED; the correction is booked today. A new receipt "
                          "can be issued for the same payment."))
        intro.setWordWrap(True)
        self.reason = named(QPlainTextEdit(), "cancelReason", tr("Alasan pembatalan", "Reason"))
        self.reason.setPlaceholderText(tr("contoh: nama pembayar salah ditulis", "e.g. the payer's name was wrong"))
        self.reason.setFixedHeight(80)
        self.username = named(QLineEdit(), "supervisorUsername", tr("Nama pengguna supervisor", "Supervisor username"))
        self.password = named(QLineEdit(), "supervisorPassword", tr("Kata sandi supervisor", "Supervisor password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        note = QLabel(tr("Persetujuan: supervisor mengetik nama pengguna dan kata sandinya sendiri.",
                         "Approval: the supervisor types their own username and password."))
        note.setStyleSheet(MUTED_STYLE)
        form = QFormLayout()
        form.addRow(tr("Alasan", "Reason"), self.reason)
        form.addRow(tr("Supervisor", "Supervisor"), self.username)
        form.addRow(tr("Kata sandi", "Password"), self.password)
        self.message = Banner("cancelMessage")
        self.confirm = named(QPushButton(tr("Batalkan kuitansi", "Cancel the receipt")), "confirmCancelReceipt",
                             tr("Batalkan kuitansi", "Cancel the receipt"))
        close = named(QPushButton(tr("Kembali", "Back")), "closeCancelReceipt", tr("Kembali", "Back"))
        self.confirm.clicked.connect(self.submit)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def submit(self) -> None:
        try:
            with self.database.unit_of_work() as session:
                ledger.cancel_receipt(session, self.actor, self.receipt.receipt_id, self.reason.toPlainText(),
                                      self.username.text(), self.password.text())
        except Exception as error:
            self.message.error(error)
            self.password.clear()
            return
        self.cancelled.emit(self.receipt.receipt_id)
        self.accept()

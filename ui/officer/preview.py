"""The in-application preview of an issued document (QtPdf), printed through the Qt print dialog or
silently to the default printer, or saved as PDF. The PDF is rendered off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from pstdesktop.bootstrap import Database
from pstdesktop.services.access import Actor
from ui.i18n import tr
from ui.officer import jobs
from ui.officer.common import STYLE, MessageLine, Refusal, primary
from ui.widgets import fit_to_screen, named

KINDS = {"invoice": ("Invoice", "Invoice"), "sppd": ("SPPD", "SPPD"), "receipt": ("Kuitansi", "Receipt")}


def renderer(database: Database, actor: Actor, kind: str, ident: int, copy: bool) -> Callable[[], bytes]:
    """The document ``kind`` (invoice id, request id for the SPPD, receipt id) as PDF bytes, in its own
    unit of work (it runs in a worker thread)."""

    def render(_progress=None) -> bytes:
        from pstdesktop import documents

        make = {"invoice": documents.invoice_pdf, "sppd": documents.sppd_pdf, "receipt": documents.receipt_pdf}[kind]
        with database.unit_of_work() as session:
            return make(session, actor, ident, copy=copy)

    return render


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Paint every page on ``printer`` at its resolution, each scaled to fit; returns the pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        raise Refusal(tr("Printer tidak dapat dibuka.", "The printer cannot be opened."))
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            points = document.pagePointSize(page)
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            painter.drawImage(QRect(0, 0, size.width(), size.height()), document.render(page, size))
    finally:
        painter.end()
    return document.pageCount()


class DocumentPreview(QDialog):
    def __init__(self, title: str, render: Callable, file_name: str, parent=None):
        super().__init__(parent)
        named(self, "documentPreview", tr("Pratinjau dokumen", "Document preview"))
        self.setWindowTitle(title)
        self.setStyleSheet(STYLE)
        fit_to_screen(self, (900, 860))
        self.file_name = file_name
        self.content = b""
        self.document = QPdfDocument(self)
        self.buffer: QBuffer | None = None
        self.view = named(QPdfView(self), "previewView", tr("Halaman dokumen", "Document pages"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setStyleSheet("background:#6b7280")
        self.busy = named(QProgressBar(), "previewProgress", tr("Menyiapkan dokumen", "Preparing the document"))
        self.busy.setRange(0, 0)
        self.busy.setFormat(tr("Menyiapkan dokumen…", "Preparing the document…"))
        self.busy.setTextVisible(True)
        self.message = MessageLine("previewMessage")
        self.pages = named(QLabel(""), "previewPages", tr("Jumlah halaman", "Pages"))
        self.print_button = primary(named(QPushButton(tr("Cetak…", "Print…")), "previewPrint", tr("Cetak", "Print")))
        self.quick_button = named(QPushButton(tr("Cetak ke printer bawaan", "Print to the default printer")),
                                  "previewQuickPrint", tr("Cetak ke printer bawaan", "Print to the default printer"))
        self.save_button = named(QPushButton(tr("Simpan PDF…", "Save PDF…")), "previewSave", tr("Simpan PDF", "Save PDF"))
        close = named(QPushButton(tr("Tutup", "Close")), "previewClose", tr("Tutup", "Close"))
        self.print_button.clicked.connect(self.print_with_dialog)
        self.quick_button.clicked.connect(self.print_default)
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.close)
        bar = QHBoxLayout()
        bar.addWidget(self.pages, 1)
        for button in (self.save_button, self.quick_button, self.print_button, close):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        self._enable(False)
        jobs.start(render, done=self.show_pdf, failed=self.failed)

    def _enable(self, ready: bool) -> None:
        for button in (self.print_button, self.quick_button, self.save_button):
            button.setEnabled(ready)
        self.busy.setVisible(not ready and not self.message.isVisible())

    def show_pdf(self, content: bytes) -> None:
        self.content = content
        self.buffer = QBuffer(self)
        self.buffer.setData(QByteArray(content))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self.buffer)
        count = self.document.pageCount()
        self.pages.setText(tr(f"{count} halaman", f"{count} page(s)"))
        self._enable(count > 0)

    def failed(self, error: Exception) -> None:
        self.message.error(error)
        self._enable(False)

    def ready(self) -> bool:
        return self.document.status() == QPdfDocument.Status.Ready and self.document.pageCount() > 0

    def print_with_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._print(printer)

    def print_default(self) -> None:
        info = QPrinterInfo.defaultPrinter()
        if info.isNull():
            self.message.error(tr("Tidak ada printer bawaan yang terpasang di komputer ini.",
                                  "No default printer is installed on this computer."))
            return
        self._print(QPrinter(info, QPrinter.PrinterMode.HighResolution))

    def _print(self, printer: QPrinter) -> None:
        try:
            pages = print_document(self.document, printer)
        except Exception as error:
            self.message.error(error)
            return
        self.message.ok(tr(f"{pages} halaman dikirim ke printer {printer.printerName() or ''}.".replace(" .", "."),
                           f"{pages} page(s) sent to the printer {printer.printerName() or ''}.".replace(" .", ".")))

    def save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Simpan PDF", "Save PDF"), self.file_name, "PDF (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        try:
            path.write_bytes(self.content)
        except OSError as error:
            self.message.error(tr(f"Berkas {path} tidak dapat ditulis: {error.strerror}.",
                                  f"File {path} cannot be written: {error.strerror}."))
            return
        self.message.ok(tr(f"Disimpan ke {path}.", f"Saved to {path}."))


def open_preview(parent, database: Database, actor: Actor, kind: str, ident: int, number: str,
                 copy: bool) -> DocumentPreview:
    """Show the preview of one document (``copy``: a reprint, marked as such)."""
    words = KINDS[kind][0 if tr("id", "en") == "id" else 1]
    title = f"{words} {number}" + (tr(" — salinan", " — copy") if copy else "")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in number)
    dialog = DocumentPreview(title, renderer(database, actor, kind, ident, copy), f"{kind}-{safe}.pdf", parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog

"""Getting the ticket PDF onto paper without a dialog: the default printer when there is one,
otherwise a file in the data folder's ``tickets/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from pstdesktop.services import clock


@dataclass(frozen=True)
class Delivery:
    printed: bool
    where: str  # the printer's name, or the saved file


def deliver_ticket(pdf: bytes, queue_code: str, tickets_dir: Path, printer: QPrinter | None = None) -> Delivery:
    """Print ``pdf`` on ``printer`` (default: the system's default printer); save it when no printer
    exists or printing fails."""
    if printer is None:
        info = QPrinterInfo.defaultPrinter()
        if not info.isNull():
            printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    if printer is not None and print_pdf(pdf, printer):
        return Delivery(True, printer.printerName() or printer.outputFileName())
    return Delivery(False, str(save_ticket(pdf, queue_code, tickets_dir)))


def save_ticket(pdf: bytes, queue_code: str, tickets_dir: Path) -> Path:
    tickets_dir.mkdir(parents=True, exist_ok=True)
    stamp = clock.utcnow().strftime("%Y%m%dT%H%M%SZ")
    target = tickets_dir / f"{stamp}-{queue_code}.pdf"
    target.write_bytes(pdf)
    return target


def print_pdf(pdf: bytes, printer: QPrinter) -> bool:
    """Render each page at the printer's resolution onto a page of the PDF's own size."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        return False
    first = document.pagePointSize(0)
    printer.setFullPage(True)
    printer.setPageLayout(QPageLayout(QPageSize(QSizeF(first.width(), first.height()), QPageSize.Unit.Point,
                                                "ticket", QPageSize.SizeMatchPolicy.ExactMatch),
                                      QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            target = painter.viewport()
            image = document.render(index, QSize(target.width(), target.height()))
            painter.drawImage(target, image)
    finally:
        painter.end()
    return True

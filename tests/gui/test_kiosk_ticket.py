"""The queue ticket: a 58 mm or 80 mm PDF with the number large, the service, who waits ahead; printed
on the default printer without a dialog when there is one, otherwise kept in the data folder."""

# ruff: noqa: F811  (the kiosk_window fixture is imported from the driver and requested by name)
from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from exports.ticket import TicketSlip, render_ticket
from tests.conftest import visitor_answers
from tests.gui.kiosk_driver import kiosk_window, register  # noqa: F401

SLIP = TicketSlip("BPS Provinsi Maluku", "Jl. Jenderal Sudirman, Batu Merah, Ambon 97128", "B-007",
                  "Pembelian Produk Statistik Berbayar", "02-03-2026 10:00 WIT", 2, "Rahmat H.")


@pytest.mark.parametrize("width", [58, 80])
def test_ticket_pdf_is_a_receipt_width_slip(tmp_path, width):
    pdf = render_ticket(SLIP, width)
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    page = PdfReader(path).pages[0]
    assert float(page.mediabox.width) == pytest.approx(width / 25.4 * 72, abs=0.1)
    assert 60 / 25.4 * 72 < float(page.mediabox.height) < 160 / 25.4 * 72
    text = page.extract_text()
    for words in ("NOMOR ANTREAN", "B-007", "Pembelian Produk Statistik", "2 orang menunggu sebelum Anda",
                  "02-03-2026 10:00 WIT", "BPS Provinsi Maluku", "Rahmat H."):
        assert words in text


def test_ticket_in_english_and_without_a_queue():
    path_text = render_ticket(TicketSlip("BPS", "", "A-001", "Kunjungan Perpustakaan", "x", 0, ""), 58, "en")
    assert path_text.startswith(b"%PDF")
    with pytest.raises(ValueError):
        render_ticket(SLIP, 72)


def test_ticket_goes_to_the_printer_without_a_dialog(qtbot, kiosk_window, tmp_path):
    target = tmp_path / "printed.pdf"

    def printer():
        device = QPrinter(QPrinter.PrinterMode.HighResolution)
        device.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        device.setOutputFileName(str(target))
        return device

    w = kiosk_window(printer=printer)
    register(qtbot, w, visitor_answers())
    status = w.ticket_page.status
    qtbot.waitUntil(status.isVisible)
    assert status.text() == "Ambil tiket Anda di printer."
    assert target.stat().st_size > 1000
    assert not (tmp_path / "tickets").exists()

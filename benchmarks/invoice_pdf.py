"""How much does our invoice layout cost over fpdf2 itself?

Times, in one run, ``exports.invoice.render_invoice`` (letterhead, table, terbilang, payment
instructions, the QR made from its text) against a bare fpdf2 page that writes the same lines of text
with the same embedded DejaVu fonts and places the same QR image. Prints the medians and the ratio
(the aim is under 1.5x); asserts nothing.

    .venv/bin/python benchmarks/invoice_pdf.py [--repeat 25]"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdf  # noqa: E402
from fpdf import FPDF  # noqa: E402

import resources  # noqa: E402
from exports.invoice import InvoiceData, InvoiceLine, render_invoice  # noqa: E402
from exports.pdf import Letterhead  # noqa: E402
from exports.qr import qr_png  # noqa: E402

QR_TEXT = "820220922465628 PST-8100-INV-2026-42-3170000-9F2C41A07B3E55D1"


def sample() -> InvoiceData:
    """A believable three-line invoice with a SIMPONI billing code."""
    raw, by_desa, by_kecamatan = ("Data mikro tanpa pengolahan (per dataset)",
                                  "Peta kabupaten/kota menurut desa/kelurahan",
                                  "Peta kabupaten/kota menurut kecamatan")
    lines = (
        InvoiceLine("Susenas Maret 2024 (KOR) Provinsi Maluku", raw, "", 150_000_000, "byte",
                    "Rp20.000 (s.d. 1.000.000 byte) + 149.000 × Rp20 (per 1.000 byte) = Rp3.000.000",
                    3_000_000),
        InvoiceLine("Peta WILKERSTAT SE2026", by_desa, "Kota Ambon", 2, "peta",
                    "2 peta × Rp70.000 = Rp140.000", 140_000),
        InvoiceLine("Peta WILKERSTAT SE2026", by_kecamatan, "Kabupaten Buru", 1, "peta",
                    "1 peta × Rp30.000 = Rp30.000", 30_000),
    )
    return InvoiceData(
        letterhead=Letterhead("BPS Provinsi Maluku", "Jl. Jenderal Sudirman, Batu Merah, Ambon 97128",
                              "(0911) 3832103", "bps8100@bps.go.id"),
        city="Ambon", zone="WIT", number="INV-00042/8100/2026", issued_at=datetime(2026, 11, 23, 10, 15),
        request_number="PST-8100-2026-00057", channel="Langsung (tatap muka)", payer_name="Rahmat Hidayat",
        payer_institution="Universitas Pattimura", payer_contact="rahmat@unpatti.ac.id", lines=lines,
        total=3_170_000, regulation="Peraturan Pemerintah No. 13 Tahun 2024",
        treasurer_name="Maria Latuconsina", officer_name="Yohanes Pattiasina", officer_nip="",
        qr_text=QR_TEXT, billing_code="820220922465628", billing_expires_at=datetime(2026, 11, 30, 10, 15),
    )


def bare_page(text_lines: list[str], qr: bytes) -> bytes:
    """The same text, line by line, and the same QR image on a plain fpdf2 page."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(resources.path("fonts", "DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(resources.path("fonts", "DejaVuSans-Bold.ttf")))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 6, text_lines[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    for line in text_lines[1:]:
        pdf.cell(0, 4.2, line, new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(qr), x=20, y=240, w=34, h=34)
    return bytes(pdf.output())


def medians(works: dict[str, Callable[[], bytes]], repeat: int) -> dict[str, float]:
    """Median seconds of each piece of work, run in turns so that a busy machine slows both alike."""
    for work in works.values():
        work()  # warm-up: imports, font file cache
    times: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(repeat):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=31)
    args = parser.parse_args(argv)
    data = sample()
    rendered = render_invoice(data)
    text_lines = [line for line in pypdf.PdfReader(io.BytesIO(rendered)).pages[0].extract_text().splitlines()
                  if line.strip()]
    qr = qr_png(QR_TEXT)
    works = {"ours": lambda: render_invoice(data), "bare": lambda: bare_page(text_lines, qr)}
    timed = medians(works, args.repeat)
    ours, bare = timed["ours"], timed["bare"]
    print(f"invoice PDF with QR (exports.invoice): {ours * 1000:8.1f} ms  ({len(rendered):,} bytes)")
    print(f"bare fpdf2 page, same text and QR image: {bare * 1000:6.1f} ms  ({len(text_lines)} text lines)")
    print(f"ratio: {ours / bare:.2f}x  (aim: under 1.5x; median of {args.repeat} interleaved runs each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The kuitansi (receipt) the bendahara penerimaan (revenue treasurer) writes and signs: Nomor, Tahun
Anggaran, "Telah terima dari", "Uang sejumlah", "Terbilang", "Untuk pembayaran", the account code
(MAK), place and date, the treasurer's name and NIP, the materai box when the amount calls for one, and
the QR with the signed reference. A cancelled kuitansi stays in the books and prints with a "DIBATALKAN"
mark and the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from exports.pdf import FONT, INK, MUTED, NEXT_LINE, DocumentPDF, Letterhead, tanggal
from exports.text import rupiah, terbilang

QR_SIZE = 32
LABEL_WIDTH = 44


@dataclass(frozen=True)
class ReceiptData:
    letterhead: Letterhead
    city: str
    number: str
    budget_year: int  # tahun anggaran
    issued_at: datetime  # office time
    received_from: str
    amount: int
    description: str  # untuk pembayaran
    account_code: str  # kode akun (MAK)
    payment_method: str  # how it was paid, in words (SIMPONI with NTPN/NTB, a transfer with its reference)
    treasurer_name: str
    treasurer_nip: str
    qr_text: str
    materai_amount: int = 0  # the materai this kuitansi bears (``services.office.stamp_duty``); 0: none
    cancelled_at: datetime | None = None  # office time
    cancel_reason: str = ""


def terbilang_kalimat(amount: int) -> str:
    """``Tiga juta rupiah``: the words with a capital first letter, as written on a kuitansi."""
    words = terbilang(amount)
    return words[:1].upper() + words[1:]


def render_receipt(data: ReceiptData, *, copy: bool = False) -> bytes:
    """PDF bytes of the kuitansi; ``copy`` marks a reprint."""
    if data.amount <= 0:
        raise ValueError("a kuitansi states a positive amount")
    pdf = DocumentPDF(data.letterhead, title="Kuitansi", number=data.number, created=data.issued_at,
                      copy=copy, cancelled=data.cancel_reason if data.cancelled_at else None)
    pdf.title_block("KUITANSI", f"Nomor: {data.number}")
    if data.cancelled_at:
        pdf.void_note(f"DIBATALKAN pada {tanggal(data.cancelled_at)}: {data.cancel_reason}")
    pdf.fields([("Tahun Anggaran", str(data.budget_year)), ("Telah terima dari", data.received_from)],
               label_width=LABEL_WIDTH, line_height=6)
    _amount(pdf, data)
    pdf.fields([("Untuk pembayaran", data.description), ("Kode akun (MAK)", data.account_code),
                ("Cara pembayaran", data.payment_method)], label_width=LABEL_WIDTH, line_height=6)
    _signatures(pdf, data)
    return pdf.to_bytes()


def _amount(pdf: DocumentPDF, data: ReceiptData) -> None:
    x = pdf.l_margin
    pdf.set_font(FONT, "", 10)
    pdf.cell(LABEL_WIDTH, 8, "Uang sejumlah")
    pdf.cell(4, 8, ":")
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 8, rupiah(data.amount), **NEXT_LINE)
    pdf.ln(1)
    top = pdf.get_y()
    pdf.set_font(FONT, "", 10)
    pdf.cell(LABEL_WIDTH, 10.4, "Terbilang")  # as tall as the box, so the label sits on its first line
    pdf.cell(4, 10.4, ":")
    pdf.set_y(top)
    value_x = x + LABEL_WIDTH + 4
    pdf.shaded_box(terbilang_kalimat(data.amount), size=10.5, style="B", line_height=6, x=value_x,
                   width=pdf.w - pdf.r_margin - value_x)
    pdf.ln(2)


def _signatures(pdf: DocumentPDF, data: ReceiptData) -> None:
    if pdf.will_page_break(QR_SIZE + 24):
        pdf.add_page()
    pdf.ln(6)
    top = pdf.get_y()
    pdf.qr(data.qr_text, pdf.l_margin - 2.5, top, QR_SIZE)
    pdf.set_xy(pdf.l_margin, top + QR_SIZE)
    pdf.set_font(FONT, "", 7)
    pdf.set_text_color(*MUTED)
    pdf.text_block(f"Kode verifikasi kuitansi\n{data.qr_text}", width=80, line_height=3.5)
    pdf.set_text_color(*INK)
    width = 72
    x = pdf.w - pdf.r_margin - width
    if data.materai_amount:
        pdf.stamp_box(x + 4, top + 12, 24, 17, ["METERAI", rupiah(data.materai_amount)])
    pdf.signature(x, top, width, [f"{data.city}, {tanggal(data.issued_at)}", "Bendahara Penerimaan,"],
                  data.treasurer_name, data.treasurer_nip, gap=22)

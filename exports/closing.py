"""The treasurer's daily closing sheet (lembar penutupan kas harian): the day's totals by payment method,
cancellations, deposits, refunds, the cash at the start and end of the day and where the money is held,
the note, signatures of the treasurer and the supervisor, and the audit checkpoint of the closing
(``Titik periksa jejak audit: SEQ:HASH``) that ``pst verify --anchor SEQ:HASH`` checks later: signed
on paper, it cannot be rewritten by someone who can only write the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from exports.pdf import FONT, INK, MUTED, NEXT_LINE, DocumentPDF, Letterhead, tanggal
from exports.text import rupiah

LABEL_WIDTH = 78


@dataclass(frozen=True)
class ClosingData:
    letterhead: Letterhead
    city: str
    day: date
    closed_at: datetime  # office time
    closed_by: str
    totals: dict
    note: str
    treasurer_name: str
    treasurer_nip: str
    checkpoint: str  # SEQ:HASH16 of the closing's audit entry


def render_closing(data: ClosingData, *, copy: bool = False) -> bytes:
    t = data.totals
    pdf = DocumentPDF(data.letterhead, title="Lembar Penutupan Kas Harian", number=data.day.isoformat(),
                      created=data.closed_at, copy=copy)
    pdf.title_block("LEMBAR PENUTUPAN KAS HARIAN", f"Tanggal: {tanggal(data.day)}")
    pdf.section("Penerimaan hari ini (neto)")
    pdf.fields([("Tunai", rupiah(t.get("cash", 0))), ("SIMPONI", rupiah(t.get("simponi", 0))),
                ("Transfer", rupiah(t.get("transfer", 0))),
                ("Kuitansi terbit", str(t.get("receipts", 0))),
                ("Kuitansi dibatalkan", f"{t.get('cancellations', 0)} ({rupiah(t.get('cancelled', 0))})"),
                ("Pengembalian uang", rupiah(t.get("refunds", 0)))], label_width=LABEL_WIDTH, line_height=6)
    pdf.section("Kas dan setoran")
    pdf.fields([("Kas awal hari", rupiah(t.get("opening", 0))),
                ("Disetor ke Kas Negara", f"{rupiah(t.get('deposits', 0))} ({t.get('deposit_count', 0)} setoran)"),
                ("Kas akhir hari", rupiah(t.get("closing", 0)))], label_width=LABEL_WIDTH, line_height=6)
    if data.note:
        pdf.section("Catatan")
        pdf.paragraph(data.note)
    pdf.ln(2)
    pdf.set_font(FONT, "", 9.5)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, f"Ditutup {data.closed_at.strftime('%d-%m-%Y %H:%M')} oleh {data.closed_by}.", **NEXT_LINE)
    pdf.set_text_color(*INK)
    top = pdf.get_y() + 6
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.signature(pdf.l_margin, top, width - 6, ["Mengetahui,", "Atasan langsung"], "")
    pdf.signature(pdf.l_margin + width + 6, top, width - 6,
                  [f"{data.city}, {tanggal(data.day)}", "Bendahara Penerimaan"], data.treasurer_name,
                  data.treasurer_nip)
    pdf.ln(6)
    pdf.shaded_box(f"Titik periksa jejak audit: {data.checkpoint}", size=11, style="B", line_height=6)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.paragraph("Simpan lembar bertanda tangan ini. Pemeriksa dapat mencocokkan basis data dengan titik periksa "
                  f"ini: pst verify --anchor {data.checkpoint}", size=8.5, align="L")
    pdf.set_text_color(*INK)
    return pdf.to_bytes()

"""The queue ticket: a slip for a 58 mm or 80 mm receipt printer, as PDF bytes (fpdf2, DejaVu Sans)."""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from exports.pdf import add_fonts

WIDTHS_MM = (58, 80)
MARGIN_MM = 4.0
_WORDS = {
    "id": {"heading": "NOMOR ANTREAN", "arrived": "Datang", "ahead": "{n} orang menunggu sebelum Anda",
           "none_ahead": "Anda berikutnya dilayani", "footer": "Tunggu nomor Anda dipanggil. Sebelum pulang, "
           "isi survei kepuasan di kios dengan nomor ini.", "purpose": "Keperluan"},
    "en": {"heading": "QUEUE NUMBER", "arrived": "Arrived", "ahead": "{n} visitor(s) waiting before you",
           "none_ahead": "You are served next", "footer": "Please wait for your number to be called. Before "
           "leaving, answer the satisfaction poll at the kiosk with this number.", "purpose": "Purpose"},
}


@dataclass(frozen=True)
class TicketSlip:
    """Plain data printed on the slip."""

    office_name: str
    office_address: str
    queue_code: str
    purpose: str
    arrived: str
    waiting_ahead: int
    visitor: str


def render_ticket(slip: TicketSlip, width_mm: int = 58, lang: str = "id") -> bytes:
    """A one-page PDF exactly ``width_mm`` wide and as tall as its content."""
    if width_mm not in WIDTHS_MM:
        raise ValueError(f"ticket width must be one of {WIDTHS_MM} mm")
    height = _draw(slip, width_mm, 400.0, lang).y + MARGIN_MM
    return bytes(_draw(slip, width_mm, height, lang).output())


def _draw(slip: TicketSlip, width: float, height: float, lang: str) -> FPDF:
    words = _WORDS["en" if lang == "en" else "id"]
    pdf = FPDF(unit="mm", format=(width, height))
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(False)
    add_fonts(pdf)
    pdf.set_creator("PST Desktop")
    pdf.set_title(f"{words['heading']} {slip.queue_code}")
    pdf.add_page()
    inner = width - 2 * MARGIN_MM
    small = 7 if width < 70 else 8.5

    def para(text: str, size: float, style: str = "", gap: float = 0.6) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(inner, size * 0.45, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    para(slip.office_name, small + 1.5, "B")
    if slip.office_address:
        para(slip.office_address, small - 0.5)
    _rule(pdf, inner)
    para(words["heading"], small + 1, "B", gap=1)
    size = 60.0
    pdf.set_font("DejaVu", "B", size)
    while size > 20 and pdf.get_string_width(slip.queue_code) > inner:
        size -= 2
        pdf.set_font("DejaVu", "B", size)
    pdf.cell(inner, size * 0.38, slip.queue_code, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    para(slip.purpose, small + 1)
    para(words["ahead"].format(n=slip.waiting_ahead) if slip.waiting_ahead else words["none_ahead"], small, "B")
    _rule(pdf, inner)
    para(f"{words['arrived']}: {slip.arrived}", small)
    if slip.visitor:
        para(slip.visitor, small)
    para(words["footer"], small - 0.5, gap=0)
    return pdf


def _rule(pdf: FPDF, inner: float) -> None:
    pdf.ln(1)
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.line(MARGIN_MM, pdf.get_y(), MARGIN_MM + inner, pdf.get_y())
    pdf.set_dash_pattern()
    pdf.ln(2)

"""The shared layout of PST documents (fpdf2): A4 portrait, embedded DejaVu fonts (shipped in
``resources/fonts``, so Indonesian text and signs like × print everywhere), the office letterhead
(kop surat), a "SALINAN / COPY" mark on reprints, a "DIBATALKAN" mark on cancelled documents and a
page footer.

Rendering is deterministic: the PDF's creation date is the document's own date, and nothing reads
the clock, so the same data always gives the same bytes."""

from __future__ import annotations

import copy
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import XPos, YPos

import resources
from exports.qr import qr_png

FONT = "DejaVu"
_FONTS: dict = {}  # DejaVu regular and bold as fpdf2 parsed them, once per process (see add_fonts)
_FONTS_LOCK = threading.Lock()
INK = (20, 20, 20)
MUTED = (95, 95, 95)
NAVY = (16, 48, 92)
RED = (185, 20, 20)
SHADE = (234, 239, 245)
RULE = (150, 150, 150)
COPY_MARK = "SALINAN / COPY"
VOID_MARK = "DIBATALKAN"
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
LEFT, TOP, RIGHT, BOTTOM = 20, 12, 20, 20
NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
CELL_PAD, ROW_PAD = 1.8, 1.6  # mm inside table cells: left/right, top/bottom
LOGO_SIZE = 21  # mm: the box the office logo is fitted in, left of the office name


@dataclass(frozen=True)
class Column:
    """A column of ``DocumentPDF.grid``: width in mm, alignment (L, C, R) and font."""

    width: float
    align: str = "L"
    size: float = 9
    style: str = ""

    @property
    def line_height(self) -> float:
        return round(self.size * 0.5, 2)


@dataclass(frozen=True)
class Letterhead:
    """What the kop surat shows: the office, how to reach it, and its logo (PNG or JPEG bytes) on the left."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    unit: str = "Pelayanan Statistik Terpadu (PST)"
    logo: bytes | None = None


def tanggal(day: date) -> str:
    """``23 November 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def tanggal_jam(moment: datetime, zone_name: str) -> str:
    """``30 November 2026 pukul 14.05 WIT`` (``moment`` already in office time)."""
    return f"{tanggal(moment)} pukul {moment:%H.%M} {zone_name}"


def kop_lines(name: str) -> list[str]:
    """``BPS Provinsi Maluku`` -> ``BADAN PUSAT STATISTIK`` / ``PROVINSI MALUKU``, as BPS letterheads read."""
    upper = name.strip().upper()
    for prefix in ("BPS ", "BADAN PUSAT STATISTIK "):
        if upper.startswith(prefix) and len(upper) > len(prefix):
            return ["BADAN PUSAT STATISTIK", upper[len(prefix):].strip()]
    return [upper]


def add_fonts(pdf: FPDF) -> None:
    """Add DejaVu (regular and bold, family ``FONT``) to ``pdf`` as its first fonts. What fpdf2 reads of the
    files (widths, character map, descriptor) is read once per process; each document gets a deep copy
    with a fresh lazily opened font file, since fpdf2 subsets that file's tables in place when it writes
    the PDF. The bytes are the same as with ``add_font``."""
    with _FONTS_LOCK:
        if not _FONTS:
            template = FPDF()
            template.add_font(FONT, "", str(resources.path("fonts", "DejaVuSans.ttf")))
            template.add_font(FONT, "B", str(resources.path("fonts", "DejaVuSans-Bold.ttf")))
            _FONTS.update(template.fonts)
    if pdf.fonts:
        raise ValueError("add_fonts adds the first fonts of a document")
    for key, font in _FONTS.items():
        mine = copy.deepcopy(font)  # fpdf2's own copy: per-document state copied, the font file shared
        mine.ttfont = ttLib.TTFont(font.ttffile, recalcTimestamp=False, fontNumber=font.collection_font_number,
                                   lazy=True)
        pdf.fonts[key] = mine


class DocumentPDF(FPDF):
    """An A4 PST document with letterhead, marks and footer; ``content()`` helpers keep the look uniform."""

    def __init__(self, letterhead: Letterhead, *, title: str, number: str, created: datetime,
                 copy: bool = False, cancelled: str | None = None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.letterhead, self.doc_title, self.doc_number = letterhead, title, number
        self.is_copy, self.cancelled = copy, cancelled
        add_fonts(self)
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_creation_date(created)
        self.set_title(f"{title} {number}")
        self.set_author(letterhead.name)
        self.set_creator("PST Desktop")
        self.set_lang("id")
        self.set_line_width(0.25)
        self.c_margin = 0  # cells and wrapped text start at the same x
        self.add_page()

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    # --- page furniture -------------------------------------------------------------------------
    def header(self) -> None:
        if self.cancelled is not None:
            self._void_mark()
        if self.is_copy:
            self._copy_mark()
        if self.page == 1:
            self._letterhead()
        else:
            self.set_y(TOP)
            self.set_font(FONT, "", 8)
            self.set_text_color(*MUTED)
            running = f"{self.letterhead.name} · {self.doc_title} {self.doc_number}"
            self.cell(0, 5, running, align="R", **NEXT_LINE)
            self._rule(self.get_y() + 1, 0.3)
            self.set_y(self.get_y() + 5)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-14)
        self._rule(self.get_y(), 0.2, RULE)
        self.set_y(self.get_y() + 1.2)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        half = self.content_width / 2
        self.cell(half, 4, f"{self.doc_title} {self.doc_number}")
        self.cell(half, 4, f"Halaman {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(*INK)

    def _letterhead(self) -> None:
        head = self.letterhead
        if head.logo:
            self.image(io.BytesIO(head.logo), x=self.l_margin, y=TOP, w=LOGO_SIZE, h=LOGO_SIZE,
                       keep_aspect_ratio=True)
        inset = LOGO_SIZE + 3 if head.logo else 0  # the text stays centred on the page, clear of the logo
        x, width = self.l_margin + inset, self.content_width - 2 * inset
        self.set_y(TOP + 1)
        self.set_text_color(*NAVY)
        for index, line in enumerate(kop_lines(head.name)):
            self.set_font(FONT, "B", 14 if index == 0 else 12.5)
            self.text_block(line, x=x, width=width, line_height=6, align="C")
        self.set_text_color(*INK)
        self.set_font(FONT, "", 9.5)
        self.text_block(head.unit, x=x, width=width, line_height=4.8, align="C")
        contact = [head.address] if head.address else []
        contact += [f"Telp. {head.phone}"] if head.phone else []
        contact += [f"Email: {head.email}"] if head.email else []
        if contact:
            self.set_font(FONT, "", 8.5)
            self.text_block("  ·  ".join(contact), x=x, width=width, line_height=4.2, align="C")
        y = max(self.get_y(), TOP + LOGO_SIZE if head.logo else 0) + 1.5
        self._rule(y, 0.9)
        self._rule(y + 1.2, 0.25)
        self.set_y(y + 5)

    def _rule(self, y: float, width: float, color: tuple[int, int, int] = INK) -> None:
        self.set_draw_color(*color)
        self.set_line_width(width)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_line_width(0.25)
        self.set_draw_color(*INK)

    def _copy_mark(self) -> None:
        self.set_font(FONT, "B", 9)
        width, height = self.get_string_width(COPY_MARK) + 7, 6.5
        x, y = self.w - self.r_margin - width, 4
        self.set_draw_color(*RED)
        self.set_text_color(*RED)
        self.set_line_width(0.5)
        self.rect(x, y, width, height)
        self.set_xy(x, y)
        self.cell(width, height, COPY_MARK, align="C")
        self.set_line_width(0.25)
        self.set_draw_color(*INK)
        self.set_text_color(*INK)

    def _void_mark(self) -> None:
        with self.local_context(fill_opacity=0.16, text_color=RED):
            self.set_font(FONT, "B", 70)
            width = self.get_string_width(VOID_MARK)
            with self.rotation(32, x=self.w / 2, y=self.h / 2):
                self.text(self.w / 2 - width / 2, self.h / 2 + 9, VOID_MARK)

    # --- text layout ----------------------------------------------------------------------------
    # fpdf2's multi_cell re-measures a line for every character it adds; measuring each word once and
    # drawing finished lines keeps a page of text cheap (see benchmarks/invoice_pdf.py).
    def wrap(self, text: str, width: float) -> list[tuple[str, bool]]:
        """``text`` broken into lines no wider than ``width`` in the current font, each with a flag
        telling whether it ends a paragraph; a word longer than a line is cut."""
        lines: list[tuple[str, bool]] = []
        space = self.get_string_width(" ")
        for paragraph in text.split("\n"):
            current, used = "", 0.0
            for word in paragraph.split():
                size = self.get_string_width(word)
                if current and used + space + size <= width:
                    current, used = f"{current} {word}", used + space + size
                    continue
                if current:
                    lines.append((current, False))
                while size > width:
                    head = self._longest_prefix(word, width)
                    lines.append((head, False))
                    word = word[len(head):]
                    size = self.get_string_width(word)
                current, used = word, size
            lines.append((current, True))
        return lines

    def _longest_prefix(self, word: str, width: float) -> str:
        end = 1
        while end < len(word) and self.get_string_width(word[:end + 1]) <= width:
            end += 1
        return word[:end]

    def text_lines(self, lines: Sequence[tuple[str, bool]], *, x: float | None = None,
                   width: float | None = None, line_height: float = 5, align: str = "L") -> None:
        """Draw wrapped lines from the current y (L, C, R, or J: justified except a paragraph's last
        line), starting a new page when one does not fit."""
        x = self.l_margin if x is None else x
        width = self.content_width if width is None else width
        space = self.get_string_width(" ")
        for text, last in lines:
            if self.will_page_break(line_height):
                self.add_page()
            baseline = self.get_y() + line_height / 2 + 0.3 * self.font_size
            words = text.split(" ")
            if align == "J" and not last and len(words) > 1:
                sizes = [self.get_string_width(w) for w in words]
                gap = (width - sum(sizes)) / (len(words) - 1)
                left = x
                for word, size in zip(words, sizes, strict=True):
                    self.text(left, baseline, word)
                    left += size + min(gap, 4 * space)
            elif text:
                size = self.get_string_width(text)
                offset = {"C": (width - size) / 2, "R": width - size}.get(align, 0)
                self.text(x + offset, baseline, text)
            self.set_y(self.get_y() + line_height)

    def text_block(self, text: str, *, x: float | None = None, width: float | None = None,
                   line_height: float = 5, align: str = "L") -> None:
        """Wrap and draw ``text`` in the current font; the cursor ends under it."""
        width = self.content_width if width is None else width
        self.text_lines(self.wrap(text, width), x=x, width=width, line_height=line_height, align=align)

    # --- content helpers ------------------------------------------------------------------------
    def title_block(self, title: str, number_line: str) -> None:
        """The document's name, spaced out, with its number under it."""
        self.set_font(FONT, "B", 15)
        self.set_text_color(*NAVY)
        self.set_char_spacing(1.2)
        self.cell(0, 7, title, align="C", **NEXT_LINE)
        self.set_char_spacing(0)
        self.set_text_color(*INK)
        self.set_font(FONT, "", 10)
        self.cell(0, 5.2, number_line, align="C", **NEXT_LINE)
        self.ln(3)

    def section(self, title: str) -> None:
        """A small navy heading over a hairline."""
        if self.will_page_break(16):
            self.add_page()
        self.ln(1.2)
        self.set_font(FONT, "B", 9.5)
        self.set_text_color(*NAVY)
        self.cell(0, 5.5, title.upper(), **NEXT_LINE)
        self._rule(self.get_y(), 0.25, NAVY)
        self.set_text_color(*INK)
        self.ln(1.8)

    def fields(self, rows: Sequence[tuple[str, str]], *, label_width: float = 44, size: float = 10,
               line_height: float = 5.6, bold: Sequence[str] = (), x: float | None = None,
               width: float | None = None, gap: float = 0.8) -> None:
        """``label : value`` rows; long values wrap under themselves."""
        x = self.l_margin if x is None else x
        width = self.content_width if width is None else width
        for label, value in rows:
            self.set_x(x)
            self.set_font(FONT, "", size)
            self.cell(label_width, line_height, label)
            self.cell(4, line_height, ":")
            self.set_font(FONT, "B" if label in bold else "", size)
            self.text_block(value or "-", x=x + label_width + 4, width=width - label_width - 4,
                            line_height=line_height)
            self.ln(gap)

    def paragraph(self, text: str, *, size: float = 9.5, line_height: float = 5, align: str = "J",
                  indent: float = 0, color: tuple[int, int, int] = INK, style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        self.text_block(text, x=self.l_margin + indent, width=self.content_width - indent,
                        line_height=line_height, align=align)
        self.set_text_color(*INK)

    def numbered(self, items: Sequence[str], *, size: float = 9.5, line_height: float = 5,
                 gap: float = 0.8) -> None:
        """A numbered list with hanging indents."""
        for number, text in enumerate(items, start=1):
            self.set_font(FONT, "", size)
            lines = self.wrap(text, self.content_width - 7)
            if self.will_page_break(line_height):
                self.add_page()
            self.cell(7, line_height, f"{number}.")
            self.text_lines(lines, x=self.l_margin + 7, width=self.content_width - 7, line_height=line_height,
                            align="J")
            self.ln(gap)

    def shaded_box(self, text: str, *, size: float = 10, style: str = "", line_height: float = 5.5,
                   x: float | None = None, width: float | None = None, align: str = "L") -> None:
        """Text in a light box with a thin border (terbilang, abstraction)."""
        self._box(text, size=size, style=style, line_height=line_height, x=x, width=width, align=align,
                  fill=SHADE, border=RULE, color=INK)

    def _box(self, text: str, *, size: float, style: str, line_height: float, x: float | None,
             width: float | None, align: str, fill: tuple[int, int, int] | None, border: tuple[int, int, int],
             color: tuple[int, int, int], pad_x: float = 3, pad_y: float = 2.2) -> None:
        x = self.l_margin if x is None else x
        width = self.content_width if width is None else width
        self.set_font(FONT, style, size)
        lines = self.wrap(text, width - 2 * pad_x)
        height = len(lines) * line_height + 2 * pad_y
        if self.will_page_break(min(height, 40)):
            self.add_page()
        top = self.get_y()
        self.set_draw_color(*border)
        if fill is not None:
            self.set_fill_color(*fill)
        self.rect(x, top, width, height, style="DF" if fill is not None else "D")
        self.set_fill_color(255, 255, 255)
        self.set_draw_color(*INK)
        self.set_text_color(*color)
        self.set_y(top + pad_y)
        self.text_lines(lines, x=x + pad_x, width=width - 2 * pad_x, line_height=line_height, align=align)
        self.set_text_color(*INK)
        self.set_y(top + height)

    def grid(self, columns: Sequence[Column], header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """An item table: a shaded heading row (repeated after a page break) and rows split by hairlines.
        Each cell is word-wrapped once and drawn line by line."""
        self._grid_header(columns, header)
        for row in rows:
            wrapped = []
            for column, text in zip(columns, row, strict=True):
                self.set_font(FONT, column.style, column.size)
                wrapped.append(self.wrap(text, column.width - 2 * CELL_PAD))
            tallest = max(len(lines) * c.line_height for lines, c in zip(wrapped, columns, strict=True))
            height = tallest + 2 * ROW_PAD
            if self.will_page_break(height):
                self.add_page()
                self._grid_header(columns, header)
            top, x = self.get_y(), self.l_margin
            for column, lines in zip(columns, wrapped, strict=True):
                self.set_font(FONT, column.style, column.size)
                self.set_y(top + ROW_PAD)
                self.text_lines(lines, x=x + CELL_PAD, width=column.width - 2 * CELL_PAD,
                                line_height=column.line_height, align=column.align)
                x += column.width
            self._rule(top + height, 0.2, RULE)
            self.set_y(top + height)

    def _grid_header(self, columns: Sequence[Column], header: Sequence[str]) -> None:
        top, x = self.get_y(), self.l_margin
        self.set_fill_color(*SHADE)
        self.rect(self.l_margin, top, sum(c.width for c in columns), 7.5, style="F")
        self.set_fill_color(255, 255, 255)
        self.set_font(FONT, "B", 8.5)
        self.set_text_color(*NAVY)
        for column, text in zip(columns, header, strict=True):
            self.set_xy(x + CELL_PAD, top)
            self.cell(column.width - 2 * CELL_PAD, 7.5, text, align=column.align)
            x += column.width
        self.set_text_color(*INK)
        self._rule(top + 7.5, 0.35, NAVY)
        self.set_y(top + 7.5)

    def qr(self, text: str, x: float, y: float, size: float) -> None:
        """The QR code of ``text``, ``size`` mm square (quiet zone included)."""
        self.image(io.BytesIO(qr_png(text)), x=x, y=y, w=size, h=size)

    def signature(self, x: float, y: float, width: float, lines: Sequence[str], name: str,
                  nip: str = "", gap: float = 22) -> float:
        """A signature block: ``lines`` above, room to sign, the name underlined and the NIP; returns
        the y under it. An empty name leaves a dotted line to write it by hand."""
        self.set_xy(x, y)
        self.set_font(FONT, "", 10)
        for line in lines:
            self.set_x(x)
            self.cell(width, 5.2, line, align="C", **NEXT_LINE)
        self.set_xy(x, self.get_y() + gap)
        if name:
            self.set_font(FONT, "B", 10)
            self.cell(width, 5.2, name, align="C", **NEXT_LINE)
            text_width = min(self.get_string_width(name) + 2, width)
            self.line(x + (width - text_width) / 2, self.get_y() - 0.6, x + (width + text_width) / 2,
                      self.get_y() - 0.6)
        else:
            self.cell(width, 5.2, "(" + "." * 44 + ")", align="C", **NEXT_LINE)
        nip_line = f"NIP {nip}" if nip else ("" if name else "NIP " + "." * 30)
        if nip_line:
            self.set_font(FONT, "", 9.5)
            self.set_x(x)
            self.cell(width, 5, nip_line, align="C", **NEXT_LINE)
        return self.get_y()

    def stamp_box(self, x: float, y: float, width: float, height: float, lines: Sequence[str]) -> None:
        """A dashed box where a materai (stamp-duty stamp) is stuck."""
        self.set_draw_color(*MUTED)
        self.set_dash_pattern(dash=1.2, gap=1)
        self.rect(x, y, width, height)
        self.set_dash_pattern()
        self.set_draw_color(*INK)
        self.set_text_color(*MUTED)
        self.set_font(FONT, "", 7.5)
        top = y + (height - 4 * len(lines)) / 2
        for index, line in enumerate(lines):
            self.set_xy(x, top + 4 * index)
            self.cell(width, 4, line, align="C")
        self.set_text_color(*INK)

    def void_note(self, text: str) -> None:
        """The red line stating why a document was cancelled."""
        self._box(text, size=10, style="B", line_height=5.5, x=None, width=None, align="C", fill=None,
                  border=RED, color=RED, pad_y=2)
        self.ln(3)

    def to_bytes(self) -> bytes:
        return bytes(self.output())

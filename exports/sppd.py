"""The SPPD (Surat Perjanjian Penggunaan Data), the data use agreement the requester signs over a
materai: who receives the data (identity number masked, UU 27/2022), the title/purpose of use (the
abstraction), the datasets and maps, the media, the usual clauses, place and date, and the
signatures of the recipient and the BPS official (named, with title and NIP, in the office profile).
The SPPD has its own number from the day it is signed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from exports.pdf import FONT, NEXT_LINE, Column, DocumentPDF, Letterhead, tanggal
from exports.text import rupiah, thousands

CLAUSES = (
    "Data diberikan oleh BPS kepada Penerima Data dalam media komputer (elektronik) sebagaimana "
    "tercantum di atas.",
    "Penerima Data tidak akan memperbanyak, menyalin atau memberikan data tersebut, sebagian maupun "
    "seluruhnya, kepada orang atau organisasi lain.",
    "Data hanya digunakan untuk penelitian dan analisis sebagaimana dinyatakan dalam judul/tujuan "
    "penggunaan data di atas.",
    "Penggunaan data untuk keperluan lain harus mendapat persetujuan tertulis terlebih dahulu dari "
    "Kepala Badan Pusat Statistik.",
    "Penerima Data diharapkan menyampaikan hasil penelitian atau analisis yang menggunakan data tersebut "
    "kepada BPS.",
    "Data tetap bersifat rahasia dan merupakan milik BPS.",
)


@dataclass(frozen=True)
class SppdItem:
    title: str
    product: str
    region: str
    year: int | None
    data_format: str
    quantity: int
    unit: str
    variables: str = ""


@dataclass(frozen=True)
class SppdData:
    letterhead: Letterhead
    city: str
    request_number: str
    dated: datetime  # office time: the day the request was clear
    recipient_name: str
    institution: str
    address: str
    phone: str
    email: str
    identity: str  # document type and MASKED number
    abstraction: str
    items: tuple[SppdItem, ...]
    media: str
    materai_amount: int
    originals: int = 1  # online buyers post two signed originals
    number: str = ""  # the SPPD's own number, given when it is signed; a dotted line before
    signer_name: str = ""  # the BPS official who signs for BPS (office profile); a dotted line when unset
    signer_title: str = ""
    signer_nip: str = ""


def render_sppd(data: SppdData, *, copy: bool = False) -> bytes:
    """PDF bytes of the SPPD; ``copy`` marks a reprint."""
    if not data.items:
        raise ValueError("an SPPD lists at least one dataset or map")
    pdf = DocumentPDF(data.letterhead, title="SPPD", number=data.number or data.request_number,
                      created=data.dated, copy=copy)
    pdf.title_block("SURAT PERJANJIAN PENGGUNAAN DATA",
                    f"Nomor: {data.number or '.' * 36}   ·   Nomor permintaan: {data.request_number}")
    pdf.paragraph("Yang bertanda tangan di bawah ini:")
    pdf.ln(1)
    _recipient(pdf, data)
    pdf.paragraph("selanjutnya disebut PENERIMA DATA, menyatakan menerima data dari Badan Pusat Statistik "
                  f"({data.letterhead.name}), selanjutnya disebut BPS, untuk keperluan sebagai berikut.")
    pdf.section("Judul / tujuan penggunaan data (abstraksi)")
    pdf.shaded_box(data.abstraction, size=9.5, line_height=5, align="J")
    pdf.section("Data yang diterima")
    _items(pdf, data)
    pdf.fields([("Media penyerahan", data.media)], label_width=38, size=9.5, line_height=4.8)
    pdf.section("Ketentuan yang disetujui Penerima Data")
    pdf.numbered(CLAUSES, size=9, line_height=4.4, gap=0.5)
    closing = "Demikian surat perjanjian ini dibuat dengan sebenarnya"
    if data.originals > 1:
        closing += (f", dalam rangkap {data.originals} asli yang masing-masing ditandatangani di atas "
                    "meterai dan dikirimkan ke alamat BPS di atas")
    pdf.paragraph(closing + ".", size=9.5)
    _signatures(pdf, data)
    return pdf.to_bytes()


def _recipient(pdf: DocumentPDF, data: SppdData) -> None:
    """The recipient's identity in two columns: who on the left, how to reach and identify on the right."""
    top, half = pdf.get_y(), pdf.content_width / 2
    style = {"size": 9.5, "line_height": 4.8, "gap": 0.5, "label_width": 19}
    pdf.fields([("Nama", data.recipient_name), ("Instansi", data.institution), ("Alamat", data.address)],
               bold=("Nama",), width=half - 2, **style)
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    pdf.fields([("Telepon", data.phone), ("Email", data.email), ("Identitas", data.identity)],
               x=pdf.l_margin + half + 2, width=half - 2, **style)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 0.5)


COLUMNS = (Column(10, "C", size=8.8), Column(108, size=8.8), Column(18, "C", size=8.8),
           Column(34, "R", size=8.8))


def _items(pdf: DocumentPDF, data: SppdData) -> None:
    rows = []
    for number, item in enumerate(data.items, start=1):
        about = [item.product] if item.title else []
        about += [f"wilayah {item.region}"] if item.region else []
        about += [f"tahun {item.year}"] if item.year else []
        lines = [item.title or item.product] + (["; ".join(about)] if about else [])
        lines += [f"Variabel: {item.variables}"] if item.variables else []
        rows.append((str(number), "\n".join(lines), item.data_format.upper() or "-",
                     f"{thousands(item.quantity)} {item.unit}"))
    pdf.grid(COLUMNS, ("No", "Data / peta", "Format", "Ukuran / jumlah"), rows)
    pdf.ln(1.5)


def _signatures(pdf: DocumentPDF, data: SppdData) -> None:
    if pdf.will_page_break(44):
        pdf.add_page()
    pdf.ln(2.5)
    width = 74
    right = pdf.w - pdf.r_margin - width
    pdf.set_font(FONT, "", 10)
    pdf.set_x(right)
    pdf.cell(width, 5.2, f"{data.city}, {tanggal(data.dated)}", align="C", **NEXT_LINE)
    top = pdf.get_y()
    title = data.signer_title or "Pejabat BPS"
    office = "" if data.letterhead.name.lower() in title.lower() else data.letterhead.name
    pdf.signature(pdf.l_margin, top, width, [f"{title},", office], data.signer_name, data.signer_nip, gap=16)
    pdf.stamp_box(right + 5, top + 10.5, 25, 15, ["METERAI", rupiah(data.materai_amount)])
    pdf.signature(right, top, width, ["Penerima Data,", ""], data.recipient_name, gap=16)

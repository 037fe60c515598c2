"""The invoice the officer prints after the conformity check: letterhead, requester, every priced
line with its formula, the total in figures and in words (terbilang), how to pay (cash at the
treasurer, or the SIMPONI billing code before it expires) and the QR with the billing code and the
signed reference. An online request without a billing code is paid by transfer to the office's
receiving account(s), with the exact amount and the invoice number as the transfer reference. An Rp0
request gets no invoice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from exports.pdf import (
    CELL_PAD,
    FONT,
    INK,
    MUTED,
    NAVY,
    NEXT_LINE,
    Column,
    DocumentPDF,
    Letterhead,
    tanggal,
    tanggal_jam,
)
from exports.text import rupiah, terbilang, thousands

QR_SIZE = 32


@dataclass(frozen=True)
class InvoiceLine:
    """One priced line as issued (see ``PricedLine.as_dict``)."""

    title: str
    product: str
    region: str
    quantity: int
    unit: str
    formula: str
    amount: int

    @classmethod
    def from_priced(cls, line: Mapping) -> InvoiceLine:
        return cls(title=line.get("title") or "", product=line["product_name"],
                   region=line.get("region") or "", quantity=int(line["quantity"]), unit=line["unit"],
                   formula=line["formula"], amount=int(line["amount"]))


@dataclass(frozen=True)
class ReceivingBank:
    """One of the office's receiving accounts (rekening penerimaan)."""

    bank: str
    number: str
    holder: str


@dataclass(frozen=True)
class InvoiceData:
    letterhead: Letterhead
    city: str
    zone: str  # WIB, WITA or WIT
    number: str
    issued_at: datetime  # office time
    request_number: str
    channel: str  # how the request came, in words
    payer_name: str
    payer_institution: str
    payer_contact: str
    lines: tuple[InvoiceLine, ...]
    total: int
    regulation: str
    treasurer_name: str
    officer_name: str
    officer_nip: str
    qr_text: str
    billing_code: str | None = None
    billing_expires_at: datetime | None = None  # office time
    cancelled_at: datetime | None = None  # office time
    cancel_reason: str = ""
    online: bool = False  # the request came by email/WA/forum: paid by transfer unless it has a billing code
    receiving_accounts: tuple[ReceivingBank, ...] = ()

    @property
    def by_transfer(self) -> bool:
        return self.online and not self.billing_code


def payment_instructions(data: InvoiceData) -> list[str]:
    """How to pay, and the charges the payer bears (PP 7/2015 art. 3)."""
    if data.billing_code:
        steps = [
            "Bayar dengan Kode Billing SIMPONI di atas melalui teller bank/kantor pos persepsi, ATM, "
            "internet/mobile banking, EDC atau dompet elektronik sebelum kedaluwarsa; kode yang sudah "
            "kedaluwarsa tidak dapat dipakai, mintalah kode baru kepada petugas PST.",
            "Serahkan atau kirimkan bukti bayar yang memuat NTPN kepada Bendahara Penerimaan"
            f"{' (' + data.treasurer_name + ')' if data.treasurer_name else ''}; kuitansi diterbitkan "
            "setelah pembayaran diterima.",
        ]
    elif data.by_transfer:
        steps = [
            f"Transfer tepat {rupiah(data.total)} (tanpa dibulatkan) ke rekening penerimaan di atas dan tulis "
            f"nomor invoice {data.number} sebagai berita/referensi transfer.",
            "Kirimkan bukti transfer (PDF/JPG) yang memuat nomor referensi transfer melalui saluran tempat "
            "permintaan diajukan (Forum Silastik, email atau WA). Bendahara Penerimaan"
            f"{' (' + data.treasurer_name + ')' if data.treasurer_name else ''} memeriksa rekening penerimaan; "
            "kuitansi diterbitkan setelah dana diterima.",
        ]
        if not data.receiving_accounts:
            steps[0] = (f"Transfer tepat {rupiah(data.total)} ke rekening penerimaan yang diberitahukan petugas "
                        f"PST dan tulis nomor invoice {data.number} sebagai berita/referensi transfer.")
    else:
        steps = [
            "Bayar tunai sejumlah tepat tagihan kepada Bendahara Penerimaan"
            f"{' (' + data.treasurer_name + ')' if data.treasurer_name else ''} di {data.letterhead.name}; "
            "kuitansi diberikan saat itu juga.",
            "Jika ingin membayar melalui bank, kantor pos atau ATM, mintalah Kode Billing SIMPONI kepada "
            "petugas PST.",
        ]
    return steps + [
        f"Tarif menurut {data.regulation}. Biaya pengiriman dan biaya bank/transfer tidak termasuk tarif dan "
        "ditanggung oleh pembayar (PP Nomor 7 Tahun 2015 pasal 3). Seluruh pembayaran adalah Penerimaan "
        "Negara Bukan Pajak (PNBP) yang disetor ke Kas Negara.",
    ]


def render_invoice(data: InvoiceData, *, copy: bool = False) -> bytes:
    """PDF bytes of the invoice; ``copy`` marks a reprint."""
    if data.total <= 0:
        raise ValueError("an Rp0 request is not invoiced")
    if not data.lines:
        raise ValueError("an invoice needs at least one line")
    pdf = DocumentPDF(data.letterhead, title="Invoice", number=data.number, created=data.issued_at, copy=copy,
                      cancelled=data.cancel_reason if data.cancelled_at else None)
    pdf.title_block("INVOICE", f"Nomor: {data.number}")
    if data.cancelled_at:
        pdf.void_note(f"DIBATALKAN pada {tanggal(data.cancelled_at)}: {data.cancel_reason}")
    _parties(pdf, data)
    _lines(pdf, data)
    pdf.section("Cara pembayaran")
    if data.billing_code:
        _billing(pdf, data)
    elif data.by_transfer:
        _transfer(pdf, data)
    pdf.numbered(payment_instructions(data), size=8.8, line_height=4.5, gap=0.6)
    _closing(pdf, data)
    return pdf.to_bytes()


def _parties(pdf: DocumentPDF, data: InvoiceData) -> None:
    top, half = pdf.get_y(), pdf.content_width / 2
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.cell(half, 5, "Ditagihkan kepada", **NEXT_LINE)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 11)
    pdf.text_block(data.payer_name, width=half - 10, line_height=5.6)
    pdf.set_font(FONT, "", 9.5)
    for line in (data.payer_institution, data.payer_contact):
        if line:
            pdf.text_block(line, width=half - 10)
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    pdf.fields([("Tanggal invoice", tanggal(data.issued_at)), ("Nomor permintaan", data.request_number),
                ("Layanan", data.channel)],
               label_width=33, size=9, line_height=5, x=pdf.l_margin + half - 6, width=half + 6)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 3)


COLUMNS = (Column(10, "C"), Column(76), Column(56, size=8), Column(28, "R"))


def _lines(pdf: DocumentPDF, data: InvoiceData) -> None:
    rows = []
    for number, line in enumerate(data.lines, start=1):
        detail = [line.product] if line.title else []
        detail += [f"Wilayah: {line.region}"] if line.region else []
        rows.append((str(number), "\n".join([line.title or line.product, *detail]),
                     f"{thousands(line.quantity)} {line.unit}\n{line.formula}", rupiah(line.amount)))
    pdf.grid(COLUMNS, ("No", "Produk dan uraian", "Banyaknya dan perhitungan tarif", "Jumlah"), rows)
    pdf.set_font(FONT, "B", 9.5)
    label_width = sum(c.width for c in COLUMNS[:3])
    pdf.cell(label_width - 6, 7.5, "TOTAL", align="R")
    pdf.set_x(pdf.l_margin + label_width)
    pdf.cell(COLUMNS[3].width - CELL_PAD, 7.5, rupiah(data.total), align="R", **NEXT_LINE)
    pdf.ln(1.5)
    pdf.shaded_box(f"Terbilang: {terbilang(data.total)}", size=9.5, style="B", line_height=5)
    pdf.ln(0.5)


def _billing(pdf: DocumentPDF, data: InvoiceData) -> None:
    pdf.set_font(FONT, "", 9.5)
    pdf.cell(44, 7, "Kode Billing SIMPONI")
    pdf.cell(4, 7, ":")
    pdf.set_font(FONT, "B", 14)
    pdf.set_text_color(*NAVY)
    pdf.set_char_spacing(1.5)
    pdf.cell(0, 7, data.billing_code, **NEXT_LINE)
    pdf.set_char_spacing(0)
    pdf.set_text_color(*INK)
    expiry = tanggal_jam(data.billing_expires_at, data.zone) if data.billing_expires_at else "-"
    pdf.fields([("Berlaku sampai", expiry)], size=9.5, line_height=5.2)
    pdf.ln(0.5)


def _transfer(pdf: DocumentPDF, data: InvoiceData) -> None:
    """The receiving account(s), the exact amount and the reference, set apart so the payer copies them."""
    fields = []
    for number, bank in enumerate(data.receiving_accounts, start=1):
        label = "Rekening penerimaan" + (f" {number}" if len(data.receiving_accounts) > 1 else "")
        fields.append((label, f"{bank.bank} {bank.number} a.n. {bank.holder}"))
    fields += [("Jumlah transfer", f"{rupiah(data.total)} (tepat)"), ("Berita / referensi", data.number)]
    pdf.set_font(FONT, "B", 9.5)
    pdf.set_text_color(*NAVY)
    pdf.cell(0, 6, "Pembayaran melalui transfer bank", **NEXT_LINE)
    pdf.set_text_color(*INK)
    pdf.fields(fields, label_width=44, size=9.5, line_height=5.4, bold=[label for label, _value in fields])
    pdf.ln(0.8)


def _closing(pdf: DocumentPDF, data: InvoiceData) -> None:
    if pdf.will_page_break(QR_SIZE + 4):
        pdf.add_page()
    pdf.ln(3)
    top = pdf.get_y()
    pdf.qr(data.qr_text, pdf.l_margin - 2.5, top, QR_SIZE)
    text_x, text_w = pdf.l_margin + QR_SIZE + 1, 72
    pdf.set_xy(text_x, top + 4)
    pdf.set_font(FONT, "B", 8.5)
    pdf.cell(text_w, 4.5, "Kode verifikasi invoice", **NEXT_LINE)
    pdf.set_font(FONT, "", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.text_block("Dipindai bendahara untuk memeriksa keaslian invoice ini"
                   + (" dan membaca kode billingnya." if data.billing_code else "."), x=text_x, width=text_w,
                   line_height=3.6)
    pdf.set_font(FONT, "", 6.8)
    pdf.text_block(data.qr_text.split(" ")[-1], x=text_x, width=text_w, line_height=3.6)
    pdf.set_text_color(*INK)
    width = 62
    pdf.signature(pdf.w - pdf.r_margin - width, top, width,
                  [f"{data.city}, {tanggal(data.issued_at)}", "Petugas PST,"],
                  data.officer_name, data.officer_nip, gap=15)

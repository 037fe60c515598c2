"""The treasurer's books as a real Excel workbook (openpyxl, streamed write-only).

Plain data in, an ``.xlsx`` file out; nothing here opens a database session. Sheets, in order:

- one Buku Kas Umum (BKU) sheet per month: No | Tanggal | No. Bukti | Diterima dari | Uraian |
  Kode Akun | Cara Bayar | Debet (penerimaan) | Kredit (penyetoran) | Tgl Setor | NTPN | Saldo,
  opened by the balance carried from the month before and closed by a totals row written twice —
  as ``=SUM()`` formulas and as the values the application computed — and the signature block;
- Buku Pembantu Kas Tunai (cash received and its deposit) and Buku Pembantu SIMPONI/Bank;
- Rekap: amounts per account code and product, one column per month;
- Daftar Rp0: requests served at the Rp0 tariff with the normal tariff that was waived.

Every sheet carries the office letterhead, a frozen header row and an autofilter. Amounts are
integer Rupiah in the number format ``"Rp"#,##0``: Excel and LibreOffice show the thousands
separator of the reader's locale (a dot on an Indonesian PC: Rp1.250.000).

The file is written to a temporary file in the target folder and moved over the target only when
complete, so a failure, a cancellation or a full disk never leaves a half-written workbook."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MethodType

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

RUPIAH_FORMAT = '"Rp"#,##0;[Red]-"Rp"#,##0'
DATE_FORMAT = "DD-MM-YYYY"
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")
METHOD_WORDS = {"cash": "Tunai", "simponi": "SIMPONI", "transfer": "Transfer"}
TICK_EVERY = 500  # rows between two progress reports (and cancellation checks)

_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP_LINE = Border(top=Side(style="medium", color="000000"))


class ExportCancelled(Exception):
    """The person who started the export cancelled it; no file was written."""


class WriteRefused(Exception):
    """The workbook cannot be written where asked. ``kind``: ``folder`` (the folder is missing or
    read-only), ``locked`` (the file is open in another program, e.g. Excel on Windows) or ``disk``."""

    def __init__(self, kind: str, path: Path, detail: str = "") -> None:
        self.kind, self.path, self.detail = kind, path, detail
        super().__init__(f"{kind}: {path} {detail}".strip())


@dataclass(frozen=True)
class Letterhead:
    """The office as printed at the top of every sheet and in the signature block."""

    office_name: str
    address: str = ""
    contact: str = ""
    satker: str = ""           # "054081 — BPS Provinsi Maluku"
    city: str = ""
    treasurer_name: str = ""
    treasurer_nip: str = ""


@dataclass(slots=True)
class LedgerRow:
    """One BKU line: a kuitansi (debit), its cancellation (negative debit), or a deposit (credit)."""

    day: date
    number: str
    received_from: str
    description: str
    account_code: str
    method: str           # cash / simponi / transfer, "" for a deposit
    debit: int
    credit: int
    deposit_day: date | None
    ntpn: str
    balance: int


@dataclass
class LedgerMonth:
    """A month of the BKU. ``rows`` may be a generator that reads the month when it is written."""

    year: int
    month: int
    opening: int
    rows: Iterable[LedgerRow]
    last_day: date
    signed_on: date  # the last day, or the day it is produced when the month is not over yet


@dataclass(slots=True)
class CashRow:
    day: date
    number: str
    received_from: str
    amount: int
    deposit_day: date | None
    ntpn: str


@dataclass(slots=True)
class BankRow:
    paid_day: date
    number: str
    received_from: str
    method: str
    billing_code: str
    bank: str
    ntb: str
    ntpn: str
    amount: int


@dataclass(frozen=True)
class RekapLine:
    account_code: str
    product: str
    amounts: tuple[int, ...]  # one per month of the period


@dataclass(frozen=True)
class Rp0Row:
    day: date
    request_number: str
    name: str
    institution: str
    category: str
    purpose: str
    letter_number: str
    letter_date: date
    products: str
    normal_amount: int


@dataclass
class LedgerBook:
    """Everything one ledger workbook shows. ``months`` may be a generator (each month read when its
    sheet is written); the other books are callables run when their sheet's turn comes."""

    letterhead: Letterhead
    year: int
    months: Iterable[LedgerMonth]
    cash_rows: Callable[[], Iterable[CashRow]]
    bank_rows: Callable[[], Iterable[BankRow]]
    rekap_months: list[tuple[int, int]]
    rekap: Callable[[], list[RekapLine]]
    rp0: Callable[[], list[Rp0Row]]
    period_label: str = ""
    signed_on: date | None = None


def month_label(year: int, month: int) -> str:
    return f"{MONTHS_ID[month - 1]} {year}"


def long_date(day: date) -> str:
    """``31 Januari 2026``"""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


# --- writing -----------------------------------------------------------------------------------------------


def atomic_save(save: Callable[[Path], None], out: Path) -> Path:
    """Call ``save(temp_path)`` for a temporary file beside ``out`` and move it over ``out``.

    Raises ``WriteRefused`` (nothing left behind) when the folder cannot be written or the target
    is open in another program; any other failure (and ``ExportCancelled``) also removes the file."""
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise WriteRefused("folder", folder, "missing")
    temp = folder / f".{out.stem}-{secrets.token_hex(6)}.xlsx.part"
    try:  # created like any new file (0666 less the umask), exclusively
        os.close(os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as error:
        raise WriteRefused("folder", folder, str(error)) from None
    try:
        try:
            save(temp)
        except OSError as error:
            raise WriteRefused("disk", out, str(error)) from None
        try:
            os.replace(temp, out)
        except PermissionError as error:
            raise WriteRefused("locked", out, str(error)) from None
        except OSError as error:
            raise WriteRefused("folder", folder, str(error)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return out


class _Ticker:
    """Counts written rows and reports every ``TICK_EVERY``; the callback may raise ExportCancelled."""

    def __init__(self, tick: Callable[[int], None] | None):
        self.tick, self.pending = tick, 0

    def row(self) -> None:
        self.pending += 1
        if self.pending >= TICK_EVERY and self.tick is not None:
            self.tick(self.pending)
            self.pending = 0

    def flush(self) -> None:
        if self.pending and self.tick is not None:
            self.tick(self.pending)
        self.pending = 0


class _TemplateCell(Cell):
    """A cell reused for one column of every data row: its style is fixed once made, so its style id
    (looked up in the workbook's style table for every cell written) is computed once."""

    __slots__ = ("_fixed_style_id",)

    def __init__(self, worksheet):
        super().__init__(worksheet, row=1, column=1)
        self._fixed_style_id = None

    @property
    def style_id(self):
        if self._fixed_style_id is None:
            self._fixed_style_id = super().style_id
        return self._fixed_style_id


def _cells_to_row(self, cells, row_idx):
    """Every row this module appends is a list of ready cells (or None): place them without the
    generic conversion, which re-binds each value and raises and catches an error per styled cell."""
    for col_idx, cell in enumerate(cells, 1):
        if cell is not None:
            cell.column, cell.row = col_idx, row_idx
            yield cell


class SheetWriter:
    """A streamed sheet: letterhead rows, a styled header, data rows through per-column template
    cells (styled once, reused for every row) and footer rows."""

    def __init__(self, workbook: Workbook, title: str, columns: list[tuple[str, float, str]],
                 letterhead: Letterhead, heading: str, subheading: str):
        self.ws = workbook.create_sheet(title=title[:31])
        if hasattr(self.ws, "_values_to_row"):  # openpyxl's streaming worksheet (3.1)
            self.ws._values_to_row = MethodType(_cells_to_row, self.ws)
        self.columns = columns
        self.width = len(columns)
        self.last_col = get_column_letter(self.width)
        for index, (_name, width, _kind) in enumerate(columns, 1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.header_row = 6
        self.ws.freeze_panes = f"A{self.header_row + 1}"
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = "9"  # A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.print_options.horizontalCentered = True
        self.ws.page_margins.left = self.ws.page_margins.right = 0.4
        self.ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        self.row = 0
        lines = [
            (letterhead.office_name.upper(), Font(bold=True, size=14)),
            (" · ".join(p for p in (letterhead.address, letterhead.contact) if p), Font(size=9, color="444444")),
            (f"Satuan Kerja {letterhead.satker}" if letterhead.satker else "", Font(size=9, color="444444")),
            (heading, Font(bold=True, size=12)),
            (subheading, Font(italic=True, size=10)),
        ]
        for text, font in lines:
            cell = WriteOnlyCell(self.ws, text or None)
            cell.font = font
            cell.alignment = Alignment(horizontal="center", vertical="center")
            self._append([cell])
            self.ws.merged_cells.add(f"A{self.row}:{self.last_col}{self.row}")
        header = []
        for name, _width, _kind in columns:
            cell = WriteOnlyCell(self.ws, name)
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header.append(cell)
        self.ws.row_dimensions[self.header_row].height = 32
        self._append(header)
        self.first_data = self.row + 1
        self.templates = [self._template(kind) for _name, _w, kind in columns]
        self.wrapped = [(index, width) for index, (_n, width, kind) in enumerate(columns) if kind == "wrap"]

    def _template(self, kind: str) -> _TemplateCell:
        cell = _TemplateCell(self.ws)
        cell.border = _BOX
        cell.alignment = Alignment(vertical="top", wrap_text=kind == "wrap",
                                   horizontal="center" if kind in ("date", "center") else None)
        if kind == "money":
            cell.number_format = RUPIAH_FORMAT
        elif kind == "date":
            cell.number_format = DATE_FORMAT
        return cell

    def _append(self, cells: list) -> None:
        self.ws.append(cells)
        self.row += 1

    def data(self, values: tuple | list) -> None:
        """One data row (``None``: an empty cell, still boxed). A row with long wrapped text gets the height of
        its lines (neither Excel nor LibreOffice re-fits the rows of a generated file)."""
        lines = 1
        for index, width in self.wrapped:
            text = values[index]
            if text and len(text) > width:
                lines = max(lines, -(-len(text) * 11 // (int(width) * 10)))
        if lines > 1:  # a plain dict is what the streaming writer reads; dropped once the row is out
            dict.__setitem__(self.ws.row_dimensions, self.row + 1, {"ht": str(13 * lines + 2), "customHeight": "1"})
        for template, value in zip(self.templates, values, strict=True):
            template.value = value
        self._append(self.templates)
        if lines > 1:
            dict.pop(self.ws.row_dimensions, self.row, None)

    @property
    def last_data(self) -> int:
        return max(self.row, self.first_data - 1)

    def styled_row(self, values: list, *, bold: bool = False, fill: PatternFill | None = None,
                   money_cols: Iterable[int] = (), border: Border | None = _BOX, italic: bool = False) -> None:
        money = set(money_cols)
        cells = []
        for index, value in enumerate(values, 1):
            cell = WriteOnlyCell(self.ws, value)
            cell.font = Font(bold=bold, italic=italic)
            if fill is not None:
                cell.fill = fill
            if border is not None:
                cell.border = border
            if index in money:
                cell.number_format = RUPIAH_FORMAT
            cells.append(cell)
        self._append(cells)

    def blank(self) -> None:
        self._append([])

    def finish_table(self) -> None:
        """Autofilter over the header and the data rows."""
        self.ws.auto_filter.ref = f"A{self.header_row}:{self.last_col}{self.last_data}"

    def totals(self, label_col: int, sum_cols: list[int], values: dict[int, int]) -> tuple[int, int]:
        """Two total rows under the data: ``=SUM()`` formulas, then the values the application computed.
        Returns (formula row, value row)."""
        first, last = self.first_data, self.last_data
        formula = [None] * self.width
        formula[label_col - 1] = "JUMLAH (rumus)"
        for col in sum_cols:
            letter = get_column_letter(col)
            formula[col - 1] = f"=SUM({letter}{first}:{letter}{last})" if last >= first else 0
        self.styled_row(formula, bold=True, fill=_TOTAL_FILL, money_cols=sum_cols)
        formula_row = self.row
        shown = [None] * self.width
        shown[label_col - 1] = "JUMLAH (nilai aplikasi)"
        for col in sum_cols:
            shown[col - 1] = values[col]
        self.styled_row(shown, bold=True, fill=_TOTAL_FILL, money_cols=sum_cols)
        return formula_row, self.row

    def signature(self, letterhead: Letterhead, signed_on: date | None) -> None:
        """Mengetahui KPA (left) and Bendahara Penerimaan (right), as on a monthly close."""
        self.blank()
        right = max(self.width - 3, 2)
        place = f"{letterhead.city}, {long_date(signed_on)}" if signed_on else ""
        rows = [
            {1: "Mengetahui,", right: place},
            {1: "Kuasa Pengguna Anggaran", right: "Bendahara Penerimaan"},
            {}, {}, {},
            {1: "(....................................)", right: letterhead.treasurer_name or "(....................)"},
            {1: "NIP. ..................................", right: f"NIP. {letterhead.treasurer_nip}"
             if letterhead.treasurer_nip else "NIP. ....................."},
        ]
        for spec in rows:
            cells = [None] * self.width
            for col, text in spec.items():
                cell = WriteOnlyCell(self.ws, text)
                cell.font = Font(bold=text in ("Kuasa Pengguna Anggaran", "Bendahara Penerimaan"),
                                 underline="single" if text == letterhead.treasurer_name and text else None)
                cells[col - 1] = cell
            self._append(cells)


BKU_COLUMNS = [
    ("No", 6, "center"), ("Tanggal", 12, "date"), ("No. Bukti", 22, "text"), ("Diterima dari", 26, "text"),
    ("Uraian", 52, "wrap"), ("Kode Akun", 11, "center"), ("Cara Bayar", 11, "center"),
    ("Debet (Penerimaan)", 17, "money"), ("Kredit (Penyetoran)", 17, "money"), ("Tgl Setor", 12, "date"),
    ("NTPN", 19, "text"), ("Saldo", 17, "money"),
]
CASH_COLUMNS = [
    ("No", 6, "center"), ("Tanggal", 12, "date"), ("No. Kuitansi", 22, "text"), ("Diterima dari", 30, "text"),
    ("Jumlah", 17, "money"), ("Tgl Setor", 12, "date"), ("NTPN Setoran", 19, "text"),
]
BANK_COLUMNS = [
    ("No", 6, "center"), ("Tanggal Bayar", 13, "date"), ("No. Kuitansi", 22, "text"),
    ("Diterima dari", 28, "text"), ("Cara Bayar", 11, "center"), ("Kode Billing", 18, "text"),
    ("Bank/Pos", 14, "text"), ("NTB", 18, "text"), ("NTPN", 19, "text"), ("Jumlah", 17, "money"),
]
RP0_COLUMNS = [
    ("No", 6, "center"), ("Tanggal", 12, "date"), ("No. Permintaan", 22, "text"), ("Nama", 24, "text"),
    ("Instansi", 28, "text"), ("Kategori", 24, "text"), ("Tujuan", 24, "text"), ("No. Surat", 24, "text"),
    ("Tgl Surat", 12, "date"), ("Produk", 40, "wrap"), ("Nilai Tarif Normal", 18, "money"),
    ("Dikenakan", 13, "money"),
]


def write_ledger(book: LedgerBook, out: Path, tick: Callable[[int], None] | None = None) -> Path:
    """Write the workbook to ``out`` (atomically). ``tick(n)`` is called as rows are written and may
    raise ``ExportCancelled``."""
    return atomic_save(lambda temp: _build(book, tick).save(temp), out)


def _build(book: LedgerBook, tick: Callable[[int], None] | None) -> Workbook:
    workbook = Workbook(write_only=True)
    ticker = _Ticker(tick)
    head = book.letterhead
    try:
        for month in book.months:
            _bku_sheet(workbook, head, month, ticker)
        _cash_sheet(workbook, book, ticker)
        _bank_sheet(workbook, book, ticker)
        _rekap_sheet(workbook, book)
        _rp0_sheet(workbook, book)
        ticker.flush()
    except BaseException:
        _discard(workbook)
        raise
    return workbook


def _discard(workbook: Workbook) -> None:
    """Close the streams of an abandoned write-only workbook, in order, and remove its temporary files
    (otherwise they would wait for the end of the process)."""
    for ws in workbook.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        if rows is not None:
            with contextlib.suppress(Exception):
                rows.close()
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
            with contextlib.suppress(Exception):
                writer.cleanup()


def _bku_sheet(workbook: Workbook, head: Letterhead, month: LedgerMonth, ticker: _Ticker) -> None:
    label = month_label(month.year, month.month)
    sheet = SheetWriter(workbook, f"BKU {MONTHS_ID[month.month - 1][:3]} {month.year}", BKU_COLUMNS, head,
                        "BUKU KAS UMUM PENERIMAAN (BKU)", f"Bulan {label} · Tahun Anggaran {month.year}")
    sheet.data(("", month.last_day.replace(day=1), "", "", "Saldo awal bulan (dipindahkan dari bulan lalu)",
                "", "", None, None, None, "", month.opening))
    debit = credit = 0
    balance = month.opening
    number = 0
    for row in month.rows:
        number += 1
        debit += row.debit
        credit += row.credit
        balance = row.balance
        sheet.data((number, row.day, row.number, row.received_from, row.description, row.account_code,
                    METHOD_WORDS.get(row.method, row.method), row.debit or None, row.credit or None,
                    row.deposit_day, row.ntpn, row.balance))
        ticker.row()
    sheet.finish_table()
    formula_row, _value_row = sheet.totals(5, [8, 9], {8: debit, 9: credit})
    first = sheet.first_data
    closing = [None] * sheet.width
    closing[4] = "SALDO AKHIR (rumus: saldo awal + debet − kredit)"
    closing[11] = f"=L{first}+H{formula_row}-I{formula_row}"
    sheet.styled_row(closing, bold=True, money_cols=[12])
    closing_values = [None] * sheet.width
    closing_values[4] = "SALDO AKHIR (nilai aplikasi): kas tunai belum disetor"
    closing_values[11] = balance
    sheet.styled_row(closing_values, bold=True, money_cols=[12])
    sheet.signature(head, month.signed_on)


def _cash_sheet(workbook: Workbook, book: LedgerBook, ticker: _Ticker) -> None:
    sheet = SheetWriter(workbook, "Kas Tunai", CASH_COLUMNS, book.letterhead, "BUKU PEMBANTU KAS TUNAI",
                        f"{book.period_label} · penerimaan tunai dan penyetorannya ke Kas Negara")
    total = undeposited = 0
    for number, row in enumerate(book.cash_rows(), 1):
        total += row.amount
        if row.deposit_day is None:
            undeposited += row.amount
        sheet.data((number, row.day, row.number, row.received_from, row.amount, row.deposit_day, row.ntpn))
        ticker.row()
    sheet.finish_table()
    sheet.totals(4, [5], {5: total})
    sheet.styled_row([None, None, None, "Belum disetor", undeposited, None, None], italic=True, money_cols=[5],
                     border=None)
    sheet.signature(book.letterhead, book.signed_on)


def _bank_sheet(workbook: Workbook, book: LedgerBook, ticker: _Ticker) -> None:
    sheet = SheetWriter(workbook, "SIMPONI-Bank", BANK_COLUMNS, book.letterhead,
                        "BUKU PEMBANTU SIMPONI / BANK",
                        f"{book.period_label} · setoran langsung ke Kas Negara (kode billing) dan transfer")
    total = 0
    for number, row in enumerate(book.bank_rows(), 1):
        total += row.amount
        sheet.data((number, row.paid_day, row.number, row.received_from, METHOD_WORDS.get(row.method, row.method),
                    row.billing_code, row.bank, row.ntb, row.ntpn, row.amount))
        ticker.row()
    sheet.finish_table()
    sheet.totals(4, [10], {10: total})
    sheet.signature(book.letterhead, book.signed_on)


def _rekap_sheet(workbook: Workbook, book: LedgerBook) -> None:
    months = book.rekap_months
    columns = [("No", 6, "center"), ("Kode Akun", 11, "center"), ("Produk", 44, "text")]
    columns += [(MONTHS_ID[m - 1][:3] + f" {y}", 15, "money") for y, m in months]
    columns += [("Jumlah (rumus)", 17, "money"), ("Jumlah (nilai)", 17, "money")]
    sheet = SheetWriter(workbook, "Rekap", columns, book.letterhead,
                        "REKAPITULASI PENERIMAAN PER KODE AKUN DAN JENIS PRODUK", book.period_label)
    lines = book.rekap()
    first_month, last_month = 4, 3 + len(months)
    formula_col = last_month + 1
    for number, line in enumerate(lines, 1):
        row = sheet.row + 1
        formula = f"=SUM({get_column_letter(first_month)}{row}:{get_column_letter(last_month)}{row})"
        sheet.data((number, line.account_code, line.product, *(a or None for a in line.amounts), formula,
                    sum(line.amounts)))
    sheet.finish_table()
    sums = list(range(first_month, formula_col + 2))
    values = {first_month + i: sum(line.amounts[i] for line in lines) for i in range(len(months))}
    values[formula_col] = values[formula_col + 1] = sum(sum(line.amounts) for line in lines)
    sheet.totals(3, sums, values)
    sheet.signature(book.letterhead, book.signed_on)


def _rp0_sheet(workbook: Workbook, book: LedgerBook) -> None:
    sheet = SheetWriter(workbook, "Daftar Rp0", RP0_COLUMNS, book.letterhead,
                        "DAFTAR PERMINTAAN DENGAN TARIF Rp0",
                        f"{book.period_label} · nilai tarif normal yang dibebaskan (PP 13/2024 pasal 4)")
    rows = book.rp0()
    for number, row in enumerate(rows, 1):
        sheet.data((number, row.day, row.request_number, row.name, row.institution, row.category, row.purpose,
                    row.letter_number, row.letter_date, row.products, row.normal_amount, 0))
    sheet.finish_table()
    sheet.totals(10, [11, 12], {11: sum(r.normal_amount for r in rows), 12: 0})

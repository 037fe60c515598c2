"""The treasurer's books as a real Excel workbook (openpyxl, streamed write-only).

Plain data in, an ``.xlsx`` file out; nothing here opens a database session. Sheets, in order:

- one Buku Kas Umum (BKU) sheet per month: No | Tanggal | No. Bukti | Diterima dari | Uraian |
  Kode Akun | Cara Bayar | Debet (penerimaan) | Kredit (penyetoran) | Tgl Setor | NTPN | Saldo,
  opened by the balance carried from the month before and closed by one totals row of ``=SUM()``
  formulas and the closing balance by formula, the payments waiting for their kuitansi (outside the BKU
  balance) and the signature block; a year's workbook has a sheet for each month with movements, a
  balance or payments waiting, and for the last month of the period;
- one subsidiary book per position, each the movements of the period, totalled by formulas that the
  tests check against the positions the application computes (``pstdesktop.services.positions``):
  - Kas Tunai (the treasurer's cash box): opening balance, cash taken (by its kuitansi, with the deposit
    date and NTPN), cash deposits, cash refunds, running and closing balance, and what the closing
    balance is made of: kuitansi not yet deposited and cash payments waiting for their kuitansi;
  - Bank (the office's receiving account): the same for transfers in (bank, transfer reference), deposits
    from the account (NTPN) and refunds of transfers;
  - SIMPONI (the state treasury, Kas Negara): billing codes paid (code, bank, NTB, NTPN) and deposits
    (NTPN) in, refunds of SIMPONI payments out, and the net revenue of the period;
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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MethodType

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from exports.text import rupiah

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
    official_title: str = ""   # the BPS official who signs for the office (SPPD, monthly report)
    official_name: str = ""
    official_nip: str = ""


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


@dataclass(slots=True)
class MovementRow:
    """One movement of a position in its subsidiary book: a payment taken (by its kuitansi), a deposit
    (out of the cash box or the receiving account, into the treasury) or a refund. A row with neither
    amount records a kuitansi issued for money counted in an earlier period. In ``pending_rows`` lists,
    ``number`` is the invoice of a payment waiting for its kuitansi."""

    day: date
    number: str                      # No. Bukti: kuitansi, the deposit's NTPN, the refund
    party: str                       # received from / paid back to
    description: str
    money_in: int
    money_out: int
    deposit_day: date | None = None  # when the money under this kuitansi reached Kas Negara
    ntpn: str = ""                   # that deposit's NTPN (the payment's own for SIMPONI)
    bank: str = ""
    ntb: str = ""                    # a SIMPONI payment's NTB; a transfer's bank reference (Bank book)
    billing_code: str = ""
    method: str = ""                 # the payment's method (cash / transfer / simponi) in a pending list


CashRow = BankRow = MovementRow  # the Kas Tunai, Bank and SIMPONI books share one row


@dataclass
class PositionBook:
    """One position over the period: its rows, and the figures the application computed from the
    movements (``positions.positions``) at the start and at the end, checked by the sheet's formulas."""

    start: date                       # the first day of the period
    as_of: date                       # the day the end figures are shown for
    opening: int
    rows: Iterable[MovementRow]
    closing: int
    pending: list[MovementRow] = field(default_factory=list)  # payments waiting for their kuitansi at the end
    awaiting_deposit: int = 0         # live kuitansi not yet deposited at the end
    opening_pending: int = 0          # of ``opening``, payments then waiting for their kuitansi


@dataclass
class LedgerMonth:
    """A month of the BKU. ``rows`` may be a generator that reads the month when it is written."""

    year: int
    month: int
    opening: int
    rows: Iterable[LedgerRow]
    last_day: date
    signed_on: date  # the last day, or the day it is produced when the month is not over yet
    pending: list[MovementRow] = field(default_factory=list)  # cash and transfers waiting for a kuitansi


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
    cash: Callable[[], PositionBook]
    bank: Callable[[], PositionBook]
    simponi: Callable[[], PositionBook]
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


def _word_lines(text: str, capacity: float) -> int:
    """Lines of ``text`` wrapped at spaces into lines of at most ``capacity`` characters (a header)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > capacity:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


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
        self.ws.row_dimensions[self.header_row].height = max(32, 13 * max(
            _word_lines(name, width * 0.85) for name, width, _kind in columns) + 6)
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

    @staticmethod
    def _lines(text: object, width: float, bold: bool = False) -> int:
        """How many lines ``text`` takes wrapped in a column ``width`` characters wide (a bold font is wider)."""
        if not isinstance(text, str) or len(text) <= width * (0.9 if bold else 1):
            return 1
        return -(-len(text) * (12 if bold else 11) // (int(width) * 10))

    def _append_lines(self, cells: list, lines: int) -> None:
        """Append a row of ``lines`` lines of text (neither Excel nor LibreOffice re-fits the rows of a
        generated file)."""
        if lines > 1:  # a plain dict is what the streaming writer reads; dropped once the row is out
            dict.__setitem__(self.ws.row_dimensions, self.row + 1, {"ht": str(13 * lines + 2), "customHeight": "1"})
        self._append(cells)
        if lines > 1:
            dict.pop(self.ws.row_dimensions, self.row, None)

    def data(self, values: tuple | list) -> None:
        """One data row (``None``: an empty cell, still boxed). A row with long wrapped text gets the height of
        its lines."""
        lines = max([1] + [self._lines(values[index], width) for index, width in self.wrapped])
        for template, value in zip(self.templates, values, strict=True):
            template.value = value
        self._append_lines(self.templates, lines)

    @property
    def last_data(self) -> int:
        return max(self.row, self.first_data - 1)

    def styled_row(self, values: list, *, bold: bool = False, fill: PatternFill | None = None,
                   money_cols: Iterable[int] = (), border: Border | None = _BOX, italic: bool = False,
                   wrap: Iterable[int] = ()) -> None:
        """A row outside the data (totals, closing balances, notes); text in the ``wrap`` columns wraps
        and the row gets the height of its lines."""
        money, wrapped = set(money_cols), set(wrap)
        lines = max([1] + [self._lines(values[col - 1], self.columns[col - 1][1], bold) for col in wrapped])
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
            if wrapped:
                cell.alignment = Alignment(vertical="top", wrap_text=index in wrapped)
            cells.append(cell)
        self._append_lines(cells, lines)

    def blank(self) -> None:
        self._append([])

    def finish_table(self) -> None:
        """Autofilter over the header and the data rows."""
        self.ws.auto_filter.ref = f"A{self.header_row}:{self.last_col}{self.last_data}"

    def totals(self, label_col: int, sum_cols: list[int]) -> int:
        """The one total row under the data, as ``=SUM()`` formulas (the tests check them against the
        application's own totals); returns its row."""
        first, last = self.first_data, self.last_data
        formula = [None] * self.width
        formula[label_col - 1] = TOTAL
        for col in sum_cols:
            letter = get_column_letter(col)
            formula[col - 1] = f"=SUM({letter}{first}:{letter}{last})" if last >= first else 0
        self.styled_row(formula, bold=True, fill=_TOTAL_FILL, money_cols=sum_cols)
        return self.row

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
    ("No", 6, "center"), ("Tanggal", 12, "date"), ("No. Bukti", 22, "wrap"), ("Diterima dari", 26, "text"),
    ("Uraian", 48, "wrap"), ("Kode Akun (MAK) dan jumlah", 22, "wrap"), ("Cara Bayar", 11, "center"),
    ("Debet (Penerimaan)", 17, "money"), ("Kredit (Penyetoran)", 17, "money"), ("Tgl Setor", 12, "date"),
    ("NTPN", 19, "text"), ("Saldo", 17, "money"),
]
CASH_COLUMNS = [
    ("No", 6, "center"), ("Tanggal", 12, "date"), ("No. Bukti", 22, "wrap"),
    ("Diterima dari / Dibayar kepada", 26, "wrap"), ("Uraian", 46, "wrap"),
    ("Masuk (Penerimaan Tunai)", 18, "money"), ("Keluar (Setoran / Pengembalian)", 18, "money"),
    ("Saldo Kas Tunai", 18, "money"), ("Tgl Setor", 12, "date"), ("NTPN Setoran", 19, "text"),
]
BANK_COLUMNS = [
    ("No", 6, "center"), ("Tanggal", 12, "date"), ("No. Bukti", 22, "wrap"),
    ("Diterima dari / Dibayar kepada", 26, "wrap"), ("Uraian", 42, "wrap"), ("Bank", 14, "wrap"),
    ("No. Referensi Transfer", 22, "text"), ("Masuk (Transfer)", 18, "money"),
    ("Keluar (Setoran / Pengembalian)", 18, "money"), ("Saldo Rekening", 18, "money"), ("Tgl Setor", 12, "date"),
    ("NTPN Setoran", 19, "text"),
]
SIMPONI_COLUMNS = [
    ("No", 6, "center"), ("Tanggal", 12, "date"), ("No. Bukti", 22, "wrap"),
    ("Penyetor / Dibayar kepada", 26, "wrap"), ("Uraian", 42, "wrap"), ("Kode Billing", 18, "text"),
    ("Bank/Pos", 14, "wrap"), ("NTB", 20, "text"), ("NTPN", 19, "text"), ("Masuk Kas Negara", 18, "money"),
    ("Keluar (Pengembalian)", 18, "money"),
]
# the total row of every table, the BKU's closing line, the footer lines of the Kas Tunai and Bank books
# (closing balance) and of the SIMPONI book (net of the period): one formula row each
TOTAL = "JUMLAH"
BKU_CLOSING = "SALDO AKHIR (saldo awal + debet − kredit): kas tunai dan rekening penerimaan belum disetor"
CLOSING_FORMULA = "SALDO AKHIR (saldo awal + masuk − keluar)"
NET_FORMULA = "JUMLAH BERSIH (masuk − keluar): penerimaan negara periode ini"
BKU_PENDING = "Di luar saldo BKU: pembayaran tunai dan transfer menunggu kuitansi"
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
        _simponi_sheet(workbook, book, ticker)
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
    for number, row in enumerate(month.rows, 1):
        sheet.data((number, row.day, row.number, row.received_from, row.description, row.account_code,
                    METHOD_WORDS.get(row.method, row.method), row.debit or None, row.credit or None,
                    row.deposit_day, row.ntpn, row.balance))
        ticker.row()
    sheet.finish_table()
    formula_row = sheet.totals(5, [8, 9])
    _labelled_row(sheet, BKU_CLOSING, 12, f"=L{sheet.first_data}+H{formula_row}-I{formula_row}", bold=True)
    pending = month.pending
    where = {"cash": "di kas tunai", "transfer": "di rekening penerimaan"}
    words = ", ".join(f"{METHOD_WORDS.get(m, m).lower()} {rupiah(sum(r.money_in for r in pending if r.method == m))}"
                      f" {where.get(m, '')}".rstrip() for m in dict.fromkeys(r.method for r in pending))
    _pending_rows(sheet, BKU_PENDING, pending,
                  month.signed_on, 12, sum(r.money_in for r in pending), f" ({words})" if words else "")
    sheet.signature(head, month.signed_on)


def _cash_sheet(workbook: Workbook, book: LedgerBook, ticker: _Ticker) -> None:
    _position_sheet(workbook, book, book.cash(), ticker, _CASH)


def _bank_sheet(workbook: Workbook, book: LedgerBook, ticker: _Ticker) -> None:
    _position_sheet(workbook, book, book.bank(), ticker, _BANK)


def _simponi_sheet(workbook: Workbook, book: LedgerBook, ticker: _Ticker) -> None:
    _position_sheet(workbook, book, book.simponi(), ticker, _SIMPONI)


@dataclass(frozen=True)
class _Position:
    """How one position's book is laid out: its columns, where a row's values go, and its words."""

    title: str
    heading: str
    what: str                      # the subheading, after the period
    columns: list[tuple[str, float, str]]
    values: Callable[[int, MovementRow, int], tuple]  # (No, row, balance after it) -> the row's cells
    money_in: int
    money_out: int
    balance: int | None            # the running balance column; None: the period's net (the treasury)
    opening: str = ""              # the opening row's words
    awaiting: str = ""             # the part of the closing balance under a kuitansi not yet deposited
    pending: str = ""              # the payments waiting for their kuitansi


# the cells of one movement in each book (an empty text is written as an empty cell, not as "")
def _cash_cells(number: int, row: MovementRow, balance: int) -> tuple:
    return (number, row.day, row.number or None, row.party or None, row.description, row.money_in or None,
            row.money_out or None, balance, row.deposit_day, row.ntpn or None)


def _bank_cells(number: int, row: MovementRow, balance: int) -> tuple:
    return (number, row.day, row.number or None, row.party or None, row.description, row.bank or None,
            row.ntb or None, row.money_in or None, row.money_out or None, balance, row.deposit_day, row.ntpn or None)


def _simponi_cells(number: int, row: MovementRow, _balance: int) -> tuple:
    return (number, row.day, row.number or None, row.party or None, row.description, row.billing_code or None,
            row.bank or None, row.ntb or None, row.ntpn or None, row.money_in or None, row.money_out or None)


_CASH = _Position(
    "Kas Tunai", "BUKU PEMBANTU KAS TUNAI",
    "uang tunai di kas bendahara: penerimaan tunai, penyetoran ke Kas Negara dan pengembalian", CASH_COLUMNS,
    _cash_cells, 6, 7, 8,
    opening="Saldo awal kas tunai", awaiting="terdiri dari: kuitansi tunai belum disetor ke Kas Negara",
    pending="dan pembayaran tunai menunggu kuitansi")
_BANK = _Position(
    "Bank", "BUKU PEMBANTU BANK (REKENING PENERIMAAN)",
    "transfer masuk ke rekening penerimaan, penyetoran dari rekening ke Kas Negara dan pengembalian", BANK_COLUMNS,
    _bank_cells, 8, 9, 10,
    opening="Saldo awal rekening penerimaan",
    awaiting="terdiri dari: kuitansi transfer belum disetor ke Kas Negara",
    pending="dan transfer menunggu kuitansi")
_SIMPONI = _Position(
    "SIMPONI", "BUKU PEMBANTU SIMPONI (KAS NEGARA)",
    "PNBP yang sudah masuk Kas Negara: kode billing dibayar dan setoran dengan NTPN; pengembalian",
    SIMPONI_COLUMNS,
    _simponi_cells, 10, 11, None,
    pending="pembayaran SIMPONI (sudah di Kas Negara) menunggu kuitansi")


def _position_sheet(workbook: Workbook, book: LedgerBook, data: PositionBook, ticker: _Ticker,
                    layout: _Position) -> None:
    """A subsidiary book: (opening balance), the movements, the totals by formula and by the application,
    the closing balance (or the period's net) both ways, what it is made of, and the payments waiting for
    their kuitansi, one row each."""
    sheet = SheetWriter(workbook, layout.title, layout.columns, book.letterhead, layout.heading,
                        f"{book.period_label} · {layout.what}")
    col_in, col_out, col_balance = layout.money_in, layout.money_out, layout.balance
    balance = data.opening
    if col_balance is not None:
        opening: list[object] = [None] * sheet.width
        opening[0], opening[1] = "", data.start
        opening[4] = f"{layout.opening} per {_day(data.start)}" + (
            f", termasuk {rupiah(data.opening_pending)} pembayaran yang menunggu kuitansi"
            if data.opening_pending else "")
        opening[col_balance - 1] = data.opening
        sheet.data(opening)
    cells = layout.values
    for number, row in enumerate(data.rows, 1):
        balance += row.money_in - row.money_out
        sheet.data(cells(number, row, balance))
        ticker.row()
    sheet.finish_table()
    in_letter, out_letter = get_column_letter(col_in), get_column_letter(col_out)
    formula_row = sheet.totals(5, [col_in, col_out])
    pending = sum(row.money_in for row in data.pending)
    if col_balance is not None:
        letter = get_column_letter(col_balance)
        _labelled_row(sheet, f"{CLOSING_FORMULA} per {_day(data.as_of)}", col_balance,
                      f"={letter}{sheet.first_data}+{in_letter}{formula_row}-{out_letter}{formula_row}", bold=True)
        _labelled_row(sheet, layout.awaiting, col_balance, data.awaiting_deposit, italic=True)
        amount_col = col_balance
    else:
        _labelled_row(sheet, NET_FORMULA, col_in, f"={in_letter}{formula_row}-{out_letter}{formula_row}", bold=True)
        amount_col = col_in
    _pending_rows(sheet, layout.pending, data.pending, data.as_of, amount_col, pending)
    sheet.signature(book.letterhead, book.signed_on)


def _pending_rows(sheet: SheetWriter, label: str, rows: list[MovementRow], as_of: date, amount_col: int,
                  amount: int, detail: str = "") -> None:
    """The payments waiting for their kuitansi: a line with their sum in ``amount_col``, then one row each
    (paid on, invoice, payer, what is missing, amount)."""
    count = f"{len(rows)} pembayaran{detail}" if rows else "tidak ada"
    _labelled_row(sheet, f"{label} per {_day(as_of)}: {count}", amount_col, amount, italic=True)
    for row in rows:
        values: list[object] = [None] * sheet.width
        values[1:5] = [row.day, row.number, row.party, row.description]
        values[amount_col - 1] = row.money_in
        sheet.data(values)


def _labelled_row(sheet: SheetWriter, label: str, col: int, value: object, *, bold: bool = False,
                  italic: bool = False) -> None:
    """A footer line: ``label`` in the Uraian column (wrapped), ``value`` (Rupiah) in column ``col``."""
    values: list[object] = [None] * sheet.width
    values[4], values[col - 1] = label, value
    sheet.styled_row(values, bold=bold, italic=italic, money_cols=[col], wrap=[5])


def _day(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _rekap_sheet(workbook: Workbook, book: LedgerBook) -> None:
    months = book.rekap_months
    columns = [("No", 6, "center"), ("Kode Akun", 11, "center"), ("Produk", 44, "text")]
    columns += [(MONTHS_ID[m - 1][:3] + f" {y}", 15, "money") for y, m in months]
    columns += [("Jumlah", 17, "money")]
    sheet = SheetWriter(workbook, "Rekap", columns, book.letterhead,
                        "REKAPITULASI PENERIMAAN PER KODE AKUN DAN JENIS PRODUK", book.period_label)
    lines = book.rekap()
    first_month, last_month = 4, 3 + len(months)
    formula_col = last_month + 1
    for number, line in enumerate(lines, 1):
        row = sheet.row + 1
        formula = f"=SUM({get_column_letter(first_month)}{row}:{get_column_letter(last_month)}{row})"
        sheet.data((number, line.account_code, line.product, *(a or None for a in line.amounts), formula))
    sheet.finish_table()
    sheet.totals(3, list(range(first_month, formula_col + 1)))
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
    sheet.totals(10, [11, 12])
    sheet.signature(book.letterhead, book.signed_on)

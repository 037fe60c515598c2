"""The monthly service report (laporan bulanan PST) as an Excel workbook with charts.

Plain data in, an ``.xlsx`` file out (written atomically, like the ledger). Sheets: Ringkasan
(key figures), Pengunjung (visits by purpose and by occupation), Permintaan (requests by product, by
channel and by state), Terlambat (open requests already past their deadline), Pengalihan (requests
redirected to statistical consultation, with the reasons), Pendapatan (receipts by payment method and by account code/product), Daftar Rp0 (the normal
tariff waived), Ketepatan Waktu (on-time rate against the 1-hour walk-in and 10-working-day online
standards) and Kepuasan (the SKM elements and the IKM). Each table ends with one total row of ``=SUM()``
formulas (the tests check them against the application's figures) and has a chart beside it; the
Ringkasan is signed by the BPS official named in the office profile (place, date, name, NIP)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from exports.ledger import (
    DATE_FORMAT,
    MONTHS_ID,
    RUPIAH_FORMAT,
    ExportCancelled,
    Letterhead,
    Rp0Row,
    atomic_save,
    long_date,
    month_label,
)

PERCENT_FORMAT = "0.0%"
TOTAL = "Jumlah"
IKM_LABEL = "IKM (rata-rata NRR × 25)"
INDEX_FORMAT = "0.00"
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class ProductCount:
    product: str
    requests: int
    items: int
    normal_amount: int  # the tariff of the items before any Rp0 waiver


@dataclass(frozen=True)
class Revenue:
    label: str
    receipts: int
    amount: int


@dataclass(frozen=True)
class AccountRevenue:
    account_code: str
    product: str
    amount: int


@dataclass(frozen=True)
class OnTime:
    standard: str
    delivered: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.delivered if self.delivered else None


@dataclass(frozen=True)
class OverdueRow:
    """An open request whose data is not handed over and whose deadline has passed."""
    number: str
    channel: str
    requester: str
    received: date
    clear: str   # when it became clear, office time ("" before approval)
    due: str     # the deadline, office time
    state: str
    working_days_late: int  # working days from the deadline to the office's today


@dataclass(frozen=True)
class RedirectRow:
    """A request redirected to statistical consultation."""
    day: date
    number: str
    channel: str
    requester: str
    institution: str
    reason: str


@dataclass(frozen=True)
class Satisfaction:
    respondents: int
    elements: tuple[tuple[str, float], ...]  # (label, NRR 1-4)
    ikm: float     # mean of the NRR, 1-4
    index: float   # x 25, 25-100
    grade: str     # "A (Sangat Baik)"


@dataclass
class ServiceReport:
    letterhead: Letterhead
    year: int
    month: int
    visits_by_purpose: list[Count]
    visits_by_occupation: list[Count]
    requests_by_product: list[ProductCount]
    requests_by_state: list[Count]
    requests_total: int
    revenue_by_method: list[Revenue]
    revenue_by_account: list[AccountRevenue]
    rp0: list[Rp0Row]
    on_time: list[OnTime]
    satisfaction: Satisfaction | None
    made_on: date | None = None
    notes: list[str] = field(default_factory=list)
    requests_by_channel: list[Count] = field(default_factory=list)
    overdue: list[OverdueRow] = field(default_factory=list)
    overdue_as_of: date | None = None
    redirects: list[RedirectRow] = field(default_factory=list)

    @property
    def period(self) -> str:
        return month_label(self.year, self.month)


def write_report(report: ServiceReport, out: Path, tick: Callable[[int], None] | None = None) -> Path:
    """Write the report workbook to ``out`` atomically; ``tick(n)`` reports progress per sheet and
    may raise ``ExportCancelled``."""
    def save(temp: Path) -> None:
        workbook = _build(report, tick or (lambda _n: None))
        workbook.save(temp)

    return atomic_save(save, out)


def _build(report: ServiceReport, tick: Callable[[int], None]) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for build in (_summary, _visitors, _requests, _overdue, _redirects, _revenue, _rp0, _on_time, _satisfaction):
        build(workbook, report)
        tick(1)
    return workbook


SHEET_COUNT = 9


class _Sheet:
    """A normal (in-memory) sheet with the letterhead, written top to bottom."""

    def __init__(self, workbook: Workbook, title: str, report: ServiceReport, heading: str, width: int):
        self.ws: Worksheet = workbook.create_sheet(title)
        self.width = width
        head = report.letterhead
        lines = [
            (head.office_name.upper(), Font(bold=True, size=14)),
            (" · ".join(p for p in (head.address, head.contact) if p), Font(size=9, color="444444")),
            (heading, Font(bold=True, size=12)),
            (f"Bulan {report.period} · Pelayanan Statistik Terpadu (PST)", Font(italic=True, size=10)),
        ]
        for row, (text, font) in enumerate(lines, 1):
            cell = self.ws.cell(row=row, column=1, value=text or None)
            cell.font = font
            cell.alignment = Alignment(horizontal="center")
            self.ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=self.width)
        self.row = len(lines) + 1
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = self.ws.PAPERSIZE_A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.first_header: int | None = None

    def widths(self, *widths: float) -> None:
        for index, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(index)].width = width

    def caption(self, text: str) -> None:
        self.row += 1
        self.ws.cell(row=self.row, column=1, value=text).font = Font(bold=True, size=11)
        self.row += 1

    def table(self, headers: list[str], rows: list[list], formats: dict[int, str] | None = None,
              sums: list[int] | None = None, label: int = 1) -> tuple[int, int, int]:
        """Header, rows and (when ``sums``) one ``=SUM()`` total row.
        Returns (header row, first data row, last data row)."""
        formats = formats or {}
        header_row = self.row
        if self.first_header is None:
            self.first_header = header_row
            self.ws.freeze_panes = f"A{header_row + 1}"
        for col, name in enumerate(headers, 1):
            cell = self.ws.cell(row=header_row, column=col, value=name)
            cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        first = header_row + 1
        for offset, values_row in enumerate(rows):
            for col, value in enumerate(values_row, 1):
                cell = self.ws.cell(row=first + offset, column=col, value=value)
                cell.border = _BOX
                if col in formats:
                    cell.number_format = formats[col]
        last = first + len(rows) - 1
        self.row = max(last, header_row) + 1
        if sums:
            self.ws.cell(row=self.row, column=label, value=TOTAL)
            for col in sums:
                letter = get_column_letter(col)
                cell = self.ws.cell(row=self.row, column=col,
                                    value=f"=SUM({letter}{first}:{letter}{last})" if rows else 0)
                if col in formats:
                    cell.number_format = formats[col]
            for col in range(1, len(headers) + 1):
                cell = self.ws.cell(row=self.row, column=col)
                cell.font, cell.fill, cell.border = Font(bold=True), _TOTAL_FILL, _BOX
            self.row += 1
        if rows and self.ws.auto_filter.ref is None:
            self.ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{last}"
        return header_row, first, last

    def bar(self, title: str, label_col: int, value_col: int, header_row: int, first: int, last: int,
            anchor: str, *, horizontal: bool = True, y_title: str = "", money: bool = False) -> None:
        if last < first:
            return
        chart = BarChart()
        chart.type = "bar" if horizontal else "col"
        chart.title = title
        chart.style = 10
        chart.legend = None
        chart.y_axis.title = y_title
        chart.y_axis.majorGridlines = None
        chart.y_axis.numFmt = RUPIAH_FORMAT if money else "0"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        data = Reference(self.ws, min_col=value_col, min_row=header_row, max_row=last)
        labels = Reference(self.ws, min_col=label_col, min_row=first, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(labels)
        chart.dataLabels = _labels(value=True)
        chart.height = max(6.5, 0.9 * (last - first + 1) + 3)
        chart.width = 18
        self.ws.add_chart(chart, anchor)

    def pie(self, title: str, label_col: int, value_col: int, header_row: int, first: int, last: int,
            anchor: str) -> None:
        if last < first:
            return
        chart = PieChart()
        chart.title = title
        chart.add_data(Reference(self.ws, min_col=value_col, min_row=header_row, max_row=last),
                       titles_from_data=True)
        chart.set_categories(Reference(self.ws, min_col=label_col, min_row=first, max_row=last))
        chart.dataLabels = _labels(percent=True)
        chart.height, chart.width = 7.5, 12
        self.ws.add_chart(chart, anchor)


def _labels(*, value: bool = False, percent: bool = False) -> DataLabelList:
    """Data labels with the value (or percentage) only: LibreOffice otherwise adds series and category."""
    labels = DataLabelList()
    labels.showVal, labels.showPercent = value, percent
    labels.showSerName = labels.showCatName = labels.showLegendKey = labels.showLeaderLines = False
    return labels


def _summary(workbook: Workbook, report: ServiceReport) -> None:
    sheet = _Sheet(workbook, "Ringkasan", report, "LAPORAN BULANAN PELAYANAN STATISTIK TERPADU", 3)
    sheet.widths(58, 18, 58)
    revenue = sum(r.amount for r in report.revenue_by_method)
    receipts = sum(r.receipts for r in report.revenue_by_method)
    rows: list[list] = [
        ["Kunjungan (buku tamu)", sum(c.count for c in report.visits_by_purpose), None],
        ["Permintaan diterima", report.requests_total,
         "; ".join(f"{c.label} {c.count}" for c in report.requests_by_channel) or None],
        ["Permintaan terbuka melewati batas waktu", len(report.overdue),
         f"per {long_date(report.overdue_as_of)}" if report.overdue_as_of else None],
        ["Dialihkan ke konsultasi statistik", len(report.redirects), None],
        ["Kuitansi diterbitkan (tidak dibatalkan)", receipts, None],
        ["Pendapatan PNBP (Rp)", revenue, None],
        ["Permintaan tarif Rp0", len(report.rp0), None],
        ["Nilai tarif normal yang dibebaskan (Rp)", sum(r.normal_amount for r in report.rp0), None],
    ]
    for standard in report.on_time:
        rows.append([f"Tepat waktu — {standard.standard}", standard.rate,
                     f"{standard.on_time} dari {standard.delivered} diserahkan"])
    if report.satisfaction is not None:
        sat = report.satisfaction
        rows.append(["Indeks Kepuasan Masyarakat (IKM, 25-100)", round(sat.index, 2),
                     f"mutu {sat.grade}; {sat.respondents} responden"])
    else:
        rows.append(["Indeks Kepuasan Masyarakat (IKM, 25-100)", None, "belum ada responden"])
    _header, first, _last = sheet.table(["Indikator", "Nilai", "Keterangan"], rows)
    for offset, values in enumerate(rows):
        cell = sheet.ws.cell(row=first + offset, column=2)
        name = values[0]
        if "(Rp)" in name:
            cell.number_format = RUPIAH_FORMAT
        elif name.startswith("Tepat waktu"):
            cell.number_format = PERCENT_FORMAT
        elif name.startswith("Indeks"):
            cell.number_format = INDEX_FORMAT
        cell.alignment = Alignment(horizontal="right")
    sheet.ws.auto_filter.ref = None
    sheet.row += 1
    for note in report.notes:
        sheet.ws.cell(row=sheet.row, column=1, value=note).font = Font(italic=True, size=9, color="444444")
        sheet.row += 1
    _signature(sheet, report)


def _signature(sheet: _Sheet, report: ServiceReport) -> None:
    """Place and date, the BPS official who signs for the office (title, name underlined, NIP); dotted
    lines to write by hand where the office profile names nobody."""
    head = report.letterhead
    place = f"{head.city}, {long_date(report.made_on)}" if report.made_on else f"{head.city}, ...................."
    lines = [(place, Font()), (f"{head.official_title or 'Kepala ' + head.office_name},", Font(bold=True)),
             (None, None), (None, None), (None, None),
             (head.official_name or "(....................................)",
              Font(bold=True, underline="single" if head.official_name else None)),
             (f"NIP. {head.official_nip}" if head.official_nip else "NIP. ..................................", Font())]
    sheet.row += 1
    for text, font in lines:
        if text is not None:
            cell = sheet.ws.cell(row=sheet.row, column=3, value=text)
            cell.font, cell.alignment = font, Alignment(horizontal="center")
        sheet.row += 1


def _counts(sheet: _Sheet, caption: str, heading: str, counts: list[Count], chart_title: str, anchor_col: str):
    sheet.caption(caption)
    rows = [[c.label, c.count] for c in counts]
    header, first, last = sheet.table([heading, "Jumlah"], rows, sums=[2])
    sheet.bar(chart_title, 1, 2, header, first, last, f"{anchor_col}{header}")
    sheet.row = max(sheet.row, header + int(max(6.5, 0.75 * len(rows) + 3) / 0.5) + 1)


def _visitors(workbook: Workbook, report: ServiceReport) -> None:
    sheet = _Sheet(workbook, "Pengunjung", report, "PENGUNJUNG MENURUT KEPERLUAN DAN PEKERJAAN", 10)
    sheet.widths(40, 12)
    _counts(sheet, "Kunjungan menurut keperluan", "Keperluan", report.visits_by_purpose,
            "Kunjungan menurut keperluan", "D")
    _counts(sheet, "Kunjungan menurut pekerjaan pengunjung", "Pekerjaan", report.visits_by_occupation,
            "Kunjungan menurut pekerjaan", "D")


def _requests(workbook: Workbook, report: ServiceReport) -> None:
    sheet = _Sheet(workbook, "Permintaan", report, "PERMINTAAN DATA MENURUT PRODUK DAN STATUS", 10)
    sheet.widths(48, 13, 13, 20)
    sheet.caption("Permintaan menurut jenis produk (permintaan yang diterima bulan ini)")
    rows = [[p.product, p.requests, p.items, p.normal_amount] for p in report.requests_by_product]
    header, first, last = sheet.table(
        ["Produk", "Permintaan", "Item", "Nilai tarif normal"], rows, formats={4: RUPIAH_FORMAT}, sums=[2, 3, 4])
    sheet.bar("Item permintaan menurut produk", 1, 3, header, first, last, f"F{header}")
    sheet.row = max(sheet.row, header + 18)
    sheet.caption("Permintaan menurut saluran (permintaan yang diterima bulan ini)")
    channel_rows = [[c.label, c.count] for c in report.requests_by_channel]
    header, first, last = sheet.table(["Saluran", "Permintaan"], channel_rows, sums=[2])
    sheet.bar("Permintaan menurut saluran", 1, 2, header, first, last, f"F{header}")
    sheet.row = max(sheet.row, header + 14)
    sheet.ws.row_breaks.append(Break(id=sheet.row))  # the states and their chart on a page of their own
    sheet.caption("Permintaan menurut status saat ini")
    state_rows = [[c.label, c.count] for c in report.requests_by_state]
    header, first, last = sheet.table(["Status", "Permintaan"], state_rows, sums=[2])
    sheet.bar("Permintaan menurut status", 1, 2, header, first, last, f"F{header}")


def _overdue(workbook: Workbook, report: ServiceReport) -> None:
    sheet = _Sheet(workbook, "Terlambat", report, "PERMINTAAN TERBUKA YANG MELEWATI BATAS WAKTU", 8)
    sheet.widths(22, 16, 26, 13, 20, 20, 18, 18)
    as_of = f" per {long_date(report.overdue_as_of)}" if report.overdue_as_of else ""
    sheet.caption(f"Data belum diserahkan dan batas waktu (1 jam / 10 hari kerja sejak jelas) sudah lewat{as_of}")
    rows = [[r.number, r.channel, r.requester, r.received, r.clear, r.due, r.state, r.working_days_late]
            for r in report.overdue]
    sheet.table(["No. Permintaan", "Saluran", "Nama", "Diterima", "Jelas sejak", "Batas waktu", "Status",
                 "Lewat (hari kerja)"], rows, formats={4: DATE_FORMAT})
    if not rows:
        sheet.ws.cell(row=sheet.row, column=1, value="Tidak ada permintaan terbuka yang melewati batas waktu.")


def _redirects(workbook: Workbook, report: ServiceReport) -> None:
    sheet = _Sheet(workbook, "Pengalihan", report, "PERMINTAAN YANG DIALIHKAN KE KONSULTASI STATISTIK", 6)
    sheet.widths(13, 22, 16, 24, 26, 60)
    sheet.caption("Daftar data tidak sesuai dengan abstraksi penggunaan data: dialihkan, dengan alasannya")
    rows = [[r.day, r.number, r.channel, r.requester, r.institution, r.reason] for r in report.redirects]
    _header, first, last = sheet.table(["Tanggal", "No. Permintaan", "Saluran", "Nama", "Instansi", "Alasan"], rows,
                                       formats={1: DATE_FORMAT})
    for row in range(first, last + 1):
        sheet.ws.cell(row=row, column=6).alignment = Alignment(wrap_text=True, vertical="top")
    if not rows:
        sheet.ws.cell(row=sheet.row, column=1, value="Tidak ada permintaan yang dialihkan pada bulan ini.")


def _revenue(workbook: Workbook, report: ServiceReport) -> None:
    sheet = _Sheet(workbook, "Pendapatan", report, "PENDAPATAN PNBP", 10)
    sheet.widths(24, 48, 20)
    sheet.caption("Menurut cara bayar (kuitansi yang tidak dibatalkan)")
    rows = [[r.label, r.receipts, r.amount] for r in report.revenue_by_method]
    header, first, last = sheet.table(
        ["Cara bayar", "Kuitansi", "Jumlah"], rows, formats={3: RUPIAH_FORMAT}, sums=[2, 3])
    sheet.pie("Pendapatan menurut cara bayar", 1, 3, header, first, last, f"E{header}")
    sheet.row = max(sheet.row, header + 16)
    sheet.caption("Menurut kode akun dan jenis produk")
    account_rows = [[a.account_code, a.product, a.amount] for a in report.revenue_by_account]
    header, first, last = sheet.table(
        ["Kode Akun", "Produk", "Jumlah"], account_rows, formats={3: RUPIAH_FORMAT}, sums=[3], label=2)
    sheet.bar("Pendapatan menurut produk", 2, 3, header, first, last, f"E{header}", money=True)


def _rp0(workbook: Workbook, report: ServiceReport) -> None:
    sheet = _Sheet(workbook, "Daftar Rp0", report, "PERMINTAAN DENGAN TARIF Rp0", 11)
    sheet.widths(11, 21, 20, 22, 20, 20, 18, 11, 30, 16, 11)
    sheet.caption("Nilai tarif normal dihitung dan dibebaskan 100% (PP 13/2024 pasal 4)")
    rows = [[r.day, r.request_number, r.name, r.institution, r.category, r.purpose, r.letter_number,
             r.letter_date, r.products, r.normal_amount, 0] for r in report.rp0]
    sheet.table(["Tanggal", "No. Permintaan", "Nama", "Instansi", "Kategori", "Tujuan", "No. Surat", "Tgl Surat",
                 "Produk", "Nilai tarif normal", "Dikenakan"], rows,
                formats={1: DATE_FORMAT, 8: DATE_FORMAT, 10: RUPIAH_FORMAT, 11: RUPIAH_FORMAT}, sums=[10, 11], label=9)


def _on_time(workbook: Workbook, report: ServiceReport) -> None:
    sheet = _Sheet(workbook, "Ketepatan Waktu", report, "KETEPATAN WAKTU PELAYANAN", 10)
    sheet.widths(44, 13, 13, 15)
    sheet.caption("Penyerahan data pertama bulan ini terhadap standar pelayanan")
    rows = []
    for standard in report.on_time:
        row = len(rows) + sheet.row + 1
        rows.append([standard.standard, standard.delivered, standard.on_time, f'=IF(B{row}=0,"",C{row}/B{row})'])
    header, first, last = sheet.table(["Standar", "Diserahkan", "Tepat waktu", "Persentase"], rows,
                                      formats={4: PERCENT_FORMAT}, sums=[2, 3])
    sheet.bar("Diserahkan tepat waktu", 1, 3, header, first, last, f"F{header}", horizontal=False)


def _satisfaction(workbook: Workbook, report: ServiceReport) -> None:
    sheet = _Sheet(workbook, "Kepuasan", report, "SURVEI KEPUASAN MASYARAKAT (SKM)", 10)
    sheet.widths(8, 44, 14)
    sat = report.satisfaction
    if sat is None:
        sheet.caption("Belum ada responden survei kepuasan pada bulan ini.")
        return
    sheet.caption(f"Nilai rata-rata per unsur (1-4), {sat.respondents} responden — PermenPANRB 14/2017")
    rows = [[f"U{i}", label, round(nrr, 4)] for i, (label, nrr) in enumerate(sat.elements, 1)]
    header, first, last = sheet.table(["Unsur", "Uraian", "NRR"], rows, formats={3: "0.0000"})
    sheet.ws.auto_filter.ref = None
    sheet.ws.cell(row=sheet.row, column=2, value=IKM_LABEL).font = Font(bold=True)
    cell = sheet.ws.cell(row=sheet.row, column=3, value=f"=AVERAGE(C{first}:C{last})*25")
    cell.number_format, cell.font = INDEX_FORMAT, Font(bold=True)
    sheet.row += 1
    sheet.ws.cell(row=sheet.row, column=2, value="Mutu pelayanan")
    sheet.ws.cell(row=sheet.row, column=3, value=sat.grade)
    sheet.bar("Nilai rata-rata per unsur", 1, 3, header, first, last, f"E{header}", horizontal=False)


__all__ = ["MONTHS_ID", "SHEET_COUNT", "AccountRevenue", "Count", "ExportCancelled", "OnTime", "OverdueRow",
           "ProductCount", "RedirectRow", "Revenue", "Satisfaction", "ServiceReport", "write_report"]

"""Excel exports of the treasurer's books and of the monthly service report, for the treasurer's
panel (run off the GUI thread, with progress and cancel) and for the command line:

    pst export ledger --year YYYY [--month MM] --out FILE.xlsx
    pst export report --month YYYY-MM --out FILE.xlsx

The ledger is read one month at a time, each month in its own short unit of work (SQLite begins every
transaction IMMEDIATE, so a long read would hold the write lock against the other PCs), and streamed
into a write-only workbook; the file appears only when complete (see ``exports.ledger.atomic_save``).
Each subsidiary book (Kas Tunai, Bank, SIMPONI) is read in one unit of work with the positions
(``services.positions``) at the start and the end of the period that its formulas are checked against."""

from __future__ import annotations

import contextlib
import errno
import gc
import glob
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from exports.ledger import (
    ExportCancelled,
    LedgerBook,
    LedgerMonth,
    PositionBook,
    WriteRefused,
    month_label,
    write_ledger,
)
from exports.report import SHEET_COUNT, write_report
from models import PaymentMethod
from pstdesktop.services import ledger
from pstdesktop.services.access import Actor, require
from pstdesktop.services.errors import DomainError, NotFound, ValidationError
from pstdesktop.services.office import first_office, office_today
from pstdesktop.services.positions import positions

Progress = Callable[[int, int], None]
FIRST_YEAR = 2000
HELD = (PaymentMethod.CASH, PaymentMethod.TRANSFER)  # money the treasurer holds until it is deposited
# the position (a field of ``positions.Positions``) that holds the payments of each method
POSITION_OF = {PaymentMethod.CASH: "cash", PaymentMethod.TRANSFER: "bank", PaymentMethod.SIMPONI: "treasury"}

__all__ = ["ExportCancelled", "ExportSummary", "export_command", "export_ledger", "export_report",
           "ledger_months", "parse_report_month"]


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    title: str
    rows: int
    totals: ledger.LedgerTotals | None = None


def _office(session, actor: Actor | None) -> int:
    """The office exported: the signed-in account's (which must be allowed to see reports), or the
    first office of the database for the command line."""
    if actor is not None:
        require(session, actor, "report.view")
        return actor.office_id
    office = first_office(session)
    if office is None:
        raise NotFound("not_found", "office")
    return office.id


def ledger_months(year: object, month: object, today: date) -> tuple[int, list[int]]:
    """(year, months) of a ledger export: one month, or the whole year (up to the current month of the
    current year; ``export_ledger`` then leaves out the months with nothing in them). A period in the
    future or before 2000 is refused."""
    year = _whole("period", year, FIRST_YEAR, today.year)
    if month in (None, ""):
        last = today.month if year == today.year else 12
        return year, list(range(1, last + 1))
    month = _whole("period", month, 1, 12)
    if (year, month) > (today.year, today.month):
        raise ValidationError("future", "period")
    return year, [month]


def parse_report_month(text: object, today: date) -> tuple[int, int]:
    """``YYYY-MM`` -> (year, month); the month may not be in the future."""
    value = str(text or "").strip()
    parts = value.split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValidationError("export_period", "period", value=value or "-")
    year, month = _whole("period", parts[0], FIRST_YEAR, today.year), _whole("period", parts[1], 1, 12)
    if (year, month) > (today.year, today.month):
        raise ValidationError("future", "period")
    return year, month


def _whole(field: str, value: object, low: int, high: int) -> int:
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValidationError("export_period", field, value=text or "-")
    return int(text)


def _target(out: object) -> Path:
    path = Path(str(out or "")).expanduser()
    if not str(out or "").strip() or path.suffix.lower() != ".xlsx" or path.name.startswith("."):
        raise ValidationError("export_period", "out_file", value=str(out or "-"))
    if path.is_dir():
        raise ValidationError("export_period", "out_file", value=str(path))
    return path


class _Tick:
    """Adds written rows up for the progress callback; raises ExportCancelled when asked to stop."""

    def __init__(self, total: int, progress: Progress | None, cancelled: Callable[[], bool] | None):
        self.done, self.total, self.progress, self.cancelled = 0, max(total, 1), progress, cancelled

    def __call__(self, rows: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled()
        self.done = min(self.done + rows, self.total)
        if self.progress is not None:
            self.progress(self.done, self.total)


def export_ledger(database, actor: Actor | None, year: object, month: object, out: object, *,
                  progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> ExportSummary:
    """Write the receipts ledger (BKU per month, subsidiary books, Rekap, Daftar Rp0) to ``out``.
    Raises a DomainError for bad input or a file that cannot be written, ExportCancelled when
    ``cancelled()`` turns true; in both cases no file is left behind."""
    target = _target(out)
    with database.unit_of_work() as session:
        office_id = _office(session, actor)
        today = office_today(session, office_id)
        year, months = ledger_months(year, month, today)
        head = ledger.letterhead(session, office_id)
        zone = ledger.zone_of(session, office_id)
        opening = ledger.opening_balance(session, office_id, year, months[0])
        expected = ledger.receipt_count(session, office_id, year, months)
        totals = ledger.ledger_totals(session, office_id, year, months)
    start, _end, first_day, _following = ledger.month_bounds(year, months[0], zone)
    _start, end, _first, following = ledger.month_bounds(year, months[-1], zone)
    tick = _Tick(expected + 1, progress, cancelled)
    written = [0]

    def month_sheets() -> Iterator[LedgerMonth]:
        balance = opening
        for number in months:
            tick(0)
            _s, month_end, _f, next_first = ledger.month_bounds(year, number, zone)
            with database.unit_of_work() as session:
                rows = ledger.month_rows(session, office_id, year, number, balance)
                pending = ledger.pending_rows(session, office_id, month_end, HELD)
            written[0] += len(rows)
            last = next_first - timedelta(days=1)
            if rows or pending or balance or number == months[-1]:  # no sheet for a month with nothing in it
                yield LedgerMonth(year, number, balance, rows, last, min(last, today), pending)
            balance = rows[-1].balance if rows else balance

    def read(reader):
        def run():
            tick(0)
            with database.unit_of_work() as session:
                return reader(session)
        return run

    period = f"Tahun Anggaran {year}" if len(months) > 1 else f"Bulan {month_label(year, months[0])}"
    last_day = min(following - timedelta(days=1), today)

    def position(method: PaymentMethod, rows_of) -> Callable[[], PositionBook]:
        """The book of the position that holds ``method``'s payments, checked against ``positions``."""
        def book(session) -> PositionBook:
            at_start = positions(session, office_id, start, first_day)
            at_end = positions(session, office_id, end, following)
            return PositionBook(
                start=first_day, as_of=last_day, opening=getattr(at_start, POSITION_OF[method]),
                rows=rows_of(session, office_id, start, end), closing=getattr(at_end, POSITION_OF[method]),
                pending=ledger.pending_rows(session, office_id, end, (method,)),
                awaiting_deposit=(ledger.awaiting_deposit_at(session, office_id, end, method)
                                  if method in HELD else 0),
                opening_pending=at_start.pending[method.value])
        return read(book)

    book = LedgerBook(
        letterhead=head, year=year, months=month_sheets(),
        cash=position(PaymentMethod.CASH, ledger.cash_rows),
        bank=position(PaymentMethod.TRANSFER, ledger.bank_rows),
        simponi=position(PaymentMethod.SIMPONI, ledger.simponi_rows),
        rekap_months=[(year, m) for m in months],
        rekap=read(lambda s: ledger.rekap(s, office_id, [(year, m) for m in months])),
        rp0=read(lambda s: ledger.rp0_rows(s, office_id, start, end)),
        period_label=period, signed_on=last_day)
    _write(lambda: write_ledger(book, target, tick), target)
    tick(tick.total)
    return ExportSummary(target, f"Buku Kas Umum {period}", written[0], totals)


def export_report(database, actor: Actor | None, month_text: object, out: object, *,
                  progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> ExportSummary:
    """Write the monthly service report (``YYYY-MM``) with its charts to ``out``."""
    target = _target(out)
    tick = _Tick(SHEET_COUNT + 1, progress, cancelled)
    with database.unit_of_work() as session:
        office_id = _office(session, actor)
        year, month = parse_report_month(month_text, office_today(session, office_id))
        report = ledger.service_report(session, office_id, year, month)
    tick(1)
    _write(lambda: write_report(report, target, tick), target)
    return ExportSummary(target, f"Laporan bulanan PST {report.period}", SHEET_COUNT)


def _write(write: Callable[[], Path], target: Path) -> None:
    """Run ``write``; a file that cannot be written is a DomainError. After any failure the half-built
    workbook is let go at once, with the errors its zip file and row writers raise as they are collected on
    a full disk ("Exception ignored in ...") kept quiet, and a partial file still beside the target (on
    Windows an open file cannot be removed until then) is removed."""
    partials = f".{glob.escape(target.stem)}-*.xlsx.part"  # exports.ledger.atomic_save's temporary files
    before = set(target.parent.glob(partials)) if target.parent.is_dir() else set()
    try:
        write()
        return
    except BaseException as failure:
        refusal = _refusal(failure, target)
        _let_go(failure)
        for partial in set(target.parent.glob(partials)) - before if target.parent.is_dir() else ():
            with contextlib.suppress(OSError):
                partial.unlink()
        if refusal is None:
            raise
    raise refusal


def _refusal(failure: BaseException, target: Path) -> DomainError | None:
    if not isinstance(failure, WriteRefused):
        return None
    if failure.kind == "locked":
        return DomainError("export_locked", "out_file", path=str(target))
    if failure.kind == "folder":
        return DomainError("export_folder", "out_file", path=str(failure.path))
    cause = failure.__context__
    if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
        return DomainError("file_disk_full", "out_file", path=str(target))
    reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else failure.detail
    return DomainError("export_disk", "out_file", path=str(target), reason=reason)


def _let_go(failure: BaseException) -> None:
    """Free what the tracebacks of ``failure`` (and of the errors behind it) still hold, quietly. Only
    the command line (the main thread) collects at once: a collection in the GUI's export worker could
    free Qt objects away from their thread."""
    if threading.current_thread() is not threading.main_thread():
        _clear_frames(failure)
        return
    hook, sys.unraisablehook = sys.unraisablehook, lambda _unraisable: None
    try:
        _clear_frames(failure)
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _clear_frames(failure: BaseException) -> None:
    seen: set[int] = set()
    error: BaseException | None = failure
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        traceback.clear_frames(error.__traceback__)
        error = error.__cause__ or error.__context__


def _say(error: DomainError) -> str:
    return f"{error.message('id')} / {error.message('en')}"


def export_command(database, what: str, *, year=None, month=None, out=None) -> int:
    """``pst export ledger|report``. Exit 0 when written, 2 for bad input or a file that cannot be written."""
    try:
        if what == "ledger":
            if year is None:
                raise ValidationError("required", "period")
            summary = export_ledger(database, None, year, month, out)
        elif what == "report":
            if not month:
                raise ValidationError("required", "period")
            summary = export_report(database, None, month, out)
        else:
            raise ValidationError("export_period", "period", value=str(what))
    except DomainError as error:
        print(f"pst export: {_say(error)}", file=sys.stderr)
        return 2
    print(f"pst export: {summary.title} -> {summary.path}")
    if summary.totals is not None:
        t = summary.totals
        print(f"  {summary.rows} baris BKU / BKU rows · saldo awal / opening {t.opening:,} · debet / debit {t.debit:,}"
              f" · kredit / credit {t.credit:,} · saldo akhir / closing {t.closing:,}".replace(",", "."))
    return 0

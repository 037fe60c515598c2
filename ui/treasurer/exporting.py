"""Excel exports from the treasurer's panel: the receipts ledger (BKU, a month or the whole year) and
the monthly service report. Each runs in a worker thread with its own units of work, reports progress
and can be cancelled; a cancelled or failed export leaves no file behind."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from exports.ledger import MONTHS_ID
from pstdesktop import reports
from pstdesktop.bootstrap import Database
from pstdesktop.services.access import Actor
from ui.i18n import tr
from ui.treasurer.common import MUTED_STYLE, Banner, error_text
from ui.widgets import named

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


class ExportWorker(QThread):
    """Runs ``job(progress=..., cancelled=...)`` off the GUI thread."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    stopped = Signal()

    def __init__(self, job: Callable[..., reports.ExportSummary], parent=None):
        super().__init__(parent)
        self.job = job
        self.stop_requested = threading.Event()

    def run(self) -> None:
        try:
            summary = self.job(progress=self.progressed.emit, cancelled=self.stop_requested.is_set)
        except reports.ExportCancelled:
            self.stopped.emit()
        except Exception as error:  # reported in the panel; the thread must not die silently
            self.failed.emit(error_text(error))
        else:
            self.succeeded.emit(summary)

    def cancel(self) -> None:
        self.stop_requested.set()


def _month_combo(name: str, accessible: str, whole_year: bool) -> QComboBox:
    combo = named(QComboBox(), name, accessible)
    if whole_year:
        combo.addItem(tr("Setahun penuh (satu sheet per bulan)", "Whole year (one sheet per month)"), None)
    for number, (indonesian, english) in enumerate(zip(MONTHS_ID, MONTHS_EN, strict=True), 1):
        combo.addItem(tr(indonesian, english), number)
    return combo


class ExportPanel(QWidget):
    """The Ekspor tab."""

    finished = Signal()

    def __init__(self, database: Database, actor: Actor, today: date, parent=None):
        super().__init__(parent)
        self.database, self.actor = database, actor
        self.worker: ExportWorker | None = None
        self.last_summary: reports.ExportSummary | None = None

        ledger_box = QGroupBox(tr("Buku Kas Umum (BKU), buku pembantu, rekap dan daftar Rp0",
                                  "Cash book (BKU), subsidiary books, summary and Rp0 list"))
        self.ledger_year = named(QSpinBox(), "ledgerYear", tr("Tahun anggaran", "Budget year"))
        self.ledger_year.setRange(reports.FIRST_YEAR, today.year)
        self.ledger_year.setValue(today.year)
        self.ledger_month = _month_combo("ledgerMonth", tr("Bulan", "Month"), whole_year=True)
        self.ledger_button = named(QPushButton(tr("Ekspor BKU ke Excel…", "Export the cash book to Excel…")),
                                   "exportLedger", tr("Ekspor BKU", "Export cash book"))
        form = QFormLayout(ledger_box)
        form.addRow(tr("Tahun anggaran", "Budget year"), self.ledger_year)
        form.addRow(tr("Periode", "Period"), self.ledger_month)
        form.addRow("", self.ledger_button)

        report_box = QGroupBox(tr("Laporan bulanan pelayanan (dengan grafik)", "Monthly service report (with charts)"))
        self.report_year = named(QSpinBox(), "reportYear", tr("Tahun laporan", "Report year"))
        self.report_year.setRange(reports.FIRST_YEAR, today.year)
        self.report_year.setValue(today.year)
        self.report_month = _month_combo("reportMonth", tr("Bulan laporan", "Report month"), whole_year=False)
        self.report_month.setCurrentIndex(today.month - 1)
        self.report_button = named(QPushButton(tr("Ekspor laporan ke Excel…", "Export the report to Excel…")),
                                   "exportReport", tr("Ekspor laporan bulanan", "Export monthly report"))
        form = QFormLayout(report_box)
        form.addRow(tr("Tahun", "Year"), self.report_year)
        form.addRow(tr("Bulan", "Month"), self.report_month)
        form.addRow("", self.report_button)

        self.progress = named(QProgressBar(), "exportProgress", tr("Kemajuan ekspor", "Export progress"))
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.cancel_button = named(QPushButton(tr("Batalkan ekspor", "Cancel export")), "cancelExport",
                                   tr("Batalkan ekspor", "Cancel export"))
        self.cancel_button.setEnabled(False)
        self.message = Banner("exportMessage")
        note = QLabel(tr("Berkas ditulis utuh atau tidak sama sekali: bila dibatalkan atau gagal, tidak ada berkas "
                         "setengah jadi. Tutup berkas di Excel sebelum menimpanya.",
                         "A file is written whole or not at all: a cancelled or failed export leaves no half-written "
                         "file. Close the file in Excel before overwriting it."))
        note.setWordWrap(True)
        note.setStyleSheet(MUTED_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        boxes = QHBoxLayout()
        boxes.addWidget(ledger_box, 1)
        boxes.addWidget(report_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(boxes)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(note)
        layout.addStretch(1)

        self.ledger_button.clicked.connect(self._ask_ledger)
        self.report_button.clicked.connect(self._ask_report)
        self.cancel_button.clicked.connect(self.cancel)

    # --- what the buttons do -------------------------------------------------------------------------
    def _ask_ledger(self) -> None:
        month = self.ledger_month.currentData()
        name = f"BKU-{self.ledger_year.value()}" + (f"-{month:02d}" if month else "") + ".xlsx"
        path, _ = QFileDialog.getSaveFileName(self, tr("Simpan BKU", "Save cash book"), name, "Excel (*.xlsx)")
        if path:
            self.start_ledger(Path(path))

    def _ask_report(self) -> None:
        name = f"Laporan-PST-{self.report_year.value()}-{self.report_month.currentData():02d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, tr("Simpan laporan", "Save report"), name, "Excel (*.xlsx)")
        if path:
            self.start_report(Path(path))

    def start_ledger(self, path: Path) -> None:
        year, month = self.ledger_year.value(), self.ledger_month.currentData()
        self._start(lambda **kw: reports.export_ledger(self.database, self.actor, year, month, _xlsx(path), **kw))

    def start_report(self, path: Path) -> None:
        text = f"{self.report_year.value()}-{self.report_month.currentData():02d}"
        self._start(lambda **kw: reports.export_report(self.database, self.actor, text, _xlsx(path), **kw))

    def _start(self, job) -> None:
        if self.running:
            return
        self.message.note(tr("Mengekspor…", "Exporting…"))
        self.progress.setValue(0)
        self.worker = ExportWorker(job, self)
        self.worker.progressed.connect(self._progress)
        self.worker.succeeded.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.stopped.connect(self._stopped)
        self.worker.finished.connect(self._finished)
        self._busy(True)
        self.worker.start()

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.isRunning()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.message.note(tr("Membatalkan…", "Cancelling…"))

    def shutdown(self) -> None:
        """Cancel a running export and wait for its thread (the window is closing)."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait()

    def _busy(self, busy: bool) -> None:
        self.ledger_button.setEnabled(not busy)
        self.report_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(100 * done / max(total, 1)))

    def _done(self, summary: reports.ExportSummary) -> None:
        self.last_summary = summary
        self.progress.setValue(100)
        self.message.ok(tr(f"Selesai: {summary.title} disimpan ke {summary.path}",
                           f"Done: {summary.title} saved to {summary.path}"))

    def _failed(self, text: str) -> None:
        self.progress.setValue(0)
        self.message.error(text)

    def _stopped(self) -> None:
        self.progress.setValue(0)
        self.message.note(tr("Ekspor dibatalkan; tidak ada berkas yang dibuat.", "Export cancelled; no file was created."))

    def _finished(self) -> None:
        self._busy(False)
        self.finished.emit()


def _xlsx(path: Path) -> Path:
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

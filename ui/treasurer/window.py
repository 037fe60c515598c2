"""The treasurer's window (bendahara penerimaan): invoices awaiting payment, the payment form, the
kuitansi (preview, print, cancellation with a supervisor's approval), deposits to Kas Negara, the daily
closing and the Excel exports. Only a treasurer account may open it. The lists follow the database by
themselves (``ui.live``: a payment or kuitansi recorded on another PC shows within about a second), keeping
selection, page and scroll position; "Keluar akun" returns to the sign-in without quitting."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QTabWidget, QVBoxLayout, QWidget

from models import Role
from pstdesktop import documents
from pstdesktop.bootstrap import Database
from pstdesktop.services import ledger
from pstdesktop.services.access import Actor
from pstdesktop.services.errors import PermissionDenied
from pstdesktop.services.office import office_today
from ui.i18n import tr
from ui.live import LiveRefresh, kept_view
from ui.second_copy import read_only_banner
from ui.treasurer.common import MUTED_STYLE, Banner, error_text, money, selected_key
from ui.treasurer.exporting import ExportPanel
from ui.treasurer.payment import PaymentDialog
from ui.treasurer.receipt import CancelReceiptDialog, ReceiptPreview, RefundDialog
from ui.treasurer.tabs import ClosingTab, DepositsTab, InvoicesTab, ReceiptsTab
from ui.widgets import fit_to_screen, named

REFRESH_MS = 60_000


class TreasurerWindow(QMainWindow):
    def __init__(self, database: Database, actor: Actor):
        super().__init__()
        if actor.role is not Role.TREASURER:
            raise PermissionDenied("role", user=actor.name, role=actor.role.value, action="payment.record")
        self.database, self.actor = database, actor
        self.sign_out_requested = False
        with database.unit_of_work() as session:
            office = ledger.letterhead(session, actor.office_id)
            self.zone = ledger.zone_of(session, actor.office_id)
            self.today = office_today(session, actor.office_id)
        self.payment_dialog: PaymentDialog | None = None
        self.cancel_dialog: CancelReceiptDialog | None = None
        self.refund_dialog: RefundDialog | None = None
        self.preview: ReceiptPreview | None = None
        self.setWindowTitle(tr(f"PST Desktop — Bendahara — {office.office_name}",
                               f"PST Desktop — Treasurer — {office.office_name}")
                            + (tr(" (hanya baca)", " (read-only)") if database.read_only else ""))
        fit_to_screen(self, (1280, 720), maximize=True)
        named(self, "treasurerWindow", tr("Panel bendahara", "Treasurer panel"))

        header = QLabel(f"<span style='font-size:17pt; font-weight:600'>{office.office_name}</span><br>"
                        f"<span style='color:#555'>{actor.name} · {tr('Bendahara Penerimaan', 'Revenue treasurer')}"
                        f"</span>")
        self.cash_label = named(QLabel(""), "cashOnHand", tr("Uang yang dipegang bendahara", "Money the treasurer holds"))
        self.cash_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.refresh_button = named(QPushButton(tr("Muat ulang", "Refresh")), "refreshButton", tr("Muat ulang", "Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.sign_out_button = named(QPushButton(tr("Keluar akun", "Sign out")), "signOutButton",
                                     tr("Keluar akun dan kembali ke layar masuk", "Sign out and return to the sign-in"))
        self.sign_out_button.clicked.connect(self.sign_out)
        top = QHBoxLayout()
        top.addWidget(header, 1)
        top.addWidget(self.cash_label)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.sign_out_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.message = Banner("windowMessage")

        self.invoices = InvoicesTab(self)
        self.receipts = ReceiptsTab(self)
        self.deposits = DepositsTab(self)
        self.closing = ClosingTab(self)
        self.exports = ExportPanel(database, actor, self.today)
        self.tabs = named(QTabWidget(), "treasurerTabs", tr("Panel bendahara", "Treasurer panel"))
        self.tabs.addTab(self.invoices, tr("Tagihan", "Invoices"))
        self.tabs.addTab(self.receipts, tr("Kuitansi", "Receipts"))
        self.tabs.addTab(self.deposits, tr("Setoran", "Deposits"))
        self.tabs.addTab(self.closing, tr("Tutup Buku Harian", "Daily closing"))
        self.tabs.addTab(self.exports, tr("Ekspor Excel", "Excel exports"))

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        layout.addLayout(top)
        if database.read_only:  # a second copy's view: every payment, kuitansi or deposit is refused
            layout.addWidget(read_only_banner(None))
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(body)
        self.statusBar().showMessage(tr("Siap. Arahkan pemindai ke kolom pencarian.", "Ready. Point the scanner at the search field."))
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.live_refresh)  # the fallback when no change was announced
        self.timer.start(REFRESH_MS)
        self.live = LiveRefresh(database, self)
        self.live.changed.connect(self.live_refresh)
        self.refresh()
        self.invoices.scan.setFocus()

    def refresh(self) -> None:
        """Reload every list (each a page from the database) and the cash on hand."""
        if self._show_positions():
            self.invoices.load(self.invoices.pager.offset)
            self.receipts.load()
            self.deposits.load()
            self.closing.load()

    def live_refresh(self) -> None:
        """Something was committed (here or on another PC): every list again at its page, with its selected
        row and scroll position; the forms (scan field, deposit, closing note) keep what is typed."""
        tables = (self.invoices.table, self.receipts.pending, self.receipts.table, self.deposits.cash_table,
                  self.deposits.history, self.closing.history)
        chosen = [selected_key(table) for table in tables]
        if not self._show_positions():
            return
        with kept_view(*tables):
            for tab in (self.invoices, self.receipts, self.deposits, self.closing):
                tab.follow()
            for table, key in zip(tables, chosen, strict=True):
                _select(table, key)

    def _show_positions(self) -> bool:
        """The cash on hand and today's state in the header; False (and said) when the database fails."""
        try:
            with self.database.unit_of_work() as session:
                self.today = office_today(session, self.actor.office_id)
                held = ledger.held_now(session, self.actor)
                closed = ledger.closing_of(session, self.actor.office_id, self.today) is not None
        except Exception as error:  # a lost LAN connection must not close the window
            self.message.error(error)
            return False
        pending = sum(held.pending.values())
        waiting = (f"<br><span style='color:#8a1c13'>{tr('Dibayar, menunggu kuitansi', 'Paid, waiting for a receipt')}:"
                   f" {money(pending)}</span>" if pending else "")
        self.cash_label.setText(
            f"<span style='{MUTED_STYLE}'>{tr('Kas tunai', 'Cash box')}</span> "
            f"<span style='font-size:13pt; font-weight:600'>{money(held.cash)}</span> · "
            f"<span style='{MUTED_STYLE}'>{tr('Rekening penerimaan', 'Receiving account')}</span> "
            f"<span style='font-size:13pt; font-weight:600'>{money(held.bank)}</span>{waiting}")
        if closed:
            self.message.note(tr("Buku hari ini sudah ditutup: pembayaran dan kuitansi baru dibukukan besok.",
                                 "Today's books are closed: new payments and receipts are booked tomorrow."))
        elif not self.message.is_error or self.message.server_lost:  # the server answers again
            self.message.clear_message()
        return True

    # --- payment, kuitansi, cancellation ------------------------------------------------------------
    def open_payment(self, invoice: ledger.InvoiceRow) -> PaymentDialog:
        dialog = PaymentDialog(self.database, self.actor, invoice, self.zone, self)
        dialog.recorded.connect(self.after_payment)
        dialog.finished.connect(lambda _r: self.invoices.scan.setFocus())
        self.payment_dialog = dialog
        dialog.open()
        return dialog

    def after_payment(self, payment_id: int, issue_now: bool) -> None:
        self.statusBar().showMessage(tr("Pembayaran tercatat.", "Payment recorded."), 8000)
        if issue_now:
            self.issue_receipt(payment_id)
        else:
            self.refresh()

    def issue_receipt(self, payment_id: int) -> int | None:
        try:
            with self.database.unit_of_work() as session:
                receipt = ledger.issue_receipt(session, self.actor, payment_id)
                receipt_id, number = receipt.id, receipt.number
        except Exception as error:
            self.refresh()
            self.receipts.message.error(error)
            self.message.error(error)
            return None
        self.refresh()
        self.message.ok(tr(f"Kuitansi {number} terbit.", f"Receipt {number} issued."))
        self.preview_receipt(receipt_id, number, copy=False)
        return receipt_id

    def preview_receipt(self, receipt_id: int, number: str, *, copy: bool) -> ReceiptPreview | None:
        try:
            with self.database.unit_of_work() as session:
                pdf = documents.receipt_pdf(session, self.actor, receipt_id, copy=copy)
        except Exception as error:
            self.message.error(error_text(error))
            return None
        label = tr("salinan", "copy") if copy else tr("asli", "original")
        name = "Kuitansi-" + number.replace("/", "-") + ("-salinan" if copy else "") + ".pdf"
        self.preview = ReceiptPreview(pdf, tr(f"Kuitansi {number} ({label})", f"Receipt {number} ({label})"), name, self)
        self.preview.open()
        return self.preview

    def open_cancel(self, receipt: ledger.ReceiptRow) -> CancelReceiptDialog:
        dialog = CancelReceiptDialog(self.database, self.actor, receipt, self)
        dialog.cancelled.connect(self.after_cancel)
        self.cancel_dialog = dialog
        dialog.open()
        return dialog

    def after_cancel(self, new_receipt_id: int) -> None:
        self.refresh()
        if not new_receipt_id:
            self.receipts.message.ok(tr("Kuitansi dibatalkan; pembayarannya kini menunggu kuitansi baru atau "
                                        "pengembalian uang.",
                                        "Receipt cancelled; its payment now waits for a new receipt or a refund."))
            return
        with self.database.unit_of_work() as session:
            number = ledger.receipt_number(session, self.actor, new_receipt_id)
        self.receipts.message.ok(tr(f"Kuitansi dibatalkan dan diganti dengan kuitansi {number}.",
                                    f"Receipt cancelled and replaced by receipt {number}."))
        self.preview_receipt(new_receipt_id, number, copy=False)

    def open_refund(self, payment: ledger.PaymentRow) -> RefundDialog:
        dialog = RefundDialog(self.database, self.actor, payment, self.today, self)
        dialog.refunded.connect(self.after_refund)
        self.refund_dialog = dialog
        dialog.open()
        return dialog

    def after_refund(self, _refund_id: int) -> None:
        self.refresh()
        self.receipts.message.ok(tr("Pengembalian uang tercatat; permintaannya dibatalkan.",
                                    "Refund recorded; its request is cancelled."))

    def sign_out(self) -> None:
        """Close the panel; ui.app shows the sign-in again."""
        self.sign_out_requested = True
        self.close()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt)
        self.timer.stop()
        self.live.stop()
        self.exports.shutdown()
        super().closeEvent(event)


def _select(table, key) -> None:
    """Select the row whose key is ``key`` again, if the reloaded page still has it."""
    if key is None:
        return
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == key:
            table.selectRow(row)
            return

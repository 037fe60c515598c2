"""The tabs of the treasurer's panel: invoices awaiting payment (found by number, name or a scanned
QR), kuitansi, deposits to the state treasury and the daily closing. Every list is read one page at a
time; every refusal is shown in place."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import DocumentStatus
from pstdesktop.services import billing, ledger, receiving
from pstdesktop.services.errors import ValidationError
from ui.i18n import counted, language, tr
from ui.treasurer.common import (
    HEADLINE_STYLE,
    MUTED_STYLE,
    Banner,
    Pager,
    fill_table,
    make_table,
    money,
    selected_key,
)
from ui.widgets import named

EXPIRED = "#fde2e1"


def _source(source: str) -> str:
    return tr("Kas tunai", "Cash box") if source == "cash" else tr("Rekening penerimaan", "Receiving account")
CANCELLED = "#eeeeee"
AWAITING_CHECK = "#fff4d6"  # an online transfer to be seen on the receiving account before its kuitansi


def _method(method: str) -> str:
    return ledger.method_label(method, language())


def _pending_status(payment: ledger.PaymentRow) -> str:
    if payment.confirmation_due:
        return tr("Cek rekening: tekan \"Dana masuk rekening ✓\"", "Check the account: press \"Money on the account ✓\"")
    if payment.confirmed:
        return tr(f"Dana masuk rekening ✓ {payment.confirmed}", f"On the account ✓ {payment.confirmed}")
    return tr("Siap dibuatkan kuitansi", "Ready for its receipt")


class InvoicesTab(QWidget):
    """Invoices awaiting payment. A USB scanner types the invoice QR into the focused field and ends
    with Enter: the signed reference is verified before the invoice is shown."""

    PAGE = 25

    def __init__(self, panel):
        super().__init__()
        self.panel = panel
        self.search_text = ""
        self.rows: dict[int, ledger.InvoiceRow] = {}
        self.scan = named(QLineEdit(), "scanField", tr("Pindai QR invoice atau cari", "Scan the invoice QR or search"))
        self.scan.setPlaceholderText(tr("Pindai QR invoice, atau ketik nomor invoice/permintaan atau nama, lalu Enter",
                                        "Scan the invoice QR, or type an invoice/request number or a name, then Enter"))
        self.scan.setClearButtonEnabled(True)
        self.scan.setMinimumHeight(34)
        find = named(QPushButton(tr("Cari", "Find")), "findInvoice", tr("Cari invoice", "Find invoice"))
        show_all = named(QPushButton(tr("Tampilkan semua", "Show all")), "showAllInvoices",
                         tr("Tampilkan semua invoice", "Show all invoices"))
        top = QHBoxLayout()
        top.addWidget(self.scan, 1)
        top.addWidget(find)
        top.addWidget(show_all)
        self.message = Banner("invoiceMessage")
        self.table = make_table("invoiceTable", tr("Invoice menunggu pembayaran", "Invoices awaiting payment"), [
            tr("No. invoice", "Invoice no."), tr("Pembayar", "Payer"), tr("Instansi", "Institution"),
            tr("No. permintaan", "Request no."), tr("Jumlah", "Amount"), tr("Terbit", "Issued"),
            tr("Kode billing", "Billing code"), tr("Berlaku s.d.", "Valid until")], stretch=1, numeric=(4,))
        self.pager = Pager("invoice", self.PAGE)
        self.pay_button = named(QPushButton(tr("Terima pembayaran…", "Take payment…")), "payButton",
                                tr("Terima pembayaran", "Take payment"))
        self.pay_button.setMinimumHeight(34)
        bottom = QHBoxLayout()
        bottom.addWidget(self.pager, 1)
        bottom.addWidget(self.pay_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.scan.returnPressed.connect(self.submit)
        find.clicked.connect(self.submit)
        show_all.clicked.connect(self.show_all)
        self.pager.moved.connect(self.load)
        self.pay_button.clicked.connect(self.pay_selected)
        self.table.doubleClicked.connect(lambda _index: self.pay_selected())

    def load(self, offset: int = 0) -> None:
        offset, after = self.pager.start(offset)
        try:
            with self.panel.database.unit_of_work() as session:
                page = ledger.awaiting_payment(session, self.panel.actor, self.search_text, limit=self.PAGE,
                                               after=after)
        except Exception as error:
            self.message.error(error)
            return
        self._show(page.rows)
        self.pager.show_page(offset, page)

    def _show(self, rows: list[ledger.InvoiceRow]) -> None:
        self.rows = {row.invoice_id: row for row in rows}
        fill_table(self.table, [[r.number, r.payer, r.institution, r.request_number, money(r.total), r.issued,
                                 r.billing_code or "-", r.billing_expires or "-"] for r in rows],
                   [r.invoice_id for r in rows], lambda i: EXPIRED if rows[i].expired else None)
        self.pay_button.setEnabled(bool(rows))

    def submit(self) -> None:
        text = self.scan.text().strip()
        if ledger.looks_like_reference(text):
            self.scan.clear()  # ready for the next scan
            self.scanned(text)
            return
        self.message.clear_message()
        self.search_text = text
        self.load(0)

    def follow(self) -> None:
        """After a change elsewhere: the same search and page again (what is typed in the field stays)."""
        self.load(self.pager.offset)

    def show_all(self) -> None:
        self.scan.clear()
        self.search_text = ""
        self.message.clear_message()
        self.load(0)

    def scanned(self, text: str) -> None:
        """Verify the scanned reference, then show that one invoice and open its payment form."""
        try:
            with self.panel.database.unit_of_work() as session:
                row = ledger.find_by_scan(session, self.panel.actor, text)
        except Exception as error:
            self.rows = {}
            self.table.setRowCount(0)
            self.pager.show_page(0, ledger.Page([], 0, self.PAGE, None))
            self.pay_button.setEnabled(False)
            self.message.error(error)
            return
        self._show([row])
        self.pager.show_page(0, ledger.Page([row], 1, self.PAGE, None))
        self.message.ok(tr(f"QR sah: invoice {row.number}, {row.payer}, {money(row.total)}.",
                           f"Valid QR: invoice {row.number}, {row.payer}, {money(row.total)}."))
        self.panel.open_payment(row)

    def pay_selected(self) -> None:
        key = selected_key(self.table)
        if key is None or key not in self.rows:
            self.message.error(tr("Pilih invoice yang akan dibayar.", "Choose the invoice to be paid."))
            return
        self.panel.open_payment(self.rows[key])


class ReceiptsTab(QWidget):
    """Payments waiting for their kuitansi, and the kuitansi (preview, reprint as copy, cancel)."""

    PAGE = 20
    PENDING_PAGE = 8

    def __init__(self, panel):
        super().__init__()
        self.panel = panel
        self.receipts: dict[int, ledger.ReceiptRow] = {}
        self.searched = ""  # the search last asked for with Enter (not what is being typed)
        pending_box = QGroupBox(tr("Pembayaran menunggu kuitansi", "Payments waiting for a receipt"))
        self.pending = make_table("pendingTable", tr("Pembayaran menunggu kuitansi", "Payments waiting for a receipt"), [
            tr("No. invoice", "Invoice no."), tr("Pembayar", "Payer"), tr("Cara bayar", "Method"),
            tr("Jumlah", "Amount"), tr("Tanggal bayar", "Paid"), tr("Status", "Status")], stretch=1, numeric=(3,))
        self.pending.setMaximumHeight(190)
        self.pending_rows: dict[int, ledger.PaymentRow] = {}
        self.pending_hint = Banner("pendingHint")
        self.pending_pager = Pager("pending", self.PENDING_PAGE)
        self.issue_button = named(QPushButton(tr("Terbitkan kuitansi", "Issue receipt")), "issueReceipt",
                                  tr("Terbitkan kuitansi", "Issue receipt"))
        self.refund_button = named(QPushButton(tr("Kembalikan uang…", "Refund…")), "refundPayment",
                                   tr("Kembalikan uang pembayaran", "Refund the payment"))
        self.refund_button.setToolTip(tr("Untuk pembayaran yang kuitansinya dibatalkan dan tidak diganti",
                                         "For a payment whose receipt was cancelled and not replaced"))
        self.confirm_button = named(QPushButton(tr("Dana masuk rekening ✓", "Money on the account ✓")),
                                    "confirmOnAccount", tr("Konfirmasi transfer masuk rekening penerimaan",
                                                           "Confirm the transfer on the receiving account"))
        self.confirm_button.setToolTip(tr("Transfer: setelah dicek di rekening penerimaan, sebelum kuitansi",
                                          "Transfer: once seen on the receiving account, before the receipt"))
        row = QHBoxLayout()
        row.addWidget(self.pending_pager, 1)
        row.addWidget(self.refund_button)
        row.addWidget(self.confirm_button)
        row.addWidget(self.issue_button)
        box = QVBoxLayout(pending_box)
        box.addWidget(self.pending)
        box.addWidget(self.pending_hint)
        box.addLayout(row)

        self.search = named(QLineEdit(), "receiptSearch", tr("Cari kuitansi", "Find receipt"))
        self.search.setPlaceholderText(tr("Nomor kuitansi atau nama pembayar, lalu Enter",
                                          "Receipt number or payer's name, then Enter"))
        self.search.setClearButtonEnabled(True)
        self.table = make_table("receiptTable", tr("Kuitansi", "Receipts"), [
            tr("No. kuitansi", "Receipt no."), tr("Tanggal", "Date"), tr("Diterima dari", "Received from"),
            tr("Jumlah", "Amount"), tr("Cara bayar", "Method"), tr("Status", "Status"),
            tr("Disetor (tgl · NTPN)", "Deposited (date · NTPN)")], stretch=2, numeric=(3,))
        self.pager = Pager("receipt", self.PAGE)
        self.view_button = named(QPushButton(tr("Lihat / cetak ulang (salinan)", "View / reprint (copy)")),
                                 "reprintReceipt", tr("Lihat atau cetak ulang kuitansi", "View or reprint receipt"))
        self.cancel_button = named(QPushButton(tr("Batalkan kuitansi…", "Cancel receipt…")), "cancelReceipt",
                                   tr("Batalkan kuitansi", "Cancel receipt"))
        self.message = Banner("receiptMessage")
        bottom = QHBoxLayout()
        bottom.addWidget(self.pager, 1)
        bottom.addWidget(self.view_button)
        bottom.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(pending_box)
        layout.addWidget(self.message)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.pending_pager.moved.connect(self.load_pending)
        self.pager.moved.connect(self.load_receipts)
        self.search.returnPressed.connect(self._search)
        self.pending.itemSelectionChanged.connect(self._pending_chosen)
        self.issue_button.clicked.connect(self.issue_selected)
        self.refund_button.clicked.connect(self.refund_selected)
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.view_button.clicked.connect(self.view_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)

    def load(self) -> None:
        self.load_pending(0)
        self.load_receipts(self.pager.offset)

    def follow(self) -> None:
        """After a change elsewhere: both lists again at the pages shown."""
        self.load_pending(self.pending_pager.offset)
        self.load_receipts(self.pager.offset)

    def _search(self) -> None:
        self.searched = self.search.text()
        self.load_receipts(0)

    def load_pending(self, offset: int = 0) -> None:
        offset, after = self.pending_pager.start(offset)
        try:
            with self.panel.database.unit_of_work() as session:
                page = ledger.payments_without_receipt(session, self.panel.actor, limit=self.PENDING_PAGE,
                                                       after=after)
        except Exception as error:
            self.message.error(error)
            return
        rows = page.rows
        self.pending_rows = {p.payment_id: p for p in rows}
        fill_table(self.pending, [[p.invoice_number, p.payer, _method(p.method), money(p.amount), p.paid,
                                   _pending_status(p)] for p in rows], [p.payment_id for p in rows],
                   lambda i: AWAITING_CHECK if rows[i].confirmation_due else None)
        self.pending_pager.show_page(offset, page)
        self._pending_chosen()

    def _pending_chosen(self) -> None:
        """The next step of the payment chosen: a transfer not yet seen on the account is confirmed first
        (an online one gets no kuitansi before it), any other gets its kuitansi."""
        payment = self.pending_rows.get(selected_key(self.pending))
        unconfirmed = payment is not None and payment.method == "transfer" and not payment.confirmed
        self.confirm_button.setEnabled(unconfirmed)
        self.issue_button.setEnabled(payment is not None and not payment.confirmation_due)
        self.refund_button.setEnabled(payment is not None)
        if payment is not None and payment.confirmation_due:
            self.pending_hint.note(tr(
                f"Transfer invoice {payment.invoice_number} belum dikonfirmasi masuk rekening penerimaan. Cek mutasi "
                "rekening, lalu tekan \"Dana masuk rekening ✓\"; sesudah itu kuitansinya dapat diterbitkan.",
                f"The transfer for invoice {payment.invoice_number} is not yet confirmed on the receiving account. "
                "Check the account statement, then press \"Money on the account ✓\"; its receipt can be issued after that."))
        else:
            self.pending_hint.clear_message()

    def load_receipts(self, offset: int = 0) -> None:
        offset, after = self.pager.start(offset)
        try:
            with self.panel.database.unit_of_work() as session:
                page = ledger.receipts(session, self.panel.actor, self.searched, limit=self.PAGE, after=after)
        except Exception as error:
            self.message.error(error)
            return
        self.receipts = {r.receipt_id: r for r in page.rows}
        rows = page.rows
        fill_table(self.table, [[r.number, r.issued, r.received_from, money(r.amount), _method(r.method),
                                 tr("DIBATALKAN", "CANCELLED") if r.status is DocumentStatus.CANCELLED
                                 else tr("Sah", "Valid"), r.deposited or "-"] for r in rows],
                   [r.receipt_id for r in rows],
                   lambda i: CANCELLED if rows[i].status is DocumentStatus.CANCELLED else None)
        self.pager.show_page(offset, page)
        self.view_button.setEnabled(bool(rows))
        self.cancel_button.setEnabled(bool(rows))

    def issue_selected(self) -> None:
        key = selected_key(self.pending)
        if key is None:
            self.message.error(tr("Pilih pembayaran yang akan dibuatkan kuitansi.", "Choose a payment first."))
            return
        self.panel.issue_receipt(key)

    def confirm_selected(self) -> None:
        """Sheet step 6: the treasurer saw the transfer on the receiving account."""
        key = selected_key(self.pending)
        if key is None:
            self.message.error(tr("Pilih pembayaran transfer terlebih dahulu.", "Choose a transfer payment first."))
            return
        chosen = None
        while True:
            try:
                with self.panel.database.unit_of_work() as session:
                    billing.confirm_on_account(session, self.panel.actor, key, receiving_account_id=chosen)
                break
            except ValidationError as error:  # several accounts and none chosen with the payment: ask which
                if chosen is not None or error.field != "receiving_account" or error.code != "required":
                    self.message.error(error)
                    return
                chosen = self._ask_receiving_account()
                if chosen is None:
                    return
            except Exception as error:  # refused: nothing changed
                self.message.error(error)
                return
        self.message.ok(tr("Dana transfer dikonfirmasi masuk rekening penerimaan.",
                           "The transfer is confirmed on the receiving account."))
        self.load_pending(self.pending_pager.offset)
        self.pending.selectRow(next((r for r in range(self.pending.rowCount())
                                     if self.pending.item(r, 0).data(Qt.ItemDataRole.UserRole) == key), 0))

    def _ask_receiving_account(self) -> int | None:
        """The receiving account the transfer arrived on, chosen from the office's active ones."""
        with self.panel.database.unit_of_work() as session:
            choices = receiving.accounts(session, self.panel.actor, active_only=True)
        lines = [choice.line() for choice in choices]
        picked, accepted = QInputDialog.getItem(
            self, tr("Rekening penerimaan", "Receiving account"),
            tr("Transfer ini masuk ke rekening penerimaan yang mana?", "Which receiving account did this transfer reach?"),
            lines, 0, False)
        return choices[lines.index(picked)].account_id if accepted and picked in lines else None

    def refund_selected(self) -> None:
        key = selected_key(self.pending)
        if key is None or key not in getattr(self, "pending_rows", {}):
            self.message.error(tr("Pilih pembayaran yang uangnya dikembalikan.", "Choose the payment to refund first."))
            return
        self.panel.open_refund(self.pending_rows[key])

    def _selected_receipt(self) -> ledger.ReceiptRow | None:
        key = selected_key(self.table)
        if key is None or key not in self.receipts:
            self.message.error(tr("Pilih kuitansi terlebih dahulu.", "Choose a receipt first."))
            return None
        return self.receipts[key]

    def view_selected(self) -> None:
        receipt = self._selected_receipt()
        if receipt is not None:
            self.panel.preview_receipt(receipt.receipt_id, receipt.number, copy=True)

    def cancel_selected(self) -> None:
        receipt = self._selected_receipt()
        if receipt is None:
            return
        if receipt.status is DocumentStatus.CANCELLED:
            self.message.error(tr(f"Kuitansi {receipt.number} sudah dibatalkan.",
                                  f"Receipt {receipt.number} is already cancelled."))
            return
        self.panel.open_cancel(receipt)


class DepositsTab(QWidget):
    """Cash collected and not yet deposited, the deposit form (NTPN and date) and past deposits."""

    PAGE = 15
    CASH_PAGE = 200

    def __init__(self, panel):
        super().__init__()
        self.panel = panel
        self.cash: list[ledger.ReceiptRow] = []
        self.source = named(QComboBox(), "depositSource", tr("Asal setoran", "Deposit source"))
        self.source.addItem(tr("Kas tunai bendahara", "The treasurer's cash box"), "cash")
        self.source.addItem(tr("Rekening penerimaan (transfer)", "Receiving account (transfers)"), "transfer")
        self.total = named(QLabel(""), "undepositedTotal", tr("Belum disetor", "Not yet deposited"))
        self.total.setStyleSheet(HEADLINE_STYLE)
        self.total.setWordWrap(True)  # long amounts wrap instead of widening the window
        hint = QLabel(tr("Penerimaan tunai dan transfer di rekening penerimaan wajib disetor ke Kas Negara paling "
                         "lambat hari kerja berikutnya, masing-masing dengan NTPN. Pembayaran SIMPONI langsung masuk "
                         "Kas Negara.",
                         "Cash takings and transfers on the receiving account must be deposited to the state treasury "
                         "by the next working day at the latest, each with its NTPN. SIMPONI payments go straight to "
                         "the treasury."))
        hint.setWordWrap(True)
        hint.setStyleSheet(MUTED_STYLE)
        self.cash_table = make_table("undepositedTable", tr("Kuitansi tunai belum disetor", "Cash receipts not deposited"), [
            tr("No. kuitansi", "Receipt no."), tr("Tanggal", "Date"), tr("Diterima dari", "Received from"),
            tr("Jumlah", "Amount")], stretch=2, numeric=(3,))
        self.cash_pager = Pager("cash", self.CASH_PAGE)
        self.select_all = named(QCheckBox(tr("Pilih semua", "Select all")), "selectAllCash",
                                tr("Pilih semua kuitansi", "Select all receipts"))
        self.select_all.setChecked(True)
        self.ntpn = named(QLineEdit(), "depositNtpn", tr("NTPN setoran", "Deposit NTPN"))
        self.ntpn.setPlaceholderText(tr("16 huruf/angka dari bukti setor", "16 letters/digits from the deposit proof"))
        self.ntpn.setMaxLength(20)
        self.day = named(QDateEdit(), "depositDate", tr("Tanggal setor", "Deposit date"))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd-MM-yyyy")
        self.chosen = named(QLabel(""), "depositSelectedTotal", tr("Jumlah disetor", "Amount deposited"))
        self.chosen.setStyleSheet("font-weight: 600;")
        self.record_button = named(QPushButton(tr("Catat setoran", "Record deposit")), "recordDeposit",
                                   tr("Catat setoran", "Record deposit"))
        form_box = QGroupBox(tr("Setoran ke Kas Negara", "Deposit to the state treasury"))
        form = QFormLayout(form_box)
        form.addRow("", self.select_all)
        form.addRow(tr("Jumlah disetor", "Amount"), self.chosen)
        form.addRow("NTPN", self.ntpn)
        form.addRow(tr("Tanggal setor", "Deposit date"), self.day)
        form.addRow("", self.record_button)
        self.message = Banner("depositMessage")
        self.history = make_table("depositTable", tr("Setoran", "Deposits"), [
            tr("Tanggal setor", "Deposit date"), tr("Dari", "From"), "NTPN", tr("Jumlah", "Amount"),
            tr("Kuitansi", "Receipts"), tr("Dicatat", "Recorded")], stretch=5, numeric=(3, 4))
        self.pager = Pager("deposit", self.PAGE)
        upper = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.cash_table, 1)
        left.addWidget(self.cash_pager)
        upper.addLayout(left, 3)
        upper.addWidget(form_box, 2)
        head = QHBoxLayout()
        head.addWidget(QLabel(tr("Setor dari", "Deposit from")))
        head.addWidget(self.source)
        head.addSpacing(16)
        head.addWidget(self.total, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(hint)
        layout.addLayout(upper, 3)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(f"<b>{tr('Riwayat setoran', 'Deposits made')}</b>"))
        layout.addWidget(self.history, 2)
        layout.addWidget(self.pager)

        self.day.editingFinished.connect(lambda: self.day.setProperty("chosen", True))
        self.cash_table.itemChanged.connect(self._update_chosen)
        self.select_all.toggled.connect(self._select_all)
        self.cash_pager.moved.connect(self.load_cash)
        self.source.currentIndexChanged.connect(lambda _i: self.load_cash(0))
        self.pager.moved.connect(self.load_history)
        self.record_button.clicked.connect(self.record)

    def load(self) -> None:
        if not self.day.property("chosen"):  # today, until the treasurer picks another date
            self.day.setDate(QDate(self.panel.today.year, self.panel.today.month, self.panel.today.day))
        self.load_cash(0)
        self.load_history(self.pager.offset)

    def follow(self) -> None:
        """After a change elsewhere: the lists again; receipts the treasurer ticked or unticked stay so, a new
        one is ticked as "Pilih semua" says; the date and NTPN being typed are left alone."""
        shown = {r.receipt_id for r in self.cash}
        ticked = set(self.checked_ids())
        self.load_cash(self.cash_pager.offset)
        self.cash_table.blockSignals(True)
        for row in range(self.cash_table.rowCount()):
            item = self.cash_table.item(row, 0)
            key = item.data(Qt.ItemDataRole.UserRole)
            tick = key in ticked if key in shown else self.select_all.isChecked()
            item.setCheckState(Qt.CheckState.Checked if tick else Qt.CheckState.Unchecked)
        self.cash_table.blockSignals(False)
        self._update_chosen()
        self.load_history(self.pager.offset)

    def load_cash(self, offset: int = 0) -> None:
        offset, after = self.cash_pager.start(offset)
        try:
            with self.panel.database.unit_of_work() as session:
                page, amount = ledger.undeposited(session, self.panel.actor, self.source.currentData(),
                                                  limit=self.CASH_PAGE, after=after)
        except Exception as error:
            self.message.error(error)
            return
        self.cash = page.rows
        where = self.source.currentText().lower()
        self.total.setText(tr(f"Belum disetor dari {where}: {money(amount)} ({page.total} kuitansi)",
                              f"Not yet deposited from the {where}: {money(amount)} ({page.total} receipts)"))
        self.cash_table.blockSignals(True)
        fill_table(self.cash_table, [[r.number, r.issued, r.received_from, money(r.amount)] for r in page.rows],
                   [r.receipt_id for r in page.rows])
        for row in range(self.cash_table.rowCount()):
            item = self.cash_table.item(row, 0)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if self.select_all.isChecked() else Qt.CheckState.Unchecked)
        self.cash_table.blockSignals(False)
        self.cash_pager.show_page(offset, page)
        self._update_chosen()

    def load_history(self, offset: int = 0) -> None:
        offset, after = self.pager.start(offset)
        try:
            with self.panel.database.unit_of_work() as session:
                page = ledger.deposits(session, self.panel.actor, limit=self.PAGE, after=after)
        except Exception as error:
            self.message.error(error)
            return
        fill_table(self.history, [[d.deposited_on.strftime("%d-%m-%Y"), _source(d.source), d.ntpn, money(d.amount),
                                   str(d.receipts), d.recorded] for d in page.rows], [d.deposit_id for d in page.rows])
        self.pager.show_page(offset, page)

    def checked_ids(self) -> list[int]:
        ids = []
        for row in range(self.cash_table.rowCount()):
            item = self.cash_table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                ids.append(item.data(Qt.ItemDataRole.UserRole))
        return ids

    def _select_all(self, checked: bool) -> None:
        self.cash_table.blockSignals(True)
        for row in range(self.cash_table.rowCount()):
            self.cash_table.item(row, 0).setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.cash_table.blockSignals(False)
        self._update_chosen()

    def _update_chosen(self, _item: QTableWidgetItem | None = None) -> None:
        ids = set(self.checked_ids())
        amount = sum(r.amount for r in self.cash if r.receipt_id in ids)
        self.chosen.setText(tr(f"{money(amount)} ({len(ids)} kuitansi)", f"{money(amount)} ({counted(len(ids), 'receipt', 'receipts')})"))
        self.record_button.setEnabled(bool(ids))

    def record(self) -> None:
        ids = self.checked_ids()
        try:
            with self.panel.database.unit_of_work() as session:
                deposit = ledger.record_deposit(session, self.panel.actor, ids, ntpn=self.ntpn.text(),
                                                deposited_on=self.day.date().toPython(),
                                                source=self.source.currentData())
                amount, ntpn = deposit.amount, deposit.ntpn
        except Exception as error:
            self.message.error(error)
            return
        self.ntpn.clear()
        self.message.ok(tr(f"Setoran {money(amount)} dengan NTPN {ntpn} tercatat.",
                           f"Deposit of {money(amount)} with NTPN {ntpn} recorded."))
        self.panel.refresh()


class ClosingTab(QWidget):
    """The day's totals by payment method, and closing the day."""

    PAGE = 15

    def __init__(self, panel):
        super().__init__()
        self.panel = panel
        self.totals: ledger.DayTotals | None = None
        self.day = named(QDateEdit(), "closingDate", tr("Tanggal", "Day"))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd-MM-yyyy")
        show = named(QPushButton(tr("Tampilkan", "Show")), "showDay", tr("Tampilkan ringkasan hari", "Show the day"))
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Hari", "Day")))
        top.addWidget(self.day)
        top.addWidget(show)
        top.addStretch(1)
        box = QGroupBox(tr("Ringkasan hari", "The day's totals"))
        grid = QGridLayout(box)
        self.values: dict[str, QLabel] = {}
        for index, (key, label_id, label_en) in enumerate((
                ("cash", "Tunai", "Cash"), ("simponi", "SIMPONI", "SIMPONI"), ("transfer", "Transfer", "Transfer"),
                ("receipts", "Kuitansi terbit", "Receipts issued"),
                ("cancelled", "Koreksi (pembatalan)", "Corrections (cancellations)"),
                ("deposits", "Disetor ke Kas Negara", "Deposited"), ("refunds", "Dikembalikan", "Refunded"),
                ("opening", "Saldo BKU awal hari", "BKU balance at start"),
                ("closing", "Saldo BKU akhir hari", "BKU balance at end"),
                ("cash_box", "Uang di kas tunai", "Money in the cash box"),
                ("bank", "Di rekening penerimaan", "On the receiving account"),
                ("treasury", "Masuk Kas Negara (total)", "In the state treasury (total)"),
                ("pending", "Dibayar, menunggu kuitansi", "Paid, waiting for a receipt"))):
            label = QLabel(tr(label_id, label_en))
            value = named(QLabel("-"), f"day_{key}", tr(label_id, label_en))
            value.setStyleSheet("font-weight: 600;")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.values[key] = value
            grid.addWidget(label, index % 5, (index // 5) * 3)
            grid.addWidget(value, index % 5, (index // 5) * 3 + 1)
        for column in (1, 4, 7):  # narrow enough for a 1366×768 screen at 125 %
            grid.setColumnMinimumWidth(column, 120)
        grid.setColumnMinimumWidth(2, 24)
        grid.setColumnMinimumWidth(5, 24)
        grid.setColumnStretch(8, 1)
        self.state = named(QLabel(""), "dayState", tr("Status hari", "Day status"))
        self.state.setWordWrap(True)
        self.note = named(QLineEdit(), "closingNote", tr("Catatan tutup buku", "Closing note"))
        self.note.setPlaceholderText(tr("catatan (opsional)", "note (optional)"))
        self.checked = named(QCheckBox(tr("Jumlah di atas sudah saya cocokkan dengan uang dan bukti setor",
                                          "I have checked the totals against the cash and the deposit proofs")),
                             "closingChecked", tr("Sudah dicocokkan", "Checked"))
        self.close_button = named(QPushButton(tr("Tutup buku hari ini", "Close the day")), "closeDay",
                                  tr("Tutup buku hari", "Close the day"))
        self.close_button.setEnabled(False)
        self.sheet_button = named(QPushButton(tr("Lembar penutupan…", "Closing sheet…")), "closingSheet",
                                  tr("Lembar penutupan (dengan titik periksa jejak audit)",
                                     "Closing sheet (with the audit checkpoint)"))
        self.sheet_button.setEnabled(False)
        self.message = Banner("closingMessage")
        actions = QHBoxLayout()
        actions.addWidget(self.note, 1)
        actions.addWidget(self.checked)
        actions.addWidget(self.close_button)
        actions.addWidget(self.sheet_button)
        self.history = make_table("closingTable", tr("Hari yang sudah ditutup", "Closed days"), [
            tr("Tanggal", "Day"), tr("Tunai", "Cash"), "SIMPONI", "Transfer", tr("Kuitansi", "Receipts"),
            tr("Disetor", "Deposited"), tr("Kas akhir", "Cash at end"), tr("Ditutup", "Closed"),
            tr("Oleh", "By")], stretch=8, numeric=(1, 2, 3, 4, 5, 6))
        self.pager = Pager("closing", self.PAGE)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(box)
        layout.addWidget(self.state)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(f"<b>{tr('Riwayat tutup buku', 'Closed days')}</b>"))
        layout.addWidget(self.history, 1)
        layout.addWidget(self.pager)

        show.clicked.connect(self.show_day)
        self.day.dateChanged.connect(lambda _d: self.show_day())
        self.checked.toggled.connect(lambda _c: self._update_button())
        self.close_button.clicked.connect(self.close_day)
        self.sheet_button.clicked.connect(lambda: self.show_sheet())
        self.pager.moved.connect(self.load_history)

    def load(self) -> None:
        if self.totals is None:  # the first time: today; afterwards the day the treasurer is looking at
            today = self.panel.today
            self.day.blockSignals(True)
            self.day.setDate(QDate(today.year, today.month, today.day))
            self.day.blockSignals(False)
        self.show_day()
        self.load_history(self.pager.offset)

    def follow(self) -> None:
        """After a change elsewhere: the day shown and the closed days again (note and tick stay)."""
        self.load()

    @property
    def chosen_day(self) -> date:
        return self.day.date().toPython()

    def show_day(self) -> None:
        day = self.chosen_day
        try:
            with self.panel.database.unit_of_work() as session:
                totals = ledger.day_totals(session, self.panel.actor, day)
                closing = ledger.closing_of(session, self.panel.actor.office_id, day)
                closed = (closing.closed_at, closing.note) if closing else None
        except Exception as error:
            self.message.error(error)
            return
        self.totals, self.closed = totals, closed
        net = totals.net
        for key in ("cash", "simponi", "transfer"):
            self.values[key].setText(money(net[key]))
        self.values["receipts"].setText(str(totals.receipts))
        self.values["cancelled"].setText(f"{money(-sum(totals.cancelled.values()))} ({totals.cancellations})")
        self.values["deposits"].setText(f"{money(totals.deposits)} ({totals.deposit_count})")
        self.values["refunds"].setText(money(totals.refunds))
        self.values["opening"].setText(money(totals.opening))
        self.values["closing"].setText(money(totals.closing))
        held = totals.positions
        self.values["cash_box"].setText(money(held.cash))
        self.values["bank"].setText(money(held.bank))
        self.values["treasury"].setText(money(held.treasury))
        self.values["pending"].setText(money(sum(held.pending.values())))
        shown = day.strftime("%d-%m-%Y")
        if closed:
            self.state.setStyleSheet("color: #1b5e20; font-weight: 600;")
            self.state.setText(tr(f"Hari {shown} sudah ditutup. Koreksi dibukukan pada hari berikutnya dengan referensi.",
                                  f"Day {shown} is closed. Corrections are booked on the next day with a reference."))
        elif totals.unreceipted:
            self.state.setStyleSheet("color: #8a1c13; font-weight: 600;")
            self.state.setText(tr(f"Perhatian: {totals.unreceipted} pembayaran hari ini belum dibuatkan kuitansi.",
                                  f"Note: {totals.unreceipted} payments of this day have no receipt yet."))
        else:
            self.state.setStyleSheet(MUTED_STYLE)
            self.state.setText(tr(f"Hari {shown} belum ditutup.", f"Day {shown} is not closed yet."))
        self._update_button()

    def _update_button(self) -> None:
        self.close_button.setEnabled(self.totals is not None and not getattr(self, "closed", None)
                                     and self.checked.isChecked())
        self.sheet_button.setEnabled(bool(getattr(self, "closed", None)))

    def show_sheet(self, day: date | None = None):
        """The closing sheet of a closed day, to print and sign: it carries the audit checkpoint."""
        from pstdesktop import documents
        from ui.treasurer.receipt import ReceiptPreview

        day = day or self.chosen_day
        try:
            with self.panel.database.unit_of_work() as session:
                pdf = documents.closing_pdf(session, self.panel.actor, day)
        except Exception as error:
            self.message.error(error)
            return None
        shown = day.strftime("%d-%m-%Y")
        self.sheet = ReceiptPreview(pdf, tr(f"Lembar penutupan {shown}", f"Closing sheet {shown}"),
                                    f"Penutupan-{day.isoformat()}.pdf", self)
        self.sheet.open()
        return self.sheet

    def close_day(self) -> None:
        day = self.chosen_day
        try:
            with self.panel.database.unit_of_work() as session:
                ledger.close_day(session, self.panel.actor, day, self.note.text())
        except Exception as error:
            self.message.error(error)
            return
        self.checked.setChecked(False)
        self.note.clear()
        self.panel.refresh()
        self.message.ok(tr(f"Buku hari {day.strftime('%d-%m-%Y')} ditutup; cetak dan tandatangani lembar penutupannya.",
                           f"Day {day.strftime('%d-%m-%Y')} closed; print and sign its closing sheet."))
        self.show_sheet(day)

    def load_history(self, offset: int = 0) -> None:
        offset, after = self.pager.start(offset)
        try:
            with self.panel.database.unit_of_work() as session:
                page = ledger.closings(session, self.panel.actor, limit=self.PAGE, after=after)
        except Exception as error:
            self.message.error(error)
            return
        fill_table(self.history, [[c.day.strftime("%d-%m-%Y"), money(c.totals.get("cash", 0)),
                                   money(c.totals.get("simponi", 0)), money(c.totals.get("transfer", 0)),
                                   str(c.totals.get("receipts", 0)), money(c.totals.get("deposits", 0)),
                                   money(c.totals.get("closing", 0)), c.closed, c.closed_by]
                                  for c in page.rows], [c.day for c in page.rows])
        self.pager.show_page(offset, page)

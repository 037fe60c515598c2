"""The treasurer's panel driven through its widgets (pytest-qt, offscreen): finding an invoice by its
scanned QR, each payment method, the double press, a forged QR, a cancellation, a deposit, the daily
closing and an export in a worker thread with progress and cancel."""

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
)
from sqlalchemy import func, select

from models import (
    DailyClosing,
    Deposit,
    DocumentStatus,
    Invoice,
    OfficeProfile,
    Payment,
    PaymentMethod,
    Receipt,
    Refund,
)
from pstdesktop import reports
from pstdesktop.services import billing, ledger, receiving, references
from pstdesktop.services.errors import PermissionDenied
from tests.conftest import PASSWORD
from tests.shots import shot
from tests.unit.test_ledger import SIMPONI_CODE, TOTAL, invoiced, sold
from tests.unit.test_online import online_request
from ui.treasurer import TreasurerWindow
from ui.treasurer.common import selected_key
from ui.treasurer.payment import PaymentDialog
from ui.widgets import office_now

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def panel(qtbot, office):
    def make() -> TreasurerWindow:
        window = TreasurerWindow(office.db, office.treasurer)
        qtbot.addWidget(window)
        window.show()
        return window
    return make


def qr_text(office, invoice_id) -> str:
    with office.session() as s:
        return references.invoice_qr_text(s.get(OfficeProfile, office.office_id), s.get(Invoice, invoice_id))


def count(office, model) -> int:
    with office.session() as s:
        return s.scalar(select(func.count(model.id)))


def open_form(qtbot, window, row=0) -> PaymentDialog:
    window.invoices.table.selectRow(row)
    qtbot.mouseClick(window.findChild(QPushButton, "payButton"), LEFT)
    dialog = window.payment_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def set_text(qtbot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_scanning_the_invoice_qr_finds_it_and_opens_the_payment_form(qtbot, office, panel):
    invoiced(office)
    wanted = invoiced(office, billing_code=SIMPONI_CODE)
    window = panel()
    assert window.invoices.table.rowCount() == 2
    scan = window.findChild(QLineEdit, "scanField")
    assert scan.hasFocus() or window.focusWidget() in (scan, None)
    qtbot.keyClicks(scan, qr_text(office, wanted))  # a USB scanner types, then presses Enter
    qtbot.keyClick(scan, Qt.Key.Key_Return)
    table = window.findChild(QTableWidget, "invoiceTable")
    assert table.rowCount() == 1 and table.item(0, 0).text().startswith("INV-00002/")
    assert "QR sah" in window.findChild(QLabel, "invoiceMessage").text()
    dialog = window.payment_dialog
    assert dialog.isVisible() and dialog.invoice.invoice_id == wanted
    assert dialog.method is PaymentMethod.SIMPONI and SIMPONI_CODE in dialog.findChild(QLabel, "billingCode").text()
    assert scan.text() == ""


def test_a_forged_or_altered_qr_is_refused_and_nothing_is_shown(qtbot, office, panel):
    wanted = invoiced(office)
    text = qr_text(office, wanted)
    window = panel()
    scan = window.findChild(QLineEdit, "scanField")
    for forged in (text.replace(f"-{TOTAL}-", "-30000-"), text[:-4] + "0000"):
        qtbot.keyClicks(scan, forged)
        qtbot.keyClick(scan, Qt.Key.Key_Return)
        message = window.findChild(QLabel, "invoiceMessage")
        assert message.isVisible() and "tidak sah" in message.text()
        assert window.findChild(QTableWidget, "invoiceTable").rowCount() == 0
        assert window.payment_dialog is None
        assert not window.findChild(QPushButton, "payButton").isEnabled()
    qtbot.mouseClick(window.findChild(QPushButton, "showAllInvoices"), LEFT)
    assert window.invoices.table.rowCount() == 1 and not message.isVisible()


def test_search_by_name_and_number(qtbot, office, panel):
    invoiced(office, full_name="Rahmat Hidayat")
    invoiced(office, full_name="Grace Sahetapy")
    window = panel()
    scan = window.findChild(QLineEdit, "scanField")
    qtbot.keyClicks(scan, "sahetapy")
    qtbot.keyClick(scan, Qt.Key.Key_Return)
    assert [window.invoices.table.item(r, 1).text() for r in range(window.invoices.table.rowCount())] == ["Grace Sahetapy"]
    assert window.payment_dialog is None  # a search only filters


def test_cash_payment_shows_the_change_and_issues_the_receipt(qtbot, office, panel):
    invoiced(office)
    window = panel()
    dialog = open_form(qtbot, window)
    assert dialog.method is PaymentMethod.CASH
    assert dialog.findChild(QLabel, "paymentTotal").text() == "Rp3.000.000"
    set_text(qtbot, dialog.findChild(QLineEdit, "cashTendered"), "2.000.000")
    assert dialog.findChild(QLabel, "cashChange").text() == "kurang Rp1.000.000"
    set_text(qtbot, dialog.findChild(QLineEdit, "cashTendered"), "3.500.000")
    assert dialog.findChild(QLabel, "cashChange").text() == "Rp500.000"
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePayment"), LEFT)
    assert not dialog.isVisible()
    with office.session() as s:
        payment = s.scalars(select(Payment)).one()
        assert (payment.method, payment.cash_tendered, payment.change_given) == (PaymentMethod.CASH, 3_500_000, 500_000)
        receipt = s.scalars(select(Receipt)).one()
        assert receipt.payment_id == payment.id and receipt.amount == TOTAL
    assert window.preview is not None and window.preview.page_count >= 1
    assert window.preview.windowTitle().startswith(f"Kuitansi {receipt.number} (asli)")
    assert window.invoices.table.rowCount() == 0
    assert window.receipts.table.item(0, 0).text() == receipt.number
    assert "Rp3.000.000" in window.findChild(QLabel, "cashOnHand").text()


def test_simponi_payment_refuses_a_wrong_ntpn_then_records(qtbot, office, panel):
    invoiced(office, billing_code=SIMPONI_CODE)
    window = panel()
    dialog = open_form(qtbot, window)
    assert dialog.method is PaymentMethod.SIMPONI
    set_text(qtbot, dialog.findChild(QLineEdit, "ntpn"), "A1B2C3D4")
    set_text(qtbot, dialog.findChild(QLineEdit, "ntb"), "BNI0099887766")
    dialog.findChild(QComboBox, "simponiBank").setCurrentText("BNI")
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePayment"), LEFT)
    message = dialog.findChild(QLabel, "paymentMessage")
    assert dialog.isVisible() and "NTPN harus tepat 16 huruf/angka" in message.text()
    assert count(office, Payment) == 0
    set_text(qtbot, dialog.findChild(QLineEdit, "ntpn"), "a1b2c3d4e5f60718")
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePayment"), LEFT)
    assert not dialog.isVisible()
    with office.session() as s:
        payment = s.scalars(select(Payment)).one()
        assert (payment.method, payment.ntpn, payment.ntb, payment.bank, payment.billing_code) == (
            PaymentMethod.SIMPONI, "A1B2C3D4E5F60718", "BNI0099887766", "BNI", SIMPONI_CODE)


def test_transfer_payment_needs_the_reference_and_the_proof_file(qtbot, office, panel, data_file):
    invoiced(office)
    with office.session() as s:
        receiving.add(s, office.supervisor, bank="Bank BRI", number="0123-01-000456-30-1", holder="BPS Kota Ambon")
    window = panel()
    dialog = open_form(qtbot, window)
    assert not dialog.findChild(QAbstractButton, "method_simponi").isEnabled()  # no billing code on this invoice
    qtbot.mouseClick(dialog.findChild(QAbstractButton, "method_transfer"), LEFT)
    assert dialog.method is PaymentMethod.TRANSFER
    assert dialog.findChild(QLineEdit, "proofFile").isVisible()
    assert not dialog.findChild(QLineEdit, "cashTendered").isVisible()
    dialog.issue_now.setChecked(False)
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePayment"), LEFT)
    assert "Nomor referensi transfer wajib diisi" in dialog.findChild(QLabel, "paymentMessage").text()
    set_text(qtbot, dialog.findChild(QLineEdit, "transferNtb"), "TRF-20261130-0042")
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePayment"), LEFT)
    assert "Bukti transfer wajib diisi" in dialog.findChild(QLabel, "paymentMessage").text()
    assert count(office, Payment) == 0
    assert "Bank BRI 0123-01-000456-30-1" in dialog.findChild(QComboBox, "receivingAccount").currentText()
    dialog.findChild(QCheckBox, "transferConfirmed").setChecked(True)
    set_text(qtbot, dialog.findChild(QLineEdit, "proofFile"), str(data_file("bukti-transfer.pdf", 500)))
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePayment"), LEFT)
    with office.session() as s:
        payment = s.scalars(select(Payment)).one()
        assert payment.method is PaymentMethod.TRANSFER and len(payment.proof_sha256) == 64
        assert payment.ntb == "TRF-20261130-0042" and payment.proof_id is not None
        assert payment.confirmed_at is not None and payment.receiving_account_id is not None
    assert count(office, Receipt) == 0  # "issue the receipt" was unticked
    assert window.receipts.pending.rowCount() == 1
    qtbot.mouseClick(window.findChild(QPushButton, "issueReceipt"), LEFT)
    assert count(office, Receipt) == 1 and window.receipts.pending.rowCount() == 0


def test_a_double_press_records_one_payment_and_one_receipt(qtbot, office, panel):
    invoiced(office)
    window = panel()
    dialog = open_form(qtbot, window)
    emitted = []
    dialog.recorded.connect(lambda pid, issue: emitted.append(pid))
    save = dialog.findChild(QPushButton, "savePayment")
    qtbot.mouseClick(save, LEFT)
    dialog.save()  # the second press reaches the form after the first was recorded
    qtbot.mouseClick(save, LEFT)
    assert count(office, Payment) == 1 and count(office, Receipt) == 1
    assert len(emitted) == 1


@pytest.mark.parametrize(("amount", "words"), [("tiga juta", "bilangan bulat"), ("0", "lebih dari nol"),
                                               ("-3.000.000", "lebih dari nol"),
                                               ("300.000", "pembayaran sebagian atau lebih ditolak")])
def test_bad_amounts_are_refused_in_place(qtbot, office, panel, amount, words):
    invoiced(office)
    window = panel()
    dialog = open_form(qtbot, window)
    set_text(qtbot, dialog.findChild(QLineEdit, "amountPaid"), amount)
    set_text(qtbot, dialog.findChild(QLineEdit, "cashTendered"), "5.000.000")
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePayment"), LEFT)
    assert dialog.isVisible() and words in dialog.findChild(QLabel, "paymentMessage").text()
    assert dialog.findChild(QLineEdit, "amountPaid").text() == amount  # what was typed is kept
    assert count(office, Payment) == 0


def test_a_payment_date_in_the_future_is_refused(qtbot, office, panel):
    invoiced(office, billing_code=SIMPONI_CODE)
    window = panel()
    dialog = open_form(qtbot, window)
    set_text(qtbot, dialog.findChild(QLineEdit, "ntpn"), "A1B2C3D4E5F60718")
    set_text(qtbot, dialog.findChild(QLineEdit, "ntb"), "BNI01")
    paid_at = dialog.findChild(QDateTimeEdit, "simponiPaidAt")
    paid_at.setDateTime(office_now("WIT").addDays(2))
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePayment"), LEFT)
    assert "tidak boleh di masa depan" in dialog.findChild(QLabel, "paymentMessage").text()
    assert count(office, Payment) == 0


def test_cancelling_a_receipt_needs_a_supervisor(qtbot, office, panel):
    _i, payment_id, receipt_id = sold(office)
    window = panel()
    window.tabs.setCurrentWidget(window.receipts)
    window.receipts.table.selectRow(0)
    qtbot.mouseClick(window.findChild(QPushButton, "cancelReceipt"), LEFT)
    dialog = window.cancel_dialog
    assert dialog.isVisible()
    dialog.findChild(QPlainTextEdit, "cancelReason").setPlainText("Nama pembayar salah ditulis")
    dialog.findChild(QCheckBox, "reissueNow").setChecked(False)  # cancel only: the payment waits
    qtbot.keyClicks(dialog.findChild(QLineEdit, "supervisorUsername"), "kepala")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "supervisorPassword"), "bukan-sandinya")
    qtbot.mouseClick(dialog.findChild(QPushButton, "confirmCancelReceipt"), LEFT)
    assert "Persetujuan ditolak" in dialog.findChild(QLabel, "cancelMessage").text()
    assert dialog.findChild(QLineEdit, "supervisorPassword").text() == ""
    with office.session() as s:
        assert s.get(Receipt, receipt_id).status is DocumentStatus.ISSUED
    qtbot.keyClicks(dialog.findChild(QLineEdit, "supervisorPassword"), PASSWORD)
    qtbot.mouseClick(dialog.findChild(QPushButton, "confirmCancelReceipt"), LEFT)
    assert not dialog.isVisible()
    with office.session() as s:
        receipt = s.get(Receipt, receipt_id)
        assert receipt.status is DocumentStatus.CANCELLED and receipt.cancel_reason == "Nama pembayar salah ditulis"
    assert window.receipts.table.item(0, 5).text() == "DIBATALKAN"
    assert window.receipts.pending.item(0, 0).data(Qt.ItemDataRole.UserRole) == payment_id
    qtbot.mouseClick(window.findChild(QPushButton, "cancelReceipt"), LEFT)
    assert "sudah dibatalkan" in window.findChild(QLabel, "receiptMessage").text()
    assert "menunggu kuitansi" in window.findChild(QLabel, "cashOnHand").text()  # pending beside the cash


def test_a_wrong_receipt_is_replaced_in_one_step(qtbot, office, panel):
    _i, payment_id, receipt_id = sold(office)
    window = panel()
    window.receipts.table.selectRow(0)
    qtbot.mouseClick(window.findChild(QPushButton, "cancelReceipt"), LEFT)
    dialog = window.cancel_dialog
    assert dialog.findChild(QCheckBox, "reissueNow").isChecked()  # the usual correction
    dialog.findChild(QPlainTextEdit, "cancelReason").setPlainText("Nama pembayar salah ditulis")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "supervisorUsername"), "kepala")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "supervisorPassword"), PASSWORD)
    qtbot.mouseClick(dialog.findChild(QPushButton, "confirmCancelReceipt"), LEFT)
    assert not dialog.isVisible()
    with office.session() as s:
        receipts = list(s.scalars(select(Receipt).where(Receipt.payment_id == payment_id).order_by(Receipt.id)))
    assert [r.status for r in receipts] == [DocumentStatus.CANCELLED, DocumentStatus.ISSUED]
    assert receipts[1].number in window.findChild(QLabel, "receiptMessage").text()
    assert window.receipts.pending.rowCount() == 0 and window.preview is not None  # the new one, to print


def test_a_payment_without_receipt_is_refunded_with_approval(qtbot, office, panel):
    _i, payment_id, receipt_id = sold(office)
    with office.session() as s:
        ledger.cancel_receipt(s, office.treasurer, receipt_id, "Pembelian dibatalkan", "kepala", PASSWORD)
    window = panel()
    window.receipts.pending.selectRow(0)
    qtbot.mouseClick(window.findChild(QPushButton, "refundPayment"), LEFT)
    dialog = window.refund_dialog
    assert dialog.isVisible() and dialog.findChild(QComboBox, "refundMethod").currentData() == "cash"
    qtbot.mouseClick(dialog.findChild(QPushButton, "confirmRefund"), LEFT)  # no reason, no approval
    assert dialog.isVisible() and dialog.findChild(QLabel, "refundMessage").text()
    assert count(office, Refund) == 0
    dialog.findChild(QPlainTextEdit, "refundReason").setPlainText("Pemohon membatalkan pembelian")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "supervisorUsername"), "kepala")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "supervisorPassword"), PASSWORD)
    qtbot.mouseClick(dialog.findChild(QPushButton, "confirmRefund"), LEFT)
    assert not dialog.isVisible()
    with office.session() as s:
        refund = s.scalars(select(Refund)).one()
        assert (refund.payment_id, refund.amount, refund.method) == (payment_id, TOTAL, "cash")
    assert window.receipts.pending.rowCount() == 0
    assert "Rp0" in window.findChild(QLabel, "cashOnHand").text()


def test_reprint_is_marked_as_a_copy(qtbot, office, panel):
    sold(office)
    window = panel()
    window.receipts.table.selectRow(0)
    qtbot.mouseClick(window.findChild(QPushButton, "reprintReceipt"), LEFT)
    assert "(salinan)" in window.preview.windowTitle() and window.preview.page_count >= 1


def test_a_deposit_of_the_cash_takings(qtbot, office, panel):
    sold(office)
    sold(office, items=(("microdata_raw", "Podes 2024", 1_000_000, ""),))
    window = panel()
    window.tabs.setCurrentWidget(window.deposits)
    assert window.findChild(QLabel, "undepositedTotal").text() == \
        "Belum disetor dari kas tunai bendahara: Rp3.020.000 (2 kuitansi)"
    assert window.findChild(QLabel, "depositSelectedTotal").text() == "Rp3.020.000 (2 kuitansi)"
    table = window.findChild(QTableWidget, "undepositedTable")
    table.item(1, 0).setCheckState(Qt.CheckState.Unchecked)
    assert window.findChild(QLabel, "depositSelectedTotal").text() == "Rp3.000.000 (1 kuitansi)"
    qtbot.keyClicks(window.findChild(QLineEdit, "depositNtpn"), "12345")
    qtbot.mouseClick(window.findChild(QPushButton, "recordDeposit"), LEFT)
    assert "NTPN harus tepat 16" in window.findChild(QLabel, "depositMessage").text()
    assert count(office, Deposit) == 0
    window.findChild(QDateEdit, "depositDate").setDate(window.findChild(QDateEdit, "depositDate").date().addDays(1))
    set_text(qtbot, window.findChild(QLineEdit, "depositNtpn"), "0A1B2C3D4E5F6789")
    qtbot.mouseClick(window.findChild(QPushButton, "recordDeposit"), LEFT)
    assert "masa depan" in window.findChild(QLabel, "depositMessage").text()
    window.findChild(QDateEdit, "depositDate").setDate(window.findChild(QDateEdit, "depositDate").date().addDays(-1))
    qtbot.mouseClick(window.findChild(QPushButton, "recordDeposit"), LEFT)
    with office.session() as s:
        deposit = s.scalars(select(Deposit)).one()
        assert (deposit.amount, deposit.ntpn, len(deposit.receipts)) == (TOTAL, "0A1B2C3D4E5F6789", 1)
    assert window.findChild(QLabel, "undepositedTotal").text() == \
        "Belum disetor dari kas tunai bendahara: Rp20.000 (1 kuitansi)"
    history = window.findChild(QTableWidget, "depositTable")
    assert (history.item(0, 1).text(), history.item(0, 2).text()) == ("Kas tunai", "0A1B2C3D4E5F6789")
    assert "Rp20.000" in window.findChild(QLabel, "cashOnHand").text()


def test_closing_the_day_locks_it(qtbot, office, panel, tmp_path):
    sold(office)
    sold(office, PaymentMethod.SIMPONI)
    invoiced(office)
    window = panel()
    window.tabs.setCurrentWidget(window.closing)
    assert window.findChild(QLabel, "day_cash").text() == "Rp3.000.000"
    assert window.findChild(QLabel, "day_simponi").text() == "Rp3.000.000"
    assert window.findChild(QLabel, "day_receipts").text() == "2"
    close = window.findChild(QPushButton, "closeDay")
    assert not close.isEnabled()  # the totals are checked first
    window.findChild(QCheckBox, "closingChecked").setChecked(True)
    qtbot.keyClicks(window.findChild(QLineEdit, "closingNote"), "Uang tunai cocok")
    qtbot.mouseClick(close, LEFT)
    with office.session() as s:
        closing = s.scalars(select(DailyClosing)).one()
        assert closing.totals["cash"] == TOTAL and closing.totals["simponi"] == TOTAL and closing.note == "Uang tunai cocok"
    assert "sudah ditutup" in window.findChild(QLabel, "dayState").text() and not close.isEnabled()
    sheet = window.closing.sheet  # the closing sheet opens to be printed and signed, with its audit checkpoint
    assert sheet.isVisible() and sheet.page_count == 1
    assert window.findChild(QPushButton, "closingSheet").isEnabled()
    shot(window, tmp_path, "closing-tab.png", size=(1366, 768))
    shot(sheet, tmp_path, "closing-sheet.png", size=(820, 700))
    sheet.accept()
    assert window.findChild(QTableWidget, "closingTable").rowCount() == 1
    window.refresh()
    assert "sudah ditutup" in window.findChild(QLabel, "windowMessage").text()
    window.tabs.setCurrentWidget(window.invoices)
    dialog = open_form(qtbot, window)
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePayment"), LEFT)
    assert "sudah ditutup" in dialog.findChild(QLabel, "paymentMessage").text()
    assert count(office, Payment) == 2


def test_export_runs_in_a_worker_with_progress_and_can_be_cancelled(qtbot, office, panel, tmp_path, monkeypatch):
    sold(office)
    window = panel()
    exports = window.exports
    window.tabs.setCurrentWidget(exports)
    target = tmp_path / "out"
    target.mkdir()
    with qtbot.waitSignal(exports.finished, timeout=60_000):
        exports.start_ledger(target / "bku")
    assert (target / "bku.xlsx").exists() and exports.progress.value() == 100
    assert "Selesai" in window.findChild(QLabel, "exportMessage").text()
    assert exports.ledger_button.isEnabled() and not exports.cancel_button.isEnabled()

    release = threading.Event()
    real = reports.ledger.receipt_count

    def slow_count(*args, **kwargs):
        release.wait(30)
        return real(*args, **kwargs)
    monkeypatch.setattr(reports.ledger, "receipt_count", slow_count)
    with qtbot.waitSignal(exports.finished, timeout=60_000):
        exports.report_month.setCurrentIndex(0)
        exports.start_ledger(target / "kedua.xlsx")
        assert exports.running and exports.cancel_button.isEnabled() and not exports.ledger_button.isEnabled()
        qtbot.mouseClick(window.findChild(QPushButton, "cancelExport"), LEFT)
        release.set()
    assert "dibatalkan" in window.findChild(QLabel, "exportMessage").text()
    assert sorted(p.name for p in target.iterdir()) == ["bku.xlsx"]


def test_export_to_a_folder_that_cannot_be_written_says_so(qtbot, office, panel, tmp_path):
    window = panel()
    with qtbot.waitSignal(window.exports.finished, timeout=60_000):
        window.exports.start_report(tmp_path / "tidak-ada" / "laporan.xlsx")
    assert "tidak dapat ditulisi" in window.findChild(QLabel, "exportMessage").text()
    assert not (tmp_path / "tidak-ada").exists()


def test_only_a_treasurer_opens_the_panel_and_every_control_is_named(qtbot, office, panel):
    with pytest.raises(PermissionDenied):
        TreasurerWindow(office.db, office.officer)
    invoiced(office)
    window = panel()
    dialog = open_form(qtbot, window)
    for root in (window, dialog):
        for kind in (QAbstractButton, QLineEdit, QComboBox, QTableWidget, QDateEdit, QDateTimeEdit, QSpinBox,
                     QPlainTextEdit, QCheckBox):
            for widget in root.findChildren(kind):
                if widget.objectName().startswith("qt_") or not widget.isVisibleTo(root) or \
                        type(widget).__name__ in ("QToolButton", "QCalendarWidget"):
                    continue
                assert widget.objectName() and widget.accessibleName(), (kind.__name__, widget.text()
                                                                         if hasattr(widget, "text") else widget)


def test_a_proof_used_before_asks_for_a_reason_and_records_it(qtbot, office, panel, data_file, monkeypatch):
    from ui.treasurer import payment as payment_form

    first, _second = invoiced(office), invoiced(office)
    proof = data_file("bukti-sama.pdf", 400)
    with office.session() as s:
        invoice = s.get(Invoice, first)
        billing.record_payment(s, office.treasurer, first, method=PaymentMethod.TRANSFER, amount=invoice.total,
                               idempotency_key="first", ntb="TRF1", proof_file=proof)
    asked = []
    answers = iter(["", "Satu transfer untuk dua invoice pemohon yang sama."])

    def ask(parent, title, explanation, label, field):
        asked.append(explanation)
        return next(answers)

    monkeypatch.setattr(payment_form, "ask_reason", ask)
    window = panel()
    dialog = open_form(qtbot, window)
    qtbot.mouseClick(dialog.findChild(QAbstractButton, "method_transfer"), LEFT)
    dialog.issue_now.setChecked(False)
    set_text(qtbot, dialog.findChild(QLineEdit, "transferNtb"), "TRF2")
    set_text(qtbot, dialog.findChild(QLineEdit, "proofFile"), str(proof))
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePayment"), LEFT)  # the reason is not given: nothing
    assert count(office, Payment) == 1 and "SHA-256 sama" in asked[0]
    assert "SHA-256 sama" in dialog.findChild(QLabel, "paymentMessage").text()
    dialog.proof_reason = ""
    qtbot.mouseClick(dialog.findChild(QPushButton, "savePayment"), LEFT)
    assert count(office, Payment) == 2
    with office.session() as s:
        again = s.scalars(select(Payment).order_by(Payment.id.desc())).first()
        assert again.proof_reuse_reason.startswith("Satu transfer")


def test_with_two_receiving_accounts_the_confirmation_asks_which_or_takes_the_payments(qtbot, office, panel,
                                                                                       data_file, monkeypatch):
    """Two active accounts: a transfer recorded without one asks which it reached (cancel: nothing
    changes); one recorded with its account is confirmed on that account without asking."""
    from ui.treasurer import tabs

    first, second = invoiced(office), invoiced(office)
    with office.session() as s:
        bri = receiving.add(s, office.supervisor, bank="Bank BRI", number="0123-01-000456-30-1",
                            holder="BPS Kota Ambon").id
        mandiri = receiving.add(s, office.supervisor, bank="Bank Mandiri", number="150-00-1234567-8",
                                holder="BPS Kota Ambon").id
        unnamed = billing.record_payment(s, office.treasurer, first, method=PaymentMethod.TRANSFER,
                                         amount=s.get(Invoice, first).total, idempotency_key="two-a", ntb="TRF21",
                                         proof_file=data_file("bukti-21.pdf", 300, fill=b"1")).id
        named = billing.record_payment(s, office.treasurer, second, method=PaymentMethod.TRANSFER,
                                       amount=s.get(Invoice, second).total, idempotency_key="two-b", ntb="TRF22",
                                       proof_file=data_file("bukti-22.pdf", 300, fill=b"2"),
                                       receiving_account_id=bri).id
    asked: list[list[str]] = []
    answers = iter([("", False), ("Bank Mandiri 150-00-1234567-8 a.n. BPS Kota Ambon", True)])

    def pick(_parent, _title, _label, items, *_rest):
        asked.append(list(items))
        return next(answers)

    monkeypatch.setattr(tabs.QInputDialog, "getItem", pick)
    window = panel()
    tab = window.receipts

    def confirm(payment_id: int) -> None:
        with office.session() as s:
            number = s.get(Invoice, s.get(Payment, payment_id).invoice_id).number
        row = next(r for r in range(tab.pending.rowCount())
                   if any(tab.pending.item(r, c) and tab.pending.item(r, c).text() == number
                          for c in range(tab.pending.columnCount())))
        tab.pending.selectRow(row)
        qtbot.mouseClick(tab.findChild(QPushButton, "confirmOnAccount"), LEFT)

    confirm(unnamed)  # asked, cancelled: nothing confirmed
    with office.session() as s:
        assert s.get(Payment, unnamed).confirmed_at is None
    confirm(unnamed)
    confirm(named)
    assert len(asked) == 2 and all(len(items) == 2 for items in asked)
    with office.session() as s:
        assert s.get(Payment, unnamed).receiving_account_id == mandiri
        assert s.get(Payment, named).receiving_account_id == bri
        assert s.get(Payment, unnamed).confirmed_at and s.get(Payment, named).confirmed_at


def test_the_treasurer_confirms_a_transfer_on_the_receiving_account(qtbot, office, panel, data_file):
    invoice_id = invoiced(office)
    with office.session() as s:
        receiving.add(s, office.supervisor, bank="Bank BRI", number="0123-01-000456-30-1", holder="BPS Kota Ambon")
        total = s.get(Invoice, invoice_id).total
        payment = billing.record_payment(s, office.treasurer, invoice_id, method=PaymentMethod.TRANSFER,
                                         amount=total, idempotency_key="conf", ntb="TRF9",
                                         proof_file=data_file("bukti-9.pdf", 300, fill=b"9"))
        payment_id = payment.id
    window = panel()
    tab = window.receipts
    tab.pending.selectRow(0)
    qtbot.mouseClick(tab.findChild(QPushButton, "confirmOnAccount"), LEFT)
    assert "dikonfirmasi" in tab.findChild(QLabel, "receiptMessage").text()
    with office.session() as s:
        confirmed = s.get(Payment, payment_id)
        assert confirmed.confirmed_at is not None and confirmed.confirmed_by_id == office.treasurer.account_id


def test_payments_awaiting_their_kuitansi_page_forward_and_back(qtbot, office, panel):
    paid = [office.paid(full_name=f"Pembayar {n:02d}", phone=f"0812340000{n:02d}")[1] for n in range(10)]
    window = panel()
    label = window.findChild(QLabel, "pendingPageLabel")
    following, previous = window.findChild(QPushButton, "pendingNext"), window.findChild(QPushButton, "pendingPrevious")
    table = window.receipts.pending

    def shown() -> list[str]:
        return [table.item(row, 1).text() for row in range(table.rowCount())]

    assert label.text() in ("1–8 dari 10", "1–8 of 10") and shown() == [f"Pembayar {n:02d}" for n in range(8)]
    assert following.isEnabled() and not previous.isEnabled()
    qtbot.mouseClick(following, LEFT)
    assert label.text() in ("9–10 dari 10", "9–10 of 10") and shown() == ["Pembayar 08", "Pembayar 09"]
    assert not following.isEnabled() and previous.isEnabled()
    qtbot.mouseClick(previous, LEFT)
    assert shown() == [f"Pembayar {n:02d}" for n in range(8)] and len(paid) == 10


def test_an_online_transfer_gets_its_kuitansi_only_after_the_confirmation(qtbot, office, panel, data_file):
    rid = online_request(office)
    with office.session() as s:
        receiving.add(s, office.supervisor, bank="Bank BRI", number="0123-01-000456-30-1", holder="BPS Kota Ambon")
        invoice = billing.issue_invoice(s, office.officer, rid)
        billing.record_payment(s, office.treasurer, invoice.id, method=PaymentMethod.TRANSFER, amount=invoice.total,
                               idempotency_key="online", ntb="TRF10", proof_file=data_file("bukti-10.pdf", 300))
        number = invoice.number
    cash_rid, _cash = office.paid(full_name="Pembayar Tunai", phone="081234000099")
    window = panel()
    tab = window.receipts
    window.tabs.setCurrentWidget(tab)
    issue, confirm = tab.findChild(QPushButton, "issueReceipt"), tab.findChild(QPushButton, "confirmOnAccount")
    hint = tab.findChild(QLabel, "pendingHint")
    rows = {tab.pending.item(r, 0).text(): r for r in range(tab.pending.rowCount())}
    status = tab.pending.columnCount() - 1
    assert tab.pending.horizontalHeaderItem(status).text() == "Status"
    assert tab.pending.item(rows[number], status).text() == 'Cek rekening: tekan "Dana masuk rekening ✓"'
    assert tab.pending.item(rows[number], 0).background().color().name() == "#fff4d6"
    tab.pending.selectRow(rows[number])
    assert confirm.isEnabled() and not issue.isEnabled()  # the one thing to do: check the account
    assert hint.isVisible() and f"Transfer invoice {number} belum dikonfirmasi" in hint.text()
    cash_row = next(r for n, r in rows.items() if n != number)
    assert tab.pending.item(cash_row, status).text() == "Siap dibuatkan kuitansi"
    tab.pending.selectRow(cash_row)
    assert issue.isEnabled() and not confirm.isEnabled() and not hint.isVisible()
    tab.pending.selectRow(rows[number])
    qtbot.mouseClick(confirm, LEFT)
    assert tab.pending.item(rows[number], status).text().startswith("Dana masuk rekening ✓ ")
    assert selected_key(tab.pending) is not None and tab.pending.currentRow() == rows[number]
    assert issue.isEnabled() and not confirm.isEnabled() and not hint.isVisible()
    qtbot.mouseClick(issue, LEFT)
    assert count(office, Receipt) == 1 and tab.pending.rowCount() == 1 and cash_rid

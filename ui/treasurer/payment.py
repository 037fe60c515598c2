"""The payment form: cash (amount received and change), a SIMPONI billing code paid at a bank, post
office or ATM (NTPN, NTB, bank, payment date), or a bank transfer with its proof file.

One form has one idempotency key: pressing Save twice, or again after a failure half-way, records the
payment once. Every rule is the service's; the form only shows its refusal in place and keeps what was
typed."""

from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from exports.text import terbilang
from models import Channel, PaymentMethod
from pstdesktop.bootstrap import Database
from pstdesktop.services import ledger, receiving
from pstdesktop.services.access import Actor
from pstdesktop.services.errors import DomainError
from ui.evidence import ask_reason
from ui.i18n import language, tr
from ui.treasurer.common import HEADLINE_STYLE, MUTED_STYLE, Banner, money, parse_rupiah
from ui.widgets import fit_to_screen, named, office_now, to_utc

BANKS = ("BRI", "BNI", "Bank Mandiri", "BTN", "BSI", "Bank Maluku Malut", "Bank Jambi", "PT Pos Indonesia")


class PaymentDialog(QDialog):
    """Record the payment of one invoice. ``recorded(payment_id, issue_receipt)`` is emitted once the
    payment is in the database."""

    recorded = Signal(int, bool)

    def __init__(self, database: Database, actor: Actor, invoice: ledger.InvoiceRow, zone_name: str, parent=None):
        super().__init__(parent)
        self.database, self.actor, self.invoice, self.zone = database, actor, invoice, zone_name
        self.idempotency_key = f"ui-{uuid.uuid4().hex}"
        self.payment_id: int | None = None
        self.setWindowTitle(tr(f"Terima pembayaran — {invoice.number}", f"Take payment — {invoice.number}"))
        self.setMinimumWidth(560)
        fit_to_screen(self)  # its size hint, within the screen, when shown
        named(self, "paymentDialog", tr("Terima pembayaran", "Take payment"))

        title = QLabel(f"<b>{invoice.number}</b> · {invoice.request_number}<br>"
                       f"{invoice.payer}" + (f" — {invoice.institution}" if invoice.institution else ""))
        total = named(QLabel(money(invoice.total)), "paymentTotal", tr("Jumlah tagihan", "Amount due"))
        total.setStyleSheet(HEADLINE_STYLE)
        words = QLabel(f"<i>{terbilang(invoice.total)}</i>")
        words.setStyleSheet(MUTED_STYLE)
        words.setWordWrap(True)

        self.methods = QButtonGroup(self)
        method_row = QHBoxLayout()
        for method, label_id, label_en in ((PaymentMethod.CASH, "Tunai", "Cash"),
                                           (PaymentMethod.SIMPONI, "SIMPONI (kode billing)", "SIMPONI (billing code)"),
                                           (PaymentMethod.TRANSFER, "Transfer bank", "Bank transfer")):
            button = named(QRadioButton(tr(label_id, label_en)), f"method_{method.value}", tr(label_id, label_en))
            button.setProperty("method", method.value)
            self.methods.addButton(button)
            method_row.addWidget(button)
        method_row.addStretch(1)

        self.amount = named(QLineEdit(f"{invoice.total:,}".replace(",", ".")), "amountPaid",
                            tr("Jumlah dibayar", "Amount paid"))
        self.amount.setToolTip(tr("Harus sama dengan jumlah tagihan; pembayaran sebagian atau lebih ditolak.",
                                  "Must equal the amount due; partial or over payment is refused."))
        self.form = QFormLayout()
        self.form.addRow(tr("Cara bayar", "Payment method"), method_row)
        self.form.addRow(tr("Jumlah dibayar (Rp)", "Amount paid (Rp)"), self.amount)
        self.rows: dict[PaymentMethod, list[QWidget]] = {
            PaymentMethod.CASH: self._cash_rows(), PaymentMethod.SIMPONI: self._simponi_rows(),
            PaymentMethod.TRANSFER: self._transfer_rows()}

        self.issue_now = named(QCheckBox(tr("Terbitkan kuitansi setelah disimpan", "Issue the receipt once saved")),
                               "issueReceiptNow", tr("Terbitkan kuitansi", "Issue the receipt"))
        self.issue_now.setChecked(True)
        self.message = Banner("paymentMessage")
        self.save_button = named(QPushButton(tr("Simpan pembayaran", "Save payment")), "savePayment",
                                 tr("Simpan pembayaran", "Save payment"))
        self.save_button.setDefault(True)
        cancel = named(QPushButton(tr("Batal", "Cancel")), "cancelPayment", tr("Batal", "Cancel"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.issue_now, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(total)
        layout.addWidget(words)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.methods.buttonToggled.connect(self._method_changed)
        self.amount.textChanged.connect(self._update_change)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        if not invoice.billing_code:  # the officer records the billing code SIMPONI gave
            simponi = self.method_button(PaymentMethod.SIMPONI)
            simponi.setEnabled(False)
            simponi.setToolTip(tr("Invoice ini belum memiliki kode billing SIMPONI (dicatat petugas layanan).",
                                  "This invoice has no SIMPONI billing code yet (the service officer records it)."))
        default = (PaymentMethod.SIMPONI if invoice.billing_code else
                   PaymentMethod.TRANSFER if invoice.channel is Channel.ONLINE else PaymentMethod.CASH)
        self.method_button(default).setChecked(True)

    # --- the rows of each method (one aligned form; only the chosen method's rows are shown) ----------
    def _row(self, label: str, field) -> QWidget:
        if not isinstance(field, QWidget):
            holder = QWidget()
            holder.setLayout(field)
            field.setContentsMargins(0, 0, 0, 0)
            field = holder
        self.form.addRow(label, field)
        return field

    def _cash_rows(self) -> list[QWidget]:
        self.tendered = named(QLineEdit(), "cashTendered", tr("Uang diterima", "Cash received"))
        self.tendered.setPlaceholderText(tr("contoh: 3.000.000", "e.g. 3.000.000"))
        self.change = named(QLabel("-"), "cashChange", tr("Kembalian", "Change"))
        self.change.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.tendered.textChanged.connect(self._update_change)
        return [self._row(tr("Uang diterima (Rp)", "Cash received (Rp)"), self.tendered),
                self._row(tr("Kembalian", "Change"), self.change)]

    def _simponi_rows(self) -> list[QWidget]:
        code = self.invoice.billing_code or tr("(invoice ini belum memiliki kode billing)", "(no billing code yet)")
        expiry = f" · {tr('berlaku s.d.', 'valid until')} {self.invoice.billing_expires}" \
            if self.invoice.billing_expires else ""
        billing = named(QLabel(f"{code}{expiry}"), "billingCode", tr("Kode billing", "Billing code"))
        if self.invoice.expired:
            billing.setStyleSheet("color: #8a1c13; font-weight: 600;")
        self.ntpn = named(QLineEdit(), "ntpn", "NTPN")
        self.ntpn.setMaxLength(20)
        self.ntpn.setPlaceholderText(tr("16 huruf/angka dari bukti bayar", "16 letters/digits from the proof"))
        self.ntb = named(QLineEdit(), "ntb", "NTB")
        self.ntb.setMaxLength(32)
        self.simponi_bank = self._bank_combo("simponiBank")
        self.simponi_paid_at = self._date_edit("simponiPaidAt")
        return [self._row(tr("Kode billing", "Billing code"), billing), self._row("NTPN", self.ntpn),
                self._row("NTB", self.ntb), self._row(tr("Bank/Pos/ATM", "Bank/Post/ATM"), self.simponi_bank),
                self._row(tr("Tanggal bayar", "Payment date"), self.simponi_paid_at)]

    def _transfer_rows(self) -> list[QWidget]:
        self.transfer_bank = self._bank_combo("transferBank")
        self.transfer_ntb = named(QLineEdit(), "transferNtb", tr("Nomor referensi transfer", "Transfer reference"))
        self.transfer_ntb.setPlaceholderText(tr("dari bukti transfer (berita: nomor invoice)",
                                                "from the proof (message: the invoice number)"))
        self.transfer_ntb.setMaxLength(32)
        self.transfer_paid_at = self._date_edit("transferPaidAt")
        self.proof = named(QLineEdit(), "proofFile", tr("Bukti transfer", "Proof of transfer"))
        self.proof.setPlaceholderText(tr("berkas bukti transfer dari pemohon (PDF/JPG)", "the requester's proof (PDF/JPG)"))
        browse = named(QPushButton(tr("Pilih berkas…", "Choose file…")), "chooseProof",
                       tr("Pilih berkas bukti", "Choose proof file"))
        browse.clicked.connect(self._choose_proof)
        row = QHBoxLayout()
        row.addWidget(self.proof, 1)
        row.addWidget(browse)
        self.receiving = named(QComboBox(), "receivingAccount", tr("Rekening penerimaan", "Receiving account"))
        try:
            with self.database.unit_of_work() as session:
                accounts = receiving.accounts(session, self.actor, active_only=True)
        except Exception:  # shown as an empty list; recording says why if it matters
            accounts = []
        for account in accounts:
            self.receiving.addItem(account.line(), account.account_id)
        if not accounts:
            self.receiving.addItem(tr("(belum ada rekening penerimaan di profil kantor)",
                                      "(no receiving account in the office profile)"), None)
        self.confirmed = named(QCheckBox(tr("Dana sudah dicek masuk di rekening penerimaan",
                                            "Checked: the money is on the receiving account")),
                               "transferConfirmed", tr("Dana masuk rekening penerimaan", "Money on the account"))
        self.proof_reason = ""
        return [self._row(tr("Bank pengirim", "Sending bank"), self.transfer_bank),
                self._row(tr("Nomor referensi transfer", "Transfer reference"), self.transfer_ntb),
                self._row(tr("Tanggal transfer", "Transfer date"), self.transfer_paid_at),
                self._row(tr("Bukti transfer", "Proof of transfer"), row),
                self._row(tr("Ke rekening", "To account"), self.receiving),
                self._row("", self.confirmed)]

    def _bank_combo(self, name: str) -> QComboBox:
        combo = named(QComboBox(), name, tr("Bank", "Bank"))
        combo.setEditable(True)
        combo.addItems(BANKS)
        combo.setCurrentText("")
        return combo

    def _date_edit(self, name: str) -> QDateTimeEdit:
        edit = named(QDateTimeEdit(), name, tr("Tanggal bayar", "Payment date"))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd-MM-yyyy HH:mm")
        edit.setDateTime(office_now(self.zone))
        return edit

    def _choose_proof(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Bukti transfer", "Proof of transfer"), "",
                                              tr("Bukti (*.pdf *.jpg *.jpeg *.png)", "Proof (*.pdf *.jpg *.jpeg *.png)"))
        if path:
            self.proof.setText(path)

    # --- behaviour ---------------------------------------------------------------------------------
    def method_button(self, method: PaymentMethod) -> QRadioButton:
        return next(b for b in self.methods.buttons() if b.property("method") == method.value)

    @property
    def method(self) -> PaymentMethod:
        checked = self.methods.checkedButton()
        return PaymentMethod(checked.property("method")) if checked else PaymentMethod.CASH

    def _method_changed(self, _button, checked: bool) -> None:
        if checked:
            for method, widgets in self.rows.items():
                for widget in widgets:
                    self.form.setRowVisible(widget, method is self.method)
            self.message.clear_message()
            self.adjustSize()

    def _update_change(self) -> None:
        paid, tendered = parse_rupiah(self.amount.text()), parse_rupiah(self.tendered.text())
        if paid is None or tendered is None:
            self.change.setText("-")
        elif tendered < paid:
            self.change.setText(tr(f"kurang {money(paid - tendered)}", f"short by {money(paid - tendered)}"))
        else:
            self.change.setText(money(tendered - paid))

    def _moment(self, edit: QDateTimeEdit) -> datetime:
        """The moment shown (office time) as an aware datetime."""
        return to_utc(edit.dateTime(), self.zone)

    def arguments(self) -> dict:
        method = self.method
        args: dict = {"method": method, "amount": self.amount.text(), "idempotency_key": self.idempotency_key}
        if method is PaymentMethod.CASH:
            args["cash_tendered"] = self.tendered.text() or self.amount.text()
        elif method is PaymentMethod.SIMPONI:
            args.update(ntpn=self.ntpn.text(), ntb=self.ntb.text(), bank=self.simponi_bank.currentText(),
                        paid_at=self._moment(self.simponi_paid_at))
        else:
            args.update(ntb=self.transfer_ntb.text(), bank=self.transfer_bank.currentText(),
                        paid_at=self._moment(self.transfer_paid_at), proof_file=self.proof.text().strip() or None,
                        proof_reuse_reason=self.proof_reason, receiving_account_id=self.receiving.currentData(),
                        confirmed=self.confirmed.isChecked())
        return args

    def save(self) -> None:
        """Record the payment (the same key every time this form saves)."""
        self.save_button.setEnabled(False)
        try:
            with self.database.unit_of_work() as session:
                payment = ledger.take_payment(session, self.actor, self.invoice.invoice_id, **self.arguments())
                payment_id = payment.id
        except Exception as error:  # refused: shown in place, nothing changed, the form keeps its input
            self.save_button.setEnabled(True)
            if isinstance(error, DomainError) and error.code == "proof_reused" and not self.proof_reason:
                self.proof_reason = ask_reason(
                    self, tr("Bukti transfer sudah dipakai", "Proof already used"), error.message(language()),
                    tr("Alasan bukti ini diterima lagi", "Why this proof is accepted again"), "proof_reuse_reason")
                if self.proof_reason:
                    self.save()
                    return
            self.message.error(error)
            return
        first = self.payment_id is None
        self.payment_id = payment_id
        self.accept()
        if first:
            self.recorded.emit(payment_id, self.issue_now.isChecked())

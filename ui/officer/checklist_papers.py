"""The paper side of the checklist: the request itself, the invoice with its payment and kuitansi,
the SPPD (signed, originals by post) and, online, what was sent to the requester. Proofs and scans are
stored with the database and open on any PC."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from models import Channel, PaymentMethod, RequestState
from pstdesktop.services import billing, delivery, online
from pstdesktop.services.errors import DomainError
from pstdesktop.services.online import CaseFile
from ui import evidence as stored
from ui.i18n import number_text, tr
from ui.officer.common import billing_expiry_field, hint, money, primary
from ui.officer.labels import CATEGORIES, PAYMENT, PURPOSES, word
from ui.officer.preview import open_preview
from ui.widgets import named, office_datetime, office_now, to_utc

S = RequestState
CLOSED_STATES = (S.REDIRECTED, S.CANCELLED, S.CLOSED)


def _label(name: str, accessible: str) -> QLabel:
    label = named(QLabel(""), name, accessible)
    label.setWordWrap(True)
    return label


class Section(QGroupBox):
    """One box of the checklist; each kind shows its part of the case in ``show_case(case)``."""

    def __init__(self, owner, title: str, name: str):
        super().__init__(title)
        named(self, name, title)
        self.owner = owner

    def preview(self, kind: str, ident: int, number: str) -> None:
        """A reprint: rendered again from the issued document, marked as a copy."""
        self.owner.previews = getattr(self.owner, "previews", [])
        self.owner.previews.append(open_preview(self.owner, self.owner.database, self.owner.actor, kind, ident,
                                                number, copy=True))


def items_html(case: CaseFile) -> str:
    """The products as a short list: title, region, product, quantity, fee and its formula."""
    rows = []
    for item in case.items:
        where = f" — {escape(item.region)}" if item.region and item.region != "Indonesia" else ""
        year = f" ({item.year})" if item.year else ""
        quantity = number_text(item.quantity) + f" {escape(item.unit)}"
        fee = f" · <b>{money(item.price)}</b>" if item.price is not None else ""
        chosen = tr(f"<br>Variabel: {escape(item.variables)}", f"<br>Variables: {escape(item.variables)}") \
            if item.variables else ""
        formula = f"<br><span style='color:#5f6368'>{escape(item.formula)}</span>" if item.formula else ""
        rows.append(f"<li><b>{escape(item.title)}{year}</b>{where}<br>{escape(item.product_name)} · {quantity}{fee}"
                    f"{chosen}{formula}</li>")
    return f"<ul style='margin-left:-20px'>{''.join(rows)}</ul>"


class SummaryBox(Section):
    def __init__(self, owner):
        super().__init__(owner, tr("Permintaan", "Request"), "summaryBox")
        self.who = _label("summaryRequester", tr("Pemohon", "Requester"))
        self.abstraction = _label("summaryAbstraction", tr("Abstraksi", "Abstraction"))
        self.items = _label("summaryItems", tr("Produk", "Products"))
        self.total = _label("summaryTotal", tr("Total biaya", "Total fee"))
        self.waiver = _label("summaryWaiver", tr("Tarif Rp0", "Rp0 tariff"))
        layout = QVBoxLayout(self)
        for widget in (self.who, self.abstraction, self.items, self.total, self.waiver):
            layout.addWidget(widget)

    def show_case(self, case: CaseFile) -> None:
        self.who.setText(tr(
            f"HP {escape(case.phone)} · {escape(case.email)}" + (f" · {case.identity}" if case.identity else "")
            + f" · diterima {case.received}",
            f"Mobile {escape(case.phone)} · {escape(case.email)}" + (f" · {case.identity}" if case.identity else "")
            + f" · received {case.received}"))
        self.abstraction.setText(tr(f"<b>Abstraksi:</b> {escape(case.abstraction) or '-'}",
                                    f"<b>Abstraction:</b> {escape(case.abstraction) or '-'}"))
        self.items.setText(items_html(case))
        priced = all(item.price is not None for item in case.items)
        total = sum(item.price or 0 for item in case.items)
        if not priced:
            self.total.setText(tr("Biaya ditetapkan saat permintaan dinyatakan sesuai.",
                                  "The fee is fixed when the request is approved."))
        elif case.waived:
            self.total.setText(tr(f"<b>Dibayar Rp0</b> (tarif normal {money(case.waiver['normal_amount'])})",
                                  f"<b>To pay Rp0</b> (normal tariff {money(case.waiver['normal_amount'])})"))
        else:
            self.total.setText(f"<b style='font-size:12pt'>Total {money(total)}</b>")
        w = case.waiver
        self.waiver.setVisible(w is not None)
        if w is not None:
            self.waiver.setText(tr(
                f"<b>Tarif Rp0</b>: {word(CATEGORIES, w['category'])} · {word(PURPOSES, w['purpose'])} · surat "
                f"{escape(w['letter_number'])} tanggal {w['letter_date']} · disetujui {escape(w['approved_by'])}",
                f"<b>Rp0 tariff</b>: {word(CATEGORIES, w['category'])} · {word(PURPOSES, w['purpose'])} · letter "
                f"{escape(w['letter_number'])} of {w['letter_date']} · approved by {escape(w['approved_by'])}"))
        if case.referral:
            self.waiver.setVisible(True)
            self.waiver.setText(tr(f"<b>Dialihkan ke konsultasi statistik</b>: {escape(case.referral)}",
                                   f"<b>Redirected to statistical consultation</b>: {escape(case.referral)}"))


class InvoiceBox(Section):
    """Invoice (issue, billing code, reprint), payment with the transfer proof, kuitansi (reprint)."""

    def __init__(self, owner):
        super().__init__(owner, tr("Invoice, pembayaran dan kuitansi", "Invoice, payment and receipt"), "invoiceSection")
        self.state = _label("invoiceStatus", tr("Invoice", "Invoice"))
        self.billing_code = named(QLineEdit(), "checklistBillingCode", tr("Kode billing SIMPONI", "SIMPONI billing code"))
        self.billing_code.setPlaceholderText(tr("15 digit dari SIMPONI", "15 digits from SIMPONI"))
        self.expiry_label = QLabel(tr("Berlaku s.d.", "Valid until"))
        self.expiry_hint = hint(tr("sesuai cetakan SIMPONI", "as printed by SIMPONI"))
        self.expiry_hint.setWordWrap(False)
        self.billing_code.setMinimumWidth(self.billing_code.fontMetrics().horizontalAdvance("0" * 18))
        self.billing_expiry = billing_expiry_field("checklistBillingExpiry")
        self.expiry_label.setBuddy(self.billing_expiry)
        self.issue_button = primary(named(QPushButton(tr("Terbitkan invoice", "Issue the invoice")),
                                          "checklistIssueInvoice", tr("Terbitkan invoice", "Issue the invoice")))
        self.code_button = named(QPushButton(tr("Simpan kode billing", "Save the billing code")), "checklistSaveCode",
                                 tr("Simpan kode billing", "Save the billing code"))
        self.reprint_invoice = named(QPushButton(tr("Cetak ulang invoice", "Reprint the invoice")),
                                     "reprintInvoice", tr("Cetak ulang invoice", "Reprint the invoice"))
        self.payment = _label("paymentStatus", tr("Pembayaran", "Payment"))
        self.proof_button = named(QPushButton(tr("Buka bukti transfer", "Open the transfer proof")), "openProof",
                                  tr("Buka bukti transfer", "Open the transfer proof"))
        self.receipt = _label("receiptStatus", tr("Kuitansi", "Receipt"))
        self.receipt_scan_button = named(QPushButton(tr("Simpan pindaian kuitansi…", "Store the receipt scan…")),
                                         "attachReceiptScan", tr("Simpan pindaian kuitansi", "Store the receipt scan"))
        self.open_scan_button = named(QPushButton(tr("Buka pindaian kuitansi", "Open the receipt scan")),
                                      "openReceiptScan", tr("Buka pindaian kuitansi", "Open the receipt scan"))
        self.receipt_scan_button.clicked.connect(self.attach_receipt_scan)
        self.open_scan_button.clicked.connect(
            lambda: stored.open_stored(self.owner, self.owner.database, self.owner.actor,
                                       self.owner.case.receipt_scan.evidence_id))
        self.reprint_receipt = named(QPushButton(tr("Cetak ulang kuitansi", "Reprint the receipt")), "reprintReceipt",
                                     tr("Cetak ulang kuitansi", "Reprint the receipt"))
        self.issue_button.clicked.connect(self.issue)
        self.code_button.clicked.connect(self.save_code)
        self.reprint_invoice.clicked.connect(
            lambda: self.preview("invoice", self.owner.case.invoice_id, self.owner.case.invoice_number))
        self.reprint_receipt.clicked.connect(
            lambda: self.preview("receipt", self.owner.case.receipt_id, self.owner.case.receipt_number))
        self.proof_button.clicked.connect(self.open_proof)
        code_row = QHBoxLayout()
        code_row.addWidget(self.billing_code, 1)
        code_row.addWidget(self.issue_button)
        code_row.addWidget(self.code_button)
        code_row.addWidget(self.reprint_invoice)
        code_row.addStretch(1)
        pay_row = QHBoxLayout()
        pay_row.addWidget(self.proof_button)
        pay_row.addStretch(1)
        receipt_row = QHBoxLayout()
        receipt_row.addWidget(self.reprint_receipt)
        receipt_row.addWidget(self.receipt_scan_button)
        receipt_row.addWidget(self.open_scan_button)
        receipt_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        expiry_row = QHBoxLayout()
        for widget in (self.expiry_label, self.billing_expiry, self.expiry_hint):
            expiry_row.addWidget(widget)
        expiry_row.addStretch(1)
        layout.addLayout(code_row)
        layout.addLayout(expiry_row)
        layout.addWidget(self.payment)
        layout.addLayout(pay_row)
        layout.addWidget(self.receipt)
        layout.addLayout(receipt_row)

    def show_case(self, case: CaseFile) -> None:
        self.setVisible(case.state not in (S.REDIRECTED,))
        issued = bool(case.invoice_number)
        can_issue = not case.waived and not issued and case.state not in CLOSED_STATES
        if case.waived:
            self.state.setText(tr("Tarif Rp0: tanpa invoice dan tanpa pembayaran.", "Rp0 tariff: no invoice, no payment."))
        elif issued:
            code = (tr(f"kode billing {case.billing_code} (berlaku s.d. {case.billing_expires})",
                       f"billing code {case.billing_code} (valid until {case.billing_expires})")
                    if case.billing_code else tr("tanpa kode billing", "no billing code"))
            self.state.setText(f"<b>{case.invoice_number}</b> · {money(case.invoice_total)} · {code}")
        elif case.state in (S.DRAFT, S.SUBMITTED):
            self.state.setText(tr("Invoice diterbitkan setelah permintaan dinyatakan sesuai.",
                                  "The invoice is issued once the request is approved."))
        else:
            self.state.setText(tr("Belum ada invoice.", "No invoice yet."))
        typing_code = can_issue or (issued and not case.billing_code and case.invoice_status == "issued")
        self.billing_code.setVisible(typing_code)
        for widget in (self.expiry_label, self.billing_expiry, self.expiry_hint):
            widget.setVisible(typing_code)
        if typing_code and not self.billing_code.text().strip():  # keep what the officer is typing
            self.default_expiry(case.time_zone)
        self.issue_button.setVisible(can_issue)
        self.code_button.setVisible(issued and not case.billing_code and case.invoice_status == "issued")
        self.reprint_invoice.setVisible(issued)
        method = case.payment_method
        if method is None:
            self.payment.setText(tr("Pembayaran: belum diterima bendahara.", "Payment: not yet received by the treasurer.")
                                 if not case.waived else "")
        else:
            text = tr(f"Dibayar {case.paid} · {word(PAYMENT, method)}", f"Paid {case.paid} · {word(PAYMENT, method)}")
            if case.proof is not None:
                text += tr("<br>Bukti transfer: ", "<br>Transfer proof: ") + stored.line(case.proof)
            elif case.proof_file:  # recorded as a path before proofs were stored with the database
                text += tr(f"<br>Bukti transfer (berkas di PC pencatat): <b>{escape(case.proof_file)}</b>",
                           f"<br>Transfer proof (file on the recording PC): <b>{escape(case.proof_file)}</b>")
            if case.proof_used_by:
                used = ", ".join(case.proof_used_by)
                text += tr(f"<br><span style='color:#b00020'>⚠ Bukti yang sama juga untuk invoice {used}</span>"
                           f" — alasan: {escape(case.proof_reuse_reason) or '-'}",
                           f"<br><span style='color:#b00020'>⚠ The same proof is also on invoice {used}</span>"
                           f" — reason: {escape(case.proof_reuse_reason) or '-'}")
            if method is PaymentMethod.TRANSFER:
                text += (tr(f"<br>Dana masuk rekening penerimaan: dikonfirmasi bendahara {case.confirmed}.",
                            f"<br>Money on the receiving account: confirmed by the treasurer {case.confirmed}.")
                         if case.confirmed else
                         tr("<br>Dana masuk rekening penerimaan: belum dikonfirmasi bendahara.",
                            "<br>Money on the receiving account: not yet confirmed by the treasurer."))
            self.payment.setText(text)
        self.payment.setVisible(bool(self.payment.text()))
        self.proof_button.setVisible(method is PaymentMethod.TRANSFER and (case.proof is not None or bool(case.proof_file)))
        receipt = ""
        if case.receipt_number:
            receipt = tr(f"Kuitansi <b>{case.receipt_number}</b>", f"Receipt <b>{case.receipt_number}</b>")
            if case.receipt_scan is not None:
                receipt += tr("<br>Pindaian bertanda tangan: ", "<br>Signed scan: ") + stored.line(case.receipt_scan)
            elif case.channel is Channel.ONLINE:
                receipt += tr("<br>Pindaian kuitansi bertanda tangan: belum disimpan.",
                              "<br>Scan of the signed receipt: not stored yet.")
        self.receipt.setText(receipt)
        self.receipt.setVisible(bool(case.receipt_number))
        self.reprint_receipt.setVisible(bool(case.receipt_number))
        self.receipt_scan_button.setVisible(bool(case.receipt_number) and case.state not in CLOSED_STATES)
        self.receipt_scan_button.setText(tr("Ganti pindaian kuitansi…", "Replace the receipt scan…")
                                         if case.receipt_scan else
                                         tr("Simpan pindaian kuitansi…", "Store the receipt scan…"))
        self.open_scan_button.setVisible(case.receipt_scan is not None)

    def default_expiry(self, zone_name: str) -> None:
        """The office's validity from now; the officer overwrites it with the expiry SIMPONI printed."""
        try:
            with self.owner.database.unit_of_work() as session:
                moment = billing.default_billing_expiry(session, self.owner.actor)
        except DomainError:
            return
        self.billing_expiry.setDateTime(office_datetime(moment, zone_name))

    def expiry(self, code: str | None):
        """The expiry typed next to a billing code (none without a code)."""
        return to_utc(self.billing_expiry.dateTime(), self.owner.case.time_zone) if code else None

    def issue(self) -> None:
        code = self.billing_code.text().strip() or None
        expires = self.expiry(code)
        if self.owner.run_step(lambda s: billing.issue_invoice(s, self.owner.actor, self.owner.request_id,
                                                               billing_code=code, billing_expires_at=expires),
                               tr("Invoice diterbitkan.", "Invoice issued.")):
            self.billing_code.clear()
            case = self.owner.case
            self.owner.previews = getattr(self.owner, "previews", [])
            self.owner.previews.append(open_preview(self.owner, self.owner.database, self.owner.actor, "invoice",
                                                    case.invoice_id, case.invoice_number, copy=False))

    def save_code(self) -> None:
        code, invoice_id = self.billing_code.text(), self.owner.case.invoice_id
        expires = self.expiry(code.strip() or None)
        if self.owner.run_step(lambda s: billing.set_billing_code(s, self.owner.actor, invoice_id, code,
                                                                  billing_expires_at=expires),
                               tr("Kode billing disimpan; cetak ulang invoice agar QR memuatnya.",
                                  "Billing code saved; reprint the invoice so its QR carries it.")):
            self.billing_code.clear()

    def attach_receipt_scan(self, path: str | None = None) -> None:
        path = path or stored.choose(self, tr("Pindaian kuitansi bertanda tangan", "Scan of the signed receipt"))
        if not path:
            return
        receipt_id = self.owner.case.receipt_id
        self.owner.run_step(lambda s: billing.attach_receipt_scan(s, self.owner.actor, receipt_id, path),
                            tr("Pindaian kuitansi disimpan di basis data.", "Receipt scan stored in the database."))

    def open_proof(self) -> None:
        case = self.owner.case
        if case.proof is not None:
            stored.open_stored(self.owner, self.owner.database, self.owner.actor, case.proof.evidence_id)
            return
        path = Path(case.proof_file)
        if not path.exists():
            self.owner.message.error(tr(f"Berkas {path} tidak ada atau tidak dapat dibaca.",
                                        f"File {path} does not exist or cannot be read."))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class SppdBox(Section):
    """Signed at the desk (walk-in) or a signed scan (online); online: the originals by post."""

    def __init__(self, owner):
        super().__init__(owner, tr("SPPD (perjanjian penggunaan data)", "SPPD (data use agreement)"), "sppdSection")
        self.state = _label("sppdStatus", tr("SPPD", "SPPD"))
        self.signed_button = named(QPushButton(""), "checklistSppdSigned", tr("SPPD ditandatangani", "SPPD signed"))
        self.reprint = named(QPushButton(tr("Cetak ulang SPPD", "Reprint the SPPD")), "reprintSppd",
                             tr("Cetak ulang SPPD", "Reprint the SPPD"))
        self.originals_at = named(QDateTimeEdit(), "sppdOriginalsDate", tr("Tanggal SPPD asli diterima", "Originals received"))
        self.originals_at.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.originals_at.setCalendarPopup(True)
        self.originals_button = named(QPushButton(tr("SPPD asli diterima lewat pos", "Originals received by post")),
                                      "sppdOriginals", tr("SPPD asli diterima", "Originals received"))
        self.original_scan = ""
        self.original_scan_label = _label("sppdOriginalScan", tr("Pindaian SPPD asli", "Scan of the original"))
        self.original_scan_button = named(QPushButton(tr("Pilih pindaian (opsional)…", "Choose a scan (optional)…")),
                                          "sppdOriginalScan", tr("Pilih pindaian SPPD asli", "Choose the original's scan"))
        self.original_scan_button.clicked.connect(self.choose_original_scan)
        self.open_scan = named(QPushButton(tr("Buka pindaian SPPD", "Open the SPPD scan")), "openSppdScan",
                               tr("Buka pindaian SPPD", "Open the SPPD scan"))
        self.open_original = named(QPushButton(tr("Buka pindaian SPPD asli", "Open the original's scan")),
                                   "openOriginalScan", tr("Buka pindaian SPPD asli", "Open the original's scan"))
        self.open_scan.clicked.connect(lambda: stored.open_stored(self.owner, self.owner.database, self.owner.actor,
                                                                  self.owner.case.sppd_scan.evidence_id))
        self.open_original.clicked.connect(lambda: stored.open_stored(
            self.owner, self.owner.database, self.owner.actor, self.owner.case.original_scan.evidence_id))
        self.signed_button.clicked.connect(self.signed)
        self.originals_button.clicked.connect(self.originals)
        self.reprint.clicked.connect(lambda: self.preview("sppd", self.owner.request_id, self.owner.case.number))
        buttons = QHBoxLayout()
        buttons.addWidget(self.signed_button)
        buttons.addWidget(self.reprint)
        buttons.addWidget(self.open_scan)
        buttons.addWidget(self.open_original)
        buttons.addStretch(1)
        post = QHBoxLayout()
        post.addWidget(QLabel(tr("Diterima", "Received")))
        post.addWidget(self.originals_at)
        post.addWidget(self.original_scan_button)
        post.addWidget(self.originals_button)
        post.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(buttons)
        layout.addLayout(post)
        layout.addWidget(self.original_scan_label)
        self.post_row = post

    def show_case(self, case: CaseFile) -> None:
        self.setVisible(case.state not in (S.REDIRECTED, S.DRAFT, S.SUBMITTED))
        online_request = case.channel is Channel.ONLINE
        self.signed_button.setText(tr("SPPD bertanda tangan diterima (pindaian)", "Signed SPPD received (scan)")
                                   if online_request else
                                   tr("SPPD ditandatangani di atas materai", "SPPD signed over a stamp-duty stamp"))
        lines = [tr(f"Nomor {case.sppd_number}, ditandatangani {case.sppd_signed}.",
                    f"Number {case.sppd_number}, signed {case.sppd_signed}.") if case.sppd_signed
                 else tr("Belum ditandatangani (nomor SPPD diberikan saat ditandatangani).",
                         "Not signed yet (the SPPD gets its number when signed).")]
        if online_request:
            lines.append(tr(f"SPPD asli ({case.sppd_originals_expected} lembar bermaterai): ",
                            f"Originals ({case.sppd_originals_expected} stamped copies): ")
                         + (tr(f"diterima lewat pos {case.sppd_originals_received}.",
                               f"received by post {case.sppd_originals_received}.")
                            if case.sppd_originals_received else tr("belum diterima.", "not received yet.")))
            if case.sppd_scan is not None:
                lines.append(tr("Pindaian bertanda tangan: ", "Signed scan: ") + stored.line(case.sppd_scan))
            if case.original_scan is not None:
                lines.append(tr("Pindaian SPPD asli: ", "Scan of the original: ") + stored.line(case.original_scan))
            if case.closed_without_original:
                lines.append(tr(f"<span style='color:#b00020'>Ditutup tanpa SPPD asli</span>: "
                                f"{escape(case.closed_without_original)}",
                                f"<span style='color:#b00020'>Closed without the original</span>: "
                                f"{escape(case.closed_without_original)}"))
        self.state.setText("<br>".join(lines))
        self.open_scan.setVisible(case.sppd_scan is not None)
        self.open_original.setVisible(case.original_scan is not None)
        self.signed_button.setVisible(not case.sppd_signed and case.state not in CLOSED_STATES)
        for i in range(self.post_row.count()):
            widget = self.post_row.itemAt(i).widget()
            if widget is not None:
                widget.setVisible(online_request and bool(case.sppd_signed) and not case.sppd_originals_received
                                  and case.state is not S.CANCELLED)
        waiting = online_request and bool(case.sppd_signed) and not case.sppd_originals_received
        self.original_scan_label.setVisible(waiting and bool(self.original_scan))
        self.originals_at.setDateTime(office_now(case.time_zone))

    def signed(self, scan: str | None = None) -> None:
        """Walk-in: signed at the desk. Online: the signed scan is chosen and stored with the database."""
        if self.owner.case.channel is Channel.ONLINE and not scan:
            scan = stored.choose(self, tr("Pindaian SPPD bertanda tangan", "Scan of the signed SPPD"))
            if not scan:
                return
        self.owner.run_step(lambda s: delivery.record_sppd(s, self.owner.actor, self.owner.request_id, scan=scan),
                            tr("SPPD bertanda tangan dicatat.", "Signed SPPD recorded."))

    def choose_original_scan(self, path: str | None = None) -> None:
        path = path or stored.choose(self, tr("Pindaian SPPD asli", "Scan of the SPPD original"))
        if path:
            self.original_scan = path
            self.original_scan_label.setText(tr(f"Pindaian dipilih: <b>{escape(Path(path).name)}</b>",
                                                f"Scan chosen: <b>{escape(Path(path).name)}</b>"))
            self.original_scan_label.setVisible(True)

    def originals(self) -> None:
        at = to_utc(self.originals_at.dateTime(), self.owner.case.time_zone)
        scan = self.original_scan or None
        if self.owner.run_step(lambda s: delivery.record_sppd_originals(s, self.owner.actor, self.owner.request_id,
                                                                        at, scan=scan),
                               tr("SPPD asli yang diterima lewat pos dicatat.", "Originals received by post recorded.")):
            self.original_scan = ""


class SendingBox(Section):
    """Online (the office's sheet, steps 2a and 7): the invoice and SPPD files sent to the requester, then
    the scanned signed kuitansi and the data; each with its date and channel."""

    def __init__(self, owner):
        super().__init__(owner, tr("Dikirim ke pemohon (daring)", "Sent to the requester (online)"), "sendingSection")
        self.state = _label("sendingStatus", tr("Pengiriman", "Sending"))
        self.via = named(QComboBox(), "sentVia", tr("Dikirim lewat", "Sent via"))
        for value in online.SENT_VIA:
            self.via.addItem(tr(*online.SENT_VIA_LABELS[value]), value)
        self.at = named(QDateTimeEdit(), "sentAt", tr("Tanggal dikirim", "Date sent"))
        self.at.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.at.setCalendarPopup(True)
        self.papers_button = named(QPushButton(tr("Invoice && SPPD dikirim", "Invoice && SPPD sent")), "papersSent",
                                   tr("Invoice & SPPD dikirim", "Invoice & SPPD sent"))
        self.results_button = named(QPushButton(tr("Pindaian kuitansi && data dikirim", "Receipt scan && data sent")),
                                    "resultsSent", tr("Pindaian kuitansi & data dikirim", "Receipt scan & data sent"))
        self.papers_button.clicked.connect(self.papers)
        self.results_button.clicked.connect(self.results)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Lewat", "Via")))
        row.addWidget(self.via)
        row.addWidget(self.at)
        row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.papers_button)
        buttons.addWidget(self.results_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(row)
        layout.addLayout(buttons)
        self.row = row

    def show_case(self, case: CaseFile) -> None:
        self.setVisible(case.channel is Channel.ONLINE and case.state not in (S.REDIRECTED, S.DRAFT, S.SUBMITTED))
        if case.channel is not Channel.ONLINE:
            return

        def via(value: str) -> str:
            return tr(*online.SENT_VIA_LABELS.get(value, (value, value)))

        lines = [tr(f"Invoice & SPPD: dikirim {case.papers_sent} lewat {via(case.papers_sent_via)}.",
                    f"Invoice & SPPD: sent {case.papers_sent} via {via(case.papers_sent_via)}.")
                 if case.papers_sent else tr("Invoice & SPPD: belum dikirim.", "Invoice & SPPD: not sent yet."),
                 tr(f"Pindaian kuitansi & data: dikirim {case.results_sent} lewat {via(case.results_sent_via)}.",
                    f"Receipt scan & data: sent {case.results_sent} via {via(case.results_sent_via)}.")
                 if case.results_sent else tr("Pindaian kuitansi & data: belum dikirim.",
                                              "Receipt scan & data: not sent yet.")]
        self.state.setText("<br>".join(lines))
        papers = case.state in online.PAPERS_STATES and (case.waived or bool(case.invoice_number)) \
            and not case.papers_sent
        results = case.state in online.RESULTS_STATES and not case.results_sent
        self.papers_button.setVisible(papers)
        self.results_button.setVisible(results)
        for i in range(self.row.count()):
            widget = self.row.itemAt(i).widget()
            if widget is not None:
                widget.setVisible(papers or results)
        step = (case.request_id, "results" if case.papers_sent else "papers")
        if getattr(self, "_defaulted", None) != step:  # each step starts at the way the request travels
            self._defaulted = step
            index = self.via.findData(case.papers_sent_via if case.papers_sent else case.online_via)
            if index >= 0:
                self.via.setCurrentIndex(index)
        self.at.setDateTime(office_now(case.time_zone))

    def _step(self, service, done: str) -> None:
        via, at = self.via.currentData(), to_utc(self.at.dateTime(), self.owner.case.time_zone)
        self.owner.run_step(lambda s: service(s, self.owner.actor, self.owner.request_id, via=via, at=at), done)

    def papers(self) -> None:
        self._step(online.record_papers_sent, tr("Pengiriman invoice & SPPD dicatat.", "Invoice & SPPD sending recorded."))

    def results(self) -> None:
        self._step(online.record_results_sent, tr("Pengiriman pindaian kuitansi & data dicatat.",
                                                  "Receipt scan & data sending recorded."))

"""Step 6: the invoice (with an optional SIMPONI billing code) and the SPPD, previewed and printed.
Online: the invoice and SPPD files are sent to the requester (recorded with the channel). A redirected request ends here with its reason."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import Channel, RequestState
from pstdesktop.services import billing, delivery, online
from pstdesktop.services.online import CaseFile
from ui.i18n import language, tr
from ui.officer.common import billing_expiry_field, box, hint, money, primary
from ui.officer.preview import open_preview
from ui.officer.wizard import Page
from ui.widgets import named, office_datetime, to_utc


class DocumentsPage(Page):
    TITLE = ("Invoice dan SPPD", "Invoice and SPPD")
    name = "pageDocuments"

    def __init__(self, wizard):
        super().__init__(wizard)
        self.case: CaseFile | None = None
        self.summary = named(QLabel(""), "documentsSummary", tr("Ringkasan", "Summary"))
        self.summary.setWordWrap(True)
        # invoice
        self.invoice_box = box(tr("Invoice", "Invoice"), "invoiceBox")
        self.billing_code = named(QLineEdit(), "billingCode", tr("Kode billing SIMPONI", "SIMPONI billing code"))
        self.billing_code.setPlaceholderText(tr("15 digit dari SIMPONI (boleh dikosongkan)", "15 digits from SIMPONI (optional)"))
        self.billing_expiry = billing_expiry_field("billingExpiry")
        self.issue_button = primary(named(QPushButton(tr("Terbitkan invoice", "Issue the invoice")), "issueInvoice",
                                          tr("Terbitkan invoice", "Issue the invoice")))
        self.invoice_state = named(QLabel(""), "invoiceState", tr("Invoice", "Invoice"))
        self.invoice_state.setWordWrap(True)
        self.invoice_preview = named(QPushButton(tr("Pratinjau dan cetak invoice", "Preview and print the invoice")),
                                     "previewInvoice", tr("Pratinjau invoice", "Preview the invoice"))
        self.issue_button.clicked.connect(self.issue_invoice)
        self.invoice_preview.clicked.connect(lambda: self.preview("invoice"))
        form = QFormLayout(self.invoice_box)
        self.billing_code.setMinimumWidth(300)
        code_row = QHBoxLayout()
        code_row.addWidget(self.billing_code)
        code_row.addWidget(self.issue_button)
        code_row.addStretch(1)
        form.addRow(tr("Kode billing", "Billing code"), code_row)
        self.expiry_row = QHBoxLayout()
        self.expiry_row.addWidget(self.billing_expiry)
        expiry_hint = hint(tr("sesuai cetakan SIMPONI", "as printed by SIMPONI"))
        expiry_hint.setWordWrap(False)
        self.expiry_row.addWidget(expiry_hint)
        self.expiry_row.addStretch(1)
        form.addRow(tr("Berlaku s.d.", "Valid until"), self.expiry_row)
        self.invoice_form = form
        form.addRow(self.invoice_state)
        preview_row = QHBoxLayout()
        preview_row.addWidget(self.invoice_preview)
        preview_row.addStretch(1)
        form.addRow(preview_row)
        # SPPD
        self.sppd_box = box(tr("SPPD — Surat Perjanjian Penggunaan Data", "SPPD — data use agreement"), "sppdBox")
        self.sppd_state = named(QLabel(""), "sppdState", tr("SPPD", "SPPD"))
        self.sppd_state.setWordWrap(True)
        self.sppd_preview = named(QPushButton(tr("Pratinjau dan cetak SPPD", "Preview and print the SPPD")), "previewSppd",
                                  tr("Pratinjau SPPD", "Preview the SPPD"))
        self.sppd_signed = named(QPushButton(tr("SPPD sudah ditandatangani di atas materai",
                                                "The SPPD is signed over a stamp-duty stamp")),
                                 "sppdSigned", tr("SPPD ditandatangani", "SPPD signed"))
        self.sppd_preview.clicked.connect(lambda: self.preview("sppd"))
        self.sppd_signed.clicked.connect(self.record_sppd)
        sppd = QVBoxLayout(self.sppd_box)
        sppd.addWidget(self.sppd_state)
        row = QHBoxLayout()
        row.addWidget(self.sppd_preview)
        row.addWidget(self.sppd_signed)
        row.addStretch(1)
        sppd.addLayout(row)
        # online: the invoice and SPPD files go to the requester
        self.sample_box = box(tr("Kirim ke pemohon (daring)", "Send to the requester (online)"), "papersBox")
        self.sample_state = named(QLabel(""), "papersState", tr("Pengiriman invoice & SPPD", "Invoice & SPPD sent"))
        self.sample_state.setWordWrap(True)
        self.papers_via = named(QComboBox(), "papersVia", tr("Dikirim lewat", "Sent via"))
        for value in online.SENT_VIA:
            self.papers_via.addItem(tr(*online.SENT_VIA_LABELS[value]), value)
        self.sample_sent = named(QPushButton(tr("Invoice && SPPD dikirim ke pemohon", "Invoice && SPPD sent to the requester")),
                                 "wizardPapersSent", tr("Invoice & SPPD dikirim", "Invoice & SPPD sent"))
        self.sample_sent.clicked.connect(self.record_sample)
        sample = QHBoxLayout(self.sample_box)
        sample.addWidget(self.sample_state, 1)
        sample.addWidget(self.papers_via)
        sample.addWidget(self.sample_sent)
        self.redirected = named(QLabel(""), "redirectedNote", tr("Dialihkan", "Redirected"))
        self.redirected.setWordWrap(True)
        self.redirected.setStyleSheet("font-size:11pt; padding:12px; background:#fff8e1; border:1px solid #f0d98c;"
                                      "border-radius:6px")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.redirected)
        layout.addWidget(self.invoice_box)
        layout.addWidget(self.sppd_box)
        layout.addWidget(self.sample_box)
        layout.addWidget(hint(tr("Langkah berikutnya (pembayaran di bendahara, penyerahan data, pemeriksaan oleh "
                                 "pemohon) ada di daftar periksa permintaan, yang terbuka saat Anda menekan Selesai.",
                                 "The next steps (payment at the treasurer, hand-over, the requester's check) are in the "
                                 "request's checklist, which opens when you press Finish.")))
        layout.addStretch(1)
        self.previews = []

    def next_text(self) -> str:
        return tr("Selesai", "Finish")

    def fields(self) -> dict[str, QWidget]:
        return {"billing_code": self.billing_code, "billing_expires_at": self.billing_expiry}

    def enter(self) -> None:
        with self.wizard.database.unit_of_work() as session:
            self.case = online.case_file(session, self.wizard.actor, self.draft.request_id, language())
            expiry = billing.default_billing_expiry(session, self.wizard.actor)
        case = self.case
        redirected = case.state is RequestState.REDIRECTED
        self.redirected.setVisible(redirected)
        self.redirected.setText(tr(
            f"<b>Dialihkan ke Konsultasi Statistik.</b><br>Alasan: {escape(case.referral)}<br>"
            "Kunjungan berlanjut sebagai konsultasi statistik; tidak ada invoice dan SPPD.",
            f"<b>Redirected to statistical consultation.</b><br>Reason: {escape(case.referral)}<br>"
            "The visit goes on as a consultation; no invoice and no SPPD."))
        for widget in (self.invoice_box, self.sppd_box):
            widget.setVisible(not redirected)
        self.sample_box.setVisible(not redirected and case.channel is Channel.ONLINE)
        total = sum(item.price or 0 for item in case.items)
        self.summary.setText(tr(f"<b>{escape(case.requester)}</b> · {case.number} · {case.state_label}",
                                f"<b>{escape(case.requester)}</b> · {case.number} · {case.state_label}"))
        if redirected:
            return
        if case.waived:
            self.invoice_state.setText(tr(
                f"Tarif Rp0 ({escape(case.waiver['letter_number'])}): tidak ada invoice. Tarif normal "
                f"{money(case.waiver['normal_amount'])} dicatat.",
                f"Rp0 tariff ({escape(case.waiver['letter_number'])}): no invoice. The normal tariff "
                f"{money(case.waiver['normal_amount'])} is recorded."))
        elif case.invoice_number:
            code = (tr(f"kode billing {case.billing_code} (berlaku s.d. {case.billing_expires})",
                       f"billing code {case.billing_code} (valid until {case.billing_expires})")
                    if case.billing_code else tr("tanpa kode billing", "no billing code"))
            self.invoice_state.setText(tr(f"<b>Invoice {case.invoice_number}</b> · {money(case.invoice_total)} · {code}",
                                          f"<b>Invoice {case.invoice_number}</b> · {money(case.invoice_total)} · {code}"))
        else:
            self.invoice_state.setText(tr(f"Biaya yang akan ditagih: <b>{money(total)}</b>",
                                          f"Amount to invoice: <b>{money(total)}</b>"))
        issued = bool(case.invoice_number)
        self.billing_code.setEnabled(not case.waived and not issued)
        self.invoice_form.setRowVisible(self.expiry_row, not case.waived and not issued)
        if not self.billing_code.text().strip():  # keep what the officer is typing
            self.billing_expiry.setDateTime(office_datetime(expiry, case.time_zone))
        self.issue_button.setEnabled(not case.waived and not issued)
        self.invoice_preview.setEnabled(issued)
        online_request = case.channel is Channel.ONLINE
        if case.sppd_signed:
            self.sppd_state.setText(tr(f"Ditandatangani {case.sppd_signed}.", f"Signed {case.sppd_signed}."))
        elif online_request:
            self.sppd_state.setText(tr(
                "Kirim berkas SPPD kepada pemohon. Tanda tangan dan dua lembar asli bermaterai yang tiba lewat pos "
                "dicatat di daftar periksa.",
                "Send the SPPD file to the requester. The signature and the two stamped originals arriving by post "
                "are recorded in the checklist."))
        else:
            self.sppd_state.setText(tr("Cetak SPPD; pengunjung menandatanganinya di atas materai di meja PST.",
                                       "Print the SPPD; the visitor signs it over a stamp-duty stamp at the desk."))
        self.sppd_signed.setVisible(not online_request)
        self.sppd_signed.setEnabled(not case.sppd_signed)
        self.sample_state.setText(
            tr(f"Invoice & SPPD dikirim {case.papers_sent}.", f"Invoice & SPPD sent {case.papers_sent}.")
            if case.papers_sent else
            tr("Kirim berkas invoice dan SPPD kepada pemohon, lalu catat di sini.",
               "Send the invoice and SPPD files to the requester, then record it here."))
        ready = case.waived or bool(case.invoice_number)
        self.sample_sent.setEnabled(ready and not case.papers_sent)
        self.papers_via.setEnabled(ready and not case.papers_sent)
        index = self.papers_via.findData(case.online_via)
        if index >= 0 and not case.papers_sent:
            self.papers_via.setCurrentIndex(index)

    def issue_invoice(self) -> None:
        self.wizard.message.clear()
        try:
            code = self.billing_code.text().strip() or None
            expires = to_utc(self.billing_expiry.dateTime(), self.case.time_zone) if code else None
            with self.wizard.database.unit_of_work() as session:
                invoice = billing.issue_invoice(session, self.wizard.actor, self.draft.request_id,
                                                billing_code=code, billing_expires_at=expires)
                number, invoice_id = invoice.number, invoice.id
        except Exception as error:
            self.wizard.refuse(error)
            return
        self.wizard.reload()
        self.enter()
        self.wizard.mark_saved()
        self.wizard.message.ok(tr(f"Invoice {number} diterbitkan.", f"Invoice {number} issued."))
        self.previews.append(open_preview(self._host(), self.wizard.database, self.wizard.actor, "invoice",
                                          invoice_id, number, copy=False))

    def record_sppd(self) -> None:
        self._step(lambda s: delivery.record_sppd(s, self.wizard.actor, self.draft.request_id),
                   tr("SPPD ditandatangani dicatat.", "Signed SPPD recorded."))

    def record_sample(self) -> None:
        """Sheet step 2a: the invoice and SPPD files sent to the requester."""
        via = self.papers_via.currentData()
        self._step(lambda s: online.record_papers_sent(s, self.wizard.actor, self.draft.request_id, via=via),
                   tr("Pengiriman invoice & SPPD dicatat.", "Invoice & SPPD sending recorded."))

    def _step(self, action, done: str) -> None:
        self.wizard.message.clear()
        try:
            with self.wizard.database.unit_of_work() as session:
                action(session)
        except Exception as error:
            self.wizard.message.error(error)
            return
        self.enter()
        self.wizard.mark_saved()
        self.wizard.message.ok(done)

    def preview(self, kind: str) -> None:
        case = self.case
        if kind == "invoice":
            self.previews.append(open_preview(self._host(), self.wizard.database, self.wizard.actor, "invoice",
                                              case.invoice_id, case.invoice_number, copy=False))
        else:
            self.previews.append(open_preview(self._host(), self.wizard.database, self.wizard.actor, "sppd",
                                              case.request_id, case.number, copy=False))

    def _host(self):
        """Previews belong to the staff window, so they stay open for printing when the wizard closes."""
        return self.wizard.parentWidget() or self

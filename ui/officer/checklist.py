"""The checklist of one request: what is done and what is next, from the invoice and the SPPD to the
visitor's check — payment and transfer proof, kuitansi, SPPD originals by post, each product's file
handed over with its checksum, corrections and handing over again. An online request follows the office's
online sheet: invoice and SPPD sent, the transfer confirmed on the receiving account, the signed kuitansi
scan and the data sent, the posted SPPD original; it speaks of the requester (pemohon), not a visitor.

Two officers may hold the same request, and the treasurer records its payment on another PC: the staff
window calls ``follow`` on every committed change, which shows the request again when its file changed
(what is typed in the forms stays). A step the other already took is refused with the domain's message."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from models import Channel, PaymentMethod, RequestState
from pstdesktop.bootstrap import Database
from pstdesktop.services import online
from pstdesktop.services.access import Actor
from pstdesktop.services.online import CaseFile
from pstdesktop.services.workflow import OPEN_STATES
from ui.i18n import language, tr
from ui.officer.checklist_delivery import DeliveryBox, HistoryBox, VisitorCheckBox
from ui.officer.checklist_papers import InvoiceBox, SendingBox, SppdBox, SummaryBox
from ui.officer.clear_moment import ClearMomentDialog
from ui.officer.common import STYLE, MessageLine
from ui.officer.labels import CHANNELS, ONLINE_VIA, word
from ui.second_copy import read_only_banner
from ui.widgets import fit_to_screen, named

S = RequestState
PAID_OR_LATER = (S.PAID, S.RECEIPTED, S.DELIVERED, S.CORRECTION_REQUESTED, S.VERIFIED, S.CLOSED)
HANDED_OVER = (S.DELIVERED, S.CORRECTION_REQUESTED, S.VERIFIED, S.CLOSED)


def steps_of(case: CaseFile) -> list[tuple[str, bool | None]]:
    """(step, done) in procedure order; done None when the step does not apply (or, on a closed or
    cancelled request, was not taken: nothing is left open there)."""
    steps = _online_steps(case) if case.channel is Channel.ONLINE else _walk_in_steps(case)
    if case.state is S.REDIRECTED:
        return steps[:2]
    if case.state in (S.CLOSED, S.CANCELLED):
        return [(text, None if done is False else done) for text, done in steps]
    return steps


def _online_steps(case: CaseFile) -> list[tuple[str, bool | None]]:
    """The office's online sheet, in its order."""
    decided = case.state not in (S.DRAFT, S.SUBMITTED)
    paid = not case.waived
    transfer = paid and (case.payment_method is PaymentMethod.TRANSFER
                         or (case.payment_method is None and not case.billing_code))
    original = tr("SPPD asli diterima lewat pos", "SPPD original received by post")
    if case.closed_without_original:
        original = tr("SPPD asli tidak diterima (ditutup dengan alasan supervisor)",
                      "SPPD original not received (closed with the supervisor's reason)")
    return [
        (tr("Abstraksi dan daftar produk", "Abstraction and products"), case.state is not S.DRAFT),
        (tr("Pemeriksaan kesesuaian", "Conformity check"), decided),
        (tr("Invoice diterbitkan", "Invoice issued"), bool(case.invoice_number) if paid else None),
        (tr("Invoice & SPPD dikirim ke pemohon", "Invoice & SPPD sent to the requester"), bool(case.papers_sent)),
        (tr("SPPD bertanda tangan diterima (pindaian)", "Signed SPPD received (scan)"), bool(case.sppd_signed)),
        (tr("Pembayaran & bukti diterima", "Payment & proof received"), case.state in PAID_OR_LATER if paid else None),
        (tr("Dana masuk rekening dikonfirmasi bendahara", "Money on the receiving account confirmed"),
         bool(case.confirmed) if transfer else None),
        (tr("Kuitansi diterbitkan", "Receipt issued"), bool(case.receipt_number) if paid else None),
        (tr("Data diserahkan", "Data handed over"), case.state in HANDED_OVER),
        (tr("Pindaian kuitansi & data dikirim", "Receipt scan & data sent"), bool(case.results_sent)),
        (original, bool(case.sppd_originals_received)),
        (tr("Diperiksa pemohon", "Checked by the requester"), case.state in (S.VERIFIED, S.CLOSED)),
    ]


def _walk_in_steps(case: CaseFile) -> list[tuple[str, bool | None]]:
    decided = case.state not in (S.DRAFT, S.SUBMITTED)
    return [
        (tr("Abstraksi dan daftar produk", "Abstraction and products"), case.state is not S.DRAFT),
        (tr("Pemeriksaan kesesuaian", "Conformity check"), decided),
        (tr("Invoice diterbitkan", "Invoice issued"), None if case.waived else bool(case.invoice_number)),
        (tr("SPPD ditandatangani", "SPPD signed"), bool(case.sppd_signed)),
        (tr("Pembayaran diterima", "Payment received"), None if case.waived else case.state in PAID_OR_LATER),
        (tr("Kuitansi diterbitkan", "Receipt issued"), None if case.waived else bool(case.receipt_number)),
        (tr("Data diserahkan", "Data handed over"), case.state in HANDED_OVER),
        (tr("Diperiksa pengunjung", "Checked by the visitor"), case.state in (S.VERIFIED, S.CLOSED)),
    ]


class ChecklistDialog(QDialog):
    changed = Signal()
    resume_wizard = Signal(int)

    def __init__(self, database: Database, actor: Actor, request_id: int, parent=None):
        super().__init__(parent)
        self.database, self.actor, self.request_id = database, actor, request_id
        self.case: CaseFile | None = None
        named(self, "checklistDialog", tr("Daftar periksa permintaan", "Request checklist"))
        self.setStyleSheet(STYLE)
        fit_to_screen(self, (1260, 760))
        self.header = named(QLabel(""), "checklistHeader", tr("Permintaan", "Request"))
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.refresh_button = named(QPushButton(tr("Muat ulang", "Refresh")), "checklistRefresh", tr("Muat ulang", "Refresh"))
        self.wizard_button = named(QPushButton(tr("Lanjutkan di wizard", "Continue in the wizard")), "checklistWizard",
                                   tr("Lanjutkan di wizard", "Continue in the wizard"))
        self.clear_button = named(QPushButton(tr("Ubah saat jelas…", "Change clear moment…")), "checklistClearAt",
                                  tr("Ubah saat permintaan jelas", "Change when the request became clear"))
        self.clear_button.clicked.connect(self.edit_clear_moment)
        close = named(QPushButton(tr("Tutup", "Close")), "checklistClose", tr("Tutup", "Close"))
        self.refresh_button.clicked.connect(self.refresh)
        self.wizard_button.clicked.connect(lambda: self.resume_wizard.emit(self.request_id))
        close.clicked.connect(self.close)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.wizard_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.steps = named(QLabel(""), "checklistSteps", tr("Langkah", "Steps"))
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.steps.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.steps.setFixedWidth(260)
        self.steps.setWordWrap(True)
        self.steps.setStyleSheet("background:#f3f5f8; padding:10px; border-radius:6px; font-size:10pt")
        self.message = MessageLine("checklistMessage")
        self.summary = SummaryBox(self)
        self.invoice = InvoiceBox(self)
        self.sppd = SppdBox(self)
        self.sending = SendingBox(self)
        self.delivery = DeliveryBox(self)
        self.visitor_check = VisitorCheckBox(self)
        self.history = HistoryBox(self)
        left, right = QVBoxLayout(), QVBoxLayout()
        for widget in (self.summary, self.invoice, self.sppd, self.sending):
            left.addWidget(widget)
        left.addStretch(1)
        for widget in (self.delivery, self.visitor_check, self.history):
            right.addWidget(widget)
        right.addStretch(1)
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 6, 0)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        middle = QHBoxLayout()
        middle.addWidget(self.steps)
        middle.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        if database.read_only:  # a second copy's view: the steps below are refused, and this says why
            layout.addWidget(read_only_banner(None))
        layout.addWidget(self.message)
        layout.addLayout(middle, 1)
        self.refresh()

    def refresh(self) -> None:
        """Read the request again from the database (another officer may have moved it)."""
        try:
            with self.database.unit_of_work() as session:
                case = online.case_file(session, self.actor, self.request_id, language())
        except Exception as error:
            self.message.error(error)
            return
        self._show(case)

    def follow(self) -> None:
        """After a change anywhere: this request shown again only if its file changed."""
        try:
            with self.database.unit_of_work() as session:
                case = online.case_file(session, self.actor, self.request_id, language())
        except Exception:  # said by "Muat ulang" or the next step; a background check stays quiet
            return
        if case != self.case:
            self._show(case)

    def _show(self, case: CaseFile) -> None:
        self.case = case
        self.setWindowTitle(tr(f"Daftar periksa {case.number}", f"Checklist {case.number}"))
        if case.channel is Channel.ONLINE:
            how = tr(f"Daring · {word(ONLINE_VIA, case.online_via)}", f"Online · {word(ONLINE_VIA, case.online_via)}")
        else:
            how = word(CHANNELS, case.channel) + (f" · {case.queue_code}" if case.queue_code else "")
        due = ""
        if case.clear and case.channel is Channel.ONLINE:
            due = tr(f" · jelas {case.clear}", f" · clear {case.clear}")
        if case.due:
            colour = "#b00020" if case.overdue else "#5f6368"
            due += tr(f" · <span style='color:{colour}'>batas waktu {case.due}</span>",
                      f" · <span style='color:{colour}'>due {case.due}</span>")
        self.header.setText(
            f"<span style='font-size:15pt; font-weight:600; color:#1f3a5f'>{case.number}</span> &nbsp; "
            f"<span style='font-size:11pt; background:#e8eef7; padding:2px 6px'>{case.state_label}</span><br>"
            f"<b>{escape(case.requester)}</b> · {escape(case.institution)} · {how}{due}")
        self.steps.setText(self._steps_html(case))
        self.wizard_button.setVisible(case.state in (S.DRAFT, S.SUBMITTED) and not self.database.read_only)
        self.clear_button.setVisible(case.channel is Channel.ONLINE and case.clear_at is not None
                                     and case.state in OPEN_STATES and not self.database.read_only)
        for section in (self.summary, self.invoice, self.sppd, self.sending, self.delivery, self.visitor_check,
                        self.history):
            section.show_case(case)

    @staticmethod
    def _steps_html(case: CaseFile) -> str:
        rows = []
        for text, done in steps_of(case):
            if done is None:
                mark, style = "–", "color:#9aa0a6"
            elif done:
                mark, style = "✔", "color:#1b5e20"
            else:
                mark, style = "○", "color:#202124; font-weight:600"
            rows.append(f"<tr><td style='{style}; padding:3px 6px 3px 0'>{mark}</td>"
                        f"<td style='{style}; padding:3px 0'>{text}</td></tr>")
        return f"<table cellspacing='0'>{''.join(rows)}</table>"

    def edit_clear_moment(self) -> None:
        """Correct when the request became clear (with a reason); the deadline moves with it."""
        self.refresh()  # start from the moment stored now (another PC may have changed it)
        if self.case is None or not self.clear_button.isVisible():
            return
        self.clear_dialog = ClearMomentDialog(self.database, self.actor, self.case, self)
        if self.clear_dialog.exec() == ClearMomentDialog.DialogCode.Accepted:
            self.refresh()
            self.message.ok(tr(f"Saat permintaan jelas diubah; batas waktu kini {self.case.due}.",
                               f"The clear moment is changed; the deadline is now {self.case.due}."))
            self.changed.emit()

    def run_step(self, action, done: str) -> bool:
        """One step in one unit of work: refused with its message (nothing changed), or done and shown."""
        self.message.clear()
        try:
            with self.database.unit_of_work() as session:
                action(session)
        except Exception as error:
            self.message.error(error)
            return False
        self.refresh()
        self.message.ok(done)
        self.changed.emit()
        return True

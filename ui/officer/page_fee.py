"""Step 4: the requester category and the fee. An Rp0 category asks for the purpose, the request letter
(number and date); the approving officer is the one signed in. The normal tariff is always shown."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models import RequestState, WaiverCategory, WaiverPurpose
from pstdesktop.services import clock, requests, tariffs
from ui.forms import FormRefusal
from ui.i18n import tr
from ui.officer.common import box, hint
from ui.officer.fee_table import FeeTable
from ui.officer.labels import CATEGORIES, PURPOSES, word
from ui.officer.wizard import Page
from ui.widgets import named, office_qdate


class FeePage(Page):
    TITLE = ("Kategori pemohon dan biaya", "Requester category and fee")
    name = "pageFee"

    def __init__(self, wizard):
        super().__init__(wizard)
        self.category = named(QComboBox(), "requesterCategory", tr("Kategori pemohon", "Requester category"))
        self.category.addItem(tr("Umum — tarif normal", "General — normal tariff"), None)
        for category in WaiverCategory:
            self.category.addItem(tr(f"Rp0 — {word(CATEGORIES, category)}", f"Rp0 — {word(CATEGORIES, category)}"),
                                  category)
        self.purpose = named(QComboBox(), "waiverPurpose", tr("Tujuan penggunaan (Rp0)", "Purpose (Rp0)"))
        for purpose in WaiverPurpose:
            self.purpose.addItem(word(PURPOSES, purpose), purpose)
        self.letter_number = named(QLineEdit(), "waiverLetterNumber", tr("Nomor surat permohonan", "Request letter number"))
        self.letter_number.setPlaceholderText(tr("mis. 050/123/BAPPEDA/XI/2026", "e.g. 050/123/BAPPEDA/XI/2026"))
        self.letter_date = named(QDateEdit(office_qdate(wizard.draft.time_zone)), "waiverLetterDate", tr("Tanggal surat", "Letter date"))
        self.letter_date.setDisplayFormat("dd-MM-yyyy")
        self.letter_date.setCalendarPopup(True)
        self.approver = named(QLabel(wizard.actor.name), "waiverApprover", tr("Petugas yang menyetujui", "Approving officer"))
        self.waiver_box = box(tr("Tarif Rp0", "Rp0 tariff"), "waiverBox")
        form = QFormLayout(self.waiver_box)
        form.addRow(tr("Tujuan penggunaan", "Purpose"), self.purpose)
        form.addRow(tr("Nomor surat permohonan", "Request letter no."), self.letter_number)
        form.addRow(tr("Tanggal surat", "Letter date"), self.letter_date)
        form.addRow(tr("Disetujui oleh", "Approved by"), self.approver)
        form.addRow(hint(tr("Hanya untuk kegiatan nonkomersial. Tarif normal tetap dihitung dan dicatat.",
                            "Non-commercial activities only. The normal tariff is still computed and recorded.")))
        category_box = box(tr("Kategori pemohon", "Requester category"), "categoryBox")
        category = QVBoxLayout(category_box)
        category.addWidget(self.category)
        category.addWidget(hint(tr(
            "Tarif Rp0 berlaku bagi instansi pemerintah pusat dan daerah, lembaga negara, lembaga pendidikan dalam "
            "negeri, perwakilan negara asing dan organisasi internasional, dengan surat permohonan.",
            "The Rp0 tariff applies to central and regional government, state institutions, domestic educational "
            "institutions, foreign representations and international organisations, with a request letter.")))
        category.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(category_box, 1)
        top.addWidget(self.waiver_box, 1)
        self.fee = FeeTable("feeLines")
        fee_box = box(tr("Biaya", "Fee"), "feeBox")
        QVBoxLayout(fee_box).addWidget(self.fee)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(fee_box, 1)
        self.category.currentIndexChanged.connect(self.show_fee)
        self.lines: list = []
        self.regulation = ""

    def fields(self) -> dict[str, QWidget]:
        return {"category": self.category, "waiver_purpose": self.purpose, "letter_number": self.letter_number,
                "letter_date": self.letter_date}

    def enter(self) -> None:
        with self.wizard.database.unit_of_work() as session:
            request = requests.get_request(session, self.wizard.actor, self.draft.request_id)
            quote = tariffs.quote_request(session, request, self.draft.time_zone)
        self.lines, self.regulation = list(quote.lines), quote.regulation
        self.show_fee()

    def show_fee(self) -> None:
        waived = self.category.currentData() is not None
        self.waiver_box.setEnabled(waived)
        self.fee.show_lines(self.lines, waived=waived, regulation=self.regulation)

    def waiver(self) -> dict | None:
        category = self.category.currentData()
        if category is None:
            return None
        qdate = self.letter_date.date()
        waiver = {"category": WaiverCategory(category).value, "purpose": WaiverPurpose(self.purpose.currentData()).value,
                  "letter_number": self.letter_number.text().strip(),
                  "letter_date": date(qdate.year(), qdate.month(), qdate.day())}
        errors = requests.check_waiver(waiver, clock.today(self.draft.time_zone))
        if errors:
            raise FormRefusal(errors)
        return waiver

    def commit(self) -> None:
        waiver = self.waiver()  # refuses a missing letter number before the request moves on
        if self.draft.state is RequestState.DRAFT:
            with self.wizard.database.unit_of_work() as session:
                requests.submit(session, self.wizard.actor, self.draft.request_id)
        self.draft.waiver = waiver
        self.wizard.reload()

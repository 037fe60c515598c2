"""The exit poll: find the visit (queue number or phone), confirm it, rate the nine SKM elements one
page at a time with big buttons in plain words, and leave an optional comment or complaint. When data
was handed over in the visit, the last page says that sending the rating confirms the visitor's check
and closes the request (feedback.answer_poll does both)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pstdesktop.services import validate
from pstdesktop.services.errors import ValidationError
from pstdesktop.services.feedback import ELEMENT_LABELS, RATING_WORDS
from pstdesktop.services.kiosk import PollVisit
from ui.i18n import language, tr
from ui.kiosk.options import english
from ui.kiosk.pages import LookupPage
from ui.kiosk.theme import RATING_COLOURS, RATING_TINTS
from ui.kiosk.widgets import FieldBox, Texts, button, card, label
from ui.widgets import named

MAX_COMMENT = 2000


class PollFlow(QWidget):
    """The poll's pages; the window answers ``lookupRequested`` and ``submitRequested``."""

    lookupRequested = Signal(str)
    submitRequested = Signal()
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        named(self, "pollFlow", tr("Survei kepuasan", "Satisfaction poll"))
        self.texts = Texts()
        self.visit: PollVisit | None = None
        self.ratings: list[int | None] = [None] * len(ELEMENT_LABELS)
        self.question = 0
        self.busy = False
        self.lookup = LookupPage("pollLookup", ("Cari kunjungan Anda", "Find your visit"),
                                 ("Nomor antrean (contoh: B-007) atau nomor HP",
                                  "Queue number (e.g. B-007) or mobile number"),
                                 ("Cari", "Search"))
        self.lookup.searched.connect(self.lookupRequested)
        self.lookup.back.connect(self.cancelled)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.lookup)
        self.stack.addWidget(self._confirm_page())
        self.stack.addWidget(self._question_page())
        self.stack.addWidget(self._comment_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # --- pages ------------------------------------------------------------------------------------
    def _confirm_page(self) -> QWidget:
        t = self.texts
        page = QWidget()
        heading = label(t, "pollConfirmTitle", "stepTitle", "Apakah ini kunjungan Anda?", "Is this your visit?")
        self.visit_card = card()
        inner = QVBoxLayout(self.visit_card)
        inner.setContentsMargins(40, 30, 40, 30)
        self.visit_code = named(QLabel(), "pollVisitCode", tr("Nomor antrean", "Queue number"))
        self.visit_code.setProperty("role", "title")
        self.visit_detail = named(QLabel(), "pollVisitDetail", tr("Keterangan kunjungan", "Visit details"))
        self.visit_detail.setProperty("role", "subtitle")
        self.visit_detail.setWordWrap(True)
        inner.addWidget(self.visit_code)
        inner.addWidget(self.visit_detail)
        self.confirm_button = button(t, "pollConfirm", "primary", "Ya, ini kunjungan saya", "Yes, this is my visit")
        self.not_mine_button = button(t, "pollNotMine", "secondary", "Bukan, cari lagi", "No, search again")
        self.confirm_button.clicked.connect(lambda: self.show_question(0))
        self.not_mine_button.clicked.connect(self.restart)
        row = QHBoxLayout()
        row.addWidget(self.not_mine_button)
        row.addStretch(1)
        row.addWidget(self.confirm_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(120, 40, 120, 30)
        layout.setSpacing(24)
        layout.addWidget(heading)
        layout.addWidget(self.visit_card)
        layout.addStretch(1)
        layout.addLayout(row)
        return page

    def _question_page(self) -> QWidget:
        t = self.texts
        page = QWidget()
        self.progress = named(QLabel(), "pollProgress", tr("Kemajuan", "Progress"))
        self.progress.setProperty("role", "step")
        ask = label(t, "pollAsk", "subtitle", "Bagaimana penilaian Anda tentang", "How do you rate")
        self.element = named(QLabel(), "pollElement", tr("Unsur pelayanan", "Service element"))
        self.element.setProperty("role", "question")
        self.element.setWordWrap(True)
        for widget in (self.progress, ask, self.element):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rating_group = QButtonGroup(self)
        row = QHBoxLayout()
        row.setSpacing(20)
        for value in (1, 2, 3, 4):
            choice = button(t, f"rating_{value}", "rating", *RATING_WORDS[value])
            choice.setCheckable(True)
            choice.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            colour = RATING_COLOURS[value]
            choice.setStyleSheet(
                f"QPushButton {{ border: 4px solid {colour}; background: {RATING_TINTS[value]}; color: {colour}; }}"
                f" QPushButton:checked, QPushButton:pressed {{ background: {colour}; color: white; }}")
            self.rating_group.addButton(choice, value)
            row.addWidget(choice)
        self.rating_group.idClicked.connect(self.rate)
        self.rating_back = button(t, "pollBack", "secondary", "Kembali", "Back")
        self.rating_back.clicked.connect(self.previous_question)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(80, 30, 80, 30)
        layout.setSpacing(16)
        layout.addWidget(self.progress)
        layout.addWidget(ask)
        layout.addWidget(self.element)
        layout.addSpacing(20)
        layout.addLayout(row, 3)
        layout.addStretch(1)
        layout.addWidget(self.rating_back, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _comment_page(self) -> QWidget:
        t = self.texts
        page = QWidget()
        heading = label(t, "pollCommentTitle", "stepTitle", "Ada saran atau pengaduan?",
                        "Any suggestion or complaint?")
        hint = label(t, "pollCommentHint", "subtitle", "Boleh dikosongkan. Tekan \u201cKirim penilaian\u201d untuk selesai.",
                     "You may leave these empty. Tap \u201cSend my rating\u201d to finish.")
        self.comment = named(QPlainTextEdit(), "pollComment", tr("Saran atau komentar", "Suggestion or comment"))
        self.complaint = named(QPlainTextEdit(), "pollComplaint", tr("Pengaduan", "Complaint"))
        t.bind(self.comment.setAccessibleName, "Saran atau komentar", "Suggestion or comment")
        t.bind(self.complaint.setAccessibleName, "Pengaduan", "Complaint")
        self.comment_box = FieldBox("comment", ("Saran atau komentar", "Suggestion or comment"), self.comment, t)
        self.complaint_box = FieldBox("complaint", ("Pengaduan (akan ditindaklanjuti petugas)",
                                                    "Complaint (staff will follow it up)"), self.complaint, t)
        self.comment.textChanged.connect(lambda: self.comment_box.set_error(None))
        self.complaint.textChanged.connect(lambda: self.complaint_box.set_error(None))
        self.hand_over_note = label(
            t, "pollHandOverNote", "notice",
            "Data Anda sudah diserahkan. Dengan mengirim penilaian ini, Anda menyatakan sudah memeriksa data "
            "(dan kuitansi) yang Anda terima dan menerimanya; permintaan Anda lalu selesai. Ada yang salah? "
            "Sampaikan kepada petugas sebelum mengirim penilaian.",
            "Your data has been handed over. By sending this rating you confirm that you have checked the data "
            "(and the receipt) you received and accept them; your request is then closed. Something wrong? "
            "Tell the staff before sending your rating.")
        self.hand_over_note.setVisible(False)
        self.submit_button = button(t, "pollSubmit", "primary", "Kirim penilaian", "Send my rating")
        self.submit_button.clicked.connect(self.submit)
        back = button(t, "pollCommentBack", "secondary", "Kembali", "Back")
        back.clicked.connect(lambda: self.show_question(len(ELEMENT_LABELS) - 1))
        boxes = QHBoxLayout()
        boxes.setSpacing(36)
        boxes.addWidget(self.comment_box)
        boxes.addWidget(self.complaint_box)
        row = QHBoxLayout()
        row.addWidget(back)
        row.addStretch(1)
        row.addWidget(self.submit_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(80, 30, 80, 30)
        layout.setSpacing(18)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(boxes, 1)
        layout.addWidget(self.hand_over_note)
        layout.addLayout(row)
        return page

    # --- flow -------------------------------------------------------------------------------------
    def show_visit(self, visit: PollVisit) -> None:
        self.visit = visit
        self.ratings = [None] * len(ELEMENT_LABELS)
        self.hand_over_note.setVisible(visit.handed_over > 0)
        self.stack.setCurrentIndex(1)
        self.retranslate()

    def show_question(self, index: int) -> None:
        self.question = index
        self.stack.setCurrentIndex(2)
        self.rating_group.setExclusive(False)
        for choice in self.rating_group.buttons():
            choice.setChecked(self.rating_group.id(choice) == self.ratings[index])
        self.rating_group.setExclusive(True)
        self.retranslate()

    def rate(self, value: int) -> None:
        self.ratings[self.question] = value
        if self.question + 1 < len(ELEMENT_LABELS):
            self.show_question(self.question + 1)
        else:
            self.stack.setCurrentIndex(3)

    def previous_question(self) -> None:
        if self.question == 0:
            self.stack.setCurrentIndex(1)
        else:
            self.show_question(self.question - 1)

    def answers(self) -> tuple[list[int], str, str]:
        return [r or 0 for r in self.ratings], self.comment.toPlainText(), self.complaint.toPlainText()

    def submit(self) -> None:
        if self.busy:
            return
        _ratings, comment, complaint = self.answers()
        refused = False
        for field, text, box in (("comment", comment, self.comment_box), ("complaint", complaint, self.complaint_box)):
            try:
                validate.text(field, text, required=False, max_length=MAX_COMMENT, multiline=True)
            except ValidationError as error:
                box.set_error(error.message(language()))
                refused = True
        if refused:
            return
        self.busy = True
        self.submit_button.setEnabled(False)
        self.submitRequested.emit()

    def refuse(self, error: ValidationError) -> None:
        """Show a refusal of the comment or complaint and allow another try."""
        box = self.complaint_box if error.field == "complaint" else self.comment_box
        box.set_error(error.message(language()))
        self.release()

    def release(self) -> None:
        self.busy = False
        self.submit_button.setEnabled(True)

    def restart(self) -> None:
        self.visit = None
        self.ratings = [None] * len(ELEMENT_LABELS)
        self.hand_over_note.setVisible(False)
        self.lookup.reset()
        self.stack.setCurrentIndex(0)

    def reset(self) -> None:
        self.restart()
        self.comment.clear()
        self.complaint.clear()
        self.comment_box.set_error(None)
        self.complaint_box.set_error(None)
        self.visit_code.clear()
        self.visit_detail.clear()
        self.release()

    def retranslate(self) -> None:
        self.texts.apply()
        self.lookup.retranslate()
        if self.visit is not None:
            v = self.visit
            self.visit_code.setText(v.queue_code)
            self.visit_detail.setText(tr(f"{v.purpose}<br>Datang pukul {v.arrived} · {v.visitor}",
                                         f"{english(v.purpose)}<br>Arrived at {v.arrived} · {v.visitor}"))
        n = len(ELEMENT_LABELS)
        self.progress.setText(tr(f"Pertanyaan {self.question + 1} dari {n}", f"Question {self.question + 1} of {n}"))
        self.element.setText(tr(*ELEMENT_LABELS[self.question]) + "?")

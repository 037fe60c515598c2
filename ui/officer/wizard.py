"""The request wizard: from "who asks" to the invoice and the SPPD, one step a page.

Each page saves its own step through the services when the officer presses the main button; a
refused step shows every problem under the page, marks the fields in red, and nothing changes. Closing
the wizard keeps what was saved (and asks first when the page holds unsaved typing); the request
continues from the board (the wizard reopens at the page its state needs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models import Channel, RequestState
from pstdesktop.bootstrap import Database
from pstdesktop.services import online, overview
from pstdesktop.services.access import Actor
from pstdesktop.services.errors import DomainError
from pstdesktop.services.office import office_of
from ui.forms import FormErrors, FormRefusal, GuardedDialog, Snapshot
from ui.i18n import tr
from ui.officer.common import ERROR_STYLE, STYLE, MessageLine, primary
from ui.widgets import CurrentPageStack, fit_to_screen, named

EDITABLE = (RequestState.DRAFT, RequestState.SUBMITTED)


@dataclass
class Draft:
    """What the wizard knows about the request being made."""

    time_zone: str
    channel: Channel = Channel.WALK_IN
    visit_id: int | None = None
    visitor_id: int | None = None
    requester: str = ""
    online_via: str = ""
    received_at: datetime | None = None
    new_requester: dict | None = None  # an online requester's answers, saved with the request
    request_id: int | None = None
    number: str = ""
    state: RequestState | None = None
    waiver: dict | None = None
    extra: dict = field(default_factory=dict)


class Page(QWidget):
    """One step. ``commit`` saves it (raising a DomainError, or a FormRefusal with every problem, to
    refuse); ``enter`` refreshes it; ``fields`` names the widgets a refusal can mark, in screen order."""

    TITLE = ("", "")
    name = ""

    def __init__(self, wizard: RequestWizard):
        super().__init__()
        self.wizard = wizard
        self.form_errors: FormErrors | None = None
        named(self, self.name, self.title)

    def fields(self) -> dict[str, QWidget]:
        return {}

    @property
    def title(self) -> str:
        return tr(*self.TITLE)

    @property
    def draft(self) -> Draft:
        return self.wizard.draft

    def enter(self) -> None:
        """Called each time the page is shown."""

    def commit(self) -> None:
        """Save this step (raise DomainError to refuse with its message)."""

    def next_text(self) -> str:
        return tr("Lanjut ▶", "Next ▶")

    def can_go_back(self) -> bool:
        return self.draft.state in EDITABLE or self.draft.request_id is None


class RequestWizard(GuardedDialog):
    """Six steps: requester, abstraction, products, category and fee, conformity check, invoice and SPPD."""

    finished_request = Signal(int)

    def __init__(self, database: Database, actor: Actor, *, visit_id: int | None = None, online_mode: bool = False,
                 request_id: int | None = None, parent=None):
        super().__init__(parent)
        from ui.officer.page_abstraction import AbstractionPage
        from ui.officer.page_conformity import ConformityPage
        from ui.officer.page_documents import DocumentsPage
        from ui.officer.page_fee import FeePage
        from ui.officer.page_products import ProductsPage
        from ui.officer.page_requester import RequesterPage

        self.database, self.actor = database, actor
        named(self, "requestWizard", tr("Wizard permintaan data", "Data request wizard"))
        self.setWindowTitle(tr("Permintaan data — PST", "Data request — PST"))
        self.setStyleSheet(STYLE)
        fit_to_screen(self, (1180, 720))
        with database.unit_of_work() as session:
            self.draft = Draft(time_zone=office_of(session, actor.office_id).time_zone)
            office = overview.office_name(session, actor)
        self.draft.channel = Channel.ONLINE if online_mode else Channel.WALK_IN
        self.draft.visit_id = visit_id
        self.pages: list[Page] = [RequesterPage(self), AbstractionPage(self), ProductsPage(self), FeePage(self),
                                  ConformityPage(self), DocumentsPage(self)]
        self.steps = named(QListWidget(), "wizardSteps", tr("Langkah", "Steps"))
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setFixedWidth(272)
        self.steps.setWordWrap(True)
        self.steps.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setStyleSheet("QListWidget { background:#f3f5f8; border:none; padding:8px; font-size:10.5pt; }"
                                 "QListWidget::item { padding:9px 6px; border-radius:4px; color:#3c4043; }"
                                 "QListWidget::item:selected { background:#1f5fa8; color:white; }")
        for number, page in enumerate(self.pages, 1):
            self.steps.addItem(f"{number}. {page.title}")
        office_label = QLabel(f"<b>{office}</b><br><span style='color:#5f6368'>{actor.name}</span>")
        office_label.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(office_label)
        side.addWidget(self.steps, 1)
        self.heading = named(QLabel(""), "wizardHeading", tr("Judul langkah", "Step title"))
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.stack = CurrentPageStack()
        for page in self.pages:
            self.stack.addWidget(page)
        self.message = MessageLine("wizardMessage")
        for page in self.pages:
            if page.fields():
                page.form_errors = FormErrors(self, self.message, page.fields(), summary_style=ERROR_STYLE)
        self.close_button = named(QPushButton(tr("Tutup", "Close")), "wizardClose", tr("Tutup", "Close"))
        self.back_button = named(QPushButton(tr("◀ Kembali", "◀ Back")), "wizardBack", tr("Kembali", "Back"))
        self.next_button = primary(named(QPushButton(""), "wizardNext", tr("Lanjut", "Next")))
        self.next_button.setDefault(True)
        self.close_button.clicked.connect(self.close)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        main = QVBoxLayout()
        main.addWidget(self.heading)
        for combo in self.stack.findChildren(QComboBox):  # as wide as 20 characters, not its longest item
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(20)
        pages = QScrollArea()  # a long page scrolls on a small screen; the buttons below stay in view
        pages.setWidgetResizable(True)
        pages.setFrameShape(QScrollArea.Shape.NoFrame)
        pages.setWidget(self.stack)
        main.addWidget(pages, 1)
        main.addWidget(self.message)
        main.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 16, 12)
        layout.setSpacing(16)
        layout.addLayout(side)
        layout.addLayout(main, 1)
        self.index = 0
        if request_id is not None:
            self._resume(request_id)
        else:
            self.show_page(0)

    # ---------------------------------------------------------------- navigation
    @property
    def page(self) -> Page:
        return self.pages[self.index]

    def show_page(self, index: int) -> None:
        self.forget_errors()
        self.index = index
        self.stack.setCurrentIndex(index)
        self.steps.setCurrentRow(index)
        self.message.clear()
        self.page.enter()
        self._update_heading()
        self.mark_saved()

    def mark_saved(self) -> None:
        """What the page shows now is saved (or was never typed): closing asks only after a change."""
        self.unsaved = Snapshot(self.page)

    def forget_errors(self) -> None:
        for page in self.pages:
            if page.form_errors is not None:
                page.form_errors.clear()

    def refuse(self, error: Exception) -> None:
        """Show a refusal: every problem of a FormRefusal, or a domain error, on the page's fields when
        it has them; anything else as the message line."""
        marks = self.page.form_errors
        errors = (error.errors if isinstance(error, FormRefusal) else
                  {error.field: error} if isinstance(error, DomainError) and error.field else {})
        if marks is not None and errors and set(errors) & set(marks.fields):
            marks.show(errors)
        elif isinstance(error, FormRefusal):
            self.message.error(next(iter(error.errors.values())))
        else:
            self.message.error(error)

    def _update_heading(self) -> None:
        number = f" · {self.draft.number}" if self.draft.number else ""
        self.heading.setText(f"<span style='font-size:15pt; font-weight:600; color:#1f3a5f'>{self.page.title}</span>"
                             f"<span style='color:#5f6368; font-size:11pt'>{number}</span>")
        self.next_button.setText(self.page.next_text())
        self.back_button.setEnabled(self.index > 0 and self.pages[self.index - 1].can_go_back())

    def refresh_buttons(self) -> None:
        self._update_heading()

    def next(self) -> None:
        self.forget_errors()
        self.message.clear()
        try:
            self.page.commit()
        except Exception as error:  # a refusal, or anything else: shown, not a crash
            self.refuse(error)
            return
        if self.index == len(self.pages) - 1:
            if self.draft.request_id is not None:
                self.finished_request.emit(self.draft.request_id)
            self.accept()
            return
        self.show_page(self.index + 1)

    def back(self) -> None:
        if self.index > 0 and self.pages[self.index - 1].can_go_back():
            self.show_page(self.index - 1)

    def reload(self) -> None:
        """Read the request's number and state again (after a step, or another PC's change)."""
        if self.draft.request_id is None:
            return
        with self.database.unit_of_work() as session:
            case = online.case_file(session, self.actor, self.draft.request_id)
        self.draft.number, self.draft.state, self.draft.channel = case.number, case.state, case.channel
        self.draft.requester, self.draft.received_at = case.requester, case.received_at
        self.draft.online_via = case.online_via
        self._update_heading()

    def _resume(self, request_id: int) -> None:
        self.draft.request_id = request_id
        self.reload()
        state = self.draft.state
        if state is RequestState.DRAFT:
            self.show_page(1)
        elif state is RequestState.SUBMITTED:
            self.show_page(3)
        else:
            self.show_page(5)

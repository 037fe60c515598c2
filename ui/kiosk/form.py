"""The guestbook form in three short steps (about you; contact and origin; purpose, identity and
consent). Conditional questions appear only when they apply; refused answers are marked in place."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from pstdesktop.services import clock
from pstdesktop.services.errors import FIELD_LABELS, ValidationError
from pstdesktop.services.kiosk import RETURNING_FIELDS, ReturningVisitor, check_entry
from ui.i18n import language, tr
from ui.kiosk import options
from ui.kiosk.widgets import (
    BigCheckBox,
    ChoiceButtons,
    FieldBox,
    MaskedLineEdit,
    OptionBox,
    Texts,
    button,
    card,
    label,
    scroll,
)
from ui.widgets import named

STEPS = (
    (("Data diri", "About you"),
     ("full_name", "gender", "birth_year", "education", "has_disability", "disability_type")),
    (("Kontak dan pekerjaan", "Contact and work"),
     ("phone", "email", "institution", "occupation", "occupation_other")),
    (("Asal daerah", "Where you come from"), ("country", "province", "regency")),
    (("Keperluan dan persetujuan", "Purpose and consent"),
     ("purpose", "purpose_other", "id_document_type", "id_document_number", "consent")),
)
LAST = len(STEPS) - 1
BANNER = ("Periksa isian yang ditandai merah, lalu coba lagi.", "Please check the answers marked in red, then try again.")
CONSENT_TEXT = (
    "Saya setuju data pribadi saya diproses oleh BPS hanya untuk pelayanan statistik dan disimpan sesuai "
    "ketentuan UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi.",
    "I agree that BPS processes my personal data only to serve my statistical request and keeps it as "
    "Law No. 27 of 2022 on Personal Data Protection provides.",
)


def _caption(field: str) -> tuple[str, str]:
    return FIELD_LABELS[field]


class GuestbookForm(QWidget):
    """Emits ``submitRequested`` once per tap while not busy; the window registers the visit. The office's
    ``time_zone`` gives the year birth years are judged in; ``home_province`` is preset for each visitor."""

    submitRequested = Signal()
    cancelled = Signal()

    def __init__(self, time_zone: str = "WIT", home_province: str = "") -> None:
        super().__init__()
        named(self, "guestbookForm", tr("Formulir buku tamu", "Guestbook form"))
        self.time_zone, self.home_province = time_zone, home_province
        self.texts = Texts()
        self.visitor_id: int | None = None
        self.returning: ReturningVisitor | None = None
        self.retyping = False  # a returning visitor enters their details again instead of reusing them
        self.busy = False
        self.step = 0
        self.boxes: dict[str, FieldBox] = {}
        self.shown: dict[str, ValidationError] = {}  # refusals on screen, re-worded on a language switch
        self._build_controls()
        self.pages = QStackedWidget()
        self.pages.addWidget(self._page(self._step_about()))
        self.pages.addWidget(self._page(self._step_contact()))
        self.pages.addWidget(self._page(self._step_origin()))
        self.pages.addWidget(self._step_purpose())

        self.step_label = named(QLabel(), "stepLabel", tr("Langkah", "Step"))
        self.step_label.setProperty("role", "step")
        self.step_title = named(QLabel(), "stepTitle", tr("Judul langkah", "Step title"))
        self.step_title.setProperty("role", "stepTitle")
        self.banner = named(QLabel(), "formMessage", tr("Pesan formulir", "Form message"))
        self.banner.setProperty("role", "banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.back_button = button(self.texts, "backButton", "secondary", "Kembali", "Back")
        self.next_button = button(self.texts, "nextButton", "primary", "Lanjut", "Next")
        self.submit_button = button(self.texts, "submitButton", "primary", "Daftar dan ambil nomor antrean",
                                    "Register and get a queue number")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.submit_button.clicked.connect(self.submit)

        heading = QHBoxLayout()
        heading.setSpacing(20)
        heading.addWidget(self.step_title)
        heading.addStretch(1)
        heading.addWidget(self.step_label, 0, Qt.AlignmentFlag.AlignVCenter)
        footer = QHBoxLayout()
        footer.setSpacing(24)
        footer.addWidget(self.back_button)
        footer.addWidget(self.banner, 1)
        footer.addStretch(0)
        footer.addWidget(self.next_button)
        footer.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 12, 48, 16)
        layout.setSpacing(10)
        layout.addLayout(heading)
        layout.addWidget(self.pages, 1)
        layout.addLayout(footer)
        self.reset()

    # --- building ---------------------------------------------------------------------------------
    def _build_controls(self) -> None:
        t = self.texts
        self.full_name = self._line("full_name")
        self.gender = ChoiceButtons("field_gender", _caption("gender"), options.GENDERS, t)
        self.birth_year = self._line("birth_year")
        self.birth_year.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        t.bind(self.birth_year.setPlaceholderText, "contoh: 1990", "e.g. 1990")
        self.education = OptionBox("field_education", _caption("education"), options.EDUCATION, t)
        self.has_disability = ChoiceButtons("field_has_disability", _caption("has_disability"), options.YES_NO, t)
        self.disability_type = ChoiceButtons("field_disability_type", _caption("disability_type"),
                                             options.DISABILITY_TYPES, t)
        self.phone = self._line("phone")
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        t.bind(self.phone.setPlaceholderText, "contoh: 081234567890", "e.g. 081234567890")
        self.email = self._line("email")
        self.email.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        t.bind(self.email.setPlaceholderText, "nama@contoh.id", "name@example.com")
        self.institution = self._line("institution")
        self.occupation = OptionBox("field_occupation", _caption("occupation"), options.OCCUPATIONS, t)
        self.occupation_other = self._line("occupation_other")
        self.country = ChoiceButtons("field_country", _caption("country"), options.COUNTRY, t)
        self.country_name = named(QLineEdit(), "field_country_name", tr("Nama negara", "Country name"))
        t.bind(self.country_name.setAccessibleName, "Nama negara", "Country name")
        t.bind(self.country_name.setPlaceholderText, "Tulis nama negara", "Type the country name")
        self.province = OptionBox("field_province", _caption("province"), options.PROVINCES, t)
        self.regency = self._line("regency")
        self.purpose = ChoiceButtons("field_purpose", _caption("purpose"), options.PURPOSES, t, columns=1)
        self.purpose_other = self._line("purpose_other")
        self.id_document_type = OptionBox("field_id_document_type", _caption("id_document_type"),
                                          options.ID_DOCUMENTS, t, prompt=("— tidak ada —", "— none —"))
        self.id_document_number = named(MaskedLineEdit(), "field_id_document_number",
                                        tr(*_caption("id_document_number")))
        t.bind(self.id_document_number.setAccessibleName, *_caption("id_document_number"))
        self.consent = named(BigCheckBox(), "field_consent", tr(*_caption("consent")))
        t.bind(self.consent.setText, "Saya setuju", "I agree")
        t.bind(self.consent.setAccessibleName, *_caption("consent"))

        self.has_disability.changed.connect(self._conditions)
        self.occupation.currentIndexChanged.connect(self._conditions)
        self.country.changed.connect(self._conditions)
        self.purpose.changed.connect(self._conditions)
        self.id_document_type.currentIndexChanged.connect(self._conditions)
        self.country_name.editingFinished.connect(self._country_typed)
        for field, control in self._controls().items():
            signal = getattr(control, "textChanged", None) or getattr(control, "changed", None)
            if isinstance(control, OptionBox):
                signal = control.currentIndexChanged
            elif isinstance(control, QCheckBox):
                signal = control.toggled
            signal.connect(lambda *_a, f=field: self._clear_error(f))
        self.country_name.textChanged.connect(lambda *_a: self._clear_error("country"))

    def _line(self, field: str) -> QLineEdit:
        edit = named(QLineEdit(), f"field_{field}", tr(*_caption(field)))
        self.texts.bind(edit.setAccessibleName, *_caption(field))
        return edit

    def _controls(self) -> dict[str, QWidget]:
        return {f: getattr(self, f) for step in STEPS for f in step[1]}

    def _box(self, field: str, control: QWidget | None = None, hint: tuple[str, str] | None = None) -> FieldBox:
        box = FieldBox(field, _caption(field), control or getattr(self, field), self.texts, hint)
        self.boxes[field] = box
        return box

    @staticmethod
    def _page(columns: list[list[QWidget]], top: QWidget | None = None) -> QWidget:
        inner = QWidget()
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(0, 0, 12, 0)
        outer.setSpacing(12)
        if top is not None:
            outer.addWidget(top)
        row = QHBoxLayout()
        row.setSpacing(48)
        for widgets in columns:
            column = QVBoxLayout()
            column.setSpacing(18)
            for widget in widgets:
                column.addWidget(widget)
            column.addStretch(1)
            row.addLayout(column, 1)
        outer.addLayout(row)
        outer.addStretch(1)
        return scroll(inner)

    def _step_about(self) -> list[list[QWidget]]:
        return [[self._box("full_name"), self._box("gender"), self._box("birth_year")],
                [self._box("education"), self._box("has_disability"), self._box("disability_type")]]

    def _step_contact(self) -> list[list[QWidget]]:
        return [[self._box("phone"), self._box("email"), self._box("institution")],
                [self._box("occupation"), self._box("occupation_other")]]

    def _step_origin(self) -> list[list[QWidget]]:
        country = QWidget()
        column = QVBoxLayout(country)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addWidget(self.country)
        column.addWidget(self.country_name)
        return [[self._box("country", country)], [self._box("province"), self._box("regency")]]

    def _step_purpose(self) -> QWidget:
        t = self.texts
        self.returning_card = card()
        named(self.returning_card, "returningCard", tr("Data kunjungan sebelumnya", "Earlier entry"))
        t.bind(self.returning_card.setAccessibleName, "Data kunjungan sebelumnya", "Earlier entry")
        inner = QHBoxLayout(self.returning_card)
        inner.setContentsMargins(20, 10, 20, 10)
        self.returning_text = named(QLabel(), "returningSummary", tr("Ringkasan data", "Summary"))
        self.returning_text.setWordWrap(True)
        self.edit_button = button(t, "editDetailsButton", "secondary", "Isi ulang data diri",
                                  "Enter my details again")
        self.edit_button.clicked.connect(self.retype)
        inner.addWidget(self.returning_text, 1)
        inner.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignVCenter)
        consent = QWidget()
        column = QVBoxLayout(consent)
        column.setContentsMargins(0, 0, 0, 0)
        statement = label(t, "consentText", "consent", *CONSENT_TEXT)
        statement.mousePressEvent = lambda _e: self.consent.toggle()
        column.addWidget(statement)
        column.addWidget(self.consent)
        columns = [[self._box("purpose"), self._box("purpose_other")],
                   [self._box("id_document_type", hint=("Wajib untuk pembelian produk statistik berbayar.",
                                                        "Required to buy paid statistical products.")),
                    self._box("id_document_number"), self._box("consent", consent)]]
        return self._page(columns, top=self.returning_card)

    # --- state ------------------------------------------------------------------------------------
    def answers(self) -> dict:
        """The answers to send. A returning visitor's stored details are reused by the service: the kiosk
        sends only what was answered today, and an empty identity document keeps the one on record."""
        answers = self._typed()
        if self.returning is not None:
            if not self.retyping:
                answers = {f: answers[f] for f in RETURNING_FIELDS}
            if not answers["id_document_type"]:
                del answers["id_document_type"], answers["id_document_number"]
        return answers

    def _typed(self) -> dict:
        indonesia = self.country.value() != "other"
        has_disability = self.has_disability.value()
        occupation = self.occupation.value()
        doc_type = self.id_document_type.value()
        return {
            "full_name": self.full_name.text(), "gender": self.gender.value() or "",
            "institution": self.institution.text(), "phone": self.phone.text(), "email": self.email.text(),
            "occupation": occupation,
            "occupation_other": self.occupation_other.text() if occupation == "Lainnya" else "",
            "birth_year": self.birth_year.text(), "education": self.education.value(),
            "country": "Indonesia" if indonesia else self.country_name.text().strip(),
            "province": self.province.value() if indonesia else "",
            "regency": self.regency.text(), "has_disability": has_disability,
            "disability_type": (self.disability_type.value() or "") if has_disability else "",
            "id_document_type": doc_type, "id_document_number": self.id_document_number.value() if doc_type else "",
            "consent": self.consent.isChecked(),
        }

    def purpose_answer(self) -> tuple[str, str]:
        purpose = self.purpose.value() or ""
        return purpose, self.purpose_other.text() if purpose == "Lainnya" else ""

    def errors(self) -> dict[str, ValidationError]:
        answers = self._typed()
        errors = check_entry(answers, *self.purpose_answer(), clock.today(self.time_zone).year)
        if self.country.value() == "other" and not answers["country"]:
            errors = {"country": ValidationError("required", "country")} | errors
        if self.returning is not None:
            if not self.retyping:
                errors = {f: e for f, e in errors.items() if f in STEPS[LAST][1]}
            sale = errors.get("id_document_type")
            if self.returning.id_document_type and sale is not None and sale.code == "id_for_sale":
                del errors["id_document_type"]  # the document on record serves the sale
        order = [f for step in STEPS for f in step[1]]
        return dict(sorted(errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99))

    def reset(self) -> None:
        """Wipe every answer and go back to the first step."""
        for edit in (self.full_name, self.birth_year, self.phone, self.email, self.institution,
                     self.occupation_other, self.country_name, self.regency, self.purpose_other):
            edit.clear()
        for choices in (self.gender, self.has_disability, self.disability_type, self.purpose):
            choices.clear()
        for box in (self.education, self.occupation, self.id_document_type):
            box.setCurrentIndex(0)
        self.province.set_value(self.home_province)
        self.id_document_number.clear_value()
        self.country.set_value("Indonesia")
        self.consent.setChecked(False)
        self.visitor_id = None
        self.returning = None
        self.retyping = False
        self.returning_text.clear()
        self.release()
        self._clear_all_errors()
        self._conditions()
        self.show_step(0)

    def load_returning(self, visitor: ReturningVisitor) -> None:
        """Greet an earlier visitor by short name: they pick the purpose and consent; their stored
        details stay in the database (nothing is filled in here)."""
        self.reset()
        self.visitor_id, self.returning = visitor.visitor_id, visitor
        self.show_step(LAST)

    def retype(self) -> None:
        """A returning visitor enters every detail again (kept under the same visitor)."""
        self.retyping = True
        self._clear_all_errors()
        self.show_step(0)

    def retranslate(self) -> None:
        self.texts.apply()
        for box in (self.education, self.occupation, self.province, self.id_document_type):
            box.retranslate()
        self.show_step(self.step)
        for field, error in self.shown.items():
            self.boxes[field].error.setText(error.message(language()))
        if self.banner.isVisible() and self.shown:
            self.banner.setText(tr(*BANNER))

    # --- behaviour --------------------------------------------------------------------------------
    def _conditions(self, *_args) -> None:
        has_disability = self.has_disability.value() is True
        self.boxes["disability_type"].setVisible(has_disability)
        if not has_disability:
            self.disability_type.clear()
        other_job = self.occupation.value() == "Lainnya"
        self.boxes["occupation_other"].setVisible(other_job)
        if not other_job:
            self.occupation_other.clear()
        indonesia = self.country.value() != "other"
        self.boxes["province"].setVisible(indonesia)
        self.country_name.setVisible(not indonesia)
        if indonesia:
            self.country_name.clear()
            if not self.province.value():
                self.province.set_value(self.home_province)
        else:
            self.province.setCurrentIndex(0)
        other_purpose = self.purpose.value() == "Lainnya"
        self.boxes["purpose_other"].setVisible(other_purpose)
        if not other_purpose:
            self.purpose_other.clear()
        has_doc = bool(self.id_document_type.value())
        self.boxes["id_document_number"].setVisible(has_doc)
        if not has_doc:
            self.id_document_number.clear_value()

    def _country_typed(self) -> None:
        if self.country_name.text().strip().lower() == "indonesia":
            self.country.set_value("Indonesia")

    def show_step(self, step: int) -> None:
        self.step = step
        self.pages.setCurrentIndex(step)
        (indonesian, english), _fields = STEPS[step]
        self.step_label.setText(tr(f"Langkah {step + 1} dari {len(STEPS)}", f"Step {step + 1} of {len(STEPS)}"))
        self.step_title.setText(tr(indonesian, english))
        last = step == LAST
        self.next_button.setVisible(not last)
        self.submit_button.setVisible(last)
        self.back_button.setText(tr("Batal", "Cancel") if step == 0 else tr("Kembali", "Back"))
        self.back_button.setAccessibleName(self.back_button.text())
        visitor = self.returning if last else None
        self.returning_card.setVisible(visitor is not None)
        if visitor is not None:
            name, contact, document = (html.escape(v) for v in (visitor.short_name, visitor.contact,
                                                                 visitor.id_document_type))
            kept = (tr("Data diri baru Anda disimpan dengan pendaftaran ini.",
                       "Your new details are saved with this registration.") if self.retyping else
                    tr("Data diri Anda yang tersimpan dipakai lagi.", "Your stored details are used again."))
            if document:
                kept += " " + tr(f"{document} Anda sudah tercatat, jadi Jenis Identitas boleh dibiarkan kosong.",
                                 f"Your {document} is on record, so you may leave the identity document empty.")
            self.returning_text.setText(
                tr(f"<b>Selamat datang kembali, {name}!</b>", f"<b>Welcome back, {name}!</b>")
                + f" {contact}<br>{kept}")

    def go_back(self) -> None:
        if self.step == 0 or (self.returning is not None and not self.retyping and self.step == LAST):
            self.cancelled.emit()
        else:
            self.show_step(self.step - 1)

    def go_next(self) -> None:
        if self.show_errors(self.errors(), only_step=self.step):
            return
        self.show_step(self.step + 1)

    def submit(self) -> None:
        if self.busy:
            return
        errors = self.errors()
        if errors:
            self.show_errors(errors)
            return
        self.busy = True
        self.submit_button.setEnabled(False)
        self.submitRequested.emit()

    def seal(self) -> None:
        """No submit until the form is started again (a second tap after success does nothing)."""
        self.busy = True
        self.submit_button.setEnabled(False)

    def release(self) -> None:
        """Allow another submit (after a refusal)."""
        self.busy = False
        self.submit_button.setEnabled(True)

    def show_errors(self, errors: dict[str, ValidationError], only_step: int | None = None) -> bool:
        """Mark the refused fields (of one step, or of the first step that has any); True if any."""
        self._clear_all_errors()
        if only_step is None:
            first = next((i for i, (_t, fields) in enumerate(STEPS) if set(fields) & set(errors)), None)
            if first is None and errors:
                self.banner.setText(next(iter(errors.values())).message(language()))
                self.banner.show()
                return True
            only_step = first
        if only_step is None:
            return False
        fields = [f for f in STEPS[only_step][1] if f in errors]
        if not fields:
            return False
        self.show_step(only_step)
        for field in fields:
            self.boxes[field].set_error(errors[field].message(language()))
            self.shown[field] = errors[field]
        self.banner.setText(tr(*BANNER))
        self.banner.show()
        first_box = self.boxes[fields[0]]
        area = self.pages.currentWidget()
        area.ensureWidgetVisible(first_box)
        first_box.control.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _clear_error(self, field: str) -> None:
        box = self.boxes.get(field)
        self.shown.pop(field, None)
        if box is not None and box.error.isVisible():
            box.set_error(None)
            if not any(b.error.isVisible() for b in self.boxes.values()):
                self.banner.hide()

    def _clear_all_errors(self) -> None:
        self.shown.clear()
        for box in self.boxes.values():
            if box.error.isVisible() or box.control.property("invalid"):
                box.set_error(None)
        self.banner.hide()


"""Simple kiosk pages: the welcome page, a look-up page (returning visitor, exit poll), the queue
ticket and the closing "thank you"."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pstdesktop.services.kiosk import KioskTicket
from ui.i18n import tr
from ui.kiosk.options import english
from ui.kiosk.widgets import Texts, button, card, label, restyle
from ui.widgets import named

Pair = tuple[str, str]


def _centred(layout: QVBoxLayout, widget: QWidget) -> None:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    layout.addLayout(row)


class WelcomePage(QWidget):
    """A greeting with one big primary action (and, for the guestbook, the returning visitor's)."""

    started = Signal()
    alternative = Signal()

    def __init__(self, name: str, title: Pair, subtitle: Pair, action: Pair, alternative: Pair | None = None,
                 note: Pair | None = None):
        super().__init__()
        self.texts = Texts()
        named(self, name, tr(*title))
        self.title = label(self.texts, f"{name}Title", "title", *title)
        self.subtitle = label(self.texts, f"{name}Subtitle", "subtitle", *subtitle)
        for widget in (self.title, self.subtitle):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.start_button = button(self.texts, f"{name}Start", "hero", *action)
        self.start_button.clicked.connect(self.started)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.setSpacing(22)
        layout.addStretch(3)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(36)
        _centred(layout, self.start_button)
        self.alt_button = None
        if alternative:
            self.alt_button = button(self.texts, f"{name}Alternative", "heroAlt", *alternative)
            self.alt_button.clicked.connect(self.alternative)
            _centred(layout, self.alt_button)
        layout.addStretch(4)
        if note:
            hint = label(self.texts, f"{name}Note", "hint", *note)
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(hint)

    def retranslate(self) -> None:
        self.texts.apply()

    def reset(self) -> None:
        """Nothing a visitor typed lives here."""


class HomePage(QWidget):
    """The start screen of a kiosk that serves both the entrance and the exit: the guestbook (with the
    returning visitor's way in) beside the satisfaction poll, each one tap away."""

    guestbook = Signal()
    returning = Signal()
    poll = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.texts = t = Texts()
        named(self, "kioskHome", tr("Beranda kios", "Kiosk home"))
        title = label(t, "homeTitle", "title", "Selamat datang", "Welcome")
        subtitle = label(t, "homeSubtitle", "subtitle", "Silakan pilih yang ingin Anda isi.",
                         "Please choose what you would like to fill in.")
        for widget in (title, subtitle):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.guestbook_button = button(t, "homeGuestbook", "home", "Isi buku tamu", "Sign the guestbook")
        self.guestbook_button.clicked.connect(self.guestbook)
        self.returning_button = button(t, "homeReturning", "homeAlt", "Saya pernah berkunjung",
                                       "I have visited before")
        self.returning_button.clicked.connect(self.returning)
        self.poll_button = button(t, "homePoll", "homePoll", "Isi survei kepuasan", "Fill in the satisfaction survey")
        self.poll_button.clicked.connect(self.poll)
        arriving = self._choice("homeArriving", ("Baru datang? Daftar dan ambil nomor antrean.",
                                                 "Just arrived? Register and get a queue number."),
                                self.guestbook_button, self.returning_button)
        leaving = self._choice("homeLeaving", ("Sudah selesai dilayani? Nilai pelayanan kami.",
                                               "Been served? Rate our service."), self.poll_button)
        row = QHBoxLayout()
        row.setSpacing(36)
        row.addStretch(1)
        row.addWidget(arriving)
        row.addWidget(leaving)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.setSpacing(18)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(24)
        layout.addLayout(row)
        layout.addStretch(3)
        note = label(t, "homeNote", "hint",
                     "Data pribadi Anda dilindungi sesuai UU No. 27 Tahun 2022 dan hanya dipakai untuk pelayanan.",
                     "Your personal data is protected under Law No. 27 of 2022 and used only to serve you.")
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(note)

    def _choice(self, name: str, caption: Pair, *buttons: QWidget) -> QWidget:
        box = named(card(), name, tr(*caption))
        self.texts.bind(box.setAccessibleName, *caption)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(28, 24, 28, 28)
        inner.setSpacing(16)
        inner.addWidget(label(self.texts, f"{name}Caption", "fieldLabel", *caption))
        for widget in buttons:
            inner.addWidget(widget)
        inner.addStretch(1)
        return box

    def retranslate(self) -> None:
        self.texts.apply()

    def reset(self) -> None:
        """Nothing a visitor typed lives here."""


class LookupPage(QWidget):
    """One line to type a phone number, email or queue number, and one button to look it up."""

    searched = Signal(str)
    back = Signal()
    alternative = Signal()

    def __init__(self, name: str, title: Pair, prompt: Pair, action: Pair, alternative: Pair | None = None):
        super().__init__()
        self.texts = Texts()
        named(self, name, tr(*title))
        heading = label(self.texts, f"{name}Title", "stepTitle", *title)
        caption = label(self.texts, f"{name}Prompt", "fieldLabel", *prompt)
        self.field = named(QLineEdit(), f"{name}Field", tr(*prompt))
        self.texts.bind(self.field.setAccessibleName, *prompt)
        caption.setBuddy(self.field)
        self.field.returnPressed.connect(self._search)
        self.field.textChanged.connect(lambda _t: self._set_message(""))
        self.search_button = button(self.texts, f"{name}Button", "primary", *action)
        self.search_button.clicked.connect(self._search)
        self.message = named(QLabel(), f"{name}Message", tr("Pesan", "Message"))
        self.message.setWordWrap(True)
        self.message.setProperty("role", "banner")
        self.message.hide()
        self.back_button = button(self.texts, f"{name}Back", "secondary", "Kembali", "Back")
        self.back_button.clicked.connect(self.back)
        self.alt_button = None
        if alternative:
            self.alt_button = button(self.texts, f"{name}Alternative", "secondary", *alternative)
            self.alt_button.clicked.connect(self.alternative)
            self.alt_button.hide()
        box = card()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(36, 30, 36, 30)
        inner.setSpacing(16)
        inner.addWidget(caption)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(self.field, 1)
        row.addWidget(self.search_button)
        inner.addLayout(row)
        inner.addWidget(self.message)
        if self.alt_button:
            inner.addWidget(self.alt_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 40, 120, 30)
        layout.setSpacing(24)
        layout.addWidget(heading)
        layout.addWidget(box)
        layout.addStretch(1)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _search(self) -> None:
        self.searched.emit(self.field.text())

    def _set_message(self, text: str, alternative: bool = False) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        restyle(self.field, invalid=bool(text))
        if self.alt_button:
            self.alt_button.setVisible(alternative)

    def show_message(self, text: str, alternative: bool = False) -> None:
        self._set_message(text, alternative)

    def retranslate(self) -> None:
        self.texts.apply()

    def reset(self) -> None:
        self.field.clear()
        self._set_message("")


class TicketPage(QWidget):
    """The queue number, large, with the service and what happened to the printed ticket."""

    done = Signal()

    def __init__(self, guard_ms: int = 1500):
        super().__init__()
        self.texts = Texts()
        self.ticket: KioskTicket | None = None
        named(self, "ticketPage", tr("Nomor antrean", "Queue number"))
        heading = label(self.texts, "ticketHeading", "subtitle", "Nomor antrean Anda", "Your queue number")
        self.code = named(QLabel(), "ticketCode", tr("Nomor antrean", "Queue number"))
        self.code.setProperty("role", "queueCode")
        self.purpose = named(QLabel(), "ticketPurpose", tr("Keperluan", "Purpose"))
        self.purpose.setProperty("role", "stepTitle")
        self.ahead = named(QLabel(), "ticketAhead", tr("Antrean di depan", "Visitors ahead"))
        self.ahead.setProperty("role", "subtitle")
        self.status = named(QLabel(), "ticketPrintStatus", tr("Status tiket", "Ticket status"))
        self.status.setProperty("role", "notice")
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(820)
        for widget in (heading, self.code, self.purpose, self.ahead, self.status):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_button = button(self.texts, "ticketDone", "primary", "Selesai", "Done")
        self.done_button.setMinimumWidth(320)
        self.done_button.clicked.connect(self.done)
        self.guard = QTimer(self)
        self.guard.setSingleShot(True)
        self.guard.setInterval(guard_ms)
        self.guard.timeout.connect(lambda: self.done_button.setEnabled(True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 24, 80, 30)
        layout.setSpacing(10)
        layout.addStretch(1)
        layout.addWidget(heading)
        layout.addWidget(self.code)
        layout.addWidget(self.purpose)
        layout.addWidget(self.ahead)
        layout.addSpacing(16)
        _centred(layout, self.status)
        layout.addStretch(1)
        _centred(layout, self.done_button)

    def show_ticket(self, ticket: KioskTicket) -> None:
        """Show the number; the done button waits a moment so a double tap on submit cannot hit it."""
        self.ticket = ticket
        self.status.clear()
        self.status.hide()
        self.done_button.setEnabled(False)
        self.guard.start()
        self.retranslate()

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def retranslate(self) -> None:
        self.texts.apply()
        ticket = self.ticket
        if ticket is None:
            return
        self.code.setText(ticket.queue_code)
        self.code.setAccessibleName(tr(f"Nomor antrean {ticket.queue_code}", f"Queue number {ticket.queue_code}"))
        self.purpose.setText(tr(ticket.purpose, english(ticket.purpose)))
        n = ticket.waiting_ahead
        self.ahead.setText(tr(f"{n} orang menunggu sebelum Anda. Silakan duduk, nomor Anda akan dipanggil.",
                              f"{n} visitor(s) waiting before you. Please take a seat; your number will be called.")
                           if n else tr("Anda berikutnya. Silakan menuju meja layanan saat dipanggil.",
                                        "You are next. Please go to the service desk when called."))

    def reset(self) -> None:
        self.ticket = None
        for widget in (self.code, self.purpose, self.ahead, self.status):
            widget.clear()
        self.status.hide()


class ThanksPage(QWidget):
    """The poll's last page."""

    done = Signal()

    def __init__(self):
        super().__init__()
        self.texts = Texts()
        named(self, "thanksPage", tr("Terima kasih", "Thank you"))
        self.title = label(self.texts, "thanksTitle", "title", "Terima kasih!", "Thank you!")
        self.detail = named(QLabel(), "thanksDetail", tr("Keterangan", "Details"))
        self.detail.setProperty("role", "subtitle")
        self.detail.setWordWrap(True)
        for widget in (self.title, self.detail):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_button = button(self.texts, "thanksDone", "primary", "Selesai", "Done")
        self.done_button.setMinimumWidth(320)
        self.done_button.clicked.connect(self.done)
        self.queue_code = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 40, 80, 40)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addSpacing(12)
        layout.addWidget(self.detail)
        layout.addStretch(2)
        _centred(layout, self.done_button)

    def show_thanks(self, queue_code: str) -> None:
        self.queue_code = queue_code
        self.retranslate()

    def retranslate(self) -> None:
        self.texts.apply()
        if self.queue_code:
            self.detail.setText(tr(
                f"Penilaian Anda untuk kunjungan {self.queue_code} sudah kami terima.<br>"
                "Kunjungan Anda selesai. Selamat jalan!",
                f"We have received your rating of visit {self.queue_code}.<br>Your visit is complete. Goodbye!"))

    def reset(self) -> None:
        self.queue_code = ""
        self.detail.clear()

"""The kiosk window: full screen and frameless, locked (closing, Alt+F4, Esc and F11 do nothing),
wiped after a minute without input, and opened to staff only by a hidden gesture plus the PIN. It serves
the guestbook, the exit poll, or both from a start screen (``mode``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from exports.ticket import TicketSlip, render_ticket
from pstdesktop.bootstrap import Database
from pstdesktop.services import feedback, kiosk
from pstdesktop.services.access import Actor
from pstdesktop.services.errors import DomainError, ValidationError
from ui.i18n import language, set_language, tr
from ui.kiosk.form import GuestbookForm
from ui.kiosk.pages import HomePage, LookupPage, ThanksPage, TicketPage, WelcomePage
from ui.kiosk.poll import PollFlow
from ui.kiosk.printing import deliver_ticket
from ui.kiosk.staff import PinSetupDialog, StaffPage
from ui.kiosk.theme import scale_for, stylesheet
from ui.kiosk.widgets import Texts, button
from ui.widgets import CurrentPageStack, named, scrolling

MODES = ("guestbook", "poll", "both")  # "both": a start screen with the guestbook and the poll
INPUT_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
                QEvent.Type.KeyPress, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.Wheel,
                QEvent.Type.InputMethod}
GESTURE_TAPS, GESTURE_SECONDS = 5, 3.0


class KioskWindow(QWidget):
    """``idle_ms`` without input wipes every field and shows the welcome page again. ``remember_mode`` keeps
    the mode staff choose (in settings.json) for the next start."""

    left = Signal()

    def __init__(self, database: Database, actor: Actor, mode: str = "guestbook", *, tickets_dir: Path,
                 idle_ms: int = 60_000, ticket_ms: int = 20_000, thanks_ms: int = 8_000, ticket_width: int = 58,
                 fullscreen: bool = True, printer: Callable[[], QPrinter | None] | None = None,
                 default_language: str = "id", remember_mode: Callable[[str], None] | None = None):
        super().__init__()
        named(self, "kioskWindow", tr("Kios PST", "PST kiosk"))
        self.database, self.actor = database, actor
        self.tickets_dir, self.ticket_width, self.printer = tickets_dir, ticket_width, printer
        self.default_language, self.remember_mode = default_language, remember_mode
        self.mode = mode if mode in MODES else "guestbook"
        self.fullscreen = fullscreen
        self.may_close = False
        self.last_ticket: kiosk.KioskTicket | None = None
        self.taps: list[float] = []
        self.pin_dialog: PinSetupDialog | None = None
        self.scale = 0.0
        self.texts = Texts()
        with database.unit_of_work() as session:
            self.office_name, _address = kiosk.office_heading(session, actor)
            self.time_zone, self.home_province = kiosk.office_setting(session, actor)
        if fullscreen:
            self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(f"PST — {self.office_name}")
        screen = QApplication.primaryScreen()
        if fullscreen and screen is not None:
            self._restyle(screen.size().width(), screen.size().height())
        else:
            self._restyle(1366, 768)
        self._build()
        self.idle = self._timer(idle_ms, self.wipe)
        self.ticket_timer = self._timer(ticket_ms, self.wipe)
        self.thanks_timer = self._timer(thanks_ms, self.wipe)
        QApplication.instance().installEventFilter(self)
        self.set_mode(self.mode)

    def _timer(self, ms: int, slot) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    # --- layout -----------------------------------------------------------------------------------
    def _build(self) -> None:
        t = self.texts
        header = named(QFrame(), "kioskHeader", tr("Kepala kios", "Kiosk header"))
        self.corner = button(t, "staffCorner", "logo", "PST", "PST")
        t.bind(self.corner.setAccessibleName, "Logo PST", "PST logo")
        self.corner.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.corner.clicked.connect(self._corner_tapped)
        name = named(QLabel(self.office_name), "officeName", self.office_name)
        self.subtitle = named(QLabel(), "officeSubtitle", tr("Layanan", "Service"))
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(name)
        titles.addWidget(self.subtitle)
        self.language_button = button(t, "languageSwitch", "language", "English", "Bahasa Indonesia")
        self.language_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.language_button.clicked.connect(self.switch_language)
        bar = QHBoxLayout(header)
        bar.setContentsMargins(20, 12, 24, 12)
        bar.setSpacing(18)
        bar.addWidget(self.corner)
        bar.addLayout(titles, 1)
        bar.addWidget(self.language_button, 0, Qt.AlignmentFlag.AlignVCenter)

        self.welcome = WelcomePage(
            "guestbookWelcome", ("Selamat datang", "Welcome"),
            ("Silakan isi buku tamu untuk mendapatkan nomor antrean.",
             "Please sign the guestbook to get your queue number."),
            ("Isi buku tamu", "Sign the guestbook"), ("Saya pernah berkunjung", "I have visited before"),
            ("Data pribadi Anda dilindungi sesuai UU No. 27 Tahun 2022 dan hanya dipakai untuk pelayanan.",
             "Your personal data is protected under Law No. 27 of 2022 and used only to serve you."))
        self.lookup = LookupPage("returningLookup", ("Cari data kunjungan Anda", "Find your earlier entry"),
                                 ("Nomor HP atau email yang dulu Anda pakai", "The mobile number or email you used"),
                                 ("Cari data saya", "Find my entry"),
                                 ("Isi sebagai pengunjung baru", "Sign in as a new visitor"))
        self.home = HomePage()
        self.form = GuestbookForm(self.time_zone, self.home_province)
        self.ticket_page = TicketPage()
        self.poll_welcome = WelcomePage(
            "pollWelcome", ("Survei Kepuasan Masyarakat", "Public Satisfaction Survey"),
            ("Bagaimana pelayanan kami hari ini? Sembilan pertanyaan singkat, kurang dari dua menit.",
             "How did we serve you today? Nine short questions, less than two minutes."),
            ("Mulai survei", "Start the survey"))
        self.poll = PollFlow()
        self.thanks = ThanksPage()
        self.staff = StaffPage()
        self.pages = [self.home, self.welcome, self.lookup, self.form, self.ticket_page, self.poll_welcome, self.poll,
                      self.thanks, self.staff]
        self.stack = named(CurrentPageStack(), "kioskPages", tr("Halaman kios", "Kiosk pages"))
        for page in self.pages:
            self.stack.addWidget(page)

        self.home.guestbook.connect(self.start_guestbook)
        self.home.returning.connect(self.start_lookup)
        self.home.poll.connect(self.start_poll)
        self.welcome.started.connect(self.start_guestbook)
        self.welcome.alternative.connect(self.start_lookup)
        self.lookup.searched.connect(self.find_returning)
        self.lookup.back.connect(self.wipe)
        self.lookup.alternative.connect(self.start_guestbook)
        self.form.cancelled.connect(self.wipe)
        self.form.submitRequested.connect(self.register)
        self.ticket_page.done.connect(self.wipe)
        self.poll_welcome.started.connect(self.start_poll)
        self.poll.lookupRequested.connect(self.find_visit)
        self.poll.submitRequested.connect(self.answer_poll)
        self.poll.cancelled.connect(self.wipe)
        self.thanks.done.connect(self.wipe)
        self.staff.unlockRequested.connect(self.unlock)
        self.staff.exitRequested.connect(self.leave)
        self.staff.modeChosen.connect(self.choose_mode)
        self.staff.changePinRequested.connect(self.change_pin)
        self.staff.cancelled.connect(self.wipe)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(scrolling(self.stack), 1)  # a page taller than a small screen scrolls

    def _restyle(self, width: int, height: int) -> None:
        scale = scale_for(width, height)
        if abs(scale - self.scale) > 0.04:
            self.scale = scale
            self.setStyleSheet(stylesheet(scale))

    def resizeEvent(self, event) -> None:
        self._restyle(event.size().width(), event.size().height())
        super().resizeEvent(event)

    # --- lockdown ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.isVisible():  # a hidden kiosk takes no key of another window
            return False
        kind = event.type()
        if kind in INPUT_EVENTS:
            self.idle.start()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key, mods = event.key(), event.modifiers()
            ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
            if key == Qt.Key.Key_K and (mods & ctrl_shift) == ctrl_shift:
                self.open_staff()
                return True
            if key in (Qt.Key.Key_Escape, Qt.Key.Key_F11) or (
                    key == Qt.Key.Key_F4 and mods & Qt.KeyboardModifier.AltModifier):
                return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.may_close:
            QApplication.instance().removeEventFilter(self)
            event.accept()
        else:
            event.ignore()

    def changeEvent(self, event: QEvent) -> None:
        if (self.fullscreen and not self.may_close and event.type() == QEvent.Type.WindowStateChange
                and not self.isFullScreen()):
            QTimer.singleShot(0, self.showFullScreen)
        super().changeEvent(event)

    def _corner_tapped(self) -> None:
        now = time.monotonic()
        self.taps = [t for t in self.taps if now - t <= GESTURE_SECONDS] + [now]
        if len(self.taps) >= GESTURE_TAPS:
            self.taps.clear()
            self.open_staff()

    # --- navigation -------------------------------------------------------------------------------
    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        self.idle.start()

    def wipe(self) -> None:
        """Forget the visitor: every field emptied, default language, start page of the mode."""
        for timer in (self.ticket_timer, self.thanks_timer):
            timer.stop()
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        if self.pin_dialog is not None:
            self.pin_dialog.reject()
        for page in self.pages:
            page.reset()
        self.form.seal()
        self.last_ticket = None
        self.taps.clear()
        if language() != self.default_language:
            set_language(self.default_language)
            self.retranslate()
        self.show_page({"poll": self.poll_welcome, "both": self.home}.get(self.mode, self.welcome))

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.staff.mode = mode
        self.wipe()
        self.retranslate()

    def choose_mode(self, mode: str) -> None:
        """Staff (after the PIN) choose what the kiosk serves; kept for the next start when it can be."""
        self.set_mode(mode if mode in MODES else "guestbook")
        if self.remember_mode is not None:
            try:
                self.remember_mode(self.mode)
            except (OSError, RuntimeError):  # settings.json unwritable: the choice holds until the kiosk stops
                pass

    def switch_language(self) -> None:
        set_language("en" if language() == "id" else "id")
        self.retranslate()

    def retranslate(self) -> None:
        self.texts.apply()
        service = {"guestbook": ("Buku Tamu", "Guestbook"), "poll": ("Survei Kepuasan", "Satisfaction Survey"),
                   "both": ("Buku Tamu dan Survei Kepuasan", "Guestbook and Satisfaction Survey")}[self.mode]
        self.subtitle.setText(tr(f"Pelayanan Statistik Terpadu · {service[0]}",
                                 f"Integrated Statistical Services · {service[1]}"))
        for page in self.pages:
            page.retranslate()

    # --- guestbook --------------------------------------------------------------------------------
    def start_guestbook(self) -> None:
        self.form.reset()
        self.show_page(self.form)

    def start_lookup(self) -> None:
        self.lookup.reset()
        self.show_page(self.lookup)

    def find_returning(self, key: str) -> None:
        if not key.strip():
            self.lookup.show_message(ValidationError("required", "lookup").message(language()))
            return
        try:
            with self.database.unit_of_work() as session:
                found = kiosk.returning_visitor(session, self.actor, key)
        except Exception as error:  # noqa: BLE001 - a lost connection is told, never a crash
            self.lookup.show_message(self._trouble(error))
            return
        if found is None:
            self.lookup.show_message(tr("Data tidak ditemukan. Periksa nomor HP atau email, atau isi buku tamu "
                                        "sebagai pengunjung baru.",
                                        "No entry found. Check the mobile number or email, or sign in as a new "
                                        "visitor."), alternative=True)
            return
        self.lookup.reset()
        self.form.load_returning(found)
        self.show_page(self.form)

    def register(self) -> None:
        """Record the visit (once per tap: the form is busy until this returns), show the number,
        then print the ticket."""
        answers, (purpose, other) = self.form.answers(), self.form.purpose_answer()
        try:
            with self.database.unit_of_work() as session:
                ticket = kiosk.register(session, self.actor, answers, purpose, other,
                                        visitor_id=self.form.visitor_id)
        except ValidationError as error:
            self.form.release()
            if error.field in answers or self.form.visitor_id is None:
                self.form.show_errors({error.field or "": error})
                return
            # a returning visitor's stored answer that today's rules refuse (e.g. an older identity number)
            self.form.banner.setText(tr("Data Anda yang tersimpan perlu diperbarui: ", "Your stored details need "
                                        "updating: ") + error.message(language()) + " "
                                     + tr("Ketuk \"Isi ulang data diri\".", "Tap \"Enter my details again\"."))
            self.form.banner.show()
            return
        except Exception as error:  # noqa: BLE001
            self.form.release()
            self.form.banner.setText(self._trouble(error))
            self.form.banner.show()
            return
        self.form.reset()
        self.form.seal()
        self.last_ticket = ticket
        self.ticket_page.show_ticket(ticket)
        self.show_page(self.ticket_page)
        self.ticket_timer.start()
        QTimer.singleShot(0, self.print_ticket)

    def print_ticket(self) -> None:
        ticket = self.last_ticket
        if ticket is None:
            return
        slip = TicketSlip(ticket.office_name, ticket.office_address, ticket.queue_code,
                          ticket.purpose, ticket.arrived, ticket.waiting_ahead, ticket.visitor)
        try:
            pdf = render_ticket(slip, self.ticket_width, language())
            outcome = deliver_ticket(pdf, ticket.queue_code, self.tickets_dir,
                                     self.printer() if self.printer else None)
        except Exception:  # noqa: BLE001 - the number on screen is what matters
            self.ticket_page.set_status(tr("Tiket tidak dapat dicetak. Ingat nomor antrean Anda di atas.",
                                           "The ticket could not be printed. Please remember your number above."))
            return
        if outcome.printed:
            self.ticket_page.set_status(tr("Ambil tiket Anda di printer.", "Please take your ticket from the printer."))
        else:
            self.ticket_page.set_status(tr(
                f"Printer tidak tersedia; tiket disimpan sebagai berkas untuk petugas. Ingat nomor Anda: "
                f"{ticket.queue_code}.",
                f"No printer is available; the ticket was saved as a file for the staff. Please remember "
                f"your number: {ticket.queue_code}."))
            self.ticket_page.status.setToolTip(outcome.where)

    # --- exit poll --------------------------------------------------------------------------------
    def start_poll(self) -> None:
        self.poll.reset()
        self.show_page(self.poll)

    def find_visit(self, key: str) -> None:
        try:
            with self.database.unit_of_work() as session:
                visit = kiosk.visit_for_poll(session, self.actor, key)
        except DomainError as refused:
            self.poll.lookup.show_message(refused.message(language()))
            return
        except Exception as error:  # noqa: BLE001
            self.poll.lookup.show_message(self._trouble(error))
            return
        self.poll.show_visit(visit)

    def answer_poll(self) -> None:
        visit = self.poll.visit
        ratings, comment, complaint = self.poll.answers()
        try:
            with self.database.unit_of_work() as session:
                feedback.answer_poll(session, self.actor, visit.visit_id, ratings, comment=comment,
                                     complaint=complaint)
        except ValidationError as refused:
            self.poll.refuse(refused)
            return
        except Exception as error:  # noqa: BLE001
            self.poll.release()
            self.poll.comment_box.set_error(self._trouble(error))
            return
        code = visit.queue_code
        self.poll.reset()
        self.thanks.show_thanks(code)
        self.show_page(self.thanks)
        self.thanks_timer.start()

    # --- staff ------------------------------------------------------------------------------------
    def open_staff(self) -> None:
        if self.stack.currentWidget() is self.staff:
            return
        self.wipe()
        self.staff.reset()
        self.staff.retranslate()
        self.show_page(self.staff)

    def unlock(self, pin: str) -> None:
        """The staff actions after the right PIN; a wrong PIN or the lock (counted in the database for
        every kiosk) is told on the PIN page."""
        try:
            with self.database.unit_of_work() as session:
                kiosk.check_kiosk_pin(session, self.actor, pin, "staff access at the kiosk")
                old_pin = kiosk.kiosk_pin_is_old(session, self.actor.office_id)
        except DomainError as refused:
            self.staff.refuse(refused)
            return
        except Exception as error:  # noqa: BLE001
            self.staff.refuse(self._trouble(error))
            return
        self.staff.show_actions(old_pin)

    def change_pin(self) -> None:
        """A supervisor sets a new staff PIN over the unlocked kiosk."""
        self.pin_dialog = PinSetupDialog(self.database, self, change=True)
        self.pin_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pin_dialog.accepted.connect(lambda: self.staff.old_pin_notice.hide())
        self.pin_dialog.finished.connect(lambda _code: setattr(self, "pin_dialog", None))
        self.pin_dialog.open()

    def leave(self) -> None:
        self.may_close = True
        self.idle.stop()
        self.close()
        self.left.emit()

    @staticmethod
    def _trouble(error: Exception) -> str:
        if isinstance(error, DomainError):
            return error.message(language())
        return tr("Maaf, ada gangguan sehingga data belum tersimpan. Coba lagi, atau minta bantuan petugas.",
                  "Sorry, something went wrong and nothing was saved. Try again, or ask the staff for help.")

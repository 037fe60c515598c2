"""Staff access to a locked kiosk: the PIN page (reached by the hidden gesture) with its keypad and,
once unlocked, leave kiosk mode or choose what the kiosk serves (guestbook, poll, or both from a start
screen). Plus the first-start dialog in
which a supervisor sets the PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pstdesktop.bootstrap import Database
from pstdesktop.services import kiosk
from pstdesktop.services.errors import MESSAGES, DomainError
from pstdesktop.services.office import login
from ui.i18n import language, tr
from ui.kiosk.widgets import Texts, button, card, label, restyle
from ui.widgets import fit_to_screen, named

MODE_CHOICES = (  # mode, button name, words
    ("guestbook", "staffModeGuestbook", ("Buku tamu saja", "Guestbook only")),
    ("poll", "staffModePoll", ("Survei kepuasan saja", "Satisfaction poll only")),
    ("both", "staffModeBoth", ("Buku tamu dan survei", "Guestbook and poll")),
)
MODE_NAMES = {"guestbook": ("Buku tamu", "Guestbook"), "poll": ("Survei kepuasan", "Satisfaction poll"),
              "both": ("Buku tamu dan survei kepuasan, dipilih pengunjung di layar awal",
                       "Guestbook and satisfaction poll, chosen by visitors on the start screen")}
OLD_PIN_NOTICE = ("PIN staf ini dibuat dengan aturan lama (boleh 4 angka, disimpan lemah). PIN ini masih "
                  "berlaku, tetapi supervisor perlu menetapkan PIN baru.",
                  "This staff PIN was set under the old rules (4 digits allowed, weakly stored). It still "
                  "works, but a supervisor needs to set a new PIN.")


class StaffPage(QWidget):
    """PIN entry on a big keypad; after a right PIN, the staff actions."""

    unlockRequested = Signal(str)
    exitRequested = Signal()
    modeChosen = Signal(str)
    changePinRequested = Signal()
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.texts = Texts()
        self.mode = "guestbook"
        self.refusal: DomainError | None = None  # on screen, re-worded on a language switch
        named(self, "staffPage", tr("Akses staf", "Staff access"))
        heading = label(self.texts, "staffTitle", "stepTitle", "Akses staf", "Staff access")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._pin_panel())
        self.stack.addWidget(self._action_panel())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 24, 60, 24)
        layout.addWidget(heading)
        layout.addWidget(self.stack, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def _pin_panel(self) -> QWidget:
        t = self.texts
        panel = card()
        panel.setMinimumWidth(760)
        prompt = label(t, "staffPrompt", "fieldLabel", "Masukkan PIN staf", "Enter the staff PIN")
        self.pin = named(QLineEdit(), "staffPin", tr("PIN staf", "Staff PIN"))
        t.bind(self.pin.setAccessibleName, "PIN staf", "Staff PIN")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.setMaxLength(kiosk.PIN_MAX)
        self.pin.returnPressed.connect(self._unlock)
        self.pin.textChanged.connect(lambda _t: self.show_message(""))
        prompt.setBuddy(self.pin)
        self.message = named(QLabel(), "staffMessage", tr("Pesan", "Message"))
        self.message.setProperty("role", "banner")
        self.message.setWordWrap(True)
        self.message.hide()
        keys = QGridLayout()
        keys.setSpacing(10)
        for index, key in enumerate("123456789"):
            keys.addWidget(self._key(key), index // 3, index % 3)
        clear = button(t, "key_clear", "key", "Hapus", "Clear")
        clear.clicked.connect(self.pin.clear)
        keys.addWidget(clear, 3, 0)
        keys.addWidget(self._key("0"), 3, 1)
        back = button(t, "key_back", "key", "\u232b", "\u232b")
        t.bind(back.setAccessibleName, "Hapus satu angka", "Delete one digit")
        back.clicked.connect(self.pin.backspace)
        keys.addWidget(back, 3, 2)
        self.unlock_button = button(t, "staffUnlock", "primary", "Buka", "Unlock")
        self.unlock_button.clicked.connect(self._unlock)
        cancel = button(t, "staffCancel", "secondary", "Batal", "Cancel")
        cancel.clicked.connect(self.cancelled)
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(prompt)
        left.addWidget(self.pin)
        left.addStretch(1)
        left.addWidget(self.unlock_button)
        left.addWidget(cancel)
        row = QHBoxLayout()
        row.setSpacing(30)
        row.addLayout(left, 1)
        row.addLayout(keys)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(30, 24, 30, 24)
        layout.setSpacing(18)
        layout.addWidget(self.message)  # the whole width: a lock and its minutes are read at a glance
        layout.addLayout(row)
        return panel

    def _key(self, digit: str):
        key = button(self.texts, f"key_{digit}", "key", digit, digit)
        key.clicked.connect(lambda: self.pin.insert(digit))
        return key

    def _action_panel(self) -> QWidget:
        t = self.texts
        panel = card()
        panel.setMinimumWidth(560)
        self.mode_label = named(QLabel(), "staffModeNow", tr("Layanan kios sekarang", "What the kiosk serves now"))
        self.mode_label.setProperty("role", "fieldLabel")
        self.mode_label.setWordWrap(True)
        self.mode_buttons = {}
        for mode, name, words in MODE_CHOICES:
            choice = button(t, name, "secondary", *words)
            choice.clicked.connect(lambda _c=False, m=mode: self.modeChosen.emit(m))
            self.mode_buttons[mode] = choice
        leave = button(t, "staffExit", "heroAlt", "Keluar dari mode kios", "Leave kiosk mode")
        leave.clicked.connect(self.exitRequested)
        self.old_pin_notice = label(t, "staffPinNotice", "notice", *OLD_PIN_NOTICE)
        change_pin = button(t, "staffChangePin", "secondary", "Ganti PIN staf", "Change the staff PIN")
        change_pin.clicked.connect(self.changePinRequested)
        back = button(t, "staffBack", "primary", "Kembali ke kios", "Back to the kiosk")
        back.clicked.connect(self.cancelled)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(36, 30, 36, 30)
        layout.setSpacing(18)
        bottom = QHBoxLayout()
        bottom.setSpacing(18)
        bottom.addWidget(change_pin)
        bottom.addWidget(back, 1)
        layout.addWidget(self.old_pin_notice)
        layout.addWidget(self.mode_label)
        choices = QHBoxLayout()
        choices.setSpacing(18)
        for choice in self.mode_buttons.values():
            choices.addWidget(choice, 1)
        layout.addLayout(choices)
        layout.addWidget(leave)
        layout.addSpacing(12)
        layout.addLayout(bottom)
        return panel

    def _unlock(self) -> None:
        if self.pin.text():
            self.unlockRequested.emit(self.pin.text())

    def show_message(self, text: str) -> None:
        self.refusal = None
        self.message.setText(text)
        self.message.setVisible(bool(text))
        restyle(self.pin, invalid=bool(text))

    def refuse(self, refusal: DomainError | str) -> None:
        """Say why the PIN did not open the kiosk (a wrong PIN, the lock and its minutes, a fault)."""
        self.pin.clear()
        if isinstance(refusal, DomainError):
            self.show_message(refusal.message(language()))
            self.refusal = refusal
        else:
            self.show_message(refusal)

    def show_actions(self, old_pin: bool = False) -> None:
        self.pin.clear()
        self.old_pin_notice.setVisible(old_pin)
        self.stack.setCurrentIndex(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.texts.apply()
        if self.refusal is not None:
            self.message.setText(self.refusal.message(language()))
        now = tr(*MODE_NAMES[self.mode])
        self.mode_label.setText(tr(f"Sekarang: {now}. Ganti ke:", f"Now: {now}. Switch to:"))
        for mode, choice in self.mode_buttons.items():
            choice.setVisible(mode != self.mode)

    def reset(self) -> None:
        self.pin.clear()
        self.show_message("")
        self.stack.setCurrentIndex(0)


class PinSetupDialog(QDialog):
    """A supervisor signs in and sets the staff PIN (6-8 digits, typed twice): at the first start, when
    the PIN is old (``renew``; it keeps working if they choose "Later"), or from the staff actions."""

    def __init__(self, database: Database, parent=None, *, renew: bool = False, change: bool = False):
        super().__init__(parent)
        self.database = database
        self.setObjectName("pinSetupDialog")
        self.setWindowTitle(tr("PIN staf kios", "Kiosk staff PIN"))
        self.setMinimumWidth(520)
        fit_to_screen(self)  # its size hint, within the screen, when shown
        rule = tr(f"{kiosk.PIN_MIN}-{kiosk.PIN_MAX} angka", f"{kiosk.PIN_MIN}-{kiosk.PIN_MAX} digits")
        if renew:
            words = tr(*OLD_PIN_NOTICE) + " " + tr(f"Supervisor: masuk lalu tetapkan PIN baru ({rule}).",
                                                   f"Supervisor: sign in and set a new PIN ({rule}).")
        elif change:
            words = tr(f"Supervisor: masuk lalu tetapkan PIN staf baru ({rule}). PIN lama tidak berlaku lagi.",
                       f"Supervisor: sign in and set a new staff PIN ({rule}). The old PIN stops working.")
        else:
            words = tr("Kios belum memiliki PIN staf. PIN dipakai staf untuk keluar dari mode kios atau "
                       f"mengganti buku tamu/survei. Supervisor: masuk lalu tetapkan PIN ({rule}).",
                       "The kiosk has no staff PIN yet. Staff use it to leave kiosk mode or switch between "
                       f"guestbook and poll. Supervisor: sign in and set a PIN ({rule}).")
        intro = named(QLabel(words), "pinSetupIntro", tr("Penjelasan", "Explanation"))
        intro.setWordWrap(True)
        self.fields = {}
        form = QFormLayout()
        for key, words, secret in (("username", ("Nama pengguna supervisor", "Supervisor username"), False),
                                   ("password", ("Kata sandi", "Password"), True),
                                   ("pin", ("PIN baru", "New PIN"), True),
                                   ("repeat", ("Ulangi PIN", "Repeat the PIN"), True)):
            edit = named(QLineEdit(), f"pinSetup_{key}", tr(*words))
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.fields[key] = edit
            form.addRow(tr(*words), edit)
        self.message = named(QLabel(""), "pinSetupMessage", tr("Pesan", "Message"))
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("Simpan PIN", "Save PIN"))
        named(ok, "pinSetupSave", ok.text())
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Nanti", "Later") if renew else tr("Batal", "Cancel"))
        named(cancel, "pinSetupCancel", cancel.text())
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> None:
        f = {key: edit.text() for key, edit in self.fields.items()}
        try:
            with self.database.unit_of_work() as session:
                actor, error = login(session, f["username"], f["password"])
            if actor is None:
                self.message.setText(MESSAGES[error][language() == "en"])
                return
            with self.database.unit_of_work() as session:
                kiosk.set_kiosk_pin(session, actor, f["pin"], f["repeat"])
        except DomainError as refused:
            self.message.setText(refused.message(language()))
            return
        self.accept()

"""The office's recovery code: shown once when it is made, and used at sign-in by a supervisor who is
locked out or forgot the password (the only supervisor of a small office included)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from pstdesktop.bootstrap import Database
from pstdesktop.services.access import Actor
from pstdesktop.services.errors import DomainError
from pstdesktop.services.office import recover
from ui.i18n import language, tr
from ui.widgets import fit_to_screen, named


class RecoveryCodeDialog(QDialog):
    """Shows a new recovery code once; continuing needs a tick that it was written down."""

    def __init__(self, code: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Kode pemulihan kantor", "Office recovery code"))
        self.setMinimumWidth(520)
        fit_to_screen(self)  # its size hint, within the screen, when shown
        intro = QLabel(tr(
            "Tulis kode ini di kertas dan simpan di brankas kantor. Dengan kode ini supervisor yang terkunci "
            "atau lupa kata sandi dapat masuk lagi. Kode ini hanya ditampilkan sekali; yang lama tidak berlaku lagi.",
            "Write this code on paper and keep it in the office safe. With it a supervisor who is locked out "
            "or forgot the password can sign in again. It is shown only once; any earlier code no longer works."))
        intro.setWordWrap(True)
        shown = named(QLabel(code), "recoveryCode", tr("Kode pemulihan", "Recovery code"))
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(18)
        font.setBold(True)
        shown.setFont(font)
        shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setStyleSheet("padding: 14px; border: 2px dashed #888; background: #fffbe6;")
        self.noted = named(QCheckBox(tr("Saya sudah mencatat kode ini", "I have written this code down")),
                           "recoveryNoted", tr("Sudah dicatat", "Written down"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = named(buttons.button(QDialogButtonBox.StandardButton.Ok), "recoveryContinue",
                        tr("Lanjut", "Continue"))
        self.ok.setText(tr("Lanjut", "Continue"))
        self.ok.setEnabled(False)
        self.noted.toggled.connect(self.ok.setEnabled)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(shown)
        layout.addWidget(self.noted)
        layout.addWidget(buttons)

    def reject(self) -> None:  # Esc or the close button must not hide the code before it is noted
        if self.noted.isChecked():
            super().reject()


class RecoverDialog(QDialog):
    """Sign in again with the recovery code and a new password; the code is then replaced."""

    def __init__(self, database: Database, username: str = "", parent=None):
        super().__init__(parent)
        self.database = database
        self.actor: Actor | None = None
        self.new_code = ""
        self.setWindowTitle(tr("Pulihkan akun supervisor", "Recover a supervisor account"))
        self.setMinimumWidth(480)
        fit_to_screen(self)  # its size hint, within the screen, when shown
        intro = QLabel(tr("Untuk supervisor yang terkunci atau lupa kata sandi: masukkan kode pemulihan kantor "
                          "dan kata sandi baru. Setelah itu kode baru dibuat dan ditampilkan sekali.",
                          "For a supervisor who is locked out or forgot the password: enter the office's recovery "
                          "code and a new password. A new code is then made and shown once."))
        intro.setWordWrap(True)
        self.username = named(QLineEdit(username), "recoverUsername", tr("Nama pengguna supervisor", "Supervisor username"))
        self.code = named(QLineEdit(), "recoverCode", tr("Kode pemulihan", "Recovery code"))
        self.code.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX")
        self.password = named(QLineEdit(), "recoverPassword", tr("Kata sandi baru", "New password"))
        self.repeat = named(QLineEdit(), "recoverRepeat", tr("Ulangi kata sandi", "Repeat the password"))
        for edit in (self.password, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(tr("Nama pengguna supervisor", "Supervisor username"), self.username)
        form.addRow(tr("Kode pemulihan", "Recovery code"), self.code)
        form.addRow(tr("Kata sandi baru (min. 10 karakter)", "New password (at least 10 characters)"), self.password)
        form.addRow(tr("Ulangi kata sandi", "Repeat the password"), self.repeat)
        self.message = named(QLabel(""), "recoverMessage", tr("Pesan", "Message"))
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = named(buttons.button(QDialogButtonBox.StandardButton.Ok), "recoverButton", tr("Pulihkan", "Recover"))
        ok.setText(tr("Pulihkan", "Recover"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal", "Cancel"))
        buttons.accepted.connect(self.try_recover)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_recover(self) -> None:
        if self.password.text() != self.repeat.text():
            self.message.setText(tr("Kata sandi dan ulangannya tidak sama.", "The password and its repeat differ."))
            return
        try:
            with self.database.unit_of_work() as session:
                self.actor, self.new_code = recover(session, self.username.text(), self.code.text(),
                                                    self.password.text())
        except DomainError as error:
            self.message.setText(error.message(language()))
            return
        RecoveryCodeDialog(self.new_code, self).exec()
        self.accept()

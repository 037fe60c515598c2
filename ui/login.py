"""Sign-in of a staff account. It imports neither SQLAlchemy nor the services: it shows while the database
is still being opened (``pstdesktop.opening``). Nor does it touch Qt's ``Qt`` namespace (some hundred
enums, ~10 ms to make) before it is painted: what needs it is done after the first paint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from pstdesktop.services.errors import MESSAGES
from ui.i18n import language, tr
from ui.widgets import fit_to_screen, named

if TYPE_CHECKING:
    from pstdesktop.bootstrap import Database
    from pstdesktop.opening import Opening
    from pstdesktop.services.access import Actor


def use_app_icon() -> None:
    """The application's icon on its windows. The quick start sets it once the sign-in is painted (QIcon and
    the PNG are not needed for that; the program file shows its own icon meanwhile), the long way first."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    import resources

    QApplication.setWindowIcon(QIcon(str(resources.path("icons", "pst.png"))))


class LoginDialog(QDialog):
    """Username and password; a failed attempt is counted and explained. ``database`` may still be opening."""

    def __init__(self, database: Database | Opening, office_name: str, parent=None):
        super().__init__(parent)
        self.database = database
        self.actor: Actor | None = None
        self.read_only_failures = 0
        self.setWindowTitle(tr("Masuk — PST Desktop", "Sign in — PST Desktop")
                            + (tr(" (hanya baca)", " (read-only)") if database.read_only else ""))
        self.setMinimumWidth(420)
        fit_to_screen(self)  # its size hint, within the screen, when shown
        title = QLabel(f"<div align='center'><b>{office_name}</b><br>"
                       f"{tr('Pelayanan Statistik Terpadu', 'Integrated Statistical Services')}</div>")
        self.username = named(QLineEdit(), "loginUsername", tr("Nama pengguna", "Username"))
        self.password = named(QLineEdit(), "loginPassword", tr("Kata sandi", "Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = named(QLabel(""), "loginMessage", tr("Pesan", "Message"))
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Nama pengguna", "Username"), self.username)
        form.addRow(tr("Kata sandi", "Password"), self.password)
        buttons = QDialogButtonBox()  # the buttons set apart: that constructor's overloads make Qt's namespace
        buttons.setStandardButtons(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Masuk", "Sign in"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal", "Cancel"))
        named(buttons.button(QDialogButtonBox.StandardButton.Ok), "loginButton", tr("Masuk", "Sign in"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addLayout(form)
        forgot = named(QPushButton(tr("Lupa kata sandi atau akun terkunci?", "Forgot the password or locked out?")),
                       "recoverLink", tr("Pulihkan akun", "Recover account"))
        forgot.setFlat(True)
        forgot.setStyleSheet("QPushButton { color: #1a56b0; text-decoration: underline; border: none; }")
        forgot.clicked.connect(self.recover)
        layout.addWidget(self.message)
        link_row = QHBoxLayout()
        link_row.addWidget(forgot)
        link_row.addStretch()
        layout.addLayout(link_row)
        layout.addWidget(buttons)
        self.forgot, self.painted = forgot, False

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, self.after_first_paint)

    def after_first_paint(self) -> None:
        """What the first paint does not need: the link's pointing-hand cursor (Qt's namespace) and the
        application's icon (QIcon and the PNG; the program file carries its own icon meanwhile)."""
        from PySide6.QtCore import Qt

        self.forgot.setCursor(Qt.CursorShape.PointingHandCursor)
        use_app_icon()

    def opened(self) -> Database | None:
        """The database, once open (waiting for it if needed); None when it could not be opened: the
        sign-in closes and its owner says why."""
        wait = getattr(self.database, "wait", None)
        if wait is None:
            return self.database
        try:
            return wait()
        except BaseException:  # noqa: BLE001 - ui.app tells the opening's fault
            self.reject()
            return None

    def recover(self) -> None:
        """A supervisor signs in again with the office's recovery code."""
        from ui.recovery import RecoverDialog

        database = self.opened()
        if database is None:
            return
        dialog = RecoverDialog(database, self.username.text(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.actor is not None:
            self.actor = dialog.actor
            self.accept()

    def try_login(self) -> None:
        from pstdesktop.services.office import MAX_FAILED_LOGINS, login

        database = self.opened()
        if database is None:
            return
        with database.unit_of_work() as session:
            actor, error = login(session, self.username.text(), self.password.text())
            if database.read_only:  # a read-only view writes nothing: its wrong answers count here
                session.expunge_all()
                self.read_only_failures += actor is None
        if actor is None and self.read_only_failures >= MAX_FAILED_LOGINS:
            self.reject()
            return
        if actor is None:
            self.message.setText(MESSAGES[error][1 if language() == "en" else 0])
            self.password.clear()
            return
        self.actor = actor
        self.accept()

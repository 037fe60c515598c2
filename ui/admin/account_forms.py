"""Small forms of the Akun tab: a new account, a new password, a new role. Each calls its service
on OK and stays open with the reason when the service refuses, so nothing typed is lost."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from models import Role
from pstdesktop.bootstrap import Database
from pstdesktop.services.access import Actor
from pstdesktop.services.errors import ValidationError
from pstdesktop.services.office import create_account, set_password, set_role
from ui.admin.common import ERROR_STYLE, error_text, role_word
from ui.i18n import tr
from ui.widgets import named


def role_combo(name: str) -> QComboBox:
    combo = named(QComboBox(), name, tr("Peran", "Role"))
    for role in (Role.OFFICER, Role.TREASURER, Role.SUPERVISOR, Role.KIOSK):
        combo.addItem(role_word(role), role)
    return combo


def password_edit(name: str, label: str) -> QLineEdit:
    edit = named(QLineEdit(), name, label)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class ServiceForm(QDialog):
    """A form whose OK runs ``self.submit(session)`` in one unit of work."""

    def __init__(self, database: Database, actor: Actor, title: str, prefix: str, parent=None):
        super().__init__(parent)
        self.database, self.actor = database, actor
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.form = QFormLayout()
        self.message = named(QLabel(""), f"{prefix}Message", tr("Pesan", "Message"))
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        named(ok, f"{prefix}Ok", tr("Simpan", "Save")).setText(tr("Simpan", "Save"))
        named(buttons.button(QDialogButtonBox.StandardButton.Cancel), f"{prefix}Cancel",
              tr("Batal", "Cancel")).setText(tr("Batal", "Cancel"))
        buttons.accepted.connect(self.try_submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def submit(self, session) -> None:
        raise NotImplementedError

    def try_submit(self) -> None:
        try:
            with self.database.unit_of_work() as session:
                self.submit(session)
        except Exception as error:  # refused: the transaction was rolled back
            self.message.setText(error_text(error))
            return
        self.accept()


def _same(first: QLineEdit, second: QLineEdit) -> str:
    if first.text() != second.text():
        raise ValidationError("password_mismatch", "password")
    return first.text()


class NewAccountForm(ServiceForm):
    def __init__(self, database: Database, actor: Actor, parent=None):
        super().__init__(database, actor, tr("Akun baru", "New account"), "newAccount", parent)
        self.username = named(QLineEdit(), "newAccountUsername", tr("Nama pengguna", "Username"))
        self.full_name = named(QLineEdit(), "newAccountFullName", tr("Nama lengkap", "Full name"))
        self.nip = named(QLineEdit(), "newAccountNip", tr("NIP", "NIP"))
        self.nip.setPlaceholderText(tr("18 digit (boleh kosong untuk akun kios)", "18 digits (may be empty for a kiosk)"))
        self.role = role_combo("newAccountRole")
        self.password = password_edit("newAccountPassword", tr("Kata sandi", "Password"))
        self.repeat = password_edit("newAccountRepeat", tr("Ulangi kata sandi", "Repeat password"))
        self.password.setPlaceholderText(tr("paling sedikit 6 karakter", "at least 6 characters"))
        for label, widget in ((tr("Nama pengguna", "Username"), self.username),
                              (tr("Nama lengkap", "Full name"), self.full_name), ("NIP", self.nip),
                              (tr("Peran", "Role"), self.role), (tr("Kata sandi", "Password"), self.password),
                              (tr("Ulangi kata sandi", "Repeat password"), self.repeat)):
            self.form.addRow(label, widget)
        self.created: str = ""

    def submit(self, session) -> None:
        account = create_account(session, self.actor, self.username.text(), self.full_name.text(),
                                 self.role.currentData(), _same(self.password, self.repeat), nip=self.nip.text())
        self.created = account.username


class PasswordForm(ServiceForm):
    def __init__(self, database: Database, actor: Actor, account_id: int, username: str, parent=None):
        super().__init__(database, actor, tr(f"Kata sandi baru untuk {username}", f"New password for {username}"),
                         "resetPassword", parent)
        self.account_id = account_id
        self.password = password_edit("resetPasswordNew", tr("Kata sandi baru", "New password"))
        self.repeat = password_edit("resetPasswordRepeat", tr("Ulangi kata sandi", "Repeat password"))
        self.form.addRow(tr("Kata sandi baru", "New password"), self.password)
        self.form.addRow(tr("Ulangi kata sandi", "Repeat password"), self.repeat)

    def submit(self, session) -> None:
        set_password(session, self.actor, self.account_id, _same(self.password, self.repeat))


class RoleForm(ServiceForm):
    def __init__(self, database: Database, actor: Actor, account_id: int, username: str, current: Role,
                 parent=None):
        super().__init__(database, actor, tr(f"Ubah peran {username}", f"Change the role of {username}"),
                         "changeRole", parent)
        self.account_id = account_id
        self.role = role_combo("changeRoleRole")
        self.role.setCurrentIndex(self.role.findData(current))
        self.form.addRow(tr("Peran baru", "New role"), self.role)

    def submit(self, session) -> None:
        set_role(session, self.actor, self.account_id, self.role.currentData())


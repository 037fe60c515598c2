"""Small forms of the Akun tab: a new account, a new password, a new role. Each checks the whole form on
OK and marks every refused field at once; it stays open while anything is refused, so nothing typed is
lost, and asks before closing with changes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from models import Role
from pstdesktop.bootstrap import Database
from pstdesktop.services.access import Actor
from pstdesktop.services.errors import DomainError, ValidationError
from pstdesktop.services.office import (
    MIN_PASSWORD,
    check_account,
    check_password_reset,
    create_account,
    set_password,
    set_role,
)
from ui.admin.common import error_text, role_word
from ui.forms import FormErrors, GuardedDialog
from ui.i18n import tr
from ui.widgets import fit_to_screen, named


def role_combo(name: str) -> QComboBox:
    combo = named(QComboBox(), name, tr("Peran", "Role"))
    for role in (Role.OFFICER, Role.TREASURER, Role.SUPERVISOR, Role.KIOSK):
        combo.addItem(role_word(role), role)
    return combo


def password_edit(name: str, label: str) -> QLineEdit:
    edit = named(QLineEdit(), name, label)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class ServiceForm(GuardedDialog):
    """A form whose OK runs ``self.check(session)`` (every problem, keyed by field) and, when it finds
    none, ``self.submit(session)``, in one unit of work. Subclasses add their rows, then call
    ``watch(fields)`` with the field widgets in screen order."""

    def __init__(self, database: Database, actor: Actor, title: str, prefix: str, parent=None):
        super().__init__(parent)
        self.database, self.actor = database, actor
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        fit_to_screen(self)  # its size hint, within the screen, when shown
        self.form = QFormLayout()
        self.message = named(QLabel(""), f"{prefix}Message", tr("Pesan", "Message"))
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.errors = FormErrors(self, self.message, {})
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        named(ok, f"{prefix}Ok", tr("Simpan", "Save")).setText(tr("Simpan", "Save"))
        named(buttons.button(QDialogButtonBox.StandardButton.Cancel), f"{prefix}Cancel",
              tr("Batal", "Cancel")).setText(tr("Batal", "Cancel"))
        buttons.accepted.connect(self.try_submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(self.form)
        layout.addWidget(buttons)

    def watch(self, fields: dict) -> None:
        """The form is built: mark these fields when refused, and ask before closing once one changed."""
        self.errors = FormErrors(self, self.message, fields, forms=[self.form])
        self.watch_changes()

    def check(self, session) -> dict[str, ValidationError]:
        return {}

    def submit(self, session) -> None:
        raise NotImplementedError

    def try_submit(self) -> None:
        try:
            with self.database.unit_of_work() as session:
                errors = self.check(session)
                if not errors:
                    self.submit(session)
        except DomainError as error:  # refused: the transaction was rolled back
            self.errors.show({error.field or "": error})
            return
        except Exception as error:  # noqa: BLE001 - an unexpected fault is shown with its reference
            self.errors.say(error_text(error))
            return
        if not self.errors.show(errors):
            self.accept()


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
        self.password.setPlaceholderText(tr(f"paling sedikit {MIN_PASSWORD} karakter, mis. 3-4 kata",
                                            f"at least {MIN_PASSWORD} characters, e.g. 3-4 words"))
        for label, widget in ((tr("Nama pengguna", "Username"), self.username),
                              (tr("Nama lengkap", "Full name"), self.full_name), ("NIP", self.nip),
                              (tr("Peran", "Role"), self.role), (tr("Kata sandi", "Password"), self.password),
                              (tr("Ulangi kata sandi", "Repeat password"), self.repeat)):
            self.form.addRow(label, widget)
        self.created: str = ""
        self.watch({"username": self.username, "full_name": self.full_name, "nip": self.nip,
                    "password": self.password, "repeat": self.repeat})

    def check(self, session) -> dict[str, ValidationError]:
        return check_account(session, self.actor.office_id, self.username.text(), self.full_name.text(),
                             self.password.text(), self.repeat.text(), nip=self.nip.text())

    def submit(self, session) -> None:
        account = create_account(session, self.actor, self.username.text(), self.full_name.text(),
                                 self.role.currentData(), self.password.text(), nip=self.nip.text())
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
        self.watch({"password": self.password, "repeat": self.repeat})

    def check(self, session) -> dict[str, ValidationError]:
        return check_password_reset(session, self.actor, self.account_id, self.password.text(), self.repeat.text())

    def submit(self, session) -> None:
        set_password(session, self.actor, self.account_id, self.password.text())


class RoleForm(ServiceForm):
    def __init__(self, database: Database, actor: Actor, account_id: int, username: str, current: Role,
                 parent=None):
        super().__init__(database, actor, tr(f"Ubah peran {username}", f"Change the role of {username}"),
                         "changeRole", parent)
        self.account_id = account_id
        self.role = role_combo("changeRoleRole")
        self.role.setCurrentIndex(self.role.findData(current))
        self.form.addRow(tr("Peran baru", "New role"), self.role)
        self.watch({"role": self.role})

    def submit(self, session) -> None:
        set_role(session, self.actor, self.account_id, self.role.currentData())


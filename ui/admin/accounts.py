"""Akun: the office's staff and kiosk accounts, a page at a time, and what a supervisor does with
them: create, reset a password, unlock after too many wrong passwords, (de)activate, change role, and
give the NIP printed under the person's signature."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from models import Role
from pstdesktop.bootstrap import Database
from pstdesktop.services.access import Actor
from pstdesktop.services.errors import ValidationError
from pstdesktop.services.office import (
    LOCK_MINUTES,
    MAX_FAILED_LOGINS,
    accounts,
    checked_nip,
    has_recovery_code,
    is_locked,
    new_recovery_code,
    set_active,
    set_nip,
    unlock_account,
)
from ui.admin.account_forms import NewAccountForm, PasswordForm, RoleForm, ServiceForm
from ui.admin.common import AdminTab, StatusLine, ask, role_word
from ui.i18n import counted, tr
from ui.recovery import RecoveryCodeDialog
from ui.widgets import named

PAGE_SIZE = 12
LOCKED = QColor("#fde2e1")
INACTIVE = QColor("#777777")


class NipForm(ServiceForm):
    """The NIP of an existing account: 18 digits, or empty for someone without one (the kiosk)."""

    def __init__(self, database: Database, actor: Actor, account_id: int, username: str, nip: str, parent=None):
        super().__init__(database, actor, tr(f"NIP {username}", f"NIP of {username}"), "changeNip", parent)
        self.account_id = account_id
        self.nip = named(QLineEdit(nip), "changeNipNip", "NIP")
        self.nip.setPlaceholderText(tr("18 digit, dicetak di bawah tanda tangan", "18 digits, printed under the signature"))
        self.form.addRow("NIP", self.nip)
        self.watch({"nip": self.nip})

    def check(self, session) -> dict[str, ValidationError]:
        try:
            checked_nip("nip", self.nip.text())
        except ValidationError as error:
            return {"nip": error}
        return {}

    def submit(self, session) -> None:
        set_nip(session, self.actor, self.account_id, self.nip.text())


@dataclass(frozen=True)
class AccountRow:
    id: int
    username: str
    full_name: str
    nip: str
    role: Role
    active: bool
    locked: bool


class AccountsTab(AdminTab):
    def __init__(self, database: Database, actor: Actor):
        super().__init__()
        self.database, self.actor = database, actor
        self.rows: list[AccountRow] = []
        self.page = 0
        headers = [tr("Nama pengguna", "Username"), tr("Nama lengkap", "Full name"), "NIP", tr("Peran", "Role"),
                   tr("Status", "Status"), tr("Terkunci", "Locked")]
        self.table = named(QTableWidget(0, len(headers)), "accountTable", tr("Daftar akun", "Accounts"))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(80)
        self.table.itemSelectionChanged.connect(self.update_actions)
        self.table.doubleClicked.connect(lambda _index: self.reset_password())

        def button(name: str, text: str, slot) -> QPushButton:
            widget = named(QPushButton(text), name, text)
            widget.clicked.connect(slot)
            return widget

        self.new_button = button("newAccountButton", tr("Akun baru…", "New account…"), self.new_account)
        self.password_button = button("resetPasswordButton", tr("Atur ulang kata sandi…", "Reset password…"),
                                      self.reset_password)
        self.unlock_button = button("unlockButton", tr("Buka kunci", "Unlock"), self.unlock)
        self.active_button = button("activeButton", tr("Nonaktifkan", "Deactivate"), self.toggle_active)
        self.role_button = button("changeRoleButton", tr("Ubah peran…", "Change role…"), self.change_role)
        self.nip_button = button("changeNipButton", tr("Ubah NIP…", "Change NIP…"), self.change_nip)
        self.recovery_button = button("recoveryCodeButton", tr("Kode pemulihan baru…", "New recovery code…"),
                                      self.new_recovery_code)
        self.action_buttons = [self.new_button, self.password_button, self.unlock_button, self.active_button,
                               self.role_button, self.nip_button, self.recovery_button]
        self.previous_button = button("previousPage", tr("‹ Sebelumnya", "‹ Previous"), lambda: self.turn(-1))
        self.next_button = button("nextPage", tr("Berikutnya ›", "Next ›"), lambda: self.turn(1))
        self.page_label = named(QLabel(""), "pageLabel", tr("Halaman", "Page"))
        self.status = StatusLine("accountMessage")

        actions = QVBoxLayout()
        for widget in self.action_buttons:
            actions.addWidget(widget)
        hint = QLabel(tr(f"Akun terkunci {LOCK_MINUTES} menit setelah {MAX_FAILED_LOGINS} kali salah kata sandi "
                         "(atau sampai dibuka di sini). Akun tidak pernah dihapus agar jejak audit tetap menyebut "
                         "namanya; nonaktifkan saja.",
                         f"An account locks for {LOCK_MINUTES} minutes after {MAX_FAILED_LOGINS} wrong passwords (or "
                         "until unlocked here). Accounts are never deleted, so the audit trail keeps naming them; "
                         "deactivate instead."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555")
        actions.addSpacing(12)
        actions.addWidget(hint)
        actions.addStretch(1)
        pager = QHBoxLayout()
        pager.addWidget(self.previous_button)
        pager.addWidget(self.page_label)
        pager.addWidget(self.next_button)
        pager.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(pager)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self, keep: str | None = None) -> None:
        with self.database.unit_of_work() as session:
            self.rows = [AccountRow(a.id, a.username, a.full_name, a.nip, a.role, a.active,
                                    is_locked(a))
                         for a in accounts(session, self.actor.office_id)]
            recoverable = has_recovery_code(session, self.actor.office_id)
        if not recoverable:
            self.status.error(tr("Kantor ini belum punya kode pemulihan: tanpa kode itu supervisor yang terkunci atau "
                                 "lupa kata sandi tidak dapat masuk lagi. Tekan \"Kode pemulihan baru…\".",
                                 "This office has no recovery code yet: without it a supervisor who is locked out or "
                                 "forgot the password cannot sign in again. Press \"New recovery code…\"."))
        if keep is not None:
            index = next((i for i, row in enumerate(self.rows) if row.username == keep), 0)
            self.page = index // PAGE_SIZE
        self.page = max(0, min(self.page, self.pages - 1))
        self._show_page(keep)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.rows) // PAGE_SIZE))

    def turn(self, step: int) -> None:
        self.page = max(0, min(self.page + step, self.pages - 1))
        self._show_page(None)

    def _show_page(self, select: str | None) -> None:
        shown = self.rows[self.page * PAGE_SIZE:(self.page + 1) * PAGE_SIZE]
        self.table.setRowCount(len(shown))
        for r, row in enumerate(shown):
            cells = [row.username, row.full_name, row.nip or "-", role_word(row.role),
                     tr("Aktif", "Active") if row.active else tr("Nonaktif", "Inactive"),
                     tr("Ya", "Yes") if row.locked else "-"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.locked:
                    item.setBackground(QBrush(LOCKED))
                if not row.active:
                    item.setForeground(QBrush(INACTIVE))
                self.table.setItem(r, c, item)
            if row.username == select:
                self.table.selectRow(r)
        self.page_label.setText(tr(f"Halaman {self.page + 1} dari {self.pages} · {len(self.rows)} akun",
                                   f"Page {self.page + 1} of {self.pages} · {counted(len(self.rows), 'account', 'accounts')}"))
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < self.pages - 1)
        self.update_actions()

    def selected(self) -> AccountRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        index = self.page * PAGE_SIZE + rows[0].row()
        return self.rows[index] if index < len(self.rows) else None

    def select(self, username: str) -> None:
        """Show the page holding ``username`` and select it (as a click would)."""
        self.refresh(keep=username)

    def update_actions(self) -> None:
        row = self.selected()
        for widget in (self.password_button, self.active_button, self.role_button, self.nip_button):
            widget.setEnabled(row is not None)
        self.unlock_button.setEnabled(row is not None and row.locked)
        active = row is None or row.active
        self.active_button.setText(tr("Nonaktifkan", "Deactivate") if active else tr("Aktifkan kembali", "Reactivate"))

    def _form(self, form: ServiceForm, done: str, keep: str) -> None:
        if form.exec() == QDialog.DialogCode.Accepted:
            self.refresh(keep=keep)
            self.status.ok(done)

    def new_account(self) -> None:
        form = NewAccountForm(self.database, self.actor, self)
        if form.exec() == QDialog.DialogCode.Accepted:
            self.refresh(keep=form.created)
            self.status.ok(tr(f"Akun {form.created} dibuat.", f"Account {form.created} created."))

    def reset_password(self) -> None:
        if row := self.selected():
            self._form(PasswordForm(self.database, self.actor, row.id, row.username, self),
                       tr(f"Kata sandi {row.username} diganti; kuncinya juga dibuka.",
                          f"The password of {row.username} was replaced; it is unlocked too."), row.username)

    def change_role(self) -> None:
        if row := self.selected():
            self._form(RoleForm(self.database, self.actor, row.id, row.username, row.role, self),
                       tr(f"Peran {row.username} diubah.", f"The role of {row.username} was changed."), row.username)

    def change_nip(self) -> None:
        if row := self.selected():
            self._form(NipForm(self.database, self.actor, row.id, row.username, row.nip, self),
                       tr(f"NIP {row.username} disimpan.", f"The NIP of {row.username} was saved."), row.username)

    def _apply(self, row: AccountRow, action, done: str) -> None:
        try:
            with self.database.unit_of_work() as session:
                action(session)
        except Exception as error:  # refused: nothing changed
            self.status.error(error)
            return
        self.refresh(keep=row.username)
        self.status.ok(done)

    def new_recovery_code(self) -> None:
        """Replace the office's recovery code (the old paper stops working) and show the new one once."""
        if not ask(self, tr("Kode pemulihan baru", "New recovery code"),
                   tr("Buat kode pemulihan baru? Kode lama tidak berlaku lagi; catat yang baru dan simpan di brankas.",
                      "Make a new recovery code? The old one stops working; write the new one down and keep it "
                      "in the safe.")):
            return
        try:
            with self.database.unit_of_work() as session:
                code = new_recovery_code(session, self.actor)
        except Exception as error:  # refused: nothing changed
            self.status.error(error)
            return
        RecoveryCodeDialog(code, self).exec()
        self.status.ok(tr("Kode pemulihan baru dibuat; kode lama tidak berlaku.",
                          "A new recovery code was made; the old one no longer works."))

    def unlock(self) -> None:
        if row := self.selected():
            self._apply(row, lambda s: unlock_account(s, self.actor, row.id),
                        tr(f"Akun {row.username} dibuka kuncinya.", f"Account {row.username} was unlocked."))

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.active and not ask(self, tr("Nonaktifkan akun", "Deactivate account"),
                                  tr(f"Nonaktifkan akun {row.username} ({row.full_name})? Akun ini tidak dapat "
                                     "masuk lagi sampai diaktifkan kembali.",
                                     f"Deactivate account {row.username} ({row.full_name})? It cannot sign in "
                                     "until it is reactivated.")):
            return
        self._apply(row, lambda s: set_active(s, self.actor, row.id, not row.active),
                    tr(f"Akun {row.username} dinonaktifkan.", f"Account {row.username} deactivated.") if row.active
                    else tr(f"Akun {row.username} aktif kembali.", f"Account {row.username} reactivated."))

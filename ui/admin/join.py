"""A PC and the office server: the first-run choice ("Kantor baru di PC ini" or "PC ini memakai server
kantor"), the form that joins an existing PostgreSQL server (checked first, the password kept in pgpass), and
the start-up screen of a server that cannot be reached (retry, change the server with a supervisor's
sign-in on the new server, close). Nothing here falls back to a local file."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pstdesktop import pgpass, server
from pstdesktop.config import Settings, write_settings_file
from pstdesktop.services.errors import MESSAGES, DomainError, ValidationError
from ui.admin.common import ERROR_STYLE, OK_STYLE, ask
from ui.forms import FormErrors, GuardedDialog
from ui.i18n import language, tr
from ui.officer import jobs
from ui.widgets import fit_to_screen, named

log = logging.getLogger("pst.faults")
NOTE_STYLE = "color: #555"
WARNING_STYLE = ("QLabel { background: #fff4e5; color: #663c00; border: 1px solid #ffd8a8; border-radius: 4px;"
                 " padding: 8px 10px; }")
CHOICE_STYLE = "QPushButton { text-align: left; padding: 12px 16px; font-size: 11pt; }"


class ServerForm(QWidget):
    """Host, port, database, user and password of the office's PostgreSQL server."""

    def __init__(self, prefix: str = "join"):
        super().__init__()
        self.host = named(QLineEdit(), f"{prefix}Host", tr("Alamat server", "Server address"))
        self.host.setPlaceholderText(tr("contoh: 192.168.1.10 atau server-pst", "e.g. 192.168.1.10 or pst-server"))
        self.port = named(QSpinBox(), f"{prefix}Port", tr("Port", "Port"))
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.port.setMaximumWidth(120)
        self.database = named(QLineEdit("pst"), f"{prefix}Database", tr("Nama basis data", "Database name"))
        self.user = named(QLineEdit("pst"), f"{prefix}User", tr("Pengguna basis data", "Database user"))
        self.password = named(QLineEdit(), f"{prefix}Password", tr("Kata sandi basis data", "Database password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addRow(tr("Alamat server", "Server address"), self.host)
        self.layout_.addRow(tr("Port", "Port"), self.port)
        self.layout_.addRow(tr("Nama basis data", "Database name"), self.database)
        self.layout_.addRow(tr("Pengguna basis data", "Database user"), self.user)
        self.layout_.addRow(tr("Kata sandi basis data", "Database password"), self.password)
        note = named(QLabel(tr(f"Kata sandi disimpan di berkas pgpass PostgreSQL milik akun Windows/Linux ini "
                               f"({pgpass.location()}), tidak di settings.json.",
                               f"The password is kept in PostgreSQL's pgpass file of this Windows/Linux account "
                               f"({pgpass.location()}), not in settings.json.")),
                     f"{prefix}PasswordWhere", tr("Tempat kata sandi", "Where the password is kept"))
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        self.layout_.addRow("", note)
        self.fields = {"server_host": self.host, "server_database": self.database, "server_user": self.user}

    def fill(self, url: str) -> None:
        """Show the parts of a server URL (never its password)."""
        address = server.Address.from_url(url)
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.database.setText(address.database)
        self.user.setText(address.user)

    def address(self) -> server.Address:
        return server.Address(self.host.text(), self.port.value(), self.database.text(), self.user.text(),
                              self.password.text())

    def where(self) -> str:
        return f"{self.host.text().strip()}:{self.port.value()}/{self.database.text().strip()}"


class FirstRunDialog(QDialog):
    """The first start of a PC: a new office here, or join the office server. When this PC's office was moved
    to a server and its settings are gone, only joining is offered, and the screen says why."""

    NEW, JOIN = "new", "join"

    def __init__(self, moved=None, parent=None):
        super().__init__(parent)
        self.choice: str | None = None
        named(self, "firstRunDialog", tr("Pengaturan awal", "First-run setup"))
        self.setWindowTitle(tr("Selamat datang — PST Desktop", "Welcome — PST Desktop"))
        self.setMinimumWidth(560)
        fit_to_screen(self)
        title = QLabel(f"<span style='font-size:15pt; font-weight:600'>PST Desktop</span><br>"
                       f"{tr('Bagaimana PC ini dipakai?', 'How is this PC used?')}")
        self.new_button = named(QPushButton(tr(
            "Kantor baru di PC ini\nIsi profil kantor dan akun supervisor pertama; data disimpan di PC ini.",
            "New office on this PC\nFill in the office profile and the first supervisor; the data is kept on this PC.")),
            "firstRunNew", tr("Kantor baru di PC ini", "New office on this PC"))
        self.join_button = named(QPushButton(tr(
            "PC ini memakai server kantor\nKantor sudah memakai server PostgreSQL; PC ini bergabung dengannya.",
            "This PC uses the office server\nThe office already uses a PostgreSQL server; this PC joins it.")),
            "firstRunJoin", tr("PC ini memakai server kantor", "This PC uses the office server"))
        for button in (self.new_button, self.join_button):
            button.setStyleSheet(CHOICE_STYLE)
            button.setMinimumHeight(64)
        self.new_button.clicked.connect(lambda: self._choose(self.NEW))
        self.join_button.clicked.connect(lambda: self._choose(self.JOIN))
        self.moved = named(QLabel(""), "firstRunMoved", tr("Data sudah dipindahkan", "Data already moved"))
        self.moved.setWordWrap(True)
        self.moved.setStyleSheet(WARNING_STYLE)
        self.moved.hide()
        if moved is not None:
            self.moved.setText(tr(
                f"Data kantor di PC ini sudah dipindahkan ke server (berkas lamanya kini {moved.name}), tetapi "
                "pengaturan yang menunjuk ke server tidak ada lagi. Pilih \"PC ini memakai server kantor\" dan "
                "isi alamat server itu; kantor baru tidak dimulai di sini.",
                f"This PC's office data was moved to the server (its old file is now {moved.name}), but the "
                "settings that point at the server are gone. Choose \"This PC uses the office server\" and fill "
                "in that server; no new office is started here."))
            self.moved.show()
            self.new_button.setEnabled(False)
        close = named(QPushButton(tr("Tutup", "Close")), "firstRunClose", tr("Tutup", "Close"))
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.moved)
        layout.addWidget(self.new_button)
        layout.addWidget(self.join_button)
        layout.addLayout(bottom)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


class JoinDialog(GuardedDialog):
    """Join an existing office server: fill in the server, check it (the answer in one plain sentence), join.
    Joining writes the server into settings.json and its password into pgpass; the sign-in of that office
    follows. With ``supervisor`` (changing the server of a PC already set up), a supervisor of the office held
    on that server must sign in there before anything on this PC changes."""

    def __init__(self, settings: Settings, *, supervisor: bool = False, current: str | None = None, parent=None):
        super().__init__(parent)
        self.settings, self.needs_supervisor = settings, supervisor
        self.joined_url: str | None = None
        self.last: server.Check | None = None
        self.busy = False
        named(self, "joinDialog", tr("Server kantor", "Office server"))
        self.setWindowTitle(tr("Ubah server kantor", "Change the office server") if supervisor else
                            tr("PC ini memakai server kantor", "This PC uses the office server"))
        self.setMinimumWidth(600)
        fit_to_screen(self)
        intro = QLabel(tr(
            "Isi alamat server PostgreSQL kantor seperti yang dipakai PC lain (tanyakan kepada supervisor), uji "
            "koneksinya, lalu gabung. Data tetap di server; PC ini tidak menyimpan salinan.",
            "Fill in the office's PostgreSQL server as the other PCs use it (ask the supervisor), test the "
            "connection, then join. The data stays on the server; this PC keeps no copy."))
        if supervisor:
            intro.setText(tr(
                "Isi alamat server yang baru dan uji koneksinya. Sebelum PC ini diubah, seorang supervisor kantor "
                "yang datanya ada di server itu masuk dengan akunnya di sana.",
                "Fill in the new server and test the connection. Before this PC is changed, a supervisor of the "
                "office held on that server signs in there with their account."))
        intro.setWordWrap(True)
        self.form = ServerForm("join")
        if current:
            self.form.fill(current)
        group = QGroupBox(tr("Server PostgreSQL", "PostgreSQL server"))
        group_layout = QVBoxLayout(group)
        group_layout.addWidget(self.form)
        self.supervisor_name = named(QLineEdit(), "joinSupervisorName", tr("Nama pengguna supervisor",
                                                                             "Supervisor username"))
        self.supervisor_password = named(QLineEdit(), "joinSupervisorPassword", tr("Kata sandi supervisor",
                                                                                     "Supervisor password"))
        self.supervisor_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.supervisor_group = QGroupBox(tr("Supervisor kantor (akun di server itu)",
                                             "Office supervisor (an account on that server)"))
        sign_in = QFormLayout(self.supervisor_group)
        sign_in.addRow(tr("Nama pengguna", "Username"), self.supervisor_name)
        sign_in.addRow(tr("Kata sandi", "Password"), self.supervisor_password)
        self.supervisor_group.setVisible(supervisor)
        self.status = named(QLabel(""), "joinStatus", tr("Hasil uji koneksi", "Connection check"))
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(40)
        self.message = named(QLabel(""), "joinMessage", tr("Pesan", "Message"))
        self.message.setWordWrap(True)
        fields = dict(self.form.fields)
        if supervisor:
            fields |= {"username": self.supervisor_name, "password": self.supervisor_password}
        self.errors = FormErrors(self, self.message, fields, forms=[self.form.layout_, sign_in])
        self.test_button = named(QPushButton(tr("Uji koneksi", "Test connection")), "joinTest",
                                 tr("Uji koneksi", "Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        buttons = QDialogButtonBox()
        self.join_button = named(buttons.addButton(tr("Ubah server", "Change the server") if supervisor else
                                                   tr("Gabung ke server", "Join the server"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole),
                                 "joinButton", tr("Gabung ke server", "Join the server"))
        cancel = named(buttons.addButton(tr("Batal", "Cancel"), QDialogButtonBox.ButtonRole.RejectRole),
                       "joinCancel", tr("Batal", "Cancel"))
        cancel.setAutoDefault(False)
        self.join_button.clicked.connect(self.join)
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.message)
        layout.addWidget(group)
        layout.addWidget(self.supervisor_group)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.watch_changes()

    # --- checking ---------------------------------------------------------------------------------------
    def _url(self) -> str | None:
        errors: dict[str, DomainError] = {}
        url = None
        try:
            url = self.form.address().url()
        except ValidationError as error:
            errors[error.field or ""] = error
        if self.needs_supervisor:
            for key, edit in (("username", self.supervisor_name), ("password", self.supervisor_password)):
                if not edit.text().strip():
                    errors[key] = ValidationError("required", key)
        return None if self.errors.show(errors) else url

    def _start(self, url: str, done) -> None:
        self.busy = True
        self.test_button.setEnabled(False)
        self.join_button.setEnabled(False)
        self.status.setStyleSheet(NOTE_STYLE)
        self.status.setText(tr(f"Menghubungi {self.form.where()}…", f"Contacting {self.form.where()}…"))
        jobs.start(lambda _p: server.check(url), done=done, failed=self._failed, uses_database=False)

    def _finished(self) -> None:
        self.busy = False
        self.test_button.setEnabled(True)
        self.join_button.setEnabled(True)

    def _failed(self, error: Exception) -> None:
        self._finished()
        self._say(server.Check("failed", host=self.form.host.text().strip(), reference=_logged(error)))

    def _say(self, check: server.Check) -> None:
        self.last = check
        good = check.joinable and (not self.needs_supervisor or check.code == "ok")
        self.status.setStyleSheet(OK_STYLE if good else ERROR_STYLE)
        text = check.sentence(language())
        if self.needs_supervisor and check.joinable and check.code != "ok":
            text += " " + tr("Server baru harus sudah berisi kantor pada versi ini sebelum PC ini pindah ke sana.",
                             "The new server must already hold the office at this version before this PC moves "
                             "to it.")
        self.status.setText(text)

    def test_connection(self) -> None:
        if self.busy:
            return
        try:
            url = self.form.address().url()
        except ValidationError as error:
            self.errors.show({error.field or "": error})
            return
        self.errors.show({})
        self._start(url, self._tested)

    def _tested(self, check: server.Check) -> None:
        self._finished()
        self._say(check)

    # --- joining ----------------------------------------------------------------------------------------
    def join(self) -> None:
        if self.busy:
            return
        url = self._url()
        if url is not None:
            self._start(url, lambda check: self._checked(url, check))

    def _checked(self, url: str, check: server.Check) -> None:
        self._finished()
        self._say(check)
        if not check.joinable:
            return
        if self.needs_supervisor:
            if check.code != "ok":
                return
            self._start_supervisor(url)
            return
        if check.code == "older" and not ask(self, tr("Perbarui basis data server?", "Upgrade the server database?"),
                                             check.sentence(language()) + "\n\n" + tr("Lanjutkan?", "Go on?")):
            return
        self._save(url)

    def _start_supervisor(self, url: str) -> None:
        self.busy = True
        self.test_button.setEnabled(False)
        self.join_button.setEnabled(False)
        self.status.setStyleSheet(NOTE_STYLE)
        self.status.setText(tr("Memeriksa akun supervisor di server…", "Checking the supervisor account on the server…"))
        name, password = self.supervisor_name.text(), self.supervisor_password.text()
        jobs.start(lambda _p: server.verify_supervisor(url, name, password),
                   done=lambda refusal: self._supervisor_checked(url, refusal), failed=self._failed,
                   uses_database=False)

    def _supervisor_checked(self, url: str, refusal: str) -> None:
        self._finished()
        if refusal:
            self.supervisor_password.clear()
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(MESSAGES[refusal][language() == "en"])
            return
        log.info("server of this PC changed by supervisor %r to %s", self.supervisor_name.text().strip(),
                 self.form.where())
        self._save(url)

    def _save(self, url: str) -> None:
        try:
            write_settings_file(self.settings.data_dir, database_url=url)
        except (OSError, RuntimeError, ValueError) as error:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(tr(f"Pengaturan tidak dapat disimpan di {self.settings.data_dir}: {error}",
                                   f"The settings cannot be saved in {self.settings.data_dir}: {error}"))
            return
        self.joined_url = pgpass.without_password(url)
        self.unsaved = None  # saved: closing asks nothing
        self.accept()


def _logged(error: Exception) -> str:
    from pstdesktop import faultlog

    return faultlog.record(error)


class ServerDownDialog(QDialog):
    """At start, the server this PC uses cannot be used: one plain sentence, "Coba lagi", "Ubah server…"
    (a supervisor of the office on the new server) and "Tutup". Accepted: start again on the (new) server."""

    def __init__(self, settings: Settings, check: server.Check, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.changed = False
        named(self, "serverDownDialog", tr("Server tidak dapat dihubungi", "The server cannot be reached"))
        self.setWindowTitle(tr("Server kantor — PST Desktop", "Office server — PST Desktop"))
        self.setMinimumWidth(520)
        fit_to_screen(self)
        self.sentence = named(QLabel(""), "serverDownSentence", tr("Keadaan server", "Server state"))
        self.sentence.setWordWrap(True)
        self.sentence.setStyleSheet("font-size: 11pt;")
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = named(QPushButton(tr("Coba lagi", "Try again")), "serverRetry", tr("Coba lagi", "Try again"))
        self.change_button = named(QPushButton(tr("Ubah server…", "Change the server…")), "serverChange",
                                   tr("Ubah server (supervisor)", "Change the server (supervisor)"))
        self.close_button = named(QPushButton(tr("Tutup", "Close")), "serverClose", tr("Tutup", "Close"))
        self.retry_button.setDefault(True)
        self.retry_button.clicked.connect(self.retry)
        self.change_button.clicked.connect(self.change_server)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.change_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addWidget(self.sentence)
        layout.addLayout(buttons)
        self.show_check(check)

    def show_check(self, check: server.Check) -> None:
        self.check = check
        self.sentence.setText(check.sentence(language()))

    def retry(self) -> None:
        self.retry_button.setEnabled(False)
        self.sentence.setText(tr(f"Menghubungi server {self.check.host}…", f"Contacting the server {self.check.host}…"))
        url = self.settings.database_url
        jobs.start(lambda _p: server.check(url), done=self._retried, failed=self._retry_failed, uses_database=False)

    def _retried(self, check: server.Check) -> None:
        self.retry_button.setEnabled(True)
        if check.joinable:
            self.accept()
        else:
            self.show_check(check)

    def _retry_failed(self, error: Exception) -> None:
        self.retry_button.setEnabled(True)
        self.show_check(server.Check("failed", host=self.check.host, reference=_logged(error)))

    def change_server(self) -> None:
        dialog = JoinDialog(self.settings, supervisor=True, current=self.settings.database_url, parent=self)
        self.join_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.changed = True
            self.accept()


def first_run(settings: Settings) -> tuple[int, bool] | None:
    """Before the database opens: on a PC without an office (no SQLite file yet, or one without an office),
    ask whether this is a new office or joins the office server. None: go on (an office is here, or a new one
    is to be set up); (0, True): joined, start again on the server; (0, False): closed."""
    if not server.first_run_due(settings.database_url):
        return None
    moved = server.moved_instead(server.sqlite_file_of(settings.database_url))
    while True:
        choice = FirstRunDialog(moved)
        if choice.exec() != QDialog.DialogCode.Accepted:
            return 0, False
        if choice.choice == FirstRunDialog.NEW:
            return None
        if JoinDialog(settings).exec() == QDialog.DialogCode.Accepted:
            return 0, True


def server_unreachable(settings: Settings, error: Exception) -> tuple[int, bool]:
    """The server could not be opened at start: say why in one sentence, offer retry, a change of server
    (supervisor) or closing. (0, True): start again; (1, False): closed."""
    dialog = ServerDownDialog(settings, server.explain(error, settings.database_url))
    return (0, True) if dialog.exec() == QDialog.DialogCode.Accepted else (1, False)

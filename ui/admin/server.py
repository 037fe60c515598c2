"""Basis data bersama: point the office at a PostgreSQL server on its LAN so the kiosk, officer and
treasurer PCs share one database; test the connection; move this PC's SQLite data onto the server.
The password goes into PostgreSQL's own pgpass file, never into settings.json."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from models import Base
from pstdesktop import pgpass, server, transfer
from pstdesktop.config import Settings, write_settings_file
from pstdesktop.services.errors import ValidationError
from ui.admin.common import AdminTab, StatusLine, ask, inform
from ui.i18n import language, number_text, tr
from ui.widgets import error_text, named

TABLES = [table.name for table in Base.metadata.sorted_tables]


class HasOffice(RuntimeError):
    """The server already holds an office: data is not moved onto it (this PC joins it instead)."""


class ServerTab(AdminTab):
    restart_required = Signal()

    def __init__(self, settings: Settings):
        super().__init__()
        self.settings = settings
        self.host = named(QLineEdit(), "serverHost", tr("Alamat server", "Server address"))
        self.host.setPlaceholderText(tr("contoh: 192.168.1.10 atau server-pst", "e.g. 192.168.1.10 or pst-server"))
        self.port = named(QSpinBox(), "serverPort", tr("Port", "Port"))
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.port.setMaximumWidth(120)
        self.name = named(QLineEdit("pst"), "serverDatabase", tr("Nama basis data", "Database name"))
        self.user = named(QLineEdit("pst"), "serverUser", tr("Pengguna", "User"))
        self.password = named(QLineEdit(), "serverPassword", tr("Kata sandi", "Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = named(QPushButton(tr("Uji koneksi", "Test connection")), "testConnectionButton",
                                 tr("Uji koneksi", "Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.move_button = named(QPushButton(tr("Pindahkan data ke server…", "Move data to the server…")),
                                 "moveDataButton", tr("Pindahkan data ke server", "Move data to the server"))
        self.move_button.clicked.connect(self.move_data)
        self.join_button = named(QPushButton(tr("Gabung ke server…", "Join the server…")), "joinServerButton",
                                 tr("Gabung ke server yang sudah berisi data kantor",
                                    "Join a server that already holds the office's data"))
        self.join_button.clicked.connect(self.join_server)
        self.action_buttons = [self.test_button, self.move_button, self.join_button]
        self.step = named(QLabel(""), "moveStep", tr("Langkah pemindahan", "Move step"))
        self.status = StatusLine("serverMessage")
        self._layout()
        if not settings.is_sqlite:
            self._show_current(settings.database_url)
        self.update_actions()

    def _layout(self) -> None:
        intro = QLabel(tr(
            "Jika kios, petugas dan bendahara memakai PC berbeda, semuanya dapat memakai satu basis data "
            "PostgreSQL di server kantor (langkah pemasangan server ada di README). Isi alamat server, uji "
            "koneksinya, lalu pindahkan data PC ini ke server (basis data di server harus masih kosong), atau "
            "gabung ke server yang sudah berisi data kantor.",
            "When the kiosk, officer and treasurer use different PCs, they can all share one PostgreSQL "
            "database on the office server (the README gives the server's set-up steps). Fill in the server, "
            "test the connection, then move this PC's data onto it (the server database must still be empty), or "
            "join a server that already holds the office's data."))
        intro.setWordWrap(True)
        current = (tr("Sekarang: basis data SQLite di PC ini.", "Now: an SQLite database on this PC.")
                   if self.settings.is_sqlite else
                   tr("Sekarang: PC ini sudah memakai basis data di server.", "Now: this PC already uses the server."))
        self.current = named(QLabel(f"<b>{current}</b>"), "currentDatabase", current)
        form = QFormLayout()
        form.addRow(tr("Alamat server", "Server address"), self.host)
        form.addRow(tr("Port", "Port"), self.port)
        form.addRow(tr("Nama basis data", "Database name"), self.name)
        form.addRow(tr("Pengguna", "User"), self.user)
        form.addRow(tr("Kata sandi", "Password"), self.password)
        where = pgpass.location()
        note = named(QLabel(tr(f"Kata sandi disimpan di berkas pgpass PostgreSQL, khusus akun ini:\n{where}",
                               f"The password is kept in PostgreSQL's pgpass file, private to this account:\n{where}")),
                     "passwordWhere", tr("Tempat kata sandi", "Where the password is kept"))
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        form.addRow("", note)
        group = QGroupBox(tr("Server PostgreSQL", "PostgreSQL server"))
        group.setLayout(form)
        group.setMaximumWidth(620)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.move_button)
        buttons.addWidget(self.join_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.current)
        layout.addWidget(group)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.step)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def _show_current(self, url: str) -> None:
        address = server.Address.from_url(url)
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.name.setText(address.database)
        self.user.setText(address.user)
        if pgpass.lookup(url):
            self.password.setPlaceholderText(tr("tersimpan di pgpass", "kept in pgpass"))

    def update_actions(self) -> None:
        self.move_button.setEnabled(self.settings.is_sqlite and not self.busy)
        self.join_button.setEnabled(self.settings.is_sqlite and not self.busy)

    def join_server(self) -> None:
        """Use a server that already holds the office (a supervisor of it signs in there); this PC's own data
        stays in its SQLite file, renamed at the restart so it is not opened by mistake."""
        from PySide6.QtWidgets import QDialog

        from ui.admin.join import JoinDialog

        dialog = JoinDialog(self.settings, supervisor=True, parent=self)
        try:
            dialog.form.fill(self.url())
        except ValidationError:
            pass
        self.join_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            inform(self, tr("PC ini memakai server", "This PC uses the server"),
                   tr("Aplikasi akan dimulai ulang dan memakai data kantor di server.",
                      "The application will restart and use the office's data on the server."))
            self.restart_required.emit()

    def url(self) -> str:
        return server.Address(self.host.text(), self.port.value(), self.name.text(), self.user.text(),
                              self.password.text()).url()

    def _where(self) -> str:
        return f"{self.host.text().strip()}:{self.port.value()}/{self.name.text().strip()}"

    def test_connection(self) -> None:
        try:
            url = self.url()
        except ValidationError as error:
            self.status.error(error)
            return
        self.status.setText(tr(f"Menghubungi {self._where()}…", f"Contacting {self._where()}…"))
        self.status.setStyleSheet("")
        self.run_in_background(lambda _p: server.check(url), self._tested, self._failed)

    def _tested(self, check: server.Check) -> None:
        if check.joinable:
            self.status.ok(tr("Koneksi berhasil: ", "Connection OK: ") + check.sentence(language()))
        else:
            self.status.error(tr("Koneksi gagal: ", "Connection failed: ") + check.sentence(language()))

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ImportError):
            self.status.error(tr("Driver PostgreSQL (psycopg) tidak terpasang dalam aplikasi ini.",
                                 "The PostgreSQL driver (psycopg) is not installed in this application."))
        elif isinstance(error, server.Refused):
            self.status.error(tr("Pemindahan tidak dimulai, tidak ada yang berubah: ",
                                 "The move did not start; nothing changed: ") + error.check.sentence(language()))
        elif isinstance(error, RuntimeError) and "not empty" in str(error) or isinstance(error, HasOffice):
            self.status.error(tr(
                "Basis data di server sudah berisi data, jadi tidak ada yang disalin. Bila kantor sudah memakai "
                "server itu, jangan pindahkan data: pakai \"Gabung ke server…\" agar PC ini memakai data di "
                "server (data di PC ini tidak ikut dan berkasnya diganti nama), atau pakai basis data baru yang "
                "kosong.",
                "The server database already holds data, so nothing was copied. When the office already uses "
                "that server, do not move data: use \"Join the server…\" so this PC uses the data on the server "
                "(this PC's data does not go along and its file is renamed), or use a new, empty database."))
        else:
            self.status.error(tr("Pemindahan gagal, tidak ada yang berubah di PC ini: ",
                                 "The move failed; nothing changed on this PC: ") + error_text(error))
        self.step.setText("")

    def move_data(self) -> None:
        if not self.settings.is_sqlite:
            return
        try:
            url = self.url()
        except ValidationError as error:
            self.status.error(error)
            return
        if not ask(self, tr("Pindahkan data ke server", "Move data to the server"),
                   tr(f"Salin semua data PC ini ke server {self._where()}?\n\nSetelah berhasil, aplikasi dimulai "
                      "ulang dan memakai server; berkas SQLite di PC ini disimpan dengan nama baru "
                      "(…moved-to-server-TANGGAL.sqlite) agar tidak terbuka lagi. Jangan mencatat apa pun selama "
                      "pemindahan.",
                      f"Copy all of this PC's data to the server {self._where()}?\n\nWhen it succeeds, the "
                      "application restarts and uses the server; the SQLite file on this PC is kept under a new "
                      "name (…moved-to-server-DATE.sqlite) so it is not opened again. Record nothing while the "
                      "move runs.")):
            return
        source = self.settings.database_url

        def work(progress) -> dict[str, int]:
            found = server.check(url)
            if found.code in ("ok", "older"):
                raise HasOffice(found.office)
            if found.code != "empty":
                raise server.Refused(found)
            return transfer.copy_all(source, url, progress)

        self.status.setText(tr("Memindahkan data…", "Moving the data…"))
        self.status.setStyleSheet("")
        self.run_in_background(work, lambda copied: self._moved(url, copied), self._failed, steps=len(TABLES),
                               uses_database=True, progress=self._progressed)

    def _progressed(self, table: str, rows: int) -> None:
        if table in TABLES:
            self.progress.setValue(TABLES.index(table) + 1)
        self.step.setText(tr(f"Menyalin tabel {table}: {number_text(rows)} baris",
                             f"Copying table {table}: {number_text(rows)} rows"))

    def _moved(self, url: str, copied: dict[str, int]) -> None:
        try:
            write_settings_file(self.settings.data_dir, database_url=url)
        except (OSError, RuntimeError, ValueError) as error:
            self.step.setText("")
            self.status.error(tr(f"Data sudah di server, tetapi pengaturan tidak dapat disimpan: {error}",
                                 f"The data is on the server, but the settings cannot be saved: {error}"))
            return
        total = number_text(sum(copied.values()))
        self.step.setText("")
        self.status.ok(tr(f"Selesai: {total} baris disalin ke server.",
                          f"Done: {total} rows copied to the server."))
        inform(self, tr("Data sudah di server", "The data is on the server"),
               tr(f"{total} baris disalin ke {self._where()}. Aplikasi akan dimulai ulang dan memakai server. "
                  "Di setiap PC lain pilih \"PC ini memakai server kantor\" pada awal pertama.",
                  f"{total} rows were copied to {self._where()}. The application will restart and use the "
                  "server. On each other PC choose \"This PC uses the office server\" at its first start."))
        self.restart_required.emit()

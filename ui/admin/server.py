"""Basis data bersama: point the office at a PostgreSQL server on its LAN so the kiosk, officer and
treasurer PCs share one database; test the connection; move this PC's SQLite data onto the server.
The password goes into PostgreSQL's own pgpass file, never into settings.json."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

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
from pstdesktop import pgpass, transfer
from pstdesktop.config import Settings, write_settings_file
from pstdesktop.services.errors import ValidationError
from ui.admin.common import AdminTab, StatusLine, ask, count_text, inform
from ui.i18n import tr
from ui.widgets import named

CONNECT_TIMEOUT_S = 10
TABLES = [table.name for table in Base.metadata.sorted_tables]


def server_url(host: str, port: int, database: str, user: str, password: str) -> str:
    """``postgresql://user:password@host:port/database`` with the parts quoted; refuses empty parts."""
    host, database, user = host.strip(), database.strip(), user.strip()
    for field, value in (("server_host", host), ("server_database", database), ("server_user", user)):
        if not value:
            raise ValidationError("required", field)
        if any(ch.isspace() for ch in value) or "/" in value:
            raise ValidationError("bad_chars", field)
    credentials = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    return (f"postgresql://{credentials}@{host}:{port}/{quote(database, safe='')}"
            f"?connect_timeout={CONNECT_TIMEOUT_S}")


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
        self.action_buttons = [self.test_button, self.move_button]
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
            "koneksinya, lalu pindahkan data PC ini ke server. Basis data di server harus masih kosong.",
            "When the kiosk, officer and treasurer use different PCs, they can all share one PostgreSQL "
            "database on the office server (the README gives the server's set-up steps). Fill in the server, "
            "test the connection, then move this PC's data onto it. The server database must still be empty."))
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
        parts = urlsplit(url)
        self.host.setText(parts.hostname or "")
        self.port.setValue(parts.port or 5432)
        self.name.setText(unquote(parts.path.lstrip("/")))
        self.user.setText(unquote(parts.username or ""))
        if pgpass.lookup(url):
            self.password.setPlaceholderText(tr("tersimpan di pgpass", "kept in pgpass"))

    def update_actions(self) -> None:
        self.move_button.setEnabled(self.settings.is_sqlite and not self.busy)

    def url(self) -> str:
        return server_url(self.host.text(), self.port.value(), self.name.text(), self.user.text(),
                          self.password.text())

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
        self.run_in_background(lambda _p: transfer.check_connection(url), self._tested, self._failed)

    def _tested(self, reason: str | None) -> None:
        if reason is None:
            self.status.ok(tr(f"Koneksi berhasil: server {self._where()} menjawab.",
                              f"Connection OK: the server {self._where()} answers."))
        else:
            self.status.error(tr(f"Koneksi gagal: {reason}\nPeriksa alamat, port, nama basis data, pengguna "
                                 "dan kata sandi, serta bahwa server menerima koneksi dari PC ini.",
                                 f"Connection failed: {reason}\nCheck the address, port, database name, user "
                                 "and password, and that the server accepts connections from this PC."))

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ImportError):
            self.status.error(tr("Driver PostgreSQL (psycopg) tidak terpasang dalam aplikasi ini.",
                                 "The PostgreSQL driver (psycopg) is not installed in this application."))
        elif isinstance(error, RuntimeError) and "not empty" in str(error):
            self.status.error(tr(
                "Basis data di server sudah berisi data, jadi tidak ada yang disalin. Pakai basis data baru yang "
                f"kosong, atau hubungi pengelola server. ({error})",
                f"The server database already holds data, so nothing was copied. Use a new, empty database, "
                f"or ask whoever runs the server. ({error})"))
        else:
            self.status.error(tr(f"Pemindahan gagal, tidak ada yang berubah di PC ini: {error}",
                                 f"The move failed; nothing changed on this PC: {error}"))
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
                      "ulang dan memakai server. Berkas SQLite di PC ini tetap ada sebagai salinan. Jangan "
                      "mencatat apa pun selama pemindahan.",
                      f"Copy all of this PC's data to the server {self._where()}?\n\nWhen it succeeds, the "
                      "application restarts and uses the server. The SQLite file on this PC stays as a copy. "
                      "Record nothing while the move runs.")):
            return
        source = self.settings.database_url

        def work(progress) -> dict[str, int]:
            reason = transfer.check_connection(url)
            if reason is not None:
                raise ConnectionError(reason)
            return transfer.copy_all(source, url, progress)

        self.status.setText(tr("Memindahkan data…", "Moving the data…"))
        self.status.setStyleSheet("")
        self.run_in_background(work, lambda copied: self._moved(url, copied), self._failed, steps=len(TABLES),
                               uses_database=True, progress=self._progressed)

    def _progressed(self, table: str, rows: int) -> None:
        if table in TABLES:
            self.progress.setValue(TABLES.index(table) + 1)
        self.step.setText(tr(f"Menyalin tabel {table}: {count_text(rows)} baris",
                             f"Copying table {table}: {count_text(rows)} rows"))

    def _moved(self, url: str, copied: dict[str, int]) -> None:
        try:
            write_settings_file(self.settings.data_dir, database_url=url)
        except (OSError, RuntimeError, ValueError) as error:
            self.step.setText("")
            self.status.error(tr(f"Data sudah di server, tetapi pengaturan tidak dapat disimpan: {error}",
                                 f"The data is on the server, but the settings cannot be saved: {error}"))
            return
        total = count_text(sum(copied.values()))
        self.step.setText("")
        self.status.ok(tr(f"Selesai: {total} baris disalin ke server.",
                          f"Done: {total} rows copied to the server."))
        inform(self, tr("Data sudah di server", "The data is on the server"),
               tr(f"{total} baris disalin ke {self._where()}. Aplikasi akan dimulai ulang dan memakai server. "
                  "Atur PC lain di kantor ke server yang sama lewat menu ini.",
                  f"{total} rows were copied to {self._where()}. The application will restart and use the "
                  "server. Point the office's other PCs at the same server through this menu."))
        self.restart_required.emit()

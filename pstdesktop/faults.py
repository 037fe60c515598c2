"""Faults of the environment — a database URL, the data folder, settings.json, the SQLite file, the
PostgreSQL server, the disk — answered with one line in Indonesian and English that names the file,
URL or setting at fault and what to do (``pst: <Indonesian> / <English>``), and exit code 2.

The checks run before anything is written: a URL is parsed and its database named (SQLite or
PostgreSQL only), settings.json must be one JSON object, and an existing SQLite file must carry
SQLite's header and pass ``PRAGMA quick_check`` through a read-only connection before the engine
opens it for writing. A missing file is a new database; an existing empty (0-byte) file is refused,
since it is more likely a lost database than a new one. A password in a URL is never shown."""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:  # SQLAlchemy is imported only when a URL is not a plain SQLite file (a fast start without it)
    from sqlalchemy.engine import URL

EXIT_CODE = 2
SQLITE_MAGIC = b"SQLite format 3\x00"
APPLICATION_ID = 0x50535444  # PRAGMA application_id of this application's SQLite files ("PSTD")
CONNECT_TIMEOUT_S = 10
DRIVERS = {"sqlite": "sqlite", "sqlite+pysqlite": "sqlite", "postgresql": "postgresql",
           "postgresql+psycopg": "postgresql"}
SQLITE_FILE_URL = re.compile(r"^sqlite(?:\+pysqlite)?:///([^?]+)$")  # what make_url reads as a plain file
SHAPES = ("sqlite:///BERKAS atau postgresql://PENGGUNA@SERVER/NAMA", "sqlite:///FILE or postgresql://USER@SERVER/NAME")

MESSAGES: dict[str, tuple[str, str]] = {
    "url_invalid": ("{source}: '{url}' bukan alamat basis data yang benar; tulis {shape}.",
                    "{source}: '{url}' is not a valid database URL; write {shape}."),
    "url_dialect": ("{source}: basis data '{dialect}' ({url}) tidak didukung; PST Desktop memakai {shape}.",
                    "{source}: the '{dialect}' database ({url}) is not supported; PST Desktop uses {shape}."),
    "data_dir_file": ("Folder data {path} adalah berkas, bukan folder; sebutkan folder dengan --data-dir atau PST_DATA_DIR.",
                      "The data folder {path} is a file, not a folder; name a folder with --data-dir or PST_DATA_DIR."),
    "data_dir_create": ("Folder data {path} tidak dapat dibuat ({reason}); sebutkan folder lain dengan --data-dir "
                        "atau PST_DATA_DIR.",
                        "The data folder {path} cannot be created ({reason}); name another folder with --data-dir "
                        "or PST_DATA_DIR."),
    "data_dir_readonly": ("Folder data {path} tidak dapat ditulisi; beri pengguna ini izin tulis atau sebutkan folder "
                          "lain dengan --data-dir.",
                          "The data folder {path} cannot be written; give this user write permission or name another "
                          "folder with --data-dir."),
    "settings_unreadable": ("Berkas pengaturan {file} tidak dapat dibaca ({reason}); periksa izin berkas itu.",
                            "The settings file {file} cannot be read ({reason}); check its permissions."),
    "settings_json": ("Berkas pengaturan {file} bukan JSON yang benar (baris {line}, kolom {column}); perbaiki isinya, "
                      "atau pindahkan berkas itu agar pengaturan bawaan dipakai.",
                      "The settings file {file} is not valid JSON (line {line}, column {column}); fix it, or move it "
                      "away to use the default settings."),
    "settings_text": ("Berkas pengaturan {file} bukan berkas teks (UTF-8); perbaiki isinya, atau pindahkan berkas itu "
                      "agar pengaturan bawaan dipakai.",
                      "The settings file {file} is not a text file (UTF-8); fix it, or move it away to use the "
                      "default settings."),
    "settings_object": ("Berkas pengaturan {file} harus berisi satu objek JSON {{\"kunci\": nilai, ...}}; perbaiki "
                        "isinya, atau pindahkan berkas itu agar pengaturan bawaan dipakai.",
                        "The settings file {file} must hold one JSON object {{\"key\": value, ...}}; fix it, or move "
                        "it away to use the default settings."),
    "settings_url_type": ("database_url di {file} harus berupa teks (alamat basis data), bukan angka atau daftar; "
                          "perbaiki berkas itu.",
                          "database_url in {file} must be text (a database URL), not a number or a list; fix that file."),
    "sqlite_moved": ("Data kantor ini sudah dipindahkan ke server (berkas lamanya kini {moved}) dan settings.json "
                     "yang menunjuk ke server tidak ada; jalankan pst dan pilih \"PC ini memakai server kantor\" "
                     "agar tidak memulai kantor baru yang kosong.",
                     "This office's data was moved to its server (its old file is now {moved}) and the settings.json "
                     "that points at the server is missing; start pst and choose \"This PC uses the office server\" "
                     "instead of starting a new, empty office."),
    "sqlite_folder": ("Folder {path} untuk basis data {file} tidak ada; buat folder itu atau perbaiki alamat basis data.",
                      "The folder {path} of the database {file} does not exist; create it or correct the database URL."),
    "sqlite_empty": ("Berkas basis data {file} ada tetapi kosong (0 byte) dan tidak diubah; bila memang basis data baru, "
                     "hapus berkas itu lalu jalankan lagi, bila tidak, salin cadangan terbaru dari {backups} "
                     "menggantikannya.",
                     "The database file {file} exists but is empty (0 bytes) and was left unchanged; if it is meant to "
                     "be a new database, delete it and run again, otherwise copy the newest backup from {backups} in "
                     "its place."),
    "sqlite_foreign": ("Berkas {file} bukan basis data SQLite dan tidak diubah; pindahkan berkas itu atau sebutkan basis "
                       "data lain (--database).",
                       "The file {file} is not an SQLite database and was left unchanged; move it away or name another "
                       "database (--database)."),
    "sqlite_damaged": ("Berkas basis data {file} rusak (gagal pemeriksaan SQLite) dan tidak diubah; jangan hapus, "
                       "jalankan aplikasi (pst) untuk memulihkan cadangan terbaru dari {backups}.",
                       "The database file {file} is damaged (it fails SQLite's check) and was left unchanged; do not "
                       "delete it, start the application (pst) to restore the newest backup from {backups}."),
    "sqlite_not_ours": ("Berkas {file} adalah basis data SQLite aplikasi lain, bukan PST Desktop, dan tidak diubah; "
                        "pindahkan berkas itu atau sebutkan basis data lain (--database).",
                        "The file {file} is another application's SQLite database, not PST Desktop's, and was left "
                        "unchanged; move it away or name another database (--database)."),
    "sqlite_unreadable": ("Berkas basis data {file} tidak dapat dibuka atau ditulis ({reason}); periksa izin berkas itu "
                          "dan foldernya.",
                          "The database file {file} cannot be opened or written ({reason}); check the permissions of "
                          "the file and its folder."),
    "sqlite_io": ("Berkas basis data {file} tidak dapat dibaca atau ditulis (kesalahan I/O disk); periksa ruang kosong "
                  "dan kondisi disk.",
                  "The database file {file} cannot be read or written (disk I/O error); check the free space and "
                  "the disk."),
    "disk_full": ("Disk penuh: {path} tidak dapat ditulis; kosongkan ruang disk lalu jalankan lagi.",
                  "Disk full: {path} cannot be written; free some disk space and run again."),
    "file_error": ("{path} tidak dapat dibaca atau ditulis ({reason}); periksa ruang disk dan izinnya.",
                   "{path} cannot be read or written ({reason}); check the disk space and permissions."),
    "pg_refused": ("Server PostgreSQL {host}:{port} menolak koneksi ({url}); pastikan server berjalan dan alamat serta "
                   "port-nya benar.",
                   "The PostgreSQL server {host}:{port} refused the connection ({url}); make sure the server is "
                   "running and the address and port are right."),
    "pg_host": ("Nama server '{host}' tidak dikenal ({url}); periksa alamat server pada alamat basis data.",
                "The server name '{host}' is unknown ({url}); check the server address in the database URL."),
    "pg_database": ("Basis data '{database}' tidak ada di server {host} ({url}); buat dengan createdb atau perbaiki "
                    "namanya.",
                    "The database '{database}' does not exist on the server {host} ({url}); create it with createdb "
                    "or correct its name."),
    "pg_auth": ("Server {host} menolak pengguna '{user}' ({url}): kata sandi salah atau tidak diizinkan; periksa "
                "pengguna, kata sandi (berkas pgpass) dan pg_hba.conf.",
                "The server {host} refused the user '{user}' ({url}): wrong password or not allowed; check the user, "
                "the password (pgpass file) and pg_hba.conf."),
    "pg_timeout": ("Server {host} tidak menjawab dalam {seconds} detik ({url}); periksa jaringan dan alamat server.",
                   "The server {host} did not answer within {seconds} seconds ({url}); check the network and the "
                   "server address."),
    "database_error": ("Basis data {url} tidak dapat dipakai ({reason}); periksa alamat basis data dan servernya.",
                       "The database {url} cannot be used ({reason}); check the database URL and its server."),
    "qt_libraries": ("Jendela tidak dapat dibuka: pustaka sistem untuk Qt (xcb) belum terpasang: {packages}; pasang "
                     "dengan: sudo apt-get install -y {packages}",
                     "No window can open: system libraries for Qt (xcb) are not installed: {packages}; install them "
                     "with: sudo apt-get install -y {packages}"),
    "instance_held": ("{holder} Perintah yang menulis tidak dijalankan; tutup aplikasi di sana lebih dulu (pst verify "
                      "dan pst export boleh berjalan bersamaan).",
                      "{holder} Commands that write do not run; close the application there first (pst verify and "
                      "pst export may run alongside)."),
    "database_unsound": ("Basis data tidak diperiksa: {problem}; jangan dipakai, pulihkan cadangan terbaru (pst).",
                         "The database was not verified: {problem}; do not use it, restore the newest backup (pst)."),
    "audit_key_missing": ("Kunci jejak audit {key} basis data {url} tidak ada di PC/akun ini ({where}); salin dengan "
                          "'pst audit-key export BERKAS' di PC yang memakainya, lalu 'pst audit-key import BERKAS' di "
                          "sini.",
                          "The audit trail key {key} of the database {url} is not on this PC/account ({where}); copy "
                          "it with 'pst audit-key export FILE' on a PC that uses it, then 'pst audit-key import FILE' "
                          "here."),
    "audit_key_file": ("Kunci jejak audit: {problem}.", "Audit key: {problem}."),
    "anchor_invalid": ("Titik periksa '{anchor}' tidak dikenali; tulis NOMOR:HASH seperti tercetak di lembar penutupan "
                       "harian (mis. 1234:9f2c4e1a0b3d5e6f).",
                       "The checkpoint '{anchor}' is not understood; write SEQ:HASH as printed on the daily closing "
                       "sheet (e.g. 1234:9f2c4e1a0b3d5e6f)."),
    "demo_not_fresh": ("Basis data {url} sudah berisi kantor; pst demo hanya mengisi basis data baru (fresh database): "
                       "sebutkan folder kosong dengan --data-dir.",
                       "The database {url} already holds an office; pst demo only fills a fresh database: name an "
                       "empty folder with --data-dir."),
    "demo_disk_full": ("Disk penuh: hari kantor demo di {url} tidak selesai; kosongkan ruang disk, hapus basis data itu "
                       "(isinya hanya demo yang belum selesai), lalu jalankan pst demo lagi.",
                       "Disk full: the demo office day in {url} was not finished; free some disk space, delete that "
                       "database (it holds only the unfinished demo) and run pst demo again."),
}

# what an OSError means, in both languages
REASONS = {
    errno.EACCES: ("tidak ada izin", "permission denied"), errno.EPERM: ("tidak ada izin", "permission denied"),
    errno.EROFS: ("disk hanya-baca", "read-only disk"), errno.ENOSPC: ("disk penuh", "disk full"),
    errno.ENOTDIR: ("sebagian jalurnya bukan folder", "part of the path is not a folder"),
    errno.ENOENT: ("tidak ada", "does not exist"), errno.EISDIR: ("itu sebuah folder", "it is a folder"),
}
# PostgreSQL connection failures, by words of libpq's or psycopg's message
PG_FAULTS = (
    ("pg_refused", ("connection refused",)),
    ("pg_host", ("failed to resolve host", "could not translate host name", "name or service not known",
                 "nodename nor servname", "no address associated")),
    ("pg_auth", ("password authentication failed", "no password supplied", "authentication failed",
                 "no pg_hba.conf entry", "role \"")),
    ("pg_database", ("does not exist",)),
    ("pg_timeout", ("timeout expired", "timed out")),
)


class Fault(RuntimeError):
    """A fault of the environment or of a setting: nothing was written; ``line()`` says what and what to do.
    ``params`` may hold an (Indonesian, English) pair where the words differ by language."""

    def __init__(self, code: str, **params) -> None:
        self.code = code
        self.params = {k: v if isinstance(v, tuple) else _one_line(v) for k, v in params.items()}
        super().__init__(self.text())

    def message(self, lang: str = "id") -> str:
        index = 1 if lang == "en" else 0
        values = {k: _one_line(v[index]) if isinstance(v, tuple) else v for k, v in self.params.items()}
        return MESSAGES[self.code][index].format(**values)

    def text(self) -> str:
        return f"{self.message('id')} / {self.message('en')}"

    def line(self) -> str:
        return f"pst: {self.text()}"


def _one_line(value: object) -> str:
    return " ".join(str(value).splitlines())


def why(error: OSError) -> tuple[str, str]:
    """The cause of ``error`` in both languages."""
    words = error.strerror or type(error).__name__
    return REASONS.get(error.errno, (words, words))


def _masked(text: str) -> str:
    """``text`` with whatever looks like a password (``://user:secret@``) hidden."""
    return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)


def shown(url: str | URL) -> str:
    """The database as shown to a person: the SQLite file, or the URL without its password."""
    file = _plain_sqlite_file(url)
    if file is not None:
        return str(file)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError, TypeError):
        return _masked(str(url))
    file = sqlite_path(parsed)
    return str(file) if file is not None else parsed.render_as_string(hide_password=True)


def database_url(text: object, source: str = "database URL") -> URL:
    """The parsed URL; a Fault naming ``source`` when it is malformed or names a database other than
    SQLite or PostgreSQL (through psycopg)."""
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    if isinstance(text, URL):
        url = text
    elif not isinstance(text, str) or not text.strip():
        raise Fault("url_invalid", source=source, url=_masked(str(text)), shape=SHAPES)
    else:
        try:
            url = make_url(text.strip())
        except (ArgumentError, ValueError):
            raise Fault("url_invalid", source=source, url=_masked(text), shape=SHAPES) from None
    if url.drivername not in DRIVERS:
        raise Fault("url_dialect", source=source, dialect=url.drivername,
                    url=url.render_as_string(hide_password=True), shape=SHAPES)
    return url


def check_url(text: object, source: str = "database URL") -> None:
    """``database_url``'s check, without importing SQLAlchemy for a plain SQLite file URL."""
    if _plain_sqlite_file(text) is None:
        database_url(text, source)


def _plain_sqlite_file(url: object) -> Path | None:
    """The file of ``sqlite:///FILE`` (no query) read as SQLAlchemy reads it; None for any other URL."""
    match = SQLITE_FILE_URL.match(url) if isinstance(url, str) and url == url.strip() else None
    name = unquote(match.group(1)) if match else ""
    return Path(name) if name and name != ":memory:" and not name.startswith("file:") else None


def sqlite_path(url: str | URL) -> Path | None:
    """The file of an SQLite URL; None for a server, an in-memory database or a ``file:`` URI."""
    file = _plain_sqlite_file(url)
    if file is not None:
        return file
    from sqlalchemy.engine import make_url

    url = make_url(url)
    name = url.database if url.get_backend_name() == "sqlite" else None
    return Path(name) if name and name != ":memory:" and not name.startswith("file:") else None


def data_folder(path: Path) -> Path:
    """The data folder, created when missing; a Fault when it is a file, cannot be made or cannot be written."""
    if path.exists() and not path.is_dir():
        raise Fault("data_dir_file", path=path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if error.errno == errno.EEXIST or path.is_file():
            raise Fault("data_dir_file", path=path) from None
        raise Fault("data_dir_create", path=path, reason=why(error)) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise Fault("data_dir_readonly", path=path)
    return path


class Stopped(Exception):
    """The application closes: a check or backup under way was stopped between two of its steps."""


CHECK_STEP = 100_000  # SQLite instructions between two looks at a stop during a check


def check_sqlite_file(file: Path, backups: Path | None = None, stop: threading.Event | None = None) -> None:
    """Refuse, before SQLite opens it for writing, an SQLite file that is not a sound database: a missing
    folder, an existing empty file, another kind of file, or one that fails ``PRAGMA quick_check``
    (read-only; with no -wal file beside it, as ``immutable`` so that not even a -shm file is made).
    ``Stopped`` once ``stop`` is set (the application closes): the check of a large file ends at once."""
    backups = backups or file.parent / "backups"
    if not file.exists():
        if not file.parent.is_dir():
            raise Fault("sqlite_folder", path=file.parent, file=file)
        return
    try:
        with open(file, "rb") as stream:
            head = stream.read(len(SQLITE_MAGIC))
    except IsADirectoryError:
        raise Fault("sqlite_foreign", file=file) from None
    except OSError as error:
        raise Fault("sqlite_unreadable", file=file, reason=why(error)) from None
    if not head:
        raise Fault("sqlite_empty", file=file, backups=backups)
    if head != SQLITE_MAGIC:
        raise Fault("sqlite_foreign", file=file)
    wal = file.with_name(file.name + "-wal").exists()
    uri = f"{file.resolve().as_uri()}?mode=ro" + ("" if wal else "&immutable=1")
    try:
        connection = sqlite3.connect(uri, uri=True)
        if stop is not None:
            connection.set_progress_handler(stop.is_set, CHECK_STEP)
        try:
            verdict = connection.execute("PRAGMA quick_check(1)").fetchone()
            ours = verdict != ("ok",) or _ours(connection)
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        if stop is not None and stop.is_set():
            raise Stopped from None
        raise Fault("sqlite_unreadable", file=file, reason=str(error)) from None
    except sqlite3.DatabaseError:
        verdict = None
    if verdict != ("ok",):
        raise Fault("sqlite_damaged", file=file, backups=backups)
    if not ours:
        raise Fault("sqlite_not_ours", file=file)


def _ours(connection: sqlite3.Connection) -> bool:
    """The file is this application's (``pstdesktop.soundness.APPLICATION_ID``), of an older version of it
    (no id yet, but its ``alembic_version`` table), or an SQLite file without any table yet."""
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    if application_id == APPLICATION_ID:
        return True
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return application_id == 0 and (not tables or "alembic_version" in tables)


def disk_full(error: BaseException) -> bool:
    """True for a write that failed because the disk is full (an OSError or SQLite's own report)."""
    if isinstance(error, OSError):
        return error.errno == errno.ENOSPC
    return "database or disk is full" in str(getattr(error, "orig", error)).lower()


def from_error(error: BaseException, url: str | None = None) -> Fault | None:
    """The Fault for a database or file error met while a command runs (None for anything else)."""
    if isinstance(error, Fault):
        return error
    if isinstance(error, OSError):
        path = error.filename or ("sebuah berkas", "a file")
        return Fault("disk_full", path=path) if disk_full(error) else Fault("file_error", path=path, reason=why(error))
    exc = sys.modules.get("sqlalchemy.exc")  # not loaded: the error cannot be one of its
    if exc is None or not isinstance(error, exc.SQLAlchemyError) or url is None:
        return None
    from sqlalchemy.engine import make_url

    reason = (str(getattr(error, "orig", None) or error).strip().splitlines() or ["-"])[0]
    low = reason.lower()
    parsed = make_url(url)
    file = sqlite_path(parsed)
    if file is not None:
        if disk_full(error):
            return Fault("disk_full", path=file)
        if "disk i/o error" in low:
            return Fault("sqlite_io", file=file)
        if "malformed" in low or "not a database" in low:
            return Fault("sqlite_damaged", file=file, backups=file.parent / "backups")
        if "unable to open" in low or "readonly" in low or "read-only" in low:
            return Fault("sqlite_unreadable", file=file, reason=reason)
    elif isinstance(error, exc.OperationalError | exc.InterfaceError):  # the server cannot be reached or refuses
        for code, words in PG_FAULTS:
            if any(word in low for word in words):
                return Fault(code, host=parsed.host or "localhost", port=parsed.port or 5432,
                             database=parsed.database or parsed.username or "-", user=parsed.username or "-",
                             seconds=parsed.query.get("connect_timeout", CONNECT_TIMEOUT_S), url=shown(parsed))
    return Fault("database_error", url=shown(parsed), reason=reason)

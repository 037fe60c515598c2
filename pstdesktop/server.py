"""The office's PostgreSQL server as a PC meets it: the address typed by a person, a connection check that
says in one plain sentence what is wrong (unreachable, unknown name, wrong password, database missing, not
a PST database, an older or newer schema), a failure that means "the server went away", and the SQLite file
an office left behind when it moved to the server (renamed, so it is never opened by mistake).

SQLAlchemy is imported only inside the functions that connect, so the screens that use this module do not
load it early."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from pstdesktop.services.errors import ValidationError

CONNECT_TIMEOUT_S = 10
MOVED_MARK = ".moved-to-server-"
# SQLSTATEs of a server that shuts down, restarts or cannot take connections yet, and class 08 (connection)
GONE_STATES = ("57P01", "57P02", "57P03")
# libpq's and psycopg's words for a connection that failed or dropped (an error without an SQLSTATE)
GONE_WORDS = ("connection refused", "could not connect", "connection failed", "server closed the connection",
              "connection is closed", "connection is lost", "the connection is closed", "consuming input failed",
              "terminating connection", "no route to host", "network is unreachable", "timeout expired",
              "timed out", "connection reset", "broken pipe", "ssl syscall", "eof detected")

# what a check found: (Indonesian, English), formatted with host, port, database, user, seconds, office
SENTENCES: dict[str, tuple[str, str]] = {
    "ok": ("Server {host} menjawab: basis data {database} berisi kantor {office}.",
           "The server {host} answers: the database {database} holds the office {office}."),
    "empty": ("Server {host} menjawab, tetapi basis data {database} belum berisi kantor: setelah bergabung, PC ini "
              "meminta pengaturan awal kantor, yang disimpan di server.",
              "The server {host} answers, but the database {database} holds no office yet: after joining, this PC "
              "asks for the office's first-run setup, which is kept on the server."),
    "older": ("Server {host} menjawab dengan kantor {office}, tetapi basis datanya dari versi PST Desktop yang lebih "
              "lama: PC ini akan memperbaruinya, jadi perbarui juga aplikasi di PC lain kantor ini.",
              "The server {host} answers with the office {office}, but its database is from an older version of "
              "PST Desktop: this PC will upgrade it, so update the application on the office's other PCs too."),
    "unreachable": ("Server basis data kantor {host} (port {port}) tidak dapat dihubungi: pastikan PC server menyala, "
                    "PostgreSQL berjalan, dan alamat serta port-nya benar.",
                    "The office's database server {host} (port {port}) cannot be reached: make sure the server PC "
                    "is on, PostgreSQL runs, and the address and port are right."),
    "unknown_host": ("Nama server '{host}' tidak dikenal di jaringan ini: periksa alamat server.",
                     "The server name '{host}' is not known on this network: check the server address."),
    "timeout": ("Server {host} tidak menjawab dalam {seconds} detik: periksa jaringan kantor dan alamat server.",
                "The server {host} did not answer within {seconds} seconds: check the office network and the "
                "server address."),
    "auth": ("Server {host} menolak pengguna '{user}': kata sandinya salah atau pengguna itu tidak diizinkan "
             "masuk dari PC ini.",
             "The server {host} refused the user '{user}': the password is wrong or that user may not connect "
             "from this PC."),
    "no_database": ("Basis data '{database}' tidak ada di server {host}: periksa nama basis data (biasanya pst).",
                    "There is no database '{database}' on the server {host}: check the database name (usually pst)."),
    "not_pst": ("Basis data '{database}' di server {host} berisi tabel lain, bukan data PST Desktop: periksa nama "
                "basis data.",
                "The database '{database}' on the server {host} holds other tables, not PST Desktop data: check "
                "the database name."),
    "newer": ("Basis data di server {host} dibuat oleh versi PST Desktop yang lebih baru: perbarui aplikasi di PC "
              "ini dahulu.",
              "The database on the server {host} was made by a newer version of PST Desktop: update the "
              "application on this PC first."),
    "driver": ("Driver PostgreSQL (psycopg) tidak terpasang dalam aplikasi ini: pasang ulang PST Desktop.",
               "The PostgreSQL driver (psycopg) is not installed in this application: reinstall PST Desktop."),
    "failed": ("Server {host} tidak dapat dipakai (kode {reference}): periksa alamat server, lalu coba lagi.",
               "The server {host} cannot be used (reference {reference}): check the server address, then try again."),
}
# a check answers one of these and the PC may join (the rest refuse)
JOINABLE = ("ok", "empty", "older")
# the faults.Fault codes of a connection, and what a check calls them
FAULT_CODES = {"pg_refused": "unreachable", "pg_host": "unknown_host", "pg_auth": "auth",
               "pg_database": "no_database", "pg_timeout": "timeout"}
LOST = ("Server basis data kantor tidak dapat dihubungi, jadi tidak ada yang disimpan: coba lagi setelah server "
        "kembali.",
        "The office's database server cannot be reached, so nothing was saved: try again once the server is back.")


@dataclass(frozen=True)
class Address:
    """A server as typed: host, port, database, user and password (the password goes to pgpass, never further)."""

    host: str
    port: int = 5432
    database: str = "pst"
    user: str = "pst"
    password: str = field(default="", repr=False)

    @classmethod
    def from_url(cls, url: str) -> Address:
        """The parts of a server URL, without its password (that stays in pgpass)."""
        parts = urlsplit(url)
        return cls(parts.hostname or "", parts.port or 5432, unquote(parts.path.lstrip("/")),
                   unquote(parts.username or ""))

    def url(self) -> str:
        """``postgresql://user:password@host:port/database?connect_timeout=…``; refuses an empty or odd part."""
        host, database, user = self.host.strip(), self.database.strip(), self.user.strip()
        for key, value in (("server_host", host), ("server_database", database), ("server_user", user)):
            if not value:
                raise ValidationError("required", key)
            if any(ch.isspace() for ch in value) or "/" in value or "@" in value:
                raise ValidationError("bad_chars", key)
        credentials = quote(user, safe="") + (f":{quote(self.password, safe='')}" if self.password else "")
        return (f"postgresql://{credentials}@{host}:{self.port}/{quote(database, safe='')}"
                f"?connect_timeout={CONNECT_TIMEOUT_S}")


@dataclass(frozen=True)
class Check:
    """What the server answered: ``code`` (a key of SENTENCES) and the words to fill in."""

    code: str
    host: str = ""
    port: int = 5432
    database: str = ""
    user: str = ""
    office: str = ""
    reference: str = ""

    @property
    def joinable(self) -> bool:
        return self.code in JOINABLE

    def sentence(self, lang: str = "id") -> str:
        return SENTENCES[self.code][1 if lang == "en" else 0].format(
            host=self.host, port=self.port, database=self.database, user=self.user, office=self.office,
            seconds=CONNECT_TIMEOUT_S, reference=self.reference)


class Refused(RuntimeError):
    """A step refused because of what the server answered (``check``)."""

    def __init__(self, check: Check):
        super().__init__(check.sentence("en"))
        self.check = check


def _parts(url: str) -> dict:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return {"host": parsed.host or "localhost", "port": parsed.port or 5432,
            "database": parsed.database or parsed.username or "", "user": parsed.username or ""}


def explain(error: BaseException, url: str) -> Check:
    """The check's answer for an error met while connecting to or opening ``url`` (never driver text; an
    unexpected error is logged under the reference it shows)."""
    from pstdesktop import faultlog, faults

    parts = _parts(url)
    if isinstance(error, ImportError):
        return Check("driver", **parts)
    if "can't locate revision" in str(error).lower():  # alembic: the server is ahead of this version
        return Check("newer", **parts)
    fault = faults.from_error(error, url)
    if fault is not None and fault.code in FAULT_CODES:
        return Check(FAULT_CODES[fault.code], **parts)
    if lost(error):
        return Check("unreachable", **parts)
    return Check("failed", reference=faultlog.record(error), **parts)


def check(url: str) -> Check:
    """Connect to ``url`` and say what is there: an office at this version (ok), no office yet (empty), an
    office at an older schema (older), or why the PC cannot use it. Takes up to ``connect_timeout`` seconds."""
    from sqlalchemy import inspect, text

    from pstdesktop import migrate
    from pstdesktop.database import make_engine

    parts = _parts(url)
    try:
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                tables = set(inspect(connection).get_table_names())
                if not tables:
                    return Check("empty", **parts)
                if "alembic_version" not in tables or "office_profile" not in tables:
                    return Check("not_pst", **parts)
                revision = migrate.current_revision_of(connection)
                office = connection.scalar(text("SELECT name FROM office_profile ORDER BY id LIMIT 1")) or ""
        finally:
            engine.dispose()
    except Exception as error:  # said in plain words, never the driver's text
        return explain(error, url)
    known = _known_revisions()
    if revision not in known:
        return Check("newer", **parts)
    if not office:
        return Check("empty", **parts)
    return Check("ok" if revision == migrate.head_revision() else "older", office=office, **parts)


def _known_revisions() -> set[str | None]:
    from alembic.script import ScriptDirectory

    from pstdesktop import migrate

    return {None} | {script.revision for script in ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()}


def verify_supervisor(url: str, username: str, password: str) -> str:
    """Sign a supervisor in on the server at ``url`` (counted like any sign-in there): "" when it is a
    supervisor of the office held there, else the error code of ``services.errors``."""
    from models import Role
    from pstdesktop.database import make_engine, make_session_factory, unit_of_work
    from pstdesktop.services.office import login

    engine = make_engine(url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            actor, error = login(session, username, password)
        if actor is None:
            return error
        return "" if actor.role is Role.SUPERVISOR else "supervisor_needed"
    finally:
        engine.dispose()


def lost(error: BaseException) -> bool:
    """True when ``error`` means the PostgreSQL server went away or cannot be reached (stopped, restarted,
    the network cut), as opposed to a refused statement or a deadlock."""
    import sys

    if "sqlalchemy" not in sys.modules and "psycopg" not in sys.modules:
        return False
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if getattr(error, "connection_invalidated", False):
            return True
        orig = getattr(error, "orig", None)
        if orig is not None and type(orig).__module__.split(".")[0] == "psycopg":
            return _psycopg_gone(orig)
        if type(error).__module__.split(".")[0] == "psycopg":
            return _psycopg_gone(error)
        error = error.__cause__ or error.__context__
    return False


def _psycopg_gone(error: BaseException) -> bool:
    state = getattr(error, "sqlstate", None)
    if state:
        return state.startswith("08") or state in GONE_STATES
    if type(error).__name__ not in ("OperationalError", "InterfaceError"):
        return False
    words = str(error).lower()
    return any(word in words for word in GONE_WORDS) or not words.strip()


def lost_sentence(lang: str = "id") -> str:
    """The one sentence an operation that failed because the server went away shows."""
    return LOST[1 if lang == "en" else 0]


# --- the SQLite file an office left behind ----------------------------------------------------------------

def moved_name(file: Path, day) -> Path:
    """``pst.sqlite`` → ``pst.moved-to-server-YYYYMMDD.sqlite`` (``-2``, ``-3``… when taken)."""
    target = file.with_name(f"{file.stem}{MOVED_MARK}{day:%Y%m%d}{file.suffix}")
    number = 2
    while target.exists():
        target = file.with_name(f"{file.stem}{MOVED_MARK}{day:%Y%m%d}-{number}{file.suffix}")
        number += 1
    return target


def holds_office(file: Path) -> bool:
    """True when the SQLite file holds an office profile (read-only; False for anything else)."""
    if not file.is_file():
        return False
    try:
        connection = sqlite3.connect(f"file:{file.resolve().as_posix()}?mode=ro", uri=True)
        try:
            return connection.execute("SELECT count(*) FROM office_profile").fetchone()[0] > 0
        finally:
            connection.close()
    except sqlite3.Error:
        return False


def sqlite_file_of(url: str) -> Path | None:
    """The file of an ``sqlite:///FILE`` URL (None for a server or an in-memory database), read without
    SQLAlchemy so that the start-up can ask before loading it."""
    if not url.startswith("sqlite") or ":///" not in url:
        return None
    rest = url.partition(":///")[2].split("?", 1)[0]
    return Path(rest) if rest and rest != ":memory:" and not rest.startswith("file:") else None


def first_run_due(url: str) -> bool:
    """True when the PC has no office yet on the SQLite file ``url`` names (the first-run choice is due)."""
    file = sqlite_file_of(url)
    return file is not None and unset(file)


def unset(file: Path) -> bool:
    """True for a PC without an office yet: no SQLite file, or a sound one whose office profile is empty. A
    file that cannot be read is not "unset" (the start-up check of the file deals with it)."""
    if not file.exists():
        return True
    try:
        connection = sqlite3.connect(f"file:{file.resolve().as_posix()}?mode=ro", uri=True)
        try:
            return connection.execute("SELECT count(*) FROM office_profile").fetchone()[0] == 0
        finally:
            connection.close()
    except sqlite3.Error:
        return False


def retire(file: Path) -> Path:
    """Rename the SQLite file an office moved to its server (every connection closed first), with its -wal
    and -shm files, so it cannot be opened by mistake. Returns the new name; an OSError when it cannot."""
    from pstdesktop.backup import office_zone
    from pstdesktop.services import clock

    with contextlib.suppress(sqlite3.Error):  # the WAL folded into the file, so one file holds it all
        connection = sqlite3.connect(str(file))
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
    zone_name = office_zone(file) or "WIB"
    target = moved_name(file, clock.today(zone_name))
    os.replace(file, target)
    for suffix in ("-wal", "-shm"):
        side = file.with_name(file.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


def moved_copies(file: Path) -> list[Path]:
    """The renamed copies of ``file`` left by moves to the server, newest name last."""
    if not file.parent.is_dir():
        return []
    return sorted(file.parent.glob(f"{file.stem}{MOVED_MARK}*{file.suffix}"))


def moved_instead(file: Path | None) -> Path | None:
    """The renamed copy to name when ``file`` (the SQLite file the settings point at) is missing because the
    office moved to its server; None when ``file`` exists or nothing was moved."""
    if file is None or file.exists():
        return None
    copies = moved_copies(file)
    return copies[-1] if copies else None


def after_move(old_url: str, new_url: str) -> Path | None:
    """When a session ends with this PC moved from its SQLite file (holding an office) to a server, retire
    that file; returns its new name (None when there was nothing to rename)."""
    from pstdesktop import faults

    if not old_url.startswith("sqlite") or not new_url.startswith("postgresql"):
        return None
    file = faults.sqlite_path(old_url)
    if file is None or not holds_office(file):
        return None
    return retire(file)

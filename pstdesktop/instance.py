"""One copy of the application per SQLite database: a lock held while it runs, and the read-only view
offered to a second copy.

The lock is SQLite's own exclusive lock (an operating-system lock: ``fcntl`` on Linux and macOS,
``LockFileEx`` on Windows) on the empty database ``pst.sqlite.lock`` beside the data, held by an open
``BEGIN EXCLUSIVE``, so it dies with its process: a copy that crashed or was killed leaves nothing that
blocks the next start. SQLite is loaded already, so taking it costs the start-up nothing. Who holds it — PC name, user, process id and
start time — is written to ``pst.sqlite.lock.json`` when the lock is taken, for a second start to say
in one sentence. On PostgreSQL there is no lock: the server keeps several PCs apart.

A second copy may still look: :func:`open_read_only` opens the database through SQLite's ``mode=ro``
and refuses every write of a session with the ``read_only`` refusal, so nothing it does can reach the
file (and SQLite itself would refuse it too)."""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pstdesktop.private import private_file
from pstdesktop.services import clock
from pstdesktop.services.errors import StateError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

LOCK_SUFFIX, HOLDER_SUFFIX = ".lock", ".lock.json"

_held: dict[Path, sqlite3.Connection] = {}  # the locks this process holds (open transactions), by database file


@dataclass(frozen=True)
class Holder:
    """The copy of the application that holds a database (as it wrote itself down)."""

    host: str = ""
    user: str = ""
    pid: int = 0
    started_at: datetime | None = None

    def sentence(self, lang: str = "id", zone_name: str | None = None) -> str:
        """One plain sentence: who has the data open, where and since when."""
        en = lang == "en"
        if not self.host and not self.user:
            return ("PST Desktop is already open on this data with another copy (its PC and user are unknown)."
                    if en else "PST Desktop sudah dibuka dengan data ini oleh salinan lain (PC dan penggunanya "
                               "tidak diketahui).")
        when = ""
        if self.started_at is not None:
            if zone_name in clock.ZONES:
                when = clock.fmt_local(self.started_at, zone_name)
            else:
                when = self.started_at.strftime("%d-%m-%Y %H:%M UTC")
        if en:
            return (f"PST Desktop is already open on this data by user {self.user} on PC {self.host}"
                    f"{f' since {when}' if when else ''} (process {self.pid}).")
        return (f"PST Desktop sudah dibuka dengan data ini oleh pengguna {self.user} di PC {self.host}"
                f"{f' sejak {when}' if when else ''} (proses {self.pid}).")


def lock_path(database_file: Path) -> Path:
    return database_file.with_name(database_file.name + LOCK_SUFFIX)


def holder_path(database_file: Path) -> Path:
    return database_file.with_name(database_file.name + HOLDER_SUFFIX)


def me() -> Holder:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (a service account without one)
        user = os.environ.get("USERNAME") or os.environ.get("USER") or "?"
    return Holder(host=socket.gethostname() or "?", user=user, pid=os.getpid(), started_at=clock.utcnow())


def _key(database_file: Path) -> Path:
    return database_file.resolve()


def _lock(database_file: Path) -> sqlite3.Connection | None:
    """The exclusive lock of ``database_file``, taken (an open connection holding it); None when another
    process holds it. An ``OSError`` or ``sqlite3.Error`` when the filesystem cannot lock."""
    path = private_file(lock_path(database_file))
    connection = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
    try:
        connection.execute("PRAGMA journal_mode=OFF")  # nothing is ever written: no journal file beside it
        connection.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as error:
        connection.close()
        if "locked" in str(error) or "busy" in str(error):
            return None
        raise
    except BaseException:
        connection.close()
        raise
    return connection


def claim(database_file: Path) -> Holder | None:
    """Take the lock of ``database_file`` for this process: None when taken (or already held here), else
    the holder that has it. A filesystem without locks (some network shares) is not refused."""
    key = _key(database_file)
    if key in _held or not database_file.parent.is_dir():  # a missing folder is the opening's fault to tell
        return None
    try:
        lock = _lock(database_file)
    except (OSError, sqlite3.Error):  # no locking on this filesystem: nothing to hold, nothing to refuse
        return None
    if lock is None:
        return read_holder(database_file)
    _held[key] = lock
    _write_holder(database_file, me())
    return None


def release(database_file: Path) -> None:
    """Give the lock back (at exit; the operating system does it too when the process dies)."""
    lock = _held.pop(_key(database_file), None)
    if lock is None:
        return
    with contextlib.suppress(OSError):
        holder_path(database_file).unlink(missing_ok=True)
    lock.close()


def release_all() -> None:
    for key in list(_held):
        release(key)


def holds(database_file: Path) -> bool:
    """True when this process holds the lock of ``database_file``."""
    return _key(database_file) in _held


def other_holder(database_file: Path) -> Holder | None:
    """The other running copy that holds ``database_file``, or None (free, or held by this process)."""
    if holds(database_file) or not lock_path(database_file).exists():
        return None
    try:
        lock = _lock(database_file)
    except (OSError, sqlite3.Error):
        return None
    if lock is None:
        return read_holder(database_file)
    lock.close()
    return None


def read_holder(database_file: Path) -> Holder:
    """What the holder wrote about itself (an empty ``Holder`` when it cannot be read)."""
    try:
        data = json.loads(holder_path(database_file).read_text(encoding="utf-8"))
        started = datetime.fromisoformat(data["started_at"]) if data.get("started_at") else None
        return Holder(host=str(data.get("host", "")), user=str(data.get("user", "")), pid=int(data.get("pid", 0)),
                      started_at=started)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Holder()


def _write_holder(database_file: Path, holder: Holder) -> None:
    target = holder_path(database_file)
    partial = private_file(target.with_name(target.name + ".partial"))
    with contextlib.suppress(OSError):
        partial.write_text(json.dumps({"host": holder.host, "user": holder.user, "pid": holder.pid,
                                       "started_at": holder.started_at.isoformat() if holder.started_at else None}),
                           encoding="utf-8")
        os.replace(partial, target)


# --- the read-only view of a second copy -------------------------------------------------------------

def read_only_url(database_file: Path) -> str:
    """The engine URL of the read-only view of ``database_file`` (``mode=ro`` marks it read-only for
    ``pstdesktop.database``); connections come from :func:`read_only_connector`."""
    return f"sqlite:///file:{database_file.resolve().as_posix()}?mode=ro&uri=true"


def read_only_connector(database_file: Path, timeout_s: float):
    """A function that opens ``database_file`` through SQLite's ``mode=ro`` URI, the path percent-encoded
    (a space, ``#`` or ``?`` in a folder name stays part of the path): the connection cannot write."""
    uri = database_file.resolve().as_uri() + "?mode=ro"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=timeout_s, check_same_thread=False)

    return connect


def refuse_writes(factory: sessionmaker[Session]) -> None:
    """Every session of ``factory`` refuses to write: a flush with changes, or an INSERT, UPDATE or
    DELETE statement, raises the ``read_only`` refusal (a ``StateError``) before SQLite is asked."""
    from sqlalchemy import event

    def flushing(session: Session, _context, _instances) -> None:
        if session.new or session.deleted or any(session.is_modified(row) for row in session.dirty):
            raise StateError("read_only")

    def executing(state) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            raise StateError("read_only")

    event.listen(factory, "before_flush", flushing)
    event.listen(factory, "do_orm_execute", executing)

"""Opening the database the settings name: engine, migrations (with a pre-upgrade copy of SQLite),
and the catalogue seeded on first start. An SQLite file is created private to the user (0600 on POSIX)
before SQLite opens it; its -wal and -shm files take the same mode."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from pstdesktop import faults, instance, migrate, soundness
from pstdesktop.config import Settings
from pstdesktop.database import SQLITE_BUSY_TIMEOUT_MS, make_engine, make_session_factory, unit_of_work
from pstdesktop.opening import HEAD_REVISION
from pstdesktop.private import private_file
from pstdesktop.services import audit
from pstdesktop.services.catalogue import seed_catalogue


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    read_only: bool = False  # a second copy's view: SQLite opened with mode=ro, every write refused

    def unit_of_work(self):
        return unit_of_work(self.sessions)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(settings: Settings, stop: threading.Event | None = None) -> Database:
    return open_url(settings.database_url, settings.backup_dir if settings.is_sqlite else None, stop=stop)


def open_url(url: str, backup_dir=None, *, seal: bool = True, checked: bool = False,
             stop: threading.Event | None = None) -> Database:
    """Open (create, migrate) the database. A fault of the URL, of the SQLite file (checked read-only
    before SQLite opens it for writing) or of the server is a ``faults.Fault``; a new SQLite file that
    could not be set up is removed again, so that no empty file is left for the next start to refuse.
    The audit trail is sealed with this PC's key (``audit.seal``) when the database is new or was just
    upgraded, or (``seal``) whenever it is not sealed yet; ``pst verify`` opens with ``seal=False`` so that
    it never seals a trail it is asked to judge, and ``checked`` when it has just checked the file itself.
    Once ``stop`` is set (the application closes while it opens), the file's check ends: ``faults.Stopped``."""
    file = faults.sqlite_path(faults.database_url(url))
    if file is not None and not checked:
        faults.check_sqlite_file(file, backup_dir, stop)
    made = [p for p in _sqlite_files(file) if not p.exists()] if file is not None and not file.exists() else []
    try:
        _create_sqlite_file(url)
        engine = make_engine(url)
        try:
            before = migrate.stored_revision(engine)  # without Alembic, which loads only for an upgrade
            migrate.upgrade(engine, backup_dir)
            soundness.mark(engine)
            database = Database(engine, make_session_factory(engine))
            if seal or before != HEAD_REVISION:
                try:
                    with database.unit_of_work() as session:
                        audit.seal(session)
                except audit.KeyMissing as missing:
                    from pstdesktop import auditkey

                    raise faults.Fault("audit_key_missing", key=missing.kid, url=faults.shown(url),
                                       where=auditkey.where()) from None
            with database.unit_of_work() as session:
                seed_catalogue(session)
        except BaseException:
            engine.dispose()
            raise
    except BaseException as error:
        for path in made:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        fault = faults.from_error(error, url)
        if fault is None:
            raise
        raise fault from None
    return database


def open_read_only(database_file: Path) -> Database:
    """The SQLite file as a second copy may see it while another copy holds it: read-only (``mode=ro``),
    not migrated, every write of a session refused; a ``faults.Fault`` for a damaged file, and a
    ``RuntimeError`` when its schema is not this version's (the holder must be updated first)."""
    faults.check_sqlite_file(database_file)
    engine = make_engine(instance.read_only_url(database_file),
                         creator=instance.read_only_connector(database_file, SQLITE_BUSY_TIMEOUT_MS / 1000))
    try:
        if migrate.stored_revision(engine) != HEAD_REVISION:
            raise RuntimeError("schema")
        sessions = make_session_factory(engine)
        instance.refuse_writes(sessions)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, sessions, read_only=True)


def _sqlite_files(file: Path) -> list[Path]:
    return [file, *(file.with_name(file.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def _create_sqlite_file(url: str) -> None:
    """Create (or tighten) the SQLite file privately; when that is impossible (missing or read-only
    folder) SQLite itself reports the fault on opening."""
    name = make_url(url).database if url.startswith("sqlite") else None
    if name and name != ":memory:" and not name.startswith("file:"):
        with contextlib.suppress(OSError):
            private_file(Path(name))

"""Is a database file (or an open database) sound and this application's, before anything trusts it?

An SQLite file this application creates or migrates carries ``PRAGMA application_id`` =
``APPLICATION_ID`` ("PSTD") in its header. ``check_file`` reads a file read-only (as ``immutable`` when
no ``-wal`` lies beside it, so not even a ``-shm`` file is made) and names every reason not to trust it:
missing, empty, not SQLite, damaged (``PRAGMA quick_check`` or, ``thorough``, ``integrity_check``),
another application's, or a schema other than this version's Alembic head. A file of an older PST
version (``application_id`` 0 but our ``alembic_version`` table) counts as ours; ``mark`` sets the id
the next time it is opened for writing. ``check_engine`` does the same for an open database, PostgreSQL
included (there: the Alembic head only). Problems are told in Indonesian and English."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from pstdesktop.faults import APPLICATION_ID, SQLITE_MAGIC

__all__ = ["APPLICATION_ID", "Problem", "check_engine", "check_file", "mark"]
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("berkas {file} tidak ada", "the file {file} does not exist"),
    "folder": ("{file} adalah folder, bukan berkas basis data", "{file} is a folder, not a database file"),
    "unreadable": ("berkas {file} tidak dapat dibaca ({reason})", "the file {file} cannot be read ({reason})"),
    "empty": ("berkas {file} kosong (0 byte)", "the file {file} is empty (0 bytes)"),
    "not_sqlite": ("berkas {file} bukan basis data SQLite", "the file {file} is not an SQLite database"),
    "damaged": ("berkas {file} rusak: pemeriksaan SQLite gagal ({detail})",
                "the file {file} is damaged: SQLite's check fails ({detail})"),
    "foreign": ("berkas {file} adalah basis data aplikasi lain (application_id {found:#x}), bukan PST Desktop",
                "the file {file} is another application's database (application_id {found:#x}), not PST Desktop's"),
    "no_schema": ("{file} tidak berisi skema PST Desktop (tabel alembic_version tidak ada)",
                  "{file} holds no PST Desktop schema (no alembic_version table)"),
    "schema_unknown": ("skema {file} pada revisi {found} yang tidak dikenal versi ini (dari versi yang lebih baru?)",
                       "the schema of {file} is at revision {found}, unknown to this version (from a newer one?)"),
    "schema_behind": ("skema {file} pada revisi {found}, belum {head}", "the schema of {file} is at revision "
                      "{found}, not yet {head}"),
    "unopenable": ("basis data {file} tidak dapat dibaca ({reason})", "the database {file} cannot be read ({reason})"),
}


@dataclass(frozen=True)
class Problem:
    """One reason not to trust a database: ``code`` (a key of MESSAGES) and its words in both languages."""

    code: str
    indonesian: str
    english: str

    @classmethod
    def of(cls, code: str, **params: object) -> Problem:
        indonesian, english = MESSAGES[code]
        values = {k: " ".join(str(v).splitlines()) if isinstance(v, str | Path) else v for k, v in params.items()}
        return cls(code, indonesian.format(**values), english.format(**values))

    def text(self) -> str:
        return f"{self.indonesian} / {self.english}"

    def __str__(self) -> str:
        return self.english


def revisions() -> tuple[str, set[str]]:
    """This version's Alembic head and every revision it knows."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    return script.get_current_head(), {r.revision for r in script.walk_revisions()}


def schema_problems(found: str | None, where: object, *, at_head: bool = True) -> list[Problem]:
    """The Alembic revision ``found`` judged against this version: unknown or (``at_head``) behind."""
    head, known = revisions()
    if found is None:
        return [Problem.of("no_schema", file=where)]
    if found not in known:
        return [Problem.of("schema_unknown", file=where, found=found)]
    if at_head and found != head:
        return [Problem.of("schema_behind", file=where, found=found, head=head)]
    return []


def read_only_uri(path: Path) -> str:
    """A read-only URI of ``path``; ``immutable`` when no ``-wal`` lies beside it (nothing is created)."""
    wal = path.with_name(path.name + "-wal").exists()
    return f"{path.resolve().as_uri()}?mode=ro" + ("" if wal else "&immutable=1")


def check_file(path: Path, *, thorough: bool = False, at_head: bool = True, scan: bool = True) -> list[Problem]:
    """Every reason not to trust the SQLite file at ``path`` (empty when it is sound and ours). ``thorough``
    runs ``integrity_check`` (indexes against tables too) instead of ``quick_check``; ``at_head=False``
    accepts a schema of an older version of this application (it is migrated on opening); ``scan=False``
    leaves the page check out (the caller has just run one)."""
    path = Path(path)
    if not path.exists():
        return [Problem.of("missing", file=path)]
    if path.is_dir():
        return [Problem.of("folder", file=path)]
    try:
        with open(path, "rb") as stream:
            head = stream.read(len(SQLITE_MAGIC))
    except OSError as error:
        return [Problem.of("unreadable", file=path, reason=error.strerror or type(error).__name__)]
    if not head:
        return [Problem.of("empty", file=path)]
    if head != SQLITE_MAGIC:
        return [Problem.of("not_sqlite", file=path)]
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as error:
        return [Problem.of("unreadable", file=path, reason=str(error))]
    try:
        return _check_connection(connection, path, thorough=thorough, at_head=at_head, scan=scan)
    finally:
        connection.close()


def _check_connection(connection: sqlite3.Connection, path: object, *, thorough: bool,
                      at_head: bool, scan: bool = True) -> list[Problem]:
    try:
        pragma = "integrity_check(20)" if thorough else "quick_check(20)"
        verdict = [row[0] for row in connection.execute(f"PRAGMA {pragma}").fetchall()] if scan else ["ok"]
        if verdict != ["ok"]:
            return [Problem.of("damaged", file=path, detail="; ".join(verdict[:3]) or "-")]
        found_id = connection.execute("PRAGMA application_id").fetchone()[0]
        has_version = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()[0]
        if found_id != APPLICATION_ID and not (found_id == 0 and has_version):
            return [Problem.of("foreign", file=path, found=found_id)]
        found = (connection.execute("SELECT version_num FROM alembic_version").fetchone() or [None])[0] \
            if has_version else None
    except sqlite3.OperationalError as error:
        if "malformed" in str(error) or "not a database" in str(error):
            return [Problem.of("damaged", file=path, detail=str(error))]
        return [Problem.of("unreadable", file=path, reason=str(error))]
    except sqlite3.DatabaseError as error:
        return [Problem.of("damaged", file=path, detail=str(error))]
    return schema_problems(found, path, at_head=at_head)


def check_engine(engine: Engine, *, thorough: bool = False, scan: bool = True) -> list[Problem]:
    """Every reason not to trust the open database: on SQLite the checks of ``check_file`` (on the live
    connection, so a WAL is seen), on PostgreSQL the schema at this version's Alembic head."""
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                raw = connection.connection.driver_connection
                where = engine.url.database or where
                return _check_connection(raw, where, thorough=thorough, at_head=True, scan=scan)
            from alembic.runtime.migration import MigrationContext

            found = MigrationContext.configure(connection).get_current_revision()
            return schema_problems(found, where)
    except SQLAlchemyError as error:
        reason = (str(getattr(error, "orig", None) or error).strip().splitlines() or ["-"])[0]
        if "malformed" in reason or "not a database" in reason:
            return [Problem.of("damaged", file=where, detail=reason)]
        return [Problem.of("unopenable", file=where, reason=reason)]


def mark(engine: Engine) -> None:
    """Set this application's ``PRAGMA application_id`` on an SQLite database opened for writing (when it
    is not set yet: a new file, or one of an older version of this application). No-op on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        if raw.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")

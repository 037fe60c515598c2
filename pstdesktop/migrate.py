"""Schema changes only through Alembic, applied at start-up.

Before an existing SQLite database is upgraded, a copy is taken with SQLite's backup API into the
backup folder, so a failed upgrade can always be undone by restoring that file. Alembic is imported
only when the stored revision differs from ``HEAD_REVISION`` (its import costs more than the check)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from pstdesktop.backup import copy_database
from pstdesktop.opening import HEAD_REVISION
from pstdesktop.private import private_dir
from pstdesktop.services.clock import utcnow

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return current_revision_of(connection)


def upgrade(engine: Engine, backup_dir: Path | None = None) -> Path | None:
    """Bring the database to the head revision. Returns the pre-upgrade copy, if one was taken."""
    if stored_revision(engine) == HEAD_REVISION:
        return None
    current = current_revision(engine)
    if current == head_revision():
        return None
    copy = None
    if current is not None and engine.dialect.name == "sqlite" and backup_dir is not None:
        copy = sqlite_copy(engine, backup_dir / f"pre-upgrade-{current}-{_stamp()}.sqlite")
    migrate_to(engine, "head")
    return copy


def migrate_to(engine: Engine, revision: str, *, down: bool = False) -> None:
    """Run the migrations up (or ``down``) to ``revision`` in one transaction. On SQLite, a table changed by a
    migration is rebuilt (copied, dropped, renamed), which foreign keys would refuse while rows point at
    it: they are switched off for the run and every reference is checked before it commits."""
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        raw = connection.connection.driver_connection if engine.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")  # outside a transaction, where SQLite honours it
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                (command.downgrade if down else command.upgrade)(config, revision)
                if raw is not None:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration to {revision} left {len(broken)} broken references: "
                                           f"{broken[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def stored_revision(engine: Engine) -> str | None:
    """The revision in ``alembic_version``, read without Alembic (None on a new database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def current_revision_of(connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def sqlite_copy(engine: Engine, target: Path) -> Path:
    """A consistent copy of a live SQLite database (the backup API, never a file copy)."""
    private_dir(target.parent)
    copy_database(Path(engine.url.database), target)
    return target


def _stamp() -> str:
    return utcnow().strftime("%Y%m%dT%H%M%SZ")

"""Schema changes only through Alembic, applied at start-up.

Before an existing SQLite database is upgraded, a copy is taken with SQLite's backup API into the
backup folder, so a failed upgrade can always be undone by restoring that file."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from pstdesktop.backup import copy_database
from pstdesktop.services.clock import utcnow

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, backup_dir: Path | None = None) -> Path | None:
    """Bring the database to the head revision. Returns the pre-upgrade copy, if one was taken."""
    current = current_revision(engine)
    if current == head_revision():
        return None
    copy = None
    if current is not None and engine.dialect.name == "sqlite" and backup_dir is not None:
        copy = sqlite_copy(engine, backup_dir / f"pre-upgrade-{current}-{_stamp()}.sqlite")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return copy


def sqlite_copy(engine: Engine, target: Path) -> Path:
    """A consistent copy of a live SQLite database (the backup API, never a file copy)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_database(Path(engine.url.database), target)
    return target


def _stamp() -> str:
    return utcnow().strftime("%Y%m%dT%H%M%SZ")

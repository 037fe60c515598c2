"""Opening the database the settings name: engine, migrations (with a pre-upgrade copy of SQLite),
and the catalogue seeded on first start."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from pstdesktop import migrate
from pstdesktop.config import Settings
from pstdesktop.database import make_engine, make_session_factory, unit_of_work
from pstdesktop.services.catalogue import seed_catalogue


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    def unit_of_work(self):
        return unit_of_work(self.sessions)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(settings: Settings) -> Database:
    return open_url(settings.database_url, settings.backup_dir if settings.is_sqlite else None)


def open_url(url: str, backup_dir=None) -> Database:
    engine = make_engine(url)
    migrate.upgrade(engine, backup_dir)
    database = Database(engine, make_session_factory(engine))
    with database.unit_of_work() as session:
        seed_catalogue(session)
    return database

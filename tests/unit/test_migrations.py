"""Schema changes only through Alembic: an empty database upgrades to head, and the models agree with it."""

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from models import Base
from pstdesktop import migrate
from pstdesktop.config import sqlite_url
from pstdesktop.database import make_engine


def test_empty_database_upgrades_to_head_and_matches_the_models(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "new.sqlite"))
    assert migrate.current_revision(engine) is None
    assert migrate.upgrade(engine, tmp_path / "backups") is None  # nothing to copy on a new database
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()


def test_sqlite_pragmas(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "p.sqlite"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()


def test_an_older_database_is_copied_before_upgrade(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'older'")
        conn.exec_driver_sql("INSERT INTO product (code, kind, name_id, name_en, unit_id, unit_en, needs_region,"
                             " account_code, active) VALUES ('x', 'map', 'x', 'x', 'x', 'x', 0, '425439', 1)")
    # pretend the head moved on: the copy must be taken before the upgrade runs
    monkeypatch.setattr(migrate, "head_revision", lambda: "newer")
    calls = []
    monkeypatch.setattr(migrate.command, "upgrade", lambda config, rev: calls.append(rev))
    copy = migrate.upgrade(engine, tmp_path / "backups")
    assert calls == ["head"]
    assert copy is not None and copy.name.startswith("pre-upgrade-older-")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT code FROM product").fetchall() == [("x",)]
    engine.dispose()

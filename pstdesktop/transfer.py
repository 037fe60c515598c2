"""Moving an office from its embedded SQLite file to a PostgreSQL server on the LAN, so the kiosk,
officer and treasurer PCs share one database. The target is migrated to the head revision and must
be empty; every row is copied table by table (parents first) in one transaction, ids kept."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from models import Base
from pstdesktop import migrate
from pstdesktop.database import make_engine

BATCH = 2000


def check_connection(url: str) -> str | None:
    """None when the server answers, else the reason in plain words."""
    try:
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except (SQLAlchemyError, OSError, ValueError) as exc:
        return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return None


def copy_all(source_url: str, target_url: str, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every table of ``source_url`` into the empty database at ``target_url``; returns rows per table."""
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        migrate.upgrade(target)
        copied: dict[str, int] = {}
        with source.connect() as src, target.begin() as dst:
            for table in Base.metadata.sorted_tables:
                if dst.scalar(select(func.count()).select_from(table)):
                    raise RuntimeError(f"the target database is not empty (table {table.name} has rows)")
            for table in Base.metadata.sorted_tables:
                rows = src.execute(select(table)).mappings()
                count = 0
                while chunk := rows.fetchmany(BATCH):
                    dst.execute(insert(table), [dict(row) for row in chunk])
                    count += len(chunk)
                    if progress:
                        progress(table.name, count)
                copied[table.name] = count
            if dst.dialect.name == "postgresql":
                for table in Base.metadata.sorted_tables:
                    if "id" in table.c and table.c.id.autoincrement is not False:
                        dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                         f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
        return copied
    finally:
        source.dispose()
        target.dispose()

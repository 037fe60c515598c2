"""Engine and units of work.

SQLite runs in WAL mode with foreign keys on and ``synchronous=FULL``; every transaction begins
IMMEDIATE, so two writers never interleave and the second waits (busy timeout) instead of failing
half-way. PostgreSQL is used by URL for offices whose PCs share one database on the LAN."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, TextClause, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from pstdesktop import faults
from pstdesktop.services import search
from pstdesktop.services.errors import CountedRefusal

SQLITE_BUSY_TIMEOUT_MS = 30_000
CHANGES_CHANNEL = "pst_changes"  # PostgreSQL NOTIFY channel of committed writes (pstdesktop.live listens)


def make_engine(url: str, **kwargs) -> Engine:
    """The engine of an SQLite or PostgreSQL (psycopg) URL; a ``faults.Fault`` for any other URL. A server
    that does not answer fails after ``connect_timeout`` seconds (10 unless the URL says otherwise). SQL
    parameters never appear in an error: they can hold a visitor's name or identity number."""
    parsed = faults.database_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                               hide_parameters=True, **kwargs)
        _configure_sqlite(engine)
        return engine
    timeout = {} if "connect_timeout" in parsed.query else {"connect_timeout": faults.CONNECT_TIMEOUT_S}
    return create_engine(parsed.set(drivername="postgresql+psycopg"), pool_pre_ping=True, connect_args=timeout,
                         hide_parameters=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA secure_delete = ON")  # erased personal data leaves no readable free page
        cursor.close()

    read_only = engine.url.query.get("mode") == "ro"  # a second copy's view (pstdesktop.instance)

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # a reader (``pst_reader``: pst verify) takes a snapshot, not the write lock
        reader = read_only or connection.get_execution_options().get("pst_reader", False)
        connection.exec_driver_sql("BEGIN" if reader else "BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    search.keep_in_step(factory)
    if engine.dialect.name == "postgresql":
        announce_changes(factory)
    return factory


def announce_changes(factory: sessionmaker[Session]) -> None:
    """A transaction that writes sends ``NOTIFY pst_changes`` (once, at its first write). PostgreSQL delivers
    it only if the transaction commits, so the other PCs refresh after real changes and never after reads."""
    def announce(session: Session) -> None:
        if not session.info.get("announced"):
            session.info["announced"] = True
            session.connection().exec_driver_sql(f"NOTIFY {CHANGES_CHANNEL}")

    def forget(session: Session, _transaction) -> None:  # any end, savepoints too: a later write announces again
        session.info.pop("announced", None)

    def executed(state) -> None:
        statement = state.statement
        if isinstance(statement, TextClause):
            writes = statement.text.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
        else:
            writes = state.is_insert or state.is_update or state.is_delete
        if writes:
            announce(state.session)

    event.listen(factory, "after_flush", lambda session, _context: announce(session))
    event.listen(factory, "do_orm_execute", executed)
    event.listen(factory, "after_transaction_end", forget)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back whole on any error. A refused
    approval (``CountedRefusal``) then records its failed attempt on its own, so guessing is counted."""
    session = factory()
    try:
        try:
            with session.begin():
                yield session
        except CountedRefusal as refusal:
            with session.begin():
                refusal.count(session)
            raise
    finally:
        session.close()


def checkpoint(engine: Engine) -> None:
    """Copy the WAL into the SQLite file and empty it, so pages from before an erasure survive in
    neither (no-op on PostgreSQL)."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()  # outside a transaction: a checkpoint cannot run inside one
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()

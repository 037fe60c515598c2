"""Seeing what other PCs and processes change, without asking the database for the lists again.

A ``ChangeWatcher`` answers ``changed()`` at once (it never waits), so a screen can ask it every second
on the GUI thread and reload its lists only when something was committed meanwhile:

- SQLite: ``PRAGMA data_version`` on one dedicated connection that never writes; SQLite moves the number
  whenever another connection, in this process or another, commits.
- PostgreSQL: ``LISTEN pst_changes`` on one dedicated connection; every unit of work that writes sends
  ``NOTIFY`` (``pstdesktop.database.announce_changes``), delivered when it commits. The poll reads what
  already arrived on the socket. A lost connection is opened again in a background thread, and the next
  answer is "changed" (notifications may have been missed meanwhile)."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any, Protocol

from sqlalchemy import Engine

from pstdesktop.database import CHANGES_CHANNEL

RECONNECT_S = 15.0
log = logging.getLogger(__name__)


class ChangeWatcher(Protocol):
    def changed(self) -> bool:
        """True when something was committed since the last call; never blocks."""

    def close(self) -> None: ...


class NoWatcher:
    """For a database nobody else can change (an in-memory SQLite)."""

    def changed(self) -> bool:
        return False

    def close(self) -> None:
        return None


def _detached(engine: Engine) -> Any:
    """A driver connection (sqlite3, psycopg) made with the engine's own settings, taken out of its pool
    for good: its watcher closes it."""
    proxied = engine.raw_connection()
    connection = proxied.driver_connection
    proxied.detach()
    return connection


class SqliteWatcher:
    """``PRAGMA data_version`` on a connection of its own, which only reads and never waits for a lock."""

    def __init__(self, engine: Engine):
        self._connection = _detached(engine)
        self._connection.execute("PRAGMA busy_timeout = 0")
        self._version = self._read()

    def _read(self) -> int | None:
        try:
            return self._connection.execute("PRAGMA data_version").fetchone()[0]
        except Exception:  # a checkpoint or recovery holds the file for a moment: ask again at the next tick
            return None

    def changed(self) -> bool:
        version = self._read()
        if version is None or version == self._version:
            return False
        self._version = version
        return True

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._connection.close()


class PostgresWatcher:
    """``LISTEN`` on a connection of its own; ``changed()`` consumes what the server already sent."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self._lock = threading.Lock()
        self._proxied: Any = None
        self._fresh: Any = None  # a connection opened again in the background, not yet taken over
        self._reconnecting = False
        self._closed = False
        self._last_attempt = 0.0
        self._take(self._listen())

    def _listen(self) -> Any:
        connection = _detached(self._engine)
        try:
            connection.autocommit = True
            connection.execute(f"LISTEN {CHANGES_CHANNEL}")
        except BaseException:
            connection.close()
            raise
        return connection

    def _take(self, proxied: Any) -> None:
        self._proxied, self._pgconn = proxied, proxied.pgconn

    def changed(self) -> bool:
        if self._closed:
            return False
        if self._proxied is None:
            return self._recovered()
        try:
            self._pgconn.consume_input()  # reads the socket without waiting
            seen = False
            while self._pgconn.notifies() is not None:
                seen = True
            return seen
        except Exception:
            log.info("change watcher lost its PostgreSQL connection; opening it again")
            self._drop()
            return self._recovered()

    def _drop(self) -> None:
        proxied, self._proxied = self._proxied, None
        with contextlib.suppress(Exception):
            proxied.close()

    def _recovered(self) -> bool:
        """Take over a connection opened in the background (then report a change), or start opening one."""
        with self._lock:
            fresh, self._fresh = self._fresh, None
        if fresh is not None:
            self._take(fresh)
            return True
        now = time.monotonic()
        if not self._reconnecting and now - self._last_attempt >= RECONNECT_S:
            self._last_attempt, self._reconnecting = now, True
            threading.Thread(target=self._reconnect, name="pst-live-reconnect", daemon=True).start()
        return False

    def _reconnect(self) -> None:
        try:
            proxied = self._listen()
        except Exception:
            proxied = None
        with self._lock:
            self._reconnecting = False
            if proxied is not None and self._closed:
                proxied.close()
            elif proxied is not None:
                self._fresh = proxied

    def close(self) -> None:
        with self._lock:
            self._closed = True
            fresh, self._fresh = self._fresh, None
        for proxied in (fresh, self._proxied):
            if proxied is not None:
                with contextlib.suppress(Exception):
                    proxied.close()
        self._proxied = None


def watch(engine: Engine) -> ChangeWatcher:
    """The watcher of the engine's database (opens one connection of its own)."""
    if engine.dialect.name == "postgresql":
        return PostgresWatcher(engine)
    if engine.url.database in (None, "", ":memory:"):
        return NoWatcher()
    return SqliteWatcher(engine)

"""The automatic backups of the SQLite file — the day's first at start, one at every exit — taken off the
GUI thread, and the exit backup skipped when nothing changed since the last backup.

"Nothing changed" is known two ways, both conservative: at start, the newest backup is stamped after the
file's last write (the file's and a non-empty ``-wal``'s modification times) and no exit backup is left
pending; during the run, ``PRAGMA data_version`` on a connection of our own, read before the day's backup
and again at exit, moves whenever any connection in any process commits. An exit backup is announced by a
mark in the data folder before it starts and the mark is removed when it is done: a run ended before
that (the PC switched off) leaves the mark, and the next start takes the backup then. A backup is written
as a ``.partial`` file and renamed only once it passed ``PRAGMA integrity_check``, so a copy cut short is
never taken for a backup."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from pstdesktop import backup, faults
from pstdesktop.config import Settings

PENDING = "exit-backup-pending"  # in the data folder while an exit backup is owed


class AutoBackup:
    def __init__(self, settings: Settings, office) -> None:
        self.file = faults.sqlite_path(settings.database_url) if settings.is_sqlite else None
        self.backup_dir, self.zone, self.keep_days = settings.backup_dir, office.time_zone, office.retention_days
        self.pending = settings.data_dir / PENDING
        self._version: int | None = None
        self._watch: sqlite3.Connection | None = None
        self.owed = self.pending.exists()  # the last run's exit backup did not finish
        self.current = self.file is not None and not self.owed and covered(self.file, self.backup_dir)

    def mark(self) -> None:
        """Remember the file's ``data_version`` now (before the backup that holds this state)."""
        if self.file is None:
            return
        if self._watch is None:
            self._watch = sqlite3.connect(f"{self.file.resolve().as_uri()}?mode=ro", uri=True,
                                          check_same_thread=False)
        self._version = self._watch.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        """True unless no connection committed since ``mark``."""
        if self._watch is None or self._version is None:
            return True
        return self._watch.execute("PRAGMA data_version").fetchone()[0] != self._version

    def at_start(self) -> bool:
        """The day's backup when due, or the exit backup the last run left pending. True when a backup was
        taken (its integrity check then covered the live file too). ``RuntimeError``: the copy is damaged."""
        if self.file is None or not self.file.exists():
            return False
        if not self.owed and not backup.daily_due(self.backup_dir, self.zone):
            return False
        self.mark()
        self._take("daily" if backup.daily_due(self.backup_dir, self.zone) else "exit")
        self.current, self.owed = True, False
        self.pending.unlink(missing_ok=True)
        return True

    def pend_exit(self) -> None:
        """Announce the exit backup before anything else happens at exit."""
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.pending.touch()

    def withdraw(self) -> None:
        """No exit backup after all (the database never opened): the mark goes unless an earlier run left it."""
        if not self.owed:
            self.pending.unlink(missing_ok=True)
        self.close()

    def at_exit(self) -> bool:
        """After the database is closed: the exit backup, unless the newest backup already holds this state.
        True when one was taken. The pending mark goes once that is settled; a failed backup leaves it."""
        if self.file is None or not self.file.exists():
            return False
        try:
            unchanged = self.current and not self.changed()
            self.close()
            if not unchanged:
                self._take("exit")
        except (OSError, RuntimeError, sqlite3.Error):
            return False  # the mark stays: the next start takes it
        self.pending.unlink(missing_ok=True)
        return not unchanged

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    def _take(self, kind: str) -> None:
        backup.take(self.file, self.backup_dir, kind)
        backup.rotate(self.backup_dir, self.zone, keep_days=self.keep_days)


def last_write(file: Path) -> datetime:
    """When the database last changed on disk: the file, or its ``-wal`` when that holds anything (a
    read-only reader leaves an empty one behind)."""
    stamps = [file.stat().st_mtime]
    wal = file.with_name(file.name + "-wal")
    with contextlib.suppress(OSError):
        if wal.stat().st_size > 0:
            stamps.append(wal.stat().st_mtime)
    return datetime.fromtimestamp(max(stamps), UTC)


def covered(file: Path, backup_dir: Path) -> bool:
    """True when the newest backup was started after the file's last write (so it holds that state)."""
    newest = next(iter(backup.listing(backup_dir)), None)
    try:
        return newest is not None and newest.taken_at > last_write(file)
    except OSError:
        return False

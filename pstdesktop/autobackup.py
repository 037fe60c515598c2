"""The automatic backups of the SQLite file — the day's first at start, one at every exit — taken off the
GUI thread, and the exit backup skipped when nothing changed since the last backup.

"Nothing changed" is known two ways, both conservative: at start, the newest backup is stamped after the
file's last write (the file's and a non-empty ``-wal``'s modification times) and no exit backup is left
pending; during the run, ``PRAGMA data_version`` on a connection of our own, read before the day's backup
and again at exit, moves whenever any connection in any process commits. An exit backup is announced by a
mark in the data folder before it starts and the mark is removed when it is done: a run ended before
that (the PC switched off) leaves the mark, and the next start takes the backup then. A backup is written
as a ``.partial`` file and renamed only once it passed ``PRAGMA integrity_check``, so a copy cut short is
never taken for a backup.

When the application quits, the exit backup is handed over to a process of its own (``pst --exit-backup``,
no window, no Qt, no SQLAlchemy), so the application ends at once: the mark stays until that process has
the backup, and if it is ended first the next start takes it. A mark names the run that left it, so a
slow exit backup never removes the mark of a later run. The day's backup still being taken when the
application quits is stopped between two steps (its copy removed) and left to that exit backup."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from pstdesktop import backup, faults
from pstdesktop.config import Settings

PENDING = "exit-backup-pending"  # in the data folder while an exit backup is owed


class AutoBackup:
    def __init__(self, settings: Settings, office) -> None:
        self.settings = settings
        self.file = faults.sqlite_path(settings.database_url) if settings.is_sqlite else None
        self.backup_dir, self.zone, self.keep_days = settings.backup_dir, office.time_zone, office.retention_days
        self.pending = settings.data_dir / PENDING
        self._version: int | None = None
        self._watch: sqlite3.Connection | None = None
        self.owed = self.pending.exists()  # the last run's exit backup did not finish
        self.token = f"{os.getpid()}-{time.time_ns()}"  # written in this run's mark
        self.child: subprocess.Popen | None = None  # the process the exit backup was handed over to
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

    def at_start(self, stop: threading.Event | None = None) -> bool:
        """The day's backup when due, or the exit backup the last run left pending. True when a backup was
        taken (its integrity check then covered the live file too). ``RuntimeError``: the copy is damaged;
        ``backup.Stopped``: ``stop`` was set (the application quits), so this run's exit backup takes it."""
        if self.file is None or not self.file.exists():
            return False
        if not self.owed and not backup.daily_due(self.backup_dir, self.zone):
            return False
        self.mark()
        try:
            self._take("daily" if backup.daily_due(self.backup_dir, self.zone) else "exit", stop)
        except backup.Stopped:
            self.current = False  # the exit backup is owed, whatever changed meanwhile
            raise
        self.current, self.owed = True, False
        with contextlib.suppress(OSError):
            if self.pending.read_text(encoding="ascii").strip() != self.token:  # this run's own exit mark stays
                self.pending.unlink()
        return True

    def pend_exit(self) -> None:
        """Announce the exit backup before anything else happens at exit."""
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.pending.write_text(self.token, encoding="ascii")

    def withdraw(self) -> None:
        """No exit backup after all (the database never opened): the mark goes unless an earlier run left it."""
        if not self.owed:
            self.pending.unlink(missing_ok=True)
        self.close()

    def at_exit(self, hand_over: bool = False) -> bool:
        """After the database is closed: the exit backup, unless the newest backup already holds this state.
        True when one was taken (or, with ``hand_over``, handed over to a process of its own; taken here if
        that process cannot start). The pending mark goes once that is settled; a failed backup leaves it."""
        if self.file is None or not self.file.exists():
            return False
        try:
            unchanged = self.current and not self.changed()
            self.close()
            if not unchanged:
                if hand_over and self._hand_over():
                    return True
                self._take("exit")
        except (OSError, RuntimeError, sqlite3.Error):
            return False  # the mark stays: the next start takes it
        settle(self.pending, self.token)
        return not unchanged

    def _hand_over(self) -> bool:
        """Start ``pst --exit-backup`` for this run's exit backup; False when it could not start."""
        try:
            self.child = subprocess.Popen(exit_backup_command(self), stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          cwd=Path(__file__).resolve().parents[1], **_detached())
        except OSError:
            return False
        return True

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    def _take(self, kind: str, stop: threading.Event | None = None) -> None:
        backup.take(self.file, self.backup_dir, kind, stop=stop)
        backup.rotate(self.backup_dir, self.zone, keep_days=self.keep_days)


def exit_backup_command(auto: AutoBackup) -> list[str]:
    """The command line of the process that takes ``auto``'s exit backup: this program (the bundle's
    executable, or ``python -m pstdesktop``) with the same data folder and database."""
    program = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "pstdesktop"]
    return [*program, "--data-dir", str(auto.settings.data_dir), "--database", auto.settings.database_url,
            "--exit-backup", auto.zone, str(auto.keep_days), auto.token]


def _detached() -> dict:
    """Popen options for a process that outlives the application and has no console."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def finish_exit(settings: Settings, zone: str, keep_days: str, token: str) -> int:
    """``pst --exit-backup``: the exit backup handed over by the run whose mark holds ``token``. 0 when taken
    (the mark goes unless a later run wrote its own); 1 when it failed (the mark stays for the next start)."""
    file = faults.sqlite_path(settings.database_url)
    if file is None or not file.exists():
        return 1
    try:
        backup.take(file, settings.backup_dir, "exit")
        backup.rotate(settings.backup_dir, zone, keep_days=int(keep_days))
    except (OSError, RuntimeError, ValueError, sqlite3.Error):
        return 1
    settle(settings.data_dir / PENDING, token)
    return 0


def settle(pending: Path, token: str) -> None:
    """Remove the pending mark when it is the one ``token``'s run wrote (or an empty one of earlier versions)."""
    with contextlib.suppress(OSError):
        if pending.read_text(encoding="ascii").strip() in ("", token):
            pending.unlink(missing_ok=True)


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

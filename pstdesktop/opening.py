"""Opening the database behind the sign-in, so that the sign-in shows as soon as a bare window would.

``peek`` reads what the sign-in needs (the office's name, its zone, the schema revision) from an SQLite
file with plain ``sqlite3``, read-only, without SQLAlchemy or Alembic. When the file is at the head
revision and holds an office, the sign-in shows at once and ``Opening`` opens the database in a
background thread: the file's ``PRAGMA quick_check`` (read-only, before it is opened for writing, as
``open_database`` always does), the engine, then the day's tasks — the erasure of personal data past
retention, the merge of the search index's segments (``services.search.tidy``), the day's backup (or an
exit backup left pending by the last run) and the full integrity check of the live file — with a status
the staff window shows. Anything else (a new, damaged or older file, a server database) goes the long way
before the sign-in, in ``ui.app``. Nothing here imports Qt."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pstdesktop import faults
from pstdesktop.config import Settings

if TYPE_CHECKING:
    from pstdesktop.autobackup import AutoBackup
    from pstdesktop.bootstrap import Database

HEAD_REVISION = "0015_receipt_search"  # the newest migration's id; tests/unit/test_opening.py keeps it equal to Alembic's head
CHECK_MARK = "check-at-start"  # in the data folder: the last full check failed, check fully before opening

# the status of the background work, (Indonesian, English)
STATUS = {
    "opening": ("Membuka basis data…", "Opening the database…"),
    "erasing": ("Menghapus data pribadi yang melewati masa simpan…", "Erasing personal data past retention…"),
    "tidying": ("Merapikan indeks pencarian…", "Tidying the search index…"),
    "backing_up": ("Mencadangkan basis data…", "Backing up the database…"),
    "checking": ("Memeriksa keutuhan basis data…", "Checking the database's integrity…"),
    "done": ("Cadangan dan pemeriksaan basis data selesai.", "Database backup and check done."),
    "damaged": ("Basis data gagal pemeriksaan keutuhan: tutup aplikasi dan buka lagi untuk memulihkan cadangan.",
                "The database failed its integrity check: close and start the application again to restore a backup."),
    "backup_failed": ("Cadangan otomatis gagal: {reason}", "Automatic backup failed: {reason}"),
    "stopped": ("Aplikasi ditutup sebelum cadangan dan pemeriksaan selesai: dikerjakan saat keluar atau saat "
                "mulai berikutnya.",
                "The application closed before the backup and check were done: they are done at its exit or "
                "next start."),
    "read_only": ("Hanya baca: cadangan dan pemeriksaan dikerjakan oleh salinan yang memegang data ini.",
                  "Read-only: backups and checks are done by the copy that holds this data."),
}


@dataclass(frozen=True)
class OfficeFacts:
    """What the start-up needs of the office: the sign-in shows the name, the backups use zone and retention."""
    id: int
    name: str
    time_zone: str
    retention_days: int


def sqlite_file(settings: Settings) -> Path | None:
    return faults.sqlite_path(settings.database_url) if settings.is_sqlite else None


def peek(settings: Settings) -> OfficeFacts | None:
    """The office of a sound-looking SQLite file at the head revision, read without opening it for writing;
    None when the long way is needed (no file, no office, another revision, a server, a failed last check)."""
    file = sqlite_file(settings)
    if file is None or not file.is_file() or (settings.data_dir / CHECK_MARK).exists():
        return None
    try:
        with open(file, "rb") as stream:
            if stream.read(len(faults.SQLITE_MAGIC)) != faults.SQLITE_MAGIC:
                return None
        wal = file.with_name(file.name + "-wal").exists()
        connection = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro" + ("" if wal else "&immutable=1"), uri=True)
        try:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            row = connection.execute("SELECT id, name, time_zone, retention_days FROM office_profile "
                                     "ORDER BY id LIMIT 1").fetchone()
        finally:
            connection.close()
    except (OSError, sqlite3.Error):
        return None
    if revision != (HEAD_REVISION,) or row is None:
        return None
    return OfficeFacts(*row)


def facts_of(office) -> OfficeFacts:
    return OfficeFacts(office.id, office.name, office.time_zone, office.retention_days)


class Opening:
    """The database being opened (unless given already open) and the day's tasks, in a background thread.
    The thread starts with ``begin()`` (after the sign-in is painted, so the two do not compete) or at the
    first ``wait()``; ``wait()`` gives the database or raises what stopped it; ``status`` is a key of
    ``STATUS``."""

    def __init__(self, settings: Settings, office: OfficeFacts, database: Database | None = None):
        self.settings, self.office, self.database = settings, office, database
        self.read_only = database is not None and database.read_only  # a second copy's view: no day tasks
        self.error: BaseException | None = None
        self.status, self.reason = "opening", ""
        self.backups: AutoBackup | None = None  # made in the thread, before it writes anything
        self._opened, self._finished, self._closing = threading.Event(), threading.Event(), threading.Event()
        self._checker: sqlite3.Connection | None = None
        self._thread = threading.Thread(target=self._run, name="pst-opening", daemon=True)
        self._begun = threading.Lock()
        self._hand_over = False  # set by close: the exit backup goes to a process of its own

    def begin(self) -> None:
        if self._begun.acquire(blocking=False):
            self._thread.start()

    def opened(self) -> bool:
        return self._opened.is_set()

    def settled(self) -> bool:
        """The database is open (or failed to open) and the day's tasks are done."""
        self.begin()
        return self._finished.is_set()

    def wait(self) -> Database:
        self.begin()
        self._opened.wait()
        if self.error is not None:
            raise self.error
        return self.database

    def _run(self) -> None:
        if self.read_only:
            self.status = "read_only"
            self._opened.set()
            self._finished.set()
            return
        try:
            from pstdesktop.autobackup import AutoBackup

            self.backups = AutoBackup(self.settings, self.office)
            if self.database is None:
                from pstdesktop.bootstrap import open_database

                self.database = open_database(self.settings, stop=self._closing)  # a quit ends its check
        except BaseException as error:  # told by the sign-in's owner (ui.app)
            self.error = error
        self._opened.set()
        try:
            if self.error is None:
                self._day_tasks()
        except Exception as error:  # noqa: BLE001 - a failed day task is shown as a status and logged
            from pstdesktop import faultlog

            self.status, self.reason = "backup_failed", f"{type(error).__name__} ({faultlog.record(error)})"
        finally:
            self._finished.set()

    def _day_tasks(self) -> None:
        from pstdesktop.backup import Stopped
        from pstdesktop.database import checkpoint
        from pstdesktop.services import retention, search

        if self._closing.is_set():  # the application quit while the database was being opened
            self.status = "stopped"
            return
        self.status = "erasing"
        with self.database.unit_of_work() as session:
            erased = retention.erase_due(session, self.office.id)
        if erased:
            checkpoint(self.database.engine)
        self.status = "tidying"  # before the backup, which then holds the tidy index
        search.tidy(self.database.engine, stop=self._closing)
        self.backups.mark()
        self.status = "backing_up"
        try:
            checked = self.backups.at_start(stop=self._closing)
        except Stopped:  # the application quits: its exit backup (or the next start) takes the day's backup
            self.status = "stopped"
            return
        except RuntimeError:  # the copy failed its integrity check: so does the live file
            self._damaged()
            return
        except OSError as error:
            self.reason = str(error) or type(error).__name__
            checked = False
        if not checked and (file := sqlite_file(self.settings)) is not None:
            self.status = "checking"
            sound = self._full_check(file)
            if sound is False:
                self._damaged()
                return
            if sound is None:  # interrupted as the application closes: the next start checks again
                self.status = "stopped"
                return
        self.status = "backup_failed" if self.reason else "done"

    def _full_check(self, file: Path) -> bool | None:
        """``PRAGMA integrity_check`` of the live file on a read-only connection of its own; None when it was
        interrupted because the application closes (the check is then simply not done this time)."""
        self._checker = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        try:
            if self._closing.is_set():
                return None
            return self._checker.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        except sqlite3.OperationalError as error:
            if "interrupt" in str(error):
                return None
            return False
        except sqlite3.DatabaseError:
            return False
        finally:
            self._checker.close()
            self._checker = None

    def _damaged(self) -> None:
        """The next start checks fully before opening and offers the newest good backup."""
        self.status = "damaged"
        with contextlib.suppress(OSError):
            (self.settings.data_dir / CHECK_MARK).touch()

    def close(self, hand_over: bool = False) -> None:
        """After the last window: the exit backup (unless nothing changed since the last one) in a thread —
        no window waits for it; with ``hand_over`` (the application quits) the thread hands it to a process
        of its own, so the application ends at once. Its pending mark makes the next start take it if it
        is cut short. The day's backup or full check still running is stopped at its next step (the exit
        backup then holds the day's state). A database still being opened behind the sign-in (closed
        within a moment of showing) is not waited for: this run has committed nothing yet, the opening
        stops at its next step or ends with the process, and the next start's checks and backups cover
        whatever it wrote (SQLite rolls back what was not committed)."""
        self._hand_over = hand_over
        self._closing.set()
        checker = self._checker
        if checker is not None:
            with contextlib.suppress(sqlite3.Error):
                checker.interrupt()
        if self.database is None and not self._opened.is_set():
            return
        self.begin()
        self._closer = threading.Thread(target=self._close, name="pst-exit-backup", daemon=False)
        self._closer.start()

    def _close(self) -> None:
        self._opened.wait()
        if self.read_only:
            self.database.dispose()
            return
        if self.backups is not None:
            self.backups.pend_exit()
        self._finished.wait()
        if self.database is not None:
            self.database.dispose()
        if self.backups is None:
            return
        if self.error is None:
            self.backups.at_exit(hand_over=self._hand_over)
        else:
            self.backups.withdraw()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the day's tasks (their thread ended), and for the exit backup once ``close`` started it."""
        self._finished.wait(timeout)
        if self._thread.ident is not None:
            self._thread.join(timeout)
        closer = getattr(self, "_closer", None)
        if closer is not None:
            closer.join(timeout)

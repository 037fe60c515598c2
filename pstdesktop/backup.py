"""Backups of the embedded SQLite database: taken with SQLite's backup API (never a file copy of a
live database), checked, rotated (7 daily, 4 weekly, 12 monthly), and restorable.

File names say when (to the microsecond) and why: ``pst-20261123T081500.123456Z-daily.sqlite`` (kinds:
daily, exit, manual); a backup of an instant that has one already gets a sequence number after the stamp
(``…Z-2-exit``), so the order of the names is the order the backups were taken. Names of earlier
versions (whole seconds, ``pst-20261123T081500Z-daily.sqlite``) are still read. The backups folder and
every copy are private to the user (``pstdesktop.private``)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pstdesktop import anchors, instance, soundness
from pstdesktop.faults import CHECK_STEP, Stopped
from pstdesktop.private import private_dir, private_file, tighten
from pstdesktop.services import clock
from pstdesktop.services.clock import local_date, utcnow

PATTERN = re.compile(r"^pst-(\d{8}T\d{6})(?:\.(\d{6}))?Z(?:-(\d+))?-(daily|exit|manual)\.sqlite$")
PARTIAL = re.compile(r"^pst-(\d{8}T\d{6}(?:\.\d{6})?Z)(?:-(\d+))?-(?:daily|exit|manual)\.(?:sqlite|partial)$")
_naming = threading.Lock()  # two threads of one process never choose the same name
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_MANUAL = 7, 4, 12, 10
STALE_PARTIAL_SECONDS = 3600  # a backup being written touches its .partial far more often than this
STEP_PAGES = 1024  # copied per step of the backup API (4 MiB of 4 KiB pages): how soon a stop is heard


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    kind: str
    sequence: int = 1  # among the backups of the same instant

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def take(database_file: Path, backup_dir: Path, kind: str = "manual", now: datetime | None = None,
         stop: threading.Event | None = None) -> BackupFile:
    """A consistent copy of the live database, verified with ``PRAGMA integrity_check``. Once ``stop`` is
    set, the copy or its check ends at its next step: ``Stopped``, and no copy is left."""
    if kind not in ("daily", "exit", "manual"):
        raise ValueError(kind)
    if halted(stop):
        raise Stopped
    now = now or utcnow()
    private_dir(backup_dir)
    target, sequence = reserve(backup_dir, now, kind)
    partial = target.with_suffix(".partial")
    try:
        copy_database(database_file, partial, stop)
        if not integrity_ok(partial, stop):
            raise RuntimeError(f"the backup of {database_file} failed its integrity check")
        os.replace(partial, target)
        anchors.note_backup(target)  # the audit head inside the copy, a checkpoint of the trail
    finally:
        partial.unlink(missing_ok=True)
        sweep_leftovers(backup_dir)
    return BackupFile(target, now, kind, sequence)


def reserve(backup_dir: Path, now: datetime, kind: str) -> tuple[Path, int]:
    """The name of a new backup taken at ``now`` and its sequence number, one past every backup (or
    backup being written) of the same instant; its ``.partial`` file is created, exclusively, to hold it."""
    stamp = now.strftime("%Y%m%dT%H%M%S.%fZ")
    with _naming:
        while True:
            used = [int(m.group(2) or 1) for p in backup_dir.iterdir()
                    if (m := PARTIAL.match(p.name)) and m.group(1) == stamp]
            sequence = max(used, default=0) + 1
            name = f"pst-{stamp}-{kind}" if sequence == 1 else f"pst-{stamp}-{sequence}-{kind}"
            try:
                os.close(os.open(backup_dir / f"{name}.partial", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                continue  # another process took this name meanwhile
            return backup_dir / f"{name}.sqlite", sequence


def sweep_leftovers(backup_dir: Path) -> list[Path]:
    """Remove the ``-wal``/``-shm`` files that earlier versions left beside their copies (a copy kept
    SQLite's WAL mode and its check opened it): a ``-wal``/``-shm`` whose database file is gone, or
    that belongs to a backup; and the ``.partial`` copies of backups cut short (a process ended while it
    wrote one) untouched for an hour. Returns the removed files."""
    removed = []
    for partial in backup_dir.glob("pst-*.partial"):
        with contextlib.suppress(OSError):
            if utcnow().timestamp() - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
                partial.unlink()
                removed.append(partial)
    for side in [*backup_dir.glob("*-wal"), *backup_dir.glob("*-shm")]:
        base = side.with_name(side.name[:-4])
        if not base.exists() or PATTERN.match(base.name):
            side.unlink(missing_ok=True)
            removed.append(side)
    return removed


def halted(stop: threading.Event | None) -> bool:
    """True once ``stop`` is set (looked at between the steps of a copy and during its check)."""
    return stop is not None and stop.is_set()


def copy_database(source: Path, target: Path, stop: threading.Event | None = None) -> None:
    """SQLite backup API from ``source`` into ``target`` (created private, or overwritten), ``STEP_PAGES``
    at a time within one read transaction (the state when it began; other connections' writes meanwhile
    neither restart nor enter it); ``Stopped`` once ``stop`` is set. The copy is a single self-contained
    file in rollback-journal mode (the live database's WAL mode is not carried over), so reading it later
    leaves no ``-wal``/``-shm`` beside it; the application sets WAL again when it opens a restored file."""

    def step(_status: int, _remaining: int, _total: int) -> None:
        if halted(stop):
            raise Stopped

    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read transaction starts here
        dest = sqlite3.connect(private_file(target))
        try:
            src.backup(dest, pages=STEP_PAGES, progress=step)
            dest.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            dest.close()
    finally:
        src.close()


def integrity_ok(path: Path, stop: threading.Event | None = None) -> bool:
    """True when the file is an SQLite database that passes ``PRAGMA integrity_check``; ``Stopped`` when
    ``stop`` was set meanwhile. A file without a ``-wal`` beside it is read as immutable, so checking it
    creates no ``-wal``/``-shm`` files."""
    if not path.exists():
        return False
    has_wal = path.with_name(path.name + "-wal").exists()
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro{'' if has_wal else '&immutable=1'}", uri=True)
        if stop is not None:
            conn.set_progress_handler(lambda: halted(stop), CHECK_STEP)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        if halted(stop):
            raise Stopped from None
        return False
    return rows == [("ok",)]


def listing(backup_dir: Path) -> list[BackupFile]:
    """Every backup in the folder, newest first."""
    found = []
    if backup_dir.exists():
        for path in backup_dir.iterdir():
            match = PATTERN.match(path.name)
            if match:
                taken = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(
                    microsecond=int(match.group(2) or 0), tzinfo=UTC)
                found.append(BackupFile(path, taken, match.group(4), int(match.group(3) or 1)))
    return sorted(found, key=lambda b: (b.taken_at, b.sequence), reverse=True)


def rotate(backup_dir: Path, zone_name: str, keep_days: int | None = None,
           now: datetime | None = None) -> list[Path]:
    """Keep the newest backup of each of the last 7 days, 4 ISO weeks and 12 months (office dates), and
    the last 10 manual ones; remove the rest. With ``keep_days`` (the office's retention of personal
    data) every copy older than that goes too, pre-upgrade copies included, so erased personal data
    does not live on in a backup. Returns the removed files."""
    automatic = [b for b in listing(backup_dir) if b.kind != "manual"]
    keep: set[Path] = set()
    for key, count in ((lambda d: d, KEEP_DAILY), (lambda d: d.isocalendar()[:2], KEEP_WEEKLY),
                       (lambda d: (d.year, d.month), KEEP_MONTHLY)):
        seen: list = []
        for backup in automatic:
            bucket = key(local_date(backup.taken_at, zone_name))
            if bucket not in seen:
                seen.append(bucket)
                if len(seen) > count:
                    break
                keep.add(backup.path)
    keep.update(b.path for b in [b for b in listing(backup_dir) if b.kind == "manual"][:KEEP_MANUAL])
    removed = [b.path for b in listing(backup_dir) if b.path not in keep]
    if keep_days is not None:
        cutoff = (now or utcnow()) - timedelta(days=keep_days)
        removed += [b.path for b in listing(backup_dir) if b.path in keep and b.taken_at < cutoff]
        removed += [path for path in backup_dir.glob("pre-upgrade-*.sqlite")
                    if datetime.fromtimestamp(path.stat().st_mtime, UTC) < cutoff]
    for path in removed:
        path.unlink(missing_ok=True)
        anchors.manifest_path(path).unlink(missing_ok=True)
    return removed


def daily_due(backup_dir: Path, zone_name: str) -> bool:
    """No backup was taken yet on the office's today."""
    today = clock.today(zone_name)
    return not any(local_date(b.taken_at, zone_name) == today for b in listing(backup_dir))


def office_zone(path: Path) -> str | None:
    """The office's time zone as stored in a (sound) database file, read without opening it for writing."""
    try:
        connection = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT time_zone FROM office_profile ORDER BY id LIMIT 1").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return row[0] if row and row[0] in clock.ZONES else None


def office_unit(path: Path) -> str | None:
    """The BPS unit code of the office in a database file, read-only (None when it holds none or cannot
    be read, e.g. a damaged file)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(soundness.read_only_uri(path), uri=True)
        try:
            row = connection.execute("SELECT unit_code FROM office_profile ORDER BY id LIMIT 1").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


class RestoreRefused(RuntimeError):
    """Why a file may not replace the database, in Indonesian and English; nothing was changed."""

    def __init__(self, indonesian: str, english: str) -> None:
        self.indonesian, self.english = indonesian, english
        super().__init__(f"{indonesian} / {english}")

    def message(self, lang: str = "id") -> str:
        return self.english if lang == "en" else self.indonesian


def restore_problems(backup: Path, database_file: Path | None = None, *,
                     office: str | None = None) -> list[RestoreRefused]:
    """Every reason ``backup`` may not replace ``database_file``: another running copy holds the database;
    the file is missing, empty, not SQLite, damaged (``integrity_check``), another application's or of a
    newer schema (``pstdesktop.soundness``); or it belongs to another office than the database's (``office``,
    else read from ``database_file`` when it can be) or holds no office while the database does. Empty
    when it may."""
    found: list[RestoreRefused] = []
    if database_file is not None:
        holder = instance.other_holder(database_file)
        if holder is not None:
            zone = office_zone(database_file)
            found.append(RestoreRefused(
                holder.sentence("id", zone) + " Pemulihan ditolak agar pekerjaan di sana tidak hilang; tutup aplikasi "
                "di sana lebih dulu.",
                holder.sentence("en", zone) + " The restore is refused so that the work done there is not lost; close "
                "the application there first."))
    problems = soundness.check_file(backup, thorough=True, at_head=False)
    found += [RestoreRefused(f"Cadangan ditolak: {p.indonesian}.", f"The backup is refused: {p.english}.")
              for p in problems]
    if problems:
        return found
    office = office or (office_unit(database_file) if database_file is not None else None)
    theirs = office_unit(backup)
    if theirs is None and office is not None:  # it would put an empty office in place of one with data
        found.append(RestoreRefused(f"Cadangan ditolak: {backup.name} tidak berisi profil kantor.",
                                    f"The backup is refused: {backup.name} holds no office profile."))
    elif office is not None and theirs != office:
        found.append(RestoreRefused(
            f"Cadangan ditolak: {backup.name} milik kantor lain (kode satuan {theirs}, bukan {office}).",
            f"The backup is refused: {backup.name} belongs to another office (unit code {theirs}, not {office})."))
    return found


def newest_good(backup_dir: Path, database_file: Path | None = None) -> BackupFile | None:
    """The newest backup that may replace ``database_file`` (sound, this application's, of this office:
    see ``restore_problems``, less the running-copy check) and holds an office at all; None when none does."""
    office = office_unit(database_file) if database_file is not None else None
    for backup in listing(backup_dir):
        if not restore_problems(backup.path, office=office) and office_unit(backup.path) is not None:
            return backup
    return None


def restore(backup: Path, database_file: Path) -> Path | None:
    """Replace the (closed) database with ``backup``, after ``restore_problems`` found none (else the
    first is raised as ``RestoreRefused``). The file it replaces is kept beside it as
    ``pst.sqlite.replaced-<time>`` so a restore can itself be undone. Returns that file, if any."""
    problems = restore_problems(backup, database_file)
    if problems:
        raise problems[0]
    kept = None
    if database_file.exists():
        kept = database_file.with_name(f"{database_file.name}.replaced-{utcnow().strftime('%Y%m%dT%H%M%SZ')}")
        shutil.move(tighten(database_file), kept)
        for suffix in ("-wal", "-shm"):
            side = database_file.with_name(database_file.name + suffix)
            if side.exists():
                shutil.move(tighten(side), kept.with_name(kept.name + suffix))
    partial = database_file.with_name(database_file.name + ".restoring")
    copy_database(backup, partial)
    os.replace(partial, database_file)
    anchors.note_restore(database_file, utcnow())  # checkpoints of the undone work no longer bind
    return kept

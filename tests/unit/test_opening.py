"""A quick start: commands and the sign-in import only what they use; the database opens behind the
sign-in with the day's tasks; exit backups are skipped when nothing changed and owed when cut short; a
quit stops the day's backup at once and leaves it to the exit backup."""

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from models import OfficeProfile
from models.search import FTS_TABLE
from pstdesktop import autobackup, backup, faults, migrate, opening
from pstdesktop.autobackup import PENDING, AutoBackup, finish_exit
from pstdesktop.config import Settings, sqlite_url
from pstdesktop.database import make_engine
from pstdesktop.services.clock import utcnow
from tests.unit.test_search import segments

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("PySide6", "sqlalchemy", "alembic")
BEHIND_THE_SIGN_IN = ("sqlalchemy", "alembic", "models", "ui.main_window", "ui.treasurer", "ui.admin", "ui.officer",
                      "num2words", "holidays", "fpdf", "logging.handlers")


def loaded(code: str, names: tuple[str, ...], env: dict | None = None) -> list[str]:
    """The modules of ``names`` (packages with their submodules) a fresh interpreter has after ``code``."""
    probe = f"{code}\nimport sys\nprint(sorted(m for m in sys.modules if m.split('.')[0] in {names!r} " \
            f"or m in {names!r} or any(m.startswith(n + '.') for n in {names!r})))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})
    assert result.returncode == 0, result.stderr
    return eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 - our own probe's list of names


def test_the_head_revision_constant_is_alembics_head():
    assert opening.HEAD_REVISION == migrate.head_revision()


def test_help_imports_neither_qt_nor_sqlalchemy():
    code = "import contextlib, io\nfrom pstdesktop.cli import main\n" \
           "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])"
    assert loaded(code, HEAVY) == []


def test_the_application_without_arguments_does_not_make_the_command_line_parser(tmp_path):
    """Making the parser of some forty options took ~8 ms of the bundle's start; the application still starts."""
    code = "import ui.app\nui.app.run = lambda settings: 7\nfrom pstdesktop.cli import main\nassert main([]) == 7"
    assert loaded(code, ("pstdesktop.arguments",), {"PST_DATA_DIR": str(tmp_path)}) == []


SIGN_IN = ("from PySide6.QtWidgets import QApplication\napp = QApplication([])\n"
           "import ui.app\nfrom pstdesktop import opening\nfrom pstdesktop.config import load_settings\n"
           "from ui.login import LoginDialog\nsettings = load_settings()\nfound = opening.peek(settings)\n"
           "assert found is not None and found.name\n"
           "dialog = LoginDialog(opening.Opening(settings, found), found.name)\ndialog.show()\n")


def _office_file(office) -> dict:
    """The environment of a process that starts on the office's database (closed here)."""
    file = Path(office.db.engine.url.database)
    office.db.dispose()
    return {"PST_DATABASE_URL": sqlite_url(file), "PST_DATA_DIR": str(file.parent)}


def test_the_sign_in_shows_before_the_database_and_the_staff_windows_are_loaded(office):
    assert loaded(SIGN_IN + "app.processEvents()", BEHIND_THE_SIGN_IN, _office_file(office)) == []


def test_the_sign_in_is_painted_before_qts_namespace_is_made_and_gets_its_link_cursor_after(office):
    """Making ``Qt`` (some hundred enums) costs ~10 ms, and PySide6 makes each class at its first use (QIcon,
    QMessageBox, QSizePolicy… a few ms each): the first paint does without them; the cursor and icon come after."""
    later = ("Qt", "QIcon", "QMessageBox", "QSizePolicy", "QScrollArea", "QTabWidget", "QMainWindow",
             "QDateTime")
    code = (SIGN_IN + "import PySide6.QtCore as core, PySide6.QtGui as gui, PySide6.QtWidgets as widgets\n"
            "dialog.repaint()\n"
            f"print('made at paint:', [n for n in {later!r} if any(n in m.__dict__ for m in (core, gui, widgets))])\n"
            "for _ in range(5):\n    app.processEvents()\n"
            "print('cursor:', dialog.forgot.cursor().shape() == core.Qt.CursorShape.PointingHandCursor)\n"
            "print('icon:', not app.windowIcon().isNull())")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **_office_file(office)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["made at paint: []", "cursor: True", "icon: True"]


def test_a_database_at_the_head_revision_opens_without_alembic_and_an_older_one_with_it(office, tmp_path):
    file = Path(office.db.engine.url.database)
    office.db.dispose()
    code = (f"from pathlib import Path\nfrom pstdesktop.bootstrap import open_url, open_read_only\n"
            f"from pstdesktop.config import sqlite_url\nopen_url(sqlite_url(Path({str(file)!r}))).dispose()\n"
            f"open_read_only(Path({str(file)!r})).dispose()")
    assert loaded(code, ("alembic",)) == []
    engine = make_engine(sqlite_url(file))  # one revision behind: the upgrade needs Alembic
    migrate.migrate_to(engine, "0014_carried_balances", down=True)
    engine.dispose()
    assert "alembic" in loaded(code.replace("\nopen_read_only(Path(" + repr(str(file)) + ")).dispose()", ""),
                               ("alembic",))


def test_peek_reads_the_office_only_of_a_file_at_the_head_revision(office, tmp_path):
    file = Path(office.db.engine.url.database)
    settings = Settings(tmp_path / "data", sqlite_url(file))
    settings.data_dir.mkdir()
    with office.session() as session:
        profile = session.scalar(select(OfficeProfile))
        expected = opening.OfficeFacts(profile.id, profile.name, profile.time_zone, profile.retention_days)
    assert opening.peek(settings) == expected
    (settings.data_dir / opening.CHECK_MARK).touch()  # the last full check failed: the long way
    assert opening.peek(settings) is None
    (settings.data_dir / opening.CHECK_MARK).unlink()
    office.db.dispose()
    with sqlite3.connect(file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0006'")
    assert opening.peek(settings) is None  # an older schema: migrated before the sign-in
    assert opening.peek(Settings(tmp_path, sqlite_url(tmp_path / "none.sqlite"))) is None


def _opened_behind_the_sign_in(office, tmp_path) -> tuple[Settings, opening.Opening]:
    """The office's database opened as the quick start does, its day's tasks done."""
    file = Path(office.db.engine.url.database)
    office.db.dispose()
    settings = Settings(tmp_path, sqlite_url(file))
    start = opening.Opening(settings, opening.peek(settings))
    start.wait()
    start.join(60)
    return settings, start


def test_the_database_opens_behind_the_sign_in_with_the_days_backup(office, tmp_path):
    settings, start = _opened_behind_the_sign_in(office, tmp_path)
    database = start.database
    assert start.status == "done" and [b.kind for b in backup.listing(settings.backup_dir)] == ["daily"]
    with database.unit_of_work() as session:
        assert session.connection().exec_driver_sql("SELECT count(*) FROM account").scalar() > 0
    start.close()
    start.join(60)
    assert [b.kind for b in backup.listing(settings.backup_dir)] == ["daily"]  # nothing changed: no exit backup
    assert not (tmp_path / PENDING).exists()


def test_the_days_tasks_merge_the_search_index_before_the_backup(office, tmp_path):
    for i in range(12):
        office.walk_in(full_name=f"Pemohon Latuconsina {i}", phone=f"08127777{i:04d}")
    assert segments(office.db.engine, FTS_TABLE) > 1
    settings, start = _opened_behind_the_sign_in(office, tmp_path)
    assert start.status == "done" and segments(start.database.engine, FTS_TABLE) == 1
    with sqlite3.connect(backup.listing(settings.backup_dir)[0].path) as copy:  # the day's backup has it merged
        assert copy.execute(f"SELECT count(DISTINCT segid) FROM {FTS_TABLE}_idx").fetchone() == (1,)
    start.close()
    start.join(60)
    assert [b.kind for b in backup.listing(settings.backup_dir)] == ["daily"]  # merged before: no exit backup


def test_a_file_that_fails_its_quick_check_is_not_opened(office, tmp_path):
    file = Path(office.db.engine.url.database)
    settings = Settings(tmp_path, sqlite_url(file))
    found = opening.peek(settings)
    office.db.dispose()
    with file.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * 8192)
    start = opening.Opening(settings, found)
    with pytest.raises(faults.Fault) as fault:
        start.wait()
    assert fault.value.code in ("sqlite_damaged", "sqlite_unreadable")
    start.close()
    start.join(60)
    assert not (tmp_path / PENDING).exists() and not backup.listing(settings.backup_dir)


def test_an_exit_backup_cut_short_is_taken_at_the_next_start(office, tmp_path):
    file = Path(office.db.engine.url.database)
    settings = Settings(tmp_path, sqlite_url(file))
    facts = opening.peek(settings)
    earlier = utcnow() - timedelta(seconds=2)  # within the office day, in an earlier second than the next one
    backup.take(file, settings.backup_dir, "daily", now=earlier)  # the day's backup exists already
    office.paid()  # work after it; the run is ended (PC switched off) while its exit backup is owed
    crashed = AutoBackup(settings, facts)
    crashed.pend_exit()
    crashed.close()
    assert (tmp_path / PENDING).exists()

    next_start = AutoBackup(settings, facts)
    assert next_start.owed and not next_start.current
    assert next_start.at_start() is True
    newest = backup.listing(settings.backup_dir)[0]  # the day's one copy, rotated: it holds the later work
    assert newest.kind == "exit"
    with sqlite3.connect(newest.path) as connection:
        assert connection.execute("SELECT count(*) FROM payment").fetchone() == (1,)
    assert not (tmp_path / PENDING).exists()
    next_start.close()


def test_a_failed_exit_backup_stays_owed(office, tmp_path, monkeypatch):
    file = Path(office.db.engine.url.database)
    settings = Settings(tmp_path, sqlite_url(file))
    auto = AutoBackup(settings, opening.peek(settings))
    auto.pend_exit()

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "take", full_disk)
    office.db.dispose()
    assert auto.at_exit() is False
    assert (tmp_path / PENDING).exists()



def test_a_sign_in_closed_at_once_leaves_nothing_to_wait_for(office, tmp_path):
    file = Path(office.db.engine.url.database)
    office.db.dispose()
    settings = Settings(tmp_path, sqlite_url(file))
    start = opening.Opening(settings, opening.peek(settings))
    start.close()  # before the opening began: no thread, no backup, no mark
    assert not start.opened() and not (tmp_path / PENDING).exists() and not backup.listing(settings.backup_dir)


def _quitting_with_work(office, tmp_path) -> tuple[Settings, AutoBackup]:
    """A run whose day's backup is taken, with work after it, quitting: its exit backup is owed."""
    file = Path(office.db.engine.url.database)
    settings = Settings(tmp_path, sqlite_url(file))
    auto = AutoBackup(settings, opening.peek(settings))
    auto.mark()
    assert auto.at_start() is True
    office.paid()
    auto.pend_exit()
    office.db.dispose()
    return settings, auto


def test_the_exit_backup_is_handed_to_a_process_of_its_own(office, tmp_path):
    """The application quits without taking the backup itself: ``pst --exit-backup`` takes it, with the work
    of the run, and removes the mark."""
    settings, auto = _quitting_with_work(office, tmp_path)
    assert auto.at_exit(hand_over=True) is True
    assert auto.child is not None and auto.child.pid != os.getpid()
    assert auto.child.wait(120) == 0
    # the process keeps the real clock (a pinned test clock is this process's only): found by its kind
    exits = [taken for taken in backup.listing(settings.backup_dir) if taken.kind == "exit"]
    assert len(exits) == 1 and backup.integrity_ok(exits[0].path)
    with sqlite3.connect(exits[0].path) as connection:
        assert connection.execute("SELECT count(*) FROM payment").fetchone() == (1,)
    assert not (tmp_path / PENDING).exists()
    assert not list(settings.backup_dir.glob("*.partial"))


def test_an_exit_backup_process_ended_early_leaves_it_owed(office, tmp_path):
    """Ended before it finished (the PC switched off): no copy is taken for a backup, the mark stays and the
    next start takes the exit backup."""
    settings, auto = _quitting_with_work(office, tmp_path)
    auto.at_exit(hand_over=True)
    auto.child.kill()
    auto.child.wait(60)
    assert all(backup.integrity_ok(b.path) for b in backup.listing(settings.backup_dir))
    if backup.listing(settings.backup_dir)[0].kind != "exit":  # killed before its copy was done
        assert (tmp_path / PENDING).exists()
        next_start = AutoBackup(settings, opening.peek(settings))
        assert next_start.owed and next_start.at_start() is True
        next_start.close()
    newest = backup.listing(settings.backup_dir)[0]
    with sqlite3.connect(newest.path) as connection:
        assert connection.execute("SELECT count(*) FROM payment").fetchone() == (1,)


def test_a_slow_exit_backup_leaves_the_mark_of_a_later_run(office, tmp_path):
    """The exit backup of a run finishes after the next run wrote its own mark: that mark stays."""
    settings, auto = _quitting_with_work(office, tmp_path)
    later = AutoBackup(settings, opening.peek(settings))
    later.pend_exit()
    assert finish_exit(settings, "WIT", "3650", auto.token) == 0
    assert backup.listing(settings.backup_dir)[0].kind == "exit"
    assert (tmp_path / PENDING).read_text(encoding="ascii") == later.token
    assert finish_exit(settings, "WIT", "3650", later.token) == 0
    assert not (tmp_path / PENDING).exists()


def test_the_exit_backup_is_taken_here_when_its_process_cannot_start(office, tmp_path, monkeypatch):
    settings, auto = _quitting_with_work(office, tmp_path)

    def no_process(*_args, **_kwargs):
        raise OSError("cannot start")

    monkeypatch.setattr(autobackup.subprocess, "Popen", no_process)
    assert auto.at_exit(hand_over=True) is True and auto.child is None
    assert backup.listing(settings.backup_dir)[0].kind == "exit"
    assert not (tmp_path / PENDING).exists()


def _quitting_while_copying(office, tmp_path, monkeypatch) -> tuple[Settings, opening.Opening, list]:
    """A first start of the day, with work, whose day's backup is being copied (one page a step) when the
    application quits after three pages (``close`` returns while the copy waits for it). Returns what each look
    at the stop saw: the status, and whether the backup was being written."""
    file = Path(office.db.engine.url.database)
    office.paid()
    office.db.dispose()
    settings = Settings(tmp_path, sqlite_url(file))
    start = opening.Opening(settings, opening.peek(settings))
    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    real, seen, copying = backup.halted, [], threading.Event()

    def slow_step(stop):
        seen.append((start.status, bool(list(settings.backup_dir.glob("*.partial")))))
        if len(seen) == 4:  # one look before the copy, then one after each page: three pages copied
            copying.set()
            stop.wait(120)  # the copy goes no further until the application quits
        return real(stop)

    monkeypatch.setattr(backup, "halted", slow_step)
    start.begin()
    assert copying.wait(120)
    start.close(hand_over=True)
    start.join(120)
    return settings, start, seen


def test_quitting_during_the_days_backup_ends_at_once_and_hands_it_over(office, tmp_path, monkeypatch):
    """The copy stops at its next step (no step after the quit), no copy is left, every thread ends, and the
    process the exit backup is handed to takes the day's backup with the run's work."""
    settings, start, seen = _quitting_while_copying(office, tmp_path, monkeypatch)
    assert seen == [("backing_up", False)] + [("backing_up", True)] * 3  # the look after the quit was the last
    with sqlite3.connect(opening.sqlite_file(settings)) as connection:
        assert connection.execute("PRAGMA page_count").fetchone()[0] > 3  # so the copy was cut mid-way
    assert not [t.name for t in threading.enumerate() if t.name.startswith("pst-")]
    assert start.status == "stopped" and start.backups.child is not None
    assert not backup.listing(settings.backup_dir) and not list(settings.backup_dir.glob("*.partial"))
    assert (tmp_path / PENDING).exists() and not (tmp_path / opening.CHECK_MARK).exists()
    assert start.backups.child.wait(120) == 0
    taken = backup.listing(settings.backup_dir)
    assert [b.kind for b in taken] == ["exit"] and backup.integrity_ok(taken[0].path)
    with sqlite3.connect(taken[0].path) as connection:
        assert connection.execute("SELECT count(*) FROM payment").fetchone() == (1,)
    assert not (tmp_path / PENDING).exists()


def test_a_days_backup_stopped_at_the_quit_is_taken_at_the_next_start(office, tmp_path, monkeypatch):
    """The process the exit backup was handed to never took it (the PC switched off): the mark stays and the
    next start takes the day's backup."""
    monkeypatch.setattr(AutoBackup, "_hand_over", lambda _self: True)
    settings, start, _seen = _quitting_while_copying(office, tmp_path, monkeypatch)
    assert start.status == "stopped" and (tmp_path / PENDING).exists()
    assert not backup.listing(settings.backup_dir) and not list(settings.backup_dir.glob("*.partial"))
    monkeypatch.undo()
    next_start = opening.Opening(settings, opening.peek(settings))
    next_start.wait()
    next_start.join(120)
    assert next_start.status == "done" and not (tmp_path / PENDING).exists()
    taken = backup.listing(settings.backup_dir)
    assert [b.kind for b in taken] == ["daily"]
    with sqlite3.connect(taken[0].path) as connection:
        assert connection.execute("SELECT count(*) FROM payment").fetchone() == (1,)
    next_start.close()
    next_start.join(120)


def test_a_stop_during_the_check_of_a_copy_is_no_damage(office, tmp_path, monkeypatch):
    """The copy's integrity check interrupted by the quit is neither a backup nor a damaged database."""
    file = Path(office.db.engine.url.database)
    office.db.dispose()
    monkeypatch.setattr(backup, "CHECK_STEP", 1)
    stop = threading.Event()
    real = backup.integrity_ok

    def quit_while_checking(path, halt=None):
        stop.set()
        return real(path, halt)

    monkeypatch.setattr(backup, "integrity_ok", quit_while_checking)
    with pytest.raises(backup.Stopped):
        backup.take(file, tmp_path / "backups", "daily", stop=stop)
    assert not list((tmp_path / "backups").iterdir())


def test_a_full_check_left_by_the_quit_is_not_told_done(office, tmp_path, monkeypatch):
    """No backup due, the application quits before the full check of the live file ran: the status says
    it was stopped (the next start checks), not that it was done, and nothing is marked damaged."""
    file = Path(office.db.engine.url.database)
    office.db.dispose()
    settings = Settings(tmp_path, sqlite_url(file))
    start = opening.Opening(settings, opening.peek(settings))

    def quit_before_the_check(_self, stop=None):
        stop.wait(120)
        return False

    monkeypatch.setattr(AutoBackup, "at_start", quit_before_the_check)
    start.wait()
    start.close(hand_over=False)
    start.join(120)
    assert start.status == "stopped" and not (tmp_path / opening.CHECK_MARK).exists()


def test_a_quit_ends_the_quick_check_of_the_file_being_opened(office, monkeypatch):
    """A large file's quick check before opening (seconds at five years) ends when the application quits;
    without a quit it reaches its verdict."""
    file = Path(office.db.engine.url.database)
    office.db.dispose()
    monkeypatch.setattr(faults, "CHECK_STEP", 1)
    stop = threading.Event()
    faults.check_sqlite_file(file, stop=stop)  # sound: no fault
    stop.set()
    with pytest.raises(faults.Stopped):
        faults.check_sqlite_file(file, stop=stop)


def test_a_quit_while_the_file_is_checked_ends_the_opening_at_once(office, tmp_path, monkeypatch):
    """Closing the sign-in while the opening still checks the file: the check hears the quit, nothing is
    opened and no thread is left waiting for it."""
    file = Path(office.db.engine.url.database)
    office.db.dispose()
    settings = Settings(tmp_path, sqlite_url(file))
    checking = threading.Event()
    real = faults.check_sqlite_file

    def slow_check(path, backups=None, stop=None):
        checking.set()
        assert stop is not None and stop.wait(120)  # as long as a five-year file's check, until the quit
        return real(path, backups, stop)

    monkeypatch.setattr(faults, "CHECK_STEP", 1)
    monkeypatch.setattr(faults, "check_sqlite_file", slow_check)
    start = opening.Opening(settings, opening.peek(settings))
    start.begin()
    assert checking.wait(120)
    start.close(hand_over=True)
    start.join(120)
    assert isinstance(start.error, faults.Stopped) and start.database is None
    assert not [t.name for t in threading.enumerate() if t.name.startswith("pst-")]
    assert not backup.listing(settings.backup_dir)


def test_a_sign_in_closed_while_the_database_is_still_opening_is_not_waited_for(office, tmp_path, monkeypatch):
    """The sign-in closed a moment after it showed, while the opening is in a step that cannot hear the quit
    (importing, creating the engine): the application ends at once — no exit backup thread, no mark — and
    the opening that ends later writes nothing."""
    file = Path(office.db.engine.url.database)
    office.db.dispose()
    settings = Settings(tmp_path, sqlite_url(file))
    inside, release = threading.Event(), threading.Event()
    real = faults.check_sqlite_file

    def busy_check(path, backups=None, stop=None):
        inside.set()
        assert release.wait(120)  # deaf to the quit, as an import is
        return real(path, backups)

    monkeypatch.setattr(faults, "check_sqlite_file", busy_check)
    start = opening.Opening(settings, opening.peek(settings))
    start.begin()
    assert inside.wait(120)
    start.close(hand_over=True)
    assert not [t.name for t in threading.enumerate() if t.name == "pst-exit-backup"]
    assert not (tmp_path / PENDING).exists()
    release.set()
    start.join(120)
    assert start.status == "stopped" and not backup.listing(settings.backup_dir)
    assert start.database is not None
    start.database.dispose()



def test_the_process_ends_at_once_after_its_threads_and_exit_handlers(tmp_path):
    """``end_at_once`` skips only the interpreter's teardown: the exit backup's thread is waited for, the exit
    handlers run, what was printed is flushed, and the exit code is kept."""
    code = f"""
import atexit, pathlib, sys, threading, time
from pstdesktop.__main__ import end_at_once
folder = pathlib.Path({str(tmp_path)!r})
def hand_over():
    time.sleep(0.3)
    (folder / "handed-over").write_text("yes")
threading.Thread(target=hand_over, daemon=False).start()
atexit.register(lambda: (folder / "exit-handler").write_text("yes"))
sys.stdout.write("said before the end")
end_at_once(3)
print("never")
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 3 and result.stdout == "said before the end", result.stderr
    assert (tmp_path / "handed-over").read_text() == "yes" and (tmp_path / "exit-handler").read_text() == "yes"


def test_opening_a_database_leaves_its_file_untouched_so_a_backup_still_covers_it(office, tmp_path):
    """Opening is no write: the file's modification time stays, so the newest backup still holds its state
    and no exit backup is taken for a run that changed nothing (opening had touched the file every time)."""
    from pstdesktop.bootstrap import open_url

    file = Path(office.db.engine.url.database)
    office.db.dispose()
    settings = Settings(tmp_path, sqlite_url(file))
    backup.take(file, settings.backup_dir, "daily")
    assert autobackup.covered(file, settings.backup_dir)
    written = file.stat().st_mtime_ns
    database = open_url(sqlite_url(file))
    with database.unit_of_work() as session:
        session.connection().exec_driver_sql("SELECT count(*) FROM account").scalar()
    database.dispose()
    assert file.stat().st_mtime_ns == written and autobackup.covered(file, settings.backup_dir)

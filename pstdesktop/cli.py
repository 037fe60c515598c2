"""The ``pst`` command: the application, and the tasks an office runs without the GUI. Each command
imports only what it uses: ``--help`` neither Qt nor SQLAlchemy, the application SQLAlchemy only after
the sign-in shows (``ui.app``)."""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

from pstdesktop import APP_NAME, desktop, faults
from pstdesktop.config import Settings, load_settings

# what the parser makes of no arguments (the application started from its icon), without loading it;
# tests/unit/test_cli.py keeps the two equal
NO_ARGUMENTS = SimpleNamespace(database=None, data_dir=None, selftest=False, exit_backup=None, command=None)
WRITING = ("demo",)  # commands that write; verify, export and document only read and may run alongside the GUI
# the demo accounts' roles, as ``pst demo`` prints them
ROLE_WORDS = {"officer": ("petugas layanan", "service officer"), "treasurer": ("bendahara", "treasurer"),
              "supervisor": ("supervisor", "supervisor"), "kiosk": ("kios", "kiosk")}


def main(argv: list[str] | None = None) -> int:
    """Run ``pst``. Exit codes: 0 done; 1 ``pst verify`` found rows changed behind the application's back
    (tampered); 2 a usage or environment fault, or a database that is damaged, empty, foreign or cannot be
    verified (bad arguments, data folder, settings.json, database URL or file,
    server, full disk), told in one line on stderr — before Qt starts for ``gui`` and ``kiosk``."""
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        from pstdesktop.arguments import build_parser

        args = build_parser().parse_args(argv)
    else:
        args = NO_ARGUMENTS
    if args.selftest:
        from pstdesktop.selftest import run as selftest

        return selftest()
    command = args.command or "gui"
    settings = None
    try:
        if args.database:
            faults.check_url(args.database, "--database")
        env = {"PST_DATABASE_URL": args.database or "", "PST_DATA_DIR": args.data_dir or ""}
        settings = load_settings({**os.environ, **{k: v for k, v in env.items() if v}})
        if args.exit_backup:  # the exit backup the application handed over as it quit
            from pstdesktop.autobackup import finish_exit

            return finish_exit(settings, *args.exit_backup)
        if command != "gui":  # the application itself offers to join the server again instead
            _refuse_moved(settings)
        if command not in ("gui", "kiosk"):
            return _command(args, command, settings)
        desktop.check_platform()
        _before_qt(settings, command)
    except Exception as error:  # a Fault, an OSError or a database error is told in one line; others raise
        fault = faults.from_error(error, settings.database_url if settings else None)
        if fault is None:
            raise
        _tell(fault, command)
        return faults.EXIT_CODE
    if command == "gui":
        from ui.app import run

        return run(settings)
    from ui.kiosk import run_kiosk

    return run_kiosk(settings, args.mode)


def _before_qt(settings: Settings, command: str) -> None:
    """The checks of the SQLite file that come before any window: its folder must exist; the kiosk also
    refuses a damaged file (the staff application offers the newest backup for one instead)."""
    file = faults.sqlite_path(settings.database_url)
    if file is None:
        return
    if command == "kiosk":
        faults.check_sqlite_file(file, settings.backup_dir)
    elif not file.exists() and not file.parent.is_dir():
        raise faults.Fault("sqlite_folder", path=file.parent, file=file)


def _refuse_moved(settings: Settings) -> None:
    """A missing SQLite file whose office moved to the server is not a new database: refused, not created."""
    from pstdesktop.server import moved_instead

    moved = moved_instead(faults.sqlite_path(settings.database_url))
    if moved is not None:
        raise faults.Fault("sqlite_moved", moved=moved)


def _tell(fault: faults.Fault, command: str) -> None:
    """The fault's line on stderr; in a message box when there is no console (the windowed program)."""
    if sys.stderr is not None:
        print(fault.line(), file=sys.stderr)
    elif command in ("gui", "kiosk") and fault.code != "qt_libraries":  # Qt itself cannot start
        from PySide6.QtWidgets import QApplication, QMessageBox

        _app = QApplication.instance() or QApplication([])
        QMessageBox.critical(None, APP_NAME, fault.text())


def _command(args, command: str, settings: Settings) -> int:
    if command == "audit-key":
        from pstdesktop.verifycommand import audit_key_command

        return audit_key_command(args.action, args.file)
    if command == "verify":
        from pstdesktop.verifycommand import verify_command

        return verify_command(settings, full=args.full, paper=args.anchor)
    from pstdesktop import backup, instance

    file = faults.sqlite_path(settings.database_url)
    if command in WRITING and file is not None:  # one copy at a time writes an SQLite database
        faults.check_sqlite_file(file, settings.backup_dir)  # a faulty file is told before any lock file is made
        holder = instance.claim(file)
        if holder is not None:
            zone = backup.office_zone(file) if file.exists() else None
            raise faults.Fault("instance_held", holder=(holder.sentence("id", zone), holder.sentence("en", zone)))
    try:
        return _run(args, command, settings)
    finally:
        instance.release_all()


def _run(args, command: str, settings: Settings) -> int:
    from pstdesktop.bootstrap import open_database

    database = open_database(settings)
    try:
        if command == "demo":
            return _demo(database, settings)
        if command == "document":
            from pstdesktop.documents import document_command

            return document_command(database, args.kind, args.number, args.out)
        if command == "export":
            from pstdesktop.reports import export_command

            return export_command(database, args.what, year=args.year, month=args.month, out=args.out)
        raise ValueError(command)
    finally:
        database.dispose()


def _demo(database, settings: Settings) -> int:
    from pstdesktop.demo import fill

    try:
        accounts = fill(database, settings.data_dir / "demo-files")
    except faults.Fault:
        raise
    except RuntimeError:  # the database already holds an office
        raise faults.Fault("demo_not_fresh", url=faults.shown(settings.database_url)) from None
    password = accounts.pop("password")
    print(f"pst demo: hari kantor demo ditulis; akun (kata sandi: {password}) / "
          f"demo office day written; accounts (password: {password}):")
    for username, role in accounts.items():
        indonesian, english = ROLE_WORDS.get(role, (role, role))
        print(f"  {username:12} {indonesian} / {english}")
    return 0

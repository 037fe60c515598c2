"""The ``pst`` command: the application, and the tasks an office runs without the GUI. Each command
imports only what it uses: ``--help`` neither Qt nor SQLAlchemy, the application SQLAlchemy only after
the sign-in shows (``ui.app``)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pstdesktop import APP_NAME, __version__, desktop, faults
from pstdesktop.config import Settings, load_settings

WRITING = ("demo",)  # commands that write; verify, export and document only read and may run alongside the GUI
# the demo accounts' roles, as ``pst demo`` prints them
ROLE_WORDS = {"officer": ("petugas layanan", "service officer"), "treasurer": ("bendahara", "treasurer"),
              "supervisor": ("supervisor", "supervisor"), "kiosk": ("kios", "kiosk")}


class Parser(argparse.ArgumentParser):
    """argparse whose usage faults are one bilingual line on stderr, exit 2, like every other fault."""

    def error(self, message: str) -> None:
        self.exit(faults.EXIT_CODE, f"{self.prog}: argumen tidak benar ({message}); lihat pst --help / "
                                    f"bad arguments ({message}); see pst --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="pst", description="PST Desktop — Pelayanan Statistik Terpadu BPS")
    parser.add_argument("--version", action="version", version=f"PST Desktop {__version__}")
    parser.add_argument("--database", metavar="URL", help="database URL (default: SQLite in the data folder)")
    parser.add_argument("--data-dir", metavar="DIR", help="data folder (default: the user's data folder)")
    parser.add_argument("--selftest", action="store_true",
                        help="check that this installation is whole (temporary database, documents, ledger)")
    parser.add_argument("--exit-backup", nargs=3, metavar=("ZONE", "DAYS", "TOKEN"), help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("gui", help="start the application (the default)")
    sub.add_parser("demo", help="fill a fresh database with a believable office day")
    verify = sub.add_parser("verify", help="check that the database is sound, then the keyed audit trail against "
                                           "the data and every checkpoint; exit 0 sound, 1 tampered, 2 damaged or "
                                           "cannot be read")
    verify.add_argument("--full", action="store_true",
                        help="re-read the whole trail and run PRAGMA integrity_check. The daily check (the "
                             "default) reads the trail from the last checkpoint of a clean pst verify and every "
                             "row stored now: it catches any change made behind the application's back since that "
                             "checkpoint and any row that differs from the trail; a rewritten entry older than the "
                             "checkpoint is caught only by --full (run it, say, monthly)")
    verify.add_argument("--anchor", action="append", default=[], metavar="SEQ:HASH",
                        help="a checkpoint read off paper (the daily closing sheet); may be repeated")
    key = sub.add_parser("audit-key", help="export or import the audit trail's key (PCs sharing one PostgreSQL "
                                           "database need the same key)")
    key.add_argument("action", choices=("export", "import", "show"))
    key.add_argument("file", nargs="?", type=Path, metavar="FILE")
    kiosk = sub.add_parser("kiosk", help="full-screen guestbook / exit-poll kiosk")
    kiosk.add_argument("--mode", choices=("guestbook", "poll", "both"),
                       help="what this run serves (both: a start screen with the two); default: the PC's "
                            "kiosk_home setting, else guestbook")
    document = sub.add_parser("document", help="render an issued document again (a copy) to a PDF file")
    document.add_argument("kind", choices=("invoice", "sppd", "receipt"))
    document.add_argument("number", help="invoice number, request number (sppd) or receipt number")
    document.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    export = sub.add_parser("export", help="Excel workbooks for the treasurer and the supervisor")
    export.add_argument("what", choices=("ledger", "report"))
    export.add_argument("--year", type=int, help="ledger: the budget year")
    export.add_argument("--month", help="ledger: MM; report: YYYY-MM")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``pst``. Exit codes: 0 done; 1 ``pst verify`` found rows changed behind the application's back
    (tampered); 2 a usage or environment fault, or a database that is damaged, empty, foreign or cannot be
    verified (bad arguments, data folder, settings.json, database URL or file,
    server, full disk), told in one line on stderr — before Qt starts for ``gui`` and ``kiosk``."""
    args = build_parser().parse_args(argv)
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

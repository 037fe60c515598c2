"""The ``pst`` command line's parser. ``pstdesktop.cli`` makes it only for a command line with arguments:
the application started from its icon has none and starts without it (~8 ms of the bundle's start)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pstdesktop import __version__, faults


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

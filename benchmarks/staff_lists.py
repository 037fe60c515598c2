"""Are the treasurer's and officer's lists, counts and searches as quick after five busy years as on an
empty database? Prints one table (medians of interleaved calls, ratio 5-year / empty); asserts nothing.

    .venv/bin/python benchmarks/staff_lists.py [--store /tmp/pst-staff-lists] [--repeat 15] [--verify 3]

The five-year database is the one ``benchmarks/history.py`` builds; it is built once into ``--store``
(``five_years.sqlite`` beside ``empty.sqlite``, the same office set up with nothing in it) and reused:
each run works on copies, so an older stored file is upgraded by the application's own migrations (the
time that takes is printed), and has its search index merged as the first start of each day does
(``services.search.tidy``). Timed: the treasurer window opened (every tab loaded), the first page of
each treasurer list, a later page by key, the treasurer's searches, the officer's queue, request board and counts, a search by every field, and
``pst verify`` through the command line as a user runs it: the first run (the whole trail, which leaves a
checkpoint) and the daily run after it."""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from models import Account, Invoice, Receipt, Role, ServiceRequest, Visitor  # noqa: E402
from pstdesktop.bootstrap import Database, open_url  # noqa: E402
from pstdesktop.config import sqlite_url  # noqa: E402
from pstdesktop.database import checkpoint  # noqa: E402
from pstdesktop.services import guestbook, ledger, online, overview, requests, search  # noqa: E402
from pstdesktop.services.access import Actor, actor_of  # noqa: E402


def build(store: Path, args) -> None:
    """Both databases, once: the five years by ``history.py``'s builder, the empty one set up alike."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import history

    store.mkdir(parents=True, exist_ok=True)
    for name in ("five_years", "empty"):
        db = open_url(sqlite_url(store / f"{name}.building.sqlite"))
        staff = history.set_up_office(db)
        if name == "five_years":
            started = time.perf_counter()
            history.History(db, staff, args.visits, args.requests, args.receipts, 2026).build()
            print(f"  built the five years in {time.perf_counter() - started:.0f} s")
        db.dispose()
        _copy(store / f"{name}.building.sqlite", store / f"{name}.sqlite")
        for leftover in store.glob(f"{name}.building.sqlite*"):
            leftover.unlink()


def _copy(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (the WAL included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def actors(db: Database) -> dict[Role, Actor]:
    with db.unit_of_work() as s:
        return {role: actor_of(s.scalar(select(Account).where(Account.role == role).order_by(Account.id).limit(1)))
                for role in (Role.TREASURER, Role.OFFICER)}


def search_keys(db: Database) -> dict[str, str]:
    """What is searched: parts of a recent requester's entries and the newest numbers of the history."""
    with db.unit_of_work() as s:
        visitor = s.scalar(select(Visitor).where(Visitor.erased_at.is_(None), Visitor.phone != "")
                           .order_by(Visitor.id.desc()).limit(1))
        number = s.scalar(select(ServiceRequest.number).order_by(ServiceRequest.id.desc()).limit(1))
        invoice = s.scalar(select(Invoice.number).order_by(Invoice.id.desc()).limit(1))
        receipt = s.scalar(select(Receipt.number).order_by(Receipt.id.desc()).limit(1))
        total = s.scalar(select(func.count(ServiceRequest.id)))
    email = visitor.email if visitor is not None and visitor.email else "hidayat.bench1@gmail.com"
    return {"name part": "idaya", "institution": "Batanghari",
            "phone": visitor.phone[2:10] if visitor is not None else "52700001",
            "email": email.split("@")[0][-12:], "request number": number or "PST-0000",
            "invoice number": invoice or "INV-0000", "kuitansi number": receipt or "0001/000000",
            "a name that is not there": "Tidakada Namanya", "_requests": str(total)}


class Run:
    def __init__(self, name: str, db: Database):
        self.name, self.db = name, db
        self.actors = actors(db)
        self.samples: dict[str, list[float]] = {}

    def time(self, label: str, work: Callable[[], object]) -> None:
        started = time.perf_counter()
        work()
        self.samples.setdefault(label, []).append((time.perf_counter() - started) * 1000)

    def session(self, work: Callable) -> Callable[[], object]:
        def call():
            with self.db.unit_of_work() as s:
                return work(s)
        return call


def steps(run: Run, keys: dict[str, str], window: Callable[[Database, Actor], object]) -> list[tuple[str, Callable]]:
    t, o = run.actors[Role.TREASURER], run.actors[Role.OFFICER]
    third = _third_page_key(run.db, t)
    found = [(f"search: {what} ({key!r})", run.session(lambda s, key=key: requests.find_requests(s, o, key, limit=26)))
             for what, key in keys.items() if not what.startswith("_")]
    return [
        ("treasurer window opened (all tabs loaded)", lambda: window(run.db, t)),
        ("treasurer: awaiting payment, first page", run.session(lambda s: ledger.awaiting_payment(s, t, limit=25))),
        ("treasurer: without kuitansi, first page",
         run.session(lambda s: ledger.payments_without_receipt(s, t, limit=8))),
        ("treasurer: kuitansi, first page", run.session(lambda s: ledger.receipts(s, t, limit=20))),
        ("treasurer: undeposited cash, first page", run.session(lambda s: ledger.undeposited(s, t, "cash"))),
        ("treasurer: kuitansi, third page (by key)",
         run.session(lambda s: ledger.receipts(s, t, limit=20, after=third))),
        ("treasurer: deposits, first page", run.session(lambda s: ledger.deposits(s, t, limit=15))),
        ("treasurer: closed days, first page", run.session(lambda s: ledger.closings(s, t, limit=15))),
        ("treasurer: kuitansi search, name part",
         run.session(lambda s: ledger.receipts(s, t, keys["name part"], limit=20))),
        ("treasurer: kuitansi search, kuitansi number",
         run.session(lambda s: ledger.receipts(s, t, keys["kuitansi number"], limit=20))),
        ("treasurer: awaiting payment search, name part",
         run.session(lambda s: ledger.awaiting_payment(s, t, keys["name part"], limit=25))),
        ("officer: today's queue + counts", run.session(lambda s: (guestbook.queue_counts(s, o),
                                                                   overview.queue_rows(s, o, limit=26)))),
        ("officer: open requests board", run.session(lambda s: overview.request_rows(s, o, limit=51))),
        ("officer: online board", run.session(lambda s: online.board_rows(s, o, limit=51))),
        *found,
        ("officer search rows (name part, one page)",
         run.session(lambda s: online.search_rows(s, o, keys["name part"], limit=26))),
    ]


def _third_page_key(db: Database, treasurer: Actor):
    """Where the kuitansi list's third page starts (None on an empty list: its first page)."""
    with db.unit_of_work() as s:
        key = None
        for _ in range(2):
            key = ledger.receipts(s, treasurer, limit=20, after=key).next_key or key
    return key


def treasurer_window():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from ui.treasurer.window import TreasurerWindow

    app = QApplication.instance() or QApplication([])

    def open_window(db: Database, actor: Actor) -> None:
        window = TreasurerWindow(db, actor)
        app.processEvents()
        window.close()  # stops its timer and live watcher, which would otherwise poll during later steps
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    return open_window


def verify_time(url: str, data_dir: Path, repeat: int) -> float:
    """``pst verify`` as a user runs it (a fresh process each time); median seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pstdesktop", "--data-dir", str(data_dir), "--database", url, "verify"],
                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def start_and_exit(work: Path, names: list[str], repeat: int) -> dict[str, tuple[float, float]]:
    """The application from Python on each database, as ``benchmarks/cold_start.py`` times its bundle
    (``PST_STARTUP_PROBE``), interleaved: median ms from launch to the sign-in painted, and from the quit to
    the end of the process. A first start of the day (its daily backup) comes first and is not counted."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from cold_start import one_run

    base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PST_"))}
    base.update(QT_QPA_PLATFORM="offscreen", PST_STARTUP_PROBE="1", PYTHONPATH=str(ROOT))
    envs = {}
    for name in names:
        (work / f"app-{name}").mkdir(exist_ok=True)
        envs[name] = {**base, "PST_DATA_DIR": str(work / f"app-{name}"),
                      "PST_DATABASE_URL": sqlite_url(work / f"{name}.sqlite")}
    program = [sys.executable, "-m", "pstdesktop"]
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for turn in range(repeat + 1):
        for name in names:
            result = one_run(program, envs[name])
            if turn:
                samples[name].append(result)
    return {name: (statistics.median(s[0] for s in runs) * 1000, statistics.median(s[1] for s in runs) * 1000)
            for name, runs in samples.items()}


def plans(db: Database, keys: dict[str, str]) -> None:
    """The query plans of the searches and lists on the five-year database (SQLite)."""
    from sqlalchemy import event

    seen: list[str] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    run = Run("plans", db)
    for _label, work in steps(run, keys, lambda *_: None):
        work()
    event.remove(db.engine, "before_cursor_execute", capture)
    raw = db.engine.raw_connection()
    try:
        scans = set()
        for statement, parameters in seen:
            for row in raw.driver_connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters):
                detail = row[-1]
                if detail.startswith("SCAN ") and detail.split()[1] in {"visitor", "service_request", "invoice",
                                                                       "payment", "receipt", "visit", "audit_entry"}:
                    scans.add(f"{detail}  in: {' '.join(statement.split())[:120]}")
    finally:
        raw.close()
    print("\nfull scans of large tables (query plans of every statement above):")
    print("\n".join(f"  {s}" for s in sorted(scans)) or "  none")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "pst-staff-lists")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--verify", type=int, default=3, help="runs of `pst verify` per database (0: none)")
    parser.add_argument("--starts", type=int, default=7, help="starts of the application per database (0: none)")
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=60_000)
    parser.add_argument("--receipts", type=int, default=40_000)
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args(argv)
    if not (args.store / "five_years.sqlite").exists():
        print(f"building the five-year database once into {args.store} …")
        build(args.store, args)
    work = args.store / f"run-{os.getpid()}"
    work.mkdir()
    runs: dict[str, Run] = {}
    try:
        for name in ("empty", "five_years"):
            _copy(args.store / f"{name}.sqlite", work / f"{name}.sqlite")
            started = time.perf_counter()
            db = open_url(sqlite_url(work / f"{name}.sqlite"))
            print(f"  opened {name} (migrated if older) in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            merged = search.tidy(db.engine)  # as the first start of each day does, before its backup
            checkpoint(db.engine)  # an office's file in use, not one just written in bulk
            print(f"  the day's merge of its search index: {merged} steps, {time.perf_counter() - started:.1f} s")
            runs[name] = Run(name, db)
        keys = search_keys(runs["five_years"].db)
        window = treasurer_window()
        plan = {name: steps(run, keys, window) for name, run in runs.items()}
        for _warm in range(2):
            for name in runs:
                for _label, work_ in plan[name][1:]:
                    work_()
        # the service steps first, the windows last: a Qt window's leftovers (threads, timers, deferred
        # deletes) must not stall the steps timed after it
        indexes = list(range(1, len(plan["empty"]))) + [0]
        for index in indexes:
            for turn in range(args.repeat):
                for name in (("empty", "five_years") if turn % 2 == 0 else ("five_years", "empty")):
                    label, work_ = plan[name][index]
                    runs[name].time(label, work_)
        print(f"\nPST Desktop — staff lists and search, empty vs five years ({keys['_requests']} requests); "
              f"median of {args.repeat} interleaved calls in ms")
        width = max(len(label) for label, _ in plan["empty"]) + 2
        print(f"{'step':<{width}}{'empty':>9}{'5 years':>10}{'ratio':>8}")
        print("-" * (width + 27))
        for label, _ in plan["empty"]:
            empty = statistics.median(runs["empty"].samples[label])
            full = statistics.median(runs["five_years"].samples[label])
            flag = "" if full / empty <= 1.5 else "  <-- over 1.5"
            print(f"{label:<{width}}{empty:>9.2f}{full:>10.2f}{full / empty:>8.2f}{flag}")
        for run in runs.values():
            run.db.dispose()
        if args.starts:
            starts = start_and_exit(work, list(runs), args.starts)
            for index, label in enumerate(("start to the sign-in painted (python -m pstdesktop, ms)",
                                           "exit after the sign-in (ms)")):
                empty, full = starts["empty"][index], starts["five_years"][index]
                flag = "" if index or full / empty <= 1.5 else "  <-- over 1.5"
                print(f"{label:<{width}}{empty:>9.0f}{full:>10.0f}{full / empty:>8.2f}{flag}")
        if args.verify:
            data = work / "data"
            data.mkdir()
            for label, repeat in (("pst verify, first run (whole trail, s)", 1),
                                  ("pst verify, daily (since its checkpoint, s)", args.verify)):
                empty = verify_time(sqlite_url(work / "empty.sqlite"), data, repeat)
                full = verify_time(sqlite_url(work / "five_years.sqlite"), data, repeat)
                print(f"{label:<{width}}{empty:>9.2f}{full:>10.2f}{full / empty:>8.2f}")
            print("  (`pst verify` is the supervisor's daily command, no window waits for it: it reads the whole "
                  "file once\n   for SQLite's quick_check and digests every row, so it grows with the file)")
        if args.plans:
            plans(open_url(sqlite_url(work / "five_years.sqlite")), keys)
        print("\naim: ratio <= 1.5 (issue 14). Figures only; nothing asserted.")
    finally:
        for run in runs.values():
            run.db.dispose()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What following the database costs the screens (``pstdesktop.live``, ``ui.live``).

For SQLite (a file in a temporary folder) and PostgreSQL (``--postgres URL``, else a throw-away server
started with the machine's ``initdb`` as the tests do, else skipped) it prints, in one process:

- one watch tick when nothing changed (SQLite ``PRAGMA data_version``; PostgreSQL reading the socket for
  notifications) as a ratio against a bare no-op query (``SELECT 1``) on a plain sqlite3/psycopg
  connection, and as a share of the GUI thread at one tick per second;
- the time from a commit on connection A (a unit of work that writes) to the change seen by watcher B,
  polled back to back (a screen sees it at its next tick, at most ``ui.live.POLL_MS`` later);
- on PostgreSQL, a small writing unit of work with the NOTIFY it sends against the same without.

Medians of ``--repeat`` runs. Asserts nothing.

    .venv/bin/python benchmarks/live_refresh.py [--repeat 2000] [--postgres postgresql://pst@host/db]"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from pstdesktop import live  # noqa: E402
from pstdesktop.bootstrap import Database, open_url  # noqa: E402
from pstdesktop.config import sqlite_url  # noqa: E402
from pstdesktop.database import unit_of_work  # noqa: E402

POLL_MS = 1_000  # ui.live.POLL_MS (not imported: no Qt needed here)


def median_us(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def write(database: Database, n: list[int]) -> None:
    n[0] += 1
    with database.unit_of_work() as session:
        session.execute(text("INSERT INTO live_bench (n) VALUES (:n)"), {"n": n[0]})


def commit_to_seen_us(writer: Database, watcher: live.ChangeWatcher, repeat: int) -> float:
    """From the start of a committing unit of work on A until B's watcher reports it."""
    n, times = [0], []
    for _ in range(repeat):
        start = time.perf_counter()
        write(writer, n)
        while not watcher.changed():
            if time.perf_counter() - start > 5:
                raise RuntimeError("the watcher did not see the commit within 5 s")
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def report(name: str, tick: float, noop: float, latency: float) -> None:
    print(f"{name}: watch tick {tick:.1f} µs = {tick / noop:.2f}x a bare SELECT 1 ({noop:.1f} µs); "
          f"{tick / (POLL_MS * 10):.4f} % of the GUI thread at one tick per {POLL_MS} ms")
    print(f"{name}: commit on A -> seen by watcher B: {latency / 1000:.2f} ms (median, polled back to back; "
          f"a screen at most {POLL_MS} ms later)")


def bench(name: str, url: str, noop: Callable[[], object], repeat: int) -> tuple[Database, Database]:
    writer, reader = open_url(url), open_url(url)
    with writer.unit_of_work() as session:
        session.execute(text("CREATE TABLE live_bench (n INTEGER)"))
    watcher = live.watch(reader.engine)
    try:
        watcher.changed()
        tick = median_us(watcher.changed, repeat)
        latency = commit_to_seen_us(writer, watcher, max(20, repeat // 20))
    finally:
        watcher.close()
    report(name, tick, median_us(noop, repeat), latency)
    return writer, reader


def bench_sqlite(folder: Path, repeat: int) -> None:
    file = folder / "live.sqlite"
    plain = sqlite3.connect(folder / "plain.sqlite", isolation_level=None)
    writer, reader = bench("SQLite", sqlite_url(file), lambda: plain.execute("SELECT 1").fetchone(), repeat)
    plain.close()
    writer.dispose()
    reader.dispose()


def bench_postgres(url: str, repeat: int) -> None:
    import psycopg

    plain = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    writer, reader = bench("PostgreSQL", url, lambda: plain.execute("SELECT 1").fetchone(), repeat)
    plain.close()
    quiet = sessionmaker(bind=writer.engine, expire_on_commit=False)  # the same, without the NOTIFY hook
    n, rounds = [0], max(50, repeat // 10)
    with_notify = median_us(lambda: write(writer, n), rounds)

    def write_quietly() -> None:
        n[0] += 1
        with unit_of_work(quiet) as session:
            session.execute(text("INSERT INTO live_bench (n) VALUES (:n)"), {"n": n[0]})

    without = median_us(write_quietly, rounds)
    print(f"PostgreSQL: a writing unit of work {with_notify:.0f} µs with its NOTIFY, {without:.0f} µs without "
          f"({with_notify / without:.2f}x); read-only units of work send nothing")
    writer.dispose()
    reader.dispose()


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str | None]:
    """A temporary server like the tests' (tests/pg.py), or None when PostgreSQL is not installed."""
    from tests import pg

    initdb, pg_ctl = pg._pg_bin("initdb"), pg._pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="pst-bench-pg-"))
    if hasattr(shutil, "chown") and pg.os.name != "nt" and pg.os.geteuid() == 0:
        shutil.chown(root, "postgres")
    port = pg._free_port()
    pg._run_as_postgres([initdb, "-D", str(root / "data"), "-U", "pst", "--auth=trust", "-E", "UTF8"])
    pg._run_as_postgres([pg_ctl, "-D", str(root / "data"), "-w", "-l", str(root / "log.txt"), "-o",
                         f"-p {port} -k {root} -c listen_addresses=127.0.0.1", "start"])
    try:
        import psycopg

        name = f"bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"postgresql://pst@127.0.0.1:{port}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        yield f"postgresql+psycopg://pst@127.0.0.1:{port}/{name}"
    finally:
        pg._run_as_postgres([pg_ctl, "-D", str(root / "data"), "-m", "fast", "stop"])
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--postgres", help="an empty PostgreSQL database to use (postgresql://…)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench_sqlite(Path(folder), args.repeat)
    if args.postgres:
        bench_postgres(args.postgres, args.repeat)
        return
    with throwaway_postgres() as url:
        if url is None:
            print("PostgreSQL: skipped (no --postgres URL and no initdb on this machine)")
        else:
            bench_postgres(url, args.repeat)


if __name__ == "__main__":
    main()

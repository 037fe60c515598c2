"""The exit while the first start of the day is still taking the day's backup, on a copy of a five-year
SQLite file. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/exit_during_backup.py FILE [--runs 3] [--work DIR]

FILE (``benchmarks/history.py --database sqlite:///FILE`` builds one, at the head revision) is copied
into ``--work`` (or a temporary folder) and never changed. Each run empties the backups folder (so the
day's backup is due), starts a process that opens the copy as the application does behind its sign-in
(``pstdesktop.opening.Opening``, without Qt) and, once the day's backup is being written, prints ``quit``
and closes it as the application quits (``close(hand_over=True)``). Exit = ``quit`` to the end of that
process; backup = ``quit`` to the moment a good backup of the day exists and no exit backup is owed (the
handed-over ``pst --exit-backup`` process done)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pstdesktop import autobackup, backup  # noqa: E402

CHILD = '''
import sys, time
from pathlib import Path
from pstdesktop import opening
from pstdesktop.config import Settings, sqlite_url

data = Path(sys.argv[1])
settings = Settings(data, sqlite_url(data / "pst.sqlite"))
start = opening.Opening(settings, opening.peek(settings))
start.begin()

def copying() -> bool:
    try:
        return any(p.stat().st_size > 0 for p in settings.backup_dir.glob("*.partial"))
    except OSError:
        return False

while not (start.status == "backing_up" and copying()):
    time.sleep(0.002)
print("quit", flush=True)
start.close(hand_over=True)
'''


def one_run(data: Path, env: dict) -> tuple[float, float]:
    """(seconds from the quit to the end of the process, seconds from the quit to the day's backup)."""
    shutil.rmtree(data / "backups", ignore_errors=True)
    (data / autobackup.PENDING).unlink(missing_ok=True)
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(data)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        quit_at = time.perf_counter()
        process.wait(timeout=600)
        ended = time.perf_counter()
    finally:
        if process.poll() is None:
            process.kill()
    if line.strip() != "quit":
        raise RuntimeError(f"the opening ended before its backup began (exit code {process.returncode})")
    while (data / autobackup.PENDING).exists() or not backup.listing(data / "backups"):
        if time.perf_counter() - quit_at > 600:
            raise RuntimeError("no backup of the day ten minutes after the quit")
        time.sleep(0.01)
    ready = time.perf_counter()
    taken = backup.listing(data / "backups")
    if len(taken) != 1 or not backup.integrity_ok(taken[0].path) or list((data / "backups").glob("*.partial")):
        raise RuntimeError(f"not one good backup of the day: {[b.path.name for b in taken]}")
    return ended - quit_at, ready - quit_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="five-year SQLite file at the head revision (copied, never changed)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, metavar="DIR", help="data folder, kept (default: temporary)")
    args = parser.parse_args()
    temporary = None if args.work else tempfile.TemporaryDirectory(prefix="pst-exitbackup-")
    data = (args.work or Path(temporary.name)).resolve()
    try:
        data.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.file, data / "pst.sqlite")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PST_"))}
        runs = [one_run(data, env) for _ in range(args.runs)]
    finally:
        if temporary is not None:
            temporary.cleanup()
    size = (args.file.stat().st_size) / 2**30
    print(f"Exit while the day's backup is being written: {args.file.name} ({size:.2f} GiB), "
          f"median of {args.runs} runs")
    print(f"  exit (quit to the end of the process)      {statistics.median(r[0] for r in runs) * 1000:8.0f} ms"
          f"   runs: {', '.join(f'{r[0] * 1000:.0f}' for r in runs)}")
    print(f"  backup of the day ready (quit to it)       {statistics.median(r[1] for r in runs) * 1000:8.0f} ms"
          f"   runs: {', '.join(f'{r[1] * 1000:.0f}' for r in runs)}")
    print("aim: exit < 1 s. Figures only; nothing asserted.")


if __name__ == "__main__":
    main()

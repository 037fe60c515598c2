"""Cold start of the built bundle to its first window (the sign-in), on a one-day database and on five
years of history, as ratios to a bare PySide6 window bundled and run the same way; the exit timed apart;
the bundle sizes with every file counted once. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/cold_start.py [--runs 7] [--history FILE] [--work DIR]
                                              [--bundle FOLDER] [--bare FOLDER]

Both bundles are built here with PyInstaller (one folder, no UPX; the PST bundle from pst.spec) into
``--work`` (kept, so a second run rebuilds only what changed) or a temporary folder; ``--bundle`` and
``--bare`` take folders built before instead. The one-day database is what ``pst demo`` writes. The
five-year one is ``--history``, an SQLite file that ``benchmarks/history.py --database
sqlite:///FILE`` builds (copied here, never changed); without it the five-year figures are left out.

Each run starts the program with ``PST_STARTUP_PROBE=1``: it prints ``PST_STARTUP_PROBE shown`` once
its first window has been painted, then ``PST_STARTUP_PROBE quit`` and quits. Start = launch to the
first line; exit = the second line to the end of the process (the exit backup included). Each PST run
is also made with ``PST_STARTUP_PROBE=settled``, which quits only once the database is open, the day's
tasks are done and the role windows are loaded: the exit of a run that got that far ("exit settled"). One warm-up
run per program comes first (the first start of the day takes the daily backup) and is shown apart.

The exit while that first start is still writing the day's backup is timed apart, from source and
without Qt, by ``benchmarks/exit_during_backup.py FILE`` (the five-year file, copied)."""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the bare window runs the same probe as the application (ui/startup_probe.py, prepended)
BARE_MAIN = '''
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv)
label = QLabel("PST")
label.show()
FirstWindowProbe(app)
app.exec()
'''
SHOWN, QUIT = "PST_STARTUP_PROBE shown", "PST_STARTUP_PROBE quit"


def build(spec_or_script: Path, work: Path, name: str) -> Path:
    pyinstaller = Path(sys.executable).with_name("pyinstaller.exe" if os.name == "nt" else "pyinstaller")
    args = [str(pyinstaller), "--noconfirm", "--log-level", "ERROR", "--distpath", str(work / "dist"),
            "--workpath", str(work / "build")]
    if spec_or_script.suffix == ".py":
        args += ["--onedir", "--windowed", "--noupx", "--name", name, "--specpath", str(work),
                 "--exclude-module", "tkinter"]
    subprocess.run([*args, str(spec_or_script)], check=True, cwd=ROOT)
    return work / "dist" / name


def sizes(folder: Path) -> tuple[int, int]:
    """(bytes on disk, every regular file once; links skipped, hard links and identical copies once)."""
    on_disk, once, inodes, digests = 0, 0, set(), set()
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        stat = path.stat()
        on_disk += stat.st_size
        if (stat.st_dev, stat.st_ino) in inodes:
            continue
        inodes.add((stat.st_dev, stat.st_ino))
        digest = hashlib.sha256(path.read_bytes()).digest()
        if digest not in digests:
            digests.add(digest)
            once += stat.st_size
    return on_disk, once


def one_run(program: Path | list[str], env: dict) -> tuple[float, float]:
    """(seconds from launch to the first window, seconds from the quit to the end of the process); the
    program is a built executable or a command line."""
    start = time.perf_counter()
    process = subprocess.Popen([str(program)] if isinstance(program, Path) else program, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    shown = quit_at = None
    try:
        for line in process.stdout:
            if line.startswith(SHOWN):
                shown = time.perf_counter()
            elif line.startswith(QUIT):
                quit_at = time.perf_counter()
                break
        process.stdout.close()
        process.wait(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
    end = time.perf_counter()
    if shown is None or quit_at is None:
        raise RuntimeError(f"{program} ended without showing a window (exit code {process.returncode})")
    return shown - start, end - quit_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--history", type=Path, metavar="FILE", help="five-year SQLite file (benchmarks/history.py)")
    parser.add_argument("--work", type=Path, metavar="DIR", help="build and data folder, kept (default: temporary)")
    parser.add_argument("--bundle", type=Path, metavar="FOLDER", help="a built PST Desktop folder to use")
    parser.add_argument("--bare", type=Path, metavar="FOLDER", help="a built bare PySide6 window folder to use")
    args = parser.parse_args()
    temporary = None if args.work else tempfile.TemporaryDirectory(prefix="pst-coldstart-")
    work = args.work or Path(temporary.name)
    work.mkdir(parents=True, exist_ok=True)
    try:
        run(args, work.resolve())
    finally:
        if temporary is not None:
            temporary.cleanup()


def run(args, work: Path) -> None:
    bare = args.bare
    if bare is None:
        script = work / "bare.py"
        script.write_text((ROOT / "ui" / "startup_probe.py").read_text(encoding="utf-8") + BARE_MAIN,
                          encoding="utf-8")
        bare = build(script, work / "bare", "bare")
    pst = args.bundle or build(ROOT / "pst.spec", work / "pst", "PST Desktop")
    exe = ".exe" if os.name == "nt" else ""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PST_"))}
    env.update(QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), PST_STARTUP_PROBE="1")

    databases = {"one day": work / "data-day"}
    shutil.rmtree(databases["one day"], ignore_errors=True)
    subprocess.run([str(pst / f"pst{exe}"), "demo"], check=True, capture_output=True,
                   env={**env, "PST_DATA_DIR": str(databases["one day"])})
    if args.history:
        databases["5 years"] = work / "data-5y"
        shutil.rmtree(databases["5 years"], ignore_errors=True)
        databases["5 years"].mkdir()
        shutil.copyfile(args.history, databases["5 years"] / "pst.sqlite")
    programs = {"bare": (bare / f"bare{exe}", env)}
    for label, data in databases.items():
        programs[label] = (pst / f"PST Desktop{exe}", {**env, "PST_DATA_DIR": str(data)})
        programs[f"{label}, settled"] = (pst / f"PST Desktop{exe}", {**env, "PST_DATA_DIR": str(data),
                                                                      "PST_STARTUP_PROBE": "settled"})

    def sample(label: str) -> tuple[float, float]:
        # backups stay as in an office (rotation keeps one a day): a run that changed nothing takes none
        return one_run(*programs[label])

    warm = {label: sample(label) for label in programs}  # the first start of the day: the daily backup
    if hasattr(os, "sync"):  # the copies and backups just written go to disk before anything is timed
        os.sync()
    starts = {label: [] for label in programs}
    exits = {label: [] for label in programs}
    # the starts interleaved so machine load hits all alike; the settled runs (which wait for the day's
    # tasks, the full check of the file among them) in a round of their own after them
    for group in ([label for label in programs if "settled" not in label],
                  [label for label in programs if "settled" in label]):
        for _ in range(args.runs):
            for label in group:
                first, end = sample(label)
                starts[label].append(first)
                exits[label].append(end)
    start = {label: statistics.median(values) for label, values in starts.items()}
    exit_ = {label: statistics.median(values) for label, values in exits.items()}
    bare_disk, bare_once = sizes(bare)
    pst_disk, pst_once = sizes(pst)

    load = f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs" if hasattr(os, "getloadavg") else ""
    print(f"PST Desktop cold start: median of {args.runs} interleaved runs after one warm-up{load}")
    print(f"QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}; start = launch to the first window painted; "
          "exit = quit to the end of the process\n")
    print(f"{'program':<34}{'start ms':>10}{'ratio':>8}{'exit ms':>10}{'exit settled':>14}{'first start ms':>16}")
    rows = [("bare PySide6 window bundle", "bare")] + [(f"PST Desktop sign-in, {label}", label) for label in databases]
    for title, label in rows:
        ratio = "" if label == "bare" else f"{start[label] / start['bare']:.2f}x"
        settled = "" if label == "bare" else f"{exit_[f'{label}, settled'] * 1000:.0f}"
        print(f"{title:<34}{start[label] * 1000:>10.0f}{ratio:>8}{exit_[label] * 1000:>10.0f}{settled:>14}"
              f"{warm[label][0] * 1000:>16.0f}")
    print("(exit: quit as soon as the sign-in is painted, the database still opening; exit settled: quit once it is"
          " open, the day's tasks done and the role windows loaded)")
    if "5 years" in start:
        print(f"\n5 years / one day: start {start['5 years'] / start['one day']:.2f}x, "
              f"exit {exit_['5 years'] * 1000:.0f} ms vs {exit_['one day'] * 1000:.0f} ms, settled "
              f"{exit_['5 years, settled'] * 1000:.0f} ms vs {exit_['one day, settled'] * 1000:.0f} ms")
    else:
        print("\n(no --history: five-year figures left out)")
    print("\nbundle size (MiB)       on disk   files counted once")
    print(f"  bare PySide6 window  {bare_disk / 2**20:9.1f}   {bare_once / 2**20:9.1f}")
    print(f"  PST Desktop          {pst_disk / 2**20:9.1f}   {pst_once / 2**20:9.1f}")
    print(f"\naims: start < 1.5x bare on both databases (now {start['one day'] / start['bare']:.2f}x"
          + (f" / {start['5 years'] / start['bare']:.2f}x" if "5 years" in start else "")
          + f"), exit < 1 s, size <= 1.25x bare (now {pst_once / bare_once:.2f}x counted once, "
          f"{pst_disk / bare_disk:.2f}x on disk). Figures only; nothing asserted.")


if __name__ == "__main__":
    main()

"""Cold start of the built bundle to its first window (the sign-in), as a ratio to a bare PySide6
window bundled the same way, and the two bundle sizes. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/cold_start.py [--runs 7]

Both bundles are built here with PyInstaller (one folder, no UPX) into a temporary folder; the PST
bundle opens a demo database so the sign-in window is what a real office sees first."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE = '''
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
label = QLabel("PST")
label.show()
QTimer.singleShot(0, app.quit)
app.exec()
'''


def build(spec_or_script: Path, work: Path, name: str) -> Path:
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    args = [str(pyinstaller), "--noconfirm", "--log-level", "ERROR", "--distpath", str(work / "dist"),
            "--workpath", str(work / "build")]
    if spec_or_script.suffix == ".py":
        args += ["--onedir", "--windowed", "--noupx", "--name", name, "--specpath", str(work),
                 "--exclude-module", "tkinter"]
    subprocess.run([*args, str(spec_or_script)], check=True, cwd=ROOT)
    return work / "dist" / name


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def time_runs(command: list[str], env: dict, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env, capture_output=True, timeout=120)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="pst-coldstart-") as tmp:
        work = Path(tmp)
        script = work / "bare.py"
        script.write_text(BARE, encoding="utf-8")
        bare = build(script, work / "bare", "bare")
        pst = build(ROOT / "pst.spec", work / "pst", "PST Desktop")
        data = work / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), PST_STARTUP_PROBE="1",
                   PST_DATA_DIR=str(data))
        subprocess.run([str(pst / "pst"), "demo"], check=True, env=env, capture_output=True)
        bare_times, pst_times = [], []
        for _ in range(runs):  # interleaved so machine load hits both alike
            bare_times += time_runs([str(bare / "bare")], env, 1)
            pst_times += time_runs([str(pst / "PST Desktop")], env, 1)
        b, p = statistics.median(bare_times), statistics.median(pst_times)
        print(f"PST Desktop cold start (median of {runs} runs, first window shown, then quit)")
        print(f"  bare PySide6 window bundle : {b * 1000:8.0f} ms   size {folder_size(bare) / 2**20:7.1f} MiB")
        print(f"  PST Desktop bundle (login) : {p * 1000:8.0f} ms   size {folder_size(pst) / 2**20:7.1f} MiB")
        print(f"  ratio start {p / b:.2f}x (aim < 1.5x), size {folder_size(pst) / folder_size(bare):.2f}x")


if __name__ == "__main__":
    main()

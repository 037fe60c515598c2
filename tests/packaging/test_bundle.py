"""The PyInstaller bundle: built from pst.spec, it must start on its own and pass ``--selftest``
(a temporary database, migrations, the demo day, invoice, SPPD and kuitansi PDFs, a ledger)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_built_bundle_passes_its_selftest(tmp_path):
    pyinstaller = Path(sys.executable).with_name("pyinstaller.exe" if os.name == "nt" else "pyinstaller")
    subprocess.run([str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--distpath", str(tmp_path / "dist"),
                    "--workpath", str(tmp_path / "build"), str(ROOT / "pst.spec")],
                   cwd=ROOT, check=True, timeout=900, capture_output=True)
    folder = tmp_path / "dist" / "PST Desktop"
    program = folder / ("pst.exe" if os.name == "nt" else "pst")
    assert (folder / ("PST Desktop.exe" if os.name == "nt" else "PST Desktop")).exists()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run([str(program), "--selftest"], capture_output=True, text=True, timeout=300, env=env,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test OK" in result.stdout
    assert not any(part.startswith("PySide6.QtWebEngine") for part in os.listdir(folder / "_internal" / "PySide6"))

"""The PyInstaller bundle: built once from pst.spec, it must start on its own, pass ``--selftest`` (a
temporary database, migrations, the demo day, invoice, SPPD and kuitansi PDFs, a ledger), show its
sign-in window, and hold what the application uses, once: one archive of Python code (in the windowed
program; ``pst`` is a small console program that runs it), only the Qt plugins and translations it
loads, no pygments, no Pillow codecs it does not use, Indonesia's holidays only."""

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PyInstaller.archive.readers import CArchiveReader, ZlibArchiveReader

ROOT = Path(__file__).resolve().parents[2]
EXE = ".exe" if os.name == "nt" else ""
LIB = "" if os.name == "nt" else "lib"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    work = tmp_path_factory.mktemp("bundle")
    pyinstaller = Path(sys.executable).with_name(f"pyinstaller{EXE}")
    subprocess.run([str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--distpath", str(work / "dist"),
                    "--workpath", str(work / "build"), str(ROOT / "pst.spec")],
                   cwd=ROOT, check=True, timeout=900, capture_output=True)
    return work / "dist" / "PST Desktop"


def environment(**extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "PST_"))}
    return {**env, "QT_QPA_PLATFORM": "offscreen", **extra}


def modules_in(program: Path) -> list[str]:
    """The names of the Python modules in the archive inside a built executable."""
    package = CArchiveReader(str(program))
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "PYZ.pyz"
        archive.write_bytes(package.extract("PYZ.pyz"))
        return list(ZlibArchiveReader(str(archive)).toc)


def files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]


def test_built_bundle_passes_its_selftest(folder, tmp_path):
    assert (folder / f"PST Desktop{EXE}").exists()
    result = subprocess.run([str(folder / f"pst{EXE}"), "--selftest"], capture_output=True, text=True, timeout=300,
                            env=environment(), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test OK" in result.stdout


def test_pst_passes_the_programs_faults_and_exit_code_through(folder, tmp_path):
    result = subprocess.run([str(folder / f"pst{EXE}"), "no-such-command"], capture_output=True, text=True,
                            timeout=120, env=environment(PST_DATA_DIR=str(tmp_path / "data")))
    assert result.returncode == 2
    assert "argumen tidak benar" in result.stderr and "see pst --help" in result.stderr


def test_the_bundle_shows_its_sign_in_window(folder, tmp_path):
    data = tmp_path / "data"
    subprocess.run([str(folder / f"pst{EXE}"), "demo"], check=True, capture_output=True, timeout=300,
                   env=environment(PST_DATA_DIR=str(data)))
    result = subprocess.run([str(folder / f"PST Desktop{EXE}")], capture_output=True, text=True, timeout=300,
                            env=environment(PST_DATA_DIR=str(data), PST_STARTUP_PROBE="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["PST_STARTUP_PROBE shown", "PST_STARTUP_PROBE quit"]


def test_one_archive_of_python_code(folder):
    gui, cli = modules_in(folder / f"PST Desktop{EXE}"), modules_in(folder / f"pst{EXE}")
    assert {"pstdesktop.cli", "sqlalchemy", "ui.app"} <= set(gui)
    assert not [name for name in cli if name.split(".")[0] in ("pstdesktop", "sqlalchemy", "PySide6", "ui")]
    assert (folder / f"pst{EXE}").stat().st_size < 4 * 2**20
    assert len(list(folder.rglob("base_library.zip"))) == 1
    assert not [path for path in files(folder) if path.suffix == ".pyz"]


def test_the_start_runs_only_the_run_time_hooks_it_needs(folder):
    """pkgutil's and multiprocessing's hooks cost every start ~20 ms for what the application never does."""
    scripts = [name for name, entry in CArchiveReader(str(folder / f"PST Desktop{EXE}")).toc.items()
               if entry[-1] == "s"]
    assert scripts[-1] == "__main__" and "pyi_rth_pyside6" in scripts
    assert not {"pyi_rth_pkgutil", "pyi_rth_multiprocessing"} & set(scripts)


def test_no_file_twice(folder):
    seen = {}
    for path in files(folder):
        if path.stat().st_size > 256 * 1024:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert digest not in seen, f"{path} is a copy of {seen[digest]}"
            seen[digest] = path


def test_only_the_qt_plugins_and_translations_the_application_loads(folder):
    qt = next(path for path in folder.rglob("PySide6") if path.is_dir())
    plugins = {(path.parent.name, path.name.split(".")[0].removeprefix(LIB)) for path in files(qt)
               if "plugins" in path.parts}
    kept = {"platforms": {"qwindows", "qxcb", "qcocoa", "qoffscreen"}, "imageformats": {"qjpeg"},
            "platformthemes": {"qxdgdesktopportal"}, "printsupport": None, "platforminputcontexts": None,
            "xcbglintegrations": None, "styles": None}
    unexpected = {(kind, name) for kind, name in plugins
                  if kind not in kept or (kept[kind] is not None and name not in kept[kind])}
    assert not unexpected
    assert ("platforms", "qoffscreen") in plugins and ("imageformats", "qjpeg") in plugins
    assert ("platforms", "qwindows" if os.name == "nt" else "qxcb") in plugins
    translations = [path.name for path in files(qt) if path.suffix == ".qm"]
    assert all(name.endswith(("_id.qm", "_en.qm")) for name in translations), translations
    names = {path.name for path in folder.rglob("*")}
    assert not [name for name in names if "Wayland" in name or "EglFS" in name or "QtWebEngine" in name]


def test_no_pygments_pillow_codecs_or_other_countries(folder):
    modules = set(modules_in(folder / f"PST Desktop{EXE}"))
    assert not [name for name in modules if name.split(".")[0] in ("pygments", "tkinter")]
    assert not {"PIL.AvifImagePlugin", "PIL.WebPImagePlugin"} & modules
    assert {"PIL.PngImagePlugin", "PIL.JpegImagePlugin", "PIL.ImageCms", "holidays.countries.indonesia"} <= modules
    names = {path.name.lower() for path in files(folder)}
    assert not [name for name in names if name.startswith(("_avif", "_webp", "_imagingft", "libavif", "libwebp"))]
    holiday_translations = [path for path in files(folder / "_internal" / "holidays") if path.suffix == ".mo"]
    assert holiday_translations and all(path.name == "ID.mo" for path in holiday_translations)

"""Every command answers a broken environment — database URL, server, data folder, settings.json, SQLite
file, full disk — with one bilingual line on stderr and exit code 2: no traceback, no "Exception
ignored", and the files at fault left byte for byte as they were (issue 12)."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import make_url

from pstdesktop import documents, faults
from pstdesktop.bootstrap import open_url
from pstdesktop.cli import main
from pstdesktop.config import sqlite_url
from tests.pg import _pg_bin

ROOT = Path(__file__).resolve().parents[2]
NO_QT = "pst-no-qt"  # a Qt platform that does not exist: gui and kiosk fail loudly if Qt ever starts
COMMANDS = {
    "demo": ["demo"],
    "verify": ["verify"],
    "document": ["document", "receipt", "0001", "--out", "{tmp}/copy.pdf"],
    "export": ["export", "report", "--month", "2025-01", "--out", "{tmp}/report.xlsx"],
    "gui": ["gui"],
    "kiosk": ["kiosk"],
}


def pst(tmp: Path, *args: str, env: dict | None = None, code: str = "") -> subprocess.CompletedProcess:
    """``python -m pstdesktop ARGS`` (or ``code`` run before ``main``) with its data folder in ``tmp``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PST_") or k == "PST_KEY_DIR"}
    environment.update({"PST_DATA_DIR": str(tmp / "data"), "QT_QPA_PLATFORM": "offscreen", "PYTHONUTF8": "1",
                        "PYTHONPATH": str(ROOT), **(env or {})})
    argv = [a.replace("{tmp}", str(tmp)) for a in args]
    command = ([sys.executable, "-c", f"{code}\nimport sys\nfrom pstdesktop.cli import main\nsys.exit(main({argv!r}))"]
               if code else [sys.executable, "-m", "pstdesktop", *argv])
    return subprocess.run(command, env=environment, cwd=tmp, capture_output=True, text=True, timeout=120)


def assert_one_line(result: subprocess.CompletedProcess, *words: str) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Exception ignored" not in output, output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, output
    assert len(lines) == 1, output
    assert " / " in lines[0], lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def digest(paths: list[Path]) -> dict[str, str]:
    """Contents of the files, and the names in their folders (no -wal, -shm or temporary file appears)."""
    seen = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "-" for p in paths}
    for folder in {p.parent for p in paths}:
        seen[f"{folder}/"] = " ".join(sorted(q.name for q in folder.iterdir()))
    return seen


@pytest.fixture(scope="module")
def sound_db(tmp_path_factory) -> bytes:
    """The bytes of a migrated, seeded SQLite database (checkpointed: no -wal file needed)."""
    path = tmp_path_factory.mktemp("sound") / "pst.sqlite"
    open_url(sqlite_url(path)).dispose()
    return path.read_bytes()


def _file(tmp: Path, name: str, content: bytes) -> Path:
    path = tmp / "data" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


# each fault: (arguments before the command, files that must stay unchanged, words of the line)
FAULTS = {
    "database-unknown-scheme": lambda tmp, db: (["--database", "foo://bar"], [], ["--database", "foo"]),
    "database-not-a-url": lambda tmp, db: (["--database", "not a url"], [], ["not a url"]),
    "database-mysql": lambda tmp, db: (["--database", "mysql://pst:s3cret@server/pst"], [], ["mysql", "***"]),
    "postgres-refused-port": lambda tmp, db: (["--database", "postgresql://pst:s3cret@127.0.0.1:1/pst"], [],
                                              ["127.0.0.1:1", "***"]),
    "postgres-unknown-host": lambda tmp, db: (["--database", "postgresql://pst:s3cret@nohost.invalid/pst"], [],
                                              ["nohost.invalid"]),
    "sqlite-missing-folder": lambda tmp, db: (["--database", sqlite_url(tmp / "missing" / "pst.sqlite")], [],
                                              [str(tmp / "missing")]),
    "data-dir-is-a-file": lambda tmp, db: (["--data-dir", str(_file(tmp, "a-file", b"notes"))],
                                           [tmp / "data" / "a-file"], ["a-file", "--data-dir"]),
    "sqlite-foreign-header": lambda tmp, db: ([], [_file(tmp, "pst.sqlite", b"\x89PNG\r\n\x1a\n" * 2 + db[16:])],
                                              ["pst.sqlite"]),
    "sqlite-corrupt-header": lambda tmp, db: ([], [_file(tmp, "pst.sqlite", db[:16] + b"\xff" * 12 + db[28:])],
                                              ["pst.sqlite"]),
    "sqlite-truncated": lambda tmp, db: ([], [_file(tmp, "pst.sqlite", db[: len(db) // 2])], ["pst.sqlite"]),
    "sqlite-text-file": lambda tmp, db: ([], [_file(tmp, "pst.sqlite", b"kantor,pst\n1,2\n")], ["pst.sqlite"]),
    "sqlite-empty-file": lambda tmp, db: ([], [_file(tmp, "pst.sqlite", b"")], ["pst.sqlite", "0"]),
    "settings-malformed": lambda tmp, db: ([], [_file(tmp, "settings.json", b'{"database_url": ')],
                                           ["settings.json", "JSON"]),
    "settings-binary": lambda tmp, db: ([], [_file(tmp, "settings.json", bytes(range(256)))], ["settings.json"]),
    "settings-json-list": lambda tmp, db: ([], [_file(tmp, "settings.json", b'["sqlite:///x"]')],
                                           ["settings.json"]),
    "settings-url-number": lambda tmp, db: ([], [_file(tmp, "settings.json", b'{"database_url": 5}')],
                                            ["settings.json", "database_url"]),
    "settings-url-bogus": lambda tmp, db: ([], [_file(tmp, "settings.json",
                                                      b'{"database_url": "postgres ql://pst:s3cret@x/pst"}')],
                                           ["settings.json", "database_url", "***"]),
}
# faults that every command, gui and kiosk included, must meet before Qt starts
EVERYWHERE = ("database-unknown-scheme", "sqlite-missing-folder", "data-dir-is-a-file", "settings-malformed",
              "settings-url-bogus")


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_is_one_line_and_exit_2(tmp_path, sound_db, fault):
    before, files, words = FAULTS[fault](tmp_path, sound_db)
    unchanged = digest(files)
    result = pst(tmp_path, *before, "verify")
    assert_one_line(result, "pst: ", *words)
    assert "s3cret" not in result.stdout + result.stderr
    assert digest(files) == unchanged


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("fault", EVERYWHERE)
def test_every_command_meets_the_fault_before_it_starts(tmp_path, sound_db, fault, command):
    before, files, words = FAULTS[fault](tmp_path, sound_db)
    unchanged = digest(files)
    result = pst(tmp_path, *before, *COMMANDS[command], env={"QT_QPA_PLATFORM": NO_QT})
    assert_one_line(result, *words)
    assert digest(files) == unchanged
    assert not (tmp_path / "copy.pdf").exists() and not (tmp_path / "report.xlsx").exists()


@pytest.mark.parametrize("command", ["demo", "document", "export", "kiosk"])
def test_a_damaged_database_is_refused_by_every_command(tmp_path, sound_db, command):
    """The staff application (gui) meets a damaged file with its own offer of the newest backup."""
    file = _file(tmp_path, "pst.sqlite", sound_db[: len(sound_db) // 2])
    unchanged = digest([file])
    assert_one_line(pst(tmp_path, *COMMANDS[command], env={"QT_QPA_PLATFORM": NO_QT}), str(file))
    assert digest([file]) == unchanged


@pytest.mark.skipif(getattr(os, "geteuid", lambda: 1)() == 0, reason="root writes into a read-only folder")
def test_a_read_only_data_folder(tmp_path, sound_db):
    folder = tmp_path / "data"
    file = _file(tmp_path, "pst.sqlite", sound_db)
    folder.chmod(0o500)
    try:
        unchanged = digest([file])
        assert_one_line(pst(tmp_path, "verify"), str(folder))
        assert digest([file]) == unchanged
    finally:
        folder.chmod(0o700)


def test_a_read_only_data_folder_in_process(tmp_path, monkeypatch, capsys):
    """The same check where the tests run as root (who may write anywhere): the folder says it is read-only."""
    monkeypatch.setattr(faults.os, "access", lambda *_args, **_kwargs: False)
    assert main(["--data-dir", str(tmp_path), "verify"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("pst: ") and str(tmp_path) in err and "\n" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
@pytest.mark.skipif(not (os.environ.get("PST_TEST_POSTGRES_URL") or _pg_bin("initdb")), reason="no PostgreSQL")
@pytest.mark.parametrize("what", ["database", "role"])
def test_postgres_missing_database_or_role(tmp_path, postgres_server, what):
    server = make_url(postgres_server)
    url = (server.set(database="pst_missing_db") if what == "database"
           else server.set(username="nobody_here", password=None, database="pst"))
    result = pst(tmp_path, "--database", url.render_as_string(hide_password=False), "verify")
    assert_one_line(result, "pst_missing_db" if what == "database" else "nobody_here")


# --- a full disk -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_office(tmp_path_factory) -> tuple[Path, str]:
    """A data folder filled by ``pst demo``, and the number of one of its kuitansi."""
    data = tmp_path_factory.mktemp("demo")
    assert main(["--data-dir", str(data), "demo"]) == 0
    import sqlite3

    connection = sqlite3.connect(data / "pst.sqlite")
    number = connection.execute("SELECT number FROM receipt ORDER BY id LIMIT 1").fetchone()[0]
    connection.close()
    return data, number


# the temporary file a workbook is written to takes 4 KB, then the disk is full
FULL_DISK = """
import errno, io
_open = io.open
class Full(io.FileIO):
    def write(self, data):
        self.used = getattr(self, "used", 0) + len(data)
        if self.used > 4096:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)
def full_open(file, mode="r", *args, **kwargs):
    if str(file).endswith(".part") and "w" in mode:
        return Full(file, mode.replace("b", ""))
    return _open(file, mode, *args, **kwargs)
io.open = full_open
"""


@pytest.mark.parametrize("what", ["ledger", "report"])
def test_export_to_a_full_disk(tmp_path, demo_office, what):
    data, _number = demo_office
    out = tmp_path / "out" / f"{what}.xlsx"
    out.parent.mkdir()
    period = ["--year", "2025"] if what == "ledger" else ["--month", "2025-01"]
    result = pst(tmp_path, "--data-dir", str(data), "export", what, *period, "--out", str(out), code=FULL_DISK)
    assert_one_line(result, str(out), "Disk penuh", "Free some disk space")
    assert list(out.parent.iterdir()) == []


def test_document_to_a_full_disk(tmp_path, demo_office, monkeypatch, capsys):
    data, number = demo_office

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(documents.os, "fsync", full)
    out = tmp_path / "out" / "copy.pdf"
    out.parent.mkdir()
    assert main(["--data-dir", str(data), "document", "receipt", number, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert str(out) in err and "\n" not in err and "Disk penuh" in err and "Disk full" in err
    assert list(out.parent.iterdir()) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_document_to_dev_full(tmp_path, demo_office):
    data, number = demo_office
    result = pst(tmp_path, "--data-dir", str(data), "document", "receipt", number, "--out", "/dev/full")
    assert_one_line(result, "/dev/full")
    assert Path("/dev/full").is_char_device()


def test_demo_on_a_full_disk(tmp_path):
    """The office is written, then the disk fills while the day is: the line says to free space, delete the
    unfinished demo and run it again."""
    code = """
import errno, pathlib
def full(self, *args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", str(self))
pathlib.Path.write_text = pathlib.Path.write_bytes = full
"""
    line = assert_one_line(pst(tmp_path, "demo", code=code), "demo", str(tmp_path / "data" / "pst.sqlite"))
    assert "Disk penuh" in line and "Disk full" in line


def test_a_new_database_that_cannot_be_made_leaves_no_file(tmp_path, monkeypatch, capsys):
    """A full disk at the first start: no empty pst.sqlite is left for the next start to refuse."""
    from pstdesktop import bootstrap

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "pst.sqlite"))

    monkeypatch.setattr(bootstrap.migrate, "upgrade", full)
    assert main(["--data-dir", str(tmp_path), "verify"]) == 2
    assert "Disk" in capsys.readouterr().err
    assert not any(p.name.startswith("pst.sqlite") for p in tmp_path.iterdir())

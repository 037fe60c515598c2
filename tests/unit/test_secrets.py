"""Secrets out of settings.json and a data folder private to the user: the PostgreSQL password goes
into the pgpass file (escaped, mode 0600), settings.json never holds one (old files are migrated at
start), and the data folder, database, settings and backups are 0700/0600 on POSIX."""

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from pstdesktop import backup, migrate, pgpass, private
from pstdesktop.bootstrap import open_database
from pstdesktop.config import SETTINGS_FILE, load_settings, write_settings_file

URL = "postgresql://pst:p%3Aa%5Cs%40s@Server-PST:5433/pst?connect_timeout=10"  # password p:a\s@s
PLAIN = "postgresql://pst@Server-PST:5433/pst?connect_timeout=10"
LINE = r"Server-PST:5433:pst:pst:p\:a\\s@s"


@pytest.fixture(autouse=True)
def pgpass_file(tmp_path, monkeypatch) -> Path:
    """The pgpass file of these tests, in tmp_path (the real ~/.pgpass is never touched)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    file = tmp_path / "pg" / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(file))
    return file


def assert_mode(path: Path, mode: int) -> None:
    assert path.exists(), path
    if sys.platform != "win32":  # Windows: the per-user folder is private already, modes mean nothing
        assert stat.S_IMODE(path.stat().st_mode) == mode, f"{path}: {oct(path.stat().st_mode)}"


def test_store_writes_the_escaped_line_privately_and_returns_the_url_without_the_password(pgpass_file):
    assert pgpass.store(URL) == PLAIN
    assert pgpass_file.read_text(encoding="utf-8") == LINE + "\n"
    assert_mode(pgpass_file, 0o600)
    assert pgpass.lookup(PLAIN) == "p:a\\s@s"
    assert pgpass.store("postgresql://pst:pw@server/pst") == "postgresql://pst@server/pst"
    assert pgpass_file.read_text(encoding="utf-8").splitlines()[0] == "server:5432:pst:pst:pw"  # libpq's defaults


def test_store_replaces_the_line_of_the_same_server_and_keeps_the_others(pgpass_file):
    pgpass_file.parent.mkdir()
    pgpass_file.write_text("# mine\n*:*:*:*:wildcard\nServer-PST:5433:pst:pst:old\nother:5432:db:u:x\n")
    pgpass_file.chmod(0o644)
    pgpass.store(URL)
    assert pgpass_file.read_text(encoding="utf-8").splitlines() == [LINE, "# mine", "*:*:*:*:wildcard",
                                                                    "other:5432:db:u:x"]
    assert_mode(pgpass_file, 0o600)
    assert not list(pgpass_file.parent.glob("*.tmp"))


def test_urls_without_a_password_are_left_alone(pgpass_file):
    for url in (PLAIN, "sqlite:///x.sqlite", "not a url"):
        assert pgpass.store(url) == url
    assert not pgpass_file.exists()
    with pytest.raises(ValueError, match="line break"):
        pgpass.store("postgresql://pst:a%0Ab@server/pst")


def test_the_pgpass_file_is_where_libpq_looks(tmp_path, monkeypatch):
    assert pgpass.location() == tmp_path / "pg" / "pgpass"
    monkeypatch.delenv("PGPASSFILE")
    assert pgpass.location() == tmp_path / "home" / ".pgpass"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert pgpass.location() == tmp_path / "Roaming" / "postgresql" / "pgpass.conf"


def test_settings_json_never_holds_the_password(tmp_path, pgpass_file):
    write_settings_file(tmp_path, database_url=URL, language="en")
    text = (tmp_path / SETTINGS_FILE).read_text(encoding="utf-8")
    assert "p:a" not in text and "%3A" not in text
    assert json.loads(text) == {"database_url": PLAIN, "language": "en"}
    assert_mode(tmp_path / SETTINGS_FILE, 0o600)
    assert pgpass_file.read_text(encoding="utf-8") == LINE + "\n"


def test_an_old_settings_file_is_migrated_and_old_files_are_tightened_at_start(tmp_path, pgpass_file):
    data = tmp_path / "data"
    (data / "backups").mkdir(parents=True)
    (data / SETTINGS_FILE).write_text(json.dumps({"database_url": URL, "ticket_width_mm": 80}))
    wide = [data / SETTINGS_FILE, data / "pst.sqlite", data / "pst.sqlite-wal", data / "pst.sqlite-shm",
            data / "pst.sqlite.replaced-20261123T081500Z", data / "backups" / "pst-20261123T081500Z-daily.sqlite"]
    for path in wide:
        path.touch()
        path.chmod(0o644)
    for folder in (data, data / "backups"):
        folder.chmod(0o755)
    settings = load_settings({"PST_DATA_DIR": str(data)})
    assert pgpass.lookup(settings.database_url) == "p:a\\s@s"
    stored = json.loads((data / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert stored == {"database_url": PLAIN, "ticket_width_mm": 80}
    assert_mode(pgpass_file, 0o600)
    for path in wide:
        assert_mode(path, 0o600)
    for folder in (data, data / "backups"):
        assert_mode(folder, 0o700)
    before = pgpass_file.read_bytes(), (data / SETTINGS_FILE).read_bytes()
    load_settings({"PST_DATA_DIR": str(data)})  # once: nothing left to move
    assert (pgpass_file.read_bytes(), (data / SETTINGS_FILE).read_bytes()) == before


def test_a_password_given_on_the_command_line_is_used_as_given_and_stored_nowhere(tmp_path, pgpass_file):
    settings = load_settings({"PST_DATA_DIR": str(tmp_path / "data"), "PST_DATABASE_URL": URL})
    assert settings.database_url == URL
    assert not pgpass_file.exists() and not (tmp_path / "data" / SETTINGS_FILE).exists()


def test_a_new_data_folder_its_database_and_backups_are_private(tmp_path):
    data = tmp_path / "new" / "data"
    settings = load_settings({"PST_DATA_DIR": str(data)})
    assert_mode(data, 0o700)
    database = open_database(settings)
    try:
        with database.unit_of_work():
            pass
        for name in ("pst.sqlite", "pst.sqlite-wal", "pst.sqlite-shm"):
            assert_mode(data / name, 0o600)
        taken = backup.take(data / "pst.sqlite", settings.backup_dir)
        assert_mode(settings.backup_dir, 0o700)
        assert_mode(taken.path, 0o600)
        copy = migrate.sqlite_copy(database.engine, tmp_path / "elsewhere" / "pre-upgrade.sqlite")
        assert_mode(copy.parent, 0o700)
        assert_mode(copy, 0o600)
    finally:
        database.dispose()
    (data / "pst.sqlite").chmod(0o644)
    kept = backup.restore(taken.path, data / "pst.sqlite")
    assert_mode(data / "pst.sqlite", 0o600)
    assert kept is not None
    assert_mode(kept, 0o600)


def test_write_settings_file_uses_a_private_temporary_file(tmp_path):
    (tmp_path / "settings.tmp").write_text("stale")
    (tmp_path / "settings.tmp").chmod(0o644)
    write_settings_file(tmp_path, language="id")
    assert_mode(tmp_path / SETTINGS_FILE, 0o600)
    assert not (tmp_path / "settings.tmp").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="checks the POSIX/Windows switch on POSIX")
def test_on_windows_the_helpers_create_but_change_no_mode(tmp_path, monkeypatch):
    monkeypatch.setattr(private, "POSIX", False)
    file = tmp_path / "f"
    file.touch()
    file.chmod(0o644)
    private.private_file(file)
    assert stat.S_IMODE(os.stat(file).st_mode) == 0o644
    assert private.private_file(tmp_path / "new").exists() and private.private_dir(tmp_path / "d").is_dir()

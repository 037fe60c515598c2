"""Safe restore: refused while another running copy holds the database (its later work would end up in
the ``.replaced`` file), and refused — with the reason, in both languages — for a file that is empty,
not SQLite, another application's, another office's or damaged; ``newest_good`` never offers one."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Visit
from pstdesktop import backup
from pstdesktop.bootstrap import open_url
from pstdesktop.config import sqlite_url
from pstdesktop.services.office import setup_office
from tests.conftest import OFFICE, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
HOLD = ("import sys, time; from pathlib import Path; from pstdesktop import instance; "
        "assert instance.claim(Path(sys.argv[1])) is None; print('held', flush=True); time.sleep(120)")


def db_file(office) -> Path:
    return Path(office.db.engine.url.database)


def visits(path: Path) -> int:
    db = open_url(sqlite_url(path))
    with db.unit_of_work() as s:
        count = s.scalar(select(func.count(Visit.id)))
    db.dispose()
    return count


def named_backup(folder: Path, day: int, kind: str = "manual") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"pst-202611{day:02d}T010000Z-{kind}.sqlite"


def refusal(backup_path: Path, live: Path) -> backup.RestoreRefused:
    with pytest.raises(backup.RestoreRefused) as caught:
        backup.restore(backup_path, live)
    return caught.value


def test_restore_is_refused_while_a_second_copy_runs_and_its_work_stays(office, tmp_path):
    live = db_file(office)
    taken = backup.take(live, tmp_path / "backups", "manual")
    office.walk_in()  # the other copy's work after the backup
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(live)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout.readline().strip() == "held"
        refused = refusal(taken.path, live)
        assert f"(proses {holder.pid})" in refused.message("id") and "ditolak" in refused.message("id")
        assert f"(process {holder.pid})" in refused.message("en") and "refused" in refused.message("en")
        assert not list(live.parent.glob("pst.sqlite.replaced-*"))
        assert visits(live) == 1
    finally:
        holder.kill()
        holder.wait()
    office.db.dispose()
    assert backup.restore(taken.path, live) is not None  # the holder is gone: the restore goes ahead
    assert visits(live) == 0


def test_empty_not_sqlite_and_foreign_files_are_refused_with_the_reason(office, tmp_path):
    live, folder = db_file(office), tmp_path / "backups"
    good = backup.take(live, folder, "daily", now=datetime(2026, 11, 1, tzinfo=UTC))
    empty = named_backup(folder, 20)
    empty.write_bytes(b"")
    text = named_backup(folder, 21)
    text.write_text("bukan basis data\n", encoding="utf-8")
    foreign = named_backup(folder, 22)
    with sqlite3.connect(foreign) as other:  # a sound SQLite file of another application
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        other.execute("INSERT INTO notes (body) VALUES ('belanja')")
    other.close()
    office.walk_in()
    for path, indonesian, english in ((empty, "kosong (0 byte)", "empty (0 bytes)"),
                                      (text, "bukan basis data SQLite", "not an SQLite database"),
                                      (foreign, "aplikasi lain", "another application's")):
        refused = refusal(path, live)
        assert indonesian in refused.message("id") and english in refused.message("en"), path.name
        assert path.name in refused.message("id")
    assert visits(live) == 1 and not list(live.parent.glob("pst.sqlite.replaced-*"))
    assert backup.newest_good(folder, live).path == good.path  # the newest three are never offered


def test_another_offices_backup_is_refused(office, tmp_path):
    live, folder = db_file(office), tmp_path / "backups"
    other = open_url(sqlite_url(tmp_path / "jambi.sqlite"))
    with other.unit_of_work() as s:
        setup_office(s, {**OFFICE, "name": "BPS Kota Jambi", "unit_code": "1571", "city": "Jambi",
                         "time_zone": "WIB"}, "kepala", "Kepala PST Jambi", PASSWORD)
    other.dispose()
    theirs = backup.take(tmp_path / "jambi.sqlite", folder, "manual")
    refused = refusal(theirs.path, live)
    assert "kantor lain (kode satuan 1571, bukan 8100)" in refused.message("id")
    assert "another office (unit code 1571, not 8100)" in refused.message("en")
    assert backup.newest_good(folder, live) is None


def test_a_damaged_backup_is_refused_and_skipped(office, tmp_path):
    live, folder = db_file(office), tmp_path / "backups"
    good = backup.take(live, folder, "daily", now=datetime(2026, 11, 1, tzinfo=UTC))
    broken = backup.take(live, folder, "daily", now=datetime(2026, 11, 2, tzinfo=UTC))
    raw = bytearray(broken.path.read_bytes())
    raw[4096:8192] = os.urandom(4096)  # a page of garbage in the middle
    broken.path.write_bytes(bytes(raw))
    refused = refusal(broken.path, live)
    assert "rusak" in refused.message("id") and "damaged" in refused.message("en")
    assert backup.newest_good(folder, live).path == good.path


def test_a_backup_without_an_office_does_not_replace_one_with_data(office, tmp_path):
    live, folder = db_file(office), tmp_path / "backups"
    fresh = open_url(sqlite_url(tmp_path / "fresh.sqlite"))
    fresh.dispose()
    empty_office = backup.take(tmp_path / "fresh.sqlite", folder, "manual")
    refused = refusal(empty_office.path, live)
    assert "tidak berisi profil kantor" in refused.message("id") and "holds no office" in refused.message("en")
    assert backup.newest_good(folder, live) is None

"""One copy of the application per SQLite database: a real second process holds the lock, this one is
told who holds it; a killed holder blocks nothing; commands that write are refused while read-only
ones run alongside; the read-only view reads what the holder writes and refuses every change."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from models import Account
from pstdesktop import cli, instance
from pstdesktop.bootstrap import open_read_only
from pstdesktop.services import guestbook
from pstdesktop.services.errors import StateError
from pstdesktop.services.office import create_account, login
from tests.conftest import PASSWORD, visitor_answers

ROOT = Path(__file__).resolve().parents[2]
HOLD = ("import sys, time; from pathlib import Path; from pstdesktop import instance; "
        "assert instance.claim(Path(sys.argv[1])) is None; print('held', flush=True); time.sleep(120)")


@pytest.fixture
def second_copy():
    """Start another process that holds the lock of a database file (as a running application does)."""
    started: list[subprocess.Popen] = []

    def start(file: Path) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", HOLD, str(file)], cwd=ROOT, stdout=subprocess.PIPE,
                                   text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        started.append(process)
        assert process.stdout.readline().strip() == "held"
        return process

    yield start
    for process in started:
        process.kill()
        process.wait()


def test_a_second_process_is_told_which_pc_and_user_hold_the_data(tmp_path, second_copy):
    file = tmp_path / "pst.sqlite"
    holder_process = second_copy(file)
    holder = instance.claim(file)
    assert holder is not None and not instance.holds(file)
    assert holder.pid == holder_process.pid and holder.host == platform.node() and holder.user
    sentence = holder.sentence("id", "WIT")
    assert f"pengguna {holder.user} di PC {holder.host}" in sentence and "WIT" in sentence
    assert str(holder_process.pid) in sentence
    assert holder.sentence("en").startswith("PST Desktop is already open on this data by user")
    assert instance.other_holder(file) == holder


def test_a_killed_holder_does_not_block_the_next_start(tmp_path, second_copy):
    file = tmp_path / "pst.sqlite"
    holder_process = second_copy(file)
    assert instance.claim(file) is not None
    holder_process.kill()  # a crash: no chance to clean up; the lock and holder files stay behind
    holder_process.wait()
    assert instance.lock_path(file).exists()
    try:
        assert instance.claim(file) is None and instance.holds(file)
        assert instance.read_holder(file).pid == os.getpid()  # the stale holder file was replaced
        assert instance.other_holder(file) is None  # held by this process: nobody else
    finally:
        instance.release(file)
    assert not instance.holds(file) and not instance.holder_path(file).exists()


def test_this_process_claims_once_and_frees_the_data_on_release(tmp_path):
    file = tmp_path / "pst.sqlite"
    assert instance.claim(file) is None
    assert instance.claim(file) is None  # a restart of the windows in the same process keeps its lock
    if os.name == "posix":  # private to the user, like the rest of the data folder
        assert instance.lock_path(file).stat().st_mode & 0o077 == 0
        assert instance.holder_path(file).stat().st_mode & 0o077 == 0
    probe = subprocess.run([sys.executable, "-c", HOLD.replace("time.sleep(120)", "pass"), str(file)], cwd=ROOT,
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert probe.returncode != 0  # another process cannot take it
    instance.release_all()
    probe = subprocess.run([sys.executable, "-c", HOLD.replace("time.sleep(120)", "pass"), str(file)], cwd=ROOT,
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert probe.returncode == 0 and probe.stdout.strip() == "held"


def test_unreadable_holder_file_still_names_a_second_copy(tmp_path, second_copy):
    file = tmp_path / "pst.sqlite"
    second_copy(file)
    instance.holder_path(file).write_text("{not json", encoding="utf-8")
    holder = instance.claim(file)
    assert holder == instance.Holder()
    assert "tidak diketahui" in holder.sentence("id") and "unknown" in holder.sentence("en")


def test_writing_commands_are_refused_while_read_only_ones_run_alongside(tmp_path, second_copy, capsys):
    data = tmp_path / "data"
    assert cli.main(["--data-dir", str(data), "demo"]) == 0
    capsys.readouterr()
    holder_process = second_copy(data / "pst.sqlite")
    assert cli.main(["--data-dir", str(data), "demo"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"(proses {holder_process.pid})" in err and f"(process {holder_process.pid})" in err
    assert "pst verify" in err
    assert cli.main(["--data-dir", str(data), "verify"]) == 0
    out_file = tmp_path / "laporan.xlsx"
    month = "2026-01"
    assert cli.main(["--data-dir", str(data), "export", "report", "--month", month, "--out", str(out_file)]) == 0
    assert out_file.exists()


def test_read_only_view_reads_the_holders_work_and_refuses_every_change(office, tmp_path):
    file = Path(office.db.engine.url.database)
    view = open_read_only(file)
    try:
        assert view.read_only
        with office.session() as s:  # the holder goes on working
            guestbook.register_visit(s, office.kiosk, visitor_answers(full_name="Siti Aminah"),
                                     "Konsultasi Statistik")
        with view.unit_of_work() as s:
            assert s.query(Account).count() == 4
            actor, error = login(s, "petugas", PASSWORD)
            assert actor is not None and error == ""
        with pytest.raises(StateError) as refused, view.unit_of_work() as s:
            guestbook.register_visit(s, office.kiosk, visitor_answers(), "Konsultasi Statistik")
        assert refused.value.code == "read_only"
        assert "hanya baca" in refused.value.message("id") and "Read-only" in refused.value.message("en")
        with pytest.raises(StateError), view.unit_of_work() as s:
            create_account(s, office.supervisor, "baru", "Akun Baru", office.officer.role, PASSWORD + "x")
        with pytest.raises(StateError), view.unit_of_work() as s:
            s.query(Account).filter(Account.username == "petugas").update({"active": False})
        with view.engine.connect() as raw, pytest.raises(Exception, match="readonly"):  # SQLite refuses too
            raw.exec_driver_sql("UPDATE account SET active = 0")
        with office.session() as s:
            assert s.query(Account).filter(Account.active.is_(True)).count() == 4
    finally:
        view.dispose()


def test_read_only_view_of_a_folder_named_with_a_space_and_a_hash(tmp_path):
    from sqlalchemy import func, select

    from models import Product
    from pstdesktop.bootstrap import open_url
    from pstdesktop.config import sqlite_url

    file = tmp_path / "PST Desktop #2" / "pst.sqlite"
    file.parent.mkdir()
    holder = open_url(sqlite_url(file))
    view = open_read_only(file)
    try:
        with view.unit_of_work() as s, holder.unit_of_work() as h:
            assert s.scalar(select(func.count(Product.id))) == h.scalar(select(func.count(Product.id))) > 0
    finally:
        view.dispose()
        holder.dispose()

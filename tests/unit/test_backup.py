"""Backups: a restore from each kind gives back exactly the data it was taken from; rotation keeps
7 daily, 4 weekly and 12 monthly; a damaged database is recognised and the newest good backup found."""

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models import Receipt, Visit
from pstdesktop import backup
from pstdesktop.bootstrap import open_url
from pstdesktop.config import sqlite_url
from pstdesktop.services import audit, billing, clock


def db_file(office):
    return backup.Path(office.db.engine.url.database)


def counts(path):
    db = open_url(sqlite_url(path))
    with db.unit_of_work() as s:
        result = (s.scalar(select(func.count(Visit.id))), s.scalar(select(func.count(Receipt.id))),
                  audit.verify(s))
    db.dispose()
    return result


@pytest.mark.parametrize("kind", ["daily", "exit", "manual"])
def test_restore_gives_back_exactly_the_backed_up_data(office, tmp_path, kind):
    _rid, payment_id = office.paid()
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
    taken = backup.take(db_file(office), tmp_path / "backups", kind)
    assert taken.kind == kind and backup.integrity_ok(taken.path)
    before = counts(db_file(office))
    office.paid(phone="081299990000")  # work done after the backup
    assert counts(db_file(office))[0] == before[0] + 1
    office.db.dispose()
    kept = backup.restore(taken.path, db_file(office))
    assert kept is not None and kept.exists()
    assert counts(db_file(office)) == before == (1, 1, [])


def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path, office):
    folder = tmp_path / "rot"
    start = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    for days in range(0, 400):
        backup.take(db_file(office), folder, "daily", now=start - timedelta(days=days))
    backup.take(db_file(office), folder, "manual", now=start)
    backup.rotate(folder, "WIT")
    kept = backup.listing(folder)
    daily = sorted({b.taken_at.date() for b in kept if b.kind == "daily"}, reverse=True)
    assert daily[:7] == [(start - timedelta(days=d)).date() for d in range(7)]
    weeks = {b.taken_at.date().isocalendar()[:2] for b in kept if b.kind == "daily"}
    months = {(b.taken_at.year, b.taken_at.month) for b in kept if b.kind == "daily"}
    assert len(months) == 12 and len(weeks) >= 4
    assert len(kept) <= 7 + 4 + 12 + 1
    assert any(b.kind == "manual" for b in kept)


def test_damaged_database_is_detected_and_newest_good_backup_found(office, tmp_path):
    folder = tmp_path / "b"
    old = backup.take(db_file(office), folder, "daily", now=datetime(2026, 11, 20, tzinfo=UTC))
    new = backup.take(db_file(office), folder, "daily", now=datetime(2026, 11, 22, tzinfo=UTC))
    new.path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # a broken newest backup
    office.db.dispose()
    damaged = db_file(office)
    raw = bytearray(damaged.read_bytes())
    raw[100:4096] = b"\x00" * (4096 - 100)
    damaged.write_bytes(bytes(raw))
    assert not backup.integrity_ok(damaged)
    assert backup.newest_good(folder).path == old.path
    with pytest.raises(RuntimeError):
        backup.restore(new.path, damaged)
    backup.restore(old.path, damaged)
    assert backup.integrity_ok(damaged)


def test_daily_backup_is_due_once_an_office_day(office, tmp_path):
    """The day turns at office midnight (00:00 WIT = 15:00 UTC), not at UTC midnight."""
    folder = tmp_path / "d"
    evening = datetime(2026, 12, 31, 14, 50, tzinfo=UTC)  # 23:50 WIT on 31-12-2026
    with clock.pinned(evening) as pin:
        assert backup.daily_due(folder, "WIT")
        backup.take(db_file(office), folder, "daily")
        assert not backup.daily_due(folder, "WIT")
        pin.move_to(datetime(2026, 12, 31, 15, 5, tzinfo=UTC))  # 00:05 WIT on 1-1-2027, UTC still 31-12
        assert backup.daily_due(folder, "WIT")
        backup.take(db_file(office), folder, "daily")
        assert not backup.daily_due(folder, "WIT")
        assert not backup.daily_due(folder, "WIB")  # 22:05 WIB on 31-12: both were taken that WIB day
        pin.move_to(datetime(2026, 12, 31, 23, 0, tzinfo=UTC))  # 08:00 WIT, 06:00 WIB on 1-1-2027
        assert not backup.daily_due(folder, "WIT")
        assert backup.daily_due(folder, "WIB")


def test_backups_leave_no_temporary_files(office, tmp_path):
    """A backup is one file: no ``.partial``, ``-wal`` or ``-shm`` beside it after taking, checking,
    finding or restoring it; the restored database is in WAL mode again once the application opens it."""
    folder = tmp_path / "clean"
    taken = [backup.take(db_file(office), folder, kind, now=datetime(2026, 11, 20 + i, tzinfo=UTC))
             for i, kind in enumerate(("daily", "exit", "manual"))]
    names = lambda: sorted(p.name for p in folder.iterdir())  # noqa: E731
    expected = sorted([b.path.name for b in taken] + [f"{b.path.name}.json" for b in taken])  # with manifests
    assert names() == expected
    assert all(b.path.read_bytes()[18:20] == b"\x01\x01" for b in taken)  # rollback journal, not WAL
    assert all(backup.integrity_ok(b.path) for b in taken) and backup.newest_good(folder) == taken[-1]
    assert names() == expected
    office.db.dispose()
    backup.restore(taken[0].path, db_file(office))
    assert names() == expected
    assert not list(db_file(office).parent.glob("*.restoring*"))
    db = open_url(sqlite_url(db_file(office)))
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    db.dispose()


def test_leftovers_of_earlier_versions_are_swept(office, tmp_path):
    """The ``-wal``/``-shm`` pairs earlier versions left in the folder go with the next backup; other
    files stay."""
    folder = tmp_path / "old"
    folder.mkdir()
    old = backup.take(db_file(office), folder, "daily", now=datetime(2026, 11, 20, tzinfo=UTC))
    stale = [folder / "pst-20261119T010000Z-daily.partial-wal", folder / "pst-20261119T010000Z-daily.partial-shm",
             old.path.with_name(old.path.name + "-wal"), old.path.with_name(old.path.name + "-shm")]
    for path in stale:
        path.write_bytes(b"")
    (folder / "catatan.txt").write_text("bukan cadangan")
    new = backup.take(db_file(office), folder, "manual", now=datetime(2026, 11, 21, tzinfo=UTC))
    assert sorted(p.name for p in folder.iterdir()) == sorted([old.path.name, new.path.name, "catatan.txt",
                                                               f"{old.path.name}.json", f"{new.path.name}.json"])



@pytest.mark.parametrize("later", [timedelta(milliseconds=700), timedelta(0)], ids=["same-second", "same-instant"])
@pytest.mark.parametrize("kinds", [("daily", "exit"), ("exit", "daily"), ("exit", "exit")])
def test_rotation_keeps_the_newest_of_backups_taken_in_the_same_second(office, tmp_path, later, kinds):
    """Two backups of one second (the day's, then an exit after more work): the newer stays, newest first."""
    folder = tmp_path / "same"
    at = datetime(2026, 11, 23, 1, 0, 0, 100000, tzinfo=UTC)
    with clock.pinned(at) as pin:
        older = backup.take(db_file(office), folder, kinds[0])
        office.paid()  # work the older copy does not hold
        pin.move_to(at + later)
        newer = backup.take(db_file(office), folder, kinds[1])
        assert older.path != newer.path and older.path.exists()
        assert backup.listing(folder)[0].path == newer.path
        backup.rotate(folder, "WIT")
    assert [b.path for b in backup.listing(folder)] == [newer.path]
    assert counts(newer.path)[0] == 1


def test_copies_of_backups_cut_short_are_swept_once_stale(office, tmp_path):
    """A ``.partial`` left by a backup process that was ended goes with the next backup once an hour old; one
    being written now (fresh) stays; neither is ever listed as a backup."""
    folder = tmp_path / "cut"
    folder.mkdir()
    stale, fresh = folder / "pst-20261119T010000.000000Z-exit.partial", folder / "pst-20261123T010000.000000Z-exit.partial"
    for path in (stale, fresh):
        path.write_bytes(b"SQLite format 3\x00")
    now = datetime(2026, 11, 23, 1, 0, 30, tzinfo=UTC)
    for path, written in ((stale, now - timedelta(days=4)), (fresh, now - timedelta(seconds=20))):
        os.utime(path, (written.timestamp(), written.timestamp()))
    assert backup.listing(folder) == []
    with clock.pinned(now):
        taken = backup.take(db_file(office), folder, "daily")
    assert not stale.exists() and fresh.exists()
    assert [b.path for b in backup.listing(folder)] == [taken.path]

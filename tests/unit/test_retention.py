"""Personal data is erased after the retention period; counts and money records stay."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import AuditEntry, Receipt, Visit, Visitor
from pstdesktop import backup
from pstdesktop.database import checkpoint
from pstdesktop.services import audit, billing, guestbook, retention
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import PermissionDenied, ValidationError
from tests.conftest import visitor_answers


def test_old_visitors_are_erased_recent_ones_kept(office):
    now = utcnow()
    with office.session() as s:
        guestbook.register_visit(s, office.kiosk, visitor_answers(full_name="Lama Sekali", phone="081200000001"),
                                 "Konsultasi Statistik", at=now - timedelta(days=2000))
    _rid, payment_id = office.paid(full_name="Baru Saja", phone="081200000002")
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
    with office.session() as s:
        assert retention.erase_expired(s, office.supervisor) == 1
    with office.session() as s:
        names = sorted(s.scalars(select(Visitor.full_name)))
        assert names == ["(data pribadi dihapus)", "Baru Saja"]
        old = s.scalar(select(Visitor).where(Visitor.erased_at.is_not(None)))
        assert (old.phone, old.email, old.id_document_number) == ("", "", "")
        assert old.occupation == "Peneliti/Dosen" and old.birth_year == 1983  # categories for statistics stay
        assert s.scalar(select(func.count(Visit.id))) == 2
        assert s.scalar(select(Receipt.received_from)) == "Baru Saja"
        assert guestbook.find_returning(s, office.kiosk, "081200000001") is None


def test_retention_setting_rules(office):
    with office.session() as s, pytest.raises(ValidationError):
        retention.set_retention(s, office.supervisor, 5)
    with office.session() as s, pytest.raises(PermissionDenied):
        retention.set_retention(s, office.officer, 400)
    with office.session() as s:
        assert retention.set_retention(s, office.supervisor, "400") == 400


def _old_visitor(office, name="Zulkarnain Wattimena", phone="081299887766", days=2000):
    with office.session() as s:
        guestbook.register_visit(s, office.kiosk, visitor_answers(full_name=name, phone=phone, email="zw@contoh.id"),
                                 "Konsultasi Statistik", at=utcnow() - timedelta(days=days))


def test_erasure_runs_by_itself_once_a_day_and_is_audited(office, office_time, time_machine):
    _old_visitor(office)
    with office.session() as s:
        assert retention.erase_due(s, office.office_id) == 1
    with office.session() as s:
        assert retention.erase_due(s, office.office_id) == 0  # a second start the same office day
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "visitor.erase_expired"))
        extra = entry.snapshot["_extra"]
        assert entry.actor_id is None and extra["automatic"] is True and extra["erased"] == 1
        assert len(extra["visitor_ids"]) == 1 and "Zulkarnain" not in str(entry.snapshot)
    _old_visitor(office, "Yakomina Latupeirissa", "081211223344")
    with office.session() as s:
        assert retention.erase_due(s, office.office_id) == 0  # already ran today
    time_machine.move_to(office_time + timedelta(days=1), tick=False)
    with office.session() as s:
        assert retention.erase_due(s, office.office_id) == 1
        assert audit.verify(s) == []


def test_erased_data_leaves_no_readable_copy_in_the_file(office):
    _old_visitor(office)
    file = Path(office.db.engine.url.database)
    with office.session() as s:
        assert retention.erase_due(s, office.office_id) == 1
    checkpoint(office.db.engine)
    raw = file.read_bytes() + (file.with_name(file.name + "-wal").read_bytes()
                               if file.with_name(file.name + "-wal").exists() else b"")
    for secret in (b"Zulkarnain", b"081299887766", b"zw@contoh.id"):
        assert secret not in raw


def test_backups_older_than_the_retention_period_are_pruned(office, tmp_path):
    folder, file, now = tmp_path / "prune", Path(office.db.engine.url.database), utcnow()
    recent = backup.take(file, folder, "manual", now=now - timedelta(days=10))
    old_manual = backup.take(file, folder, "manual", now=now - timedelta(days=60))
    old_monthly = backup.take(file, folder, "daily", now=now - timedelta(days=45))
    upgrade_copy = folder / "pre-upgrade-0004-20260101T000000Z.sqlite"
    upgrade_copy.write_bytes(file.read_bytes())
    os.utime(upgrade_copy, (now.timestamp() - 50 * 86400,) * 2)
    removed = backup.rotate(folder, "WIT", keep_days=30, now=now)
    assert set(removed) == {old_manual.path, old_monthly.path, upgrade_copy}
    assert [b.path for b in backup.listing(folder)] == [recent.path]
    assert backup.rotate(folder, "WIT", now=now) == []  # without a retention period nothing more goes

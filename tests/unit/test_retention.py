"""Personal data is erased after the retention period; counts and money records stay."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import Receipt, Visit, Visitor
from pstdesktop.services import billing, guestbook, retention
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

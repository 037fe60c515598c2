"""An office's SQLite data moved into a real PostgreSQL server keeps every row and still verifies."""

import pytest
from sqlalchemy import func, select

from models import AuditEntry, Receipt, ServiceRequest
from pstdesktop import transfer
from pstdesktop.bootstrap import open_url
from pstdesktop.cli import main
from pstdesktop.config import sqlite_url
from pstdesktop.services import audit, billing
from tests.conftest import Office


@pytest.mark.postgres
def test_demo_office_moves_to_postgresql(tmp_path, postgres_url):
    source = sqlite_url(tmp_path / "office.sqlite")
    assert main(["--database", source, "--data-dir", str(tmp_path), "demo"]) == 0
    assert transfer.check_connection(postgres_url) is None
    copied = transfer.copy_all(source, postgres_url)
    assert copied["receipt"] == 5 and copied["audit_entry"] > 100
    db = open_url(postgres_url)
    with db.unit_of_work() as s:
        assert audit.verify(s) == []
        assert s.scalar(select(func.count(ServiceRequest.id))) == 14
        assert s.scalar(select(func.count(AuditEntry.seq))) == copied["audit_entry"]
    db.dispose()
    # the office goes on working on the server: new ids and numbers continue after the copied ones
    office = Office.__new__(Office)
    office.db = open_url(postgres_url)
    from pstdesktop.services.office import login

    with office.db.unit_of_work() as s:
        office.officer, _ = login(s, "petugas", "demo-pst-2026")
        office.treasurer, _ = login(s, "bendahara", "demo-pst-2026")
        office.kiosk, _ = login(s, "kiosk", "demo-pst-2026")
    _rid, payment_id = office.paid(phone="081200001111")
    with office.db.unit_of_work() as s:
        receipt = billing.issue_receipt(s, office.treasurer, payment_id)
        assert receipt.sequence == 6
        assert s.scalar(select(func.count(Receipt.id))) == 6
        assert audit.verify(s) == []
    office.db.dispose()
    with pytest.raises(RuntimeError, match="not empty"):
        transfer.copy_all(source, postgres_url)


def test_unreachable_server_is_explained():
    reason = transfer.check_connection("postgresql://pst@127.0.0.1:9/pst")
    assert reason is not None and ("127.0.0.1" in reason or "refused" in reason.lower())

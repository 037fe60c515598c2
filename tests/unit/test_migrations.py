"""Schema changes only through Alembic: an empty database upgrades to head, and the models agree with it."""

import sqlite3
from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from models import Base, Deposit, DocumentCounter, Evidence, Payment, PaymentMethod, Receipt, SppdAgreement
from models.search import FTS_TABLE, include_name
from pstdesktop import demo, migrate
from pstdesktop.bootstrap import open_url
from pstdesktop.config import sqlite_url
from pstdesktop.database import make_engine
from pstdesktop.services import audit, billing, delivery, requests
from pstdesktop.services.clock import local, local_date
from pstdesktop.services.office import login


def test_empty_database_upgrades_to_head_and_matches_the_models(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "new.sqlite"))
    assert migrate.current_revision(engine) is None
    assert migrate.upgrade(engine, tmp_path / "backups") is None  # nothing to copy on a new database
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)
    with engine.connect() as conn:
        # the FTS5 search table and its shadow tables are no ORM models: the same hook as env.py skips them
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        assert compare_metadata(context, Base.metadata) == []
        assert FTS_TABLE in inspect(conn).get_table_names()
    engine.dispose()


def test_sqlite_pragmas(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "p.sqlite"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1  # freed pages are zeroed
    engine.dispose()


def test_an_older_database_is_copied_before_upgrade(tmp_path, monkeypatch):
    from alembic import command as alembic_command  # imported by migrate only when a migration runs

    path = tmp_path / "old.sqlite"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'older'")
        conn.exec_driver_sql("INSERT INTO product (code, kind, name_id, name_en, unit_id, unit_en, needs_region,"
                             " account_code, active) VALUES ('x', 'map', 'x', 'x', 'x', 'x', 0, '425439', 1)")
    # pretend the head moved on: the copy must be taken before the upgrade runs
    monkeypatch.setattr(migrate, "head_revision", lambda: "newer")
    calls = []
    monkeypatch.setattr(alembic_command, "upgrade", lambda config, rev: calls.append(rev))
    copy = migrate.upgrade(engine, tmp_path / "backups")
    assert calls == ["head"]
    assert copy is not None and copy.name.startswith("pre-upgrade-older-")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT code FROM product").fetchall() == [("x",)]
    engine.dispose()


def test_a_database_with_a_day_of_data_goes_down_to_0001_and_up_again_intact(tmp_path):
    """Migrations rebuild tables on SQLite while rows point at them (deposits, kuitansi, NTPN register):
    nothing is lost or left dangling, and the audit trail still verifies."""
    url = sqlite_url(tmp_path / "day.sqlite")
    database = open_url(url, tmp_path / "backups")
    demo.fill(database, tmp_path / "files")
    with database.unit_of_work() as s:
        treasurer, _ = login(s, "bendahara", demo.PASSWORD)
    with database.unit_of_work() as s:
        cash = [r.id for r in billing.undeposited_cash(s, treasurer)]
        day = s.scalar(select(func.max(Receipt.issued_at)))
    with database.unit_of_work() as s:
        billing.record_deposit(s, treasurer, cash, ntpn="DEPO000000000001", deposited_on=local_date(day, "WIT"))
    counts = {}
    with database.unit_of_work() as s:
        for model in (Payment, Receipt, Deposit):
            counts[model.__tablename__] = s.scalar(select(func.count()).select_from(model))
    database.dispose()
    engine = make_engine(url)
    migrate.migrate_to(engine, "0001", down=True)
    assert migrate.current_revision(engine) == "0001"
    migrate.migrate_to(engine, "head")
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # switched back on
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    engine.dispose()
    database = open_url(url, tmp_path / "backups")
    with database.unit_of_work() as s:
        for model in (Payment, Receipt, Deposit):
            assert s.scalar(select(func.count()).select_from(model)) == counts[model.__tablename__]
        transfer = s.scalars(select(Receipt).join(Payment, Payment.id == Receipt.payment_id)
                             .where(Payment.method == PaymentMethod.TRANSFER)).all()
        assert transfer and all(r.awaiting_deposit for r in transfer)  # on the receiving account: to deposit
        assert all(r.lines for r in s.scalars(select(Receipt)))  # amounts per account code filled in
        # going below 0010 drops the stored evidence (the payments keep the proof's name and SHA-256) and
        # the receiving accounts: only those rows differ from the trail
        assert all(len(p.proof_sha256) == 64 for p in s.scalars(select(Payment).where(
            Payment.method == PaymentMethod.TRANSFER)))
        assert {finding.entity for finding in audit.verify(s)} <= {"evidence", "receiving_account"}
    database.dispose()


def test_the_upgrade_to_0006_numbers_the_signed_sppds_in_signing_order(office, tmp_path):
    """A database from before SPPD numbers: every signed SPPD gets ``SPPD-nnnnn/unit/year`` in the order it
    was signed (not the order of the rows), the counter continues from there, and the next signing takes
    the next number."""
    requests_signed = [office.approved() for _ in range(3)]
    _ticket, unsigned = office.walk_in()
    with office.session() as s:
        requests.submit(s, office.officer, unsigned)
        requests.approve(s, office.officer, unsigned)
        agreements = [s.scalar(select(SppdAgreement).where(SppdAgreement.request_id == r)) for r in requests_signed]
        earliest = min(a.signed_at for a in agreements)
        agreements[2].signed_at = earliest - timedelta(hours=1)  # the last row was signed first
        order = [agreements[2].id, agreements[0].id, agreements[1].id]
        year = local(agreements[2].signed_at, "WIT").year
    url = str(office.db.engine.url)
    office.db.dispose()
    engine = make_engine(url)
    migrate.migrate_to(engine, "0005", down=True)
    with engine.connect() as conn:
        assert "number" not in {c["name"] for c in inspect(conn).get_columns("sppd_agreement")}
        assert conn.exec_driver_sql("SELECT count(*) FROM document_counter WHERE kind = 'sppd'").scalar() == 0
    migrate.migrate_to(engine, "head")
    engine.dispose()
    database = open_url(url, tmp_path / "backups")
    with database.unit_of_work() as s:
        numbers = {a.id: a.number for a in s.scalars(select(SppdAgreement))}
        assert [numbers[i] for i in order] == [f"SPPD-{n:05d}/8100/{year}" for n in (1, 2, 3)]
        assert s.scalar(select(DocumentCounter.last_number).where(DocumentCounter.kind == "sppd")) == 3
        assert audit.verify(s) == []
    with database.unit_of_work() as s:
        assert delivery.record_sppd(s, office.officer, unsigned).number == f"SPPD-00004/8100/{year}"
    database.dispose()


def test_the_upgrade_to_0010_imports_proof_files_still_there_and_keeps_the_path_of_the_others(office, tmp_path):
    """Before 0010 a transfer proof was a path on the PC that recorded it: a file still there is stored
    with the database (content-addressed) and linked; a missing one keeps its path and SHA-256."""
    from tests.unit.test_online_evidence import invoiced_online, pay_by_transfer, scan

    kept = tmp_path / "kept" / "bukti-a.pdf"
    kept.parent.mkdir()
    kept.write_bytes(b"%PDF-1.4 bukti A")
    payments = []
    for name, body in (("a.pdf", b"%PDF-1.4 bukti A"), ("b.pdf", b"%PDF-1.4 bukti B")):
        _rid, invoice_id = invoiced_online(office, tmp_path, f"sppd-{name}")
        payments.append(pay_by_transfer(office, invoice_id, scan(tmp_path, name, body), reference=f"TRF-{name}"))
    url = str(office.db.engine.url)
    office.db.dispose()
    engine = make_engine(url)
    migrate.migrate_to(engine, "0007", down=True)
    gone = str(tmp_path / "moved" / "bukti-b.pdf")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE payment SET proof_file = ? WHERE id = ?", (str(kept), payments[0]))
        conn.exec_driver_sql("UPDATE payment SET proof_file = ? WHERE id = ?", (gone, payments[1]))
    migrate.migrate_to(engine, "head")
    engine.dispose()
    database = open_url(url, tmp_path / "backups")
    with database.unit_of_work() as s:
        first, second = (s.get(Payment, p) for p in payments)
        stored = s.get(Evidence, first.proof_id)
        assert bytes(stored.content) == b"%PDF-1.4 bukti A" and stored.sha256 == first.proof_sha256
        assert stored.file_name == "bukti-a.pdf" and stored.media_type == "application/pdf"
        assert second.proof_id is None and second.proof_file == gone and len(second.proof_sha256) == 64
    database.dispose()

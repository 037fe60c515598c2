"""`pst verify`: rows changed, added or removed with plain SQL, and audit entries edited, are found."""

import pytest
from sqlalchemy import text

from pstdesktop.cli import main
from pstdesktop.services import audit, billing


@pytest.fixture
def receipted(office):
    _rid, payment_id = office.paid()
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
    return office


def findings(office) -> list[str]:
    with office.session() as s:
        return [str(f) for f in audit.verify(s)]


def tamper(office, sql: str):
    """Run the statements (separated by ``;``) as someone with the file would."""
    with office.db.engine.begin() as conn:
        for statement in sql.split(";"):
            conn.execute(text(statement))


def test_clean_database_verifies(receipted):
    assert findings(receipted) == []


@pytest.mark.parametrize(("sql", "expected"), [
    ("UPDATE receipt SET amount = 1", "receipt #1: changed behind the application's back (amount: 3000000 -> 1)"),
    ("UPDATE invoice SET total = 10", "invoice #1: changed"),
    ("UPDATE payment SET amount = 10", "payment #1: changed"),
    ("UPDATE service_request SET state = 'closed'", "service_request #1: changed"),
    ("UPDATE receipt SET number = '9999/054081/XI/2026'", "receipt #1: changed"),
    ("UPDATE tariff_line SET base_amount = 1 WHERE id = 2", "tariff_line #2: changed"),
    ("DELETE FROM receipt_search; DELETE FROM receipt", "receipt #1: row removed"),  # its search text first
])
def test_edited_or_removed_rows_are_reported(receipted, sql, expected):
    tamper(receipted, sql)
    assert any(f.startswith(expected) for f in findings(receipted)), findings(receipted)


def test_row_added_behind_the_back_is_reported(receipted):
    tamper(receipted, "INSERT INTO receipt (office_id, payment_id, year, sequence, number, issued_at, issued_by_id,"
           " received_from, amount, description, account_code, status, cancel_reason, awaiting_deposit) SELECT office_id,"
           " payment_id, year, 2, 'X', issued_at, issued_by_id, received_from, amount, description, account_code,"
           " status, cancel_reason, awaiting_deposit FROM receipt")
    assert any("not in the audit trail" in f for f in findings(receipted))


def test_edited_or_deleted_audit_entries_break_the_chain(receipted):
    tamper(receipted, "UPDATE audit_entry SET actor_name = 'someone else' WHERE seq = 3")
    assert any(f.startswith("audit_entry #3: entry altered") for f in findings(receipted))
    tamper(receipted, "DELETE FROM audit_entry WHERE seq = 5")
    assert any("missing" in f for f in findings(receipted))


def test_pst_verify_exit_codes(receipted, capsys):
    url = str(receipted.db.engine.url)
    assert main(["--database", url, "verify"]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "cocok dengan jejak audit (" in out and "every audited row matches the audit trail" in out
    tamper(receipted, "UPDATE receipt SET amount = 1")
    assert main(["--database", url, "verify"]) == 1
    out = capsys.readouterr().out
    assert "ditemukan 2 masalah / 2 problem(s) found" in out  # the row, and the balance carried from it
    assert "carried_balance #1: saldo yang dibawa tidak sama" in out and "receipted_held: 3000000 != 1" in out
    assert ("receipt #1: diubah di luar aplikasi (amount: 3000000 -> 1) / changed behind the application's back "
            "(amount: 3000000 -> 1)") in out


def test_verify_reads_one_snapshot_and_blocks_no_writer(receipted):
    """While verify holds its snapshot, the kiosk registers a visitor from another connection at once (no
    'database is locked'); verify judges the snapshot it started with, the next one sees the new rows."""
    import time

    from pstdesktop.services import guestbook, verification
    from tests.conftest import visitor_answers

    url = receipted.db.engine.url.render_as_string(hide_password=True)
    gathered = verification.gather(url)
    snapshot = verification.read_snapshot(receipted.db.engine)
    try:
        started = time.perf_counter()
        with receipted.session() as s:
            guestbook.register_visit(s, receipted.kiosk, visitor_answers(phone="081277776666"),
                                     "Konsultasi Statistik")
        assert time.perf_counter() - started < 5
        report = verification.check(snapshot, url=url, gathered=gathered)
        assert report.findings == []
    finally:
        snapshot.rollback()
        snapshot.close()
    later = verification.read_snapshot(receipted.db.engine)
    try:
        report_after = verification.check(later, url=url)
        assert report_after.findings == [] and report_after.head[0] > report.head[0]
    finally:
        later.rollback()
        later.close()


def test_verify_finds_a_carried_balance_changed_behind_the_application(receipted):
    assert findings(receipted) == []
    tamper(receipted, "UPDATE carried_balance SET paid_cash = paid_cash + 500")
    assert (f"carried_balance #{receipted.office_id}: carried balance differs from the sum of its movements "
            "(paid_cash: 3000500 != 3000000)") in findings(receipted)

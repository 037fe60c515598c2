"""Tampering as an auditor would try it (issue 11), with nothing but ``sqlite3``, ``hashlib`` and ``hmac``:
each change made with write access to the database file alone is reported by ``pst verify`` with exit 1,
naming the table, row and column; a damaged, truncated, empty or foreign file gives exit 2.

The application is used only to build the office's day beforehand and to run ``pst verify`` (a separate
process); the tampering functions below import nothing of it."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from pstdesktop import anchors
from pstdesktop.bootstrap import open_url
from pstdesktop.config import sqlite_url
from pstdesktop.database import checkpoint
from pstdesktop.services import billing, rowchunks
from tests.conftest import Office
from tests.unit.test_cli_faults import pst

# --- the attacker's tools: sqlite3 + hashlib/hmac only ----------------------------------------------------

COLUMNS = ("seq", "at", "actor_id", "actor_name", "action", "entity", "entity_id", "from_state", "to_state",
           "reason", "snapshot", "row_state", "digest")


def rechain(connection: sqlite3.Connection, key: bytes | None = None) -> int:
    """Recompute the whole chain, as the old rule had it (``sha256(prev + entry)``) or with a guessed key."""
    prev, count = "0" * 64, 0
    for row in connection.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_entry ORDER BY seq").fetchall():
        body = json.dumps(list(row), ensure_ascii=False, separators=(",", ":"))
        data = (prev + body).encode()
        new = hmac.new(key, data, hashlib.sha256).hexdigest() if key else hashlib.sha256(data).hexdigest()
        connection.execute("UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, new, row[0]))
        prev, count = new, count + 1
    return count


def head(connection: sqlite3.Connection) -> tuple[int, str]:
    return connection.execute("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1").fetchone()


def edit(path: Path, *statements: tuple[str, tuple] | str, key: bytes | None = None, recompute: bool = False) -> None:
    connection = sqlite3.connect(path)
    with connection:
        for statement in statements:
            sql, params = (statement, ()) if isinstance(statement, str) else statement
            connection.execute(sql, params)
        if recompute:
            rechain(connection, key)
    connection.close()


# --- the office's day, built once -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def day(tmp_path_factory) -> Path:
    """An office with three paid and receipted requests (cash), checkpointed into one file."""
    folder = tmp_path_factory.mktemp("day")
    path = folder / "pst.sqlite"
    database = open_url(sqlite_url(path), folder / "backups")
    office = Office(database)
    for phone in ("081200000001", "081200000002", "081200000003"):
        _rid, payment_id = office.paid(phone=phone)
        with office.session() as s:
            billing.issue_receipt(s, office.treasurer, payment_id)
    checkpoint(database.engine)
    database.dispose()
    return path


@pytest.fixture
def copy(day, tmp_path) -> Path:
    """The day's database in this test's own folder, with the anchor file the application kept for it."""
    target = tmp_path / "data" / "pst.sqlite"
    target.parent.mkdir()
    shutil.copyfile(day, target)
    source = anchors.anchor_file(sqlite_url(day))
    if source.exists():
        shutil.copyfile(source, anchors.anchor_file(sqlite_url(target)))
    return target


def verify(tmp_path: Path, path: Path, *args: str):
    return pst(tmp_path, "--database", sqlite_url(path), "verify", *args)


def tampered(result, *words: str) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    for word in words:
        assert word in output, output
    return output


# --- the cases of the issue ---------------------------------------------------------------------------------

def test_the_day_verifies(tmp_path, copy):
    result = verify(tmp_path, copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout


@pytest.mark.parametrize("key", [None, b"tebakan-kunci"], ids=["sha256", "guessed-key"])
def test_money_lowered_and_the_whole_chain_recomputed(tmp_path, copy, key):
    edit(copy, "UPDATE payment SET amount = amount - 1000000, cash_tendered = cash_tendered - 1000000 WHERE id = 1",
         "UPDATE receipt SET amount = amount - 1000000 WHERE payment_id = 1",
         "UPDATE invoice SET total = total - 1000000 WHERE id = (SELECT invoice_id FROM payment WHERE id = 1)",
         key=key, recompute=True)
    tampered(verify(tmp_path, copy, "--full"), "payment #1", "amount:", "receipt #1", "invoice #1", "altered")


def test_a_forged_kuitansi_with_a_forged_entry(tmp_path, copy):
    connection = sqlite3.connect(copy)
    with connection:
        connection.execute(
            "INSERT INTO receipt (office_id, payment_id, year, sequence, number, issued_at, issued_by_id, received_from,"
            " amount, description, account_code, status, cancel_reason, awaiting_deposit, lines) SELECT office_id,"
            " payment_id, year, 99, '0099/054081/XI/2026', issued_at, issued_by_id, 'Penerima Palsu', amount,"
            " description, account_code, status, cancel_reason, awaiting_deposit, lines FROM receipt WHERE id = 1")
        forged_id = connection.execute("SELECT max(id) FROM receipt").fetchone()[0]
        seq, prev = head(connection)
        row = json.dumps(["forged"])
        body = json.dumps([seq + 1, "2026-11-30 10:00:00.000000", None, "Bendahara", "receipt.issue", "receipt",
                           forged_id, "", "", "", "{}", row, "0" * 64])
        connection.execute(
            "INSERT INTO audit_entry (seq, at, actor_id, actor_name, action, entity, entity_id, from_state, to_state,"
            " reason, snapshot, row_state, digest, prev_hash, hash) VALUES (?, '2026-11-30 10:00:00.000000', NULL,"
            " 'Bendahara', 'receipt.issue', 'receipt', ?, '', '', '', '{}', ?, ?, ?, ?)",
            (seq + 1, forged_id, row, "0" * 64, prev, hashlib.sha256((prev + body).encode()).hexdigest()))
        connection.execute("UPDATE document_counter SET last_number = last_number + 1 WHERE kind = 'audit'")
    connection.close()
    tampered(verify(tmp_path, copy), f"receipt #{forged_id}", "not in the audit trail", f"audit_entry #{seq + 1}")


def _roll_back(path: Path) -> tuple[int, str, str]:
    """Delete the newest kuitansi and payment with their audit tail and lower the counters, so that the
    kuitansi number would be issued again; returns the head before, and the number removed."""
    connection = sqlite3.connect(path)
    with connection:
        before = head(connection)
        receipt_id, payment_id, number = connection.execute(
            "SELECT id, payment_id, number FROM receipt ORDER BY id DESC LIMIT 1").fetchone()
        first = connection.execute("SELECT min(seq) FROM audit_entry WHERE entity = 'payment' AND entity_id = ?",
                                   (payment_id,)).fetchone()[0]
        connection.execute("DELETE FROM receipt WHERE id = ?", (receipt_id,))
        connection.execute("DELETE FROM ntpn_use WHERE payment_id = ?", (payment_id,))
        connection.execute("DELETE FROM payment WHERE id = ?", (payment_id,))
        connection.execute("DELETE FROM audit_entry WHERE seq >= ?", (first,))
        connection.execute("UPDATE document_counter SET last_number = last_number - 1 WHERE kind = 'receipt'")
        connection.execute("UPDATE document_counter SET last_number = ? WHERE kind = 'audit'", (first - 1,))
        # the invoice of that payment back to unpaid, as it was at that point of the trail
        connection.execute("UPDATE invoice SET status = 'issued' WHERE id = (SELECT max(id) FROM invoice)")
    connection.close()
    return before[0], before[1], number


def test_a_rolled_back_tail_is_caught_by_the_anchor_file(tmp_path, copy):
    seq, _hash, _number = _roll_back(copy)
    tampered(verify(tmp_path, copy), f"{seq}:", "rolled back")


def test_paper_anchor(tmp_path, copy):
    connection = sqlite3.connect(copy)
    seq, full = head(connection)
    connection.close()
    anchors.anchor_file(sqlite_url(copy)).unlink()  # only the paper is left
    result = verify(tmp_path, copy, "--anchor", f"{seq}:{full[:16]}")
    assert result.returncode == 0, result.stdout + result.stderr
    wrong = verify(tmp_path, copy, "--anchor", f"{seq}:{'0' * 16}")
    tampered(wrong, f"{seq}:0000000000000000", "does not match")
    anchors.anchor_file(sqlite_url(copy)).unlink()
    _roll_back(copy)
    tampered(verify(tmp_path, copy, "--anchor", f"{seq}:{full[:16]}"), "rolled back")


# each column the old audit left out, changed behind the application's back
OUTSIDE = {
    "receipt.awaiting_deposit": ("UPDATE receipt SET awaiting_deposit = 0 WHERE id = 1", "receipt #1", "awaiting_deposit"),
    "receipt.issued_at": ("UPDATE receipt SET issued_at = '2026-10-01 02:00:00.000000' WHERE id = 1", "receipt #1",
                          "issued_at"),
    "receipt.lines": ("UPDATE receipt SET lines = '[]' WHERE id = 1", "receipt #1", "lines"),
    "invoice.lines": ("UPDATE invoice SET lines = '[]' WHERE id = 1", "invoice #1", "lines"),
    "payment.cash_tendered": ("UPDATE payment SET cash_tendered = cash_tendered + 50000 WHERE id = 1", "payment #1", "cash_tendered"),
    "payment.change_given": ("UPDATE payment SET change_given = 500000 WHERE id = 1", "payment #1", "change_given"),
    "payment.paid_at": ("UPDATE payment SET paid_at = '2026-10-01 02:00:00.000000' WHERE id = 1", "payment #1",
                        "paid_at"),
    "visitor.full_name": ("UPDATE visitor SET full_name = 'Orang Lain' WHERE id = 1", "visitor #1", "full_name"),
    "visitor.id_document_number": ("UPDATE visitor SET id_document_number = '8171010101010001' WHERE id = 1",
                                   "visitor #1", "id_document_number"),
    "visitor.birth_year": ("UPDATE visitor SET birth_year = 1950 WHERE id = 1", "visitor #1", "birth_year"),
    "account.password_hash": ("UPDATE account SET password_hash = (SELECT password_hash FROM account WHERE "
                              "username = 'petugas') WHERE username = 'kepala'", "account #1", "password_hash"),
    "account.failed_logins": ("UPDATE account SET failed_logins = 3 WHERE id = 2", "account #2", "failed_logins"),
    "office_profile.signing_key": ("UPDATE office_profile SET signing_key = randomblob(32)", "office_profile #1",
                                   "signing_key"),
    "tariff_line.base_amount": ("UPDATE tariff_line SET base_amount = 1 WHERE id = 1", "tariff_line #1",
                                "base_amount"),
    "document_counter": ("UPDATE document_counter SET last_number = last_number - 1 WHERE kind = 'receipt'",
                         "document_counter #", "last_number"),
    "visit": ("UPDATE visit SET purpose = 'lain' WHERE id = 1", "visit #1", "purpose"),
}


@pytest.mark.parametrize("case", OUTSIDE)
def test_each_column_outside_the_old_audit(tmp_path, copy, case):
    sql, where, column = OUTSIDE[case]
    edit(copy, sql)
    output = tampered(verify(tmp_path, copy), where, column)
    assert "changed behind the application's back" in output


def test_a_deleted_row_is_named(tmp_path, copy):
    edit(copy, "DELETE FROM poll_answer", "DELETE FROM visit WHERE id = 3")
    tampered(verify(tmp_path, copy), "visit #3", "row removed")


# --- damaged and foreign files: exit 2 -------------------------------------------------------------------------

def _damaged(result) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output and "OK" not in result.stdout
    return output


def test_random_bytes_in_the_middle(tmp_path, copy):
    content = bytearray(copy.read_bytes())
    middle = len(content) // 2
    content[middle:middle + 20480] = os.urandom(20480)
    copy.write_bytes(bytes(content))
    _damaged(verify(tmp_path, copy))
    for command in (["export", "report", "--month", "2026-11", "--out", str(tmp_path / "r.xlsx")],
                    ["document", "receipt", "0001/054081/XI/2026", "--out", str(tmp_path / "k.pdf")]):
        result = pst(tmp_path, "--database", sqlite_url(copy), *command)
        assert result.returncode == 2, result.stdout + result.stderr


def test_truncated_zero_length_and_foreign(tmp_path, copy):
    content = copy.read_bytes()
    copy.write_bytes(content[: len(content) // 3])
    _damaged(verify(tmp_path, copy))
    copy.write_bytes(b"")
    _damaged(verify(tmp_path, copy))
    copy.unlink()
    other = sqlite3.connect(copy)
    other.execute("PRAGMA application_id = 1179602516")
    other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    other.commit()
    other.close()
    output = _damaged(verify(tmp_path, copy))
    assert "another application" in output



# --- the checkpoint on the treasurer's closing sheet -------------------------------------------------------------

@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext (poppler)")
def test_the_closing_sheet_prints_a_checkpoint_that_verify_accepts(tmp_path, office):
    from pstdesktop import documents
    from pstdesktop.services import ledger
    from pstdesktop.services.office import office_today

    _rid, payment_id = office.paid()
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
        day = office_today(s, office.office_id)
    with office.session() as s:
        ledger.close_day(s, office.treasurer, day, "Kas dihitung bersama atasan.")
    with office.session() as s:
        pdf = documents.closing_pdf(s, office.treasurer, day)
    sheet = tmp_path / "penutupan.pdf"
    sheet.write_bytes(pdf)
    words = subprocess.run(["pdftotext", "-layout", str(sheet), "-"], capture_output=True, text=True).stdout
    match = re.search(r"Titik periksa jejak audit: (\d+:[0-9a-f]{16})", words)
    assert match, words
    path = Path(office.db.engine.url.database)
    checkpoint(office.db.engine)
    office.db.dispose()
    anchors.anchor_file(sqlite_url(path)).unlink()  # the paper alone
    result = verify(tmp_path, path, "--anchor", match.group(1))
    assert result.returncode == 0, result.stdout + result.stderr
    _roll_back(path)
    tampered(verify(tmp_path, path, "--anchor", match.group(1)), "rolled back")


def test_a_pc_without_the_key_is_told_how_to_import_it(tmp_path, copy, monkeypatch):
    """A second PC (another key folder) cannot verify or write: exit 2 naming pst audit-key; after the
    export/import it verifies."""
    other = tmp_path / "other-pc-keys"
    result = pst(tmp_path, "--database", sqlite_url(copy), "verify", env={"PST_KEY_DIR": str(other)})
    output = result.stdout + result.stderr
    assert result.returncode == 2 and "pst audit-key import" in output and "Traceback" not in output, output
    exported = tmp_path / "kunci.pstkey"
    assert pst(tmp_path, "audit-key", "export", str(exported)).returncode == 0
    assert pst(tmp_path, "audit-key", "import", str(exported), env={"PST_KEY_DIR": str(other)}).returncode == 0
    result = pst(tmp_path, "--database", sqlite_url(copy), "verify", env={"PST_KEY_DIR": str(other)})
    assert result.returncode == 0, result.stdout + result.stderr
    exported.write_text("PST-AUDIT-KEY 1\nabcd 00\n")
    bad = pst(tmp_path, "audit-key", "import", str(exported), env={"PST_KEY_DIR": str(other)})
    assert bad.returncode == 2 and "audit key file" in bad.stderr


# --- the daily check starts at its checkpoint; --full re-reads everything ----------------------------------------

def _clean(tmp_path: Path, path: Path, *args: str) -> str:
    result = verify(tmp_path, path, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _app_writes(path: Path) -> None:
    """A change made through the application after the checkpoint (audited at its commit)."""
    from models import Visit

    database = open_url(sqlite_url(path), path.parent / "backups")
    with database.unit_of_work() as s:
        s.get(Visit, 2).purpose = "Konsultasi Statistik"
    checkpoint(database.engine)
    database.dispose()


SINCE = {
    "amount": ("UPDATE payment SET amount = amount - 1000000 WHERE id = 1", "payment #1", "amount"),
    "nul-in-text": ("UPDATE visit SET purpose = purpose || char(0) || 'x' WHERE id = 1", "visit #1", "purpose"),
    "real-for-integer": ("UPDATE tariff_line SET base_amount = base_amount + 0.5 WHERE id = 1", "tariff_line #1",
                         "base_amount"),
    "blob-for-text": ("UPDATE receipt SET number = CAST(number AS BLOB) WHERE id = 1", "receipt #1", "number"),
    "visitor": ("UPDATE visitor SET phone = '081299999999' WHERE id = 2", "visitor #2", "phone"),
    "removed": ("DELETE FROM visit WHERE id = 3", "visit #3", "row removed"),
}


@pytest.mark.parametrize("case", SINCE)
def test_a_change_since_the_checkpoint_is_caught_by_the_daily_check(tmp_path, copy, case):
    """After a clean verify (its checkpoint and the rows' chunks saved) and work through the application,
    a change behind its back is caught by the daily check, which reads only the trail since then."""
    _clean(tmp_path, copy)
    assert rowchunks.path_of(sqlite_url(copy)).exists()
    _app_writes(copy)
    sql, where, word = SINCE[case]
    edit(copy, sql)
    output = tampered(verify(tmp_path, copy), where, word)
    assert "Traceback" not in output


def test_an_entry_altered_since_the_checkpoint_is_caught_daily(tmp_path, copy):
    _clean(tmp_path, copy)
    _app_writes(copy)
    connection = sqlite3.connect(copy)
    seq = head(connection)[0]
    connection.close()
    edit(copy, ("UPDATE audit_entry SET reason = 'dibetulkan' WHERE seq = ?", (seq,)))
    tampered(verify(tmp_path, copy), f"audit_entry #{seq}", "altered")


def test_an_entry_altered_before_the_checkpoint_is_caught_by_full(tmp_path, copy):
    """The daily check trusts the trail up to its checkpoint (verified then); --full re-reads it all."""
    _clean(tmp_path, copy)
    _app_writes(copy)
    edit(copy, "UPDATE audit_entry SET actor_name = 'Orang Lain' WHERE seq = 5")
    assert "the trail since checkpoint" in _clean(tmp_path, copy)
    tampered(verify(tmp_path, copy, "--full"), "audit_entry #5", "altered")


def test_a_rows_file_rewritten_without_the_key_is_not_trusted(tmp_path, copy):
    """Even one who could write the saved chunks cannot make a changed chunk count as unchanged."""
    _clean(tmp_path, copy)
    edit(copy, "UPDATE payment SET amount = amount - 1000000 WHERE id = 1")
    connection = sqlite3.connect(copy)
    columns = sorted(row[1] for row in connection.execute("PRAGMA table_info(payment)"))
    values = ", ".join(f'"{c}"' for c in columns)
    text, = connection.execute(f"SELECT group_concat(id || ',' || json_array({values}), char(30)) FROM payment"
                               ).fetchone()
    connection.close()
    file = rowchunks.path_of(sqlite_url(copy))
    saved = json.loads(file.read_text(encoding="utf-8"))
    saved["body"]["tables"]["payment"]["0"][0] = hashlib.sha256(text.encode()).hexdigest()
    file.write_text(json.dumps(saved), encoding="utf-8")
    tampered(verify(tmp_path, copy), "payment #1", "amount")

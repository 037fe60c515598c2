"""Shared fixtures: a migrated database (SQLite file, or a real PostgreSQL server), an office with
one account per role, helpers that walk a request through the procedure, and the clock.

The clock: ``PST_TEST_NOW=<ISO instant>`` starts the whole run at that instant (tests/run.sh runs the
unit and GUI tests a second time at one where UTC and the office are on different dates and years);
``office_time`` runs a test at each instant where dates go wrong (time-machine moves the clock of
the whole process, so the application's own clock follows)."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the audit key and anchor files of the run: never the user's own secret store or configuration folder;
# one folder for the run (each pytest-xdist worker its own) and the processes it spawns (they import
# this module again, with the worker's variables)
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if "PST_TEST_KEYS" not in os.environ or os.environ.get("PST_TEST_KEYS_OF", "") != _worker:
    os.environ["PST_TEST_KEYS"] = tempfile.mkdtemp(prefix=f"pst-test-keys-{_worker}")
    os.environ["PST_TEST_KEYS_OF"] = _worker
os.environ["PST_KEY_DIR"] = os.environ["PST_TEST_KEYS"]

from models import Channel, PaymentMethod, Role  # noqa: E402
from pstdesktop.bootstrap import Database, open_url  # noqa: E402
from pstdesktop.config import sqlite_url  # noqa: E402
from pstdesktop.services import billing, delivery, guestbook, requests  # noqa: E402
from pstdesktop.services.access import Actor, actor_of  # noqa: E402
from pstdesktop.services.office import create_account, setup_office  # noqa: E402
from tests.pg import postgres_server, postgres_url  # noqa: E402,F401  (fixtures)

OFFICE = {"name": "BPS Provinsi Maluku", "unit_code": "8100", "city": "Ambon", "time_zone": "WIT",
          "treasurer_name": "Maria Latuconsina", "treasurer_nip": "198507122009022003",
          "satker_code": "054081", "satker_name": "BPS Provinsi Maluku"}
PASSWORD = "rahasia-123"

# Instants where a UTC date, or the PC's, would be wrong; the test office is in WIT (UTC+9).
OFFICE_INSTANTS = {
    "afternoon": datetime(2026, 11, 18, 6, 0, tzinfo=UTC),            # Wed 18-11-2026 15:00 WIT
    "after-midnight": datetime(2026, 11, 24, 15, 30, tzinfo=UTC),     # Wed 25-11 00:30 WIT, UTC still 24-11
    "opening": datetime(2026, 11, 24, 23, 0, tzinfo=UTC),             # Wed 25-11 08:00 WIT, UTC still 24-11
    "month-end": datetime(2026, 11, 30, 14, 45, tzinfo=UTC),          # Mon 30-11 23:45 WIT
    "new-month": datetime(2026, 11, 30, 15, 15, tzinfo=UTC),          # Tue 01-12 00:15 WIT, UTC still 30-11
    "year-end": datetime(2026, 12, 31, 14, 45, tzinfo=UTC),           # Thu 31-12-2026 23:45 WIT
    "new-year": datetime(2026, 12, 31, 15, 15, tzinfo=UTC),           # Fri 01-01-2027 00:15 WIT, UTC 2026
    "leap-day": datetime(2028, 2, 29, 3, 0, tzinfo=UTC),              # Tue 29-02-2028 12:00 WIT
}


@pytest.fixture(autouse=True, scope="session")
def suite_clock():
    """The whole run at ``PST_TEST_NOW`` (the clock then runs on from it), else at the real time."""
    start = os.environ.get("PST_TEST_NOW")
    if not start:
        yield None
        return
    with time_machine.travel(datetime.fromisoformat(start), tick=True):
        yield start


@pytest.fixture
def office_hours(time_machine) -> datetime:
    """For a scenario that needs the office open for a while (visitors who arrived an hour ago are in
    today's queue): an ordinary afternoon, whatever the real hour. Ask for it before ``office``."""
    time_machine.move_to(OFFICE_INSTANTS["afternoon"], tick=True)
    return OFFICE_INSTANTS["afternoon"]


@pytest.fixture(params=list(OFFICE_INSTANTS))
def office_time(request, time_machine) -> datetime:
    """Run the test at each of OFFICE_INSTANTS (the clock ticks on from there). Ask for it before the
    ``office`` fixture so the office is set up at that instant too."""
    time_machine.move_to(OFFICE_INSTANTS[request.param], tick=True)
    return OFFICE_INSTANTS[request.param]


def visitor_answers(**overrides) -> dict:
    """A complete, valid guestbook entry."""
    answers = {
        "full_name": "Rahmat Hidayat", "gender": "Laki-laki", "institution": "Universitas Pattimura",
        "phone": "081243215678", "email": "rahmat@unpatti.ac.id", "occupation": "Peneliti/Dosen",
        "occupation_other": "", "birth_year": 1983, "education": "S2", "country": "Indonesia",
        "province": "Maluku", "regency": "Kota Ambon", "has_disability": False, "disability_type": "",
        "id_document_type": "KTP", "id_document_number": "8171011505830001", "consent": True,
    }
    answers.update(overrides)
    return answers


class Office:
    """A database with one office and an account for every role."""

    def __init__(self, db: Database):
        self.db = db
        with db.unit_of_work() as s:
            office, boss, _code = setup_office(s, OFFICE, "kepala", "Kepala PST", PASSWORD)
            self.office_id = office.id
            self.supervisor = actor_of(boss)
            self.officer = actor_of(create_account(s, self.supervisor, "petugas", "Yohanes Pattiasina",
                                                   Role.OFFICER, PASSWORD))
            self.treasurer = actor_of(create_account(s, self.supervisor, "bendahara", "Maria Latuconsina",
                                                     Role.TREASURER, PASSWORD))
            self.kiosk = actor_of(create_account(s, self.supervisor, "kiosk", "Kios", Role.KIOSK, PASSWORD))

    @property
    def actors(self) -> dict[Role, Actor]:
        return {Role.SUPERVISOR: self.supervisor, Role.OFFICER: self.officer, Role.TREASURER: self.treasurer,
                Role.KIOSK: self.kiosk}

    def session(self):
        return self.db.unit_of_work()

    def walk_in(self, items=(("microdata_raw", "Susenas Maret 2024 (KOR)", 150_000_000, ""),), **visitor):
        """A registered visit and a DRAFT walk-in request with ``items``; returns (ticket, request id)."""
        with self.session() as s:
            ticket = guestbook.register_visit(s, self.kiosk, visitor_answers(**visitor),
                                              "Pembelian Produk Statistik Berbayar")
        with self.session() as s:
            req = requests.open_request(s, self.officer, visitor_id=ticket.visitor_id, channel=Channel.WALK_IN,
                                        visit_id=ticket.visit_id,
                                        abstraction="Analisis kemiskinan rumah tangga untuk tesis magister.")
            for code, title, qty, region in items:
                requests.add_item(s, self.officer, req.id, product_code=code, title=title, quantity=qty,
                                  region=region, media="flashdisk")
            return ticket, req.id

    def approved(self, **kw) -> int:
        _ticket, rid = self.walk_in(**kw)
        with self.session() as s:
            requests.submit(s, self.officer, rid)
            requests.approve(s, self.officer, rid)
            delivery.record_sppd(s, self.officer, rid)
        return rid

    def paid(self, method=PaymentMethod.CASH, **kw) -> tuple[int, int]:
        """An approved, invoiced and cash-paid request: (request id, payment id)."""
        rid = self.approved(**kw)
        with self.session() as s:
            invoice = billing.issue_invoice(s, self.officer, rid)
        with self.session() as s:
            payment = billing.record_payment(s, self.treasurer, invoice.id, method=method, amount=invoice.total,
                                             cash_tendered=invoice.total, idempotency_key=f"pay-{rid}")
        return rid, payment.id


@pytest.fixture(scope="session")
def migrated_file(tmp_path_factory):
    """An SQLite file brought to the head revision by the migrations, once per run or pytest-xdist worker
    (they take a second or more a database): ``sqlite_db`` copies it, and the application then opens, seals and seeds the copy
    as it does any database of this version that is not sealed yet. Tests of creating or upgrading a
    database (first run, migrations) open new files themselves."""
    from pstdesktop import migrate
    from pstdesktop.database import make_engine

    file = tmp_path_factory.mktemp("template") / "migrated.sqlite"
    engine = make_engine(sqlite_url(file))
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    assert not file.with_name(file.name + "-wal").exists()
    return file


def migrated_url(file, template) -> str:
    """The URL of a new SQLite database at ``file``: a copy of the ``migrated_file`` template."""
    shutil.copyfile(template, file)
    return sqlite_url(file)


@pytest.fixture
def sqlite_db(tmp_path, migrated_file):
    db = open_url(migrated_url(tmp_path / "pst.sqlite", migrated_file), tmp_path / "backups")
    yield db
    db.dispose()


@pytest.fixture
def office(sqlite_db) -> Office:
    return Office(sqlite_db)


@pytest.fixture
def recovery_codes(monkeypatch) -> list[str]:
    """Recovery codes the GUI showed (the dialog is ticked and closed as a supervisor would)."""
    from PySide6.QtWidgets import QCheckBox, QDialog, QLabel

    from ui.recovery import RecoveryCodeDialog

    shown: list[str] = []

    def noted(dialog: RecoveryCodeDialog):
        shown.append(dialog.findChild(QLabel, "recoveryCode").text())
        dialog.findChild(QCheckBox, "recoveryNoted").setChecked(True)
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RecoveryCodeDialog, "exec", noted)
    return shown


@pytest.fixture
def data_file(tmp_path):
    """Write a prepared data file of ``size`` bytes and return its path."""

    def make(name: str, size: int = 2048, fill: bytes = b"x"):
        path = tmp_path / name
        path.write_bytes((fill * size)[:size])
        return path

    return make


def at(y, m, d, hh=0, mm=0, zone_hours=0) -> datetime:
    """A moment given in office time (UTC+zone_hours), as a UTC datetime."""
    return (datetime(y, m, d, hh, mm, tzinfo=UTC) - timedelta(hours=zone_hours))

"""Finding requests through the search index: every field, newest first, every match exactly once
across pages, nothing left out by a cap, erased personal data gone from the index, and an upgraded
database that finds its existing requests."""

import threading
from datetime import timedelta

from sqlalchemy import insert, select, text

from models import Account, Channel, RequestSearch, Role, ServiceRequest, Visitor
from models.search import FTS_TABLE, RECEIPT_FTS_TABLE
from pstdesktop import migrate
from pstdesktop.bootstrap import open_url
from pstdesktop.config import sqlite_url
from pstdesktop.services import billing, guestbook, ledger, online, requests, retention, search
from pstdesktop.services.access import actor_of
from pstdesktop.services.clock import utcnow
from tests.conftest import Office, visitor_answers


def ids(rows) -> list[int]:
    return [r.id for r in rows]


def check_every_field(office: Office) -> None:
    """Name part, institution, phone, email, request/invoice/kuitansi number, a short prefix, a name not
    there: shared by the SQLite test and the PostgreSQL one."""
    _ticket, other = office.walk_in(full_name="Siti Aminah", institution="Dinas Kesehatan Kota Ambon",
                              phone="085311112222", email="siti@dinkes.go.id")
    rid, payment_id = office.paid(full_name="Rahmat Hidayat", institution="Universitas Pattimura",
                                  phone="081243215678", email="rahmat@unpatti.ac.id")
    with office.session() as s:
        receipt = billing.issue_receipt(s, office.treasurer, payment_id)
        invoice = billing.invoice_for(s, rid)
        number = s.get(ServiceRequest, rid).number
    with office.session() as s:
        for key in ("idaya", "HIDAYAT", "Rahmat Hid", "pattimura", "Universitas", "4321567", "081243215678",
                    "unpatti.ac", "rahmat@unpatti.ac.id", number, number[-5:], invoice.number, receipt.number,
                    "ra"):
            assert ids(requests.find_requests(s, office.officer, key)) == [rid], key
        assert ids(requests.find_requests(s, office.officer, "si")) == [other]
        for key in ("Tidakada", "xy", "%", "_", '"', "hidayat%"):
            assert requests.find_requests(s, office.officer, key) == [], key
        assert requests.find_requests(s, office.officer, "  ") == []
        rows = online.search_rows(s, office.officer, "0812-4321-5678")
        assert [r.request_id for r in rows] == [rid] and rows[0].receipt_number == receipt.number


def test_search_by_every_field(office):
    check_every_field(office)


def test_todays_request_is_found_among_more_than_500_matching_visitors(office):
    """The old search looked at an arbitrary 500 of the matching visitors: today's Hidayat was missing."""
    now = utcnow()
    with office.session() as s:
        s.execute(insert(Visitor), [
            {**{k: v for k, v in visitor_answers(full_name=f"Hidayat Nomor {i}", phone=f"0813{i:08d}",
                                                 email=f"h{i}@contoh.id").items() if k != "consent"},
             "office_id": office.office_id, "created_at": now - timedelta(days=900)} for i in range(600)])
    _ticket, rid = office.walk_in(full_name="Hidayat Hari Ini", phone="081377770000")
    with office.session() as s:
        found = requests.find_requests(s, office.officer, "Hidayat")
        assert ids(found) == [rid]
        assert [r.request_id for r in online.search_rows(s, office.officer, "hidayat")] == [rid]


def test_pages_return_every_match_once_newest_first(office):
    made = [office.walk_in(full_name=f"Pemohon Wattimena {i}", phone=f"08120000{i:04d}")[1] for i in range(7)]
    office.walk_in(full_name="Orang Lain", phone="081399990000")
    with office.session() as s:
        seen, before = [], None
        while True:
            page = requests.find_requests(s, office.officer, "wattimena", limit=3, before=before)
            if not page:
                break
            assert len(page) <= 3
            seen.extend(ids(page))
            before = page[-1].id
        assert seen == sorted(made, reverse=True)
        short, before = [], None  # the prefix index (under 3 characters) pages the same way
        while page := requests.find_requests(s, office.officer, "pe", limit=2, before=before):
            short.extend(ids(page))
            before = page[-1].id
        assert short == sorted(made, reverse=True)


def _fts_terms(session, table: str = "request_search_fts") -> set[str]:
    session.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_terms USING fts5vocab(main, {table}, row)"))
    return set(session.scalars(text(f"SELECT term FROM temp.{table}_terms")))


def test_erasure_removes_the_person_from_the_search_index(office):
    with office.session() as s:
        ticket = guestbook.register_visit(s, office.kiosk, visitor_answers(
            full_name="Qxavier Zjoqwe", phone="089912345678", email="qzj@qvx.id"),
            "Konsultasi Statistik", at=utcnow() - timedelta(days=2000))
    with office.session() as s:
        old = requests.open_request(s, office.officer, visitor_id=ticket.visitor_id, channel=Channel.WALK_IN,
                                    visit_id=ticket.visit_id, abstraction="Kajian lama tentang kemiskinan.")
        number = old.number
    with office.session() as s:
        assert ids(requests.find_requests(s, office.officer, "zjoqwe")) == [old.id]
        assert "zjo" in _fts_terms(s)
    with office.session() as s:
        assert retention.erase_expired(s, office.supervisor) == 1
    with office.session() as s:
        for key in ("zjoqwe", "Qxavier", "089912345678", "qzj@qvx", "dihapus"):
            assert requests.find_requests(s, office.officer, key) == [], key
        assert ids(requests.find_requests(s, office.officer, number)) == [old.id]  # the number stays
        assert ids(requests.find_requests(s, office.officer, "pattimura")) == [old.id]  # a statistics category
        stored = s.scalar(select(RequestSearch.haystack).where(RequestSearch.request_id == old.id))
        assert "zjoqwe" not in stored and "0899" not in stored
        terms = _fts_terms(s)
        assert not {"zjo", "joq", "qxa", "qzj", "899"} & terms  # gone from the index, not only marked


def test_erasure_removes_the_person_from_the_kuitansi_search_index(office):
    _rid, payment_id = office.paid(full_name="Qxavier Zjoqwe", phone="089912345678", email="qzj@qvx.id")
    with office.session() as s:
        receipt = billing.issue_receipt(s, office.treasurer, payment_id)
    with office.session() as s:
        assert [r.number for r in ledger.receipts(s, office.treasurer, "zjoqwe").rows] == [receipt.number]
    with office.session() as s:
        assert retention.erase_expired(s, office.supervisor, now=utcnow() + timedelta(days=40_000)) == 1
    with office.session() as s:
        for key in ("zjoqwe", "Qxavier", "089912345678", "qzj@qvx"):
            assert ledger.receipts(s, office.treasurer, key).rows == [], key
        assert [r.number for r in ledger.receipts(s, office.treasurer, receipt.number).rows] == [receipt.number]
        assert not {"zjo", "joq", "qxa", "qzj", "899"} & _fts_terms(s, "receipt_search_fts")


def test_upgrade_fills_the_index_for_existing_requests(tmp_path):
    url = sqlite_url(tmp_path / "old.sqlite")
    office = Office(open_url(url, tmp_path / "backups"))
    rid, payment_id = office.paid(full_name="Yosua Manuputty", phone="081299990000", email="yosua@contoh.id")
    with office.session() as s:
        receipt = billing.issue_receipt(s, office.treasurer, payment_id)
    other = office.walk_in(full_name="Lea Sahetapy")[1]
    with office.session() as s:
        written = dict(s.execute(select(RequestSearch.request_id, RequestSearch.haystack)).all())
    assert set(written) == {rid, other}
    office.db.dispose()
    engine = office.db.engine
    migrate.migrate_to(engine, "0007", down=True)
    with engine.connect() as conn:
        assert "request_search" not in {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    engine.dispose()
    office = Office.__new__(Office)
    office.db = open_url(url, tmp_path / "backups")
    with office.db.unit_of_work() as s:
        officer = _officer(s)
        assert dict(s.execute(select(RequestSearch.request_id, RequestSearch.haystack)).all()) == written
        assert ids(requests.find_requests(s, officer, "manuputty")) == [rid]
        assert ids(requests.find_requests(s, officer, receipt.number)) == [rid]
        assert ids(requests.find_requests(s, officer, "universitas")) == [other, rid]
        treasurer = actor_of(s.scalar(select(Account).where(Account.role == Role.TREASURER)))
        assert [r.number for r in ledger.receipts(s, treasurer, "manuputty").rows] == [receipt.number]
    office.db.dispose()


def _officer(session):
    return actor_of(session.scalar(select(Account).where(Account.role == Role.OFFICER)))


def test_a_key_of_letters_and_digits_asks_the_index_for_the_part_around_its_digits(office):
    """``setiawan89863``: thousands of names share the letter trigrams, few the ones with a digit; the rows
    found by those are checked against the whole key, so nothing else comes back."""
    assert search._around_digits("setiawan89863") == ["an89863"]
    assert search._around_digits("budi2santoso") == ["di2sa"]
    assert search._around_digits("081243215678") == [] and search._around_digits("hidayat") == []
    _t, budi = office.walk_in(full_name="Budi Setiawan", email="budi.setiawan89863@contoh.id", phone="081211110001")
    _t, andi = office.walk_in(full_name="Andi Kurniawan", email="andi.kurniawan89863@contoh.id", phone="081211110002")
    _t, _other = office.walk_in(full_name="Budi Setiawan", email="budi.setiawan1@contoh.id", phone="081211110003")
    with office.session() as s:
        assert ids(requests.find_requests(s, office.officer, "Setiawan89863")) == [budi]
        assert ids(requests.find_requests(s, office.officer, "wan89863")) == [andi, budi]
        assert ids(requests.find_requests(s, office.officer, "setiawan89864")) == []
        assert [r.receipt_id for r in ledger.receipts(s, office.treasurer, "setiawan89863", limit=5).rows] == []


def segments(engine, fts: str) -> int:
    """The number of b-trees (segments) FTS5 keeps for an index: every one is asked for every trigram."""
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"SELECT count(DISTINCT segid) FROM {fts}_idx").scalar()


def test_tidy_merges_the_index_into_one_segment_in_steps_and_finds_the_same(office):
    made = [office.walk_in(full_name=f"Pemohon Tahir {i}", phone=f"08125555{i:04d}")[1] for i in range(24)]
    for i in range(6):
        _rid, payment_id = office.paid(full_name=f"Pembayar Tahir {i}", phone=f"08126666{i:04d}")
        with office.session() as s:
            billing.issue_receipt(s, office.treasurer, payment_id)
    engine = office.db.engine
    before = {fts: segments(engine, fts) for fts in (FTS_TABLE, RECEIPT_FTS_TABLE)}
    assert before[FTS_TABLE] > 1 and before[RECEIPT_FTS_TABLE] > 1  # one small segment per write, some merged
    with office.session() as s:
        found = {key: ids(requests.find_requests(s, office.officer, key)) for key in ("tahir", "55550007", "Pembayar")}
        receipts = [r.receipt_id for r in ledger.receipts(s, office.treasurer, "tahir", limit=10).rows]
    stopped = threading.Event()
    stopped.set()
    assert search.tidy(engine, stop=stopped) == 0  # a quit before the first step: nothing done
    assert search.tidy(engine) > 2
    assert {fts: segments(engine, fts) for fts in before} == {FTS_TABLE: 1, RECEIPT_FTS_TABLE: 1}
    assert search.tidy(engine) == 2  # one step per index that finds nothing left to merge
    with office.session() as s:
        assert {key: ids(requests.find_requests(s, office.officer, key)) for key in found} == found
        assert [r.receipt_id for r in ledger.receipts(s, office.treasurer, "tahir", limit=10).rows] == receipts
    assert found["tahir"][-24:] == made[::-1] and len(receipts) == 6

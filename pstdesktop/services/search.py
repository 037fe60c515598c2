"""Finding requests and kuitansi by the requester's name, institution, phone or email, or by a request,
invoice or kuitansi number, through indexes made for it: one lower-cased text per request
(``request_search``) and the same text per kuitansi of that request (``receipt_search``), searched with
SQLite FTS5 trigrams or PostgreSQL ``pg_trgm``. Newest first, keyset-paged, never capped.

The texts are kept in step after every flush that opens a request, issues an invoice or kuitansi, or
changes (or erases) a visitor's name, institution, phone or email — whatever service wrote it."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, Integer, delete, event, insert, inspect, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, sessionmaker

from models import (
    Invoice,
    OfficeProfile,
    Payment,
    Receipt,
    ReceiptSearch,
    RequestSearch,
    ServiceRequest,
    Visitor,
)
from models.search import FTS_TABLE, RECEIPT_FTS_TABLE

TRIGRAM = 3  # the trigram index matches 3 characters or more; shorter text uses the prefix index
VISITOR_FIELDS = ("full_name", "institution", "phone", "email", "erased_at")


@dataclass(frozen=True)
class Index:
    """One search index: its table, the id it is keyed by (newest = highest) and its FTS5 table."""
    model: type
    fts: str

    @property
    def id(self):
        return next(iter(self.model.__table__.primary_key.columns))


REQUESTS = Index(RequestSearch, FTS_TABLE)
RECEIPTS = Index(ReceiptSearch, RECEIPT_FTS_TABLE)


def haystack(name: str, institution: str, phone: str, email: str, erased: bool, numbers: Iterable[str]) -> str:
    """The searchable text of one request: personal fields only while they are not erased."""
    parts = [institution] if erased else [name, institution, phone, email]
    return "\n".join(p.strip().lower() for p in [*parts, *numbers] if p and p.strip())


def refresh(session: Session, request_ids: Iterable[int]) -> None:
    """Write again the searchable text of these requests and of their kuitansi (SQLite's FTS tables
    follow by triggers)."""
    ids = sorted(set(request_ids))
    for start in range(0, len(ids), 500):
        _refresh(session, ids[start:start + 500])


def _refresh(session: Session, ids: list[int]) -> None:
    numbers: dict[int, list[str]] = {i: [] for i in ids}
    for request_id, number in session.execute(
            select(Invoice.request_id, Invoice.number).where(Invoice.request_id.in_(ids)).order_by(Invoice.id)):
        numbers[request_id].append(number)
    receipts = session.execute(
        select(Invoice.request_id, Receipt.number, Receipt.id, Receipt.office_id)
        .join(Payment, Payment.invoice_id == Invoice.id).join(Receipt, Receipt.payment_id == Payment.id)
        .where(Invoice.request_id.in_(ids)).order_by(Receipt.id)).all()
    for request_id, number, _receipt_id, _office_id in receipts:
        numbers[request_id].append(number)
    texts = {rid: (office_id, haystack(name, institution, phone, email, erased_at is not None,
                                       [number, *numbers[rid]]))
             for rid, office_id, number, name, institution, phone, email, erased_at in session.execute(
                 select(ServiceRequest.id, ServiceRequest.office_id, ServiceRequest.number, Visitor.full_name,
                        Visitor.institution, Visitor.phone, Visitor.email, Visitor.erased_at)
                 .join(Visitor, Visitor.id == ServiceRequest.visitor_id).where(ServiceRequest.id.in_(ids)))}
    session.execute(delete(RequestSearch).where(RequestSearch.request_id.in_(ids)))
    if texts:
        session.execute(insert(RequestSearch), [{"request_id": rid, "office_id": office_id, "haystack": text}
                                                for rid, (office_id, text) in texts.items()])
    if receipts:
        session.execute(delete(ReceiptSearch).where(ReceiptSearch.receipt_id.in_([r[2] for r in receipts])))
        session.execute(insert(ReceiptSearch), [{"receipt_id": receipt_id, "office_id": office_id,
                                                 "haystack": texts[rid][1]}
                                                for rid, _number, receipt_id, office_id in receipts])


def _touched(session: Session) -> set[int]:
    """Requests whose searchable text the pending flush changes (read in ``after_flush``)."""
    requests: set[int] = set()
    visitors: set[int] = set()
    invoices: set[int] = set()
    payments: set[int] = set()
    for obj in session.new:
        if isinstance(obj, ServiceRequest):
            requests.add(obj.id)
        elif isinstance(obj, Invoice):
            requests.add(obj.request_id)
        elif isinstance(obj, Receipt):
            payments.add(obj.payment_id)
    for obj in session.dirty:
        if isinstance(obj, Visitor):
            state = inspect(obj)
            if any(state.attrs[f].history.has_changes() for f in VISITOR_FIELDS):
                visitors.add(obj.id)
        elif isinstance(obj, ServiceRequest) and inspect(obj).attrs.visitor_id.history.has_changes():
            requests.add(obj.id)
        elif isinstance(obj, Invoice) and inspect(obj).attrs.number.history.has_changes():
            invoices.add(obj.id)
    if visitors:
        requests.update(session.scalars(select(ServiceRequest.id).where(ServiceRequest.visitor_id.in_(visitors))))
    if payments:
        requests.update(session.scalars(select(Invoice.request_id).join(Payment, Payment.invoice_id == Invoice.id)
                                        .where(Payment.id.in_(payments))))
    if invoices:
        requests.update(session.scalars(select(Invoice.request_id).where(Invoice.id.in_(invoices))))
    return requests


def keep_in_step(factory: sessionmaker[Session]) -> None:
    """Refresh the searchable text after every flush of this factory's sessions that touches it."""
    def after_flush(session: Session, _context) -> None:
        touched = _touched(session)
        if touched:
            refresh(session, touched)

    event.listen(factory, "after_flush", after_flush)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


ROMAN_MONTHS = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"}
NUMBER_WORDS = {"pst", "inv"}


def _distinctive_runs(session: Session, office_id: int, key: str) -> list[str]:
    """For a key made of several parts, the parts worth asking the trigram index for, when some part is
    shared by every number of the office (its unit or satker code, a year, PST/INV, a Roman month): such
    trigrams are in every request, so the index is asked for the rest and the whole key is checked on
    the rows found. Empty when the whole key is to be asked for."""
    runs = [r for r in re.split(r"[^0-9a-z]+", key) if r]
    if len(runs) < 2:
        return []
    office = session.get(OfficeProfile, office_id)
    common = NUMBER_WORDS | ROMAN_MONTHS | {office.unit_code.lower(), office.satker_code.lower()}
    kept = [r for r in runs if len(r) >= TRIGRAM and r not in common and not re.fullmatch(r"(19|20)\d\d", r)]
    return kept if kept and len(kept) < len(runs) else []


def _around_digits(key: str) -> list[str]:
    """For a key of letters and digits (an email's ``setiawan89863``), the part of it whose trigrams hold a
    digit: letter trigrams are shared by thousands of names and each one the index is asked for costs its
    whole list, those with a digit are shared by few. Empty when that part is the whole key or too short."""
    digits = [i for i, character in enumerate(key) if character.isdigit()]
    if not digits or len(digits) == len(key):
        return []
    part = key[max(0, digits[0] - TRIGRAM + 1):digits[-1] + TRIGRAM]
    return [part] if len(part) >= TRIGRAM and part != key else []


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def newest(session: Session, office_id: int, text: str, *, limit: int, before: int | None = None,
           index: Index = REQUESTS):
    """A subquery (column ``id``) of the ``limit`` newest requests (or kuitansi, by ``index``) whose
    searchable text contains ``text`` (case-insensitive), those below id ``before`` when it is given;
    None for blank text. Under 3 characters: text that starts with it. Order by ``id`` descending."""
    key = _key(text)
    if not key:
        return None
    fts = _fts(session, index, office_id, key, before)
    if fts is not None:
        sql, params = fts
        return (sql_text(f"{sql} ORDER BY f.rowid LIMIT :limit").bindparams(**params, limit=limit)
                .columns(id=Integer).subquery())
    return _like(session, index, office_id, key, before).order_by(index.id.desc()).limit(limit).subquery()


def matching(session: Session, office_id: int, text: str):
    """A select of the ids (``id``) of the requests whose searchable text contains ``text``, in no order
    and uncapped — to filter another list by (the treasurer's invoices); None for blank text. Under 3
    characters: text that starts with it."""
    key = _key(text)
    if not key:
        return None
    fts = _fts(session, REQUESTS, office_id, key, None)
    if fts is not None:
        sql, params = fts
        return sql_text(sql).bindparams(**params).columns(id=Integer)
    return _like(session, REQUESTS, office_id, key, None)


def _key(text: str) -> str:
    return " ".join((text or "").lower().split())


def _fts(session: Session, index: Index, office_id: int, key: str, before: int | None) -> tuple[str, dict] | None:
    """The FTS5 trigram query of a key of 3 characters or more (SQLite), unordered; else None. The FTS
    rowid is the negated id: newest first is ascending rowid, which FTS5 reads forward a page at a time."""
    if len(key) < TRIGRAM or session.get_bind().dialect.name != "sqlite":
        return None
    runs = _distinctive_runs(session, office_id, key) or _around_digits(key)
    sql = (f"SELECT -f.rowid AS id FROM {index.fts} f JOIN {index.model.__tablename__} s"
           f" ON s.{index.id.name} = -f.rowid WHERE {index.fts} MATCH :match AND s.office_id = :office"
           + (" AND instr(s.haystack, :key) > 0" if runs else "")
           + (" AND f.rowid > -:before" if before is not None else ""))
    match = " AND ".join(_phrase(run) for run in runs) if runs else _phrase(key)
    return sql, {"match": match, "office": office_id, **({"key": key} if runs else {}),
                 **({"before": before} if before is not None else {})}


def _like(session: Session, index: Index, office_id: int, key: str, before: int | None):
    """The ``pg_trgm`` (PostgreSQL) or prefix (short keys) query of a key, unordered."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    table = index.model
    query = select(index.id.label("id")).where(table.office_id == office_id)
    if len(key) >= TRIGRAM or not sqlite:
        pattern = _escape_like(key) + "%" if len(key) < TRIGRAM else "%" + _escape_like(key) + "%"
        query = query.where(table.haystack.like(pattern, escape="\\"))
    else:  # a range over the B-tree index: the text starts with the key
        query = query.where(table.haystack >= key, table.haystack < key[:-1] + chr(ord(key[-1]) + 1))
    if before is not None:
        query = query.where(index.id < before)
    return query


MERGE_PAGES = 500  # FTS5 pages merged per step of ``tidy``: each step a short write


def tidy(engine: Engine, stop: threading.Event | None = None) -> int:
    """Merge the segments of each FTS index into one, a step at a time (FTS5's incremental ``merge`` with a
    negative size: in the end what ``optimize`` does, but each step is its own short write transaction, so
    a staff member's save never waits for it). A search asks every segment for every trigram: a day's
    single-request writes leave many small segments, and after years a phrase costs twice as much. Stops
    between steps once ``stop`` is set. SQLite only; returns the steps taken."""
    if engine.dialect.name != "sqlite":
        return 0
    steps = 0
    for fts in (FTS_TABLE, RECEIPT_FTS_TABLE):
        worked = True
        while worked and not (stop is not None and stop.is_set()):
            with engine.begin() as connection:
                driver = connection.connection.driver_connection
                before = driver.total_changes
                connection.exec_driver_sql(f"INSERT INTO {fts}({fts}, rank) VALUES ('merge', -{MERGE_PAGES})")
                worked = driver.total_changes - before >= 2  # FTS5's sign that the step merged something
            steps += 1
    return steps


def optimize(session: Session) -> None:
    """Merge the FTS indexes so that erased text is gone from them, not only marked deleted (SQLite)."""
    if session.get_bind().dialect.name == "sqlite":
        for fts in (FTS_TABLE, RECEIPT_FTS_TABLE):
            session.execute(sql_text(f"INSERT INTO {fts}({fts}) VALUES ('optimize')"))

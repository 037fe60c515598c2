"""Does the officer's staff window open as quickly with five years of history behind it?

Two SQLite databases get the same office and the same "today" (a morning's queue, open walk-in and
online requests). One of them also gets five past years, bulk-inserted with SQLAlchemy core:
visitors, their visits with daily queue numbers, requests in final states with their items, and the
invoices, payments and receipts of the paid ones. Then, in one process, it times what the staff
window reads when it opens or refreshes (today's queue and its counts, the request of each visitor,
the online board, every open request, one search) and building the window itself offscreen, and
prints the medians and the ratio history / empty (the aim is under 1.5x). Asserts nothing.

    .venv/bin/python benchmarks/queue_history.py [--visits-per-day 40] [--years 5] [--repeat 15]"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import insert, select  # noqa: E402

from models import (  # noqa: E402
    Channel,
    DocumentStatus,
    Invoice,
    Payment,
    PaymentMethod,
    Product,
    Receipt,
    RequestItem,
    RequestState,
    Role,
    ServiceRequest,
    Visit,
    Visitor,
    VisitStatus,
)
from pstdesktop.bootstrap import Database, open_url  # noqa: E402
from pstdesktop.config import sqlite_url  # noqa: E402
from pstdesktop.services import clock, guestbook, online, overview, requests  # noqa: E402
from pstdesktop.services.access import Actor, actor_of  # noqa: E402
from pstdesktop.services.clock import utcnow  # noqa: E402
from pstdesktop.services.office import create_account, setup_office  # noqa: E402

OFFICE = {"name": "BPS Kota Jambi", "unit_code": "1571", "city": "Jambi", "time_zone": "WIB",
          "satker_code": "054157", "satker_name": "BPS Kota Jambi"}
WIB = 7
FINAL = (RequestState.CLOSED, RequestState.CLOSED, RequestState.CLOSED, RequestState.REDIRECTED,
         RequestState.CANCELLED)


def person(i: int) -> dict:
    return {"full_name": f"Pengunjung {i:06d}", "gender": "Laki-laki" if i % 2 else "Perempuan",
            "institution": "Universitas Jambi", "phone": f"0812{i:08d}", "email": f"tamu{i}@contoh.id",
            "occupation": "Pelajar/Mahasiswa", "occupation_other": "", "birth_year": 1990 + i % 15,
            "education": "D4/S1", "country": "Indonesia", "province": "Jambi", "regency": "Kota Jambi",
            "has_disability": False, "disability_type": "", "id_document_type": "KTP",
            "id_document_number": f"1571{i:012d}"}


def set_up(db: Database) -> tuple[Actor, Actor]:
    with db.unit_of_work() as s:
        office, boss, _code = setup_office(s, OFFICE, "kepala", "Kepala PST", "rahasia-123")
        supervisor = actor_of(boss)
        officer = actor_of(create_account(s, supervisor, "petugas", "Petugas PST", Role.OFFICER, "rahasia-123"))
        kiosk = actor_of(create_account(s, supervisor, "kiosk", "Kios", Role.KIOSK, "rahasia-123"))
    return officer, kiosk


def today(db: Database, officer: Actor, kiosk: Actor) -> None:
    """The same morning in both databases: 20 visitors, 8 open walk-in and 4 online requests."""
    for i in range(20):
        with db.unit_of_work() as s:
            ticket = guestbook.register_visit(s, kiosk, person(900_000 + i) | {"consent": True},
                                              "Pembelian Produk Statistik Berbayar",
                                              at=utcnow() - timedelta(minutes=5 * (20 - i)))
            if i < 8:
                guestbook.start_serving(s, officer, ticket.visit_id)
                req = requests.open_request(s, officer, visitor_id=ticket.visitor_id, channel=Channel.WALK_IN,
                                            visit_id=ticket.visit_id, abstraction="Kajian.")
                requests.add_item(s, officer, req.id, product_code="microdata_raw", title="Susenas", quantity=5_000_000)
    for i in range(4):
        with db.unit_of_work() as s:
            person_id = online.register_requester(s, officer, person(950_000 + i) | {"consent": True}).id
            req = requests.open_request(s, officer, visitor_id=person_id, channel=Channel.ONLINE, online_via="forum",
                                        abstraction="Kajian daring.")
            requests.add_item(s, officer, req.id, product_code="map_kab_desa", title="Peta", quantity=1,
                              region="Kota Jambi")
            requests.submit(s, officer, req.id)
            requests.approve(s, officer, req.id)


def history(db: Database, officer: Actor, years: int, per_day: int, seed: int = 7) -> dict[str, int]:
    """Bulk-insert ``years`` of past working days (core inserts, no services)."""
    rng = random.Random(seed)
    with db.unit_of_work() as s:
        office_id = officer.office_id
        product_id = s.scalar(select(Product.id).where(Product.code == "microdata_raw"))
        visitor_id = (s.scalar(select(Visitor.id).order_by(Visitor.id.desc()).limit(1)) or 0) + 1
        visit_id = (s.scalar(select(Visit.id).order_by(Visit.id.desc()).limit(1)) or 0) + 1
        request_id = (s.scalar(select(ServiceRequest.id).order_by(ServiceRequest.id.desc()).limit(1)) or 0) + 1
        office_day = clock.today(OFFICE["time_zone"])  # the office's days, not the PC's
        start = office_day - timedelta(days=365 * years)
        visitors, visits, reqs, items, invoices, payments, receipts = [], [], [], [], [], [], []
        day, sequence = start, 0
        while day < office_day:
            if day.weekday() < 5:
                for n in range(1, per_day + 1):
                    arrived = datetime(day.year, day.month, day.day, 8, tzinfo=UTC) - timedelta(hours=WIB) \
                        + timedelta(minutes=8 * n)
                    visitors.append({"id": visitor_id, "office_id": office_id, "consent_at": arrived,
                                     "created_at": arrived, **person(visitor_id)})
                    visits.append({"id": visit_id, "office_id": office_id, "visitor_id": visitor_id,
                                   "purpose": "Pembelian Produk Statistik Berbayar", "purpose_other": "",
                                   "arrived_at": arrived, "queue_date": day, "queue_prefix": "B", "queue_number": n,
                                   "station": "Meja 1", "status": VisitStatus.DONE, "served_by_id": officer.account_id,
                                   "serving_started_at": arrived, "departed_at": arrived + timedelta(minutes=40)})
                    if n % 2:  # every other visitor buys something
                        sequence += 1
                        state = rng.choice(FINAL)
                        reqs.append({"id": request_id, "office_id": office_id, "visitor_id": visitor_id,
                                     "visit_id": visit_id, "number": f"PST-1571-{day.year}-{sequence:06d}",
                                     "channel": Channel.WALK_IN, "online_via": "", "received_at": arrived,
                                     "due_at": arrived + timedelta(hours=1), "abstraction": "Kajian.",
                                     "state": state, "created_by_id": officer.account_id, "updated_at": arrived,
                                     "version": 1, "sample_note": ""})
                        items.append({"request_id": request_id, "product_id": product_id, "title": "Susenas",
                                      "quantity": 5_000_000, "price": 100_000, "price_formula": "-"})
                        if state is RequestState.CLOSED:
                            invoices.append({"id": request_id, "office_id": office_id, "request_id": request_id,
                                             "year": day.year, "sequence": sequence,
                                             "number": f"INV-{sequence:06d}/1571/{day.year}", "issued_at": arrived,
                                             "issued_by_id": officer.account_id, "payer_name": "Pengunjung",
                                             "schedule_code": "PP13-2024", "lines": [], "normal_total": 100_000,
                                             "total": 100_000, "status": DocumentStatus.PAID, "cancel_reason": ""})
                            payments.append({"id": request_id, "office_id": office_id, "invoice_id": request_id,
                                             "idempotency_key": f"h-{request_id}", "method": PaymentMethod.CASH,
                                             "amount": 100_000, "cash_tendered": 100_000, "change_given": 0,
                                             "paid_at": arrived, "recorded_at": arrived,
                                             "recorded_by_id": officer.account_id, "bank": "", "proof_file": "",
                                             "proof_sha256": ""})
                            receipts.append({"office_id": office_id, "payment_id": request_id, "year": day.year,
                                             "sequence": sequence, "number": f"{sequence:06d}/054157/H/{day.year}",
                                             "issued_at": arrived, "issued_by_id": officer.account_id,
                                             "received_from": "Pengunjung", "amount": 100_000, "description": "-",
                                             "account_code": "425435", "status": DocumentStatus.ISSUED,
                                             "cancel_reason": ""})
                        request_id += 1
                    visitor_id += 1
                    visit_id += 1
            day += timedelta(days=1)
        for model, rows in ((Visitor, visitors), (Visit, visits), (ServiceRequest, reqs), (RequestItem, items),
                            (Invoice, invoices), (Payment, payments), (Receipt, receipts)):
            for start_at in range(0, len(rows), 20_000):
                s.execute(insert(model), rows[start_at:start_at + 20_000])
    return {"visits": len(visits), "requests": len(reqs), "invoices": len(invoices), "receipts": len(receipts)}


def window_reads(db: Database, officer: Actor) -> Callable[[], None]:
    """What the staff window reads to open or refresh: queue and counts, each visitor's request, both boards."""

    def read() -> None:
        with db.unit_of_work() as s:
            guestbook.queue_counts(s, officer)
            rows = overview.queue_rows(s, officer, limit=26)
            online.visit_requests(s, officer, [row.visit_id for row in rows])
            online.board_rows(s, officer, channel=Channel.ONLINE, limit=26)
            online.board_rows(s, officer, channel=None, limit=26)

    return read


def search_by_name(db: Database, officer: Actor) -> Callable[[], None]:
    """A search typed by the officer (a name matches anywhere in it, so every visitor is looked at)."""

    def find() -> None:
        with db.unit_of_work() as s:
            online.search_rows(s, officer, "Pengunjung 900003", limit=26)

    return find


def open_window(db: Database, officer: Actor) -> Callable[[], None]:
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])

    def build() -> None:
        window = MainWindow(db, officer)
        window.close()
        window.deleteLater()
        app.processEvents()

    return build


def median_ms(work: Callable[[], None], repeat: int) -> float:
    work()  # warm the caches once
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--visits-per-day", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pst-queue-bench-") as folder:
        built = {}
        for name in ("empty", "history"):
            db = open_url(sqlite_url(Path(folder) / f"{name}.sqlite"))
            officer, kiosk = set_up(db)
            if name == "history":
                started = time.perf_counter()
                sizes = history(db, officer, args.years, args.visits_per_day)
                print(f"history: {sizes} in {time.perf_counter() - started:.1f} s")
            today(db, officer, kiosk)
            built[name] = (db, officer)
        results = {}
        timed = (("staff window reads", window_reads), ("staff window opened", open_window),
                 ("search by name", search_by_name))
        for label, make in timed:
            for name, (db, officer) in built.items():
                results[(label, name)] = median_ms(make(db, officer), args.repeat)
        for label, _make in timed:
            empty, full = results[(label, "empty")], results[(label, "history")]
            aim = "   (aim: under 1.5x)" if label != "search by name" else "   (a scan: grows with the guestbook)"
            print(f"{label:20s} empty {empty:8.1f} ms   {args.years} years {full:8.1f} ms   ratio {full / empty:5.2f}x"
                  + aim)
        for db, _officer in built.values():
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""From tapping "register" at the kiosk to the queue number on screen: does it stay as quick with
200,000 earlier visits in the database as with none?

Two SQLite databases get the same office and kiosk account. One of them also gets the history,
bulk-inserted with SQLAlchemy core through the models' tables: visitors, their visits spread over the
past years with daily queue numbers per service (and the queue counters), and this morning's queue.
Then, in one process, the real kiosk window (offscreen) is filled and its submit button clicked, timing
the click until the ticket page shows the number (the ticket is printed afterwards). Prints the
medians and the ratio history / empty (the aim is under 1.5x). Asserts nothing.

    .venv/bin/python benchmarks/kiosk_submit.py [--visits 200000] [--rounds 40]"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from models import DocumentCounter, Role, Visit, Visitor, VisitStatus  # noqa: E402
from pstdesktop.bootstrap import Database, open_url  # noqa: E402
from pstdesktop.config import sqlite_url  # noqa: E402
from pstdesktop.services.access import Actor, actor_of  # noqa: E402
from pstdesktop.services.guestbook import PURPOSES  # noqa: E402
from pstdesktop.services.office import create_account, setup_office  # noqa: E402

OFFICE = {"name": "BPS Provinsi Maluku", "unit_code": "8100", "city": "Ambon", "time_zone": "WIT",
          "satker_code": "054081", "satker_name": "BPS Provinsi Maluku"}
WIT = timedelta(hours=9)
PER_DAY = 60
TODAY_WAITING = 25
CHUNK = 20_000


def person(i: int) -> dict:
    return {"full_name": f"Pengunjung Riwayat {i:06d}", "gender": "Laki-laki" if i % 2 else "Perempuan",
            "institution": "Universitas Pattimura", "phone": f"0813{i:08d}", "email": f"riwayat{i}@contoh.id",
            "occupation": "Peneliti/Dosen", "occupation_other": "", "birth_year": 1970 + i % 30,
            "education": "S2", "country": "Indonesia", "province": "Maluku", "regency": "Kota Ambon",
            "has_disability": False, "disability_type": "", "id_document_type": "KTP",
            "id_document_number": f"8171{i:012d}"}


def set_up(db: Database) -> Actor:
    with db.unit_of_work() as s:
        office, boss, _code = setup_office(s, OFFICE, "kepala", "Kepala PST", "rahasia-123")
        return actor_of(create_account(s, actor_of(boss), "kiosk", "Kios", Role.KIOSK, "rahasia-123"))


def history(db: Database, office_id: int, visits: int) -> None:
    """``visits`` earlier visits (PER_DAY a day, ending yesterday) by visits // 4 people, plus a morning
    queue of TODAY_WAITING still waiting, all through the models' tables."""
    now = datetime.now(UTC)
    today = (now + WIT).date()
    people = max(1, visits // 4)
    prefixes = list(PURPOSES.items())
    with db.engine.begin() as conn:
        rows = []
        for i in range(people):
            rows.append({**person(i), "office_id": office_id, "consent_at": now, "created_at": now})
            if len(rows) == CHUNK:
                conn.execute(insert(Visitor.__table__), rows)
                rows = []
        if rows:
            conn.execute(insert(Visitor.__table__), rows)
        counters: dict[tuple[str, str], int] = {}
        rows = []
        total = visits + TODAY_WAITING
        for n in range(total):
            past = n < visits
            day = today - timedelta(days=(visits - n - 1) // PER_DAY + 1) if past else today
            purpose, prefix = prefixes[n % len(prefixes)]
            key = (prefix, day.isoformat())
            counters[key] = counters.get(key, 0) + 1
            arrived = datetime(day.year, day.month, day.day, 8, tzinfo=UTC) - WIT + timedelta(minutes=n % 420)
            rows.append({"office_id": office_id, "visitor_id": n % people + 1, "purpose": purpose,
                         "purpose_other": "Lainnya" if purpose == "Lainnya" else "", "arrived_at": arrived,
                         "queue_date": day, "queue_prefix": prefix, "queue_number": counters[key], "station": "",
                         "status": (VisitStatus.DONE if past else VisitStatus.WAITING).value,
                         "departed_at": arrived + timedelta(minutes=50) if past else None})
            if len(rows) == CHUNK:
                conn.execute(insert(Visit.__table__), rows)
                rows = []
        if rows:
            conn.execute(insert(Visit.__table__), rows)
        conn.execute(insert(DocumentCounter.__table__), [
            {"office_id": office_id, "kind": f"queue-{prefix}", "period": period, "last_number": last}
            for (prefix, period), last in counters.items()])


def fill(window, n: int) -> None:
    """The form as a visitor leaves it before the tap (values set on the real widgets)."""
    form = window.form
    window.start_guestbook()
    form.full_name.setText(f"Pengunjung Baru {n}")
    form.gender.set_value("Perempuan")
    form.birth_year.setText("1991")
    form.education.set_value("D4/S1")
    form.has_disability.set_value(False)
    form.phone.setText(f"0821{n:08d}")
    form.email.setText(f"baru{n}@contoh.id")
    form.institution.setText("Bappeda Provinsi Maluku")
    form.occupation.set_value("ASN/TNI/Polri")
    form.province.set_value("Maluku")
    form.regency.setText("Kota Ambon")
    form.purpose.set_value("Pembelian Produk Statistik Berbayar")
    form.id_document_type.set_value("KTP")
    form.id_document_number.set_value(f"8171{n:012d}")
    form.consent.setChecked(True)
    form.show_step(form.pages.count() - 1)


def time_submits(db: Database, actor: Actor, rounds: int, tickets: Path) -> list[float]:
    from ui.kiosk.window import KioskWindow

    app = QApplication.instance() or QApplication([])
    window = KioskWindow(db, actor, tickets_dir=tickets, fullscreen=False)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    timings = []
    for n in range(rounds + 3):
        fill(window, n)
        app.processEvents()
        start = time.perf_counter()
        window.form.submit_button.click()
        elapsed = time.perf_counter() - start
        if window.stack.currentWidget() is not window.ticket_page:
            raise RuntimeError(f"submit {n} did not reach the ticket page: {window.form.banner.text()}")
        if n >= 3:  # the first taps warm caches
            timings.append(elapsed)
        app.processEvents()  # the ticket is rendered and saved after the number is shown
        window.wipe()
    window.may_close = True
    window.close()
    window.deleteLater()
    app.processEvents()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        results = {}
        for label, visits in (("empty", 0), ("history", args.visits)):
            db = open_url(sqlite_url(root / f"{label}.sqlite"))
            actor = set_up(db)
            started = time.perf_counter()
            if visits:
                history(db, actor.office_id, visits)
                print(f"{label}: {visits:,} earlier visits inserted in {time.perf_counter() - started:.1f} s")
            results[label] = time_submits(db, actor, args.rounds, root / f"tickets-{label}")
            db.dispose()
    for label, timings in results.items():
        ms = sorted(t * 1000 for t in timings)
        print(f"{label:8} submit -> queue number: median {statistics.median(ms):.1f} ms, "
              f"p90 {ms[int(len(ms) * 0.9) - 1]:.1f} ms, max {ms[-1]:.1f} ms ({len(ms)} taps)")
    ratio = statistics.median(results["history"]) / statistics.median(results["empty"])
    print(f"ratio history/empty (medians): {ratio:.2f}x (aim: under 1.5x)")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    code = main()
    os._exit(code)  # skip PySide6's teardown at interpreter exit, which can crash after offscreen runs

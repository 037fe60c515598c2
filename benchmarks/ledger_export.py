"""How long does the year's ledger export take, against the floor set by openpyxl itself?

Builds a database holding one budget year of an office with ``--receipts`` kuitansi (default 40,000:
cash, SIMPONI and transfer payments, some cancelled, cash deposited every working day, a few Rp0
requests) with bulk inserts of core rows, then in the same process:

1. exports the year as ``pst export ledger --year`` does (``pstdesktop.reports.export_ledger``: the
   database reads, 12 BKU sheets, the subsidiary books, Rekap and Daftar Rp0, styled and streamed);
2. writes a bare openpyxl write-only workbook holding exactly the same cells (values read back from
   the exported file, same sheets, no styles), the floor any export must pay;

and prints both times, their ratio (target: under 1.5) and each one's peak memory (tracemalloc, in a
second run so tracing does not distort the times). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/ledger_export.py [--receipts 40000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import (  # noqa: E402
    Deposit,
    DepositReceipt,
    DocumentCounter,
    Invoice,
    Payment,
    Product,
    Receipt,
    RequestItem,
    ServiceRequest,
    Visitor,
    Waiver,
)
from pstdesktop.bootstrap import open_url  # noqa: E402
from pstdesktop.config import sqlite_url  # noqa: E402
from pstdesktop.reports import export_ledger  # noqa: E402
from pstdesktop.services import ledger  # noqa: E402
from pstdesktop.services.access import actor_of  # noqa: E402
from pstdesktop.services.numbering import invoice_number, receipt_number, request_number  # noqa: E402
from pstdesktop.services.office import setup_office  # noqa: E402

OFFICE = {"name": "BPS Kota Jambi", "unit_code": "1571", "city": "Jambi", "time_zone": "WIB",
          "address": "Jl. Jenderal Ahmad Yani No. 4, Telanaipura, Kota Jambi", "treasurer_name": "Siti Rahmawati",
          "treasurer_nip": "198803152010122001", "satker_code": "054157", "satker_name": "BPS Kota Jambi"}
WIB = timedelta(hours=7)
NAMES = ("Ahmad", "Siti", "Budi", "Dewi", "Rizky", "Putri", "Agus", "Nur", "Hendra", "Rina", "Fajar", "Lestari")
SURNAMES = ("Saputra", "Wulandari", "Pratama", "Hasibuan", "Simanjuntak", "Nasution", "Harahap", "Lubis")
INSTITUTIONS = ("Universitas Jambi", "UIN Sulthan Thaha Saifuddin", "Bappeda Provinsi Jambi", "PT Bank Jambi",
                "Dinas Kesehatan Kota Jambi", "CV Data Sumatra", "Politeknik Jambi")


def build(db, receipts_n: int, year: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with db.unit_of_work() as s:
        office, boss, _code = setup_office(s, OFFICE, "kepala", "Kepala PST", "bench-pass-1")
        treasurer_id, office_id = boss.id, office.id
        products = {p.code: p for p in s.scalars(select(Product))}
    codes = ["microdata_raw", "microdata_processed", "pub_electronic", "map_kab_desa", "map_kab_kecamatan"]
    days = [date(year, 1, 1) + timedelta(days=i) for i in range(366 if year % 4 == 0 else 365)]
    working = [d for d in days if d.weekday() < 5]
    per_day = receipts_n / len(working)
    visitors, requests_, items, invoices, payments, receipts, deposits, links, waivers = \
        [], [], [], [], [], [], [], [], []
    rid = paid = 0
    for n in range(600):
        name = f"{rng.choice(NAMES)} {rng.choice(SURNAMES)} {n}"
        visitors.append(dict(id=n + 1, office_id=office_id, full_name=name, gender="Laki-laki",
                             institution=rng.choice(INSTITUTIONS), phone=f"0812{n:08d}", email=f"v{n}@contoh.id",
                             occupation="Peneliti/Dosen", birth_year=1980 + n % 20, education="S2",
                             country="Indonesia", province="Jambi", regency="Kota Jambi",
                             created_at=datetime(year, 1, 1, tzinfo=UTC)))
    receipt_seq = 0
    deposit_id = 0
    for index, day in enumerate(working):
        count = min(round(per_day * (index + 1)), receipts_n) - paid
        cash_today = []
        for k in range(count):
            rid += 1
            paid += 1
            moment = datetime.combine(day, datetime.min.time(), UTC) - WIB + timedelta(hours=8, seconds=k * 30)
            code = rng.choice(codes)
            product = products[code]
            amount = rng.choice((20_000, 55_022, 70_000, 170_000, 3_000_000, 250_000, 30_000))
            visitor = rng.randrange(600) + 1
            method = rng.choices(("cash", "simponi", "transfer"), (60, 35, 5))[0]
            requests_.append(dict(id=rid, office_id=office_id, number=request_number(rid, "1571", year),
                                  visitor_id=visitor, channel="walk_in", received_at=moment, state="closed",
                                  created_by_id=treasurer_id, updated_at=moment, version=1, online_via="",
                                  abstraction="Analisis data untuk penelitian", sample_note=""))
            items.append(dict(request_id=rid, product_id=product.id, title=f"{product.name_id} {year - 1}",
                              region="", quantity=1, price=amount, price_formula="", data_format="", media="",
                              variables=""))
            line = dict(item_id=None, product_code=code, product_name=product.name_id, title=product.name_id,
                        region="", quantity=1, unit=product.unit_id, account_code=product.account_code,
                        base_amount=amount, base_quantity=1, step_amount=0, step_quantity=1, extra_blocks=0,
                        amount=amount, formula="")
            inv_number = invoice_number(rid, "1571", year)
            invoices.append(dict(id=rid, office_id=office_id, request_id=rid, year=year, sequence=rid,
                                 number=inv_number, issued_at=moment, issued_by_id=treasurer_id,
                                 payer_name=visitors[visitor - 1]["full_name"], schedule_code="PP13-2024",
                                 lines=[line], normal_total=amount, total=amount, status="paid", cancel_reason="",
                                 billing_code="8202" + f"{rid:011d}" if method == "simponi" else None))
            payments.append(dict(id=rid, office_id=office_id, invoice_id=rid, idempotency_key=f"bench-{rid}",
                                 method=method, amount=amount, cash_tendered=amount if method == "cash" else None,
                                 change_given=0 if method == "cash" else None,
                                 billing_code="8202" + f"{rid:011d}" if method == "simponi" else None,
                                 ntpn=f"N{rid:015d}" if method == "simponi" else None,
                                 ntb=f"NTB{rid:010d}" if method != "cash" else None,
                                 bank="Bank Jambi" if method != "cash" else "", proof_file="", proof_sha256="",
                                 paid_at=moment, recorded_at=moment, recorded_by_id=treasurer_id))
            receipt_seq += 1
            cancelled = rng.random() < 0.01
            receipts.append(dict(id=receipt_seq, office_id=office_id, payment_id=rid, year=year, sequence=receipt_seq,
                                 number=receipt_number(receipt_seq, "054157", day.month, year),
                                 issued_at=moment + timedelta(minutes=2), issued_by_id=treasurer_id,
                                 received_from=visitors[visitor - 1]["full_name"], amount=amount,
                                 description=f"Pembayaran {product.name_id} sesuai invoice {inv_number} "
                                             f"(permintaan {request_number(rid, '1571', year)})",
                                 account_code=product.account_code,
                                 status="cancelled" if cancelled else "issued",
                                 cancel_reason="Salah nama pembayar" if cancelled else "",
                                 cancelled_at=moment + timedelta(hours=1) if cancelled else None,
                                 cancelled_by_id=treasurer_id if cancelled else None,
                                 awaiting_deposit=False))  # every cash kuitansi is deposited the same day
            if method == "cash" and not cancelled:
                cash_today.append((receipt_seq, amount))
        if cash_today:
            deposit_id += 1
            deposits.append(dict(id=deposit_id, office_id=office_id, deposited_on=day, ntpn=f"D{deposit_id:015d}",
                                 amount=sum(a for _r, a in cash_today),
                                 recorded_at=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9),
                                 recorded_by_id=treasurer_id))
            links.extend(dict(deposit_id=deposit_id, receipt_id=r) for r, _a in cash_today)
        if day.day == 15:  # an Rp0 request in the middle of each month
            rid += 1
            moment = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=3)
            requests_.append(dict(id=rid, office_id=office_id, number=request_number(rid, "1571", year),
                                  visitor_id=1, channel="walk_in", received_at=moment, state="closed",
                                  created_by_id=treasurer_id, updated_at=moment, version=1, online_via="",
                                  abstraction="Tugas pemerintahan", sample_note=""))
            waivers.append(dict(request_id=rid, category="regional_government", purpose="state_duties",
                                letter_number=f"050/{rid}/BAPPEDA/{year}", letter_date=day, approved_by_id=treasurer_id,
                                normal_amount=140_000, recorded_at=moment))
    with db.unit_of_work() as s:
        for model, rows in ((Visitor, visitors), (ServiceRequest, requests_), (RequestItem, items),
                            (Invoice, invoices), (Payment, payments), (Receipt, receipts), (Deposit, deposits),
                            (DepositReceipt, links), (Waiver, waivers)):
            for start in range(0, len(rows), 5000):
                s.execute(insert(model), rows[start:start + 5000])
        s.execute(insert(DocumentCounter), [dict(office_id=office_id, kind="receipt", period=str(year),
                                                 last_number=receipt_seq)])
    return actor_of(boss), receipt_seq


def read_everything(db, year: int) -> None:
    """The reads of a year's export alone (what the export spends outside openpyxl)."""
    with db.unit_of_work() as s:
        office_id = 1
        zone = ledger.zone_of(s, office_id)
        start, end = ledger.month_bounds(year, 1, zone)[0], ledger.month_bounds(year, 12, zone)[1]
        balance = ledger.opening_balance(s, office_id, year, 1)
        for month in range(1, 13):
            rows = ledger.month_rows(s, office_id, year, month, balance)
            balance = rows[-1].balance if rows else balance
        ledger.cash_rows(s, office_id, start, end)
        ledger.bank_rows(s, office_id, start, end)
        ledger.rekap(s, office_id, [(year, m) for m in range(1, 13)])
        ledger.rp0_rows(s, office_id, start, end)


def bare(cells: dict[str, list[tuple]], out: Path) -> None:
    """The same cells, plain: a write-only workbook, one ``append`` per row, no styles."""
    workbook = Workbook(write_only=True)
    for title, rows in cells.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(out)


def timed(work) -> float:
    gc.collect()
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def peak(work) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the database and the workbooks in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="pst-ledger-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    year = datetime.now(UTC).year - 1
    db = open_url(sqlite_url(work / "bench.sqlite"))
    try:
        started = time.perf_counter()
        _actor, count = build(db, args.receipts, year)
        print(f"database: {count:,} kuitansi in {year}, built in {time.perf_counter() - started:.1f} s")
        out, floor = work / "ledger.xlsx", work / "bare.xlsx"
        export_ledger(db, None, year, None, out)  # warms the database pages and the imports; not timed
        book = load_workbook(out, read_only=True)
        cells = {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
        book.close()
        bare(cells, floor)
        export_times, bare_times = [], []
        for _attempt in range(args.repeat):  # interleaved, so a busy machine slows both alike
            export_times.append(timed(lambda: export_ledger(db, None, year, None, out)))
            bare_times.append(timed(lambda: bare(cells, floor)))
        reads = timed(lambda: read_everything(db, year))
        export_peak = peak(lambda: export_ledger(db, None, year, None, out))
        bare_peak = peak(lambda: bare(cells, floor))
        rows = sum(len(r) for r in cells.values())
        t_export, t_bare = statistics.median(export_times), statistics.median(bare_times)
        print(f"workbook: {len(cells)} sheets, {rows:,} rows, {sum(len(row) for r in cells.values() for row in r):,} cells"
              f" max; export {out.stat().st_size / 1e6:.1f} MB, bare {floor.stat().st_size / 1e6:.1f} MB")
        print(f"export (reads + styled streamed write): median {t_export:.2f} s of {args.repeat}"
              f" ({', '.join(f'{t:.2f}' for t in export_times)})")
        print(f"bare openpyxl write-only, same cells:   median {t_bare:.2f} s"
              f" ({', '.join(f'{t:.2f}' for t in bare_times)})")
        print(f"  of which database reads (every month, subsidiary books, rekap, Rp0): {reads:.2f} s")
        print(f"ratio export / bare: {t_export / t_bare:.2f}x (target < 1.5x);"
              f" per run: {', '.join(f'{e / b:.2f}' for e, b in zip(export_times, bare_times, strict=True))}")
        print(f"peak memory (tracemalloc): export {export_peak / 2**20:.1f} MiB, bare {bare_peak / 2**20:.1f} MiB"
              f" (the bare figure includes no data: its cells are already in memory)")
    finally:
        db.dispose()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

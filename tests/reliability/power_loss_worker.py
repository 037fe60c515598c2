"""A PC at work: walks requests through the procedure and takes payments with their receipts, as fast
as it can, until killed (test_power_loss) or after ``limit`` of them (test_concurrent_receipts). Until
killed, it first takes one payment and says ``ready <seconds it took>``, so the test times its kills to
this machine's pace."""

import sys
import time

from models import Channel
from pstdesktop.bootstrap import open_url
from pstdesktop.services import billing, delivery, guestbook, requests
from pstdesktop.services.office import login


def main(url: str, run: int, limit: int | None = None) -> None:
    db = open_url(url)
    with db.unit_of_work() as s:
        officer, _ = login(s, "petugas", "rahasia-123")
        treasurer, _ = login(s, "bendahara", "rahasia-123")
        kiosk, _ = login(s, "kiosk", "rahasia-123")
    n = 0
    if limit is None:
        started = time.perf_counter()
        n = _one_payment(db, officer, treasurer, kiosk, run, 1)
        print(f"ready {time.perf_counter() - started:.3f}", flush=True)
    else:
        print("ready", flush=True)
    while limit is None or n < limit:
        n = _one_payment(db, officer, treasurer, kiosk, run, n + 1)


def _one_payment(db, officer, treasurer, kiosk, run: int, n: int) -> int:
    """Request ``n`` of this run walked to its invoice, then paid with its kuitansi; returns ``n``."""
    with db.unit_of_work() as s:
        ticket = guestbook.register_visit(s, kiosk, {
            "full_name": f"Pengunjung {run}-{n}", "gender": "Perempuan", "institution": "Universitas Pattimura",
            "phone": f"0812{run:04d}{n:04d}", "email": f"p{run}.{n}@contoh.id", "occupation": "Peneliti/Dosen",
            "birth_year": 1990, "education": "S2", "country": "Indonesia", "province": "Maluku",
            "regency": "Kota Ambon", "has_disability": False, "consent": True},
            "Pembelian Produk Statistik Berbayar")
        req = requests.open_request(s, officer, visitor_id=ticket.visitor_id, channel=Channel.WALK_IN,
                                    visit_id=ticket.visit_id, abstraction="Analisis ketenagakerjaan daerah.")
        requests.add_item(s, officer, req.id, product_code="microdata_raw", title="Sakernas", quantity=5_000_000)
        requests.submit(s, officer, req.id)
        requests.approve(s, officer, req.id)
        delivery.record_sppd(s, officer, req.id)
        invoice = billing.issue_invoice(s, officer, req.id)
    with db.unit_of_work() as s:
        billing.pay_and_issue_receipt(s, treasurer, invoice.id, method="cash", amount=invoice.total,
                                      cash_tendered=invoice.total, idempotency_key=f"run{run}-{n}")
    return n


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else None)

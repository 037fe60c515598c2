"""Power loss: a process taking payments is killed at random moments (``PST_POWER_LOSS_KILLS``,
200 by default), within about three payments' time at the machine's own pace. Afterwards the database passes the integrity check and ``verify``, and every
payment is there with its receipt, or not at all; numbers have no gap."""

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from models import DocumentStatus, Invoice, Payment, Receipt
from pstdesktop import backup
from pstdesktop.services import audit

WORKER = Path(__file__).with_name("power_loss_worker.py")
ROOT = Path(__file__).resolve().parents[2]


def test_random_kills_leave_whole_payments_only(office):
    kills = int(os.environ.get("PST_POWER_LOSS_KILLS", "200"))
    url = str(office.db.engine.url)
    office.db.dispose()
    rng = random.Random(20261123)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for run in range(kills):
        child = subprocess.Popen([sys.executable, str(WORKER), url, str(run)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=env, cwd=ROOT)
        line = child.stdout.readline().split()  # ready after its first payment, and how long that took
        assert line[:1] == [b"ready"], child.stderr.read().decode()
        time.sleep(rng.uniform(0.0, 3 * float(line[1])))  # within about three payments at this machine's pace
        child.kill()  # no clean-up, no flush: like pulling the plug on the process
        child.wait()
    path = Path(office.db.engine.url.database)
    assert backup.integrity_ok(path)
    with office.session() as s:
        assert audit.verify(s) == []
        payments = s.scalar(select(func.count(Payment.id)))
        receipts = list(s.scalars(select(Receipt.sequence).order_by(Receipt.sequence)))
        assert payments - kills > kills // 4  # beyond each run's first payment: the kills landed among payments
        assert receipts == list(range(1, payments + 1))  # one receipt per payment, no gap
        unpaid_with_payment = s.scalar(select(func.count(Payment.id)).join(Invoice).where(
            Invoice.status != DocumentStatus.PAID))
        assert unpaid_with_payment == 0
        invoices = list(s.scalars(select(Invoice.sequence).order_by(Invoice.sequence)))
        assert invoices == list(range(1, len(invoices) + 1))

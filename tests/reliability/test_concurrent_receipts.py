"""Four PCs on one PostgreSQL server issuing 1,000 kuitansi together: no duplicate, no gap."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Invoice, Payment, Receipt
from pstdesktop.bootstrap import open_url
from pstdesktop.services import audit
from tests.conftest import Office

WORKER = Path(__file__).with_name("power_loss_worker.py")
ROOT = Path(__file__).resolve().parents[2]
PROCESSES, EACH = 4, 250


@pytest.mark.postgres
def test_four_processes_issue_1000_receipts_without_gap_or_duplicate(postgres_url):
    office = Office(open_url(postgres_url))
    office.db.dispose()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [subprocess.Popen([sys.executable, str(WORKER), postgres_url, str(n), str(EACH)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for n in range(PROCESSES)]
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err.decode()[-2000:]
    db = open_url(postgres_url)
    with db.unit_of_work() as s:
        sequences = list(s.scalars(select(Receipt.sequence).order_by(Receipt.sequence)))
        assert sequences == list(range(1, PROCESSES * EACH + 1))
        assert s.scalar(select(func.count(func.distinct(Receipt.number)))) == PROCESSES * EACH
        assert s.scalar(select(func.count(func.distinct(Receipt.payment_id)))) == PROCESSES * EACH
        assert s.scalar(select(func.count(Payment.id))) == PROCESSES * EACH
        invoices = list(s.scalars(select(Invoice.sequence).order_by(Invoice.sequence)))
        assert invoices == list(range(1, PROCESSES * EACH + 1))
        assert audit.verify(s) == []
    db.dispose()

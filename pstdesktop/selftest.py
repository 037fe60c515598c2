"""``pst --selftest``: proves a built bundle is whole. In a temporary folder it creates and migrates a
database, fills it with the demo office day, renders an invoice, an SPPD and a kuitansi, writes the
year's ledger workbook, checks the audit trail, and exits 0; anything missing from the bundle (a
font, the catalogue, the Qt translation, a migration, a Qt plugin) makes it exit 1 with the reason."""

from __future__ import annotations

import tempfile
import traceback
from pathlib import Path

from sqlalchemy import select

import resources
from models import Invoice, Receipt, ServiceRequest
from pstdesktop import demo, documents, reports
from pstdesktop.bootstrap import open_url
from pstdesktop.config import sqlite_url
from pstdesktop.demo import fill
from pstdesktop.services import audit
from pstdesktop.services.clock import local
from pstdesktop.services.office import login


def run() -> int:
    with tempfile.TemporaryDirectory(prefix="pst-selftest-") as folder:
        root = Path(folder)
        database = open_url(sqlite_url(root / "selftest.sqlite"), root / "backups")
        try:
            resources.path("translations", "qtbase_id.qm")  # Qt's own dialogs in Indonesian
            fill(database, root / "files")
            with database.unit_of_work() as session:
                actor, _ = login(session, "petugas", "demo-pst-2026")
                treasurer, _ = login(session, "bendahara", "demo-pst-2026")
                invoice = session.scalars(select(Invoice).order_by(Invoice.id)).first()
                receipt = session.scalars(select(Receipt).order_by(Receipt.id)).first()
                pdfs = {
                    "invoice": documents.invoice_pdf(session, actor, invoice.id),
                    "sppd": documents.sppd_pdf(session, actor, invoice.request_id),
                    "kuitansi": documents.receipt_pdf(session, treasurer, receipt.id),
                }
                requests = len(session.scalars(select(ServiceRequest.id)).all())
                findings = audit.verify(session)
            for name, content in pdfs.items():
                if not content.startswith(b"%PDF"):
                    raise RuntimeError(f"the {name} did not render as a PDF")
            year = local(invoice.issued_at, demo.OFFICE["time_zone"]).year
            summary = reports.export_ledger(database, treasurer, year, None, root / "ledger.xlsx")
            if findings:
                raise RuntimeError(f"pst verify found {len(findings)} problem(s)")
        except Exception:  # the report of a broken bundle, not a crash dialog
            print("PST Desktop self-test GAGAL / FAILED:")
            traceback.print_exc()
            return 1
        finally:
            database.dispose()
        print(f"PST Desktop self-test OK: {requests} permintaan / requests, "
              + ", ".join(f"{name} {len(content):,} byte" for name, content in pdfs.items())
              + f", BKU / ledger {summary.path.stat().st_size:,} byte")
        return 0

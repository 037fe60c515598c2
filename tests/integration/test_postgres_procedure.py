"""The walk-in procedure of BPS Provinsi Maluku (guestbook to exit poll) on a real PostgreSQL server,
the audit trail's verification catching a row changed with plain SQL, and the migrations matching the
models on PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

import models
from models import (
    Channel,
    Delivery,
    DeliveryChannel,
    DeliveryItem,
    DocumentStatus,
    Invoice,
    Payment,
    PaymentMethod,
    PollAnswer,
    Receipt,
    RequestState,
    ServiceRequest,
    SppdAgreement,
    Visit,
    VisitStatus,
)
from pstdesktop import migrate
from pstdesktop.bootstrap import open_url
from pstdesktop.services import audit, billing, delivery, feedback, guestbook, requests
from pstdesktop.services.clock import local, utcnow
from pstdesktop.services.errors import StateError
from pstdesktop.services.numbering import invoice_number, receipt_number
from tests.conftest import OFFICE, Office, visitor_answers

pytestmark = pytest.mark.postgres

SUSENAS_BYTES = 150_000_000  # 20.000 + 149.000 x 20 = Rp3.000.000
SUSENAS_PRICE = 3_000_000
MAP_PRICE = 70_000



def state_of(office: Office, request_id: int) -> RequestState:
    with office.session() as s:
        return s.get(ServiceRequest, request_id).state


def test_walk_in_procedure_end_to_end(pg_office, tmp_path):
    office = pg_office
    officer, treasurer, kiosk = office.officer, office.treasurer, office.kiosk

    # 1. the visitor fills the electronic guestbook and gets a queue number
    with office.session() as s:
        ticket = guestbook.register_visit(s, kiosk, visitor_answers(), "Pembelian Produk Statistik Berbayar")
    assert ticket.queue_code == "B-001"
    with office.session() as s:
        assert [v.id for v in guestbook.queue(s, officer)] == [ticket.visit_id]
        guestbook.start_serving(s, officer, ticket.visit_id, "Meja 1")

    # 2-3. abstraction and list; the officer checks that they fit
    with office.session() as s:
        req = requests.open_request(s, officer, visitor_id=ticket.visitor_id, channel=Channel.WALK_IN,
                                    visit_id=ticket.visit_id,
                                    abstraction="Analisis kemiskinan rumah tangga Maluku untuk tesis magister.")
        rid, number = req.id, req.number
        susenas = requests.add_item(s, officer, rid, product_code="microdata_raw", title="Susenas Maret 2024 (KOR)",
                                    quantity=SUSENAS_BYTES, media="flashdisk", data_format="dta").id
        peta = requests.add_item(s, officer, rid, product_code="map_kab_desa", title="Peta WILKERSTAT SE2026",
                                 quantity=1, region="Kota Ambon", media="flashdisk", data_format="shp").id
    assert re.fullmatch(r"PST-8100-\d{4}-00001", number)
    assert state_of(office, rid) is RequestState.DRAFT
    with office.session() as s:
        assert [r.id for r in requests.open_requests(s, officer)] == [rid]
        requests.submit(s, officer, rid)
    assert state_of(office, rid) is RequestState.SUBMITTED
    with office.session() as s:
        quote = requests.approve(s, officer, rid)
    assert (quote.normal_total, quote.total) == (SUSENAS_PRICE + MAP_PRICE, SUSENAS_PRICE + MAP_PRICE)
    assert state_of(office, rid) is RequestState.APPROVED

    # SPPD signed at the desk over a materai; data cannot be handed over before payment
    with office.session() as s:
        sppd = delivery.record_sppd(s, officer, rid)
    assert sppd.materai_amount == 10_000 and sppd.signed_at is not None
    with pytest.raises(StateError) as refused, office.session() as s:
        delivery.deliver(s, officer, rid, [delivery.DeliveredFile(susenas, tmp_path / "x")],
                         channel=DeliveryChannel.IN_PERSON, media="flashdisk")
    assert refused.value.code == "needs_payment"

    # 4-5. the invoice
    with office.session() as s:
        invoice = billing.issue_invoice(s, officer, rid)
    year = local(invoice.issued_at, OFFICE["time_zone"]).year
    assert invoice.number == invoice_number(1, OFFICE["unit_code"], year)
    assert (invoice.total, invoice.normal_total, invoice.status) == (SUSENAS_PRICE + MAP_PRICE,) * 2 + (
        DocumentStatus.ISSUED,)
    assert [line["amount"] for line in invoice.lines] == [SUSENAS_PRICE, MAP_PRICE]
    assert state_of(office, rid) is RequestState.INVOICED

    # 6. cash to the treasurer
    tendered = 3_100_000
    with office.session() as s:
        payment = billing.record_payment(s, treasurer, invoice.id, method=PaymentMethod.CASH,
                                         amount=invoice.total, cash_tendered=tendered, idempotency_key=f"kas-{rid}")
    assert (payment.amount, payment.change_given) == (invoice.total, tendered - invoice.total)
    assert state_of(office, rid) is RequestState.PAID
    with office.session() as s:
        assert s.get(Invoice, invoice.id).status is DocumentStatus.PAID

    # 7. the kuitansi
    with office.session() as s:
        receipt = billing.issue_receipt(s, treasurer, payment.id)
    shown = local(receipt.issued_at, OFFICE["time_zone"])
    assert receipt.number == receipt_number(1, OFFICE["satker_code"], shown.month, shown.year)
    assert receipt.amount == invoice.total and receipt.received_from == "Rahmat Hidayat"
    assert receipt.account_code == "425435, 425439"
    assert invoice.number in receipt.description
    assert state_of(office, rid) is RequestState.RECEIPTED
    with office.session() as s:
        assert [r.id for r in billing.undeposited_cash(s, treasurer)] == [receipt.id]

    # 8. the officer hands over the kuitansi and the data on a flashdisk
    files = {susenas: tmp_path / "susenas2024_kor.dta", peta: tmp_path / "peta_kota_ambon.shp"}
    files[susenas].write_bytes(b"\x01" * 4096)
    files[peta].write_bytes(b"SHP" * 1000)
    with office.session() as s:
        handed = delivery.deliver(s, officer, rid, [delivery.DeliveredFile(i, p) for i, p in files.items()],
                                  channel=DeliveryChannel.IN_PERSON, media="flashdisk", media_label="FD-PST-01",
                                  receipt_handed_over=True, size_reason="Berkas uji lebih kecil.")
    assert handed.round == 1
    assert state_of(office, rid) is RequestState.DELIVERED
    with office.session() as s:
        items = s.scalars(select(DeliveryItem).where(DeliveryItem.delivery_id == handed.id)
                          .order_by(DeliveryItem.id)).all()
        assert [(i.file_name, i.size_bytes) for i in items] == [("susenas2024_kor.dta", 4096),
                                                                ("peta_kota_ambon.shp", 3000)]

    # 9. the visitor checks the kuitansi and the data
    with office.session() as s:
        delivery.confirm_checked(s, officer, rid)
    assert state_of(office, rid) is RequestState.VERIFIED

    # 11. the exit poll closes the request and ends the visit
    with office.session() as s:
        feedback.answer_poll(s, kiosk, ticket.visit_id, [4, 3, 4, 3, 4, 4, 4, 3, 3], comment="Pelayanan cepat.")
    assert state_of(office, rid) is RequestState.CLOSED
    with office.session() as s:
        visit = s.get(Visit, ticket.visit_id)
        assert visit.status is VisitStatus.DONE and visit.departed_at is not None
        assert s.scalar(select(func.count()).select_from(PollAnswer)) == 1
        assert s.scalar(select(Delivery.checked_at).where(Delivery.id == handed.id)) is not None
        assert s.scalar(select(SppdAgreement.id).where(SppdAgreement.request_id == rid)) == sppd.id
        assert requests.open_requests(s, officer) == []
        index = feedback.satisfaction_index(s, office.office_id)
        assert index.respondents == 1 and index.index == pytest.approx(32 / 9 * 25)
        trail = [(e.from_state, e.to_state) for e in audit.history(s, "service_request", rid) if e.to_state]
        assert trail == [("", "draft"), ("draft", "submitted"), ("submitted", "approved"),
                         ("approved", "invoiced"), ("invoiced", "paid"), ("paid", "receipted"),
                         ("receipted", "delivered"), ("delivered", "verified"), ("verified", "closed")]
        assert audit.verify(s) == []

    # a receipt amount changed behind the application's back is reported
    with office.db.engine.begin() as conn:
        changed = conn.execute(text("UPDATE receipt SET amount = amount - 1000000 WHERE id = :id"),
                               {"id": receipt.id}).rowcount
    assert changed == 1
    with office.session() as s:
        findings = audit.verify(s)
    assert [(f.entity, f.entity_id) for f in findings] == [("receipt", receipt.id),  # and the balance carried
                                                           ("carried_balance", office.office_id)]
    assert "amount" in findings[0].problem and "3070000" in findings[0].problem

    # and so is an audit entry rewritten to hide it
    with office.db.engine.begin() as conn:
        seq = conn.execute(text("SELECT max(seq) FROM audit_entry WHERE entity = 'receipt'")).scalar_one()
        conn.execute(text("UPDATE audit_entry SET reason = 'koreksi' WHERE seq = :seq"), {"seq": seq})
    with office.session() as s:
        problems = {(f.entity, f.entity_id) for f in audit.verify(s)}
    assert ("audit_entry", seq) in problems and ("receipt", receipt.id) in problems


def test_payment_rows_on_postgresql_keep_integer_rupiah_and_utc(pg_office):
    office = pg_office
    rid, payment_id = office.paid(items=(("map_id_desa", "Peta WILKERSTAT Indonesia", 300, ""),))
    with office.session() as s:
        payment = s.get(Payment, payment_id)
        assert payment.amount == 300 * 36_000_000 and isinstance(payment.amount, int)  # above 2**31: BIGINT
        assert payment.paid_at.utcoffset().total_seconds() == 0
        assert abs((utcnow() - payment.paid_at).total_seconds()) < 120
        receipt = billing.issue_receipt(s, office.treasurer, payment_id)
        s.flush()
        assert s.scalar(select(Receipt.amount).where(Receipt.id == receipt.id)) == 10_800_000_000
    assert state_of(office, rid) is RequestState.RECEIPTED


def test_migrations_on_postgresql_match_the_models(postgres_url):
    db = open_url(postgres_url)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), models.Base.metadata)
        assert differences == []
        # starting again on a migrated database changes nothing and seeds nothing twice
        assert migrate.upgrade(db.engine) is None
    finally:
        db.dispose()
    again = open_url(postgres_url)
    try:
        with again.unit_of_work() as s:
            products = s.scalar(text("SELECT count(*) FROM product"))
            schedules = s.scalar(text("SELECT count(*) FROM tariff_schedule"))
        assert (products, schedules) == (7, 1)
    finally:
        again.dispose()


def test_the_sppd_numbers_survive_going_down_and_up_on_postgresql(pg_office):
    """Migration 0006 on PostgreSQL: the SPPD numbers are dropped going down to 0005 and given again in
    signing order going up (timestamptz read back in the office's zone); the counter continues."""
    office = pg_office
    rids = [office.approved(), office.approved()]
    with office.session() as s:
        agreements = [s.scalar(select(SppdAgreement).where(SppdAgreement.request_id == r)) for r in rids]
        agreements[1].signed_at = agreements[0].signed_at - timedelta(minutes=5)  # the second was signed first
        year = local(agreements[1].signed_at, "WIT").year
        order = [agreements[1].id, agreements[0].id]
    migrate.migrate_to(office.db.engine, "0005", down=True)
    migrate.migrate_to(office.db.engine, "head")
    with office.session() as s:
        numbers = {a.id: a.number for a in s.scalars(select(SppdAgreement))}
        assert [numbers[i] for i in order] == [f"SPPD-00001/8100/{year}", f"SPPD-00002/8100/{year}"]
    rid = office.approved()
    with office.session() as s:
        assert s.scalar(select(SppdAgreement.number).where(SppdAgreement.request_id == rid)) == \
            f"SPPD-00003/8100/{year}"

"""The two service sheets step by step through the services: states and audit entries after each step."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import (
    AuditEntry,
    Channel,
    ConsultationReferral,
    Correction,
    Delivery,
    DeliveryChannel,
    DocumentStatus,
    Invoice,
    Payment,
    PaymentMethod,
    Receipt,
    RequestState,
    ServiceRequest,
    Visit,
    VisitStatus,
)
from pstdesktop.services import audit, billing, delivery, feedback, guestbook, requests
from pstdesktop.services.clock import local_date, utcnow
from pstdesktop.services.errors import PermissionDenied, StateError, ValidationError
from tests.conftest import visitor_answers
from tests.unit.test_ledger import today
from tests.unit.test_online import confirm_transfer


def state(office, rid) -> RequestState:
    with office.session() as s:
        return s.get(ServiceRequest, rid).state


def last_audit(office, rid) -> AuditEntry:
    """The request's latest state transition in the audit trail."""
    with office.session() as s:
        return [e for e in audit.history(s, "service_request", rid) if e.to_state][-1]


def check(office, rid, expected: RequestState, actor_name: str):
    assert state(office, rid) is expected
    entry = last_audit(office, rid)
    assert entry.to_state == expected.value
    assert entry.actor_name == actor_name


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def test_walk_in_procedure(office_time, office, data_file):
    """The whole walk-in, at each instant where the UTC date differs from the office's: numbers, queue
    and books carry the office's date (WIT)."""
    day = local_date(office_time, "WIT")
    # 1-2. guestbook, then the visitor tells the abstraction and the list
    ticket, rid = office.walk_in()
    assert ticket.queue_code == "B-001"
    with office.session() as s:
        assert s.get(Visit, ticket.visit_id).queue_date == day
        assert [v.queue_code for v in guestbook.queue(s, office.officer)] == ["B-001"]  # today's queue
    officer, treasurer = "Yohanes Pattiasina", "Maria Latuconsina"
    with office.session() as s:
        req = s.get(ServiceRequest, rid)
        assert req.due_at == req.received_at + timedelta(hours=1)  # the 1-hour standard
    # 3. conformity check
    with office.session() as s:
        requests.submit(s, office.officer, rid)
    check(office, rid, RequestState.SUBMITTED, officer)
    with office.session() as s:
        quote = requests.approve(s, office.officer, rid)
        delivery.record_sppd(s, office.officer, rid)
    assert quote.total == 3_000_000
    check(office, rid, RequestState.APPROVED, officer)
    # 4. invoice
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid, billing_code="820261123465628")
    assert invoice.number == f"INV-00001/8100/{day.year}"
    assert invoice.billing_expires_at == invoice.issued_at + timedelta(days=7)
    check(office, rid, RequestState.INVOICED, officer)
    # 6. cash payment at the treasurer's desk, with change
    with office.session() as s:
        payment = billing.record_payment(s, office.treasurer, invoice.id, method="cash", amount="3.000.000",
                                         cash_tendered=3_050_000, idempotency_key="form-1")
    assert payment.change_given == 50_000
    check(office, rid, RequestState.PAID, treasurer)
    # 7. kuitansi
    with office.session() as s:
        receipt = billing.issue_receipt(s, office.treasurer, payment.id)
    assert receipt.number == f"0001/054081/{ROMAN[day.month - 1]}/{day.year}"
    assert receipt.amount == 3_000_000 and receipt.received_from == "Rahmat Hidayat"
    assert "Susenas Maret 2024 (KOR)" in receipt.description and receipt.account_code == "425435"
    check(office, rid, RequestState.RECEIPTED, treasurer)
    # 8. hand-over of the data with checksums
    with office.session() as s:
        item = delivery.items_of(s, rid)[0]
        handed = delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(item.id, data_file("susenas.dta", 4096))],
                                  channel=DeliveryChannel.IN_PERSON, media="flashdisk", media_label="PST-0001",
                                  receipt_handed_over=True, size_reason="Berkas uji lebih kecil.")
        assert handed.items[0].size_bytes == 4096 and len(handed.items[0].sha256) == 64
    check(office, rid, RequestState.DELIVERED, officer)
    # 9. the visitor checks it; 11. poll at the exit closes the visit and the request
    with office.session() as s:
        delivery.confirm_checked(s, office.officer, rid)
    check(office, rid, RequestState.VERIFIED, officer)
    with office.session() as s:
        feedback.answer_poll(s, office.kiosk, ticket.visit_id, [4, 4, 3, 3, 4, 4, 4, 3, 4])
    check(office, rid, RequestState.CLOSED, "Kios")
    with office.session() as s:
        visit = s.get(Visit, ticket.visit_id)
        assert visit.status is VisitStatus.DONE and visit.departed_at is not None
        states = [e.to_state for e in audit.history(s, "service_request", rid) if e.to_state]
        assert states == ["draft", "submitted", "approved", "invoiced", "paid", "receipted", "delivered",
                          "verified", "closed"]
        assert audit.verify(s) == []


def test_online_procedure(office, data_file):
    with office.session() as s:
        ticket = guestbook.register_visit(s, office.kiosk, visitor_answers(), "Pembelian Produk Statistik Berbayar")
    received = utcnow() - timedelta(days=1)
    with office.session() as s:
        req = requests.open_request(s, office.officer, visitor_id=ticket.visitor_id, channel=Channel.ONLINE,
                                    online_via="forum", received_at=received,
                                    abstraction="Kajian pasar kerja pemuda di Maluku.")
        requests.add_item(s, office.officer, req.id, product_code="microdata_raw", title="Sakernas Agustus 2025",
                          quantity=3_400_000, variables="B5R1, B5R28, B5R29", media="forum")
        rid = req.id
        assert req.due_at is None  # the clock starts when the request is clear
    with office.session() as s:
        requests.submit(s, office.officer, rid)
        requests.approve(s, office.officer, rid)
        delivery.record_sppd(s, office.officer, rid, scan=data_file("sppd-ttd.pdf", 200, fill=b"s"))
    with office.session() as s:
        req = s.get(ServiceRequest, rid)
        assert req.clear_at is not None and req.due_at is not None
        assert (req.due_at - req.clear_at) >= timedelta(days=12)  # 10 working days and the weekends
        invoice = billing.issue_invoice(s, office.officer, rid)
    assert invoice.total == 20_000 + 2_400 * 20
    proof = data_file("bukti-transfer.pdf", 300)
    with office.session() as s:
        payment = billing.record_payment(s, office.treasurer, invoice.id, method=PaymentMethod.TRANSFER,
                                         amount=invoice.total, idempotency_key="online-1", ntb="TRF001",
                                         proof_file=proof)
        assert len(payment.proof_sha256) == 64
        confirm_transfer(s, office, payment.id)
        billing.issue_receipt(s, office.treasurer, payment.id)
    with office.session() as s:
        item = delivery.items_of(s, rid)[0]
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(item.id, data_file("sakernas.csv"))],
                         channel=DeliveryChannel.FORUM, media="forum", size_reason="Berkas uji lebih kecil.")
        delivery.record_sppd_originals(s, office.officer, rid, utcnow())
        delivery.confirm_checked(s, office.officer, rid)
        delivery.close(s, office.officer, rid)  # the original arrived: no reason needed
    assert state(office, rid) is RequestState.CLOSED


def test_rp0_request_skips_payment(office, data_file):
    _ticket, rid = office.walk_in(items=(("map_kab_desa", "Peta WILKERSTAT", 1, "Kota Ambon"),))
    with office.session() as s:
        requests.submit(s, office.officer, rid)
        requests.approve(s, office.officer, rid, waiver={
            "category": "regional_government", "purpose": "state_duties",
            "letter_number": "050/123/BAPPEDA/2026", "letter_date": "2026-11-20"})
        delivery.record_sppd(s, office.officer, rid)
    with office.session() as s, pytest.raises(StateError) as err:
        billing.issue_invoice(s, office.officer, rid)
    assert err.value.code == "waiver_not_zero"
    with office.session() as s:
        req = s.get(ServiceRequest, rid)
        assert req.waiver.normal_amount == 70_000 and req.waiver.approved_by_id == office.officer.account_id
        item = delivery.items_of(s, rid)[0]
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(item.id, data_file("peta.shp"))],
                         channel=DeliveryChannel.IN_PERSON, media="flashdisk")
    assert state(office, rid) is RequestState.DELIVERED
    with office.session() as s:
        assert s.scalar(select(func.count(Invoice.id))) == 0


def test_paid_request_cannot_skip_payment(office, data_file):
    rid = office.approved()
    with office.session() as s, pytest.raises(StateError) as err:
        item = delivery.items_of(s, rid)[0]
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(item.id, data_file("a.dta"))],
                         channel=DeliveryChannel.IN_PERSON, media="flashdisk")
    assert err.value.code == "needs_payment"
    assert state(office, rid) is RequestState.APPROVED


def test_redirect_to_consultation(office):
    ticket, rid = office.walk_in()
    with office.session() as s:
        requests.submit(s, office.officer, rid)
    with office.session() as s, pytest.raises(ValidationError):
        requests.redirect(s, office.officer, rid, "   ")
    with office.session() as s:
        requests.redirect(s, office.officer, rid, "Data yang diminta tidak sesuai abstraksi.")
    check(office, rid, RequestState.REDIRECTED, "Yohanes Pattiasina")
    with office.session() as s:
        referral = s.scalar(select(ConsultationReferral).where(ConsultationReferral.request_id == rid))
        assert referral.reason == "Data yang diminta tidak sesuai abstraksi."
        assert s.get(Visit, ticket.visit_id).station == "Konsultasi Statistik"
    assert last_audit(office, rid).reason == "Data yang diminta tidak sesuai abstraksi."


def test_correction_loop(office, data_file):
    rid, payment_id = office.paid()
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
        item = delivery.items_of(s, rid)[0]
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(item.id, data_file("v1.dta", 100))],
                         channel=DeliveryChannel.IN_PERSON, media="flashdisk", size_reason="Berkas uji lebih kecil.")
    with office.session() as s:
        delivery.report_problem(s, office.officer, rid, "Label variabel hilang.")
    check(office, rid, RequestState.CORRECTION_REQUESTED, "Yohanes Pattiasina")
    with office.session() as s, pytest.raises(ValidationError) as err:
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(item.id, data_file("v2.dta", 120))],
                         channel=DeliveryChannel.IN_PERSON, media="flashdisk")
    assert err.value.field == "fixes"
    with office.session() as s:
        second = delivery.deliver(s, office.officer, rid,
                                  [delivery.DeliveredFile(item.id, data_file("v2.dta", 120))],
                                  channel=DeliveryChannel.IN_PERSON, media="flashdisk", fixes="Label ditambahkan.",
                                  size_reason="Berkas uji lebih kecil.")
        assert second.round == 2
    with office.session() as s:
        correction = s.scalar(select(Correction).where(Correction.request_id == rid))
        assert correction.fixed_by_delivery_id == second.id
        assert [d.round for d in s.scalars(select(Delivery).where(Delivery.request_id == rid))] == [1, 2]
    check(office, rid, RequestState.DELIVERED, "Yohanes Pattiasina")


def test_cancellation_cancels_the_invoice_and_keeps_its_number(office):
    rid = office.approved()
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid)
    with office.session() as s:
        requests.cancel(s, office.officer, rid, "Pemohon membatalkan permintaan.")
    year = today(office).year  # the office's year, whatever UTC says
    with office.session() as s:
        stored = s.get(Invoice, invoice.id)
        assert stored.status is DocumentStatus.CANCELLED and stored.number == f"INV-00001/8100/{year}"
        assert stored.cancel_reason == "Pemohon membatalkan permintaan."
    check(office, rid, RequestState.CANCELLED, "Yohanes Pattiasina")
    rid2 = office.approved()
    with office.session() as s:
        assert billing.issue_invoice(s, office.officer, rid2).number == f"INV-00002/8100/{year}"


def test_paid_request_cannot_be_cancelled(office):
    rid, _payment = office.paid()
    with office.session() as s, pytest.raises(StateError):
        requests.cancel(s, office.officer, rid, "coba")
    assert state(office, rid) is RequestState.PAID


def test_wrong_state_and_wrong_role_change_nothing(office):
    _ticket, rid = office.walk_in()
    with office.session() as s:
        before = s.scalar(select(func.count(AuditEntry.seq)))
    with office.session() as s, pytest.raises(StateError) as err:
        billing.issue_invoice(s, office.officer, rid)  # not approved yet
    number = f"PST-8100-{today(office).year}-00001"
    assert number in err.value.message("id") and "cannot be done" in err.value.message("en")
    with office.session() as s, pytest.raises(PermissionDenied):
        requests.submit(s, office.treasurer, rid)
    with office.session() as s:
        assert s.get(ServiceRequest, rid).state is RequestState.DRAFT
        assert s.scalar(select(func.count(AuditEntry.seq))) == before


def test_failed_payment_changes_nothing(office):
    rid = office.approved()
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid)
    for bad in ({"amount": 2_999_999}, {"amount": 3_000_001}, {"amount": "tiga juta"}, {"amount": -5},
                {"amount": 3_000_000, "cash_tendered": 2_000_000}):
        with office.session() as s, pytest.raises(ValidationError):
            billing.record_payment(s, office.treasurer, invoice.id, method="cash", idempotency_key="k",
                                   **{"cash_tendered": None, **bad})
    with office.session() as s, pytest.raises(ValidationError) as err:
        billing.record_payment(s, office.treasurer, invoice.id, method="simponi", amount=3_000_000,
                               idempotency_key="k", ntpn="123", ntb="x")
    assert err.value.field in ("billing_code", "ntpn")
    with office.session() as s:
        assert s.scalar(select(func.count(Payment.id))) == 0
        assert s.get(Invoice, invoice.id).status is DocumentStatus.ISSUED
    assert state(office, rid) is RequestState.INVOICED


def test_double_press_records_one_payment(office):
    rid = office.approved()
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid)
    ids = []
    for _ in range(2):
        with office.session() as s:
            ids.append(billing.record_payment(s, office.treasurer, invoice.id, method="cash", amount=3_000_000,
                                              idempotency_key="form-7").id)
    assert ids[0] == ids[1]
    with office.session() as s:
        assert s.scalar(select(func.count(Payment.id))) == 1
    with office.session() as s, pytest.raises(StateError):
        billing.record_payment(s, office.treasurer, invoice.id, method="cash", amount=3_000_000,
                               idempotency_key="another-form")


def test_receipt_cancelled_with_supervisor_approval_stays_in_the_books(office):
    _rid, payment_id = office.paid()
    with office.session() as s:
        first = billing.issue_receipt(s, office.treasurer, payment_id)
    with office.session() as s, pytest.raises(ValidationError):
        billing.cancel_receipt(s, office.treasurer, first.id, "Nama salah", approver=office.officer)
    with office.session() as s:
        billing.cancel_receipt(s, office.treasurer, first.id, "Nama pembayar salah ketik", approver=office.supervisor)
    with office.session() as s:
        second = billing.issue_receipt(s, office.treasurer, payment_id)
        assert second.sequence == 2
        rows = s.scalars(select(Receipt).order_by(Receipt.sequence)).all()
        assert [(r.sequence, r.status) for r in rows] == [(1, DocumentStatus.CANCELLED), (2, DocumentStatus.ISSUED)]
        assert rows[0].cancel_reason == "Nama pembayar salah ketik"


def test_cash_deposit_with_ntpn(office):
    receipts = []
    for i in range(2):
        _rid, payment_id = office.paid(phone=f"08124321567{i}")
        with office.session() as s:
            receipts.append(billing.issue_receipt(s, office.treasurer, payment_id))
    with office.session() as s:
        assert [r.id for r in billing.undeposited_cash(s, office.treasurer)] == [r.id for r in receipts]
    with office.session() as s, pytest.raises(ValidationError):
        billing.record_deposit(s, office.treasurer, [r.id for r in receipts], ntpn="ABC",
                               deposited_on=today(office))
    with office.session() as s:
        deposit = billing.record_deposit(s, office.treasurer, [r.id for r in receipts], ntpn="0a1b2c3d4e5f6a7b",
                                         deposited_on=today(office))
        assert deposit.amount == 6_000_000 and deposit.ntpn == "0A1B2C3D4E5F6A7B"
    with office.session() as s:
        assert billing.undeposited_cash(s, office.treasurer) == []
        with pytest.raises(StateError):
            billing.cancel_receipt(s, office.treasurer, receipts[0].id, "x", approver=office.supervisor)

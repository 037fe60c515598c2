"""The online channel's own steps (sample file sent and checked) and the officer's read rows."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import (
    AuditEntry,
    Channel,
    DeliveryChannel,
    PaymentMethod,
    ReceivingAccount,
    RequestState,
    ServiceRequest,
    Visit,
    Visitor,
)
from pstdesktop.services import audit, billing, delivery, online, receiving, requests
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import PermissionDenied, StateError, ValidationError
from tests.conftest import visitor_answers


def online_request(office, **answers) -> int:
    with office.session() as s:
        person = online.register_requester(s, office.officer, visitor_answers(**answers))
        req = requests.open_request(s, office.officer, visitor_id=person.id, channel=Channel.ONLINE,
                                    online_via="forum", received_at=utcnow() - timedelta(days=1),
                                    abstraction="Kajian ketenagakerjaan kabupaten untuk skripsi.")
        requests.add_item(s, office.officer, req.id, product_code="microdata_raw", title="Sakernas Agustus 2025",
                          quantity=3_400_000, variables="B5R1, B5R2", media="forum")
        requests.submit(s, office.officer, req.id)
        requests.approve(s, office.officer, req.id)
        return req.id


def confirm_transfer(s, office, payment_id: int) -> None:
    """The treasurer sees the transfer on the office's receiving account (one is added when there is none)."""
    if s.scalar(select(ReceivingAccount.id).where(ReceivingAccount.active.is_(True))) is None:
        receiving.add(s, office.supervisor, bank="Bank BRI", number="0123-01-000456-30-1",
                      holder="RPL 054 BPS Provinsi Maluku untuk Penerimaan")
    billing.confirm_on_account(s, office.treasurer, payment_id)


def receipted_by_transfer(office, rid: int, data_file) -> int:
    """The online request ``rid`` with its signed SPPD scan, its invoice paid by a transfer the treasurer
    saw on the account, and its kuitansi: the kuitansi's id."""
    with office.session() as s:
        delivery.record_sppd(s, office.officer, rid, scan=data_file(f"sppd-{rid}.pdf", 400, fill=b"S"))
        invoice = billing.issue_invoice(s, office.officer, rid)
        payment = billing.record_payment(s, office.treasurer, invoice.id, method=PaymentMethod.TRANSFER,
                                         amount=invoice.total, idempotency_key=f"transfer-{rid}", ntb="TRF-1",
                                         proof_file=data_file(f"bukti-{rid}.pdf", 900, fill=b"P"))
        confirm_transfer(s, office, payment.id)
        return billing.issue_receipt(s, office.treasurer, payment.id).id


def test_online_requester_has_no_visit_and_is_audited(office):
    rid = online_request(office, full_name="Dewi Daring")
    with office.session() as s:
        req = s.get(ServiceRequest, rid)
        assert req.visit_id is None and req.due_at is not None
        assert s.get(Visitor, req.visitor_id).full_name == "Dewi Daring"
        assert s.scalar(select(func.count(Visit.id))) == 0
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.entity == "visitor")) == "visitor.online"


def test_register_requester_refuses_a_broken_answer_and_adds_nothing(office):
    with pytest.raises(ValidationError) as error, office.session() as s:
        online.register_requester(s, office.officer, visitor_answers(email="bukan-email"))
    assert error.value.field == "email"
    with office.session() as s:
        assert s.scalar(select(func.count(Visitor.id))) == 0


def test_sample_sent_checked_with_correction_then_sent_again(office):
    rid = online_request(office)
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid)
        online.record_sample_sent(s, office.officer, rid)
    with office.session() as s:
        online.record_sample_check(s, office.officer, rid, note="Variabel B5R2 belum berlabel.")
        found = online.case_file(s, office.officer, rid)
    assert found.sample_sent and found.sample_checked and found.sample_note == "Variabel B5R2 belum berlabel."
    with office.session() as s:
        online.record_sample_sent(s, office.officer, rid)
        assert online.case_file(s, office.officer, rid).sample_checked == ""  # waits for a new check
        online.record_sample_check(s, office.officer, rid)
    with office.session() as s:
        actions = [e.action for e in audit.history(s, "service_request", rid)]
        assert actions.count("request.sample_sent") == 2 and actions.count("request.sample_checked") == 2
        assert s.get(ServiceRequest, rid).state is RequestState.INVOICED
        assert invoice.number == online.case_file(s, office.officer, rid).invoice_number


def test_sample_steps_refused_with_plain_messages(office):
    rid = online_request(office)
    with pytest.raises(StateError) as error, office.session() as s:
        online.record_sample_check(s, office.officer, rid)
    assert "belum dikirim" in error.value.message("id")
    _ticket, walk_in = office.walk_in()
    with pytest.raises(StateError) as error, office.session() as s:
        online.record_sample_sent(s, office.officer, walk_in)
    assert "hanya untuk permintaan daring" in error.value.message("id")
    with pytest.raises(ValidationError) as error, office.session() as s:
        online.record_sample_sent(s, office.officer, rid, at=utcnow() + timedelta(hours=2))
    assert error.value.code == "future"
    with office.session() as s:
        online.record_sample_sent(s, office.officer, rid)
    with pytest.raises(ValidationError) as error, office.session() as s:
        online.record_sample_check(s, office.officer, rid, at=utcnow() - timedelta(days=3))
    assert "contoh data dikirim" in error.value.message("id")
    with pytest.raises(PermissionDenied), office.session() as s:
        online.record_sample_sent(s, office.treasurer, rid)
    with office.session() as s:
        assert s.get(ServiceRequest, rid).sample_checked_at is None


def test_case_file_follows_an_online_request_to_the_forum(office, data_file):
    rid = online_request(office)
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid)
        delivery.record_sppd(s, office.officer, rid, scan=data_file("sppd-ttd.pdf", 200, fill=b"s"))
    proof = data_file("bukti.pdf", 300)
    with office.session() as s:
        payment = billing.record_payment(s, office.treasurer, invoice.id, method=PaymentMethod.TRANSFER,
                                         amount=invoice.total, idempotency_key="t-1", ntb="TRF1", proof_file=proof)
        confirm_transfer(s, office, payment.id)
        receipt = billing.issue_receipt(s, office.treasurer, payment.id)
    with office.session() as s:
        delivery.record_sppd_originals(s, office.officer, rid, utcnow())
        item = delivery.items_of(s, rid)[0]
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(item.id, data_file("sak.csv", 1000))],
                         channel=DeliveryChannel.FORUM, media="forum", receipt_handed_over=True, size_reason="Berkas uji lebih kecil.")
    with office.session() as s:
        case = online.case_file(s, office.officer, rid)
    assert case.channel is Channel.ONLINE and case.state is RequestState.DELIVERED
    assert case.proof_file == proof.name == case.proof.file_name and len(case.proof_sha256) == 64
    assert case.receipt_number == receipt.number and case.sppd_originals_received and case.sppd_originals_expected == 2
    assert case.sppd_number.startswith("SPPD-00001/8100/")
    assert case.deliveries[0].channel == "forum" and case.deliveries[0].files[0].size_bytes == 1000
    assert case.items[0].price == invoice.total and "×" in case.items[0].formula


def test_board_rows_online_only_overdue_first(office):
    _t, walk_in = office.walk_in()
    late = online_request(office, full_name="Terlambat")
    fresh = online_request(office, full_name="Baru")
    with office.session() as s:
        s.get(ServiceRequest, late).due_at = utcnow() - timedelta(days=1)
    with office.session() as s:
        rows = online.board_rows(s, office.officer)
        every = online.board_rows(s, office.officer, channel=None)
    assert [r.request_id for r in rows] == [late, fresh] and rows[0].overdue and not rows[1].overdue
    assert walk_in in [r.request_id for r in every]
    with office.session() as s:
        assert [r.request_id for r in online.board_rows(s, office.officer, limit=1, offset=1)] == [fresh]


def test_search_by_name_phone_invoice_and_receipt_number(office):
    rid, payment_id = office.paid(full_name="Yosua Manuputty", phone="081299990000")
    with office.session() as s:
        receipt = billing.issue_receipt(s, office.treasurer, payment_id)
        invoice = billing.invoice_for(s, rid)
    with office.session() as s:
        for key in ("manuputty", "0812-9999-0000", invoice.number, receipt.number):
            rows = online.search_rows(s, office.officer, key)
            assert [r.request_id for r in rows] == [rid], key
        assert rows[0].invoice_number == invoice.number and rows[0].receipt_number == receipt.number
        assert online.search_rows(s, office.officer, "   ") == []


def test_visit_requests(office):
    ticket, rid = office.walk_in()
    with office.session() as s:
        found = online.visit_requests(s, office.officer, [ticket.visit_id, 999])
        assert online.visit_requests(s, office.officer, []) == {}
    assert [(r.request_id, r.state) for r in found[ticket.visit_id]] == [(rid, RequestState.DRAFT)]
    assert found[999] == []

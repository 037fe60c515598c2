"""Online sales on a shared database (issue 15): evidence held with the database and opened from another
PC, a transfer proof used twice flagged, the size limit, the transfer reference, the receiving account,
the online steps and closing with the SPPD original still outstanding. Every test runs on SQLite and on
the real PostgreSQL server the tests start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import (
    EVIDENCE_MAX_BYTES,
    AuditEntry,
    DeliveryChannel,
    Evidence,
    Invoice,
    Payment,
    PaymentMethod,
    Receipt,
    RequestState,
    ServiceRequest,
    SppdAgreement,
)
from pstdesktop.bootstrap import open_url
from pstdesktop.config import sqlite_url
from pstdesktop.services import audit, billing, delivery, evidence, online, receiving
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import StateError, ValidationError
from tests.conftest import Office
from tests.unit.test_online import confirm_transfer, online_request


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_pcs(request, tmp_path):
    """The same database opened by two PCs (two engines): (the office on PC 1, PC 2's database)."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path / "shared.sqlite")
    else:
        url = request.getfixturevalue("postgres_url")
    first = open_url(url, tmp_path / "backups")
    second = open_url(url, tmp_path / "backups2")
    try:
        yield Office(first), second
    finally:
        first.dispose()
        second.dispose()


def scan(tmp_path, name: str, body: bytes = b"%PDF-1.4 scan\n") -> str:
    path = tmp_path / name
    path.write_bytes(body)
    return str(path)


def invoiced_online(office: Office, tmp_path, name="sppd.pdf") -> tuple[int, int]:
    rid = online_request(office)
    with office.session() as s:
        delivery.record_sppd(s, office.officer, rid, scan=scan(tmp_path, name, f"SPPD {rid}".encode()))
        invoice = billing.issue_invoice(s, office.officer, rid)
        return rid, invoice.id


def pay_by_transfer(office: Office, invoice_id: int, proof: str, *, reference="TRF-2026-0001", reason="") -> int:
    with office.session() as s:
        total = s.get(Invoice, invoice_id).total
        payment = billing.record_payment(s, office.treasurer, invoice_id, method=PaymentMethod.TRANSFER,
                                         amount=total, idempotency_key=f"t-{invoice_id}", ntb=reference,
                                         proof_file=proof, proof_reuse_reason=reason)
        return payment.id


def test_a_proof_saved_on_one_pc_opens_on_the_other_after_the_file_is_gone(two_pcs, tmp_path):
    office, other = two_pcs
    _rid, invoice_id = invoiced_online(office, tmp_path)
    body = b"%PDF-1.4 bukti transfer BRI " + bytes(range(256)) * 40
    proof = tmp_path / "bukti.pdf"
    proof.write_bytes(body)
    payment_id = pay_by_transfer(office, invoice_id, str(proof))
    proof.unlink()  # the file moved on the treasurer's PC
    with other.unit_of_work() as s:
        evidence_id = s.get(Payment, payment_id).proof_id
        shown, content = evidence.content(s, office.officer, evidence_id)
    assert content == body
    assert shown.file_name == "bukti.pdf" and shown.size_bytes == len(body) and shown.media_type == "application/pdf"
    with office.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.entity == "evidence",
                                                  AuditEntry.entity_id == evidence_id))
        row = audit.row_of(entry)  # the trail holds the file's hash, never its bytes
        assert row["sha256"] == shown.sha256 and row["content"] == "sha256:" + shown.sha256
        assert audit.verify(s) == []


def test_the_same_proof_for_a_second_payment_is_refused_until_a_reason_is_given(two_pcs, tmp_path):
    office, other = two_pcs
    _r1, first = invoiced_online(office, tmp_path, "s1.pdf")
    _r2, second = invoiced_online(office, tmp_path, "s2.pdf")
    proof = scan(tmp_path, "bukti.jpg", b"\xff\xd8\xff same transfer")
    pay_by_transfer(office, first, proof, reference="TRF1")
    copy = scan(tmp_path, "bukti-lagi.jpg", b"\xff\xd8\xff same transfer")  # same bytes, other name
    with pytest.raises(ValidationError) as refused:
        pay_by_transfer(office, second, copy, reference="TRF2")
    with office.session() as s:
        first_number = s.get(Invoice, first).number
    assert refused.value.code == "proof_reused" and first_number in refused.value.message("id")
    assert "reason" in refused.value.message("en")
    with office.session() as s:
        assert s.scalar(select(func.count(Payment.id))) == 1
    payment_id = pay_by_transfer(office, second, copy, reference="TRF2",
                                 reason="Pemohon membayar dua invoice dalam satu transfer.")
    with other.unit_of_work() as s:
        payment = s.get(Payment, payment_id)
        assert payment.proof_reuse_reason.startswith("Pemohon membayar")
        assert s.scalar(select(func.count(Evidence.id)).where(Evidence.file_name.like("bukti%"))) == 1
        assert billing.proof_used_by(s, office.officer, payment_id) == [
            s.get(Invoice, first).number]
        assert s.scalar(select(AuditEntry.reason).where(AuditEntry.action == "payment.record",
                                                        AuditEntry.entity_id == payment_id)).startswith("Pemohon")


def test_a_file_over_the_limit_is_refused_with_the_message_and_nothing_is_written(two_pcs, tmp_path):
    office, _other = two_pcs
    _rid, invoice_id = invoiced_online(office, tmp_path)
    big = tmp_path / "besar.pdf"
    big.write_bytes(b"x" * (EVIDENCE_MAX_BYTES + 1))
    with pytest.raises(ValidationError) as refused:
        pay_by_transfer(office, invoice_id, str(big))
    assert "paling besar 10 MB" in refused.value.message("id") and "at most 10 MB" in refused.value.message("en")
    assert "besar.pdf" in refused.value.message("id")
    with office.session() as s:
        assert s.scalar(select(func.count(Payment.id))) == 0
        assert s.scalar(select(func.count(Evidence.id)).where(Evidence.file_name == "besar.pdf")) == 0


def test_a_transfer_needs_its_reference_and_its_proof(two_pcs, tmp_path):
    office, _other = two_pcs
    _rid, invoice_id = invoiced_online(office, tmp_path)
    with pytest.raises(ValidationError) as no_reference:
        pay_by_transfer(office, invoice_id, scan(tmp_path, "b.pdf"), reference="")
    assert no_reference.value.field == "transfer_reference"
    assert "Nomor referensi transfer wajib diisi" in no_reference.value.message("id")
    with pytest.raises(ValidationError) as no_proof, office.session() as s:
        billing.record_payment(s, office.treasurer, invoice_id, method=PaymentMethod.TRANSFER,
                               amount=s.get(Invoice, invoice_id).total, idempotency_key="x", ntb="TRF")
    assert no_proof.value.field == "proof_file"


def test_online_sppd_needs_its_scan_and_the_original_its_date(two_pcs, tmp_path):
    office, other = two_pcs
    rid = online_request(office)
    with pytest.raises(ValidationError) as no_scan, office.session() as s:
        delivery.record_sppd(s, office.officer, rid)
    assert no_scan.value.field == "sppd_scan"
    with office.session() as s:
        delivery.record_sppd(s, office.officer, rid, scan=scan(tmp_path, "sppd-ttd.pdf"))
    with pytest.raises(ValidationError), office.session() as s:
        delivery.record_sppd_originals(s, office.officer, rid, utcnow() + timedelta(days=2))
    with pytest.raises(ValidationError), office.session() as s:
        delivery.record_sppd_originals(s, office.officer, rid, utcnow() - timedelta(days=30))
    received = utcnow() - timedelta(minutes=5)
    with office.session() as s:
        delivery.record_sppd_originals(s, office.officer, rid, received,
                                       scan=scan(tmp_path, "sppd-asli.pdf", b"%PDF original"))
    with other.unit_of_work() as s:
        sppd = s.scalar(select(SppdAgreement).where(SppdAgreement.request_id == rid))
        assert abs(sppd.originals_received_at - received) < timedelta(seconds=1)
        assert evidence.content(s, office.officer, sppd.original_scan_id)[1] == b"%PDF original"
        assert evidence.content(s, office.officer, sppd.scan_id)[0].file_name == "sppd-ttd.pdf"


def test_whole_online_sheet_and_closing_with_the_original_outstanding(two_pcs, tmp_path):
    office, other = two_pcs
    with office.session() as s:
        bank = receiving.add(s, office.supervisor, bank="Bank BRI", number="0123-01-000456-30-1",
                             holder="RPL 054 BPS Kota Jambi Penerimaan")
    rid, invoice_id = invoiced_online(office, tmp_path)
    with office.session() as s:
        online.record_papers_sent(s, office.officer, rid, via="forum")
    payment_id = pay_by_transfer(office, invoice_id, scan(tmp_path, "bukti.pdf"))
    with office.session() as s:
        billing.confirm_on_account(s, office.treasurer, payment_id)
        receipt = billing.issue_receipt(s, office.treasurer, payment_id)
        receipt_id = receipt.id
    (tmp_path / "data.csv").write_bytes(b"a" * 3_400_000)
    with office.session() as s:
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(
            s.get(ServiceRequest, rid).items[0].id, tmp_path / "data.csv")], channel=DeliveryChannel.FORUM,
            media="forum")
    with pytest.raises(ValidationError) as no_scan, office.session() as s:
        online.record_results_sent(s, office.officer, rid, via="forum")
    assert no_scan.value.field == "receipt_scan"
    with office.session() as s:
        billing.attach_receipt_scan(s, office.treasurer, receipt_id, scan(tmp_path, "kuitansi-ttd.pdf", b"kw"))
    with office.session() as s:
        online.record_results_sent(s, office.officer, rid, via="forum")
        delivery.confirm_checked(s, office.officer, rid)
    with other.unit_of_work() as s:
        case = online.case_file(s, office.officer, rid)
        assert case.papers_sent_via == "forum" and case.results_sent and case.confirmed
        assert case.receipt_scan.file_name == "kuitansi-ttd.pdf" and case.sppd_scan is not None
        assert s.get(Payment, payment_id).receiving_account_id == bank.id
        assert s.get(Receipt, receipt_id).scan_id is not None
        rows = online.outstanding_originals(s, office.officer)
        assert [row.request_id for row in rows] == [rid] and rows[0].age_days == 0
    with pytest.raises(StateError) as refused, office.session() as s:
        delivery.close(s, office.officer, rid, reason="ditutup saja")  # an officer cannot
    assert refused.value.code == "original_outstanding" and "supervisor" in refused.value.message("id")
    with pytest.raises(StateError), office.session() as s:
        delivery.close(s, office.supervisor, rid)  # a supervisor without a reason neither
    with office.session() as s:
        assert s.get(ServiceRequest, rid).state is RequestState.VERIFIED
        delivery.close(s, office.supervisor, rid, reason="SPPD asli hilang di pos; pemohon mengirim ulang.")
    with other.unit_of_work() as s:
        request = s.get(ServiceRequest, rid)
        assert request.state is RequestState.CLOSED and request.closed_without_original.startswith("SPPD asli")
        closing = s.scalar(select(AuditEntry).where(AuditEntry.entity == "service_request",
                                                    AuditEntry.entity_id == rid, AuditEntry.to_state == "closed"))
        assert closing.reason.startswith("SPPD asli") and closing.actor_id == office.supervisor.account_id
        assert [r.request_id for r in online.outstanding_originals(s, office.officer)] == [rid]  # still awaited
        assert audit.verify(s) == []


def test_no_kuitansi_for_an_online_transfer_before_the_treasurer_confirms_it(office, tmp_path):
    rid, invoice_id = invoiced_online(office, tmp_path)
    payment_id = pay_by_transfer(office, invoice_id, scan(tmp_path, "bukti.pdf"))
    with pytest.raises(StateError) as refused, office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
    with office.session() as s:
        number = s.get(Invoice, invoice_id).number
        assert s.scalar(select(func.count(Receipt.id))) == 0  # refused: nothing written
        assert s.get(ServiceRequest, rid).state is RequestState.PAID
    assert refused.value.code == "transfer_unconfirmed"
    assert f"Transfer untuk invoice {number} belum dikonfirmasi masuk rekening penerimaan" in refused.value.message("id")
    assert "not been confirmed on the receiving account" in refused.value.message("en")
    with office.session() as s:
        confirm_transfer(s, office, payment_id)
        receipt = billing.issue_receipt(s, office.treasurer, payment_id)
        assert receipt.amount == s.get(Invoice, invoice_id).total
        assert s.get(ServiceRequest, rid).state is RequestState.RECEIPTED


def test_closing_after_the_original_arrived_needs_no_reason(office, tmp_path):
    rid, invoice_id = invoiced_online(office, tmp_path)
    payment_id = pay_by_transfer(office, invoice_id, scan(tmp_path, "bukti.pdf"))
    with office.session() as s:
        confirm_transfer(s, office, payment_id)
        billing.issue_receipt(s, office.treasurer, payment_id)
        (tmp_path / "data.csv").write_bytes(b"a" * 3_400_000)
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(
            s.get(ServiceRequest, rid).items[0].id, tmp_path / "data.csv")], channel=DeliveryChannel.FORUM,
            media="forum")
        delivery.confirm_checked(s, office.officer, rid)
        delivery.record_sppd_originals(s, office.officer, rid, utcnow())
    with office.session() as s:
        assert online.outstanding_originals(s, office.officer) == []
        delivery.close(s, office.officer, rid)
        assert s.get(ServiceRequest, rid).state is RequestState.CLOSED


def test_outstanding_originals_page_in_the_database_with_their_age(office, tmp_path, time_machine):
    time_machine.move_to("2026-11-02T02:00:00+00:00", tick=False)  # Monday 09:00 WIT
    ids = [invoiced_online(office, tmp_path, f"s{n}.pdf")[0] for n in range(3)]
    time_machine.move_to("2026-11-16T02:00:00+00:00", tick=False)  # two weeks later
    with office.session() as s:
        first = online.outstanding_originals(s, office.officer, limit=2)
        rest = online.outstanding_originals(s, office.officer, limit=2, offset=2)
    assert [r.request_id for r in first + rest] == ids
    assert first[0].age_days == 14 and first[0].age_working_days == 10


def test_receiving_accounts_are_checked_audited_and_deactivated_not_deleted(office):
    with pytest.raises(ValidationError) as bad, office.session() as s:
        receiving.add(s, office.supervisor, bank="BRI", number="12ab", holder="BPS")
    assert bad.value.field == "account_number"
    with office.session() as s:
        row = receiving.add(s, office.supervisor, bank="BRI", number="0123 0100 0456 301", holder="BPS Kota")
    with pytest.raises(ValidationError), office.session() as s:
        receiving.add(s, office.supervisor, bank="BRI", number="0123 0100 0456 301", holder="BPS Kota")
    with office.session() as s:
        receiving.set_active(s, office.supervisor, row.id, False)
        assert receiving.accounts(s, office.supervisor, active_only=True) == []
        assert [a.active for a in receiving.accounts(s, office.supervisor)] == [False]
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "receiving_account")))
        assert actions == ["receiving_account.add", "receiving_account.inactive"]


def pdftotext(data: bytes, tmp_path) -> str:
    """The PDF's text as poppler's pdftotext reads it (layout kept), whitespace folded."""
    import subprocess

    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def test_an_online_invoice_tells_how_to_transfer_and_a_billing_code_replaces_it(office, tmp_path):
    from pstdesktop import documents

    with office.session() as s:
        receiving.add(s, office.supervisor, bank="Bank BRI", number="0123-01-000456-30-1",
                      holder="RPL 054 BPS Kota Ambon")
        off = receiving.add(s, office.supervisor, bank="Bank Mandiri", number="150-00-1234567-8", holder="BPS Lama")
        receiving.set_active(s, office.supervisor, off.id, False)
    _rid, invoice_id = invoiced_online(office, tmp_path)
    with office.session() as s:
        invoice = s.get(Invoice, invoice_id)
        number = invoice.number
        text = pdftotext(documents.invoice_pdf(s, office.officer, invoice_id), tmp_path)
    assert "Pembayaran melalui transfer bank" in text
    assert "Bank BRI 0123-01-000456-30-1 a.n. RPL 054 BPS Kota Ambon" in text
    assert "Jumlah transfer : Rp68.000 (tepat)" in text and f"Berita / referensi : {number}" in text
    assert f"tulis nomor invoice {number} sebagai berita/referensi transfer" in text
    assert "Mandiri" not in text and "Bayar tunai" not in text  # an inactive account, and walk-in cash words
    with office.session() as s:
        billing.set_billing_code(s, office.officer, invoice_id, "820261123465628",
                                 billing_expires_at=utcnow() + timedelta(days=3))
    with office.session() as s:
        coded = pdftotext(documents.invoice_pdf(s, office.officer, invoice_id), tmp_path)
    assert "Kode Billing SIMPONI" in coded and "820261123465628" in coded
    assert "Pembayaran melalui transfer bank" not in coded and "Bank BRI" not in coded


def test_a_walk_in_invoice_keeps_cash_at_the_treasurer(office, tmp_path):
    from pstdesktop import documents

    with office.session() as s:
        receiving.add(s, office.supervisor, bank="Bank BRI", number="0123-01-000456-30-1", holder="BPS")
    rid = office.approved()
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid)
        text = pdftotext(documents.invoice_pdf(s, office.officer, invoice.id), tmp_path)
    assert "Bayar tunai" in text and "Bank BRI" not in text


def test_one_file_is_not_both_the_sppd_scan_and_the_kuitansi_scan_of_a_request(office, tmp_path):
    """The SPPD scan chosen again as the kuitansi scan (or the proof as the original's scan) is refused,
    naming what the file already is; nothing is written. The same file for the same kind is kept."""
    rid, invoice_id = invoiced_online(office, tmp_path, "sppd-ttd.pdf")
    sppd_scan = str(tmp_path / "sppd-ttd.pdf")
    proof = scan(tmp_path, "bukti.pdf", b"%PDF-1.4 bukti transfer\n")
    payment_id = pay_by_transfer(office, invoice_id, proof)
    with office.session() as s:
        confirm_transfer(s, office, payment_id)
        receipt_id = billing.issue_receipt(s, office.treasurer, payment_id).id
    with office.session() as s:
        before = (s.scalar(select(func.count(Evidence.id))), s.scalar(select(func.count()).select_from(AuditEntry)))
    with pytest.raises(ValidationError) as refused, office.session() as s:
        billing.attach_receipt_scan(s, office.officer, receipt_id, sppd_scan)
    assert refused.value.message("id") == (
        "Pindaian kuitansi bertanda tangan: berkas sppd-ttd.pdf (SHA-256 sama) sudah tersimpan untuk permintaan "
        "ini sebagai Pindaian SPPD bertanda tangan. Pilih berkas yang benar; tidak ada yang diubah.")
    assert "already stored for this request as Scan of the signed SPPD" in refused.value.message("en")
    with pytest.raises(ValidationError) as refused, office.session() as s:
        delivery.record_sppd_originals(s, office.officer, rid, utcnow(), scan=proof)
    assert "sebagai Bukti transfer" in refused.value.message("id")
    with office.session() as s:
        assert s.get(Receipt, receipt_id).scan_id is None
        assert s.scalar(select(SppdAgreement.originals_received_at)) is None
        assert (s.scalar(select(func.count(Evidence.id))), s.scalar(select(func.count()).select_from(AuditEntry))) == before
        delivery.record_sppd(s, office.officer, rid, scan=sppd_scan)  # the same SPPD scan again: kept
        billing.attach_receipt_scan(s, office.officer, receipt_id, scan(tmp_path, "kuitansi-ttd.pdf", b"KW"))
    other_rid, other_invoice = invoiced_online(office, tmp_path, "sppd-lain.pdf")
    with office.session() as s:  # another request may hold the same file as another kind
        delivery.record_sppd(s, office.officer, other_rid, scan=proof)

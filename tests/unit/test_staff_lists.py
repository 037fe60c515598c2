"""The treasurer's lists and header read only open rows (the awaiting-receipt marker, the kuitansi
awaiting deposit, the issued invoices) and say the same as the books derived from every movement."""

from models import PaymentMethod
from pstdesktop.services import billing, ledger
from pstdesktop.services.clock import local_date, utcnow


def test_held_now_and_the_open_lists_agree_with_the_books(office):
    unpaid = office.approved(full_name="Belum Bayar")
    with office.session() as s:
        billing.issue_invoice(s, office.officer, unpaid)
    _r1, waiting = office.paid(full_name="Tunai Menunggu", phone="081200000011")
    _r2, kept = office.paid(full_name="Tunai Dengan Kuitansi", phone="081200000012")
    _r3, moved = office.paid(full_name="Tunai Disetor", phone="081200000013")
    _r4, refunded = office.paid(full_name="Dikembalikan", phone="081200000014")
    _r5, again = office.paid(full_name="Dibatalkan Lalu Terbit Lagi", phone="081200000015")
    _r6, cancelled = office.paid(full_name="Dibatalkan Menunggu", phone="081200000016")
    with office.session() as s:
        receipts = {p: billing.issue_receipt(s, office.treasurer, p).id for p in (kept, moved, refunded, again,
                                                                                 cancelled)}
    with office.session() as s:
        today = local_date(utcnow(), "WIT")
        billing.record_deposit(s, office.treasurer, [receipts[moved]], ntpn="DEPO000000000001", deposited_on=today)
        billing.cancel_receipt(s, office.treasurer, receipts[refunded], "Salah nama", office.supervisor)
        billing.record_refund(s, office.treasurer, refunded, method="cash", refunded_on=today, reason="Batal",
                              approver=office.supervisor)
        billing.reissue_receipt(s, office.treasurer, receipts[again], "Salah jumlah", office.supervisor)
        billing.cancel_receipt(s, office.treasurer, receipts[cancelled], "Salah alamat", office.supervisor)
    with office.session() as s:
        full, quick = ledger.positions_now(s, office.treasurer), ledger.held_now(s, office.treasurer)
        assert (quick.cash, quick.bank, quick.pending) == (full.cash, full.bank, full.pending)
        assert quick.pending[PaymentMethod.CASH.value] > 0 and quick.cash > quick.pending[PaymentMethod.CASH.value]
        pending = ledger.payments_without_receipt(s, office.treasurer)
        assert sorted(r.payment_id for r in pending.rows) == sorted([waiting, cancelled]) and pending.total == 2
        awaiting = ledger.awaiting_payment(s, office.treasurer)
        assert [r.payer for r in awaiting.rows] == ["Belum Bayar"] and awaiting.total == 1
        cash, amount = ledger.undeposited(s, office.treasurer, "cash")
        assert cash.total == 2 and amount == quick.cash - quick.pending[PaymentMethod.CASH.value]
        every = ledger.receipts(s, office.treasurer)
        assert every.total == 6 and len(every.rows) == 6  # five issued, one reissued

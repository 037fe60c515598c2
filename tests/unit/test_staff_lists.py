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


def test_kuitansi_are_found_through_the_search_index_and_paged_newest_first_by_key(office):
    check_kuitansi_found_and_paged(office)


def check_newest_kuitansi_first(office) -> None:
    """A search lists the newest kuitansi first whatever the age of its request: an older request's
    kuitansi issued later comes before a newer request's, across a page boundary, each once."""
    paid = [office.paid(full_name=f"Pemohon Latuconsina {n}", phone=f"0812777000{n:02d}")[1] for n in range(3)]
    with office.session() as s:  # the newest request is paid first, the oldest next, the middle one last
        issued = [billing.issue_receipt(s, office.treasurer, paid[n]).number for n in (2, 0, 1)]
    with office.session() as s:
        first = ledger.receipts(s, office.treasurer, "latuconsina", limit=2)
        second = ledger.receipts(s, office.treasurer, "latuconsina", limit=2, after=first.next_key)
        whole = ledger.receipts(s, office.treasurer, limit=3)
    assert [r.number for r in first.rows] == issued[:0:-1] and first.next_key is not None
    assert [r.number for r in second.rows] == issued[:1] and second.next_key is None
    assert [r.number for r in whole.rows] == issued[::-1]  # the order of the list without a search


def test_a_kuitansi_search_lists_the_newest_kuitansi_first(office):
    check_newest_kuitansi_first(office)


def check_kuitansi_found_and_paged(office) -> None:
    """Kuitansi paged newest first by key, and found by name part, number and the requester's mobile."""
    names = ["Siti Hidayati", "Rahmat Hidayat", "Budi Santoso", "Hidayatullah Putra", "Ani Lestari"]
    paid = [office.paid(full_name=name, phone=f"0812345600{n:02d}")[1] for n, name in enumerate(names)]
    with office.session() as s:
        numbers = [billing.issue_receipt(s, office.treasurer, p).number for p in paid]
    with office.session() as s:
        first = ledger.receipts(s, office.treasurer, limit=2)
        second = ledger.receipts(s, office.treasurer, limit=2, after=first.next_key)
        third = ledger.receipts(s, office.treasurer, limit=2, after=second.next_key)
        by_name = ledger.receipts(s, office.treasurer, "  HIDAYAT ")
        by_name_paged = ledger.receipts(s, office.treasurer, "hidayat", limit=2)
        rest = ledger.receipts(s, office.treasurer, "hidayat", limit=2, after=by_name_paged.next_key)
        by_number = ledger.receipts(s, office.treasurer, numbers[2])
        by_phone = ledger.receipts(s, office.treasurer, "081234560004")  # the requester's mobile
        by_invoice = ledger.awaiting_payment(s, office.treasurer, "hidayat")
        nothing = ledger.receipts(s, office.treasurer, "Tidakada Namanya")
    shown = [r.number for page in (first, second, third) for r in page.rows]
    assert shown == numbers[::-1] and first.total == 5 and third.next_key is None  # each once, newest first
    assert [r.received_from for r in by_name.rows] == ["Hidayatullah Putra", "Rahmat Hidayat", "Siti Hidayati"]
    assert [r.received_from for page in (by_name_paged, rest) for r in page.rows] == [
        "Hidayatullah Putra", "Rahmat Hidayat", "Siti Hidayati"] and rest.next_key is None
    assert [r.number for r in by_number.rows] == [numbers[2]]
    assert [r.received_from for r in by_phone.rows] == ["Ani Lestari"]
    assert by_invoice.rows == [] and by_invoice.total == 0  # all of them are paid
    assert nothing.rows == [] and nothing.next_key is None


def test_deposits_page_newest_first_by_key(office):
    paid = [office.paid(full_name=f"Penyetor {n}", phone=f"08123456701{n}")[1] for n in range(3)]
    with office.session() as s:
        receipts = [billing.issue_receipt(s, office.treasurer, p).id for p in paid]
    today = local_date(utcnow(), "WIT")
    for n, receipt_id in enumerate(receipts):
        with office.session() as s:
            billing.record_deposit(s, office.treasurer, [receipt_id], ntpn=f"DEPO00000000000{n}", deposited_on=today)
    with office.session() as s:
        first = ledger.deposits(s, office.treasurer, limit=2)
        second = ledger.deposits(s, office.treasurer, limit=2, after=first.next_key)
    assert [d.ntpn for page in (first, second) for d in page.rows] == [
        "DEPO000000000002", "DEPO000000000001", "DEPO000000000000"]
    assert first.total is None  # not counted: a count reads every deposit of the years
    assert second.next_key is None and all(d.receipts == 1 for d in first.rows)

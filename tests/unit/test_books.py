"""Books that always balance: a cancelled kuitansi is a correction (the payment waits for a corrected
kuitansi or a refund), the three positions (cash box, receiving account, state treasury) each equal
their movements, the BKU balance equals what is held, the balances carried forward equal the sums of
their movements at every instant seen, and the month report follows the BKU's rule."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from models import (
    AuditEntry,
    Delivery,
    DeliveryChannel,
    DocumentStatus,
    Payment,
    PaymentMethod,
    Receipt,
    RequestState,
    ServiceRequest,
    Waiver,
)
from pstdesktop.bootstrap import open_url
from pstdesktop.services import billing, clock, delivery, ledger
from pstdesktop.services.errors import DomainError, StateError, ValidationError
from pstdesktop.services.positions import (
    balances_at,
    bku_balance,
    carried_balance,
    movement_sums,
    positions,
    positions_at,
)
from tests.conftest import PASSWORD, Office, migrated_url
from tests.unit.test_ledger import TOTAL, pay, sold, today


def state(office, request_id) -> RequestState:
    with office.session() as s:
        return s.get(ServiceRequest, request_id).state


def request_of(office, payment_id) -> int:
    with office.session() as s:
        return s.get(Payment, payment_id).invoice.request_id


def deliver(office, request_id, data_file):
    with office.session() as s:
        item = delivery.items_of(s, request_id)[0]
        return delivery.deliver(s, office.officer, request_id, [delivery.DeliveredFile(item.id, data_file("d.dta"))],
                                channel=DeliveryChannel.IN_PERSON, media="flashdisk", receipt_handed_over=True,
                                size_reason="Berkas uji lebih kecil.").id


def held_now(office):
    with office.session() as s:
        return positions(s, office.office_id, clock.utcnow() + timedelta(seconds=1), today(office) + timedelta(days=1))


def test_a_cancelled_kuitansi_puts_the_payment_back_to_pending_and_blocks_delivery(office, data_file):
    _invoice, payment_id, receipt_id = sold(office)
    rid = request_of(office, payment_id)
    with office.session() as s:
        ledger.cancel_receipt(s, office.treasurer, receipt_id, "Nama pembayar salah", "kepala", PASSWORD)
    assert state(office, rid) is RequestState.PAID  # paid, kuitansi pending
    with office.session() as s:
        assert [p.payment_id for p in ledger.payments_without_receipt(s, office.treasurer).rows] == [payment_id]
    with pytest.raises(StateError):  # no data without a valid kuitansi
        deliver(office, rid, data_file)
    cash = held_now(office)
    assert (cash.cash, cash.pending["cash"], cash.held) == (TOTAL, TOTAL, 0)  # the money is still in the box
    with office.session() as s:
        new = ledger.issue_receipt(s, office.treasurer, payment_id).id
    assert state(office, rid) is RequestState.RECEIPTED and new != receipt_id
    deliver(office, rid, data_file)
    assert state(office, rid) is RequestState.DELIVERED
    assert held_now(office).held == TOTAL


def test_cancelling_after_delivery_keeps_the_delivery_and_waits_for_the_new_kuitansi(office, data_file):
    _invoice, payment_id, receipt_id = sold(office)
    rid = request_of(office, payment_id)
    delivery_id = deliver(office, rid, data_file)
    with office.session() as s:
        ledger.cancel_receipt(s, office.treasurer, receipt_id, "Salah nama", "kepala", PASSWORD)
    assert state(office, rid) is RequestState.PAID
    with office.session() as s:
        assert s.get(Delivery, delivery_id) is not None  # what was handed over stays recorded


def test_reissue_replaces_the_kuitansi_in_one_step_and_the_request_keeps_its_state(office, data_file):
    _invoice, payment_id, receipt_id = sold(office)
    rid = request_of(office, payment_id)
    deliver(office, rid, data_file)
    with office.session() as s:
        new = ledger.reissue_receipt(s, office.treasurer, receipt_id, "Nama pembayar salah", "kepala", PASSWORD)
        new_id, new_number = new.id, new.number
    assert state(office, rid) is RequestState.DELIVERED
    day = today(office)
    with office.session() as s:
        assert s.get(Receipt, receipt_id).status is DocumentStatus.CANCELLED
        assert s.get(Receipt, new_id).status is DocumentStatus.ISSUED and s.get(Receipt, new_id).payment_id == payment_id
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "receipt")
                                 .order_by(AuditEntry.seq)))
        assert actions[-2:] == ["receipt.cancel", "receipt.issue"]
        rows = ledger.month_rows(s, office.office_id, day.year, day.month, 0)
    assert [r.debit for r in rows] == [TOTAL, -TOTAL, TOTAL] and rows[-1].number == new_number
    assert held_now(office).held == TOTAL and held_now(office).pending["cash"] == 0


def test_a_refund_needs_a_cancelled_kuitansi_another_supervisor_and_leaves_the_cash_box(office):
    _invoice, payment_id, receipt_id = sold(office)
    rid = request_of(office, payment_id)
    day = today(office)
    refund = {"method": "cash", "refunded_on": day, "reason": "Pemohon membatalkan pembelian"}
    with office.session() as s, pytest.raises(StateError) as refused:
        ledger.record_refund(s, office.treasurer, payment_id, supervisor_username="kepala",
                             supervisor_password=PASSWORD, **refund)
    assert refused.value.code == "receipt_exists"
    with office.session() as s:
        ledger.cancel_receipt(s, office.treasurer, receipt_id, "Pembelian dibatalkan", "kepala", PASSWORD)
    with office.session() as s, pytest.raises(ValidationError) as refused:  # nobody approves their own step
        billing.record_refund(s, office.supervisor, payment_id, approver=office.supervisor, **refund)
    assert refused.value.code == "own_approval"
    with office.session() as s, pytest.raises(ValidationError) as refused:
        ledger.record_refund(s, office.treasurer, payment_id, supervisor_username="kepala",
                             supervisor_password=PASSWORD, **refund | {"refunded_on": day + timedelta(days=1)})
    assert refused.value.code == "future"
    assert held_now(office).cash == TOTAL  # nothing changed by the refusals
    with office.session() as s:
        ledger.record_refund(s, office.treasurer, payment_id, supervisor_username="kepala",
                             supervisor_password=PASSWORD, **refund)
    assert state(office, rid) is RequestState.CANCELLED
    after = held_now(office)
    assert (after.cash, after.pending["cash"], after.held, after.treasury) == (0, 0, 0, 0)
    with office.session() as s, pytest.raises(StateError):
        ledger.record_refund(s, office.treasurer, payment_id, supervisor_username="kepala",
                             supervisor_password=PASSWORD, **refund)
    with office.session() as s:
        assert ledger.payments_without_receipt(s, office.treasurer).rows == []
        rows = ledger.month_rows(s, office.office_id, day.year, day.month, 0)
        totals = ledger.day_totals(s, office.treasurer, day)
    refund_row = rows[-1]
    assert refund_row.number.startswith("Kembali") and "Pemohon membatalkan pembelian" in refund_row.description
    assert (refund_row.debit, refund_row.credit, refund_row.balance) == (0, 0, 0)
    assert totals.refunds == TOTAL and totals.as_json()["cash_box"] == 0


def test_a_cancelled_simponi_kuitansi_stays_revenue_in_the_treasury(office):
    _invoice, payment_id, receipt_id = sold(office, PaymentMethod.SIMPONI)
    with office.session() as s:
        ledger.cancel_receipt(s, office.treasurer, receipt_id, "Salah nama", "kepala", PASSWORD)
    after = held_now(office)
    assert (after.treasury, after.pending["simponi"], after.held) == (TOTAL, TOTAL, 0)


def test_a_transfer_waits_on_the_receiving_account_until_its_deposit(office, data_file):
    _invoice, _payment, receipt_id = sold(office, PaymentMethod.TRANSFER, proof=data_file("bukti.pdf", 100),
                                          ntb="TRF1")
    assert (held_now(office).bank, held_now(office).treasury) == (TOTAL, 0)
    day = today(office)
    with office.session() as s, pytest.raises(StateError):  # not cash: it is deposited from the account
        ledger.record_deposit(s, office.treasurer, [receipt_id], ntpn="DEP0000000000001", deposited_on=day)
    with office.session() as s:
        ledger.record_deposit(s, office.treasurer, [receipt_id], ntpn="DEP0000000000001",
                              deposited_on=day, source="transfer")
    assert (held_now(office).bank, held_now(office).treasury, held_now(office).held) == (0, TOTAL, 0)


def test_a_kuitansi_of_two_account_codes_shows_each_amount(office, tmp_path):
    _invoice, _payment, receipt_id = sold(office, items=(("microdata_raw", "Susenas 2024", 150_000_000, ""),
                                                         ("pub_electronic", "Statistik Daerah 2025", 120, "")))
    day = today(office)
    with office.session() as s:
        receipt = s.get(Receipt, receipt_id)
        lines = receipt.lines
        row = ledger.month_rows(s, office.office_id, day.year, day.month, 0)[0]
    assert len(lines) == 2 and sum(line["amount"] for line in lines) == receipt.amount
    for line in lines:
        assert f"{line['account_code']} Rp{line['amount']:,}".replace(",", ".") in row.account_code


def test_month_report_follows_the_bku_when_a_kuitansi_is_cancelled_next_month(sqlite_db, time_machine):
    """A November kuitansi cancelled in December: November stays as printed, December carries the
    correction, and each month's report equals its BKU."""
    time_machine.move_to(datetime(2026, 11, 27, 2, 0, tzinfo=UTC), tick=True)  # Fri 27-11 11:00 WIT
    office = Office(sqlite_db)
    _i, _p, cancelled = sold(office)
    _i, kept_payment, _r = sold(office, items=(("pub_electronic", "Statistik Daerah 2025", 120, ""),))
    with office.session() as s:
        kept = s.get(Payment, kept_payment).amount
    time_machine.move_to(datetime(2026, 12, 2, 2, 0, tzinfo=UTC), tick=True)
    with office.session() as s:
        ledger.cancel_receipt(s, office.treasurer, cancelled, "Salah nama", "kepala", PASSWORD)
    with office.session() as s:
        for month in (11, 12):
            report = ledger.service_report(s, office.office_id, 2026, month)
            books = ledger.ledger_totals(s, office.office_id, 2026, [month])
            assert sum(r.amount for r in report.revenue_by_method) == books.debit
            assert sum(a.amount for a in report.revenue_by_account) == books.debit
        assert ledger.ledger_totals(s, office.office_id, 2026, [11]).debit == TOTAL + kept
        assert ledger.ledger_totals(s, office.office_id, 2026, [12]).debit == -TOTAL


# --- property: random days of a treasurer's desk -------------------------------------------------------

OPERATIONS = st.one_of(
    st.tuples(st.just("sale"), st.sampled_from(list(PaymentMethod))),
    st.tuples(st.just("kuitansi"), st.integers(0, 5)),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
    st.tuples(st.just("reissue"), st.integers(0, 5)),
    st.tuples(st.just("refund"), st.integers(0, 5)),
    st.tuples(st.just("deposit"), st.sampled_from(["cash", "transfer"])),
    st.tuples(st.just("deliver"), st.integers(0, 5)),
    st.tuples(st.just("close"), st.just(0)),
    st.tuples(st.just("later"), st.integers(1, 30)),  # hours
)


class Desk:
    """Runs the steps and keeps, beside the application, where each Rupiah should be."""

    def __init__(self, office: Office, data_dir):
        self.office, self.data_dir = office, data_dir
        self.numbers = itertools.count(1)
        self.where = {"cash": 0, "bank": 0, "treasury": 0}
        self.months: set[tuple[int, int]] = set()
        self.instants: list[datetime] = []  # after each step: the carried balances must hold at each

    def do(self, name: str, arg) -> None:
        o = self.office
        try:
            getattr(self, name)(arg)
        except (DomainError, ValidationError):
            pass  # refused (a closed day, nothing to act on): must change nothing, checked below
        self.months.add((today(o).year, today(o).month))

    def _pending(self):
        with self.office.session() as s:
            return [p.payment_id for p in ledger.payments_without_receipt(s, self.office.treasurer, limit=50).rows]

    def _live(self):
        with self.office.session() as s:
            return list(s.scalars(select(Receipt.id).where(Receipt.status != DocumentStatus.CANCELLED)
                                  .order_by(Receipt.id)))

    def sale(self, method: PaymentMethod) -> None:
        n = next(self.numbers)
        code = f"82026{n:010d}" if method is PaymentMethod.SIMPONI else None
        rid = self.office.approved()
        with self.office.session() as s:
            invoice = billing.issue_invoice(s, self.office.officer, rid, billing_code=code)
            invoice_id, amount = invoice.id, invoice.total
        extra = {"ntpn": f"NTPN{n:012d}", "ntb": f"BNI{n}"} if code else {}
        if method is PaymentMethod.TRANSFER:
            proof = self.data_dir / f"bukti-{n}.pdf"
            proof.write_bytes(b"%PDF-1.4 bukti " + str(n).encode())
            extra = {"proof_file": proof, "ntb": f"TRF{n}"}
        pay(self.office, invoice_id, method, key=f"pay-{n}", **extra)
        self.where[{"cash": "cash", "transfer": "bank", "simponi": "treasury"}[method.value]] += amount

    def kuitansi(self, index: int) -> None:
        pending = self._pending()
        if pending:
            with self.office.session() as s:
                ledger.issue_receipt(s, self.office.treasurer, pending[index % len(pending)])

    def cancel(self, index: int) -> None:
        live = self._live()
        if live:
            with self.office.session() as s:
                ledger.cancel_receipt(s, self.office.treasurer, live[index % len(live)], "Koreksi", "kepala", PASSWORD)

    def reissue(self, index: int) -> None:
        live = self._live()
        if live:
            with self.office.session() as s:
                ledger.reissue_receipt(s, self.office.treasurer, live[index % len(live)], "Koreksi", "kepala",
                                       PASSWORD)

    def refund(self, index: int) -> None:
        pending = self._pending()
        if pending:
            payment_id, day = pending[index % len(pending)], today(self.office)
            with self.office.session() as s:
                payment = s.get(Payment, payment_id)
                method, amount = payment.method.value, payment.amount
                ledger.record_refund(s, self.office.treasurer, payment_id, method="cash", refunded_on=day,
                                     reason="Dibatalkan pemohon", supervisor_username="kepala",
                                     supervisor_password=PASSWORD)
            self.where[{"cash": "cash", "transfer": "bank", "simponi": "treasury"}[method]] -= amount

    def deposit(self, source: str) -> None:
        with self.office.session() as s:
            page, amount = ledger.undeposited(s, self.office.treasurer, source, limit=200)
            ids = [r.receipt_id for r in page.rows]
        if ids:
            day = today(self.office)
            with self.office.session() as s:
                ledger.record_deposit(s, self.office.treasurer, ids, ntpn=f"DEPO{next(self.numbers):012d}",
                                      deposited_on=day, source=source)
            self.where["cash" if source == "cash" else "bank"] -= amount
            self.where["treasury"] += amount

    def deliver(self, index: int) -> None:
        with self.office.session() as s:
            ready = list(s.scalars(select(ServiceRequest.id).where(ServiceRequest.state == RequestState.RECEIPTED)
                                   .order_by(ServiceRequest.id)))
        if ready:
            rid = ready[index % len(ready)]
            with self.office.session() as s:
                item = delivery.items_of(s, rid)[0]
                path = self.data_dir / f"data-{rid}.dta"
                path.write_bytes(b"x" * 64)
                delivery.deliver(s, self.office.officer, rid, [delivery.DeliveredFile(item.id, path)],
                                 channel=DeliveryChannel.IN_PERSON, media="flashdisk", receipt_handed_over=True,
                                 size_reason="Berkas uji lebih kecil.")

    def close(self, _arg) -> None:
        day = today(self.office)
        with self.office.session() as s:
            ledger.close_day(s, self.office.treasurer, day)

    def later(self, hours: int) -> None:
        self.traveller.shift(timedelta(hours=hours))

    def check(self) -> None:
        o = self.office
        now, day = clock.utcnow(), today(o)
        with o.session() as s:
            held = positions(s, o.office_id, now + timedelta(seconds=1), day + timedelta(days=1))
            assert (held.cash, held.bank, held.treasury) == (self.where["cash"], self.where["bank"],
                                                             self.where["treasury"])
            paid = dict(s.execute(select(Payment.method, func.sum(Payment.amount)).group_by(Payment.method)).all())
            assert held.total + _refunded(s) == sum(int(v) for v in paid.values())
            # the BKU balance is what is held under a live kuitansi, month after month
            balance = 0
            for year, month in sorted(self.months):
                totals = ledger.ledger_totals(s, o.office_id, year, [month])
                assert totals.opening == balance
                rows = ledger.month_rows(s, o.office_id, year, month, totals.opening)
                assert (rows[-1].balance if rows else totals.opening) == totals.closing
                balance = totals.closing
                report = ledger.service_report(s, o.office_id, year, month)
                assert sum(r.amount for r in report.revenue_by_method) == totals.debit
            assert balance == held.held
            # the balances carried forward by billing are the sums of their movements, and at every earlier
            # instant they less the movements since give what the movements up to it add up to
            assert carried_balance(s, o.office_id) == movement_sums(s, o.office_id)
            self.instants.append(now)
            for instant in self.instants:
                following = clock.local_date(instant, "WIT") + timedelta(days=1)
                assert positions_at(s, o.office_id, instant, following) == positions(s, o.office_id, instant, following)
                assert (bku_balance(balances_at(s, o.office_id, instant, following))
                        == ledger.cash_balance(s, o.office_id, instant, following))
            waived = set(s.scalars(select(Waiver.request_id)))
            for rid in s.scalars(select(ServiceRequest.id).where(ServiceRequest.state.in_(
                    [RequestState.DELIVERED, RequestState.VERIFIED, RequestState.CLOSED,
                     RequestState.CORRECTION_REQUESTED]))):
                live = s.scalar(select(func.count(Receipt.id)).join(Payment, Payment.id == Receipt.payment_id)
                                .where(Payment.invoice.has(request_id=rid), Receipt.status != DocumentStatus.CANCELLED))
                assert live == 1 or rid in waived, f"request {rid} delivered without a live kuitansi"


def _refunded(session) -> int:
    from models import Refund

    return int(session.scalar(select(func.coalesce(func.sum(Refund.amount), 0))))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(OPERATIONS, min_size=4, max_size=18))
def test_random_days_keep_every_position_equal_to_its_movements(steps, tmp_path_factory, migrated_file):
    folder = tmp_path_factory.mktemp("desk")
    with time_machine.travel(datetime(2026, 11, 29, 23, 0, tzinfo=UTC), tick=False) as traveller:  # Mon 08:00 WIT
        database = open_url(migrated_url(folder / "pst.sqlite", migrated_file), folder / "backups")
        try:
            desk = Desk(Office(database), folder)
            desk.traveller = traveller
            desk.months.add((today(desk.office).year, today(desk.office).month))
            for name, arg in steps:
                traveller.shift(timedelta(minutes=7))
                desk.do(name, arg)
                desk.check()
        finally:
            database.dispose()


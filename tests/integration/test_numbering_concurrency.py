"""Invoice and receipt numbers stay sequential per office and year, without gaps or duplicates, when
several PCs (threads with their own units of work, or separate processes with their own engines)
take them at the same moment — on the embedded SQLite file and on a shared PostgreSQL server."""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from models import DocumentCounter, Invoice, Payment, PaymentMethod, Receipt, RequestState, ServiceRequest
from pstdesktop.bootstrap import open_url
from pstdesktop.config import sqlite_url
from pstdesktop.services import audit, billing
from pstdesktop.services.errors import DomainError, StateError
from pstdesktop.services.numbering import next_number
from tests.conftest import Office

JOIN_TIMEOUT = 60
YEAR = "2026"
ROUNDS = 5  # each two-PC race is run a few times: a single round may happen not to overlap


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared_office(request, tmp_path) -> Office:
    """One office in a database several PCs share: a SQLite file, or a real PostgreSQL database."""
    if request.param == "sqlite":
        db = open_url(sqlite_url(tmp_path / "shared.sqlite"), tmp_path / "backups")
    else:
        db = open_url(request.getfixturevalue("postgres_url"))
    try:
        yield Office(db)
    finally:
        db.dispose()


def race(*calls: Callable[[], object], delays: tuple[float, ...] = ()) -> list[tuple[str, object]]:
    """Run ``calls`` in threads released together by a barrier (each after its ``delays`` head start);
    ``("ok", result)`` or ``("error", exception)`` per call, in order. Fails when a thread hangs."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[tuple[str, object]] = [("missing", None)] * len(calls)
    delays = delays or (0,) * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(JOIN_TIMEOUT)
            if delays[index]:
                time.sleep(delays[index])
            outcomes[index] = ("ok", call())
        except BaseException as exc:  # handed to the test, never swallowed
            outcomes[index] = ("error", exc)

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a racing call never finished (deadlock?)"
    return outcomes


def unexpected(outcomes) -> list[str]:
    """Errors that are not clean domain refusals (to show them whole when an assertion fails)."""
    return ["".join(traceback.format_exception(exc)) for kind, exc in outcomes
            if kind == "error" and not isinstance(exc, DomainError)]


def counter_value(office: Office, office_id: int, kind: str, period: str) -> int | None:
    with office.session() as s:
        return s.scalar(select(DocumentCounter.last_number).where(
            DocumentCounter.office_id == office_id, DocumentCounter.kind == kind, DocumentCounter.period == period))


# --- receipts from several threads ---------------------------------------------------------------

RECEIPTS = 40
TREASURER_PCS = 4


def test_receipts_issued_concurrently_are_numbered_1_to_n(shared_office):
    office = shared_office
    payments = [office.paid()[1] for _ in range(RECEIPTS)]

    def treasurer_pc(mine: list[int]) -> Callable[[], list[tuple[int, int, str]]]:
        def work():
            issued = []
            for payment_id in mine:
                with office.session() as s:  # one press of "Cetak kuitansi" = one transaction
                    receipt = billing.issue_receipt(s, office.treasurer, payment_id)
                    issued.append((payment_id, receipt.sequence, receipt.number))
            return issued
        return work

    outcomes = race(*(treasurer_pc(payments[i::TREASURER_PCS]) for i in range(TREASURER_PCS)))
    assert [kind for kind, _ in outcomes] == ["ok"] * TREASURER_PCS, unexpected(outcomes)
    issued = [row for _, rows in outcomes for row in rows]

    sequences = sorted(seq for _, seq, _ in issued)
    assert sequences == list(range(1, RECEIPTS + 1))
    assert len({number for _, _, number in issued}) == RECEIPTS
    with office.session() as s:
        rows = s.execute(select(Receipt.payment_id, Receipt.sequence, Receipt.number, Receipt.year)).all()
        per_payment = Counter(payment_id for payment_id, *_ in rows)
        assert per_payment == Counter(payments)  # every payment exactly one receipt, no stray receipt
        assert sorted(seq for _, seq, _, _ in rows) == list(range(1, RECEIPTS + 1))
        assert len({number for _, _, number, _ in rows}) == RECEIPTS
        year = rows[0].year
        assert {r.year for r in rows} == {year}
        states = set(s.scalars(select(ServiceRequest.state)))
        assert states == {RequestState.RECEIPTED}
        assert audit.verify(s) == []  # the audit chain, numbered the same way, is intact too
    assert counter_value(office, office.office_id, "receipt", str(year)) == RECEIPTS


def test_the_same_payment_pressed_twice_gets_one_receipt(shared_office):
    """Two treasurer PCs (or a double click) print the kuitansi of one payment at the same moment."""
    office = shared_office
    for _ in range(ROUNDS):
        _rid, payment_id = office.paid()

        def press(payment_id=payment_id):
            with office.session() as s:
                return billing.issue_receipt(s, office.treasurer, payment_id).number

        outcomes = race(press, press)
        assert not unexpected(outcomes), unexpected(outcomes)
        with office.session() as s:
            receipts = s.scalars(select(Receipt).where(Receipt.payment_id == payment_id)).all()
        assert len(receipts) == 1, [r.number for r in receipts]
        assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
        error = next(exc for kind, exc in outcomes if kind == "error")
        assert isinstance(error, StateError) and error.code == "receipt_exists"
    with office.session() as s:
        assert sorted(s.scalars(select(Receipt.sequence))) == list(range(1, ROUNDS + 1))


# --- next_number from several processes ---------------------------------------------------------

PROCESSES = 4
NUMBERS_EACH = 25


def _take_numbers(url: str, office_id: int, count: int, barrier, results) -> None:
    """Child process: its own engine to the shared database, ``count`` numbers, one transaction each."""
    try:
        from pstdesktop.database import make_engine, make_session_factory, unit_of_work

        engine = make_engine(url)
        factory = make_session_factory(engine)
        with engine.connect():
            pass  # connected before the start signal, so the processes really collide
        barrier.wait(JOIN_TIMEOUT)
        taken = []
        for _ in range(count):
            with unit_of_work(factory) as session:
                taken.append(next_number(session, office_id, "receipt", YEAR))
        engine.dispose()
        results.put(("ok", taken))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def test_processes_taking_numbers_at_once_get_1_to_4k(shared_office):
    office = shared_office
    url = office.db.engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")  # what Windows does; no state inherited from the parent
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [ctx.Process(target=_take_numbers, args=(url, office.office_id, NUMBERS_EACH, barrier, results))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    outcomes = []
    try:
        for _ in workers:
            outcomes.append(results.get(timeout=JOIN_TIMEOUT))
    except queue_module.Empty:
        pytest.fail(f"a numbering process did not report within {JOIN_TIMEOUT}s; got {outcomes}")
    finally:
        for worker in workers:
            worker.join(JOIN_TIMEOUT)
            if worker.is_alive():
                worker.kill()
    errors = [detail for kind, detail in outcomes if kind != "ok"]
    assert not errors, "\n".join(errors)
    per_process = [taken for _, taken in outcomes]
    for taken in per_process:
        assert len(taken) == NUMBERS_EACH
        assert taken == sorted(taken) and len(set(taken)) == NUMBERS_EACH  # each PC sees its numbers rise
    everything = sorted(n for taken in per_process for n in taken)
    assert everything == list(range(1, PROCESSES * NUMBERS_EACH + 1))
    assert counter_value(office, office.office_id, "receipt", YEAR) == PROCESSES * NUMBERS_EACH


# --- a rolled-back transaction gives its number back ---------------------------------------------

class Abandon(Exception):
    """Raised inside a unit of work to roll it back, as a failed step does."""


def test_a_rolled_back_number_is_given_back(shared_office):
    office = shared_office
    with office.session() as s:
        assert next_number(s, office.office_id, "invoice", YEAR) == 1
    with pytest.raises(Abandon), office.session() as s:
        assert next_number(s, office.office_id, "invoice", YEAR) == 2
        raise Abandon
    with office.session() as s:
        assert next_number(s, office.office_id, "invoice", YEAR) == 2
    # the very first number of a period (counter row created in the rolled-back transaction)
    with pytest.raises(Abandon), office.session() as s:
        assert next_number(s, office.office_id, "invoice", "2027") == 1
        raise Abandon
    assert counter_value(office, office.office_id, "invoice", "2027") is None
    with office.session() as s:
        assert next_number(s, office.office_id, "invoice", "2027") == 1


def test_a_waiting_pc_gets_the_number_a_rolled_back_pc_gave_back(shared_office):
    """PC A takes a number and fails while PC B is waiting for the counter: B gets A's number."""
    office = shared_office
    with office.session() as s:
        next_number(s, office.office_id, "receipt", YEAR)  # 1, committed
    taken, waiting = threading.Event(), threading.Event()

    def pc_a():
        with pytest.raises(Abandon), office.session() as s:
            number = next_number(s, office.office_id, "receipt", YEAR)
            taken.set()
            assert waiting.wait(JOIN_TIMEOUT)
            time.sleep(0.5)  # B is now blocked on the counter (row lock / write lock)
            raise Abandon
        return number

    def pc_b():
        assert taken.wait(JOIN_TIMEOUT)
        waiting.set()
        with office.session() as s:
            return next_number(s, office.office_id, "receipt", YEAR)

    outcomes = race(pc_a, pc_b)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert [value for _, value in outcomes] == [2, 2]
    with office.session() as s:
        assert next_number(s, office.office_id, "receipt", YEAR) == 3


# --- two officers invoicing the same request ----------------------------------------------------

def test_two_officers_invoicing_one_request_make_one_invoice(shared_office):
    office = shared_office
    numbers = []
    for _ in range(ROUNDS):
        rid = office.approved()

        def officer_pc(rid=rid):
            with office.session() as s:
                return billing.issue_invoice(s, office.officer, rid).number

        outcomes = race(officer_pc, officer_pc)
        assert not unexpected(outcomes), unexpected(outcomes)
        assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
        error = next(exc for kind, exc in outcomes if kind == "error")
        assert isinstance(error, StateError) and error.code == "state"
        number = next(value for kind, value in outcomes if kind == "ok")
        with office.session() as s:
            invoices = s.scalars(select(Invoice).where(Invoice.request_id == rid)).all()
            assert [i.number for i in invoices] == [number]
            assert s.get(ServiceRequest, rid).state is RequestState.INVOICED
        numbers.append(invoices[0].sequence)
    assert numbers == list(range(1, ROUNDS + 1))  # the losers' numbers were given back: no gap
    year = str(invoices[0].year)
    assert counter_value(office, office.office_id, "invoice", year) == ROUNDS
    with office.session() as s:
        assert audit.verify(s) == []


# --- a double press on "record payment" ---------------------------------------------------------

def invoiced(office: Office) -> tuple[int, Invoice]:
    rid = office.approved()
    with office.session() as s:
        return rid, billing.issue_invoice(s, office.officer, rid)


def pay(office: Office, invoice: Invoice, key: str) -> Callable[[], int]:
    def press():
        with office.session() as s:
            return billing.record_payment(s, office.treasurer, invoice.id, method=PaymentMethod.CASH,
                                          amount=invoice.total, cash_tendered=invoice.total + 50_000,
                                          idempotency_key=key).id
    return press


def test_double_payment_press_records_one_payment(shared_office):
    """The same payment form submitted twice at once (double click, or a retry while the first runs)."""
    office = shared_office
    for _ in range(ROUNDS):
        rid, invoice = invoiced(office)
        outcomes = race(pay(office, invoice, f"form-{rid}"), pay(office, invoice, f"form-{rid}"))
        assert not unexpected(outcomes), unexpected(outcomes)
        ids = {value for kind, value in outcomes if kind == "ok"}
        assert len(ids) == 1  # both presses answered with the same payment (or one refused cleanly)
        with office.session() as s:
            payments = s.scalars(select(Payment).where(Payment.invoice_id == invoice.id)).all()
            assert [p.id for p in payments] == list(ids)
            assert s.get(ServiceRequest, rid).state is RequestState.PAID
    with office.session() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == ROUNDS
        assert audit.verify(s) == []


def test_two_payment_forms_for_one_invoice_record_one_payment(shared_office):
    """Two treasurer PCs each open a payment form (different keys) for the same invoice."""
    office = shared_office
    for _ in range(ROUNDS):
        rid, invoice = invoiced(office)
        outcomes = race(pay(office, invoice, f"pc1-{rid}"), pay(office, invoice, f"pc2-{rid}"))
        assert not unexpected(outcomes), unexpected(outcomes)
        assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
        error = next(exc for kind, exc in outcomes if kind == "error")
        assert isinstance(error, StateError) and error.code == "already_paid"
        with office.session() as s:
            assert s.scalar(select(func.count()).select_from(Payment)
                            .where(Payment.invoice_id == invoice.id)) == 1
    with office.session() as s:
        assert audit.verify(s) == []


def test_double_press_on_pay_and_print_gives_one_payment_and_one_receipt(shared_office):
    """The treasurer's usual button (payment and kuitansi in one transaction) pressed twice at once."""
    office = shared_office
    for _ in range(ROUNDS):
        rid, invoice = invoiced(office)

        def press(rid=rid, invoice=invoice):
            with office.session() as s:
                payment, receipt = billing.pay_and_issue_receipt(
                    s, office.treasurer, invoice.id, method=PaymentMethod.CASH, amount=invoice.total,
                    cash_tendered=invoice.total, idempotency_key=f"kasir-{rid}")
                return payment.id, receipt.id

        outcomes = race(press, press)
        assert [kind for kind, _ in outcomes] == ["ok", "ok"], unexpected(outcomes) or outcomes
        assert outcomes[0][1] == outcomes[1][1]  # the second press is answered with the first one's rows
        with office.session() as s:
            assert s.scalar(select(func.count()).select_from(Payment).where(Payment.invoice_id == invoice.id)) == 1
            assert s.scalar(select(func.count()).select_from(Receipt)
                            .where(Receipt.payment_id == outcomes[0][1][0])) == 1
            assert s.get(ServiceRequest, rid).state is RequestState.RECEIPTED
    with office.session() as s:
        assert sorted(s.scalars(select(Receipt.sequence))) == list(range(1, ROUNDS + 1))
        assert audit.verify(s) == []

"""Where the money is: three positions, each the sum of its own movements, as an inspector counts them.

- the cash box: cash payments taken − cash deposits − refunds of cash payments;
- the receiving account (rekening penerimaan): transfers in − deposits from the account − refunds of
  transfers (money on the account is not yet state revenue: it is deposited through SIMPONI, with an NTPN);
- the state treasury (Kas Negara): SIMPONI payments + deposits − refunds of SIMPONI payments.

A payment with no live kuitansi and no refund is *pending* (paid, kuitansi to issue). The BKU balance
is the money the treasurer holds under a live kuitansi: cash box + receiving account − what is pending
in them. ``positions`` adds up the rows of the movements from the first day, as an inspector counts
them; ``positions_at`` starts from the balances carried forward (``CarriedBalance``, written by
``carry`` in the transaction that books each movement) and takes back the movements dated at or after
the instant, so the treasurer's window costs the same in the fifth year as on the first day.
``movement_sums`` is the trace from each carried figure to its movements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, true, union
from sqlalchemy.orm import Session

from models import CarriedBalance, Deposit, DocumentStatus, Payment, PaymentMethod, Receipt, Refund
from models.billing import CARRIED

CASH, TRANSFER, SIMPONI = PaymentMethod.CASH, PaymentMethod.TRANSFER, PaymentMethod.SIMPONI


@dataclass(frozen=True)
class Positions:
    cash: int                # in the treasurer's cash box
    bank: int                # on the office's receiving account
    treasury: int            # already state revenue in Kas Negara
    pending: dict[str, int]  # method -> Rupiah paid with no live kuitansi (and not refunded)

    @property
    def held(self) -> int:
        """What the BKU balance shows: cash and receiving account under a live kuitansi."""
        return self.cash + self.bank - self.pending[CASH.value] - self.pending[TRANSFER.value]

    @property
    def total(self) -> int:
        return self.cash + self.bank + self.treasury

    def as_json(self) -> dict:
        return {"cash_box": self.cash, "bank": self.bank, "treasury": self.treasury,
                **{f"pending_{method}": amount for method, amount in self.pending.items()}}


def positions(session: Session, office_id: int, before: datetime, before_day: date) -> Positions:
    """The positions at instant ``before`` (movements dated by day count when before ``before_day``)."""
    paid = _by_method(session, select(Payment.method, func.sum(Payment.amount))
                      .where(Payment.office_id == office_id, Payment.paid_at < before).group_by(Payment.method))
    deposited = _by_source(session, office_id, before_day)
    refunded = _by_method(session, select(Payment.method, func.sum(Refund.amount))
                          .join(Payment, Payment.id == Refund.payment_id)
                          .where(Refund.office_id == office_id, Refund.refunded_on < before_day)
                          .group_by(Payment.method))
    return Positions(
        cash=paid[CASH] - deposited["cash"] - refunded[CASH],
        bank=paid[TRANSFER] - deposited["transfer"] - refunded[TRANSFER],
        treasury=paid[SIMPONI] + deposited["cash"] + deposited["transfer"] - refunded[SIMPONI],
        pending={m.value: amount for m, amount in pending(session, office_id, before, before_day).items()},
    )


def pending(session: Session, office_id: int, before: datetime, before_day: date, *,
            among=None) -> dict[PaymentMethod, int]:
    """Rupiah of the payments taken before ``before`` that then had no live kuitansi and no refund
    (only those whose id is in the select ``among``, when given)."""
    live = select(Receipt.id).where(
        Receipt.payment_id == Payment.id, Receipt.issued_at < before,
        (Receipt.status != DocumentStatus.CANCELLED) | (Receipt.cancelled_at >= before)).exists()
    refunded = select(Refund.id).where(Refund.payment_id == Payment.id, Refund.refunded_on < before_day).exists()
    # among the few payments given, read by id (office_id + 0: not through the office's index of the years)
    office = Payment.office_id == office_id if among is None else Payment.office_id + 0 == office_id
    query = select(Payment.method, func.sum(Payment.amount)).where(office, Payment.paid_at < before, ~live, ~refunded)
    if among is not None:
        query = query.where(Payment.id.in_(among))
    return _by_method(session, query.group_by(Payment.method))


def balances_at(session: Session, office_id: int, before: datetime, before_day: date) -> dict[str, int]:
    """Each carried figure at instant ``before`` (deposits and refunds dated before ``before_day``): the
    balance carried forward less the movements dated at or after it."""
    later = movement_sums(session, office_id, before, before_day)
    return {name: carried - later[name] for name, carried in carried_balance(session, office_id).items()}


def bku_balance(balances: dict[str, int]) -> int:
    """The BKU balance from ``balances_at``: cash and transfer kuitansi issued, less those cancelled, less
    deposits."""
    return (balances["receipted_held"] - balances["cancelled_held"] - balances["deposited_cash"]
            - balances["deposited_transfer"])


def positions_at(session: Session, office_id: int, before: datetime, before_day: date,
                 balances: dict[str, int] | None = None) -> Positions:
    """``positions`` at the same instant from ``balances_at`` (given, or read here); pending from the
    payments awaiting their kuitansi now and those whose kuitansi or refund came at or after the instant
    (any other payment taken before it was settled by then)."""
    totals = balances if balances is not None else balances_at(session, office_id, before, before_day)
    changed = union(
        select(Payment.id).where(Payment.office_id == office_id, Payment.awaiting_receipt == True),  # noqa: E712
        select(Receipt.payment_id).where(Receipt.office_id == office_id, Receipt.issued_at >= before),
        select(Receipt.payment_id).where(Receipt.office_id == office_id, Receipt.status == DocumentStatus.CANCELLED,
                                         Receipt.cancelled_at >= before),
        select(Refund.payment_id).where(Refund.office_id == office_id, Refund.refunded_on >= before_day))
    waiting = pending(session, office_id, before, before_day, among=changed)
    return Positions(
        cash=totals["paid_cash"] - totals["deposited_cash"] - totals["refunded_cash"],
        bank=totals["paid_transfer"] - totals["deposited_transfer"] - totals["refunded_transfer"],
        treasury=totals["paid_simponi"] + totals["deposited_cash"] + totals["deposited_transfer"]
        - totals["refunded_simponi"],
        pending={m.value: amount for m, amount in waiting.items()},
    )


def carried_balance(session: Session, office_id: int) -> dict[str, int]:
    """The office's balances carried forward (all zero before its first movement), in ``CARRIED`` order."""
    row = session.get(CarriedBalance, office_id)
    return {name: int(getattr(row, name) or 0) if row is not None else 0 for name in CARRIED}


def carry(session: Session, office_id: int, **amounts: int) -> None:
    """Add a booked movement to the office's carried balances, in the transaction that books it (the
    caller holds the books' lock, ``closing.lock_books``)."""
    row = session.get(CarriedBalance, office_id)
    if row is None:
        row = CarriedBalance(office_id=office_id, **dict.fromkeys(CARRIED, 0))
        session.add(row)
        session.flush()
    for name, amount in amounts.items():  # "column + amount" in SQL, and the change audited like any other
        setattr(row, name, getattr(CarriedBalance, name) + amount)
    session.flush()


def movement_sums(session: Session, office_id: int, since: datetime | None = None,
                  since_day: date | None = None) -> dict[str, int]:
    """Each carried figure as the sum of its movements (all of them, or those dated at or after instant
    ``since`` — payments by ``paid_at``, kuitansi by issue and cancellation instant — and day
    ``since_day`` — deposits and refunds), in ``CARRIED`` order."""
    def at_or_after(column, bound):
        return column >= bound if bound is not None else true()

    paid = _by_method(session, select(Payment.method, func.sum(Payment.amount))
                      .where(Payment.office_id == office_id, at_or_after(Payment.paid_at, since))
                      .group_by(Payment.method))
    held = (select(func.coalesce(func.sum(Receipt.amount), 0)).join(Payment, Payment.id == Receipt.payment_id)
            .where(Receipt.office_id == office_id, Payment.method.in_((CASH, TRANSFER))))
    receipted = session.scalar(held.where(at_or_after(Receipt.issued_at, since)))
    cancelled = session.scalar(held.where(Receipt.status == DocumentStatus.CANCELLED,
                                          at_or_after(Receipt.cancelled_at, since)))
    deposited = {"cash": 0, "transfer": 0}
    deposited.update({source: int(amount or 0) for source, amount in session.execute(
        select(Deposit.source, func.sum(Deposit.amount))
        .where(Deposit.office_id == office_id, at_or_after(Deposit.deposited_on, since_day))
        .group_by(Deposit.source))})
    refunded = _by_method(session, select(Payment.method, func.sum(Refund.amount))
                          .join(Payment, Payment.id == Refund.payment_id)
                          .where(Refund.office_id == office_id, at_or_after(Refund.refunded_on, since_day))
                          .group_by(Payment.method))
    return {"paid_cash": paid[CASH], "paid_transfer": paid[TRANSFER], "paid_simponi": paid[SIMPONI],
            "receipted_held": int(receipted), "cancelled_held": int(cancelled),
            "deposited_cash": deposited["cash"], "deposited_transfer": deposited["transfer"],
            "refunded_cash": refunded[CASH], "refunded_transfer": refunded[TRANSFER],
            "refunded_simponi": refunded[SIMPONI]}


def _by_method(session: Session, query) -> dict[PaymentMethod, int]:
    totals = dict.fromkeys(PaymentMethod, 0)
    totals.update({method: int(amount or 0) for method, amount in session.execute(query)})
    return totals


def _by_source(session: Session, office_id: int, before_day: date) -> dict[str, int]:
    totals = {"cash": 0, "transfer": 0}
    totals.update({source: int(amount or 0) for source, amount in session.execute(
        select(Deposit.source, func.sum(Deposit.amount))
        .where(Deposit.office_id == office_id, Deposit.deposited_on < before_day).group_by(Deposit.source))})
    return totals

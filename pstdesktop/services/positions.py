"""Where the money is: three positions, each the sum of its own movements, as an inspector counts them.

- the cash box: cash payments taken − cash deposits − refunds of cash payments;
- the receiving account (rekening penerimaan): transfers in − deposits from the account − refunds of
  transfers (money on the account is not yet state revenue: it is deposited through SIMPONI, with an NTPN);
- the state treasury (Kas Negara): SIMPONI payments + deposits − refunds of SIMPONI payments.

A payment with no live kuitansi and no refund is *pending* (paid, kuitansi to issue). The BKU balance
is the money the treasurer holds under a live kuitansi: cash box + receiving account − what is pending
in them. Every figure here is computed from the rows of the movements, never from a stored balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Deposit, DocumentStatus, Payment, PaymentMethod, Receipt, Refund

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


def pending(session: Session, office_id: int, before: datetime, before_day: date) -> dict[PaymentMethod, int]:
    """Rupiah of the payments taken before ``before`` that then had no live kuitansi and no refund."""
    live = select(Receipt.id).where(
        Receipt.payment_id == Payment.id, Receipt.issued_at < before,
        (Receipt.status != DocumentStatus.CANCELLED) | (Receipt.cancelled_at >= before)).exists()
    refunded = select(Refund.id).where(Refund.payment_id == Payment.id, Refund.refunded_on < before_day).exists()
    return _by_method(session, select(Payment.method, func.sum(Payment.amount))
                      .where(Payment.office_id == office_id, Payment.paid_at < before, ~live, ~refunded)
                      .group_by(Payment.method))


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

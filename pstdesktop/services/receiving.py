"""The office's receiving bank accounts (rekening penerimaan): where online buyers transfer the invoice
amount. Several may be kept; invoices show the active ones. Never deleted, only deactivated."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ReceivingAccount
from pstdesktop.services import audit, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import NotFound, ValidationError


@dataclass(frozen=True)
class AccountRow:
    account_id: int
    bank: str
    number: str
    holder: str
    active: bool

    def line(self) -> str:
        """``Bank BRI 0123-01-000456-30-1 a.n. BPS Kota Jambi``."""
        return f"{self.bank} {self.number} a.n. {self.holder}"


def clean(bank: object, number: object, holder: object) -> tuple[str, str, str]:
    """The three fields, checked: a number of digits (spaces, dots and dashes as written on the bank book)."""
    return check_all(bank, number, holder, raise_first=True)  # type: ignore[return-value]


def check_all(bank: object, number: object, holder: object, *, raise_first: bool = False):
    """Every broken field (``{field: error}``), or with ``raise_first`` the clean values."""
    errors: dict[str, ValidationError] = {}
    values = []
    for field, value, check in (("account_bank", bank, lambda v: validate.text("account_bank", v, max_length=100)),
                                ("account_number", number, _number),
                                ("account_holder", holder, lambda v: validate.text("account_holder", v,
                                                                                    max_length=200))):
        try:
            values.append(check(value))
        except ValidationError as error:
            if raise_first:
                raise
            errors[field] = error
    return tuple(values) if raise_first else errors


def _number(value: object) -> str:
    text = validate.text("account_number", value, max_length=40)
    digits = "".join(ch for ch in text if ch.isdigit())
    if any(not (ch.isdigit() or ch in " .-") for ch in text) or not 6 <= len(digits) <= 20:
        raise ValidationError("account_number_format", "account_number")
    return text


def accounts(session: Session, actor: Actor, *, active_only: bool = False, office_id: int | None = None
             ) -> list[AccountRow]:
    """The office's receiving accounts (a handful: not paged), active first, in the order they were added."""
    query = select(ReceivingAccount).where(ReceivingAccount.office_id == (office_id or actor.office_id))
    if active_only:
        query = query.where(ReceivingAccount.active.is_(True))
    return [AccountRow(r.id, r.bank, r.number, r.holder, r.active)
            for r in session.scalars(query.order_by(ReceivingAccount.active.desc(), ReceivingAccount.id).limit(50))]


def add(session: Session, actor: Actor, *, bank: str, number: str, holder: str) -> ReceivingAccount:
    account = require(session, actor, "office.configure")
    bank, number, holder = clean(bank, number, holder)
    if session.scalar(select(ReceivingAccount.id).where(ReceivingAccount.office_id == actor.office_id,
                                                        ReceivingAccount.bank == bank,
                                                        ReceivingAccount.number == number)) is not None:
        raise ValidationError("duplicate", "account_number", value=number)
    row = ReceivingAccount(office_id=actor.office_id, bank=bank, number=number, holder=holder, active=True,
                           created_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, account, "receiving_account.add", row)
    return row


def set_active(session: Session, actor: Actor, account_id: int, active: bool) -> ReceivingAccount:
    """Show (or stop showing) an account on new invoices; the row stays for the payments that name it."""
    account = require(session, actor, "office.configure")
    row = session.get(ReceivingAccount, validate.record_id("receiving_account", account_id))
    if row is None or row.office_id != actor.office_id:
        raise NotFound("not_found", "receiving_account")
    if row.active != bool(active):
        row.active = bool(active)
        audit.record(session, account, "receiving_account.active" if active else "receiving_account.inactive", row)
    return row

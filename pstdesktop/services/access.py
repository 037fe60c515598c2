"""Who may do which step: one table of actions and roles, checked by every service itself."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from models import Account, Role
from pstdesktop.services.errors import NotFound, PermissionDenied

OFF, TRE, SUP, KIO = Role.OFFICER, Role.TREASURER, Role.SUPERVISOR, Role.KIOSK

PERMISSIONS: dict[str, frozenset[Role]] = {
    "guestbook.register": frozenset({KIO, OFF, SUP}),
    "poll.answer": frozenset({KIO, OFF, SUP}),
    "queue.view": frozenset({OFF, SUP, TRE}),
    "queue.call": frozenset({OFF, SUP}),
    "request.edit": frozenset({OFF, SUP}),
    "request.approve": frozenset({OFF, SUP}),
    "request.cancel": frozenset({OFF, SUP}),
    "request.close": frozenset({OFF, SUP, KIO}),  # the kiosk closes checked requests when the visitor leaves
    "waiver.approve": frozenset({OFF, SUP}),
    "invoice.issue": frozenset({OFF, SUP}),
    "invoice.cancel": frozenset({OFF, SUP}),
    "sppd.record": frozenset({OFF, SUP}),
    "delivery.record": frozenset({OFF, SUP}),
    "evidence.attach": frozenset({OFF, SUP, TRE}),  # scans of signed papers
    "payment.record": frozenset({TRE}),
    "receipt.issue": frozenset({TRE}),
    "receipt.cancel": frozenset({TRE, SUP}),
    "deposit.record": frozenset({TRE}),
    "day.close": frozenset({TRE}),
    "complaint.record": frozenset({KIO, OFF, SUP}),
    "report.view": frozenset({SUP, TRE}),
    "office.configure": frozenset({SUP}),
    "catalogue.edit": frozenset({SUP}),
    "account.manage": frozenset({SUP}),
}


@dataclass(frozen=True)
class Actor:
    """The signed-in account, as the UI holds it between calls."""

    account_id: int
    office_id: int
    role: Role
    name: str


def actor_of(account: Account) -> Actor:
    return Actor(account.id, account.office_id, account.role, account.full_name)


def require(session: Session, actor: Actor, action: str) -> Account:
    """Load the acting account afresh and check that its role may do ``action``."""
    account = session.get(Account, actor.account_id)
    if account is None:
        raise NotFound("not_found", "account")
    if not account.active:
        raise PermissionDenied("inactive", user=account.username)
    if account.role not in PERMISSIONS[action]:
        raise PermissionDenied("role", user=account.username, role=account.role.value, action=action)
    return account

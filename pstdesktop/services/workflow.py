"""The request state machine: every allowed transition, the action (and so the roles) it needs,
and the one function that moves a request, checks it and writes the audit trail.

    DRAFT -> SUBMITTED -> APPROVED -> INVOICED -> PAID -> RECEIPTED -> DELIVERED -> VERIFIED -> CLOSED
                 |            \\-- Rp0 tariff: no payment ----------------------> DELIVERED
                 \\-> REDIRECTED (to statistical consultation, with the reason)
    DELIVERED -> CORRECTION_REQUESTED -> DELIVERED (again, with what was fixed)
    DELIVERED -> VERIFIED is the visitor's check: recorded by the officer, or by the visitor's own
    answer to the exit poll at the kiosk (step 11), which then closes the request too
    INVOICED -> APPROVED (the invoice was cancelled with a reason)
    DRAFT, SUBMITTED, APPROVED, INVOICED -> CANCELLED (with the reason)
    RECEIPTED ... CLOSED -> PAID (its kuitansi was cancelled: paid, kuitansi pending; deliveries stay recorded)
    PAID -> CANCELLED (the money was refunded, with a supervisor's approval)

Once money has been received (PAID and later) a request is not cancelled by the officer: the treasurer
cancels the kuitansi with a supervisor's approval (it stays in the books) and either issues a corrected
one or refunds the money."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import Account, RequestState, ServiceRequest
from pstdesktop.services import audit, validate
from pstdesktop.services.access import PERMISSIONS
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import NotFound, PermissionDenied, StateError, ValidationError

S = RequestState

TRANSITIONS: dict[tuple[RequestState, RequestState], str] = {
    (S.DRAFT, S.SUBMITTED): "request.edit",
    (S.SUBMITTED, S.APPROVED): "request.approve",
    (S.SUBMITTED, S.REDIRECTED): "request.approve",
    (S.APPROVED, S.INVOICED): "invoice.issue",
    (S.INVOICED, S.APPROVED): "invoice.cancel",
    (S.APPROVED, S.DELIVERED): "delivery.record",
    (S.INVOICED, S.PAID): "payment.record",
    (S.PAID, S.RECEIPTED): "receipt.issue",
    (S.RECEIPTED, S.DELIVERED): "delivery.record",
    (S.DELIVERED, S.CORRECTION_REQUESTED): "delivery.record",
    (S.CORRECTION_REQUESTED, S.DELIVERED): "delivery.record",
    (S.DELIVERED, S.VERIFIED): "delivery.record",
    (S.VERIFIED, S.CLOSED): "request.close",
    **{(state, S.CANCELLED): "request.cancel" for state in (S.DRAFT, S.SUBMITTED, S.APPROVED, S.INVOICED)},
    **{(state, S.PAID): "receipt.cancel"
       for state in (S.RECEIPTED, S.DELIVERED, S.CORRECTION_REQUESTED, S.VERIFIED, S.CLOSED)},
}
RECEIPTED_STATES = frozenset({S.RECEIPTED, S.DELIVERED, S.CORRECTION_REQUESTED, S.VERIFIED, S.CLOSED})

# Transitions that one named service may also make under its own action: the visitor who answers the
# exit poll for a delivered walk-in request has checked it (feedback.answer_poll, at the kiosk); a paid
# request whose money was refunded is cancelled (billing.record_refund), never by the officer.
ALSO_ALLOWED: dict[tuple[RequestState, RequestState], str] = {
    (S.DELIVERED, S.VERIFIED): "poll.answer",
    (S.PAID, S.CANCELLED): "receipt.cancel",
}

OPEN_STATES = frozenset(S) - {S.CLOSED, S.CANCELLED, S.REDIRECTED}
REASON_NEEDED = frozenset({S.REDIRECTED, S.CANCELLED, S.CORRECTION_REQUESTED})

STATE_LABELS: dict[RequestState, tuple[str, str]] = {
    S.DRAFT: ("Draf", "Draft"),
    S.SUBMITTED: ("Diajukan", "Submitted"),
    S.APPROVED: ("Sesuai", "Approved"),
    S.REDIRECTED: ("Dialihkan ke konsultasi", "Redirected to consultation"),
    S.INVOICED: ("Invoice terbit", "Invoiced"),
    S.PAID: ("Dibayar", "Paid"),
    S.RECEIPTED: ("Kuitansi terbit", "Receipted"),
    S.DELIVERED: ("Data diserahkan", "Delivered"),
    S.CORRECTION_REQUESTED: ("Perbaikan diminta", "Correction requested"),
    S.VERIFIED: ("Diperiksa pengguna", "Checked by requester"),
    S.CLOSED: ("Selesai", "Closed"),
    S.CANCELLED: ("Dibatalkan", "Cancelled"),
}


def allowed_targets(state: RequestState) -> list[RequestState]:
    return [to for (frm, to) in TRANSITIONS if frm == state]


def load_request(session: Session, request_id: int, office_id: int) -> ServiceRequest:
    """The request, locked for this transaction (row lock on PostgreSQL)."""
    request = session.get(ServiceRequest, validate.record_id("request", request_id), with_for_update=True,
                          populate_existing=True)
    if request is None or request.office_id != office_id:
        raise NotFound("not_found", "request")
    return request


def move(session: Session, account: Account, request: ServiceRequest, target: RequestState, *,
         reason: str = "", action: str | None = None, allowed_by: str | None = None) -> None:
    """Move ``request`` to ``target`` or raise (wrong state or role: nothing changed). ``allowed_by``
    names the caller's own action where ``ALSO_ALLOWED`` lets it make this transition; anywhere
    else it is ignored and the transition's usual action is checked."""
    needed = TRANSITIONS.get((request.state, target))
    if allowed_by is not None and ALSO_ALLOWED.get((request.state, target)) == allowed_by:
        needed = allowed_by
    if needed is None:
        raise StateError("state", number=request.number, state=STATE_LABELS[request.state][0],
                         action=STATE_LABELS[target][0])
    if account.role not in PERMISSIONS[needed]:
        raise PermissionDenied("role", user=account.username, role=account.role.value, action=needed)
    if target in REASON_NEEDED and not reason.strip():
        raise ValidationError("required", "reason")
    previous = request.state
    request.state = target
    request.updated_at = utcnow()
    audit.record(session, account, action or f"request.{target.value}", request,
                 from_state=previous.value, to_state=target.value, reason=reason)

"""Step 11 of the walk-in sheet: the visitor who answers the satisfaction poll at the exit has checked
the data. A delivered walk-in request is recorded as checked by that answer and closed, in the poll's
own transaction, by the kiosk account; a request waiting for a fix or not yet handed over stays as it
was, and the officer's buttons still finish a request whose visitor left without answering."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import (
    Account,
    AuditEntry,
    Delivery,
    DeliveryChannel,
    RequestState,
    Role,
    ServiceRequest,
    Visit,
    VisitStatus,
)
from pstdesktop.services import audit, billing, delivery, feedback, kiosk, online, requests
from pstdesktop.services.access import PERMISSIONS
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import PermissionDenied
from pstdesktop.services.workflow import ALSO_ALLOWED, TRANSITIONS, move
from tests.unit.test_procedure import check, state

RATINGS = [4, 3, 4, 3, 4, 4, 3, 4, 4]
OFFICER, KIOSK = "Yohanes Pattiasina", "Kios"


def receipted(office) -> tuple[int, int]:
    """A cash-paid walk-in request with its kuitansi: (request id, visit id)."""
    rid, payment_id = office.paid()
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
        return rid, s.get(ServiceRequest, rid).visit_id


def hand_over(office, data_file, rid: int, name: str = "susenas.dta", fixes: str = "") -> None:
    with office.session() as s:
        item = delivery.items_of(s, rid)[0]
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(item.id, data_file(name, 2048))],
                         channel=DeliveryChannel.IN_PERSON, media="flashdisk", receipt_handed_over=True, fixes=fixes,
                         size_reason="Berkas uji lebih kecil.")


def delivered(office, data_file) -> tuple[int, int]:
    rid, visit_id = receipted(office)
    hand_over(office, data_file, rid)
    return rid, visit_id


def answer(office, visit_id: int) -> None:
    with office.session() as s:
        feedback.answer_poll(s, office.kiosk, visit_id, RATINGS)


def transitions(office, rid) -> list[AuditEntry]:
    with office.session() as s:
        entries = [e for e in audit.history(s, "service_request", rid) if e.to_state]
        s.expunge_all()
        return entries


def test_answering_the_poll_checks_and_closes_a_delivered_request(office, data_file):
    rid, visit_id = delivered(office, data_file)
    check(office, rid, RequestState.DELIVERED, OFFICER)
    answer(office, visit_id)
    check(office, rid, RequestState.CLOSED, KIOSK)
    entries = transitions(office, rid)
    assert [e.to_state for e in entries] == ["draft", "submitted", "approved", "invoiced", "paid", "receipted",
                                             "delivered", "verified", "closed"]
    verified, closed = entries[-2:]
    assert (verified.from_state, verified.action, verified.actor_name) == ("delivered", "request.checked_at_exit", KIOSK)
    assert verified.reason == ("Diperiksa dan diterima pengunjung: dikonfirmasi dengan mengisi survei kepuasan "
                               "di pintu keluar")
    assert (closed.from_state, closed.action, closed.actor_name) == ("verified", "request.closed_at_exit", KIOSK)
    with office.session() as s:
        hand_over_row = s.scalar(select(Delivery).where(Delivery.request_id == rid))
        visit = s.get(Visit, visit_id)
        assert hand_over_row.checked_at is not None and hand_over_row.checked_at == visit.departed_at
        assert visit.status is VisitStatus.DONE
        assert audit.verify(s) == []


def test_a_request_checked_by_the_officer_still_closes_at_the_exit(office, data_file):
    rid, visit_id = delivered(office, data_file)
    with office.session() as s:
        delivery.confirm_checked(s, office.officer, rid)
    answer(office, visit_id)
    check(office, rid, RequestState.CLOSED, KIOSK)
    entries = transitions(office, rid)
    assert [(e.to_state, e.actor_name, e.action) for e in entries[-2:]] == [
        ("verified", OFFICER, "request.verified"), ("closed", KIOSK, "request.closed_at_exit")]
    with office.session() as s:
        assert audit.verify(s) == []


def test_a_request_waiting_for_a_fix_stays_open_and_the_officer_finishes_it(office, data_file):
    rid, visit_id = delivered(office, data_file)
    with office.session() as s:
        delivery.report_problem(s, office.officer, rid, "Label variabel hilang.")
    before = len(transitions(office, rid))
    answer(office, visit_id)
    check(office, rid, RequestState.CORRECTION_REQUESTED, OFFICER)
    assert len(transitions(office, rid)) == before
    with office.session() as s:
        assert s.scalar(select(Delivery.checked_at).where(Delivery.request_id == rid)) is None
        assert s.get(Visit, visit_id).status is VisitStatus.DONE  # the visit itself ends
    # the poll is answered once: the officer's buttons finish the request after the fix
    hand_over(office, data_file, rid, "susenas-v2.dta", fixes="Label ditambahkan.")
    with office.session() as s:
        delivery.confirm_checked(s, office.officer, rid)
    check(office, rid, RequestState.VERIFIED, OFFICER)
    with office.session() as s:
        delivery.close(s, office.officer, rid)
    check(office, rid, RequestState.CLOSED, OFFICER)
    with office.session() as s:
        assert audit.verify(s) == []


@pytest.mark.parametrize("stage", ["approved", "invoiced", "receipted"])
def test_a_request_not_handed_over_stays_as_it_was(office, stage):
    if stage == "receipted":
        rid, visit_id = receipted(office)
    else:
        rid = office.approved()
        with office.session() as s:
            visit_id = s.get(ServiceRequest, rid).visit_id
            if stage == "invoiced":
                billing.issue_invoice(s, office.officer, rid)
    expected = RequestState(stage)
    before = len(transitions(office, rid))
    answer(office, visit_id)
    assert state(office, rid) is expected
    assert len(transitions(office, rid)) == before


def test_only_the_delivered_request_of_a_visit_closes(office, data_file):
    rid, visit_id = delivered(office, data_file)
    with office.session() as s:
        other = requests.open_request(s, office.officer, visitor_id=s.get(ServiceRequest, rid).visitor_id,
                                      channel="walk_in", visit_id=visit_id, abstraction="Peta desa untuk tesis.")
        requests.add_item(s, office.officer, other.id, product_code="map_kab_desa", title="Peta desa",
                          quantity=1, region="Kota Ambon", media="flashdisk")
        other_id = other.id
    answer(office, visit_id)
    assert (state(office, rid), state(office, other_id)) == (RequestState.CLOSED, RequestState.DRAFT)


def test_the_officer_buttons_still_work_when_the_visitor_skips_the_poll(office, data_file):
    rid, visit_id = delivered(office, data_file)
    with office.session() as s:
        delivery.confirm_checked(s, office.officer, rid)
        delivery.close(s, office.officer, rid)
    check(office, rid, RequestState.CLOSED, OFFICER)
    answer(office, visit_id)  # answering later changes nothing more
    assert transitions(office, rid)[-1].action == "request.closed"


def test_the_kiosk_checks_only_through_the_poll(office, data_file):
    """The kiosk may not record a check by itself, nor use the poll's allowance for another move."""
    rid, _visit_id = delivered(office, data_file)
    with office.session() as s, pytest.raises(PermissionDenied):
        delivery.confirm_checked(s, office.kiosk, rid)
    for target, allowed_by in ((RequestState.VERIFIED, "request.close"),
                               (RequestState.CORRECTION_REQUESTED, "poll.answer")):
        with office.session() as s, pytest.raises(PermissionDenied):
            move(s, s.get(Account, office.kiosk.account_id), s.get(ServiceRequest, rid), target,
                 reason="Tidak sesuai", allowed_by=allowed_by)
    assert state(office, rid) is RequestState.DELIVERED
    # the one move the kiosk makes beyond closing a checked request: the visitor's own check
    assert [pair for pair, action in ALSO_ALLOWED.items() if Role.KIOSK in PERMISSIONS[action]] == [
        (RequestState.DELIVERED, RequestState.VERIFIED)]
    assert ALSO_ALLOWED[(RequestState.DELIVERED, RequestState.VERIFIED)] == "poll.answer"
    assert TRANSITIONS[(RequestState.DELIVERED, RequestState.VERIFIED)] == "delivery.record"


def test_the_kiosk_and_the_case_file_know_what_the_poll_will_do(office, data_file):
    rid, visit_id = delivered(office, data_file)
    with office.session() as s:
        code = s.get(Visit, visit_id).queue_code
        assert kiosk.visit_for_poll(s, office.kiosk, code).handed_over == 1
        assert online.case_file(s, office.officer, rid).exit_poll == "open"
    answer(office, visit_id)
    with office.session() as s:
        assert online.case_file(s, office.officer, rid).exit_poll == "answered"
    fresh, fresh_visit = receipted(office)
    with office.session() as s:
        code = s.get(Visit, fresh_visit).queue_code
        assert kiosk.visit_for_poll(s, office.kiosk, code).handed_over == 0
        assert s.scalar(select(func.count(ServiceRequest.id)).where(ServiceRequest.visit_id == fresh_visit)) == 1


def test_no_poll_is_promised_for_an_earlier_days_visit(office, data_file, time_machine):
    """The kiosk finds only today's visits, so the next day the case file no longer counts on the poll."""
    rid, _visit_id = delivered(office, data_file)
    time_machine.move_to(utcnow() + timedelta(days=1), tick=True)
    with office.session() as s:
        assert online.case_file(s, office.officer, rid).exit_poll == ""

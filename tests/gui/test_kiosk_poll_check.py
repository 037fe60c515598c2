"""Step 11 at the kiosk: a visitor whose data was handed over answers the exit poll, and that answer is
the visitor's check; the request closes. The officer's checklist says exactly what the poll will do
(and what it will not), and its buttons finish a request the poll does not close."""

# ruff: noqa: F811  (the kiosk_window fixture is imported from the driver and requested by name)
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from sqlalchemy import select

from models import Delivery, DeliveryChannel, RequestState, ServiceRequest, Visit
from pstdesktop.services import audit, billing, delivery, feedback, kiosk
from pstdesktop.services.errors import StateError
from tests.gui.kiosk_driver import find, kiosk_window, tap_named  # noqa: F401
from tests.gui.test_officer_wizard import click, state_of, window_for
from ui.i18n import set_language

OLD_PROMISE = ("Permintaan juga selesai sendiri saat pengunjung mengisi survei kepuasan di pintu keluar.",
               "The request also closes when the visitor answers the satisfaction poll at the exit.")
ON_DELIVERED = ("Jika pengunjung mengisi survei kepuasan di pintu keluar, jawabannya dicatat sebagai pemeriksaan "
                "pengunjung (diperiksa dan diterima) dan permintaan selesai. Jika pengunjung pergi tanpa mengisi "
                "survei, tekan \u201cDiperiksa dan diterima pengunjung\u201d lalu \u201cSelesaikan permintaan\u201d.")
ON_DELIVERED_EN = ("If the visitor answers the satisfaction poll at the exit, the answer is recorded as the "
                   "visitor's check (checked and accepted) and the request closes. If the visitor leaves without "
                   "answering it, press \u201cChecked and accepted\u201d, then \u201cClose the request\u201d.")
ON_VERIFIED = ("Permintaan selesai saat pengunjung mengisi survei kepuasan di pintu keluar. Jika pengunjung pergi "
               "tanpa mengisi survei, tekan \u201cSelesaikan permintaan\u201d.")
ON_CORRECTION = ("Survei kepuasan tidak menyelesaikan permintaan yang menunggu perbaikan: serahkan data lagi "
                 "sebelum pengunjung mengisi survei.")
ALREADY_ANSWERED = ("Pengunjung sudah mengisi survei kepuasan; survei tidak akan menyelesaikan permintaan ini. "
                    "Selesaikan dengan tombol di sini.")


def receipted(office) -> tuple[int, int]:
    """A cash-paid walk-in request with its kuitansi: (request id, visit id)."""
    rid, payment_id = office.paid()
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
        return rid, s.get(ServiceRequest, rid).visit_id


def hand_over(office, data_file, rid: int) -> None:
    with office.session() as s:
        item = delivery.items_of(s, rid)[0]
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(item.id, data_file(f"data-{rid}.dta"))],
                         channel=DeliveryChannel.IN_PERSON, media="flashdisk", receipt_handed_over=True, size_reason="Berkas uji lebih kecil.")


def delivered(office, data_file) -> tuple[int, int]:
    rid, visit_id = receipted(office)
    hand_over(office, data_file, rid)
    return rid, visit_id


def queue_code(office, visit_id: int) -> str:
    with office.session() as s:
        return s.get(Visit, visit_id).queue_code


def poll_hint(checklist) -> str:
    """The exit-poll sentence of the checklist, as the officer sees it ('' when hidden)."""
    label = checklist.findChild(QLabel, "pollHint")
    assert label is not None
    return label.text() if label.isVisible() else ""


def answer_at_the_kiosk(qtbot, w, code: str, rating: str = "rating_4") -> None:
    tap_named(qtbot, w, "pollWelcomeStart")
    qtbot.keyClicks(find(w, QLineEdit, "pollLookupField"), code)
    tap_named(qtbot, w, "pollLookupButton")
    assert find(w, QLabel, "pollVisitCode").text() == code
    tap_named(qtbot, w, "pollConfirm")
    for _ in range(9):
        tap_named(qtbot, w, rating)


def test_visitor_closes_a_delivered_request_through_the_kiosk_poll(qtbot, kiosk_window, office, data_file):
    rid, visit_id = delivered(office, data_file)
    window = window_for(qtbot, office)
    checklist = window.open_checklist(rid)
    assert poll_hint(checklist) == ON_DELIVERED
    assert checklist.findChild(QPushButton, "checkAccepted").isVisible()

    w = kiosk_window("poll")
    answer_at_the_kiosk(qtbot, w, queue_code(office, visit_id))
    note = find(w, QLabel, "pollHandOverNote")
    assert note.isVisible() and "Dengan mengirim penilaian ini, Anda menyatakan sudah memeriksa data" in note.text()
    tap_named(qtbot, w, "pollSubmit")
    assert w.stack.currentWidget() is w.thanks

    assert state_of(office, rid) is RequestState.CLOSED
    with office.session() as s:
        entries = [e for e in audit.history(s, "service_request", rid) if e.to_state]
        assert [(e.to_state, e.actor_name) for e in entries[-3:]] == [
            ("delivered", "Yohanes Pattiasina"), ("verified", "Kios"), ("closed", "Kios")]
        assert s.scalar(select(Delivery.checked_at).where(Delivery.request_id == rid)) is not None
        assert audit.verify(s) == []
    click(qtbot, checklist, "checklistRefresh")
    assert poll_hint(checklist) == ""
    assert not checklist.findChild(QPushButton, "checkAccepted").isVisible()
    assert checklist.findChild(QLabel, "checkStatus").text().startswith("Diperiksa dan diterima ")


def test_no_hand_over_note_for_a_visit_without_delivered_data(qtbot, kiosk_window, office, data_file):
    rid, visit_id = receipted(office)
    w = kiosk_window("poll")
    answer_at_the_kiosk(qtbot, w, queue_code(office, visit_id))
    assert not find(w, QLabel, "pollHandOverNote").isVisible()
    tap_named(qtbot, w, "pollSubmit")
    assert w.stack.currentWidget() is w.thanks
    assert state_of(office, rid) is RequestState.RECEIPTED


@pytest.mark.parametrize("stage", ["delivered", "verified", "correction"])
def test_the_officer_screen_says_what_the_poll_does(qtbot, office, data_file, stage):
    rid, _visit_id = delivered(office, data_file)
    with office.session() as s:
        if stage == "verified":
            delivery.confirm_checked(s, office.officer, rid)
        elif stage == "correction":
            delivery.report_problem(s, office.officer, rid, "Label variabel hilang.")
    checklist = window_for(qtbot, office).open_checklist(rid)
    text = poll_hint(checklist)
    assert text == {"delivered": ON_DELIVERED, "verified": ON_VERIFIED, "correction": ON_CORRECTION}[stage]
    assert OLD_PROMISE[0] not in text


def test_the_officer_screen_in_english(qtbot, office, data_file):
    rid, _visit_id = delivered(office, data_file)
    set_language("en")
    try:
        checklist = window_for(qtbot, office).open_checklist(rid)
        assert poll_hint(checklist) == ON_DELIVERED_EN
        assert OLD_PROMISE[1] not in poll_hint(checklist)
    finally:
        set_language("id")


def test_after_the_poll_the_officer_buttons_finish_the_request(qtbot, office, data_file):
    """The visitor answered the poll before the data was handed over: the poll will not close it, the
    screen says so, and the officer's two buttons do."""
    rid, visit_id = receipted(office)
    with office.session() as s:
        feedback.answer_poll(s, office.kiosk, visit_id, [3] * 9)
    hand_over(office, data_file, rid)
    with office.session() as s, pytest.raises(StateError) as refused:  # the kiosk takes one answer a visit
        kiosk.visit_for_poll(s, office.kiosk, queue_code(office, visit_id))
    assert refused.value.code == "poll_done"
    checklist = window_for(qtbot, office).open_checklist(rid)
    assert poll_hint(checklist) == ALREADY_ANSWERED
    click(qtbot, checklist, "checkAccepted")
    assert state_of(office, rid) is RequestState.VERIFIED
    assert poll_hint(checklist) == ALREADY_ANSWERED
    click(qtbot, checklist, "closeRequest")
    assert state_of(office, rid) is RequestState.CLOSED
    assert poll_hint(checklist) == ""

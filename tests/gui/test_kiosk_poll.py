"""The exit poll at the kiosk: find the visit by queue number or phone, rate the nine elements with the
big buttons, leave a comment and a complaint; the visit closes with its departure time and the index
the supervisor reads moves."""

# ruff: noqa: F811  (the kiosk_window fixture is imported from the driver and requested by name)
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit
from sqlalchemy import select

from models import Complaint, PollAnswer, Visit, VisitStatus
from models.feedback import SKM_ELEMENTS
from pstdesktop.services import feedback, kiosk
from pstdesktop.services.office import office_today
from tests.conftest import visitor_answers
from tests.gui.kiosk_driver import find, kiosk_window, tap_named, type_emoji  # noqa: F401

CONSULT = "Konsultasi Statistik"


def visits(office, n: int) -> list[kiosk.KioskTicket]:
    tickets = []
    for i in range(n):
        with office.session() as s:
            tickets.append(kiosk.register(s, office.kiosk, visitor_answers(phone=f"08124321567{i}",
                                                                           email=f"v{i}@contoh.id"), CONSULT))
    return tickets


def index_now(office):
    today = kiosk_today(office)
    with office.session() as s:
        return kiosk.monthly_satisfaction(s, office.supervisor, today.year, today.month)


def kiosk_today(office):
    with office.session() as s:
        return office_today(s, office.office_id)


def find_visit(qtbot, w, key: str) -> None:
    tap_named(qtbot, w, "pollWelcomeStart")
    qtbot.keyClicks(find(w, QLineEdit, "pollLookupField"), key)
    tap_named(qtbot, w, "pollLookupButton")


def test_poll_closes_the_visit_and_moves_the_index(qtbot, kiosk_window, office):
    first, second = visits(office, 2)
    with office.session() as s:
        feedback.answer_poll(s, office.kiosk, first.visit_id, [4] * 9)
    before = index_now(office)
    assert (before.respondents, before.index) == (1, 100.0)

    w = kiosk_window("poll")
    find_visit(qtbot, w, "c-2")
    assert find(w, QLabel, "pollVisitCode").text() == "C-002"
    tap_named(qtbot, w, "pollConfirm")
    for number in range(1, 10):
        assert find(w, QLabel, "pollProgress").text() == f"Pertanyaan {number} dari 9"
        tap_named(qtbot, w, "rating_2")
    qtbot.keyClicks(find(w, QPlainTextEdit, "pollComment"), "Ruang tunggu terlalu panas.")
    qtbot.keyClicks(find(w, QPlainTextEdit, "pollComplaint"), "AC ruang PST rusak sejak pagi.")
    tap_named(qtbot, w, "pollSubmit")
    assert w.stack.currentWidget() is w.thanks
    assert "C-002" in find(w, QLabel, "thanksDetail").text()

    with office.session() as s:
        answer = s.scalar(select(PollAnswer).where(PollAnswer.visit_id == second.visit_id))
        visit = s.get(Visit, second.visit_id)
        complaint = s.scalar(select(Complaint).where(Complaint.visit_id == second.visit_id))
        assert [getattr(answer, u) for u in SKM_ELEMENTS] == [2] * 9
        assert answer.comment == "Ruang tunggu terlalu panas."
        assert (complaint.text, complaint.channel) == ("AC ruang PST rusak sejak pagi.", "kiosk")
        assert visit.status is VisitStatus.DONE and visit.departed_at is not None
    after = index_now(office)
    assert (after.respondents, after.index, after.grade[0]) == (2, 75.0, "C")


def test_poll_by_phone_and_changing_an_answer_with_back(qtbot, kiosk_window, office):
    (ticket,) = visits(office, 1)
    w = kiosk_window("poll")
    find_visit(qtbot, w, "0812 4321 5670")
    tap_named(qtbot, w, "pollConfirm")
    tap_named(qtbot, w, "rating_1")
    tap_named(qtbot, w, "pollBack")
    assert find(w, QLabel, "pollProgress").text() == "Pertanyaan 1 dari 9"
    for _ in range(9):
        tap_named(qtbot, w, "rating_4")
    tap_named(qtbot, w, "pollSubmit")
    with office.session() as s:
        answer = s.scalar(select(PollAnswer).where(PollAnswer.visit_id == ticket.visit_id))
        assert [getattr(answer, u) for u in SKM_ELEMENTS] == [4] * 9 and answer.comment == ""


def test_poll_lookup_explains_what_is_wrong(qtbot, kiosk_window, office):
    (ticket,) = visits(office, 1)
    with office.session() as s:
        feedback.answer_poll(s, office.kiosk, ticket.visit_id, [3] * 9)
    w = kiosk_window("poll")
    find_visit(qtbot, w, "C-009")
    message = find(w, QLabel, "pollLookupMessage")
    assert message.text() == "Tidak ada kunjungan hari ini dengan nomor antrean atau nomor HP 'C-009'."
    field = find(w, QLineEdit, "pollLookupField")
    field.clear()
    qtbot.keyClicks(field, "C-001")
    tap_named(qtbot, w, "pollLookupButton")
    assert message.text() == "Kunjungan C-001 sudah mengisi survei kepuasan."
    assert w.poll.stack.currentIndex() == 0


def test_poll_comment_with_emoji_is_refused_until_fixed(qtbot, kiosk_window, office):
    (ticket,) = visits(office, 1)
    w = kiosk_window("poll")
    find_visit(qtbot, w, "C-001")
    tap_named(qtbot, w, "pollConfirm")
    for _ in range(9):
        tap_named(qtbot, w, "rating_3")
    complaint = find(w, QPlainTextEdit, "pollComplaint")
    qtbot.keyClicks(complaint, "Antre lama ")
    type_emoji(qtbot, complaint, "\U0001F620")
    tap_named(qtbot, w, "pollSubmit")
    assert find(w, QLabel, "error_complaint").text() == "Pengaduan berisi karakter yang tidak diizinkan."
    with office.session() as s:
        assert s.scalar(select(PollAnswer.id)) is None
    complaint.clear()
    qtbot.keyClicks(complaint, "Antre lama")
    tap_named(qtbot, w, "pollSubmit")
    assert w.stack.currentWidget() is w.thanks
    with office.session() as s:
        assert s.scalar(select(Complaint.text).where(Complaint.visit_id == ticket.visit_id)) == "Antre lama"


def test_poll_is_wiped_when_left_half_done(qtbot, kiosk_window, office):
    visits(office, 1)
    w = kiosk_window("poll", idle_ms=600)
    find_visit(qtbot, w, "C-001")
    tap_named(qtbot, w, "pollConfirm")
    tap_named(qtbot, w, "rating_4")
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.poll_welcome, timeout=5000)
    assert w.poll.visit is None and w.poll.ratings == [None] * 9
    assert find(w, QLineEdit, "pollLookupField").text() == ""
    assert find(w, QLabel, "pollVisitCode").text() == ""
    with office.session() as s:
        assert s.scalar(select(PollAnswer.id)) is None

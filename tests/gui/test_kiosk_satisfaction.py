"""The supervisor's satisfaction view: per-element NRR, IKM, the converted index with two decimals,
the grade and the respondents of the chosen month, recomputed from the raw answers."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTableWidget

from pstdesktop.services import feedback, kiosk
from tests.conftest import at, visitor_answers
from ui.i18n import set_language
from ui.satisfaction import SatisfactionView


def answered(office, ratings, when, n) -> None:
    with office.session() as s:
        ticket = kiosk.register(s, office.kiosk, visitor_answers(phone=f"0812999900{n:02d}"),
                                "Konsultasi Statistik")
    with office.session() as s:
        feedback.answer_poll(s, office.kiosk, ticket.visit_id, ratings).answered_at = when


def figure(view, key: str) -> str:
    return view.findChild(QLabel, f"satisfaction_{key}").text()


def test_month_figures_and_moving_between_months(qtbot, office):
    answered(office, [4, 4, 3, 3, 4, 4, 4, 3, 4], at(2026, 3, 5, 10, 0, zone_hours=9), 1)
    answered(office, [3, 3, 3, 2, 3, 3, 4, 3, 3], at(2026, 3, 6, 10, 0, zone_hours=9), 2)
    answered(office, [2] * 9, at(2026, 2, 20, 10, 0, zone_hours=9), 3)
    view = SatisfactionView(office.db, office.supervisor, today=date(2026, 3, 15))
    qtbot.addWidget(view)
    view.resize(1000, 640)
    view.show()
    # March: NRR u1 = 3.5 ... IKM = 60/18 = 3.3333..., index 83.33, grade B
    assert figure(view, "respondents") == "2"
    assert figure(view, "ikm") == "3,3333"
    assert figure(view, "index") == "83,33"
    assert figure(view, "grade") == "B \u2014 Baik"
    table = view.findChild(QTableWidget, "satisfactionTable")
    assert [table.item(r, 2).text() for r in range(9)] == [
        "3,5000", "3,5000", "3,0000", "2,5000", "3,5000", "3,5000", "4,0000", "3,0000", "3,5000"]
    assert table.item(0, 1).text() == "Persyaratan pelayanan"
    qtbot.mouseClick(view.findChild(QPushButton, "satisfactionPrevious"), Qt.MouseButton.LeftButton)
    assert view.findChild(QComboBox, "satisfactionMonth").currentText() == "Februari"
    assert (figure(view, "respondents"), figure(view, "index"), figure(view, "grade")) == (
        "1", "50,00", "D \u2014 Tidak Baik")
    qtbot.mouseClick(view.findChild(QPushButton, "satisfactionPrevious"), Qt.MouseButton.LeftButton)
    assert figure(view, "respondents") == "0" and figure(view, "index") == "-"
    assert "Belum ada responden pada Januari 2026" in view.findChild(QLabel, "satisfactionMessage").text()
    assert table.item(0, 2).text() == "-"


def test_year_boundary_and_english(qtbot, office):
    answered(office, [4] * 9, at(2025, 12, 31, 14, 59, zone_hours=0), 1)  # 23:59 WIT
    set_language("en")
    try:
        view = SatisfactionView(office.db, office.supervisor, today=date(2026, 1, 10))
        qtbot.addWidget(view)
        assert figure(view, "respondents") == "0"
        qtbot.mouseClick(view.findChild(QPushButton, "satisfactionPrevious"), Qt.MouseButton.LeftButton)
        assert view.findChild(QComboBox, "satisfactionMonth").currentText() == "December"
        assert (figure(view, "respondents"), figure(view, "index"), figure(view, "grade")) == (
            "1", "100.00", "A \u2014 Very good")
    finally:
        set_language("id")

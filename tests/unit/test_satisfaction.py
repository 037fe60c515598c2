"""The satisfaction index the supervisor reads, computed exactly as PermenPANRB 14/2017 (domain.md):
each element's mean (NRR), their plain mean (weight exactly 1/9), x 25; graded A-D on the index
rounded to two decimals; a month counted in office time."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy import select

from models import PollAnswer
from pstdesktop.services import feedback, kiosk
from pstdesktop.services.errors import PermissionDenied
from pstdesktop.services.feedback import SatisfactionIndex
from tests.conftest import at, visitor_answers

CONSULT = "Konsultasi Statistik"


def answered(office, ratings: list[int], when, n: int = 0) -> None:
    """One registered visit rated ``ratings`` at ``when`` (UTC)."""
    with office.session() as s:
        ticket = kiosk.register(s, office.kiosk, visitor_answers(phone=f"0812000000{n:02d}",
                                                                email=f"v{n}@contoh.id"), CONSULT)
    with office.session() as s:
        answer = feedback.answer_poll(s, office.kiosk, ticket.visit_id, ratings)
        answer.answered_at = when
    with office.session() as s:
        assert s.scalar(select(PollAnswer.answered_at).where(PollAnswer.visit_id == ticket.visit_id)) == when


def test_index_is_the_plain_mean_of_the_nine_nrr_times_25(office):
    rows = [[4, 3, 4, 3, 4, 4, 4, 3, 3], [3, 3, 3, 3, 3, 3, 3, 3, 3], [4, 4, 2, 4, 4, 4, 4, 4, 1]]
    march = at(2026, 3, 10, 10, 0, zone_hours=9)
    for n, ratings in enumerate(rows):
        answered(office, ratings, march, n)
    with office.session() as s:
        result = kiosk.monthly_satisfaction(s, office.supervisor, 2026, 3)
    nrr = [Fraction(sum(r[i] for r in rows), len(rows)) for i in range(9)]
    ikm = sum(nrr) / 9
    assert result.respondents == 3
    assert result.nrr == pytest.approx([float(x) for x in nrr], abs=1e-12)
    assert result.ikm == pytest.approx(float(ikm), abs=1e-12)
    assert result.index == pytest.approx(float(ikm * 25), abs=1e-10)
    assert f"{result.index:.2f}" == "83.33" and result.grade == ("B", "Baik")


def test_all_very_good_gives_exactly_100_not_99(office):
    answered(office, [4] * 9, at(2026, 3, 10, 10, 0, zone_hours=9))
    with office.session() as s:
        result = kiosk.monthly_satisfaction(s, office.supervisor, 2026, 3)
    assert result.index == 100.0 and result.grade == ("A", "Sangat Baik")


@pytest.mark.parametrize("index, letter", [
    (100.0, "A"), (88.31, "A"), (88.30, "B"), (76.61, "B"), (76.60, "C"), (65.0, "C"), (64.99, "D"), (25.0, "D"),
    (88.3049, "B"), (88.3051, "A"),  # graded on the index rounded to two decimals
])
def test_grade_boundaries(index, letter):
    assert SatisfactionIndex(1, (index / 25,) * 9, index / 25, index).grade[0] == letter


def test_month_is_counted_in_office_time(office):
    # Ambon is WIT (UTC+9): 31 March 16:00 UTC is already 1 April 01:00 in the office
    answered(office, [1] * 9, at(2026, 3, 31, 16, 0), 1)
    answered(office, [4] * 9, at(2026, 3, 31, 14, 0), 2)  # 23:00 WIT, still March
    with office.session() as s:
        march = kiosk.monthly_satisfaction(s, office.supervisor, 2026, 3)
        april = kiosk.monthly_satisfaction(s, office.supervisor, 2026, 4)
        may = kiosk.monthly_satisfaction(s, office.supervisor, 2026, 5)
        december = kiosk.monthly_satisfaction(s, office.supervisor, 2026, 12)
    assert (march.respondents, march.index) == (1, 100.0)
    assert (april.respondents, april.index) == (1, 25.0)
    assert may is None and december is None


def test_only_supervisor_and_treasurer_read_the_index(office):
    with office.session() as s:
        assert kiosk.monthly_satisfaction(s, office.treasurer, 2026, 3) is None
    for actor in (office.kiosk, office.officer):
        with office.session() as s, pytest.raises(PermissionDenied):
            kiosk.monthly_satisfaction(s, actor, 2026, 3)

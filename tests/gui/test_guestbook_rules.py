"""The guestbook's person rules on the staff form and at the kiosk: a birth year out of range is refused
in words (never silently changed), and the province starts at the office's (Maluku 8100, Jambi 1571)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit
from sqlalchemy import func, select

from models import Visitor
from pstdesktop.services import clock, guestbook
from pstdesktop.services.office import update_office
from tests.gui.kiosk_driver import kiosk_window  # noqa: F401  (a fixture)
from tests.gui.test_officer_wizard import (
    click,
    fill_online_requester,
    message,
    new_online_request,
    window_for,
)

JAMBI = {"unit_code": "1571", "name": "BPS Kota Jambi", "city": "Jambi", "time_zone": "WIB"}


def move_office_to_jambi(office) -> None:
    with office.session() as s:
        update_office(s, office.supervisor, JAMBI)


def online_wizard(qtbot, office):
    window = window_for(qtbot, office)
    new_online_request(qtbot, window)
    return window.wizard


def test_the_staff_form_refuses_1800_in_words_and_keeps_what_was_typed(qtbot, office):
    wizard = online_wizard(qtbot, office)
    fill_online_requester(qtbot, wizard)
    click(qtbot, wizard, "requesterConsent")
    year = wizard.findChild(QLineEdit, "requesterBirthYear")
    year.clear()
    qtbot.keyClicks(year, "1800")
    click(qtbot, wizard, "wizardNext")
    low, high = guestbook.birth_year_bounds(clock.today("WIT").year)
    assert f"Tahun Lahir harus antara {low} dan {high}." in message(wizard, "wizardMessage")
    assert year.text() == "1800"  # nothing silently dropped or clamped
    with office.session() as s:
        assert s.scalar(select(func.count(Visitor.id))) == 0
    year.clear()
    qtbot.keyClicks(year, str(high))
    click(qtbot, wizard, "wizardNext")
    assert message(wizard, "wizardMessage") == ""
    assert wizard.findChild(QPlainTextEdit, "abstractionText").isVisible()


@pytest.mark.parametrize(("in_jambi", "province"), [(False, "Maluku"), (True, "Jambi")], ids=["maluku", "jambi"])
def test_the_staff_form_presets_the_office_province(qtbot, office, in_jambi, province):
    if in_jambi:
        move_office_to_jambi(office)
    wizard = online_wizard(qtbot, office)
    assert wizard.findChild(QComboBox, "requesterProvince").currentData() == province


@pytest.mark.parametrize(("in_jambi", "province"), [(False, "Maluku"), (True, "Jambi")], ids=["maluku", "jambi"])
def test_the_kiosk_presets_the_office_province_for_every_visitor(qtbot, kiosk_window, office, in_jambi,  # noqa: F811
                                                                  province):
    if in_jambi:
        move_office_to_jambi(office)
    w = kiosk_window()
    assert w.form.province.value() == province
    w.form.province.set_value("Bali")
    w.wipe()  # the next visitor
    assert w.form.province.value() == province
    w.form.country.set_value("other")
    w.form.country.set_value("Indonesia")
    assert w.form.province.value() == province

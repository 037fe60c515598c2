"""The officer says when an online request became clear (in the conformity step, or later on the request
with a reason) and sees the deadline it gives; refused moments change nothing. The hand-over defaults
to the channel the request came by."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QTextBrowser,
)

from models import Channel, DeliveryChannel, RequestState, ServiceRequest
from pstdesktop.services import audit, online, requests
from pstdesktop.services.clock import fmt_local, utcnow
from pstdesktop.services.deadlines import online_due
from tests.conftest import visitor_answers
from tests.gui.test_officer_wizard import (
    choose,
    click,
    fill_online_requester,
    message,
    new_online_request,
    request_ids,
    type_into,
    wait_jobs,
    window_for,
)
from tests.shots import shot
from tests.unit.test_online import receipted_by_transfer
from ui import widgets
from ui.i18n import set_language
from ui.officer.checklist import ChecklistDialog
from ui.officer.clear_moment import ClearMomentDialog
from ui.officer.wizard import RequestWizard
from ui.widgets import office_datetime


def online_request(office, via: str, *, approve: bool = True, days_ago: int = 5) -> int:
    with office.session() as s:
        person = online.register_requester(s, office.officer, visitor_answers())
        req = requests.open_request(s, office.officer, visitor_id=person.id, channel=Channel.ONLINE, online_via=via,
                                    received_at=utcnow() - timedelta(days=days_ago),
                                    abstraction="Kajian ketenagakerjaan kabupaten untuk skripsi.")
        requests.add_item(s, office.officer, req.id, product_code="microdata_raw", title="Sakernas Agustus 2025",
                          quantity=3_400_000)
        requests.submit(s, office.officer, req.id)
        if approve:
            requests.approve(s, office.officer, req.id)
        return req.id


def stored(office, rid) -> tuple:
    with office.session() as s:
        req = s.get(ServiceRequest, rid)
        return req.state, req.clear_at, req.due_at


def test_conformity_step_takes_a_back_dated_clear_and_refuses_future_or_before_receipt(qtbot, office, monkeypatch,
                                                                                     tmp_path):
    monkeypatch.setattr(widgets, "available_geometry", lambda _window: QRect(0, 0, 1366, 728))
    window = window_for(qtbot, office)
    new_online_request(qtbot, window)
    wizard = window.wizard
    choose(wizard, "onlineVia", "email")
    received_field = wizard.pages[0].received
    received_field.setDateTime(received_field.dateTime().addDays(-5))
    fill_online_requester(qtbot, wizard)
    click(qtbot, wizard, "requesterConsent")
    click(qtbot, wizard, "wizardNext")
    type_into(qtbot, wizard, "abstractionText", "Kajian ketenagakerjaan perempuan untuk disertasi.", QPlainTextEdit)
    click(qtbot, wizard, "wizardNext")
    rid = request_ids(office)[-1]
    choose(wizard, "productKind", "microdata")
    wizard.findChild(QComboBox, "microdataSurvey").setCurrentText("Sakernas Agustus 2025")
    type_into(qtbot, wizard, "microdataSize", "3400000")
    click(qtbot, wizard, "productAdd")
    click(qtbot, wizard, "wizardNext")
    click(qtbot, wizard, "wizardNext")  # category and fee: submitted
    clear = wizard.findChild(QDateTimeEdit, "conformityClearAt")
    QApplication.processEvents()
    # at 1366×728, after the taller earlier steps, the whole decision is in view without scrolling
    assert wizard.height() <= 728 and wizard.findChild(QScrollArea).verticalScrollBar().maximum() == 0
    assert clear.isVisible() and "batas 10 hari kerja" in wizard.findChild(QLabel, "conformityClearAtDue").text()
    with office.session() as s:
        received = s.get(ServiceRequest, rid).received_at
    now_shown = clear.dateTime()
    clear.setDateTime(now_shown.addDays(1))
    shot(wizard, tmp_path, "conformity-clear-future.png", size=(1366, 768))
    click(qtbot, wizard, "wizardNext")
    assert "masa depan" in message(wizard, "wizardMessage") and clear.property("invalid") is True
    assert stored(office, rid) == (RequestState.SUBMITTED, None, None)
    clear.setDateTime(office_datetime(received, "WIT").addSecs(-3600))
    click(qtbot, wizard, "wizardNext")
    assert "sebelum permintaan diterima" in message(wizard, "wizardMessage")
    assert stored(office, rid) == (RequestState.SUBMITTED, None, None)
    back_dated = office_datetime(received + timedelta(days=1), "WIT")
    clear.setDateTime(back_dated)
    expected_due = online_due(received.replace(second=0, microsecond=0) + timedelta(days=1), "WIT")
    assert fmt_local(expected_due, "WIT") in wizard.findChild(QLabel, "conformityClearAtDue").text()
    shot(wizard, tmp_path, "conformity-clear.png", size=(1366, 768))
    click(qtbot, wizard, "wizardNext")
    state, clear_at, due_at = stored(office, rid)
    assert state is RequestState.APPROVED
    assert fmt_local(clear_at, "WIT") == fmt_local(received + timedelta(days=1), "WIT") and due_at == expected_due


def test_conformity_step_left_alone_records_the_approval_moment(qtbot, office):
    rid = online_request(office, "forum", approve=False)
    wizard = RequestWizard(office.db, office.officer, request_id=rid)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.show_page(4)
    assert wizard.findChild(QDateTimeEdit, "conformityClearAt").isVisible()
    click(qtbot, wizard, "conformityRedirect")
    assert not wizard.findChild(QDateTimeEdit, "conformityClearAt").isEnabled()
    click(qtbot, wizard, "conformityFits")
    before = utcnow()
    click(qtbot, wizard, "wizardNext")
    _state, clear_at, _due = stored(office, rid)
    assert before <= clear_at <= utcnow()  # the exact approval instant, not the minute shown


def test_the_conformity_list_names_the_product_in_the_chosen_language(qtbot, office, monkeypatch, tmp_path):
    monkeypatch.setattr(widgets, "available_geometry", lambda _window: QRect(0, 0, 1366, 728))
    rid = online_request(office, "email", approve=False)
    window = window_for(qtbot, office)
    set_language("en")
    try:
        wizard = window.start_wizard(request_id=rid)
        click(qtbot, wizard, "wizardNext")  # from the category and fee to the conformity check
        listed = wizard.findChild(QTextBrowser, "conformityItems").toPlainText()
        assert "Microdata without processing (per dataset) · 3,400,000 bytes" in listed  # English grouping
        assert "Data mikro" not in listed
        shot(wizard, tmp_path, "conformity-items-en.png", size=(1366, 768))
    finally:
        set_language("id")
    wizard.close()
    wizard = window.start_wizard(request_id=rid)
    click(qtbot, wizard, "wizardNext")
    assert "Data mikro tanpa pengolahan (per dataset) · 3.400.000 byte" in \
        wizard.findChild(QTextBrowser, "conformityItems").toPlainText()


def test_clear_moment_changed_later_on_the_request_with_a_reason(qtbot, office, monkeypatch, tmp_path):
    rid = online_request(office, "email")
    before = stored(office, rid)
    checklist = ChecklistDialog(office.db, office.officer, rid)
    qtbot.addWidget(checklist)
    checklist.show()
    assert "jelas" in checklist.findChild(QLabel, "checklistHeader").text()
    shot(checklist, tmp_path, "checklist-clear-button.png", size=(1366, 768))
    dialog = ClearMomentDialog(office.db, office.officer, checklist.case, checklist)
    qtbot.addWidget(dialog)
    dialog.show()
    edit = dialog.findChild(QDateTimeEdit, "clearMomentEdit")
    edit.setDateTime(edit.dateTime().addDays(2))  # in the future
    type_into(qtbot, dialog, "clearMomentReason", "Syarat lengkap lewat email.", QPlainTextEdit)
    click(qtbot, dialog, "clearMomentSave")
    assert "masa depan" in message(dialog, "clearMomentMessage") and dialog.isVisible()
    assert stored(office, rid) == before
    edit.setDateTime(office_datetime(checklist.case.received_at + timedelta(days=1), "WIT"))
    dialog.findChild(QPlainTextEdit, "clearMomentReason").clear()
    click(qtbot, dialog, "clearMomentSave")
    assert "Alasan" in message(dialog, "clearMomentMessage")
    assert stored(office, rid) == before
    type_into(qtbot, dialog, "clearMomentReason", "Syarat lengkap lewat email sehari setelah diterima.",
              QPlainTextEdit)
    shot(dialog, tmp_path, "clear-moment-dialog.png")  # its own size, fitted to 1366x768
    assert dialog.width() <= 1366 and dialog.height() <= 768
    click(qtbot, dialog, "clearMomentSave")
    assert dialog.result() == ClearMomentDialog.DialogCode.Accepted
    _state, clear_at, due_at = stored(office, rid)
    assert clear_at < before[1] and due_at < before[2]
    with office.session() as s:
        entry = audit.history(s, "service_request", rid)[-1]
        assert (entry.action, entry.reason) == ("request.clear_at", "Syarat lengkap lewat email sehari setelah diterima.")

    def accept_at_once(self):  # the button opens the same dialog; here it is saved untouched with a reason
        self.reason.setPlainText("Koreksi ulang.")
        self.save()
        return self.result()

    monkeypatch.setattr(ClearMomentDialog, "exec", accept_at_once)
    click(qtbot, checklist, "checklistClearAt")
    assert "batas waktu kini" in message(checklist, "checklistMessage")
    assert checklist.case.due == fmt_local(due_at, "WIT")


@pytest.mark.parametrize(("via", "channel", "media"), [
    ("email", DeliveryChannel.EMAIL, "email"), ("wa", DeliveryChannel.WA, "wa"),
    ("forum", DeliveryChannel.FORUM, "forum")])
def test_hand_over_defaults_to_the_channel_the_request_came_by(qtbot, office, via, channel, media, tmp_path):
    rid = online_request(office, via)
    checklist = ChecklistDialog(office.db, office.officer, rid)
    qtbot.addWidget(checklist)
    checklist.show()
    assert checklist.findChild(QComboBox, "deliveryChannel").currentData() == channel
    assert checklist.findChild(QComboBox, "deliveryMedia").currentData() == media
    if via == "email":
        shot(checklist, tmp_path, "delivery-default-email.png", size=(1366, 768))
        choose(checklist, "deliveryChannel", DeliveryChannel.FORUM)  # the officer's choice survives a refresh
        click(qtbot, checklist, "checklistRefresh")
        assert checklist.findChild(QComboBox, "deliveryChannel").currentData() == DeliveryChannel.FORUM


def test_a_walk_in_hands_over_in_person(qtbot, office):
    rid = office.approved()
    checklist = ChecklistDialog(office.db, office.officer, rid)
    qtbot.addWidget(checklist)
    checklist.show()
    assert checklist.findChild(QComboBox, "deliveryChannel").currentData() == DeliveryChannel.IN_PERSON
    assert checklist.findChild(QComboBox, "deliveryMedia").currentData() == "flashdisk"
    assert not checklist.findChild(QRadioButton, "conformityFits")
    assert not checklist.clear_button.isVisible()  # the 1-hour walk-in clock starts at the guestbook


def test_the_prepared_files_fit_the_delivery_table_at_1366(qtbot, office, data_file, monkeypatch, tmp_path):
    """At 1366×728 every column of the prepared files shows its header and an elided text whose whole
    is its tooltip; no sideways scrolling; the product chosen is readable in full."""
    monkeypatch.setattr(widgets, "available_geometry", lambda _window: QRect(0, 0, 1366, 728))
    rid = online_request(office, "wa")
    receipted_by_transfer(office, rid, data_file)  # every section of the checklist filled, as the officer sees it
    checklist = ChecklistDialog(office.db, office.officer, rid)
    qtbot.addWidget(checklist)
    checklist.show()
    checklist.resize(1366, 728)
    name = "sakernas-agustus-2025-kabupaten-kepulauan-aru-revisi-akhir.csv"
    checklist.delivery.add_file(str(data_file(name, 5000)))
    wait_jobs(qtbot)
    QApplication.processEvents()
    table = checklist.delivery.files
    header, metrics = table.horizontalHeader(), table.fontMetrics()
    for column in range(table.columnCount()):
        title = table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= metrics.horizontalAdvance(title) + 12, title
    assert header.sectionSize(0) >= 100 and header.sectionSize(1) >= 100
    assert header.length() <= table.viewport().width() and table.horizontalScrollBar().maximum() == 0
    assert table.item(0, 0).toolTip() == "Sakernas Agustus 2025" and table.item(0, 1).toolTip().endswith(name)
    product = checklist.findChild(QComboBox, "deliveryProduct")
    assert product.width() >= product.fontMetrics().horizontalAdvance(product.currentText()) + 40
    shot(checklist, tmp_path, "delivery-files-1366.png", size=(1366, 768))

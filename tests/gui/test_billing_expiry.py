"""The officer types the SIMPONI billing code with the expiry SIMPONI printed (office time), in the
wizard and in the request's checklist; it defaults to the office's validity. A code already on
another live invoice is refused with its message and nothing is issued."""

from datetime import timedelta

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateTimeEdit
from sqlalchemy import func, select

from models import Invoice, RequestState
from pstdesktop.services import billing
from pstdesktop.services.clock import local, utcnow
from tests.gui.test_officer_bad_input import approved_in_wizard
from tests.gui.test_officer_wizard import click, message, state_of, type_into
from ui.officer.checklist import ChecklistDialog

CODE = "820261130012345"


def expiry_field(parent, name: str) -> QDateTimeEdit:
    field = parent.findChild(QDateTimeEdit, name)
    assert field is not None and field.isVisible() and field.isEnabled(), name
    return field


def shown(field: QDateTimeEdit) -> str:
    return field.dateTime().toString("dd-MM-yyyy HH:mm")


def office_text(moment) -> str:
    return local(moment, "WIT").strftime("%d-%m-%Y %H:%M")


def stored_expiry(office, request_id: int):
    with office.session() as s:
        return s.scalar(select(Invoice.billing_expires_at).where(Invoice.request_id == request_id))


def checklist_for(qtbot, office, request_id: int) -> ChecklistDialog:
    checklist = ChecklistDialog(office.db, office.officer, request_id)
    qtbot.addWidget(checklist)
    checklist.show()
    return checklist


def test_the_wizard_stores_the_expiry_typed_next_to_the_code(qtbot, office):
    _window, wizard = approved_in_wizard(qtbot, office)
    field = expiry_field(wizard, "billingExpiry")
    default = utcnow() + timedelta(days=7)  # the office's billing_validity_days
    assert shown(field) in (office_text(default), office_text(default - timedelta(minutes=1)))
    printed = local(utcnow() + timedelta(days=2), "WIT").replace(hour=14, minute=30)  # as SIMPONI printed it
    field.setDateTime(QDateTime(QDate(printed.year, printed.month, printed.day), QTime(14, 30)))
    type_into(qtbot, wizard, "billingCode", CODE)
    click(qtbot, wizard, "issueInvoice")
    assert stored_expiry(office, wizard.draft.request_id) == printed.replace(second=0, microsecond=0)
    assert f"berlaku s.d. {printed:%d-%m-%Y} 14:30 WIT" in message(wizard, "invoiceState")


def test_the_checklist_saves_the_code_with_its_expiry_and_refuses_a_code_in_use(qtbot, office):
    taken = office.approved()
    with office.session() as s:
        billing.issue_invoice(s, office.officer, taken, billing_code=CODE)
    rid = office.approved()
    checklist = checklist_for(qtbot, office, rid)
    type_into(qtbot, checklist, "checklistBillingCode", CODE)
    click(qtbot, checklist, "checklistIssueInvoice")
    assert message(checklist, "checklistMessage") == f"Kode billing SIMPONI '{CODE}' sudah dipakai."
    with office.session() as s:
        assert s.scalar(select(func.count(Invoice.id))) == 1
    assert state_of(office, rid) is RequestState.APPROVED

    checklist.findChild(type(checklist.invoice.billing_code), "checklistBillingCode").clear()
    click(qtbot, checklist, "checklistIssueInvoice")  # without a code; the code is typed later
    assert stored_expiry(office, rid) is None
    field = expiry_field(checklist, "checklistBillingExpiry")
    later = local(utcnow() + timedelta(days=3), "WIT")
    field.setDateTime(QDateTime(QDate(later.year, later.month, later.day), QTime(9, 15)))
    type_into(qtbot, checklist, "checklistBillingCode", "820261130012346")
    click(qtbot, checklist, "checklistSaveCode")
    assert stored_expiry(office, rid) == later.replace(hour=9, minute=15, second=0, microsecond=0)
    assert f"berlaku s.d. {later:%d-%m-%Y} 09:15 WIT" in message(checklist, "invoiceStatus")
    assert not checklist.findChild(QDateTimeEdit, "checklistBillingExpiry").isVisible()

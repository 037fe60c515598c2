"""The dataset size in the request wizard (typed as "850 MB", shown with the exact bytes the price uses,
or read from the file) and the hand-over that flags a file whose size differs from what was billed."""

from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton
from sqlalchemy import func, select

from models import AuditEntry, Delivery, DocumentStatus, Invoice, RequestItem, RequestState
from pstdesktop.services import billing
from tests.gui.test_officer_bad_input import wizard_at_products
from tests.gui.test_officer_wizard import click, message, state_of, type_into, wait_jobs
from ui.officer.checklist import ChecklistDialog

SUSENAS = (("microdata_raw", "Susenas Maret 2024 (KOR)", "850 MB", ""),)


def note(wizard) -> str:
    return wizard.findChild(QLabel, "microdataSizeNote").text()


def test_the_size_field_shows_the_exact_bytes_as_typed(qtbot, office, data_file):
    _window, wizard = wizard_at_products(qtbot, office)
    wizard.pages[2].form.survey.setCurrentText("Susenas Maret 2024 (KOR)")
    assert "1 MB = 1.048.576 byte" in note(wizard)  # the hint before anything is typed
    type_into(qtbot, wizard, "microdataSize", "850 MB")
    assert note(wizard) == "= 891.289.600 byte (850 MB)"
    assert "Rp17.825.800" in wizard.findChild(QLabel, "productPreviewAmount").text()
    assert "890.290 × Rp20" in wizard.findChild(QLabel, "productPreviewFormula").text()
    size = wizard.findChild(QLineEdit, "microdataSize")
    size.clear()
    type_into(qtbot, wizard, "microdataSize", "1,2 GB")
    assert note(wizard) == "= 1.288.490.189 byte (1,2 GB)"
    size.clear()
    type_into(qtbot, wizard, "microdataSize", "850 ember")
    assert "tidak terbaca" in note(wizard)
    wizard.pages[2].form.read_size(str(data_file("susenas.dta", 2_000_000)))
    assert size.text() == "2.000.000"
    assert note(wizard) == "= 2.000.000 byte (1,9 MB) · dari berkas susenas.dta"
    click(qtbot, wizard, "productAdd")
    with office.session() as s:
        assert s.scalar(select(RequestItem.quantity)) == 2_000_000
    assert "1 MB = 1.048.576 byte" in note(wizard)  # cleared for the next line


def checklist_for(qtbot, office, rid) -> ChecklistDialog:
    checklist = ChecklistDialog(office.db, office.officer, rid)
    qtbot.addWidget(checklist)
    checklist.show()
    return checklist


def flag(checklist) -> QFrame:
    return checklist.findChild(QFrame, "sizeMismatchBox")


def test_a_file_of_another_size_is_flagged_and_needs_a_reason(qtbot, office, data_file):
    rid, payment_id = office.paid(items=SUSENAS)
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
    checklist = checklist_for(qtbot, office, rid)
    checklist.delivery.add_file(str(data_file("susenas.dta", 2_000_000)), checklist.case.items[0].item_id)
    wait_jobs(qtbot)
    assert flag(checklist).isVisible()
    text = checklist.findChild(QLabel, "sizeMismatchText").text()
    assert "891.289.600 byte (850 MB)" in text and "2.000.000 byte (1,9 MB)" in text
    assert checklist.delivery.files.item(0, 2).text().startswith("⚠")
    assert not checklist.findChild(QPushButton, "sizeCorrect").isVisible()  # paid: the treasurer's path
    assert "bendahara" in checklist.findChild(QLabel, "sizeCorrectNote").text()
    click(qtbot, checklist, "deliverButton")
    wait_jobs(qtbot)
    assert "Ukuran berkas berbeda" in message(checklist, "checklistMessage")
    assert state_of(office, rid) is RequestState.RECEIPTED
    type_into(qtbot, checklist, "sizeReason", "Berkas dikompresi (zip).")
    click(qtbot, checklist, "deliverButton")
    wait_jobs(qtbot)
    assert state_of(office, rid) is RequestState.DELIVERED
    with office.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "delivery.size_mismatch"))
        assert entry.reason == "Berkas dikompresi (zip)." and entry.entity == "delivery"
        assert s.scalar(select(func.count(Delivery.id))) == 1


def test_a_line_is_corrected_to_its_file_before_payment(qtbot, office, data_file):
    rid = office.approved(items=SUSENAS)
    with office.session() as s:
        first = billing.issue_invoice(s, office.officer, rid)
    checklist = checklist_for(qtbot, office, rid)
    checklist.delivery.add_file(str(data_file("susenas.dta", 2_000_000)), checklist.case.items[0].item_id)
    wait_jobs(qtbot)
    assert flag(checklist).isVisible()
    assert first.number in checklist.findChild(QLabel, "sizeCorrectNote").text()
    click(qtbot, checklist, "sizeCorrect")
    assert "dikoreksi" in message(checklist, "checklistMessage")
    assert not flag(checklist).isVisible()
    assert state_of(office, rid) is RequestState.APPROVED
    with office.session() as s:
        assert s.get(Invoice, first.id).status is DocumentStatus.CANCELLED
        assert s.scalar(select(RequestItem.quantity)) == 2_000_000
        assert s.scalar(select(RequestItem.price)) == 40_000

"""Bad input in the officer's screens: a plain message, and nothing changed in the database. Two
officers on the same request see each other's change on refresh and cannot both issue an invoice."""

from PySide6.QtWidgets import QLabel, QPlainTextEdit
from sqlalchemy import func, select

from models import Delivery, Invoice, RequestItem, RequestState, ServiceRequest, Visitor
from pstdesktop.services import billing, requests
from tests.gui.test_officer_wizard import (
    add_map,
    click,
    message,
    new_online_request,
    register,
    state_of,
    type_into,
    wait_jobs,
    window_for,
)
from ui.officer.checklist import ChecklistDialog


def count(office, model) -> int:
    with office.session() as s:
        return s.scalar(select(func.count(model.id)))


def wizard_at_products(qtbot, office):
    register(office)
    window = window_for(qtbot, office)
    window.queue_table.selectRow(0)
    click(qtbot, window, "queueNewRequest")
    wizard = window.wizard
    click(qtbot, wizard, "wizardNext")
    type_into(qtbot, wizard, "abstractionText", "Kajian kemiskinan.", QPlainTextEdit)
    click(qtbot, wizard, "wizardNext")
    return window, wizard


def test_an_empty_abstraction_opens_no_request(qtbot, office):
    register(office)
    window = window_for(qtbot, office)
    window.queue_table.selectRow(0)
    click(qtbot, window, "queueNewRequest")
    wizard = window.wizard
    click(qtbot, wizard, "wizardNext")
    type_into(qtbot, wizard, "abstractionText", "   ", QPlainTextEdit)
    click(qtbot, wizard, "wizardNext")
    assert message(wizard, "wizardMessage") == "Abstraksi penggunaan data wajib diisi."
    assert wizard.index == 1 and count(office, ServiceRequest) == 0


def test_nothing_chosen_in_the_queue_is_refused(qtbot, office):
    window = window_for(qtbot, office)
    new_online_request(qtbot, window)
    wizard = window.wizard
    click(qtbot, wizard, "modeWalkIn")
    click(qtbot, wizard, "wizardNext")
    assert message(wizard, "wizardMessage") == "Pilih pengunjung dari antrean."
    assert count(office, Visitor) == 0


def test_a_map_without_a_region_and_a_size_with_letters_add_nothing(qtbot, office):
    _window, wizard = wizard_at_products(qtbot, office)
    add_map(qtbot, wizard, region="")
    assert "memerlukan wilayah" in message(wizard, "wizardMessage")
    type_into(qtbot, wizard, "mapRegion", "Kabupaten Kepulauan Aru")  # the typed form is kept
    wizard.findChild(type(wizard.pages[2].form.kind), "productKind").setCurrentIndex(0)
    wizard.pages[2].form.survey.setCurrentText("Podes 2024")
    type_into(qtbot, wizard, "microdataSize", "12 ember")
    assert "tidak terbaca" in wizard.findChild(QLabel, "productPreviewFormula").text()
    click(qtbot, wizard, "productAdd")
    assert "tidak terbaca" in message(wizard, "wizardMessage")
    assert count(office, RequestItem) == 0
    click(qtbot, wizard, "wizardNext")  # no product yet
    assert message(wizard, "wizardMessage") == "Permintaan belum berisi produk."
    assert state_of(office, wizard.draft.request_id) is RequestState.DRAFT


def approved_in_wizard(qtbot, office):
    window, wizard = wizard_at_products(qtbot, office)
    add_map(qtbot, wizard, "Kota Ambon")
    for _ in range(3):
        click(qtbot, wizard, "wizardNext")
    assert state_of(office, wizard.draft.request_id) is RequestState.APPROVED
    return window, wizard


def test_billing_codes_of_the_wrong_length_or_with_letters_issue_nothing(qtbot, office):
    _window, wizard = approved_in_wizard(qtbot, office)
    for code in ("82026112346562", "8202611234656280", "82026112346562A"):
        wizard.findChild(type(wizard.pages[5].billing_code), "billingCode").clear()
        type_into(qtbot, wizard, "billingCode", code)
        click(qtbot, wizard, "issueInvoice")
        assert message(wizard, "wizardMessage") == "Kode billing SIMPONI harus tepat 15 digit angka.", code
        assert count(office, Invoice) == 0
    assert state_of(office, wizard.draft.request_id) is RequestState.APPROVED


def test_an_invoice_for_a_request_not_yet_approved_is_refused(qtbot, office):
    _ticket, rid = office.walk_in()
    with office.session() as s:
        requests.submit(s, office.officer, rid)
    checklist = ChecklistDialog(office.db, office.officer, rid)
    qtbot.addWidget(checklist)
    checklist.show()
    click(qtbot, checklist, "checklistIssueInvoice")
    assert "berstatus 'Diajukan'" in message(checklist, "checklistMessage")
    assert count(office, Invoice) == 0 and state_of(office, rid) is RequestState.SUBMITTED


def receipted_checklist(qtbot, office):
    rid, payment_id = office.paid()
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
    checklist = ChecklistDialog(office.db, office.officer, rid)
    qtbot.addWidget(checklist)
    checklist.show()
    return rid, checklist


def test_a_file_that_vanished_before_its_checksum_hands_over_nothing(qtbot, office, data_file):
    rid, checklist = receipted_checklist(qtbot, office)
    item = checklist.case.items[0].item_id
    path = data_file("susenas.dta", 4096)
    checklist.delivery.add_file(str(path), item)
    wait_jobs(qtbot)
    path.unlink()  # removed from the flash drive before the hand-over re-reads it
    click(qtbot, checklist, "deliverButton")
    wait_jobs(qtbot)
    assert message(checklist, "checklistMessage") == f"Berkas {path} tidak ada atau tidak dapat dibaca."
    assert count(office, Delivery) == 0 and state_of(office, rid) is RequestState.RECEIPTED
    assert checklist.findChild(type(checklist.delivery.deliver_button), "deliverButton").isEnabled()


def test_a_missing_file_is_refused_when_picked_and_a_product_without_file_too(qtbot, office, data_file, tmp_path):
    rid, checklist = receipted_checklist(qtbot, office)
    item = checklist.case.items[0].item_id
    gone = tmp_path / "tidak-ada.dta"
    checklist.delivery.add_file(str(gone), item)
    wait_jobs(qtbot)
    assert "tidak ada" in checklist.delivery.files.item(0, 3).text()
    click(qtbot, checklist, "deliverButton")
    assert message(checklist, "checklistMessage") == f"Berkas {gone} tidak ada atau tidak dapat dibaca."
    checklist.delivery.files.selectRow(0)
    click(qtbot, checklist, "deliveryRemoveFile")
    click(qtbot, checklist, "deliverButton")
    assert "belum dipilih" in message(checklist, "checklistMessage")
    assert count(office, Delivery) == 0 and state_of(office, rid) is RequestState.RECEIPTED


def test_two_officers_see_each_other_and_cannot_both_invoice(qtbot, office):
    rid = office.approved()
    first = ChecklistDialog(office.db, office.officer, rid)
    second = ChecklistDialog(office.db, office.supervisor, rid)
    for dialog in (first, second):
        qtbot.addWidget(dialog)
        dialog.show()
    click(qtbot, first, "checklistIssueInvoice")
    wait_jobs(qtbot)  # the invoice preview opened for printing
    with office.session() as s:
        number = billing.invoice_for(s, rid).number
    assert number in first.findChild(QLabel, "invoiceStatus").text()
    click(qtbot, second, "checklistIssueInvoice")  # the second screen is stale
    assert "berstatus 'Invoice terbit'" in message(second, "checklistMessage")
    assert count(office, Invoice) == 1
    click(qtbot, second, "checklistRefresh")
    assert number in second.findChild(QLabel, "invoiceStatus").text()
    assert not second.findChild(type(second.invoice.issue_button), "checklistIssueInvoice").isVisible()


def test_a_closed_wizard_resumes_from_the_checklist_where_it_stopped(qtbot, office):
    window, wizard = wizard_at_products(qtbot, office)
    add_map(qtbot, wizard, "Kota Ambon")
    rid = wizard.draft.request_id
    click(qtbot, wizard, "wizardClose")
    window.tabs.setCurrentWidget(window.all_requests)
    window.refresh()
    window.all_requests.table.selectRow(0)
    click(qtbot, window, "requestBoardOpen")
    checklist = window.checklists[rid]
    click(qtbot, checklist, "checklistWizard")
    resumed = window.wizard
    assert resumed is not wizard and resumed.index == 1 and resumed.draft.request_id == rid
    assert resumed.findChild(QPlainTextEdit, "abstractionText").toPlainText() == "Kajian kemiskinan."
    assert not resumed.findChild(type(resumed.back_button), "wizardBack").isEnabled()  # the requester is fixed
    click(qtbot, resumed, "wizardNext")
    assert "Kota Ambon" in resumed.pages[2].lines.table.item(0, 1).text()

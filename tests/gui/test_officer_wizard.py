"""The officer's request wizard and checklist driven through the real widgets (pytest-qt, offscreen):
a walk-in from the queue to delivered, the Rp0 path, the redirect, an online request with its invoice & SPPD sent,
and a correction loop."""

import hashlib
from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
)
from sqlalchemy import func, select

from models import (
    Correction,
    Delivery,
    DeliveryChannel,
    DeliveryItem,
    Invoice,
    PaymentMethod,
    RequestItem,
    RequestState,
    ServiceRequest,
    Visit,
    VisitStatus,
    Waiver,
)
from pstdesktop import documents
from pstdesktop.services import billing, guestbook
from pstdesktop.services.clock import local_date, utcnow
from tests.conftest import visitor_answers
from tests.unit.test_documents import pdf_text
from tests.unit.test_online import confirm_transfer
from ui.main_window import MainWindow
from ui.officer import jobs
from ui.officer.checklist import ChecklistDialog
from ui.officer.preview import DocumentPreview

LEFT = Qt.MouseButton.LeftButton
ABSTRACTION = "Analisis kemiskinan rumah tangga Kota Ambon untuk skripsi."


def click(qtbot, parent, name: str) -> None:
    button = parent.findChild(QPushButton, name) or parent.findChild(QRadioButton, name) \
        or parent.findChild(QCheckBox, name)
    assert button is not None, name
    assert button.isVisible() and button.isEnabled(), f"{name} cannot be pressed"
    if isinstance(button, QPushButton):
        qtbot.mouseClick(button, LEFT)
    else:  # a radio button or check box reacts on its indicator and text, at the left
        qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))


def type_into(qtbot, parent, name: str, text: str, kind=QLineEdit) -> None:
    widget = parent.findChild(kind, name)
    assert widget is not None, name
    assert widget.isVisible() and widget.isEnabled(), f"{name} cannot be typed into"
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def choose(parent, name: str, data) -> None:
    combo = parent.findChild(QComboBox, name)
    assert combo.isVisible() and combo.isEnabled(), f"{name} cannot be chosen"
    index = combo.findData(data)
    assert index >= 0, (name, data)
    combo.setCurrentIndex(index)


def message(parent, name: str) -> str:
    label = parent.findChild(QLabel, name)
    return label.text() if label.isVisible() else ""


def wait_jobs(qtbot) -> None:
    qtbot.waitUntil(lambda: jobs.running() == 0, timeout=20_000)


def state_of(office, rid) -> RequestState:
    with office.session() as s:
        return s.get(ServiceRequest, rid).state


def request_ids(office) -> list[int]:
    with office.session() as s:
        return list(s.scalars(select(ServiceRequest.id).order_by(ServiceRequest.id)))


def register(office, **visitor):
    with office.session() as s:
        return guestbook.register_visit(s, office.kiosk, visitor_answers(**visitor),
                                        "Pembelian Produk Statistik Berbayar")


def window_for(qtbot, office, actor=None) -> MainWindow:
    window = MainWindow(office.db, actor or office.officer)
    qtbot.addWidget(window)
    window.show()
    return window


def new_online_request(qtbot, window: MainWindow) -> None:
    """The officer opens the online requests tab and presses its one button for a new online request."""
    window.tabs.setCurrentWidget(window.online_board)
    click(qtbot, window.online_board, "newOnlineRequest")


def add_microdata(qtbot, wizard, title: str, size: str, coverage: str = "") -> None:
    choose(wizard, "productKind", "microdata")
    survey = wizard.findChild(QComboBox, "microdataSurvey")
    survey.setCurrentText("")
    qtbot.keyClicks(survey.lineEdit(), title)
    if coverage:
        type_into(qtbot, wizard, "microdataCoverage", coverage)
    type_into(qtbot, wizard, "microdataSize", size)
    click(qtbot, wizard, "productAdd")


def add_map(qtbot, wizard, region: str, level: str = "desa") -> None:
    choose(wizard, "productKind", "map")
    choose(wizard, "mapCoverage", "kab")
    choose(wizard, "mapLevel", level)
    if region:
        type_into(qtbot, wizard, "mapRegion", region)
    click(qtbot, wizard, "productAdd")


def wizard_to_conformity(qtbot, window, office, ticket, *, waiver=False):
    """Queue -> wizard -> requester, abstraction, products, category; returns (wizard, request id)."""
    queue = window.queue_table
    row = next(r for r in range(queue.rowCount()) if queue.item(r, 0).text() == ticket.queue_code)
    queue.selectRow(row)
    click(qtbot, window, "queueNewRequest")
    wizard = window.wizard
    qtbot.waitExposed(wizard)
    click(qtbot, wizard, "wizardNext")  # the visitor chosen in the queue is preselected
    type_into(qtbot, wizard, "abstractionText", ABSTRACTION, QPlainTextEdit)
    click(qtbot, wizard, "wizardNext")
    rid = request_ids(office)[-1]
    add_microdata(qtbot, wizard, "Susenas Maret 2024 (KOR)", "150000000", "Provinsi Maluku")
    add_map(qtbot, wizard, "Kota Ambon")
    assert "3.070.000" in wizard.findChild(QLabel, "productLinesTotal").text()
    click(qtbot, wizard, "wizardNext")
    if waiver:
        choose(wizard, "requesterCategory", "regional_government")
        choose(wizard, "waiverPurpose", "state_duties")
        type_into(qtbot, wizard, "waiverLetterNumber", "050/77/BAPPEDA/XI/2026")
        assert "Rp0" in wizard.findChild(QLabel, "feeLinesTotal").text()
    click(qtbot, wizard, "wizardNext")
    assert state_of(office, rid) is RequestState.SUBMITTED
    return wizard, rid


def pay_and_receipt(office, rid, method=PaymentMethod.CASH, proof=None) -> str:
    """The treasurer's PC: payment and kuitansi (through the services)."""
    with office.session() as s:
        invoice = billing.invoice_for(s, rid)
        extra = {"cash_tendered": invoice.total} if method is PaymentMethod.CASH else {"ntb": "TRF77", "proof_file": proof}
        payment = billing.record_payment(s, office.treasurer, invoice.id, method=method, amount=invoice.total,
                                         idempotency_key=f"pay-{rid}", **extra)
        if method is PaymentMethod.TRANSFER:
            confirm_transfer(s, office, payment.id)
    with office.session() as s:
        return billing.issue_receipt(s, office.treasurer, payment.id).number


def prepare_files(qtbot, checklist: ChecklistDialog, data_file, stem: str) -> dict[int, str]:
    """One prepared file per product, as if picked in the file dialog; waits for the checksums."""
    digests = {}
    for item in checklist.case.items:
        path = data_file(f"{stem}-{item.item_id}.csv", 5000 + item.item_id, fill=stem.encode())
        checklist.delivery.add_file(str(path), item.item_id)
        digests[item.item_id] = hashlib.sha256(path.read_bytes()).hexdigest()
    wait_jobs(qtbot)
    table = checklist.delivery.files
    assert all(table.item(r, 3).toolTip() in digests.values() for r in range(table.rowCount()))
    if checklist.delivery.size_check.mismatches:  # small test files for datasets billed by their size
        checklist.delivery.size_check.reason.setText("Berkas uji lebih kecil.")
    return digests


def test_walk_in_from_the_queue_to_delivered(qtbot, office, data_file):
    first = register(office, full_name="Maria Tuhumury", phone="081355550001")
    window = window_for(qtbot, office)
    assert "1</b> menunggu" in window.findChild(QLabel, "queueCounts").text()
    click(qtbot, window, "callNext")
    assert "B-001" in message(window, "queueMessage")
    with office.session() as s:
        assert s.get(Visit, first.visit_id).status is VisitStatus.SERVING
    wizard, rid = wizard_to_conformity(qtbot, window, office, first)
    click(qtbot, wizard, "wizardNext")  # conformity: fits
    assert state_of(office, rid) is RequestState.APPROVED
    type_into(qtbot, wizard, "billingCode", "820261123465628")
    click(qtbot, wizard, "issueInvoice")
    with office.session() as s:
        invoice = billing.invoice_for(s, rid)
        assert (invoice.total, invoice.billing_code) == (3_070_000, "820261123465628")
    assert invoice.number in wizard.findChild(QLabel, "invoiceState").text()
    preview = window.findChild(DocumentPreview, "documentPreview")
    wait_jobs(qtbot)
    assert preview.ready() and preview.document.pageCount() >= 1
    click(qtbot, wizard, "sppdSigned")
    click(qtbot, wizard, "wizardNext")  # finish: the checklist opens
    checklist = window.checklists[rid]
    assert checklist.isVisible() and invoice.number in checklist.findChild(QLabel, "invoiceStatus").text()
    receipt = pay_and_receipt(office, rid)
    click(qtbot, checklist, "checklistRefresh")
    assert receipt in checklist.findChild(QLabel, "receiptStatus").text()
    digests = prepare_files(qtbot, checklist, data_file, "v1")
    click(qtbot, checklist, "deliveryReceipt")
    click(qtbot, checklist, "deliverButton")
    wait_jobs(qtbot)
    assert "penyerahan ke-1" in message(checklist, "checklistMessage")
    assert state_of(office, rid) is RequestState.DELIVERED
    click(qtbot, checklist, "checkAccepted")
    assert state_of(office, rid) is RequestState.VERIFIED
    with office.session() as s:
        delivery = s.scalar(select(Delivery).where(Delivery.request_id == rid))
        assert delivery.receipt_handed_over and delivery.checked_at is not None
        assert {i.request_item_id: i.sha256 for i in delivery.items} == digests
    assert "Diperiksa dan diterima" in checklist.findChild(QLabel, "historyList").text()


def rp0_fee_page(qtbot, office):
    """A visitor from Bappeda in the queue, their map request at the fee page with the Rp0 category:
    (ticket, window, wizard)."""
    ticket = register(office, full_name="Siti Bappeda", institution="Bappeda Provinsi Maluku")
    window = window_for(qtbot, office)
    window.queue_table.selectRow(0)
    click(qtbot, window, "queueNewRequest")
    wizard = window.wizard
    click(qtbot, wizard, "wizardNext")
    type_into(qtbot, wizard, "abstractionText", ABSTRACTION, QPlainTextEdit)
    click(qtbot, wizard, "wizardNext")
    add_map(qtbot, wizard, "Kabupaten Buru", level="kecamatan")
    click(qtbot, wizard, "wizardNext")
    choose(wizard, "requesterCategory", "education")
    return ticket, window, wizard


def test_rp0_path_needs_the_letter_and_skips_the_invoice(qtbot, office, data_file):
    ticket, window, wizard = rp0_fee_page(qtbot, office)
    click(qtbot, wizard, "wizardNext")  # no letter number
    assert "Nomor surat permohonan wajib diisi" in message(wizard, "wizardMessage")
    rid = request_ids(office)[-1]
    assert state_of(office, rid) is RequestState.DRAFT
    assert wizard.findChild(QLabel, "waiverApprover").text() == office.officer.name
    type_into(qtbot, wizard, "waiverLetterNumber", "421/15/UNPATTI/2026")
    click(qtbot, wizard, "wizardNext")
    click(qtbot, wizard, "wizardNext")  # approve with the waiver
    with office.session() as s:
        waiver = s.scalar(select(Waiver).where(Waiver.request_id == rid))
        assert (waiver.normal_amount, waiver.approved_by_id, waiver.letter_number) == (
            30_000, office.officer.account_id, "421/15/UNPATTI/2026")
    assert not wizard.findChild(QPushButton, "issueInvoice").isEnabled()
    assert "Tarif Rp0" in wizard.findChild(QLabel, "invoiceState").text()
    click(qtbot, wizard, "sppdSigned")
    click(qtbot, wizard, "wizardNext")
    checklist = window.checklists[rid]
    assert not checklist.findChild(QCheckBox, "deliveryReceipt").isVisible()
    prepare_files(qtbot, checklist, data_file, "peta")
    click(qtbot, checklist, "deliverButton")
    wait_jobs(qtbot)
    assert state_of(office, rid) is RequestState.DELIVERED
    with office.session() as s:
        assert s.scalar(select(func.count(Invoice.id))) == 0
    assert ticket.queue_code in checklist.findChild(QLabel, "checklistHeader").text()


@pytest.mark.parametrize("office_time", ["opening", "after-midnight", "new-year"], indirect=True)
def test_rp0_letter_date_defaults_to_the_office_today(qtbot, office_time, office):
    """At 08:00 WIT the UTC date is still yesterday: the letter date offered, and accepted, is today's
    office date; tomorrow's is refused with a message and changes nothing."""
    day = local_date(office_time, "WIT")
    _ticket, _window, wizard = rp0_fee_page(qtbot, office)
    type_into(qtbot, wizard, "waiverLetterNumber", "421/15/UNPATTI/2026")
    letter = wizard.findChild(QDateEdit, "waiverLetterDate")
    assert letter.date() == QDate(day.year, day.month, day.day)
    letter.setDate(letter.date().addDays(1))
    click(qtbot, wizard, "wizardNext")
    assert "masa depan" in message(wizard, "wizardMessage")
    rid = request_ids(office)[-1]
    assert state_of(office, rid) is RequestState.DRAFT
    letter.setDate(QDate(day.year, day.month, day.day))
    click(qtbot, wizard, "wizardNext")
    click(qtbot, wizard, "wizardNext")  # approve with the waiver
    with office.session() as s:
        assert s.scalar(select(Waiver.letter_date).where(Waiver.request_id == rid)) == day
    assert state_of(office, rid) is RequestState.APPROVED


def test_redirect_needs_a_reason_and_the_visit_goes_on_as_consultation(qtbot, office):
    ticket = register(office)
    window = window_for(qtbot, office)
    wizard, rid = wizard_to_conformity(qtbot, window, office, ticket)
    click(qtbot, wizard, "conformityRedirect")
    assert wizard.findChild(QPushButton, "wizardNext").text().startswith("Alihkan")
    click(qtbot, wizard, "wizardNext")  # no reason
    assert "Alasan wajib diisi" in message(wizard, "wizardMessage")
    assert state_of(office, rid) is RequestState.SUBMITTED
    type_into(qtbot, wizard, "redirectReason", "Perlu konsultasi pemilihan variabel terlebih dahulu.", QPlainTextEdit)
    click(qtbot, wizard, "wizardNext")
    assert state_of(office, rid) is RequestState.REDIRECTED
    note = wizard.findChild(QLabel, "redirectedNote")
    assert note.isVisible() and "konsultasi pemilihan variabel" in note.text()
    assert not wizard.findChild(QPushButton, "wizardBack").isEnabled()
    with office.session() as s:
        assert s.get(Visit, ticket.visit_id).station == "Konsultasi Statistik"
    click(qtbot, wizard, "wizardNext")
    assert "Dialihkan" in window.checklists[rid].findChild(QLabel, "summaryWaiver").text()


def fill_online_requester(qtbot, wizard) -> None:
    for name, text in (("requesterName", "Dewi Lestari"), ("requesterInstitution", "Universitas Indonesia"),
                       ("requesterPhone", "081277778888"), ("requesterEmail", "dewi@ui.ac.id"),
                       ("requesterRegency", "Kota Depok"), ("requesterIdNumber", "3276014505900002"),
                       ("requesterBirthYear", "1990")):
        type_into(qtbot, wizard, name, text)
    for name, value in (("requesterGender", "Perempuan"), ("requesterOccupation", "Peneliti/Dosen"),
                        ("requesterEducation", "S3"), ("requesterProvince", "Jawa Barat"), ("requesterIdType", "KTP")):
        choose(wizard, name, value)


def test_one_button_records_an_online_request_in_the_online_tab(qtbot, office):
    window = window_for(qtbot, office)
    buttons = [b for b in window.findChildren(QPushButton)
               if b.text() in ("Catat permintaan daring", "Permintaan daring baru")]
    assert [b.objectName() for b in buttons] == ["newOnlineRequest"] and window.online_board.isAncestorOf(buttons[0])
    new_online_request(qtbot, window)
    assert window.wizard.findChild(QRadioButton, "modeOnline").isChecked()


def test_online_request_with_papers_sent_transfer_originals_and_forum(qtbot, office, data_file):
    window = window_for(qtbot, office)
    new_online_request(qtbot, window)
    wizard = window.wizard
    assert wizard.findChild(QRadioButton, "modeOnline").isChecked()
    choose(wizard, "onlineVia", "wa")
    wizard.findChild(type(wizard.pages[0].received), "onlineReceived").setDateTime(
        wizard.pages[0].received.dateTime().addDays(-2))
    fill_online_requester(qtbot, wizard)
    click(qtbot, wizard, "wizardNext")  # consent not given
    assert "Persetujuan" in message(wizard, "wizardMessage")
    click(qtbot, wizard, "requesterConsent")
    click(qtbot, wizard, "wizardNext")
    type_into(qtbot, wizard, "abstractionText", "Kajian ketenagakerjaan perempuan untuk disertasi.", QPlainTextEdit)
    click(qtbot, wizard, "wizardNext")
    rid = request_ids(office)[-1]
    choose(wizard, "productKind", "microdata")
    assert wizard.findChild(QCheckBox, "microdataFullset").isEnabled()  # online may choose variables
    click(qtbot, wizard, "microdataFullset")
    wizard.findChild(QComboBox, "microdataSurvey").setCurrentText("Sakernas Agustus 2025")
    type_into(qtbot, wizard, "microdataVariables", "B4K5, B5R1, B5R28", QPlainTextEdit)
    wizard.pages[2].form.read_size(str(data_file("sakernas.dta", 3_400_000)))
    assert "68.000" in wizard.findChild(QLabel, "productPreviewAmount").text()
    assert "2.400 × Rp20" in wizard.findChild(QLabel, "productPreviewFormula").text()
    click(qtbot, wizard, "productAdd")
    for _ in range(3):
        click(qtbot, wizard, "wizardNext")
    with office.session() as s:
        req = s.get(ServiceRequest, rid)
        assert (req.state, req.online_via, req.visit_id) == (RequestState.APPROVED, "wa", None)
        assert req.due_at is not None and req.received_at < utcnow() - timedelta(days=1)
        item = s.scalar(select(RequestItem).where(RequestItem.request_id == rid))
        assert (item.variables, item.media) == ("B4K5, B5R1, B5R28", "wa")  # the media follows the channel
        sppd = " ".join(pdf_text(documents.sppd_pdf(s, office.officer, rid)).split())
    assert "Media penyerahan : WhatsApp" in sppd and "Silastik" not in sppd
    assert not wizard.findChild(QPushButton, "sppdSigned").isVisible()  # signed later, by post
    click(qtbot, wizard, "issueInvoice")
    assert wizard.findChild(QComboBox, "papersVia").currentData() == "wa"  # the channel it came by
    assert QKeySequence.mnemonic(wizard.findChild(QPushButton, "wizardPapersSent").text()).isEmpty()  # "&" shown
    click(qtbot, wizard, "wizardPapersSent")
    assert "Invoice & SPPD dikirim" in wizard.findChild(QLabel, "papersState").text()
    wait_jobs(qtbot)
    click(qtbot, wizard, "wizardNext")
    checklist = window.checklists[rid]
    assert checklist.findChild(QLabel, "sendingStatus").text().startswith("Invoice & SPPD: dikirim")
    checklist.sppd.signed(str(data_file("sppd-ttd.pdf", 400, fill=b"T")))  # the scan chosen in the file dialog
    proof = data_file("bukti-transfer.pdf", 900)
    pay_and_receipt(office, rid, PaymentMethod.TRANSFER, proof)
    click(qtbot, checklist, "checklistRefresh")
    assert "bukti-transfer.pdf" in checklist.findChild(QLabel, "paymentStatus").text()
    assert checklist.findChild(QPushButton, "openProof").isVisible()
    click(qtbot, checklist, "sppdOriginals")
    assert "diterima lewat pos" in checklist.findChild(QLabel, "sppdStatus").text()
    assert checklist.findChild(QComboBox, "deliveryChannel").currentData() == DeliveryChannel.WA  # came by WA
    prepare_files(qtbot, checklist, data_file, "sak")
    click(qtbot, checklist, "deliverButton")
    wait_jobs(qtbot)
    with office.session() as s:
        delivery = s.scalar(select(Delivery).where(Delivery.request_id == rid))
        assert (delivery.channel, delivery.media) == (DeliveryChannel.WA, "wa")
    assert "Melalui WhatsApp" in checklist.findChild(QLabel, "historyList").text()
    steps = checklist.findChild(QLabel, "checklistSteps").text()
    # all but the receipt scan & data sent and the requester's check (the kuitansi needed the confirmation)
    assert steps.count("✔") == 10 and steps.count("○") == 2 and "Contoh data" not in steps


def test_correction_loop_records_what_was_fixed(qtbot, office, data_file):
    rid, payment_id = office.paid()
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
    window = window_for(qtbot, office)
    checklist = window.open_checklist(rid)
    prepare_files(qtbot, checklist, data_file, "v1")
    click(qtbot, checklist, "deliverButton")
    wait_jobs(qtbot)
    click(qtbot, checklist, "reportProblem")  # nothing written
    assert "Kesalahan yang dilaporkan wajib diisi" in message(checklist, "checklistMessage")
    assert state_of(office, rid) is RequestState.DELIVERED
    type_into(qtbot, checklist, "problemText", "Berkas tidak memuat label variabel.", QPlainTextEdit)
    click(qtbot, checklist, "reportProblem")
    assert state_of(office, rid) is RequestState.CORRECTION_REQUESTED
    assert "label variabel" in checklist.findChild(QLabel, "deliveryStatus").text()
    assert checklist.findChild(QPushButton, "deliverButton").text() == "Serahkan lagi"
    prepare_files(qtbot, checklist, data_file, "v2")
    click(qtbot, checklist, "deliverButton")  # what was fixed is missing
    wait_jobs(qtbot)
    assert "Perbaikan yang dilakukan wajib diisi" in message(checklist, "checklistMessage")
    assert state_of(office, rid) is RequestState.CORRECTION_REQUESTED
    type_into(qtbot, checklist, "deliveryFixes", "Label variabel ditambahkan.", QPlainTextEdit)
    click(qtbot, checklist, "deliverButton")
    wait_jobs(qtbot)
    assert state_of(office, rid) is RequestState.DELIVERED
    click(qtbot, checklist, "checkAccepted")
    with office.session() as s:
        rounds = list(s.scalars(select(Delivery).where(Delivery.request_id == rid).order_by(Delivery.round)))
        correction = s.scalar(select(Correction).where(Correction.request_id == rid))
        assert [d.fixes for d in rounds] == ["", "Label variabel ditambahkan."]
        assert correction.fixed_by_delivery_id == rounds[1].id
        assert s.scalar(select(func.count(DeliveryItem.id))) == 2
    assert "Penyerahan ke-2" in checklist.findChild(QLabel, "historyList").text()
    click(qtbot, checklist, "closeRequest")
    assert state_of(office, rid) is RequestState.CLOSED

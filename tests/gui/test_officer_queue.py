"""The staff window's lists: today's queue (counts, timer against the 1-hour standard, call next,
paging), the online board (overdue first, highlighted), search and reprint through the preview."""

from datetime import timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QProgressBar, QPushButton
from sqlalchemy import func, select

from models import Channel, ServiceRequest, Visit, Visitor, VisitStatus
from pstdesktop.services import billing, guestbook, online, requests
from pstdesktop.services.clock import utcnow
from tests.conftest import visitor_answers
from tests.gui.test_officer_wizard import click, message, new_online_request, type_into, wait_jobs, window_for
from tests.shots import shot
from ui import widgets
from ui.i18n import set_language
from ui.officer.common import OVERDUE
from ui.officer.pager import Pager
from ui.officer.preview import DocumentPreview, print_document
from ui.officer.queue_view import TIMER_COLUMN


def test_queue_counts_timer_and_call_next_in_arrival_order(qtbot, office_hours, office):
    now = utcnow()
    with office.session() as s:
        late = guestbook.register_visit(s, office.kiosk, visitor_answers(full_name="Lama Menunggu"),
                                        "Pembelian Produk Statistik Berbayar", at=now - timedelta(minutes=75))
        guestbook.register_visit(s, office.kiosk, visitor_answers(full_name="Baru Datang"), "Konsultasi Statistik",
                                 at=now - timedelta(minutes=5))
    window = window_for(qtbot, office)
    table = window.queue_table
    assert "<b>2</b> menunggu" in window.findChild(QLabel, "queueCounts").text()
    timer = table.cellWidget(0, TIMER_COLUMN)
    assert isinstance(timer, QProgressBar) and "lewat 1 jam" in timer.format()
    assert table.item(0, 1).background().color() == OVERDUE
    assert "5 / 60 menit" in table.cellWidget(1, TIMER_COLUMN).format()
    window.queue.tick(utcnow() + timedelta(minutes=10))  # the timer moves on between refreshes
    assert "15 / 60 menit" in table.cellWidget(1, TIMER_COLUMN).format()
    window.findChild(QLineEdit, "queueStation").setText("Meja 2")
    click(qtbot, window, "callNext")
    assert message(window, "queueMessage") == "Dipanggil: B-001 — Lama Menunggu ke Meja 2."
    with office.session() as s:
        visit = s.get(Visit, late.visit_id)
        assert (visit.status, visit.station, visit.served_by_id) == (VisitStatus.SERVING, "Meja 2",
                                                                      office.officer.account_id)
    assert "<b>1</b> dilayani" in window.findChild(QLabel, "queueCounts").text()
    click(qtbot, window, "callNext")
    click(qtbot, window, "callNext")
    assert message(window, "queueMessage") == "Tidak ada pengunjung yang menunggu."


def test_queue_pages_in_the_database(qtbot, office_hours, office):
    with office.session() as s:
        for i in range(27):
            guestbook.register_visit(s, office.kiosk, visitor_answers(full_name=f"Tamu {i:02d}"), "Kunjungan Perpustakaan",
                                     at=utcnow() - timedelta(minutes=60 - i))
    window = window_for(qtbot, office)
    table = window.queue_table
    assert table.rowCount() == 25
    assert not window.findChild(QPushButton, "queuePagerPrevious").isEnabled()
    click(qtbot, window, "queuePagerNext")
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["Tamu 25", "Tamu 26"]
    assert not window.findChild(QPushButton, "queuePagerNext").isEnabled()
    assert window.findChild(QLabel, "queuePagerPage").text() == "Halaman 2"
    click(qtbot, window, "queuePagerPrevious")
    assert table.item(0, 1).text() == "Tamu 00"


def online_request(office, name: str, phone: str) -> int:
    with office.session() as s:
        person = online.register_requester(s, office.officer, visitor_answers(full_name=name, phone=phone))
        req = requests.open_request(s, office.officer, visitor_id=person.id, channel=Channel.ONLINE,
                                    online_via="email", abstraction="Kajian.")
        requests.add_item(s, office.officer, req.id, product_code="map_kab_desa", title="Peta", quantity=1,
                          region="Kota Ambon")
        requests.submit(s, office.officer, req.id)
        requests.approve(s, office.officer, req.id)
        return req.id


def test_online_board_puts_overdue_requests_first_and_highlights_them(qtbot, office):
    fresh = online_request(office, "Baru Saja", "081200000001")
    late = online_request(office, "Sudah Lewat", "081200000002")
    with office.session() as s:
        s.get(ServiceRequest, late).due_at = utcnow() - timedelta(days=2)
    office.walk_in()
    window = window_for(qtbot, office)
    window.tabs.setCurrentWidget(window.online_board)
    board = window.online_board.table
    assert board.rowCount() == 2
    assert board.item(0, 1).text() == "Sudah Lewat" and board.item(0, 0).background().color() == OVERDUE
    assert board.item(1, 1).text() == "Baru Saja" and board.item(1, 0).background().color() != OVERDUE
    assert board.item(0, 2).text() == "Daring · Email"
    assert "1 lewat batas waktu" in window.findChild(QLabel, "onlineBoardSummary").text()
    board.selectRow(1)
    click(qtbot, window, "onlineBoardOpen")
    assert window.checklists[fresh].isVisible()



@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("id")


def test_the_board_counts_one_request_in_the_singular_in_english(qtbot, office, english, monkeypatch, tmp_path):
    monkeypatch.setattr(widgets, "available_geometry", lambda _window: QRect(0, 0, 1366, 728))
    online_request(office, "Satu Saja", "081200000001")
    window = window_for(qtbot, office)
    window.tabs.setCurrentWidget(window.online_board)
    summary = window.findChild(QLabel, "onlineBoardSummary")
    assert summary.text() == "1 request on this page · 0 overdue"
    window.showNormal()  # offscreen, "maximized" is its fixed 800×800 screen
    shot(window, tmp_path, "online-board-one-en.png", size=(1366, 728))
    online_request(office, "Dua Kali", "081200000002")
    window.online_board.refresh()
    assert summary.text() == "2 requests on this page · 0 overdue"
    set_language("id")  # Indonesian nouns have no plural
    window.online_board.refresh()
    assert summary.text() == "2 permintaan di halaman ini · 0 lewat batas waktu"


def test_search_by_phone_and_receipt_then_reprint_the_invoice_as_a_copy(qtbot, office, tmp_path):
    rid, payment_id = office.paid(full_name="Yosua Manuputty", phone="081299990000")
    with office.session() as s:
        receipt = billing.issue_receipt(s, office.treasurer, payment_id).number
        invoice = billing.invoice_for(s, rid).number
    window = window_for(qtbot, office)
    window.tabs.setCurrentWidget(window.search)
    for key in ("0812 9999 0000", receipt, "manuputty"):
        window.findChild(QLineEdit, "searchText").clear()
        type_into(qtbot, window, "searchText", key)
        click(qtbot, window, "searchButton")
        table = window.search.table
        assert table.rowCount() == 1 and table.item(0, 6).text() == invoice, key
    type_into(qtbot, window, "searchText", "zzz")
    click(qtbot, window, "searchButton")
    assert message(window, "searchMessage") == "Tidak ada permintaan yang cocok."
    window.findChild(QLineEdit, "searchText").clear()
    type_into(qtbot, window, "searchText", invoice)
    qtbot.keyClick(window.findChild(QLineEdit, "searchText"), Qt.Key.Key_Return)
    window.search.table.selectRow(0)
    click(qtbot, window, "searchOpen")
    checklist = window.checklists[rid]
    click(qtbot, checklist, "reprintInvoice")
    wait_jobs(qtbot)
    preview = checklist.findChild(DocumentPreview, "documentPreview")
    assert preview.ready() and f"Invoice {invoice} — salinan" == preview.windowTitle()
    saved = tmp_path / "salinan.pdf"
    preview.save_to(saved)
    text = "".join(page.extract_text() for page in PdfReader(saved).pages)
    assert invoice in text and "SALINAN" in text.upper()
    click(qtbot, checklist, "reprintReceipt")
    wait_jobs(qtbot)
    assert any(p.windowTitle().startswith(f"Kuitansi {receipt}") for p in checklist.findChildren(DocumentPreview))


def test_printing_paints_every_page(qtbot, office, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    rid = office.approved()
    window = window_for(qtbot, office)
    checklist = window.open_checklist(rid)
    click(qtbot, checklist, "reprintSppd")
    wait_jobs(qtbot)
    preview = checklist.findChild(DocumentPreview, "documentPreview")
    assert preview.ready()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "cetak.pdf"))
    assert print_document(preview.document, printer) == preview.document.pageCount()
    assert len(PdfReader(tmp_path / "cetak.pdf").pages) == preview.document.pageCount()
    with office.session() as s:
        assert s.scalar(select(ServiceRequest.state).where(ServiceRequest.id == rid)).value == "approved"


def test_an_online_request_from_a_returning_requester_adds_no_guestbook_entry(qtbot, office):
    with office.session() as s:
        person = online.register_requester(s, office.officer, visitor_answers(full_name="Dewi Lama", phone="081277770000"))
        person_id = person.id
    window = window_for(qtbot, office)
    new_online_request(qtbot, window)
    wizard = window.wizard
    type_into(qtbot, wizard, "requesterLookup", "0899")
    click(qtbot, wizard, "requesterLookupButton")
    assert "tidak ditemukan" in message(wizard, "wizardMessage")
    wizard.findChild(QLineEdit, "requesterLookup").clear()
    type_into(qtbot, wizard, "requesterLookup", "081277770000")
    click(qtbot, wizard, "requesterLookupButton")
    assert "Dewi Lama" in wizard.findChild(QLabel, "requesterFound").text()
    assert not wizard.findChild(QLabel, "requesterFound").parentWidget().findChild(QLineEdit, "requesterName").isVisible()
    click(qtbot, wizard, "wizardNext")
    type_into(qtbot, wizard, "abstractionText", "Kajian lanjutan.", QPlainTextEdit)
    click(qtbot, wizard, "wizardNext")
    with office.session() as s:
        req = s.scalars(select(ServiceRequest)).one()
        assert (req.visitor_id, req.channel, req.online_via) == (person_id, Channel.ONLINE, "forum")
        assert s.scalar(select(func.count(Visitor.id))) == 1


def test_search_pages_forward_and_back_newest_first(qtbot, office, monkeypatch, tmp_path):
    import ui.officer.search_view as search_view

    monkeypatch.setattr(search_view, "Pager", lambda name: Pager(name, page_size=2))
    made = [office.walk_in(full_name=f"Pemohon Wattimena {i}", phone=f"08120000{i:04d}")[1] for i in range(5)]
    window = window_for(qtbot, office)
    window.tabs.setCurrentWidget(window.search)
    type_into(qtbot, window, "searchText", "wattimena")
    click(qtbot, window, "searchButton")
    table, pages = window.search.table, []
    while True:
        pages.append([int(table.item(row, 0).data(Qt.ItemDataRole.UserRole)) for row in range(table.rowCount())])
        if not window.findChild(QPushButton, "searchPagerNext").isEnabled():
            break
        click(qtbot, window, "searchPagerNext")
    assert pages == [sorted(made, reverse=True)[i:i + 2] for i in (0, 2, 4)]
    click(qtbot, window, "searchPagerPrevious")
    assert [int(table.item(r, 0).data(Qt.ItemDataRole.UserRole)) for r in range(table.rowCount())] == pages[1]
    shot(window, tmp_path, "search_view.png")

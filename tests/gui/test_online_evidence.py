"""Online sales screens (issue 15): the receiving accounts in the office profile, the online checklist
that follows the office's sheet (no sample step, "pemohon", invoice & SPPD sent, signed scans stored and
opened from the database, the treasurer's confirmation, receipt scan & data sent), closing with the SPPD
original outstanding, and the list of originals still outstanding."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QLineEdit, QPushButton, QTableWidget
from sqlalchemy import select

from models import DeliveryChannel, PaymentMethod, ReceivingAccount, RequestState, ServiceRequest
from pstdesktop.services import billing, delivery, online
from tests.gui.test_admin import admin, settings, show_tab  # noqa: F401
from tests.gui.test_officer_wizard import click, message, state_of, window_for
from tests.shots import shot
from tests.unit.test_online import confirm_transfer, online_request, receipted_by_transfer
from ui import evidence as stored
from ui import widgets
from ui.officer import checklist_delivery


def test_receiving_accounts_are_added_checked_and_switched_off(qtbot, office, settings, monkeypatch,  # noqa: F811
                                                                 tmp_path):
    monkeypatch.setattr(widgets, "available_geometry", lambda _window: QRect(0, 0, 1366, 728))
    dialog = admin(qtbot, office, settings)
    show_tab(dialog, "Profil kantor")
    box = dialog.findChild(QGroupBox, "receivingAccounts")
    click(qtbot, box, "receivingAdd")  # nothing typed: every field named at once
    problems = box.findChild(QLabel, "receivingErrors").text()
    assert "Nama bank wajib diisi" in problems and "Nomor rekening wajib diisi" in problems \
        and "Nama pemilik rekening wajib diisi" in problems
    box.findChild(QLineEdit, "receivingBank").setText("Bank BRI")
    box.findChild(QLineEdit, "receivingNumber").setText("0123-01-000456-30-1")
    box.findChild(QLineEdit, "receivingHolder").setText("RPL 054 BPS Kota Ambon untuk Penerimaan")
    click(qtbot, box, "receivingAdd")
    assert "ditambahkan" in message(box, "receivingMessage")
    table = box.findChild(QTableWidget, "receivingTable")
    assert table.rowCount() == 1 and "aktif" == table.item(0, 2).text()
    dialog.resize(1366, 728)
    shot(dialog, tmp_path, "profile-receiving.png")
    table.selectRow(0)
    click(qtbot, box, "receivingToggle")
    with office.session() as s:
        assert s.scalars(select(ReceivingAccount)).one().active is False
    assert table.item(0, 2).text() == "nonaktif"


def test_the_online_checklist_follows_the_sheet(qtbot, office, data_file, monkeypatch, tmp_path):
    opened: list[Path] = []
    monkeypatch.setattr(stored.QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())))
    monkeypatch.setattr(stored, "temp_folder", lambda: tmp_path / "opened")
    (tmp_path / "opened").mkdir()
    rid = online_request(office)
    with office.session() as s:
        billing.issue_invoice(s, office.officer, rid)
    window = window_for(qtbot, office)
    checklist = window.open_checklist(rid)
    checklist.resize(1366, 728)
    steps = checklist.findChild(QLabel, "checklistSteps").text()
    assert "Contoh data" not in steps and "Invoice & SPPD dikirim ke pemohon" in steps
    assert "pengunjung" not in steps.lower() and "Diperiksa pemohon" in steps
    assert checklist.findChild(QGroupBox, "sampleSection") is None
    # invoice & SPPD sent, by the channel the request came by
    assert checklist.findChild(QComboBox, "sentVia").currentData() == "forum"
    for name in ("papersSent", "resultsSent"):  # "&" is shown, not taken as a keyboard shortcut
        assert QKeySequence.mnemonic(checklist.findChild(QPushButton, name).text()).isEmpty(), name
    via = checklist.findChild(QComboBox, "sentVia")
    via.setCurrentIndex(via.findData("wa"))  # this time by WhatsApp
    click(qtbot, checklist, "papersSent")
    assert "dikirim" in checklist.findChild(QLabel, "sendingStatus").text()
    checklist.close()  # opened again later: the next sending starts at the way the papers went
    checklist = window.open_checklist(rid)
    checklist.resize(1366, 728)
    assert checklist.findChild(QComboBox, "sentVia").currentData() == "wa"
    # the signed SPPD needs its scan: nothing chosen, nothing recorded
    monkeypatch.setattr(stored, "choose", lambda *a: "")
    click(qtbot, checklist, "checklistSppdSigned")
    with office.session() as s:
        assert online.case_file(s, office.officer, rid).sppd_signed == ""
    scan = data_file("sppd-bertanda-tangan.pdf", 700, fill=b"S")
    monkeypatch.setattr(stored, "choose", lambda *a: str(scan))
    click(qtbot, checklist, "checklistSppdSigned")
    assert "sppd-bertanda-tangan.pdf" in checklist.findChild(QLabel, "sppdStatus").text()
    click(qtbot, checklist, "openSppdScan")
    assert opened[-1].read_bytes() == scan.read_bytes()
    # the treasurer's PC: transfer, then the file moves away; the officer still opens the proof
    proof = data_file("bukti-transfer.pdf", 900, fill=b"P")
    with office.session() as s:
        invoice = billing.invoice_for(s, rid)
        payment = billing.record_payment(s, office.treasurer, invoice.id, method=PaymentMethod.TRANSFER,
                                         amount=invoice.total, idempotency_key="gui-t", ntb="TRF-77", proof_file=proof)
    body = proof.read_bytes()
    proof.unlink()
    click(qtbot, checklist, "checklistRefresh")
    payment_text = checklist.findChild(QLabel, "paymentStatus").text()
    assert "bukti-transfer.pdf" in payment_text and "belum dikonfirmasi bendahara" in payment_text
    click(qtbot, checklist, "openProof")
    assert opened[-1].read_bytes() == body
    with office.session() as s:  # the treasurer sees the money on the account, then writes the kuitansi
        confirm_transfer(s, office, payment.id)
        receipt = billing.issue_receipt(s, office.treasurer, payment.id)
    click(qtbot, checklist, "checklistRefresh")
    assert "belum dikonfirmasi" not in checklist.findChild(QLabel, "paymentStatus").text()
    # kuitansi scan, data handed over, then "receipt scan & data sent"
    checklist.invoice.attach_receipt_scan(str(scan))  # the SPPD scan chosen by mistake: refused, nothing stored
    assert "sudah tersimpan untuk permintaan ini sebagai Pindaian SPPD bertanda tangan" in message(
        checklist, "checklistMessage")
    assert "sppd-bertanda-tangan.pdf" not in checklist.findChild(QLabel, "receiptStatus").text()
    shot(checklist, tmp_path, "checklist-same-scan-refused.png")
    kuitansi = data_file("kuitansi-ttd.pdf", 300, fill=b"K")
    checklist.invoice.attach_receipt_scan(str(kuitansi))
    assert "kuitansi-ttd.pdf" in checklist.findChild(QLabel, "receiptStatus").text()
    (tmp_path / "sak.csv").write_bytes(b"a" * 3_400_000)
    with office.session() as s:
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(
            s.get(ServiceRequest, rid).items[0].id, tmp_path / "sak.csv")], channel=DeliveryChannel.FORUM,
            media="forum")
    click(qtbot, checklist, "checklistRefresh")
    click(qtbot, checklist, "resultsSent")
    assert "Pindaian kuitansi & data: dikirim" in checklist.findChild(QLabel, "sendingStatus").text()
    check = checklist.findChild(QPushButton, "checkAccepted")
    assert check.text() == "Diperiksa dan diterima pemohon"
    click(qtbot, checklist, "checkAccepted")
    shot(checklist, tmp_path, "checklist-online.png")
    # closing: the officer is refused while the original is outstanding
    click(qtbot, checklist, "closeRequest")
    assert "SPPD asli" in message(checklist, "checklistMessage") and "supervisor" in message(checklist,
                                                                                            "checklistMessage")
    assert state_of(office, rid) is RequestState.VERIFIED
    # the list of outstanding originals shows it with its age
    window.refresh()
    originals = window.originals.table
    assert originals.rowCount() == 1 and originals.item(0, 0).text() == checklist.case.number
    window.tabs.setCurrentWidget(window.originals)
    window.resize(1366, 728)
    shot(window, tmp_path, "originals-list.png")
    assert receipt.id


def test_a_supervisor_closes_without_the_original_with_a_reason(qtbot, office, data_file, monkeypatch, tmp_path):
    rid = online_request(office)
    receipted_by_transfer(office, rid, data_file)
    (tmp_path / "d.csv").write_bytes(b"a" * 3_400_000)
    with office.session() as s:
        delivery.deliver(s, office.officer, rid, [delivery.DeliveredFile(
            s.get(ServiceRequest, rid).items[0].id, tmp_path / "d.csv")], channel=DeliveryChannel.FORUM,
            media="forum")
        delivery.confirm_checked(s, office.officer, rid)
    answers = iter(["", "Pemohon di luar negeri; SPPD asli dikirim bersama kunjungan berikutnya."])
    monkeypatch.setattr(checklist_delivery.stored, "ask_reason", lambda *a: next(answers))
    window = window_for(qtbot, office, office.supervisor)
    checklist = window.open_checklist(rid)
    click(qtbot, checklist, "closeRequest")  # the supervisor cancels the question: nothing
    assert state_of(office, rid) is RequestState.VERIFIED
    click(qtbot, checklist, "closeRequest")
    assert state_of(office, rid) is RequestState.CLOSED
    steps = checklist.findChild(QLabel, "checklistSteps").text()
    assert "○" not in steps  # nothing left open on a closed request
    assert "Ditutup tanpa SPPD asli" in checklist.findChild(QLabel, "sppdStatus").text()


def test_the_reason_dialog_refuses_an_empty_reason(qtbot, tmp_path):
    dialog = stored.ReasonDialog(None, "Tutup tanpa SPPD asli", "SPPD asli belum diterima.", "Alasan", "close_reason")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.findChild(QPushButton, "reasonOk"), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Alasan menutup tanpa SPPD asli wajib diisi" in \
        dialog.findChild(QLabel, "reasonErrors").text()
    dialog.reason.setPlainText("Hilang di pos.")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.text() == "Hilang di pos."
    shot(dialog, tmp_path, "reason-dialog.png")

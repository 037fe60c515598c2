"""Every top-level window and dialog fits the screen it opens on: a 1366×768 laptop, the same laptop at
Windows' 125 % scaling (a 1093×614 logical screen) and a 1920×1080 monitor. Its frame lies within the
available geometry (or it opens maximized and its contents fit there) and every button outside a scroll
area is visible inside the window, on every tab and wizard page.

The offscreen platform has one fixed screen, so the screen lookup of ``ui.widgets.fit_to_screen`` (the
one sizing rule) is replaced by each size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from models import Channel, PaymentMethod
from pstdesktop.config import Settings, sqlite_url
from pstdesktop.services import billing, receiving
from tests.unit.test_online import online_request
from ui import widgets
from ui.admin import AdminDialog
from ui.admin.account_forms import NewAccountForm
from ui.evidence import ReasonDialog
from ui.kiosk.staff import PinSetupDialog
from ui.kiosk.window import KioskWindow
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.office_setup import SetupDialog
from ui.officer.preview import open_preview
from ui.recovery import RecoverDialog, RecoveryCodeDialog
from ui.treasurer import TreasurerWindow

SCREENS = {"1366x768": QRect(0, 0, 1366, 728), "1093x614@125%": QRect(0, 0, 1093, 574),
           "1920x1080": QRect(0, 0, 1920, 1040)}  # available: less a 40-pixel taskbar


@pytest.fixture(params=list(SCREENS))
def screen(request, monkeypatch) -> QRect:
    rect = SCREENS[request.param]
    monkeypatch.setattr(widgets, "available_geometry", lambda _window: QRect(rect))
    return rect


@pytest.fixture
def world(qtbot, office, tmp_path):
    """An office with an invoice waiting, a payment waiting for its kuitansi and an issued kuitansi."""
    paid_rid, _payment = office.paid()
    receipted_rid, payment_id = office.paid(phone="081299990000")
    invoiced_rid = office.approved(phone="081299990001")
    with office.session() as s:
        billing.issue_receipt(s, office.treasurer, payment_id)
        invoice_id = billing.issue_invoice(s, office.officer, invoiced_rid).id
    office.request_id, office.invoice_id = paid_rid, invoice_id
    office.settings = Settings(data_dir=tmp_path, database_url=sqlite_url(tmp_path / "pst.sqlite"))
    return office


def inside_scroll_area(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def hidden_buttons(window: QWidget) -> list[str]:
    """The shown buttons outside a scroll area that are not wholly inside the window."""
    area = window.rect()
    lost = []
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or button.window() is not window or inside_scroll_area(button, window):
            continue
        place = QRect(button.mapTo(window, button.rect().topLeft()), button.size())
        if not (button.isVisible() and area.contains(place)):
            lost.append(button.objectName() or button.text())
    return lost


def assert_fits(window: QWidget, screen: QRect) -> None:
    QApplication.processEvents()
    room = screen.marginsRemoved(widgets.FRAME_ALLOWANCE)
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert minimum.width() <= room.width() and minimum.height() <= room.height(), \
        f"{window.objectName()} needs at least {minimum.toTuple()}, the screen has {room.size().toTuple()}"
    if window.isMaximized():  # the platform gives it the whole screen; check the size it restores to
        assert screen.contains(window.normalGeometry())
        window.showNormal()
        QApplication.processEvents()
    assert screen.contains(window.frameGeometry()), f"{window.frameGeometry()} is not within {screen}"
    assert window.width() >= minimum.width() and window.height() >= minimum.height()
    pages = [(tabs, i) for tabs in window.findChildren(QTabWidget) if tabs.window() is window
             for i in range(tabs.count())]
    for tabs, index in pages or [(None, 0)]:
        if tabs is not None:
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
        assert hidden_buttons(window) == [], (tabs and tabs.tabText(index))


def shown(qtbot, window: QWidget) -> QWidget:
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_staff_window(qtbot, world, screen, role):
    window = shown(qtbot, MainWindow(world.db, getattr(world, role), world.settings))
    assert_fits(window, screen)


def test_treasurer_window_and_its_dialogs(qtbot, world, screen):
    window = shown(qtbot, TreasurerWindow(world.db, world.treasurer))
    assert_fits(window, screen)
    payment = window.open_payment(next(iter(window.invoices.rows.values())))
    assert_fits(payment, screen)
    payment.reject()
    refund = window.open_refund(next(iter(window.receipts.pending_rows.values())))
    assert_fits(refund, screen)
    refund.reject()
    cancel = window.open_cancel(next(iter(window.receipts.receipts.values())))
    assert_fits(cancel, screen)
    cancel.reject()


def test_kuitansi_viewer_keeps_its_actions_in_view(qtbot, world, screen):
    window = shown(qtbot, TreasurerWindow(world.db, world.treasurer))
    receipt = next(iter(window.receipts.receipts.values()))
    preview = window.preview_receipt(receipt.receipt_id, receipt.number, copy=True)
    qtbot.waitExposed(preview)
    assert_fits(preview, screen)
    for name in ("saveReceiptPdf", "printReceipt", "closePreview"):
        assert preview.findChild(QAbstractButton, name).isVisible()


def test_document_viewer_keeps_its_actions_in_view(qtbot, world, screen):
    window = shown(qtbot, MainWindow(world.db, world.officer))
    preview = open_preview(window, world.db, world.officer, "invoice", world.invoice_id, "INV-1", copy=True)
    qtbot.waitUntil(preview.ready, timeout=20_000)
    assert_fits(preview, screen)
    preview.close()


def test_checklist_and_every_wizard_page(qtbot, world, screen):
    window = shown(qtbot, MainWindow(world.db, world.officer))
    checklist = window.open_checklist(world.request_id)
    qtbot.waitExposed(checklist)
    assert_fits(checklist, screen)
    checklist.close()
    wizard = window.start_wizard(online_mode=True)
    qtbot.waitExposed(wizard)
    for index in range(len(wizard.pages)):
        wizard.stack.setCurrentIndex(index)
        assert_fits(wizard, screen)


def reachable(button: QAbstractButton, area: QScrollArea) -> bool:
    """Scrolled to, ``button`` shows wholly inside ``area``."""
    area.ensureWidgetVisible(button)
    QApplication.processEvents()
    return area.viewport().rect().contains(QRect(button.mapTo(area.viewport(), QPoint(0, 0)), button.size()))


def test_administration_and_account_form(qtbot, world, screen):
    window = shown(qtbot, MainWindow(world.db, world.supervisor, world.settings))
    admin = shown(qtbot, AdminDialog(world.db, world.settings, world.supervisor, window))
    save, fields = admin.findChild(QAbstractButton, "profileSave"), admin.findChild(QScrollArea, "profileScroll")
    assert not inside_scroll_area(save, admin) and save.isVisible()  # the profile's fields scroll, not its save
    for name in ("receivingAdd", "receivingToggle", "eraseExpiredButton"):
        assert reachable(admin.findChild(QAbstractButton, name), fields), name
    assert_fits(admin, screen)
    form = shown(qtbot, NewAccountForm(world.db, world.supervisor, admin))
    assert_fits(form, screen)
    refused = shown(qtbot, AdminDialog(world.db, world.settings, world.officer, window))
    assert_fits(refused, screen)


def test_online_sale_screens(qtbot, world, screen):
    """The online checklist, a payment by transfer (receiving account, proof, confirmation), the reason asked
    for a flagged step and the list of SPPD originals outstanding."""
    rid = online_request(world, full_name="Dewi Daring", phone="081299990002", email="dewi@example.id")
    with world.session() as s:
        receiving.add(s, world.supervisor, bank="Bank BRI", number="0123-01-000456-30-1",
                      holder="RPL 054 BPS Provinsi Maluku untuk Penerimaan")
        billing.issue_invoice(s, world.officer, rid)
    window = shown(qtbot, MainWindow(world.db, world.officer, world.settings))
    window.tabs.setCurrentWidget(window.originals)
    assert hidden_buttons(window) == []
    checklist = window.open_checklist(rid)
    qtbot.waitExposed(checklist)
    assert_fits(checklist, screen)
    checklist.close()
    reason = shown(qtbot, ReasonDialog(window, "Bukti transfer sudah dipakai", "Berkas bukti ini sudah dipakai "
                                       "untuk pembayaran lain (invoice INV/2026/11/0001, Rp150.000). " * 3,
                                       "Alasan memakai bukti yang sama", "proof_reason"))
    assert_fits(reason, screen)
    treasurer = shown(qtbot, TreasurerWindow(world.db, world.treasurer))
    online_invoice = next(row for row in treasurer.invoices.rows.values() if row.channel is Channel.ONLINE)
    payment = treasurer.open_payment(online_invoice)
    payment.method_button(PaymentMethod.TRANSFER).setChecked(True)
    assert_fits(payment, screen)
    for name in ("chooseProof", "savePayment", "cancelPayment"):
        assert payment.findChild(QAbstractButton, name).isVisible(), name
    payment.reject()


def test_sign_in_setup_recovery_and_kiosk_pin(qtbot, world, sqlite_db, screen):
    for dialog in (LoginDialog(world.db, "BPS Provinsi Maluku"), SetupDialog(sqlite_db), RecoverDialog(world.db),
                   RecoveryCodeDialog("K7QM-2XPA-9RTD-H4WE"), PinSetupDialog(world.db)):
        assert_fits(shown(qtbot, dialog), screen)


@pytest.mark.parametrize("mode", ["guestbook", "poll"])
def test_kiosk_pages_fit_the_whole_screen(qtbot, world, screen, mode, tmp_path):
    """The kiosk is full screen (no taskbar): each page fits, the window never grows past the screen."""
    whole = QRect(0, 0, screen.width(), screen.height() + 40)
    window = KioskWindow(world.db, world.kiosk, mode, tickets_dir=tmp_path / "tickets", fullscreen=False)
    qtbot.addWidget(window)
    window.setGeometry(whole)
    window.show()
    qtbot.waitExposed(window)
    for index in range(window.stack.count()):
        window.stack.setCurrentIndex(index)
        QApplication.processEvents()
        minimum = window.minimumSizeHint()
        assert minimum.width() <= whole.width() and minimum.height() <= whole.height()
        assert window.size() == whole.size()
        assert hidden_buttons(window) == []
    window.may_close = True


def test_a_dialog_opens_over_its_window_and_never_past_the_screen_edge(qtbot, world, monkeypatch):
    screen = QRect(0, 0, 1366, 728)
    monkeypatch.setattr(widgets, "available_geometry", lambda _window: QRect(screen))
    room = screen.marginsRemoved(widgets.FRAME_ALLOWANCE)
    window = shown(qtbot, MainWindow(world.db, world.supervisor, world.settings))
    window.showNormal()
    moved = QRect(QPoint(520, 260), window.minimumSizeHint())  # small, in the lower right
    window.setGeometry(moved)
    qtbot.waitUntil(lambda: window.geometry() == moved)
    form = shown(qtbot, NewAccountForm(world.db, world.supervisor, window))
    assert abs(form.geometry().center().x() - window.geometry().center().x()) <= 1
    assert abs(form.geometry().center().y() - window.geometry().center().y()) <= 1
    checklist = window.open_checklist(world.request_id)  # too big to centre there: moved onto the screen
    qtbot.waitExposed(checklist)
    assert checklist.geometry() == QRect(room.right() - 1260 + 1, room.top(), 1260, room.height())

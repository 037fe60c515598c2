import pytest
from models import PaymentMethod
from pstdesktop.services import billing, receiving
from tests.unit.test_online import online_request
from tests.gui.test_treasurer import panel  # noqa: F401
from ui.i18n import set_language

OUT = "/tmp/s6/s6c"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_shot_treasurer(qtbot, office, panel, data_file, lang, monkeypatch):
    from PySide6.QtCore import QRect
    from ui import widgets
    monkeypatch.setattr(widgets, 'available_geometry', lambda _w: QRect(0, 0, 1366, 728))
    set_language(lang)
    rid = online_request(office)
    with office.session() as s:
        receiving.add(s, office.supervisor, bank="Bank BRI", number="0123-01-000456-30-1", holder="BPS Kota Ambon")
        invoice = billing.issue_invoice(s, office.officer, rid)
        billing.record_payment(s, office.treasurer, invoice.id, method=PaymentMethod.TRANSFER, amount=invoice.total,
                               idempotency_key="online", ntb="TRF10", proof_file=data_file("bukti-10.pdf", 300))
    office.paid(full_name="Pembayar Tunai", phone="081234000099")
    rid2 = online_request(office, full_name="Dewi Dua", phone="081234000098")
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid2)
        p = billing.record_payment(s, office.treasurer, invoice.id, method=PaymentMethod.TRANSFER, amount=invoice.total,
                               idempotency_key="online2", ntb="TRF11", proof_file=data_file("bukti-11.pdf", 301, fill=b"z"))
        billing.confirm_on_account(s, office.treasurer, p.id)
    window = panel()
    window.resize(1366, 728)
    qtbot.wait(50)
    window.resize(1366, 728)
    window.tabs.setCurrentWidget(window.receipts)
    window.receipts.pending.selectRow(0)
    qtbot.wait(50)
    window.grab().save(f"{OUT}/treasurer-pending-{lang}.png")
    set_language("id")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_shot_main(qtbot, office, lang, monkeypatch):
    from PySide6.QtCore import QRect
    from ui import widgets
    from tests.gui.test_officer_wizard import window_for
    monkeypatch.setattr(widgets, 'available_geometry', lambda _w: QRect(0, 0, 1366, 728))
    set_language(lang)
    online_request(office)
    window = window_for(qtbot, office)
    window.showNormal()
    window.resize(1366, 728)
    qtbot.wait(50)
    window.tabs.setCurrentWidget(window.online_board)
    window.refresh()
    qtbot.wait(50)
    window.grab().save(f"{OUT}/main-online-{lang}.png")
    window.tabs.setCurrentWidget(window.queue)
    qtbot.wait(50)
    window.grab().save(f"{OUT}/main-queue-{lang}.png")
    set_language("id")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_shot_conformity(qtbot, office, lang, monkeypatch):
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QScrollArea
    from ui import widgets
    from ui.officer.wizard import RequestWizard
    from tests.gui.test_clear_and_delivery import online_request as oreq
    monkeypatch.setattr(widgets, 'available_geometry', lambda _w: QRect(0, 0, 1366, 728))
    set_language(lang)
    rid = oreq(office, "forum", approve=False)
    wizard = RequestWizard(office.db, office.officer, request_id=rid)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.show_page(4)
    qtbot.wait(50)
    area = wizard.findChild(QScrollArea)
    print("DBG", lang, wizard.size(), wizard.pages[wizard.index].name, area.viewport().height(),
          area.widget().minimumSizeHint(), area.verticalScrollBar().maximum())
    wizard.grab().save(f"{OUT}/conformity-{lang}.png")
    set_language("id")

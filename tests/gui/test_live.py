"""Screens that follow the database (pytest-qt, offscreen): two engines on one SQLite file stand for two
PCs; what one commits appears on the other's lists and checklist within the refresh period, with no
"Muat ulang"; and "Keluar akun" returns to the sign-in, where another role signs in, without quitting."""

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

import ui.app
from models import PaymentMethod, RequestState
from pstdesktop import live
from pstdesktop.autobackup import PENDING, AutoBackup
from pstdesktop.bootstrap import open_url
from pstdesktop.config import Settings, sqlite_url
from pstdesktop.services import guestbook
from tests.conftest import PASSWORD, visitor_answers
from tests.shots import shot
from tests.unit.test_ledger import invoiced, pay, sold
from ui.live import POLL_MS, LiveRefresh
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.treasurer import TreasurerWindow
from ui.treasurer.common import selected_key

LEFT = Qt.MouseButton.LeftButton
WITHIN_MS = 3 * POLL_MS  # "within a few seconds": the poll period and a refresh


def _file(office) -> Path:
    return Path(office.db.engine.url.database)


@pytest.fixture
def other_pc(office):
    """A second engine on the same file: another PC (or process) of the office."""
    db = open_url(sqlite_url(_file(office)), _file(office).parent / "backups")
    yield db
    db.dispose()


def test_watcher_sees_only_commits_of_other_connections(office, other_pc):
    watcher = live.watch(other_pc.engine)
    try:
        assert not watcher.changed()
        with office.session() as s:  # a unit of work that only reads changes nothing
            guestbook.queue_counts(s, office.officer)
        assert not watcher.changed()
        office.approved()
        assert watcher.changed()
        assert not watcher.changed()  # reported once
    finally:
        watcher.close()


def test_payment_on_one_engine_reaches_the_others_signal(qtbot, office, other_pc):
    invoice_id = invoiced(office)
    refresher = LiveRefresh(other_pc)
    try:
        with qtbot.waitSignal(refresher.changed, timeout=WITHIN_MS):
            pay(office, invoice_id)
    finally:
        refresher.stop()


def test_officer_checklist_and_queue_follow_the_treasurer(qtbot, office, other_pc):
    invoice_id = invoiced(office)
    with office.session() as s:
        from models import Invoice

        request_id = s.get(Invoice, invoice_id).request_id
    window = MainWindow(other_pc, office.officer)
    qtbot.addWidget(window)
    window.show()
    checklist = window.open_checklist(request_id)
    assert checklist.case.state is RequestState.INVOICED
    rows = window.queue_table.rowCount()
    window.queue_table.selectRow(0)
    chosen = window.queue.table.item(0, 0).data(Qt.ItemDataRole.UserRole)

    pay(office, invoice_id, PaymentMethod.CASH)  # the treasurer's PC
    qtbot.waitUntil(lambda: checklist.case.state is RequestState.PAID, timeout=WITHIN_MS)
    assert "✔" in checklist.steps.text()

    with office.session() as s:  # the kiosk registers a visitor
        guestbook.register_visit(s, office.kiosk, visitor_answers(full_name="Siti Rahayu"),
                                 "Konsultasi Statistik")
    qtbot.waitUntil(lambda: window.queue_table.rowCount() == rows + 1, timeout=WITHIN_MS)
    assert window.queue.table.item(window.queue_table.currentRow(), 0).data(Qt.ItemDataRole.UserRole) == chosen
    window.close()


def test_treasurer_lists_follow_the_officer_and_keep_the_selection(qtbot, office, other_pc):
    first = invoiced(office)
    second = invoiced(office)
    window = TreasurerWindow(other_pc, office.treasurer)
    qtbot.addWidget(window)
    window.show()
    table = window.invoices.table
    assert table.rowCount() == 2
    for row in range(table.rowCount()):
        if table.item(row, 0).data(Qt.ItemDataRole.UserRole) == second:
            table.selectRow(row)
    window.invoices.scan.setFocus()
    qtbot.keyClicks(window.invoices.scan, "sedang diketik")

    third = invoiced(office)  # the officer issues an invoice on another PC
    qtbot.waitUntil(lambda: table.rowCount() == 3, timeout=WITHIN_MS)
    assert selected_key(table) == second
    assert window.invoices.scan.text() == "sedang diketik"

    pay(office, first)  # recorded at the other treasurer's PC: waits for its kuitansi here
    qtbot.waitUntil(lambda: window.receipts.pending.rowCount() == 1 and table.rowCount() == 2, timeout=WITHIN_MS)
    assert selected_key(table) == second
    assert {table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(2)} == {second, third}
    window.close()


def test_deposit_ticks_and_typed_ntpn_stay_when_a_receipt_arrives(qtbot, office, other_pc):
    first, second = sold(office)[2], sold(office)[2]
    window = TreasurerWindow(other_pc, office.treasurer)
    qtbot.addWidget(window)
    window.show()
    deposits = window.deposits
    window.tabs.setCurrentWidget(deposits)
    row_of = {deposits.cash_table.item(r, 0).data(Qt.ItemDataRole.UserRole): r
              for r in range(deposits.cash_table.rowCount())}
    deposits.cash_table.item(row_of[first], 0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.keyClicks(deposits.ntpn, "0123456789AB")

    third = sold(office)[2]  # a kuitansi issued at the other treasurer's PC
    qtbot.waitUntil(lambda: deposits.cash_table.rowCount() == 3, timeout=WITHIN_MS)
    assert set(deposits.checked_ids()) == {second, third}  # the unticked one stays unticked, the new one ticked
    assert deposits.ntpn.text() == "0123456789AB"
    window.close()


class _App:
    """Stands in for QApplication in ui.app's session loop: each ``exec`` acts on the window shown."""

    def __init__(self, steps, folder: Path):
        self.steps, self.windows, self.folder = list(steps), [], folder

    def exec(self) -> int:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow | TreasurerWindow) and w.isVisible())
        self.windows.append(window)
        shot(window, self.folder, f"live_{type(window).__name__}.png")
        self.steps.pop(0)(window)
        return 0


def _exit_backups_done() -> None:
    for thread in threading.enumerate():
        if thread.name == "pst-exit-backup":
            thread.join(60)


def test_sign_out_returns_to_the_sign_in_and_another_role_signs_in(qtbot, office, monkeypatch, tmp_path):
    names = ["petugas", "bendahara"]
    backups: list[str] = []

    def sign_in(dialog: LoginDialog):
        dialog.findChild(QLineEdit, "loginUsername").setText(names.pop(0))
        dialog.findChild(QLineEdit, "loginPassword").setText(PASSWORD)
        dialog.findChild(QPushButton, "loginButton").click()
        return dialog.result()

    def work_then_close(window):
        # The day's backup runs beside the window; a change made before it marked the file would be in it.
        qtbot.waitUntil(lambda: backups == ["daily"], timeout=10_000)
        office.paid(phone="081299990001")  # a change since the day's backup: the exit backup is due
        window.close()

    monkeypatch.setattr(LoginDialog, "exec", sign_in)
    monkeypatch.setattr(AutoBackup, "_take", lambda _self, kind, _stop=None: backups.append(kind))
    monkeypatch.setattr(AutoBackup, "_hand_over", lambda _self: backups.append("exit, handed over") is None)
    app = _App([lambda w: qtbot.mouseClick(w.findChild(QPushButton, "signOutButton"), LEFT), work_then_close], tmp_path)
    settings = Settings(data_dir=_file(office).parent, database_url=sqlite_url(_file(office)))

    assert ui.app._session(app, settings) == (0, False)
    officer, treasurer = app.windows
    assert isinstance(officer, MainWindow) and officer.actor == office.officer and officer.sign_out_requested
    assert isinstance(treasurer, TreasurerWindow) and treasurer.actor == office.treasurer
    assert not names  # signed in twice, and no third sign-in was asked for
    _exit_backups_done()
    assert backups == ["daily", "exit, handed over"]  # the exit backup only when the application really quits
    assert (settings.data_dir / PENDING).exists()  # until the process it was handed to has taken it


def test_the_exit_backup_is_skipped_when_nothing_changed_since_the_days_backup(qtbot, office, monkeypatch,
                                                                               tmp_path):
    backups: list[str] = []

    def sign_in(dialog: LoginDialog):
        dialog.findChild(QLineEdit, "loginUsername").setText("petugas")
        dialog.findChild(QLineEdit, "loginPassword").setText(PASSWORD)
        dialog.findChild(QPushButton, "loginButton").click()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", sign_in)
    monkeypatch.setattr(AutoBackup, "_take", lambda _self, kind, _stop=None: backups.append(kind))
    settings = Settings(data_dir=_file(office).parent, database_url=sqlite_url(_file(office)))
    assert ui.app._session(_App([lambda w: w.close()], tmp_path), settings) == (0, False)
    _exit_backups_done()
    assert backups == ["daily"]
    assert not (settings.data_dir / PENDING).exists()  # the exit backup only when the application really quits

"""A second start while another process holds the SQLite data: the box names the PC and user and offers
"Lihat saja (hanya baca)" or "Tutup"; the read-only staff window says so, hides or disables what
writes, and a step tried anyway is refused with the read-only message (pytest-qt, offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget
from sqlalchemy import select

from models import Account
from pstdesktop import instance
from pstdesktop.config import Settings, sqlite_url
from tests.conftest import PASSWORD
from tests.gui.modal import on_modal
from tests.shots import shot
from ui import second_copy
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.officer.checklist import ChecklistDialog

ROOT = Path(__file__).resolve().parents[2]
HOLD = ("import sys, time; from pathlib import Path; from pstdesktop import instance; "
        "assert instance.claim(Path(sys.argv[1])) is None; print('held', flush=True); time.sleep(120)")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=sqlite_url(tmp_path / "pst.sqlite"))


@pytest.fixture
def held(office, settings):
    """Another process (a running copy of the application) holds the office's database."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(settings.data_dir / "pst.sqlite")], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert process.stdout.readline().strip() == "held"
    yield process
    process.kill()
    process.wait()
    instance.release_all()


def answer_box(qtbot, button_name: str, seen: dict, picture: tuple[Path, str] | None = None) -> None:
    """Click ``button_name`` in the box the next call opens, after noting its text (and a screenshot:
    ``picture`` is its folder and file name)."""

    def act(box: QMessageBox):
        seen["text"], seen["more"] = box.text(), box.informativeText()
        seen["buttons"] = sorted(b.objectName() for b in box.buttons())
        if picture:
            shot(box, *picture)
        qtbot.mouseClick(box.findChild(QPushButton, button_name), Qt.MouseButton.LeftButton)

    on_modal(act, QMessageBox)


def test_second_start_names_the_holder_and_closes_on_tutup(qtbot, settings, held, tmp_path):
    seen: dict = {}
    answer_box(qtbot, "closeButton", seen, (tmp_path, "second_start.png"))
    assert second_copy.gate(settings) is False
    assert f"(proses {held.pid})" in seen["text"] and "di PC" in seen["text"] and "WIT" in seen["text"]
    assert seen["buttons"] == ["closeButton", "viewReadOnlyButton"]
    assert not instance.holds(settings.data_dir / "pst.sqlite")


def test_kiosk_second_start_only_closes(qtbot, settings, held):
    seen: dict = {}
    answer_box(qtbot, "closeButton", seen)
    assert second_copy.gate(settings, kiosk=True) is False
    assert seen["buttons"] == ["closeButton"] and "Kios tidak dapat berjalan" in seen["more"]


def test_a_free_folder_is_taken_without_asking(settings, office):
    try:
        assert second_copy.gate(settings) is True
        assert instance.holds(settings.data_dir / "pst.sqlite")
    finally:
        instance.release_all()


def test_read_only_view_shows_the_staff_window_without_its_writing_actions(qtbot, office, settings, held, tmp_path):
    request_id = office.approved()
    seen: dict = {}
    answer_box(qtbot, "viewReadOnlyButton", seen)
    view = second_copy.gate(settings)
    assert view is not False and view is not True and view.read_only
    try:
        login = LoginDialog(view, "BPS Provinsi Maluku")
        qtbot.addWidget(login)
        assert "(hanya baca)" in login.windowTitle()
        qtbot.keyClicks(login.findChild(QLineEdit, "loginUsername"), "kepala")
        qtbot.keyClicks(login.findChild(QLineEdit, "loginPassword"), "salah-sekali")
        qtbot.mouseClick(login.findChild(QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
        assert login.actor is None and "salah" in login.findChild(QLabel, "loginMessage").text()
        with office.session() as s:  # the read-only view wrote nothing, not even the failed attempt
            assert s.scalar(select(Account.failed_logins).where(Account.username == "kepala")) == 0
        qtbot.keyClicks(login.findChild(QLineEdit, "loginPassword"), PASSWORD)
        qtbot.mouseClick(login.findChild(QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
        assert login.actor == office.supervisor

        window = MainWindow(view, office.supervisor, settings)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        assert "(hanya baca)" in window.windowTitle()
        banner = window.findChild(QLabel, "readOnlyBanner")
        assert banner is not None and "Mode hanya baca" in banner.text() and f"(proses {held.pid})" in banner.text()
        assert not window.online_board.record_button.isVisible()
        assert not window.findChild(QPushButton, "callNext").isVisible()
        assert not next(a for a in window.menuBar().actions()[0].menu().actions()
                        if a.objectName() == "adminAction").isEnabled()
        shot(window, tmp_path, "read_only_window.png")

        checklist = ChecklistDialog(view, office.officer, request_id, window)
        qtbot.addWidget(checklist)
        checklist.resize(1366, 768)
        checklist.show()
        assert checklist.findChild(QLabel, "readOnlyBanner") is not None
        from pstdesktop.services import delivery
        assert not checklist.run_step(lambda s: delivery.record_sppd(s, office.officer, request_id), "ok")
        message = checklist.findChild(QLabel, "checklistMessage").text()
        assert "Mode hanya baca" in message
        shot(checklist, tmp_path, "read_only_checklist.png")
        window.close()
    finally:
        view.dispose()


def test_five_wrong_passwords_close_a_read_only_sign_in(qtbot, office, settings, held):
    answer_box(qtbot, "viewReadOnlyButton", {})
    view = second_copy.gate(settings)
    try:
        login = LoginDialog(view, "BPS Provinsi Maluku")
        qtbot.addWidget(login)
        login.show()
        qtbot.keyClicks(login.findChild(QLineEdit, "loginUsername"), "kepala")
        for _ in range(5):
            qtbot.keyClicks(login.findChild(QLineEdit, "loginPassword"), "keliru-lagi")
            qtbot.mouseClick(login.findChild(QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
        assert login.result() == LoginDialog.DialogCode.Rejected and login.actor is None
    finally:
        view.dispose()


def restore_tab(qtbot, office, settings):
    from PySide6.QtWidgets import QTabWidget

    from ui.admin import AdminDialog

    dialog = AdminDialog(office.db, settings, office.supervisor)
    qtbot.addWidget(dialog)
    tabs = dialog.findChild(QTabWidget, "adminTabs")
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Cadangan"))
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.backups.busy, timeout=10_000)
    return dialog


def test_restore_screen_refuses_while_a_second_copy_runs(qtbot, office, settings, held, monkeypatch, tmp_path):
    from pstdesktop import backup
    from ui.admin import backups as backups_module

    asked: list[str] = []
    monkeypatch.setattr(backups_module, "ask", lambda *_args: asked.append("asked") or True)
    backup.take(settings.data_dir / "pst.sqlite", settings.backup_dir, "manual")
    office.walk_in()
    dialog = restore_tab(qtbot, office, settings)
    dialog.findChild(QTableWidget, "backupTable").selectRow(0)
    qtbot.mouseClick(dialog.findChild(QPushButton, "restoreButton"), Qt.MouseButton.LeftButton)
    text = dialog.findChild(QLabel, "backupMessage").text()
    assert f"(proses {held.pid})" in text and "Pemulihan ditolak" in text and not asked
    assert not list(settings.data_dir.glob("pst.sqlite.replaced-*"))
    shot(dialog, tmp_path, "restore_refused_held.png")


def test_restore_screen_refuses_an_empty_backup_with_the_reason(qtbot, office, settings, monkeypatch, tmp_path):
    from ui.admin import backups as backups_module

    monkeypatch.setattr(backups_module, "ask", lambda *_args: pytest.fail("a refused file is not asked about"))
    settings.backup_dir.mkdir(exist_ok=True)
    (settings.backup_dir / "pst-20261120T010000Z-manual.sqlite").write_bytes(b"")
    dialog = restore_tab(qtbot, office, settings)
    dialog.findChild(QTableWidget, "backupTable").selectRow(0)
    qtbot.mouseClick(dialog.findChild(QPushButton, "restoreButton"), Qt.MouseButton.LeftButton)
    text = dialog.findChild(QLabel, "backupMessage").text()
    assert "Cadangan ditolak" in text and "kosong (0 byte)" in text
    shot(dialog, tmp_path, "restore_refused_empty.png")


def test_treasurer_panel_in_a_read_only_view_says_so_and_refuses_a_payment(qtbot, office, settings, held, tmp_path):
    from models import PaymentMethod
    from pstdesktop.services import billing
    from ui.treasurer import TreasurerWindow

    request_id = office.approved()
    with office.session() as s:
        invoice_id = billing.issue_invoice(s, office.officer, request_id).id
    answer_box(qtbot, "viewReadOnlyButton", {})
    view = second_copy.gate(settings)
    try:
        window = TreasurerWindow(view, office.treasurer)
        qtbot.addWidget(window)
        window.show()
        assert "(hanya baca)" in window.windowTitle()
        assert window.findChild(QLabel, "readOnlyBanner") is not None
        with pytest.raises(Exception) as refused, view.unit_of_work() as s:
            billing.record_payment(s, office.treasurer, invoice_id, method=PaymentMethod.CASH, amount=3_000_000,
                                   cash_tendered=3_000_000, idempotency_key="ro-1")
        assert getattr(refused.value, "code", "") == "read_only"
        shot(window, tmp_path, "read_only_treasurer.png")
        window.close()
    finally:
        view.dispose()


def test_the_application_start_asks_and_tutup_ends_it_without_touching_the_data(qtbot, settings, held):
    from ui import app

    file = settings.data_dir / "pst.sqlite"
    before = file.stat().st_mtime_ns
    seen: dict = {}
    answer_box(qtbot, "closeButton", seen)
    assert app.run(settings) == 0
    assert f"(proses {held.pid})" in seen["text"]
    assert file.stat().st_mtime_ns == before and not list(settings.backup_dir.glob("pst-*"))

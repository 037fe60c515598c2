"""The staff window and its sign-in, driven through the real widgets (pytest-qt, offscreen)."""

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableWidget
from sqlalchemy import func, select

from models import AuditEntry, OfficeProfile
from pstdesktop.services import guestbook
from pstdesktop.services.clock import utcnow
from pstdesktop.services.office import login
from tests.conftest import PASSWORD, visitor_answers
from ui.login import LoginDialog
from ui.main_window import OVERDUE, MainWindow
from ui.office_setup import SetupDialog
from ui.recovery import RecoverDialog


def test_sign_in_wrong_then_right_password(qtbot, office):
    dialog = LoginDialog(office.db, "BPS Provinsi Maluku")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "loginUsername"), "petugas")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "loginPassword"), "salah")
    qtbot.mouseClick(dialog.findChild(QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
    assert dialog.actor is None
    assert "salah" in dialog.findChild(QLabel, "loginMessage").text()
    assert dialog.findChild(QLineEdit, "loginPassword").text() == ""
    qtbot.keyClicks(dialog.findChild(QLineEdit, "loginPassword"), PASSWORD)
    qtbot.mouseClick(dialog.findChild(QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
    assert dialog.actor == office.officer


def test_account_locks_after_five_wrong_passwords(qtbot, office):
    dialog = LoginDialog(office.db, "BPS Provinsi Maluku")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "loginUsername"), "bendahara")
    for _ in range(5):
        qtbot.keyClicks(dialog.findChild(QLineEdit, "loginPassword"), "keliru")
        qtbot.mouseClick(dialog.findChild(QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "loginPassword"), PASSWORD)
    qtbot.mouseClick(dialog.findChild(QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
    assert dialog.actor is None
    assert "dikunci" in dialog.findChild(QLabel, "loginMessage").text()


def test_first_run_setup_refuses_bad_input_then_saves(qtbot, sqlite_db, recovery_codes):
    dialog = SetupDialog(sqlite_db)
    qtbot.addWidget(dialog)
    values = {"name": "BPS Kota Jambi", "unit_code": "15A1", "city": "Jambi", "username": "kepala",
              "full_name": "Kepala PST", "password": "rahasia-123", "repeat": "rahasia-132"}
    for key, value in values.items():
        qtbot.keyClicks(dialog.findChild(QLineEdit, f"setup_{key}"), value)
    save = dialog.findChild(QPushButton, "setupSave")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # a typo in the repeat: nothing is saved
    assert "tidak sama" in dialog.findChild(QLabel, "setupMessage").text()
    assert dialog.findChild(QLineEdit, "setup_password").text() == ""
    for key, value in (("password", "1234567890"), ("repeat", "1234567890")):  # a run of digits
        qtbot.keyClicks(dialog.findChild(QLineEdit, f"setup_{key}"), value)
    dialog.findChild(QLineEdit, "setup_unit_code").setText("1571")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "mudah ditebak" in dialog.findChild(QLabel, "setupMessage").text()
    dialog.findChild(QLineEdit, "setup_unit_code").setText("15A1")
    for key in ("password", "repeat"):
        dialog.findChild(QLineEdit, f"setup_{key}").setText("rahasia-123")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "Kode unit BPS" in dialog.findChild(QLabel, "setupMessage").text()
    with sqlite_db.unit_of_work() as s:
        assert s.scalar(select(func.count(OfficeProfile.id))) == 0
    dialog.findChild(QLineEdit, "setup_unit_code").setText("1571")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    with sqlite_db.unit_of_work() as s:
        assert s.scalar(select(OfficeProfile.name)) == "BPS Kota Jambi"
    assert len(recovery_codes) == 1 and len(recovery_codes[0]) == 23


def test_a_sole_supervisor_locked_out_signs_in_again_with_the_recovery_code(qtbot, sqlite_db, recovery_codes):
    setup = SetupDialog(sqlite_db)
    qtbot.addWidget(setup)
    for key, value in (("name", "BPS Kota Ambon"), ("unit_code", "8171"), ("city", "Ambon"), ("username", "kepala"),
                       ("full_name", "Kepala PST"), ("password", PASSWORD), ("repeat", PASSWORD)):
        qtbot.keyClicks(setup.findChild(QLineEdit, f"setup_{key}"), value)
    qtbot.mouseClick(setup.findChild(QPushButton, "setupSave"), Qt.MouseButton.LeftButton)
    first_code = recovery_codes[0]
    dialog = LoginDialog(sqlite_db, "BPS Kota Ambon")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "loginUsername"), "kepala")
    for _ in range(5):
        dialog.findChild(QLineEdit, "loginPassword").setText("keliru-lagi")
        qtbot.mouseClick(dialog.findChild(QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
    assert "dikunci" in dialog.findChild(QLabel, "loginMessage").text()

    def recover_with(code: str, password: str) -> RecoverDialog:
        recover = RecoverDialog(sqlite_db, "kepala")
        qtbot.addWidget(recover)
        recover.findChild(QLineEdit, "recoverCode").setText(code)
        recover.findChild(QLineEdit, "recoverPassword").setText(password)
        recover.findChild(QLineEdit, "recoverRepeat").setText(password)
        qtbot.mouseClick(recover.findChild(QPushButton, "recoverButton"), Qt.MouseButton.LeftButton)
        return recover

    wrong = recover_with("ABCDE-FGHJK-LMNPQ-RSTUV", "Pala-Banda-Neira")
    assert wrong.actor is None and "tidak cocok" in wrong.findChild(QLabel, "recoverMessage").text()
    typed = recover_with(first_code.lower().replace("-", " "), "Pala-Banda-Neira")  # as read off the paper
    assert typed.actor is not None and typed.actor.role.value == "supervisor"
    assert len(recovery_codes) == 2 and recovery_codes[1] != first_code
    assert recover_with(first_code, "Cengkih-Pala-77").actor is None  # a used code does not work twice
    with sqlite_db.unit_of_work() as s:
        actor, error = login(s, "kepala", "Pala-Banda-Neira")
        assert error == "" and actor == typed.actor
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions.count("office.recovery_code") == 2 and "account.recover" in actions


def test_staff_window_shows_queue_and_flags_the_one_hour_standard(qtbot, office_hours, office):
    now = utcnow()
    with office.session() as s:
        guestbook.register_visit(s, office.kiosk, visitor_answers(full_name="Lama Menunggu"),
                                 "Pembelian Produk Statistik Berbayar", at=now - timedelta(minutes=75))
        guestbook.register_visit(s, office.kiosk, visitor_answers(full_name="Baru Datang"),
                                 "Konsultasi Statistik", at=now - timedelta(minutes=5))
    window = MainWindow(office.db, office.officer)
    qtbot.addWidget(window)
    table = window.findChild(QTableWidget, "queueTable")
    assert table.rowCount() == 2
    assert [table.item(r, 0).text() for r in range(2)] == ["B-001", "C-001"]
    assert table.item(0, 1).text() == "Lama Menunggu" and table.item(0, 1).background().color() == OVERDUE
    assert table.item(1, 1).background().color() != OVERDUE
    assert "Petugas layanan" in window.centralWidget().findChild(QLabel).text()

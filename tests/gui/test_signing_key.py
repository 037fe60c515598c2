"""Administrasi → Kunci QR: the keys by number and fingerprint (never the key), a replacement that needs
a reason and a confirmation, and what it shows afterwards (pytest-qt, offscreen)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableWidget, QTabWidget
from sqlalchemy import select

from models import AuditEntry
from pstdesktop.config import Settings, sqlite_url
from pstdesktop.services.office import office_of
from tests.shots import shot
from ui.admin import AdminDialog
from ui.admin import keys as keys_module


def keys_tab(qtbot, office, tmp_path, actor=None) -> AdminDialog:
    settings = Settings(data_dir=tmp_path, database_url=sqlite_url(tmp_path / "pst.sqlite"))
    dialog = AdminDialog(office.db, settings, actor or office.supervisor)
    qtbot.addWidget(dialog)
    tabs = dialog.findChild(QTabWidget, "adminTabs")
    if tabs is not None:
        tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Kunci QR"))
    dialog.resize(1366, 768)
    dialog.show()
    return dialog


def test_replacing_the_key_needs_a_reason_and_a_yes_and_is_shown(qtbot, office, tmp_path, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(keys_module, "ask", lambda _parent, _title, text: asked.append(text) or True)
    dialog = keys_tab(qtbot, office, tmp_path)
    table = dialog.findChild(QTableWidget, "keyTable")
    assert table.rowCount() == 1 and table.item(0, 0).text() == "K1 (dipakai sekarang)"
    with office.session() as s:
        secret = office_of(s, office.office_id).signing_key
    assert all(secret[:12].upper() not in table.item(0, c).text().upper() for c in range(4))  # never the key
    button = dialog.findChild(QPushButton, "rotateKeyButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "alasan" in dialog.findChild(QLabel, "keyMessage").text() and not asked
    qtbot.keyClicks(dialog.findChild(QLineEdit, "keyReason"), "Cadangan di flashdisk hilang.")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked and "tetap dapat diperiksa" in asked[0]
    assert "K2" in dialog.findChild(QLabel, "keyMessage").text()
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["K2 (dipakai sekarang)", "K1"]
    assert table.item(1, 3).text().endswith("WIT") and table.item(0, 3).text() == "—"
    with office.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "office.signing_key_rotate"))
        assert entry.reason == "Cadangan di flashdisk hilang." and entry.actor_id == office.supervisor.account_id
    shot(dialog, tmp_path, "qr_key_tab.png")


def test_declining_the_confirmation_changes_nothing(qtbot, office, tmp_path, monkeypatch):
    monkeypatch.setattr(keys_module, "ask", lambda *_args: False)
    dialog = keys_tab(qtbot, office, tmp_path)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "keyReason"), "Uji")
    qtbot.mouseClick(dialog.findChild(QPushButton, "rotateKeyButton"), Qt.MouseButton.LeftButton)
    assert dialog.findChild(QTableWidget, "keyTable").rowCount() == 1


def test_other_roles_have_no_key_tab(qtbot, office, tmp_path):
    for actor in (office.officer, office.treasurer):
        dialog = keys_tab(qtbot, office, tmp_path, actor)
        assert dialog.findChild(QTableWidget, "keyTable") is None

"""Administrasi → Tarif, driven through the real widgets (pytest-qt, offscreen): the schedules and their
lines in Rupiah, a new schedule from a copy, editing a line of it, and the refusals in words."""

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication, QDateEdit, QLabel, QLineEdit, QPushButton, QTableWidget
from sqlalchemy import func, select

from models import AuditEntry, TariffLine, TariffSchedule
from pstdesktop.config import Settings, sqlite_url
from pstdesktop.services.office import office_today
from tests.gui.test_admin import LEFT, admin, click, in_modal, message, show_tab


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=sqlite_url(tmp_path / "pst.sqlite"))


def cells(table: QTableWidget, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def row_of(table: QTableWidget, text: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == text)


def tariff_tab(qtbot, office, settings):
    dialog = admin(qtbot, office, settings)
    show_tab(dialog, "Tarif")
    return dialog


def test_the_tab_shows_the_schedule_in_force_and_its_lines_in_rupiah(qtbot, office, settings):
    dialog = tariff_tab(qtbot, office, settings)
    schedules = dialog.findChild(QTableWidget, "scheduleTable")
    assert cells(schedules, 0) == ["PP13-2024", "Peraturan Pemerintah No. 13 Tahun 2024", "01-01-2024", "berlaku"]
    lines = dialog.findChild(QTableWidget, "tariffLineTable")
    assert lines.rowCount() == 7
    raw = row_of(lines, "Data mikro tanpa pengolahan (per dataset)")
    assert cells(lines, raw)[1:] == ["Rp20.000", "1.000.000 byte", "Rp20", "1.000 byte"]
    assert cells(lines, row_of(lines, "Peta WILKERSTAT Indonesia menurut desa"))[1] == "Rp36.000.000"
    assert "hanya dapat dibaca" in message(dialog, "scheduleState")


def test_make_a_schedule_from_a_copy_and_edit_a_line(qtbot, office, settings):
    dialog = tariff_tab(qtbot, office, settings)
    with office.session() as s:
        tomorrow = office_today(s, office.office_id) + timedelta(days=1)
    seen = {}

    def make(form):
        assert form.findChild(QDateEdit, "newScheduleEffective").date().toPython() == tomorrow
        qtbot.keyClicks(form.findChild(QLineEdit, "newScheduleCode"), "pp13-2024")
        qtbot.keyClicks(form.findChild(QLineEdit, "newScheduleRegulation"), "Peraturan BPS Nomor 5 Tahun 2026")
        qtbot.mouseClick(form.findChild(QPushButton, "newScheduleOk"), LEFT)
        seen["refused"] = form.isVisible() and message(form, "newScheduleMessage")
        code = form.findChild(QLineEdit, "newScheduleCode")
        code.clear()
        qtbot.keyClicks(code, "PP13-2024-REV1")
        qtbot.mouseClick(form.findChild(QPushButton, "newScheduleOk"), LEFT)

    in_modal(qtbot, make)
    click(qtbot, dialog, "newScheduleButton")
    assert "Nama jadwal 'pp13-2024' sudah dipakai" in seen["refused"]
    assert "PP13-2024-REV1 dibuat" in message(dialog, "tariffMessage")
    schedules = dialog.findChild(QTableWidget, "scheduleTable")
    assert cells(schedules, 0) == ["PP13-2024-REV1", "Peraturan BPS Nomor 5 Tahun 2026",
                                   tomorrow.strftime("%d-%m-%Y"), "akan berlaku"]
    assert schedules.selectionModel().selectedRows()[0].row() == 0
    assert "barisnya dapat diubah" in message(dialog, "scheduleState")

    lines = dialog.findChild(QTableWidget, "tariffLineTable")
    lines.selectRow(row_of(lines, "Data mikro tanpa pengolahan (per dataset)"))

    def edit(form):
        for name, text in (("tariffLineBaseAmount", "Rp25.000"), ("tariffLineStepAmount", "25"),
                           ("tariffLineStepQuantity", "0")):
            edit = form.findChild(QLineEdit, name)
            edit.clear()
            qtbot.keyClicks(edit, text)
        assert "Rp25.000 untuk 1.000.000 byte pertama" in form.findChild(QLabel, "tariffLineExample").text()
        qtbot.mouseClick(form.findChild(QPushButton, "tariffLineOk"), LEFT)
        seen["zero"] = form.isVisible() and message(form, "tariffLineMessage")
        step = form.findChild(QLineEdit, "tariffLineStepQuantity")
        step.clear()
        qtbot.keyClicks(step, "1.000")
        qtbot.mouseClick(form.findChild(QPushButton, "tariffLineOk"), LEFT)

    in_modal(qtbot, edit)
    click(qtbot, dialog, "editTariffLineButton")
    assert seen["zero"] == "Besar kelipatan harus lebih dari nol."
    assert "diubah" in message(dialog, "tariffMessage")
    raw = row_of(lines, "Data mikro tanpa pengolahan (per dataset)")
    assert cells(lines, raw)[1:] == ["Rp25.000", "1.000.000 byte", "Rp25", "1.000 byte"]
    with office.session() as s:
        assert s.scalar(select(func.count(AuditEntry.seq)).where(AuditEntry.action == "tariff.update")) == 1
        assert s.scalar(select(func.count(AuditEntry.seq)).where(AuditEntry.action == "tariff_schedule.create")) == 1


def test_editing_the_schedule_in_force_is_refused_in_words(qtbot, office, settings):
    dialog = tariff_tab(qtbot, office, settings)
    lines = dialog.findChild(QTableWidget, "tariffLineTable")
    lines.selectRow(0)
    click(qtbot, dialog, "editTariffLineButton")
    assert QApplication.activeModalWidget() is None  # no form to type into for nothing
    text = message(dialog, "tariffMessage")
    assert "PP13-2024 berlaku sejak 01-01-2024" in text and "Buat jadwal baru dari salinannya" in text
    with office.session() as s:
        assert s.scalar(select(TariffLine.base_amount).join(TariffSchedule)
                        .where(TariffSchedule.code == "PP13-2024").order_by(TariffLine.id).limit(1)) == 50_000

"""Qt's own dialogs in Indonesian: the file dialog, the print dialog and the standard buttons follow the
language through resources/translations/qtbase_id.qm, and English removes it again."""

from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QPushButton

import resources
from ui.i18n import set_language

TRANSLATIONS = Path(resources.path("translations"))


@pytest.fixture
def indonesian(qapp):
    set_language("id")
    yield
    set_language("id")


def texts(widget, kind) -> set[str]:
    return {child.text().replace("&", "") for child in widget.findChildren(kind)}


def test_file_dialog_speaks_indonesian(indonesian, qtbot):
    dialog = QFileDialog(None, "Simpan", str(TRANSLATIONS), "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    assert {"Lihat di:", "Nama berkas:", "Jenis berkas:"} <= texts(dialog, QLabel)
    buttons = {b.text().replace("&", "") for b in dialog.findChildren(QDialogButtonBox)[0].buttons()}
    assert {"Simpan", "Batal"} <= buttons


def test_print_dialog_and_message_box_buttons_speak_indonesian(indonesian, qtbot):
    printer = QPrinter()  # the dialog keeps a pointer to it
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    buttons = {b.text().replace("&", "") for b in dialog.findChildren(QPushButton)}
    assert {"Cetak", "Batal"} <= buttons
    box = QMessageBox(QMessageBox.Icon.Question, "PST", "?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert {b.text().replace("&", "") for b in box.buttons()} == {"Ya", "Tidak", "Batal"}


def test_english_removes_the_translation(qapp):
    set_language("en")
    try:
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        set_language("id")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Batal"
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "&Lihat di:"


def test_shipped_qm_holds_every_message_of_the_ts():
    """The .qm is compiled from the .ts (pyside6-lrelease resources/translations/qtbase_id.ts)."""
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / "qtbase_id.qm"))
    messages = [(context.findtext("name"), message.findtext("source"), message.findtext("translation"))
                for context in ElementTree.parse(TRANSLATIONS / "qtbase_id.ts").getroot().iter("context")
                for message in context.iter("message")]
    assert len(messages) > 300
    assert [m for m in messages if translator.translate(m[0], m[1]) != m[2]] == []

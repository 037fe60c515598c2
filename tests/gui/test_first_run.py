"""The first start of a PC (SQLite, no server): "Kantor baru di PC ini" goes on to the office's first-run
setup, closing the choice creates nothing, a PC that already has an office never sees it, and a renamed
file left by a move is named while no new office may be started beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton

import ui.app
from pstdesktop import server
from pstdesktop.bootstrap import open_url
from pstdesktop.config import Settings, sqlite_url
from tests.conftest import Office
from tests.gui.test_fit import assert_fits, screen, shown  # noqa: F401 - the screens of test_fit
from ui.admin.join import FirstRunDialog
from ui.login import LoginDialog
from ui.office_setup import SetupDialog

LEFT = Qt.MouseButton.LeftButton


def settings_in(folder) -> Settings:
    return Settings(data_dir=folder, database_url=sqlite_url(folder / "pst.sqlite"))


def test_a_new_office_on_this_pc_goes_on_to_the_setup(qtbot, tmp_path, monkeypatch):
    shown: list[str] = []

    def choose_new(dialog: FirstRunDialog):
        dialog.show()
        qtbot.mouseClick(dialog.findChild(QPushButton, "firstRunNew"), LEFT)
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", choose_new)
    monkeypatch.setattr(SetupDialog, "exec", lambda dialog: shown.append("setup") or QDialog.DialogCode.Rejected)
    assert ui.app._session(QApplication.instance(), settings_in(tmp_path)) == (0, False)
    assert shown == ["setup"] and (tmp_path / "pst.sqlite").exists()


def test_closing_the_choice_creates_nothing(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(FirstRunDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert ui.app._session(QApplication.instance(), settings_in(tmp_path)) == (0, False)
    assert not list(tmp_path.glob("pst.sqlite*"))


def test_a_pc_with_an_office_goes_straight_to_the_sign_in(qtbot, tmp_path, monkeypatch):
    db = open_url(sqlite_url(tmp_path / "pst.sqlite"))
    Office(db)
    db.dispose()
    asked: list[str] = []
    monkeypatch.setattr(FirstRunDialog, "exec", lambda dialog: asked.append("choice") or QDialog.DialogCode.Rejected)
    monkeypatch.setattr(LoginDialog, "exec", lambda dialog: asked.append("sign-in") or QDialog.DialogCode.Rejected)
    assert ui.app._session(QApplication.instance(), settings_in(tmp_path)) == (0, False)
    assert asked == ["sign-in"]


def test_a_renamed_file_is_named_and_no_new_office_is_offered(qtbot, tmp_path, monkeypatch):
    file = tmp_path / "pst.sqlite"
    db = open_url(sqlite_url(file))
    Office(db)
    db.dispose()
    moved = server.retire(file)
    assert moved.name.startswith("pst.moved-to-server-") and not file.exists() and server.holds_office(moved)
    assert server.moved_instead(file) == moved
    seen: list[FirstRunDialog] = []
    monkeypatch.setattr(FirstRunDialog, "exec", lambda dialog: seen.append(dialog) or QDialog.DialogCode.Rejected)
    assert ui.app._session(QApplication.instance(), settings_in(tmp_path)) == (0, False)
    notice = seen[0].findChild(QLabel, "firstRunMoved")
    assert moved.name in notice.text() and not notice.isHidden()
    assert not seen[0].new_button.isEnabled() and not file.exists()
    second = tmp_path / "pst.sqlite"
    db = open_url(sqlite_url(second))
    Office(db)
    db.dispose()
    assert server.retire(second).name == moved.name.replace(".sqlite", "-2.sqlite")


def test_the_server_screens_fit_every_screen(qtbot, tmp_path, screen):  # noqa: F811 - the fixture
    from ui.admin.join import JoinDialog, ServerDownDialog

    settings = Settings(data_dir=tmp_path, database_url="postgresql://pst@192.168.1.10/pst")
    check = server.Check("unreachable", host="192.168.1.10", port=5432)
    for dialog in (FirstRunDialog(), FirstRunDialog(tmp_path / "pst.moved-to-server-20261201.sqlite"),
                   JoinDialog(settings), JoinDialog(settings, supervisor=True, current=settings.database_url),
                   ServerDownDialog(settings, check)):
        assert_fits(shown(qtbot, dialog), screen)


def test_in_english_the_screens_speak_english(qtbot, tmp_path, monkeypatch):
    from ui.admin.join import ServerDownDialog

    monkeypatch.setattr("ui.i18n._language", "en")
    settings = Settings(data_dir=tmp_path, database_url="postgresql://pst@192.168.1.10/pst")
    down = ServerDownDialog(settings, server.Check("unreachable", host="192.168.1.10", port=5432))
    qtbot.addWidget(down)
    assert down.sentence.text().startswith("The office's database server 192.168.1.10 (port 5432) cannot be reached")
    assert [b.text() for b in (down.retry_button, down.change_button, down.close_button)] == \
        ["Try again", "Change the server…", "Close"]
    choice = FirstRunDialog(tmp_path / "pst.moved-to-server-20261201.sqlite")
    qtbot.addWidget(choice)
    assert "was moved to the server" in choice.findChild(QLabel, "firstRunMoved").text()
    assert choice.join_button.text().startswith("This PC uses the office server")

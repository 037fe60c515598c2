"""Before Qt starts on a Linux desktop, a missing xcb library is named in one line (exit 2), not Qt's abort."""

import pytest

from pstdesktop import desktop
from pstdesktop.cli import main

X11 = {"DISPLAY": ":0"}


@pytest.mark.parametrize(("environ", "platform", "expected"), [
    (X11, "linux", True),
    ({**X11, "QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({**X11, "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({**X11, "QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
    ({**X11, "XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({}, "linux", False),
    (X11, "win32", False),
    (X11, "darwin", False),
])
def test_xcb_is_checked_only_where_qt_uses_it(environ, platform, expected):
    assert desktop.uses_xcb(environ, platform) is expected


def test_missing_library_is_one_line_naming_its_package(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(desktop.sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(desktop, "loadable", lambda soname: soname != "libxcb-cursor.so.0")
    for command in ([], ["gui"], ["kiosk"]):
        assert main(["--data-dir", str(tmp_path), *command]) == 2
        captured = capsys.readouterr()
        lines = captured.err.splitlines()
        assert len(lines) == 1 and captured.out == "" and "Traceback" not in captured.err
        assert lines[0].startswith("pst: ") and " / " in lines[0]
        assert "belum terpasang: libxcb-cursor0;" in lines[0] and "not installed: libxcb-cursor0;" in lines[0]
        assert lines[0].endswith("sudo apt-get install -y libxcb-cursor0")
    assert not (tmp_path / "pst.sqlite").exists()


def test_all_present_or_offscreen_passes(monkeypatch):
    monkeypatch.setattr(desktop, "loadable", lambda soname: True)
    desktop.check_platform(X11, "linux")
    monkeypatch.setattr(desktop, "loadable", lambda soname: False)
    desktop.check_platform({**X11, "QT_QPA_PLATFORM": "offscreen"}, "linux")
    with pytest.raises(desktop.faults.Fault) as fault:
        desktop.check_platform(X11, "linux")
    assert fault.value.params["packages"] == " ".join(package for _soname, package in desktop.XCB_LIBRARIES)

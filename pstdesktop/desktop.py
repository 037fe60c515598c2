"""Before Qt starts on a Linux desktop: Qt's xcb platform plugin needs system libraries that a fresh
desktop often lacks (``libxcb-cursor0`` since Qt 6.5, and other ``libxcb-*``). Without them Qt aborts
with "could not load the Qt platform plugin"; ``check_platform`` names the missing Debian/Ubuntu
packages and the command that installs them instead, as one line and exit code 2."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from pstdesktop import faults

# the libraries PySide6's libqxcb.so and libQt6XcbQpa.so.6 link (ldd), and the Debian/Ubuntu package of each
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-util.so.1", "libxcb-util1"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-render.so.0", "libxcb-render0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-shm.so.0", "libxcb-shm0"),
    ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxcb.so.1", "libxcb1"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libX11.so.6", "libx11-6"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libfontconfig.so.1", "libfontconfig1"),
    ("libGL.so.1", "libgl1"),
    ("libEGL.so.1", "libegl1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
)


def uses_xcb(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when Qt will open its windows through X11 (xcb): Linux with a DISPLAY, and QT_QPA_PLATFORM unset
    or ``xcb`` (Qt prefers Wayland by itself in a Wayland session)."""
    environ = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux") or not environ.get("DISPLAY"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return not (environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"))


def loadable(soname: str) -> bool:
    """True when the dynamic loader finds and loads ``soname`` (as Qt's plugin would)."""
    import ctypes  # only on a Linux desktop with xcb

    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_packages(environ: Mapping[str, str] | None = None, platform: str | None = None) -> list[str]:
    """The packages of the xcb libraries that cannot be loaded; empty when Qt does not use xcb here."""
    if not uses_xcb(environ, platform):
        return []
    return [package for soname, package in XCB_LIBRARIES if not loadable(soname)]


def check_platform(environ: Mapping[str, str] | None = None, platform: str | None = None) -> None:
    """A Fault naming the missing packages and their ``apt-get`` command, before Qt would abort on them."""
    packages = missing_packages(environ, platform)
    if packages:
        raise faults.Fault("qt_libraries", packages=" ".join(packages))

"""Files and folders private to the user who runs the application: on POSIX a folder is 0700 and a
file 0600 (group and others lose every right). On Windows these helpers only create: the data folder
is in the user's own ``%LOCALAPPDATA%`` (and pgpass in ``%APPDATA%``), whose ACL already keeps every
other user out."""

from __future__ import annotations

import contextlib
import stat
import sys
from pathlib import Path

POSIX = sys.platform != "win32"


def private_dir(path: Path) -> Path:
    """The folder (created with its parents if missing), private."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return tighten(path)


def private_file(path: Path) -> Path:
    """The file (created empty if missing), private. An existing file is left as it is, its modification
    time too: the automatic backups read an untouched database file as unchanged."""
    with contextlib.suppress(FileExistsError):
        path.touch(mode=0o600, exist_ok=False)
    return tighten(path)


def tighten(path: Path) -> Path:
    """Take every right of group and others away from an existing file or folder (nothing when absent)."""
    if POSIX and path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o700)
    return path

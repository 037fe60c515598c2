"""One place for the screenshots tests save for a person to look at: ``$PST_SCREENSHOTS`` when set, else
the folder the test gives (its ``tmp_path``), never a fixed path."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget


def shot(widget: QWidget, folder: Path, name: str, *, size: tuple[int, int] | None = None) -> Path:
    """Save ``widget`` as the PNG ``name`` once its layouts have settled and return the path.

    With ``size`` the widget's window is resized to it and the whole window is saved."""
    if size is not None:
        widget = widget.window()
        widget.resize(*size)
    for _ in range(3):
        QApplication.processEvents()
    chosen = os.environ.get("PST_SCREENSHOTS")
    target = Path(chosen) if chosen else Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    path = target / name
    assert widget.grab().save(str(path)), f"the screenshot {path} was not saved"
    return path

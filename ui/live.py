"""Screens that follow the database by themselves: a ``LiveRefresh`` asks the database's change watcher
(``pstdesktop.live``) every second and emits ``changed`` when another PC, another window or another
process committed something. The check never waits; while a worker holds the database the refresh waits
for the next tick. ``kept_view`` keeps a table's selection and scroll position across a reload."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView

from pstdesktop import live
from pstdesktop.bootstrap import Database
from ui.officer import jobs

POLL_MS = 1_000
log = logging.getLogger(__name__)


class LiveRefresh(QObject):
    """Owns the watcher of one database and the timer that asks it; ``stop()`` closes both."""

    changed = Signal()

    def __init__(self, database: Database, parent: QObject | None = None, interval_ms: int = POLL_MS):
        super().__init__(parent)
        try:
            self.watcher: live.ChangeWatcher = live.watch(database.engine)
        except Exception:  # the server is gone for now: the screens' slow timed refresh still runs
            log.warning("no change watcher; screens refresh on their timer only", exc_info=True)
            self.watcher = live.NoWatcher()
        self.pending = False
        self.timer = QTimer(self)
        self.timer.setObjectName("liveRefreshTimer")
        self.timer.timeout.connect(self.poll)
        self.timer.start(interval_ms)

    def poll(self) -> None:
        if self.watcher.changed():
            self.pending = True
        if self.pending and not jobs.database_busy():
            self.pending = False
            self.changed.emit()

    def stop(self) -> None:
        self.timer.stop()
        self.watcher.close()
        self.watcher = live.NoWatcher()


@contextmanager
def kept_view(*views: QAbstractItemView) -> Iterator[None]:
    """Reload the views' rows inside the block; their scroll positions are put back afterwards."""
    positions = [(view, view.verticalScrollBar().value(), view.horizontalScrollBar().value()) for view in views]
    yield
    for view, vertical, horizontal in positions:
        view.verticalScrollBar().setValue(vertical)
        view.horizontalScrollBar().setValue(horizontal)

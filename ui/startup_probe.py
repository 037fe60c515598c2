"""The first-window probe of ``benchmarks/cold_start.py`` (``PST_STARTUP_PROBE=1``, nothing else sets it).

When the first window has been painted the program prints ``PST_STARTUP_PROBE shown``, then
``PST_STARTUP_PROBE quit`` and quits: the benchmark times the start to the first window up to the first
line and, apart from it, the exit from the second line to the end of the process. With ``ready`` (the
application's ``PST_STARTUP_PROBE=settled``) the quit waits until ``ready()`` is true — the database open,
the day's tasks done and the role windows loaded — to time the exit of a run that got that far. The bare
PySide6 window the benchmark compares with runs this same file."""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer


class FirstWindowProbe(QObject):
    """Made once the first window has been shown (not yet painted). It watches that window's own events
    only: a filter on the whole application would run Python for every event of every widget of the
    window (~15 ms for the sign-in's dozen widgets, next to ~1 ms for the bare label) and time itself."""

    def __init__(self, app, ready=None) -> None:
        super().__init__(app)
        self.app, self.ready = app, ready
        self.windows = [widget for widget in app.topLevelWidgets() if widget.isVisible()]
        if not self.windows:
            raise RuntimeError("FirstWindowProbe is made after the first window is shown")
        for window in self.windows:
            window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            for window in self.windows:
                window.removeEventFilter(self)
            QTimer.singleShot(0, self.shown)  # once the paint has been delivered
        return False

    def shown(self) -> None:
        self.say("PST_STARTUP_PROBE shown")
        self.leave()

    def leave(self) -> None:
        if self.ready is not None and not self.ready():
            QTimer.singleShot(20, self.leave)
            return
        self.say("PST_STARTUP_PROBE quit")
        self.app.quit()

    @staticmethod
    def say(line: str) -> None:
        if sys.stdout is not None:  # a windowed Windows program run without a pipe has none
            print(line, flush=True)

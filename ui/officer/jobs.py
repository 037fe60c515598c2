"""Long work off the GUI thread: checksums of big files, document rendering, the hand-over that
re-reads every file. A job that touches the database opens its own unit of work in its own thread;
while one runs, the screens skip their timed refresh (SQLite lets one writer in at a time).

The thread pool owns the runnable; the signal carrier lives in the GUI thread and is deleted there
(``deleteLater``) once its result has been handed over, so no Qt object dies in a worker thread. For the
same reason Python's cyclic garbage collector is paused while jobs run (it would otherwise run in
whichever thread allocates, and could destroy a window held in a reference cycle from a worker) and
run on the GUI thread when the last job is done."""

from __future__ import annotations

import gc
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal

_running: set[_Carrier] = set()
_database_jobs = 0
_gc_was_enabled = False


class _Carrier(QObject):
    progress = Signal(object, object)  # done, total
    finished = Signal(object)
    failed = Signal(object)


def _run(work: Callable, carrier: _Carrier) -> None:
    """In the worker thread: the work, then its result or its error (queued to the GUI thread)."""
    try:
        result = work(carrier.progress.emit)
    except Exception as error:  # handed to the screen, which says it in plain words
        carrier.failed.emit(error)
    else:
        carrier.finished.emit(result)


def _alive(callback: Callable) -> bool:
    """False when the screen the callback belongs to has been closed and deleted meanwhile."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def start(work: Callable, *, done: Callable, failed: Callable, progress: Callable | None = None,
          uses_database: bool = True) -> None:
    """Run ``work(progress)`` in the pool; ``done``/``failed``/``progress`` are called on the GUI thread."""
    global _database_jobs
    carrier = _Carrier()
    if progress is not None:
        carrier.progress.connect(lambda d, t: progress(d, t) if _alive(progress) else None)

    def finish(callback: Callable, value) -> None:
        global _database_jobs
        if carrier not in _running:
            return
        _running.discard(carrier)
        if uses_database:
            _database_jobs -= 1
        carrier.deleteLater()
        if not _running:
            _resume_gc()
        if _alive(callback):
            callback(value)

    carrier.finished.connect(lambda result: finish(done, result))
    carrier.failed.connect(lambda error: finish(failed, error))
    if not _running:
        _pause_gc()
    _running.add(carrier)
    if uses_database:
        _database_jobs += 1
    QThreadPool.globalInstance().start(lambda: _run(work, carrier))


def _pause_gc() -> None:
    global _gc_was_enabled
    _gc_was_enabled = gc.isenabled()
    gc.disable()


def _resume_gc() -> None:
    if _gc_was_enabled:
        gc.enable()
        gc.collect()  # here, on the GUI thread


def database_busy() -> bool:
    """True while a job holds (or waits for) the database."""
    return _database_jobs > 0


def running() -> int:
    return len(_running)

"""Entry point of ``pst`` and ``python -m pstdesktop`` (and of the PyInstaller bundle)."""

import atexit
import contextlib
import os
import sys
import threading

from pstdesktop import cli


def main(argv: list[str] | None = None) -> int:
    """``pst``: the command's exit code; after a window ran, the process ends at once (``end_at_once``)."""
    code = cli.main(argv)
    if "PySide6.QtWidgets" in sys.modules:
        end_at_once(code)
    return code


def end_at_once(code: int) -> None:
    """End the process once its windows are gone: wait for the threads that must finish (the exit backup's
    hand-over), run the exit handlers (the fault log is flushed, temporary folders removed), flush the
    standard streams, then leave without the interpreter's teardown of Qt's objects and some thousand
    modules — half a second after the window closed that nobody needs to wait for."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())

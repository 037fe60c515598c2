"""``pst`` in the built bundle: the console face of the one PST Desktop program.

The bundle holds one program with the one copy of the application's Python code: the windowed
"PST Desktop" executable. A windowed Windows program has no console of its own, so ``pst`` — a small
console executable beside it, built from this standard-library-only script — runs it with the same
arguments, passes its output through to the console and exits with its exit code. ``pst verify``,
``pst export ...`` and scheduled tasks therefore behave as a console program should, on every system.
(Outside the bundle ``pst`` is the ``pstdesktop.cli`` entry point itself.)"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO

PROGRAM = "PST Desktop"


def program_path(launcher: str) -> Path:
    """The windowed program next to this launcher."""
    return Path(launcher).resolve().with_name(PROGRAM + (".exe" if os.name == "nt" else ""))


def _relay(source: BinaryIO, target) -> None:
    """Copy what the program writes to this console as it comes (nothing is lost when there is none)."""
    sink = getattr(target, "buffer", None)
    for chunk in iter(lambda: source.read1(65536), b""):
        if sink is not None:
            sink.write(chunk)
            sink.flush()


def main(argv: list[str] | None = None, program: Path | None = None) -> int:
    program = program or program_path(sys.executable)
    command = [str(program), *(sys.argv[1:] if argv is None else argv)]
    try:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as error:
        print(f"pst: {program} tidak dapat dijalankan ({error}) / cannot be started ({error})", file=sys.stderr)
        return 2
    relays = [threading.Thread(target=_relay, args=pair, daemon=True)
              for pair in ((child.stdout, sys.stdout), (child.stderr, sys.stderr))]
    for relay in relays:
        relay.start()
    try:
        code = child.wait()
    except KeyboardInterrupt:  # Ctrl+C reaches this console program; the windowed one is told to stop
        child.terminate()
        code = child.wait()
    for relay in relays:
        relay.join()
    return code


if __name__ == "__main__":
    sys.exit(main())

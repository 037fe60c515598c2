"""Entry point of ``pst`` and ``python -m pstdesktop`` (and of the PyInstaller bundle)."""

import sys

from pstdesktop.cli import main

if __name__ == "__main__":
    sys.exit(main())

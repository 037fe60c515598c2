"""Files the application ships (fonts, icons, the tariff catalogue, translations).

``path()`` is the one way to find them, from a checkout, an installed wheel or a PyInstaller bundle
(which keeps this package's folder beside the frozen modules)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """Absolute path of a shipped resource; raises FileNotFoundError when it is missing."""
    target = ROOT.joinpath(*parts)
    if not target.exists():
        raise FileNotFoundError(f"resource not found: {'/'.join(parts)} (looked in {ROOT})")
    return target

#!/usr/bin/env bash
# The README's test command. On a Debian/Ubuntu machine it first installs what the tests need
# (the libraries Qt needs offscreen, fonts, PostgreSQL for the PostgreSQL tests, poppler and Xvfb),
# then creates .venv, installs the project with its dev extra, checks lint and the layer rules,
# and runs the whole suite on every core, then the unit and GUI tests again at an instant where UTC and the
# office are on different days, months and years. Extra arguments go to pytest (one process, and no second
# run).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libegl1 libgl1 libdbus-1-3 libfontconfig1 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libreoffice-calc
          fonts-dejavu-core postgresql poppler-utils xvfb python3-venv)
if command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"
.venv/bin/ruff check .
.venv/bin/lint-imports
if [ $# -gt 0 ]; then
  QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
  exit
fi
# One pytest-xdist worker per core, a test file each at a time (each worker has its own audit key folder
# and template database, tests/conftest.py).
workers=(-n auto --dist loadfile)
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "${workers[@]}"
# Dates must not depend on the hour the suite runs at: the unit and GUI tests again with the clock at
# 00:30 WIB / 01:30 WITA / 02:30 WIT on 1 January 2027 while UTC is still on 31 December 2026.
echo "Again at 2026-12-31T17:30Z (1 January in every Indonesian zone):"
PST_TEST_NOW=2026-12-31T17:30:00+00:00 QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q "${workers[@]}" \
  tests/unit tests/gui

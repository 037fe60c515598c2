"""Unexpected failures: staff see one plain line with a reference; the detail goes to a rotating log
file in the data folder (``logs/pst.log``, 5 × 1 MB).

The log holds where it failed (the traceback's files, lines and functions), the kind of error and,
for database errors, the SQL statement — never an error's own text, which can quote a visitor's
name or identity number, and never the SQL parameters (the engine hides them)."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

LOG = logging.getLogger("pst.faults")
LOG_FILE = Path("logs") / "pst.log"
_where: Path | None = None


def setup(data_dir: Path) -> Path:
    """Send fault records to ``data_dir/logs/pst.log`` (once per process). Returns the file. The file and
    its handler are made at the first record, so a start with no fault loads nothing for them."""
    global _where
    file = data_dir / LOG_FILE
    if _where != file:
        for old in list(LOG.handlers):
            LOG.removeHandler(old)
            old.close()
        LOG.addHandler(_AtFirstRecord(file))
        LOG.setLevel(logging.INFO)
        LOG.propagate = False
        _where = file
    return file


class _AtFirstRecord(logging.Handler):
    """Puts the rotating file handler of ``file`` in its own place at the first record, and hands it that."""

    def __init__(self, file: Path):
        super().__init__()
        self.file = file

    def emit(self, record: logging.LogRecord) -> None:
        from logging.handlers import RotatingFileHandler

        self.file.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(self.file, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        LOG.removeHandler(self)
        LOG.addHandler(handler)
        handler.handle(record)


def where() -> Path | None:
    return _where


def describe(error: BaseException) -> str:
    """The loggable account of ``error``: its kind, the SQL of a database error, and its traceback frames."""
    lines = [f"{type(error).__module__}.{type(error).__qualname__}"]
    statement = getattr(error, "statement", None)
    if isinstance(statement, str):
        lines.append("SQL: " + " ".join(statement.split())[:500])
    orig = getattr(error, "orig", None)
    if orig is not None:
        lines.append(f"driver: {type(orig).__module__}.{type(orig).__qualname__}")
    for frame in traceback.extract_tb(error.__traceback__):
        lines.append(f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}")
    return "\n".join(lines)


def record(error: BaseException) -> str:
    """Log ``error`` under a fresh short reference and return that reference."""
    import secrets  # at the first fault, not at start-up

    reference = secrets.token_hex(3).upper()
    LOG.error("[%s] %s", reference, describe(error))
    return reference


def unexpected(error: BaseException, language: str = "id") -> str:
    """The one line staff see for an unexpected failure (the detail is logged)."""
    reference = record(error)
    place = str(_where) if _where else "logs/pst.log"
    if language == "en":
        return (f"Something went wrong and nothing was saved (reference {reference}). Try again; if it "
                f"happens again, give this reference to whoever looks after the application (log: {place}).")
    return (f"Terjadi kesalahan dan tidak ada yang disimpan (kode {reference}). Coba lagi; bila terulang, "
            f"sampaikan kode ini kepada pengelola aplikasi (catatan: {place}).")

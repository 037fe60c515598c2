"""The PostgreSQL password file (pgpass), where libpq — and so psycopg, psql and pg_dump — finds the
password a connection URL leaves out. The application keeps server URLs without their password and
the password here: ``host:port:database:user:password``, with ``:`` and ``\\`` escaped by ``\\``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pstdesktop.private import private_file

if TYPE_CHECKING:  # SQLAlchemy is imported only for a server URL: an SQLite start does without it
    from sqlalchemy.engine import URL

DEFAULT_PORT = 5432


def location() -> Path:
    """Where libpq looks: ``PGPASSFILE``, else ``%APPDATA%\\postgresql\\pgpass.conf`` on Windows, else ``~/.pgpass``."""
    if os.environ.get("PGPASSFILE"):
        return Path(os.environ["PGPASSFILE"])
    if sys.platform == "win32":
        return Path(os.environ["APPDATA"]) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def has_password(url: str | None) -> bool:
    """True for a PostgreSQL URL that carries a password."""
    parsed = _parse(url)
    return parsed is not None and bool(parsed.password)


def without_password(url: str) -> str:
    """The URL with its password left out."""
    from sqlalchemy.engine import make_url

    return make_url(url)._replace(password=None).render_as_string(hide_password=False)


def store(url: str) -> str:
    """Write the URL's password into the pgpass file (in place of a line for the same host, port,
    database and user; first, so it wins over wildcard lines) and return the URL without it. A URL
    without a password comes back unchanged and nothing is written."""
    if not has_password(url):
        return url
    parsed = _parse(url)
    password = str(parsed.password)
    if "\n" in password or "\r" in password:
        raise ValueError("a password with a line break cannot be kept in the pgpass file")
    key = _key(parsed)
    file = location()
    lines = file.read_text(encoding="utf-8", errors="surrogateescape").splitlines() if file.exists() else []
    kept = [line for line in lines if line.lstrip().startswith("#") or _fields(line)[:4] != key]
    entry = ":".join(_escape(field) for field in (*key, password))
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = private_file(file.with_name(file.name + ".tmp"))
    tmp.write_text("\n".join([entry, *kept]) + "\n", encoding="utf-8", errors="surrogateescape", newline="\n")
    os.replace(tmp, file)
    return without_password(url)


def lookup(url: str) -> str | None:
    """The password the pgpass file holds for exactly this URL's host, port, database and user."""
    file, parsed = location(), _parse(url)
    if parsed is None or not file.is_file():
        return None
    key = _key(parsed)
    for line in file.read_text(encoding="utf-8", errors="surrogateescape").splitlines():
        fields = _fields(line)
        if not line.lstrip().startswith("#") and len(fields) >= 5 and fields[:4] == key:
            return fields[4]
    return None


def _parse(url: object) -> URL | None:
    """The parsed PostgreSQL URL, or None for anything else."""
    if not isinstance(url, str) or not url.startswith("postgresql"):
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url)
    except (ArgumentError, ValueError):
        return None


def _key(url: URL) -> list[str]:
    """host, port, database and user as libpq matches them (its defaults when the URL leaves them out)."""
    user = url.username or ""
    return [url.host or "localhost", str(url.port or DEFAULT_PORT), url.database or user, user]


def _escape(field: str) -> str:
    return field.replace("\\", "\\\\").replace(":", "\\:")


def _fields(line: str) -> list[str]:
    """The fields of a pgpass line, unescaped."""
    fields, current, chars = [], [], iter(line)
    for char in chars:
        if char == "\\":
            current.append(next(chars, ""))
        elif char == ":":
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    return [*fields, "".join(current)]

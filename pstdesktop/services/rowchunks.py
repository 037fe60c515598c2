"""The audited rows as the last clean ``pst verify`` saw them, so that a daily check reads each row's values
through SQLite once and hashes them in Python only where they changed (SQLite databases).

Every table's rows fall into chunks of ``CHUNK`` ids (the first also holds every id below, the last every
id above). A chunk is fingerprinted by SHA-256 of its rows' values as SQLite's ``json_array`` writes them,
and carries its share of the state digest (a chunk that held a REAL or a BLOB is never taken as unchanged).
The file lies beside the anchor file, outside the data folder, under an HMAC with the trail's key: a
writer of the database can neither read the key nor change the file, and a chunk whose fingerprint is
unchanged holds the very rows whose share was verified then."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterator

from pstdesktop import anchors
from pstdesktop.private import private_dir, tighten
from pstdesktop.services import audit

CHUNK = 4096
VERSION = 1


def path_of(url: str):
    file = anchors.anchor_file(url)
    return file.with_name(file.stem + ".rows.json")


def where(table: str, lo: int | None, hi: int | None) -> tuple[str, tuple]:
    """The WHERE clause of a chunk (the chain's own counter row left out) and its parameters."""
    parts, params, key = [], [], audit.ROW_KEY[table]
    if lo is not None:
        parts.append(f'"{key}" >= ?')
        params.append(lo)
    if hi is not None:
        parts.append(f'"{key}" < ?')
        params.append(hi)
    if table == "document_counter":
        parts.append(f"NOT (kind IS '{audit.CHAIN_KIND}' AND office_id IS {audit.CHAIN_OFFICE})")
    return (" WHERE " + " AND ".join(parts)) if parts else "", tuple(params)


def bounds(top: int | None) -> list[tuple[int | None, int | None]]:
    """The chunks of a table whose highest id is ``top``."""
    last = max(top or 0, 0) // CHUNK
    return [(None if k == 0 else k * CHUNK, None if k == last else (k + 1) * CHUNK) for k in range(last + 1)]


def load(url: str, key: bytes, database: str) -> dict[str, dict[str, list]]:
    """The chunks saved by the last clean verify of this database ({} when none, or not genuine)."""
    try:
        saved = json.loads(path_of(url).read_text(encoding="utf-8"))
        body = saved["body"]
        genuine = hmac.compare_digest(saved["mac"], _mac(key, body))
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not genuine or body.get("version") != VERSION or body.get("chunk") != CHUNK or body.get("database") != database:
        return {}
    return body["tables"]


def save(url: str, key: bytes, database: str, tables: dict[str, dict[str, list]]) -> None:
    body = {"version": VERSION, "chunk": CHUNK, "database": database, "tables": tables}
    file = path_of(url)
    private_dir(file.parent)
    temporary = file.with_name(file.name + ".new")
    temporary.write_text(json.dumps({"body": body, "mac": _mac(key, body)}), encoding="utf-8")
    tighten(temporary)
    temporary.replace(file)


def _mac(key: bytes, body: dict) -> str:
    return hmac.new(key, json.dumps(body, sort_keys=True, separators=(",", ":")).encode(), "sha256").hexdigest()


def digest(raw, key: bytes, saved: dict[str, dict[str, list]]) -> tuple[int, int, dict]:
    """(state digest, rows, chunks) of the rows stored now: a chunk whose fingerprint is the saved one (and
    held no REAL or BLOB then) counts its saved share, any other is read row by row."""
    total = count = 0
    tables: dict[str, dict[str, list]] = {}
    for table, columns in audit.AUDITED.items():
        values = ", ".join(f'"{c}"' for c in columns)
        known = saved.get(table, {})
        mine = tables[table] = {}
        row_key = audit.ROW_KEY[table]
        top = raw.one(f'SELECT max("{row_key}") FROM "{table}"')[0]
        for lo, hi in bounds(top):
            clause, params = where(table, lo, hi)
            try:  # json_array writes INTEGER, TEXT (every byte) and NULL exactly, a REAL with 15 digits
                text_, = raw.one(f"SELECT group_concat(\"{row_key}\" || ',' || json_array({values}), char(30)) "
                                 f'FROM "{table}"{clause}', params)
                fingerprint = hashlib.sha256((text_ or "").encode("utf-8")).hexdigest()
            except sqlite3.Error:  # a BLOB
                fingerprint = ""
            name = str(lo // CHUNK if lo is not None else 0)
            before = known.get(name)
            if fingerprint and before and before[0] == fingerprint:
                share, rows = int(before[1], 16), before[2]
            else:
                share = rows = 0
                for row_id, row, exact in rows_between(raw, key, table, clause, params):
                    share += audit.term(key, table, row_id, row)
                    rows += 1
                    fingerprint = fingerprint if exact else ""  # a REAL's 15 digits may hide a change
                share %= audit.MOD
            mine[name] = [fingerprint, f"{share:x}", rows]
            total += share
            count += rows
    return total % audit.MOD, count, tables


def rows_between(raw, key: bytes, table: str, clause: str, params: tuple) -> Iterator[tuple[int, str, bool]]:
    """(id, canonical row, no REAL or BLOB in it) of a table's rows in a chunk. SQLite's ``json_array``
    writes the canonical text of a row without REAL or BLOB values exactly as ``audit.row_text`` does (same
    JSON of the same values); other rows, and personal data (a keyed hash), are made by ``audit.row_text``."""
    columns = audit.AUDITED[table]
    if table in audit.HASHED:
        for found in raw.rows(audit._select_rows(table, clause), params):
            values = [audit.canon(v) for v in found[1:]]
            exact = not any(isinstance(v, float | bytes) for v in found[1:])
            yield found[0], audit.row_text(table, values, key), exact
        return
    values = ", ".join(f"CASE WHEN typeof(\"{c}\") IN ('real', 'blob') THEN NULL ELSE \"{c}\" END" for c in columns)
    inexact = " OR ".join(f"typeof(\"{c}\") IN ('real', 'blob')" for c in columns)
    row_key = audit.ROW_KEY[table]
    for row_id, text_, python in raw.rows(f'SELECT "{row_key}", json_array({values}), {inexact} FROM "{table}"'
                                          f'{clause}', params):
        if python:
            found = raw.one(audit._select_rows(table, f' WHERE "{row_key}" = ?'), (row_id,))
            text_ = audit.row_text(table, [audit.canon(v) for v in found[1:]], key)
        yield row_id, text_, not python

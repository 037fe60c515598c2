"""Checkpoints of the audit chain's head (sequence number and hash) kept where a writer of the database
cannot silently rewrite them: an append-only anchor file per database beside the audit key (outside the
data folder), the manifest beside every backup, and the treasurer's daily closing sheet (on paper).

The anchor file has one line per event, appended and never rewritten:

    A <seq> <hash> <database-uid> <utc>      a commit that wrote audit entries left this head
    V <seq> <hash> <database-uid> <utc>      ``pst verify`` found the chain and every row sound up to here
    R <seq> <hash> <database-uid> <utc>      a backup was restored: anchors above <seq> before it are void

A paper anchor is ``SEQ:HASH`` with at least the first 16 hex digits of the entry's hash."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pstdesktop.auditkey import folder
from pstdesktop.private import private_dir, tighten

SHORT = 16  # hex digits of a hash printed on paper
PAPER = re.compile(r"^\s*(\d+)\s*:\s*([0-9a-fA-F]{8,64})\s*$")


@dataclass(frozen=True)
class Anchor:
    """A checkpoint: entry ``seq`` had (a hash starting with) ``hash``; ``source`` says where it was read."""

    seq: int
    hash: str
    source: str
    kind: str = "A"
    database: str = ""
    at: str = ""

    def matches(self, full_hash: str) -> bool:
        return full_hash.startswith(self.hash.lower())

    def paper(self) -> str:
        return paper(self.seq, self.hash)


def paper(seq: int, full_hash: str) -> str:
    """``SEQ:HASH16``, as printed on the closing sheet."""
    return f"{seq}:{full_hash[:SHORT]}"


def parse_paper(text: str) -> Anchor | None:
    match = PAPER.match(text or "")
    return Anchor(int(match.group(1)), match.group(2).lower(), "paper") if match else None


def location_of(url: str) -> str:
    """The database's place (the SQLite file, or server/port/name), without user or password."""
    from sqlalchemy import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        name = parsed.database or ""
        return "sqlite:" + (str(Path(name).resolve()) if name and name != ":memory:" else name)
    return f"postgresql://{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def anchor_file(url: str) -> Path:
    digest = hashlib.sha256(location_of(url).encode("utf-8")).hexdigest()[:20]
    return folder() / "anchors" / f"{digest}.log"


def append(url: str, kind: str, seq: int, full_hash: str, database: str, at: datetime) -> None:
    """Add one line to the database's anchor file (created private)."""
    file = anchor_file(url)
    if not file.parent.exists():
        private_dir(file.parent)
    new = not file.exists()
    with open(file, "a", encoding="utf-8") as stream:
        if new:
            stream.write(f"# PST Desktop audit anchors of {location_of(url)}\n")
        stream.write(f"{kind} {seq} {full_hash} {database or '-'} {at.strftime('%Y-%m-%dT%H:%M:%SZ')}\n")
    if new:
        tighten(file)


def read(url: str) -> list[Anchor]:
    """Every line of the database's anchor file, in order (none when there is no file)."""
    file = anchor_file(url)
    found: list[Anchor] = []
    if not file.exists():
        return found
    with open(file, encoding="utf-8", errors="replace") as stream:
        for number, line in enumerate(stream, 1):
            parts = line.split()
            if len(parts) >= 3 and parts[0] in ("A", "V", "R") and parts[1].isdigit():
                found.append(Anchor(int(parts[1]), parts[2].lower(), f"{file.name}:{number}", parts[0],
                                    parts[3] if len(parts) > 3 else "", parts[4] if len(parts) > 4 else ""))
    return found


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def write_manifest(backup: Path, head: tuple[int, str] | None, database: str) -> Path:
    """The manifest beside a backup: the audit head inside the copy."""
    path = manifest_path(backup)
    content = {"audit_head": {"seq": head[0], "hash": head[1]} if head else None, "database": database,
               "file": backup.name}
    path.write_text(json.dumps(content, indent=1), encoding="utf-8")
    return tighten(path)


def from_manifests(backup_dir: Path | None) -> list[Anchor]:
    """The audit heads recorded in the manifests of the backups in ``backup_dir``."""
    found: list[Anchor] = []
    if backup_dir is None or not backup_dir.is_dir():
        return found
    for path in sorted(backup_dir.glob("*.sqlite.json")):
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
            head = content.get("audit_head")
            if head:
                found.append(Anchor(int(head["seq"]), str(head["hash"]).lower(), path.name, "B",
                                    str(content.get("database") or "")))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            continue
    return found


def in_force(lines: list[Anchor]) -> list[Anchor]:
    """The anchors still binding: a restore (R) voids the earlier anchors above its sequence number."""
    kept: list[Anchor] = []
    for anchor in lines:
        if anchor.kind == "R":
            kept = [a for a in kept if a.seq <= anchor.seq]
        kept.append(anchor)
    return kept


def head_of_file(path: Path) -> tuple[tuple[int, str] | None, str]:
    """((seq, hash) of the newest audit entry, database uid) inside an SQLite file, read-only."""
    import sqlite3

    from pstdesktop.soundness import read_only_uri

    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            head = connection.execute("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1").fetchone()
            epoch = connection.execute("SELECT snapshot FROM audit_entry WHERE entity = 'audit_epoch' AND "
                                       "entity_id = 0 ORDER BY seq DESC LIMIT 1").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None, ""
    try:
        database = json.loads(epoch[0]).get("database", "") if epoch else ""
    except (ValueError, AttributeError):
        database = ""
    return (tuple(head) if head else None), database


def note_backup(backup: Path) -> None:
    """The manifest of a backup just taken."""
    head, database = head_of_file(backup)
    write_manifest(backup, head, database)


def note_restore(database_file: Path, at: datetime) -> None:
    """A backup was restored into ``database_file``: checkpoints above its head are void from now on."""
    from pstdesktop.config import sqlite_url

    head, database = head_of_file(database_file)
    append(sqlite_url(database_file), "R", head[0] if head else 0, head[1] if head else "0" * 64, database, at)

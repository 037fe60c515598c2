"""Verifying the audit trail against the data and against every anchor known, on one consistent snapshot.

The check reads through the driver's own cursor (no ORM objects): the chain's links and keyed hashes,
then the state digest of every audited row as stored now against the digest of the newest entry. A daily
check starts at the last checkpoint ``pst verify`` left in the anchor file (a ``V`` line) whose entry is
unchanged; ``full`` re-reads the whole trail. Every row stored now is read either way; on SQLite a chunk of
rows unchanged since the last clean verify (``rowchunks``) counts its saved share of the digest. Only when
something is at odds are the rows compared one by one with their newest snapshot in the trail, to name
each table, row and column. So a daily check catches every change behind the application's back to the
rows, and to the trail since its checkpoint; a rewritten entry older than the checkpoint needs ``full``."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from pstdesktop import anchors as anchor_files
from pstdesktop import auditkey
from pstdesktop.services import audit, rowchunks
from pstdesktop.services.clock import utcnow

# what ``verify`` finds, in Indonesian and English
PROBLEMS: dict[str, tuple[str, str]] = {
    "missing": ("entri {first}..{last} hilang", "entries {first}..{last} are missing"),
    "altered": ("entri diubah: hash-nya tidak cocok dengan rantai", "entry altered: its hash does not match the chain"),
    "altered_run": ("entri {first}..{last} diubah: hash-nya tidak cocok dengan rantai berkunci (ditulis ulang)",
                    "entries {first}..{last} altered: their hashes do not match the keyed chain (rewritten)"),
    "short": ("penghitung jejak mencatat {written} entri, padahal jejak berakhir di {last}",
              "the trail's counter says {written} entries were written but the trail ends at {last}"),
    "added": ("baris tidak ada di jejak audit (ditambahkan di luar aplikasi)",
              "row is not in the audit trail (added behind the application's back)"),
    "changed": ("diubah di luar aplikasi ({detail})", "changed behind the application's back ({detail})"),
    "removed": ("baris dihapus di luar aplikasi", "row removed behind the application's back"),
    "carried": ("saldo yang dibawa tidak sama dengan jumlah transaksinya ({detail})",
                "carried balance differs from the sum of its movements ({detail})"),
    "no_epoch": ("jejak audit tidak memiliki entri epoch berkunci (dihapus atau ditulis ulang)",
                 "the audit trail has no keyed epoch entry (removed or rewritten)"),
    "digest": ("ringkasan keadaan baris tidak cocok dengan entri terakhir", "the state digest of the rows does not "
               "match the newest entry"),
    "anchor_beyond": ("titik periksa {seq}:{short} ({source}) melewati akhir jejak di {head}: entri terbaru "
                      "dihapus (jejak digulung balik)",
                      "checkpoint {seq}:{short} ({source}) lies beyond the end of the trail at {head}: the newest "
                      "entries were removed (the trail was rolled back)"),
    "anchor_differs": ("titik periksa {seq}:{short} ({source}) tidak cocok dengan entri {seq} ({found}): jejak "
                       "ditulis ulang", "checkpoint {seq}:{short} ({source}) does not match entry {seq} "
                       "({found}): the trail was rewritten"),
    "anchor_database": ("berkas titik periksa {source} mencatat basis data lain ({other}) di tempat ini: basis data "
                        "diganti", "the anchor file {source} records another database ({other}) at this place: "
                        "the database was replaced"),
}


@dataclass(frozen=True)
class Finding:
    """One row or audit entry at odds with the trail: ``problem`` in English, ``indonesian`` the same."""

    entity: str
    entity_id: int | None
    problem: str
    indonesian: str = ""

    @classmethod
    def of(cls, entity: str, entity_id: int | None, code: str, **params: object) -> Finding:
        indonesian, english = PROBLEMS[code]
        return cls(entity, entity_id, english.format(**params), indonesian.format(**params))

    def where(self) -> str:
        return f"{self.entity} #{self.entity_id}" if self.entity_id else self.entity

    def text(self) -> str:
        """``where: <Indonesian> / <English>``."""
        return f"{self.where()}: {self.indonesian or self.problem} / {self.problem}"

    def __str__(self) -> str:
        return f"{self.where()}: {self.problem}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    head: tuple[int, str] | None = None
    database: str = ""
    checked_from: int = 1
    entries: int = 0
    rows: int = 0
    anchors: int = 0
    full: bool = True
    chunks: dict = field(default_factory=dict)  # the rows' chunks (``rowchunks``), saved by a clean verify
    key: bytes = field(default=b"", repr=False)


class _Raw:
    """The driver's cursor of an SQLAlchemy connection, with ``?`` placeholders on every driver."""

    def __init__(self, connection) -> None:
        self.raw = connection.connection.driver_connection
        self.postgres = connection.dialect.name == "postgresql"

    def rows(self, sql: str, params: tuple = (), size: int = 5000):
        cursor = self.raw.cursor()
        cursor.execute(sql.replace("?", "%s") if self.postgres else sql, params)
        while True:
            batch = cursor.fetchmany(size)
            if not batch:
                break
            yield from batch
        cursor.close()

    def one(self, sql: str, params: tuple = ()):
        return next(iter(self.rows(sql, params, 1)), None)


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


ENTRY_COLUMNS = ("seq, at, actor_id, actor_name, action, entity, entity_id, from_state, to_state, reason, snapshot, "
                 "row_state, digest, prev_hash, hash")


def gather(url: str | None, backup_dir=None) -> tuple[list, list]:
    """The anchor file's lines and the backups' manifests. Read them *before* the snapshot is taken: an
    anchor is written after its commit, so every anchor read first lies within the snapshot."""
    return (anchor_files.read(url) if url else []), anchor_files.from_manifests(backup_dir)


def check(connection, *, url: str | None = None, full: bool = True, paper: list | None = None,
          backup_dir=None, gathered: tuple[list, list] | None = None) -> Report:
    """Verify the trail seen through ``connection`` (one snapshot) against the anchors ``gathered`` before
    it was taken (else read now). ``audit.KeyMissing`` when this PC lacks the trail's key."""
    raw = _Raw(connection)
    report = Report(full=full)
    found = raw.one("SELECT seq, snapshot FROM audit_entry WHERE entity = ? AND entity_id = 0 ORDER BY seq DESC "
                    "LIMIT 1",
                    (audit.EPOCH_ENTITY,))
    found = None if found is None else (found[0], _text(found[1]))
    head = raw.one("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")
    head = None if head is None else (head[0], head[1])
    report.head = head
    if found is None:
        if head is not None or any(True for _ in _all_current(raw, b"", None, limit=1)):
            report.findings.append(Finding.of("audit_entry", None, "no_epoch"))
        return report
    epoch_seq, info_text = found
    info = json.loads(info_text)
    key = auditkey.key_for(info["key"])
    if key is None:
        raise audit.KeyMissing(info["key"])
    report.database, report.key = info["database"], key
    known = _anchors(url, gathered or gather(url, backup_dir), paper or [], report)

    # where to start: the newest unchanged checkpoint, unless full
    start, checking = 1, known["all"]
    if not full and url is not None:
        for position in range(len(known["file"]) - 1, -1, -1):
            anchor = known["file"][position]
            if anchor.kind == "V" and head and anchor.seq <= head[0]:
                stored = raw.one("SELECT hash FROM audit_entry WHERE seq = ?", (anchor.seq,))
                if stored and stored[0] == anchor.hash:
                    # the file's anchors before it were checked by that verify; the later ones are checked now
                    start, checking = anchor.seq, known["file"][position:] + known["other"]
                break
    report.checked_from = start
    report.anchors = len(checking)

    # the chain
    by_seq: dict[int, list] = {}
    for anchor in checking:
        by_seq.setdefault(anchor.seq, []).append(anchor)
    untrusted: set[int] = set()
    altered: list[int] = []
    expected_seq, expected_prev = start, (audit.GENESIS if start <= 1 else None)
    entries, digest_text = 0, None
    keyed, legacy, canon, loads, dumps = audit.keyed_hash, audit.legacy_hash, audit.canon, json.loads, json.dumps
    for (seq, at, actor_id, actor_name, action, entity, entity_id, from_state, to_state, reason, snapshot, row,
         digest, prev_hash, hash_) in raw.rows(f"SELECT {ENTRY_COLUMNS} FROM audit_entry WHERE seq >= ? ORDER BY seq",
                                               (start,)):
        entries += 1
        if seq != expected_seq:
            report.findings.append(Finding.of("audit_entry", expected_seq, "missing", first=expected_seq,
                                              last=seq - 1))
        if expected_prev is None:  # the checkpoint's own hash was compared above
            expected_prev = prev_hash if seq == start else audit.GENESIS
        if seq < epoch_seq:
            computed = legacy(prev_hash, seq, at, actor_id, actor_name, action, entity, entity_id, from_state,
                              to_state, reason, loads(snapshot) if snapshot.__class__ is str else snapshot)
        else:
            computed = keyed(key, prev_hash, seq, at if at.__class__ is str else canon(at), actor_id, actor_name,
                             action, entity, entity_id, from_state, to_state, reason,
                             snapshot if snapshot.__class__ is str else dumps(snapshot), row, digest or "")
        if computed != hash_:
            untrusted.add(seq)
            altered.append(seq)
        elif prev_hash != expected_prev:
            altered.append(seq)
        if by_seq:
            for anchor in by_seq.pop(seq, ()):
                if not anchor.matches(hash_):
                    report.findings.append(Finding.of("audit_entry", seq, "anchor_differs", seq=seq,
                                                      short=anchor.hash[:16], source=anchor.source,
                                                      found=hash_[:16]))
        expected_seq, expected_prev, digest_text = seq + 1, hash_, digest
    report.entries = entries
    last_digest = int(digest_text or "0", 16)
    report.findings[:0] = _runs(altered)
    last = expected_seq - 1
    counter = raw.one("SELECT last_number FROM document_counter WHERE office_id = ? AND kind = ? AND period = ?",
                      (audit.CHAIN_OFFICE, audit.CHAIN_KIND, audit.CHAIN_PERIOD))
    written = counter[0] if counter else None
    if written is not None and written != last and head is not None:
        report.findings.append(Finding.of("audit_entry", None, "short", last=last, written=written))
    for seq, waiting in sorted(by_seq.items()):
        for anchor in waiting:
            if head is None or seq > head[0]:
                report.findings.append(Finding.of("audit_entry", seq, "anchor_beyond", seq=seq, short=anchor.hash[:16],
                                                  source=anchor.source, head=head[0] if head else 0))
                continue
            stored = raw.one("SELECT hash FROM audit_entry WHERE seq = ?", (seq,))
            if stored is None or not anchor.matches(stored[0]):
                report.findings.append(Finding.of("audit_entry", seq, "anchor_differs", seq=seq,
                                                  short=anchor.hash[:16], source=anchor.source,
                                                  found=stored[0][:16] if stored else "-"))

    # the rows: their digest against the newest entry's, and one by one when anything is at odds
    saved = rowchunks.load(url, key, report.database) if not full and url is not None and not raw.postgres else {}
    total, report.rows, report.chunks = state_digest(raw, key, last_digest, saved)
    if total != last_digest or report.findings:
        named = _name_rows(raw, key, epoch_seq, untrusted)
        report.findings.extend(named)
        if total != last_digest and not named:
            report.findings.append(Finding.of("audit_entry", None, "digest"))
    report.findings.extend(carried_findings(connection))
    return report


def carried_findings(connection) -> list[Finding]:
    """Each office's balances carried forward against the sums of all their movements (one aggregate query
    per kind of movement, over indexed columns)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from models import OfficeProfile
    from pstdesktop.services import positions

    findings = []
    with Session(bind=connection) as session:
        for office_id in session.scalars(select(OfficeProfile.id).order_by(OfficeProfile.id)):
            carried, summed = positions.carried_balance(session, office_id), positions.movement_sums(session, office_id)
            wrong = [f"{name}: {carried[name]} != {summed[name]}" for name in carried if carried[name] != summed[name]]
            if wrong:
                findings.append(Finding.of("carried_balance", office_id, "carried", detail=", ".join(wrong)))
    return findings


def _runs(altered: list[int]) -> list[Finding]:
    """One finding per run of consecutive altered entries."""
    found: list[Finding] = []
    start = previous = None
    for seq in [*altered, None]:
        if seq is not None and previous is not None and seq == previous + 1:
            previous = seq
            continue
        if start is not None:
            found.append(Finding.of("audit_entry", start, "altered") if start == previous else
                         Finding.of("audit_entry", start, "altered_run", first=start, last=previous))
        start = previous = seq
    return found


def state_digest(raw: _Raw, key: bytes, expected: int, saved: dict | None = None) -> tuple[int, int, dict]:
    """(state digest, rows, chunks) of every audited row stored now. On SQLite through ``rowchunks`` (the
    chunks unchanged since ``saved`` counted as saved); unless that total is ``expected``, or on PostgreSQL,
    by the exact Python rule (no chunks then)."""
    if not raw.postgres:
        try:
            total, rows, chunks = rowchunks.digest(raw, key, saved or {})
            if total == expected:
                return total, rows, chunks
        except sqlite3.Error:
            pass  # the exact rule below decides
    total = rows = 0
    for table, row_id, text_ in _all_current(raw, key, None):
        total += audit.term(key, table, row_id, text_)
        rows += 1
    return total % audit.MOD, rows, {}


def _all_current(raw: _Raw, key: bytes, only: str | None, limit: int | None = None):
    """(table, id, canonical row) of every audited row stored now (the chain's counter left out)."""
    count = 0
    for table, columns in audit.AUDITED.items():
        if only and table != only:
            continue
        chain_counter = table == "document_counter"
        kind, office = (columns.index("kind") + 1, columns.index("office_id") + 1) if chain_counter else (0, 0)
        for found in raw.rows(audit._select_rows(table)):
            if chain_counter and found[kind] == audit.CHAIN_KIND and found[office] == audit.CHAIN_OFFICE:
                continue
            yield table, found[0], audit.row_text(table, [audit.canon(v) for v in found[1:]], key)
            count += 1
            if limit and count >= limit:
                return


def _name_rows(raw: _Raw, key: bytes, epoch_seq: int, untrusted: set[int]) -> list[Finding]:
    """Each row at odds with its newest genuine snapshot, by table, id and column. A row that only entries
    which are not genuine describe is compared with the newest of those (the chain findings say the rest)."""
    latest: dict[tuple[str, int], str | None] = {}
    doubtful: dict[tuple[str, int], str | None] = {}
    for seq, entity, entity_id, row in raw.rows(
            "SELECT seq, entity, entity_id, row_state FROM audit_entry WHERE seq >= ? ORDER BY seq", (epoch_seq,)):
        if entity in audit.AUDITED:
            (doubtful if seq in untrusted else latest)[(entity, entity_id)] = row
    findings: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for table, row_id, row_text in _all_current(raw, key, None):
        seen.add((table, row_id))
        recorded = latest.get((table, row_id), doubtful.get((table, row_id)))
        if recorded is None:
            findings.append(Finding.of(table, row_id, "added"))
        elif recorded != row_text:
            try:
                before = json.loads(recorded)
            except ValueError:
                before = []
            now = json.loads(row_text)
            if not isinstance(before, list) or len(before) != len(now):
                findings.append(Finding.of(table, row_id, "added"))
                continue
            changed = [(c, b, n) for c, b, n in zip(audit.AUDITED[table], before, now, strict=True) if b != n]
            detail = ", ".join(f"{c}: {b!r} -> {n!r}" for c, b, n in changed) or "-"
            findings.append(Finding.of(table, row_id, "changed", detail=detail))
    for (table, row_id), recorded in latest.items():
        if recorded is not None and (table, row_id) not in seen:
            findings.append(Finding.of(table, row_id, "removed"))
    return findings


def _anchors(url: str | None, gathered: tuple[list, list], paper: list, report: Report) -> dict[str, list]:
    """The anchors that bind this database: its anchor file (restores honoured), the backups' manifests,
    and anchors read off paper."""
    file_lines, manifests_found = gathered
    last_restore = max((i for i, a in enumerate(file_lines) if a.kind == "R"), default=-1)
    others = sorted({a.database for a in file_lines[last_restore + 1:]
                     if a.database not in ("", "-", report.database)})
    for other in others:
        report.findings.append(Finding.of("audit_entry", None, "anchor_database",
                                          source=anchor_files.anchor_file(url).name, other=other))
    binding = [a for a in anchor_files.in_force(file_lines) if a.database == report.database]
    restored = min((a.seq for a in file_lines if a.kind == "R"), default=None)
    manifests = [a for a in manifests_found
                 if a.database in ("", report.database) and (restored is None or a.seq <= restored)]
    others = manifests + list(paper)
    return {"file": binding, "other": others, "all": binding + others}


def verify(session, *, full: bool = True, paper: list | None = None) -> list[Finding]:
    """Every inconsistency between the audited rows, the audit trail and the anchors (empty when all is
    well), seen through the session's transaction (its own writes audited first, as its commit would)."""
    audit.audit_pending(session)
    connection = session.connection()
    url = connection.engine.url.render_as_string(hide_password=True)
    return check(connection, url=url, full=full, paper=paper).findings


def checkpoint(url: str, report: Report) -> None:
    """Note in the anchor file that the trail and every row were sound up to ``report.head``, and save the
    rows' chunks for the next daily check."""
    if report.head is not None and not report.findings and report.database:
        if report.chunks:
            rowchunks.save(url, report.key, report.database, report.chunks)
        anchor_files.append(url, "V", report.head[0], report.head[1], report.database, utcnow())


def read_snapshot(engine):
    """A connection holding one consistent read snapshot that blocks no writer: a deferred read transaction
    on SQLite (WAL), REPEATABLE READ READ ONLY on PostgreSQL."""
    if engine.dialect.name == "postgresql":
        connection = engine.connect().execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        connection.begin()
        return connection
    connection = engine.connect().execution_options(pst_reader=True)
    connection.begin()  # a deferred BEGIN (pstdesktop.database)
    connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot is taken here
    return connection



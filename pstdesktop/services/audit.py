"""The append-only audit trail: a keyed hash chain over every audited row, and its verification.

Every table of the application is audited, every column of it (``AUDITED``, derived from the models;
``EXCLUDED`` says what is left out and why). Each entry says who did what, when, from which state to
which and why, and carries the whole row as the application left it (``row``, canonical JSON; NULL for a
removed row) and the running *state digest*: the sum mod 2^256 of ``HMAC(key, [table, id, values...])``
over the newest snapshot of every audited row. Entries are chained by HMAC-SHA256 with a key kept outside
the database (``pstdesktop.auditkey``): ``hash = HMAC(key, prev_hash + canonical entry)``, so write
access to the database alone cannot produce a trail that verifies.

A database that had an unkeyed trail (SHA-256, before issue 11) keeps it: its prefix is checked with the
old rule, then an *epoch* entry (keyed, naming the key and the database) seals it and a *baseline* entry
per existing row records every row as it was at the upgrade. A new database starts with its epoch.

Any write of an audited row through a session is audited: ``record`` when a service names the action,
and, at commit, an entry for every row a flush inserted, changed or deleted that no ``record`` covered
(the actor of the transaction's last ``record``, else "system")."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
import weakref
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from models import Account, AuditEntry, Base, DocumentCounter
from pstdesktop import auditkey
from pstdesktop.services.clock import utcnow
from pstdesktop.services.numbering import next_number

GENESIS = "0" * 64
CHAIN_OFFICE, CHAIN_KIND, CHAIN_PERIOD = 0, "audit", "chain"
EPOCH_ENTITY = "audit_epoch"
MOD = 1 << 256

# Left out of the audit, with the reason. The chain's own counter row (kind "audit") is checked against
# the chain instead (its value is the number of entries written).
EXCLUDED: dict[str, str] = {
    "audit_entry": "the trail itself",
    "ntpn_use": "a uniqueness guard derived from payment.ntpn and deposit.ntpn, which are audited",
    "request_search": "search text derived from the audited requests and visitors (services.search rebuilds it)",
    "receipt_search": "its request's search text keyed by the audited kuitansi (services.search rebuilds it)",
}
AUDITED: dict[str, tuple[str, ...]] = {
    table.name: tuple(sorted(column.name for column in table.columns))
    for table in Base.metadata.sorted_tables if table.name not in EXCLUDED
}
# the column that names a row of each audited table (``id``; ``office_id`` for one-row-per-office tables)
ROW_KEY: dict[str, str] = {
    table.name: table.primary_key.columns.values()[0].name
    for table in Base.metadata.sorted_tables if table.name in AUDITED
}
# Personal data the retention rule erases (services.retention), and the QR signing secrets: the trail keeps
# a keyed hash of each value, never the value, so a change is still named by column but an erased name does
# not live on in the trail and a signing key cannot be read from it.
HASHED: dict[str, tuple[str, ...]] = {
    "visitor": ("full_name", "phone", "email", "id_document_type", "id_document_number"),
    "signing_key": ("secret",),
}
_HASHED_AT = {table: tuple(AUDITED[table].index(c) for c in columns) for table, columns in HASHED.items()}
ENTITY_OF = {mapper.class_: mapper.local_table.name for mapper in Base.registry.mappers}


class KeyMissing(RuntimeError):
    """The trail is sealed with a key this PC does not hold."""

    def __init__(self, kid: str) -> None:
        self.kid = kid
        super().__init__(kid)


# --- canonical values ---------------------------------------------------------------------------------

def canon(value):
    """A stored value as the same JSON-able value on SQLite and PostgreSQL (raw driver values)."""
    if value is None or isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_text(table: str, values: list, key: bytes) -> str:
    """The canonical snapshot of a row: its values in the order of ``AUDITED[table]`` (sorted names), the
    ones in ``HASHED`` as a keyed hash."""
    for index in _HASHED_AT.get(table, ()):
        value = values[index]
        if value not in (None, ""):
            values[index] = "hmac:" + hmac.new(key, f"{table}\x1f{index}\x1f{value}".encode(), "sha256").hexdigest()[:32]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def term(key: bytes, table: str, row_id: int, text_: str | None) -> int:
    """The row's share of the state digest (0 for a removed row)."""
    if text_ is None:
        return 0
    mac = hmac.digest(key, f"{table}\x1f{row_id}\x1f{text_}".encode(), "sha256")
    return int.from_bytes(mac, "big")


def _select_rows(table: str, where: str = "") -> str:
    columns = ", ".join(f'"{c}"' for c in AUDITED[table])
    return f'SELECT "{ROW_KEY[table]}", {columns} FROM "{table}"{where}'


def current_row(connection, table: str, row_id: int, key: bytes) -> str | None:
    """The canonical snapshot of one row as stored now, read through ``connection`` (None when absent)."""
    found = connection.execute(text(_select_rows(table, f' WHERE "{ROW_KEY[table]}" = :id')), {"id": row_id}).fetchone()
    return None if found is None else row_text(table, [canon(v) for v in found[1:]], key)


# --- the entry's hash ---------------------------------------------------------------------------------

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_SORTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def keyed_hash(key: bytes, prev_hash: str, seq: int, at: str, actor_id, actor_name: str, action: str, entity: str,
               entity_id: int, from_state: str, to_state: str, reason: str, snapshot: str, row: str | None,
               digest: str) -> str:
    body = _COMPACT([seq, at, actor_id, actor_name, action, entity, entity_id, from_state, to_state, reason,
                     snapshot, row, digest])
    return hmac.digest(key, (prev_hash + body).encode("utf-8"), "sha256").hex()


def legacy_hash(prev_hash: str, seq: int, at: datetime | str, actor_id, actor_name, action, entity, entity_id,
                from_state, to_state, reason, snapshot: dict) -> str:
    """The unkeyed SHA-256 rule of the trail before the epoch (``at`` a UTC instant, or as SQLite stores it)."""
    body = _SORTED([seq, utc_iso(at), actor_id, actor_name, action, entity, entity_id, from_state, to_state,
                    reason, snapshot])
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def utc_iso(at: datetime | str) -> str:
    """``at`` (aware, naive UTC, or SQLite's ``YYYY-MM-DD HH:MM:SS.ffffff``) as ``datetime.isoformat`` writes
    the aware UTC instant."""
    if isinstance(at, str):
        if len(at) == 26 and at[10] == " " and at[19] == ".":  # SQLite's own text: no parsing needed
            return f"{at[:10]}T{at[11:19] if at.endswith('.000000') else at[11:]}+00:00"
        at = datetime.fromisoformat(at)
    return (at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)).isoformat()


# --- the chain's key and identity, per engine -------------------------------------------------------------

@dataclass(frozen=True)
class Seal:
    seq: int       # the epoch entry
    kid: str       # the key's id
    key: bytes
    database: str  # the database's uid


_SEALS: weakref.WeakKeyDictionary[Engine, Seal] = weakref.WeakKeyDictionary()


def epoch_row(connection) -> tuple | None:
    """(seq, snapshot text) of the epoch entry, or None."""
    found = connection.execute(text(
        "SELECT seq, snapshot FROM audit_entry WHERE entity = :e AND entity_id = 0 ORDER BY seq DESC LIMIT 1"),
        {"e": EPOCH_ENTITY}).fetchone()
    return None if found is None else (found[0], found[1] if isinstance(found[1], str) else json.dumps(found[1]))


def seal_of(session: Session, *, create: bool = True) -> Seal | None:
    """The seal of the session's database (the epoch is written, with the baseline, when there is none
    and ``create``); a ``KeyMissing`` when this PC lacks its key."""
    engine = session.get_bind()
    known = _SEALS.get(engine)
    if known is not None:
        return known
    found = epoch_row(session.connection())
    if found is None:
        if not create:
            return None
        return _write_epoch(session)
    seq, snapshot = found
    info = json.loads(snapshot)
    key = auditkey.key_for(info["key"])
    if key is None:
        raise KeyMissing(info["key"])
    seal = Seal(seq, info["key"], key, info["database"])
    _SEALS[engine] = seal
    return seal


def _head(session: Session) -> tuple[int, str, int]:
    """(seq, hash, digest) of the newest entry in this transaction's view."""
    cached = session.info.get("audit_head")
    if cached is not None:
        return cached
    found = session.connection().execute(text(
        "SELECT seq, hash, digest FROM audit_entry ORDER BY seq DESC LIMIT 1")).fetchone()
    head = (0, GENESIS, 0) if found is None else (found[0], found[1], int(found[2] or "0", 16))
    session.info["audit_head"] = head
    return head


def _append(session: Session, seal: Seal | None, *, actor_id, actor_name: str, action: str, entity: str,
            entity_id: int, from_state: str = "", to_state: str = "", reason: str = "", snapshot: dict | None = None,
            row: str | None = None, old_row: str | None = None, key: bytes | None = None) -> AuditEntry:
    key = key if key is not None else seal.key
    seq = next_number(session, CHAIN_OFFICE, CHAIN_KIND, CHAIN_PERIOD)
    head_seq, prev_hash, digest = _head(session) if seq > 1 else (0, GENESIS, 0)
    if head_seq != seq - 1:  # a gap (should never happen): read the real predecessor
        session.info.pop("audit_head", None)
        head_seq, prev_hash, digest = _head(session)
    if entity in AUDITED:
        digest = (digest - term(key, entity, entity_id, old_row) + term(key, entity, entity_id, row)) % MOD
    digest_hex = f"{digest:064x}"
    at = utcnow()
    snapshot_text = json.dumps(snapshot or {})
    entry = AuditEntry(seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action, entity=entity,
                       entity_id=entity_id, from_state=from_state, to_state=to_state, reason=reason,
                       snapshot=json.loads(snapshot_text), row_state=row, digest=digest_hex, prev_hash=prev_hash)
    entry.hash = keyed_hash(key, prev_hash, seq, canon(at), actor_id, actor_name, action, entity, entity_id,
                            from_state, to_state, reason, snapshot_text, row, digest_hex)
    session.add(entry)
    session.flush()
    session.info["audit_head"] = (seq, entry.hash, digest)
    session.info["audit_wrote"] = True
    if entity in AUDITED:
        session.info.setdefault("audit_rows", {})[(entity, entity_id)] = row
    return entry


def _write_epoch(session: Session) -> Seal:
    """Seal the trail: the epoch entry (keyed with this PC's default key), then one baseline entry per
    existing audited row."""
    kid, key = auditkey.default_key()
    connection = session.connection()
    previous = connection.execute(text("SELECT count(*) FROM audit_entry")).scalar()
    seal_info = {"key": kid, "database": uuid.uuid4().hex, "previous_entries": previous,
                 "previous_rule": "sha256" if previous else "none"}
    session.info.pop("audit_head", None)
    entry = _append(session, None, actor_id=None, actor_name="system", action="audit.epoch", entity=EPOCH_ENTITY,
                    entity_id=0, snapshot=seal_info, key=key)
    seal = Seal(entry.seq, kid, key, seal_info["database"])
    _SEALS[session.get_bind()] = seal
    _write_baseline(session, seal, entry)
    return seal


def _write_baseline(session: Session, seal: Seal, epoch: AuditEntry) -> None:
    """One ``audit.baseline`` entry per existing audited row, written in bulk (a five-year database has
    about a million rows), then the chain's counter moved past them."""
    connection = session.connection()
    seq, prev, digest = epoch.seq, epoch.hash, 0
    at = utcnow()
    at_text = canon(at)
    batch: list[dict] = []
    table_of_entries = AuditEntry.__table__
    for table in AUDITED:
        for found in connection.execute(text(_select_rows(table, f' ORDER BY "{ROW_KEY[table]}"'))).yield_per(5000):
            if table == "document_counter" and _is_chain_counter(found):
                continue
            row = row_text(table, [canon(v) for v in found[1:]], seal.key)
            seq += 1
            digest = (digest + term(seal.key, table, found[0], row)) % MOD
            digest_hex = f"{digest:064x}"
            hash_ = keyed_hash(seal.key, prev, seq, at_text, None, "system", "audit.baseline", table, found[0], "",
                               "", "", "{}", row, digest_hex)
            batch.append({"seq": seq, "at": at, "actor_id": None, "actor_name": "system", "action": "audit.baseline",
                          "entity": table, "entity_id": found[0], "from_state": "", "to_state": "", "reason": "",
                          "snapshot": {}, "row_state": row, "digest": digest_hex, "prev_hash": prev, "hash": hash_})
            prev = hash_
            if len(batch) >= 5000:
                connection.execute(table_of_entries.insert(), batch)
                batch = []
    if batch:
        connection.execute(table_of_entries.insert(), batch)
    if seq > epoch.seq:
        counter = session.scalars(select(DocumentCounter).where(
            DocumentCounter.office_id == CHAIN_OFFICE, DocumentCounter.kind == CHAIN_KIND,
            DocumentCounter.period == CHAIN_PERIOD)).one()
        counter.last_number = seq
        session.flush()
    session.info["audit_head"] = (seq, prev, digest)


def seal(session: Session) -> Seal:
    """The trail sealed (see ``seal_of``); called when a database is created or upgraded."""
    return seal_of(session)


def _is_chain_counter(found) -> bool:
    values = dict(zip(AUDITED["document_counter"], found[1:], strict=True))
    return values["kind"] == CHAIN_KIND and values["office_id"] == CHAIN_OFFICE


# --- writing ----------------------------------------------------------------------------------------------

def _last_row(session: Session, entity: str, entity_id: int, epoch: int) -> str | None:
    recorded = session.info.get("audit_rows", {})
    if (entity, entity_id) in recorded:
        return recorded[(entity, entity_id)]
    found = session.connection().execute(text(
        "SELECT row_state FROM audit_entry WHERE entity = :e AND entity_id = :i AND seq >= :s ORDER BY seq DESC LIMIT 1"),
        {"e": entity, "i": entity_id, "s": epoch}).fetchone()
    return None if found is None else found[0]


def record(session: Session, actor: Account | None, action: str, row, *, from_state: str = "",
           to_state: str = "", reason: str = "", extra: dict | None = None) -> AuditEntry:
    """Append an entry for ``row`` (flushed first so it has its id and final values)."""
    session.flush()
    seal_ = seal_of(session)
    entity = ENTITY_OF.get(type(row), type(row).__tablename__)
    row_id = getattr(row, ROW_KEY.get(entity, "id"))
    snapshot = {"_extra": {k: _plain(v) for k, v in extra.items()}} if extra else {}
    current = current_row(session.connection(), entity, row_id, seal_.key) if entity in AUDITED else None
    old = _last_row(session, entity, row_id, seal_.seq) if entity in AUDITED else None
    if actor is not None:
        session.info["audit_actor"] = (actor.id, actor.full_name)
    return _append(session, seal_, actor_id=actor.id if actor else None,
                   actor_name=actor.full_name if actor else "system", action=action, entity=entity,
                   entity_id=row_id, from_state=from_state, to_state=to_state, reason=reason, snapshot=snapshot,
                   row=current, old_row=old)


def _audited_key(obj) -> tuple[str, int] | None:
    """(table, row key) of an audited ORM row, None for others and for the chain's own counter."""
    table = ENTITY_OF.get(type(obj))
    if table not in AUDITED:
        return None
    if table == "document_counter" and obj.kind == CHAIN_KIND and obj.office_id == CHAIN_OFFICE:
        return None
    row_id = getattr(obj, ROW_KEY[table], None)
    return None if row_id is None else (table, row_id)


def _changing(session: Session, _context, _instances) -> None:
    """Before a flush: remember the changed rows, since a value set as an SQL expression (``column + 1``) no
    longer shows as a change once flushed."""
    touched = session.info.setdefault("audit_touched", set())
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False) and (key := _audited_key(obj)) is not None:
            touched.add(key)


def _touched(session: Session, _context) -> None:
    """After a flush: remember every audited row it inserted, changed or deleted."""
    touched = session.info.setdefault("audit_touched", set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        if (key := _audited_key(obj)) is not None:
            touched.add(key)


def _record_touched(session: Session) -> None:
    """Before commit: an entry for every touched row whose stored state no entry of this transaction has."""
    for _round in range(10):
        session.flush()
        touched = session.info.pop("audit_touched", set())
        if not touched:
            return
        seal_ = seal_of(session)
        actor_id, actor_name = session.info.get("audit_actor", (None, "system"))
        connection = session.connection()
        for table, row_id in sorted(touched):
            current = current_row(connection, table, row_id, seal_.key)
            old = _last_row(session, table, row_id, seal_.seq)
            if current == old:
                continue
            action = f"{table}.{'write' if current is not None else 'delete'}"
            _append(session, seal_, actor_id=actor_id, actor_name=actor_name, action=action, entity=table,
                    entity_id=row_id, row=current, old_row=old)


def audit_pending(session: Session) -> None:
    """Audit now what the session's commit would (before a check inside the same transaction)."""
    if session.in_transaction():
        _record_touched(session)


def _committed(session: Session) -> None:
    """After commit: the new head goes into the anchor file."""
    wrote = session.info.pop("audit_wrote", False)
    head = session.info.pop("audit_head", None)
    session.info.pop("audit_rows", None)
    session.info.pop("audit_actor", None)
    if not wrote or head is None:
        return
    seal_ = _SEALS.get(session.get_bind())
    from pstdesktop import anchors

    try:
        anchors.append(str(session.get_bind().url.render_as_string(hide_password=True)), "A", head[0], head[1],
                       seal_.database if seal_ else "", utcnow())
    except OSError:
        pass  # an anchor is a help to verify, never a reason to lose a committed write


def _forget(session: Session, _transaction=None) -> None:
    for name in ("audit_touched", "audit_head", "audit_rows", "audit_wrote", "audit_actor"):
        session.info.pop(name, None)


event.listen(Session, "before_flush", _changing)
event.listen(Session, "after_flush", _touched)
event.listen(Session, "before_commit", _record_touched)
event.listen(Session, "after_commit", _committed)
event.listen(Session, "after_soft_rollback", _forget)


def row_of(entry: AuditEntry) -> dict:
    """The row an entry left, by column (``HASHED`` values as their keyed hash); {} when it left none."""
    if not entry.row_state or entry.entity not in AUDITED:
        return {}
    return dict(zip(AUDITED[entry.entity], json.loads(entry.row_state), strict=True))


def history(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(
        AuditEntry.entity == entity, AuditEntry.entity_id == entity_id).order_by(AuditEntry.seq)))


def next_number_peek(session_or_connection) -> int | None:
    statement = select(DocumentCounter.last_number).where(
        DocumentCounter.office_id == CHAIN_OFFICE, DocumentCounter.kind == CHAIN_KIND,
        DocumentCounter.period == CHAIN_PERIOD)
    return session_or_connection.execute(statement).scalar()


def head_of(connection) -> tuple[int, str] | None:
    """(seq, hash) of the newest entry."""
    found = connection.execute(text("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")).fetchone()
    return None if found is None else (found[0], found[1])


from pstdesktop.services.verification import Finding, verify  # noqa: E402,F401  (the verifying half)

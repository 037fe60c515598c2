"""The append-only audit trail and its verification.

Each entry stores who did what, when, from which state to which and why, plus a snapshot of the
audited fields of the record it touched (money, numbers, states). Entries are chained by SHA-256:
``hash = sha256(prev_hash + canonical entry)``. ``verify`` recomputes the chain and compares every
audited row with its latest snapshot, so a row changed, added or removed with plain SQL, or an
audit entry edited or deleted, is reported."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Account,
    AuditEntry,
    DailyClosing,
    Deposit,
    DocumentCounter,
    Invoice,
    OfficeProfile,
    Payment,
    Receipt,
    Refund,
    ServiceRequest,
    TariffLine,
)
from pstdesktop.services import positions
from pstdesktop.services.clock import utcnow
from pstdesktop.services.numbering import next_number

GENESIS = "0" * 64
CHAIN_OFFICE, CHAIN_KIND, CHAIN_PERIOD = 0, "audit", "chain"

# entity name -> (model, audited fields)
AUDITED: dict[str, tuple[type, tuple[str, ...]]] = {
    "service_request": (ServiceRequest, ("number", "state", "visitor_id", "channel")),
    "invoice": (Invoice, ("number", "request_id", "normal_total", "total", "status", "billing_code")),
    "payment": (Payment, ("invoice_id", "method", "amount", "ntpn", "ntb", "billing_code")),
    "receipt": (Receipt, ("number", "payment_id", "amount", "status", "received_from")),
    "deposit": (Deposit, ("ntpn", "amount", "deposited_on")),
    "refund": (Refund, ("payment_id", "amount", "method", "refunded_on")),
    "tariff_line": (TariffLine, ("schedule_id", "product_id", "base_amount", "base_quantity",
                                 "step_amount", "step_quantity")),
    "office_profile": (OfficeProfile, ("name", "unit_code", "treasurer_name", "treasurer_nip",
                                       "satker_code", "time_zone", "materai_amount")),
    "account": (Account, ("username", "role", "active")),
    "daily_closing": (DailyClosing, ("day", "totals")),
}
ENTITY_OF = {model: name for name, (model, _fields) in AUDITED.items()}


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot_of(row) -> dict:
    _model, fields = AUDITED[ENTITY_OF[type(row)]]
    return {name: _plain(getattr(row, name)) for name in fields}


def entry_hash(entry: AuditEntry) -> str:
    body = json.dumps(
        [entry.seq, entry.at.isoformat(), entry.actor_id, entry.actor_name, entry.action, entry.entity,
         entry.entity_id, entry.from_state, entry.to_state, entry.reason, entry.snapshot],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256((entry.prev_hash + body).encode("utf-8")).hexdigest()


def record(session: Session, actor: Account | None, action: str, row, *, from_state: str = "",
           to_state: str = "", reason: str = "", extra: dict | None = None) -> AuditEntry:
    """Append an entry for ``row`` (flushed first so it has its id and final values)."""
    session.flush()
    seq = next_number(session, CHAIN_OFFICE, CHAIN_KIND, CHAIN_PERIOD)
    previous = session.get(AuditEntry, seq - 1) if seq > 1 else None
    snapshot = snapshot_of(row) if type(row) in ENTITY_OF else {}
    if extra:
        snapshot = {**snapshot, "_extra": {k: _plain(v) for k, v in extra.items()}}
    entry = AuditEntry(
        seq=seq, at=utcnow(), actor_id=actor.id if actor else None,
        actor_name=actor.full_name if actor else "system", action=action,
        entity=ENTITY_OF.get(type(row), type(row).__tablename__), entity_id=row.id,
        from_state=from_state, to_state=to_state, reason=reason, snapshot=snapshot,
        prev_hash=previous.hash if previous else GENESIS,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry


# what ``verify`` finds, in Indonesian and English
PROBLEMS: dict[str, tuple[str, str]] = {
    "missing": ("entri {first}..{last} hilang", "entries {first}..{last} are missing"),
    "altered": ("entri diubah: hash-nya tidak cocok dengan rantai", "entry altered: its hash does not match the chain"),
    "short": ("jejak berakhir di {last} padahal {written} entri telah ditulis",
              "the trail ends at {last} but {written} entries were written"),
    "added": ("baris tidak ada di jejak audit (ditambahkan di luar aplikasi)",
              "row is not in the audit trail (added behind the application's back)"),
    "changed": ("diubah di luar aplikasi ({detail})", "changed behind the application's back ({detail})"),
    "removed": ("baris dihapus di luar aplikasi", "row removed behind the application's back"),
    "carried": ("saldo yang dibawa tidak sama dengan jumlah transaksinya ({detail})",
                "carried balance differs from the sum of its movements ({detail})"),
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


def verify(session: Session) -> list[Finding]:
    """Every inconsistency between the audited rows and the audit trail (empty when all is well)."""
    findings: list[Finding] = []
    latest: dict[tuple[str, int], dict] = {}
    expected_prev, expected_seq = GENESIS, 1
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)):
        if entry.seq != expected_seq:
            findings.append(Finding.of("audit_entry", expected_seq, "missing", first=expected_seq, last=entry.seq - 1))
        if entry.prev_hash != expected_prev or entry_hash(entry) != entry.hash:
            findings.append(Finding.of("audit_entry", entry.seq, "altered"))
        expected_prev, expected_seq = entry.hash, entry.seq + 1
        if entry.entity in AUDITED:
            snapshot = {k: v for k, v in entry.snapshot.items() if k != "_extra"}
            latest[(entry.entity, entry.entity_id)] = snapshot
    head = next_number_peek(session)
    if head is not None and head != expected_seq - 1:
        findings.append(Finding.of("audit_entry", None, "short", last=expected_seq - 1, written=head))
    for entity, (model, fields) in AUDITED.items():
        seen: set[int] = set()
        for row in session.scalars(select(model).execution_options(yield_per=2000)):
            seen.add(row.id)
            snap = latest.get((entity, row.id))
            if snap is None:
                findings.append(Finding.of(entity, row.id, "added"))
                continue
            current = snapshot_of(row)
            changed = [f for f in fields if current[f] != snap.get(f)]
            if changed:
                detail = ", ".join(f"{f}: {snap.get(f)!r} -> {current[f]!r}" for f in changed)
                findings.append(Finding.of(entity, row.id, "changed", detail=detail))
        for (ent, ent_id) in latest:
            if ent == entity and ent_id not in seen:
                findings.append(Finding.of(entity, ent_id, "removed"))
    return findings + carried_findings(session)


def carried_findings(session: Session) -> list[Finding]:
    """Each office's balances carried forward against the sums of their movements."""
    findings = []
    for office_id in session.scalars(select(OfficeProfile.id).order_by(OfficeProfile.id)):
        carried, summed = positions.carried_balance(session, office_id), positions.movement_sums(session, office_id)
        wrong = [f"{name}: {carried[name]} != {summed[name]}" for name in carried if carried[name] != summed[name]]
        if wrong:
            findings.append(Finding.of("carried_balance", office_id, "carried", detail=", ".join(wrong)))
    return findings


def next_number_peek(session: Session) -> int | None:
    return session.scalar(select(DocumentCounter.last_number).where(
        DocumentCounter.office_id == CHAIN_OFFICE, DocumentCounter.kind == CHAIN_KIND,
        DocumentCounter.period == CHAIN_PERIOD))


def history(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(
        AuditEntry.entity == entity, AuditEntry.entity_id == entity_id).order_by(AuditEntry.seq)))

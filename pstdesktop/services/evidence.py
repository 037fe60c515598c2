"""Evidence held with the database so every PC opens it: transfer proofs, scanned kuitansi and SPPDs.

A file is stored once per office by its SHA-256 (size, media type and the name it had when first
stored come with it), at most ``EVIDENCE_MAX_BYTES``, and is never deleted. The services that link a
file to a payment, kuitansi or SPPD call :func:`store` in their own transaction."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from exports.text import short_size, size_text
from models import EVIDENCE_MAX_BYTES, Account, Evidence, Invoice, Payment, Receipt, SppdAgreement
from pstdesktop.services import audit, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import NotFound, ValidationError

KINDS = (".pdf", ".jpg", ".jpeg", ".png")  # what a scan or a proof arrives as


@dataclass(frozen=True)
class EvidenceFile:
    """A stored file as the screens show it (without its bytes)."""

    evidence_id: int
    file_name: str
    size_bytes: int
    sha256: str
    media_type: str


def read(field: str, path: str | Path | None) -> tuple[str, bytes]:
    """(file name, bytes) of the file at ``path``: refused when missing, unreadable, empty or over the
    limit, before anything is written."""
    if not path:
        raise ValidationError("required", field)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > EVIDENCE_MAX_BYTES:
            raise ValidationError("evidence_too_large", field, name=path.name, size=size_text(size),
                                  limit=short_size(EVIDENCE_MAX_BYTES))
        content = path.read_bytes()
    except (OSError, ValueError):
        raise ValidationError("file_missing", field, path=str(path)) from None
    if not content:
        raise ValidationError("evidence_empty", field, name=path.name)
    if len(content) > EVIDENCE_MAX_BYTES:  # grew while being read
        raise ValidationError("evidence_too_large", field, name=path.name, size=size_text(len(content)),
                              limit=short_size(EVIDENCE_MAX_BYTES))
    return path.name, content


def store(session: Session, account: Account, field: str, path: str | Path | None, *,
          request_id: int | None = None) -> Evidence:
    """The evidence row holding the file at ``path``: the one already stored with the same SHA-256, or a
    new one (audited: name, size and SHA-256, not the bytes). With ``request_id``, a file that request
    already holds as another kind of evidence (``field``: proof_file, receipt_scan, sppd_scan,
    original_scan) is refused."""
    name, content = read(field, path)
    digest = hashlib.sha256(content).hexdigest()
    found = session.scalar(select(Evidence).where(Evidence.office_id == account.office_id,
                                                  Evidence.sha256 == digest))
    if found is not None:
        other = next((kind for kind in kinds_held(session, request_id, found.id) if kind != field), None)
        if other is not None:
            raise ValidationError("evidence_other_kind", field, name=name, other_field=other)
        return found
    row = Evidence(office_id=account.office_id, sha256=digest, size_bytes=len(content),
                   media_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                   file_name=validate.text(field, name, max_length=255), content=content,
                   stored_at=utcnow(), stored_by_id=account.id)
    session.add(row)
    session.flush()
    audit.record(session, account, "evidence.store", row)
    return row


def kinds_held(session: Session, request_id: int | None, evidence_id: int) -> set[str]:
    """As what the request holds the stored file: its payments' proofs, its kuitansi scans, its SPPD's scan
    and the scan of its posted original."""
    if request_id is None:
        return set()
    paid = select(Payment.id).join(Invoice, Invoice.id == Payment.invoice_id).where(Invoice.request_id == request_id)
    sppd = SppdAgreement.request_id == request_id
    held = {"proof_file": select(Payment.id).where(Payment.id.in_(paid), Payment.proof_id == evidence_id),
            "receipt_scan": select(Receipt.id).where(Receipt.payment_id.in_(paid), Receipt.scan_id == evidence_id),
            "sppd_scan": select(SppdAgreement.id).where(sppd, SppdAgreement.scan_id == evidence_id),
            "original_scan": select(SppdAgreement.id).where(sppd, SppdAgreement.original_scan_id == evidence_id)}
    return {kind for kind, query in held.items() if session.scalar(query.limit(1)) is not None}


def described(row: Evidence | None) -> EvidenceFile | None:
    if row is None:
        return None
    return EvidenceFile(row.id, row.file_name, row.size_bytes, row.sha256, row.media_type)


def info(session: Session, evidence_id: int | None) -> EvidenceFile | None:
    """Name, size and SHA-256 of a stored file, without loading its bytes."""
    if evidence_id is None:
        return None
    row = session.execute(select(Evidence.id, Evidence.file_name, Evidence.size_bytes, Evidence.sha256,
                                 Evidence.media_type).where(Evidence.id == evidence_id)).first()
    return EvidenceFile(*row) if row else None


def content(session: Session, actor: Actor, evidence_id: int) -> tuple[EvidenceFile, bytes]:
    """The stored file and its bytes, for any staff member of the office (to open it on this PC)."""
    require(session, actor, "queue.view")
    row = session.get(Evidence, validate.record_id("evidence", evidence_id))
    if row is None or row.office_id != actor.office_id:
        raise NotFound("not_found", "evidence")
    return described(row), bytes(row.content)

"""Signed document references: the text of the QR printed on invoices and kuitansi (receipts).

A reference names the office (BPS unit code), the document kind (``INV`` invoice, ``KW`` kuitansi),
the document by year and sequence, the amount, and a keyed hash (HMAC-SHA256 with the office's
``signing_key``, first 16 hex digits) over the unit code, kind, full document number and amount::

    PST-8100-INV-2026-1-3000000-9F2C41A07B3E55D1

The office's first key signs as above; after a rotation (``pstdesktop.services.signing``) the key's
number stands before the hash, ``PST-8100-INV-2026-1-3000000-K2-…``. A retired key still verifies the
documents issued while it was current, and no document issued after it was retired.

An invoice QR puts the SIMPONI billing code (15 digits), when there is one, in front, separated by a
space: ``820220922465628 PST-8100-INV-...``. A USB QR scanner types the text as keystrokes, so it
holds only digits, the letters A-F, I, K, N, P, S, T, V, W (none moves between QWERTY and QWERTZ),
spaces and hyphens; the parser ignores case and takes any run of other characters as a separator, so
a hyphen typed as something else under another keyboard layout still reads. It is our own code for
verifying a printed document, not a payment QR."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from models import Invoice, OfficeProfile, Receipt, SigningKey
from pstdesktop.services.errors import StateError, ValidationError

PREFIX = "PST"
INVOICE, RECEIPT = "INV", "KW"
KEY_MARK = "K"  # before the number of a signing key after the first
KINDS = (INVOICE, RECEIPT)
MAC_LENGTH = 16
BILLING_CODE_LENGTH = 15
_SEPARATORS = re.compile(r"[^0-9A-Za-z]+")
_FIRST_DIGITS = re.compile(r"^\D*(\d+)")
_LAST_YEAR = re.compile(r"(\d{4})\D*$")


@dataclass(frozen=True)
class VerifiedReference:
    """A reference whose hash matches and whose document, number and amount are in the database."""

    kind: str  # INV or KW
    number: str
    amount: int
    document_id: int
    office_id: int
    status: str  # the document's status: issued, paid or cancelled
    billing_code: str | None = None  # the SIMPONI billing code the QR carried, if any
    key_generation: int = 1  # the number of the key that signed it
    key_retired_at: datetime | None = None  # when that key was rotated out (None: the current key)


def number_key(number: str) -> tuple[int, int]:
    """(year, sequence) of an invoice or receipt number: the sequence leads, the year ends it
    (``INV-00042/8100/2026``, ``0042/054081/XI/2026``)."""
    first, last = _FIRST_DIGITS.match(number), _LAST_YEAR.search(number)
    if first is None or last is None:
        raise ValueError(f"not a document number: {number!r}")
    return int(last.group(1)), int(first.group(1))


def _mac(key: str, unit_code: str, kind: str, number: str, amount: int) -> str:
    if not key:
        raise StateError("signing_key_missing")
    message = f"{PREFIX}|{unit_code}|{kind}|{number}|{amount}".encode()
    return hmac.new(bytes.fromhex(key), message, hashlib.sha256).hexdigest()[:MAC_LENGTH].upper()


def key_generation(session: Session, office_id: int) -> int:
    """The number of the office's current signing key: 1, or one more than its last retired key."""
    return (session.scalar(select(func.max(SigningKey.generation)).where(SigningKey.office_id == office_id))
            or 0) + 1


def make_reference(office: OfficeProfile, kind: str, number: str, amount: int) -> str:
    """The signed reference of document ``number`` of ``kind`` (INV or KW) for ``amount`` Rupiah, under
    the office's current key (whose number, after the first, the reference carries as ``K2``, ``K3``…)."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    year, sequence = number_key(number)
    mac = _mac(office.signing_key, office.unit_code, kind, number, amount)
    session = object_session(office)
    generation = key_generation(session, office.id) if session is not None and office.id is not None else 1
    key = (f"{KEY_MARK}{generation}",) if generation > 1 else ()
    return "-".join((PREFIX, office.unit_code, kind, str(year), str(sequence), str(amount), *key, mac))


def invoice_qr_text(office: OfficeProfile, invoice: Invoice) -> str:
    """The invoice QR: the billing code (when SIMPONI gave one) and the signed reference, one line."""
    reference = make_reference(office, INVOICE, invoice.number, invoice.total)
    return f"{invoice.billing_code} {reference}" if invoice.billing_code else reference


def receipt_qr_text(office: OfficeProfile, receipt: Receipt) -> str:
    return make_reference(office, RECEIPT, receipt.number, receipt.amount)


@dataclass(frozen=True)
class _Parsed:
    unit_code: str
    kind: str
    year: int
    sequence: int
    amount: int
    mac: str
    generation: int = 1  # the signing key's number

    def text(self) -> str:
        key = (f"{KEY_MARK}{self.generation}",) if self.generation > 1 else ()
        return "-".join((PREFIX, self.unit_code, self.kind, str(self.year), str(self.sequence),
                         str(self.amount), *key, self.mac))


def _malformed() -> ValidationError:
    return ValidationError("reference_malformed", "reference")


def _parse(tokens: list[str]) -> _Parsed:
    generation = 1
    if len(tokens) == 8:  # a key after the first: K2, K3, …
        mark = tokens.pop(6)
        if not (mark[:1] == KEY_MARK and mark[1:].isdigit() and len(mark) <= 4 and int(mark[1:]) >= 2):
            raise _malformed()
        generation = int(mark[1:])
    if len(tokens) != 7 or tokens[0] != PREFIX or tokens[2] not in KINDS:
        raise _malformed()
    unit, kind, year, sequence, amount, mac = tokens[1:]
    if not (len(unit) == 4 and unit.isdigit() and len(year) == 4 and year.isdigit() and sequence.isdigit()
            and amount.isdigit() and len(sequence) <= 9 and len(amount) <= 15 and len(mac) == MAC_LENGTH
            and all(ch in "0123456789ABCDEF" for ch in mac)):
        raise _malformed()
    return _Parsed(unit, kind, int(year), int(sequence), int(amount), mac, generation)


def parse_qr_text(text: str) -> tuple[str | None, str]:
    """(billing code or None, reference in canonical form) from what a scanner typed; raises
    ``reference_malformed`` for anything else."""
    if not isinstance(text, str) or len(text) > 200:
        raise _malformed()
    tokens = [t.upper() for t in _SEPARATORS.split(text) if t]  # split first: 'ß'.upper() is 'SS'
    billing = None
    if tokens and tokens[0] != PREFIX:
        billing = tokens.pop(0)
        if len(billing) != BILLING_CODE_LENGTH or not billing.isdigit():
            raise _malformed()
    return billing, _parse(tokens).text()


def verify_reference(session: Session, text: str, office_id: int | None = None) -> VerifiedReference:
    """Check a scanned reference (or a whole invoice QR text) against the office's key and the
    database; ``office_id`` restricts it to one office. Raises a ``ValidationError`` for anything
    malformed, forged or altered, or whose document, number, amount or billing code no longer match."""
    billing, canonical = parse_qr_text(text)
    ref = _parse(canonical.split("-"))
    office = session.scalar(select(OfficeProfile).where(OfficeProfile.unit_code == ref.unit_code))
    if office is None or (office_id is not None and office.id != office_id):
        raise ValidationError("reference_unknown", "reference")
    model = Invoice if ref.kind == INVOICE else Receipt
    document = session.scalar(select(model).where(model.office_id == office.id, model.year == ref.year,
                                                  model.sequence == ref.sequence))
    if document is None:
        raise ValidationError("reference_unknown", "reference")
    secret, retired_at = _key_of(session, office, ref.generation)
    expected = _mac(secret, office.unit_code, ref.kind, document.number, ref.amount)
    if not hmac.compare_digest(expected, ref.mac):
        raise ValidationError("reference_invalid", "reference")
    if retired_at is not None and document.issued_at >= retired_at:  # signed with a key already retired
        raise ValidationError("reference_invalid", "reference")
    amount = document.total if ref.kind == INVOICE else document.amount
    if amount != ref.amount:
        raise ValidationError("reference_mismatch", "reference", number=document.number)
    if billing is not None and (ref.kind != INVOICE or billing != document.billing_code):
        raise ValidationError("reference_billing", "reference", number=document.number)
    return VerifiedReference(kind=ref.kind, number=document.number, amount=amount, document_id=document.id,
                             office_id=office.id, status=document.status.value, billing_code=billing,
                             key_generation=ref.generation, key_retired_at=retired_at)


def _key_of(session: Session, office: OfficeProfile, generation: int) -> tuple[str, datetime | None]:
    """(secret, retired at) of the office's key number ``generation``: the current one (not retired), or a
    retired one; ``reference_key_unknown`` when this database has no such key (e.g. it was restored from a
    backup older than the rotation that made it)."""
    if generation == key_generation(session, office.id):
        return office.signing_key, None
    retired = session.scalar(select(SigningKey).where(SigningKey.office_id == office.id,
                                                      SigningKey.generation == generation))
    if retired is None:
        raise ValidationError("reference_key_unknown", "reference", key=f"{KEY_MARK}{generation}")
    return retired.secret, retired.retired_at

"""The office's key for signing document references (the QR of invoices and kuitansi), and its rotation.

Only a supervisor rotates it, from the application, with a reason; both halves are audited (the retired
key kept in ``signing_key``, the new one in the office profile). Documents printed under a retired key
keep verifying (``pstdesktop.services.references``), but a retired key signs nothing issued after its
retirement, so a leaked key stops being useful for new documents once it is rotated out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import SigningKey
from pstdesktop.services import audit, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import utcnow
from pstdesktop.services.office import office_of
from pstdesktop.services.references import KEY_MARK, key_generation


@dataclass(frozen=True)
class KeyInfo:
    """A key as the administration screen shows it: never the secret, only a short fingerprint."""

    label: str  # K1, K2, …
    fingerprint: str  # first 12 hex digits of SHA-256 of the key
    created_at: datetime
    retired_at: datetime | None  # None: the key that signs new documents


def fingerprint(secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(secret)).hexdigest()[:12].upper() if secret else "-"


def new_secret() -> str:
    return secrets.token_hex(32)


def signing_keys(session: Session, actor: Actor) -> list[KeyInfo]:
    """The office's keys, newest (the current one) first."""
    require(session, actor, "office.configure")
    office = office_of(session, actor.office_id)
    retired = list(session.scalars(select(SigningKey).where(SigningKey.office_id == office.id)
                                   .order_by(SigningKey.generation.desc())))
    since = retired[0].retired_at if retired else office.created_at
    current = KeyInfo(f"{KEY_MARK}{key_generation(session, office.id)}", fingerprint(office.signing_key), since, None)
    return [current, *(KeyInfo(f"{KEY_MARK}{k.generation}", fingerprint(k.secret), k.created_at, k.retired_at)
                       for k in retired)]


def rotate_signing_key(session: Session, actor: Actor, reason: object) -> KeyInfo:
    """Retire the office's current key (kept, so documents printed under it still verify) and sign new
    documents with a fresh one. Supervisor only; the reason is required; both changes are audited."""
    account = require(session, actor, "office.configure")
    reason = validate.text("reason", reason, max_length=500, multiline=True)
    office = office_of(session, actor.office_id)
    generation = key_generation(session, office.id)
    last = session.scalar(select(SigningKey).where(SigningKey.office_id == office.id,
                                                   SigningKey.generation == generation - 1))
    now = utcnow()
    retired = SigningKey(office_id=office.id, generation=generation, secret=office.signing_key,
                         created_at=last.retired_at if last else office.created_at, retired_at=now)
    session.add(retired)
    office.signing_key = new_secret()
    audit.record(session, account, "signing_key.retire", retired, reason=reason)
    audit.record(session, account, "office.signing_key_rotate", office, reason=reason,
                 extra={"key": f"{KEY_MARK}{generation + 1}", "fingerprint": fingerprint(office.signing_key)})
    return KeyInfo(f"{KEY_MARK}{generation + 1}", fingerprint(office.signing_key), now, None)

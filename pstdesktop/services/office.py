"""The office profile and staff accounts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Account, OfficeProfile, Role
from pstdesktop.services import audit, clock, validate
from pstdesktop.services.access import Actor, actor_of, require
from pstdesktop.services.clock import ZONES, utcnow
from pstdesktop.services.errors import NotFound, ValidationError

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def hash_password(password: str) -> str:
    """A slow salted hash (scrypt); stored as ``scrypt$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


def _office_fields(data: dict) -> dict:
    nip = validate.text("treasurer_nip", data.get("treasurer_nip", ""), required=False, max_length=18)
    if nip and not (len(nip) == 18 and nip.isdigit()):
        raise ValidationError("digits", "treasurer_nip", length=18)
    satker = validate.text("satker_code", data.get("satker_code", ""), required=False, max_length=6)
    if satker and not (len(satker) == 6 and satker.isdigit()):
        raise ValidationError("digits", "satker_code", length=6)
    return {
        "name": validate.text("name", data.get("name"), max_length=200),
        "unit_code": validate.digits("unit_code", data.get("unit_code"), 4),
        "city": validate.text("city", data.get("city"), max_length=100),
        "address": validate.text("address", data.get("address", ""), required=False, max_length=400),
        "phone": validate.text("phone", data.get("phone", ""), required=False, max_length=40),
        "email": validate.email("email", data.get("email", ""), required=False),
        "time_zone": validate.choice("time_zone", data.get("time_zone", "WIB"), ZONES),
        "treasurer_name": validate.text("treasurer_name", data.get("treasurer_name", ""), required=False),
        "treasurer_nip": nip,
        "satker_code": satker,
        "satker_name": validate.text("satker_name", data.get("satker_name", ""), required=False),
        "materai_amount": validate.integer("materai_amount", data.get("materai_amount", 10_000),
                                           low=0, high=1_000_000),
        "billing_validity_days": validate.integer("billing_validity_days", data.get("billing_validity_days", 7),
                                                  low=1, high=90),
    }


def setup_office(session: Session, office: dict, supervisor_username: str, supervisor_name: str,
                 supervisor_password: str) -> tuple[OfficeProfile, Account]:
    """First run: the office profile and its first supervisor account."""
    profile = OfficeProfile(**_office_fields(office), created_at=utcnow(), signing_key=secrets.token_hex(32))
    session.add(profile)
    session.flush()
    account = _new_account(session, profile.id, supervisor_username, supervisor_name, Role.SUPERVISOR,
                           supervisor_password)
    audit.record(session, account, "office.setup", profile)
    audit.record(session, account, "account.create", account)
    return profile, account


def update_office(session: Session, actor: Actor, changes: dict) -> OfficeProfile:
    account = require(session, actor, "office.configure")
    profile = office_of(session, actor.office_id)
    merged = {k: getattr(profile, k) for k in _office_fields({
        "name": profile.name, "unit_code": profile.unit_code, "city": profile.city})}
    merged.update(changes)
    for key, value in _office_fields(merged).items():
        setattr(profile, key, value)
    audit.record(session, account, "office.update", profile)
    return profile


def office_of(session: Session, office_id: int) -> OfficeProfile:
    profile = session.get(OfficeProfile, office_id)
    if profile is None:
        raise NotFound("not_found", "office")
    return profile


def office_today(session: Session, office_id: int) -> date:
    """The office's date now (in its zone: WIB, WITA or WIT)."""
    return clock.today(office_of(session, office_id).time_zone)


def first_office(session: Session) -> OfficeProfile | None:
    return session.scalars(select(OfficeProfile).order_by(OfficeProfile.id).limit(1)).first()


def create_account(session: Session, actor: Actor, username: str, full_name: str, role: Role,
                   password: str, nip: str = "") -> Account:
    creator = require(session, actor, "account.manage")
    account = _new_account(session, actor.office_id, username, full_name, role, password, nip)
    audit.record(session, creator, "account.create", account)
    return account


def _new_account(session: Session, office_id: int, username: str, full_name: str, role: Role,
                 password: str, nip: str = "") -> Account:
    username = validate.text("username", username, max_length=64).lower()
    if session.scalar(select(Account.id).where(Account.office_id == office_id, Account.username == username)):
        raise ValidationError("duplicate", "username", value=username)
    check_new_password(password, username)
    account = Account(
        office_id=office_id, username=username, full_name=validate.text("full_name", full_name),
        nip=validate.text("treasurer_nip", nip, required=False, max_length=18),
        role=Role(role), password_hash=hash_password(password), created_at=utcnow(),
    )
    session.add(account)
    session.flush()
    return account


def accounts(session: Session, office_id: int) -> list[Account]:
    return list(session.scalars(select(Account).where(Account.office_id == office_id).order_by(Account.username)))


MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15  # a locked account opens again by itself: an office with one supervisor is never shut out
MIN_PASSWORD = 8
COMMON_PASSWORDS = frozenset({
    "password", "password1", "passw0rd", "qwerty123", "qwertyui", "abcdefgh", "iloveyou", "rahasia1",
    "rahasia123", "katasandi", "bismillah", "indonesia", "admin123", "administrator", "pstbps123",
    "bpsbps123", "12345678", "123456789", "1234567890", "87654321", "11111111",
})
_UNKNOWN_USER_HASH = hash_password(secrets.token_hex(16))  # an unknown name costs the same time to refuse


def check_new_password(password: object, username: str = "") -> None:
    """A password staff can keep: at least 8 characters, not a run or repeat of one character, not a
    well-known password, not the username."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError("password_short", "password", min=MIN_PASSWORD)
    plain = password.lower()
    steps = {ord(b) - ord(a) for a, b in zip(plain, plain[1:], strict=False)}
    if (len(set(plain)) <= 2 or steps <= {1} or steps <= {-1} or plain in COMMON_PASSWORDS
            or (username and username.lower() in plain)):
        raise ValidationError("password_weak", "password")


def login(session: Session, username: str, password: str) -> tuple[Actor | None, str]:
    """(actor, "") on success, else (None, error code). A failed attempt is counted (the caller
    commits it); after ``MAX_FAILED_LOGINS`` the account is locked for ``LOCK_MINUTES`` (or until a
    supervisor unlocks it)."""
    account = session.scalar(select(Account).where(Account.username == (username or "").strip().lower()))
    return check_password(account, password)


def is_locked(account: Account) -> bool:
    return account.locked_until is not None and account.locked_until > utcnow()


def check_password(account: Account | None, password: str) -> tuple[Actor | None, str]:
    """The one place a typed password is checked (sign-in and a supervisor's approval): failures are
    counted and lock the account for a while; an unknown account costs the same time as a known one."""
    if account is None:
        password_matches(password or "", _UNKNOWN_USER_HASH)
        return None, "login_failed"
    if not account.active:
        return None, "login_inactive"
    now = utcnow()
    if account.locked_until is not None:
        if account.locked_until > now:
            return None, "login_locked"
        account.locked_until, account.failed_logins = None, 0  # the lock has run out
    if not password_matches(password or "", account.password_hash):
        account.failed_logins += 1
        if account.failed_logins >= MAX_FAILED_LOGINS:
            account.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            return None, "login_locked"
        return None, "login_failed"
    account.failed_logins = 0
    return actor_of(account), ""


def _managed(session: Session, actor: Actor, account_id: int) -> tuple[Account, Account]:
    manager = require(session, actor, "account.manage")
    account = session.get(Account, account_id)
    if account is None or account.office_id != actor.office_id:
        raise NotFound("not_found", "account")
    return manager, account


def unlock_account(session: Session, actor: Actor, account_id: int) -> Account:
    """Clear the failed sign-in count of a locked account."""
    manager, account = _managed(session, actor, account_id)
    account.failed_logins, account.locked_until = 0, None
    audit.record(session, manager, "account.unlock", account)
    return account


def set_password(session: Session, actor: Actor, account_id: int, password: str) -> Account:
    manager, account = _managed(session, actor, account_id)
    check_new_password(password, account.username)
    account.password_hash, account.failed_logins, account.locked_until = hash_password(password), 0, None
    audit.record(session, manager, "account.password", account)
    return account


def set_active(session: Session, actor: Actor, account_id: int, active: bool) -> Account:
    """Deactivate (never delete) or reactivate an account; a supervisor cannot lock themself out."""
    manager, account = _managed(session, actor, account_id)
    if account.id == manager.id and not active:
        raise ValidationError("self_deactivate", "account")
    account.active = bool(active)
    audit.record(session, manager, "account.active" if active else "account.deactivate", account)
    return account


def set_role(session: Session, actor: Actor, account_id: int, role: Role) -> Account:
    manager, account = _managed(session, actor, account_id)
    if account.id == manager.id:
        raise ValidationError("self_deactivate", "account")
    account.role = Role(role)
    audit.record(session, manager, "account.role", account)
    return account

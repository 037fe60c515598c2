"""The office profile and staff accounts."""

from __future__ import annotations

import hashlib
import hmac
import io
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


LOGO_LIMIT = 512 * 1024  # bytes of the PNG or JPEG file printed in the kop
LOGO_FORMATS = ("PNG", "JPEG")
LOGO_PIXELS = 4096 * 4096


def checked_nip(field: str, value: object) -> str:
    """A NIP (civil servant number) is exactly 18 digits (spaces between groups are dropped); empty when
    the person has none."""
    nip = "".join(validate.text(field, value or "", required=False, max_length=40).split())  # "1980… 1 001"
    if nip and not (len(nip) == 18 and nip.isascii() and nip.isdigit()):
        raise ValidationError("digits", field, length=18)
    return nip


def checked_logo(content: bytes) -> bytes:
    """The office logo as uploaded: a PNG or JPEG file of at most 512 KB that Pillow can decode whole."""
    if len(content) > LOGO_LIMIT:
        raise ValidationError("logo_size", "logo", size=-(-len(content) // 1024), limit=LOGO_LIMIT // 1024)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format
            if image.width * image.height > LOGO_PIXELS:  # a small file that would unpack into a huge image
                raise ValueError("too many pixels")
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError("logo_format", "logo") from None
    if kind not in LOGO_FORMATS:
        raise ValidationError("logo_format", "logo")
    return bytes(content)


def _office_fields(data: dict) -> dict:
    nip = checked_nip("treasurer_nip", data.get("treasurer_nip", ""))
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
        "sppd_signer_name": validate.text("sppd_signer_name", data.get("sppd_signer_name", ""), required=False),
        "sppd_signer_title": validate.text("sppd_signer_title", data.get("sppd_signer_title", ""), required=False),
        "sppd_signer_nip": checked_nip("sppd_signer_nip", data.get("sppd_signer_nip", "")),
        "satker_code": satker,
        "satker_name": validate.text("satker_name", data.get("satker_name", ""), required=False),
        "materai_amount": validate.integer("materai_amount", data.get("materai_amount", 10_000),
                                           low=0, high=1_000_000),
        "materai_threshold": validate.integer("materai_threshold", data.get("materai_threshold", 5_000_000),
                                              low=0, high=1_000_000_000),
        "billing_validity_days": validate.integer("billing_validity_days", data.get("billing_validity_days", 7),
                                                  low=1, high=90),
    }


_OFFICE_TRIAL = {"name": "A", "unit_code": "0000", "city": "A"}  # a valid profile to check one answer in


def check_office(data: dict) -> dict[str, ValidationError]:
    """Every broken rule of an office profile, keyed by field in the profile's order (empty when valid):
    each answer given is checked alone by ``_office_fields`` inside an otherwise valid profile."""
    errors: dict[str, ValidationError] = {}
    for field in _office_fields(_OFFICE_TRIAL):
        if field not in data:
            continue
        try:
            _office_fields(_OFFICE_TRIAL | {field: data[field]})
        except ValidationError as error:
            errors[error.field or field] = error
    return errors


def check_account(session: Session | None, office_id: int | None, username: object, full_name: object,
                  password: object, repeat: object = None, nip: object = "") -> dict[str, ValidationError]:
    """Every broken rule of a new account, keyed by field in form order: username (free in the office),
    full name, NIP (18 digits if given), password (``check_new_password``) and its ``repeat`` when given."""
    errors: dict[str, ValidationError] = {}
    name = ""
    try:
        name = validate.text("username", username, max_length=64).lower()
    except ValidationError as error:
        errors["username"] = error
    if name and session is not None and office_id is not None and session.scalar(
            select(Account.id).where(Account.office_id == office_id, Account.username == name)):
        errors["username"] = ValidationError("duplicate", "username", value=name)
    for field, check in (("full_name", lambda: validate.text("full_name", full_name)),
                         ("nip", lambda: checked_nip("nip", nip))):
        try:
            check()
        except ValidationError as error:
            errors[field] = error
    return errors | check_password_pair(password, repeat, name, str(full_name or ""))


def check_password_pair(password: object, repeat: object, username: str = "", *hints: str) -> dict[str, ValidationError]:
    """The problems of a new password (``password``) and of its repetition (``repeat``, skipped when None)."""
    errors: dict[str, ValidationError] = {}
    try:
        check_new_password(password, username, *hints)
    except ValidationError as error:
        errors["password"] = error
    if repeat is not None and repeat != password:
        errors["repeat"] = ValidationError("password_mismatch", "repeat")
    return errors


def check_setup(office: dict, username: object, full_name: object, password: object,
                repeat: object = None) -> dict[str, ValidationError]:
    """Every problem of the first-run form: the office profile, then the first supervisor account."""
    return check_office(office) | check_account(None, None, username, full_name, password, repeat)


def setup_office(session: Session, office: dict, supervisor_username: str, supervisor_name: str,
                 supervisor_password: str) -> tuple[OfficeProfile, Account, str]:
    """First run: the office profile, its first supervisor account and the office's recovery code
    (returned once, to be written down; only its hash is kept)."""
    errors = check_setup(office, supervisor_username, supervisor_name, supervisor_password)
    if errors:
        raise next(iter(errors.values()))
    profile = OfficeProfile(**_office_fields(office), created_at=utcnow(), signing_key=secrets.token_hex(32))
    session.add(profile)
    session.flush()
    account = _new_account(session, profile.id, supervisor_username, supervisor_name, Role.SUPERVISOR,
                           supervisor_password)
    audit.record(session, account, "office.setup", profile)
    audit.record(session, account, "account.create", account)
    return profile, account, _new_recovery_code(session, account, profile)


# --- the recovery code: an office with one supervisor is never locked out of its own data -------

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper without doubt


def _new_recovery_code(session: Session, account: Account | None, profile: OfficeProfile) -> str:
    """A fresh 20-character code (100 bits) in groups of five; the previous one stops working."""
    code = "-".join("".join(secrets.choice(_CODE_ALPHABET) for _ in range(5)) for _ in range(4))
    profile.recovery_hash = hash_password(code)
    audit.record(session, account, "office.recovery_code", profile)
    return code


def new_recovery_code(session: Session, actor: Actor) -> str:
    """A supervisor replaces the office's recovery code (e.g. when the paper is lost); audited."""
    account = require(session, actor, "account.manage")
    return _new_recovery_code(session, account, office_of(session, actor.office_id))


def has_recovery_code(session: Session, office_id: int) -> bool:
    return bool(office_of(session, office_id).recovery_hash)


def recover(session: Session, username: str, code: str, new_password: str) -> tuple[Actor, str]:
    """A supervisor who is locked out or forgot the password signs in again with the office's recovery
    code: the account is unlocked and reactivated with ``new_password``. The code is used up; the
    new one is returned (shown once). Every recovery is audited."""
    account = session.scalar(select(Account).where(Account.username == (username or "").strip().lower()))
    profile = session.get(OfficeProfile, account.office_id) if account is not None else first_office(session)
    typed = "".join(ch for ch in str(code or "").upper() if ch.isalnum())
    typed = "-".join(typed[i:i + 5] for i in range(0, len(typed), 5))
    stored = profile.recovery_hash if profile is not None and profile.recovery_hash else _UNKNOWN_USER_HASH
    if not password_matches(typed, stored) or account is None or account.role is not Role.SUPERVISOR:
        raise ValidationError("recovery_refused", "recovery_code")
    check_new_password(new_password, account.username, account.full_name)
    account.password_hash, account.failed_logins, account.locked_until = hash_password(new_password), 0, None
    account.active = True
    audit.record(session, account, "account.recover", account)
    return actor_of(account), _new_recovery_code(session, account, profile)


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


def stamp_duty(office: OfficeProfile, amount: int) -> int:
    """The materai a kuitansi of ``amount`` bears: one of ``materai_amount`` when the money received is
    above ``materai_threshold`` (UU 10/2020 art. 3: above Rp5.000.000, one Rp10.000 materai), else 0."""
    return office.materai_amount if amount > office.materai_threshold else 0


def set_logo(session: Session, actor: Actor, content: bytes | None) -> OfficeProfile:
    """Upload (checked by ``checked_logo``) or, with ``None``, remove the logo printed in the kop."""
    account = require(session, actor, "office.configure")
    profile = office_of(session, actor.office_id)
    profile.logo = None if content is None else checked_logo(content)
    audit.record(session, account, "office.update", profile,
                 extra={"logo": "removed" if content is None else hashlib.sha256(profile.logo).hexdigest()})
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
    errors = check_account(session, office_id, username, full_name, password, nip=nip)
    if errors:
        raise next(iter(errors.values()))
    username = validate.text("username", username, max_length=64).lower()
    account = Account(
        office_id=office_id, username=username, full_name=validate.text("full_name", full_name),
        nip=checked_nip("nip", nip),
        role=Role(role), password_hash=hash_password(password), created_at=utcnow(),
    )
    session.add(account)
    session.flush()
    return account


def accounts(session: Session, office_id: int) -> list[Account]:
    return list(session.scalars(select(Account).where(Account.office_id == office_id).order_by(Account.username)))


MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15  # a locked account opens again by itself: an office with one supervisor is never shut out
MIN_PASSWORD = 10
MIN_STRENGTH = 3  # zxcvbn's score (0-4): 3 is "safely unguessable" for an online attacker with a lock
_UNKNOWN_USER_HASH = hash_password(secrets.token_hex(16))  # an unknown name costs the same time to refuse


def check_new_password(password: object, username: str = "", *hints: str) -> None:
    """A password staff can keep: at least 10 characters and not guessable by zxcvbn (common passwords,
    words, names, dates, runs and repeats, the username or the other ``hints`` such as the full name)."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError("password_short", "password", min=MIN_PASSWORD)
    from zxcvbn import zxcvbn  # loaded only when a password is chosen

    words = [w for hint in (username, *hints) for w in str(hint).lower().split()] + ["pst", "bps", "statistik"]
    if zxcvbn(password[:100], user_inputs=words)["score"] < MIN_STRENGTH or (
            username and username.lower() in password.lower()):
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
    right = password_matches(password or "", account.password_hash if account else _UNKNOWN_USER_HASH)
    if account is None:  # the hash above was computed all the same: every answer takes as long
        return None, "login_failed"
    if not account.active:
        return None, "login_inactive"
    if is_locked(account):
        return None, "login_locked"
    if not right:
        count_failure(account)
        return None, "login_locked" if is_locked(account) else "login_failed"
    account.failed_logins, account.locked_until = 0, None
    return actor_of(account), ""


def count_failure(account: Account) -> None:
    """One more wrong password or staff PIN: a lock that has run out opens first, a live one counts
    nothing more, and the ``MAX_FAILED_LOGINS``-th failure locks for ``LOCK_MINUTES``."""
    now = utcnow()
    if account.locked_until is not None and account.locked_until <= now:
        account.failed_logins, account.locked_until = 0, None
    if account.locked_until is None:
        account.failed_logins += 1
        if account.failed_logins >= MAX_FAILED_LOGINS:
            account.locked_until = now + timedelta(minutes=LOCK_MINUTES)


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


def check_password_reset(session: Session, actor: Actor, account_id: int, password: object,
                         repeat: object = None) -> dict[str, ValidationError]:
    """Every problem of a supervisor's new password for an account (and of its repetition)."""
    _manager, account = _managed(session, actor, account_id)
    return check_password_pair(password, repeat, account.username, account.full_name)


def set_password(session: Session, actor: Actor, account_id: int, password: str) -> Account:
    manager, account = _managed(session, actor, account_id)
    check_new_password(password, account.username, account.full_name)
    account.password_hash, account.failed_logins, account.locked_until = hash_password(password), 0, None
    audit.record(session, manager, "account.password", account)
    return account


def set_nip(session: Session, actor: Actor, account_id: int, nip: str) -> Account:
    """Give a staff account its NIP (18 digits, printed under the person's signature) or clear it."""
    manager, account = _managed(session, actor, account_id)
    account.nip = checked_nip("nip", nip)
    audit.record(session, manager, "account.nip", account, extra={"nip": account.nip})
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

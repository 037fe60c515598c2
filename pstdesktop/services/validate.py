"""Field rules shared by every service: each refusal is a ``ValidationError`` naming field and rule."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

from pstdesktop.services.errors import NotFound, ValidationError

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
PHONE = re.compile(r"^\+?[0-9]{8,15}$")
WHOLE_NUMBER = re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)")  # dots only as thousands separators
MAX_ID = 2**63 - 1
MAX_AMOUNT = 10**13  # Rp10 trillion: far above any PST sale, far below integer overflow
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk", "Zl", "Zp"}
_KEYCAP = "\u20e3"  # combining enclosing keycap: "1️⃣" and friends are emoji too


def text(field: str, value: object, *, required: bool = True, max_length: int = 200,
         multiline: bool = False) -> str:
    """A trimmed single- or multi-line text without control characters or emoji."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError("required", field)
    value = value.strip()
    if required and not value:
        raise ValidationError("required", field)
    if len(value) > max_length:
        raise ValidationError("too_long", field, max=max_length)
    for ch in value:
        if multiline and ch in "\n\t":
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES or ch == _KEYCAP:
            raise ValidationError("bad_chars", field)
    return value


def email(field: str, value: object, *, required: bool = True) -> str:
    value = text(field, value, required=required, max_length=254)
    if value and not EMAIL.match(value):
        raise ValidationError("email", field)
    return value.lower()


def phone(field: str, value: object) -> str:
    value = text(field, value, max_length=20)
    compact = re.sub(r"[\s\-().]", "", value)
    if not PHONE.match(compact):
        raise ValidationError("phone", field)
    return compact


def choice(field: str, value: object, choices: Iterable[str]) -> str:
    options = list(choices)
    if value not in options:
        if value in (None, ""):
            raise ValidationError("required", field)
        raise ValidationError("choice", field, choices=", ".join(options))
    return value  # type: ignore[return-value]


def integer(field: str, value: object, *, low: int | None = None, high: int | None = None) -> int:
    """A whole number; strings of digits (with dot thousands separators) are accepted from forms."""
    if value is None:
        raise ValidationError("required", field)
    if isinstance(value, bool):
        raise ValidationError("integer", field)
    if isinstance(value, str):
        cleaned = value.strip().replace(" ", "")
        if cleaned.lower().startswith("rp"):
            cleaned = cleaned[2:]
        if not cleaned:
            raise ValidationError("required", field)
        if not WHOLE_NUMBER.fullmatch(cleaned):
            raise ValidationError("integer", field)
        digits_only = cleaned.replace(".", "")
        if len(digits_only) > 30:
            raise ValidationError("too_large", field, max=high if high is not None else MAX_AMOUNT)
        value = int(digits_only)
    if not isinstance(value, int):
        raise ValidationError("integer", field)
    if low is not None and value < low:
        raise ValidationError("positive", field) if low == 1 else ValidationError(
            "year_range", field, low=low, high=high if high is not None else "")
    if high is not None and value > high:
        raise ValidationError("too_large", field, max=high)
    return value


def amount(field: str, value: object) -> int:
    """Integer Rupiah greater than zero."""
    return integer(field, value, low=1, high=MAX_AMOUNT)


def digits(field: str, value: object, length: int) -> str:
    value = text(field, value, max_length=64).replace(" ", "")
    if not (len(value) == length and value.isascii() and value.isdigit()):
        raise ValidationError("digits", field, length=length)
    return value


def alnum(field: str, value: object, length: int) -> str:
    value = text(field, value, max_length=64).replace(" ", "").upper()
    if not (len(value) == length and value.isascii() and value.isalnum()):
        raise ValidationError("alnum", field, length=length)
    return value


def not_future(field: str, value: datetime, now: datetime) -> None:
    """An instant (aware) no later than ``now``."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValidationError("required", field)
    if value > now:
        raise ValidationError("future", field)


def not_after_today(field: str, value: date, today: date) -> None:
    """A calendar date typed by staff, no later than the office's ``today`` (never the UTC date)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError("required", field)
    if value > today:
        raise ValidationError("future", field)


def record_id(field: str, value: object) -> int:
    """A database id as the application hands them out; anything else is simply not found."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise NotFound("not_found", field)
    return value

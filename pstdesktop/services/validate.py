"""Field rules shared by every service: each refusal is a ``ValidationError`` naming field and rule."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from pstdesktop.services.errors import NotFound, ValidationError

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
PHONE = re.compile(r"^\+?[0-9]{8,15}$")
WHOLE_NUMBER = re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)")  # dots only as thousands separators
MAX_ID = 2**63 - 1
MAX_AMOUNT = 10**13  # Rp10 trillion: far above any PST sale, far below integer overflow
SIZE_PREFIXES = {"k": "kilo", "m": "mega", "g": "giga", "t": "tera"}
SIZE_UNITS: dict[str, Decimal] = {  # binary, as Windows Explorer counts: 1 MB = 1.048.576 byte
    **dict.fromkeys(("", "b", "byte", "bytes", "bita"), Decimal(1)),
    **{name: Decimal(1024) ** power for power, (short, long) in enumerate(SIZE_PREFIXES.items(), start=1)
       for name in (short, f"{short}b", f"{short}ib", f"{long}byte", f"{long}bytes")},
}
_SIZE = re.compile(r"(?P<number>[0-9][0-9.,]*)\s*(?P<unit>[a-z]+)?")
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


def data_size(field: str, value: object) -> int:
    """A dataset size in bytes, typed as staff read it in a file manager: ``850 MB``, ``1,2 GB``,
    ``1.2GB``, ``512 KB``, ``2 GiB``, ``891.289.600`` or ``891289600`` (bytes). Units are binary like
    Windows Explorer (1 KB = 1.024 byte, 1 MB = 1.048.576 byte); a fraction rounds to the nearest byte.
    A comma is the decimal mark; dots (or commas, when there are several) between groups of three digits
    separate thousands, and a lone dot before other than three digits is a decimal point."""
    if isinstance(value, bool):
        raise ValidationError("data_size", field)
    if isinstance(value, int):
        number, unit = Decimal(value), ""
    elif isinstance(value, str):
        cleaned = value.strip().lower()
        if not cleaned:
            raise ValidationError("required", field)
        match = _SIZE.fullmatch(cleaned)
        if match is None or len(match["number"]) > 30 or (match["unit"] or "") not in SIZE_UNITS:
            raise ValidationError("data_size", field)
        number, unit = _size_number(match["number"]), match["unit"] or ""
        if number is None:
            raise ValidationError("data_size", field)
    else:
        raise ValidationError("data_size", field)
    exact = number * SIZE_UNITS[unit]
    if unit in ("", "b", "byte", "bytes", "bita") and exact != exact.to_integral_value():
        raise ValidationError("data_size", field)  # a fraction of a byte
    size = int(exact.to_integral_value(rounding=ROUND_HALF_UP))
    if size < 1:
        raise ValidationError("positive", field)
    if size > MAX_AMOUNT:
        raise ValidationError("too_large", field, max=f"{MAX_AMOUNT:,} byte".replace(",", "."))
    return size


def _size_number(text: str) -> Decimal | None:
    """The number of a typed size with Indonesian (``1.234,5``) or English (``1,234.5``) separators."""
    if "." in text and "," in text:
        thousands_mark, decimal_mark = (".", ",") if text.rfind(",") > text.rfind(".") else (",", ".")
    elif text.count(",") > 1 or (text.count(".") == 1 and len(text) - text.index(".") - 1 == 3) \
            or text.count(".") > 1:
        thousands_mark, decimal_mark = ("," if "," in text else "."), None
    else:
        thousands_mark, decimal_mark = None, ("," if "," in text else ".")
    whole, _, fraction = text.partition(decimal_mark) if decimal_mark else (text, "", "")
    if decimal_mark and (decimal_mark in fraction or (decimal_mark in text and not fraction)):
        return None
    if thousands_mark and thousands_mark in whole:
        head, *groups = whole.split(thousands_mark)
        if not 1 <= len(head) <= 3 or any(len(group) != 3 for group in groups):
            return None
        whole = head + "".join(groups)
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return None
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


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

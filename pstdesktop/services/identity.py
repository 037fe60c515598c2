"""Identity document numbers checked by their kind: the NIK of a KTP (16 digits: province code, regency,
district, birth date DDMMYY with 40 added to the day for women, serial), a passport number, and the
free-text number of a student card (KTM) or another document."""

from __future__ import annotations

import re
from datetime import date

from pstdesktop.services import validate
from pstdesktop.services.errors import ValidationError

# Province codes (Kemendagri, as printed in NIKs): the 38 provinces, including the Papua provinces formed
# in 2022 (93-97) besides the older 91 and 92.
NIK_PROVINCE_CODES = frozenset(
    f"{code}" for code in (*range(11, 20), 21, *range(31, 37), *range(51, 54), *range(61, 66), *range(71, 77),
                           81, 82, *range(91, 98))
)
INDONESIAN_PASSPORT = re.compile(r"[A-Z]{1,2}[0-9]{6,8}")
FOREIGN_PASSPORT = re.compile(r"(?=[A-Z]*[0-9])[A-Z0-9]{6,9}")
FREE_TEXT_MIN, FREE_TEXT_MAX = 3, 40
FIELD = "id_document_number"


def clean_number(doc_type: str, value: object) -> str:
    """The identity number of a document of ``doc_type`` (``KTP``, ``Paspor``, ``KTM``, …) as stored:
    a NIK or passport number without spaces (passport upper-cased), any other number as trimmed text."""
    number = validate.text(FIELD, value, max_length=FREE_TEXT_MAX)
    if doc_type == "KTP":
        return clean_nik(number)
    if doc_type == "Paspor":
        return clean_passport(number)
    if len(number) < FREE_TEXT_MIN:
        raise ValidationError("id_length", FIELD, min=FREE_TEXT_MIN, max=FREE_TEXT_MAX)
    return number


def clean_nik(value: str) -> str:
    """16 digits; digits 1-2 a province code, digits 7-12 a birth date DDMMYY (day + 40 for women)."""
    nik = value.replace(" ", "")
    if not (len(nik) == 16 and nik.isascii() and nik.isdigit()):
        raise ValidationError("nik_format", FIELD)
    if nik[:2] not in NIK_PROVINCE_CODES:
        raise ValidationError("nik_province", FIELD, prefix=nik[:2])
    if not nik_birth_date_valid(nik[6:12]):
        raise ValidationError("nik_birth_date", FIELD, part=nik[6:12])
    return nik


def nik_birth_date_valid(part: str) -> bool:
    """``DDMMYY`` is a calendar date, the day 01-31 for men or 41-71 for women (29 February only in a
    year ``YY`` divisible by four, which is a leap year in the 1900s and 2000s alike, 1900 aside)."""
    day, month, year = int(part[:2]), int(part[2:4]), int(part[4:6])
    if day > 40:
        day -= 40
    try:
        date(2000 + year, month, day)
    except ValueError:
        return False
    return True


def clean_passport(value: str) -> str:
    """An Indonesian passport (1-2 letters and 6-8 digits, e.g. ``C1234567``) or a foreign one (6-9 letters
    and digits, at least one digit)."""
    number = value.replace(" ", "").upper()
    if not (number.isascii() and (INDONESIAN_PASSPORT.fullmatch(number) or FOREIGN_PASSPORT.fullmatch(number))):
        raise ValidationError("passport_format", FIELD)
    return number

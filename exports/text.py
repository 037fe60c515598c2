"""How money and amounts are written on PST documents."""

from __future__ import annotations

from num2words import num2words


def rupiah(amount: int) -> str:
    """``Rp1.250.000`` — dot thousands separators, no decimals (money is integer Rupiah)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def thousands(number: int) -> str:
    """``149.000``"""
    return f"{number:,}".replace(",", ".")


def terbilang(amount: int) -> str:
    """The amount in Indonesian words followed by "rupiah": ``satu juta dua ratus lima puluh ribu rupiah``."""
    if amount < 0:
        raise ValueError("terbilang takes a non-negative amount")
    return f"{num2words(amount, lang='id')} rupiah"

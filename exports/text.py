"""How money and amounts are written on PST documents."""

from __future__ import annotations

from num2words import num2words


def rupiah(amount: int) -> str:
    """``Rp1.250.000`` — dot thousands separators, no decimals (money is integer Rupiah)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def amounts_by_account(lines: list[dict], sign: int = 1) -> str:
    """``425435 Rp3.000.000; 425439 Rp10.000``: the amount of every account code (MAK) of a kuitansi."""
    return "; ".join(f"{line['account_code']} {rupiah(sign * int(line['amount']))}" for line in lines)


def thousands(number: int) -> str:
    """``149.000``"""
    return f"{number:,}".replace(",", ".")


def terbilang(amount: int) -> str:
    """The amount in Indonesian words followed by "rupiah": ``satu juta dua ratus lima puluh ribu rupiah``."""
    if amount < 0:
        raise ValueError("terbilang takes a non-negative amount")
    return f"{num2words(amount, lang='id')} rupiah"

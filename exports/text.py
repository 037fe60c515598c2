"""How money, amounts and data sizes are written on PST documents and screens."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path


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


def short_size(size: int) -> str:
    """``850 MB``, ``1,2 GB``, ``812 byte``: one decimal at most, binary units as Windows Explorer shows
    them (1 MB = 1.048.576 byte), so a size typed as ``850 MB`` reads back as ``850 MB``."""
    for power, unit in ((4, "TB"), (3, "GB"), (2, "MB"), (1, "KB")):
        if size >= 1024 ** power:
            shown = f"{size / 1024 ** power:,.1f}".replace(",", "x").replace(".", ",").replace("x", ".")
            return f"{shown.removesuffix(',0')} {unit}"
    return f"{thousands(size)} byte"


def size_text(size: int) -> str:
    """``891.289.600 byte (850 MB)``: the exact count a price uses, with the size as staff read it."""
    exact = f"{thousands(size)} byte"
    return exact if size < 1024 else f"{exact} ({short_size(size)})"


def terbilang(amount: int) -> str:
    """The amount in Indonesian words followed by "rupiah": ``satu juta dua ratus lima puluh ribu rupiah``."""
    if amount < 0:
        raise ValueError("terbilang takes a non-negative amount")
    return f"{_indonesian_words().to_cardinal(amount)} rupiah"


@cache
def _indonesian_words():
    """num2words' Indonesian converter, loaded at the first amount and alone: importing the ``num2words``
    package loads every one of its languages. A bundle keeps modules in an archive, where the package
    itself is imported instead."""
    spec = importlib.util.find_spec("num2words")
    folders = (spec.submodule_search_locations or []) if spec else []
    module_file = next((Path(folder) / "lang_ID.py" for folder in folders if (Path(folder) / "lang_ID.py").is_file()),
                       None)
    if module_file is None:
        from num2words.lang_ID import Num2Word_ID
    else:
        loader = importlib.util.spec_from_file_location("pst_num2words_lang_ID", module_file)
        module = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(module)
        Num2Word_ID = module.Num2Word_ID  # noqa: N806 - the library's class name
    return Num2Word_ID()

"""UI language: Bahasa Indonesia by default, English selectable (settings.json ``language``)."""

from __future__ import annotations

_language = "id"


def set_language(language: str) -> None:
    global _language
    _language = "en" if language == "en" else "id"


def language() -> str:
    return _language


def tr(indonesian: str, english: str) -> str:
    return english if _language == "en" else indonesian

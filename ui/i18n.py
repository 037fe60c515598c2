"""UI language: Bahasa Indonesia by default, English selectable (settings.json ``language``).

Qt's own texts (file and print dialogs, standard buttons, context menus) follow it through our
translation ``resources/translations/qtbase_id.qm`` (Qt ships none for Indonesian); its source is
``qtbase_id.ts`` beside it, compiled with ``pyside6-lrelease resources/translations/qtbase_id.ts``."""

from __future__ import annotations

_language = "id"
_qt = {}  # the loaded QTranslator and the application it is installed in


def set_language(language: str) -> None:
    global _language
    _language = "en" if language == "en" else "id"
    apply_qt_language()


def language() -> str:
    return _language


def tr(indonesian: str, english: str) -> str:
    return english if _language == "en" else indonesian


def number_text(number: int) -> str:
    """A count or quantity as the chosen language writes it: ``12.345`` in Indonesian, ``12,345`` in English."""
    return f"{number:,}".replace(",", ".") if _language == "id" else f"{number:,}"


def counted(number: int, one: str, many: str) -> str:
    """``number`` with an English noun in its number: "1 request", "2 requests" (for the English side of
    ``tr``; Indonesian nouns have no plural)."""
    return f"{number_text(number)} {one if number == 1 else many}"


def apply_qt_language() -> None:
    """Install the Indonesian translation of Qt's own texts in the running application when the language is
    Indonesian, remove it for English; nothing before a QApplication exists."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    app = QCoreApplication.instance()
    if app is None:
        return
    installed = _qt.get("app") is app
    if _language == "id" and not installed:
        if "translator" not in _qt:
            import resources

            translator = QTranslator()
            if not translator.load(str(resources.ROOT / "translations" / "qtbase_id.qm")):
                return  # a bundle without it (pst --selftest reports that) keeps Qt's English
            _qt["translator"] = translator
        app.installTranslator(_qt["translator"])
        _qt["app"] = app
    elif _language == "en" and installed:
        app.removeTranslator(_qt["translator"])
        _qt.pop("app")

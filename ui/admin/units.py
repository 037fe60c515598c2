"""The list of BPS offices (resources/bps_units.json) and a searchable picker that fills an office
profile form with a unit's name, code, city and time zone."""

from __future__ import annotations

import json
from functools import cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter

import resources
from ui.i18n import tr
from ui.widgets import named


@cache
def bps_units() -> tuple[dict, ...]:
    """Every listed unit: ``{"unit_code", "name", "city", "time_zone"}``, ordered by code."""
    data = json.loads(resources.path("bps_units.json").read_text(encoding="utf-8"))
    return tuple(sorted(data["units"], key=lambda unit: unit["unit_code"]))


class UnitPicker(QComboBox):
    """Type part of a name or code to narrow the list; choosing a unit emits ``chosen(unit)``.
    The first entry keeps the form as typed, for an office that is not in the list."""

    chosen = Signal(dict)

    def __init__(self, name: str):
        super().__init__()
        named(self, name, tr("Pilih unit BPS dari daftar", "Choose a BPS unit from the list"))
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem(tr("— isi sendiri / cari: ketik nama atau kode —", "— type it in / search by name or code —"),
                     None)
        for unit in bps_units():
            self.addItem(f"{unit['unit_code']} · {unit['name']}", unit)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText(tr("ketik nama atau kode unit", "type a unit name or code"))
        self.setMaxVisibleItems(15)
        self.activated.connect(self._activated)

    def _activated(self, index: int) -> None:
        unit = self.itemData(index)
        if unit:
            self.chosen.emit(dict(unit))

    def choose(self, unit_code: str) -> bool:
        """Select the unit with ``unit_code`` (as a click would); False when it is not listed."""
        for index in range(1, self.count()):
            if self.itemData(index)["unit_code"] == unit_code:
                self.setCurrentIndex(index)
                self._activated(index)
                return True
        return False

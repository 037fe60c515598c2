"""The fee as the officer shows it to the visitor: every line with its formula, and the total."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from pstdesktop.services.tariffs import PricedLine
from ui.i18n import number_text, tr
from ui.officer.common import fill, money, table
from ui.widgets import named


def line_rows(lines: list[PricedLine]) -> list[tuple[list[str], None]]:
    rows = []
    for line in lines:
        what = line.title + (f" — {line.region}" if line.region else "")
        quantity = number_text(line.quantity) + f" {line.unit}"
        rows.append(([line.product_name, what, quantity, line.formula, money(line.amount)], None))
    return rows


class FeeTable(QWidget):
    """Priced lines, the normal total and, for an Rp0 request, the Rp0 total beside it."""

    def __init__(self, name: str, extra: QWidget | None = None):
        super().__init__()
        self.table = table(f"{name}Table", tr("Rincian biaya", "Fee lines"), [
            tr("Produk", "Product"), tr("Judul / wilayah", "Title / region"), tr("Jumlah", "Quantity"),
            tr("Rumus tarif", "Tariff formula"), tr("Biaya", "Fee")], stretch=None)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 200)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.total = named(QLabel(""), f"{name}Total", tr("Total biaya", "Total fee"))
        self.total.setTextFormat(Qt.TextFormat.RichText)
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.schedule = QLabel("")
        self.schedule.setStyleSheet("color:#5f6368")
        bottom = QHBoxLayout()
        if extra is not None:
            bottom.addWidget(extra)
        bottom.addWidget(self.schedule, 1)
        bottom.addWidget(self.total)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def show_lines(self, lines: list[PricedLine], *, waived: bool = False, regulation: str = "") -> int:
        """Fill the table; returns the normal total."""
        fill(self.table, line_rows(lines), keys=[line.item_id for line in lines])
        self.table.resizeRowsToContents()
        normal = sum(line.amount for line in lines)
        if waived:
            self.total.setText(tr(f"Tarif normal <s>{money(normal)}</s> &nbsp; <b style='font-size:13pt'>"
                                  f"Dibayar Rp0 (tarif Rp0)</b>",
                                  f"Normal tariff <s>{money(normal)}</s> &nbsp; <b style='font-size:13pt'>"
                                  f"To pay Rp0 (Rp0 tariff)</b>"))
        else:
            self.total.setText(f"<b style='font-size:13pt'>{tr('Total', 'Total')} {money(normal)}</b>")
        self.schedule.setText(tr(f"Tarif: {regulation}", f"Tariff: {regulation}") if regulation else "")
        return normal

    def selected_item(self) -> int | None:
        row = self.table.currentRow()
        if row < 0:
            return None
        return self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)

"""The supervisor's view of the satisfaction survey (SKM) for one month: each element's mean (NRR),
the IKM, the index converted to 25-100 with two decimals, its quality grade, and the respondents."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pstdesktop.bootstrap import Database
from pstdesktop.services.access import Actor
from pstdesktop.services.feedback import ELEMENT_LABELS, GRADES, SatisfactionIndex
from pstdesktop.services.kiosk import monthly_satisfaction
from pstdesktop.services.office import office_today
from ui.i18n import language, tr
from ui.widgets import named, show_error

MONTHS = (("Januari", "January"), ("Februari", "February"), ("Maret", "March"), ("April", "April"),
          ("Mei", "May"), ("Juni", "June"), ("Juli", "July"), ("Agustus", "August"),
          ("September", "September"), ("Oktober", "October"), ("November", "November"),
          ("Desember", "December"))
GRADE_WORDS = {"A": ("Sangat Baik", "Very good"), "B": ("Baik", "Good"), "C": ("Kurang Baik", "Fair"),
               "D": ("Tidak Baik", "Poor")}


def decimal(value: float, places: int) -> str:
    """``86,11`` in Indonesian, ``86.11`` in English."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if language() == "id" else text


class SatisfactionView(QWidget):
    """Pick a month; the index is recomputed from the raw answers in the database."""

    def __init__(self, database: Database, actor: Actor, today: date | None = None, parent=None):
        super().__init__(parent)
        self.database, self.actor = database, actor
        self.result: SatisfactionIndex | None = None
        if today is None:
            with database.unit_of_work() as session:
                today = office_today(session, actor.office_id)
        named(self, "satisfactionView", tr("Indeks kepuasan masyarakat", "Public satisfaction index"))
        title = QLabel(tr("Indeks Kepuasan Masyarakat (SKM, PermenPANRB 14/2017)",
                          "Public Satisfaction Index (SKM, PermenPANRB 14/2017)"))
        title.setStyleSheet("font-size: 16pt; font-weight: 600")
        self.month = named(QComboBox(), "satisfactionMonth", tr("Bulan", "Month"))
        for pair in MONTHS:
            self.month.addItem(tr(*pair))
        self.month.setCurrentIndex(today.month - 1)
        self.year = named(QSpinBox(), "satisfactionYear", tr("Tahun", "Year"))
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.previous = named(QPushButton("\u2039"), "satisfactionPrevious", tr("Bulan sebelumnya", "Previous month"))
        self.next = named(QPushButton("\u203a"), "satisfactionNext", tr("Bulan berikutnya", "Next month"))
        for arrow in (self.previous, self.next):
            arrow.setFixedWidth(40)
        self.previous.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(1))
        self.month.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        picker = QHBoxLayout()
        picker.addWidget(QLabel(tr("Bulan:", "Month:")))
        for widget in (self.previous, self.month, self.year, self.next):
            picker.addWidget(widget)
        picker.addStretch(1)

        self.figures: dict[str, QLabel] = {}
        summary = QGridLayout()
        summary.setHorizontalSpacing(36)
        for column, (key, caption) in enumerate((
                ("respondents", ("Responden", "Respondents")), ("ikm", ("IKM (skala 1-4)", "IKM (scale 1-4)")),
                ("index", ("Indeks (25-100)", "Index (25-100)")), ("grade", ("Mutu pelayanan", "Service quality")))):
            head = QLabel(tr(*caption))
            head.setStyleSheet("color: #555")
            value = named(QLabel("-"), f"satisfaction_{key}", tr(*caption))
            value.setStyleSheet("font-size: 20pt; font-weight: 700; color: #0b4f8a")
            summary.addWidget(head, 0, column)
            summary.addWidget(value, 1, column)
            self.figures[key] = value
        self.message = named(QLabel(""), "satisfactionMessage", tr("Keterangan", "Note"))
        self.message.setStyleSheet("color: #555")
        self.table = named(QTableWidget(len(ELEMENT_LABELS), 4), "satisfactionTable",
                           tr("Nilai per unsur", "Score per element"))
        self.table.setHorizontalHeaderLabels([tr("Unsur", "Element"), tr("Uraian", "Description"),
                                              tr("NRR", "Mean (NRR)"), tr("NRR x 1/9", "NRR x 1/9")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        scale = QLabel(tr("Mutu: " + ", ".join(f"{letter} {GRADE_WORDS[letter][0]} (\u2265 {decimal(low, 2)})"
                                               for low, letter, _w in GRADES),
                          "Grades: " + ", ".join(f"{letter} {GRADE_WORDS[letter][1]} (\u2265 {decimal(low, 2)})"
                                                 for low, letter, _w in GRADES)))
        scale.setStyleSheet("color: #555")
        scale.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addLayout(picker)
        layout.addLayout(summary)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(scale)
        self.refresh()

    def step(self, months: int) -> None:
        index = self.year.value() * 12 + self.month.currentIndex() + months
        self.year.blockSignals(True)
        self.year.setValue(index // 12)
        self.year.blockSignals(False)
        self.month.setCurrentIndex(index % 12)
        self.refresh()

    def refresh(self) -> None:
        try:
            with self.database.unit_of_work() as session:
                self.result = monthly_satisfaction(session, self.actor, self.year.value(),
                                                   self.month.currentIndex() + 1)
        except Exception as error:  # a lost LAN connection is shown, not a crash
            show_error(self, error)
            return
        result = self.result
        period = f"{tr(*MONTHS[self.month.currentIndex()])} {self.year.value()}"
        for row, labels in enumerate(ELEMENT_LABELS):
            nrr = result.nrr[row] if result else None
            cells = [f"U{row + 1}", tr(*labels), "-" if nrr is None else decimal(nrr, 4),
                     "-" if nrr is None else decimal(nrr / len(ELEMENT_LABELS), 4)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        if result is None:
            for label in self.figures.values():
                label.setText("-")
            self.figures["respondents"].setText("0")
            self.message.setText(tr(f"Belum ada responden pada {period}.", f"No respondents in {period}."))
            return
        letter, _words = result.grade
        self.figures["respondents"].setText(str(result.respondents))
        self.figures["ikm"].setText(decimal(result.ikm, 4))
        self.figures["index"].setText(decimal(result.index, 2))
        self.figures["grade"].setText(f"{letter} \u2014 {tr(*GRADE_WORDS[letter])}")
        self.message.setText(tr(f"{period}: indeks = rata-rata sembilan NRR \u00d7 25, dihitung dari jawaban mentah.",
                                f"{period}: index = mean of the nine NRR \u00d7 25, computed from the raw answers."))

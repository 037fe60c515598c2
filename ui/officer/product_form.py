"""One product line being typed: microdata (survey, year, coverage, full set or chosen variables, the
dataset size typed or read from the prepared file), a WILKERSTAT map (level, coverage, region, number
of maps) or an electronic publication (pages); then format and delivery media."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from exports.text import size_text, thousands
from models import Channel, ProductKind
from pstdesktop.services import validate
from pstdesktop.services.delivery import default_channel
from pstdesktop.services.errors import DomainError
from pstdesktop.services.requests import MEDIA
from ui.i18n import language, tr
from ui.officer.common import Refusal
from ui.officer.labels import FORMATS, KINDS, MAP_PRODUCTS, MICRODATA_PRODUCTS, SURVEYS, word
from ui.officer.labels import MEDIA as MEDIA_WORDS
from ui.widgets import named


def size_hint() -> str:
    return tr("Tulis seperti di Windows Explorer: 850 MB, 1,2 GB, 512 KB, atau jumlah byte. "
              "1 KB = 1.024 byte, 1 MB = 1.048.576 byte.",
              "Write it as Windows Explorer shows it: 850 MB, 1.2 GB, 512 KB, or a byte count. "
              "1 KB = 1,024 bytes, 1 MB = 1,048,576 bytes.")


HINT_STYLE = "color:#5f6368"
EXACT_STYLE = "color:#1f3a5f; font-weight:600"
ERROR_STYLE = "color:#b3261e"


def _form() -> tuple[QWidget, QFormLayout]:
    page = QWidget()
    form = QFormLayout(page)
    form.setContentsMargins(0, 0, 0, 0)
    return page, form


class ProductForm(QWidget):
    changed = Signal()

    def __init__(self, channel: Channel, this_year: int, online_via: str = ""):
        super().__init__()
        self.channel, self.online_via, self.this_year = channel, online_via, this_year
        self.kind = named(QComboBox(), "productKind", tr("Jenis produk", "Product kind"))
        for kind in (ProductKind.MICRODATA, ProductKind.MAP, ProductKind.PUBLICATION):
            self.kind.addItem(word(KINDS, kind), kind)
        self.pages = [self._microdata(), self._map(), self._publication()]  # one shown at a time
        self.data_format = named(QComboBox(), "productFormat", tr("Format", "Format"))
        self.data_format.setEditable(True)
        self.data_format.addItems(FORMATS)
        self.media = named(QComboBox(), "productMedia", tr("Media penyerahan", "Delivery media"))
        for key in MEDIA:
            self.media.addItem(word(MEDIA_WORDS, key), key)
        self.media.setCurrentIndex(self.media.findData(default_channel(channel, online_via)[1]))
        top, form = _form()
        form.addRow(tr("Jenis produk", "Product kind"), self.kind)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(tr("Format", "Format")))
        bottom.addWidget(self.data_format, 1)
        bottom.addSpacing(16)
        bottom.addWidget(QLabel(tr("Media", "Media")))
        bottom.addWidget(self.media, 1)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(top)
        for page in self.pages:
            layout.addRow(page)
        layout.addRow(bottom)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for widget in self.findChildren(QLineEdit):
            widget.textChanged.connect(self.changed)
        for widget in self.findChildren(QSpinBox):
            widget.valueChanged.connect(self.changed)
        for widget in (self.processing, self.map_level, self.map_coverage):
            widget.currentIndexChanged.connect(self.changed)
        self._kind_changed()

    # ---------------------------------------------------------------- the three kinds
    def _microdata(self) -> QWidget:
        page, form = _form()
        self.processing = named(QComboBox(), "microdataProcessing", tr("Pengolahan", "Processing"))
        self.processing.addItem(tr("Tanpa pengolahan (per dataset)", "Without processing (per dataset)"), "raw")
        self.processing.addItem(tr("Dengan pengolahan (tabulasi per tabel)", "With processing (tabulation per table)"),
                                "processed")
        self.survey = named(QComboBox(), "microdataSurvey", tr("Survei / judul data", "Survey / data title"))
        self.survey.setEditable(True)
        self.survey.addItems(SURVEYS)
        self.survey.setCurrentText("")
        self.survey.lineEdit().setPlaceholderText(tr("mis. Susenas Maret (KOR)", "e.g. Susenas Maret (KOR)"))
        self.year = named(QSpinBox(), "microdataYear", tr("Tahun / putaran", "Year / round"))
        self.year.setRange(1945, self.this_year + 1)
        self.year.setValue(self.this_year - 1)
        self.coverage = named(QLineEdit(), "microdataCoverage", tr("Cakupan wilayah", "Coverage"))
        self.coverage.setPlaceholderText(tr("mis. Provinsi Maluku", "e.g. Maluku province"))
        self.fullset = named(QCheckBox(tr("Fullset (semua variabel)", "Full set (all variables)")), "microdataFullset",
                             tr("Fullset", "Full set"))
        self.fullset.setChecked(True)
        self.variables = named(QPlainTextEdit(), "microdataVariables", tr("Variabel terpilih", "Chosen variables"))
        self.variables.setPlaceholderText(tr("Daftar variabel yang dipilih, mis. R101, R105, R301",
                                             "Variables chosen, e.g. R101, R105, R301"))
        self.variables.setFixedHeight(48)
        if self.channel is Channel.WALK_IN:
            self.fullset.setEnabled(False)
            self.fullset.setToolTip(tr("Pembelian langsung: data mikro fullset tanpa pilih variabel.",
                                       "Walk-in purchase: microdata as a full set, no choice of variables."))
        self.fullset.toggled.connect(lambda on: self.variables.setEnabled(not on))
        self.variables.setEnabled(False)
        self.size = named(QLineEdit(), "microdataSize", tr("Ukuran dataset", "Dataset size"))
        self.size.setPlaceholderText(tr("mis. 850 MB atau 1,2 GB", "e.g. 850 MB or 1.2 GB"))
        self.size.setToolTip(size_hint())
        self.size.textChanged.connect(self.show_size)
        self.size_file = ("", -1)  # (file name, size) last read with "Baca dari berkas…"
        self.pick = named(QPushButton(tr("Baca dari berkas…", "Read from file…")), "microdataPickFile",
                          tr("Baca ukuran dari berkas", "Read the size from a file"))
        self.pick.clicked.connect(self.pick_file)
        self.size_note = named(QLabel(""), "microdataSizeNote", tr("Jumlah byte untuk harga", "Bytes the price uses"))
        self.size_note.setWordWrap(True)
        self.size_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.size_note.setMinimumHeight(2 * self.size_note.fontMetrics().lineSpacing())  # steady while typing
        size_row = QHBoxLayout()
        size_row.addWidget(self.size, 1)
        size_row.addWidget(self.pick)
        form.addRow(tr("Pengolahan", "Processing"), self.processing)
        form.addRow(tr("Survei / judul", "Survey / title"), self.survey)
        form.addRow(tr("Tahun / putaran", "Year / round"), self.year)
        form.addRow(tr("Cakupan wilayah", "Coverage"), self.coverage)
        form.addRow(tr("Variabel", "Variables"), self.fullset)
        form.addRow("", self.variables)
        form.addRow(tr("Ukuran dataset", "Dataset size"), size_row)
        form.addRow("", self.size_note)
        self.survey.currentTextChanged.connect(self.changed)
        self.show_size()
        return page

    def _map(self) -> QWidget:
        page, form = _form()
        self.map_level = named(QComboBox(), "mapLevel", tr("Tingkat peta", "Map level"))
        self.map_level.addItem(tr("Kecamatan", "District (kecamatan)"), "kecamatan")
        self.map_level.addItem(tr("Desa/kelurahan", "Village (desa/kelurahan)"), "desa")
        self.map_coverage = named(QComboBox(), "mapCoverage", tr("Cakupan peta", "Map coverage"))
        self.map_coverage.addItem(tr("Satu kabupaten/kota", "One regency/city"), "kab")
        self.map_coverage.addItem(tr("Seluruh Indonesia", "All of Indonesia"), "id")
        self.map_region = named(QLineEdit(), "mapRegion", tr("Wilayah (kabupaten/kota)", "Region (regency/city)"))
        self.map_region.setPlaceholderText(tr("mis. Kabupaten Maluku Tengah", "e.g. Kabupaten Maluku Tengah"))
        self.map_title = named(QLineEdit(tr("Peta digital WILKERSTAT", "WILKERSTAT digital map")), "mapTitle",
                               tr("Judul peta", "Map title"))
        self.map_count = named(QSpinBox(), "mapCount", tr("Jumlah peta", "Number of maps"))
        self.map_count.setRange(1, 999)
        self.map_coverage.currentIndexChanged.connect(
            lambda: self.map_region.setEnabled(self.map_coverage.currentData() == "kab"))
        form.addRow(tr("Tingkat", "Level"), self.map_level)
        form.addRow(tr("Cakupan", "Coverage"), self.map_coverage)
        form.addRow(tr("Wilayah", "Region"), self.map_region)
        form.addRow(tr("Judul", "Title"), self.map_title)
        form.addRow(tr("Jumlah peta", "Maps"), self.map_count)
        return page

    def _publication(self) -> QWidget:
        page, form = _form()
        self.pub_title = named(QLineEdit(), "publicationTitle", tr("Judul publikasi", "Publication title"))
        self.pub_title.setPlaceholderText(tr("mis. Provinsi Maluku Dalam Angka 2026", "e.g. Maluku in Figures 2026"))
        self.pub_year = named(QSpinBox(), "publicationYear", tr("Tahun terbit", "Year"))
        self.pub_year.setRange(1945, self.this_year + 1)
        self.pub_year.setValue(self.this_year)
        self.pages_count = named(QSpinBox(), "publicationPages", tr("Jumlah halaman", "Pages"))
        self.pages_count.setRange(1, 100_000)
        self.pages_count.setValue(50)
        form.addRow(tr("Judul", "Title"), self.pub_title)
        form.addRow(tr("Tahun", "Year"), self.pub_year)
        form.addRow(tr("Halaman", "Pages"), self.pages_count)
        return page

    # ---------------------------------------------------------------- reading the form
    def _kind_changed(self) -> None:
        kind = ProductKind(self.kind.currentData())
        index = [ProductKind.MICRODATA, ProductKind.MAP, ProductKind.PUBLICATION].index(kind)
        for i, page in enumerate(self.pages):
            page.setVisible(i == index)
        self.data_format.setCurrentText({ProductKind.MICRODATA: "dta", ProductKind.MAP: "shp",
                                         ProductKind.PUBLICATION: "pdf"}[kind])
        self.changed.emit()

    def pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Pilih berkas dataset", "Choose the dataset file"))
        if path:
            self.read_size(path)

    def read_size(self, path: str) -> None:
        """The dataset size in bytes, read from the prepared file."""
        try:
            size = os.stat(path).st_size
        except OSError:
            self._note(tr(f"Berkas {path} tidak dapat dibaca.", f"File {path} cannot be read."), ERROR_STYLE)
            return
        self.size_file = (os.path.basename(path), size)
        self.size.setText(thousands(size))

    def show_size(self) -> None:
        """Under the size as it is typed: the exact byte count the price uses, or why it cannot be read."""
        typed = self.size.text()
        if not typed.strip():
            self._note(size_hint(), HINT_STYLE)
            return
        try:
            size = validate.data_size("data_size", typed)
        except DomainError as error:
            self._note(error.message(language()), ERROR_STYLE)
            return
        name, read = self.size_file
        origin = tr(f" · dari berkas {name}", f" · from file {name}") if read == size else ""
        self._note(f"= {size_text(size)}{origin}", EXACT_STYLE)

    def _note(self, text: str, style: str) -> None:
        self.size_note.setText(text)
        self.size_note.setStyleSheet(style)

    def product_code(self) -> str:
        kind = ProductKind(self.kind.currentData())
        if kind is ProductKind.MICRODATA:
            return MICRODATA_PRODUCTS[self.processing.currentData()]
        if kind is ProductKind.MAP:
            return MAP_PRODUCTS[(self.map_coverage.currentData(), self.map_level.currentData())]
        return "pub_electronic"

    def quantity_text(self) -> str:
        kind = ProductKind(self.kind.currentData())
        if kind is ProductKind.MICRODATA:
            return self.size.text()
        if kind is ProductKind.MAP:
            return str(self.map_count.value())
        return str(self.pages_count.value())

    def values(self) -> dict:
        """Keyword arguments for ``requests.add_item``."""
        kind = ProductKind(self.kind.currentData())
        common = {"product_code": self.product_code(), "quantity": self.quantity_text(),
                  "data_format": self.data_format.currentText(), "media": self.media.currentData()}
        if kind is ProductKind.MICRODATA:
            variables = "" if self.fullset.isChecked() else self.variables.toPlainText()
            if not self.fullset.isChecked() and not variables.strip():
                raise Refusal(tr("Tulis variabel yang dipilih, atau centang Fullset.",
                                 "Write the chosen variables, or tick Full set."))
            return common | {"title": self.survey.currentText(), "year": self.year.value(),
                             "region": self.coverage.text(), "variables": variables}
        if kind is ProductKind.MAP:
            region = self.map_region.text() if self.map_coverage.currentData() == "kab" else "Indonesia"
            return common | {"title": self.map_title.text(), "region": region}
        return common | {"title": self.pub_title.text(), "year": self.pub_year.value()}

    def clear_line(self) -> None:
        """Ready for the next product: the identifying fields emptied, the choices kept."""
        self.survey.setCurrentText("")
        self.size.clear()
        self.size_file = ("", -1)
        self.variables.clear()
        self.map_region.clear()
        self.map_count.setValue(1)
        self.pub_title.clear()

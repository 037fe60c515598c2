"""Step 3: the products from the catalogue. The line being typed is priced live by the core tariff
calculator with the schedule in force on the request's date; saved lines are priced as a quote."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from pstdesktop.services import catalogue, clock, requests, tariffs
from pstdesktop.services.clock import local_date
from pstdesktop.services.errors import DomainError, ValidationError
from ui.i18n import language, tr
from ui.officer.common import Refusal, box, error_text, money, primary
from ui.officer.fee_table import FeeTable
from ui.officer.product_form import ProductForm
from ui.officer.wizard import Page
from ui.widgets import named


class TariffBook:
    """The schedule in force on one day, read once: pricing a typed line needs no database."""

    def __init__(self, session, day):
        self.schedule = tariffs.schedule_in_force(session, day)
        self.regulation = self.schedule.regulation
        self.lines = {line.product_id: line for line in self.schedule.lines}
        self.products = {product.code: product for product in catalogue.products(session)}

    def price(self, code: str, quantity_text: str) -> tuple[int, str]:
        product = self.products[code]
        line = self.lines.get(product.id)
        if line is None:
            raise ValidationError("no_schedule", "product", date=self.schedule.effective_from.strftime("%d-%m-%Y"),
                                  product=product.name_id)
        quantity = requests.line_quantity(product, quantity_text)
        amount, extra = tariffs.line_amount(line, quantity)
        return amount, tariffs.formula(line, product, quantity, extra, amount)


class ProductsPage(Page):
    TITLE = ("Produk yang diminta", "Products requested")
    name = "pageProducts"

    def __init__(self, wizard):
        super().__init__(wizard)
        self.book: TariffBook | None = None
        self.form: ProductForm | None = None
        self.form_box = box(tr("Produk baru", "New product"), "productFormBox")
        self.form_layout = QVBoxLayout(self.form_box)
        preview_box = box(tr("Biaya baris ini", "Fee of this line"), "productPreviewBox")
        preview_box.setMinimumWidth(340)  # the wrapped formula stays a few lines high
        self.preview_amount = named(QLabel("-"), "productPreviewAmount", tr("Biaya baris ini", "Fee of this line"))
        self.preview_amount.setStyleSheet("font-size:18pt; font-weight:600; color:#1f3a5f")
        self.preview_formula = named(QLabel(""), "productPreviewFormula", tr("Rumus tarif", "Tariff formula"))
        self.preview_formula.setWordWrap(True)
        self.add_button = primary(named(QPushButton(tr("Tambah ke daftar", "Add to the list")), "productAdd",
                                        tr("Tambah produk ke daftar", "Add the product to the list")))
        self.add_button.clicked.connect(self.add)
        preview = QVBoxLayout(preview_box)
        preview.addWidget(self.preview_amount)
        preview.addWidget(self.preview_formula)
        preview.addStretch(1)
        preview.addWidget(self.add_button)
        top = QHBoxLayout()
        top.addWidget(self.form_box, 3)
        top.addWidget(preview_box, 2)
        self.remove_button = named(QPushButton(tr("Hapus baris terpilih", "Remove the selected line")), "productRemove",
                                   tr("Hapus baris terpilih", "Remove the selected line"))
        self.remove_button.clicked.connect(self.remove)
        self.lines = FeeTable("productLines", extra=self.remove_button)
        list_box = box(tr("Daftar produk permintaan ini", "Products of this request"), "productListBox")
        QVBoxLayout(list_box).addWidget(self.lines, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(list_box, 1)
        self.count = 0

    def enter(self) -> None:
        d = self.draft
        if self.form is None or (self.form.channel, self.form.online_via) != (d.channel, d.online_via):
            if self.form is not None:
                self.form.setParent(None)
            self.form = ProductForm(d.channel, clock.today(d.time_zone).year, d.online_via)
            self.form.changed.connect(self.preview)
            self.form_layout.addWidget(self.form)
            self.form.show()  # added to a page already on screen
        with self.wizard.database.unit_of_work() as session:
            self.book = TariffBook(session, local_date(d.received_at, d.time_zone))
        self.load_lines()
        self.preview()

    def preview(self) -> None:
        """Price the line being typed, as the visitor watches."""
        if self.book is None or self.form is None:
            return
        try:
            amount, formula = self.book.price(self.form.product_code(), self.form.quantity_text())
        except DomainError as error:
            self.preview_amount.setText("-")
            self.preview_formula.setText(error.message(language()) if self.form.quantity_text().strip() else
                                         tr("Isi jumlah untuk melihat biayanya.", "Fill in the quantity to see the fee."))
            return
        self.preview_amount.setText(money(amount))
        self.preview_formula.setText(formula)

    def load_lines(self) -> None:
        with self.wizard.database.unit_of_work() as session:
            request = requests.get_request(session, self.wizard.actor, self.draft.request_id)
            quote = tariffs.quote_request(session, request, self.draft.time_zone)
        self.count = len(quote.lines)
        self.lines.show_lines(list(quote.lines), regulation=quote.regulation)
        self.remove_button.setEnabled(self.count > 0)

    def add(self) -> None:
        self.wizard.message.clear()
        try:
            values = self.form.values()
            with self.wizard.database.unit_of_work() as session:
                requests.add_item(session, self.wizard.actor, self.draft.request_id, **values)
        except Exception as error:
            self.wizard.message.error(error)
            return
        self.form.clear_line()
        self.load_lines()
        self.wizard.mark_saved()
        self.wizard.message.ok(tr("Produk ditambahkan ke daftar.", "Product added to the list."))

    def remove(self) -> None:
        item_id = self.lines.selected_item()
        if item_id is None:
            self.wizard.message.error(tr("Pilih baris yang akan dihapus.", "Choose the line to remove."))
            return
        try:
            with self.wizard.database.unit_of_work() as session:
                requests.remove_item(session, self.wizard.actor, self.draft.request_id, item_id)
        except Exception as error:
            self.wizard.message.error(error_text(error))
            return
        self.load_lines()

    def commit(self) -> None:
        if self.count == 0:
            raise ValidationError("no_items", "request")
        if self.form is not None and self.form.quantity_text().strip() and self.form.kind.currentIndex() == 0 \
                and self.form.survey.currentText().strip():
            raise Refusal(tr("Produk yang sedang diisi belum ditambahkan: tekan \"Tambah ke daftar\" atau kosongkan.",
                             "The product being typed is not in the list yet: press \"Add to the list\" or clear it."))

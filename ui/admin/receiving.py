"""Rekening penerimaan: the office's bank accounts that receive transfers, shown on online invoices.
Added with bank, number and holder (every problem named at once), switched on or off, never deleted."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from pstdesktop.bootstrap import Database
from pstdesktop.services import receiving
from pstdesktop.services.access import Actor
from ui.admin.common import StatusLine
from ui.forms import FormErrors
from ui.i18n import tr
from ui.widgets import named


class ReceivingAccountsBox(QGroupBox):
    def __init__(self, database: Database, actor: Actor):
        super().__init__(tr("Rekening penerimaan (transfer daring)", "Receiving accounts (online transfers)"))
        named(self, "receivingAccounts", tr("Rekening penerimaan", "Receiving accounts"))
        self.database, self.actor = database, actor
        self.table = named(QTableWidget(0, 3), "receivingTable", tr("Rekening penerimaan", "Receiving accounts"))
        self.table.setHorizontalHeaderLabels([tr("Bank", "Bank"), tr("Nomor / pemilik", "Number / holder"),
                                              tr("Status", "Status")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMaximumHeight(96)
        self.bank = named(QLineEdit(), "receivingBank", tr("Nama bank", "Bank name"))
        self.bank.setPlaceholderText(tr("contoh: Bank BRI", "e.g. Bank BRI"))
        self.number = named(QLineEdit(), "receivingNumber", tr("Nomor rekening", "Account number"))
        self.number.setPlaceholderText("0123-01-000456-30-1")
        self.holder = named(QLineEdit(), "receivingHolder", tr("Nama pemilik rekening", "Account holder"))
        self.holder.setPlaceholderText(tr("sesuai buku rekening", "as in the bank book"))
        self.add_button = named(QPushButton(tr("Tambah rekening", "Add account")), "receivingAdd",
                                tr("Tambah rekening", "Add account"))
        self.toggle_button = named(QPushButton(tr("Aktifkan/nonaktifkan", "Switch on/off")), "receivingToggle",
                                   tr("Aktifkan atau nonaktifkan rekening terpilih", "Switch the chosen account on/off"))
        self.add_button.clicked.connect(self.add)
        self.toggle_button.clicked.connect(self.toggle)
        self.summary = named(QLabel(""), "receivingErrors", tr("Masalah", "Problems"))
        self.summary.setWordWrap(True)
        self.summary.hide()
        form = QFormLayout()
        form.addRow(tr("Bank", "Bank"), self.bank)
        form.addRow(tr("Nomor rekening", "Account number"), self.number)
        form.addRow(tr("Atas nama", "Holder"), self.holder)
        self.errors = FormErrors(self, self.summary, {"account_bank": self.bank, "account_number": self.number,
                                                      "account_holder": self.holder}, forms=[form])
        self.status = StatusLine("receivingMessage")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.toggle_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.rows: list[receiving.AccountRow] = []
        self.load()

    def load(self) -> None:
        with self.database.unit_of_work() as session:
            self.rows = receiving.accounts(session, self.actor)
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            for column, text in enumerate((row.bank, f"{row.number} a.n. {row.holder}",
                                           tr("aktif", "active") if row.active else tr("nonaktif", "inactive"))):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.toggle_button.setEnabled(bool(self.rows))

    def add(self) -> None:
        self.status.clear()
        problems = receiving.check_all(self.bank.text(), self.number.text(), self.holder.text())
        if self.errors.show(problems):
            return
        try:
            with self.database.unit_of_work() as session:
                receiving.add(session, self.actor, bank=self.bank.text(), number=self.number.text(),
                              holder=self.holder.text())
        except Exception as error:  # refused: nothing written
            self.status.error(error)
            return
        for edit in (self.bank, self.number, self.holder):
            edit.clear()
        self.load()
        self.status.ok(tr("Rekening penerimaan ditambahkan; invoice daring baru mencantumkannya.",
                          "Receiving account added; new online invoices show it."))

    def toggle(self) -> None:
        index = self.table.currentRow()
        if not 0 <= index < len(self.rows):
            self.status.error(tr("Pilih rekening di tabel.", "Choose an account in the table."))
            return
        row = self.rows[index]
        try:
            with self.database.unit_of_work() as session:
                receiving.set_active(session, self.actor, row.account_id, not row.active)
        except Exception as error:
            self.status.error(error)
            return
        self.load()
        self.status.ok(tr("Rekening diaktifkan.", "Account switched on.") if not row.active
                       else tr("Rekening dinonaktifkan (tetap tercatat).", "Account switched off (kept on record)."))

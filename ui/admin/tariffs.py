"""Tarif: the tariff schedules (newest first, with their state on the office's today), the lines of the
chosen one in Rupiah, a new schedule from a copy of the one in force, and editing a line of a schedule
not yet in force. The rules and their refusals are ``pstdesktop.services.tariffs``'s."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from exports.text import rupiah, thousands
from pstdesktop.bootstrap import Database
from pstdesktop.services import tariffs
from pstdesktop.services.access import Actor
from pstdesktop.services.office import office_today
from ui.admin.account_forms import ServiceForm
from ui.admin.common import AdminTab, StatusLine
from ui.i18n import language, tr
from ui.widgets import named

PAGE_SIZE = 6
LINE_PAGE_SIZE = 50
STATE_WORDS = {tariffs.IN_FORCE: ("berlaku", "in force"), tariffs.FUTURE: ("akan berlaku", "upcoming"),
               tariffs.PAST: ("lama", "superseded")}
STATE_COLOURS = {tariffs.IN_FORCE: QColor("#e3f2e1"), tariffs.FUTURE: QColor("#fff4d6")}
OLD = QColor("#777777")


def state_word(state: str) -> str:
    return STATE_WORDS[state][language() == "en"]


def day_text(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def product_name(line: tariffs.LineRow) -> str:
    return line.product_name_en if language() == "en" else line.product_name_id


def unit_name(line: tariffs.LineRow) -> str:
    return line.unit_en if language() == "en" else line.unit_id


class _Table(QTableWidget):
    """A table that asks for little height, so the tab fits a small screen without scrolling; the
    layout's stretch gives it the rest of the room."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt)
        return QSize(super().sizeHint().width(), 90)


def _table(name: str, accessible: str, headers: list[str]) -> QTableWidget:
    table = named(_Table(0, len(headers)), name, accessible)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return table


class TariffsTab(AdminTab):
    def __init__(self, database: Database, actor: Actor):
        super().__init__()
        self.database, self.actor = database, actor
        self.schedules = tariffs.Rows((), 0, 0, PAGE_SIZE)
        self.lines = tariffs.Rows((), 0, 0, LINE_PAGE_SIZE)
        self.offset = self.line_offset = 0
        self.schedule_table = _table("scheduleTable", tr("Jadwal tarif", "Tariff schedules"), [
            tr("Nama jadwal", "Schedule name"), tr("Dasar hukum", "Legal basis"),
            tr("Berlaku mulai", "Effective from"), tr("Status", "State")])
        header = self.schedule_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.schedule_table.itemSelectionChanged.connect(self._schedule_chosen)
        self.line_table = _table("tariffLineTable", tr("Baris tarif", "Tariff lines"), [
            tr("Produk", "Product"), tr("Tarif dasar", "Base amount"), tr("untuk yang pertama", "for the first"),
            tr("lalu tarif", "then"), tr("per kelipatan", "per further")])
        header = self.line_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.line_table.itemSelectionChanged.connect(self.update_actions)
        self.line_table.doubleClicked.connect(lambda _index: self.edit_line())

        def button(name: str, text: str, slot) -> QPushButton:
            widget = named(QPushButton(text), name, text)
            widget.clicked.connect(slot)
            return widget

        self.copy_button = button("newScheduleButton", tr("Jadwal baru dari salinan…", "New schedule from a copy…"),
                                  self.new_schedule)
        self.edit_button = button("editTariffLineButton", tr("Ubah baris…", "Edit line…"), self.edit_line)
        self.action_buttons = [self.copy_button, self.edit_button]
        self.previous_button = button("schedulePrevious", tr("‹ Sebelumnya", "‹ Previous"), lambda: self.turn(-1))
        self.next_button = button("scheduleNext", tr("Berikutnya ›", "Next ›"), lambda: self.turn(1))
        self.page_label = named(QLabel(""), "schedulePage", tr("Halaman", "Page"))
        self.line_previous = button("linePrevious", "‹", lambda: self.turn_lines(-1))
        self.line_next = button("lineNext", "›", lambda: self.turn_lines(1))
        self.line_page_label = named(QLabel(""), "linePage", tr("Halaman baris", "Line page"))
        self.state_note = named(QLabel(""), "scheduleState", tr("Status jadwal", "Schedule state"))
        self.status = StatusLine("tariffMessage")

        hint = named(QLabel(tr(
            "Harga adalah data, bukan ketentuan di program. Jadwal yang sudah berlaku tidak dapat diubah karena "
            "permintaan telah dihitung dengannya: buat jadwal baru dari salinannya dengan tanggal berlaku yang akan "
            "datang, lalu ubah barisnya (klik dua kali). Permintaan dihitung dengan jadwal yang berlaku pada tanggal "
            "diterimanya; invoice yang sudah terbit menyimpan harganya sendiri.",
            "Prices are data, not rules in the program. A schedule in force cannot change because requests were "
            "priced with it: make a new schedule from a copy with a future effective date, then edit its lines "
            "(double-click). A request is priced by the schedule in force on the day it was received; issued "
            "invoices keep their own prices.")), "tariffHint", tr("Petunjuk", "Hint"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555")
        pager = QHBoxLayout()
        pager.addWidget(self.previous_button)
        pager.addWidget(self.page_label)
        pager.addWidget(self.next_button)
        pager.addStretch(1)
        pager.addWidget(self.copy_button)
        line_bar = QHBoxLayout()
        line_bar.addWidget(self.state_note, 1)
        line_bar.addWidget(self.line_previous)
        line_bar.addWidget(self.line_page_label)
        line_bar.addWidget(self.line_next)
        line_bar.addWidget(self.edit_button)
        self.edit_button.setMinimumWidth(self.copy_button.sizeHint().width())
        layout = QVBoxLayout(self)
        layout.addWidget(self.schedule_table, 1)
        layout.addLayout(pager)
        layout.addSpacing(6)
        layout.addLayout(line_bar)
        layout.addWidget(self.line_table, 2)
        layout.addWidget(hint)
        layout.addWidget(self.status)
        self.refresh()

    # --- reading ---------------------------------------------------------------------------------

    def refresh(self, keep: int | None = None) -> None:
        """Read the current page of schedules (and the lines of the one kept or chosen)."""
        keep = keep if keep is not None else (self.selected().id if self.selected() else None)
        with self.database.unit_of_work() as session:
            self.schedules = tariffs.list_schedules(session, self.actor, offset=self.offset, limit=PAGE_SIZE)
            if not self.schedules.rows and self.offset:
                self.offset = max(0, (self.schedules.total - 1) // PAGE_SIZE * PAGE_SIZE)
                self.schedules = tariffs.list_schedules(session, self.actor, offset=self.offset, limit=PAGE_SIZE)
        rows = self.schedules.rows
        table = self.schedule_table
        table.blockSignals(True)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [row.code, row.regulation, day_text(row.effective_from), state_word(row.state)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.state in STATE_COLOURS:
                    item.setBackground(QBrush(STATE_COLOURS[row.state]))
                else:
                    item.setForeground(QBrush(OLD))
                if c == 1:
                    item.setToolTip(row.regulation)
                table.setItem(r, c, item)
        table.blockSignals(False)
        pages = max(1, -(-self.schedules.total // PAGE_SIZE))
        self.page_label.setText(tr(f"Halaman {self.offset // PAGE_SIZE + 1} dari {pages} · "
                                   f"{self.schedules.total} jadwal",
                                   f"Page {self.offset // PAGE_SIZE + 1} of {pages} · {self.schedules.total} schedules"))
        self.previous_button.setEnabled(self.offset > 0)
        self.next_button.setEnabled(self.offset + PAGE_SIZE < self.schedules.total)
        chosen = next((r for r, row in enumerate(rows) if row.id == keep), None)
        if chosen is None:  # the one in force, else the first
            chosen = next((r for r, row in enumerate(rows) if row.state == tariffs.IN_FORCE), 0 if rows else None)
        if chosen is None:
            self._schedule_chosen()
        else:
            table.selectRow(chosen)
            self._schedule_chosen()

    def turn(self, step: int) -> None:
        self.offset = max(0, self.offset + step * PAGE_SIZE)
        self.refresh(keep=-1)

    def turn_lines(self, step: int) -> None:
        self.line_offset = max(0, self.line_offset + step * LINE_PAGE_SIZE)
        self._show_lines()

    def selected(self) -> tariffs.ScheduleRow | None:
        rows = self.schedule_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.schedules.rows):
            return None
        return self.schedules.rows[rows[0].row()]

    def select(self, code: str) -> None:
        """Select the schedule named ``code`` on the page shown (as a click would)."""
        row = next(r for r, schedule in enumerate(self.schedules.rows) if schedule.code == code)
        self.schedule_table.selectRow(row)

    def _schedule_chosen(self) -> None:
        self.line_offset = 0
        self._show_lines()

    def _show_lines(self) -> None:
        schedule = self.selected()
        if schedule is None:
            self.lines = tariffs.Rows((), 0, 0, LINE_PAGE_SIZE)
        else:
            with self.database.unit_of_work() as session:
                self.lines = tariffs.schedule_lines(session, schedule.id, offset=self.line_offset,
                                                    limit=LINE_PAGE_SIZE)
        self.line_table.setRowCount(len(self.lines.rows))
        for r, line in enumerate(self.lines.rows):
            unit = unit_name(line)
            cells = [product_name(line), rupiah(line.base_amount), f"{thousands(line.base_quantity)} {unit}",
                     rupiah(line.step_amount), f"{thousands(line.step_quantity)} {unit}"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (1, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.line_table.setItem(r, c, item)
        pages = max(1, -(-self.lines.total // LINE_PAGE_SIZE))
        for widget in (self.line_previous, self.line_page_label, self.line_next):
            widget.setVisible(pages > 1)
        self.line_page_label.setText(f"{self.line_offset // LINE_PAGE_SIZE + 1}/{pages}")
        self.line_previous.setEnabled(self.line_offset > 0)
        self.line_next.setEnabled(self.line_offset + LINE_PAGE_SIZE < self.lines.total)
        self.state_note.setText(self._state_text(schedule))
        self.update_actions()

    @staticmethod
    def _state_text(schedule: tariffs.ScheduleRow | None) -> str:
        if schedule is None:
            return ""
        day = day_text(schedule.effective_from)
        if schedule.state == tariffs.FUTURE:
            return tr(f"<b>{schedule.code}</b> akan berlaku mulai {day}: barisnya dapat diubah sampai hari itu.",
                      f"<b>{schedule.code}</b> comes into force on {day}: its lines can be edited until then.")
        if schedule.state == tariffs.IN_FORCE:
            return tr(f"<b>{schedule.code}</b> berlaku sejak {day}: hanya dapat dibaca.",
                      f"<b>{schedule.code}</b> is in force since {day}: read-only.")
        return tr(f"<b>{schedule.code}</b> berlaku sejak {day} dan sudah diganti: hanya dapat dibaca.",
                  f"<b>{schedule.code}</b> was in force from {day} and has been superseded: read-only.")

    def selected_line(self) -> tariffs.LineRow | None:
        rows = self.line_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.lines.rows):
            return None
        return self.lines.rows[rows[0].row()]

    def update_actions(self) -> None:
        self.edit_button.setEnabled(self.selected_line() is not None)

    # --- changing --------------------------------------------------------------------------------

    def new_schedule(self) -> None:
        with self.database.unit_of_work() as session:
            today = office_today(session, self.actor.office_id)
            latest = tariffs.list_schedules(session, self.actor, limit=1).rows
            try:
                source = tariffs.schedule_in_force(session, today).code
            except Exception as error:  # no schedule in force: nothing to copy
                self.status.error(error)
                return
        form = NewScheduleForm(self.database, self.actor, today, source, latest[0] if latest else None, self)
        if form.exec() == QDialog.DialogCode.Accepted:
            self.offset = 0
            self.refresh(keep=form.created_id)
            self.status.ok(tr(f"Jadwal {form.created} dibuat dari salinan jadwal yang berlaku; ubah barisnya bila "
                              "perlu sebelum tanggal berlakunya.",
                              f"Schedule {form.created} was made from a copy of the schedule in force; edit its "
                              "lines as needed before its effective date."))

    def edit_line(self) -> None:
        schedule, line = self.selected(), self.selected_line()
        if schedule is None or line is None:
            return
        try:
            with self.database.unit_of_work() as session:
                tariffs.check_editable(session, self.actor, schedule.id)
        except Exception as error:  # refused: say why, open nothing
            self.status.error(error)
            return
        form = LineForm(self.database, self.actor, schedule, line, self)
        if form.exec() == QDialog.DialogCode.Accepted:
            row = self.line_table.currentRow()
            self._show_lines()
            self.line_table.selectRow(row)
            self.status.ok(tr(f"Tarif {product_name(line)} pada {schedule.code} diubah.",
                              f"The price of {product_name(line)} in {schedule.code} was changed."))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class NewScheduleForm(ServiceForm):
    """Name, legal basis and effective date of a copy of the schedule in force."""

    def __init__(self, database: Database, actor: Actor, today: date, source: str,
                 latest: tariffs.ScheduleRow | None, parent=None):
        super().__init__(database, actor, tr("Jadwal tarif baru", "New tariff schedule"), "newSchedule", parent)
        self.setMinimumWidth(520)
        self.findChild(QPushButton, "newScheduleOk").setText(tr("Buat jadwal", "Make schedule"))
        first = max(today, latest.effective_from if latest else today) + timedelta(days=1)
        self.code = named(QLineEdit(), "newScheduleCode", tr("Nama jadwal", "Schedule name"))
        self.code.setMaxLength(40)
        self.code.setPlaceholderText(tr("mis. PP13-2024-REV1", "e.g. PP13-2024-REV1"))
        self.regulation = named(QLineEdit(), "newScheduleRegulation", tr("Dasar hukum", "Legal basis"))
        self.regulation.setPlaceholderText(tr("mis. Peraturan BPS No. … Tahun …", "e.g. BPS Regulation No. … of …"))
        self.effective = named(QDateEdit(_qdate(first)), "newScheduleEffective", tr("Tanggal berlaku", "Effective date"))
        self.effective.setCalendarPopup(True)
        self.effective.setDisplayFormat("dd-MM-yyyy")
        self.effective.setMinimumDate(_qdate(today + timedelta(days=1)))
        after_id = (f" dan sesudah {day_text(latest.effective_from)} ({latest.code}, jadwal terakhir)"
                    if latest else "")
        after_en = (f" and after {day_text(latest.effective_from)} ({latest.code}, the latest schedule)"
                    if latest else "")
        note = QLabel(tr(f"Baris tarif disalin dari {source}, jadwal yang berlaku hari ini ({day_text(today)}). "
                         f"Tanggal berlaku harus sesudah hari ini{after_id}.",
                         f"The lines are copied from {source}, the schedule in force today ({day_text(today)}). "
                         f"The effective date must be after today{after_en}."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        self.form.addRow(tr("Nama jadwal", "Schedule name"), self.code)
        self.form.addRow(tr("Dasar hukum", "Legal basis"), self.regulation)
        self.form.addRow(tr("Tanggal berlaku", "Effective date"), self.effective)
        self.form.addRow(note)
        self.created, self.created_id = "", 0

    def submit(self, session) -> None:
        schedule = tariffs.copy_schedule(session, self.actor, self.code.text(), self.regulation.text(),
                                         self.effective.date().toPython())
        self.created, self.created_id = schedule.code, schedule.id


class LineForm(ServiceForm):
    """The four numbers of one line; amounts may be typed with dots (``25.000``) or ``Rp``."""

    def __init__(self, database: Database, actor: Actor, schedule: tariffs.ScheduleRow, line: tariffs.LineRow,
                 parent=None):
        super().__init__(database, actor, tr(f"Ubah tarif — {schedule.code}", f"Edit price — {schedule.code}"),
                         "tariffLine", parent)
        self.setMinimumWidth(520)
        self.line_id = line.id
        unit = unit_name(line)
        product = QLabel(f"<b>{product_name(line)}</b>")
        product.setWordWrap(True)
        self.base_amount = self._edit("tariffLineBaseAmount", tr("Tarif dasar (Rp)", "Base amount (Rp)"),
                                      thousands(line.base_amount))
        self.base_quantity = self._edit("tariffLineBaseQuantity", tr(f"Untuk ({unit} pertama)",
                                                                     f"For the first ({unit})"),
                                        thousands(line.base_quantity))
        self.step_amount = self._edit("tariffLineStepAmount", tr("Lalu per kelipatan (Rp)", "Then per step (Rp)"),
                                      thousands(line.step_amount))
        self.step_quantity = self._edit("tariffLineStepQuantity", tr(f"Besar kelipatan ({unit})", f"Step size ({unit})"),
                                        thousands(line.step_quantity))
        self.example = named(QLabel(""), "tariffLineExample", tr("Contoh", "Example"))
        self.example.setWordWrap(True)
        self.example.setStyleSheet("color: #555")
        self.form.addRow(tr("Produk", "Product"), product)
        for edit in (self.base_amount, self.base_quantity, self.step_amount, self.step_quantity):
            self.form.addRow(edit.accessibleName(), edit)
            edit.textChanged.connect(self._explain)
        self.form.addRow(self.example)
        self.unit = unit
        self._explain()

    def _edit(self, name: str, label: str, value: str) -> QLineEdit:
        edit = named(QLineEdit(value), name, label)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        return edit

    def _explain(self) -> None:
        """The regressive shape in words, as the values typed so far read."""
        values = [edit.text().strip().removeprefix("Rp").removeprefix("rp").strip()
                  for edit in (self.base_amount, self.base_quantity, self.step_amount, self.step_quantity)]
        base_amount, base_quantity, step_amount, step_quantity = values
        self.example.setText(tr(
            f"Rp{base_amount} untuk {base_quantity} {self.unit} pertama, lalu Rp{step_amount} untuk setiap "
            f"{step_quantity} {self.unit} berikutnya atau bagiannya (sisa dibulatkan ke atas). Jumlah dasar dan "
            "kelipatan paling sedikit 1; tarif boleh 0.",
            f"Rp{base_amount} for the first {base_quantity} {self.unit}, then Rp{step_amount} for each further "
            f"{step_quantity} {self.unit} or part of it (rounded up). Base quantity and step are at least 1; "
            "amounts may be 0."))

    def submit(self, session) -> None:
        tariffs.edit_line(session, self.actor, self.line_id, base_amount=self.base_amount.text(),
                          base_quantity=self.base_quantity.text(), step_amount=self.step_amount.text(),
                          step_quantity=self.step_quantity.text())

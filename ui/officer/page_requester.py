"""Step 1: who asks — a visitor from today's queue, or an online request by email, WA or the forum."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models import Channel
from pstdesktop.services import clock, guestbook, online, validate
from pstdesktop.services.clock import fmt_local, utcnow
from pstdesktop.services.errors import ValidationError
from ui.forms import FormRefusal
from ui.i18n import tr
from ui.officer.common import Refusal, box, fill, hint, selected_key, table
from ui.officer.labels import ONLINE_VIA, VISIT, word
from ui.officer.pager import Pager
from ui.officer.requester_form import RequesterForm
from ui.officer.wizard import Page
from ui.widgets import named, office_now, to_utc

MAX_SEEK_PAGES = 40


class RequesterPage(Page):
    TITLE = ("Pemohon", "Requester")
    name = "pageRequester"

    def __init__(self, wizard):
        super().__init__(wizard)
        self.walk_in = named(QRadioButton(tr("Pengunjung dari antrean hari ini", "A visitor from today's queue")),
                             "modeWalkIn", tr("Pengunjung dari antrean", "Visitor from the queue"))
        self.online = named(QRadioButton(tr("Permintaan daring (email, WhatsApp, Forum Silastik)",
                                            "Online request (email, WhatsApp, Forum Silastik)")),
                            "modeOnline", tr("Permintaan daring", "Online request"))
        group = QButtonGroup(self)
        group.addButton(self.walk_in)
        group.addButton(self.online)
        modes = QHBoxLayout()
        modes.addWidget(self.walk_in)
        modes.addWidget(self.online)
        modes.addStretch(1)
        self.panels = QStackedWidget()
        self.panels.addWidget(self._queue_panel())
        self.panels.addWidget(self._online_panel())
        self.walk_in.toggled.connect(self._mode)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(modes)
        layout.addWidget(self.panels, 1)
        self.found_visitor: int | None = None
        self.found_name = ""

    # ---------------------------------------------------------------- walk-in: today's queue
    def _queue_panel(self) -> QWidget:
        panel = box(tr("Antrean hari ini", "Today's queue"), "requesterQueueBox")
        self.queue = table("requesterQueue", tr("Antrean hari ini", "Today's queue"), [
            tr("No. antrean", "Queue no."), tr("Nama", "Name"), tr("Asal instansi", "Institution"),
            tr("Keperluan", "Purpose"), tr("Datang", "Arrived"), tr("Status", "Status")])
        self.queue_pager = Pager("requesterQueuePager", page_size=12)
        self.queue_pager.changed.connect(self.load_queue)
        layout = QVBoxLayout(panel)
        layout.addWidget(hint(tr("Pilih pengunjung yang sedang dilayani. Memilih pengunjung yang masih menunggu "
                                 "mulai melayaninya.",
                                 "Choose the visitor being served. Choosing a waiting visitor starts serving them.")))
        layout.addWidget(self.queue, 1)
        layout.addWidget(self.queue_pager)
        return panel

    def seek_visit(self) -> None:
        """Open the queue at the page holding the visit the wizard was started for."""
        self.queue_pager.reset()
        for _page in range(MAX_SEEK_PAGES):
            self.load_queue()
            if selected_key(self.queue) is not None or not self.queue_pager.next.isEnabled():
                return
            self.queue_pager.page += 1
        self.queue_pager.reset()
        self.load_queue()

    def load_queue(self) -> None:
        with self.wizard.database.unit_of_work() as session:
            visits = guestbook.queue(session, self.wizard.actor, limit=self.queue_pager.limit,
                                     offset=self.queue_pager.offset)
            rows = [(v.id, v.visitor_id, v.queue_code, v.visitor.full_name, v.visitor.institution, v.purpose,
                     fmt_local(v.arrived_at, self.draft.time_zone)[-9:], v.status) for v in visits]
        rows = self.queue_pager.trim(rows)
        fill(self.queue, [([code, name, inst, purpose, arrived, word(VISIT, status)], None)
                          for _v, _p, code, name, inst, purpose, arrived, status in rows],
             keys=[(visit, person, name, status) for visit, person, _c, name, *_rest, status in rows])
        for r, (visit, *_rest) in enumerate(rows):
            if visit == self.draft.visit_id:
                self.queue.selectRow(r)

    # ---------------------------------------------------------------- online: channel, date, requester
    def _online_panel(self) -> QWidget:
        panel = QWidget()
        self.via = named(QComboBox(), "onlineVia", tr("Saluran permintaan", "Request channel"))
        for key in ONLINE_VIA:
            self.via.addItem(word(ONLINE_VIA, key), key)
        self.via.setCurrentIndex(self.via.findData("forum"))
        self.received = named(QDateTimeEdit(office_now(self.draft.time_zone)), "onlineReceived",
                              tr("Tanggal permintaan diterima", "Date received"))
        self.received.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.received.setCalendarPopup(True)
        self.lookup = named(QLineEdit(), "requesterLookup", tr("Cari pemohon lama", "Find a returning requester"))
        self.lookup.setPlaceholderText(tr("Nomor HP atau email pemohon lama", "Mobile number or email of a returning requester"))
        find = named(QPushButton(tr("Cari", "Find")), "requesterLookupButton", tr("Cari pemohon", "Find requester"))
        self.new_button = named(QPushButton(tr("Pemohon baru", "New requester")), "requesterNewButton",
                                tr("Pemohon baru", "New requester"))
        self.found = named(QLabel(""), "requesterFound", tr("Pemohon ditemukan", "Requester found"))
        self.found.setWordWrap(True)
        self.found.setStyleSheet("background:#e8f5e9; border:1px solid #b9dfbd; border-radius:6px; padding:10px;"
                                 "font-size:11pt")
        find.clicked.connect(self.find_returning)
        self.lookup.returnPressed.connect(self.find_returning)
        self.new_button.clicked.connect(self.new_requester)
        top = QFormLayout()
        top.addRow(tr("Saluran", "Channel"), self.via)
        top.addRow(tr("Diterima (waktu kantor)", "Received (office time)"), self.received)
        search = QHBoxLayout()
        search.addWidget(self.lookup, 1)
        search.addWidget(find)
        search.addWidget(self.new_button)
        top.addRow(tr("Pemohon lama", "Returning"), search)
        with self.wizard.database.unit_of_work() as session:
            province = guestbook.home_province(session, self.wizard.actor)
        self.form = RequesterForm(clock.today(self.draft.time_zone).year, province)
        self.form_box = box(tr("Data pemohon baru (buku tamu)", "New requester (guestbook answers)"), "requesterFormBox")
        QVBoxLayout(self.form_box).addWidget(self.form)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.found)
        layout.addWidget(self.form_box, 100)
        layout.addStretch(1)  # keeps a found requester at the top when the form is hidden
        return panel

    def find_returning(self) -> None:
        with self.wizard.database.unit_of_work() as session:
            person = guestbook.find_returning(session, self.wizard.actor, self.lookup.text())
            found = (person.id, person.full_name, person.institution, person.email) if person else None
        if found is None:
            self.new_requester()
            self.wizard.message.error(tr("Pemohon lama tidak ditemukan; isi data pemohon baru.",
                                         "No returning requester found; fill in a new requester."))
            return
        self.found_visitor, self.found_name = found[0], found[1]
        shown = " · ".join(escape(part) for part in found[1:])
        self.found.setText(tr(f"Pemohon lama: {shown}", f"Returning requester: {shown}"))
        self.found.setVisible(True)
        self.form_box.setVisible(False)
        self.wizard.message.clear()

    def new_requester(self) -> None:
        self.found_visitor = None
        self.found.setVisible(False)
        self.form_box.setVisible(True)

    # ---------------------------------------------------------------- page
    def _mode(self) -> None:
        self.panels.setCurrentIndex(0 if self.walk_in.isChecked() else 1)
        if self.walk_in.isChecked():
            self.seek_visit() if self.draft.visit_id is not None else self.load_queue()

    def enter(self) -> None:
        online = self.draft.channel is Channel.ONLINE
        (self.online if online else self.walk_in).setChecked(True)
        self.found.setVisible(self.found_visitor is not None)
        self.form_box.setVisible(self.found_visitor is None)
        self._mode()

    def can_go_back(self) -> bool:
        return self.draft.request_id is None

    def fields(self) -> dict[str, QWidget]:
        return {"received_at": self.received} | self.form.fields()

    def commit(self) -> None:
        if self.walk_in.isChecked():
            chosen = selected_key(self.queue)
            if chosen is None:
                raise Refusal(tr("Pilih pengunjung dari antrean.", "Choose a visitor from the queue."))
            self.draft.channel = Channel.WALK_IN
            self.draft.visit_id, self.draft.visitor_id, self.draft.requester, self.draft.extra["visit_status"] = chosen
            self.draft.new_requester = None
            return
        received = to_utc(self.received.dateTime(), self.draft.time_zone)
        errors: dict[str, ValidationError] = {}
        try:
            validate.not_future("received_at", received, utcnow())
        except ValidationError as error:
            errors["received_at"] = error
        answers = self.form.answers() if self.found_visitor is None else None
        if answers is not None:  # every broken answer is refused before anything is saved
            errors |= online.check_requester(answers, clock.today(self.draft.time_zone).year)
        if errors:
            raise FormRefusal(errors)
        if answers is None:
            self.draft.visitor_id, self.draft.new_requester = self.found_visitor, None
            self.draft.requester = self.found_name
        else:
            self.draft.visitor_id, self.draft.new_requester = None, answers
            self.draft.requester = answers["full_name"].strip()
        self.draft.channel, self.draft.visit_id = Channel.ONLINE, None
        self.draft.online_via, self.draft.received_at = self.via.currentData(), received

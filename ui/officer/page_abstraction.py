"""Step 2: the abstraction of data use (abstraksi penggunaan data). Saving it opens the request."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from models import Channel, VisitStatus
from pstdesktop.services import guestbook, online, requests
from ui.i18n import tr
from ui.officer.common import hint
from ui.officer.labels import ONLINE_VIA, word
from ui.officer.wizard import Page
from ui.widgets import named


class AbstractionPage(Page):
    TITLE = ("Abstraksi penggunaan data", "Abstraction of data use")
    name = "pageAbstraction"

    def __init__(self, wizard):
        super().__init__(wizard)
        self.who = named(QLabel(""), "abstractionRequester", tr("Pemohon", "Requester"))
        self.who.setWordWrap(True)
        self.text = named(QPlainTextEdit(), "abstractionText", tr("Abstraksi penggunaan data", "Abstraction of data use"))
        self.text.setPlaceholderText(tr(
            "Contoh: Analisis determinan kemiskinan rumah tangga di Provinsi Maluku untuk tesis magister; "
            "membutuhkan data konsumsi dan karakteristik rumah tangga tingkat kabupaten.",
            "E.g.: Analysis of household poverty in Maluku province for a master's thesis; needs household "
            "consumption and characteristics at regency level."))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.who)
        layout.addWidget(hint(tr(
            "Tuliskan untuk apa data akan digunakan, sebagaimana disampaikan pemohon. Daftar data yang diminta "
            "akan diperiksa kesesuaiannya dengan abstraksi ini.",
            "Write what the data will be used for, as the requester says it. The list of data requested is "
            "checked against this abstraction.")))
        layout.addWidget(self.text, 1)

    def fields(self) -> dict[str, QWidget]:
        return {"abstraction": self.text}

    def enter(self) -> None:
        d = self.draft
        if d.channel is Channel.ONLINE:
            how = tr(f"Permintaan daring melalui {word(ONLINE_VIA, d.online_via)}",
                     f"Online request through {word(ONLINE_VIA, d.online_via)}")
        else:
            how = tr("Datang langsung ke PST", "Walk-in at the PST desk")
        self.who.setText(f"<b>{escape(d.requester)}</b> · {how}")
        if d.request_id is not None and not self.text.toPlainText():
            with self.wizard.database.unit_of_work() as session:
                self.text.setPlainText(online.case_file(session, self.wizard.actor, d.request_id).abstraction)

    def commit(self) -> None:
        d, actor, text = self.draft, self.wizard.actor, self.text.toPlainText()
        request_id, visitor_id = d.request_id, d.visitor_id
        with self.wizard.database.unit_of_work() as session:
            if request_id is None:
                if d.new_requester is not None:
                    visitor_id = online.register_requester(session, actor, d.new_requester).id
                if d.channel is Channel.WALK_IN and d.extra.get("visit_status") is VisitStatus.WAITING:
                    guestbook.start_serving(session, actor, d.visit_id)
                request_id = requests.open_request(session, actor, visitor_id=visitor_id, channel=d.channel,
                                                   visit_id=d.visit_id, online_via=d.online_via,
                                                   received_at=d.received_at, abstraction=text).id
            requests.set_abstraction(session, actor, request_id, text)  # an empty abstraction undoes it all
        d.request_id, d.visitor_id, d.new_requester = request_id, visitor_id, None
        self.wizard.reload()

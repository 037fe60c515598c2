"""Step 5: the conformity check — does the list fit the abstraction? Fitting approves the request
(priced, Rp0 applied, online deadline set from when the request became clear: now, or earlier when the
officer says so); not fitting redirects it to statistical consultation."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from models import Channel
from pstdesktop.services import online, requests
from ui.i18n import language, number_text, tr
from ui.officer.clear_moment import ClearField
from ui.officer.common import box, hint
from ui.officer.wizard import Page
from ui.widgets import named


class ConformityPage(Page):
    TITLE = ("Pemeriksaan kesesuaian", "Conformity check")
    name = "pageConformity"

    def __init__(self, wizard):
        super().__init__(wizard)
        self.abstraction = named(QTextBrowser(), "conformityAbstraction", tr("Abstraksi", "Abstraction"))
        self.items = named(QTextBrowser(), "conformityItems", tr("Daftar data", "List of data"))
        for browser in (self.abstraction, self.items):  # they take the height left, so the decision stays in view
            browser.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            browser.setMinimumHeight(90)
        abstraction_box = box(tr("Abstraksi penggunaan data", "Abstraction of data use"), "conformityAbstractionBox")
        QVBoxLayout(abstraction_box).addWidget(self.abstraction)
        items_box = box(tr("Daftar data yang diminta", "Data requested"), "conformityItemsBox")
        QVBoxLayout(items_box).addWidget(self.items)
        sides = QHBoxLayout()
        sides.addWidget(abstraction_box, 1)
        sides.addWidget(items_box, 1)
        self.fits = named(QRadioButton(tr("Sesuai — setujui; lanjut ke invoice dan SPPD",
                                          "Fits — approve; go on to the invoice and SPPD")),
                          "conformityFits", tr("Sesuai", "Fits"))
        self.redirect = named(QRadioButton(tr("Tidak sesuai — alihkan ke konsultasi statistik",
                                              "Does not fit — redirect to statistical consultation")),
                              "conformityRedirect", tr("Tidak sesuai", "Does not fit"))
        group = QButtonGroup(self)
        group.addButton(self.fits)
        group.addButton(self.redirect)
        self.fits.setChecked(True)
        self.reason = named(QPlainTextEdit(), "redirectReason", tr("Alasan pengalihan", "Reason for the redirect"))
        self.reason.setPlaceholderText(tr("Mengapa daftar data tidak sesuai dengan abstraksi",
                                          "Why the list does not fit the abstraction"))
        self.reason.setFixedHeight(70)
        self.reason.setEnabled(False)
        self.redirect.toggled.connect(self._decision)
        decision = box(tr("Keputusan", "Decision"), "conformityDecision")
        column = QVBoxLayout(decision)
        column.addWidget(QLabel(tr("Apakah daftar data sesuai dengan abstraksi penggunaan data?",
                                   "Does the list of data fit the abstraction of data use?")))
        column.addWidget(self.fits)
        self.clear = ClearField("conformityClearAt")
        self.clear_box = QWidget()
        named(self.clear_box, "conformityClearBox", tr("Permintaan jelas sejak", "Request clear since"))
        clear_rows = QVBoxLayout(self.clear_box)
        clear_rows.setContentsMargins(24, 0, 0, 4)
        clear_row = QHBoxLayout()
        clear_row.addWidget(QLabel(tr("Permintaan jelas (lengkap dan disepakati) sejak",
                                      "Request clear (complete and agreed) since")))
        clear_row.addWidget(self.clear, 1)
        clear_rows.addLayout(clear_row)
        clear_rows.addWidget(hint(tr(
            "Bawaan: saat disetujui. Bila sudah lengkap dan disepakati lebih awal (mis. baru dicatat sekarang), "
            "isi saat itu — tidak sebelum permintaan diterima, tidak di masa depan.",
            "Default: the moment of approval. If it was complete and agreed earlier (e.g. entered only now), give "
            "that moment — not before the request was received, not in the future.")))
        column.addWidget(self.clear_box)
        column.addWidget(self.redirect)
        column.addWidget(self.reason)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(sides, 1)
        layout.addWidget(decision)

    def fields(self) -> dict[str, QWidget]:
        return {"reason": self.reason, "clear_at": self.clear.edit}

    def _decision(self) -> None:
        self.reason.setEnabled(self.redirect.isChecked())
        self.clear_box.setVisible(self.draft.channel is Channel.ONLINE)  # a walk-in's hour starts at the guestbook
        self.clear_box.setEnabled(self.fits.isChecked())
        self.wizard.refresh_buttons()

    def next_text(self) -> str:
        return tr("Alihkan ke konsultasi", "Redirect") if self.redirect.isChecked() else tr("Setujui ▶", "Approve ▶")

    def enter(self) -> None:
        with self.wizard.database.unit_of_work() as session:
            case = online.case_file(session, self.wizard.actor, self.draft.request_id, language())
        self.abstraction.setPlainText(case.abstraction)
        rows = []
        for item in case.items:
            where = f" — {escape(item.region)}" if item.region else ""
            year = f" ({item.year})" if item.year else ""
            chosen = (tr(f"<br><i>Variabel: {escape(item.variables)}</i>",
                         f"<br><i>Variables: {escape(item.variables)}</i>") if item.variables else "")
            quantity = number_text(item.quantity)
            rows.append(f"<li><b>{escape(item.title)}{year}</b>{where}<br>{escape(item.product_name)} · "
                        f"{quantity} {escape(item.unit)}{chosen}</li>")
        waiver = self.draft.waiver
        note = (tr("<p>Kategori Rp0 diajukan: tarif Rp0 diterapkan saat disetujui.</p>",
                   "<p>Rp0 category requested: the Rp0 tariff is applied on approval.</p>") if waiver else "")
        self.items.setHtml(f"<ul>{''.join(rows)}</ul>{note}")
        self.clear.start(self.draft.time_zone, case.received_at)
        self._decision()

    def commit(self) -> None:
        d, actor = self.draft, self.wizard.actor
        with self.wizard.database.unit_of_work() as session:
            if self.redirect.isChecked():
                requests.redirect(session, actor, d.request_id, self.reason.toPlainText())
                d.extra["total"] = None
            else:
                quote = requests.approve(session, actor, d.request_id, waiver=d.waiver, at=self.clear.moment())
                d.extra["total"] = quote.total
                d.extra["normal_total"] = quote.normal_total
        self.wizard.reload()

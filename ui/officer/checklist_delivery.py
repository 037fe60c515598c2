"""The hand-over side of the checklist: each product's prepared files (size and SHA-256 computed off
the GUI thread), media and label, the receipt handed over; the visitor's check or a reported error,
what was fixed and handing over again; and the history of hand-overs."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from exports.text import short_size, size_text
from models import Channel, DeliveryChannel, RequestState, Role
from pstdesktop.services import delivery
from pstdesktop.services.errors import StateError
from pstdesktop.services.online import CaseFile
from pstdesktop.services.requests import MEDIA
from ui import evidence as stored
from ui.i18n import language, tr
from ui.officer import jobs
from ui.officer.checklist_papers import Section, _label
from ui.officer.checksum import checksum_work
from ui.officer.common import Refusal, error_text, fill, hint, primary, table
from ui.officer.labels import DELIVERY_CHANNELS, word
from ui.officer.labels import MEDIA as MEDIA_WORDS
from ui.officer.size_check import SizeCheck
from ui.widgets import named

S = RequestState
READY_TO_HAND_OVER = (S.RECEIPTED, S.CORRECTION_REQUESTED)
PREPARING = (S.APPROVED, S.INVOICED, S.PAID)
SHA_SHOWN = 10  # hex digits of a SHA-256 in the table; the whole in its tooltip


@dataclass
class Prepared:
    item_id: int
    path: str
    size: int | None = None
    sha256: str = ""
    problem: str = ""
    done: int = 0
    total: int = 0

    @property
    def hashing(self) -> bool:
        return self.size is None and not self.problem


class DeliveryBox(Section):
    def __init__(self, owner):
        super().__init__(owner, tr("Penyerahan data", "Hand-over of the data"), "deliverySection")
        self.state = _label("deliveryStatus", tr("Penyerahan", "Hand-over"))
        self.product = named(QComboBox(), "deliveryProduct", tr("Produk", "Product"))
        self.pick_button = named(QPushButton(tr("Pilih berkas…", "Choose files…")), "deliveryPick",
                                 tr("Pilih berkas untuk produk", "Choose files for the product"))
        self.remove_button = named(QPushButton(tr("Hapus berkas", "Remove file")), "deliveryRemoveFile",
                                   tr("Hapus berkas terpilih", "Remove the selected file"))
        self.files = table("deliveryFiles", tr("Berkas yang disiapkan", "Prepared files"), [
            tr("Produk", "Product"), tr("Berkas", "File"), tr("Ukuran", "Size"), "SHA-256"], stretch=None)
        # product and file share the width left; long ones are elided in the middle, whole in their tooltip
        header = self.files.horizontalHeader()
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(3, self.files.fontMetrics().horizontalAdvance("0" * SHA_SHOWN + "…") + 16)
        self.files.setWordWrap(False)
        self.files.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a file keeps its extension in sight
        self.files.setMaximumHeight(170)
        self.files.setMinimumHeight(120)
        self.channel = named(QComboBox(), "deliveryChannel", tr("Cara penyerahan", "Hand-over channel"))
        for key in DeliveryChannel:
            self.channel.addItem(word(DELIVERY_CHANNELS, key), key)
        self.media = named(QComboBox(), "deliveryMedia", tr("Media", "Media"))
        for key in MEDIA:
            self.media.addItem(word(MEDIA_WORDS, key), key)
        self.label = named(QLineEdit(), "deliveryLabel", tr("Label media", "Media label"))
        self.label.setPlaceholderText(tr("tulisan pada label flashdisk/DVD", "text on the flash drive/DVD label"))
        self.receipt = named(QCheckBox(tr("Kuitansi diserahkan kepada pemohon", "Receipt handed to the requester")),
                             "deliveryReceipt", tr("Kuitansi diserahkan", "Receipt handed over"))
        self.fixes = named(QPlainTextEdit(), "deliveryFixes", tr("Perbaikan yang dilakukan", "What was fixed"))
        self.fixes.setPlaceholderText(tr("Apa yang diperbaiki sebelum diserahkan lagi", "What was fixed before handing over again"))
        self.fixes.setFixedHeight(56)
        self.progress = named(QProgressBar(), "deliveryProgress", tr("Penyerahan berjalan", "Hand-over running"))
        self.progress.setRange(0, 0)
        self.progress.setFormat(tr("Memeriksa berkas dan mencatat penyerahan…", "Checking files and recording…"))
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        self.size_check = SizeCheck(owner)
        self.deliver_button = primary(named(QPushButton(tr("Serahkan data", "Hand over the data")), "deliverButton",
                                            tr("Serahkan data", "Hand over the data")))
        self.pick_button.clicked.connect(self.pick)
        self.remove_button.clicked.connect(self.remove)
        self.deliver_button.clicked.connect(self.deliver)
        pick_row = QHBoxLayout()  # the product on a line of its own: its name is read whole
        pick_row.addStretch(1)
        pick_row.addWidget(self.pick_button)
        pick_row.addWidget(self.remove_button)
        self.form_widget = QWidget()
        form = QFormLayout(self.form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(tr("Cara", "Channel"), self.channel)
        media_row = QHBoxLayout()
        media_row.addWidget(self.media)
        media_row.addWidget(self.label, 1)
        form.addRow(tr("Media dan label", "Media and label"), media_row)
        form.addRow("", self.receipt)
        self.fixes_label = QLabel(tr("Perbaikan yang dilakukan", "What was fixed"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.product)
        layout.addLayout(pick_row)
        layout.addWidget(self.files)
        layout.addWidget(self.size_check)
        layout.addWidget(self.form_widget)
        layout.addWidget(self.fixes_label)
        layout.addWidget(self.fixes)
        layout.addWidget(self.progress)
        layout.addWidget(self.deliver_button)
        self.prepared: list[Prepared] = []
        self.names: dict[int, str] = {}
        self.running = False
        self.defaults_set = False

    def show_case(self, case: CaseFile) -> None:
        ready = case.state in READY_TO_HAND_OVER or (case.state is S.APPROVED and case.waived)
        preparing = ready or case.state in PREPARING
        self.setVisible(case.state not in (S.REDIRECTED, S.DRAFT, S.SUBMITTED, S.CANCELLED))
        self.names = {i.item_id: i.title + (f" — {i.region}" if i.region and i.region != "Indonesia" else "")
                      for i in case.items}
        current = self.product.currentData()
        self.product.clear()
        for item_id, title in self.names.items():
            self.product.addItem(title, item_id)
        if current is not None and self.product.findData(current) >= 0:
            self.product.setCurrentIndex(self.product.findData(current))
        if not self.defaults_set:  # once: a later refresh keeps what the officer chose
            self.defaults_set = True
            channel, media = delivery.default_channel(case.channel, case.online_via,
                                                      tuple(i.media for i in case.items if i.media))
            self.channel.setCurrentIndex(self.channel.findData(channel))
            self.media.setCurrentIndex(max(0, self.media.findData(media)))
            if not self.label.text():
                self.label.setText(case.number)
        correcting = case.state is S.CORRECTION_REQUESTED
        self.fixes.setVisible(correcting)
        self.fixes_label.setVisible(correcting)
        self.receipt.setVisible(not case.waived)
        self.receipt.setEnabled(bool(case.receipt_number))
        if correcting:
            text = tr(f"<b>Kesalahan dilaporkan:</b> {escape(case.open_problem)}<br>Perbaiki, pilih berkas yang sudah "
                      "diperbaiki, tulis apa yang diperbaiki, lalu serahkan lagi.",
                      f"<b>Error reported:</b> {escape(case.open_problem)}<br>Fix it, choose the fixed files, write "
                      "what was fixed, then hand over again.")
        elif ready:
            text = tr("Pilih berkas setiap produk; ukuran dan SHA-256 dihitung saat berkas dipilih.",
                      "Choose each product's files; size and SHA-256 are computed when a file is chosen.")
        elif preparing:
            text = tr("Data diserahkan setelah kuitansi terbit. Berkasnya dapat disiapkan sekarang.",
                      "Data is handed over once the receipt is issued. The files can be prepared now.")
        else:
            text = tr(f"Diserahkan {len(case.deliveries)} kali; lihat riwayat di bawah.",
                      f"Handed over {len(case.deliveries)} time(s); see the history below.")
        self.state.setText(text)
        self.deliver_button.setText(tr("Serahkan lagi", "Hand over again") if correcting
                                    else tr("Serahkan data", "Hand over the data"))
        for widget in (self.product, self.pick_button, self.remove_button, self.files, self.form_widget,
                       self.deliver_button):
            widget.setVisible(preparing)
        self.deliver_button.setEnabled(ready and not self.running)
        self.size_check.show_case(case)
        self._show_files()

    # ---------------------------------------------------------------- files and their checksums
    def pick(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Pilih berkas yang diserahkan", "Choose the files to hand over"))
        for path in paths:
            self.add_file(path)

    def add_file(self, path: str, item_id: int | None = None) -> Prepared:
        """Prepare ``path`` for a product (the one chosen above by default); its checksum starts at once."""
        item_id = item_id if item_id is not None else self.product.currentData()
        entry = Prepared(item_id, str(path))
        self.prepared.append(entry)
        self._show_files()

        def progress(done, total):
            entry.done, entry.total = done, total
            self._show_progress(entry)

        def done(result):
            entry.size, entry.sha256 = result
            self._show_files()

        def failed(error):
            entry.problem = error_text(error)
            self._show_files()

        jobs.start(checksum_work(str(path)), done=done, failed=failed, progress=progress, uses_database=False)
        return entry

    def remove(self) -> None:
        row = self.files.currentRow()
        if 0 <= row < len(self.prepared):
            del self.prepared[row]
            self._show_files()

    def _show_files(self) -> None:
        rows = []
        for entry in self.prepared:
            if entry.problem:
                size, sha = "", entry.problem
            elif entry.hashing:
                size, sha = "", ""
            else:
                size, sha = short_size(entry.size), entry.sha256[:SHA_SHOWN] + "…"
            rows.append(([self.names.get(entry.item_id, str(entry.item_id)), Path(entry.path).name, size, sha], None))
        fill(self.files, rows)
        for r, entry in enumerate(self.prepared):
            self.files.item(r, 0).setToolTip(self.files.item(r, 0).text())
            self.files.item(r, 3).setToolTip(entry.sha256 or entry.problem)
            self.files.item(r, 1).setToolTip(entry.path)
            self.files.item(r, 2).setToolTip(size_text(entry.size) if entry.size is not None else "")
        self._check_sizes()
        for r, entry in enumerate(self.prepared):
            if entry.hashing:
                bar = named(QProgressBar(), f"checksumProgress{r}", tr("Menghitung SHA-256", "Computing SHA-256"))
                bar.setFormat("%p%")  # under the SHA-256 header; the words in its tooltip
                bar.setToolTip(tr("Menghitung SHA-256…", "Computing SHA-256…"))
                bar.setRange(0, 100)
                bar.setTextVisible(True)
                self.files.setCellWidget(r, 3, bar)
                self._show_progress(entry)
            elif self.files.cellWidget(r, 3) is not None:
                self.files.cellWidget(r, 3).hide()  # deleted later by Qt; gone from sight now
                self.files.removeCellWidget(r, 3)

    def _check_sizes(self) -> None:
        """Flag the lines whose measured files differ from the billed size (the rule is the service's)."""
        totals: dict[int, int] = {}
        for entry in self.prepared:
            if entry.size is not None:
                totals[entry.item_id] = totals.get(entry.item_id, 0) + entry.size
        mismatches = self.size_check.check({} if self.hashing() else totals)
        self.size_check.mark(self.files, [e.item_id for e in self.prepared], 2)
        self.size_check.setVisible(bool(mismatches) and self.files.isVisibleTo(self))

    def _show_progress(self, entry: Prepared) -> None:
        if entry not in self.prepared:
            return
        bar = self.files.cellWidget(self.prepared.index(entry), 3)
        if isinstance(bar, QProgressBar) and entry.total:
            bar.setValue(int(entry.done * 100 / entry.total))

    def hashing(self) -> bool:
        return any(entry.hashing for entry in self.prepared)

    # ---------------------------------------------------------------- hand-over
    def files_to_hand_over(self) -> list[delivery.DeliveredFile]:
        if self.hashing():
            raise Refusal(tr("Tunggu sampai semua checksum selesai dihitung.", "Wait until every checksum is computed."))
        broken = next((e for e in self.prepared if e.problem), None)
        if broken is not None:
            raise Refusal(broken.problem)
        missing = [title for item_id, title in self.names.items() if all(e.item_id != item_id for e in self.prepared)]
        if missing:
            raise Refusal(tr(f"Berkas untuk produk '{missing[0]}' belum dipilih.",
                             f"No file chosen yet for the product '{missing[0]}'."))
        return [delivery.DeliveredFile(e.item_id, Path(e.path)) for e in self.prepared]

    def deliver(self) -> None:
        owner = self.owner
        owner.message.clear()
        try:
            files = self.files_to_hand_over()
        except Refusal as error:
            owner.message.error(error)
            return
        args = {"channel": DeliveryChannel(self.channel.currentData()), "media": self.media.currentData(),
                "media_label": self.label.text(), "receipt_handed_over": self.receipt.isVisible()
                and self.receipt.isChecked(), "fixes": self.fixes.toPlainText(),
                "size_reason": self.size_check.reason_for_delivery()}
        database, actor, request_id = owner.database, owner.actor, owner.request_id

        def work(_progress):
            with database.unit_of_work() as session:  # the files are read again: a vanished one refuses it all
                return delivery.deliver(session, actor, request_id, files, **args).round

        self.running = True
        self.progress.setVisible(True)
        self.deliver_button.setEnabled(False)
        jobs.start(work, done=self._delivered, failed=self._refused)

    def _delivered(self, round_: int) -> None:
        self.running = False
        self.progress.setVisible(False)
        self.prepared.clear()
        self.fixes.clear()
        self.size_check.reason.clear()
        self.owner.refresh()
        self.owner.message.ok(tr(f"Data diserahkan (penyerahan ke-{round_}).", f"Data handed over (round {round_})."))
        self.owner.changed.emit()

    def _refused(self, error: Exception) -> None:
        self.running = False
        self.progress.setVisible(False)
        self.deliver_button.setEnabled(True)
        self.owner.message.error(error)


class VisitorCheckBox(Section):
    """The visitor checks the receipt and the data: accepted, or an error reported (a correction)."""

    def __init__(self, owner):
        super().__init__(owner, tr("Pemeriksaan oleh pengunjung", "The visitor's check"), "visitorCheckSection")
        self.accept_button = primary(named(QPushButton(tr("Diperiksa dan diterima pengunjung", "Checked and accepted")),
                                           "checkAccepted", tr("Diperiksa dan diterima", "Checked and accepted")))
        self.problem = named(QPlainTextEdit(), "problemText", tr("Kesalahan yang dilaporkan", "Reported error"))
        self.problem.setPlaceholderText(tr("Kesalahan yang ditemukan pengunjung pada data atau kuitansi",
                                           "The error the visitor found in the data or the receipt"))
        self.problem.setFixedHeight(56)
        self.report_button = named(QPushButton(tr("Laporkan kesalahan", "Report an error")), "reportProblem",
                                   tr("Laporkan kesalahan", "Report an error"))
        self.close_button = named(QPushButton(tr("Selesaikan permintaan", "Close the request")), "closeRequest",
                                  tr("Selesaikan permintaan", "Close the request"))
        self.done = _label("checkStatus", tr("Hasil pemeriksaan", "Result of the check"))
        self.accept_button.clicked.connect(self.accepted)
        self.report_button.clicked.connect(self.report)
        self.close_button.clicked.connect(self.close_request)
        row = QHBoxLayout()
        row.addWidget(self.accept_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.done)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        more = QHBoxLayout()
        more.addWidget(self.report_button)
        more.addWidget(self.close_button)
        more.addStretch(1)
        layout.addLayout(more)
        self.poll_hint = named(hint(""), "pollHint", tr("Survei kepuasan di pintu keluar", "The exit poll"))
        layout.addWidget(self.poll_hint)

    def show_case(self, case: CaseFile) -> None:
        delivered = case.state is S.DELIVERED
        online_request = case.channel is Channel.ONLINE  # "pemohon" online: nobody visits
        self.setTitle(tr("Pemeriksaan oleh pemohon", "The requester's check") if online_request
                      else tr("Pemeriksaan oleh pengunjung", "The visitor's check"))
        self.accept_button.setText(tr("Diperiksa dan diterima pemohon", "Checked and accepted") if online_request
                                   else tr("Diperiksa dan diterima pengunjung", "Checked and accepted"))
        self.problem.setPlaceholderText(
            tr("Kesalahan yang ditemukan pemohon pada data atau kuitansi",
               "The error the requester found in the data or the receipt") if online_request else
            tr("Kesalahan yang ditemukan pengunjung pada data atau kuitansi",
               "The error the visitor found in the data or the receipt"))
        self.setVisible(case.state in (S.DELIVERED, S.CORRECTION_REQUESTED, S.VERIFIED, S.CLOSED))
        for widget in (self.accept_button, self.problem, self.report_button):
            widget.setVisible(delivered)
        self.close_button.setVisible(case.state is S.VERIFIED)
        self.poll_hint.setText(exit_poll_text(case))
        self.poll_hint.setVisible(bool(self.poll_hint.text()))
        last = case.deliveries[-1] if case.deliveries else None
        if case.state in (S.VERIFIED, S.CLOSED) and last is not None:
            self.done.setText(tr(f"Diperiksa dan diterima {last.checked}.", f"Checked and accepted {last.checked}."))
        elif case.state is S.CORRECTION_REQUESTED:
            self.done.setText(tr("Menunggu perbaikan dan penyerahan ulang.", "Waiting for the fix and a new hand-over."))
        elif online_request:
            self.done.setText(tr("Pemohon memeriksa pindaian kuitansi dan data yang dikirim; catat hasilnya di sini.",
                                 "The requester checks the receipt scan and the data sent; record the result here."))
        else:
            self.done.setText(tr("Minta pengunjung memeriksa kuitansi dan data yang diterima.",
                                 "Ask the visitor to check the receipt and the data received."))

    def accepted(self) -> None:
        online_request = self.owner.case.channel is Channel.ONLINE
        self.owner.run_step(lambda s: delivery.confirm_checked(s, self.owner.actor, self.owner.request_id),
                            tr("Pemeriksaan pemohon dicatat.", "The requester's check is recorded.") if online_request
                            else tr("Pemeriksaan pengunjung dicatat.", "The visitor's check is recorded."))

    def report(self) -> None:
        problem = self.problem.toPlainText()
        if self.owner.run_step(lambda s: delivery.report_problem(s, self.owner.actor, self.owner.request_id, problem),
                               tr("Kesalahan dicatat; perbaiki lalu serahkan lagi.", "Error recorded; fix it and hand over again.")):
            self.problem.clear()

    def close_request(self) -> None:
        """Close; an online request still awaiting its posted SPPD original needs a supervisor's reason."""
        case, reason = self.owner.case, ""
        if case.channel is Channel.ONLINE and case.sppd_signed and not case.sppd_originals_received:
            if self.owner.actor.role is not Role.SUPERVISOR:
                self.owner.message.error(StateError("original_outstanding", number=case.number))
                return
            reason = stored.ask_reason(
                self, tr("Tutup tanpa SPPD asli", "Close without the SPPD original"),
                StateError("original_outstanding", number=case.number).message(language()),
                tr("Alasan menutup tanpa SPPD asli", "Why close without the SPPD original"), "close_reason")
            if not reason:
                return
        self.owner.run_step(lambda s: delivery.close(s, self.owner.actor, self.owner.request_id, reason=reason),
                            tr("Permintaan selesai.", "Request closed."))


def exit_poll_text(case: CaseFile) -> str:
    """What the visitor's answer to the exit poll will do to this request (feedback.answer_poll);
    empty when the poll has nothing to do with it."""
    if case.channel is not Channel.WALK_IN or case.state not in (S.DELIVERED, S.CORRECTION_REQUESTED, S.VERIFIED):
        return ""
    if case.exit_poll == "answered":
        return tr("Pengunjung sudah mengisi survei kepuasan; survei tidak akan menyelesaikan permintaan ini. "
                  "Selesaikan dengan tombol di sini.",
                  "The visitor has already answered the satisfaction poll; the poll will not close this request. "
                  "Finish it with the buttons here.")
    if case.exit_poll != "open":
        return ""
    if case.state is S.DELIVERED:
        return tr("Jika pengunjung mengisi survei kepuasan di pintu keluar, jawabannya dicatat sebagai pemeriksaan "
                  "pengunjung (diperiksa dan diterima) dan permintaan selesai. Jika pengunjung pergi tanpa mengisi "
                  "survei, tekan \u201cDiperiksa dan diterima pengunjung\u201d lalu \u201cSelesaikan permintaan\u201d.",
                  "If the visitor answers the satisfaction poll at the exit, the answer is recorded as the visitor's "
                  "check (checked and accepted) and the request closes. If the visitor leaves without answering "
                  "it, press \u201cChecked and accepted\u201d, then \u201cClose the request\u201d.")
    if case.state is S.VERIFIED:
        return tr("Permintaan selesai saat pengunjung mengisi survei kepuasan di pintu keluar. Jika pengunjung pergi "
                  "tanpa mengisi survei, tekan \u201cSelesaikan permintaan\u201d.",
                  "The request closes when the visitor answers the satisfaction poll at the exit. If the visitor "
                  "leaves without answering it, press \u201cClose the request\u201d.")
    return tr("Survei kepuasan tidak menyelesaikan permintaan yang menunggu perbaikan: serahkan data lagi sebelum "
              "pengunjung mengisi survei.",
              "The satisfaction poll does not close a request waiting for a fix: hand the data over again before "
              "the visitor answers the poll.")


class HistoryBox(Section):
    def __init__(self, owner):
        super().__init__(owner, tr("Riwayat penyerahan", "Hand-over history"), "historySection")
        self.list = _label("historyList", tr("Riwayat penyerahan", "Hand-over history"))
        QVBoxLayout(self).addWidget(self.list)

    def show_case(self, case: CaseFile) -> None:
        self.setVisible(bool(case.deliveries))
        rows = []
        for d in case.deliveries:
            how = f"{word(DELIVERY_CHANNELS, DeliveryChannel(d.channel))} · {word(MEDIA_WORDS, d.media)}"
            if d.media_label:
                how += f" ({escape(d.media_label)})"
            if d.receipt_handed_over:
                how += tr(" · kuitansi diserahkan", " · receipt handed over")
            files = "".join(f"<br>&nbsp;&nbsp;{escape(f.file_name)} · {size_text(f.size_bytes)} · "
                            f"<code>{f.sha256[:16]}…</code>" for f in d.files)
            fixes = tr(f"<br>Perbaikan: {escape(d.fixes)}", f"<br>Fixed: {escape(d.fixes)}") if d.fixes else ""
            checked = tr(f"<br>Diperiksa dan diterima {d.checked}", f"<br>Checked and accepted {d.checked}") \
                if d.checked else ""
            rows.append(tr(f"<p><b>Penyerahan ke-{d.round}</b> · {d.delivered} · {escape(d.delivered_by)}<br>{how}",
                           f"<p><b>Round {d.round}</b> · {d.delivered} · {escape(d.delivered_by)}<br>{how}")
                        + f"{files}{fixes}{checked}</p>")
        self.list.setText("".join(rows))

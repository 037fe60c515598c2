"""What the supervisor sets for the documents: the office logo (uploaded, previewed, refused when it is
not a small PNG or JPEG, removed), the official who signs the SPPD and reports, the stamp-duty threshold,
and a staff member's NIP; driven through the real widgets (pytest-qt, offscreen)."""

import io

from PIL import Image
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QScrollArea, QSpinBox
from sqlalchemy import select

from models import Account, OfficeProfile
from tests.gui.test_admin import admin, click, in_modal, message, select_account, settings, show_tab  # noqa: F401
from tests.shots import shot
from ui import widgets
from ui.admin import profile as profile_module


def png(path, size=(96, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (16, 48, 92)).save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return out.getvalue()


def test_the_logo_is_uploaded_previewed_refused_and_removed(qtbot, office, settings, tmp_path, monkeypatch):  # noqa: F811
    dialog = admin(qtbot, office, settings)
    preview = dialog.findChild(QLabel, "profileLogoPreview")
    assert preview.pixmap().isNull() and "tanpa logo" in preview.text()
    logo = png(tmp_path / "logo.png")
    chosen = [str(tmp_path / "logo.png")]
    monkeypatch.setattr(profile_module.QFileDialog, "getOpenFileName", lambda *a, **k: (chosen[0], ""))
    click(qtbot, dialog, "profileLogoUpload")
    assert "Logo kantor tersimpan" in message(dialog, "profileMessage")
    assert not preview.pixmap().isNull()
    with office.session() as s:
        assert s.get(OfficeProfile, office.office_id).logo == logo

    (tmp_path / "logo.txt").write_text("bukan gambar")
    chosen[0] = str(tmp_path / "logo.txt")
    click(qtbot, dialog, "profileLogoUpload")
    assert "bukan gambar PNG atau JPEG" in message(dialog, "profileMessage")
    with office.session() as s:
        assert s.get(OfficeProfile, office.office_id).logo == logo  # the refused file changed nothing

    click(qtbot, dialog, "profileLogoRemove")
    assert "Logo kantor dihapus" in message(dialog, "profileMessage") and preview.pixmap().isNull()
    with office.session() as s:
        assert s.get(OfficeProfile, office.office_id).logo is None


def test_the_signing_official_and_the_stamp_threshold_are_saved(qtbot, office, settings, tmp_path,  # noqa: F811
                                                                monkeypatch):
    monkeypatch.setattr(widgets, "available_geometry", lambda _window: QRect(0, 0, 1366, 728))  # a laptop
    dialog = admin(qtbot, office, settings)
    dialog.findChild(QLineEdit, "profile_sppd_signer_name").setText("Dr. Maria Tupamahu, M.Si.")
    dialog.findChild(QLineEdit, "profile_sppd_signer_title").setText("Kepala BPS Provinsi Maluku")
    nip = dialog.findChild(QLineEdit, "profile_sppd_signer_nip")
    nip.setText("19720512199403200")
    click(qtbot, dialog, "profileSave")
    assert "NIP penandatangan SPPD" in message(dialog, "profileMessage")
    nip.setText("197205121994032001")
    dialog.findChild(QSpinBox, "profile_materai_threshold").setValue(6_000_000)
    click(qtbot, dialog, "profileSave")
    assert "tersimpan" in message(dialog, "profileMessage")
    with office.session() as s:
        profile = s.get(OfficeProfile, office.office_id)
        assert (profile.sppd_signer_name, profile.sppd_signer_title, profile.sppd_signer_nip,
                profile.materai_threshold) == ("Dr. Maria Tupamahu, M.Si.", "Kepala BPS Provinsi Maluku",
                                               "197205121994032001", 6_000_000)
    png(tmp_path / "logo.png", (160, 160))
    dialog.profile.load_logo_file(tmp_path / "logo.png")
    show_tab(dialog, "Profil kantor")
    qtbot.waitExposed(dialog)
    for name in ("profileLogoUpload", "profileLogoRemove", "profileSave"):
        button = dialog.findChild(QPushButton, name)
        assert button.isVisible() and dialog.rect().contains(button.mapTo(dialog, button.rect().center())), name
    save, fields = dialog.findChild(QPushButton, "profileSave"), dialog.findChild(QScrollArea, "profileScroll")
    assert not fields.isAncestorOf(save)  # the fields scroll; Simpan profil stays below them, always in view
    assert not [a for a in dialog.findChildren(QScrollArea) if a.widget() is dialog.profile]
    fields.verticalScrollBar().setValue(fields.verticalScrollBar().maximum())
    QApplication.processEvents()
    erase = dialog.findChild(QPushButton, "eraseExpiredButton")
    assert fields.viewport().rect().contains(erase.mapTo(fields.viewport(), erase.rect().center()))
    shot(dialog, tmp_path, "profile.png")  # looked at: the tab at 1366×768


def test_a_staff_nip_is_changed_and_a_short_one_refused(qtbot, office, settings):  # noqa: F811
    dialog = admin(qtbot, office, settings)
    show_tab(dialog, "Akun")
    select_account(dialog, "petugas")

    def fill(form):
        edit = form.findChild(QLineEdit, "changeNipNip")
        edit.setText("19900315201503100")  # 17 digits
        click(qtbot, form, "changeNipOk")
        assert "18 digit" in message(form, "changeNipMessage") and form.isVisible()
        edit.setText("199003152015031002")
        click(qtbot, form, "changeNipOk")

    in_modal(qtbot, fill)
    click(qtbot, dialog, "changeNipButton")
    assert "NIP petugas disimpan" in message(dialog, "accountMessage")
    with office.session() as s:
        assert s.scalar(select(Account.nip).where(Account.username == "petugas")) == "199003152015031002"
    assert QApplication.activeModalWidget() is None

"""The guestbook answers of an online requester (who never stands at the kiosk), in two columns."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGridLayout, QLineEdit, QWidget

from pstdesktop.services import guestbook
from ui.i18n import tr
from ui.widgets import named

NONE = ""


def _combo(name: str, label: str, options, blank: bool = True) -> QComboBox:
    combo = named(QComboBox(), name, label)
    if blank:
        combo.addItem(tr("— pilih —", "— choose —"), NONE)
    for option in options:
        combo.addItem(option, option)
    return combo


class RequesterForm(QWidget):
    """Edits the answers ``guestbook.clean_visitor`` checks; ``answers()`` gives them back as a dict. The
    birth year is typed as text, so a year out of range reaches the service's refusal instead of being
    dropped; the province starts at the office's (``home_province``)."""

    changed = Signal()

    def __init__(self, this_year: int, home_province: str = ""):
        super().__init__()
        self.full_name = named(QLineEdit(), "requesterName", tr("Nama lengkap", "Full name"))
        self.gender = _combo("requesterGender", tr("Jenis kelamin", "Sex"), guestbook.GENDERS)
        self.institution = named(QLineEdit(), "requesterInstitution", tr("Asal instansi", "Institution"))
        self.phone = named(QLineEdit(), "requesterPhone", tr("Nomor HP", "Mobile number"))
        self.email = named(QLineEdit(), "requesterEmail", tr("Email", "Email"))
        self.occupation = _combo("requesterOccupation", tr("Pekerjaan", "Occupation"), guestbook.OCCUPATIONS)
        self.occupation_other = named(QLineEdit(), "requesterOccupationOther", tr("Pekerjaan lainnya", "Other occupation"))
        self.birth_year = named(QLineEdit(), "requesterBirthYear", tr("Tahun lahir", "Year of birth"))
        self.birth_year.setMaxLength(6)
        low, high = guestbook.birth_year_bounds(this_year)
        self.birth_year.setPlaceholderText(tr(f"contoh: 1990 ({low}-{high})", f"e.g. 1990 ({low}-{high})"))
        self.education = _combo("requesterEducation", tr("Pendidikan tertinggi", "Highest education"), guestbook.EDUCATION)
        self.country = named(QLineEdit("Indonesia"), "requesterCountry", tr("Negara", "Country"))
        self.province = _combo("requesterProvince", tr("Provinsi", "Province"), guestbook.PROVINCES)
        self.province.setCurrentIndex(max(0, self.province.findData(home_province)) if home_province else 0)
        self.regency = named(QLineEdit(), "requesterRegency", tr("Kabupaten/Kota", "Regency/City"))
        self.disability = _combo("requesterDisability", tr("Jenis disabilitas", "Type of disability"),
                                 guestbook.DISABILITY_TYPES)
        self.disability.setItemText(0, tr("Tidak ada", "None"))
        self.id_type = _combo("requesterIdType", tr("Jenis identitas", "Identity document"), guestbook.ID_DOCUMENTS)
        self.id_number = named(QLineEdit(), "requesterIdNumber", tr("Nomor identitas", "Identity number"))
        self.consent = named(QCheckBox(tr("Pemohon menyetujui pemrosesan data pribadinya (UU 27/2022)",
                                          "The requester consents to the processing of personal data (UU 27/2022)")),
                             "requesterConsent", tr("Persetujuan data pribadi", "Personal data consent"))
        self.occupation.currentIndexChanged.connect(self._sync)
        self.country.textChanged.connect(self._sync)
        left, right = QFormLayout(), QFormLayout()
        for form, rows in ((left, (
                (tr("Nama lengkap", "Full name"), self.full_name), (tr("Jenis kelamin", "Sex"), self.gender),
                (tr("Asal instansi", "Institution"), self.institution), (tr("Nomor HP", "Mobile"), self.phone),
                (tr("Email", "Email"), self.email), (tr("Pekerjaan", "Occupation"), self.occupation),
                (tr("Pekerjaan lainnya", "Other occupation"), self.occupation_other),
                (tr("Tahun lahir", "Year of birth"), self.birth_year))),
                (right, (
                (tr("Pendidikan", "Education"), self.education), (tr("Negara", "Country"), self.country),
                (tr("Provinsi", "Province"), self.province), (tr("Kabupaten/Kota", "Regency/City"), self.regency),
                (tr("Disabilitas", "Disability"), self.disability), (tr("Identitas", "Identity"), self.id_type),
                (tr("Nomor identitas", "Identity no."), self.id_number)))):
            for label, widget in rows:
                form.addRow(label, widget)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.addWidget(self.consent, 1, 0, 1, 2)
        grid.setRowStretch(2, 1)
        self._sync()

    def _sync(self) -> None:
        self.occupation_other.setEnabled(self.occupation.currentData() == "Lainnya")
        self.province.setEnabled(self.country.text().strip() in ("", "Indonesia"))

    def fields(self) -> dict[str, QWidget]:
        """The widget of each answer, in screen order (left column, right column, consent)."""
        return {"full_name": self.full_name, "gender": self.gender, "institution": self.institution,
                "phone": self.phone, "email": self.email, "occupation": self.occupation,
                "occupation_other": self.occupation_other, "birth_year": self.birth_year,
                "education": self.education, "country": self.country, "province": self.province,
                "regency": self.regency, "has_disability": self.disability, "disability_type": self.disability,
                "id_document_type": self.id_type, "id_document_number": self.id_number, "consent": self.consent}

    def answers(self) -> dict:
        disability = self.disability.currentData() or ""
        indonesia = self.country.text().strip() in ("", "Indonesia")
        return {
            "full_name": self.full_name.text(), "gender": self.gender.currentData() or None,
            "institution": self.institution.text(), "phone": self.phone.text(), "email": self.email.text(),
            "occupation": self.occupation.currentData() or None,
            "occupation_other": self.occupation_other.text() if self.occupation_other.isEnabled() else "",
            "birth_year": self.birth_year.text(), "education": self.education.currentData() or None,
            "country": self.country.text(), "province": (self.province.currentData() or None) if indonesia else "",
            "regency": self.regency.text(), "has_disability": bool(disability), "disability_type": disability,
            "id_document_type": self.id_type.currentData() or "", "id_document_number": self.id_number.text(),
            "consent": self.consent.isChecked(),
        }

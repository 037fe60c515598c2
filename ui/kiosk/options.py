"""The guestbook's answer options as the kiosk shows them: the stored (Indonesian) value with its words
in both languages."""

from __future__ import annotations

from pstdesktop.services import guestbook

_ENGLISH = {
    "Laki-laki": "Male", "Perempuan": "Female",
    "Pelajar/Mahasiswa": "Student", "Peneliti/Dosen": "Researcher/Lecturer",
    "ASN/TNI/Polri": "Civil servant/Military/Police", "Pegawai BUMN/BUMD": "State-owned enterprise employee",
    "Pegawai Swasta": "Private employee", "Wiraswasta": "Self-employed", "Lainnya": "Other",
    "Tidak/Belum Sekolah": "No schooling", "SD/Sederajat": "Primary school", "SMP/Sederajat": "Junior high school",
    "SMA/Sederajat": "Senior high school", "D1/D2/D3": "Diploma (D1-D3)", "D4/S1": "Bachelor (D4/S1)",
    "S2": "Master (S2)", "S3": "Doctorate (S3)",
    "Fisik": "Physical", "Intelektual": "Intellectual", "Mental": "Mental", "Sensorik": "Sensory",
    "Kunjungan Perpustakaan": "Library visit", "Pembelian Produk Statistik Berbayar": "Buying paid statistical products",
    "Konsultasi Statistik": "Statistical consultation", "Rekomendasi Kegiatan Statistik": "Statistical activity recommendation",
    "KTP": "KTP (identity card)", "Paspor": "Passport", "KTM": "KTM (student card)", "SIM": "SIM (driving licence)",
    "KITAS": "KITAS (residence permit)",
}


def english(value: str) -> str:
    return _ENGLISH.get(value, value)


def options(values) -> list[tuple[str, str, str]]:
    return [(value, value, english(value)) for value in values]


GENDERS = options(guestbook.GENDERS)
OCCUPATIONS = options(guestbook.OCCUPATIONS)
EDUCATION = options(guestbook.EDUCATION)
PROVINCES = options(guestbook.PROVINCES)
DISABILITY_TYPES = options(guestbook.DISABILITY_TYPES)
ID_DOCUMENTS = options(guestbook.ID_DOCUMENTS)
PURPOSES = [(value, f"{prefix}  ·  {value}", f"{prefix}  ·  {english(value)}")
            for value, prefix in guestbook.PURPOSES.items()]
YES_NO = [(True, "Ya", "Yes"), (False, "Tidak", "No")]
COUNTRY = [("Indonesia", "Indonesia", "Indonesia"), ("other", "Negara lain", "Another country")]

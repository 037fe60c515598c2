"""Domain errors: every refusal names the field and the rule, in Indonesian and in English."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("{field} wajib diisi.", "{field} is required."),
    "too_long": ("{field} terlalu panjang (paling banyak {max} karakter).", "{field} is too long (at most {max} characters)."),
    "bad_chars": ("{field} berisi karakter yang tidak diizinkan.", "{field} contains characters that are not allowed."),
    "email": ("{field} bukan alamat email yang benar.", "{field} is not a valid email address."),
    "phone": ("{field} hanya boleh berisi angka (boleh diawali +), 8-15 digit.", "{field} may hold digits only (optionally a leading +), 8-15 digits."),
    "choice": ("{field} harus salah satu dari: {choices}.", "{field} must be one of: {choices}."),
    "year_range": ("{field} harus antara {low} dan {high}.", "{field} must be between {low} and {high}."),
    "must_be_empty": ("{field} harus kosong karena {because}.", "{field} must be empty because {because}."),
    "digits": ("{field} harus tepat {length} digit angka.", "{field} must be exactly {length} digits."),
    "alnum": ("{field} harus tepat {length} huruf/angka.", "{field} must be exactly {length} letters or digits."),
    "positive": ("{field} harus lebih dari nol.", "{field} must be greater than zero."),
    "too_large": ("{field} terlalu besar (paling banyak {max}).", "{field} is too large (at most {max})."),
    "integer": ("{field} harus bilangan bulat.", "{field} must be a whole number."),
    "future": ("{field} tidak boleh di masa depan.", "{field} cannot be in the future."),
    "amount_mismatch": (
        "Jumlah dibayar Rp{amount} tidak sama dengan tagihan Rp{due}; pembayaran sebagian atau lebih ditolak.",
        "Amount paid Rp{amount} does not equal the invoice total Rp{due}; partial or over payment is refused.",
    ),
    "cash_short": ("Uang diterima Rp{tendered} kurang dari tagihan Rp{due}.", "Cash received Rp{tendered} is less than the total Rp{due}."),
    "state": (
        "Permintaan {number} berstatus '{state}'; langkah '{action}' tidak bisa dilakukan.",
        "Request {number} is '{state}'; step '{action}' cannot be done.",
    ),
    "role": (
        "Akun {user} (peran {role}) tidak berwenang untuk '{action}'.",
        "Account {user} (role {role}) may not do '{action}'.",
    ),
    "inactive": ("Akun {user} tidak aktif.", "Account {user} is not active."),
    "not_found": ("{field} tidak ditemukan.", "{field} was not found."),
    "no_schedule": (
        "Tidak ada tarif yang berlaku pada {date} untuk {product}.",
        "No tariff schedule is in force on {date} for {product}.",
    ),
    "no_items": ("Permintaan belum berisi produk.", "The request has no products yet."),
    "region_required": ("{field}: produk '{product}' memerlukan wilayah.", "{field}: product '{product}' needs a region."),
    "waiver_not_zero": (
        "Permintaan Rp0 tidak dibuatkan invoice; serahkan data langsung.",
        "An Rp0 request gets no invoice; deliver the data directly.",
    ),
    "needs_payment": ("Permintaan ini berbayar; data diserahkan setelah kuitansi.", "This request is paid; data is handed over after the receipt."),
    "sppd_missing": ("SPPD belum ditandatangani untuk permintaan {number}.", "The SPPD of request {number} has not been signed."),
    "already_paid": ("Invoice {number} sudah dibayar.", "Invoice {number} is already paid."),
    "invoice_cancelled": ("Invoice {number} sudah dibatalkan.", "Invoice {number} has been cancelled."),
    "billing_expired": ("Kode billing invoice {number} sudah kedaluwarsa; minta kode baru.", "The billing code of invoice {number} has expired; ask for a new one."),
    "receipt_exists": ("Pembayaran ini sudah memiliki kuitansi {number}.", "This payment already has receipt {number}."),
    "deposited": ("Kuitansi {number} sudah disetor dan tidak dapat dibatalkan.", "Receipt {number} has been deposited and cannot be cancelled."),
    "not_cash": ("Kuitansi {number} bukan pembayaran tunai; setoran SIMPONI langsung ke Kas Negara.", "Receipt {number} is not a cash payment; SIMPONI payments go straight to the treasury."),
    "approver": ("Pembatalan kuitansi harus disetujui akun supervisor yang aktif.", "Cancelling a receipt needs the approval of an active supervisor account."),
    "no_correction": ("Tidak ada laporan kesalahan yang terbuka.", "There is no open error report."),
    "file_missing": ("Berkas {path} tidak ada atau tidak dapat dibaca.", "File {path} does not exist or cannot be read."),
    "duplicate": ("{field} '{value}' sudah dipakai.", "{field} '{value}' is already in use."),
    "poll_done": ("Kunjungan {queue} sudah mengisi survei kepuasan.", "Visit {queue} has already answered the satisfaction poll."),
    "password_short": ("{field} paling sedikit {min} karakter.", "{field} needs at least {min} characters."),
    "self_deactivate": (
        "Supervisor tidak dapat menonaktifkan atau mengubah peran akunnya sendiri.",
        "A supervisor cannot deactivate or change the role of their own account.",
    ),
    "login_inactive": ("Akun ini tidak aktif; hubungi supervisor.", "This account is not active; ask a supervisor."),
    "login_failed": ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    "login_locked": (
        "Akun dikunci setelah terlalu banyak percobaan; minta supervisor membukanya.",
        "The account is locked after too many attempts; ask a supervisor to unlock it.",
    ),
    "concurrent": (
        "Data ini baru saja diubah oleh pengguna lain; muat ulang lalu coba lagi.",
        "Someone else has just changed this; refresh and try again.",
    ),
}

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "full_name": ("Nama Lengkap", "Full name"),
    "gender": ("Jenis Kelamin", "Sex"),
    "institution": ("Asal Instansi", "Institution"),
    "phone": ("Nomor HP", "Mobile number"),
    "email": ("Email", "Email"),
    "occupation": ("Pekerjaan", "Occupation"),
    "occupation_other": ("Pekerjaan (Lainnya)", "Occupation (other)"),
    "birth_year": ("Tahun Lahir", "Year of birth"),
    "education": ("Pendidikan Tertinggi", "Highest education"),
    "country": ("Negara", "Country"),
    "province": ("Provinsi", "Province"),
    "regency": ("Kabupaten/Kota", "Regency/City"),
    "has_disability": ("Penyandang Disabilitas", "Person with disability"),
    "disability_type": ("Tipe Disabilitas", "Type of disability"),
    "purpose": ("Keperluan", "Purpose of visit"),
    "purpose_other": ("Keperluan (Lainnya)", "Purpose (other)"),
    "id_document_type": ("Jenis Identitas", "Identity document type"),
    "id_document_number": ("Nomor Identitas", "Identity document number"),
    "consent": ("Persetujuan pemrosesan data pribadi", "Consent to personal data processing"),
    "abstraction": ("Abstraksi penggunaan data", "Abstraction of data use"),
    "product": ("Produk", "Product"),
    "title": ("Judul data", "Data title"),
    "region": ("Wilayah", "Region"),
    "quantity": ("Jumlah (byte/peta/halaman)", "Quantity (bytes/maps/pages)"),
    "year": ("Tahun data", "Data year"),
    "billing_code": ("Kode billing SIMPONI", "SIMPONI billing code"),
    "ntpn": ("NTPN", "NTPN"),
    "ntb": ("NTB", "NTB"),
    "amount": ("Jumlah", "Amount"),
    "cash_tendered": ("Uang diterima", "Cash received"),
    "paid_at": ("Tanggal bayar", "Payment date"),
    "deposited_on": ("Tanggal setor", "Deposit date"),
    "reason": ("Alasan", "Reason"),
    "letter_number": ("Nomor surat permohonan", "Request letter number"),
    "letter_date": ("Tanggal surat", "Letter date"),
    "category": ("Kategori Rp0", "Rp0 category"),
    "waiver_purpose": ("Tujuan penggunaan (Rp0)", "Purpose (Rp0)"),
    "media": ("Media", "Media"),
    "files": ("Berkas data", "Data files"),
    "problem": ("Kesalahan yang dilaporkan", "Reported error"),
    "fixes": ("Perbaikan yang dilakukan", "What was fixed"),
    "request": ("Permintaan", "Request"),
    "invoice": ("Invoice", "Invoice"),
    "payment": ("Pembayaran", "Payment"),
    "receipt": ("Kuitansi", "Receipt"),
    "visit": ("Kunjungan", "Visit"),
    "visitor": ("Pengunjung", "Visitor"),
    "account": ("Akun", "Account"),
    "office": ("Profil kantor", "Office profile"),
    "rating": ("Penilaian", "Rating"),
    "comment": ("Komentar", "Comment"),
    "received_at": ("Tanggal permintaan diterima", "Date the request was received"),
    "online_via": ("Saluran permintaan daring", "Online request channel"),
    "username": ("Nama pengguna", "Username"),
    "retention_days": ("Masa simpan data pribadi (hari)", "Personal data retention (days)"),
    "password": ("Kata sandi", "Password"),
    "treasurer_name": ("Nama Bendahara", "Treasurer name"),
    "treasurer_nip": ("NIP Bendahara", "Treasurer NIP"),
    "satker_code": ("Kode satker", "Satker code"),
    "satker_name": ("Nama satker", "Satker name"),
    "address": ("Alamat", "Address"),
    "time_zone": ("Zona waktu", "Time zone"),
    "unit_code": ("Kode unit BPS", "BPS unit code"),
    "name": ("Nama kantor", "Office name"),
    "city": ("Kota", "City"),
    "payment_method": ("Cara bayar", "Payment method"),
    "proof_file": ("Bukti transfer", "Proof of transfer"),
}


class DomainError(Exception):
    """A refused step. Nothing was changed; ``message(lang)`` says why in plain words."""

    def __init__(self, code: str, field: str | None = None, **params) -> None:
        self.code = code
        self.field = field
        self.params = params
        super().__init__(self.message("id"))

    def message(self, lang: str = "id") -> str:
        index = 1 if lang == "en" else 0
        template = MESSAGES[self.code][index]
        label = FIELD_LABELS.get(self.field or "", (self.field or "", self.field or ""))[index]
        return template.format(field=label, **self.params)


class ValidationError(DomainError):
    """An argument breaks a rule of its field."""


class StateError(DomainError):
    """The step does not fit the current state of the request or document."""


class PermissionDenied(DomainError):
    """The acting account's role may not do this step."""


class NotFound(DomainError):
    """The record named does not exist."""


class ConcurrentChange(DomainError):
    """Another PC changed the same record first."""

    def __init__(self) -> None:
        super().__init__("concurrent")

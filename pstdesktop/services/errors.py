"""Domain errors: every refusal names the field and the rule, in Indonesian and in English."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "read_only": (
        "Mode hanya baca: aplikasi sedang dibuka di PC lain atau jendela lain dengan data ini, jadi perubahan tidak "
        "disimpan. Lakukan perubahan di sana, atau tutup aplikasi di sana lalu buka lagi di sini.",
        "Read-only mode: the application is open with this data on another PC or in another window, so changes are "
        "not saved. Make the change there, or close the application there and start it again here.",
    ),
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
    "data_size": (
        "{field} tidak terbaca; tulis mis. 850 MB, 1,2 GB, 512 KB atau jumlah byte 891.289.600.",
        "{field} cannot be read; write e.g. 850 MB, 1.2 GB, 512 KB or a byte count 891289600.",
    ),
    "size_mismatch": (
        "Ukuran berkas berbeda dari yang ditagih (ditagih → berkas): {lines}. Koreksi baris (harga dihitung "
        "ulang) atau tulis alasannya.",
        "File size differs from what was billed (billed → file): {lines}. Correct the line (re-priced) or write "
        "the reason.",
    ),
    "size_paid": (
        "Invoice {number} sudah dibayar: mengoreksi ukuran mengubah harga, jadi bendahara harus membatalkan kuitansi "
        "dan mengembalikan uang (dengan persetujuan supervisor) sebelum permintaan baru ditagih. Bila data tetap "
        "diserahkan, catat alasan perbedaan ukuran.",
        "Invoice {number} is paid: correcting the size changes the price, so the treasurer must cancel the receipt "
        "and refund the money (with a supervisor's approval) before a new request is billed. If the data is handed "
        "over anyway, record why the size differs.",
    ),
    "future": ("{field} tidak boleh di masa depan.", "{field} cannot be in the future."),
    "past": ("{field} tidak boleh sebelum waktu sekarang.", "{field} cannot be earlier than now."),
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
    "effective_not_future": (
        "{field} harus sesudah hari ini ({today}): jadwal yang berlaku hari ini atau sebelumnya akan mengubah harga "
        "permintaan yang sudah diterima.",
        "{field} must be after today ({today}): a schedule in force today or earlier would change the price of "
        "requests already received.",
    ),
    "effective_after_latest": (
        "{field} harus sesudah tanggal berlaku jadwal terakhir, {name} ({date}).",
        "{field} must be after the effective date of the latest schedule, {name} ({date}).",
    ),
    "schedule_read_only": (
        "Jadwal tarif {name} berlaku sejak {date}; tarifnya tidak dapat diubah karena permintaan sudah dihitung "
        "dengannya. Buat jadwal baru dari salinannya dengan tanggal berlaku yang akan datang.",
        "Tariff schedule {name} is in force since {date}; its prices cannot change because requests were priced "
        "with it. Make a new schedule from a copy of it with a future effective date.",
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
    "receipt_cancelled": ("Kuitansi {number} sudah dibatalkan.", "Receipt {number} has been cancelled."),
    "invoice_cancelled": ("Invoice {number} sudah dibatalkan.", "Invoice {number} has been cancelled."),
    "billing_expired": ("Kode billing invoice {number} sudah kedaluwarsa; minta kode baru.", "The billing code of invoice {number} has expired; ask for a new one."),
    "receipt_exists": ("Pembayaran ini sudah memiliki kuitansi {number}.", "This payment already has receipt {number}."),
    "deposited": ("Kuitansi {number} sudah disetor dan tidak dapat dibatalkan.", "Receipt {number} has been deposited and cannot be cancelled."),
    "not_cash": ("Kuitansi {number} tidak menunggu setoran dari sumber ini (sudah disetor, dibatalkan, atau pembayaran SIMPONI yang langsung masuk Kas Negara).", "Receipt {number} is not awaiting a deposit from this source (already deposited, cancelled, or a SIMPONI payment that went straight to the treasury)."),
    "approver": ("Pembatalan kuitansi harus disetujui akun supervisor yang aktif.", "Cancelling a receipt needs the approval of an active supervisor account."),
    "no_correction": ("Tidak ada laporan kesalahan yang terbuka.", "There is no open error report."),
    "file_missing": ("Berkas {path} tidak ada atau tidak dapat dibaca.", "File {path} does not exist or cannot be read."),
    "duplicate": ("{field} '{value}' sudah dipakai.", "{field} '{value}' is already in use."),
    "evidence_too_large": (
        "{field}: berkas {name} berukuran {size}; paling besar {limit}. Perkecil pindaian (mis. resolusi lebih "
        "rendah atau PDF terkompresi) lalu pilih lagi.",
        "{field}: file {name} is {size}; at most {limit}. Make the scan smaller (e.g. a lower resolution or a "
        "compressed PDF) and choose it again.",
    ),
    "evidence_empty": ("{field}: berkas {name} kosong.", "{field}: file {name} is empty."),
    "evidence_other_kind": (
        "{field}: berkas {name} (SHA-256 sama) sudah tersimpan untuk permintaan ini sebagai {other_field}. Pilih "
        "berkas yang benar; tidak ada yang diubah.",
        "{field}: file {name} (same SHA-256) is already stored for this request as {other_field}. Choose the right "
        "file; nothing was changed.",
    ),
    "proof_reused": (
        "{field}: berkas yang sama (SHA-256 sama) sudah menjadi bukti pembayaran invoice {numbers}. Periksa "
        "mutasi rekening; bila memang benar, tulis alasannya untuk melanjutkan.",
        "{field}: the same file (same SHA-256) is already the proof of the payment of invoice {numbers}. Check "
        "the account statement; if it is right, write the reason to go on.",
    ),
    "original_outstanding": (
        "SPPD asli permintaan {number} belum diterima lewat pos. Permintaan hanya dapat ditutup bila supervisor "
        "mencatat alasannya.",
        "The posted SPPD original of request {number} has not been received. The request can be closed only when "
        "a supervisor records why.",
    ),
    "original_before_signing": (
        "{field} tidak boleh sebelum SPPD ditandatangani.", "{field} cannot be before the SPPD was signed."),
    "before_received": ("{field} tidak boleh sebelum permintaan diterima.", "{field} cannot be before the request was received."),
    "account_number_format": (
        "{field} hanya boleh berisi angka (boleh dipisah spasi, titik atau tanda hubung), 6-20 digit.",
        "{field} may hold digits only (spaces, dots or dashes allowed between them), 6-20 digits."),
    "transfer_unconfirmed": (
        "Transfer untuk invoice {number} belum dikonfirmasi masuk rekening penerimaan. Cek mutasi rekening, lalu "
        "tekan \"Dana masuk rekening ✓\" sebelum menerbitkan kuitansi.",
        "The transfer for invoice {number} has not been confirmed on the receiving account. Check the account "
        "statement, then press \"Money on the account ✓\" before issuing the receipt.",
    ),
    "not_transfer": ("Pembayaran invoice {number} bukan transfer.", "The payment of invoice {number} is not a transfer."),
    "no_receiving_account": (
        "{field}: belum ada rekening penerimaan aktif di profil kantor (Administrasi → Profil).",
        "{field}: there is no active receiving account in the office profile (Administration → Profile).",
    ),
    "logo_format": ("{field}: berkas bukan gambar PNG atau JPEG yang dapat dibaca.", "{field}: the file is not a readable PNG or JPEG image."),
    "logo_size": ("{field}: berkas {size} KB, paling besar {limit} KB.", "{field}: the file is {size} KB, at most {limit} KB."),
    "poll_done": ("Kunjungan {queue} sudah mengisi survei kepuasan.", "Visit {queue} has already answered the satisfaction poll."),
    "fullset_only": (
        "{field}: permintaan datang langsung membeli data mikro fullset (tanpa pilih variabel).",
        "{field}: walk-in requests buy full-set microdata (no variable selection).",
    ),
    "recovery_refused": (
        "Kode pemulihan atau nama pengguna supervisor tidak cocok.",
        "The recovery code or the supervisor's username does not match.",
    ),
    "password_short": ("{field} paling sedikit {min} karakter.", "{field} needs at least {min} characters."),
    "password_mismatch": ("Ulangan kata sandi tidak sama dengan kata sandi.", "The repeated password does not match."),
    "self_deactivate": (
        "Supervisor tidak dapat menonaktifkan atau mengubah peran akunnya sendiri.",
        "A supervisor cannot deactivate or change the role of their own account.",
    ),
    "login_inactive": ("Akun ini tidak aktif; hubungi supervisor.", "This account is not active; ask a supervisor."),
    "login_failed": ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    "supervisor_needed": ("Hanya supervisor kantor yang dapat mengubah server.",
                          "Only a supervisor of the office can change the server."),
    "password_weak": (
        "{field} mudah ditebak (kata sandi umum, kata atau nama dengan angka/tahun, deret, pengulangan, atau nama pengguna). Gabungkan 3-4 kata yang tidak berhubungan.",
        "{field} is easy to guess (a common password, a word or name with digits or a year, a run, a repeat, or the username). Join 3-4 unrelated words.",
    ),
    "login_locked": (
        "Akun dikunci 15 menit setelah 5 kali salah kata sandi; coba lagi nanti, atau minta supervisor lain membukanya.",
        "The account is locked for 15 minutes after 5 wrong passwords; try again later, or ask another supervisor "
        "to unlock it.",
    ),
    "concurrent": (
        "Data ini baru saja diubah oleh pengguna lain; muat ulang lalu coba lagi.",
        "Someone else has just changed this; refresh and try again.",
    ),
    "reference_malformed": (
        "Teks yang dipindai bukan referensi dokumen PST (kode QR invoice atau kuitansi).",
        "The scanned text is not a PST document reference (invoice or receipt QR code).",
    ),
    "reference_key_unknown": (
        "Referensi dokumen ditandatangani dengan kunci {key} yang tidak ada di basis data ini (mungkin dipulihkan "
        "dari cadangan yang lebih lama dari penggantian kunci); periksa dokumen menurut nomor dan jumlahnya.",
        "The document reference is signed with key {key}, which this database does not have (perhaps restored "
        "from a backup older than the key's rotation); check the document by its number and amount.",
    ),
    "reference_invalid": (
        "Referensi dokumen tidak sah: tanda pengamannya tidak cocok (dipalsukan atau diubah).",
        "The document reference is not valid: its security hash does not match (forged or altered).",
    ),
    "reference_unknown": (
        "Dokumen pada referensi ini tidak ada di data kantor ini.",
        "The document this reference names does not exist in this office's data.",
    ),
    "reference_mismatch": (
        "Referensi tidak cocok lagi dengan dokumen {number} di basis data (nomor atau jumlah berbeda).",
        "The reference no longer matches document {number} in the database (number or amount differ).",
    ),
    "reference_billing": (
        "Kode billing pada QR bukan kode billing invoice {number} yang berlaku; cetak ulang invoice.",
        "The billing code in the QR is not the current billing code of invoice {number}; reprint the invoice.",
    ),
    "signing_key_missing": (
        "Profil kantor belum memiliki kunci tanda tangan dokumen; jalankan ulang penyiapan kantor.",
        "The office profile has no document signing key; run the office setup again.",
    ),
    "document_write": (
        "Berkas {path} tidak dapat ditulis: {reason}. Tidak ada berkas yang dibuat.",
        "File {path} cannot be written: {reason}. No file was created.",
    ),
    "document_unknown": (
        "{field} nomor '{number}' tidak ditemukan.",
        "{field} number '{number}' was not found.",
    ),
    "no_kiosk_account": (
        "Belum ada akun aktif dengan peran Kios. Supervisor perlu membuatnya dulu di aplikasi staf.",
        "There is no active account with the Kiosk role. A supervisor must create one in the staff application first.",
    ),
    "pin_format": ("{field} harus {min} sampai {max} digit angka.", "{field} must be {min} to {max} digits."),
    "pin_mismatch": ("Ulangan PIN tidak sama dengan PIN baru.", "The repeated PIN does not match the new PIN."),
    "pin_wrong": (
        "PIN salah. Masih boleh mencoba {left} kali lagi; sesudah itu PIN dikunci {minutes} menit.",
        "Wrong PIN. Tries left before the PIN is locked for {minutes} minutes: {left}.",
    ),
    "pin_locked": (
        "PIN dikunci karena terlalu banyak PIN salah di kios. Coba lagi dalam {minutes} menit, atau minta "
        "supervisor membuka kunci akun kios.",
        "The PIN is locked after too many wrong PINs at the kiosks. Try again in {minutes} min, or ask a "
        "supervisor to unlock the kiosk account.",
    ),
    "nik_format": ("{field}: NIK pada KTP harus tepat 16 digit angka.", "{field}: the NIK on a KTP must be exactly 16 digits."),
    "nik_province": (
        "{field}: dua digit pertama NIK ({prefix}) bukan kode provinsi.",
        "{field}: the first two digits of the NIK ({prefix}) are not a province code.",
    ),
    "nik_birth_date": (
        "{field}: digit ke-7 sampai ke-12 NIK ({part}) bukan tanggal lahir HHBBTT (perempuan: tanggal + 40).",
        "{field}: digits 7 to 12 of the NIK ({part}) are not a birth date DDMMYY (women: day + 40).",
    ),
    "passport_format": (
        "{field}: nomor paspor Indonesia 1-2 huruf lalu 6-8 angka (contoh C1234567); paspor asing 6-9 huruf/angka "
        "dengan sedikitnya satu angka.",
        "{field}: an Indonesian passport number is 1-2 letters then 6-8 digits (e.g. C1234567); a foreign one "
        "6-9 letters/digits with at least one digit.",
    ),
    "id_length": ("{field} harus {min} sampai {max} karakter.", "{field} must be {min} to {max} characters."),
    "id_for_sale": (
        "{field} wajib diisi untuk pembelian produk statistik berbayar.",
        "{field} is required to buy paid statistical products.",
    ),
    "visit_lookup": (
        "Tidak ada kunjungan hari ini dengan nomor antrean atau nomor HP '{key}'.",
        "No visit today has the queue number or mobile number '{key}'.",
    ),
    "clear_future": (
        "{field} ({at}) tidak boleh di masa depan; sekarang {now}.",
        "{field} ({at}) cannot be in the future; it is now {now}.",
    ),
    "clear_before_received": (
        "{field} ({at}) tidak boleh sebelum permintaan diterima ({received}).",
        "{field} ({at}) cannot be before the request was received ({received}).",
    ),
    "clear_not_set": (
        "Permintaan {number} belum dinyatakan sesuai; saat permintaan jelas dicatat ketika disetujui.",
        "Request {number} has not been approved yet; the moment it became clear is recorded on approval.",
    ),
    "online_only": ("Langkah ini hanya untuk permintaan daring; {number} datang langsung.",
                    "This step is for online requests only; {number} is a walk-in."),
    "sample_not_sent": ("Contoh data permintaan {number} belum dikirim.", "The sample file of request {number} has not been sent."),
    "check_before_sample": ("{field} tidak boleh lebih awal dari tanggal contoh data dikirim.",
                            "{field} cannot be earlier than the date the sample was sent."),
    "day_closed": (
        "Hari {day} sudah ditutup; pencatatan baru atau koreksi dibukukan pada hari berikutnya dengan referensi.",
        "Day {day} is closed; new entries or corrections are booked on the next day with a reference.",
    ),
    "day_already_closed": ("Hari {day} sudah ditutup sebelumnya.", "Day {day} has already been closed."),
    "day_not_closed": ("Hari {day} belum ditutup; lembar penutupan dicetak setelah tutup buku.",
                       "Day {day} is not closed yet; the closing sheet is printed after closing the day."),
    "supervisor_login": (
        "Persetujuan ditolak: nama pengguna atau kata sandi supervisor salah, atau akun bukan supervisor aktif.",
        "Approval refused: wrong supervisor username or password, or not an active supervisor account.",
    ),
    "refund_before_payment": (
        "{field} tidak boleh sebelum tanggal pembayaran yang dikembalikan.",
        "{field} cannot be before the date of the payment refunded.",
    ),
    "refunded": ("Pembayaran {number} sudah dikembalikan.", "Payment {number} has already been refunded."),
    "own_approval": (
        "Persetujuan harus diberikan supervisor lain, bukan akun yang melakukan langkah ini.",
        "The approval must come from another supervisor, not the account doing this step.",
    ),
    "deposit_before_receipt": (
        "{field} tidak boleh sebelum tanggal kuitansi yang disetor ({day}).",
        "{field} cannot be before the date of a receipt it covers ({day}).",
    ),
    "scan_not_invoice": (
        "Kode yang dipindai adalah kuitansi {number}, bukan invoice; pindai QR pada invoice.",
        "The scanned code is receipt {number}, not an invoice; scan the QR on the invoice.",
    ),
    "export_folder": (
        "Folder {path} tidak dapat ditulisi (tidak ada atau hanya-baca). Pilih folder lain; tidak ada berkas yang dibuat.",
        "Folder {path} cannot be written (missing or read-only). Choose another folder; no file was created.",
    ),
    "export_locked": (
        "Berkas {path} sedang dibuka program lain (misalnya Excel). Tutup berkas itu lalu coba lagi; berkas lama tidak diubah.",
        "File {path} is open in another program (e.g. Excel). Close it and try again; the old file is unchanged.",
    ),
    "file_disk_full": (
        "Disk penuh: berkas {path} tidak dapat disimpan. Kosongkan ruang disk lalu coba lagi; tidak ada berkas yang dibuat.",
        "Disk full: file {path} cannot be saved. Free some disk space and try again; no file was created.",
    ),
    "export_disk": (
        "Berkas {path} tidak dapat disimpan ({reason}). Tidak ada berkas yang dibuat.",
        "File {path} cannot be saved ({reason}). No file was created.",
    ),
    "export_cancelled": ("Ekspor dibatalkan; tidak ada berkas yang dibuat.", "Export cancelled; no file was created."),
    "export_period": ("{field} tidak benar: {value}.", "{field} is not valid: {value}."),
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
    "data_size": ("Ukuran dataset", "Dataset size"),
    "size_reason": ("Alasan ukuran berbeda", "Why the size differs"),
    "year": ("Tahun data", "Data year"),
    "billing_code": ("Kode billing SIMPONI", "SIMPONI billing code"),
    "billing_expires_at": ("Kode billing berlaku s.d.", "Billing code valid until"),
    "ntpn": ("NTPN", "NTPN"),
    "ntb": ("NTB", "NTB"),
    "amount": ("Jumlah", "Amount"),
    "cash_tendered": ("Uang diterima", "Cash received"),
    "paid_at": ("Tanggal bayar", "Payment date"),
    "deposited_on": ("Tanggal setor", "Deposit date"),
    "refunded_on": ("Tanggal pengembalian", "Refund date"),
    "refund_method": ("Cara pengembalian", "Refund method"),
    "deposit_source": ("Asal setoran", "Deposit source"),
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
    "clear_at": ("Saat permintaan jelas", "When the request became clear"),
    "online_via": ("Saluran permintaan daring", "Online request channel"),
    "username": ("Nama pengguna", "Username"),
    "delivered_at": ("Tanggal diserahkan", "Date handed over"),
    "channel": ("Saluran permintaan", "Request channel"),
    "variables": ("Variabel terpilih", "Chosen variables"),
    "data_format": ("Format data", "Data format"),
    "bank": ("Bank/Pos", "Bank/Post office"),
    "station": ("Meja layanan", "Service desk"),
    "retention_days": ("Masa simpan data pribadi (hari)", "Personal data retention (days)"),
    "password": ("Kata sandi", "Password"),
    "materai_amount": ("Bea meterai", "Stamp duty"),
    "materai_threshold": ("Batas nilai kuitansi bermeterai", "Receipt amount needing a stamp"),
    "billing_validity_days": ("Masa berlaku kode billing (hari)", "Billing code validity (days)"),
    "server_host": ("Alamat server", "Server address"),
    "server_database": ("Nama basis data", "Database name"),
    "server_user": ("Pengguna basis data", "Database user"),
    "treasurer_name": ("Nama Bendahara", "Treasurer name"),
    "treasurer_nip": ("NIP Bendahara", "Treasurer NIP"),
    "nip": ("NIP", "NIP"),
    "logo": ("Logo kantor", "Office logo"),
    "sppd_signer_name": ("Nama pejabat penandatangan SPPD", "SPPD signing official's name"),
    "sppd_signer_title": ("Jabatan penandatangan SPPD", "SPPD signing official's title"),
    "sppd_signer_nip": ("NIP penandatangan SPPD", "SPPD signing official's NIP"),
    "satker_code": ("Kode satker", "Satker code"),
    "satker_name": ("Nama satker", "Satker name"),
    "address": ("Alamat", "Address"),
    "time_zone": ("Zona waktu", "Time zone"),
    "unit_code": ("Kode unit BPS", "BPS unit code"),
    "name": ("Nama kantor", "Office name"),
    "city": ("Kota", "City"),
    "payment_method": ("Cara bayar", "Payment method"),
    "proof_file": ("Bukti transfer", "Proof of transfer"),
    "proof_reuse_reason": ("Alasan bukti transfer dipakai lagi", "Why the proof is used again"),
    "evidence": ("Berkas bukti", "Evidence file"),
    "receipt_scan": ("Pindaian kuitansi bertanda tangan", "Scan of the signed receipt"),
    "sppd_scan": ("Pindaian SPPD bertanda tangan", "Scan of the signed SPPD"),
    "original_scan": ("Pindaian SPPD asli", "Scan of the SPPD original"),
    "transfer_reference": ("Nomor referensi transfer", "Transfer reference number"),
    "receiving_account": ("Rekening penerimaan", "Receiving account"),
    "account_bank": ("Nama bank", "Bank name"),
    "account_number": ("Nomor rekening", "Account number"),
    "account_holder": ("Nama pemilik rekening", "Account holder"),
    "originals_received_at": ("Tanggal SPPD asli diterima", "Date the SPPD original was received"),
    "sent_via": ("Dikirim lewat", "Sent via"),
    "sent_at": ("Tanggal dikirim", "Date sent"),
    "confirmed_at": ("Tanggal dana masuk rekening", "Date the money arrived"),
    "close_reason": ("Alasan menutup tanpa SPPD asli", "Why closing without the SPPD original"),
    "reference": ("Referensi dokumen", "Document reference"),
    "pin": ("PIN staf", "Staff PIN"),
    "lookup": ("Nomor antrean atau nomor HP", "Queue number or mobile number"),
    "complaint": ("Pengaduan", "Complaint"),
    "sample_note": ("Catatan pemeriksaan contoh data", "Note on the sample check"),
    "sample_sent_at": ("Tanggal contoh data dikirim", "Date the sample was sent"),
    "sample_checked_at": ("Tanggal contoh data diperiksa", "Date the sample was checked"),
    "closing_day": ("Tanggal tutup buku", "Closing day"),
    "note": ("Catatan", "Note"),
    "schedule": ("Jadwal tarif", "Tariff schedule"),
    "schedule_code": ("Nama jadwal", "Schedule name"),
    "regulation": ("Dasar hukum", "Legal basis"),
    "effective_from": ("Tanggal berlaku", "Effective date"),
    "tariff_line": ("Baris tarif", "Tariff line"),
    "base_amount": ("Tarif dasar", "Base amount"),
    "base_quantity": ("Jumlah dasar", "Base quantity"),
    "step_amount": ("Tarif per kelipatan", "Amount per step"),
    "step_quantity": ("Besar kelipatan", "Step size"),
    "period": ("Periode", "Period"),
    "out_file": ("Berkas tujuan", "Output file"),
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
        params = {key: FIELD_LABELS.get(value, (value, value))[index] if key.endswith("_field") else value
                  for key, value in self.params.items()}  # ``*_field``: another field, named by its label
        return template.format(field=label, **params)


class ValidationError(DomainError):
    """An argument breaks a rule of its field."""


class StateError(DomainError):
    """The step does not fit the current state of the request or document."""


class CountedRefusal(ValidationError):
    """A wrong password (or kiosk PIN) typed to approve a step: the step is refused and rolled back whole,
    and then ``count(session)`` records the failed attempt in a transaction of its own (see ``unit_of_work``)."""

    def __init__(self, code: str, field: str, count, **params) -> None:
        super().__init__(code, field, **params)
        self.count = count


class PermissionDenied(DomainError):
    """The acting account's role may not do this step."""


class NotFound(DomainError):
    """The record named does not exist."""


class ConcurrentChange(DomainError):
    """Another PC changed the same record first."""

    def __init__(self) -> None:
        super().__init__("concurrent")

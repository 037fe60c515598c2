"""The start-up check of the SQLite file: a damaged database is met with the newest good backup
instead of a crash. Called before the database is opened."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from pstdesktop import backup
from pstdesktop.config import Settings
from pstdesktop.services.clock import fmt_local
from ui.admin.common import KIND_WORDS, ask, inform, sqlite_file
from ui.i18n import language, tr


def check_database_file(settings: Settings, parent: QWidget | None = None) -> bool:
    """True when the application may go on opening the database (sound, new, a server database, or
    restored just now); False when it should stop, after saying what to do."""
    file = sqlite_file(settings)
    if file is None or not file.exists() or backup.integrity_ok(file):
        return True
    title = tr("Basis data rusak", "The database is damaged")
    good = backup.newest_good(settings.backup_dir, file)
    if good is None:
        inform(parent, title, tr(
            f"Berkas basis data {file} rusak dan tidak ada cadangan yang utuh di {settings.backup_dir}.\n\n"
            "Jangan hapus berkas itu. Tutup aplikasi, salin seluruh folder data ke flashdisk, lalu hubungi "
            "tim TI BPS provinsi atau kirim salinan itu kepada mereka untuk diselamatkan.",
            f"The database file {file} is damaged and there is no sound backup in {settings.backup_dir}.\n\n"
            "Do not delete that file. Close the application, copy the whole data folder to a flash drive, and "
            "contact the provincial BPS IT team or send them the copy to rescue."), warning=True)
        return False
    zone_name = backup.office_zone(good.path)
    when = fmt_local(good.taken_at, zone_name) if zone_name else good.taken_at.strftime("%d-%m-%Y %H:%M UTC")
    kind = KIND_WORDS.get(good.kind, (good.kind, good.kind))[language() == "en"]
    if not ask(parent, title, tr(
            f"Berkas basis data {file} rusak (gagal pemeriksaan integritas SQLite).\n\n"
            f"Cadangan utuh terbaru: {when} · {kind}.\nPulihkan dari cadangan itu? Apa yang dicatat setelah "
            "waktu itu perlu dicatat ulang. Berkas yang rusak disimpan di sampingnya, tidak dihapus.\n\n"
            "Pilih Tidak untuk menutup aplikasi tanpa mengubah apa pun.",
            f"The database file {file} is damaged (it fails SQLite's integrity check).\n\n"
            f"Newest sound backup: {when} · {kind}.\nRestore from it? Whatever was recorded after that time "
            "must be recorded again. The damaged file is kept beside it, not deleted.\n\n"
            "Choose No to close the application without changing anything.")):
        return False
    try:
        backup.restore(good.path, file)
    except Exception as error:  # explained; the application stops instead of opening a half-restored file
        reason = error.message(language()) if isinstance(error, backup.RestoreRefused) else str(error)
        inform(parent, title, tr(f"Pemulihan gagal: {reason}", f"The restore failed: {reason}"), warning=True)
        return False
    inform(parent, tr("Pemulihan selesai", "Restore finished"),
           tr(f"Basis data dipulihkan dari cadangan {when}. Aplikasi dilanjutkan.",
              f"The database was restored from the backup of {when}. The application goes on."))
    return True

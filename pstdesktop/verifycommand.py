"""``pst verify`` and ``pst audit-key``: is the database sound, and does its keyed audit trail hold against
the data and every checkpoint known? Exit 0 sound and untampered, 1 tampered, 2 damaged, empty, foreign,
unreadable or unverifiable (a ``faults.Fault``, one line)."""

from __future__ import annotations

import time
from pathlib import Path

from pstdesktop import anchors, auditkey, faults, soundness
from pstdesktop.bootstrap import open_url
from pstdesktop.config import Settings

TAMPERED = 1


def verify_command(settings: Settings, *, full: bool = False, paper: list[str] | None = None) -> int:
    read = []
    for given in paper or []:
        anchor = anchors.parse_paper(given)
        if anchor is None:
            raise faults.Fault("anchor_invalid", anchor=given)
        read.append(anchor)
    url = settings.database_url
    file = faults.sqlite_path(url)
    if file is not None:
        faults.check_sqlite_file(file, settings.backup_dir)  # the usual faults, one line each
        # one page check daily (quick_check, just run), integrity_check too with --full
        problems = soundness.check_file(file, thorough=True, scan=full, at_head=False) if file.exists() else []
        if problems:
            raise faults.Fault("database_unsound", problem=(problems[0].indonesian, problems[0].english))
    started = time.perf_counter()
    database = open_url(url, settings.backup_dir if settings.is_sqlite else None, seal=False, checked=file is not None)
    try:
        problems = soundness.check_engine(database.engine, scan=file is None)
        if problems:
            raise faults.Fault("database_unsound", problem=(problems[0].indonesian, problems[0].english))
        from pstdesktop.services import audit, verification

        shown_url = database.engine.url.render_as_string(hide_password=True)
        gathered = verification.gather(shown_url, settings.backup_dir if settings.is_sqlite else None)
        connection = verification.read_snapshot(database.engine)
        try:
            report = verification.check(connection, url=shown_url, full=full, paper=read, gathered=gathered)
        except audit.KeyMissing as missing:
            raise faults.Fault("audit_key_missing", key=missing.kid, url=faults.shown(url),
                               where=auditkey.where()) from None
        finally:
            connection.rollback()
            connection.close()
    finally:
        database.dispose()
    seconds = time.perf_counter() - started
    if report.findings:
        print(f"pst verify: ditemukan {len(report.findings)} masalah / {len(report.findings)} problem(s) found:")
        for finding in report.findings:
            print(f"  - {finding.text()}")
        return TAMPERED
    verification.checkpoint(shown_url, report)
    head = anchors.paper(*report.head) if report.head else "-"
    scope = ("seluruh jejak", "the whole trail") if report.checked_from <= 1 else (
        f"jejak sejak titik periksa {report.checked_from}", f"the trail since checkpoint {report.checked_from}")
    print(f"pst verify: OK — basis data utuh; setiap baris yang diaudit cocok dengan jejak audit ({scope[0]}, "
          f"{report.entries} entri, {report.rows} baris, {report.anchors} titik periksa; kepala {head}) / "
          f"the database is sound; every audited row matches the audit trail ({scope[1]}, {report.entries} "
          f"entries, {report.rows} rows, {report.anchors} checkpoints; head {head}) [{seconds:.1f} s]")
    return 0


def audit_key_command(action: str, file: Path | None) -> int:
    try:
        if action == "show":
            ids = sorted(auditkey.keys())
            print(f"pst audit-key: kunci di / keys in {auditkey.where()}: {', '.join(ids) or '-'}")
            return 0
        if file is None:
            raise faults.Fault("audit_key_file", problem=("sebutkan BERKAS", "name a FILE"))
        if action == "export":
            kid = auditkey.export_key(file)
            print(f"pst audit-key: kunci {kid} ditulis ke {file}; simpan berkas itu seperti kata sandi / key {kid} "
                  f"written to {file}; keep that file like a password")
            return 0
        kid = auditkey.import_key(file)
        print(f"pst audit-key: kunci {kid} disimpan di {auditkey.where()} / key {kid} stored in {auditkey.where()}")
        return 0
    except auditkey.AuditKeyError as error:
        raise faults.Fault("audit_key_file", problem=(error.indonesian, error.english)) from None

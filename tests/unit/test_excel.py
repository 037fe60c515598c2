"""The Excel exports re-opened with openpyxl and checked against the database; where LibreOffice is
installed, recomputed by it to prove the formulas agree with the values the application wrote."""

import os
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

import exports.ledger as xl
from models import DocumentStatus, Payment, PaymentMethod, Receipt
from pstdesktop import reports
from pstdesktop.services import ledger, requests
from pstdesktop.services.clock import local_date
from pstdesktop.services.errors import DomainError, ValidationError
from tests.conftest import PASSWORD, Office
from tests.unit.test_ledger import TOTAL, sold, today

MONEY = xl.RUPIAH_FORMAT
LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.fixture
def books(office, data_file):
    """A month of the treasurer's desk: cash deposited, a cash kuitansi cancelled and issued again, SIMPONI,
    transfer, cash still in the box, and an Rp0 request."""
    _i, _p, deposited = sold(office)
    _i, cancelled_payment, cancelled = sold(office, items=(("map_kab_desa", "Peta WILKERSTAT", 2, "Kota Ambon"),))
    sold(office, PaymentMethod.SIMPONI)
    sold(office, PaymentMethod.TRANSFER, proof=data_file("bukti.pdf", 100), ntb="TRF-0001")
    sold(office, items=(("microdata_raw", "Podes 2024", 1_000_000, ""),))
    day = today(office)
    with office.session() as s:
        ledger.record_deposit(s, office.treasurer, [deposited], ntpn="DEP0000000000001", deposited_on=day)
    with office.session() as s:
        ledger.cancel_receipt(s, office.treasurer, cancelled, "Jumlah peta salah", "kepala", PASSWORD)
    with office.session() as s:
        ledger.issue_receipt(s, office.treasurer, cancelled_payment)
    _ticket, rp0 = office.walk_in(items=(("map_kab_kecamatan", "Peta WILKERSTAT", 1, "Kabupaten Buru"),))
    with office.session() as s:
        requests.submit(s, office.officer, rp0)
        requests.approve(s, office.officer, rp0, waiver={"category": "education", "purpose": "research",
                                                         "letter_number": "UN13/PL/2026", "letter_date": day})
    return day


@pytest.fixture
def outdir(tmp_path):
    """An empty folder for the workbooks (the database lives beside it in tmp_path)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def bku_sheet(workbook, day):
    return workbook[f"BKU {xl.MONTHS_ID[day.month - 1][:3]} {day.year}"]


def labelled(ws, label, column):
    """The row whose cell in ``column`` reads ``label`` (a totals row)."""
    for row in ws.iter_rows():
        if row[column - 1].value == label:
            return row
    raise AssertionError(f"no row labelled {label!r} in {ws.title}")


def data_rows(ws, first=8):
    rows = []
    for row in ws.iter_rows(min_row=first, values_only=True):
        if row[0] is None or isinstance(row[0], str):
            break
        rows.append(row)
    return rows


def test_month_ledger_workbook_matches_the_database(office, books, tmp_path):
    day = books
    out = tmp_path / "bku.xlsx"
    summary = reports.export_ledger(office.db, office.treasurer, day.year, day.month, out)
    assert summary.path == out and out.exists() and zipfile.is_zipfile(out)
    workbook = load_workbook(out)
    assert workbook.sheetnames == [f"BKU {xl.MONTHS_ID[day.month - 1][:3]} {day.year}", "Kas Tunai", "SIMPONI-Bank",
                                   "Rekap", "Daftar Rp0"]
    ws = bku_sheet(workbook, day)
    assert ws["A1"].value == "BPS PROVINSI MALUKU" and "BUKU KAS UMUM" in ws["A4"].value
    assert [c.value for c in ws[6]] == [name for name, _w, _k in xl.BKU_COLUMNS]
    assert ws.freeze_panes == "A7"
    rows = data_rows(ws)
    last = 7 + len(rows)
    assert ws.auto_filter.ref == f"A6:L{last}"
    assert ws["L7"].value == 0 and ws["E7"].value.startswith("Saldo awal")
    with office.session() as s:
        totals = ledger.ledger_totals(s, office.office_id, day.year, [day.month])
        receipts = s.scalar(select(func.count(Receipt.id)))
        cancelled = s.scalar(select(func.count(Receipt.id)).where(Receipt.status == DocumentStatus.CANCELLED))
        _page, in_box = ledger.undeposited(s, office.treasurer)
        active_cash = s.scalar(select(func.sum(Receipt.amount)).join(Payment, Payment.id == Receipt.payment_id).where(
            Receipt.status != DocumentStatus.CANCELLED, Payment.method == PaymentMethod.CASH))
        direct = s.scalar(select(func.sum(Receipt.amount)).join(Payment, Payment.id == Receipt.payment_id).where(
            Receipt.status != DocumentStatus.CANCELLED, Payment.method != PaymentMethod.CASH))
        active = s.scalar(select(func.sum(Receipt.amount)).where(Receipt.status != DocumentStatus.CANCELLED))
    assert len(rows) == receipts + cancelled + 1  # kuitansi, the correction line and the deposit
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    formula = labelled(ws, "JUMLAH (rumus)", 5)
    values = labelled(ws, "JUMLAH (nilai aplikasi)", 5)
    assert formula[7].value == f"=SUM(H7:H{last})" and formula[8].value == f"=SUM(I7:I{last})"
    assert (values[7].value, values[8].value) == (totals.debit, totals.credit)
    assert totals.debit == sum(r[7] or 0 for r in rows) and totals.credit == sum(r[8] or 0 for r in rows)
    closing = labelled(ws, "SALDO AKHIR (nilai aplikasi): kas tunai belum disetor", 5)
    assert closing[11].value == totals.closing == in_box == rows[-1][11]
    assert labelled(ws, "SALDO AKHIR (rumus: saldo awal + debet − kredit)", 5)[11].value == \
        f"=L7+H{formula[7].row}-I{formula[7].row}"
    assert ws.cell(row=8, column=8).number_format == MONEY and ws.cell(row=8, column=12).number_format == MONEY
    assert ws.cell(row=8, column=2).number_format == xl.DATE_FORMAT and ws.cell(row=8, column=2).value.date() == day
    assert any(isinstance(c.value, str) and c.value == "Bendahara Penerimaan" for row in ws.iter_rows() for c in row)

    cash = workbook["Kas Tunai"]
    assert labelled(cash, "JUMLAH (nilai aplikasi)", 4)[4].value == active_cash
    assert labelled(cash, "Belum disetor", 4)[4].value == in_box
    bank = workbook["SIMPONI-Bank"]
    assert labelled(bank, "JUMLAH (nilai aplikasi)", 4)[9].value == direct == 2 * TOTAL
    assert [r[4] for r in data_rows(bank, 7)] == ["SIMPONI", "Transfer"]
    rekap = workbook["Rekap"]
    assert [c.value for c in rekap[6]][:4] == ["No", "Kode Akun", "Produk", f"{xl.MONTHS_ID[day.month - 1][:3]} {day.year}"]
    rekap_values = labelled(rekap, "JUMLAH (nilai aplikasi)", 3)
    assert rekap_values[3].value == rekap_values[4].value == rekap_values[5].value == active
    assert {r[2]: r[5] for r in data_rows(rekap, 7)} == {
        "Data mikro tanpa pengolahan (per dataset)": 3 * TOTAL + 20_000,
        "Peta WILKERSTAT satu kabupaten/kota menurut desa/kelurahan": 140_000}
    rp0 = workbook["Daftar Rp0"]
    rp0_rows = data_rows(rp0, 7)
    assert len(rp0_rows) == 1 and rp0_rows[0][10] == 30_000 and rp0_rows[0][11] == 0
    assert rp0_rows[0][5] == "Lembaga pendidikan dalam negeri" and rp0_rows[0][7] == "UN13/PL/2026"


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_recomputes_the_formulas_to_the_values(office, books, tmp_path):
    day = books
    ledger_file, report_file = tmp_path / "bku.xlsx", tmp_path / "laporan.xlsx"
    reports.export_ledger(office.db, office.treasurer, day.year, None, ledger_file)
    reports.export_report(office.db, office.treasurer, f"{day.year}-{day.month:02d}", report_file)
    recalculated = tmp_path / "recalculated"
    subprocess.run([LIBREOFFICE, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(recalculated), str(ledger_file), str(report_file)],
                   check=True, capture_output=True, timeout=240)
    computed = load_workbook(recalculated / "bku.xlsx", data_only=True)
    checked = 0
    for ws in computed.worksheets:
        label_col = {"Rekap": 3, "Kas Tunai": 4, "SIMPONI-Bank": 4, "Daftar Rp0": 10}.get(ws.title, 5)
        formula, values = labelled(ws, "JUMLAH (rumus)", label_col), labelled(ws, "JUMLAH (nilai aplikasi)", label_col)
        numbers = [(f.value, v.value) for f, v in zip(formula, values, strict=True) if isinstance(v.value, int)]
        assert numbers and all(f == v for f, v in numbers), (ws.title, numbers)
        checked += len(numbers)
        if ws.title.startswith("BKU"):
            assert labelled(ws, "SALDO AKHIR (rumus: saldo awal + debet − kredit)", 5)[11].value == \
                labelled(ws, "SALDO AKHIR (nilai aplikasi): kas tunai belum disetor", 5)[11].value
        if ws.title == "Rekap":
            for row in data_rows(ws, 7):
                assert row[-2] == row[-1]  # the row total by formula and by value
    assert checked >= 2 * day.month + 6
    report = load_workbook(recalculated / "laporan.xlsx", data_only=True)
    for ws in report.worksheets:
        for formula in [r for r in ws.iter_rows() if r[0].value == "Jumlah (rumus)" or
                        any(c.value == "Jumlah (rumus)" for c in r)]:
            following = ws[formula[0].row + 1]
            for f, v in zip(formula, following, strict=True):
                if isinstance(v.value, int) and not isinstance(v.value, bool):
                    assert f.value == v.value, ws.title
    ikm = report["Kepuasan"]
    assert ikm["A6"].value is not None  # a caption even without respondents


@pytest.mark.parametrize("before, after", [
    # 30-11 23:45 WIT, then 01-12 00:15 WIT: one UTC day, two office months
    (datetime(2026, 11, 30, 14, 45, tzinfo=UTC), datetime(2026, 11, 30, 15, 15, tzinfo=UTC)),
    # January, then February: the year's first months
    (datetime(2027, 1, 29, 5, 0, tzinfo=UTC), datetime(2027, 2, 1, 1, 0, tzinfo=UTC)),
    # 29-02-2028 23:50 WIT, then 01-03-2028 00:10 WIT
    (datetime(2028, 2, 29, 14, 50, tzinfo=UTC), datetime(2028, 2, 29, 15, 10, tzinfo=UTC)),
], ids=["november-december", "january-february", "leap-february-march"])
def test_year_ledger_has_one_sheet_per_month_and_carries_the_balance(before, after, sqlite_db, time_machine,
                                                                     tmp_path):
    """A sale in one office month and one in the next: the first month's closing balance is carried
    into the next, at whatever real date the suite runs."""
    time_machine.move_to(before - timedelta(hours=2), tick=True)
    office = Office(sqlite_db)
    time_machine.move_to(before, tick=True)
    sold(office)
    time_machine.move_to(after, tick=True)
    day = today(office)
    assert day == local_date(after, "WIT") and day.month == local_date(before, "WIT").month + 1
    sold(office, items=(("microdata_raw", "Podes 2024", 1_000_000, ""),))
    out = tmp_path / "tahun.xlsx"
    reports.export_ledger(office.db, office.treasurer, day.year, None, out)
    workbook = load_workbook(out)
    months = [f"BKU {xl.MONTHS_ID[m - 1][:3]} {day.year}" for m in range(1, day.month + 1)]
    assert workbook.sheetnames == [*months, "Kas Tunai", "SIMPONI-Bank", "Rekap", "Daftar Rp0"]
    previous, current = workbook[months[-2]], workbook[months[-1]]
    assert labelled(previous, "SALDO AKHIR (nilai aplikasi): kas tunai belum disetor", 5)[11].value == TOTAL
    assert current["L7"].value == TOTAL  # carried over as the opening balance
    assert labelled(current, "SALDO AKHIR (nilai aplikasi): kas tunai belum disetor", 5)[11].value == TOTAL + 20_000
    for title in months[:-2]:
        assert data_rows(workbook[title]) == [] and workbook[title]["L7"].value == 0
    rekap = workbook["Rekap"]
    line = data_rows(rekap, 7)[0]
    assert line[3:3 + day.month][-2:] == (TOTAL, 20_000) and line[-1] == TOTAL + 20_000


def test_report_workbook_has_the_figures_and_charts(office, books, tmp_path):
    day = books
    out = tmp_path / "laporan.xlsx"
    reports.export_report(office.db, office.treasurer, f"{day.year}-{day.month:02d}", out)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Ringkasan", "Pengunjung", "Permintaan", "Pendapatan", "Daftar Rp0",
                                   "Ketepatan Waktu", "Kepuasan"]
    with office.session() as s:
        active = s.scalar(select(func.sum(Receipt.amount)).where(Receipt.status != DocumentStatus.CANCELLED))
        report = ledger.service_report(s, office.office_id, day.year, day.month)
    summary = {row[0].value: row[1].value for row in workbook["Ringkasan"].iter_rows(min_row=6) if row[0].value}
    assert summary["Pendapatan PNBP (Rp)"] == active
    assert summary["Kunjungan (buku tamu)"] == 6 and summary["Permintaan diterima"] == 6
    assert summary["Permintaan tarif Rp0"] == 1 and summary["Nilai tarif normal yang dibebaskan (Rp)"] == 30_000
    revenue = workbook["Pendapatan"]
    by_method = labelled(revenue, "Jumlah (nilai aplikasi)", 1)
    assert by_method[2].value == active and by_method[1].value == 5
    assert labelled(revenue, "Jumlah (rumus)", 1)[2].value.startswith("=SUM(C")
    assert labelled(revenue, "Jumlah (nilai aplikasi)", 2)[2].value == active  # by account code and product
    assert revenue.cell(row=8, column=3).number_format == MONEY
    visitors = workbook["Pengunjung"]
    assert labelled(visitors, "Jumlah (nilai aplikasi)", 1)[1].value == 6
    with zipfile.ZipFile(out) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 7  # 2 visitors, 2 requests, 2 revenue, on-time; no poll answers: no IKM chart
    assert report.requests_total == 6


def test_bad_periods_and_targets_are_refused_without_a_file(office, outdir):
    day = today(office)
    cases = [((day.year + 1, None, "a.xlsx"), "export_period"), ((day.year, 13, "a.xlsx"), "export_period"),
             (("20x6", None, "a.xlsx"), "export_period"), ((1999, None, "a.xlsx"), "export_period"),
             ((day.year, None, "a.csv"), "export_period"), ((day.year, None, ""), "export_period")]
    if day.month < 12:
        cases.append(((day.year, day.month + 1, "a.xlsx"), "future"))
    for (year, month, name), code in cases:
        with pytest.raises(ValidationError) as refused:
            reports.export_ledger(office.db, office.treasurer, year, month, outdir / name if name else "")
        assert refused.value.code == code, (year, month, name)
    for text in ("2026/11", "bulan lalu", "", f"{day.year + 1}-01", f"{day.year}-13"):
        with pytest.raises(ValidationError):
            reports.export_report(office.db, office.treasurer, text, outdir / "r.xlsx")
    with pytest.raises(DomainError) as denied:
        reports.export_ledger(office.db, office.officer, day.year, None, outdir / "a.xlsx")
    assert denied.value.code == "role"
    assert list(outdir.iterdir()) == []


def test_read_only_folder_and_a_file_open_in_excel_leave_nothing_behind(office, books, outdir, monkeypatch):
    day = books
    locked = outdir / "readonly"
    locked.mkdir()
    locked.chmod(0o555)
    real_open = os.open
    if os.access(locked, os.W_OK):  # running as root: chmod does not stop us, so the folder refuses as Windows would
        def refuse(path, *args, **kwargs):
            if Path(path).parent == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)
        monkeypatch.setattr(xl.os, "open", refuse)
    with pytest.raises(DomainError) as refused:
        reports.export_ledger(office.db, office.treasurer, day.year, day.month, locked / "bku.xlsx")
    assert refused.value.code == "export_folder" and "hanya-baca" in refused.value.message()
    monkeypatch.undo()
    locked.chmod(0o755)
    assert list(locked.iterdir()) == []

    target = outdir / "bku.xlsx"
    target.write_bytes(b"the old workbook")

    def in_use(_source, _target):
        raise PermissionError(32, "The process cannot access the file because it is being used by another process")
    monkeypatch.setattr(xl.os, "replace", in_use)
    for export in (lambda: reports.export_ledger(office.db, office.treasurer, day.year, None, target),
                   lambda: reports.export_report(office.db, office.treasurer, f"{day.year}-{day.month:02d}", target)):
        with pytest.raises(DomainError) as busy:
            export()
        assert busy.value.code == "export_locked" and "Excel" in busy.value.message()
    assert target.read_bytes() == b"the old workbook"
    assert sorted(p.name for p in outdir.iterdir()) == ["bku.xlsx", "readonly"]


def test_cancelled_export_leaves_no_file_and_progress_is_reported(office, books, outdir):
    day = books
    seen = []
    out = outdir / "bku.xlsx"
    reports.export_ledger(office.db, office.treasurer, day.year, None, out, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1] and all(d <= t for d, t in seen)
    out.unlink()
    calls = []

    def stop_after_first():
        calls.append(1)
        return len(calls) > 1
    with pytest.raises(reports.ExportCancelled):
        reports.export_ledger(office.db, office.treasurer, day.year, None, out, cancelled=stop_after_first)
    assert list(outdir.iterdir()) == []


def test_export_command_for_a_scheduled_task(office, books, outdir, capsys):
    day = books
    out = outdir / "bku.xlsx"
    assert reports.export_command(office.db, "ledger", year=day.year, month=f"{day.month:02d}", out=out) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "saldo akhir" in printed and out.exists()
    assert reports.export_command(office.db, "report", month=f"{day.year}-{day.month:02d}",
                                  out=outdir / "r.xlsx") == 0
    assert reports.export_command(office.db, "ledger", year=None, out=outdir / "x.xlsx") == 2
    assert reports.export_command(office.db, "report", month="11-2026", out=outdir / "y.xlsx") == 2
    assert "Periode" in capsys.readouterr().err
    assert sorted(p.name for p in outdir.iterdir()) == ["bku.xlsx", "r.xlsx"]

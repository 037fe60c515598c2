"""The Excel exports re-opened with openpyxl and checked against the database: each table has one total
row, of formulas, which the test evaluates (``computed``) and compares with the application's figures;
where LibreOffice is installed, it recomputes them to the same numbers. The closing figures of the Kas Tunai, Bank and SIMPONI books are checked against the positions of the
services and against sums the test makes itself from the rows of Payment, Deposit and Refund."""

import os
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

import exports.ledger as xl
from models import Deposit, DocumentStatus, Invoice, Payment, PaymentMethod, Receipt, Refund
from pstdesktop import reports
from pstdesktop.services import ledger, requests
from pstdesktop.services.clock import local_date
from pstdesktop.services.errors import DomainError, ValidationError
from pstdesktop.services.office import update_office
from pstdesktop.services.positions import positions
from tests.conftest import PASSWORD, Office
from tests.unit.test_ledger import TOTAL, invoiced, pay, sold, today

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


def raw(size: int) -> tuple:
    """A raw dataset of ``size`` bytes: Rp20.000 for the first MB and Rp20 per further 1.000 bytes."""
    return (("microdata_raw", "Sakernas Agustus 2024", size, ""),)


@pytest.fixture
def desk(office, books, data_file):
    """``books`` and the rest of the day: a cash payment (Rp40.000) and a transfer (Rp60.000) still waiting
    for their kuitansi, a cash payment (Rp80.000) refunded in cash and a SIMPONI payment (Rp100.000)
    refunded by transfer after their kuitansi were cancelled, and the transfer of ``books`` deposited
    from the receiving account."""
    day = books
    pay(office, invoiced(office, items=raw(2_000_000)))
    pay(office, invoiced(office, items=raw(3_000_000)), PaymentMethod.TRANSFER, proof_file=data_file("b2.pdf", 100, fill=b"2"),
        ntb="TRF-0002")
    _i, cash_back, cash_receipt = sold(office, items=raw(4_000_000))
    _i, simponi_back, simponi_receipt = sold(office, PaymentMethod.SIMPONI, items=raw(5_000_000))
    with office.session() as s:
        transfers = [r.receipt_id for r in ledger.undeposited(s, office.treasurer, "transfer")[0].rows]
    assert len(transfers) == 1
    with office.session() as s:
        ledger.record_deposit(s, office.treasurer, transfers, ntpn="DEP0000000000002", deposited_on=day,
                              source="transfer")
    for receipt, payment, how in ((cash_receipt, cash_back, "cash"), (simponi_receipt, simponi_back, "transfer")):
        with office.session() as s:
            ledger.cancel_receipt(s, office.treasurer, receipt, "Pemohon membatalkan pembelian", "kepala", PASSWORD)
        with office.session() as s:
            ledger.record_refund(s, office.treasurer, payment, method=how, refunded_on=day,
                                 reason="Pemohon membatalkan pembelian", supervisor_username="kepala",
                                 supervisor_password=PASSWORD)
    return day


def counted(session, before, before_day) -> dict[str, int]:
    """The three positions summed here from the rows of Payment, Deposit and Refund (not by the services)."""
    payments = list(session.scalars(select(Payment)))
    method = {p.id: p.method for p in payments}

    def paid(m):
        return sum(p.amount for p in payments if p.method is m and p.paid_at < before)

    def deposited(source):
        return sum(d.amount for d in session.scalars(select(Deposit)) if d.source == source
                   and d.deposited_on < before_day)

    def refunded(m):
        return sum(r.amount for r in session.scalars(select(Refund)) if method[r.payment_id] is m
                   and r.refunded_on < before_day)

    cash, transfer, simponi = PaymentMethod.CASH, PaymentMethod.TRANSFER, PaymentMethod.SIMPONI
    return {"cash": paid(cash) - deposited("cash") - refunded(cash),
            "bank": paid(transfer) - deposited("transfer") - refunded(transfer),
            "treasury": paid(simponi) + deposited("cash") + deposited("transfer") - refunded(simponi)}


def waiting(session) -> dict[str, dict[str, int]]:
    """Method -> {invoice number: amount} of the payments with no live kuitansi and no refund, now."""
    live = {r.payment_id for r in session.scalars(select(Receipt)) if r.status is not DocumentStatus.CANCELLED}
    refunded = {r.payment_id for r in session.scalars(select(Refund))}
    found: dict[str, dict[str, int]] = {m.value: {} for m in PaymentMethod}
    for payment, number in session.execute(select(Payment, Invoice.number).join(Invoice)):
        if payment.id not in live and payment.id not in refunded:
            found[payment.method.value][number] = payment.amount
    return found


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


def starting(ws, prefix, column=5):
    """The row whose cell in ``column`` begins with ``prefix`` (a footer line that carries a date)."""
    for row in ws.iter_rows():
        value = row[column - 1].value
        if isinstance(value, str) and value.startswith(prefix):
            return row
    raise AssertionError(f"no row starting {prefix!r} in {ws.title}")


_TERM = re.compile(r"([+-]?)(?:SUM\(([A-Z]+\d+):([A-Z]+\d+)\)|([A-Z]+\d+))")


def computed(ws, cell):
    """The number a cell shows: its value, or its formula (``=SUM(range)`` and cell references joined by
    + and −, the only forms the exports write for totals and balances) evaluated here."""
    value = cell.value
    if not (isinstance(value, str) and value.startswith("=")):
        return value or 0
    total = 0
    for sign, start, end, single in _TERM.findall(value[1:]):
        cells = [c for row in ws[f"{start}:{end}"] for c in row] if start else [ws[single]]
        part = sum(computed(ws, c) for c in cells)
        total += -part if sign == "-" else part
    return total


def total_rows(ws, label_col: int) -> list[int]:
    """The rows of ``ws`` that say they are a table's total (the SIMPONI book's net is a balance line)."""
    return [row[0].row for row in ws.iter_rows() if isinstance(row[label_col - 1].value, str)
            and row[label_col - 1].value.upper().startswith("JUMLAH") and row[label_col - 1].value != xl.NET_FORMULA]


def columns(ws) -> dict[str, int]:
    """Header name -> 0-based index in a row."""
    return {cell.value: cell.column - 1 for cell in ws[6]}


def after(ws, row, count):
    """The ``count`` rows under ``row`` (the payments listed under a pending line)."""
    return [tuple(c.value for c in r) for r in ws.iter_rows(min_row=row[0].row + 1, max_row=row[0].row + count)]


def data_rows(ws, first=8):
    rows = []
    for row in ws.iter_rows(min_row=first, values_only=True):
        if row[0] is None or isinstance(row[0], str):
            break
        rows.append(row)
    return rows


SHEETS = ["Kas Tunai", "Bank", "SIMPONI", "Rekap", "Daftar Rp0"]


def test_month_ledger_workbook_matches_the_database(office, desk, tmp_path):
    day = desk
    out = tmp_path / "bku.xlsx"
    summary = reports.export_ledger(office.db, office.treasurer, day.year, day.month, out)
    assert summary.path == out and out.exists() and zipfile.is_zipfile(out)
    workbook = load_workbook(out)
    assert workbook.sheetnames == [f"BKU {xl.MONTHS_ID[day.month - 1][:3]} {day.year}", *SHEETS]
    ws = bku_sheet(workbook, day)
    assert ws["A1"].value == "BPS PROVINSI MALUKU" and "BUKU KAS UMUM" in ws["A4"].value
    assert [c.value for c in ws[6]] == [name for name, _w, _k in xl.BKU_COLUMNS]
    assert ws.freeze_panes == "A7"
    rows = data_rows(ws)
    last = 7 + len(rows)
    assert ws.auto_filter.ref == f"A6:L{last}"
    assert ws["L7"].value == 0 and ws["E7"].value.startswith("Saldo awal")
    _start, end, first, following = ledger.month_bounds(day.year, day.month, "WIT")
    with office.session() as s:
        totals = ledger.ledger_totals(s, office.office_id, day.year, [day.month])
        receipts = s.scalar(select(func.count(Receipt.id)))
        cancelled = s.scalar(select(func.count(Receipt.id)).where(Receipt.status == DocumentStatus.CANCELLED))
        in_box = ledger.undeposited(s, office.treasurer)[1]
        on_account = ledger.undeposited(s, office.treasurer, "transfer")[1]
        active = s.scalar(select(func.sum(Receipt.amount)).where(Receipt.status != DocumentStatus.CANCELLED))
        held = positions(s, office.office_id, end, following)
        expected, at_start = counted(s, end, following), counted(s, _start, first)
        pending = waiting(s)
    # the services and the test's own sums agree, with the figures of the day built by ``desk``
    assert (held.cash, held.bank, held.treasury) == (expected["cash"], expected["bank"], expected["treasury"])
    assert expected == {"cash": 140_000 + 20_000 + 40_000, "bank": 60_000, "treasury": 3 * TOTAL}
    assert at_start == {"cash": 0, "bank": 0, "treasury": 0}
    assert {m: sum(v.values()) for m, v in pending.items()} == {"cash": 40_000, "transfer": 60_000, "simponi": 0}
    assert held.pending == {"cash": 40_000, "transfer": 60_000, "simponi": 0}

    # BKU: kuitansi, corrections, the two deposits and the two refunds; its balance is what is held
    assert len(rows) == receipts + cancelled + 2 + 2
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert [r[2] for r in rows if r[2].startswith("Kembali")] and all(
        r[7] is None and r[8] is None for r in rows if r[2].startswith("Kembali"))
    formula = labelled(ws, xl.TOTAL, 5)
    assert total_rows(ws, 5) == [formula[0].row]  # one total row, of formulas
    assert formula[7].value == f"=SUM(H7:H{last})" and formula[8].value == f"=SUM(I7:I{last})"
    assert (computed(ws, formula[7]), computed(ws, formula[8])) == (totals.debit, totals.credit)
    assert totals.debit == sum(r[7] or 0 for r in rows) and totals.credit == sum(r[8] or 0 for r in rows)
    closing = labelled(ws, xl.BKU_CLOSING, 5)
    assert closing[11].value == f"=L7+H{formula[7].row}-I{formula[7].row}"
    assert computed(ws, closing[11]) == totals.closing == in_box + on_account == rows[-1][11] == held.held == 160_000
    assert not [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "nilai aplikasi" in c.value]
    outside = starting(ws, xl.BKU_PENDING)
    assert outside[11].value == 100_000 and "2 pembayaran (tunai Rp40.000 di kas tunai, transfer Rp60.000" in outside[4].value
    listed = after(ws, outside, 2)
    assert {r[2]: r[11] for r in listed} == pending["cash"] | pending["transfer"]
    assert ws.cell(row=8, column=8).number_format == MONEY and ws.cell(row=8, column=12).number_format == MONEY
    assert ws.cell(row=8, column=2).number_format == xl.DATE_FORMAT and ws.cell(row=8, column=2).value.date() == day
    assert any(isinstance(c.value, str) and c.value == "Bendahara Penerimaan" for row in ws.iter_rows() for c in row)

    # Kas Tunai: the cash box from its opening to positions(...).cash, a refund out, a payment pending
    cash = workbook["Kas Tunai"]
    col = columns(cash)
    assert list(col) == [name for name, _w, _k in xl.CASH_COLUMNS] and cash.freeze_panes == "A7"
    assert cash["H7"].value == at_start["cash"] and cash["E7"].value.startswith("Saldo awal kas tunai")
    moves = data_rows(cash)
    money_in, money_out, saldo = col["Masuk (Penerimaan Tunai)"], col["Keluar (Setoran / Pengembalian)"], \
        col["Saldo Kas Tunai"]
    assert cash.auto_filter.ref == f"A6:J{7 + len(moves)}"
    assert len(moves) == 5 + 1 + 1  # five cash payments (one kuitansi cancelled and issued again), deposit, refund
    assert sum(r[money_in] or 0 for r in moves) - sum(r[money_out] or 0 for r in moves) == expected["cash"]
    assert moves[-1][saldo] == expected["cash"]
    refund = [r for r in moves if r[2].startswith("Kembali")]
    assert len(refund) == 1 and refund[0][money_out] == 80_000 and "Pemohon membatalkan" in refund[0][4]
    assert [r[money_in] for r in moves if r[2] == "(kuitansi dibatalkan)"] == [80_000]
    waiting_row = [r for r in moves if r[2] == "(menunggu kuitansi)"]
    assert len(waiting_row) == 1 and waiting_row[0][money_in] == 40_000 and waiting_row[0][col["Tgl Setor"]] is None
    deposited = [r for r in moves if r[col["NTPN Setoran"]] == "DEP0000000000001"]
    assert sorted((r[money_in] or 0, r[money_out] or 0) for r in deposited) == [(0, TOTAL), (TOTAL, 0)]
    assert any("dibatalkan" in r[4] and r[money_in] == 140_000 for r in moves)  # the map, its kuitansi issued again
    sums = labelled(cash, xl.TOTAL, 5)
    assert total_rows(cash, 5) == [sums[0].row]
    assert sums[money_in].value == f"=SUM(F7:F{7 + len(moves)})" and sums[money_out].value == f"=SUM(G7:G{7 + len(moves)})"
    end_value = starting(cash, xl.CLOSING_FORMULA)
    assert end_value[saldo].value == f"=H7+F{sums[0].row}-G{sums[0].row}"
    assert computed(cash, end_value[saldo]) == held.cash == expected["cash"]
    assert end_value[4].value.endswith(f"{day:%d-%m-%Y}")
    assert starting(cash, "terdiri dari: kuitansi tunai belum disetor")[saldo].value == in_box == 160_000
    pending_line = starting(cash, "dan pembayaran tunai menunggu kuitansi")
    assert pending_line[saldo].value == held.pending["cash"] == 40_000 and "1 pembayaran" in pending_line[4].value
    assert {r[2]: r[saldo] for r in after(cash, pending_line, 1)} == pending["cash"]
    assert in_box + pending_line[saldo].value == computed(cash, end_value[saldo])
    assert cash.cell(row=8, column=money_in + 1).number_format == MONEY

    # Bank: transfers in, the deposit from the account out, the transfer waiting for its kuitansi
    bank = workbook["Bank"]
    col = columns(bank)
    assert list(col) == [name for name, _w, _k in xl.BANK_COLUMNS]
    moves = data_rows(bank)
    money_in, money_out, saldo = col["Masuk (Transfer)"], col["Keluar (Setoran / Pengembalian)"], col["Saldo Rekening"]
    assert bank["J7"].value == at_start["bank"]
    assert sorted((r[money_in] or 0, r[money_out] or 0) for r in moves) == [(0, TOTAL), (60_000, 0), (TOTAL, 0)]
    # a transfer's bank reference, never an NTB (those are SIMPONI's, in the SIMPONI book)
    assert not [name for name in col if "NTB" in name]
    assert {r[col["No. Referensi Transfer"]] for r in moves if r[money_in]} == {"TRF-0001", "TRF-0002"}
    assert [r[col["NTPN Setoran"]] for r in moves if r[money_out]] == ["DEP0000000000002"]
    assert not [r for r in moves if r[2].startswith("Kembali")]  # no transfer was refunded
    assert moves[-1][saldo] == computed(bank, starting(bank, xl.CLOSING_FORMULA)[saldo]) == held.bank == \
        expected["bank"]
    assert starting(bank, "terdiri dari: kuitansi transfer belum disetor")[saldo].value == on_account == 0
    pending_line = starting(bank, "dan transfer menunggu kuitansi")
    assert pending_line[saldo].value == 60_000 and {r[2]: r[saldo] for r in after(bank, pending_line, 1)} == \
        pending["transfer"]

    # SIMPONI: billing codes paid and both deposits in, the SIMPONI refund out; net = the treasury's movement
    treasury = workbook["SIMPONI"]
    col = columns(treasury)
    assert list(col) == [name for name, _w, _k in xl.SIMPONI_COLUMNS]
    moves = data_rows(treasury, 7)
    money_in, money_out = col["Masuk Kas Negara"], col["Keluar (Pengembalian)"]
    assert sorted(r[money_in] or 0 for r in moves) == [0, 100_000, TOTAL, TOTAL, TOTAL]
    paid = [r for r in moves if r[col["Kode Billing"]]]
    assert len(paid) == 2 and all(len(r[col["NTPN"]]) == 16 and r[col["NTB"]] == "BNI0001" for r in paid)
    assert {r[col["NTPN"]] for r in moves if r[2].startswith("DEP")} == {"DEP0000000000001", "DEP0000000000002"}
    refund = [r for r in moves if r[2].startswith("Kembali")]
    assert len(refund) == 1 and refund[0][money_out] == 100_000
    net_line = labelled(treasury, xl.NET_FORMULA, 5)
    net = computed(treasury, net_line[money_in])
    assert net == held.treasury - at_start["treasury"] == expected["treasury"] - at_start["treasury"] == \
        sum(r[money_in] or 0 for r in moves) - sum(r[money_out] or 0 for r in moves)
    assert net_line[money_in].value.startswith("=J")
    assert starting(treasury, "pembayaran SIMPONI (sudah di Kas Negara) menunggu kuitansi")[money_in].value == 0

    for title in ("Kas Tunai", "Bank", "SIMPONI"):
        sheet = workbook[title]
        assert "BUKU PEMBANTU" in sheet["A4"].value and sheet.column_dimensions["E"].width >= 40
        assert any(c.value == "Bendahara Penerimaan" for row in sheet.iter_rows() for c in row)
        assert all(sheet.cell(row=6, column=c).alignment.wrap_text for c in range(1, sheet.max_column + 1))

    rekap = workbook["Rekap"]
    assert [c.value for c in rekap[6]][:4] == ["No", "Kode Akun", "Produk", f"{xl.MONTHS_ID[day.month - 1][:3]} {day.year}"]
    assert [c.value for c in rekap[6]][-1] == "Jumlah"
    rekap_total = labelled(rekap, xl.TOTAL, 3)
    assert total_rows(rekap, 3) == [rekap_total[0].row]
    assert computed(rekap, rekap_total[3]) == computed(rekap, rekap_total[4]) == active
    assert {r[2].value: computed(rekap, r[4]) for r in rekap.iter_rows(min_row=7, max_row=rekap_total[0].row - 1)} == {
        "Data mikro tanpa pengolahan (per dataset)": 3 * TOTAL + 20_000,
        "Peta WILKERSTAT satu kabupaten/kota menurut desa/kelurahan": 140_000}
    rp0 = workbook["Daftar Rp0"]
    rp0_rows = data_rows(rp0, 7)
    assert len(rp0_rows) == 1 and rp0_rows[0][10] == 30_000 and rp0_rows[0][11] == 0
    assert rp0_rows[0][5] == "Lembaga pendidikan dalam negeri" and rp0_rows[0][7] == "UN13/PL/2026"
    assert [computed(rp0, c) for c in labelled(rp0, xl.TOTAL, 10)[10:12]] == [30_000, 0]
    for sheet in workbook.worksheets:  # every book is signed by the treasurer, with the NIP
        texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert "Bendahara Penerimaan" in texts and "NIP. 198507122009022003" in texts, sheet.title


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_recomputes_the_formulas_to_the_values(office, desk, tmp_path):
    """Every sheet's totals, the BKU's closing balance, the closing balances of the cash box and of the
    receiving account and the SIMPONI book's net, recomputed by LibreOffice from the formulas, equal what
    ``computed`` makes of them and the application's positions — with a refund and payments pending."""
    day = desk
    ledger_file, report_file = tmp_path / "bku.xlsx", tmp_path / "laporan.xlsx"
    reports.export_ledger(office.db, office.treasurer, day.year, None, ledger_file)
    reports.export_report(office.db, office.treasurer, f"{day.year}-{day.month:02d}", report_file)
    recalculated = tmp_path / "recalculated"
    subprocess.run([LIBREOFFICE, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(recalculated), str(ledger_file), str(report_file)],
                   check=True, capture_output=True, timeout=240)

    def agree(source, recomputed, cells) -> int:
        """LibreOffice's numbers for ``cells`` equal ``computed`` on the exported sheet; returns how many."""
        numbers = [(c.value, computed(source, source.cell(row=c.row, column=c.column))) for c in cells
                   if isinstance(c.value, int | float) and not isinstance(c.value, bool)]
        assert numbers and all(lo == ours for lo, ours in numbers), (recomputed.title, numbers)
        return len(numbers)

    computed_book, original = load_workbook(recalculated / "bku.xlsx", data_only=True), load_workbook(ledger_file)
    assert computed_book.sheetnames == [f"BKU {xl.MONTHS_ID[day.month - 1][:3]} {day.year}", *SHEETS]
    checked = 0
    closings = {}
    for ws in computed_book.worksheets:
        source = original[ws.title]
        label_col = {"Rekap": 3, "Daftar Rp0": 10}.get(ws.title, 5)
        checked += agree(source, ws, labelled(ws, xl.TOTAL, label_col))
        if ws.title.startswith("BKU"):
            checked += agree(source, ws, labelled(ws, xl.BKU_CLOSING, 5)[11:12])
        if ws.title in ("Kas Tunai", "Bank"):
            saldo = columns(ws)["Saldo Kas Tunai" if ws.title == "Kas Tunai" else "Saldo Rekening"]
            line = starting(ws, xl.CLOSING_FORMULA)
            checked += agree(source, ws, line[saldo:saldo + 1])
            assert line[saldo].value == data_rows(ws)[-1][saldo], ws.title
            closings[ws.title] = line[saldo].value
        if ws.title == "SIMPONI":
            masuk = columns(ws)["Masuk Kas Negara"]
            line = labelled(ws, xl.NET_FORMULA, 5)
            checked += agree(source, ws, line[masuk:masuk + 1])
            closings[ws.title] = line[masuk].value
        if ws.title == "Rekap":
            for row in ws.iter_rows(min_row=7, max_row=labelled(ws, xl.TOTAL, 3)[0].row - 1):
                checked += agree(source, ws, row[-1:])  # the row total
    _start, end, _first, following = ledger.month_bounds(day.year, day.month, "WIT")
    with office.session() as s:
        year_start, _e, january, _f = ledger.month_bounds(day.year, 1, "WIT")
        held, before = positions(s, office.office_id, end, following), positions(s, office.office_id, year_start, january)
        totals = ledger.ledger_totals(s, office.office_id, day.year, [day.month])
    assert closings == {"Kas Tunai": held.cash, "Bank": held.bank, "SIMPONI": held.treasury - before.treasury}
    bku = computed_book.worksheets[0]
    assert [c.value for c in labelled(bku, xl.TOTAL, 5)[7:9]] == [totals.debit, totals.credit]
    assert labelled(bku, xl.BKU_CLOSING, 5)[11].value == totals.closing
    # BKU: debit, credit and the closing; Kas Tunai, Bank, SIMPONI: in and out, and the closing or net;
    # Rekap: each month and the whole, and each line's total; Daftar Rp0: normal tariff and charged
    rekap_lines = labelled(computed_book["Rekap"], xl.TOTAL, 3)[0].row - 7
    assert checked == 3 + 3 * 3 + (day.month + 1) + rekap_lines + 2
    report, report_source = load_workbook(recalculated / "laporan.xlsx", data_only=True), load_workbook(report_file)
    report_totals = 0
    for ws in report.worksheets:
        source = report_source[ws.title]
        for row in ws.iter_rows():
            if any(c.value == "Jumlah" for c in row) and any(
                    isinstance(c.value, str) and c.value.startswith("=SUM") for c in source[row[0].row]):
                report_totals += agree(source, ws, row)
    assert report_totals >= 8
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
    into the next, at whatever real date the suite runs; the months before the first sale get no sheet."""
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
    months = [f"BKU {xl.MONTHS_ID[m - 1][:3]} {day.year}" for m in (day.month - 1, day.month)]
    assert workbook.sheetnames == [*months, *SHEETS]
    previous, current = workbook[months[-2]], workbook[months[-1]]
    assert computed(previous, labelled(previous, xl.BKU_CLOSING, 5)[11]) == TOTAL
    assert current["L7"].value == TOTAL  # carried over as the opening balance
    assert computed(current, labelled(current, xl.BKU_CLOSING, 5)[11]) == TOTAL + 20_000
    rekap = workbook["Rekap"]
    line = next(rekap.iter_rows(min_row=7, max_row=7))
    assert tuple(c.value for c in line[3:3 + day.month][-2:]) == (TOTAL, 20_000)
    assert computed(rekap, line[-1]) == TOTAL + 20_000


def test_year_ledger_of_a_year_in_progress_has_no_empty_months(sqlite_db, time_machine, tmp_path):
    """Sales in May, cash still in the box in June, nothing yet in July: the year's workbook has May (its
    sales), June (the balance it carries) and July (the month now), not January to April."""
    time_machine.move_to(datetime(2026, 5, 12, 1, 0, tzinfo=UTC), tick=True)  # Tue 12-05 10:00 WIT
    office = Office(sqlite_db)
    sold(office)
    time_machine.move_to(datetime(2026, 7, 8, 1, 0, tzinfo=UTC), tick=True)  # Wed 08-07 10:00 WIT
    out = tmp_path / "tahun.xlsx"
    reports.export_ledger(office.db, office.treasurer, 2026, None, out)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["BKU Mei 2026", "BKU Jun 2026", "BKU Jul 2026", *SHEETS]
    for title in ("BKU Jun 2026", "BKU Jul 2026"):
        ws = workbook[title]
        assert data_rows(ws) == [] and ws["L7"].value == TOTAL
        assert computed(ws, labelled(ws, xl.BKU_CLOSING, 5)[11]) == TOTAL
    for ws in workbook.worksheets:
        label_col = {"Rekap": 3, "Daftar Rp0": 10}.get(ws.title, 5)
        assert len(total_rows(ws, label_col)) == 1, ws.title
    assert [c.value for c in workbook["Rekap"][6]][3:] == [f"{m} 2026" for m in
                                                           ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul")] + ["Jumlah"]


def test_report_workbook_has_the_figures_and_charts(office, books, tmp_path):
    day = books
    out = tmp_path / "laporan.xlsx"
    reports.export_report(office.db, office.treasurer, f"{day.year}-{day.month:02d}", out)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Ringkasan", "Pengunjung", "Permintaan", "Terlambat", "Pengalihan", "Pendapatan",
                                   "Daftar Rp0", "Ketepatan Waktu", "Kepuasan"]
    with office.session() as s:
        active = s.scalar(select(func.sum(Receipt.amount)).where(Receipt.status != DocumentStatus.CANCELLED))
        report = ledger.service_report(s, office.office_id, day.year, day.month)
    summary = {row[0].value: row[1].value for row in workbook["Ringkasan"].iter_rows(min_row=6) if row[0].value}
    assert summary["Pendapatan PNBP (Rp)"] == active
    assert summary["Kunjungan (buku tamu)"] == 6 and summary["Permintaan diterima"] == 6
    assert summary["Permintaan tarif Rp0"] == 1 and summary["Nilai tarif normal yang dibebaskan (Rp)"] == 30_000
    revenue = workbook["Pendapatan"]
    by_method = labelled(revenue, "Jumlah", 1)
    assert by_method[2].value.startswith("=SUM(C")
    assert computed(revenue, by_method[2]) == active and computed(revenue, by_method[1]) == 6  # 6 issued; one cancelled
    assert computed(revenue, labelled(revenue, "Jumlah", 2)[2]) == active  # by account code and product
    assert revenue.cell(row=8, column=3).number_format == MONEY
    visitors = workbook["Pengunjung"]
    assert computed(visitors, labelled(visitors, "Jumlah", 1)[1]) == 6
    texts = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if "nilai aplikasi" in t or "(rumus" in t]
    with zipfile.ZipFile(out) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 8  # 2 visitors, 3 requests, 2 revenue, on-time; no poll answers: no IKM chart
    assert report.requests_total == 6


def test_report_is_signed_by_the_official_of_the_office_profile(office, books, tmp_path):
    """The Ringkasan ends with place and date, the official's title, name and NIP; dotted lines to write
    them by hand while the profile names nobody."""
    day = books
    month = f"{day.year}-{day.month:02d}"
    reports.export_report(office.db, office.treasurer, month, tmp_path / "unsigned.xlsx")
    with office.session() as s:
        update_office(s, office.supervisor, {"sppd_signer_name": "Dr. Maria Tupamahu, M.Si.",
                                             "sppd_signer_title": "Kepala BPS Provinsi Maluku",
                                             "sppd_signer_nip": "197205121994032001"})
        made_on = ledger.service_report(s, office.office_id, day.year, day.month).made_on
    reports.export_report(office.db, office.treasurer, month, tmp_path / "signed.xlsx")

    def signature(name):
        ws = load_workbook(tmp_path / name)["Ringkasan"]
        return [ws.cell(row=r, column=3).value for r in range(1, ws.max_row + 1)
                if ws.cell(row=r, column=3).value][-4:]

    assert signature("signed.xlsx") == [f"Ambon, {xl.long_date(made_on)}", "Kepala BPS Provinsi Maluku,",
                                        "Dr. Maria Tupamahu, M.Si.", "NIP. 197205121994032001"]
    unsigned = signature("unsigned.xlsx")
    assert unsigned[0] == f"Ambon, {xl.long_date(made_on)}" and unsigned[1] == "Kepala BPS Provinsi Maluku,"
    assert unsigned[2].startswith("(....") and unsigned[3].startswith("NIP. ....")


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


def test_cash_waiting_at_the_month_end_is_pending_then_in_the_next_opening(sqlite_db, time_machine, tmp_path):
    """Cash taken on 30-11 without its kuitansi: November's Kas Tunai holds it (listed as pending) and the
    BKU lists it outside its balance; the kuitansi issued on 02-12 is a December row with no amount (the
    cash is in December's opening balance). Every closing equals the positions at its month's end."""
    time_machine.move_to(datetime(2026, 11, 30, 1, 0, tzinfo=UTC), tick=True)  # Mon 30-11 10:00 WIT
    office = Office(sqlite_db)
    payment = pay(office, invoiced(office))
    time_machine.move_to(datetime(2026, 12, 2, 1, 0, tzinfo=UTC), tick=True)  # Wed 02-12 10:00 WIT
    with office.session() as s:
        number = ledger.issue_receipt(s, office.treasurer, payment).number
    files = {month: tmp_path / f"{month}.xlsx" for month in (11, 12)}
    for month, out in files.items():
        reports.export_ledger(office.db, office.treasurer, 2026, month, out)
    reports.export_ledger(office.db, office.treasurer, 2026, None, tmp_path / "year.xlsx")
    with office.session() as s:
        invoice = s.scalar(select(Invoice.number).join(Payment).where(Payment.id == payment))
        at = {month: positions(s, office.office_id, *ledger.month_bounds(2026, month, "WIT")[1::2])
              for month in (11, 12)}
        assert {month: counted(s, *ledger.month_bounds(2026, month, "WIT")[1::2])["cash"] for month in at} == \
            {11: TOTAL, 12: TOTAL}
    assert (at[11].cash, at[11].pending["cash"], at[11].held) == (TOTAL, TOTAL, 0)
    assert (at[12].cash, at[12].pending["cash"], at[12].held) == (TOTAL, 0, TOTAL)

    november = load_workbook(files[11])
    cash = november["Kas Tunai"]
    saldo = columns(cash)["Saldo Kas Tunai"]
    assert [(r[2], r[5], r[saldo]) for r in data_rows(cash)] == [("(menunggu kuitansi)", TOTAL, TOTAL)]
    assert computed(cash, starting(cash, xl.CLOSING_FORMULA)[saldo]) == at[11].cash
    assert starting(cash, "terdiri dari: kuitansi tunai belum disetor")[saldo].value == 0
    line = starting(cash, "dan pembayaran tunai menunggu kuitansi per 30-11-2026: 1 pembayaran")
    assert line[saldo].value == TOTAL and after(cash, line, 1)[0][2] == invoice
    bku = november["BKU Nov 2026"]
    assert data_rows(bku) == [] and computed(bku, labelled(bku, xl.BKU_CLOSING, 5)[11]) == 0
    line = starting(bku, xl.BKU_PENDING)
    assert line[11].value == TOTAL and "30-11-2026: 1 pembayaran (tunai Rp3.000.000 di kas tunai)" in line[4].value
    assert after(bku, line, 1)[0][2] == invoice

    december = load_workbook(files[12])
    cash = december["Kas Tunai"]
    assert cash["H7"].value == at[11].cash and "termasuk Rp3.000.000 pembayaran yang menunggu kuitansi" in \
        cash["E7"].value
    assert [(r[2], r[5], r[6], r[saldo]) for r in data_rows(cash)] == [(number, None, None, TOTAL)]
    assert computed(cash, starting(cash, xl.CLOSING_FORMULA)[saldo]) == at[12].cash
    assert starting(cash, "terdiri dari: kuitansi tunai belum disetor")[saldo].value == TOTAL
    assert starting(cash, "dan pembayaran tunai menunggu kuitansi per")[saldo].value == 0
    assert starting(december["BKU Des 2026"], xl.BKU_PENDING)[11].value == 0

    year = load_workbook(tmp_path / "year.xlsx")["Kas Tunai"]  # the whole year: one payment, by its kuitansi
    assert [(r[2], r[5], r[saldo]) for r in data_rows(year)] == [(number, TOTAL, TOTAL)]

"""The PDF documents: invoice, SPPD and kuitansi rendered from the database, read back as text (pypdf)
and as an image whose QR code is decoded (pdftoppm + zxing-cpp); reprints from ``pst document``."""

from __future__ import annotations

import io
import subprocess
from datetime import date, datetime

import pypdf
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from exports.invoice import InvoiceData, InvoiceLine, render_invoice
from exports.pdf import COPY_MARK, DocumentPDF, Letterhead, kop_lines
from exports.receipt import ReceiptData, render_receipt
from exports.text import rupiah
from models import AuditEntry, Invoice, OfficeProfile, PaymentMethod, Receipt, ServiceRequest, SppdAgreement
from pstdesktop import documents
from pstdesktop.cli import main
from pstdesktop.config import sqlite_url
from pstdesktop.services import billing, delivery, requests
from pstdesktop.services.clock import local
from pstdesktop.services.errors import DomainError, NotFound, PermissionDenied, StateError, ValidationError
from pstdesktop.services.office import create_account, office_of, set_logo, set_nip, stamp_duty, update_office
from pstdesktop.services.references import parse_qr_text, verify_reference

BILLING = "820220922465628"
ID_NUMBER = "8171011505830001"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def pages(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def qr_texts(data: bytes, tmp_path, dpi: int = 150) -> list[str]:
    """Render page 1 to PNG the way a printout is scanned and decode every QR code on it."""
    source = tmp_path / "scan.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / "scan")], check=True)
    image = Image.open(tmp_path / "scan.png")
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def invoice_id(office, billing_code: str | None = BILLING, **kw) -> int:
    rid = office.approved(**kw)
    with office.session() as s:
        return billing.issue_invoice(s, office.officer, rid, billing_code=billing_code).id


def receipt_id(office, **kw) -> int:
    _rid, payment_id = office.paid(**kw)
    with office.session() as s:
        return billing.issue_receipt(s, office.treasurer, payment_id).id


@pytest.mark.parametrize("dpi", [150, 200])
def test_invoice_qr_decodes_to_billing_code_and_signed_reference(office, tmp_path, dpi):
    iid = invoice_id(office)
    with office.session() as s:
        data = documents.invoice_pdf(s, office.officer, iid)
    decoded = qr_texts(data, tmp_path, dpi)
    assert len(decoded) == 1
    code, reference = parse_qr_text(decoded[0])
    assert code == BILLING
    assert decoded[0] == f"{BILLING} {reference}"
    with office.session() as s:
        found = verify_reference(s, decoded[0], office_id=office.office_id)
        assert (found.kind, found.document_id, found.amount) == ("INV", iid, 3_000_000)
        assert found.number == s.get(Invoice, iid).number
    tampered = decoded[0].replace("-3000000-", "-300000-")
    with office.session() as s, pytest.raises(DomainError) as caught:
        verify_reference(s, tampered)
    assert caught.value.code == "reference_invalid"


def test_invoice_text_has_lines_total_terbilang_and_payment_instructions(office):
    iid = invoice_id(office)
    with office.session() as s:
        data = documents.invoice_pdf(s, office.officer, iid)
        number = s.get(Invoice, iid).number
    text = pdf_text(data)
    flat = " ".join(text.split())
    assert pages(data) == 1
    for expected in ("INVOICE", number, "Rahmat Hidayat", "Universitas Pattimura", "Susenas Maret 2024 (KOR)",
                     "Data mikro tanpa pengolahan", "150.000.000 byte",
                     "Rp20.000 (s.d. 1.000.000 byte) + 149.000 × Rp20 (per 1.000 byte) = Rp3.000.000",
                     "TOTAL Rp3.000.000", "Terbilang: tiga juta rupiah", "Kode Billing SIMPONI", BILLING,
                     "Berlaku sampai", "PP Nomor 7 Tahun 2015 pasal 3", "ditanggung oleh pembayar",
                     "Peraturan Pemerintah", "Yohanes Pattiasina", "Ambon,", "BADAN PUSAT STATISTIK"):
        assert expected in flat, expected
    assert "QRIS" not in text
    assert COPY_MARK not in text
    assert "DIBATALKAN" not in text


def test_cash_invoice_without_billing_code_tells_to_pay_the_treasurer(office, tmp_path):
    iid = invoice_id(office, billing_code=None, items=(
        ("map_kab_desa", "Peta WILKERSTAT SE2026", 2, "Kabupaten Maluku Tengah"),
        ("map_kab_kecamatan", "Peta WILKERSTAT SE2026", 1, "Kabupaten Buru")))
    with office.session() as s:
        data = documents.invoice_pdf(s, office.treasurer, iid)
    flat = " ".join(pdf_text(data).split())
    assert "Bayar tunai" in flat and "Maria Latuconsina" in flat
    assert "Kode Billing SIMPONI :" not in flat
    for expected in ("Kabupaten Maluku Tengah", "Kabupaten Buru", "2 peta", "Rp140.000", "Rp30.000",
                     "TOTAL Rp170.000", "seratus tujuh puluh ribu rupiah"):
        assert expected in flat, expected
    decoded = qr_texts(data, tmp_path)
    assert parse_qr_text(decoded[0])[0] is None
    with office.session() as s:
        assert verify_reference(s, decoded[0]).document_id == iid


def test_cancelled_invoice_prints_marked_with_reason(office):
    iid = invoice_id(office)
    with office.session() as s:
        billing.cancel_invoice(s, office.officer, iid, "Salah judul data")
    with office.session() as s:
        flat = " ".join(pdf_text(documents.invoice_pdf(s, office.officer, iid)).split())
    assert "DIBATALKAN" in flat and "Salah judul data" in flat


def test_rp0_is_not_invoiced():
    data = InvoiceData(letterhead=Letterhead("BPS Provinsi Maluku"), city="Ambon", zone="WIT",
                       number="INV-00001/8100/2026", issued_at=datetime(2026, 1, 5, 9, 0),
                       request_number="PST-8100-2026-00001", channel="Langsung", payer_name="A",
                       payer_institution="", payer_contact="",
                       lines=(InvoiceLine("Peta", "Peta", "Kota Ambon", 1, "peta", "1 peta × Rp0 = Rp0", 0),),
                       total=0, regulation="PP 13/2024", treasurer_name="", officer_name="", officer_nip="",
                       qr_text="PST")
    with pytest.raises(ValueError):
        render_invoice(data)


def test_receipt_text_and_qr(office, tmp_path):
    kid = receipt_id(office)
    with office.session() as s:
        data = documents.receipt_pdf(s, office.treasurer, kid)
        receipt = s.get(Receipt, kid)
        number, year = receipt.number, receipt.year
    flat = " ".join(pdf_text(data).split())
    for expected in ("KUITANSI", f"Nomor: {number}", f"Tahun Anggaran : {year}",
                     "Telah terima dari : Rahmat Hidayat",
                     "Uang sejumlah : Rp3.000.000", "Terbilang : Tiga juta rupiah", "Untuk pembayaran",
                     "Susenas Maret 2024 (KOR)", "Kode akun (MAK) : 425435", "Cara pembayaran : Tunai",
                     "Bendahara Penerimaan", "Maria Latuconsina", "NIP 198507122009022003", "Ambon,"):
        assert expected in flat, expected
    assert "meterai" not in flat.lower()
    decoded = qr_texts(data, tmp_path)
    assert len(decoded) == 1
    with office.session() as s:
        found = verify_reference(s, decoded[0])
    assert (found.kind, found.document_id, found.number, found.amount) == ("KW", kid, number, 3_000_000)


def paid_receipt_text(office, data_file, method: PaymentMethod, **paid) -> str:
    """The kuitansi of a request paid by ``method`` (a transfer seen on the account first), as flat text."""
    from tests.unit.test_online import confirm_transfer

    rid = office.approved()
    with office.session() as s:
        invoice = billing.issue_invoice(s, office.officer, rid, billing_code=BILLING)
    proof = {"proof_file": data_file("bukti.pdf", 300)} if method is PaymentMethod.TRANSFER else {}
    with office.session() as s:
        payment = billing.record_payment(s, office.treasurer, invoice.id, method=method, amount=invoice.total,
                                         cash_tendered=invoice.total, idempotency_key=f"pay-{rid}", **proof, **paid)
        if method is PaymentMethod.TRANSFER:
            confirm_transfer(s, office, payment.id)
        kid = billing.issue_receipt(s, office.treasurer, payment.id).id
    with office.session() as s:
        return " ".join(pdf_text(documents.receipt_pdf(s, office.treasurer, kid)).split())


@pytest.mark.parametrize("method, paid, words", [
    (PaymentMethod.CASH, {}, "Cara pembayaran : Tunai"),
    (PaymentMethod.SIMPONI, {"ntpn": "A1B2C3D4E5F60718", "ntb": "BNI0099887766", "bank": "BNI"},
     f"Cara pembayaran : Kode billing SIMPONI {BILLING}, NTPN A1B2C3D4E5F60718, NTB BNI0099887766"),
    (PaymentMethod.TRANSFER, {"ntb": "TRF20261201001", "bank": "BRI"},
     "Cara pembayaran : Transfer bank (BRI), No. referensi transfer TRF20261201001"),
])
def test_kuitansi_names_the_reference_of_each_way_of_paying(office, data_file, method, paid, words):
    flat = paid_receipt_text(office, data_file, method, **paid)
    assert words in flat
    assert ("NTB" in flat) is (method is PaymentMethod.SIMPONI)  # NTB/NTPN belong to SIMPONI only


def raw_dataset(size: int) -> tuple:
    """Rp20.000 for the first 1.000.000 bytes and Rp20 per further 1.000 bytes."""
    return (("microdata_raw", "Susenas Maret 2024 (KOR)", size, ""),)


def test_stamp_duty_is_due_only_above_five_million(office):
    with office.session() as s:
        profile = office_of(s, office.office_id)
        assert [stamp_duty(profile, amount) for amount in (3_000_000, 5_000_000, 5_000_001, 6_000_000)] == \
            [0, 0, 10_000, 10_000]
        update_office(s, office.supervisor, {"materai_amount": 12_000, "materai_threshold": 6_000_000})
        assert [stamp_duty(profile, amount) for amount in (6_000_000, 6_000_001)] == [0, 12_000]


@pytest.mark.parametrize("size, amount, box", [
    (250_000_000, 5_000_000, False),  # 20.000 + 249.000 × 20: exactly Rp5.000.000, no materai
    (250_000_001, 5_000_020, True),   # one more (part of a) 1.000 bytes: above the threshold
])
def test_kuitansi_shows_the_materai_box_only_above_five_million(office, size, amount, box):
    kid = receipt_id(office, items=raw_dataset(size))
    with office.session() as s:
        flat = " ".join(pdf_text(documents.receipt_pdf(s, office.treasurer, kid)).split())
    assert f"Uang sejumlah : {rupiah(amount)}" in flat
    assert ("METERAI Rp10.000" in flat) is box
    assert "mungkin" not in flat and "periksa ketentuan" not in flat  # the kuitansi decides, it does not hedge


def test_the_materai_box_at_one_rupiah_above_the_threshold():
    base = {"letterhead": Letterhead("BPS Provinsi Maluku"), "city": "Ambon", "number": "0001/054081/XI/2026",
            "budget_year": 2026, "issued_at": datetime(2026, 11, 5, 9, 0), "received_from": "A",
            "description": "Data", "account_code": "425435", "payment_method": "Tunai",
            "treasurer_name": "Maria Latuconsina", "treasurer_nip": "198507122009022003", "qr_text": "PST"}
    for amount in (5_000_000, 5_000_001):
        profile = OfficeProfile(materai_amount=10_000, materai_threshold=5_000_000)
        data = ReceiptData(**base, amount=amount, materai_amount=stamp_duty(profile, amount))
        flat = " ".join(pdf_text(render_receipt(data)).split())
        assert ("METERAI Rp10.000" in flat) is (amount == 5_000_001), amount


def test_cancelled_receipt_is_marked_with_reason(office):
    kid = receipt_id(office)
    with office.session() as s:
        billing.cancel_receipt(s, office.treasurer, kid, "Nama pembayar salah ketik",
                               approver=office.supervisor)
    with office.session() as s:
        flat = " ".join(pdf_text(documents.receipt_pdf(s, office.supervisor, kid)).split())
    assert "DIBATALKAN" in flat and "Nama pembayar salah ketik" in flat


def test_sppd_holds_abstraction_datasets_and_masked_identity(office):
    rid = office.approved(items=(("microdata_raw", "Susenas Maret 2024 (KOR)", 150_000_000, ""),
                                 ("map_kab_desa", "Peta WILKERSTAT SE2026", 1, "Kota Ambon")))
    with office.session() as s:
        data = documents.sppd_pdf(s, office.officer, rid)
        number = s.get(ServiceRequest, rid).number
    text = pdf_text(data)
    flat = " ".join(text.split())
    assert pages(data) == 1
    for expected in ("SURAT PERJANJIAN PENGGUNAAN DATA", number, "Rahmat Hidayat", "Universitas Pattimura",
                     "Analisis kemiskinan rumah tangga untuk tesis magister.", "Susenas Maret 2024 (KOR)",
                     "Peta WILKERSTAT SE2026", "wilayah Kota Ambon", "150.000.000 byte", "Flashdisk",
                     "KTP 8171********0001", "tidak akan memperbanyak", "milik BPS", "METERAI", "Rp10.000",
                     "Penerima Data", "Pejabat BPS"):
        assert expected in flat, expected
    assert ID_NUMBER not in text.replace("\n", "").replace(" ", "")


def test_sppd_needs_an_approved_request(office):
    _ticket, rid = office.walk_in()
    with office.session() as s, pytest.raises(StateError):
        documents.sppd_pdf(s, office.officer, rid)
    with office.session() as s:
        requests.submit(s, office.officer, rid)
    with office.session() as s, pytest.raises(StateError):
        documents.sppd_pdf(s, office.officer, rid)


def test_the_kiosk_may_not_print_and_unknown_ids_are_refused(office):
    iid = invoice_id(office)
    with office.session() as s, pytest.raises(PermissionDenied):
        documents.invoice_pdf(s, office.kiosk, iid)
    with office.session() as s, pytest.raises(NotFound):
        documents.invoice_pdf(s, office.officer, iid + 100)
    with office.session() as s, pytest.raises(NotFound) as caught:
        documents.invoice_by_number(s, office.officer, "INV-99999/8100/2026")
    assert "INV-99999/8100/2026" in caught.value.message("en")


def test_rendering_is_deterministic_and_lookups_find_by_number(office):
    iid = invoice_id(office)
    with office.session() as s:
        number = s.get(Invoice, iid).number
        assert documents.invoice_by_number(s, office.officer, number).id == iid
        first = documents.invoice_pdf(s, office.officer, iid)
    with office.session() as s:
        assert documents.invoice_pdf(s, office.officer, iid) == first


def cli(tmp_path, *args: str) -> int:
    return main(["--database", sqlite_url(tmp_path / "pst.sqlite"), "--data-dir", str(tmp_path / "data"),
                 "document", *args])


def lines_without_mark(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() != COPY_MARK]


@pytest.mark.parametrize("kind", ["invoice", "sppd", "receipt"])
def test_cli_reprint_is_a_marked_copy_of_the_original(office, tmp_path, capsys, kind):
    kid = receipt_id(office)
    with office.session() as s:
        receipt = s.get(Receipt, kid)
        invoice = receipt.payment.invoice
        request = s.get(ServiceRequest, invoice.request_id)
        original, number = {
            "invoice": (documents.invoice_pdf(s, office.officer, invoice.id), invoice.number),
            "sppd": (documents.sppd_pdf(s, office.officer, request.id), request.number),
            "receipt": (documents.receipt_pdf(s, office.treasurer, kid), receipt.number),
        }[kind]
    out = tmp_path / "out" / "copy.pdf"
    out.parent.mkdir()
    assert cli(tmp_path, kind, number, "--out", str(out)) == 0
    assert str(out) in capsys.readouterr().out
    copy_text, original_text = pdf_text(out.read_bytes()), pdf_text(original)
    assert COPY_MARK in copy_text and COPY_MARK not in original_text
    assert lines_without_mark(copy_text) == lines_without_mark(original_text)
    assert sorted(p.name for p in out.parent.iterdir()) == ["copy.pdf"]


def test_cli_unknown_number_or_unwritable_place_writes_nothing(office, tmp_path, capsys):
    iid = invoice_id(office)
    with office.session() as s:
        number = s.get(Invoice, iid).number
    folder = tmp_path / "out"
    folder.mkdir()
    assert cli(tmp_path, "invoice", "INV-99999/8100/2026", "--out", str(folder / "x.pdf")) == 2
    err = capsys.readouterr().err
    assert "INV-99999/8100/2026" in err and "not found" in err
    assert cli(tmp_path, "receipt", "0009/054081/I/2026", "--out", str(folder / "x.pdf")) == 2
    assert cli(tmp_path, "sppd", "PST-8100-2026-99999", "--out", str(folder / "x.pdf")) == 2
    assert cli(tmp_path, "invoice", number, "--out", str(tmp_path / "missing" / "x.pdf")) == 2
    assert "cannot be written" in capsys.readouterr().err
    (folder / "taken").mkdir()
    assert cli(tmp_path, "invoice", number, "--out", str(folder / "taken")) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["taken"]
    assert not (tmp_path / "missing").exists()
    assert list((folder / "taken").iterdir()) == []


def test_cli_replaces_an_existing_file_whole(office, tmp_path):
    iid = invoice_id(office)
    with office.session() as s:
        number = s.get(Invoice, iid).number
    out = tmp_path / "invoice.pdf"
    out.write_bytes(b"old content")
    assert cli(tmp_path, "invoice", number, "--out", str(out)) == 0
    assert out.read_bytes().startswith(b"%PDF-") and COPY_MARK in pdf_text(out.read_bytes())


def approved_online(office, via: str, **item) -> int:
    """An approved online request that came by ``via``, with one Sakernas line (``item``: its media, variables)."""
    from models import Channel
    from pstdesktop.services import guestbook

    with office.session() as s:
        ticket = guestbook.register_visit(s, office.kiosk, {**_answers(), "consent": True},
                                          "Pembelian Produk Statistik Berbayar")
    with office.session() as s:
        req = requests.open_request(s, office.officer, visitor_id=ticket.visitor_id, channel=Channel.ONLINE,
                                    online_via=via, abstraction="Kajian ketenagakerjaan daerah.")
        requests.add_item(s, office.officer, req.id, product_code="microdata_raw",
                          title="Sakernas Agustus 2025", quantity=3_400_000, **item)
        requests.submit(s, office.officer, req.id)
        requests.approve(s, office.officer, req.id)
        return req.id


def test_sppd_for_online_request_asks_for_two_originals(office, data_file):
    rid = approved_online(office, "forum", media="forum", variables="R101, R105")
    with office.session() as s:
        delivery.record_sppd(s, office.officer, rid, scan=data_file("sppd-ttd.pdf", 200, fill=b"s"))
    with office.session() as s:
        flat = " ".join(pdf_text(documents.sppd_pdf(s, office.officer, rid)).split())
    assert "rangkap 2 asli" in flat and "Forum Silastik" in flat and "Variabel: R101, R105" in flat


def test_sppd_media_of_a_whatsapp_request_without_a_chosen_medium_is_whatsapp(office):
    rid = approved_online(office, "wa")
    with office.session() as s:
        flat = " ".join(pdf_text(documents.sppd_pdf(s, office.officer, rid)).split())
    assert "Media penyerahan : WhatsApp" in flat and "Silastik" not in flat


def _answers() -> dict:
    from tests.conftest import visitor_answers

    return visitor_answers(full_name="Dewi Lestari", phone="081299990000", email="dewi@contoh.id",
                           id_document_number="3171014101900002")


def test_dates_come_from_the_document(office):
    """The place-and-date line is the issue date in office time, not the day of printing."""
    iid = invoice_id(office)
    with office.session() as s:
        invoice = s.get(Invoice, iid)
        invoice.issued_at = invoice.issued_at.replace(year=2025, month=3, day=4, hour=1)
    with office.session() as s:
        flat = " ".join(pdf_text(documents.invoice_pdf(s, office.officer, iid)).split())
    assert "Ambon, 4 Maret 2025" in flat
    assert str(date.today().year) not in flat.split("Ambon,")[1][:20]


def test_letterhead_lines_and_word_wrap():
    assert kop_lines("BPS Provinsi Maluku") == ["BADAN PUSAT STATISTIK", "PROVINSI MALUKU"]
    assert kop_lines("Badan Pusat Statistik Kota Jambi") == ["BADAN PUSAT STATISTIK", "KOTA JAMBI"]
    assert kop_lines("Kantor Statistik") == ["KANTOR STATISTIK"]
    pdf = DocumentPDF(Letterhead("BPS Kota Jambi"), title="Invoice", number="INV-00001/1571/2026",
                      created=datetime(2026, 1, 5, 9, 0))
    pdf.set_font("DejaVu", "", 10)
    text = "Analisis kemiskinan\n\n" + "x" * 120 + " rumah tangga " * 12
    lines = pdf.wrap(text, 60)
    assert all(pdf.get_string_width(line) <= 60 for line, _last in lines)
    assert lines[0] == ("Analisis kemiskinan", True) and lines[1] == ("", True)
    words = " ".join(line for line, _ in lines[2:]).split()
    assert len([w for w in words if set(w) == {"x"}]) >= 2  # the over-long word was cut
    assert "".join(w for w in words if set(w) == {"x"}) == "x" * 120
    assert [w for w in words if set(w) != {"x"}] == ["rumah", "tangga"] * 12


def test_long_invoice_runs_over_pages_with_header_and_page_numbers(office):
    items = tuple(("microdata_raw", f"Susenas Maret 20{10 + i} (KOR) Provinsi Maluku", 2_000_000 + i, "")
                  for i in range(14))
    iid = invoice_id(office, items=items)
    with office.session() as s:
        data = documents.invoice_pdf(s, office.officer, iid)
        number = s.get(Invoice, iid).number
    text = pdf_text(data)
    count = pages(data)
    assert count >= 2
    assert f"Halaman {count}/{count}" in text
    assert text.count("Produk dan uraian") == count - 1 or text.count("Produk dan uraian") == count
    assert all(f"Susenas Maret 20{10 + i} (KOR)" in text for i in range(14))
    assert f"Invoice {number}" in pypdf.PdfReader(io.BytesIO(data)).pages[1].extract_text()


# --- the office as it signs: logo, NIPs, the SPPD's own number and signing official --------------------
OFFICER_NIP = "199003152015031002"
SIGNER = {"sppd_signer_name": "Dr. Maria Tupamahu, M.Si.", "sppd_signer_title": "Kepala BPS Provinsi Maluku",
          "sppd_signer_nip": "197205121994032001"}


def logo_bytes(kind: str = "PNG", size: tuple[int, int] = (120, 120)) -> bytes:
    image = Image.new("RGB", size, (16, 48, 92))
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()


def page_images(data: bytes) -> list[tuple[int, int]]:
    """(width, height) in pixels of the image XObjects on page 1."""
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    objects = page["/Resources"].get("/XObject", {})
    return sorted((int(o.get_object()["/Width"]), int(o.get_object()["/Height"])) for o in objects.values()
                  if o.get_object()["/Subtype"] == "/Image")


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_the_office_logo_is_printed_in_the_kop(office, kind):
    rid = office.approved()
    iid = invoice_id(office)
    with office.session() as s:
        before = page_images(documents.invoice_pdf(s, office.officer, iid)), \
            page_images(documents.sppd_pdf(s, office.officer, rid))
    with office.session() as s:
        set_logo(s, office.supervisor, logo_bytes(kind, (150, 120)))
    with office.session() as s:
        after = page_images(documents.invoice_pdf(s, office.officer, iid)), \
            page_images(documents.sppd_pdf(s, office.officer, rid))
        text = pdf_text(documents.invoice_pdf(s, office.officer, iid))
    assert before[1] == [] and (150, 120) not in before[0]
    assert sorted([*before[0], (150, 120)]) == after[0] and after[1] == [(150, 120)]
    assert "BADAN PUSAT STATISTIK" in text and "PROVINSI MALUKU" in text
    with office.session() as s:
        set_logo(s, office.supervisor, None)
    with office.session() as s:
        assert page_images(documents.sppd_pdf(s, office.officer, rid)) == []
        assert [e.action for e in audit_entries(s, "office_profile")][-2:] == ["office.update", "office.update"]


def audit_entries(session, entity):
    return list(session.scalars(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.seq)))


def test_a_bad_logo_file_is_refused(office):
    truncated = logo_bytes()[:200]
    big = io.BytesIO()
    Image.effect_noise((600, 600), 90).convert("RGB").save(big, format="PNG")
    assert len(big.getvalue()) > 512 * 1024
    bomb = io.BytesIO()
    Image.new("L", (5000, 5000)).save(bomb, format="PNG")  # a few KB that unpack into 25 million pixels
    cases = [(b"%PDF-1.4 not an image", "logo_format"), (truncated, "logo_format"),
             (logo_bytes("GIF"), "logo_format"), (big.getvalue(), "logo_size"), (bomb.getvalue(), "logo_format")]
    for content, code in cases:
        with office.session() as s, pytest.raises(ValidationError) as refused:
            set_logo(s, office.supervisor, content)
        assert refused.value.code == code
        assert "Logo kantor" in refused.value.message("id") and "Office logo" in refused.value.message("en")
    with office.session() as s, pytest.raises(PermissionDenied):
        set_logo(s, office.officer, logo_bytes())
    with office.session() as s:
        assert office_of(s, office.office_id).logo is None


def test_nip_is_eighteen_digits(office):
    with office.session() as s, pytest.raises(ValidationError) as refused:
        create_account(s, office.supervisor, "petugas2", "Anita Sahetapy", "officer", "Laut-Banda-2026!",
                       nip="19900315201503100")  # 17 digits
    assert refused.value.code == "digits" and "18" in refused.value.message("id")
    for bad in ("19900315201503100", "1990031520150310023", "19900315201503100x", "١٩٩٠٠٣١٥٢٠١٥٠٣١٠٠٢"):
        with office.session() as s, pytest.raises(ValidationError):
            set_nip(s, office.supervisor, office.officer.account_id, bad)
    with office.session() as s, pytest.raises(ValidationError) as refused:
        update_office(s, office.supervisor, {**SIGNER, "sppd_signer_nip": "1972051219940320"})
    assert refused.value.field == "sppd_signer_nip"
    with office.session() as s:
        account = create_account(s, office.supervisor, "petugas2", "Anita Sahetapy", "officer", "Laut-Banda-2026!",
                                 nip="19900315 201503 1 003")
        assert account.nip == "199003152015031003"
        assert set_nip(s, office.supervisor, office.officer.account_id, OFFICER_NIP).nip == OFFICER_NIP
        assert audit_entries(s, "account")[-1].action == "account.nip"


def test_every_signature_carries_its_nip(office):
    with office.session() as s:
        set_nip(s, office.supervisor, office.officer.account_id, OFFICER_NIP)
        update_office(s, office.supervisor, SIGNER)
    kid = receipt_id(office)
    with office.session() as s:
        receipt = s.get(Receipt, kid)
        invoice = receipt.payment.invoice
        invoice_text = " ".join(pdf_text(documents.invoice_pdf(s, office.officer, invoice.id)).split())
        receipt_text = " ".join(pdf_text(documents.receipt_pdf(s, office.treasurer, kid)).split())
        sppd_text = " ".join(pdf_text(documents.sppd_pdf(s, office.officer, invoice.request_id)).split())
    assert "Petugas PST, Yohanes Pattiasina" in invoice_text and f"NIP {OFFICER_NIP}" in invoice_text
    assert "Maria Latuconsina NIP 198507122009022003" in receipt_text
    assert "Kepala BPS Provinsi Maluku," in sppd_text and "Dr. Maria Tupamahu, M.Si." in sppd_text
    assert "NIP 197205121994032001" in sppd_text and "Pejabat BPS" not in sppd_text


def test_the_sppd_gets_its_own_gapless_number_when_signed(office):
    first, second = office.approved(), office.approved()
    _ticket, unsigned = office.walk_in()
    with office.session() as s:
        requests.submit(s, office.officer, unsigned)
        requests.approve(s, office.officer, unsigned)
    with office.session() as s:
        numbers = [s.scalar(select_sppd(rid)).number for rid in (first, second)]
        year = local(s.scalar(select_sppd(first)).signed_at, "WIT").year
        not_yet = " ".join(pdf_text(documents.sppd_pdf(s, office.officer, unsigned)).split())
        printed = " ".join(pdf_text(documents.sppd_pdf(s, office.officer, second)).split())
    assert numbers == [f"SPPD-00001/8100/{year}", f"SPPD-00002/8100/{year}"]
    assert f"Nomor: SPPD-00002/8100/{year}" in printed and f"SPPD SPPD-00002/8100/{year}" in printed
    assert "Nomor: ....." in not_yet and "SPPD-0000" not in not_yet
    with office.session() as s:  # recording the signing again keeps the number
        assert delivery.record_sppd(s, office.officer, first).number == numbers[0]
    with office.session() as s:
        assert delivery.record_sppd(s, office.officer, unsigned).number == f"SPPD-00003/8100/{year}"
    with office.session() as s:  # ``pst document sppd`` finds it by its own number too
        assert documents.render_by_number(s, "sppd", numbers[1]) == documents.render_by_number(
            s, "sppd", s.get(ServiceRequest, second).number)


def select_sppd(request_id: int):
    return select(SppdAgreement).where(SppdAgreement.request_id == request_id)

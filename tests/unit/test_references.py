"""Signed document references: the QR text of invoices and kuitansi, parsed as a USB scanner types it,
verified against the office's key and the database; anything forged or altered is refused."""

from __future__ import annotations

import re
import secrets

import pytest
from sqlalchemy import update

from models import Invoice, OfficeProfile, Receipt
from pstdesktop.services import billing
from pstdesktop.services.errors import DomainError, StateError
from pstdesktop.services.numbering import invoice_number, receipt_number
from pstdesktop.services.office import office_of
from pstdesktop.services.references import (
    invoice_qr_text,
    make_reference,
    number_key,
    parse_qr_text,
    receipt_qr_text,
    verify_reference,
)

BILLING = "820220922465628"


def invoiced(office, billing_code: str | None = BILLING) -> int:
    rid = office.approved()
    with office.session() as s:
        return billing.issue_invoice(s, office.officer, rid, billing_code=billing_code).id


def qr_of_invoice(office, invoice_id: int) -> str:
    with office.session() as s:
        return invoice_qr_text(office_of(s, office.office_id), s.get(Invoice, invoice_id))


def refused(office, text: str) -> str:
    with office.session() as s, pytest.raises(DomainError) as caught:
        verify_reference(s, text)
    return caught.value.code


def fields(reference: str) -> list[str]:
    return reference.split("-")


def test_number_key_reads_both_numbering_patterns():
    assert number_key(invoice_number(42, "8100", 2026)) == (2026, 42)
    assert number_key(receipt_number(7, "054081", 11, 2026)) == (2026, 7)
    assert number_key(receipt_number(3, "", 1, 2027)) == (2027, 3)
    with pytest.raises(ValueError):
        number_key("tanpa nomor")


def test_invoice_qr_carries_billing_code_and_verifies(office):
    invoice_id = invoiced(office)
    text = qr_of_invoice(office, invoice_id)
    code, reference = parse_qr_text(text)
    assert code == BILLING
    assert text == f"{BILLING} {reference}"
    assert re.fullmatch(r"PST-8100-INV-\d{4}-1-3000000-[0-9A-F]{16}", reference)
    assert "QRIS" not in text
    with office.session() as s:
        found = verify_reference(s, text)
        invoice = s.get(Invoice, invoice_id)
        expected = ("INV", invoice.number, 3_000_000, invoice_id)
        assert (found.kind, found.number, found.amount, found.document_id) == expected
        assert found.billing_code == BILLING and found.status == "issued"
        assert verify_reference(s, reference).document_id == invoice_id  # the bare reference works too
        assert verify_reference(s, text, office_id=office.office_id).document_id == invoice_id


def test_invoice_without_billing_code_holds_the_reference_only(office):
    invoice_id = invoiced(office, billing_code=None)
    text = qr_of_invoice(office, invoice_id)
    assert parse_qr_text(text) == (None, text)
    with office.session() as s:
        assert verify_reference(s, text).billing_code is None


def test_scanner_typing_quirks_are_tolerated(office):
    """Caps lock (lower case), another keyboard layout turning the hyphen into other punctuation,
    a trailing Enter: the reference still reads."""
    invoice_id = invoiced(office)
    text = qr_of_invoice(office, invoice_id)
    assert set(text) <= set("0123456789ABCDEFIKNPSTVW -")  # nothing that moves between QWERTY/QWERTZ
    with office.session() as s:
        typings = (text.lower(), text.replace("-", "ß"), text.replace("-", "/") + "\r\n", "  " + text + "\t")
        for typed in typings:
            assert verify_reference(s, typed).document_id == invoice_id


@pytest.mark.parametrize("text", [
    "", "hello", "PST-8100-INV-2026-1-3000000", "PST-8100-XX-2026-1-3000000-0123456789ABCDEF",
    "PST-81000-INV-2026-1-3000000-0123456789ABCDEF", "PST-8100-INV-2026-1-3000000-0123456789ABCDEG",
    "PST-8100-INV-2026-1-3000000-0123456789ABCDE", "12345 PST-8100-INV-2026-1-3000000-0123456789ABCDEF",
    "PST-8100-INV-26-1-3000000-0123456789ABCDEF", "X" * 500,
])
def test_malformed_text_is_refused(office, text):
    with pytest.raises(DomainError) as caught:
        parse_qr_text(text)
    assert caught.value.code == "reference_malformed"
    assert refused(office, text) == "reference_malformed"


def test_tampered_references_are_refused(office):
    first, second = invoiced(office), invoiced(office, billing_code="820220922465630")  # one code per billing
    text = qr_of_invoice(office, first)
    code, reference = parse_qr_text(text)
    parts = fields(reference)
    more = "-".join(parts[:5] + ["3000001"] + parts[6:])
    less = "-".join(parts[:5] + ["300000"] + parts[6:])
    other_number = "-".join(parts[:4] + ["2"] + parts[5:])  # points at the second invoice
    missing_number = "-".join(parts[:4] + ["99"] + parts[5:])
    flipped = parts[6][:-1] + ("0" if parts[6][-1] != "0" else "1")
    bad_hash = "-".join(parts[:6] + [flipped])
    assert refused(office, more) == "reference_invalid"
    assert refused(office, less) == "reference_invalid"
    assert refused(office, other_number) == "reference_invalid"
    assert refused(office, missing_number) == "reference_unknown"
    assert refused(office, bad_hash) == "reference_invalid"
    assert refused(office, f"820220922465629 {reference}") == "reference_billing"
    assert refused(office, "-".join(parts[:1] + ["1571"] + parts[2:])) == "reference_unknown"
    with office.session() as s:
        assert verify_reference(s, qr_of_invoice(office, second)).document_id == second
        with pytest.raises(DomainError) as caught:
            verify_reference(s, text, office_id=office.office_id + 1)
        assert caught.value.code == "reference_unknown"
        assert caught.value.message("en")  # bilingual message exists
        assert caught.value.message("id") != caught.value.message("en")


def test_another_offices_key_is_refused(office):
    invoice_id = invoiced(office)
    with office.session() as s:
        profile = office_of(s, office.office_id)
        invoice = s.get(Invoice, invoice_id)
        stranger = replace_key(profile, secrets.token_hex(32))
        forged = make_reference(stranger, "INV", invoice.number, invoice.total)
        genuine = make_reference(profile, "INV", invoice.number, invoice.total)
    assert forged != genuine
    assert refused(office, forged) == "reference_invalid"


def replace_key(profile: OfficeProfile, key: str) -> OfficeProfile:
    return OfficeProfile(unit_code=profile.unit_code, signing_key=key, name=profile.name, city=profile.city)


def test_database_changed_behind_the_applications_back_is_refused(office):
    invoice_id = invoiced(office)
    text = qr_of_invoice(office, invoice_id)
    with office.session() as s:
        s.execute(update(Invoice).where(Invoice.id == invoice_id).values(total=2_000_000))
    assert refused(office, text) == "reference_mismatch"
    with office.session() as s:
        s.execute(update(Invoice).where(Invoice.id == invoice_id)
                  .values(total=3_000_000, number="INV-00001/8100/1999"))
    assert refused(office, text) == "reference_invalid"


def test_billing_code_replaced_after_printing_is_refused(office):
    invoice_id = invoiced(office)
    old = qr_of_invoice(office, invoice_id)
    with office.session() as s:
        billing.set_billing_code(s, office.officer, invoice_id, "820220922465699")
    assert refused(office, old) == "reference_billing"
    with office.session() as s:
        assert verify_reference(s, qr_of_invoice(office, invoice_id)).billing_code == "820220922465699"


def test_receipt_reference_verifies_and_a_billing_code_in_front_is_refused(office):
    _rid, payment_id = office.paid()
    with office.session() as s:
        receipt = billing.issue_receipt(s, office.treasurer, payment_id)
        text = receipt_qr_text(office_of(s, office.office_id), receipt)
        receipt_id = receipt.id
    assert re.fullmatch(r"PST-8100-KW-\d{4}-1-3000000-[0-9A-F]{16}", text)
    with office.session() as s:
        found = verify_reference(s, text)
        assert (found.kind, found.document_id, found.amount) == ("KW", receipt_id, 3_000_000)
        assert found.number == s.get(Receipt, receipt_id).number
    assert refused(office, f"{BILLING} {text}") == "reference_billing"
    assert refused(office, text.replace("-KW-", "-INV-")) in ("reference_invalid", "reference_unknown")


def test_an_office_without_a_signing_key_cannot_sign(office):
    profile = OfficeProfile(unit_code="8100", signing_key="")
    with pytest.raises(StateError) as caught:
        make_reference(profile, "INV", "INV-00001/8100/2026", 1)
    assert caught.value.code == "signing_key_missing"

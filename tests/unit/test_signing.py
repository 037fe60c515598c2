"""Rotating the office's QR signing key: documents printed before still verify, new ones carry the new
key, a retired key signs nothing issued after it was retired, and only a supervisor rotates, audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from models import AuditEntry, Invoice, SigningKey
from pstdesktop.services import audit, billing
from pstdesktop.services.errors import DomainError, PermissionDenied, ValidationError
from pstdesktop.services.office import office_of
from pstdesktop.services.references import _mac, invoice_qr_text, parse_qr_text, verify_reference
from pstdesktop.services.signing import fingerprint, rotate_signing_key, signing_keys


def invoiced(office) -> int:
    rid = office.approved()
    with office.session() as s:
        return billing.issue_invoice(s, office.officer, rid).id


def qr(office, invoice_id: int) -> str:
    with office.session() as s:
        return invoice_qr_text(office_of(s, office.office_id), s.get(Invoice, invoice_id))


def rotate(office, reason: str = "Kunci lama mungkin bocor: laptop staf hilang.", actor=None):
    with office.session() as s:
        return rotate_signing_key(s, actor or office.supervisor, reason)


def refused(office, text: str) -> str:
    with office.session() as s, pytest.raises(DomainError) as caught:
        verify_reference(s, text)
    return caught.value.code


def test_a_document_printed_before_the_rotation_still_verifies_and_new_ones_use_the_new_key(office):
    before = invoiced(office)
    printed = qr(office, before)  # what is on the paper
    with office.session() as s:
        old_secret = office_of(s, office.office_id).signing_key
    info = rotate(office)
    assert info.label == "K2"
    with office.session() as s:
        new_secret = office_of(s, office.office_id).signing_key
        assert new_secret != old_secret and info.fingerprint == fingerprint(new_secret)
        found = verify_reference(s, printed)
        assert found.document_id == before and found.key_generation == 1 and found.key_retired_at is not None
    after = invoiced(office)
    fresh = qr(office, after)
    assert "-K2-" in fresh and "-K2-" not in printed
    with office.session() as s:
        found = verify_reference(s, fresh)
        assert found.document_id == after and found.key_generation == 2 and found.key_retired_at is None
    reprint = qr(office, before)  # a copy printed now is signed with the current key; the original still reads
    assert "-K2-" in reprint
    with office.session() as s:
        assert verify_reference(s, reprint).document_id == before
        assert verify_reference(s, printed).document_id == before


def test_a_retired_key_signs_nothing_issued_after_its_retirement(office):
    with office.session() as s:
        leaked = office_of(s, office.office_id).signing_key
    rotate(office)
    after = invoiced(office)
    _code, genuine = parse_qr_text(qr(office, after))
    parts = genuine.split("-")
    with office.session() as s:
        invoice = s.get(Invoice, after)
        mac = _mac(leaked, "8100", "INV", invoice.number, invoice.total)
        forged = "-".join(parts[:7] + [mac])  # the old key's shape: no key number, old key's hash
    assert refused(office, forged) == "reference_invalid"


def test_two_rotations_keep_every_key_and_an_unknown_key_is_named(office):
    first = invoiced(office)
    on_k1 = qr(office, first)
    rotate(office)
    second = invoiced(office)
    on_k2 = qr(office, second)
    rotate(office, "Penggantian kunci tahunan.")
    on_k3 = qr(office, invoiced(office))
    assert "-K3-" in on_k3
    with office.session() as s:
        assert verify_reference(s, on_k1).document_id == first
        assert verify_reference(s, on_k2).document_id == second
        assert [k.label for k in signing_keys(s, office.supervisor)] == ["K3", "K2", "K1"]
        keys = signing_keys(s, office.supervisor)
        assert keys[0].retired_at is None and keys[1].created_at == keys[2].retired_at
    unknown = on_k3.replace("-K3-", "-K7-")
    assert refused(office, unknown) == "reference_key_unknown"
    with office.session() as s, pytest.raises(DomainError) as caught:
        verify_reference(s, unknown)
    assert "K7" in caught.value.message("id") and "K7" in caught.value.message("en")
    for bad in ("-K1-", "-KX-", "-K-"):
        assert refused(office, on_k3.replace("-K3-", bad)) == "reference_malformed"


def test_the_rotation_is_audited_with_who_and_why_and_the_trail_verifies(office):
    rotate(office, "Kunci lama tercetak di tangkapan layar.")
    with office.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action.in_(
            ("signing_key.retire", "office.signing_key_rotate"))).order_by(AuditEntry.seq)).all()
        assert [e.action for e in entries] == ["signing_key.retire", "office.signing_key_rotate"]
        assert all(e.actor_id == office.supervisor.account_id for e in entries)
        assert all(e.reason == "Kunci lama tercetak di tangkapan layar." for e in entries)
        retired = s.scalar(select(SigningKey))
        assert entries[0].entity == "signing_key" and entries[0].entity_id == retired.id
        values = json.loads(entries[0].row_state)  # the row as it was left, every column
        assert values[audit.AUDITED["signing_key"].index("generation")] == retired.generation
        assert retired.secret not in entries[0].row_state  # the secret only as a keyed hash, never in clear
        assert values[audit.AUDITED["signing_key"].index("secret")].startswith("hmac:")
        assert entries[1].snapshot["_extra"]["key"] == "K2"
        assert audit.verify(s) == []
    with office.db.engine.begin() as connection:  # the retired key changed behind the application's back
        connection.execute(text("UPDATE signing_key SET retired_at = created_at WHERE id = :id"), {"id": retired.id})
    with office.session() as s:
        assert any(f.entity == "signing_key" for f in audit.verify(s))


def test_only_a_supervisor_rotates_and_only_with_a_reason(office):
    with office.session() as s:
        before = office_of(s, office.office_id).signing_key
    for actor in (office.officer, office.treasurer, office.kiosk):
        with pytest.raises(PermissionDenied):
            rotate(office, actor=actor)
        with office.session() as s, pytest.raises(PermissionDenied):
            signing_keys(s, actor)
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError) as caught:
            rotate(office, reason)
        assert caught.value.code == "required"
    with office.session() as s:
        assert office_of(s, office.office_id).signing_key == before
        assert s.scalar(select(SigningKey)) is None

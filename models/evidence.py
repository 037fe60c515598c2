"""Evidence held with the database, so every PC opens it: transfer proofs, scanned kuitansi and SPPDs,
and the bank accounts the office receives transfers on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024  # 10 MB per file


class Evidence(Base):
    """One file's bytes, content-addressed (one row per SHA-256 and office); never deleted. The name and
    media type are those of the file when it was first stored."""

    __tablename__ = "evidence"
    __table_args__ = (
        UniqueConstraint("office_id", "sha256"),
        CheckConstraint("length(sha256) = 64", name="sha256"),
        CheckConstraint(f"size_bytes > 0 AND size_bytes <= {EVIDENCE_MAX_BYTES}", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime]
    stored_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))  # None: imported by a migration


class ReceivingAccount(Base):
    """A bank account of the office that receives transfers (rekening penerimaan), shown on invoices
    while active; never deleted (deactivated)."""

    __tablename__ = "receiving_account"
    __table_args__ = (
        UniqueConstraint("office_id", "bank", "number"),
        CheckConstraint("length(bank) > 0 AND length(number) > 0 AND length(holder) > 0", name="filled"),
        Index("ix_receiving_account_office", "office_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    bank: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(40))
    holder: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

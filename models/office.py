"""The office running the PST desk and the staff accounts that work in it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, enum_type
from models.enums import Role


class OfficeProfile(Base):
    """A BPS office (Provinsi or Kabupaten/Kota) with its PST unit, treasurer and SIMPONI satker."""

    __tablename__ = "office_profile"
    __table_args__ = (
        CheckConstraint("time_zone IN ('WIB', 'WITA', 'WIT')", name="time_zone"),
        CheckConstraint("length(treasurer_nip) = 18 OR treasurer_nip = ''", name="treasurer_nip"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_code: Mapped[str] = mapped_column(String(4), unique=True)  # BPS code, e.g. 8100, 1571
    city: Mapped[str] = mapped_column(String(100))  # place printed on receipts
    address: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    time_zone: Mapped[str] = mapped_column(String(4), default="WIB")
    treasurer_name: Mapped[str] = mapped_column(String(200), default="")
    treasurer_nip: Mapped[str] = mapped_column(String(18), default="")
    satker_code: Mapped[str] = mapped_column(String(6), default="")  # SIMPONI satuan kerja, 6 digits
    satker_name: Mapped[str] = mapped_column(String(200), default="")
    materai_amount: Mapped[int] = mapped_column(default=10_000)  # stamp duty, UU 10/2020
    materai_threshold: Mapped[int] = mapped_column(default=5_000_000)  # a kuitansi above this bears a materai
    billing_validity_days: Mapped[int] = mapped_column(default=7)
    retention_days: Mapped[int] = mapped_column(default=1825)  # personal data kept this long (UU 27/2022)
    retention_run_on: Mapped[date | None]  # office date of the last automatic erasure
    kiosk_pin_hash: Mapped[str] = mapped_column(String(300), default="")  # staff PIN to leave kiosk mode
    signing_key: Mapped[str] = mapped_column(String(64), default="")  # HMAC key of new document references
    recovery_hash: Mapped[str] = mapped_column(String(300), default="")  # the office's recovery code (hashed)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)  # PNG or JPEG printed in the kop, at most 512 KB
    sppd_signer_name: Mapped[str] = mapped_column(String(200), default="")  # the BPS official who signs the SPPD
    sppd_signer_title: Mapped[str] = mapped_column(String(200), default="")
    sppd_signer_nip: Mapped[str] = mapped_column(String(18), default="")
    created_at: Mapped[datetime]


class Account(Base):
    """A person (or the kiosk) who acts in the application; named in every audit entry."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("office_id", "username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    username: Mapped[str] = mapped_column(String(64))
    full_name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str] = mapped_column(String(18), default="")
    role: Mapped[Role] = mapped_column(enum_type(Role))
    password_hash: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]  # set after too many wrong passwords; opens again by itself
    created_at: Mapped[datetime]


class SigningKey(Base):
    """A key that signed document references (the QR of invoices and kuitansi) before it was rotated out.
    The office's current key is ``OfficeProfile.signing_key``; each retired one is kept here, numbered in
    order (the first key is 1), so that documents printed under it still verify."""

    __tablename__ = "signing_key"
    __table_args__ = (UniqueConstraint("office_id", "generation"),
                      CheckConstraint("generation >= 1", name="generation"),
                      CheckConstraint("retired_at >= created_at", name="retired_after_created"))

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    generation: Mapped[int]  # printed as K2, K3, … in the references it signed (none for the first key)
    secret: Mapped[str] = mapped_column(String(64))  # the HMAC key, hex
    created_at: Mapped[datetime]  # when it began to sign
    retired_at: Mapped[datetime]  # when the next key replaced it: documents issued later cannot carry it

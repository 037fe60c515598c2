"""Product and tariff catalogue: regulation-versioned schedules, never constants in code."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Money, enum_type
from models.enums import ProductKind


class Product(Base):
    """A tariff class of what PST sells, e.g. microdata without processing or a kabupaten map by desa."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[ProductKind] = mapped_column(enum_type(ProductKind))
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[str] = mapped_column(String(40))   # what the quantity counts: byte, peta, halaman
    unit_en: Mapped[str] = mapped_column(String(40))
    needs_region: Mapped[bool] = mapped_column(default=False)
    account_code: Mapped[str] = mapped_column(String(6))  # kode akun (MAK), editable per product
    active: Mapped[bool] = mapped_column(default=True)


class TariffSchedule(Base):
    """The tariffs of one regulation (e.g. PP 13/2024) from its effective date on."""

    __tablename__ = "tariff_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    regulation: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date]
    note: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime]

    lines: Mapped[list[TariffLine]] = relationship(back_populates="schedule", order_by="TariffLine.id")


class TariffLine(Base):
    """Price of one product in one schedule, in the regressive shape of PP 7/2015 art. 4:
    ``base_amount`` covers the first ``base_quantity`` units, then ``step_amount`` for each further
    ``step_quantity`` units or part of it. A per-map price is base 1 / step 1."""

    __tablename__ = "tariff_line"
    __table_args__ = (
        UniqueConstraint("schedule_id", "product_id"),
        CheckConstraint("base_amount >= 0 AND step_amount >= 0", name="amounts"),
        CheckConstraint("base_quantity > 0 AND step_quantity > 0", name="quantities"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("tariff_schedule.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    base_amount: Mapped[int] = mapped_column(Money)
    base_quantity: Mapped[int] = mapped_column(Money)
    step_amount: Mapped[int] = mapped_column(Money)
    step_quantity: Mapped[int] = mapped_column(Money)

    schedule: Mapped[TariffSchedule] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()

"""Hand-over of the data on electronic media (or through the forum) and corrections."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Money, enum_type
from models.enums import DeliveryChannel


class Delivery(Base):
    """One hand-over of a request's data; round 2 and later follow a correction."""

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("request_id", "round"), Index("ix_delivery_request", "request_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"))
    round: Mapped[int]
    channel: Mapped[DeliveryChannel] = mapped_column(enum_type(DeliveryChannel))
    media: Mapped[str] = mapped_column(String(40))  # flashdisk, DVD, email, forum
    media_label: Mapped[str] = mapped_column(String(120), default="")
    delivered_at: Mapped[datetime]
    delivered_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    receipt_handed_over: Mapped[bool] = mapped_column(default=False)
    fixes: Mapped[str] = mapped_column(Text, default="")  # what was fixed, for round 2+
    checked_at: Mapped[datetime | None]  # the visitor checked and accepted it

    items: Mapped[list[DeliveryItem]] = relationship(back_populates="delivery", order_by="DeliveryItem.id")


class DeliveryItem(Base):
    """A file handed over, with its size and SHA-256 checksum."""

    __tablename__ = "delivery_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("delivery.id"))
    request_item_id: Mapped[int] = mapped_column(ForeignKey("request_item.id"))
    file_name: Mapped[str] = mapped_column(String(260))
    size_bytes: Mapped[int] = mapped_column(Money)
    sha256: Mapped[str] = mapped_column(String(64))

    delivery: Mapped[Delivery] = relationship(back_populates="items")


class Correction(Base):
    """An error the visitor found in delivered data, and the delivery that fixed it."""

    __tablename__ = "correction"
    __table_args__ = (Index("ix_correction_request", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"))
    reported_at: Mapped[datetime]
    problem: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    fixed_by_delivery_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"))

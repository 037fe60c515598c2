"""Service requests (one per visitor request, walk-in or online) and what hangs off them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Money, enum_type
from models.enums import Channel, RequestState, WaiverCategory, WaiverPurpose


class ServiceRequest(Base):
    """A request for microdata, WILKERSTAT maps or publications, moved through ``RequestState``."""

    __tablename__ = "service_request"
    __table_args__ = (
        UniqueConstraint("office_id", "number"),
        Index("ix_service_request_state", "office_id", "state", "due_at"),
        Index("ix_service_request_visitor", "visitor_id"),
        Index("ix_service_request_visit", "visit_id"),
        Index("ix_service_request_received", "office_id", "received_at"),
        CheckConstraint("clear_at IS NULL OR clear_at >= received_at", name="clear_after_received"),
        CheckConstraint("papers_sent_via IN ('', 'email', 'wa', 'forum', 'post')", name="papers_sent_via"),
        CheckConstraint("results_sent_via IN ('', 'email', 'wa', 'forum', 'post')", name="results_sent_via"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    number: Mapped[str] = mapped_column(String(40))
    visitor_id: Mapped[int] = mapped_column(ForeignKey("visitor.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))
    channel: Mapped[Channel] = mapped_column(enum_type(Channel))
    online_via: Mapped[str] = mapped_column(String(20), default="")  # email, wa, forum
    received_at: Mapped[datetime]
    clear_at: Mapped[datetime | None]  # complete and agreed (default: approval): the online clock starts
    due_at: Mapped[datetime | None]
    abstraction: Mapped[str] = mapped_column(Text, default="")  # abstraksi penggunaan data
    sample_sent_at: Mapped[datetime | None]     # online: sample file sent with the invoice and SPPD
    sample_checked_at: Mapped[datetime | None]  # online: the requester checked the sample
    sample_note: Mapped[str] = mapped_column(Text, default="")
    papers_sent_at: Mapped[datetime | None]  # online: invoice and SPPD files sent to the requester
    papers_sent_via: Mapped[str] = mapped_column(String(20), default="")  # email, wa, forum
    results_sent_at: Mapped[datetime | None]  # online: kuitansi scan and the data sent
    results_sent_via: Mapped[str] = mapped_column(String(20), default="")
    closed_without_original: Mapped[str] = mapped_column(Text, default="")  # the supervisor's reason
    state: Mapped[RequestState] = mapped_column(enum_type(RequestState), default=RequestState.DRAFT)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    items: Mapped[list[RequestItem]] = relationship(back_populates="request", order_by="RequestItem.id")
    waiver: Mapped[Waiver | None] = relationship(back_populates="request")

    __mapper_args__ = {"version_id_col": version}


class RequestItem(Base):
    """One product line of a request; the price is a snapshot taken when the request is priced."""

    __tablename__ = "request_item"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity"), Index("ix_request_item_request", "request_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    title: Mapped[str] = mapped_column(String(200))  # e.g. "Susenas Maret 2024 (KOR)"
    region: Mapped[str] = mapped_column(String(120), default="")
    year: Mapped[int | None]
    data_format: Mapped[str] = mapped_column(String(40), default="")  # dta, sav, csv, shp, pdf
    media: Mapped[str] = mapped_column(String(40), default="")        # flashdisk, DVD, email, forum
    quantity: Mapped[int] = mapped_column(Money)  # bytes, maps or pages, by product kind
    variables: Mapped[str] = mapped_column(Text, default="")  # chosen variables (online only)
    price: Mapped[int | None] = mapped_column(Money)
    price_formula: Mapped[str] = mapped_column(String(300), default="")

    request: Mapped[ServiceRequest] = relationship(back_populates="items")


class Waiver(Base):
    """Rp0 tariff: eligible category, purpose, request letter and the officer who approved it."""

    __tablename__ = "waiver"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), unique=True)
    category: Mapped[WaiverCategory] = mapped_column(enum_type(WaiverCategory))
    purpose: Mapped[WaiverPurpose] = mapped_column(enum_type(WaiverPurpose))
    letter_number: Mapped[str] = mapped_column(String(100))
    letter_date: Mapped[date]
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    normal_amount: Mapped[int] = mapped_column(Money)  # the tariff that would have applied
    recorded_at: Mapped[datetime]

    request: Mapped[ServiceRequest] = relationship(back_populates="waiver")


class ConsultationReferral(Base):
    """A request that does not fit its abstraction, redirected to konsultasi statistik."""

    __tablename__ = "consultation_referral"
    __table_args__ = (Index("ix_consultation_referral_referred", "referred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    referred_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    referred_at: Mapped[datetime]


class SppdAgreement(Base):
    """SPPD (Surat Perjanjian Penggunaan Data): the data use agreement signed over a materai."""

    __tablename__ = "sppd_agreement"
    __table_args__ = (Index("ix_sppd_agreement_outstanding", "originals_received_at", "signed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), unique=True)
    number: Mapped[str | None] = mapped_column(String(40), unique=True)  # SPPD-00042/8100/2026, given at signing
    signed_at: Mapped[datetime | None]
    materai_amount: Mapped[int] = mapped_column(Money)
    originals_expected: Mapped[int] = mapped_column(default=1)  # online buyers post two originals
    originals_received_at: Mapped[datetime | None]  # online: the signed originals arrived by post
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))  # online: the signed scan
    original_scan_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))  # the posted original
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)

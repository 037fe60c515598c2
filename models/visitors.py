"""Guestbook: visitors (the 16 guestbook questions) and their visits with daily queue numbers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, enum_type
from models.enums import VisitStatus


class Visitor(Base):
    """A person in the guestbook. Personal data (UU 27/2022): erased after the retention period."""

    __tablename__ = "visitor"
    __table_args__ = (
        CheckConstraint("gender IN ('Laki-laki', 'Perempuan')", name="gender"),
        CheckConstraint(
            "(occupation = 'Lainnya' AND length(occupation_other) > 0) OR "
            "(occupation <> 'Lainnya' AND occupation_other = '')",
            name="occupation_other",
        ),
        CheckConstraint("birth_year >= 1900", name="birth_year"),  # the service keeps the 100-year rule
        CheckConstraint(
            "(country = 'Indonesia' AND length(province) > 0) OR (country <> 'Indonesia' AND province = '')",
            name="province",
        ),
        CheckConstraint(
            "(has_disability AND length(disability_type) > 0) OR (NOT has_disability AND disability_type = '')",
            name="disability_type",
        ),
        CheckConstraint(
            "disability_type IN ('', 'Fisik', 'Intelektual', 'Mental', 'Sensorik')", name="disability_kind"
        ),
        Index("ix_visitor_phone", "phone"),
        Index("ix_visitor_email", "email"),
        Index("ix_visitor_name", "full_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    full_name: Mapped[str] = mapped_column(String(120))                 # 1
    gender: Mapped[str] = mapped_column(String(12))                     # 2
    institution: Mapped[str] = mapped_column(String(200))               # 3
    phone: Mapped[str] = mapped_column(String(20))                      # 4
    email: Mapped[str] = mapped_column(String(254))                     # 5
    occupation: Mapped[str] = mapped_column(String(40))                 # 6
    occupation_other: Mapped[str] = mapped_column(String(100), default="")  # 7
    birth_year: Mapped[int]                                             # 8
    education: Mapped[str] = mapped_column(String(30))                  # 9
    country: Mapped[str] = mapped_column(String(60), default="Indonesia")  # 10
    province: Mapped[str] = mapped_column(String(60), default="")       # 11
    regency: Mapped[str] = mapped_column(String(100))                   # 12 Kabupaten/Kota
    has_disability: Mapped[bool] = mapped_column(default=False)         # 13
    disability_type: Mapped[str] = mapped_column(String(20), default="")  # 14
    id_document_type: Mapped[str] = mapped_column(String(20), default="")  # KTP, Paspor, KTM, SIM
    id_document_number: Mapped[str] = mapped_column(String(40), default="")
    consent_at: Mapped[datetime | None]  # consent to personal-data processing
    created_at: Mapped[datetime]
    erased_at: Mapped[datetime | None]   # personal fields wiped by the retention rule

    visits: Mapped[list[Visit]] = relationship(back_populates="visitor")


class Visit(Base):
    """One arrival at the PST unit: guestbook purpose (questions 15-16) and the daily queue number."""

    __tablename__ = "visit"
    __table_args__ = (
        UniqueConstraint("office_id", "queue_date", "queue_prefix", "queue_number"),
        CheckConstraint(
            "(purpose = 'Lainnya' AND length(purpose_other) > 0) OR (purpose <> 'Lainnya' AND purpose_other = '')",
            name="purpose_other",
        ),
        Index("ix_visit_queue", "office_id", "queue_date", "status", "queue_number"),
        Index("ix_visit_visitor", "visitor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    visitor_id: Mapped[int] = mapped_column(ForeignKey("visitor.id"))
    purpose: Mapped[str] = mapped_column(String(60))                    # 15 Keperluan
    purpose_other: Mapped[str] = mapped_column(String(200), default="")  # 16
    arrived_at: Mapped[datetime]
    queue_date: Mapped[date]  # the office-local day the queue number belongs to
    queue_prefix: Mapped[str] = mapped_column(String(2))
    queue_number: Mapped[int]
    station: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[VisitStatus] = mapped_column(enum_type(VisitStatus), default=VisitStatus.WAITING)
    served_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    serving_started_at: Mapped[datetime | None]
    departed_at: Mapped[datetime | None]

    visitor: Mapped[Visitor] = relationship(back_populates="visits")

    @property
    def queue_code(self) -> str:
        return f"{self.queue_prefix}-{self.queue_number:03d}"

"""Exit poll (SKM: nine elements rated 1-4, stored raw) and complaints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

SKM_ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")


class PollAnswer(Base):
    """One respondent's ratings of the nine SKM elements (PermenPANRB 14/2017)."""

    __tablename__ = "poll_answer"
    __table_args__ = (
        *(CheckConstraint(f"{u} BETWEEN 1 AND 4", name=u) for u in SKM_ELEMENTS),
        Index("ix_poll_answer_answered_at", "office_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), unique=True)
    answered_at: Mapped[datetime]
    u1: Mapped[int]
    u2: Mapped[int]
    u3: Mapped[int]
    u4: Mapped[int]
    u5: Mapped[int]
    u6: Mapped[int]
    u7: Mapped[int]
    u8: Mapped[int]
    u9: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")


class Complaint(Base):
    """A complaint or suggestion (kotak saran, website, email, SMS/WA, kiosk)."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))
    channel: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]
    response: Mapped[str] = mapped_column(Text, default="")

"""What a request and a kuitansi are found by, in one lower-cased text each."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class RequestSearch(Base):
    """The requester's name, institution, phone and email (personal ones left out once erased) and the
    request, invoice and kuitansi numbers of one request, one per line, lower-cased. Kept in step by
    ``pstdesktop.services.search``. SQLite indexes it with the FTS5 trigram table ``request_search_fts``
    (contentless, its rowid the negated request id, synced by triggers; not an ORM table); PostgreSQL
    with a ``pg_trgm`` GIN index.
    On SQLite the same index is a B-tree over the text: the prefix index for queries under 3 characters."""

    __tablename__ = "request_search"
    __table_args__ = (
        Index("ix_request_search_text", "haystack", postgresql_using="gin",
              postgresql_ops={"haystack": "gin_trgm_ops"}),
    )

    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"), primary_key=True,
                                            autoincrement=False)
    office_id: Mapped[int]
    haystack: Mapped[str] = mapped_column(Text)


class ReceiptSearch(Base):
    """The searchable text of a kuitansi: that of its request (``RequestSearch.haystack``), keyed by the
    kuitansi so that a search lists the newest kuitansi first straight from the index. Kept in step with
    its request's text; SQLite indexes it with the FTS5 trigram table ``receipt_search_fts`` (alike)."""

    __tablename__ = "receipt_search"
    __table_args__ = (
        Index("ix_receipt_search_text", "haystack", postgresql_using="gin",
              postgresql_ops={"haystack": "gin_trgm_ops"}),
    )

    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipt.id"), primary_key=True, autoincrement=False)
    office_id: Mapped[int]
    haystack: Mapped[str] = mapped_column(Text)


FTS_TABLE = "request_search_fts"
RECEIPT_FTS_TABLE = "receipt_search_fts"


def include_name(name: str | None, type_: str, _parents: dict | None = None) -> bool:
    """Alembic's ``include_name`` hook for schema comparison: every name but SQLite's FTS5 tables and their
    shadow tables, which the migrations make and no ORM model describes."""
    return not (type_ == "table" and name is not None
                and any(name == fts or name.startswith(fts + "_") for fts in (FTS_TABLE, RECEIPT_FTS_TABLE)))

"""What a request is found by, in one lower-cased text per request."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class RequestSearch(Base):
    """The requester's name, institution, phone and email (personal ones left out once erased) and the
    request, invoice and kuitansi numbers of one request, one per line, lower-cased. Kept in step by
    ``pstdesktop.services.search``. SQLite indexes it with the FTS5 trigram table ``request_search_fts``
    (external content, synced by triggers; not an ORM table); PostgreSQL with a ``pg_trgm`` GIN index.
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


FTS_TABLE = "request_search_fts"


def include_name(name: str | None, type_: str, _parents: dict | None = None) -> bool:
    """Alembic's ``include_name`` hook for schema comparison: every name but SQLite's FTS5 table and its
    shadow tables, which the migration makes and no ORM model describes."""
    return not (type_ == "table" and name is not None and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_")))

"""The search index on a real PostgreSQL server: pg_trgm is installed by the migration and its GIN index
answers every field the SQLite FTS5 index answers."""

import pytest
from sqlalchemy import text

from pstdesktop.services import positions, requests
from tests.unit.test_search import check_every_field
from tests.unit.test_staff_lists import check_kuitansi_found_and_paged, check_newest_kuitansi_first

pytestmark = pytest.mark.postgres



def test_search_by_every_field_on_postgresql(pg_office):
    with pg_office.session() as s:
        assert s.scalar(text("SELECT extversion FROM pg_extension WHERE extname = 'pg_trgm'"))
        for name in ("ix_request_search_text", "ix_receipt_search_text"):
            index = s.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"), {"name": name})
            assert "gin" in index and "gin_trgm_ops" in index, name
    check_every_field(pg_office)


def test_pages_and_the_trigram_index_on_postgresql(pg_office):
    made = [pg_office.walk_in(full_name=f"Pemohon Wattimena {i}", phone=f"08120000{i:04d}")[1] for i in range(5)]
    with pg_office.session() as s:
        seen, before = [], None
        while page := requests.find_requests(s, pg_office.officer, "wattimena", limit=2, before=before):
            seen.extend(r.id for r in page)
            before = page[-1].id
        assert seen == sorted(made, reverse=True)
        s.execute(text("SET LOCAL enable_seqscan = off"))  # a small table: make the planner show the index
        plan = "\n".join(s.scalars(text("EXPLAIN SELECT request_id FROM request_search"
                                        " WHERE haystack LIKE '%wattimena%'")))
        assert "ix_request_search_text" in plan


def test_the_treasurers_open_lists_read_their_partial_indexes_on_postgresql(pg_office):
    with pg_office.session() as s:
        s.execute(text("SET LOCAL enable_seqscan = off"))
        for statement, index in (
                ("SELECT id FROM invoice WHERE office_id = 1 AND status = 'issued' ORDER BY issued_at, id LIMIT 25",
                 "ix_invoice_awaiting_payment"),
                ("SELECT id FROM payment WHERE office_id = 1 AND awaiting_receipt = true ORDER BY recorded_at, id"
                 " LIMIT 8", "ix_payment_awaiting_receipt"),
                ("SELECT id FROM receipt WHERE office_id = 1 AND awaiting_deposit = true ORDER BY issued_at, id",
                 "ix_receipt_awaiting_deposit")):
            plan = "\n".join(s.scalars(text(f"EXPLAIN {statement}")))
            assert index in plan, plan


def test_kuitansi_found_and_paged_by_key_and_balances_carried_on_postgresql(pg_office):
    check_kuitansi_found_and_paged(pg_office)
    check_newest_kuitansi_first(pg_office)
    with pg_office.session() as s:
        carried = positions.carried_balance(s, pg_office.office_id)
        assert carried == positions.movement_sums(s, pg_office.office_id) and carried["receipted_held"] > 0

"""a search index keyed by kuitansi, so that a kuitansi search lists the newest kuitansi first

Revision ID: 0015_receipt_search
Revises: 0014_carried_balances
Create Date: 2026-12-01

``receipt_search`` holds, per kuitansi, the searchable text of its request (``request_search``), filled
here for the existing kuitansi; PostgreSQL searches it through a ``pg_trgm`` GIN index. On SQLite both
texts get a contentless FTS5 trigram table kept by triggers whose rowid is the negated id:
``request_search_fts`` is made again so, and ``receipt_search_fts`` is new. Newest first is then FTS5's
forward order, read a page at a time; backwards it read every list whole, slower as the years go by.
"""

import sqlalchemy as sa
from alembic import op

revision = '0015_receipt_search'
down_revision = '0014_carried_balances'
branch_labels = None
depends_on = None

REQUESTS = ('request_search', 'request_id')
RECEIPTS = ('receipt_search', 'receipt_id')


def _triggers(table: str, key: str) -> tuple[str, ...]:
    """Keep ``<table>_fts`` in step: rowid the negated id, so that the newest come first in rowid order
    (FTS5 reads its lists forward quickly; backwards it reads each whole list)."""
    fts = f"{table}_fts"
    delete = f"INSERT INTO {fts}({fts}, rowid, haystack) VALUES ('delete', -old.{key}, old.haystack);"
    add = f"INSERT INTO {fts}(rowid, haystack) VALUES (-new.{key}, new.haystack);"
    return (f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {add} END",
            f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END",
            f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN {delete} {add} END")


def _drop_fts(table: str) -> None:
    for suffix in ('ai', 'ad', 'au'):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {table}_fts")


def _make_fts(table: str, key: str) -> None:
    """A contentless FTS5 trigram table over ``table`` (rowid: the negated id), filled and kept by triggers."""
    _drop_fts(table)
    op.execute(f"CREATE VIRTUAL TABLE {table}_fts USING fts5(haystack, content='', tokenize='trigram')")
    op.execute(f"INSERT INTO {table}_fts(rowid, haystack) SELECT -{key}, haystack FROM {table} ORDER BY {key} DESC")
    for trigger in _triggers(table, key):
        op.execute(trigger)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.create_table(
        'receipt_search',
        sa.Column('receipt_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('haystack', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'], name=op.f('fk_receipt_search_receipt_id_receipt')),
        sa.PrimaryKeyConstraint('receipt_id', name=op.f('pk_receipt_search')),
    )
    op.execute("INSERT INTO receipt_search (receipt_id, office_id, haystack)"
               " SELECT r.id, r.office_id, s.haystack FROM receipt r JOIN payment p ON p.id = r.payment_id"
               " JOIN invoice i ON i.id = p.invoice_id JOIN request_search s ON s.request_id = i.request_id"
               " ORDER BY r.id")
    op.create_index('ix_receipt_search_text', 'receipt_search', ['haystack'], unique=False,
                    postgresql_using='gin', postgresql_ops={'haystack': 'gin_trgm_ops'})
    if sqlite:
        for table, key in (REQUESTS, RECEIPTS):
            _make_fts(table, key)


OLD_REQUEST_TRIGGERS = (  # 0013's: the external-content table ordered by the id itself
    "CREATE TRIGGER request_search_ai AFTER INSERT ON request_search BEGIN"
    " INSERT INTO request_search_fts(rowid, haystack) VALUES (new.request_id, new.haystack); END",
    "CREATE TRIGGER request_search_ad AFTER DELETE ON request_search BEGIN INSERT INTO request_search_fts"
    "(request_search_fts, rowid, haystack) VALUES ('delete', old.request_id, old.haystack); END",
    "CREATE TRIGGER request_search_au AFTER UPDATE ON request_search BEGIN INSERT INTO request_search_fts"
    "(request_search_fts, rowid, haystack) VALUES ('delete', old.request_id, old.haystack);"
    " INSERT INTO request_search_fts(rowid, haystack) VALUES (new.request_id, new.haystack); END",
)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _drop_fts('receipt_search')
        _drop_fts('request_search')
        op.execute("CREATE VIRTUAL TABLE request_search_fts USING fts5(haystack, content='request_search',"
                   " content_rowid='request_id', tokenize='trigram')")
        op.execute("INSERT INTO request_search_fts(request_search_fts) VALUES ('rebuild')")
        for trigger in OLD_REQUEST_TRIGGERS:
            op.execute(trigger)
    op.drop_index('ix_receipt_search_text', table_name='receipt_search')
    op.drop_table('receipt_search')

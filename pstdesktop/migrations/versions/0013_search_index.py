"""a search index for requests, and staff lists that read only their open rows

Revision ID: 0013_search_index
Revises: 0011_request_clear_at
Create Date: 2026-12-01

``request_search`` holds one lower-cased text per request (requester's name, institution, phone, email,
request, invoice and kuitansi numbers), filled here for the existing rows. SQLite searches it through
the FTS5 trigram table ``request_search_fts`` (external content, kept by triggers); PostgreSQL through a
``pg_trgm`` GIN index. Invoices awaiting payment, payments awaiting their kuitansi (a new maintained
marker) and kuitansi awaiting their deposit each get a partial index in the order their list is read.
"""

import sqlalchemy as sa
from alembic import op

revision = '0013_search_index'
down_revision = '0011_request_clear_at'
branch_labels = None
depends_on = None

FTS = 'request_search_fts'
TRIGGERS = (
    f"CREATE TRIGGER request_search_ai AFTER INSERT ON request_search BEGIN"
    f" INSERT INTO {FTS}(rowid, haystack) VALUES (new.request_id, new.haystack); END",
    f"CREATE TRIGGER request_search_ad AFTER DELETE ON request_search BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, haystack) VALUES ('delete', old.request_id, old.haystack); END",
    f"CREATE TRIGGER request_search_au AFTER UPDATE ON request_search BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, haystack) VALUES ('delete', old.request_id, old.haystack);"
    f" INSERT INTO {FTS}(rowid, haystack) VALUES (new.request_id, new.haystack); END",
)
LIVE_INVOICE_ISSUED = "status = 'issued'"


def _haystack(name, institution, phone, email, erased, numbers) -> str:
    parts = [institution] if erased else [name, institution, phone, email]
    return "\n".join(p.strip().lower() for p in [*parts, *numbers] if p and p.strip())


def _fill(connection) -> None:
    """The searchable text of every existing request, as ``pstdesktop.services.search`` writes it."""
    numbers: dict[int, list[str]] = {}
    for request_id, number in connection.execute(sa.text("SELECT request_id, number FROM invoice ORDER BY id")):
        numbers.setdefault(request_id, []).append(number)
    for request_id, number in connection.execute(sa.text(
            "SELECT i.request_id, r.number FROM receipt r JOIN payment p ON p.id = r.payment_id"
            " JOIN invoice i ON i.id = p.invoice_id ORDER BY r.id")):
        numbers.setdefault(request_id, []).append(number)
    rows = connection.execute(sa.text(
        "SELECT s.id, s.office_id, s.number, v.full_name, v.institution, v.phone, v.email, v.erased_at"
        " FROM service_request s JOIN visitor v ON v.id = s.visitor_id ORDER BY s.id"))
    table = sa.table('request_search', sa.column('request_id'), sa.column('office_id'), sa.column('haystack'))
    batch = []
    for rid, office_id, number, name, institution, phone, email, erased_at in rows:
        batch.append({"request_id": rid, "office_id": office_id,
                      "haystack": _haystack(name, institution, phone, email, erased_at is not None,
                                            [number, *numbers.get(rid, [])])})
    for start in range(0, len(batch), 5000):
        connection.execute(sa.insert(table), batch[start:start + 5000])


def upgrade() -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == 'sqlite'
    if not sqlite:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        'request_search',
        sa.Column('request_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('haystack', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['service_request.id'],
                                name=op.f('fk_request_search_request_id_service_request')),
        sa.PrimaryKeyConstraint('request_id', name=op.f('pk_request_search')),
    )
    if sqlite:
        op.execute(f"CREATE VIRTUAL TABLE {FTS} USING fts5(haystack, content='request_search',"
                   " content_rowid='request_id', tokenize='trigram')")
        for trigger in TRIGGERS:
            op.execute(trigger)
    _fill(connection)
    op.create_index('ix_request_search_text', 'request_search', ['haystack'], unique=False,
                    postgresql_using='gin', postgresql_ops={'haystack': 'gin_trgm_ops'})

    op.create_index('ix_invoice_awaiting_payment', 'invoice', ['office_id', 'issued_at', 'id'], unique=False,
                    sqlite_where=sa.text(LIVE_INVOICE_ISSUED), postgresql_where=sa.text(LIVE_INVOICE_ISSUED))

    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('awaiting_receipt', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE payment SET awaiting_receipt = "
               + ("1" if sqlite else "true")
               + " WHERE NOT EXISTS (SELECT 1 FROM receipt r WHERE r.payment_id = payment.id"
               " AND r.status <> 'cancelled') AND NOT EXISTS (SELECT 1 FROM refund f WHERE f.payment_id = payment.id)")
    op.create_index('ix_payment_awaiting_receipt', 'payment', ['office_id', 'recorded_at', 'id'], unique=False,
                    sqlite_where=sa.text('awaiting_receipt = 1'), postgresql_where=sa.text('awaiting_receipt'))

    op.drop_index('ix_receipt_awaiting_deposit', table_name='receipt')
    op.create_index('ix_receipt_awaiting_deposit', 'receipt', ['office_id', 'issued_at', 'id'], unique=False,
                    sqlite_where=sa.text('awaiting_deposit = 1'), postgresql_where=sa.text('awaiting_deposit'))


def downgrade() -> None:
    op.drop_index('ix_receipt_awaiting_deposit', table_name='receipt')
    op.create_index('ix_receipt_awaiting_deposit', 'receipt', ['office_id', 'awaiting_deposit'], unique=False)
    op.drop_index('ix_payment_awaiting_receipt', table_name='payment')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_column('awaiting_receipt')
    op.drop_index('ix_invoice_awaiting_payment', table_name='invoice')
    if op.get_bind().dialect.name == 'sqlite':
        for name in ('request_search_ai', 'request_search_ad', 'request_search_au'):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    op.drop_index('ix_request_search_text', table_name='request_search')
    op.drop_table('request_search')

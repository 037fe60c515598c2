"""balances carried forward, and indexes for the movements since an instant

Revision ID: 0014_carried_balances
Revises: 0013_search_index
Create Date: 2026-12-01

``carried_balance`` holds, per office, every money movement added up (payments by method, held kuitansi
issued and cancelled, deposits by source, refunds by the payment's method), filled here from the
existing rows; the billing service adds each movement it books. Payments by recording instant,
cancelled kuitansi by cancellation instant, deposits by day and their kuitansi by deposit get an index each.
"""

import sqlalchemy as sa
from alembic import op

revision = '0014_carried_balances'
down_revision = '0013_search_index'
branch_labels = None
depends_on = None

CARRIED = ("paid_cash", "paid_transfer", "paid_simponi", "receipted_held", "cancelled_held", "deposited_cash",
           "deposited_transfer", "refunded_cash", "refunded_transfer", "refunded_simponi")
CANCELLED = "status = 'cancelled'"
HELD = "p.method IN ('cash', 'transfer')"
FILL = f"""
INSERT INTO carried_balance (office_id, {", ".join(CARRIED)})
SELECT o.id,
  (SELECT coalesce(sum(amount), 0) FROM payment WHERE office_id = o.id AND method = 'cash'),
  (SELECT coalesce(sum(amount), 0) FROM payment WHERE office_id = o.id AND method = 'transfer'),
  (SELECT coalesce(sum(amount), 0) FROM payment WHERE office_id = o.id AND method = 'simponi'),
  (SELECT coalesce(sum(r.amount), 0) FROM receipt r JOIN payment p ON p.id = r.payment_id
   WHERE r.office_id = o.id AND {HELD}),
  (SELECT coalesce(sum(r.amount), 0) FROM receipt r JOIN payment p ON p.id = r.payment_id
   WHERE r.office_id = o.id AND {HELD} AND r.{CANCELLED}),
  (SELECT coalesce(sum(amount), 0) FROM deposit WHERE office_id = o.id AND source = 'cash'),
  (SELECT coalesce(sum(amount), 0) FROM deposit WHERE office_id = o.id AND source = 'transfer'),
  (SELECT coalesce(sum(f.amount), 0) FROM refund f JOIN payment p ON p.id = f.payment_id
   WHERE f.office_id = o.id AND p.method = 'cash'),
  (SELECT coalesce(sum(f.amount), 0) FROM refund f JOIN payment p ON p.id = f.payment_id
   WHERE f.office_id = o.id AND p.method = 'transfer'),
  (SELECT coalesce(sum(f.amount), 0) FROM refund f JOIN payment p ON p.id = f.payment_id
   WHERE f.office_id = o.id AND p.method = 'simponi')
FROM office_profile o
"""


def upgrade() -> None:
    op.create_table(
        'carried_balance',
        sa.Column('office_id', sa.Integer(), autoincrement=False, nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in CARRIED),
        sa.CheckConstraint(" AND ".join(f"{c} >= 0" for c in CARRIED), name=op.f('ck_carried_balance_non_negative')),
        sa.ForeignKeyConstraint(['office_id'], ['office_profile.id'],
                                name=op.f('fk_carried_balance_office_id_office_profile')),
        sa.PrimaryKeyConstraint('office_id', name=op.f('pk_carried_balance')),
    )
    op.execute(FILL)
    op.create_index('ix_payment_recorded_at', 'payment', ['recorded_at'], unique=False)
    op.create_index('ix_receipt_cancelled_at', 'receipt', ['office_id', 'cancelled_at'], unique=False,
                    sqlite_where=sa.text(CANCELLED), postgresql_where=sa.text(CANCELLED))
    op.create_index('ix_deposit_office_day', 'deposit', ['office_id', 'deposited_on'], unique=False)
    op.create_index('ix_deposit_receipt_deposit', 'deposit_receipt', ['deposit_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_deposit_receipt_deposit', table_name='deposit_receipt')
    op.drop_index('ix_deposit_office_day', table_name='deposit')
    op.drop_index('ix_receipt_cancelled_at', table_name='receipt')
    op.drop_index('ix_payment_recorded_at', table_name='payment')
    op.drop_table('carried_balance')

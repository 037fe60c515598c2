"""refunds, deposits from the receiving account, kuitansi amounts per account code (MAK)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

A transfer on the office's receiving account is not yet state revenue: live transfer kuitansi are
marked as awaiting their deposit (with an NTPN), like cash. Every kuitansi gets its amounts per
account code from the lines of the invoice it settles.
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

import models.base

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'refund',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('method', sa.String(length=10), nullable=False),
        sa.Column('refunded_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('approved_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', models.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint('amount > 0', name=op.f('ck_refund_amount')),
        sa.CheckConstraint("method IN ('cash', 'transfer')", name=op.f('ck_refund_method')),
        sa.CheckConstraint('length(reason) > 0', name=op.f('ck_refund_reason')),
        sa.ForeignKeyConstraint(['approved_by_id'], ['account.id'], name=op.f('fk_refund_approved_by_id_account')),
        sa.ForeignKeyConstraint(['office_id'], ['office_profile.id'], name=op.f('fk_refund_office_id_office_profile')),
        sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_refund_payment_id_payment')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['account.id'], name=op.f('fk_refund_recorded_by_id_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_refund')),
        sa.UniqueConstraint('payment_id', name=op.f('uq_refund_payment_id')),
    )
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_index('ix_refund_office_day', ['office_id', 'refunded_on'], unique=False)
    with op.batch_alter_table('deposit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=10), nullable=False, server_default='cash'))
        batch_op.create_check_constraint(op.f('ck_deposit_source'), "source IN ('cash', 'transfer')")
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_index('ix_receipt_cash_pending')
        batch_op.alter_column('cash_pending', new_column_name='awaiting_deposit', existing_type=sa.Boolean(),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('lines', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.create_index('ix_receipt_awaiting_deposit', ['office_id', 'awaiting_deposit'], unique=False)
    connection = op.get_bind()
    receipt, payment, invoice = (sa.table('receipt', sa.column('id'), sa.column('payment_id'), sa.column('status'),
                                          sa.column('awaiting_deposit'), sa.column('lines', sa.JSON())),
                                 sa.table('payment', sa.column('id'), sa.column('invoice_id'), sa.column('method')),
                                 sa.table('invoice', sa.column('id'), sa.column('lines', sa.JSON())))
    found = connection.execute(
        sa.select(receipt.c.id, receipt.c.status, payment.c.method, invoice.c.lines)
        .join(payment, payment.c.id == receipt.c.payment_id).join(invoice, invoice.c.id == payment.c.invoice_id))
    for receipt_id, status, method, lines in found.all():
        amounts: dict[str, int] = defaultdict(int)
        for line in lines or []:
            amounts[line["account_code"]] += int(line["amount"])
        values = {"lines": [{"account_code": code, "amount": amount} for code, amount in sorted(amounts.items())]}
        if method == 'transfer' and status != 'cancelled':
            deposited = connection.execute(sa.text(
                "SELECT 1 FROM deposit_receipt WHERE receipt_id = :id"), {"id": receipt_id}).first()
            values["awaiting_deposit"] = deposited is None
        connection.execute(receipt.update().where(receipt.c.id == receipt_id).values(**values))


def downgrade() -> None:
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_index('ix_receipt_awaiting_deposit')
        batch_op.drop_column('lines')
        batch_op.alter_column('awaiting_deposit', new_column_name='cash_pending', existing_type=sa.Boolean(),
                              existing_nullable=False)
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.create_index('ix_receipt_cash_pending', ['office_id', 'cash_pending'], unique=False)
    with op.batch_alter_table('deposit', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_deposit_source'), type_='check')
        batch_op.drop_column('source')
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_index('ix_refund_office_day')
    op.drop_table('refund')

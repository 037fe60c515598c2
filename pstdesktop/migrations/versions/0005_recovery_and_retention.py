"""a recovery code for an office locked out of its own data; retention runs once a day by itself

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('office_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recovery_hash', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('retention_run_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('office_profile', schema=None) as batch_op:
        batch_op.drop_column('retention_run_on')
        batch_op.drop_column('recovery_hash')

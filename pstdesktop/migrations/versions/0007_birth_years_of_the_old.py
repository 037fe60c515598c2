"""a visitor may be up to 100 years old: the stored check no longer stops at 1940

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('visitor', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_visitor_birth_year'), type_='check')
        batch_op.create_check_constraint('birth_year', 'birth_year >= 1900')


def downgrade() -> None:
    with op.batch_alter_table('visitor', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_visitor_birth_year'), type_='check')
        batch_op.create_check_constraint('birth_year', 'birth_year >= 1940')

"""the keys that signed document references before a rotation are kept, so old documents still verify

Revision ID: 0009_signing_keys
Revises: 0008_keyed_audit
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import models.base

revision = '0009_signing_keys'
down_revision = '0008_keyed_audit'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'signing_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
        sa.Column('retired_at', models.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint('generation >= 1', name=op.f('ck_signing_key_generation')),
        sa.CheckConstraint('retired_at >= created_at', name=op.f('ck_signing_key_retired_after_created')),
        sa.ForeignKeyConstraint(['office_id'], ['office_profile.id'],
                                name=op.f('fk_signing_key_office_id_office_profile')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_key')),
        sa.UniqueConstraint('office_id', 'generation', name=op.f('uq_signing_key_office_id_generation')),
    )


def downgrade() -> None:
    op.drop_table('signing_key')

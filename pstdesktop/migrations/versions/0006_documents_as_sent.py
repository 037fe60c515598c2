"""documents as an office sends them: the office logo, the BPS official who signs the SPPD, the kuitansi
amount above which a materai is due, and an SPPD
number of its own (existing signed SPPDs numbered in signing order, per office and year)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from datetime import UTC, timedelta, timezone

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

ZONE_HOURS = {'WIB': 7, 'WITA': 8, 'WIT': 9}


def upgrade() -> None:
    with op.batch_alter_table('office_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('sppd_signer_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('sppd_signer_title', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('sppd_signer_nip', sa.String(length=18), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('materai_threshold', sa.Integer(), nullable=False, server_default='5000000'))
    with op.batch_alter_table('sppd_agreement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_sppd_agreement_number'), ['number'])
    _number_signed_sppds()


def _number_signed_sppds() -> None:
    """``SPPD-00001/8100/2026`` … for the SPPDs signed so far, in signing order within each office and
    office-time year; the counters continue from there."""
    bind = op.get_bind()
    sppd = sa.table('sppd_agreement', sa.column('id', sa.Integer), sa.column('request_id', sa.Integer),
                    sa.column('signed_at', sa.DateTime), sa.column('number', sa.String))
    request = sa.table('service_request', sa.column('id', sa.Integer), sa.column('office_id', sa.Integer))
    office = sa.table('office_profile', sa.column('id', sa.Integer), sa.column('unit_code', sa.String),
                      sa.column('time_zone', sa.String))
    counter = sa.table('document_counter', sa.column('office_id', sa.Integer), sa.column('kind', sa.String),
                       sa.column('period', sa.String), sa.column('last_number', sa.Integer))
    rows = bind.execute(
        sa.select(sppd.c.id, sppd.c.signed_at, office.c.id, office.c.unit_code, office.c.time_zone)
        .select_from(sppd.join(request, request.c.id == sppd.c.request_id)
                     .join(office, office.c.id == request.c.office_id))
        .where(sppd.c.signed_at.is_not(None))
        .order_by(sppd.c.signed_at, sppd.c.id)
    ).all()
    last: dict[tuple[int, int], int] = {}
    for sppd_id, signed_at, office_id, unit_code, zone in rows:
        moment = signed_at if signed_at.tzinfo else signed_at.replace(tzinfo=UTC)
        year = moment.astimezone(timezone(timedelta(hours=ZONE_HOURS.get(zone, 7)))).year
        sequence = last[office_id, year] = last.get((office_id, year), 0) + 1
        bind.execute(sppd.update().where(sppd.c.id == sppd_id)
                     .values(number=f'SPPD-{sequence:05d}/{unit_code}/{year}'))
    for (office_id, year), number in last.items():
        bind.execute(counter.insert().values(office_id=office_id, kind='sppd', period=str(year),
                                             last_number=number))


def downgrade() -> None:
    op.get_bind().execute(sa.text("DELETE FROM document_counter WHERE kind = 'sppd'"))
    with op.batch_alter_table('sppd_agreement', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_sppd_agreement_number'), type_='unique')
        batch_op.drop_column('number')
    with op.batch_alter_table('office_profile', schema=None) as batch_op:
        batch_op.drop_column('materai_threshold')
        batch_op.drop_column('sppd_signer_nip')
        batch_op.drop_column('sppd_signer_title')
        batch_op.drop_column('sppd_signer_name')
        batch_op.drop_column('logo')

"""the moment a request became clear is kept for every approved request and is never before it was received
(a check constraint); indexes for the month report's requests by channel and redirects

Existing rows: an approved request without ``clear_at`` (walk-ins, until now) gets the moment of its first
approval from the audit trail; one whose ``clear_at`` lies before it was received, or after the upgrade,
gets its approval moment (never before receipt) and an online one its deadline counted again from it.

Revision ID: 0011_request_clear_at
Revises: 0010_online_evidence
Create Date: 2026-12-01
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from pstdesktop.services.clock import utcnow
from pstdesktop.services.deadlines import online_due

revision = '0011_request_clear_at'
down_revision = '0010_online_evidence'
branch_labels = None
depends_on = None


def upgrade() -> None:
    _fill_clear_at()
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.create_check_constraint('clear_after_received', 'clear_at IS NULL OR clear_at >= received_at')
        batch_op.create_index('ix_service_request_received', ['office_id', 'received_at'], unique=False)
    with op.batch_alter_table('consultation_referral', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_referral_referred', ['referred_at'], unique=False)


def _aware(moment):
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stored(bind, moment: datetime):
    """A UTC instant as models.base.UTCDateTime stores it (naive UTC on SQLite)."""
    moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None) if bind.dialect.name == 'sqlite' else moment


def _fill_clear_at() -> None:
    bind = op.get_bind()
    request = sa.table('service_request', sa.column('id', sa.Integer), sa.column('office_id', sa.Integer),
                       sa.column('channel', sa.String), sa.column('received_at', sa.DateTime),
                       sa.column('clear_at', sa.DateTime), sa.column('due_at', sa.DateTime))
    office = sa.table('office_profile', sa.column('id', sa.Integer), sa.column('time_zone', sa.String))
    entry = sa.table('audit_entry', sa.column('at', sa.DateTime), sa.column('entity', sa.String),
                     sa.column('entity_id', sa.Integer), sa.column('to_state', sa.String))
    approvals = dict(bind.execute(
        sa.select(entry.c.entity_id, sa.func.min(entry.c.at))
        .where(entry.c.entity == 'service_request', entry.c.to_state == 'approved')
        .group_by(entry.c.entity_id)).all())
    zones = dict(bind.execute(sa.select(office.c.id, office.c.time_zone)).all())
    now = utcnow()
    rows = bind.execute(sa.select(request.c.id, request.c.office_id, request.c.channel, request.c.received_at,
                                  request.c.clear_at)).all()
    for request_id, office_id, channel, received_at, clear_at in rows:
        received_at, clear_at = _aware(received_at), _aware(clear_at)
        approved_at = _aware(approvals.get(request_id))
        if clear_at is not None and received_at <= clear_at <= now:
            continue
        if clear_at is None and approved_at is None:
            continue
        moment = max(approved_at or received_at, received_at)
        values = {'clear_at': _stored(bind, moment)}
        if channel == 'online':
            values['due_at'] = _stored(bind, online_due(moment, zones.get(office_id, 'WIB')))
        bind.execute(request.update().where(request.c.id == request_id).values(**values))


def downgrade() -> None:
    with op.batch_alter_table('consultation_referral', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_referral_referred')
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_index('ix_service_request_received')
        batch_op.drop_constraint(op.f('ck_service_request_clear_after_received'), type_='check')

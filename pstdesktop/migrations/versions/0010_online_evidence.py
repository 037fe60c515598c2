"""online sales on a shared server: evidence (transfer proofs, scanned kuitansi and SPPDs) stored in the
database, the office's receiving bank accounts, the online steps (papers sent, results sent, the treasurer's
confirmation on the receiving account, closing without the posted SPPD original). Transfer proofs recorded
as a file path are imported when the file is still there; otherwise the path stays recorded.

Revision ID: 0010_online_evidence
Revises: 0009_signing_keys
Create Date: 2026-12-01
"""

import hashlib
import mimetypes
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0010_online_evidence'
down_revision = '0009_signing_keys'
branch_labels = None
depends_on = None

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def upgrade() -> None:
    op.create_table(
        'evidence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('stored_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_evidence_sha256')),
        sa.CheckConstraint(f'size_bytes > 0 AND size_bytes <= {EVIDENCE_MAX_BYTES}', name=op.f('ck_evidence_size')),
        sa.ForeignKeyConstraint(['office_id'], ['office_profile.id'], name=op.f('fk_evidence_office_id_office_profile')),
        sa.ForeignKeyConstraint(['stored_by_id'], ['account.id'], name=op.f('fk_evidence_stored_by_id_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
        sa.UniqueConstraint('office_id', 'sha256', name=op.f('uq_evidence_office_id_sha256')),
    )
    op.create_table(
        'receiving_account',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('bank', sa.String(length=100), nullable=False),
        sa.Column('number', sa.String(length=40), nullable=False),
        sa.Column('holder', sa.String(length=200), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('length(bank) > 0 AND length(number) > 0 AND length(holder) > 0',
                           name=op.f('ck_receiving_account_filled')),
        sa.ForeignKeyConstraint(['office_id'], ['office_profile.id'],
                                name=op.f('fk_receiving_account_office_id_office_profile')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_receiving_account')),
        sa.UniqueConstraint('office_id', 'bank', 'number', name=op.f('uq_receiving_account_office_id_bank_number')),
    )
    op.create_index('ix_receiving_account_office', 'receiving_account', ['office_id', 'active'], unique=False)
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proof_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('proof_reuse_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('receiving_account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_payment_proof_id'), ['proof_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_payment_proof_id_evidence'), 'evidence', ['proof_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_payment_receiving_account_id_receiving_account'),
                                    'receiving_account', ['receiving_account_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_payment_confirmed_by_id_account'), 'account',
                                    ['confirmed_by_id'], ['id'])
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scan_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_receipt_scan_id_evidence'), 'evidence', ['scan_id'], ['id'])
    with op.batch_alter_table('sppd_agreement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scan_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('original_scan_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_sppd_agreement_scan_id_evidence'), 'evidence', ['scan_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_sppd_agreement_original_scan_id_evidence'), 'evidence',
                                    ['original_scan_id'], ['id'])
        batch_op.create_index('ix_sppd_agreement_outstanding', ['originals_received_at', 'signed_at'], unique=False)
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('papers_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('papers_sent_via', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('results_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('results_sent_via', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('closed_without_original', sa.Text(), nullable=False, server_default=''))
        batch_op.create_check_constraint('papers_sent_via', "papers_sent_via IN ('', 'email', 'wa', 'forum', 'post')")
        batch_op.create_check_constraint('results_sent_via',
                                         "results_sent_via IN ('', 'email', 'wa', 'forum', 'post')")
    _import_proof_files()


def _import_proof_files() -> None:
    """Each transfer proof recorded as a path whose file is still readable (and within the size limit) is
    stored as evidence and linked; a proof whose file is gone keeps its path and SHA-256 as recorded."""
    bind = op.get_bind()
    payment = sa.table('payment', sa.column('id', sa.Integer), sa.column('office_id', sa.Integer),
                       sa.column('proof_file', sa.String), sa.column('proof_id', sa.Integer),
                       sa.column('recorded_at', sa.DateTime(timezone=True)))
    evidence = sa.table('evidence', sa.column('id', sa.Integer), sa.column('office_id', sa.Integer),
                        sa.column('sha256', sa.String), sa.column('size_bytes', sa.Integer),
                        sa.column('media_type', sa.String), sa.column('file_name', sa.String),
                        sa.column('content', sa.LargeBinary), sa.column('stored_at', sa.DateTime(timezone=True)))
    rows = bind.execute(sa.select(payment.c.id, payment.c.office_id, payment.c.proof_file, payment.c.recorded_at)
                        .where(payment.c.proof_file != '').order_by(payment.c.id)).all()
    for payment_id, office_id, proof_file, recorded_at in rows:
        path = Path(proof_file)
        try:
            content = path.read_bytes()
        except (OSError, ValueError):
            continue
        if not 0 < len(content) <= EVIDENCE_MAX_BYTES:
            continue
        digest = hashlib.sha256(content).hexdigest()
        found = bind.execute(sa.select(evidence.c.id).where(evidence.c.office_id == office_id,
                                                            evidence.c.sha256 == digest)).scalar()
        if found is None:
            found = bind.execute(evidence.insert().values(
                office_id=office_id, sha256=digest, size_bytes=len(content),
                media_type=mimetypes.guess_type(path.name)[0] or 'application/octet-stream',
                file_name=path.name[:255], content=content,
                stored_at=recorded_at,  # stored when the payment was recorded
            ).returning(evidence.c.id)).scalar()
        bind.execute(payment.update().where(payment.c.id == payment_id).values(proof_id=found))


def downgrade() -> None:
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_service_request_results_sent_via'), type_='check')
        batch_op.drop_constraint(op.f('ck_service_request_papers_sent_via'), type_='check')
        batch_op.drop_column('closed_without_original')
        batch_op.drop_column('results_sent_via')
        batch_op.drop_column('results_sent_at')
        batch_op.drop_column('papers_sent_via')
        batch_op.drop_column('papers_sent_at')
    with op.batch_alter_table('sppd_agreement', schema=None) as batch_op:
        batch_op.drop_index('ix_sppd_agreement_outstanding')
        batch_op.drop_constraint(batch_op.f('fk_sppd_agreement_original_scan_id_evidence'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_sppd_agreement_scan_id_evidence'), type_='foreignkey')
        batch_op.drop_column('original_scan_id')
        batch_op.drop_column('scan_id')
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_receipt_scan_id_evidence'), type_='foreignkey')
        batch_op.drop_column('scan_id')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payment_confirmed_by_id_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_payment_receiving_account_id_receiving_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_payment_proof_id_evidence'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_payment_proof_id'))
        batch_op.drop_column('confirmed_by_id')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('receiving_account_id')
        batch_op.drop_column('proof_reuse_reason')
        batch_op.drop_column('proof_id')
    op.drop_index('ix_receiving_account_office', table_name='receiving_account')
    op.drop_table('receiving_account')
    op.drop_table('evidence')

"""money identifiers: one live invoice per SIMPONI billing code, one payment or deposit per NTPN

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

A unique index on the billing code of live (not cancelled) invoices; a unique index on the NTPN of
payments; the register ``ntpn_use`` (its primary key is the NTPN) filled from the payments and the
deposits already recorded, so an NTPN is on one payment or one deposit, never both.

A database that already breaks these rules is not upgraded (nothing is changed, the previous
version of the application still opens it): the error lists the rows sharing a billing code or an
NTPN, for the supervisor to correct (cancel the wrong invoice) before starting the new version.
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

LIVE_INVOICE = "status <> 'cancelled'"
WITH_NTPN = "ntpn IS NOT NULL"


def upgrade() -> None:
    _refuse_duplicates(op.get_bind())
    op.create_table(
        'ntpn_use',
        sa.Column('ntpn', sa.String(length=16), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=True),
        sa.Column('deposit_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('length(ntpn) = 16', name=op.f('ck_ntpn_use_ntpn')),
        sa.CheckConstraint('(payment_id IS NULL AND deposit_id IS NOT NULL) OR '
                           '(payment_id IS NOT NULL AND deposit_id IS NULL)', name=op.f('ck_ntpn_use_one_use')),
        sa.ForeignKeyConstraint(['deposit_id'], ['deposit.id'], name=op.f('fk_ntpn_use_deposit_id_deposit')),
        sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_ntpn_use_payment_id_payment')),
        sa.PrimaryKeyConstraint('ntpn', name=op.f('pk_ntpn_use')),
        sa.UniqueConstraint('deposit_id', name=op.f('uq_ntpn_use_deposit_id')),
        sa.UniqueConstraint('payment_id', name=op.f('uq_ntpn_use_payment_id')),
    )
    op.create_index('ux_invoice_live_billing_code', 'invoice', ['billing_code'], unique=True,
                    sqlite_where=sa.text(LIVE_INVOICE), postgresql_where=sa.text(LIVE_INVOICE))
    op.create_index('ux_payment_ntpn', 'payment', ['ntpn'], unique=True,
                    sqlite_where=sa.text(WITH_NTPN), postgresql_where=sa.text(WITH_NTPN))
    op.execute("INSERT INTO ntpn_use (ntpn, payment_id, deposit_id) "
               "SELECT ntpn, id, NULL FROM payment WHERE ntpn IS NOT NULL")
    op.execute("INSERT INTO ntpn_use (ntpn, payment_id, deposit_id) SELECT ntpn, NULL, id FROM deposit")


def downgrade() -> None:
    op.drop_index('ux_payment_ntpn', table_name='payment')
    op.drop_index('ux_invoice_live_billing_code', table_name='invoice')
    op.drop_table('ntpn_use')


def _refuse_duplicates(connection) -> None:
    """Stop (before any change) when live invoices share a billing code or an NTPN is used twice."""
    problems = []
    codes = connection.execute(sa.text(
        f"SELECT billing_code FROM invoice WHERE billing_code IS NOT NULL AND {LIVE_INVOICE} "
        "GROUP BY billing_code HAVING COUNT(*) > 1 ORDER BY billing_code")).scalars().all()
    for code in codes:
        numbers = connection.execute(sa.text(
            f"SELECT number FROM invoice WHERE billing_code = :code AND {LIVE_INVOICE} ORDER BY id"),
            {"code": code}).scalars().all()
        problems.append(f"kode billing / billing code {code}: invoice {', '.join(numbers)}")
    used = ("SELECT ntpn, 'payment' AS kind, id FROM payment WHERE ntpn IS NOT NULL "
            "UNION ALL SELECT ntpn, 'deposit' AS kind, id FROM deposit")
    ntpns = connection.execute(sa.text(
        f"SELECT ntpn FROM ({used}) AS used GROUP BY ntpn HAVING COUNT(*) > 1 ORDER BY ntpn")).scalars().all()
    for ntpn in ntpns:
        rows = connection.execute(sa.text(f"SELECT kind, id FROM ({used}) AS used WHERE ntpn = :ntpn "
                                          "ORDER BY kind, id"), {"ntpn": ntpn}).all()
        problems.append(f"NTPN {ntpn}: " + ", ".join(f"{kind} #{ident}" for kind, ident in rows))
    if problems:
        raise RuntimeError(
            "Pembaruan basis data dihentikan; tidak ada yang diubah. Kode billing dan NTPN berikut dipakai "
            "lebih dari sekali; perbaiki dulu dengan versi aplikasi sebelumnya (batalkan invoice yang salah). / "
            "The database upgrade stopped; nothing was changed. These billing codes and NTPNs are used more "
            "than once; correct them first with the previous version (cancel the wrong invoice).\n"
            + "\n".join(problems))

"""Keyed audit chain (issue 11): every entry carries the whole row it left (``row_state``) and the running
state digest of all audited rows (``digest``). The epoch entry that seals an existing unkeyed trail, and
the baseline of every row, are written by the application right after this migration (they need the key,
which is not in the database).

Revision ID: 0008_keyed_audit
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = '0008_keyed_audit'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_entry') as batch:
        batch.add_column(sa.Column('row_state', sa.Text(), nullable=True))
        batch.add_column(sa.Column('digest', sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Back to the unkeyed rule: every entry from the first epoch on is re-chained with SHA-256, its row and
    digest kept in its snapshot (``_row``, ``_digest``). That rewrites history on purpose: the anchor file
    of this database gets a line that voids its earlier checkpoints, and the next upgrade seals again."""
    import json
    from datetime import UTC, datetime

    from pstdesktop import anchors
    from pstdesktop.services.audit import EPOCH_ENTITY, legacy_hash
    from pstdesktop.services.clock import utcnow

    bind = op.get_bind()
    first = bind.execute(sa.text("SELECT min(seq) FROM audit_entry WHERE entity = :e"), {"e": EPOCH_ENTITY}).scalar()
    if first is not None:
        prev = bind.execute(sa.text("SELECT hash FROM audit_entry WHERE seq = :s"), {"s": first - 1}).scalar() \
            or "0" * 64
        rows = bind.execute(sa.text(
            "SELECT seq, at, actor_id, actor_name, action, entity, entity_id, from_state, to_state, reason, snapshot, "
            "row_state, digest FROM audit_entry WHERE seq >= :s ORDER BY seq"), {"s": first}).fetchall()
        for seq, at, actor_id, name, action, entity, entity_id, frm, to, reason, snapshot, row, digest in rows:
            snap = json.loads(snapshot) if isinstance(snapshot, str) else dict(snapshot or {})
            snap.update({"_row": row, "_digest": digest})
            entity = f"{EPOCH_ENTITY}_undone" if entity == EPOCH_ENTITY else entity  # the next upgrade seals anew
            moment = datetime.fromisoformat(at) if isinstance(at, str) else at
            moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
            new = legacy_hash(prev, seq, moment, actor_id, name, action, entity, entity_id, frm, to, reason,
                              json.loads(json.dumps(snap)))
            bind.execute(sa.text("UPDATE audit_entry SET entity = :e, snapshot = :snap, prev_hash = :p, hash = :h "
                                 "WHERE seq = :s"), {"e": entity, "snap": json.dumps(snap), "p": prev, "h": new, "s": seq})
            prev = new
        url = bind.engine.url.render_as_string(hide_password=True)
        try:
            anchors.append(url, "R", 0, "0" * 64, "-", utcnow())
        except OSError:
            pass
    with op.batch_alter_table('audit_entry') as batch:
        batch.drop_column('digest')
        batch.drop_column('row_state')

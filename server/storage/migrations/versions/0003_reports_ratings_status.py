"""reports, ratings and the ticket status page

- `ratings`: one citizen rating per ticket, tied to its counter and clerk;
- `tickets.dossier_code`: the dossier (mã hồ sơ) a served ticket led to;
- `offices.status_secret`: the key of the status-page codes (an HMAC of the ticket id);
- `devices.counter_id`: the counter a rating device is set up at;
- `ix_events_ticket` replaces `ix_events_ticket_id`: the same look-ups, and the reports'
  per-ticket times (type, at, counter, user, from-state) straight from the index.

Revision ID: 0003
Revises: 0002
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("offices") as batch_op:
        batch_op.add_column(sa.Column("status_secret", sa.String(length=64), nullable=True))
    offices = sa.table("offices", sa.column("id", sa.Integer),
                       sa.column("status_secret", sa.String))
    conn = op.get_bind()
    for (office_id,) in conn.execute(sa.select(offices.c.id)).all():
        conn.execute(offices.update().where(offices.c.id == office_id)
                     .values(status_secret=secrets.token_hex(32)))
    with op.batch_alter_table("offices") as batch_op:
        batch_op.alter_column("status_secret", existing_type=sa.String(length=64),
                              nullable=False)

    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("dossier_code", sa.String(length=64), nullable=True))

    with op.batch_alter_table("devices") as batch_op:
        batch_op.add_column(sa.Column("counter_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_devices_counter_id", "counters", ["counter_id"], ["id"])

    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_index("ix_events_ticket_id")
        batch_op.create_index("ix_events_ticket", ["ticket_id", "type", "at", "from_state",
                                                   "counter_id", "user_id"])

    op.create_table(
        "ratings",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", BigId, nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", name="uq_ratings_ticket_id"),
    )
    op.create_index("ix_ratings_office_at", "ratings", ["office_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_ratings_office_at", table_name="ratings")
    op.drop_table("ratings")
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_index("ix_events_ticket")
        batch_op.create_index("ix_events_ticket_id", ["ticket_id"])
    with op.batch_alter_table("devices") as batch_op:
        batch_op.drop_constraint("fk_devices_counter_id", type_="foreignkey")
        batch_op.drop_column("counter_id")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("dossier_code")
    with op.batch_alter_table("offices") as batch_op:
        batch_op.drop_column("status_secret")

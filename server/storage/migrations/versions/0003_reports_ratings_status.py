"""reports, ratings and the ticket status page

- `ratings`: one citizen rating per ticket, tied to its counter and clerk;
- `report_days`: a closed business day's figures as the reports group them;
- `tickets.dossier_code`: the dossier (mã hồ sơ) a served ticket led to;
- `offices.status_secret`: the key of the status-page codes (an HMAC of the ticket id);
- `devices.counter_id`: the counter a rating device is set up at;
- `events.estimate_s`: the estimate a `ticket.issued` event gave (also in its JSON), so a
  year's report does not parse a year of JSON;
- `ix_events_ticket` replaces `ix_events_ticket_id`: the same look-ups, and the reports'
  first call and estimate of each ticket straight from the index.

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
    # Plain ADD COLUMNs: on SQLite, rebuilding a table that others refer to would fail
    # (foreign keys are on), so these stay nullable; the ORM fills status_secret.
    op.add_column("offices", sa.Column("status_secret", sa.String(length=64), nullable=True))
    offices = sa.table("offices", sa.column("id", sa.Integer),
                       sa.column("status_secret", sa.String))
    conn = op.get_bind()
    for (office_id,) in conn.execute(sa.select(offices.c.id)).all():
        conn.execute(offices.update().where(offices.c.id == office_id)
                     .values(status_secret=secrets.token_hex(32)))
    op.add_column("tickets", sa.Column("dossier_code", sa.String(length=64), nullable=True))
    if conn.dialect.name == "sqlite":   # alembic would rebuild the table for the reference
        op.execute("ALTER TABLE devices ADD COLUMN counter_id INTEGER REFERENCES counters (id)")
    else:
        op.add_column("devices", sa.Column("counter_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_devices_counter_id", "devices", "counters", ["counter_id"],
                              ["id"])

    op.add_column("events", sa.Column("estimate_s", sa.Float(), nullable=True))
    events = sa.table("events", sa.column("type", sa.String), sa.column("data", sa.JSON),
                      sa.column("estimate_s", sa.Float))
    conn.execute(events.update().where(events.c.type == "ticket.issued").values(
        estimate_s=events.c.data[("ticket", "estimated_wait_s")].as_float()))
    op.drop_index("ix_events_ticket_id", table_name="events")
    op.create_index("ix_events_ticket", "events", ["ticket_id", "type", "at", "estimate_s"])

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
    op.create_table(
        "report_days",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("times", sa.LargeBinary(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"]),
        sa.PrimaryKeyConstraint("office_id", "business_day"),
    )


def downgrade() -> None:
    op.drop_table("report_days")
    op.drop_index("ix_ratings_office_at", table_name="ratings")
    op.drop_table("ratings")
    op.drop_index("ix_events_ticket", table_name="events")
    op.create_index("ix_events_ticket_id", "events", ["ticket_id"])
    if op.get_bind().dialect.name == "sqlite":
        # SQLite ≥ 3.35 drops a column in place (a rebuild would break the foreign keys).
        op.execute("ALTER TABLE events DROP COLUMN estimate_s")
        op.execute("ALTER TABLE devices DROP COLUMN counter_id")
        op.execute("ALTER TABLE tickets DROP COLUMN dossier_code")
        op.execute("ALTER TABLE offices DROP COLUMN status_secret")
    else:
        op.drop_constraint("fk_devices_counter_id", "devices", type_="foreignkey")
        op.drop_column("devices", "counter_id")
        op.drop_column("events", "estimate_s")
        op.drop_column("tickets", "dossier_code")
        op.drop_column("offices", "status_secret")

"""ticket line index: day before field, so heads and counts come from the index

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_index("ix_tickets_queue")
        batch_op.create_index("ix_tickets_line", ["office_id", "status", "business_day",
                                                  "service_id", "is_priority", "queued_at", "id"])


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_index("ix_tickets_line")
        batch_op.create_index("ix_tickets_queue", ["office_id", "status", "service_id",
                                                   "is_priority", "queued_at", "id"])

"""services.name_en: a field's English name, shown when a citizen picks English

Empty means none: the kiosk, the display and the ticket then show the Vietnamese name.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN with a default: no table rebuild on SQLite, rows keep their data.
    op.add_column("services", sa.Column("name_en", sa.String(length=200), nullable=False,
                                        server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("services") as batch_op:
        batch_op.drop_column("name_en")
